/* schema_text.c — parser for the human-readable .cedarschema syntax. Reads namespaces,
 * entity / action / common type declarations, annotations and types into the unresolved
 * form of schema_int.h; schema.c resolves names afterwards. The grammar follows the
 * reference's (comments `//`, keywords usable as identifiers, reserved words rejected). */
#include <stdio.h>
#include <string.h>

#include "cedar/schema_int.h"

enum { TK_EOF = 0, TK_IDENT, TK_STR, TK_NUM, TK_PUNCT, TK_DCOLON };

typedef struct tok {
    int kind;
    char ch;          /* TK_PUNCT */
    uint32_t off, len;
    uint32_t line, col;
} tok_t;

typedef struct ps {
    aib__rschema_t *rs;
    aib_arena_t *a;
    const char *s;
    size_t n;
    size_t pos;
    uint32_t line, line_start;
    tok_t t;          /* current token */
    aib_diag_t *diag;
    int depth;
} ps_t;

/* ---- Lexer ------------------------------------------------------------------------------ */

/* Length of a whitespace character at p (ASCII or Unicode White_Space in UTF-8), 0 if none. */
static size_t ws_len(const unsigned char *p, size_t rem)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
        return 1;
    if (rem >= 2 && p[0] == 0xC2 && (p[1] == 0x85 || p[1] == 0xA0))
        return 2;
    if (rem >= 3) {
        unsigned c = ((unsigned)p[0] << 16) | ((unsigned)p[1] << 8) | p[2];
        if (c == 0xE19A80 || (c >= 0xE28080 && c <= 0xE2808A) || c == 0xE280A8 || c == 0xE280A9 ||
            c == 0xE280AF || c == 0xE2819F || c == 0xE38080)
            return 3;
    }
    return 0;
}

static void newline(ps_t *p, size_t at)
{
    p->line++;
    p->line_start = (uint32_t)(at + 1);
}

static void skip_space(ps_t *p)
{
    for (;;) {
        if (p->pos >= p->n)
            return;
        const unsigned char *c = (const unsigned char *)p->s + p->pos;
        size_t w = ws_len(c, p->n - p->pos);
        if (w) {
            if (*c == '\n')
                newline(p, p->pos);
            p->pos += w;
            continue;
        }
        if (*c == '/' && p->pos + 1 < p->n && c[1] == '/') {
            while (p->pos < p->n && p->s[p->pos] != '\n' && p->s[p->pos] != '\r')
                p->pos++;
            continue;
        }
        return;
    }
}

static bool is_id_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_id_char(char c) { return is_id_start(c) || (c >= '0' && c <= '9'); }

static int fail(ps_t *p, uint32_t line, uint32_t col, int rc, const char *fmt, const char *a1,
                const char *a2)
{
    aib_diag_set(p->diag, p->rs->file, (int)line, (int)col, fmt, a1, a2);
    return rc;
}

/* Describes the current token for messages into buf. */
static const char *tok_desc(const ps_t *p, char *buf, size_t cap)
{
    const tok_t *t = &p->t;
    if (t->kind == TK_EOF)
        return "end of input";
    size_t n = t->len > 40 ? 40 : t->len;
    snprintf(buf, cap, "`%.*s%s`", (int)n, p->s + t->off, t->len > 40 ? "..." : "");
    return buf;
}

static int expected(ps_t *p, const char *what)
{
    char buf[64];
    return fail(p, p->t.line, p->t.col, AIB_EPARSE, "expected %s, found %s", what,
                tok_desc(p, buf, sizeof buf));
}

