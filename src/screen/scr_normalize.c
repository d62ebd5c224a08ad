/* scr_normalize.c — turns a name in any script into the matcher's folded form: ICU transliteration to
 * Latin ASCII (Cyrillic, Arabic, Greek, Han, Hangul, ...), lower case, punctuation folded, company
 * legal forms canonicalised (kept as weak tokens), and "SURNAME, Given" reordered for persons.
 * Also the tokeniser that classifies tokens (legal form, particle, initial, generic word). */
#include "screen/screen_int.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* One transliterator for the process: opening it costs milliseconds, using it microseconds. */
static UTransliterator *g_trans;
static bool g_trans_failed;

static UTransliterator *translit(void)
{
    if (!g_trans && !g_trans_failed) {
        static const UChar id[] = u"Any-Latin; Latin-ASCII";
        UErrorCode err = U_ZERO_ERROR;
        g_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
        if (U_FAILURE(err)) {
            g_trans = NULL;
            g_trans_failed = true;
        }
    }
    return g_trans;
}

void aib_screen_shutdown(void)
{
    if (g_trans)
        utrans_close(g_trans);
    g_trans = NULL;
}

/* Legal forms: folded variant (space-separated tokens) -> canonical token. Sources and
 * jurisdictions: data/screen/legal-forms.tsv (ISO 20275 ELF code list and national registers). */
