/* index.c — scope index of a policy set: for each of principal / action / resource, hash maps
 * from the uid (for `==` and `in` constraints) or entity type (for `is`) to the policies that
 * constrain that way, plus a bitmap of the unconstrained ones. A request probes the maps with
 * its own uid, the ancestors the entity store lists for it, and its type, and intersects the
 * three bitmaps; authorize.c then evaluates only those candidates, in policy-set order.
 * The candidates are exactly the policies whose scope matches, except that `is T in x` and
 * unlinked slots are flagged for the evaluator to check again, so answers equal evaluating
 * every policy. The index owns a private arena, freed by aib__index_free. */
#include "cedar/index_int.h"

#include <stdlib.h>
#include <string.h>

#define TYPE_SEED 0x9e3779b97f4a7c15ULL

enum { M_EQ = 0, M_IN, M_IS, M__N };

typedef struct ix_entry {
    uint64_t hash;
    aib_str_t type, id;  /* id empty for M_IS */
    uint32_t start, count; /* run in items; count 0 = empty slot */
    uint64_t *bits;        /* the run as a bitmap (nwords words) when it is long, else NULL */
} ix_entry_t;

typedef struct ix_map {
    size_t n_keys, nwords;
    size_t mask;
    ix_entry_t *slots;
    uint32_t *items;
} ix_map_t;

struct aib__index {
    aib_arena_t *arena;
    size_t n, nwords;
    uint64_t *wild[3];
    uint64_t *recheck; /* policies whose candidacy does not already prove the scope holds */
    ix_map_t maps[3][M__N];
};

/* build-time (key, policy) pair */
typedef struct ix_pair {
    uint64_t hash;
    aib_str_t type, id;
    uint32_t pol;
} ix_pair_t;

typedef struct ix_list {
    ix_pair_t *v;
    size_t n, cap;
} ix_list_t;

void aib__index_free(aib__index_t *ix)
{
    if (ix)
        aib_arena_free(ix->arena);
}

size_t aib__index_size(const aib__index_t *ix)
{
    return ix->n;
}

bool aib__index_recheck(const aib__index_t *ix, size_t i)
{
    return (ix->recheck[i >> 6] >> (i & 63)) & 1;
}

static uint64_t type_hash(aib_str_t t)
{
    return aib__hash_bytes(t.ptr, t.len, TYPE_SEED);
}

static int list_push(ix_list_t *l, uint64_t h, aib_str_t type, aib_str_t id, uint32_t pol)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        ix_pair_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return AIB_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n].hash = h;
    l->v[l->n].type = type;
    l->v[l->n].id = id;
    l->v[l->n].pol = pol;
    l->n++;
    return 0;
}

static int pair_cmp(const void *pa, const void *pb)
{
    const ix_pair_t *a = pa, *b = pb;
    int c;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    c = aib_str_cmp(a->type, b->type);
    if (c)
        return c;
    c = aib_str_cmp(a->id, b->id);
    if (c)
        return c;
    return a->pol < b->pol ? -1 : a->pol > b->pol;
}

static bool same_key(const ix_pair_t *a, const ix_pair_t *b)
{
    return a->hash == b->hash && aib_str_eq(a->type, b->type) && aib_str_eq(a->id, b->id);
}

/* Runs longer than this are also kept as a bitmap: OR-ing nwords words beats setting many bits
 * one at a time on every request. */
#define RUN_BITMAP_MIN 4

static int map_build(aib_arena_t *ar, ix_list_t *l, ix_map_t *m, size_t nwords)
{
    size_t i, j, k, keys = 0, size = 1;
    memset(m, 0, sizeof *m);
    m->nwords = nwords;
    if (l->n == 0)
        return 0;
    qsort(l->v, l->n, sizeof *l->v, pair_cmp);
    for (i = 0; i < l->n; i++)
        if (i == 0 || !same_key(&l->v[i], &l->v[i - 1]))
            keys++;
    while (size < keys * 2)
        size <<= 1;
    m->slots = aib_arena_calloc(ar, size, sizeof *m->slots);
    m->items = aib_arena_alloc(ar, l->n * sizeof *m->items);
    if (!m->slots || !m->items)
        return AIB_ENOMEM;
    m->mask = size - 1;
    m->n_keys = keys;
    for (i = 0; i < l->n; i++)
        m->items[i] = l->v[i].pol;
    for (i = 0; i < l->n; i = j) {
        size_t s = (size_t)l->v[i].hash & m->mask;
        for (j = i + 1; j < l->n && same_key(&l->v[j], &l->v[i]); j++)
            ;
        while (m->slots[s].count)
            s = (s + 1) & m->mask;
        m->slots[s].hash = l->v[i].hash;
        m->slots[s].type = l->v[i].type;
        m->slots[s].id = l->v[i].id;
        m->slots[s].start = (uint32_t)i;
        m->slots[s].count = (uint32_t)(j - i);
        if (j - i > RUN_BITMAP_MIN && nwords) {
            uint64_t *b = aib_arena_calloc(ar, nwords, sizeof *b);
            if (!b)
                return AIB_ENOMEM;
            for (k = i; k < j; k++)
                b[l->v[k].pol >> 6] |= 1ULL << (l->v[k].pol & 63);
            m->slots[s].bits = b;
        }
    }
    return 0;
}

