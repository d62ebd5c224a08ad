/* h_misc.c — handlers of the non-case routes: metrics (common operating picture, filtered to the
 * caller's nation), the global audit log and its verification, whoami, Cedar authorization for
 * tools, screening, health, Prometheus and the OpenAPI document. */
#include "http_int.h"

#include <stdlib.h>
#include <string.h>

#include "aib/determine.h"
#include "aib/screen.h"

static int ok_json(aib__req_t *r, int rc)
{
    if (rc != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "application/json";
    return 0;
}

static const char *const metrics_params[] = { "group_by", "type", "subtype", "stage", "owner",
                                              "nation", "tag", "open", "target_hours", NULL };

int aib__h_metrics(aib__req_t *r)
{
    aib_case_filter_t f;
    aib_metrics_query_t q;
    aib_metrics_t m;
    aib_diag_t d;
    const char *gb, *th;
    int rc;

    aib_diag_clear(&d);
    memset(&q, 0, sizeof(q));
    if (aib__http_query_check(r->query, r->n_query, metrics_params, &d) != 0
        || aib__http_case_filter(r, &f, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if ((gb = aib__http_query_get(r->query, r->n_query, "group_by")) != NULL) {
        const char *p = gb;

        while (*p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);

            if (n == 4 && !memcmp(p, "type", 4))
                q.group_by |= AIB_METRICS_BY_TYPE;
            else if (n == 5 && !memcmp(p, "stage", 5))
                q.group_by |= AIB_METRICS_BY_STAGE;
            else if (n == 7 && !memcmp(p, "country", 7))
                q.group_by |= AIB_METRICS_BY_COUNTRY;
            else if (n == 5 && !memcmp(p, "owner", 5))
                q.group_by |= AIB_METRICS_BY_OWNER;
            else
                return aib__http_error(r, 400, "invalid", "query.group_by",
                                       "expected a comma-separated list of type, stage, country, "
                                       "owner");
            p += n;
            if (*p == ',')
                p++;
        }
    }
    if ((th = aib__http_query_get(r->query, r->n_query, "target_hours")) != NULL) {
        int64_t h;

        if (aib__http_query_int("target_hours", th, 1, 24 * 366, &h, &d) != 0)
            return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
        q.target_ms = h * 3600 * 1000;
    }
    if (aib__req_allow_service(r, "metrics.read", "metrics") != 0)
        return 0;
    if (!aib__req_store(r))
        return 0;
    /* Drill-downs by type, stage, country or owner never widen the view: visible_to is the
     * caller's nation whatever the query says. */
    q.filter = &f;
    rc = aib_cases_metrics(r->srv->cases, r->st, &q, r->arena, &m, &d);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    return ok_json(r, aib_metrics_to_json(&m, &r->out));
}

static int put_s(aib_buf_t *b, const char *k, const char *v)
{
    v = v ? v : "";
    if (aib_buf_printf(b, ",\"%s\":", k) != 0)
        return AIB_ENOMEM;
    return aib_buf_json_str(b, v, strlen(v));
}

int aib__http_audit_json(aib_buf_t *b, const aib_audit_entry_t *e, size_t n, size_t limit)
{
    size_t i;
    int rc = aib_buf_puts(b, "{\"items\":[");

    for (i = 0; !rc && i < n; i++) {
        rc = aib_buf_printf(b, "%s{\"seq\":%lld,\"at\":%lld", i ? "," : "", (long long)e[i].seq,
                            (long long)e[i].at);
        rc = rc ? rc : put_s(b, "person", e[i].person);
        rc = rc ? rc : put_s(b, "nation", e[i].nation);
        rc = rc ? rc : put_s(b, "role", e[i].role);
        rc = rc ? rc : put_s(b, "action", e[i].action);
        rc = rc ? rc : put_s(b, "object", e[i].object);
        /* detail is JSON object text the store wrote itself. */
        rc = rc ? rc : aib_buf_puts(b, ",\"detail\":");
        rc = rc ? rc : aib_buf_puts(b, e[i].detail && e[i].detail[0] ? e[i].detail : "{}");
        rc = rc ? rc : put_s(b, "prev_hash", e[i].prev_hash);
        rc = rc ? rc : put_s(b, "hash", e[i].hash);
        rc = rc ? rc : aib_buf_putc(b, '}');
    }
    if (!rc) {
        if (n > 0 && n == limit)
            rc = aib_buf_printf(b, "],\"next_after\":%lld}", (long long)e[n - 1].seq);
        else
            rc = aib_buf_puts(b, "],\"next_after\":null}");
    }
    return rc;
}

static const char *const audit_params[] = { "after", "limit", NULL };

int aib__h_audit(aib__req_t *r)
{
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
    if (aib__req_allow_service(r, "audit.read", "audit") != 0)
        return 0;
    if (!aib__req_store(r))
        return 0;
    rc = aib_store_audit_list(r->st, after, (size_t)limit, NULL, r->arena, &e, &n, &d);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    return ok_json(r, aib__http_audit_json(&r->out, e, n, (size_t)limit));
}

int aib__h_audit_verify(aib__req_t *r)
{
    aib_audit_report_t rep;
    aib_diag_t d;
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (aib__req_allow_service(r, "audit.verify", "audit") != 0)
        return 0;
    if (!aib__req_store(r))
        return 0;
    aib_diag_clear(&d);
    memset(&rep, 0, sizeof(rep));
    rc = aib_store_audit_verify(r->st, &rep, &d);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    rc = aib_buf_printf(&r->out, "{\"ok\":%s,\"entries\":%lld,\"bad_seq\":%lld",
                        rep.ok ? "true" : "false", (long long)rep.entries, (long long)rep.bad_seq);
    rc = rc ? rc : put_s(&r->out, "head_hash", rep.head_hash);
    rc = rc ? rc : put_s(&r->out, "problem", rep.problem);
    rc = rc ? rc : aib_buf_putc(&r->out, '}');
    return ok_json(r, rc);
}

int aib__h_whoami(aib__req_t *r)
{
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (aib__req_allow_service(r, "session.read", "session") != 0)
        return 0;
    aib_buf_clear(&r->out);
    rc = aib_buf_puts(&r->out, "{\"person\":");
    rc = rc ? rc : aib_buf_json_str(&r->out, r->who.person, strlen(r->who.person));
    rc = rc ? rc : put_s(&r->out, "nation", r->who.nation);
    rc = rc ? rc : put_s(&r->out, "role", r->who.role);
    rc = rc ? rc : put_s(&r->out, "token_id", r->who.token_id);
    rc = rc ? rc : put_s(&r->out, "operator", r->srv->operator_nation);
    rc = rc ? rc : aib_buf_putc(&r->out, '}');
    return ok_json(r, rc);
}

static const char *const authorize_keys[] = { "policy_set", "principal", "action", "resource",
                                              "context", "entities", "validate", NULL };

int aib__h_cedar_authorize(aib__req_t *r)
{
    json_t *body = NULL, *v;
    char *ents_text = NULL;
    size_t ents_len = 0;
    aib_cedar_entities_t *ents = NULL;
    aib_cedar_request_t *req = NULL;
    aib_cedar_response_t resp;
    aib_diag_t d;
    int validate = 0, rc;
    size_t i;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (aib__req_allow_service(r, "cedar.authorize", "cedar") != 0)
        return 0;
    if (aib__http_body_object(r, &body) != 0)
        return 0;
    if (aib__http_only_keys(r, body, "", authorize_keys) != 0)
        goto done;
    v = json_object_get(body, "policy_set");
    if (v && (!json_is_string(v) || strcmp(json_string_value(v), "api") != 0)) {
        aib__http_error(r, 400, "invalid", "policy_set", "the loaded policy sets are: api");
        goto done;
    }
    v = json_object_get(body, "validate");
    if (v && !json_is_boolean(v)) {
        aib__http_error(r, 400, "invalid", "validate", "expected true or false");
        goto done;
    }
    validate = v && json_is_true(v);
    aib_diag_clear(&d);
    v = json_object_get(body, "entities");
    if (v) {
        if (!json_is_array(v)) {
            aib__http_error(r, 400, "invalid", "entities", "expected an array of entities");
            goto done;
        }
        ents_text = json_dumps(v, JSON_COMPACT);
        if (!ents_text) {
            aib__http_error(r, 500, "internal", NULL, "out of memory");
            goto done;
        }
        ents_len = strlen(ents_text);
        rc = aib_cedar_entities_parse(ents_text, ents_len, "entities", r->srv->authz.schema, &ents,
                                      &d);
        if (rc != 0) {
            aib__http_error(r, 400, "invalid", "entities", "%s", d.msg);
            goto done;
        }
    }
    /* The request parser reads principal/action/resource/context and ignores other keys. */
    rc = aib_cedar_request_parse(r->body.data, r->body.len, r->srv->authz.schema, validate != 0,
                                 r->arena, &req, &d);
    if (rc != 0) {
        aib__http_error(r, 400, "invalid", d.file[0] ? d.file : "request", "%s", d.msg);
        goto done;
    }
    if ((rc = aib_cedar_authorize(r->srv->authz.ps, ents, req, r->arena, &resp)) != 0) {
        aib__http_error_rc(r, rc, &d);
        goto done;
    }
    aib_buf_clear(&r->out);
    rc = aib_cedar_response_json(&resp, &r->out);
    /* The @id annotations of the deciding policies, for people reading the answer. */
    if (!rc && r->out.len && r->out.data[r->out.len - 1] == '}') {
        r->out.len--;
        r->out.data[r->out.len] = '\0';
        rc = aib_buf_puts(&r->out, ",\"reason_ids\":[");
        for (i = 0; !rc && i < resp.n_reason; i++) {
            const char *id = aib_cedar_policy_annotation(r->srv->authz.ps, resp.reason[i], "id");

            id = id ? id : resp.reason[i];
            rc = i ? aib_buf_putc(&r->out, ',') : 0;
            rc = rc ? rc : aib_buf_json_str(&r->out, id, strlen(id));
        }
        rc = rc ? rc : aib_buf_puts(&r->out, "]}");
    }
    ok_json(r, rc);
done:
    aib_cedar_entities_free(ents);
    free(ents_text);
    json_decref(body);
    return 0;
}

static const char *const screen_keys[] = { "name", "schema", "country", "dob", "id_number",
                                           "threshold", "limit", "all_candidates", NULL };
static const char *const screen_batch_keys[] = { "queries", NULL };

/* Most queries in one batch: bounds the answer (each item may carry up to 100 explained hits). */
#define SCREEN_BATCH_MAX 1000

/* Field name of key under prefix ("" for a single query, "queries[3]" for a batch item). */
static const char *screen_field(const char *prefix, const char *key, char *buf, size_t cap)
{
    if (!prefix[0])
        return key;
    snprintf(buf, cap, "%s.%s", prefix, key);
    return buf;
}

/* Writes the 400 answer for key under prefix; returns AIB_EINVAL. */
static int screen_bad(aib__req_t *r, const char *prefix, const char *key, const char *msg)
{
    char f[64];

    aib__http_error(r, 400, "invalid", screen_field(prefix, key, f, sizeof(f)), "%s", msg);
    return AIB_EINVAL;
}

static int opt_string(aib__req_t *r, json_t *body, const char *prefix, const char *key,
                      const char **out)
{
    json_t *v = json_object_get(body, key);
    char f[64];

    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 1024) {
        aib__http_error(r, 400, "invalid", screen_field(prefix, key, f, sizeof(f)),
                        "expected a non-empty string of at most 1024 bytes");
        return AIB_EINVAL;
    }
    *out = json_string_value(v);
    return 0;
}

/* Validates one query object (the single body or a batch item) into q; strings point into obj.
 * On bad input the 400 answer is already written, naming the field under prefix. */
static int screen_parse(aib__req_t *r, json_t *obj, const char *prefix, aib_screen_query_t *q)
{
    const char *schema = NULL;
    char f[64], cc[3];
    json_t *v;

    memset(q, 0, sizeof(*q));
    if (aib__http_only_keys(r, obj, prefix, screen_keys) != 0
        || opt_string(r, obj, prefix, "name", &q->name)
        || opt_string(r, obj, prefix, "schema", &schema)
        || opt_string(r, obj, prefix, "country", &q->country)
        || opt_string(r, obj, prefix, "dob", &q->dob)
        || opt_string(r, obj, prefix, "id_number", &q->id_number))
        return AIB_EINVAL;
    if (!q->name)
        return screen_bad(r, prefix, "name", "name is required");
    if (schema && !aib_screen_schema_parse(schema, &q->schema))
        return screen_bad(r, prefix, "schema", "expected Person, Company, Vessel, Aircraft or Any");
    /* Checked here, before any item is screened, so a batch fails whole or not at all. */
    if (q->country && !aib_screen_country_code(q->country, strlen(q->country), cc)) {
        aib__http_error(r, 400, "invalid", screen_field(prefix, "country", f, sizeof(f)),
                        "unknown country `%s` (use an ISO 3166 code such as IR)", q->country);
        return AIB_EINVAL;
    }
    if ((v = json_object_get(obj, "threshold")) != NULL) {
        if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 1)
            return screen_bad(r, prefix, "threshold", "expected a number in (0, 1]");
        q->threshold = json_number_value(v);
    }
    if ((v = json_object_get(obj, "limit")) != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100)
            return screen_bad(r, prefix, "limit", "expected an integer from 1 to 100");
        q->limit = (size_t)json_integer_value(v);
    }
    if ((v = json_object_get(obj, "all_candidates")) != NULL) {
        if (!json_is_boolean(v))
            return screen_bad(r, prefix, "all_candidates", "expected true or false");
        q->all_candidates = json_is_true(v);
    }
    return 0;
}