static int next(ps_t *p)
{
    skip_space(p);
    tok_t *t = &p->t;
    t->off = (uint32_t)p->pos;
    t->line = p->line;
    t->col = (uint32_t)(p->pos - p->line_start + 1);
    t->len = 0;
    if (p->pos >= p->n) {
        t->kind = TK_EOF;
        return 0;
    }
    char c = p->s[p->pos];
    if (is_id_start(c)) {
        size_t e = p->pos + 1;
        while (e < p->n && is_id_char(p->s[e]))
            e++;
        t->kind = TK_IDENT;
        t->len = (uint32_t)(e - p->pos);
        p->pos = e;
        return 0;
    }
    if (c >= '0' && c <= '9') {
        size_t e = p->pos + 1;
        while (e < p->n && p->s[e] >= '0' && p->s[e] <= '9')
            e++;
        t->kind = TK_NUM;
        t->len = (uint32_t)(e - p->pos);
        p->pos = e;
        return 0;
    }
    if (c == '"') {
        size_t e = p->pos + 1;
        for (;;) {
            if (e >= p->n)
                return fail(p, t->line, t->col, AIB_EPARSE, "unterminated string literal%s%s", "", "");
            if (p->s[e] == '\\') {
                /* an escaped character; a backslash before a line break matches nothing */
                if (e + 1 >= p->n || p->s[e + 1] == '\n' || p->s[e + 1] == '\r')
                    return fail(p, t->line, t->col, AIB_EPARSE, "invalid string literal%s%s", "", "");
                e += 2;
                continue;
            }
            if (p->s[e] == '\n')
                newline(p, e);
            if (p->s[e] == '"')
                break;
            e++;
        }
        t->kind = TK_STR;
        t->len = (uint32_t)(e + 1 - p->pos);
        p->pos = e + 1;
        return 0;
    }
    if (c == ':' && p->pos + 1 < p->n && p->s[p->pos + 1] == ':') {
        t->kind = TK_DCOLON;
        t->len = 2;
        p->pos += 2;
        return 0;
    }
    if (strchr(",;:{}[]<>=?@()", c) && c != '\0') {
        t->kind = TK_PUNCT;
        t->ch = c;
        t->len = 1;
        p->pos++;
        return 0;
    }
    char buf[16];
    unsigned char uc = (unsigned char)c;
    if (uc >= 0x20 && uc < 0x7f)
        snprintf(buf, sizeof buf, "`%c`", c);
    else
        snprintf(buf, sizeof buf, "byte 0x%02x", uc);
    return fail(p, t->line, t->col, AIB_EPARSE, "unexpected character %s%s", buf, "");
}

static bool is_punct(const ps_t *p, char c) { return p->t.kind == TK_PUNCT && p->t.ch == c; }

static bool is_kw(const ps_t *p, const char *kw)
{
    size_t n = strlen(kw);
    return p->t.kind == TK_IDENT && p->t.len == n && memcmp(p->s + p->t.off, kw, n) == 0;
}

static int expect_punct(ps_t *p, char c)
{
    if (!is_punct(p, c)) {
        char w[8];
        snprintf(w, sizeof w, "`%c`", c);
        return expected(p, w);
    }
    return next(p);
}

static aib__loc_t cur_loc(const ps_t *p)
{
    aib__loc_t l = { p->t.line, p->t.col, p->t.off, p->t.off + p->t.len };
    return l;
}

static aib_str_t tok_str(const ps_t *p) { aib_str_t s = { p->s + p->t.off, p->t.len }; return s; }

/* The current token's text copied into the arena (the model never points into the input). */
static int tok_copy(ps_t *p, aib_str_t *out)
{
    *out = aib_arena_str(p->a, p->s + p->t.off, p->t.len);
    return out->ptr ? 0 : AIB_ENOMEM;
}

/* ---- Strings ---------------------------------------------------------------------------- */

static int put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unescapes the current string token into the arena (Cedar escapes: \n \r \t \\ \0 \' \"
 * and \u{hex}). */