static const ix_entry_t *map_get(const ix_map_t *m, uint64_t h, aib_str_t type, aib_str_t id)
{
    size_t s = (size_t)h & m->mask;
    for (;;) {
        const ix_entry_t *e = &m->slots[s];
        if (!e->count)
            return NULL;
        if (e->hash == h && e->type.len == type.len && e->id.len == id.len &&
            (type.len == 0 || memcmp(e->type.ptr, type.ptr, type.len) == 0) &&
            (id.len == 0 || memcmp(e->id.ptr, id.ptr, id.len) == 0))
            return e;
        s = (s + 1) & m->mask;
    }
}

/* Adds a policy's constraint on one dimension to the build lists (or to the wildcard bitmap). */
static void set_bit(uint64_t *bits, uint32_t pol)
{
    bits[pol >> 6] |= 1ULL << (pol & 63);
}

/* Adds a policy's constraint on one dimension to the build lists (or to the wildcard bitmap).
 * Probing is exact for ==, in, is and `in [...]` (the request uid for ==, the uid and its
 * ancestors for in, the type for is), so only `is T in x` (type unchecked) and constraints
 * without a uid need the evaluator to look at the scope again. */
static int add_scope(aib__index_t *ix, ix_list_t lists[M__N], int d, const aib__policy_t *p,
                     const aib__scope_t *sc, const aib__scope_t *own, uint32_t pol)
{
    const aib__uid_t *u = sc->uid;
    static const aib_str_t empty = { "", 0 };
    size_t i;
    int rc;

    if (sc->slot) {
        u = d == 0 ? p->slot_principal : d == 2 ? p->slot_resource : NULL;
        if (!u && own && !own->slot)
            u = own->uid;
    }
    switch (sc->op) {
    case AIB__SC_IS:
        return list_push(&lists[M_IS], type_hash(sc->type), sc->type, empty, pol);
    case AIB__SC_EQ:
        if (u)
            return list_push(&lists[M_EQ], u->hash, u->type, u->id, pol);
        break;
    case AIB__SC_IN:
    case AIB__SC_IS_IN:
        if (u) {
            if (sc->op == AIB__SC_IS_IN)
                set_bit(ix->recheck, pol);
            return list_push(&lists[M_IN], u->hash, u->type, u->id, pol);
        }
        break;
    case AIB__SC_IN_SET:
        for (i = 0; i < sc->n_uids; i++) {
            rc = list_push(&lists[M_IN], sc->uids[i]->hash, sc->uids[i]->type, sc->uids[i]->id, pol);
            if (rc)
                return rc;
        }
        return 0;
    case AIB__SC_ANY:
        set_bit(ix->wild[d], pol);
        return 0;
    default:
        break;
    }
    /* a constraint the evaluator must judge (unlinked slot): always a candidate, rechecked */
    set_bit(ix->wild[d], pol);
    set_bit(ix->recheck, pol);
    return 0;
}

static int index_new(const aib_cedar_policyset_t *ps, aib__index_t **out)
{
    aib__index_t *ix = NULL;
    aib_arena_t *ar = NULL;
    ix_list_t lists[3][M__N];
    size_t i;
    int d, m, rc = AIB_ENOMEM;

    *out = NULL;
    memset(lists, 0, sizeof lists);
    ar = aib_arena_new(0);
    if (!ar)
        goto done;
    ix = aib_arena_calloc(ar, 1, sizeof *ix);
    if (!ix)
        goto done;
    ix->arena = ar;
    ix->n = ps->n;
    ix->nwords = (ps->n + 63) / 64;
    for (d = 0; d < 3; d++) {
        ix->wild[d] = aib_arena_calloc(ar, ix->nwords ? ix->nwords : 1, sizeof(uint64_t));
        if (!ix->wild[d])
            goto done;
    }
    ix->recheck = aib_arena_calloc(ar, ix->nwords ? ix->nwords : 1, sizeof(uint64_t));
    if (!ix->recheck)
        goto done;
    for (i = 0; i < ps->n; i++) {
        const aib__policy_t *p = ps->policies[i];
        const aib__policy_t *body = p->tmpl ? p->tmpl : p;
        if (p->is_template)
            continue;
        rc = add_scope(ix, lists[0], 0, p, &body->principal, p->tmpl ? &p->principal : NULL, (uint32_t)i);
        if (!rc)
            rc = add_scope(ix, lists[1], 1, p, &body->action, NULL, (uint32_t)i);
        if (!rc)
            rc = add_scope(ix, lists[2], 2, p, &body->resource, p->tmpl ? &p->resource : NULL, (uint32_t)i);
        if (rc)
            goto done;
    }
    for (d = 0; d < 3; d++)
        for (m = 0; m < M__N; m++) {
            rc = map_build(ar, &lists[d][m], &ix->maps[d][m], ix->nwords);
            if (rc)
                goto done;
        }
    *out = ix;
    ar = NULL;
    rc = 0;
done:
    for (d = 0; d < 3; d++)
        for (m = 0; m < M__N; m++)
            free(lists[d][m].v);
    if (ar)
        aib_arena_free(ar);
    return rc;
}

