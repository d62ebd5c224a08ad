/* test_value.c — entity uids, value order and equality, canonical sets and records, text and
 * JSON forms, and `like` pattern matching (src/cedar/value.c). */
#include "test.h"
#include "cedar/cedar_int.h"

#include <stdlib.h>

static aib_str_t S(const char *s)
{
    aib_str_t r = { s, strlen(s) };
    return r;
}

static aib__value_t vstr(const char *s)
{
    aib__value_t v;
    v.kind = AIB__V_STRING;
    v.u.s = S(s);
    return v;
}

static aib__value_t vent(aib_arena_t *a, const char *type, const char *id)
{
    aib__value_t v;
    v.kind = AIB__V_ENTITY;
    v.u.uid = aib__uid_new(a, S(type), S(id));
    return v;
}

static aib__value_t vext(int kind, int64_t i)
{
    aib__value_t v;
    v.kind = (uint8_t)kind;
    v.u.i = i;
    return v;
}

static aib__value_t vset(aib_arena_t *a, const aib__value_t *items, size_t n)
{
    aib__value_t v;
    v.kind = AIB__V_SET;
    v.u.set = aib__set_make(a, items, n);
    return v;
}

static aib__value_t vip(aib_arena_t *a, const char *text)
{
    aib__value_t v;
    aib__ipaddr_t *ip = aib_arena_alloc(a, sizeof(*ip));
    v.kind = AIB__V_IP;
    v.u.ip = ip;
    if (aib__ip_parse(text, strlen(text), ip) != 0)
        memset(ip, 0, sizeof(*ip));
    return v;
}

/* Formats with aib__value_format into a static buffer. */
static const char *fmt(const aib__value_t *v)
{
    static char out[512];
    aib_buf_t b;
    aib_buf_init(&b);
    if (aib__value_format(v, &b) != 0)
        snprintf(out, sizeof(out), "(error)");
    else
        snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return out;
}

static const char *json(const aib__value_t *v)
{
    static char out[512];
    aib_buf_t b;
    aib_buf_init(&b);
    if (aib__value_json(v, &b) != 0)
        snprintf(out, sizeof(out), "(error)");
    else
        snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
    aib_buf_free(&b);
    return out;
}

TEST(value_hash_bytes_distinguishes)
{
    uint64_t h1 = aib__hash_bytes("abc", 3, 0), h2 = aib__hash_bytes("abd", 3, 0);
    CHECK(h1 != h2);
    CHECK(aib__hash_bytes("abc", 3, 0) == h1);
    CHECK(aib__hash_bytes("abc", 3, 1) != h1);
    CHECK(aib__hash_bytes("", 0, 0) != aib__hash_bytes("\0", 1, 0));
    CHECK(aib__hash_bytes("12345678abc", 11, 7) != aib__hash_bytes("12345678abd", 11, 7));
    CHECK(aib__hash_bytes(NULL, 0, 5) == aib__hash_bytes("", 0, 5));
}

TEST(value_uid_basics)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__uid_t *u1 = aib__uid_new(a, S("User"), S("alice"));
    aib__uid_t *u2 = aib__uid_new(a, S("User"), S("alice"));
    aib__uid_t *u3 = aib__uid_new(a, S("User"), S("bob"));
    aib__uid_t *u4 = aib__uid_new(a, S("Use"), S("ralice"));
    aib__uid_t *u5 = aib__uid_new(a, S("A"), S("B::x"));
    aib__uid_t *u6 = aib__uid_new(a, S("A::B"), S("x"));
    aib_str_t nul_id = { "a\0b", 3 };
    aib__uid_t *u7 = aib__uid_new(a, S("T"), nul_id);
    aib__uid_t *u8 = aib__uid_new(a, S("T"), S("a"));

    CHECK(u1 && u2 && u3 && u4 && u5 && u6 && u7 && u8);
    CHECK(u1 != u2);
    CHECK(aib__uid_eq(u1, u2));
    CHECK(u1->hash == u2->hash);
    CHECK(u1->hash == aib__uid_hash(S("User"), S("alice")));
    CHECK(!aib__uid_eq(u1, u3));
    CHECK(!aib__uid_eq(u1, u4));
    CHECK(u1->hash != u4->hash);
    CHECK(u5->hash != u6->hash);
    CHECK(!aib__uid_eq(u5, u6));
    CHECK(!aib__uid_eq(u7, u8));
    CHECK_INT(u7->id.len, 3);
    CHECK(u7->id.ptr[1] == '\0');
    aib_arena_free(a);
}

