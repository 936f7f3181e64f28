/*
 * snapshot.c -- wvm_instance_snapshot and wvm_instance_reset: an
 * instance put back into a state taken earlier, so that an embedder can
 * reuse it for the next call instead of instantiating the module again.
 *
 * The snapshot keeps copies of everything a call can change in an
 * instance: memory 0 (bytes and size), the globals, the tables
 * (elements and size) and which data and element segments are dropped.
 * Objects the instance imports are shared with their owner, so putting
 * them back would change another instance's state: an instance that
 * imports a memory, a table or a mutable global is refused.
 *
 * A reset costs what the call changed, not the instance's size: every
 * write to a memory marks its 4 KiB pages in the memory's dirty map
 * (runtime.h), and a reset copies back only the marked pages; a table
 * is copied back only when something wrote to it.  The globals and
 * dropped flags are few and always copied.
 */
#include <string.h>
#include "wasm/runtime.h"
#include "wasm/mem.h"

static void snapshot_free(const wvm_allocator *a, snapshot *sn, uint32_t ntables) {
    if (!sn) return;
    mem_free(a, sn->mem);
    mem_free(a, sn->globals);
    if (sn->table_elems)
        for (uint32_t i = 0; i < ntables; i++) mem_free(a, sn->table_elems[i]);
    mem_free(a, sn->table_elems);
    mem_free(a, sn->table_sizes);
    mem_free(a, sn->elem_dropped);
    mem_free(a, sn->data_dropped);
    mem_free(a, sn);
}

/* store_own's release: the instance's snapshot goes with the store */
static void snapshot_release(wvm_store *s, void *p) {
    wvm_instance *inst = p;
    snapshot_free(store_allocator(s), inst->snap, inst->module->m.ntables);
    inst->snap = NULL;
}

/* Why inst cannot be snapshot (an import another instance may own), or
 * NULL when it can. */
static const char *snapshot_refusal(const wvm_instance *inst) {
    const wasm_module *m = &inst->module->m;
    if (m->nmem_imports) return "its memory is imported";
    if (m->ntable_imports) return "it imports a table";
    for (uint32_t i = 0; i < m->nglobal_imports; i++)
        if (inst->globals[i]->mut) return "it imports a mutable global";
    return NULL;
}

/* A copy of inst's state in new allocations, or NULL when out of memory. */
static snapshot *snapshot_take(const wvm_allocator *a, wvm_instance *inst) {
    const wasm_module *m = &inst->module->m;
    memory_obj *mem = inst->mem;
    snapshot *sn = mem_calloc(a, 1, sizeof *sn);
    if (!sn) return NULL;
    sn->mem_size = mem->size;
    sn->mem_pages = mem->pages;
    sn->mem = mem_alloc(a, (size_t)mem->size);
    sn->globals = mem_calloc(a, m->nglobals, sizeof(slot));
    sn->table_elems = mem_calloc(a, m->ntables, sizeof(slot *));
    sn->table_sizes = mem_calloc(a, m->ntables, sizeof(uint32_t));
    sn->elem_dropped = mem_calloc(a, m->nelems, sizeof(bool));
    sn->data_dropped = mem_calloc(a, m->ndatas, sizeof(bool));
    bool ok = sn->mem && sn->globals && sn->table_elems && sn->table_sizes && sn->elem_dropped && sn->data_dropped;
    for (uint32_t i = 0; ok && i < m->ntables; i++) {
        const table_obj *t = inst->tables[i];
        sn->table_sizes[i] = t->size;
        sn->table_elems[i] = mem_calloc(a, t->size, sizeof(slot));
        ok = sn->table_elems[i] != NULL;
        if (ok && t->size) memcpy(sn->table_elems[i], t->elems, (size_t)t->size * sizeof(slot));
    }
    if (!ok) {
        snapshot_free(a, sn, m->ntables);
        return NULL;
    }
    if (mem->size) memcpy(sn->mem, mem->data, (size_t)mem->size);
    /* from here on, what is written differs from the copy */
    memset(mem->data - mem->size / DIRTY_PAGE, 0, (size_t)(mem->size / DIRTY_PAGE));
    for (uint32_t i = 0; i < m->ntables; i++) inst->tables[i]->written = false;
    for (uint32_t i = 0; i < m->nglobals; i++) sn->globals[i] = inst->globals[i]->val;
    if (m->nelems) memcpy(sn->elem_dropped, inst->elem_dropped, m->nelems * sizeof(bool));
    if (m->ndatas) memcpy(sn->data_dropped, inst->data_dropped, m->ndatas * sizeof(bool));
    return sn;
}

