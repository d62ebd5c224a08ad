/* test_alliance_load.c — every alliance loader on small in-memory files: the good path, and bad
 * input that must fail with the file and the JSON path (or line:col) of the problem. */
#include "test.h"

#include "aib/alliance.h"

static const char ISO[] =
    "{\"3166-1\":["
    "{\"alpha_2\":\"US\",\"alpha_3\":\"USA\",\"numeric\":\"840\",\"name\":\"United States\"},"
    "{\"alpha_2\":\"GB\",\"alpha_3\":\"GBR\",\"numeric\":\"826\",\"name\":\"United Kingdom\"},"
    "{\"alpha_2\":\"FI\",\"alpha_3\":\"FIN\",\"numeric\":\"246\",\"name\":\"Finland\"},"
    "{\"alpha_2\":\"CN\",\"alpha_3\":\"CHN\",\"numeric\":\"156\",\"name\":\"China\"},"
    "{\"alpha_2\":\"HK\",\"alpha_3\":\"HKG\",\"numeric\":\"344\",\"name\":\"Hong Kong\"},"
    "{\"alpha_2\":\"IR\",\"alpha_3\":\"IRN\",\"numeric\":\"364\",\"name\":\"Iran, Islamic Republic of\"}]}";

/* alpha-3 of key, or "(none)": keeps a failed lookup a test failure, not a crash. */
static const char *a3(const aib_alliance_t *a, const char *key)
{
    const aib_alliance_country_t *c = aib_alliance_country(a, key);
    return c ? c->alpha3 : "(none)";
}

/* A registry with the mini ISO table; the caller frees it. */
static aib_alliance_t *mini(void)
{
    aib_alliance_t *a = NULL;
    aib_diag_t d = { 0 };
    if (aib_alliance_new_empty(&a) != 0)
        return NULL;
    if (aib_alliance_load_mem(a, "iso.json", ISO, sizeof(ISO) - 1, &d) != 0) {
        aib_test_fail(__FILE__, __LINE__, "mini ISO: %s", d.msg);
        aib_alliance_free(a);
        return NULL;
    }
    return a;
}

/* Loads text into a fresh mini registry; returns the result code and the diagnostic. */
static int load(const char *text, aib_diag_t *d)
{
    aib_alliance_t *a = mini();
    int rc;
    memset(d, 0, sizeof(*d));
    if (!a)
        return -100;
    rc = aib_alliance_load_mem(a, "t.json", text, strlen(text), d);
    aib_alliance_free(a);
    return rc;
}

#define GROUP_HEAD "{\"kind\":\"groups\",\"citation\":\"test\",\"as_of\":\"2024-01-01\",\"groups\":["

TEST(alliance_load_groups_good)
{
    aib_alliance_t *a = mini();
    aib_diag_t d = { 0 };
    const char *t = GROUP_HEAD
        "{\"id\":\"G1\",\"name\":\"g one\",\"kind\":\"alliance\",\"aliases\":[\"Group One\"],"
        "\"members\":[{\"country\":\"US\",\"from\":\"2000-01-01\"},"
        "{\"country\":\"Finland\",\"from\":\"2023-04-04\",\"until\":\"2023-12-31\"},"
        "{\"country\":\"FIN\",\"from\":\"2025-01-01\",\"status\":\"back\"}]},"
        "{\"id\":\"G2\",\"name\":\"g two\",\"kind\":\"derived\",\"includes\":[\"G1\"],"
        "\"members\":[{\"country\":\"GBR\",\"from\":\"2010-01-01\"}]}]}";
    const aib_alliance_membership_t *ms[8], *m;
    size_t n = 0;

    if (!a)
        return;
    CHECK_INT(aib_alliance_load_mem(a, "g.json", t, strlen(t), &d), 0);
    CHECK(aib_alliance_is_member(a, "group one", "FI", 20230404, NULL));
    CHECK(aib_alliance_is_member(a, "G1", "FI", 20231231, NULL));
    CHECK(!aib_alliance_is_member(a, "G1", "FI", 20240101, NULL));
    CHECK(aib_alliance_is_member(a, "G1", "FI", 20250101, &m));
    CHECK(m && !strcmp(m->status, "back"));
    CHECK_INT(aib_alliance_group_members(a, "G2", 20240101, ms, 8, &n, &d), 0);
    CHECK_INT(n, 2); /* GBR direct, USA through G1; FIN out on that date */
    CHECK_STR(ms[0]->country, "GBR");
    CHECK_STR(ms[1]->country, "USA");
    CHECK_INT(aib_alliance_group_members(a, "G2", 20250101, ms, 8, &n, &d), 0);
    CHECK_INT(n, 3);
    CHECK_INT(aib_alliance_group_members(a, "G2", 20250101, ms, 2, &n, &d), AIB_ELIMIT);
    CHECK_INT(n, 3);
    CHECK_INT(aib_alliance_group_members(a, "G9", 20250101, ms, 8, &n, &d), AIB_ENOTFOUND);
    CHECK(strstr(d.msg, "G9") != NULL);
    aib_alliance_free(a);
}

