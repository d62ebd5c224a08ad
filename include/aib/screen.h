/* screen.h — restricted-party screening: sanctions/denied-party list loaders, the name matcher
 * (normalise, transliterate, candidate index, calibrated score with explanation), the OFAC 50%
 * ownership rule and the decisions log. Used by `aib screen`; see docs/screening.md.
 * Ownership: a list set owns every entry, string and index it loads; results own their hits in
 * their own arena. Nothing here is thread-safe for one object; the transliterator is process-wide. */
#ifndef AIB_SCREEN_H
#define AIB_SCREEN_H

#include <stddef.h>
#include <stdbool.h>

#include "aib/arena.h"
#include "aib/common.h"

#define AIB_SCREEN_MATCHER_VERSION "aib-screen-match/1.0"
/* Default decision threshold on the calibrated score. */
#define AIB_SCREEN_DEFAULT_THRESHOLD 0.5

typedef enum aib_screen_schema {
    AIB_SCREEN_ANY = 0, /* unknown or any kind */
    AIB_SCREEN_PERSON,
    AIB_SCREEN_COMPANY, /* organisations, companies, groups */
    AIB_SCREEN_VESSEL,
    AIB_SCREEN_AIRCRAFT
} aib_screen_schema_t;

/* "Person", "Company" (also "Organization", "Entity", "individual"), "Vessel", "Aircraft", "Any";
 * case-insensitive. Returns false for other text. */
bool aib_screen_schema_parse(const char *s, aib_screen_schema_t *out);
const char *aib_screen_schema_name(aib_screen_schema_t s);

/* One listed party. All strings NUL-terminated, owned by the list set. names[0] is the primary
 * name as published; the rest are aliases. countries are ISO 3166 alpha-2 codes (upper case);
 * dobs "YYYY", "YYYY-MM" or "YYYY-MM-DD"; ids are identifiers folded to upper-case letters and
 * digits (passport, national id, registration, IMO...). */
typedef struct aib_screen_entry {
    const char *id;   /* "<list>:<source id>", e.g. "ofac-sdn:306" */
    const char *list; /* list name, e.g. "ofac-sdn" */
    aib_screen_schema_t schema;
    const char **names;
    size_t n_names;
    const char **countries;
    size_t n_countries;
    const char **dobs;
    size_t n_dobs;
    const char **ids;
    size_t n_ids;
    const char *programs; /* may be NULL */
    const char *remarks;  /* may be NULL */
} aib_screen_entry_t;

/* One loaded list: name, source file(s), entry count and the SHA-256 (hex) of its content. */
typedef struct aib_screen_list_info {
    const char *name;
    const char *source;
    const char *sha256;
    size_t n_entries;
} aib_screen_list_info_t;

typedef struct aib_screen_lists aib_screen_lists_t;

int aib_screen_lists_new(aib_screen_lists_t **out);
void aib_screen_lists_free(aib_screen_lists_t *ls);

/* Loads every recognised list in path: a directory, a .tar/.tar.gz archive, or one file.
 * Recognised names: sdn.csv (+alt.csv, add.csv, sdn_comments.csv), cons_prim.csv (+cons_alt.csv,
 * cons_add.csv, cons_comments.csv), dpl.txt, *.xml (UN consolidated), *.json (US Consolidated
 * Screening List), *.jsonl (aib list format). Errors name the file and line. */
int aib_screen_lists_load_path(aib_screen_lists_t *ls, const char *path, aib_diag_t *diag);

/* In-memory files: names[i] is the base name that selects the format (as above), data[i]/lens[i]
 * its content. Related OFAC files must come in the same call. Used by the fuzzers and tests. */
int aib_screen_lists_load_mem(aib_screen_lists_t *ls, size_t n, const char *const *names,
                              const char *const *data, const size_t *lens, aib_diag_t *diag);

size_t aib_screen_lists_count(const aib_screen_lists_t *ls);
const aib_screen_list_info_t *aib_screen_lists_info(const aib_screen_lists_t *ls, size_t i);
size_t aib_screen_lists_entries(const aib_screen_lists_t *ls);
const aib_screen_entry_t *aib_screen_lists_entry(const aib_screen_lists_t *ls, size_t i);
/* Builds the candidate index (called lazily by the first query; call it to time it). */
int aib_screen_lists_build_index(aib_screen_lists_t *ls);
/* Bytes held by entries and index (approximate). */
size_t aib_screen_lists_memory(const aib_screen_lists_t *ls);

/* ---- names ---------------------------------------------------------------------------- */

/* Folds a name to the matcher's canonical text: transliterated to Latin ASCII, lower case,
 * tokens separated by one space, legal forms canonicalised (e.g. "aktiengesellschaft" -> "ag"),
 * and for persons "SURNAME, Given" turned into "Given SURNAME". out is NUL-terminated. */
int aib_screen_normalize(const char *name, size_t len, aib_screen_schema_t schema, aib_buf_t *out);

/* Simplified phonetic key of one folded token (at most cap-1 chars); "" when it has none. */
void aib_screen_phonetic(const char *tok, size_t len, char *key, size_t cap);

