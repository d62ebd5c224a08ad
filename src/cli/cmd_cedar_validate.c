/* cmd_cedar_validate.c — `aib cedar validate`: strict-mode validation of a policy file against
 * a schema (.cedarschema text or .json). Prints each error with its policy id, place and a plain
 * message (or a JSON report with --json). Exit 0 valid, 1 invalid, 2 usage or input error. */
#include "cli_int.h"

#include "aib/cedar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: aib cedar validate --schema SCHEMA --policies POLICIES [--json]\n"
          "\n"
          "Type-checks every policy and template in POLICIES against SCHEMA (strict mode):\n"
          "unknown entity types and actions, actions that cannot apply to the scope, and type\n"
          "errors in conditions are reported.\n"
          "\n"
          "options:\n"
          "  --schema PATH     schema, Cedar schema syntax (.cedarschema) or JSON (.json)\n"
          "  --policies PATH   Cedar policies (.cedar)\n"
          "  --json            print {\"valid\":bool,\"errors\":[{\"policy\",\"line\",\"col\",\"message\"}]}\n"
          "  --help            this text\n"
          "\n"
          "exit status: 0 valid, 1 invalid, 2 usage or input error\n",
          f);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static void print_diag(const aib_diag_t *d)
{
    char buf[1200];
    aib_diag_format(d, buf, sizeof buf);
    fprintf(stderr, "aib cedar validate: %s\n", buf);
}

int aib_cli_cedar_validate(int argc, char **argv)
{
    const char *schema_path = NULL, *policies_path = NULL;
    bool json = false;
    int rc = 2;
    char *stext = NULL, *ptext = NULL;
    size_t slen = 0, plen = 0;
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_policyset_t *ps = NULL;
    aib_arena_t *arena = NULL;
    aib_buf_t out;
    aib_diag_t diag;

    aib_buf_init(&out);
    aib_diag_clear(&diag);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--schema") && i + 1 < argc) {
            schema_path = argv[++i];
        } else if (!strcmp(argv[i], "--policies") && i + 1 < argc) {
            policies_path = argv[++i];
        } else {
            fprintf(stderr, "aib cedar validate: unexpected argument `%s`\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!schema_path || !policies_path) {
        fputs("aib cedar validate: --schema and --policies are required\n", stderr);
        usage(stderr);
        return 2;
    }

    if (aib_read_file(schema_path, &stext, &slen, &diag) != 0 ||
        aib_cedar_schema_parse(stext, slen, ends_with(schema_path, ".json"), schema_path, &schema,
                               &diag) != 0) {
        print_diag(&diag);
        goto done;
    }
    if (aib_read_file(policies_path, &ptext, &plen, &diag) != 0 ||
        aib_cedar_policyset_parse(ptext, plen, policies_path, &ps, &diag) != 0) {
        print_diag(&diag);
        goto done;
    }
    arena = aib_arena_new(0);
    aib_cedar_validation_t res;
    if (!arena || aib_cedar_validate(ps, schema, arena, &res) != 0) {
        fputs("aib cedar validate: out of memory\n", stderr);
        goto done;
    }

    if (json) {
        aib_buf_printf(&out, "{\"valid\":%s,\"errors\":[", res.n_errors ? "false" : "true");
        for (size_t i = 0; i < res.n_errors; i++) {
            const aib_cedar_validation_error_t *e = &res.errors[i];
            aib_buf_puts(&out, i ? ",{\"policy\":" : "{\"policy\":");
            aib_buf_json_str(&out, e->policy_id, strlen(e->policy_id));
            aib_buf_printf(&out, ",\"line\":%d,\"col\":%d,\"message\":", e->line, e->col);
            aib_buf_json_str(&out, e->message, strlen(e->message));
            aib_buf_putc(&out, '}');
        }
        aib_buf_puts(&out, "]}\n");
    } else {
        for (size_t i = 0; i < res.n_errors; i++) {
            const aib_cedar_validation_error_t *e = &res.errors[i];
            if (e->line > 0)
                aib_buf_printf(&out, "%s:%d:%d: ", policies_path, e->line, e->col);
            else
                aib_buf_printf(&out, "%s: ", policies_path);
            aib_buf_printf(&out, "policy %s: %s\n", e->policy_id, e->message);
        }
        if (res.n_errors)
            aib_buf_printf(&out, "invalid: %zu error%s\n", res.n_errors, res.n_errors == 1 ? "" : "s");
        else
            aib_buf_puts(&out, "valid\n");
    }
    if (out.data)
        fputs(out.data, stdout);
    rc = res.n_errors ? 1 : 0;
done:
    aib_buf_free(&out);
    aib_arena_free(arena);
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    free(stext);
    free(ptext);
    return rc;
}