TEST(alliance_load_bad_json)
{
    aib_diag_t d;
    CHECK_INT(load("{\"kind\":\"groups\",\n  \"groups\": [}", &d), AIB_EPARSE);
    CHECK_STR(d.file, "t.json");
    CHECK_INT(d.line, 2);
    CHECK(d.col > 0);
    CHECK_INT(load("{\"kind\":\"groups\",\"kind\":\"groups\"}", &d), AIB_EPARSE); /* duplicate key */
    CHECK_INT(load("[]", &d), AIB_ESCHEMA);
    CHECK_INT(load("{\"groups\":[]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "kind") != NULL);
    CHECK_INT(load("{\"kind\":\"martian\"}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "martian") != NULL);
}

TEST(alliance_load_bad_groups)
{
    aib_diag_t d;
    /* unknown field, with its path */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"bogus\":1,"
                   "\"members\":[]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "groups[0].bogus") != NULL);
    /* a bad date names the member and field */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":["
                   "{\"country\":\"USA\",\"from\":\"2000-01-01\"},"
                   "{\"country\":\"GBR\",\"from\":\"2023-02-30\"}]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "groups[0].members[1].from") != NULL);
    /* unknown country */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":["
                   "{\"country\":\"Narnia\",\"from\":\"2000-01-01\"}]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "Narnia") != NULL);
    /* no citation anywhere */
    CHECK_INT(load("{\"kind\":\"groups\",\"groups\":[{\"id\":\"G\",\"name\":\"n\",\"kind\":"
                   "\"alliance\",\"as_of\":\"2024-01-01\",\"members\":[]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "citation") != NULL);
    /* dated group member without a start date and not marked unsure */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":["
                   "{\"country\":\"USA\"}]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "members[0].from") != NULL);
    /* until before from */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":["
                   "{\"country\":\"USA\",\"from\":\"2000-01-01\",\"until\":\"1999-01-01\"}]}]}",
                   &d), AIB_ESCHEMA);
    /* overlapping periods */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":["
                   "{\"country\":\"USA\",\"from\":\"2000-01-01\"},"
                   "{\"country\":\"US\",\"from\":\"2001-01-01\"}]}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "overlapping") != NULL);
    /* unknown kind of group */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"club\",\"members\":[]}]}",
                   &d), AIB_ESCHEMA);
    /* include of an unknown group, and a cycle */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"derived\","
                   "\"includes\":[\"NOPE\"]}]}", &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "NOPE") != NULL);
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"A\",\"name\":\"n\",\"kind\":\"derived\",\"includes\":[\"B\"]},"
                   "{\"id\":\"B\",\"name\":\"n\",\"kind\":\"derived\",\"includes\":[\"A\"]}]}", &d),
              AIB_EINVAL);
    CHECK(strstr(d.msg, "cycle") != NULL);
    /* the same token naming two groups */
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"A\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":[]},"
                   "{\"id\":\"B\",\"name\":\"n\",\"kind\":\"alliance\",\"aliases\":[\"a\"],"
                   "\"members\":[]}]}", &d), AIB_EINVAL);
    /* wrong types */
    CHECK_INT(load(GROUP_HEAD "{\"id\":7,\"name\":\"n\",\"kind\":\"alliance\",\"members\":[]}]}", &d),
              AIB_ESCHEMA);
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"members\":{}}]}",
                   &d), AIB_ESCHEMA);
    CHECK_INT(load(GROUP_HEAD "{\"id\":\"G\",\"name\":\"n\",\"kind\":\"alliance\",\"unsure\":\"yes\","
                   "\"members\":[]}]}", &d), AIB_ESCHEMA);
    CHECK_INT(load("{\"kind\":\"groups\",\"citation\":\"c\",\"as_of\":\"24-01-01\",\"groups\":[]}", &d),
              AIB_ESCHEMA);
}

