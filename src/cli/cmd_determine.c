/* cmd_determine.c — `aib determine` (one request, a JSON-lines batch, an impact comparison of
 * two packs, or a case file checked against its expected results) and `aib eligibility`
 * (benefit tiers of a country with the criteria met and missing). The engine is loaded once
 * per process; each request uses one arena, reset between requests. */
#include "cli_int.h"

#include "aib/determine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dopts {
    const char *request, *batch, *compare, *policies, *data, *ear, *date;
    const char *pos[64];
    size_t n_pos;
    bool json, no_trace, trace, cases, help;
} dopts_t;

static int parse(const char *cmd, int argc, char **argv, dopts_t *o)
{
    int i;
    memset(o, 0, sizeof *o);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **val = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = true;
            return 0;
        }
        if (!strcmp(a, "--json")) { o->json = true; continue; }
        if (!strcmp(a, "--no-trace")) { o->no_trace = true; continue; }
        if (!strcmp(a, "--trace")) { o->trace = true; continue; }
        if (!strcmp(a, "--cases")) { o->cases = true; continue; }
        if (!strcmp(a, "--request")) val = &o->request;
        else if (!strcmp(a, "--batch")) val = &o->batch;
        else if (!strcmp(a, "--compare")) val = &o->compare;
        else if (!strcmp(a, "--policies")) val = &o->policies;
        else if (!strcmp(a, "--data")) val = &o->data;
        else if (!strcmp(a, "--ear")) val = &o->ear;
        else if (!strcmp(a, "--date")) val = &o->date;
        if (val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "aib %s: option `%s` needs a value\n", cmd, a);
                return AIB_CLI_USAGE;
            }
            *val = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "aib %s: unknown option `%s` (see --help)\n", cmd, a);
            return AIB_CLI_USAGE;
        }
        if (o->n_pos >= 64) {
            fprintf(stderr, "aib %s: too many arguments\n", cmd);
            return AIB_CLI_USAGE;
        }
        o->pos[o->n_pos++] = a;
    }
    return 0;
}

static int open_engine(const char *cmd, const dopts_t *o, aib_determine_engine_t **e)
{
    aib_alliance_opts_t ao;
    aib_determine_opts_t d;
    aib_diag_t diag;
    char msg[1200];
    int rc;

    memset(&ao, 0, sizeof ao);
    memset(&d, 0, sizeof d);
    ao.data_dir = o->data;
    ao.ear_path = o->ear;
    d.policy_dir = o->policies;
    d.alliance_opts = &ao;
    aib_diag_clear(&diag);
    rc = aib_determine_engine_open(&d, e, &diag);
    if (rc) {
        aib_diag_format(&diag, msg, sizeof msg);
        fprintf(stderr, "aib %s: %s\n", cmd, msg);
    }
    return rc;
}

static void print_text(const aib_determine_request_t *r, const aib_determine_result_t *x, bool trace)
{
    size_t i;
    printf("%s%s%s on %s, pack %s\n", r->id[0] ? "request " : "request", r->id,
           r->id[0] ? "" : "", r->date_text, x->pack);
    printf("  outcome:      %s%s\n", x->outcome, x->by_default ? " (pack default: no rule concluded)" : "");
    printf("  licence:      %s\n", x->licence ? x->licence : "-");
    printf("  jurisdiction: %s (%s)\n", x->jurisdiction, x->item_ref);
    for (i = 0; i < x->n_rules; i++)
        printf("  %s %s\n", i ? "             " : "rules:       ", x->rules[i]);
    for (i = 0; i < x->n_authorities; i++)
        printf("  %s %s\n", i ? "             " : "authorities: ", x->authorities[i]);
    for (i = 0; i < x->n_conditions; i++)
        printf("  %s %s\n", i ? "             " : "conditions:  ", x->conditions[i]);
    for (i = 0; i < x->n_candidates; i++)
        printf("  %s %s\n", i ? "             " : "candidates:  ", x->candidates[i]);
    if (!trace)
        return;
    printf("  trace:\n");
    for (i = 0; i < x->n_trace; i++) {
        const aib_determine_trace_t *t = &x->trace[i];
        printf("    [%s] %-32s %s\n", t->error ? "error" : t->applied ? "applied" : "  -    ", t->rule, t->why);
    }
}

