/*
 * test_examples.c -- the example contracts (examples/) built with their
 * hand-written dispatch and run against the in-memory host: each
 * function, each contract error, the events, and the permission error of
 * the ownership example.  (End-to-end runs through the chain are the
 * host's tests, tests/chain/.)
 */
#include <stdio.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

#define A(x) "0x" x x x x x x x x x x x x x x x x x x x x
#define ZERO A("00")
/* The n-th object the in-memory host creates. */
#define OBJ(n) "0x0b000000000000000000000000000000000000000000000000000000" n "000000"

static const uint8_t default_object[32];

TEST(example_counter) {
    th *h = th_open("examples/counter.wasm");
    REQUIRE(h);
    CALL_OK(h, "Get", "{}", "0");
    CALL_OK(h, "Increment", "{}", "1");
    CALL_OK(h, "Increment", NULL, "2");
    CALL_OK(h, "Increment", "{}", "3");
    CALL_OK(h, "Get", "{}", "3");
    CALL_ERR(h, "Increment", "{\"by\":1}", WVM_CONTRACT_INVALID_PARAMETERS,
             "unexpected parameter \"by\" (the function takes none)");
    uint8_t max[8];
    memset(max, 0xff, 8);
    th_field_set(h, default_object, "count", max, 8);
    CALL_ERR(h, "Increment", "{}", WVM_CONTRACT_ERROR, "overflow: the counter is at 2^64 - 1");
    CALL_OK(h, "Get", "{}", "18446744073709551615");
    CALL_ERR(h, "Decrement", "{}", WVM_CONTRACT_FUNCTION_NOT_FOUND,
             "function \"Decrement\" not found; the contract exports: Increment, Get");
    th_close(h);
}

TEST(example_token) {
    th *h = th_open("examples/token.wasm");
    REQUIRE(h);
    th_as(h, 0xa1);
    CALL_ERR(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", WVM_CONTRACT_ERROR,
             "the token is not initialized");
    CALL_OK(h, "Initialize", "{\"name\":\"Gold\",\"symbol\":\"GLD\",\"supply\":1000}", "null");
    CHECK_EQ_STR(h->events.p, "Transfer {\"from\":\"" ZERO "\",\"to\":\"" A("a1") "\",\"amount\":1000}\n");
    CALL_ERR(h, "Initialize", "{\"name\":\"Gold\",\"symbol\":\"GLD\",\"supply\":1}", WVM_CONTRACT_ERROR,
             "the token is already initialized");
    CALL_OK(h, "Name", "{}", "\"Gold\"");
    CALL_OK(h, "Symbol", "{}", "\"GLD\"");
    CALL_OK(h, "TotalSupply", "{}", "1000");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "1000");
    CALL_OK(h, "Transfer", "{\"to\":\"" A("b2") "\",\"amount\":250}", "null");
    CHECK_EQ_STR(h->events.p, "Transfer {\"from\":\"" A("a1") "\",\"to\":\"" A("b2") "\",\"amount\":250}\n");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("b2") "\"}", "250");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "750");
    CALL_ERR(h, "Transfer", "{\"to\":\"" A("b2") "\",\"amount\":751}", WVM_CONTRACT_ERROR,
             "insufficient balance: " A("a1") " has 750, needs 751");
    CHECK_EQ_INT(h->nevents, 0);
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "750");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("b2") "\"}", "250");
    CALL_ERR(h, "Transfer", "{\"to\":\"" A("b2") "\",\"amount\":-1}", WVM_CONTRACT_INVALID_PARAMETERS,
             "parameter \"amount\": expected a 64-bit unsigned integer (0 to 18446744073709551615), got -1 (out of range)");
    /* beyond 64 bits: the reader keeps the text, and the message shows it
     * (a build of the inlined integer reader once said "an integer beyond
     * 64 bits" here, from values it had not set) */
    CALL_ERR(h, "Transfer", "{\"to\":\"" A("b2") "\",\"amount\":18446744073709551616}",
             WVM_CONTRACT_INVALID_PARAMETERS,
             "parameter \"amount\": expected a 64-bit unsigned integer (0 to 18446744073709551615), "
             "got 18446744073709551616 (out of range)");
    /* to oneself: checked, no change */
    CALL_OK(h, "Transfer", "{\"to\":\"" A("a1") "\",\"amount\":750}", "null");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "750");
    /* allowances */
    CALL_OK(h, "Approve", "{\"spender\":\"" A("c3") "\",\"amount\":100}", "null");
    CHECK_EQ_STR(h->events.p, "Approval {\"owner\":\"" A("a1") "\",\"spender\":\"" A("c3") "\",\"amount\":100}\n");
    th_as(h, 0xc3);
    CALL_OK(h, "TransferFrom", "{\"from\":\"" A("a1") "\",\"to\":\"" A("d4") "\",\"amount\":60}", "null");
    CALL_OK(h, "Allowance", "{\"owner\":\"" A("a1") "\",\"spender\":\"" A("c3") "\"}", "40");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("d4") "\"}", "60");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "690");
    CALL_ERR(h, "TransferFrom", "{\"from\":\"" A("a1") "\",\"to\":\"" A("d4") "\",\"amount\":41}",
             WVM_CONTRACT_ERROR, "insufficient allowance: 40 approved, 41 asked");
    CALL_OK(h, "Allowance", "{\"owner\":\"" A("a1") "\",\"spender\":\"" A("c3") "\"}", "40");
    /* allowance beyond the balance: the balance check refuses */
    th_as(h, 0xd4);
    CALL_OK(h, "Approve", "{\"spender\":\"" A("c3") "\",\"amount\":1000}", "null");
    th_as(h, 0xc3);
    CALL_ERR(h, "TransferFrom", "{\"from\":\"" A("d4") "\",\"to\":\"" A("c3") "\",\"amount\":61}",
             WVM_CONTRACT_ERROR, "insufficient balance: " A("d4") " has 60, needs 61");
    CALL_OK(h, "Allowance", "{\"owner\":\"" A("d4") "\",\"spender\":\"" A("c3") "\"}", "1000");
    /* overflow: a holder already at 2^64 - 1 (a state calls cannot reach
     * while the supply is 1000) */
    uint8_t balances[32] = {0x0b}, max[8];
    balances[28] = 1;
    memset(max, 0xff, 8);
    th_field_set(h, balances, A("e5"), max, 8);
    th_as(h, 0xa1);
    CALL_ERR(h, "Transfer", "{\"to\":\"" A("e5") "\",\"amount\":1}", WVM_CONTRACT_ERROR,
             "overflow: the balance of " A("e5") " would pass 2^64 - 1");
    CALL_OK(h, "BalanceOf", "{\"owner\":\"" A("a1") "\"}", "690");
    th_close(h);
}

