/*
 * instance.c -- instantiation (linking, segments, start), exports, and
 * the runtime objects: memories, tables, globals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/runtime.h"
#include "wasm/mem.h"

#define PAGE 65536u

/* ---- memories ---- */

static void memory_release(wvm_store *s, void *p) {
    memory_obj *m = p;
    mem_free(store_allocator(s), m->data - m->map_bytes);
    mem_free(store_allocator(s), m);
}

/* Makes a memory of `min` pages; max_pages is the effective maximum
 * (declared maximum capped by the engine's limit). */
static wvm_status memory_make(wvm_store *s, uint32_t min, uint32_t max, bool has_max, memory_obj **out) {
    uint32_t cap = s->engine->cfg.limits.max_memory_pages;
    if (min > cap)
        return store_error(s, WVM_ERR_RESOURCE, "memory of %u pages exceeds max_memory_pages %u", min, cap);
    if (min > 65536)
        return store_error(s, WVM_ERR_RESOURCE, "memory of %u pages exceeds the 65536 (4 GiB) of a wasm32 memory", min);
    memory_obj *m = mem_calloc(store_allocator(s), 1, sizeof *m);
    if (!m) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    m->store = s;
    m->pages = min;
    m->size = (uint64_t)min * PAGE;
    m->has_max = has_max;
    m->max_pages = has_max && max < cap ? max : cap;
    if (m->max_pages > 65536) m->max_pages = 65536; /* 4 GiB: all a wasm32 memory can be */
    /* the dirty map (runtime.h) for every page the memory may grow to */
    m->map_bytes = m->max_pages * (PAGE / DIRTY_PAGE);
    uint8_t *block = mem_calloc(store_allocator(s), (size_t)m->map_bytes + m->size, 1);
    if (!block) {
        mem_free(store_allocator(s), m);
        return store_error(s, WVM_ERR_NOMEM, "out of memory allocating %u pages", min);
    }
    m->data = block + m->map_bytes;
    if (store_own(s, memory_release, m)) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    *out = m;
    return WVM_OK;
}

int64_t instance_memory_grow(wvm_store *s, memory_obj *m, uint32_t delta) {
    uint32_t old = m->pages;
    if (delta == 0) return old;
    if ((uint64_t)old + delta > m->max_pages) return -1;
    uint64_t nsize = (uint64_t)(old + delta) * PAGE;
    if (nsize > SIZE_MAX - m->map_bytes) return -1;
    uint8_t *block = mem_realloc(store_allocator(s), m->data - m->map_bytes, (size_t)(m->map_bytes + nsize));
    if (!block) return -1; /* the spec allows grow to fail */
    uint8_t *d = block + m->map_bytes;
    /* also what a reset left past the size (snapshot.c) */
    memset(d + m->size, 0, nsize - m->size);
    m->data = d;
    m->size = nsize;
    m->pages = old + delta;
    return old;
}

/* ---- tables ---- */

static void table_release(wvm_store *s, void *p) {
    table_obj *t = p;
    mem_free(store_allocator(s), t->elems);
    mem_free(store_allocator(s), t);
}

static wvm_status table_make(wvm_store *s, uint8_t elem, uint32_t min, uint32_t max, bool has_max,
                             table_obj **out) {
    uint32_t cap = s->engine->cfg.limits.max_table_elems;
    if (min > cap)
        return store_error(s, WVM_ERR_RESOURCE, "table of %u elements exceeds max_table_elems %u", min, cap);
    table_obj *t = mem_calloc(store_allocator(s), 1, sizeof *t);
    if (!t) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    t->store = s;
    t->elem = elem;
    t->size = min;
    t->has_max = has_max;
    t->max = has_max && max < cap ? max : cap;
    t->elems = mem_calloc(store_allocator(s), min, sizeof(slot));
    if (!t->elems) {
        mem_free(store_allocator(s), t);
        return store_error(s, WVM_ERR_NOMEM, "out of memory allocating a table of %u", min);
    }
    if (store_own(s, table_release, t)) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    *out = t;
    return WVM_OK;
}

