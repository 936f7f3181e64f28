/*
 * test_call_hostile.c -- the SDK branch's hostile contracts
 * (tests/contracts/hostile/, README.md there lists each attack and its
 * outcome) through the node's call path: each ends in its documented
 * kind with a message naming what was wrong, the state root unchanged,
 * no events kept, and the process alive to run the next.
 */
#include "chaintest.h"

static unsigned char *hostile(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/contracts/hostile/%s.wasm", CT_BUILD, name);
    unsigned char *p = test_read_file(path, len);
    if (!p) printf("no %s (make contracts)\n", path);
    return p;
}

/* Deploys name (with salt, if not NULL) in a block of its own; the
 * receipt. */
static wvm_receipt *hdeploy(wvm_chain *c, const char *name, const char *salt, wvm_address *addr) {
    size_t len;
    unsigned char *code = hostile(name, &len);
    if (!code) return NULL;
    wvm_block *b;
    wvm_receipt *r = NULL;
    uint64_t h = wvm_chain_height(c) + 1;
    if (wvm_block_begin(c, h, 10 * h, &b) == WVM_OK) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = code;
        a.code_len = len;
        a.deployer = ct_addr(1);
        a.salt = (const uint8_t *)salt;
        a.salt_len = salt ? strlen(salt) : 0;
        if (wvm_deploy(b, &a, addr, &r) || wvm_block_commit(b, NULL)) {
            wvm_receipt_free(r);
            r = NULL;
        }
    }
    free(code);
    return r;
}

/* Deploys name, calls it (fuel 0: the default; timeout_ms 0: the
 * engine's), and checks kind, a part of the message, no events, the root
 * unchanged by the call. */
static void attack(wvm_chain *c, const char *name, uint64_t fuel, uint32_t timeout_ms,
                   wvm_error_kind kind, const char *text, int line) {
    wvm_address k;
    char salt[16];
    snprintf(salt, sizeof salt, "%d", line);   /* one contract per attack */
    wvm_receipt *d = hdeploy(c, name, salt, &k);
    if (!d || d->kind != WVM_KIND_NONE) {
        test_fail(__FILE__, line, "%s: deploy failed: %s", name, d ? d->message : "did not run");
        wvm_receipt_free(d);
        return;
    }
    wvm_receipt_free(d);
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    wvm_block *b;
    uint64_t h = wvm_chain_height(c) + 1;
    if (wvm_block_begin(c, h, 10 * h, &b)) {
        test_fail(__FILE__, line, "%s: no block", name);
        return;
    }
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = k;
    a.function = "Attack";
    a.sender = ct_addr(1);
    a.fuel = fuel;
    a.timeout_ms = timeout_ms;
    wvm_receipt *r = NULL;
    if (wvm_call(b, &a, &r) || wvm_block_commit(b, NULL)) {
        test_fail(__FILE__, line, "%s: the call did not run", name);
        wvm_receipt_free(r);
        return;
    }
    /* bulk_fill: a timeout, or out of fuel once the runtime prices bulk
     * memory per byte (tests/contracts/hostile/README.md) */
    bool either = kind == WVM_KIND_TIMEOUT && text == NULL;
    if (either ? r->kind != WVM_KIND_TIMEOUT && r->kind != WVM_KIND_RESOURCE_EXHAUSTED
               : r->kind != kind || (text && !strstr(r->message, text)))
        test_fail(__FILE__, line, "%s: got %s \"%s\", wanted %s containing \"%s\"", name,
                  wvm_error_kind_str(r->kind), r->message, wvm_error_kind_str(kind),
                  text ? text : "");
    if (kind != WVM_KIND_NONE) {
        if (r->nevents) test_fail(__FILE__, line, "%s: events kept", name);
        wvm_chain_root(c, &after);
        if (memcmp(&before, &after, 32)) test_fail(__FILE__, line, "%s: the root changed", name);
    }
    wvm_receipt_free(r);
}
#define ATTACK(c, name, fuel, ms, kind, text) attack(c, name, fuel, ms, kind, text, __LINE__)

