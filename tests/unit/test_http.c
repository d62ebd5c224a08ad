/* test_http.c — unit tests of the HTTP server's pure parts: route matching, query checks, token
 * shape, body parsing, the API policy pack (loading, refusing invalid packs, decisions per
 * nation and role) and that docs/openapi.json documents every route. */
#include "test.h"

#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http_int.h"

TEST(http_route_match_basic)
{
    aib__match_t m;
    char allow[64];

    CHECK_INT(aib__http_route_match("GET", "/v1/cases", &m, allow, sizeof(allow)), 0);
    CHECK_STR(m.route->name, "case.list");
    CHECK_INT(aib__http_route_match("POST", "/v1/cases", &m, allow, sizeof(allow)), 0);
    CHECK_STR(m.route->name, "case.create");
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/C-00ab", &m, allow, sizeof(allow)), 0);
    CHECK_STR(m.route->name, "case.get");
    CHECK_STR(m.id, "C-00ab");
    CHECK_INT(aib__http_route_match("POST", "/v1/cases/C-1/transition", &m, allow, sizeof(allow)), 0);
    CHECK_STR(m.route->name, "case.transition");
    CHECK_STR(m.id, "C-1");
    CHECK_INT(aib__http_route_match("GET", "/v1/audit/verify", &m, allow, sizeof(allow)), 0);
    CHECK_STR(m.route->name, "audit.verify");
    CHECK_INT(aib__http_route_match("GET", "/healthz", &m, allow, sizeof(allow)), 0);
    CHECK(m.route->flags & AIB__RT_PUBLIC);
}

