/* test_validate.c — unit tests of the strict-mode validator: each typing rule with a policy
 * that validates and one that does not, plus the scope checks (unknown types and actions,
 * enumerated entities, action application) and the shape of reported errors. */
#include "test.h"

#include "aib/cedar.h"

#include <string.h>

static const char *SCHEMA =
    "entity Group;\n"
    "entity User in [Group] = {\n"
    "  name: String, age: Long, manager?: User, tags: Set<String>,\n"
    "  info: { a: Long, b?: String }, score: decimal, when: datetime\n"
    "};\n"
    "entity Doc = { owner: User, public: Bool } tags String;\n"
    "entity Box enum [\"a\", \"b\"];\n"
    "action all;\n"
    "action view in [all] appliesTo {\n"
    "  principal: [User], resource: [Doc],\n"
    "  context: { ip: ipaddr, n?: Long }\n"
    "};\n"
    "action edit appliesTo { principal: [User, Group], resource: [Doc] };\n";

/* Number of validation errors of policies against SCHEMA; -1 when something does not parse. */
static long nerr_with(const char *schema_text, const char *policies, aib_cedar_validation_t *keep,
                      aib_arena_t *arena)
{
    aib_cedar_schema_t *s = NULL;
    aib_cedar_policyset_t *ps = NULL;
    aib_diag_t d;
    long n = -1;
    if (aib_cedar_schema_parse(schema_text, strlen(schema_text), false, "test.cedarschema", &s, &d) != 0) {
        fprintf(stderr, "schema: %s\n", d.msg);
        goto done;
    }
    if (aib_cedar_policyset_parse(policies, strlen(policies), "test.cedar", &ps, &d) != 0) {
        fprintf(stderr, "policy: %d:%d %s\n", d.line, d.col, d.msg);
        goto done;
    }
    aib_cedar_validation_t r;
    if (aib_cedar_validate(ps, s, arena, &r) != 0)
        goto done;
    n = (long)r.n_errors;
    if (keep) {
        /* copy ids: the policy set is freed below */
        for (size_t i = 0; i < r.n_errors; i++)
            r.errors[i].policy_id = aib_arena_strndup(arena, r.errors[i].policy_id, strlen(r.errors[i].policy_id));
        *keep = r;
    }
done:
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(s);
    return n;
}

static long nerr(const char *policies)
{
    aib_arena_t *a = aib_arena_new(0);
    long n = nerr_with(SCHEMA, policies, NULL, a);
    aib_arena_free(a);
    return n;
}

/* A `when` condition in a permit scoped to the `view` action. */
static long cond(const char *when)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "permit(principal, action == Action::\"view\", resource) when { %s };", when);
    return nerr(buf);
}

#define VALID(x) CHECK_INT(x, 0)
#define INVALID(x) CHECK((x) > 0)

TEST(validate_trivial_policies)
{
    VALID(nerr("permit(principal, action, resource);"));
    VALID(nerr("forbid(principal is User, action in Action::\"all\", resource);"));
    /* a policy that can never apply is only a warning in the reference */
    VALID(nerr("permit(principal, action, resource) when { false };"));
    /* the condition must be boolean */
    INVALID(nerr("permit(principal, action, resource) when { 1 };"));
}

TEST(validate_attributes)
{
    VALID(cond("principal.name == \"alice\""));
    VALID(cond("principal.info.a == 1"));
    VALID(cond("resource.owner.age > 3"));
    INVALID(cond("principal.nope == 1"));
    INVALID(cond("principal.info.c == 1"));
    /* context is typed by the action: edit has an empty context */
    VALID(cond("context.ip.isLoopback()"));
    INVALID(nerr("permit(principal, action, resource) when { context.ip.isLoopback() };"));
}

TEST(validate_optional_attributes)
{
    INVALID(cond("principal.manager == principal"));
    VALID(cond("principal has manager && principal.manager == principal"));
    VALID(cond("if principal has manager then principal.manager.age > 1 else false"));
    INVALID(cond("principal has manager || principal.manager.age > 1"));
    INVALID(cond("if principal has manager then true else principal.manager.age > 1"));
    VALID(cond("context has n && context.n > 1"));
    INVALID(cond("context.n > 1"));
    VALID(cond("principal.info has b && principal.info.b == \"x\""));
    /* a guard in one `when` covers an access in a later one */
    VALID(nerr("permit(principal, action == Action::\"view\", resource) when { principal has manager }"
               " when { principal.manager.age > 1 };"));
    /* `has` on an attribute that cannot exist is False, which short-circuits */
    VALID(cond("principal has nope && principal.nope == 3"));
}

