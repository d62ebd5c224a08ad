/* eval.c — the Cedar expression evaluator: turns a policy's scope and when/unless conditions
 * into satisfied / not satisfied / error for one request, with the reference semantics
 * (short-circuit && || with type errors where the reference raises them, overflow-checked
 * arithmetic, entity hierarchy `in`, attributes, tags, sets, records and extension calls).
 * authorize.c calls aib__eval_policy_ex for every candidate policy the scope index yields.
 * All values built while evaluating come from the caller's request arena; nothing is malloc'd. */
#include "cedar/index_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Nesting limit of the evaluator's recursion, above the parser's tree-depth bound (2000) so
 * every parsed policy evaluates; hand-built deeper trees get an evaluation error rather than a
 * stack overflow. Left-nested && / || chains are walked without recursion. */
#define EVAL_MAX_DEPTH 2500

/* Cold or non-recursive helpers stay out of the recursive frame to keep it small; helpers on
 * the recursion path are forced inline so they add no frame of their own. */
#define NOINLINE __attribute__((noinline))
#define INLINE __attribute__((always_inline)) inline

typedef struct ev {
    const aib__policy_t *p; /* the policy being evaluated (slot values); may be NULL */
    const aib_cedar_entities_t *es;
    const aib__request_t *req;
    aib_arena_t *arena;
    char *err;
    size_t cap;
    unsigned depth;
    aib__ecache_t *cache; /* per-request entity lookups; NULL for none */
} ev_t;

static int ev(ev_t *c, const aib__expr_t *e, aib__value_t *out);

/* ---- messages ------------------------------------------------------------------------------ */

static int fail(ev_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ev_t *c, const char *fmt, ...)
{
    va_list ap;
    if (c->err && c->cap) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->cap, fmt, ap);
        va_end(ap);
    }
    return AIB_EEVAL;
}

static const char *kind_name(const aib__value_t *v)
{
    return aib__vkind_name(v->kind);
}

NOINLINE static int type_err(ev_t *c, const char *expected, const aib__value_t *got)
{
    return fail(c, "type error: expected %s, got %s", expected, kind_name(got));
}

/* Evaluates e into *v, which must be of kind (the type error names it otherwise). */
static INLINE int ev_as(ev_t *c, const aib__expr_t *e, int kind, aib__value_t *v)
{
    int rc = ev(c, e, v);
    if (rc == 0 && v->kind != kind)
        rc = type_err(c, aib__vkind_name(kind), v);
    return rc;
}

/* Writes Type::"id" into buf (bounded, id escaped) without touching the heap: messages are
 * produced on the request path, where a policy may error on every request. */
static const char *fmt_uid(char *buf, size_t cap, const aib__uid_t *u)
{
    size_t o = 0, i;
    static const char hex[] = "0123456789abcdef";
#define PUT(ch) do { if (o + 1 < cap) buf[o++] = (char)(ch); } while (0)
    for (i = 0; i < u->type.len; i++)
        PUT(u->type.ptr[i]);
    PUT(':');
    PUT(':');
    PUT('"');
    for (i = 0; i < u->id.len; i++) {
        unsigned char ch = (unsigned char)u->id.ptr[i];
        if (ch == '"' || ch == '\\') {
            PUT('\\');
            PUT(ch);
        } else if (ch < 0x20 || ch == 0x7f) {
            PUT('\\');
            PUT('x');
            PUT(hex[ch >> 4]);
            PUT(hex[ch & 15]);
        } else {
            PUT(ch);
        }
    }
    PUT('"');
#undef PUT
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}

NOINLINE static int entity_missing(ev_t *c, const aib__uid_t *u)
{
    char b[160];
    return fail(c, "entity `%s` does not exist", fmt_uid(b, sizeof b, u));
}

/* Attribute / tag names may hold any bytes; messages show at most 80 of them. */
static int name_len(aib_str_t s)
{
    return (int)(s.len > 80 ? 80 : s.len);
}

