/* json_fast_conv.c — DOM (json_fast.c) to engine values for the common forms of requests and
 * entity attributes: plain values, `__entity` escapes and schema-typed records, sets and entity
 * references. It mirrors json.c's conversion exactly where it answers; every other form (other
 * escapes, implicit extension constructors, floats, nulls, mismatches, anything that would be an
 * error) is AIB__JF_FALLBACK so json.c decides and words the message as before. */
#include "cedar/json_fast_int.h"
#include "cedar/json_int.h"

#include <string.h>

static bool is_str(const aib__jf_t *j) { return j && j->kind == AIB__JF_STRING; }

/* The reference's TypeAndId (json.c type_and_id): an object with string "type" and "id" (other
 * keys ignored), or the array [type, id]. */
/* The members of an entity reference that matter, found in one pass over the object (keys are
 * unique: the DOM rejects duplicates); NULL when absent. */
typedef struct uid_keys {
    const aib__jf_t *type, *id, *expr, *entity;
} uid_keys_t;

static void find_uid_keys(const aib__jf_t *j, uid_keys_t *k)
{
    uint32_t i;

    memset(k, 0, sizeof *k);
    for (i = 0; i < j->n; i++) {
        const aib__jf_member_t *m = &j->u.members[i];
        const char *p = m->key.ptr;
        switch (m->key.len) {
        case 2:
            if (!k->id && p[0] == 'i' && p[1] == 'd')
                k->id = &m->val;
            break;
        case 4:
            if (!k->type && memcmp(p, "type", 4) == 0)
                k->type = &m->val;
            break;
        case 6:
            if (!k->expr && memcmp(p, "__expr", 6) == 0)
                k->expr = &m->val;
            break;
        case 8:
            if (!k->entity && memcmp(p, "__entity", 8) == 0)
                k->entity = &m->val;
            break;
        default:
            break;
        }
    }
}

static bool type_and_id(const aib__jf_t *j, const aib__jf_t **ty, const aib__jf_t **id)
{
    if (j->kind == AIB__JF_OBJECT) {
        uid_keys_t k;
        find_uid_keys(j, &k);
        *ty = k.type;
        *id = k.id;
        return is_str(*ty) && is_str(*id);
    }
    if (j->kind == AIB__JF_ARRAY && j->n == 2) {
        *ty = &j->u.items[0];
        *id = &j->u.items[1];
        return is_str(*ty) && is_str(*id);
    }
    return false;
}

/* A quick accept for the usual entity type name: `::`-separated identifiers none of which can
 * be a reserved word (the reserved words have 2, 4, 5 or 7 letters and all start with a
 * lowercase letter or `_`). Anything else goes to json.c's full check, which decides. */
static bool name_quick_ok(const char *s, size_t n)
{
    size_t i = 0, start;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        start = i;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'))
            return false;
        for (i++; i < n; i++) {
            c = (unsigned char)s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_'))
                break;
        }
        if (!(s[start] >= 'A' && s[start] <= 'Z')) {
            size_t len = i - start;
            if (len == 2 || len == 4 || len == 5 || len == 7)
                return false;
        }
        if (i == n)
            return true;
        if (s[i] != ':' || i + 2 >= n || s[i + 1] != ':')
            return false;
        i += 2;
    }
    return false;
}

/* The DOM's strings already live in the arena, NUL-terminated, so the uid shares them. */
static int make_uid(const aib__jf_t *ty, const aib__jf_t *id, aib_arena_t *arena, aib__uid_t **out)
{
    aib__uid_t *u;

    if (!name_quick_ok(ty->u.s.ptr, ty->u.s.len) && !aib__json_valid_name(ty->u.s.ptr, ty->u.s.len))
        return AIB__JF_FALLBACK;
    u = aib_arena_alloc(arena, sizeof(*u));
    if (!u)
        return AIB_ENOMEM;
    u->type = ty->u.s;
    u->id = id->u.s;
    u->hash = aib__uid_hash(u->type, u->id);
    *out = u;
    return 0;
}

