/* lexer.c — tokens of the Cedar policy language and string unescaping. Tokenizes on demand for
 * the recursive-descent parser (parser_expr.c, parser_policy.c), classifies keywords, and turns
 * string and `like` pattern literals into bytes the way the reference does (Rust escape rules,
 * `\*` only inside patterns). */
#include "cedar/parser_int.h"

#include <stdlib.h>
#include <string.h>

void aib__lex_init(aib__lexer_t *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
}

static bool is_id_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_id_char(unsigned char c)
{
    return is_id_start(c) || (c >= '0' && c <= '9');
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

/* Length of the UTF-8 sequence starting at s[0] (1 for ASCII and for invalid bytes). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k;
    if (s[0] < 0x80)
        return 1;
    k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    return k <= n ? k : 1;
}

size_t aib__utf8_check(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t k, j;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n - i < k)
            return i;
        for (j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        /* overlong forms, surrogates and values past U+10FFFF */
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k;
    }
    return n;
}

/* Bytes of Unicode white space at s (the reference skips `\s`, which is Unicode-aware), 0 if none. */
static size_t space_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xC2 && n >= 2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    if (n < 3)
        return 0;
    if (c == 0xE1 && s[1] == 0x9A && s[2] == 0x80) /* U+1680 */
        return 3;
    if (c == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)) /* U+2000..200A, 2028, 2029, 202F */
        return s[2] >= 0x80 ? 3 : 0;
    if (c == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) /* U+205F */
        return 3;
    if (c == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
        return 3;
    return 0;
}

static void adv(aib__lexer_t *lx, size_t k)
{
    size_t i;
    for (i = 0; i < k && lx->pos < lx->len; i++) {
        if (lx->src[lx->pos] == '\n') {
            lx->line++;
            lx->col = 1;
        } else {
            lx->col++;
        }
        lx->pos++;
    }
}

static const struct { const char *s; int kw; } kw_table[] = {
    { "true", AIB__KW_TRUE }, { "false", AIB__KW_FALSE }, { "if", AIB__KW_IF },
    { "then", AIB__KW_THEN }, { "else", AIB__KW_ELSE }, { "in", AIB__KW_IN },
    { "has", AIB__KW_HAS }, { "like", AIB__KW_LIKE }, { "is", AIB__KW_IS },
    { "permit", AIB__KW_PERMIT }, { "forbid", AIB__KW_FORBID }, { "when", AIB__KW_WHEN },
    { "unless", AIB__KW_UNLESS }, { "principal", AIB__KW_PRINCIPAL },
    { "action", AIB__KW_ACTION }, { "resource", AIB__KW_RESOURCE },
    { "context", AIB__KW_CONTEXT },
};

int aib__kw_lookup(const char *s, size_t n)
{
    size_t i;
    if (n < 2 || n > 9)
        return AIB__KW_NONE;
    for (i = 0; i < sizeof(kw_table) / sizeof(kw_table[0]); i++)
        if (strlen(kw_table[i].s) == n && memcmp(kw_table[i].s, s, n) == 0)
            return kw_table[i].kw;
    return AIB__KW_NONE;
}

bool aib__kw_reserved(int kw)
{
    return kw >= AIB__KW_TRUE && kw <= AIB__KW_IS;
}

bool aib__is_ident(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || !is_id_start((unsigned char)s[0]))
        return false;
    for (i = 1; i < n; i++)
        if (!is_id_char((unsigned char)s[i]))
            return false;
    return true;
}

bool aib__is_attr_ident(const char *s, size_t n)
{
    if (!aib__is_ident(s, n) || aib__kw_reserved(aib__kw_lookup(s, n)))
        return false;
    return !(n == 7 && memcmp(s, "__cedar", 7) == 0);
}

