/* schema.c — builds the resolved schema model (cedar_int.h) from either schema syntax:
 * runs the front end (schema_text.c / schema_json.c), then resolves every type name the way
 * the reference does (current namespace first, then the empty namespace, common types before
 * entity types, builtins as empty-namespace aliases of `__cedar::` types), inlines common
 * types, checks duplicates, shadowing, undeclared names and cycles, and indexes the result
 * for the validator and entity loader (entity types sorted by name, actions hashed by uid). */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cedar/schema_int.h"

/* The public struct plus the action index; every schema is allocated as this. */
typedef struct schema_full {
    struct aib_cedar_schema pub;
    uint32_t *act_slots; /* open addressing: action index + 1, 0 = empty */
    size_t n_act_slots;  /* power of two */
} schema_full_t;

/* ---- Helpers shared with the front ends ---------------------------------------------------- */

int aib__schema_grow(aib_arena_t *a, void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 4;
    if (nc > SIZE_MAX / sz)
        return AIB_ENOMEM;
    void *p = aib_arena_alloc(a, nc * sz);
    if (!p)
        return AIB_ENOMEM;
    if (n)
        memcpy(p, *arr, n * sz);
    *arr = p;
    *cap = nc;
    return 0;
}

aib__rns_t *aib__schema_ns(aib__rschema_t *rs, aib_str_t name, bool *created)
{
    for (size_t i = 0; i < rs->n_ns; i++)
        if (aib_str_eq(rs->ns[i]->name, name)) {
            *created = false;
            return rs->ns[i];
        }
    if (aib__schema_grow(rs->arena, (void **)&rs->ns, &rs->cap_ns, rs->n_ns, sizeof *rs->ns))
        return NULL;
    aib__rns_t *ns = aib_arena_calloc(rs->arena, 1, sizeof *ns);
    if (!ns)
        return NULL;
    ns->name = aib_arena_str(rs->arena, name.ptr ? name.ptr : "", name.len);
    if (!ns->name.ptr)
        return NULL;
    rs->ns[rs->n_ns++] = ns;
    *created = true;
    return ns;
}

bool aib__schema_reserved_ident(aib_str_t s)
{
    static const char *const words[] = { "true", "false", "if", "then", "else", "in", "is", "like", "has" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (aib_str_eq_cstr(s, words[i]))
            return true;
    return false;
}

bool aib__schema_valid_ident(aib_str_t s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return !aib__schema_reserved_ident(s);
}

bool aib__schema_valid_path(aib_str_t s)
{
    size_t start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || (s.ptr[i] == ':' && i + 1 < s.len && s.ptr[i + 1] == ':')) {
            aib_str_t part = { s.ptr + start, i - start };
            if (!aib__schema_valid_ident(part))
                return false;
            start = i + 2;
            i++;
        }
    }
    return true;
}

/* ---- Static types ---------------------------------------------------------------------------- */

static const aib__type_t T_BOOL = { .kind = AIB__T_BOOL };
static const aib__type_t T_LONG = { .kind = AIB__T_LONG };
static const aib__type_t T_STRING = { .kind = AIB__T_STRING };
static const aib__type_t T_EMPTY_RECORD = { .kind = AIB__T_RECORD };
static const aib__type_t T_EXT[4] = {
    { .kind = AIB__T_EXT, .name = { "ipaddr", 6 } },
    { .kind = AIB__T_EXT, .name = { "decimal", 7 } },
    { .kind = AIB__T_EXT, .name = { "datetime", 8 } },
    { .kind = AIB__T_EXT, .name = { "duration", 8 } },
};

static const aib__type_t *ext_type(aib_str_t name)
{
    for (size_t i = 0; i < 4; i++)
        if (aib_str_eq(T_EXT[i].name, name))
            return &T_EXT[i];
    return NULL;
}

/* ---- Name tables ----------------------------------------------------------------------------- */

enum { ST_NEW = 0, ST_BUSY, ST_DONE };

typedef struct def {
    aib_str_t key;                /* fully qualified name (actions: type NUL id) */
    aib__rns_t *ns;               /* declaring namespace; NULL for builtins */
    const aib__rentity_t *ent;    /* entity types */
    const aib__rcommon_t *com;    /* common types */
    const aib__raction_t *act;    /* actions */
    const aib__type_t *type;      /* common: resolved type; entity: its ENTITY type node */
    uint8_t is_action_type;       /* entity table: `NS::Action`, not a declared entity type */
    uint8_t state;                /* common: resolution state; action: DFS colour */
    int depth;                    /* common: nesting depth of the resolved type */
    size_t index;                 /* action: position in the output */
} def_t;

typedef struct table {
    def_t **slots;
    size_t cap; /* power of two */
    size_t n;
} table_t;

static int table_init(aib_arena_t *a, table_t *t, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2 + 1)
        cap *= 2;
    t->slots = aib_arena_calloc(a, cap, sizeof *t->slots);
    t->cap = cap;
    t->n = 0;
    return t->slots ? 0 : AIB_ENOMEM;
}

