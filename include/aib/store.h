/* store.h — aib's durable store: cases, their stage history, tags and routes, comments,
 * attachments by reference, API tokens and the hash-chained audit log, behind one interface with
 * two backends (SQLite: embedded, WAL, one file; PostgreSQL via libpq). The case workflow
 * (include/aib/cases.h) and the HTTP server sit on top of it.
 *
 * Durability contract: a write function returns 0 only after its transaction, including the audit
 * entry describing it, is committed durably (SQLite WAL + synchronous=FULL; PostgreSQL
 * synchronous_commit=on). On any error nothing of that write is kept.
 *
 * Threads: a store handle is used by one thread at a time. A server opens one handle per worker
 * (SQLite and PostgreSQL both allow many connections) or guards one with a mutex.
 *
 * Ownership: records returned by get/list functions are allocated in the arena the caller passes
 * and live until that arena is reset or freed. Input records are only read during the call.
 * Times are milliseconds since the Unix epoch, UTC. Nations are ISO 3166-1 alpha-3 codes. */
#ifndef AIB_STORE_H
#define AIB_STORE_H

#include "aib/common.h"
#include "aib/arena.h"

typedef struct aib_store aib_store_t;

/* Newest schema version this build knows; aib_store_migrate brings a store up to it. */
#define AIB_STORE_SCHEMA_VERSION 1

/* Who performs a change; recorded in the audit log. person must be non-empty; nation and role
 * may be NULL or "" (e.g. an administrator at the command line). */
typedef struct aib_actor {
    const char *person;
    const char *nation;
    const char *role;
} aib_actor_t;

/* ---- Opening, schema, transactions --------------------------------------------------------- */

/* Opens (creating when absent) the SQLite file at path in WAL mode with synchronous=FULL. */
int aib_store_open_sqlite(const char *path, aib_store_t **out, aib_diag_t *diag);
/* Connects to PostgreSQL (libpq conninfo string or postgresql:// URI); synchronous_commit=on. */
int aib_store_open_pg(const char *conninfo, aib_store_t **out, aib_diag_t *diag);
/* Exactly one of sqlite_path / pg_conninfo non-NULL: opens the matching backend. */
int aib_store_open(const char *sqlite_path, const char *pg_conninfo, aib_store_t **out,
                   aib_diag_t *diag);
void aib_store_close(aib_store_t *s); /* NULL is fine; rolls back an open transaction */
/* "sqlite" or "postgres". */
const char *aib_store_backend(const aib_store_t *s);

/* Applies every pending migration (each in its own transaction). *from / *to (may be NULL)
 * receive the versions before and after. A store newer than this build gives AIB_EINVAL. */
int aib_store_migrate(aib_store_t *s, int *from, int *to, aib_diag_t *diag);
/* Current schema version (0 for an empty database). */
int aib_store_version(aib_store_t *s, int *out, aib_diag_t *diag);
/* Cheap round trip to the database, for health checks. */
int aib_store_ping(aib_store_t *s, aib_diag_t *diag);
/* Every function below except migrate/version/ping requires the store at
 * AIB_STORE_SCHEMA_VERSION; otherwise AIB_EINVAL "run aib db migrate". */

/* Groups several writes into one transaction. Without begin, every write function runs in its
 * own transaction; between begin and commit they join the open one and become durable together
 * at commit. A failed write inside begin/commit leaves the transaction usable only for rollback. */
int aib_store_begin(aib_store_t *s, aib_diag_t *diag);
int aib_store_commit(aib_store_t *s, aib_diag_t *diag);
int aib_store_rollback(aib_store_t *s);

/* ---- Cases --------------------------------------------------------------------------------- */

/* A tag or routing decision on a case and the policy that produced it. */
typedef struct aib_case_tag {
    const char *kind;      /* "tag" or "route" */
    const char *value;     /* tag name (e.g. "excluded-technology") or route target stage */
    const char *policy_id; /* the producing policy's @id annotation (its positional id if none) */
    int64_t at;
} aib_case_tag_t;

/* One visit of a case to a stage. left_at is 0 while the case is still in that stage. */
typedef struct aib_case_stage {
    const char *stage;
    const char *owner;
    int64_t entered_at;
    int64_t left_at;
    const char *by;   /* person, or "policy:<id>" when a route moved the case */
    const char *note; /* "" when none */
} aib_case_stage_t;

typedef struct aib_case_comment {
    int64_t id;
    const char *author;
    const char *nation;
    const char *body;
    int64_t at;
} aib_case_comment_t;

/* An attachment is a reference (the bytes live elsewhere): a URI and an optional digest. */
typedef struct aib_case_attachment {
    int64_t id;
    const char *name;
    const char *ref;        /* URI, e.g. "s3://bucket/key" or "https://..." */
    const char *sha256;     /* 64 lowercase hex digits, or "" */
    const char *media_type; /* "" when unknown */
    const char *added_by;
    int64_t at;
} aib_case_attachment_t;