TEST(alliance_load_countries_file)
{
    aib_alliance_t *a = mini();
    aib_diag_t d = { 0 };
    const char *t = "{\"kind\":\"countries\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                    "\"extra\":[{\"alpha2\":\"XK\",\"alpha3\":\"XKS\",\"name\":\"Kosovo\"}],"
                    "\"aliases\":[{\"alias\":\"Persia\",\"country\":\"IR\"}]}";
    if (!a)
        return;
    CHECK_INT(aib_alliance_load_mem(a, "c.json", t, strlen(t), &d), 0);
    CHECK_STR(a3(a, "persia"), "IRN");
    CHECK_STR(a3(a, "XK"), "XKS");
    CHECK(aib_alliance_country(a, "Iran") == NULL); /* only the ISO name and the alias */
    aib_alliance_free(a);
    CHECK_INT(load("{\"kind\":\"countries\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"aliases\":[{\"alias\":\"X\",\"country\":\"ZZZ\"}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "aliases[0].country") != NULL);
    CHECK_INT(load("{\"kind\":\"countries\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"extra\":[{\"alpha2\":\"xk\",\"alpha3\":\"XKS\",\"name\":\"K\"}]}", &d),
              AIB_ESCHEMA);
    CHECK_INT(load("{\"kind\":\"countries\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"extra\":[{\"alpha2\":\"US\",\"alpha3\":\"USA\",\"name\":\"Again\"}]}", &d),
              AIB_EINVAL); /* code defined twice */
    /* ISO file with a bad numeric code */
    CHECK_INT(load("{\"3166-1\":[{\"alpha_2\":\"QQ\",\"alpha_3\":\"QQQ\",\"numeric\":\"12\","
                   "\"name\":\"Q\"}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "3166-1[0].numeric") != NULL);
}

TEST(alliance_load_agreements_profiles)
{
    aib_alliance_t *a = mini();
    aib_diag_t d = { 0 };
    const char *t = "{\"kind\":\"agreements\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                    "\"types\":{\"GSOMIA\":\"g\",\"ACSA\":\"a\"},\"agreements\":["
                    "{\"country\":\"GBR\",\"type\":\"GSOMIA\",\"status\":\"in_force\","
                    "\"in_force\":\"2000-01-01\",\"ended\":\"2010-01-01\"},"
                    "{\"country\":\"GBR\",\"type\":\"ACSA\",\"status\":\"negotiating\"}]}";
    const char *p = "{\"kind\":\"profiles\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"profiles\":["
                    "{\"country\":\"GB\",\"screening_threshold\":{\"value\":\"25%\",\"number\":25}}]}";
    size_t n = 0;
    if (!a)
        return;
    CHECK_INT(aib_alliance_load_mem(a, "a.json", t, strlen(t), &d), 0);
    CHECK_INT(aib_alliance_load_mem(a, "p.json", p, strlen(p), &d), 0);
    CHECK(aib_alliance_agreements(a, "GBR", &n) != NULL && n == 2);
    CHECK(aib_alliance_agreement_in_force(a, "GBR", "GSOMIA", 20050101) != NULL);
    CHECK(aib_alliance_agreement_in_force(a, "GBR", "GSOMIA", 20100101) == NULL);
    CHECK(aib_alliance_agreement_in_force(a, "GBR", "ACSA", 20200101) == NULL);
    CHECK(aib_alliance_profile(a, "GBR")->screening_threshold.number == 25.0);
    CHECK(aib_alliance_profile(a, "GBR")->investment_screening.value == NULL);
    /* a second profile for the same country */
    CHECK(aib_alliance_load_mem(a, "p.json", p, strlen(p), &d) != 0);
    aib_alliance_free(a);
    CHECK_INT(load("{\"kind\":\"agreements\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"agreements\":[{\"country\":\"GBR\",\"type\":\"X\",\"status\":\"maybe\"}]}",
                   &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "agreements[0].status") != NULL);
    CHECK_INT(load("{\"kind\":\"agreements\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"agreements\":[{\"country\":\"GBR\",\"type\":\"X\",\"status\":\"in_force\"}]}",
                   &d), AIB_ESCHEMA); /* in force without any date */
    CHECK_INT(load("{\"kind\":\"agreements\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"types\":{},"
                   "\"agreements\":[{\"country\":\"GBR\",\"type\":\"X\",\"status\":\"none\"}]}",
                   &d), AIB_ESCHEMA); /* type not described */
    CHECK_INT(load("{\"kind\":\"profiles\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"profiles\":["
                   "{\"country\":\"GB\",\"screening_threshold\":{\"number\":25}}]}", &d),
              AIB_ESCHEMA);
    CHECK(strstr(d.msg, "profiles[0].screening_threshold.value") != NULL);
}

TEST(alliance_load_itar_disclosure)
{
    aib_alliance_t *a = mini();
    aib_diag_t d = { 0 };
    const char *g = GROUP_HEAD "{\"id\":\"CA\",\"name\":\"n\",\"kind\":\"derived\",\"members\":["
                    "{\"country\":\"GBR\",\"from\":\"2000-01-01\"}]}]}";
    const char *u = "{\"kind\":\"usml\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"categories\":["
                    "{\"number\":4,\"roman\":\"IV\",\"title\":\"t\",\"paragraphs\":["
                    "{\"id\":\"(a)\",\"text\":\"x\",\"sme\":true},{\"id\":\"(a)(2)\",\"text\":\"y\"}]}]}";
    const char *x = "{\"kind\":\"itar_exemptions\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                    "\"exemptions\":[{\"id\":\"1.1\",\"name\":\"n\",\"group\":\"CA\",\"conditions\":\"c\","
                    "\"exclusions\":[{\"id\":\"(1)\",\"usml\":\"Cat. IV(a)\",\"text\":\"t\",\"scope\":\"all\"}]}]}";
    const char *l = "{\"kind\":\"classification\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                    "\"levels\":[{\"name\":\"SECRET\",\"abbrev\":\"S\",\"rank\":3,\"classified\":true},"
                    "{\"name\":\"UNCLASSIFIED\",\"abbrev\":\"U\",\"rank\":0}],"
                    "\"markings\":[{\"id\":\"NOFORN\",\"name\":\"n\",\"kind\":\"dissemination\","
                    "\"meaning\":\"m\",\"aliases\":[\"NF\"],\"forbids_foreign\":true}]}";
    const aib_alliance_usml_para_t *p;
    const aib_alliance_itar_exclusion_t *ex[4];
    size_t n = 0;
    if (!a)
        return;
    CHECK_INT(aib_alliance_load_mem(a, "g.json", g, strlen(g), &d), 0);
    CHECK_INT(aib_alliance_load_mem(a, "u.json", u, strlen(u), &d), 0);
    CHECK_INT(aib_alliance_load_mem(a, "x.json", x, strlen(x), &d), 0);
    CHECK_INT(aib_alliance_load_mem(a, "l.json", l, strlen(l), &d), 0);
    CHECK(aib_alliance_usml(a, "IV(a)(2)(ii)", &p) && p && !strcmp(p->id, "(a)(2)"));
    CHECK(aib_alliance_usml(a, "IV(a)(3)", &p) && p && !strcmp(p->id, "(a)") && p->sme);
    CHECK(aib_alliance_usml(a, "V", &p) == NULL);
    CHECK_INT(aib_alliance_itar_excluded(a, "1.1", "IV(a)(1)", ex, 4, &n), 0);
    CHECK_INT(n, 1);
    CHECK_STR(ex[0]->usml, "IV(a)");
    CHECK_INT(aib_alliance_itar_excluded(a, "1.1", "IV(b)", ex, 4, &n), 0);
    CHECK_INT(n, 0);
    CHECK_INT(aib_alliance_itar_excluded(a, "1.1", "IV", ex, 4, &n), 0);
    CHECK_INT(n, 1); /* a broader reference may fall inside the excluded paragraph */
    CHECK_STR(aib_alliance_class_level_at(a, 0)->name, "UNCLASSIFIED");
    CHECK(aib_alliance_marking(a, "nf")->forbids_foreign);
    aib_alliance_free(a);
    /* roman numeral not matching the number */
    CHECK_INT(load("{\"kind\":\"usml\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"categories\":["
                   "{\"number\":4,\"roman\":\"V\",\"title\":\"t\"}]}", &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "categories[0].roman") != NULL);
    CHECK_INT(load("{\"kind\":\"usml\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"categories\":["
                   "{\"number\":4,\"roman\":\"IV\",\"title\":\"t\",\"paragraphs\":[{\"id\":\"a\","
                   "\"text\":\"t\"}]}]}", &d), AIB_ESCHEMA);
    CHECK_INT(load("{\"kind\":\"usml\",\"citation\":\"c\",\"as_of\":\"2024-01-01\",\"categories\":["
                   "{\"number\":22,\"roman\":\"XXII\",\"title\":\"t\"}]}", &d), AIB_ESCHEMA);
    /* exemption naming an unknown group, and a bad scope */
    CHECK_INT(load("{\"kind\":\"itar_exemptions\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"exemptions\":[{\"id\":\"1\",\"name\":\"n\",\"group\":\"NOPE\",\"conditions\":\"c\","
                   "\"exclusions\":[]}]}", &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "NOPE") != NULL);
    CHECK_INT(load("{\"kind\":\"itar_exemptions\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"exemptions\":[{\"id\":\"1\",\"name\":\"n\",\"group\":\"G\",\"conditions\":\"c\","
                   "\"exclusions\":[{\"id\":\"(1)\",\"usml\":\"IV\",\"text\":\"t\",\"scope\":\"some\"}]}]}",
                   &d), AIB_ESCHEMA);
    CHECK(strstr(d.msg, "exclusions[0].scope") != NULL);
    CHECK_INT(load("{\"kind\":\"itar_thresholds\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"thresholds\":[{\"id\":\"t\",\"group\":\"NOPE\",\"what\":\"w\",\"usd\":1}]}", &d),
              AIB_EINVAL);
    CHECK_INT(load("{\"kind\":\"itar_thresholds\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"thresholds\":[{\"id\":\"t\",\"group\":\"*\",\"what\":\"w\",\"usd\":\"1\"}]}", &d),
              AIB_ESCHEMA);
    CHECK_INT(load("{\"kind\":\"itar_licences\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"licences\":[{\"id\":\"X\",\"name\":\"n\",\"purpose\":\"p\",\"transfer\":\"t\"},"
                   "{\"id\":\"x\",\"name\":\"n\",\"purpose\":\"p\",\"transfer\":\"t\"}]}", &d),
              AIB_ESCHEMA); /* defined twice */
    CHECK_INT(load("{\"kind\":\"classification\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"levels\":[{\"name\":\"A\",\"abbrev\":\"A\",\"rank\":1},"
                   "{\"name\":\"B\",\"abbrev\":\"B\",\"rank\":1}],\"markings\":[]}", &d), AIB_ESCHEMA);
    CHECK_INT(load("{\"kind\":\"classification\",\"citation\":\"c\",\"as_of\":\"2024-01-01\","
                   "\"levels\":[],\"markings\":[{\"id\":\"X\",\"name\":\"n\",\"kind\":\"odd\","
                   "\"meaning\":\"m\"}]}", &d), AIB_ESCHEMA);
}

#define CHART_HEAD "{\"citation\":\"Supp 1 to Part 738\",\"ecfrIssueDate\":\"2026-07-23\"," \
                   "\"columns\":[\"NS 1\",\"NS 2\"],"

TEST(alliance_load_ear_tables)
{
    aib_alliance_t *a = mini();
    aib_diag_t d = { 0 };
    aib_alliance_chart_cell_t cell;
    const char *chart = CHART_HEAD
        "\"aliases\":{\"britain\":\"United Kingdom\",\"hong kong\":\"China\"},"
        "\"countries\":{\"United Kingdom\":{\"marks\":[],\"footnotes\":[]},"
        "\"China\":{\"marks\":[\"NS 1\",\"NS 2\"],\"footnotes\":[3]}},"
        "\"embargoed\":{\"Iran, Islamic Republic of\":{\"pointer\":\"See part 746\",\"footnotes\":[1]}},"
        "\"footnotes\":{\"1\":\"one\",\"3\":\"three\"},"
        "\"territoryInheritance\":{\"hong kong\":{\"row\":\"China\",\"basis\":\"85 FR 83788\"}}}";
    const char *groups = "{\"citation\":\"Supp 1 to Part 740\",\"ecfrIssueDate\":\"2026-07-23\","
                         "\"labels\":{\"A:1\":\"Wassenaar\"},\"aliases\":{\"prc\":\"China\"},"
                         "\"groups\":{\"A:1\":[\"United Kingdom\",\"Britain\",\"United States\"],"
                         "\"D:1\":[\"PRC\"]}}";
    const char *ccl = "{\"citation\":\"Supp 1 to Part 774\",\"ecfrIssueDate\":\"2026-07-23\","
                      "\"entries\":[{\"eccn\":\"1A001\",\"heading\":\"h\",\"reasonForControl\":\"NS, AT\","
                      "\"countryChart\":[{\"control\":\"NS applies to entire entry\","
                      "\"countryChart\":\"NS Column 2.\"},{\"control\":\"Russian sanctions\","
                      "\"countryChart\":\"See 746.8\"}],\"licenceExceptionFlags\":{\"LVS\":\"$5000\"},"
                      "\"items\":[{\"paragraph\":\"a\",\"depth\":1,\"text\":\"first\"},"
                      "{\"paragraph\":null,\"text\":\"note\"}]}]}";
    const char *exc = "{\"citation\":\"Part 740\",\"ecfrIssueDate\":\"2026-07-23\",\"exceptions\":["
                      "{\"section\":\"s\",\"sectionNumber\":\"740.3\",\"symbols\":[\"LVS\"],\"title\":\"t\"}]}";
    const aib_alliance_eccn_t *x;
    const aib_alliance_ear_para_t *p;
    bool known;
    if (!a)
        return;
    CHECK_INT(aib_alliance_load_ear_mem(a, "country-chart.json", chart, strlen(chart), &d), 0);
    CHECK_INT(aib_alliance_load_ear_mem(a, "country-groups.json", groups, strlen(groups), &d), 0);
    CHECK_INT(aib_alliance_load_ear_mem(a, "ccl.json", ccl, strlen(ccl), &d), 0);
    CHECK_INT(aib_alliance_load_ear_mem(a, "license-exception-catalog.json", exc, strlen(exc), &d), 0);
    CHECK_INT(aib_alliance_chart_cell(a, "NS 2", "HK", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_X);
    CHECK_STR(cell.inherited_basis, "85 FR 83788");
    CHECK_STR(a3(a, "hong kong"), "HKG"); /* ISO name wins */
    CHECK_STR(a3(a, "britain"), "GBR");
    CHECK_INT(aib_alliance_chart_cell(a, "NS 1", "GB", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_BLANK);
    CHECK_INT(aib_alliance_chart_cell(a, "NS 1", "IRN", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_EMBARGOED);
    CHECK_INT(aib_alliance_chart_cell(a, "NS 1", "FIN", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_NO_ROW);
    CHECK_STR(aib_alliance_chart_footnote(a, 3), "three");
    CHECK(aib_alliance_is_member(a, "A:1", "GBR", 20260723, NULL));
    CHECK(aib_alliance_is_member(a, "EAR:D:1", "CN", 20260723, NULL));
    CHECK_INT(aib_alliance_group(a, "A:1")->n_members, 2); /* two spellings of the UK, once */
    x = aib_alliance_eccn(a, "1A001.a", &p, &known);
    CHECK(x && p && !strcmp(p->text, "first"));
    CHECK_STR(x->controls[0].column, "NS 2");
    CHECK_STR(x->controls[0].reason, "NS");
    CHECK(x->controls[1].column == NULL && x->controls[1].reason == NULL);
    CHECK_STR(x->exceptions[0].symbol, "LVS");
    CHECK(aib_alliance_ear_exception(a, "LVS") != NULL);
    aib_alliance_free(a);

    /* Bad EAR input: each fails with a place. */
    a = mini();
    if (!a)
        return;
    {
        const char *bad_row = CHART_HEAD "\"countries\":{\"Atlantis\":{\"marks\":[]}}}";
        const char *bad_mark = CHART_HEAD "\"countries\":{\"China\":{\"marks\":[\"XX 9\"]}}}";
        const char *bad_date = "{\"citation\":\"c\",\"ecfrIssueDate\":\"July\",\"columns\":[\"A\"]}";
        const char *bad_eccn = "{\"citation\":\"c\",\"ecfrIssueDate\":\"2026-07-23\",\"entries\":["
                               "{\"eccn\":\"ABCDE\"}]}";
        const char *dup_eccn = "{\"citation\":\"c\",\"ecfrIssueDate\":\"2026-07-23\",\"entries\":["
                               "{\"eccn\":\"1A001\"},{\"eccn\":\"1A001\"}]}";
        const char *bad_group = "{\"citation\":\"c\",\"ecfrIssueDate\":\"2026-07-23\",\"groups\":"
                                "{\"A:1\":[\"Atlantis\"]}}";
        const char *no_sym = "{\"citation\":\"c\",\"ecfrIssueDate\":\"2026-07-23\",\"exceptions\":["
                             "{\"section\":\"s\",\"sectionNumber\":\"1\",\"title\":\"t\",\"symbols\":[]}]}";
        CHECK_INT(aib_alliance_load_ear_mem(a, "country-chart.json", bad_row, strlen(bad_row), &d),
                  AIB_ESCHEMA);
        CHECK(strstr(d.msg, "countries.Atlantis") != NULL);
        CHECK_STR(d.file, "country-chart.json");
        aib_alliance_free(a);
        a = mini();
        CHECK_INT(aib_alliance_load_ear_mem(a, "country-chart.json", bad_mark, strlen(bad_mark), &d),
                  AIB_ESCHEMA);
        CHECK(strstr(d.msg, "marks") != NULL);
        CHECK_INT(aib_alliance_load_ear_mem(a, "country-chart.json", bad_date, strlen(bad_date), &d),
                  AIB_ESCHEMA);
        CHECK_INT(aib_alliance_load_ear_mem(a, "ccl.json", bad_eccn, strlen(bad_eccn), &d),
                  AIB_ESCHEMA);
        CHECK(strstr(d.msg, "entries[0].eccn") != NULL);
        CHECK_INT(aib_alliance_load_ear_mem(a, "ccl.json", dup_eccn, strlen(dup_eccn), &d),
                  AIB_ESCHEMA);
        CHECK_INT(aib_alliance_load_ear_mem(a, "country-groups.json", bad_group, strlen(bad_group),
                                            &d), AIB_ESCHEMA);
        CHECK(strstr(d.msg, "Atlantis") != NULL);
        CHECK_INT(aib_alliance_load_ear_mem(a, "license-exception-catalog.json", no_sym,
                                            strlen(no_sym), &d), AIB_ESCHEMA);
        CHECK_INT(aib_alliance_load_ear_mem(a, "other.json", "{}", 2, &d), AIB_ESCHEMA);
        CHECK_INT(aib_alliance_load_ear_mem(a, "ccl.json", "{", 1, &d), AIB_EPARSE);
    }
    aib_alliance_free(a);
}

TEST(alliance_load_paths)
{
    aib_alliance_t *a = NULL;
    aib_diag_t d = { 0 };
    aib_alliance_opts_t o = { 0 };
    o.data_dir = "/nonexistent/aib-data";
    CHECK_INT(aib_alliance_load(&o, &a, &d), AIB_ENOTFOUND);
    CHECK(a == NULL);
    CHECK(strstr(d.file, "/nonexistent/aib-data") != NULL);
    o.data_dir = NULL;
    o.iso_path = "/nonexistent/iso.json";
    CHECK(aib_alliance_load(&o, &a, &d) != 0);
    CHECK(strstr(d.msg, "iso-codes") != NULL);
    o.iso_path = NULL;
    o.ear_path = "/nonexistent/ear.tar.gz";
    CHECK_INT(aib_alliance_load(&o, &a, &d), AIB_ENOTFOUND);
    o.ear_optional = true;
    CHECK_INT(aib_alliance_load(&o, &a, &d), 0);
    CHECK(a && aib_alliance_eccn_count(a) == 0 && aib_alliance_group(a, "NATO") != NULL);
    aib_alliance_free(a);
}