int64_t instance_table_grow(wvm_store *s, table_obj *t, uint32_t delta, slot init) {
    uint32_t old = t->size;
    if ((uint64_t)old + delta > t->max) return -1;
    if (delta == 0) return old;
    t->written = true;
    slot *e = mem_realloc(store_allocator(s), t->elems, (size_t)(old + delta) * sizeof(slot));
    if (!e) return -1;
    for (uint32_t i = old; i < old + delta; i++) e[i] = init;
    t->elems = e;
    t->size = old + delta;
    return old;
}

/* ---- segments ---- */

wvm_status instance_memory_init(wvm_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
    const wasm_data *d = &inst->module->m.datas[seg];
    uint64_t len = inst->data_dropped[seg] ? 0 : d->len;
    memory_obj *m = inst->mem;
    if ((uint64_t)src + n > len || (uint64_t)dst + n > m->size) return WVM_TRAP_MEMORY_OOB;
    if (n) memcpy(m->data + dst, d->bytes + src, n);
    memory_mark(m, dst, n);
    return WVM_OK;
}

wvm_status instance_table_init(wvm_instance *inst, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src,
                               uint32_t n) {
    const wasm_elem *el = &inst->module->m.elems[seg];
    uint64_t len = inst->elem_dropped[seg] ? 0 : el->count;
    table_obj *t = inst->tables[table];
    if ((uint64_t)src + n > len || (uint64_t)dst + n > t->size) return WVM_TRAP_TABLE_OOB;
    for (uint32_t i = 0; i < n; i++) t->elems[dst + i] = inst->elem_refs[seg][src + i];
    t->written = true;
    return WVM_OK;
}

/* ---- constant expressions ---- */

static slot eval_const(wvm_instance *inst, const wasm_constexpr *e) {
    slot v = { .u64 = 0 };
    switch (e->op) {
    case 0x41: v.u64 = (uint32_t)e->value; break;
    case 0x42: case 0x43: case 0x44: v.u64 = e->value; break;
    case 0xd0: v.ref = NULL; break;
    case 0xd2: v.ref = inst->funcs[e->value]; break;
    case 0x23: v = inst->globals[e->value]->val; break;
    }
    return v;
}

/* ---- linking ---- */

static bool limits_match(uint32_t amin, uint32_t amax, bool ahas, const wasm_limits *want) {
    if (amin < want->min) return false;
    if (want->has_max && (!ahas || amax > want->max)) return false;
    return true;
}

static wvm_status link_import(wvm_store *s, wvm_instance *inst, const wasm_import *im, wvm_extern x,
                              uint32_t *nf, uint32_t *nt, uint32_t *ng) {
    const wasm_module *m = &inst->module->m;
    static const char *kinds[4] = { "function", "table", "memory", "global" };
    if (!x.ptr || (uint8_t)x.kind != im->kind)
        return store_error(s, WVM_ERR_LINK, "incompatible import type: %s.%s must be a %s",
                           im->module.ptr, im->name.ptr, kinds[im->kind & 3]);
    switch (im->kind) {
    case EXT_FUNC: {
        wvm_func *f = x.ptr;
        if (!interp_functype_eq(f->type, &m->types[im->u.func_type]))
            return store_error(s, WVM_ERR_LINK, "incompatible import type: function %s.%s has the wrong signature",
                               im->module.ptr, im->name.ptr);
        inst->funcs[(*nf)++] = f;
        return WVM_OK;
    }
    case EXT_TABLE: {
        table_obj *t = x.ptr;
        if (t->elem != im->u.table.elem || !limits_match(t->size, t->max, t->has_max, &im->u.table.lim))
            return store_error(s, WVM_ERR_LINK, "incompatible import type: table %s.%s", im->module.ptr, im->name.ptr);
        inst->tables[(*nt)++] = t;
        return WVM_OK;
    }
    case EXT_MEMORY: {
        memory_obj *mo = x.ptr;
        if (!limits_match(mo->pages, mo->max_pages, mo->has_max, &im->u.mem))
            return store_error(s, WVM_ERR_LINK, "incompatible import type: memory %s.%s", im->module.ptr, im->name.ptr);
        inst->mem = mo;
        return WVM_OK;
    }
    default: {
        global_obj *g = x.ptr;
        if (g->type != im->u.global.type || g->mut != im->u.global.mut)
            return store_error(s, WVM_ERR_LINK, "incompatible import type: global %s.%s", im->module.ptr, im->name.ptr);
        inst->globals[(*ng)++] = g;
        return WVM_OK;
    }
    }
}