typedef struct aib_case {
    const char *id;      /* "C-" + 20 hex digits, assigned by aib_cases_create */
    const char *type;    /* case type id from data/cases, e.g. "export_licence" */
    const char *subtype; /* e.g. "DSP-5"; "" when the type has none */
    const char *title;
    const char *stage;   /* current stage id */
    const char *owner;   /* current owner (office or person) */
    const char *nation;  /* owning nation */
    const char *const *released_to; /* nations the case is released to (sorted, unique) */
    size_t n_released_to;
    const char *fields;  /* JSON object text: the type-specific fields */
    const char *created_by;
    int64_t created_at;
    int64_t updated_at;
    int64_t stage_since; /* when the case entered its current stage */
    int64_t version;     /* 1 on create, +1 on every change */
    int closed;          /* 1 when the current stage is terminal */
    /* Filled by get only (0/NULL in list results): */
    aib_case_stage_t *history; size_t n_history;       /* oldest first */
    aib_case_tag_t *tags; size_t n_tags;               /* oldest first */
    aib_case_comment_t *comments; size_t n_comments;   /* oldest first */
    aib_case_attachment_t *attachments; size_t n_attachments;
} aib_case_t;

/* Inserts a new case with its first stage visit(s), release list and tags, plus an audit entry
 * "case.create". c->history must hold at least one visit (the initial stage; a route may add
 * more); the last visit must have left_at 0 and match c->stage. Duplicate id: AIB_EEXIST. */
int aib_store_case_create(aib_store_t *s, const aib_actor_t *who, const aib_case_t *c,
                          aib_diag_t *diag);

/* Moves case id from stage `from` (which must still be current, else AIB_EEXIST: changed
 * concurrently) to `to` with owner, closing the current visit and opening a new one at time at.
 * by is the person or "policy:<id>". closed marks `to` terminal. tags (may be 0) are added in the
 * same transaction. Audit entry "case.transition". Unknown id: AIB_ENOTFOUND. */
int aib_store_case_transition(aib_store_t *s, const aib_actor_t *who, const char *id,
                              const char *from, const char *to, const char *owner, int closed,
                              const char *by, const char *note, int64_t at,
                              const aib_case_tag_t *tags, size_t n_tags, aib_diag_t *diag);

/* Replaces title / fields / released_to of a case (NULL leaves a part unchanged) and adds tags.
 * Audit entry "case.update". */
int aib_store_case_update(aib_store_t *s, const aib_actor_t *who, const char *id,
                          const char *title, const char *fields, const char *const *released_to,
                          size_t n_released_to, const aib_case_tag_t *tags, size_t n_tags,
                          int64_t at, aib_diag_t *diag);

/* Adds a comment; *out_id (may be NULL) receives its id. Audit entry "case.comment". */
int aib_store_case_comment(aib_store_t *s, const aib_actor_t *who, const char *id,
                           const char *body, int64_t at, int64_t *out_id, aib_diag_t *diag);
/* Adds an attachment reference (a->id, a->added_by, a->at are taken from the arguments);
 * *out_id (may be NULL) receives its id. Audit entry "case.attach". */
int aib_store_case_attach(aib_store_t *s, const aib_actor_t *who, const char *id,
                          const aib_case_attachment_t *a, int64_t at, int64_t *out_id,
                          aib_diag_t *diag);

/* Reads one case with history, tags, comments and attachments. AIB_ENOTFOUND when absent. */
int aib_store_case_get(aib_store_t *s, const char *id, aib_arena_t *arena, aib_case_t *out,
                       aib_diag_t *diag);

/* Filters for listing; NULL / 0 fields match anything. */
typedef struct aib_case_filter {
    const char *type;
    const char *subtype;
    const char *stage;
    const char *owner;
    const char *nation;     /* owning nation */
    const char *visible_to; /* cases owned by this nation or released to it */
    const char *tag;        /* cases carrying this tag or route value */
    int open_only;          /* 1: only cases not in a terminal stage */
    const char *cursor;     /* "" / NULL for the first page, else next_cursor of the last page */
    size_t limit;           /* page size; 0 means 50, capped at 1000 */
} aib_case_filter_t;

typedef struct aib_case_list {
    aib_case_t *items; /* newest first (by creation order) */
    size_t n;
    char next_cursor[32]; /* "" when this is the last page */
} aib_case_list_t;

/* A malformed cursor gives AIB_EINVAL naming the field "cursor". */
int aib_store_case_list(aib_store_t *s, const aib_case_filter_t *f, aib_arena_t *arena,
                        aib_case_list_t *out, aib_diag_t *diag);