static const struct {
    const char *variant;
    const char *canon;
} LEGAL[] = {
    {"llc", "llc"}, {"l l c", "llc"}, {"limited liability company", "llc"},
    {"limited liability co", "llc"}, {"limited liability corporation", "llc"},
    {"ltd", "ltd"}, {"limited", "ltd"}, {"ltda", "ltd"}, {"limitada", "ltd"},
    {"co", "co"}, {"company", "co"}, {"cie", "co"}, {"compania", "co"}, {"companhia", "co"},
    {"compagnie", "co"}, {"sherkat", "co"}, {"sharikat", "co"}, {"gongsi", "co"}, {"gong si", "co"},
    {"corp", "corp"}, {"corporation", "corp"}, {"corpn", "corp"},
    {"inc", "inc"}, {"incorporated", "inc"},
    {"plc", "plc"}, {"public limited company", "plc"}, {"public limited co", "plc"},
    {"gmbh", "gmbh"}, {"gesellschaft mit beschrankter haftung", "gmbh"}, {"gesmbh", "gmbh"},
    {"ges m b h", "gmbh"},
    {"ag", "ag"}, {"aktiengesellschaft", "ag"},
    {"kg", "kg"}, {"kommanditgesellschaft", "kg"},
    {"ooo", "ooo"}, {"obshchestvo s ogranichennoy otvetstvennostyu", "ooo"},
    {"obshchestvo s ogranichennoi otvetstvennostiu", "ooo"},
    {"obshchestvo s ogranichennoi otvetstvennostyu", "ooo"},
    {"obshestvo s ogranichennoy otvetstvennostyu", "ooo"},
    {"obschestvo s ogranichennoy otvetstvennostyu", "ooo"},
    {"obsestvo s ogranicennoj otvetstvennostu", "ooo"},
    {"tov", "tov"}, {"tovarystvo z obmezhenoyu vidpovidalnistyu", "tov"},
    {"too", "too"},
    {"ao", "ao"}, {"aktsionernoe obshchestvo", "ao"}, {"aktsionernoye obshchestvo", "ao"},
    {"akcionernoe obsestvo", "ao"},
    {"oao", "oao"}, {"otkrytoe aktsionernoe obshchestvo", "oao"}, {"otkrytoe akcionernoe obsestvo", "oao"},
    {"zao", "zao"}, {"zakrytoe aktsionernoe obshchestvo", "zao"}, {"zakrytoe akcionernoe obsestvo", "zao"},
    {"pao", "pao"}, {"publichnoe aktsionernoe obshchestvo", "pao"}, {"publicnoe akcionernoe obsestvo", "pao"},
    {"jsc", "jsc"}, {"joint stock company", "jsc"}, {"jointstock company", "jsc"}, {"joint stock co", "jsc"},
    {"ojsc", "ojsc"}, {"open joint stock company", "ojsc"}, {"open joint stock co", "ojsc"},
    {"cjsc", "cjsc"}, {"closed joint stock company", "cjsc"}, {"closed joint stock co", "cjsc"},
    {"pjsc", "pjsc"}, {"public joint stock company", "pjsc"}, {"public joint stock co", "pjsc"},
    {"sa", "sa"}, {"sociedad anonima", "sa"}, {"societe anonyme", "sa"}, {"sociedade anonima", "sa"},
    {"societa anonima", "sa"},
    {"sas", "sas"}, {"societe par actions simplifiee", "sas"},
    {"sarl", "sarl"}, {"societe a responsabilite limitee", "sarl"},
    {"srl", "srl"}, {"societa a responsabilita limitata", "srl"},
    {"sociedad de responsabilidad limitada", "srl"},
    {"spa", "spa"}, {"societa per azioni", "spa"},
    {"sl", "sl"}, {"sociedad limitada", "sl"},
    {"cv", "cv"}, {"capital variable", "cv"}, {"s de rl", "sderl"},
    {"bv", "bv"}, {"besloten vennootschap", "bv"},
    {"nv", "nv"}, {"naamloze vennootschap", "nv"},
    {"ab", "ab"}, {"aktiebolag", "ab"}, {"aktiebolaget", "ab"},
    {"oy", "oy"}, {"osakeyhtio", "oy"}, {"oyj", "oyj"},
    {"as", "as"}, {"aksjeselskap", "as"}, {"anonim sirketi", "as"},
    {"kft", "kft"}, {"zrt", "zrt"}, {"nyrt", "nyrt"},
    {"sro", "sro"}, {"spol s r o", "sro"},
    {"doo", "doo"}, {"d o o", "doo"}, {"ad", "ad"}, {"ead", "ead"}, {"eood", "eood"},
    {"sp z o o", "spzoo"}, {"spzoo", "spzoo"}, {"spolka z ograniczona odpowiedzialnoscia", "spzoo"},
    {"pte", "pte"}, {"pvt", "pvt"}, {"private limited", "pvt"},
    {"fze", "fze"}, {"fzco", "fzco"}, {"fzc", "fzc"}, {"fz llc", "llc"},
    {"llp", "llp"}, {"limited liability partnership", "llp"},
    {"lp", "lp"}, {"limited partnership", "lp"},
    {"youxian gongsi", "ltd"}, {"you xian gong si", "ltd"},
    {"youxian zeren gongsi", "llc"}, {"you xian ze ren gong si", "llc"},
    {"kk", "kk"}, {"kabushiki kaisha", "kk"}, {"kabushiki gaisha", "kk"},
    {"pt", "pt"}, {"perseroan terbatas", "pt"}, {"tbk", "tbk"},
    {"bhd", "bhd"}, {"berhad", "bhd"}, {"sdn", "sdn"}, {"sendirian", "sdn"},
};

static const char *const PARTICLES[] = {
    "al", "el", "ul", "bin", "ben", "ibn", "bint", "de", "da", "do", "dos", "das", "del", "della",
    "di", "du", "la", "le", "van", "von", "der", "den", "ter", "the", "of", "and", "y", "e", "et", "und",
};

static const char *const GENERIC[] = {
    "bank", "banco", "trading", "trade", "group", "holding", "holdings", "international", "intl",
    "industrial", "industries", "industry", "general", "services", "service", "enterprise",
    "enterprises", "investment", "investments", "import", "export", "shipping", "national",
    "commercial", "development", "technology", "technologies", "engineering", "construction",
    "foundation", "organization", "organisation", "association", "center", "centre", "global",
    "energy", "finance", "financial", "capital", "resources", "logistics", "electronics",
    "electronic", "research", "institute", "ministry", "agency", "bureau", "store", "factory",
};

static bool word_in(const char *const *set, size_t n, const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (set[i][0] == s[0] && strncmp(set[i], s, len) == 0 && set[i][len] == '\0')
            return true;
    return false;
}

