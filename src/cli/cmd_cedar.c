/* cmd_cedar.c — `aib cedar ...`: authorize, check-parse and conformance over the Cedar engine. */
#include "cli_int.h"

#include <stdio.h>

int aib_cli_cedar(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("aib cedar: not built yet\n", stderr);
    return 2;
}
