/* test_eval.c — the Cedar evaluator, authorizer and scope index: decisions, reasons and errors
 * for every operator and error case, templates, deep expressions, and a randomized comparison
 * of index-based authorization with evaluating every policy. */
#include "test.h"
#include "aib/cedar.h"
#include "cedar/cedar_int.h"
#include "cedar/index_int.h"

#include <pthread.h>
#include <stdlib.h>

static const char *ENTS =
    "["
    "{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},"
    " \"attrs\":{\"age\":30,\"name\":\"Alice\",\"tags\":[\"a\",\"b\"],\"boss\":{\"__entity\":{\"type\":\"User\",\"id\":\"bob\"}},"
    "           \"addr\":{\"city\":\"Paris\"},\"ip\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"10.0.0.7\"}}},"
    " \"parents\":[{\"type\":\"Group\",\"id\":\"staff\"}],"
    " \"tags\":{\"dept\":\"eng\"}},"
    "{\"uid\":{\"type\":\"User\",\"id\":\"bob\"},\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"admins\"}]},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"staff\"},\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"all\"}]},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"admins\"},\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"all\"}]},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"all\"},\"attrs\":{},\"parents\":[]},"
    "{\"uid\":{\"type\":\"Doc\",\"id\":\"d1\"},\"attrs\":{\"owner\":{\"__entity\":{\"type\":\"User\",\"id\":\"alice\"}},"
    "  \"public\":false},\"parents\":[{\"type\":\"Folder\",\"id\":\"f\"}]},"
    "{\"uid\":{\"type\":\"Folder\",\"id\":\"f\"},\"attrs\":{},\"parents\":[]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},\"parents\":[{\"type\":\"Action\",\"id\":\"readOnly\"}]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"readOnly\"},\"attrs\":{},\"parents\":[]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"write\"},\"attrs\":{},\"parents\":[]}"
    "]";

/* Default request: alice reads d1 with a small context. */
static const char *REQ =
    "{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},\"action\":{\"type\":\"Action\",\"id\":\"read\"},"
    "\"resource\":{\"type\":\"Doc\",\"id\":\"d1\"},\"context\":{\"n\":5,\"s\":\"hello\",\"flag\":true,"
    "\"set\":[1,2,3],\"rec\":{\"x\":1}}}";

static char out_buf[4096];
static char msg_buf[1024];

static void fmt_resp(const aib_cedar_response_t *r, char *buf, size_t cap)
{
    size_t o = 0, i;
    o += (size_t)snprintf(buf + o, cap - o, "%s;", r->decision == AIB_CEDAR_ALLOW ? "allow" : "deny");
    for (i = 0; i < r->n_reason && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? "," : "", r->reason[i]);
    if (o < cap)
        o += (size_t)snprintf(buf + o, cap - o, ";");
    for (i = 0; i < r->n_errors && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? "," : "", r->errors[i].policy_id);
}

/* Authorizes req against policies and ents with the index and by evaluating every policy;
 * returns "decision;reasons;errors" (and "MISMATCH" when the two differ). The first error
 * message is left in msg_buf. */
static const char *run3(const char *policies, const char *ents, const char *req)
{
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_cedar_request_t *rq = NULL;
    aib_cedar_response_t r1, r2;
    aib_arena_t *a = aib_arena_new(0);
    aib_diag_t d;
    char other[4096];

    msg_buf[0] = '\0';
    snprintf(out_buf, sizeof out_buf, "SETUP FAILED");
    if (aib_cedar_policyset_parse(policies, strlen(policies), "t.cedar", &ps, &d) != 0) {
        snprintf(out_buf, sizeof out_buf, "PARSE: %s", d.msg);
        goto done;
    }
    if (aib_cedar_entities_parse(ents, strlen(ents), "e.json", NULL, &es, &d) != 0) {
        snprintf(out_buf, sizeof out_buf, "ENTITIES: %s", d.msg);
        goto done;
    }
    if (aib_cedar_request_parse(req, strlen(req), NULL, false, a, &rq, &d) != 0) {
        snprintf(out_buf, sizeof out_buf, "REQUEST: %s", d.msg);
        goto done;
    }
    if (aib_cedar_authorize(ps, es, rq, a, &r1) != 0 || aib__authorize_all(ps, es, rq, a, &r2) != 0)
        goto done;
    fmt_resp(&r1, out_buf, sizeof out_buf);
    fmt_resp(&r2, other, sizeof other);
    if (strcmp(out_buf, other) != 0)
        snprintf(out_buf, sizeof out_buf, "MISMATCH");
    if (r1.n_errors)
        snprintf(msg_buf, sizeof msg_buf, "%s", r1.errors[0].message);
done:
    aib_cedar_policyset_free(ps);
    aib_cedar_entities_free(es);
    aib_arena_free(a);
    return out_buf;
}

