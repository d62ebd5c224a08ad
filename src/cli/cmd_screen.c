/* cmd_screen.c — `aib screen`: restricted-party screening from the command line. Subcommands:
 * query (one name against the lists), batch (a CSV of names, with a progress bar on a terminal),
 * pairs (pure pairwise scoring of name pairs, no list needed), ownership (the OFAC 50% rule),
 * decide (record a cleared/escalated decision), lists (what is loaded, with hashes). */
#include "cli_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aib/screen.h"
#include "screen/screen_int.h"

/* Options use the shared parser of every aib command (cli_int.h). */
typedef aib__cli_opt_t sopt_t;

static const char screen_usage[] =
    "usage: aib screen COMMAND [OPTIONS]\n"
    "\n"
    "Restricted-party screening against sanctions and denied-party lists.\n"
    "\n"
    "commands:\n"
    "  query NAME     screen one name (--schema, --country, --dob, --id, --json)\n"
    "  batch          screen every name of a CSV file (--in F.csv [--out R.csv])\n"
    "  pairs          score name pairs from a CSV (schema,name1,name2); no list needed\n"
    "  ownership      apply the OFAC 50% rule to an ownership graph (--graph G.json --entity ID)\n"
    "  decide         record a cleared/escalated decision on a result in a JSON-lines log\n"
    "  lists          show the loaded lists with their SHA-256 and entry counts\n"
    "\n"
    "Lists: --lists DIR|TAR|FILE (default $AIB_SHARED_DATA/sanctions-lists.tar.gz, AIB_SHARED_DATA\n"
    "defaulting to ../shared/data). Run `aib screen COMMAND --help` for options; docs/screening.md.\n"
    "Exit status: 0 no match (or not blocked), 1 a match (or blocked / review), 2 usage or input error.\n";

static const char query_usage[] =
    "usage: aib screen query NAME [--schema Person|Company|Vessel|Aircraft] [--country XX]\n"
    "                        [--dob YYYY[-MM-DD]] [--id NUMBER] [--lists DIR|TAR|FILE]\n"
    "                        [--threshold T] [--limit N] [--all] [--json]\n"
    "\n"
    "Screens NAME against every loaded list. Each hit shows the calibrated score (0..1), the\n"
    "matched name or alias, the token alignment and each feature's contribution (log-odds).\n"
    "An exact identifier match (--id) decides. --all also shows candidates under the threshold\n"
    "(default " "0.5" "). The result id, list hashes, matcher version and threshold are printed so\n"
    "a decision can refer to them (`aib screen decide`).\n"
    "Exit status: 0 no match, 1 at least one match, 2 usage or input error.\n";

static const char batch_usage[] =
    "usage: aib screen batch --in F.csv [--out R.csv] [--lists DIR|TAR|FILE] [--threshold T]\n"
    "\n"
    "F.csv has a header with a `name` column and optionally `schema`, `country`, `dob`, `id`;\n"
    "other columns are kept. R.csv (default standard output) repeats each row with result_id,\n"
    "match, score, entry, list, matched_name and hits (matches at the threshold). A progress\n"
    "bar is drawn on standard error when it is a terminal.\n"
    "Exit status: 0 no row matched, 1 some row matched, 2 usage or input error.\n";

static const char pairs_usage[] =
    "usage: aib screen pairs --in PAIRS.csv [--out R.csv] [--threshold T] [--explain]\n"
    "\n"
    "PAIRS.csv has a header with at least schema,name1,name2 (other columns are kept). Prints\n"
    "the same rows as CSV with two more columns: score (0..1, the calibrated name score) and\n"
    "match (true/false at the threshold, default 0.5). Pure pairwise: no list is loaded.\n"
    "`--in -` reads standard input. --explain adds a column with the alignment and features (JSON).\n";

static const char own_usage[] =
    "usage: aib screen ownership --graph G.json --entity ID [--as-of YYYY-MM-DD] [--json]\n"
    "\n"
    "Applies the OFAC 50% rule: holdings of blocked persons in ID are aggregated, directly and\n"
    "through entities that are blocked themselves; 50% or more blocks. Control alone does not.\n"
    "Unknown percentages give a range; an entity only the upper bound reaches is `review`.\n"
    "Cycles are reported. --as-of selects the holdings in force (default: today).\n"
    "Graph format: docs/screening.md. Exit status: 0 not blocked, 1 listed/blocked/review, 2 error.\n";