TEST(call_hostile_contracts) {
    wvm_chain *c = ct_chain("hostile", 0);
    REQUIRE(c);
    ATTACK(c, "alloc_oob", 0, 0, WVM_KIND_EXECUTION_FAILED, "which is not inside its memory");
    ATTACK(c, "alloc_trap", 0, 0, WVM_KIND_EXECUTION_FAILED, "trap in allocate");
    ATTACK(c, "ptr_past_memory", 0, 0, WVM_KIND_EXECUTION_FAILED, "call_host_set: args_ptr/args_len");
    ATTACK(c, "len_near_4g", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED, "args_len 4294967288 is over the limit");
    ATTACK(c, "get_buffer_oob", 0, 0, WVM_KIND_EXECUTION_FAILED, "call_host_get_buffer: ptr/len");
    ATTACK(c, "field_ptr_oob", 0, 0, WVM_KIND_EXECUTION_FAILED, "object_get_field: out_ptr/out_cap");
    ATTACK(c, "name_len_near_4g", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED,
           "object_set_field: name_len 4294967280 is not in 1..WVM_MAX_NAME_LEN");
    ATTACK(c, "result_too_big", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_RESULT_LEN (65536)");
    ATTACK(c, "event_too_big", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_EVENT_LEN (16384)");
    ATTACK(c, "event_flood", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_EVENTS (1024)");
    ATTACK(c, "field_flood", 200000, 0, WVM_KIND_RESOURCE_EXHAUSTED, "out of fuel");
    ATTACK(c, "trap_after_write", 0, 0, WVM_KIND_EXECUTION_FAILED, "unreachable");
    ATTACK(c, "infinite_loop", 100000, 0, WVM_KIND_RESOURCE_EXHAUSTED, "out of fuel");
    ATTACK(c, "infinite_loop", UINT64_MAX / 2, 50, WVM_KIND_TIMEOUT, "timed out");
    ATTACK(c, "recursion", 0, 0, WVM_KIND_RESOURCE_EXHAUSTED, "stack exhausted");
    ATTACK(c, "bad_host_fn", 0, 0, WVM_KIND_EXECUTION_FAILED, "unknown host function id 9999");
    ATTACK(c, "malformed_args", 0, 0, WVM_KIND_EXECUTION_FAILED, "call_host_set(field_get): argument 'id'");
    ATTACK(c, "overlap", 0, 0, WVM_KIND_NONE, NULL);
    ATTACK(c, "bulk_fill", 0, 200, WVM_KIND_TIMEOUT, NULL);
    wvm_chain_close(c);
}

/* memory_bomb: growth stops at the engine's page limit; whatever the
 * contract does then, the node is fine and the outcome is the same on
 * every run. */
TEST(call_hostile_memory_bomb) {
    wvm_error_kind kind[2];
    uint64_t fuel[2];
    for (int i = 0; i < 2; i++) {
        wvm_chain *c = ct_chain(i ? "hostile_mem1" : "hostile_mem0", 0);
        REQUIRE(c);
        wvm_address k;
        wvm_receipt *d = hdeploy(c, "memory_bomb", NULL, &k);
        REQUIRE(d);
        wvm_receipt_free(d);
        wvm_block *b;
        REQUIRE(wvm_block_begin(c, 2, 20, &b) == WVM_OK);
        wvm_call_args a;
        memset(&a, 0, sizeof a);
        a.contract = k;
        a.function = "Attack";
        wvm_receipt *r = NULL;
        REQUIRE(wvm_call(b, &a, &r) == WVM_OK);
        REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
        kind[i] = r->kind;
        fuel[i] = r->fuel_used;
        wvm_receipt_free(r);
        wvm_chain_close(c);
    }
    CHECK_EQ_INT(kind[0], kind[1]);
    CHECK_EQ_INT(fuel[0], fuel[1]);
}

/* Modules deploy refuses never reach the call path. */
TEST(call_hostile_refused_at_deploy) {
    wvm_chain *c = ct_chain("hostile_deploy", 0);
    REQUIRE(c);
    wvm_address k;
    const char *names[] = { "wasi_import", "no_handler" };
    for (int i = 0; i < 2; i++) {
        wvm_receipt *d = hdeploy(c, names[i], NULL, &k);
        REQUIRE(d);
        CHECK(d->kind != WVM_KIND_NONE);
        wvm_receipt_free(d);
    }
    wvm_chain_close(c);
}
