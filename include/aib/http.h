/* http.h — aib's HTTP API server: a JSON API under /v1/ (cases, metrics, audit, Cedar
 * authorization and the other capabilities' endpoints) served by libmicrohttpd on a thread pool,
 * every request authenticated by a bearer token and authorized by the Cedar engine against the
 * API policies (policies/api/). Also the API token format and its Argon2id-hashed storage.
 * Routes, roles and error shapes: docs/api.md and docs/openapi.json. */
#ifndef AIB_HTTP_H
#define AIB_HTTP_H

#include <stdio.h>

#include "aib/common.h"
#include "aib/store.h"

typedef struct aib_http_server aib_http_server_t;

/* Server configuration. Strings are only read during aib_http_start (copied where kept). */
typedef struct aib_http_config {
    const char *sqlite_path;     /* exactly one of sqlite_path / pg_conninfo is non-NULL */
    const char *pg_conninfo;
    const char *listen;          /* "HOST:PORT", IPv4 literal; NULL = "127.0.0.1:8080";
                                    port 0 picks a free port (see aib_http_port) */
    const char *api_policies;    /* directory with *.cedar and api.cedarschema (policies/api) */
    const char *cases_dir;       /* case type data (data/cases) */
    const char *routing_dir;     /* routing policies (policies/routing) */
    const char *openapi_path;    /* served at GET /v1/openapi.json (docs/openapi.json) */
    const char *web_dir;         /* static files served under /; NULL = none */
    const char *screen_lists;    /* screening list file or directory; NULL = no /v1/screen */
    const char *determine_policies; /* determination packs (policies/: determine.cedarschema,
                                       current/, proposed/); NULL = the engine's default. When
                                       they do not load, /v1/determine answers 503 with why */
    const char *operator_nation; /* nation operating the server (its admins read the global
                                    audit log); NULL = "USA" */
    const char *registry_clearance; /* clearance the registry's release check assumes for every
                                       token (/v1/registry/...); NULL = "CUI" */
    unsigned threads;            /* worker threads; 0 = 8 */
    size_t max_body;             /* largest request body accepted; 0 = 1 MiB */
    FILE *log;                   /* one JSON line per request; NULL = stderr */
} aib_http_config_t;

/* Opens one store handle per worker (migrating the schema first), loads and validates the API
 * policies (an invalid pack is refused with file:line:col in diag), loads the case types and
 * starts listening. On error nothing is left running and *out is NULL. */
int aib_http_start(const aib_http_config_t *cfg, aib_http_server_t **out, aib_diag_t *diag);
/* The port actually listened on. */
int aib_http_port(const aib_http_server_t *s);
/* Graceful stop: stops accepting connections, waits up to grace_ms for requests in flight to
 * finish and their responses to be sent, then stops the workers and frees everything. */
void aib_http_stop(aib_http_server_t *s, int grace_ms);

/* ---- API tokens ---------------------------------------------------------------------------- */

/* A token is "aib_" + id (16 lowercase hex) + "_" + secret (43 base64url characters, 32 random
 * bytes). The store keeps the id and an Argon2id hash of the whole token only. */
#define AIB_HTTP_TOKEN_ID_LEN 16
#define AIB_HTTP_TOKEN_MAX 96

/* Creates a token for person (NULL/"" = "token-<id>") of nation (ISO 3166-1 alpha-3, upper
 * case) with role ([a-z_]{1,32}), stores its hash and writes the token text to out (cap >=
 * AIB_HTTP_TOKEN_MAX). who is recorded in the audit log. Bad nation/role: AIB_EINVAL naming the
 * field in diag->file. */
int aib_http_token_create(aib_store_t *st, const aib_actor_t *who, const char *nation,
                          const char *role, const char *person, char *out, size_t cap,
                          aib_diag_t *diag);

/* Splits "aib_<id>_<secret>" (len bytes): copies the id into id (cap >= 17). AIB_EINVAL when the
 * text is not of that shape. */
int aib_http_token_split(const char *tok, size_t len, char *id, size_t cap);

#endif
