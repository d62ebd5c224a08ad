/* cmd_db.c — `aib db migrate|backup|restore|version`: schema migrations and backups of the
 * store (SQLite file via --db, PostgreSQL via --pg). Backups are SQLite files for both backends;
 * an SQLite backup is taken online while servers keep writing. Also the store-opening helper the
 * audit and case commands share. */
#include "cli_int.h"

#include "aib/store.h"

#include <stdio.h>
#include <string.h>

static const char db_usage[] =
    "usage: aib db migrate (--db PATH | --pg CONNINFO)\n"
    "       aib db version (--db PATH | --pg CONNINFO)\n"
    "       aib db backup  (--db PATH | --pg CONNINFO) --out FILE\n"
    "       aib db restore (--db PATH | --pg CONNINFO) --from FILE\n"
    "\n"
    "migrate  applies pending schema migrations (safe to repeat)\n"
    "version  prints the schema version\n"
    "backup   writes a consistent copy of the whole store to FILE (an SQLite database); online:\n"
    "         writers continue meanwhile\n"
    "restore  replaces the store's content with FILE in one transaction, after checking that\n"
    "         FILE's audit chain verifies\n"
    "\n"
    "--db PATH       SQLite database file (created when absent)\n"
    "--pg CONNINFO   PostgreSQL connection string, e.g. \"host=127.0.0.1 dbname=aib\"\n";

int aib__cli_open_store(const char *cmd, const char *db, const char *pg, int migrate,
                        aib_store_t **out)
{
    aib_diag_t d;
    char msg[1200];
    int rc;

    *out = NULL;
    if ((db == NULL) == (pg == NULL)) {
        fprintf(stderr, "aib %s: give exactly one of --db PATH and --pg CONNINFO\n", cmd);
        return AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    rc = aib_store_open(db, pg, out, &d);
    if (!rc && migrate)
        rc = aib_store_migrate(*out, NULL, NULL, &d);
    if (rc) {
        aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib %s: %s\n", cmd, msg);
        aib_store_close(*out);
        *out = NULL;
        return AIB_CLI_USAGE;
    }
    return AIB_CLI_OK;
}

int aib_cli_db(int argc, char **argv)
{
    const char *db = NULL, *pg = NULL, *outf = NULL, *from = NULL;
    aib__cli_opt_t opts[] = {
        { "db", true, &db }, { "pg", true, &pg }, { "out", true, &outf }, { "from", true, &from },
    };
    const char *pos[1];
    size_t n_pos = 0;
    bool help = false;
    aib_store_t *s = NULL;
    aib_diag_t d;
    char msg[1200];
    int status, rc = 0, v0 = 0, v1 = 0;

    status = aib__cli_parse_opts("db", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1,
                                 &n_pos, &help);
    if (status != 0 || help || n_pos != 1) {
        fputs(db_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    aib_diag_clear(&d);
    if (!strcmp(pos[0], "migrate")) {
        if ((status = aib__cli_open_store("db migrate", db, pg, 0, &s)))
            return status;
        rc = aib_store_migrate(s, &v0, &v1, &d);
        if (!rc)
            printf("schema version %d -> %d (%s)\n", v0, v1, aib_store_backend(s));
    } else if (!strcmp(pos[0], "version")) {
        if ((status = aib__cli_open_store("db version", db, pg, 0, &s)))
            return status;
        rc = aib_store_version(s, &v0, &d);
        if (!rc)
            printf("%d\n", v0);
    } else if (!strcmp(pos[0], "backup")) {
        if (!outf) {
            fputs("aib db backup: --out FILE is required\n", stderr);
            return AIB_CLI_USAGE;
        }
        if ((status = aib__cli_open_store("db backup", db, pg, 0, &s)))
            return status;
        rc = aib_store_backup(s, outf, &d);
        if (!rc)
            printf("backup written to %s\n", outf);
    } else if (!strcmp(pos[0], "restore")) {
        if (!from) {
            fputs("aib db restore: --from FILE is required\n", stderr);
            return AIB_CLI_USAGE;
        }
        if ((status = aib__cli_open_store("db restore", db, pg, 1, &s)))
            return status;
        rc = aib_store_restore(s, from, &d);
        if (!rc)
            printf("restored from %s\n", from);
    } else {
        fprintf(stderr, "aib db: unknown subcommand `%s`\n", pos[0]);
        fputs(db_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (rc) {
        aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib db %s: %s\n", pos[0], msg);
        status = AIB_CLI_NEGATIVE;
    }
    aib_store_close(s);
    return status;
}
