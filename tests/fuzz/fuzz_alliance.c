/* fuzz_alliance.c — libFuzzer target for the alliance registry loaders. The first byte selects
 * the loader: 0-3 the EAR tables (chart, country groups, CCL, licence exceptions), anything else
 * a reference-data file dispatched on its "kind" (groups, countries, agreements, profiles, USML,
 * ITAR exemptions/licences/thresholds, classification) or an ISO 3166 file. Each input goes into
 * a registry holding a small ISO table; it must load or fail with a diagnostic, and a loaded
 * registry's lookups are exercised. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "aib/alliance.h"

static const char ISO[] =
    "{\"3166-1\":["
    "{\"alpha_2\":\"US\",\"alpha_3\":\"USA\",\"numeric\":\"840\",\"name\":\"United States\"},"
    "{\"alpha_2\":\"GB\",\"alpha_3\":\"GBR\",\"numeric\":\"826\",\"name\":\"United Kingdom\"},"
    "{\"alpha_2\":\"CN\",\"alpha_3\":\"CHN\",\"numeric\":\"156\",\"name\":\"China\"},"
    "{\"alpha_2\":\"FI\",\"alpha_3\":\"FIN\",\"numeric\":\"246\",\"name\":\"Finland\"}]}";

static const char *const EAR[] = { "country-chart.json", "country-groups.json", "ccl.json",
                                   "license-exception-catalog.json" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aib_alliance_t *a = NULL;
    aib_diag_t d;
    const char *text;
    size_t len, i, n;
    int rc;

    if (size < 1 || aib_alliance_new_empty(&a) != 0)
        return 0;
    aib_diag_clear(&d);
    if (aib_alliance_load_mem(a, "iso", ISO, sizeof(ISO) - 1, &d) != 0)
        __builtin_trap();
    text = (const char *)data + 1;
    len = size - 1;
    if (data[0] < 4)
        rc = aib_alliance_load_ear_mem(a, EAR[data[0]], text, len, &d);
    else
        rc = aib_alliance_load_mem(a, "fuzz", text, len, &d);
    if (rc != 0 && d.msg[0] == '\0' && rc != AIB_ENOMEM)
        __builtin_trap(); /* every failure explains itself */
    if (rc == 0) {
        const aib_alliance_membership_t *ms[64];
        const char *codes[64];
        aib_alliance_chart_cell_t cell;
        for (i = 0; i < aib_alliance_group_count(a); i++) {
            const aib_alliance_group_t *g = aib_alliance_group_at(a, i);
            if (aib_alliance_group(a, g->id) != g)
                __builtin_trap();
            aib_alliance_group_members(a, g->id, 20240101, ms, 64, &n, &d);
            aib_alliance_expand(a, g->id, 20240101, codes, 64, &n, &d);
        }
        for (i = 0; i < aib_alliance_eccn_count(a); i++)
            aib_alliance_eccn(a, aib_alliance_eccn_at(a, i)->eccn, NULL, NULL);
        aib_alliance_chart_cell(a, "NS 1", "CHN", &cell, &d);
        aib_alliance_usml(a, "XI(a)(3)", NULL);
        aib_alliance_is_member(a, "A:1", "GBR", 20240101, NULL);
        aib_alliance_agreements(a, "GBR", &n);
        aib_alliance_profile(a, "GBR");
        aib_alliance_marking(a, "NOFORN");
    }
    aib_alliance_free(a);
    return 0;
}
