/* validate_expr.c — strict-mode type checking of one policy condition in one request
 * environment, following the reference typechecker rule by rule: singleton True/False types
 * drive short-circuiting of &&, || and if; `has` and `hasTag` produce capabilities that make
 * guarded optional attribute and tag accesses safe; ==, if branches, set elements, contains*
 * require a least upper bound; extension constructors take valid literal strings.
 *
 * A check yields an answer: a type (NULL when none can be given), a capability set (kept only
 * when the check succeeded) and whether it succeeded. Errors go to the context's error list. */
#include "cedar/validate_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ans {
    const vty_t *ty;
    vcaps_t caps;
    bool ok;
} ans_t;

static const vcaps_t NOCAPS = { 0, NULL };

/* A failed answer never carries capabilities (the reference drops them on failure). */
static ans_t mk(const vty_t *ty, vcaps_t caps, bool ok)
{
    ans_t a;
    a.ty = ty;
    a.caps = ok ? caps : NOCAPS;
    a.ok = ok;
    return a;
}

static ans_t fail(const vty_t *ty) { return mk(ty, NOCAPS, false); }

static bool is_kind(const vty_t *t, int k) { return t && t->kind == k; }

/* ---- Expression shape equality (capabilities identify expressions by shape) --------------- */

static bool pat_eq(const aib__pattern_t *a, const aib__pattern_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        if (a->elems[i].star != b->elems[i].star)
            return false;
        if (!a->elems[i].star && !aib_str_eq(a->elems[i].lit, b->elems[i].lit))
            return false;
    }
    return true;
}

static bool lit_eq(const aib__value_t *a, const aib__value_t *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case AIB__V_BOOL: return a->u.b == b->u.b;
    case AIB__V_LONG: return a->u.i == b->u.i;
    case AIB__V_STRING: return aib_str_eq(a->u.s, b->u.s);
    case AIB__V_ENTITY: return aib__uid_eq(a->u.uid, b->u.uid);
    default: return aib__value_eq(a, b);
    }
}

bool aib__vexpr_eq(const aib__expr_t *a, const aib__expr_t *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case AIB__E_LIT: return lit_eq(&a->u.lit, &b->u.lit);
    case AIB__E_VAR:
    case AIB__E_SLOT: return a->op == b->op;
    case AIB__E_IF:
        return aib__vexpr_eq(a->u.k.a, b->u.k.a) && aib__vexpr_eq(a->u.k.b, b->u.k.b) &&
               aib__vexpr_eq(a->u.k.c, b->u.k.c);
    case AIB__E_AND:
    case AIB__E_OR:
        return aib__vexpr_eq(a->u.k.a, b->u.k.a) && aib__vexpr_eq(a->u.k.b, b->u.k.b);
    case AIB__E_NOT:
    case AIB__E_NEG: return aib__vexpr_eq(a->u.k.a, b->u.k.a);
    case AIB__E_BINOP:
        return a->op == b->op && aib__vexpr_eq(a->u.k.a, b->u.k.a) &&
               aib__vexpr_eq(a->u.k.b, b->u.k.b);
    case AIB__E_GETATTR:
    case AIB__E_HAS:
        return aib_str_eq(a->u.attr.name, b->u.attr.name) &&
               aib__vexpr_eq(a->u.attr.obj, b->u.attr.obj);
    case AIB__E_LIKE:
        return pat_eq(&a->u.like.pat, &b->u.like.pat) && aib__vexpr_eq(a->u.like.obj, b->u.like.obj);
    case AIB__E_IS:
        return aib_str_eq(a->u.is.type, b->u.is.type) && aib__vexpr_eq(a->u.is.obj, b->u.is.obj);
    case AIB__E_SET:
    case AIB__E_CALL:
        if (a->op != b->op || a->n != b->n)
            return false;
        for (uint32_t i = 0; i < a->n; i++)
            if (!aib__vexpr_eq(a->u.list.items[i], b->u.list.items[i]))
                return false;
        return true;
    case AIB__E_RECORD:
        /* records are maps: the written order of keys does not matter */
        if (a->n != b->n)
            return false;
        for (uint32_t i = 0; i < a->n; i++) {
            uint32_t j = 0;
            while (j < b->n && !aib_str_eq(a->u.rec.keys[i], b->u.rec.keys[j]))
                j++;
            if (j == b->n || !aib__vexpr_eq(a->u.rec.vals[i], b->u.rec.vals[j]))
                return false;
        }
        return true;
    default: return false;
    }
}

/* ---- Capability sets --------------------------------------------------------------------- */

static bool cap_eq(const vcap_t *a, const vcap_t *b)
{
    if (a->kind != b->kind || !aib__vexpr_eq(a->on, b->on))
        return false;
    return a->kind == CAP_ATTR ? aib_str_eq(a->attr, b->attr) : aib__vexpr_eq(a->tag, b->tag);
}

static bool caps_has(vcaps_t s, const vcap_t *x)
{
    for (size_t i = 0; i < s.n; i++)
        if (cap_eq(&s.items[i], x))
            return true;
    return false;
}

