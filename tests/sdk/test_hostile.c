/*
 * test_hostile.c -- the hostile contracts of tests/contracts/hostile/ run
 * against the in-memory host: each must end in a trap or a refusal
 * (never a crash of this process), and the harness's own checks must be
 * the ones that catch it.  The node's host (src/host/) runs the same
 * modules through the call path in its own tests, with the error kinds
 * and the unchanged state root.
 */
#include <stdio.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

/* Runs hostile contract NAME once: its status and its trap text. */
static th *hostile_run(const char *name, uint64_t fuel) {
    char path[256];
    snprintf(path, sizeof path, "tests/contracts/hostile/%s.wasm", name);
    th *h = th_open(path);
    if (!h)
        return NULL;
    wvm_store_set_fuel(h->store, fuel);
    th_call(h, "Run", "{}");
    return h;
}

#define HOSTILE(name, fuel, want_status, want_text) do {                         \
        th *h_ = hostile_run(name, fuel);                                        \
        REQUIRE(h_);                                                             \
        CHECK_EQ_INT(h_->status, want_status);                                   \
        if (!strstr(h_->trap, want_text))                                        \
            test_fail(__FILE__, __LINE__, "%s: \"%s\" not in \"%s\"", name,      \
                      want_text, h_->trap);                                      \
        th_close(h_);                                                            \
    } while (0)

TEST(hostile_contracts_trap) {
    HOSTILE("alloc_oob", 1000000, WVM_OK, "allocate returned 4294967280");
    HOSTILE("alloc_trap", 1000000, WVM_TRAP_UNREACHABLE, "unreachable");
    HOSTILE("ptr_past_memory", 1000000, WVM_TRAP_HOST, "call_host_set: arguments out of bounds");
    HOSTILE("len_near_4g", 1000000, WVM_TRAP_HOST, "call_host_set: arguments out of bounds");
    HOSTILE("get_buffer_oob", 1000000, WVM_TRAP_HOST, "call_host_get_buffer: out of bounds");
    HOSTILE("field_ptr_oob", 1000000, WVM_TRAP_HOST, "object_get_field: out of bounds");
    HOSTILE("name_len_near_4g", 1000000, WVM_TRAP_HOST, "object_set_field: out of bounds");
    HOSTILE("result_too_big", 1000000, WVM_TRAP_HOST, "set_result: result of 65537 bytes");
    HOSTILE("event_too_big", 1000000, WVM_TRAP_HOST, "emit_event: attributes of 16385 bytes");
    HOSTILE("event_flood", 10000000, WVM_TRAP_HOST, "emit_event: more than 1024 events");
    HOSTILE("field_flood", 200000, WVM_TRAP_OUT_OF_FUEL, "out of fuel");
    HOSTILE("trap_after_write", 1000000, WVM_TRAP_UNREACHABLE, "unreachable");
    HOSTILE("infinite_loop", 1000000, WVM_TRAP_OUT_OF_FUEL, "out of fuel");
    HOSTILE("recursion", 100000000, WVM_TRAP_STACK_EXHAUSTED, "call stack exhausted");
    HOSTILE("bad_host_fn", 1000000, WVM_TRAP_HOST, "no host function 9999");
    HOSTILE("malformed_args", 1000000, WVM_TRAP_HOST, "malformed arguments");
}

TEST(hostile_contracts_survive) {
    /* overlapping buffers: a deterministic success */
    th *h = hostile_run("overlap", 1000000);
    REQUIRE(h);
    CHECK_EQ_INT(h->status, WVM_OK);
    CHECK_EQ_STR(h->trap, "");
    static const uint8_t zero[32];
    bool found = false;
    for (uint32_t i = 0; i < h->nfields; i++)
        if (memcmp(h->fields[i].id, zero, 32) == 0 && h->fields[i].name_len == 10)
            found = h->fields[i].val_len == 10 && memcmp(h->fields[i].val, "field-name", 10) == 0;
    CHECK(found);
    th_close(h);
    /* memory growth stops at the engine's limit (256 pages) */
    h = hostile_run("memory_bomb", 10000000);
    REQUIRE(h);
    CHECK_EQ_INT(h->status, WVM_OK);
    CHECK_EQ_INT(th_memory_pages(h), 256);
    th_close(h);
}

TEST(hostile_contracts_refused) {
    char msg[1024];
    th *h = th_load("tests/contracts/hostile/wasi_import.wasm", msg, sizeof msg);
    CHECK(h == NULL);
    CHECK(strstr(msg, "wasi_snapshot_preview1") != NULL);
    th_close(h);
    h = th_load("tests/contracts/hostile/no_handler.wasm", msg, sizeof msg);
    CHECK(h == NULL);
    th_close(h);
}
