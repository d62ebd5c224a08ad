/* cmd_audit.c — `aib audit verify|list`: checks the store's hash-chained audit log (any altered,
 * reordered or missing entry fails, exit 1) and prints entries as JSON lines. */
#include "cli_int.h"

#include "aib/store.h"

#include <stdio.h>
#include <string.h>

static const char audit_usage[] =
    "usage: aib audit verify (--db PATH | --pg CONNINFO) [--expect-head HASH]\n"
    "       aib audit list   (--db PATH | --pg CONNINFO) [--after SEQ] [--limit N] [--object ID]\n"
    "\n"
    "verify  recomputes every entry's SHA-256 link; exit 0 when the chain is intact, 1 when an\n"
    "        entry was altered, reordered or removed. Prints the head hash: keep it elsewhere and\n"
    "        pass it back with --expect-head to detect a rewrite of the whole log.\n"
    "list    prints entries as JSON lines, oldest first\n";

int aib_cli_audit(int argc, char **argv)
{
    const char *db = NULL, *pg = NULL, *expect = NULL, *after = NULL, *limit = NULL, *object = NULL;
    aib__cli_opt_t opts[] = {
        { "db", true, &db }, { "pg", true, &pg }, { "expect-head", true, &expect },
        { "after", true, &after }, { "limit", true, &limit }, { "object", true, &object },
    };
    const char *pos[1];
    size_t n_pos = 0, i, n = 0;
    bool help = false;
    aib_store_t *s = NULL;
    aib_audit_report_t rep;
    aib_audit_entry_t *e = NULL;
    aib_arena_t *a = NULL;
    aib_diag_t d;
    char msg[1200];
    int64_t after_v = 0, limit_v = 100;
    int status, rc;

    status = aib__cli_parse_opts("audit", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1,
                                 &n_pos, &help);
    if (status != 0 || help || n_pos != 1 || (strcmp(pos[0], "verify") && strcmp(pos[0], "list"))) {
        fputs(audit_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if ((after && aib_parse_i64(after, strlen(after), &after_v)) ||
        (limit && (aib_parse_i64(limit, strlen(limit), &limit_v) || limit_v <= 0))) {
        fputs("aib audit: --after and --limit take positive integers\n", stderr);
        return AIB_CLI_USAGE;
    }
    if ((status = aib__cli_open_store("audit", db, pg, 0, &s)))
        return status;
    aib_diag_clear(&d);
    if (!strcmp(pos[0], "verify")) {
        rc = aib_store_audit_verify(s, &rep, &d);
        if (!rc) {
            if (rep.ok && expect && strcmp(expect, rep.head_hash) != 0) {
                rep.ok = 0;
                snprintf(rep.problem, sizeof(rep.problem),
                         "head hash %s differs from the expected %s: the log was rewritten",
                         rep.head_hash[0] ? rep.head_hash : "(empty)", expect);
            }
            if (rep.ok) {
                printf("audit log intact: %lld entries, head %s\n", (long long)rep.entries,
                       rep.head_hash[0] ? rep.head_hash : "(empty)");
            } else {
                printf("audit log BROKEN at entry %lld: %s\n", (long long)rep.bad_seq, rep.problem);
                status = AIB_CLI_NEGATIVE;
            }
        }
    } else {
        a = aib_arena_new(0);
        rc = a ? aib_store_audit_list(s, after_v, (size_t)limit_v, object, a, &e, &n, &d) : AIB_ENOMEM;
        for (i = 0; !rc && i < n; i++) {
            aib_buf_t b;
            aib_buf_init(&b);
            aib_buf_printf(&b, "{\"seq\":%lld,\"at\":%lld,\"person\":", (long long)e[i].seq,
                           (long long)e[i].at);
            aib_buf_json_str(&b, e[i].person, strlen(e[i].person));
            aib_buf_puts(&b, ",\"nation\":");
            aib_buf_json_str(&b, e[i].nation, strlen(e[i].nation));
            aib_buf_puts(&b, ",\"role\":");
            aib_buf_json_str(&b, e[i].role, strlen(e[i].role));
            aib_buf_puts(&b, ",\"action\":");
            aib_buf_json_str(&b, e[i].action, strlen(e[i].action));
            aib_buf_puts(&b, ",\"object\":");
            aib_buf_json_str(&b, e[i].object, strlen(e[i].object));
            aib_buf_printf(&b, ",\"detail\":%s,\"prev_hash\":\"%s\",\"hash\":\"%s\"}", e[i].detail,
                           e[i].prev_hash, e[i].hash);
            puts(b.data ? b.data : "");
            aib_buf_free(&b);
        }
    }
    if (rc) {
        aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib audit %s: %s\n", pos[0], msg);
        status = AIB_CLI_NEGATIVE;
    }
    aib_arena_free(a);
    aib_store_close(s);
    return status;
}
