/* parser_expr.c — recursive-descent parser for Cedar expressions (the bodies of when/unless
 * clauses and the right-hand sides of scope constraints). Builds the aib__expr_t AST in the
 * policy set's arena with the reference's precedence, checks and desugarings (`is T in x`,
 * `has a.b.c`, negative literals); parser_policy.c drives it. */
#include "cedar/parser_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Parser plumbing shared with parser_policy.c ---------------------------------------- */

void aib__p_init(aib__parser_t *p, aib_arena_t *arena, const char *src, size_t len, const char *file,
                 aib_diag_t *diag)
{
    memset(p, 0, sizeof(*p));
    p->arena = arena;
    p->src = src;
    p->len = len;
    p->file = file;
    p->diag = diag;
    aib__lex_init(&p->lx, src, len);
    aib__lex_next(&p->lx, &p->tok);
}

void aib__p_advance(aib__parser_t *p)
{
    p->prev_end = p->tok.loc.end;
    if (p->has_la) {
        p->tok = p->la;
        p->has_la = false;
    } else {
        aib__lex_next(&p->lx, &p->tok);
    }
}

const aib__tok_t *aib__p_peek(aib__parser_t *p)
{
    if (!p->has_la) {
        aib__lex_next(&p->lx, &p->la);
        p->has_la = true;
    }
    return &p->la;
}

int aib__p_error(aib__parser_t *p, const aib__loc_t *loc, const char *fmt, ...)
{
    va_list ap;
    char msg[600];

    if (p->err)
        return p->err;
    p->err = AIB_EPARSE;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    aib_diag_set(p->diag, p->file, loc ? (int)loc->line : 0, loc ? (int)loc->col : 0, "%s", msg);
    return p->err;
}

int aib__p_oom(aib__parser_t *p)
{
    if (!p->err) {
        p->err = AIB_ENOMEM;
        aib_diag_set(p->diag, p->file, 0, 0, "out of memory while parsing policies");
    }
    return p->err;
}

void *aib__p_grow(aib__parser_t *p, void *v, size_t n, size_t *cap, size_t elem)
{
    size_t nc;
    void *nv;
    if (n < *cap)
        return v;
    nc = *cap ? *cap * 2 : 4;
    nv = nc <= SIZE_MAX / elem ? aib_arena_alloc(p->arena, nc * elem) : NULL;
    if (!nv) {
        aib__p_oom(p);
        return NULL;
    }
    if (n)
        memcpy(nv, v, n * elem);
    *cap = nc;
    return nv;
}

void aib__p_describe(const aib__parser_t *p, const aib__tok_t *t, char *buf, size_t cap)
{
    size_t n = t->loc.end - t->loc.off, i;
    char txt[48];

    if (t->kind == AIB__T_EOF) {
        snprintf(buf, cap, "end of input");
        return;
    }
    if (t->kind == AIB__T_ERROR) {
        unsigned char c = (unsigned char)p->src[t->loc.off];
        if (c == '"')
            snprintf(buf, cap, "an unterminated string literal");
        else if (c >= 0x20 && c < 0x7F)
            snprintf(buf, cap, "invalid character `%c`", c);
        else
            snprintf(buf, cap, "invalid character (byte 0x%02X)", c);
        return;
    }
    if (n > 40)
        n = 40;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p->src[t->loc.off + i];
        txt[i] = (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
    }
    txt[n] = '\0';
    snprintf(buf, cap, "`%s%s`", txt, (t->loc.end - t->loc.off) > 40 ? "..." : "");
}

int aib__p_expected(aib__parser_t *p, const char *what)
{
    char found[96];
    aib__p_describe(p, &p->tok, found, sizeof(found));
    return aib__p_error(p, &p->tok.loc, "expected %s, found %s", what, found);
}

bool aib__p_accept(aib__parser_t *p, int kind)
{
    if (p->tok.kind != kind)
        return false;
    aib__p_advance(p);
    return true;
}

int aib__p_expect(aib__parser_t *p, int kind, const char *what)
{
    if (p->err)
        return p->err;
    if (p->tok.kind != kind)
        return aib__p_expected(p, what);
    aib__p_advance(p);
    return 0;
}

static bool tok_kw(const aib__parser_t *p, int kw)
{
    return p->tok.kind == AIB__T_IDENT && p->tok.kw == kw;
}

static aib_str_t tok_text(const aib__parser_t *p, const aib__tok_t *t)
{
    aib_str_t s = { p->src + t->loc.off, t->loc.end - t->loc.off };
    return s;
}

/* ---- Node construction ------------------------------------------------------------------ */

static aib__expr_t *node(aib__parser_t *p, int kind, const aib__loc_t *start)
{
    aib__expr_t *e = aib_arena_calloc(p->arena, 1, sizeof(*e));
    if (!e) {
        aib__p_oom(p);
        return NULL;
    }
    e->kind = (uint8_t)kind;
    e->loc = *start;
    e->loc.end = p->prev_end > start->off ? p->prev_end : start->end;
    return e;
}

