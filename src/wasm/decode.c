/*
 * decode.c -- the binary format of WebAssembly 2.0 (without SIMD) into a
 * wasm_module.
 *
 * The decoder checks what the binary format itself requires: framing,
 * LEB128 encodings (through read.h), section order and sizes, UTF-8
 * names, type and kind bytes, constant expressions, and the counts that
 * must agree across sections.  It does not check indices or types; that
 * is the validator's job.  Instructions inside function bodies are left
 * to the validator too: the decoder only records where each body is.
 *
 * Everything it fills points into the module's own copy of the bytes or
 * into arrays the module owns; decode_release() frees them all, also
 * after a failure half-way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/module.h"
#include "wasm/mem.h"
#include "wasm/read.h"

enum { SEC_CUSTOM = 0, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE,
       SEC_MEMORY, SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE,
       SEC_DATA, SEC_DATACOUNT, SEC_COUNT };

/* opcodes a constant expression may hold, and `end` */
enum { OP_END = 0x0b, OP_GLOBAL_GET = 0x23, OP_I32_CONST = 0x41,
       OP_I64_CONST = 0x42, OP_F32_CONST = 0x43, OP_F64_CONST = 0x44,
       OP_REF_NULL = 0xd0, OP_REF_FUNC = 0xd2 };

/* Decoder state: the cursor, the current section's end, and where the
 * error message goes. */
typedef struct dec {
    wasm_module *m;
    decode_limits lim;
    const uint8_t *base, *p, *end; /* end: of the current section */
    const char *sec;               /* current section's name, for messages */
    char *err;
    size_t errcap;
    bool quiet;                    /* no messages (the name section) */
    size_t strused, strcap;        /* bump allocation in m->strings */
    uint32_t ndefined_funcs;       /* entries of the function section */
    bool seen[SEC_COUNT];
} dec;

#define TRY(x) do { wvm_status s_ = (x); if (s_ != WVM_OK) return s_; } while (0)

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static wvm_status fail(dec *d, wvm_status st, const uint8_t *at,
                       const char *fmt, ...) {
    if (d->quiet || d->err == NULL || d->errcap == 0) return st;
    int n = snprintf(d->err, d->errcap, "section %s at offset %zu: ", d->sec,
                     (size_t)(at - d->base));
    if (n < 0 || (size_t)n >= d->errcap) return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err + n, d->errcap - (size_t)n, fmt, ap);
    va_end(ap);
    return st;
}

#define MALFORMED(d, at, ...) fail((d), WVM_ERR_MALFORMED, (at), __VA_ARGS__)

static wvm_status nomem(dec *d) {
    return fail(d, WVM_ERR_NOMEM, d->p, "out of memory");
}

/* Checked array allocation: the product is tested before calloc sees it
 * (calloc checks too, but we do not rely on every libc). */
static wvm_status alloc_array(dec *d, void **out, size_t n, size_t size) {
    *out = NULL;
    if (n == 0) return WVM_OK;
    if (n > SIZE_MAX / size) return nomem(d);
    *out = mem_calloc(d->m->alloc, n, size);
    return *out ? WVM_OK : nomem(d);
}

#define ALLOC(d, ptr, n) alloc_array((d), (void **)&(ptr), (n), sizeof *(ptr))

/* ------------------------------------------------------------------ */
/* Primitive readers: read.h plus a message naming the place           */

static size_t left(const dec *d) { return (size_t)(d->end - d->p); }

static wvm_status check_read(dec *d, read_result r, const uint8_t *at) {
    return r == READ_OK ? WVM_OK : MALFORMED(d, at, "%s", read_result_str(r));
}

static wvm_status rd_byte(dec *d, uint8_t *out) {
    return check_read(d, read_u8(&d->p, d->end, out), d->p);
}

static wvm_status rd_u32(dec *d, uint32_t *out) {
    const uint8_t *at = d->p;
    return check_read(d, read_u32(&d->p, d->end, out), at);
}

static wvm_status rd_sleb(dec *d, unsigned bits, int64_t *out) {
    const uint8_t *at = d->p;
    return check_read(d, read_sleb(&d->p, d->end, bits, out), at);
}

/* A vector length.  Each element takes at least min_size bytes, so a
 * count that cannot fit in what is left is malformed -- checked before
 * anything is allocated for it, so a hostile count costs nothing. */