static const char decide_usage[] =
    "usage: aib screen decide --log F --result-id ID --decision cleared|escalated --note TEXT\n"
    "                         [--entry ENTRY_ID]\n"
    "\n"
    "Appends a decision on a screening result (its 16-hex-digit result id) to the JSON-lines\n"
    "log F, with the time in UTC.\n";

static const char lists_usage[] =
    "usage: aib screen lists [--lists DIR|TAR|FILE] [--json]\n"
    "\n"
    "Loads the lists, builds the candidate index and prints each list's name, source files,\n"
    "SHA-256 and entry count, with the index build time and memory.\n";

static void print_diag(const char *cmd, const aib_diag_t *d)
{
    char buf[1200];
    aib_diag_format(d, buf, sizeof(buf));
    fprintf(stderr, "aib screen %s: %s\n", cmd, buf);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load_lists(const char *cmd, const char *path, aib_screen_lists_t **out)
{
    char def[4096];
    aib_diag_t d;
    aib_screen_lists_t *ls = NULL;
    int rc;

    aib_diag_clear(&d);
    if (!path) {
        const char *dir = getenv("AIB_SHARED_DATA");
        snprintf(def, sizeof(def), "%s/sanctions-lists.tar.gz", dir && *dir ? dir : "../shared/data");
        path = def;
    }
    if (aib_screen_lists_new(&ls) != 0) {
        fprintf(stderr, "aib screen %s: out of memory\n", cmd);
        return AIB_ENOMEM;
    }
    rc = aib_screen_lists_load_path(ls, path, &d);
    if (rc != 0) {
        print_diag(cmd, &d);
        aib_screen_lists_free(ls);
        return rc;
    }
    *out = ls;
    return 0;
}

static bool parse_threshold(const char *cmd, const char *s, double *out)
{
    char *end;
    double v;
    if (!s)
        return true;
    v = strtod(s, &end);
    if (end == s || *end || !(v > 0 && v <= 1)) {
        fprintf(stderr, "aib screen %s: --threshold must be a number in (0, 1]\n", cmd);
        return false;
    }
    *out = v;
    return true;
}

static void print_hits_text(const aib_screen_lists_t *ls, const aib_screen_result_t *r)
{
    size_t i, k;
    printf("result %s  matcher %s  threshold %.2f\n", r->result_id, AIB_SCREEN_MATCHER_VERSION, r->threshold);
    for (i = 0; i < aib_screen_lists_count(ls); i++) {
        const aib_screen_list_info_t *li = aib_screen_lists_info(ls, i);
        printf("list %-10s %6zu entries  sha256 %s  (%s)\n", li->name, li->n_entries, li->sha256, li->source);
    }
    printf("query \"%s\": %zu candidates examined, %zu hit%s\n", r->query_folded, r->n_candidates, r->n_hits,
           r->n_hits == 1 ? "" : "s");
    for (i = 0; i < r->n_hits; i++) {
        const aib_screen_hit_t *h = &r->hits[i];
        const aib_screen_entry_t *e = h->entry;
        printf("\n%.3f %s  %s  %s  [%s]\n", h->score, h->match ? "MATCH" : "below", e->id, e->names[0],
               aib_screen_schema_name(e->schema));
        if (h->name_idx)
            printf("      matched alias: %s\n", e->names[h->name_idx]);
        if (e->programs)
            printf("      programs: %s\n", e->programs);
        printf("      alignment:");
        for (k = 0; k < h->n_align; k++)
            printf(" %s~%s(%.2f)", h->align[k].qtok ? h->align[k].qtok : "-",
                   h->align[k].ctok ? h->align[k].ctok : "-", h->align[k].sim);
        printf("\n      features:");
        for (k = 0; k < h->n_features; k++) {
            if (isinf(h->features[k].contribution))
                printf(" %s=decisive", h->features[k].name);
            else
                printf(" %s=%+.2f", h->features[k].name, h->features[k].contribution);
        }
        printf("\n");
        for (k = 0; k < h->n_features; k++)
            if (h->features[k].name[0] != 'n')
                printf("      %s: %s\n", h->features[k].name, h->features[k].detail);
    }
}

static int cmd_query(int argc, char **argv)
{
    const char *schema = NULL, *country = NULL, *dob = NULL, *id = NULL, *lists = NULL, *thr = NULL,
               *limit = NULL, *all = NULL, *json = NULL, *pos[1];
    sopt_t opts[] = {{"schema", true, &schema}, {"country", true, &country}, {"dob", true, &dob},
                     {"id", true, &id},         {"lists", true, &lists},     {"threshold", true, &thr},
                     {"limit", true, &limit},   {"all", false, &all},        {"json", false, &json}};
    aib_screen_query_t q;
    aib_screen_lists_t *ls = NULL;
    aib_screen_result_t *r = NULL;
    aib_diag_t d;
    size_t n_pos;
    bool help;
    int status = AIB_CLI_USAGE;

    memset(&q, 0, sizeof(q));
    if (aib__cli_parse_opts("screen query", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), pos, 1, &n_pos, &help) != 0
        || (!help && n_pos != 1)) {
        if (!help && n_pos != 1)
            fputs("aib screen query: give one NAME\n", stderr);
        fputs(query_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(query_usage, stdout);
        return AIB_CLI_OK;
    }
    q.name = pos[0];
    if (schema && !aib_screen_schema_parse(schema, &q.schema)) {
        fprintf(stderr, "aib screen query: unknown schema `%s` (Person, Company, Vessel, Aircraft)\n", schema);
        return AIB_CLI_USAGE;
    }
    q.country = country;
    q.dob = dob;
    q.id_number = id;
    q.all_candidates = all != NULL;
    if (!parse_threshold("query", thr, &q.threshold))
        return AIB_CLI_USAGE;
    if (limit) {
        int64_t v;
        if (aib_parse_i64(limit, strlen(limit), &v) != 0 || v < 1 || v > 10000) {
            fputs("aib screen query: --limit must be 1..10000\n", stderr);
            return AIB_CLI_USAGE;
        }
        q.limit = (size_t)v;
    }
    if (load_lists("query", lists, &ls) != 0)
        return AIB_CLI_USAGE;
    aib_diag_clear(&d);
    if (aib_screen_query(ls, &q, &r, &d) != 0) {
        print_diag("query", &d);
        goto done;
    }
    if (json) {
        aib_buf_t b;
        aib_buf_init(&b);
        if (aib_screen_result_json(ls, &q, r, &b) == 0)
            printf("%s\n", b.data);
        aib_buf_free(&b);
    } else {
        print_hits_text(ls, r);
    }
    status = AIB_CLI_OK;
    {
        size_t i;
        for (i = 0; i < r->n_hits; i++)
            if (r->hits[i].match)
                status = AIB_CLI_NEGATIVE;
    }
done:
    aib_screen_result_free(r);
    aib_screen_lists_free(ls);
    return status;
}

static int csv_field_out(FILE *f, const char *s, size_t len)
{
    size_t i;
    bool quote = false;
    for (i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = true;
    if (!quote)
        return fwrite(s, 1, len, f) == len ? 0 : -1;
    fputc('"', f);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
    return 0;
}

static void csv_row_out(FILE *f, const aib__scr_csv_t *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        if (i)
            fputc(',', f);
        csv_field_out(f, aib__scr_csv_field(c, i), c->len[i]);
    }
}

static long col_of(const aib__scr_csv_t *c, const char *name)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        const char *s = aib__scr_csv_field(c, i);
        size_t l = c->len[i];
        if (i == 0 && l >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB
            && (unsigned char)s[2] == 0xBF) {
            s += 3; /* UTF-8 byte-order mark */
            l -= 3;
        }
        while (l && (*s == ' ')) {
            s++;
            l--;
        }
        while (l && s[l - 1] == ' ')
            l--;
        if (l == strlen(name) && strncasecmp(s, name, l) == 0)
            return (long)i;
    }
    return -1;
}

