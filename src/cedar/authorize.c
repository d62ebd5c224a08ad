/* authorize.c — Cedar's authorization decision over a policy set: forbid overrides permit,
 * default deny; the reason lists the satisfied forbids when any, else the satisfied permits;
 * policies whose evaluation errors are skipped and reported. Candidates come from the scope
 * index (index.c); each is evaluated by eval.c. Results live in the caller's request arena. */
#include "cedar/index_int.h"

#include <string.h>

#define ERR_CAP 512

typedef struct acc {
    const char **permits, **forbids;
    size_t n_permits, n_forbids;
    aib_cedar_policy_error_t *errors;
    size_t n_errors;
    aib__ecache_t cache;
    char err[ERR_CAP];
} acc_t;

static int acc_init(acc_t *a, size_t max, aib_arena_t *arena)
{
    size_t m = max ? max : 1;
    a->permits = aib_arena_alloc(arena, m * sizeof *a->permits);
    a->forbids = aib_arena_alloc(arena, m * sizeof *a->forbids);
    a->errors = aib_arena_alloc(arena, m * sizeof *a->errors);
    a->n_permits = a->n_forbids = a->n_errors = 0;
    return a->permits && a->forbids && a->errors ? 0 : AIB_ENOMEM;
}

static int acc_eval(acc_t *a, const aib__policy_t *p, bool scope_known, const aib_cedar_entities_t *es,
                    const aib__request_t *req, aib_arena_t *arena)
{
    const char *msg;
    int rc = aib__eval_policy_ex(p, es, req, &a->cache, scope_known, arena, a->err, sizeof a->err);
    if (rc == 1) {
        if (p->permit)
            a->permits[a->n_permits++] = p->id.ptr;
        else
            a->forbids[a->n_forbids++] = p->id.ptr;
        return 0;
    }
    if (rc == 0)
        return 0;
    if (rc == AIB_ENOMEM)
        return rc;
    msg = a->err[0] ? a->err : aib_strerror(rc);
    a->errors[a->n_errors].policy_id = p->id.ptr;
    a->errors[a->n_errors].message = aib_arena_strndup(arena, msg, strlen(msg));
    if (!a->errors[a->n_errors].message)
        return AIB_ENOMEM;
    a->n_errors++;
    return 0;
}

static void acc_finish(acc_t *a, aib_cedar_response_t *out)
{
    if (a->n_forbids) {
        out->decision = AIB_CEDAR_DENY;
        out->n_reason = a->n_forbids;
        out->reason = a->forbids;
    } else {
        out->decision = a->n_permits ? AIB_CEDAR_ALLOW : AIB_CEDAR_DENY;
        out->n_reason = a->n_permits;
        out->reason = a->permits;
    }
    out->n_errors = a->n_errors;
    out->errors = a->errors;
}

int aib__authorize_all(const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *entities,
                       const aib__request_t *req, aib_arena_t *arena, aib_cedar_response_t *out)
{
    acc_t a;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    aib__ecache_init(&a.cache, entities, req);
    rc = acc_init(&a, ps->n, arena);
    if (rc)
        return rc;
    for (i = 0; i < ps->n; i++) {
        if (ps->policies[i]->is_template)
            continue;
        rc = acc_eval(&a, ps->policies[i], false, entities, req, arena);
        if (rc)
            return rc;
    }
    acc_finish(&a, out);
    return 0;
}

int aib_cedar_authorize(const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *entities,
                        const aib_cedar_request_t *req, aib_arena_t *arena, aib_cedar_response_t *out)
{
    const aib__index_t *ix;
    uint64_t *bits;
    size_t nwords, w, count = 0;
    acc_t a;
    int rc;

    memset(out, 0, sizeof *out);
    ix = aib__index_get(ps);
    if (!ix)
        return aib__authorize_all(ps, entities, req, arena, out);
    aib__ecache_init(&a.cache, entities, req);
    rc = aib__index_candidates(ix, entities, req, a.cache.ents, arena, &bits, &nwords);
    if (rc)
        return rc;
    for (w = 0; w < nwords; w++)
        count += (size_t)__builtin_popcountll(bits[w]);
    rc = acc_init(&a, count, arena);
    if (rc)
        return rc;
    for (w = 0; w < nwords; w++) {
        uint64_t m = bits[w];
        while (m) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            rc = acc_eval(&a, ps->policies[i], !aib__index_recheck(ix, i), entities, req, arena);
            if (rc)
                return rc;
        }
    }
    acc_finish(&a, out);
    return 0;
}

int aib_cedar_response_json(const aib_cedar_response_t *r, aib_buf_t *out)
{
    size_t i;
    int rc;

    rc = aib_buf_puts(out, r->decision == AIB_CEDAR_ALLOW ? "{\"decision\":\"allow\",\"reason\":["
                                                          : "{\"decision\":\"deny\",\"reason\":[");
    for (i = 0; !rc && i < r->n_reason; i++) {
        if (i)
            rc = aib_buf_putc(out, ',');
        if (!rc)
            rc = aib_buf_json_str(out, r->reason[i], strlen(r->reason[i]));
    }
    if (!rc)
        rc = aib_buf_puts(out, "],\"errors\":[");
    for (i = 0; !rc && i < r->n_errors; i++) {
        if (i)
            rc = aib_buf_putc(out, ',');
        if (!rc)
            rc = aib_buf_puts(out, "{\"policy\":");
        if (!rc)
            rc = aib_buf_json_str(out, r->errors[i].policy_id, strlen(r->errors[i].policy_id));
        if (!rc)
            rc = aib_buf_puts(out, ",\"message\":");
        if (!rc)
            rc = aib_buf_json_str(out, r->errors[i].message, strlen(r->errors[i].message));
        if (!rc)
            rc = aib_buf_putc(out, '}');
    }
    if (!rc)
        rc = aib_buf_puts(out, "]}");
    return rc;
}