static wvm_status rd_count(dec *d, size_t min_size, uint32_t *n) {
    const uint8_t *at = d->p;
    TRY(rd_u32(d, n));
    if ((uint64_t)*n * min_size > left(d))
        return MALFORMED(d, at, "unexpected end (vector of %u exceeds the "
                         "%zu bytes left)", *n, left(d));
    return WVM_OK;
}

/* Rejects overlong forms, surrogates, code points past U+10FFFF and
 * truncated sequences, as the spec's UTF-8 grammar does. */
static bool utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return false;
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* A name: checked UTF-8, copied NUL-terminated into m->strings.  Every
 * name occupies its own len + 1 (or more) bytes of a section that
 * names_bound counts, so the arena made up front always has room; the
 * test below only guards that reasoning. */
static wvm_status rd_name(dec *d, wasm_name *out) {
    const uint8_t *at = d->p;
    uint32_t n;
    TRY(rd_u32(d, &n));
    if (n > left(d)) return MALFORMED(d, at, "unexpected end (length out of bounds)");
    if (!utf8_valid(d->p, n)) return MALFORMED(d, d->p, "malformed UTF-8 encoding");
    if (d->strcap - d->strused < (size_t)n + 1) return nomem(d);
    char *s = d->m->strings + d->strused;
    memcpy(s, d->p, n);
    s[n] = '\0';
    d->strused += (size_t)n + 1;
    d->p += n;
    out->ptr = s;
    out->len = n;
    return WVM_OK;
}

static bool is_reftype(uint8_t b) { return b == VT_FUNCREF || b == VT_EXTERNREF; }

static bool is_valtype(uint8_t b) {
    return b == VT_I32 || b == VT_I64 || b == VT_F32 || b == VT_F64 || is_reftype(b);
}

static wvm_status rd_valtype(dec *d, uint8_t *out) {
    const uint8_t *at = d->p;
    TRY(rd_byte(d, out));
    if (*out == VT_V128) return MALFORMED(d, at, "malformed value type (v128: SIMD is not supported)");
    if (!is_valtype(*out)) return MALFORMED(d, at, "malformed value type 0x%02x", *out);
    return WVM_OK;
}

static wvm_status rd_reftype(dec *d, uint8_t *out) {
    const uint8_t *at = d->p;
    TRY(rd_byte(d, out));
    if (!is_reftype(*out)) return MALFORMED(d, at, "malformed reference type 0x%02x", *out);
    return WVM_OK;
}

/* Limits: flag 0x00 (min) or 0x01 (min, max).  Whether max is in range
 * for a memory is the validator's question; here both only fit a u32. */
static wvm_status rd_limits(dec *d, wasm_limits *l) {
    const uint8_t *at = d->p;
    uint8_t flags = 0;
    TRY(rd_byte(d, &flags));
    if (flags > 1) return MALFORMED(d, at, "integer too large (malformed limits flags 0x%02x)", flags);
    TRY(rd_u32(d, &l->min));
    l->has_max = flags == 1;
    l->max = UINT32_MAX;
    if (l->has_max) TRY(rd_u32(d, &l->max));
    return WVM_OK;
}

static wvm_status rd_tabletype(dec *d, wasm_tabletype *t) {
    TRY(rd_reftype(d, &t->elem));
    return rd_limits(d, &t->lim);
}

static wvm_status rd_globaltype(dec *d, wasm_globaltype *g) {
    TRY(rd_valtype(d, &g->type));
    const uint8_t *at = d->p;
    uint8_t mut = 0;
    TRY(rd_byte(d, &mut));
    if (mut > 1) return MALFORMED(d, at, "malformed mutability 0x%02x", mut);
    g->mut = mut == 1;
    return WVM_OK;
}

/* Whether b starts an instruction of WebAssembly 2.0 without SIMD (0xfc
 * is the prefix of the saturating and bulk-memory instructions).  Used
 * only to tell a non-constant instruction (invalid) from a byte that is
 * no instruction at all (malformed) inside a constant expression. */
static bool is_opcode(uint8_t b) {
    return b <= 0x05 || (b >= 0x0b && b <= 0x11) || (b >= 0x1a && b <= 0x1c) ||
           (b >= 0x20 && b <= 0x26) || (b >= 0x28 && b <= 0xc4) ||
           (b >= 0xd0 && b <= 0xd2) || b == 0xfc;
}

/* A constant expression: one constant instruction, then `end`.  Any other
 * instruction, first or after the constant, is a validation error in the
 * spec ("constant expression required"), reported as such even though it
 * is found here, because without an instruction decoder we cannot walk
 * past it.  A byte that is no instruction at all is malformed. */