NOINLINE static int attr_missing(ev_t *c, const aib__uid_t *u, aib_str_t name)
{
    char b[160];
    return fail(c, "`%s` does not have the attribute `%.*s`", fmt_uid(b, sizeof b, u), name_len(name),
                name.ptr);
}

/* ---- helpers ------------------------------------------------------------------------------- */

static aib__value_t v_entity(const aib__uid_t *u)
{
    aib__value_t v;
    v.kind = AIB__V_ENTITY;
    v.u.uid = u;
    return v;
}

/* The store entity of u, through the per-request cache: values of `principal`, `action` and
 * `resource` carry the very pointers of the request, and an entity reached through the context
 * or an attribute keeps its pointer across the policies of one request. */
static const aib__entity_t *find(const ev_t *c, const aib__uid_t *u)
{
    aib__ecache_t *k = c->cache;
    const aib__entity_t *e;
    unsigned i;
    if (!k)
        return aib__entities_find(c->es, u);
    if (u == c->req->principal)
        return k->ents[0];
    if (u == c->req->action)
        return k->ents[1];
    if (u == c->req->resource)
        return k->ents[2];
    for (i = 0; i < AIB__ECACHE_N; i++)
        if (k->keys[i] == u)
            return k->vals[i];
    e = aib__entities_find(c->es, u);
    k->keys[k->next] = u;
    k->vals[k->next] = e;
    k->next = (k->next + 1) % AIB__ECACHE_N;
    return e;
}

void aib__ecache_init(aib__ecache_t *c, const aib_cedar_entities_t *es, const aib__request_t *req)
{
    memset(c, 0, sizeof *c);
    c->ents[0] = aib__entities_find(es, req->principal);
    c->ents[1] = aib__entities_find(es, req->action);
    c->ents[2] = aib__entities_find(es, req->resource);
}

/* True when ea (the entity of a, NULL when a is not in the store) lies at or below b. */
static bool in_entity(const aib_cedar_entities_t *es, const aib__uid_t *a, const aib__entity_t *ea,
                      const aib__uid_t *b)
{
    long bi;
    if (a == b || aib__uid_eq(a, b))
        return true;
    if (!ea || ea->n_ancestors == 0)
        return false;
    bi = aib__entities_uid_index(es, b);
    return bi >= 0 && aib__entity_has_ancestor(ea, (uint32_t)bi);
}

/* `a in b` for a value b that must be an entity or a set of entities; every set element is
 * type-checked before membership is decided, as the reference does. */
NOINLINE static int eval_in(ev_t *c, const aib__uid_t *a, const aib__value_t *b, bool *res)
{
    const aib__entity_t *ea;
    size_t i;
    if (b->kind == AIB__V_ENTITY) {
        if (a == b->u.uid || aib__uid_eq(a, b->u.uid)) {
            *res = true;
            return 0;
        }
        ea = find(c, a);
        *res = in_entity(c->es, a, ea, b->u.uid);
        return 0;
    }
    if (b->kind != AIB__V_SET)
        return type_err(c, "one of [set, entity]", b);
    for (i = 0; i < b->u.set->n; i++)
        if (b->u.set->items[i].kind != AIB__V_ENTITY)
            return type_err(c, "entity", &b->u.set->items[i]);
    *res = false;
    if (b->u.set->n == 0)
        return 0;
    ea = find(c, a);
    for (i = 0; i < b->u.set->n; i++) {
        if (in_entity(c->es, a, ea, b->u.set->items[i].u.uid)) {
            *res = true;
            break;
        }
    }
    return 0;
}

static bool is_ordered_ext(int kind)
{
    return kind == AIB__V_DATETIME || kind == AIB__V_DURATION;
}

/* < <= > >=: longs, or two datetimes, or two durations (Cedar 4 overloads the operators for
 * these extension types, but not for decimal or ipaddr). */
