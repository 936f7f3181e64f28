/*
 * dapp.c -- the top of dapp -> logic -> ledger: an application that
 * rewards its users.  Reward goes the sanctioned way, through logic;
 * Bypass tries the ledger directly and is refused by it.
 */
#include <wvm/contract.h>
#include "ledger_client.h"
#include "logic_client.h"

void Reward(wvm_ctx *ctx, wvm_address logic, wvm_address ledger, wvm_address to, uint64_t amount) {
    if (!logic_Route(ctx, logic, ledger, to, amount))
        wvm_error(ctx, "logic: %s", logic_last_call()->message);
}

void Bypass(wvm_ctx *ctx, wvm_address ledger, wvm_address to, uint64_t amount) {
    if (!ledger_Credit(ctx, ledger, to, amount))
        wvm_error(ctx, "ledger: %s", ledger_last_call()->message);
}
