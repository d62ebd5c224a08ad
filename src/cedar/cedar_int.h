/* cedar_int.h — internal data model of the Cedar engine shared by its parts: values, entity
 * uids, the policy AST, entity store, schema model and the function ids of methods and extension
 * functions. Parser (parser.c, lexer.c), evaluator (eval.c, authorize.c, index.c), extensions
 * (ext_*.c), JSON loaders (json.c, entities.c, request.c) and schema (schema*.c) meet here.
 *
 * Memory: everything reachable from a policy set, schema or entity store lives in that object's
 * arena; values produced while evaluating a request live in the request arena. Nothing in
 * these structures is freed individually. */
#ifndef AIB_CEDAR_INT_H
#define AIB_CEDAR_INT_H

#include "aib/cedar.h"

/* ---- Source locations ------------------------------------------------------------------- */

typedef struct aib__loc {
    uint32_t line; /* 1-based; 0 = unknown */
    uint32_t col;  /* 1-based, in bytes */
    uint32_t off;  /* byte offset of the start */
    uint32_t end;  /* byte offset one past the end */
} aib__loc_t;

/* ---- Entity uids -------------------------------------------------------------------------- */

/* An entity uid. type is the fully qualified type name ("NS::Type"), id the raw id (may hold NUL).
 * hash is aib__uid_hash(type, id), computed once at creation. Two uids are equal when their
 * types and ids are equal (pointer equality is a fast path only). */
typedef struct aib__uid {
    aib_str_t type;
    aib_str_t id;
    uint64_t hash;
} aib__uid_t;

uint64_t aib__hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t aib__uid_hash(aib_str_t type, aib_str_t id);
bool aib__uid_eq(const aib__uid_t *a, const aib__uid_t *b);
/* New uid in arena (type and id copied); NULL on ENOMEM. */
aib__uid_t *aib__uid_new(aib_arena_t *a, aib_str_t type, aib_str_t id);
/* Appends the uid in Cedar syntax: Type::"id" (id escaped as a Cedar string). */
int aib__uid_format(const aib__uid_t *u, aib_buf_t *out);
/* True for `Action` and `NS::Action` types. */
bool aib__is_action_type(aib_str_t type);

/* ---- Values ------------------------------------------------------------------------------ */

typedef enum {
    AIB__V_BOOL = 0,
    AIB__V_LONG,
    AIB__V_STRING,
    AIB__V_ENTITY,
    AIB__V_SET,
    AIB__V_RECORD,
    AIB__V_DECIMAL,  /* u.i = value * 10^4 */
    AIB__V_IP,       /* u.ip */
    AIB__V_DATETIME, /* u.i = milliseconds since 1970-01-01T00:00:00Z */
    AIB__V_DURATION  /* u.i = milliseconds */
} aib__vkind_t;

typedef struct aib__set aib__set_t;
typedef struct aib__record aib__record_t;

typedef struct aib__ipaddr {
    uint8_t v6;      /* 0 = IPv4 (addr[0..3]), 1 = IPv6 */
    uint8_t prefix;  /* prefix length: 0..32 or 0..128 (full length when none was written) */
    uint8_t addr[16];
} aib__ipaddr_t;

typedef struct aib__value {
    uint8_t kind; /* aib__vkind_t */
    union {
        bool b;
        int64_t i;
        aib_str_t s;
        const aib__uid_t *uid;
        const aib__set_t *set;
        const aib__record_t *rec;
        const aib__ipaddr_t *ip;
    } u;
} aib__value_t;

/* Set: elements sorted by aib__value_cmp with duplicates removed (so equality is element-wise
 * and `contains` is a binary search). Build with aib__set_make. */
struct aib__set {
    size_t n;
    aib__value_t items[];
};

typedef struct aib__field {
    aib_str_t key;
    aib__value_t val;
} aib__field_t;

/* Record: fields sorted by key (aib_str_cmp), keys unique. Build with aib__record_make. */
struct aib__record {
    size_t n;
    aib__field_t fields[];
};

