/* reg_api.c — the /v1/registry/... handlers, independent of the HTTP library: the server
 * authenticates the caller, builds the requester and passes decoded query parameters and the
 * body; each handler answers a status and a JSON body. Every read goes through the same
 * release-filtered functions as the CLI. */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>

static int error(aib_buf_t *out, int *status, int code, const aib_diag_t *d)
{
    *status = code;
    aib_buf_clear(out);
    if (aib_buf_puts(out, "{\"error\":") || aib_buf_json_str(out, d->msg, strlen(d->msg))
        || aib_buf_puts(out, ",\"field\":") || aib_buf_json_str(out, d->file, strlen(d->file))
        || aib_buf_putc(out, '}'))
        return AIB_ENOMEM;
    return 0;
}

/* Maps a library result to a response: 0 keeps the body already written. */
static int finish(int rc, aib_buf_t *out, int *status, int ok_status, const aib_diag_t *d)
{
    switch (rc) {
    case 0:
        *status = ok_status;
        return 0;
    case AIB_EINVAL:
    case AIB_EPARSE:
        return error(out, status, 400, d);
    case AIB_ENOTFOUND:
        return error(out, status, 404, d);
    case AIB_EEXIST:
        return error(out, status, 409, d);
    case AIB_EDENIED:
        return error(out, status, 403, d);
    default:
        error(out, status, 500, d);
        return rc;
    }
}

static const char *param(const aib_registry_param_t *q, size_t n, const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(q[i].key, key))
            return q[i].val ? q[i].val : "";
    return NULL;
}

static int check_params(const aib_registry_param_t *q, size_t n, const char *const *allowed, aib_diag_t *d)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; allowed[j]; j++)
            if (!strcmp(q[i].key, allowed[j]))
                break;
        if (!allowed[j]) {
            aib_diag_set(d, "", 0, 0, "unknown query parameter");
            snprintf(d->file, sizeof(d->file), "query.%.200s", q[i].key);
            return AIB_EINVAL;
        }
    }
    return 0;
}

static int num(const char *key, const char *v, int64_t lo, int64_t hi, int64_t *out, aib_diag_t *d)
{
    if (aib_parse_i64(v, strlen(v), out) || *out < lo || *out > hi) {
        aib_diag_set(d, "", 0, 0, "expected an integer in [%lld, %lld]", (long long)lo, (long long)hi);
        snprintf(d->file, sizeof(d->file), "query.%s", key);
        return AIB_EINVAL;
    }
    return 0;
}

int aib_registry_api_search(aib_registry_t *r, const aib_registry_requester_t *who,
                            const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                            aib_buf_t *out, int *status)
{
    static const char *const allowed[] = { "q", "type", "area", "nation", "from", "to", "any", "limit",
                                           "offset", NULL };
    aib_registry_query_t query;
    aib_registry_type_t type;
    aib_registry_hit_t *hits = NULL;
    size_t n = 0;
    int64_t v;
    const char *s;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    memset(&query, 0, sizeof(query));
    if ((rc = check_params(q, nq, allowed, &d)))
        return finish(rc, out, status, 200, &d);
    query.text = param(q, nq, "q");
    query.area = param(q, nq, "area");
    query.nation = param(q, nq, "nation");
    query.from = param(q, nq, "from");
    query.to = param(q, nq, "to");
    query.match_any = param(q, nq, "any") != NULL;
    if ((s = param(q, nq, "type"))) {
        if (aib_registry_type_parse(s, &type)) {
            aib_diag_set(&d, "query.type", 0, 0, "unknown record type");
            return finish(AIB_EINVAL, out, status, 200, &d);
        }
        query.types = &type;
        query.n_types = 1;
    }
    if ((s = param(q, nq, "limit"))) {
        if ((rc = num("limit", s, 1, 1000, &v, &d)))
            return finish(rc, out, status, 200, &d);
        query.limit = (size_t)v;
    }
    if ((s = param(q, nq, "offset"))) {
        if ((rc = num("offset", s, 0, 1000000, &v, &d)))
            return finish(rc, out, status, 200, &d);
        query.offset = (size_t)v;
    }
    rc = aib_registry_search(r, who, &query, arena, &hits, &n, &d);
    if (rc == 0)
        rc = aib_registry_hits_json(hits, n, out);
    return finish(rc, out, status, 200, &d);
}

int aib_registry_api_get(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                         aib_arena_t *arena, aib_buf_t *out, int *status)
{
    aib_registry_record_t rec;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    rc = aib_registry_get(r, who, id, arena, &rec, &d);
    if (rc == 0)
        rc = aib_registry_record_view_json(&rec, out);
    return finish(rc, out, status, 200, &d);
}

