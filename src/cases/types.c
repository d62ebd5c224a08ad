/* types.c — loads the case types (data/cases/<type>.json) and data/cases/config.json into an
 * aib_cases_t and checks them: unique ids, a known initial stage, transitions that name real
 * stages, terminal stages without exits and other stages with at least one. Also the public
 * load/free/introspection functions. */
#include "cases_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kinds[] = { "string", "strings", "nation", "nations", "date", "integer",
                                     "boolean", NULL };

static int64_t system_now(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t aib__cases_now(const aib_cases_t *cs) { return cs->now_fn(cs->now_ctx); }

static const char *dup(aib_cases_t *cs, const char *s)
{
    return aib_arena_strndup(cs->arena, s, strlen(s));
}

/* A required string member; error names the path. */
static int get_str(json_t *o, const char *key, const char *file, const char *path, int required,
                   const char **out, aib_cases_t *cs, aib_diag_t *diag)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) {
        if (!required)
            return AIB_OK;
        aib_diag_set(diag, file, 0, 0, "%s%s: required", path, key);
        return AIB_ESCHEMA;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        aib_diag_set(diag, file, 0, 0, "%s%s: expected a non-empty string", path, key);
        return AIB_ESCHEMA;
    }
    *out = dup(cs, json_string_value(v));
    return *out ? AIB_OK : AIB_ENOMEM;
}

static int load_stage(aib_cases_t *cs, json_t *js, size_t i, const char *file,
                      aib_case_stage_def_t *st, aib_diag_t *diag)
{
    char path[64];
    json_t *next, *v;
    size_t k;
    int rc;

    snprintf(path, sizeof(path), "stages[%zu].", i);
    if (!json_is_object(js)) {
        aib_diag_set(diag, file, 0, 0, "stages[%zu]: expected an object", i);
        return AIB_ESCHEMA;
    }
    if ((rc = get_str(js, "id", file, path, 1, &st->id, cs, diag)) ||
        (rc = get_str(js, "name", file, path, 1, &st->name, cs, diag)) ||
        (rc = get_str(js, "owner", file, path, 1, &st->owner, cs, diag)))
        return rc;
    v = json_object_get(js, "terminal");
    if (v && !json_is_boolean(v)) {
        aib_diag_set(diag, file, 0, 0, "%sterminal: expected true or false", path);
        return AIB_ESCHEMA;
    }
    st->terminal = v && json_is_true(v);
    v = json_object_get(js, "target_hours");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > 24 * 3650) {
            aib_diag_set(diag, file, 0, 0, "%starget_hours: expected a positive integer", path);
            return AIB_ESCHEMA;
        }
        st->target_ms = (int64_t)json_integer_value(v) * 3600 * 1000;
    }
    next = json_object_get(js, "next");
    if (next && !json_is_array(next)) {
        aib_diag_set(diag, file, 0, 0, "%snext: expected an array of stage ids", path);
        return AIB_ESCHEMA;
    }
    st->n_next = next ? json_array_size(next) : 0;
    st->next = aib_arena_calloc(cs->arena, st->n_next + 1, sizeof(char *));
    if (!st->next)
        return AIB_ENOMEM;
    for (k = 0; k < st->n_next; k++) {
        v = json_array_get(next, k);
        if (!json_is_string(v)) {
            aib_diag_set(diag, file, 0, 0, "%snext[%zu]: expected a stage id", path, k);
            return AIB_ESCHEMA;
        }
        st->next[k] = dup(cs, json_string_value(v));
        if (!st->next[k])
            return AIB_ENOMEM;
    }
    if (st->terminal && st->n_next) {
        aib_diag_set(diag, file, 0, 0, "%snext: a terminal stage has no transitions", path);
        return AIB_ESCHEMA;
    }
    if (!st->terminal && !st->n_next) {
        aib_diag_set(diag, file, 0, 0, "%snext: a stage that is not terminal needs a transition", path);
        return AIB_ESCHEMA;
    }
    return AIB_OK;
}

