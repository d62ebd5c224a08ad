/* determine_int.h — internals of the determinations module shared by its parts: the loaded
 * packs (pack.c), the per-epoch entity stores built from the alliance registry (det_entities.c),
 * request parsing (det_request.c, markings.c), the Cedar context (context.c), evaluation and
 * explanation (evaluate.c, explain.c), output (result_json.c), impact (impact.c) and
 * eligibility (eligibility.c).
 * Memory: the engine arena holds everything that lives as long as the engine (rule tables,
 * pack metadata); epoch stores are owned by the engine; per-request data is in the caller's
 * arena. */
#ifndef AIB_DETERMINE_INT_H
#define AIB_DETERMINE_INT_H

#include "aib/determine.h"
#include "cedar/cedar_int.h"

#define AIB__DET_MAX_LIST 32     /* precedence / licence order entries */
#define AIB__DET_GROUPS_CAP 256  /* groups of one country; countries of one group */

enum { AIB__DET_RULE = 0, AIB__DET_META, AIB__DET_TIER, AIB__DET_CRITERION };

/* One policy of a pack with the annotations the determination reads (NULL when absent). */
typedef struct aib__det_rule {
    const aib__policy_t *p;
    int kind;
    bool disabled;          /* replaced by a later pack (@replaces) */
    const char *pack;       /* pack whose file defined it */
    const char *id, *authority, *outcome, *licence, *condition, *record_keeping, *with;
    const char *summary, *status, *tier, *criterion, *title;
} aib__det_rule_t;

typedef struct aib__det_pack {
    const char *name;
    aib_cedar_policyset_t *ps;
    aib__det_rule_t *rules;
    size_t n_rules;
    const aib__det_rule_t *meta;
    const char *precedence[AIB__DET_MAX_LIST];
    size_t n_precedence;
    const char *licence_order[AIB__DET_MAX_LIST];
    size_t n_licence_order;
    const char *jurisdiction_order[4];
    size_t n_jurisdiction_order;
    const char *default_transfer, *default_transfer_authority;
    const char *default_disclosure, *default_disclosure_authority;
} aib__det_pack_t;

#define AIB__DET_PACKS 2

/* The entity store of one membership epoch: every date between two consecutive changes of any
 * membership or agreement sees the same groups, so it shares one store. */
typedef struct aib__det_epoch {
    aib_cedar_entities_t *es;
} aib__det_epoch_t;

struct aib_determine_engine {
    aib_arena_t *arena;
    aib_alliance_t *owned;
    const aib_alliance_t *al;
    aib_cedar_schema_t *schema;
    aib__det_pack_t packs[AIB__DET_PACKS];
    size_t n_packs;
    aib_alliance_date_t *changes;   /* sorted distinct dates on which something changes */
    size_t n_changes;
    aib__det_epoch_t *epochs;       /* n_changes + 1, built lazily */
    char policy_dir[512];
};

/* ---- pack.c ---- */
/* Loads pack `name` from every .cedar file of dir/name (after the pack its metadata names in @base), and
 * validates it against the schema. */
int aib__determine_pack_load(aib_determine_engine_t *e, const char *dir, const char *name,
                             aib__det_pack_t *out, aib_diag_t *diag);
void aib__determine_pack_free(aib__det_pack_t *p);
const aib__det_pack_t *aib__determine_pack(const aib_determine_engine_t *e, const char *name);
/* Comma-separated list membership (spaces ignored): is word in list? NULL list = everything. */
bool aib__determine_list_has(const char *list, const char *word);

/* ---- det_entities.c ---- */
/* Collects the change dates of the registry (memberships, agreements). */
int aib__determine_epochs_init(aib_determine_engine_t *e, aib_diag_t *diag);
/* The entity store for date, built on first use. */
int aib__determine_entities(aib_determine_engine_t *e, aib_alliance_date_t date,
                            const aib_cedar_entities_t **out, aib_diag_t *diag);

/* ---- context.c ---- */
/* Builds the Cedar request (principal, action, resource, context) for req in arena. */
int aib__determine_cedar_request(const aib_determine_engine_t *e, const aib__det_pack_t *pk,
                                 const aib_cedar_entities_t *es,
                                 const aib_determine_request_t *req, aib_arena_t *arena,
                                 aib__request_t *out, const char **item_ref,
                                 const char **jurisdiction);
/* Uid helpers (arena). */
const aib__uid_t *aib__determine_uid(aib_arena_t *arena, const char *type, const char *id);

/* ---- explain.c ---- */
/* Why policy p did not apply to r (or, applied true, a short account of why it did). */
const char *aib__determine_explain(const aib__policy_t *p, const aib_cedar_entities_t *es,
                                   const aib__request_t *r, bool applied, aib_arena_t *arena);
/* Is the rule about this kind of request: do its action and resource scopes admit them?
 * (Rules for other actions or item classes are not part of the trace.) */
bool aib__determine_action_matches(const aib__policy_t *p, const aib_cedar_entities_t *es,
                                   const aib__uid_t *action, const aib__uid_t *resource);

/* ---- markings.c ---- */
/* Parses the banner into req (noforn, rel_to, controls; classification cross-check). */
int aib__determine_markings(const aib_alliance_t *al, aib_determine_request_t *req,
                            aib_arena_t *arena, aib_diag_t *diag);

#endif
