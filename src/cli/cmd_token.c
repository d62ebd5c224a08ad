/* cmd_token.c — `aib token create|revoke`: API tokens for the HTTP server. create prints the
 * token once; the store keeps only its id and an Argon2id hash (src/http/token.c). */
#include "cli_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aib/http.h"
#include "aib/store.h"

static const char token_usage[] =
    "usage: aib token create (--db PATH | --pg CONNINFO) --nation NATION --role ROLE [--person NAME]\n"
    "       aib token revoke (--db PATH | --pg CONNINFO) --id TOKEN_ID\n"
    "\n"
    "create  makes an API token for a person of NATION (ISO 3166-1 alpha-3, e.g. USA, GBR) with\n"
    "        ROLE (admin, officer, reviewer or viewer; see docs/api.md) and prints it once:\n"
    "        aib_<id>_<secret>. Only an Argon2id hash is stored.\n"
    "revoke  revokes the token with that id (the 16 hex digits after aib_); servers stop\n"
    "        accepting it within a minute.\n";

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int aib_cli_token(int argc, char **argv)
{
    const char *sub, *db = NULL, *pg = NULL, *nation = NULL, *role = NULL, *person = NULL,
                     *id = NULL;
    aib_store_t *st = NULL;
    aib_diag_t d;
    aib_actor_t who;
    char tok[AIB_HTTP_TOKEN_MAX + 1], buf[1200];
    int i, rc, status = AIB_CLI_NEGATIVE;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(token_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? AIB_CLI_USAGE : AIB_CLI_OK;
    }
    sub = argv[1];
    if (strcmp(sub, "create") != 0 && strcmp(sub, "revoke") != 0) {
        fprintf(stderr, "aib token: unknown command `%s`\n", sub);
        fputs(token_usage, stderr);
        return AIB_CLI_USAGE;
    }
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], **slot = NULL;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(token_usage, stdout);
            return AIB_CLI_OK;
        }
        if (!strcmp(a, "--db"))
            slot = &db;
        else if (!strcmp(a, "--pg"))
            slot = &pg;
        else if (!strcmp(a, "--nation") && !strcmp(sub, "create"))
            slot = &nation;
        else if (!strcmp(a, "--role") && !strcmp(sub, "create"))
            slot = &role;
        else if (!strcmp(a, "--person") && !strcmp(sub, "create"))
            slot = &person;
        else if (!strcmp(a, "--id") && !strcmp(sub, "revoke"))
            slot = &id;
        if (!slot) {
            fprintf(stderr, "aib token %s: unknown option `%s`\n", sub, a);
            fputs(token_usage, stderr);
            return AIB_CLI_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "aib token %s: option `%s` needs a value\n", sub, a);
            return AIB_CLI_USAGE;
        }
        *slot = argv[++i];
    }
    if ((db != NULL) == (pg != NULL)) {
        fprintf(stderr, "aib token %s: give exactly one of --db and --pg\n", sub);
        return AIB_CLI_USAGE;
    }
    if (!strcmp(sub, "create") && (!nation || !role)) {
        fputs("aib token create: --nation and --role are required\n", stderr);
        return AIB_CLI_USAGE;
    }
    if (!strcmp(sub, "revoke") && !id) {
        fputs("aib token revoke: --id is required\n", stderr);
        return AIB_CLI_USAGE;
    }
    who.person = getenv("USER") && getenv("USER")[0] ? getenv("USER") : "cli";
    who.nation = "";
    who.role = "";
    aib_diag_clear(&d);
    rc = aib_store_open(db, pg, &st, &d);
    if (rc == 0)
        rc = aib_store_migrate(st, NULL, NULL, &d);
    if (rc == 0 && !strcmp(sub, "create")) {
        rc = aib_http_token_create(st, &who, nation, role, person, tok, sizeof(tok), &d);
        if (rc == 0)
            printf("%s\n", tok);
    } else if (rc == 0) {
        rc = aib_store_token_revoke(st, &who, id, now_ms(), &d);
        if (rc == 0)
            printf("revoked %s\n", id);
    }
    if (rc != 0) {
        aib_diag_format(&d, buf, sizeof(buf));
        fprintf(stderr, "aib token %s: %s\n", sub, buf);
        status = rc == AIB_EINVAL || rc == AIB_ENOTFOUND ? AIB_CLI_USAGE : AIB_CLI_NEGATIVE;
    } else {
        status = AIB_CLI_OK;
    }
    aib_store_close(st);
    return status;
}
