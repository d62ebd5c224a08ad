/* fuzz_http_body.c — libFuzzer target for request bodies: the JSON object parser the handlers
 * use, the unknown-field check, and Cedar authorization of an API call whose principal and case
 * attributes come from the body (nation, role, person, released_to, stage), so hostile strings
 * must be escaped into the engine's entity and request JSON and never crash or allow by accident.
 * Loads policies/api from the working directory (the repository root). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static aib__authz_t *authz_once(void)
{
    static aib__authz_t a;
    static int tried, ok;

    if (!tried) {
        aib_diag_t d;

        tried = 1;
        aib_diag_clear(&d);
        ok = aib__authz_load(&a, "policies/api", &d) == 0;
    }
    return ok ? &a : NULL;
}

static const char *str_of(json_t *o, const char *key, const char *dflt)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : dflt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = { "type", "title", "nation", "released_to", "fields", NULL };
    json_t *obj = NULL, *rel;
    aib_diag_t d;
    aib__req_t r;
    aib__authz_t *a = authz_once();

    aib_diag_clear(&d);
    if (aib__http_parse_object((const char *)data, size, &obj, &d) != 0)
        return 0;
    memset(&r, 0, sizeof(r));
    aib_buf_init(&r.out);
    (void)aib__http_only_keys(&r, obj, "fields", keys);
    if (a) {
        aib__principal_t p;
        aib__resource_t res;
        const char *relv[8];
        size_t i, n = 0;
        aib_arena_t *arena = aib_arena_new(0);
        int allowed = -1;

        memset(&p, 0, sizeof(p));
        snprintf(p.person, sizeof(p.person), "%s", str_of(obj, "person", "p"));
        snprintf(p.nation, sizeof(p.nation), "%s", str_of(obj, "nation", "GBR"));
        snprintf(p.role, sizeof(p.role), "%s", str_of(obj, "role", "viewer"));
        rel = json_object_get(obj, "released_to");
        for (i = 0; json_is_array(rel) && i < json_array_size(rel) && n < 8; i++)
            if (json_is_string(json_array_get(rel, i)))
                relv[n++] = json_string_value(json_array_get(rel, i));
        memset(&res, 0, sizeof(res));
        res.type = "Case";
        res.id = str_of(obj, "id", "C-1");
        res.nation = str_of(obj, "owner", "USA");
        res.released_to = relv;
        res.n_released_to = n;
        res.case_type = str_of(obj, "type", "t");
        res.stage = str_of(obj, "stage", "s");
        if (arena && aib__authz_check(a, &p, "case.read", &res, arena, &allowed, &d) == 0) {
            int visible = !strcmp(p.nation, res.nation);

            for (i = 0; i < n; i++)
                visible |= !strcmp(relv[i], p.nation);
            /* The engine must agree with the visibility rule the policies state. */
            if (allowed != visible)
                abort();
        }
        aib_arena_free(arena);
    }
    aib_buf_free(&r.out);
    json_decref(obj);
    return 0;
}
