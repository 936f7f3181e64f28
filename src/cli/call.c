/*
 * call.c -- `wvm call ADDR FUNCTION [JSON]`: calls a contract as a
 * one-transaction block; and the argument handling `wvm query` shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] %s ADDR FUNCTION [JSON] [options]\n"
    "\n"
    "%s"
    "JSON is the parameters, one JSON object (default {}).\n"
    "\n"
    "options:\n"
    "  --sender ADDR   the transaction's sender (default 0x00...00)\n"
    "  --fuel N        fuel limit (default 10000000)\n"
    "  --value N       native balance the sender attaches (default 0); only a\n"
    "                  function declared WVM_PAYABLE takes it (docs/calls.md)\n"
    "  --timeout MS    wall-clock limit of each guest call (default 5000)\n"
    "  --height H      block height (default: the last + 1)\n"
    "  --time T        block time in seconds (default: %s)\n"
    "  --json          print one JSON object: {\"status\":\"ok\"|\"error\",\n"
    "                  \"result\":...,\"error\":{\"kind\":...,\"message\":...},\n"
    "                  \"fuel_used\":N,\"height\":H,\"index\":I,\"events\":[...]}\n"
    "                  and \"logs\":[...], the call's log lines (a query adds\n"
    "                  \"changes\":[...], the state changes the call would make)\n"
    "  --trace[=text|json]  print the call's trace first (docs/calls.md): the\n"
    "                  ENTER/CALL/EXIT log, or the JSON call tree\n"
    "  --no-wall-time  leave wall times out of the trace (same bytes every run)\n"
    "\n";

static const char call_text[] =
    "Calls FUNCTION of the contract at ADDR in a block of its own at the\n"
    "next height, and commits it: the call's changes when it succeeds, and\n"
    "its receipt either way.  Prints the result, the fuel used and the\n"
    "events, or the error's kind and message.\n";
static const char query_text[] =
    "Runs the call on the last committed state and commits nothing: the\n"
    "dry run.  Prints what the call would give -- result or error, fuel\n"
    "used, events -- which a client prices a transaction with.\n";

/* A query's outcome as text: like a receipt, but it is none. */
static void print_query(const wvm_receipt *r) {
    printf("query at height %llu (nothing committed): %s", (unsigned long long)r->height,
           wvm_error_kind_str(r->kind));
    if (r->kind != WVM_KIND_NONE) printf(": %s", r->message);
    putchar('\n');
    if (r->kind == WVM_KIND_NONE && strcmp(r->result, "null")) printf("result: %s\n", r->result);
    printf("fuel used: %llu\n", (unsigned long long)r->fuel_used);
    for (uint32_t i = 0; i < r->nevents; i++) {
        char a[43];
        wvm_address_hex(&r->events[i].contract, a);
        printf("event %s %s %s\n", a, r->events[i].name, r->events[i].attributes);
    }
    if (r->changes && strcmp(r->changes, "[]")) printf("state changes: %s\n", r->changes);
}

/* The log lines as text, after the receipt. */
static void print_logs(const wvm_receipt *r) {
    json_object *a = r->logs ? json_tokener_parse(r->logs) : NULL;
    for (size_t i = 0; a && i < json_object_array_length(a); i++)
        printf("log: %s\n", json_object_get_string(json_object_array_get_idx(a, i)));
    json_object_put(a);
}

/* The receipt as JSON, with "changes" (queries) and "logs" added. */
static void print_json(const wvm_receipt *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return cli_print_receipt(stdout, r, true);
    cli_print_receipt(m, r, true);
    fclose(m);
    /* the object ends with "}\n": reopen it */
    if (len >= 2 && buf[len - 2] == '}') {
        fwrite(buf, 1, len - 2, stdout);
        if (r->changes) printf(",\"changes\":%s", r->changes);
        printf(",\"logs\":%s}\n", r->logs ? r->logs : "[]");
    } else {
        fwrite(buf, 1, len, stdout);
    }
    free(buf);
}

