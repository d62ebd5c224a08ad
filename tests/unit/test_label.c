/* test_label.c — US banner markings (parse, canonical emission, register rules, tetragraph
 * expansion, bad input) and the access check; Ed25519 label bindings (sign, verify, tamper
 * detection, key files). Uses data/label/us-markings.json and Debian iso-codes. */
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aib/label.h"

static aib_label_us_t *us_table(void)
{
    static aib_label_us_t *us;
    aib_diag_t d;
    if (!us && aib_label_us_load("data/label/us-markings.json", NULL, &us, &d) != 0) {
        fprintf(stderr, "  us-markings: %s\n", d.msg);
        return NULL;
    }
    return us;
}

/* Parses text and returns the canonical banner (or portion) in buf; NULL on parse error. */
static const char *canon(const char *text, bool portion, char *buf, size_t cap, size_t *issues)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b = NULL;
    aib_buf_t out;
    aib_diag_t d;
    const char *r = NULL;
    aib_buf_init(&out);
    if (us_table() && aib_label_banner_parse(us_table(), text, false, a, &b, &d) == 0 &&
        aib_label_banner_format(us_table(), b, portion, &out) == 0) {
        snprintf(buf, cap, "%s", out.data);
        if (issues)
            *issues = b->n_issues;
        r = buf;
    }
    aib_buf_free(&out);
    aib_arena_free(a);
    return r;
}

TEST(label_banner_canonical)
{
    char buf[512];
    size_t n = 99;
    CHECK_STR(canon("SECRET//REL TO USA, AUS, GBR", false, buf, sizeof buf, &n), "SECRET//REL TO USA, AUS, GBR");
    CHECK_INT(n, 0);
    CHECK_STR(canon("CUI//SP-EXPT//NOFORN", false, buf, sizeof buf, &n), "CUI//SP-EXPT//NOFORN");
    CHECK_INT(n, 0);
    CHECK_STR(canon("TOP SECRET//NOFORN", false, buf, sizeof buf, &n), "TOP SECRET//NOFORN");
    CHECK_STR(canon("UNCLASSIFIED", false, buf, sizeof buf, &n), "UNCLASSIFIED");
    CHECK_STR(canon("s//nf", false, buf, sizeof buf, &n), "SECRET//NOFORN");
    CHECK_STR(canon("(TS//SI/TK//NF)", false, buf, sizeof buf, &n), "TOP SECRET//SI/TK//NOFORN");
    CHECK_INT(n, 0);
    CHECK_STR(canon("TOP SECRET//SI/TK//NOFORN", true, buf, sizeof buf, &n), "(TS//SI/TK//NF)");
    CHECK_STR(canon("(U)", false, buf, sizeof buf, &n), "UNCLASSIFIED");
    CHECK_STR(canon("CONTROLLED//PRVCY", false, buf, sizeof buf, &n), "CUI//PRVCY");
    CHECK_STR(canon("SECRET//ORCON/NOFORN", true, buf, sizeof buf, &n), "(S//OC/NF)");
    CHECK_INT(n, 0);
    /* Canonical emission repairs the order the parser flags. */
    CHECK_STR(canon("SECRET//REL TO GBR, USA, FVEY, AUS", false, buf, sizeof buf, &n), "SECRET//REL TO USA, AUS, GBR, FVEY");
    CHECK_INT(n, 1);
}

static aib_label_banner_t *parse(aib_arena_t *a, const char *text, int *rc, aib_diag_t *d)
{
    aib_label_banner_t *b = NULL;
    *rc = aib_label_banner_parse(us_table(), text, false, a, &b, d);
    return b;
}

static bool has_issue(const aib_label_banner_t *b, const char *needle)
{
    size_t i;
    for (i = 0; b && i < b->n_issues; i++)
        if (strstr(b->issues[i].msg, needle) && b->issues[i].citation && b->issues[i].citation[0])
            return true;
    return false;
}

