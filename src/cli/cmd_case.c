/* cmd_case.c — `aib case ...`: administration of cooperation cases straight on the store (the
 * HTTP API is the way for everyone else): create, get, list, transition, comment, attach, update
 * and metrics. Bodies are the same JSON the API takes (--json TEXT or --json @FILE), or built
 * from the common flags. Output is JSON on stdout; errors name the field. */
#include "cli_int.h"

#include "aib/alliance.h"
#include "aib/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char case_usage[] =
    "usage: aib case SUBCOMMAND (--db PATH | --pg CONNINFO) [options]\n"
    "\n"
    "  create      --json BODY | --type T [--subtype S] --title T [--owner-nation N]\n"
    "              [--released-to A,B] [--fields JSON]\n"
    "  get         ID\n"
    "  list        [--type T] [--stage S] [--owner O] [--owner-nation N] [--visible-to N]\n"
    "              [--tag T] [--open] [--cursor C] [--limit N]\n"
    "  transition  ID --to STAGE [--note TEXT]      (or --json BODY)\n"
    "  comment     ID --body TEXT                   (or --json BODY)\n"
    "  attach      ID --name NAME --ref URI         (or --json BODY with sha256, media_type)\n"
    "  update      ID --json BODY                   ({\"title\",\"fields\",\"released_to\"})\n"
    "  metrics     [--group-by type,stage,country,owner] [--target-hours H] [--type T]\n"
    "              [--visible-to N]\n"
    "\n"
    "common options:\n"
    "  --as PERSON       who acts (audit log); default \"admin\"\n"
    "  --nation N        the acting person's nation (ISO alpha-3); default USA\n"
    "  --cases DIR       case types (default data/cases)\n"
    "  --routing DIR     routing policies (default policies/routing)\n"
    "  --alliance        load the alliance registry for group membership (NATO coverage)\n"
    "BODY is JSON text or @FILE. The store is migrated when needed.\n";

enum { O_DB, O_PG, O_CASES, O_ROUTING, O_AS, O_NATION, O_JSON, O_TYPE, O_SUBTYPE, O_TITLE,
       O_ONATION, O_REL, O_FIELDS, O_STAGE, O_OWNER, O_VIS, O_TAG, O_OPEN, O_CURSOR, O_LIMIT,
       O_TO, O_NOTE, O_BODY, O_NAME, O_REF, O_GROUP, O_TARGET, O_ALLIANCE, O_N };

static const char *names[O_N] = { "db", "pg", "cases", "routing", "as", "nation", "json", "type",
    "subtype", "title", "owner-nation", "released-to", "fields", "stage", "owner", "visible-to",
    "tag", "open", "cursor", "limit", "to", "note", "body", "name", "ref", "group-by",
    "target-hours", "alliance" };

static int body_from(const char *json, char **out, size_t *len)
{
    aib_diag_t d;
    char msg[1200];
    if (json[0] != '@') {
        *out = strdup(json);
        *len = strlen(json);
        return *out ? 0 : AIB_ENOMEM;
    }
    if (aib__cli_read(json + 1, out, len, &d)) {
        aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib case: %s\n", msg);
        return AIB_EIO;
    }
    return 0;
}

