/* ext_ip.c — Cedar's `ipaddr` extension: parsing ip("...") literals with the reference's exact
 * acceptance rules (Rust std address syntax, no IPv4-embedded IPv6, strict CIDR prefixes),
 * the canonical text form, and the isLoopback / isMulticast / isInRange predicates that ext.c
 * dispatches to. */
#include "cedar/ext_int.h"

#include <stdio.h>
#include <string.h>

#define IP_STR_MAX 43 /* longest accepted text: 8 full hex groups plus "/128" */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Dotted quad: exactly four decimal octets, each 1-3 digits, <= 255, and no leading zero
 * unless the octet is "0" (as Rust's std parser requires). */
static bool parse_v4(const char *s, size_t len, uint8_t out[4])
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        size_t start;
        unsigned v = 0;
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return false;
            i++;
        }
        start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (i - start >= 3)
                return false;
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
            return false;
        out[part] = (uint8_t)v;
    }
    return i == len;
}

/* Reads up to max colon-separated hex groups (1-4 digits each) starting at *pos; a group is
 * only taken when the separator and at least one digit follow. Returns the count read. */
static int read_groups(const char *s, size_t len, size_t *pos, uint16_t *groups, int max)
{
    size_t i = *pos;
    int n = 0;

    while (n < max) {
        size_t j = i, start;
        unsigned v = 0;
        if (n > 0) {
            if (j >= len || s[j] != ':')
                break;
            j++;
        }
        start = j;
        while (j < len && hexval(s[j]) >= 0) {
            if (j - start >= 4)
                return -1; /* five or more digits: the whole address is invalid */
            v = v * 16 + (unsigned)hexval(s[j]);
            j++;
        }
        if (j == start)
            break;
        groups[n++] = (uint16_t)v;
        i = j;
    }
    *pos = i;
    return n;
}

/* RFC 4291 text form without an embedded IPv4 part: up to eight groups, one "::". */
static bool parse_v6(const char *s, size_t len, uint8_t out[16])
{
    uint16_t head[8] = { 0 }, tail[7] = { 0 };
    size_t pos = 0;
    int nh, nt, k;

    nh = read_groups(s, len, &pos, head, 8);
    if (nh < 0)
        return false;
    if (nh < 8) {
        if (pos + 1 >= len || s[pos] != ':' || s[pos + 1] != ':')
            return false;
        pos += 2;
        nt = read_groups(s, len, &pos, tail, 7 - nh);
        if (nt < 0)
            return false;
        for (k = 0; k < nt; k++)
            head[8 - nt + k] = tail[k];
    }
    if (pos != len)
        return false;
    for (k = 0; k < 8; k++) {
        out[2 * k] = (uint8_t)(head[k] >> 8);
        out[2 * k + 1] = (uint8_t)(head[k] & 0xff);
    }
    return true;
}

static bool parse_addr(const char *s, size_t len, aib__ipaddr_t *ip)
{
    memset(ip, 0, sizeof(*ip));
    if (parse_v4(s, len, ip->addr)) {
        ip->v6 = 0;
        return true;
    }
    if (parse_v6(s, len, ip->addr)) {
        ip->v6 = 1;
        return true;
    }
    return false;
}

/* True when c occurs at least twice in s. */
static bool at_least_two(const char *s, size_t len, char c)
{
    const char *p = memchr(s, c, len);
    return p && memchr(p + 1, c, len - (size_t)(p - s) - 1) != NULL;
}

#define SHOW(len) (int)((len) > 64 ? 64 : (len))

