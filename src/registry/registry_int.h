/* registry_int.h — internals of the innovation registry (src/registry/): the handle, the SQLite
 * schema helpers, release classes and the allowed-class table that every read joins, the text
 * tokenizer and MinHash signatures shared by search, dupes and match. */
#ifndef AIB_REGISTRY_INT_H
#define AIB_REGISTRY_INT_H

#include <sqlite3.h>

#include "aib/registry.h"

#define AIB__REG_MINHASH 128     /* signature length (uint32 each) */
#define AIB__REG_BANDS 32        /* LSH bands of AIB__REG_MINHASH / AIB__REG_BANDS rows */
#define AIB__REG_MAX_TERMS 4096  /* terms kept per text */

struct aib_registry {
    sqlite3 *db;
    char node[4];
    aib_registry_taxonomy_t *tax;
    aib_determine_engine_t *engine;
    bool own_engine;
    aib_store_t *audit;
    int in_txn;            /* aib_registry_begin depth (0 or 1) */
    size_t pending_adds;   /* adds inside begin/commit, audited as one entry at commit */
    aib_actor_t pending_who;
    char pending_person[128], pending_nation[8], pending_role[40];
    char today[11];        /* date release decisions are taken on */
    /* The allowed-class set currently in temp.rg_allowed and what it was computed for. */
    char allowed_key[96];
    int64_t allowed_classes; /* number of classes known when it was computed */
    int64_t n_allowed;
};

/* ---- reg_db.c ------------------------------------------------------------------------------------ */

/* Creates or migrates the registry tables (registry_meta.schema = 1). */
int aib__registry_db_init(aib_registry_t *r, aib_diag_t *diag);
/* Runs sql (no result rows). */
int aib__registry_exec(aib_registry_t *r, const char *sql, aib_diag_t *diag);
/* Prepares sql; AIB_EINTERNAL with the SQLite message in diag on failure. */
int aib__registry_prepare(aib_registry_t *r, const char *sql, sqlite3_stmt **st, aib_diag_t *diag);
/* Reports the connection's last error in diag, returns AIB_EIO. */
int aib__registry_dberr(aib_registry_t *r, const char *what, aib_diag_t *diag);
/* Inserts (replace=false) or replaces the stored row of rec, with its class, derived columns,
 * area/nation rows and MinHash signature; received_from "" for local records. Caller holds a
 * transaction. */
int aib__registry_store_record(aib_registry_t *r, const aib_registry_record_t *rec, int64_t cls,
                               const char *received_from, bool replace, aib_diag_t *diag);
/* Decodes the stored canonical JSON of a row into out. */
int aib__registry_decode(const char *json, size_t len, aib_arena_t *arena,
                         aib_registry_record_t *out, aib_diag_t *diag);
/* Current time in ms. */
int64_t aib__registry_now_ms(void);
/* Audit append when a store was given (errors go to diag but the write already stands). */
int aib__registry_audit(aib_registry_t *r, const aib_actor_t *who, const char *action,
                        const char *object, const char *detail, aib_diag_t *diag);

/* ---- reg_release.c --------------------------------------------------------------------------------- */

/* The release class of (label, owning nation): found or created. The label is checked by the
 * rules' marking parser (AIB_EINVAL naming "label" when it does not parse). */
int aib__registry_class(aib_registry_t *r, const char *label, const char *nation, int64_t *cls,
                        aib_diag_t *diag);
/* Fills temp.rg_allowed with the classes releasable to who (computing and caching missing
 * decisions), unless it already holds them. Bad requester fields: AIB_EINVAL naming the field. */
int aib__registry_allow(aib_registry_t *r, const aib_registry_requester_t *who, aib_diag_t *diag);
/* Rank of a level name for the rules ("SECRET" -> 3); AIB_EINVAL when unknown. */
int aib__registry_level_rank(aib_registry_t *r, const char *level, int *rank, aib_diag_t *diag);

/* ---- reg_text.c ------------------------------------------------------------------------------------ */

/* Lower-cased words of text without stopwords and very short tokens, lightly stemmed, sorted and
 * unique. *terms point into arena. */
int aib__registry_terms(const char *text, size_t len, aib_arena_t *arena, const char ***terms,
                        size_t *n);
/* MinHash signature of a sorted unique term set. */
void aib__registry_minhash(const char *const *terms, size_t n, uint32_t sig[AIB__REG_MINHASH]);
/* |a ∩ b| / |a ∪ b| of two sorted unique term sets; the common terms (pointing into a) go to
 * common (may be NULL, capacity cap). */
double aib__registry_jaccard(const char *const *a, size_t na, const char *const *b, size_t nb,
                             const char **common, size_t cap, size_t *n_common);
/* Words of a search text as typed (lower-cased, at most 64), for FTS5 queries. */
int aib__registry_query_words(const char *text, aib_arena_t *arena, const char ***words, size_t *n);
/* Appends an FTS5 query of the terms: each quoted, joined with " " (all) or " OR " (any). */
int aib__registry_fts_query(const char *const *terms, size_t n, bool any, aib_buf_t *out);

/* ---- reg_search.c ---------------------------------------------------------------------------------- */

/* Same as aib_registry_search without the release filter: for the benchmark's overhead
 * figure only; never reachable from the CLI or the API. */
int aib__registry_search_unfiltered(aib_registry_t *r, const aib_registry_query_t *q,
                                    aib_arena_t *arena, aib_registry_hit_t **out, size_t *n,
                                    aib_diag_t *diag);
/* Loads the records of the given rowids (with scores) into hits. */
int aib__registry_load_hits(aib_registry_t *r, const int64_t *rids, const double *scores,
                            size_t n, aib_arena_t *arena, aib_registry_hit_t **out,
                            aib_diag_t *diag);

/* ---- reg_bundle.c / keys ----------------------------------------------------------------------------- */

int aib__registry_hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t n);
void aib__registry_hex_encode(const uint8_t *in, size_t n, char *out);

#endif