static int load_type(aib_cases_t *cs, const char *file, json_t *root, aib_case_type_def_t *t,
                     aib_diag_t *diag)
{
    json_t *arr, *v;
    size_t i, k;
    int rc;

    if (!json_is_object(root)) {
        aib_diag_set(diag, file, 1, 1, "expected a JSON object describing a case type");
        return AIB_ESCHEMA;
    }
    if ((rc = get_str(root, "id", file, "", 1, &t->id, cs, diag)) ||
        (rc = get_str(root, "name", file, "", 1, &t->name, cs, diag)) ||
        (rc = get_str(root, "initial", file, "", 1, &t->initial, cs, diag)) ||
        (rc = get_str(root, "source", file, "", 1, &t->source, cs, diag)))
        return rc;
    arr = json_object_get(root, "subtypes");
    if (arr && !json_is_array(arr)) {
        aib_diag_set(diag, file, 0, 0, "subtypes: expected an array");
        return AIB_ESCHEMA;
    }
    t->n_subtypes = arr ? json_array_size(arr) : 0;
    t->subtypes = aib_arena_calloc(cs->arena, t->n_subtypes + 1, sizeof(char *));
    if (!t->subtypes)
        return AIB_ENOMEM;
    for (i = 0; i < t->n_subtypes; i++) {
        char path[48];
        snprintf(path, sizeof(path), "subtypes[%zu].", i);
        if ((rc = get_str(json_array_get(arr, i), "id", file, path, 1, &t->subtypes[i], cs, diag)))
            return rc;
    }
    arr = json_object_get(root, "stages");
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        aib_diag_set(diag, file, 0, 0, "stages: expected a non-empty array");
        return AIB_ESCHEMA;
    }
    t->n_stages = json_array_size(arr);
    t->stages = aib_arena_calloc(cs->arena, t->n_stages, sizeof(*t->stages));
    if (!t->stages)
        return AIB_ENOMEM;
    for (i = 0; i < t->n_stages; i++) {
        if ((rc = load_stage(cs, json_array_get(arr, i), i, file, &t->stages[i], diag)))
            return rc;
        for (k = 0; k < i; k++)
            if (!strcmp(t->stages[k].id, t->stages[i].id)) {
                aib_diag_set(diag, file, 0, 0, "stages[%zu].id: duplicate stage `%s`", i, t->stages[i].id);
                return AIB_ESCHEMA;
            }
    }
    for (i = 0; i < t->n_stages; i++)
        for (k = 0; k < t->stages[i].n_next; k++)
            if (!aib__cases_stage(t, t->stages[i].next[k])) {
                aib_diag_set(diag, file, 0, 0, "stages[%zu].next[%zu]: unknown stage `%s`", i, k,
                             t->stages[i].next[k]);
                return AIB_ESCHEMA;
            }
    if (!aib__cases_stage(t, t->initial)) {
        aib_diag_set(diag, file, 0, 0, "initial: unknown stage `%s`", t->initial);
        return AIB_ESCHEMA;
    }
    arr = json_object_get(root, "fields");
    if (arr && !json_is_array(arr)) {
        aib_diag_set(diag, file, 0, 0, "fields: expected an array");
        return AIB_ESCHEMA;
    }
    t->n_fields = arr ? json_array_size(arr) : 0;
    t->fields = aib_arena_calloc(cs->arena, t->n_fields + 1, sizeof(*t->fields));
    if (!t->fields)
        return AIB_ENOMEM;
    for (i = 0; i < t->n_fields; i++) {
        char path[48];
        json_t *f = json_array_get(arr, i);
        snprintf(path, sizeof(path), "fields[%zu].", i);
        if (!json_is_object(f)) {
            aib_diag_set(diag, file, 0, 0, "fields[%zu]: expected an object", i);
            return AIB_ESCHEMA;
        }
        if ((rc = get_str(f, "name", file, path, 1, &t->fields[i].name, cs, diag)) ||
            (rc = get_str(f, "kind", file, path, 1, &t->fields[i].kind, cs, diag)))
            return rc;
        for (k = 0; kinds[k] && strcmp(kinds[k], t->fields[i].kind); k++)
            ;
        if (!kinds[k]) {
            aib_diag_set(diag, file, 0, 0, "%skind: unknown kind `%s`", path, t->fields[i].kind);
            return AIB_ESCHEMA;
        }
        if (!strcmp(t->fields[i].name, "coverage")) {
            aib_diag_set(diag, file, 0, 0, "%sname: `coverage` is derived and cannot be declared", path);
            return AIB_ESCHEMA;
        }
        v = json_object_get(f, "required");
        t->fields[i].required = v && json_is_true(v);
        for (k = 0; k < i; k++)
            if (!strcmp(t->fields[k].name, t->fields[i].name)) {
                aib_diag_set(diag, file, 0, 0, "%sname: duplicate field `%s`", path, t->fields[i].name);
                return AIB_ESCHEMA;
            }
    }
    return AIB_OK;
}

static int load_json_file(const char *path, json_t **out, aib_diag_t *diag)
{
    json_error_t err;
    *out = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!*out) {
        aib_diag_set(diag, path, err.line, err.column, "%s", err.text);
        return AIB_EPARSE;
    }
    return AIB_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_config(aib_cases_t *cs, const char *path, aib_diag_t *diag)
{
    json_t *root = NULL, *g, *v;
    size_t i;
    int rc = load_json_file(path, &root, diag);

    if (rc)
        return rc;
    cs->default_term_years = 10;
    g = json_object_get(root, "groups");
    if (g && !json_is_array(g)) {
        aib_diag_set(diag, path, 0, 0, "groups: expected an array of group names");
        rc = AIB_ESCHEMA;
        goto done;
    }
    cs->n_groups = g ? json_array_size(g) : 0;
    cs->groups = aib_arena_calloc(cs->arena, cs->n_groups + 1, sizeof(char *));
    if (!cs->groups) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < cs->n_groups; i++) {
        v = json_array_get(g, i);
        if (!json_is_string(v)) {
            aib_diag_set(diag, path, 0, 0, "groups[%zu]: expected a group name", i);
            rc = AIB_ESCHEMA;
            goto done;
        }
        cs->groups[i] = dup(cs, json_string_value(v));
    }
    v = json_object_get(json_object_get(root, "agreement_term_years"), "value");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100) {
            aib_diag_set(diag, path, 0, 0, "agreement_term_years.value: expected years (1-100)");
            rc = AIB_ESCHEMA;
            goto done;
        }
        cs->default_term_years = json_integer_value(v);
    }
