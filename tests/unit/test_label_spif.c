/* test_label_spif.c — Open XML SPIF policies and ADatP-4774 labels: loading and its errors, label
 * and clearance parsing in both XML forms, display markings, validity rules, the access control
 * decision, clearances built from a level, translation errors, and the label-conformance suite
 * from $AIB_SHARED_DATA when it is there. */
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aib/label.h"

static const char demo_spif[] =
    "<SPIF xmlns=\"http://www.xmlspif.org/spif\">\n"
    "  <securityPolicyId name=\"DEMO\" id=\"1.2.3.4\"/>\n"
    "  <securityClassifications>\n"
    "    <securityClassification name=\"PUBLIC\" lacv=\"1\" hierarchy=\"1\"/>\n"
    "    <securityClassification name=\"INTERNAL\" lacv=\"2\" hierarchy=\"2\">\n"
    "      <markingData xml:lang=\"fr\" phrase=\"INTERNE\"><code>pageTopBottom</code></markingData>\n"
    "    </securityClassification>\n"
    "    <securityClassification name=\"SECRET\" lacv=\"3\" hierarchy=\"3\">\n"
    "      <requiredCategory operation=\"oneOrMore\">\n"
    "        <categoryGroup tagSetRef=\"Release\" tagType=\"permissive\"/>\n"
    "      </requiredCategory>\n"
    "    </securityClassification>\n"
    "  </securityClassifications>\n"
    "  <securityCategoryTagSets>\n"
    "    <securityCategoryTagSet name=\"Release\" id=\"1.2.3.4.1\">\n"
    "      <securityCategoryTag name=\"Rel\" tagType=\"permissive\">\n"
    "        <tagCategory name=\"AUS\" lacv=\"36\"/>\n"
    "        <tagCategory name=\"GBR\" lacv=\"826\"/>\n"
    "        <tagCategory name=\"USA\" lacv=\"840\"/>\n"
    "        <markingQualifier><qualifier markingQualifier=\"REL TO \" qualifierCode=\"prefix\"/>"
    "<qualifier markingQualifier=\", \" qualifierCode=\"separator\"/></markingQualifier>\n"
    "      </securityCategoryTag>\n"
    "    </securityCategoryTagSet>\n"
    "    <securityCategoryTagSet name=\"Codewords\" id=\"1.2.3.4.2\">\n"
    "      <securityCategoryTag name=\"Codes\" tagType=\"restrictive\">\n"
    "        <tagCategory name=\"ALPHA\" lacv=\"1\"><excludedClass>PUBLIC</excludedClass></tagCategory>\n"
    "        <tagCategory name=\"BRAVO\" lacv=\"2\"/>\n"
    "      </securityCategoryTag>\n"
    "      <securityCategoryTag name=\"Notes\" tagType=\"tagType7\">\n"
    "        <tagCategory name=\"DRAFT\" lacv=\"1\"/>\n"
    "      </securityCategoryTag>\n"
    "    </securityCategoryTagSet>\n"
    "  </securityCategoryTagSets>\n"
    "</SPIF>\n";

#define XNS "xmlns=\"http://surevine.com/xmlns/spiffy\""

static aib_label_site_t *demo_site(void)
{
    aib_label_site_t *s = NULL;
    aib_diag_t d;
    if (aib_label_site_new(&s) != 0 || aib_label_site_load(s, "demo.xml", demo_spif, strlen(demo_spif), NULL, &d) != 0) {
        fprintf(stderr, "  demo spif: %s\n", d.msg);
        aib_label_site_free(s);
        return NULL;
    }
    return s;
}

static aib_label_t *lab(aib_label_site_t *s, const char *xml, aib_diag_t *d)
{
    aib_label_t *l = NULL;
    if (aib_label_parse(s, "t.xml", xml, strlen(xml), AIB_LABEL_FMT_ANY, &l, d) != 0)
        return NULL;
    return l;
}

