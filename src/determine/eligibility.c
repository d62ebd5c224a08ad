/* eligibility.c — `aib eligibility COUNTRY`: every benefit tier the packs define (@kind("tier"))
 * with each of its criteria (@kind("criterion") policies) evaluated one by one for the
 * country on the date, so the report says what is met and what is missing. */
#include "determine/determine_int.h"

#include <stdio.h>
#include <string.h>

#define ERR_CAP 256
#define MAX_TIERS 32

int aib_determine_eligibility(aib_determine_engine_t *e, const char *country,
                              aib_alliance_date_t date, aib_arena_t *arena,
                              aib_determine_eligibility_t *out, aib_diag_t *diag)
{
    const aib_alliance_country_t *c = aib_alliance_country(e->al, country);
    const aib_cedar_entities_t *es;
    aib__request_t r;
    aib__field_t f;
    aib__record_t *rec = NULL;
    aib_str_t dup;
    char err[ERR_CAP];
    size_t p, i, j;
    int rc;

    memset(out, 0, sizeof *out);
    if (!c) {
        aib_diag_set(diag, "eligibility", 0, 0, "unknown country `%.100s` (use an ISO 3166 code or name)",
                     country);
        return AIB_ENOTFOUND;
    }
    if (!date)
        date = aib_alliance_date_today();
    rc = aib__determine_entities(e, date, &es, diag);
    if (rc)
        return rc;
    out->country = c->alpha3;
    out->name = c->common_name ? c->common_name : c->name;
    aib_alliance_date_format(date, out->date, sizeof out->date);
    out->tiers = aib_arena_calloc(arena, MAX_TIERS, sizeof *out->tiers);
    r.principal = aib__determine_uid(arena, "Aib::Country", c->alpha3);
    r.action = aib__determine_uid(arena, "Aib::Action", "qualify");
    f.key = AIB_STR_LIT("date");
    f.val = aib__v_long(date);
    if (!out->tiers || !r.principal || !r.action || aib__record_make(arena, &f, 1, &rec, &dup))
        return AIB_ENOMEM;
    r.context.kind = AIB__V_RECORD;
    r.context.u.rec = rec;
    for (p = 0; p < e->n_packs; p++) {
        const aib__det_pack_t *pk = &e->packs[p];
        for (i = 0; i < pk->n_rules && out->n_tiers < MAX_TIERS; i++) {
            const aib__det_rule_t *t = &pk->rules[i];
            aib_determine_tier_t *tier;
            size_t n = 0;
            bool dup_tier = false;
            if (t->disabled || t->kind != AIB__DET_TIER)
                continue;
            for (j = 0; j < out->n_tiers; j++)
                dup_tier |= !strcmp(out->tiers[j].id, t->tier);
            if (dup_tier)
                continue;
            tier = &out->tiers[out->n_tiers++];
            tier->id = t->tier;
            tier->title = t->title;
            tier->authority = t->authority;
            tier->status = t->status ? t->status : "law";
            tier->pack = t->pack;
            r.resource = aib__determine_uid(arena, "Aib::Tier", t->tier);
            for (j = 0; j < pk->n_rules; j++)
                n += !pk->rules[j].disabled && pk->rules[j].kind == AIB__DET_CRITERION &&
                     !strcmp(pk->rules[j].tier, t->tier);
            tier->criteria = aib_arena_calloc(arena, n ? n : 1, sizeof *tier->criteria);
            if (!r.resource || !tier->criteria)
                return AIB_ENOMEM;
            tier->met = n > 0;
            for (j = 0; j < pk->n_rules; j++) {
                const aib__det_rule_t *cr = &pk->rules[j];
                aib_determine_criterion_t *x;
                int v;
                if (cr->disabled || cr->kind != AIB__DET_CRITERION || strcmp(cr->tier, t->tier))
                    continue;
                v = aib__eval_policy(cr->p, es, &r, arena, err, sizeof err);
                if (v == AIB_ENOMEM)
                    return v;
                x = &tier->criteria[tier->n_criteria++];
                x->id = cr->id;
                x->text = cr->criterion;
                x->authority = cr->authority;
                x->met = v == 1;
                x->why = v < 0 ? aib_arena_strndup(arena, err, strlen(err))
                               : aib__determine_explain(cr->p, es, &r, v == 1, arena);
                if (!x->why)
                    return AIB_ENOMEM;
                if (!x->met)
                    tier->met = false;
            }
        }
    }
    return 0;
}

