/* json_fast.c — a strict JSON reader that builds a small DOM in an arena, for the hot loaders
 * (request lines of `aib cedar authorize --requests`, entity files). jansson stays the general
 * reader (json.c); this one exists because per-node malloc/free dominated request parsing.
 * Contract in json_fast_int.h. */
#include "cedar/json_fast_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Members of an object up to this many are checked for duplicates pairwise; larger objects
 * through a hash table in the arena. */
#define DUP_LINEAR 16

typedef struct rd {
    const char *s;
    size_t n, pos;
    aib_arena_t *arena;
    aib_diag_t *diag;
    /* scratch stacks for the items of the containers being read (arena, doubled on demand) */
    aib__jf_t *vs;
    size_t vn, vcap;
    aib__jf_member_t *ms;
    size_t mn, mcap;
} rd_t;

/* Sets diag with the 1-based line and column (in characters) of byte offset at. */
static int err_at(rd_t *r, int rc, size_t at, const char *msg)
{
    size_t i, line = 1, col = 1;

    if (at > r->n)
        at = r->n;
    for (i = 0; i < at; i++) {
        unsigned char c = (unsigned char)r->s[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    aib_diag_set(r->diag, NULL, (int)(line > 0x7fffffff ? 0x7fffffff : line),
                 (int)(col > 0x7fffffff ? 0x7fffffff : col), "invalid JSON: %s", msg);
    return rc;
}

static void skip_ws(rd_t *r)
{
    while (r->pos < r->n) {
        char c = r->s[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        r->pos++;
    }
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The 4 hex digits at r->s[at]; -1 when malformed or cut off. */
static long hex4(const rd_t *r, size_t at)
{
    long v = 0;
    size_t i;
    if (at > r->n || r->n - at < 4)
        return -1;
    for (i = 0; i < 4; i++) {
        int h = hexval(r->s[at + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at p (n bytes available), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len, i;
    unsigned char lo = 0x80, hi = 0xBF;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    /* second-byte ranges exclude overlong forms, surrogates and code points past U+10FFFF */
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static size_t put_utf8(char *d, unsigned long cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Reads the string whose opening quote is at r->pos into *out (decoded, in the arena). */
static int read_string(rd_t *r, aib_str_t *out)
{
    size_t start = r->pos + 1, i = start, end, o = 0;
    bool plain = true;
    char *d;

    /* Find the closing quote first: decoding never lengthens a string, so the raw length
     * bounds the arena copy. Eight bytes at a time while none is a quote, a backslash, a
     * control character or non-ASCII (the usual plain key or id); the byte loop decides the rest. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 8 <= r->n) {
        uint64_t w, q, b, m;
        memcpy(&w, r->s + i, 8);
        q = w ^ 0x2222222222222222ULL;  /* '"' bytes become 0 */
        b = w ^ 0x5c5c5c5c5c5c5c5cULL;  /* '\\' bytes become 0 */
        /* high bit of a byte set when it is 0 in q or b, < 0x20 or >= 0x80 in w; borrows only
         * carry upwards, so the lowest flagged byte is a real stop (little-endian load) */
        m = (((q - 0x0101010101010101ULL) & ~q) | ((b - 0x0101010101010101ULL) & ~b) |
             (w - 0x2020202020202020ULL) | w) & 0x8080808080808080ULL;
        if (m) {
            i += (size_t)__builtin_ctzll(m) >> 3;
            break;
        }
        i += 8;
    }
#endif
    while (i < r->n) {
        unsigned char c = (unsigned char)r->s[i];
        if (c == '"')
            break;
        if (c == '\\') {
            plain = false;
            i += 2;
            continue;
        }
        if (c < 0x20)
            return err_at(r, AIB_EPARSE, i, "control character in a string (escape it)");
        if (c >= 0x80)
            plain = false;
        i++;
    }
    if (i >= r->n)
        return err_at(r, AIB_EPARSE, r->n, "unterminated string");
    end = i;
    d = aib_arena_alloc_bytes(r->arena, end - start + 1);
    if (!d)
        return AIB_ENOMEM;
    if (plain) {
        memcpy(d, r->s + start, end - start);
        o = end - start;
    } else {
        for (i = start; i < end;) {
            unsigned char c = (unsigned char)r->s[i];
            if (c == '\\') {
                char e = r->s[i + 1];
                long cp;
                switch (e) {
                case '"': d[o++] = '"'; i += 2; continue;
                case '\\': d[o++] = '\\'; i += 2; continue;
                case '/': d[o++] = '/'; i += 2; continue;
                case 'b': d[o++] = '\b'; i += 2; continue;
                case 'f': d[o++] = '\f'; i += 2; continue;
                case 'n': d[o++] = '\n'; i += 2; continue;
                case 'r': d[o++] = '\r'; i += 2; continue;
                case 't': d[o++] = '\t'; i += 2; continue;
                case 'u': break;
                default: return err_at(r, AIB_EPARSE, i, "invalid escape in a string");
                }
                cp = hex4(r, i + 2);
                if (cp < 0 || i + 6 > end)
                    return err_at(r, AIB_EPARSE, i, "invalid \\u escape");
                i += 6;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return err_at(r, AIB_EPARSE, i - 6, "lone low surrogate in a \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo;
                    if (i + 6 > end || r->s[i] != '\\' || r->s[i + 1] != 'u' ||
                        (lo = hex4(r, i + 2)) < 0xDC00 || lo > 0xDFFF)
                        return err_at(r, AIB_EPARSE, i - 6,
                                      "high surrogate not followed by a low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                o += put_utf8(d + o, (unsigned long)cp);
                continue;
            }
            if (c < 0x80) {
                d[o++] = (char)c;
                i++;
                continue;
            }
            {
                size_t k = utf8_len((const unsigned char *)r->s + i, end - i);
                if (!k)
                    return err_at(r, AIB_EPARSE, i, "invalid UTF-8 in a string");
                memcpy(d + o, r->s + i, k);
                o += k;
                i += k;
            }
        }
    }
    d[o] = '\0';
    out->ptr = d;
    out->len = o;
    r->pos = end + 1;
    return 0;
}

static int read_number(rd_t *r, aib__jf_t *v)
{
    size_t start = r->pos, i = start;
    bool neg = false, frac = false;
    int64_t acc = 0; /* accumulated as a negative number so INT64_MIN fits */
    double d;

    if (i < r->n && r->s[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= r->n || r->s[i] < '0' || r->s[i] > '9')
        return err_at(r, AIB_EPARSE, i, "invalid number");
    if (r->s[i] == '0') {
        i++;
        if (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            return err_at(r, AIB_EPARSE, i, "invalid number (leading zero)");
    } else {
        bool over = false;
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9') {
            int dgt = r->s[i] - '0';
            if (acc < (INT64_MIN + dgt) / 10)
                over = true;
            else
                acc = acc * 10 - dgt;
            i++;
        }
        if (over)
            acc = 1; /* marker: checked below unless the number turns out to be a real */
    }
    if (i < r->n && r->s[i] == '.') {
        frac = true;
        i++;
        if (i >= r->n || r->s[i] < '0' || r->s[i] > '9')
            return err_at(r, AIB_EPARSE, i, "invalid number (digit expected after `.`)");
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            i++;
    }
    if (i < r->n && (r->s[i] == 'e' || r->s[i] == 'E')) {
        frac = true;
        i++;
        if (i < r->n && (r->s[i] == '+' || r->s[i] == '-'))
            i++;
        if (i >= r->n || r->s[i] < '0' || r->s[i] > '9')
            return err_at(r, AIB_EPARSE, i, "invalid number (digit expected in the exponent)");
        while (i < r->n && r->s[i] >= '0' && r->s[i] <= '9')
            i++;
    }
    r->pos = i;
    if (frac) {
        v->kind = AIB__JF_REAL;
        v->u.s.ptr = aib_arena_strndup(r->arena, r->s + start, i - start);
        v->u.s.len = i - start;
        if (!v->u.s.ptr)
            return AIB_ENOMEM;
        /* as jansson: a real too large for a double is an error, wherever it appears */
        errno = 0;
        d = strtod(v->u.s.ptr, NULL);
        if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
            return err_at(r, AIB_EPARSE, start, "real number overflow");
        return 0;
    }
    if (acc > 0 || (!neg && acc == INT64_MIN))
        return err_at(r, AIB_EPARSE, start, "integer out of range (64-bit)");
    v->kind = AIB__JF_INT;
    v->u.i = neg ? acc : -acc;
    return 0;
}

static int read_literal(rd_t *r, const char *word, uint8_t kind, aib__jf_t *v)
{
    size_t n = strlen(word);
    if (r->n - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
        return err_at(r, AIB_EPARSE, r->pos, "invalid token");
    r->pos += n;
    v->kind = kind;
    return 0;
}

/* Makes room for one more scratch item (the stacks live in the arena; growth copies). */
static int grow(rd_t *r, bool members)
{
    size_t cap = members ? r->mcap : r->vcap, ncap = cap ? cap * 2 : 64;
    size_t esz = members ? sizeof(aib__jf_member_t) : sizeof(aib__jf_t);
    void *p = aib_arena_alloc(r->arena, ncap * esz);
    if (!p)
        return AIB_ENOMEM;
    if (members) {
        if (r->mn)
            memcpy(p, r->ms, r->mn * esz);
        r->ms = p;
        r->mcap = ncap;
    } else {
        if (r->vn)
            memcpy(p, r->vs, r->vn * esz);
        r->vs = p;
        r->vcap = ncap;
    }
    return 0;
}

/* Is a key of m[0..n) repeated? 1 with the index of the first repeat in *dup, 0, or ENOMEM. */
static int check_dups(rd_t *r, const aib__jf_member_t *m, size_t n, size_t *dup)
{
    size_t i, j, slots, mask;
    uint32_t *tab;

    if (n <= DUP_LINEAR) {
        for (i = 1; i < n; i++)
            for (j = 0; j < i; j++)
                if (m[i].key.len == m[j].key.len &&
                    memcmp(m[i].key.ptr, m[j].key.ptr, m[i].key.len) == 0) {
                    *dup = i;
                    return 1;
                }
        return 0;
    }
    for (slots = 64; slots < n * 2; slots <<= 1)
        ;
    tab = aib_arena_calloc(r->arena, slots, sizeof(*tab));
    if (!tab)
        return AIB_ENOMEM;
    mask = slots - 1;
    for (i = 0; i < n; i++) {
        size_t h = (size_t)aib__hash_bytes(m[i].key.ptr, m[i].key.len, 0x6a73) & mask;
        for (;; h = (h + 1) & mask) {
            if (tab[h] == 0) {
                tab[h] = (uint32_t)(i + 1);
                break;
            }
            j = tab[h] - 1;
            if (m[j].key.len == m[i].key.len && memcmp(m[j].key.ptr, m[i].key.ptr, m[i].key.len) == 0) {
                *dup = i;
                return 1;
            }
        }
    }
    return 0;
}

static int read_value(rd_t *r, aib__jf_t *v, int depth);

static int read_array(rd_t *r, aib__jf_t *v, int depth)
{
    size_t base = r->vn, n;
    int rc;

    r->pos++; /* '[' */
    skip_ws(r);
    if (r->pos < r->n && r->s[r->pos] == ']') {
        r->pos++;
        v->kind = AIB__JF_ARRAY;
        v->n = 0;
        v->u.items = NULL;
        return 0;
    }
    for (;;) {
        aib__jf_t item;
        memset(&item, 0, sizeof(item));
        if ((rc = read_value(r, &item, depth + 1)) != 0)
            return rc;
        if (r->vn == r->vcap && (rc = grow(r, false)) != 0)
            return rc;
        r->vs[r->vn++] = item;
        skip_ws(r);
        if (r->pos < r->n && r->s[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->n && r->s[r->pos] == ']') {
            r->pos++;
            break;
        }
        return err_at(r, AIB_EPARSE, r->pos, "`,` or `]` expected");
    }
    n = r->vn - base;
    if (n > UINT32_MAX)
        return err_at(r, AIB_ELIMIT, r->pos, "array too long");
    v->kind = AIB__JF_ARRAY;
    v->n = (uint32_t)n;
    v->u.items = aib_arena_alloc(r->arena, n * sizeof(aib__jf_t));
    if (!v->u.items)
        return AIB_ENOMEM;
    memcpy(v->u.items, r->vs + base, n * sizeof(aib__jf_t));
    r->vn = base;
    return 0;
}

static int read_object(rd_t *r, aib__jf_t *v, int depth)
{
    size_t base = r->mn, n, dup = 0;
    int rc;

    r->pos++; /* '{' */
    skip_ws(r);
    if (r->pos < r->n && r->s[r->pos] == '}') {
        r->pos++;
        v->kind = AIB__JF_OBJECT;
        v->n = 0;
        v->u.members = NULL;
        return 0;
    }
    for (;;) {
        aib__jf_member_t m;
        memset(&m, 0, sizeof(m));
        if (r->pos >= r->n || r->s[r->pos] != '"')
            return err_at(r, AIB_EPARSE, r->pos, "string (object key) expected");
        if ((rc = read_string(r, &m.key)) != 0)
            return rc;
        skip_ws(r);
        if (r->pos >= r->n || r->s[r->pos] != ':')
            return err_at(r, AIB_EPARSE, r->pos, "`:` expected");
        r->pos++;
        if ((rc = read_value(r, &m.val, depth + 1)) != 0)
            return rc;
        if (r->mn == r->mcap && (rc = grow(r, true)) != 0)
            return rc;
        r->ms[r->mn++] = m;
        skip_ws(r);
        if (r->pos < r->n && r->s[r->pos] == ',') {
            r->pos++;
            skip_ws(r);
            continue;
        }
        if (r->pos < r->n && r->s[r->pos] == '}') {
            r->pos++;
            break;
        }
        return err_at(r, AIB_EPARSE, r->pos, "`,` or `}` expected");
    }
    n = r->mn - base;
    if (n > UINT32_MAX)
        return err_at(r, AIB_ELIMIT, r->pos, "object too large");
    rc = check_dups(r, r->ms + base, n, &dup);
    if (rc < 0)
        return rc;
    if (rc > 0) {
        char msg[160];
        const aib_str_t *k = &r->ms[base + dup].key;
        snprintf(msg, sizeof(msg), "duplicate object key \"%.*s\"", (int)(k->len > 100 ? 100 : k->len),
                 k->ptr);
        return err_at(r, AIB_EPARSE, r->pos - 1, msg);
    }
    v->kind = AIB__JF_OBJECT;
    v->n = (uint32_t)n;
    v->u.members = aib_arena_alloc(r->arena, n * sizeof(aib__jf_member_t));
    if (!v->u.members)
        return AIB_ENOMEM;
    memcpy(v->u.members, r->ms + base, n * sizeof(aib__jf_member_t));
    r->mn = base;
    return 0;
}

static int read_value(rd_t *r, aib__jf_t *v, int depth)
{
    skip_ws(r);
    if (r->pos >= r->n)
        return err_at(r, AIB_EPARSE, r->pos, "unexpected end of input");
    switch (r->s[r->pos]) {
    case '{':
        if (depth >= AIB__JF_MAX_DEPTH)
            return err_at(r, AIB_ELIMIT, r->pos, "nested too deeply");
        return read_object(r, v, depth);
    case '[':
        if (depth >= AIB__JF_MAX_DEPTH)
            return err_at(r, AIB_ELIMIT, r->pos, "nested too deeply");
        return read_array(r, v, depth);
    case '"':
        v->kind = AIB__JF_STRING;
        return read_string(r, &v->u.s);
    case 't': return read_literal(r, "true", AIB__JF_TRUE, v);
    case 'f': return read_literal(r, "false", AIB__JF_FALSE, v);
    case 'n': return read_literal(r, "null", AIB__JF_NULL, v);
    default:
        if (r->s[r->pos] == '-' || (r->s[r->pos] >= '0' && r->s[r->pos] <= '9'))
            return read_number(r, v);
        return err_at(r, AIB_EPARSE, r->pos, "invalid token");
    }
}

int aib__jf_parse(const char *text, size_t len, aib_arena_t *arena, const aib__jf_t **out,
                  aib_diag_t *diag)
{
    rd_t r;
    aib__jf_t *root;
    int rc;

    if (out)
        *out = NULL;
    if (!out || !arena)
        return AIB_EINVAL;
    memset(&r, 0, sizeof(r));
    r.s = text ? text : "";
    r.n = text ? len : 0;
    r.arena = arena;
    r.diag = diag;
    if (r.n > AIB_CEDAR_MAX_TEXT) {
        aib_diag_set(diag, NULL, 0, 0, "input is %zu bytes; the limit is %u", r.n,
                     (unsigned)AIB_CEDAR_MAX_TEXT);
        return AIB_ELIMIT;
    }
    root = aib_arena_calloc(arena, 1, sizeof(*root));
    if (!root)
        return AIB_ENOMEM;
    rc = read_value(&r, root, 0);
    if (rc != 0)
        return rc;
    skip_ws(&r);
    if (r.pos != r.n)
        return err_at(&r, AIB_EPARSE, r.pos, "end of input expected");
    *out = root;
    return 0;
}

const aib__jf_t *aib__jf_getn(const aib__jf_t *o, aib_str_t key)
{
    uint32_t i;
    if (!o || o->kind != AIB__JF_OBJECT)
        return NULL;
    for (i = 0; i < o->n; i++)
        if (o->u.members[i].key.len == key.len &&
            (key.len == 0 || (o->u.members[i].key.ptr[0] == key.ptr[0] &&
                              memcmp(o->u.members[i].key.ptr, key.ptr, key.len) == 0)))
            return &o->u.members[i].val;
    return NULL;
}

const aib__jf_t *aib__jf_get(const aib__jf_t *o, const char *key)
{
    aib_str_t k;
    k.ptr = key;
    k.len = strlen(key);
    return aib__jf_getn(o, k);
}
