/* check.c — runs a determinations case file (JSON lines: {"case", "cite", "request",
 * "expect"}) and compares each result with its expectation: outcome, licence, rules that must
 * have decided, candidates, a condition text, or for regime "both" each pack's expectation and
 * whether the outcome changed; "error" expects the request to be rejected with that text.
 * Every case must cite the text that justifies its expected result. */
#include "determine/determine_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY_CAP 1024

static bool has(const char *const *v, size_t n, const char *s, bool prefix)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (prefix ? !strncmp(v[i], s, strlen(s)) : !strcmp(v[i], s))
            return true;
    return false;
}

/* Compares one result with expect; writes the first mismatch into why. */
static bool match(const aib_determine_result_t *r, const json_t *exp, char *why, size_t cap)
{
    const json_t *v;
    size_t i;

    v = json_object_get(exp, "outcome");
    if (v && (!json_is_string(v) || strcmp(json_string_value(v), r->outcome))) {
        snprintf(why, cap, "%s: outcome %s, expected %s", r->pack, r->outcome,
                 json_is_string(v) ? json_string_value(v) : "?");
        return false;
    }
    v = json_object_get(exp, "licence");
    if (v) {
        const char *want = json_is_string(v) ? json_string_value(v) : NULL;
        if ((want == NULL) != (r->licence == NULL) || (want && strcmp(want, r->licence))) {
            snprintf(why, cap, "%s: licence %s, expected %s", r->pack, r->licence ? r->licence : "null",
                     want ? want : "null");
            return false;
        }
    }
    v = json_object_get(exp, "rules");
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s || !has(r->rules, r->n_rules, s, false)) {
            snprintf(why, cap, "%s: rule %s did not decide", r->pack, s ? s : "?");
            return false;
        }
    }
    v = json_object_get(exp, "candidates");
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s || !has(r->candidates, r->n_candidates, s, true)) {
            snprintf(why, cap, "%s: licence exception candidate %s missing", r->pack, s ? s : "?");
            return false;
        }
    }
    v = json_object_get(exp, "condition");
    if (json_is_string(v)) {
        bool found = false;
        for (i = 0; i < r->n_conditions && !found; i++)
            found = strstr(r->conditions[i], json_string_value(v)) != NULL;
        if (!found) {
            snprintf(why, cap, "%s: no condition mentions \"%s\"", r->pack, json_string_value(v));
            return false;
        }
    }
    return true;
}

static bool run_case(aib_determine_engine_t *e, const json_t *c, aib_arena_t *a, char *why,
                     size_t cap)
{
    const json_t *req = json_object_get(c, "request"), *exp = json_object_get(c, "expect");
    const json_t *cite = json_object_get(c, "cite"), *err;
    aib_determine_request_t *r = NULL;
    aib_determine_result_t cur, prop;
    aib_diag_t diag;
    char *text;
    int rc;

    if (!json_is_string(cite) || json_string_length(cite) < 8) {
        snprintf(why, cap, "case has no citation (`cite`) of the text that justifies it");
        return false;
    }
    if (!req || !json_is_object(exp)) {
        snprintf(why, cap, "case needs `request` and `expect`");
        return false;
    }
    text = json_dumps(req, JSON_COMPACT);
    if (!text) {
        snprintf(why, cap, "out of memory");
        return false;
    }
    aib_diag_clear(&diag);
    rc = aib_determine_request_parse(e, text, strlen(text), a, &r, &diag);
    free(text);
    err = json_object_get(exp, "error");
    if (err) {
        if (rc == 0) {
            snprintf(why, cap, "request accepted, expected error \"%s\"", json_string_value(err));
            return false;
        }
        if (!json_is_string(err) || !strstr(diag.msg, json_string_value(err))) {
            snprintf(why, cap, "error \"%s\", expected one containing \"%s\"", diag.msg,
                     json_is_string(err) ? json_string_value(err) : "?");
            return false;
        }
        return true;
    }
    if (rc) {
        snprintf(why, cap, "request rejected: %s", diag.msg);
        return false;
    }
    if (r->regime == AIB_DET_BOTH) {
        const json_t *ec = json_object_get(exp, "current"), *ep = json_object_get(exp, "proposed");
        const json_t *ch = json_object_get(exp, "changed");
        rc = aib_determine_run(e, r, "current", a, &cur, &diag);
        if (!rc)
            rc = aib_determine_run(e, r, "proposed", a, &prop, &diag);
        if (rc) {
            snprintf(why, cap, "determination failed: %s", diag.msg[0] ? diag.msg : aib_strerror(rc));
            return false;
        }
        if ((ec && !match(&cur, ec, why, cap)) || (ep && !match(&prop, ep, why, cap)))
            return false;
        if (ch && json_is_boolean(ch) && json_is_true(ch) != (strcmp(cur.outcome, prop.outcome) != 0)) {
            snprintf(why, cap, "changed is %s, expected %s",
                     strcmp(cur.outcome, prop.outcome) ? "true" : "false", json_is_true(ch) ? "true" : "false");
            return false;
        }
        return true;
    }
    rc = aib_determine_run(e, r, r->regime == AIB_DET_PROPOSED ? "proposed" : "current", a, &cur, &diag);
    if (rc) {
        snprintf(why, cap, "determination failed: %s", diag.msg[0] ? diag.msg : aib_strerror(rc));
        return false;
    }
    return match(&cur, exp, why, cap);
}

int aib_determine_check_cases(aib_determine_engine_t *e, const char *path, FILE *out, bool verbose,
                              size_t *passed, size_t *failed)
{
    FILE *f = fopen(path, "r");
    aib_arena_t *a = aib_arena_new(1 << 20);
    char *line = NULL, why[WHY_CAP];
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;

    if (!f || !a) {
        if (f)
            fclose(f);
        aib_arena_free(a);
        fprintf(out, "%s: cannot open\n", path);
        (*failed)++;
        return AIB_EIO;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        json_error_t jerr;
        json_t *c;
        const char *name;
        bool ok;

        lineno++;
        if (len <= 1 || line[0] == '#')
            continue;
        c = json_loadb(line, (size_t)len, 0, &jerr);
        if (!c) {
            fprintf(out, "FAIL %s:%zu: invalid JSON: %s\n", path, lineno, jerr.text);
            (*failed)++;
            continue;
        }
        aib_arena_reset(a);
        why[0] = '\0';
        ok = run_case(e, c, a, why, sizeof why);
        name = json_string_value(json_object_get(c, "case"));
        if (ok)
            (*passed)++;
        else
            (*failed)++;
        if (!ok || verbose)
            fprintf(out, "%s %s:%zu %s%s%s\n", ok ? "ok  " : "FAIL", path, lineno, name ? name : "",
                    ok ? "" : ": ", ok ? "" : why);
        json_decref(c);
    }
    free(line);
    fclose(f);
    aib_arena_free(a);
    return rc;
}
