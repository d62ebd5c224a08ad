/* fuzz_screen_norm.c — libFuzzer target for the name normaliser and pairwise scorer: any bytes
 * (split at the first NUL into two names) must fold, tokenise and score within [0, 1]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aib/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = malloc(size + 1), *b;
    const uint8_t *nul = memchr(data, 0, size);
    size_t la = nul ? (size_t)(nul - data) : size;
    aib_buf_t out, ex;
    double score = 0;
    int s;

    if (!a)
        return 0;
    memcpy(a, data, size);
    a[size] = '\0';
    b = nul ? a + la + 1 : a;
    aib_buf_init(&out);
    aib_buf_init(&ex);
    for (s = 0; s <= AIB_SCREEN_AIRCRAFT; s++)
        (void)aib_screen_normalize(a, la, (aib_screen_schema_t)s, &out);
    if (aib_screen_pair(a, b, AIB_SCREEN_ANY, &score, &ex) == 0 && (score < 0 || score > 1))
        abort();
    aib_buf_free(&out);
    aib_buf_free(&ex);
    free(a);
    return 0;
}