/* Total order over all values (kind first, then content) used for canonical sets; also
 * decides equality: aib__value_cmp(a,b)==0 iff Cedar's == is true. */
int aib__value_cmp(const aib__value_t *a, const aib__value_t *b);
bool aib__value_eq(const aib__value_t *a, const aib__value_t *b);
/* Sorts and de-duplicates items[0..n) into a new set in arena. NULL on ENOMEM. */
aib__set_t *aib__set_make(aib_arena_t *a, const aib__value_t *items, size_t n);
bool aib__set_contains(const aib__set_t *s, const aib__value_t *v);
/* Sorts fields[0..n) by key into a new record. Returns AIB_EEXIST (and *dup = the key) when a
 * key repeats, AIB_ENOMEM, or 0. */
int aib__record_make(aib_arena_t *a, const aib__field_t *fields, size_t n, aib__record_t **out,
                     aib_str_t *dup);
const aib__value_t *aib__record_get(const aib__record_t *r, aib_str_t key);
/* Name of a value's type as Cedar's messages write it: "bool", "long", "string", "entity",
 * "set", "record", "decimal", "ipaddr", "datetime", "duration". */
const char *aib__vkind_name(int kind);
/* Appends a value as Cedar expression text (for messages and debugging). */
int aib__value_format(const aib__value_t *v, aib_buf_t *out);
/* Appends a value as Cedar's JSON value form (__entity / __extn escapes). */
int aib__value_json(const aib__value_t *v, aib_buf_t *out);

static inline aib__value_t aib__v_bool(bool b) { aib__value_t v; v.kind = AIB__V_BOOL; v.u.b = b; return v; }
static inline aib__value_t aib__v_long(int64_t i) { aib__value_t v; v.kind = AIB__V_LONG; v.u.i = i; return v; }

/* ---- Function ids: methods, operators-as-calls and extension functions -------------------- */

typedef enum {
    /* built-in methods */
    AIB__FN_CONTAINS = 0, AIB__FN_CONTAINS_ALL, AIB__FN_CONTAINS_ANY, AIB__FN_IS_EMPTY,
    AIB__FN_GET_TAG, AIB__FN_HAS_TAG,
    /* extension: decimal */
    AIB__FN_DECIMAL, AIB__FN_LESS_THAN, AIB__FN_LESS_THAN_OR_EQUAL, AIB__FN_GREATER_THAN,
    AIB__FN_GREATER_THAN_OR_EQUAL,
    /* extension: ipaddr */
    AIB__FN_IP, AIB__FN_IS_IPV4, AIB__FN_IS_IPV6, AIB__FN_IS_LOOPBACK, AIB__FN_IS_MULTICAST,
    AIB__FN_IS_IN_RANGE,
    /* extension: datetime / duration */
    AIB__FN_DATETIME, AIB__FN_DURATION, AIB__FN_OFFSET, AIB__FN_DURATION_SINCE, AIB__FN_TO_DATE,
    AIB__FN_TO_TIME, AIB__FN_TO_MILLISECONDS, AIB__FN_TO_SECONDS, AIB__FN_TO_MINUTES,
    AIB__FN_TO_HOURS, AIB__FN_TO_DAYS,
    AIB__FN__COUNT
} aib__fn_t;

#define AIB__FN_FIRST_EXT AIB__FN_DECIMAL

typedef struct aib__fninfo {
    const char *name;  /* as written in policies: "contains", "ip", "lessThan", ... */
    uint8_t is_method; /* 1: called as receiver.name(args); 0: called as name(args) */
    uint8_t arity;     /* total number of arguments including the receiver */
} aib__fninfo_t;

extern const aib__fninfo_t aib__fn_table[AIB__FN__COUNT];
/* Looks a function or method up by name; -1 when unknown. is_method selects the namespace:
 * methods (x.f()) and functions (f(x)) are distinct in Cedar. Extension functions may also be
 * written with the `__cedar::` prefix (the parser strips it before lookup). */
