/* test_parser.c — the Cedar policy parser: grammar coverage, the AST shapes the reference
 * builds (desugarings, negative literals, patterns, escapes), what it rejects (cross-checked
 * against the reference implementation), diagnostics, limits, templates and linking, and the
 * format round trip. With $AIB_SHARED_DATA/cedar-conformance.tar.gz present, every .cedar file
 * of the conformance suite must parse and round-trip. */
#include "test.h"
#include "cedar/parser_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#define HEAD "permit(principal, action, resource) when { "

static aib_cedar_policyset_t *parse(const char *text, aib_diag_t *d)
{
    aib_cedar_policyset_t *ps = NULL;
    aib_diag_clear(d);
    if (aib_cedar_policyset_parse(text, strlen(text), "t.cedar", &ps, d) != 0)
        return NULL;
    return ps;
}

/* Parses `HEAD expr };` and returns the condition's formatted text in buf ("" on error). */
static const char *fmt_cond(const char *expr, char *buf, size_t cap)
{
    char text[4096];
    aib_diag_t d;
    aib_cedar_policyset_t *ps;
    aib_buf_t b;

    buf[0] = '\0';
    snprintf(text, sizeof(text), HEAD "%s };", expr);
    ps = parse(text, &d);
    if (!ps) {
        snprintf(buf, cap, "ERROR: %s", d.msg);
        return buf;
    }
    aib_buf_init(&b);
    if (aib__expr_format(ps->policies[0]->conds[0].expr, &b) == 0)
        snprintf(buf, cap, "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    aib_cedar_policyset_free(ps);
    return buf;
}

static void check_rejects(const char *text, const char *msg_part, int line)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(text, &d);
    if (ps) {
        aib_test_fail(__FILE__, line, "accepted: %s", text);
        aib_cedar_policyset_free(ps);
        return;
    }
    if (msg_part && !strstr(d.msg, msg_part))
        aib_test_fail(__FILE__, line, "message for %s is \"%s\", expected it to contain \"%s\"", text, d.msg,
                      msg_part);
    if (d.line < 1 || d.col < 1)
        aib_test_fail(__FILE__, line, "no location for %s: %s", text, d.msg);
}

static void check_accepts(const char *text, int line)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(text, &d);
    if (!ps) {
        aib_test_fail(__FILE__, line, "rejected: %s: %d:%d %s", text, d.line, d.col, d.msg);
        return;
    }
    aib_cedar_policyset_free(ps);
}

#define REJECTS(text, part) check_rejects(text, part, __LINE__)
#define ACCEPTS(text) check_accepts(text, __LINE__)

/* Formats every policy of ps into out. */
static int fmt_set(const aib_cedar_policyset_t *ps, aib_buf_t *out)
{
    size_t i;
    for (i = 0; i < ps->n; i++)
        if (aib__policy_format(ps->policies[i], out))
            return -1;
    return 0;
}

/* format(parse(text)) parses again and formats identically. */
static int roundtrip(const char *text, size_t len, char *why, size_t cap)
{
    aib_diag_t d;
    aib_cedar_policyset_t *a = NULL, *b = NULL;
    aib_buf_t fa, fb;
    int bad = 0;

    aib_buf_init(&fa);
    aib_buf_init(&fb);
    if (aib_cedar_policyset_parse(text, len, "rt", &a, &d)) {
        snprintf(why, cap, "parse: %d:%d %s", d.line, d.col, d.msg);
        return 1;
    }
    fmt_set(a, &fa);
    if (aib_cedar_policyset_parse(fa.data ? fa.data : "", fa.len, "fmt", &b, &d)) {
        snprintf(why, cap, "reparse: %d:%d %s in:\n%s", d.line, d.col, d.msg, fa.data);
        bad = 1;
    } else {
        fmt_set(b, &fb);
        if (fa.len != fb.len || (fa.len && memcmp(fa.data, fb.data, fa.len) != 0) || a->n != b->n) {
            snprintf(why, cap, "format differs:\n%s\n---\n%s", fa.data, fb.data);
            bad = 1;
        }
    }
    aib_buf_free(&fa);
    aib_buf_free(&fb);
    aib_cedar_policyset_free(a);
    aib_cedar_policyset_free(b);
    return bad;
}

