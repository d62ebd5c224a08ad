/* fuzz_determine_request.c — libFuzzer target for determination requests: any bytes must be
 * accepted or rejected with a message naming the field, never crash; an accepted request must
 * determine under both packs to one of the six outcomes and serialise as JSON that parses. The
 * engine (policies, registry, EAR tables) is loaded once from the source tree. */
#include "aib/determine.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static aib_determine_engine_t *eng;

static bool known_outcome(const char *o)
{
    static const char *const OK[] = { "prohibited", "licence_required", "exempt",
                                      "no_licence_required", "releasable", "not_releasable" };
    size_t i;
    for (i = 0; o && i < sizeof OK / sizeof *OK; i++)
        if (!strcmp(o, OK[i]))
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static aib_arena_t *a;
    aib_determine_request_t *r = NULL;
    aib_determine_result_t x, y;
    aib_diag_t d;
    aib_buf_t b;
    json_t *j;

    if (!eng) {
        aib_diag_clear(&d);
        if (aib_determine_engine_open(NULL, &eng, &d) != 0) {
            fprintf(stderr, "engine: %s: %s\n", d.file, d.msg);
            abort();
        }
        a = aib_arena_new(0);
    }
    aib_arena_reset(a);
    aib_diag_clear(&d);
    if (aib_determine_request_parse(eng, (const char *)data, size, a, &r, &d) != 0) {
        if (r != NULL || d.msg[0] == '\0')
            abort();
        return 0;
    }
    if (aib_determine_run(eng, r, "current", a, &x, &d) != 0 ||
        aib_determine_run(eng, r, "proposed", a, &y, &d) != 0)
        abort();
    if (!known_outcome(x.outcome) || !known_outcome(y.outcome))
        abort();
    aib_buf_init(&b);
    if (aib_determine_result_json(r, &x, &y, true, &b) != 0)
        abort();
    j = json_loadb(b.data, b.len, 0, NULL);
    if (!j)
        abort();
    json_decref(j);
    aib_buf_free(&b);
    return 0;
}
