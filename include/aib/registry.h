/* registry.h — the innovation registry: summary-level records that allies publish (projects,
 * capabilities, challenges, scouting reports, test facilities, datasets, investors, companies),
 * each carrying a security label; ranked full-text search, near-duplicate detection across nations
 * and challenge-to-capability matchmaking, all filtered by release at index level; and signed
 * handoff of the records releasable to a partner nation. See docs/registry.md.
 *
 * Storage: registry_* tables (FTS5 for text) in the same SQLite file as the store; writes are
 * durable (WAL, synchronous=FULL) and, when a store is given, audited in its hash chain.
 *
 * Release: whether a record may go to a requester (nation, role, clearance) is decided by the
 * determinations engine's disclosure rules (policies/current or proposed) on the record's banner
 * marking, from the record's owning nation to the requester's; the owning nation itself always
 * has access; the requester's clearance must reach the label's level. Decisions are cached per
 * distinct (label, owning nation) "release class", so search joins a small allowed-class set
 * instead of checking records one by one. No function here returns a record that is not
 * releasable to the requester it was given; get answers AIB_ENOTFOUND for both.
 *
 * Ownership: a registry handle owns its SQLite connection and caches; one thread at a time.
 * Records and results are allocated in the arena the caller passes. Input records are only read
 * during a call. Times are milliseconds since the Unix epoch (UTC); dates "YYYY-MM-DD". */
#ifndef AIB_REGISTRY_H
#define AIB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aib/arena.h"
#include "aib/common.h"
#include "aib/determine.h"
#include "aib/store.h"

typedef struct aib_registry aib_registry_t;

typedef enum aib_registry_type {
    AIB_REG_PROJECT = 0,
    AIB_REG_CAPABILITY,
    AIB_REG_CHALLENGE,  /* challenge / demand signal */
    AIB_REG_SCOUTING,   /* technology-scouting report */
    AIB_REG_FACILITY,   /* test facility */
    AIB_REG_DATASET,
    AIB_REG_INVESTOR,
    AIB_REG_COMPANY,
    AIB_REG_NTYPES
} aib_registry_type_t;

/* "project", "capability", "challenge", "scouting", "facility", "dataset", "investor",
 * "company". parse returns AIB_EINVAL for any other text. */
const char *aib_registry_type_name(aib_registry_type_t t);
int aib_registry_type_parse(const char *s, aib_registry_type_t *out);

/* One record. Common fields for every type; type-specific fields are a JSON object (details)
 * checked per type (docs/registry.md): challenge {sponsor, deadline, ...}; facility
 * {capabilities[], availability, access_requests[], ledger[{partner, access_granted,
 * results_shared}]}; dataset {eligibility[], ...}; investor/company {screening{...}, ...}. */
typedef struct aib_registry_record {
    const char *id;        /* [A-Za-z0-9._-]{3,64}, unique across the alliance ("GBR-P-0001") */
    aib_registry_type_t type;
    const char *nation;    /* owning (publishing) nation, alpha-3 */
    const char *label;     /* banner marking, e.g. "CUI//REL TO USA, GBR" */
    const char *title;
    const char *summary;   /* summary level only: no proprietary detail */
    const char **areas;    /* taxonomy area ids, at least one */
    size_t n_areas;
    const char **nations;  /* participating nations (alpha-3), may be empty */
    size_t n_nations;
    const char *performer; /* "" when none */
    const char *contact;   /* "" when none */
    const char *start;     /* "YYYY-MM-DD" or "" */
    const char *end;       /* "YYYY-MM-DD" or "" */
    const char *details;   /* JSON object text ("{}" when none) */
    int64_t updated_at;    /* set by add/import; the newer version wins on import */
    const char *origin;    /* node nation that first stored it; "" in input */
} aib_registry_record_t;

/* ---- Taxonomy ------------------------------------------------------------------------------ */

typedef struct aib_registry_taxonomy aib_registry_taxonomy_t;

/* Loads data/registry/taxonomy.json ({"areas":[{"id","name","parent"?,"sources":[...]}]}). */
int aib_registry_taxonomy_load(const char *path, aib_registry_taxonomy_t **out, aib_diag_t *diag);
int aib_registry_taxonomy_load_mem(const char *name, const char *json, size_t len,
                                   aib_registry_taxonomy_t **out, aib_diag_t *diag);
void aib_registry_taxonomy_free(aib_registry_taxonomy_t *t);
size_t aib_registry_taxonomy_count(const aib_registry_taxonomy_t *t);
/* Area i: id and name (and parent id or NULL). NULL when i is out of range. */
const char *aib_registry_taxonomy_area(const aib_registry_taxonomy_t *t, size_t i,
                                       const char **name, const char **parent);
bool aib_registry_taxonomy_has(const aib_registry_taxonomy_t *t, const char *id);

/* ---- Records as JSON ----------------------------------------------------------------------- */

/* Parses one record object. Unknown fields, missing required fields, bad codes, dates, ids and
 * unknown areas (tax may be NULL: then areas are only checked for shape) are errors naming the
 * field (diag->file = "record", msg = "field: problem"). Strings live in arena. */