/* Appends ,"key":"value" when value is set. */
static void add_str(aib_buf_t *b, const char *key, const char *v)
{
    if (!v)
        return;
    aib_buf_printf(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
    aib_buf_json_str(b, v, strlen(v));
}

static void add_list(aib_buf_t *b, const char *key, const char *csv)
{
    const char *p = csv, *q;
    int first = 1;
    if (!csv)
        return;
    aib_buf_printf(b, "%s\"%s\":[", b->len > 1 ? "," : "", key);
    while (*p) {
        q = strchr(p, ',');
        if (!q)
            q = p + strlen(p);
        if (q > p) {
            if (!first)
                aib_buf_putc(b, ',');
            aib_buf_json_str(b, p, (size_t)(q - p));
            first = 0;
        }
        p = *q ? q + 1 : q;
    }
    aib_buf_putc(b, ']');
}

static unsigned parse_group_by(const char *s)
{
    unsigned by = 0;
    if (!s)
        return 0;
    if (strstr(s, "type"))
        by |= AIB_METRICS_BY_TYPE;
    if (strstr(s, "stage"))
        by |= AIB_METRICS_BY_STAGE;
    if (strstr(s, "country"))
        by |= AIB_METRICS_BY_COUNTRY;
    if (strstr(s, "owner"))
        by |= AIB_METRICS_BY_OWNER;
    return by ? by : 0xffff; /* nothing recognised: caller reports */
}

int aib_cli_case(int argc, char **argv)
{
    const char *v[O_N] = { 0 };
    aib__cli_opt_t opts[O_N];
    const char *pos[2];
    size_t n_pos = 0, len = 0, i;
    bool help = false;
    aib_store_t *st = NULL;
    aib_cases_t *cs = NULL;
    aib_alliance_t *al = NULL;
    aib_arena_t *a = NULL;
    aib_case_t c;
    aib_buf_t out, b;
    aib_diag_t d;
    char msg[1200], *body = NULL;
    const char *sub, *id;
    aib_actor_t who;
    int status, rc = 0;

    for (i = 0; i < O_N; i++)
        opts[i] = (aib__cli_opt_t){ names[i], i != O_OPEN && i != O_ALLIANCE, &v[i] };
    aib_buf_init(&out);
    aib_buf_init(&b);
    status = aib__cli_parse_opts("case", argc, argv, opts, O_N, pos, 2, &n_pos, &help);
    if (status != 0 || help || n_pos < 1) {
        fputs(case_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    sub = pos[0];
    id = n_pos > 1 ? pos[1] : NULL;
    if (strcmp(sub, "create") && strcmp(sub, "get") && strcmp(sub, "list") && strcmp(sub, "transition") &&
        strcmp(sub, "comment") && strcmp(sub, "attach") && strcmp(sub, "update") && strcmp(sub, "metrics")) {
        fprintf(stderr, "aib case: unknown subcommand `%s`\n", sub);
        fputs(case_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (!id && (!strcmp(sub, "get") || !strcmp(sub, "transition") || !strcmp(sub, "comment") ||
                !strcmp(sub, "attach") || !strcmp(sub, "update"))) {
        fprintf(stderr, "aib case %s: a case ID is required\n", sub);
        return AIB_CLI_USAGE;
    }
    who.person = v[O_AS] ? v[O_AS] : "admin";
    who.nation = v[O_NATION] ? v[O_NATION] : "USA";
    who.role = "admin";
    if ((status = aib__cli_open_store("case", v[O_DB], v[O_PG], 1, &st)))
        return status;
    aib_diag_clear(&d);
    rc = aib_cases_load(v[O_CASES] ? v[O_CASES] : "data/cases",
                        v[O_ROUTING] ? v[O_ROUTING] : "policies/routing", &cs, &d);
    if (!rc && v[O_ALLIANCE]) {
        aib_alliance_opts_t ao = { 0 };
        ao.ear_optional = true;
        rc = aib_alliance_load(&ao, &al, &d);
        if (!rc)
            aib_cases_use_alliance(cs, al);
    }
    a = aib_arena_new(0);
    if (!rc && !a)
        rc = AIB_ENOMEM;
    if (rc)
        goto fail;

    /* The body: --json, else built from flags. */
    if (v[O_JSON]) {
        if (body_from(v[O_JSON], &body, &len)) {
            status = AIB_CLI_USAGE;
            goto done;
        }
    } else {
        aib_buf_putc(&b, '{');
        if (!strcmp(sub, "create")) {
            add_str(&b, "type", v[O_TYPE]);
            add_str(&b, "subtype", v[O_SUBTYPE]);
            add_str(&b, "title", v[O_TITLE]);
            add_str(&b, "nation", v[O_ONATION]);
            add_list(&b, "released_to", v[O_REL]);
            if (v[O_FIELDS])
                aib_buf_printf(&b, "%s\"fields\":%s", b.len > 1 ? "," : "", v[O_FIELDS]);
        } else if (!strcmp(sub, "transition")) {
            add_str(&b, "to", v[O_TO]);
            add_str(&b, "note", v[O_NOTE]);
        } else if (!strcmp(sub, "comment")) {
            add_str(&b, "body", v[O_BODY]);
        } else if (!strcmp(sub, "attach")) {
            add_str(&b, "name", v[O_NAME]);
            add_str(&b, "ref", v[O_REF]);
        }
        aib_buf_putc(&b, '}');
        body = strdup(b.data);
        len = b.len;
        if (!body) {
            rc = AIB_ENOMEM;
            goto fail;
        }
    }

    if (!strcmp(sub, "create"))
        rc = aib_cases_create(cs, st, &who, body, len, a, &c, &d);
    else if (!strcmp(sub, "get"))
        rc = aib_cases_get(cs, st, id, a, &c, &d);
    else if (!strcmp(sub, "transition"))
        rc = aib_cases_transition(cs, st, &who, id, body, len, a, &c, &d);
    else if (!strcmp(sub, "comment"))
        rc = aib_cases_comment(cs, st, &who, id, body, len, a, &c, &d);
    else if (!strcmp(sub, "attach"))
        rc = aib_cases_attach(cs, st, &who, id, body, len, a, &c, &d);
    else if (!strcmp(sub, "update"))
        rc = aib_cases_update(cs, st, &who, id, body, len, a, &c, &d);
    if (!rc && strcmp(sub, "list") && strcmp(sub, "metrics"))
        rc = aib_case_to_json(&c, &out);

    if (!strcmp(sub, "list") || !strcmp(sub, "metrics")) {
        aib_case_filter_t f;
        int64_t lim = 0, hours = 0;
        memset(&f, 0, sizeof(f));
        f.type = v[O_TYPE];
        f.stage = v[O_STAGE];
        f.owner = v[O_OWNER];
        f.nation = v[O_ONATION];
        f.visible_to = v[O_VIS];
        f.tag = v[O_TAG];
        f.open_only = v[O_OPEN] != NULL;
        f.cursor = v[O_CURSOR];
        if ((v[O_LIMIT] && (aib_parse_i64(v[O_LIMIT], strlen(v[O_LIMIT]), &lim) || lim <= 0)) ||
            (v[O_TARGET] && (aib_parse_i64(v[O_TARGET], strlen(v[O_TARGET]), &hours) || hours <= 0))) {
            fputs("aib case: --limit and --target-hours take positive integers\n", stderr);
            status = AIB_CLI_USAGE;
            goto done;
        }
        f.limit = (size_t)lim;
        if (!strcmp(sub, "list")) {
            aib_case_list_t l;
            rc = aib_store_case_list(st, &f, a, &l, &d);
            if (!rc)
                rc = aib_case_list_to_json(&l, &out);
        } else {
            aib_metrics_query_t q;
            aib_metrics_t m;
            memset(&q, 0, sizeof(q));
            q.filter = &f;
            q.group_by = parse_group_by(v[O_GROUP]);
            if (q.group_by == 0xffff) {
                fputs("aib case metrics: --group-by takes type,stage,country,owner\n", stderr);
                status = AIB_CLI_USAGE;
                goto done;
            }
            q.target_ms = hours * 3600 * 1000;
            rc = aib_cases_metrics(cs, st, &q, a, &m, &d);
            if (!rc)
                rc = aib_metrics_to_json(&m, &out);
        }
    }
fail:
    if (rc) {
        /* Field errors (no line) already name the field in their message. */
        if (d.line == 0 && d.msg[0])
            snprintf(msg, sizeof(msg), "%s", d.msg);
        else
            aib_diag_format(&d, msg, sizeof(msg));
        fprintf(stderr, "aib case %s: %s\n", sub, msg[0] ? msg : aib_strerror(rc));
        status = rc == AIB_EINVAL || rc == AIB_ENOTFOUND || rc == AIB_EPARSE || rc == AIB_ESCHEMA
                     ? AIB_CLI_USAGE : AIB_CLI_NEGATIVE;
    } else {
        puts(out.data ? out.data : "");
    }
done:
    free(body);
    aib_buf_free(&out);
    aib_buf_free(&b);
    aib_arena_free(a);
    aib_cases_free(cs);
    aib_alliance_free(al);
    aib_store_close(st);
    return status;
}
