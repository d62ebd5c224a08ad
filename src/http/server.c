/* server.c — the libmicrohttpd side of the API server: start and graceful stop, the access
 * handler that collects a request (bounded body), matches the route, authenticates the bearer
 * token and calls the handler, the store handle pool, and one JSON log line per request.
 * Handlers (h_*.c) only see an aib__req_t and fill its response. */
#include "http_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aib/determine.h"
#include "aib/screen.h"

#define MAX_QUERY 32
#define DEFAULT_BODY (1u << 20)

static int64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- Store pool ---------------------------------------------------------------------------- */

static int store_open(aib_http_server_t *s, aib_store_t **out, aib_diag_t *diag)
{
    return aib_store_open(s->sqlite_path, s->pg_conninfo, out, diag);
}

aib_store_t *aib__req_store(aib__req_t *r)
{
    aib_http_server_t *s = r->srv;
    size_t i;
    aib_diag_t d;

    if (r->st)
        return r->st;
    pthread_mutex_lock(&s->pool_mu);
    for (;;) {
        for (i = 0; i < s->n_stores; i++)
            if (!s->busy[i])
                break;
        if (i < s->n_stores)
            break;
        pthread_cond_wait(&s->pool_cv, &s->pool_mu);
    }
    s->busy[i] = 1;
    pthread_mutex_unlock(&s->pool_mu);
    r->st_slot = i;
    if (!s->stores[i]) {
        aib_diag_clear(&d);
        if (store_open(s, &s->stores[i], &d) != 0) {
            s->stores[i] = NULL;
            pthread_mutex_lock(&s->pool_mu);
            s->busy[i] = 0;
            pthread_cond_signal(&s->pool_cv);
            pthread_mutex_unlock(&s->pool_mu);
            aib__http_error(r, 503, "unavailable", NULL, "storage unavailable, retry");
            return NULL;
        }
    }
    r->st = s->stores[i];
    return r->st;
}

/* Opens slot i's registry handle (and its engine) auditing into store st. */
static int registry_open_slot(aib_http_server_t *s, size_t i, aib_store_t *st, aib_diag_t *d)
{
    aib_registry_opts_t o;
    aib_determine_opts_t dopts;
    int rc;

    if (!s->reg_engines[i]) {
        /* Release decisions run the disclosure rules; an engine is one thread at a time, so each
         * slot has its own, sharing the (read-only) alliance data of the server's engine. */
        memset(&dopts, 0, sizeof(dopts));
        dopts.policy_dir = s->determine_dir;
        dopts.alliance = aib_determine_engine_alliance(s->determine);
        if ((rc = aib_determine_engine_open(&dopts, &s->reg_engines[i], d)) != 0) {
            s->reg_engines[i] = NULL;
            return rc;
        }
    }
    memset(&o, 0, sizeof(o));
    o.db_path = s->sqlite_path;
    o.node_nation = s->operator_nation;
    o.engine = s->reg_engines[i];
    o.audit = st;
    if ((rc = aib_registry_open(&o, &s->registries[i], d)) != 0)
        s->registries[i] = NULL;
    return rc;
}

aib_registry_t *aib__req_registry(aib__req_t *r)
{
    aib_http_server_t *s = r->srv;
    aib_diag_t d;
    int rc;

    if (!s->registries || !s->determine) {
        aib__http_error(r, 503, "unavailable", NULL, "the registry is not available on this server: %s",
                        s->registry_problem);
        return NULL;
    }
    if (!aib__req_store(r))
        return NULL;
    if (s->registries[r->st_slot])
        return s->registries[r->st_slot];
    aib_diag_clear(&d);
    if ((rc = registry_open_slot(s, r->st_slot, r->st, &d)) != 0) {
        aib__http_error_rc(r, rc == AIB_ENOMEM ? rc : AIB_EINTERNAL, &d);
        return NULL;
    }
    return s->registries[r->st_slot];
}