TEST(value_uid_format_escapes)
{
    aib_arena_t *a = aib_arena_new(0);
    aib_buf_t b;
    aib_str_t id = { "a\"b\\c\nd\te\0f\x01g'\x7f", 15 };
    aib__uid_t *u = aib__uid_new(a, S("NS::User"), id);
    aib_buf_init(&b);
    CHECK_INT(aib__uid_format(u, &b), 0);
    CHECK_STR(b.data, "NS::User::\"a\\\"b\\\\c\\nd\\te\\0f\\u{1}g\\'\\u{7f}\"");
    aib_buf_clear(&b);
    u = aib__uid_new(a, S("T"), S("h\xc3\xa9llo \xe2\x82\xac"));
    CHECK_INT(aib__uid_format(u, &b), 0);
    CHECK_STR(b.data, "T::\"h\xc3\xa9llo \xe2\x82\xac\"");
    aib_buf_clear(&b);
    u = aib__uid_new(a, S("T"), S("\xc2\x85x\r"));
    CHECK_INT(aib__uid_format(u, &b), 0);
    CHECK_STR(b.data, "T::\"\\u{85}x\\r\"");
    aib_buf_clear(&b);
    u = aib__uid_new(a, S("T"), S(""));
    CHECK_INT(aib__uid_format(u, &b), 0);
    CHECK_STR(b.data, "T::\"\"");
    aib_buf_free(&b);
    aib_arena_free(a);
}

TEST(value_is_action_type)
{
    CHECK(aib__is_action_type(S("Action")));
    CHECK(aib__is_action_type(S("NS::Action")));
    CHECK(aib__is_action_type(S("A::B::Action")));
    CHECK(!aib__is_action_type(S("action")));
    CHECK(!aib__is_action_type(S("MyAction")));
    CHECK(!aib__is_action_type(S("NS:Action")));
    CHECK(!aib__is_action_type(S("::Action")));
    CHECK(!aib__is_action_type(S("Actions")));
    CHECK(!aib__is_action_type(S("")));
}

TEST(value_cmp_across_kinds_never_equal)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t vals[10];
    size_t i, j;
    vals[0] = aib__v_bool(true);
    vals[1] = aib__v_long(1);
    vals[2] = vstr("1");
    vals[3] = vent(a, "T", "1");
    vals[4] = vset(a, vals, 1);
    {
        aib__field_t f = { S("a"), aib__v_long(1) };
        aib__record_t *r;
        CHECK_INT(aib__record_make(a, &f, 1, &r, NULL), 0);
        vals[5].kind = AIB__V_RECORD;
        vals[5].u.rec = r;
    }
    vals[6] = vext(AIB__V_DECIMAL, 10000);
    vals[7] = vip(a, "0.0.0.1");
    vals[8] = vext(AIB__V_DATETIME, 1);
    vals[9] = vext(AIB__V_DURATION, 1);
    for (i = 0; i < 10; i++) {
        for (j = 0; j < 10; j++) {
            int c = aib__value_cmp(&vals[i], &vals[j]);
            int d = aib__value_cmp(&vals[j], &vals[i]);
            if (i == j) {
                CHECK_INT(c, 0);
            } else {
                CHECK(c != 0);
                CHECK((c < 0) == (d > 0));
                CHECK(!aib__value_eq(&vals[i], &vals[j]));
            }
        }
    }
    /* datetime and duration with the same number differ, as do decimal and long */
    CHECK(!aib__value_eq(&vals[8], &vals[9]));
    aib_arena_free(a);
}