static const char *field_or_null(const aib__scr_csv_t *c, long col)
{
    if (col < 0 || (size_t)col >= c->n || c->len[col] == 0)
        return NULL;
    return aib__scr_csv_field(c, (size_t)col);
}

static FILE *open_out(const char *cmd, const char *path)
{
    FILE *f;
    if (!path || !strcmp(path, "-"))
        return stdout;
    f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "aib screen %s: cannot write %s\n", cmd, path);
    return f;
}

static void progress(size_t done, size_t total, double t0)
{
    char bar[41];
    size_t fill = total ? done * 40 / total : 40, i;
    double el = now_s() - t0;
    for (i = 0; i < 40; i++)
        bar[i] = i < fill ? '=' : ' ';
    bar[40] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu names  %.0f/s ", bar, done, total, el > 0 ? (double)done / el : 0.0);
    fflush(stderr);
}

static int cmd_batch(int argc, char **argv)
{
    const char *in = NULL, *outp = NULL, *lists = NULL, *thr = NULL;
    sopt_t opts[] = {{"in", true, &in}, {"out", true, &outp}, {"lists", true, &lists}, {"threshold", true, &thr}};
    aib_screen_lists_t *ls = NULL;
    aib__scr_csv_t c;
    aib_diag_t d;
    char *data = NULL;
    size_t len = 0, total = 0, done = 0;
    long cn, cs, cc, cd, ci;
    FILE *out = NULL;
    bool help, tty = isatty(2), any = false;
    double t0, threshold = 0;
    int status = AIB_CLI_USAGE, r;

    aib__scr_csv_init(&c, "", 0, ',');
    if (aib__cli_parse_opts("screen batch", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help) != 0 || (!help && !in)) {
        if (!help && !in)
            fputs("aib screen batch: --in is required\n", stderr);
        fputs(batch_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(batch_usage, stdout);
        return AIB_CLI_OK;
    }
    if (!parse_threshold("batch", thr, &threshold))
        return AIB_CLI_USAGE;
    aib_diag_clear(&d);
    if (aib__cli_read(in, &data, &len, &d) != 0) {
        print_diag("batch", &d);
        return AIB_CLI_USAGE;
    }
    /* count rows first so the progress bar knows the total */
    aib__scr_csv_init(&c, data, len, ',');
    while ((r = aib__scr_csv_next(&c, in, &d)) > 0)
        total++;
    if (r < 0) {
        print_diag("batch", &d);
        goto done;
    }
    if (total)
        total--;
    aib__scr_csv_free(&c);
    aib__scr_csv_init(&c, data, len, ',');
    if (aib__scr_csv_next(&c, in, &d) <= 0) {
        fprintf(stderr, "aib screen batch: %s: empty file (expected a header with a `name` column)\n", in);
        goto done;
    }
    cn = col_of(&c, "name");
    cs = col_of(&c, "schema");
    cc = col_of(&c, "country");
    cd = col_of(&c, "dob");
    ci = col_of(&c, "id");
    if (cn < 0) {
        fprintf(stderr, "aib screen batch: %s:1: the header has no `name` column\n", in);
        goto done;
    }
    if (load_lists("batch", lists, &ls) != 0)
        goto done;
    if (aib_screen_lists_build_index(ls) != 0) {
        fputs("aib screen batch: out of memory building the index\n", stderr);
        goto done;
    }
    if (!(out = open_out("batch", outp)))
        goto done;
    csv_row_out(out, &c);
    fputs(",result_id,match,score,entry,list,matched_name,hits\n", out);
    t0 = now_s();
    while ((r = aib__scr_csv_next(&c, in, &d)) > 0) {
        aib_screen_query_t q;
        aib_screen_result_t *res = NULL;
        const char *sch = field_or_null(&c, cs);
        memset(&q, 0, sizeof(q));
        q.name = field_or_null(&c, cn);
        q.threshold = threshold;
        q.limit = 5;
        q.all_candidates = true;
        if (sch && !aib_screen_schema_parse(sch, &q.schema)) {
            fprintf(stderr, "%saib screen batch: %s:%d: unknown schema `%s`\n", tty ? "\n" : "", in, c.line, sch);
            goto done;
        }
        q.country = field_or_null(&c, cc);
        q.dob = field_or_null(&c, cd);
        q.id_number = field_or_null(&c, ci);
        csv_row_out(out, &c);
        if (!q.name) {
            fputs(",,false,0,,,,0\n", out);
        } else if (aib_screen_query(ls, &q, &res, &d) != 0) {
            fprintf(stderr, "%saib screen batch: %s:%d: %s\n", tty ? "\n" : "", in, c.line, d.msg);
            goto done;
        } else {
            size_t nm = 0, i;
            const aib_screen_hit_t *top = res->n_hits ? &res->hits[0] : NULL;
            for (i = 0; i < res->n_hits; i++)
                nm += res->hits[i].match;
            any |= nm > 0;
            fprintf(out, ",%s,%s,%.4f,", res->result_id, top && top->match ? "true" : "false", top ? top->score : 0.0);
            if (top) {
                csv_field_out(out, top->entry->id, strlen(top->entry->id));
                fputc(',', out);
                csv_field_out(out, top->entry->list, strlen(top->entry->list));
                fputc(',', out);
                csv_field_out(out, top->entry->names[top->name_idx], strlen(top->entry->names[top->name_idx]));
            } else {
                fputs(",", out);
                fputs(",", out);
            }
            fprintf(out, ",%zu\n", nm);
            aib_screen_result_free(res);
        }
        done++;
        if (tty && (done % 64 == 0 || done == total))
            progress(done, total, t0);
    }
    if (tty)
        fputc('\n', stderr);
    if (r < 0) {
        print_diag("batch", &d);
        goto done;
    }
    fprintf(stderr, "aib screen batch: %zu names in %.2fs (%.0f names/s)\n", done, now_s() - t0,
            now_s() > t0 ? (double)done / (now_s() - t0) : 0.0);
    status = any ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
done:
    if (out && out != stdout)
        fclose(out);
    else if (out)
        fflush(out);
    aib__scr_csv_free(&c);
    free(data);
    aib_screen_lists_free(ls);
    return status;
}

static int cmd_pairs(int argc, char **argv)
{
    const char *in = NULL, *outp = NULL, *thr = NULL, *explain = NULL;
    sopt_t opts[] = {{"in", true, &in}, {"out", true, &outp}, {"threshold", true, &thr}, {"explain", false, &explain}};
    aib_buf_t ex;
    aib__scr_csv_t c;
    aib_diag_t d;
    char *data = NULL;
    size_t len = 0;
    long cs, c1, c2;
    FILE *out = NULL;
    bool help;
    double threshold = AIB_SCREEN_DEFAULT_THRESHOLD;
    int status = AIB_CLI_USAGE, r;

    aib__scr_csv_init(&c, "", 0, ',');
    aib_buf_init(&ex);
    if (aib__cli_parse_opts("screen pairs", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help) != 0 || (!help && !in)) {
        if (!help && !in)
            fputs("aib screen pairs: --in is required\n", stderr);
        fputs(pairs_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(pairs_usage, stdout);
        return AIB_CLI_OK;
    }
    if (!parse_threshold("pairs", thr, &threshold))
        return AIB_CLI_USAGE;
    aib_diag_clear(&d);
    if (aib__cli_read(in, &data, &len, &d) != 0) {
        print_diag("pairs", &d);
        return AIB_CLI_USAGE;
    }
    aib__scr_csv_init(&c, data, len, ',');
    if ((r = aib__scr_csv_next(&c, in, &d)) <= 0) {
        if (r < 0)
            print_diag("pairs", &d);
        else
            fprintf(stderr, "aib screen pairs: %s: empty file (expected a header schema,name1,name2)\n", in);
        goto done;
    }
    cs = col_of(&c, "schema");
    c1 = col_of(&c, "name1");
    c2 = col_of(&c, "name2");
    if (c1 < 0 || c2 < 0) {
        fprintf(stderr, "aib screen pairs: %s:1: the header needs name1 and name2 columns (and schema)\n", in);
        goto done;
    }
    if (!(out = open_out("pairs", outp)))
        goto done;
    csv_row_out(out, &c);
    fputs(explain ? ",score,match,explanation\n" : ",score,match\n", out);
    aib_buf_init(&ex);
    while ((r = aib__scr_csv_next(&c, in, &d)) > 0) {
        aib_screen_schema_t schema = AIB_SCREEN_ANY;
        const char *sch = field_or_null(&c, cs), *n1 = field_or_null(&c, c1), *n2 = field_or_null(&c, c2);
        double score = 0;
        if (sch && !aib_screen_schema_parse(sch, &schema))
            schema = AIB_SCREEN_ANY; /* unknown kinds are scored without kind-specific rules */
        aib_buf_clear(&ex);
        if (n1 && n2 && aib_screen_pair(n1, n2, schema, &score, explain ? &ex : NULL) != 0) {
            fputs("aib screen pairs: out of memory\n", stderr);
            goto done;
        }
        csv_row_out(out, &c);
        fprintf(out, ",%.4f,%s", score, score >= threshold ? "true" : "false");
        if (explain) {
            fputc(',', out);
            csv_field_out(out, ex.data ? ex.data : "", ex.len);
        }
        fputc('\n', out);
    }
    if (r < 0) {
        print_diag("pairs", &d);
        goto done;
    }
    status = AIB_CLI_OK;
done:
    if (out && out != stdout)
        fclose(out);
    else if (out)
        fflush(out);
    aib_buf_free(&ex);
    aib__scr_csv_free(&c);
    free(data);
    return status;
}

static void print_chain(json_t *chain, int depth)
{
    size_t i;
    json_t *x;
    json_array_foreach(chain, i, x) {
        json_t *p = json_object_get(x, "percent");
        char pct[32];
        if (json_is_number(p))
            snprintf(pct, sizeof(pct), "%.4g%%", json_number_value(p));
        else
            snprintf(pct, sizeof(pct), "unknown %%");
        printf("%*sheld %s by %s (%s)\n", depth * 2, "", pct, json_string_value(json_object_get(x, "owner")),
               json_string_value(json_object_get(x, "status")));
        print_chain(json_object_get(x, "held_by"), depth + 1);
    }
}

static int cmd_ownership(int argc, char **argv)
{
    const char *graph = NULL, *entity = NULL, *as_of = NULL, *json = NULL;
    sopt_t opts[] = {{"graph", true, &graph}, {"entity", true, &entity}, {"as-of", true, &as_of}, {"json", false, &json}};
    aib_screen_own_status_t st;
    aib_diag_t d;
    aib_buf_t b;
    char *data = NULL, today[16];
    size_t len;
    bool help;
    int status = AIB_CLI_USAGE;

    if (aib__cli_parse_opts("screen ownership", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help) != 0
        || (!help && (!graph || !entity))) {
        if (!help)
            fputs("aib screen ownership: --graph and --entity are required\n", stderr);
        fputs(own_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(own_usage, stdout);
        return AIB_CLI_OK;
    }
    if (!as_of) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof(today), "%Y-%m-%d", &tm);
        as_of = today;
    }
    aib_diag_clear(&d);
    aib_buf_init(&b);
    if (aib__cli_read(graph, &data, &len, &d) != 0) {
        print_diag("ownership", &d);
        return AIB_CLI_USAGE;
    }
    if (aib_screen_ownership(data, len, entity, as_of, &st, &b, &d) != 0) {
        if (!d.file[0])
            snprintf(d.file, sizeof(d.file), "%s", graph);
        print_diag("ownership", &d);
        goto done;
    }
    if (json) {
        printf("%s\n", b.data);
    } else {
        json_t *root = json_loads(b.data, 0, NULL), *x;
        size_t i;
        printf("%s: %s (as of %s)\n", entity, aib_screen_own_status_name(st), as_of);
        printf("blocked owners hold %.4g%% for certain, up to %.4g%% counting unknown holdings\n",
               json_number_value(json_object_get(root, "blocked_percent")),
               json_number_value(json_object_get(root, "possible_percent")));
        print_chain(json_object_get(root, "chain"), 1);
        json_array_foreach(json_object_get(root, "control"), i, x)
            printf("  control by %s (%s): control alone does not block\n",
                   json_string_value(json_object_get(x, "controller")), json_string_value(json_object_get(x, "status")));
        json_array_foreach(json_object_get(root, "cycles"), i, x) {
            size_t k;
            json_t *y;
            printf("  ownership cycle:");
            json_array_foreach(x, k, y)
                printf(" %s", json_string_value(y));
            printf("\n");
        }
        json_decref(root);
    }
    status = st == AIB_SCREEN_OWN_NOT_BLOCKED ? AIB_CLI_OK : AIB_CLI_NEGATIVE;
done:
    aib_buf_free(&b);
    free(data);
    return status;
}

static int cmd_decide(int argc, char **argv)
{
    const char *log = NULL, *rid = NULL, *dec = NULL, *note = NULL, *entry = NULL;
    sopt_t opts[] = {{"log", true, &log}, {"result-id", true, &rid}, {"decision", true, &dec},
                     {"note", true, &note}, {"entry", true, &entry}};
    aib_diag_t d;
    bool help;

    if (aib__cli_parse_opts("screen decide", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help) != 0
        || (!help && (!log || !rid || !dec || !note))) {
        if (!help)
            fputs("aib screen decide: --log, --result-id, --decision and --note are required\n", stderr);
        fputs(decide_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(decide_usage, stdout);
        return AIB_CLI_OK;
    }
    aib_diag_clear(&d);
    if (aib_screen_decide(log, rid, dec, entry, note, &d) != 0) {
        print_diag("decide", &d);
        return AIB_CLI_USAGE;
    }
    printf("recorded: %s %s\n", rid, dec);
    return AIB_CLI_OK;
}

static int cmd_lists(int argc, char **argv)
{
    const char *lists = NULL, *json = NULL;
    sopt_t opts[] = {{"lists", true, &lists}, {"json", false, &json}};
    aib_screen_lists_t *ls = NULL;
    double t0, t1, t2;
    size_t i;
    bool help;

    if (aib__cli_parse_opts("screen lists", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0, NULL, &help) != 0) {
        fputs(lists_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (help) {
        fputs(lists_usage, stdout);
        return AIB_CLI_OK;
    }
    t0 = now_s();
    if (load_lists("lists", lists, &ls) != 0)
        return AIB_CLI_USAGE;
    t1 = now_s();
    if (aib_screen_lists_build_index(ls) != 0) {
        fputs("aib screen lists: out of memory building the index\n", stderr);
        aib_screen_lists_free(ls);
        return AIB_CLI_USAGE;
    }
    t2 = now_s();
    if (json) {
        printf("{\"matcher\":\"%s\",\"load_ms\":%.1f,\"index_ms\":%.1f,\"memory_bytes\":%zu,\"entries\":%zu,\"lists\":[",
               AIB_SCREEN_MATCHER_VERSION, (t1 - t0) * 1e3, (t2 - t1) * 1e3, aib_screen_lists_memory(ls),
               aib_screen_lists_entries(ls));
        for (i = 0; i < aib_screen_lists_count(ls); i++) {
            const aib_screen_list_info_t *li = aib_screen_lists_info(ls, i);
            printf("%s{\"name\":\"%s\",\"source\":\"%s\",\"sha256\":\"%s\",\"entries\":%zu}", i ? "," : "", li->name,
                   li->source, li->sha256, li->n_entries);
        }
        printf("]}\n");
    } else {
        for (i = 0; i < aib_screen_lists_count(ls); i++) {
            const aib_screen_list_info_t *li = aib_screen_lists_info(ls, i);
            printf("%-10s %6zu entries  sha256 %s  %s\n", li->name, li->n_entries, li->sha256, li->source);
        }
        printf("%zu entries; loaded in %.0f ms, index built in %.0f ms, %.1f MiB\n", aib_screen_lists_entries(ls),
               (t1 - t0) * 1e3, (t2 - t1) * 1e3, (double)aib_screen_lists_memory(ls) / (1 << 20));
    }
    aib_screen_lists_free(ls);
    return AIB_CLI_OK;
}

int aib_cli_screen(int argc, char **argv)
{
    int rc;
    if (argc < 2) {
        fputs(screen_usage, stderr);
        return AIB_CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(screen_usage, stdout);
        return AIB_CLI_OK;
    }
    if (!strcmp(argv[1], "query"))
        rc = cmd_query(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "batch"))
        rc = cmd_batch(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "pairs"))
        rc = cmd_pairs(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "ownership"))
        rc = cmd_ownership(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "decide"))
        rc = cmd_decide(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "lists"))
        rc = cmd_lists(argc - 1, argv + 1);
    else {
        fprintf(stderr, "aib screen: unknown command `%s`\n", argv[1]);
        fputs(screen_usage, stderr);
        return AIB_CLI_USAGE;
    }
    aib_screen_shutdown();
    return rc;
}
