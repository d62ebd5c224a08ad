/* groups.c — groupings of countries with dated memberships (alliances, regimes, EAR country
 * groups, ITAR §126.1, REL TO tetragraphs) and the queries that resolve a group token to its
 * members as of a date. Composite groups include other groups, resolved on the same date. */
#include "alliance/alliance_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 8

static const char *const GROUP_KINDS[] = { "alliance", "partnership", "statutory", "regime",
                                           "union", "ear_country_group", "itar_proscribed",
                                           "tetragraph", "derived", NULL };

/* Group tokens compare upper-cased with runs of blanks as one space. */
static void group_key(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    bool sp = false;

    while (*s == ' ')
        s++;
    for (; *s && o + 2 < cap; s++) {
        if (*s == ' ' || *s == '\t') {
            sp = true;
            continue;
        }
        if (sp && o)
            out[o++] = ' ';
        sp = false;
        out[o++] = (char)toupper((unsigned char)*s);
    }
    out[o] = '\0';
}

static int index_group(aib_alliance_t *a, aib_alliance_group_t *g, const char *token,
                       const char *origin)
{
    char key[128];
    const char *k;

    group_key(token, key, sizeof(key));
    if (!(k = aib__alliance_strdup(a, key)))
        return AIB_ENOMEM;
    return aib__alliance_index_add(&a->group_ix, k, g, 0, origin);
}

static int member_cmp(const void *x, const void *y)
{
    const aib_alliance_membership_t *p = x, *q = y;
    int c = strcmp(p->country, q->country);
    if (c)
        return c;
    return (p->from > q->from) - (p->from < q->from);
}

/* Registers a fully built group (also used by the EAR country-group loader). */
static int add_group(aib__alliance_ctx_t *c, const char *path, aib_alliance_group_t *g)
{
    size_t i;
    int rc;

    if (g->n_members)
        qsort((void *)g->members, g->n_members, sizeof(*g->members), member_cmp);
    for (i = 0; i + 1 < g->n_members; i++) {
        const aib_alliance_membership_t *p = &g->members[i], *q = &g->members[i + 1];
        if (!strcmp(p->country, q->country) && (p->until == 0 || p->until >= q->from))
            return aib__alliance_err(c, path, "members", "overlapping memberships of %s",
                                     p->country);
    }
    if ((rc = aib__alliance_vec_push(&c->a->groups, g)) ||
        (rc = index_group(c->a, g, g->id, c->file)))
        return rc;
    for (i = 0; i < g->n_aliases; i++)
        if ((rc = index_group(c->a, g, g->aliases[i], c->file)))
            return rc;
    return AIB_OK;
}

static int load_member(aib__alliance_ctx_t *c, json_t *e, const char *path,
                       const aib_alliance_group_t *g, aib_alliance_membership_t *m)
{
    static const char *const keys[] = { "country", "from", "until", "status", AIB__CITE_KEYS,
                                        NULL };
    const char *cc;
    aib_alliance_country_t *co;
    int rc;

    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, &g->cite, &m->cite)) ||
        (rc = aib__alliance_str(c, e, path, "country", true, &cc)) ||
        (rc = aib__alliance_date(c, e, path, "from", false, &m->from)) ||
        (rc = aib__alliance_date(c, e, path, "until", false, &m->until)) ||
        (rc = aib__alliance_str(c, e, path, "status", false, &m->status)))
        return rc;
    if (!(co = aib__alliance_country_find(c->a, cc)))
        return aib__alliance_err(c, path, "country", "unknown country `%s`", cc);
    m->country = co->alpha3;
    if (m->until && m->from > m->until)
        return aib__alliance_err(c, path, "until", "ends before it starts");
    if (!g->snapshot && !m->from && !m->cite.unsure)
        return aib__alliance_err(c, path, "from",
                                 "a dated group needs a start date (or \"unsure\": true)");
    return AIB_OK;
}

