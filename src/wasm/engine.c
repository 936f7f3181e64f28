/*
 * engine.c -- engines, modules and status texts.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "wasm/runtime.h"
#include "wasm/mem.h"

const char *wvm_status_str(wvm_status s) {
    switch (s) {
    case WVM_OK: return "ok";
    case WVM_ERR_MALFORMED: return "malformed module";
    case WVM_ERR_INVALID: return "invalid module";
    case WVM_ERR_LINK: return "link error";
    case WVM_ERR_LIMIT: return "module over a load-time limit";
    case WVM_TRAP_UNREACHABLE: return "unreachable executed";
    case WVM_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WVM_TRAP_TABLE_OOB: return "out of bounds table access";
    case WVM_TRAP_INDIRECT_NULL: return "uninitialized element";
    case WVM_TRAP_INDIRECT_TYPE: return "indirect call type mismatch";
    case WVM_TRAP_DIV_ZERO: return "integer divide by zero";
    case WVM_TRAP_INT_OVERFLOW: return "integer overflow";
    case WVM_TRAP_INVALID_CONV: return "invalid conversion to integer";
    case WVM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WVM_TRAP_OUT_OF_FUEL: return "out of fuel";
    case WVM_TRAP_TIMEOUT: return "timeout";
    case WVM_TRAP_CANCELLED: return "cancelled";
    case WVM_TRAP_HOST: return "host function trap";
    case WVM_TRAP_EXIT: return "exit";
    case WVM_ERR_NOMEM: return "out of memory";
    case WVM_ERR_RESOURCE: return "resource limit exceeded";
    case WVM_ERR_NOT_FOUND: return "not found";
    case WVM_ERR_TYPE: return "type mismatch";
    case WVM_ERR_BOUNDS: return "out of bounds";
    case WVM_ERR_ARG: return "bad argument";
    case WVM_ERR_STATE: return "state store error";
    case WVM_ERR_EXISTS: return "already exists";
    case WVM_ERR_PERMISSION: return "permission denied";
    case WVM_ERR_FUNDS: return "insufficient funds";
    case WVM_ERR_OVERFLOW: return "balance overflow";
    }
    return "unknown status";
}

void wvm_config_default(wvm_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->float_policy = WVM_FLOAT_CANONICAL_NAN; /* contracts: same bits everywhere */
    cfg->metering = true;
}

#define DEFAULT(field, v) if (!l->field) l->field = (v)
static void resolve_limits(wvm_limits *l) {
    DEFAULT(max_module_bytes, 64u << 20);
    DEFAULT(max_functions, 100000);
    DEFAULT(max_locals, 50000);
    DEFAULT(max_body_bytes, 8u << 20);
    DEFAULT(max_block_depth, 1024);
    DEFAULT(max_segments, 100000);
    DEFAULT(max_globals, 100000);
    DEFAULT(max_memory_pages, 256);
    DEFAULT(max_table_elems, 1024);
    DEFAULT(max_call_depth, 1024);
    DEFAULT(max_stack_slots, 8192);
    DEFAULT(timeout_ms, 5000);
}
#undef DEFAULT

wvm_status wvm_engine_new(const wvm_config *cfg, wvm_engine **out) {
    *out = NULL;
    wvm_engine *e = mem_calloc(cfg ? &cfg->allocator : NULL, 1, sizeof *e);
    if (!e) return WVM_ERR_NOMEM;
    if (cfg) e->cfg = *cfg;
    else wvm_config_default(&e->cfg);
    resolve_limits(&e->cfg.limits);
    if (e->cfg.costs) e->fuel = *e->cfg.costs;
    else wvm_cost_table_default(&e->fuel);
    e->cfg.costs = &e->fuel;
    e->fuel_hash = wvm_cost_table_hash(&e->fuel);
    *out = e;
    return WVM_OK;
}

void wvm_engine_free(wvm_engine *e) {
    if (e) mem_free(&e->cfg.allocator, e);
}

const wvm_cost_table *wvm_engine_costs(const wvm_engine *e) { return &e->fuel; }

void wvm_cost_table_default(wvm_cost_table *t) {
    memset(t, 0, sizeof *t);
    t->version = WVM_COST_TABLE_VERSION;
    for (int i = 0; i < 256; i++) t->op[i] = 1;
    for (int i = 0; i < 32; i++) t->op_fc[i] = 1;
    t->memory_grow_page = 50;
    t->bulk_64_bytes = 1;
    t->host_call = 50;
    t->host_byte = 1;
    t->call = 500;
    t->transfer = 200;
    t->storage_read = 100;
    t->storage_write = 200;
    t->log = 50;
}

/* FNV-1a over the fields in a fixed order and byte order, so the hash
 * is the same on every machine. */