static wvm_status not_constant(dec *d, const uint8_t *at, uint8_t op) {
    if (!is_opcode(op)) return MALFORMED(d, at, "illegal opcode 0x%02x in constant expression", op);
    return fail(d, WVM_ERR_INVALID, at, "constant expression required (opcode 0x%02x)", op);
}

static wvm_status rd_constexpr(dec *d, wasm_constexpr *e) {
    const uint8_t *at = d->p;
    e->offset = (uint32_t)(at - d->base);
    TRY(rd_byte(d, &e->op));
    int64_t v = 0;
    uint32_t u32 = 0;
    switch (e->op) {
    case OP_I32_CONST: TRY(rd_sleb(d, 32, &v)); e->value = (uint32_t)v; break;
    case OP_I64_CONST: TRY(rd_sleb(d, 64, &v)); e->value = (uint64_t)v; break;
    case OP_F32_CONST:
        TRY(check_read(d, read_fixed32(&d->p, d->end, &u32), d->p));
        e->value = u32;
        break;
    case OP_F64_CONST: TRY(check_read(d, read_fixed64(&d->p, d->end, &e->value), d->p)); break;
    case OP_REF_NULL: {
        uint8_t t = 0;
        TRY(rd_reftype(d, &t));
        e->value = t;
        break;
    }
    case OP_REF_FUNC:
    case OP_GLOBAL_GET: TRY(rd_u32(d, &u32)); e->value = u32; break;
    case OP_END:
        return fail(d, WVM_ERR_INVALID, at, "type mismatch (empty constant expression)");
    default:
        return not_constant(d, at, e->op);
    }
    at = d->p;
    uint8_t end = 0;
    TRY(rd_byte(d, &end));
    return end == OP_END ? WVM_OK : not_constant(d, at, end);
}

static wvm_status over_limit(dec *d, const uint8_t *at, uint64_t n,
                             const char *what, const char *name, uint32_t max) {
    return fail(d, WVM_ERR_LIMIT, at, "limit: %llu %s exceeds %s %u",
                (unsigned long long)n, what, name, max);
}

/* ------------------------------------------------------------------ */
/* Index spaces: imports first, then the module's own definitions      */

static uint32_t count_imports(const wasm_module *m, uint8_t kind) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nimports; i++) n += m->imports[i].kind == kind;
    return n;
}

/* Each builder allocates imports + ndefined entries, copies the imported
 * ones in front, and leaves the rest to the section that defines them. */
static wvm_status build_funcs(dec *d, uint32_t ndefined) {
    wasm_module *m = d->m;
    uint64_t total = (uint64_t)m->nfunc_imports + ndefined;
    if (total > d->lim.max_functions)
        return over_limit(d, d->p, total, "functions", "max_functions", d->lim.max_functions);
    TRY(ALLOC(d, m->func_types, total));
    m->nfuncs = (uint32_t)total;
    for (uint32_t i = 0, k = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_FUNC) m->func_types[k++] = m->imports[i].u.func_type;
    return WVM_OK;
}

static wvm_status build_tables(dec *d, uint32_t ndefined) {
    wasm_module *m = d->m;
    uint64_t total = (uint64_t)m->ntable_imports + ndefined;
    if (total > UINT32_MAX) return MALFORMED(d, d->p, "too many tables");
    TRY(ALLOC(d, m->tables, total));
    m->ntables = (uint32_t)total;
    for (uint32_t i = 0, k = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_TABLE) m->tables[k++] = m->imports[i].u.table;
    return WVM_OK;
}

static wvm_status build_mems(dec *d, uint32_t ndefined) {
    wasm_module *m = d->m;
    uint64_t total = (uint64_t)m->nmem_imports + ndefined;
    if (total > UINT32_MAX) return MALFORMED(d, d->p, "too many memories");
    TRY(ALLOC(d, m->mems, total));
    m->nmems = (uint32_t)total;
    for (uint32_t i = 0, k = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_MEMORY) m->mems[k++] = m->imports[i].u.mem;
    return WVM_OK;
}

static wvm_status build_globals(dec *d, uint32_t ndefined) {
    wasm_module *m = d->m;
    uint64_t total = (uint64_t)m->nglobal_imports + ndefined;
    if (total > d->lim.max_globals)
        return over_limit(d, d->p, total, "globals", "max_globals", d->lim.max_globals);
    TRY(ALLOC(d, m->globals, total));
    m->nglobals = (uint32_t)total;
    for (uint32_t i = 0, k = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_GLOBAL) m->globals[k++].type = m->imports[i].u.global;
    return WVM_OK;
}

