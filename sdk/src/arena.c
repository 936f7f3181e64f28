/*
 * arena.c -- the per-call arena: every allocation of the SDK and the
 * buffers the host asks for through `allocate`.
 *
 * A bump pointer from the linker's __heap_base, growing linear memory a
 * page at a time when needed.  Nothing is freed one by one: wvm_dispatch
 * resets the arena when a call ends, so a contract instance reused for
 * many calls never grows past what one call needed.  The usual
 * allocation is arena_take's inline test in sdk.h; this file has the
 * rest.
 */
#include "sdk.h"

extern unsigned char __heap_base;

#define PAGE 65536u

uint32_t arena_top, arena_end;   /* sdk.h */

static uint32_t arena_start(void) {
    return ((uint32_t)(uintptr_t)&__heap_base + 7u) & ~7u;
}

/* Out of line: the callers inline only arena_take's usual case. */
__attribute__((noinline)) uint32_t arena_more(uint32_t size) {
    if (arena_top == 0)
        arena_top = arena_start();
    uint64_t end = (uint64_t)arena_top + (((uint64_t)size + 7u) & ~7ull);
    if (end > ARENA_LIMIT)
        return 0;
    if (end > arena_end) {
        /* memory never shrinks: what exists now exists for the call */
        uint32_t have = (uint32_t)__builtin_wasm_memory_size(0);
        uint64_t need = (end + PAGE - 1) / PAGE;
        if (need > have && __builtin_wasm_memory_grow(0, (uint32_t)(need - have)) == (size_t)-1)
            return 0;
        uint64_t known = (uint64_t)(need > have ? need : have) * PAGE;
        arena_end = known > ARENA_LIMIT ? ARENA_LIMIT : (uint32_t)known;
    }
    uint32_t p = arena_top;
    arena_top = (uint32_t)end;
    return p;
}

void *arena_alloc(uint32_t size) {
    return memset(arena_raw(size), 0, size);
}

char *arena_strndup(const char *s, uint32_t len) {
    char *d = arena_raw(len + 1);
    memcpy(d, s, len);
    d[len] = 0;
    return d;
}

void arena_reset(void) {
    if (arena_top)   /* else nothing was allocated, and top stays 0 for arena_take */
        arena_top = arena_start();
}

/* The host's `allocate`: 0 when memory is exhausted, which the host
 * reports rather than a trap inside the contract. */
void *wvm_allocate(uint32_t size) {
    uint32_t p = arena_take(size);
    if (p)
        memset((void *)(uintptr_t)p, 0, size);
    return (void *)(uintptr_t)p;
}