NOINLINE static int eval_compare(ev_t *c, int op, const aib__value_t *a, const aib__value_t *b, aib__value_t *out)
{
    int64_t x, y;
    bool r;
    if (a->kind == b->kind && (a->kind == AIB__V_LONG || is_ordered_ext(a->kind))) {
        x = a->u.i;
        y = b->u.i;
        switch (op) {
        case AIB__OP_LT: r = x < y; break;
        case AIB__OP_LE: r = x <= y; break;
        case AIB__OP_GT: r = x > y; break;
        default: r = x >= y; break;
        }
        *out = aib__v_bool(r);
        return 0;
    }
    if (a->kind == AIB__V_LONG)
        return type_err(c, "long", b);
    if (b->kind == AIB__V_LONG)
        return type_err(c, "long", a);
    if (is_ordered_ext(a->kind))
        return type_err(c, kind_name(a), b);
    if (is_ordered_ext(b->kind))
        return type_err(c, kind_name(b), a);
    return type_err(c, "one of [long, datetime, duration]", a);
}

NOINLINE static int eval_arith(ev_t *c, int op, const aib__value_t *a, const aib__value_t *b, aib__value_t *out)
{
    int64_t r;
    bool ovf;
    const char *verb;
    if (a->kind != AIB__V_LONG)
        return type_err(c, "long", a);
    if (b->kind != AIB__V_LONG)
        return type_err(c, "long", b);
    switch (op) {
    case AIB__OP_ADD: ovf = __builtin_add_overflow(a->u.i, b->u.i, &r); verb = "add"; break;
    case AIB__OP_SUB: ovf = __builtin_sub_overflow(a->u.i, b->u.i, &r); verb = "subtract"; break;
    default: ovf = __builtin_mul_overflow(a->u.i, b->u.i, &r); verb = "multiply"; break;
    }
    if (ovf)
        return fail(c, "integer overflow while attempting to %s the values %lld and %lld", verb,
                    (long long)a->u.i, (long long)b->u.i);
    *out = aib__v_long(r);
    return 0;
}

static int eval_binop(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t a, b;
    bool r = false;
    int rc = ev(c, e->u.k.a, &a);
    if (rc)
        return rc;
    rc = ev(c, e->u.k.b, &b);
    if (rc)
        return rc;
    switch (e->op) {
    case AIB__OP_EQ:
        *out = aib__v_bool(aib__value_eq(&a, &b));
        return 0;
    case AIB__OP_NE:
        *out = aib__v_bool(!aib__value_eq(&a, &b));
        return 0;
    case AIB__OP_LT: case AIB__OP_LE: case AIB__OP_GT: case AIB__OP_GE:
        return eval_compare(c, e->op, &a, &b, out);
    case AIB__OP_ADD: case AIB__OP_SUB: case AIB__OP_MUL:
        return eval_arith(c, e->op, &a, &b, out);
    case AIB__OP_IN:
        if (a.kind != AIB__V_ENTITY)
            return type_err(c, "entity", &a);
        rc = eval_in(c, a.u.uid, &b, &r);
        if (rc)
            return rc;
        *out = aib__v_bool(r);
        return 0;
    default:
        return fail(c, "unknown binary operator %d", e->op);
    }
}

/* Left-nested chains of one of && / || (`a && b && c` parses as ((a && b) && c)) are walked
 * iteratively so long chains cost no recursion depth. */