int aib_registry_record_parse(const aib_registry_taxonomy_t *tax, const char *json, size_t len,
                              aib_arena_t *arena, aib_registry_record_t *out, aib_diag_t *diag);
/* Appends the record as one JSON object (canonical: fixed key order, no whitespace). */
int aib_registry_record_json(const aib_registry_record_t *r, aib_buf_t *out);

/* ---- Opening ------------------------------------------------------------------------------- */

typedef struct aib_registry_opts {
    const char *db_path;       /* SQLite file (the store's file); created when absent */
    const char *node_nation;   /* nation operating this node (alpha-3); required */
    const char *taxonomy_path; /* NULL: $AIB_DATA_DIR/registry/taxonomy.json, else ./data/... */
    aib_determine_engine_t *engine; /* release rules; not owned. NULL: opened with defaults */
    aib_store_t *audit;        /* when non-NULL, writes append audit entries here; not owned */
} aib_registry_opts_t;

/* Opens the registry, creating or migrating its tables. */
int aib_registry_open(const aib_registry_opts_t *opts, aib_registry_t **out, aib_diag_t *diag);
void aib_registry_close(aib_registry_t *r); /* NULL is fine */
const aib_registry_taxonomy_t *aib_registry_taxonomy(const aib_registry_t *r);
/* Groups many adds into one transaction (bulk loading). */
int aib_registry_begin(aib_registry_t *r, aib_diag_t *diag);
int aib_registry_commit(aib_registry_t *r, aib_diag_t *diag);
/* Forgets every cached release decision (after a policy pack or alliance data change); they
 * are recomputed on demand. Decisions also expire when the date changes. */
int aib_registry_reindex(aib_registry_t *r, aib_diag_t *diag);

/* ---- Who asks ------------------------------------------------------------------------------ */

typedef struct aib_registry_requester {
    const char *nation;    /* alpha-3 */
    const char *role;      /* "government", "company" or "person" (the end-user kind the
                              disclosure rules judge); NULL = "government" */
    const char *clearance; /* highest level held: "UNCLASSIFIED", "CUI", "CONFIDENTIAL",
                              "SECRET", "TOP SECRET" (abbreviations accepted); NULL = UNCLASSIFIED */
    const char *regime;    /* "current" or "proposed"; NULL = "current" */
} aib_registry_requester_t;

/* ---- Writing ------------------------------------------------------------------------------- */

/* Stores a new record (AIB_EEXIST when the id exists). The label must be a marking the rules
 * understand (AIB_EINVAL naming "label" otherwise). who (person non-empty) is audited. */
int aib_registry_add(aib_registry_t *r, const aib_actor_t *who, const aib_registry_record_t *rec,
                     aib_diag_t *diag);

/* ---- Reading (release-filtered) ------------------------------------------------------------ */

/* AIB_ENOTFOUND when the record does not exist or is not releasable to who. */
int aib_registry_get(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                     aib_arena_t *arena, aib_registry_record_t *out, aib_diag_t *diag);

typedef struct aib_registry_query {
    const char *text;     /* words (all must match; any with match_any); NULL/"" = browse */
    bool match_any;
    const aib_registry_type_t *types; /* NULL/0: every type */
    size_t n_types;
    const char *area;     /* taxonomy id or NULL */
    const char *nation;   /* owning or participating nation, or NULL */
    const char *from;     /* records active on or after this date, or NULL */
    const char *to;       /* records active on or before this date, or NULL */
    size_t limit;         /* 0 = 20, capped at 1000 */
    size_t offset;
} aib_registry_query_t;

typedef struct aib_registry_hit {
    aib_registry_record_t rec;
    double score;         /* higher is better (negated bm25; 0 when browsing) */
    const char **terms;   /* for dupes and match: the overlapping terms */
    size_t n_terms;
} aib_registry_hit_t;

/* Ranked search. The release filter is part of the query: records outside who's allowed
 * release classes are never read, scored or counted. */
int aib_registry_search(aib_registry_t *r, const aib_registry_requester_t *who,
                        const aib_registry_query_t *q, aib_arena_t *arena,
                        aib_registry_hit_t **out, size_t *n, aib_diag_t *diag);

typedef struct aib_registry_dupe {
    aib_registry_record_t a, b; /* owned by different nations */
    double score;               /* Jaccard similarity of their term sets, 0..1 */
    const char **terms;         /* overlapping terms, rarest first (at most 16) */
    size_t n_terms;
} aib_registry_dupe_t;

/* Near-duplicates across nations among the records releasable to who (MinHash with banded LSH
 * for candidates, exact Jaccard to score). id non-NULL: only pairs involving that record (which
 * must be releasable). threshold 0 = 0.5; limit 0 = 100. Highest score first. */
int aib_registry_dupes(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                       double threshold, size_t limit, aib_arena_t *arena,
                       aib_registry_dupe_t **out, size_t *n, aib_diag_t *diag);