TEST(value_cmp_scalars)
{
    aib__value_t x, y;
    x = aib__v_long(-5);
    y = aib__v_long(3);
    CHECK(aib__value_cmp(&x, &y) < 0);
    CHECK(aib__value_cmp(&y, &x) > 0);
    x = aib__v_long(INT64_MIN);
    y = aib__v_long(INT64_MAX);
    CHECK(aib__value_cmp(&x, &y) < 0);
    x = aib__v_bool(false);
    y = aib__v_bool(true);
    CHECK(aib__value_cmp(&x, &y) < 0);
    CHECK(aib__value_eq(&y, &y));
    x = vstr("abc");
    y = vstr("abd");
    CHECK(aib__value_cmp(&x, &y) < 0);
    y = vstr("ab");
    CHECK(aib__value_cmp(&x, &y) > 0);
    y = vstr("abc");
    CHECK(aib__value_eq(&x, &y));
    {
        aib__value_t n1, n2;
        n1.kind = n2.kind = AIB__V_STRING;
        n1.u.s = (aib_str_t){ "a\0b", 3 };
        n2.u.s = (aib_str_t){ "a\0c", 3 };
        CHECK(!aib__value_eq(&n1, &n2));
        n2.u.s = (aib_str_t){ "a", 1 };
        CHECK(!aib__value_eq(&n1, &n2));
    }
    /* decimals compare numerically: 1.0 and 1.0000 are the same value */
    {
        int64_t d1, d2;
        CHECK_INT(aib__decimal_parse("1.0", 3, &d1), 0);
        CHECK_INT(aib__decimal_parse("1.0000", 6, &d2), 0);
        x = vext(AIB__V_DECIMAL, d1);
        y = vext(AIB__V_DECIMAL, d2);
        CHECK(aib__value_eq(&x, &y));
        CHECK_INT(aib__decimal_parse("-0.5", 4, &d2), 0);
        y = vext(AIB__V_DECIMAL, d2);
        CHECK(aib__value_cmp(&y, &x) < 0);
    }
}

TEST(value_cmp_entities)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t x = vent(a, "User", "a"), y = vent(a, "User", "a"), z = vent(a, "Group", "a");
    aib__value_t w = vent(a, "User", "b");
    CHECK(x.u.uid != y.u.uid);
    CHECK(aib__value_eq(&x, &y));
    CHECK(!aib__value_eq(&x, &z));
    CHECK(!aib__value_eq(&x, &w));
    CHECK(aib__value_cmp(&x, &w) < 0);
    CHECK(aib__value_cmp(&z, &x) < 0);
    aib_arena_free(a);
}

TEST(value_cmp_ipaddr_structural)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t x = vip(a, "10.0.0.1"), y = vip(a, "10.0.0.1/32");
    aib__value_t p24a = vip(a, "10.0.0.1/24"), p24b = vip(a, "10.0.0.0/24");
    aib__value_t v6a = vip(a, "::1"), v6b = vip(a, "0:0:0:0:0:0:0:1/128"), v6c = vip(a, "::1/127");
    aib__value_t v4z = vip(a, "0.0.0.0"), v6z = vip(a, "::");
    CHECK(aib__value_eq(&x, &y));
    CHECK(!aib__value_eq(&p24a, &p24b));
    CHECK(!aib__value_eq(&x, &p24a));
    CHECK(aib__value_eq(&v6a, &v6b));
    CHECK(!aib__value_eq(&v6a, &v6c));
    CHECK(!aib__value_eq(&v4z, &v6z));
    aib_arena_free(a);
}

TEST(value_set_canonical)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t items[6], s1, s2, s3, e;
    items[0] = aib__v_long(3);
    items[1] = aib__v_long(1);
    items[2] = aib__v_long(3);
    items[3] = vstr("x");
    items[4] = aib__v_long(1);
    items[5] = aib__v_bool(true);
    s1 = vset(a, items, 6);
    CHECK(s1.u.set != NULL);
    CHECK_INT(s1.u.set->n, 4);
    for (size_t i = 1; i < s1.u.set->n; i++)
        CHECK(aib__value_cmp(&s1.u.set->items[i - 1], &s1.u.set->items[i]) < 0);
    /* same elements, different order and multiplicity: equal sets */
    {
        aib__value_t other[4] = { vstr("x"), aib__v_bool(true), aib__v_long(1), aib__v_long(3) };
        s2 = vset(a, other, 4);
        CHECK(aib__value_eq(&s1, &s2));
        s3 = vset(a, other, 3);
        CHECK(!aib__value_eq(&s1, &s3));
    }
    CHECK(aib__set_contains(s1.u.set, &items[0]));
    CHECK(aib__set_contains(s1.u.set, &items[3]));
    {
        aib__value_t missing = aib__v_long(2), wrong_kind = vstr("1");
        CHECK(!aib__set_contains(s1.u.set, &missing));
        CHECK(!aib__set_contains(s1.u.set, &wrong_kind));
    }
    e = vset(a, NULL, 0);
    CHECK(e.u.set && e.u.set->n == 0);
    CHECK(!aib__set_contains(e.u.set, &items[0]));
    CHECK(!aib__value_eq(&e, &s1));
    CHECK(aib__value_eq(&e, &e));
    /* sets of sets and entity sets canonicalise too */
    {
        aib__value_t inner[2] = { s1, s2 }, outer = vset(a, inner, 2);
        aib__value_t ents[3] = { vent(a, "U", "b"), vent(a, "U", "a"), vent(a, "U", "b") };
        aib__value_t es = vset(a, ents, 3);
        CHECK_INT(outer.u.set->n, 1);
        CHECK_INT(es.u.set->n, 2);
        CHECK(aib_str_eq_cstr(es.u.set->items[0].u.uid->id, "a"));
    }
    aib_arena_free(a);
}

