/*
 * logic.c -- the middle of dapp -> logic -> ledger: the rules (here, a
 * cap on one credit) between an application and the ledger it may
 * write.  Calls the ledger through the stubs of ledger_client.h.
 */
#include <wvm/contract.h>
#include "ledger_client.h"

#define MAX_CREDIT 1000000

void Route(wvm_ctx *ctx, wvm_address ledger, wvm_address to, uint64_t amount) {
    if (amount > MAX_CREDIT) {
        wvm_error(ctx, "a credit is at most %d", MAX_CREDIT);
        return;
    }
    if (!ledger_Credit(ctx, ledger, to, amount))
        wvm_error(ctx, "ledger: %s", ledger_last_call()->message);
}