int aib__jf_uid(const aib__jf_t *j, aib_arena_t *arena, aib__uid_t **out)
{
    const aib__jf_t *ty, *id, *esc;

    *out = NULL;
    if (j->kind == AIB__JF_OBJECT) {
        uid_keys_t k;
        find_uid_keys(j, &k);
        if (is_str(k.expr))
            return AIB__JF_FALLBACK;
        esc = k.entity;
        if (esc && type_and_id(esc, &ty, &id))
            return make_uid(ty, id, arena, out);
        if (is_str(k.type) && is_str(k.id))
            return make_uid(k.type, k.id, arena, out);
        return AIB__JF_FALLBACK;
    }
    if (j->kind == AIB__JF_ARRAY && j->n == 2 && type_and_id(j, &ty, &id))
        return make_uid(ty, id, arena, out);
    return AIB__JF_FALLBACK;
}

static int conv(const aib__jf_t *j, const aib__type_t *t, aib_arena_t *arena, int depth,
                aib__value_t *out);

static int conv_set(const aib__jf_t *j, const aib__type_t *elem, aib_arena_t *arena, int depth,
                    aib__value_t *out)
{
    aib__value_t *items = NULL;
    aib__set_t *set;
    uint32_t i;
    int rc;

    if (j->n) {
        items = aib_arena_alloc(arena, j->n * sizeof(*items));
        if (!items)
            return AIB_ENOMEM;
    }
    for (i = 0; i < j->n; i++)
        if ((rc = conv(&j->u.items[i], elem, arena, depth + 1, &items[i])) != 0)
            return rc;
    set = aib__set_make(arena, items, j->n);
    if (!set)
        return AIB_ENOMEM;
    out->kind = AIB__V_SET;
    out->u.set = set;
    return 0;
}

static int make_record(aib_arena_t *arena, const aib__field_t *fields, size_t n, aib__value_t *out)
{
    aib__record_t *rec = NULL;
    aib_str_t dup;
    int rc = aib__record_make(arena, fields, n, &rec, &dup);

    if (rc == AIB_EEXIST)
        return AIB__JF_FALLBACK;
    if (rc != 0)
        return rc;
    out->kind = AIB__V_RECORD;
    out->u.rec = rec;
    return 0;
}

static int conv_untyped(const aib__jf_t *j, aib_arena_t *arena, int depth, aib__value_t *out)
{
    aib__field_t *fields = NULL;
    uint32_t i;
    int rc;

    switch (j->kind) {
    case AIB__JF_TRUE:
    case AIB__JF_FALSE:
        *out = aib__v_bool(j->kind == AIB__JF_TRUE);
        return 0;
    case AIB__JF_INT:
        *out = aib__v_long(j->u.i);
        return 0;
    case AIB__JF_STRING:
        out->kind = AIB__V_STRING;
        out->u.s = j->u.s;
        return 0;
    case AIB__JF_ARRAY:
        return conv_set(j, NULL, arena, depth, out);
    case AIB__JF_OBJECT:
        if (j->n == 1 && aib_str_eq_cstr(j->u.members[0].key, "__entity")) {
            const aib__jf_t *v = &j->u.members[0].val, *ty, *id;
            if (v->kind == AIB__JF_OBJECT && v->n >= 2 && type_and_id(v, &ty, &id)) {
                aib__uid_t *u;
                if ((rc = make_uid(ty, id, arena, &u)) != 0)
                    return rc;
                out->kind = AIB__V_ENTITY;
                out->u.uid = u;
                return 0;
            }
        }
        if (j->n) {
            fields = aib_arena_alloc(arena, j->n * sizeof(*fields));
            if (!fields)
                return AIB_ENOMEM;
        }
        for (i = 0; i < j->n; i++) {
            if ((rc = conv(&j->u.members[i].val, NULL, arena, depth + 1, &fields[i].val)) != 0)
                return rc;
            fields[i].key = j->u.members[i].key;
        }
        return make_record(arena, fields, j->n, out);
    default:
        /* floats and nulls are errors the general path words */
        return AIB__JF_FALLBACK;
    }
}

static int conv_typed_record(const aib__jf_t *j, const aib__type_t *t, aib_arena_t *arena,
                             int depth, aib__value_t *out)
{
    aib__field_t *fields = NULL;
    size_t i, n = 0;
    int rc;

    if (j->kind != AIB__JF_OBJECT)
        return AIB__JF_FALLBACK;
    if (t->n_attrs) {
        fields = aib_arena_alloc(arena, t->n_attrs * sizeof(*fields));
        if (!fields)
            return AIB_ENOMEM;
    }
    for (i = 0; i < t->n_attrs; i++) {
        const aib__attr_type_t *at = &t->attrs[i];
        const aib__jf_t *aj = aib__jf_getn(j, at->name);
        if (!aj) {
            if (at->required)
                return AIB__JF_FALLBACK;
            continue;
        }
        if ((rc = conv(aj, at->type, arena, depth + 1, &fields[n].val)) != 0)
            return rc;
        fields[n].key = at->name;
        n++;
    }
    /* keys are unique, so more members than matched attributes means an undeclared one: an
     * error in a closed record, dropped unread in an open one (left to the general path) */
    if (j->n > n)
        return AIB__JF_FALLBACK;
    return make_record(arena, fields, n, out);
}