static vcaps_t caps_union(vctx_t *c, vcaps_t a, vcaps_t b)
{
    if (!b.n)
        return a;
    if (!a.n)
        return b;
    vcap_t *v = aib_arena_alloc(c->tmp, (a.n + b.n) * sizeof *v);
    if (!v) {
        c->oom = true;
        return a;
    }
    memcpy(v, a.items, a.n * sizeof *v);
    size_t n = a.n;
    for (size_t i = 0; i < b.n; i++)
        if (!caps_has(a, &b.items[i]))
            v[n++] = b.items[i];
    return (vcaps_t){ n, v };
}

static vcaps_t caps_intersect(vctx_t *c, vcaps_t a, vcaps_t b)
{
    if (!a.n || !b.n)
        return NOCAPS;
    vcap_t *v = aib_arena_alloc(c->tmp, a.n * sizeof *v);
    if (!v) {
        c->oom = true;
        return NOCAPS;
    }
    size_t n = 0;
    for (size_t i = 0; i < a.n; i++)
        if (caps_has(b, &a.items[i]))
            v[n++] = a.items[i];
    return (vcaps_t){ n, v };
}

static vcaps_t caps_one(vctx_t *c, const vcap_t *x)
{
    vcap_t *v = aib_arena_alloc(c->tmp, sizeof *v);
    if (!v) {
        c->oom = true;
        return NOCAPS;
    }
    *v = *x;
    return (vcaps_t){ 1, v };
}

static vcap_t attr_cap(const aib__expr_t *on, aib_str_t attr)
{
    vcap_t k;
    memset(&k, 0, sizeof k);
    k.kind = CAP_ATTR;
    k.on = on;
    k.attr = attr;
    return k;
}

static vcap_t tag_cap(const aib__expr_t *on, const aib__expr_t *tag)
{
    vcap_t k;
    memset(&k, 0, sizeof k);
    k.kind = CAP_TAG;
    k.on = on;
    k.tag = tag;
    return k;
}

/* ---- Errors ------------------------------------------------------------------------------ */

static const char *tyname(const vty_t *t, char *buf, size_t cap)
{
    aib_buf_t b;
    aib_buf_init(&b);
    aib__vt_format(t, &b);
    snprintf(buf, cap, "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return buf;
}

static void err_unexpected(vctx_t *c, const aib__expr_t *e, const vty_t *const *exp, size_t n,
                           const vty_t *actual)
{
    char want[256] = "", t[200], saw[256];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(want + used, sizeof want - used, "%s%s", i ? " or " : "",
                         tyname(exp[i], t, sizeof t));
        if (w < 0 || (size_t)w >= sizeof want - used)
            break;
        used += (size_t)w;
    }
    aib__verror(c, &e->loc, "unexpected type: expected %s but saw %s", want,
                tyname(actual, saw, sizeof saw));
}

static const char *lub_reason(lubhint_t h)
{
    switch (h) {
    case LUB_ENTITY: return "; different entity types are never compatible in strict mode";
    case LUB_RECORD_WIDTH: return "; record types must have exactly the same attributes";
    case LUB_QUALIFIER: return "; an attribute is required in one record type and optional in the other";
    case LUB_ENTITY_RECORD: return "; entities and records are never compatible";
    default: return "";
    }
}

static const vty_t *lub_or_error(vctx_t *c, const aib__expr_t *e, const vty_t *a, const vty_t *b,
                                 const char *what)
{
    lubhint_t h;
    const vty_t *r = aib__vt_lub(c, a, b, &h);
    if (!r) {
        char x[200], y[200];
        aib__verror(c, &e->loc, "%s: the types %s and %s are not compatible%s", what,
                    tyname(a, x, sizeof x), tyname(b, y, sizeof y), lub_reason(h));
    }
    return r;
}

/* ---- The checker ------------------------------------------------------------------------ */

static ans_t tc(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth);

static ans_t expect_one_of(vctx_t *c, vcaps_t prior, const aib__expr_t *e, const vty_t *const *exp,
                           size_t n, int depth)
{
    ans_t a = tc(c, prior, e, depth);
    if (!a.ty)
        return fail(NULL);
    for (size_t i = 0; i < n; i++)
        if (aib__vt_subtype(c, a.ty, exp[i], false))
            return a;
    err_unexpected(c, e, exp, n, a.ty);
    return fail(NULL);
}

static ans_t expect(vctx_t *c, vcaps_t prior, const aib__expr_t *e, const vty_t *exp, int depth)
{
    return expect_one_of(c, prior, e, &exp, 1, depth);
}

/* The uid an expression denotes when it is an entity literal or the `action` variable. */
static const aib__uid_t *euid_of(vctx_t *c, const aib__expr_t *e)
{
    if (e->kind == AIB__E_VAR && e->op == AIB__VAR_ACTION)
        return c->env_action ? c->env_action->uid : NULL;
    if (e->kind == AIB__E_LIT && e->u.lit.kind == AIB__V_ENTITY)
        return e->u.lit.u.uid;
    return NULL;
}