double aib_screen_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
/* Levenshtein distance (bytes); inputs longer than 255 bytes are truncated. */
size_t aib_screen_levenshtein(const char *a, size_t la, const char *b, size_t lb);

/* ---- matching ------------------------------------------------------------------------- */

typedef struct aib_screen_query {
    const char *name;
    aib_screen_schema_t schema;
    const char *country;   /* ISO alpha-2 or a country name; NULL when unknown */
    const char *dob;       /* "YYYY[-MM[-DD]]"; NULL when unknown */
    const char *id_number; /* an identifier; NULL when unknown */
    double threshold;      /* hits at or above are matches; <= 0 means the default */
    size_t limit;          /* most hits returned (0 = 10) */
    bool all_candidates;   /* also return scored candidates below the threshold */
} aib_screen_query_t;

/* One term of a score: name ("name", "country", "dob", "id", "schema", ...), what was compared
 * and its contribution (in log-odds; the id feature decides outright). */
typedef struct aib_screen_feature {
    const char *name;
    const char *detail;
    double contribution;
} aib_screen_feature_t;

/* One token pair of the name alignment (qtok from the query, ctok from the listed name;
 * either may be NULL when unmatched). */
typedef struct aib_screen_align {
    const char *qtok;
    const char *ctok;
    double sim;
    double weight;
} aib_screen_align_t;

typedef struct aib_screen_hit {
    const aib_screen_entry_t *entry;
    size_t name_idx;     /* the best matching name in entry->names */
    const char *matched; /* its folded form */
    double score;        /* calibrated, 0..1 */
    double name_score;   /* name similarity alone, 0..1 */
    bool match;          /* score >= threshold */
    aib_screen_align_t *align;
    size_t n_align;
    aib_screen_feature_t *features;
    size_t n_features;
} aib_screen_hit_t;

typedef struct aib_screen_result {
    aib_arena_t *arena; /* owns everything below */
    char result_id[17]; /* hex; stable for the same query, lists, matcher and threshold */
    const char *query_folded;
    double threshold;
    size_t n_candidates; /* candidates the index proposed and the scorer examined */
    aib_screen_hit_t *hits;
    size_t n_hits;
} aib_screen_result_t;

/* Screens q against every loaded list (builds the index on first use). *out is freed with
 * aib_screen_result_free. */
int aib_screen_query(aib_screen_lists_t *ls, const aib_screen_query_t *q, aib_screen_result_t **out,
                     aib_diag_t *diag);
void aib_screen_result_free(aib_screen_result_t *r);
/* Appends the result as one JSON object (query, lists with hashes, matcher version, threshold,
 * hits with explanations). */
int aib_screen_result_json(const aib_screen_lists_t *ls, const aib_screen_query_t *q,
                           const aib_screen_result_t *r, aib_buf_t *out);

/* Pure pairwise score of two names (no list needed): calibrated score in [0,1]. When explain is
 * non-NULL a JSON object with the alignment and the feature contributions is appended. */
int aib_screen_pair(const char *name1, const char *name2, aib_screen_schema_t schema, double *score,
                    aib_buf_t *explain);

/* ---- ownership (OFAC 50% rule) ---------------------------------------------------------- */

typedef enum aib_screen_own_status {
    AIB_SCREEN_OWN_NOT_BLOCKED = 0,
    AIB_SCREEN_OWN_REVIEW,  /* could reach 50% through holdings of unknown size */
    AIB_SCREEN_OWN_BLOCKED_50, /* blocked by the 50% rule */
    AIB_SCREEN_OWN_LISTED      /* itself on a list */
} aib_screen_own_status_t;

const char *aib_screen_own_status_name(aib_screen_own_status_t s);

/* Evaluates the ownership graph in json (format in docs/screening.md) for entity id as of date
 * ("YYYY-MM-DD"; NULL = every edge without an end date in force). Appends a JSON answer (status,
 * blocked aggregate, chains of holdings, cycles, control notes) to out; *status receives the
 * verdict. Malformed graphs fail with the JSON path of the problem in diag. */
int aib_screen_ownership(const char *json, size_t len, const char *entity, const char *as_of,
                         aib_screen_own_status_t *status, aib_buf_t *out, aib_diag_t *diag);

/* ---- decisions ------------------------------------------------------------------------ */

/* Appends one JSON line {time, result_id, decision, note, entry} to the log at path (created
 * when missing). decision is "cleared" or "escalated"; result_id 16 hex digits. */
int aib_screen_decide(const char *path, const char *result_id, const char *decision,
                      const char *entry, const char *note, aib_diag_t *diag);

/* ---- shared by the loaders and the CLI -------------------------------------------------- */

/* Country name or code to ISO alpha-2 in code[3] ("" when unknown). */
bool aib_screen_country_code(const char *name, size_t len, char code[3]);
/* SHA-256 of data as 64 lower-case hex digits plus NUL. */
void aib_screen_sha256_hex(const void *data, size_t len, char hex[65]);
/* Releases the process-wide transliterator (optional, at exit). */
void aib_screen_shutdown(void);

#endif