static uint64_t fnv_u32(uint64_t h, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t wvm_cost_table_hash(const wvm_cost_table *t) {
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv_u32(h, t->version);
    for (int i = 0; i < 256; i++) h = fnv_u32(h, t->op[i]);
    for (int i = 0; i < 32; i++) h = fnv_u32(h, t->op_fc[i]);
    uint32_t rest[] = { t->memory_grow_page, t->bulk_64_bytes, t->host_call, t->host_byte, t->call, t->transfer,
                        t->storage_read, t->storage_write, t->log };
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) h = fnv_u32(h, rest[i]);
    return h;
}

uint64_t wvm_module_cost_hash(const wvm_module *m) { return m->cost_hash; }

wvm_module *module_decode(wvm_engine *e, const uint8_t *wasm, size_t len) {
    wvm_module *mod = mem_calloc(&e->cfg.allocator, 1, sizeof *mod);
    if (!mod) return NULL;
    mod->engine = e;
    mod->m.alloc = &e->cfg.allocator;
    mod->cost_hash = e->fuel_hash;
    const wvm_limits *l = &e->cfg.limits;
    if (len > l->max_module_bytes) {
        snprintf(mod->errmsg, sizeof mod->errmsg, "limit: module of %zu bytes exceeds max_module_bytes %u",
                 len, l->max_module_bytes);
        mod->status = WVM_ERR_LIMIT;
        return mod;
    }
    decode_limits dl = { l->max_module_bytes, l->max_functions, l->max_locals, l->max_body_bytes,
                         l->max_segments, l->max_globals };
    static const uint8_t empty[1];
    mod->status = decode_module(&mod->m, wasm ? wasm : empty, wasm ? len : 0, &dl,
                                mod->errmsg, sizeof mod->errmsg);
    return mod;
}

wvm_status module_finish(wvm_module *mod) {
    wvm_engine *e = mod->engine;
    if (mod->status == WVM_OK && extern_module_types(mod) != WVM_OK) {
        snprintf(mod->errmsg, sizeof mod->errmsg, "out of memory");
        mod->status = WVM_ERR_NOMEM;
    }
    /* the dump shows every function: all are translated first */
    if (mod->status == WVM_OK && e->cfg.dump) {
        mod->status = compile_all(mod, mod->errmsg, sizeof mod->errmsg);
        if (mod->status == WVM_OK) dump_module(&mod->m, e->cfg.dump, e->cfg.dump_user);
    }
    return mod->status;
}

wvm_status wvm_module_new(wvm_engine *e, const uint8_t *wasm, size_t len, wvm_module **out) {
    wvm_module *mod = *out = module_decode(e, wasm, len);
    if (!mod) return WVM_ERR_NOMEM;
    if (mod->status == WVM_OK) {
        mod->status = compile_module(mod, mod->errmsg, sizeof mod->errmsg);
        module_finish(mod);
    }
    return mod->status;
}

void wvm_module_free(wvm_module *m) {
    if (!m) return;
    mem_free(&m->engine->cfg.allocator, m->pub_types);
    compile_release(&m->m);
    decode_release(&m->m);
    mem_free(&m->engine->cfg.allocator, m);
}

const char *wvm_module_errmsg(const wvm_module *m) {
    return m->status ? m->errmsg : "";
}

uint32_t wvm_module_import_count(const wvm_module *m) { return m->status ? 0 : m->m.nimports; }

void wvm_module_import(const wvm_module *m, uint32_t i, const char **module, uint32_t *module_len,
                       const char **name, uint32_t *name_len, wvm_externkind *kind) {
    if (i >= wvm_module_import_count(m)) { /* misuse: answer an empty name */
        *module = *name = "";
        *module_len = *name_len = 0;
        *kind = WVM_EXTERN_FUNC;
        return;
    }
    const wasm_import *im = &m->m.imports[i];
    *module = im->module.ptr;
    *module_len = im->module.len;
    *name = im->name.ptr;
    *name_len = im->name.len;
    *kind = (wvm_externkind)im->kind;
}

uint32_t wvm_module_export_count(const wvm_module *m) { return m->status ? 0 : m->m.nexports; }

void wvm_module_export(const wvm_module *m, uint32_t i, const char **name, uint32_t *name_len,
                       wvm_externkind *kind) {
    if (i >= wvm_module_export_count(m)) { /* misuse: answer an empty name */
        *name = "";
        *name_len = 0;
        *kind = WVM_EXTERN_FUNC;
        return;
    }
    const wasm_export *x = &m->m.exports[i];
    *name = x->name.ptr;
    *name_len = x->name.len;
    *kind = (wvm_externkind)x->kind;
}
