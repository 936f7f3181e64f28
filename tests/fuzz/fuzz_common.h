/*
 * fuzz_common.h -- helpers shared by the fuzz targets (tests/fuzz/).
 *
 *   fz_input        a cursor over the fuzzer's bytes; reads past the end
 *                   give zeros, so every input is a complete program.
 *   fz_buf          a growable byte buffer with LEB128 writers, for
 *                   building modules.
 *   fz_link_dummy   instantiates a module with every import satisfied by
 *                   a dummy of the matching type (host functions that
 *                   return zeros, zero globals, tables, memories).  The
 *                   public API does not expose import types, so they are
 *                   read from the binary's type and import sections (the
 *                   module has already been validated by wvm).
 *
 * Public API only (wvm.h).  Everything is header-static: each target is
 * one translation unit.  Allocation failures in the harness abort (they
 * are not findings about wvm).
 */
#ifndef WVM_FUZZ_COMMON_H
#define WVM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

/* A harness invariant failed: a finding.  abort() makes libFuzzer save
 * the input. */
#define FZ_ASSERT(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

/* ---- the fuzzer's bytes ---- */

typedef struct fz_input {
    const uint8_t *p;
    size_t n, at;
} fz_input;

static inline uint8_t fz_u8(fz_input *in) { return in->at < in->n ? in->p[in->at++] : 0; }
static inline uint32_t fz_u32(fz_input *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)fz_u8(in) << (8 * i);
    return v;
}
static inline uint64_t fz_u64(fz_input *in) {
    uint64_t lo = fz_u32(in);
    return lo | (uint64_t)fz_u32(in) << 32;
}
/* A value in [0, n); 0 when n is 0. */
static inline uint32_t fz_below(fz_input *in, uint32_t n) { return n ? fz_u8(in) % n : 0; }
static inline int fz_left(const fz_input *in) { return in->at < in->n; }

/* ---- byte buffers ---- */

typedef struct fz_buf {
    uint8_t *p;
    size_t n, cap;
} fz_buf;

static inline void fz_put(fz_buf *b, const void *src, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) abort();
        b->p = p;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, src, n);
    b->n += n;
}
static inline void fz_byte(fz_buf *b, uint8_t v) { fz_put(b, &v, 1); }
static inline void fz_uleb(fz_buf *b, uint64_t v) {
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        fz_byte(b, c | (v ? 0x80 : 0));
    } while (v);
}
static inline void fz_sleb(fz_buf *b, int64_t v) {
    for (;;) {
        uint8_t c = v & 0x7f;
        v >>= 7; /* arithmetic shift on every compiler we use */
        if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
            fz_byte(b, c);
            return;
        }
        fz_byte(b, c | 0x80);
    }
}
static inline void fz_name(fz_buf *b, const char *s) {
    fz_uleb(b, strlen(s));
    fz_put(b, s, strlen(s));
}
/* Appends section `id` with contents `body` and empties body. */
static inline void fz_section(fz_buf *mod, uint8_t id, fz_buf *body) {
    fz_byte(mod, id);
    fz_uleb(mod, body->n);
    fz_put(mod, body->p, body->n);
    body->n = 0;
}
/* Ends the function body in `body` and appends it to the code section
 * `sec` as one entry (size, bytes); empties body. */
static inline void fz_code_entry(fz_buf *sec, fz_buf *body) {
    fz_byte(body, 0x0b);
    fz_uleb(sec, body->n);
    fz_put(sec, body->p, body->n);
    body->n = 0;
}
static inline void fz_buf_free(fz_buf *b) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
static inline void fz_module_header(fz_buf *mod) {
    static const uint8_t hdr[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    fz_put(mod, hdr, 8);
}

/* ---- reading the import types of a validated module ---- */

typedef struct fz_rd {
    const uint8_t *p, *end;
    int bad;
} fz_rd;

static inline uint8_t fz_rd_u8(fz_rd *r) {
    if (r->p >= r->end) { r->bad = 1; return 0; }
    return *r->p++;
}
static inline uint64_t fz_rd_uleb(fz_rd *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t c = fz_rd_u8(r);
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return v;
    }
    r->bad = 1;
    return 0;
}
static inline void fz_rd_skip(fz_rd *r, uint64_t n) {
    if (n > (uint64_t)(r->end - r->p)) { r->bad = 1; r->p = r->end; return; }
    r->p += n;
}

enum { FZ_MAX_TYPES = 4096, FZ_MAX_IMPORTS = 4096, FZ_MAX_VALS = 64 };

