/* test_ext.c — Cedar extension functions (src/cedar/ext*.c): literal parsing for decimal, ip,
 * datetime and duration (tables checked against the reference implementation's behaviour,
 * including its error messages), the methods, argument checking, overflow, canonical text
 * forms and __extn construction. */
#include "test.h"
#include "cedar/ext_int.h"

static aib_str_t S(const char *s)
{
    aib_str_t r = { s, strlen(s) };
    return r;
}

static aib__value_t vstr(const char *s)
{
    aib__value_t v;
    v.kind = AIB__V_STRING;
    v.u.s = S(s);
    return v;
}

static int fn_of(const char *kind)
{
    if (!strcmp(kind, "ip"))
        return AIB__FN_IP;
    if (!strcmp(kind, "decimal"))
        return AIB__FN_DECIMAL;
    if (!strcmp(kind, "datetime"))
        return AIB__FN_DATETIME;
    return AIB__FN_DURATION;
}

/* Calls constructor kind on text; aborts the check on failure. */
static aib__value_t mk(aib_arena_t *a, const char *kind, const char *text)
{
    aib__value_t arg = vstr(text), out;
    char err[256];
    memset(&out, 0, sizeof(out));
    if (aib__ext_call(fn_of(kind), &arg, 1, a, &out, err, sizeof(err)) != 0)
        aib_test_fail(__FILE__, __LINE__, "%s(\"%s\") failed: %s", kind, text, err);
    return out;
}

static int call1(aib_arena_t *a, int fn, aib__value_t x, aib__value_t *out, char *err)
{
    return aib__ext_call(fn, &x, 1, a, out, err, 256);
}

static int call2(aib_arena_t *a, int fn, aib__value_t x, aib__value_t y, aib__value_t *out, char *err)
{
    aib__value_t args[2] = { x, y };
    return aib__ext_call(fn, args, 2, a, out, err, 256);
}

/* ---- literal tables (expected results produced by the reference implementation) ---------- */

