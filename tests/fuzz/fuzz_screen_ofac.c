/* fuzz_screen_ofac.c — libFuzzer target for the OFAC CSV loader: the input is split at 0x1E bytes
 * into sdn.csv, alt.csv, add.csv and sdn_comments.csv; loading must succeed or fail with a
 * diagnostic, never crash or leak. */
#include <stdint.h>
#include <string.h>

#include "aib/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const all[] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
    const char *names[4], *parts[4];
    size_t lens[4], n = 0, start = 0, i;
    aib_screen_lists_t *ls = NULL;
    aib_diag_t d;

    for (i = 0; i <= size && n < 4; i++) {
        if (i == size || data[i] == 0x1e) {
            names[n] = all[n];
            parts[n] = (const char *)data + start;
            lens[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    if (aib_screen_lists_new(&ls) != 0)
        return 0;
    if (aib_screen_lists_load_mem(ls, n, names, parts, lens, &d) == 0)
        (void)aib_screen_lists_build_index(ls);
    aib_screen_lists_free(ls);
    return 0;
}
