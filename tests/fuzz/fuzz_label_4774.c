/* fuzz_label_4774.c — libFuzzer target for the ADatP-4774 label/clearance readers and the Open XML
 * SPIF loader. The first byte chooses: even, the rest is read as a label and as a clearance under
 * a fixed policy (then marking, validity, access decision, and a write/read round trip that must
 * give the same label); odd, the rest is loaded as a SPIF. Never a crash, never a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aib/label.h"

static const char spif[] =
    "<SPIF xmlns=\"http://www.xmlspif.org/spif\"><securityPolicyId name=\"FZ\" id=\"1.2.3\"/>"
    "<securityClassifications><securityClassification name=\"LOW\" lacv=\"1\" hierarchy=\"1\"/>"
    "<securityClassification name=\"HIGH\" lacv=\"2\" hierarchy=\"2\"><requiredCategory operation=\"oneOrMore\">"
    "<categoryGroup tagSetRef=\"R\" tagType=\"permissive\"/></requiredCategory>"
    "<markingData phrase=\"H\"><code>replacePolicy</code></markingData></securityClassification>"
    "</securityClassifications><securityCategoryTagSets><securityCategoryTagSet name=\"R\" id=\"1.2.3.1\">"
    "<securityCategoryTag name=\"Rel\" tagType=\"permissive\"><tagCategory name=\"A\" lacv=\"1\"/>"
    "<tagCategory name=\"B\" lacv=\"2\"><excludedClass>LOW</excludedClass></tagCategory>"
    "<markingQualifier><qualifier markingQualifier=\"REL \" qualifierCode=\"prefix\"/></markingQualifier>"
    "</securityCategoryTag><securityCategoryTag name=\"E\" tagType=\"enumerated\" enumType=\"restrictive\">"
    "<tagCategory name=\"X\" lacv=\"7\"><markingData><code>noNameDisplay</code></markingData></tagCategory>"
    "</securityCategoryTag><securityCategoryTag name=\"I\" tagType=\"tagType7\"><tagCategory name=\"N\" lacv=\"1\"/>"
    "</securityCategoryTag></securityCategoryTagSet></securityCategoryTagSets></SPIF>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    aib_label_site_t *s = NULL;
    aib_label_t *l = NULL, *m = NULL;
    aib_label_clearance_t *c = NULL, *top = NULL;
    aib_buf_t b;
    aib_diag_t d;
    char why[256];
    const char *x = (const char *)data + 1;
    size_t n = size ? size - 1 : 0;
    int f;

    if (size == 0 || size > 65536)
        return 0;
    if (aib_label_site_new(&s) != 0)
        abort();
    aib_buf_init(&b);
    if (data[0] & 1) {
        (void)aib_label_site_load(s, "fuzz.spif", x, n, NULL, &d);
        goto done;
    }
    if (aib_label_site_load(s, "fz.xml", spif, sizeof spif - 1, NULL, &d) != 0)
        abort();
    if (aib_label_clearance_parse(s, "fuzz", x, n, AIB_LABEL_FMT_ANY, &c, &d) == 0) {
        aib_label_clearance_marking(c, "", &b);
        aib_buf_clear(&b);
        aib_label_clearance_write(c, AIB_LABEL_FMT_NATO, &b);
    }
    if (aib_label_parse(s, "fuzz", x, n, AIB_LABEL_FMT_ANY, &l, &d) != 0)
        goto done;
    aib_buf_clear(&b);
    aib_label_marking(l, "fr-CA", &b);
    (void)aib_label_valid(l, why, sizeof why);
    if (c)
        (void)aib_label_acdf(l, c, why, sizeof why);
    if (aib_label_clearance_from_level(aib_label_policy(l), "HIGH", true, &top, &d) != 0)
        abort();
    (void)aib_label_acdf(l, top, why, sizeof why);
    for (f = AIB_LABEL_FMT_XML; f <= AIB_LABEL_FMT_NATO; f++) {
        aib_buf_clear(&b);
        if (aib_label_write(l, (aib_label_format_t)f, &b) != 0 ||
            aib_label_parse(s, "again", b.data, b.len, (aib_label_format_t)f, &m, &d) != 0 || !aib_label_equal(l, m))
            abort();
        aib_label_free(m);
        m = NULL;
    }
done:
    aib_buf_free(&b);
    aib_label_free(l);
    aib_label_clearance_free(c);
    aib_label_clearance_free(top);
    aib_label_site_free(s);
    return 0;
}
