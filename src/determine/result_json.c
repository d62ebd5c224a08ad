/* result_json.c — writes determinations as JSON (one object per request; with regime "both"
 * the two results side by side and whether the outcome changed). */
#include "determine/determine_int.h"

#include <string.h>

static int s(aib_buf_t *b, const char *v)
{
    if (!v)
        return aib_buf_puts(b, "null");
    return aib_buf_json_str(b, v, strlen(v));
}

static int arr(aib_buf_t *b, const char *key, const char *const *v, size_t n)
{
    size_t i;
    int rc = aib_buf_printf(b, ",\"%s\":[", key);
    for (i = 0; !rc && i < n; i++) {
        if (i)
            rc = aib_buf_putc(b, ',');
        if (!rc)
            rc = s(b, v[i]);
    }
    return rc ? rc : aib_buf_putc(b, ']');
}

static int one(const aib_determine_result_t *r, bool with_trace, aib_buf_t *b)
{
    size_t i;
    int rc = aib_buf_puts(b, "\"pack\":");
    if (!rc)
        rc = s(b, r->pack);
    if (!rc)
        rc = aib_buf_puts(b, ",\"outcome\":");
    if (!rc)
        rc = s(b, r->outcome);
    if (!rc)
        rc = aib_buf_puts(b, ",\"licence\":");
    if (!rc)
        rc = s(b, r->licence);
    if (!rc)
        rc = aib_buf_puts(b, ",\"jurisdiction\":");
    if (!rc)
        rc = s(b, r->jurisdiction);
    if (!rc)
        rc = aib_buf_puts(b, ",\"item\":");
    if (!rc)
        rc = s(b, r->item_ref);
    if (!rc)
        rc = aib_buf_printf(b, ",\"by_default\":%s", r->by_default ? "true" : "false");
    if (!rc)
        rc = arr(b, "rules", r->rules, r->n_rules);
    if (!rc)
        rc = arr(b, "authorities", r->authorities, r->n_authorities);
    if (!rc)
        rc = arr(b, "conditions", r->conditions, r->n_conditions);
    if (!rc)
        rc = arr(b, "candidates", r->candidates, r->n_candidates);
    if (!rc && with_trace) {
        rc = aib_buf_puts(b, ",\"trace\":[");
        for (i = 0; !rc && i < r->n_trace; i++) {
            const aib_determine_trace_t *t = &r->trace[i];
            rc = aib_buf_puts(b, i ? ",{\"rule\":" : "{\"rule\":");
            if (!rc)
                rc = s(b, t->rule);
            if (!rc)
                rc = aib_buf_puts(b, ",\"outcome\":");
            if (!rc)
                rc = s(b, t->outcome);
            if (!rc)
                rc = aib_buf_printf(b, ",\"applied\":%s%s,\"authority\":",
                                    t->applied ? "true" : "false", t->error ? ",\"error\":true" : "");
            if (!rc)
                rc = s(b, t->authority);
            if (!rc)
                rc = aib_buf_puts(b, ",\"why\":");
            if (!rc)
                rc = s(b, t->why);
            if (!rc)
                rc = aib_buf_putc(b, '}');
        }
        if (!rc)
            rc = aib_buf_putc(b, ']');
    }
    return rc;
}

int aib_determine_result_json(const aib_determine_request_t *req, const aib_determine_result_t *cur,
                              const aib_determine_result_t *prop, bool with_trace, aib_buf_t *out)
{
    int rc = aib_buf_puts(out, "{\"id\":");
    if (!rc)
        rc = s(out, req->id);
    if (!rc)
        rc = aib_buf_puts(out, ",\"date\":");
    if (!rc)
        rc = s(out, req->date_text);
    if (cur && prop) {
        if (!rc)
            rc = aib_buf_puts(out, ",\"regime\":\"both\",\"current\":{");
        if (!rc)
            rc = one(cur, with_trace, out);
        if (!rc)
            rc = aib_buf_puts(out, "},\"proposed\":{");
        if (!rc)
            rc = one(prop, with_trace, out);
        if (!rc)
            rc = aib_buf_printf(out, "},\"changed\":%s}",
                                strcmp(cur->outcome, prop->outcome) ? "true" : "false");
        return rc;
    }
    if (!rc)
        rc = aib_buf_puts(out, ",\"regime\":");
    if (!rc)
        rc = s(out, cur ? cur->pack : prop->pack);
    if (!rc)
        rc = aib_buf_putc(out, ',');
    if (!rc)
        rc = one(cur ? cur : prop, with_trace, out);
    return rc ? rc : aib_buf_putc(out, '}');
}
