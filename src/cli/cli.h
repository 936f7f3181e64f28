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
 * Returns the guest's exit code, 1 on errors and traps, 2 on usage
 * errors, 3 when out of fuel, 4 on timeout. */
int cmd_run(int argc, char **argv);

/* wvm build [options] SRC.c [-o OUT.wasm] [--abi OUT.json]
 * Builds a C contract (build.c).  0 built, 1 errors, 2 usage. */
int cmd_build(int argc, char **argv);

/* wvm verify [options] TARGET SRC.c
 * Rebuilds and compares with deployed code (verify.c).  0 same, 1 not. */
int cmd_verify(int argc, char **argv);

#endif
