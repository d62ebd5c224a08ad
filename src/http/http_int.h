/* http_int.h — internals of the HTTP API server (src/http/): the route table, the per-request
 * context handlers fill, the store handle pool, Cedar authorization of API calls, the token
 * cache and the Prometheus counters. server.c owns the libmicrohttpd side; each h_*.c file holds
 * the handlers of one group of routes. */
#ifndef AIB_HTTP_INT_H
#define AIB_HTTP_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <jansson.h>

#include "aib/arena.h"
#include "aib/cases.h"
#include "aib/cedar.h"
#include "aib/http.h"
#include "aib/registry.h"
#include "aib/store.h"

struct MHD_Connection;
typedef struct aib__req aib__req_t;
typedef int (*aib__handler_fn)(aib__req_t *r);

/* ---- Routes (router.c) ----------------------------------------------------------------------- */

enum {
    AIB__RT_PUBLIC = 1u, /* no token needed */
    AIB__RT_BODY = 2u,   /* takes a JSON request body */
    AIB__RT_SCREEN = 4u  /* only when screening lists are loaded */
};

typedef struct aib__route {
    const char *method;  /* "GET", "POST", "PATCH" */
    const char *pattern; /* "/v1/cases/{id}/transition": {id} matches one path segment */
    const char *name;    /* stable label for logs and metrics, e.g. "case.get" */
    unsigned flags;
    aib__handler_fn fn;
} aib__route_t;

/* The route table (static; also read by the OpenAPI completeness test). */
const aib__route_t *aib__http_routes(size_t *n);

/* Result of matching a request line. id receives the {id} segment (checked: 1..64 characters of
 * [A-Za-z0-9_.-]). */
typedef struct aib__match {
    const aib__route_t *route;
    size_t index; /* into aib__http_routes */
    char id[65];
} aib__match_t;

/* Matches method + path (path without the query string). Returns 0; AIB_ENOTFOUND when no route
 * has this path; AIB_EINVAL when the path exists but not for this method (allow receives the
 * methods, comma-separated); AIB_ELIMIT when the {id} segment is malformed (a 404 too). */
int aib__http_route_match(const char *method, const char *path, aib__match_t *m, char *allow,
                          size_t cap);

/* One query-string parameter as libmicrohttpd decoded it (val NULL for "?flag"). */
typedef struct aib__kv {
    const char *key;
    const char *val;
} aib__kv_t;

/* Checks that every parameter is in allowed (NULL-terminated) and none repeats; otherwise
 * AIB_EINVAL with diag->file = "query.<name>". */
int aib__http_query_check(const aib__kv_t *kv, size_t n, const char *const *allowed,
                          aib_diag_t *diag);
/* Value of key in kv, NULL when absent. */
const char *aib__http_query_get(const aib__kv_t *kv, size_t n, const char *key);
/* Parses a decimal in [lo, hi]; AIB_EINVAL naming "query.<key>" otherwise. */
int aib__http_query_int(const char *key, const char *val, int64_t lo, int64_t hi, int64_t *out,
                        aib_diag_t *diag);

/* ---- Principal, tokens (token.c) -------------------------------------------------------------- */

typedef struct aib__principal {
    char token_id[AIB_HTTP_TOKEN_ID_LEN + 1];
    char person[128];
    char nation[8];
    char role[33];
} aib__principal_t;

/* Verified tokens are cached by id with a keyed BLAKE2b digest of the token, so the Argon2id
 * check runs once per token per ttl (revocation takes effect within ttl). */
#define AIB__TOKEN_CACHE_SLOTS 1024
typedef struct aib__token_slot {
    char id[AIB_HTTP_TOKEN_ID_LEN + 1];
    unsigned char digest[32];
    int64_t verified_ms;
    aib__principal_t who;
} aib__token_slot_t;

typedef struct aib__token_cache {
    pthread_mutex_t mu;
    unsigned char key[32];
    int64_t ttl_ms;
    aib__token_slot_t slots[AIB__TOKEN_CACHE_SLOTS];
} aib__token_cache_t;

int aib__token_cache_init(aib__token_cache_t *c, int64_t ttl_ms);
void aib__token_cache_free(aib__token_cache_t *c);
/* Checks an Authorization header value ("Bearer aib_..."). 0 and *out filled when valid;
 * AIB_EDENIED when absent, malformed, unknown, revoked or wrong (diag says which, for the
 * log only: clients get one message); another AIB_E* on store failure. */
int aib__token_verify(aib__token_cache_t *c, aib_store_t *st, const char *header,
                      aib_arena_t *arena, aib__principal_t *out, aib_diag_t *diag);

