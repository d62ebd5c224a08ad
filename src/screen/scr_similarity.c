/* scr_similarity.c — string measures for folded name tokens: a simplified phonetic key (consonant
 * classes, vowels dropped, so "muhammad", "mohamed" and Arabic-transliterated "mhmd" agree),
 * Jaro-Winkler and Levenshtein distance. */
#include "screen/screen_int.h"

#include <string.h>

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

void aib_screen_phonetic(const char *t, size_t len, char *key, size_t cap)
{
    size_t i, n = 0;
    char last = 0;

    if (cap == 0)
        return;
    key[0] = '\0';
    if (len == 0 || cap < 2)
        return;
    for (i = 0; i < len && n + 1 < cap; i++) {
        char c = t[i], nx = i + 1 < len ? t[i + 1] : 0, code = 0;
        if (c >= '0' && c <= '9') {
            code = c;
        } else if (vowel(c) || c == 'y' || c == 'w') {
            if (i == 0)
                code = 'A'; /* an initial vowel sound; Osama/Usama, Yusuf/Iosif share it */
            else
                continue; /* vowels are not written in Arabic or Hebrew transliterations */
            if (c == 'y' || c == 'w')
                code = c == 'y' ? 'A' : 'F';
        } else {
            switch (c) {
            case 'b': case 'p': code = 'P'; break;
            case 'f': case 'v': code = 'F'; break;
            case 'd': case 't': code = 'T'; break;
            case 's': case 'z': case 'x': code = 'S'; break;
            case 'c': code = (nx == 'e' || nx == 'i' || nx == 'y') ? 'S' : (nx == 'h' ? 'S' : 'K'); break;
            case 'k': case 'q': case 'g': code = 'K'; break;
            case 'j': code = 'J'; break;
            case 'l': code = 'L'; break;
            case 'm': code = 'M'; break;
            case 'n': code = 'N'; break;
            case 'r': code = 'R'; break;
            case 'h':
                if (i == 0)
                    code = 'H';
                else
                    continue; /* kh, gh, sh, th, dh and silent h follow the previous sound */
                break;
            default: continue;
            }
            if (c == 'p' && nx == 'h')
                code = 'F';
            if ((c == 's' || c == 'z') && nx == 'h')
                code = 'X';
        }
        if (code == last && n > 0)
            continue;
        key[n++] = code;
        last = code;
        if (code == 'A' && i == 0)
            last = 0;
    }
    key[n] = '\0';
}

double aib_screen_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    bool ma[64] = {false}, mb[64] = {false};
    size_t i, j, m = 0, t = 0, win, k, prefix = 0;
    double jaro;

    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    win = (la > lb ? la : lb) / 2;
    win = win > 0 ? win - 1 : 0;
    for (i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    for (i = 0, k = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    jaro = ((double)m / (double)la + (double)m / (double)lb + ((double)m - (double)t / 2.0) / (double)m) / 3.0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

size_t aib_screen_levenshtein(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[256], i, j;

    if (la > 255)
        la = 255;
    if (lb > 255)
        lb = 255;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}
