/* test_schema.c — unit tests of the schema parsers and name resolution (schema*.c): both
 * syntaxes, the reference's lookup order, builtins and shadowing, error places, limits. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "cedar/cedar_int.h"

static aib_cedar_schema_t *parse(const char *text, bool json, aib_diag_t *d)
{
    aib_cedar_schema_t *s = NULL;
    aib_diag_clear(d);
    int rc = aib_cedar_schema_parse(text, strlen(text), json, "t.cedarschema", &s, d);
    if (rc)
        return NULL;
    return s;
}

/* Parses text and expects an error whose message contains want. Returns the error code. */
static int expect_err(const char *text, bool json, const char *want, aib_diag_t *d)
{
    aib_cedar_schema_t *s = NULL;
    aib_diag_clear(d);
    int rc = aib_cedar_schema_parse(text, strlen(text), json, "t.cedarschema", &s, d);
    if (rc == 0) {
        aib_cedar_schema_free(s);
        aib_test_fail(__FILE__, __LINE__, "expected an error for: %s", text);
        return 0;
    }
    if (want && !strstr(d->msg, want))
        aib_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", d->msg, want);
    return rc;
}

static const aib__entity_type_t *ent(const aib_cedar_schema_t *s, const char *name)
{
    return aib__schema_entity_type(s, (aib_str_t){ name, strlen(name) });
}

static const aib__action_t *act(const aib_cedar_schema_t *s, const char *type, const char *id)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__uid_t *u = aib__uid_new(a, (aib_str_t){ type, strlen(type) }, (aib_str_t){ id, strlen(id) });
    const aib__action_t *r = aib__schema_action(s, u);
    aib_arena_free(a);
    return r;
}

