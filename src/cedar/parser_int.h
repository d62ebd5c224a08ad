/* parser_int.h — private interface between the Cedar policy lexer (lexer.c), the expression and
 * policy parsers (parser_expr.c, parser_policy.c) and the formatter (format.c). Nothing here is
 * used outside the parser; the rest of the engine sees only cedar_int.h.
 * Memory: every node, string and array the parser makes comes from the arena given to
 * aib__p_init (the policy set's); tokens point into the caller's source text. */
#ifndef AIB_PARSER_INT_H
#define AIB_PARSER_INT_H

#include "cedar/cedar_int.h"

/* Deepest expression tree the parser hands out. Syntactic nesting (parentheses, brackets) is
 * limited by AIB_CEDAR_MAX_DEPTH; long operator chains (`a || b || ...`) build left-deep trees
 * without nesting, so they get a separate, larger bound that still keeps every recursive walk
 * of the tree (evaluator, validator, formatter) well inside the stack. */
#define AIB__AST_MAX_DEPTH 5000

typedef enum {
    AIB__T_EOF = 0,
    AIB__T_ERROR,   /* a byte sequence that is no token */
    AIB__T_IDENT,   /* kw says whether it is a keyword */
    AIB__T_INT,     /* decimal digits */
    AIB__T_STR,     /* "..." raw, quotes included; unescaped by the parser */
    AIB__T_SLOT,    /* ?name */
    AIB__T_AT, AIB__T_DOT, AIB__T_COMMA, AIB__T_SEMI, AIB__T_COLON, AIB__T_COLON2,
    AIB__T_LPAREN, AIB__T_RPAREN, AIB__T_LBRACE, AIB__T_RBRACE, AIB__T_LBRACKET, AIB__T_RBRACKET,
    AIB__T_EQ, AIB__T_NE, AIB__T_LT, AIB__T_LE, AIB__T_GT, AIB__T_GE,
    AIB__T_OR, AIB__T_AND, AIB__T_PLUS, AIB__T_MINUS, AIB__T_STAR, AIB__T_SLASH, AIB__T_PERCENT,
    AIB__T_BANG, AIB__T_ASSIGN
} aib__tkind_tok_t;

/* Keywords: identifiers the grammar gives a role. Only some are reserved (see
 * aib__kw_reserved); `permit`, `principal`, ... are ordinary identifiers elsewhere. */
typedef enum {
    AIB__KW_NONE = 0,
    AIB__KW_TRUE, AIB__KW_FALSE, AIB__KW_IF, AIB__KW_THEN, AIB__KW_ELSE,
    AIB__KW_IN, AIB__KW_HAS, AIB__KW_LIKE, AIB__KW_IS,
    AIB__KW_PERMIT, AIB__KW_FORBID, AIB__KW_WHEN, AIB__KW_UNLESS,
    AIB__KW_PRINCIPAL, AIB__KW_ACTION, AIB__KW_RESOURCE, AIB__KW_CONTEXT
} aib__kw_t;

typedef struct aib__tok {
    uint8_t kind; /* aib__tkind_tok_t */
    uint8_t kw;   /* aib__kw_t for AIB__T_IDENT */
    aib__loc_t loc;
} aib__tok_t;

typedef struct aib__lexer {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t line, col;
} aib__lexer_t;

void aib__lex_init(aib__lexer_t *lx, const char *src, size_t len);
/* Scans the next token (whitespace and // comments skipped). Never fails: bytes that start no
 * token produce AIB__T_ERROR covering one character. */
void aib__lex_next(aib__lexer_t *lx, aib__tok_t *t);
/* Keyword id of an identifier spelling, AIB__KW_NONE for plain identifiers. */
int aib__kw_lookup(const char *s, size_t n);
/* Identifiers that may not name attributes, record keys, types or namespaces. */
bool aib__kw_reserved(int kw);
/* True when s is a plain identifier ([_a-zA-Z][_a-zA-Z0-9]*). */
bool aib__is_ident(const char *s, size_t n);
/* True when s may be written unquoted as an attribute name: an identifier that is neither
 * reserved nor `__cedar`. */
