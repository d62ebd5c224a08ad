/* request.c — one authorization request from JSON: principal / action / resource uids and the
 * context record. With a schema the context is parsed by the action's context type; with
 * validation on, the request is checked as the reference's Request::new does with a schema
 * (declared action and types, appliesTo, context type, enumerated entity ids). */
#include "cedar/json_int.h"
#include "cedar/json_fast_int.h"

#include <stdio.h>
#include <string.h>

#define WHY_CAP 512

static const char *const FILE_NAME = "request";

/* An action declared without a context takes the empty (closed) record. */
static const aib__type_t EMPTY_RECORD = { .kind = AIB__T_RECORD };

static int uid_field(const json_t *root, const char *name, aib_arena_t *arena, aib__uid_t **out,
                     aib_diag_t *diag)
{
    const json_t *j = json_object_get(root, name);
    char path[64];
    int rc;

    if (!j) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "missing field `%s`", name);
        return AIB_EINVAL;
    }
    snprintf(path, sizeof(path), "%s", name);
    rc = aib__json_uid(j, true, arena, path, out, diag);
    if (rc != 0 && diag)
        snprintf(diag->file, sizeof(diag->file), "%s", FILE_NAME);
    return rc;
}

static bool type_listed(aib_str_t type, aib_str_t *list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (aib_str_eq(list[i], type))
            return true;
    return false;
}

static int validate(const aib_cedar_schema_t *schema, const aib__request_t *r,
                    const aib__action_t *act, aib_diag_t *diag)
{
    char as[256], why[WHY_CAP];
    const aib__uid_t *p = r->principal, *res = r->resource;

    /* the action's text only goes into messages: formatted on the error paths alone */
    if (!aib__schema_entity_type(schema, p->type)) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "principal type `%.*s` is not declared in the schema",
                     (int)(p->type.len > 200 ? 200 : p->type.len), p->type.ptr);
        return AIB_ESCHEMA;
    }
    if (!aib__schema_entity_type(schema, res->type)) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "resource type `%.*s` is not declared in the schema",
                     (int)(res->type.len > 200 ? 200 : res->type.len), res->type.ptr);
        return AIB_ESCHEMA;
    }
    if (!act) {
        aib__json_uid_str(r->action, as, sizeof(as));
        aib_diag_set(diag, FILE_NAME, 0, 0, "request's action `%s` is not declared in the schema", as);
        return AIB_ESCHEMA;
    }
    if (!act->has_applies_to || !type_listed(p->type, act->principals, act->n_principals)) {
        aib__json_uid_str(r->action, as, sizeof(as));
        aib_diag_set(diag, FILE_NAME, 0, 0, "principal type `%.*s` is not valid for `%s`",
                     (int)(p->type.len > 200 ? 200 : p->type.len), p->type.ptr, as);
        return AIB_ESCHEMA;
    }
    if (!act->has_applies_to || !type_listed(res->type, act->resources, act->n_resources)) {
        aib__json_uid_str(r->action, as, sizeof(as));
        aib_diag_set(diag, FILE_NAME, 0, 0, "resource type `%.*s` is not valid for `%s`",
                     (int)(res->type.len > 200 ? 200 : res->type.len), res->type.ptr, as);
        return AIB_ESCHEMA;
    }
    if (aib__json_check_enum_uid(schema, p, why, sizeof(why)) != 0 ||
        aib__json_check_enum_uid(schema, res, why, sizeof(why)) != 0) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "%s", why);
        return AIB_ESCHEMA;
    }
    if (!aib__json_conforms(&r->context, act->context ? act->context : &EMPTY_RECORD, why,
                            sizeof(why))) {
        aib__json_uid_str(r->action, as, sizeof(as));
        aib_diag_set(diag, FILE_NAME, 0, 0, "context is not valid for `%s`: %s", as, why);
        return AIB_ESCHEMA;
    }
    if (aib__json_check_enum_value(schema, &r->context, why, sizeof(why)) != 0) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "context: %s", why);
        return AIB_ESCHEMA;
    }
    return 0;
}

