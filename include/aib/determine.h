/* determine.h — explained release determinations: "may this item or information go to that
 * ally, under which authority?" A request (item, transfer, date, regime) is turned into Cedar
 * entities (countries with their group memberships on the request date, items with their
 * controls) and a context, evaluated against the policy packs (policies/current, proposed),
 * and the satisfied rules become an outcome by the precedence the pack itself declares.
 * Also `aib eligibility`: benefit tiers of a country with the criteria met and missing.
 * Used by `aib determine` / `aib eligibility`; see docs/determinations.md.
 *
 * Ownership: an engine owns the alliance registry (when it loaded it), the parsed packs and the
 * entity stores it caches per membership epoch; it is built once per process and read-only
 * afterwards except for that cache (so one engine per thread). Requests, results and
 * eligibility reports live in the arena the caller passes and die with its reset. */
#ifndef AIB_DETERMINE_H
#define AIB_DETERMINE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#include "aib/arena.h"
#include "aib/common.h"
#include "aib/alliance.h"

typedef struct aib_determine_engine aib_determine_engine_t;

typedef struct aib_determine_opts {
    /* Folder holding determine.cedarschema, current/ and proposed/. NULL: $AIB_POLICY_DIR, else
     * ./policies, else the policies/ folder of the source tree the binary was built in. */
    const char *policy_dir;
    /* Registry to use (not owned, must outlive the engine). NULL: the engine loads one with
     * alliance_opts (NULL = defaults) and owns it. */
    const aib_alliance_t *alliance;
    const aib_alliance_opts_t *alliance_opts;
} aib_determine_opts_t;

/* Loads the registry (unless given), the schema and every pack; each pack is validated against
 * the schema and refused with the validator's messages (policy, line:col) in diag. */
int aib_determine_engine_open(const aib_determine_opts_t *opts, aib_determine_engine_t **out,
                              aib_diag_t *diag);
void aib_determine_engine_free(aib_determine_engine_t *e);
const aib_alliance_t *aib_determine_engine_alliance(const aib_determine_engine_t *e);
/* Number of rules (policies other than pack metadata) in pack "current" or "proposed"; 0 when
 * the pack is unknown. */
size_t aib_determine_pack_rules(const aib_determine_engine_t *e, const char *pack);

/* ---- Requests ------------------------------------------------------------------------------ */

typedef enum { AIB_DET_CURRENT = 0, AIB_DET_PROPOSED, AIB_DET_BOTH } aib_determine_regime_t;

/* A parsed request. Strings and arrays live in the parse arena; countries point into the
 * registry. Optional fields not given hold their defaults (documented in determinations.md). */
typedef struct aib_determine_request {
    const char *id;                 /* "" when not given */
    const char *date_text;          /* "YYYY-MM-DD" */
    aib_alliance_date_t date;
    aib_determine_regime_t regime;
    /* item */
    const char *usml;               /* NULL when not given */
    const char *eccn;               /* NULL when not given ("EAR99" allowed) */
    const char *classification;     /* canonical level name; default "UNCLASSIFIED" */
    bool classification_given;
    int level;                      /* rank of the level */
    bool classified;
    const char *markings;           /* banner as given, NULL when none */
    bool sme;
    bool sme_given;
    long long value_usd;            /* 0 when not given */
    /* markings, parsed */
    bool noforn;
    bool has_rel_to;
    const char **rel_to;            /* alpha-3, expanded on the date */
    size_t n_rel_to;
    const char **controls;          /* other banner controls by marking id */
    size_t n_controls;
    /* transfer */
    const char *kind;               /* export, reexport, retransfer, temporary_export,
                                       temporary_import, deemed_export, disclosure */
    const aib_alliance_country_t *from, *to;
    const char *end_user_kind;      /* government, company, person; default company */
    const aib_alliance_country_t *end_user_country; /* default: to */
    const aib_alliance_country_t **nationalities;   /* default: none (the country for a person) */
    size_t n_nationalities;
    bool registered, authorized_user;
    const char *end_use;            /* default "unspecified" */
} aib_determine_request_t;

/* Parses and checks one request object. Unknown fields are errors naming the field; bad values
 * name the field and say what was expected (diag->file = "request", msg = "field: problem").
 * Returns 0, AIB_EINVAL (bad request) or AIB_ENOMEM. */
int aib_determine_request_parse(const aib_determine_engine_t *e, const char *json, size_t len,
                                aib_arena_t *arena, aib_determine_request_t **out,
                                aib_diag_t *diag);

/* ---- Results ------------------------------------------------------------------------------- */

typedef struct aib_determine_trace {
    const char *rule;       /* @id */
    const char *authority;  /* @authority */
    const char *outcome;    /* @outcome */
    bool applied;
    bool error;             /* the rule's evaluation errored (why holds the message) */
    const char *why;        /* plain words: what made it apply / not apply */
} aib_determine_trace_t;

