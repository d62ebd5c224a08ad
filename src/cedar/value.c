/* value.c — Cedar entity uids and values: hashing, the total order that also decides Cedar's
 * `==`, canonical sets and records, and the text forms (Cedar syntax for messages, Cedar's JSON
 * value form for output). Everything the evaluator, entity store and JSON loaders share about
 * values lives here; extension values delegate their text forms to ext_*.c. */
#include "cedar/cedar_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Hashing ------------------------------------------------------------------------------ */

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Eight bytes per step, multiply-xorshift; the length is folded in first so that inputs of
 * different lengths with zero padding do not collide systematically. */
uint64_t aib__hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
    uint64_t k;

    while (n >= 8) {
        memcpy(&k, s, 8);
        h = (h ^ mix64(k)) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    k = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the same value as the memcpy below, without a library call for a short tail */
    while (n)
        k = (k << 8) | s[--n];
#else
    if (n)
        memcpy(&k, s, n);
#endif
    h = (h ^ mix64(k ^ 0x94d049bb133111ebULL)) * 0xbf58476d1ce4e5b9ULL;
    return mix64(h);
}

/* The type's hash seeds the id's hash, and both lengths enter the hash, so ("A","B::x") and
 * ("A::B","x") differ. */
uint64_t aib__uid_hash(aib_str_t type, aib_str_t id)
{
    uint64_t h = aib__hash_bytes(type.ptr, type.len, 0x243f6a8885a308d3ULL);
    return aib__hash_bytes(id.ptr, id.len, h);
}

bool aib__uid_eq(const aib__uid_t *a, const aib__uid_t *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    return a->hash == b->hash && aib_str_eq(a->type, b->type) && aib_str_eq(a->id, b->id);
}

aib__uid_t *aib__uid_new(aib_arena_t *a, aib_str_t type, aib_str_t id)
{
    aib__uid_t *u = aib_arena_alloc(a, sizeof(*u));
    if (!u)
        return NULL;
    u->type = aib_arena_str(a, type.ptr ? type.ptr : "", type.len);
    u->id = aib_arena_str(a, id.ptr ? id.ptr : "", id.len);
    if (!u->type.ptr || !u->id.ptr)
        return NULL;
    u->hash = aib__uid_hash(u->type, u->id);
    return u;
}

bool aib__is_action_type(aib_str_t type)
{
    static const char act[] = "Action";
    const size_t n = sizeof(act) - 1;
    if (type.len == n)
        return memcmp(type.ptr, act, n) == 0;
    return type.len > n + 2 && memcmp(type.ptr + type.len - n, act, n) == 0 &&
           memcmp(type.ptr + type.len - n - 2, "::", 2) == 0;
}

/* ---- Cedar string escaping ---------------------------------------------------------------- */

/* Decodes one UTF-8 sequence at s[0..n); returns its length, or 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len, i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0) {
        len = 2;
        c = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        len = 3;
        c = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* Code points Rust's escape_debug writes as \u{..}: controls and the common invisible
 * format characters (an approximation of Rust's full printable table, enough for messages). */
static bool cp_needs_escape(uint32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || c == 0x61c || c == 0x180e ||
           (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
           (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000;
}

/* Appends s escaped the way Cedar prints string contents (Rust escape_debug style). */
static int escape_cedar(aib_buf_t *out, aib_str_t s)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t i = 0, run = 0;
    int rc = 0;

    while (i < s.len && rc == 0) {
        uint32_t cp = 0;
        size_t n = utf8_decode(p + i, s.len - i, &cp);
        const char *esc = NULL;
        char ubuf[16];

        if (n == 0) {
            cp = 0xfffd;
            n = 1;
            esc = "\\u{fffd}";
        } else if (cp == '\t') {
            esc = "\\t";
        } else if (cp == '\r') {
            esc = "\\r";
        } else if (cp == '\n') {
            esc = "\\n";
        } else if (cp == '\\') {
            esc = "\\\\";
        } else if (cp == '"') {
            esc = "\\\"";
        } else if (cp == '\'') {
            esc = "\\'";
        } else if (cp == 0) {
            esc = "\\0";
        } else if (cp_needs_escape(cp)) {
            snprintf(ubuf, sizeof(ubuf), "\\u{%x}", (unsigned)cp);
            esc = ubuf;
        }
        if (esc) {
            if (run)
                rc = aib_buf_append(out, s.ptr + i - run, run);
            run = 0;
            if (rc == 0)
                rc = aib_buf_puts(out, esc);
        } else {
            run += n;
        }
        i += n;
    }
    if (rc == 0 && run)
        rc = aib_buf_append(out, s.ptr + i - run, run);
    return rc;
}

int aib__uid_format(const aib__uid_t *u, aib_buf_t *out)
{
    int rc = aib_buf_append(out, u->type.ptr, u->type.len);
    if (rc == 0)
        rc = aib_buf_puts(out, "::\"");
    if (rc == 0)
        rc = escape_cedar(out, u->id);
    if (rc == 0)
        rc = aib_buf_putc(out, '"');
    return rc;
}

/* ---- Order and equality ------------------------------------------------------------------ */

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : (a > b ? 1 : 0);
}

