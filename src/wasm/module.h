/*
 * module.h -- the decoded form of a binary module (private to src/wasm).
 *
 * decode_module() fills a wasm_module from bytes; everything in it points
 * into m->bytes (the module's own copy of the binary) or into arrays the
 * module owns.  The validator/translator (compile.c) then checks it and
 * adds the translated code.
 */
#ifndef WVM_WASM_MODULE_H
#define WVM_WASM_MODULE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "wvm.h"

/* value type bytes as in the binary format */
enum {
    VT_I32 = 0x7f, VT_I64 = 0x7e, VT_F32 = 0x7d, VT_F64 = 0x7c,
    VT_V128 = 0x7b, VT_FUNCREF = 0x70, VT_EXTERNREF = 0x6f,
};

enum { EXT_FUNC = 0, EXT_TABLE = 1, EXT_MEMORY = 2, EXT_GLOBAL = 3 };

typedef struct wasm_name {
    const char *ptr; /* into a NUL-terminated copy owned by the module */
    uint32_t len;
} wasm_name;

typedef struct wasm_functype {
    uint32_t nparams, nresults;
    uint8_t *types; /* nparams param types, then nresults result types */
} wasm_functype;

typedef struct wasm_limits {
    uint32_t min, max; /* max == UINT32_MAX when absent... */
    bool has_max;      /* ...and has_max says so */
} wasm_limits;

typedef struct wasm_tabletype {
    uint8_t elem; /* VT_FUNCREF or VT_EXTERNREF */
    wasm_limits lim;
} wasm_tabletype;

typedef struct wasm_globaltype {
    uint8_t type;
    bool mut;
} wasm_globaltype;

/* A constant expression of WebAssembly 2.0: exactly one of these
 * instructions followed by `end`. */
typedef struct wasm_constexpr {
    uint8_t op;      /* 0x41 i32.const, 0x42 i64.const, 0x43 f32.const,
                        0x44 f64.const, 0xd0 ref.null, 0xd2 ref.func,
                        0x23 global.get */
    uint64_t value;  /* constant bits (sign-extended for i32 into low 32
                        bits only; use (uint32_t)value), ref.null's type
                        byte, ref.func's function index or global.get's
                        global index */
    uint32_t offset; /* byte offset of the expression, for messages */
} wasm_constexpr;

typedef struct wasm_import {
    wasm_name module, name;
    uint8_t kind; /* EXT_* */
    union {
        uint32_t func_type; /* type index */
        wasm_tabletype table;
        wasm_limits mem;
        wasm_globaltype global;
    } u;
} wasm_import;

typedef struct wasm_export {
    wasm_name name;
    uint8_t kind;
    uint32_t index;
} wasm_export;

typedef struct wasm_global {
    wasm_globaltype type;
    wasm_constexpr init;
} wasm_global;

enum { SEG_ACTIVE = 0, SEG_PASSIVE = 1, SEG_DECLARATIVE = 2 };

typedef struct wasm_elem {
    uint8_t mode;       /* SEG_* */
    uint8_t type;       /* VT_FUNCREF or VT_EXTERNREF */
    uint32_t table;     /* active only */
    wasm_constexpr offset; /* active only */
    uint32_t count;
    wasm_constexpr *items; /* count items: ref.func / ref.null / global.get */
} wasm_elem;

typedef struct wasm_data {
    uint8_t mode;       /* SEG_ACTIVE or SEG_PASSIVE */
    uint32_t memory;    /* active only */
    wasm_constexpr offset;
    const uint8_t *bytes; /* into m->bytes */
    uint32_t len;
} wasm_data;

typedef struct wasm_localgroup {
    uint32_t count;
    uint8_t type;
} wasm_localgroup;

typedef struct wasm_code {
    uint32_t nlocals;           /* declared locals (not params), <= limit */
    uint32_t ngroups;
    wasm_localgroup *groups;    /* the run-length declared locals */
    const uint8_t *body;        /* instructions, after the locals, up to and
                                   including the final `end` */
    uint32_t body_len;
    uint32_t body_offset;       /* byte offset of body in the module */
} wasm_code;

typedef struct wasm_custom {
    wasm_name name;
    const uint8_t *bytes;
    uint32_t len;
} wasm_custom;

struct compiled_func; /* compile.h */

typedef struct wasm_module {
    const wvm_allocator *alloc; /* set before decode_module; NULL: libc */
    uint8_t *bytes; /* owned copy of the binary */
    size_t len;

    uint32_t ntypes;   wasm_functype *types;
    uint32_t nimports; wasm_import *imports;

    /* index spaces: imports first, then definitions */
    uint32_t nfuncs, nfunc_imports;     uint32_t *func_types; /* type index per function */
    uint32_t ntables, ntable_imports;   wasm_tabletype *tables;
    uint32_t nmems, nmem_imports;       wasm_limits *mems;
    uint32_t nglobals, nglobal_imports; wasm_global *globals; /* imported: init unused */

    uint32_t nexports; wasm_export *exports;
    bool has_start;    uint32_t start;
    uint32_t nelems;   wasm_elem *elems;
    bool has_datacount; uint32_t datacount;
    uint32_t ndatas;   wasm_data *datas;
    uint32_t ncodes;   wasm_code *codes; /* one per defined function */
    uint32_t ncustoms; wasm_custom *customs;

    /* from the "name" custom section (function names subsection);
     * func_names[i].ptr == NULL where absent.  NULL array when none. */
    wasm_name *func_names;

    /* filled by compile.c: one per defined function */
    struct compiled_func *compiled;

    /* names are stored NUL-terminated here (owned) */
    char *strings;
} wasm_module;

/* Limits applied while decoding (from wvm_limits, defaults resolved). */
typedef struct decode_limits {
    uint32_t max_module_bytes, max_functions, max_locals, max_body_bytes;
    uint32_t max_segments, max_globals;
} decode_limits;

/* Decodes bytes[0..len) into *m (zeroed by the caller).  Copies the bytes.
 * On failure returns WVM_ERR_MALFORMED (or WVM_ERR_LIMIT, WVM_ERR_NOMEM) and
 * writes a message "section <name> at offset <n>: <what>" into err.
 * m must be released with decode_release() in every case. */
wvm_status decode_module(wasm_module *m, const uint8_t *bytes, size_t len,
                         const decode_limits *lim, char *err, size_t errcap);

/* Frees everything decode_module (and compile) attached to m, not m itself. */
void decode_release(wasm_module *m);

#endif