/* Runs the regime(s) the request asks for. */
static int run_one(aib_determine_engine_t *e, const aib_determine_request_t *r, aib_arena_t *a,
                   aib_determine_result_t *cur, aib_determine_result_t *prop, bool *has_cur,
                   bool *has_prop, aib_diag_t *diag)
{
    int rc = 0;
    *has_cur = r->regime != AIB_DET_PROPOSED;
    *has_prop = r->regime != AIB_DET_CURRENT;
    if (*has_cur)
        rc = aib_determine_run(e, r, "current", a, cur, diag);
    if (!rc && *has_prop)
        rc = aib_determine_run(e, r, "proposed", a, prop, diag);
    return rc;
}

static int cmd_request(aib_determine_engine_t *e, const dopts_t *o)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_determine_request_t *r = NULL;
    aib_determine_result_t cur, prop;
    bool hc = false, hp = false;
    aib_diag_t diag;
    char *text = NULL, msg[1200];
    size_t len = 0;
    aib_buf_t b;
    int rc, code = AIB_CLI_OK;

    aib_buf_init(&b);
    aib_diag_clear(&diag);
    rc = a ? aib__cli_read(o->request, &text, &len, &diag) : AIB_ENOMEM;
    if (!rc)
        rc = aib_determine_request_parse(e, text, len, a, &r, &diag);
    if (!rc)
        rc = run_one(e, r, a, &cur, &prop, &hc, &hp, &diag);
    if (rc) {
        aib_diag_format(&diag, msg, sizeof msg);
        fprintf(stderr, "aib determine: %s: %s\n", o->request, diag.msg[0] ? msg : aib_strerror(rc));
        code = AIB_CLI_USAGE;
    } else if (o->json) {
        rc = aib_determine_result_json(r, hc ? &cur : NULL, hp ? &prop : NULL, !o->no_trace, &b);
        if (!rc)
            printf("%s\n", b.data);
    } else {
        if (hc)
            print_text(r, &cur, !o->no_trace);
        if (hp)
            print_text(r, &prop, !o->no_trace);
        if (hc && hp)
            printf("outcome %s: %s -> %s\n", strcmp(cur.outcome, prop.outcome) ? "changes" : "unchanged",
                   cur.outcome, prop.outcome);
    }
    free(text);
    aib_buf_free(&b);
    aib_arena_free(a);
    return code;
}

static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0';
}