static int eval_logic(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    const uint8_t kind = e->kind;
    const bool is_and = kind == AIB__E_AND;
    const aib__expr_t *local[8], **spine = local, *x;
    aib__value_t v;
    size_t d = 0, i;
    int rc;

    for (x = e; x->kind == kind; x = x->u.k.a)
        d++;
    if (d > sizeof local / sizeof local[0]) {
        spine = aib_arena_alloc(c->arena, d * sizeof *spine);
        if (!spine)
            return AIB_ENOMEM;
    }
    i = 0;
    for (x = e; x->kind == kind; x = x->u.k.a)
        spine[i++] = x;
    rc = ev_as(c, x, AIB__V_BOOL, &v);
    if (rc)
        return rc;
    if (v.u.b != is_and) {
        *out = v;
        return 0;
    }
    for (i = d; i-- > 0;) {
        rc = ev_as(c, spine[i]->u.k.b, AIB__V_BOOL, &v);
        if (rc)
            return rc;
        if (v.u.b != is_and) {
            *out = v;
            return 0;
        }
    }
    *out = aib__v_bool(is_and);
    return 0;
}

static int eval_getattr(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t o;
    const aib__value_t *f;
    const aib__entity_t *ent;
    aib_str_t name = e->u.attr.name;
    int rc = ev(c, e->u.attr.obj, &o);
    if (rc)
        return rc;
    if (o.kind == AIB__V_RECORD) {
        f = aib__record_get(o.u.rec, name);
        if (!f)
            return fail(c, "record does not have the attribute `%.*s`", name_len(name), name.ptr);
        *out = *f;
        return 0;
    }
    if (o.kind == AIB__V_ENTITY) {
        ent = find(c, o.u.uid);
        if (!ent)
            return entity_missing(c, o.u.uid);
        f = aib__record_get(ent->attrs, name);
        if (!f)
            return attr_missing(c, o.u.uid, name);
        *out = *f;
        return 0;
    }
    return type_err(c, "one of [record, entity]", &o);
}

static int eval_has(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t o;
    const aib__entity_t *ent;
    int rc = ev(c, e->u.attr.obj, &o);
    if (rc)
        return rc;
    if (o.kind == AIB__V_RECORD) {
        *out = aib__v_bool(aib__record_get(o.u.rec, e->u.attr.name) != NULL);
        return 0;
    }
    if (o.kind == AIB__V_ENTITY) {
        ent = find(c, o.u.uid);
        *out = aib__v_bool(ent && aib__record_get(ent->attrs, e->u.attr.name) != NULL);
        return 0;
    }
    return type_err(c, "one of [record, entity]", &o);
}

static int eval_set(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t *items = NULL;
    aib__set_t *s;
    uint32_t i;
    int rc;
    if (e->n) {
        items = aib_arena_alloc(c->arena, e->n * sizeof *items);
        if (!items)
            return AIB_ENOMEM;
    }
    for (i = 0; i < e->n; i++) {
        rc = ev(c, e->u.list.items[i], &items[i]);
        if (rc)
            return rc;
    }
    s = aib__set_make(c->arena, items, e->n);
    if (!s)
        return AIB_ENOMEM;
    out->kind = AIB__V_SET;
    out->u.set = s;
    return 0;
}

static int eval_record(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__field_t *fields = NULL;
    aib__record_t *r = NULL;
    aib_str_t dup;
    uint32_t i;
    int rc;
    if (e->n) {
        fields = aib_arena_alloc(c->arena, e->n * sizeof *fields);
        if (!fields)
            return AIB_ENOMEM;
    }
    for (i = 0; i < e->n; i++) {
        fields[i].key = e->u.rec.keys[i];
        rc = ev(c, e->u.rec.vals[i], &fields[i].val);
        if (rc)
            return rc;
    }
    rc = aib__record_make(c->arena, fields, e->n, &r, &dup);
    if (rc == AIB_EEXIST)
        return fail(c, "duplicate key `%.*s` in record literal", name_len(dup), dup.ptr);
    if (rc)
        return rc;
    out->kind = AIB__V_RECORD;
    out->u.rec = r;
    return 0;
}

