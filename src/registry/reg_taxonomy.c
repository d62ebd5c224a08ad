/* reg_taxonomy.c — the shared technology taxonomy (data/registry/taxonomy.json): area ids, names and
 * parents, loaded once and used to check record areas and to list areas for clients. The areas
 * and their sources are data; this file only reads them. */
#include "registry_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct aib_registry_taxonomy {
    aib_arena_t *arena;
    size_t n;
    const char **ids;     /* sorted by id for lookup */
    const char **names;
    const char **parents; /* NULL for top-level areas */
};

static int id_ok(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

static int find(const aib_registry_taxonomy_t *t, const char *id)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->ids[mid], id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int aib_registry_taxonomy_load_mem(const char *name, const char *json, size_t len,
                                   aib_registry_taxonomy_t **out, aib_diag_t *diag)
{
    aib_registry_taxonomy_t *t = NULL;
    json_error_t jerr;
    json_t *root = NULL, *areas;
    size_t i, j, n;
    int rc = AIB_EPARSE;

    *out = NULL;
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        aib_diag_set(diag, name, jerr.line, jerr.column, "%s", jerr.text);
        goto done;
    }
    areas = json_object_get(root, "areas");
    if (!json_is_array(areas) || json_array_size(areas) == 0 || json_array_size(areas) > 4096) {
        aib_diag_set(diag, name, 0, 0, "areas: expected a non-empty array (at most 4096)");
        goto done;
    }
    n = json_array_size(areas);
    rc = AIB_ENOMEM;
    t = calloc(1, sizeof(*t));
    if (!t || !(t->arena = aib_arena_new(0)))
        goto done;
    t->ids = aib_arena_calloc(t->arena, n, sizeof(char *));
    t->names = aib_arena_calloc(t->arena, n, sizeof(char *));
    t->parents = aib_arena_calloc(t->arena, n, sizeof(char *));
    if (!t->ids || !t->names || !t->parents)
        goto done;
    rc = AIB_EPARSE;
    for (i = 0; i < n; i++) {
        json_t *a = json_array_get(areas, i), *id, *nm, *par, *src;

        id = json_object_get(a, "id");
        nm = json_object_get(a, "name");
        par = json_object_get(a, "parent");
        src = json_object_get(a, "sources");
        if (!json_is_string(id) || !id_ok(json_string_value(id)) || !json_is_string(nm)) {
            aib_diag_set(diag, name, 0, 0, "areas[%zu]: needs an id ([a-z0-9.-], at most 64) and a name", i);
            goto done;
        }
        if (!json_is_array(src) || json_array_size(src) == 0) {
            aib_diag_set(diag, name, 0, 0, "areas[%zu] (%s): sources: at least one citation required", i,
                         json_string_value(id));
            goto done;
        }
        if (par && !json_is_string(par)) {
            aib_diag_set(diag, name, 0, 0, "areas[%zu]: parent must be an area id", i);
            goto done;
        }
        /* insertion into the sorted id array (n is small) */
        {
            const char *sid = aib_arena_strndup(t->arena, json_string_value(id), strlen(json_string_value(id)));
            const char *snm = aib_arena_strndup(t->arena, json_string_value(nm), strlen(json_string_value(nm)));
            const char *spar = par ? aib_arena_strndup(t->arena, json_string_value(par),
                                                       strlen(json_string_value(par))) : NULL;
            size_t k = t->n;

            if (!sid || !snm || (par && !spar)) {
                rc = AIB_ENOMEM;
                goto done;
            }
            if (find(t, sid) >= 0) {
                aib_diag_set(diag, name, 0, 0, "areas[%zu]: duplicate id `%s`", i, sid);
                goto done;
            }
            while (k > 0 && strcmp(t->ids[k - 1], sid) > 0) {
                t->ids[k] = t->ids[k - 1];
                t->names[k] = t->names[k - 1];
                t->parents[k] = t->parents[k - 1];
                k--;
            }
            t->ids[k] = sid;
            t->names[k] = snm;
            t->parents[k] = spar;
            t->n++;
        }
    }
    for (j = 0; j < t->n; j++)
        if (t->parents[j] && find(t, t->parents[j]) < 0) {
            aib_diag_set(diag, name, 0, 0, "area `%s`: unknown parent `%s`", t->ids[j], t->parents[j]);
            goto done;
        }
    *out = t;
    t = NULL;
    rc = 0;
done:
    json_decref(root);
    aib_registry_taxonomy_free(t);
    return rc;
}

int aib_registry_taxonomy_load(const char *path, aib_registry_taxonomy_t **out, aib_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    int rc = aib_read_file(path, &text, &len, diag);

    if (rc == 0)
        rc = aib_registry_taxonomy_load_mem(path, text, len, out, diag);
    free(text);
    return rc;
}

void aib_registry_taxonomy_free(aib_registry_taxonomy_t *t)
{
    if (!t)
        return;
    aib_arena_free(t->arena);
    free(t);
}

size_t aib_registry_taxonomy_count(const aib_registry_taxonomy_t *t)
{
    return t ? t->n : 0;
}

const char *aib_registry_taxonomy_area(const aib_registry_taxonomy_t *t, size_t i,
                                       const char **name, const char **parent)
{
    if (!t || i >= t->n)
        return NULL;
    if (name)
        *name = t->names[i];
    if (parent)
        *parent = t->parents[i];
    return t->ids[i];
}

bool aib_registry_taxonomy_has(const aib_registry_taxonomy_t *t, const char *id)
{
    return t && id && find(t, id) >= 0;
}
