/* test_json_fast.c — the arena JSON reader (json_fast.c): escapes, surrogates, NUL, UTF-8,
 * numbers, limits, errors with line and column; and that the fast request and entity paths
 * give the same values as the general jansson path, falling back where they must. */
#include "test.h"
#include "cedar/json_fast_int.h"

#include <stdlib.h>

static int parse(aib_arena_t *a, const char *text, const aib__jf_t **out, aib_diag_t *d)
{
    aib_diag_clear(d);
    return aib__jf_parse(text, strlen(text), a, out, d);
}

TEST(jf_scalars_and_containers)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;

    CHECK_INT(parse(a, " {\"a\": [1, -2, true, false, null, \"x\"], \"b\": {}} ", &j, &d), 0);
    CHECK_INT(j->kind, AIB__JF_OBJECT);
    CHECK_INT(j->n, 2);
    CHECK_STR(j->u.members[0].key.ptr, "a");
    CHECK_INT(j->u.members[0].val.kind, AIB__JF_ARRAY);
    CHECK_INT(j->u.members[0].val.n, 6);
    CHECK_INT(j->u.members[0].val.u.items[0].u.i, 1);
    CHECK_INT(j->u.members[0].val.u.items[1].u.i, -2);
    CHECK_INT(j->u.members[0].val.u.items[2].kind, AIB__JF_TRUE);
    CHECK_INT(j->u.members[0].val.u.items[3].kind, AIB__JF_FALSE);
    CHECK_INT(j->u.members[0].val.u.items[4].kind, AIB__JF_NULL);
    CHECK_STR(j->u.members[0].val.u.items[5].u.s.ptr, "x");
    CHECK(aib__jf_get(j, "b") && aib__jf_get(j, "b")->kind == AIB__JF_OBJECT);
    CHECK(aib__jf_get(j, "c") == NULL);
    CHECK_INT(parse(a, "\"top\"", &j, &d), 0);
    CHECK_INT(j->kind, AIB__JF_STRING);
    aib_arena_free(a);
}

TEST(jf_string_escapes)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;

    CHECK_INT(parse(a, "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", &j, &d), 0);
    CHECK_INT(j->u.s.len, 8);
    CHECK(memcmp(j->u.s.ptr, "\"\\/\b\f\n\r\t", 8) == 0);
    /* \u forms: ASCII, 2- and 3-byte UTF-8, a surrogate pair (U+1F600), NUL */
    CHECK_INT(parse(a, "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", &j, &d), 0);
    CHECK_STR(j->u.s.ptr, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK_INT(parse(a, "\"a\\u0000b\"", &j, &d), 0);
    CHECK_INT(j->u.s.len, 3);
    CHECK(memcmp(j->u.s.ptr, "a\0b", 3) == 0);
    /* NUL in a key */
    CHECK_INT(parse(a, "{\"k\\u0000\": 1, \"k\": 2}", &j, &d), 0);
    CHECK_INT(j->u.members[0].key.len, 2);
    CHECK_INT(j->n, 2);
    /* raw multi-byte UTF-8 passes through */
    CHECK_INT(parse(a, "\"\xc3\xa9\xf0\x9f\x98\x80\"", &j, &d), 0);
    CHECK_INT(j->u.s.len, 6);
    aib_arena_free(a);
}