TEST(parser_basic_policies_and_ids)
{
    const char *text =
        "// leading comment\n"
        "@id(\"first\") @advice\n"
        "permit(principal, action, resource);\n"
        "forbid(principal == User::\"alice\", action == Action::\"view\", resource in Folder::\"f\")\n"
        "  when { context.ok } unless { false };\n"
        "permit(principal in ?principal, action, resource);\n";
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(text, &d);
    aib__policy_t *p;

    CHECK(ps != NULL);
    if (!ps)
        return;
    CHECK_INT(aib_cedar_policyset_size(ps), 3);
    CHECK_STR(aib_cedar_policyset_id(ps, 0), "policy0");
    CHECK_STR(aib_cedar_policyset_id(ps, 1), "policy1");
    CHECK_STR(aib_cedar_policyset_id(ps, 2), "policy2");
    CHECK(aib_cedar_policyset_id(ps, 3) == NULL);
    CHECK_INT(aib_cedar_policy_is_permit(ps, "policy0"), 1);
    CHECK_INT(aib_cedar_policy_is_permit(ps, "policy1"), 0);
    CHECK_INT(aib_cedar_policy_is_permit(ps, "first"), AIB_ENOTFOUND);
    CHECK_STR(aib_cedar_policy_annotation(ps, "policy0", "id"), "first");
    CHECK_STR(aib_cedar_policy_annotation(ps, "policy0", "advice"), "");
    CHECK(aib_cedar_policy_annotation(ps, "policy0", "nope") == NULL);
    {
        aib_str_t k = { NULL, 0 }, v = { NULL, 0 };
        CHECK_INT(aib_cedar_policy_annotation_count(ps, "policy0"), 2);
        CHECK_INT(aib_cedar_policy_annotation_count(ps, "policy1"), 0);
        CHECK_INT(aib_cedar_policy_annotation_count(ps, "first"), 0);
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy0", 0, &k, &v), 0);
        CHECK(aib_str_eq_cstr(k, "id") && aib_str_eq_cstr(v, "first"));
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy0", 1, &k, &v), 0);
        CHECK(aib_str_eq_cstr(k, "advice") && v.len == 0 && v.ptr && v.ptr[0] == '\0');
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy0", 2, &k, &v), AIB_EINVAL);
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy1", 0, &k, &v), AIB_EINVAL);
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy9", 0, &k, &v), AIB_ENOTFOUND);
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "policy00", 0, &k, &v), AIB_ENOTFOUND);
    }
    CHECK(ps->index_dirty);

    p = ps->policies[1];
    CHECK_INT(p->principal.op, AIB__SC_EQ);
    CHECK(aib_str_eq_cstr(p->principal.uid->type, "User") && aib_str_eq_cstr(p->principal.uid->id, "alice"));
    CHECK_INT(p->action.op, AIB__SC_EQ);
    CHECK_INT(p->resource.op, AIB__SC_IN);
    CHECK_INT(p->n_conds, 2);
    CHECK_INT(p->conds[0].is_when, 1);
    CHECK_INT(p->conds[1].is_when, 0);
    CHECK_INT(p->conds[0].expr->kind, AIB__E_GETATTR);
    CHECK_INT(p->conds[0].loc.line, 5);
    CHECK_INT(p->is_template, 0);
    CHECK_INT(p->index, 1);

    p = ps->policies[2];
    CHECK_INT(p->is_template, 1);
    CHECK_INT(p->principal.op, AIB__SC_IN);
    CHECK_INT(p->principal.slot, 1);
    aib_cedar_policyset_free(ps);

    /* empty text and comments only: an empty set */
    ps = parse("  // nothing\n", &d);
    CHECK(ps != NULL);
    CHECK_INT(aib_cedar_policyset_size(ps), 0);
    aib_cedar_policyset_free(ps);
}

TEST(parser_scope_forms)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(
        "permit(principal is NS::User in Group::\"g\", action in [Action::\"a\", NS::Action::\"b\",], "
        "resource is Doc);"
        "permit(principal is User, action in Action::\"grp\", resource == ?resource);"
        "permit(principal is User in ?principal, action, resource in (Folder::\"x\"),);", &d);
    aib__policy_t *p;

    CHECK(ps != NULL);
    if (!ps)
        return;
    p = ps->policies[0];
    CHECK_INT(p->principal.op, AIB__SC_IS_IN);
    CHECK(aib_str_eq_cstr(p->principal.type, "NS::User"));
    CHECK(aib_str_eq_cstr(p->principal.uid->type, "Group"));
    CHECK_INT(p->action.op, AIB__SC_IN_SET);
    CHECK_INT(p->action.n_uids, 2);
    CHECK(aib_str_eq_cstr(p->action.uids[1]->type, "NS::Action"));
    CHECK_INT(p->resource.op, AIB__SC_IS);
    CHECK(aib_str_eq_cstr(p->resource.type, "Doc"));
    p = ps->policies[1];
    CHECK_INT(p->principal.op, AIB__SC_IS);
    CHECK_INT(p->action.op, AIB__SC_IN);
    CHECK_INT(p->resource.op, AIB__SC_EQ);
    CHECK_INT(p->resource.slot, 1);
    CHECK_INT(p->is_template, 1);
    p = ps->policies[2];
    CHECK_INT(p->principal.op, AIB__SC_IS_IN);
    CHECK_INT(p->principal.slot, 1);
    CHECK_INT(p->resource.op, AIB__SC_IN);
    CHECK(aib_str_eq_cstr(p->resource.uid->id, "x"));
    aib_cedar_policyset_free(ps);
}

TEST(parser_expression_shapes)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(HEAD "1 + 2 * 3 == 7 && principal is User in Group::\"g\" || "
                                           "context has a.b.c };", &d);
    const aib__expr_t *e, *l, *r;

    CHECK(ps != NULL);
    if (!ps)
        return;
    e = ps->policies[0]->conds[0].expr;
    CHECK_INT(e->kind, AIB__E_OR);
    l = e->u.k.a;
    CHECK_INT(l->kind, AIB__E_AND);
    CHECK_INT(l->u.k.a->kind, AIB__E_BINOP);
    CHECK_INT(l->u.k.a->op, AIB__OP_EQ);
    CHECK_INT(l->u.k.a->u.k.a->op, AIB__OP_ADD);
    CHECK_INT(l->u.k.a->u.k.a->u.k.b->op, AIB__OP_MUL);
    /* is ... in  ->  is && in, sharing the operand */
    r = l->u.k.b;
    CHECK_INT(r->kind, AIB__E_AND);
    CHECK_INT(r->u.k.a->kind, AIB__E_IS);
    CHECK(aib_str_eq_cstr(r->u.k.a->u.is.type, "User"));
    CHECK_INT(r->u.k.b->kind, AIB__E_BINOP);
    CHECK_INT(r->u.k.b->op, AIB__OP_IN);
    CHECK_INT(r->u.k.b->u.k.a->kind, AIB__E_VAR);
    CHECK_INT(r->u.k.b->u.k.a->op, AIB__VAR_PRINCIPAL);
    /* has a.b.c -> (context has a && context.a has b) && context.a.b has c */
    r = e->u.k.b;
    CHECK_INT(r->kind, AIB__E_AND);
    CHECK_INT(r->u.k.a->kind, AIB__E_AND);
    CHECK_INT(r->u.k.a->u.k.a->kind, AIB__E_HAS);
    CHECK(aib_str_eq_cstr(r->u.k.a->u.k.a->u.attr.name, "a"));
    CHECK_INT(r->u.k.a->u.k.a->u.attr.obj->kind, AIB__E_VAR);
    CHECK_INT(r->u.k.b->kind, AIB__E_HAS);
    CHECK(aib_str_eq_cstr(r->u.k.b->u.attr.name, "c"));
    CHECK_INT(r->u.k.b->u.attr.obj->kind, AIB__E_GETATTR);
    CHECK(aib_str_eq_cstr(r->u.k.b->u.attr.obj->u.attr.name, "b"));
    CHECK(aib_str_eq_cstr(r->u.k.b->u.attr.obj->u.attr.obj->u.attr.name, "a"));
    aib_cedar_policyset_free(ps);
}

