/* cmd_cedar.c — `aib cedar ...`: authorize (one request or a JSON-lines stream), check-parse, and
 * dispatch to validate and conformance. Policies, schema and entities are parsed once per run;
 * every request then uses one arena that is reset per request, and a stream's responses go out
 * through one large buffer, so a run is bound by the engine rather than by I/O. */
#include "cli_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- Shared loaders ---------------------------------------------------------------------- */

void aib__cli_print_diag(FILE *f, const aib_diag_t *d)
{
    char msg[1200];
    aib_diag_format(d, msg, sizeof(msg));
    fprintf(f, "aib cedar: %s\n", msg[0] ? msg : "unknown error");
}

bool aib__cli_schema_is_json(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && !strcmp(path + n - 5, ".json");
}

int aib__cli_read(const char *path, char **out, size_t *len, aib_diag_t *diag)
{
    char *buf = NULL, *nb;
    size_t n = 0, cap = 0, got;
    int rc = AIB_OK;

    if (strcmp(path, "-") != 0)
        return aib_read_file(path, out, len, diag);
    /* Standard input cannot be sized in advance: grow geometrically. */
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            nb = realloc(buf, cap + 1);
            if (!nb) {
                rc = AIB_ENOMEM;
                goto done;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(stdin)) {
        aib_diag_set(diag, "<stdin>", 0, 0, "read error: %s", strerror(errno));
        rc = AIB_EIO;
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    return rc;
}

/* The loaders share one shape: read, parse, report. */
int aib__cli_load_policies(const char *path, aib_cedar_policyset_t **out)
{
    aib_diag_t d;
    char *text = NULL;
    size_t len = 0;
    int rc;

    aib_diag_clear(&d);
    *out = NULL;
    rc = aib__cli_read(path, &text, &len, &d);
    if (rc == 0)
        rc = aib_cedar_policyset_parse(text, len, path, out, &d);
    if (rc != 0)
        aib__cli_print_diag(stderr, &d);
    free(text);
    return rc;
}

int aib__cli_load_schema(const char *path, aib_cedar_schema_t **out)
{
    aib_diag_t d;
    char *text = NULL;
    size_t len = 0;
    int rc;

    aib_diag_clear(&d);
    *out = NULL;
    rc = aib__cli_read(path, &text, &len, &d);
    if (rc == 0)
        rc = aib_cedar_schema_parse(text, len, aib__cli_schema_is_json(path), path, out, &d);
    if (rc != 0)
        aib__cli_print_diag(stderr, &d);
    free(text);
    return rc;
}

int aib__cli_load_entities(const char *path, const aib_cedar_schema_t *schema,
                           aib_cedar_entities_t **out)
{
    aib_diag_t d;
    char *text = NULL;
    size_t len = 0;
    int rc;

    aib_diag_clear(&d);
    *out = NULL;
    rc = aib__cli_read(path, &text, &len, &d);
    if (rc == 0)
        rc = aib_cedar_entities_parse(text, len, path, schema, out, &d);
    if (rc != 0)
        aib__cli_print_diag(stderr, &d);
    free(text);
    return rc;
}

/* ---- Option parsing ---------------------------------------------------------------------- */

typedef aib__cli_opt_t opt_t;

int aib__cli_parse_opts(const char *cmd, int argc, char **argv, opt_t *opts, size_t n_opts,
                      const char **pos, size_t max_pos, size_t *n_pos, bool *help)
{
    int i;
    size_t k;

    *help = false;
    if (n_pos)
        *n_pos = 0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *eq, *name;
        size_t nlen;
        bool found = false;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = true;
            return 0;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (a[0] == '-' && a[1] != '\0') {
                fprintf(stderr, "aib %s: unknown option `%s`\n", cmd, a);
                return AIB_CLI_USAGE;
            }
            if (!n_pos || *n_pos >= max_pos) {
                fprintf(stderr, "aib %s: unexpected argument `%s`\n", cmd, a);
                return AIB_CLI_USAGE;
            }
            pos[(*n_pos)++] = a;
            continue;
        }
        name = a + 2;
        eq = strchr(name, '=');
        nlen = eq ? (size_t)(eq - name) : strlen(name);
        for (k = 0; k < n_opts; k++) {
            if (strlen(opts[k].name) != nlen || memcmp(opts[k].name, name, nlen) != 0)
                continue;
            found = true;
            if (!opts[k].takes_value) {
                if (eq) {
                    fprintf(stderr, "aib %s: option `--%s` takes no value\n", cmd, opts[k].name);
                    return AIB_CLI_USAGE;
                }
                *opts[k].value = "1";
            } else if (eq) {
                *opts[k].value = eq + 1;
            } else if (i + 1 < argc) {
                *opts[k].value = argv[++i];
            } else {
                fprintf(stderr, "aib %s: option `--%s` needs a value\n", cmd, opts[k].name);
                return AIB_CLI_USAGE;
            }
            break;
        }
        if (!found) {
            fprintf(stderr, "aib %s: unknown option `%s`\n", cmd, a);
            return AIB_CLI_USAGE;
        }
    }
    return 0;
}