void aib__req_write_begin(aib__req_t *r)
{
    if (r->srv->serialize_writes)
        pthread_mutex_lock(&r->srv->write_mu);
}

void aib__req_write_end(aib__req_t *r)
{
    if (r->srv->serialize_writes)
        pthread_mutex_unlock(&r->srv->write_mu);
}

void aib__req_store_rc(aib__req_t *r, int rc)
{
    if (rc == AIB_EIO || rc == AIB_EINTERNAL)
        r->st_failed = 1;
}

static void store_release(aib__req_t *r)
{
    aib_http_server_t *s = r->srv;

    if (!r->st)
        return;
    if (r->st_failed) {
        /* Connection-level failure (e.g. the database restarted): reopen on next use. The
         * slot's registry audits into this store handle, so it goes too. */
        if (s->registries) {
            aib_registry_close(s->registries[r->st_slot]);
            s->registries[r->st_slot] = NULL;
        }
        aib_store_close(s->stores[r->st_slot]);
        s->stores[r->st_slot] = NULL;
    } else {
        aib_store_rollback(r->st); /* no-op unless a handler left a transaction open */
    }
    r->st = NULL;
    pthread_mutex_lock(&s->pool_mu);
    s->busy[r->st_slot] = 0;
    pthread_cond_signal(&s->pool_cv);
    pthread_mutex_unlock(&s->pool_mu);
}

/* ---- Request lifecycle -------------------------------------------------------------------- */

static void req_free(aib__req_t *r)
{
    if (!r)
        return;
    store_release(r);
    aib_buf_free(&r->body);
    aib_buf_free(&r->out);
    aib_arena_free(r->arena);
    free(r);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    aib__req_t *r = cls;

    (void)kind;
    if (r->n_query >= MAX_QUERY) {
        r->n_query = MAX_QUERY + 1;
        return MHD_NO;
    }
    r->query[r->n_query].key = key ? key : "";
    r->query[r->n_query].val = value;
    r->n_query++;
    return MHD_YES;
}

int aib__req_allow_service(aib__req_t *r, const char *action, const char *id)
{
    aib__resource_t res;
    aib_diag_t d;
    int allowed = 0, rc;

    memset(&res, 0, sizeof(res));
    res.type = "Service";
    res.id = id;
    res.operator_nation = r->srv->operator_nation;
    aib_diag_clear(&d);
    rc = aib__authz_check(&r->srv->authz, &r->who, action, &res, r->arena, &allowed, &d);
    if (rc != 0) {
        aib__http_error_rc(r, rc == AIB_EINVAL ? AIB_EINTERNAL : rc, &d);
        return rc;
    }
    if (!allowed) {
        aib__http_error(r, 403, "forbidden", NULL, "the API policies do not permit %s", action);
        return AIB_EDENIED;
    }
    return 0;
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".js"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".json"))
        return "application/json";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    if (!strcmp(dot, ".png"))
        return "image/png";
    if (!strcmp(dot, ".ico"))
        return "image/x-icon";
    return "application/octet-stream";
}

/* Static files of --web DIR: no "..", no hidden files, "/" serves index.html. */
static void serve_static(aib__req_t *r)
{
    char file[1024], *data = NULL;
    size_t len, i;
    aib_diag_t d;
    const char *p = r->path;

    if (strstr(p, "..") || strstr(p, "/.") || strchr(p, '\\')) {
        aib__http_error(r, 404, "not_found", NULL, "no such resource");
        return;
    }
    for (i = 0; p[i]; i++)
        if ((unsigned char)p[i] < 0x20) {
            aib__http_error(r, 404, "not_found", NULL, "no such resource");
            return;
        }
    snprintf(file, sizeof(file), "%s%s%s", r->srv->web_dir, p,
             p[strlen(p) - 1] == '/' ? "index.html" : "");
    aib_diag_clear(&d);
    if (aib_read_file(file, &data, &len, &d) != 0) {
        aib__http_error(r, 404, "not_found", NULL, "no such resource");
        return;
    }
    aib_buf_clear(&r->out);
    if (aib_buf_append(&r->out, data, len) != 0)
        aib__http_error(r, 500, "internal", NULL, "out of memory");
    else {
        r->status = 200;
        r->ctype = mime_of(file);
    }
    free(data);
}