int aib__fn_lookup(aib_str_t name, bool is_method);

/* ---- Extensions (ext_*.c) ----------------------------------------------------------------- */

/* Parsers for extension constructor strings; 0 on success, AIB_EINVAL when the string is not a
 * valid literal (the evaluator turns that into an evaluation error). */
int aib__decimal_parse(const char *s, size_t len, int64_t *out);
int aib__ip_parse(const char *s, size_t len, aib__ipaddr_t *out);
int aib__datetime_parse(const char *s, size_t len, int64_t *out_ms);
int aib__duration_parse(const char *s, size_t len, int64_t *out_ms);
/* Canonical text forms (what aib__value_json writes inside __extn and messages show). */
int aib__decimal_format(int64_t v, aib_buf_t *out);
int aib__ip_format(const aib__ipaddr_t *ip, aib_buf_t *out);
int aib__datetime_format(int64_t ms, aib_buf_t *out);
int aib__duration_format(int64_t ms, aib_buf_t *out);

/* Calls extension function fn (>= AIB__FN_FIRST_EXT) on args[0..n) (receiver first for methods).
 * On success stores the result in *out (allocating from arena if needed) and returns 0. On an
 * evaluation error (wrong argument type or count, invalid literal, overflow) returns AIB_EEVAL and
 * writes a plain message into err (cap bytes). */
int aib__ext_call(int fn, const aib__value_t *args, size_t n, aib_arena_t *arena,
                  aib__value_t *out, char *err, size_t cap);
/* Constructs an extension value from its constructor name ("ip", "decimal", "datetime",
 * "duration", with or without "__cedar::") and string argument, for __extn JSON escapes. */
int aib__ext_construct(aib_str_t fn_name, aib_str_t arg, aib_arena_t *arena, aib__value_t *out,
                       char *err, size_t cap);

/* ---- Policy AST --------------------------------------------------------------------------- */

typedef enum {
    AIB__E_LIT = 0, /* u.lit: bool, long, string or entity literal */
    AIB__E_VAR,     /* op: AIB__VAR_* */
    AIB__E_SLOT,    /* op: AIB__SLOT_PRINCIPAL or AIB__SLOT_RESOURCE */
    AIB__E_IF,      /* u.k.a ? u.k.b : u.k.c */
    AIB__E_AND,     /* u.k.a && u.k.b */
    AIB__E_OR,
    AIB__E_NOT,     /* !u.k.a */
    AIB__E_NEG,     /* -u.k.a (integer negation; overflow is an error) */
    AIB__E_BINOP,   /* op: AIB__OP_*, operands u.k.a, u.k.b */
    AIB__E_GETATTR, /* u.attr.obj . u.attr.name */
    AIB__E_HAS,     /* u.attr.obj has u.attr.name (nested `has a.b` is desugared to && chain) */
    AIB__E_LIKE,    /* u.like.obj like u.like.pat */
    AIB__E_IS,      /* u.is.obj is u.is.type (`is T in x` desugared to `is T && in x`) */
    AIB__E_SET,     /* [u.list.items[0..n)] */
    AIB__E_RECORD,  /* {u.rec.keys[i]: u.rec.vals[i]}, keys unique, in written order */
    AIB__E_CALL     /* op: aib__fn_t; u.list.items[0..n) are the arguments, receiver first */
} aib__ekind_t;

enum { AIB__VAR_PRINCIPAL = 0, AIB__VAR_ACTION, AIB__VAR_RESOURCE, AIB__VAR_CONTEXT };
enum { AIB__SLOT_PRINCIPAL = 0, AIB__SLOT_RESOURCE };
enum {
    AIB__OP_EQ = 0, AIB__OP_NE, AIB__OP_LT, AIB__OP_LE, AIB__OP_GT, AIB__OP_GE,
    AIB__OP_ADD, AIB__OP_SUB, AIB__OP_MUL, AIB__OP_IN
};