static memory_obj *no_memory(wvm_store *s) {
    static const uint8_t none[1];
    memory_obj *m = store_alloc(s, sizeof *m);
    if (m) {
        m->store = s;
        m->data = (uint8_t *)none; /* size 0: every access traps */
    }
    return m;
}

static wvm_status alloc_instance(wvm_store *s, const wvm_module *mod, wvm_instance **out) {
    const wasm_module *m = &mod->m;
    wvm_instance *inst = store_alloc(s, sizeof *inst);
    if (!inst) return WVM_ERR_NOMEM;
    inst->store = s;
    inst->module = mod;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    inst->funcs = store_alloc(s, (size_t)m->nfuncs * sizeof *inst->funcs);
    inst->self_funcs = store_alloc(s, (size_t)ndef * sizeof *inst->self_funcs);
    inst->tables = store_alloc(s, (size_t)m->ntables * sizeof *inst->tables);
    inst->globals = store_alloc(s, (size_t)m->nglobals * sizeof *inst->globals);
    inst->elem_dropped = store_alloc(s, m->nelems);
    inst->data_dropped = store_alloc(s, m->ndatas);
    inst->elem_refs = store_alloc(s, (size_t)m->nelems * sizeof *inst->elem_refs);
    if (!inst->funcs || !inst->self_funcs || !inst->tables || !inst->globals || !inst->elem_dropped ||
        !inst->data_dropped || !inst->elem_refs)
        return WVM_ERR_NOMEM;
    *out = inst;
    return WVM_OK;
}

static wvm_status define_objects(wvm_store *s, wvm_instance *inst, uint32_t nf, uint32_t nt, uint32_t ng) {
    const wasm_module *m = &inst->module->m;
    wvm_status st;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        wvm_func *f = &inst->self_funcs[i - m->nfunc_imports];
        f->type = &m->types[m->func_types[i]];
        f->inst = inst;
        f->store = s;
        f->code = &m->compiled[i - m->nfunc_imports];
        f->index = i;
        inst->funcs[nf++] = f;
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const wasm_tabletype *tt = &m->tables[i];
        if ((st = table_make(s, tt->elem, tt->lim.min, tt->lim.max, tt->lim.has_max, &inst->tables[nt++])))
            return st;
    }
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
        const wasm_limits *l = &m->mems[i];
        if ((st = memory_make(s, l->min, l->max, l->has_max, &inst->mem))) return st;
    }
    inst->has_memory = inst->mem != NULL;
    if (!inst->mem && !(inst->mem = no_memory(s))) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        global_obj *g = store_alloc(s, sizeof *g);
        if (!g) return store_error(s, WVM_ERR_NOMEM, "out of memory");
        g->store = s;
        g->type = m->globals[i].type.type;
        g->mut = m->globals[i].type.mut;
        g->val = eval_const(inst, &m->globals[i].init);
        inst->globals[ng++] = g;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem *el = &m->elems[i];
        inst->elem_refs[i] = store_alloc(s, (size_t)el->count * sizeof(slot));
        if (!inst->elem_refs[i]) return store_error(s, WVM_ERR_NOMEM, "out of memory");
        for (uint32_t k = 0; k < el->count; k++) inst->elem_refs[i][k] = eval_const(inst, &el->items[k]);
    }
    return WVM_OK;
}

