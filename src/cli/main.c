/* main.c — the `aib` command: dispatches to subcommands (cedar, ...). Each subcommand lives in
 * its own cmd_*.c file and prints its own --help. */
#include "cli_int.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: aib COMMAND [ARGS]\n"
          "\n"
          "Alliance Innovation Base: release determinations, screening and cooperation workflow,\n"
          "decided by Cedar policies.\n"
          "\n"
          "commands:\n"
          "  cedar       the Cedar policy engine:\n"
          "                authorize    decide requests (one, or a JSON-lines stream)\n"
          "                check-parse  parse policies, schema and entities (file:line:col errors)\n"
          "                validate     type-check policies against a schema\n"
          "                conformance  run Cedar's integration-test corpus and compare\n"
          "  screen      restricted-party screening: query, batch, pairs, ownership, decide, lists\n"
          "  alliance    alliance registry and reference data: country, group, expand, ear, itar\n"
          "  label       security labels: parse, check, marking, keygen, sign, verify, test\n"
          "  serve       the HTTP API server (cases, metrics, audit, authorization; docs/api.md)\n"
          "  token       API tokens for the server: create (printed once), revoke\n"
          "  case        cooperation cases (admin): create, get, list, transition, comment, attach,\n"
          "              update, metrics\n"
          "  db          the store: migrate, version, backup, restore (SQLite or PostgreSQL)\n"
          "  audit       the hash-chained audit log: verify, list\n"
          "  determine   release determinations: may this go to that ally, under which authority?\n"
          "              (--request, --batch, --compare current,proposed, --cases)\n"
          "  eligibility benefit tiers of a country: criteria met and what is missing\n"
          "  registry    innovation registry: add, get, search, dupes, match, keygen, taxonomy\n"
          "              (every read filtered by release to the requester)\n"
          "  export      signed bundle of the registry records releasable to a nation\n"
          "  import      verify and store a partner's signed bundle (idempotent)\n"
          "  help        this text\n"
          "\n"
          "Run `aib COMMAND --help` (e.g. `aib cedar authorize --help`) for options.\n"
          "Exit status: 0 success, 1 a negative result (deny with --exit-code, invalid, failures),\n"
          "2 usage or input error.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "cedar"))
        return aib_cli_cedar(argc - 1, argv + 1);
    if (!strcmp(argv[1], "screen"))
        return aib_cli_screen(argc - 1, argv + 1);
    if (!strcmp(argv[1], "determine"))
        return aib_cli_determine(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eligibility"))
        return aib_cli_eligibility(argc - 1, argv + 1);
    if (!strcmp(argv[1], "alliance"))
        return aib_cli_alliance(argc - 1, argv + 1);
    if (!strcmp(argv[1], "label"))
        return aib_cli_label(argc - 1, argv + 1);
    if (!strcmp(argv[1], "serve"))
        return aib_cli_serve(argc - 1, argv + 1);
    if (!strcmp(argv[1], "token"))
        return aib_cli_token(argc - 1, argv + 1);
    if (!strcmp(argv[1], "case"))
        return aib_cli_case(argc - 1, argv + 1);
    if (!strcmp(argv[1], "db"))
        return aib_cli_db(argc - 1, argv + 1);
    if (!strcmp(argv[1], "audit"))
        return aib_cli_audit(argc - 1, argv + 1);
    if (!strcmp(argv[1], "registry"))
        return aib_cli_registry(argc - 1, argv + 1);
    if (!strcmp(argv[1], "export"))
        return aib_cli_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "import"))
        return aib_cli_import(argc - 1, argv + 1);
    fprintf(stderr, "aib: unknown command `%s`\n", argv[1]);
    usage(stderr);
    return 2;
}