TEST(example_nft) {
    th *h = th_open("examples/nft.wasm");
    REQUIRE(h);
    th_as(h, 0xa1);
    CALL_OK(h, "Initialize", "{}", "null");
    CALL_ERR(h, "Initialize", "{}", WVM_CONTRACT_ERROR, "already initialized");
    CALL_OK(h, "Mint", "{\"to\":\"" A("b2") "\",\"uri\":\"ipfs://one\"}", "\"" OBJ("01") "\"");
    CHECK_EQ_STR(h->events.p, "Transfer {\"token\":\"" OBJ("01") "\",\"from\":\"" ZERO "\",\"to\":\"" A("b2") "\"}\n");
    CALL_OK(h, "OwnerOf", "{\"token\":\"" OBJ("01") "\"}", "\"" A("b2") "\"");
    CALL_OK(h, "TokenURI", "{\"token\":\"" OBJ("01") "\"}", "\"ipfs://one\"");
    CALL_ERR(h, "OwnerOf", "{\"token\":\"" OBJ("07") "\"}", WVM_CONTRACT_ERROR, "no token " OBJ("07"));
    CALL_ERR(h, "Mint", "{\"to\":\"" ZERO "\",\"uri\":\"x\"}", WVM_CONTRACT_ERROR,
             "cannot mint to the zero address");
    th_as(h, 0xb2);
    CALL_ERR(h, "Mint", "{\"to\":\"" A("b2") "\",\"uri\":\"x\"}", WVM_CONTRACT_ERROR,
             "only the minter " A("a1") " may mint");
    /* the holder transfers; the minter cannot */
    th_as(h, 0xa1);
    CALL_ERR(h, "Transfer", "{\"token\":\"" OBJ("01") "\",\"to\":\"" A("a1") "\"}", WVM_CONTRACT_ERROR,
             A("a1") " does not hold token " OBJ("01"));
    th_as(h, 0xb2);
    CALL_OK(h, "Transfer", "{\"token\":\"" OBJ("01") "\",\"to\":\"" A("c3") "\"}", "null");
    CHECK_EQ_STR(h->events.p, "Transfer {\"token\":\"" OBJ("01") "\",\"from\":\"" A("b2") "\",\"to\":\"" A("c3") "\"}\n");
    CALL_OK(h, "OwnerOf", "{\"token\":\"" OBJ("01") "\"}", "\"" A("c3") "\"");
    CALL_ERR(h, "Transfer", "{\"token\":\"" OBJ("01") "\",\"to\":\"" A("b2") "\"}", WVM_CONTRACT_ERROR,
             A("b2") " does not hold token " OBJ("01"));
    th_close(h);
}

TEST(example_ownership) {
    th *h = th_open("examples/ownership.wasm");
    REQUIRE(h);
    th_as(h, 0xa1);
    CALL_OK(h, "Initialize", "{}", "null");
    CALL_ERR(h, "Initialize", "{}", WVM_CONTRACT_ERROR, "already initialized");
    CALL_OK(h, "Note", "{}", "\"created\"");
    CALL_OK(h, "SetNote", "{\"note\":\"mine\"}", "null");
    CALL_OK(h, "Owner", "{}", "\"" A("c0") "\"");
    th_as(h, 0xb2);
    CALL_ERR(h, "GiveAway", "{\"to\":\"" A("99") "\"}", WVM_CONTRACT_ERROR,
             "only the admin may give the contract's object away");
    th_as(h, 0xa1);
    CALL_OK(h, "GiveAway", "{\"to\":\"" A("99") "\"}", "null");
    CHECK_EQ_STR(h->events.p, "OwnershipTransferred {\"from\":\"" A("c0") "\",\"to\":\"" A("99") "\"}\n");
    CALL_OK(h, "Owner", "{}", "\"" A("99") "\"");
    /* the contract can no longer write its own default object */
    CHECK_EQ_INT(th_call(h, "SetNote", "{\"note\":\"again\"}"), -1);
    CHECK(strstr(h->trap, "permission_denied") != NULL);
    CALL_OK(h, "Note", "{}", "\"mine\"");
    CALL_ERR(h, "GiveAway", "{\"to\":\"" A("a1") "\"}", WVM_CONTRACT_ERROR,
             "the default object is no longer this contract's");
    /* ... except in a transaction sent by its new owner */
    th_as(h, 0x99);
    CALL_OK(h, "SetNote", "{\"note\":\"the new owner's\"}", "null");
    CALL_OK(h, "Note", "{}", "\"the new owner's\"");
    th_close(h);
}
