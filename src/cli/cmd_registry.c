/* cmd_registry.c — `aib registry add|get|search|dupes|match|keygen|taxonomy|reindex` and the
 * signed handoff commands `aib export` and `aib import`: the innovation registry from the command
 * line (include/aib/registry.h, docs/registry.md). Reads run as a requester (--as, --role,
 * --clearance, --regime) and see only what is releasable to it. */
#include "cli_int.h"

#include "aib/registry.h"
#include "aib/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char reg_usage[] =
    "usage: aib registry add    --db PATH --node NATION [--person NAME] FILE\n"
    "       aib registry get    --db PATH --node NATION [REQUESTER] [--json] ID\n"
    "       aib registry search --db PATH --node NATION [REQUESTER] [--type T] [--area A]\n"
    "                           [--nation N] [--from DATE] [--to DATE] [--any] [--limit N]\n"
    "                           [--offset N] [--json] [WORDS...]\n"
    "       aib registry dupes  --db PATH --node NATION [REQUESTER] [--id ID] [--threshold X]\n"
    "                           [--limit N] [--json]\n"
    "       aib registry match  --db PATH --node NATION [REQUESTER] [--limit N] [--json] CHALLENGE\n"
    "       aib registry keygen --out PREFIX        (writes PREFIX.key, mode 0600, and PREFIX.pub)\n"
    "       aib registry taxonomy [--json]\n"
    "       aib registry reindex --db PATH --node NATION\n"
    "\n"
    "The innovation registry: summary-level projects, capabilities, challenges, scouting\n"
    "reports, test facilities, datasets, investors and companies, each with a security label.\n"
    "Every read returns only records releasable to the requester under the disclosure rules\n"
    "(policies/current or proposed). See docs/registry.md.\n"
    "\n"
    "add        FILE holds one record (JSON object) or JSON lines of records (\"-\" = stdin);\n"
    "           all are stored in one transaction and audited\n"
    "search     ranked full-text search (all WORDS must match; --any: any of them)\n"
    "dupes      near-duplicate records of different nations (--id: only those of one record)\n"
    "match      capabilities, projects, facilities and companies answering a challenge\n"
    "reindex    forget cached release decisions (after policy or alliance data changes)\n"
    "\n"
    "REQUESTER: --as NATION (default: the node's nation), --role government|company|person\n"
    "           (default government), --clearance LEVEL (default UNCLASSIFIED),\n"
    "           --regime current|proposed (default current)\n"
    "--db PATH       the SQLite file (the store's; created when absent)\n"
    "--node NATION   nation operating this node (default $AIB_NODE)\n"
    "--person NAME   who is recorded in the audit log (default $USER)\n";

static const char export_usage[] =
    "usage: aib export --db PATH --node NATION --key SECRET.key --to NATION --out BUNDLE\n"
    "                  [--regime current|proposed]\n"
    "\n"
    "Writes a bundle of exactly the registry records releasable to NATION (its government, under\n"
    "the chosen regime's disclosure rules), signed with this node's Ed25519 key. Records owned by\n"
    "NATION are not sent back. The export is audited.\n";

static const char import_usage[] =
    "usage: aib import --db PATH --node NATION --trust SENDER.pub BUNDLE\n"
    "\n"
    "Verifies BUNDLE's signature against the trusted public key, that it is addressed to this\n"
    "node and that every record is well-formed and releasable to this node; any failure refuses\n"
    "the whole bundle (exit 1, nothing stored). Importing the same bundle again changes nothing.\n";

typedef struct ctx {
    const char *db, *node, *person, *as, *role, *clearance, *regime, *json;
    aib_store_t *store;
    aib_registry_t *reg;
    aib_actor_t who;
} ctx_t;

static void print_diag(const char *cmd, const aib_diag_t *d)
{
    char msg[1200];

    aib_diag_format(d, msg, sizeof(msg));
    fprintf(stderr, "aib %s: %s\n", cmd, msg);
}

