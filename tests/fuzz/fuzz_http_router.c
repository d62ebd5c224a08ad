/* fuzz_http_router.c — libFuzzer target for the HTTP request-line handling: the input's first
 * line is the method, the second the path (with an optional ?query split into key=value pairs
 * for the query checks), the third a bearer token for the token parser. Nothing may crash, and a
 * match must hand back a route and a well-formed {id}. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static const char *const allowed[] = { "type", "stage", "limit", "cursor", "open", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *method, *path, *tok, *q, *nl;
    aib__match_t m;
    aib__kv_t kv[16];
    size_t n_kv = 0;
    char allow[64], id[32];
    aib_diag_t d;
    int64_t v;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    method = buf;
    path = "";
    tok = "";
    if ((nl = strchr(method, '\n')) != NULL) {
        *nl = '\0';
        path = nl + 1;
        if ((nl = strchr(path, '\n')) != NULL) {
            *nl = '\0';
            tok = nl + 1;
        }
    }
    q = strchr(path, '?');
    if (q) {
        char *p = q + 1;

        *q = '\0';
        while (p && *p && n_kv < 16) {
            char *amp = strchr(p, '&'), *eq;

            if (amp)
                *amp = '\0';
            eq = strchr(p, '=');
            if (eq)
                *eq = '\0';
            kv[n_kv].key = p;
            kv[n_kv].val = eq ? eq + 1 : NULL;
            n_kv++;
            p = amp ? amp + 1 : NULL;
        }
    }
    if (aib__http_route_match(method, path, &m, allow, sizeof(allow)) == 0) {
        if (!m.route || strlen(m.id) > 64)
            abort();
    }
    aib_diag_clear(&d);
    (void)aib__http_query_check(kv, n_kv, allowed, &d);
    if (n_kv)
        (void)aib__http_query_int(kv[0].key, kv[0].val, 1, 1000, &v, &d);
    if (aib_http_token_split(tok, strlen(tok), id, sizeof(id)) == 0 && strlen(id) != 16)
        abort();
    free(buf);
    return 0;
}