static def_t *table_get(const table_t *t, aib_str_t key)
{
    size_t m = t->cap - 1, i = (size_t)aib__hash_bytes(key.ptr, key.len, 7) & m;
    for (; t->slots[i]; i = (i + 1) & m)
        if (aib_str_eq(t->slots[i]->key, key))
            return t->slots[i];
    return NULL;
}

/* Inserts d (its key must be absent); the table was sized for every insert up front. */
static void table_put(table_t *t, def_t *d)
{
    size_t m = t->cap - 1, i = (size_t)aib__hash_bytes(d->key.ptr, d->key.len, 7) & m;
    while (t->slots[i])
        i = (i + 1) & m;
    t->slots[i] = d;
    t->n++;
}

/* ---- Resolution context --------------------------------------------------------------------- */

typedef struct rz {
    aib__rschema_t *rs;
    aib_arena_t *a;
    aib_diag_t *diag;
    table_t ents, coms, acts;
    int rec;                      /* common-type resolution recursion */
    aib_buf_t tmp;
} rz_t;

#define MAX_COMMON_RECURSION 1000

static void show(char *dst, size_t cap, aib_str_t s)
{
    snprintf(dst, cap, "%.*s%s", (int)(s.len > 120 ? 120 : s.len), s.ptr, s.len > 120 ? "..." : "");
}

static int err_at(rz_t *z, aib__loc_t loc, int rc, const char *fmt, aib_str_t a1, aib_str_t a2)
{
    char b1[160], b2[160];
    show(b1, sizeof b1, a1);
    show(b2, sizeof b2, a2);
    aib_diag_set(z->diag, z->rs->file, (int)loc.line, (int)loc.col, fmt, b1, b2);
    return rc;
}

/* Qualified name ns::base (or base in the empty namespace) in the arena. */
static aib_str_t qualify(rz_t *z, aib_str_t ns, aib_str_t base)
{
    if (!ns.len)
        return aib_arena_str(z->a, base.ptr, base.len);
    aib_buf_clear(&z->tmp);
    if (aib_buf_append(&z->tmp, ns.ptr, ns.len) || aib_buf_append(&z->tmp, "::", 2) ||
        aib_buf_append(&z->tmp, base.ptr, base.len)) {
        aib_str_t e = { NULL, 0 };
        return e;
    }
    return aib_arena_str(z->a, z->tmp.data, z->tmp.len);
}

static bool has_dcolon(aib_str_t s)
{
    for (size_t i = 0; i + 1 < s.len; i++)
        if (s.ptr[i] == ':' && s.ptr[i + 1] == ':')
            return true;
    return false;
}

static bool has_cedar_component(aib_str_t s)
{
    size_t st = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || (s.ptr[i] == ':' && i + 1 < s.len && s.ptr[i + 1] == ':')) {
            aib_str_t part = { s.ptr + st, i - st };
            if (aib_str_eq_cstr(part, "__cedar"))
                return true;
            st = i + 2;
            i++;
        }
    }
    return false;
}

/* Resolves a written type name in namespace ns. ref selects what it may name. On success
 * *out is the table entry (entity or common). */
static int resolve_name(rz_t *z, const aib__rns_t *ns, aib_str_t name, int ref, aib__loc_t loc,
                        const char *what, def_t **out)
{
    aib_str_t cand[2];
    size_t nc = 0;
    if (!has_dcolon(name) && ns->name.len) {
        aib_buf_clear(&z->tmp);
        if (aib_buf_append(&z->tmp, ns->name.ptr, ns->name.len) || aib_buf_append(&z->tmp, "::", 2) ||
            aib_buf_append(&z->tmp, name.ptr, name.len))
            return AIB_ENOMEM;
        cand[nc].ptr = z->tmp.data;
        cand[nc++].len = z->tmp.len;
    }
    cand[nc++] = name;
    for (size_t i = 0; i < nc; i++) {
        def_t *d;
        if ((ref & AIB__REF_COMMON) && (d = table_get(&z->coms, cand[i]))) {
            *out = d;
            return 0;
        }
        if ((ref & AIB__REF_ENTITY) && (d = table_get(&z->ents, cand[i]))) {
            *out = d;
            return 0;
        }
    }
    const char *kind = ref == AIB__REF_COMMON ? "a common type" : ref == AIB__REF_ENTITY ? "an entity type"
                                                                                      : "a common or entity type";
    char b0[160], b1[160];
    show(b0, sizeof b0, name);
    if (nc == 2) {
        show(b1, sizeof b1, cand[0]);
        aib_diag_set(z->diag, z->rs->file, (int)loc.line, (int)loc.col,
                     "%s: failed to resolve type `%s`: neither `%s` nor `%s` has been declared as %s", what,
                     b0, b1, b0, kind);
    } else {
        aib_diag_set(z->diag, z->rs->file, (int)loc.line, (int)loc.col,
                     "%s: failed to resolve type `%s`: `%s` has not been declared as %s", what, b0, b0, kind);
    }
    return AIB_ESCHEMA;
}

static int conv_type(rz_t *z, const aib__rns_t *ns, const aib__rtype_t *rt, const char *what,
                     const aib__type_t **out, int *depth);