/* Active segments in order, then the start function (spec 2.0 order). */
static wvm_status run_initializers(wvm_store *s, wvm_instance *inst) {
    const wasm_module *m = &inst->module->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem *el = &m->elems[i];
        if (el->mode == SEG_ACTIVE) {
            uint32_t off = eval_const(inst, &el->offset).u32;
            wvm_status st = instance_table_init(inst, el->table, i, off, 0, el->count);
            if (st) return store_error(s, st, "%s: element segment %u does not fit its table", wvm_status_str(st), i);
        }
        if (el->mode != SEG_PASSIVE) inst->elem_dropped[i] = true;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data *d = &m->datas[i];
        if (d->mode != SEG_ACTIVE) continue;
        uint32_t off = eval_const(inst, &d->offset).u32;
        wvm_status st = instance_memory_init(inst, i, off, 0, d->len);
        if (st) return store_error(s, st, "%s: data segment %u does not fit memory", wvm_status_str(st), i);
        inst->data_dropped[i] = true;
    }
    if (m->has_start) return wvm_func_call(s, inst->funcs[m->start], NULL, 0, NULL, 0);
    return WVM_OK;
}

wvm_status wvm_instance_new(wvm_store *s, const wvm_module *mod, const wvm_extern *imports,
                            uint32_t nimports, wvm_instance **out) {
    *out = NULL;
    if (mod->status) return store_error(s, WVM_ERR_ARG, "module failed to load: %s", mod->errmsg);
    if (mod->engine != s->engine) return store_error(s, WVM_ERR_ARG, "module and store come from different engines");
    const wasm_module *m = &mod->m;
    if (nimports != m->nimports)
        return store_error(s, WVM_ERR_LINK, "module has %u imports, %u given", m->nimports, nimports);
    if (nimports && !imports) return store_error(s, WVM_ERR_ARG, "imports is NULL");
    /* before anything is made: an object of another store would be used
     * after its store is freed, or from its store's thread at once */
    for (uint32_t i = 0; i < nimports; i++) {
        wvm_store *owner = extern_owner(imports[i]);
        if (owner && owner != s)
            return store_error(s, WVM_ERR_ARG, "import %u (%s.%s) belongs to another store", i,
                               m->imports[i].module.ptr, m->imports[i].name.ptr);
    }
    wvm_instance *inst;
    if (alloc_instance(s, mod, &inst)) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    uint32_t nf = 0, nt = 0, ng = 0;
    for (uint32_t i = 0; i < nimports; i++) {
        wvm_status st = link_import(s, inst, &m->imports[i], imports[i], &nf, &nt, &ng);
        if (st) return st;
    }
    wvm_status st = define_objects(s, inst, nf, nt, ng);
    if (st) return st;
    st = run_initializers(s, inst);
    if (st) return st;
    *out = inst;
    return WVM_OK;
}

/* ---- linking by name ---- */

static char *store_strndup(wvm_store *s, const char *str, uint32_t n) {
    char *p = store_alloc(s, (size_t)n + 1);
    if (p && n) memcpy(p, str, n);
    return p;
}

wvm_status wvm_store_define_n(wvm_store *s, const char *module, uint32_t module_len, const char *name,
                              uint32_t name_len, wvm_extern x) {
    if ((!module && module_len) || (!name && name_len))
        return store_error(s, WVM_ERR_ARG, "wvm_store_define: module or name is NULL");
    wvm_status st = extern_check(s, x, -1, "wvm_store_define");
    if (st) return st;
    definition *d = store_alloc(s, sizeof *d);
    if (!d || !(d->module = store_strndup(s, module, module_len)) || !(d->name = store_strndup(s, name, name_len)))
        return store_error(s, WVM_ERR_NOMEM, "out of memory");
    d->module_len = module_len;
    d->name_len = name_len;
    d->x = x;
    d->next = s->defs;
    s->defs = d;
    return WVM_OK;
}

wvm_status wvm_store_define(wvm_store *s, const char *module, const char *name, wvm_extern x) {
    if (!module || !name) return store_error(s, WVM_ERR_ARG, "wvm_store_define: module or name is NULL");
    return wvm_store_define_n(s, module, (uint32_t)strnlen(module, UINT32_MAX), name,
                              (uint32_t)strnlen(name, UINT32_MAX), x);
}

