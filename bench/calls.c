/*
 * calls.c -- what tracing and profiling cost a cross-contract call
 * (docs/calls.md): a three-level query A -> B -> C (tests/calls/probe.c)
 * run with tracing off, tracing on and the folded profile on, in
 * interleaved rounds so that machine noise falls on all three alike;
 * prints the median microseconds per call of each.
 *
 *   make bench-calls        (build/bench-calls BUILD [ROUNDS] [CALLS])
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "wvm_chain.h"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *build = argc > 1 ? argv[1] : "build";
    int rounds = argc > 2 ? atoi(argv[2]) : 15, calls = argc > 3 ? atoi(argv[3]) : 200;
    char path[512], dir[512], cmd[600];
    snprintf(path, sizeof path, "%s/calls-wasm/probe.wasm", build);
    snprintf(dir, sizeof dir, "%s/bench-calls-state", build);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench-calls: no %s (make chain-tests builds it)\n", path);
        return 1;
    }
    static uint8_t code[1 << 20];
    size_t len = fread(code, 1, sizeof code, f);
    fclose(f);
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.no_sync = true;
    wvm_chain *c;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) {
        fprintf(stderr, "bench-calls: %s\n", err ? err : "open failed");
        return 1;
    }
    wvm_address addr[3];
    char hex[3][43];
    for (int i = 0; i < 3; i++) {
        wvm_block *b;
        uint8_t salt = (uint8_t)(i + 1);
        wvm_deploy_args d = { .code = code, .code_len = len, .salt = &salt, .salt_len = 1 };
        wvm_receipt *r = NULL;
        if (wvm_block_begin(c, (uint64_t)i + 1, 10, &b) || wvm_deploy(b, &d, &addr[i], &r) ||
            wvm_block_commit(b, NULL)) {
            fprintf(stderr, "bench-calls: deploy failed\n");
            return 1;
        }
        wvm_receipt_free(r);
        wvm_address_hex(&addr[i], hex[i]);
    }
    char params[512];
    snprintf(params, sizeof params,
             "{\"target\":\"%s\",\"function\":\"Relay\",\"params\":\"{\\\"target\\\":\\\"%s\\\","
             "\\\"function\\\":\\\"Info\\\",\\\"params\\\":\\\"{}\\\"}\"}", hex[1], hex[2]);
    static const char *const names[3] = { "tracing off", "tracing on", "folded profile" };
    double *t[3];
    for (int m = 0; m < 3; m++) t[m] = calloc((size_t)rounds, sizeof *t[m]);
    uint64_t fuel[3] = { 0 };
    for (int r = 0; r < rounds; r++)
        for (int m = 0; m < 3; m++) {
            wvm_call_args a = { .contract = addr[0], .function = "Relay", .params = params,
                                .trace = m == 1, .profile = m == 2 };
            int n = m == 2 ? calls / 10 + 1 : calls;
            double t0 = now_us();
            for (int k = 0; k < n; k++) {
                wvm_receipt *rc = NULL;
                if (wvm_query(c, &a, &rc) || rc->kind != WVM_KIND_NONE) {
                    fprintf(stderr, "bench-calls: the call failed\n");
                    return 1;
                }
                fuel[m] = rc->fuel_used;
                wvm_receipt_free(rc);
            }
            t[m][r] = (now_us() - t0) / n;
        }
    printf("A -> B -> C query, %d rounds interleaved, median us per call:\n", rounds);
    for (int m = 0; m < 3; m++) {
        qsort(t[m], (size_t)rounds, sizeof *t[m], cmp);
        printf("  %-15s %9.1f us  (fuel %llu)\n", names[m], t[m][rounds / 2], (unsigned long long)fuel[m]);
        free(t[m]);
    }
    wvm_chain_close(c);
    return 0;
}