int aib__ip_parse_msg(const char *s, size_t len, aib__ipaddr_t *out, char *msg, size_t cap)
{
    const char *slash;
    aib__ipaddr_t ip;
    char dummy[1];

    if (!msg || !cap) {
        msg = dummy;
        cap = sizeof(dummy);
    }
    if (len > IP_STR_MAX) {
        snprintf(msg, cap, "error parsing IP address from string `%.*s`: string length is too large",
                 SHOW(len), s);
        return AIB_EINVAL;
    }
    if (at_least_two(s, len, ':') && at_least_two(s, len, '.')) {
        snprintf(msg, cap,
                 "error parsing IP address from string: We do not accept IPv4 embedded in IPv6 "
                 "(e.g., ::ffff:127.0.0.1). Found: `%.*s`", SHOW(len), s);
        return AIB_EINVAL;
    }
    slash = memchr(s, '/', len);
    if (slash) {
        size_t alen = (size_t)(slash - s), plen = len - alen - 1, i;
        const char *p = slash + 1;
        unsigned v = 0, max;
        if (!parse_addr(s, alen, &ip)) {
            snprintf(msg, cap, "error parsing IP address from the string `%.*s`: invalid IP address syntax",
                     SHOW(alen), s);
            return AIB_EINVAL;
        }
        max = ip.v6 ? 128 : 32;
        if (plen > (ip.v6 ? 3u : 2u)) {
            snprintf(msg, cap, "error parsing prefix: string length %zu is too large", plen);
            return AIB_EINVAL;
        }
        for (i = 0; i < plen; i++) {
            if (p[i] < '0' || p[i] > '9') {
                snprintf(msg, cap, "error parsing prefix `%.*s`: encountered non-digit", SHOW(plen), p);
                return AIB_EINVAL;
            }
            v = v * 10 + (unsigned)(p[i] - '0');
        }
        if (plen > 1 && p[0] == '0') {
            snprintf(msg, cap, "error parsing prefix `%.*s`: leading zero(s)", SHOW(plen), p);
            return AIB_EINVAL;
        }
        if (plen == 0) {
            snprintf(msg, cap, "error parsing prefix from the string ``: cannot parse integer from empty string");
            return AIB_EINVAL;
        }
        if (v > max) {
            snprintf(msg, cap, "error parsing prefix: %u is larger than the limit %u", v, max);
            return AIB_EINVAL;
        }
        ip.prefix = (uint8_t)v;
    } else {
        if (!parse_addr(s, len, &ip)) {
            snprintf(msg, cap, "invalid IP address: %.*s", SHOW(len), s);
            return AIB_EINVAL;
        }
        ip.prefix = ip.v6 ? 128 : 32;
    }
    *out = ip;
    return 0;
}

int aib__ip_parse(const char *s, size_t len, aib__ipaddr_t *out)
{
    return aib__ip_parse_msg(s, len, out, NULL, 0);
}

/* IPv4 as a dotted quad; IPv6 in the RFC 5952 form (lowercase, longest run of two or more zero
 * groups shortened to "::", the first such run on ties). IPv4-mapped addresses are written in
 * hex rather than with a dotted tail, because ip() rejects the dotted form. The prefix is
 * appended only when it is not the full length, so the text re-parses to the same value. */
int aib__ip_format(const aib__ipaddr_t *ip, aib_buf_t *out)
{
    int rc = 0;

    if (!ip->v6) {
        rc = aib_buf_printf(out, "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
    } else {
        unsigned g[8];
        int k, best = -1, best_len = 0, cur = -1, cur_len = 0;
        for (k = 0; k < 8; k++) {
            g[k] = ((unsigned)ip->addr[2 * k] << 8) | ip->addr[2 * k + 1];
            if (g[k] == 0) {
                if (cur_len == 0)
                    cur = k;
                cur_len++;
                if (cur_len > best_len) {
                    best = cur;
                    best_len = cur_len;
                }
            } else {
                cur_len = 0;
            }
        }
        if (best_len < 2)
            best = -1;
        for (k = 0; k < 8 && rc == 0; k++) {
            if (k == best) {
                rc = aib_buf_puts(out, "::");
                k += best_len - 1;
                continue;
            }
            if (k > 0 && k != best + best_len)
                rc = aib_buf_putc(out, ':');
            if (rc == 0)
                rc = aib_buf_printf(out, "%x", g[k]);
        }
    }
    if (rc == 0 && ip->prefix != (ip->v6 ? 128 : 32))
        rc = aib_buf_printf(out, "/%u", ip->prefix);
    return rc;
}

bool aib__ip_is_loopback(const aib__ipaddr_t *ip)
{
    static const uint8_t v6_loop[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    if (!ip->v6)
        return ip->addr[0] == 127 && ip->prefix >= 8;
    return memcmp(ip->addr, v6_loop, 16) == 0 && ip->prefix >= 128;
}

bool aib__ip_is_multicast(const aib__ipaddr_t *ip)
{
    if (!ip->v6)
        return (ip->addr[0] & 0xf0) == 0xe0 && ip->prefix >= 4;
    return ip->addr[0] == 0xff && ip->prefix >= 8;
}

/* First and last address of ip's range, as big-endian bytes (so memcmp orders them). */
static void range_of(const aib__ipaddr_t *ip, uint8_t lo[16], uint8_t hi[16])
{
    int nbytes = ip->v6 ? 16 : 4, k;
    for (k = 0; k < nbytes; k++) {
        int bits = (int)ip->prefix - 8 * k; /* prefix bits inside this byte */
        uint8_t mask = bits >= 8 ? 0xff : (bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits)));
        lo[k] = ip->addr[k] & mask;
        hi[k] = ip->addr[k] | (uint8_t)~mask;
    }
}

bool aib__ip_in_range(const aib__ipaddr_t *a, const aib__ipaddr_t *b)
{
    uint8_t alo[16], ahi[16], blo[16], bhi[16];
    size_t n;

    if (a->v6 != b->v6)
        return false;
    n = a->v6 ? 16 : 4;
    range_of(a, alo, ahi);
    range_of(b, blo, bhi);
    return memcmp(blo, alo, n) <= 0 && memcmp(ahi, bhi, n) <= 0;
}