static int str_value(ps_t *p, aib_str_t *out)
{
    const char *s = p->s + p->t.off + 1;
    size_t n = p->t.len - 2;
    char *o = aib_arena_alloc(p->a, n + 1);
    if (!o)
        return AIB_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            o[k++] = s[i];
            continue;
        }
        char e = s[++i];
        switch (e) {
        case 'n': o[k++] = '\n'; break;
        case 'r': o[k++] = '\r'; break;
        case 't': o[k++] = '\t'; break;
        case '\\': o[k++] = '\\'; break;
        case '0': o[k++] = '\0'; break;
        case '\'': o[k++] = '\''; break;
        case '"': o[k++] = '"'; break;
        case 'u': {
            if (i + 1 >= n || s[i + 1] != '{')
                goto bad;
            size_t j = i + 2;
            uint32_t cp = 0;
            int nd = 0;
            while (j < n && s[j] != '}') {
                char h = s[j];
                int v = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                      : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
                if (v < 0 || ++nd > 6)
                    goto bad;
                cp = cp * 16 + (uint32_t)v;
                j++;
            }
            if (j >= n || nd == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                goto bad;
            k += (size_t)put_utf8(o + k, cp); /* \u{...} is at least 4 bytes of source */
            i = j;
            break;
        }
        default:
            goto bad;
        }
    }
    o[k] = '\0';
    out->ptr = o;
    out->len = k;
    return 0;
bad:
    return fail(p, p->t.line, p->t.col, AIB_EPARSE, "invalid escape sequence in string literal%s%s",
                "", "");
}

/* ---- Grammar ---------------------------------------------------------------------------- */

/* Ident: an identifier token that is not a reserved word. */
static int ident(ps_t *p, aib_str_t *out, const char *what)
{
    if (p->t.kind != TK_IDENT)
        return expected(p, what);
    aib_str_t s = tok_str(p);
    if (aib__schema_reserved_ident(s)) {
        char buf[64];
        return fail(p, p->t.line, p->t.col, AIB_EPARSE, "%s is a reserved identifier%s",
                    tok_desc(p, buf, sizeof buf), "");
    }
    int rc = tok_copy(p, out);
    return rc ? rc : next(p);
}

/* Path: Ident {'::' Ident}, returned as one string view of the source with "::" joints
 * normalised (the source may have spaces around `::`). */
static int path(ps_t *p, aib_str_t *out, const char *what)
{
    aib_str_t first;
    int rc = ident(p, &first, what);
    if (rc)
        return rc;
    if (p->t.kind != TK_DCOLON) {
        *out = first;
        return 0;
    }
    aib_buf_t b;
    aib_buf_init(&b);
    rc = aib_buf_append(&b, first.ptr, first.len);
    while (!rc && p->t.kind == TK_DCOLON) {
        if ((rc = next(p)))
            break;
        aib_str_t part;
        if ((rc = ident(p, &part, "an identifier after `::`")))
            break;
        if (!(rc = aib_buf_append(&b, "::", 2)))
            rc = aib_buf_append(&b, part.ptr, part.len);
    }
    if (!rc) {
        *out = aib_arena_str(p->a, b.data, b.len);
        if (!out->ptr)
            rc = AIB_ENOMEM;
    }
    aib_buf_free(&b);
    return rc;
}

