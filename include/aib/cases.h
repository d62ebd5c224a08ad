/* cases.h — cooperation case workflows on top of the store (include/aib/store.h): export licences
 * (DSP-5/DSP-73/DSP-61/DSP-85), agreements (TAA/MLA), FMS cases, technology-release requests and
 * USML->CCL relocation petitions. Case types, stages, valid transitions, owners and targets come
 * from data/cases/ (one JSON file per type); tagging and routing come from Cedar policies in policies/routing/
 * evaluated on every create and change. Metrics give the common operating picture.
 *
 * Writes take the request body as JSON text (what the HTTP API receives) so one validator serves
 * the server and the CLI. Bad input gives AIB_EINVAL with diag->file set to the JSON path of the
 * offending field (e.g. "released_to[1]", "fields.value_usd"; "" for the body itself) and
 * diag->msg in plain words; nothing is written. Results are allocated in the caller's arena.
 * An aib_cases_t is read-only after loading and may be shared by threads; stores may not. */
#ifndef AIB_CASES_H
#define AIB_CASES_H

#include "aib/common.h"
#include "aib/arena.h"
#include "aib/store.h"
#include "aib/alliance.h"

typedef struct aib_cases aib_cases_t;

/* ---- Configuration ------------------------------------------------------------------------- */

/* Loads every case type in types_dir (data/cases: one <type>.json each, plus config.json) and
 * the routing policies in routing_dir (policies/routing: *.cedar and routing.cedarschema; the
 * policies are validated against the schema). Errors name file:line:col. */
int aib_cases_load(const char *types_dir, const char *routing_dir, aib_cases_t **out,
                   aib_diag_t *diag);
void aib_cases_free(aib_cases_t *cs);

/* Group membership over time (e.g. NATO): a nation was a member from `from` (ms, inclusive) to
 * `to` (exclusive; 0 = still a member). */
typedef struct aib_membership {
    const char *nation;
    int64_t from;
    int64_t to;
} aib_membership_t;

/* Answers the members of group with their intervals (allocated in arena). Returns 0,
 * AIB_ENOTFOUND for a group it does not know, or another AIB_E* code. */
typedef int (*aib_cases_groups_fn)(void *ctx, const char *group, aib_arena_t *arena,
                                   aib_membership_t **out, size_t *n);

/* Sets the membership source (fn NULL = none: a group party is then an error naming it). */
void aib_cases_set_groups(aib_cases_t *cs, aib_cases_groups_fn fn, void *ctx);
/* Uses the alliance registry (include/aib/alliance.h) as the membership source: a group's direct
 * dated memberships. a must outlive cs's use. */
void aib_cases_use_alliance(aib_cases_t *cs, const aib_alliance_t *a);
/* Clock for timestamps (tests pin time); default: the system clock. */
void aib_cases_set_clock(aib_cases_t *cs, int64_t (*now_ms)(void *ctx), void *ctx);

/* ---- Case type introspection --------------------------------------------------------------- */

typedef struct aib_case_stage_def {
    const char *id;
    const char *name;
    const char *owner;     /* default owner of the stage */
    int terminal;          /* no transitions out; the case is closed */
    int64_t target_ms;     /* service target for time in stage (0 = none) */
    const char **next;     /* stages reachable from here */
    size_t n_next;
} aib_case_stage_def_t;

typedef struct aib_case_field_def {
    const char *name;
    const char *kind; /* "string", "strings", "nation", "nations", "date", "integer", "boolean" */
    int required;
} aib_case_field_def_t;

typedef struct aib_case_type_def {
    const char *id;   /* "export_licence", "agreement", "fms_case", ... */
    const char *name;
    const char **subtypes; size_t n_subtypes; /* e.g. DSP-5; empty when none */
    const char *initial;                      /* initial stage id */
    aib_case_stage_def_t *stages; size_t n_stages;
    aib_case_field_def_t *fields; size_t n_fields;
    const char *source; /* citation of the process the stages follow */
} aib_case_type_def_t;

size_t aib_cases_type_count(const aib_cases_t *cs);
const aib_case_type_def_t *aib_cases_type_at(const aib_cases_t *cs, size_t i);
const aib_case_type_def_t *aib_cases_type_find(const aib_cases_t *cs, const char *id);

/* ---- Operations ---------------------------------------------------------------------------- */
/* Each write is one store transaction (case row, history, tags/routes, audit entry); on success
 * *out holds the case as committed (full, as aib_cases_get returns it). */