/* Structural: family, then address bytes, then prefix length. Cedar compares ipaddr values
 * field by field, so 10.0.0.1/24 and 10.0.0.0/24 differ while 10.0.0.1 and 10.0.0.1/32 match. */
static int cmp_ip(const aib__ipaddr_t *a, const aib__ipaddr_t *b)
{
    int c;
    if (a->v6 != b->v6)
        return a->v6 < b->v6 ? -1 : 1;
    c = memcmp(a->addr, b->addr, a->v6 ? 16 : 4);
    if (c)
        return c < 0 ? -1 : 1;
    return a->prefix < b->prefix ? -1 : (a->prefix > b->prefix ? 1 : 0);
}

int aib__value_cmp(const aib__value_t *a, const aib__value_t *b)
{
    size_t i, n;
    int c;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    switch (a->kind) {
    case AIB__V_BOOL:
        return (int)a->u.b - (int)b->u.b;
    case AIB__V_LONG:
    case AIB__V_DECIMAL:
    case AIB__V_DATETIME:
    case AIB__V_DURATION:
        return cmp_i64(a->u.i, b->u.i);
    case AIB__V_STRING:
        return aib_str_cmp(a->u.s, b->u.s);
    case AIB__V_ENTITY:
        if (a->u.uid == b->u.uid)
            return 0;
        c = aib_str_cmp(a->u.uid->type, b->u.uid->type);
        return c ? c : aib_str_cmp(a->u.uid->id, b->u.uid->id);
    case AIB__V_SET:
        if (a->u.set == b->u.set)
            return 0;
        n = a->u.set->n < b->u.set->n ? a->u.set->n : b->u.set->n;
        for (i = 0; i < n; i++) {
            c = aib__value_cmp(&a->u.set->items[i], &b->u.set->items[i]);
            if (c)
                return c;
        }
        return cmp_i64((int64_t)a->u.set->n, (int64_t)b->u.set->n);
    case AIB__V_RECORD:
        if (a->u.rec == b->u.rec)
            return 0;
        n = a->u.rec->n < b->u.rec->n ? a->u.rec->n : b->u.rec->n;
        for (i = 0; i < n; i++) {
            c = aib_str_cmp(a->u.rec->fields[i].key, b->u.rec->fields[i].key);
            if (c)
                return c;
            c = aib__value_cmp(&a->u.rec->fields[i].val, &b->u.rec->fields[i].val);
            if (c)
                return c;
        }
        return cmp_i64((int64_t)a->u.rec->n, (int64_t)b->u.rec->n);
    case AIB__V_IP:
        return a->u.ip == b->u.ip ? 0 : cmp_ip(a->u.ip, b->u.ip);
    default:
        return 0;
    }
}

bool aib__value_eq(const aib__value_t *a, const aib__value_t *b)
{
    return aib__value_cmp(a, b) == 0;
}

/* ---- Sets and records -------------------------------------------------------------------- */

static int qcmp_value(const void *x, const void *y)
{
    return aib__value_cmp(x, y);
}

/* Short arrays (the usual set or record) sort faster by insertion than through qsort's
 * indirect comparisons; the order is the same (the comparison is total and equal elements are
 * interchangeable: duplicates are dropped or reported). */
#define SMALL_SORT_MAX 16

