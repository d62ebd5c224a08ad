/* respond.c — JSON error responses and request-body parsing for the API handlers. Every 4xx
 * carries {"error":{"status","code","field","message"}} so a client can point at the field. */
#include "http_int.h"

#include <stdarg.h>
#include <string.h>

int aib__http_error(aib__req_t *r, int status, const char *code, const char *field,
                    const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    aib_buf_clear(&r->out);
    r->status = status;
    r->ctype = "application/json";
    if (aib_buf_printf(&r->out, "{\"error\":{\"status\":%d,\"code\":", status) != 0
        || aib_buf_json_str(&r->out, code, strlen(code)) != 0)
        return AIB_ENOMEM;
    if (field) {
        if (aib_buf_puts(&r->out, ",\"field\":") != 0
            || aib_buf_json_str(&r->out, field, strlen(field)) != 0)
            return AIB_ENOMEM;
    }
    if (aib_buf_puts(&r->out, ",\"message\":") != 0
        || aib_buf_json_str(&r->out, msg, strlen(msg)) != 0 || aib_buf_puts(&r->out, "}}") != 0)
        return AIB_ENOMEM;
    return 0;
}

int aib__http_error_rc(aib__req_t *r, int rc, const aib_diag_t *d)
{
    const char *field = d && d->file[0] ? d->file : NULL;
    const char *msg = d && d->msg[0] ? d->msg : aib_strerror(rc);

    switch (rc) {
    case AIB_EINVAL:
    case AIB_EPARSE:
    case AIB_ESCHEMA:
    case AIB_ETYPE:
    case AIB_ELIMIT:
        /* Bad input: the library put the JSON path of the offending field in diag->file. */
        return aib__http_error(r, 400, "invalid", field ? field : "body", "%s", msg);
    case AIB_ENOTFOUND:
        return aib__http_error(r, 404, "not_found", NULL, "no such resource");
    case AIB_EEXIST:
        return aib__http_error(r, 409, "conflict", field, "%s", msg);
    case AIB_EDENIED:
        return aib__http_error(r, 403, "forbidden", NULL, "not permitted");
    default:
        /* Internal detail stays in the server log; the client learns only that it failed. The
         * store handle is reopened before its next use in case its connection broke. */
        r->st_failed = 1;
        if (r->srv && r->srv->log) {
            char line[1200];
            aib_buf_t b;

            line[0] = '\0';
            if (d)
                aib_diag_format(d, line, sizeof(line));
            aib_buf_init(&b);
            if (aib_buf_printf(&b, "{\"level\":\"error\",\"route\":\"%s\",\"error\":\"%s\",\"detail\":",
                               r->matched ? r->m.route->name : "-", aib_strerror(rc)) == 0
                && aib_buf_json_str(&b, line, strlen(line)) == 0 && aib_buf_puts(&b, "}\n") == 0) {
                pthread_mutex_lock(&r->srv->log_mu);
                fwrite(b.data, 1, b.len, r->srv->log);
                pthread_mutex_unlock(&r->srv->log_mu);
            }
            aib_buf_free(&b);
        }
        return aib__http_error(r, rc == AIB_EIO ? 503 : 500, "internal", NULL, "%s",
                               rc == AIB_EIO ? "storage unavailable, retry" : "internal error");
    }
}

int aib__http_parse_object(const char *text, size_t len, json_t **out, aib_diag_t *diag)
{
    json_error_t err;
    json_t *j;

    *out = NULL;
    if (len == 0) {
        aib_diag_set(diag, "body", 0, 0, "a JSON object is required");
        return AIB_EPARSE;
    }
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        aib_diag_set(diag, "body", err.line, err.column, "malformed JSON: %s", err.text);
        return AIB_EPARSE;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        aib_diag_set(diag, "body", 0, 0, "the body must be a JSON object");
        return AIB_EPARSE;
    }
    *out = j;
    return 0;
}

int aib__http_body_object(aib__req_t *r, json_t **out)
{
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    rc = aib__http_parse_object(r->body.data ? r->body.data : "", r->body.len, out, &d);
    if (rc != 0) {
        if (d.line > 0)
            aib__http_error(r, 400, "malformed_json", "body", "line %d, column %d: %s", d.line,
                            d.col, d.msg);
        else
            aib__http_error(r, 400, "malformed_json", "body", "%s", d.msg);
    }
    return rc;
}

int aib__http_only_keys(aib__req_t *r, json_t *obj, const char *prefix,
                        const char *const *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v) {
        size_t i;
        int ok = 0;

        (void)v;
        for (i = 0; allowed[i]; i++)
            if (!strcmp(key, allowed[i]))
                ok = 1;
        if (!ok) {
            char field[300];

            snprintf(field, sizeof(field), "%s%s%.200s", prefix ? prefix : "",
                     prefix && prefix[0] ? "." : "", key);
            aib__http_error(r, 400, "unknown_field", field, "unknown field");
            return AIB_EINVAL;
        }
    }
    return 0;
}