void aib__lex_next(aib__lexer_t *lx, aib__tok_t *t)
{
    const unsigned char *s;
    size_t n, k;

    /* white space and comments */
    for (;;) {
        if (lx->pos >= lx->len)
            break;
        s = (const unsigned char *)lx->src + lx->pos;
        n = lx->len - lx->pos;
        k = space_len(s, n);
        if (k) {
            adv(lx, k);
            continue;
        }
        if (s[0] == '/' && n >= 2 && s[1] == '/') {
            k = 2;
            while (k < n && s[k] != '\n' && s[k] != '\r')
                k++;
            adv(lx, k);
            continue;
        }
        break;
    }

    memset(t, 0, sizeof(*t));
    t->loc.line = lx->line;
    t->loc.col = lx->col;
    t->loc.off = (uint32_t)lx->pos;
    if (lx->pos >= lx->len) {
        t->kind = AIB__T_EOF;
        t->loc.end = t->loc.off;
        return;
    }
    s = (const unsigned char *)lx->src + lx->pos;
    n = lx->len - lx->pos;
    k = 1;
    if (is_id_start(s[0])) {
        while (k < n && is_id_char(s[k]))
            k++;
        t->kind = AIB__T_IDENT;
        t->kw = (uint8_t)aib__kw_lookup((const char *)s, k);
    } else if (s[0] >= '0' && s[0] <= '9') {
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
        t->kind = AIB__T_INT;
    } else if (s[0] == '"') {
        /* "(\\.|[^"\\])*" where `.` is any character but a line feed */
        t->kind = AIB__T_ERROR;
        while (k < n) {
            if (s[k] == '"') {
                k++;
                t->kind = AIB__T_STR;
                break;
            }
            if (s[k] == '\\') {
                if (k + 1 >= n || s[k + 1] == '\n')
                    break;
                k += 2;
                continue;
            }
            k++;
        }
        if (t->kind == AIB__T_ERROR)
            k = 1;
    } else if (s[0] == '?' && n >= 2 && is_id_start(s[1])) {
        k = 2;
        while (k < n && is_id_char(s[k]))
            k++;
        t->kind = AIB__T_SLOT;
    } else {
        unsigned char c = s[0], d = n >= 2 ? s[1] : 0;
        switch (c) {
        case '@': t->kind = AIB__T_AT; break;
        case '.': t->kind = AIB__T_DOT; break;
        case ',': t->kind = AIB__T_COMMA; break;
        case ';': t->kind = AIB__T_SEMI; break;
        case ':':
            if (d == ':') {
                t->kind = AIB__T_COLON2;
                k = 2;
            } else {
                t->kind = AIB__T_COLON;
            }
            break;
        case '(': t->kind = AIB__T_LPAREN; break;
        case ')': t->kind = AIB__T_RPAREN; break;
        case '{': t->kind = AIB__T_LBRACE; break;
        case '}': t->kind = AIB__T_RBRACE; break;
        case '[': t->kind = AIB__T_LBRACKET; break;
        case ']': t->kind = AIB__T_RBRACKET; break;
        case '=':
            if (d == '=') {
                t->kind = AIB__T_EQ;
                k = 2;
            } else {
                t->kind = AIB__T_ASSIGN;
            }
            break;
        case '!':
            if (d == '=') {
                t->kind = AIB__T_NE;
                k = 2;
            } else {
                t->kind = AIB__T_BANG;
            }
            break;
        case '<':
            if (d == '=') {
                t->kind = AIB__T_LE;
                k = 2;
            } else {
                t->kind = AIB__T_LT;
            }
            break;
        case '>':
            if (d == '=') {
                t->kind = AIB__T_GE;
                k = 2;
            } else {
                t->kind = AIB__T_GT;
            }
            break;
        case '|':
            if (d == '|') {
                t->kind = AIB__T_OR;
                k = 2;
            } else {
                t->kind = AIB__T_ERROR;
            }
            break;
        case '&':
            if (d == '&') {
                t->kind = AIB__T_AND;
                k = 2;
            } else {
                t->kind = AIB__T_ERROR;
            }
            break;
        case '+': t->kind = AIB__T_PLUS; break;
        case '-': t->kind = AIB__T_MINUS; break;
        case '*': t->kind = AIB__T_STAR; break;
        case '/': t->kind = AIB__T_SLASH; break;
        case '%': t->kind = AIB__T_PERCENT; break;
        default:
            t->kind = AIB__T_ERROR;
            k = utf8_len(s, n);
            break;
        }
    }
    adv(lx, k);
    t->loc.end = (uint32_t)lx->pos;
}

/* ---- Unescaping ------------------------------------------------------------------------- */

static size_t utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One unescaped unit: bytes written to o (*olen), *wild set when it is a pattern wildcard. */
typedef struct {
    size_t olen;
    bool wild;
} unit_t;

/* Decodes the unit at raw[*i]; 0 or AIB_EPARSE with the bad range. pattern enables `\*` and
 * wildcards. A produced `*` character is a wildcard however it was written, except `\*`. */
