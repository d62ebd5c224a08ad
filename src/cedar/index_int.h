/* index_int.h — private interface between the scope index (index.c) and the authorizer
 * (authorize.c): the candidate set of a request as a bitmap over policy-set positions. */
#ifndef AIB_CEDAR_INDEX_INT_H
#define AIB_CEDAR_INDEX_INT_H

#include "cedar/cedar_int.h"

/* Fills *bits (nwords 64-bit words from arena, bit i = ps->policies[i]) with every non-template
 * policy whose scope may match req: a superset of the policies whose scope matches, so the
 * caller still evaluates each candidate's scope. ps->index must be built and current. ents holds
 * the store entities of the request's principal, action and resource (NULL when absent).
 * Returns 0 or AIB_ENOMEM. */
int aib__index_candidates(const aib__index_t *ix, const aib_cedar_entities_t *es, const aib__request_t *req,
                          const aib__entity_t *const ents[3], aib_arena_t *arena, uint64_t **bits,
                          size_t *nwords);

/* Number of policies the index was built for (ps->n at build time). */
size_t aib__index_size(const aib__index_t *ix);
/* The current index of ps (owned by ps), built first when missing or stale (safe when several
 * threads authorize on a new policy set at once); NULL when it cannot be built (out of memory). */
const aib__index_t *aib__index_get(const aib_cedar_policyset_t *ps);
/* False when a candidate's scope is known to hold (the probe was exact for all three
 * constraints), true when the evaluator must still check it. */
bool aib__index_recheck(const aib__index_t *ix, size_t i);

/* Per-request memo of entity-store lookups shared by every policy of one request: the
 * request's principal, action and resource (found once), plus a few other uids met while
 * evaluating (e.g. an entity held in the context), keyed by pointer. */
#define AIB__ECACHE_N 8
typedef struct aib__ecache {
    const aib__entity_t *ents[3]; /* principal, action, resource; NULL when not in the store */
    const aib__uid_t *keys[AIB__ECACHE_N];
    const aib__entity_t *vals[AIB__ECACHE_N];
    unsigned next;
} aib__ecache_t;

/* Fills the fixed part of the cache for req and empties the rest. */
void aib__ecache_init(aib__ecache_t *c, const aib_cedar_entities_t *es, const aib__request_t *req);

/* aib__eval_policy with a per-request lookup cache (may be NULL) and, with scope_known, without
 * re-checking a scope the index has already proven. */
int aib__eval_policy_ex(const aib__policy_t *p, const aib_cedar_entities_t *es, const aib__request_t *req,
                        aib__ecache_t *cache, bool scope_known, aib_arena_t *arena, char *err, size_t cap);

/* Authorizes by evaluating every non-template policy, without the index. Same contract as
 * aib_cedar_authorize; used to check the index and when it cannot be built. */
int aib__authorize_all(const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *entities,
                       const aib__request_t *req, aib_arena_t *arena, aib_cedar_response_t *out);

#endif