static int load_group(aib__alliance_ctx_t *c, json_t *e, const char *path,
                      const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "id", "name", "kind", "aliases", "description",
                                        "snapshot", "members", "includes", AIB__CITE_KEYS, NULL };
    aib_alliance_group_t *g;
    json_t *arr;
    size_t i;
    int rc;

    if (!(g = aib_arena_calloc(c->a->arena, 1, sizeof(*g))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_str(c, e, path, "id", true, &g->id)) ||
        (rc = aib__alliance_str(c, e, path, "name", true, &g->name)) ||
        (rc = aib__alliance_str(c, e, path, "kind", true, &g->kind)) ||
        (rc = aib__alliance_str(c, e, path, "description", false, &g->description)) ||
        (rc = aib__alliance_strs(c, e, path, "aliases", &g->aliases, &g->n_aliases)) ||
        (rc = aib__alliance_strs(c, e, path, "includes", &g->includes, &g->n_includes)) ||
        (rc = aib__alliance_bool(c, e, path, "snapshot", &g->snapshot)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &g->cite)))
        return rc;
    for (i = 0; GROUP_KINDS[i]; i++)
        if (!strcmp(GROUP_KINDS[i], g->kind))
            break;
    if (!GROUP_KINDS[i])
        return aib__alliance_err(c, path, "kind", "unknown group kind `%s`", g->kind);
    arr = json_object_get(e, "members");
    if (arr && !json_is_array(arr))
        return aib__alliance_err(c, path, "members", "expected an array");
    if (!arr && !g->n_includes)
        return aib__alliance_err(c, path, "members", "a group needs members or includes");
    if (arr && json_array_size(arr)) {
        aib_alliance_membership_t *ms =
            aib_arena_calloc(c->a->arena, json_array_size(arr), sizeof(*ms));
        if (!ms)
            return AIB_ENOMEM;
        for (i = 0; i < json_array_size(arr); i++) {
            char mp[160];
            snprintf(mp, sizeof(mp), "%s.members[%zu]", path, i);
            if ((rc = load_member(c, json_array_get(arr, i), mp, g, &ms[i])))
                return rc;
        }
        g->members = ms;
        g->n_members = i;
    }
    return add_group(c, path, g);
}

int aib__alliance_load_groups(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "groups", AIB__CITE_KEYS, NULL };
    aib_alliance_cite_t cite, *parent = NULL;
    json_t *arr;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) || (rc = aib__alliance_arr(c, root, "", "groups", &arr)))
        return rc;
    if (json_object_get(root, "citation")) {
        if ((rc = aib__alliance_cite(c, root, "", NULL, &cite)))
            return rc;
        parent = &cite;
    }
    for (i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "groups[%zu]", i);
        if ((rc = load_group(c, json_array_get(arr, i), path, parent)))
            return rc;
    }
    return AIB_OK;
}

/* Used by ear.c for the undated EAR country groups. */
int aib__alliance_add_group(aib__alliance_ctx_t *c, const char *path, aib_alliance_group_t *g)
{
    return add_group(c, path, g);
}

static int check_cycles(const aib_alliance_t *a, const aib_alliance_group_t *g, int depth,
                        aib_diag_t *diag)
{
    size_t i;

    if (depth > MAX_INCLUDE_DEPTH) {
        aib_diag_set(diag, "", 0, 0, "group `%s`: includes nest too deep or form a cycle", g->id);
        return AIB_EINVAL;
    }
    for (i = 0; i < g->n_includes; i++) {
        const aib_alliance_group_t *in = aib_alliance_group(a, g->includes[i]);
        int rc;
        if (!in) {
            aib_diag_set(diag, "", 0, 0, "group `%s` includes unknown group `%s`", g->id,
                         g->includes[i]);
            return AIB_EINVAL;
        }
        if ((rc = check_cycles(a, in, depth + 1, diag)))
            return rc;
    }
    return AIB_OK;
}

int aib__alliance_groups_finish(aib_alliance_t *a, aib_diag_t *diag)
{
    size_t i;
    int rc;

    if ((rc = aib__alliance_index_finish(&a->group_ix, "group token", diag)))
        return rc;
    for (i = 0; i < a->groups.n; i++)
        if ((rc = check_cycles(a, a->groups.v[i], 0, diag)))
            return rc;
    return AIB_OK;
}

/* ---- Queries ------------------------------------------------------------------------------- */

