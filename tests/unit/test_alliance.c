/* test_alliance.c — the alliance registry against the real data (data/, Debian iso-codes and the
 * shared EAR snapshot): country resolution, group-by-date resolution, EAR, ITAR and disclosure
 * lookups, and cross-checks between the regimes' own lists and the EAR country groups. */
#include "test.h"

#include <stdlib.h>

#include "aib/alliance.h"

static aib_alliance_t *g_a;
static int g_loaded;

static void free_reg(void)
{
    aib_alliance_free(g_a);
    g_a = NULL;
}

static const aib_alliance_t *reg(void)
{
    if (!g_loaded) {
        aib_diag_t d = { 0 };
        g_loaded = 1;
        atexit(free_reg);
        if (aib_alliance_load(NULL, &g_a, &d) != 0) {
            char msg[1200];
            aib_diag_format(&d, msg, sizeof(msg));
            aib_test_fail(__FILE__, __LINE__, "registry did not load: %s", msg);
        }
    }
    return g_a;
}

/* alpha-3 of key, or "(none)". */
static const char *a3(const char *key)
{
    const aib_alliance_country_t *c = aib_alliance_country(reg(), key);
    return c ? c->alpha3 : "(none)";
}

static aib_alliance_date_t D(const char *s)
{
    aib_alliance_date_t d = 0;
    if (aib_alliance_date_parse(s, &d) != 0)
        aib_test_fail(__FILE__, __LINE__, "bad test date %s", s);
    return d;
}

static size_t count(const char *group, const char *date)
{
    const aib_alliance_membership_t *ms[512];
    size_t n = 0;
    if (aib_alliance_group_members(reg(), group, D(date), ms, 512, &n, NULL) != 0)
        return (size_t)-1;
    return n;
}

static bool member(const char *group, const char *country, const char *date)
{
    return aib_alliance_is_member(reg(), group, country, D(date), NULL);
}

TEST(alliance_date_parse)
{
    aib_alliance_date_t d;
    char buf[16];
    CHECK_INT(aib_alliance_date_parse("2024-02-29", &d), 0);
    CHECK_INT(d, 20240229);
    CHECK(aib_alliance_date_parse("2023-02-29", &d) != 0);
    CHECK(aib_alliance_date_parse("2023-13-01", &d) != 0);
    CHECK(aib_alliance_date_parse("2023-4-04", &d) != 0);
    CHECK(aib_alliance_date_parse("2023-04-04x", &d) != 0);
    CHECK(aib_alliance_date_parse("", &d) != 0);
    aib_alliance_date_format(20200131, buf, sizeof(buf));
    CHECK_STR(buf, "2020-01-31");
}

TEST(alliance_load_counts)
{
    aib_alliance_info_t i;
    if (!reg())
        return;
    aib_alliance_info(reg(), &i);
    CHECK(i.n_countries >= 249);
    CHECK_INT(i.n_eccns, 633);
    CHECK_INT(i.n_chart_rows, 200); /* 196 graded rows + 4 embargoed */
    CHECK_STR(i.ear_issue_date, "2026-07-23");
    CHECK(i.n_groups >= 30);
    CHECK(i.n_agreements > 50);
}

TEST(alliance_country_lookup)
{
    const aib_alliance_country_t *c;
    if (!reg())
        return;
    c = aib_alliance_country(reg(), "PL");
    CHECK(c && !strcmp(c->alpha3, "POL"));
    CHECK(aib_alliance_country(reg(), "pol") == c);
    CHECK(aib_alliance_country(reg(), "616") == c);
    CHECK(aib_alliance_country(reg(), "Poland") == c);
    CHECK(aib_alliance_country(reg(), "  poland ") == c);
    c = aib_alliance_country(reg(), "Korea, South");
    CHECK(c && !strcmp(c->alpha3, "KOR"));
    CHECK(aib_alliance_country(reg(), "Republic of Korea") == c);
    CHECK(aib_alliance_country(reg(), "South Korea") == c);
    c = aib_alliance_country(reg(), "Korea, North");
    CHECK(c && !strcmp(c->alpha3, "PRK"));
    CHECK_STR(a3("Turkey"), "TUR");
    CHECK_STR(a3("Türkiye"), "TUR");
    CHECK_STR(a3("Burma"), "MMR");
    CHECK_STR(a3("UK"), "GBR");
    CHECK_STR(a3("Bosnia & Herzegovina"), "BIH");
    CHECK_STR(a3("Cote d'lvoire"), "CIV"); /* EAR typo */
    CHECK_STR(a3("Congo (Republic of the)"), "COG");
    CHECK_STR(a3("Congo (Democratic Republic of)"), "COD");
    /* The EAR folds Hong Kong into China, but the country itself stays Hong Kong. */
    c = aib_alliance_country(reg(), "Hong Kong");
    CHECK(c && !strcmp(c->alpha3, "HKG"));
    CHECK_STR(c->ear_row, "China");
    CHECK(c->ear_row_basis != NULL);
    c = aib_alliance_country(reg(), "XK");
    CHECK(c && !strcmp(c->name, "Kosovo") && c->numeric == NULL);
    CHECK(aib_alliance_country(reg(), "Atlantis") == NULL);
    CHECK(aib_alliance_country(reg(), "") == NULL);
    CHECK(aib_alliance_country(reg(), NULL) == NULL);
}

