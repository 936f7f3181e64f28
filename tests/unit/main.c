/*
 * main.c -- runs the unit tests registered with TEST() (see test.h).
 *
 *   unit-tests [SUBSTRING...]   runs the tests whose names contain any of
 *                               the substrings (all tests without one)
 *
 * Prints each failure under its test's name, then "N passed, N failed";
 * exits 1 if any test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

enum { MAX_TESTS = 4096 };

/* The registry is filled by constructors before main; this binary is
 * the only user, so file-scope state is fine here. */
static struct { const char *name; test_fn fn; } tests[MAX_TESTS];
static int ntests, overflow;
static const char *current;      /* name of the running test */
static int current_failures;

void test_register(const char *name, test_fn fn) {
    if (ntests == MAX_TESTS) { overflow++; return; }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
}

void test_fail(const char *file, int line, const char *fmt, ...) {
    if (current_failures++ == 0) printf("FAIL %s\n", current);
    printf("  %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

unsigned char *test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, k;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            unsigned char *q = realloc(buf, cap);
            if (!q) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = q;
        }
        k = fread(buf + n, 1, cap - n, f);
        n += k;
    } while (k > 0);
    fclose(f);
    *len = n;
    return buf;
}

int test_str_eq(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static int selected(const char *name, int argc, char **argv) {
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i])) return 1;
    return 0;
}

int main(int argc, char **argv) {
    int passed = 0, failed = 0;
    if (overflow) {
        printf("FAIL registry: %d tests over MAX_TESTS (%d) were not run\n",
               overflow, MAX_TESTS);
        failed += overflow;
    }
    for (int i = 0; i < ntests; i++) {
        if (!selected(tests[i].name, argc, argv)) continue;
        current = tests[i].name;
        current_failures = 0;
        tests[i].fn();
        if (current_failures) failed++;
        else passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