static int next_unit(const char *raw, size_t n, size_t *i, bool pattern, char *o, unit_t *u,
                     size_t *bad_off, size_t *bad_len)
{
    const unsigned char *s = (const unsigned char *)raw;
    size_t st = *i, j;
    uint32_t cp = 0;

    u->olen = 0;
    u->wild = false;
    if (s[st] == '\r') {
        *bad_off = st;
        *bad_len = 1;
        return AIB_EPARSE;
    }
    if (s[st] != '\\') {
        size_t k = utf8_len(s + st, n - st);
        memcpy(o, s + st, k);
        u->olen = k;
        u->wild = pattern && s[st] == '*';
        *i = st + k;
        return 0;
    }
    if (st + 1 >= n) {
        *bad_off = st;
        *bad_len = 1;
        return AIB_EPARSE;
    }
    j = st + 2;
    switch (s[st + 1]) {
    case 'n': o[0] = '\n'; u->olen = 1; break;
    case 'r': o[0] = '\r'; u->olen = 1; break;
    case 't': o[0] = '\t'; u->olen = 1; break;
    case '\\': o[0] = '\\'; u->olen = 1; break;
    case '0': o[0] = '\0'; u->olen = 1; break;
    case '\'': o[0] = '\''; u->olen = 1; break;
    case '"': o[0] = '"'; u->olen = 1; break;
    case '*':
        if (!pattern)
            goto bad;
        o[0] = '*';
        u->olen = 1;
        break;
    case 'x':
        if (j + 2 > n || !is_hex(s[j]) || !is_hex(s[j + 1])) {
            while (j < n && j < st + 4 && is_hex(s[j]))
                j++;
            goto bad;
        }
        cp = hex_val(s[j]) * 16 + hex_val(s[j + 1]);
        j += 2;
        if (cp > 0x7F)
            goto bad;
        o[0] = (char)cp;
        u->olen = 1;
        u->wild = pattern && cp == '*';
        break;
    case 'u': {
        int digits = 0;
        if (j >= n || s[j] != '{')
            goto bad;
        j++;
        if (j < n && s[j] == '_')
            goto bad;
        while (j < n && s[j] != '}') {
            if (s[j] == '_') {
                j++;
                continue;
            }
            if (!is_hex(s[j]))
                goto bad;
            if (++digits > 6)
                goto bad;
            cp = cp * 16 + hex_val(s[j]);
            j++;
        }
        if (j >= n || digits == 0)
            goto bad;
        j++; /* '}' */
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        u->olen = utf8_put(o, cp);
        u->wild = pattern && cp == '*';
        break;
    }
    case '\n':
        /* line continuation: skip the line feed and the white space after it */
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        break;
    default:
        goto bad;
    }
    *i = j;
    return 0;
bad:
    *bad_off = st;
    *bad_len = (j > n ? n : j) - st;
    if (*bad_len == 0)
        *bad_len = 1;
    return AIB_EPARSE;
}

int aib__unescape(aib_arena_t *a, const char *raw, size_t n, aib_str_t *out, size_t *bad_off,
                  size_t *bad_len)
{
    char *buf = aib_arena_alloc(a, n + 1);
    size_t i = 0, o = 0;
    unit_t u;
    int rc;

    if (!buf)
        return AIB_ENOMEM;
    while (i < n) {
        /* every unit's output is no longer than its escape text */
        rc = next_unit(raw, n, &i, false, buf + o, &u, bad_off, bad_len);
        if (rc)
            return rc;
        o += u.olen;
    }
    buf[o] = '\0';
    out->ptr = buf;
    out->len = o;
    return 0;
}

int aib__unescape_pattern(aib_arena_t *a, const char *raw, size_t n, aib__pattern_t *out,
                          size_t *bad_off, size_t *bad_len)
{
    char *buf = aib_arena_alloc(a, n + 1);
    size_t i = 0, o = 0, run = 0, ne = 0, cap = 0;
    aib__pelem_t *el = NULL;
    unit_t u;
    char tmp[4];
    int rc = 0;

    if (!buf)
        return AIB_ENOMEM;
    /* first pass counts elements so the arena array is exact */
    for (;;) {
        bool in_run = false;
        i = 0;
        ne = 0;
        while (i < n) {
            rc = next_unit(raw, n, &i, true, tmp, &u, bad_off, bad_len);
            if (rc)
                return rc;
            if (u.wild) {
                if (el && in_run) {
                    el[ne - 1].lit.len = o - run;
                }
                in_run = false;
                if (el) {
                    el[ne].star = 1;
                    el[ne].lit.ptr = "";
                    el[ne].lit.len = 0;
                }
                ne++;
            } else if (u.olen) {
                if (!in_run) {
                    if (el) {
                        el[ne].star = 0;
                        el[ne].lit.ptr = buf + o;
                        run = o;
                    }
                    ne++;
                    in_run = true;
                }
                if (el) {
                    memcpy(buf + o, tmp, u.olen);
                    o += u.olen;
                }
            }
        }
        if (el) {
            if (in_run)
                el[ne - 1].lit.len = o - run;
            break;
        }
        cap = ne ? ne : 1;
        el = aib_arena_calloc(a, cap, sizeof(*el));
        if (!el)
            return AIB_ENOMEM;
    }
    buf[o] = '\0';
    out->n = ne;
    out->elems = el;
    return 0;
}