unsigned aib__scr_tok_class(const char *s, size_t len)
{
    unsigned fl = 0;
    size_t i;

    if (len == 1)
        fl |= AIB__SCR_TOK_INITIAL;
    for (i = 0; i < sizeof(LEGAL) / sizeof(LEGAL[0]); i++) {
        const char *c = LEGAL[i].canon;
        if (c[0] == s[0] && strncmp(c, s, len) == 0 && c[len] == '\0') {
            fl |= AIB__SCR_TOK_LEGAL;
            break;
        }
    }
    if (word_in(PARTICLES, sizeof(PARTICLES) / sizeof(PARTICLES[0]), s, len))
        fl |= AIB__SCR_TOK_PARTICLE;
    if (word_in(GENERIC, sizeof(GENERIC) / sizeof(GENERIC[0]), s, len))
        fl |= AIB__SCR_TOK_GENERIC;
    return fl;
}

/* Folds ASCII-or-transliterated text into out: lower case, '.' and apostrophes dropped (so
 * "S.A." is "sa" and "NU'MAN" is "numan"), anything else not a letter or digit separates tokens. */
static int fold_ascii(const char *s, size_t len, aib_buf_t *out)
{
    size_t i;
    bool space = out->len == 0 || out->data[out->len - 1] == ' ';

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0xCA && ch <= 0xCD && i + 1 < len && (unsigned char)s[i + 1] >= 0x80
            && (unsigned char)s[i + 1] <= 0xBF && (ch != 0xCD || (unsigned char)s[i + 1] <= 0xAF)) {
            /* modifier letters and combining marks ICU leaves behind (U+02B0..U+036F): the ayn
             * and hamza signs open a word with a vowel ("ʿumar" ~ "omar"); others are dropped */
            bool sign = ch == 0xCA && ((unsigned char)s[i + 1] == 0xBE || (unsigned char)s[i + 1] == 0xBF);
            i++;
            if (sign && space) {
                if (aib_buf_putc(out, 'a') != 0)
                    return AIB_ENOMEM;
                space = false;
            }
            continue;
        }
        if (ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (aib_buf_putc(out, (char)ch) != 0)
                return AIB_ENOMEM;
            space = false;
        } else if (ch == '.' || ch == '\'' || ch == '`') {
            continue;
        } else if (!space) {
            if (aib_buf_putc(out, ' ') != 0)
                return AIB_ENOMEM;
            space = true;
        }
    }
    return 0;
}

/* Arabic writes the article and "abd" joined to the next word ("السعادي", "عبدالغفار"); Latin
 * spellings separate them ("al-Sa'adi", "Abdul Ghafar"). Splits them in the Arabic text. */
static int split_arabic(const char *s, size_t len, aib_buf_t *out)
{
    static const char AL[] = "\xD8\xA7\xD9\x84", ABD[] = "\xD8\xB9\xD8\xA8\xD8\xAF";
    size_t i = 0;
    bool word_start = true;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (word_start && len - i >= 5 + 4 + 4 && memcmp(s + i, ABD, 6) == 0 && memcmp(s + i + 6, AL, 4) == 0) {
            if (aib_buf_append(out, ABD, 6) != 0 || aib_buf_putc(out, ' ') != 0)
                return AIB_ENOMEM;
            i += 6;
            continue;
        }
        if (word_start && len - i >= 4 + 4 && memcmp(s + i, AL, 4) == 0 && (unsigned char)s[i + 4] >= 0xD8
            && (unsigned char)s[i + 4] <= 0xDB) {
            if (aib_buf_append(out, AL, 4) != 0 || aib_buf_putc(out, ' ') != 0)
                return AIB_ENOMEM;
            i += 4;
            word_start = false;
            continue;
        }
        word_start = c == ' ' || c == '-' || c == ',' || c == '\t';
        if (aib_buf_putc(out, (char)c) != 0)
            return AIB_ENOMEM;
        i++;
    }
    return 0;
}