/* Built-in methods on sets and entity tags. args are evaluated (receiver first). */
NOINLINE static int eval_builtin(ev_t *c, int fn, const aib__value_t *args, size_t n, aib__value_t *out)
{
    const aib__entity_t *ent;
    const aib__value_t *t;
    const aib__set_t *s, *s2;
    size_t i;
    bool r;
    char b[160];

    if (n != aib__fn_table[fn].arity)
        return fail(c, "`%s` takes %u arguments, got %zu", aib__fn_table[fn].name,
                    (unsigned)aib__fn_table[fn].arity, n);
    switch (fn) {
    case AIB__FN_CONTAINS:
        if (args[0].kind != AIB__V_SET)
            return type_err(c, "set", &args[0]);
        *out = aib__v_bool(aib__set_contains(args[0].u.set, &args[1]));
        return 0;
    case AIB__FN_CONTAINS_ALL:
    case AIB__FN_CONTAINS_ANY:
        if (args[0].kind != AIB__V_SET)
            return type_err(c, "set", &args[0]);
        if (args[1].kind != AIB__V_SET)
            return type_err(c, "set", &args[1]);
        s = args[0].u.set;
        s2 = args[1].u.set;
        if (fn == AIB__FN_CONTAINS_ALL) {
            r = true;
            for (i = 0; i < s2->n && r; i++)
                r = aib__set_contains(s, &s2->items[i]);
        } else {
            r = false;
            for (i = 0; i < s2->n && !r; i++)
                r = aib__set_contains(s, &s2->items[i]);
        }
        *out = aib__v_bool(r);
        return 0;
    case AIB__FN_IS_EMPTY:
        if (args[0].kind != AIB__V_SET)
            return type_err(c, "set", &args[0]);
        *out = aib__v_bool(args[0].u.set->n == 0);
        return 0;
    case AIB__FN_GET_TAG:
    case AIB__FN_HAS_TAG:
        if (args[0].kind != AIB__V_ENTITY)
            return type_err(c, "entity", &args[0]);
        if (args[1].kind != AIB__V_STRING)
            return type_err(c, "string", &args[1]);
        ent = find(c, args[0].u.uid);
        if (fn == AIB__FN_HAS_TAG) {
            *out = aib__v_bool(ent && aib__record_get(ent->tags, args[1].u.s) != NULL);
            return 0;
        }
        if (!ent)
            return entity_missing(c, args[0].u.uid);
        t = aib__record_get(ent->tags, args[1].u.s);
        if (!t)
            return fail(c, "`%s` does not have the tag `%.*s`", fmt_uid(b, sizeof b, args[0].u.uid),
                        name_len(args[1].u.s), args[1].u.s.ptr);
        *out = *t;
        return 0;
    default:
        return fail(c, "unknown function %d", fn);
    }
}

static int eval_call(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t local[4], *args = local;
    uint32_t i;
    int rc, fn = e->op;
    if (e->n > sizeof local / sizeof local[0]) {
        args = aib_arena_alloc(c->arena, e->n * sizeof *args);
        if (!args)
            return AIB_ENOMEM;
    }
    for (i = 0; i < e->n; i++) {
        rc = ev(c, e->u.list.items[i], &args[i]);
        if (rc)
            return rc;
    }
    if (fn < 0 || fn >= AIB__FN__COUNT)
        return fail(c, "unknown function %d", fn);
    if (fn < AIB__FN_FIRST_EXT)
        return eval_builtin(c, fn, args, e->n, out);
    rc = aib__ext_call(fn, args, e->n, c->arena, out, c->err, c->cap);
    if (rc && rc != AIB_ENOMEM && rc != AIB_EEVAL) {
        /* an unexpected code from an extension is still just this policy's error */
        if (c->err && c->cap && !c->err[0])
            snprintf(c->err, c->cap, "error calling `%s`", aib__fn_table[fn].name);
        rc = AIB_EEVAL;
    }
    return rc;
}