/* ------------------------------------------------------------------ */
/* Sections, one function each                                         */

static wvm_status functype(dec *d, wasm_functype *t) {
    const uint8_t *at = d->p;
    uint8_t form = 0;
    TRY(rd_byte(d, &form));
    if (form != 0x60) return MALFORMED(d, at, "malformed function type 0x%02x (expected 0x60)", form);
    /* read both vectors in place first, then copy them into one array */
    const uint8_t *params = NULL, *results = NULL;
    uint8_t vt;
    TRY(rd_count(d, 1, &t->nparams));
    params = d->p;
    for (uint32_t i = 0; i < t->nparams; i++) TRY(rd_valtype(d, &vt));
    TRY(rd_count(d, 1, &t->nresults));
    results = d->p;
    for (uint32_t i = 0; i < t->nresults; i++) TRY(rd_valtype(d, &vt));
    TRY(ALLOC(d, t->types, (size_t)t->nparams + t->nresults));
    if (t->nparams) memcpy(t->types, params, t->nparams);
    if (t->nresults) memcpy(t->types + t->nparams, results, t->nresults);
    return WVM_OK;
}

static wvm_status sec_type(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 3, &n));
    TRY(ALLOC(d, m->types, n));
    for (; m->ntypes < n; m->ntypes++) TRY(functype(d, &m->types[m->ntypes]));
    return WVM_OK;
}

static wvm_status import_desc(dec *d, wasm_import *im) {
    const uint8_t *at = d->p;
    TRY(rd_byte(d, &im->kind));
    switch (im->kind) {
    case EXT_FUNC: return rd_u32(d, &im->u.func_type);
    case EXT_TABLE: return rd_tabletype(d, &im->u.table);
    case EXT_MEMORY: return rd_limits(d, &im->u.mem);
    case EXT_GLOBAL: return rd_globaltype(d, &im->u.global);
    }
    return MALFORMED(d, at, "malformed import kind 0x%02x", im->kind);
}

static wvm_status sec_import(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 4, &n));
    TRY(ALLOC(d, m->imports, n));
    for (; m->nimports < n; m->nimports++) {
        wasm_import *im = &m->imports[m->nimports];
        TRY(rd_name(d, &im->module));
        TRY(rd_name(d, &im->name));
        TRY(import_desc(d, im));
    }
    m->nfunc_imports = count_imports(m, EXT_FUNC);
    m->ntable_imports = count_imports(m, EXT_TABLE);
    m->nmem_imports = count_imports(m, EXT_MEMORY);
    m->nglobal_imports = count_imports(m, EXT_GLOBAL);
    return WVM_OK;
}

static wvm_status sec_function(dec *d) {
    wasm_module *m = d->m;
    TRY(rd_count(d, 1, &d->ndefined_funcs));
    TRY(build_funcs(d, d->ndefined_funcs));
    for (uint32_t i = 0; i < d->ndefined_funcs; i++)
        TRY(rd_u32(d, &m->func_types[m->nfunc_imports + i]));
    return WVM_OK;
}

static wvm_status sec_table(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 3, &n));
    TRY(build_tables(d, n));
    for (uint32_t i = 0; i < n; i++) TRY(rd_tabletype(d, &m->tables[m->ntable_imports + i]));
    return WVM_OK;
}

static wvm_status sec_memory(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 2, &n));
    TRY(build_mems(d, n));
    for (uint32_t i = 0; i < n; i++) TRY(rd_limits(d, &m->mems[m->nmem_imports + i]));
    return WVM_OK;
}

static wvm_status sec_global(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 3, &n));
    TRY(build_globals(d, n));
    for (uint32_t i = 0; i < n; i++) {
        wasm_global *g = &m->globals[m->nglobal_imports + i];
        TRY(rd_globaltype(d, &g->type));
        TRY(rd_constexpr(d, &g->init));
    }
    return WVM_OK;
}

static wvm_status sec_export(dec *d) {
    wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, 3, &n));
    TRY(ALLOC(d, m->exports, n));
    for (; m->nexports < n; m->nexports++) {
        wasm_export *ex = &m->exports[m->nexports];
        TRY(rd_name(d, &ex->name));
        const uint8_t *at = d->p;
        TRY(rd_byte(d, &ex->kind));
        if (ex->kind > EXT_GLOBAL) return MALFORMED(d, at, "malformed export kind 0x%02x", ex->kind);
        TRY(rd_u32(d, &ex->index));
    }
    return WVM_OK;
}