/* Annotations: {'@' AnyIdent ['(' STR ')']}, keys unique. */
static int annotations(ps_t *p, size_t *n_out, aib__annotation_t **out)
{
    size_t n = 0, cap = 0;
    aib__annotation_t *arr = NULL;
    int rc = 0;
    while (is_punct(p, '@')) {
        if ((rc = next(p)))
            return rc;
        if (p->t.kind != TK_IDENT)
            return expected(p, "an annotation name");
        aib__annotation_t an;
        if ((rc = tok_copy(p, &an.key)))
            return rc;
        an.value = AIB_STR_LIT("");
        uint32_t kl = p->t.line, kc = p->t.col;
        if ((rc = next(p)))
            return rc;
        if (is_punct(p, '(')) {
            if ((rc = next(p)))
                return rc;
            if (p->t.kind != TK_STR)
                return expected(p, "a string literal");
            if ((rc = str_value(p, &an.value)) || (rc = next(p)) || (rc = expect_punct(p, ')')))
                return rc;
        }
        for (size_t i = 0; i < n; i++)
            if (aib_str_eq(arr[i].key, an.key)) {
                char buf[80];
                snprintf(buf, sizeof buf, "%.*s", (int)(an.key.len > 60 ? 60 : an.key.len), an.key.ptr);
                return fail(p, kl, kc, AIB_EPARSE, "duplicate annotation `@%s`%s", buf, "");
            }
        if ((rc = aib__schema_grow(p->a, (void **)&arr, &cap, n, sizeof *arr)))
            return rc;
        arr[n++] = an;
    }
    *n_out = n;
    *out = arr;
    return 0;
}

static int type_expr(ps_t *p, aib__rtype_t **out);

/* AttrDecls inside '{' ... '}' (the opening brace is current). */
static int record_type(ps_t *p, aib__rtype_t **out)
{
    aib__rtype_t *t = aib_arena_calloc(p->a, 1, sizeof *t);
    if (!t)
        return AIB_ENOMEM;
    t->kind = AIB__RT_RECORD;
    t->loc = cur_loc(p);
    size_t cap = 0;
    int rc = next(p);
    if (rc)
        return rc;
    while (!is_punct(p, '}')) {
        aib__rattr_t at;
        memset(&at, 0, sizeof at);
        if ((rc = annotations(p, &at.n_annotations, &at.annotations)))
            return rc;
        if (p->t.kind == TK_STR) {
            if ((rc = str_value(p, &at.name)) || (rc = next(p)))
                return rc;
        } else if ((rc = ident(p, &at.name, "an attribute name or `}`"))) {
            return rc;
        }
        at.required = 1;
        if (is_punct(p, '?')) {
            at.required = 0;
            if ((rc = next(p)))
                return rc;
        }
        if ((rc = expect_punct(p, ':')) || (rc = type_expr(p, &at.type)))
            return rc;
        if ((rc = aib__schema_grow(p->a, (void **)&t->attrs, &cap, t->n_attrs, sizeof at)))
            return rc;
        t->attrs[t->n_attrs++] = at;
        if (is_punct(p, ',')) {
            if ((rc = next(p)))
                return rc;
        } else if (!is_punct(p, '}')) {
            return expected(p, "`,` or `}`");
        }
    }
    *out = t;
    return next(p);
}

/* Type := Path | 'Set' '<' Type '>' | '{' AttrDecls? '}' */
static int type_expr(ps_t *p, aib__rtype_t **out)
{
    int rc;
    if (++p->depth > AIB_CEDAR_MAX_DEPTH) {
        rc = fail(p, p->t.line, p->t.col, AIB_ELIMIT, "types nested too deeply (limit %s)%s", "200", "");
        goto done;
    }
    if (is_punct(p, '{')) {
        rc = record_type(p, out);
        goto done;
    }
    aib__loc_t loc = cur_loc(p);
    if (is_kw(p, "Set")) {
        /* `Set` followed by `<` is the set type; otherwise it is an ordinary name */
        size_t save_pos = p->pos;
        uint32_t save_line = p->line, save_ls = p->line_start;
        tok_t save = p->t;
        if ((rc = next(p)))
            goto done;
        if (is_punct(p, '<')) {
            aib__rtype_t *t = aib_arena_calloc(p->a, 1, sizeof *t);
            if (!t) {
                rc = AIB_ENOMEM;
                goto done;
            }
            t->kind = AIB__RT_SET;
            t->loc = loc;
            if ((rc = next(p)) || (rc = type_expr(p, &t->elem)) || (rc = expect_punct(p, '>')))
                goto done;
            *out = t;
            goto done;
        }
        p->pos = save_pos;
        p->line = save_line;
        p->line_start = save_ls;
        p->t = save;
    }
    aib__rtype_t *t = aib_arena_calloc(p->a, 1, sizeof *t);
    if (!t) {
        rc = AIB_ENOMEM;
        goto done;
    }
    t->kind = AIB__RT_REF;
    t->ref = AIB__REF_EITHER;
    t->loc = loc;
    rc = path(p, &t->name, "a type");
    *out = t;
done:
    p->depth--;
    return rc;
}