static const struct {
    const char *kind, *text;
    int ok, has_value;
    int64_t value;   /* decimal: scaled by 10^4; datetime/duration: milliseconds */
    const char *msg; /* exact error message; NULL = any error */
} lit_cases[] = {
    { "ip", "127.0.0.1", 1, 0, 0, NULL },
    { "ip", "10.0.0.1/24", 1, 0, 0, NULL },
    { "ip", "01.0.0.1", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 01.0.0.1" },
    { "ip", "1.2.3.4/08", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix `08`: leading zero(s)" },
    { "ip", "1.2.3.4/0", 1, 0, 0, NULL },
    { "ip", "1.2.3.4/32", 1, 0, 0, NULL },
    { "ip", "1.2.3.4/33", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix: 33 is larger than the limit 32" },
    { "ip", "1.2.3.4/", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix from the string ``: cannot parse integer from empty string" },
    { "ip", "1.2.3.4/+1", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix `+1`: encountered non-digit" },
    { "ip", "1.2.3.4/1/2", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix: string length 3 is too large" },
    { "ip", "256.0.0.1", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 256.0.0.1" },
    { "ip", "1.2.3", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3" },
    { "ip", "1.2.3.4.5", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3.4.5" },
    { "ip", "1.2.3.04", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3.04" },
    { "ip", "0.0.0.0", 1, 0, 0, NULL },
    { "ip", "1234.1.1.1", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1234.1.1.1" },
    { "ip", "::", 1, 0, 0, NULL },
    { "ip", "::1", 1, 0, 0, NULL },
    { "ip", "::1/128", 1, 0, 0, NULL },
    { "ip", "::1/129", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix: 129 is larger than the limit 128" },
    { "ip", "::/0", 1, 0, 0, NULL },
    { "ip", "::1/0128", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix: string length 4 is too large" },
    { "ip", "1:2:3:4:5:6:7:8", 1, 0, 0, NULL },
    { "ip", "1:2:3:4:5:6:7:8:9", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1:2:3:4:5:6:7:8:9" },
    { "ip", "1:2:3:4:5:6:7::", 1, 0, 0, NULL },
    { "ip", "::2:3:4:5:6:7:8", 1, 0, 0, NULL },
    { "ip", "1::2::3", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1::2::3" },
    { "ip", ":1::", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: :1::" },
    { "ip", "1:::2", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1:::2" },
    { "ip", "00001::", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 00001::" },
    { "ip", "0001::", 1, 0, 0, NULL },
    { "ip", "FFFF::ffff", 1, 0, 0, NULL },
    { "ip", "::ffff:1.2.3.4", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `::ffff:1.2.3.4`" },
    { "ip", "::1.2.3.4", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `::1.2.3.4`" },
    { "ip", "1::1.2", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1::1.2" },
    { "ip", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 1, 0, 0, NULL },
    { "ip", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/12x", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix `12x`: encountered non-digit" },
    { "ip", "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128", 1, 0, 0, NULL },
    { "ip", "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/1280", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing IP address from string `ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/1280`: string length is too large" },
    { "ip", " 1.2.3.4", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address:  1.2.3.4" },
    { "ip", "1.2.3.4 ", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3.4 " },
    { "ip", "", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: " },
    { "ip", "/24", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing IP address from the string ``: invalid IP address syntax" },
    { "ip", "fe80::1%eth0", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: fe80::1%eth0" },
    { "ip", "1:2:3:4:5:6:7:8::", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1:2:3:4:5:6:7:8::" },
    { "ip", "::1:2:3:4:5:6:7:8", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: ::1:2:3:4:5:6:7:8" },
    { "ip", "1.2.3.4/-1", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix `-1`: encountered non-digit" },
    { "ip", "[::1]", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: [::1]" },
    { "ip", "1:2:3:4:5:6:7", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1:2:3:4:5:6:7" },
    { "ip", "g::", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: g::" },
    { "ip", "1.2.3.4/3.", 0, 0, 0, "error while evaluating `ipaddr` extension function: error parsing prefix `3.`: encountered non-digit" },
    { "ip", "1.2..4", 0, 0, 0, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2..4" },
    { "decimal", "1.0", 1, 1, INT64_C(10000), NULL },
    { "decimal", "-1.0", 1, 1, INT64_C(-10000), NULL },
    { "decimal", "0.1234", 1, 1, INT64_C(1234), NULL },
    { "decimal", "-0.0123", 1, 1, INT64_C(-123), NULL },
    { "decimal", "1.23456", 0, 0, 0, "error while evaluating `decimal` extension function: too many digits after the decimal in `1.23456`" },
    { "decimal", "1", 0, 0, 0, "error while evaluating `decimal` extension function: `1` is not a well-formed decimal value" },
    { "decimal", ".5", 0, 0, 0, "error while evaluating `decimal` extension function: `.5` is not a well-formed decimal value" },
    { "decimal", "1.", 0, 0, 0, "error while evaluating `decimal` extension function: `1.` is not a well-formed decimal value" },
    { "decimal", "-.5", 0, 0, 0, "error while evaluating `decimal` extension function: `-.5` is not a well-formed decimal value" },
    { "decimal", "+1.0", 0, 0, 0, "error while evaluating `decimal` extension function: `+1.0` is not a well-formed decimal value" },
    { "decimal", "--1.0", 0, 0, 0, "error while evaluating `decimal` extension function: `--1.0` is not a well-formed decimal value" },
    { "decimal", " 1.0", 0, 0, 0, "error while evaluating `decimal` extension function: ` 1.0` is not a well-formed decimal value" },
    { "decimal", "1.0 ", 0, 0, 0, "error while evaluating `decimal` extension function: `1.0 ` is not a well-formed decimal value" },
    { "decimal", "922337203685477.5807", 1, 1, INT64_C(9223372036854775807), NULL },
    { "decimal", "922337203685477.5808", 0, 0, 0, "error while evaluating `decimal` extension function: overflow when converting to decimal" },
    { "decimal", "-922337203685477.5808", 1, 1, INT64_MIN, NULL },
    { "decimal", "-922337203685477.5809", 0, 0, 0, "error while evaluating `decimal` extension function: overflow when converting to decimal" },
    { "decimal", "9223372036854775807.0", 0, 0, 0, "error while evaluating `decimal` extension function: overflow when converting to decimal" },
    { "decimal", "00001.5000", 1, 1, INT64_C(15000), NULL },
    { "decimal", "1.2.3", 0, 0, 0, "error while evaluating `decimal` extension function: `1.2.3` is not a well-formed decimal value" },
    { "decimal", "1e5.0", 0, 0, 0, "error while evaluating `decimal` extension function: `1e5.0` is not a well-formed decimal value" },
    { "decimal", "-0.0", 1, 1, INT64_C(0), NULL },
    { "decimal", "99999999999999999999999.0", 0, 0, 0, "error while evaluating `decimal` extension function: overflow when converting to decimal" },
    { "decimal", "", 0, 0, 0, "error while evaluating `decimal` extension function: `` is not a well-formed decimal value" },
    { "decimal", "\xd9""\xa1"".\xd9""\xa0""", 0, 0, 0, NULL },
    { "datetime", "2024-01-01", 1, 1, INT64_C(1704067200000), NULL },
    { "datetime", "2024-01-01T00:00:00Z", 1, 1, INT64_C(1704067200000), NULL },
    { "datetime", "2024-01-01T00:00:00.123Z", 1, 1, INT64_C(1704067200123), NULL },
    { "datetime", "2024-01-01T00:00:00+0100", 1, 1, INT64_C(1704063600000), NULL },
    { "datetime", "2024-01-01T00:00:00.001-2359", 1, 1, INT64_C(1704153540001), NULL },
    { "datetime", "2024-01-01T00:00:00+2400", 0, 0, 0, "error while evaluating `datetime` extension function: invalid offset range: 240" },
    { "datetime", "2024-01-01T00:00:00+0060", 0, 0, 0, "error while evaluating `datetime` extension function: invalid offset range: 060" },
    { "datetime", "2024-01-01T00:00:00", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T24:00:00Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second: 24:00:00" },
    { "datetime", "2024-01-01T23:59:60Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second: 23:59:60" },
    { "datetime", "2024-02-29", 1, 1, INT64_C(1709164800000), NULL },
    { "datetime", "2023-02-29", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2023-02-29" },
    { "datetime", "1900-02-29", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 1900-02-29" },
    { "datetime", "2000-02-29", 1, 1, INT64_C(951782400000), NULL },
    { "datetime", "0000-02-29", 1, 1, INT64_C(-62162121600000), NULL },
    { "datetime", "0000-01-01", 1, 1, INT64_C(-62167219200000), NULL },
    { "datetime", "9999-12-31T23:59:59.999Z", 1, 1, INT64_C(253402300799999), NULL },
    { "datetime", "9999-12-31T23:59:59.999-2359", 1, 1, INT64_C(253402387139999), NULL },
    { "datetime", "0000-01-01T00:00:00+2359", 1, 1, INT64_C(-62167305540000), NULL },
    { "datetime", "2024-13-01", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2024-13-01" },
    { "datetime", "2024-00-10", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2024-00-10" },
    { "datetime", "2024-04-31", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2024-04-31" },
    { "datetime", "2024-1-01", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date pattern" },
    { "datetime", "24-01-01", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date pattern" },
    { "datetime", "10000-01-01", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date pattern" },
    { "datetime", "2024-01-01Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-01-01T", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-01-01T01:02", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-01-01T01:02:03.1Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T01:02:03.1234Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T01:02:03.123", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T01:02:03ZZ", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T01:02:03+01", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01T01:02:03+01:00", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-01-01 01:02:03Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-01-01t01:02:03Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-01-01T01:02:03z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid millisecond and/or offset pattern" },
    { "datetime", "2024-02-30T01:02:03Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2024-02-30" },
    { "datetime", "2024-02-30T01:02:0xZ", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second pattern" },
    { "datetime", "2024-02-30T25:02:03Z", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date: 2024-02-30" },
    { "datetime", "2024-01-01T25:02:03+9999", 0, 0, 0, "error while evaluating `datetime` extension function: invalid hour/minute/second: 25:02:03" },
    { "datetime", "1969-12-31T23:59:59.999Z", 1, 1, INT64_C(-1), NULL },
    { "datetime", "", 0, 0, 0, "error while evaluating `datetime` extension function: invalid date pattern" },
    { "duration", "1d", 1, 1, INT64_C(86400000), NULL },
    { "duration", "1h", 1, 1, INT64_C(3600000), NULL },
    { "duration", "1m", 1, 1, INT64_C(60000), NULL },
    { "duration", "1s", 1, 1, INT64_C(1000), NULL },
    { "duration", "1ms", 1, 1, INT64_C(1), NULL },
    { "duration", "1d2h3m4s5ms", 1, 1, INT64_C(93784005), NULL },
    { "duration", "-1d2h3m4s5ms", 1, 1, INT64_C(-93784005), NULL },
    { "duration", "-", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1h1d", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1m1ms", 1, 1, INT64_C(60001), NULL },
    { "duration", "1ms1m", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1d1d", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "0ms", 1, 1, INT64_C(0), NULL },
    { "duration", "-0ms", 1, 1, INT64_C(0), NULL },
    { "duration", "1", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "d", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1x", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", " 1h", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "+1h", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1.5h", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "9223372036854775807ms", 1, 1, INT64_C(9223372036854775807), NULL },
    { "duration", "9223372036854775808ms", 0, 0, 0, "error while evaluating `duration` extension function: Duration overflows internal representation" },
    { "duration", "-9223372036854775808ms", 1, 1, INT64_MIN, NULL },
    { "duration", "-9223372036854775809ms", 0, 0, 0, "error while evaluating `duration` extension function: Duration overflows internal representation" },
    { "duration", "18446744073709551616ms", 0, 0, 0, "error while evaluating `duration` extension function: Duration overflows internal representation" },
    { "duration", "106751991167d", 1, 1, INT64_C(9223372036828800000), NULL },
    { "duration", "106751991168d", 0, 0, 0, "error while evaluating `duration` extension function: Duration overflows internal representation" },
    { "duration", "-106751991167d7h12m55s808ms", 1, 1, INT64_MIN, NULL },
    { "duration", "106751991167d7h12m55s808ms", 0, 0, 0, "error while evaluating `duration` extension function: Duration overflows internal representation" },
    { "duration", "00001h", 1, 1, INT64_C(3600000), NULL },
    { "duration", "1H", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "--1h", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
    { "duration", "1h-1m", 0, 0, 0, "error while evaluating `duration` extension function: invalid duration pattern" },
};

TEST(ext_literals_match_reference)
{
    aib_arena_t *a = aib_arena_new(0);
    size_t i;
    for (i = 0; i < sizeof(lit_cases) / sizeof(lit_cases[0]); i++) {
        aib__value_t arg = vstr(lit_cases[i].text), out;
        char err[512] = "";
        int rc = aib__ext_call(fn_of(lit_cases[i].kind), &arg, 1, a, &out, err, sizeof(err));
        if (lit_cases[i].ok) {
            if (rc != 0) {
                aib_test_fail(__FILE__, __LINE__, "%s(\"%s\") rejected: %s", lit_cases[i].kind,
                              lit_cases[i].text, err);
                continue;
            }
            if (lit_cases[i].has_value && out.u.i != lit_cases[i].value)
                aib_test_fail(__FILE__, __LINE__, "%s(\"%s\") = %lld, expected %lld", lit_cases[i].kind,
                              lit_cases[i].text, (long long)out.u.i, (long long)lit_cases[i].value);
        } else {
            if (rc != AIB_EEVAL) {
                aib_test_fail(__FILE__, __LINE__, "%s(\"%s\") accepted", lit_cases[i].kind, lit_cases[i].text);
                continue;
            }
            if (lit_cases[i].msg && strcmp(err, lit_cases[i].msg) != 0)
                aib_test_fail(__FILE__, __LINE__, "%s(\"%s\"): \"%s\", expected \"%s\"", lit_cases[i].kind,
                              lit_cases[i].text, err, lit_cases[i].msg);
        }
    }
    aib_arena_free(a);
}

TEST(ext_public_parsers_agree)
{
    int64_t v = 0;
    aib__ipaddr_t ip;
    CHECK_INT(aib__decimal_parse("12.34", 5, &v), 0);
    CHECK(v == 123400);
    CHECK_INT(aib__decimal_parse("12.34x", 6, &v), AIB_EINVAL);
    CHECK_INT(aib__decimal_parse("1.2", 2, &v), AIB_EINVAL); /* length-bounded: "1." */
    CHECK_INT(aib__ip_parse("10.1.2.3/8", 10, &ip), 0);
    CHECK_INT(ip.v6, 0);
    CHECK_INT(ip.prefix, 8);
    CHECK(ip.addr[0] == 10 && ip.addr[1] == 1 && ip.addr[2] == 2 && ip.addr[3] == 3);
    CHECK_INT(aib__ip_parse("1:2::ff", 7, &ip), 0);
    CHECK_INT(ip.v6, 1);
    CHECK_INT(ip.prefix, 128);
    CHECK(ip.addr[1] == 1 && ip.addr[3] == 2 && ip.addr[15] == 0xff && ip.addr[14] == 0);
    CHECK_INT(aib__ip_parse("1.2.3.4", 3, &ip), AIB_EINVAL);
    CHECK_INT(aib__datetime_parse("1970-01-02", 10, &v), 0);
    CHECK(v == 86400000);
    CHECK_INT(aib__datetime_parse("1970-01-02T", 11, &v), AIB_EINVAL);
    CHECK_INT(aib__duration_parse("2h30m", 5, &v), 0);
    CHECK(v == 9000000);
    CHECK_INT(aib__duration_parse("2h30m", 4, &v), AIB_EINVAL);
    /* embedded NUL is just an invalid character */
    CHECK_INT(aib__decimal_parse("1.0\0", 4, &v), AIB_EINVAL);
    CHECK_INT(aib__ip_parse("1.2.3.4\0", 8, &ip), AIB_EINVAL);
}

/* ---- ipaddr predicates (expected results produced by the reference implementation) -------- */

static const struct {
    const char *method, *a, *b; /* b NULL for unary methods */
    int expect;
} ip_cases[] = {
    { "isIpv4", "127.0.0.1", NULL, 1 },
    { "isIpv6", "127.0.0.1", NULL, 0 },
    { "isLoopback", "127.0.0.1", NULL, 1 },
    { "isMulticast", "127.0.0.1", NULL, 0 },
    { "isIpv4", "127.0.0.1/8", NULL, 1 },
    { "isIpv6", "127.0.0.1/8", NULL, 0 },
    { "isLoopback", "127.0.0.1/8", NULL, 1 },
    { "isMulticast", "127.0.0.1/8", NULL, 0 },
    { "isIpv4", "127.0.0.1/7", NULL, 1 },
    { "isIpv6", "127.0.0.1/7", NULL, 0 },
    { "isLoopback", "127.0.0.1/7", NULL, 0 },
    { "isMulticast", "127.0.0.1/7", NULL, 0 },
    { "isIpv4", "127.255.255.255/32", NULL, 1 },
    { "isIpv6", "127.255.255.255/32", NULL, 0 },
    { "isLoopback", "127.255.255.255/32", NULL, 1 },
    { "isMulticast", "127.255.255.255/32", NULL, 0 },
    { "isIpv4", "128.0.0.1", NULL, 1 },
    { "isIpv6", "128.0.0.1", NULL, 0 },
    { "isLoopback", "128.0.0.1", NULL, 0 },
    { "isMulticast", "128.0.0.1", NULL, 0 },
    { "isIpv4", "0.0.0.0/0", NULL, 1 },
    { "isIpv6", "0.0.0.0/0", NULL, 0 },
    { "isLoopback", "0.0.0.0/0", NULL, 0 },
    { "isMulticast", "0.0.0.0/0", NULL, 0 },
    { "isIpv4", "::1", NULL, 0 },
    { "isIpv6", "::1", NULL, 1 },
    { "isLoopback", "::1", NULL, 1 },
    { "isMulticast", "::1", NULL, 0 },
    { "isIpv4", "::1/127", NULL, 0 },
    { "isIpv6", "::1/127", NULL, 1 },
    { "isLoopback", "::1/127", NULL, 0 },
    { "isMulticast", "::1/127", NULL, 0 },
    { "isIpv4", "::1/128", NULL, 0 },
    { "isIpv6", "::1/128", NULL, 1 },
    { "isLoopback", "::1/128", NULL, 1 },
    { "isMulticast", "::1/128", NULL, 0 },
    { "isIpv4", "::ffff:7f00:1", NULL, 0 },
    { "isIpv6", "::ffff:7f00:1", NULL, 1 },
    { "isLoopback", "::ffff:7f00:1", NULL, 0 },
    { "isMulticast", "::ffff:7f00:1", NULL, 0 },
    { "isIpv4", "::", NULL, 0 },
    { "isIpv6", "::", NULL, 1 },
    { "isLoopback", "::", NULL, 0 },
    { "isMulticast", "::", NULL, 0 },
    { "isIpv4", "224.0.0.1", NULL, 1 },
    { "isIpv6", "224.0.0.1", NULL, 0 },
    { "isLoopback", "224.0.0.1", NULL, 0 },
    { "isMulticast", "224.0.0.1", NULL, 1 },
    { "isIpv4", "224.0.0.0/4", NULL, 1 },
    { "isIpv6", "224.0.0.0/4", NULL, 0 },
    { "isLoopback", "224.0.0.0/4", NULL, 0 },
    { "isMulticast", "224.0.0.0/4", NULL, 1 },
    { "isIpv4", "224.0.0.0/3", NULL, 1 },
    { "isIpv6", "224.0.0.0/3", NULL, 0 },
    { "isLoopback", "224.0.0.0/3", NULL, 0 },
    { "isMulticast", "224.0.0.0/3", NULL, 0 },
    { "isIpv4", "239.255.255.255", NULL, 1 },
    { "isIpv6", "239.255.255.255", NULL, 0 },
    { "isLoopback", "239.255.255.255", NULL, 0 },
    { "isMulticast", "239.255.255.255", NULL, 1 },
    { "isIpv4", "240.0.0.1", NULL, 1 },
    { "isIpv6", "240.0.0.1", NULL, 0 },
    { "isLoopback", "240.0.0.1", NULL, 0 },
    { "isMulticast", "240.0.0.1", NULL, 0 },
    { "isIpv4", "ff00::", NULL, 0 },
    { "isIpv6", "ff00::", NULL, 1 },
    { "isLoopback", "ff00::", NULL, 0 },
    { "isMulticast", "ff00::", NULL, 1 },
    { "isIpv4", "ff00::/8", NULL, 0 },
    { "isIpv6", "ff00::/8", NULL, 1 },
    { "isLoopback", "ff00::/8", NULL, 0 },
    { "isMulticast", "ff00::/8", NULL, 1 },
    { "isIpv4", "ff00::/7", NULL, 0 },
    { "isIpv6", "ff00::/7", NULL, 1 },
    { "isLoopback", "ff00::/7", NULL, 0 },
    { "isMulticast", "ff00::/7", NULL, 0 },
    { "isIpv4", "fe00::1", NULL, 0 },
    { "isIpv6", "fe00::1", NULL, 1 },
    { "isLoopback", "fe00::1", NULL, 0 },
    { "isMulticast", "fe00::1", NULL, 0 },
    { "isIpv4", "10.0.0.0/8", NULL, 1 },
    { "isIpv6", "10.0.0.0/8", NULL, 0 },
    { "isLoopback", "10.0.0.0/8", NULL, 0 },
    { "isMulticast", "10.0.0.0/8", NULL, 0 },
    { "isIpv4", "10.1.2.3", NULL, 1 },
    { "isIpv6", "10.1.2.3", NULL, 0 },
    { "isLoopback", "10.1.2.3", NULL, 0 },
    { "isMulticast", "10.1.2.3", NULL, 0 },
    { "isIpv4", "10.1.2.3/16", NULL, 1 },
    { "isIpv6", "10.1.2.3/16", NULL, 0 },
    { "isLoopback", "10.1.2.3/16", NULL, 0 },
    { "isMulticast", "10.1.2.3/16", NULL, 0 },
    { "isIpv4", "10.0.0.0/7", NULL, 1 },
    { "isIpv6", "10.0.0.0/7", NULL, 0 },
    { "isLoopback", "10.0.0.0/7", NULL, 0 },
    { "isMulticast", "10.0.0.0/7", NULL, 0 },
    { "isIpv4", "11.0.0.0/8", NULL, 1 },
    { "isIpv6", "11.0.0.0/8", NULL, 0 },
    { "isLoopback", "11.0.0.0/8", NULL, 0 },
    { "isMulticast", "11.0.0.0/8", NULL, 0 },
    { "isIpv4", "192.168.1.0/24", NULL, 1 },
    { "isIpv6", "192.168.1.0/24", NULL, 0 },
    { "isLoopback", "192.168.1.0/24", NULL, 0 },
    { "isMulticast", "192.168.1.0/24", NULL, 0 },
    { "isIpv4", "192.168.1.255", NULL, 1 },
    { "isIpv6", "192.168.1.255", NULL, 0 },
    { "isLoopback", "192.168.1.255", NULL, 0 },
    { "isMulticast", "192.168.1.255", NULL, 0 },
    { "isIpv4", "192.168.2.0/24", NULL, 1 },
    { "isIpv6", "192.168.2.0/24", NULL, 0 },
    { "isLoopback", "192.168.2.0/24", NULL, 0 },
    { "isMulticast", "192.168.2.0/24", NULL, 0 },
    { "isIpv4", "192.168.0.0/16", NULL, 1 },
    { "isIpv6", "192.168.0.0/16", NULL, 0 },
    { "isLoopback", "192.168.0.0/16", NULL, 0 },
    { "isMulticast", "192.168.0.0/16", NULL, 0 },
    { "isIpv4", "1:2::/32", NULL, 0 },
    { "isIpv6", "1:2::/32", NULL, 1 },
    { "isLoopback", "1:2::/32", NULL, 0 },
    { "isMulticast", "1:2::/32", NULL, 0 },
    { "isIpv4", "1:2:3::/48", NULL, 0 },
    { "isIpv6", "1:2:3::/48", NULL, 1 },
    { "isLoopback", "1:2:3::/48", NULL, 0 },
    { "isMulticast", "1:2:3::/48", NULL, 0 },
    { "isIpv4", "1:2::1", NULL, 0 },
    { "isIpv6", "1:2::1", NULL, 1 },
    { "isLoopback", "1:2::1", NULL, 0 },
    { "isMulticast", "1:2::1", NULL, 0 },
    { "isIpv4", "1:3::/32", NULL, 0 },
    { "isIpv6", "1:3::/32", NULL, 1 },
    { "isLoopback", "1:3::/32", NULL, 0 },
    { "isMulticast", "1:3::/32", NULL, 0 },
    { "isIpv4", "0.0.0.0", NULL, 1 },
    { "isIpv6", "0.0.0.0", NULL, 0 },
    { "isLoopback", "0.0.0.0", NULL, 0 },
    { "isMulticast", "0.0.0.0", NULL, 0 },
    { "isIpv4", "255.255.255.255/32", NULL, 1 },
    { "isIpv6", "255.255.255.255/32", NULL, 0 },
    { "isLoopback", "255.255.255.255/32", NULL, 0 },
    { "isMulticast", "255.255.255.255/32", NULL, 0 },
    { "isIpv4", "::/0", NULL, 0 },
    { "isIpv6", "::/0", NULL, 1 },
    { "isLoopback", "::/0", NULL, 0 },
    { "isMulticast", "::/0", NULL, 0 },
    { "isIpv4", "1.2.3.4/0", NULL, 1 },
    { "isIpv6", "1.2.3.4/0", NULL, 0 },
    { "isLoopback", "1.2.3.4/0", NULL, 0 },
    { "isMulticast", "1.2.3.4/0", NULL, 0 },
    { "isInRange", "192.168.0.0/16", "10.1.2.3", 0 },
    { "isInRange", "10.1.2.3/16", "10.0.0.0/7", 1 },
    { "isInRange", "1:2::/32", "10.1.2.3/16", 0 },
    { "isInRange", "127.0.0.1/8", "11.0.0.0/8", 0 },
    { "isInRange", "10.0.0.0/8", "127.0.0.1/8", 0 },
    { "isInRange", "::1", "10.1.2.3/16", 0 },
    { "isInRange", "10.0.0.0/8", "1:2:3::/48", 0 },
    { "isInRange", "0.0.0.0/0", "192.168.1.0/24", 0 },
    { "isInRange", "1.2.3.4/0", "0.0.0.0/0", 1 },
    { "isInRange", "127.0.0.1/8", "1:2::/32", 0 },
    { "isInRange", "::/0", "192.168.1.0/24", 0 },
    { "isInRange", "11.0.0.0/8", "127.0.0.1/8", 0 },
    { "isInRange", "127.0.0.1/8", "127.0.0.1/8", 1 },
    { "isInRange", "10.0.0.0/8", "192.168.1.255", 0 },
    { "isInRange", "1:2:3::/48", "11.0.0.0/8", 0 },
    { "isInRange", "1:2::/32", "1.2.3.4/0", 0 },
    { "isInRange", "127.0.0.1/8", "::ffff:7f00:1", 0 },
    { "isInRange", "11.0.0.0/8", "::1", 0 },
    { "isInRange", "10.0.0.0/8", "0.0.0.0/0", 1 },
    { "isInRange", "::1", "1:2:3::/48", 0 },
    { "isInRange", "1:2:3::/48", "127.0.0.1/8", 0 },
    { "isInRange", "127.0.0.1/8", "1:2:3::/48", 0 },
    { "isInRange", "1.2.3.4/0", "127.0.0.1/8", 0 },
    { "isInRange", "10.1.2.3", "192.168.0.0/16", 0 },
    { "isInRange", "11.0.0.0/8", "11.0.0.0/8", 1 },
    { "isInRange", "::ffff:7f00:1", "192.168.0.0/16", 0 },
    { "isInRange", "127.0.0.1/8", "1:2::1", 0 },
    { "isInRange", "1.2.3.4/0", "192.168.1.0/24", 0 },
    { "isInRange", "1:2::/32", "10.0.0.0/7", 0 },
    { "isInRange", "127.0.0.1/8", "192.168.1.0/24", 0 },
    { "isInRange", "11.0.0.0/8", "10.0.0.0/7", 1 },
    { "isInRange", "127.0.0.1/8", "10.0.0.0/7", 0 },
    { "isInRange", "::1", "::1", 1 },
    { "isInRange", "10.1.2.3", "::/0", 0 },
    { "isInRange", "192.168.1.255", "10.1.2.3/16", 0 },
    { "isInRange", "::ffff:7f00:1", "10.0.0.0/8", 0 },
    { "isInRange", "10.1.2.3/16", "127.0.0.1/8", 0 },
    { "isInRange", "::1", "11.0.0.0/8", 0 },
    { "isInRange", "10.1.2.3", "11.0.0.0/8", 0 },
    { "isInRange", "192.168.1.255", "1:2::1", 0 },
    { "isInRange", "10.0.0.0/7", "10.0.0.0/8", 0 },
    { "isInRange", "10.0.0.0/8", "1.2.3.4/0", 1 },
    { "isInRange", "10.0.0.0/7", "11.0.0.0/8", 0 },
    { "isInRange", "0.0.0.0/0", "0.0.0.0/0", 1 },
    { "isInRange", "10.0.0.0/8", "1:2::1", 0 },
    { "isInRange", "127.0.0.1/8", "::/0", 0 },
    { "isInRange", "1.2.3.4/0", "::/0", 0 },
    { "isInRange", "10.0.0.0/7", "::1", 0 },
    { "isInRange", "::/0", "10.0.0.0/8", 0 },
    { "isInRange", "::1", "10.0.0.0/8", 0 },
    { "isInRange", "1:2:3::/48", "10.0.0.0/8", 0 },
    { "isInRange", "192.168.1.255", "1.2.3.4/0", 1 },
    { "isInRange", "1:2::1", "10.1.2.3/16", 0 },
    { "isInRange", "1:2:3::/48", "1.2.3.4/0", 0 },
    { "isInRange", "0.0.0.0/0", "10.0.0.0/7", 0 },
    { "isInRange", "192.168.1.255", "192.168.0.0/16", 1 },
    { "isInRange", "192.168.1.0/24", "127.0.0.1/8", 0 },
    { "isInRange", "::1", "1:2::1", 0 },
    { "isInRange", "11.0.0.0/8", "1.2.3.4/0", 1 },
    { "isInRange", "10.0.0.0/8", "10.0.0.0/7", 1 },
    { "isInRange", "::/0", "1.2.3.4/0", 0 },
    { "isInRange", "::/0", "127.0.0.1/8", 0 },
    { "isInRange", "192.168.0.0/16", "1:2::1", 0 },
    { "isInRange", "1:2:3::/48", "1:2::1", 0 },
    { "isInRange", "192.168.1.255", "10.1.2.3", 0 },
    { "isInRange", "::ffff:7f00:1", "1:2::1", 0 },
    { "isInRange", "1.2.3.4/0", "10.1.2.3", 0 },
    { "isInRange", "1.2.3.4/0", "127.0.0.1", 0 },
    { "isInRange", "10.1.2.3/16", "1:2:3::/48", 0 },
    { "isInRange", "0.0.0.0/0", "1:2::1", 0 },
    { "isInRange", "10.1.2.3/16", "::1", 0 },
    { "isInRange", "10.0.0.0/8", "10.0.0.0/8", 1 },
    { "isInRange", "::1", "127.0.0.1/8", 0 },
    { "isInRange", "11.0.0.0/8", "::ffff:7f00:1", 0 },
    { "isInRange", "10.0.0.0/7", "::ffff:7f00:1", 0 },
    { "isInRange", "127.0.0.1", "0.0.0.0/0", 1 },
    { "isInRange", "1:2::1", "1:2:3::/48", 0 },
    { "isInRange", "192.168.0.0/16", "192.168.0.0/16", 1 },
    { "isInRange", "::ffff:7f00:1", "10.0.0.0/7", 0 },
    { "isInRange", "0.0.0.0/0", "::1", 0 },
    { "isInRange", "192.168.1.0/24", "1.2.3.4/0", 1 },
    { "isInRange", "192.168.1.255", "10.0.0.0/8", 0 },
    { "isInRange", "::ffff:7f00:1", "::1", 0 },
    { "isInRange", "1:2:3::/48", "192.168.1.255", 0 },
    { "isInRange", "1:2::/32", "1:2::/32", 1 },
    { "isInRange", "10.1.2.3/16", "192.168.1.255", 0 },
    { "isInRange", "::/0", "0.0.0.0/0", 0 },
    { "isInRange", "192.168.0.0/16", "::1", 0 },
    { "isInRange", "10.1.2.3/16", "::ffff:7f00:1", 0 },
    { "isInRange", "192.168.1.255", "192.168.1.255", 1 },
    { "isInRange", "::/0", "::1", 0 },
    { "isInRange", "1.2.3.4/0", "1:2::1", 0 },
    { "isInRange", "1:2::/32", "11.0.0.0/8", 0 },
    { "isInRange", "11.0.0.0/8", "192.168.1.255", 0 },
    { "isInRange", "127.0.0.1", "::ffff:7f00:1", 0 },
    { "isInRange", "1:2::/32", "::ffff:7f00:1", 0 },
    { "isInRange", "1.2.3.4/0", "10.1.2.3/16", 0 },
    { "isInRange", "10.1.2.3", "::1", 0 },
    { "isInRange", "11.0.0.0/8", "1:2::1", 0 },
    { "isInRange", "192.168.0.0/16", "1.2.3.4/0", 1 },
    { "isInRange", "192.168.0.0/16", "192.168.1.255", 0 },
    { "isInRange", "127.0.0.1", "1.2.3.4/0", 1 },
    { "isInRange", "127.0.0.1", "::1", 0 },
    { "isInRange", "::ffff:7f00:1", "0.0.0.0/0", 0 },
    { "isInRange", "192.168.0.0/16", "::ffff:7f00:1", 0 },
    { "isInRange", "10.1.2.3/16", "192.168.1.0/24", 0 },
    { "isInRange", "::ffff:7f00:1", "::ffff:7f00:1", 1 },
    { "isInRange", "::ffff:7f00:1", "192.168.1.0/24", 0 },
    { "isInRange", "192.168.0.0/16", "1:2:3::/48", 0 },
    { "isInRange", "1:2::/32", "1:2:3::/48", 0 },
    { "isInRange", "1.2.3.4/0", "1:2::/32", 0 },
    { "isInRange", "10.1.2.3/16", "127.0.0.1", 0 },
    { "isInRange", "0.0.0.0/0", "10.1.2.3", 0 },
    { "isInRange", "10.0.0.0/7", "192.168.1.255", 0 },
    { "isInRange", "1:2::1", "1:2::1", 1 },
    { "isInRange", "10.1.2.3/16", "1.2.3.4/0", 1 },
    { "isInRange", "127.0.0.1", "10.0.0.0/7", 0 },
    { "isInRange", "11.0.0.0/8", "0.0.0.0/0", 1 },
    { "isInRange", "10.0.0.0/7", "127.0.0.1", 0 },
    { "isInRange", "10.0.0.0/8", "192.168.1.0/24", 0 },
    { "isInRange", "192.168.1.255", "1:2:3::/48", 0 },
    { "isInRange", "::ffff:7f00:1", "192.168.1.255", 0 },
    { "isInRange", "192.168.1.0/24", "127.0.0.1", 0 },
    { "isInRange", "1:2:3::/48", "10.0.0.0/7", 0 },
    { "isInRange", "10.1.2.3", "127.0.0.1/8", 0 },
    { "isInRange", "0.0.0.0/0", "1.2.3.4/0", 1 },
    { "isInRange", "::1", "::ffff:7f00:1", 0 },
    { "isInRange", "127.0.0.1/8", "::1", 0 },
    { "isInRange", "0.0.0.0/0", "192.168.0.0/16", 0 },
    { "isInRange", "1.2.3.4/0", "1:2:3::/48", 0 },
    { "isInRange", "10.0.0.0/7", "1:2::/32", 0 },
    { "isInRange", "10.0.0.0/7", "0.0.0.0/0", 1 },
    { "isInRange", "1:2:3::/48", "::ffff:7f00:1", 0 },
    { "isInRange", "127.0.0.1/8", "10.0.0.0/8", 0 },
    { "isInRange", "10.0.0.0/8", "11.0.0.0/8", 0 },
    { "isInRange", "1:2::/32", "::1", 0 },
    { "isInRange", "10.0.0.0/7", "1:2:3::/48", 0 },
    { "isInRange", "192.168.1.0/24", "::/0", 0 },
    { "isInRange", "10.1.2.3", "::ffff:7f00:1", 0 },
    { "isInRange", "::ffff:7f00:1", "127.0.0.1/8", 0 },
    { "isInRange", "11.0.0.0/8", "10.0.0.0/8", 0 },
    { "isInRange", "0.0.0.0/0", "11.0.0.0/8", 0 },
    { "isInRange", "::/0", "::ffff:7f00:1", 0 },
    { "isInRange", "0.0.0.0/0", "127.0.0.1", 0 },
    { "isInRange", "10.0.0.0/7", "1.2.3.4/0", 1 },
    { "isInRange", "10.0.0.0/7", "127.0.0.1/8", 0 },
    { "isInRange", "1:2:3::/48", "1:2:3::/48", 1 },
    { "isInRange", "10.0.0.0/7", "192.168.1.0/24", 0 },
    { "isInRange", "10.1.2.3", "10.0.0.0/7", 1 },
    { "isInRange", "::/0", "127.0.0.1", 0 },
    { "isInRange", "127.0.0.1/8", "10.1.2.3", 0 },
    { "isInRange", "10.0.0.0/8", "192.168.0.0/16", 0 },
    { "isInRange", "1:2::1", "10.0.0.0/8", 0 },
    { "isInRange", "::/0", "192.168.0.0/16", 0 },
    { "isInRange", "192.168.0.0/16", "11.0.0.0/8", 0 },
    { "isInRange", "1:2:3::/48", "192.168.1.0/24", 0 },
    { "isInRange", "127.0.0.1", "10.1.2.3", 0 },
    { "isInRange", "::/0", "1:2::1", 0 },
    { "isInRange", "192.168.1.255", "11.0.0.0/8", 0 },
    { "isInRange", "1.2.3.4/0", "::ffff:7f00:1", 0 },
    { "==", "192.168.1.0/24", "192.168.1.255", 0 },
    { "==", "192.168.1.255", "127.0.0.1", 0 },
    { "==", "127.0.0.1", "10.0.0.0/8", 0 },
    { "==", "10.1.2.3/16", "10.0.0.0/8", 0 },
    { "==", "1:2::/32", "1.2.3.4/0", 0 },
    { "==", "::1", "10.1.2.3", 0 },
    { "==", "0.0.0.0/0", "192.168.0.0/16", 0 },
    { "==", "::ffff:7f00:1", "11.0.0.0/8", 0 },
    { "==", "1.2.3.4/0", "127.0.0.1/8", 0 },
    { "==", "192.168.0.0/16", "127.0.0.1/8", 0 },
    { "==", "10.1.2.3", "0.0.0.0/0", 0 },
    { "==", "::/0", "1:2::/32", 0 },
    { "==", "::ffff:7f00:1", "0.0.0.0/0", 0 },
    { "==", "127.0.0.1/8", "192.168.0.0/16", 0 },
    { "==", "1:2:3::/48", "::ffff:7f00:1", 0 },
    { "==", "::1", "1.2.3.4/0", 0 },
    { "==", "1:2::/32", "10.0.0.0/8", 0 },
    { "==", "1:2::/32", "10.0.0.0/7", 0 },
    { "==", "1:2::/32", "11.0.0.0/8", 0 },
    { "==", "1:2::/32", "10.1.2.3", 0 },
    { "==", "10.0.0.0/8", "::ffff:7f00:1", 0 },
    { "==", "1:2::1", "1:2:3::/48", 0 },
    { "==", "1:2::/32", "192.168.1.0/24", 0 },
    { "==", "127.0.0.1/8", "1:2::1", 0 },
    { "==", "10.0.0.0/7", "192.168.1.0/24", 0 },
    { "==", "127.0.0.1/8", "1.2.3.4/0", 0 },
    { "==", "10.0.0.0/7", "1.2.3.4/0", 0 },
    { "==", "1:2:3::/48", "192.168.0.0/16", 0 },
    { "==", "10.1.2.3/16", "1:2::/32", 0 },
    { "==", "10.1.2.3", "10.0.0.0/8", 0 },
    { "==", "192.168.0.0/16", "1:2:3::/48", 0 },
    { "==", "::ffff:7f00:1", "127.0.0.1/8", 0 },
    { "==", "127.0.0.1/8", "192.168.1.255", 0 },
    { "==", "10.0.0.0/8", "1.2.3.4/0", 0 },
    { "==", "127.0.0.1", "127.0.0.1", 1 },
    { "==", "1.2.3.4/0", "10.0.0.0/8", 0 },
    { "==", "10.1.2.3/16", "10.0.0.0/7", 0 },
    { "==", "::1", "10.1.2.3/16", 0 },
    { "==", "10.0.0.0/8", "::1", 0 },
    { "==", "0.0.0.0/0", "11.0.0.0/8", 0 },
    { "==", "::ffff:7f00:1", "192.168.1.255", 0 },
    { "==", "127.0.0.1", "1:2::1", 0 },
    { "==", "10.0.0.0/8", "127.0.0.1", 0 },
    { "==", "0.0.0.0/0", "1:2:3::/48", 0 },
    { "==", "10.1.2.3/16", "10.1.2.3/16", 1 },
    { "==", "192.168.1.0/24", "10.1.2.3", 0 },
    { "==", "192.168.0.0/16", "::1", 0 },
    { "==", "::ffff:7f00:1", "10.0.0.0/8", 0 },
    { "==", "1:2::1", "192.168.1.255", 0 },
    { "==", "10.1.2.3", "192.168.1.255", 0 },
    { "==", "10.1.2.3", "10.0.0.0/7", 0 },
    { "==", "1:2::1", "::1", 0 },
    { "==", "1:2::1", "10.1.2.3/16", 0 },
    { "==", "1:2::1", "1:2::/32", 0 },
    { "==", "1:2::1", "1:2::1", 1 },
    { "==", "192.168.1.255", "::1", 0 },
    { "==", "10.0.0.0/8", "192.168.1.0/24", 0 },
    { "==", "10.1.2.3/16", "127.0.0.1/8", 0 },
    { "==", "192.168.0.0/16", "1:2::1", 0 },
    { "==", "192.168.1.0/24", "192.168.0.0/16", 0 },
    { "isInRange", "127.0.0.1", "127.0.0.1", 1 },
    { "isInRange", "127.0.0.1", "127.0.0.1/8", 1 },
    { "isInRange", "127.0.0.1/8", "0.0.0.0/0", 1 },
    { "isInRange", "127.0.0.1/8", "1.2.3.4/0", 1 },
    { "isInRange", "10.1.2.3", "10.0.0.0/8", 1 },
    { "isInRange", "10.1.2.3", "10.1.2.3", 1 },
    { "isInRange", "10.1.2.3", "10.1.2.3/16", 1 },
    { "isInRange", "10.1.2.3", "0.0.0.0/0", 1 },
    { "isInRange", "10.1.2.3", "1.2.3.4/0", 1 },
    { "isInRange", "10.1.2.3/16", "10.0.0.0/8", 1 },
    { "isInRange", "10.1.2.3/16", "10.1.2.3/16", 1 },
    { "isInRange", "10.1.2.3/16", "0.0.0.0/0", 1 },
    { "isInRange", "10.0.0.0/7", "10.0.0.0/7", 1 },
    { "isInRange", "192.168.1.0/24", "192.168.1.0/24", 1 },
    { "isInRange", "192.168.1.0/24", "192.168.0.0/16", 1 },
    { "isInRange", "192.168.1.0/24", "0.0.0.0/0", 1 },
    { "isInRange", "192.168.1.255", "192.168.1.0/24", 1 },
    { "isInRange", "192.168.1.255", "0.0.0.0/0", 1 },
    { "isInRange", "192.168.0.0/16", "0.0.0.0/0", 1 },
    { "isInRange", "1:2::/32", "::/0", 1 },
    { "isInRange", "1:2:3::/48", "1:2::/32", 1 },
    { "isInRange", "1:2:3::/48", "::/0", 1 },
    { "isInRange", "1:2::1", "1:2::/32", 1 },
    { "isInRange", "1:2::1", "::/0", 1 },
    { "isInRange", "::/0", "::/0", 1 },
    { "isInRange", "::1", "::/0", 1 },
    { "isInRange", "1.2.3.4/0", "1.2.3.4/0", 1 },
    { "isInRange", "::ffff:7f00:1", "::/0", 1 },
    { "==", "127.0.0.1/8", "127.0.0.1/8", 1 },
    { "==", "10.0.0.0/8", "10.0.0.0/8", 1 },
    { "==", "10.1.2.3", "10.1.2.3", 1 },
    { "==", "10.0.0.0/7", "10.0.0.0/7", 1 },
    { "==", "11.0.0.0/8", "11.0.0.0/8", 1 },
    { "==", "192.168.1.0/24", "192.168.1.0/24", 1 },
    { "==", "192.168.1.255", "192.168.1.255", 1 },
    { "==", "192.168.0.0/16", "192.168.0.0/16", 1 },
    { "==", "0.0.0.0/0", "0.0.0.0/0", 1 },
    { "==", "1:2::/32", "1:2::/32", 1 },
    { "==", "1:2:3::/48", "1:2:3::/48", 1 },
    { "==", "::/0", "::/0", 1 },
    { "==", "::1", "::1", 1 },
    { "==", "1.2.3.4/0", "1.2.3.4/0", 1 },
    { "==", "::ffff:7f00:1", "::ffff:7f00:1", 1 },
};

TEST(ext_ip_methods_match_reference)
{
    aib_arena_t *a = aib_arena_new(0);
    size_t i;
    for (i = 0; i < sizeof(ip_cases) / sizeof(ip_cases[0]); i++) {
        aib__value_t x = mk(a, "ip", ip_cases[i].a), y, out;
        char err[256];
        int got;
        if (!strcmp(ip_cases[i].method, "==")) {
            y = mk(a, "ip", ip_cases[i].b);
            got = aib__value_eq(&x, &y);
        } else {
            int fn = !strcmp(ip_cases[i].method, "isIpv4")        ? AIB__FN_IS_IPV4
                     : !strcmp(ip_cases[i].method, "isIpv6")      ? AIB__FN_IS_IPV6
                     : !strcmp(ip_cases[i].method, "isLoopback")  ? AIB__FN_IS_LOOPBACK
                     : !strcmp(ip_cases[i].method, "isMulticast") ? AIB__FN_IS_MULTICAST
                                                                  : AIB__FN_IS_IN_RANGE;
            int rc = ip_cases[i].b ? call2(a, fn, x, mk(a, "ip", ip_cases[i].b), &out, err)
                                   : call1(a, fn, x, &out, err);
            if (rc != 0 || out.kind != AIB__V_BOOL) {
                aib_test_fail(__FILE__, __LINE__, "%s failed", ip_cases[i].method);
                continue;
            }
            got = out.u.b;
        }
        if (got != ip_cases[i].expect)
            aib_test_fail(__FILE__, __LINE__, "ip(\"%s\").%s(%s) = %d, expected %d", ip_cases[i].a,
                          ip_cases[i].method, ip_cases[i].b ? ip_cases[i].b : "", got, ip_cases[i].expect);
    }
    aib_arena_free(a);
}

static const char *ipfmt(aib_arena_t *a, const char *text)
{
    static char out[128];
    aib__value_t v = mk(a, "ip", text);
    aib_buf_t b;
    aib_buf_init(&b);
    aib__ip_format(v.u.ip, &b);
    snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return out;
}

TEST(ext_ip_format_canonical_and_round_trips)
{
    aib_arena_t *a = aib_arena_new(0);
    static const char *const texts[] = {
        "1.2.3.4", "0.0.0.0/0", "10.0.0.1/24", "::", "::1", "::/0", "1::", "1:0:0:2::", "1:0:0:2:0:0:0:3",
        "0:0:1:0:0:0:0:0", "1:2:3:4:5:6:7:8", "1:0:2:0:3:0:4:0", "FFFF::ABCD/64", "::ffff:7f00:1",
        "fe80:0:0:0:1:0:0:1/10", "0:1:0:0:1:0:0:0",
    };
    size_t i;
    CHECK_STR(ipfmt(a, "1.2.3.4"), "1.2.3.4");
    CHECK_STR(ipfmt(a, "1.2.3.4/32"), "1.2.3.4");
    CHECK_STR(ipfmt(a, "10.0.0.1/24"), "10.0.0.1/24");
    CHECK_STR(ipfmt(a, "0:0:0:0:0:0:0:0"), "::");
    CHECK_STR(ipfmt(a, "0:0:0:0:0:0:0:1/128"), "::1");
    CHECK_STR(ipfmt(a, "1:0:0:2:0:0:0:3"), "1:0:0:2::3");
    CHECK_STR(ipfmt(a, "1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
    CHECK_STR(ipfmt(a, "1:0:2:0:3:0:4:0"), "1:0:2:0:3:0:4:0");
    CHECK_STR(ipfmt(a, "1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
    CHECK_STR(ipfmt(a, "1:2:3:4:5:6:0:0"), "1:2:3:4:5:6::");
    CHECK_STR(ipfmt(a, "FFFF::ABCD/64"), "ffff::abcd/64");
    CHECK_STR(ipfmt(a, "0001:0DB8::"), "1:db8::");
    CHECK_STR(ipfmt(a, "::ffff:7f00:1"), "::ffff:7f00:1");
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        aib__value_t v = mk(a, "ip", texts[i]), w;
        w = mk(a, "ip", ipfmt(a, texts[i]));
        if (!aib__value_eq(&v, &w))
            aib_test_fail(__FILE__, __LINE__, "%s does not round-trip via %s", texts[i], ipfmt(a, texts[i]));
    }
    aib_arena_free(a);
}

/* ---- decimal ------------------------------------------------------------------------------ */

TEST(ext_decimal_compare_methods)
{
    aib_arena_t *a = aib_arena_new(0);
    static const struct { const char *x, *y; int lt, le, gt, ge; } cases[] = {
        { "1.0", "2.0", 1, 1, 0, 0 },    { "2.0", "1.0", 0, 0, 1, 1 },   { "1.0", "1.0000", 0, 1, 0, 1 },
        { "-0.5", "0.0", 1, 1, 0, 0 },   { "-0.5", "-0.4", 1, 1, 0, 0 }, { "-1.0001", "-1.0", 1, 1, 0, 0 },
        { "922337203685477.5807", "-922337203685477.5808", 0, 0, 1, 1 }, { "0.0", "-0.0", 0, 1, 0, 1 },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        aib__value_t x = mk(a, "decimal", cases[i].x), y = mk(a, "decimal", cases[i].y), out;
        char err[256];
        CHECK_INT(call2(a, AIB__FN_LESS_THAN, x, y, &out, err), 0);
        CHECK(out.kind == AIB__V_BOOL && out.u.b == cases[i].lt);
        CHECK_INT(call2(a, AIB__FN_LESS_THAN_OR_EQUAL, x, y, &out, err), 0);
        CHECK(out.u.b == cases[i].le);
        CHECK_INT(call2(a, AIB__FN_GREATER_THAN, x, y, &out, err), 0);
        CHECK(out.u.b == cases[i].gt);
        CHECK_INT(call2(a, AIB__FN_GREATER_THAN_OR_EQUAL, x, y, &out, err), 0);
        CHECK(out.u.b == cases[i].ge);
        CHECK(aib__value_eq(&x, &y) == (cases[i].le && cases[i].ge));
    }
    aib_arena_free(a);
}

TEST(ext_decimal_format_round_trips)
{
    static const struct { int64_t v; const char *text; } cases[] = {
        { 0, "0.0000" }, { 10000, "1.0000" }, { -5000, "-0.5000" }, { 1, "0.0001" }, { -1, "-0.0001" },
        { 12345678, "1234.5678" }, { INT64_MAX, "922337203685477.5807" }, { INT64_MIN, "-922337203685477.5808" },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        aib_buf_t b;
        int64_t back = 0;
        aib_buf_init(&b);
        CHECK_INT(aib__decimal_format(cases[i].v, &b), 0);
        CHECK_STR(b.data, cases[i].text);
        CHECK_INT(aib__decimal_parse(b.data, b.len, &back), 0);
        CHECK(back == cases[i].v);
        aib_buf_free(&b);
    }
}

/* ---- datetime / duration -------------------------------------------------------------------- */

TEST(ext_datetime_methods)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t d = mk(a, "datetime", "2024-10-15T11:38:02.101Z"), out, x;
    char err[256];

    CHECK_INT(call1(a, AIB__FN_TO_DATE, d, &out, err), 0);
    CHECK(out.kind == AIB__V_DATETIME);
    x = mk(a, "datetime", "2024-10-15");
    CHECK(aib__value_eq(&out, &x));
    CHECK_INT(call1(a, AIB__FN_TO_TIME, d, &out, err), 0);
    CHECK(out.kind == AIB__V_DURATION);
    x = mk(a, "duration", "11h38m2s101ms");
    CHECK(aib__value_eq(&out, &x));

    /* before the epoch: the date rounds down, the time stays non-negative */
    d = mk(a, "datetime", "1969-12-31T23:59:59.999Z");
    CHECK_INT(call1(a, AIB__FN_TO_DATE, d, &out, err), 0);
    CHECK(out.u.i == -86400000);
    CHECK_INT(call1(a, AIB__FN_TO_TIME, d, &out, err), 0);
    CHECK(out.u.i == 86399999);
    d = mk(a, "datetime", "1969-12-31");
    CHECK_INT(call1(a, AIB__FN_TO_DATE, d, &out, err), 0);
    CHECK(out.u.i == -86400000);
    CHECK_INT(call1(a, AIB__FN_TO_TIME, d, &out, err), 0);
    CHECK(out.u.i == 0);

    /* offset and durationSince */
    d = mk(a, "datetime", "2024-01-01");
    CHECK_INT(call2(a, AIB__FN_OFFSET, d, mk(a, "duration", "-1d"), &out, err), 0);
    x = mk(a, "datetime", "2023-12-31");
    CHECK(out.kind == AIB__V_DATETIME && aib__value_eq(&out, &x));
    CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, d, x, &out, err), 0);
    CHECK(out.kind == AIB__V_DURATION && out.u.i == 86400000);
    CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, x, d, &out, err), 0);
    CHECK(out.u.i == -86400000);

    /* offset overflow is an evaluation error of `offset` */
    CHECK_INT(call2(a, AIB__FN_OFFSET, d, mk(a, "duration", "9223372036854775807ms"), &out, err), AIB_EEVAL);
    CHECK(strstr(err, "error while evaluating `offset` extension function: overflows") == err);
    {
        aib__value_t lo, hi;
        lo.kind = hi.kind = AIB__V_DATETIME;
        lo.u.i = INT64_MIN + 5;
        hi.u.i = 10;
        CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, hi, lo, &out, err), AIB_EEVAL);
        CHECK(strstr(err, "`durationSince`") != NULL);
        CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, lo, hi, &out, err), AIB_EEVAL);
        hi.u.i = 3;
        CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, lo, hi, &out, err), 0);
        CHECK(out.u.i == INT64_MIN + 2);
        CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, hi, lo, &out, err), 0);
        CHECK(out.u.i == INT64_MAX - 1);
        /* toDate of the smallest datetimes overflows, toTime never does */
        lo.u.i = INT64_MIN + 1;
        CHECK_INT(call1(a, AIB__FN_TO_DATE, lo, &out, err), AIB_EEVAL);
        CHECK(strstr(err, "`toDate`") != NULL);
        CHECK_INT(call1(a, AIB__FN_TO_TIME, lo, &out, err), 0);
        CHECK(out.u.i >= 0 && out.u.i < 86400000);
        lo.u.i = INT64_MAX;
        CHECK_INT(call1(a, AIB__FN_TO_DATE, lo, &out, err), 0);
        CHECK(out.u.i % 86400000 == 0 && out.u.i <= INT64_MAX && INT64_MAX - out.u.i < 86400000);
    }
    aib_arena_free(a);
}

TEST(ext_duration_conversions_truncate_toward_zero)
{
    aib_arena_t *a = aib_arena_new(0);
    static const struct { const char *text; int64_t ms, s, m, h, d; } cases[] = {
        { "1d2h3m4s5ms", 93784005, 93784, 1563, 26, 1 },
        { "-1d2h3m4s5ms", -93784005, -93784, -1563, -26, -1 },
        { "59s999ms", 59999, 59, 0, 0, 0 },
        { "-59s999ms", -59999, -59, 0, 0, 0 },
        { "-1ms", -1, 0, 0, 0, 0 },
        { "1d23h59m59s999ms", 172799999, 172799, 2879, 47, 1 },
        { "0ms", 0, 0, 0, 0, 0 },
        { "9223372036854775807ms", INT64_MAX, INT64_C(9223372036854775), INT64_C(153722867280912),
          INT64_C(2562047788015), INT64_C(106751991167) },
        { "-9223372036854775808ms", INT64_MIN, INT64_C(-9223372036854775), INT64_C(-153722867280912),
          INT64_C(-2562047788015), INT64_C(-106751991167) },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        aib__value_t d = mk(a, "duration", cases[i].text), out;
        char err[256];
        int64_t want[5] = { cases[i].ms, cases[i].s, cases[i].m, cases[i].h, cases[i].d };
        int k;
        for (k = 0; k < 5; k++) {
            CHECK_INT(call1(a, AIB__FN_TO_MILLISECONDS + k, d, &out, err), 0);
            CHECK(out.kind == AIB__V_LONG);
            if (out.u.i != want[k])
                aib_test_fail(__FILE__, __LINE__, "duration(\"%s\") conversion %d = %lld, expected %lld",
                              cases[i].text, k, (long long)out.u.i, (long long)want[k]);
        }
    }
    aib_arena_free(a);
}

TEST(ext_datetime_duration_format_round_trips)
{
    aib_arena_t *a = aib_arena_new(0);
    static const struct { int64_t ms; const char *dt; } dts[] = {
        { 0, "1970-01-01" },
        { 1, "1970-01-01T00:00:00.001Z" },
        { -1, "1969-12-31T23:59:59.999Z" },
        { 1704067200000, "2024-01-01" },
        { 1704067201000, "2024-01-01T00:00:01Z" },
        { 1709164800000 + 45296789, "2024-02-29T12:34:56.789Z" },
        { INT64_C(-62167219200000), "0000-01-01" },
        { INT64_C(253402300799999), "9999-12-31T23:59:59.999Z" },
    };
    static const int64_t durs[] = { 0, 1, -1, 3600000, INT64_MAX, INT64_MIN };
    size_t i;
    for (i = 0; i < sizeof(dts) / sizeof(dts[0]); i++) {
        aib_buf_t b;
        int64_t back = 0;
        aib_buf_init(&b);
        CHECK_INT(aib__datetime_format(dts[i].ms, &b), 0);
        CHECK_STR(b.data, dts[i].dt);
        CHECK_INT(aib__datetime_parse(b.data, b.len, &back), 0);
        CHECK(back == dts[i].ms);
        aib_buf_free(&b);
    }
    for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
        aib_buf_t b;
        int64_t back = 0;
        aib_buf_init(&b);
        CHECK_INT(aib__duration_format(durs[i], &b), 0);
        CHECK_INT(aib__duration_parse(b.data, b.len, &back), 0);
        CHECK(back == durs[i]);
        aib_buf_free(&b);
    }
    {
        aib_buf_t b;
        aib_buf_init(&b);
        CHECK_INT(aib__duration_format(-90061001, &b), 0);
        CHECK_STR(b.data, "-90061001ms");
        aib_buf_free(&b);
    }
    /* extremes reachable through offset() still format (extended signed years) */
    {
        aib_buf_t b;
        aib_buf_init(&b);
        CHECK_INT(aib__datetime_format(INT64_MIN, &b), 0);
        CHECK(b.len > 10 && b.data[0] == '-');
        aib_buf_clear(&b);
        CHECK_INT(aib__datetime_format(INT64_MAX, &b), 0);
        CHECK(b.len > 10 && b.data[0] == '+');
        aib_buf_clear(&b);
        CHECK_INT(aib__datetime_format(INT64_C(253402300800000), &b), 0);
        CHECK_STR(b.data, "+10000-01-01");
        aib_buf_free(&b);
    }
    /* every day of a leap-year span formats and re-parses to itself */
    for (i = 0; i < 800; i++) {
        int64_t ms = INT64_C(946684800000) + (int64_t)i * 86400000 + (int64_t)i * 1234567 % 86400000, back = -1;
        aib_buf_t b;
        aib_buf_init(&b);
        CHECK_INT(aib__datetime_format(ms, &b), 0);
        CHECK_INT(aib__datetime_parse(b.data, b.len, &back), 0);
        if (back != ms)
            aib_test_fail(__FILE__, __LINE__, "%lld -> %s -> %lld", (long long)ms, b.data, (long long)back);
        aib_buf_free(&b);
    }
    aib_arena_free(a);
}

/* ---- argument checking -------------------------------------------------------------------- */

TEST(ext_call_arity_and_type_errors)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t out, dec = mk(a, "decimal", "1.0"), ip = mk(a, "ip", "1.2.3.4"), dt = mk(a, "datetime", "2024-01-01");
    aib__value_t du = mk(a, "duration", "1h"), ent;
    char err[256];
    aib__uid_t *u = aib__uid_new(a, S("NS::User"), S("alice"));

    ent.kind = AIB__V_ENTITY;
    ent.u.uid = u;

    CHECK_INT(aib__ext_call(AIB__FN_IP, &ip, 0, a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_STR(err, "wrong number of arguments provided to extension function `ip`: expected 1, got 0");
    {
        aib__value_t two[2] = { vstr("1.2.3.4"), vstr("x") };
        CHECK_INT(aib__ext_call(AIB__FN_IP, two, 2, a, &out, err, sizeof(err)), AIB_EEVAL);
        CHECK_STR(err, "wrong number of arguments provided to extension function `ip`: expected 1, got 2");
    }
    CHECK_INT(call1(a, AIB__FN_LESS_THAN, dec, &out, err), AIB_EEVAL);
    CHECK_STR(err, "wrong number of arguments provided to extension function `lessThan`: expected 2, got 1");

    CHECK_INT(call1(a, AIB__FN_DECIMAL, aib__v_long(1), &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected string, got long");
    CHECK_INT(call2(a, AIB__FN_LESS_THAN, dec, aib__v_long(3), &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected decimal, got long");
    CHECK_INT(call2(a, AIB__FN_LESS_THAN, vstr("1.0"), dec, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected decimal, got string");
    CHECK_INT(call2(a, AIB__FN_LESS_THAN, ent, dec, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected decimal, got (entity of type `NS::User`)");
    /* the receiver is checked before the argument */
    CHECK_INT(call2(a, AIB__FN_GREATER_THAN, aib__v_bool(true), aib__v_long(1), &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected decimal, got bool");
    CHECK_INT(call1(a, AIB__FN_IS_IPV4, dec, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected ipaddr, got decimal");
    CHECK_INT(call2(a, AIB__FN_IS_IN_RANGE, ip, aib__v_long(1), &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected ipaddr, got long");
    CHECK_INT(call2(a, AIB__FN_OFFSET, dt, dt, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected duration, got datetime");
    CHECK_INT(call2(a, AIB__FN_OFFSET, du, du, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected datetime, got duration");
    CHECK_INT(call2(a, AIB__FN_DURATION_SINCE, dt, du, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected datetime, got duration");
    CHECK_INT(call1(a, AIB__FN_TO_DATE, du, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected datetime, got duration");
    CHECK_INT(call1(a, AIB__FN_TO_TIME, ip, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected datetime, got ipaddr");
    CHECK_INT(call1(a, AIB__FN_TO_DAYS, dt, &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected duration, got datetime");
    CHECK_INT(call1(a, AIB__FN_TO_SECONDS, aib__v_long(1000), &out, err), AIB_EEVAL);
    CHECK_STR(err, "type error: expected duration, got long");

    /* non-extension ids are refused, and a NULL error buffer is fine */
    CHECK_INT(aib__ext_call(AIB__FN_CONTAINS, &ip, 1, a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_INT(aib__ext_call(AIB__FN__COUNT, &ip, 1, a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_INT(aib__ext_call(AIB__FN_IS_IPV4, &dec, 1, a, &out, NULL, 0), AIB_EEVAL);
    aib_arena_free(a);
}

TEST(ext_constructor_results)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t v = mk(a, "ip", "192.168.0.1/16");
    CHECK_INT(v.kind, AIB__V_IP);
    CHECK(v.u.ip && v.u.ip->prefix == 16 && v.u.ip->addr[0] == 192 && v.u.ip->addr[3] == 1);
    v = mk(a, "decimal", "-3.25");
    CHECK_INT(v.kind, AIB__V_DECIMAL);
    CHECK(v.u.i == -32500);
    v = mk(a, "datetime", "1970-01-01T00:00:01Z");
    CHECK_INT(v.kind, AIB__V_DATETIME);
    CHECK(v.u.i == 1000);
    v = mk(a, "duration", "-2s");
    CHECK_INT(v.kind, AIB__V_DURATION);
    CHECK(v.u.i == -2000);
    aib_arena_free(a);
}

/* ---- __extn escapes ----------------------------------------------------------------------- */

TEST(ext_construct_from_json_escape)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t out, want;
    char err[256];

    CHECK_INT(aib__ext_construct(S("ip"), S("10.0.0.1/8"), a, &out, err, sizeof(err)), 0);
    want = mk(a, "ip", "10.0.0.1/8");
    CHECK(aib__value_eq(&out, &want));
    CHECK_INT(aib__ext_construct(S("decimal"), S("1.5"), a, &out, err, sizeof(err)), 0);
    CHECK(out.kind == AIB__V_DECIMAL && out.u.i == 15000);
    CHECK_INT(aib__ext_construct(S("datetime"), S("2024-01-01"), a, &out, err, sizeof(err)), 0);
    CHECK(out.kind == AIB__V_DATETIME && out.u.i == 1704067200000);
    CHECK_INT(aib__ext_construct(S("duration"), S("1h"), a, &out, err, sizeof(err)), 0);
    CHECK(out.kind == AIB__V_DURATION && out.u.i == 3600000);

    /* invalid literal: the constructor's own message */
    CHECK_INT(aib__ext_construct(S("ip"), S("1.2.3"), a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_STR(err, "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3");
    /* the reserved namespace is refused, as the reference does */
    CHECK_INT(aib__ext_construct(S("__cedar::ip"), S("1.2.3.4"), a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK(strstr(err, "reserved") != NULL);
    /* unknown function */
    CHECK_INT(aib__ext_construct(S("ipaddr"), S("1.2.3.4"), a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK(strstr(err, "does not exist") != NULL);
    /* a non-constructor with a single argument fails like a call with one argument */
    CHECK_INT(aib__ext_construct(S("lessThan"), S("1.0"), a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_STR(err, "wrong number of arguments provided to extension function `lessThan`: expected 2, got 1");
    CHECK_INT(aib__ext_construct(S("isIpv4"), S("1.2.3.4"), a, &out, err, sizeof(err)), AIB_EEVAL);
    CHECK_STR(err, "type error: expected ipaddr, got string");
    /* arguments are length-counted */
    CHECK_INT(aib__ext_construct(S("decimal"), (aib_str_t){ "1.5\0", 4 }, a, &out, err, sizeof(err)), AIB_EEVAL);
    aib_arena_free(a);
}

TEST(ext_value_json_round_trip)
{
    aib_arena_t *a = aib_arena_new(0);
    static const struct { const char *kind, *text, *fn; } cases[] = {
        { "ip", "10.0.0.1/24", "ip" }, { "ip", "FE80::1", "ip" }, { "decimal", "-0.5", "decimal" },
        { "datetime", "2024-10-15T11:38:02.101-1134", "datetime" }, { "duration", "-1d2h3m4s5ms", "duration" },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        aib__value_t v = mk(a, cases[i].kind, cases[i].text), back;
        aib_buf_t b;
        char prefix[64], err[256];
        const char *arg, *end;
        aib_buf_init(&b);
        CHECK_INT(aib__value_json(&v, &b), 0);
        snprintf(prefix, sizeof(prefix), "{\"__extn\":{\"fn\":\"%s\",\"arg\":\"", cases[i].fn);
        CHECK(strncmp(b.data, prefix, strlen(prefix)) == 0);
        arg = b.data + strlen(prefix);
        end = strchr(arg, '"');
        CHECK(end != NULL);
        if (end) {
            CHECK_INT(aib__ext_construct(S(cases[i].fn), (aib_str_t){ arg, (size_t)(end - arg) }, a, &back, err,
                                         sizeof(err)), 0);
            CHECK(aib__value_eq(&v, &back));
        }
        aib_buf_free(&b);
    }
    aib_arena_free(a);
}