static void dispatch(aib__req_t *r)
{
    const aib__route_t *rt = r->m.route;
    const char *ct, *auth;
    aib_diag_t d;
    int rc;

    if (!r->matched) {
        if (r->status)
            return; /* 404/405 prepared at the first call */
        serve_static(r);
        return;
    }
    if (r->n_query > MAX_QUERY) {
        aib__http_error(r, 400, "invalid", "query", "more than %d query parameters", MAX_QUERY);
        return;
    }
    if (rt->flags & AIB__RT_BODY) {
        if (r->too_large) {
            aib__http_error(r, 413, "too_large", "body", "the body exceeds %zu bytes",
                            r->srv->max_body);
            return;
        }
        ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (ct && strncasecmp(ct, "application/json", 16) != 0) {
            aib__http_error(r, 415, "unsupported_media_type", "Content-Type",
                            "send the body as application/json");
            return;
        }
    } else if (r->body.len > 0) {
        aib__http_error(r, 400, "invalid", "body", "this route takes no body");
        return;
    }
    if (!(rt->flags & AIB__RT_PUBLIC)) {
        if (!aib__req_store(r))
            return;
        auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_AUTHORIZATION);
        aib_diag_clear(&d);
        rc = aib__token_verify(&r->srv->tokens, r->st, auth, r->arena, &r->who, &d);
        if (rc == AIB_EDENIED) {
            r->www_auth = 1;
            aib__http_error(r, 401, "unauthenticated", "Authorization",
                            "a valid bearer token is required");
            return;
        }
        if (rc != 0) {
            aib__http_error_rc(r, rc, &d);
            return;
        }
    }
    if (((rt->flags & AIB__RT_SCREEN) && !r->srv->screen)) {
        aib__http_error(r, 404, "not_found", NULL, "screening lists are not loaded on this server");
        return;
    }
    rt->fn(r);
    if (!r->status)
        aib__http_error(r, 500, "internal", NULL, "no response produced");
}

