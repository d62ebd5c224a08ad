/* context.c — the Cedar request of a determination: principal = destination country, action =
 * the transfer kind, resource = the item (chosen by the pack's @jurisdiction_order: USML
 * first, then CCL), context = the request's facts. Values are built directly in the request
 * arena (no JSON round trip). The recipient's groups on the date are read from the epoch
 * store's ancestor closure, so group arithmetic stays generic: groups_any (any of the
 * recipient's countries is in the group) and groups_all (every one is). */
#include "determine/determine_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_FIELDS 32
#define MAX_PARTY 18

const aib__uid_t *aib__determine_uid(aib_arena_t *arena, const char *type, const char *id)
{
    return aib__uid_new(arena, (aib_str_t){ type, strlen(type) }, (aib_str_t){ id, strlen(id) });
}

static aib__value_t v_str(const char *s)
{
    aib__value_t v;
    v.kind = AIB__V_STRING;
    v.u.s.ptr = s ? s : "";
    v.u.s.len = s ? strlen(s) : 0;
    return v;
}

static aib__value_t v_uid(const aib__uid_t *u)
{
    aib__value_t v;
    v.kind = AIB__V_ENTITY;
    v.u.uid = u;
    return v;
}

static int v_set(aib_arena_t *a, const aib__value_t *items, size_t n, aib__value_t *out)
{
    aib__set_t *s = aib__set_make(a, items, n);
    if (!s)
        return AIB_ENOMEM;
    out->kind = AIB__V_SET;
    out->u.set = s;
    return 0;
}

static int v_record(aib_arena_t *a, const aib__field_t *f, size_t n, aib__value_t *out)
{
    aib__record_t *rec = NULL;
    aib_str_t dup;
    int rc = aib__record_make(a, f, n, &rec, &dup);
    if (rc)
        return rc == AIB_EEXIST ? AIB_EINTERNAL : rc;
    out->kind = AIB__V_RECORD;
    out->u.rec = rec;
    return 0;
}

static void field(aib__field_t *f, size_t *n, const char *key, aib__value_t v)
{
    f[*n].key.ptr = key;
    f[*n].key.len = strlen(key);
    f[*n].val = v;
    (*n)++;
}

/* Appends the set attribute `name` of entity uid to items (deduplicated later by set_make). */
static size_t attr_set(const aib_cedar_entities_t *es, const aib__uid_t *uid, const char *name,
                       aib__value_t *items, size_t n, size_t cap)
{
    const aib__entity_t *ent = aib__entities_find(es, uid);
    const aib__value_t *v;
    size_t i;
    if (!ent)
        return n;
    v = aib__record_get(ent->attrs, (aib_str_t){ name, strlen(name) });
    if (!v || v->kind != AIB__V_SET)
        return n;
    for (i = 0; i < v->u.set->n && n < cap; i++)
        items[n++] = v->u.set->items[i];
    return n;
}

/* groups of one country on the store's date: the Aib::Group ancestors. */
static size_t groups_of(const aib_cedar_entities_t *es, const aib__uid_t *uid, aib__value_t *out,
                        size_t cap)
{
    const aib__entity_t *ent = aib__entities_find(es, uid);
    size_t i, n = 0;
    if (!ent)
        return 0;
    for (i = 0; i < ent->n_ancestors && n < cap; i++) {
        const aib__uid_t *g = es->uids[ent->ancestors[i]];
        if (aib_str_eq_cstr(g->type, "Aib::Group"))
            out[n++] = v_uid(g);
    }
    return n;
}

