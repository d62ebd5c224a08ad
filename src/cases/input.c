/* input.c — checks request bodies for the case operations: a JSON object with only the members
 * an operation accepts, and type-specific fields of the kinds data/cases declares. Errors name
 * the field (diag->file holds its JSON path). Also computes an agreement's coverage: for each
 * party that is a group (e.g. "NATO") the nations that are members on some date of the term,
 * each with the dates it is covered. */
#include "cases_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STR 4096
#define MAX_LIST 1000

int aib__cases_parse_body(const char *json, size_t len, const char *const *allowed, json_t **out,
                          aib_diag_t *diag)
{
    json_error_t err;
    json_t *root;
    const char *key;
    json_t *v;
    size_t i;

    *out = NULL;
    if (!json) {
        aib_diag_set(diag, "", 0, 0, "body: a JSON object is required");
        return AIB_EINVAL;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        aib_diag_set(diag, "", err.line, err.column, "body: malformed JSON: %s", err.text);
        return AIB_EINVAL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        aib_diag_set(diag, "", 0, 0, "body: expected a JSON object");
        return AIB_EINVAL;
    }
    json_object_foreach(root, key, v) {
        for (i = 0; allowed && allowed[i] && strcmp(allowed[i], key); i++)
            ;
        if (allowed && !allowed[i]) {
            aib_diag_set(diag, key, 0, 0, "%s: unknown field", key);
            json_decref(root);
            return AIB_EINVAL;
        }
    }
    *out = root;
    return AIB_OK;
}

int aib__cases_is_nation(const char *s)
{
    return s && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y += *m <= 2;
}

int aib__cases_parse_date(const char *s, int64_t *ms)
{
    int64_t y, m, d, y2, m2, d2;
    size_t i;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return AIB_EINVAL;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return AIB_EINVAL;
    if (aib_parse_i64(s, 4, &y) || aib_parse_i64(s + 5, 2, &m) || aib_parse_i64(s + 8, 2, &d))
        return AIB_EINVAL;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return AIB_EINVAL;
    civil_from_days(days_from_civil(y, m, d), &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d) /* 2023-02-30 and the like */
        return AIB_EINVAL;
    *ms = days_from_civil(y, m, d) * 86400000LL;
    return AIB_OK;
}

static void fmt_date(int64_t ms, char *buf, size_t cap)
{
    int64_t days = ms >= 0 ? ms / 86400000LL : -((-ms + 86399999LL) / 86400000LL);
    int64_t y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
}

void aib__cases_fmt_time(int64_t ms, char *buf, size_t cap)
{
    int64_t days = ms >= 0 ? ms / 86400000LL : -((-ms + 86399999LL) / 86400000LL);
    int64_t rem = ms - days * 86400000LL, y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", (long long)y,
             (long long)m, (long long)d, (long long)(rem / 3600000), (long long)(rem / 60000 % 60),
             (long long)(rem / 1000 % 60), (long long)(rem % 1000));
}

/* Adds whole calendar years (29 February becomes 28 February in common years). */
static int64_t add_years(int64_t ms, int64_t years)
{
    int64_t y, m, d, days = ms / 86400000LL;
    civil_from_days(days, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        d = 28;
    return days_from_civil(y, m, d) * 86400000LL;
}

static int check_value(const aib_case_field_def_t *f, json_t *v, aib_diag_t *diag)
{
    char path[128];
    size_t i;
    int64_t ms;

    snprintf(path, sizeof(path), "fields.%s", f->name);
    if (!strcmp(f->kind, "string")) {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > MAX_STR)
            goto bad;
    } else if (!strcmp(f->kind, "nation")) {
        if (!aib__cases_is_nation(json_string_value(v)))
            goto bad;
    } else if (!strcmp(f->kind, "date")) {
        if (aib__cases_parse_date(json_string_value(v), &ms))
            goto bad;
    } else if (!strcmp(f->kind, "integer")) {
        if (!json_is_integer(v))
            goto bad;
    } else if (!strcmp(f->kind, "boolean")) {
        if (!json_is_boolean(v))
            goto bad;
    } else { /* strings, nations */
        int nations = !strcmp(f->kind, "nations");
        if (!json_is_array(v) || json_array_size(v) > MAX_LIST)
            goto bad;
        for (i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (nations ? !aib__cases_is_nation(json_string_value(e))
                        : (!json_is_string(e) || json_string_length(e) == 0 ||
                           json_string_length(e) > MAX_STR)) {
                char ep[160];
                snprintf(ep, sizeof(ep), "%s[%zu]", path, i);
                aib_diag_set(diag, ep, 0, 0, "%s: expected %s", ep,
                             nations ? "an ISO 3166-1 alpha-3 nation code (e.g. \"GBR\")"
                                     : "a non-empty string");
                return AIB_EINVAL;
            }
        }
    }
    return AIB_OK;
bad:
    aib_diag_set(diag, path, 0, 0, "%s: expected %s", path,
                 !strcmp(f->kind, "string")    ? "a non-empty string (at most 4096 bytes)"
                 : !strcmp(f->kind, "nation")  ? "an ISO 3166-1 alpha-3 nation code (e.g. \"GBR\")"
                 : !strcmp(f->kind, "date")    ? "a date \"YYYY-MM-DD\""
                 : !strcmp(f->kind, "integer") ? "an integer"
                 : !strcmp(f->kind, "boolean") ? "true or false"
                 : !strcmp(f->kind, "nations") ? "an array of nation codes"
                                               : "an array of strings (at most 1000)");
    return AIB_EINVAL;
}