static int s(aib_buf_t *b, const char *v)
{
    return v ? aib_buf_json_str(b, v, strlen(v)) : aib_buf_puts(b, "null");
}

int aib_determine_eligibility_json(const aib_determine_eligibility_t *el, aib_buf_t *out)
{
    size_t i, j;
    int rc = aib_buf_puts(out, "{\"country\":");
    if (!rc)
        rc = s(out, el->country);
    if (!rc)
        rc = aib_buf_puts(out, ",\"name\":");
    if (!rc)
        rc = s(out, el->name);
    if (!rc)
        rc = aib_buf_puts(out, ",\"date\":");
    if (!rc)
        rc = s(out, el->date);
    if (!rc)
        rc = aib_buf_puts(out, ",\"tiers\":[");
    for (i = 0; !rc && i < el->n_tiers; i++) {
        const aib_determine_tier_t *t = &el->tiers[i];
        rc = aib_buf_puts(out, i ? ",{\"tier\":" : "{\"tier\":");
        if (!rc)
            rc = s(out, t->id);
        if (!rc)
            rc = aib_buf_puts(out, ",\"title\":");
        if (!rc)
            rc = s(out, t->title);
        if (!rc)
            rc = aib_buf_puts(out, ",\"status\":");
        if (!rc)
            rc = s(out, t->status);
        if (!rc)
            rc = aib_buf_puts(out, ",\"pack\":");
        if (!rc)
            rc = s(out, t->pack);
        if (!rc)
            rc = aib_buf_puts(out, ",\"authority\":");
        if (!rc)
            rc = s(out, t->authority);
        if (!rc)
            rc = aib_buf_printf(out, ",\"met\":%s,\"criteria\":[", t->met ? "true" : "false");
        for (j = 0; !rc && j < t->n_criteria; j++) {
            const aib_determine_criterion_t *c = &t->criteria[j];
            rc = aib_buf_puts(out, j ? ",{\"id\":" : "{\"id\":");
            if (!rc)
                rc = s(out, c->id);
            if (!rc)
                rc = aib_buf_puts(out, ",\"criterion\":");
            if (!rc)
                rc = s(out, c->text);
            if (!rc)
                rc = aib_buf_printf(out, ",\"met\":%s,\"authority\":", c->met ? "true" : "false");
            if (!rc)
                rc = s(out, c->authority);
            if (!rc)
                rc = aib_buf_puts(out, ",\"why\":");
            if (!rc)
                rc = s(out, c->why);
            if (!rc)
                rc = aib_buf_putc(out, '}');
        }
        if (!rc)
            rc = aib_buf_puts(out, "]}");
    }
    return rc ? rc : aib_buf_puts(out, "]}");
}

int aib_determine_eligibility_text(const aib_determine_eligibility_t *el, aib_buf_t *out)
{
    size_t i, j;
    int rc = aib_buf_printf(out, "%s (%s) on %s\n", el->name, el->country, el->date);
    for (i = 0; !rc && i < el->n_tiers; i++) {
        const aib_determine_tier_t *t = &el->tiers[i];
        size_t missing = 0;
        for (j = 0; j < t->n_criteria; j++)
            missing += !t->criteria[j].met;
        rc = aib_buf_printf(out, "\n%s %s [%s%s] — %s\n", t->met ? "[met]    " : "[not met]",
                            t->title, t->status, strcmp(t->status, "proposal") ? "" : ", not law",
                            t->authority);
        for (j = 0; !rc && j < t->n_criteria; j++) {
            const aib_determine_criterion_t *c = &t->criteria[j];
            rc = aib_buf_printf(out, "    %s %s (%s)%s%s\n", c->met ? "+" : "-", c->text, c->authority,
                                c->met ? "" : "\n        missing: ", c->met ? "" : c->why);
        }
        if (!rc && missing)
            rc = aib_buf_printf(out, "    what is missing: %zu of %zu criteria\n", missing,
                                t->n_criteria);
    }
    return rc;
}
