/*
 * test_call_examples.c -- the example contracts (examples/: token, nft,
 * ownership, counter, built with the SDK into BUILD/examples/) end to
 * end through the C API: deploy with Initialize, calls, results, events,
 * contract errors with nothing changed, the write rule on the default
 * object.
 */
#include "chaintest.h"

#define ALICE ct_addr(0xa11ce)
#define BOB ct_addr(0xb0b)
#define CAROL ct_addr(0xca201)

static char *example(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/examples/%s.wasm", CT_BUILD, name);
    return (char *)test_read_file(path, len);
}

static wvm_address deploy_ex(wvm_chain *c, const char *name, const char *init, wvm_address by,
                             wvm_receipt **out) {
    wvm_address addr;
    memset(&addr, 0, sizeof addr);
    *out = NULL;
    size_t len;
    char *code = example(name, &len);
    if (!code) {
        printf("no %s/examples/%s.wasm (make contracts)\n", CT_BUILD, name);
        return addr;
    }
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, 10 * (wvm_chain_height(c) + 1), &b) == WVM_OK) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = (const uint8_t *)code;
        a.code_len = len;
        a.deployer = by;
        a.init_params = init;
        if (wvm_deploy(b, &a, &addr, out) || wvm_block_commit(b, NULL)) memset(&addr, 0, sizeof addr);
    }
    free(code);
    return addr;
}

static wvm_receipt *ex_call(wvm_chain *c, wvm_address contract, const char *fn, const char *params,
                            wvm_address sender) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = contract;
    a.function = fn;
    a.params = params;
    a.sender = sender;
    return ct_call(c, ct_next_time(c), &a);
}

/* Calls and checks kind and result (NULL: any); returns the receipt's
 * result copied into buf. */
static bool expect(wvm_chain *c, wvm_address contract, const char *fn, const char *params,
                   wvm_address sender, wvm_error_kind kind, const char *result, const char *msg,
                   int line) {
    wvm_receipt *r = ex_call(c, contract, fn, params, sender);
    if (!r) {
        test_fail(__FILE__, line, "%s did not run", fn);
        return false;
    }
    bool ok = r->kind == kind && (!result || !strcmp(r->result, result)) &&
              (!msg || strstr(r->message, msg));
    if (!ok)
        test_fail(__FILE__, line, "%s(%s): got %s \"%s\" result %s", fn, params ? params : "",
                  wvm_error_kind_str(r->kind), r->message, r->result);
    wvm_receipt_free(r);
    return ok;
}
#define EXPECT(c, k, fn, p, s, kind, res, msg) expect(c, k, fn, p, s, kind, res, msg, __LINE__)

static void addr_json(char *buf, size_t cap, const char *key, wvm_address a) {
    char h[43];
    wvm_address_hex(&a, h);
    snprintf(buf, cap, "{\"%s\":\"%s\"}", key, h);
}

TEST(example_token) {
    wvm_chain *c = ct_chain("ex_token", 0);
    REQUIRE(c);
    wvm_receipt *d;
    wvm_address t = deploy_ex(c, "token", "{\"name\":\"Demo\",\"symbol\":\"DMO\",\"supply\":1000}",
                              ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_NONE);
    CHECK(d->fuel_used > 0);           /* Initialize ran and was charged */
    CHECK_EQ_INT(d->nevents, 2);       /* default_object_created, Transfer */
    if (d->nevents == 2) CHECK_EQ_STR(d->events[1].name, "Transfer");
    wvm_receipt_free(d);
    char p[256], bob[43], alice[43], carol[43];
    wvm_address ab = BOB, aa = ALICE, ac = CAROL;
    wvm_address_hex(&ab, bob);
    wvm_address_hex(&aa, alice);
    wvm_address_hex(&ac, carol);
    EXPECT(c, t, "TotalSupply", NULL, ALICE, WVM_KIND_NONE, "1000", NULL);
    EXPECT(c, t, "Name", NULL, ALICE, WVM_KIND_NONE, "\"Demo\"", NULL);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":250}", bob);
    wvm_receipt *r = ex_call(c, t, "Transfer", p, ALICE);
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    REQUIRE(r->nevents == 1);
    char want[256];
    snprintf(want, sizeof want, "{\"from\":\"%s\",\"to\":\"%s\",\"amount\":250}", alice, bob);
    CHECK_EQ_STR(r->events[0].attributes, want);
    wvm_receipt_free(r);
    addr_json(p, sizeof p, "owner", BOB);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "250", NULL);
    addr_json(p, sizeof p, "owner", ALICE);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "750", NULL);
    /* insufficient balance: a contract error, nothing changed */
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":999}", alice);
    EXPECT(c, t, "Transfer", p, BOB, WVM_KIND_CONTRACT_ERROR, "null", "insufficient balance");
    wvm_chain_root(c, &after);
    CHECK(!memcmp(&before, &after, 32));
    addr_json(p, sizeof p, "owner", BOB);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "250", NULL);
    /* allowances */
    snprintf(p, sizeof p, "{\"spender\":\"%s\",\"amount\":100}", bob);
    EXPECT(c, t, "Approve", p, ALICE, WVM_KIND_NONE, "null", NULL);
    snprintf(p, sizeof p, "{\"from\":\"%s\",\"to\":\"%s\",\"amount\":60}", alice, carol);
    EXPECT(c, t, "TransferFrom", p, BOB, WVM_KIND_NONE, "null", NULL);
    EXPECT(c, t, "TransferFrom", p, BOB, WVM_KIND_CONTRACT_ERROR, "null", "insufficient allowance");
    snprintf(p, sizeof p, "{\"owner\":\"%s\",\"spender\":\"%s\"}", alice, bob);
    EXPECT(c, t, "Allowance", p, ALICE, WVM_KIND_NONE, "40", NULL);
    addr_json(p, sizeof p, "owner", CAROL);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "60", NULL);
    /* typed errors of the SDK's dispatch, through the host */
    EXPECT(c, t, "Burn", NULL, ALICE, WVM_KIND_FUNCTION_NOT_FOUND, "null", "Transfer, BalanceOf");
    EXPECT(c, t, "Transfer", "{\"to\":\"x\",\"amount\":1}", ALICE, WVM_KIND_INVALID_PARAMETERS,
           "null", "parameter \"to\"");
    wvm_chain_close(c);
}