aib__set_t *aib__set_make(aib_arena_t *a, const aib__value_t *items, size_t n)
{
    aib__set_t *s;
    size_t i, w;

    if (n > (SIZE_MAX - sizeof(*s)) / sizeof(aib__value_t))
        return NULL;
    s = aib_arena_alloc(a, sizeof(*s) + n * sizeof(aib__value_t));
    if (!s)
        return NULL;
    if (n)
        memcpy(s->items, items, n * sizeof(aib__value_t));
    if (n > 1 && n <= SMALL_SORT_MAX) {
        for (i = 1; i < n; i++) {
            aib__value_t t = s->items[i];
            size_t j = i;
            while (j > 0 && aib__value_cmp(&s->items[j - 1], &t) > 0) {
                s->items[j] = s->items[j - 1];
                j--;
            }
            s->items[j] = t;
        }
    } else if (n > 1) {
        qsort(s->items, n, sizeof(aib__value_t), qcmp_value);
    }
    w = n ? 1 : 0;
    for (i = 1; i < n; i++)
        if (aib__value_cmp(&s->items[w - 1], &s->items[i]) != 0)
            s->items[w++] = s->items[i];
    s->n = w;
    return s;
}

bool aib__set_contains(const aib__set_t *s, const aib__value_t *v)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = aib__value_cmp(&s->items[mid], v);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int qcmp_field(const void *x, const void *y)
{
    const aib__field_t *a = x, *b = y;
    return aib_str_cmp(a->key, b->key);
}

int aib__record_make(aib_arena_t *a, const aib__field_t *fields, size_t n, aib__record_t **out,
                     aib_str_t *dup)
{
    aib__record_t *r;
    size_t i;

    *out = NULL;
    if (n > (SIZE_MAX - sizeof(*r)) / sizeof(aib__field_t))
        return AIB_ENOMEM;
    r = aib_arena_alloc(a, sizeof(*r) + n * sizeof(aib__field_t));
    if (!r)
        return AIB_ENOMEM;
    r->n = n;
    if (n)
        memcpy(r->fields, fields, n * sizeof(aib__field_t));
    if (n > 1 && n <= SMALL_SORT_MAX) {
        for (i = 1; i < n; i++) {
            aib__field_t t = r->fields[i];
            size_t j = i;
            while (j > 0 && aib_str_cmp(r->fields[j - 1].key, t.key) > 0) {
                r->fields[j] = r->fields[j - 1];
                j--;
            }
            r->fields[j] = t;
        }
    } else if (n > 1) {
        qsort(r->fields, n, sizeof(aib__field_t), qcmp_field);
    }
    for (i = 1; i < n; i++) {
        if (aib_str_eq(r->fields[i - 1].key, r->fields[i].key)) {
            if (dup)
                *dup = r->fields[i].key;
            return AIB_EEXIST;
        }
    }
    *out = r;
    return 0;
}

/* Records below this size are scanned: comparing lengths first rejects most fields without
 * touching their bytes, which beats the branchy binary search on the short records policies see. */
#define RECORD_SCAN_MAX 8

static bool key_eq(aib_str_t a, aib_str_t b)
{
    return a.len == b.len && (a.len == 0 || (a.ptr[0] == b.ptr[0] && memcmp(a.ptr, b.ptr, a.len) == 0));
}

