/* fuzz_screen_un.c — libFuzzer target for the UN consolidated list XML loader: arbitrary bytes as
 * UN_consolidated.xml must load or fail with a diagnostic, never crash or leak; loaded entries are then
 * screened once to exercise the index. */
#include <stdint.h>
#include <string.h>

#include "aib/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aib_screen_lists_t *ls = NULL;
    aib_diag_t d;
    const char *name = "UN_consolidated.xml", *text = (const char *)data;

    if (aib_screen_lists_new(&ls) != 0)
        return 0;
    if (aib_screen_lists_load_mem(ls, 1, &name, &text, &size, &d) == 0 && aib_screen_lists_entries(ls) > 0) {
        aib_screen_query_t q;
        aib_screen_result_t *r = NULL;
        memset(&q, 0, sizeof(q));
        q.name = aib_screen_lists_entry(ls, 0)->names[0];
        q.all_candidates = true;
        if (q.name[0] && aib_screen_query(ls, &q, &r, &d) == 0)
            aib_screen_result_free(r);
    }
    aib_screen_lists_free(ls);
    return 0;
}
