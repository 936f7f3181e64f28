/*
 * profile.c -- the deterministic fuel profile (docs/calls.md): with a
 * hook set on a store, every fuel charge is reported with the wasm stack
 * it was made in, so fuel is attributed to each wasm function and each
 * host call exactly -- the same numbers on every machine and run.
 *
 * How it stays free when off: the interpreter hands out fuel in chunks
 * and only its slow path (fuel_refill, once per FUEL_CHUNK) reaches this
 * file.  With a hook set, a chunk is exactly the charge being paid, so
 * every charge takes the slow path and is reported here.  Slow, and
 * meant for profiling runs only.
 */
#include <stdio.h>
#include <string.h>
#include "runtime.h"

wvm_status wvm_store_set_profile(wvm_store *s, wvm_profile_fn fn, void *user) {
    if (fn && !s->prof_stack) {
        s->prof_stack = store_alloc(s, ((size_t)s->max_frames + 1) * sizeof *s->prof_stack);
        if (!s->prof_stack) return store_error(s, WVM_ERR_NOMEM, "out of memory for the profile stack");
    }
    s->prof_fn = fn;
    s->prof_user = user;
    return WVM_OK;
}

/* The function index of code position pc in inst, or UINT32_MAX. */
static uint32_t index_at(const wvm_instance *inst, const cell *pc) {
    const wasm_module *m = &inst->module->m;
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
        if (compile_holds(&m->compiled[i], pc)) return m->nfunc_imports + i;
    }
    return UINT32_MAX;
}

void profile_report(wvm_store *s, const wvm_instance *inst, const cell *pc, uint64_t cost) {
    uint32_t n = 0, host = UINT32_MAX;
    for (uint32_t i = 0; i < s->nframes; i++) {
        const frame *fr = &s->frames[i];
        if (!fr->inst) continue;
        /* frames[i] holds the caller's state at a call: the call is the
         * instruction before ret_pc */
        uint32_t f = index_at(fr->inst, fr->ret_pc - 1);
        if (f == UINT32_MAX) continue;
        s->prof_stack[n++] = (wvm_prof_frame){ fr->inst, f };
    }
    if (inst && pc) {
        uint32_t f = index_at(inst, pc);
        if (f != UINT32_MAX) s->prof_stack[n++] = (wvm_prof_frame){ inst, f };
    } else if (s->nframes) {
        /* a host function's charge: the top frame is its call site, a
         * CALL_IMPORT [h][A HI=function index] just before ret_pc */
        const frame *fr = &s->frames[s->nframes - 1];
        const cell *call = fr->ret_pc - 2;
        if (fr->inst && call->h == interp_labels()[OP_CALL_IMPORT]) host = OPHI(call[1].u);
    }
    s->prof_fn(s->prof_user, s->prof_stack, n, cost, host);
}

void wvm_instance_func_name(const wvm_instance *inst, uint32_t func, char *buf, size_t cap) {
    const wasm_module *m = &inst->module->m;
    if (func < m->nfunc_imports) {
        /* imports come first in the function index space */
        uint32_t k = 0;
        for (uint32_t i = 0; i < m->nimports; i++) {
            const wasm_import *im = &m->imports[i];
            if (im->kind != EXT_FUNC) continue;
            if (k++ == func) {
                snprintf(buf, cap, "%.*s.%.*s", (int)im->module.len, im->module.ptr, (int)im->name.len,
                         im->name.ptr);
                return;
            }
        }
    }
    if (func < m->nfuncs && m->func_names && m->func_names[func].ptr) {
        snprintf(buf, cap, "%s", m->func_names[func].ptr);
        return;
    }
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == EXT_FUNC && m->exports[i].index == func) {
            snprintf(buf, cap, "%.*s", (int)m->exports[i].name.len, m->exports[i].name.ptr);
            return;
        }
    snprintf(buf, cap, "func[%u]", func);
}
