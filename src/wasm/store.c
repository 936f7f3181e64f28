/*
 * store.c -- stores: ownership of runtime objects, the value and frame
 * stacks, fuel and interruption, calls from the embedder, and the
 * caller view that host functions get.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/runtime.h"
#include "wasm/mem.h"

const wvm_allocator *store_allocator(const wvm_store *s) { return &s->engine->cfg.allocator; }

wvm_status wvm_store_new(wvm_engine *e, wvm_store **out) {
    *out = NULL;
    const wvm_allocator *a = &e->cfg.allocator;
    wvm_store *s = mem_calloc(a, 1, sizeof *s);
    if (!s) return WVM_ERR_NOMEM;
    s->engine = e;
    s->max_frames = e->cfg.limits.max_call_depth;
    /* not zeroed: the interpreter initializes every slot it reads, and
     * untouched pages of a large stack then cost address space only */
    s->stack = mem_alloc(a, ((size_t)e->cfg.limits.max_stack_slots + STACK_PAD) * sizeof(slot)); /* u32 * 8 fits */
    /* every push checks nframes < max_frames (interp.c): no spare entry,
     * so that a push that forgot to would show under ASan */
    s->frames = mem_calloc(a, s->max_frames, sizeof(frame));
    if (!s->stack || !s->frames) {
        mem_free(a, s->stack);
        mem_free(a, s->frames);
        mem_free(a, s);
        return WVM_ERR_NOMEM;
    }
    s->stack_end = s->stack + e->cfg.limits.max_stack_slots;
    s->stack_top = s->stack;
    s->fuel_limit = UINT64_MAX;
    wvm_store_set_timeout(s, 0);
    atomic_init(&s->cancel, 0);
    *out = s;
    return WVM_OK;
}

void wvm_store_free(wvm_store *s) {
    if (!s) return;
    const wvm_allocator *a = store_allocator(s);
    for (defer_node *d = s->owned, *next; d; d = next) {
        next = d->next;
        if (d->sfn) d->sfn(s, d->p);
        else mem_free(a, d->p);
        mem_free(a, d);
    }
    mem_free(a, s->stack);
    mem_free(a, s->frames);
    mem_free(a, s);
}

static wvm_status defer(wvm_store *s, void (*sfn)(wvm_store *, void *), void *p) {
    defer_node *d = mem_alloc(store_allocator(s), sizeof *d);
    if (!d) {
        if (sfn) sfn(s, p);
        else mem_free(store_allocator(s), p);
        return WVM_ERR_NOMEM;
    }
    *d = (defer_node){ s->owned, sfn, p };
    s->owned = d;
    return WVM_OK;
}

/* For runtime objects: freed with sfn(s, p).  On failure p is freed at once. */
wvm_status store_own(wvm_store *s, void (*sfn)(wvm_store *, void *), void *p) { return defer(s, sfn, p); }

void *store_alloc(wvm_store *s, size_t size) {
    void *p = mem_calloc(store_allocator(s), 1, size);
    if (!p || defer(s, NULL, p)) return NULL;
    return p;
}