static const char *marking(const aib_label_t *l, const char *lang, char *buf, size_t cap)
{
    aib_buf_t b;
    aib_buf_init(&b);
    if (!l || aib_label_marking(l, lang, &b) != 0) {
        aib_buf_free(&b);
        return NULL;
    }
    snprintf(buf, cap, "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return buf;
}

TEST(label_spif_markings_and_validity)
{
    aib_label_site_t *s = demo_site();
    aib_label_t *l;
    aib_diag_t d;
    char buf[512], why[256];

    CHECK(s != NULL);
    if (!s)
        return;
    l = lab(s, "<label " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
               "<tag type='permissive' id='1.2.3.4.1' lacv='840'/><tag type='permissive' id='1.2.3.4.1' lacv='36'/>"
               "<tag type='restrictive' id='1.2.3.4.2' lacv='2'/></label>", &d);
    CHECK(l != NULL);
    CHECK_STR(marking(l, "", buf, sizeof buf), "DEMO SECRET REL TO AUS, USA BRAVO");
    CHECK(aib_label_valid(l, why, sizeof why));
    aib_label_free(l);
    /* SECRET requires a Release category */
    l = lab(s, "<label " XNS "><policy id='1.2.3.4'/><classification lacv='3'/></label>", &d);
    CHECK(l && !aib_label_valid(l, why, sizeof why));
    CHECK(strstr(why, "requires") != NULL);
    aib_label_free(l);
    /* ALPHA excludes PUBLIC */
    l = lab(s, "<label " XNS "><policy id='1.2.3.4'/><classification lacv='1'/>"
               "<tag type='restrictive' id='1.2.3.4.2' lacv='1'/></label>", &d);
    CHECK(l && !aib_label_valid(l, why, sizeof why));
    CHECK(strstr(why, "excludes classification PUBLIC") != NULL);
    aib_label_free(l);
    /* language fallback: fr-CA -> fr -> default */
    l = lab(s, "<label " XNS "><policy id='1.2.3.4'/><classification lacv='2'/></label>", &d);
    CHECK_STR(marking(l, "fr-CA", buf, sizeof buf), "DEMO INTERNE");
    CHECK_STR(marking(l, "de", buf, sizeof buf), "DEMO INTERNAL");
    aib_label_free(l);
    aib_label_site_free(s);
}

TEST(label_spif_acdf)
{
    aib_label_site_t *s = demo_site();
    aib_label_t *l;
    aib_label_clearance_t *c = NULL, *all = NULL;
    aib_diag_t d;
    char why[256];

    if (!s)
        return;
    l = lab(s, "<label " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
               "<tag type='permissive' id='1.2.3.4.1' lacv='840'/><tag type='permissive' id='1.2.3.4.1' lacv='826'/>"
               "<tag type='restrictive' id='1.2.3.4.2' lacv='2'/><tag type='informative' id='1.2.3.4.2' lacv='1'/></label>", &d);
    CHECK(l != NULL);
    /* holds SECRET, GBR (one of the permissive tag is enough) and BRAVO */
    CHECK_INT(aib_label_clearance_parse(s, "c.xml",
                                        "<clearance " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
                                        "<tag type='permissive' id='1.2.3.4.1' lacv='826'/>"
                                        "<tag type='restrictive' id='1.2.3.4.2' lacv='2'/></clearance>",
                                        strlen("<clearance " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
                                               "<tag type='permissive' id='1.2.3.4.1' lacv='826'/>"
                                               "<tag type='restrictive' id='1.2.3.4.2' lacv='2'/></clearance>"),
                                        AIB_LABEL_FMT_ANY, &c, &d), 0);
    CHECK(c && aib_label_acdf(l, c, why, sizeof why));
    aib_label_clearance_free(c);
    c = NULL;
    /* missing the restrictive BRAVO */
    {
        const char *x = "<clearance " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
                        "<tag type='permissive' id='1.2.3.4.1' lacv='826'/></clearance>";
        CHECK_INT(aib_label_clearance_parse(s, "c.xml", x, strlen(x), AIB_LABEL_FMT_ANY, &c, &d), 0);
        CHECK(c && !aib_label_acdf(l, c, why, sizeof why));
        CHECK(strstr(why, "BRAVO") != NULL);
        aib_label_clearance_free(c);
        c = NULL;
    }
    /* no permissive category of the tag */
    {
        const char *x = "<clearance " XNS "><policy id='1.2.3.4'/><classification lacv='3'/>"
                        "<tag type='permissive' id='1.2.3.4.1' lacv='36'/><tag type='restrictive' id='1.2.3.4.2' lacv='2'/></clearance>";
        CHECK_INT(aib_label_clearance_parse(s, "c.xml", x, strlen(x), AIB_LABEL_FMT_ANY, &c, &d), 0);
        CHECK(c && !aib_label_acdf(l, c, why, sizeof why));
        CHECK(strstr(why, "permissive") != NULL);
        aib_label_clearance_free(c);
        c = NULL;
    }
    /* informative categories are not privileges */
    {
        const char *x = "<clearance " XNS "><policy id='1.2.3.4'/><tag type='informative' id='1.2.3.4.2' lacv='1'/></clearance>";
        CHECK(aib_label_clearance_parse(s, "c.xml", x, strlen(x), AIB_LABEL_FMT_ANY, &c, &d) != 0);
        CHECK(strstr(d.msg, "Informative") != NULL);
    }
    /* dominance: a level includes lower ones; classification not held otherwise */
    CHECK_INT(aib_label_clearance_from_level(aib_label_policy(l), "INTERNAL", true, &all, &d), 0);
    CHECK(all && !aib_label_acdf(l, all, why, sizeof why));
    CHECK(strstr(why, "does not hold classification SECRET") != NULL);
    aib_label_clearance_free(all);
    all = NULL;
    CHECK_INT(aib_label_clearance_from_level(aib_label_policy(l), "secret", true, &all, &d), 0);
    CHECK(all && aib_label_acdf(l, all, why, sizeof why));
    aib_label_clearance_free(all);
    CHECK(aib_label_clearance_from_level(aib_label_policy(l), "COSMIC", true, &all, &d) == AIB_ENOTFOUND);
    aib_label_free(l);
    aib_label_site_free(s);
}

TEST(label_spif_nato_form_roundtrip)
{
    aib_label_site_t *s = demo_site();
    aib_label_t *l, *m = NULL;
    aib_buf_t w;
    aib_diag_t d;
    char buf[512];

    if (!s)
        return;
    aib_buf_init(&w);
    l = lab(s, "<originatorConfidentialityLabel xmlns='urn:nato:stanag:4774:confidentialitymetadatalabel:1:0'>"
               "<ConfidentialityInformation><PolicyIdentifier URI='urn:oid:1.2.3.4'>DEMO</PolicyIdentifier>"
               "<Classification>SECRET</Classification>"
               "<Category TagName='Release' Type='PERMISSIVE'><GenericValue>GBR</GenericValue><GenericValue>USA</GenericValue></Category>"
               "</ConfidentialityInformation></originatorConfidentialityLabel>", &d);
    CHECK(l != NULL);
    CHECK_STR(marking(l, NULL, buf, sizeof buf), "DEMO SECRET REL TO GBR, USA");
    CHECK_INT(aib_label_write(l, AIB_LABEL_FMT_XML, &w), 0);
    CHECK_INT(aib_label_parse(s, "w.xml", w.data, w.len, AIB_LABEL_FMT_XML, &m, &d), 0);
    CHECK(m && aib_label_equal(l, m));
    aib_label_free(m);
    m = NULL;
    aib_buf_clear(&w);
    CHECK_INT(aib_label_write(l, AIB_LABEL_FMT_NATO, &w), 0);
    CHECK_INT(aib_label_parse(s, "w.nato", w.data, w.len, AIB_LABEL_FMT_NATO, &m, &d), 0);
    CHECK(m && aib_label_equal(l, m));
    /* the compact form is refused when the NATO form is demanded */
    aib_label_free(m);
    m = NULL;
    aib_buf_clear(&w);
    aib_label_write(l, AIB_LABEL_FMT_XML, &w);
    CHECK(aib_label_parse(s, "w.xml", w.data, w.len, AIB_LABEL_FMT_NATO, &m, &d) != 0);
    aib_buf_free(&w);
    aib_label_free(l);
    aib_label_site_free(s);
}

TEST(label_spif_label_errors)
{
    static const struct { const char *xml, *want; } bad[] = {
        { "", "No data to parse" },
        { "0\x82\x01", "BER" },
        { "<label " XNS "><policy id='9.9'/><classification lacv='1'/></label>", "Unknown policy id: 9.9" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='7'/></label>", "Unknown classification: 7" },
        { "<label " XNS "><policy id='1.2.3.4'/></label>", "requires one classification" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='1'/><classification lacv='2'/></label>",
          "requires one classification" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='1'/><tag type='permissive' id='1.2.3.4.9' lacv='1'/></label>",
          "Unknown tagset id" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='1'/><tag type='odd' id='1.2.3.4.1' lacv='1'/></label>",
          "Unknown tag type" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='1'/><tag type='restrictive' id='1.2.3.4.1' lacv='36'/></label>",
          "Unknown category" },
        { "<label " XNS "><policy id='1.2.3.4'/><classification lacv='-1'/></label>", "Invalid LACV" },
        { "<label xmlns='urn:other'/>", "Unknown XML namespace" },
        { "<label " XNS "><policy id='1.2.3.4'/>", "" },
        { "<!DOCTYPE label [<!ENTITY a 'b'>]><label " XNS "/>", "DOCTYPE" },
        { "<clearance " XNS "/>", "Incorrect XML root" },
        { "<originatorConfidentialityLabel xmlns='urn:nato:stanag:4774:confidentialitymetadatalabel:1:0'>"
          "<ConfidentialityInformation><PolicyIdentifier URI='urn:oid:1.2.3.5'>DEMO</PolicyIdentifier>"
          "</ConfidentialityInformation></originatorConfidentialityLabel>", "Policy mismatch" },
        { "<originatorConfidentialityLabel xmlns='urn:nato:stanag:4774:confidentialitymetadatalabel:1:0'>"
          "<ConfidentialityInformation><PolicyIdentifier>DEMO</PolicyIdentifier><Classification>PUBLIC</Classification>"
          "<Category TagName='Release' Type='SOMETIMES'/></ConfidentialityInformation></originatorConfidentialityLabel>",
          "Unknown NATO category type" },
    };
    aib_label_site_t *s = demo_site();
    aib_label_t *l;
    aib_diag_t d;
    size_t i;

    if (!s)
        return;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l = NULL;
        aib_diag_clear(&d);
        if (aib_label_parse(s, "bad.xml", bad[i].xml, strlen(bad[i].xml), AIB_LABEL_FMT_ANY, &l, &d) == 0 ||
            !strstr(d.msg, bad[i].want) || !d.msg[0])
            aib_test_fail(__FILE__, __LINE__, "case %zu: \"%s\", wanted \"%s\"", i, d.msg, bad[i].want);
        CHECK(l == NULL);
        CHECK_STR(d.file, bad[i].xml[0] ? "bad.xml" : "bad.xml");
    }
    aib_label_site_free(s);
}

static int load(const char *xml, aib_diag_t *d, bool *warned)
{
    aib_label_site_t *s = NULL;
    int rc;
    aib_label_site_new(&s);
    rc = aib_label_site_load(s, "p.xml", xml, strlen(xml), warned, d);
    aib_label_site_free(s);
    return rc;
}

TEST(label_spif_policy_errors)
{
    static const struct { const char *xml, *want; int line; } bad[] = {
        { "<NotSPIF/>", "Not a spif", 1 },
        { "<SPIF xmlns='urn:x'/>", "Unknown SPIF namespace", 1 },
        { "<SPIF>\n<securityClassifications/></SPIF>", "Missing securityPolicyId", 1 },
        { "<SPIF><securityPolicyId name='X' id='nope'/></SPIF>", "Invalid OID", 1 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/>\n<securityClassifications/></SPIF>", "No classifications", 2 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>\n"
          "<securityClassification name='A' lacv='1' hierarchy='1'/>\n<securityClassification name='B' lacv='1' hierarchy='2'/>"
          "</securityClassifications></SPIF>", "Duplicate classification 1", 3 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>\n"
          "<securityClassification name='A' lacv='1'/></securityClassifications></SPIF>", "Missing attribute hierarchy", 2 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>\n"
          "<securityClassification name='A' lacv='1' hierarchy='1'>\n<requiredCategory operation='some'/>"
          "</securityClassification></securityClassifications></SPIF>", "Unknown category operation: some", 3 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>\n"
          "<securityClassification name='A' lacv='1' hierarchy='1'>\n<requiredCategory operation='all'>"
          "<categoryGroup tagSetRef='Nope' tagType='permissive'/></requiredCategory>"
          "</securityClassification></securityClassifications></SPIF>", "Unknown tagset name: Nope", 3 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>"
          "<securityClassification name='A' lacv='1' hierarchy='1'><markingData><code>sideways</code></markingData>"
          "</securityClassification></securityClassifications></SPIF>", "Unknown marking code: sideways", 1 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>"
          "<securityClassification name='A' lacv='1' hierarchy='1'/></securityClassifications>\n"
          "<securityCategoryTagSets><securityCategoryTagSet name='T' id='1.2.1'><securityCategoryTag name='t' tagType='permissive'>\n"
          "<tagCategory name='a' lacv='1'/>\n<tagCategory name='b' lacv='1'/></securityCategoryTag></securityCategoryTagSet>"
          "</securityCategoryTagSets></SPIF>", "Duplicate category LACV", 4 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>"
          "<securityClassification name='A' lacv='1' hierarchy='1'/></securityClassifications>\n"
          "<securityCategoryTagSets><securityCategoryTagSet name='T' id='1.2.1'><securityCategoryTag name='t' tagType='permissive'>\n"
          "<tagCategory name='a' lacv='1'><excludedClass>A</excludedClass><excludedClass>A</excludedClass></tagCategory>"
          "</securityCategoryTag></securityCategoryTagSet></securityCategoryTagSets></SPIF>",
          "Duplicate excluded classification in category", 3 },
        { "<SPIF><securityPolicyId name='X' id='1.2'/>\n<securityClassifications><oops></SPIF>", "", 2 },
        { "", "No data to parse", 0 },
    };
    aib_diag_t d;
    bool warned;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        aib_diag_clear(&d);
        if (load(bad[i].xml, &d, &warned) == 0 || !strstr(d.msg, bad[i].want) || !d.msg[0] ||
            (bad[i].line && d.line != bad[i].line))
            aib_test_fail(__FILE__, __LINE__, "case %zu: %d \"%s\", wanted line %d \"%s\"", i, d.line, d.msg,
                          bad[i].line, bad[i].want);
    }
    /* a misspelt end tag that closes the open element is tolerated with a warning */
    {
        const char *x = "<SPIF><securityPolicyId name='X' id='1.2'/><securityClassifications>"
                        "<securityClassification name='A' lacv='1' hierarchy='1'/></securityClasifications></SPIF>";
        warned = false;
        CHECK_INT(load(x, &d, &warned), 0);
        CHECK(warned && strstr(d.msg, "warning") != NULL);
    }
}