static const char *run(const char *policies)
{
    return run3(policies, ENTS, REQ);
}

/* One `permit when { cond }` policy: "allow;policy0;", "deny;;" or "deny;;policy0". */
static const char *cond(const char *c)
{
    static char pol[4096];
    snprintf(pol, sizeof pol, "permit(principal, action, resource) when { %s };", c);
    return run(pol);
}

#define T(c) CHECK_STR(cond(c), "allow;policy0;")
#define F(c) CHECK_STR(cond(c), "deny;;")
#define E(c) CHECK_STR(cond(c), "deny;;policy0")

TEST(eval_decision_basics)
{
    CHECK_STR(run(""), "deny;;");
    CHECK_STR(run("permit(principal, action, resource);"), "allow;policy0;");
    CHECK_STR(run("forbid(principal, action, resource);"), "deny;policy0;");
    CHECK_STR(run("permit(principal, action, resource); forbid(principal, action, resource);"
                  "permit(principal, action, resource); forbid(principal, action, resource);"),
              "deny;policy1,policy3;");
    CHECK_STR(run("permit(principal, action, resource); permit(principal, action, resource) when { false };"
                  "permit(principal, action, resource);"),
              "allow;policy0,policy2;");
    /* erroring policies are skipped and reported, permit or forbid */
    CHECK_STR(run("forbid(principal, action, resource) when { 1 + \"a\" == 2 };"
                  "permit(principal, action, resource);"
                  "permit(principal, action, resource) when { principal.nope };"),
              "allow;policy1;policy0,policy2");
    CHECK_STR(run("permit(principal, action, resource) when { context.n };"), "deny;;policy0");
    CHECK_STR(msg_buf, "type error: expected bool, got long");
}