/* NATO accessions: Finland 2023-04-04, Sweden 2024-03-07 (NATO member-countries page). */
TEST(alliance_nato_by_date)
{
    if (!reg())
        return;
    CHECK(member("NATO", "FIN", "2023-04-04"));
    CHECK(!member("NATO", "FIN", "2023-04-03"));
    CHECK(member("NATO", "SWE", "2024-03-07"));
    CHECK(!member("NATO", "SWE", "2024-03-06"));
    CHECK(member("NATO", "USA", "1949-08-24"));
    CHECK(!member("NATO", "USA", "1949-08-23"));
    CHECK(!member("NATO", "MKD", "2020-03-26"));
    CHECK(member("NATO", "North Macedonia", "2020-03-27"));
    CHECK_INT(count("NATO", "2023-04-03"), 30);
    CHECK_INT(count("NATO", "2023-04-04"), 31);
    CHECK_INT(count("NATO", "2024-03-07"), 32);
    CHECK_INT(count("NATO", "1949-08-24"), 12);
    CHECK_INT(count("north atlantic treaty organization", "2025-01-01"), 32);
}

/* EU: the UK withdrew at the end of 2020-01-31 (Withdrawal Agreement art. 185). */
TEST(alliance_eu_by_date)
{
    if (!reg())
        return;
    CHECK(member("EU", "GBR", "2019-12-31"));
    CHECK(member("EU", "GBR", "2020-01-31"));
    CHECK(!member("EU", "GBR", "2020-02-01"));
    CHECK(!member("EU", "GBR", "1972-12-31"));
    CHECK_INT(count("EU", "2020-02-01"), 27);
    CHECK_INT(count("EU", "2019-12-31"), 28);
    CHECK_INT(count("EU", "2013-06-30"), 27); /* before Croatia, with the UK */
    CHECK(member("EU", "HRV", "2013-07-01"));
}

TEST(alliance_other_groups)
{
    if (!reg())
        return;
    CHECK_INT(count("FVEY", "2024-01-01"), 5);
    CHECK_INT(count("Five Eyes", "2024-01-01"), 5);
    CHECK_INT(count("NTIB", "2024-01-01"), 5);
    CHECK(!member("NTIB", "GBR", "2016-12-22"));
    CHECK(member("NTIB", "GBR", "2016-12-23"));
    CHECK_INT(count("AUKUS", "2021-09-15"), 3);
    CHECK_INT(count("AUKUS", "2021-09-14"), 0);
    CHECK(member("QUAD", "IND", "2024-01-01"));
    /* CFIUS excepted foreign states: NZL from 2022-01-05 (Treasury list). */
    CHECK(!member("CFIUS_EXCEPTED", "NZL", "2022-01-04"));
    CHECK(member("CFIUS_EXCEPTED", "NZL", "2022-01-05"));
    CHECK(member("CFIUS_EXCEPTED", "CAN", "2020-02-13"));
    CHECK(!member("CFIUS_EXCEPTED", "DEU", "2024-01-01"));
    /* MNNA: Afghanistan's designation ended; Qatar and Kenya designated by memoranda. */
    CHECK(member("MNNA", "AFG", "2015-01-01"));
    CHECK(!member("MNNA", "AFG", "2023-01-01"));
    CHECK(!member("MNNA", "QAT", "2022-03-09"));
    CHECK(member("MNNA", "QAT", "2022-03-10"));
    CHECK(member("MNNA", "KEN", "2024-06-24"));
    CHECK(!member("MNNA", "POL", "2024-06-24"));
}