static int party(const aib_cedar_entities_t *es, const aib_determine_request_t *req,
                 aib_arena_t *a, aib__value_t *out)
{
    const aib__uid_t *cs[MAX_PARTY];
    aib__value_t *any, *all, *chart, *stat, nat[MAX_PARTY], *tmp;
    size_t n_cs = 0, n_any = 0, n_all = 0, n_chart = 0, n_stat = 0, i, j, k;
    aib__field_t f[MAX_FIELDS];
    aib__value_t sv;
    size_t nf = 0;
    const size_t cap = 1024;
    int rc;

    any = aib_arena_alloc(a, cap * sizeof *any);
    all = aib_arena_alloc(a, cap * sizeof *all);
    chart = aib_arena_alloc(a, cap * sizeof *chart);
    stat = aib_arena_alloc(a, cap * sizeof *stat);
    tmp = aib_arena_alloc(a, cap * sizeof *tmp);
    if (!any || !all || !chart || !stat || !tmp)
        return AIB_ENOMEM;
    /* The recipient's countries: where it is, and every nationality. */
    cs[n_cs++] = aib__determine_uid(a, "Aib::Country", req->end_user_country->alpha3);
    for (i = 0; i < req->n_nationalities && n_cs < MAX_PARTY; i++)
        cs[n_cs++] = aib__determine_uid(a, "Aib::Country", req->nationalities[i]->alpha3);
    for (i = 0; i < n_cs; i++)
        if (!cs[i])
            return AIB_ENOMEM;
    for (i = 0; i < n_cs; i++) {
        size_t m = groups_of(es, cs[i], tmp, cap);
        for (j = 0; j < m && n_any < cap; j++)
            any[n_any++] = tmp[j];
        if (i == 0) {
            memcpy(all, tmp, m * sizeof *tmp);
            n_all = m;
        } else {
            size_t w = 0;
            for (j = 0; j < n_all; j++)
                for (k = 0; k < m; k++)
                    if (aib__value_eq(&all[j], &tmp[k])) {
                        all[w++] = all[j];
                        break;
                    }
            n_all = w;
        }
        n_chart = attr_set(es, cs[i], "chart", chart, n_chart, cap);
        n_stat = attr_set(es, cs[i], "statuses", stat, n_stat, cap);
    }
    for (i = 1; i < n_cs; i++)
        nat[i - 1] = v_uid(cs[i]);
    field(f, &nf, "kind", v_str(req->end_user_kind));
    field(f, &nf, "country", v_uid(cs[0]));
    rc = v_set(a, nat, n_cs - 1, &sv);
    if (!rc) {
        field(f, &nf, "nationalities", sv);
        rc = v_set(a, any, n_any, &sv);
    }
    if (!rc) {
        field(f, &nf, "groups_any", sv);
        rc = v_set(a, all, n_all, &sv);
    }
    if (!rc) {
        field(f, &nf, "groups_all", sv);
        rc = v_set(a, chart, n_chart, &sv);
    }
    if (!rc) {
        field(f, &nf, "chart_any", sv);
        rc = v_set(a, stat, n_stat, &sv);
    }
    if (rc)
        return rc;
    field(f, &nf, "statuses_any", sv);
    field(f, &nf, "registered", aib__v_bool(req->registered));
    field(f, &nf, "authorized_user", aib__v_bool(req->authorized_user));
    return v_record(a, f, nf, out);
}

/* Picks the item by the pack's jurisdiction order. */
static int pick_item(const aib_determine_engine_t *e, const aib__det_pack_t *pk,
                     const aib_determine_request_t *req, aib_arena_t *a, const char **ref,
                     const char **jur)
{
    size_t i;
    char buf[64];

    for (i = 0; i < pk->n_jurisdiction_order; i++) {
        const char *w = pk->jurisdiction_order[i];
        if (!strcmp(w, "usml") && req->usml) {
            const aib_alliance_usml_cat_t *c = aib_alliance_usml(e->al, req->usml, NULL);
            if (!c)
                return AIB_EINTERNAL;
            snprintf(buf, sizeof buf, "usml:%s", c->roman);
            *jur = "ITAR";
            break;
        }
        if (!strcmp(w, "eccn") && req->eccn) {
            if (!strcmp(req->eccn, "EAR99")) {
                snprintf(buf, sizeof buf, "EAR99");
            } else {
                const aib_alliance_eccn_t *x = aib_alliance_eccn(e->al, req->eccn, NULL, NULL);
                if (!x)
                    return AIB_EINTERNAL;
                snprintf(buf, sizeof buf, "eccn:%s", x->eccn);
            }
            *jur = "EAR";
            break;
        }
    }
    if (i == pk->n_jurisdiction_order) {
        snprintf(buf, sizeof buf, "information");
        *jur = "NONE";
    }
    *ref = aib_arena_strndup(a, buf, strlen(buf));
    return *ref ? 0 : AIB_ENOMEM;
}

