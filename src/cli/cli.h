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

#endif