/* Body: {"type":"export_licence", "subtype":"DSP-5", "title":"...", "nation":"GBR",
 *        "released_to":["USA"], "owner":"...", "fields":{...}}
 * type and title are required; nation defaults to who->nation; owner to the initial stage's
 * owner; fields are checked against the type's field definitions. Routing policies then tag the
 * case and may route it straight to another stage (e.g. the AUKUS box -> defence review). */
int aib_cases_create(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *json,
                     size_t len, aib_arena_t *arena, aib_case_t *out, aib_diag_t *diag);

/* Body: {"to":"stage", "note":"...", "owner":"..."}; "to" must be a valid next stage of the
 * current one (else AIB_EINVAL naming "to" and the allowed stages). */
int aib_cases_transition(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who,
                         const char *id, const char *json, size_t len, aib_arena_t *arena,
                         aib_case_t *out, aib_diag_t *diag);

/* Body: {"title":"...", "fields":{...}, "released_to":[...]} (any subset). Routing re-runs. */
int aib_cases_update(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                     const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                     aib_diag_t *diag);

/* Body: {"body":"..."} (1..65536 bytes). */
int aib_cases_comment(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                      const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                      aib_diag_t *diag);

/* Body: {"name":"...", "ref":"scheme://...", "sha256":"<64 hex>", "media_type":"..."};
 * name and ref required. */
int aib_cases_attach(aib_cases_t *cs, aib_store_t *st, const aib_actor_t *who, const char *id,
                     const char *json, size_t len, aib_arena_t *arena, aib_case_t *out,
                     aib_diag_t *diag);

/* Reads a case (same as aib_store_case_get). */
int aib_cases_get(aib_cases_t *cs, aib_store_t *st, const char *id, aib_arena_t *arena,
                  aib_case_t *out, aib_diag_t *diag);

/* 1 when nation owns the case or it is released to nation. */
int aib_case_visible_to(const aib_case_t *c, const char *nation);

/* JSON of a case: {"id","type","subtype","title","stage","owner","nation","released_to",
 * "fields","created_by","created_at","updated_at","stage_since","version","closed"} plus
 * "history","tags","comments","attachments" when filled. Times as RFC 3339 UTC strings. */
int aib_case_to_json(const aib_case_t *c, aib_buf_t *out);
/* {"items":[...cases...], "next_cursor": "..." | null} */
int aib_case_list_to_json(const aib_case_list_t *l, aib_buf_t *out);

/* ---- Metrics (common operating picture) ---------------------------------------------------- */

enum {
    AIB_METRICS_BY_TYPE = 1,
    AIB_METRICS_BY_STAGE = 2,
    AIB_METRICS_BY_COUNTRY = 4, /* the owning nation */
    AIB_METRICS_BY_OWNER = 8,
    AIB_METRICS_BY_ALL = 15
};

typedef struct aib_metrics_query {
    const aib_case_filter_t *filter; /* which cases (visible_to, type, ...); NULL = all */
    unsigned group_by;               /* AIB_METRICS_BY_* bits; 0 = AIB_METRICS_BY_ALL */
    int64_t target_ms;               /* 0 = each stage's target from data, else 48 hours */
} aib_metrics_query_t;

typedef struct aib_metrics_row {
    const char *type, *stage, *country, *owner; /* "*" for a dimension not grouped by */
    int64_t count;      /* stage visits in the group */
    int64_t backlog;    /* visits still open in a non-terminal stage */
    int64_t completed;  /* visits that have left their stage */
    int64_t median_ms;  /* time in stage over completed visits (-1 when none) */
    int64_t p95_ms;     /* 95th percentile, nearest rank (-1 when none) */
    int64_t target_ms;  /* target applied */
    double within_target; /* share of completed visits within target_ms (-1 when none) */
} aib_metrics_row_t;

typedef struct aib_metrics {
    int64_t generated_at;
    unsigned group_by;
    aib_metrics_row_t *rows; /* sorted by type, stage, country, owner */
    size_t n;
} aib_metrics_t;

int aib_cases_metrics(aib_cases_t *cs, aib_store_t *st, const aib_metrics_query_t *q,
                      aib_arena_t *arena, aib_metrics_t *out, aib_diag_t *diag);
/* {"generated_at":..., "group_by":[...], "rows":[{...}]} */
int aib_metrics_to_json(const aib_metrics_t *m, aib_buf_t *out);

#endif
