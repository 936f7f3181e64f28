/*
 * toolchain.h -- private header of src/toolchain/: `wvm build`, which
 * turns one C contract into a deployable wasm module.
 *
 * The pipeline (toolchain.c lists it in one place), each step one
 * function from its input to its output:
 *
 *   gunzip    bytes as read        -> C source text (bounded)
 *   validate  source text          -> parsed unit (libclang), rules checked
 *   exports   parsed unit          -> exported functions and their types
 *   wrapper   exported functions   -> generated dispatch (C text)
 *   compile   source + dispatch    -> wasm (clang-14, wasm32-wasi reactor)
 *   optimise  wasm                 -> wasm (wasm-opt, when installed)
 *   check     wasm                 -> wasm loaded by our runtime, ABI checked
 *   embed     wasm + exports       -> wasm with "wvm.abi_version", "wvm.abi"
 *
 * Every step reports failures on opts->diag as a compiler does,
 * "FILE:LINE:COL: error: ..." with the user's file name, and returns
 * false; nothing is written to the output files unless all succeed.
 */
#ifndef WVM_TOOLCHAIN_H
#define WVM_TOOLCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "wvm.h"

/* Default bound on the (decompressed) source: 256 KiB. */
#define TOOLCHAIN_MAX_SOURCE (256u * 1024u)

/* The types an exported function may take and return (docs/contracts.md
 * gives their JSON forms). */
typedef enum tc_type {
    TC_VOID,      /* result only */
    TC_I32,
    TC_U32,
    TC_I64,
    TC_U64,
    TC_BOOL,
    TC_STR,       /* const char * */
    TC_BYTES,     /* wvm_bytes */
    TC_ADDRESS,   /* wvm_address */
    TC_OBJECT_ID, /* wvm_object_id */
} tc_type;

/* Function policies declared in the source with
 * __attribute__((annotate("wvm.view"))) and friends (docs/contracts.md). */
enum {
    TC_POLICY_VIEW = 1u << 0,
    TC_POLICY_NONREENTRANT = 1u << 1,
    TC_POLICY_PAYABLE = 1u << 2,
};

typedef struct tc_param {
    char *name;
    tc_type type;
} tc_param;

typedef struct tc_func {
    char *name;
    tc_type result;
    tc_param *params;
    uint32_t nparams;
    uint32_t policies;  /* TC_POLICY_* */
} tc_func;

typedef struct tc_exports {
    tc_func *funcs;     /* in source order */
    uint32_t n;
} tc_exports;

/* A growable byte buffer (source text, generated C, wasm). */
typedef struct tc_buf {
    uint8_t *data;
    size_t len, cap;
} tc_buf;

/* What a build needs besides its input.  toolchain_options_default fills
 * the defaults; the caller sets display_name and the SDK paths. */
typedef struct tc_options {
    const char *display_name;   /* the file name diagnostics show */
    size_t max_source;          /* bound on the decompressed source */
    wvm_float_policy float_policy; /* WVM_FLOAT_CANONICAL_NAN or _REJECT */
    const char *sdk_include;    /* directory holding wvm/contract.h */
    const char *sdk_lib;        /* path of libwvmsdk.a (wasm32) */
    const char *clang;          /* the clang driver to run */
    const char *wasm_opt;       /* wasm-opt to run, NULL: none */
    FILE *diag;                 /* diagnostics go here */
} tc_options;

/* The product of a build: owned by the caller, freed with
 * toolchain_output_free. */
typedef struct tc_output {
    tc_buf wasm;                /* the deployable module */
    char *abi_json;             /* the ABI, also embedded in wasm */
    tc_exports exports;
} tc_output;

/* Opaque result of validate: the libclang translation unit. */
typedef struct tc_unit tc_unit;

/* toolchain.c */
void toolchain_options_default(tc_options *o);
/* Runs every step on input (the file's bytes).  true with *out filled, or
 * false after printing the diagnostics. */