/* Capabilities, projects, facilities and companies that could answer challenge id (which must be
 * releasable to who and be a challenge): ranked text match on the challenge's terms plus shared
 * taxonomy areas; hit terms are the shared terms and areas. limit 0 = 10. */
int aib_registry_match(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                       size_t limit, aib_arena_t *arena, aib_registry_hit_t **out, size_t *n,
                       aib_diag_t *diag);

/* ---- Signed handoff ------------------------------------------------------------------------ */

#define AIB_REGISTRY_PK_BYTES 32
#define AIB_REGISTRY_SK_BYTES 64

/* Key files hold one line: "aib-ed25519-secret <128 hex>" (mode 0600, never overwritten) or
 * "aib-ed25519-public <64 hex>"; the secret file also yields the public key. */
int aib_registry_keygen(const char *secret_path, const char *public_path, aib_diag_t *diag);
int aib_registry_key_load(const char *path, uint8_t pk[AIB_REGISTRY_PK_BYTES],
                          uint8_t sk[AIB_REGISTRY_SK_BYTES], bool *has_secret, aib_diag_t *diag);

/* Writes to out a bundle of exactly the records releasable to nation `to` (role government,
 * clearance TOP SECRET, regime as given, NULL = current) signed with sk: JSON lines, a header,
 * one record per line, and a final signature line over every byte before it. *count (may be
 * NULL) receives the number of records. Audit entry "registry.export". */
int aib_registry_export(aib_registry_t *r, const aib_actor_t *who, const char *to,
                        const char *regime, const uint8_t sk[AIB_REGISTRY_SK_BYTES],
                        aib_buf_t *out, size_t *count, aib_diag_t *diag);

typedef struct aib_registry_import_report {
    char from[8];
    size_t added, updated, unchanged;
} aib_registry_import_report_t;

/* Verifies a bundle against the trusted public key pk (never the key inside it): the signature
 * over every byte, the header's destination (this node), and every record (well-formed, label
 * releasable to this node under the current rules, not claiming this node's own records). Any
 * failure refuses the whole bundle (AIB_EDENIED for a signature or release problem, AIB_EPARSE
 * for malformed text; nothing stored). Otherwise stores the records in one transaction:
 * new ones are added, newer versions replace older ones, identical ones are left alone, so
 * importing the same bundle twice changes nothing. Audit entry "registry.import". */
int aib_registry_import(aib_registry_t *r, const aib_actor_t *who, const char *bundle, size_t len,
                        const uint8_t pk[AIB_REGISTRY_PK_BYTES],
                        aib_registry_import_report_t *rep, aib_diag_t *diag);

/* ---- JSON for people and the API ------------------------------------------------------------ */

int aib_registry_hits_json(const aib_registry_hit_t *h, size_t n, aib_buf_t *out);
int aib_registry_dupes_json(const aib_registry_dupe_t *d, size_t n, aib_buf_t *out);
/* A record with, for facilities, the reciprocity summary computed from its ledger. */
int aib_registry_record_view_json(const aib_registry_record_t *rec, aib_buf_t *out);

/* ---- HTTP API handlers (src/registry/reg_api.c) --------------------------------------------------- *
 * Transport-neutral handlers for /v1/registry/...: the server authenticates the caller, builds
 * the requester from the token (nation; role "government" for API roles; clearance from the
 * server's configuration) and passes the decoded query parameters and body. Each writes a JSON
 * body to out and the HTTP status to *status (200, 201, 400 with {"error","field"}, 404, 409).
 * They return 0 when a response was produced, a negative AIB_E* only for internal failures. */
typedef struct aib_registry_param {
    const char *key;
    const char *val;
} aib_registry_param_t;

/* GET /v1/registry/records?q=&type=&area=&nation=&from=&to=&any=&limit=&offset= */
int aib_registry_api_search(aib_registry_t *r, const aib_registry_requester_t *who,
                            const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                            aib_buf_t *out, int *status);
/* GET /v1/registry/records/{id} */
int aib_registry_api_get(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                         aib_arena_t *arena, aib_buf_t *out, int *status);
/* POST /v1/registry/records (body: one record; its nation must be the caller's) */
int aib_registry_api_add(aib_registry_t *r, const aib_registry_requester_t *who,
                         const aib_actor_t *actor, const char *body, size_t len,
                         aib_arena_t *arena, aib_buf_t *out, int *status);
/* GET /v1/registry/dupes?id=&threshold=&limit= */
int aib_registry_api_dupes(aib_registry_t *r, const aib_registry_requester_t *who,
                           const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                           aib_buf_t *out, int *status);
/* GET /v1/registry/challenges/{id}/matches?limit= */
int aib_registry_api_match(aib_registry_t *r, const aib_registry_requester_t *who, const char *id,
                           const aib_registry_param_t *q, size_t nq, aib_arena_t *arena,
                           aib_buf_t *out, int *status);
/* GET /v1/registry/taxonomy */
int aib_registry_api_taxonomy(aib_registry_t *r, aib_buf_t *out, int *status);

#endif
