/*
 * mint.c -- `wvm mint ADDR AMOUNT`: creates native balance (genesis,
 * tests, the demo) as a one-transaction block.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] mint ADDR AMOUNT [options]\n"
    "\n"
    "Adds AMOUNT (a decimal uint64) to the native balance of ADDR in a block\n"
    "of its own at the next height.  A balance that would pass 2^64 - 1 is\n"
    "refused (balance_overflow).  Prints the receipt.\n"
    "\n"
    "options:\n"
    "  --height H      block height (default: the last + 1)\n"
    "  --time T        block time in seconds (default: height * 10)\n"
    "  --json          print the receipt as JSON\n"
    "\n";

int cmd_mint(int argc, char **argv) {
    cli_block_opts bo = { 0 };
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        int r = cli_block_option(&bo, argc, argv, &i);
        if (r < 0) {
            fprintf(stderr, "wvm mint: bad value for %s\n", argv[i - 1]);
            return CLI_EXIT_USAGE;
        }
        if (r > 0) continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s%s", usage_text, cli_chain_exit_text);
            return 0;
        }
        if (argv[i][0] == '-' || npos == 2) {
            fprintf(stderr, "wvm mint: unexpected '%s' (see `wvm help mint`)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        pos[npos++] = argv[i];
    }
    wvm_address to;
    uint64_t amount;
    if (npos != 2) {
        fprintf(stderr, "wvm mint: needs ADDR and AMOUNT (see `wvm help mint`)\n");
        return CLI_EXIT_USAGE;
    }
    if (wvm_address_parse(pos[0], &to)) {
        fprintf(stderr, "wvm mint: '%s' is not an address (0x + 40 hex digits)\n", pos[0]);
        return CLI_EXIT_USAGE;
    }
    if (!cli_parse_u64(pos[1], &amount)) {
        fprintf(stderr, "wvm mint: '%s' is not an amount (a decimal number below 2^64)\n", pos[1]);
        return CLI_EXIT_USAGE;
    }
    wvm_chain *c = cli_chain_open("mint");
    if (!c) return CLI_EXIT_STATE;
    wvm_block *b;
    int rc = cli_block_begin(c, &bo, "mint", &b);
    if (!rc) {
        wvm_status st = wvm_mint(b, &to, amount);
        if (st != WVM_OK && st != WVM_ERR_OVERFLOW) {
            fprintf(stderr, "wvm mint: %s\n", wvm_block_errmsg(b));
            wvm_block_abort(b);
            rc = CLI_EXIT_STATE;
        }
    }
    uint64_t h = 0;
    if (!rc) {
        h = wvm_block_height(b);
        rc = cli_block_commit(c, b, "mint");
    }
    if (!rc) {
        wvm_receipt *r;
        if (wvm_chain_receipt(c, h, 0, &r)) {
            fprintf(stderr, "wvm mint: %s\n", wvm_chain_errmsg(c));
            rc = CLI_EXIT_STATE;
        } else {
            cli_print_receipt(stdout, r, bo.json);
            if (r->kind != WVM_KIND_NONE) rc = CLI_EXIT_TXFAIL;
            wvm_receipt_free(r);
        }
    }
    wvm_chain_close(c);
    return rc;
}
