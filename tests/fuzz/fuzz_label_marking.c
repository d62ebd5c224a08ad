/* fuzz_label_marking.c — libFuzzer target for the US banner/portion marking parser: arbitrary bytes
 * must parse or fail with a diagnostic, never crash; a parsed marking's canonical form must parse
 * again to the same canonical form, and the access check must decide it. Reads the marking table
 * from data/label (run from the repository root). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aib/label.h"

static aib_label_us_t *us;

static int canon(aib_arena_t *a, const char *text, bool portion, aib_buf_t *out, aib_label_banner_t **b)
{
    aib_diag_t d;
    aib_buf_clear(out);
    if (aib_label_banner_parse(us, text, false, a, b, &d) != 0)
        return -1;
    return aib_label_banner_format(us, *b, portion, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const caveats[] = { "SI", "TK", "ORCON" };
    static const char *const nations[] = { "USA", "GBR", "FRA", "NZL" };
    aib_arena_t *a;
    aib_label_banner_t *b = NULL, *b2 = NULL;
    aib_buf_t c1, c2;
    char *text;
    size_t i;
    int p;

    if (!us) {
        aib_diag_t d;
        if (aib_label_us_load(NULL, NULL, &us, &d) != 0)
            abort();
    }
    if (size > 8192)
        return 0;
    text = malloc(size + 1);
    a = aib_arena_new(0);
    if (!text || !a)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    aib_buf_init(&c1);
    aib_buf_init(&c2);
    for (p = 0; p < 2; p++) {
        if (canon(a, text, p == 1, &c1, &b) != 0)
            break;
        /* canonical output is a fixed point */
        if (canon(a, c1.data, p == 1, &c2, &b2) != 0 || strcmp(c1.data, c2.data) != 0)
            abort();
        for (i = 0; i < 4; i++) {
            aib_label_requester_t who = { nations[i], i & 1 ? "TS" : "CUI", caveats, i };
            aib_label_decision_t dec;
            aib_diag_t d;
            if (aib_label_banner_access(us, b, &who, &dec, &d) != 0)
                abort();
        }
    }
    aib_buf_free(&c1);
    aib_buf_free(&c2);
    aib_arena_free(a);
    free(text);
    return 0;
}