TEST(value_set_of_decimals_dedupes_numerically)
{
    aib_arena_t *a = aib_arena_new(0);
    int64_t d1 = 0, d2 = 0;
    aib__value_t items[2], s;
    CHECK_INT(aib__decimal_parse("1.5", 3, &d1), 0);
    CHECK_INT(aib__decimal_parse("1.50", 4, &d2), 0);
    items[0] = vext(AIB__V_DECIMAL, d1);
    items[1] = vext(AIB__V_DECIMAL, d2);
    s = vset(a, items, 2);
    CHECK_INT(s.u.set->n, 1);
    items[0] = vip(a, "1.2.3.4");
    items[1] = vip(a, "1.2.3.4/32");
    s = vset(a, items, 2);
    CHECK_INT(s.u.set->n, 1);
    aib_arena_free(a);
}

TEST(value_record_make_and_get)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__field_t f[4] = {
        { S("b"), aib__v_long(2) }, { S("a"), aib__v_long(1) }, { S("c"), vstr("three") }, { S(""), aib__v_bool(false) }
    };
    aib__record_t *r = NULL, *r2 = NULL;
    aib_str_t dup = { NULL, 0 };
    const aib__value_t *got;

    CHECK_INT(aib__record_make(a, f, 4, &r, &dup), 0);
    CHECK(r != NULL);
    CHECK_INT(r->n, 4);
    CHECK(aib_str_eq_cstr(r->fields[0].key, ""));
    CHECK(aib_str_eq_cstr(r->fields[1].key, "a"));
    CHECK(aib_str_eq_cstr(r->fields[3].key, "c"));
    got = aib__record_get(r, S("b"));
    CHECK(got && got->kind == AIB__V_LONG && got->u.i == 2);
    got = aib__record_get(r, S(""));
    CHECK(got && got->kind == AIB__V_BOOL);
    CHECK(aib__record_get(r, S("d")) == NULL);
    CHECK(aib__record_get(r, S("aa")) == NULL);
    CHECK(aib__record_get(NULL, S("a")) == NULL);

    /* duplicate keys are reported with the key */
    {
        aib__field_t d[3] = { { S("x"), aib__v_long(1) }, { S("y"), aib__v_long(2) }, { S("x"), aib__v_long(3) } };
        aib__record_t *rd = (aib__record_t *)1;
        CHECK_INT(aib__record_make(a, d, 3, &rd, &dup), AIB_EEXIST);
        CHECK(rd == NULL);
        CHECK(aib_str_eq_cstr(dup, "x"));
    }
    /* small records are scanned, larger ones searched: every size finds each key and no other,
     * including keys that share a length or a prefix with a present one */
    {
        static const char *const keys[] = { "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07",
                                             "k08", "k09", "k10", "k11", "k12", "k13", "k14", "k15",
                                             "k16", "k17", "k18", "k19" };
        aib__field_t big[20];
        size_t n, i;
        for (n = 0; n <= 20; n++) {
            aib__record_t *rb = NULL;
            for (i = 0; i < n; i++) {
                big[i].key = (aib_str_t){ keys[n - 1 - i], 3 };
                big[i].val = aib__v_long((int64_t)(n - 1 - i));
            }
            CHECK_INT(aib__record_make(a, big, n, &rb, &dup), 0);
            for (i = 0; rb && i < 20; i++) {
                got = aib__record_get(rb, (aib_str_t){ keys[i], 3 });
                if (i < n)
                    CHECK(got && got->kind == AIB__V_LONG && got->u.i == (int64_t)i);
                else
                    CHECK(got == NULL);
                CHECK(aib__record_get(rb, (aib_str_t){ keys[i], 2 }) == NULL);
            }
            CHECK(rb && aib__record_get(rb, S("k000")) == NULL);
            CHECK(rb && aib__record_get(rb, S("z00")) == NULL);
        }
    }
    /* empty record */
    CHECK_INT(aib__record_make(a, NULL, 0, &r2, NULL), 0);
    CHECK(r2 && r2->n == 0);
    CHECK(aib__record_get(r2, S("a")) == NULL);

    /* equality: same keys and values regardless of written order */
    {
        aib__field_t g[4] = { f[3], f[2], f[1], f[0] };
        aib__record_t *r3;
        aib__value_t v1, v2, v3;
        CHECK_INT(aib__record_make(a, g, 4, &r3, NULL), 0);
        v1.kind = v2.kind = v3.kind = AIB__V_RECORD;
        v1.u.rec = r;
        v2.u.rec = r3;
        v3.u.rec = r2;
        CHECK(aib__value_eq(&v1, &v2));
        CHECK(!aib__value_eq(&v1, &v3));
        g[0].val = aib__v_bool(true);
        CHECK_INT(aib__record_make(a, g, 4, &r3, NULL), 0);
        v2.u.rec = r3;
        CHECK(!aib__value_eq(&v1, &v2));
        /* a subset of the keys is not equal */
        CHECK_INT(aib__record_make(a, g + 1, 3, &r3, NULL), 0);
        v2.u.rec = r3;
        CHECK(!aib__value_eq(&v1, &v2));
    }
    aib_arena_free(a);
}