/* Screens q and appends its answer object to r->out. The list set is not safe for concurrent
 * queries, so the mutex is held for this one query only: in a batch, other requests run
 * between items. */
static int screen_one(aib__req_t *r, const aib_screen_query_t *q, aib_diag_t *d)
{
    aib_screen_result_t *res = NULL;
    int rc;

    pthread_mutex_lock(&r->srv->screen_mu);
    rc = aib_screen_query(r->srv->screen, q, &res, d);
    if (rc == 0)
        rc = aib_screen_result_json(r->srv->screen, q, res, &r->out);
    pthread_mutex_unlock(&r->srv->screen_mu);
    aib_screen_result_free(res);
    return rc;
}

/* {"queries":[...]}: every item is validated before any is screened; the answer is
 * {"count","matcher","lists","results":[single answers, in order]}. */
static int screen_batch(aib__req_t *r, json_t *body)
{
    json_t *arr = json_object_get(body, "queries");
    aib_screen_query_t *qs;
    const aib_screen_lists_t *ls = r->srv->screen;
    size_t n, i;
    aib_diag_t d;
    int rc = 0;

    for (i = 0; screen_keys[i]; i++)
        if (json_object_get(body, screen_keys[i]))
            return aib__http_error(r, 400, "invalid", screen_keys[i],
                                   "a body is either one query or {\"queries\":[...]}, not both");
    if (aib__http_only_keys(r, body, "", screen_batch_keys) != 0)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return aib__http_error(r, 400, "invalid", "queries",
                               "expected an array of 1 to %d query objects", SCREEN_BATCH_MAX);
    n = json_array_size(arr);
    if (n > SCREEN_BATCH_MAX)
        return aib__http_error(r, 400, "too_many", "queries",
                               "%zu queries; a batch takes at most %d", n, SCREEN_BATCH_MAX);
    qs = aib_arena_calloc(r->arena, n, sizeof(*qs));
    if (!qs)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    for (i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        char prefix[32];

        snprintf(prefix, sizeof(prefix), "queries[%zu]", i);
        if (!json_is_object(item))
            return aib__http_error(r, 400, "invalid", prefix, "expected a query object");
        if (screen_parse(r, item, prefix, &qs[i]) != 0)
            return 0;
    }
    aib_buf_clear(&r->out);
    /* Lists are fixed once the server has started; they are stated once for the whole batch
     * (each result still carries them, so a result has the same shape as a single answer). */
    rc |= aib_buf_printf(&r->out, "{\"count\":%zu,\"matcher\":\"%s\",\"lists\":[", n,
                         AIB_SCREEN_MATCHER_VERSION);
    for (i = 0; i < aib_screen_lists_count(ls); i++) {
        const aib_screen_list_info_t *li = aib_screen_lists_info(ls, i);

        rc |= aib_buf_puts(&r->out, i ? ",{\"name\":" : "{\"name\":");
        rc |= aib_buf_json_str(&r->out, li->name, strlen(li->name));
        rc |= aib_buf_puts(&r->out, ",\"source\":");
        rc |= aib_buf_json_str(&r->out, li->source, strlen(li->source));
        rc |= aib_buf_printf(&r->out, ",\"sha256\":\"%s\",\"entries\":%zu}", li->sha256,
                             li->n_entries);
    }
    rc |= aib_buf_puts(&r->out, "],\"results\":[");
    if (rc)
        return ok_json(r, AIB_ENOMEM);
    for (i = 0; i < n; i++) {
        aib_diag_clear(&d);
        if ((i && aib_buf_putc(&r->out, ',') != 0) || (rc = screen_one(r, &qs[i], &d)) != 0) {
            char prefix[32];

            /* Inputs were validated above, so this is an internal failure (or memory). */
            snprintf(prefix, sizeof(prefix), "queries[%zu]", i);
            if (!d.file[0] && rc)
                aib_diag_set(&d, prefix, 0, 0, "%s", aib_strerror(rc));
            return aib__http_error_rc(r, rc ? rc : AIB_ENOMEM, &d);
        }
    }
    return ok_json(r, aib_buf_puts(&r->out, "]}"));
}