bool aib__is_attr_ident(const char *s, size_t n);
/* Offset of the first invalid UTF-8 byte of s, or n when s is valid. */
size_t aib__utf8_check(const char *s, size_t n);

/* String unescaping as the reference does it (Rust string escapes: \n \r \t \\ \0 \' \" \xHH up to
 * 0x7F, \u{1-6 hex digits}; a bare carriage return is an error). raw is the text between the
 * quotes. On error returns AIB_EPARSE and bad_off and bad_len locate the faulty escape in raw. */
int aib__unescape(aib_arena_t *a, const char *raw, size_t n, aib_str_t *out, size_t *bad_off,
                  size_t *bad_len);
/* The same for `like` patterns: an unescaped `*` is a wildcard, `\*` a literal star. */
int aib__unescape_pattern(aib_arena_t *a, const char *raw, size_t n, aib__pattern_t *out,
                          size_t *bad_off, size_t *bad_len);

/* Parser state shared by parser_expr.c and parser_policy.c. Errors are sticky: the first one
 * fills diag and every later step returns early. */
typedef struct aib__parser {
    aib_arena_t *arena;
    const char *src;
    size_t len;
    const char *file;
    aib_diag_t *diag;
    aib__lexer_t lx;
    aib__tok_t tok;  /* current token */
    aib__tok_t la;   /* one token of lookahead, valid when has_la */
    bool has_la;
    uint32_t prev_end; /* end offset of the last consumed token */
    int depth;       /* syntactic nesting */
    int err;         /* first error, 0 while none */
} aib__parser_t;

void aib__p_init(aib__parser_t *p, aib_arena_t *arena, const char *src, size_t len, const char *file,
                 aib_diag_t *diag);
void aib__p_advance(aib__parser_t *p);
const aib__tok_t *aib__p_peek(aib__parser_t *p);
/* Records an error at loc (only the first one is kept); returns AIB_EPARSE. */
int aib__p_error(aib__parser_t *p, const aib__loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int aib__p_oom(aib__parser_t *p);
/* Room for one more element in an arena array v holding n of *cap elements of elem bytes: v
 * itself while there is room, else a block of twice the capacity with the n elements copied
 * (the old block stays in the arena). NULL after recording ENOMEM in p. */
void *aib__p_grow(aib__parser_t *p, void *v, size_t n, size_t *cap, size_t elem);
/* Writes a short description of token t ("`}`", "end of input", "identifier `foo`") into buf. */
void aib__p_describe(const aib__parser_t *p, const aib__tok_t *t, char *buf, size_t cap);
/* "expected X, found <current token>" */
int aib__p_expected(aib__parser_t *p, const char *what);
bool aib__p_accept(aib__parser_t *p, int kind);
int aib__p_expect(aib__parser_t *p, int kind, const char *what);

/* Expression parser (parser_expr.c). Returns NULL on error (p->err set). Slots are accepted
 * anywhere; the policy parser decides where they may stay. */
aib__expr_t *aib__parse_expr(aib__parser_t *p);
/* Parses a type name (`A::B`) at the current token into *out; 0 or an error. */
int aib__parse_name(aib__parser_t *p, aib_str_t *out, aib__loc_t *loc);
/* Unescapes the current string token into *out (reporting escape errors) and advances. */
int aib__parse_str_tok(aib__parser_t *p, aib_str_t *out);
/* First slot found in e (depth-first, written order), NULL when none. */
const aib__expr_t *aib__expr_find_slot(const aib__expr_t *e);
/* Checks e's tree against AIB__AST_MAX_DEPTH and its expanded size (desugaring shares
 * subtrees, so the tree a walk sees can exceed the text) against budget nodes. */
int aib__expr_check_size(aib__parser_t *p, const aib__expr_t *e, size_t budget);

/* Formatting helpers shared by format.c users. */
int aib__format_str(aib_buf_t *out, aib_str_t s);
int aib__format_pattern(aib_buf_t *out, const aib__pattern_t *pat);

#endif