/* `like` pattern: a sequence of literal runs and wildcards. */
typedef struct aib__pelem {
    uint8_t star;  /* 1: wildcard `*` (lit unused); 0: literal bytes */
    aib_str_t lit;
} aib__pelem_t;

typedef struct aib__pattern {
    size_t n;
    aib__pelem_t *elems;
} aib__pattern_t;

/* Pattern match of a whole string (wildcard = any sequence of characters). */
bool aib__pattern_match(const aib__pattern_t *p, aib_str_t s);

typedef struct aib__expr aib__expr_t;
struct aib__expr {
    uint8_t kind; /* aib__ekind_t */
    uint8_t op;   /* VAR / SLOT / OP / FN id, per kind */
    uint32_t n;   /* element count for SET, RECORD, CALL */
    aib__loc_t loc;
    union {
        aib__value_t lit;
        struct { aib__expr_t *a, *b, *c; } k;
        struct { aib__expr_t *obj; aib_str_t name; } attr;
        struct { aib__expr_t *obj; aib__pattern_t pat; } like;
        struct { aib__expr_t *obj; aib_str_t type; } is;
        struct { aib__expr_t **items; } list;
        struct { aib_str_t *keys; aib__expr_t **vals; } rec;
    } u;
};

/* Scope constraint of one of principal / action / resource. */
typedef enum {
    AIB__SC_ANY = 0, /* no constraint */
    AIB__SC_EQ,      /* == uid (or == ?slot) */
    AIB__SC_IN,      /* in uid (or in ?slot) */
    AIB__SC_IS,      /* is type */
    AIB__SC_IS_IN,   /* is type in uid (or in ?slot) */
    AIB__SC_IN_SET   /* action in [uids] */
} aib__scope_op_t;

typedef struct aib__scope {
    uint8_t op;             /* aib__scope_op_t */
    uint8_t slot;           /* 1 when the uid is a template slot (?principal / ?resource) */
    aib_str_t type;         /* for IS / IS_IN */
    const aib__uid_t *uid;  /* for EQ / IN / IS_IN when not a slot */
    size_t n_uids;          /* for IN_SET */
    const aib__uid_t **uids;
    aib__loc_t loc;
} aib__scope_t;

typedef struct aib__annotation {
    aib_str_t key;
    aib_str_t value; /* NUL-terminated in the arena; empty when written without a value */
} aib__annotation_t;

typedef struct aib__cond {
    uint8_t is_when; /* 1 when, 0 unless */
    aib__expr_t *expr;
    aib__loc_t loc;
} aib__cond_t;

typedef struct aib__policy aib__policy_t;
struct aib__policy {
    aib_str_t id;           /* NUL-terminated */
    uint8_t permit;         /* 1 permit, 0 forbid */
    uint8_t is_template;    /* has slots; not evaluated unless linked */
    size_t n_annotations;
    aib__annotation_t *annotations; /* in written order; keys unique */
    aib__scope_t principal, action, resource;
    size_t n_conds;
    aib__cond_t *conds;     /* when/unless clauses in written order */
    /* Linked policies: the template and the slot values. */
    const aib__policy_t *tmpl;
    const aib__uid_t *slot_principal;
    const aib__uid_t *slot_resource;
    aib__loc_t loc;
    uint32_t index;         /* position in the policy set */
};

/* Parser entry: parses all policies of text into ps (appending, ids assigned positionally from
 * the current count). Allocates from ps->arena. */
int aib__parse_policies(aib_cedar_policyset_t *ps, const char *text, size_t len, const char *filename,
                        aib_diag_t *diag);
/* Parses a single entity uid in Cedar syntax (`A::B::"id"`) into arena (used for slots and CLI). */
int aib__parse_uid(const char *text, size_t len, aib_arena_t *arena, aib__uid_t **out, aib_diag_t *diag);
/* Appends a policy (or an expression) as Cedar text, for debugging and round-trip tests. */
int aib__policy_format(const aib__policy_t *p, aib_buf_t *out);
int aib__expr_format(const aib__expr_t *e, aib_buf_t *out);