static aib__expr_t *node2(aib__parser_t *p, int kind, int op, const aib__loc_t *start, aib__expr_t *a,
                          aib__expr_t *b)
{
    aib__expr_t *e = node(p, kind, start);
    if (!e)
        return NULL;
    e->op = (uint8_t)op;
    e->u.k.a = a;
    e->u.k.b = b;
    return e;
}

static aib__expr_t *attr_node(aib__parser_t *p, int kind, const aib__loc_t *start, aib__expr_t *obj,
                              aib_str_t name)
{
    aib__expr_t *e = node(p, kind, start);
    if (!e)
        return NULL;
    e->u.attr.obj = obj;
    e->u.attr.name = name;
    return e;
}

/* Growable pointer vector in the arena (old blocks are simply left behind). */
typedef struct {
    void **v;
    size_t n, cap;
} vec_t;

static int vec_push(aib__parser_t *p, vec_t *x, void *item)
{
    void **nv = aib__p_grow(p, x->v, x->n, &x->cap, sizeof(void *));
    if (!nv)
        return p->err;
    x->v = nv;
    x->v[x->n++] = item;
    return 0;
}

/* ---- Identifier checks ------------------------------------------------------------------ */

static bool is_cedar_ns(aib_str_t s)
{
    return s.len == 7 && memcmp(s.ptr, "__cedar", 7) == 0;
}

/* An identifier used as attribute, record key or `has` operand. */
static int check_attr_ident(aib__parser_t *p, const aib__tok_t *t)
{
    aib_str_t s = tok_text(p, t);
    if (aib__kw_reserved(t->kw))
        return aib__p_error(p, &t->loc, "this identifier is reserved and cannot be used: %.*s",
                            (int)s.len, s.ptr);
    if (is_cedar_ns(s))
        return aib__p_error(p, &t->loc, "The name `__cedar` contains `__cedar`, which is reserved");
    return 0;
}

