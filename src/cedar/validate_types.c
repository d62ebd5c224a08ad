/* validate_types.c — the validator's type model: construction (also from schema types),
 * subtyping, strict least upper bounds, attribute lookup and formatting for messages.
 * Strict mode never unites two different entity types, so an entity type names exactly one
 * type; records compare by depth only, and required/optional qualifiers must agree. */
#include "cedar/validate_int.h"

#include <string.h>

const vty_t aib__vt_never = { .kind = VT_NEVER };
const vty_t aib__vt_true = { .kind = VT_TRUE };
const vty_t aib__vt_false = { .kind = VT_FALSE };
const vty_t aib__vt_bool = { .kind = VT_BOOL };
const vty_t aib__vt_long = { .kind = VT_LONG };
const vty_t aib__vt_string = { .kind = VT_STRING };
const vty_t aib__vt_any_set = { .kind = VT_SET, .elem = NULL };
const vty_t aib__vt_any_entity = { .kind = VT_ANY_ENTITY };
/* An open record without attributes is a supertype of every record under width subtyping. */
const vty_t aib__vt_any_record = { .kind = VT_RECORD, .open = 1 };

const vty_t *aib__vt_singleton(bool b) { return b ? &aib__vt_true : &aib__vt_false; }

static vty_t *vt_new(vctx_t *c, uint8_t kind)
{
    vty_t *t = aib_arena_calloc(c->tmp, 1, sizeof *t);
    if (!t) {
        c->oom = true;
        return NULL;
    }
    t->kind = kind;
    return t;
}

const vty_t *aib__vt_entity(vctx_t *c, aib_str_t name)
{
    vty_t *t = vt_new(c, VT_ENTITY);
    if (t)
        t->name = name;
    return t;
}

const vty_t *aib__vt_action(vctx_t *c, aib_str_t action_type)
{
    vty_t *t = vt_new(c, VT_ACTION);
    if (t)
        t->name = action_type;
    return t;
}

const vty_t *aib__vt_ext(vctx_t *c, const char *name)
{
    vty_t *t = vt_new(c, VT_EXT);
    if (t)
        t->name = (aib_str_t){ name, strlen(name) };
    return t;
}

const vty_t *aib__vt_set(vctx_t *c, const vty_t *elem)
{
    vty_t *t = vt_new(c, VT_SET);
    if (t)
        t->elem = elem;
    return t;
}

/* ---- Schema types ---------------------------------------------------------------------- */

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static const vty_t *memo_get(vctx_t *c, const aib__type_t *t)
{
    if (!c->memo_cap)
        return NULL;
    size_t mask = c->memo_cap - 1;
    for (size_t i = ptr_hash(t) & mask;; i = (i + 1) & mask) {
        if (!c->memo[i].key)
            return NULL;
        if (c->memo[i].key == t)
            return c->memo[i].val;
    }
}

static void memo_put(vctx_t *c, const aib__type_t *t, const vty_t *v)
{
    if ((c->memo_n + 1) * 2 > c->memo_cap) {
        size_t ncap = c->memo_cap ? c->memo_cap * 2 : 64;
        vmemo_t *nm = aib_arena_calloc(c->perm, ncap, sizeof *nm);
        if (!nm) {
            c->oom = true;
            return;
        }
        for (size_t i = 0; i < c->memo_cap; i++) {
            if (!c->memo[i].key)
                continue;
            size_t j = ptr_hash(c->memo[i].key) & (ncap - 1);
            while (nm[j].key)
                j = (j + 1) & (ncap - 1);
            nm[j] = c->memo[i];
        }
        c->memo = nm;
        c->memo_cap = ncap;
    }
    size_t mask = c->memo_cap - 1;
    size_t i = ptr_hash(t) & mask;
    while (c->memo[i].key)
        i = (i + 1) & mask;
    c->memo[i].key = t;
    c->memo[i].val = v;
    c->memo_n++;
}

