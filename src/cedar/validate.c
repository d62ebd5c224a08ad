/* validate.c — aib_cedar_validate: strict-mode validation of a policy set against a schema, as
 * the reference validator does it. Per policy: entity types, enumerated entities and action ids
 * named anywhere must exist; some action in scope must apply to a principal and resource type
 * the scope allows; and the whole condition (scope constraints && when && !unless) must
 * type-check in every request environment (action x principal type x resource type, with
 * template slots bound to the types they can take). Only errors make a policy invalid. */
#include "cedar/validate_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Errors ------------------------------------------------------------------------------ */

void aib__verror(vctx_t *c, const aib__loc_t *loc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = loc ? (int)loc->line : 0, col = loc ? (int)loc->col : 0;
    for (size_t i = 0; i < c->n_errs; i++)
        if (c->errs[i].line == line && c->errs[i].col == col && !strcmp(c->errs[i].message, msg))
            return;
    if (c->n_errs == c->cap_errs) {
        size_t ncap = c->cap_errs ? c->cap_errs * 2 : 8;
        verr_t *ne = realloc(c->errs, ncap * sizeof *ne);
        if (!ne) {
            c->oom = true;
            return;
        }
        c->errs = ne;
        c->cap_errs = ncap;
    }
    const char *m = aib_arena_strndup(c->out, msg, strlen(msg));
    if (!m) {
        c->oom = true;
        return;
    }
    c->errs[c->n_errs].line = line;
    c->errs[c->n_errs].col = col;
    c->errs[c->n_errs].message = m;
    c->n_errs++;
}

/* ---- Hierarchy closures ---------------------------------------------------------------- */

static int build_closures(vctx_t *c)
{
    const aib_cedar_schema_t *s = c->schema;
    size_t n = s->n_entity_types, m = s->n_actions;
    size_t *stack = NULL;
    uint8_t *seen = NULL;
    int rc = AIB_ENOMEM;
    c->n_types = n;
    c->n_actions = m;
    if (n) {
        c->type_desc = aib_arena_calloc(c->perm, n * n, 1);
        if (!c->type_desc)
            goto done;
    }
    if (m) {
        c->act_desc = aib_arena_calloc(c->perm, m * m, 1);
        if (!c->act_desc)
            goto done;
    }
    size_t big = n > m ? n : m;
    stack = malloc((big + 1) * sizeof *stack);
    seen = malloc(big + 1);
    if (!stack || !seen)
        goto done;
    /* every type reachable through memberOf is an ancestor of the start type */
    for (size_t i = 0; i < n; i++) {
        memset(seen, 0, n);
        size_t sp = 0;
        stack[sp++] = i;
        seen[i] = 1;
        while (sp) {
            size_t t = stack[--sp];
            const aib__entity_type_t *et = &s->entity_types[t];
            for (size_t k = 0; k < et->n_member_of; k++) {
                long p = aib__vt_etype_index(c, et->member_of[k]);
                if (p < 0 || seen[p])
                    continue;
                seen[p] = 1;
                c->type_desc[(size_t)p * n + i] = 1;
                stack[sp++] = (size_t)p;
            }
        }
    }
    for (size_t i = 0; i < m; i++) {
        memset(seen, 0, m);
        size_t sp = 0;
        stack[sp++] = i;
        seen[i] = 1;
        while (sp) {
            size_t t = stack[--sp];
            const aib__action_t *a = &s->actions[t];
            for (size_t k = 0; k < a->n_member_of; k++) {
                long p = aib__vt_action_index(c, a->member_of[k]);
                if (p < 0 || seen[p])
                    continue;
                seen[p] = 1;
                c->act_desc[(size_t)p * m + i] = 1;
                stack[sp++] = (size_t)p;
            }
        }
    }
    rc = 0;
done:
    free(stack);
    free(seen);
    return rc;
}

/* ---- Synthetic condition ------------------------------------------------------------------ */

static aib__expr_t *node(vctx_t *c, int kind, int op, aib__loc_t loc)
{
    aib__expr_t *e = aib_arena_calloc(c->perm, 1, sizeof *e);
    if (!e) {
        c->oom = true;
        return NULL;
    }
    e->kind = (uint8_t)kind;
    e->op = (uint8_t)op;
    e->loc = loc;
    return e;
}