TEST(eval_when_unless_order)
{
    CHECK_STR(run("permit(principal, action, resource) when { true } unless { false };"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action, resource) when { true } unless { true };"), "deny;;");
    /* conditions short-circuit in written order */
    CHECK_STR(run("permit(principal, action, resource) when { false } when { 1 };"), "deny;;");
    CHECK_STR(run("permit(principal, action, resource) unless { true } when { principal.nope };"), "deny;;");
    CHECK_STR(run("permit(principal, action, resource) when { true } unless { \"x\" };"), "deny;;policy0");
    /* the scope is checked before any condition */
    CHECK_STR(run("permit(principal == User::\"bob\", action, resource) when { 1 };"), "deny;;");
}

TEST(eval_scope)
{
    CHECK_STR(run("permit(principal == User::\"alice\", action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal == User::\"bob\", action, resource);"), "deny;;");
    CHECK_STR(run("permit(principal in Group::\"staff\", action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal in Group::\"all\", action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal in Group::\"admins\", action, resource);"), "deny;;");
    CHECK_STR(run("permit(principal in User::\"alice\", action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal is User, action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal is Group, action, resource);"), "deny;;");
    CHECK_STR(run("permit(principal is User in Group::\"all\", action, resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal is Group in Group::\"all\", action, resource);"), "deny;;");
    CHECK_STR(run("permit(principal, action == Action::\"read\", resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action in Action::\"readOnly\", resource);"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action in [Action::\"write\", Action::\"readOnly\"], resource);"),
              "allow;policy0;");
    CHECK_STR(run("permit(principal, action in [Action::\"write\"], resource);"), "deny;;");
    CHECK_STR(run("permit(principal, action in [], resource);"), "deny;;");
    CHECK_STR(run("permit(principal, action, resource in Folder::\"f\");"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action, resource == Doc::\"d1\");"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action, resource is Doc in Folder::\"f\");"), "allow;policy0;");
    CHECK_STR(run("permit(principal, action, resource is Folder);"), "deny;;");
    /* a principal missing from the store is only `in` itself */
    CHECK_STR(run3("permit(principal in Group::\"staff\", action, resource);"
                   "permit(principal in User::\"zed\", action, resource);",
                   ENTS,
                   "{\"principal\":{\"type\":\"User\",\"id\":\"zed\"},\"action\":{\"type\":\"Action\",\"id\":\"read\"},"
                   "\"resource\":{\"type\":\"Doc\",\"id\":\"d1\"},\"context\":{}}"),
              "allow;policy1;");
}

TEST(eval_logic_ops)
{
    T("true && true");
    F("true && false");
    F("false && 1");           /* short-circuit: right side never evaluated */
    E("true && 1");
    E("1 && true");
    T("true || 1");
    T("false || true");
    E("false || 1");
    E("1 || true");
    T("!false");
    E("!1");
    T("if true then true else 1");
    T("if false then 1 else true");
    E("if 1 then true else true");
    E("if true then 1 else true");
    T("true && true && true && true && true && true && true && true && true && true && true && true");
    F("true && true && true && true && true && true && true && true && true && false && 1");
    T("false || false || false || false || false || false || false || false || false || false || true");
    E("false || false || false || false || false || false || false || false || false || false || 2");
}

TEST(eval_equality)
{
    T("1 == 1");
    F("1 == 2");
    F("1 == \"1\"");
    F("principal == \"alice\"");
    T("principal == User::\"alice\"");
    F("principal == User::\"bob\"");
    T("[1, 2, 2] == [2, 1]");
    T("{a: 1, b: [true]} == {b: [true], a: 1}");
    F("{a: 1} == {a: 1, b: 2}");
    T("1 != 2");
    F("1 != 1");
    T("\"a\" != 1");
    T("decimal(\"1.0\") == decimal(\"1.00\")");
    T("ip(\"1.2.3.4\") == ip(\"1.2.3.4/32\")");
    T("context.rec == {x: 1}");
}

TEST(eval_compare_ops)
{
    T("1 < 2");
    F("2 < 2");
    T("2 <= 2");
    T("3 > 2");
    F("2 > 2");
    T("2 >= 2");
    T("-5 < -4");
    E("\"a\" < \"b\"");
    E("1 < \"b\"");
    E("\"b\" <= 1");
    E("true > false");
    T("datetime(\"2020-01-01\") < datetime(\"2021-01-01\")");
    T("datetime(\"2020-01-01\") <= datetime(\"2020-01-01\")");
    T("duration(\"2h\") > duration(\"1h\")");
    T("duration(\"1h\") >= duration(\"60m\")");
    E("datetime(\"2020-01-01\") < duration(\"1h\")");
    E("1 < datetime(\"2020-01-01\")");
    E("decimal(\"1.0\") < decimal(\"2.0\")");
    CHECK_STR(msg_buf, "type error: expected one of [long, datetime, duration], got decimal");
    E("ip(\"1.2.3.4\") < ip(\"1.2.3.5\")");
}

TEST(eval_arith_ops)
{
    T("1 + 2 == 3");
    T("1 - 2 == -1");
    T("3 * 4 == 12");
    T("-(3) == -3");
    T("9223372036854775807 - 1 == 9223372036854775806");
    E("9223372036854775807 + 1 == 0");
    CHECK(strstr(msg_buf, "overflow") != NULL);
    E("-9223372036854775807 - 2 == 0");
    E("9223372036854775807 * 2 == 0");
    E("-(-9223372036854775807 - 1) == 0");
    CHECK(strstr(msg_buf, "overflow") != NULL);
    E("1 + \"a\" == 0");
    E("\"a\" * 2 == 0");
    E("-\"a\" == 0");
    E("duration(\"1h\") + duration(\"1h\") == duration(\"2h\")");
    T("context.n * 2 + 1 == 11");
}

TEST(eval_in_op)
{
    T("principal in Group::\"staff\"");
    T("principal in Group::\"all\"");
    F("principal in Group::\"admins\"");
    T("principal in principal");
    T("principal in [Group::\"admins\", Group::\"staff\"]");
    F("principal in [Group::\"admins\"]");
    F("principal in []");
    E("1 in [User::\"a\"]");
    E("principal in 1");
    E("principal in [User::\"alice\", 1]");  /* every element is checked, even after a match */
    E("[1] in [1]");
    T("User::\"nobody\" in User::\"nobody\"");
    F("User::\"nobody\" in Group::\"all\"");
    T("action in Action::\"readOnly\"");
    T("resource in Folder::\"f\"");
    T("principal.boss in Group::\"admins\"");
}

TEST(eval_has_getattr)
{
    T("principal has age");
    F("principal has nope");
    F("User::\"nobody\" has age");     /* missing entity: false, no error */
    T("context has rec");
    T("context.rec has x");
    F("context.rec has y");
    T("principal has addr.city");
    F("principal has addr.zip");
    E("1 has x");
    E("\"s\" has x");
    T("principal.age == 30");
    T("principal.addr.city == \"Paris\"");
    T("context.rec.x == 1");
    E("principal.nope == 1");
    CHECK_STR(msg_buf, "`User::\"alice\"` does not have the attribute `nope`");
    E("User::\"nobody\".age == 1");
    CHECK_STR(msg_buf, "entity `User::\"nobody\"` does not exist");
    E("context.nope == 1");
    CHECK_STR(msg_buf, "record does not have the attribute `nope`");
    E("context.n.x == 1");
    E("{a: 1}.b == 1");
    T("{a: 1}.a == 1");
    T("resource.owner == principal");
    T("resource.owner.boss == User::\"bob\"");
    E("User::\"bob\".boss == 1");
}

TEST(eval_tags)
{
    T("principal.hasTag(\"dept\")");
    F("principal.hasTag(\"x\")");
    F("User::\"nobody\".hasTag(\"dept\")");
    T("principal.getTag(\"dept\") == \"eng\"");
    E("principal.getTag(\"x\") == 1");
    E("User::\"nobody\".getTag(\"dept\") == 1");
    E("principal.hasTag(1)");
    E("1.hasTag(\"a\")");
    E("context.getTag(\"a\") == 1");
}

TEST(eval_like_is)
{
    T("context.s like \"h*o\"");
    T("context.s like \"*\"");
    T("context.s like \"hello\"");
    F("context.s like \"hell\"");
    T("context.s like \"*l*l*\"");
    F("context.s like \"h\\*\"");
    T("\"a*b\" like \"a\\*b\"");
    E("context.n like \"*\"");
    T("principal is User");
    F("principal is Group");
    T("principal is User in Group::\"all\"");
    F("principal is User in Group::\"admins\"");
    E("1 is User");
    E("context is User");
}

TEST(eval_set_methods)
{
    T("context.set.contains(2)");
    F("context.set.contains(4)");
    F("context.set.contains(\"2\")");
    T("[principal, resource].contains(User::\"alice\")");
    E("\"abc\".contains(\"a\")");
    T("context.set.containsAll([1, 3])");
    F("context.set.containsAll([1, 4])");
    T("context.set.containsAll([])");
    T("context.set.containsAny([4, 3])");
    F("context.set.containsAny([4, 5])");
    F("context.set.containsAny([])");
    E("context.set.containsAll(1)");
    E("context.n.containsAny([1])");
    T("[].isEmpty()");
    F("context.set.isEmpty()");
    E("context.rec.isEmpty()");
    T("principal.tags.contains(\"a\")");
}

TEST(eval_literals_errors)
{
    T("[1, 2].contains(1)");
    E("[1, principal.nope].contains(1)");
    /* the first erroring element decides the message */
    E("[User::\"nobody\".x, 1 + \"a\"] == []");
    CHECK_STR(msg_buf, "entity `User::\"nobody\"` does not exist");
    E("{a: 1 + \"a\", b: principal.nope} == {}");
    CHECK(strstr(msg_buf, "type error") != NULL);
    T("{a: [1, {b: true}]}.a.contains({b: true})");
}

TEST(eval_extensions)
{
    T("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))");
    T("principal.ip.isInRange(ip(\"10.0.0.0/24\"))");
    F("ip(\"11.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))");
    T("ip(\"127.0.0.1\").isLoopback()");
    T("decimal(\"1.5\").lessThan(decimal(\"2.25\"))");
    T("decimal(\"1.5\").greaterThanOrEqual(decimal(\"1.5\"))");
    E("decimal(\"abc\") == decimal(\"1.0\")");
    E("ip(\"not an ip\").isIpv4()");
    E("ip(\"1.2.3.4\").lessThan(decimal(\"1.0\"))");
    T("datetime(\"2024-01-01T00:00:00Z\").offset(duration(\"1d\")) == datetime(\"2024-01-02\")");
    T("duration(\"90m\").toHours() == 1");
}

TEST(eval_templates)
{
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_cedar_request_t *rq = NULL;
    aib_cedar_response_t r;
    aib_arena_t *a = aib_arena_new(0);
    aib_diag_t d;
    const char *pol =
        "permit(principal == ?principal, action, resource in ?resource) when { resource in Folder::\"f\" };"
        "forbid(principal in ?principal, action, resource) when { false };";
    char buf[512];

    CHECK_INT(aib_cedar_policyset_parse(pol, strlen(pol), "t.cedar", &ps, &d), 0);
    CHECK_INT(aib_cedar_entities_parse(ENTS, strlen(ENTS), "e.json", NULL, &es, &d), 0);
    CHECK_INT(aib_cedar_request_parse(REQ, strlen(REQ), NULL, false, a, &rq, &d), 0);
    if (!ps || !es || !rq)
        goto done;
    /* templates alone are never evaluated */
    CHECK_INT(aib_cedar_authorize(ps, es, rq, a, &r), 0);
    fmt_resp(&r, buf, sizeof buf);
    CHECK_STR(buf, "deny;;");
    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "l0", "User::\"bob\"", "Folder::\"f\"", &d), 0);
    CHECK_INT(aib_cedar_authorize(ps, es, rq, a, &r), 0);
    fmt_resp(&r, buf, sizeof buf);
    CHECK_STR(buf, "deny;;");
    CHECK_INT(aib_cedar_policyset_link(ps, "policy0", "l1", "User::\"alice\"", "Folder::\"f\"", &d), 0);
    CHECK_INT(aib_cedar_policyset_link(ps, "policy1", "l2", "Group::\"staff\"", NULL, &d), 0);
    CHECK_INT(aib_cedar_authorize(ps, es, rq, a, &r), 0);
    fmt_resp(&r, buf, sizeof buf);
    CHECK_STR(buf, "allow;l1;");
    CHECK_INT(aib__authorize_all(ps, es, rq, a, &r), 0);
    fmt_resp(&r, buf, sizeof buf);
    CHECK_STR(buf, "allow;l1;");
done:
    aib_cedar_policyset_free(ps);
    aib_cedar_entities_free(es);
    aib_arena_free(a);
}