/* The general path (jansson): every form, every message. aib_cedar_request_parse below tries
 * the fast reader (json_fast*.c) first and comes here for anything it does not decide. */
int aib__request_parse_general(const char *json, size_t len, const aib_cedar_schema_t *schema,
                               bool validate_req, aib_arena_t *arena, aib_cedar_request_t **out,
                               aib_diag_t *diag)
{
    json_t *root = NULL, *empty = NULL;
    const json_t *cj;
    aib__request_t *r = NULL;
    aib__uid_t *p = NULL, *a = NULL, *res = NULL;
    const aib__action_t *act = NULL;
    const aib__type_t *ctype = NULL;
    int rc = 0;

    if (out)
        *out = NULL;
    if (!out || !arena) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "no output or arena given");
        return AIB_EINVAL;
    }
    root = aib__json_load(json, len, FILE_NAME, diag, &rc);
    if (!root)
        goto done;
    if (!json_is_object(root)) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "expected a JSON object with principal, action, "
                                            "resource and context");
        rc = AIB_EINVAL;
        goto done;
    }
    if ((rc = uid_field(root, "principal", arena, &p, diag)) != 0 ||
        (rc = uid_field(root, "action", arena, &a, diag)) != 0 ||
        (rc = uid_field(root, "resource", arena, &res, diag)) != 0)
        goto done;

    r = aib_arena_calloc(arena, 1, sizeof(*r));
    if (!r) {
        rc = AIB_ENOMEM;
        goto done;
    }
    r->principal = p;
    r->action = a;
    r->resource = res;

    if (schema) {
        act = aib__schema_action(schema, a);
        if (act)
            ctype = act->context ? act->context : &EMPTY_RECORD;
    }
    cj = json_object_get(root, "context");
    if (!cj) {
        empty = json_object();
        if (!empty) {
            rc = AIB_ENOMEM;
            goto done;
        }
        cj = empty;
    }
    if (!json_is_object(cj)) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "context: expected a JSON object (a record)");
        rc = AIB_EINVAL;
        goto done;
    }
    rc = aib__json_to_value(cj, ctype, schema, arena, "context", 0, &r->context, diag);
    if (rc != 0) {
        if (diag)
            snprintf(diag->file, sizeof(diag->file), "%s", FILE_NAME);
        goto done;
    }
    if (r->context.kind != AIB__V_RECORD) {
        /* an untyped single-key escape such as {"__entity": ...} is not a record */
        aib_diag_set(diag, FILE_NAME, 0, 0, "context: expected a record, found %s",
                     aib__vkind_name(r->context.kind));
        rc = AIB_EINVAL;
        goto done;
    }
    if (validate_req && schema) {
        rc = validate(schema, r, act, diag);
        if (rc != 0)
            goto done;
    }

done:
    if (rc == AIB_ENOMEM)
        aib_diag_set(diag, FILE_NAME, 0, 0, "out of memory");
    if (root)
        json_decref(root);
    if (empty)
        json_decref(empty);
    if (rc != 0)
        return rc;
    *out = r;
    return 0;
}

int aib_cedar_request_parse(const char *json, size_t len, const aib_cedar_schema_t *schema,
                            bool validate_req, aib_arena_t *arena, aib_cedar_request_t **out,
                            aib_diag_t *diag)
{
    aib__request_t *r = NULL;
    int rc;

    if (out)
        *out = NULL;
    if (!out || !arena)
        return aib__request_parse_general(json, len, schema, validate_req, arena, out, diag);
    rc = aib__jf_request(json, len, schema, arena, &r);
    if (rc == AIB__JF_FALLBACK)
        return aib__request_parse_general(json, len, schema, validate_req, arena, out, diag);
    if (rc == AIB_ENOMEM) {
        aib_diag_set(diag, FILE_NAME, 0, 0, "out of memory");
        return rc;
    }
    if (validate_req && schema) {
        rc = validate(schema, r, aib__schema_action(schema, r->action), diag);
        if (rc != 0)
            return rc;
    }
    *out = r;
    return 0;
}