TEST(parser_literals_and_unary)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(HEAD "[-9223372036854775808, --5, -(5), !!true, -x::\"y\".a, "
                                           "9223372036854775807, \"a\\u{e9}\\0\\x41\\t\\'\\\"\", {\"k y\": 1, z: []}] };",
                                      &d);
    const aib__expr_t *s, *x;

    CHECK(ps != NULL);
    if (!ps)
        return;
    s = ps->policies[0]->conds[0].expr;
    CHECK_INT(s->kind, AIB__E_SET);
    CHECK_INT(s->n, 8);
    x = s->u.list.items[0];
    CHECK_INT(x->kind, AIB__E_LIT);
    CHECK(x->u.lit.kind == AIB__V_LONG && x->u.lit.u.i == INT64_MIN);
    x = s->u.list.items[1]; /* --5 is -(-5): the literal absorbs one dash */
    CHECK_INT(x->kind, AIB__E_NEG);
    CHECK(x->u.k.a->kind == AIB__E_LIT && x->u.k.a->u.lit.u.i == -5);
    x = s->u.list.items[2];
    CHECK_INT(x->kind, AIB__E_NEG);
    CHECK(x->u.k.a->kind == AIB__E_LIT && x->u.k.a->u.lit.u.i == 5);
    x = s->u.list.items[3];
    CHECK(x->kind == AIB__E_NOT && x->u.k.a->kind == AIB__E_NOT);
    x = s->u.list.items[4]; /* unary binds looser than member access */
    CHECK(x->kind == AIB__E_NEG && x->u.k.a->kind == AIB__E_GETATTR);
    x = s->u.list.items[5];
    CHECK(x->u.lit.u.i == INT64_MAX);
    x = s->u.list.items[6];
    CHECK_INT(x->u.lit.kind, AIB__V_STRING);
    CHECK_INT(x->u.lit.u.s.len, 8);
    CHECK(memcmp(x->u.lit.u.s.ptr, "a\xc3\xa9\0A\t'\"", 8) == 0);
    x = s->u.list.items[7];
    CHECK_INT(x->kind, AIB__E_RECORD);
    CHECK_INT(x->n, 2);
    CHECK(aib_str_eq_cstr(x->u.rec.keys[0], "k y") && aib_str_eq_cstr(x->u.rec.keys[1], "z"));
    aib_cedar_policyset_free(ps);
}

TEST(parser_like_patterns)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(HEAD "\"x\" like \"a\\*b*c**\\u{2a}\" };", &d);
    const aib__pattern_t *pat;

    CHECK(ps != NULL);
    if (!ps)
        return;
    pat = &ps->policies[0]->conds[0].expr->u.like.pat;
    /* "a*b" literal, wildcard, "c", wildcard, wildcard, wildcard (\u{2a} is a star too) */
    CHECK_INT(pat->n, 6);
    CHECK(pat->n == 6 && !pat->elems[0].star && aib_str_eq_cstr(pat->elems[0].lit, "a*b"));
    CHECK(pat->n == 6 && pat->elems[1].star && !pat->elems[2].star && aib_str_eq_cstr(pat->elems[2].lit, "c"));
    CHECK(pat->n == 6 && pat->elems[3].star && pat->elems[4].star && pat->elems[5].star);
    aib_cedar_policyset_free(ps);

    ps = parse(HEAD "\"x\" like \"\" };", &d);
    CHECK(ps != NULL);
    if (ps)
        CHECK_INT(ps->policies[0]->conds[0].expr->u.like.pat.n, 0);
    aib_cedar_policyset_free(ps);
}

TEST(parser_calls)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse(HEAD "ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\")) && "
                                           "[1].contains(1) && context.isEmpty() && decimal(\"1.0\").lessThan() && "
                                           "ip(\"a\", \"b\") };", &d);
    const aib__expr_t *e, *c;

    CHECK(ps != NULL);
    if (!ps)
        return;
    e = ps->policies[0]->conds[0].expr;
    c = e->u.k.a->u.k.a->u.k.a->u.k.a;
    CHECK_INT(c->kind, AIB__E_CALL);
    CHECK_INT(c->op, AIB__FN_IS_IN_RANGE);
    CHECK_INT(c->n, 2);
    CHECK_INT(c->u.list.items[0]->op, AIB__FN_IP);
    c = e->u.k.a->u.k.a->u.k.a->u.k.b;
    CHECK_INT(c->op, AIB__FN_CONTAINS);
    c = e->u.k.a->u.k.a->u.k.b;
    CHECK(c->op == AIB__FN_IS_EMPTY && c->n == 1);
    /* extension arity is checked by the evaluator, as the reference does */
    c = e->u.k.a->u.k.b;
    CHECK(c->op == AIB__FN_LESS_THAN && c->n == 1);
    c = e->u.k.b;
    CHECK(c->op == AIB__FN_IP && c->n == 2);
    aib_cedar_policyset_free(ps);

    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("datetime"), false), AIB__FN_DATETIME);
    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("__cedar::decimal"), false), AIB__FN_DECIMAL);
    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("toDays"), true), AIB__FN_TO_DAYS);
    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("toDays"), false), -1);
    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("__cedar::contains"), true), -1);
    CHECK_INT(aib__fn_lookup(AIB_STR_LIT("nope"), true), -1);
}