TEST(label_banner_rules)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b;
    aib_diag_t d;
    int rc;

    b = parse(a, "SECRET//REL TO GBR, USA", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "REL TO order"));
    b = parse(a, "SECRET//REL TO GBR, AUS", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "must begin with USA"));
    b = parse(a, "SECRET//REL TO USA, FVEY, GBR", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "REL TO order"));
    b = parse(a, "SECRET//NOFORN/REL TO USA, GBR", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "NOFORN conflicts"));
    CHECK(b && b->noforn);
    b = parse(a, "SECRET//REL TO USA, GBR/NOFORN", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "NOFORN conflicts") && has_issue(b, "register order"));
    b = parse(a, "SECRET//NOFORN//ORCON", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "one segment"));
    b = parse(a, "TOP SECRET//NOFORN//SI", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "categories are ordered"));
    b = parse(a, "CUI//PRVCY/SP-EXPT", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "Specified (SP-) first"));
    b = parse(a, "CUI//EXPT", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "written SP-EXPT"));
    b = parse(a, "SECRET//SP-EXPT", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "need the CUI banner"));
    b = parse(a, "UNCLASSIFIED//FED ONLY", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "CUI limited dissemination"));
    b = parse(a, "SECRET//FOUO", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "unclassified information only"));
    b = parse(a, "UNCLASSIFIED//SI", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "need a classified level"));
    b = parse(a, "SECRET//REL TO USA, GBR, GBR", &rc, &d);
    CHECK(rc == 0 && has_issue(b, "twice"));
    /* strict mode fails on the first rule with its citation */
    b = NULL;
    CHECK_INT(aib_label_banner_parse(us_table(), "SECRET//REL TO GBR, USA", true, a, &b, &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "REL TO") && strstr(d.msg, "CAPCO"));
    aib_arena_free(a);
}

TEST(label_banner_tetragraphs)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b;
    aib_diag_t d;
    size_t i, n = 0;
    bool pol = false, nzl = false;
    int rc;

    b = parse(a, "SECRET//REL TO USA, JPN, FVEY, NATO", &rc, &d);
    CHECK_INT(rc, 0);
    CHECK(b && b->n_issues == 0);
    for (i = 0; b && i < b->n_rel_countries; i++) {
        pol = pol || !strcmp(b->rel_countries[i], "POL");
        nzl = nzl || !strcmp(b->rel_countries[i], "NZL");
        if (i)
            CHECK(strcmp(b->rel_countries[i - 1], b->rel_countries[i]) < 0);
    }
    CHECK(pol && nzl);
    CHECK(aib_label_us_tetragraph(us_table(), "FVEY", &n) != NULL);
    CHECK_INT(n, 5);
    CHECK(aib_label_us_tetragraph(us_table(), "ZZZZ", &n) == NULL);
    aib_arena_free(a);
}

TEST(label_banner_bad_input)
{
    static const struct { const char *text; const char *where; } bad[] = {
        { "", "empty" },
        { "   ", "empty" },
        { "(S//NF", "portion" },
        { "()", "empty" },
        { "//GBR SECRET", "not supported" },
        { "SEKRET", "unknown classification" },
        { "SECRET//", "empty category" },
        { "SECRET////NOFORN", "empty category" },
        { "SECRET//REL TO", "needs a list" },
        { "SECRET//REL TO USA,, GBR", "empty entry" },
        { "SECRET//REL TO USA, XYZ", "unknown country" },
        { "SECRET//REL TO USA, ABCD", "unknown tetragraph" },
        { "SECRET//REL TO USA, GB", "neither" },
        { "SECRET//NOFORNX", "unknown control" },
        { "TOP SECRET//QQ", "unknown control" },
        { "CUI//SP-PRVCY", "Basic category" },
        { "CUI//SP-NOPE", "unknown CUI" },
        { "SECRET//SAR-", "malformed SAP" },
        { "SECRET\n//NOFORN", "control character" },
    };
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b;
    aib_diag_t d;
    char big[6000];
    size_t i;
    int rc;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = parse(a, bad[i].text, &rc, &d);
        if (rc == 0 || !strstr(d.msg, bad[i].where))
            aib_test_fail(__FILE__, __LINE__, "`%s`: rc %d msg \"%s\", wanted \"%s\"", bad[i].text, rc, d.msg, bad[i].where);
        CHECK(b == NULL);
    }
    b = parse(a, "SECRET//REL TO USA, XYZ", &rc, &d);
    CHECK_INT(d.col, 21); /* the column of the list entry's segment part */
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(aib_label_banner_parse(us_table(), big, false, a, &b, &d), AIB_ELIMIT);
    aib_arena_free(a);
}

static int check_access(const char *marking, const char *nation, const char *level, const char *const *cav, size_t n_cav,
                  aib_label_decision_t *dec)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_label_banner_t *b = NULL;
    aib_label_requester_t who = { nation, level, cav, n_cav };
    aib_diag_t d;
    int rc = aib_label_banner_parse(us_table(), marking, false, a, &b, &d);
    if (rc == 0)
        rc = aib_label_banner_access(us_table(), b, &who, dec, &d);
    aib_arena_free(a);
    return rc;
}