/* Scope index (index.c): maps a request to the candidate policies that can apply, so a request
 * only evaluates those. Built whenever the policy set changes. */
typedef struct aib__index aib__index_t;
/* Frees an index (NULL is fine). aib_cedar_policyset_free calls it when ps->index is set. */
void aib__index_free(aib__index_t *ix);
/* (Re)builds ps->index from ps->policies (freeing the old one) and clears index_dirty.
 * 0 or AIB_ENOMEM (ps->index is then NULL and authorization evaluates every policy). */
int aib__index_build(aib_cedar_policyset_t *ps);

struct aib_cedar_policyset {
    aib_arena_t *arena;
    size_t n, cap;
    aib__policy_t **policies; /* by index; templates included */
    aib__index_t *index;      /* NULL until built; rebuilt lazily after a change */
    bool index_dirty;
};

/* ---- Entity store ------------------------------------------------------------------------- */

typedef struct aib__entity {
    const aib__uid_t *uid;
    const aib__record_t *attrs;  /* never NULL (empty record) */
    const aib__record_t *tags;   /* never NULL (empty record) */
    size_t n_parents;
    const aib__uid_t **parents;  /* direct parents as written */
    size_t n_ancestors;
    uint32_t *ancestors;         /* transitive closure, as sorted uid-table indices */
} aib__entity_t;

/* Slot of the entity store's uid hash table. The uid's hash sits next to its index so a probe
 * only dereferences the uid (and compares strings) when the hashes agree. */
typedef struct aib__uid_slot {
    uint64_t hash;
    uint32_t idx;                /* uid index + 1, 0 = empty */
} aib__uid_slot_t;

struct aib_cedar_entities {
    aib_arena_t *arena;
    /* uid table: every uid named in the store (entities and parents), dense indices */
    size_t n_uids;
    const aib__uid_t **uids;
    aib__entity_t **by_uid;      /* entity for uid index, NULL when only referenced */
    aib__uid_slot_t *slots;      /* open addressing, linear probing */
    size_t n_slots;              /* power of two */
    size_t n_entities;
};

/* True when uid-table index ix is one of e's ancestors (binary search of the sorted closure). */
static inline bool aib__entity_has_ancestor(const aib__entity_t *e, uint32_t ix)
{
    size_t lo = 0, hi = e->n_ancestors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->ancestors[mid] == ix)
            return true;
        if (e->ancestors[mid] < ix)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Index of uid in the store's uid table, or -1. */
long aib__entities_uid_index(const aib_cedar_entities_t *es, const aib__uid_t *uid);
/* The entity with this uid, NULL when not present. es may be NULL. */
const aib__entity_t *aib__entities_find(const aib_cedar_entities_t *es, const aib__uid_t *uid);
/* Cedar's `a in b` on entities: a == b, or b is an ancestor of a. es may be NULL. */
bool aib__entities_in(const aib_cedar_entities_t *es, const aib__uid_t *a, const aib__uid_t *b);

/* ---- Schema model ------------------------------------------------------------------------- */

typedef enum {
    AIB__T_BOOL = 0, AIB__T_LONG, AIB__T_STRING, AIB__T_ENTITY, AIB__T_SET, AIB__T_RECORD,
    AIB__T_EXT
} aib__tkind_t;

typedef struct aib__type aib__type_t;

typedef struct aib__attr_type {
    aib_str_t name;
    const aib__type_t *type;
    uint8_t required;
    size_t n_annotations;
    aib__annotation_t *annotations;
} aib__attr_type_t;

