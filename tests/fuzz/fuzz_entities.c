/* fuzz_entities.c — libFuzzer target for the JSON loaders: entity arrays (without a schema and
 * with a small one, chosen by the first byte) and request objects. Every iteration frees what it
 * made, so leaks show up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar_int.h"

static const char SCHEMA[] =
    "entity Group in [Group];\n"
    "entity User in [Group] { name: String, age?: Long, boss?: User, ip?: ipaddr, d?: decimal,\n"
    "  at?: datetime, dur?: duration, s?: Set<User>, r?: { a: Long, b?: Set<String> } } tags String;\n"
    "entity Color enum [\"red\", \"green\"];\n"
    "action group;\n"
    "action read in [group] appliesTo { principal: [User], resource: [User, Color],\n"
    "  context: { ip?: ipaddr, c?: Color, n?: Long } };\n";

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
    aib_cedar_entities_t *es = NULL;
    aib_cedar_request_t *req = NULL;
    aib_arena_t *arena;
    aib_diag_t d;
    const char *text;
    size_t len;

    if (size < 1)
        return 0;
    if (data[0] & 1)
        schema = schema_once();
    text = (const char *)data + 1;
    len = size - 1;

    aib_diag_clear(&d);
    if (aib_cedar_entities_parse(text, len, "fuzz.json", schema, &es, &d) == 0) {
        /* exercise lookups on whatever was stored */
        size_t i;
        for (i = 0; i < es->n_uids && i < 64; i++) {
            const aib__uid_t *u = es->uids[i];
            (void)aib__entities_find(es, u);
            (void)aib__entities_in(es, u, es->uids[es->n_uids - 1 - i]);
        }
        aib_cedar_entities_free(es);
    }

    arena = aib_arena_new(0);
    if (arena) {
        aib_diag_clear(&d);
        (void)aib_cedar_request_parse(text, len, schema, (data[0] & 2) != 0, arena, &req, &d);
        aib_arena_free(arena);
    }
    return 0;
}