TEST(validate_short_circuit)
{
    VALID(cond("false && (1 + \"a\" == 2)"));
    VALID(cond("true || (1 + \"a\" == 2)"));
    INVALID(cond("principal.age > 1 && (1 + \"a\" == 2)"));
    VALID(cond("(if true then 1 else \"a\") == 1"));
    VALID(cond("(if false then \"a\" else 1) == 1"));
    INVALID(cond("(if principal.age > 1 then 1 else \"a\") == 1"));
    /* a scope that excludes the environment short-circuits the body there */
    VALID(nerr("permit(principal is User, action, resource) when { principal.age > 1 };"));
    INVALID(nerr("permit(principal, action, resource) when { principal.age > 1 };"));
    INVALID(nerr("permit(principal is Group, action, resource) when { principal.age > 1 };"));
}

TEST(validate_arithmetic_and_comparison)
{
    VALID(cond("principal.age + 1 < 3 * principal.age - 2"));
    INVALID(cond("principal.age + \"1\" == 2"));
    INVALID(cond("principal.name < \"b\""));
    INVALID(cond("-principal.name == 1"));
    VALID(cond("principal.when < datetime(\"2025-01-01\")"));
    INVALID(cond("principal.score < decimal(\"1.0\")"));
    VALID(cond("principal.score.lessThan(decimal(\"1.0\"))"));
}

TEST(validate_equality_lub)
{
    /* two literals compare statically (False), which is not an error */
    VALID(cond("1 == \"a\""));
    INVALID(cond("principal.age == \"a\""));
    /* disjoint entity types compare to False, which is not an error */
    VALID(cond("principal == resource"));
    VALID(cond("{a: 1} == {a: 2}"));
    INVALID(cond("{a: 1} == {b: 1}"));
    INVALID(cond("principal.info == {a: 1}"));
    VALID(cond("principal.tags == [\"x\"]"));
    INVALID(cond("principal.tags == [1]"));
    INVALID(cond("principal.age != \"a\""));
}

TEST(validate_sets)
{
    VALID(cond("principal.tags.contains(\"x\")"));
    INVALID(cond("principal.tags.contains(1)"));
    INVALID(cond("[1, \"a\"].contains(1)"));
    INVALID(cond("[].isEmpty()"));
    VALID(cond("principal.tags.containsAll([\"a\", \"b\"])"));
    INVALID(cond("principal.tags.containsAny([1])"));
    INVALID(cond("principal.age.contains(1)"));
    VALID(cond("!principal.tags.isEmpty()"));
}

TEST(validate_in_is_like)
{
    VALID(cond("principal in Group::\"g\""));
    INVALID(cond("principal in [Group::\"g\", User::\"u\"]"));
    VALID(cond("principal in [Group::\"g\", Group::\"h\"]"));
    INVALID(cond("principal.age in Group::\"g\""));
    VALID(cond("principal is User"));
    INVALID(cond("principal.name is User"));
    VALID(cond("principal.name like \"a*\""));
    INVALID(cond("principal.age like \"a\""));
    VALID(cond("action in Action::\"all\""));
    /* `in` between types that can never be related is False: the rest is not checked */
    VALID(cond("resource in Group::\"g\" && resource.nope"));
}

TEST(validate_names)
{
    INVALID(nerr("permit(principal == Foo::\"x\", action, resource);"));
    INVALID(nerr("permit(principal is Foo, action, resource);"));
    INVALID(cond("Foo::\"x\" == principal"));
    INVALID(nerr("permit(principal, action == Action::\"nope\", resource);"));
    INVALID(cond("action == Action::\"nope\""));
    VALID(cond("Box::\"a\" != Box::\"b\""));
    INVALID(cond("Box::\"c\" == Box::\"a\""));
}

TEST(validate_action_application)
{
    INVALID(nerr("permit(principal, action == Action::\"view\", resource is User);"));
    INVALID(nerr("permit(principal is Group, action == Action::\"view\", resource);"));
    VALID(nerr("permit(principal is Group, action, resource);"));
    VALID(nerr("permit(principal in Group::\"g\", action == Action::\"view\", resource);"));
    /* an action group applies through its members */
    VALID(nerr("permit(principal, action in Action::\"all\", resource is Doc);"));
    INVALID(nerr("permit(principal, action in [Action::\"all\"], resource is User);"));
}