static int ev_kind(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    aib__value_t v;
    const aib__uid_t *u;
    int rc;

    switch (e->kind) {
    case AIB__E_LIT:
        *out = e->u.lit;
        return 0;
    case AIB__E_VAR:
        switch (e->op) {
        case AIB__VAR_PRINCIPAL: *out = v_entity(c->req->principal); return 0;
        case AIB__VAR_ACTION: *out = v_entity(c->req->action); return 0;
        case AIB__VAR_RESOURCE: *out = v_entity(c->req->resource); return 0;
        default: *out = c->req->context; return 0;
        }
    case AIB__E_SLOT:
        u = NULL;
        if (c->p)
            u = e->op == AIB__SLOT_PRINCIPAL ? c->p->slot_principal : c->p->slot_resource;
        if (!u)
            return fail(c, "template slot ?%s is not linked",
                        e->op == AIB__SLOT_PRINCIPAL ? "principal" : "resource");
        *out = v_entity(u);
        return 0;
    case AIB__E_IF:
        rc = ev_as(c, e->u.k.a, AIB__V_BOOL, &v);
        if (rc)
            return rc;
        return ev(c, v.u.b ? e->u.k.b : e->u.k.c, out);
    case AIB__E_AND:
    case AIB__E_OR:
        return eval_logic(c, e, out);
    case AIB__E_NOT:
        rc = ev_as(c, e->u.k.a, AIB__V_BOOL, &v);
        if (rc)
            return rc;
        *out = aib__v_bool(!v.u.b);
        return 0;
    case AIB__E_NEG:
        rc = ev_as(c, e->u.k.a, AIB__V_LONG, &v);
        if (rc)
            return rc;
        if (v.u.i == INT64_MIN)
            return fail(c, "integer overflow while attempting to negate the value %lld", (long long)v.u.i);
        *out = aib__v_long(-v.u.i);
        return 0;
    case AIB__E_BINOP:
        return eval_binop(c, e, out);
    case AIB__E_GETATTR:
        return eval_getattr(c, e, out);
    case AIB__E_HAS:
        return eval_has(c, e, out);
    case AIB__E_LIKE:
        rc = ev_as(c, e->u.like.obj, AIB__V_STRING, &v);
        if (rc)
            return rc;
        *out = aib__v_bool(aib__pattern_match(&e->u.like.pat, v.u.s));
        return 0;
    case AIB__E_IS:
        rc = ev_as(c, e->u.is.obj, AIB__V_ENTITY, &v);
        if (rc)
            return rc;
        *out = aib__v_bool(aib_str_eq(v.u.uid->type, e->u.is.type));
        return 0;
    case AIB__E_SET:
        return eval_set(c, e, out);
    case AIB__E_RECORD:
        return eval_record(c, e, out);
    case AIB__E_CALL:
        return eval_call(c, e, out);
    default:
        return fail(c, "unknown expression kind %d", e->kind);
    }
}

static int ev(ev_t *c, const aib__expr_t *e, aib__value_t *out)
{
    int rc;
    if (!e)
        return fail(c, "missing expression");
    if (++c->depth > EVAL_MAX_DEPTH) {
        c->depth--;
        return fail(c, "expression nesting exceeds %d levels", EVAL_MAX_DEPTH);
    }
    rc = ev_kind(c, e, out);
    c->depth--;
    return rc;
}

int aib__eval_expr(const aib__expr_t *e, const aib__policy_t *p, const aib_cedar_entities_t *es,
                   const aib__request_t *req, aib_arena_t *arena, aib__value_t *out, char *err, size_t cap)
{
    ev_t c;
    c.p = p;
    c.es = es;
    c.req = req;
    c.arena = arena;
    c.err = err;
    c.cap = cap;
    c.depth = 0;
    c.cache = NULL;
    if (err && cap)
        err[0] = '\0';
    return ev(&c, e, out);
}

/* ---- policies ------------------------------------------------------------------------------ */

/* The uid a scope constraint names: its literal, or the linked slot value. For a linked policy
 * the scope may come from its template (slot set) while the value lives in the linked policy. */
