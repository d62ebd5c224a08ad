/* fuzz_cases_body.c — libFuzzer target for the case body checks (src/cases/input.c): arbitrary
 * bytes as a create body, then the type-specific fields of every loaded case type. Must never
 * crash, leak or accept a body without naming a field on error. Run from the repository root
 * (loads data/cases and policies/routing). */
#include "cases/cases_int.h"

#include <stdlib.h>
#include <string.h>

static aib_cases_t *cs;

static int groups(void *ctx, const char *group, aib_arena_t *arena, aib_membership_t **out, size_t *n)
{
    (void)ctx;
    if (strcmp(group, "NATO") != 0)
        return AIB_ENOTFOUND;
    *out = aib_arena_calloc(arena, 1, sizeof(**out));
    if (!*out)
        return AIB_ENOMEM;
    (*out)[0] = (aib_membership_t){ "SWE", 1709769600000LL, 0 };
    *n = 1;
    return AIB_OK;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const allowed[] = { "type", "subtype", "title", "nation", "released_to",
                                           "owner", "fields", NULL };
    aib_diag_t d;
    json_t *body = NULL;
    aib_arena_t *a;
    size_t i;

    if (!cs) {
        if (aib_cases_load("data/cases", "policies/routing", &cs, &d) != 0)
            abort();
        aib_cases_set_groups(cs, groups, NULL);
    }
    a = aib_arena_new(0);
    if (!a)
        return 0;
    if (aib__cases_parse_body((const char *)data, size, allowed, &body, &d) == 0) {
        json_t *f = json_object_get(body, "fields");
        for (i = 0; f && i < aib_cases_type_count(cs); i++) {
            const char *out = NULL;
            json_t *copy = json_deep_copy(f);
            int rc = aib__cases_check_fields(cs, aib_cases_type_at(cs, i), copy, a, &out, &d);
            if (rc == 0 && !out)
                abort();
            if (rc == AIB_EINVAL && !d.file[0] && !d.msg[0])
                abort();
            json_decref(copy);
        }
        json_decref(body);
    }
    aib_arena_free(a);
    return 0;
}