TEST(alliance_regimes_match_ear_groups)
{
    /* Cross-check of two independent sources on the EAR snapshot date: the MTCR partners minus
     * Russia are Country Group A:2; the Australia Group participants are A:3. */
    const aib_alliance_membership_t *x[128], *y[128];
    size_t nx = 0, ny = 0, i, j;
    if (!reg())
        return;
    CHECK_INT(aib_alliance_group_members(reg(), "AUSTRALIA_GROUP", D("2026-07-23"), x, 128, &nx, NULL), 0);
    CHECK_INT(aib_alliance_group_members(reg(), "A:3", D("2026-07-23"), y, 128, &ny, NULL), 0);
    CHECK_INT(nx, ny);
    for (i = 0; i < nx && i < ny; i++)
        CHECK_STR(x[i]->country, y[i]->country);
    CHECK_INT(aib_alliance_group_members(reg(), "MTCR", D("2026-07-23"), x, 128, &nx, NULL), 0);
    CHECK_INT(aib_alliance_group_members(reg(), "EAR:A:2", D("2026-07-23"), y, 128, &ny, NULL), 0);
    CHECK_INT(nx, ny + 1);
    for (i = 0, j = 0; i < nx; i++) {
        if (!strcmp(x[i]->country, "RUS"))
            continue;
        CHECK(j < ny && !strcmp(x[i]->country, y[j]->country));
        j++;
    }
}

TEST(alliance_ear_groups)
{
    const aib_alliance_group_t *g;
    const aib_alliance_membership_t *m;
    if (!reg())
        return;
    g = aib_alliance_group(reg(), "A:5");
    CHECK(g && !strcmp(g->id, "EAR:A:5") && g->snapshot);
    CHECK(member("A:5", "GBR", "1900-01-01")); /* snapshot: any date */
    CHECK(member("Country Group D:5", "CHN", "2026-07-23"));
    CHECK(member("E:1", "IRN", "2026-07-23"));
    CHECK(member("E:2", "CUB", "2026-07-23"));
    CHECK(!member("D:5", "GBR", "2026-07-23"));
    CHECK(aib_alliance_is_member(reg(), "B", "BIH", 0, &m)); /* "Bosnia & Herzegovina" */
    CHECK(m && m->cite.as_of && !strcmp(m->cite.as_of, "2026-07-23"));
    CHECK(member("B", "CIV", "2026-07-23"));               /* "Cote d'lvoire" */
    CHECK_INT(count("E:1", "2026-07-23"), 3);
}

TEST(alliance_country_groups)
{
    aib_alliance_group_hit_t hits[64];
    size_t n = 0, i;
    bool nato = false, a1 = false, eu = false;
    aib_diag_t d = { 0 };
    if (!reg())
        return;
    CHECK_INT(aib_alliance_country_groups(reg(), "POL", D("2024-01-01"), hits, 64, &n, NULL), 0);
    for (i = 0; i < n; i++) {
        nato |= !strcmp(hits[i].group->id, "NATO");
        a1 |= !strcmp(hits[i].group->id, "EAR:A:1");
        eu |= !strcmp(hits[i].group->id, "EU");
    }
    CHECK(nato && a1 && eu);
    CHECK_INT(aib_alliance_country_groups(reg(), "POL", D("1998-01-01"), hits, 64, &n, NULL), 0);
    for (i = 0; i < n; i++)
        CHECK(strcmp(hits[i].group->id, "NATO") && strcmp(hits[i].group->id, "EU"));
    CHECK_INT(aib_alliance_country_groups(reg(), "POL", D("2024-01-01"), hits, 1, &n, NULL),
              AIB_ELIMIT);
    CHECK(n > 1);
    CHECK_INT(aib_alliance_country_groups(reg(), "Narnia", 0, hits, 64, &n, &d), AIB_ENOTFOUND);
    CHECK(strstr(d.msg, "Narnia") != NULL);
}