/* Is action a (schema index ia) the uid u or one of its descendants? */
static bool action_in(vctx_t *c, const aib__uid_t *u, long ia)
{
    const aib__action_t *acts = c->schema->actions;
    if (aib__uid_eq(u, acts[ia].uid))
        return true;
    long iu = aib__vt_action_index(c, u);
    return iu >= 0 && c->act_desc && c->act_desc[(size_t)ia * c->n_actions + (size_t)iu];
}

/* `lhs in rhs...` with an action on the left and literals on the right: decided exactly from
 * the action hierarchy (an action is never in a non-action entity). */
static ans_t action_in_literals(vctx_t *c, const aib__uid_t *lhs, const aib__expr_t *rhs)
{
    size_t n = rhs->kind == AIB__E_SET ? rhs->n : 1;
    bool any_action = false, found = false;
    for (size_t i = 0; i < n; i++) {
        const aib__uid_t *u = euid_of(c, rhs->kind == AIB__E_SET ? rhs->u.list.items[i] : rhs);
        if (!u || !aib__is_action_type(u->type))
            continue;
        any_action = true;
        long ia = aib__vt_action_index(c, u);
        if (ia < 0)
            return fail(&aib__vt_bool); /* unknown action: reported by the scope checks */
        if (action_in(c, lhs, ia))
            found = true;
    }
    if (!any_action)
        return mk(&aib__vt_false, NOCAPS, true);
    return mk(aib__vt_singleton(found), NOCAPS, true);
}

/* Can an entity of type l be `in` an entity of type r (entity or action hierarchy)? */
static bool type_may_be_in(vctx_t *c, aib_str_t l, aib_str_t r)
{
    if (aib__vt_type_in(c, l, r))
        return true;
    for (size_t i = 0; i < c->schema->n_actions; i++) {
        if (!aib_str_eq(c->schema->actions[i].uid->type, r))
            continue;
        for (size_t j = 0; j < c->n_actions; j++)
            if (c->act_desc && c->act_desc[i * c->n_actions + j] &&
                aib_str_eq(c->schema->actions[j].uid->type, l))
                return true;
    }
    return false;
}

static bool named_entity(const vty_t *t) { return t && (t->kind == VT_ENTITY || t->kind == VT_ACTION); }

static ans_t tc_in(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const aib__expr_t *lhs = e->u.k.a, *rhs = e->u.k.b;
    ans_t l = expect(c, prior, lhs, &aib__vt_any_entity, depth);
    const vty_t set_any_entity = { .kind = VT_SET, .elem = &aib__vt_any_entity };
    const vty_t *rexp[2] = { &set_any_entity, &aib__vt_any_entity };
    ans_t r = expect_one_of(c, prior, rhs, rexp, 2, depth);
    if (!l.ok || !r.ok)
        return fail(&aib__vt_bool);
    const aib__uid_t *lu = euid_of(c, lhs);
    if (lu && aib__is_action_type(lu->type)) {
        bool lits = true;
        if (rhs->kind == AIB__E_SET) {
            for (uint32_t i = 0; i < rhs->n && lits; i++)
                lits = euid_of(c, rhs->u.list.items[i]) != NULL;
        } else {
            lits = euid_of(c, rhs) != NULL;
        }
        if (lits)
            return action_in_literals(c, lu, rhs);
    }
    const vty_t *rt = r.ty;
    if (rt && rt->kind == VT_SET)
        rt = rt->elem;
    if (named_entity(l.ty) && named_entity(rt) && !type_may_be_in(c, l.ty->name, rt->name))
        return mk(&aib__vt_false, NOCAPS, true);
    return mk(&aib__vt_bool, NOCAPS, true);
}

static bool valid_cmp_type(const vty_t *t)
{
    if (t->kind == VT_LONG)
        return true;
    return t->kind == VT_EXT &&
           (aib_str_eq_cstr(t->name, "datetime") || aib_str_eq_cstr(t->name, "duration"));
}

static ans_t tc_compare(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const aib__expr_t *a = e->u.k.a, *b = e->u.k.b;
    ans_t l = tc(c, prior, a, depth), r = tc(c, prior, b, depth);
    bool ok = l.ok && r.ok;
    const vty_t *t1 = l.ty, *t2 = r.ty;
    static const vty_t dt = { .kind = VT_EXT, .name = { "datetime", 8 } };
    static const vty_t du = { .kind = VT_EXT, .name = { "duration", 8 } };
    const vty_t *all[3] = { &dt, &du, &aib__vt_long };
    if (!t1 || !t2)
        return fail(&aib__vt_bool);
    if (t1->kind == VT_NEVER && t2->kind == VT_NEVER)
        return fail(&aib__vt_bool);
    if (t1->kind == VT_NEVER || t2->kind == VT_NEVER) {
        const vty_t *o = t1->kind == VT_NEVER ? t2 : t1;
        if (valid_cmp_type(o))
            return mk(&aib__vt_bool, NOCAPS, ok);
        err_unexpected(c, t1->kind == VT_NEVER ? b : a, all, 3, o);
        return fail(&aib__vt_bool);
    }
    if (aib__vt_eq(t1, t2) && valid_cmp_type(t1))
        return mk(&aib__vt_bool, NOCAPS, ok);
    if (t1->kind == VT_LONG)
        err_unexpected(c, b, &t1, 1, t2);
    else if (t2->kind == VT_LONG)
        err_unexpected(c, a, &t2, 1, t1);
    else if (valid_cmp_type(t1))
        err_unexpected(c, b, &t1, 1, t2);
    else if (valid_cmp_type(t2))
        err_unexpected(c, a, &t2, 1, t1);
    else {
        err_unexpected(c, a, all, 3, t1);
        err_unexpected(c, b, all, 3, t2);
    }
    return fail(&aib__vt_bool);
}

