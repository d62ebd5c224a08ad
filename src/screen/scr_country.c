/* scr_country.c — country names, codes and nationality adjectives to ISO 3166 alpha-2, so evidence
 * from lists that write "Korea, North", "Burma" or "Iranian" compares with a query's "KP". The
 * English names come from ICU's locale data; list spellings and adjectives are added below. */
#include "screen/screen_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

typedef struct {
    char name[64]; /* folded: lower-case words, sorted, space-separated */
    char code[3];
} cname_t;

static cname_t *g_names;
static size_t g_n;
static bool g_init;

static const char *const EXTRA[][2] = {
    {"korea north", "KP"}, {"north korea", "KP"}, {"dprk", "KP"}, {"korea south", "KR"},
    {"south korea", "KR"}, {"burma", "MM"}, {"russia", "RU"}, {"russian federation", "RU"},
    {"iran", "IR"}, {"syria", "SY"}, {"congo democratic republic of the", "CD"},
    {"democratic republic of the congo", "CD"}, {"drc", "CD"}, {"congo republic of the", "CG"},
    {"republic of the congo", "CG"}, {"palestinian", "PS"}, {"west bank", "PS"}, {"gaza", "PS"},
    {"gaza strip", "PS"}, {"palestine", "PS"}, {"vietnam", "VN"}, {"viet nam", "VN"}, {"laos", "LA"},
    {"ivory coast", "CI"}, {"cote d ivoire", "CI"}, {"czech republic", "CZ"}, {"united states", "US"},
    {"usa", "US"}, {"united states of america", "US"}, {"uk", "GB"}, {"united kingdom", "GB"},
    {"great britain", "GB"}, {"macedonia", "MK"}, {"turkey", "TR"}, {"turkiye", "TR"},
    {"bahamas the", "BS"}, {"gambia the", "GM"}, {"kosovo", "XK"}, {"macau", "MO"}, {"macao", "MO"},
    {"hong kong", "HK"}, {"taiwan", "TW"}, {"bosnia and herzegovina", "BA"}, {"uae", "AE"},
    {"brunei", "BN"}, {"cape verde", "CV"}, {"swaziland", "SZ"}, {"east timor", "TL"},
    {"crimea region of ukraine", "UA"}, {"holy see", "VA"}, {"micronesia federated states of", "FM"},
    {"st kitts and nevis", "KN"}, {"st lucia", "LC"}, {"st vincent and the grenadines", "VC"},
    {"russian", "RU"}, {"iranian", "IR"}, {"syrian", "SY"}, {"iraqi", "IQ"}, {"afghan", "AF"},
    {"pakistani", "PK"}, {"chinese", "CN"}, {"north korean", "KP"}, {"cuban", "CU"},
    {"venezuelan", "VE"}, {"lebanese", "LB"}, {"yemeni", "YE"}, {"somali", "SO"}, {"libyan", "LY"},
    {"sudanese", "SD"}, {"south sudanese", "SS"}, {"saudi", "SA"}, {"saudi arabian", "SA"},
    {"emirati", "AE"}, {"turkish", "TR"}, {"ukrainian", "UA"}, {"belarusian", "BY"},
    {"jordanian", "JO"}, {"egyptian", "EG"}, {"kuwaiti", "KW"}, {"qatari", "QA"}, {"bahraini", "BH"},
    {"indian", "IN"}, {"british", "GB"}, {"american", "US"}, {"german", "DE"}, {"french", "FR"},
    {"spanish", "ES"}, {"italian", "IT"}, {"mexican", "MX"}, {"colombian", "CO"}, {"nigerian", "NG"},
    {"malian", "ML"}, {"kenyan", "KE"}, {"ethiopian", "ET"}, {"eritrean", "ER"}, {"tunisian", "TN"},
    {"algerian", "DZ"}, {"moroccan", "MA"}, {"filipino", "PH"}, {"indonesian", "ID"},
    {"malaysian", "MY"}, {"uzbek", "UZ"}, {"tajik", "TJ"}, {"kazakh", "KZ"}, {"kyrgyz", "KG"},
    {"azerbaijani", "AZ"}, {"armenian", "AM"}, {"georgian", "GE"}, {"burmese", "MM"},
    {"nicaraguan", "NI"}, {"zimbabwean", "ZW"}, {"congolese", "CD"}, {"rwandan", "RW"},
    {"ugandan", "UG"}, {"burundian", "BI"}, {"central african", "CF"}, {"chadian", "TD"},
    {"nigerien", "NE"}, {"mauritanian", "MR"}, {"bosnian", "BA"}, {"serbian", "RS"},
    {"kosovar", "XK"}, {"albanian", "AL"}, {"omani", "OM"}, {"israeli", "IL"}, {"bangladeshi", "BD"},
    {"sri lankan", "LK"}, {"nepali", "NP"}, {"thai", "TH"}, {"vietnamese", "VN"}, {"cambodian", "KH"},
    {"singaporean", "SG"}, {"japanese", "JP"}, {"korean", "KR"}, {"brazilian", "BR"},
    {"argentine", "AR"}, {"peruvian", "PE"}, {"ecuadorian", "EC"}, {"bolivian", "BO"},
    {"paraguayan", "PY"}, {"panamanian", "PA"}, {"guatemalan", "GT"}, {"honduran", "HN"},
    {"salvadoran", "SV"}, {"dominican", "DO"}, {"haitian", "HT"}, {"canadian", "CA"},
    {"australian", "AU"}, {"swiss", "CH"}, {"dutch", "NL"}, {"belgian", "BE"}, {"greek", "GR"},
    {"cypriot", "CY"}, {"maltese", "MT"}, {"polish", "PL"}, {"czech", "CZ"}, {"latvian", "LV"},
    {"lithuanian", "LT"}, {"estonian", "EE"}, {"moldovan", "MD"}, {"romanian", "RO"},
    {"bulgarian", "BG"}, {"hungarian", "HU"}, {"austrian", "AT"}, {"swedish", "SE"},
    {"norwegian", "NO"}, {"danish", "DK"}, {"finnish", "FI"}, {"irish", "IE"}, {"portuguese", "PT"},
    {"south african", "ZA"}, {"tanzanian", "TZ"}, {"mozambican", "MZ"}, {"ghanaian", "GH"},
    {"senegalese", "SN"}, {"cameroonian", "CM"}, {"gabonese", "GA"}, {"guinean", "GN"},
    {"ivorian", "CI"}, {"liberian", "LR"}, {"sierra leonean", "SL"}, {"djiboutian", "DJ"},
    {"turkmen", "TM"}, {"mongolian", "MN"},
};

