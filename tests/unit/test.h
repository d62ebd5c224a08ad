/* test.h — aib's plain unit-test harness: TEST(name) registers a test, CHECK* macros record
 * failures with file:line and keep going; tests/unit/main.c runs everything and ends with
 * "N passed, N failed". */
#ifndef AIB_TEST_H
#define AIB_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>

typedef void (*aib_test_fn)(void);
void aib_test_register(const char *name, aib_test_fn fn, const char *file);
void aib_test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define TEST(name)                                                              \
    static void name(void);                                                     \
    __attribute__((constructor)) static void aib_reg_##name(void)               \
    { aib_test_register(#name, name, __FILE__); }                               \
    static void name(void)

#define CHECK(cond)                                                             \
    do { if (!(cond)) aib_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)

#define CHECK_INT(a, b)                                                         \
    do { long long _a = (long long)(a), _b = (long long)(b);                    \
         if (_a != _b) aib_test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
                                     #a, _a, #b, _b); } while (0)

#define CHECK_STR(a, b)                                                         \
    do { const char *_a = (a), *_b = (b);                                       \
         if (!_a || !_b || strcmp(_a, _b) != 0)                                 \
             aib_test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", \
                           #a, _a ? _a : "(null)", _b ? _b : "(null)"); } while (0)

#endif
