/* explain.c — says in plain words why a rule did or did not apply to a request: which part of
 * its scope did not match, or which conjunct of a `when` clause was false, or which disjunct of
 * an `unless` clause held — quoting the rule's own Cedar text. Used for the trace of every
 * determination, so the officer can see each rule considered and the fact that decided it. */
#include "determine/determine_int.h"

#include <stdio.h>
#include <string.h>

#define QUOTE_MAX 300
#define ERR_CAP 256

static bool scope_ok(const aib__scope_t *sc, const aib_cedar_entities_t *es, const aib__uid_t *u)
{
    size_t i;
    switch (sc->op) {
    case AIB__SC_ANY:
        return true;
    case AIB__SC_IS:
        return aib_str_eq(u->type, sc->type);
    case AIB__SC_EQ:
        return sc->uid && aib__uid_eq(u, sc->uid);
    case AIB__SC_IN:
        return sc->uid && aib__entities_in(es, u, sc->uid);
    case AIB__SC_IS_IN:
        return aib_str_eq(u->type, sc->type) && sc->uid && aib__entities_in(es, u, sc->uid);
    case AIB__SC_IN_SET:
        for (i = 0; i < sc->n_uids; i++)
            if (aib__entities_in(es, u, sc->uids[i]))
                return true;
        return false;
    default:
        return false;
    }
}

bool aib__determine_action_matches(const aib__policy_t *p, const aib_cedar_entities_t *es,
                                   const aib__uid_t *action, const aib__uid_t *resource)
{
    const aib__policy_t *body = p->tmpl ? p->tmpl : p;
    return scope_ok(&body->action, es, action) && scope_ok(&body->resource, es, resource);
}

static const char *quote(const aib__expr_t *e, const char *prefix, const char *suffix,
                         aib_arena_t *a)
{
    aib_buf_t b;
    const char *out;
    aib_buf_init(&b);
    if (aib_buf_puts(&b, prefix) || aib__expr_format(e, &b) != 0) {
        aib_buf_free(&b);
        return "(explanation unavailable: out of memory)";
    }
    if (b.len > strlen(prefix) + QUOTE_MAX) {
        b.len = strlen(prefix) + QUOTE_MAX;
        b.data[b.len] = '\0';
        aib_buf_puts(&b, "...");
    }
    aib_buf_puts(&b, suffix);
    out = aib_arena_strndup(a, b.data, b.len);
    aib_buf_free(&b);
    return out ? out : "(explanation unavailable: out of memory)";
}

/* Descends an && chain (want false) or || chain (want true) to the first deciding operand. */
static const aib__expr_t *decider(const aib__expr_t *e, bool want, const aib__policy_t *p,
                                  const aib_cedar_entities_t *es, const aib__request_t *r,
                                  aib_arena_t *a, int depth)
{
    int kind = want ? AIB__E_OR : AIB__E_AND;
    char err[ERR_CAP];
    aib__value_t v;

    while (e->kind == kind && depth < 64) {
        if (aib__eval_expr(e->u.k.a, p, es, r, a, &v, err, sizeof err) == 0 &&
            v.kind == AIB__V_BOOL && v.u.b == want) {
            e = e->u.k.a;
        } else {
            e = e->u.k.b;
        }
        depth++;
        if (e->kind == kind)
            continue;
        /* the chosen operand may itself be a chain of the same kind deeper down */
        return decider(e, want, p, es, r, a, depth);
    }
    return e;
}

const char *aib__determine_explain(const aib__policy_t *p, const aib_cedar_entities_t *es,
                                   const aib__request_t *r, bool applied, aib_arena_t *a)
{
    const aib__policy_t *body = p->tmpl ? p->tmpl : p;
    char err[ERR_CAP], buf[ERR_CAP + 64];
    size_t i;

    if (applied)
        return body->n_conds ? "every condition held" : "its scope matched";
    if (!scope_ok(&body->principal, es, r->principal)) {
        aib_buf_t b;
        const char *out = "scope: the country is not the rule's principal";
        aib_buf_init(&b);
        if (body->principal.uid && !aib_buf_puts(&b, "scope: the country is not in ") &&
            !aib__uid_format(body->principal.uid, &b))
            out = aib_arena_strndup(a, b.data, b.len);
        aib_buf_free(&b);
        return out ? out : "scope: the country is not the rule's principal";
    }
    if (!scope_ok(&body->action, es, r->action))
        return "scope: the transfer kind is outside the rule's actions";
    if (!scope_ok(&body->resource, es, r->resource))
        return "scope: the item is outside the rule's resource";
    for (i = 0; i < body->n_conds; i++) {
        const aib__cond_t *c = &body->conds[i];
        aib__value_t v;
        int rc = aib__eval_expr(c->expr, p, es, r, a, &v, err, sizeof err);
        if (rc != 0) {
            snprintf(buf, sizeof buf, "evaluation error: %s", rc == AIB_EEVAL ? err : aib_strerror(rc));
            return aib_arena_strndup(a, buf, strlen(buf));
        }
        if (v.kind != AIB__V_BOOL)
            return "a condition is not boolean";
        if (c->is_when && !v.u.b)
            return quote(decider(c->expr, false, p, es, r, a, 0), "`", "` is false", a);
        if (!c->is_when && v.u.b)
            return quote(decider(c->expr, true, p, es, r, a, 0), "unless `", "` holds", a);
    }
    return "did not apply";
}