static const definition *find_definition(const wvm_store *s, const wasm_name *module, const wasm_name *name) {
    for (const definition *d = s->defs; d; d = d->next)
        if (d->module_len == module->len && memcmp(d->module, module->ptr, module->len) == 0 &&
            d->name_len == name->len && memcmp(d->name, name->ptr, name->len) == 0)
            return d;
    return NULL;
}

wvm_status wvm_instance_link(wvm_store *s, const wvm_module *mod, wvm_instance **out) {
    *out = NULL;
    if (mod->status) return store_error(s, WVM_ERR_ARG, "module failed to load: %s", mod->errmsg);
    const wasm_module *m = &mod->m;
    const wvm_allocator *a = store_allocator(s);
    wvm_extern *imports = mem_calloc(a, m->nimports, sizeof *imports);
    if (!imports) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    wvm_status st = WVM_OK;
    for (uint32_t i = 0; i < m->nimports && !st; i++) {
        const wasm_import *im = &m->imports[i];
        const definition *d = find_definition(s, &im->module, &im->name);
        if (!d) st = store_error(s, WVM_ERR_LINK, "unknown import: %s.%s is not defined", im->module.ptr, im->name.ptr);
        else imports[i] = d->x;
    }
    if (!st) st = wvm_instance_new(s, mod, imports, m->nimports, out);
    mem_free(a, imports);
    return st;
}

/* ---- exports ---- */

wvm_status wvm_instance_export_n(wvm_instance *inst, const char *name, uint32_t name_len, wvm_extern *out) {
    *out = (wvm_extern){ 0, NULL };
    if (!name && name_len) return store_error(inst->store, WVM_ERR_ARG, "export name is NULL");
    const wasm_module *m = &inst->module->m;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *x = &m->exports[i];
        if (x->name.len != name_len || (name_len && memcmp(x->name.ptr, name, name_len) != 0)) continue;
        out->kind = (wvm_externkind)x->kind;
        switch (x->kind) {
        case EXT_FUNC: out->ptr = inst->funcs[x->index]; break;
        case EXT_TABLE: out->ptr = inst->tables[x->index]; break;
        case EXT_MEMORY: out->ptr = inst->mem; break;
        default: out->ptr = inst->globals[x->index]; break;
        }
        return WVM_OK;
    }
    return store_error(inst->store, WVM_ERR_NOT_FOUND, "no export named \"%.*s\"", (int)name_len, name);
}

wvm_status wvm_instance_export(wvm_instance *inst, const char *name, wvm_extern *out) {
    *out = (wvm_extern){ 0, NULL };
    if (!name) return store_error(inst->store, WVM_ERR_ARG, "export name is NULL");
    return wvm_instance_export_n(inst, name, (uint32_t)strnlen(name, UINT32_MAX), out);
}

wvm_status wvm_instance_func_n(wvm_instance *inst, const char *name, uint32_t name_len, wvm_func **out) {
    wvm_extern x;
    *out = NULL;
    wvm_status st = wvm_instance_export_n(inst, name, name_len, &x);
    if (st) return st;
    if (x.kind != WVM_EXTERN_FUNC)
        return store_error(inst->store, WVM_ERR_NOT_FOUND, "export \"%.*s\" is not a function", (int)name_len, name);
    *out = x.ptr;
    return WVM_OK;
}

wvm_status wvm_instance_func(wvm_instance *inst, const char *name, wvm_func **out) {
    *out = NULL;
    if (!name) return store_error(inst->store, WVM_ERR_ARG, "export name is NULL");
    return wvm_instance_func_n(inst, name, (uint32_t)strnlen(name, UINT32_MAX), out);
}

wvm_status wvm_instance_memory_read(wvm_instance *inst, uint32_t ptr, void *dst, uint32_t len) {
    memory_obj *m = inst->mem;
    if (!inst->has_memory || (uint64_t)ptr + len > m->size) return WVM_ERR_BOUNDS;
    memcpy(dst, m->data + ptr, len);
    return WVM_OK;
}