/* Values above 2^53 survive the whole path exactly. */
TEST(example_token_u64_exact) {
    wvm_chain *c = ct_chain("ex_token64", 0);
    REQUIRE(c);
    wvm_receipt *d;
    wvm_address t = deploy_ex(c, "token",
                              "{\"name\":\"Big\",\"symbol\":\"BIG\",\"supply\":18446744073709551615}",
                              ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_NONE);
    wvm_receipt_free(d);
    EXPECT(c, t, "TotalSupply", NULL, ALICE, WVM_KIND_NONE, "18446744073709551615", NULL);
    char p[128], bob[43];
    wvm_address ab = BOB;
    wvm_address_hex(&ab, bob);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":9007199254740993}", bob);
    EXPECT(c, t, "Transfer", p, ALICE, WVM_KIND_NONE, "null", NULL);
    addr_json(p, sizeof p, "owner", BOB);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "9007199254740993", NULL);
    addr_json(p, sizeof p, "owner", ALICE);
    EXPECT(c, t, "BalanceOf", p, ALICE, WVM_KIND_NONE, "18437736874454810622", NULL);
    wvm_chain_close(c);
}

/* A failing Initialize undoes the whole deploy. */
TEST(example_token_bad_init) {
    wvm_chain *c = ct_chain("ex_token_init", 0);
    REQUIRE(c);
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    wvm_receipt *d;
    deploy_ex(c, "token", "{\"name\":\"\",\"symbol\":\"X\",\"supply\":1}", ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_CONTRACT_ERROR);
    CHECK(strstr(d->message, "name and symbol must not be empty") != NULL);
    CHECK_EQ_INT(d->nevents, 0);
    wvm_receipt_free(d);
    deploy_ex(c, "token", "{\"name\":\"A\"}", ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_INVALID_PARAMETERS);
    wvm_receipt_free(d);
    wvm_chain_root(c, &after);
    CHECK(!memcmp(&before, &after, 32));
    uint32_t n = 1;
    wvm_address list[1];
    CHECK_EQ_INT(wvm_chain_contracts(c, NULL, 1, list, &n), WVM_OK);
    CHECK_EQ_INT(n, 0);
    wvm_chain_close(c);
}