static ans_t tc_eq(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const aib__expr_t *a = e->u.k.a, *b = e->u.k.b;
    ans_t l = tc(c, prior, a, depth), r = tc(c, prior, b, depth);
    bool ok = l.ok && r.ok;
    const vty_t *ty;
    if (l.ty && r.ty && aib__vt_disjoint(l.ty, r.ty)) {
        ty = &aib__vt_false;
    } else {
        /* two literals (the action variable counts as its uid) compare statically */
        const aib__expr_t *xa = a, *xb = b;
        const aib__uid_t *ua = (a->kind == AIB__E_VAR && a->op == AIB__VAR_ACTION) ? euid_of(c, a) : NULL;
        const aib__uid_t *ub = (b->kind == AIB__E_VAR && b->op == AIB__VAR_ACTION) ? euid_of(c, b) : NULL;
        bool la = ua || xa->kind == AIB__E_LIT, lb = ub || xb->kind == AIB__E_LIT;
        if (la && lb) {
            aib__value_t va, vb;
            if (ua) {
                va.kind = AIB__V_ENTITY;
                va.u.uid = ua;
            } else {
                va = xa->u.lit;
            }
            if (ub) {
                vb.kind = AIB__V_ENTITY;
                vb.u.uid = ub;
            } else {
                vb = xb->u.lit;
            }
            ty = aib__vt_singleton(lit_eq(&va, &vb));
        } else {
            ty = &aib__vt_bool;
        }
    }
    if (ty->kind == VT_TRUE || ty->kind == VT_FALSE)
        return mk(ty, NOCAPS, ok);
    if (l.ty && r.ty && !lub_or_error(c, e, l.ty, r.ty, "equality"))
        return fail(ty);
    return mk(ty, NOCAPS, ok);
}

static ans_t tc_getattr(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const aib__expr_t *obj = e->u.attr.obj;
    aib_str_t name = e->u.attr.name;
    const vty_t *exp[2] = { &aib__vt_any_entity, &aib__vt_any_record };
    ans_t a = expect_one_of(c, prior, obj, exp, 2, depth);
    if (!a.ty)
        return fail(NULL);
    const vattr_t *at = aib__vt_attr(c, a.ty, name);
    char tn[200];
    if (at) {
        vcap_t k = attr_cap(obj, name);
        if (at->required || caps_has(prior, &k))
            return mk(at->type, NOCAPS, a.ok);
        aib__verror(c, &e->loc,
                    "unable to guarantee safety of access to optional attribute `%.*s` of %s; "
                    "guard it with a `has` check",
                    (int)name.len, name.ptr, tyname(a.ty, tn, sizeof tn));
        return fail(at->type);
    }
    aib__verror(c, &e->loc, "attribute `%.*s` not found on %s", (int)name.len, name.ptr,
                tyname(a.ty, tn, sizeof tn));
    return fail(NULL);
}

static ans_t tc_has(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const aib__expr_t *obj = e->u.attr.obj;
    aib_str_t name = e->u.attr.name;
    const vty_t *exp[2] = { &aib__vt_any_entity, &aib__vt_any_record };
    ans_t a = expect_one_of(c, prior, obj, exp, 2, depth);
    if (!a.ty)
        return fail(&aib__vt_bool);
    const vattr_t *at = aib__vt_attr(c, a.ty, name);
    if (at) {
        vcap_t k = attr_cap(obj, name);
        bool known = caps_has(prior, &k);
        const vty_t *t;
        if (at->required)
            /* entities may be missing from the store, so only records make it certain */
            t = (a.ty->kind == VT_RECORD || known) ? &aib__vt_true : &aib__vt_bool;
        else
            t = known ? &aib__vt_true : &aib__vt_bool;
        return mk(t, caps_one(c, &k), a.ok);
    }
    return mk(aib__vt_may_have_attr(c, a.ty, name) ? &aib__vt_bool : &aib__vt_false, NOCAPS, a.ok);
}

static ans_t tc_is(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    ans_t a = expect(c, prior, e->u.is.obj, &aib__vt_any_entity, depth);
    if (named_entity(a.ty))
        return mk(aib__vt_singleton(aib_str_eq(a.ty->name, e->u.is.type)), NOCAPS, a.ok);
    if (is_kind(a.ty, VT_ANY_ENTITY))
        return mk(&aib__vt_bool, NOCAPS, a.ok);
    return fail(&aib__vt_bool);
}

