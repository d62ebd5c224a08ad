/* main.c — runs every registered unit test (optionally only those whose name contains argv[1])
 * and prints "N passed, N failed" as its last line. */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#define MAX_TESTS 4096

static struct { const char *name; aib_test_fn fn; const char *file; } tests[MAX_TESTS];
static int n_tests;
static int cur_failed;

void aib_test_register(const char *name, aib_test_fn fn, const char *file)
{
    if (n_tests < MAX_TESTS) {
        tests[n_tests].name = name;
        tests[n_tests].fn = fn;
        tests[n_tests].file = file;
        n_tests++;
    }
}

void aib_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "  %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cur_failed++;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, i;
    const char *filter = argc > 1 ? argv[1] : NULL;

    for (i = 0; i < n_tests; i++) {
        if (filter && !strstr(tests[i].name, filter) && !strstr(tests[i].file, filter))
            continue;
        cur_failed = 0;
        tests[i].fn();
        if (cur_failed) {
            fprintf(stderr, "FAIL %s (%s)\n", tests[i].name, tests[i].file);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