static int resolve_common(rz_t *z, def_t *d, aib__loc_t loc, const char *what)
{
    if (d->state == ST_DONE)
        return 0;
    if (d->state == ST_BUSY)
        return err_at(z, d->com->loc.line ? d->com->loc : loc, AIB_ESCHEMA,
                      "cycle in common type references containing `%s`%s", d->key, AIB_STR_LIT(""));
    if (++z->rec > MAX_COMMON_RECURSION) {
        z->rec--;
        return err_at(z, loc, AIB_ELIMIT, "common type definitions nested too deeply at `%s`%s", d->key,
                      AIB_STR_LIT(""));
    }
    d->state = ST_BUSY;
    char w[200];
    snprintf(w, sizeof w, "common type `%.*s`", (int)(d->key.len > 120 ? 120 : d->key.len), d->key.ptr);
    int rc = conv_type(z, d->ns, d->com->type, w, &d->type, &d->depth);
    z->rec--;
    (void)what;
    if (rc)
        return rc;
    d->state = ST_DONE;
    return 0;
}

typedef struct attr_ix {
    aib__attr_type_t at;
    size_t pos;
} attr_ix_t;

static int attr_cmp(const void *x, const void *y)
{
    const attr_ix_t *a = x, *b = y;
    int c = aib_str_cmp(a->at.name, b->at.name);
    if (c)
        return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int conv_type(rz_t *z, const aib__rns_t *ns, const aib__rtype_t *rt, const char *what,
                     const aib__type_t **out, int *depth)
{
    int rc = 0;
    *depth = 1;
    switch (rt->kind) {
    case AIB__RT_BOOL: *out = &T_BOOL; return 0;
    case AIB__RT_LONG: *out = &T_LONG; return 0;
    case AIB__RT_STRING: *out = &T_STRING; return 0;
    case AIB__RT_EXT:
        if (!(*out = ext_type(rt->name)))
            return err_at(z, rt->loc, AIB_ESCHEMA, "%s: unknown extension type `%s`",
                          (aib_str_t){ what, strlen(what) }, rt->name);
        return 0;
    case AIB__RT_SET: {
        aib__type_t *t = aib_arena_calloc(z->a, 1, sizeof *t);
        if (!t)
            return AIB_ENOMEM;
        t->kind = AIB__T_SET;
        int d;
        if ((rc = conv_type(z, ns, rt->elem, what, &t->elem, &d)))
            return rc;
        *depth = d + 1;
        *out = t;
        break;
    }
    case AIB__RT_RECORD: {
        if (rt->n_attrs == 0) {
            *out = &T_EMPTY_RECORD;
            return 0;
        }
        attr_ix_t *ix = malloc(rt->n_attrs * sizeof *ix);
        if (!ix)
            return AIB_ENOMEM;
        int maxd = 0;
        for (size_t i = 0; i < rt->n_attrs && !rc; i++) {
            const aib__rattr_t *ra = &rt->attrs[i];
            ix[i].pos = i;
            ix[i].at.name = ra->name;
            ix[i].at.required = ra->required;
            ix[i].at.n_annotations = ra->n_annotations;
            ix[i].at.annotations = ra->n_annotations ? ra->annotations : NULL;
            int d = 0;
            rc = conv_type(z, ns, ra->type, what, &ix[i].at.type, &d);
            if (d > maxd)
                maxd = d;
        }
        aib__type_t *t = NULL;
        if (!rc) {
            /* sort by name; a repeated attribute keeps its last declaration */
            qsort(ix, rt->n_attrs, sizeof *ix, attr_cmp);
            t = aib_arena_calloc(z->a, 1, sizeof *t);
            aib__attr_type_t *arr = aib_arena_calloc(z->a, rt->n_attrs, sizeof *arr);
            if (!t || !arr) {
                rc = AIB_ENOMEM;
            } else {
                size_t n = 0;
                for (size_t i = 0; i < rt->n_attrs; i++) {
                    if (i + 1 < rt->n_attrs && aib_str_eq(ix[i].at.name, ix[i + 1].at.name))
                        continue;
                    arr[n++] = ix[i].at;
                }
                t->kind = AIB__T_RECORD;
                t->n_attrs = n;
                t->attrs = arr;
                *out = t;
                *depth = maxd + 1;
            }
        }
        free(ix);
        if (rc)
            return rc;
        break;
    }
    case AIB__RT_REF: {
        def_t *d;
        if ((rc = resolve_name(z, ns, rt->name, rt->ref, rt->loc, what, &d)))
            return rc;
        if (d->com || (!d->ent && !d->is_action_type)) {
            if (d->com && (rc = resolve_common(z, d, rt->loc, what)))
                return rc;
            *out = d->type;
            *depth = d->depth;
        } else {
            *out = d->type;
        }
        break;
    }
    default:
        return AIB_EINTERNAL;
    }
    if (*depth > AIB_CEDAR_MAX_DEPTH)
        return err_at(z, rt->loc, AIB_ELIMIT, "%s: type nested too deeply%s",
                      (aib_str_t){ what, strlen(what) }, AIB_STR_LIT(""));
    return 0;
}

/* ---- Checks before resolution ---------------------------------------------------------------- */

static bool reserved_common_name(aib_str_t s)
{
    static const char *const words[] = { "Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set",
                                         "String" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (aib_str_eq_cstr(s, words[i]))
            return true;
    return false;
}

static int check_decl_names(rz_t *z, aib__rns_t *ns)
{
    aib_str_t none = AIB_STR_LIT("");
    if (has_cedar_component(ns->name))
        return err_at(z, ns->loc, AIB_ESCHEMA, "use of the reserved `__cedar` namespace in `%s`%s", ns->name, none);
    for (size_t i = 0; i < ns->n_entities; i++) {
        const aib__rentity_t *e = &ns->entities[i];
        if (aib_str_eq_cstr(e->name, "__cedar"))
            return err_at(z, e->loc, AIB_ESCHEMA, "use of the reserved `__cedar` namespace%s%s", none, none);
        if (aib_str_eq_cstr(e->name, "Action"))
            return err_at(z, e->loc, AIB_ESCHEMA, "entity type `Action` declared in namespace `%s`%s",
                          ns->name, none);
        for (size_t j = 0; j < i; j++)
            if (aib_str_eq(ns->entities[j].name, e->name))
                return err_at(z, e->loc, AIB_ESCHEMA, "entity type `%s` is declared twice%s", e->name, none);
    }
    for (size_t i = 0; i < ns->n_commons; i++) {
        const aib__rcommon_t *c = &ns->commons[i];
        if (aib_str_eq_cstr(c->name, "__cedar"))
            return err_at(z, c->loc, AIB_ESCHEMA, "use of the reserved `__cedar` namespace%s%s", none, none);
        if (reserved_common_name(c->name))
            return err_at(z, c->loc, AIB_ESCHEMA,
                          "`%s` is a reserved schema keyword and cannot be a common type name%s", c->name, none);
        for (size_t j = 0; j < i; j++)
            if (aib_str_eq(ns->commons[j].name, c->name))
                return err_at(z, c->loc, AIB_ESCHEMA, "common type `%s` is declared twice%s", c->name, none);
    }
    return 0;
}

/* ---- Output helpers -------------------------------------------------------------------------- */

static int ent_cmp(const void *x, const void *y)
{
    return aib_str_cmp(((const aib__entity_type_t *)x)->name, ((const aib__entity_type_t *)y)->name);
}

static aib_str_t action_type_name(rz_t *z, const aib__rns_t *ns)
{
    return qualify(z, ns->name, AIB_STR_LIT("Action"));
}

/* Action table key: type NUL id. */
static aib_str_t action_key(rz_t *z, aib_str_t type, aib_str_t id, bool in_arena)
{
    aib_buf_clear(&z->tmp);
    aib_str_t e = { NULL, 0 };
    if (aib_buf_append(&z->tmp, type.ptr, type.len) || aib_buf_putc(&z->tmp, '\0') ||
        aib_buf_append(&z->tmp, id.ptr, id.len))
        return e;
    if (in_arena)
        return aib_arena_str(z->a, z->tmp.data, z->tmp.len);
    aib_str_t r = { z->tmp.data, z->tmp.len };
    return r;
}

static int add_names(rz_t *z, aib__type_t **ent_node_out, def_t *d)
{
    aib__type_t *t = aib_arena_calloc(z->a, 1, sizeof *t);
    if (!t)
        return AIB_ENOMEM;
    t->kind = AIB__T_ENTITY;
    t->name = d->key;
    d->type = t;
    if (ent_node_out)
        *ent_node_out = t;
    return 0;
}

/* Resolves an entity-type reference that must name a declared entity type (not `Action`). */
static int resolve_entity(rz_t *z, const aib__rns_t *ns, aib_str_t name, aib__loc_t loc, const char *what,
                          aib_str_t *out)
{
    def_t *d;
    int rc = resolve_name(z, ns, name, AIB__REF_ENTITY, loc, what, &d);
    if (rc)
        return rc;
    if (d->is_action_type)
        return err_at(z, loc, AIB_ESCHEMA, "undeclared entity type `%s`%s", d->key, AIB_STR_LIT(""));
    *out = d->key;
    return 0;
}

static int name_list(rz_t *z, const aib__rns_t *ns, size_t n, const aib_str_t *in, aib__loc_t loc,
                     const char *what, size_t *n_out, aib_str_t **out)
{
    aib_str_t *arr = aib_arena_calloc(z->a, n ? n : 1, sizeof *arr);
    if (!arr)
        return AIB_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        aib_str_t q;
        int rc = resolve_entity(z, ns, in[i], loc, what, &q);
        if (rc)
            return rc;
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            if (aib_str_eq(arr[j], q))
                dup = true;
        if (!dup)
            arr[k++] = q;
    }
    *n_out = k;
    *out = k ? arr : NULL;
    return 0;
}

/* ---- The build ------------------------------------------------------------------------------- */

static int build(rz_t *z, schema_full_t *sf)
{
    aib__rschema_t *rs = z->rs;
    aib_cedar_schema_t *s = &sf->pub;
    aib_str_t none = AIB_STR_LIT("");
    int rc = 0;
    size_t n_ent = 0, n_com = 0, n_act = 0;
    for (size_t i = 0; i < rs->n_ns; i++) {
        if ((rc = check_decl_names(z, rs->ns[i])))
            return rc;
        n_ent += rs->ns[i]->n_entities + 1;
        n_com += rs->ns[i]->n_commons;
        n_act += rs->ns[i]->n_actions;
    }
    if ((rc = table_init(z->a, &z->ents, n_ent)) || (rc = table_init(z->a, &z->coms, n_com + 16)) ||
        (rc = table_init(z->a, &z->acts, n_act)))
        return rc;

    /* definitions */
    for (size_t i = 0; i < rs->n_ns; i++) {
        aib__rns_t *ns = rs->ns[i];
        for (size_t j = 0; j < ns->n_entities; j++) {
            def_t *d = aib_arena_calloc(z->a, 1, sizeof *d);
            if (!d)
                return AIB_ENOMEM;
            d->key = qualify(z, ns->name, ns->entities[j].name);
            if (!d->key.ptr)
                return AIB_ENOMEM;
            d->ns = ns;
            d->ent = &ns->entities[j];
            if ((rc = add_names(z, NULL, d)))
                return rc;
            table_put(&z->ents, d);
        }
        for (size_t j = 0; j < ns->n_commons; j++) {
            def_t *d = aib_arena_calloc(z->a, 1, sizeof *d);
            if (!d)
                return AIB_ENOMEM;
            d->key = qualify(z, ns->name, ns->commons[j].name);
            if (!d->key.ptr)
                return AIB_ENOMEM;
            d->ns = ns;
            d->com = &ns->commons[j];
            table_put(&z->coms, d);
        }
        if (ns->n_actions) {
            aib_str_t at = action_type_name(z, ns);
            if (!at.ptr)
                return AIB_ENOMEM;
            for (size_t j = 0; j < ns->n_actions; j++) {
                aib_str_t key = action_key(z, at, ns->actions[j].name, true);
                if (!key.ptr)
                    return AIB_ENOMEM;
                if (table_get(&z->acts, key))
                    return err_at(z, ns->actions[j].loc, AIB_ESCHEMA, "action `%s` is declared twice%s",
                                  ns->actions[j].name, none);
                def_t *d = aib_arena_calloc(z->a, 1, sizeof *d);
                if (!d)
                    return AIB_ENOMEM;
                d->key = key;
                d->ns = ns;
                d->act = &ns->actions[j];
                table_put(&z->acts, d);
            }
        }
    }

    /* shadowing of empty-namespace definitions by namespaced ones (the reference's RFC 70) */
    for (size_t i = 0; i < rs->n_ns; i++) {
        aib__rns_t *ns = rs->ns[i];
        if (!ns->name.len)
            continue;
        for (size_t pass = 0; pass < 2; pass++) {
            size_t n = pass ? ns->n_commons : ns->n_entities;
            for (size_t j = 0; j < n; j++) {
                aib_str_t base = pass ? ns->commons[j].name : ns->entities[j].name;
                aib__loc_t loc = pass ? ns->commons[j].loc : ns->entities[j].loc;
                def_t *e = table_get(&z->ents, base), *c = table_get(&z->coms, base);
                if (e || c) {
                    aib_str_t q = qualify(z, ns->name, base);
                    return err_at(z, loc, AIB_ESCHEMA, "definition of `%s` illegally shadows the existing "
                                  "definition of `%s`", q, base);
                }
            }
        }
        for (size_t j = 0; j < ns->n_actions; j++) {
            aib_str_t key = action_key(z, AIB_STR_LIT("Action"), ns->actions[j].name, false);
            if (!key.ptr)
                return AIB_ENOMEM;
            if (table_get(&z->acts, key))
                return err_at(z, ns->actions[j].loc, AIB_ESCHEMA, "definition of action `%s` in namespace "
                              "`%s` illegally shadows the same action in the empty namespace",
                              ns->actions[j].name, ns->name);
        }
    }

    /* builtins: `__cedar::X` always, and `X` in the empty namespace unless declared there */
    static const char *const builtin[] = { "Bool", "Long", "String", "ipaddr", "decimal", "datetime", "duration" };
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++) {
        aib_str_t b = { builtin[i], strlen(builtin[i]) };
        const aib__type_t *ty = i == 0 ? &T_BOOL : i == 1 ? &T_LONG : i == 2 ? &T_STRING : &T_EXT[i - 3];
        for (int alias = 0; alias < 2; alias++) {
            aib_str_t key = alias ? b : qualify(z, AIB_STR_LIT("__cedar"), b);
            if (!key.ptr)
                return AIB_ENOMEM;
            if (alias && (table_get(&z->ents, key) || table_get(&z->coms, key)))
                continue;
            def_t *d = aib_arena_calloc(z->a, 1, sizeof *d);
            if (!d)
                return AIB_ENOMEM;
            d->key = key;
            d->type = ty;
            d->depth = 1;
            d->state = ST_DONE;
            table_put(&z->coms, d);
        }
    }
    /* each namespace with actions has the entity type `NS::Action` */
    for (size_t i = 0; i < rs->n_ns; i++) {
        if (!rs->ns[i]->n_actions)
            continue;
        def_t *d = aib_arena_calloc(z->a, 1, sizeof *d);
        if (!d)
            return AIB_ENOMEM;
        d->key = action_type_name(z, rs->ns[i]);
        if (!d->key.ptr)
            return AIB_ENOMEM;
        d->is_action_type = 1;
        if ((rc = add_names(z, NULL, d)))
            return rc;
        table_put(&z->ents, d);
    }

    /* common types */
    s->n_common_types = n_com;
    s->common_types = aib_arena_calloc(z->a, n_com ? n_com : 1, sizeof *s->common_types);
    if (!s->common_types)
        return AIB_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < rs->n_ns; i++) {
        aib__rns_t *ns = rs->ns[i];
        for (size_t j = 0; j < ns->n_commons; j++) {
            aib_str_t q = qualify(z, ns->name, ns->commons[j].name);
            def_t *d = q.ptr ? table_get(&z->coms, q) : NULL;
            if (!d)
                return AIB_ENOMEM;
            if ((rc = resolve_common(z, d, ns->commons[j].loc, "")))
                return rc;
            s->common_types[k].name = d->key;
            s->common_types[k++].type = d->type;
        }
    }

    /* entity types */
    size_t n_real = 0;
    for (size_t i = 0; i < rs->n_ns; i++)
        n_real += rs->ns[i]->n_entities;
    s->entity_types = aib_arena_calloc(z->a, n_real ? n_real : 1, sizeof *s->entity_types);
    if (!s->entity_types)
        return AIB_ENOMEM;
    k = 0;
    for (size_t i = 0; i < rs->n_ns; i++) {
        aib__rns_t *ns = rs->ns[i];
        for (size_t j = 0; j < ns->n_entities; j++) {
            const aib__rentity_t *re = &ns->entities[j];
            aib__entity_type_t *et = &s->entity_types[k++];
            et->name = qualify(z, ns->name, re->name);
            if (!et->name.ptr)
                return AIB_ENOMEM;
            et->loc = re->loc;
            et->n_annotations = re->n_annotations;
            et->annotations = re->n_annotations ? re->annotations : NULL;
            et->attrs = &T_EMPTY_RECORD;
            char w[200];
            snprintf(w, sizeof w, "entity type `%.*s`", (int)(et->name.len > 120 ? 120 : et->name.len),
                     et->name.ptr);
            if (re->is_enum) {
                aib_str_t *ids = aib_arena_calloc(z->a, re->n_enum, sizeof *ids);
                if (!ids)
                    return AIB_ENOMEM;
                size_t n = 0;
                for (size_t e = 0; e < re->n_enum; e++) {
                    bool dup = false;
                    for (size_t f = 0; f < n && !dup; f++)
                        dup = aib_str_eq(ids[f], re->enum_ids[e]);
                    if (!dup)
                        ids[n++] = re->enum_ids[e];
                }
                et->n_enum = n;
                et->enum_ids = ids;
                continue;
            }
            if ((rc = name_list(z, ns, re->n_parents, re->parents, re->loc, w, &et->n_member_of, &et->member_of)))
                return rc;
            if (re->shape) {
                int d;
                if ((rc = conv_type(z, ns, re->shape, w, &et->attrs, &d)))
                    return rc;
                if (et->attrs->kind != AIB__T_RECORD)
                    return err_at(z, re->loc, AIB_ESCHEMA, "shape of entity type `%s` is declared with a "
                                  "type other than a record%s", et->name, none);
            }
            if (re->tags) {
                int d;
                if ((rc = conv_type(z, ns, re->tags, w, &et->tags, &d)))
                    return rc;
            }
        }
    }
    s->n_entity_types = n_real;
    qsort(s->entity_types, n_real, sizeof *s->entity_types, ent_cmp);

    /* actions: uids first, then parents and appliesTo */
    s->n_actions = n_act;
    s->actions = aib_arena_calloc(z->a, n_act ? n_act : 1, sizeof *s->actions);
    if (!s->actions)
        return AIB_ENOMEM;
    def_t **adefs = aib_arena_calloc(z->a, n_act ? n_act : 1, sizeof *adefs);
    if (!adefs)
        return AIB_ENOMEM;
    k = 0;
    for (size_t i = 0; i < rs->n_ns; i++) {
        aib__rns_t *ns = rs->ns[i];
        if (!ns->n_actions)
            continue;
        aib_str_t at = action_type_name(z, ns);
        if (!at.ptr)
            return AIB_ENOMEM;
        for (size_t j = 0; j < ns->n_actions; j++) {
            aib__action_t *ac = &s->actions[k];
            ac->uid = aib__uid_new(z->a, at, ns->actions[j].name);
            if (!ac->uid)
                return AIB_ENOMEM;
            aib_str_t key = action_key(z, at, ns->actions[j].name, false);
            if (!key.ptr)
                return AIB_ENOMEM;
            adefs[k] = table_get(&z->acts, key);
            adefs[k]->index = k;
            k++;
        }
    }
    for (size_t i = 0; i < n_act; i++) {
        def_t *d = adefs[i];
        const aib__raction_t *ra = d->act;
        const aib__rns_t *ns = d->ns;
        aib__action_t *ac = &s->actions[i];
        char w[200];
        snprintf(w, sizeof w, "action `%.*s`", (int)(ra->name.len > 120 ? 120 : ra->name.len), ra->name.ptr);
        ac->loc = ra->loc;
        ac->n_annotations = ra->n_annotations;
        ac->annotations = ra->n_annotations ? ra->annotations : NULL;
        ac->has_applies_to = ra->has_applies_to;
        ac->context = &T_EMPTY_RECORD;
        if (ra->n_parents) {
            ac->member_of = aib_arena_calloc(z->a, ra->n_parents, sizeof *ac->member_of);
            if (!ac->member_of)
                return AIB_ENOMEM;
        }
        for (size_t p = 0; p < ra->n_parents; p++) {
            const aib__ractref_t *r = &ra->parents[p];
            aib_str_t ty = r->has_type ? r->type : AIB_STR_LIT("Action");
            def_t *pd = NULL;
            aib_str_t last = ty;
            if (!has_dcolon(ty) && ns->name.len) {
                aib_str_t q = qualify(z, ns->name, ty);
                aib_str_t key = q.ptr ? action_key(z, q, r->id, false) : q;
                if (!key.ptr)
                    return AIB_ENOMEM;
                pd = table_get(&z->acts, key);
            }
            if (!pd) {
                aib_str_t key = action_key(z, ty, r->id, false);
                if (!key.ptr)
                    return AIB_ENOMEM;
                pd = table_get(&z->acts, key);
            }
            if (!pd) {
                aib__uid_t *u = aib__uid_new(z->a, last, r->id);
                aib_buf_t b;
                aib_buf_init(&b);
                if (!u || aib__uid_format(u, &b)) {
                    aib_buf_free(&b);
                    return AIB_ENOMEM;
                }
                aib_str_t shown = { b.data, b.len };
                rc = err_at(z, ra->loc, AIB_ESCHEMA, "undeclared action %s named as a parent of `%s`", shown,
                            ra->name);
                aib_buf_free(&b);
                return rc;
            }
            const aib__uid_t *pu = s->actions[pd->index].uid;
            bool dup = false;
            for (size_t q = 0; q < ac->n_member_of && !dup; q++)
                dup = ac->member_of[q] == pu;
            if (!dup)
                ac->member_of[ac->n_member_of++] = pu;
        }
        if ((rc = name_list(z, ns, ra->n_principals, ra->principals, ra->loc, w, &ac->n_principals,
                            &ac->principals)) ||
            (rc = name_list(z, ns, ra->n_resources, ra->resources, ra->loc, w, &ac->n_resources,
                            &ac->resources)))
            return rc;
        if (ra->context) {
            int dd;
            if ((rc = conv_type(z, ns, ra->context, w, &ac->context, &dd)))
                return rc;
            if (ac->context->kind != AIB__T_RECORD)
                return err_at(z, ra->loc, AIB_ESCHEMA, "context of action `%s` is declared with a type "
                              "other than a record%s", ra->name, none);
        }
    }

    /* cycles in the action hierarchy (iterative DFS; colours in def state) */
    if (n_act) {
        size_t *stack = malloc(n_act * sizeof *stack), *edge = malloc(n_act * sizeof *edge);
        if (!stack || !edge) {
            free(stack);
            free(edge);
            return AIB_ENOMEM;
        }
        for (size_t i = 0; i < n_act; i++)
            adefs[i]->state = ST_NEW;
        for (size_t r = 0; r < n_act && !rc; r++) {
            if (adefs[r]->state != ST_NEW)
                continue;
            size_t sp = 0;
            stack[sp] = r;
            edge[sp++] = 0;
            adefs[r]->state = ST_BUSY;
            while (sp && !rc) {
                size_t v = stack[sp - 1];
                const aib__action_t *ac = &s->actions[v];
                if (edge[sp - 1] >= ac->n_member_of) {
                    adefs[v]->state = ST_DONE;
                    sp--;
                    continue;
                }
                const aib__uid_t *pu = ac->member_of[edge[sp - 1]++];
                aib_str_t key = action_key(z, pu->type, pu->id, false);
                def_t *pd = key.ptr ? table_get(&z->acts, key) : NULL;
                if (!pd) {
                    rc = AIB_ENOMEM;
                    break;
                }
                if (pd->state == ST_BUSY) {
                    aib_buf_t b;
                    aib_buf_init(&b);
                    if (aib__uid_format(pu, &b)) {
                        rc = AIB_ENOMEM;
                    } else {
                        aib_str_t shown = { b.data, b.len };
                        rc = err_at(z, pd->act->loc, AIB_ESCHEMA, "cycle in action hierarchy containing %s%s",
                                    shown, none);
                    }
                    aib_buf_free(&b);
                } else if (pd->state == ST_NEW) {
                    pd->state = ST_BUSY;
                    stack[sp] = pd->index;
                    edge[sp++] = 0;
                }
            }
        }
        free(stack);
        free(edge);
        if (rc)
            return rc;
    }

    /* action index */
    size_t cap = 16;
    while (cap < n_act * 2 + 1)
        cap *= 2;
    sf->act_slots = aib_arena_calloc(z->a, cap, sizeof *sf->act_slots);
    if (!sf->act_slots)
        return AIB_ENOMEM;
    sf->n_act_slots = cap;
    for (size_t i = 0; i < n_act; i++) {
        size_t m = cap - 1, j = (size_t)s->actions[i].uid->hash & m;
        while (sf->act_slots[j])
            j = (j + 1) & m;
        sf->act_slots[j] = (uint32_t)(i + 1);
    }
    return 0;
}