static aib__expr_t *bin(vctx_t *c, int kind, int op, aib__expr_t *a, aib__expr_t *b, aib__loc_t loc)
{
    aib__expr_t *e = node(c, kind, op, loc);
    if (e) {
        e->u.k.a = a;
        e->u.k.b = b;
    }
    return e;
}

static aib__expr_t *lit_uid(vctx_t *c, const aib__uid_t *u, aib__loc_t loc)
{
    aib__expr_t *e = node(c, AIB__E_LIT, 0, loc);
    if (e) {
        e->u.lit.kind = AIB__V_ENTITY;
        e->u.lit.u.uid = u;
    }
    return e;
}

static aib__expr_t *lit_true(vctx_t *c, aib__loc_t loc)
{
    aib__expr_t *e = node(c, AIB__E_LIT, 0, loc);
    if (e)
        e->u.lit = aib__v_bool(true);
    return e;
}

/* The scope constraint on variable var as an expression (slot: template slot id). */
static aib__expr_t *scope_expr(vctx_t *c, int var, int slot, const aib__scope_t *s)
{
    aib__expr_t *v = node(c, AIB__E_VAR, var, s->loc);
    aib__expr_t *target = NULL;
    if (!v)
        return NULL;
    if ((s->op == AIB__SC_EQ || s->op == AIB__SC_IN || s->op == AIB__SC_IS_IN) && !s->slot && !s->uid)
        return lit_true(c, s->loc); /* malformed scope: nothing to constrain */
    if (s->op == AIB__SC_EQ || s->op == AIB__SC_IN || s->op == AIB__SC_IS_IN)
        target = s->slot ? node(c, AIB__E_SLOT, slot, s->loc) : lit_uid(c, s->uid, s->loc);
    switch (s->op) {
    case AIB__SC_EQ: return bin(c, AIB__E_BINOP, AIB__OP_EQ, v, target, s->loc);
    case AIB__SC_IN: return bin(c, AIB__E_BINOP, AIB__OP_IN, v, target, s->loc);
    case AIB__SC_IS:
    case AIB__SC_IS_IN: {
        aib__expr_t *is = node(c, AIB__E_IS, 0, s->loc);
        if (!is)
            return NULL;
        is->u.is.obj = v;
        is->u.is.type = s->type;
        if (s->op == AIB__SC_IS)
            return is;
        return bin(c, AIB__E_AND, 0, is, bin(c, AIB__E_BINOP, AIB__OP_IN, v, target, s->loc), s->loc);
    }
    case AIB__SC_IN_SET: {
        aib__expr_t *set = node(c, AIB__E_SET, 0, s->loc);
        if (!set)
            return NULL;
        set->n = (uint32_t)s->n_uids;
        set->u.list.items = s->n_uids ? aib_arena_calloc(c->perm, s->n_uids, sizeof(aib__expr_t *)) : NULL;
        if (s->n_uids && !set->u.list.items) {
            c->oom = true;
            return NULL;
        }
        for (size_t i = 0; i < s->n_uids; i++)
            set->u.list.items[i] = lit_uid(c, s->uids[i], s->loc);
        return bin(c, AIB__E_BINOP, AIB__OP_IN, v, set, s->loc);
    }
    default: return lit_true(c, s->loc);
    }
}

/* principal && action && resource && (when ... && !unless ...), folded to the left as the
 * reference builds a policy's condition. */
static aib__expr_t *policy_condition(vctx_t *c, const aib__policy_t *p)
{
    aib__expr_t *body = NULL;
    for (size_t i = 0; i < p->n_conds; i++) {
        aib__expr_t *x = p->conds[i].expr;
        if (!p->conds[i].is_when) {
            aib__expr_t *n = node(c, AIB__E_NOT, 0, p->conds[i].loc);
            if (!n)
                return NULL;
            n->u.k.a = x;
            x = n;
        }
        body = body ? bin(c, AIB__E_AND, 0, body, x, p->loc) : x;
    }
    if (!body)
        body = lit_true(c, p->loc);
    aib__expr_t *pa = bin(c, AIB__E_AND, 0, scope_expr(c, AIB__VAR_PRINCIPAL, AIB__SLOT_PRINCIPAL, &p->principal),
                          scope_expr(c, AIB__VAR_ACTION, 0, &p->action), p->loc);
    aib__expr_t *par = bin(c, AIB__E_AND, 0, pa, scope_expr(c, AIB__VAR_RESOURCE, AIB__SLOT_RESOURCE, &p->resource), p->loc);
    return c->oom ? NULL : bin(c, AIB__E_AND, 0, par, body, p->loc);
}

