/* util.c — shared machinery of the alliance registry loaders: pointer vectors, sorted key
 * indexes, calendar dates, and strict JSON field readers that name the file and JSON path of
 * every problem (unknown fields are errors, so a typo in a data file never goes unnoticed). */
#include "alliance/alliance_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int aib__alliance_vec_push(aib__alliance_vec_t *vec, void *p)
{
    if (vec->n == vec->cap) {
        size_t ncap = vec->cap ? vec->cap * 2 : 16;
        void **nv = realloc(vec->v, ncap * sizeof(*nv));
        if (!nv)
            return AIB_ENOMEM;
        vec->v = nv;
        vec->cap = ncap;
    }
    vec->v[vec->n++] = p;
    return AIB_OK;
}

void aib__alliance_vec_free(aib__alliance_vec_t *vec)
{
    free(vec->v);
    vec->v = NULL;
    vec->n = vec->cap = 0;
}

int aib__alliance_index_add(aib__alliance_index_t *ix, const char *key, void *val, int prio,
                            const char *origin)
{
    if (!key || !*key)
        return AIB_OK; /* an empty key can never be looked up; nothing to index */
    if (ix->n == ix->cap) {
        size_t ncap = ix->cap ? ix->cap * 2 : 64;
        aib__alliance_key_t *ne = realloc(ix->e, ncap * sizeof(*ne));
        if (!ne)
            return AIB_ENOMEM;
        ix->e = ne;
        ix->cap = ncap;
    }
    ix->e[ix->n].key = key;
    ix->e[ix->n].val = val;
    ix->e[ix->n].prio = prio;
    ix->e[ix->n].origin = origin;
    ix->n++;
    ix->sorted = false;
    return AIB_OK;
}

static int key_cmp(const void *x, const void *y)
{
    const aib__alliance_key_t *p = x, *q = y;
    int c = strcmp(p->key, q->key);
    if (c)
        return c;
    return p->prio - q->prio;
}

int aib__alliance_index_finish(aib__alliance_index_t *ix, const char *what, aib_diag_t *diag)
{
    size_t i, o = 0;

    if (ix->sorted)
        return AIB_OK;
    if (ix->n)
        qsort(ix->e, ix->n, sizeof(*ix->e), key_cmp);
    for (i = 0; i < ix->n; i++) {
        if (o > 0 && !strcmp(ix->e[o - 1].key, ix->e[i].key)) {
            if (ix->e[o - 1].prio == ix->e[i].prio && ix->e[o - 1].val != ix->e[i].val) {
                aib_diag_set(diag, ix->e[i].origin ? ix->e[i].origin : "", 0, 0,
                             "%s `%s` names two different things (also in %s)", what,
                             ix->e[i].key, ix->e[o - 1].origin ? ix->e[o - 1].origin : "?");
                return AIB_EINVAL;
            }
            continue; /* shadowed by a better-priority entry */
        }
        ix->e[o++] = ix->e[i];
    }
    ix->n = o;
    ix->sorted = true;
    return AIB_OK;
}

void *aib__alliance_index_get(const aib__alliance_index_t *ix, const char *key)
{
    size_t lo = 0, hi = ix->n;

    if (!ix->sorted || !key)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->e[mid].key, key);
        if (c == 0)
            return ix->e[mid].val;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void aib__alliance_index_free(aib__alliance_index_t *ix)
{
    free(ix->e);
    memset(ix, 0, sizeof(*ix));
}

char *aib__alliance_strdup(aib_alliance_t *a, const char *s)
{
    return s ? aib_arena_strndup(a->arena, s, strlen(s)) : NULL;
}

/* ---- Dates ------------------------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

int aib_alliance_date_parse(const char *s, aib_alliance_date_t *out)
{
    int y, m, d, i;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return AIB_EINVAL;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return AIB_EINVAL;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return AIB_EINVAL;
    *out = y * 10000 + m * 100 + d;
    return AIB_OK;
}

void aib_alliance_date_format(aib_alliance_date_t d, char *buf, size_t cap)
{
    if (!cap)
        return;
    if (d <= 0) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

aib_alliance_date_t aib_alliance_date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* ---- JSON readers ------------------------------------------------------------------------ */

int aib__alliance_err(aib__alliance_ctx_t *c, const char *path, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (key)
        aib_diag_set(c->diag, c->file, 0, 0, "%s%s%s: %s", path ? path : "",
                     path && *path ? "." : "", key, msg);
    else
        aib_diag_set(c->diag, c->file, 0, 0, "%s: %s", path && *path ? path : "(document)", msg);
    return AIB_ESCHEMA;
}

int aib__alliance_parse_json(aib__alliance_ctx_t *c, const char *data, size_t len, json_t **out)
{
    json_error_t je;

    *out = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!*out) {
        aib_diag_set(c->diag, c->file, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
                     "invalid JSON: %s", je.text);
        return AIB_EPARSE;
    }
    return AIB_OK;
}

int aib__alliance_obj(aib__alliance_ctx_t *c, json_t *v, const char *path)
{
    if (!json_is_object(v))
        return aib__alliance_err(c, path, NULL, "expected an object");
    return AIB_OK;
}

