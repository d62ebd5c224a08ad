/* fuzz_screen_ownership.c — libFuzzer target for the ownership-graph evaluator (OFAC 50% rule):
 * arbitrary JSON must evaluate or fail with a diagnostic, without crashing, looping or leaking. */
#include <stdint.h>

#include "aib/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aib_screen_own_status_t st;
    aib_diag_t d;
    aib_buf_t out;
    aib_buf_init(&out);
    (void)aib_screen_ownership((const char *)data, size, "A", NULL, &st, &out, &d);
    aib_buf_clear(&out);
    (void)aib_screen_ownership((const char *)data, size, "B", "2024-01-01", &st, &out, &d);
    aib_buf_free(&out);
    return 0;
}
