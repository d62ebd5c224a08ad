/* cmd_serve.c — `aib serve`: runs the HTTP API server (src/http/) until SIGTERM or SIGINT, then
 * stops gracefully. With no flags: SQLite in ./var/aib.db (created and migrated), the bundled
 * policies and case data, and an admin token printed once when the store has no valid token. */
#include "cli_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aib/http.h"
#include "aib/store.h"

static const char serve_usage[] =
    "usage: aib serve [--db PATH | --pg CONNINFO] [--listen HOST:PORT] [--web DIR] [options]\n"
    "\n"
    "Runs the aib HTTP API (docs/api.md) until SIGTERM or SIGINT, then finishes the requests in\n"
    "flight and exits. One JSON line per request goes to stderr.\n"
    "\n"
    "  --db PATH            SQLite store (default ./var/aib.db, created with its directory)\n"
    "  --pg CONNINFO        PostgreSQL store instead (libpq conninfo or postgresql:// URI)\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0 = any free port)\n"
    "  --web DIR            serve static files from DIR under / (default ./web when present)\n"
    "  --policies DIR       API policy pack (default policies/api)\n"
    "  --cases-data DIR     case types (default data/cases)\n"
    "  --routing DIR        routing policies (default policies/routing)\n"
    "  --openapi FILE       OpenAPI document served at /v1/openapi.json (default docs/openapi.json)\n"
    "  --screen-lists PATH  screening lists for POST /v1/screen (default\n"
    "                       $AIB_SHARED_DATA/sanctions-lists.tar.gz, AIB_SHARED_DATA defaulting to\n"
    "                       ../shared/data, when that file exists; `none` serves no screening)\n"
    "  --clearance LEVEL    clearance the registry assumes for every token when deciding release\n"
    "                       (UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP SECRET; default CUI)\n"
    "  --determine-policies DIR  release determination packs for POST /v1/determine\n"
    "                       (default: $AIB_POLICY_DIR, else ./policies)\n"
    "  --operator NATION    nation operating the server (default USA); its admins read the audit\n"
    "                       log, and the first-start admin token belongs to it\n"
    "  --threads N          worker threads and store connections (default 8)\n"
    "  --max-body BYTES     largest request body (default 1048576)\n"
    "  --port-file FILE     write the port listened on to FILE once ready\n"
    "  --grace-ms N         how long a stop waits for requests in flight (default 10000)\n";

typedef struct opt {
    const char *name;
    int flag;
    const char **value;
} opt_t;

static int parse(const char *cmd, int argc, char **argv, opt_t *o, size_t n, int *help)
{
    int i;
    size_t k;

    *help = 0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *eq;
        size_t len;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = 1;
            return 0;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "aib %s: unexpected argument `%s`\n", cmd, a);
            return AIB_CLI_USAGE;
        }
        eq = strchr(a + 2, '=');
        len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        for (k = 0; k < n; k++)
            if (strlen(o[k].name) == len && !memcmp(o[k].name, a + 2, len))
                break;
        if (k == n) {
            fprintf(stderr, "aib %s: unknown option `%s`\n", cmd, a);
            return AIB_CLI_USAGE;
        }
        if (o[k].flag)
            *o[k].value = "1";
        else if (eq)
            *o[k].value = eq + 1;
        else if (i + 1 < argc)
            *o[k].value = argv[++i];
        else {
            fprintf(stderr, "aib %s: option `--%s` needs a value\n", cmd, o[k].name);
            return AIB_CLI_USAGE;
        }
    }
    return 0;
}

static void print_diag(const char *what, const aib_diag_t *d)
{
    char buf[1200];

    aib_diag_format(d, buf, sizeof(buf));
    fprintf(stderr, "aib serve: %s: %s\n", what, buf);
}

/* Opens the store, migrates it and creates the operator's admin token when none is valid. */
static int first_start(const char *db, const char *pg, const char *nation)
{
    aib_store_t *st = NULL;
    aib_diag_t d;
    int64_t n = 0;
    char tok[AIB_HTTP_TOKEN_MAX + 1];
    aib_actor_t who = { "aib serve", "", "" };
    int rc;

    aib_diag_clear(&d);
    rc = aib_store_open(db, pg, &st, &d);
    if (rc == 0)
        rc = aib_store_migrate(st, NULL, NULL, &d);
    if (rc == 0)
        rc = aib_store_token_count(st, &n, &d);
    if (rc == 0 && n == 0) {
        rc = aib_http_token_create(st, &who, nation, "admin", "admin", tok, sizeof(tok), &d);
        if (rc == 0) {
            printf("aib serve: first start: admin token for %s (shown once, store it now):\n%s\n",
                   nation, tok);
            fflush(stdout);
        }
    }
    if (rc != 0)
        print_diag("store", &d);
    aib_store_close(st);
    return rc;
}