TEST(value_vkind_names)
{
    CHECK_STR(aib__vkind_name(AIB__V_BOOL), "bool");
    CHECK_STR(aib__vkind_name(AIB__V_LONG), "long");
    CHECK_STR(aib__vkind_name(AIB__V_STRING), "string");
    CHECK_STR(aib__vkind_name(AIB__V_ENTITY), "entity");
    CHECK_STR(aib__vkind_name(AIB__V_SET), "set");
    CHECK_STR(aib__vkind_name(AIB__V_RECORD), "record");
    CHECK_STR(aib__vkind_name(AIB__V_DECIMAL), "decimal");
    CHECK_STR(aib__vkind_name(AIB__V_IP), "ipaddr");
    CHECK_STR(aib__vkind_name(AIB__V_DATETIME), "datetime");
    CHECK_STR(aib__vkind_name(AIB__V_DURATION), "duration");
}

TEST(value_format_cedar_syntax)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t v, items[3];
    aib__field_t f[2];
    aib__record_t *r;

    v = aib__v_long(-42);
    CHECK_STR(fmt(&v), "-42");
    v = aib__v_long(INT64_MIN);
    CHECK_STR(fmt(&v), "-9223372036854775808");
    v = aib__v_bool(true);
    CHECK_STR(fmt(&v), "true");
    v = vstr("a\"b\n");
    CHECK_STR(fmt(&v), "\"a\\\"b\\n\"");
    v = vent(a, "NS::T", "x");
    CHECK_STR(fmt(&v), "NS::T::\"x\"");
    items[0] = aib__v_long(2);
    items[1] = aib__v_long(1);
    items[2] = vstr("s");
    v = vset(a, items, 3);
    CHECK_STR(fmt(&v), "[1, 2, \"s\"]");
    v = vset(a, NULL, 0);
    CHECK_STR(fmt(&v), "[]");
    f[0].key = S("z");
    f[0].val = aib__v_long(1);
    f[1].key = S("a b");
    f[1].val = vset(a, items, 1);
    CHECK_INT(aib__record_make(a, f, 2, &r, NULL), 0);
    v.kind = AIB__V_RECORD;
    v.u.rec = r;
    CHECK_STR(fmt(&v), "{\"a b\": [2], \"z\": 1}");
    v = vext(AIB__V_DECIMAL, 12300);
    CHECK_STR(fmt(&v), "decimal(\"1.2300\")");
    v = vext(AIB__V_DECIMAL, -5000);
    CHECK_STR(fmt(&v), "decimal(\"-0.5000\")");
    v = vip(a, "10.0.0.1/24");
    CHECK_STR(fmt(&v), "ip(\"10.0.0.1/24\")");
    v = vip(a, "10.0.0.1");
    CHECK_STR(fmt(&v), "ip(\"10.0.0.1\")");
    v = vext(AIB__V_DATETIME, 0);
    CHECK_STR(fmt(&v), "datetime(\"1970-01-01\")");
    v = vext(AIB__V_DURATION, -3600000);
    CHECK_STR(fmt(&v), "duration(\"-3600000ms\")");
    aib_arena_free(a);
}