int aib__alliance_keys(aib__alliance_ctx_t *c, json_t *obj, const char *path,
                       const char *const *allowed)
{
    const char *k;
    json_t *v;

    if (!json_is_object(obj))
        return aib__alliance_err(c, path, NULL, "expected an object");
    json_object_foreach(obj, k, v) {
        size_t i;
        bool ok = false;
        for (i = 0; allowed[i]; i++)
            if (!strcmp(allowed[i], k)) {
                ok = true;
                break;
            }
        if (!ok && k[0] != '$') /* "$comment" style keys are documentation */
            return aib__alliance_err(c, path, k, "unknown field");
    }
    return AIB_OK;
}

static char *arena_json_str(aib_alliance_t *a, json_t *v)
{
    return aib_arena_strndup(a->arena, json_string_value(v), json_string_length(v));
}

int aib__alliance_str(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      bool required, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return aib__alliance_err(c, path, key, "required text is missing");
        return AIB_OK;
    }
    if (!json_is_string(v))
        return aib__alliance_err(c, path, key, "expected a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return aib__alliance_err(c, path, key, "NUL byte in text");
    if (required && json_string_length(v) == 0)
        return aib__alliance_err(c, path, key, "must not be empty");
    *out = arena_json_str(c->a, v);
    return *out ? AIB_OK : AIB_ENOMEM;
}

int aib__alliance_strs(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       const char *const **out, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    const char **arr;
    size_t i;

    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return AIB_OK;
    if (!json_is_array(v))
        return aib__alliance_err(c, path, key, "expected an array of strings");
    arr = aib_arena_calloc(c->a->arena, json_array_size(v) + 1, sizeof(*arr));
    if (!arr)
        return AIB_ENOMEM;
    for (i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s) ||
            !json_string_length(s))
            return aib__alliance_err(c, path, key, "item %zu: expected a non-empty string", i);
        if (!(arr[i] = arena_json_str(c->a, s)))
            return AIB_ENOMEM;
    }
    *out = arr;
    *n = i;
    return AIB_OK;
}

int aib__alliance_date(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       bool required, aib_alliance_date_t *out)
{
    json_t *v = json_object_get(obj, key);

    *out = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return aib__alliance_err(c, path, key, "required date is missing");
        return AIB_OK;
    }
    if (!json_is_string(v) || aib_alliance_date_parse(json_string_value(v), out) != 0)
        return aib__alliance_err(c, path, key, "expected a date YYYY-MM-DD");
    return AIB_OK;
}

int aib__alliance_bool(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                       bool *out)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        return AIB_OK; /* keeps the caller's default */
    if (!json_is_boolean(v))
        return aib__alliance_err(c, path, key, "expected true or false");
    *out = json_is_true(v);
    return AIB_OK;
}

int aib__alliance_num(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      bool required, double *out, bool *present)
{
    json_t *v = json_object_get(obj, key);

    if (present)
        *present = false;
    *out = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return aib__alliance_err(c, path, key, "required number is missing");
        return AIB_OK;
    }
    if (!json_is_number(v))
        return aib__alliance_err(c, path, key, "expected a number");
    *out = json_number_value(v);
    if (present)
        *present = true;
    return AIB_OK;
}

int aib__alliance_arr(aib__alliance_ctx_t *c, json_t *obj, const char *path, const char *key,
                      json_t **arr)
{
    *arr = json_object_get(obj, key);
    if (!*arr)
        return aib__alliance_err(c, path, key, "required array is missing");
    if (!json_is_array(*arr))
        return aib__alliance_err(c, path, key, "expected an array");
    return AIB_OK;
}

int aib__alliance_cite(aib__alliance_ctx_t *c, json_t *obj, const char *path,
                       const aib_alliance_cite_t *parent, aib_alliance_cite_t *out)
{
    aib_alliance_date_t d;
    int rc;

    if (parent)
        *out = *parent;
    else
        memset(out, 0, sizeof(*out));
    out->note = NULL; /* notes belong to one fact; never inherited */
    {
        const char *s;
        if ((rc = aib__alliance_str(c, obj, path, "citation", false, &s)))
            return rc;
        if (s)
            out->citation = s;
        if ((rc = aib__alliance_str(c, obj, path, "source", false, &s)))
            return rc;
        if (s)
            out->source = s;
        if ((rc = aib__alliance_str(c, obj, path, "as_of", false, &s)))
            return rc;
        if (s) {
            if (aib_alliance_date_parse(s, &d) != 0)
                return aib__alliance_err(c, path, "as_of", "expected a date YYYY-MM-DD");
            out->as_of = s;
        }
        if ((rc = aib__alliance_str(c, obj, path, "note", false, &s)))
            return rc;
        out->note = s;
    }
    if ((rc = aib__alliance_bool(c, obj, path, "unsure", &out->unsure)))
        return rc;
    if (!out->citation || !*out->citation)
        return aib__alliance_err(c, path, "citation", "every fact needs a citation");
    if (!out->as_of)
        return aib__alliance_err(c, path, "as_of", "every fact needs an as-of date");
    return AIB_OK;
}
