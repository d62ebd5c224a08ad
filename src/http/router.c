/* router.c — the API's route table and the matcher that maps a method and path to a handler,
 * plus query-string checks. Pure functions over strings (no server state), so the request-line
 * handling can be fuzzed on its own (tests/fuzz/fuzz_http_router.c). */
#include "http_int.h"

#include <string.h>

static const aib__route_t routes[] = {
    { "GET", "/healthz", "healthz", AIB__RT_PUBLIC, aib__h_healthz },
    { "GET", "/metrics", "prometheus", AIB__RT_PUBLIC, aib__h_prom },
    { "GET", "/v1/openapi.json", "openapi", AIB__RT_PUBLIC, aib__h_openapi },
    { "GET", "/v1/whoami", "whoami", 0, aib__h_whoami },
    { "GET", "/v1/case-types", "case.types", 0, aib__h_case_types },
    { "POST", "/v1/cases", "case.create", AIB__RT_BODY, aib__h_case_create },
    { "GET", "/v1/cases", "case.list", 0, aib__h_case_list },
    { "GET", "/v1/cases/{id}", "case.get", 0, aib__h_case_get },
    { "PATCH", "/v1/cases/{id}", "case.update", AIB__RT_BODY, aib__h_case_update },
    { "POST", "/v1/cases/{id}/transition", "case.transition", AIB__RT_BODY, aib__h_case_transition },
    { "POST", "/v1/cases/{id}/comments", "case.comment", AIB__RT_BODY, aib__h_case_comment },
    { "POST", "/v1/cases/{id}/attachments", "case.attach", AIB__RT_BODY, aib__h_case_attach },
    { "GET", "/v1/cases/{id}/audit", "case.audit", 0, aib__h_case_audit },
    { "GET", "/v1/metrics", "metrics", 0, aib__h_metrics },
    { "GET", "/v1/audit", "audit.list", 0, aib__h_audit },
    { "GET", "/v1/audit/verify", "audit.verify", 0, aib__h_audit_verify },
    { "POST", "/v1/cedar/authorize", "cedar.authorize", AIB__RT_BODY, aib__h_cedar_authorize },
    { "POST", "/v1/screen", "screen", AIB__RT_BODY | AIB__RT_SCREEN, aib__h_screen },
    { "POST", "/v1/determine", "determine", AIB__RT_BODY, aib__h_determine },
    { "GET", "/v1/registry/records", "registry.search", 0, aib__h_registry_search },
    { "POST", "/v1/registry/records", "registry.add", AIB__RT_BODY, aib__h_registry_add },
    { "GET", "/v1/registry/records/{id}", "registry.get", 0, aib__h_registry_get },
    { "GET", "/v1/registry/dupes", "registry.dupes", 0, aib__h_registry_dupes },
    { "GET", "/v1/registry/challenges/{id}/matches", "registry.match", 0, aib__h_registry_match },
    { "GET", "/v1/registry/taxonomy", "registry.taxonomy", 0, aib__h_registry_taxonomy },
    { "GET", "/v1/eligibility/{country}", "eligibility", 0, aib__h_eligibility },
    { "GET", "/v1/lookup/countries", "lookup.countries", 0, aib__h_lookup_countries },
    { "GET", "/v1/lookup/groups", "lookup.groups", 0, aib__h_lookup_groups },
    { "GET", "/v1/lookup/usml", "lookup.usml", 0, aib__h_lookup_usml },
    { "GET", "/v1/lookup/eccn", "lookup.eccn", 0, aib__h_lookup_eccn },
};

const aib__route_t *aib__http_routes(size_t *n)
{
    *n = sizeof(routes) / sizeof(routes[0]);
    return routes;
}

static int id_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
           || c == '-' || c == '.';
}

/* 1 when path matches pattern; 2 when it matches except for a malformed {id} segment. */
static int match_one(const char *pattern, const char *path, char *id, size_t cap)
{
    const char *p = pattern, *s = path;
    int bad_id = 0;

    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s), i;

            while (*p && *p != '}')
                p++;
            if (*p == '}')
                p++;
            if (len == 0)
                return 0;
            if (len >= cap || len > 64)
                bad_id = 1;
            for (i = 0; i < len && !bad_id; i++)
                if (!id_char(s[i]))
                    bad_id = 1;
            if (!bad_id) {
                memcpy(id, s, len);
                id[len] = '\0';
            }
            s += len;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    if (*p || *s)
        return 0;
    return bad_id ? 2 : 1;
}

int aib__http_route_match(const char *method, const char *path, aib__match_t *m, char *allow,
                          size_t cap)
{
    size_t i, n = sizeof(routes) / sizeof(routes[0]), used = 0;
    int path_known = 0, bad_id = 0;

    memset(m, 0, sizeof(*m));
    if (allow && cap)
        allow[0] = '\0';
    for (i = 0; i < n; i++) {
        char id[65] = "";
        int k = match_one(routes[i].pattern, path, id, sizeof(id));

        if (k == 0)
            continue;
        if (k == 2) {
            bad_id = 1;
            continue;
        }
        if (!strcmp(routes[i].method, method)) {
            m->route = &routes[i];
            m->index = i;
            memcpy(m->id, id, sizeof(m->id));
            return 0;
        }
        path_known = 1;
        if (allow && used + strlen(routes[i].method) + 3 < cap) {
            if (used) {
                memcpy(allow + used, ", ", 2);
                used += 2;
            }
            memcpy(allow + used, routes[i].method, strlen(routes[i].method));
            used += strlen(routes[i].method);
            allow[used] = '\0';
        }
    }
    if (path_known)
        return AIB_EINVAL;
    return bad_id ? AIB_ELIMIT : AIB_ENOTFOUND;
}

int aib__http_query_check(const aib__kv_t *kv, size_t n, const char *const *allowed,
                          aib_diag_t *diag)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        int ok = 0;

        for (j = 0; allowed && allowed[j]; j++)
            if (!strcmp(kv[i].key, allowed[j]))
                ok = 1;
        if (!ok) {
            aib_diag_set(diag, "", 0, 0, "unknown query parameter");
            snprintf(diag->file, sizeof(diag->file), "query.%.200s", kv[i].key);
            return AIB_EINVAL;
        }
        for (j = 0; j < i; j++)
            if (!strcmp(kv[i].key, kv[j].key)) {
                aib_diag_set(diag, "", 0, 0, "query parameter given twice");
                snprintf(diag->file, sizeof(diag->file), "query.%.200s", kv[i].key);
                return AIB_EINVAL;
            }
    }
    return 0;
}

const char *aib__http_query_get(const aib__kv_t *kv, size_t n, const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(kv[i].key, key))
            return kv[i].val ? kv[i].val : "";
    return NULL;
}

int aib__http_query_int(const char *key, const char *val, int64_t lo, int64_t hi, int64_t *out,
                        aib_diag_t *diag)
{
    int64_t v;

    if (!val || aib_parse_i64(val, strlen(val), &v) != 0 || v < lo || v > hi) {
        aib_diag_set(diag, "", 0, 0, "expected an integer from %lld to %lld", (long long)lo,
                     (long long)hi);
        snprintf(diag->file, sizeof(diag->file), "query.%.200s", key);
        return AIB_EINVAL;
    }
    *out = v;
    return 0;
}
