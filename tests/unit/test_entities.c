/* test_entities.c — entity JSON (escapes, implicit forms, schema checks), the ancestor closure
 * and `in`, and request parsing / validation. */
#include "test.h"
#include "cedar/json_int.h"

#include <stdlib.h>

static const char *SCHEMA =
    "entity Group;\n"
    "entity User in [Group] { name: String, age?: Long, manager?: User, ip?: ipaddr,\n"
    "  score?: decimal, born?: datetime, wait?: duration, tags?: Set<String>,\n"
    "  friends?: Set<User>, addr?: { city: String, zip?: Long }, team?: Team };\n"
    "entity Team enum [\"red\", \"blue\"];\n"
    "entity Doc { owner: User } tags Long;\n"
    "action readGroup;\n"
    "action topGroup;\n"
    "action midGroup in [topGroup];\n"
    "action read in [readGroup, midGroup] appliesTo { principal: [User], resource: [Doc, Team],\n"
    "  context: { ip: ipaddr, n?: Long, who?: User, t?: Team } };\n"
    "action nothing;\n";

static aib_cedar_schema_t *schema(void)
{
    aib_cedar_schema_t *s = NULL;
    aib_diag_t d;
    aib_diag_clear(&d);
    if (aib_cedar_schema_parse(SCHEMA, strlen(SCHEMA), false, "test.cedarschema", &s, &d) != 0) {
        char buf[1024];
        aib_diag_format(&d, buf, sizeof(buf));
        aib_test_fail(__FILE__, __LINE__, "schema: %s", buf);
    }
    return s;
}

/* Parses text; returns the store or NULL with the formatted diagnostic in msg. */
static aib_cedar_entities_t *load(const char *text, const aib_cedar_schema_t *s, char *msg, size_t cap,
                                  int *rc_out)
{
    aib_cedar_entities_t *es = NULL;
    aib_diag_t d;
    int rc;
    aib_diag_clear(&d);
    rc = aib_cedar_entities_parse(text, strlen(text), "entities.json", s, &es, &d);
    if (rc_out)
        *rc_out = rc;
    if (msg && cap) {
        msg[0] = '\0';
        if (rc != 0)
            aib_diag_format(&d, msg, cap);
    }
    return es;
}

static aib__uid_t U(const char *type, const char *id)
{
    aib__uid_t u;
    u.type.ptr = type;
    u.type.len = strlen(type);
    u.id.ptr = id;
    u.id.len = strlen(id);
    u.hash = aib__uid_hash(u.type, u.id);
    return u;
}

static const aib__value_t *attr(const aib_cedar_entities_t *es, const char *type, const char *id,
                                const char *name)
{
    aib__uid_t u = U(type, id);
    const aib__entity_t *e = aib__entities_find(es, &u);
    aib_str_t k = { name, strlen(name) };
    return e ? aib__record_get(e->attrs, k) : NULL;
}

static bool in(const aib_cedar_entities_t *es, const char *ta, const char *ia, const char *tb,
               const char *ib)
{
    aib__uid_t a = U(ta, ia), b = U(tb, ib);
    return aib__entities_in(es, &a, &b);
}

static bool contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