/* Formats t into a static buffer (tests only). */
static const char *fmt(const aib__type_t *t)
{
    static char out[512];
    aib_buf_t b;
    aib_buf_init(&b);
    aib__type_format(t, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return out;
}

static const aib__type_t *attr(const aib__type_t *rec, const char *name)
{
    for (size_t i = 0; rec && i < rec->n_attrs; i++)
        if (aib_str_eq_cstr(rec->attrs[i].name, name))
            return rec->attrs[i].type;
    return NULL;
}

TEST(schema_text_basic)
{
    aib_diag_t d;
    const char *src =
        "// a comment\n"
        "namespace App {\n"
        "  @doc(\"users\") entity User in [Group] = { name: String, age?: Long, \"the tags\": Set<String> };\n"
        "  entity Group, Team in Group;\n"
        "  entity Doc { owner: User, ip: ipaddr, price: decimal, at: datetime, d: duration } tags String;\n"
        "  entity Color enum [\"red\", \"green\", \"red\"];\n"
        "  type Ctx = { ip: __cedar::ipaddr, flag: Bool };\n"
        "  action read, \"write\" appliesTo { principal: [User, Team], resource: Doc, context: Ctx };\n"
        "  action all;\n"
        "  action edit in [read, Action::\"write\", App::Action::\"all\"] appliesTo { principal: User, resource: [Doc], };\n"
        "}\n";
    aib_cedar_schema_t *s = parse(src, false, &d);
    CHECK(s != NULL);
    if (!s) {
        printf("%s\n", d.msg);
        return;
    }
    CHECK_INT(s->n_entity_types, 5);
    /* sorted by name */
    CHECK(aib_str_eq_cstr(s->entity_types[0].name, "App::Color"));
    CHECK(aib_str_eq_cstr(s->entity_types[4].name, "App::User"));
    const aib__entity_type_t *u = ent(s, "App::User");
    CHECK(u && u->n_member_of == 1 && aib_str_eq_cstr(u->member_of[0], "App::Group"));
    CHECK_STR(fmt(u->attrs), "{age?: Long, name: String, \"the tags\": Set<String>}");
    CHECK(u->n_annotations == 1 && aib_str_eq_cstr(u->annotations[0].key, "doc") &&
          strcmp(u->annotations[0].value.ptr, "users") == 0);
    const aib__entity_type_t *team = ent(s, "App::Team");
    CHECK(team && team->n_member_of == 1);
    const aib__entity_type_t *doc = ent(s, "App::Doc");
    CHECK_STR(fmt(doc->attrs), "{at: datetime, d: duration, ip: ipaddr, owner: App::User, price: decimal}");
    CHECK(doc->tags && doc->tags->kind == AIB__T_STRING);
    const aib__entity_type_t *col = ent(s, "App::Color");
    CHECK_INT(col->n_enum, 2);
    CHECK(ent(s, "User") == NULL);
    CHECK_INT(s->n_actions, 4);
    const aib__action_t *rd = act(s, "App::Action", "read");
    CHECK(rd && rd->n_principals == 2 && rd->n_resources == 1);
    CHECK_STR(fmt(rd->context), "{flag: Bool, ip: ipaddr}");
    const aib__action_t *ed = act(s, "App::Action", "edit");
    CHECK(ed && ed->n_member_of == 3);
    CHECK(ed && ed->member_of[1] == act(s, "App::Action", "write")->uid);
    const aib__action_t *all = act(s, "App::Action", "all");
    CHECK(all && !all->has_applies_to && all->n_principals == 0 && all->context->kind == AIB__T_RECORD);
    CHECK(act(s, "Action", "read") == NULL);
    CHECK_INT(s->n_common_types, 1);
    CHECK(aib_str_eq_cstr(s->common_types[0].name, "App::Ctx"));
    aib_cedar_schema_free(s);
}

TEST(schema_resolution_order)
{
    aib_diag_t d;
    /* common types win over entity types in the same namespace; the current namespace wins
     * over the empty one; `Long` can be taken by an entity in a namespace */
    aib_cedar_schema_t *s = parse("namespace N { entity X; type X = Long; entity Long; "
                                  "entity A { x: X, l: Long, s: String, c: __cedar::Long, e: E }; }\n"
                                  "entity E;", false, &d);
    CHECK(s != NULL);
    if (s) {
        const aib__entity_type_t *a = ent(s, "N::A");
        CHECK_STR(fmt(a->attrs), "{c: Long, e: E, l: N::Long, s: String, x: N::Long}");
        aib_cedar_schema_free(s);
    }
    /* declaring `String` as an entity in the empty namespace hides the builtin alias */
    s = parse("entity String; entity A { s: String, t: __cedar::String };", false, &d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(fmt(ent(s, "A")->attrs), "{s: String, t: String}");
        CHECK(attr(ent(s, "A")->attrs, "s")->kind == AIB__T_ENTITY);
        CHECK(attr(ent(s, "A")->attrs, "t")->kind == AIB__T_STRING);
        aib_cedar_schema_free(s);
    }
    /* a common type may be shadowed by an entity type of the current namespace */
    s = parse("type T = Long; namespace N { entity T2; entity A { t: T }; }", false, &d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(fmt(ent(s, "N::A")->attrs), "{t: Long}");
        aib_cedar_schema_free(s);
    }
    /* common types referring to common types, and `Action` as an entity type */
    s = parse("namespace N { type A = {b: B}; type B = Set<C>; type C = Action; action a; "
              "entity E { a: A }; }", false, &d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(fmt(ent(s, "N::E")->attrs), "{a: {b: Set<N::Action>}}");
        aib_cedar_schema_free(s);
    }
    /* action parents: unqualified names try the namespace then the empty namespace */
    s = parse("action \"y\"; namespace N { action a in Action::\"y\"; action b in [\"c\", c]; action c; }",
              false, &d);
    CHECK(s != NULL);
    if (s) {
        const aib__action_t *a = act(s, "N::Action", "a");
        CHECK(a && a->n_member_of == 1 && aib_str_eq_cstr(a->member_of[0]->type, "Action"));
        const aib__action_t *b = act(s, "N::Action", "b");
        CHECK(b && b->n_member_of == 1); /* duplicates collapse */
        aib_cedar_schema_free(s);
    }
}

TEST(schema_text_errors)
{
    aib_diag_t d;
    expect_err("entity A", false, "expected `;`", &d);
    CHECK_INT(d.line, 1);
    expect_err("entity A {\n  x: Long,\n  y Long };", false, "expected `:`", &d);
    CHECK_INT(d.line, 3);
    CHECK_INT(d.col, 5);
    CHECK_STR(d.file, "t.cedarschema");
    expect_err("entity if;", false, "reserved", &d);
    expect_err("entity A { in: Long };", false, "reserved", &d);
    expect_err("entity A; entity A;", false, "declared twice", &d);
    expect_err("action a, \"a\";", false, "declared twice", &d);
    expect_err("type T = Long; type T = String;", false, "declared twice", &d);
    expect_err("namespace N {} namespace N {}", false, "duplicate namespace", &d);
    expect_err("type Long = String;", false, "reserved", &d);
    expect_err("type Boolean = String;", false, "reserved", &d);
    expect_err("namespace __cedar { entity A; }", false, "__cedar", &d);
    expect_err("namespace A::__cedar { entity A; }", false, "__cedar", &d);
    expect_err("entity __cedar;", false, "__cedar", &d);
    expect_err("entity Action;", false, "Action", &d);
    expect_err("entity A { b: B };", false, "failed to resolve type `B`", &d);
    expect_err("namespace N { entity A { b: B }; }", false, "neither `N::B` nor `B`", &d);
    expect_err("entity A in B;", false, "failed to resolve", &d);
    expect_err("entity A; action a appliesTo { principal: A, resource: B };", false, "B", &d);
    expect_err("entity A; action a appliesTo { principal: [], resource: A };", false, "`[]`", &d);
    expect_err("entity A; action a appliesTo { resource: A };", false, "missing `principal`", &d);
    expect_err("entity A; action a appliesTo { principal: A };", false, "missing `resource`", &d);
    expect_err("entity A; action a appliesTo { principal: A, principal: A, resource: A };", false,
               "duplicate", &d);
    expect_err("action a appliesTo { };", false, "expected", &d);
    expect_err("action a in b;", false, "undeclared action", &d);
    expect_err("action a in b; action b in a;", false, "cycle in action hierarchy", &d);
    expect_err("action a in a;", false, "cycle", &d);
    expect_err("type T = T;", false, "cycle in common type", &d);
    expect_err("type T = {a: U}; type U = Set<T>;", false, "cycle in common type", &d);
    expect_err("type C = Long; entity A; action a appliesTo { principal: A, resource: A, context: C };",
               false, "other than a record", &d);
    expect_err("entity A; action a appliesTo { principal: A, resource: A, context: A };", false,
               "as a common type", &d);
    expect_err("type T = Long; entity A = T;", false, "expected `{`", &d);
    expect_err("entity A; namespace N { entity A; }", false, "illegally shadows", &d);
    expect_err("type A = Long; namespace N::M { entity A; }", false, "illegally shadows", &d);
    expect_err("action a; namespace N { action a; }", false, "illegally shadows", &d);
    expect_err("entity A enum [];", false, "string literal", &d);
    expect_err("entity A enum [\"\\q\"];", false, "escape", &d);
    expect_err("entity A { a: Set<Long };", false, "expected `>`", &d);
    expect_err("entity A; entity B in [A,];", false, "entity type name", &d);
    expect_err("@a @a entity A;", false, "duplicate annotation", &d);
    expect_err("entity A { x: Long } 5;", false, NULL, &d);
    expect_err("entity A \"x\";", false, NULL, &d);
    expect_err("entity A { x: \"unterminated };", false, "unterminated", &d);
    expect_err("entity A { x: ipaddr::y };", false, "ipaddr::y", &d);
    expect_err("entity A; action a appliesTo { principal: Action, resource: A };", false, "Action", &d);
    expect_err("action r; entity A in Action;", false, "Action", &d);
    expect_err("entity A\xff;", false, "UTF-8", &d);
}

TEST(schema_text_accepts)
{
    aib_diag_t d;
    static const char *const ok[] = {
        "",
        "// only a comment",
        "entity A; entity B in [];",
        "entity A = {};",
        "entity A {} tags {a: Long};",
        "entity A tags Set<A>;",
        "entity A { a: Long, a: String };", /* the later attribute wins */
        "entity Set; entity B { x: Set };",
        "entity A { namespace: Long, entity: Long, type: Long, Set: Long, enum: Long, __cedar: Long };",
        "action a attributes {};",
        "entity A; action a appliesTo { context: {}, principal: A, resource: A, };",
        "@a @b(\"x\") namespace N { @c entity A { @d x: Long }; @e(\"\") action r; @f type T = Long; }",
        "entity A in A;",
        "namespace A::B { entity C; } entity D { x: A::B::C };",
        "entity A enum [\"a\", \"\\u{1F600}\", \"\\n\\t\\0\\'\\\"\"];",
        "namespace N { entity A; } namespace M { entity B in N::A; }",
        ("entity\tA\r\n;\xc2\xa0" "entity B;"),
        "entity enum enum [\"x\"];",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        aib_cedar_schema_t *s = parse(ok[i], false, &d);
        if (!s)
            aib_test_fail(__FILE__, __LINE__, "rejected %s: %s", ok[i], d.msg);
        aib_cedar_schema_free(s);
    }
    aib_cedar_schema_t *s = parse("entity A { a: Long, a: String };", false, &d);
    if (s) {
        CHECK_STR(fmt(ent(s, "A")->attrs), "{a: String}");
        aib_cedar_schema_free(s);
    }
    s = parse("entity A enum [\"\\u{1F600}\"];", false, &d);
    if (s) {
        CHECK(aib_str_eq_cstr(ent(s, "A")->enum_ids[0], "\xf0\x9f\x98\x80"));
        aib_cedar_schema_free(s);
    }
}

TEST(schema_json_basic)
{
    aib_diag_t d;
    const char *src =
        "{\"\": {\"commonTypes\": {\"C\": {\"type\": \"Record\", \"attributes\": {"
        "   \"a\": {\"type\": \"Long\"}, \"b\": {\"type\": \"ipaddr\", \"required\": false}}}},"
        "  \"entityTypes\": {\"E\": {}}, \"actions\": {}},"
        " \"N\": {\"annotations\": {\"doc\": \"n\"},"
        "  \"commonTypes\": {\"T\": {\"type\": \"Set\", \"element\": {\"type\": \"C\"}}},"
        "  \"entityTypes\": {"
        "    \"U\": {\"memberOfTypes\": [\"G\"], \"shape\": {\"type\": \"Record\", \"attributes\": {"
        "       \"t\": {\"type\": \"T\"}, \"e\": {\"type\": \"Entity\", \"name\": \"E\"},"
        "       \"x\": {\"type\": \"Extension\", \"name\": \"decimal\"},"
        "       \"o\": {\"type\": \"EntityOrCommon\", \"name\": \"G\", \"annotations\": {\"k\": \"v\"}},"
        "       \"b\": {\"type\": \"Boolean\"}, \"s\": {\"type\": \"String\"}}}, \"tags\": {\"type\": \"Long\"}},"
        "    \"G\": {\"annotations\": {\"a\": \"b\"}},"
        "    \"K\": {\"enum\": [\"x\", \"y\"]}},"
        "  \"actions\": {"
        "    \"read\": {\"appliesTo\": {\"principalTypes\": [\"U\"], \"resourceTypes\": [\"G\", \"N::U\"],"
        "               \"context\": {\"type\": \"C\"}}},"
        "    \"all\": {},"
        "    \"w\": {\"memberOf\": [{\"id\": \"read\"}, {\"id\": \"all\", \"type\": \"N::Action\"}],"
        "            \"appliesTo\": {\"principalTypes\": [], \"resourceTypes\": []}}}}}";
    aib_cedar_schema_t *s = parse(src, true, &d);
    CHECK(s != NULL);
    if (!s) {
        printf("%s\n", d.msg);
        return;
    }
    CHECK_INT(s->n_entity_types, 4);
    const aib__entity_type_t *u = ent(s, "N::U");
    CHECK(u && u->n_member_of == 1 && aib_str_eq_cstr(u->member_of[0], "N::G"));
    CHECK_STR(fmt(u->attrs), "{b: Bool, e: E, o: N::G, s: String, t: Set<{a: Long, b?: ipaddr}>, x: decimal}");
    CHECK(u->tags && u->tags->kind == AIB__T_LONG);
    CHECK_INT(ent(s, "N::K")->n_enum, 2);
    const aib__action_t *r = act(s, "N::Action", "read");
    CHECK(r && r->has_applies_to && r->n_resources == 2);
    CHECK_STR(fmt(r->context), "{a: Long, b?: ipaddr}");
    const aib__action_t *w = act(s, "N::Action", "w");
    CHECK(w && w->n_member_of == 2 && w->n_principals == 0);
    CHECK(!act(s, "N::Action", "all")->has_applies_to);
    aib_cedar_schema_free(s);
}

TEST(schema_json_errors)
{
    aib_diag_t d;
    expect_err("[]", true, "object", &d);
    expect_err("{\"\": {\"entityTypes\": {}}}", true, "actions", &d);
    expect_err("{\"\": {\"actions\": {}}}", true, "entityTypes", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {}, \"foo\": 1}}", true, "unknown field `foo`", &d);
    expect_err("{\"N::\": {\"entityTypes\": {}, \"actions\": {}}}", true, "invalid namespace", &d);
    expect_err("{\"\": {\"entityTypes\": {\"if\": {}}, \"actions\": {}}}", true, "invalid entity type name", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Long\"}}}, \"actions\": {}}}", true,
               "other than a record", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\"}}}, \"actions\": {}}}", true,
               "attributes", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
               "\"x\": {\"type\": \"Set\"}}}}}, \"actions\": {}}}", true, "element", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
               "\"x\": {\"type\": \"Long\", \"name\": \"A\"}}}}}, \"actions\": {}}}", true, "name", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
               "\"x\": {\"type\": \"Extension\", \"name\": \"foo\"}}}}}, \"actions\": {}}}", true,
               "unknown extension type", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
               "\"x\": {\"type\": \"Entity\", \"name\": \"Long\"}}}}}, \"actions\": {}}}", true,
               "as an entity type", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {},"
               "\"additionalAttributes\": true}}}, \"actions\": {}}}", true, "additionalAttributes", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {}, \"commonTypes\": {\"T\": {\"type\": \"Long\","
               "\"required\": true}}}}", true, "required", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"enum\": [\"a\"], \"memberOfTypes\": []}}, \"actions\": {}}}",
               true, "memberOfTypes", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"enum\": []}}, \"actions\": {}}}", true, "enum", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"appliesTo\": {}}}}}", true,
               "principalTypes", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"attributes\": {}}}}}", true,
               "attributes", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"b\", \"x\": 1}]}}}}",
               true, "unknown field `x`", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"zz\"}]}}}}", true,
               "undeclared action", &d);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"a\"}]}}}}", true,
               "cycle", &d);
    expect_err("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {"
               "\"x\": {\"type\": \"Long\", \"required\": 1}}}}}, \"actions\": {}}}", true, "boolean", &d);
    int rc = expect_err("{\"\": {\"entityTypes\": {}", true, "invalid JSON", &d);
    CHECK_INT(rc, AIB_EPARSE);
    expect_err("{\"\": {\"entityTypes\": {}, \"actions\": {}}, \"\": {\"entityTypes\": {}, \"actions\": {}}}",
               true, NULL, &d);
}