static int cname_cmp(const void *a, const void *b)
{
    return strcmp(((const cname_t *)a)->name, ((const cname_t *)b)->name);
}

static int word_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lower-case words of s, sorted, joined by single spaces, into out (cap bytes). */
static void fold_name(const char *s, size_t len, char *out, size_t cap)
{
    char tmp[128], *w[16];
    size_t n = 0, i, nw = 0, o = 0;

    for (i = 0; i < len && n + 1 < sizeof(tmp); i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c))
            tmp[n++] = (char)tolower(c);
        else if (c == '\'' || c == '.')
            continue;
        else if (n && tmp[n - 1] != ' ')
            tmp[n++] = ' ';
    }
    while (n && tmp[n - 1] == ' ')
        n--;
    tmp[n] = '\0';
    for (i = 0; i < n && nw < 16;) {
        w[nw++] = &tmp[i];
        while (i < n && tmp[i] != ' ')
            i++;
        if (i < n)
            tmp[i++] = '\0';
    }
    qsort(w, nw, sizeof(w[0]), word_cmp);
    out[0] = '\0';
    for (i = 0; i < nw; i++) {
        size_t l = strlen(w[i]);
        if (o + l + 2 > cap)
            break;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, w[i], l);
        o += l;
        out[o] = '\0';
    }
}

static void init_names(void)
{
    const char *const *iso = uloc_getISOCountries();
    size_t n_iso = 0, n_extra = sizeof(EXTRA) / sizeof(EXTRA[0]), i;

    g_init = true;
    while (iso && iso[n_iso])
        n_iso++;
    g_names = calloc(n_iso + n_extra, sizeof(*g_names));
    if (!g_names)
        return;
    for (i = 0; i < n_iso; i++) {
        char loc[8], disp[128];
        UChar u[128];
        UErrorCode err = U_ZERO_ERROR;
        int32_t k, len;
        snprintf(loc, sizeof(loc), "und_%s", iso[i]);
        len = uloc_getDisplayCountry(loc, "en", u, 128, &err);
        if (U_FAILURE(err) || len <= 0)
            continue;
        for (k = 0; k < len && k < 127; k++)
            disp[k] = u[k] < 128 ? (char)u[k] : (u[k] == 0xF4 ? 'o' : (u[k] == 0xE9 ? 'e' : ' '));
        disp[k] = '\0';
        fold_name(disp, (size_t)k, g_names[g_n].name, sizeof(g_names[g_n].name));
        memcpy(g_names[g_n].code, iso[i], 2);
        g_n++;
    }
    for (i = 0; i < n_extra; i++) {
        fold_name(EXTRA[i][0], strlen(EXTRA[i][0]), g_names[g_n].name, sizeof(g_names[g_n].name));
        memcpy(g_names[g_n].code, EXTRA[i][1], 2);
        g_n++;
    }
    qsort(g_names, g_n, sizeof(*g_names), cname_cmp);
}

static bool valid_code(const char *c)
{
    const char *const *iso = uloc_getISOCountries();
    size_t i;
    if (!strcmp(c, "XK"))
        return true;
    for (i = 0; iso && iso[i]; i++)
        if (!strcmp(iso[i], c))
            return true;
    return false;
}

bool aib_screen_country_code(const char *name, size_t len, char code[3])
{
    cname_t key, *hit;

    code[0] = '\0';
    while (len && isspace((unsigned char)*name)) {
        name++;
        len--;
    }
    while (len && isspace((unsigned char)name[len - 1]))
        len--;
    if (len == 2 && isalpha((unsigned char)name[0]) && isalpha((unsigned char)name[1])) {
        code[0] = (char)toupper((unsigned char)name[0]);
        code[1] = (char)toupper((unsigned char)name[1]);
        code[2] = '\0';
        if (valid_code(code))
            return true;
        code[0] = '\0';
    }
    if (!g_init)
        init_names();
    if (!g_names || len == 0 || len > 100)
        return false;
    fold_name(name, len, key.name, sizeof(key.name));
    hit = bsearch(&key, g_names, g_n, sizeof(*g_names), cname_cmp);
    if (!hit)
        return false;
    memcpy(code, hit->code, 3);
    return true;
}
