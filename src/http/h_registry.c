/* h_registry.c — handlers of /v1/registry/...: each authorizes the call against the API policies,
 * builds the registry requester from the token (nation; role; the server's registry clearance)
 * and calls the transport-neutral handlers of src/registry/reg_api.c, which read only through
 * the release-filtered registry functions. Their error bodies are re-emitted in the API's error
 * shape; a record that is not releasable answers 404 exactly like a missing one. */
#include "http_int.h"

#include <string.h>

/* API roles (admin, officer, reviewer, viewer) are people of a nation's government; the
 * disclosure rules also know companies and private persons, which a token may name as role. */
static void requester_of(const aib__req_t *r, aib_registry_requester_t *w)
{
    memset(w, 0, sizeof(*w));
    w->nation = r->who.nation;
    w->role = (!strcmp(r->who.role, "company") || !strcmp(r->who.role, "person")) ? r->who.role
                                                                                  : "government";
    w->clearance = r->srv->clearance;
    w->regime = "current";
}

/* The query parameters as the registry's parameter type. NULL only when out of memory. */
static aib_registry_param_t *params_of(aib__req_t *r)
{
    aib_registry_param_t *p = aib_arena_calloc(r->arena, r->n_query + 1, sizeof(*p));
    size_t i;

    for (i = 0; p && i < r->n_query; i++) {
        p[i].key = r->query[i].key;
        p[i].val = r->query[i].val;
    }
    return p;
}

/* Turns the registry handler's answer into the response: success bodies go out as written;
 * errors are rewritten as {"error":{"status","code","field","message"}}. */
static int answer(aib__req_t *r, int rc, int status)
{
    json_t *j = NULL;
    const char *msg = "", *field = NULL;
    aib_diag_t d;

    if (rc != 0 && status < 400) {
        aib_diag_clear(&d);
        aib_diag_set(&d, "registry", 0, 0, "%s", aib_strerror(rc));
        return aib__http_error_rc(r, rc == AIB_ENOMEM ? rc : AIB_EINTERNAL, &d);
    }
    if (status < 400) {
        r->status = status;
        r->ctype = "application/json";
        return 0;
    }
    if (status == 404) /* the same answer for "absent" and "not releasable to you" */
        return aib__http_error(r, 404, "not_found", NULL, "no such resource");
    if (status >= 500) {
        aib_diag_clear(&d);
        aib_diag_set(&d, "registry", 0, 0, "%.*s", (int)(r->out.len < 900 ? r->out.len : 900),
                     r->out.data ? r->out.data : "");
        return aib__http_error_rc(r, AIB_EINTERNAL, &d);
    }
    j = json_loadb(r->out.data ? r->out.data : "", r->out.len, 0, NULL);
    if (j) {
        if (json_is_string(json_object_get(j, "error")))
            msg = json_string_value(json_object_get(j, "error"));
        if (json_is_string(json_object_get(j, "field")) && json_string_length(json_object_get(j, "field")))
            field = json_string_value(json_object_get(j, "field"));
    }
    rc = aib__http_error(r, status,
                         status == 409 ? "conflict" : status == 403 ? "forbidden" : "invalid",
                         status == 403 ? NULL : field ? field : "query", "%s", msg);
    json_decref(j);
    return rc;
}

/* Authorizes action and checks out the registry; 0 when the handler may go on. */
static int begin(aib__req_t *r, const char *action, aib_registry_t **reg)
{
    if (aib__req_allow_service(r, action, "registry") != 0)
        return AIB_EDENIED;
    if (!(*reg = aib__req_registry(r)))
        return AIB_EIO;
    aib_buf_clear(&r->out);
    return 0;
}

int aib__h_registry_search(aib__req_t *r)
{
    aib_registry_t *reg;
    aib_registry_requester_t w;
    aib_registry_param_t *p;
    int status = 500, rc;

    if (begin(r, "registry.search", &reg) != 0)
        return 0;
    if (!(p = params_of(r)))
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    requester_of(r, &w);
    rc = aib_registry_api_search(reg, &w, p, r->n_query, r->arena, &r->out, &status);
    return answer(r, rc, status);
}

int aib__h_registry_get(aib__req_t *r)
{
    aib_registry_t *reg;
    aib_registry_requester_t w;
    int status = 500, rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (begin(r, "registry.read", &reg) != 0)
        return 0;
    requester_of(r, &w);
    rc = aib_registry_api_get(reg, &w, r->m.id, r->arena, &r->out, &status);
    return answer(r, rc, status);
}

int aib__h_registry_add(aib__req_t *r)
{
    aib_registry_t *reg;
    aib_registry_requester_t w;
    aib_actor_t who;
    json_t *body = NULL;
    int status = 500, rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (begin(r, "registry.add", &reg) != 0)
        return 0;
    /* Same body checks (one object, no duplicate keys) as every other route. */
    if (aib__http_body_object(r, &body) != 0)
        return 0;
    json_decref(body);
    aib_buf_clear(&r->out);
    requester_of(r, &w);
    who.person = r->who.person;
    who.nation = r->who.nation;
    who.role = r->who.role;
    aib__req_write_begin(r);
    rc = aib_registry_api_add(reg, &w, &who, r->body.data, r->body.len, r->arena, &r->out, &status);
    aib__req_write_end(r);
    if (rc == 0 && status == 201) {
        json_t *j = json_loadb(r->out.data, r->out.len, 0, NULL);
        const char *id = j ? json_string_value(json_object_get(j, "id")) : NULL;

        if (id)
            snprintf(r->location, sizeof(r->location), "/v1/registry/records/%s", id);
        json_decref(j);
    }
    return answer(r, rc, status);
}

int aib__h_registry_dupes(aib__req_t *r)
{
    aib_registry_t *reg;
    aib_registry_requester_t w;
    aib_registry_param_t *p;
    int status = 500, rc;

    if (begin(r, "registry.dupes", &reg) != 0)
        return 0;
    if (!(p = params_of(r)))
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    requester_of(r, &w);
    rc = aib_registry_api_dupes(reg, &w, p, r->n_query, r->arena, &r->out, &status);
    return answer(r, rc, status);
}

int aib__h_registry_match(aib__req_t *r)
{
    aib_registry_t *reg;
    aib_registry_requester_t w;
    aib_registry_param_t *p;
    int status = 500, rc;

    if (begin(r, "registry.match", &reg) != 0)
        return 0;
    if (!(p = params_of(r)))
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    requester_of(r, &w);
    rc = aib_registry_api_match(reg, &w, r->m.id, p, r->n_query, r->arena, &r->out, &status);
    return answer(r, rc, status);
}

int aib__h_registry_taxonomy(aib__req_t *r)
{
    aib_registry_t *reg;
    int status = 500, rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (begin(r, "registry.taxonomy", &reg) != 0)
        return 0;
    rc = aib_registry_api_taxonomy(reg, &r->out, &status);
    return answer(r, rc, status);
}