static int cmd_batch(aib_determine_engine_t *e, const dopts_t *o)
{
    FILE *f = strcmp(o->batch, "-") ? fopen(o->batch, "r") : stdin;
    aib_arena_t *a = aib_arena_new(1 << 20);
    aib_determine_impact_t *im = NULL;
    char *line = NULL;
    size_t cap = 0, lineno = 0, n_ok = 0, n_bad = 0;
    ssize_t len;
    aib_buf_t b;
    int code = AIB_CLI_OK;

    aib_buf_init(&b);
    if (!f || !a) {
        fprintf(stderr, "aib determine: cannot open `%s`\n", o->batch);
        aib_arena_free(a);
        return AIB_CLI_USAGE;
    }
    if (o->compare) {
        if (strcmp(o->compare, "current,proposed") && strcmp(o->compare, "proposed,current")) {
            fprintf(stderr, "aib determine: --compare takes `current,proposed` (or the reverse)\n");
            code = AIB_CLI_USAGE;
            goto done;
        }
        im = aib_determine_impact_new();
        if (!im) {
            code = AIB_CLI_USAGE;
            goto done;
        }
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        aib_determine_request_t *r = NULL;
        aib_determine_result_t cur, prop;
        bool hc = false, hp = false;
        aib_diag_t diag;
        int rc;

        lineno++;
        if (blank(line))
            continue;
        aib_arena_reset(a);
        aib_diag_clear(&diag);
        rc = aib_determine_request_parse(e, line, (size_t)len, a, &r, &diag);
        if (!rc && im) {
            const bool first_cur = !strcmp(o->compare, "current,proposed");
            rc = aib_determine_run(e, r, "current", a, &cur, &diag);
            if (!rc)
                rc = aib_determine_run(e, r, "proposed", a, &prop, &diag);
            if (!rc)
                rc = first_cur ? aib_determine_impact_add(im, r, &cur, &prop)
                               : aib_determine_impact_add(im, r, &prop, &cur);
        } else if (!rc) {
            rc = run_one(e, r, a, &cur, &prop, &hc, &hp, &diag);
            aib_buf_clear(&b);
            if (!rc)
                rc = aib_determine_result_json(r, hc ? &cur : NULL, hp ? &prop : NULL, o->trace, &b);
            if (!rc)
                printf("%s\n", b.data);
        }
        if (rc) {
            char msg[1200];
            aib_diag_format(&diag, msg, sizeof msg);
            aib_buf_clear(&b);
            aib_buf_printf(&b, "{\"line\":%zu,\"error\":", lineno);
            aib_buf_json_str(&b, diag.msg[0] ? diag.msg : aib_strerror(rc),
                             strlen(diag.msg[0] ? diag.msg : aib_strerror(rc)));
            aib_buf_putc(&b, '}');
            if (im)
                fprintf(stderr, "aib determine: %s:%zu: %s\n", o->batch, lineno, diag.msg);
            else
                printf("%s\n", b.data);
            n_bad++;
            continue;
        }
        n_ok++;
    }
    if (im) {
        aib_buf_clear(&b);
        const char *x = !strcmp(o->compare, "current,proposed") ? "current" : "proposed";
        const char *y = !strcmp(x, "current") ? "proposed" : "current";
        if (o->json)
            aib_determine_impact_json(im, x, y, &b);
        else
            aib_determine_impact_text(im, x, y, &b);
        printf("%s%s", b.data, o->json ? "\n" : "");
    }
    if (n_bad)
        code = AIB_CLI_NEGATIVE;
    fprintf(stderr, "aib determine: %zu requests determined, %zu rejected\n", n_ok, n_bad);
done:
    free(line);
    if (f && f != stdin)
        fclose(f);
    aib_buf_free(&b);
    aib_determine_impact_free(im);
    aib_arena_free(a);
    return code;
}

static int cmd_cases(aib_determine_engine_t *e, const dopts_t *o)
{
    size_t passed = 0, failed = 0, i;
    for (i = 0; i < o->n_pos; i++)
        aib_determine_check_cases(e, o->pos[i], stdout, o->trace, &passed, &failed);
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
}

static void help_determine(FILE *f)
{
    fputs("usage: aib determine --request R.json [--json] [--no-trace]\n"
          "       aib determine --batch R.jsonl [--trace] [--compare current,proposed [--json]]\n"
          "       aib determine --cases FILE.jsonl...\n"
          "\n"
          "Release determinations: may this item or information go to that destination, and under\n"
          "which authority? Each request is judged by the Cedar policy packs (policies/current,\n"
          "policies/proposed) on the alliance registry as of the request's date.\n"
          "\n"
          "request: {\"id\", \"date\":\"YYYY-MM-DD\", \"regime\":\"current|proposed|both\",\n"
          "  \"item\":{\"usml\" | \"eccn\" (or \"EAR99\"), \"classification\", \"markings\",\n"
          "           \"significant_military_equipment\", \"value_usd\"},\n"
          "  \"transfer\":{\"kind\":export|reexport|retransfer|temporary_export|temporary_import|\n"
          "              deemed_export|disclosure, \"from\", \"to\" (alpha-3),\n"
          "              \"end_user\":{\"kind\":government|company|person, \"country\", \"nationalities\",\n"
          "                          \"registered\", \"authorized_user\"}, \"end_use\"}}\n"
          "\n"
          "options:\n"
          "  --request PATH    one request (\"-\" = standard input); text unless --json\n"
          "  --batch PATH      JSON lines, one result (or {\"line\",\"error\"}) per line\n"
          "  --compare A,B     with --batch: impact summary of pack B against pack A\n"
          "  --cases           run case files (request + expected result + citation) and report\n"
          "  --trace/--no-trace  include the rule-by-rule trace (batch: off by default;\n"
          "                    with --cases: list every case)\n"
          "  --json            JSON output\n"
          "  --policies DIR    policy folder (default $AIB_POLICY_DIR or ./policies)\n"
          "  --data DIR        reference data folder (default $AIB_DATA_DIR or ./data)\n"
          "  --ear PATH        EAR tables (default $AIB_SHARED_DATA/ear-data.tar.gz)\n"
          "\n"
          "exit status: 0 success, 1 rejected requests or failed cases, 2 usage or input error\n",
          f);
}