/* Each accepted/rejected case below was checked against the reference implementation
 * (cedar-wasm 4.13 checkParsePolicySet). */
TEST(parser_accepts_like_reference)
{
    static const char *const ok[] = {
        HEAD "\"a\\x7F\" == \"\\u{10FFFF}\" };",
        HEAD "\"line\nfeed\" like \"\\*\\x2a\" };",
        HEAD "context has permit && context.principal && {principal: 1, \"if\": 2} == {} };",
        HEAD "context has \"a b\" && context has \"\" && context[\"a\"][\"b\"] has c.d };",
        HEAD "principal::\"x\" == permit::\"y\" && when::A::\"z\" is when::A };",
        HEAD "A::__cedarx::\"a\" == __cedarx::\"b\" };",
        HEAD "----1 == 1 && !!!!true };",
        HEAD "1 - -1 == 1--1 && 1 + -9223372036854775808 < 0 && -  9223372036854775808 < 0 };",
        HEAD "-1.foo && -[1].contains(1) && -context.a && -\"a\" && -principal };",
        HEAD "principal * principal && 1 in 2 && 1 has a };",
        HEAD "if true then 1 else 2 + 3 };",
        HEAD "if true then true else false && false };",
        HEAD "(1 < 2) == true && (principal) is A && principal is principal };",
        HEAD "[1,2,] == [] && {a:1,} == {} && ip(\"1\",) };",
        HEAD "ip(\"1\")   .isIpv4 () && context.isIpv4(1) && ip() };",
        HEAD "principal.isEmpty && principal.contains && context.containsAll([1]) };",
        HEAD "datetime(\"2024-01-01\").offset(duration(\"1h\")).toDate() };",
        HEAD "true } unless { false } when { true };",
        "@if(\"a\") @is(\"b\") @principal(\"c\") @__cedar @ a ( \"x\" ) permit(principal,action,resource);",
        "permit( principal , action , resource , );",
        "permit(principal == (User::\"a\"), action in ([Action::\"a\"]), resource);",
        "permit(principal, action in [Action::\"a\" , Action::\"a\"], resource);",
        "permit(principal, action in [], resource);",
        "permit(principal, action == A::B::Action::\"x\", resource is R::S);",
        "permit(principal is principal, action, resource);",
        "permit\t(principal,action,resource)\r\n;\x0b\x0c",
        "permit(principal,action,resource)\xc2\xa0when { true }\xe2\x80\xa8;\xe3\x80\x80",
        "forbid(principal,action,resource)when{true};permit(principal,action,resource);",
        "permit(principal,action,resource) when { true } // c\n;",
        "permit(principal,action,resource) when { \"\xc3\xa9\" like \"\xc3\xa9*\" };",
    };
    size_t i;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        check_accepts(ok[i], __LINE__);
}