int cli_call_main(int argc, char **argv, bool query) {
    const char *cmd = query ? "query" : "call";
    cli_block_opts bo = { 0 };
    wvm_call_args args;
    memset(&args, 0, sizeof args);
    const char *pos[3] = { 0 };
    int npos = 0;
    int trace = 0;                     /* 1 text, 2 json */
    unsigned trace_flags = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_block_option(&bo, argc, argv, &i);
        if (r < 0) {
            fprintf(stderr, "wvm %s: bad value for %s\n", cmd, a);
            return CLI_EXIT_USAGE;
        }
        if (r > 0) continue;
        uint64_t v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf(usage_text, cmd, query ? query_text : call_text,
                   query ? "the last block's" : "height * 10");
            printf("%s  (a failed call exits 4 when its kind is not_found)\n", cli_chain_exit_text);
            return 0;
        } else if (!strcmp(a, "--sender")) {
            if (i + 1 >= argc || wvm_address_parse(argv[++i], &args.sender)) {
                fprintf(stderr, "wvm %s: --sender needs an address, 0x + 40 hex digits\n", cmd);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--fuel")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &args.fuel) || !args.fuel) {
                fprintf(stderr, "wvm %s: --fuel needs a positive number\n", cmd);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--value")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &args.value)) {
                fprintf(stderr, "wvm %s: --value needs a number, 0 to 2^64 - 1\n", cmd);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--timeout")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &v) || !v || v > UINT32_MAX - 1) {
                fprintf(stderr, "wvm %s: --timeout needs a positive number of milliseconds\n", cmd);
                return CLI_EXIT_USAGE;
            }
            args.timeout_ms = (uint32_t)v;
        } else if (!strcmp(a, "--trace") || !strcmp(a, "--trace=text")) {
            trace = 1;
        } else if (!strcmp(a, "--trace=json")) {
            trace = 2;
        } else if (!strcmp(a, "--no-wall-time")) {
            trace_flags |= WVM_TRACE_NO_WALL;
        } else if (a[0] == '-' && a[1] && a[1] != '{') {
            fprintf(stderr, "wvm %s: unknown option %s\n(see `wvm help %s`)\n", cmd, a, cmd);
            return CLI_EXIT_USAGE;
        } else if (npos < 3) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "wvm %s: too many arguments: %s\n", cmd, a);
            return CLI_EXIT_USAGE;
        }
    }
    if (npos < 2) {
        fprintf(stderr, "wvm %s: needs ADDR and FUNCTION\n(see `wvm help %s`)\n", cmd, cmd);
        return CLI_EXIT_USAGE;
    }
    if (wvm_address_parse(pos[0], &args.contract)) {
        fprintf(stderr, "wvm %s: '%s' is not an address (0x + 40 hex digits)\n", cmd, pos[0]);
        return CLI_EXIT_USAGE;
    }
    args.function = pos[1];
    args.params = npos > 2 ? pos[2] : NULL;
    args.trace = trace != 0;
    wvm_chain *c = cli_chain_open(cmd);
    if (!c) return CLI_EXIT_STATE;
    wvm_receipt *r = NULL;
    int rc = 0;
    if (query) {
        args.height = bo.has_height ? bo.height : 0;
        args.time = bo.has_time ? bo.time : 0;
        if (wvm_query(c, &args, &r)) {
            fprintf(stderr, "wvm query: %s\n", wvm_chain_errmsg(c));
            rc = CLI_EXIT_STATE;
        }
    } else {
        wvm_block *b;
        rc = cli_block_begin(c, &bo, cmd, &b);
        if (!rc && wvm_call(b, &args, &r)) {
            fprintf(stderr, "wvm call: %s\n", wvm_block_errmsg(b));
            wvm_block_abort(b);
            rc = CLI_EXIT_STATE;
        }
        if (!rc) rc = cli_block_commit(c, b, cmd);
    }
    if (!rc && trace) {
        char *t = trace == 2 ? wvm_trace_json(r, trace_flags) : wvm_trace_text(r, trace_flags);
        if (!t) fprintf(stderr, "wvm %s: out of memory formatting the trace\n", cmd);
        else printf(trace == 2 ? "%s\n" : "%s", t);
        free(t);
    }
    if (!rc) {
        if (query && !bo.json) print_query(r);
        else if (bo.json) print_json(r);
        else cli_print_receipt(stdout, r, false);
        if (!bo.json) print_logs(r);
        if (r->kind == WVM_KIND_NOT_FOUND) rc = CLI_EXIT_NOT_FOUND;
        else if (r->kind != WVM_KIND_NONE) rc = CLI_EXIT_TXFAIL;
    }
    wvm_receipt_free(r);
    wvm_chain_close(c);
    return rc;
}

int cmd_call(int argc, char **argv) { return cli_call_main(argc, argv, false); }