int aib__determine_cedar_request(const aib_determine_engine_t *e, const aib__det_pack_t *pk,
                                 const aib_cedar_entities_t *es,
                                 const aib_determine_request_t *req, aib_arena_t *arena,
                                 aib__request_t *out, const char **item_ref,
                                 const char **jurisdiction)
{
    aib__field_t f[MAX_FIELDS];
    aib__value_t v, items[256];
    size_t nf = 0, i, n;
    int rc;

    rc = pick_item(e, pk, req, arena, item_ref, jurisdiction);
    if (rc)
        return rc;
    out->principal = aib__determine_uid(arena, "Aib::Country", req->to->alpha3);
    out->action = aib__determine_uid(arena, "Aib::Action", req->kind);
    out->resource = aib__determine_uid(arena, "Aib::Item", *item_ref);
    if (!out->principal || !out->action || !out->resource)
        return AIB_ENOMEM;
    field(f, &nf, "date", aib__v_long(req->date));
    field(f, &nf, "kind", v_str(req->kind));
    field(f, &nf, "from", v_uid(aib__determine_uid(arena, "Aib::Country", req->from->alpha3)));
    field(f, &nf, "to", v_uid(out->principal));
    rc = party(es, req, arena, &v);
    if (rc)
        return rc;
    field(f, &nf, "end_user", v);
    field(f, &nf, "end_use", v_str(req->end_use));
    field(f, &nf, "jurisdiction", v_str(*jurisdiction));
    field(f, &nf, "usml", v_str(req->usml));
    field(f, &nf, "eccn", v_str(req->eccn));
    /* ITAR exemptions whose exclusion lists name this USML reference (or an ancestor). */
    n = 0;
    for (i = 0; req->usml && i < aib_alliance_itar_exemption_count(e->al) && n < 256; i++) {
        const aib_alliance_itar_exemption_t *x = aib_alliance_itar_exemption_at(e->al, i);
        const aib_alliance_itar_exclusion_t *hits[32];
        size_t nh = 0, k;
        bool named = false;
        int r2 = aib_alliance_itar_excluded(e->al, x->id, req->usml, hits, 32, &nh);
        /* Rows that name no USML entry ("*": classified, MTCR Annex, anti-tamper...) cannot be
         * decided from the reference alone; the exemption rules state them as provisos. */
        for (k = 0; r2 == 0 && k < nh; k++)
            named |= strcmp(hits[k]->usml, "*") != 0;
        if (named || r2 == AIB_ELIMIT)
            items[n++] = v_str(x->id);
    }
    rc = v_set(arena, items, n, &v);
    if (rc)
        return rc;
    field(f, &nf, "excluded_from", v);
    field(f, &nf, "sme", aib__v_bool(req->sme));
    field(f, &nf, "value_usd", aib__v_long(req->value_usd));
    field(f, &nf, "classification", v_str(req->classification));
    field(f, &nf, "level", aib__v_long(req->level));
    field(f, &nf, "classified", aib__v_bool(req->classified));
    field(f, &nf, "cui", aib__v_bool(!strcmp(req->classification, "CUI")));
    field(f, &nf, "noforn", aib__v_bool(req->noforn));
    field(f, &nf, "has_rel_to", aib__v_bool(req->has_rel_to));
    n = 0;
    for (i = 0; i < req->n_rel_to && n < 256; i++) {
        const aib__uid_t *u = aib__determine_uid(arena, "Aib::Country", req->rel_to[i]);
        if (!u)
            return AIB_ENOMEM;
        items[n++] = v_uid(u);
    }
    rc = v_set(arena, items, n, &v);
    if (rc)
        return rc;
    field(f, &nf, "rel_to", v);
    for (i = 0, n = 0; i < req->n_controls && n < 256; i++)
        items[n++] = v_str(req->controls[i]);
    rc = v_set(arena, items, n, &v);
    if (rc)
        return rc;
    field(f, &nf, "controls", v);
    for (i = 0; i < nf; i++)
        if (f[i].val.kind == AIB__V_ENTITY && !f[i].val.u.uid)
            return AIB_ENOMEM;
    return v_record(arena, f, nf, &out->context);
}