/* EntTypes := Path | '[' [Path {',' Path}] ']' */
static int ent_types(ps_t *p, size_t *n_out, aib_str_t **out)
{
    size_t n = 0, cap = 0;
    aib_str_t *arr = NULL;
    int rc;
    if (!is_punct(p, '[')) {
        if ((rc = aib__schema_grow(p->a, (void **)&arr, &cap, n, sizeof *arr)))
            return rc;
        if ((rc = path(p, &arr[0], "an entity type name or `[`")))
            return rc;
        *n_out = 1;
        *out = arr;
        return 0;
    }
    if ((rc = next(p)))
        return rc;
    if (!is_punct(p, ']')) {
        for (;;) {
            if ((rc = aib__schema_grow(p->a, (void **)&arr, &cap, n, sizeof *arr)))
                return rc;
            if ((rc = path(p, &arr[n], "an entity type name")))
                return rc;
            n++;
            if (!is_punct(p, ','))
                break;
            if ((rc = next(p)))
                return rc;
        }
    }
    if ((rc = expect_punct(p, ']')))
        return rc;
    *n_out = n;
    *out = arr;
    return 0;
}

/* Name := Ident | STR */
static int name(ps_t *p, aib_str_t *out, const char *what)
{
    if (p->t.kind == TK_STR) {
        int rc = str_value(p, out);
        return rc ? rc : next(p);
    }
    return ident(p, out, what);
}

static int entity_decl(ps_t *p, aib__rns_t *ns, size_t n_ann, aib__annotation_t *ann, aib__loc_t loc)
{
    aib_str_t *names = NULL;
    size_t n_names = 0, cap = 0;
    int rc;
    for (;;) {
        if ((rc = aib__schema_grow(p->a, (void **)&names, &cap, n_names, sizeof *names)))
            return rc;
        if ((rc = ident(p, &names[n_names], "an entity type name")))
            return rc;
        n_names++;
        if (!is_punct(p, ','))
            break;
        if ((rc = next(p)))
            return rc;
    }
    aib__rentity_t e;
    memset(&e, 0, sizeof e);
    e.annotations = ann;
    e.n_annotations = n_ann;
    e.loc = loc;
    if (is_kw(p, "enum")) {
        e.is_enum = 1;
        if ((rc = next(p)) || (rc = expect_punct(p, '[')))
            return rc;
        size_t ecap = 0;
        for (;;) {
            if (p->t.kind != TK_STR)
                return expected(p, "a string literal");
            if ((rc = aib__schema_grow(p->a, (void **)&e.enum_ids, &ecap, e.n_enum, sizeof(aib_str_t))))
                return rc;
            if ((rc = str_value(p, &e.enum_ids[e.n_enum])) || (rc = next(p)))
                return rc;
            e.n_enum++;
            if (!is_punct(p, ','))
                break;
            if ((rc = next(p)))
                return rc;
        }
        if ((rc = expect_punct(p, ']')))
            return rc;
    } else {
        if (is_kw(p, "in")) {
            if ((rc = next(p)) || (rc = ent_types(p, &e.n_parents, &e.parents)))
                return rc;
        }
        if (is_punct(p, '=')) {
            if ((rc = next(p)))
                return rc;
            if (!is_punct(p, '{'))
                return expected(p, "`{`");
        }
        if (is_punct(p, '{')) {
            p->depth++;
            rc = record_type(p, &e.shape);
            p->depth--;
            if (rc)
                return rc;
        }
        if (is_kw(p, "tags")) {
            if ((rc = next(p)) || (rc = type_expr(p, &e.tags)))
                return rc;
        }
    }
    if ((rc = expect_punct(p, ';')))
        return rc;
    for (size_t i = 0; i < n_names; i++) {
        if ((rc = aib__schema_grow(p->a, (void **)&ns->entities, &ns->cap_entities, ns->n_entities,
                                   sizeof e)))
            return rc;
        e.name = names[i];
        ns->entities[ns->n_entities++] = e;
    }
    return 0;
}

