/* fuzz_request.c — differential libFuzzer target for the fast JSON path: a request line is read
 * by the fast reader (json_fast*.c) and by the general jansson path (request.c); whenever the fast
 * path decides, the general path must accept too and give the same uids and context. The first
 * byte picks a schema or none. Every iteration frees what it made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/json_fast_int.h"

static const char SCHEMA[] =
    "entity Country;\n"
    "entity User in [Country] { name: String };\n"
    "entity Doc;\n"
    "action read appliesTo { principal: [User], resource: [Doc],\n"
    "  context: { dest: Country, n: Long, s?: Set<Long>, r?: { x: String, y?: Bool },\n"
    "             u?: Set<User> } };\n";

static aib_cedar_schema_t *schema_once(void)
{
    static aib_cedar_schema_t *s;
    static int tried;
    if (!tried) {
        aib_diag_t d;
        tried = 1;
        aib_diag_clear(&d);
        if (aib_cedar_schema_parse(SCHEMA, sizeof(SCHEMA) - 1, false, "fuzz.cedarschema", &s, &d) != 0)
            s = NULL;
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const aib_cedar_schema_t *schema = NULL;
    aib__request_t *fast = NULL, *gen = NULL;
    const aib__jf_t *dom = NULL;
    aib_arena_t *arena;
    aib_diag_t d;
    const char *text;
    size_t len;
    int rf, rg;

    if (size < 1)
        return 0;
    if (data[0] & 1)
        schema = schema_once();
    text = (const char *)data + 1;
    len = size - 1;
    arena = aib_arena_new(0);
    if (!arena)
        return 0;
    aib_diag_clear(&d);
    (void)aib__jf_parse(text, len, arena, &dom, &d);
    rf = aib__jf_request(text, len, schema, arena, &fast);
    aib_diag_clear(&d);
    rg = aib__request_parse_general(text, len, schema, false, arena, &gen, &d);
    if (rf == 0) {
        if (rg != 0)
            abort(); /* the fast path accepted what the general path rejects */
        if (!aib__uid_eq(fast->principal, gen->principal) || !aib__uid_eq(fast->action, gen->action) ||
            !aib__uid_eq(fast->resource, gen->resource) ||
            !aib__value_eq(&fast->context, &gen->context))
            abort();
    } else if (rf != AIB__JF_FALLBACK && rf != AIB_ENOMEM) {
        abort();
    }
    aib_arena_free(arena);
    return 0;
}
