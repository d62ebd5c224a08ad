/* test_screen.c — unit tests of the screening name pipeline: folding and transliteration, legal
 * forms, name order, phonetic keys, string measures, pairwise scores, SHA-256, country codes. */
#include "test.h"

#include <stdlib.h>

#include "aib/screen.h"
#include "screen/screen_int.h"

static const char *norm(const char *s, aib_screen_schema_t schema)
{
    static char out[512];
    aib_buf_t b;
    aib_buf_init(&b);
    if (aib_screen_normalize(s, strlen(s), schema, &b) != 0) {
        aib_buf_free(&b);
        return "(error)";
    }
    snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return out;
}

static double pair(const char *a, const char *b, aib_screen_schema_t s)
{
    double sc = -1;
    CHECK_INT(aib_screen_pair(a, b, s, &sc, NULL), 0);
    return sc;
}

TEST(screen_normalize_ascii_folding)
{
    CHECK_STR(norm("  BANCO   Nacional de CUBA ", AIB_SCREEN_COMPANY), "banco nacional de cuba");
    CHECK_STR(norm("NU'MAN ALAEDDIN", AIB_SCREEN_COMPANY), "numan alaeddin");
    CHECK_STR(norm("AL-ZAWAHIRI", AIB_SCREEN_COMPANY), "al zawahiri");
    CHECK_STR(norm("", AIB_SCREEN_ANY), "");
    CHECK_STR(norm("!!!", AIB_SCREEN_ANY), "");
}

TEST(screen_normalize_transliterates_scripts)
{
    CHECK_STR(norm("Владимир Путин", AIB_SCREEN_PERSON), "vladimir putin");
    CHECK_STR(norm("Müller Straße", AIB_SCREEN_PERSON), "muller strasse");
    CHECK_STR(norm("习近平", AIB_SCREEN_PERSON), "xi jin ping");
    CHECK_STR(norm("Αλέξης Τσίπρας", AIB_SCREEN_PERSON), "alexes tsipras");
    /* Arabic: the article is split from the word, the ayn opens the word with a vowel */
    CHECK_STR(norm("منصور السعادي", AIB_SCREEN_PERSON), "mnswr al sady");
    CHECK_STR(norm("عمر", AIB_SCREEN_PERSON), "amr");
    CHECK(strlen(norm("김정은", AIB_SCREEN_PERSON)) > 0);
}

TEST(screen_normalize_legal_forms_kept_as_canonical_tokens)
{
    CHECK_STR(norm("Siemens Aktiengesellschaft", AIB_SCREEN_COMPANY), "siemens ag");
    CHECK_STR(norm("Acme Limited Liability Company", AIB_SCREEN_COMPANY), "acme llc");
    CHECK_STR(norm("CECOEX, S.A.", AIB_SCREEN_COMPANY), "cecoex sa");
    CHECK_STR(norm("Общество с ограниченной ответственностью Ромашка", AIB_SCREEN_COMPANY), "ooo romaska");
    CHECK_STR(norm("Joint Stock Co. STAR", AIB_SCREEN_COMPANY), "jsc star");
    CHECK_STR(norm("ANGLO-CARIBBEAN CO., LTD.", AIB_SCREEN_ANY), "anglo caribbean co ltd");
    /* a name that is only a legal-form word stays as written */
    CHECK_STR(norm("Company", AIB_SCREEN_COMPANY), "company");
}

TEST(screen_normalize_name_order)
{
    CHECK_STR(norm("ZAHHAR, Mahmoud Khaled", AIB_SCREEN_PERSON), "mahmoud khaled zahhar");
    CHECK_STR(norm("ZAHHAR, Mahmoud", AIB_SCREEN_ANY), "mahmoud zahhar");
    /* companies keep their order, and a legal form means it is not "SURNAME, Given" */
    CHECK_STR(norm("CIMEX, S.A.", AIB_SCREEN_ANY), "cimex sa");
    CHECK_STR(norm("ACME, Trading", AIB_SCREEN_COMPANY), "acme trading");
}

TEST(screen_tokens_are_classified)
{
    aib__scr_tok_t t[8];
    size_t n = aib__scr_tokenize("acme trading al j ltd", t, 8);
    CHECK_INT(n, 5);
    CHECK(t[0].flags == 0 && t[0].w == 1.0f);
    CHECK(t[1].flags & AIB__SCR_TOK_GENERIC);
    CHECK(t[2].flags & AIB__SCR_TOK_PARTICLE);
    CHECK(t[3].flags & AIB__SCR_TOK_INITIAL);
    CHECK(t[4].flags & AIB__SCR_TOK_LEGAL);
    CHECK(t[4].w < t[2].w && t[2].w < t[0].w);
}

TEST(screen_phonetic_keys)
{
    char a[16], b[16], c[16];
    aib_screen_phonetic("muhammad", 8, a, sizeof(a));
    aib_screen_phonetic("mohamed", 7, b, sizeof(b));
    aib_screen_phonetic("mhmd", 4, c, sizeof(c));
    CHECK_STR(a, b);
    CHECK_STR(a, c);
    aib_screen_phonetic("qaddafi", 7, a, sizeof(a));
    aib_screen_phonetic("gadafi", 6, b, sizeof(b));
    CHECK_STR(a, b);
    aib_screen_phonetic("putin", 5, a, sizeof(a));
    aib_screen_phonetic("ivanov", 6, b, sizeof(b));
    CHECK(strcmp(a, b) != 0);
    aib_screen_phonetic("abc", 3, a, 2); /* bounded */
    CHECK_INT(strlen(a), 1);
}