/* QualName := Name | Path '::' STR */
static int qual_name(ps_t *p, aib__ractref_t *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (p->t.kind == TK_STR) {
        if ((rc = str_value(p, &out->id)))
            return rc;
        return next(p);
    }
    aib_buf_t b;
    aib_buf_init(&b);
    aib_str_t first;
    if ((rc = ident(p, &first, "an action name")))
        goto done;
    if (p->t.kind != TK_DCOLON) {
        out->id = first;
        goto done;
    }
    if ((rc = aib_buf_append(&b, first.ptr, first.len)))
        goto done;
    for (;;) {
        if ((rc = next(p)))
            goto done;
        if (p->t.kind == TK_STR) {
            if ((rc = str_value(p, &out->id)) || (rc = next(p)))
                goto done;
            out->has_type = 1;
            out->type = aib_arena_str(p->a, b.data, b.len);
            if (!out->type.ptr)
                rc = AIB_ENOMEM;
            goto done;
        }
        aib_str_t part;
        if ((rc = ident(p, &part, "an identifier or a string literal after `::`")))
            goto done;
        if ((rc = aib_buf_append(&b, "::", 2)) || (rc = aib_buf_append(&b, part.ptr, part.len)))
            goto done;
        if (p->t.kind != TK_DCOLON) {
            rc = expected(p, "`::` and the action's id as a string literal");
            goto done;
        }
    }
done:
    aib_buf_free(&b);
    return rc;
}

static int app_decls(ps_t *p, aib__raction_t *a, aib_str_t aname)
{
    bool seen_p = false, seen_r = false, seen_c = false;
    int rc;
    char an[80];
    snprintf(an, sizeof an, "%.*s", (int)(aname.len > 60 ? 60 : aname.len), aname.ptr);
    aib__loc_t start = cur_loc(p);
    do {
        uint32_t l = p->t.line, c = p->t.col;
        if (is_kw(p, "principal") || is_kw(p, "resource")) {
            bool is_p = is_kw(p, "principal");
            if ((is_p && seen_p) || (!is_p && seen_r))
                return fail(p, l, c, AIB_EPARSE, "duplicate `%s` declaration in action `%s`",
                            is_p ? "principal" : "resource", an);
            if ((rc = next(p)) || (rc = expect_punct(p, ':')))
                return rc;
            size_t n;
            aib_str_t *arr;
            if ((rc = ent_types(p, &n, &arr)))
                return rc;
            if (n == 0)
                return fail(p, l, c, AIB_EPARSE, "for action `%s`, `%s` is `[]`, which is invalid",
                            an, is_p ? "principal" : "resource");
            if (is_p) {
                seen_p = true;
                a->n_principals = n;
                a->principals = arr;
            } else {
                seen_r = true;
                a->n_resources = n;
                a->resources = arr;
            }
        } else if (is_kw(p, "context")) {
            if (seen_c)
                return fail(p, l, c, AIB_EPARSE, "duplicate `%s` declaration in action `%s`",
                            "context", an);
            seen_c = true;
            if ((rc = next(p)) || (rc = expect_punct(p, ':')))
                return rc;
            if (is_punct(p, '{')) {
                p->depth++;
                rc = record_type(p, &a->context);
                p->depth--;
                if (rc)
                    return rc;
            } else {
                aib__rtype_t *t = aib_arena_calloc(p->a, 1, sizeof *t);
                if (!t)
                    return AIB_ENOMEM;
                t->kind = AIB__RT_REF;
                t->ref = AIB__REF_COMMON;
                t->loc = cur_loc(p);
                if ((rc = path(p, &t->name, "a record type or a common type name")))
                    return rc;
                a->context = t;
            }
        } else {
            return expected(p, "`principal`, `resource` or `context`");
        }
        if (!is_punct(p, ','))
            break;
        if ((rc = next(p)))
            return rc;
    } while (!is_punct(p, '}'));
    if (!seen_p)
        return fail(p, start.line, start.col, AIB_EPARSE, "missing `principal` declaration for `%s`%s", an, "");
    if (!seen_r)
        return fail(p, start.line, start.col, AIB_EPARSE, "missing `resource` declaration for `%s`%s", an, "");
    return 0;
}