TEST(value_json_form)
{
    aib_arena_t *a = aib_arena_new(0);
    aib__value_t v, items[2];
    aib__field_t f[2];
    aib__record_t *r;

    v = aib__v_long(7);
    CHECK_STR(json(&v), "7");
    v = aib__v_bool(false);
    CHECK_STR(json(&v), "false");
    v = vstr("q\"\n");
    CHECK_STR(json(&v), "\"q\\\"\\n\"");
    v = vent(a, "A::B", "i\"d");
    CHECK_STR(json(&v), "{\"__entity\":{\"type\":\"A::B\",\"id\":\"i\\\"d\"}}");
    items[0] = vip(a, "192.168.0.0/16");
    items[1] = vext(AIB__V_DECIMAL, -12345);
    v = vset(a, items, 2);
    CHECK_STR(json(&v), "[{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"-1.2345\"}},"
                        "{\"__extn\":{\"fn\":\"ip\",\"arg\":\"192.168.0.0/16\"}}]");
    f[0].key = S("when");
    f[0].val = vext(AIB__V_DATETIME, 1704067200000LL + 3723004);
    f[1].key = S("d");
    f[1].val = vext(AIB__V_DURATION, 90061001);
    CHECK_INT(aib__record_make(a, f, 2, &r, NULL), 0);
    v.kind = AIB__V_RECORD;
    v.u.rec = r;
    CHECK_STR(json(&v), "{\"d\":{\"__extn\":{\"fn\":\"duration\",\"arg\":\"90061001ms\"}},"
                        "\"when\":{\"__extn\":{\"fn\":\"datetime\",\"arg\":\"2024-01-01T01:02:03.004Z\"}}}");
    aib_arena_free(a);
}

/* ---- like patterns ------------------------------------------------------------------------ */

/* Builds a pattern from text where '*' is a wildcard and "\\*" a literal star (one element per
 * literal character run, as the parser produces). */
static aib__pattern_t mkpat(aib_arena_t *a, const char *text)
{
    aib__pattern_t p;
    size_t n = strlen(text), i, k = 0;
    p.elems = aib_arena_calloc(a, n + 1, sizeof(aib__pelem_t));
    for (i = 0; i < n;) {
        if (text[i] == '*') {
            p.elems[k].star = 1;
            k++;
            i++;
            continue;
        }
        {
            char *buf = aib_arena_alloc(a, n + 1);
            size_t bl = 0;
            while (i < n && text[i] != '*') {
                if (text[i] == '\\' && i + 1 < n && text[i + 1] == '*') {
                    buf[bl++] = '*';
                    i += 2;
                } else {
                    buf[bl++] = text[i++];
                }
            }
            p.elems[k].star = 0;
            p.elems[k].lit = (aib_str_t){ buf, bl };
            k++;
        }
    }
    p.n = k;
    return p;
}

static bool like(aib_arena_t *a, const char *s, const char *pat)
{
    aib__pattern_t p = mkpat(a, pat);
    return aib__pattern_match(&p, S(s));
}