static int open_ctx(const char *cmd, ctx_t *c)
{
    aib_registry_opts_t o;
    aib_diag_t d;
    int rc;

    if (!c->node)
        c->node = getenv("AIB_NODE");
    if (!c->db || !c->node) {
        fprintf(stderr, "aib %s: --db PATH and --node NATION are required\n", cmd);
        return AIB_CLI_USAGE;
    }
    if (!c->person)
        c->person = getenv("USER") && getenv("USER")[0] ? getenv("USER") : "cli";
    c->who.person = c->person;
    c->who.nation = c->node;
    c->who.role = "admin";
    if ((rc = aib__cli_open_store(cmd, c->db, NULL, 1, &c->store)))
        return rc;
    memset(&o, 0, sizeof(o));
    o.db_path = c->db;
    o.node_nation = c->node;
    o.audit = c->store;
    aib_diag_clear(&d);
    if (aib_registry_open(&o, &c->reg, &d)) {
        print_diag(cmd, &d);
        return AIB_CLI_USAGE;
    }
    return 0;
}

static void close_ctx(ctx_t *c)
{
    aib_registry_close(c->reg);
    aib_store_close(c->store);
}

static aib_registry_requester_t requester(const ctx_t *c)
{
    aib_registry_requester_t w;

    w.nation = c->as ? c->as : c->node;
    w.role = c->role;
    w.clearance = c->clearance;
    w.regime = c->regime;
    return w;
}

/* Exit status for a library error: bad input 2, refusals and absences 1. */
static int status_of(int rc)
{
    return rc == AIB_EINVAL || rc == AIB_EPARSE || rc == AIB_EIO ? AIB_CLI_USAGE : AIB_CLI_NEGATIVE;
}

