/* error.c — aib_strerror, diagnostics and string-view helpers used by every module. */
#include "aib/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *aib_strerror(int err)
{
    switch (err) {
    case AIB_OK: return "success";
    case AIB_ENOMEM: return "out of memory";
    case AIB_EINVAL: return "invalid input";
    case AIB_EPARSE: return "parse error";
    case AIB_EIO: return "input/output error";
    case AIB_ENOTFOUND: return "not found";
    case AIB_ELIMIT: return "limit exceeded";
    case AIB_ETYPE: return "type error";
    case AIB_EEVAL: return "evaluation error";
    case AIB_ESCHEMA: return "does not conform to schema";
    case AIB_EEXIST: return "already exists";
    case AIB_EDENIED: return "permission denied";
    case AIB_EINTERNAL: return "internal error";
    default: return "unknown error";
    }
}

bool aib_str_eq(aib_str_t a, aib_str_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool aib_str_eq_cstr(aib_str_t a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && (n == 0 || memcmp(a.ptr, b, n) == 0);
}

int aib_str_cmp(aib_str_t a, aib_str_t b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
}

void aib_diag_clear(aib_diag_t *d)
{
    if (d)
        memset(d, 0, sizeof(*d));
}

void aib_diag_set(aib_diag_t *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return;
    snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
    d->line = line;
    d->col = col;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
}

void aib_diag_format(const aib_diag_t *d, char *buf, size_t cap)
{
    if (!cap)
        return;
    if (!d) {
        buf[0] = '\0';
        return;
    }
    if (d->file[0] && d->line > 0)
        snprintf(buf, cap, "%s:%d:%d: %s", d->file, d->line, d->col, d->msg);
    else if (d->file[0])
        snprintf(buf, cap, "%s: %s", d->file, d->msg);
    else if (d->line > 0)
        snprintf(buf, cap, "%d:%d: %s", d->line, d->col, d->msg);
    else
        snprintf(buf, cap, "%s", d->msg);
}

int aib_parse_i64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, lim;

    if (len == 0)
        return AIB_EINVAL;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (len == 1)
            return AIB_EINVAL;
    }
    lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        unsigned dgt;
        if (s[i] < '0' || s[i] > '9')
            return AIB_EINVAL;
        dgt = (unsigned)(s[i] - '0');
        if (v > (lim - dgt) / 10)
            return AIB_EINVAL;
        v = v * 10 + dgt;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return AIB_OK;
}