TEST(schema_json_nul_names)
{
    aib_diag_t d;
    /* NUL inside attribute and action names (jansson cannot hold it in keys directly) */
    aib_cedar_schema_t *s = parse("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", "
                                  "\"attributes\": {\"a\\u0000b\": {\"type\": \"Long\"}}}}}, "
                                  "\"actions\": {\"x\\u0000\": {\"memberOf\": [{\"id\": \"y\"}]}, \"y\": {}}}}",
                                  true, &d);
    CHECK(s != NULL);
    if (!s) {
        printf("%s\n", d.msg);
        return;
    }
    const aib__type_t *r = ent(s, "A")->attrs;
    CHECK(r->n_attrs == 1 && r->attrs[0].name.len == 3 && memcmp(r->attrs[0].name.ptr, "a\0b", 3) == 0);
    CHECK(s->n_actions == 2 && s->actions[0].uid->id.len == 2 && s->actions[0].n_member_of == 1);
    aib_cedar_schema_free(s);
}

TEST(schema_limits)
{
    aib_diag_t d;
    /* deeply nested types are refused, not a crash */
    size_t n = 5000;
    char *s = malloc(n * 5 + 64);
    size_t k = 0;
    memcpy(s + k, "entity A { a: ", 14);
    k += 14;
    for (size_t i = 0; i < n; i++) {
        memcpy(s + k, "Set<", 4);
        k += 4;
    }
    s[k++] = 'A';
    for (size_t i = 0; i < n; i++)
        s[k++] = '>';
    memcpy(s + k, " };", 4); /* includes the terminator */
    k += 3;
    CHECK_INT(expect_err(s, false, "deeply", &d), AIB_ELIMIT);
    free(s);
    /* a long chain of common types through aliases */
    aib_buf_t b;
    aib_buf_init(&b);
    for (int i = 0; i < 3000; i++)
        aib_buf_printf(&b, "type T%d = T%d;\n", i, i + 1);
    aib_buf_printf(&b, "type T3000 = Long;\n");
    aib_cedar_schema_t *sc = NULL;
    int rc = aib_cedar_schema_parse(b.data, b.len, false, NULL, &sc, &d);
    CHECK(rc == 0 || rc == AIB_ELIMIT);
    aib_cedar_schema_free(sc);
    aib_buf_free(&b);
    /* a long action chain is fine (no recursion) */
    aib_buf_init(&b);
    for (int i = 0; i < 20000; i++)
        aib_buf_printf(&b, "action a%d in a%d;\n", i, i + 1);
    aib_buf_printf(&b, "action a20000;\n");
    sc = NULL;
    rc = aib_cedar_schema_parse(b.data, b.len, false, NULL, &sc, &d);
    CHECK_INT(rc, 0);
    if (sc)
        CHECK_INT(sc->n_actions, 20001);
    aib_cedar_schema_free(sc);
    aib_buf_free(&b);
}

TEST(schema_type_format)
{
    aib_diag_t d;
    aib_cedar_schema_t *s = parse("entity A { \"a b\"?: Set<{x: A}>, c: Bool };", false, &d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(fmt(ent(s, "A")->attrs), "{\"a b\"?: Set<{x: A}>, c: Bool}");
        aib_cedar_schema_free(s);
    }
}
