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

/* aib__eval_policy with the store entities of the request's principal, action and resource
 * already looked up (ents[0..2], NULL entries for uids not in the store; ents itself may be
 * NULL), so a request looks each up once rather than once per policy. */
int aib__eval_policy_ex(const aib__policy_t *p, const aib_cedar_entities_t *es, const aib__request_t *req,
                        const aib__entity_t *const *ents, aib_arena_t *arena, char *err, size_t cap);

/* Authorizes by evaluating every non-template policy, without the index. Same contract as
 * aib_cedar_authorize; used to check the index and when it cannot be built. */
int aib__authorize_all(const aib_cedar_policyset_t *ps, const aib_cedar_entities_t *entities,
                       const aib__request_t *req, aib_arena_t *arena, aib_cedar_response_t *out);

#endif