const aib__value_t *aib__record_get(const aib__record_t *r, aib_str_t key)
{
    size_t lo = 0, hi, i;

    if (!r)
        return NULL;
    if (r->n <= RECORD_SCAN_MAX) {
        for (i = 0; i < r->n; i++)
            if (key_eq(r->fields[i].key, key))
                return &r->fields[i].val;
        return NULL;
    }
    hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = aib_str_cmp(r->fields[mid].key, key);
        if (c == 0)
            return &r->fields[mid].val;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *aib__vkind_name(int kind)
{
    switch (kind) {
    case AIB__V_BOOL: return "bool";
    case AIB__V_LONG: return "long";
    case AIB__V_STRING: return "string";
    case AIB__V_ENTITY: return "entity";
    case AIB__V_SET: return "set";
    case AIB__V_RECORD: return "record";
    case AIB__V_DECIMAL: return "decimal";
    case AIB__V_IP: return "ipaddr";
    case AIB__V_DATETIME: return "datetime";
    case AIB__V_DURATION: return "duration";
    default: return "unknown";
    }
}

/* ---- Text forms -------------------------------------------------------------------------- */

/* Constructor name and canonical argument text of an extension value. */
static int ext_text(const aib__value_t *v, const char **fn, aib_buf_t *arg)
{
    switch (v->kind) {
    case AIB__V_DECIMAL:
        *fn = "decimal";
        return aib__decimal_format(v->u.i, arg);
    case AIB__V_IP:
        *fn = "ip";
        return aib__ip_format(v->u.ip, arg);
    case AIB__V_DATETIME:
        *fn = "datetime";
        return aib__datetime_format(v->u.i, arg);
    case AIB__V_DURATION:
        *fn = "duration";
        return aib__duration_format(v->u.i, arg);
    default:
        return AIB_EINTERNAL;
    }
}

int aib__value_format(const aib__value_t *v, aib_buf_t *out)
{
    size_t i;
    int rc = 0;

    switch (v->kind) {
    case AIB__V_BOOL:
        return aib_buf_puts(out, v->u.b ? "true" : "false");
    case AIB__V_LONG:
        return aib_buf_printf(out, "%lld", (long long)v->u.i);
    case AIB__V_STRING:
        rc = aib_buf_putc(out, '"');
        if (rc == 0)
            rc = escape_cedar(out, v->u.s);
        if (rc == 0)
            rc = aib_buf_putc(out, '"');
        return rc;
    case AIB__V_ENTITY:
        return aib__uid_format(v->u.uid, out);
    case AIB__V_SET:
        rc = aib_buf_putc(out, '[');
        for (i = 0; i < v->u.set->n && rc == 0; i++) {
            if (i)
                rc = aib_buf_puts(out, ", ");
            if (rc == 0)
                rc = aib__value_format(&v->u.set->items[i], out);
        }
        if (rc == 0)
            rc = aib_buf_putc(out, ']');
        return rc;
    case AIB__V_RECORD:
        rc = aib_buf_putc(out, '{');
        for (i = 0; i < v->u.rec->n && rc == 0; i++) {
            if (i)
                rc = aib_buf_puts(out, ", ");
            if (rc == 0)
                rc = aib_buf_putc(out, '"');
            if (rc == 0)
                rc = escape_cedar(out, v->u.rec->fields[i].key);
            if (rc == 0)
                rc = aib_buf_puts(out, "\": ");
            if (rc == 0)
                rc = aib__value_format(&v->u.rec->fields[i].val, out);
        }
        if (rc == 0)
            rc = aib_buf_putc(out, '}');
        return rc;
    default: {
        const char *fn = "";
        aib_buf_t arg;
        aib_buf_init(&arg);
        rc = ext_text(v, &fn, &arg);
        if (rc == 0)
            rc = aib_buf_printf(out, "%s(\"", fn);
        if (rc == 0)
            rc = escape_cedar(out, (aib_str_t){ arg.data ? arg.data : "", arg.len });
        if (rc == 0)
            rc = aib_buf_puts(out, "\")");
        aib_buf_free(&arg);
        return rc;
    }
    }
}

int aib__value_json(const aib__value_t *v, aib_buf_t *out)
{
    size_t i;
    int rc = 0;

    switch (v->kind) {
    case AIB__V_BOOL:
        return aib_buf_puts(out, v->u.b ? "true" : "false");
    case AIB__V_LONG:
        return aib_buf_printf(out, "%lld", (long long)v->u.i);
    case AIB__V_STRING:
        return aib_buf_json_str(out, v->u.s.ptr, v->u.s.len);
    case AIB__V_ENTITY:
        rc = aib_buf_puts(out, "{\"__entity\":{\"type\":");
        if (rc == 0)
            rc = aib_buf_json_str(out, v->u.uid->type.ptr, v->u.uid->type.len);
        if (rc == 0)
            rc = aib_buf_puts(out, ",\"id\":");
        if (rc == 0)
            rc = aib_buf_json_str(out, v->u.uid->id.ptr, v->u.uid->id.len);
        if (rc == 0)
            rc = aib_buf_puts(out, "}}");
        return rc;
    case AIB__V_SET:
        rc = aib_buf_putc(out, '[');
        for (i = 0; i < v->u.set->n && rc == 0; i++) {
            if (i)
                rc = aib_buf_putc(out, ',');
            if (rc == 0)
                rc = aib__value_json(&v->u.set->items[i], out);
        }
        if (rc == 0)
            rc = aib_buf_putc(out, ']');
        return rc;
    case AIB__V_RECORD:
        rc = aib_buf_putc(out, '{');
        for (i = 0; i < v->u.rec->n && rc == 0; i++) {
            if (i)
                rc = aib_buf_putc(out, ',');
            if (rc == 0)
                rc = aib_buf_json_str(out, v->u.rec->fields[i].key.ptr, v->u.rec->fields[i].key.len);
            if (rc == 0)
                rc = aib_buf_putc(out, ':');
            if (rc == 0)
                rc = aib__value_json(&v->u.rec->fields[i].val, out);
        }
        if (rc == 0)
            rc = aib_buf_putc(out, '}');
        return rc;
    default: {
        const char *fn = "";
        aib_buf_t arg;
        aib_buf_init(&arg);
        rc = ext_text(v, &fn, &arg);
        if (rc == 0)
            rc = aib_buf_printf(out, "{\"__extn\":{\"fn\":\"%s\",\"arg\":", fn);
        if (rc == 0)
            rc = aib_buf_json_str(out, arg.data ? arg.data : "", arg.len);
        if (rc == 0)
            rc = aib_buf_puts(out, "}}");
        aib_buf_free(&arg);
        return rc;
    }
    }
}

/* ---- `like` patterns --------------------------------------------------------------------- */

/* Matches literal run l at s[pos..] exactly. */
static bool lit_at(aib_str_t s, size_t pos, aib_str_t l)
{
    return pos <= s.len && l.len <= s.len - pos && (l.len == 0 || memcmp(s.ptr + pos, l.ptr, l.len) == 0);
}

/* Finds the first occurrence of l in s at or after pos; returns its offset or SIZE_MAX. */
static size_t find_lit(aib_str_t s, size_t pos, aib_str_t l)
{
    size_t i;
    if (l.len == 0)
        return pos;
    if (pos > s.len || l.len > s.len - pos)
        return SIZE_MAX;
    for (i = pos; i + l.len <= s.len; i++) {
        const void *hit = memchr(s.ptr + i, (unsigned char)l.ptr[0], s.len - l.len + 1 - i);
        if (!hit)
            return SIZE_MAX;
        i = (size_t)((const char *)hit - s.ptr);
        if (memcmp(s.ptr + i, l.ptr, l.len) == 0)
            return i;
    }
    return SIZE_MAX;
}

/* Patterns are sequences of literal runs separated by stars. Between stars, the leftmost
 * occurrence of each run is always the best choice (a later one can only leave less room for
 * what follows), so a single left-to-right scan decides the match without backtracking. The
 * last run must sit at the end of the string when the pattern does not end with a star.
 *
 * Matching is bytewise: UTF-8 literals only match at code-point boundaries of a valid UTF-8
 * subject, so this equals matching by characters. */
bool aib__pattern_match(const aib__pattern_t *p, aib_str_t s)
{
    size_t i = 0, pos = 0, last;
    size_t n = p->n;

    /* Leading literals must match at the start. */
    while (i < n && !p->elems[i].star) {
        if (!lit_at(s, pos, p->elems[i].lit))
            return false;
        pos += p->elems[i].lit.len;
        i++;
    }
    if (i == n)
        return pos == s.len;
    /* Trailing literals (after the last star) must match at the end. */
    last = n;
    {
        size_t tail = 0, j = n;
        while (j > i && !p->elems[j - 1].star) {
            tail += p->elems[j - 1].lit.len;
            j--;
        }
        if (tail > s.len - pos)
            return false;
        {
            size_t at = s.len - tail, k;
            for (k = j; k < n; k++) {
                if (!lit_at(s, at, p->elems[k].lit))
                    return false;
                at += p->elems[k].lit.len;
            }
        }
        last = j;
        s.len -= tail; /* the middle part must fit before the tail */
    }
    /* Middle: star (lit+ star)* — each literal group found leftmost. */
    while (i < last) {
        if (p->elems[i].star) {
            i++;
            continue;
        }
        {
            /* Concatenate consecutive literals into one contiguous requirement. */
            size_t j = i, total = 0, at;
            while (j < last && !p->elems[j].star) {
                total += p->elems[j].lit.len;
                j++;
            }
            if (j == i + 1) {
                at = find_lit(s, pos, p->elems[i].lit);
                if (at == SIZE_MAX)
                    return false;
                pos = at + total;
            } else {
                /* Rare (the parser merges runs): try each start position in order. */
                size_t start;
                bool found = false;
                for (start = pos; !found && start + total <= s.len; start++) {
                    size_t k, q = start;
                    bool ok = true;
                    for (k = i; k < j && ok; k++) {
                        ok = lit_at(s, q, p->elems[k].lit);
                        q += p->elems[k].lit.len;
                    }
                    if (ok) {
                        found = true;
                        pos = start + total;
                    }
                }
                if (!found)
                    return false;
            }
            i = j;
        }
    }
    return pos <= s.len;
}
