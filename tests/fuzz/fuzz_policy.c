/* fuzz_policy.c — libFuzzer target for the Cedar policy parser: any bytes must parse or fail
 * with a located diagnostic, never crash or leak; whatever parses must format to text that
 * parses again and formats identically, and templates must link. */
#include "cedar/parser_int.h"

#include <stdlib.h>
#include <string.h>

static void format_all(const aib_cedar_policyset_t *ps, aib_buf_t *out)
{
    size_t i;
    for (i = 0; i < ps->n; i++)
        if (aib__policy_format(ps->policies[i], out) != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aib_cedar_policyset_t *ps = NULL, *again = NULL;
    aib_diag_t d;
    aib_buf_t a, b;
    size_t i, n;

    aib_diag_clear(&d);
    if (aib_cedar_policyset_parse((const char *)data, size, "fuzz", &ps, &d) != 0) {
        if (ps != NULL || d.msg[0] == '\0')
            abort();
        return 0;
    }
    aib_buf_init(&a);
    aib_buf_init(&b);
    format_all(ps, &a);
    if (aib_cedar_policyset_parse(a.data ? a.data : "", a.len, "fmt", &again, &d) != 0)
        abort(); /* formatted text must parse */
    format_all(again, &b);
    if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
        abort(); /* and format the same */
    n = ps->n;
    for (i = 0; i < n; i++) {
        const aib__policy_t *p = ps->policies[i];
        if (p->is_template) {
            if (aib_cedar_policyset_link(ps, p->id.ptr, "linked", p->principal.slot ? "U::\"p\"" : NULL,
                                         p->resource.slot ? "R::\"r\"" : NULL, &d) != 0)
                abort();
            break;
        }
    }
    aib_buf_free(&a);
    aib_buf_free(&b);
    aib_cedar_policyset_free(again);
    aib_cedar_policyset_free(ps);
    return 0;
}