static enum MHD_Result send_response(aib__req_t *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ok;

    resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (void *)"",
                                           MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    if (r->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->www_auth)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"aib\"");
    ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    aib_http_server_t *s = cls;
    aib__req_t *r = *con_cls;
    enum MHD_Result ok;

    (void)version;
    if (!r) {
        const char *cl;
        int rc;

        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->t0_ns = mono_ns();
        aib_buf_init(&r->body);
        aib_buf_init(&r->out);
        r->arena = aib_arena_new(16384);
        r->query = r->arena ? aib_arena_calloc(r->arena, MAX_QUERY, sizeof(aib__kv_t)) : NULL;
        if (!r->query) {
            req_free(r);
            return MHD_NO;
        }
        snprintf(r->method, sizeof(r->method), "%s", method);
        snprintf(r->path, sizeof(r->path), "%s", url);
        atomic_fetch_add(&s->in_flight, 1);
        atomic_fetch_add(&s->prom.in_flight, 1);
        *con_cls = r;
        rc = aib__http_route_match(method, url, &r->m, r->allow, sizeof(r->allow));
        if (rc == 0) {
            r->matched = 1;
            r->prom_route = r->m.index;
        } else {
            r->prom_route = s->prom.n_routes - (s->web_dir ? 1 : 2);
            int is_static = s->web_dir && !strcmp(method, "GET") && strncmp(url, "/v1/", 4) != 0
                            && rc == AIB_ENOTFOUND;

            if (rc == AIB_EINVAL) {
                aib__http_error(r, 405, "method_not_allowed", NULL, "allowed: %s", r->allow);
            } else if (!is_static) {
                r->prom_route = s->prom.n_routes - 2;
                aib__http_error(r, 404, "not_found", NULL, "no such resource");
            }
        }
        if (strlen(url) >= sizeof(r->path)) {
            r->matched = 0;
            aib__http_error(r, 414, "uri_too_long", "path", "the path is too long");
        }
        /* An announced oversized body is refused before it is read. */
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            int64_t n;

            if (aib_parse_i64(cl, strlen(cl), &n) == 0 && n > (int64_t)s->max_body) {
                r->too_large = 1;
                if (r->matched && (r->m.route->flags & AIB__RT_BODY)) {
                    aib__http_error(r, 413, "too_large", "body", "the body exceeds %zu bytes",
                                    s->max_body);
                    r->matched = 0;
                }
                if (r->status)
                    return send_response(r);
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_large && r->body.len + *upload_data_size <= s->max_body) {
            if (aib_buf_append(&r->body, upload_data, *upload_data_size) != 0)
                r->too_large = 1;
        } else {
            r->too_large = 1;
            aib_buf_free(&r->body);
            aib_buf_init(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->status && !r->matched) {
        /* 404/405/414 prepared at the first call; nothing to dispatch. */
        return send_response(r);
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
    dispatch(r);
    store_release(r); /* the handle goes back before the response is written to the socket */
    ok = send_response(r);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    aib_http_server_t *s = cls;
    aib__req_t *r = *con_cls;
    int64_t us;
    aib_buf_t b;
    struct timespec now;
    struct tm tm;
    char ts[96];

    (void)conn;
    if (!r)
        return;
    us = (mono_ns() - r->t0_ns) / 1000;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->status)
        r->status = 499; /* client went away before an answer */
    aib__prom_observe(&s->prom, r->prom_route, r->status, us);
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             now.tv_nsec / 1000000);
    aib_buf_init(&b);
    if (aib_buf_printf(&b, "{\"time\":\"%s\",\"method\":", ts) == 0
        && aib_buf_json_str(&b, r->method, strlen(r->method)) == 0
        && aib_buf_puts(&b, ",\"path\":") == 0 && aib_buf_json_str(&b, r->path, strlen(r->path)) == 0
        && aib_buf_printf(&b, ",\"route\":\"%s\",\"status\":%d,\"ms\":%.3f,\"nation\":",
                          r->matched ? r->m.route->name : "-", r->status, (double)us / 1000.0) == 0
        && aib_buf_json_str(&b, r->who.nation, strlen(r->who.nation)) == 0
        && aib_buf_puts(&b, ",\"token\":") == 0
        && aib_buf_json_str(&b, r->who.token_id, strlen(r->who.token_id)) == 0
        && aib_buf_puts(&b, "}\n") == 0 && s->log) {
        pthread_mutex_lock(&s->log_mu);
        fwrite(b.data, 1, b.len, s->log);
        fflush(s->log);
        pthread_mutex_unlock(&s->log_mu);
    }
    aib_buf_free(&b);
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->prom.in_flight, 1);
    atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- Start and stop ------------------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa, aib_diag_t *diag)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    int64_t port;
    size_t hl;

    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    if (!colon || (hl = (size_t)(colon - listen)) >= sizeof(host)
        || aib_parse_i64(colon + 1, strlen(colon + 1), &port) != 0 || port < 0 || port > 65535) {
        aib_diag_set(diag, "listen", 0, 0, "expected HOST:PORT such as 127.0.0.1:8080, got `%s`",
                     listen);
        return AIB_EINVAL;
    }
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (inet_pton(AF_INET, hl ? host : "0.0.0.0", &sa->sin_addr) != 1) {
        aib_diag_set(diag, "listen", 0, 0, "`%s` is not an IPv4 address", host);
        return AIB_EINVAL;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void server_free(aib_http_server_t *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; s->registries && i < s->n_stores; i++)
        aib_registry_close(s->registries[i]);
    for (i = 0; s->reg_engines && i < s->n_stores; i++)
        aib_determine_engine_free(s->reg_engines[i]);
    free(s->registries);
    free(s->reg_engines);
    free(s->determine_dir);
    for (i = 0; i < s->n_stores; i++)
        aib_store_close(s->stores[i]);
    free(s->stores);
    free(s->busy);
    aib_cases_free(s->cases);
    aib__authz_free(&s->authz);
    aib__token_cache_free(&s->tokens);
    if (s->screen)
        aib_screen_lists_free(s->screen);
    aib_determine_engine_free(s->determine);
    free(s->openapi);
    free(s->web_dir);
    free(s->sqlite_path);
    free(s->pg_conninfo);
    pthread_mutex_destroy(&s->pool_mu);
    pthread_cond_destroy(&s->pool_cv);
    pthread_mutex_destroy(&s->log_mu);
    pthread_mutex_destroy(&s->screen_mu);
    pthread_mutex_destroy(&s->determine_mu);
    pthread_mutex_destroy(&s->write_mu);
    free(s);
}