/* ---- authorize --------------------------------------------------------------------------- */

static const char authorize_usage[] =
    "usage: aib cedar authorize --policies FILE [--entities FILE] [--schema FILE]\n"
    "                           (--request-json FILE | --requests FILE |\n"
    "                            --principal UID --action UID --resource UID [--context JSON])\n"
    "                           [--no-request-validation] [--explain] [--exit-code]\n"
    "\n"
    "Decides Cedar authorization requests and prints one JSON response per request:\n"
    "  {\"decision\":\"allow\"|\"deny\",\"reason\":[policy ids],\"errors\":[{\"policy\":id,\"message\":text}]}\n"
    "Policy ids are positional (policy0, policy1, ... in file order); @id(...) is an annotation.\n"
    "\n"
    "options:\n"
    "  --policies FILE        Cedar policy text (required)\n"
    "  --entities FILE        entities JSON array (default: no entities)\n"
    "  --schema FILE          schema: .cedarschema text, or JSON when the name ends in .json;\n"
    "                         types entity attributes and request contexts, and validates requests\n"
    "  --request-json FILE    one request object {\"principal\",\"action\",\"resource\",\"context\"}\n"
    "  --requests FILE        JSON lines: one request object per line, one response per line in\n"
    "                         the same order (blank lines are skipped); a bad line prints\n"
    "                         {\"error\":\"line N: ...\"} and the run goes on\n"
    "  --principal UID, --action UID, --resource UID\n"
    "                         the request in Cedar syntax, e.g. 'User::\"alice\"'\n"
    "  --context JSON         the context record: JSON text starting with '{', or a file name\n"
    "  --no-request-validation  with a schema, do not check the request against it\n"
    "  --explain              add \"annotations\":{policy id:{key:value}} for the determining policies\n"
    "  --exit-code            exit 1 when any decision is deny (default: 0 for allow and deny)\n"
    "  FILE may be - for standard input.\n"
    "\n"
    "exit status: 0 decided (allow or deny), 1 a deny with --exit-code, 2 usage or input error\n"
    "(a --requests run that had bad lines also ends with 2, after answering every good line).\n";

/* Appends the response JSON, with "annotations" for the determining policies when explain is
 * set (a linked policy shows its template's annotations). */
static int append_response(aib_buf_t *b, const aib_cedar_policyset_t *ps,
                           const aib_cedar_response_t *r, bool explain)
{
    size_t i, k, n;
    aib_str_t key, value;
    int rc = aib_cedar_response_json(r, b);

    if (rc != 0 || !explain)
        return rc;
    if (b->len == 0 || b->data[b->len - 1] != '}')
        return AIB_EINTERNAL;
    b->len--; /* reopen the object */
    rc = aib_buf_puts(b, ",\"annotations\":{");
    for (i = 0; rc == 0 && i < r->n_reason; i++) {
        n = aib_cedar_policy_annotation_count(ps, r->reason[i]);
        if (i)
            rc = aib_buf_putc(b, ',');
        if (rc == 0)
            rc = aib_buf_json_str(b, r->reason[i], strlen(r->reason[i]));
        if (rc == 0)
            rc = aib_buf_puts(b, ":{");
        for (k = 0; rc == 0 && k < n; k++) {
            rc = aib_cedar_policy_annotation_at(ps, r->reason[i], k, &key, &value);
            if (rc == 0 && k)
                rc = aib_buf_putc(b, ',');
            if (rc == 0)
                rc = aib_buf_json_str(b, key.ptr, key.len);
            if (rc == 0)
                rc = aib_buf_putc(b, ':');
            if (rc == 0)
                rc = aib_buf_json_str(b, value.ptr, value.len);
        }
        if (rc == 0)
            rc = aib_buf_putc(b, '}');
    }
    if (rc == 0)
        rc = aib_buf_puts(b, "}}");
    return rc;
}