TEST(parser_rejects_like_reference)
{
    /* escapes and tokens */
    REJECTS(HEAD "\"a\\\n   b\" };", "unterminated string");
    REJECTS(HEAD "\"a\rb\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\x80\" };", "`\\x80` is not a valid escape");
    REJECTS(HEAD "\"a\\x7\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\*\" };", "`\\*` is not a valid escape");
    REJECTS(HEAD "\"a\\u{D800}\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\u{110000}\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\u{}\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\u{0000041}\" };", "not a valid escape");
    REJECTS(HEAD "\"a\\u0041\" };", "not a valid escape");
    REJECTS(HEAD "'a' };", "invalid character");
    REJECTS("permit(principal,action,resource) /* c */;", NULL);
    REJECTS("permit(principal,action,resource);\xe2\x80\x8b", "invalid character");
    REJECTS("@a(\"x\\*\") permit(principal,action,resource);", "not a valid escape");
    /* reserved identifiers and names */
    REJECTS(HEAD "context has if };", "reserved");
    REJECTS(HEAD "context has true };", "reserved");
    REJECTS(HEAD "context has in };", "reserved");
    REJECTS(HEAD "context has a.is };", "reserved");
    REJECTS(HEAD "context.then };", "reserved");
    REJECTS(HEAD "context.like };", "reserved");
    REJECTS(HEAD "{has: 1} };", "reserved");
    REJECTS(HEAD "{false: 1} };", "reserved");
    REJECTS(HEAD "is::\"x\" };", "reserved");
    REJECTS(HEAD "if::\"x\" };", NULL);
    REJECTS(HEAD "true::\"x\" };", NULL);
    REJECTS(HEAD "principal is A::in };", "reserved");
    REJECTS(HEAD "context has __cedar };", "__cedar");
    REJECTS(HEAD "context.__cedar };", "__cedar");
    REJECTS(HEAD "__cedar::A::\"x\" };", "__cedar");
    REJECTS(HEAD "A::__cedar::\"x\" };", "__cedar");
    REJECTS(HEAD "__cedar::ip(\"1.1.1.1\") };", "__cedar");
    REJECTS("permit(principal, action, resource is __cedar::R);", "__cedar");
    /* has / like / is operands */
    REJECTS(HEAD "context has \"a\".b };", "has");
    REJECTS(HEAD "context has a[\"b\"] };", "has");
    REJECTS(HEAD "context has a.b() };", "has");
    REJECTS(HEAD "context has A::B };", "has");
    REJECTS(HEAD "context has 1 };", "has");
    REJECTS(HEAD "context has (a) };", "has");
    REJECTS(HEAD "context has a has b };", NULL);
    REJECTS(HEAD "context like context };", "pattern");
    REJECTS(HEAD "context like (\"a\") };", "pattern");
    REJECTS(HEAD "context like \"a\" like \"b\" };", NULL);
    REJECTS(HEAD "principal is \"A\" };", "entity type name");
    REJECTS(HEAD "principal is A::\"x\" };", "entity type name");
    REJECTS(HEAD "principal is A.b };", NULL);
    REJECTS(HEAD "principal is (A) };", NULL);
    REJECTS(HEAD "principal is A in B::\"x\" in C::\"y\" };", NULL);
    REJECTS(HEAD "context is A is B };", NULL);
    REJECTS(HEAD "principal == principal is A };", NULL);
    /* operators */
    REJECTS(HEAD "1 < 2 < 3 };", "multiple relational operators");
    REJECTS(HEAD "1 == 2 == 3 };", "multiple relational operators");
    REJECTS(HEAD "principal in principal in principal };", "multiple relational operators");
    REJECTS(HEAD "1 = 2 };", "'='");
    REJECTS(HEAD "1 / 2 };", "division");
    REJECTS(HEAD "1 % 2 };", "remainder");
    REJECTS(HEAD "-----1 };", "too many occurrences of `-`");
    REJECTS(HEAD "!!!!!true };", "too many occurrences of `!`");
    REJECTS(HEAD "-!1 };", NULL);
    REJECTS(HEAD "!if true then true else false };", NULL);
    REJECTS(HEAD "1 + if true then 1 else 2 };", NULL);
    /* integers */
    REJECTS(HEAD "9223372036854775808 };", "too large");
    REJECTS(HEAD "-(9223372036854775808) };", "too large");
    REJECTS(HEAD "99999999999999999999 };", "integer parse error");
    /* variables, calls, members */
    REJECTS(HEAD "foo };", "invalid variable: foo");
    REJECTS(HEAD "a::b };", "invalid variable");
    REJECTS(HEAD "ip };", "invalid variable");
    REJECTS(HEAD "foo(1) };", "`foo` is not a valid function");
    REJECTS(HEAD "A::B::ip(\"x\") };", "not a valid function");
    REJECTS(HEAD "isIpv4(context) };", "is a method, not a function");
    REJECTS(HEAD "\"1.1.1.1\".ip() };", "is a function, not a method");
    REJECTS(HEAD "context.foo() };", "`foo` is not a valid method");
    REJECTS(HEAD "context.principal() };", "not a valid method");
    REJECTS(HEAD "context.if() };", "reserved");
    REJECTS(HEAD "context(1) };", "not a valid function call");
    REJECTS(HEAD "principal.contains(1)(2) };", "function calls must be of the form");
    REJECTS(HEAD "(1)(2) };", "function calls must be of the form");
    REJECTS(HEAD "context.contains(1,2) };", "call to `contains` requires exactly 1 argument, but got 2 arguments");
    REJECTS(HEAD "context.isEmpty(1) };", "requires exactly 0 arguments");
    REJECTS(HEAD "context.containsAny() };", "requires exactly 1 argument");
    REJECTS(HEAD "principal.getTag() };", "requires exactly 1 argument");
    REJECTS(HEAD "principal.hasTag(\"a\", 2) };", "requires exactly 1 argument");
    REJECTS(HEAD "context[1] };", "string literal");
    REJECTS(HEAD "context[context] };", "string literal");
    REJECTS(HEAD "context[(\"a\")] };", "string literal");
    REJECTS(HEAD "A::{a: \"x\"} };", "invalid entity literal");
    REJECTS(HEAD "A::\"x\"::\"y\" };", NULL);
    /* collections */
    REJECTS(HEAD "[1,,2] };", NULL);
    REJECTS(HEAD "[,] };", NULL);
    REJECTS(HEAD "{,} };", NULL);
    REJECTS(HEAD "ip(,) };", NULL);
    REJECTS(HEAD "{1: 2} };", "invalid attribute name");
    REJECTS(HEAD "{(a): 1} };", NULL);
    REJECTS(HEAD "{a::b: 1} };", "namespace");
    REJECTS(HEAD "{a: 1, \"a\": 2} };", "duplicate key `a` in record literal");
    /* slots */
    REJECTS(HEAD "?principal == principal };", "found template slot ?principal in a `when` clause");
    REJECTS("permit(principal,action,resource) unless { context.a == ?resource };",
            "found template slot ?resource in a `unless` clause");
    REJECTS(HEAD "?foo };", "`?foo` is not a valid template slot");
    REJECTS("permit(?principal,action,resource);", NULL);
    REJECTS("permit(principal == ?foo,action,resource);", "not a valid template slot");
    REJECTS("permit(principal == ?resource,action,resource);", "found ?resource instead of ?principal");
    REJECTS("permit(principal,action,resource in ?principal);", "found ?principal instead of ?resource");
    REJECTS("permit(principal,action == ?principal,resource);", "expected single entity uid, found template slot");
    REJECTS("permit(principal, action in [Action::\"a\", ?principal], resource);", "template slot");
    /* scope */
    REJECTS("permit(principal,action is Action,resource);", "`is` cannot appear in the action scope");
    REJECTS("permit(principal,action in [User::\"a\"],resource);", "expected an entity uid with type `Action` but got `User::\"a\"`");
    REJECTS("permit(principal,action == User::\"a\",resource);", "type `Action`");
    REJECTS("permit(principal,action in User::\"a\",resource);", "type `Action`");
    REJECTS("permit(principal, action == ActionX::\"x\", resource);", "type `Action`");
    REJECTS("permit(principal, action == __cedar::Action::\"a\", resource);", "__cedar");
    REJECTS("permit(principal in [User::\"a\"],action,resource);", "found set of entity uids");
    REJECTS("permit(principal is User in [User::\"a\"],action,resource);", "set of entity uids");
    REJECTS("permit(principal, action, resource in [R::\"a\"]);", "set of entity uids");
    REJECTS("permit(principal is User == User::\"a\",action,resource);", "`is` cannot be used together with `==`");
    REJECTS("permit(principal is ?principal, action, resource);", NULL);
    REJECTS("permit(principal is User::\"a\", action, resource);", NULL);
    REJECTS("permit(principal: User,action,resource);", "type constraints using `:` are not supported");
    REJECTS("permit(resource,action,principal);", "found the variable `resource` where the variable `principal` must be used");
    REJECTS("permit(action, action, resource);", "where the variable `principal`");
    REJECTS("permit(principal, principal, resource);", "where the variable `action`");
    REJECTS("permit(principal,action);", "missing the `resource` variable");
    REJECTS("permit();", "missing the `principal` variable");
    REJECTS("permit(principal,action,resource,context);", "extra element in the scope");
    REJECTS("permit(principal, action, resource,,);", NULL);
    REJECTS("permit(principal == principal, action, resource);", "entity uid or matching template slot");
    REJECTS("permit(principal == \"a\", action, resource);", "entity uid or matching template slot");
    REJECTS("permit(principal < User::\"a\", action, resource);", "invalid operator in the policy scope");
    REJECTS("permit(principal = User::\"a\", action, resource);", "'='");
    REJECTS("permit(principal in User::\"a\" in User::\"b\", action, resource);", "a binary operator");
    REJECTS("permit(principal, action, resource == R::\"x\" in R::\"y\");", "a binary operator");
    REJECTS("permit(principal is A in principal, action, resource);", "entity uid");
    REJECTS("permit(principal, action, resource is if);", NULL);
    REJECTS("permit(principal is A is B, action, resource);", NULL);
    REJECTS("permit(principal == User::{a: 1}, action, resource);", "invalid entity literal");
    /* policy structure */
    REJECTS("@a @a(\"b\") permit(principal,action,resource);", "duplicate annotation: @a");
    REJECTS("@a(\"x\")(\"y\") permit(principal,action,resource);", NULL);
    REJECTS("@a::b(\"x\") permit(principal,action,resource);", NULL);
    REJECTS("@\"a\"(\"x\") permit(principal,action,resource);", NULL);
    REJECTS("@a(x) permit(principal,action,resource);", NULL);
    REJECTS("@a() permit(principal,action,resource);", NULL);
    REJECTS("permit(principal,action,resource) when {};", "`when` condition clause cannot be empty");
    REJECTS("permit(principal,action,resource) foo { true };", "invalid policy condition");
    REJECTS("Permit(principal,action,resource);", "invalid policy effect");
    REJECTS("permit(principal,action,resource)", "expected `;` after policy, found end of input");
    REJECTS("permit(principal,action,resource);;", NULL);
    REJECTS("permit(principal,action,resource) when { true } \n permit(principal,action,resource);", NULL);
    REJECTS("permit(principal,action,resource) when (true);", NULL);
    REJECTS("permit(principal,action,resource) when true;", NULL);
}

