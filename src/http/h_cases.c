/* h_cases.c — handlers of the /v1/cases routes. Each call is authorized by the Cedar engine
 * with the case as resource; a case the caller's nation may not see answers 404 exactly like a
 * missing one, so existence never leaks. Writes go through the case workflow (aib_cases_*),
 * which commits durably before the handler answers. */
#include "http_int.h"

#include <string.h>

static void actor_of(const aib__req_t *r, aib_actor_t *a)
{
    a->person = r->who.person;
    a->nation = r->who.nation;
    a->role = r->who.role;
}

static int not_found(aib__req_t *r)
{
    return aib__http_error(r, 404, "not_found", NULL, "no such resource");
}

static int check(aib__req_t *r, const char *action, const aib__resource_t *res, int *allowed)
{
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    rc = aib__authz_check(&r->srv->authz, &r->who, action, res, r->arena, allowed, &d);
    if (rc != 0)
        aib__http_error_rc(r, rc == AIB_EINVAL || rc == AIB_ESCHEMA ? AIB_EINTERNAL : rc, &d);
    return rc;
}

/* Loads case r->m.id if the caller may read it; otherwise answers 404 (or the error). */
static int load_visible(aib__req_t *r, aib_case_t *c)
{
    aib__resource_t res;
    aib_diag_t d;
    int rc, allowed = 0;

    if (!aib__req_store(r))
        return AIB_EIO;
    aib_diag_clear(&d);
    rc = aib_cases_get(r->srv->cases, r->st, r->m.id, r->arena, c, &d);
    if (rc == AIB_ENOTFOUND) {
        not_found(r);
        return rc;
    }
    if (rc != 0) {
        aib__http_error_rc(r, rc, &d);
        return rc;
    }
    aib__authz_case_resource(c, &res);
    if ((rc = check(r, "case.read", &res, &allowed)) != 0)
        return rc;
    if (!allowed) {
        not_found(r);
        return AIB_ENOTFOUND;
    }
    return 0;
}

/* After load_visible: may the caller do action on c? 403 when not. */
static int permit_on(aib__req_t *r, const aib_case_t *c, const char *action)
{
    aib__resource_t res;
    int rc, allowed = 0;

    aib__authz_case_resource(c, &res);
    if ((rc = check(r, action, &res, &allowed)) != 0)
        return rc;
    if (!allowed) {
        aib__http_error(r, 403, "forbidden", NULL, "the API policies do not permit %s on this case",
                        action);
        return AIB_EDENIED;
    }
    return 0;
}

