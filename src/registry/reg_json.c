/* reg_json.c — JSON views of registry results for the CLI and the API: search and match hits,
 * near-duplicate pairs, and a record with the reciprocity summary of a facility's ledger
 * (access granted to partners against results they shared back). */
#include "registry_int.h"

#include <jansson.h>
#include <string.h>

static int terms_json(aib_buf_t *out, const char *const *t, size_t n)
{
    size_t i;
    int rc = aib_buf_puts(out, "\"terms\":[");

    for (i = 0; !rc && i < n; i++) {
        if (i)
            rc = aib_buf_putc(out, ',');
        if (!rc)
            rc = aib_buf_json_str(out, t[i], strlen(t[i]));
    }
    return rc ? rc : aib_buf_putc(out, ']');
}

/* {"partner":..,"access_granted":n,"results_shared":m,"ratio":m/n} per ledger entry, plus totals. */
static int reciprocity(const aib_registry_record_t *rec, aib_buf_t *out)
{
    json_t *d = json_loads(rec->details ? rec->details : "{}", 0, NULL), *l, *e;
    long long g_all = 0, s_all = 0;
    size_t i;
    int rc = 0;

    l = d ? json_object_get(d, "ledger") : NULL;
    if (!json_is_array(l)) {
        json_decref(d);
        return 0;
    }
    rc = aib_buf_puts(out, ",\"reciprocity\":{\"partners\":[");
    json_array_foreach(l, i, e) {
        long long g = (long long)json_integer_value(json_object_get(e, "access_granted"));
        long long s = (long long)json_integer_value(json_object_get(e, "results_shared"));
        const char *p = json_string_value(json_object_get(e, "partner"));
        g_all += g;
        s_all += s;
        if (!rc)
            rc = aib_buf_printf(out, "%s{\"partner\":\"%s\",\"access_granted\":%lld,\"results_shared\":%lld,"
                                     "\"ratio\":%.3f}",
                                i ? "," : "", p ? p : "", g, s, g ? (double)s / (double)g : 0.0);
    }
    if (!rc)
        rc = aib_buf_printf(out, "],\"access_granted\":%lld,\"results_shared\":%lld,\"ratio\":%.3f}", g_all,
                            s_all, g_all ? (double)s_all / (double)g_all : 0.0);
    json_decref(d);
    return rc;
}

int aib_registry_record_view_json(const aib_registry_record_t *rec, aib_buf_t *out)
{
    int rc = aib_buf_puts(out, "{\"record\":");

    if (!rc)
        rc = aib_registry_record_json(rec, out);
    if (!rc && rec->type == AIB_REG_FACILITY)
        rc = reciprocity(rec, out);
    return rc ? rc : aib_buf_putc(out, '}');
}

int aib_registry_hits_json(const aib_registry_hit_t *h, size_t n, aib_buf_t *out)
{
    size_t i;
    int rc = aib_buf_printf(out, "{\"count\":%zu,\"hits\":[", n);

    for (i = 0; !rc && i < n; i++) {
        rc = aib_buf_printf(out, "%s{\"score\":%.4f,", i ? "," : "", h[i].score);
        if (!rc)
            rc = terms_json(out, h[i].terms, h[i].n_terms);
        if (!rc)
            rc = aib_buf_puts(out, ",\"record\":");
        if (!rc)
            rc = aib_registry_record_json(&h[i].rec, out);
        if (!rc)
            rc = aib_buf_putc(out, '}');
    }
    return rc ? rc : aib_buf_puts(out, "]}");
}

int aib_registry_dupes_json(const aib_registry_dupe_t *d, size_t n, aib_buf_t *out)
{
    size_t i;
    int rc = aib_buf_printf(out, "{\"count\":%zu,\"pairs\":[", n);

    for (i = 0; !rc && i < n; i++) {
        rc = aib_buf_printf(out, "%s{\"score\":%.4f,", i ? "," : "", d[i].score);
        if (!rc)
            rc = terms_json(out, d[i].terms, d[i].n_terms);
        if (!rc)
            rc = aib_buf_puts(out, ",\"a\":");
        if (!rc)
            rc = aib_registry_record_json(&d[i].a, out);
        if (!rc)
            rc = aib_buf_puts(out, ",\"b\":");
        if (!rc)
            rc = aib_registry_record_json(&d[i].b, out);
        if (!rc)
            rc = aib_buf_putc(out, '}');
    }
    return rc ? rc : aib_buf_puts(out, "]}");
}