TEST(parser_diagnostics)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse("permit(principal, action, resource)\n  when { true }\n}", &d);
    char buf[1024];

    CHECK(ps == NULL);
    CHECK_STR(d.file, "t.cedar");
    CHECK_INT(d.line, 3);
    CHECK_INT(d.col, 1);
    CHECK_STR(d.msg, "expected `;` after policy, found `}`");
    aib_diag_format(&d, buf, sizeof(buf));
    CHECK_STR(buf, "t.cedar:3:1: expected `;` after policy, found `}`");

    ps = parse("permit(principal, action, resource) when {\n  context.a &&\n  foo\n};", &d);
    CHECK(ps == NULL);
    CHECK_INT(d.line, 3);
    CHECK_INT(d.col, 3);
    CHECK_STR(d.msg, "invalid variable: foo");

    ps = parse("permit(principal, action, resource) when { \"ab\\qc\" };", &d);
    CHECK(ps == NULL);
    CHECK_INT(d.col, 47);
    CHECK_STR(d.msg, "the input `\\q` is not a valid escape");

    /* invalid UTF-8 is located too */
    ps = parse("permit(principal, action, resource)\nwhen { \"\xff\" };", &d);
    CHECK(ps == NULL);
    CHECK_INT(d.line, 2);
    CHECK_INT(d.col, 9);
    CHECK(strstr(d.msg, "UTF-8") != NULL);

    /* NUL outside strings is no token; inside a string it is a character */
    {
        static const char t1[] = "permit(principal, action, resource)\0;";
        static const char t2[] = "permit(principal, action, resource) when { \"a\0b\" like \"a\0*\" };";
        aib_cedar_policyset_t *q = NULL;
        CHECK(aib_cedar_policyset_parse(t1, sizeof(t1) - 1, NULL, &q, &d) == AIB_EPARSE);
        CHECK(q == NULL);
        CHECK(aib_cedar_policyset_parse(t2, sizeof(t2) - 1, NULL, &q, &d) == 0);
        if (q)
            CHECK_INT(q->policies[0]->conds[0].expr->u.like.obj->u.lit.u.s.len, 3);
        aib_cedar_policyset_free(q);
    }
}