TEST(alliance_composite_group)
{
    /* ITAR:123.15-PREFERRED = NATO (by date) + AUS, JPN, KOR, ISR, NZL. */
    if (!reg())
        return;
    CHECK(member("ITAR:123.15-PREFERRED", "FIN", "2023-04-04"));
    CHECK(!member("ITAR:123.15-PREFERRED", "FIN", "2023-04-03"));
    CHECK(member("ITAR:123.15-PREFERRED", "JPN", "2023-04-03"));
    CHECK(!member("ITAR:123.15-PREFERRED", "IND", "2023-04-03"));
    CHECK_INT(count("ITAR:123.15-PREFERRED", "2024-03-07"), 37);
    CHECK_INT(count("TETRA:NATO", "2024-03-07"), 32);
}

TEST(alliance_expand_rel_to)
{
    const char *out[64];
    size_t n = 0;
    aib_diag_t d = { 0 };
    if (!reg())
        return;
    CHECK_INT(aib_alliance_expand(reg(), "USA, FVEY", D("2024-01-01"), out, 64, &n, &d), 0);
    CHECK_INT(n, 5);
    CHECK_STR(out[0], "AUS");
    CHECK_STR(out[4], "USA");
    CHECK_INT(aib_alliance_expand(reg(), "USA GBR NATO", D("2023-04-03"), out, 64, &n, &d), 0);
    CHECK_INT(n, 30);
    CHECK_INT(aib_alliance_expand(reg(), "USA, NATO", D("2024-03-07"), out, 64, &n, &d), 0);
    CHECK_INT(n, 32);
    CHECK_INT(aib_alliance_expand(reg(), "USA, ACGU, JP", D("2024-03-07"), out, 64, &n, &d), 0);
    CHECK_INT(n, 5);
    CHECK_INT(aib_alliance_expand(reg(), "USA, ZZZZ", D("2024-01-01"), out, 64, &n, &d),
              AIB_ENOTFOUND);
    CHECK(strstr(d.msg, "ZZZZ") != NULL);
    CHECK_INT(aib_alliance_expand(reg(), "NATO", D("2024-03-07"), out, 4, &n, &d), AIB_ELIMIT);
}