/* ---- Names used by a policy: entity types, enumerated entities, action ids ----------------- */

static bool known_entity_type(vctx_t *c, aib_str_t t)
{
    return aib__is_action_type(t) || aib__vt_schema_etype(c, t) != NULL;
}

static void check_type_name(vctx_t *c, aib_str_t t, const aib__loc_t *loc)
{
    if (!known_entity_type(c, t))
        aib__verror(c, loc, "unrecognized entity type `%.*s`", (int)t.len, t.ptr);
}

static void check_uid(vctx_t *c, const aib__uid_t *u, const aib__loc_t *loc)
{
    if (!u)
        return;
    check_type_name(c, u->type, loc);
    if (aib__is_action_type(u->type)) {
        if (aib__vt_action_index(c, u) < 0) {
            aib_buf_t b;
            aib_buf_init(&b);
            aib__uid_format(u, &b);
            aib__verror(c, loc, "unrecognized action `%s`", b.data ? b.data : "");
            aib_buf_free(&b);
        }
        return;
    }
    const aib__entity_type_t *et = aib__vt_schema_etype(c, u->type);
    if (et && et->n_enum) {
        for (size_t i = 0; i < et->n_enum; i++)
            if (aib_str_eq(et->enum_ids[i], u->id))
                return;
        aib_buf_t b;
        aib_buf_init(&b);
        aib__uid_format(u, &b);
        aib__verror(c, loc, "entity `%s` is of an enumerated entity type, but its id is not one of "
                    "the declared choices", b.data ? b.data : "");
        aib_buf_free(&b);
    }
}

static void walk_names(vctx_t *c, const aib__expr_t *e, int depth)
{
    if (!e || depth > 4 * AIB_CEDAR_MAX_DEPTH)
        return;
    switch (e->kind) {
    case AIB__E_LIT:
        if (e->u.lit.kind == AIB__V_ENTITY)
            check_uid(c, e->u.lit.u.uid, &e->loc);
        break;
    case AIB__E_IF:
        walk_names(c, e->u.k.a, depth + 1);
        walk_names(c, e->u.k.b, depth + 1);
        walk_names(c, e->u.k.c, depth + 1);
        break;
    case AIB__E_AND:
    case AIB__E_OR:
    case AIB__E_BINOP:
        walk_names(c, e->u.k.a, depth + 1);
        walk_names(c, e->u.k.b, depth + 1);
        break;
    case AIB__E_NOT:
    case AIB__E_NEG: walk_names(c, e->u.k.a, depth + 1); break;
    case AIB__E_GETATTR:
    case AIB__E_HAS: walk_names(c, e->u.attr.obj, depth + 1); break;
    case AIB__E_LIKE: walk_names(c, e->u.like.obj, depth + 1); break;
    case AIB__E_IS:
        check_type_name(c, e->u.is.type, &e->loc);
        walk_names(c, e->u.is.obj, depth + 1);
        break;
    case AIB__E_SET:
    case AIB__E_CALL:
        for (uint32_t i = 0; i < e->n; i++)
            walk_names(c, e->u.list.items[i], depth + 1);
        break;
    case AIB__E_RECORD:
        for (uint32_t i = 0; i < e->n; i++)
            walk_names(c, e->u.rec.vals[i], depth + 1);
        break;
    default: break;
    }
}

static void check_scope_names(vctx_t *c, const aib__scope_t *s)
{
    if (s->op == AIB__SC_IS || s->op == AIB__SC_IS_IN)
        check_type_name(c, s->type, &s->loc);
    if ((s->op == AIB__SC_EQ || s->op == AIB__SC_IN || s->op == AIB__SC_IS_IN) && !s->slot)
        check_uid(c, s->uid, &s->loc);
    if (s->op == AIB__SC_IN_SET)
        for (size_t i = 0; i < s->n_uids; i++)
            check_uid(c, s->uids[i], &s->loc);
}

/* ---- Action application ------------------------------------------------------------------ */