struct aib__type {
    uint8_t kind;               /* aib__tkind_t */
    aib_str_t name;             /* ENTITY: fully qualified type; EXT: "ipaddr", "decimal",
                                   "datetime" or "duration" */
    const aib__type_t *elem;    /* SET */
    size_t n_attrs;             /* RECORD: sorted by name */
    aib__attr_type_t *attrs;
    uint8_t open;               /* RECORD: additional attributes allowed (JSON schema option) */
};

typedef struct aib__entity_type {
    aib_str_t name;                 /* fully qualified */
    size_t n_member_of;
    aib_str_t *member_of;           /* fully qualified parent types */
    const aib__type_t *attrs;       /* RECORD type (empty record when none) */
    const aib__type_t *tags;        /* NULL when the type has no tags */
    size_t n_enum;                  /* > 0 for enumerated entity types */
    aib_str_t *enum_ids;
    size_t n_annotations;
    aib__annotation_t *annotations;
    aib__loc_t loc;
} aib__entity_type_t;

typedef struct aib__action {
    const aib__uid_t *uid;          /* NS::Action::"name" */
    size_t n_member_of;
    const aib__uid_t **member_of;   /* direct parents (action groups) */
    bool has_applies_to;            /* false: applies to nothing */
    size_t n_principals;
    aib_str_t *principals;          /* fully qualified entity types */
    size_t n_resources;
    aib_str_t *resources;
    const aib__type_t *context;     /* RECORD type */
    size_t n_annotations;
    aib__annotation_t *annotations;
    aib__loc_t loc;
} aib__action_t;

typedef struct aib__common_type {
    aib_str_t name;                 /* fully qualified */
    const aib__type_t *type;
} aib__common_type_t;

struct aib_cedar_schema {
    aib_arena_t *arena;
    size_t n_entity_types;
    aib__entity_type_t *entity_types; /* sorted by name */
    size_t n_actions;
    aib__action_t *actions;           /* in declaration order */
    size_t n_common_types;
    aib__common_type_t *common_types;
};

const aib__entity_type_t *aib__schema_entity_type(const aib_cedar_schema_t *s, aib_str_t name);
const aib__action_t *aib__schema_action(const aib_cedar_schema_t *s, const aib__uid_t *uid);
/* Appends a type as .cedarschema text, for messages. */
int aib__type_format(const aib__type_t *t, aib_buf_t *out);

/* ---- JSON values (json.c) ------------------------------------------------------------------ */

struct json_t; /* jansson */
/* Converts a JSON value (Cedar's JSON value form) into a value in arena. With type non-NULL the
 * conversion is directed by it (implicit entity / extension forms accepted, type checked).
 * path names the place for messages, e.g. "entity User::\"a\", attribute `age`". */
int aib__json_to_value(const struct json_t *j, const aib__type_t *type, const aib_cedar_schema_t *schema,
                       aib_arena_t *arena, const char *path, int depth, aib__value_t *out, aib_diag_t *diag);
/* Parses {"type":T,"id":I}, {"__entity":{...}} or the string form `T::"id"`. */
int aib__json_to_uid(const struct json_t *j, aib_arena_t *arena, const char *path, aib__uid_t **out,
                     aib_diag_t *diag);

/* ---- Requests and evaluation ------------------------------------------------------------- */

typedef struct aib__request aib__request_t;
struct aib__request {
    const aib__uid_t *principal;
    const aib__uid_t *action;
    const aib__uid_t *resource;
    aib__value_t context;  /* a record */
};

/* Evaluates one (static or linked) policy's condition for req: 1 satisfied, 0 not,
 * AIB_EEVAL with a message in err on an evaluation error, AIB_ENOMEM. */
int aib__eval_policy(const aib__policy_t *p, const aib_cedar_entities_t *es, const aib__request_t *req,
                     aib_arena_t *arena, char *err, size_t cap);
/* Evaluates an expression (used by tests and tools). */
int aib__eval_expr(const aib__expr_t *e, const aib__policy_t *p, const aib_cedar_entities_t *es,
                   const aib__request_t *req, aib_arena_t *arena, aib__value_t *out, char *err, size_t cap);

#endif