bool toolchain_build(const tc_options *o, const uint8_t *input, size_t len,
                     tc_output *out);
void toolchain_output_free(tc_output *out);
/* Fills o->sdk_include, sdk_lib (sdkpath_find), clang (WVM_CLANG or
 * clang-14) and wasm_opt (from PATH when use_wasm_opt); the three strings
 * are the caller's to free.  false (with a message) without an SDK. */
bool toolchain_options_find(tc_options *o, bool use_wasm_opt, char **sdk_include,
                            char **sdk_lib, char **wasm_opt);
/* Reads a source file (plain or gzip), bounded by o->max_source. */
bool toolchain_read_file(const tc_options *o, const char *path, tc_buf *out);
/* Reports "NAME:LINE:COL: error: MSG" on o->diag. */
void toolchain_error(const tc_options *o, unsigned line, unsigned col,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The name of a type in the ABI and docs ("uint64", "address", ...). */
const char *toolchain_type_name(tc_type t);

/* tcbuf.c: checked growth; false on allocation failure. */
bool tcbuf_append(tc_buf *b, const void *p, size_t n);
bool tcbuf_printf(tc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tcbuf_free(tc_buf *b);

/* The steps, in pipeline order. */
bool gunzip_source(const tc_options *o, const uint8_t *in, size_t len, tc_buf *source);
bool validate_source(const tc_options *o, const tc_buf *source, tc_unit **unit);
void validate_unit_free(tc_unit *u);
/* The unit's CXTranslationUnit (void * so this header needs no libclang). */
void *validate_unit_tu(tc_unit *u);
bool exports_scan(const tc_options *o, tc_unit *unit, tc_exports *out);
void exports_free(tc_exports *e);
bool wrapper_generate(const tc_options *o, const tc_exports *ex, tc_buf *c_text);
bool driver_compile(const tc_options *o, const tc_buf *source, const tc_buf *wrapper,
                  tc_buf *wasm);
bool optimise_wasm(const tc_options *o, tc_buf *wasm);
bool check_wasm(const tc_options *o, const tc_buf *wasm);
bool embed_abi(const tc_options *o, const tc_exports *ex, tc_buf *wasm,
               char **abi_json);

/* spawn.c: runs argv[0] (searched in PATH) in directory dir with stdout
 * and stderr captured into *output (NUL-terminated).  Returns the exit
 * status, or -1 when it could not be run (*output says why). */
int spawn_capture(const char *dir, char *const argv[], tc_buf *output);
/* The same in two halves, so two tools can run at once: start (false,
 * with the reason in *output, when it could not), then finish, which
 * collects the output and returns the status as spawn_capture does. */
typedef struct tc_spawn {
    int pid, out, err;
    const char *name;
} tc_spawn;
bool spawn_start(const char *dir, char *const argv[], tc_spawn *sp, tc_buf *output);
int spawn_finish(tc_spawn *sp, tc_buf *output);
/* Full path of program name in PATH, or NULL.  Caller frees. */
char *spawn_find(const char *name);

/* tempdir.c: a fresh private directory (TMPDIR or /tmp) for one build;
 * files in it by fixed names; tempdir_free removes it and frees dir. */
char *tempdir_new(void);
bool tempdir_write(const char *dir, const char *name, const tc_buf *data);
bool tempdir_read(const char *dir, const char *name, tc_buf *out);
void tempdir_free(char *dir);

/* sdkpath.c: the SDK beside the running wvm (/proc/self/exe): the
 * install layout PREFIX/bin/wvm -> PREFIX/lib/wvm/sdk/{include,lib}, or
 * the build tree BUILD/wvm -> BUILD/sdk/libwvmsdk.a and BUILD/../sdk/include.
 * false when neither has wvm/contract.h.  Strings malloc'd. */
bool sdkpath_find(char **include_dir, char **lib_file);

#endif