#define CHECK_MSG(msg, needle)                                                            \
    do { if (!contains((msg), (needle)))                                                  \
             aib_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", (msg), (needle)); \
    } while (0)

/* ---- Plain form and escapes ------------------------------------------------------------------ */

TEST(entities_plain_values_and_escapes)
{
    char msg[1024];
    const aib__value_t *v;
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},\"attrs\":{"
        "\"b\":true,\"n\":-42,\"s\":\"hi\",\"set\":[3,1,3],\"rec\":{\"x\":1,\"y\":\"z\"},"
        "\"boss\":{\"__entity\":{\"type\":\"User\",\"id\":\"bob\"}},"
        "\"ip\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"10.0.0.1\"}},"
        "\"dec\":{\"__extn\":{\"fn\":\"decimal\",\"args\":[\"1.5\"]}},"
        "\"lt\":{\"__extn\":{\"fn\":\"lessThan\",\"args\":[{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"1.0\"}},"
        "{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"2.0\"}}]}},"
        "\"notesc\":{\"__entity\":{\"type\":\"User\",\"id\":\"x\"},\"other\":1},"
        "\"notext\":{\"__extn\":{\"fn\":\"ip\"}}"
        "},\"parents\":[]}]",
        NULL, msg, sizeof(msg), NULL);
    CHECK(es != NULL);
    if (!es) {
        printf("  %s\n", msg);
        return;
    }
    CHECK_INT(aib_cedar_entities_count(es), 1);
    v = attr(es, "User", "alice", "b");
    CHECK(v && v->kind == AIB__V_BOOL && v->u.b);
    v = attr(es, "User", "alice", "n");
    CHECK(v && v->kind == AIB__V_LONG && v->u.i == -42);
    v = attr(es, "User", "alice", "s");
    CHECK(v && v->kind == AIB__V_STRING && v->u.s.len == 2);
    v = attr(es, "User", "alice", "set");
    CHECK(v && v->kind == AIB__V_SET && v->u.set->n == 2);
    v = attr(es, "User", "alice", "rec");
    CHECK(v && v->kind == AIB__V_RECORD && v->u.rec->n == 2);
    v = attr(es, "User", "alice", "boss");
    CHECK(v && v->kind == AIB__V_ENTITY && aib_str_eq_cstr(v->u.uid->id, "bob"));
    v = attr(es, "User", "alice", "ip");
    CHECK(v && v->kind == AIB__V_IP);
    v = attr(es, "User", "alice", "dec");
    CHECK(v && v->kind == AIB__V_DECIMAL && v->u.i == 15000);
    v = attr(es, "User", "alice", "lt");
    CHECK(v && v->kind == AIB__V_BOOL && v->u.b);
    /* escapes need exactly one key (and a complete body); otherwise they are records */
    v = attr(es, "User", "alice", "notesc");
    CHECK(v && v->kind == AIB__V_RECORD && v->u.rec->n == 2);
    v = attr(es, "User", "alice", "notext");
    CHECK(v && v->kind == AIB__V_RECORD);
    aib_cedar_entities_free(es);
}