static wvm_status sec_start(dec *d) {
    d->m->has_start = true;
    return rd_u32(d, &d->m->start);
}

/* Flag-free element segments list function indices; store each as the
 * ref.func it stands for so later stages see one shape. */
static wvm_status elem_funcs(dec *d, wasm_elem *e) {
    uint32_t n;
    TRY(rd_count(d, 1, &n));
    TRY(ALLOC(d, e->items, n));
    for (; e->count < n; e->count++) {
        wasm_constexpr *it = &e->items[e->count];
        uint32_t idx;
        it->offset = (uint32_t)(d->p - d->base);
        TRY(rd_u32(d, &idx));
        it->op = OP_REF_FUNC;
        it->value = idx;
    }
    return WVM_OK;
}

static wvm_status elem_exprs(dec *d, wasm_elem *e) {
    uint32_t n;
    TRY(rd_count(d, 2, &n));
    TRY(ALLOC(d, e->items, n));
    for (; e->count < n; e->count++) TRY(rd_constexpr(d, &e->items[e->count]));
    return WVM_OK;
}

/* The eight forms of an element segment, by bit: 0 passive or
 * declarative, 1 explicit table (when active) or declarative (when not),
 * 2 items are expressions.  Forms with bit 0 or 1 set carry an element
 * kind (0x00 = funcref) or, with expressions, a reference type. */
static wvm_status elem_segment(dec *d, wasm_elem *e) {
    const uint8_t *at = d->p;
    uint32_t flags;
    TRY(rd_u32(d, &flags));
    if (flags > 7) return MALFORMED(d, at, "malformed elements segment kind %u", flags);
    bool passive_bit = flags & 1, table_bit = flags & 2, exprs = flags & 4;
    e->type = VT_FUNCREF;
    e->mode = !passive_bit ? SEG_ACTIVE : table_bit ? SEG_DECLARATIVE : SEG_PASSIVE;
    if (!passive_bit && table_bit) TRY(rd_u32(d, &e->table));
    if (!passive_bit) TRY(rd_constexpr(d, &e->offset));
    if (passive_bit || table_bit) {
        if (exprs) {
            TRY(rd_reftype(d, &e->type));
        } else {
            uint8_t kind = 0;
            at = d->p;
            TRY(rd_byte(d, &kind));
            if (kind != 0x00) return MALFORMED(d, at, "malformed element kind 0x%02x", kind);
        }
    }
    return exprs ? elem_exprs(d, e) : elem_funcs(d, e);
}

static wvm_status sec_element(dec *d) {
    wasm_module *m = d->m;
    const uint8_t *at = d->p;
    uint32_t n;
    TRY(rd_count(d, 3, &n));
    if (n > d->lim.max_segments)
        return over_limit(d, at, n, "segments", "max_segments", d->lim.max_segments);
    TRY(ALLOC(d, m->elems, n));
    /* count each segment as soon as it is touched: decode_release must
     * see the items it may already have allocated */
    while (m->nelems < n) TRY(elem_segment(d, &m->elems[m->nelems++]));
    return WVM_OK;
}

static wvm_status sec_datacount(dec *d) {
    d->m->has_datacount = true;
    return rd_u32(d, &d->m->datacount);
}

static wvm_status code_locals(dec *d, wasm_code *c) {
    const uint8_t *at = d->p;
    uint32_t n;
    uint64_t total = 0;
    TRY(rd_count(d, 2, &n));
    TRY(ALLOC(d, c->groups, n));
    for (; c->ngroups < n; c->ngroups++) {
        wasm_localgroup *g = &c->groups[c->ngroups];
        TRY(rd_u32(d, &g->count));
        TRY(rd_valtype(d, &g->type));
        total += g->count;
        if (total > UINT32_MAX) return MALFORMED(d, at, "too many locals");
    }
    if (total > d->lim.max_locals)
        return over_limit(d, at, total, "locals", "max_locals", d->lim.max_locals);
    c->nlocals = (uint32_t)total;
    return WVM_OK;
}

/* One code entry: its size, the locals, then the body up to the entry's
 * end.  The body is only located here; the validator decodes it. */