TEST(example_nft) {
    wvm_chain *c = ct_chain("ex_nft", 0);
    REQUIRE(c);
    wvm_receipt *d;
    wvm_address n = deploy_ex(c, "nft", "{}", ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_NONE);
    wvm_receipt_free(d);
    char p[256], bob[43], alice[43];
    wvm_address ab = BOB, aa = ALICE;
    wvm_address_hex(&ab, bob);
    wvm_address_hex(&aa, alice);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"uri\":\"ipfs://cat\"}", alice);
    wvm_receipt *r = ex_call(c, n, "Mint", p, ALICE);
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    REQUIRE(strlen(r->result) == 68);
    char token[67];
    memcpy(token, r->result + 1, 66);
    token[66] = 0;
    wvm_receipt_free(r);
    /* the token's object is owned by its holder */
    wvm_hash id;
    REQUIRE(wvm_hash_parse(token, &id) == WVM_OK);
    wvm_object_info info;
    REQUIRE(wvm_chain_object(c, (const wvm_object_id *)&id, &info) == WVM_OK);
    CHECK(!memcmp(&info.owner, &aa, sizeof aa));
    char want[64];
    snprintf(want, sizeof want, "\"%s\"", alice);
    snprintf(p, sizeof p, "{\"token\":\"%s\"}", token);
    EXPECT(c, n, "OwnerOf", p, BOB, WVM_KIND_NONE, want, NULL);
    EXPECT(c, n, "TokenURI", p, BOB, WVM_KIND_NONE, "\"ipfs://cat\"", NULL);
    /* only the minter mints; only the holder transfers */
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"uri\":\"x\"}", bob);
    EXPECT(c, n, "Mint", p, BOB, WVM_KIND_CONTRACT_ERROR, "null", "only the minter");
    snprintf(p, sizeof p, "{\"token\":\"%s\",\"to\":\"%s\"}", token, bob);
    EXPECT(c, n, "Transfer", p, BOB, WVM_KIND_CONTRACT_ERROR, "null", "does not hold token");
    EXPECT(c, n, "Transfer", p, ALICE, WVM_KIND_NONE, "null", NULL);
    snprintf(want, sizeof want, "\"%s\"", bob);
    snprintf(p, sizeof p, "{\"token\":\"%s\"}", token);
    EXPECT(c, n, "OwnerOf", p, ALICE, WVM_KIND_NONE, want, NULL);
    REQUIRE(wvm_chain_object(c, (const wvm_object_id *)&id, &info) == WVM_OK);
    CHECK(!memcmp(&info.owner, &ab, sizeof ab));
    wvm_chain_close(c);
}

TEST(example_ownership) {
    wvm_chain *c = ct_chain("ex_owner", 0);
    REQUIRE(c);
    wvm_receipt *d;
    wvm_address o = deploy_ex(c, "ownership", "{}", ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_NONE);
    wvm_receipt_free(d);
    EXPECT(c, o, "SetNote", "{\"note\":\"hello\"}", BOB, WVM_KIND_NONE, "null", NULL);
    EXPECT(c, o, "Note", NULL, BOB, WVM_KIND_NONE, "\"hello\"", NULL);
    char p[128], want[64], bob[43];
    wvm_address ab = BOB;
    wvm_address_hex(&ab, bob);
    addr_json(p, sizeof p, "to", BOB);
    EXPECT(c, o, "GiveAway", p, BOB, WVM_KIND_CONTRACT_ERROR, "null", "only the admin");
    EXPECT(c, o, "GiveAway", p, ALICE, WVM_KIND_NONE, "null", NULL);
    snprintf(want, sizeof want, "\"%s\"", bob);
    EXPECT(c, o, "Owner", NULL, ALICE, WVM_KIND_NONE, want, NULL);
    /* the contract can no longer write it: permission_denied, no change */
    EXPECT(c, o, "SetNote", "{\"note\":\"mine\"}", ALICE, WVM_KIND_PERMISSION_DENIED, "null",
           "neither the executing contract");
    EXPECT(c, o, "Note", NULL, ALICE, WVM_KIND_NONE, "\"hello\"", NULL);
    /* the new owner can, through a transaction it sends */
    EXPECT(c, o, "SetNote", "{\"note\":\"bob's\"}", BOB, WVM_KIND_NONE, "null", NULL);
    EXPECT(c, o, "Note", NULL, ALICE, WVM_KIND_NONE, "\"bob's\"", NULL);
    wvm_chain_close(c);
}

TEST(example_counter) {
    wvm_chain *c = ct_chain("ex_counter", 0);
    REQUIRE(c);
    wvm_receipt *d;
    wvm_address k = deploy_ex(c, "counter", NULL, ALICE, &d);
    REQUIRE(d);
    CHECK_EQ_INT(d->kind, WVM_KIND_NONE);
    wvm_receipt_free(d);
    EXPECT(c, k, "Get", NULL, ALICE, WVM_KIND_NONE, "0", NULL);
    EXPECT(c, k, "Increment", NULL, ALICE, WVM_KIND_NONE, "1", NULL);
    EXPECT(c, k, "Increment", NULL, BOB, WVM_KIND_NONE, "2", NULL);
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = k;
    a.function = "Increment";
    wvm_receipt *q = NULL;
    REQUIRE(wvm_query(c, &a, &q) == WVM_OK);
    CHECK_EQ_STR(q->result, "3");
    wvm_receipt_free(q);
    EXPECT(c, k, "Get", NULL, ALICE, WVM_KIND_NONE, "2", NULL);
    wvm_chain_close(c);
}
