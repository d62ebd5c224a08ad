/* test_util.c — arena, buffer, diagnostics and integer parsing. */
#include "test.h"
#include "aib/arena.h"

TEST(arena_alloc_aligned_and_reset)
{
    aib_arena_t *a = aib_arena_new(128);
    void *p, *q, *big;
    CHECK(a != NULL);
    p = aib_arena_alloc(a, 3);
    q = aib_arena_alloc(a, 5);
    CHECK(((uintptr_t)p & 15) == 0 && ((uintptr_t)q & 15) == 0);
    CHECK(p != q);
    big = aib_arena_alloc(a, 10000);
    CHECK(big != NULL);
    memset(big, 1, 10000);
    CHECK(aib_arena_used(a) >= 10000);
    aib_arena_reset(a);
    CHECK_INT(aib_arena_used(a), 0);
    CHECK(aib_arena_alloc(a, 16) != NULL);
    aib_arena_free(a);
}

TEST(arena_alloc_bytes_packs_and_keeps_alignment)
{
    aib_arena_t *a = aib_arena_new(100); /* not a multiple of 16 on purpose */
    char *s1, *s2, *big;
    void *al;
    int i;
    CHECK(a != NULL);
    s1 = aib_arena_alloc_bytes(a, 3);
    s2 = aib_arena_alloc_bytes(a, 5);
    CHECK(s1 != NULL && s2 != NULL);
    CHECK(s2 == s1 + 3); /* packed, no padding */
    memcpy(s1, "ab", 3);
    memcpy(s2, "wxyz", 5);
    CHECK_INT(aib_arena_used(a), 8);
    al = aib_arena_alloc(a, 8); /* an aligned allocation after unaligned ones */
    CHECK(al != NULL && ((uintptr_t)al & 15) == 0);
    CHECK((char *)al >= s2 + 5);
    CHECK(aib_arena_alloc_bytes(a, 0) != NULL);
    for (i = 0; i < 200; i++) { /* spills into new chunks; every aligned block stays aligned */
        char *b = aib_arena_alloc_bytes(a, (size_t)(i % 7) + 1);
        void *q = aib_arena_alloc(a, 24);
        CHECK(b != NULL && q != NULL && ((uintptr_t)q & 15) == 0);
        memset(b, 'x', (size_t)(i % 7) + 1);
        memset(q, 0, 24);
    }
    big = aib_arena_alloc_bytes(a, 5000);
    CHECK(big != NULL);
    memset(big, 1, 5000);
    CHECK_STR(s1, "ab");
    CHECK_STR(s2, "wxyz");
    aib_arena_reset(a);
    CHECK_INT(aib_arena_used(a), 0);
    CHECK(aib_arena_alloc_bytes(a, 1) != NULL);
    CHECK(((uintptr_t)aib_arena_alloc(a, 1) & 15) == 0);
    aib_arena_free(a);
}

TEST(buf_json_escapes)
{
    aib_buf_t b;
    aib_buf_init(&b);
    CHECK_INT(aib_buf_json_str(&b, "a\"b\\c\n\x01", 7), 0);
    CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
    aib_buf_clear(&b);
    CHECK_INT(aib_buf_printf(&b, "%d-%s", 42, "x"), 0);
    CHECK_STR(b.data, "42-x");
    aib_buf_free(&b);
}

TEST(parse_i64_bounds)
{
    int64_t v;
    CHECK_INT(aib_parse_i64("9223372036854775807", 19, &v), 0);
    CHECK(v == INT64_MAX);
    CHECK_INT(aib_parse_i64("-9223372036854775808", 20, &v), 0);
    CHECK(v == INT64_MIN);
    CHECK_INT(aib_parse_i64("9223372036854775808", 19, &v), AIB_EINVAL);
    CHECK_INT(aib_parse_i64("12a", 3, &v), AIB_EINVAL);
    CHECK_INT(aib_parse_i64("-", 1, &v), AIB_EINVAL);
}

TEST(diag_format_has_place)
{
    aib_diag_t d;
    char buf[256];
    aib_diag_clear(&d);
    aib_diag_set(&d, "p.cedar", 3, 7, "expected `%s`", ";");
    aib_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "p.cedar:3:7: expected `;`");
}