TEST(value_like_basic)
{
    aib_arena_t *a = aib_arena_new(0);
    CHECK(like(a, "", ""));
    CHECK(!like(a, "a", ""));
    CHECK(like(a, "", "*"));
    CHECK(like(a, "", "**"));
    CHECK(like(a, "abc", "*"));
    CHECK(like(a, "abc", "abc"));
    CHECK(!like(a, "abc", "ab"));
    CHECK(!like(a, "ab", "abc"));
    CHECK(like(a, "abc", "a*"));
    CHECK(like(a, "abc", "*c"));
    CHECK(like(a, "abc", "a*c"));
    CHECK(like(a, "ac", "a*c"));
    CHECK(!like(a, "ab", "a*c"));
    CHECK(like(a, "abc", "*b*"));
    CHECK(like(a, "abc", "*a*b*c*"));
    CHECK(!like(a, "abc", "*c*b*"));
    CHECK(like(a, "aaa", "a*a"));
    CHECK(!like(a, "a", "a*a"));
    CHECK(like(a, "aa", "a*a"));
    CHECK(like(a, "abab", "*ab"));
    CHECK(like(a, "ababab", "a*bab"));
    CHECK(!like(a, "abab", "*ba"));
    CHECK(like(a, "mississippi", "*iss*ppi"));
    CHECK(like(a, "mississippi", "m*issip*"));
    CHECK(!like(a, "mississippi", "m*issip*x"));
    CHECK(like(a, "xyz.pdf", "*.pdf"));
    CHECK(!like(a, "xyz.pdfx", "*.pdf"));
    CHECK(like(a, "overlap", "over*lap"));
    CHECK(!like(a, "overlap", "overl*lap"));
    aib_arena_free(a);
}

TEST(value_like_escaped_star_is_literal)
{
    aib_arena_t *a = aib_arena_new(0);
    CHECK(like(a, "*", "\\*"));
    CHECK(!like(a, "a", "\\*"));
    CHECK(like(a, "a*b", "a\\*b"));
    CHECK(!like(a, "axb", "a\\*b"));
    CHECK(like(a, "x*yz", "*\\**"));
    CHECK(!like(a, "xyz", "*\\**"));
    aib_arena_free(a);
}

TEST(value_like_split_literals_and_nul)
{
    aib_arena_t *a = aib_arena_new(0);
    /* consecutive literal elements (e.g. a run split at an escape) behave as one literal */
    aib__pelem_t el[5];
    aib__pattern_t p;
    el[0].star = 1;
    el[1].star = 0;
    el[1].lit = S("ab");
    el[2].star = 0;
    el[2].lit = S("*c");
    el[3].star = 1;
    el[4].star = 0;
    el[4].lit = S("z");
    p.elems = el;
    p.n = 5;
    CHECK(aib__pattern_match(&p, S("xxab*cyyz")));
    CHECK(aib__pattern_match(&p, S("ab*cz")));
    CHECK(!aib__pattern_match(&p, S("abx*cz")));
    CHECK(!aib__pattern_match(&p, S("ab*c")));
    CHECK(aib__pattern_match(&p, S("aab*ab*cz")));
    /* strings with NUL bytes */
    el[0].star = 0;
    el[0].lit = (aib_str_t){ "a\0", 2 };
    el[1].star = 1;
    p.n = 2;
    CHECK(aib__pattern_match(&p, (aib_str_t){ "a\0bc", 4 }));
    CHECK(!aib__pattern_match(&p, (aib_str_t){ "a", 1 }));
    /* unicode: a wildcard matches whole characters */
    CHECK(like(a, "h\xc3\xa9llo", "h*llo"));
    CHECK(like(a, "\xe2\x82\xac", "*"));
    CHECK(like(a, "a\xe2\x82\xac" "b", "a*b"));
    aib_arena_free(a);
}

TEST(value_like_no_exponential_blowup)
{
    aib_arena_t *a = aib_arena_new(0);
    size_t n = 200000, i;
    char *s = malloc(n + 1), *pat = malloc(4 * 200 + 2);
    size_t pl = 0;
    memset(s, 'a', n);
    s[n] = '\0';
    for (i = 0; i < 200; i++) {
        pat[pl++] = '*';
        pat[pl++] = 'a';
    }
    pat[pl++] = 'b';
    pat[pl++] = '*';
    pat[pl] = '\0';
    CHECK(!like(a, s, pat));
    pat[pl - 2] = 'a';
    CHECK(like(a, s, pat));
    pat[pl - 1] = 'c';
    CHECK(!like(a, s, pat));
    free(s);
    free(pat);
    aib_arena_free(a);
}
