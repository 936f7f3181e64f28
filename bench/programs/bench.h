/* bench.h -- the interface of ../shared/bench/bench.h, for wvm's own extra
 * benchmark programs: each defines `static uint64_t bench(void)` and says
 * BENCH_MAIN(bench).  The command build prints the checksum as 16 hex
 * digits; the reactor build (-DREACTOR) exports run() returning it. */
#ifndef WVM_BENCH_H
#define WVM_BENCH_H
#include <stdint.h>
#include <string.h>

#ifdef REACTOR
#define BENCH_MAIN(fn) __attribute__((export_name("run"))) uint64_t run(void) { return fn(); }
#else
#include <stdio.h>
#define BENCH_MAIN(fn) int main(void) { printf("%016llx\n", (unsigned long long)fn()); return 0; }
#endif

/* xorshift64, the deterministic data generator */
static inline uint64_t xs64(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}
#endif