TEST(jf_string_errors)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;

    CHECK_INT(parse(a, "\"\\ud83d\"", &j, &d), AIB_EPARSE);      /* lone high surrogate */
    CHECK(strstr(d.msg, "surrogate") != NULL);
    CHECK_INT(parse(a, "\"\\ude00\"", &j, &d), AIB_EPARSE);      /* lone low surrogate */
    CHECK_INT(parse(a, "\"\\ud83d\\u0041\"", &j, &d), AIB_EPARSE); /* high + non-low */
    CHECK_INT(parse(a, "\"\\u12g4\"", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "\"\\x\"", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "\"a\tb\"", &j, &d), AIB_EPARSE);         /* raw control character */
    CHECK_INT(parse(a, "\"\xc0\xaf\"", &j, &d), AIB_EPARSE);     /* overlong */
    CHECK_INT(parse(a, "\"\xed\xa0\x80\"", &j, &d), AIB_EPARSE); /* encoded surrogate */
    CHECK_INT(parse(a, "\"\xf4\x90\x80\x80\"", &j, &d), AIB_EPARSE); /* past U+10FFFF */
    CHECK_INT(parse(a, "\"\xe2\x82\"", &j, &d), AIB_EPARSE);     /* cut off */
    CHECK_INT(parse(a, "\"abc", &j, &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "unterminated") != NULL);
    aib_arena_free(a);
}

TEST(jf_numbers)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;

    CHECK_INT(parse(a, "[9223372036854775807, -9223372036854775808, -0, 0]", &j, &d), 0);
    CHECK(j->u.items[0].u.i == INT64_MAX);
    CHECK(j->u.items[1].u.i == INT64_MIN);
    CHECK_INT(j->u.items[2].u.i, 0);
    CHECK_INT(parse(a, "[9223372036854775808]", &j, &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "out of range") != NULL);
    CHECK_INT(parse(a, "[-9223372036854775809]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[1.5, 2e3, -1E-2]", &j, &d), 0);
    CHECK_INT(j->u.items[0].kind, AIB__JF_REAL);
    CHECK_STR(j->u.items[1].u.s.ptr, "2e3");
    CHECK_INT(parse(a, "[1e999]", &j, &d), AIB_EPARSE); /* overflows a double, as in jansson */
    CHECK_INT(parse(a, "[01]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[1.]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[-]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[+1]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[1e]", &j, &d), AIB_EPARSE);
    aib_arena_free(a);
}

TEST(jf_structure_errors_with_position)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;

    CHECK_INT(parse(a, "{\"a\": 1,\n \"a\": 2}", &j, &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "duplicate object key \"a\"") != NULL);
    CHECK_INT(d.line, 2);
    CHECK_INT(parse(a, "{\"a\" 1}", &j, &d), AIB_EPARSE);
    CHECK_INT(d.line, 1);
    CHECK_INT(d.col, 6);
    /* columns count characters, not bytes */
    CHECK_INT(parse(a, "[\"\xc3\xa9\xc3\xa9\" x]", &j, &d), AIB_EPARSE);
    CHECK_INT(d.col, 7);
    CHECK_INT(parse(a, "[1,]", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "{\"a\":1,}", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "[1] x", &j, &d), AIB_EPARSE);
    CHECK(strstr(d.msg, "end of input") != NULL);
    CHECK_INT(parse(a, "", &j, &d), AIB_EPARSE);
    CHECK_INT(parse(a, "tru", &j, &d), AIB_EPARSE);
    /* a larger object takes the hashed duplicate check */
    {
        char buf[1024];
        size_t o = 0;
        int i;
        buf[o++] = '{';
        for (i = 0; i < 40; i++)
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s\"k%d\":%d", i ? "," : "", i % 39, i);
        snprintf(buf + o, sizeof(buf) - o, "}");
        CHECK_INT(parse(a, buf, &j, &d), AIB_EPARSE);
        CHECK(strstr(d.msg, "duplicate object key \"k0\"") != NULL);
    }
    aib_arena_free(a);
}

TEST(jf_nesting_limit)
{
    aib_arena_t *a = aib_arena_new(0);
    const aib__jf_t *j;
    aib_diag_t d;
    size_t depth = AIB__JF_MAX_DEPTH + 1, i;
    char *t = malloc(depth * 2 + 1);

    for (i = 0; i < depth; i++) {
        t[i] = '[';
        t[depth * 2 - 1 - i] = ']';
    }
    t[depth * 2] = '\0';
    CHECK_INT(parse(a, t, &j, &d), AIB_ELIMIT);
    CHECK(strstr(d.msg, "nested too deeply") != NULL);
    t[depth * 2 - 1] = '\0';
    CHECK_INT(parse(a, t + 1, &j, &d), 0); /* exactly at the limit */
    free(t);
    aib_arena_free(a);
}