static wvm_status code_entry(dec *d, wasm_code *c) {
    const uint8_t *at = d->p;
    uint32_t size;
    TRY(rd_u32(d, &size));
    if (size > left(d)) return MALFORMED(d, at, "unexpected end (function size out of bounds)");
    if (size > d->lim.max_body_bytes)
        return over_limit(d, at, size, "body bytes", "max_body_bytes", d->lim.max_body_bytes);
    const uint8_t *section_end = d->end;
    d->end = d->p + size;
    wvm_status st = code_locals(d, c);
    if (st == WVM_OK && (d->p == d->end || d->end[-1] != OP_END))
        st = MALFORMED(d, d->end, "END opcode expected at the end of the function body");
    if (st == WVM_OK) {
        c->body = d->p;
        c->body_len = (uint32_t)(d->end - d->p);
        c->body_offset = (uint32_t)(d->p - d->base);
        d->p = d->end;
    }
    d->end = section_end;
    return st;
}

static wvm_status sec_code(dec *d) {
    wasm_module *m = d->m;
    const uint8_t *at = d->p;
    uint32_t n;
    TRY(rd_count(d, 2, &n));
    if (n != d->ndefined_funcs)
        return MALFORMED(d, at, "function and code section have inconsistent lengths (%u and %u)",
                         d->ndefined_funcs, n);
    TRY(ALLOC(d, m->codes, n));
    while (m->ncodes < n) TRY(code_entry(d, &m->codes[m->ncodes++]));
    return WVM_OK;
}

static wvm_status data_segment(dec *d, wasm_data *s) {
    const uint8_t *at = d->p;
    uint32_t flags;
    TRY(rd_u32(d, &flags));
    if (flags > 2) return MALFORMED(d, at, "malformed data segment kind %u", flags);
    s->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
    if (flags == 2) TRY(rd_u32(d, &s->memory));
    if (flags != 1) TRY(rd_constexpr(d, &s->offset));
    at = d->p;
    TRY(rd_u32(d, &s->len));
    if (s->len > left(d)) return MALFORMED(d, at, "unexpected end (data segment length out of bounds)");
    s->bytes = d->p;
    d->p += s->len;
    return WVM_OK;
}

static wvm_status sec_data(dec *d) {
    wasm_module *m = d->m;
    const uint8_t *at = d->p;
    uint32_t n;
    TRY(rd_count(d, 2, &n));
    if (m->has_datacount && n != m->datacount)
        return MALFORMED(d, at, "data count and data section have inconsistent lengths (%u and %u)",
                         m->datacount, n);
    if ((uint64_t)n + m->nelems > d->lim.max_segments)
        return over_limit(d, at, (uint64_t)n + m->nelems, "segments", "max_segments",
                          d->lim.max_segments);
    TRY(ALLOC(d, m->datas, n));
    for (; m->ndatas < n; m->ndatas++) TRY(data_segment(d, &m->datas[m->ndatas]));
    return WVM_OK;
}

/* A custom section: a name and raw bytes, kept as they are.  Their
 * number is not known in advance, so the array grows. */
static wvm_status sec_custom(dec *d) {
    wasm_module *m = d->m;
    wasm_name name;
    TRY(rd_name(d, &name));
    if (m->ncustoms == UINT32_MAX || (size_t)m->ncustoms + 1 > SIZE_MAX / sizeof *m->customs)
        return nomem(d);
    wasm_custom *grown = mem_realloc(m->alloc, m->customs, ((size_t)m->ncustoms + 1) * sizeof *grown);
    if (!grown) return nomem(d);
    m->customs = grown;
    wasm_custom *c = &m->customs[m->ncustoms++];
    c->name = name;
    c->bytes = d->p;
    c->len = (uint32_t)left(d);
    d->p = d->end;
    return WVM_OK;
}

/* ------------------------------------------------------------------ */
/* The section table and the module                                    */

typedef wvm_status (*section_fn)(dec *d);

/* Indexed by section id.  rank gives the required order of the
 * non-custom sections (datacount, id 12, sits between element and code). */
static const struct {
    const char *name;
    section_fn parse;
    uint8_t rank;
} sections[SEC_COUNT] = {
    [SEC_CUSTOM] = {"custom", sec_custom, 0},
    [SEC_TYPE] = {"type", sec_type, 1},
    [SEC_IMPORT] = {"import", sec_import, 2},
    [SEC_FUNCTION] = {"function", sec_function, 3},
    [SEC_TABLE] = {"table", sec_table, 4},
    [SEC_MEMORY] = {"memory", sec_memory, 5},
    [SEC_GLOBAL] = {"global", sec_global, 6},
    [SEC_EXPORT] = {"export", sec_export, 7},
    [SEC_START] = {"start", sec_start, 8},
    [SEC_ELEMENT] = {"element", sec_element, 9},
    [SEC_DATACOUNT] = {"datacount", sec_datacount, 10},
    [SEC_CODE] = {"code", sec_code, 11},
    [SEC_DATA] = {"data", sec_data, 12},
};