TEST(validate_extensions)
{
    VALID(cond("ip(\"1.2.3.4\").isLoopback()"));
    INVALID(cond("ip(\"bad\").isLoopback()"));
    INVALID(cond("ip(principal.name).isLoopback()"));
    VALID(cond("context.ip.isInRange(ip(\"10.0.0.0/8\"))"));
    INVALID(cond("context.ip.isInRange(decimal(\"1.0\"))"));
    INVALID(cond("decimal(\"1.23456\").lessThan(decimal(\"1.0\"))"));
    VALID(cond("duration(\"1h\").toMinutes() == 60"));
    INVALID(cond("duration(\"1x\").toMinutes() == 60"));
    INVALID(cond("datetime(\"2024-13-01\") < datetime(\"2025-01-01\")"));
}

TEST(validate_tags)
{
    INVALID(cond("resource.getTag(\"k\") == \"v\""));
    VALID(cond("resource.hasTag(\"k\") && resource.getTag(\"k\") == \"v\""));
    INVALID(cond("resource.hasTag(\"k\") && resource.getTag(\"j\") == \"v\""));
    INVALID(cond("resource.hasTag(\"k\") && resource.getTag(\"k\") == 1"));
    /* User declares no tags: hasTag is False and short-circuits */
    VALID(cond("principal.hasTag(\"k\") && principal.getTag(\"k\") == 1"));
    INVALID(cond("resource.hasTag(1)"));
}

TEST(validate_records_and_unless)
{
    VALID(cond("{a: principal.age, b: \"x\"}.a > 1"));
    INVALID(cond("{a: 1}.b == 1"));
    INVALID(nerr("permit(principal, action == Action::\"view\", resource) unless { principal.nope };"));
    VALID(nerr("permit(principal, action == Action::\"view\", resource) unless { principal.age > 1 };"));
}

TEST(validate_templates)
{
    VALID(nerr("permit(principal == ?principal, action == Action::\"view\", resource in ?resource);"));
    VALID(nerr("permit(principal in ?principal, action == Action::\"view\", resource) when { principal.age > 1 };"));
    INVALID(nerr("permit(principal == ?principal, action, resource) when { principal.nope };"));
}

TEST(validate_error_shape)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_validation_t r;
    memset(&r, 0, sizeof r);
    long n = nerr_with(SCHEMA,
                       "permit(principal, action, resource);\n"
                       "permit(principal, action == Action::\"view\", resource)\n"
                       "when { principal.nope == 1 };\n",
                       &r, a);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(r.errors[0].policy_id, "policy1");
        CHECK_INT(r.errors[0].line, 3);
        CHECK(r.errors[0].col >= 8);
        CHECK(strstr(r.errors[0].message, "nope") != NULL);
    }
    aib_arena_free(a);
}

TEST(validate_json_schema)
{
    const char *js =
        "{\"\": {\"entityTypes\": {\"U\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
        "\"x\": {\"type\": \"Long\"}}}}},"
        "\"actions\": {\"a\": {\"appliesTo\": {\"principalTypes\": [\"U\"], \"resourceTypes\": [\"U\"]}}}}}";
    aib_cedar_schema_t *s = NULL;
    aib_cedar_policyset_t *ps = NULL;
    aib_diag_t d;
    const char *pol = "permit(principal, action, resource) when { principal.x > resource.x };";
    CHECK_INT(aib_cedar_schema_parse(js, strlen(js), true, "s.json", &s, &d), 0);
    CHECK_INT(aib_cedar_policyset_parse(pol, strlen(pol), "p.cedar", &ps, &d), 0);
    if (s && ps) {
        aib_arena_t *a = aib_arena_new(0);
        aib_cedar_validation_t r;
        CHECK_INT(aib_cedar_validate(ps, s, a, &r), 0);
        CHECK_INT(r.n_errors, 0);
        aib_arena_free(a);
    }
    aib_cedar_policyset_free(ps);
    aib_cedar_schema_free(s);
}

TEST(validate_schema_without_actions)
{
    /* nothing can apply when the schema declares no action */
    aib_arena_t *a = aib_arena_new(0);
    CHECK(nerr_with("entity U;", "permit(principal, action, resource);", NULL, a) > 0);
    aib_arena_free(a);
}