TEST(parser_limits_never_crash)
{
    aib_buf_t b;
    aib_diag_t d;
    aib_cedar_policyset_t *ps;
    int i;

    /* deep parentheses: a clean error past AIB_CEDAR_MAX_DEPTH, fine below it */
    aib_buf_init(&b);
    aib_buf_puts(&b, HEAD);
    for (i = 0; i < 150; i++)
        aib_buf_putc(&b, '(');
    aib_buf_puts(&b, "true");
    for (i = 0; i < 150; i++)
        aib_buf_putc(&b, ')');
    aib_buf_puts(&b, " };");
    ps = parse(b.data, &d);
    CHECK(ps != NULL);
    aib_cedar_policyset_free(ps);
    aib_buf_clear(&b);
    aib_buf_puts(&b, HEAD);
    for (i = 0; i < 100000; i++)
        aib_buf_puts(&b, "[(!");
    ps = parse(b.data, &d);
    CHECK(ps == NULL);
    CHECK(strstr(d.msg, "nesting") != NULL);
    aib_buf_clear(&b);

    /* a long operator chain is flat text but a deep tree: bounded too */
    aib_buf_puts(&b, HEAD "1");
    for (i = 0; i < 1000; i++)
        aib_buf_puts(&b, " + 1");
    aib_buf_puts(&b, " == 1 };");
    ps = parse(b.data, &d);
    CHECK(ps != NULL);
    aib_cedar_policyset_free(ps);
    aib_buf_clear(&b);
    aib_buf_puts(&b, HEAD "1");
    for (i = 0; i < 100000; i++)
        aib_buf_puts(&b, " || 1");
    aib_buf_puts(&b, " };");
    ps = parse(b.data, &d);
    CHECK(ps == NULL);
    CHECK(strstr(d.msg, "levels deep") != NULL);
    aib_buf_clear(&b);

    /* desugaring shares operands; a blow-up of the expanded tree is refused, not walked */
    aib_buf_puts(&b, HEAD);
    for (i = 0; i < 60; i++)
        aib_buf_putc(&b, '(');
    aib_buf_puts(&b, "context");
    for (i = 0; i < 60; i++)
        aib_buf_puts(&b, " is A in context)");
    aib_buf_puts(&b, " };");
    ps = parse(b.data, &d);
    CHECK(ps == NULL);
    CHECK(strstr(d.msg, "too large") != NULL);
    aib_buf_free(&b);

    /* truncations of a valid policy at every byte fail cleanly */
    {
        const char *full = "@a(\"b\") permit(principal is A::B in A::\"x\", action in [Action::\"a\"], "
                           "resource) when { context has a.b && ip(\"1.2.3.4\").isIpv4() } unless { -1 < 2 };";
        size_t n = strlen(full), k;
        for (k = 0; k < n; k++) {
            aib_cedar_policyset_t *q = NULL;
            int rc = aib_cedar_policyset_parse(full, k, NULL, &q, &d);
            CHECK(rc == AIB_EPARSE || (rc == 0 && k == 0));
            aib_cedar_policyset_free(q);
        }
        CHECK(aib_cedar_policyset_parse(full, n, NULL, &ps, &d) == 0);
        aib_cedar_policyset_free(ps);
    }
}

TEST(parser_format_roundtrip)
{
    static const char *const cases[] = {
        HEAD "if a::\"b\" in [a::\"c\"] then 1 + -2 * 3 else -(5) };",
        HEAD "(if true then 1 else 2) + 3 == 4 || !(1 < 2) && context.a.b[\"c d\"].contains(\"*\") };",
        HEAD "-(-9223372036854775808) == --1 && (-5).foo && -5.foo && !(!true) };",
        HEAD "principal is A::B in resource && context has a.b.c && context has \"not ident\" };",
        HEAD "\"a\\\"b\\\\c\\n\\r\\t\\0\\u{1}\\u{7f}\xc3\xa9\" like \"x\\*y*\\\\*\" };",
        HEAD "{\"if\": 1, a: [1, [2], {}], \"__cedar\": \"x\"}[\"if\"] == (1 - (2 - 3)) * (4 * 5) };",
        HEAD "(principal is A) == true && (1 == 2) == (3 in 4) && (context has a) has b };",
        HEAD "ip(\"::1\").isLoopback() && decimal(\"1.5\").lessThan(decimal(\"2\")) && context.x.getTag(\"t\") };",
        ("@a(\"x\\ny\") @b forbid(principal == ?principal, action in [Action::\"a\", N::Action::\"b\"], "
         "resource is R in ?resource) unless { false };"),
        "permit(principal, action == Action::\"\\u{0}\", resource in R::\"\\\"\");",
    };
    char why[4096];
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (roundtrip(cases[i], strlen(cases[i]), why, sizeof(why)))
            aib_test_fail(__FILE__, __LINE__, "case %zu: %s", i, why);
    }
}

TEST(parser_format_text)
{
    char buf[2048];
    CHECK_STR(fmt_cond("1+2*3", buf, sizeof(buf)), "1 + 2 * 3");
    CHECK_STR(fmt_cond("(1+2)*3", buf, sizeof(buf)), "(1 + 2) * 3");
    CHECK_STR(fmt_cond("1-(2-3)", buf, sizeof(buf)), "1 - (2 - 3)");
    CHECK_STR(fmt_cond("--5", buf, sizeof(buf)), "-(-5)");
    CHECK_STR(fmt_cond("-(5)", buf, sizeof(buf)), "-(5)");
    CHECK_STR(fmt_cond("(-5).a", buf, sizeof(buf)), "(-5).a");
    CHECK_STR(fmt_cond("principal is T in G::\"g\"", buf, sizeof(buf)), "principal is T && principal in G::\"g\"");
    CHECK_STR(fmt_cond("context has a.b", buf, sizeof(buf)), "context has a && context.a has b");
    CHECK_STR(fmt_cond("context[\"a\"][\"b c\"]", buf, sizeof(buf)), "context.a[\"b c\"]");
    CHECK_STR(fmt_cond("{\"a\": 1, \"b c\": 2}", buf, sizeof(buf)), "{a: 1, \"b c\": 2}");
    CHECK_STR(fmt_cond("\"s\" like \"a\\*b*\"", buf, sizeof(buf)), "\"s\" like \"a\\*b*\"");
    CHECK_STR(fmt_cond("[ip(\"1.2.3.4\"), x::\"y\"].containsAny([])", buf, sizeof(buf)),
              "[ip(\"1.2.3.4\"), x::\"y\"].containsAny([])");
    CHECK_STR(fmt_cond("if true then false else true || false", buf, sizeof(buf)),
              "if true then false else true || false");
    CHECK_STR(fmt_cond("(if true then 1 else 2).a", buf, sizeof(buf)), "(if true then 1 else 2).a");
}

