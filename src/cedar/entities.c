/* entities.c — the entity store: parses the entities JSON array (uid / attrs / parents / tags),
 * checks it against a schema the way the reference's Entities::from_json_* does (adding the
 * schema's action entities), and computes the ancestor closure once so that `in` during
 * evaluation is a hash lookup plus a binary search. Everything lives in the store's arena. */
#include "cedar/json_int.h"
#include "cedar/json_fast_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 512
#define WHY_CAP 512

typedef struct pctx {
    const char *file;
    const aib_cedar_schema_t *schema;
    aib_arena_t *arena;
    aib_diag_t *diag;
    /* allowed ancestor types per schema entity type (bitmaps over schema->entity_types),
     * computed on first use */
    uint8_t **allowed;
} pctx_t;

/* Sets diag (file from the context) and returns rc. */
static int perr(pctx_t *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(pctx_t *c, int rc, const char *fmt, ...)
{
    va_list ap;
    if (c->diag) {
        snprintf(c->diag->file, sizeof(c->diag->file), "%s", c->file);
        c->diag->line = 0;
        c->diag->col = 0;
        va_start(ap, fmt);
        vsnprintf(c->diag->msg, sizeof(c->diag->msg), fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* After a helper filled diag->msg, set the file name (keeping line/col). */
static int with_file(pctx_t *c, int rc)
{
    if (c->diag && rc != AIB_ENOMEM)
        snprintf(c->diag->file, sizeof(c->diag->file), "%s", c->file);
    if (c->diag && rc == AIB_ENOMEM)
        aib_diag_set(c->diag, c->file, 0, 0, "out of memory");
    return rc;
}

/* ---- Uid table ------------------------------------------------------------------------------ */

static long table_find(const aib_cedar_entities_t *es, const aib__uid_t *u)
{
    size_t mask, i;
    const aib__uid_slot_t *s;

    if (!es || !es->n_slots || !u)
        return -1;
    mask = es->n_slots - 1;
    for (i = (size_t)u->hash & mask;; i = (i + 1) & mask) {
        s = &es->slots[i];
        if (s->idx == 0)
            return -1;
        if (s->hash == u->hash) {
            /* hash first, then lengths, then bytes: a miss rarely reaches memcmp */
            const aib__uid_t *v = es->uids[s->idx - 1];
            if (v == u || (v->type.len == u->type.len && v->id.len == u->id.len &&
                           (u->type.len == 0 || memcmp(v->type.ptr, u->type.ptr, u->type.len) == 0) &&
                           (u->id.len == 0 || memcmp(v->id.ptr, u->id.ptr, u->id.len) == 0)))
                return (long)(s->idx - 1);
        }
    }
}

/* Index of u, inserting it when new (*added set). Table sized by the caller, never full. */
static uint32_t table_insert(aib_cedar_entities_t *es, const aib__uid_t *u, bool *added)
{
    size_t mask = es->n_slots - 1, i;
    aib__uid_slot_t *s;

    for (i = (size_t)u->hash & mask;; i = (i + 1) & mask) {
        s = &es->slots[i];
        if (s->idx == 0) {
            es->uids[es->n_uids] = u;
            s->hash = u->hash;
            s->idx = (uint32_t)(es->n_uids + 1);
            *added = true;
            return (uint32_t)es->n_uids++;
        }
        if (s->hash == u->hash && aib__uid_eq(es->uids[s->idx - 1], u)) {
            *added = false;
            return s->idx - 1;
        }
    }
}

long aib__entities_uid_index(const aib_cedar_entities_t *es, const aib__uid_t *uid)
{
    return table_find(es, uid);
}

const aib__entity_t *aib__entities_find(const aib_cedar_entities_t *es, const aib__uid_t *uid)
{
    long i = table_find(es, uid);
    return i < 0 ? NULL : es->by_uid[i];
}

bool aib__entities_in(const aib_cedar_entities_t *es, const aib__uid_t *a, const aib__uid_t *b)
{
    long ia, ib;
    const aib__entity_t *e;

    if (aib__uid_eq(a, b))
        return true;
    ia = table_find(es, a);
    if (ia < 0 || !(e = es->by_uid[ia]) || e->n_ancestors == 0)
        return false;
    ib = table_find(es, b);
    return ib >= 0 && aib__entity_has_ancestor(e, (uint32_t)ib);
}

size_t aib_cedar_entities_count(const aib_cedar_entities_t *e)
{
    return e ? e->n_entities : 0;
}

void aib_cedar_entities_free(aib_cedar_entities_t *e)
{
    if (e)
        aib_arena_free(e->arena);
}

/* ---- Store construction and ancestor closure ---------------------------------------------- */

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : (a > b ? 1 : 0);
}

static bool same_parents(const aib__entity_t *a, const aib__entity_t *b)
{
    size_t i, j;
    /* as sets: every parent of one is a parent of the other */
    for (i = 0; i < a->n_parents; i++) {
        for (j = 0; j < b->n_parents && !aib__uid_eq(a->parents[i], b->parents[j]); j++)
            ;
        if (j == b->n_parents)
            return false;
    }
    for (i = 0; i < b->n_parents; i++) {
        for (j = 0; j < a->n_parents && !aib__uid_eq(b->parents[i], a->parents[j]); j++)
            ;
        if (j == a->n_parents)
            return false;
    }
    return true;
}

static bool same_record(const aib__record_t *a, const aib__record_t *b)
{
    aib__value_t va, vb;
    va.kind = vb.kind = AIB__V_RECORD;
    va.u.rec = a;
    vb.u.rec = b;
    return aib__value_eq(&va, &vb);
}

/* Builds es's uid table from ents[0..n) (duplicates: identical ones are merged, others are an
 * error, as in the reference) and computes every entity's ancestors. A cycle in the hierarchy
 * is an error, as in the reference. Tables are allocated from es->arena. */
static int store_build(pctx_t *c, aib_cedar_entities_t *es, aib__entity_t **ents, size_t n)
{
    size_t cap = 0, i, j, slots = 16;
    uint32_t **pidx = NULL;          /* parent indices per entity (table index order) */
    uint8_t *state = NULL;           /* 0 new, 1 on the DFS path, 2 done */
    uint32_t *mark = NULL, *scratch = NULL;
    size_t *stack_node = NULL, *stack_next = NULL;
    int rc = 0;

    for (i = 0; i < n; i++) {
        if (ents[i]->n_parents > SIZE_MAX / 4 - cap - 1) {
            rc = perr(c, AIB_ELIMIT, "too many entities");
            goto done;
        }
        cap += 1 + ents[i]->n_parents;
    }
    if (cap >= UINT32_MAX / 4) {
        rc = perr(c, AIB_ELIMIT, "too many entities");
        goto done;
    }
    while (slots < cap * 2)
        slots <<= 1;
    es->uids = aib_arena_calloc(es->arena, cap ? cap : 1, sizeof(*es->uids));
    es->by_uid = aib_arena_calloc(es->arena, cap ? cap : 1, sizeof(*es->by_uid));
    es->slots = aib_arena_calloc(es->arena, slots, sizeof(*es->slots));
    if (!es->uids || !es->by_uid || !es->slots) {
        rc = AIB_ENOMEM;
        goto done;
    }
    es->n_slots = slots;
    es->n_uids = 0;
    es->n_entities = 0;

    for (i = 0; i < n; i++) {
        bool added;
        uint32_t k = table_insert(es, ents[i]->uid, &added);
        if (!added) {
            const aib__entity_t *old = es->by_uid[k];
            char us[256];
            if (same_record(old->attrs, ents[i]->attrs) && same_record(old->tags, ents[i]->tags) &&
                same_parents(old, ents[i]))
                continue; /* identical repeat: the reference accepts it */
            aib__json_uid_str(ents[i]->uid, us, sizeof(us));
            rc = perr(c, AIB_EEXIST, "duplicate entity entry `%s`", us);
            goto done;
        }
        es->by_uid[k] = ents[i];
        es->n_entities++;
    }

    /* parents into the table; per-entity parent index lists */
    pidx = calloc(es->n_uids ? es->n_uids : 1, sizeof(*pidx));
    if (!pidx) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < es->n_entities; i++) {
        aib__entity_t *e = es->by_uid[i];
        if (e->n_parents == 0)
            continue;
        pidx[i] = aib_arena_calloc(es->arena, e->n_parents, sizeof(uint32_t));
        if (!pidx[i]) {
            rc = AIB_ENOMEM;
            goto done;
        }
        for (j = 0; j < e->n_parents; j++) {
            bool added;
            pidx[i][j] = table_insert(es, e->parents[j], &added);
        }
    }

    /* Closure: iterative DFS; an entity's ancestors are computed once all its parents are done
     * (post-order), as the union of each parent and that parent's ancestors. */
    state = calloc(es->n_uids ? es->n_uids : 1, 1);
    mark = calloc(es->n_uids ? es->n_uids : 1, sizeof(*mark));
    scratch = malloc((es->n_uids ? es->n_uids : 1) * sizeof(*scratch));
    stack_node = malloc((es->n_uids ? es->n_uids : 1) * sizeof(*stack_node));
    stack_next = malloc((es->n_uids ? es->n_uids : 1) * sizeof(*stack_next));
    if (!state || !mark || !scratch || !stack_node || !stack_next) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < es->n_entities; i++) {
        size_t sp = 0;
        if (state[i])
            continue;
        stack_node[sp] = i;
        stack_next[sp] = 0;
        sp++;
        state[i] = 1;
        while (sp) {
            size_t v = stack_node[sp - 1];
            aib__entity_t *e = es->by_uid[v];
            if (stack_next[sp - 1] < e->n_parents) {
                uint32_t p = pidx[v][stack_next[sp - 1]++];
                if (!es->by_uid[p] || state[p] == 2)
                    continue;
                if (state[p] == 1) {
                    char us[256];
                    aib__json_uid_str(es->uids[p], us, sizeof(us));
                    rc = perr(c, AIB_EINVAL, "the entity hierarchy has a cycle containing `%s`", us);
                    goto done;
                }
                state[p] = 1;
                stack_node[sp] = p;
                stack_next[sp] = 0;
                sp++;
                continue;
            }
            /* all parents done: collect ancestors */
            {
                size_t cnt = 0, k;
                uint32_t stamp = (uint32_t)v + 1;
                for (j = 0; j < e->n_parents; j++) {
                    uint32_t p = pidx[v][j];
                    const aib__entity_t *pe = es->by_uid[p];
                    if (mark[p] != stamp) {
                        mark[p] = stamp;
                        scratch[cnt++] = p;
                    }
                    if (pe)
                        for (k = 0; k < pe->n_ancestors; k++) {
                            uint32_t a = pe->ancestors[k];
                            if (mark[a] != stamp) {
                                mark[a] = stamp;
                                scratch[cnt++] = a;
                            }
                        }
                }
                if (cnt) {
                    qsort(scratch, cnt, sizeof(*scratch), cmp_u32);
                    e->ancestors = aib_arena_alloc(es->arena, cnt * sizeof(uint32_t));
                    if (!e->ancestors) {
                        rc = AIB_ENOMEM;
                        goto done;
                    }
                    memcpy(e->ancestors, scratch, cnt * sizeof(uint32_t));
                }
                e->n_ancestors = cnt;
            }
            state[v] = 2;
            sp--;
        }
    }

done:
    if (rc == AIB_ENOMEM)
        aib_diag_set(c->diag, c->file, 0, 0, "out of memory");
    free(pidx);
    free(state);
    free(mark);
    free(scratch);
    free(stack_node);
    free(stack_next);
    return rc;
}

/* ---- Schema helpers ----------------------------------------------------------------------- */

static long etype_index(const aib_cedar_schema_t *s, aib_str_t name)
{
    const aib__entity_type_t *et = aib__schema_entity_type(s, name);
    if (!et || et < s->entity_types || et >= s->entity_types + s->n_entity_types)
        return -1;
    return (long)(et - s->entity_types);
}

/* Types an entity of type index ti may have as ancestors: the transitive closure of memberOf
 * (the reference checks parents against this closed set). */
static int allowed_bits(pctx_t *c, long ti, const uint8_t **out)
{
    const aib_cedar_schema_t *s = c->schema;
    size_t nt = s->n_entity_types, sp = 0, i;
    uint8_t *bits;
    long *stack;

    if (!c->allowed) {
        c->allowed = calloc(nt ? nt : 1, sizeof(*c->allowed));
        if (!c->allowed)
            return AIB_ENOMEM;
    }
    if (c->allowed[ti]) {
        *out = c->allowed[ti];
        return 0;
    }
    bits = calloc((nt + 7) / 8 ? (nt + 7) / 8 : 1, 1);
    stack = malloc((nt ? nt : 1) * sizeof(*stack));
    if (!bits || !stack) {
        free(bits);
        free(stack);
        return AIB_ENOMEM;
    }
    stack[sp++] = ti;
    while (sp) {
        const aib__entity_type_t *et = &s->entity_types[stack[--sp]];
        for (i = 0; i < et->n_member_of; i++) {
            long pi = etype_index(s, et->member_of[i]);
            if (pi < 0 || (bits[pi / 8] & (1u << (pi % 8))))
                continue;
            bits[pi / 8] |= (uint8_t)(1u << (pi % 8));
            stack[sp++] = pi;
        }
    }
    free(stack);
    c->allowed[ti] = bits;
    *out = bits;
    return 0;
}

static const aib__attr_type_t *find_attr(const aib__type_t *rec, aib_str_t name)
{
    size_t lo = 0, hi;
    if (!rec || rec->kind != AIB__T_RECORD)
        return NULL;
    hi = rec->n_attrs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = aib_str_cmp(rec->attrs[mid].name, name);
        if (r == 0)
            return &rec->attrs[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* tolerate an unsorted attribute list */
    for (lo = 0; lo < rec->n_attrs; lo++)
        if (aib_str_eq(rec->attrs[lo].name, name))
            return &rec->attrs[lo];
    return NULL;
}

/* ---- One entity ------------------------------------------------------------------------------ */

/* Attributes or tags of one entity: typed by attr_of (record type, for attributes) or by
 * tag_type (for tags), or untyped. */
static int parse_map(pctx_t *c, const json_t *obj, const char *who, const char *what,
                     const aib__entity_type_t *et, bool is_tags, bool action_decl,
                     const aib__record_t **out)
{
    size_t n = json_object_size(obj), i = 0, klen;
    aib__field_t *fields = NULL;
    aib__record_t *rec = NULL;
    aib_str_t dup;
    const char *key;
    json_t *val;
    char path[PATH_CAP], why[WHY_CAP];
    int rc;

    if (n) {
        fields = aib_arena_calloc(c->arena, n, sizeof(*fields));
        if (!fields)
            return with_file(c, AIB_ENOMEM);
    }
    json_object_keylen_foreach((json_t *)obj, key, klen, val) {
        aib_str_t k;
        const aib__type_t *ty = NULL;
        int pk = (int)(klen > 100 ? 100 : klen);

        if (aib__json_str(c->arena, key, klen, &k) != 0)
            return with_file(c, AIB_ENOMEM);
        snprintf(path, sizeof(path), "entity %s, %s `%.*s`", who, what, pk, key);
        if (action_decl)
            return perr(c, AIB_ESCHEMA,
                        "definition of action `%s` does not match its schema declaration "
                        "(it has %s `%.*s`); omit the action from the entities to use the schema's",
                        who, what, pk, key);
        if (et && !is_tags) {
            const aib__attr_type_t *at = find_attr(et->attrs, k);
            if (!at) {
                if (!et->attrs || !et->attrs->open)
                    return perr(c, AIB_ESCHEMA,
                                "attribute `%.*s` on `%s` should not exist according to the schema",
                                pk, key, who);
            } else {
                ty = at->type;
            }
        } else if (et && is_tags) {
            if (!et->tags)
                return perr(c, AIB_ESCHEMA,
                            "found a tag `%.*s` on `%s`, but no tags should exist on `%s` according "
                            "to the schema",
                            pk, key, who, who);
            ty = et->tags;
        }
        rc = aib__json_to_value(val, ty, c->schema, c->arena, path, 1, &fields[i].val, c->diag);
        if (rc != 0)
            return with_file(c, rc);
        if (ty && !aib__json_conforms(&fields[i].val, ty, why, sizeof(why)))
            return perr(c, AIB_ESCHEMA, "%s: %s", path, why);
        if (et && aib__json_check_enum_value(c->schema, &fields[i].val, why, sizeof(why)) != 0)
            return perr(c, AIB_ESCHEMA, "%s: %s", path, why);
        fields[i].key = k;
        i++;
    }
    if (et && !is_tags && et->attrs) {
        size_t a;
        for (a = 0; a < et->attrs->n_attrs; a++) {
            const aib__attr_type_t *at = &et->attrs->attrs[a];
            if (at->required && !aib__json_getn(obj, at->name))
                return perr(c, AIB_ESCHEMA,
                            "expected entity `%s` to have attribute `%.*s`, but it does not", who,
                            (int)(at->name.len > 100 ? 100 : at->name.len), at->name.ptr);
        }
    }
    rc = aib__record_make(c->arena, fields, i, &rec, &dup);
    if (rc == AIB_EEXIST)
        return perr(c, AIB_EINVAL, "entity %s: duplicate %s `%.*s`", who, what,
                    (int)(dup.len > 100 ? 100 : dup.len), dup.ptr);
    if (rc != 0)
        return with_file(c, rc);
    *out = rec;
    return 0;
}

static int parse_entity(pctx_t *c, const json_t *j, size_t idx, aib__entity_t **out, bool *is_action)
{
    const json_t *uj, *aj, *pj, *tj;
    const aib__entity_type_t *et = NULL;
    const aib__action_t *act = NULL;
    aib__entity_t *e;
    aib__uid_t *uid;
    char who[256], path[PATH_CAP], why[WHY_CAP];
    size_t i;
    int rc;

    if (!json_is_object(j))
        return perr(c, AIB_EINVAL, "entity #%zu: expected an object with \"uid\", \"attrs\" and "
                                   "\"parents\", found %s",
                    idx, json_is_array(j) ? "an array" : "a scalar");
    uj = json_object_get(j, "uid");
    aj = json_object_get(j, "attrs");
    pj = json_object_get(j, "parents");
    tj = json_object_get(j, "tags");
    if (!uj)
        return perr(c, AIB_EINVAL, "entity #%zu: missing field `uid`", idx);
    snprintf(path, sizeof(path), "entity #%zu, uid", idx);
    rc = aib__json_uid(uj, false, c->arena, path, &uid, c->diag);
    if (rc != 0)
        return with_file(c, rc);
    aib__json_uid_str(uid, who, sizeof(who));
    if (!aj)
        return perr(c, AIB_EINVAL, "entity %s: missing field `attrs`", who);
    if (!json_is_object(aj))
        return perr(c, AIB_EINVAL, "entity %s: `attrs` must be an object", who);
    if (!pj)
        return perr(c, AIB_EINVAL, "entity %s: missing field `parents`", who);
    if (!json_is_array(pj))
        return perr(c, AIB_EINVAL, "entity %s: `parents` must be an array", who);
    if (tj && !json_is_object(tj))
        return perr(c, AIB_EINVAL, "entity %s: `tags` must be an object", who);

    *is_action = aib__is_action_type(uid->type);
    if (c->schema) {
        if (*is_action) {
            act = aib__schema_action(c->schema, uid);
            if (!act)
                return perr(c, AIB_ESCHEMA,
                            "found action entity `%s`, but it was not declared as an action in the "
                            "schema",
                            who);
        } else {
            et = aib__schema_entity_type(c->schema, uid->type);
            if (!et)
                return perr(c, AIB_ESCHEMA,
                            "entity `%s` has type `%.*s` which is not declared in the schema", who,
                            (int)(uid->type.len > 200 ? 200 : uid->type.len), uid->type.ptr);
            if (aib__json_check_enum_uid(c->schema, uid, why, sizeof(why)) != 0)
                return perr(c, AIB_ESCHEMA, "%s", why);
        }
    }

    e = aib_arena_calloc(c->arena, 1, sizeof(*e));
    if (!e)
        return with_file(c, AIB_ENOMEM);
    e->uid = uid;
    rc = parse_map(c, aj, who, "attribute", et, false, act != NULL, &e->attrs);
    if (rc != 0)
        return rc;
    if (tj) {
        rc = parse_map(c, tj, who, "tag", et, true, act != NULL, &e->tags);
        if (rc != 0)
            return rc;
    } else {
        e->tags = aib__json_empty_record(c->arena);
        if (!e->tags)
            return with_file(c, AIB_ENOMEM);
    }

    e->n_parents = json_array_size(pj);
    if (e->n_parents) {
        e->parents = aib_arena_calloc(c->arena, e->n_parents, sizeof(*e->parents));
        if (!e->parents)
            return with_file(c, AIB_ENOMEM);
    }
    for (i = 0; i < e->n_parents; i++) {
        aib__uid_t *p;
        char ps[256];
        snprintf(path, sizeof(path), "entity %s, parent #%zu", who, i);
        rc = aib__json_uid(json_array_get(pj, i), false, c->arena, path, &p, c->diag);
        if (rc != 0)
            return with_file(c, rc);
        e->parents[i] = p;
        if (*is_action && !aib__is_action_type(p->type)) {
            aib__json_uid_str(p, ps, sizeof(ps));
            return perr(c, AIB_EINVAL,
                        "action `%s` has a non-action parent `%s`; parents of actions must be actions",
                        who, ps);
        }
        if (et) {
            const uint8_t *bits;
            long ti = (long)(et - c->schema->entity_types), pi;
            rc = allowed_bits(c, ti, &bits);
            if (rc != 0)
                return with_file(c, rc);
            pi = etype_index(c->schema, p->type);
            if (pi < 0 || !(bits[pi / 8] & (1u << (pi % 8))))
                return perr(c, AIB_ESCHEMA,
                            "`%s` is not allowed to have an ancestor of type `%.*s` according to the "
                            "schema",
                            who, (int)(p->type.len > 200 ? 200 : p->type.len), p->type.ptr);
            if (aib__json_check_enum_uid(c->schema, p, why, sizeof(why)) != 0)
                return perr(c, AIB_ESCHEMA, "%s", why);
        }
    }
    *out = e;
    return 0;
}

/* ---- Actions from the schema ---------------------------------------------------------------- */

/* The schema's closure of action a's groups, compared with the ancestors that the entity data
 * gives it (store built from the JSON entities alone), as the reference's deep comparison does. */
static int check_action(pctx_t *c, const aib_cedar_entities_t *json_store, const aib__entity_t *e)
{
    const aib__action_t *act = aib__schema_action(c->schema, e->uid);
    const aib__uid_t **seen = NULL;
    size_t n_seen = 0, cap = 16, i, k;
    char who[256];
    int rc = 0;

    seen = malloc(cap * sizeof(*seen));
    if (!seen)
        return with_file(c, AIB_ENOMEM);
    /* worklist over member_of; seen doubles as the queue */
    if (act)
        for (i = 0; i < act->n_member_of; i++) {
            if (n_seen == cap) {
                const aib__uid_t **g = realloc(seen, cap * 2 * sizeof(*seen));
                if (!g) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                seen = g;
                cap *= 2;
            }
            seen[n_seen++] = act->member_of[i];
        }
    for (i = 0; i < n_seen; i++) {
        const aib__action_t *g = aib__schema_action(c->schema, seen[i]);
        size_t m;
        if (!g)
            continue;
        for (m = 0; m < g->n_member_of; m++) {
            for (k = 0; k < n_seen && !aib__uid_eq(seen[k], g->member_of[m]); k++)
                ;
            if (k < n_seen)
                continue;
            if (n_seen == cap) {
                const aib__uid_t **gg = realloc(seen, cap * 2 * sizeof(*seen));
                if (!gg) {
                    rc = AIB_ENOMEM;
                    goto done;
                }
                seen = gg;
                cap *= 2;
            }
            seen[n_seen++] = g->member_of[m];
        }
    }
    /* dedupe count of the schema side */
    {
        size_t uniq = 0;
        for (i = 0; i < n_seen; i++) {
            for (k = 0; k < i && !aib__uid_eq(seen[k], seen[i]); k++)
                ;
            if (k == i)
                uniq++;
        }
        for (i = 0; i < n_seen && rc == 0; i++)
            if (!aib__uid_eq(seen[i], e->uid) && !aib__entities_in(json_store, e->uid, seen[i]))
                rc = AIB_ESCHEMA;
        if (rc == 0 && uniq != e->n_ancestors) {
            /* an ancestor in the data that the schema does not give it (or a self-cycle) */
            rc = AIB_ESCHEMA;
        }
        if (rc == 0 && e->attrs->n)
            rc = AIB_ESCHEMA;
        if (rc == 0 && e->tags->n)
            rc = AIB_ESCHEMA;
    }
    if (rc == AIB_ESCHEMA) {
        aib__json_uid_str(e->uid, who, sizeof(who));
        perr(c, rc,
             "definition of action `%s` does not match its schema declaration; omit the action "
             "from the entities to use the schema's",
             who);
    }
done:
    if (rc == AIB_ENOMEM)
        with_file(c, rc);
    free(seen);
    return rc;
}

static int schema_action_entities(pctx_t *c, aib__entity_t **dst, size_t *n)
{
    size_t i;
    const aib__record_t *empty = aib__json_empty_record(c->arena);
    if (!empty)
        return with_file(c, AIB_ENOMEM);
    for (i = 0; i < c->schema->n_actions; i++) {
        const aib__action_t *a = &c->schema->actions[i];
        aib__entity_t *e = aib_arena_calloc(c->arena, 1, sizeof(*e));
        if (!e)
            return with_file(c, AIB_ENOMEM);
        e->uid = a->uid;
        e->attrs = empty;
        e->tags = empty;
        e->n_parents = a->n_member_of;
        e->parents = a->member_of;
        dst[(*n)++] = e;
    }
    return 0;
}

/* ---- Entry point ------------------------------------------------------------------------------ */

int aib_cedar_entities_parse(const char *json, size_t len, const char *filename,
                             const aib_cedar_schema_t *schema, aib_cedar_entities_t **out,
                             aib_diag_t *diag)
{
    pctx_t c;
    aib_arena_t *arena = NULL;
    aib_cedar_entities_t *es = NULL, tmp;
    aib__entity_t **ents = NULL, **final = NULL;
    bool *acts = NULL;
    json_t *root = NULL;
    size_t n = 0, i, n_final = 0, n_json_actions = 0;
    int rc = 0;

    memset(&c, 0, sizeof(c));
    memset(&tmp, 0, sizeof(tmp));
    c.file = filename ? filename : "entities";
    c.schema = schema;
    c.diag = diag;
    if (out)
        *out = NULL;
    if (!out) {
        rc = perr(&c, AIB_EINVAL, "no output given");
        goto done;
    }
    /* Files in the common form go through the fast reader (entities_fast.c); it leaves
     * everything else, errors included, to the general path below. */
    rc = aib__jf_entities(json, len, schema, &arena, &ents, &acts, &n);
    if (rc == 0) {
        es = aib_arena_calloc(arena, 1, sizeof(*es));
        if (!es) {
            rc = with_file(&c, AIB_ENOMEM);
            goto done;
        }
        es->arena = arena;
        c.arena = arena;
        goto converted;
    }
    if (rc != AIB__JF_FALLBACK) {
        rc = with_file(&c, rc);
        goto done;
    }
    rc = 0;
    root = aib__json_load(json, len, c.file, diag, &rc);
    if (!root)
        goto done;
    if (!json_is_array(root)) {
        rc = perr(&c, AIB_EINVAL, "expected a JSON array of entities, found %s",
                  json_is_object(root) ? "an object" : "a scalar");
        goto done;
    }
    arena = aib_arena_new(0);
    if (!arena) {
        rc = with_file(&c, AIB_ENOMEM);
        goto done;
    }
    es = aib_arena_calloc(arena, 1, sizeof(*es));
    if (!es) {
        rc = with_file(&c, AIB_ENOMEM);
        goto done;
    }
    es->arena = arena;
    c.arena = arena;

    n = json_array_size(root);
    ents = calloc(n ? n : 1, sizeof(*ents));
    acts = calloc(n ? n : 1, sizeof(*acts));
    if (!ents || !acts) {
        rc = with_file(&c, AIB_ENOMEM);
        goto done;
    }
    for (i = 0; i < n; i++) {
        rc = parse_entity(&c, json_array_get(root, i), i, &ents[i], &acts[i]);
        if (rc != 0)
            goto done;
        if (acts[i])
            n_json_actions++;
    }
    json_decref(root);
    root = NULL;

converted:
    if (!schema) {
        rc = store_build(&c, es, ents, n);
        goto done;
    }

    /* With a schema: action entities given in the data must agree with the schema's, judged
     * after the data's own closure; the store then holds the schema's action entities. */
    if (n_json_actions) {
        tmp.arena = aib_arena_new(0);
        if (!tmp.arena) {
            rc = with_file(&c, AIB_ENOMEM);
            goto done;
        }
        rc = store_build(&c, &tmp, ents, n);
        if (rc != 0)
            goto done;
        for (i = 0; i < n; i++)
            if (acts[i]) {
                const aib__entity_t *stored = aib__entities_find(&tmp, ents[i]->uid);
                rc = check_action(&c, &tmp, stored ? stored : ents[i]);
                if (rc != 0)
                    goto done;
            }
    }
    final = calloc(n - n_json_actions + schema->n_actions + 1, sizeof(*final));
    if (!final) {
        rc = with_file(&c, AIB_ENOMEM);
        goto done;
    }
    for (i = 0; i < n; i++)
        if (!acts[i])
            final[n_final++] = ents[i];
    rc = schema_action_entities(&c, final, &n_final);
    if (rc != 0)
        goto done;
    rc = store_build(&c, es, final, n_final);

done:
    if (root)
        json_decref(root);
    if (tmp.arena)
        aib_arena_free(tmp.arena);
    if (c.allowed) {
        for (i = 0; schema && i < schema->n_entity_types; i++)
            free(c.allowed[i]);
        free(c.allowed);
    }
    free(ents);
    free(acts);
    free(final);
    if (rc != 0) {
        if (arena)
            aib_arena_free(arena);
        return rc;
    }
    *out = es;
    return 0;
}