static const aib__uid_t *scope_uid(const aib__policy_t *p, const aib__scope_t *sc, const aib__scope_t *own,
                                   int slot)
{
    const aib__uid_t *u;
    if (!sc->slot)
        return sc->uid;
    u = slot == AIB__SLOT_PRINCIPAL ? p->slot_principal : p->slot_resource;
    if (!u && own && !own->slot)
        u = own->uid;
    return u;
}

/* 1 when the request's uid satisfies the scope constraint, 0 when not, AIB_EEVAL for an
 * unlinked slot. Scope constraints cannot otherwise fail. */
static int scope_match(ev_t *c, const aib__policy_t *p, const aib__scope_t *sc, const aib__scope_t *own,
                       int slot, const aib__uid_t *u)
{
    const aib__uid_t *x;
    const aib__entity_t *eu;
    size_t i;

    switch (sc->op) {
    case AIB__SC_ANY:
        return 1;
    case AIB__SC_IS:
        return aib_str_eq(u->type, sc->type);
    case AIB__SC_EQ:
    case AIB__SC_IN:
    case AIB__SC_IS_IN:
        if (sc->op == AIB__SC_IS_IN && !aib_str_eq(u->type, sc->type))
            return 0;
        x = scope_uid(p, sc, own, slot);
        if (!x)
            return fail(c, "template slot ?%s is not linked", slot == AIB__SLOT_PRINCIPAL ? "principal" : "resource");
        if (sc->op == AIB__SC_EQ)
            return aib__uid_eq(u, x);
        return in_entity(c->es, u, find(c, u), x);
    case AIB__SC_IN_SET:
        if (sc->n_uids == 0)
            return 0;
        eu = find(c, u);
        for (i = 0; i < sc->n_uids; i++)
            if (in_entity(c->es, u, eu, sc->uids[i]))
                return 1;
        return 0;
    default:
        return fail(c, "unknown scope constraint %d", sc->op);
    }
}

int aib__eval_policy(const aib__policy_t *p, const aib_cedar_entities_t *es, const aib__request_t *req,
                     aib_arena_t *arena, char *err, size_t cap)
{
    return aib__eval_policy_ex(p, es, req, NULL, false, arena, err, cap);
}

int aib__eval_policy_ex(const aib__policy_t *p, const aib_cedar_entities_t *es, const aib__request_t *req,
                        aib__ecache_t *cache, bool scope_known, aib_arena_t *arena, char *err, size_t cap)
{
    const aib__policy_t *body = p->tmpl ? p->tmpl : p;
    const aib__scope_t *own_p = p->tmpl ? &p->principal : NULL;
    const aib__scope_t *own_r = p->tmpl ? &p->resource : NULL;
    aib__value_t v;
    ev_t c;
    size_t i;
    int rc;

    c.p = p;
    c.es = es;
    c.req = req;
    c.arena = arena;
    c.err = err;
    c.cap = cap;
    c.depth = 0;
    c.cache = cache;
    if (err && cap)
        err[0] = '\0';

    if (!scope_known) {
        rc = scope_match(&c, p, &body->principal, own_p, AIB__SLOT_PRINCIPAL, req->principal);
        if (rc <= 0)
            return rc;
        rc = scope_match(&c, p, &body->action, NULL, -1, req->action);
        if (rc <= 0)
            return rc;
        rc = scope_match(&c, p, &body->resource, own_r, AIB__SLOT_RESOURCE, req->resource);
        if (rc <= 0)
            return rc;
    }
    for (i = 0; i < body->n_conds; i++) {
        rc = ev(&c, body->conds[i].expr, &v);
        if (rc)
            return rc;
        if (v.kind != AIB__V_BOOL)
            return type_err(&c, "bool", &v);
        if (v.u.b != (body->conds[i].is_when != 0))
            return 0;
    }
    return 1;
}