/* ---- Public API -------------------------------------------------------------------------------- */

int aib_cedar_schema_parse(const char *text, size_t len, bool is_json, const char *filename,
                           aib_cedar_schema_t **out, aib_diag_t *diag)
{
    int rc = 0;
    aib_arena_t *a = NULL;
    rz_t z;
    memset(&z, 0, sizeof z);
    aib_buf_init(&z.tmp);
    *out = NULL;
    if (!text && len) {
        aib_diag_set(diag, filename, 0, 0, "no schema text");
        return AIB_EINVAL;
    }
    if (len > AIB_CEDAR_MAX_TEXT) {
        aib_diag_set(diag, filename, 0, 0, "schema text too large (%zu bytes)", len);
        return AIB_ELIMIT;
    }
    a = aib_arena_new(0);
    if (!a)
        return AIB_ENOMEM;
    schema_full_t *sf = aib_arena_calloc(a, 1, sizeof *sf);
    aib__rschema_t *rs = aib_arena_calloc(a, 1, sizeof *rs);
    if (!sf || !rs) {
        rc = AIB_ENOMEM;
        goto done;
    }
    sf->pub.arena = a;
    rs->arena = a;
    rs->file = filename;
    if (is_json)
        rc = aib__schema_json_parse(rs, text ? text : "", len, diag);
    else
        rc = aib__schema_text_parse(rs, text ? text : "", len, diag);
    if (rc)
        goto done;
    z.rs = rs;
    z.a = a;
    z.diag = diag;
    rc = build(&z, sf);
done:
    aib_buf_free(&z.tmp);
    if (rc == AIB_ENOMEM)
        aib_diag_set(diag, filename, 0, 0, "out of memory while reading the schema");
    if (rc) {
        aib_arena_free(a);
        return rc;
    }
    *out = &sf->pub;
    return 0;
}