static const char *SCHEMA =
    "entity Country;\n"
    "entity User in [Country] { name: String, home?: Country, tags?: Set<String> };\n"
    "entity Doc { secret: Bool, at?: datetime };\n"
    "action read appliesTo { principal: [User], resource: [Doc],\n"
    "  context: { dest: Country, n: Long, flags?: Set<Long>, sub?: { x: String } } };\n";

/* The fast request path agrees with the general one (or falls back). */
static int request_both(const char *text, const aib_cedar_schema_t *s, bool *same)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__request_t *r1 = NULL, *r2 = NULL;
    aib_diag_t d;
    int rc1, rc2;

    aib_diag_clear(&d);
    rc1 = aib__jf_request(text, strlen(text), s, a, &r1);
    rc2 = aib__request_parse_general(text, strlen(text), s, false, a, &r2, &d);
    *same = rc1 == AIB__JF_FALLBACK ||
            (rc1 == 0 && rc2 == 0 && aib__uid_eq(r1->principal, r2->principal) &&
             aib__uid_eq(r1->action, r2->action) && aib__uid_eq(r1->resource, r2->resource) &&
             aib__value_eq(&r1->context, &r2->context));
    aib_arena_free(a);
    return rc1;
}

TEST(jf_request_matches_general_path)
{
    aib_cedar_schema_t *s = NULL;
    aib_diag_t d;
    bool same;

    aib_diag_clear(&d);
    CHECK_INT(aib_cedar_schema_parse(SCHEMA, strlen(SCHEMA), false, "t.cedarschema", &s, &d), 0);
    /* common forms: decided by the fast path, same values */
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"read\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"dest\":{\"__entity\":{\"type\":\"Country\",\"id\":\"c\"}},"
                           "\"n\":-5,\"flags\":[3,1,3],\"sub\":{\"x\":\"a\\u0000b\"}}}", s, &same), 0);
    CHECK(same);
    CHECK_INT(request_both("{\"principal\":{\"__entity\":{\"type\":\"User\",\"id\":\"u\"}},"
                           "\"action\":[\"Action\",\"read\"],\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"dest\":{\"type\":\"Country\",\"id\":\"c\"},\"n\":1}}", s, &same), 0);
    CHECK(same);
    /* untyped (no schema): escapes and records */
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"x\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"e\":{\"__entity\":{\"type\":\"A\",\"id\":\"b\"}},"
                           "\"r\":{\"__entity\":1,\"y\":[true,\"s\"]}}}", NULL, &same), 0);
    CHECK(same);
    /* left to the general path: errors, escapes, implicit forms, strings as uids */
    CHECK_INT(request_both("{\"principal\":\"User::\\\"u\\\"\",\"action\":{\"type\":\"Action\","
                           "\"id\":\"read\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}}", s, &same),
              AIB__JF_FALLBACK);
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"read\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"dest\":{\"type\":\"Country\",\"id\":\"c\"},\"n\":1,\"zz\":1}}",
                           s, &same), AIB__JF_FALLBACK);
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"x\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"ip\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"1.2.3.4\"}}}}",
                           NULL, &same), AIB__JF_FALLBACK);
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"x\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
                           "\"context\":{\"f\":1.5}}", NULL, &same), AIB__JF_FALLBACK);
    CHECK_INT(request_both("{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\"principal\":{}}", NULL,
                           &same), AIB__JF_FALLBACK);
    CHECK_INT(request_both("{\"principal\":{\"type\":\"9bad\",\"id\":\"u\"},\"action\":{\"type\":"
                           "\"Action\",\"id\":\"x\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}}",
                           NULL, &same), AIB__JF_FALLBACK);
    aib_cedar_schema_free(s);
}

