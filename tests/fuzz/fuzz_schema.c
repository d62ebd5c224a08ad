/* fuzz_schema.c — libFuzzer target for the schema parsers: the first byte selects the
 * syntax (even: .cedarschema text, odd: JSON), the rest is the schema. Any input must give a
 * schema or a diagnostic, never a crash or a leak; a parsed schema's lookups are exercised. */
#include <stdint.h>
#include <stddef.h>

#include "cedar/cedar_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool json = (data[0] & 1) != 0;
    aib_cedar_schema_t *s = NULL;
    aib_diag_t d;
    aib_diag_clear(&d);
    if (aib_cedar_schema_parse((const char *)data + 1, size - 1, json, "fuzz", &s, &d) == 0) {
        aib_buf_t b;
        aib_buf_init(&b);
        for (size_t i = 0; i < s->n_entity_types; i++) {
            const aib__entity_type_t *e = &s->entity_types[i];
            if (aib__schema_entity_type(s, e->name) != e)
                __builtin_trap();
            aib__type_format(e->attrs, &b);
            if (e->tags)
                aib__type_format(e->tags, &b);
        }
        for (size_t i = 0; i < s->n_actions; i++) {
            if (aib__schema_action(s, s->actions[i].uid) != &s->actions[i])
                __builtin_trap();
            aib__type_format(s->actions[i].context, &b);
        }
        aib_buf_free(&b);
        aib_cedar_schema_free(s);
    }
    return 0;
}