void aib_cedar_schema_free(aib_cedar_schema_t *s)
{
    if (s)
        aib_arena_free(s->arena);
}

const aib__entity_type_t *aib__schema_entity_type(const aib_cedar_schema_t *s, aib_str_t name)
{
    if (!s)
        return NULL;
    size_t lo = 0, hi = s->n_entity_types;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = aib_str_cmp(s->entity_types[mid].name, name);
        if (c == 0)
            return &s->entity_types[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const aib__action_t *aib__schema_action(const aib_cedar_schema_t *s, const aib__uid_t *uid)
{
    if (!s || !uid)
        return NULL;
    const schema_full_t *sf = (const schema_full_t *)s;
    if (!sf->n_act_slots)
        return NULL;
    size_t m = sf->n_act_slots - 1, j = (size_t)uid->hash & m;
    for (; sf->act_slots[j]; j = (j + 1) & m) {
        const aib__action_t *ac = &s->actions[sf->act_slots[j] - 1];
        if (aib__uid_eq(ac->uid, uid))
            return ac;
    }
    return NULL;
}

/* ---- Formatting ------------------------------------------------------------------------------- */

static int attr_name_format(aib_str_t n, aib_buf_t *out)
{
    if (aib__schema_valid_ident(n))
        return aib_buf_append(out, n.ptr, n.len);
    return aib_buf_json_str(out, n.ptr, n.len);
}

static int type_format(const aib__type_t *t, aib_buf_t *out, int depth)
{
    int rc;
    if (depth > AIB_CEDAR_MAX_DEPTH + 2)
        return aib_buf_puts(out, "...");
    switch (t->kind) {
    case AIB__T_BOOL: return aib_buf_puts(out, "Bool");
    case AIB__T_LONG: return aib_buf_puts(out, "Long");
    case AIB__T_STRING: return aib_buf_puts(out, "String");
    case AIB__T_ENTITY:
    case AIB__T_EXT: return aib_buf_append(out, t->name.ptr, t->name.len);
    case AIB__T_SET:
        if ((rc = aib_buf_puts(out, "Set<")) || (rc = type_format(t->elem, out, depth + 1)))
            return rc;
        return aib_buf_putc(out, '>');
    case AIB__T_RECORD:
        if ((rc = aib_buf_putc(out, '{')))
            return rc;
        for (size_t i = 0; i < t->n_attrs; i++) {
            const aib__attr_type_t *at = &t->attrs[i];
            if ((i && (rc = aib_buf_puts(out, ", "))) || (rc = attr_name_format(at->name, out)) ||
                (!at->required && (rc = aib_buf_putc(out, '?'))) || (rc = aib_buf_puts(out, ": ")) ||
                (rc = type_format(at->type, out, depth + 1)))
                return rc;
        }
        return aib_buf_putc(out, '}');
    default:
        return aib_buf_puts(out, "?");
    }
}

int aib__type_format(const aib__type_t *t, aib_buf_t *out)
{
    if (!t)
        return aib_buf_puts(out, "?");
    return type_format(t, out, 0);
}