/* Reads one section header, checks id and order, and runs its parser on
 * exactly the section's bytes. */
static wvm_status section(dec *d, const uint8_t *module_end, uint8_t *last_rank) {
    const uint8_t *at = d->p;
    uint8_t id = 0;
    uint32_t size;
    d->sec = "header";
    d->end = module_end;
    TRY(rd_byte(d, &id));
    if (id >= SEC_COUNT) return MALFORMED(d, at, "malformed section id %u", id);
    d->sec = sections[id].name;
    if (id != SEC_CUSTOM) {
        if (sections[id].rank <= *last_rank)
            return MALFORMED(d, at, "unexpected content after last section "
                             "(section out of order or repeated)");
        *last_rank = sections[id].rank;
        d->seen[id] = true;
    }
    const uint8_t *size_at = d->p;
    TRY(rd_u32(d, &size));
    if (size > left(d)) return MALFORMED(d, size_at, "unexpected end (section size %u out of bounds)", size);
    d->end = d->p + size;
    TRY(sections[id].parse(d));
    if (d->p != d->end) return MALFORMED(d, d->p, "section size mismatch");
    return WVM_OK;
}

/* The function names subsection (id 1) of the "name" section.  Custom
 * section contents are not validated by the spec, so anything wrong here
 * only drops the names: the caller ignores the status. */
static wvm_status name_section(dec *d, const wasm_custom *c) {
    wasm_module *m = d->m;
    d->p = c->bytes;
    d->end = c->bytes + c->len;
    while (d->p < d->end) {
        uint8_t id = 0;
        uint32_t size;
        TRY(rd_byte(d, &id));
        TRY(rd_u32(d, &size));
        if (size > left(d)) return WVM_ERR_MALFORMED;
        const uint8_t *sub_end = d->p + size;
        if (id != 1) { d->p = sub_end; continue; }
        d->end = sub_end;
        uint32_t n;
        TRY(rd_count(d, 2, &n));
        TRY(ALLOC(d, m->func_names, m->nfuncs));
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx;
            wasm_name name;
            TRY(rd_u32(d, &idx));
            TRY(rd_name(d, &name));
            if (idx < m->nfuncs) m->func_names[idx] = name; /* others are ignored */
        }
        /* the rest of the section does not concern us */
        return d->p == d->end ? WVM_OK : WVM_ERR_MALFORMED;
    }
    return WVM_OK;
}

/* Only running out of memory fails the module: a name section that is
 * merely malformed drops the names (the spec does not validate it). */
static wvm_status parse_names(dec *d) {
    for (uint32_t i = 0; i < d->m->ncustoms; i++) {
        const wasm_custom *c = &d->m->customs[i];
        if (c->name.len != 4 || memcmp(c->name.ptr, "name", 4) != 0) continue;
        d->quiet = true;
        wvm_status st = name_section(d, c);
        d->quiet = false;
        if (st != WVM_OK) {
            mem_free(d->m->alloc, d->m->func_names);
            d->m->func_names = NULL;
        }
        return st == WVM_ERR_NOMEM ? nomem(d) : WVM_OK; /* only the first one counts */
    }
    return WVM_OK;
}

/* Checks that need the whole module, and the index spaces of sections
 * that were absent. */
static wvm_status finish(dec *d) {
    wasm_module *m = d->m;
    const uint8_t *end = d->base + m->len;
    d->p = d->end = end;
    d->sec = "function";
    if (!d->seen[SEC_FUNCTION]) TRY(build_funcs(d, 0));
    d->sec = "table";
    if (!d->seen[SEC_TABLE]) TRY(build_tables(d, 0));
    d->sec = "memory";
    if (!d->seen[SEC_MEMORY]) TRY(build_mems(d, 0));
    d->sec = "global";
    if (!d->seen[SEC_GLOBAL]) TRY(build_globals(d, 0));
    if (!d->seen[SEC_CODE] && d->ndefined_funcs != 0) {
        d->sec = "code";
        return MALFORMED(d, end, "function and code section have inconsistent lengths (%u and 0)",
                         d->ndefined_funcs);
    }
    if (m->has_datacount && !d->seen[SEC_DATA] && m->datacount != 0) {
        d->sec = "data";
        return MALFORMED(d, end, "data count and data section have inconsistent lengths (%u and 0)",
                         m->datacount);
    }
    return parse_names(d);
}