wvm_status store_error(wvm_store *s, wvm_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

const char *wvm_store_errmsg(const wvm_store *s) { return s->errmsg; }
int32_t wvm_store_exit_code(const wvm_store *s) { return s->exit_code; }

void wvm_store_set_fuel(wvm_store *s, uint64_t fuel) { s->fuel_limit = fuel; }
uint64_t wvm_store_fuel_used(const wvm_store *s) { return s->fuel_used; }
uint64_t wvm_store_fuel_remaining(const wvm_store *s) {
    return s->fuel_limit >= s->fuel_used ? s->fuel_limit - s->fuel_used : 0;
}
uint64_t wvm_store_instructions(const wvm_store *s) {
    return s->fuel_used >= s->fuel_extra ? s->fuel_used - s->fuel_extra : 0;
}
/* s->timeout_ms 0 is none; in the API 0 is the default (wvm.h) */
void wvm_store_set_timeout(wvm_store *s, uint32_t ms) {
    if (ms == 0) ms = s->engine->cfg.limits.timeout_ms; /* resolved: never 0 */
    s->timeout_ms = ms == WVM_NO_TIMEOUT ? 0 : ms;
}
void wvm_store_cancel(wvm_store *s) { atomic_store(&s->cancel, 1); }

/* ---- host functions ---- */

static wasm_functype *copy_functype(wvm_store *s, const wvm_functype *t) {
    size_t n = (size_t)t->nparams + t->nresults;
    wasm_functype *ft = store_alloc(s, sizeof *ft + n);
    if (!ft) return NULL;
    ft->nparams = t->nparams;
    ft->nresults = t->nresults;
    ft->types = (uint8_t *)(ft + 1);
    for (uint32_t i = 0; i < t->nparams; i++) ft->types[i] = (uint8_t)t->params[i];
    for (uint32_t i = 0; i < t->nresults; i++) ft->types[t->nparams + i] = (uint8_t)t->results[i];
    return ft;
}

wvm_status wvm_func_new_host(wvm_store *s, const wvm_functype *type, wvm_host_fn fn, void *user,
                             wvm_func **out) {
    *out = NULL;
    if (!fn || !type) return store_error(s, WVM_ERR_ARG, "host function or type is NULL");
    wasm_functype *ft = copy_functype(s, type);
    wvm_func *f = store_alloc(s, sizeof *f);
    if (!ft || !f) return store_error(s, WVM_ERR_NOMEM, "out of memory");
    f->type = ft;
    f->store = s;
    f->host = fn;
    f->user = user;
    *out = f;
    return WVM_OK;
}

const wvm_functype *wvm_func_type(const wvm_func *f) {
    /* the public type uses wvm_valtype arrays: built on first use */
    wvm_func *mf = (wvm_func *)f;
    if (mf->pub) return mf->pub;
    const wasm_functype *t = f->type;
    size_t n = (size_t)t->nparams + t->nresults;
    wvm_functype *pub = store_alloc(f->store, sizeof *pub + n * sizeof(wvm_valtype));
    if (!pub) return NULL;
    wvm_valtype *v = (wvm_valtype *)(pub + 1);
    for (size_t i = 0; i < n; i++) v[i] = (wvm_valtype)t->types[i];
    pub->nparams = t->nparams;
    pub->nresults = t->nresults;
    pub->params = v;
    pub->results = v + t->nparams;
    return mf->pub = pub;
}

/* ---- the caller view ---- */

static memory_obj *caller_mem(wvm_caller *c) {
    return c->inst && c->inst->has_memory ? c->inst->mem : NULL;
}

/* [ptr, ptr + len) of the caller's memory, or NULL when out of bounds */
static uint8_t *caller_range(wvm_caller *c, uint32_t ptr, uint32_t len) {
    memory_obj *m = caller_mem(c);
    if (!m || (uint64_t)ptr + len > m->size) return NULL;
    return m->data + ptr;
}

uint8_t *wvm_caller_memory(wvm_caller *c, uint32_t ptr, uint32_t len) {
    uint8_t *p = caller_range(c, ptr, len);
    /* the host may write through it: the range counts as written, for
     * wvm_instance_reset */
    if (p) memory_mark(c->inst->mem, ptr, len);
    return p;
}

wvm_status wvm_caller_read(wvm_caller *c, uint32_t ptr, void *dst, uint32_t len) {
    uint8_t *p = caller_range(c, ptr, len);
    if (!p) return WVM_ERR_BOUNDS;
    memcpy(dst, p, len);
    return WVM_OK;
}

wvm_status wvm_caller_write(wvm_caller *c, uint32_t ptr, const void *src, uint32_t len) {
    uint8_t *p = wvm_caller_memory(c, ptr, len);
    if (!p) return WVM_ERR_BOUNDS;
    memcpy(p, src, len);
    return WVM_OK;
}

wvm_status wvm_caller_charge(wvm_caller *c, uint64_t fuel) {
    if (!c->store->engine->cfg.metering) return WVM_OK;
    wvm_status st = interp_charge(c->store, fuel);
    if (st) store_error(c->store, st, "%s", wvm_status_str(st));
    return st;
}

wvm_status wvm_caller_trap(wvm_caller *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->store->errmsg, sizeof c->store->errmsg, fmt, ap);
    va_end(ap);
    return WVM_TRAP_HOST;
}

wvm_status wvm_caller_exit(wvm_caller *c, int32_t code) {
    c->store->exit_code = code;
    return store_error(c->store, WVM_TRAP_EXIT, "exit with code %d", code);
}

wvm_store *wvm_caller_store(wvm_caller *c) { return c->store; }
const wvm_cost_table *wvm_caller_costs(wvm_caller *c) { return &c->store->engine->fuel; }
/* The remaining fuel is fuel_reserve + fuel_chunk; what is hidden comes
 * out of the reserve first, then out of the chunk handed out. */
uint64_t wvm_caller_fuel_cap(wvm_caller *c, uint64_t cap) {
    wvm_store *s = c->store;
    if (!s->engine->cfg.metering || s->fuel_chunk < 0) return 0;
    uint64_t left = s->fuel_reserve + (uint64_t)s->fuel_chunk;
    if (left <= cap) return 0;
    uint64_t hide = left - cap;
    if (hide <= s->fuel_reserve) {
        s->fuel_reserve -= hide;
    } else {
        s->fuel_chunk -= (int64_t)(hide - s->fuel_reserve);
        s->fuel_reserve = 0;
    }
    return hide;
}