int aib__index_build(aib_cedar_policyset_t *ps)
{
    aib__index_t *ix = NULL;
    int rc;
    aib__index_free(ps->index);
    ps->index = NULL;
    rc = index_new(ps, &ix);
    if (rc)
        return rc;
    ps->index = ix;
    ps->index_dirty = false;
    return 0;
}

/* Policies are only ever appended, so an index built for ps->n policies is current. The first
 * build may race between threads authorizing on a freshly parsed set: each builds, one
 * publishes with a compare-and-swap, the others free theirs. Changing the set (linking) while
 * other threads authorize is not supported, as for every other part of the policy set. */
const aib__index_t *aib__index_get(const aib_cedar_policyset_t *ps)
{
    aib_cedar_policyset_t *mut = (aib_cedar_policyset_t *)ps;
    aib__index_t *ix = __atomic_load_n(&mut->index, __ATOMIC_ACQUIRE), *nix = NULL, *expected = NULL;

    if (ix && ix->n == ps->n)
        return ix;
    if (ix)
        return aib__index_build(mut) == 0 ? mut->index : NULL;
    if (index_new(ps, &nix) != 0)
        return NULL;
    if (__atomic_compare_exchange_n(&mut->index, &expected, nix, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&mut->index_dirty, false, __ATOMIC_RELEASE);
        return nix;
    }
    aib__index_free(nix);
    return expected;
}

static void or_entry(const ix_map_t *m, const ix_entry_t *e, uint64_t *bits)
{
    uint32_t k;
    if (!e)
        return;
    if (e->bits) {
        for (k = 0; k < m->nwords; k++)
            bits[k] |= e->bits[k];
        return;
    }
    for (k = 0; k < e->count; k++) {
        uint32_t pol = m->items[e->start + k];
        set_bit(bits, pol);
    }
}

/* Policies whose constraint on dimension d may hold for request uid u. */
static void dim_bits(const aib__index_t *ix, int d, const aib_cedar_entities_t *es, const aib__uid_t *u,
                     const aib__entity_t *ent, uint64_t *bits)
{
    static const aib_str_t empty = { "", 0 };
    const ix_map_t *m;
    size_t i;

    memcpy(bits, ix->wild[d], ix->nwords * sizeof *bits);
    m = &ix->maps[d][M_EQ];
    if (m->n_keys)
        or_entry(m, map_get(m, u->hash, u->type, u->id), bits);
    m = &ix->maps[d][M_IN];
    if (m->n_keys) {
        or_entry(m, map_get(m, u->hash, u->type, u->id), bits);
        if (ent)
            for (i = 0; i < ent->n_ancestors; i++) {
                const aib__uid_t *a = es->uids[ent->ancestors[i]];
                or_entry(m, map_get(m, a->hash, a->type, a->id), bits);
            }
    }
    m = &ix->maps[d][M_IS];
    if (m->n_keys)
        or_entry(m, map_get(m, type_hash(u->type), u->type, empty), bits);
}

int aib__index_candidates(const aib__index_t *ix, const aib_cedar_entities_t *es, const aib__request_t *req,
                          const aib__entity_t *const ents[3], aib_arena_t *arena, uint64_t **bits,
                          size_t *nwords)
{
    size_t nw = ix->nwords, i;
    uint64_t *acc, *tmp, any;

    acc = aib_arena_alloc(arena, (nw ? nw : 1) * 2 * sizeof *acc);
    if (!acc)
        return AIB_ENOMEM;
    tmp = acc + (nw ? nw : 1);
    *bits = acc;
    *nwords = nw;
    dim_bits(ix, 0, es, req->principal, ents[0], acc);
    dim_bits(ix, 2, es, req->resource, ents[2], tmp);
    any = 0;
    for (i = 0; i < nw; i++) {
        acc[i] &= tmp[i];
        any |= acc[i];
    }
    if (!any)
        return 0;
    dim_bits(ix, 1, es, req->action, ents[1], tmp);
    for (i = 0; i < nw; i++)
        acc[i] &= tmp[i];
    return 0;
}