TEST(http_route_match_errors)
{
    aib__match_t m;
    char allow[64];

    CHECK_INT(aib__http_route_match("GET", "/v1/nothing", &m, allow, sizeof(allow)), AIB_ENOTFOUND);
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/", &m, allow, sizeof(allow)), AIB_ENOTFOUND);
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/a/b", &m, allow, sizeof(allow)), AIB_ENOTFOUND);
    CHECK_INT(aib__http_route_match("DELETE", "/v1/cases", &m, allow, sizeof(allow)), AIB_EINVAL);
    CHECK_STR(allow, "POST, GET");
    CHECK_INT(aib__http_route_match("DELETE", "/v1/cases/C-1", &m, allow, sizeof(allow)), AIB_EINVAL);
    CHECK_STR(allow, "GET, PATCH");
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/C%201", &m, allow, sizeof(allow)), AIB_ELIMIT);
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/C 1", &m, allow, sizeof(allow)), AIB_ELIMIT);
    CHECK_INT(aib__http_route_match("GET", "", &m, allow, sizeof(allow)), AIB_ENOTFOUND);
    CHECK_INT(aib__http_route_match("GET", "/v1/cases/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                    &m, allow, sizeof(allow)), AIB_ELIMIT);
}

TEST(http_query_checks)
{
    aib__kv_t kv[] = { { "type", "export_licence" }, { "limit", "20" }, { "bogus", "1" } };
    aib__kv_t dup[] = { { "type", "a" }, { "type", "b" } };
    const char *const allowed[] = { "type", "limit", NULL };
    aib_diag_t d;
    int64_t v = 0;

    aib_diag_clear(&d);
    CHECK_INT(aib__http_query_check(kv, 2, allowed, &d), 0);
    CHECK_INT(aib__http_query_check(kv, 3, allowed, &d), AIB_EINVAL);
    CHECK_STR(d.file, "query.bogus");
    CHECK_INT(aib__http_query_check(dup, 2, allowed, &d), AIB_EINVAL);
    CHECK_STR(d.file, "query.type");
    CHECK_STR(aib__http_query_get(kv, 3, "limit"), "20");
    CHECK(aib__http_query_get(kv, 3, "cursor") == NULL);
    CHECK_INT(aib__http_query_int("limit", "20", 1, 1000, &v, &d), 0);
    CHECK_INT(v, 20);
    CHECK_INT(aib__http_query_int("limit", "0", 1, 1000, &v, &d), AIB_EINVAL);
    CHECK_STR(d.file, "query.limit");
    CHECK_INT(aib__http_query_int("limit", "12x", 1, 1000, &v, &d), AIB_EINVAL);
    CHECK_INT(aib__http_query_int("limit", "", 1, 1000, &v, &d), AIB_EINVAL);
}

TEST(http_token_split)
{
    char id[32];
    const char *good = "aib_0123456789abcdef_5HgBZvqHAnRJrFRH5VvGBZECzwDy-4-jjQr0Ej0Ws3s";

    CHECK_INT(aib_http_token_split(good, strlen(good), id, sizeof(id)), 0);
    CHECK_STR(id, "0123456789abcdef");
    CHECK_INT(aib_http_token_split("aib_0123456789ABCDEF_x", 22, id, sizeof(id)), AIB_EINVAL);
    CHECK_INT(aib_http_token_split("aib_0123456789abcdef", 20, id, sizeof(id)), AIB_EINVAL);
    CHECK_INT(aib_http_token_split("xyz_0123456789abcdef_abc", 24, id, sizeof(id)), AIB_EINVAL);
    CHECK_INT(aib_http_token_split("aib_0123456789abcdef_a b", 24, id, sizeof(id)), AIB_EINVAL);
    CHECK_INT(aib_http_token_split(good, strlen(good), id, 8), AIB_EINVAL);
}

TEST(http_parse_object)
{
    json_t *j = NULL;
    aib_diag_t d;

    aib_diag_clear(&d);
    CHECK_INT(aib__http_parse_object("{\"a\":1}", 7, &j, &d), 0);
    CHECK(j && json_is_object(j));
    json_decref(j);
    CHECK_INT(aib__http_parse_object("{\"a\":1,\"a\":2}", 13, &j, &d), AIB_EPARSE);
    CHECK_INT(aib__http_parse_object("[1]", 3, &j, &d), AIB_EPARSE);
    CHECK_INT(aib__http_parse_object("", 0, &j, &d), AIB_EPARSE);
    CHECK_INT(aib__http_parse_object("{\"a\":\n tru}", 11, &j, &d), AIB_EPARSE);
    CHECK_INT(d.line, 2);
    CHECK(j == NULL);
}

static aib__principal_t who(const char *nation, const char *role)
{
    aib__principal_t p;

    memset(&p, 0, sizeof(p));
    snprintf(p.person, sizeof(p.person), "%s-%s", nation, role);
    snprintf(p.nation, sizeof(p.nation), "%s", nation);
    snprintf(p.role, sizeof(p.role), "%s", role);
    return p;
}

static int decide(const aib__authz_t *a, const char *nation, const char *role, const char *action,
                  const aib__resource_t *res)
{
    aib__principal_t p = who(nation, role);
    aib_arena_t *arena = aib_arena_new(0);
    aib_diag_t d;
    int allowed = -1;

    aib_diag_clear(&d);
    if (aib__authz_check(a, &p, action, res, arena, &allowed, &d) != 0)
        allowed = -2;
    aib_arena_free(arena);
    return allowed;
}

TEST(http_api_policies_decide_by_nation)
{
    aib__authz_t a;
    aib_diag_t d;
    const char *rel[] = { "AUS" };
    aib__resource_t c = { "Case", "C-1", "USA", rel, 1, "export_licence", "submitted", 0, NULL };
    aib__resource_t svc = { "Service", "audit", NULL, NULL, 0, NULL, NULL, 0, "USA" };

    aib_diag_clear(&d);
    CHECK_INT(aib__authz_load(&a, "policies/api", &d), 0);
    if (!a.ps)
        return;
    /* Own nation and released-to nations read; others do not. */
    CHECK_INT(decide(&a, "USA", "viewer", "case.read", &c), 1);
    CHECK_INT(decide(&a, "AUS", "viewer", "case.read", &c), 1);
    CHECK_INT(decide(&a, "GBR", "admin", "case.read", &c), 0);
    CHECK_INT(decide(&a, "GBR", "admin", "case.audit", &c), 0);
    CHECK_INT(decide(&a, "GBR", "admin", "case.comment", &c), 0);
    CHECK_INT(decide(&a, "GBR", "admin", "case.attach", &c), 0);
    CHECK_INT(decide(&a, "GBR", "admin", "case.transition", &c), 0);
    CHECK_INT(decide(&a, "GBR", "admin", "case.update", &c), 0);
    /* Only the owning nation changes a case; partners discuss it. */
    CHECK_INT(decide(&a, "USA", "officer", "case.transition", &c), 1);
    CHECK_INT(decide(&a, "USA", "viewer", "case.transition", &c), 0);
    CHECK_INT(decide(&a, "AUS", "admin", "case.transition", &c), 0);
    CHECK_INT(decide(&a, "AUS", "reviewer", "case.comment", &c), 1);
    CHECK_INT(decide(&a, "AUS", "viewer", "case.comment", &c), 0);
    CHECK_INT(decide(&a, "USA", "officer", "case.create", &c), 1);
    CHECK_INT(decide(&a, "AUS", "officer", "case.create", &c), 0);
    c.closed = 1;
    CHECK_INT(decide(&a, "USA", "officer", "case.attach", &c), 0);
    CHECK_INT(decide(&a, "USA", "officer", "case.comment", &c), 1);
    /* The global audit log: admins of the operating nation only. */
    CHECK_INT(decide(&a, "USA", "admin", "audit.read", &svc), 1);
    CHECK_INT(decide(&a, "GBR", "admin", "audit.read", &svc), 0);
    CHECK_INT(decide(&a, "USA", "officer", "audit.verify", &svc), 0);
    CHECK_INT(decide(&a, "GBR", "viewer", "metrics.read", &svc), 1);
    /* An action the schema does not know is an error, never an allow. */
    CHECK_INT(decide(&a, "USA", "admin", "case.delete", &c), -2);
    aib__authz_free(&a);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(http_api_policies_refuse_invalid_pack)
{
    char dir[] = "/tmp/aib-api-XXXXXX", path[256], schema[8192];
    aib__authz_t a;
    aib_diag_t d;
    FILE *f;
    size_t n;

    if (!mkdtemp(dir))
        return;
    f = fopen("policies/api/api.cedarschema", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    n = fread(schema, 1, sizeof(schema) - 1, f);
    schema[n] = '\0';
    fclose(f);
    snprintf(path, sizeof(path), "%s/api.cedarschema", dir);
    write_file(path, schema);
    snprintf(path, sizeof(path), "%s/a.cedar", dir);
    write_file(path, "permit(principal, action, resource);\n");
    snprintf(path, sizeof(path), "%s/b.cedar", dir);
    write_file(path, "// bad attribute\npermit(principal is Person, action, resource)\n"
                     "  when { principal.citizenship == \"USA\" };\n");
    aib_diag_clear(&d);
    CHECK_INT(aib__authz_load(&a, dir, &d), AIB_ESCHEMA);
    CHECK(strstr(d.file, "b.cedar") != NULL);
    CHECK_INT(d.line, 3); /* the `when` clause naming the unknown attribute */
    CHECK(a.ps == NULL);
    /* A syntax error names its own file and line. */
    write_file(path, "permit(principal, action resource);\n");
    CHECK_INT(aib__authz_load(&a, dir, &d), AIB_EPARSE);
    CHECK(strstr(d.file, "b.cedar") != NULL);
    CHECK_INT(d.line, 1);
    unlink(path);
    snprintf(path, sizeof(path), "%s/a.cedar", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/api.cedarschema", dir);
    unlink(path);
    rmdir(dir);
}

TEST(http_openapi_documents_every_route)
{
    json_error_t err;
    json_t *doc = json_load_file("docs/openapi.json", 0, &err), *paths;
    size_t n, i;
    const aib__route_t *rt = aib__http_routes(&n);

    CHECK(doc != NULL);
    if (!doc)
        return;
    CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    paths = json_object_get(doc, "paths");
    for (i = 0; i < n; i++) {
        char method[16];
        size_t k;
        json_t *p = json_object_get(paths, rt[i].pattern);

        for (k = 0; rt[i].method[k] && k + 1 < sizeof(method); k++)
            method[k] = (char)(rt[i].method[k] - 'A' + 'a');
        method[k] = '\0';
        if (!p || !json_object_get(p, method))
            aib_test_fail(__FILE__, __LINE__, "route %s %s is not in docs/openapi.json",
                          rt[i].method, rt[i].pattern);
    }
    /* And nothing documented that the server does not serve. */
    {
        const char *path;
        json_t *ops;

        json_object_foreach(paths, path, ops) {
            const char *method;
            json_t *op;

            json_object_foreach(ops, method, op) {
                char up[16];
                size_t k, found = 0;

                (void)op;
                for (k = 0; method[k] && k + 1 < sizeof(up); k++)
                    up[k] = (char)(method[k] - 'a' + 'A');
                up[k] = '\0';
                for (i = 0; i < n; i++)
                    if (!strcmp(rt[i].pattern, path) && !strcmp(rt[i].method, up))
                        found = 1;
                if (!found)
                    aib_test_fail(__FILE__, __LINE__, "docs/openapi.json documents %s %s, which no route serves",
                                  up, path);
            }
        }
    }
    json_decref(doc);
}