typedef struct fz_type {
    uint32_t np, nr;
    wvm_valtype v[2 * FZ_MAX_VALS];  /* params then results */
    wvm_functype ft;                 /* points into v */
} fz_type;

typedef struct fz_import {
    uint8_t kind;                    /* wvm_externkind */
    uint32_t type;                   /* function: type index */
    uint8_t elem;                    /* table: element type; global: value type */
    uint8_t mut;
    uint32_t min, max;               /* table / memory; max UINT32_MAX: none */
} fz_import;

typedef struct fz_imports {
    uint32_t ntypes, nimports;
    fz_type *types;
    fz_import *imports;
} fz_imports;

static inline void fz_read_limits(fz_rd *r, uint32_t *min, uint32_t *max) {
    uint8_t flag = fz_rd_u8(r);
    *min = (uint32_t)fz_rd_uleb(r);
    *max = (flag & 1) ? (uint32_t)fz_rd_uleb(r) : UINT32_MAX;
}

/* Fills *out from the type and import sections.  Returns 0, or -1 when
 * the binary has something this small reader does not understand (the
 * caller then skips instantiation). */
static inline int fz_read_imports(const uint8_t *wasm, size_t len, fz_imports *out) {
    memset(out, 0, sizeof *out);
    fz_rd r = { wasm + 8, wasm + len, len < 8 };
    while (!r.bad && r.p < r.end) {
        uint8_t id = fz_rd_u8(&r);
        uint64_t size = fz_rd_uleb(&r);
        if (r.bad || size > (uint64_t)(r.end - r.p)) return -1;
        fz_rd s = { r.p, r.p + size, 0 };
        r.p += size;
        if (id == 1) {
            uint64_t n = fz_rd_uleb(&s);
            if (n > FZ_MAX_TYPES) return -1;
            out->types = calloc(n ? n : 1, sizeof *out->types);
            if (!out->types) abort();
            out->ntypes = (uint32_t)n;
            for (uint32_t i = 0; i < n && !s.bad; i++) {
                fz_type *t = &out->types[i];
                if (fz_rd_u8(&s) != 0x60) return -1;
                uint64_t np = fz_rd_uleb(&s);
                if (np > FZ_MAX_VALS) return -1;
                for (uint32_t k = 0; k < np; k++) t->v[k] = (wvm_valtype)fz_rd_u8(&s);
                uint64_t nr = fz_rd_uleb(&s);
                if (nr > FZ_MAX_VALS) return -1;
                for (uint32_t k = 0; k < nr; k++) t->v[np + k] = (wvm_valtype)fz_rd_u8(&s);
                t->np = (uint32_t)np;
                t->nr = (uint32_t)nr;
            }
        } else if (id == 2) {
            uint64_t n = fz_rd_uleb(&s);
            if (n > FZ_MAX_IMPORTS) return -1;
            out->imports = calloc(n ? n : 1, sizeof *out->imports);
            if (!out->imports) abort();
            out->nimports = (uint32_t)n;
            for (uint32_t i = 0; i < n && !s.bad; i++) {
                fz_import *im = &out->imports[i];
                fz_rd_skip(&s, fz_rd_uleb(&s));  /* module name */
                fz_rd_skip(&s, fz_rd_uleb(&s));  /* field name */
                im->kind = fz_rd_u8(&s);
                switch (im->kind) {
                case WVM_EXTERN_FUNC: im->type = (uint32_t)fz_rd_uleb(&s); break;
                case WVM_EXTERN_TABLE:
                    im->elem = fz_rd_u8(&s);
                    fz_read_limits(&s, &im->min, &im->max);
                    break;
                case WVM_EXTERN_MEMORY: fz_read_limits(&s, &im->min, &im->max); break;
                case WVM_EXTERN_GLOBAL:
                    im->elem = fz_rd_u8(&s);
                    im->mut = fz_rd_u8(&s);
                    break;
                default: return -1;
                }
            }
            if (s.bad) return -1;
            return 0;  /* imports come after types: done */
        } else if (id != 0) {
            if (id > 2) return 0;  /* past the import section: no imports */
        }
        if (s.bad) return -1;
    }
    return r.bad ? -1 : 0;
}

static inline void fz_imports_free(fz_imports *im) {
    free(im->types);
    free(im->imports);
    memset(im, 0, sizeof *im);
}