wvm_status wvm_instance_memory_write(wvm_instance *inst, uint32_t ptr, const void *src, uint32_t len) {
    memory_obj *m = inst->mem;
    if (!inst->has_memory || (uint64_t)ptr + len > m->size) return WVM_ERR_BOUNDS;
    memcpy(m->data + ptr, src, len);
    memory_mark(m, ptr, len);
    return WVM_OK;
}

uint64_t wvm_instance_memory_size(const wvm_instance *inst) { return inst->mem->size; }

/* ---- objects made by the embedder ---- */

wvm_status wvm_global_new(wvm_store *s, wvm_val init, bool mutable_, wvm_extern *out) {
    *out = (wvm_extern){ 0, NULL };
    switch (init.type) {
    case WVM_I32: case WVM_I64: case WVM_F32: case WVM_F64: case WVM_EXTERNREF: break;
    case WVM_FUNCREF: {
        wvm_status st = extern_check_ref(s, init, "wvm_global_new");
        if (st) return st;
        break;
    }
    default: return store_error(s, WVM_ERR_TYPE, "wvm_global_new: %d is not a value type", (int)init.type);
    }
    global_obj *g = store_alloc(s, sizeof *g);
    if (!g) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    g->store = s;
    g->type = (uint8_t)init.type;
    g->mut = mutable_;
    g->val.i64 = init.of.i64;
    *out = (wvm_extern){ WVM_EXTERN_GLOBAL, g };
    return WVM_OK;
}

wvm_status wvm_table_new(wvm_store *s, wvm_valtype elem, uint32_t min, uint32_t max, wvm_extern *out) {
    *out = (wvm_extern){ 0, NULL };
    if (elem != WVM_FUNCREF && elem != WVM_EXTERNREF)
        return store_error(s, WVM_ERR_TYPE, "wvm_table_new: elements must be funcref or externref");
    if (max != UINT32_MAX && min > max)
        return store_error(s, WVM_ERR_ARG, "wvm_table_new: min %u is above max %u", min, max);
    table_obj *t;
    wvm_status st = table_make(s, (uint8_t)elem, min, max, max != UINT32_MAX, &t);
    if (st) return st;
    *out = (wvm_extern){ WVM_EXTERN_TABLE, t };
    return WVM_OK;
}

wvm_status wvm_memory_new(wvm_store *s, uint32_t min, uint32_t max, wvm_extern *out) {
    *out = (wvm_extern){ 0, NULL };
    if (max != UINT32_MAX && min > max)
        return store_error(s, WVM_ERR_ARG, "wvm_memory_new: min %u is above max %u", min, max);
    memory_obj *m;
    wvm_status st = memory_make(s, min, max, max != UINT32_MAX, &m);
    if (st) return st;
    *out = (wvm_extern){ WVM_EXTERN_MEMORY, m };
    return WVM_OK;
}

/* ---- names and offsets for backtraces ---- */

void instance_func_display_name(const wvm_func *f, char *buf, size_t cap) {
    if (f->host || !f->inst) {
        snprintf(buf, cap, "<host>");
        return;
    }
    const wasm_module *m = &f->inst->module->m;
    if (m->func_names && m->func_names[f->index].ptr)
        snprintf(buf, cap, "%s", m->func_names[f->index].ptr);
    else
        snprintf(buf, cap, "func[%u]", f->index);
}

uint32_t instance_func_code_offset(const wvm_func *f, const cell *pc) {
    /* untranslated (pc in the stub that translates): no position yet */
    const xlat *cf = f->code ? compile_xlat(f->code) : NULL;
    if (!cf || !cf->npcmap || pc < cf->code || pc >= cf->code + cf->ncells) return 0;
    uint32_t at = (uint32_t)(pc - cf->code), lo = 0, hi = cf->npcmap;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (cf->pcmap[mid].cell <= at) lo = mid;
        else hi = mid;
    }
    return cf->pcmap[lo].offset;
}
