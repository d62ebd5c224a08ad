/* json_fast_int.h — the allocation-free JSON reader (json_fast.c) and the fast conversions built
 * on it (json_fast_conv.c): request lines and entity files are read into a small DOM in the
 * caller's arena and turned into engine values without jansson or malloc. The fast conversions
 * cover the common forms only; for anything else they answer AIB__JF_FALLBACK and the caller
 * runs the general jansson path (json.c), which decides and reports exactly as before.
 * Nothing here is used outside the Cedar JSON loaders and their tests. */
#ifndef AIB_JSON_FAST_INT_H
#define AIB_JSON_FAST_INT_H

#include "cedar/cedar_int.h"

/* Nesting limit of the reader (arrays and objects); deeper text is AIB_ELIMIT. Deeper than any
 * value the conversions accept (AIB_CEDAR_MAX_DEPTH), so the limit never changes an answer. */
#define AIB__JF_MAX_DEPTH (AIB_CEDAR_MAX_DEPTH + 16)

/* Returned by the fast conversions: "not decided here, use the general path". Positive, so it
 * never collides with an AIB_E* code. */
#define AIB__JF_FALLBACK 1

typedef enum {
    AIB__JF_NULL = 0,
    AIB__JF_FALSE,
    AIB__JF_TRUE,
    AIB__JF_INT,    /* u.i: a JSON integer (no fraction, no exponent) within int64 */
    AIB__JF_REAL,   /* u.s: the number's text (a fraction or an exponent) */
    AIB__JF_STRING, /* u.s: decoded UTF-8 (may hold NUL), NUL-terminated in the arena */
    AIB__JF_ARRAY,  /* n items in u.items */
    AIB__JF_OBJECT  /* n members in u.members, in text order, keys unique */
} aib__jf_kind_t;

typedef struct aib__jf_member aib__jf_member_t;

typedef struct aib__jf {
    uint8_t kind; /* aib__jf_kind_t */
    uint32_t n;
    union {
        int64_t i;
        aib_str_t s;
        struct aib__jf *items;
        aib__jf_member_t *members;
    } u;
} aib__jf_t;

struct aib__jf_member {
    aib_str_t key; /* decoded, NUL-terminated in the arena */
    aib__jf_t val;
};

/* Parses one strict JSON text (RFC 8259: any value at the top, surrounded by optional
 * whitespace) into a DOM allocated from arena; *out points into the arena.
 * Strings: all escapes incl. \u surrogate pairs and \u0000; raw bytes must be valid UTF-8
 * (no overlong forms, no surrogates, at most U+10FFFF); control characters must be escaped.
 * Numbers: integers must fit int64 (else AIB_EPARSE "integer out of range"); fractions and
 * exponents are kept as text (AIB__JF_REAL). Duplicate object keys are AIB_EPARSE.
 * Errors: AIB_EPARSE (diag: line and column, 1-based, column in characters), AIB_ELIMIT
 * (nesting deeper than AIB__JF_MAX_DEPTH, or more than AIB_CEDAR_MAX_TEXT bytes), AIB_ENOMEM.
 * diag->file is left empty; the caller names the file. Uses no malloc: only arena. */
int aib__jf_parse(const char *text, size_t len, aib_arena_t *arena, const aib__jf_t **out,
                  aib_diag_t *diag);

/* Member of object o named key (NUL-free C string), or NULL. */
const aib__jf_t *aib__jf_get(const aib__jf_t *o, const char *key);
const aib__jf_t *aib__jf_getn(const aib__jf_t *o, aib_str_t key);

/* ---- Fast conversions (json_fast_conv.c) ---------------------------------------------------- */

/* Value of j under type t (NULL: untyped), as aib__json_to_value would produce it. Returns 0,
 * AIB_ENOMEM, or AIB__JF_FALLBACK when the general path must decide (escapes other than a plain
 * `__entity`, floats, nulls, type mismatches, missing or unexpected attributes, ...).
 * depth as in aib__json_to_value. Values live in arena. */
int aib__jf_value(const aib__jf_t *j, const aib__type_t *t, aib_arena_t *arena, int depth,
                  aib__value_t *out);

/* Entity uid in a reference position (aib__json_uid without the string form): 0, AIB_ENOMEM or
 * AIB__JF_FALLBACK. */
int aib__jf_uid(const aib__jf_t *j, aib_arena_t *arena, aib__uid_t **out);

/* A whole request (principal, action, resource, context; context typed by the schema's action
 * when schema names it). Validation against the schema is left to the caller. 0 (with *out),
 * AIB_ENOMEM, or AIB__JF_FALLBACK for anything the general path must handle, including every
 * malformed request. */
int aib__jf_request(const char *json, size_t len, const aib_cedar_schema_t *schema,
                    aib_arena_t *arena, aib__request_t **out);

/* A whole entities file (entities_fast.c): 0 with the converted, schema-checked entities in
 * text order (*ents_out, *acts_out all false: malloc'd, the caller frees both) living in a new
 * arena *arena_out that the caller owns (it becomes the store's arena); AIB_ENOMEM; or
 * AIB__JF_FALLBACK (nothing to free) when the general path must decide: malformed text,
 * action entities, any form or schema mismatch entities.c would report. */
int aib__jf_entities(const char *json, size_t len, const aib_cedar_schema_t *schema,
                     aib_arena_t **arena_out, aib__entity_t ***ents_out, bool **acts_out,
                     size_t *n_out);

/* request.c's jansson path, which the fast path falls back to (and the differential fuzz
 * target compares with it). Same contract as aib_cedar_request_parse. */
int aib__request_parse_general(const char *json, size_t len, const aib_cedar_schema_t *schema,
                               bool validate_req, aib_arena_t *arena, aib__request_t **out,
                               aib_diag_t *diag);

#endif
