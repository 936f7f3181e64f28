/*
 * policy.c -- the `view` policy on the host side (docs/calls.md): a
 * frame running a function declared view, or called from one, may read
 * but not write -- object and field writes, owner changes, transfers
 * and events end the call with permission_denied.  The call path
 * (src/chain/call.c) sets the frame's read_only from the contract's ABI
 * and enforces `nonreentrant` before the frame starts.
 */
#include <stdio.h>
#include "host.h"

wvm_status policy_check_write(wvm_caller *c, host_tx *tx, const char *fn) {
    if (!tx->depth || !host_top(tx)->read_only) return WVM_OK;
    /* name the view function: this frame's, or the nearest caller's */
    uint32_t d = tx->depth - 1;
    while (d > 0 && tx->frames[d - 1].read_only) d--;
    char addr[43];
    wvm_address_hex(&tx->frames[d].contract, addr);
    return host_fail(c, tx, WVM_KIND_PERMISSION_DENIED,
                     "%s: %s of %s is a view function: it may not write state%s", fn,
                     tx->frames[d].function, addr,
                     d + 1 == tx->depth ? "" : " (nor may the contracts it calls)");
}
