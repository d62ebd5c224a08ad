/* ext_datetime.c — Cedar's `datetime` and `duration` extension literals: parsing with the
 * reference's accepted forms (YYYY-MM-DD, optionally THH:MM:SS with optional .SSS and a Z or
 * +hhmm/-hhmm offset; durations as d/h/m/s/ms quantities in that order), the canonical text
 * forms, and the calendar arithmetic behind toDate/toTime. Values are int64 milliseconds. */
#include "cedar/ext_int.h"

#include <stdio.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n ASCII digits at s as a number; false when any is not a digit. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0, k;
    for (k = 0; k < n; k++) {
        if (!is_digit(s[k]))
            return false;
        v = v * 10 + (s[k] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

#define SHOW(len) (int)((len) > 64 ? 64 : (len))

/* The reference checks the text's shape left to right first and the calendar values after, so
 * the reasons are reported in that order. */
int aib__datetime_parse_msg(const char *s, size_t len, int64_t *out_ms, char *msg, size_t cap)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0, sign = 0;
    size_t i;
    char dummy[1];

    if (!msg || !cap) {
        msg = dummy;
        cap = sizeof(dummy);
    }
    if (len < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d)) {
        snprintf(msg, cap, "invalid date pattern");
        return AIB_EINVAL;
    }
    i = 10;
    if (i < len) {
        if (len - i < 9 || s[i] != 'T' || !digits(s + i + 1, 2, &h) || s[i + 3] != ':' ||
            !digits(s + i + 4, 2, &mi) || s[i + 6] != ':' || !digits(s + i + 7, 2, &sec)) {
            snprintf(msg, cap, "invalid hour/minute/second pattern");
            return AIB_EINVAL;
        }
        i += 9;
        /* (.SSS)? (Z | [+-]hhmm) to the end */
        if (i < len && s[i] == '.') {
            if (len - i < 4 || !digits(s + i + 1, 3, &ms)) {
                snprintf(msg, cap, "invalid millisecond and/or offset pattern");
                return AIB_EINVAL;
            }
            i += 4;
        }
        if (i < len && s[i] == 'Z' && len - i == 1) {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-') && len - i == 5 && digits(s + i + 1, 2, &oh) &&
                   digits(s + i + 3, 2, &om)) {
            sign = s[i] == '+' ? 1 : -1;
            i += 5;
        } else {
            snprintf(msg, cap, "invalid millisecond and/or offset pattern");
            return AIB_EINVAL;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        snprintf(msg, cap, "invalid date: %.10s", s);
        return AIB_EINVAL;
    }
    if (h > 23 || mi > 59 || sec > 59) {
        snprintf(msg, cap, "invalid hour/minute/second: %.8s", s + 11);
        return AIB_EINVAL;
    }
    if (sign && (oh > 23 || om > 59)) {
        snprintf(msg, cap, "invalid offset range: %d%d", oh, om);
        return AIB_EINVAL;
    }
    /* Years 0000-9999 keep every step far inside int64. */
    *out_ms = days_from_civil(y, mo, d) * MS_PER_DAY +
              ((int64_t)h * 3600 + mi * 60 + sec - (int64_t)sign * (oh * 3600 + om * 60)) * 1000 + ms;
    return 0;
}

int aib__datetime_parse(const char *s, size_t len, int64_t *out_ms)
{
    return aib__datetime_parse_msg(s, len, out_ms, NULL, 0);
}

/* Date only at midnight, seconds without a fraction when it is zero, milliseconds otherwise;
 * always UTC. Every value ever produced by parsing fits the four-digit year form; values moved
 * outside it by offset() are written with a signed extended year (not re-parseable, as in the
 * reference, which has no literal for them either). */
int aib__datetime_format(int64_t ms, aib_buf_t *out)
{
    int64_t days = ms / MS_PER_DAY, rem = ms % MS_PER_DAY, y;
    int m, d, rc;

    if (rem < 0) {
        rem += MS_PER_DAY;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999)
        rc = aib_buf_printf(out, "%04lld-%02d-%02d", (long long)y, m, d);
    else
        rc = aib_buf_printf(out, "%+lld-%02d-%02d", (long long)y, m, d);
    if (rc == 0 && rem != 0) {
        int h = (int)(rem / 3600000), mi = (int)(rem / 60000 % 60), s = (int)(rem / 1000 % 60);
        int f = (int)(rem % 1000);
        if (f)
            rc = aib_buf_printf(out, "T%02d:%02d:%02d.%03dZ", h, mi, s, f);
        else
            rc = aib_buf_printf(out, "T%02d:%02d:%02dZ", h, mi, s);
    }
    return rc;
}

/* ---- duration ------------------------------------------------------------------------------ */

int aib__duration_parse_msg(const char *s, size_t len, int64_t *out_ms, char *msg, size_t cap)
{
    /* Milliseconds per unit d, h, m, s, ms: the only order allowed, each unit at most once. */
    static const int64_t unit_ms[5] = { MS_PER_DAY, 3600000, 60000, 1000, 1 };
    uint64_t qty[5] = { 0 };
    bool seen[5] = { false }, overflow = false, neg = false;
    size_t i = 0;
    int next = 0, u;
    int64_t total;
    char dummy[1];

    if (!msg || !cap) {
        msg = dummy;
        cap = sizeof(dummy);
    }
    if (len > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (len == i)
        goto bad_pattern;
    while (i < len) {
        size_t start = i;
        uint64_t v = 0;
        bool big = false;
        while (i < len && is_digit(s[i])) {
            unsigned dg = (unsigned)(s[i] - '0');
            if (v > (UINT64_MAX - dg) / 10)
                big = true;
            else
                v = v * 10 + dg;
            i++;
        }
        if (i == start || i == len)
            goto bad_pattern;
        if (s[i] == 'm' && i + 1 < len && s[i + 1] == 's') {
            u = 4;
            i += 2;
        } else if (s[i] == 'd') {
            u = 0;
            i++;
        } else if (s[i] == 'h') {
            u = 1;
            i++;
        } else if (s[i] == 'm') {
            u = 2;
            i++;
        } else if (s[i] == 's') {
            u = 3;
            i++;
        } else {
            goto bad_pattern;
        }
        if (u < next)
            goto bad_pattern;
        next = u + 1;
        seen[u] = true;
        qty[u] = v;
        if (big)
            overflow = true;
    }
    if (overflow)
        goto too_big;
    /* Accumulate from milliseconds up, in the direction of the sign, checking every step. */
    total = 0;
    for (u = 4; u >= 0; u--) {
        int64_t part;
        if (!seen[u])
            continue;
        if (qty[u] > (uint64_t)INT64_MAX) {
            /* Only "-9223372036854775808ms" fits beyond INT64_MAX. */
            if (!(neg && u == 4 && qty[u] == (uint64_t)INT64_MAX + 1))
                goto too_big;
            total = INT64_MIN;
            continue;
        }
        if ((int64_t)qty[u] > INT64_MAX / unit_ms[u])
            goto too_big;
        part = (int64_t)qty[u] * unit_ms[u];
        if (neg) {
            if (total < INT64_MIN + part)
                goto too_big;
            total -= part;
        } else {
            if (total > INT64_MAX - part)
                goto too_big;
            total += part;
        }
    }
    *out_ms = total;
    return 0;
bad_pattern:
    snprintf(msg, cap, "invalid duration pattern");
    return AIB_EINVAL;
too_big:
    snprintf(msg, cap, "Duration overflows internal representation");
    return AIB_EINVAL;
}

int aib__duration_parse(const char *s, size_t len, int64_t *out_ms)
{
    return aib__duration_parse_msg(s, len, out_ms, NULL, 0);
}

/* Milliseconds with the "ms" unit, as the reference writes durations; re-parses exactly
 * (INT64_MIN included). */
int aib__duration_format(int64_t ms, aib_buf_t *out)
{
    return aib_buf_printf(out, "%lldms", (long long)ms);
}

int aib__datetime_to_date(int64_t ms, int64_t *out)
{
    int64_t q = ms / MS_PER_DAY;
    if (ms < 0 && ms % MS_PER_DAY != 0) {
        q--;
        if (q < INT64_MIN / MS_PER_DAY)
            return AIB_ELIMIT;
    }
    *out = q * MS_PER_DAY;
    return 0;
}

int64_t aib__datetime_to_time(int64_t ms)
{
    int64_t r = ms % MS_PER_DAY;
    return r < 0 ? r + MS_PER_DAY : r;
}
