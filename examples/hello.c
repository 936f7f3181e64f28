/*
 * hello.c -- the smallest WASI program for wvm.
 *
 * Prints a greeting and the result of a small deterministic computation,
 * so a run shows both output and real work.  Rebuild hello.wasm with
 * `make -C examples` (needs clang-14, lld-14, wasi-libc and
 * libclang-rt-14-dev-wasm32).
 */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    uint64_t sum = 0;
    for (uint32_t i = 1; i <= 1000; i++)
        sum += (uint64_t)i * i;           /* 1^2 + ... + 1000^2 */
    printf("hello from wvm\n");
    printf("sum of squares 1..1000 = %llu\n", (unsigned long long)sum);
    for (int i = 1; i < argc; i++)
        printf("arg %d: %s\n", i, argv[i]);
    return 0;
}