static int cmd_add(ctx_t *c, const char *file)
{
    char *text = NULL;
    size_t len = 0, line = 0, n = 0;
    aib_arena_t *arena = aib_arena_new(0);
    aib_diag_t d;
    const char *p, *end;
    int rc, st = AIB_CLI_OK;

    aib_diag_clear(&d);
    if (!arena)
        return AIB_CLI_USAGE;
    if ((rc = aib__cli_read(file, &text, &len, &d))) {
        print_diag("registry add", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    if ((rc = aib_registry_begin(c->reg, &d))) {
        print_diag("registry add", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    /* One object (possibly spread over lines) or JSON lines: try the whole text first. */
    {
        aib_registry_record_t rec;
        aib_diag_t d1;
        aib_diag_clear(&d1);
        if (aib_registry_record_parse(aib_registry_taxonomy(c->reg), text, len, arena, &rec, &d1) == 0) {
            if ((rc = aib_registry_add(c->reg, &c->who, &rec, &d))) {
                print_diag("registry add", &d);
                st = status_of(rc);
                goto done;
            }
            n = 1;
            goto commit;
        }
    }
    for (p = text; p < text + len; p = end + 1) {
        aib_registry_record_t rec;
        const char *q;
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        line++;
        for (q = p; q < end && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
            ;
        if (q == end)
            continue;
        aib_arena_reset(arena);
        rc = aib_registry_record_parse(aib_registry_taxonomy(c->reg), p, (size_t)(end - p), arena, &rec, &d);
        if (rc == 0)
            rc = aib_registry_add(c->reg, &c->who, &rec, &d);
        if (rc) {
            char msg[1200];
            aib_diag_format(&d, msg, sizeof(msg));
            fprintf(stderr, "aib registry add: %s:%zu: %s\n", file, line, msg);
            st = status_of(rc);
            goto done; /* closing the registry rolls the batch back */
        }
        n++;
    }
commit:
    if ((rc = aib_registry_commit(c->reg, &d))) {
        print_diag("registry add", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    printf("added %zu record%s\n", n, n == 1 ? "" : "s");
done:
    free(text);
    aib_arena_free(arena);
    return st;
}

static void print_hit_line(const aib_registry_record_t *r, double score)
{
    printf("%8.3f  %-18s %-10s %s  [%s]  %s\n", score, r->id, aib_registry_type_name(r->type), r->nation,
           r->label, r->title);
}

/* Prints the JSON a serialiser wrote to b when it succeeded (rc 0); usage status otherwise. */
static int emit(int rc, aib_buf_t *b)
{
    if (rc)
        return AIB_CLI_USAGE;
    fwrite(b->data, 1, b->len, stdout);
    fputc('\n', stdout);
    return AIB_CLI_OK;
}

static int parse_size(const char *cmd, const char *name, const char *v, size_t *out)
{
    int64_t x;

    if (!v)
        return 0;
    if (aib_parse_i64(v, strlen(v), &x) || x < 0 || x > 1000000) {
        fprintf(stderr, "aib %s: --%s: expected a non-negative integer\n", cmd, name);
        return AIB_CLI_USAGE;
    }
    *out = (size_t)x;
    return 0;
}

int aib_cli_registry(int argc, char **argv)
{
    ctx_t c;
    const char *type = NULL, *area = NULL, *nation = NULL, *from = NULL, *to = NULL, *any = NULL,
               *limit_s = NULL, *offset_s = NULL, *id = NULL, *threshold_s = NULL, *out = NULL;
    aib__cli_opt_t opts[] = {
        { "db", true, &c.db }, { "node", true, &c.node }, { "person", true, &c.person },
        { "as", true, &c.as }, { "role", true, &c.role }, { "clearance", true, &c.clearance },
        { "regime", true, &c.regime }, { "json", false, &c.json }, { "type", true, &type },
        { "area", true, &area }, { "nation", true, &nation }, { "from", true, &from }, { "to", true, &to },
        { "any", false, &any }, { "limit", true, &limit_s }, { "offset", true, &offset_s },
        { "id", true, &id }, { "threshold", true, &threshold_s }, { "out", true, &out },
    };
    const char *pos[64];
    size_t n_pos = 0, limit = 0, offset = 0, i;
    bool help = false;
    const char *sub;
    aib_arena_t *arena = NULL;
    aib_buf_t b;
    aib_diag_t d;
    aib_registry_requester_t who;
    int st, rc;

    memset(&c, 0, sizeof(c));
    aib_buf_init(&b);
    aib_diag_clear(&d);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(reg_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? AIB_CLI_USAGE : AIB_CLI_OK;
    }
    sub = argv[1];
    st = aib__cli_parse_opts("registry", argc - 1, argv + 1, opts, sizeof(opts) / sizeof(opts[0]), pos, 64,
                             &n_pos, &help);
    if (st || help) {
        fputs(reg_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if ((st = parse_size("registry", "limit", limit_s, &limit)) || (st = parse_size("registry", "offset", offset_s, &offset)))
        return st;
    if (!strcmp(sub, "keygen")) {
        char sk[1024], pk[1024];
        if (!out || n_pos) {
            fputs(reg_usage, stderr);
            return AIB_CLI_USAGE;
        }
        snprintf(sk, sizeof(sk), "%s.key", out);
        snprintf(pk, sizeof(pk), "%s.pub", out);
        if (aib_registry_keygen(sk, pk, &d)) {
            print_diag("registry keygen", &d);
            return AIB_CLI_USAGE;
        }
        printf("secret key %s (keep private), public key %s (give to partner nodes)\n", sk, pk);
        return AIB_CLI_OK;
    }
    if (!strcmp(sub, "taxonomy")) {
        aib_registry_taxonomy_t *t = NULL;
        const char *env = getenv("AIB_DATA_DIR");
        char path[1024];
        snprintf(path, sizeof(path), "%s/registry/taxonomy.json", env && env[0] ? env : "data");
        if (aib_registry_taxonomy_load(path, &t, &d)) {
            print_diag("registry taxonomy", &d);
            return AIB_CLI_USAGE;
        }
        for (i = 0; i < aib_registry_taxonomy_count(t); i++) {
            const char *name, *parent, *aid = aib_registry_taxonomy_area(t, i, &name, &parent);
            if (parent)
                printf("%-24s %s  (in %s)\n", aid, name, parent);
            else
                printf("%-24s %s\n", aid, name);
        }
        aib_registry_taxonomy_free(t);
        return AIB_CLI_OK;
    }
    if (strcmp(sub, "add") && strcmp(sub, "get") && strcmp(sub, "search") && strcmp(sub, "dupes")
        && strcmp(sub, "match") && strcmp(sub, "reindex")) {
        fprintf(stderr, "aib registry: unknown subcommand `%s`\n", sub);
        fputs(reg_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if ((!strcmp(sub, "add") || !strcmp(sub, "get") || !strcmp(sub, "match")) && n_pos != 1) {
        fprintf(stderr, "aib registry %s: expected exactly one %s\n", sub,
                !strcmp(sub, "add") ? "FILE" : !strcmp(sub, "get") ? "ID" : "CHALLENGE id");
        return AIB_CLI_USAGE;
    }
    if ((!strcmp(sub, "dupes") || !strcmp(sub, "reindex")) && n_pos) {
        fprintf(stderr, "aib registry %s: unexpected argument `%s`\n", sub, pos[0]);
        return AIB_CLI_USAGE;
    }
    if ((st = open_ctx("registry", &c)))
        goto done;
    if (!(arena = aib_arena_new(0))) {
        st = AIB_CLI_USAGE;
        goto done;
    }
    who = requester(&c);
    if (!strcmp(sub, "add")) {
        st = cmd_add(&c, pos[0]);
    } else if (!strcmp(sub, "reindex")) {
        rc = aib_registry_reindex(c.reg, &d);
        if (rc)
            print_diag("registry reindex", &d);
        else
            puts("release decisions cleared; they are recomputed on demand");
        st = rc ? AIB_CLI_USAGE : AIB_CLI_OK;
    } else if (!strcmp(sub, "get")) {
        aib_registry_record_t rec;
        rc = aib_registry_get(c.reg, &who, pos[0], arena, &rec, &d);
        if (rc) {
            print_diag("registry get", &d);
            st = status_of(rc);
            goto done;
        }
        st = emit(aib_registry_record_view_json(&rec, &b), &b);
    } else if (!strcmp(sub, "search")) {
        aib_registry_query_t q;
        aib_registry_type_t t;
        aib_registry_hit_t *hits = NULL;
        size_t n = 0;
        aib_buf_t text;

        memset(&q, 0, sizeof(q));
        aib_buf_init(&text);
        for (i = 0; i < n_pos; i++)
            if (aib_buf_printf(&text, "%s%s", i ? " " : "", pos[i])) {
                st = AIB_CLI_USAGE;
                goto done;
            }
        q.text = text.len ? text.data : NULL;
        q.match_any = any != NULL;
        if (type) {
            if (aib_registry_type_parse(type, &t)) {
                fprintf(stderr, "aib registry search: --type: unknown record type `%s`\n", type);
                aib_buf_free(&text);
                st = AIB_CLI_USAGE;
                goto done;
            }
            q.types = &t;
            q.n_types = 1;
        }
        q.area = area;
        q.nation = nation;
        q.from = from;
        q.to = to;
        q.limit = limit;
        q.offset = offset;
        rc = aib_registry_search(c.reg, &who, &q, arena, &hits, &n, &d);
        aib_buf_free(&text);
        if (rc) {
            print_diag("registry search", &d);
            st = status_of(rc);
            goto done;
        }
        if (c.json) {
            st = emit(aib_registry_hits_json(hits, n, &b), &b);
        } else {
            for (i = 0; i < n; i++)
                print_hit_line(&hits[i].rec, hits[i].score);
            printf("%zu result%s\n", n, n == 1 ? "" : "s");
            st = AIB_CLI_OK;
        }
    } else if (!strcmp(sub, "dupes")) {
        aib_registry_dupe_t *pairs = NULL;
        size_t n = 0;
        double th = 0.0;
        if (threshold_s) {
            char *e = NULL;
            th = strtod(threshold_s, &e);
            if (!threshold_s[0] || !e || *e || th <= 0.0 || th > 1.0) {
                fprintf(stderr, "aib registry dupes: --threshold: expected a number in (0, 1]\n");
                st = AIB_CLI_USAGE;
                goto done;
            }
        }
        rc = aib_registry_dupes(c.reg, &who, id, th, limit, arena, &pairs, &n, &d);
        if (rc) {
            print_diag("registry dupes", &d);
            st = status_of(rc);
            goto done;
        }
        if (c.json) {
            st = emit(aib_registry_dupes_json(pairs, n, &b), &b);
        } else {
            for (i = 0; i < n; i++) {
                size_t k;
                printf("%.3f  %s (%s) ~ %s (%s)\n       %s\n       %s\n       shared:", pairs[i].score,
                       pairs[i].a.id, pairs[i].a.nation, pairs[i].b.id, pairs[i].b.nation, pairs[i].a.title,
                       pairs[i].b.title);
                for (k = 0; k < pairs[i].n_terms; k++)
                    printf(" %s", pairs[i].terms[k]);
                putchar('\n');
            }
            printf("%zu pair%s\n", n, n == 1 ? "" : "s");
            st = AIB_CLI_OK;
        }
    } else { /* match */
        aib_registry_hit_t *hits = NULL;
        size_t n = 0;
        rc = aib_registry_match(c.reg, &who, pos[0], limit, arena, &hits, &n, &d);
        if (rc) {
            print_diag("registry match", &d);
            st = status_of(rc);
            goto done;
        }
        if (c.json) {
            st = emit(aib_registry_hits_json(hits, n, &b), &b);
        } else {
            for (i = 0; i < n; i++) {
                size_t k;
                print_hit_line(&hits[i].rec, hits[i].score);
                printf("          shared:");
                for (k = 0; k < hits[i].n_terms; k++)
                    printf(" %s", hits[i].terms[k]);
                putchar('\n');
            }
            printf("%zu match%s\n", n, n == 1 ? "" : "es");
            st = AIB_CLI_OK;
        }
    }
done:
    aib_buf_free(&b);
    aib_arena_free(arena);
    close_ctx(&c);
    return st;
}

int aib_cli_export(int argc, char **argv)
{
    ctx_t c;
    const char *key = NULL, *to = NULL, *out = NULL;
    aib__cli_opt_t opts[] = {
        { "db", true, &c.db }, { "node", true, &c.node }, { "person", true, &c.person },
        { "key", true, &key }, { "to", true, &to }, { "out", true, &out }, { "regime", true, &c.regime },
    };
    uint8_t pk[AIB_REGISTRY_PK_BYTES], sk[AIB_REGISTRY_SK_BYTES];
    bool help = false, has_secret = false;
    size_t n = 0;
    aib_buf_t b;
    aib_diag_t d;
    FILE *f = NULL;
    char tmp[1100];
    int st;

    memset(&c, 0, sizeof(c));
    aib_buf_init(&b);
    aib_diag_clear(&d);
    st = aib__cli_parse_opts("export", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help);
    if (st || help || !key || !to || !out) {
        fputs(export_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (aib_registry_key_load(key, pk, sk, &has_secret, &d) || !has_secret) {
        if (!has_secret && !d.msg[0])
            aib_diag_set(&d, key, 0, 0, "a secret key file is needed to sign");
        print_diag("export", &d);
        return AIB_CLI_USAGE;
    }
    if ((st = open_ctx("export", &c)))
        goto done;
    if (aib_registry_export(c.reg, &c.who, to, c.regime, sk, &b, &n, &d)) {
        print_diag("export", &d);
        st = AIB_CLI_USAGE;
        goto done;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    f = fopen(tmp, "wb");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0 || rename(tmp, out) != 0) {
        fprintf(stderr, "aib export: cannot write %s\n", out);
        st = AIB_CLI_USAGE;
        goto done;
    }
    printf("exported %zu record%s releasable to %s into %s\n", n, n == 1 ? "" : "s", to, out);
    st = AIB_CLI_OK;
done:
    memset(sk, 0, sizeof(sk));
    aib_buf_free(&b);
    close_ctx(&c);
    return st;
}

int aib_cli_import(int argc, char **argv)
{
    ctx_t c;
    const char *trust = NULL;
    aib__cli_opt_t opts[] = {
        { "db", true, &c.db }, { "node", true, &c.node }, { "person", true, &c.person }, { "trust", true, &trust },
    };
    const char *pos[1];
    size_t n_pos = 0, len = 0;
    uint8_t pk[AIB_REGISTRY_PK_BYTES], sk[AIB_REGISTRY_SK_BYTES];
    bool help = false, has_secret = false;
    char *text = NULL;
    aib_registry_import_report_t rep;
    aib_diag_t d;
    int st, rc;

    memset(&c, 0, sizeof(c));
    aib_diag_clear(&d);
    st = aib__cli_parse_opts("import", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1, &n_pos, &help);
    if (st || help || !trust || n_pos != 1) {
        fputs(import_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (aib_registry_key_load(trust, pk, sk, &has_secret, &d)) {
        print_diag("import", &d);
        return AIB_CLI_USAGE;
    }
    memset(sk, 0, sizeof(sk));
    if (aib__cli_read(pos[0], &text, &len, &d)) {
        print_diag("import", &d);
        return AIB_CLI_USAGE;
    }
    if ((st = open_ctx("import", &c)))
        goto done;
    rc = aib_registry_import(c.reg, &c.who, text, len, pk, &rep, &d);
    if (rc) {
        print_diag("import", &d);
        fprintf(stderr, "aib import: bundle refused; nothing stored\n");
        st = AIB_CLI_NEGATIVE;
        goto done;
    }
    printf("imported from %s: %zu added, %zu updated, %zu unchanged\n", rep.from, rep.added, rep.updated,
           rep.unchanged);
    st = AIB_CLI_OK;
done:
    free(text);
    close_ctx(&c);
    return st;
}