static int answer_case(aib__req_t *r, int status, const aib_case_t *c)
{
    aib_buf_clear(&r->out);
    if (aib_case_to_json(c, &r->out) != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = status;
    r->ctype = "application/json";
    return 0;
}

int aib__h_case_create(aib__req_t *r)
{
    json_t *body = NULL, *v;
    const char **rel = NULL;
    size_t n_rel = 0, i;
    aib__resource_t res;
    aib_actor_t who;
    aib_case_t c;
    aib_diag_t d;
    int rc, allowed = 0;

    if (aib__http_body_object(r, &body) != 0)
        return 0;
    memset(&res, 0, sizeof(res));
    res.type = "Case";
    res.id = "new";
    res.nation = r->who.nation;
    res.stage = "";
    res.case_type = "";
    /* The Cedar resource is the case as it would be created: owner nation and release list. */
    v = json_object_get(body, "nation");
    if (v && !json_is_string(v)) {
        aib__http_error(r, 400, "invalid", "nation", "expected a string (ISO 3166-1 alpha-3)");
        goto done;
    }
    if (v)
        res.nation = aib_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
    v = json_object_get(body, "type");
    if (v && json_is_string(v))
        res.case_type = aib_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
    v = json_object_get(body, "released_to");
    if (v && !json_is_array(v)) {
        aib__http_error(r, 400, "invalid", "released_to", "expected an array of nation codes");
        goto done;
    }
    if (v && json_array_size(v) > 0) {
        n_rel = json_array_size(v);
        rel = aib_arena_calloc(r->arena, n_rel, sizeof(*rel));
        if (!rel) {
            aib__http_error(r, 500, "internal", NULL, "out of memory");
            goto done;
        }
        for (i = 0; i < n_rel; i++) {
            json_t *e = json_array_get(v, i);
            char field[40];

            if (!json_is_string(e)) {
                snprintf(field, sizeof(field), "released_to[%zu]", i);
                aib__http_error(r, 400, "invalid", field, "expected a nation code string");
                goto done;
            }
            rel[i] = aib_arena_strndup(r->arena, json_string_value(e), json_string_length(e));
        }
    }
    res.released_to = rel;
    res.n_released_to = n_rel;
    if (!res.nation) {
        aib__http_error(r, 500, "internal", NULL, "out of memory");
        goto done;
    }
    if (check(r, "case.create", &res, &allowed) != 0)
        goto done;
    if (!allowed) {
        aib__http_error(r, 403, "forbidden", NULL,
                        "the API policies do not permit creating a case owned by %s",
                        res.nation);
        goto done;
    }
    if (!aib__req_store(r))
        goto done;
    actor_of(r, &who);
    aib_diag_clear(&d);
    aib__req_write_begin(r);
    rc = aib_cases_create(r->srv->cases, r->st, &who, r->body.data, r->body.len, r->arena, &c, &d);
    aib__req_write_end(r);
    if (rc != 0) {
        aib__http_error_rc(r, rc, &d);
        goto done;
    }
    /* aib_cases_create returned: the case and its audit entry are durably committed. */
    aib_buf_clear(&r->out);
    if (aib_buf_puts(&r->out, "{\"id\":") != 0 || aib_buf_json_str(&r->out, c.id, strlen(c.id)) != 0
        || aib_buf_puts(&r->out, "}") != 0) {
        aib__http_error(r, 500, "internal", NULL, "out of memory");
        goto done;
    }
    snprintf(r->location, sizeof(r->location), "/v1/cases/%s", c.id);
    r->status = 201;
    r->ctype = "application/json";
done:
    json_decref(body);
    return 0;
}

static const char *const list_params[] = { "type", "subtype", "stage", "owner", "nation",
                                           "tag", "open", "cursor", "limit", NULL };

int aib__http_case_filter(aib__req_t *r, aib_case_filter_t *f, aib_diag_t *d)
{
    const char *open;
    const char *lim;
    int64_t n;

    memset(f, 0, sizeof(*f));
    f->type = aib__http_query_get(r->query, r->n_query, "type");
    f->subtype = aib__http_query_get(r->query, r->n_query, "subtype");
    f->stage = aib__http_query_get(r->query, r->n_query, "stage");
    f->owner = aib__http_query_get(r->query, r->n_query, "owner");
    f->nation = aib__http_query_get(r->query, r->n_query, "nation");
    f->tag = aib__http_query_get(r->query, r->n_query, "tag");
    f->cursor = aib__http_query_get(r->query, r->n_query, "cursor");
    f->visible_to = r->who.nation;
    open = aib__http_query_get(r->query, r->n_query, "open");
    if (open) {
        if (!strcmp(open, "true") || !strcmp(open, "1"))
            f->open_only = 1;
        else if (strcmp(open, "false") != 0 && strcmp(open, "0") != 0) {
            aib_diag_set(d, "query.open", 0, 0, "expected true or false");
            return AIB_EINVAL;
        }
    }
    lim = aib__http_query_get(r->query, r->n_query, "limit");
    if (lim) {
        if (aib__http_query_int("limit", lim, 1, 1000, &n, d) != 0)
            return AIB_EINVAL;
        f->limit = (size_t)n;
    }
    return 0;
}

int aib__h_case_list(aib__req_t *r)
{
    aib_case_filter_t f;
    aib_case_list_t list, shown;
    aib_diag_t d;
    size_t i;
    int rc;

    aib_diag_clear(&d);
    if (aib__http_query_check(r->query, r->n_query, list_params, &d) != 0
        || aib__http_case_filter(r, &f, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if (aib__req_allow_service(r, "case.list", "cases") != 0)
        return 0;
    if (!aib__req_store(r))
        return 0;
    rc = aib_store_case_list(r->st, &f, r->arena, &list, &d);
    if (rc != 0) {
        if (rc == AIB_EINVAL && !d.file[0])
            snprintf(d.file, sizeof(d.file), "query.cursor");
        return aib__http_error_rc(r, rc, &d);
    }
    /* The store filtered by nation already; each item is still put to the engine, so the
     * policies, not this code, have the last word on what a nation sees. */
    shown = list;
    shown.n = 0;
    shown.items = aib_arena_calloc(r->arena, list.n ? list.n : 1, sizeof(aib_case_t));
    if (!shown.items)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    for (i = 0; i < list.n; i++) {
        aib__resource_t res;
        int allowed = 0;

        aib__authz_case_resource(&list.items[i], &res);
        if (check(r, "case.read", &res, &allowed) != 0)
            return 0;
        if (allowed)
            shown.items[shown.n++] = list.items[i];
    }
    aib_buf_clear(&r->out);
    if (aib_case_list_to_json(&shown, &r->out) != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "application/json";
    return 0;
}

int aib__h_case_get(aib__req_t *r)
{
    aib_case_t c;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (load_visible(r, &c) != 0)
        return 0;
    return answer_case(r, 200, &c);
}

/* The write routes share one shape: visible? permitted? then the workflow call. */
typedef int (*write_fn)(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who,
                        const char *id, const char *json, size_t len, aib_arena_t *arena,
                        aib_case_t *out, aib_diag_t *diag);

static int write_route(aib__req_t *r, const char *action, write_fn fn, int status)
{
    aib_case_t c, after;
    aib_actor_t who;
    aib_diag_t d;
    json_t *body = NULL;
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (load_visible(r, &c) != 0)
        return 0;
    if (permit_on(r, &c, action) != 0)
        return 0;
    /* Malformed JSON is reported with its position before the workflow sees it. */
    if (aib__http_body_object(r, &body) != 0)
        return 0;
    json_decref(body);
    actor_of(r, &who);
    aib_diag_clear(&d);
    aib__req_write_begin(r);
    rc = fn(r->srv->cases, r->st, &who, r->m.id, r->body.data, r->body.len, r->arena, &after, &d);
    aib__req_write_end(r);
    if (rc == AIB_EEXIST)
        return aib__http_error(r, 409, "conflict", d.file[0] ? d.file : NULL,
                               "the case changed concurrently; reload and retry");
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    return answer_case(r, status, &after);
}

int aib__h_case_update(aib__req_t *r)
{
    return write_route(r, "case.update", aib_cases_update, 200);
}

int aib__h_case_transition(aib__req_t *r)
{
    return write_route(r, "case.transition", aib_cases_transition, 200);
}

int aib__h_case_comment(aib__req_t *r)
{
    return write_route(r, "case.comment", aib_cases_comment, 201);
}

int aib__h_case_attach(aib__req_t *r)
{
    return write_route(r, "case.attach", aib_cases_attach, 201);
}

static const char *const audit_params[] = { "after", "limit", NULL };

int aib__h_case_audit(aib__req_t *r)
{
    aib_case_t c;
    aib_audit_entry_t *e = NULL;
    size_t n = 0;
    int64_t after = 0, limit = 100;
    const char *v;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    if (aib__http_query_check(r->query, r->n_query, audit_params, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if ((v = aib__http_query_get(r->query, r->n_query, "after"))
        && aib__http_query_int("after", v, 0, INT64_MAX, &after, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if ((v = aib__http_query_get(r->query, r->n_query, "limit"))
        && aib__http_query_int("limit", v, 1, 1000, &limit, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if (load_visible(r, &c) != 0)
        return 0;
    if (permit_on(r, &c, "case.audit") != 0)
        return 0;
    rc = aib_store_audit_list(r->st, after, (size_t)limit, c.id, r->arena, &e, &n, &d);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    if (aib__http_audit_json(&r->out, e, n, (size_t)limit) != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "application/json";
    return 0;
}

int aib__h_case_types(aib__req_t *r)
{
    size_t i, j, k, n;
    aib_buf_t *b = &r->out;
    int rc = 0;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (aib__req_allow_service(r, "casetype.read", "case-types") != 0)
        return 0;
    n = aib_cases_type_count(r->srv->cases);
    aib_buf_clear(b);
    rc = aib_buf_puts(b, "{\"items\":[");
    for (i = 0; !rc && i < n; i++) {
        const aib_case_type_def_t *t = aib_cases_type_at(r->srv->cases, i);

        rc = aib_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        rc = rc ? rc : aib_buf_json_str(b, t->id, strlen(t->id));
        rc = rc ? rc : aib_buf_puts(b, ",\"name\":");
        rc = rc ? rc : aib_buf_json_str(b, t->name ? t->name : "", t->name ? strlen(t->name) : 0);
        rc = rc ? rc : aib_buf_puts(b, ",\"initial\":");
        rc = rc ? rc : aib_buf_json_str(b, t->initial, strlen(t->initial));
        rc = rc ? rc : aib_buf_puts(b, ",\"source\":");
        rc = rc ? rc : aib_buf_json_str(b, t->source ? t->source : "", t->source ? strlen(t->source) : 0);
        rc = rc ? rc : aib_buf_puts(b, ",\"subtypes\":[");
        for (j = 0; !rc && j < t->n_subtypes; j++) {
            rc = j ? aib_buf_putc(b, ',') : 0;
            rc = rc ? rc : aib_buf_json_str(b, t->subtypes[j], strlen(t->subtypes[j]));
        }
        rc = rc ? rc : aib_buf_puts(b, "],\"fields\":[");
        for (j = 0; !rc && j < t->n_fields; j++) {
            const aib_case_field_def_t *f = &t->fields[j];

            rc = aib_buf_puts(b, j ? ",{\"name\":" : "{\"name\":");
            rc = rc ? rc : aib_buf_json_str(b, f->name, strlen(f->name));
            rc = rc ? rc : aib_buf_puts(b, ",\"kind\":");
            rc = rc ? rc : aib_buf_json_str(b, f->kind, strlen(f->kind));
            rc = rc ? rc : aib_buf_printf(b, ",\"required\":%s}", f->required ? "true" : "false");
        }
        rc = rc ? rc : aib_buf_puts(b, "],\"stages\":[");
        for (j = 0; !rc && j < t->n_stages; j++) {
            const aib_case_stage_def_t *s = &t->stages[j];

            rc = aib_buf_puts(b, j ? ",{\"id\":" : "{\"id\":");
            rc = rc ? rc : aib_buf_json_str(b, s->id, strlen(s->id));
            rc = rc ? rc : aib_buf_puts(b, ",\"name\":");
            rc = rc ? rc : aib_buf_json_str(b, s->name ? s->name : "", s->name ? strlen(s->name) : 0);
            rc = rc ? rc : aib_buf_puts(b, ",\"owner\":");
            rc = rc ? rc : aib_buf_json_str(b, s->owner ? s->owner : "", s->owner ? strlen(s->owner) : 0);
            rc = rc ? rc : aib_buf_printf(b, ",\"terminal\":%s,\"target_ms\":%lld,\"next\":[",
                                          s->terminal ? "true" : "false", (long long)s->target_ms);
            for (k = 0; !rc && k < s->n_next; k++) {
                rc = k ? aib_buf_putc(b, ',') : 0;
                rc = rc ? rc : aib_buf_json_str(b, s->next[k], strlen(s->next[k]));
            }
            rc = rc ? rc : aib_buf_puts(b, "]}");
        }
        rc = rc ? rc : aib_buf_puts(b, "]}");
    }
    rc = rc ? rc : aib_buf_puts(b, "]}");
    if (rc != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "application/json";
    return 0;
}