int aib_registry_api_add(aib_registry_t *r, const aib_registry_requester_t *who,
                         const aib_actor_t *actor, const char *body, size_t len,
                         aib_arena_t *arena, aib_buf_t *out, int *status)
{
    aib_registry_record_t rec;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    rc = aib_registry_record_parse(aib_registry_taxonomy(r), body, len, arena, &rec, &d);
    if (rc == 0 && (!who || !who->nation || strcmp(rec.nation, who->nation))) {
        /* a node's users publish for their own nation only */
        aib_diag_set(&d, "record", 0, 0, "nation: must be the caller's nation");
        rc = AIB_EINVAL;
    }
    if (rc == 0) {
        rec.updated_at = 0;
        rec.origin = "";
        rc = aib_registry_add(r, actor, &rec, &d);
    }
    if (rc == 0)
        rc = aib_buf_printf(out, "{\"id\":\"%s\"}", rec.id);
    return finish(rc, out, status, 201, &d);
}

int aib_registry_api_dupes(aib_registry_t *r, const aib_registry_requester_t *who,
                           const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                           aib_buf_t *out, int *status)
{
    static const char *const allowed[] = { "id", "threshold", "limit", NULL };
    aib_registry_dupe_t *pairs = NULL;
    size_t n = 0, limit = 0;
    double threshold = 0.0;
    int64_t v;
    const char *s;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    if ((rc = check_params(q, nq, allowed, &d)))
        return finish(rc, out, status, 200, &d);
    if ((s = param(q, nq, "threshold"))) {
        char *end = NULL;
        threshold = strtod(s, &end);
        if (!s[0] || !end || *end || threshold <= 0.0 || threshold > 1.0) {
            aib_diag_set(&d, "query.threshold", 0, 0, "expected a number in (0, 1]");
            return finish(AIB_EINVAL, out, status, 200, &d);
        }
    }
    if ((s = param(q, nq, "limit"))) {
        if ((rc = num("limit", s, 1, 10000, &v, &d)))
            return finish(rc, out, status, 200, &d);
        limit = (size_t)v;
    }
    rc = aib_registry_dupes(r, who, param(q, nq, "id"), threshold, limit, arena, &pairs, &n, &d);
    if (rc == 0)
        rc = aib_registry_dupes_json(pairs, n, out);
    return finish(rc, out, status, 200, &d);
}

int aib_registry_api_match(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                           const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                           aib_buf_t *out, int *status)
{
    static const char *const allowed[] = { "limit", NULL };
    aib_registry_hit_t *hits = NULL;
    size_t n = 0, limit = 0;
    int64_t v;
    const char *s;
    aib_diag_t d;
    int rc;

    aib_diag_clear(&d);
    if ((rc = check_params(q, nq, allowed, &d)))
        return finish(rc, out, status, 200, &d);
    if ((s = param(q, nq, "limit"))) {
        if ((rc = num("limit", s, 1, 200, &v, &d)))
            return finish(rc, out, status, 200, &d);
        limit = (size_t)v;
    }
    rc = aib_registry_match(r, who, id, limit, arena, &hits, &n, &d);
    if (rc == 0)
        rc = aib_registry_hits_json(hits, n, out);
    return finish(rc, out, status, 200, &d);
}

int aib_registry_api_taxonomy(aib_registry_t *r, aib_buf_t *out, int *status)
{
    const aib_registry_taxonomy_t *t = aib_registry_taxonomy(r);
    size_t i;
    int rc = aib_buf_puts(out, "{\"areas\":[");

    for (i = 0; !rc && i < aib_registry_taxonomy_count(t); i++) {
        const char *name, *parent, *id = aib_registry_taxonomy_area(t, i, &name, &parent);
        rc = aib_buf_printf(out, "%s{\"id\":", i ? "," : "");
        if (!rc) rc = aib_buf_json_str(out, id, strlen(id));
        if (!rc) rc = aib_buf_puts(out, ",\"name\":");
        if (!rc) rc = aib_buf_json_str(out, name, strlen(name));
        if (!rc) rc = aib_buf_puts(out, ",\"parent\":");
        if (!rc) rc = parent ? aib_buf_json_str(out, parent, strlen(parent)) : aib_buf_puts(out, "null");
        if (!rc) rc = aib_buf_putc(out, '}');
    }
    if (!rc)
        rc = aib_buf_puts(out, "]}");
    *status = rc ? 500 : 200;
    return rc;
}