static ans_t tc_set(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    bool ok = true, typed = true;
    const vty_t *lub = &aib__vt_never;
    const vty_t **tys = e->n ? aib_arena_calloc(c->tmp, e->n, sizeof *tys) : NULL;
    if (e->n && !tys) {
        c->oom = true;
        return fail(NULL);
    }
    for (uint32_t i = 0; i < e->n; i++) {
        ans_t x = tc(c, prior, e->u.list.items[i], depth);
        ok = ok && x.ok;
        tys[i] = x.ty;
        if (!x.ty)
            typed = false;
    }
    if (typed) {
        for (uint32_t i = 0; i < e->n && lub; i++) {
            lubhint_t h;
            const vty_t *nl = aib__vt_lub(c, lub, tys[i], &h);
            if (!nl) {
                char x[200], y[200];
                aib__verror(c, &e->loc, "set elements have incompatible types: %s and %s%s",
                            tyname(lub, x, sizeof x), tyname(tys[i], y, sizeof y), lub_reason(h));
            }
            lub = nl;
        }
    } else {
        lub = NULL;
    }
    if (e->n == 0) {
        aib__verror(c, &e->loc, "empty set literals are not allowed in strict validation");
        return fail(NULL);
    }
    if (!lub)
        return fail(NULL);
    return mk(aib__vt_set(c, lub), NOCAPS, ok);
}

static int name_cmp(const void *x, const void *y)
{
    return aib_str_cmp(((const vattr_t *)x)->name, ((const vattr_t *)y)->name);
}

static ans_t tc_record(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    bool ok = true, typed = true;
    vattr_t *as = e->n ? aib_arena_calloc(c->tmp, e->n, sizeof *as) : NULL;
    if (e->n && !as) {
        c->oom = true;
        return fail(NULL);
    }
    for (uint32_t i = 0; i < e->n; i++) {
        ans_t x = tc(c, prior, e->u.rec.vals[i], depth);
        ok = ok && x.ok;
        if (!x.ty)
            typed = false;
        as[i].name = e->u.rec.keys[i];
        as[i].type = x.ty;
        as[i].required = true;
    }
    if (!typed)
        return fail(NULL);
    if (e->n > 1)
        qsort(as, e->n, sizeof *as, name_cmp);
    vty_t *r = aib_arena_calloc(c->tmp, 1, sizeof *r);
    if (!r) {
        c->oom = true;
        return fail(NULL);
    }
    r->kind = VT_RECORD;
    r->n = e->n;
    r->attrs = as;
    return mk(r, NOCAPS, ok);
}

/* Tag type of an entity type, NULL when it declares none. */
static const vty_t *tag_type_of(vctx_t *c, aib_str_t name)
{
    const aib__entity_type_t *et = aib__vt_schema_etype(c, name);
    return et && et->tags ? aib__vt_from_schema(c, et->tags) : NULL;
}

/* Possible tag types for an entity type (or any entity): the count, and their LUB in *lub
 * (NULL with an error when incompatible). */
static size_t tag_types(vctx_t *c, const aib__expr_t *e, const vty_t *t, const vty_t **lub)
{
    *lub = NULL;
    if (t->kind == VT_ENTITY) {
        *lub = tag_type_of(c, t->name);
        return *lub ? 1 : 0;
    }
    if (t->kind != VT_ANY_ENTITY)
        return 0;
    size_t n = 0;
    const vty_t *acc = &aib__vt_never;
    for (size_t i = 0; i < c->schema->n_entity_types; i++) {
        const aib__entity_type_t *et = &c->schema->entity_types[i];
        if (!et->tags)
            continue;
        n++;
        if (acc)
            acc = lub_or_error(c, e, acc, aib__vt_from_schema(c, et->tags), "tag types");
    }
    *lub = acc;
    return n;
}

static ans_t tc_tag(vctx_t *c, vcaps_t prior, const aib__expr_t *e, bool get, int depth)
{
    const aib__expr_t *obj = e->u.list.items[0], *key = e->u.list.items[1];
    ans_t a = expect(c, prior, obj, &aib__vt_any_entity, depth);
    ans_t k = expect(c, prior, key, &aib__vt_string, depth);
    bool ok = a.ok && k.ok;
    if (!a.ty)
        return fail(get ? NULL : &aib__vt_bool);
    vcap_t cap = tag_cap(obj, key);
    bool known = caps_has(prior, &cap);
    if (!get) {
        size_t n = 0;
        if (a.ty->kind == VT_ENTITY)
            n = tag_type_of(c, a.ty->name) ? 1 : 0;
        else if (a.ty->kind == VT_ANY_ENTITY) {
            for (size_t i = 0; i < c->schema->n_entity_types; i++)
                n += c->schema->entity_types[i].tags != NULL;
        }
        const vty_t *t = n == 0 ? &aib__vt_false : known ? &aib__vt_true : &aib__vt_bool;
        return mk(t, caps_one(c, &cap), ok);
    }
    char tn[200];
    if (!known) {
        aib__verror(c, &e->loc,
                    "unable to guarantee safety of access to a tag of %s; guard it with a "
                    "`hasTag` check",
                    tyname(a.ty, tn, sizeof tn));
        return fail(NULL);
    }
    const vty_t *lub;
    size_t n = tag_types(c, e, a.ty, &lub);
    if (n == 0) {
        aib__verror(c, &e->loc, "`getTag` is not allowed on %s: its type declares no tags",
                    tyname(a.ty, tn, sizeof tn));
        return fail(NULL);
    }
    if (!lub)
        return fail(NULL);
    return mk(lub, NOCAPS, ok);
}