/* May an entity of type t satisfy scope s (slot bound to uid when given)? */
static bool scope_admits(vctx_t *c, const aib__scope_t *s, const aib__uid_t *uid, aib_str_t t)
{
    bool declared = aib__vt_schema_etype(c, t) != NULL;
    switch (s->op) {
    case AIB__SC_ANY: return declared;
    case AIB__SC_EQ:
        if (!uid)
            return declared;
        return aib_str_eq(t, uid->type);
    case AIB__SC_IN:
        if (!uid)
            return declared;
        return aib__vt_type_in(c, t, uid->type);
    case AIB__SC_IS:
        return declared && aib_str_eq(t, s->type);
    case AIB__SC_IS_IN:
        if (!aib_str_eq(t, s->type))
            return false;
        if (!uid)
            return declared;
        return aib__vt_type_in(c, t, uid->type);
    default: return false;
    }
}

/* Is action i (schema index) selected by the action scope? */
static bool action_selected(vctx_t *c, const aib__scope_t *s, size_t i)
{
    const aib__action_t *a = &c->schema->actions[i];
    switch (s->op) {
    case AIB__SC_ANY: return true;
    case AIB__SC_EQ: return s->uid && aib__uid_eq(a->uid, s->uid);
    case AIB__SC_IN:
    case AIB__SC_IN_SET: {
        size_t n = s->op == AIB__SC_IN ? 1 : s->n_uids;
        bool hit = false;
        for (size_t k = 0; k < n; k++) {
            const aib__uid_t *u = s->op == AIB__SC_IN ? s->uid : s->uids[k];
            long ia = u ? aib__vt_action_index(c, u) : -1;
            if (ia < 0)
                return false; /* any unknown action empties the whole selection */
            if ((size_t)ia == i || c->act_desc[(size_t)ia * c->n_actions + i])
                hit = true;
        }
        return hit;
    }
    default: return false;
    }
}

static bool list_admits(vctx_t *c, const aib__scope_t *s, const aib__uid_t *uid, const aib_str_t *types,
                        size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (scope_admits(c, s, uid, types[i]))
            return true;
    return false;
}

static void check_action_application(vctx_t *c, const aib__policy_t *p, const aib__scope_t *ps,
                                     const aib__uid_t *puid, const aib__scope_t *rs,
                                     const aib__uid_t *ruid)
{
    for (size_t i = 0; i < c->schema->n_actions; i++) {
        const aib__action_t *a = &c->schema->actions[i];
        if (!action_selected(c, &p->action, i))
            continue;
        if (list_admits(c, ps, puid, a->principals, a->n_principals) &&
            list_admits(c, rs, ruid, a->resources, a->n_resources))
            return;
    }
    aib__verror(c, &p->loc,
                "unable to find an applicable action given the policy scope constraints: no action "
                "in scope applies to a principal and resource the scope allows");
}

/* ---- Request environments ---------------------------------------------------------------- */

/* Entity types a slot can take given the scope and the variable's type in the environment. */
static size_t slot_options(vctx_t *c, const aib__scope_t *s, aib_str_t var, aib_str_t *out, size_t cap)
{
    size_t n = 0;
    if (s->op == AIB__SC_EQ) {
        out[n++] = var;
        return n;
    }
    if (s->op == AIB__SC_IN || s->op == AIB__SC_IS_IN) {
        for (size_t i = 0; i < c->schema->n_entity_types && n + 1 < cap; i++) {
            aib_str_t t = c->schema->entity_types[i].name;
            if (!aib_str_eq(t, var) && aib__vt_type_in(c, var, t))
                out[n++] = t;
        }
        out[n++] = var;
        return n;
    }
    for (size_t i = 0; i < c->schema->n_entity_types && n < cap; i++)
        out[n++] = c->schema->entity_types[i].name;
    return n;
}

static void typecheck_policy(vctx_t *c, const aib__policy_t *p, const aib__expr_t *cond)
{
    const aib_cedar_schema_t *s = c->schema;
    size_t cap = s->n_entity_types + 1;
    aib_str_t *popts = malloc(cap * sizeof *popts), *ropts = malloc(cap * sizeof *ropts);
    if (!popts || !ropts) {
        c->oom = true;
        goto done;
    }
    bool pslot = p->is_template && p->principal.slot, rslot = p->is_template && p->resource.slot;
    for (size_t ai = 0; ai < s->n_actions && !c->oom; ai++) {
        const aib__action_t *a = &s->actions[ai];
        if (!a->has_applies_to)
            continue;
        for (size_t pi = 0; pi < a->n_principals; pi++) {
            for (size_t ri = 0; ri < a->n_resources; ri++) {
                size_t np = pslot ? slot_options(c, &p->principal, a->principals[pi], popts, cap) : 1;
                size_t nr = rslot ? slot_options(c, &p->resource, a->resources[ri], ropts, cap) : 1;
                for (size_t x = 0; x < np; x++) {
                    for (size_t y = 0; y < nr; y++) {
                        aib_arena_reset(c->tmp);
                        c->env_action = a;
                        c->env_principal = a->principals[pi];
                        c->env_resource = a->resources[ri];
                        c->has_pslot = pslot;
                        c->has_rslot = rslot;
                        if (pslot)
                            c->env_pslot = popts[x];
                        if (rslot)
                            c->env_rslot = ropts[y];
                        aib__vcheck_condition(c, cond);
                        if (c->oom)
                            goto done;
                    }
                }
            }
        }
    }
done:
    free(popts);
    free(ropts);
}