TEST(eval_response_json)
{
    aib_cedar_response_t r;
    const char *reason[] = { "policy0", "p\"1" };
    aib_cedar_policy_error_t errs[1] = { { "policy3", "bad \"thing\"" } };
    aib_buf_t b;
    aib_buf_init(&b);
    memset(&r, 0, sizeof r);
    CHECK_INT(aib_cedar_response_json(&r, &b), 0);
    CHECK_STR(b.data, "{\"decision\":\"deny\",\"reason\":[],\"errors\":[]}");
    aib_buf_clear(&b);
    r.decision = AIB_CEDAR_ALLOW;
    r.n_reason = 2;
    r.reason = reason;
    r.n_errors = 1;
    r.errors = errs;
    CHECK_INT(aib_cedar_response_json(&r, &b), 0);
    CHECK_STR(b.data, "{\"decision\":\"allow\",\"reason\":[\"policy0\",\"p\\\"1\"],"
                      "\"errors\":[{\"policy\":\"policy3\",\"message\":\"bad \\\"thing\\\"\"}]}");
    aib_buf_free(&b);
}

/* Hand-built AST deeper than the evaluator's limit: an error, not a stack overflow. */
TEST(eval_deep_expression)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__expr_t *e, *x;
    aib__request_t req;
    aib__uid_t *u = aib__uid_new(a, AIB_STR_LIT("User"), AIB_STR_LIT("u"));
    aib__value_t v;
    char err[256];
    int i, rc;

    memset(&req, 0, sizeof req);
    req.principal = req.action = req.resource = u;
    req.context.kind = AIB__V_RECORD;
    req.context.u.rec = NULL;
    e = aib_arena_calloc(a, 1, sizeof *e);
    e->kind = AIB__E_LIT;
    e->u.lit = aib__v_bool(true);
    for (i = 0; i < 100000; i++) {
        x = aib_arena_calloc(a, 1, sizeof *x);
        x->kind = AIB__E_NOT;
        x->u.k.a = e;
        e = x;
    }
    rc = aib__eval_expr(e, NULL, NULL, &req, a, &v, err, sizeof err);
    CHECK_INT(rc, AIB_EEVAL);
    CHECK(strstr(err, "nesting") != NULL);

    /* a long left-nested && chain is not nesting: it evaluates */
    e = aib_arena_calloc(a, 1, sizeof *e);
    e->kind = AIB__E_LIT;
    e->u.lit = aib__v_bool(true);
    for (i = 0; i < 100000; i++) {
        aib__expr_t *lit = aib_arena_calloc(a, 1, sizeof *lit);
        lit->kind = AIB__E_LIT;
        lit->u.lit = aib__v_bool(true);
        x = aib_arena_calloc(a, 1, sizeof *x);
        x->kind = AIB__E_AND;
        x->u.k.a = e;
        x->u.k.b = lit;
        e = x;
    }
    rc = aib__eval_expr(e, NULL, NULL, &req, a, &v, err, sizeof err);
    CHECK_INT(rc, 0);
    CHECK(v.kind == AIB__V_BOOL && v.u.b);
    aib_arena_free(a);
}