static ans_t tc_contains(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int fn, int depth)
{
    const aib__expr_t *a = e->u.list.items[0], *b = e->u.list.items[1];
    ans_t x = expect(c, prior, a, &aib__vt_any_set, depth);
    ans_t y = fn == AIB__FN_CONTAINS ? tc(c, prior, b, depth)
                                     : expect(c, prior, b, &aib__vt_any_set, depth);
    bool ok = x.ok && y.ok;
    const vty_t *l = x.ty, *r = y.ty;
    if (fn == AIB__FN_CONTAINS)
        l = (l && l->kind == VT_SET) ? l->elem : NULL;
    if (l && r && !lub_or_error(c, e, l, r, fn == AIB__FN_CONTAINS ? "contains" : "set operation"))
        return fail(&aib__vt_bool);
    return mk(&aib__vt_bool, NOCAPS, ok);
}

/* Extension function signatures: argument type codes and result (S string, B bool, L long,
 * D decimal, I ipaddr, T datetime, U duration); check = literal-checked constructor. */
typedef struct extsig {
    int fn;
    const char *args;
    char ret;
    bool check;
} extsig_t;

static const extsig_t ext_sigs[] = {
    { AIB__FN_DECIMAL, "S", 'D', true },
    { AIB__FN_LESS_THAN, "DD", 'B', false },
    { AIB__FN_LESS_THAN_OR_EQUAL, "DD", 'B', false },
    { AIB__FN_GREATER_THAN, "DD", 'B', false },
    { AIB__FN_GREATER_THAN_OR_EQUAL, "DD", 'B', false },
    { AIB__FN_IP, "S", 'I', true },
    { AIB__FN_IS_IPV4, "I", 'B', false },
    { AIB__FN_IS_IPV6, "I", 'B', false },
    { AIB__FN_IS_LOOPBACK, "I", 'B', false },
    { AIB__FN_IS_MULTICAST, "I", 'B', false },
    { AIB__FN_IS_IN_RANGE, "II", 'B', false },
    { AIB__FN_DATETIME, "S", 'T', true },
    { AIB__FN_DURATION, "S", 'U', true },
    { AIB__FN_OFFSET, "TU", 'T', false },
    { AIB__FN_DURATION_SINCE, "TT", 'U', false },
    { AIB__FN_TO_DATE, "T", 'T', false },
    { AIB__FN_TO_TIME, "T", 'U', false },
    { AIB__FN_TO_MILLISECONDS, "U", 'L', false },
    { AIB__FN_TO_SECONDS, "U", 'L', false },
    { AIB__FN_TO_MINUTES, "U", 'L', false },
    { AIB__FN_TO_HOURS, "U", 'L', false },
    { AIB__FN_TO_DAYS, "U", 'L', false },
};

static const vty_t vt_decimal = { .kind = VT_EXT, .name = { "decimal", 7 } };
static const vty_t vt_ipaddr = { .kind = VT_EXT, .name = { "ipaddr", 6 } };
static const vty_t vt_datetime = { .kind = VT_EXT, .name = { "datetime", 8 } };
static const vty_t vt_duration = { .kind = VT_EXT, .name = { "duration", 8 } };

static const vty_t *code_type(char k)
{
    switch (k) {
    case 'S': return &aib__vt_string;
    case 'B': return &aib__vt_bool;
    case 'L': return &aib__vt_long;
    case 'D': return &vt_decimal;
    case 'I': return &vt_ipaddr;
    case 'T': return &vt_datetime;
    default: return &vt_duration;
    }
}

/* Does a constructor's literal string parse? (0 when valid) */
static int check_ctor_literal(int fn, aib_str_t s)
{
    int64_t i;
    aib__ipaddr_t ip;
    switch (fn) {
    case AIB__FN_DECIMAL: return aib__decimal_parse(s.ptr, s.len, &i);
    case AIB__FN_IP: return aib__ip_parse(s.ptr, s.len, &ip);
    case AIB__FN_DATETIME: return aib__datetime_parse(s.ptr, s.len, &i);
    case AIB__FN_DURATION: return aib__duration_parse(s.ptr, s.len, &i);
    default: return 0;
    }
}