static int parse_u64(aib__parser_t *p, const aib__tok_t *t, uint64_t *out)
{
    uint64_t v = 0;
    uint32_t i;
    for (i = t->loc.off; i < t->loc.end; i++) {
        unsigned d = (unsigned)(p->src[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return aib__p_error(p, &t->loc,
                                "integer parse error: number too large to fit in target type");
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int aib__parse_str_tok(aib__parser_t *p, aib_str_t *out)
{
    const aib__tok_t *t = &p->tok;
    size_t bad_off = 0, bad_len = 0;
    int rc;

    if (t->kind != AIB__T_STR)
        return aib__p_expected(p, "a string literal");
    rc = aib__unescape(p->arena, p->src + t->loc.off + 1, t->loc.end - t->loc.off - 2, out, &bad_off,
                       &bad_len);
    if (rc == AIB_ENOMEM)
        return aib__p_oom(p);
    if (rc) {
        aib__loc_t l = t->loc;
        l.col += (uint32_t)(bad_off + 1); /* approximate on lines after a literal line feed */
        return aib__p_error(p, &l, "the input `%.*s` is not a valid escape", (int)bad_len,
                            p->src + t->loc.off + 1 + bad_off);
    }
    aib__p_advance(p);
    return 0;
}

/* Reads IDENT {:: IDENT} while the `::` is followed by an identifier. Components are checked
 * (reserved words, `__cedar`). The joined name is arena-allocated. */
static int parse_path(aib__parser_t *p, aib_str_t *out, int *n_parts, int *first_kw)
{
    size_t start = p->tok.loc.off, end;
    aib__loc_t start_loc = p->tok.loc;
    int n = 0;
    aib__tok_t bad_reserved = { 0 };
    bool has_reserved = false, has_cedar = false;

    *first_kw = p->tok.kw;
    for (;;) {
        aib_str_t s = tok_text(p, &p->tok);
        if (!has_reserved && aib__kw_reserved(p->tok.kw)) {
            bad_reserved = p->tok;
            has_reserved = true;
        }
        if (is_cedar_ns(s))
            has_cedar = true;
        n++;
        end = p->tok.loc.end;
        aib__p_advance(p);
        if (p->tok.kind == AIB__T_COLON2 && aib__p_peek(p)->kind == AIB__T_IDENT) {
            aib__p_advance(p);
            continue;
        }
        break;
    }
    /* the joined text may contain white space and comments around `::`; rebuild it */
    {
        aib__lexer_t lx;
        aib__tok_t t;
        char *buf = aib_arena_alloc(p->arena, end - start + 1);
        size_t o = 0;
        if (!buf)
            return aib__p_oom(p);
        aib__lex_init(&lx, p->src, end);
        lx.pos = start;
        for (;;) {
            aib__lex_next(&lx, &t);
            if (t.kind == AIB__T_EOF)
                break;
            memcpy(buf + o, p->src + t.loc.off, t.loc.end - t.loc.off);
            o += t.loc.end - t.loc.off;
        }
        buf[o] = '\0';
        out->ptr = buf;
        out->len = o;
    }
    *n_parts = n;
    if (has_reserved) {
        aib_str_t s = tok_text(p, &bad_reserved);
        return aib__p_error(p, &bad_reserved.loc, "this identifier is reserved and cannot be used: %.*s",
                            (int)s.len, s.ptr);
    }
    if (has_cedar) {
        return aib__p_error(p, &start_loc, "The name `%.*s` contains `__cedar`, which is reserved",
                            (int)out->len, out->ptr);
    }
    return 0;
}

int aib__parse_name(aib__parser_t *p, aib_str_t *out, aib__loc_t *loc)
{
    int n, kw;
    if (p->err)
        return p->err;
    if (p->tok.kind != AIB__T_IDENT)
        return aib__p_expected(p, "an entity type name");
    *loc = p->tok.loc;
    if (parse_path(p, out, &n, &kw))
        return p->err;
    loc->end = p->prev_end;
    if (p->tok.kind == AIB__T_COLON2)
        return aib__p_error(p, loc, "right hand side of an `is` expression must be an entity type name, "
                            "but got an entity uid");
    return 0;
}

/* ---- Expressions ------------------------------------------------------------------------ */

static aib__expr_t *parse_or(aib__parser_t *p);
static aib__expr_t *parse_add(aib__parser_t *p);

aib__expr_t *aib__parse_expr(aib__parser_t *p)
{
    aib__expr_t *e = NULL;
    aib__loc_t start = p->tok.loc;

    if (p->err)
        return NULL;
    if (++p->depth > AIB_CEDAR_MAX_DEPTH) {
        aib__p_error(p, &p->tok.loc, "expression nesting exceeds the limit of %d", AIB_CEDAR_MAX_DEPTH);
        goto done;
    }
    if (tok_kw(p, AIB__KW_IF)) {
        aib__expr_t *c, *t, *f;
        aib__p_advance(p);
        c = aib__parse_expr(p);
        if (!c)
            goto done;
        if (!tok_kw(p, AIB__KW_THEN)) {
            aib__p_expected(p, "`then`");
            goto done;
        }
        aib__p_advance(p);
        t = aib__parse_expr(p);
        if (!t)
            goto done;
        if (!tok_kw(p, AIB__KW_ELSE)) {
            aib__p_expected(p, "`else`");
            goto done;
        }
        aib__p_advance(p);
        f = aib__parse_expr(p);
        if (!f)
            goto done;
        e = node(p, AIB__E_IF, &start);
        if (e) {
            e->u.k.a = c;
            e->u.k.b = t;
            e->u.k.c = f;
        }
        goto done;
    }
    e = parse_or(p);
done:
    p->depth--;
    return p->err ? NULL : e;
}

static aib__expr_t *parse_and(aib__parser_t *p);
static aib__expr_t *parse_rel(aib__parser_t *p);

static aib__expr_t *parse_or(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *l = parse_and(p);
    while (l && p->tok.kind == AIB__T_OR) {
        aib__expr_t *r;
        aib__p_advance(p);
        r = parse_and(p);
        if (!r)
            return NULL;
        l = node2(p, AIB__E_OR, 0, &start, l, r);
    }
    return l;
}

static aib__expr_t *parse_and(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *l = parse_rel(p);
    while (l && p->tok.kind == AIB__T_AND) {
        aib__expr_t *r;
        aib__p_advance(p);
        r = parse_rel(p);
        if (!r)
            return NULL;
        l = node2(p, AIB__E_AND, 0, &start, l, r);
    }
    return l;
}

/* Relational operator at the current token: AIB__OP_* or -1. `=` gives -2. */
static int rel_op(const aib__parser_t *p)
{
    switch (p->tok.kind) {
    case AIB__T_EQ: return AIB__OP_EQ;
    case AIB__T_NE: return AIB__OP_NE;
    case AIB__T_LT: return AIB__OP_LT;
    case AIB__T_LE: return AIB__OP_LE;
    case AIB__T_GT: return AIB__OP_GT;
    case AIB__T_GE: return AIB__OP_GE;
    case AIB__T_ASSIGN: return -2;
    case AIB__T_IDENT: return p->tok.kw == AIB__KW_IN ? AIB__OP_IN : -1;
    default: return -1;
    }
}

/* `target has RHS`: a string literal, or identifiers joined by `.` (RFC 62), which desugars to
 * `t has a && t.a has b && t.a.b has c` built left to right as the reference does. */
static bool is_access(int kind);

static aib__expr_t *parse_has(aib__parser_t *p, aib__expr_t *t, const aib__loc_t *start)
{
    aib_str_t name;
    aib__expr_t *has, *get;

    if (p->tok.kind == AIB__T_STR) {
        if (aib__parse_str_tok(p, &name))
            return NULL;
        if (is_access(p->tok.kind)) {
            aib__p_error(p, &p->tok.loc, "invalid RHS of a `has` operation: a string literal may not be "
                         "followed by `.`, `[` or `(`");
            return NULL;
        }
        return attr_node(p, AIB__E_HAS, start, t, name);
    }
    if (p->tok.kind != AIB__T_IDENT) {
        char found[96];
        aib__p_describe(p, &p->tok, found, sizeof(found));
        aib__p_error(p, &p->tok.loc, "invalid RHS of a `has` operation: %s", found);
        return NULL;
    }
    has = get = NULL;
    for (;;) {
        aib__tok_t id = p->tok;
        if (check_attr_ident(p, &id))
            return NULL;
        name = aib_arena_str(p->arena, p->src + id.loc.off, id.loc.end - id.loc.off);
        if (!name.ptr) {
            aib__p_oom(p);
            return NULL;
        }
        aib__p_advance(p);
        if (!has) {
            has = attr_node(p, AIB__E_HAS, start, t, name);
            get = attr_node(p, AIB__E_GETATTR, start, t, name);
        } else {
            aib__expr_t *h = attr_node(p, AIB__E_HAS, start, get, name);
            has = node2(p, AIB__E_AND, 0, start, has, h);
            get = attr_node(p, AIB__E_GETATTR, start, get, name);
        }
        if (!has || !get)
            return NULL;
        if (p->tok.kind == AIB__T_DOT && aib__p_peek(p)->kind == AIB__T_IDENT) {
            aib__p_advance(p);
            continue;
        }
        break;
    }
    if (p->tok.kind == AIB__T_DOT || p->tok.kind == AIB__T_LPAREN || p->tok.kind == AIB__T_LBRACKET ||
        p->tok.kind == AIB__T_COLON2) {
        aib__p_error(p, &p->tok.loc, "invalid RHS of a `has` operation: only attribute names joined "
                     "by `.` may follow `has`");
        return NULL;
    }
    return has;
}

static aib__expr_t *parse_rel(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *l = parse_add(p), *r, *e;
    int op;

    if (!l)
        return NULL;
    op = rel_op(p);
    if (op == -2) {
        aib__p_error(p, &p->tok.loc, "'=' is not a valid operator in Cedar (use `==` for equality)");
        return NULL;
    }
    if (op >= 0) {
        aib__p_advance(p);
        r = parse_add(p);
        if (!r)
            return NULL;
        e = node2(p, AIB__E_BINOP, op, &start, l, r);
        if (e && rel_op(p) != -1) {
            aib__p_error(p, &p->tok.loc, "multiple relational operators (>, ==, in, etc.) must be used "
                         "with parentheses to make ordering explicit");
            return NULL;
        }
        return e;
    }
    if (tok_kw(p, AIB__KW_HAS)) {
        aib__p_advance(p);
        return parse_has(p, l, &start);
    }
    if (tok_kw(p, AIB__KW_LIKE)) {
        const aib__tok_t *t = &p->tok;
        size_t bad_off = 0, bad_len = 0;
        int rc;
        aib__p_advance(p);
        if (t->kind != AIB__T_STR) {
            aib__p_expected(p, "a pattern string literal after `like`");
            return NULL;
        }
        e = node(p, AIB__E_LIKE, &start);
        if (!e)
            return NULL;
        rc = aib__unescape_pattern(p->arena, p->src + t->loc.off + 1, t->loc.end - t->loc.off - 2,
                                   &e->u.like.pat, &bad_off, &bad_len);
        if (rc == AIB_ENOMEM) {
            aib__p_oom(p);
            return NULL;
        }
        if (rc) {
            aib__p_error(p, &t->loc, "the input `%.*s` is not a valid escape", (int)bad_len,
                         p->src + t->loc.off + 1 + bad_off);
            return NULL;
        }
        aib__p_advance(p);
        e->loc.end = p->prev_end;
        e->u.like.obj = l;
        if (p->tok.kind == AIB__T_DOT || p->tok.kind == AIB__T_LBRACKET || p->tok.kind == AIB__T_LPAREN) {
            aib__p_error(p, &p->tok.loc, "right hand side of a `like` expression must be a pattern literal");
            return NULL;
        }
        return e;
    }
    if (tok_kw(p, AIB__KW_IS)) {
        aib_str_t type;
        aib__loc_t tl;
        aib__p_advance(p);
        if (p->tok.kind != AIB__T_IDENT) {
            char found[96];
            aib__p_describe(p, &p->tok, found, sizeof(found));
            aib__p_error(p, &p->tok.loc, "right hand side of an `is` expression must be an entity type "
                         "name, but got %s", found);
            return NULL;
        }
        if (aib__parse_name(p, &type, &tl))
            return NULL;
        if (p->tok.kind == AIB__T_DOT || p->tok.kind == AIB__T_LPAREN || p->tok.kind == AIB__T_LBRACKET) {
            aib__p_error(p, &p->tok.loc, "right hand side of an `is` expression must be an entity type name");
            return NULL;
        }
        e = node(p, AIB__E_IS, &start);
        if (!e)
            return NULL;
        e->u.is.obj = l;
        e->u.is.type = type;
        if (tok_kw(p, AIB__KW_IN)) {
            aib__p_advance(p);
            r = parse_add(p);
            if (!r)
                return NULL;
            /* `x is T in y` is `x is T && x in y`, the operand shared */
            r = node2(p, AIB__E_BINOP, AIB__OP_IN, &start, l, r);
            if (!r)
                return NULL;
            e = node2(p, AIB__E_AND, 0, &start, e, r);
        }
        return e;
    }
    return l;
}

static aib__expr_t *parse_mul(aib__parser_t *p);

static aib__expr_t *parse_add(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *l = parse_mul(p);
    while (l && (p->tok.kind == AIB__T_PLUS || p->tok.kind == AIB__T_MINUS)) {
        int op = p->tok.kind == AIB__T_PLUS ? AIB__OP_ADD : AIB__OP_SUB;
        aib__expr_t *r;
        aib__p_advance(p);
        r = parse_mul(p);
        if (!r)
            return NULL;
        l = node2(p, AIB__E_BINOP, op, &start, l, r);
    }
    return l;
}

static aib__expr_t *parse_unary(aib__parser_t *p);

static aib__expr_t *parse_mul(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *l = parse_unary(p);
    for (;;) {
        aib__expr_t *r;
        if (!l)
            return NULL;
        if (p->tok.kind == AIB__T_SLASH) {
            aib__p_error(p, &p->tok.loc, "division is not supported");
            return NULL;
        }
        if (p->tok.kind == AIB__T_PERCENT) {
            aib__p_error(p, &p->tok.loc, "remainder/modulo is not supported");
            return NULL;
        }
        if (p->tok.kind != AIB__T_STAR)
            return l;
        aib__p_advance(p);
        r = parse_unary(p);
        if (!r)
            return NULL;
        l = node2(p, AIB__E_BINOP, AIB__OP_MUL, &start, l, r);
    }
}

static aib__expr_t *parse_member(aib__parser_t *p);

static bool is_access(int kind)
{
    return kind == AIB__T_DOT || kind == AIB__T_LBRACKET || kind == AIB__T_LPAREN;
}

static aib__expr_t *parse_unary(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    int kind = p->tok.kind, n = 0, i;
    aib__expr_t *e;

    if (kind != AIB__T_BANG && kind != AIB__T_MINUS)
        return parse_member(p);
    while (p->tok.kind == kind) {
        n++;
        aib__p_advance(p);
    }
    if (n > 4) {
        aib__p_error(p, &start, "too many occurrences of `%c`", kind == AIB__T_BANG ? '!' : '-');
        return NULL;
    }
    if (kind == AIB__T_MINUS && p->tok.kind == AIB__T_INT && !is_access(aib__p_peek(p)->kind)) {
        /* `-N` is a negative literal (so that -9223372036854775808 is expressible); any further
         * dashes negate it */
        uint64_t v = 0;
        aib__tok_t t = p->tok;
        if (parse_u64(p, &t, &v))
            return NULL;
        if (v > (uint64_t)INT64_MAX + 1) {
            aib__p_error(p, &t.loc, "integer literal `%.*s` is too large", (int)(t.loc.end - t.loc.off),
                         p->src + t.loc.off);
            return NULL;
        }
        aib__p_advance(p);
        e = node(p, AIB__E_LIT, &start);
        if (!e)
            return NULL;
        e->u.lit = aib__v_long(v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v);
        n--;
    } else {
        e = parse_member(p);
    }
    for (i = 0; e && i < n; i++)
        e = node2(p, kind == AIB__T_BANG ? AIB__E_NOT : AIB__E_NEG, 0, &start, e, NULL);
    return e;
}

/* Comma<Expr> up to the closing token; trailing comma allowed. */
static int parse_list(aib__parser_t *p, int close, const char *what, vec_t *out)
{
    while (p->tok.kind != close) {
        aib__expr_t *e = aib__parse_expr(p);
        if (!e || vec_push(p, out, e))
            return p->err;
        if (p->tok.kind == AIB__T_COMMA) {
            aib__p_advance(p);
            continue;
        }
        if (p->tok.kind != close)
            return aib__p_expected(p, what);
    }
    aib__p_advance(p);
    return 0;
}

static aib__expr_t *call_node(aib__parser_t *p, const aib__loc_t *start, int fn, aib__expr_t *recv,
                              vec_t *args)
{
    aib__expr_t *e = node(p, AIB__E_CALL, start);
    size_t n = args->n + (recv ? 1 : 0), i = 0;
    if (!e)
        return NULL;
    e->op = (uint8_t)fn;
    e->n = (uint32_t)n;
    e->u.list.items = aib_arena_calloc(p->arena, n ? n : 1, sizeof(aib__expr_t *));
    if (!e->u.list.items) {
        aib__p_oom(p);
        return NULL;
    }
    if (recv)
        e->u.list.items[i++] = recv;
    if (args->n)
        memcpy(e->u.list.items + i, args->v, args->n * sizeof(aib__expr_t *));
    return e;
}

static aib__expr_t *parse_primary(aib__parser_t *p);

static aib__expr_t *parse_member(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *e = parse_primary(p);

    while (e) {
        if (p->tok.kind == AIB__T_DOT) {
            aib__tok_t id;
            aib_str_t name;
            aib__p_advance(p);
            if (p->tok.kind != AIB__T_IDENT) {
                aib__p_expected(p, "an attribute or method name after `.`");
                return NULL;
            }
            id = p->tok;
            if (check_attr_ident(p, &id))
                return NULL;
            name = tok_text(p, &id);
            aib__p_advance(p);
            if (p->tok.kind == AIB__T_LPAREN) {
                vec_t args = { 0 };
                int fn = aib__fn_lookup(name, true);
                aib__p_advance(p);
                if (parse_list(p, AIB__T_RPAREN, "`,` or `)` in argument list", &args))
                    return NULL;
                if (fn < 0) {
                    if (aib__fn_lookup(name, false) >= 0)
                        aib__p_error(p, &id.loc, "`%.*s` is a function, not a method", (int)name.len, name.ptr);
                    else
                        aib__p_error(p, &id.loc, "`%.*s` is not a valid method", (int)name.len, name.ptr);
                    return NULL;
                }
                /* the built-in methods' arity is checked here; extension functions check theirs
                 * when evaluated, as the reference does */
                if (fn < AIB__FN_FIRST_EXT && args.n + 1 != aib__fn_table[fn].arity) {
                    unsigned want = aib__fn_table[fn].arity - 1u;
                    aib__p_error(p, &id.loc, "call to `%.*s` requires exactly %u argument%s, but got %zu "
                                 "argument%s", (int)name.len, name.ptr, want, want == 1 ? "" : "s",
                                 args.n, args.n == 1 ? "" : "s");
                    return NULL;
                }
                e = call_node(p, &start, fn, e, &args);
            } else {
                name = aib_arena_str(p->arena, name.ptr, name.len);
                if (!name.ptr) {
                    aib__p_oom(p);
                    return NULL;
                }
                e = attr_node(p, AIB__E_GETATTR, &start, e, name);
            }
        } else if (p->tok.kind == AIB__T_LBRACKET) {
            aib_str_t name;
            aib__p_advance(p);
            if (p->tok.kind == AIB__T_STR && aib__p_peek(p)->kind == AIB__T_RBRACKET) {
                if (aib__parse_str_tok(p, &name))
                    return NULL;
                aib__p_advance(p);
                e = attr_node(p, AIB__E_GETATTR, &start, e, name);
            } else {
                aib__loc_t l = p->tok.loc;
                if (aib__parse_expr(p))
                    aib__p_error(p, &l, "invalid string literal: the index in `[...]` must be a string literal");
                return NULL;
            }
        } else if (p->tok.kind == AIB__T_LPAREN) {
            aib__p_error(p, &p->tok.loc, "function calls must be of the form `<name>(arg1, arg2, ...)`");
            return NULL;
        } else {
            break;
        }
    }
    return e;
}

static int key_cmp(const void *a, const void *b)
{
    return aib_str_cmp(*(const aib_str_t *)a, *(const aib_str_t *)b);
}

static aib__expr_t *parse_record(aib__parser_t *p, const aib__loc_t *start)
{
    vec_t vals = { 0 };
    size_t nk = 0, capk = 0, i;
    aib_str_t *keys = NULL, *sorted;
    aib__expr_t *e;

    aib__p_advance(p); /* { */
    while (p->tok.kind != AIB__T_RBRACE) {
        aib_str_t key;
        aib__expr_t *v;
        if (p->tok.kind == AIB__T_IDENT && aib__p_peek(p)->kind == AIB__T_COLON) {
            aib__tok_t id = p->tok;
            if (check_attr_ident(p, &id))
                return NULL;
            key = aib_arena_str(p->arena, p->src + id.loc.off, id.loc.end - id.loc.off);
            if (!key.ptr) {
                aib__p_oom(p);
                return NULL;
            }
            aib__p_advance(p);
        } else if (p->tok.kind == AIB__T_STR && aib__p_peek(p)->kind == AIB__T_COLON) {
            if (aib__parse_str_tok(p, &key))
                return NULL;
        } else if (p->tok.kind == AIB__T_IDENT && aib__p_peek(p)->kind == AIB__T_COLON2) {
            aib__p_error(p, &p->tok.loc, "a name with a namespace cannot be used as an attribute");
            return NULL;
        } else if (p->tok.kind == AIB__T_IDENT || p->tok.kind == AIB__T_STR || p->tok.kind == AIB__T_INT ||
                   p->tok.kind == AIB__T_LPAREN) {
            aib__p_error(p, &p->tok.loc, "invalid attribute name: record keys must be identifiers or "
                         "string literals");
            return NULL;
        } else {
            aib__p_expected(p, "a record key or `}`");
            return NULL;
        }
        if (aib__p_expect(p, AIB__T_COLON, "`:` after record key"))
            return NULL;
        v = aib__parse_expr(p);
        if (!v || vec_push(p, &vals, v))
            return NULL;
        keys = aib__p_grow(p, keys, nk, &capk, sizeof(aib_str_t));
        if (!keys)
            return NULL;
        keys[nk++] = key;
        if (p->tok.kind == AIB__T_COMMA) {
            aib__p_advance(p);
            continue;
        }
        if (p->tok.kind != AIB__T_RBRACE) {
            aib__p_expected(p, "`,` or `}` in record literal");
            return NULL;
        }
    }
    aib__p_advance(p);
    /* duplicate keys: sort a copy */
    if (nk > 1) {
        sorted = malloc(nk * sizeof(aib_str_t));
        if (!sorted) {
            aib__p_oom(p);
            return NULL;
        }
        memcpy(sorted, keys, nk * sizeof(aib_str_t));
        qsort(sorted, nk, sizeof(aib_str_t), key_cmp);
        for (i = 1; i < nk; i++) {
            if (aib_str_eq(sorted[i - 1], sorted[i])) {
                aib__p_error(p, start, "duplicate key `%.*s` in record literal",
                             (int)(sorted[i].len > 200 ? 200 : sorted[i].len), sorted[i].ptr);
                free(sorted);
                return NULL;
            }
        }
        free(sorted);
    }
    e = node(p, AIB__E_RECORD, start);
    if (!e)
        return NULL;
    e->n = (uint32_t)nk;
    e->u.rec.keys = keys;
    e->u.rec.vals = (aib__expr_t **)vals.v;
    return e;
}

static aib__expr_t *parse_name_primary(aib__parser_t *p, const aib__loc_t *start)
{
    aib_str_t path;
    int n, kw;
    aib__expr_t *e;

    if (parse_path(p, &path, &n, &kw))
        return NULL;
    if (p->tok.kind == AIB__T_COLON2) {
        const aib__tok_t *nx = aib__p_peek(p);
        aib_str_t id;
        aib__uid_t *uid;
        if (nx->kind == AIB__T_LBRACE) {
            aib__p_error(p, start, "invalid entity literal: entity records are not supported");
            return NULL;
        }
        if (nx->kind != AIB__T_STR) {
            aib__p_advance(p);
            aib__p_expected(p, "an identifier or an entity id string after `::`");
            return NULL;
        }
        aib__p_advance(p);
        if (aib__parse_str_tok(p, &id))
            return NULL;
        uid = aib__uid_new(p->arena, path, id);
        if (!uid) {
            aib__p_oom(p);
            return NULL;
        }
        e = node(p, AIB__E_LIT, start);
        if (!e)
            return NULL;
        e->u.lit.kind = AIB__V_ENTITY;
        e->u.lit.u.uid = uid;
        return e;
    }
    if (p->tok.kind == AIB__T_LPAREN) {
        vec_t args = { 0 };
        int fn;
        aib__p_advance(p);
        if (parse_list(p, AIB__T_RPAREN, "`,` or `)` in argument list", &args))
            return NULL;
        if (n == 1 && kw >= AIB__KW_PRINCIPAL && kw <= AIB__KW_CONTEXT) {
            aib__p_error(p, start, "`%.*s(...)` is not a valid function call", (int)path.len, path.ptr);
            return NULL;
        }
        fn = aib__fn_lookup(path, false);
        if (fn < 0) {
            if (aib__fn_lookup(path, true) >= 0)
                aib__p_error(p, start, "`%.*s` is a method, not a function", (int)path.len, path.ptr);
            else
                aib__p_error(p, start, "`%.*s` is not a valid function", (int)path.len, path.ptr);
            return NULL;
        }
        return call_node(p, start, fn, NULL, &args);
    }
    if (n == 1 && kw >= AIB__KW_PRINCIPAL && kw <= AIB__KW_CONTEXT) {
        e = node(p, AIB__E_VAR, start);
        if (e)
            e->op = (uint8_t)(kw - AIB__KW_PRINCIPAL); /* same order as AIB__VAR_* */
        return e;
    }
    if (p->tok.kind == AIB__T_DOT) {
        aib__p_error(p, start, "invalid member access on `%.*s`: it is not a variable", (int)path.len,
                     path.ptr);
        return NULL;
    }
    aib__p_error(p, start, "invalid variable: %.*s", (int)(path.len > 200 ? 200 : path.len), path.ptr);
    return NULL;
}

static aib__expr_t *parse_primary(aib__parser_t *p)
{
    aib__loc_t start = p->tok.loc;
    aib__expr_t *e;

    if (p->err)
        return NULL;
    switch (p->tok.kind) {
    case AIB__T_INT: {
        uint64_t v = 0;
        if (parse_u64(p, &p->tok, &v))
            return NULL;
        if (v > (uint64_t)INT64_MAX) {
            aib__p_error(p, &start, "integer literal `%.*s` is too large", (int)(start.end - start.off),
                         p->src + start.off);
            return NULL;
        }
        aib__p_advance(p);
        e = node(p, AIB__E_LIT, &start);
        if (e)
            e->u.lit = aib__v_long((int64_t)v);
        return e;
    }
    case AIB__T_STR: {
        aib_str_t s;
        if (aib__parse_str_tok(p, &s))
            return NULL;
        e = node(p, AIB__E_LIT, &start);
        if (e) {
            e->u.lit.kind = AIB__V_STRING;
            e->u.lit.u.s = s;
        }
        return e;
    }
    case AIB__T_SLOT: {
        aib_str_t s = tok_text(p, &p->tok);
        int slot;
        if (aib_str_eq_cstr(s, "?principal"))
            slot = AIB__SLOT_PRINCIPAL;
        else if (aib_str_eq_cstr(s, "?resource"))
            slot = AIB__SLOT_RESOURCE;
        else {
            aib__p_error(p, &start, "`%.*s` is not a valid template slot", (int)(s.len > 100 ? 100 : s.len),
                         s.ptr);
            return NULL;
        }
        aib__p_advance(p);
        e = node(p, AIB__E_SLOT, &start);
        if (e)
            e->op = (uint8_t)slot;
        return e;
    }
    case AIB__T_LPAREN:
        aib__p_advance(p);
        e = aib__parse_expr(p);
        if (!e || aib__p_expect(p, AIB__T_RPAREN, "`)`"))
            return NULL;
        return e;
    case AIB__T_LBRACKET: {
        vec_t items = { 0 };
        aib__p_advance(p);
        if (parse_list(p, AIB__T_RBRACKET, "`,` or `]` in set literal", &items))
            return NULL;
        e = node(p, AIB__E_SET, &start);
        if (e) {
            e->n = (uint32_t)items.n;
            e->u.list.items = (aib__expr_t **)items.v;
        }
        return e;
    }
    case AIB__T_LBRACE:
        return parse_record(p, &start);
    case AIB__T_IDENT:
        if (p->tok.kw == AIB__KW_TRUE || p->tok.kw == AIB__KW_FALSE) {
            bool b = p->tok.kw == AIB__KW_TRUE;
            if (aib__p_peek(p)->kind == AIB__T_COLON2) {
                aib__p_error(p, &start, "this identifier is reserved and cannot be used: %s",
                             b ? "true" : "false");
                return NULL;
            }
            aib__p_advance(p);
            e = node(p, AIB__E_LIT, &start);
            if (e)
                e->u.lit = aib__v_bool(b);
            return e;
        }
        if (p->tok.kw == AIB__KW_IF) {
            aib__p_error(p, &start, "unexpected `if`: an if-then-else used as an operand must be "
                         "parenthesized");
            return NULL;
        }
        return parse_name_primary(p, &start);
    default:
        aib__p_expected(p, "an expression");
        return NULL;
    }
}

/* ---- Whole-tree checks ------------------------------------------------------------------ */

static int walk_size(const aib__expr_t *e, int depth, size_t *budget)
{
    uint32_t i;
    if (!e)
        return 0;
    if (depth > AIB__AST_MAX_DEPTH)
        return 1;
    if (*budget == 0)
        return 2;
    (*budget)--;
    switch (e->kind) {
    case AIB__E_IF:
        {
            int rc = walk_size(e->u.k.a, depth + 1, budget);
            if (!rc)
                rc = walk_size(e->u.k.b, depth + 1, budget);
            return rc ? rc : walk_size(e->u.k.c, depth + 1, budget);
        }
    case AIB__E_AND: case AIB__E_OR: case AIB__E_BINOP:
        {
            int rc = walk_size(e->u.k.a, depth + 1, budget);
            return rc ? rc : walk_size(e->u.k.b, depth + 1, budget);
        }
    case AIB__E_NOT: case AIB__E_NEG:
        return walk_size(e->u.k.a, depth + 1, budget);
    case AIB__E_GETATTR: case AIB__E_HAS:
        return walk_size(e->u.attr.obj, depth + 1, budget);
    case AIB__E_LIKE:
        return walk_size(e->u.like.obj, depth + 1, budget);
    case AIB__E_IS:
        return walk_size(e->u.is.obj, depth + 1, budget);
    case AIB__E_SET: case AIB__E_CALL:
        for (i = 0; i < e->n; i++) {
            int rc = walk_size(e->u.list.items[i], depth + 1, budget);
            if (rc)
                return rc;
        }
        return 0;
    case AIB__E_RECORD:
        for (i = 0; i < e->n; i++) {
            int rc = walk_size(e->u.rec.vals[i], depth + 1, budget);
            if (rc)
                return rc;
        }
        return 0;
    default:
        return 0;
    }
}

int aib__expr_check_size(aib__parser_t *p, const aib__expr_t *e, size_t budget)
{
    int rc = walk_size(e, 1, &budget);
    if (rc == 1)
        return aib__p_error(p, &e->loc, "expression is nested more than %d levels deep", AIB__AST_MAX_DEPTH);
    if (rc == 2)
        return aib__p_error(p, &e->loc, "expression is too large after desugaring `has` and `is ... in`");
    return 0;
}

const aib__expr_t *aib__expr_find_slot(const aib__expr_t *e)
{
    const aib__expr_t *s = NULL;
    uint32_t i;
    if (!e)
        return NULL;
    switch (e->kind) {
    case AIB__E_SLOT:
        return e;
    case AIB__E_IF:
        s = aib__expr_find_slot(e->u.k.a);
        if (!s)
            s = aib__expr_find_slot(e->u.k.b);
        return s ? s : aib__expr_find_slot(e->u.k.c);
    case AIB__E_AND: case AIB__E_OR: case AIB__E_BINOP:
        s = aib__expr_find_slot(e->u.k.a);
        return s ? s : aib__expr_find_slot(e->u.k.b);
    case AIB__E_NOT: case AIB__E_NEG:
        return aib__expr_find_slot(e->u.k.a);
    case AIB__E_GETATTR: case AIB__E_HAS:
        return aib__expr_find_slot(e->u.attr.obj);
    case AIB__E_LIKE:
        return aib__expr_find_slot(e->u.like.obj);
    case AIB__E_IS:
        return aib__expr_find_slot(e->u.is.obj);
    case AIB__E_SET: case AIB__E_CALL:
        for (i = 0; i < e->n && !s; i++)
            s = aib__expr_find_slot(e->u.list.items[i]);
        return s;
    case AIB__E_RECORD:
        for (i = 0; i < e->n && !s; i++)
            s = aib__expr_find_slot(e->u.rec.vals[i]);
        return s;
    default:
        return NULL;
    }
}