done:
    json_decref(root);
    return rc;
}

int aib__cases_load_types(aib_cases_t *cs, const char *dir, aib_diag_t *diag)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, path[4096];
    size_t n = 0, cap = 0, i, k;
    int rc = AIB_OK, have_config = 0;
    json_t *root = NULL;

    if (!d) {
        aib_diag_set(diag, dir, 0, 0, "cannot open case type directory");
        return AIB_EIO;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (!strcmp(e->d_name, "config.json")) {
            have_config = 1;
            continue;
        }
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(char *));
            if (!nn) {
                rc = AIB_ENOMEM;
                goto done;
            }
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (!names[n++]) {
            rc = AIB_ENOMEM;
            goto done;
        }
    }
    if (!have_config) {
        aib_diag_set(diag, dir, 0, 0, "config.json is missing");
        rc = AIB_ENOTFOUND;
        goto done;
    }
    snprintf(path, sizeof(path), "%s/config.json", dir);
    rc = load_config(cs, path, diag);
    if (rc)
        goto done;
    if (n == 0) {
        aib_diag_set(diag, dir, 0, 0, "no case type files (<type>.json)");
        rc = AIB_ENOTFOUND;
        goto done;
    }
    qsort(names, n, sizeof(char *), cmp_str);
    cs->types = aib_arena_calloc(cs->arena, n, sizeof(*cs->types));
    if (!cs->types) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        rc = load_json_file(path, &root, diag);
        if (!rc)
            rc = load_type(cs, path, root, &cs->types[i], diag);
        json_decref(root);
        root = NULL;
        if (rc)
            goto done;
        for (k = 0; k < i; k++)
            if (!strcmp(cs->types[k].id, cs->types[i].id)) {
                aib_diag_set(diag, path, 0, 0, "id: case type `%s` defined twice", cs->types[i].id);
                rc = AIB_ESCHEMA;
                goto done;
            }
        cs->n_types++;
    }
done:
    closedir(d);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

const aib_case_stage_def_t *aib__cases_stage(const aib_case_type_def_t *t, const char *id)
{
    size_t i;
    for (i = 0; id && i < t->n_stages; i++)
        if (!strcmp(t->stages[i].id, id))
            return &t->stages[i];
    return NULL;
}

int aib__cases_can_move(const aib_case_stage_def_t *from, const char *to)
{
    size_t i;
    for (i = 0; i < from->n_next; i++)
        if (!strcmp(from->next[i], to))
            return 1;
    return 0;
}

/* ---- Public -------------------------------------------------------------------------------- */

int aib_cases_load(const char *types_dir, const char *routing_dir, aib_cases_t **out,
                   aib_diag_t *diag)
{
    aib_cases_t *cs = calloc(1, sizeof(*cs));
    int rc;

    *out = NULL;
    if (!cs)
        return AIB_ENOMEM;
    cs->arena = aib_arena_new(0);
    cs->now_fn = system_now;
    if (!cs->arena) {
        free(cs);
        return AIB_ENOMEM;
    }
    rc = aib__cases_load_types(cs, types_dir, diag);
    if (!rc)
        rc = aib__cases_load_routing(cs, routing_dir, diag);
    if (rc) {
        aib_cases_free(cs);
        return rc;
    }
    *out = cs;
    return AIB_OK;
}

void aib_cases_free(aib_cases_t *cs)
{
    if (!cs)
        return;
    aib_cedar_policyset_free(cs->policies);
    aib_cedar_schema_free(cs->schema);
    aib_arena_free(cs->arena);
    free(cs);
}

void aib_cases_set_groups(aib_cases_t *cs, aib_cases_groups_fn fn, void *ctx)
{
    cs->groups_fn = fn;
    cs->groups_ctx = ctx;
}

void aib_cases_set_clock(aib_cases_t *cs, int64_t (*now_ms)(void *ctx), void *ctx)
{
    cs->now_fn = now_ms ? now_ms : system_now;
    cs->now_ctx = now_ms ? ctx : NULL;
}

size_t aib_cases_type_count(const aib_cases_t *cs) { return cs->n_types; }

const aib_case_type_def_t *aib_cases_type_at(const aib_cases_t *cs, size_t i)
{
    return i < cs->n_types ? &cs->types[i] : NULL;
}

const aib_case_type_def_t *aib_cases_type_find(const aib_cases_t *cs, const char *id)
{
    size_t i;
    for (i = 0; id && i < cs->n_types; i++)
        if (!strcmp(cs->types[i].id, id))
            return &cs->types[i];
    return NULL;
}