int aib__h_screen(aib__req_t *r)
{
    json_t *body = NULL;
    aib_screen_query_t q;
    aib_diag_t d;
    int rc;

    if (r->n_query)
        return aib__http_error(r, 400, "invalid", "query", "this route takes no query parameters");
    if (aib__req_allow_service(r, "screen", "screen") != 0)
        return 0;
    if (aib__http_body_object(r, &body) != 0)
        return 0;
    if (json_object_get(body, "queries")) {
        screen_batch(r, body);
        goto done;
    }
    if (screen_parse(r, body, "", &q) != 0)
        goto done;
    aib_diag_clear(&d);
    aib_buf_clear(&r->out);
    if ((rc = screen_one(r, &q, &d)) != 0) {
        aib__http_error_rc(r, rc, &d);
        goto done;
    }
    ok_json(r, 0);
done:
    json_decref(body);
    return 0;
}

static const char *const determine_params[] = { "trace", NULL };

/* The determination parser says "field: problem" or "unknown field `x` ..."; the field becomes
 * the error's field (thread-local copy: the answer is built before the next request). */
static const char *field_of(const char *msg)
{
    static _Thread_local char field[128];
    const char *colon = strchr(msg, ':'), *tick = strchr(msg, '`'), *end;
    size_t n;

    if (colon && !memchr(msg, ' ', (size_t)(colon - msg)) && colon > msg) {
        n = (size_t)(colon - msg);
    } else if (tick && (end = strchr(tick + 1, '`')) != NULL && end > tick + 1) {
        msg = tick + 1;
        n = (size_t)(end - msg);
    } else {
        return "body";
    }
    snprintf(field, sizeof(field), "%.*s", (int)(n < sizeof(field) ? n : sizeof(field) - 1), msg);
    return field;
}