void wvm_caller_fuel_uncap(wvm_caller *c, uint64_t hidden) { c->store->fuel_reserve += hidden; }

/* The interpreter saved its counter before calling the host (SAVE). */
void wvm_caller_room(wvm_caller *c, wvm_room *out) {
    const wvm_store *s = c->store;
    if (!s->engine->cfg.metering) out->fuel = UINT64_MAX;
    else out->fuel = s->fuel_chunk < 0 ? 0 : s->fuel_reserve + (uint64_t)s->fuel_chunk;
    out->frames = s->max_frames > s->nframes ? s->max_frames - s->nframes : 0;
    out->slots = s->stack_end > s->stack_top ? (uint64_t)(s->stack_end - s->stack_top) : 0;
}

uint64_t wvm_caller_fuel_used(wvm_caller *c) {
    wvm_store *s = c->store;
    if (!s->engine->cfg.metering) return 0;
    uint64_t left = s->fuel_reserve + (uint64_t)s->fuel_chunk;
    return s->fuel_limit >= left ? s->fuel_limit - left : 0;
}

/* ---- calls from the embedder ---- */

wvm_status wvm_func_call(wvm_store *s, wvm_func *f, const wvm_val *args, uint32_t nargs,
                         wvm_val *results, uint32_t nresults) {
    if (!f) return store_error(s, WVM_ERR_ARG, "function is NULL");
    if (f->store != s) return store_error(s, WVM_ERR_ARG, "the function belongs to another store");
    const wasm_functype *t = f->type;
    if ((nargs && !args) || (t->nresults && !results))
        return store_error(s, WVM_ERR_ARG, "args or results is NULL");
    if (nargs != t->nparams || nresults < t->nresults)
        return store_error(s, WVM_ERR_TYPE, "function takes %u arguments and returns %u results; got %u and room for %u",
                           t->nparams, t->nresults, nargs, nresults);
    for (uint32_t i = 0; i < nargs; i++) {
        if ((unsigned)args[i].type != t->types[i])
            return store_error(s, WVM_ERR_TYPE, "argument %u is %s, expected %s", i,
                               compile_valtype_name(args[i].type), compile_valtype_name(t->types[i]));
        if (args[i].type == WVM_FUNCREF) { /* numbers cannot belong to another store */
            wvm_status st = extern_check_ref(s, args[i], "wvm_func_call");
            if (st) return st;
        }
    }
    slot *base = s->stack_top;
    uint32_t room = t->nparams > t->nresults ? t->nparams : t->nresults;
    if (base + room > s->stack_end)
        return store_error(s, WVM_TRAP_STACK_EXHAUSTED, "call stack exhausted");
    if (s->depth >= 64) return store_error(s, WVM_TRAP_STACK_EXHAUSTED, "call stack exhausted: host re-entry too deep");
    for (uint32_t i = 0; i < nargs; i++) base[i].i64 = args[i].of.i64;
    bool outermost = s->depth == 0;
    bool metering = s->engine->cfg.metering;
    if (outermost) {
        /* without metering the FUEL at loop heads only paces the
         * deadline and cancel checks: no limit, nothing reported */
        uint64_t fuel = metering ? s->fuel_limit : UINT64_MAX;
        /* The first chunk is handed out at once, so that a short call
         * never reaches fuel_refill; the fuel is only moved, and a charge
         * still fails exactly when it exceeds reserve + chunk.  Profiling
         * needs every charge to go through fuel_refill: no chunk then. */
        uint64_t first = s->prof_fn ? 0 : fuel < FUEL_CHUNK ? fuel : FUEL_CHUNK;
        s->fuel_reserve = fuel - first;
        s->fuel_chunk = (int64_t)first;
        s->fuel_extra = 0;
        /* No clock reading here: the deadline starts at the first refill
         * or host call (interp.c), so a short call reads no clock. */
        s->deadline_ns = (uint64_t)s->timeout_ms * 1000000u;
        s->deadline_pending = s->timeout_ms != 0;
        /* a pending cancel is for an earlier call (wvm.h); the test
         * spares the common case a locked write */
        if (atomic_load_explicit(&s->cancel, memory_order_relaxed))
            atomic_store_explicit(&s->cancel, 0, memory_order_relaxed);
        s->errmsg[0] = 0;
    }
    s->depth++;
    wvm_status st = interp_call(s, f, base);
    s->depth--;
    s->stack_top = base;
    if (outermost) {
        uint64_t left = s->fuel_reserve + (uint64_t)s->fuel_chunk;
        s->fuel_used = metering ? s->fuel_limit - left : 0;
    }
    if (st) return st;
    for (uint32_t i = 0; i < t->nresults; i++) {
        results[i].type = (wvm_valtype)t->types[t->nparams + i];
        results[i].of.i64 = slot_to_val_bits(base[i], t->types[t->nparams + i]);
    }
    return WVM_OK;
}