/* ---- Entry ------------------------------------------------------------------------------- */

static int flush_errors(vctx_t *c, const aib__policy_t *p, aib_cedar_validation_error_t **v, size_t *n,
                        size_t *cap)
{
    for (size_t i = 0; i < c->n_errs; i++) {
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 16;
            aib_cedar_validation_error_t *nv = realloc(*v, ncap * sizeof *nv);
            if (!nv)
                return AIB_ENOMEM;
            *v = nv;
            *cap = ncap;
        }
        (*v)[*n].policy_id = p->id.ptr;
        (*v)[*n].line = c->errs[i].line;
        (*v)[*n].col = c->errs[i].col;
        (*v)[*n].message = c->errs[i].message;
        (*n)++;
    }
    c->n_errs = 0;
    return 0;
}

int aib_cedar_validate(const aib_cedar_policyset_t *ps, const aib_cedar_schema_t *schema,
                       aib_arena_t *arena, aib_cedar_validation_t *out)
{
    vctx_t c;
    aib_cedar_validation_error_t *v = NULL;
    size_t n = 0, cap = 0;
    int rc = AIB_ENOMEM;
    memset(&c, 0, sizeof c);
    if (out) {
        out->n_errors = 0;
        out->errors = NULL;
    }
    if (!ps || !schema || !arena || !out)
        return AIB_EINVAL;
    c.schema = schema;
    c.out = arena;
    c.perm = aib_arena_new(0);
    c.tmp = aib_arena_new(0);
    if (!c.perm || !c.tmp)
        goto done;
    if (build_closures(&c) != 0)
        goto done;
    for (size_t i = 0; i < ps->n; i++) {
        const aib__policy_t *p = ps->policies[i];
        c.policy = p;
        if (p->tmpl) {
            /* a linked policy: its slot values must name known types, and the filled-in scope
             * must still meet an action (the template itself is checked on its own) */
            const aib__uid_t *sp = p->slot_principal, *sr = p->slot_resource;
            if (sp)
                check_type_name(&c, sp->type, &p->tmpl->principal.loc);
            if (sr)
                check_type_name(&c, sr->type, &p->tmpl->resource.loc);
            check_action_application(&c, p->tmpl, &p->tmpl->principal,
                                     p->tmpl->principal.slot ? sp : p->tmpl->principal.uid,
                                     &p->tmpl->resource,
                                     p->tmpl->resource.slot ? sr : p->tmpl->resource.uid);
        } else {
            check_scope_names(&c, &p->principal);
            check_scope_names(&c, &p->action);
            check_scope_names(&c, &p->resource);
            for (size_t k = 0; k < p->n_conds; k++)
                walk_names(&c, p->conds[k].expr, 0);
            check_action_application(&c, p, &p->principal, p->principal.slot ? NULL : p->principal.uid,
                                     &p->resource, p->resource.slot ? NULL : p->resource.uid);
            const aib__expr_t *cond = policy_condition(&c, p);
            if (!cond)
                goto done;
            typecheck_policy(&c, p, cond);
        }
        if (c.oom)
            goto done;
        if (flush_errors(&c, p, &v, &n, &cap) != 0)
            goto done;
    }
    if (n) {
        out->errors = aib_arena_alloc(arena, n * sizeof *out->errors);
        if (!out->errors)
            goto done;
        memcpy(out->errors, v, n * sizeof *v);
    }
    out->n_errors = n;
    rc = 0;
done:
    free(v);
    free(c.errs);
    aib_arena_free(c.perm);
    aib_arena_free(c.tmp);
    return rc;
}
