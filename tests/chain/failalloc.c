/*
 * failalloc.c -- allocation failure on demand for the contract-system
 * tests.  chain-tests is linked with --wrap=malloc,calloc,realloc (the
 * Makefile), so the allocations of the library's own code come here
 * (those inside the shared libraries -- LMDB, libcrypto, json-c -- do
 * not).  ct_fail_after(n): the n-th allocation from now fails, once.
 */
#include <stddef.h>
#include "chaintest.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* Allocations left before the one that fails; -1: none fails.  Set only
 * by single-threaded tests, so threads elsewhere only ever read -1. */
static long countdown = -1;
static bool failed;

void ct_fail_after(long n) {
    countdown = n;
    failed = false;
}

bool ct_fail_happened(void) { return failed; }

static bool fail_now(void) {
    if (countdown < 0) return false;
    if (countdown-- > 0) return false;
    failed = true;
    return true;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