TEST(entities_value_errors)
{
    char msg[1024];
    int rc;
    aib_cedar_entities_t *es;

    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":1.5},\"parents\":[]}]", NULL,
              msg, sizeof(msg), &rc);
    CHECK(es == NULL && rc != 0);
    CHECK_MSG(msg, "entities.json: entity A::\"a\", attribute `x`");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":null},\"parents\":[]}]", NULL,
              msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "null");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":{\"__expr\":\"1\"}},\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "__expr");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":{\"__extn\":{\"fn\":\"ipp\",\"arg\":\"1\"}}},"
              "\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "`ipp` does not exist");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"1.2.3.\"}}},"
              "\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":{\"__extn\":{\"fn\":\"__cedar::ip\",\"arg\":\"1.2.3.4\"}}},"
              "\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    /* integers beyond i64 and duplicate keys are rejected by the JSON reader, with a position */
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\n\"attrs\":{\"x\":99999999999999999999},\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL && rc == AIB_EPARSE);
    CHECK_MSG(msg, "entities.json:2:");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":{\"k\":1,\"k\":2}},\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL && rc == AIB_EPARSE);
    /* required fields */
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"parents\":[]}]", NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "`attrs`");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{}}]", NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "`parents`");
    es = load("{}", NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    /* deep nesting is limited */
    {
        size_t depth = 400, i;
        aib_buf_t t;
        aib_buf_init(&t);
        CHECK_INT(aib_buf_puts(&t, "[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":"), 0);
        for (i = 0; i < depth; i++)
            CHECK_INT(aib_buf_putc(&t, '['), 0);
        for (i = 0; i < depth; i++)
            CHECK_INT(aib_buf_putc(&t, ']'), 0);
        CHECK_INT(aib_buf_puts(&t, "},\"parents\":[]}]"), 0);
        es = load(t.data, NULL, msg, sizeof(msg), &rc);
        CHECK(es == NULL && rc == AIB_ELIMIT);
        aib_buf_free(&t);
    }
}

TEST(entities_uid_forms)
{
    char msg[1024];
    int rc;
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"__entity\":{\"type\":\"NS::A\",\"id\":\"a\"}},\"attrs\":{},"
        "\"parents\":[[\"NS::A\",\"b\"],{\"type\":\"NS::A\",\"id\":\"c\",\"extra\":1}]}]",
        NULL, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    CHECK(in(es, "NS::A", "a", "NS::A", "b"));
    CHECK(in(es, "NS::A", "a", "NS::A", "c"));
    aib_cedar_entities_free(es);
    /* the Cedar string form is not an entity reference in entity data */
    es = load("[{\"uid\":\"A::\\\"a\\\"\",\"attrs\":{},\"parents\":[]}]", NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "literal entity reference");
    es = load("[{\"uid\":{\"type\":\"if\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]", NULL, msg,
              sizeof(msg), &rc);
    CHECK(es == NULL);
    es = load("[{\"uid\":{\"type\":\"A :: B\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]", NULL, msg,
              sizeof(msg), &rc);
    CHECK(es == NULL);
    es = load("[{\"uid\":{\"type\":\"__cedar::X\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]", NULL,
              msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK(aib__json_valid_name("permit", 6));
    CHECK(aib__json_valid_name("a::b::C_1", 9));
    CHECK(!aib__json_valid_name("a::", 3));
    CHECK(!aib__json_valid_name("1a", 2));
    CHECK(!aib__json_valid_name("a::__cedar", 10));
}

TEST(entities_nul_bytes_in_keys_and_ids)
{
    char msg[1024];
    aib_str_t k = { "a\0b", 3 };
    aib__uid_t u;
    const aib__entity_t *e;
    const aib__value_t *v;
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"type\":\"A\",\"id\":\"x\\u0000y\"},\"attrs\":{\"a\\u0000b\":\"\\u0000\","
        "\"mark\":\"\xEF\xB7\x90" "0\"},\"parents\":[]}]",
        NULL, msg, sizeof(msg), NULL);
    CHECK(es != NULL);
    if (!es) {
        printf("  %s\n", msg);
        return;
    }
    u.type = AIB_STR_LIT("A");
    u.id.ptr = "x\0y";
    u.id.len = 3;
    u.hash = aib__uid_hash(u.type, u.id);
    e = aib__entities_find(es, &u);
    CHECK(e != NULL);
    if (e) {
        v = aib__record_get(e->attrs, k);
        CHECK(v && v->kind == AIB__V_STRING && v->u.s.len == 1 && v->u.s.ptr[0] == '\0');
        v = aib__record_get(e->attrs, AIB_STR_LIT("mark"));
        CHECK(v && v->kind == AIB__V_STRING && v->u.s.len == 4 &&
              memcmp(v->u.s.ptr, "\xEF\xB7\x90" "0", 4) == 0);
    }
    aib_cedar_entities_free(es);
}

TEST(entities_duplicates)
{
    char msg[1024];
    int rc;
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":1},\"parents\":[{\"type\":\"A\",\"id\":\"b\"},{\"type\":\"A\",\"id\":\"c\"}]},"
        " {\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":1},\"parents\":[{\"type\":\"A\",\"id\":\"c\"},{\"type\":\"A\",\"id\":\"b\"}]}]",
        NULL, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    CHECK_INT(aib_cedar_entities_count(es), 1);
    aib_cedar_entities_free(es);
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},"
              " {\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{\"x\":1},\"parents\":[]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL && rc == AIB_EEXIST);
    CHECK_MSG(msg, "duplicate entity entry `A::\"a\"`");
}

/* ---- Closure --------------------------------------------------------------------------------- */

