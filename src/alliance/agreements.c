/* agreements.c — bilateral agreements with the United States (GSOMIA, ACSA, RDP MoU, CISMOA/
 * COMCASA, BECA, SOSA...) and per-country protection profiles (investment screening, industrial
 * security, information-sharing readiness), loaded from data/alliance and queried by country. */
#include "alliance/alliance_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const STATUSES[] = { "in_force", "signed", "negotiating", "expired", "none",
                                        NULL };

static bool in_list(const char *const *list, const char *s)
{
    size_t i;
    for (i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

static int load_agreement(aib__alliance_ctx_t *c, json_t *e, const char *path,
                          const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "country", "type", "name", "status", "signed", "in_force",
                                        "ended", AIB__CITE_KEYS, NULL };
    aib_alliance_agreement_t *ag;
    aib_alliance_country_t *co;
    const char *cc;
    int rc;

    if (!(ag = aib_arena_calloc(c->a->arena, 1, sizeof(*ag))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &ag->cite)) ||
        (rc = aib__alliance_str(c, e, path, "country", true, &cc)) ||
        (rc = aib__alliance_str(c, e, path, "type", true, &ag->type)) ||
        (rc = aib__alliance_str(c, e, path, "name", false, &ag->name)) ||
        (rc = aib__alliance_str(c, e, path, "status", true, &ag->status)) ||
        (rc = aib__alliance_date(c, e, path, "signed", false, &ag->signed_on)) ||
        (rc = aib__alliance_date(c, e, path, "in_force", false, &ag->in_force)) ||
        (rc = aib__alliance_date(c, e, path, "ended", false, &ag->ended)))
        return rc;
    if (!(co = aib__alliance_country_find(c->a, cc)))
        return aib__alliance_err(c, path, "country", "unknown country `%s`", cc);
    ag->country = co->alpha3;
    if (!in_list(STATUSES, ag->status))
        return aib__alliance_err(c, path, "status", "unknown status `%s`", ag->status);
    if (!strcmp(ag->status, "in_force") && !ag->in_force && !ag->signed_on && !ag->cite.unsure)
        return aib__alliance_err(c, path, "in_force",
                                 "an agreement in force needs a date (or \"unsure\": true)");
    if (ag->ended && ag->in_force && ag->ended < ag->in_force)
        return aib__alliance_err(c, path, "ended", "ends before it enters into force");
    return aib__alliance_vec_push(&c->a->agreements, ag);
}

int aib__alliance_load_agreements(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "types", "agreements", AIB__CITE_KEYS, NULL };
    aib_alliance_cite_t cite;
    json_t *arr, *types;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) ||
        (rc = aib__alliance_cite(c, root, "", NULL, &cite)) ||
        (rc = aib__alliance_arr(c, root, "", "agreements", &arr)))
        return rc;
    types = json_object_get(root, "types"); /* documentation of the type codes: an object */
    if (types && !json_is_object(types))
        return aib__alliance_err(c, "", "types", "expected an object of type -> description");
    for (i = 0; i < json_array_size(arr); i++) {
        char path[64];
        json_t *e = json_array_get(arr, i);
        const char *t;
        snprintf(path, sizeof(path), "agreements[%zu]", i);
        if ((rc = load_agreement(c, e, path, &cite)))
            return rc;
        t = ((aib_alliance_agreement_t *)c->a->agreements.v[c->a->agreements.n - 1])->type;
        if (types && !json_object_get(types, t))
            return aib__alliance_err(c, path, "type", "type `%s` is not described in \"types\"", t);
    }
    return AIB_OK;
}

static int load_fact(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                     const aib_alliance_cite_t *parent, aib_alliance_fact_t *f)
{
    static const char *const keys[] = { "value", "number", AIB__CITE_KEYS, NULL };
    json_t *e = json_object_get(obj, key);
    char fp[160];
    int rc;

    memset(f, 0, sizeof(*f));
    if (!e)
        return AIB_OK;
    snprintf(fp, sizeof(fp), "%s.%s", path, key);
    if ((rc = aib__alliance_keys(c, e, fp, keys)) ||
        (rc = aib__alliance_cite(c, e, fp, parent, &f->cite)) ||
        (rc = aib__alliance_str(c, e, fp, "value", true, &f->value)) ||
        (rc = aib__alliance_num(c, e, fp, "number", false, &f->number, &f->has_number)))
        return rc;
    return AIB_OK;
}