/* Builds the request JSON for --principal/--action/--resource/--context. */
static int compose_request(aib_buf_t *b, const char *principal, const char *action,
                           const char *resource, const char *context, aib_diag_t *d)
{
    char *ctx_text = NULL;
    size_t ctx_len = 0;
    int rc = 0;
    const char *p = context;

    while (p && (*p == ' ' || *p == '\t' || *p == '\n'))
        p++;
    if (context && *p != '{') {
        rc = aib__cli_read(context, &ctx_text, &ctx_len, d);
        if (rc != 0)
            goto done;
    }
    rc = aib_buf_puts(b, "{\"principal\":");
    if (rc == 0)
        rc = aib_buf_json_str(b, principal, strlen(principal));
    if (rc == 0)
        rc = aib_buf_puts(b, ",\"action\":");
    if (rc == 0)
        rc = aib_buf_json_str(b, action, strlen(action));
    if (rc == 0)
        rc = aib_buf_puts(b, ",\"resource\":");
    if (rc == 0)
        rc = aib_buf_json_str(b, resource, strlen(resource));
    if (rc == 0)
        rc = aib_buf_puts(b, ",\"context\":");
    if (rc == 0) {
        if (ctx_text)
            rc = aib_buf_append(b, ctx_text, ctx_len);
        else
            rc = aib_buf_puts(b, context ? context : "{}");
    }
    if (rc == 0)
        rc = aib_buf_putc(b, '}');
done:
    free(ctx_text);
    return rc;
}

/* Writes and empties the output buffer; false on a write error. */
static bool flush_out(aib_buf_t *b)
{
    bool ok = b->len == 0 || fwrite(b->data, 1, b->len, stdout) == b->len;
    aib_buf_clear(b);
    return ok;
}

/* Formats a request line's problem as "line N[, column C]: message". The line is one JSON text,
 * so a position inside it is a column of that line. */
static void line_error(char *buf, size_t cap, long lineno, const aib_diag_t *d, int rc)
{
    char msg[1400];

    if (!d->file[0] && d->line == 1 && d->col > 0) {
        snprintf(buf, cap, "line %ld, column %d: %s", lineno, d->col, d->msg);
        return;
    }
    aib_diag_format(d, msg, sizeof(msg));
    snprintf(buf, cap, "line %ld: %s", lineno, msg[0] ? msg : aib_strerror(rc));
}

/* Appends {"error":"line N: message"} for a request line that could not be decided. */
static int append_line_error(aib_buf_t *b, const char *msg)
{
    if (aib_buf_puts(b, "{\"error\":") != 0 || aib_buf_json_str(b, msg, strlen(msg)) != 0)
        return AIB_ENOMEM;
    return aib_buf_puts(b, "}\n");
}

/* The JSON-lines loop: one arena reset per request, output flushed in 1 MiB blocks. */
static int run_stream(const char *path, const aib_cedar_policyset_t *ps,
                      const aib_cedar_entities_t *es, const aib_cedar_schema_t *schema,
                      bool validate, bool explain, bool exit_code)
{
    FILE *in = NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, bad = 0, denies = 0;
    aib_arena_t *arena = NULL;
    aib_buf_t out;
    int status = AIB_CLI_OK;

    aib_buf_init(&out);
    in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) {
        fprintf(stderr, "aib cedar authorize: %s: cannot open: %s\n", path, strerror(errno));
        status = AIB_CLI_USAGE;
        goto done;
    }
    setvbuf(in, NULL, _IOFBF, 1u << 20);
    arena = aib_arena_new(256u << 10);
    if (!arena || aib_buf_reserve(&out, (1u << 20) + 65536) != 0) {
        fputs("aib cedar authorize: out of memory\n", stderr);
        status = AIB_CLI_USAGE;
        goto done;
    }
    while ((n = getline(&line, &cap, in)) >= 0) {
        aib_cedar_request_t *req = NULL;
        aib_cedar_response_t resp;
        aib_diag_t d;
        ssize_t k;
        int rc;

        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        for (k = 0; k < n && (line[k] == ' ' || line[k] == '\t'); k++)
            ;
        if (k == n)
            continue;
        aib_arena_reset(arena);
        d.file[0] = '\0';
        d.line = d.col = 0;
        d.msg[0] = '\0';
        rc = aib_cedar_request_parse(line, (size_t)n, schema, validate, arena, &req, &d);
        if (rc == 0)
            rc = aib_cedar_authorize(ps, es, req, arena, &resp);
        if (rc == 0)
            rc = append_response(&out, ps, &resp, explain);
        if (rc == 0) {
            rc = aib_buf_putc(&out, '\n');
            if (resp.decision == AIB_CEDAR_DENY)
                denies++;
        } else {
            char msg[1600];
            bad++;
            line_error(msg, sizeof(msg), lineno, &d, rc);
            if (bad <= 5)
                fprintf(stderr, "aib cedar authorize: %s: %s\n", path, msg);
            rc = append_line_error(&out, msg);
        }
        if (rc != 0) {
            fputs("aib cedar authorize: out of memory\n", stderr);
            status = AIB_CLI_USAGE;
            goto done;
        }
        if (out.len >= (1u << 20) && !flush_out(&out)) {
            fprintf(stderr, "aib cedar authorize: write error: %s\n", strerror(errno));
            status = AIB_CLI_USAGE;
            goto done;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "aib cedar authorize: %s: read error: %s\n", path, strerror(errno));
        status = AIB_CLI_USAGE;
    }
    if (!flush_out(&out) || fflush(stdout) != 0) {
        fprintf(stderr, "aib cedar authorize: write error: %s\n", strerror(errno));
        status = AIB_CLI_USAGE;
    }
    if (bad) {
        fprintf(stderr, "aib cedar authorize: %ld of %ld request lines could not be decided\n",
                bad, lineno);
        status = AIB_CLI_USAGE;
    } else if (status == AIB_CLI_OK && exit_code && denies) {
        status = AIB_CLI_NEGATIVE;
    }
