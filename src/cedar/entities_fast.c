/* entities_fast.c — the entities file through the fast reader (json_fast.c): entity records
 * (uid, attrs, tags, parents) converted and checked against the schema as entities.c's
 * parse_entity does, for files in the common form. Any entity it cannot decide (action entities,
 * escapes other than `__entity`, anything that would be an error) makes the whole file go
 * through the general jansson path, so results and messages stay those of entities.c. */
#include "cedar/json_fast_int.h"
#include "cedar/json_int.h"

#include <stdlib.h>
#include <string.h>

#define WHY_CAP 512

typedef struct fctx {
    const aib_cedar_schema_t *schema;
    aib_arena_t *arena;
    uint8_t **allowed; /* allowed ancestor types per schema entity type, on first use */
} fctx_t;

static long etype_index(const aib_cedar_schema_t *s, aib_str_t name)
{
    const aib__entity_type_t *et = aib__schema_entity_type(s, name);
    if (!et || et < s->entity_types || et >= s->entity_types + s->n_entity_types)
        return -1;
    return (long)(et - s->entity_types);
}

/* The closure of memberOf from type ti (entities.c allowed_bits; the same closed set the
 * reference checks parents against). */
static int allowed_bits(fctx_t *c, long ti, const uint8_t **out)
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
    for (lo = 0; lo < rec->n_attrs; lo++)
        if (aib_str_eq(rec->attrs[lo].name, name))
            return &rec->attrs[lo];
    return NULL;
}

/* Attributes (is_tags false) or tags of one entity of schema type et (NULL: untyped). */
static int conv_map(fctx_t *c, const aib__jf_t *obj, const aib__entity_type_t *et, bool is_tags,
                    const aib__record_t **out)
{
    aib__field_t *fields = NULL;
    aib__record_t *rec = NULL;
    aib_str_t dup;
    char why[WHY_CAP];
    uint32_t i;
    int rc;

    if (obj->n) {
        fields = aib_arena_alloc(c->arena, obj->n * sizeof(*fields));
        if (!fields)
            return AIB_ENOMEM;
    }
    for (i = 0; i < obj->n; i++) {
        const aib__jf_member_t *m = &obj->u.members[i];
        const aib__type_t *ty = NULL;
        if (et && !is_tags) {
            const aib__attr_type_t *at = find_attr(et->attrs, m->key);
            if (!at) {
                if (!et->attrs || !et->attrs->open)
                    return AIB__JF_FALLBACK;
            } else {
                ty = at->type;
            }
        } else if (et && is_tags) {
            if (!et->tags)
                return AIB__JF_FALLBACK;
            ty = et->tags;
        }
        if ((rc = aib__jf_value(&m->val, ty, c->arena, 1, &fields[i].val)) != 0)
            return rc;
        if (ty && !aib__json_conforms(&fields[i].val, ty, why, sizeof(why)))
            return AIB__JF_FALLBACK;
        if (et && aib__json_check_enum_value(c->schema, &fields[i].val, why, sizeof(why)) != 0)
            return AIB__JF_FALLBACK;
        fields[i].key = m->key;
    }
    if (et && !is_tags && et->attrs) {
        size_t a;
        for (a = 0; a < et->attrs->n_attrs; a++)
            if (et->attrs->attrs[a].required && !aib__jf_getn(obj, et->attrs->attrs[a].name))
                return AIB__JF_FALLBACK;
    }
    rc = aib__record_make(c->arena, fields, obj->n, &rec, &dup);
    if (rc == AIB_EEXIST)
        return AIB__JF_FALLBACK;
    if (rc != 0)
        return rc;
    *out = rec;
    return 0;
}

