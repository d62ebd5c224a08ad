/* det_entities.c — Cedar entities from the alliance registry, one store per membership epoch:
 * groups, countries (parents = the groups they belong to on the date, Country Chart marks,
 * agreements in force, protection profile), items (USML categories, ECCNs with their reasons
 * for control, chart columns and licence exceptions, EAR99, information) and the benefit
 * tiers a country meets on the date (criteria policies evaluated on a first store, then the
 * store rebuilt with "tier:<id>" parents so that rules can say `principal in tier`).
 * A store is built once per epoch and reused by every request dated in it. */
#include "determine/determine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TIERS 32

static int put_s(aib_buf_t *b, const char *s)
{
    return aib_buf_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

/* ---- epochs ---------------------------------------------------------------------------------- */

static aib_alliance_date_t next_day(aib_alliance_date_t d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = d / 10000, m = (d / 100) % 100, day = d % 100, lim;
    if (m < 1 || m > 12)
        return d + 1;
    lim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (++day > lim) {
        day = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return (aib_alliance_date_t)(y * 10000 + m * 100 + day);
}

static int cmp_date(const void *a, const void *b)
{
    aib_alliance_date_t x = *(const aib_alliance_date_t *)a, y = *(const aib_alliance_date_t *)b;
    return x < y ? -1 : x > y;
}

static int push_date(aib_determine_engine_t *e, size_t *cap, aib_alliance_date_t d)
{
    if (d <= 0)
        return 0;
    if (e->n_changes == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        aib_alliance_date_t *p = realloc(e->changes, nc * sizeof *p);
        if (!p)
            return AIB_ENOMEM;
        e->changes = p;
        *cap = nc;
    }
    e->changes[e->n_changes++] = d;
    return 0;
}

int aib__determine_epochs_init(aib_determine_engine_t *e, aib_diag_t *diag)
{
    size_t cap = 0, i, j, n;
    int rc = 0;

    (void)diag;
    for (i = 0; rc == 0 && i < aib_alliance_group_count(e->al); i++) {
        const aib_alliance_group_t *g = aib_alliance_group_at(e->al, i);
        for (j = 0; rc == 0 && j < g->n_members; j++) {
            rc = push_date(e, &cap, g->members[j].from);
            if (!rc && g->members[j].until)
                rc = push_date(e, &cap, next_day(g->members[j].until));
        }
    }
    for (i = 0; rc == 0 && i < aib_alliance_country_count(e->al); i++) {
        const aib_alliance_country_t *c = aib_alliance_country_at(e->al, i);
        const aib_alliance_agreement_t *ag = aib_alliance_agreements(e->al, c->alpha3, &n);
        for (j = 0; rc == 0 && ag && j < n; j++) {
            rc = push_date(e, &cap, ag[j].signed_on);
            if (!rc)
                rc = push_date(e, &cap, ag[j].in_force);
            if (!rc)
                rc = push_date(e, &cap, ag[j].ended);
        }
    }
    if (rc)
        return rc;
    if (e->n_changes) {
        qsort(e->changes, e->n_changes, sizeof *e->changes, cmp_date);
        for (i = 1, j = 1; i < e->n_changes; i++)
            if (e->changes[i] != e->changes[j - 1])
                e->changes[j++] = e->changes[i];
        e->n_changes = j;
    }
    e->epochs = calloc(e->n_changes + 1, sizeof *e->epochs);
    return e->epochs ? 0 : AIB_ENOMEM;
}

/* Number of change dates <= date: dates in one epoch see the same memberships. */
static size_t epoch_of(const aib_determine_engine_t *e, aib_alliance_date_t date)
{
    size_t lo = 0, hi = e->n_changes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->changes[mid] <= date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- entity JSON ----------------------------------------------------------------------------- */

static bool fact_yes(const aib_alliance_fact_t *f)
{
    if (!f->value || !f->value[0])
        return false;
    return strcasecmp(f->value, "none") != 0 && strcasecmp(f->value, "no") != 0 &&
           strcasecmp(f->value, "unknown") != 0;
}

static int put_profile(aib_buf_t *b, const aib_alliance_profile_t *p)
{
    int rc;
    if (!p)
        return aib_buf_puts(b, "{\"recorded\":false,\"investment_screening\":false,"
                               "\"screening_mandatory\":false,\"screening_threshold_pct\":-1,"
                               "\"industrial_security\":false,\"information_sharing\":\"\","
                               "\"export_control_law\":false}");
    rc = aib_buf_printf(b, "{\"recorded\":true,\"investment_screening\":%s,"
                           "\"screening_mandatory\":%s,\"screening_threshold_pct\":%lld,"
                           "\"industrial_security\":%s,\"export_control_law\":%s,"
                           "\"information_sharing\":",
                        fact_yes(&p->investment_screening) ? "true" : "false",
                        p->screening_mandatory.value &&
                                (!strcasecmp(p->screening_mandatory.value, "mandatory") ||
                                 !strcasecmp(p->screening_mandatory.value, "mixed"))
                            ? "true" : "false",
                        p->screening_threshold.has_number
                            ? (long long)p->screening_threshold.number : -1LL,
                        fact_yes(&p->industrial_security) ? "true" : "false",
                        fact_yes(&p->export_control_law) ? "true" : "false");
    if (!rc)
        rc = put_s(b, p->information_sharing.value ? p->information_sharing.value : "");
    if (!rc)
        rc = aib_buf_putc(b, '}');
    return rc;
}

typedef struct tiers {
    const char *id[MAX_TIERS];
    size_t n;
    /* met[country index * MAX_TIERS + tier] after the first pass; NULL during it */
    unsigned char *met;
} tiers_t;

static int put_country(const aib_determine_engine_t *e, aib_buf_t *b, size_t ci,
                       aib_alliance_date_t date, const tiers_t *t, aib_diag_t *diag)
{
    const aib_alliance_country_t *c = aib_alliance_country_at(e->al, ci);
    aib_alliance_group_hit_t hits[AIB__DET_GROUPS_CAP];
    const aib_alliance_agreement_t *ag;
    const char *const *cols;
    size_t nh = 0, ncol = 0, nag = 0, i, k;
    bool first, row = false, emb = false;
    const aib_alliance_chart_row_t *crow = NULL;
    int rc;

    rc = aib_alliance_country_groups(e->al, c->alpha3, date, hits, AIB__DET_GROUPS_CAP, &nh, diag);
    if (rc)
        return rc;
    rc = aib_buf_puts(b, "{\"uid\":{\"type\":\"Aib::Country\",\"id\":");
    if (!rc)
        rc = put_s(b, c->alpha3);
    if (!rc)
        rc = aib_buf_puts(b, "},\"attrs\":{\"alpha3\":");
    if (!rc)
        rc = put_s(b, c->alpha3);
    if (!rc)
        rc = aib_buf_puts(b, ",\"chart\":[");
    cols = aib_alliance_chart_columns(e->al, &ncol);
    for (i = 0, first = true; !rc && i < ncol; i++) {
        aib_alliance_chart_cell_t cell;
        if (aib_alliance_chart_cell(e->al, cols[i], c->alpha3, &cell, NULL) != 0)
            continue;
        if (cell.mark != AIB_ALLIANCE_CHART_NO_ROW) {
            row = true;
            crow = cell.row;
        }
        if (cell.mark == AIB_ALLIANCE_CHART_EMBARGOED)
            emb = true;
        if (cell.mark != AIB_ALLIANCE_CHART_X)
            continue;
        if (!first)
            rc = aib_buf_putc(b, ',');
        if (!rc)
            rc = put_s(b, cols[i]);
        first = false;
    }
    if (!rc)
        rc = aib_buf_printf(b, "],\"chart_row\":%s,\"ear_embargoed\":%s,\"footnotes\":[",
                            row ? "true" : "false", emb ? "true" : "false");
    for (i = 0; !rc && crow && i < crow->n_footnotes; i++)
        rc = aib_buf_printf(b, "%s%d", i ? "," : "", crow->footnotes[i]);
    if (!rc)
        rc = aib_buf_puts(b, "],\"agreements\":[");
    ag = aib_alliance_agreements(e->al, c->alpha3, &nag);
    for (i = 0, first = true; !rc && ag && i < nag; i++) {
        if (i && !strcmp(ag[i].type, ag[i - 1].type))
            continue;
        if (!aib_alliance_agreement_in_force(e->al, c->alpha3, ag[i].type, date))
            continue;
        if (!first)
            rc = aib_buf_putc(b, ',');
        if (!rc)
            rc = put_s(b, ag[i].type);
        first = false;
    }
    if (!rc)
        rc = aib_buf_puts(b, "],\"statuses\":[");
    for (i = 0, first = true; !rc && i < nh; i++) {
        if (!hits[i].membership || !hits[i].membership->status)
            continue;
        rc = aib_buf_printf(b, "%s", first ? "" : ",");
        if (!rc) {
            char tmp[256];
            snprintf(tmp, sizeof tmp, "%s:%s", hits[i].group->id, hits[i].membership->status);
            rc = put_s(b, tmp);
        }
        first = false;
    }
    if (!rc)
        rc = aib_buf_puts(b, "],\"profile\":");
    if (!rc)
        rc = put_profile(b, aib_alliance_profile(e->al, c->alpha3));
    if (!rc)
        rc = aib_buf_puts(b, "},\"parents\":[");
    for (i = 0; !rc && i < nh; i++) {
        rc = aib_buf_puts(b, i ? ",{\"type\":\"Aib::Group\",\"id\":" : "{\"type\":\"Aib::Group\",\"id\":");
        if (!rc)
            rc = put_s(b, hits[i].group->id);
        if (!rc)
            rc = aib_buf_putc(b, '}');
    }
    for (k = 0; !rc && t->met && k < t->n; k++) {
        char tmp[128];
        if (!t->met[ci * MAX_TIERS + k])
            continue;
        snprintf(tmp, sizeof tmp, "tier:%s", t->id[k]);
        rc = aib_buf_puts(b, nh ? ",{\"type\":\"Aib::Group\",\"id\":"
                                     : "{\"type\":\"Aib::Group\",\"id\":");
        if (!rc)
            rc = put_s(b, tmp);
        if (!rc)
            rc = aib_buf_putc(b, '}');
        nh++;
    }
    if (!rc)
        rc = aib_buf_puts(b, "]}");
    return rc;
}

/* Splits "NS, RS, MT" into a JSON array of tokens. */
static int put_tokens(aib_buf_t *b, const char *line)
{
    const char *p = line;
    bool first = true;
    int rc = aib_buf_putc(b, '[');
    while (!rc && p && *p) {
        const char *s, *end;
        while (*p == ',' || *p == ' ' || *p == ';')
            p++;
        s = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        end = p;
        if (end > s) {
            if (!first)
                rc = aib_buf_putc(b, ',');
            if (!rc)
                rc = aib_buf_json_str(b, s, (size_t)(end - s));
            first = false;
        }
    }
    return rc ? rc : aib_buf_putc(b, ']');
}

static bool whole_entry(const char *applies)
{
    return applies && strstr(applies, "entire entry") && !strstr(applies, "except");
}

static int put_eccn(aib_buf_t *b, const aib_alliance_eccn_t *x)
{
    size_t i, pass;
    int rc = aib_buf_puts(b, "{\"uid\":{\"type\":\"Aib::Item\",\"id\":");
    char id[64];
    bool first;

    snprintf(id, sizeof id, "eccn:%s", x->eccn);
    if (!rc)
        rc = put_s(b, id);
    if (!rc)
        rc = aib_buf_puts(b, "},\"attrs\":{\"jurisdiction\":\"EAR\",\"category\":");
    if (!rc)
        rc = put_s(b, x->category);
    if (!rc)
        rc = aib_buf_puts(b, ",\"product_group\":");
    if (!rc)
        rc = put_s(b, x->product_group);
    if (!rc)
        rc = aib_buf_puts(b, ",\"reasons\":");
    if (!rc)
        rc = put_tokens(b, x->reasons);
    /* pass 0: whole-entry columns, 1: partial columns, 2: reasons outside the chart */
    for (pass = 0; !rc && pass < 3; pass++) {
        static const char *const KEYS[3] = { ",\"columns\":[", ",\"partial_columns\":[",
                                             ",\"other_reasons\":[" };
        rc = aib_buf_puts(b, KEYS[pass]);
        for (i = 0, first = true; !rc && i < x->n_controls; i++) {
            const aib_alliance_ear_control_t *c = &x->controls[i];
            const char *v;
            if (pass == 0 && (!c->column || !whole_entry(c->applies)))
                continue;
            if (pass == 1 && (!c->column || whole_entry(c->applies)))
                continue;
            if (pass == 2 && (c->column || !c->reason))
                continue;
            v = pass == 2 ? c->reason : c->column;
            if (!first)
                rc = aib_buf_putc(b, ',');
            if (!rc)
                rc = put_s(b, v);
            first = false;
        }
        if (!rc)
            rc = aib_buf_putc(b, ']');
    }
    if (!rc)
        rc = aib_buf_puts(b, ",\"exceptions\":[");
    for (i = 0, first = true; !rc && i < x->n_exceptions; i++) {
        const char *t = x->exceptions[i].text;
        if (t && !strncasecmp(t, "N/A", 3))
            continue;
        if (!first)
            rc = aib_buf_putc(b, ',');
        if (!rc)
            rc = put_s(b, x->exceptions[i].symbol);
        first = false;
    }
    if (!rc)
        rc = aib_buf_puts(b, "]},\"parents\":[{\"type\":\"Aib::ItemClass\",\"id\":\"CCL\"}");
    /* 600-series (xY6zz) and 9x515 entries are classes the EAR itself names. */
    if (!rc && strlen(x->eccn) == 5 && x->eccn[2] == '6')
        rc = aib_buf_puts(b, ",{\"type\":\"Aib::ItemClass\",\"id\":\"600-series\"}");
    if (!rc && strlen(x->eccn) == 5 && !strcmp(x->eccn + 2, "515"))
        rc = aib_buf_puts(b, ",{\"type\":\"Aib::ItemClass\",\"id\":\"515-series\"}");
    return rc ? rc : aib_buf_puts(b, "]}");
}

static int put_plain_item(aib_buf_t *b, const char *id, const char *jur, const char *cat,
                          const char *cls)
{
    int rc = aib_buf_puts(b, "{\"uid\":{\"type\":\"Aib::Item\",\"id\":");
    if (!rc)
        rc = put_s(b, id);
    if (!rc)
        rc = aib_buf_puts(b, "},\"attrs\":{\"jurisdiction\":");
    if (!rc)
        rc = put_s(b, jur);
    if (!rc)
        rc = aib_buf_puts(b, ",\"category\":");
    if (!rc)
        rc = put_s(b, cat);
    if (!rc)
        rc = aib_buf_puts(b, ",\"product_group\":\"\",\"reasons\":[],\"columns\":[],"
                             "\"partial_columns\":[],\"other_reasons\":[],\"exceptions\":[]},"
                             "\"parents\":[{\"type\":\"Aib::ItemClass\",\"id\":");
    if (!rc)
        rc = put_s(b, cls);
    return rc ? rc : aib_buf_puts(b, "}]}");
}

static int build_json(const aib_determine_engine_t *e, aib_alliance_date_t date, const tiers_t *t,
                      aib_buf_t *b, aib_diag_t *diag)
{
    static const char *const CLASSES[] = { "USML", "CCL", "EAR99", "INFO", "600-series",
                                           "515-series" };
    size_t i;
    int rc = aib_buf_putc(b, '[');

    for (i = 0; !rc && i < aib_alliance_group_count(e->al); i++) {
        const aib_alliance_group_t *g = aib_alliance_group_at(e->al, i);
        rc = aib_buf_puts(b, "{\"uid\":{\"type\":\"Aib::Group\",\"id\":");
        if (!rc)
            rc = put_s(b, g->id);
        if (!rc)
            rc = aib_buf_puts(b, "},\"attrs\":{\"name\":");
        if (!rc)
            rc = put_s(b, g->name);
        if (!rc)
            rc = aib_buf_puts(b, ",\"kind\":");
        if (!rc)
            rc = put_s(b, g->kind);
        if (!rc)
            rc = aib_buf_puts(b, "},\"parents\":[]},");
    }
    for (i = 0; !rc && i < t->n; i++) {
        char tmp[128];
        snprintf(tmp, sizeof tmp, "tier:%s", t->id[i]);
        rc = aib_buf_puts(b, "{\"uid\":{\"type\":\"Aib::Group\",\"id\":");
        if (!rc)
            rc = put_s(b, tmp);
        if (!rc)
            rc = aib_buf_puts(b, "},\"attrs\":{\"name\":");
        if (!rc)
            rc = put_s(b, t->id[i]);
        if (!rc)
            rc = aib_buf_puts(b, ",\"kind\":\"tier\"},\"parents\":[]},");
    }
    for (i = 0; !rc && i < aib_alliance_country_count(e->al); i++) {
        rc = put_country(e, b, i, date, t, diag);
        if (!rc)
            rc = aib_buf_putc(b, ',');
    }
    for (i = 0; !rc && i < sizeof CLASSES / sizeof *CLASSES; i++)
        rc = aib_buf_printf(b, "{\"uid\":{\"type\":\"Aib::ItemClass\",\"id\":\"%s\"},"
                               "\"attrs\":{},\"parents\":[]},", CLASSES[i]);
    for (i = 0; !rc && i < aib_alliance_usml_count(e->al); i++) {
        const aib_alliance_usml_cat_t *u = aib_alliance_usml_at(e->al, i);
        char id[32];
        snprintf(id, sizeof id, "usml:%s", u->roman);
        rc = put_plain_item(b, id, "ITAR", u->roman, "USML");
        if (!rc)
            rc = aib_buf_putc(b, ',');
    }
    for (i = 0; !rc && i < aib_alliance_eccn_count(e->al); i++) {
        rc = put_eccn(b, aib_alliance_eccn_at(e->al, i));
        if (!rc)
            rc = aib_buf_putc(b, ',');
    }
    if (!rc)
        rc = put_plain_item(b, "EAR99", "EAR", "", "EAR99");
    if (!rc)
        rc = aib_buf_putc(b, ',');
    if (!rc)
        rc = put_plain_item(b, "information", "NONE", "", "INFO");
    return rc ? rc : aib_buf_putc(b, ']');
}

/* Collects the tiers defined by the packs (deduplicated by id). */
static void collect_tiers(const aib_determine_engine_t *e, tiers_t *t)
{
    size_t p, i, k;
    t->n = 0;
    for (p = 0; p < e->n_packs; p++)
        for (i = 0; i < e->packs[p].n_rules; i++) {
            const aib__det_rule_t *r = &e->packs[p].rules[i];
            bool dup = false;
            if (r->disabled || r->kind != AIB__DET_TIER)
                continue;
            for (k = 0; k < t->n; k++)
                dup |= !strcmp(t->id[k], r->tier);
            if (!dup && t->n < MAX_TIERS)
                t->id[t->n++] = r->tier;
        }
}

/* Evaluates every tier's criteria for every country on the first-pass store. */
static int eval_tiers(const aib_determine_engine_t *e, const aib_cedar_entities_t *es,
                      aib_alliance_date_t date, tiers_t *t)
{
    size_t nc = aib_alliance_country_count(e->al), ci, k, p, i;
    aib_arena_t *a = aib_arena_new(0);
    char err[256];
    int rc = 0;

    if (!a)
        return AIB_ENOMEM;
    t->met = calloc(nc ? nc * MAX_TIERS : 1, 1);
    if (!t->met) {
        aib_arena_free(a);
        return AIB_ENOMEM;
    }
    for (ci = 0; rc == 0 && ci < nc; ci++) {
        const aib_alliance_country_t *c = aib_alliance_country_at(e->al, ci);
        for (k = 0; rc == 0 && k < t->n; k++) {
            aib__request_t r;
            aib__field_t f;
            aib__record_t *rec = NULL;
            aib_str_t dup;
            bool all = true, any = false;
            char rid[128];

            aib_arena_reset(a);
            snprintf(rid, sizeof rid, "%s", t->id[k]);
            r.principal = aib__determine_uid(a, "Aib::Country", c->alpha3);
            r.action = aib__determine_uid(a, "Aib::Action", "qualify");
            r.resource = aib__determine_uid(a, "Aib::Tier", rid);
            f.key = AIB_STR_LIT("date");
            f.val = aib__v_long(date);
            rc = aib__record_make(a, &f, 1, &rec, &dup);
            if (rc || !r.principal || !r.action || !r.resource) {
                rc = rc ? rc : AIB_ENOMEM;
                break;
            }
            r.context.kind = AIB__V_RECORD;
            r.context.u.rec = rec;
            for (p = 0; p < e->n_packs; p++)
                for (i = 0; i < e->packs[p].n_rules; i++) {
                    const aib__det_rule_t *cr = &e->packs[p].rules[i];
                    int v;
                    if (cr->disabled || cr->kind != AIB__DET_CRITERION || strcmp(cr->tier, t->id[k]))
                        continue;
                    any = true;
                    v = aib__eval_policy(cr->p, es, &r, a, err, sizeof err);
                    if (v == AIB_ENOMEM) {
                        rc = v;
                        break;
                    }
                    if (v != 1)
                        all = false;
                }
            t->met[ci * MAX_TIERS + k] = (unsigned char)(any && all);
        }
    }
    aib_arena_free(a);
    return rc;
}

static int parse_store(const aib_determine_engine_t *e, aib_alliance_date_t date, const tiers_t *t,
                       aib_cedar_entities_t **out, aib_diag_t *diag)
{
    aib_buf_t b;
    char name[64];
    int rc;

    aib_buf_init(&b);
    rc = build_json(e, date, t, &b, diag);
    snprintf(name, sizeof name, "entities@%d", (int)date);
    if (!rc)
        rc = aib_cedar_entities_parse(b.data, b.len, name, e->schema, out, diag);
    aib_buf_free(&b);
    return rc;
}

int aib__determine_entities(aib_determine_engine_t *e, aib_alliance_date_t date,
                            const aib_cedar_entities_t **out, aib_diag_t *diag)
{
    size_t ep = epoch_of(e, date);
    aib_cedar_entities_t *first = NULL, *second = NULL;
    tiers_t t;
    int rc;

    if (e->epochs[ep].es) {
        *out = e->epochs[ep].es;
        return 0;
    }
    memset(&t, 0, sizeof t);
    collect_tiers(e, &t);
    rc = parse_store(e, date, &t, &first, diag);
    if (!rc && t.n) {
        rc = eval_tiers(e, first, date, &t);
        if (!rc)
            rc = parse_store(e, date, &t, &second, diag);
        aib_cedar_entities_free(first);
        first = NULL;
    } else {
        second = first;
        first = NULL;
    }
    free(t.met);
    if (rc)
        return rc;
    e->epochs[ep].es = second;
    *out = second;
    return 0;
}
