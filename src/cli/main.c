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
          "  cedar       Cedar policy engine: authorize, check-parse, conformance\n"
          "  help        this text\n"
          "\n"
          "Run `aib COMMAND --help` for a command's options.\n",
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
    fprintf(stderr, "aib: unknown command `%s`\n", argv[1]);
    usage(stderr);
    return 2;
}
