/* cedar.h — the Cedar 4.x policy engine: parse policies, schemas and entities once, then answer
 * authorization requests with Cedar's exact semantics (forbid overrides permit, default deny,
 * erroring policies skipped and reported). Every aib decision goes through this API.
 *
 * Ownership: each *_parse function returns a new object the caller frees with its *_free.
 * Strings in a response point into the policy set (ids) or into the arena passed to
 * aib_cedar_authorize (error messages); they live until that arena is reset or freed. */
#ifndef AIB_CEDAR_H
#define AIB_CEDAR_H

#include "aib/common.h"
#include "aib/arena.h"

typedef struct aib_cedar_policyset aib_cedar_policyset_t;
typedef struct aib_cedar_schema aib_cedar_schema_t;
typedef struct aib_cedar_entities aib_cedar_entities_t;
typedef struct aib__request aib_cedar_request_t;

/* Limits that keep hostile input from exhausting the stack or memory. */
#define AIB_CEDAR_MAX_DEPTH 200          /* expression / JSON / type nesting */
#define AIB_CEDAR_MAX_TEXT (64u << 20)   /* bytes of one policy, schema or entity text */

/* ---- Policies ---------------------------------------------------------------------------- */

/* Parses Cedar policy text (static policies and templates). Policies get positional ids
 * "policy0", "policy1", ... in text order, as the reference assigns them; @id(...) is just an
 * annotation. filename is used in diagnostics only (may be NULL). On error *out is NULL and diag
 * holds file:line:col and what was expected. */
int aib_cedar_policyset_parse(const char *text, size_t len, const char *filename,
                              aib_cedar_policyset_t **out, aib_diag_t *diag);
void aib_cedar_policyset_free(aib_cedar_policyset_t *ps);

/* Links template template_id into a new static policy new_id. principal_slot / resource_slot
 * are entity uids in Cedar syntax (e.g. `User::"alice"`), NULL where the template has no such slot. */
int aib_cedar_policyset_link(aib_cedar_policyset_t *ps, const char *template_id, const char *new_id,
                             const char *principal_slot, const char *resource_slot, aib_diag_t *diag);

/* Number of policies and templates, and the i-th one's id (owned by ps). */
size_t aib_cedar_policyset_size(const aib_cedar_policyset_t *ps);
const char *aib_cedar_policyset_id(const aib_cedar_policyset_t *ps, size_t i);
/* Annotation value of policy `policy_id` (NUL-terminated, owned by ps), NULL when absent.
 * An annotation written without a value (`@foo`) has the empty string as value. */
const char *aib_cedar_policy_annotation(const aib_cedar_policyset_t *ps, const char *policy_id,
                                        const char *key);
/* Annotations of policy `policy_id` in written order, for listing them all (a linked policy has
 * its template's). _count is 0 when there is no such policy. _at fills *key and *value for
 * i < count: byte strings owned by ps, each NUL-terminated after .len bytes (a value may hold NUL
 * bytes, so use .len). Returns 0, AIB_ENOTFOUND (no such policy) or AIB_EINVAL (i out of range). */
size_t aib_cedar_policy_annotation_count(const aib_cedar_policyset_t *ps, const char *policy_id);
int aib_cedar_policy_annotation_at(const aib_cedar_policyset_t *ps, const char *policy_id, size_t i,
                                   aib_str_t *key, aib_str_t *value);
/* 1 when policy_id is a permit, 0 when a forbid, AIB_ENOTFOUND when no such policy. */
int aib_cedar_policy_is_permit(const aib_cedar_policyset_t *ps, const char *policy_id);

/* ---- Schema ------------------------------------------------------------------------------ */

/* Parses a schema in the human-readable .cedarschema syntax (is_json false) or the JSON form. */
int aib_cedar_schema_parse(const char *text, size_t len, bool is_json, const char *filename,
                           aib_cedar_schema_t **out, aib_diag_t *diag);
void aib_cedar_schema_free(aib_cedar_schema_t *s);

/* ---- Entities ---------------------------------------------------------------------------- */

/* Parses the entities JSON array (uid/attrs/parents/tags; __entity and __extn escapes). With a
 * schema, attribute values are typed by it (escapes may be omitted where the type says what a
 * value is), entities are checked against it and the schema's action entities are added.
 * The ancestor closure is computed here, once. schema may be NULL. */
int aib_cedar_entities_parse(const char *json, size_t len, const char *filename,
                             const aib_cedar_schema_t *schema, aib_cedar_entities_t **out,
                             aib_diag_t *diag);
void aib_cedar_entities_free(aib_cedar_entities_t *e);
size_t aib_cedar_entities_count(const aib_cedar_entities_t *e);

/* ---- Requests ---------------------------------------------------------------------------- */

/* Parses one request object {"principal":{"type","id"}|"T::\"id\"", "action":..., "resource":...,
 * "context":{...}} (extra keys such as "description", "decision" are ignored). With a schema the
 * context is typed by the action's context type; with validate true the request is also
 * checked against the schema (principal/resource types the action applies to, context type).
 * The request and everything it points to are allocated in arena. */
int aib_cedar_request_parse(const char *json, size_t len, const aib_cedar_schema_t *schema,
                            bool validate, aib_arena_t *arena, aib_cedar_request_t **out,
                            aib_diag_t *diag);

/* ---- Authorization ----------------------------------------------------------------------- */

typedef enum { AIB_CEDAR_DENY = 0, AIB_CEDAR_ALLOW = 1 } aib_cedar_decision_t;

typedef struct aib_cedar_policy_error {
    const char *policy_id; /* owned by the policy set */
    const char *message;   /* in the request arena */
} aib_cedar_policy_error_t;

typedef struct aib_cedar_response {
    aib_cedar_decision_t decision;
    size_t n_reason;
    const char **reason; /* determining policy ids, in policy-set order */
    size_t n_errors;
    aib_cedar_policy_error_t *errors; /* erroring policies, in policy-set order */
} aib_cedar_response_t;

/* Evaluates the request against every policy that can apply (scope index) and fills out.
 * All temporary data comes from arena; the caller resets it between requests. entities may be
 * NULL (no entities). Returns 0, or AIB_ENOMEM. */
int aib_cedar_authorize(const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *entities,
                        const aib_cedar_request_t *req, aib_arena_t *arena,
                        aib_cedar_response_t *out);

/* Appends the response as {"decision":"allow"|"deny","reason":[...],"errors":[{"policy":..,"message":..}]}. */
int aib_cedar_response_json(const aib_cedar_response_t *r, aib_buf_t *out);

/* ---- Validation (strict-mode type checking against a schema) ------------------------------ */

typedef struct aib_cedar_validation_error {
    const char *policy_id; /* owned by the policy set */
    int line, col;         /* of the offending construct in the policy text; 0 when unknown */
    const char *message;   /* plain words, in the arena passed to aib_cedar_validate */
} aib_cedar_validation_error_t;

typedef struct aib_cedar_validation {
    size_t n_errors;
    aib_cedar_validation_error_t *errors; /* in policy-set order */
} aib_cedar_validation_t;

/* Type-checks every static policy and template of ps against schema as the reference validator
 * does in strict mode. out->n_errors == 0 means the policies validate. Returns 0 or AIB_ENOMEM. */
int aib_cedar_validate(const aib_cedar_policyset_t *ps, const aib_cedar_schema_t *schema,
                       aib_arena_t *arena, aib_cedar_validation_t *out);

#endif