TEST(entities_closure_chain_diamond_and_external_parents)
{
    char msg[1024];
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"type\":\"G\",\"id\":\"d\"},\"attrs\":{},\"parents\":[{\"type\":\"Ext\",\"id\":\"top\"}]},"
        " {\"uid\":{\"type\":\"G\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"G\",\"id\":\"b\"},{\"type\":\"G\",\"id\":\"c\"}]},"
        " {\"uid\":{\"type\":\"G\",\"id\":\"b\"},\"attrs\":{},\"parents\":[{\"type\":\"G\",\"id\":\"d\"}]},"
        " {\"uid\":{\"type\":\"G\",\"id\":\"c\"},\"attrs\":{},\"parents\":[{\"type\":\"G\",\"id\":\"d\"}]},"
        " {\"uid\":{\"type\":\"G\",\"id\":\"lone\"},\"attrs\":{},\"parents\":[]}]",
        NULL, msg, sizeof(msg), NULL);
    CHECK(es != NULL);
    if (!es)
        return;
    CHECK_INT(aib_cedar_entities_count(es), 5);
    CHECK(in(es, "G", "a", "G", "b"));
    CHECK(in(es, "G", "a", "G", "c"));
    CHECK(in(es, "G", "a", "G", "d"));       /* through the diamond */
    CHECK(in(es, "G", "a", "Ext", "top"));   /* a parent that is no entity still counts */
    CHECK(in(es, "G", "a", "G", "a"));       /* reflexive */
    CHECK(in(es, "Ext", "top", "Ext", "top"));
    CHECK(!in(es, "G", "d", "G", "a"));
    CHECK(!in(es, "G", "b", "G", "c"));
    CHECK(!in(es, "G", "lone", "G", "d"));
    CHECK(!in(es, "G", "nobody", "G", "d"));
    CHECK(!in(es, "Ext", "top", "G", "d"));
    {
        aib__uid_t a = U("G", "a");
        const aib__entity_t *e = aib__entities_find(es, &a);
        CHECK(e && e->n_ancestors == 4 && e->n_parents == 2);
        CHECK(aib__entities_uid_index(es, &a) >= 0);
    }
    CHECK(!aib__entities_in(NULL, &(aib__uid_t){ AIB_STR_LIT("G"), AIB_STR_LIT("a"), 0 },
                            &(aib__uid_t){ AIB_STR_LIT("G"), AIB_STR_LIT("b"), 1 }));
    aib_cedar_entities_free(es);
}