/* Long operator chains from the parser evaluate (they are left-deep trees, not nesting). */
TEST(eval_long_chains)
{
    aib_buf_t b;
    int i;
    aib_buf_init(&b);
    aib_buf_puts(&b, "permit(principal, action, resource) when { 0");
    for (i = 0; i < 900; i++)
        aib_buf_puts(&b, " + 1");
    aib_buf_puts(&b, " == 900 && true");
    for (i = 0; i < 900; i++)
        aib_buf_puts(&b, " && context.flag");
    aib_buf_puts(&b, " };");
    CHECK_STR(run(b.data), "allow;policy0;");
    aib_buf_free(&b);
}

/* Threads authorizing on a freshly parsed set race to build the index; all must agree. */
typedef struct thr_arg {
    const aib_cedar_policyset_t *ps;
    const aib_cedar_entities_t *es;
    int allows, errors;
} thr_arg_t;

static void *thr_main(void *p)
{
    thr_arg_t *t = p;
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_request_t *rq = NULL;
    aib_cedar_response_t r;
    aib_diag_t d;
    int i;
    for (i = 0; a && i < 200; i++) {
        aib_arena_reset(a);
        if (aib_cedar_request_parse(REQ, strlen(REQ), NULL, false, a, &rq, &d) != 0 ||
            aib_cedar_authorize(t->ps, t->es, rq, a, &r) != 0) {
            t->errors++;
            continue;
        }
        t->allows += r.decision == AIB_CEDAR_ALLOW && r.n_reason == 1 && strcmp(r.reason[0], "policy1") == 0;
    }
    aib_arena_free(a);
    return NULL;
}