wvm_status wvm_instance_snapshot(wvm_instance *inst) {
    if (!inst) return WVM_ERR_ARG;
    wvm_store *s = inst->store;
    const char *why = snapshot_refusal(inst);
    if (why) return store_error(s, WVM_ERR_ARG, "wvm_instance_snapshot: cannot snapshot the instance: %s", why);
    const wvm_allocator *a = store_allocator(s);
    /* the first snapshot registers its release with the store; a later
     * one replaces the copies (only once the new ones are all made) */
    if (!inst->snap) {
        if (store_own(s, snapshot_release, inst)) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    }
    snapshot *sn = snapshot_take(a, inst);
    if (!sn) return store_error(s, WVM_ERR_NOMEM, "wvm_instance_snapshot: out of memory copying the instance");
    snapshot_free(a, inst->snap, inst->module->m.ntables);
    inst->snap = sn;
    return WVM_OK;
}

/* Copies back the pages of memory 0 marked since the snapshot (or the
 * last reset) and clears their marks.  The map is scanned a word (8
 * pages) at a time: a call usually writes a few pages of many.  Pages
 * past the snapshot's size (a grow since) only lose their marks; the
 * size goes back after this. */
static void reset_pages(memory_obj *m, const snapshot *sn) {
    uint64_t npages = m->size / DIRTY_PAGE, snap_pages = sn->mem_size / DIRTY_PAGE;
    uint8_t *map = m->data - npages; /* map[npages - 1 - p] is page p's byte */
    for (uint64_t k = 0; k < npages; k += 8) {
        uint64_t word;
        size_t n = npages - k < 8 ? (size_t)(npages - k) : 8;
        word = 0;
        memcpy(&word, map + k, n);
        if (!word) continue;
        for (size_t j = 0; j < n; j++) {
            if (!map[k + j]) continue;
            map[k + j] = 0;
            uint64_t p = npages - 1 - (k + j);
            if (p >= snap_pages) continue;
            /* the page and what a store that starts in it may reach */
            uint64_t off = p * DIRTY_PAGE, end = off + DIRTY_PAGE + DIRTY_SPILL;
            if (end > sn->mem_size) end = sn->mem_size;
            memcpy(m->data + off, sn->mem + off, (size_t)(end - off));
        }
    }
}

/* Memory 0 back to the snapshot's size: a memory.grow since is undone.
 * The bytes past the size need not be cleared: a later grow zeroes
 * what it adds (instance_memory_grow). */
static void reset_memory_size(wvm_store *s, memory_obj *m, const snapshot *sn) {
    if (m->size == sn->mem_size) return;
    uint8_t *block = mem_realloc(store_allocator(s), m->data - m->map_bytes, (size_t)(m->map_bytes + sn->mem_size));
    if (block) m->data = block + m->map_bytes; /* a failed shrink keeps the larger block: still correct */
    m->size = sn->mem_size;
    m->pages = sn->mem_pages;
}

static void reset_table(wvm_store *s, table_obj *t, const slot *elems, uint32_t size) {
    if (!t->written) return;
    if (t->size != size) {
        slot *e = mem_realloc(store_allocator(s), t->elems, size ? (size_t)size * sizeof(slot) : 1);
        if (e) t->elems = e;
        t->size = size;
    }
    if (size) memcpy(t->elems, elems, (size_t)size * sizeof(slot));
    t->written = false;
}

wvm_status wvm_instance_reset(wvm_instance *inst) {
    if (!inst) return WVM_ERR_ARG;
    const snapshot *sn = inst->snap;
    if (!sn) return store_error(inst->store, WVM_ERR_ARG, "wvm_instance_reset: the instance has no snapshot");
    const wasm_module *m = &inst->module->m;
    memory_obj *mem = inst->mem;
    reset_pages(mem, sn);
    reset_memory_size(inst->store, mem, sn);
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) inst->globals[i]->val = sn->globals[i];
    for (uint32_t i = 0; i < m->ntables; i++) reset_table(inst->store, inst->tables[i], sn->table_elems[i], sn->table_sizes[i]);
    if (m->nelems) memcpy(inst->elem_dropped, sn->elem_dropped, m->nelems * sizeof(bool));
    if (m->ndatas) memcpy(inst->data_dropped, sn->data_dropped, m->ndatas * sizeof(bool));
    return WVM_OK;
}