int aib__alliance_load_profiles(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "profiles", AIB__CITE_KEYS, NULL };
    static const char *const keys[] = { "country", "investment_screening", "screening_threshold",
                                        "screening_mandatory", "industrial_security",
                                        "information_sharing", "export_control_law",
                                        AIB__CITE_KEYS, NULL };
    aib_alliance_cite_t cite, pc;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) ||
        (rc = aib__alliance_cite(c, root, "", NULL, &cite)) ||
        (rc = aib__alliance_arr(c, root, "", "profiles", &arr)))
        return rc;
    for (i = 0; i < json_array_size(arr); i++) {
        char path[64];
        json_t *e = json_array_get(arr, i);
        aib_alliance_profile_t *p;
        aib_alliance_country_t *co;
        const char *cc;
        size_t j;
        snprintf(path, sizeof(path), "profiles[%zu]", i);
        if (!(p = aib_arena_calloc(c->a->arena, 1, sizeof(*p))))
            return AIB_ENOMEM;
        if ((rc = aib__alliance_keys(c, e, path, keys)) ||
            (rc = aib__alliance_cite(c, e, path, &cite, &pc)) ||
            (rc = aib__alliance_str(c, e, path, "country", true, &cc)))
            return rc;
        if (!(co = aib__alliance_country_find(c->a, cc)))
            return aib__alliance_err(c, path, "country", "unknown country `%s`", cc);
        p->country = co->alpha3;
        for (j = 0; j < c->a->profiles.n; j++)
            if (!strcmp(((aib_alliance_profile_t *)c->a->profiles.v[j])->country, p->country))
                return aib__alliance_err(c, path, "country", "second profile for %s", p->country);
        if ((rc = load_fact(c, e, path, "investment_screening", &pc, &p->investment_screening)) ||
            (rc = load_fact(c, e, path, "screening_threshold", &pc, &p->screening_threshold)) ||
            (rc = load_fact(c, e, path, "screening_mandatory", &pc, &p->screening_mandatory)) ||
            (rc = load_fact(c, e, path, "industrial_security", &pc, &p->industrial_security)) ||
            (rc = load_fact(c, e, path, "information_sharing", &pc, &p->information_sharing)) ||
            (rc = load_fact(c, e, path, "export_control_law", &pc, &p->export_control_law)))
            return rc;
        if ((rc = aib__alliance_vec_push(&c->a->profiles, p)))
            return rc;
    }
    return AIB_OK;
}

/* ---- Queries ------------------------------------------------------------------------------- */

const aib_alliance_agreement_t *aib_alliance_agreements(const aib_alliance_t *a,
                                                        const char *country, size_t *n)
{
    const aib_alliance_country_t *co = aib_alliance_country(a, country);
    size_t lo = 0, hi, i;

    *n = 0;
    if (!co || !a->agreement_arr)
        return NULL;
    hi = a->n_agreement_arr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(a->agreement_arr[mid].country, co->alpha3) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < a->n_agreement_arr && !strcmp(a->agreement_arr[i].country, co->alpha3); i++)
        ;
    *n = i - lo;
    return *n ? &a->agreement_arr[lo] : NULL;
}

const aib_alliance_agreement_t *aib_alliance_agreement_in_force(const aib_alliance_t *a,
                                                                const char *country,
                                                                const char *type,
                                                                aib_alliance_date_t date)
{
    size_t n, i;
    const aib_alliance_agreement_t *ags = aib_alliance_agreements(a, country, &n);

    if (!date)
        date = aib_alliance_date_today();
    for (i = 0; i < n; i++) {
        const aib_alliance_agreement_t *g = &ags[i];
        aib_alliance_date_t start = g->in_force ? g->in_force : g->signed_on;
        if (strcasecmp(g->type, type))
            continue;
        if (strcmp(g->status, "in_force") && strcmp(g->status, "expired"))
            continue;
        if (start && date < start)
            continue;
        if (g->ended && date >= g->ended)
            continue;
        if (!strcmp(g->status, "expired") && !g->ended)
            continue;
        return g;
    }
    return NULL;
}

const aib_alliance_profile_t *aib_alliance_profile(const aib_alliance_t *a, const char *country)
{
    const aib_alliance_country_t *co = aib_alliance_country(a, country);
    size_t lo = 0, hi;

    if (!co)
        return NULL;
    hi = a->profiles.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const aib_alliance_profile_t *p = a->profiles.v[mid];
        int cmp = strcmp(p->country, co->alpha3);
        if (cmp == 0)
            return p;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t aib_alliance_profile_count(const aib_alliance_t *a)
{
    return a ? a->profiles.n : 0;
}

const aib_alliance_profile_t *aib_alliance_profile_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->profiles.n ? a->profiles.v[i] : NULL;
}