TEST(entities_closure_long_chain_and_cycles)
{
    char msg[1024];
    int rc;
    size_t n = 3000, i;
    aib_buf_t t;
    aib_cedar_entities_t *es;
    char last[32];

    aib_buf_init(&t);
    CHECK_INT(aib_buf_putc(&t, '['), 0);
    for (i = 0; i < n; i++)
        CHECK_INT(aib_buf_printf(&t, "%s{\"uid\":{\"type\":\"N\",\"id\":\"%zu\"},\"attrs\":{},\"parents\":[{\"type\":\"N\",\"id\":\"%zu\"}]}",
                                 i ? "," : "", i, i + 1), 0);
    CHECK_INT(aib_buf_putc(&t, ']'), 0);
    es = load(t.data, NULL, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    snprintf(last, sizeof(last), "%zu", n);
    CHECK(in(es, "N", "0", "N", last));
    CHECK(!in(es, "N", last, "N", "0"));
    aib_cedar_entities_free(es);
    aib_buf_free(&t);

    /* the reference rejects cycles, including an entity that is its own parent */
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"A\",\"id\":\"b\"}]},"
              " {\"uid\":{\"type\":\"A\",\"id\":\"b\"},\"attrs\":{},\"parents\":[{\"type\":\"A\",\"id\":\"a\"}]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "cycle");
    es = load("[{\"uid\":{\"type\":\"A\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"A\",\"id\":\"a\"}]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "cycle");
}

TEST(entities_action_parents_without_schema)
{
    char msg[1024];
    int rc;
    aib_cedar_entities_t *es = load(
        "[{\"uid\":{\"type\":\"Action\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"User\",\"id\":\"b\"}]}]",
        NULL, msg, sizeof(msg), &rc);
    CHECK(es == NULL);
    CHECK_MSG(msg, "non-action parent");
    es = load("[{\"uid\":{\"type\":\"User\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"NS::Action\",\"id\":\"b\"}]}]",
              NULL, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    aib_cedar_entities_free(es);
}

/* ---- With a schema --------------------------------------------------------------------------- */

TEST(entities_schema_implicit_forms)
{
    char msg[1024];
    const aib__value_t *v;
    aib_cedar_schema_t *s = schema();
    aib_cedar_entities_t *es;
    if (!s)
        return;
    es = load("[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},\"attrs\":{\"name\":\"Alice\",\"age\":30,"
              "\"manager\":{\"type\":\"User\",\"id\":\"bob\"},\"ip\":\"10.1.2.3/8\",\"score\":\"2.25\","
              "\"born\":\"2020-01-01\",\"wait\":{\"fn\":\"duration\",\"arg\":\"1h\"},"
              "\"friends\":[{\"type\":\"User\",\"id\":\"c\"},{\"__entity\":{\"type\":\"User\",\"id\":\"d\"}}],"
              "\"addr\":{\"city\":\"X\"},\"team\":{\"type\":\"Team\",\"id\":\"red\"}},"
              "\"parents\":[{\"type\":\"Group\",\"id\":\"g\"}]}]",
              s, msg, sizeof(msg), NULL);
    CHECK(es != NULL);
    if (!es) {
        printf("  %s\n", msg);
        aib_cedar_schema_free(s);
        return;
    }
    v = attr(es, "User", "alice", "manager");
    CHECK(v && v->kind == AIB__V_ENTITY);
    v = attr(es, "User", "alice", "ip");
    CHECK(v && v->kind == AIB__V_IP && v->u.ip->prefix == 8);
    v = attr(es, "User", "alice", "score");
    CHECK(v && v->kind == AIB__V_DECIMAL && v->u.i == 22500);
    v = attr(es, "User", "alice", "born");
    CHECK(v && v->kind == AIB__V_DATETIME && v->u.i == 1577836800000LL);
    v = attr(es, "User", "alice", "wait");
    CHECK(v && v->kind == AIB__V_DURATION && v->u.i == 3600000);
    v = attr(es, "User", "alice", "friends");
    CHECK(v && v->kind == AIB__V_SET && v->u.set->n == 2);
    /* the schema's actions are in the store, with their groups as ancestors */
    CHECK(in(es, "Action", "read", "Action", "readGroup"));
    CHECK(in(es, "Action", "read", "Action", "topGroup"));
    CHECK(!in(es, "Action", "readGroup", "Action", "read"));
    CHECK_INT(aib_cedar_entities_count(es), 1 + 5);
    CHECK(in(es, "User", "alice", "Group", "g"));
    aib_cedar_entities_free(es);
    aib_cedar_schema_free(s);
}

static void expect_schema_error(const aib_cedar_schema_t *s, const char *text, const char *needle, int line)
{
    char msg[1024];
    int rc = 0;
    aib_cedar_entities_t *es = load(text, s, msg, sizeof(msg), &rc);
    if (es) {
        aib_test_fail(__FILE__, line, "accepted, expected an error with \"%s\"", needle);
        aib_cedar_entities_free(es);
        return;
    }
    if (!contains(msg, needle))
        aib_test_fail(__FILE__, line, "message \"%s\" lacks \"%s\"", msg, needle);
}

#define ALICE(attrs, parents) \
    "[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},\"attrs\":{" attrs "},\"parents\":[" parents "]}]"

TEST(entities_schema_errors)
{
    aib_cedar_schema_t *s = schema();
    if (!s)
        return;
    expect_schema_error(s, ALICE("\"name\":\"A\",\"age\":\"old\"", ""),
                        "entities.json: entity User::\"alice\", attribute `age`: expected long, found string",
                        __LINE__);
    expect_schema_error(s, ALICE("\"age\":3", ""), "to have attribute `name`", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"zzz\":3", ""), "attribute `zzz`", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"manager\":{\"type\":\"Group\",\"id\":\"g\"}", ""),
                        "expected `User`", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"manager\":\"User::\\\"b\\\"\"", ""),
                        "literal entity reference", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"ip\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"1.0\"}}", ""),
                        "expected ipaddr, found decimal", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"ip\":5", ""), "ip", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"tags\":[1]", ""), "expected string, found long", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"tags\":\"x\"", ""), "expected set of string", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"addr\":{}", ""), "attribute `city`", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"addr\":{\"city\":\"c\",\"q\":1}", ""),
                        "record attribute `q` should not exist", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\",\"team\":{\"type\":\"Team\",\"id\":\"green\"}", ""),
                        "enumerated", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\"", "{\"type\":\"User\",\"id\":\"x\"}"),
                        "ancestor of type `User`", __LINE__);
    expect_schema_error(s, ALICE("\"name\":\"A\"", "{\"type\":\"Nope\",\"id\":\"x\"}"),
                        "ancestor of type `Nope`", __LINE__);
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Nope\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]",
                        "not declared in the schema", __LINE__);
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Team\",\"id\":\"green\"},\"attrs\":{},\"parents\":[]}]",
                        "not declared as a valid eid", __LINE__);
    aib_cedar_schema_free(s);
}