static int fold_text_icu(const char *s, size_t len, aib_buf_t *out);

/* Transliterates UTF-8 text to Latin ASCII and folds it (appending to out). Pure ASCII skips ICU. */
static int fold_text(const char *s, size_t len, aib_buf_t *out)
{
    size_t i;
    bool arabic = false;
    for (i = 0; i + 1 < len; i++)
        if ((unsigned char)s[i] >= 0xD8 && (unsigned char)s[i] <= 0xDB)
            arabic = true;
    if (arabic) {
        aib_buf_t tmp;
        int rc;
        aib_buf_init(&tmp);
        rc = split_arabic(s, len, &tmp);
        if (rc == 0)
            rc = fold_text_icu(tmp.data ? tmp.data : "", tmp.len, out);
        aib_buf_free(&tmp);
        return rc;
    }
    return fold_text_icu(s, len, out);
}

static int fold_text_icu(const char *s, size_t len, aib_buf_t *out)
{
    UChar stackbuf[512], *u = stackbuf;
    char stackout[1024], *o = stackout;
    int32_t ulen = 0, cap, limit, olen = 0;
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t;
    size_t i;
    int rc = 0;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            break;
    if (i == len)
        return fold_ascii(s, len, out);
    if (len > 4096)
        len = 4096; /* names are short; bound the work */
    t = translit();
    cap = (int32_t)(sizeof(stackbuf) / sizeof(stackbuf[0]));
    if ((int32_t)len * 4 + 64 > cap) {
        cap = (int32_t)len * 4 + 64;
        u = malloc((size_t)cap * sizeof(UChar));
        if (!u)
            return AIB_ENOMEM;
    }
    u_strFromUTF8WithSub(u, cap, &ulen, s, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) {
        rc = fold_ascii(s, len, out); /* cannot happen with the sizes above; degrade gracefully */
        goto done;
    }
    if (t) {
        limit = ulen;
        utrans_transUChars(t, u, &ulen, cap, 0, &limit, &err);
        if (U_FAILURE(err)) {
            err = U_ZERO_ERROR;
            u_strFromUTF8WithSub(u, cap, &ulen, s, (int32_t)len, 0xFFFD, NULL, &err);
        }
    }
    err = U_ZERO_ERROR;
    u_strToUTF8WithSub(o, (int32_t)sizeof(stackout), &olen, u, ulen, 0xFFFD, NULL, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        o = malloc((size_t)olen + 1);
        if (!o) {
            o = stackout;
            rc = AIB_ENOMEM;
            goto done;
        }
        err = U_ZERO_ERROR;
        u_strToUTF8WithSub(o, olen + 1, &olen, u, ulen, 0xFFFD, NULL, &err);
    }
    if (U_FAILURE(err) && err != U_STRING_NOT_TERMINATED_WARNING) {
        rc = fold_ascii(s, len, out);
        goto done;
    }
    rc = fold_ascii(o, (size_t)olen, out);
done:
    if (u != stackbuf)
        free(u);
    if (o != stackout)
        free(o);
    return rc;
}

/* Rewrites tokens of folded text in place into out, replacing legal-form phrases (longest first)
 * by their canonical token. */
static int canon_legal(const char *text, aib_buf_t *out, bool *has_legal)
{
    aib__scr_tok_t toks[64];
    size_t n = 0, i, k;
    const char *p = text;

    *has_legal = false;
    while (*p && n < 64) {
        const char *st;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        st = p;
        while (*p && *p != ' ')
            p++;
        toks[n].s = st;
        toks[n].len = (uint16_t)(p - st);
        n++;
    }
    for (i = 0; i < n;) {
        size_t best_len = 0;
        const char *best = NULL;
        for (k = 0; k < sizeof(LEGAL) / sizeof(LEGAL[0]); k++) {
            const char *v = LEGAL[k].variant;
            size_t j = i, used = 0;
            bool ok = true;
            if (v[0] != toks[i].s[0])
                continue;
            while (*v) {
                const char *e = strchr(v, ' ');
                size_t vl = e ? (size_t)(e - v) : strlen(v);
                if (j >= n || toks[j].len != vl || memcmp(toks[j].s, v, vl) != 0) {
                    ok = false;
                    break;
                }
                j++;
                used++;
                v += vl;
                if (*v == ' ')
                    v++;
            }
            if (ok && used > best_len) {
                best_len = used;
                best = LEGAL[k].canon;
            }
        }
        if (out->len && aib_buf_putc(out, ' ') != 0)
            return AIB_ENOMEM;
        if (best && (n > best_len || best_len > 1)) {
            /* a whole name that is just "co" or "as" stays as written */
            if (aib_buf_puts(out, best) != 0)
                return AIB_ENOMEM;
            *has_legal = true;
            i += best_len;
        } else {
            if (aib_buf_append(out, toks[i].s, toks[i].len) != 0)
                return AIB_ENOMEM;
            i++;
        }
    }
    return 0;
}