TEST(jf_request_errors_keep_general_messages)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_request_t *r = NULL;
    aib_diag_t d;
    const char *bad = "{\"principal\":{\"type\":\"User\",\"id\":\"u\"},\n\"action\" 1}";

    aib_diag_clear(&d);
    CHECK_INT(aib_cedar_request_parse(bad, strlen(bad), NULL, false, a, &r, &d), AIB_EPARSE);
    CHECK(r == NULL);
    CHECK_INT(d.line, 2);
    CHECK(strstr(d.msg, "invalid JSON") != NULL);
    aib_arena_free(a);
}

TEST(jf_entities_match_general_path)
{
    static const char *ENTS =
        "[{\"uid\":{\"type\":\"Country\",\"id\":\"c\"},\"attrs\":{},\"parents\":[]},"
        " {\"uid\":{\"type\":\"User\",\"id\":\"u\"},\"attrs\":{\"name\":\"n\\u00e9\","
        "\"home\":{\"__entity\":{\"type\":\"Country\",\"id\":\"c\"}},\"tags\":[\"b\",\"a\",\"b\"]},"
        "\"parents\":[{\"type\":\"Country\",\"id\":\"c\"}]}]";
    aib_cedar_schema_t *s = NULL;
    aib_cedar_entities_t *es = NULL;
    aib_arena_t *arena = NULL;
    aib__entity_t **ents = NULL;
    bool *acts = NULL;
    size_t n = 0;
    aib_diag_t d;

    aib_diag_clear(&d);
    CHECK_INT(aib_cedar_schema_parse(SCHEMA, strlen(SCHEMA), false, "t.cedarschema", &s, &d), 0);
    CHECK_INT(aib__jf_entities(ENTS, strlen(ENTS), s, &arena, &ents, &acts, &n), 0);
    CHECK_INT(n, 2);
    CHECK_INT(aib_cedar_entities_parse(ENTS, strlen(ENTS), "e.json", s, &es, &d), 0);
    if (n == 2 && es) {
        const aib__entity_t *g = aib__entities_find(es, ents[1]->uid);
        aib__value_t va, vb;
        CHECK(g != NULL);
        if (g) {
            va.kind = vb.kind = AIB__V_RECORD;
            va.u.rec = ents[1]->attrs;
            vb.u.rec = g->attrs;
            CHECK(aib__value_eq(&va, &vb));
            CHECK_INT(g->n_ancestors, 1);
        }
    }
    free(ents);
    free(acts);
    aib_arena_free(arena);
    aib_cedar_entities_free(es);
    /* an unknown attribute, an action entity, a bad parent type: general path */
    {
        const char *t = "[{\"uid\":{\"type\":\"Country\",\"id\":\"c\"},\"attrs\":{\"x\":1},"
                        "\"parents\":[]}]";
        CHECK_INT(aib__jf_entities(t, strlen(t), s, &arena, &ents, &acts, &n), AIB__JF_FALLBACK);
        t = "[{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},\"parents\":[]}]";
        CHECK_INT(aib__jf_entities(t, strlen(t), s, &arena, &ents, &acts, &n), AIB__JF_FALLBACK);
        t = "[{\"uid\":{\"type\":\"Country\",\"id\":\"c\"},\"attrs\":{},\"parents\":[{\"type\":"
            "\"User\",\"id\":\"u\"}]}]";
        CHECK_INT(aib__jf_entities(t, strlen(t), s, &arena, &ents, &acts, &n), AIB__JF_FALLBACK);
        aib_diag_clear(&d);
        CHECK(aib_cedar_entities_parse(t, strlen(t), "e.json", s, &es, &d) != 0);
        CHECK(strstr(d.msg, "not allowed to have an ancestor") != NULL);
    }
    aib_cedar_schema_free(s);
}