TEST(entities_schema_tags_and_actions)
{
    char msg[1024];
    int rc;
    aib_cedar_schema_t *s = schema();
    aib_cedar_entities_t *es;
    if (!s)
        return;
    es = load("[{\"uid\":{\"type\":\"Doc\",\"id\":\"d\"},\"attrs\":{\"owner\":{\"type\":\"User\",\"id\":\"a\"}},"
              "\"parents\":[],\"tags\":{\"a\":1,\"b\":2}},"
              "{\"uid\":{\"type\":\"Team\",\"id\":\"red\"},\"attrs\":{},\"parents\":[]},"
              "{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},\"parents\":["
              "{\"type\":\"Action\",\"id\":\"readGroup\"},{\"type\":\"Action\",\"id\":\"midGroup\"},"
              "{\"type\":\"Action\",\"id\":\"topGroup\"}]}]",
              s, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    if (es) {
        aib__uid_t d = U("Doc", "d");
        const aib__entity_t *e = aib__entities_find(es, &d);
        CHECK(e && e->tags->n == 2);
        CHECK(in(es, "Action", "read", "Action", "topGroup"));
        aib_cedar_entities_free(es);
    } else {
        printf("  %s\n", msg);
    }
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Doc\",\"id\":\"d\"},\"attrs\":{\"owner\":{\"type\":\"User\",\"id\":\"a\"}},"
                           "\"parents\":[],\"tags\":{\"a\":\"x\"}}]",
                        "tag `a`", __LINE__);
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Group\",\"id\":\"g\"},\"attrs\":{},\"parents\":[],\"tags\":{\"a\":1}}]",
                        "no tags should exist", __LINE__);
    /* an action given in the data must match the schema after the data's own closure */
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},\"parents\":["
                           "{\"type\":\"Action\",\"id\":\"readGroup\"},{\"type\":\"Action\",\"id\":\"midGroup\"}]}]",
                        "does not match its schema declaration", __LINE__);
    es = load("[{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},\"parents\":["
              "{\"type\":\"Action\",\"id\":\"readGroup\"},{\"type\":\"Action\",\"id\":\"midGroup\"}]},"
              "{\"uid\":{\"type\":\"Action\",\"id\":\"midGroup\"},\"attrs\":{},\"parents\":["
              "{\"type\":\"Action\",\"id\":\"topGroup\"}]}]",
              s, msg, sizeof(msg), &rc);
    CHECK(es != NULL);
    aib_cedar_entities_free(es);
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Action\",\"id\":\"nothing\"},\"attrs\":{\"x\":1},\"parents\":[]}]",
                        "does not match its schema declaration", __LINE__);
    expect_schema_error(s, "[{\"uid\":{\"type\":\"Action\",\"id\":\"zz\"},\"attrs\":{},\"parents\":[]}]",
                        "not declared as an action", __LINE__);
    aib_cedar_schema_free(s);
}

/* ---- Requests -------------------------------------------------------------------------------- */

static int req(const char *text, const aib_cedar_schema_t *s, bool validate, aib_arena_t *a,
               aib_cedar_request_t **r, char *msg, size_t cap)
{
    aib_diag_t d;
    int rc;
    aib_diag_clear(&d);
    rc = aib_cedar_request_parse(text, strlen(text), s, validate, a, r, &d);
    msg[0] = '\0';
    if (rc != 0)
        aib_diag_format(&d, msg, cap);
    return rc;
}

TEST(request_forms_without_schema)
{
    char msg[1024];
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_request_t *r = NULL;
    int rc = req("{\"principal\":\"User::\\\"alice\\\"\",\"action\":{\"__entity\":{\"type\":\"Action\",\"id\":\"read\"}},"
                 "\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},\"description\":\"ignored\"}",
                 NULL, true, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK(aib_str_eq_cstr(r->principal->id, "alice"));
        CHECK(aib_str_eq_cstr(r->action->type, "Action"));
        CHECK(aib_str_eq_cstr(r->resource->type, "Doc"));
        CHECK(r->context.kind == AIB__V_RECORD && r->context.u.rec->n == 0);
    } else {
        printf("  %s\n", msg);
    }
    rc = req("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":\"Action\",\"id\":\"r\"},"
             "\"resource\":{\"type\":\"U\",\"id\":\"a\"},\"context\":{\"x\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"::1\"}}}}",
             NULL, false, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, 0);
    rc = req("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":\"Action\",\"id\":\"r\"}}", NULL,
             false, a, &r, msg, sizeof(msg));
    CHECK(rc != 0);
    CHECK_MSG(msg, "resource");
    rc = req("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":\"Action\",\"id\":\"r\"},"
             "\"resource\":{\"type\":\"U\",\"id\":\"a\"},\"context\":[1]}",
             NULL, false, a, &r, msg, sizeof(msg));
    CHECK(rc != 0);
    rc = req("{\"principal\":{\"type\":\"U\",\"id\":\"a\"},\"action\":{\"type\":\"Action\",\"id\":\"r\"},"
             "\"resource\":{\"type\":\"U\",\"id\":\"a\"},\"context\":{\"__entity\":{\"type\":\"U\",\"id\":\"a\"}}}",
             NULL, false, a, &r, msg, sizeof(msg));
    CHECK(rc != 0);
    rc = req("{\"principal\":", NULL, false, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, AIB_EPARSE);
    CHECK_MSG(msg, "request:1:");
    aib_arena_free(a);
}

