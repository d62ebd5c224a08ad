/* validate_int.h — private interface of the Cedar validator (validate*.c): the validator's type
 * model (singleton booleans, entity types, action entities, records with optional attributes),
 * capability sets, the per-environment checker state and the error sink.
 *
 * Memory: types, capabilities and synthetic expressions live in arenas owned by the running
 * validation (vctx_t.perm for the whole run, vctx_t.tmp reset per request environment);
 * messages live in the caller's arena. */
#ifndef AIB_VALIDATE_INT_H
#define AIB_VALIDATE_INT_H

#include "cedar/cedar_int.h"

/* ---- Types ------------------------------------------------------------------------------ */

typedef enum {
    VT_NEVER = 0, /* bottom: subtype of everything */
    VT_TRUE,      /* singleton booleans */
    VT_FALSE,
    VT_BOOL,
    VT_LONG,
    VT_STRING,
    VT_SET,        /* elem; NULL only in expected types ("any set") */
    VT_RECORD,     /* attrs sorted by name, open flag */
    VT_ENTITY,     /* name: one entity type (strict mode never forms unions) */
    VT_ANY_ENTITY, /* any entity (expected types, unbound slots) */
    VT_ACTION,     /* an action entity; name = its entity type, e.g. "NS::Action" */
    VT_EXT         /* name: "decimal", "ipaddr", "datetime", "duration" */
} vkind_t;

typedef struct vty vty_t;

typedef struct vattr {
    aib_str_t name;
    const vty_t *type;
    bool required;
} vattr_t;

struct vty {
    uint8_t kind;
    uint8_t open;       /* RECORD: other attributes may exist */
    aib_str_t name;     /* ENTITY, ACTION, EXT */
    const vty_t *elem;  /* SET */
    size_t n;           /* RECORD */
    const vattr_t *attrs;
};

/* Why a least upper bound does not exist (for messages). */
typedef enum { LUB_OK = 0, LUB_NONE, LUB_ENTITY, LUB_RECORD_WIDTH, LUB_QUALIFIER, LUB_ENTITY_RECORD } lubhint_t;

/* ---- Capabilities: (expression, attribute or tag) pairs known to exist ------------------- */

enum { CAP_ATTR = 0, CAP_TAG = 1 };

typedef struct vcap {
    uint8_t kind;
    const aib__expr_t *on;
    aib_str_t attr;          /* CAP_ATTR */
    const aib__expr_t *tag;  /* CAP_TAG */
} vcap_t;

typedef struct vcaps {
    size_t n;
    const vcap_t *items;
} vcaps_t;

/* ---- Checker state ----------------------------------------------------------------------- */

typedef struct verr {
    int line, col;
    const char *message; /* in the output arena */
} verr_t;

/* Memo entry mapping a schema type to its validator type. */
typedef struct vmemo {
    const aib__type_t *key;
    const vty_t *val;
} vmemo_t;

typedef struct vctx {
    const aib_cedar_schema_t *schema;
    aib_arena_t *perm;  /* whole validation run */
    aib_arena_t *tmp;   /* one request environment */
    aib_arena_t *out;   /* messages */
    bool oom;

    /* entity type hierarchy: desc[i * n + j] = type j is a (transitive) descendant of type i */
    size_t n_types;
    uint8_t *type_desc;
    /* action hierarchy: act_desc[i * n + j] = action j is a (transitive) descendant of action i */
    size_t n_actions;
    uint8_t *act_desc;

    vmemo_t *memo;      /* open addressing, power-of-two size */
    size_t memo_cap, memo_n;

    /* current policy and request environment */
    const aib__policy_t *policy;
    const aib__action_t *env_action;
    aib_str_t env_principal, env_resource;
    bool has_pslot, has_rslot;   /* slot bound to a type in this environment */
    aib_str_t env_pslot, env_rslot;

    /* errors of the current policy (deduplicated across environments) */
    verr_t *errs;
    size_t n_errs, cap_errs;
} vctx_t;

/* ---- validate_types.c -------------------------------------------------------------------- */

extern const vty_t aib__vt_never, aib__vt_true, aib__vt_false, aib__vt_bool, aib__vt_long,
    aib__vt_string, aib__vt_any_set, aib__vt_any_entity, aib__vt_any_record;

const vty_t *aib__vt_singleton(bool b);
const vty_t *aib__vt_entity(vctx_t *c, aib_str_t name);
const vty_t *aib__vt_action(vctx_t *c, aib_str_t action_type);
const vty_t *aib__vt_ext(vctx_t *c, const char *name);
const vty_t *aib__vt_set(vctx_t *c, const vty_t *elem);
/* Validator type of a schema type (memoized); NULL on ENOMEM. */
const vty_t *aib__vt_from_schema(vctx_t *c, const aib__type_t *t);
/* Type of an entity literal: NULL when its type (or the action) is not in the schema. */
const vty_t *aib__vt_euid(vctx_t *c, const aib__uid_t *uid);

bool aib__vt_eq(const vty_t *a, const vty_t *b);
/* Subtyping; strict false gives the permissive relation (width subtyping, entity <: any entity),
 * which the checker uses to test an operand against an expected type. */
bool aib__vt_subtype(vctx_t *c, const vty_t *a, const vty_t *b, bool strict);
/* Strict least upper bound; NULL with *hint set when none exists (or on ENOMEM, c->oom). */
const vty_t *aib__vt_lub(vctx_t *c, const vty_t *a, const vty_t *b, lubhint_t *hint);
/* Entity types share no value (the only disjointness the reference relies on). */
bool aib__vt_disjoint(const vty_t *a, const vty_t *b);

/* Attribute of an entity or record type: the declared attribute, or NULL when not declared. */
const vattr_t *aib__vt_attr(vctx_t *c, const vty_t *t, aib_str_t name);
/* May a value of type t have attribute name (open records, declared attributes)? */
bool aib__vt_may_have_attr(vctx_t *c, const vty_t *t, aib_str_t name);
/* Entity type in schema; NULL when unknown. */
const aib__entity_type_t *aib__vt_schema_etype(vctx_t *c, aib_str_t name);
/* Index of an entity type in schema->entity_types, or -1. */
long aib__vt_etype_index(vctx_t *c, aib_str_t name);
/* Index of an action in schema->actions, or -1. */
long aib__vt_action_index(vctx_t *c, const aib__uid_t *uid);
/* `d in a` can hold for entity types: d == a or d is a descendant of a in the schema. */
bool aib__vt_type_in(vctx_t *c, aib_str_t d, aib_str_t a);

/* Appends a type as Cedar's messages write it. */
void aib__vt_format(const vty_t *t, aib_buf_t *b);

/* ---- validate_expr.c --------------------------------------------------------------------- */

bool aib__vexpr_eq(const aib__expr_t *a, const aib__expr_t *b);
/* Type-checks a policy condition in the current environment; errors go to c->errs. */
void aib__vcheck_condition(vctx_t *c, const aib__expr_t *cond);

/* ---- validate.c -------------------------------------------------------------------------- */

/* Records an error of the current policy at loc (deduplicated). */
void aib__verror(vctx_t *c, const aib__loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
