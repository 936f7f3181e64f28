/*
 * chaintest.h -- helpers of the contract-system tests: fresh state
 * directories under build/, addresses from small numbers.
 */
#ifndef WVM_CHAINTEST_H
#define WVM_CHAINTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm_chain.h"
#include "../unit/test.h"

/* Allocation failure on demand (failalloc.c): the n-th allocation by the
 * library's own code from now fails (n = 0: the next), once; -1: none.
 * Single-threaded tests only.  ct_fail_happened: whether it has. */
void ct_fail_after(long n);
bool ct_fail_happened(void);

/* A fresh, empty directory path build/chaintest/NAME (removed first). */
static inline const char *ct_dir(const char *name) {
    static char buf[512];
    char cmd[600];
    snprintf(buf, sizeof buf, "build/chaintest/%s", name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p build/chaintest", buf);
    if (system(cmd) != 0) return NULL;
    return buf;
}

static inline wvm_address ct_addr(uint32_t n) {
    wvm_address a;
    memset(&a, 0, sizeof a);
    a.b[0] = 0xa0;
    a.b[16] = (uint8_t)(n >> 24);
    a.b[17] = (uint8_t)(n >> 16);
    a.b[18] = (uint8_t)(n >> 8);
    a.b[19] = (uint8_t)n;
    return a;
}

/* A test contract converted by the Makefile (CT_WASM_DIR/NAME.wasm). */
static inline unsigned char *ct_wasm(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", CT_WASM_DIR, name);
    return test_read_file(path, len);
}

/* Opens a fresh chain in build/chaintest/NAME (no_sync: tests). */
static inline wvm_chain *ct_chain(const char *name, uint32_t max_code) {
    const char *dir = ct_dir(name);
    if (!dir) return NULL;
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.no_sync = true;
    if (max_code) cfg.max_code_bytes = max_code;
    wvm_chain *c = NULL;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) {
        printf("open %s: %s\n", dir, err ? err : "?");
        free(err);
        return NULL;
    }
    return c;
}

/* The block time most tests give the next block: 10 x its height. */
static inline uint64_t ct_next_time(wvm_chain *c) { return 10 * (wvm_chain_height(c) + 1); }

/* Whether two receipts say the same: kind, message, result, fuel and
 * every event (what the store keeps of a receipt). */
static inline bool ct_same_receipt(const wvm_receipt *x, const wvm_receipt *y) {
    if (x->height != y->height || x->index != y->index || x->kind != y->kind ||
        strcmp(x->message, y->message) || strcmp(x->result, y->result) ||
        x->fuel_used != y->fuel_used || x->nevents != y->nevents)
        return false;
    for (uint32_t i = 0; i < x->nevents; i++) {
        const wvm_event *p = &x->events[i], *q = &y->events[i];
        if (memcmp(&p->contract, &q->contract, sizeof p->contract) || strcmp(p->name, q->name) ||
            strcmp(p->attributes, q->attributes) || p->height != q->height ||
            p->tx_index != q->tx_index || p->index != q->index)
            return false;
    }
    return true;
}

/* Runs one call in a block of its own at the next height and block time
 * `time`, and commits it; the receipt (the caller frees it), or NULL when
 * the call could not run (the block's message printed; the block
 * aborted) or the commit failed.  The receipt wvm_call gave back must be
 * the one stored (wvm_call makes it from memory): a test fails if not. */
static inline wvm_receipt *ct_call(wvm_chain *c, uint64_t time, const wvm_call_args *a) {
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, time, &b)) return NULL;
    wvm_receipt *r = NULL;
    if (wvm_call(b, a, &r)) {
        printf("wvm_call: %s\n", wvm_block_errmsg(b));
        wvm_block_abort(b);
        return NULL;
    }
    if (wvm_block_commit(b, NULL)) {
        wvm_receipt_free(r);
        return NULL;
    }
    wvm_receipt *stored = NULL;
    if (r && (wvm_chain_receipt(c, r->height, r->index, &stored) || !ct_same_receipt(r, stored)))
        test_fail(__FILE__, __LINE__, "the receipt of %s differs from the stored one", a->function);
    wvm_receipt_free(stored);
    return r;
}

#endif