static const vty_t *from_schema(vctx_t *c, const aib__type_t *t, int depth)
{
    if (!t || depth > AIB_CEDAR_MAX_DEPTH)
        return &aib__vt_never;
    switch (t->kind) {
    case AIB__T_BOOL: return &aib__vt_bool;
    case AIB__T_LONG: return &aib__vt_long;
    case AIB__T_STRING: return &aib__vt_string;
    default: break;
    }
    const vty_t *m = memo_get(c, t);
    if (m)
        return m;
    /* Memoized types outlive one environment, so they come from the run's arena. */
    vty_t *v = aib_arena_calloc(c->perm, 1, sizeof *v);
    if (!v) {
        c->oom = true;
        return &aib__vt_never;
    }
    switch (t->kind) {
    case AIB__T_ENTITY:
        v->kind = VT_ENTITY;
        v->name = t->name;
        break;
    case AIB__T_EXT:
        v->kind = VT_EXT;
        v->name = t->name;
        break;
    case AIB__T_SET:
        v->kind = VT_SET;
        v->elem = from_schema(c, t->elem, depth + 1);
        break;
    case AIB__T_RECORD: {
        v->kind = VT_RECORD;
        v->open = t->open;
        vattr_t *as = t->n_attrs ? aib_arena_calloc(c->perm, t->n_attrs, sizeof *as) : NULL;
        if (t->n_attrs && !as) {
            c->oom = true;
            return &aib__vt_never;
        }
        for (size_t i = 0; i < t->n_attrs; i++) {
            as[i].name = t->attrs[i].name;
            as[i].required = t->attrs[i].required;
            as[i].type = from_schema(c, t->attrs[i].type, depth + 1);
        }
        v->n = t->n_attrs;
        v->attrs = as;
        break;
    }
    default:
        v->kind = VT_NEVER;
        break;
    }
    memo_put(c, t, v);
    return v;
}

const vty_t *aib__vt_from_schema(vctx_t *c, const aib__type_t *t) { return from_schema(c, t, 0); }

const aib__entity_type_t *aib__vt_schema_etype(vctx_t *c, aib_str_t name)
{
    return aib__schema_entity_type(c->schema, name);
}

long aib__vt_etype_index(vctx_t *c, aib_str_t name)
{
    const aib__entity_type_t *et = aib__schema_entity_type(c->schema, name);
    return et ? (long)(et - c->schema->entity_types) : -1;
}

long aib__vt_action_index(vctx_t *c, const aib__uid_t *uid)
{
    const aib__action_t *a = aib__schema_action(c->schema, uid);
    return a ? (long)(a - c->schema->actions) : -1;
}

bool aib__vt_type_in(vctx_t *c, aib_str_t d, aib_str_t a)
{
    if (aib_str_eq(d, a))
        return true;
    long id = aib__vt_etype_index(c, d), ia = aib__vt_etype_index(c, a);
    if (id < 0 || ia < 0 || !c->type_desc)
        return false;
    return c->type_desc[(size_t)ia * c->n_types + (size_t)id] != 0;
}

const vty_t *aib__vt_euid(vctx_t *c, const aib__uid_t *uid)
{
    if (aib__is_action_type(uid->type)) {
        if (aib__vt_action_index(c, uid) < 0)
            return NULL;
        return aib__vt_action(c, uid->type);
    }
    if (!aib__schema_entity_type(c->schema, uid->type))
        return NULL;
    return aib__vt_entity(c, uid->type);
}

/* ---- Relations ------------------------------------------------------------------------- */

static const vattr_t *rec_get(const vty_t *r, aib_str_t name)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = aib_str_cmp(r->attrs[mid].name, name);
        if (d == 0)
            return &r->attrs[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool aib__vt_eq(const vty_t *a, const vty_t *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VT_ENTITY:
    case VT_ACTION:
    case VT_EXT:
        return aib_str_eq(a->name, b->name);
    case VT_SET:
        return aib__vt_eq(a->elem, b->elem);
    case VT_RECORD:
        if (a->open != b->open || a->n != b->n)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            if (!aib_str_eq(a->attrs[i].name, b->attrs[i].name) ||
                a->attrs[i].required != b->attrs[i].required ||
                !aib__vt_eq(a->attrs[i].type, b->attrs[i].type))
                return false;
        }
        return true;
    default:
        return true;
    }
}

