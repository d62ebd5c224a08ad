/* json_int.h — private helpers shared by the JSON loaders (json.c, entities.c, request.c):
 * loading text with jansson, entity uids in reference positions, and the schema checks that
 * entities and requests both apply (value conformance, enumerated entity ids).
 * Nothing here is used outside those three files and their tests. */
#ifndef AIB_JSON_INT_H
#define AIB_JSON_INT_H

#include <jansson.h>
#include "cedar/cedar_int.h"

/* Parses text (duplicate object keys rejected, NUL allowed in strings). Returns the root or
 * NULL; on NULL *rc is AIB_EPARSE (diag: file:line:col and jansson's reason), AIB_ELIMIT or
 * AIB_ENOMEM. The caller json_decref()s the result.
 * jansson cannot hold NUL in object keys, so when the text has `\u0000` escapes (or U+FDD0)
 * inside strings they are re-encoded before parsing: NUL -> U+FDD0 '0', U+FDD0 -> U+FDD0 '1'.
 * Strings and keys of the tree must therefore be read with aib__json_str / aib__json_getn. */
json_t *aib__json_load(const char *text, size_t len, const char *file, aib_diag_t *diag, int *rc);
/* Decoded copy (in arena) of a string or key of a tree from aib__json_load. */
int aib__json_str(aib_arena_t *arena, const char *s, size_t n, aib_str_t *out);
/* Member of obj named key (raw bytes, may hold NUL), or NULL. */
const json_t *aib__json_getn(const json_t *obj, aib_str_t key);

/* True when s is a normalized Cedar name: identifiers joined by `::`, no reserved words
 * (true false if then else in is like has), no `__cedar` component. */
bool aib__json_valid_name(const char *s, size_t n);

/* Entity uid in a reference position, with the reference's forms: {"type","id"},
 * {"__entity":{...}}, the two-element array [type, id]; with allow_string also `T::"id"`.
 * path names the place for messages. */
int aib__json_uid(const json_t *j, bool allow_string, aib_arena_t *arena, const char *path,
                  aib__uid_t **out, aib_diag_t *diag);

/* Does v have type t in the reference's sense (records: required attributes present, present
 * attributes consistent; sets: every element)? On false, *why (cap bytes) says what differs. */
bool aib__json_conforms(const aib__value_t *v, const aib__type_t *t, char *why, size_t cap);

/* Checks that u (or every entity uid inside v) names a valid id when its type is an
 * enumerated entity type of s. AIB_ESCHEMA with the reason in why on failure. */
int aib__json_check_enum_uid(const aib_cedar_schema_t *s, const aib__uid_t *u, char *why, size_t cap);
int aib__json_check_enum_value(const aib_cedar_schema_t *s, const aib__value_t *v, char *why,
                               size_t cap);

/* Writes u in Cedar syntax into dst (always terminated, truncated to cap). */
void aib__json_uid_str(const aib__uid_t *u, char *dst, size_t cap);
/* Writes a short name of t ("long", "`User`", "set of string", "record", "ipaddr"). */
void aib__json_type_str(const aib__type_t *t, char *dst, size_t cap);
/* Writes a short name of the kind of v ("long", "entity of type `User`", ...). */
void aib__json_value_kind_str(const aib__value_t *v, char *dst, size_t cap);

/* An empty record allocated in arena (NULL on ENOMEM). */
aib__record_t *aib__json_empty_record(aib_arena_t *arena);

#endif