TEST(label_banner_access)
{
    static const char *const si_tk[] = { "SI", "TK" }, *const orcon[] = { "ORCON" };
    static const struct { const char *marking, *nation, *level; bool allowed; const char *why; } cases[] = {
        { "SECRET//REL TO USA, AUS, GBR", "GBR", "SECRET", true, "in REL TO" },
        { "SECRET//REL TO USA, AUS, GBR", "GB", "TOP SECRET", true, "in REL TO" },
        { "SECRET//REL TO USA, AUS, GBR", "FRA", "SECRET", false, "not in the REL TO" },
        { "SECRET//REL TO USA, AUS, GBR", "AUS", "CONFIDENTIAL", false, "does not reach" },
        { "SECRET//REL TO USA, FVEY", "NZL", "SECRET", true, "through FVEY" },
        { "SECRET//REL TO USA, NATO", "POL", "SECRET", true, "through NATO" },
        { "SECRET//REL TO USA, NATO", "JPN", "SECRET", false, "not in the REL TO" },
        { "TOP SECRET//NOFORN", "GBR", "TOP SECRET", false, "NOFORN" },
        { "TOP SECRET//NOFORN", "USA", "TOP SECRET", true, "US requester" },
        { "SECRET", "CAN", "SECRET", false, "without a foreign release marking" },
        { "SECRET//RELIDO", "CAN", "SECRET", false, "disclosure official" },
        { "SECRET//DISPLAY ONLY USA, JPN", "JPN", "SECRET", true, "view only" },
        { "CUI//SP-EXPT//NOFORN", "CAN", "SECRET", false, "NOFORN" },
        { "CUI//SP-EXPT", "CAN", "CUI", false, "export authorization" },
        { "CUI//SP-EXPT//REL TO USA, CAN", "CAN", "CUI", true, "in REL TO" },
        { "CUI//PRVCY", "CAN", "CUI", true, "no foreign" },
        { "CUI//PRVCY", "USA", "UNCLASSIFIED", false, "does not reach" },
        { "UNCLASSIFIED", "CAN", "U", true, "no foreign" },
        { "SECRET//NOFORN/REL TO USA, GBR", "USA", "SECRET", false, "invalid marking" },
        { "TOP SECRET//SI/TK//NOFORN", "USA", "TS", false, "SCI control system SI" },
    };
    aib_label_decision_t dec;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = check_access(cases[i].marking, cases[i].nation, cases[i].level, NULL, 0, &dec);
        if (rc != 0 || dec.allowed != cases[i].allowed || !strstr(dec.reason, cases[i].why))
            aib_test_fail(__FILE__, __LINE__, "%s / %s %s: rc %d allowed %d \"%s\"", cases[i].marking, cases[i].nation,
                          cases[i].level, rc, dec.allowed, dec.reason);
    }
    CHECK_INT(check_access("TOP SECRET//SI/TK//NOFORN", "USA", "TS", si_tk, 2, &dec), 0);
    CHECK(dec.allowed);
    CHECK_INT(check_access("SECRET//ORCON/REL TO USA, GBR", "GBR", "S", NULL, 0, &dec), 0);
    CHECK(!dec.allowed && strstr(dec.reason, "ORCON"));
    CHECK_INT(check_access("SECRET//ORCON/REL TO USA, GBR", "GBR", "S", orcon, 1, &dec), 0);
    CHECK(dec.allowed);
    CHECK_INT(check_access("SECRET", "Atlantis", "S", NULL, 0, &dec), AIB_EINVAL);
    CHECK_INT(check_access("SECRET", "USA", "SUPER SECRET", NULL, 0, &dec), AIB_EINVAL);
}

TEST(label_us_table_errors)
{
    static const char *bad[] = {
        "{",
        "{\"kind\":\"other\"}",
        "{\"kind\":\"aib-label-us-markings\",\"rules\":{}}",
    };
    aib_label_us_t *us = NULL;
    aib_diag_t d;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(aib_label_us_load_mem("t.json", bad[i], strlen(bad[i]), NULL, 0, &us, &d) != 0);
        CHECK(us == NULL && d.msg[0]);
    }
    CHECK(aib_label_us_load("/nonexistent/us.json", NULL, &us, &d) == AIB_EIO);
}

/* ---- binding ---------------------------------------------------------------------------------- */