/* fields.coverage for parties that are groups: membership intervals clipped to the term. */
static int add_coverage(aib_cases_t *cs, json_t *fields, aib_arena_t *arena, aib_diag_t *diag)
{
    json_t *parties = json_object_get(fields, "parties"), *cov = NULL, *v;
    int64_t start, end, years = cs->default_term_years;
    const char *ts = json_string_value(json_object_get(fields, "term_start"));
    size_t i, k;
    int rc = AIB_OK;
    char a[16], b[16];

    if (!json_is_array(parties))
        return AIB_OK;
    for (i = 0; i < json_array_size(parties); i++)
        if (!aib__cases_is_nation(json_string_value(json_array_get(parties, i))))
            break;
    if (i == json_array_size(parties))
        return AIB_OK; /* only nations: nothing to expand */
    if (!ts) {
        aib_diag_set(diag, "fields.term_start", 0, 0,
                     "fields.term_start: required when a party is a group (its members are covered"
                     " as of each date of the term)");
        return AIB_EINVAL;
    }
    aib__cases_parse_date(ts, &start);
    v = json_object_get(fields, "term_years");
    if (v) {
        years = json_integer_value(v);
        if (years < 1 || years > 100) {
            aib_diag_set(diag, "fields.term_years", 0, 0, "fields.term_years: expected 1 to 100");
            return AIB_EINVAL;
        }
    }
    end = add_years(start, years);
    cov = json_array();
    if (!cov)
        return AIB_ENOMEM;
    for (i = 0; i < json_array_size(parties) && !rc; i++) {
        const char *g = json_string_value(json_array_get(parties, i));
        aib_membership_t *m = NULL;
        size_t n = 0;
        if (aib__cases_is_nation(g))
            continue;
        rc = cs->groups_fn ? cs->groups_fn(cs->groups_ctx, g, arena, &m, &n) : AIB_ENOTFOUND;
        if (rc) {
            char path[48];
            snprintf(path, sizeof(path), "fields.parties[%zu]", i);
            aib_diag_set(diag, path, 0, 0,
                         rc == AIB_ENOTFOUND
                             ? "%s: `%s` is neither a nation code nor a group with known membership"
                             : "%s: membership of `%s` is unavailable",
                         path, g);
            rc = AIB_EINVAL;
            break;
        }
        for (k = 0; k < n; k++) {
            int64_t from = m[k].from > start ? m[k].from : start;
            int64_t to = (m[k].to == 0 || m[k].to > end) ? end : m[k].to;
            json_t *e;
            if (from >= to)
                continue; /* not a member on any date of the term */
            fmt_date(from, a, sizeof(a));
            fmt_date(to, b, sizeof(b));
            e = json_pack("{s:s, s:s, s:s, s:s}", "nation", m[k].nation, "group", g, "from", a,
                          "until", b);
            if (!e || json_array_append_new(cov, e)) {
                rc = AIB_ENOMEM;
                break;
            }
        }
    }
    if (!rc && json_object_set_new(fields, "coverage", cov) != 0)
        rc = AIB_ENOMEM;
    else if (!rc)
        cov = NULL;
    json_decref(cov);
    return rc;
}

int aib__cases_check_fields(aib_cases_t *cs, const aib_case_type_def_t *t, json_t *fields,
                            aib_arena_t *arena, const char **out_json, aib_diag_t *diag)
{
    const char *key;
    json_t *v;
    size_t i;
    char *text;
    int rc;

    *out_json = NULL;
    if (!json_is_object(fields)) {
        aib_diag_set(diag, "fields", 0, 0, "fields: expected a JSON object");
        return AIB_EINVAL;
    }
    /* Derived members never come from a caller; an update re-derives them. */
    json_object_del(fields, "coverage");
    json_object_foreach(fields, key, v) {
        for (i = 0; i < t->n_fields && strcmp(t->fields[i].name, key); i++)
            ;
        if (i == t->n_fields) {
            char path[160];
            snprintf(path, sizeof(path), "fields.%s", key);
            aib_diag_set(diag, path, 0, 0, "%s: unknown field for case type `%s`", path, t->id);
            return AIB_EINVAL;
        }
        if ((rc = check_value(&t->fields[i], v, diag)))
            return rc;
    }
    for (i = 0; i < t->n_fields; i++)
        if (t->fields[i].required && !json_object_get(fields, t->fields[i].name)) {
            char path[160];
            snprintf(path, sizeof(path), "fields.%s", t->fields[i].name);
            aib_diag_set(diag, path, 0, 0, "%s: required for case type `%s`", path, t->id);
            return AIB_EINVAL;
        }
    rc = add_coverage(cs, fields, arena, diag);
    if (rc)
        return rc;
    text = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return AIB_ENOMEM;
    *out_json = aib_arena_strndup(arena, text, strlen(text));
    free(text);
    return *out_json ? AIB_OK : AIB_ENOMEM;
}