/* ---- Cedar authorization of API calls (authz.c) ------------------------------------------- */

typedef struct aib__authz {
    aib_cedar_policyset_t *ps;
    aib_cedar_schema_t *schema;
} aib__authz_t;

/* Loads every *.cedar file of dir (each parsed alone first, for exact file:line:col errors)
 * and the one *.cedarschema, and validates the policies against it: any error refuses the pack. */
int aib__authz_load(aib__authz_t *a, const char *dir, aib_diag_t *diag);
void aib__authz_free(aib__authz_t *a);

/* The resource of an API call: a Case (with its owning nation, release list, type, stage) or a
 * Service (with the operator nation). */
typedef struct aib__resource {
    const char *type; /* "Case" or "Service" */
    const char *id;
    const char *nation;
    const char *const *released_to;
    size_t n_released_to;
    const char *case_type;
    const char *stage;
    int closed;
    const char *operator_nation;
} aib__resource_t;

/* Asks the engine whether principal p may do action on res. *allowed is 1 or 0; the deciding
 * policy ids are not needed by callers. Temporary data in arena. */
int aib__authz_check(const aib__authz_t *a, const aib__principal_t *p, const char *action,
                     const aib__resource_t *res, aib_arena_t *arena, int *allowed,
                     aib_diag_t *diag);
/* Fills res from a case. */
void aib__authz_case_resource(const aib_case_t *c, aib__resource_t *res);

/* ---- Prometheus counters (prom.c) ----------------------------------------------------------- */

#define AIB__PROM_MAX_ROUTES 40
#define AIB__PROM_BUCKETS 12
#define AIB__PROM_CODES 16

typedef struct aib__prom {
    size_t n_routes; /* routes + "unmatched" + "static" */
    const char *names[AIB__PROM_MAX_ROUTES];
    atomic_ullong count[AIB__PROM_MAX_ROUTES][AIB__PROM_CODES];
    atomic_ullong bucket[AIB__PROM_MAX_ROUTES][AIB__PROM_BUCKETS];
    atomic_ullong sum_us[AIB__PROM_MAX_ROUTES];
    atomic_ullong in_flight;
} aib__prom_t;

void aib__prom_init(aib__prom_t *p);
void aib__prom_observe(aib__prom_t *p, size_t route, int status, int64_t us);
int aib__prom_render(aib__prom_t *p, aib_buf_t *out);

/* ---- Server and request context (server.c) --------------------------------------------------- */

struct aib_http_server {
    struct MHD_Daemon *mhd;
    int port;
    size_t max_body;
    char operator_nation[8];
    /* Store handles, one per worker; a handle whose connection failed is reopened on checkout. */
    char *sqlite_path, *pg_conninfo;
    aib_store_t **stores;
    unsigned char *busy;
    size_t n_stores;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    /* SQLite has one writer at a time; queueing writers here (FIFO-ish) instead of in SQLite's
     * sleeping busy handler keeps the write latency tail short. Unused for PostgreSQL. */
    int serialize_writes;
    pthread_mutex_t write_mu;
    aib_cases_t *cases;
    aib__authz_t authz;
    aib__token_cache_t tokens;
    aib__prom_t prom;
    char *openapi;
    size_t openapi_len;
    char *web_dir;
    void *screen; /* aib_screen_lists_t * when loaded */
    pthread_mutex_t screen_mu;
    struct aib_determine_engine *determine; /* NULL when the packs did not load */
    char *determine_dir; /* the packs' folder (NULL = the engine's default) */
    /* Registry handles, one per store slot (the handle audits into that slot's store), each with
     * its own determinations engine (engines are one thread at a time) sharing the alliance data
     * of `determine`. Opened on first use; NULL when the store is PostgreSQL. */
    aib_registry_t **registries;
    aib_determine_engine_t **reg_engines;
    char registry_problem[1200]; /* non-empty: the registry cannot be opened (503 with this) */
    char clearance[24];          /* clearance assumed for registry requesters */
    char determine_problem[1200];
    pthread_mutex_t determine_mu;
    atomic_int in_flight;
    FILE *log;
    pthread_mutex_t log_mu;
};

/* One request, from its first byte to the completion callback. */
struct aib__req {
    aib_http_server_t *srv;
    struct MHD_Connection *conn;
    aib__match_t m;
    int matched;       /* 0: no route (404/405 or static file) */
    size_t prom_route;
    char method[16];
    char path[512];
    aib_buf_t body;
    int too_large;
    aib_arena_t *arena;
    aib__kv_t *query;
    size_t n_query;
    aib__principal_t who;
    aib_store_t *st;
    size_t st_slot;
    int st_failed; /* the handle saw a connection-level failure: reopen it */
    /* Response */
    int status;
    aib_buf_t out;
    const char *ctype;
    char location[128];
    char allow[64];
    int www_auth;
    int64_t t0_ns;
    int64_t store_ns;
};