int aib_cli_serve(int argc, char **argv)
{
    const char *db = NULL, *pg = NULL, *listen = NULL, *web = NULL, *policies = NULL,
               *cases = NULL, *routing = NULL, *openapi = NULL, *screen = NULL, *op = NULL,
               *threads = NULL, *max_body = NULL, *port_file = NULL, *grace = NULL, *det = NULL,
               *clearance = NULL;
    char lists_def[4096];
    opt_t opts[] = {
        { "db", 0, &db },           { "pg", 0, &pg },
        { "listen", 0, &listen },   { "web", 0, &web },
        { "policies", 0, &policies }, { "cases-data", 0, &cases },
        { "routing", 0, &routing }, { "openapi", 0, &openapi },
        { "screen-lists", 0, &screen }, { "operator", 0, &op },
        { "threads", 0, &threads }, { "max-body", 0, &max_body },
        { "port-file", 0, &port_file }, { "grace-ms", 0, &grace },
        { "determine-policies", 0, &det }, { "clearance", 0, &clearance },
    };
    aib_http_config_t cfg;
    aib_http_server_t *srv = NULL;
    aib_diag_t d;
    sigset_t set;
    int help, sig = 0;
    int64_t v;
    struct stat sb;

    if (parse("serve", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), &help) != 0) {
        fputs(serve_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(serve_usage, stdout);
        return AIB_CLI_OK;
    }
    if (db && pg) {
        fputs("aib serve: give --db or --pg, not both\n", stderr);
        return AIB_CLI_USAGE;
    }
    memset(&cfg, 0, sizeof(cfg));
    if (!db && !pg) {
        if (mkdir("var", 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "aib serve: cannot create ./var: %s\n", strerror(errno));
            return AIB_CLI_USAGE;
        }
        db = "var/aib.db";
    }
    if (!web && stat("web/index.html", &sb) == 0)
        web = "web";
    op = op ? op : "USA";
    cfg.sqlite_path = db;
    cfg.pg_conninfo = pg;
    cfg.listen = listen;
    cfg.web_dir = web;
    cfg.api_policies = policies;
    cfg.cases_dir = cases;
    cfg.routing_dir = routing;
    cfg.openapi_path = openapi;
    if (!screen) {
        /* The shared screening lists, as `aib screen` finds them, when they are there. */
        const char *dir = getenv("AIB_SHARED_DATA");

        snprintf(lists_def, sizeof(lists_def), "%s/sanctions-lists.tar.gz",
                 dir && *dir ? dir : "../shared/data");
        if (stat(lists_def, &sb) == 0)
            screen = lists_def;
    } else if (!strcmp(screen, "none")) {
        screen = NULL;
    }
    cfg.screen_lists = screen;
    cfg.registry_clearance = clearance;
    cfg.determine_policies = det;
    cfg.operator_nation = op;
    if (threads) {
        if (aib_parse_i64(threads, strlen(threads), &v) != 0 || v < 1 || v > 256) {
            fputs("aib serve: --threads expects 1..256\n", stderr);
            return AIB_CLI_USAGE;
        }
        cfg.threads = (unsigned)v;
    }
    if (max_body) {
        if (aib_parse_i64(max_body, strlen(max_body), &v) != 0 || v < 1024 || v > (1 << 30)) {
            fputs("aib serve: --max-body expects 1024..1073741824\n", stderr);
            return AIB_CLI_USAGE;
        }
        cfg.max_body = (size_t)v;
    }
    v = 10000;
    if (grace && (aib_parse_i64(grace, strlen(grace), &v) != 0 || v < 0 || v > 600000)) {
        fputs("aib serve: --grace-ms expects 0..600000\n", stderr);
        return AIB_CLI_USAGE;
    }
    if (first_start(db, pg, op) != 0)
        return AIB_CLI_NEGATIVE;

    /* Block the stop signals before the workers start so only sigwait below receives them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    aib_diag_clear(&d);
    if (aib_http_start(&cfg, &srv, &d) != 0) {
        print_diag("cannot start", &d);
        return AIB_CLI_NEGATIVE;
    }
    fprintf(stderr, "{\"event\":\"listening\",\"port\":%d,\"backend\":\"%s\"}\n",
            aib_http_port(srv), pg ? "postgres" : "sqlite");
    printf("aib serve: listening on port %d (store %s)\n", aib_http_port(srv),
           pg ? "postgres" : db);
    fflush(stdout);
    if (port_file) {
        char tmp[1024];
        FILE *f;

        snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
        f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", aib_http_port(srv)) < 0 || fclose(f) != 0
            || rename(tmp, port_file) != 0)
            fprintf(stderr, "aib serve: cannot write %s\n", port_file);
    }
    sigwait(&set, &sig);
    fprintf(stderr, "{\"event\":\"stopping\",\"signal\":%d}\n", sig);
    aib_http_stop(srv, (int)v);
    fprintf(stderr, "{\"event\":\"stopped\"}\n");
    return AIB_CLI_OK;
}