/* Room for every name: each lies in a custom, import or export section
 * and takes at least its len + 1 bytes there (length, then bytes), so
 * those sections' sizes bound the arena -- most modules need far less
 * than the whole module, a second module-sized block for the module's
 * life.  Reads only section headers; where they are malformed it falls
 * back to the module's size and leaves the error to the decoder. */
static size_t names_bound(const uint8_t *p, const uint8_t *end) {
    size_t total = (size_t)(end - p) + 1, sum = 1;
    if (end - p < 8) return total;
    p += 8;
    while (p < end) {
        uint8_t id = *p++;
        uint32_t size;
        if (read_u32(&p, end, &size) || size > (size_t)(end - p)) return total;
        if (id == 0 || id == 2 || id == 7) sum += size;
        p += size;
    }
    return sum;
}

static wvm_status header(dec *d) {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    size_t len = d->m->len;
    const char *what = NULL;
    size_t at = 0;
    if (len < 8 && memcmp(d->base, "\0asm\1\0\0\0", len) == 0) what = "unexpected end", at = len;
    else if (len < 4 || memcmp(d->base, magic, 4) != 0) what = "magic header not detected";
    else if (len < 8 || memcmp(d->base + 4, version, 4) != 0) what = "unknown binary version", at = 4;
    if (what && d->err && d->errcap) snprintf(d->err, d->errcap, "header at offset %zu: %s", at, what);
    return what ? WVM_ERR_MALFORMED : WVM_OK;
}

wvm_status decode_module(wasm_module *m, const uint8_t *bytes, size_t len,
                         const decode_limits *lim, char *err, size_t errcap) {
    dec d = {0};
    d.m = m;
    d.err = err;
    d.errcap = errcap;
    d.sec = "header";
    if (err && errcap) err[0] = '\0';
    /* no limits given: only what the format itself allows */
    if (lim) d.lim = *lim;
    else d.lim = (decode_limits){UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX,
                                 UINT32_MAX, UINT32_MAX};
    if (len > d.lim.max_module_bytes || len > UINT32_MAX) {
        if (err && errcap)
            snprintf(err, errcap, "limit: %zu module bytes exceeds max_module_bytes %u",
                     len, d.lim.max_module_bytes);
        return WVM_ERR_LIMIT;
    }
    if (bytes == NULL && len != 0) return WVM_ERR_ARG;
    m->bytes = mem_alloc(m->alloc, len);
    d.strcap = names_bound(bytes, bytes + len);
    m->strings = mem_alloc(m->alloc, d.strcap);
    if (!m->bytes || !m->strings) {
        if (err && errcap) snprintf(err, errcap, "out of memory copying the module");
        return WVM_ERR_NOMEM;
    }
    if (len) memcpy(m->bytes, bytes, len);
    m->len = len;
    d.base = d.p = m->bytes;
    d.end = m->bytes + len;

    TRY(header(&d));
    d.p += 8;
    uint8_t last_rank = 0;
    while (d.p < d.base + len) TRY(section(&d, d.base + len, &last_rank));
    return finish(&d);
}

void decode_release(wasm_module *m) {
    if (!m) return;
    for (uint32_t i = 0; i < m->ntypes; i++) mem_free(m->alloc, m->types[i].types);
    mem_free(m->alloc, m->types);
    mem_free(m->alloc, m->imports);
    mem_free(m->alloc, m->func_types);
    mem_free(m->alloc, m->tables);
    mem_free(m->alloc, m->mems);
    mem_free(m->alloc, m->globals);
    mem_free(m->alloc, m->exports);
    for (uint32_t i = 0; i < m->nelems; i++) mem_free(m->alloc, m->elems[i].items);
    mem_free(m->alloc, m->elems);
    mem_free(m->alloc, m->datas);
    for (uint32_t i = 0; i < m->ncodes; i++) mem_free(m->alloc, m->codes[i].groups);
    mem_free(m->alloc, m->codes);
    mem_free(m->alloc, m->customs);
    mem_free(m->alloc, m->func_names);
    mem_free(m->alloc, m->strings);
    mem_free(m->alloc, m->bytes);
    /* compiled code belongs to compile.c, which frees it; keep the
     * pointer so a later release of it still finds it */
    struct compiled_func *compiled = m->compiled;
    memset(m, 0, sizeof *m);
    m->compiled = compiled;
}
