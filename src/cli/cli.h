/*
 * cli.h -- the subcommands of the wvm command line tool.
 *
 * main.c picks the subcommand from argv[1] and calls its cmd_* function
 * with argv shifted so that argv[0] is the subcommand's name.  Each
 * returns the process exit status.  The CLI uses only the public API
 * (include/wvm.h).
 */
#ifndef WVM_CLI_H
#define WVM_CLI_H

/* wvm spectest [-v] FILE.json...
 * Runs wast2json (wabt 1.0.32) spec test scripts; see spectest.c.
 * Returns 0 when every test passed, 1 on failures, 2 on usage errors or
 * files that cannot be read or parsed. */
int cmd_spectest(int argc, char **argv);

/* wvm run [--fuel N] [--timeout MS] [--stats] [--invoke NAME] FILE.wasm [ARGS...]
 * Runs a WASI command (or one export) of a module; see run.c.
 * Returns the guest's exit code when it is in 0..125; each of wvm's own
 * outcomes (usage, read, load, link, trap, fuel, timeout, exit code out
 * of range, out of memory) has a fixed code from 200 to 208 (run.c). */
int cmd_run(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* The contract system's commands (include/wvm_chain.h).  The state
 * directory is WVM_STATE, set by `wvm --state DIR` (main.c), default
 * .wvm in the working directory, created on first use.  Each writing
 * command is its own one-transaction block at the next height, with the
 * deterministic time height * 10 (seconds) unless --height / --time. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "wvm_chain.h"

/* wvm deploy FILE.wasm|FILE.wasm.gz [--salt HEX] [--sender ADDR] [--json]
 * Exit statuses of these commands: cli_chain_exit_text. */
int cmd_deploy(int argc, char **argv);
/* wvm mint ADDR AMOUNT [--json] */
int cmd_mint(int argc, char **argv);
/* wvm state contracts | contract ADDR | object ID | balance ADDR |
 *           events [--from H] [--to H] [--contract ADDR] | receipt H I |
 *           root [--verify]   (each with --json) */
int cmd_state(int argc, char **argv);

/* wvm call ADDR FUNCTION [JSON] [--sender ADDR] [--fuel N] [--timeout MS]
 *          [--height H] [--time T] [--json]     (commits; call.c)
 * wvm query ... the same, never commits (query.c).  Exit statuses:
 * cli_chain_exit_text, and 4 for a call that failed with not_found. */
int cmd_call(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cli_call_main(int argc, char **argv, bool query);

/* chainutil.c */
enum { CLI_EXIT_TXFAIL = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_STATE = 3, CLI_EXIT_NOT_FOUND = 4,
       CLI_EXIT_INPUT = 5 };
extern const char cli_chain_exit_text[];
typedef struct cli_block_opts {
    bool json, has_height, has_time;
    uint64_t height, time;
} cli_block_opts;
const char *cli_state_dir(void);
/* Opens the state directory; prints the error and returns NULL on failure. */
wvm_chain *cli_chain_open(const char *cmd);
bool cli_parse_u64(const char *s, uint64_t *out);
/* Consumes --json, --height H, --time T at argv[*i]: 1 taken, 0 not
 * one of them, -1 malformed. */
int cli_block_option(cli_block_opts *o, int argc, char **argv, int *i);
/* 0, or an exit status after printing the error. */
int cli_block_begin(wvm_chain *c, const cli_block_opts *o, const char *cmd, wvm_block **b);
int cli_block_commit(wvm_chain *c, wvm_block *b, const char *cmd);
void cli_json_string(FILE *f, const char *s, size_t n);
/* One receipt: --json gives {"status","result","error","fuel_used",
 * "height","index","events"}. */
void cli_print_receipt(FILE *f, const wvm_receipt *r, bool json);
void cli_print_event_json(FILE *f, const wvm_event *e);
void cli_print_event_text(FILE *f, const wvm_event *e);

/* wvm build [options] SRC.c [-o OUT.wasm] [--abi OUT.json]
 * Builds a C contract (build.c).  0 built, 1 errors, 2 usage. */
int cmd_build(int argc, char **argv);

/* For `wvm deploy SRC.c`: true when path names C source (.c, .c.gz);
 * build_to_memory builds it with the default options and returns the
 * module (malloc'd), or NULL after printing the errors. */
bool build_is_source(const char *path);
uint8_t *build_to_memory(const char *src, size_t *len);

/* wvm verify [options] TARGET SRC.c
 * Rebuilds and compares with deployed code (verify.c).  0 same, 1 not. */
int cmd_verify(int argc, char **argv);

#endif