static bool attr_subtype(vctx_t *c, const vattr_t *a, const vattr_t *b, bool strict)
{
    bool q = strict ? a->required == b->required : (a->required || !b->required);
    return q && aib__vt_subtype(c, a->type, b->type, strict);
}

/* Every attribute of b is in a with a subtype (width subtyping allowed). */
static bool attrs_subtype(vctx_t *c, const vty_t *a, const vty_t *b, bool strict)
{
    for (size_t i = 0; i < b->n; i++) {
        const vattr_t *x = rec_get(a, b->attrs[i].name);
        if (!x || !attr_subtype(c, x, &b->attrs[i], strict))
            return false;
    }
    return true;
}

static bool same_keys(const vty_t *a, const vty_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!aib_str_eq(a->attrs[i].name, b->attrs[i].name))
            return false;
    return true;
}

static bool is_entityish(const vty_t *t)
{
    return t->kind == VT_ENTITY || t->kind == VT_ANY_ENTITY || t->kind == VT_ACTION;
}

bool aib__vt_subtype(vctx_t *c, const vty_t *a, const vty_t *b, bool strict)
{
    if (a->kind == VT_NEVER)
        return true;
    switch (a->kind) {
    case VT_TRUE:
    case VT_FALSE:
        return b->kind == VT_BOOL || b->kind == a->kind;
    case VT_BOOL:
    case VT_LONG:
    case VT_STRING:
        return b->kind == a->kind;
    case VT_SET:
        if (b->kind != VT_SET)
            return false;
        if (!b->elem)
            return true;
        if (!a->elem)
            return false;
        return aib__vt_subtype(c, a->elem, b->elem, strict);
    case VT_RECORD:
        if (b->kind != VT_RECORD)
            return false;
        if (a->open && !b->open)
            return false;
        if (b->open && !strict && attrs_subtype(c, a, b, strict))
            return true;
        return same_keys(a, b) && attrs_subtype(c, a, b, strict);
    case VT_ACTION:
        if (b->kind == VT_ACTION)
            return aib_str_eq(a->name, b->name);
        return b->kind == VT_ANY_ENTITY && !strict;
    case VT_ENTITY:
        if (b->kind == VT_ENTITY)
            return aib_str_eq(a->name, b->name);
        return b->kind == VT_ANY_ENTITY && !strict;
    case VT_ANY_ENTITY:
        return b->kind == VT_ANY_ENTITY;
    case VT_EXT:
        return b->kind == VT_EXT && aib_str_eq(a->name, b->name);
    default:
        return false;
    }
}

const vty_t *aib__vt_lub(vctx_t *c, const vty_t *a, const vty_t *b, lubhint_t *hint)
{
    *hint = LUB_OK;
    if (aib__vt_subtype(c, a, b, true))
        return b;
    if (aib__vt_subtype(c, b, a, true))
        return a;
    if ((a->kind == VT_TRUE || a->kind == VT_FALSE) && (b->kind == VT_TRUE || b->kind == VT_FALSE))
        return &aib__vt_bool;
    if (a->kind == VT_SET && b->kind == VT_SET) {
        if (!a->elem || !b->elem)
            return &aib__vt_any_set;
        const vty_t *e = aib__vt_lub(c, a->elem, b->elem, hint);
        return e ? aib__vt_set(c, e) : NULL;
    }
    if (a->kind == VT_RECORD && b->kind == VT_RECORD) {
        if (!same_keys(a, b)) {
            *hint = LUB_RECORD_WIDTH;
            return NULL;
        }
        vattr_t *as = a->n ? aib_arena_calloc(c->tmp, a->n, sizeof *as) : NULL;
        if (a->n && !as) {
            c->oom = true;
            *hint = LUB_NONE;
            return NULL;
        }
        for (size_t i = 0; i < a->n; i++) {
            const vty_t *t = aib__vt_lub(c, a->attrs[i].type, b->attrs[i].type, hint);
            if (!t)
                return NULL;
            if (a->attrs[i].required != b->attrs[i].required) {
                *hint = LUB_QUALIFIER;
                return NULL;
            }
            as[i].name = a->attrs[i].name;
            as[i].required = a->attrs[i].required;
            as[i].type = t;
        }
        vty_t *r = vt_new(c, VT_RECORD);
        if (!r) {
            *hint = LUB_NONE;
            return NULL;
        }
        r->open = a->open || b->open;
        r->n = a->n;
        r->attrs = as;
        return r;
    }
    if (a->kind == VT_ANY_ENTITY && b->kind == VT_ANY_ENTITY)
        return a;
    if (is_entityish(a) && is_entityish(b)) {
        *hint = LUB_ENTITY;
        return NULL;
    }
    if ((is_entityish(a) && b->kind == VT_RECORD) || (a->kind == VT_RECORD && is_entityish(b))) {
        *hint = LUB_ENTITY_RECORD;
        return NULL;
    }
    *hint = LUB_NONE;
    return NULL;
}