TEST(alliance_chart_cells)
{
    aib_alliance_chart_cell_t cell;
    aib_diag_t d = { 0 };
    if (!reg())
        return;
    /* Supp. 1 to Part 738: Australia's row has only CB 1 (and footnote 10). */
    CHECK_INT(aib_alliance_chart_cell(reg(), "CB 1", "AUS", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_X);
    CHECK_INT(aib_alliance_chart_cell(reg(), "NS1", "AUS", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_BLANK);
    CHECK(cell.row && cell.row->n_footnotes == 1 && cell.row->footnotes[0] == 10);
    CHECK(strstr(aib_alliance_chart_footnote(reg(), 10), "0A501") != NULL);
    CHECK_INT(aib_alliance_chart_cell(reg(), "ns 2", "China", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_X);
    CHECK_INT(aib_alliance_chart_cell(reg(), "NS 1", "IR", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_EMBARGOED);
    CHECK(cell.row && strstr(cell.row->pointer, "746") != NULL);
    CHECK_INT(aib_alliance_chart_cell(reg(), "NS 1", "HKG", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_X);
    CHECK(cell.inherited_basis && strstr(cell.inherited_basis, "85 FR 83788"));
    CHECK_INT(aib_alliance_chart_cell(reg(), "NS 1", "Antarctica", &cell, &d), 0);
    CHECK_INT(cell.mark, AIB_ALLIANCE_CHART_NO_ROW);
    CHECK_INT(aib_alliance_chart_cell(reg(), "ZZ 9", "GBR", &cell, &d), AIB_ENOTFOUND);
    CHECK(strstr(d.msg, "ZZ 9") != NULL);
    CHECK_INT(aib_alliance_chart_cell(reg(), "NS 1", "Narnia", &cell, &d), AIB_ENOTFOUND);
}

TEST(alliance_eccn_lookup)
{
    const aib_alliance_eccn_t *x;
    const aib_alliance_ear_para_t *p;
    bool known;
    size_t i;
    bool ns2 = false;
    if (!reg())
        return;
    x = aib_alliance_eccn(reg(), "3A001", &p, &known);
    CHECK(x && !strcmp(x->eccn, "3A001") && p == NULL && known);
    CHECK_STR(x->reasons, "NS, RS, MT, NP, AT");
    for (i = 0; i < x->n_controls; i++)
        if (x->controls[i].column && !strcmp(x->controls[i].column, "NS 2") &&
            !strcmp(x->controls[i].reason, "NS"))
            ns2 = true;
    CHECK(ns2);
    x = aib_alliance_eccn(reg(), "3a001.A.1", &p, &known);
    CHECK(x && p && !strcmp(p->id, "a.1") && known);
    x = aib_alliance_eccn(reg(), "3A001.zz.9", &p, &known);
    CHECK(x && p == NULL && !known);
    CHECK(aib_alliance_eccn(reg(), "EAR99", &p, &known) == NULL);
    CHECK(aib_alliance_eccn(reg(), "3A00", NULL, NULL) == NULL);
    CHECK(aib_alliance_eccn(reg(), "3A001x", NULL, NULL) == NULL);
    CHECK(aib_alliance_eccn(reg(), "9Z999", NULL, NULL) == NULL);
    /* Category 0 has no paragraph data: a paragraph reference is accepted unchecked. */
    x = aib_alliance_eccn(reg(), "0A501.y", &p, &known);
    CHECK(x && p == NULL && known);
    CHECK(aib_alliance_ear_exception(reg(), "STA") &&
          !strcmp(aib_alliance_ear_exception(reg(), "sta")->section_number, "740.20"));
    CHECK(aib_alliance_ear_exception(reg(), "ACA") == aib_alliance_ear_exception(reg(), "NAC"));
    CHECK(aib_alliance_ear_exception(reg(), "XYZ") == NULL);
}

TEST(alliance_itar_tables)
{
    const aib_alliance_usml_cat_t *c;
    const aib_alliance_usml_para_t *p;
    const aib_alliance_itar_exclusion_t *ex[32];
    const aib_alliance_itar_threshold_t *t;
    const aib_alliance_membership_t *m;
    size_t n = 0, i;
    if (!reg())
        return;
    CHECK_INT(aib_alliance_usml_count(reg()), 21);
    c = aib_alliance_usml(reg(), "XI(a)(3)(i)", &p);
    CHECK(c && c->number == 11 && p && !strcmp(p->id, "(a)(3)"));
    CHECK(aib_alliance_usml(reg(), "Cat. XI", NULL) == c);
    CHECK(aib_alliance_usml(reg(), "11(b)", &p) == c && p && !strcmp(p->id, "(b)"));
    CHECK(aib_alliance_usml(reg(), "XXII", NULL) == NULL);
    CHECK(aib_alliance_usml(reg(), "XI a", NULL) == NULL);
    CHECK(aib_alliance_usml(reg(), "3A001", NULL) == NULL);
    CHECK(aib_alliance_usml(reg(), "I(a)", &p) && p && p->sme);
    /* §126.5 exclusions: Category XIV is excluded; classified items always are ("*"). */
    CHECK_INT(aib_alliance_itar_excluded(reg(), "126.5", "XIV(a)", ex, 32, &n), 0);
    for (i = 0; i < n; i++)
        CHECK(!strcmp(ex[i]->usml, "*") || !strcmp(ex[i]->usml, "XIV"));
    CHECK(n >= 2);
    CHECK_INT(aib_alliance_itar_excluded(reg(), "126.5", "VII(a)", ex, 32, &n), 0);
    for (i = 0; i < n; i++)
        CHECK_STR(ex[i]->usml, "*");
    CHECK_INT(aib_alliance_itar_excluded(reg(), "126.5", "not usml", ex, 32, &n), AIB_EINVAL);
    CHECK_INT(aib_alliance_itar_excluded(reg(), "126.99", "XI", ex, 32, &n), AIB_ENOTFOUND);
    CHECK(member(aib_alliance_itar_exemption(reg(), "126.5")->group, "CAN", "2024-01-01"));
    CHECK(member(aib_alliance_itar_exemption(reg(), "§126.7")->group, "GBR", "2024-09-01"));
    CHECK(!member("ITAR:126.7", "GBR", "2024-08-31"));
    CHECK(aib_alliance_itar_licence(reg(), "dsp-5") != NULL);
    CHECK(aib_alliance_itar_licence(reg(), "DSP-85")->classified);
    CHECK_STR(aib_alliance_itar_licence(reg(), "TAA")->transfer, "agreement");
    /* §123.15: $25M MDE for NATO+5, $14M otherwise. */
    t = aib_alliance_itar_threshold(reg(), "POL", "major_defense_equipment", D("2024-01-01"));
    CHECK(t && t->usd == 25000000.0);
    t = aib_alliance_itar_threshold(reg(), "IND", "major_defense_equipment", D("2024-01-01"));
    CHECK(t && t->usd == 14000000.0);
    t = aib_alliance_itar_threshold(reg(), "FIN", "defense_articles_services", D("2023-04-03"));
    CHECK(t && t->usd == 50000000.0);
    t = aib_alliance_itar_threshold(reg(), "FIN", "defense_articles_services", D("2023-04-04"));
    CHECK(t && t->usd == 100000000.0);
    CHECK(aib_alliance_itar_threshold(reg(), "FIN", "nonsense", D("2023-04-04")) == NULL);
    /* §126.1 */
    CHECK(aib_alliance_is_member(reg(), "ITAR:126.1", "CHN", D("2024-01-01"), &m));
    CHECK(m && !strcmp(m->status, "denial"));
    CHECK(aib_alliance_is_member(reg(), "126.1", "Cyprus", D("2024-01-01"), &m));
    CHECK(m && !strcmp(m->status, "case_by_case") && m->cite.unsure);
    CHECK(!member("ITAR:126.1", "ITA", "2024-01-01"));
}

TEST(alliance_agreements_profiles)
{
    const aib_alliance_agreement_t *ags;
    const aib_alliance_profile_t *p;
    size_t n = 0;
    if (!reg())
        return;
    CHECK(aib_alliance_agreement_in_force(reg(), "IND", "COMCASA", D("2018-09-06")) != NULL);
    CHECK(aib_alliance_agreement_in_force(reg(), "IND", "COMCASA", D("2018-09-05")) == NULL);
    CHECK(aib_alliance_agreement_in_force(reg(), "AUS", "DTCT", D("2013-05-16")) != NULL);
    CHECK(aib_alliance_agreement_in_force(reg(), "AUS", "DTCT", D("2013-05-15")) == NULL);
    CHECK(aib_alliance_agreement_in_force(reg(), "KOR", "RDP_MOU", D("2025-01-01")) == NULL);
    CHECK(aib_alliance_agreement_in_force(reg(), "NOR", "RDP_MOU", D("2025-01-01")) != NULL);
    ags = aib_alliance_agreements(reg(), "India", &n);
    CHECK(ags && n >= 5);
    CHECK(aib_alliance_agreements(reg(), "Narnia", &n) == NULL && n == 0);
    p = aib_alliance_profile(reg(), "GB");
    CHECK(p && p->investment_screening.value && p->screening_threshold.has_number &&
          p->screening_threshold.number == 25.0);
    CHECK(p && p->investment_screening.cite.citation && p->investment_screening.cite.as_of);
    CHECK(aib_alliance_profile(reg(), "ATA") == NULL);
}

TEST(alliance_disclosure)
{
    const aib_alliance_class_level_t *s, *c;
    const aib_alliance_marking_t *m;
    if (!reg())
        return;
    s = aib_alliance_class_level(reg(), "SECRET");
    c = aib_alliance_class_level(reg(), "c");
    CHECK(s && c && s->rank > c->rank && s->classified);
    CHECK(aib_alliance_class_level(reg(), "CUI")->rank < c->rank);
    CHECK(!aib_alliance_class_level(reg(), "CUI")->classified);
    CHECK(aib_alliance_class_level(reg(), "TS") == aib_alliance_class_level(reg(), "top secret"));
    CHECK_STR(aib_alliance_class_level_at(reg(), 0)->name, "UNCLASSIFIED");
    m = aib_alliance_marking(reg(), "NF");
    CHECK(m && !strcmp(m->id, "NOFORN") && m->forbids_foreign);
    m = aib_alliance_marking(reg(), "rel to");
    CHECK(m && !m->forbids_foreign);
    CHECK(aib_alliance_marking(reg(), "CUI//SP-EXPT") == aib_alliance_marking(reg(), "SP-EXPT"));
    CHECK(aib_alliance_marking(reg(), "BOGUS") == NULL);
}

TEST(alliance_every_fact_cited)
{
    size_t i, j;
    if (!reg())
        return;
    for (i = 0; i < aib_alliance_group_count(reg()); i++) {
        const aib_alliance_group_t *g = aib_alliance_group_at(reg(), i);
        CHECK(g->cite.citation && g->cite.as_of);
        for (j = 0; j < g->n_members; j++)
            CHECK(g->members[j].cite.citation && g->members[j].cite.as_of);
    }
}