/* The dummy host function: every result zero, of its type. */
static wvm_status fz_dummy_host(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c; (void)args;
    const fz_type *t = user;
    for (uint32_t i = 0; i < t->nr; i++) {
        results[i].type = t->v[t->np + i];
        results[i].of.i64 = 0;
    }
    return WVM_OK;
}

static inline wvm_val fz_zero(wvm_valtype t) {
    wvm_val v;
    memset(&v, 0, sizeof v);
    v.type = t;
    return v;
}

/* Makes one extern per import of the module described by *im, in s.
 * *out is malloc'd (free it); the externs live as long as s.  Returns
 * the first failing status of wvm_*_new (e.g. WVM_ERR_RESOURCE for a
 * memory over the limits), after which the module is not instantiated. */
static inline wvm_status fz_make_imports(wvm_store *s, fz_imports *im, wvm_extern **out) {
    *out = calloc(im->nimports ? im->nimports : 1, sizeof **out);
    if (!*out) abort();
    for (uint32_t i = 0; i < im->nimports; i++) {
        const fz_import *x = &im->imports[i];
        wvm_extern *e = &(*out)[i];
        wvm_status st = WVM_OK;
        switch (x->kind) {
        case WVM_EXTERN_FUNC: {
            if (x->type >= im->ntypes) return WVM_ERR_ARG;
            fz_type *t = &im->types[x->type];
            t->ft.nparams = t->np;
            t->ft.nresults = t->nr;
            t->ft.params = t->v;
            t->ft.results = t->v + t->np;
            wvm_func *f;
            st = wvm_func_new_host(s, &t->ft, fz_dummy_host, t, &f);
            *e = (wvm_extern){ WVM_EXTERN_FUNC, f };
            break;
        }
        case WVM_EXTERN_TABLE:
            st = wvm_table_new(s, (wvm_valtype)x->elem, x->min, x->max, e);
            break;
        case WVM_EXTERN_MEMORY:
            st = wvm_memory_new(s, x->min, x->max, e);
            break;
        default:
            st = wvm_global_new(s, fz_zero((wvm_valtype)x->elem), x->mut != 0, e);
            break;
        }
        if (st) return st;
    }
    return WVM_OK;
}

/* Engine with small limits for fuzzing. */
static inline wvm_engine *fz_engine(bool metering, wvm_float_policy floats) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.float_policy = floats;
    cfg.limits.max_memory_pages = 16;
    cfg.limits.max_table_elems = 1000;
    cfg.limits.max_call_depth = 500;
    cfg.limits.max_stack_slots = 1 << 16;
    cfg.metering = metering;
    wvm_engine *e = NULL;
    if (wvm_engine_new(&cfg, &e) != WVM_OK) abort();
    return e;
}

/* The function exported as export i of m, from inst; NULL when that
 * export is not a function. */
static inline wvm_func *fz_export_func(const wvm_module *m, wvm_instance *inst, uint32_t i) {
    const char *name;
    uint32_t name_len;
    wvm_externkind kind;
    wvm_extern x;
    wvm_module_export(m, i, &name, &name_len, &kind);
    if (kind != WVM_EXTERN_FUNC || wvm_instance_export_n(inst, name, name_len, &x) != WVM_OK) return NULL;
    return x.ptr;
}

/* Calls every exported function of inst with zero arguments.  Traps are
 * fine; the store must stay usable after each. */
static inline void fz_call_exports(wvm_store *s, wvm_instance *inst, const wvm_module *m,
                                   uint64_t fuel, uint32_t timeout_ms) {
    uint32_t n = wvm_module_export_count(m);
    for (uint32_t i = 0; i < n && i < 64; i++) {
        wvm_func *f = fz_export_func(m, inst, i);
        if (!f) continue;
        const wvm_functype *t = wvm_func_type(f);
        if (!t || t->nparams > FZ_MAX_VALS || t->nresults > FZ_MAX_VALS) continue;
        wvm_val args[FZ_MAX_VALS], results[FZ_MAX_VALS];
        for (uint32_t k = 0; k < t->nparams; k++) args[k] = fz_zero(t->params[k]);
        wvm_store_set_fuel(s, fuel);
        wvm_store_set_timeout(s, timeout_ms);
        wvm_status st = wvm_func_call(s, f, args, t->nparams, results, t->nresults);
        FZ_ASSERT(st == WVM_OK || wvm_status_is_trap(st));
        FZ_ASSERT(wvm_store_fuel_used(s) <= fuel);
        if (st == WVM_OK)
            for (uint32_t k = 0; k < t->nresults; k++) FZ_ASSERT(results[k].type == t->results[k]);
    }
}

#endif