TEST(label_spif_duplicate_policy)
{
    aib_label_site_t *s = demo_site();
    aib_diag_t d;
    if (!s)
        return;
    CHECK_INT(aib_label_site_load(s, "again.xml", demo_spif, strlen(demo_spif), NULL, &d), AIB_EEXIST);
    CHECK(aib_label_site_policy(s, "1.2.3.4") != NULL);
    CHECK(aib_label_site_policy_by_name(s, "demo") != NULL);
    CHECK(aib_label_site_policy(s, "1.2.3.5") == NULL);
    aib_label_site_free(s);
}

TEST(label_conformance_suite)
{
    const char *env = getenv("AIB_SHARED_DATA");
    char path[4096];
    struct stat st;
    aib_label_conf_result_t r;
    aib_buf_t log;
    aib_diag_t d;

    snprintf(path, sizeof path, "%s/label-conformance.tar.gz", env && *env ? env : "../shared/data");
    if (stat(path, &st) != 0)
        return; /* the shared data is optional for unit runs; the integration suite requires it */
    aib_buf_init(&log);
    CHECK_INT(aib_label_conformance(path, &log, false, &r, &d), 0);
    CHECK_INT(r.failed, 0);
    CHECK(r.passed >= 30);
    if (r.failed)
        fprintf(stderr, "%s", log.data ? log.data : "");
    aib_buf_free(&log);
    CHECK(aib_label_conformance("/nonexistent/label", NULL, false, &r, &d) == AIB_ENOTFOUND);
}