static int conv(const aib__jf_t *j, const aib__type_t *t, aib_arena_t *arena, int depth,
                aib__value_t *out)
{
    if (depth > AIB_CEDAR_MAX_DEPTH)
        return AIB__JF_FALLBACK;
    /* `__extn` (incl. partial-evaluation unknowns) and `__expr` are left to the general path */
    if (j->kind == AIB__JF_OBJECT && (aib__jf_get(j, "__extn") || aib__jf_get(j, "__expr")))
        return AIB__JF_FALLBACK;
    if (!t)
        return conv_untyped(j, arena, depth, out);
    switch (t->kind) {
    case AIB__T_ENTITY: {
        aib__uid_t *u;
        int rc = aib__jf_uid(j, arena, &u);
        if (rc != 0)
            return rc;
        out->kind = AIB__V_ENTITY;
        out->u.uid = u;
        return 0;
    }
    case AIB__T_EXT:
        return AIB__JF_FALLBACK;
    case AIB__T_SET:
        if (j->kind != AIB__JF_ARRAY)
            return AIB__JF_FALLBACK;
        return conv_set(j, t->elem, arena, depth, out);
    case AIB__T_RECORD:
        return conv_typed_record(j, t, arena, depth, out);
    default:
        /* bool / long / string: the plain form; the type is checked afterwards */
        return conv_untyped(j, arena, depth, out);
    }
}

int aib__jf_value(const aib__jf_t *j, const aib__type_t *t, aib_arena_t *arena, int depth,
                  aib__value_t *out)
{
    if (!j || !arena || !out)
        return AIB__JF_FALLBACK;
    return conv(j, t, arena, depth, out);
}

/* An action declared without a context takes the empty (closed) record (as request.c). */
static const aib__type_t EMPTY_RECORD = { .kind = AIB__T_RECORD };

static int req_uid(const aib__jf_t *root, const char *name, aib_arena_t *arena, aib__uid_t **out)
{
    const aib__jf_t *j = aib__jf_get(root, name);
    if (!j)
        return AIB__JF_FALLBACK;
    return aib__jf_uid(j, arena, out);
}

int aib__jf_request(const char *json, size_t len, const aib_cedar_schema_t *schema,
                    aib_arena_t *arena, aib__request_t **out)
{
    static const aib__jf_t empty_object = { .kind = AIB__JF_OBJECT };
    const aib__jf_t *root = NULL, *cj;
    const aib__type_t *ctype = NULL;
    aib__uid_t *p, *a, *res;
    aib__request_t *r;
    int rc;

    *out = NULL;
    /* parse errors are worded (with jansson's positions) by the general path */
    if (aib__jf_parse(json, len, arena, &root, NULL) != 0 || root->kind != AIB__JF_OBJECT)
        return AIB__JF_FALLBACK;
    if ((rc = req_uid(root, "principal", arena, &p)) != 0 ||
        (rc = req_uid(root, "action", arena, &a)) != 0 ||
        (rc = req_uid(root, "resource", arena, &res)) != 0)
        return rc;
    if (schema) {
        const aib__action_t *act = aib__schema_action(schema, a);
        if (act)
            ctype = act->context ? act->context : &EMPTY_RECORD;
    }
    cj = aib__jf_get(root, "context");
    if (!cj)
        cj = &empty_object;
    if (cj->kind != AIB__JF_OBJECT)
        return AIB__JF_FALLBACK;
    r = aib_arena_calloc(arena, 1, sizeof(*r));
    if (!r)
        return AIB_ENOMEM;
    r->principal = p;
    r->action = a;
    r->resource = res;
    if ((rc = conv(cj, ctype, arena, 0, &r->context)) != 0)
        return rc;
    if (r->context.kind != AIB__V_RECORD)
        return AIB__JF_FALLBACK;
    *out = r;
    return 0;
}