static ans_t tc_ext(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    const extsig_t *sig = NULL;
    for (size_t i = 0; i < sizeof ext_sigs / sizeof ext_sigs[0]; i++)
        if (ext_sigs[i].fn == e->op)
            sig = &ext_sigs[i];
    const char *fname = e->op < AIB__FN__COUNT ? aib__fn_table[e->op].name : "?";
    if (!sig) {
        aib__verror(c, &e->loc, "undefined extension function `%s`", fname);
        for (uint32_t i = 0; i < e->n; i++)
            tc(c, prior, e->u.list.items[i], depth);
        return fail(NULL);
    }
    size_t nargs = strlen(sig->args);
    const vty_t *ret = code_type(sig->ret);
    bool failed = false;
    if (e->n != nargs) {
        aib__verror(c, &e->loc, "wrong number of arguments to `%s`: expected %zu, got %u", fname,
                    nargs, (unsigned)e->n);
        failed = true;
    }
    if (sig->check && e->n == 1) {
        const aib__expr_t *a = e->u.list.items[0];
        if (a->kind == AIB__E_LIT && a->u.lit.kind == AIB__V_STRING &&
            check_ctor_literal(e->op, a->u.lit.u.s) != 0) {
            aib__verror(c, &e->loc, "invalid argument to `%s`: \"%.*s\" is not a valid %s literal",
                        fname, (int)(a->u.lit.u.s.len > 200 ? 200 : a->u.lit.u.s.len),
                        a->u.lit.u.s.ptr, fname);
            failed = true;
        }
    }
    if (sig->check) {
        bool all_lit = true;
        for (uint32_t i = 0; i < e->n; i++)
            all_lit = all_lit && e->u.list.items[i]->kind == AIB__E_LIT;
        if (!all_lit) {
            aib__verror(c, &e->loc,
                        "extension constructor `%s` must be called with a literal string in strict "
                        "validation",
                        fname);
            failed = true;
        }
    }
    if (failed) {
        for (uint32_t i = 0; i < e->n; i++)
            tc(c, prior, e->u.list.items[i], depth);
        return fail(ret);
    }
    bool ok = true;
    for (uint32_t i = 0; i < e->n; i++) {
        ans_t x = expect(c, prior, e->u.list.items[i], code_type(sig->args[i]), depth);
        ok = ok && x.ok;
    }
    return mk(ret, NOCAPS, ok);
}

static ans_t tc_call(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    switch (e->op) {
    case AIB__FN_CONTAINS:
    case AIB__FN_CONTAINS_ALL:
    case AIB__FN_CONTAINS_ANY:
        if (e->n != 2)
            break;
        return tc_contains(c, prior, e, e->op, depth);
    case AIB__FN_IS_EMPTY: {
        if (e->n != 1)
            break;
        ans_t a = expect(c, prior, e->u.list.items[0], &aib__vt_any_set, depth);
        return mk(&aib__vt_bool, NOCAPS, a.ok);
    }
    case AIB__FN_GET_TAG:
    case AIB__FN_HAS_TAG:
        if (e->n != 2)
            break;
        return tc_tag(c, prior, e, e->op == AIB__FN_GET_TAG, depth);
    default:
        return tc_ext(c, prior, e, depth);
    }
    aib__verror(c, &e->loc, "wrong number of arguments to `%s`", aib__fn_table[e->op].name);
    return fail(NULL);
}

static ans_t tc_if(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    ans_t t = expect(c, prior, e->u.k.a, &aib__vt_bool, depth);
    if (is_kind(t.ty, VT_TRUE)) {
        ans_t th = tc(c, caps_union(c, prior, t.caps), e->u.k.b, depth);
        return mk(th.ty, caps_union(c, th.caps, t.caps), t.ok && th.ok);
    }
    if (is_kind(t.ty, VT_FALSE)) {
        ans_t el = tc(c, prior, e->u.k.c, depth);
        return mk(el.ty, el.caps, t.ok && el.ok);
    }
    ans_t th = tc(c, caps_union(c, prior, t.caps), e->u.k.b, depth);
    vcaps_t thcaps = th.ok ? caps_union(c, th.caps, t.caps) : NOCAPS;
    ans_t el = tc(c, prior, e->u.k.c, depth);
    const vty_t *lub = NULL;
    if (th.ty && el.ty)
        lub = lub_or_error(c, e, th.ty, el.ty, "if-then-else branches");
    if (!lub)
        return fail(NULL);
    return mk(lub, caps_intersect(c, el.caps, thcaps), t.ok && th.ok && el.ok);
}

static ans_t tc_and(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    ans_t l = expect(c, prior, e->u.k.a, &aib__vt_bool, depth);
    if (is_kind(l.ty, VT_FALSE))
        return mk(&aib__vt_false, NOCAPS, l.ok);
    ans_t r = expect(c, caps_union(c, prior, l.caps), e->u.k.b, &aib__vt_bool, depth);
    bool ok = l.ok && r.ok;
    if (!l.ty || !r.ty)
        return fail(&aib__vt_bool);
    if (r.ty->kind == VT_FALSE)
        return mk(&aib__vt_false, NOCAPS, ok);
    if (r.ty->kind == VT_TRUE)
        return mk(l.ty, caps_union(c, l.caps, r.caps), ok);
    if (l.ty->kind == VT_TRUE)
        return mk(r.ty, r.caps, ok);
    return mk(&aib__vt_bool, caps_union(c, l.caps, r.caps), ok);
}