TEST(screen_string_measures)
{
    double jw = aib_screen_jaro_winkler("martha", 6, "marhta", 6);
    CHECK(jw > 0.96 && jw < 0.962);
    CHECK(aib_screen_jaro_winkler("abc", 3, "abc", 3) == 1.0);
    CHECK(aib_screen_jaro_winkler("abc", 3, "xyz", 3) == 0.0);
    CHECK(aib_screen_jaro_winkler("", 0, "", 0) == 1.0);
    CHECK_INT(aib_screen_levenshtein("kitten", 6, "sitting", 7), 3);
    CHECK_INT(aib_screen_levenshtein("", 0, "abc", 3), 3);
}

TEST(screen_pairs_scores_variants_high_and_strangers_low)
{
    CHECK(pair("ZAHHAR, Mahmoud Khaled", "Mahmoud Khaled Zahhar", AIB_SCREEN_PERSON) > 0.9);
    CHECK(pair("Vladimir Putin", "Владимир Путин", AIB_SCREEN_PERSON) > 0.9);
    CHECK(pair("Mahmoud Zahar", "Mahmud al-Zahar", AIB_SCREEN_PERSON) > 0.5);
    CHECK(pair("Siemens AG", "Siemens Aktiengesellschaft", AIB_SCREEN_COMPANY) > 0.9);
    CHECK(pair("Romashka LLC", "OOO Romashka", AIB_SCREEN_COMPANY) > 0.5);
    CHECK(pair("Banco Nacional de Cuba", "Banco Nacionl de Cuba", AIB_SCREEN_COMPANY) > 0.8);
    CHECK(pair("Xi Jinping", "习近平", AIB_SCREEN_PERSON) > 0.5);
    CHECK(pair("Aljarba Tarad", "Al Jarba, Tarad", AIB_SCREEN_PERSON) > 0.8);
    CHECK(pair("Vladimir Putin", "Ivan Petrov", AIB_SCREEN_PERSON) < 0.1);
    CHECK(pair("Bank Melli", "Bank Sepah", AIB_SCREEN_COMPANY) < 0.5);
    CHECK(pair("", "Ivan Petrov", AIB_SCREEN_PERSON) < 0.01);
    /* symmetric */
    CHECK(pair("Acme Trading", "Akme Trading Co", AIB_SCREEN_COMPANY)
          == pair("Akme Trading Co", "Acme Trading", AIB_SCREEN_COMPANY));
}

TEST(screen_pair_explanation)
{
    aib_buf_t ex;
    double sc;
    aib_buf_init(&ex);
    CHECK_INT(aib_screen_pair("Mahmoud Zahar", "ZAHAR, Mahmoud", AIB_SCREEN_PERSON, &sc, &ex), 0);
    CHECK(ex.data && strstr(ex.data, "\"alignment\":[") != NULL);
    CHECK(strstr(ex.data, "\"q\":\"zahar\",\"c\":\"zahar\"") != NULL);
    CHECK(strstr(ex.data, "\"name_logit\"") != NULL);
    aib_buf_free(&ex);
}

TEST(screen_sha256_known_vectors)
{
    char hex[65];
    aib_screen_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    aib_screen_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    aib_screen_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(screen_country_codes)
{
    char c[3];
    CHECK(aib_screen_country_code("Cuba", 4, c) && !strcmp(c, "CU"));
    CHECK(aib_screen_country_code("Korea, North", 12, c) && !strcmp(c, "KP"));
    CHECK(aib_screen_country_code("Iranian", 7, c) && !strcmp(c, "IR"));
    CHECK(aib_screen_country_code("ir", 2, c) && !strcmp(c, "IR"));
    CHECK(aib_screen_country_code("Democratic Republic of the Congo", 32, c) && !strcmp(c, "CD"));
    CHECK(!aib_screen_country_code("Atlantis", 8, c) && c[0] == '\0');
    CHECK(!aib_screen_country_code("QQ", 2, c));
}

TEST(screen_schema_names)
{
    aib_screen_schema_t s;
    CHECK(aib_screen_schema_parse("person", &s) && s == AIB_SCREEN_PERSON);
    CHECK(aib_screen_schema_parse("Organization", &s) && s == AIB_SCREEN_COMPANY);
    CHECK(!aib_screen_schema_parse("planet", &s));
    CHECK_STR(aib_screen_schema_name(AIB_SCREEN_VESSEL), "Vessel");
}

TEST(screen_legal_form_table_matches_data_file)
{
    char *text = NULL, *line, *save = NULL;
    size_t len, n = 0;
    aib_diag_t d;
    if (aib_read_file("data/screen/legal-forms.tsv", &text, &len, &d) != 0)
        return; /* run from the repository root to check the file */
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t'), *tab2, name[256], want[256];
        if (line[0] == '#' || !tab || !strncmp(line, "variant\t", 8))
            continue;
        *tab = '\0';
        tab2 = strchr(tab + 1, '\t');
        if (tab2)
            *tab2 = '\0';
        snprintf(name, sizeof(name), "Acme %s", line);
        snprintf(want, sizeof(want), "acme %s", tab + 1);
        CHECK_STR(norm(name, AIB_SCREEN_COMPANY), want);
        n++;
    }
    CHECK(n > 100);
    free(text);
}