TEST(label_binding_roundtrip)
{
    uint8_t pk[AIB_LABEL_PK_BYTES], sk[AIB_LABEL_SK_BYTES], pk2[AIB_LABEL_PK_BYTES], sk2[AIB_LABEL_SK_BYTES];
    const char *label = "SECRET//REL TO USA, AUS, GBR";
    const uint8_t data[] = "hypersonic test range availability, Q3";
    aib_buf_t doc, got, canon1, canon2;
    aib_diag_t d;
    char kind[16], *p;

    aib_buf_init(&doc);
    aib_buf_init(&got);
    aib_buf_init(&canon1);
    aib_buf_init(&canon2);
    CHECK_INT(aib_label_keygen(pk, sk), 0);
    CHECK_INT(aib_label_keygen(pk2, sk2), 0);
    CHECK_INT(aib_label_bind("banner", label, strlen(label), data, sizeof data - 1, sk, &doc, &d), 0);
    CHECK_INT(aib_label_binding_verify(doc.data, doc.len, data, sizeof data - 1, pk, &got, kind, &d), 0);
    CHECK_STR(got.data, label);
    CHECK_STR(kind, "banner");
    /* data changed */
    CHECK_INT(aib_label_binding_verify(doc.data, doc.len, (const uint8_t *)"hypersonic", 10, pk, NULL, NULL, &d), AIB_EDENIED);
    CHECK(strstr(d.msg, "data") != NULL);
    /* another trusted key */
    CHECK_INT(aib_label_binding_verify(doc.data, doc.len, data, sizeof data - 1, pk2, NULL, NULL, &d), AIB_EDENIED);
    /* label changed in the document: AUS -> FRA */
    p = strstr(doc.data, "AUS");
    CHECK(p != NULL);
    if (p) {
        memcpy(p, "FRA", 3);
        CHECK_INT(aib_label_binding_verify(doc.data, doc.len, data, sizeof data - 1, pk, NULL, NULL, &d), AIB_EDENIED);
        CHECK(strstr(d.msg, "signature") != NULL);
        memcpy(p, "AUS", 3);
    }
    /* signature changed */
    p = strstr(doc.data, "\"signature\":\"");
    if (p) {
        p += 13;
        *p = *p == 'a' ? 'b' : 'a';
        CHECK_INT(aib_label_binding_verify(doc.data, doc.len, data, sizeof data - 1, pk, NULL, NULL, &d), AIB_EDENIED);
    }
    /* malformed documents */
    CHECK_INT(aib_label_binding_verify("{", 1, data, 1, pk, NULL, NULL, &d), AIB_EPARSE);
    CHECK_INT(aib_label_binding_verify("{\"version\":1}", 13, data, 1, pk, NULL, NULL, &d), AIB_EPARSE);
    CHECK_INT(aib_label_binding_verify("[]", 2, data, 1, pk, NULL, NULL, &d), AIB_EPARSE);
    CHECK(aib_label_bind("Bad Kind", label, strlen(label), data, 1, sk, &doc, &d) == AIB_EINVAL);
    /* canonical encoding is deterministic and covers the label kind */
    CHECK_INT(aib_label_binding_canonical("banner", label, strlen(label), data, 3, &canon1), 0);
    CHECK_INT(aib_label_binding_canonical("xml", label, strlen(label), data, 3, &canon2), 0);
    CHECK(canon1.len && strncmp(canon1.data, "aib-label-binding/1\nbanner\n", 27) == 0);
    CHECK(canon1.len != canon2.len || memcmp(canon1.data, canon2.data, canon1.len) != 0);
    aib_buf_free(&doc);
    aib_buf_free(&got);
    aib_buf_free(&canon1);
    aib_buf_free(&canon2);
}

TEST(label_key_files)
{
    uint8_t pk[AIB_LABEL_PK_BYTES], sk[AIB_LABEL_SK_BYTES], pk2[AIB_LABEL_PK_BYTES], sk2[AIB_LABEL_SK_BYTES];
    char dir[] = "/tmp/aib-label-keys.XXXXXX", sec[300], pub[300], junk[300];
    bool secret = false;
    aib_diag_t d;
    FILE *f;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(sec, sizeof sec, "%s/k.sec", dir);
    snprintf(pub, sizeof pub, "%s/k.pub", dir);
    snprintf(junk, sizeof junk, "%s/junk", dir);
    CHECK_INT(aib_label_keygen(pk, sk), 0);
    CHECK_INT(aib_label_key_save(sec, sk, true, &d), 0);
    CHECK_INT(aib_label_key_save(pub, pk, false, &d), 0);
    CHECK_INT(aib_label_key_save(sec, sk, true, &d), AIB_EEXIST);
    CHECK_INT(aib_label_key_load(sec, pk2, sk2, &secret, &d), 0);
    CHECK(secret && memcmp(pk, pk2, sizeof pk) == 0 && memcmp(sk, sk2, sizeof sk) == 0);
    memset(pk2, 0, sizeof pk2);
    CHECK_INT(aib_label_key_load(pub, pk2, sk2, &secret, &d), 0);
    CHECK(!secret && memcmp(pk, pk2, sizeof pk) == 0);
    f = fopen(junk, "w");
    if (f) {
        fputs("aib-ed25519-public 1234\n", f);
        fclose(f);
    }
    CHECK_INT(aib_label_key_load(junk, pk2, sk2, &secret, &d), AIB_EPARSE);
    unlink(sec);
    unlink(pub);
    unlink(junk);
    rmdir(dir);
}