bool aib__vt_disjoint(const vty_t *a, const vty_t *b)
{
    bool ea = a->kind == VT_ENTITY || a->kind == VT_ACTION;
    bool eb = b->kind == VT_ENTITY || b->kind == VT_ACTION;
    return ea && eb && !aib_str_eq(a->name, b->name);
}

const vattr_t *aib__vt_attr(vctx_t *c, const vty_t *t, aib_str_t name)
{
    if (t->kind == VT_RECORD)
        return rec_get(t, name);
    if (t->kind == VT_ENTITY) {
        const aib__entity_type_t *et = aib__schema_entity_type(c->schema, t->name);
        if (!et || !et->attrs)
            return NULL;
        const vty_t *r = aib__vt_from_schema(c, et->attrs);
        return r->kind == VT_RECORD ? rec_get(r, name) : NULL;
    }
    return NULL;
}

bool aib__vt_may_have_attr(vctx_t *c, const vty_t *t, aib_str_t name)
{
    switch (t->kind) {
    case VT_NEVER:
    case VT_ANY_ENTITY:
        return true;
    case VT_RECORD:
        return t->open || rec_get(t, name) != NULL;
    case VT_ENTITY: {
        const aib__entity_type_t *et = aib__schema_entity_type(c->schema, t->name);
        if (!et)
            return true;
        if (!et->attrs)
            return false;
        const vty_t *r = aib__vt_from_schema(c, et->attrs);
        if (r->kind != VT_RECORD)
            return false;
        return r->open || rec_get(r, name) != NULL;
    }
    default:
        return false;
    }
}

/* ---- Formatting ------------------------------------------------------------------------ */

static void put_str(aib_buf_t *b, aib_str_t s) { aib_buf_append(b, s.ptr, s.len); }

void aib__vt_format(const vty_t *t, aib_buf_t *b)
{
    if (!t) {
        aib_buf_puts(b, "(unknown)");
        return;
    }
    switch (t->kind) {
    case VT_NEVER: aib_buf_puts(b, "Never"); break;
    case VT_TRUE: aib_buf_puts(b, "True"); break;
    case VT_FALSE: aib_buf_puts(b, "False"); break;
    case VT_BOOL: aib_buf_puts(b, "Bool"); break;
    case VT_LONG: aib_buf_puts(b, "Long"); break;
    case VT_STRING: aib_buf_puts(b, "String"); break;
    case VT_SET:
        aib_buf_puts(b, "Set<");
        if (t->elem)
            aib__vt_format(t->elem, b);
        else
            aib_buf_puts(b, "Any");
        aib_buf_putc(b, '>');
        break;
    case VT_RECORD:
        if (t->open && t->n == 0) {
            aib_buf_puts(b, "record");
            break;
        }
        aib_buf_putc(b, '{');
        for (size_t i = 0; i < t->n; i++) {
            if (i)
                aib_buf_puts(b, ", ");
            put_str(b, t->attrs[i].name);
            if (!t->attrs[i].required)
                aib_buf_putc(b, '?');
            aib_buf_puts(b, ": ");
            aib__vt_format(t->attrs[i].type, b);
        }
        aib_buf_putc(b, '}');
        break;
    case VT_ANY_ENTITY: aib_buf_puts(b, "entity"); break;
    case VT_ENTITY:
    case VT_ACTION:
    case VT_EXT:
        put_str(b, t->name);
        break;
    default: aib_buf_puts(b, "?"); break;
    }
}
