/*
 * main.c -- `wvm <command> [args]`: picks a subcommand and runs it.
 *
 * Each subcommand lives in its own file and is declared in cli.h; it gets
 * argv shifted so that argv[0] is the subcommand's name, and returns the
 * process exit status.  Usage errors exit with 2 (wvm run's with 200:
 * its codes up to 125 belong to the program it runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "cli.h"

#define WVM_CLI_VERSION "0.1.0-dev"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "build",    cmd_build,    "build a C contract into deployable wasm with its ABI" },
    { "run",      cmd_run,      "run a WASI program or one export of a module" },
    { "deploy",   cmd_deploy,   "deploy a contract (wasm or gzip'd wasm) in a block of its own" },
    { "call",     cmd_call,     "call a contract function in a block of its own" },
    { "query",    cmd_query,    "dry-run a contract call on the last state; commits nothing" },
    { "profile",  cmd_profile,  "where calls spend fuel and time: per function, or folded stacks" },
    { "mint",     cmd_mint,     "add native balance to an address in a block of its own" },
    { "stats",    cmd_stats,    "print the engine's metrics (Prometheus text), after an optional query" },
    { "state",    cmd_state,    "read the contract state: contracts, objects, balances, events, ..." },
    { "spectest", cmd_spectest, "run WebAssembly spec test scripts (wast2json output)" },
    { "verify",   cmd_verify,   "rebuild a contract and compare with deployed code" },
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void usage(FILE *f) {
    fprintf(f, "usage: wvm <command> [args]\n\ncommands:\n");
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n", "help", "show this text, or `wvm help <command>`");
    fprintf(f, "\noptions:\n  --version  print the version\n  --help     show this text\n");
    fprintf(f, "  --state DIR  the contract state directory (before the command;\n"
               "             default $WVM_STATE, else .wvm here, created on first use)\n");
    fprintf(f, "\nenvironment:\n  WVM_TRANSLATION_CACHE  the on-disk cache of translated modules (default\n"
               "             DIR/translations of the state directory; \"off\": none)\n");
    fprintf(f, "\nthe state commands (deploy, mint, state, call, query) end with this %s", cli_chain_exit_text);
}

static const command *find(const char *name) {
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

int main(int argc, char **argv) {
    /* `wvm --state DIR COMMAND ...`: the state commands read WVM_STATE. */
    if (argc >= 3 && strcmp(argv[1], "--state") == 0) {
        setenv("WVM_STATE", argv[2], 1);
        argv[2] = argv[0];
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("wvm %s\n", WVM_CLI_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[2], "help") == 0) {
            usage(stdout);
            return 0;
        }
        /* `wvm help CMD` is `wvm CMD --help`. */
        const command *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "wvm: unknown command '%s'\n", argv[2]);
            usage(stderr);
            return 2;
        }
        static char help_opt[] = "--help";
        char *help_argv[] = { argv[2], help_opt, NULL };
        return c->run(2, help_argv);
    }
    const command *c = find(name);
    if (!c) {
        fprintf(stderr, "wvm: unknown %s '%s'\n", name[0] == '-' ? "option" : "command", name);
        usage(stderr);
        return 2;
    }
    return c->run(argc - 1, argv + 1);
}
