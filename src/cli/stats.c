/*
 * stats.c -- `wvm stats [ADDR FUNCTION [JSON]] [--repeat N]`: the engine's
 * metrics in the Prometheus text format.  A CLI process is short-lived:
 * it runs the given query N times first (a node embedding the library
 * calls wvm_chain_metrics on its long-lived chain instead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] stats [ADDR FUNCTION [JSON]] [--repeat N]\n"
    "\n"
    "Prints the engine's metrics (module cache hits, misses and hit rate,\n"
    "translations, instantiations, calls and their latency, fuel used,\n"
    "failures by kind) in the Prometheus text exposition format.  With ADDR\n"
    "and FUNCTION, first queries FUNCTION of ADDR N times (default 1) as\n"
    "`wvm query` does, committing nothing.\n"
    "\n";

int cmd_stats(int argc, char **argv) {
    const char *pos[3];
    int npos = 0;
    uint64_t repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s%s", usage_text, cli_chain_exit_text);
            return 0;
        }
        if (!strcmp(argv[i], "--repeat")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[i + 1], &repeat) || !repeat) {
                fprintf(stderr, "wvm stats: --repeat needs a count of 1 or more\n");
                return CLI_EXIT_USAGE;
            }
            i++;
            continue;
        }
        if (argv[i][0] == '-' || npos == 3) {
            fprintf(stderr, "wvm stats: unexpected '%s' (see `wvm help stats`)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        pos[npos++] = argv[i];
    }
    if (npos == 1) {
        fprintf(stderr, "wvm stats: ADDR needs a FUNCTION (see `wvm help stats`)\n");
        return CLI_EXIT_USAGE;
    }
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    if (npos >= 2) {
        if (wvm_address_parse(pos[0], &a.contract)) {
            fprintf(stderr, "wvm stats: '%s' is not an address (0x + 40 hex digits)\n", pos[0]);
            return CLI_EXIT_USAGE;
        }
        a.function = pos[1];
        a.params = npos == 3 ? pos[2] : NULL;
    }
    wvm_chain *c = cli_chain_open("stats");
    if (!c) return CLI_EXIT_STATE;
    int rc = 0;
    for (uint64_t n = 0; npos >= 2 && n < repeat; n++) {
        wvm_receipt *r = NULL;
        if (wvm_query(c, &a, &r)) {
            fprintf(stderr, "wvm stats: %s\n", wvm_chain_errmsg(c));
            rc = CLI_EXIT_STATE;
            break;
        }
        wvm_receipt_free(r);
    }
    char *text = NULL;
    if (!rc && wvm_chain_metrics(c, &text)) {
        fprintf(stderr, "wvm stats: out of memory\n");
        rc = CLI_EXIT_STATE;
    }
    if (text) fputs(text, stdout);
    free(text);
    wvm_chain_close(c);
    return rc;
}