TEST(eval_index_first_build_threads)
{
    const char *pol = "permit(principal == User::\"bob\", action, resource);"
                      "permit(principal in Group::\"all\", action in Action::\"readOnly\", resource is Doc);";
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_diag_t d;
    pthread_t th[4];
    thr_arg_t args[4];
    int i;
    CHECK_INT(aib_cedar_policyset_parse(pol, strlen(pol), "t.cedar", &ps, &d), 0);
    CHECK_INT(aib_cedar_entities_parse(ENTS, strlen(ENTS), "e.json", NULL, &es, &d), 0);
    if (!ps || !es)
        goto done;
    for (i = 0; i < 4; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].ps = ps;
        args[i].es = es;
        CHECK_INT(pthread_create(&th[i], NULL, thr_main, &args[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(args[i].errors, 0);
        CHECK_INT(args[i].allows, 200);
    }
done:
    aib_cedar_policyset_free(ps);
    aib_cedar_entities_free(es);
}

/* ---- randomized index check ------------------------------------------------------------------ */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

static const char *R_TYPES[] = { "User", "Group", "Doc", "Folder" };

static void rnd_uid(char *b, size_t cap)
{
    unsigned t = rnd(4);
    snprintf(b, cap, "%s::\"%c%u\"", R_TYPES[t], "ugdf"[t], rnd(5));
}

static void rnd_scope(char *b, size_t cap, const char *var, bool action)
{
    char u1[48], u2[48];
    unsigned k = rnd(7);
    if (action) {
        snprintf(u1, sizeof u1, "Action::\"a%u\"", rnd(4));
        snprintf(u2, sizeof u2, "Action::\"a%u\"", rnd(4));
        switch (k % 4) {
        case 0: snprintf(b, cap, "%s", var); break;
        case 1: snprintf(b, cap, "%s == %s", var, u1); break;
        case 2: snprintf(b, cap, "%s in %s", var, u1); break;
        default: snprintf(b, cap, "%s in [%s, %s]", var, u1, u2); break;
        }
        return;
    }
    rnd_uid(u1, sizeof u1);
    switch (k) {
    case 0: case 1: snprintf(b, cap, "%s", var); break;
    case 2: snprintf(b, cap, "%s == %s", var, u1); break;
    case 3: case 4: snprintf(b, cap, "%s in %s", var, u1); break;
    case 5: snprintf(b, cap, "%s is %s", var, R_TYPES[rnd(4)]); break;
    default: snprintf(b, cap, "%s is %s in %s", var, R_TYPES[rnd(4)], u1); break;
    }
}

TEST(eval_index_matches_full_scan)
{
    aib_buf_t pol, ent;
    aib_cedar_policyset_t *ps = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_arena_t *a = aib_arena_new(0);
    aib_diag_t d;
    char s1[256], s2[256], s3[256], req[512], b1[4096], b2[4096];
    int round, i, j, mismatches = 0, allows = 0, total = 0, links = 0;

    aib_buf_init(&pol);
    aib_buf_init(&ent);
    for (round = 0; round < 20; round++) {
        aib_buf_clear(&pol);
        aib_buf_clear(&ent);
        for (i = 0; i < 60; i++) {
            rnd_scope(s1, sizeof s1, "principal", false);
            rnd_scope(s2, sizeof s2, "action", true);
            rnd_scope(s3, sizeof s3, "resource", false);
            aib_buf_printf(&pol, "%s(%s, %s, %s)%s;\n", rnd(4) ? "permit" : "forbid", s1, s2, s3,
                           rnd(5) == 0 ? " when { principal has x }" : rnd(9) == 0 ? " when { 1 }" : "");
        }
        /* entities: each of 4 types x 5 ids with random parents; actions in a small hierarchy */
        aib_buf_puts(&ent, "[");
        for (i = 0; i < 20; i++) {
            int np = (int)rnd(3), pos = (i / 5) * 6 + i % 5;
            aib_buf_printf(&ent, "%s{\"uid\":{\"type\":\"%s\",\"id\":\"%c%d\"},\"attrs\":{%s},\"parents\":[",
                           i ? "," : "", R_TYPES[i / 5], "ugdf"[i / 5], i % 5, rnd(2) ? "\"x\":1" : "");
            /* positions type*6+id; parents sit at higher positions (id 5 is never an entity),
             * so the hierarchy has no cycles */
            for (j = 0; j < np; j++) {
                int q = pos + 1 + (int)rnd((unsigned)(23 - pos));
                aib_buf_printf(&ent, "%s{\"type\":\"%s\",\"id\":\"%c%d\"}", j ? "," : "", R_TYPES[q / 6],
                               "ugdf"[q / 6], q % 6);
            }
            aib_buf_puts(&ent, "]}");
        }
        aib_buf_puts(&ent, ",{\"uid\":{\"type\":\"Action\",\"id\":\"a0\"},\"attrs\":{},\"parents\":[{\"type\":\"Action\",\"id\":\"a1\"}]}"
                           ",{\"uid\":{\"type\":\"Action\",\"id\":\"a2\"},\"attrs\":{},\"parents\":[{\"type\":\"Action\",\"id\":\"a1\"},{\"type\":\"Action\",\"id\":\"a3\"}]}]");
        /* two templates (policy60, policy61), linked below */
        aib_buf_puts(&pol, "permit(principal in ?principal, action, resource == ?resource);\n"
                           "forbid(principal, action, resource is Doc in ?resource) when { principal has x };\n");
        CHECK_INT(aib_cedar_policyset_parse(pol.data, pol.len, "r.cedar", &ps, &d), 0);
        CHECK_INT(aib_cedar_entities_parse(ent.data, ent.len, "r.json", NULL, &es, &d), 0);
        if (!ps || !es) {
            fprintf(stderr, "  %s\n", d.msg);
            break;
        }
        for (i = 0; i < 8; i++) {
            char id[32], pu[48], ru[48];
            snprintf(id, sizeof id, "link%d", i);
            rnd_uid(pu, sizeof pu);
            rnd_uid(ru, sizeof ru);
            if (i % 2 == 0)
                CHECK_INT(aib_cedar_policyset_link(ps, "policy60", id, pu, ru, &d), 0);
            else
                CHECK_INT(aib_cedar_policyset_link(ps, "policy61", id, NULL, ru, &d), 0);
        }
        for (i = 0; i < 200; i++) {
            aib_cedar_request_t *rq = NULL;
            aib_cedar_response_t r1, r2;
            unsigned pt = rnd(4), rt = rnd(4);
            snprintf(req, sizeof req,
                     "{\"principal\":{\"type\":\"%s\",\"id\":\"%c%u\"},\"action\":{\"type\":\"Action\",\"id\":\"a%u\"},"
                     "\"resource\":{\"type\":\"%s\",\"id\":\"%c%u\"},\"context\":{}}",
                     R_TYPES[pt], "ugdf"[pt], rnd(6), rnd(5), R_TYPES[rt], "ugdf"[rt], rnd(6));
            aib_arena_reset(a);
            CHECK_INT(aib_cedar_request_parse(req, strlen(req), NULL, false, a, &rq, &d), 0);
            if (!rq)
                continue;
            CHECK_INT(aib_cedar_authorize(ps, es, rq, a, &r1), 0);
            CHECK_INT(aib__authorize_all(ps, es, rq, a, &r2), 0);
            fmt_resp(&r1, b1, sizeof b1);
            fmt_resp(&r2, b2, sizeof b2);
            if (strcmp(b1, b2) != 0 && mismatches++ < 3)
                fprintf(stderr, "  index %s vs scan %s for %s\n", b1, b2, req);
            allows += r1.decision == AIB_CEDAR_ALLOW;
            for (j = 0; j < (int)r1.n_reason; j++)
                links += strncmp(r1.reason[j], "link", 4) == 0;
            total++;
        }
        aib_cedar_policyset_free(ps);
        aib_cedar_entities_free(es);
        ps = NULL;
        es = NULL;
    }
    CHECK_INT(mismatches, 0);
    CHECK(total == 4000);
    CHECK(allows > 100 && allows < total - 100); /* the generator exercises both outcomes */
    CHECK(links > 0);                            /* and linked templates */
    aib_buf_free(&pol);
    aib_buf_free(&ent);
    aib_arena_free(a);
}