int aib_http_start(const aib_http_config_t *cfg, aib_http_server_t **out, aib_diag_t *diag)
{
    aib_http_server_t *s;
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *info;
    unsigned threads = cfg->threads ? cfg->threads : 8;
    size_t i;
    int rc = 0;

    *out = NULL;
    if ((cfg->sqlite_path != NULL) == (cfg->pg_conninfo != NULL)) {
        aib_diag_set(diag, "", 0, 0, "give exactly one of an SQLite path and a PostgreSQL conninfo");
        return AIB_EINVAL;
    }
    if ((rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &sa, diag)) != 0)
        return rc;
    s = calloc(1, sizeof(*s));
    if (!s)
        return AIB_ENOMEM;
    pthread_mutex_init(&s->pool_mu, NULL);
    pthread_cond_init(&s->pool_cv, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->screen_mu, NULL);
    pthread_mutex_init(&s->determine_mu, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    s->serialize_writes = cfg->sqlite_path != NULL;
    if ((rc = aib__token_cache_init(&s->tokens, 60000)) != 0)
        goto done;
    aib__prom_init(&s->prom);
    s->log = cfg->log ? cfg->log : stderr;
    s->max_body = cfg->max_body ? cfg->max_body : DEFAULT_BODY;
    snprintf(s->operator_nation, sizeof(s->operator_nation), "%s",
             cfg->operator_nation ? cfg->operator_nation : "USA");
    snprintf(s->clearance, sizeof(s->clearance), "%s",
             cfg->registry_clearance ? cfg->registry_clearance : "CUI");
    s->sqlite_path = dup_or_null(cfg->sqlite_path);
    s->determine_dir = dup_or_null(cfg->determine_policies);
    s->pg_conninfo = dup_or_null(cfg->pg_conninfo);
    s->web_dir = dup_or_null(cfg->web_dir);
    s->n_stores = threads;
    s->stores = calloc(threads, sizeof(*s->stores));
    s->busy = calloc(threads, 1);
    if (!s->stores || !s->busy || (cfg->sqlite_path && !s->sqlite_path)
        || (cfg->pg_conninfo && !s->pg_conninfo) || (cfg->web_dir && !s->web_dir)
        || (cfg->determine_policies && !s->determine_dir)) {
        rc = AIB_ENOMEM;
        goto done;
    }
    /* The first handle migrates the schema; the others open on an up-to-date store. */
    for (i = 0; i < threads; i++) {
        if ((rc = store_open(s, &s->stores[i], diag)) != 0)
            goto done;
        if (i == 0 && (rc = aib_store_migrate(s->stores[0], NULL, NULL, diag)) != 0)
            goto done;
    }
    if ((rc = aib__authz_load(&s->authz, cfg->api_policies ? cfg->api_policies : "policies/api",
                              diag)) != 0)
        goto done;
    if ((rc = aib_cases_load(cfg->cases_dir ? cfg->cases_dir : "data/cases",
                             cfg->routing_dir ? cfg->routing_dir : "policies/routing", &s->cases,
                             diag)) != 0)
        goto done;
    if ((rc = aib_read_file(cfg->openapi_path ? cfg->openapi_path : "docs/openapi.json",
                            &s->openapi, &s->openapi_len, diag)) != 0)
        goto done;
    if (cfg->screen_lists) {
        aib_screen_lists_t *ls = NULL;

        if ((rc = aib_screen_lists_new(&ls)) != 0)
            goto done;
        s->screen = ls;
        if ((rc = aib_screen_lists_load_path(ls, cfg->screen_lists, diag)) != 0
            || (rc = aib_screen_lists_build_index(ls)) != 0)
            goto done;
    }
    {
        /* Determinations are an optional capability: a pack that does not load disables the
         * route (503 with the reason) instead of the whole server. */
        aib_determine_opts_t dopts;
        aib_diag_t dd;
        char why[1100];

        memset(&dopts, 0, sizeof(dopts));
        dopts.policy_dir = cfg->determine_policies;
        aib_diag_clear(&dd);
        if (aib_determine_engine_open(&dopts, &s->determine, &dd) != 0) {
            s->determine = NULL;
            aib_diag_format(&dd, why, sizeof(why));
            snprintf(s->determine_problem, sizeof(s->determine_problem), "%s", why);
            fprintf(s->log, "{\"event\":\"determinations unavailable\",\"why\":\"see /v1/determine\"}\n");
            snprintf(s->registry_problem, sizeof(s->registry_problem),
                     "release decisions need the determination packs: %s", why);
        }
    }
    if (s->determine && s->sqlite_path) {
        /* The registry keeps its tables in the store's SQLite file. Slot 0's handle is opened
         * now so that its tables are created once, before workers race, and a broken registry
         * (taxonomy missing...) is reported at start; the other slots open on first use. */
        aib_diag_t rd;

        s->registries = calloc(threads, sizeof(*s->registries));
        s->reg_engines = calloc(threads, sizeof(*s->reg_engines));
        if (!s->registries || !s->reg_engines) {
            rc = AIB_ENOMEM;
            goto done;
        }
        aib_diag_clear(&rd);
        if (registry_open_slot(s, 0, s->stores[0], &rd) != 0) {
            /* Keep serving the rest; /v1/registry/... answers 503 with the reason. */
            char why[1100];

            aib_diag_format(&rd, why, sizeof(why));
            snprintf(s->registry_problem, sizeof(s->registry_problem), "%s", why);
            aib_determine_engine_free(s->reg_engines[0]);
            free(s->registries);
            free(s->reg_engines);
            s->registries = NULL;
            s->reg_engines = NULL;
            fprintf(s->log, "{\"event\":\"registry unavailable\",\"why\":\"see /v1/registry/taxonomy\"}\n");
        }
    } else if (!s->registry_problem[0]) {
        snprintf(s->registry_problem, sizeof(s->registry_problem),
                 "the registry keeps its tables in the SQLite store (not PostgreSQL)");
    }
    s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC,
                              0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
                              MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
                              on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
                              MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!s->mhd) {
        aib_diag_set(diag, "listen", 0, 0, "cannot listen on %s: %s",
                     cfg->listen ? cfg->listen : "127.0.0.1:8080", strerror(errno));
        rc = AIB_EIO;
        goto done;
    }
    info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : ntohs(sa.sin_port);
done:
    if (rc != 0) {
        if (s->mhd)
            MHD_stop_daemon(s->mhd);
        server_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int aib_http_port(const aib_http_server_t *s)
{
    return s->port;
}

void aib_http_stop(aib_http_server_t *s, int grace_ms)
{
    int waited = 0;
    MHD_socket ls;

    if (!s)
        return;
    /* Stop accepting, let requests in flight finish and their answers go out, then stop. */
    ls = MHD_quiesce_daemon(s->mhd);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    while (atomic_load(&s->in_flight) > 0 && waited < grace_ms) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };

        nanosleep(&ts, NULL);
        waited += 10;
    }
    MHD_stop_daemon(s->mhd);
    server_free(s);
}