done:
    flush_out(&out);
    if (in && in != stdin)
        fclose(in);
    free(line);
    aib_arena_free(arena);
    aib_buf_free(&out);
    return status;
}

static int cmd_authorize(int argc, char **argv)
{
    const char *policies = NULL, *entities = NULL, *schema_path = NULL, *req_json = NULL,
               *requests = NULL, *principal = NULL, *action = NULL, *resource = NULL,
               *context = NULL, *no_validate = NULL, *explain = NULL, *exit_code = NULL;
    opt_t opts[] = {
        { "policies", true, &policies },     { "entities", true, &entities },
        { "schema", true, &schema_path },    { "request-json", true, &req_json },
        { "requests", true, &requests },     { "principal", true, &principal },
        { "action", true, &action },         { "resource", true, &resource },
        { "context", true, &context },       { "no-request-validation", false, &no_validate },
        { "explain", false, &explain },      { "exit-code", false, &exit_code },
    };
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_arena_t *arena = NULL;
    aib_buf_t in, out;
    aib_diag_t d;
    bool help;
    int status, n_forms, rc;

    aib_buf_init(&in);
    aib_buf_init(&out);
    aib_diag_clear(&d);
    status = aib__cli_parse_opts("cedar authorize", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0,
                        NULL, &help);
    if (status != 0 || help) {
        fputs(authorize_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    n_forms = (req_json != NULL) + (requests != NULL) + (principal || action || resource);
    if (!policies || n_forms != 1 || ((principal || action || resource) && !(principal && action && resource))
        || (context && !principal)) {
        fputs(!policies ? "aib cedar authorize: --policies is required\n"
                        : "aib cedar authorize: give one request: --request-json, --requests, or "
                          "--principal, --action and --resource\n",
              stderr);
        fputs(authorize_usage, stderr);
        return AIB_CLI_USAGE;
    }
    status = AIB_CLI_USAGE;
    if (schema_path && aib__cli_load_schema(schema_path, &schema) != 0)
        goto done;
    if (aib__cli_load_policies(policies, &ps) != 0)
        goto done;
    if (entities && aib__cli_load_entities(entities, schema, &es) != 0)
        goto done;
    if (requests) {
        status = run_stream(requests, ps, es, schema, schema && !no_validate, explain != NULL,
                            exit_code != NULL);
        goto done;
    }

    /* A single request. */
    {
        aib_cedar_request_t *req = NULL;
        aib_cedar_response_t resp;
        const char *where = req_json ? req_json : "--principal/--action/--resource";

        if (req_json) {
            char *text = NULL;
            size_t len = 0;
            rc = aib__cli_read(req_json, &text, &len, &d);
            if (rc == 0)
                rc = aib_buf_append(&in, text, len);
            free(text);
        } else {
            rc = compose_request(&in, principal, action, resource, context, &d);
        }
        if (rc != 0) {
            aib__cli_print_diag(stderr, &d);
            goto done;
        }
        arena = aib_arena_new(0);
        if (!arena) {
            fputs("aib cedar authorize: out of memory\n", stderr);
            goto done;
        }
        rc = aib_cedar_request_parse(in.data, in.len, schema, schema && !no_validate, arena, &req, &d);
        if (rc != 0) {
            char msg[1200];
            aib_diag_format(&d, msg, sizeof(msg));
            fprintf(stderr, "aib cedar authorize: %s: %s\n", where, msg[0] ? msg : aib_strerror(rc));
            goto done;
        }
        rc = aib_cedar_authorize(ps, es, req, arena, &resp);
        if (rc == 0)
            rc = append_response(&out, ps, &resp, explain != NULL);
        if (rc == 0)
            rc = aib_buf_putc(&out, '\n');
        if (rc != 0) {
            fprintf(stderr, "aib cedar authorize: %s\n", aib_strerror(rc));
            goto done;
        }
        if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
            fprintf(stderr, "aib cedar authorize: write error: %s\n", strerror(errno));
            goto done;
        }
        status = (exit_code && resp.decision == AIB_CEDAR_DENY) ? AIB_CLI_NEGATIVE : AIB_CLI_OK;
    }
done:
    aib_arena_free(arena);
    aib_buf_free(&in);
    aib_buf_free(&out);
    aib_cedar_entities_free(es);
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    return status;
}

/* ---- check-parse ------------------------------------------------------------------------- */

static const char check_parse_usage[] =
    "usage: aib cedar check-parse --policies FILE [--entities FILE] [--schema FILE]\n"
    "\n"
    "Parses the policies (and the schema and entities when given; entities are checked against\n"
    "the schema) and prints \"ok\", or each problem as file:line:col: message on stderr.\n"
    "The schema is JSON when its name ends in .json, .cedarschema text otherwise.\n"
    "\n"
    "exit status: 0 all parsed, 1 a file has errors, 2 usage error\n";

static int cmd_check_parse(int argc, char **argv)
{
    const char *policies = NULL, *entities = NULL, *schema_path = NULL;
    opt_t opts[] = {
        { "policies", true, &policies },
        { "entities", true, &entities },
        { "schema", true, &schema_path },
    };
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_entities_t *es = NULL;
    bool help, ok = true;
    int status;

    status = aib__cli_parse_opts("cedar check-parse", argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, 0,
                        NULL, &help);
    if (status != 0 || help) {
        fputs(check_parse_usage, help ? stdout : stderr);
        return help ? AIB_CLI_OK : AIB_CLI_USAGE;
    }
    if (!policies && !schema_path && !entities) {
        fputs("aib cedar check-parse: give --policies (and optionally --schema, --entities)\n", stderr);
        fputs(check_parse_usage, stderr);
        return AIB_CLI_USAGE;
    }
    /* Every file is checked even after a failure, so one run reports all of them. */
    if (schema_path && aib__cli_load_schema(schema_path, &schema) != 0)
        ok = false;
    if (policies && aib__cli_load_policies(policies, &ps) != 0)
        ok = false;
    /* Entities are typed by the schema, so they are only checked once it parsed. */
    if (entities && (schema || !schema_path) && aib__cli_load_entities(entities, schema, &es) != 0)
        ok = false;
    if (ok)
        puts("ok");
    aib_cedar_entities_free(es);
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    return ok ? AIB_CLI_OK : AIB_CLI_NEGATIVE;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static void cedar_usage(FILE *f)
{
    fputs("usage: aib cedar COMMAND [OPTIONS]\n"
          "\n"
          "The Cedar 4.x policy engine.\n"
          "\n"
          "commands:\n"
          "  authorize    decide requests (one, or a JSON-lines stream) against policies and entities\n"
          "  check-parse  parse policies, schema and entities; report errors as file:line:col\n"
          "  validate     type-check policies against a schema (strict mode)\n"
          "  conformance  run Cedar's integration-test corpus (directory or .tar.gz) and compare\n"
          "\n"
          "Run `aib cedar COMMAND --help` for a command's options.\n",
          f);
}

int aib_cli_cedar(int argc, char **argv)
{
    const char *cmd;

    if (argc < 2) {
        cedar_usage(stderr);
        return AIB_CLI_USAGE;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        cedar_usage(stdout);
        return AIB_CLI_OK;
    }
    if (!strcmp(cmd, "authorize"))
        return cmd_authorize(argc - 1, argv + 1);
    if (!strcmp(cmd, "check-parse"))
        return cmd_check_parse(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return aib_cli_cedar_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "conformance"))
        return aib_cli_cedar_conformance(argc - 1, argv + 1);
    fprintf(stderr, "aib cedar: unknown command `%s`\n", cmd);
    cedar_usage(stderr);
    return AIB_CLI_USAGE;
}