static int conv_entity(fctx_t *c, const aib__jf_t *j, const aib__record_t *empty, aib__entity_t **out)
{
    const aib__jf_t *uj, *aj, *pj, *tj;
    const aib__entity_type_t *et = NULL;
    aib__entity_t *e;
    aib__uid_t *uid;
    char why[WHY_CAP];
    uint32_t i;
    int rc;

    if (j->kind != AIB__JF_OBJECT)
        return AIB__JF_FALLBACK;
    uj = aib__jf_get(j, "uid");
    aj = aib__jf_get(j, "attrs");
    pj = aib__jf_get(j, "parents");
    tj = aib__jf_get(j, "tags");
    if (!uj || !aj || aj->kind != AIB__JF_OBJECT || !pj || pj->kind != AIB__JF_ARRAY ||
        (tj && tj->kind != AIB__JF_OBJECT))
        return AIB__JF_FALLBACK;
    if ((rc = aib__jf_uid(uj, c->arena, &uid)) != 0)
        return rc;
    /* action entities are compared with the schema's by the general path */
    if (aib__is_action_type(uid->type))
        return AIB__JF_FALLBACK;
    if (c->schema) {
        et = aib__schema_entity_type(c->schema, uid->type);
        if (!et || aib__json_check_enum_uid(c->schema, uid, why, sizeof(why)) != 0)
            return AIB__JF_FALLBACK;
    }
    e = aib_arena_calloc(c->arena, 1, sizeof(*e));
    if (!e)
        return AIB_ENOMEM;
    e->uid = uid;
    if ((rc = conv_map(c, aj, et, false, &e->attrs)) != 0)
        return rc;
    if (tj) {
        if ((rc = conv_map(c, tj, et, true, &e->tags)) != 0)
            return rc;
    } else {
        e->tags = empty;
    }
    e->n_parents = pj->n;
    if (pj->n) {
        e->parents = aib_arena_alloc(c->arena, pj->n * sizeof(*e->parents));
        if (!e->parents)
            return AIB_ENOMEM;
    }
    for (i = 0; i < pj->n; i++) {
        aib__uid_t *p;
        if ((rc = aib__jf_uid(&pj->u.items[i], c->arena, &p)) != 0)
            return rc;
        e->parents[i] = p;
        if (et) {
            const uint8_t *bits;
            long pi;
            if ((rc = allowed_bits(c, (long)(et - c->schema->entity_types), &bits)) != 0)
                return rc;
            pi = etype_index(c->schema, p->type);
            if (pi < 0 || !(bits[pi / 8] & (1u << (pi % 8))) ||
                aib__json_check_enum_uid(c->schema, p, why, sizeof(why)) != 0)
                return AIB__JF_FALLBACK;
        }
    }
    *out = e;
    return 0;
}

int aib__jf_entities(const char *json, size_t len, const aib_cedar_schema_t *schema,
                     aib_arena_t **arena_out, aib__entity_t ***ents_out, bool **acts_out,
                     size_t *n_out)
{
    fctx_t c;
    const aib__jf_t *root = NULL;
    const aib__record_t *empty;
    aib__entity_t **ents = NULL;
    bool *acts = NULL;
    size_t i, n = 0;
    int rc = 0;

    *arena_out = NULL;
    *ents_out = NULL;
    *acts_out = NULL;
    *n_out = 0;
    memset(&c, 0, sizeof(c));
    c.schema = schema;
    c.arena = aib_arena_new(1u << 20);
    if (!c.arena)
        return AIB_ENOMEM;
    if (aib__jf_parse(json, len, c.arena, &root, NULL) != 0 || root->kind != AIB__JF_ARRAY) {
        rc = AIB__JF_FALLBACK;
        goto done;
    }
    n = root->n;
    ents = calloc(n ? n : 1, sizeof(*ents));
    acts = calloc(n ? n : 1, sizeof(*acts)); /* stays all false: actions fall back */
    empty = aib__json_empty_record(c.arena);
    if (!ents || !acts || !empty) {
        rc = AIB_ENOMEM;
        goto done;
    }
    for (i = 0; i < n && rc == 0; i++)
        rc = conv_entity(&c, &root->u.items[i], empty, &ents[i]);

done:
    if (c.allowed) {
        for (i = 0; i < schema->n_entity_types; i++)
            free(c.allowed[i]);
        free(c.allowed);
    }
    if (rc != 0) {
        aib_arena_free(c.arena);
        free(ents);
        free(acts);
        return rc == AIB_ENOMEM ? rc : AIB__JF_FALLBACK;
    }
    *arena_out = c.arena;
    *ents_out = ents;
    *acts_out = acts;
    *n_out = n;
    return 0;
}