/* Every stage visit of every case matching f (cursor/limit ignored), for metrics: the visits
 * come with the case's type, subtype and nation. */
typedef struct aib_stage_visit {
    const char *case_id;
    const char *type;
    const char *subtype;
    const char *nation;
    const char *stage;
    const char *owner;
    int64_t entered_at;
    int64_t left_at; /* 0 while current */
} aib_stage_visit_t;

int aib_store_stage_visits(aib_store_t *s, const aib_case_filter_t *f, aib_arena_t *arena,
                           aib_stage_visit_t **out, size_t *n, aib_diag_t *diag);

/* ---- API tokens ---------------------------------------------------------------------------- */

/* The server creates the secret and its Argon2id hash (crypto_pwhash_str); the store keeps the
 * hash and looks tokens up by id. */
typedef struct aib_token_rec {
    const char *id;     /* public token id (unique) */
    const char *hash;   /* crypto_pwhash_str output */
    const char *nation;
    const char *role;
    const char *person;
    int64_t created_at;
    int64_t revoked_at; /* 0 while valid */
} aib_token_rec_t;

/* Audit entry "token.create" (the hash is not written to the audit log). Duplicate id: AIB_EEXIST. */
int aib_store_token_insert(aib_store_t *s, const aib_actor_t *who, const aib_token_rec_t *t,
                           aib_diag_t *diag);
/* AIB_ENOTFOUND when no token has this id (revoked tokens are returned, with revoked_at set). */
int aib_store_token_get(aib_store_t *s, const char *id, aib_arena_t *arena, aib_token_rec_t *out,
                        aib_diag_t *diag);
/* Number of tokens that are not revoked (a server prints an admin token when there are none). */
int aib_store_token_count(aib_store_t *s, int64_t *out, aib_diag_t *diag);
/* Audit entry "token.revoke". AIB_ENOTFOUND when absent. */
int aib_store_token_revoke(aib_store_t *s, const aib_actor_t *who, const char *id, int64_t at,
                           aib_diag_t *diag);

/* ---- Audit log ----------------------------------------------------------------------------- */

/* hash = SHA-256 over prev_hash and the entry's fields (see docs/store-and-cases.md); the first
 * entry's prev_hash is 64 zeros. seq runs 1, 2, 3, ... without gaps. */
typedef struct aib_audit_entry {
    int64_t seq;
    int64_t at;
    const char *person;
    const char *nation;
    const char *role;
    const char *action; /* "case.create", "case.transition", "token.create", ... */
    const char *object; /* case id, token id, ... */
    const char *detail; /* JSON object text */
    char prev_hash[65];
    char hash[65];
} aib_audit_entry_t;

/* Appends an entry for an event outside the functions above (e.g. "server.start"). detail is a
 * JSON object text (NULL for {}). */
int aib_store_audit_append(aib_store_t *s, const aib_actor_t *who, const char *action,
                           const char *object, const char *detail, int64_t at, aib_diag_t *diag);
/* Entries with seq > after_seq, oldest first, at most limit (0 means 100, capped at 1000);
 * object non-NULL restricts to one object (e.g. a case id). */
int aib_store_audit_list(aib_store_t *s, int64_t after_seq, size_t limit, const char *object,
                         aib_arena_t *arena, aib_audit_entry_t **out, size_t *n, aib_diag_t *diag);

typedef struct aib_audit_report {
    int ok;              /* 1 when the whole chain verifies */
    int64_t entries;     /* entries checked */
    int64_t bad_seq;     /* first seq that fails (0 when ok) */
    char head_hash[65];  /* hash of the last entry ("" when empty): record it elsewhere to detect
                            a wholesale rewrite */
    char problem[256];   /* plain words: altered, missing, reordered, head mismatch */
} aib_audit_report_t;

/* Walks the whole chain: recomputes each hash, checks seq continuity, prev_hash links and the
 * stored head (which catches a missing last entry). Returns 0 when the check ran (see rep->ok). */
int aib_store_audit_verify(aib_store_t *s, aib_audit_report_t *rep, aib_diag_t *diag);

/* ---- Backup and restore -------------------------------------------------------------------- */

/* Writes a consistent copy of the whole store to dest_path as an SQLite database file (for the
 * SQLite backend an online sqlite3_backup; for PostgreSQL a logical copy in one repeatable-read
 * snapshot). The file is written to dest_path.tmp and renamed when complete. */
int aib_store_backup(aib_store_t *s, const char *dest_path, aib_diag_t *diag);
/* Replaces the store's whole content with the backup at src_path, in one transaction, after
 * checking that the backup's audit chain verifies (else AIB_EINVAL, store unchanged). */
int aib_store_restore(aib_store_t *s, const char *src_path, aib_diag_t *diag);

#endif
