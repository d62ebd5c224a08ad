/* ext_decimal.c — Cedar's `decimal` extension literal: fixed point with four fractional digits,
 * stored as value * 10^4 in an int64. Parsing follows the reference exactly (optional '-', at
 * least one digit, '.', one to four digits, the scaled value must fit in 64 bits). The methods
 * (lessThan, ...) are dispatched from ext.c. */
#include "cedar/ext_int.h"

#include <stdio.h>
#include <string.h>

#define DEC_DIGITS 4
#define DEC_SCALE 10000

enum { DEC_MALFORMED, DEC_TOO_MANY_DIGITS, DEC_OVERFLOW };

/* Digits are accumulated as a negative number so that INT64_MIN (a valid decimal
 * "-922337203685477.5808") is reachable; positive results are negated at the end. */
static int parse(const char *s, size_t len, int64_t *out, int *why)
{
    size_t i = 0, int_start, int_len, frac_start, frac_len, k;
    bool neg = false;
    int64_t acc = 0;

    if (len > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    int_len = i - int_start;
    *why = DEC_MALFORMED;
    if (int_len == 0 || i >= len || s[i] != '.')
        return AIB_EINVAL;
    i++;
    frac_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    frac_len = i - frac_start;
    if (frac_len == 0 || i != len)
        return AIB_EINVAL;
    *why = DEC_TOO_MANY_DIGITS;
    if (frac_len > DEC_DIGITS)
        return AIB_EINVAL;
    *why = DEC_OVERFLOW;
    for (k = 0; k < int_len; k++) {
        int d = s[int_start + k] - '0';
        if (acc < (INT64_MIN + d) / 10)
            return AIB_EINVAL;
        acc = acc * 10 - d;
    }
    if (acc < INT64_MIN / DEC_SCALE)
        return AIB_EINVAL;
    acc *= DEC_SCALE;
    {
        int64_t frac = 0, mul = DEC_SCALE;
        for (k = 0; k < frac_len; k++) {
            frac = frac * 10 + (s[frac_start + k] - '0');
            mul /= 10;
        }
        frac *= mul;
        if (acc < INT64_MIN + frac)
            return AIB_EINVAL;
        acc -= frac;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return AIB_EINVAL;
        acc = -acc;
    }
    *out = acc;
    return 0;
}

int aib__decimal_parse_msg(const char *s, size_t len, int64_t *out, char *msg, size_t cap)
{
    int why = DEC_MALFORMED;
    int rc = parse(s, len, out, &why);

    if (rc != 0 && msg && cap) {
        if (why == DEC_MALFORMED)
            snprintf(msg, cap, "`%.*s` is not a well-formed decimal value", (int)(len > 200 ? 200 : len), s);
        else if (why == DEC_TOO_MANY_DIGITS)
            snprintf(msg, cap, "too many digits after the decimal in `%.*s`", (int)(len > 200 ? 200 : len), s);
        else
            snprintf(msg, cap, "overflow when converting to decimal");
    }
    return rc;
}

int aib__decimal_parse(const char *s, size_t len, int64_t *out)
{
    return aib__decimal_parse_msg(s, len, out, NULL, 0);
}

/* Always four fractional digits, so the text re-parses to the same value ("-0.5000" keeps
 * its sign). */
int aib__decimal_format(int64_t v, aib_buf_t *out)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    return aib_buf_printf(out, "%s%llu.%04llu", v < 0 ? "-" : "",
                          (unsigned long long)(mag / DEC_SCALE), (unsigned long long)(mag % DEC_SCALE));
}
