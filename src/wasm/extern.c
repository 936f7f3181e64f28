/*
 * extern.c -- externs from the embedder's side: who owns them, their
 * types (of a module's imports and exports), and reading and changing
 * globals and memories through them.
 *
 * Every entry point that takes an object and a store checks that the
 * store owns the object, with one pointer comparison: each runtime
 * object records its store (runtime.h).  Using an object through a store
 * that does not own it would let it outlive its owner or be touched from
 * two threads at once; it is WVM_ERR_ARG instead.
 */
#include <string.h>
#include "wasm/runtime.h"
#include "wasm/mem.h"

#define PAGE 65536u

static const char *const kind_names[4] = { "function", "table", "memory", "global" };

wvm_store *extern_owner(wvm_extern x) {
    if (!x.ptr) return NULL;
    switch (x.kind) {
    case WVM_EXTERN_FUNC: return ((const wvm_func *)x.ptr)->store;
    case WVM_EXTERN_TABLE: return ((const table_obj *)x.ptr)->store;
    case WVM_EXTERN_MEMORY: return ((const memory_obj *)x.ptr)->store;
    case WVM_EXTERN_GLOBAL: return ((const global_obj *)x.ptr)->store;
    }
    return NULL;
}

wvm_status extern_check(wvm_store *s, wvm_extern x, int want, const char *what) {
    if (!x.ptr) return store_error(s, WVM_ERR_ARG, "%s: the extern is NULL", what);
    if ((unsigned)x.kind > WVM_EXTERN_GLOBAL)
        return store_error(s, WVM_ERR_ARG, "%s: %d is not an extern kind", what, (int)x.kind);
    if (want >= 0 && (int)x.kind != want)
        return store_error(s, WVM_ERR_ARG, "%s: the extern is a %s, not a %s", what, kind_names[x.kind],
                           kind_names[want]);
    if (extern_owner(x) != s)
        return store_error(s, WVM_ERR_ARG, "%s: the %s belongs to another store", what, kind_names[x.kind]);
    return WVM_OK;
}

wvm_status extern_check_ref(wvm_store *s, wvm_val v, const char *what) {
    if (v.type != WVM_FUNCREF || !v.of.func || v.of.func->store == s) return WVM_OK;
    return store_error(s, WVM_ERR_ARG, "%s: the funcref belongs to another store", what);
}

/* ---- globals ---- */

wvm_status wvm_global_get(wvm_store *s, wvm_extern x, wvm_val *out) {
    wvm_status st = extern_check(s, x, WVM_EXTERN_GLOBAL, "wvm_global_get");
    if (st) return st;
    const global_obj *g = x.ptr;
    out->type = (wvm_valtype)g->type;
    out->of.i64 = slot_to_val_bits(g->val, g->type);
    return WVM_OK;
}

wvm_status wvm_global_set(wvm_store *s, wvm_extern x, wvm_val v) {
    wvm_status st = extern_check(s, x, WVM_EXTERN_GLOBAL, "wvm_global_set");
    if (st) return st;
    global_obj *g = x.ptr;
    if (!g->mut) return store_error(s, WVM_ERR_ARG, "wvm_global_set: the global is immutable");
    if ((uint8_t)v.type != g->type || (unsigned)v.type > 0xff)
        return store_error(s, WVM_ERR_TYPE, "wvm_global_set: the global is %s, the value %s",
                           compile_valtype_name(g->type), compile_valtype_name(v.type));
    if ((st = extern_check_ref(s, v, "wvm_global_set"))) return st;
    g->val.i64 = slot_to_val_bits((slot){ .i64 = v.of.i64 }, g->type);
    return WVM_OK;
}

/* ---- memories ---- */

static wvm_status memory_of(wvm_store *s, wvm_extern x, const char *what, memory_obj **out) {
    wvm_status st = extern_check(s, x, WVM_EXTERN_MEMORY, what);
    *out = st ? NULL : x.ptr;
    return st;
}

wvm_status wvm_memory_size(wvm_store *s, wvm_extern x, uint32_t *pages) {
    memory_obj *m;
    wvm_status st = memory_of(s, x, "wvm_memory_size", &m);
    *pages = st ? 0 : m->pages;
    return st;
}

wvm_status wvm_memory_grow(wvm_store *s, wvm_extern x, uint32_t delta, uint32_t *old_pages) {
    memory_obj *m;
    wvm_status st = memory_of(s, x, "wvm_memory_grow", &m);
    *old_pages = 0;
    if (st) return st;
    if ((uint64_t)m->pages + delta > m->max_pages)
        return store_error(s, WVM_ERR_RESOURCE, "wvm_memory_grow: %u + %u pages is over the maximum of %u",
                           m->pages, delta, m->max_pages);
    int64_t old = instance_memory_grow(s, m, delta);
    if (old < 0) return store_error(s, WVM_ERR_NOMEM, "wvm_memory_grow: out of memory for %u more pages", delta);
    *old_pages = (uint32_t)old;
    return WVM_OK;
}