const aib_alliance_group_t *aib_alliance_group(const aib_alliance_t *a, const char *token)
{
    char key[128];

    if (!a || !token)
        return NULL;
    group_key(token, key, sizeof(key));
    return aib__alliance_index_get(&a->group_ix, key);
}

size_t aib_alliance_group_count(const aib_alliance_t *a)
{
    return a ? a->groups.n : 0;
}

const aib_alliance_group_t *aib_alliance_group_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->groups.n ? a->groups.v[i] : NULL;
}

static bool applies(const aib_alliance_group_t *g, const aib_alliance_membership_t *m,
                    aib_alliance_date_t date)
{
    if (g->snapshot)
        return true;
    return (m->from == 0 || m->from <= date) && (m->until == 0 || date <= m->until);
}

/* The membership of country (alpha-3) in g on date, direct first, then through includes. */
static const aib_alliance_membership_t *find_member(const aib_alliance_t *a,
                                                    const aib_alliance_group_t *g,
                                                    const char *alpha3, aib_alliance_date_t date,
                                                    int depth)
{
    size_t lo = 0, hi = g->n_members, i;

    while (lo < hi) { /* first membership of the country */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->members[mid].country, alpha3) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < g->n_members && !strcmp(g->members[i].country, alpha3); i++)
        if (applies(g, &g->members[i], date))
            return &g->members[i];
    if (depth >= MAX_INCLUDE_DEPTH)
        return NULL;
    for (i = 0; i < g->n_includes; i++) {
        const aib_alliance_group_t *in = aib_alliance_group(a, g->includes[i]);
        const aib_alliance_membership_t *m;
        if (in && (m = find_member(a, in, alpha3, date, depth + 1)))
            return m;
    }
    return NULL;
}

