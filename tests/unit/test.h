/*
 * test.h -- a tiny unit test framework.
 *
 *   TEST(name) { ... }      defines a test; it registers itself before
 *                           main runs (a constructor), so a new test file
 *                           needs no list to update.
 *   CHECK(cond)             records a failure (file:line, the expression)
 *                           and carries on.
 *   CHECK_EQ_INT(a, b)      the same for integers, printing both values.
 *   CHECK_EQ_STR(a, b)      the same for strings (NULL allowed).
 *   REQUIRE(cond)           like CHECK, but returns from the test: for
 *                           steps the rest of the test depends on.
 *
 * main.c runs every test (or those whose names contain an argument) and
 * ends with "N passed, N failed".
 */
#ifndef WVM_TEST_H
#define WVM_TEST_H

#include <stddef.h>
#include <stdint.h>

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
/* Records a failure of the running test; printf-style message. */
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads a whole file (paths are relative to the repository root, where
 * the tests run); NULL if it cannot.  Free with free(). */
unsigned char *test_read_file(const char *path, size_t *len);

#define TEST(name) \
    static void test_##name(void); \
    __attribute__((constructor)) static void test_register_##name(void) { \
        test_register(#name, test_##name); \
    } \
    static void test_##name(void)

#define CHECK(cond) do { \
        if (!(cond)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
    } while (0)

#define REQUIRE(cond) do { \
        if (!(cond)) { test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond); return; } \
    } while (0)

#define CHECK_EQ_INT(a, b) do { \
        long long a_ = (long long)(a), b_ = (long long)(b); \
        if (a_ != b_) test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
                                #a, #b, a_, b_); \
    } while (0)

#define CHECK_EQ_STR(a, b) do { \
        const char *a_ = (a), *b_ = (b); \
        if (!test_str_eq(a_, b_)) \
            test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } while (0)

int test_str_eq(const char *a, const char *b);

#endif