TEST(parser_link_templates)
{
    aib_diag_t d;
    aib_cedar_policyset_t *ps = parse("@note(\"t\") permit(principal == ?principal, action, resource in ?resource);\n"
                                      "forbid(principal in ?principal, action, resource);\n"
                                      "permit(principal, action, resource);", &d);
    const aib__policy_t *p;
    aib_buf_t b;

    CHECK(ps != NULL);
    if (!ps)
        return;
    ps->index_dirty = false;
    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "L1", "User::\"alice\"", "Folder::\"f\"", &d), 0);
    CHECK_INT(aib_cedar_policyset_size(ps), 4);
    CHECK(ps->index_dirty);
    p = ps->policies[3];
    CHECK_STR(p->id.ptr, "L1");
    CHECK(p->tmpl == ps->policies[0]);
    CHECK_INT(p->is_template, 0);
    CHECK(p->slot_principal && aib_str_eq_cstr(p->slot_principal->id, "alice"));
    CHECK(p->slot_resource && aib_str_eq_cstr(p->slot_resource->type, "Folder"));
    CHECK_INT(p->index, 3);
    CHECK_STR(aib_cedar_policy_annotation(ps, "L1", "note"), "t");
    {
        aib_str_t k, v;
        CHECK_INT(aib_cedar_policy_annotation_count(ps, "L1"), 1);
        CHECK_INT(aib_cedar_policy_annotation_at(ps, "L1", 0, &k, &v), 0);
        CHECK(aib_str_eq_cstr(k, "note") && aib_str_eq_cstr(v, "t"));
    }
    CHECK_INT(aib_cedar_policy_is_permit(ps, "L1"), 1);
    aib_buf_init(&b);
    CHECK_INT(aib__policy_format(p, &b), 0);
    CHECK(b.data && strstr(b.data, "principal == User::\"alice\"") && strstr(b.data, "resource in Folder::\"f\""));
    aib_buf_free(&b);

    /* whitespace and namespaces in slot values */
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "L2", " NS::User :: \"b\\u{e9}\" ", NULL, &d), 0);
    CHECK(aib_str_eq_cstr(ps->policies[4]->slot_principal->type, "NS::User"));
    CHECK(aib_str_eq_cstr(ps->policies[4]->slot_principal->id, "b\xc3\xa9"));

    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "L1", "User::\"a\"", "F::\"f\"", &d), AIB_EEXIST);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "policy2", "User::\"a\"", "F::\"f\"", &d), AIB_EEXIST);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy2", "L3", NULL, NULL, &d), AIB_ENOTFOUND);
    CHECK_INT(aib_cedar_policyset_link(ps, "nope", "L3", NULL, NULL, &d), AIB_ENOTFOUND);
    CHECK_INT(aib_cedar_policyset_link(ps, "L1", "L3", NULL, NULL, &d), AIB_ENOTFOUND);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "L3", "User::\"a\"", NULL, &d), AIB_EINVAL);
    CHECK(strstr(d.msg, "?resource") != NULL);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "L3", "User::\"a\"", "F::\"f\"", &d), AIB_EINVAL);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "L3", "User::a", NULL, &d), AIB_EPARSE);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "L3", "User::\"a\" x", NULL, &d), AIB_EPARSE);
    CHECK_INT(aib_cedar_policyset_size(ps), 5);

    /* parsing more text continues the positional ids and refuses a clash with a linked id */
    CHECK_INT(aib__parse_policies(ps, "permit(principal, action, resource);", 36, NULL, &d), 0);
    CHECK_STR(aib_cedar_policyset_id(ps, 5), "policy5");
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "policy7", "User::\"a\"", NULL, &d), 0);
    CHECK(aib__parse_policies(ps, "permit(principal, action, resource);", 36, NULL, &d) == AIB_EPARSE);
    CHECK_INT(aib_cedar_policyset_size(ps), 7);
    aib_cedar_policyset_free(ps);
}

TEST(parser_parse_uid)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__uid_t *u = NULL;
    aib_diag_t d;

    CHECK_INT(aib__parse_uid("A::B::\"x\\ny\"", 12, a, &u, &d), 0);
    CHECK(u && aib_str_eq_cstr(u->type, "A::B") && aib_str_eq_cstr(u->id, "x\ny"));
    CHECK(aib__parse_uid("A::\"x\" ", 7, a, &u, &d) == 0);
    CHECK(aib__parse_uid("\"x\"", 3, a, &u, &d) == AIB_EPARSE);
    CHECK(aib__parse_uid("if::\"x\"", 7, a, &u, &d) == AIB_EPARSE);
    CHECK(aib__parse_uid("A::\"x\" == A::\"x\"", 16, a, &u, &d) == AIB_EPARSE);
    CHECK(aib__parse_uid("", 0, a, &u, &d) == AIB_EPARSE);
    aib_arena_free(a);
}

/* Every policy file of the conformance suite parses and round-trips (when the data is here). */
TEST(parser_conformance_corpus)
{
    const char *dir = getenv("AIB_SHARED_DATA");
    char path[1024], why[4096];
    struct archive *ar;
    struct archive_entry *ent;
    int files = 0, bad = 0;

    snprintf(path, sizeof(path), "%s/cedar-conformance.tar.gz", dir ? dir : "../shared/data");
    ar = archive_read_new();
    archive_read_support_filter_all(ar);
    archive_read_support_format_all(ar);
    if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
        archive_read_free(ar);
        return; /* data not available here */
    }
    while (archive_read_next_header(ar, &ent) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ent);
        size_t nl = name ? strlen(name) : 0;
        la_int64_t sz = archive_entry_size(ent);
        char *buf;
        if (nl < 6 || strcmp(name + nl - 6, ".cedar") != 0 || sz < 0 || sz > (1 << 24))
            continue;
        buf = malloc((size_t)sz + 1);
        if (!buf)
            break;
        if (archive_read_data(ar, buf, (size_t)sz) == (la_ssize_t)sz) {
            files++;
            if (roundtrip(buf, (size_t)sz, why, sizeof(why)) && ++bad <= 5)
                aib_test_fail(__FILE__, __LINE__, "%s: %s", name, why);
        }
        free(buf);
    }
    archive_read_free(ar);
    CHECK(files > 6000);
    CHECK_INT(bad, 0);
}
