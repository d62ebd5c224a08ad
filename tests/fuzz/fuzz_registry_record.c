/* fuzz_registry_record.c — libFuzzer target for the registry record parser (src/registry/
 * reg_record.c): arbitrary bytes as a record. Must never crash or leak; a record that parses
 * must emit canonical JSON that parses again to the same canonical text. Run from the repository
 * root (loads data/registry/taxonomy.json). */
#include "aib/registry.h"

#include <stdlib.h>
#include <string.h>

static aib_registry_taxonomy_t *tax;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_registry_record_t r, r2;
    aib_buf_t b1, b2;
    aib_diag_t d;

    if (!tax && aib_registry_taxonomy_load("data/registry/taxonomy.json", &tax, &d))
        abort();
    aib_buf_init(&b1);
    aib_buf_init(&b2);
    if (aib_registry_record_parse(tax, (const char *)data, size, a, &r, &d) == 0) {
        if (aib_registry_record_json(&r, &b1) || aib_registry_record_parse(tax, b1.data, b1.len, a, &r2, &d)
            || aib_registry_record_json(&r2, &b2) || b1.len != b2.len || memcmp(b1.data, b2.data, b1.len))
            abort();
    } else if (!d.msg[0]) {
        abort(); /* a refusal must say why */
    }
    aib_buf_free(&b1);
    aib_buf_free(&b2);
    aib_arena_free(a);
    return 0;
}
