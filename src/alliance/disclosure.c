/* disclosure.c — foreign-disclosure reference data from data/disclosure: classification levels
 * in order (E.O. 13526 and CUI under 32 CFR part 2002) and dissemination/control markings
 * (NOFORN, REL TO, CUI categories such as SP-EXPT). REL TO tetragraphs are groups (groups.c). */
#include "alliance/alliance_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const MARKING_KINDS[] = { "dissemination", "cui", "cui_category", NULL };

static int load_level(aib__alliance_ctx_t *c, json_t *e, const char *path,
                      const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "name", "abbrev", "rank", "classified", AIB__CITE_KEYS,
                                        NULL };
    aib_alliance_class_level_t *l;
    double rank;
    size_t i;
    int rc;

    if (!(l = aib_arena_calloc(c->a->arena, 1, sizeof(*l))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &l->cite)) ||
        (rc = aib__alliance_str(c, e, path, "name", true, &l->name)) ||
        (rc = aib__alliance_str(c, e, path, "abbrev", true, &l->abbrev)) ||
        (rc = aib__alliance_num(c, e, path, "rank", true, &rank, NULL)) ||
        (rc = aib__alliance_bool(c, e, path, "classified", &l->classified)))
        return rc;
    if (rank < 0 || rank > 100 || rank != (int)rank)
        return aib__alliance_err(c, path, "rank", "expected a whole number 0..100");
    l->rank = (int)rank;
    for (i = 0; i < c->a->levels.n; i++) {
        const aib_alliance_class_level_t *o = c->a->levels.v[i];
        if (o->rank == l->rank || !strcasecmp(o->name, l->name) ||
            !strcasecmp(o->abbrev, l->abbrev))
            return aib__alliance_err(c, path, NULL, "level `%s` repeats a name, abbreviation or "
                                     "rank", l->name);
    }
    return aib__alliance_vec_push(&c->a->levels, l);
}

static int load_marking(aib__alliance_ctx_t *c, json_t *e, const char *path,
                        const aib_alliance_cite_t *parent)
{
    static const char *const keys[] = { "id", "name", "kind", "meaning", "aliases",
                                        "forbids_foreign", AIB__CITE_KEYS, NULL };
    aib_alliance_marking_t *m;
    size_t i;
    int rc;

    if (!(m = aib_arena_calloc(c->a->arena, 1, sizeof(*m))))
        return AIB_ENOMEM;
    if ((rc = aib__alliance_keys(c, e, path, keys)) ||
        (rc = aib__alliance_cite(c, e, path, parent, &m->cite)) ||
        (rc = aib__alliance_str(c, e, path, "id", true, &m->id)) ||
        (rc = aib__alliance_str(c, e, path, "name", true, &m->name)) ||
        (rc = aib__alliance_str(c, e, path, "kind", true, &m->kind)) ||
        (rc = aib__alliance_str(c, e, path, "meaning", true, &m->meaning)) ||
        (rc = aib__alliance_strs(c, e, path, "aliases", &m->aliases, &m->n_aliases)) ||
        (rc = aib__alliance_bool(c, e, path, "forbids_foreign", &m->forbids_foreign)))
        return rc;
    for (i = 0; MARKING_KINDS[i] && strcmp(MARKING_KINDS[i], m->kind); i++)
        ;
    if (!MARKING_KINDS[i])
        return aib__alliance_err(c, path, "kind", "unknown marking kind `%s`", m->kind);
    if (aib_alliance_marking(c->a, m->id))
        return aib__alliance_err(c, path, "id", "marking `%s` defined twice", m->id);
    for (i = 0; i < m->n_aliases; i++)
        if (aib_alliance_marking(c->a, m->aliases[i]))
            return aib__alliance_err(c, path, "aliases", "`%s` already names a marking",
                                     m->aliases[i]);
    return aib__alliance_vec_push(&c->a->markings, m);
}

static int level_cmp(const void *x, const void *y)
{
    const aib_alliance_class_level_t *p = *(aib_alliance_class_level_t *const *)x;
    const aib_alliance_class_level_t *q = *(aib_alliance_class_level_t *const *)y;
    return p->rank - q->rank;
}

int aib__alliance_load_classification(aib__alliance_ctx_t *c, json_t *root)
{
    static const char *const top[] = { "kind", "levels", "markings", AIB__CITE_KEYS, NULL };
    aib_alliance_cite_t cite;
    json_t *levels, *markings;
    size_t i;
    int rc;

    if ((rc = aib__alliance_keys(c, root, "", top)) ||
        (rc = aib__alliance_cite(c, root, "", NULL, &cite)) ||
        (rc = aib__alliance_arr(c, root, "", "levels", &levels)) ||
        (rc = aib__alliance_arr(c, root, "", "markings", &markings)))
        return rc;
    for (i = 0; i < json_array_size(levels); i++) {
        char path[64];
        snprintf(path, sizeof(path), "levels[%zu]", i);
        if ((rc = load_level(c, json_array_get(levels, i), path, &cite)))
            return rc;
    }
    for (i = 0; i < json_array_size(markings); i++) {
        char path[64];
        snprintf(path, sizeof(path), "markings[%zu]", i);
        if ((rc = load_marking(c, json_array_get(markings, i), path, &cite)))
            return rc;
    }
    if (c->a->levels.n)
        qsort(c->a->levels.v, c->a->levels.n, sizeof(void *), level_cmp);
    return AIB_OK;
}

const aib_alliance_class_level_t *aib_alliance_class_level(const aib_alliance_t *a,
                                                           const char *name)
{
    size_t i;
    for (i = 0; a && name && i < a->levels.n; i++) {
        const aib_alliance_class_level_t *l = a->levels.v[i];
        if (!strcasecmp(l->name, name) || !strcasecmp(l->abbrev, name))
            return l;
    }
    return NULL;
}

size_t aib_alliance_class_level_count(const aib_alliance_t *a)
{
    return a ? a->levels.n : 0;
}

const aib_alliance_class_level_t *aib_alliance_class_level_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->levels.n ? a->levels.v[i] : NULL;
}

const aib_alliance_marking_t *aib_alliance_marking(const aib_alliance_t *a, const char *token)
{
    size_t i, j;
    for (i = 0; a && token && i < a->markings.n; i++) {
        const aib_alliance_marking_t *m = a->markings.v[i];
        if (!strcasecmp(m->id, token))
            return m;
        for (j = 0; j < m->n_aliases; j++)
            if (!strcasecmp(m->aliases[j], token))
                return m;
    }
    return NULL;
}

size_t aib_alliance_marking_count(const aib_alliance_t *a)
{
    return a ? a->markings.n : 0;
}

const aib_alliance_marking_t *aib_alliance_marking_at(const aib_alliance_t *a, size_t i)
{
    return a && i < a->markings.n ? a->markings.v[i] : NULL;
}
