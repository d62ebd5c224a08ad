/* fuzz_validate.c — libFuzzer target for the validator: the input is a schema and policy text
 * separated by the first NUL byte (schema in JSON form when it starts with `{`, Cedar schema
 * syntax otherwise). Whatever parses is validated; nothing may crash or leak. */
#include "aib/cedar.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0, size);
    if (!sep)
        return 0;
    const char *stext = (const char *)data, *ptext = (const char *)sep + 1;
    size_t slen = (size_t)(sep - data), plen = size - slen - 1;
    aib_cedar_schema_t *schema = NULL;
    aib_cedar_policyset_t *ps = NULL;
    aib_diag_t diag;
    bool is_json = slen > 0 && stext[0] == '{';
    if (aib_cedar_schema_parse(stext, slen, is_json, "fuzz.cedarschema", &schema, &diag) == 0 &&
        aib_cedar_policyset_parse(ptext, plen, "fuzz.cedar", &ps, &diag) == 0) {
        aib_arena_t *arena = aib_arena_new(0);
        aib_cedar_validation_t res;
        if (arena && aib_cedar_validate(ps, schema, arena, &res) == 0) {
            /* touch every error so a dangling pointer would show */
            size_t total = 0;
            for (size_t i = 0; i < res.n_errors; i++)
                total += strlen(res.errors[i].message) + strlen(res.errors[i].policy_id);
            (void)total;
        }
        aib_arena_free(arena);
    }
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(schema);
    return 0;
}