/* Store handle for this request (checked out on first use, returned when the request ends).
 * NULL after writing a 503 when no handle can be opened. */
aib_store_t *aib__req_store(aib__req_t *r);
/* Registry handle for this request (checks out the store slot first). NULL after writing a 503
 * when the registry is not available on this server. */
aib_registry_t *aib__req_registry(aib__req_t *r);
/* Brackets one store write (see serialize_writes). */
void aib__req_write_begin(aib__req_t *r);
void aib__req_write_end(aib__req_t *r);
/* Marks the handle for reopening when rc says the connection broke. */
void aib__req_store_rc(aib__req_t *r, int rc);

/* ---- Responses (respond.c) --------------------------------------------------------------------- */

/* {"error":{"status":S,"code":"...","field":"...","message":"..."}}; field may be NULL. */
int aib__http_error(aib__req_t *r, int status, const char *code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Maps a library error to a response: EINVAL/EPARSE/ESCHEMA/ETYPE/ELIMIT -> 400 (field from
 * diag->file), ENOTFOUND -> 404, EEXIST -> 409, EDENIED -> 403, others -> 500 (details logged). */
int aib__http_error_rc(aib__req_t *r, int rc, const aib_diag_t *d);
/* Parses the request body as one JSON object (rejecting duplicate keys). On failure writes a
 * 400 naming the body position and returns AIB_EPARSE. *out is a new reference. */
int aib__http_body_object(aib__req_t *r, json_t **out);
/* Checks that obj has only keys from allowed (NULL-terminated); else 400 naming the field. */
int aib__http_only_keys(aib__req_t *r, json_t *obj, const char *prefix,
                        const char *const *allowed);
/* Parses text as one JSON object with a 400 naming "body" (line:col) on failure. Fuzzable. */
int aib__http_parse_object(const char *text, size_t len, json_t **out, aib_diag_t *diag);

/* ---- Handlers -------------------------------------------------------------------------------- */

int aib__h_case_create(aib__req_t *r);
int aib__h_case_list(aib__req_t *r);
int aib__h_case_get(aib__req_t *r);
int aib__h_case_update(aib__req_t *r);
int aib__h_case_transition(aib__req_t *r);
int aib__h_case_comment(aib__req_t *r);
int aib__h_case_attach(aib__req_t *r);
int aib__h_case_audit(aib__req_t *r);
int aib__h_case_types(aib__req_t *r);
int aib__h_metrics(aib__req_t *r);
int aib__h_audit(aib__req_t *r);
int aib__h_audit_verify(aib__req_t *r);
int aib__h_whoami(aib__req_t *r);
int aib__h_cedar_authorize(aib__req_t *r);
int aib__h_screen(aib__req_t *r);
int aib__h_determine(aib__req_t *r);
int aib__h_healthz(aib__req_t *r);
int aib__h_registry_search(aib__req_t *r);
int aib__h_registry_get(aib__req_t *r);
int aib__h_registry_add(aib__req_t *r);
int aib__h_registry_dupes(aib__req_t *r);
int aib__h_registry_match(aib__req_t *r);
int aib__h_registry_taxonomy(aib__req_t *r);
int aib__h_eligibility(aib__req_t *r);
int aib__h_lookup_countries(aib__req_t *r);
int aib__h_lookup_groups(aib__req_t *r);
int aib__h_lookup_usml(aib__req_t *r);
int aib__h_lookup_eccn(aib__req_t *r);
int aib__h_prom(aib__req_t *r);
int aib__h_openapi(aib__req_t *r);

/* The case filter from the query (type, subtype, stage, owner, nation, tag, open, cursor,
 * limit), always with visible_to = the caller's nation. AIB_EINVAL naming "query.<key>". */
int aib__http_case_filter(aib__req_t *r, aib_case_filter_t *f, aib_diag_t *diag);
/* Appends audit entries as {"items":[...],"next_after":N|null} (N when the page was full). */
int aib__http_audit_json(aib_buf_t *b, const aib_audit_entry_t *e, size_t n, size_t limit);

/* Authorizes r's principal for action on a Service resource named id; writes 403 on deny.
 * Returns 0 when allowed, else the error already answered. */
int aib__req_allow_service(aib__req_t *r, const char *action, const char *id);

/* Milliseconds since the epoch (system clock). */
int64_t aib__http_now_ms(void);

#endif