wvm_status wvm_memory_read(wvm_store *s, wvm_extern x, uint32_t ptr, void *dst, uint32_t len) {
    memory_obj *m;
    wvm_status st = memory_of(s, x, "wvm_memory_read", &m);
    if (st) return st;
    if ((uint64_t)ptr + len > m->size)
        return store_error(s, WVM_ERR_BOUNDS, "wvm_memory_read: [%u, %u + %u) is outside memory of %llu bytes",
                           ptr, ptr, len, (unsigned long long)m->size);
    if (len) memcpy(dst, m->data + ptr, len);
    return WVM_OK;
}

wvm_status wvm_memory_write(wvm_store *s, wvm_extern x, uint32_t ptr, const void *src, uint32_t len) {
    memory_obj *m;
    wvm_status st = memory_of(s, x, "wvm_memory_write", &m);
    if (st) return st;
    if ((uint64_t)ptr + len > m->size)
        return store_error(s, WVM_ERR_BOUNDS, "wvm_memory_write: [%u, %u + %u) is outside memory of %llu bytes",
                           ptr, ptr, len, (unsigned long long)m->size);
    if (len) memcpy(m->data + ptr, src, len);
    memory_mark(m, ptr, len);
    return WVM_OK;
}

/* ---- types of imports and exports ---- */

wvm_status extern_module_types(wvm_module *mod) {
    const wasm_module *m = &mod->m;
    size_t nvals = 0;
    for (uint32_t i = 0; i < m->ntypes; i++) nvals += (size_t)m->types[i].nparams + m->types[i].nresults;
    /* one block: the wvm_functype array, then every type's valtypes */
    size_t bytes = (size_t)m->ntypes * sizeof(wvm_functype) + nvals * sizeof(wvm_valtype);
    wvm_functype *t = mem_calloc(&mod->engine->cfg.allocator, 1, bytes ? bytes : 1);
    if (!t) return WVM_ERR_NOMEM;
    wvm_valtype *v = (wvm_valtype *)(t + m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wasm_functype *ft = &m->types[i];
        t[i].nparams = ft->nparams;
        t[i].nresults = ft->nresults;
        t[i].params = v;
        t[i].results = v + ft->nparams;
        for (uint32_t k = 0; k < ft->nparams + ft->nresults; k++) *v++ = (wvm_valtype)ft->types[k];
    }
    mod->pub_types = t;
    return WVM_OK;
}

static void limits_type(const wasm_limits *l, uint32_t *min, uint32_t *max) {
    *min = l->min;
    *max = l->has_max ? l->max : UINT32_MAX;
}

/* The type of kind `kind`, index `index` in m's index spaces. */
static void index_type(const wvm_module *mod, uint8_t kind, uint32_t index, wvm_externtype *out) {
    const wasm_module *m = &mod->m;
    memset(out, 0, sizeof *out);
    out->kind = (wvm_externkind)kind;
    switch (kind) {
    case EXT_FUNC:
        out->of.func = mod->pub_types[m->func_types[index]];
        break;
    case EXT_TABLE:
        out->of.table.elem = (wvm_valtype)m->tables[index].elem;
        limits_type(&m->tables[index].lim, &out->of.table.min, &out->of.table.max);
        break;
    case EXT_MEMORY:
        limits_type(&m->mems[index], &out->of.memory.min, &out->of.memory.max);
        break;
    default:
        out->of.global.type = (wvm_valtype)m->globals[index].type.type;
        out->of.global.mutable_ = m->globals[index].type.mut;
        break;
    }
}

/* Index of import i in its kind's index space (imports come first). */
static uint32_t import_index(const wasm_module *m, uint32_t i) {
    uint32_t n = 0;
    for (uint32_t k = 0; k < i; k++) n += m->imports[k].kind == m->imports[i].kind;
    return n;
}

wvm_status wvm_module_import_type(const wvm_module *mod, uint32_t i, wvm_externtype *out) {
    memset(out, 0, sizeof *out);
    if (mod->status) return WVM_ERR_ARG;
    if (i >= mod->m.nimports) return WVM_ERR_NOT_FOUND;
    index_type(mod, mod->m.imports[i].kind, import_index(&mod->m, i), out);
    return WVM_OK;
}

wvm_status wvm_module_export_type(const wvm_module *mod, uint32_t i, wvm_externtype *out) {
    memset(out, 0, sizeof *out);
    if (mod->status) return WVM_ERR_ARG;
    if (i >= mod->m.nexports) return WVM_ERR_NOT_FOUND;
    index_type(mod, mod->m.exports[i].kind, mod->m.exports[i].index, out);
    return WVM_OK;
}