/* Collects candidate countries (direct and included) into vec. */
static int collect(const aib_alliance_t *a, const aib_alliance_group_t *g, int depth,
                   aib__alliance_vec_t *vec)
{
    size_t i;
    int rc;

    for (i = 0; i < g->n_members; i++)
        if ((rc = aib__alliance_vec_push(vec, (void *)g->members[i].country)))
            return rc;
    if (depth >= MAX_INCLUDE_DEPTH)
        return AIB_OK;
    for (i = 0; i < g->n_includes; i++) {
        const aib_alliance_group_t *in = aib_alliance_group(a, g->includes[i]);
        if (in && (rc = collect(a, in, depth + 1, vec)))
            return rc;
    }
    return AIB_OK;
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int aib_alliance_group_members(const aib_alliance_t *a, const char *group, aib_alliance_date_t date,
                               const aib_alliance_membership_t **out, size_t cap, size_t *n,
                               aib_diag_t *diag)
{
    const aib_alliance_group_t *g = aib_alliance_group(a, group);
    aib__alliance_vec_t cand = { 0 };
    size_t i, k = 0;
    int rc = AIB_OK;

    *n = 0;
    if (!g) {
        aib_diag_set(diag, "", 0, 0, "unknown group `%s`", group ? group : "");
        return AIB_ENOTFOUND;
    }
    if (!date)
        date = aib_alliance_date_today();
    if ((rc = collect(a, g, 0, &cand)))
        goto done;
    if (cand.n)
        qsort(cand.v, cand.n, sizeof(void *), str_cmp);
    for (i = 0; i < cand.n; i++) {
        const aib_alliance_membership_t *m;
        if (i && !strcmp(cand.v[i], cand.v[i - 1]))
            continue;
        if ((m = find_member(a, g, cand.v[i], date, 0))) {
            if (k < cap)
                out[k] = m;
            k++;
        }
    }
    *n = k;
    if (k > cap)
        rc = AIB_ELIMIT;
done:
    aib__alliance_vec_free(&cand);
    return rc;
}

bool aib_alliance_is_member(const aib_alliance_t *a, const char *group, const char *country,
                            aib_alliance_date_t date, const aib_alliance_membership_t **m)
{
    const aib_alliance_group_t *g = aib_alliance_group(a, group);
    const aib_alliance_country_t *co = aib_alliance_country(a, country);
    const aib_alliance_membership_t *hit;

    if (m)
        *m = NULL;
    if (!g || !co)
        return false;
    hit = find_member(a, g, co->alpha3, date ? date : aib_alliance_date_today(), 0);
    if (m)
        *m = hit;
    return hit != NULL;
}

int aib_alliance_country_groups(const aib_alliance_t *a, const char *country,
                                aib_alliance_date_t date, aib_alliance_group_hit_t *out,
                                size_t cap, size_t *n, aib_diag_t *diag)
{
    const aib_alliance_country_t *co = aib_alliance_country(a, country);
    size_t i, k = 0;

    *n = 0;
    if (!co) {
        aib_diag_set(diag, "", 0, 0, "unknown country `%s`", country ? country : "");
        return AIB_ENOTFOUND;
    }
    if (!date)
        date = aib_alliance_date_today();
    for (i = 0; i < a->groups.n; i++) {
        const aib_alliance_group_t *g = a->groups.v[i];
        const aib_alliance_membership_t *m = find_member(a, g, co->alpha3, date, 0);
        if (!m)
            continue;
        if (k < cap) {
            out[k].group = g;
            out[k].membership = m;
        }
        k++;
    }
    *n = k;
    return k > cap ? AIB_ELIMIT : AIB_OK;
}

/* Adds one alpha-3 to the expansion (kept distinct; sorted at the end). */
static int expand_add(const char **out, size_t cap, size_t *k, const char *alpha3)
{
    size_t i;

    for (i = 0; i < *k && i < cap; i++)
        if (!strcmp(out[i], alpha3))
            return AIB_OK;
    if (*k < cap)
        out[*k] = alpha3;
    (*k)++;
    return AIB_OK;
}

static int expand_token(const aib_alliance_t *a, const char *tok, aib_alliance_date_t date,
                        const char **out, size_t cap, size_t *k)
{
    const aib_alliance_country_t *co = aib_alliance_country(a, tok);
    const aib_alliance_group_t *g;
    aib__alliance_vec_t cand = { 0 };
    size_t i;
    int rc = AIB_OK;

    if (co)
        return expand_add(out, cap, k, co->alpha3);
    if (!(g = aib_alliance_group(a, tok)))
        return AIB_ENOTFOUND;
    if ((rc = collect(a, g, 0, &cand)))
        goto done;
    for (i = 0; i < cand.n; i++)
        if (find_member(a, g, cand.v[i], date, 0))
            expand_add(out, cap, k, cand.v[i]);
done:
    aib__alliance_vec_free(&cand);
    return rc;
}

int aib_alliance_expand(const aib_alliance_t *a, const char *list, aib_alliance_date_t date,
                        const char **out, size_t cap, size_t *n, aib_diag_t *diag)
{
    char buf[1024];
    size_t k = 0, len;
    char *save = NULL, *tok;
    int rc = AIB_OK;

    *n = 0;
    if (!list || (len = strlen(list)) >= sizeof(buf)) {
        aib_diag_set(diag, "", 0, 0, "release list missing or longer than %zu bytes", sizeof(buf) - 1);
        return AIB_EINVAL;
    }
    if (!date)
        date = aib_alliance_date_today();
    memcpy(buf, list, len + 1);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *s = tok, *e;
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (!*s)
            continue;
        rc = expand_token(a, s, date, out, cap, &k);
        if (rc == AIB_ENOTFOUND && strchr(s, ' ')) {
            /* "USA GBR NATO": blank-separated tokens */
            char *save2 = NULL, *t2;
            rc = AIB_OK;
            for (t2 = strtok_r(s, " \t", &save2); t2 && rc == AIB_OK;
                 t2 = strtok_r(NULL, " \t", &save2)) {
                rc = expand_token(a, t2, date, out, cap, &k);
                if (rc == AIB_ENOTFOUND)
                    aib_diag_set(diag, "", 0, 0, "unknown country or group `%s`", t2);
            }
        } else if (rc == AIB_ENOTFOUND) {
            aib_diag_set(diag, "", 0, 0, "unknown country or group `%s`", s);
        }
        if (rc)
            return rc;
    }
    *n = k;
    if (k > cap)
        return AIB_ELIMIT;
    if (k)
        qsort(out, k, sizeof(*out), str_cmp);
    return AIB_OK;
}