int aib__h_determine(aib__req_t *r)
{
    aib_determine_engine_t *e = r->srv->determine;
    aib_determine_request_t *req = NULL;
    aib_determine_result_t cur, prop;
    const char *tr;
    aib_diag_t d;
    json_t *body = NULL;
    int trace = 0, rc;

    aib_diag_clear(&d);
    if (aib__http_query_check(r->query, r->n_query, determine_params, &d) != 0)
        return aib__http_error(r, 400, "invalid", d.file, "%s", d.msg);
    if ((tr = aib__http_query_get(r->query, r->n_query, "trace")) != NULL) {
        if (strcmp(tr, "true") && strcmp(tr, "false"))
            return aib__http_error(r, 400, "invalid", "query.trace", "expected true or false");
        trace = !strcmp(tr, "true");
    }
    if (!e)
        return aib__http_error(r, 503, "unavailable", NULL,
                               "determinations are not available on this server: %s",
                               r->srv->determine_problem);
    if (aib__req_allow_service(r, "determine", "determine") != 0)
        return 0;
    if (aib__http_body_object(r, &body) != 0)
        return 0;
    json_decref(body);
    /* The engine caches entity stores per membership epoch: one request at a time. */
    pthread_mutex_lock(&r->srv->determine_mu);
    rc = aib_determine_request_parse(e, r->body.data, r->body.len, r->arena, &req, &d);
    if (rc == AIB_EINVAL) {
        pthread_mutex_unlock(&r->srv->determine_mu);
        return aib__http_error(r, 400, "invalid", field_of(d.msg), "%s", d.msg);
    }
    if (rc == 0 && req->regime != AIB_DET_PROPOSED)
        rc = aib_determine_run(e, req, "current", r->arena, &cur, &d);
    if (rc == 0 && req->regime != AIB_DET_CURRENT)
        rc = aib_determine_run(e, req, "proposed", r->arena, &prop, &d);
    pthread_mutex_unlock(&r->srv->determine_mu);
    if (rc != 0)
        return aib__http_error_rc(r, rc, &d);
    aib_buf_clear(&r->out);
    return ok_json(r, aib_determine_result_json(req, req->regime != AIB_DET_PROPOSED ? &cur : NULL,
                                                req->regime != AIB_DET_CURRENT ? &prop : NULL,
                                                trace != 0, &r->out));
}

int aib__h_healthz(aib__req_t *r)
{
    aib_diag_t d;
    int rc;

    if (!aib__req_store(r))
        return 0;
    aib_diag_clear(&d);
    rc = aib_store_ping(r->st, &d);
    aib_buf_clear(&r->out);
    if (rc != 0) {
        aib__req_store_rc(r, AIB_EIO);
        r->status = 503;
        r->ctype = "application/json";
        return aib_buf_puts(&r->out, "{\"status\":\"unavailable\",\"store\":\"down\"}");
    }
    rc = aib_buf_printf(&r->out, "{\"status\":\"ok\",\"store\":\"%s\"}", aib_store_backend(r->st));
    return ok_json(r, rc);
}

int aib__h_prom(aib__req_t *r)
{
    aib_buf_clear(&r->out);
    if (aib__prom_render(&r->srv->prom, &r->out) != 0)
        return aib__http_error(r, 500, "internal", NULL, "out of memory");
    r->status = 200;
    r->ctype = "text/plain; version=0.0.4; charset=utf-8";
    return 0;
}

int aib__h_openapi(aib__req_t *r)
{
    aib_buf_clear(&r->out);
    return ok_json(r, aib_buf_append(&r->out, r->srv->openapi, r->srv->openapi_len));
}