static int action_decl(ps_t *p, aib__rns_t *ns, size_t n_ann, aib__annotation_t *ann, aib__loc_t loc)
{
    aib_str_t *names = NULL;
    size_t n_names = 0, cap = 0;
    int rc;
    for (;;) {
        if ((rc = aib__schema_grow(p->a, (void **)&names, &cap, n_names, sizeof *names)))
            return rc;
        if ((rc = name(p, &names[n_names], "an action name")))
            return rc;
        n_names++;
        if (!is_punct(p, ','))
            break;
        if ((rc = next(p)))
            return rc;
    }
    aib__raction_t a;
    memset(&a, 0, sizeof a);
    a.annotations = ann;
    a.n_annotations = n_ann;
    a.loc = loc;
    if (is_kw(p, "in")) {
        if ((rc = next(p)))
            return rc;
        size_t pcap = 0;
        if (is_punct(p, '[')) {
            if ((rc = next(p)))
                return rc;
            for (;;) {
                if ((rc = aib__schema_grow(p->a, (void **)&a.parents, &pcap, a.n_parents, sizeof *a.parents)))
                    return rc;
                if ((rc = qual_name(p, &a.parents[a.n_parents])))
                    return rc;
                a.n_parents++;
                if (!is_punct(p, ','))
                    break;
                if ((rc = next(p)))
                    return rc;
            }
            if ((rc = expect_punct(p, ']')))
                return rc;
        } else {
            if ((rc = aib__schema_grow(p->a, (void **)&a.parents, &pcap, 0, sizeof *a.parents)))
                return rc;
            if ((rc = qual_name(p, &a.parents[0])))
                return rc;
            a.n_parents = 1;
        }
    }
    if (is_kw(p, "appliesTo")) {
        a.has_applies_to = 1;
        if ((rc = next(p)) || (rc = expect_punct(p, '{')) || (rc = app_decls(p, &a, names[0])) ||
            (rc = expect_punct(p, '}')))
            return rc;
    }
    if (is_kw(p, "attributes")) {
        /* accepted for compatibility; only the empty form is allowed */
        if ((rc = next(p)) || (rc = expect_punct(p, '{')) || (rc = expect_punct(p, '}')))
            return rc;
    }
    if ((rc = expect_punct(p, ';')))
        return rc;
    for (size_t i = 0; i < n_names; i++) {
        if ((rc = aib__schema_grow(p->a, (void **)&ns->actions, &ns->cap_actions, ns->n_actions, sizeof a)))
            return rc;
        a.name = names[i];
        ns->actions[ns->n_actions++] = a;
    }
    return 0;
}

static int type_decl(ps_t *p, aib__rns_t *ns, aib__loc_t loc)
{
    aib__rcommon_t c;
    memset(&c, 0, sizeof c);
    c.loc = loc;
    int rc;
    if ((rc = ident(p, &c.name, "a common type name")) || (rc = expect_punct(p, '=')) ||
        (rc = type_expr(p, &c.type)) || (rc = expect_punct(p, ';')))
        return rc;
    if ((rc = aib__schema_grow(p->a, (void **)&ns->commons, &ns->cap_commons, ns->n_commons, sizeof c)))
        return rc;
    ns->commons[ns->n_commons++] = c;
    return 0;
}