int aib_screen_normalize(const char *name, size_t len, aib_screen_schema_t schema, aib_buf_t *out)
{
    aib_buf_t raw, canon;
    const char *comma = NULL;
    bool has_legal = false;
    size_t i, n_commas = 0;
    int rc;

    aib_buf_init(&raw);
    aib_buf_init(&canon);
    aib_buf_clear(out);
    for (i = 0; i < len; i++)
        if (name[i] == ',') {
            n_commas++;
            if (!comma)
                comma = name + i;
        }
    rc = fold_text(name, len, &raw);
    if (rc == 0)
        rc = canon_legal(raw.data ? raw.data : "", &canon, &has_legal);
    if (rc != 0)
        goto done;
    if (n_commas == 1 && !has_legal && (schema == AIB_SCREEN_PERSON || schema == AIB_SCREEN_ANY)) {
        /* "SURNAME, Given" -> "Given SURNAME": fold both parts, given names first */
        aib_buf_t a, b;
        aib_buf_init(&a);
        aib_buf_init(&b);
        rc = fold_text(name, (size_t)(comma - name), &a);
        if (rc == 0)
            rc = fold_text(comma + 1, len - (size_t)(comma + 1 - name), &b);
        if (rc == 0 && a.len && b.len) {
            aib_buf_clear(&raw);
            rc = aib_buf_append(&raw, b.data, b.len);
            if (rc == 0 && raw.len && raw.data[raw.len - 1] != ' ')
                rc = aib_buf_putc(&raw, ' ');
            if (rc == 0)
                rc = aib_buf_append(&raw, a.data, a.len);
            aib_buf_clear(&canon);
            if (rc == 0)
                rc = canon_legal(raw.data, &canon, &has_legal);
        }
        aib_buf_free(&a);
        aib_buf_free(&b);
        if (rc != 0)
            goto done;
    }
    rc = aib_buf_append(out, canon.data ? canon.data : "", canon.len);
    while (rc == 0 && out->len && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
done:
    aib_buf_free(&raw);
    aib_buf_free(&canon);
    return rc == 0 ? 0 : AIB_ENOMEM;
}

size_t aib__scr_tokenize(const char *text, aib__scr_tok_t *toks, size_t cap)
{
    size_t n = 0;
    const char *p = text;

    while (*p && n < cap) {
        const char *st;
        unsigned fl;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        st = p;
        while (*p && *p != ' ')
            p++;
        if (p - st > 60)
            continue; /* not a name token */
        toks[n].s = st;
        toks[n].len = (uint16_t)(p - st);
        fl = aib__scr_tok_class(st, toks[n].len);
        toks[n].flags = (uint8_t)fl;
        aib_screen_phonetic(st, toks[n].len, toks[n].key, sizeof(toks[n].key));
        toks[n].w = (fl & AIB__SCR_TOK_LEGAL) ? 0.15f
                    : (fl & AIB__SCR_TOK_PARTICLE) ? 0.3f
                    : (fl & AIB__SCR_TOK_INITIAL) ? 0.4f
                    : (fl & AIB__SCR_TOK_GENERIC) ? 0.5f
                    : 1.0f;
        n++;
    }
    return n;
}