#define RQ(p, act, res, ctx)                                                                   \
    "{\"principal\":{\"type\":\"" p "\",\"id\":\"alice\"},\"action\":{\"type\":\"Action\",\"id\":\"" act \
    "\"},\"resource\":" res ",\"context\":" ctx "}"

TEST(request_validation)
{
    char msg[1024];
    aib_arena_t *a = aib_arena_new(0);
    aib_cedar_request_t *r = NULL;
    aib_cedar_schema_t *s = schema();
    int rc;
    if (!s) {
        aib_arena_free(a);
        return;
    }
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\",\"who\":{\"type\":\"User\",\"id\":\"b\"}}"),
             s, true, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, 0);
    if (rc == 0) {
        const aib__value_t *v = aib__record_get(r->context.u.rec, AIB_STR_LIT("ip"));
        CHECK(v && v->kind == AIB__V_IP);
        v = aib__record_get(r->context.u.rec, AIB_STR_LIT("who"));
        CHECK(v && v->kind == AIB__V_ENTITY);
    } else {
        printf("  %s\n", msg);
    }
    rc = req(RQ("User", "read", "{\"type\":\"Team\",\"id\":\"red\"}", "{\"ip\":\"1.2.3.4\"}"), s, true, a, &r,
             msg, sizeof(msg));
    CHECK_INT(rc, 0);
    rc = req(RQ("User", "read", "{\"type\":\"Team\",\"id\":\"green\"}", "{\"ip\":\"1.2.3.4\"}"), s, true, a, &r,
             msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    CHECK_MSG(msg, "enumerated");
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\",\"t\":{\"type\":\"Team\",\"id\":\"x\"}}"),
             s, true, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    rc = req(RQ("User", "write", "{\"type\":\"Doc\",\"id\":\"d\"}", "{}"), s, true, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    CHECK_MSG(msg, "not declared in the schema");
    rc = req(RQ("Group", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\"}"), s, true, a, &r,
             msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    CHECK_MSG(msg, "principal type `Group` is not valid");
    rc = req(RQ("Nope", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\"}"), s, true, a, &r,
             msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    rc = req(RQ("User", "read", "{\"type\":\"User\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\"}"), s, true, a, &r,
             msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    CHECK_MSG(msg, "resource type");
    rc = req(RQ("User", "nothing", "{\"type\":\"Doc\",\"id\":\"d\"}", "{}"), s, true, a, &r, msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    /* context shape: missing / extra attributes are errors even without validation */
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{}"), s, false, a, &r, msg, sizeof(msg));
    CHECK(rc != 0);
    CHECK_MSG(msg, "attribute `ip`");
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\",\"zz\":1}"), s, false,
             a, &r, msg, sizeof(msg));
    CHECK(rc != 0);
    /* wrong attribute type: only request validation rejects it */
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\",\"n\":\"x\"}"), s, true,
             a, &r, msg, sizeof(msg));
    CHECK_INT(rc, AIB_ESCHEMA);
    CHECK_MSG(msg, "expected long, found string");
    rc = req(RQ("User", "read", "{\"type\":\"Doc\",\"id\":\"d\"}", "{\"ip\":\"1.2.3.4\",\"n\":\"x\"}"), s, false,
             a, &r, msg, sizeof(msg));
    CHECK_INT(rc, 0);
    /* without validation anything goes as long as it parses */
    rc = req(RQ("Nope", "write", "{\"type\":\"Nope\",\"id\":\"d\"}", "{\"q\":1}"), s, false, a, &r, msg,
             sizeof(msg));
    CHECK_INT(rc, 0);
    aib_cedar_schema_free(s);
    aib_arena_free(a);
}