typedef struct aib_determine_result {
    const char *pack;           /* "current" or "proposed" */
    const char *outcome;        /* prohibited, licence_required, exempt, no_licence_required,
                                   releasable, not_releasable */
    const char *licence;        /* NULL when none */
    const char *jurisdiction;   /* "ITAR", "EAR", "NONE" */
    const char *item_ref;       /* Cedar entity id of the item ("usml:XI", "eccn:3A001", ...) */
    bool by_default;            /* no rule decided; the pack's default outcome */
    const char **rules;         /* ids of the rules that decided the outcome */
    size_t n_rules;
    const char **authorities;   /* citations of the deciding rules and conditions */
    size_t n_authorities;
    const char **conditions;    /* provisos and record-keeping duties */
    size_t n_conditions;
    const char **candidates;    /* licence exceptions to consider: "STA: 15 CFR 740.20 — ..." */
    size_t n_candidates;
    aib_determine_trace_t *trace;
    size_t n_trace;
} aib_determine_result_t;

/* Determines req under pack ("current" or "proposed"). Everything in *out lives in arena.
 * Returns 0, AIB_ENOMEM, or AIB_EINTERNAL with diag when the registry cannot describe a
 * country or item the request names. */
int aib_determine_run(aib_determine_engine_t *e, const aib_determine_request_t *req,
                      const char *pack, aib_arena_t *arena, aib_determine_result_t *out,
                      aib_diag_t *diag);

/* Appends the determination as one JSON object: with regime current/proposed
 * {"id","date","regime","pack","outcome","licence","jurisdiction","item","authorities",
 *  "conditions","candidates","rules","trace"?}; with both {"id","date","regime":"both",
 * "current":{...},"proposed":{...},"changed":bool}. with_trace false leaves out "trace". */
int aib_determine_result_json(const aib_determine_request_t *req, const aib_determine_result_t *cur,
                              const aib_determine_result_t *prop, bool with_trace, aib_buf_t *out);

/* ---- Impact: how outcomes change between two packs ------------------------------------------ */

typedef struct aib_determine_impact aib_determine_impact_t;
/* NULL on ENOMEM. */
aib_determine_impact_t *aib_determine_impact_new(void);
void aib_determine_impact_free(aib_determine_impact_t *im);
/* Adds one request's pair of results. */
int aib_determine_impact_add(aib_determine_impact_t *im, const aib_determine_request_t *req,
                             const aib_determine_result_t *a, const aib_determine_result_t *b);
/* Appends the summary as JSON: totals, changed, licences_avoided, by transition
 * ("licence_required -> exempt"), by destination country, by category (jurisdiction and
 * USML category / ECCN category). */
int aib_determine_impact_json(const aib_determine_impact_t *im, const char *a, const char *b,
                              aib_buf_t *out);
/* Same as a short text table for people. */
int aib_determine_impact_text(const aib_determine_impact_t *im, const char *a, const char *b,
                              aib_buf_t *out);

/* ---- Eligibility ---------------------------------------------------------------------------- */

typedef struct aib_determine_criterion {
    const char *id;         /* @id of the criterion policy */
    const char *text;       /* @criterion: what is required */
    const char *authority;  /* @authority */
    bool met;
    const char *why;        /* what was found (or is missing) */
} aib_determine_criterion_t;

typedef struct aib_determine_tier {
    const char *id;         /* "excepted_state", "yesforn", ... */
    const char *title;
    const char *authority;
    const char *status;     /* "law" or "proposal" */
    const char *pack;
    bool met;               /* every criterion met */
    aib_determine_criterion_t *criteria;
    size_t n_criteria;
} aib_determine_tier_t;

typedef struct aib_determine_eligibility {
    const char *country;    /* alpha-3 */
    const char *name;
    char date[11];
    aib_determine_tier_t *tiers;
    size_t n_tiers;
} aib_determine_eligibility_t;

/* Evaluates every tier criterion of every pack for country (any key the registry resolves) on
 * date (0 = today). AIB_ENOTFOUND with diag for an unknown country. Lives in arena. */
int aib_determine_eligibility(aib_determine_engine_t *e, const char *country,
                              aib_alliance_date_t date, aib_arena_t *arena,
                              aib_determine_eligibility_t *out, aib_diag_t *diag);
int aib_determine_eligibility_json(const aib_determine_eligibility_t *el, aib_buf_t *out);
int aib_determine_eligibility_text(const aib_determine_eligibility_t *el, aib_buf_t *out);

/* ---- Case files ------------------------------------------------------------------------------ */

/* Runs the case file at path (JSON lines {"case","cite","request","expect"}; see
 * docs/determinations.md), adding to *passed / *failed and printing failures (every case
 * when verbose) to out. A case without a citation fails. */
int aib_determine_check_cases(aib_determine_engine_t *e, const char *path, FILE *out, bool verbose,
                              size_t *passed, size_t *failed);

#endif
