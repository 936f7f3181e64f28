/*
 * mem.h -- the one allocator of the runtime (private).  Every allocation
 * goes through the embedder's wvm_allocator (the C library's by default),
 * so a test can make the Nth allocation fail and check each failure path.
 * A NULL allocator means the C library's.
 */
#ifndef WVM_WASM_MEM_H
#define WVM_WASM_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

static inline void *mem_realloc(const wvm_allocator *a, void *p, size_t n) {
    if (a && a->realloc) return a->realloc(a->user, p, n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, n);
}

static inline void *mem_alloc(const wvm_allocator *a, size_t n) {
    return mem_realloc(a, NULL, n ? n : 1);
}

/* Zeroed; NULL when count * size overflows. */
static inline void *mem_calloc(const wvm_allocator *a, size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    size_t n = count * size;
    void *p = mem_alloc(a, n);
    if (p) memset(p, 0, n ? n : 1);
    return p;
}

static inline void mem_free(const wvm_allocator *a, void *p) {
    if (p) mem_realloc(a, p, 0);
}

#endif
