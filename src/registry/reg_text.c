/* reg_text.c — the registry's text primitives: a small word tokenizer (lower-case, stopwords
 * dropped, light plural stemming), MinHash signatures and exact Jaccard similarity for
 * near-duplicate detection, and safe FTS5 query construction (every term quoted, so user text
 * never reaches the FTS5 query grammar). */
#include "registry_int.h"

#include <stdlib.h>
#include <string.h>

/* English function words that carry no topic; summaries are short, so these would dominate. */
static const char *const stopwords[] = {
    "about", "above", "across", "after", "again", "against", "all", "also", "among", "and", "any",
    "are", "as", "at", "based", "be", "been", "being", "between", "both", "but", "by", "can",
    "could", "each", "for", "from", "has", "have", "how", "in", "into", "is", "it", "its", "may",
    "more", "most", "new", "not", "of", "on", "one", "or", "other", "our", "over", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "two", "under", "use", "used", "using", "was", "way", "we", "were", "what", "when",
    "where", "which", "while", "who", "will", "with", "within", "would", "you", "your"
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_stop(const char *w)
{
    size_t lo = 0, hi = sizeof(stopwords) / sizeof(stopwords[0]);

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(stopwords[mid], w);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int aib__registry_terms(const char *text, size_t len, aib_arena_t *arena, const char ***terms,
                        size_t *n)
{
    const char **t = aib_arena_calloc(arena, AIB__REG_MAX_TERMS, sizeof(char *));
    size_t i = 0, k = 0, j, m;
    char w[64];

    *terms = NULL;
    *n = 0;
    if (!t)
        return AIB_ENOMEM;
    while (i < len && k < AIB__REG_MAX_TERMS) {
        size_t wl = 0;
        int digits = 1;

        while (i < len && !word_byte((unsigned char)text[i]))
            i++;
        while (i < len && word_byte((unsigned char)text[i])) {
            unsigned char c = (unsigned char)text[i++];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            if (!(c >= '0' && c <= '9'))
                digits = 0;
            if (wl < sizeof(w) - 1)
                w[wl++] = (char)c;
        }
        w[wl] = '\0';
        if (wl < 3 || digits || is_stop(w))
            continue;
        /* plural -> singular, the cheapest stemming that still joins "sensors" and "sensor" */
        if (wl > 4 && w[wl - 1] == 's' && w[wl - 2] != 's' && w[wl - 2] != 'u' && w[wl - 2] != 'i')
            w[--wl] = '\0';
        if (!(t[k] = aib_arena_strndup(arena, w, wl)))
            return AIB_ENOMEM;
        k++;
    }
    qsort(t, k, sizeof(char *), cmp_str);
    for (j = 0, m = 0; j < k; j++)
        if (m == 0 || strcmp(t[m - 1], t[j]))
            t[m++] = t[j];
    *terms = t;
    *n = m;
    return 0;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void aib__registry_minhash(const char *const *terms, size_t n, uint32_t sig[AIB__REG_MINHASH])
{
    size_t i, k;

    for (k = 0; k < AIB__REG_MINHASH; k++)
        sig[k] = UINT32_MAX;
    for (i = 0; i < n; i++) {
        uint64_t h = fnv1a(terms[i]);
        for (k = 0; k < AIB__REG_MINHASH; k++) {
            uint32_t v = (uint32_t)(mix(h ^ (0x5851f42d4c957f2dULL * (k + 1))) >> 32);
            if (v < sig[k])
                sig[k] = v;
        }
    }
}

double aib__registry_jaccard(const char *const *a, size_t na, const char *const *b, size_t nb,
                             const char **common, size_t cap, size_t *n_common)
{
    size_t i = 0, j = 0, inter = 0;

    if (n_common)
        *n_common = 0;
    while (i < na && j < nb) {
        int c = strcmp(a[i], b[j]);
        if (c == 0) {
            if (common && n_common && *n_common < cap)
                common[(*n_common)++] = a[i];
            inter++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    if (na + nb - inter == 0)
        return 0.0;
    return (double)inter / (double)(na + nb - inter);
}

int aib__registry_fts_query(const char *const *terms, size_t n, bool any, aib_buf_t *out)
{
    size_t i;
    int rc = 0;

    for (i = 0; !rc && i < n; i++) {
        const char *p;

        if (i)
            rc = aib_buf_puts(out, any ? " OR " : " ");
        if (!rc)
            rc = aib_buf_putc(out, '"');
        for (p = terms[i]; !rc && *p; p++)
            rc = *p == '"' ? aib_buf_puts(out, "\"\"") : aib_buf_putc(out, *p);
        if (!rc)
            rc = aib_buf_putc(out, '"');
    }
    return rc;
}

int aib__registry_query_words(const char *text, aib_arena_t *arena, const char ***words, size_t *n)
{
    size_t len = strlen(text), i = 0, k = 0;
    const char **w = aib_arena_calloc(arena, 64, sizeof(char *));

    *words = NULL;
    *n = 0;
    if (!w)
        return AIB_ENOMEM;
    /* Search words are kept as typed (lower-cased; two letters such as "ai" count): the FTS5
     * porter tokenizer stems them the same way it stemmed the indexed text. */
    while (i < len && k < 64) {
        size_t start;
        char buf[64];
        size_t bl = 0;

        while (i < len && !word_byte((unsigned char)text[i]))
            i++;
        start = i;
        while (i < len && word_byte((unsigned char)text[i])) {
            unsigned char c = (unsigned char)text[i++];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            if (bl < sizeof(buf) - 1)
                buf[bl++] = (char)c;
        }
        if (i == start)
            break;
        buf[bl] = '\0';
        if (bl < 2 && !(buf[0] >= '0' && buf[0] <= '9'))
            continue;
        if (!(w[k] = aib_arena_strndup(arena, buf, bl)))
            return AIB_ENOMEM;
        k++;
    }
    *words = w;
    *n = k;
    return 0;
}