static ans_t tc_or(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    ans_t l = expect(c, prior, e->u.k.a, &aib__vt_bool, depth);
    if (is_kind(l.ty, VT_TRUE))
        return mk(&aib__vt_true, l.caps, l.ok);
    ans_t r = expect(c, prior, e->u.k.b, &aib__vt_bool, depth);
    bool ok = l.ok && r.ok;
    if (!l.ty || !r.ty)
        return fail(&aib__vt_bool);
    if (r.ty->kind == VT_TRUE)
        return mk(&aib__vt_true, r.caps, ok);
    if (r.ty->kind == VT_FALSE)
        return mk(l.ty, l.caps, ok);
    if (l.ty->kind == VT_FALSE)
        return mk(r.ty, r.caps, ok);
    return mk(&aib__vt_bool, caps_intersect(c, r.caps, l.caps), ok);
}

static ans_t negate(ans_t a)
{
    if (!a.ty)
        return fail(&aib__vt_bool);
    const vty_t *t = a.ty->kind == VT_TRUE    ? &aib__vt_false
                     : a.ty->kind == VT_FALSE ? &aib__vt_true
                                              : &aib__vt_bool;
    return mk(t, NOCAPS, a.ok);
}

static ans_t tc(vctx_t *c, vcaps_t prior, const aib__expr_t *e, int depth)
{
    if (!e || depth > 4 * AIB_CEDAR_MAX_DEPTH || c->oom)
        return fail(NULL);
    depth++;
    switch (e->kind) {
    case AIB__E_LIT:
        switch (e->u.lit.kind) {
        case AIB__V_BOOL: return mk(aib__vt_singleton(e->u.lit.u.b), NOCAPS, true);
        case AIB__V_LONG: return mk(&aib__vt_long, NOCAPS, true);
        case AIB__V_STRING: return mk(&aib__vt_string, NOCAPS, true);
        case AIB__V_ENTITY: {
            /* unknown types and actions are reported once per policy by the scope checks */
            const vty_t *t = aib__vt_euid(c, e->u.lit.u.uid);
            return t ? mk(t, NOCAPS, true) : fail(NULL);
        }
        default: return fail(NULL);
        }
    case AIB__E_VAR:
        switch (e->op) {
        case AIB__VAR_PRINCIPAL: return mk(aib__vt_entity(c, c->env_principal), NOCAPS, true);
        case AIB__VAR_RESOURCE: return mk(aib__vt_entity(c, c->env_resource), NOCAPS, true);
        case AIB__VAR_ACTION: return mk(aib__vt_action(c, c->env_action->uid->type), NOCAPS, true);
        default: return mk(aib__vt_from_schema(c, c->env_action->context), NOCAPS, true);
        }
    case AIB__E_SLOT:
        if (e->op == AIB__SLOT_PRINCIPAL)
            return mk(c->has_pslot ? aib__vt_entity(c, c->env_pslot) : &aib__vt_any_entity, NOCAPS, true);
        return mk(c->has_rslot ? aib__vt_entity(c, c->env_rslot) : &aib__vt_any_entity, NOCAPS, true);
    case AIB__E_IF: return tc_if(c, prior, e, depth);
    case AIB__E_AND: return tc_and(c, prior, e, depth);
    case AIB__E_OR: return tc_or(c, prior, e, depth);
    case AIB__E_NOT: return negate(expect(c, prior, e->u.k.a, &aib__vt_bool, depth));
    case AIB__E_NEG: {
        ans_t a = expect(c, prior, e->u.k.a, &aib__vt_long, depth);
        return mk(&aib__vt_long, NOCAPS, a.ok);
    }
    case AIB__E_BINOP:
        switch (e->op) {
        case AIB__OP_EQ: return tc_eq(c, prior, e, depth);
        case AIB__OP_NE: return negate(tc_eq(c, prior, e, depth));
        case AIB__OP_LT:
        case AIB__OP_LE:
        case AIB__OP_GT:
        case AIB__OP_GE: return tc_compare(c, prior, e, depth);
        case AIB__OP_IN: return tc_in(c, prior, e, depth);
        default: {
            ans_t a = expect(c, prior, e->u.k.a, &aib__vt_long, depth);
            ans_t b = expect(c, prior, e->u.k.b, &aib__vt_long, depth);
            return mk(&aib__vt_long, NOCAPS, a.ok && b.ok);
        }
        }
    case AIB__E_GETATTR: return tc_getattr(c, prior, e, depth);
    case AIB__E_HAS: return tc_has(c, prior, e, depth);
    case AIB__E_LIKE: {
        ans_t a = expect(c, prior, e->u.like.obj, &aib__vt_string, depth);
        return mk(&aib__vt_bool, NOCAPS, a.ok);
    }
    case AIB__E_IS: return tc_is(c, prior, e, depth);
    case AIB__E_SET: return tc_set(c, prior, e, depth);
    case AIB__E_RECORD: return tc_record(c, prior, e, depth);
    case AIB__E_CALL: return tc_call(c, prior, e, depth);
    default: return fail(NULL);
    }
}

void aib__vcheck_condition(vctx_t *c, const aib__expr_t *cond)
{
    (void)expect(c, NOCAPS, cond, &aib__vt_bool, 0);
}