int aib_cli_determine(int argc, char **argv)
{
    aib_determine_engine_t *e = NULL;
    dopts_t o;
    int rc = parse("determine", argc, argv, &o);

    if (rc)
        return rc;
    if (o.help) {
        help_determine(stdout);
        return AIB_CLI_OK;
    }
    if (!o.cases && !!o.request + !!o.batch != 1) {
        fprintf(stderr, "aib determine: give exactly one of --request, --batch or --cases\n");
        help_determine(stderr);
        return AIB_CLI_USAGE;
    }
    if (o.compare && !o.batch) {
        fprintf(stderr, "aib determine: --compare needs --batch\n");
        return AIB_CLI_USAGE;
    }
    if (o.cases && !o.n_pos) {
        fprintf(stderr, "aib determine: --cases needs at least one case file\n");
        return AIB_CLI_USAGE;
    }
    if (open_engine("determine", &o, &e))
        return AIB_CLI_USAGE;
    if (o.cases)
        rc = cmd_cases(e, &o);
    else if (o.request)
        rc = cmd_request(e, &o);
    else
        rc = cmd_batch(e, &o);
    aib_determine_engine_free(e);
    return rc;
}

static void help_eligibility(FILE *f)
{
    fputs("usage: aib eligibility COUNTRY [--date YYYY-MM-DD] [--json]\n"
          "\n"
          "Benefit tiers for COUNTRY (ISO code or name): excepted foreign state, RDP MoU waiver\n"
          "(current law) and the proposed YESFORN nation, ITAR-free zone, NTIB candidate and\n"
          "investor white list — each with its criteria met and what is missing, on the date\n"
          "(default today). Criteria are Cedar policies in policies/*/tiers.cedar.\n"
          "\n"
          "options: --date D, --json, --policies DIR, --data DIR, --ear PATH\n"
          "exit status: 0 success, 2 usage or input error\n",
          f);
}

int aib_cli_eligibility(int argc, char **argv)
{
    aib_determine_engine_t *e = NULL;
    aib_determine_eligibility_t el;
    aib_alliance_date_t date = 0;
    aib_arena_t *a = NULL;
    aib_diag_t diag;
    aib_buf_t b;
    dopts_t o;
    int rc = parse("eligibility", argc, argv, &o);

    if (rc)
        return rc;
    if (o.help) {
        help_eligibility(stdout);
        return AIB_CLI_OK;
    }
    if (o.n_pos != 1) {
        fprintf(stderr, "aib eligibility: give one COUNTRY\n");
        help_eligibility(stderr);
        return AIB_CLI_USAGE;
    }
    if (o.date && aib_alliance_date_parse(o.date, &date) != 0) {
        fprintf(stderr, "aib eligibility: --date `%s` is not a calendar date YYYY-MM-DD\n", o.date);
        return AIB_CLI_USAGE;
    }
    if (open_engine("eligibility", &o, &e))
        return AIB_CLI_USAGE;
    aib_buf_init(&b);
    aib_diag_clear(&diag);
    a = aib_arena_new(0);
    rc = a ? aib_determine_eligibility(e, o.pos[0], date, a, &el, &diag) : AIB_ENOMEM;
    if (rc) {
        fprintf(stderr, "aib eligibility: %s\n", diag.msg[0] ? diag.msg : aib_strerror(rc));
        rc = AIB_CLI_USAGE;
    } else {
        rc = o.json ? aib_determine_eligibility_json(&el, &b) : aib_determine_eligibility_text(&el, &b);
        printf("%s%s", b.data ? b.data : "", o.json ? "\n" : "");
        rc = rc ? AIB_CLI_USAGE : AIB_CLI_OK;
    }
    aib_buf_free(&b);
    aib_arena_free(a);
    aib_determine_engine_free(e);
    return rc;
}