/* Decl := Entity | Action | TypeDecl (annotations already read). */
static int decl(ps_t *p, aib__rns_t *ns, size_t n_ann, aib__annotation_t *ann)
{
    aib__loc_t loc = cur_loc(p);
    if (is_kw(p, "entity")) {
        int rc = next(p);
        return rc ? rc : entity_decl(p, ns, n_ann, ann, loc);
    }
    if (is_kw(p, "action")) {
        int rc = next(p);
        return rc ? rc : action_decl(p, ns, n_ann, ann, loc);
    }
    if (is_kw(p, "type")) {
        /* annotations on common types are accepted; the model does not keep them */
        int rc = next(p);
        return rc ? rc : type_decl(p, ns, loc);
    }
    return expected(p, "`entity`, `action` or `type`");
}

static bool valid_utf8(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else goto fail;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            goto fail;
        i += k + 1;
    }
    return true;
fail:
    *bad = i;
    return false;
}

int aib__schema_text_parse(aib__rschema_t *rs, const char *text, size_t len, aib_diag_t *diag)
{
    ps_t p;
    memset(&p, 0, sizeof p);
    p.rs = rs;
    p.a = rs->arena;
    p.s = text;
    p.n = len;
    p.line = 1;
    p.diag = diag;
    size_t bad = 0;
    if (!valid_utf8((const unsigned char *)text, len, &bad)) {
        uint32_t line = 1, ls = 0;
        for (size_t i = 0; i < bad; i++)
            if (text[i] == '\n') {
                line++;
                ls = (uint32_t)(i + 1);
            }
        return fail(&p, line, (uint32_t)(bad - ls + 1), AIB_EPARSE, "invalid UTF-8 in schema text%s%s", "", "");
    }
    int rc = next(&p);
    while (!rc && p.t.kind != TK_EOF) {
        size_t n_ann;
        aib__annotation_t *ann;
        if ((rc = annotations(&p, &n_ann, &ann)))
            break;
        if (is_kw(&p, "namespace")) {
            aib__loc_t loc = cur_loc(&p);
            aib_str_t nsname;
            if ((rc = next(&p)) || (rc = path(&p, &nsname, "a namespace name")))
                break;
            bool created;
            aib__rns_t *ns = aib__schema_ns(rs, nsname, &created);
            if (!ns) {
                rc = AIB_ENOMEM;
                break;
            }
            if (!created) {
                char buf[128];
                snprintf(buf, sizeof buf, "%.*s", (int)(nsname.len > 100 ? 100 : nsname.len), nsname.ptr);
                rc = fail(&p, loc.line, loc.col, AIB_EPARSE, "duplicate namespace `%s`%s", buf, "");
                break;
            }
            ns->loc = loc;
            ns->annotations = ann;
            ns->n_annotations = n_ann;
            if ((rc = expect_punct(&p, '{')))
                break;
            while (!rc && !is_punct(&p, '}')) {
                size_t dn;
                aib__annotation_t *da;
                if (p.t.kind == TK_EOF) {
                    rc = expected(&p, "a declaration or `}`");
                    break;
                }
                if ((rc = annotations(&p, &dn, &da)))
                    break;
                rc = decl(&p, ns, dn, da);
            }
            if (!rc)
                rc = next(&p);
        } else {
            bool created;
            aib__rns_t *ns = aib__schema_ns(rs, AIB_STR_LIT(""), &created);
            if (!ns) {
                rc = AIB_ENOMEM;
                break;
            }
            rc = decl(&p, ns, n_ann, ann);
        }
    }
    return rc;
}
