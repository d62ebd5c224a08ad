/* schema_int.h — the schema parsers' shared intermediate form. schema_text.c (.cedarschema
 * syntax) and schema_json.c (JSON form) both produce this unresolved form, with type names as
 * written; schema.c then resolves every name, inlines common types and builds the model of
 * cedar_int.h. Everything here lives in the schema's arena. */
#ifndef AIB_SCHEMA_INT_H
#define AIB_SCHEMA_INT_H

#include "cedar/cedar_int.h"

/* Kinds of unresolved types. */
enum {
    AIB__RT_BOOL = 0, AIB__RT_LONG, AIB__RT_STRING, /* JSON primitives (not shadowable) */
    AIB__RT_EXT,    /* JSON {"type":"Extension","name":N} */
    AIB__RT_SET,
    AIB__RT_RECORD,
    AIB__RT_REF     /* a name to resolve; ref says what it may name */
};

/* What a name may refer to (the reference's common-first lookup applies to EITHER). */
enum { AIB__REF_COMMON = 1, AIB__REF_ENTITY = 2, AIB__REF_EITHER = 3 };

typedef struct aib__rtype aib__rtype_t;

typedef struct aib__rattr {
    aib_str_t name;
    aib__rtype_t *type;
    uint8_t required;
    size_t n_annotations;
    aib__annotation_t *annotations;
} aib__rattr_t;

struct aib__rtype {
    uint8_t kind;      /* AIB__RT_* */
    uint8_t ref;       /* RT_REF: AIB__REF_* */
    uint8_t open;      /* RT_RECORD: additionalAttributes */
    aib_str_t name;    /* RT_REF: the name as written; RT_EXT: extension name */
    aib__rtype_t *elem;           /* RT_SET */
    size_t n_attrs;               /* RT_RECORD, as written (later duplicates win) */
    aib__rattr_t *attrs;
    aib__loc_t loc;
};

typedef struct aib__rentity {
    aib_str_t name;               /* basename as declared */
    size_t n_parents;
    aib_str_t *parents;           /* as written */
    aib__rtype_t *shape;          /* NULL: empty record */
    aib__rtype_t *tags;           /* NULL: no tags */
    uint8_t is_enum;
    size_t n_enum;
    aib_str_t *enum_ids;
    size_t n_annotations;
    aib__annotation_t *annotations;
    aib__loc_t loc;
} aib__rentity_t;

typedef struct aib__ractref {
    uint8_t has_type;             /* 0: type defaults to the namespace's Action */
    aib_str_t type;               /* as written */
    aib_str_t id;
} aib__ractref_t;

typedef struct aib__raction {
    aib_str_t name;
    size_t n_parents;
    aib__ractref_t *parents;
    uint8_t has_applies_to;
    size_t n_principals;
    aib_str_t *principals;        /* as written */
    size_t n_resources;
    aib_str_t *resources;
    aib__rtype_t *context;        /* NULL: empty record */
    size_t n_annotations;
    aib__annotation_t *annotations;
    aib__loc_t loc;
} aib__raction_t;

typedef struct aib__rcommon {
    aib_str_t name;               /* basename as declared */
    aib__rtype_t *type;
    aib__loc_t loc;
} aib__rcommon_t;

typedef struct aib__rns {
    aib_str_t name;               /* "" for the empty namespace */
    size_t n_entities, cap_entities;
    aib__rentity_t *entities;
    size_t n_actions, cap_actions;
    aib__raction_t *actions;
    size_t n_commons, cap_commons;
    aib__rcommon_t *commons;
    size_t n_annotations;
    aib__annotation_t *annotations;
    aib__loc_t loc;
} aib__rns_t;

typedef struct aib__rschema {
    aib_arena_t *arena;           /* the schema's arena */
    const char *file;             /* for diagnostics; may be NULL */
    size_t n_ns, cap_ns;
    aib__rns_t **ns;
} aib__rschema_t;

/* Front ends: fill rs from text (rs->arena and rs->file set by the caller). */
int aib__schema_text_parse(aib__rschema_t *rs, const char *text, size_t len, aib_diag_t *diag);
int aib__schema_json_parse(aib__rschema_t *rs, const char *text, size_t len, aib_diag_t *diag);

/* Helpers shared by the front ends. */
/* Grows *arr (element size sz) in the arena so that one more element fits; 0 or AIB_ENOMEM. */
int aib__schema_grow(aib_arena_t *a, void **arr, size_t *cap, size_t n, size_t sz);
/* The namespace named name, created (in text order) when absent. */
aib__rns_t *aib__schema_ns(aib__rschema_t *rs, aib_str_t name, bool *created);
/* True for identifiers the reference reserves: true false if then else in is like has. */
bool aib__schema_reserved_ident(aib_str_t s);
/* True when s is a valid Cedar identifier ([_a-zA-Z][_a-zA-Z0-9]*, not reserved). */
bool aib__schema_valid_ident(aib_str_t s);
/* True when s is IDENT{::IDENT} with valid identifiers. */
bool aib__schema_valid_path(aib_str_t s);

#endif
