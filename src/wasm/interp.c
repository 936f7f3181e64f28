/*
 * interp.c -- the interpreter: direct-threaded dispatch over the register
 * code made by compile.c (layout in runtime.h).
 *
 * One function, short cases.  wasm-to-wasm calls push a frame on the
 * store's own frame array and stay in the same C activation, so guest
 * recursion never grows the C stack.  Host functions are ordinary C
 * calls; a host function that calls back into the guest re-enters run()
 * on top of the current value stack.
 *
 * Fuel: the FUEL instruction at the head of each basic block subtracts
 * the block's cost from a counter kept in a register.  The counter holds
 * only a chunk of the remaining fuel; when it goes negative fuel_refill()
 * moves the next chunk from the store, and that is also where the
 * deadline and the cancel flag are checked -- so the timeout costs
 * nothing on the fast path and is checked at least every FUEL_CHUNK units.
 * A call starts with a chunk in the counter and reads no clock
 * (wvm_func_call): a short call never gets here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include "wasm/runtime.h"
#include "wasm/numeric.h"
#include "wasm/mem.h"

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

bool interp_functype_eq(const wasm_functype *a, const wasm_functype *b) {
    return a == b || (a->nparams == b->nparams && a->nresults == b->nresults &&
                      (a->nparams + a->nresults == 0 ||
                       memcmp(a->types, b->types, a->nparams + a->nresults) == 0));
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The timeout's clock starts at the first refill or host call of an
 * outermost call, not at its start (wvm_func_call): a call that ends
 * within its first chunk of fuel and calls no host function reads no
 * clock.  deadline_ns holds the timeout until then. */
static void deadline_start(wvm_store *s) {
    s->deadline_pending = false;
    s->deadline_ns += now_ns();
}

/* Slow path of FUEL: the counter went negative (to fuel) after charging
 * cost.  Refills it from the reserve and checks deadline and cancel;
 * returns the new counter, or a trap in *st with the charge undone.
 * (No pointer to the counter: the interpreter keeps it in a register.)
 * Out of line: it runs once per FUEL_CHUNK, and inlined at its six call
 * sites it only made run() bigger (the sanitizer builds compile run()
 * about 5% faster without it; the interpreter's speed is the same). */
__attribute__((noinline, cold))
static int64_t fuel_refill(wvm_store *s, const wvm_instance *inst, const cell *pc, int64_t fuel,
                           uint64_t cost, wvm_status *st) {
    fuel += (int64_t)cost; /* undo; charge again once refilled */
    *st = WVM_OK;
    if (atomic_load_explicit(&s->cancel, memory_order_relaxed)) {
        *st = WVM_TRAP_CANCELLED;
        return fuel;
    }
    if (UNLIKELY(s->deadline_pending)) {
        deadline_start(s);
    } else if (s->deadline_ns && now_ns() >= s->deadline_ns) {
        *st = WVM_TRAP_TIMEOUT;
        return fuel;
    }
    uint64_t need = cost - (uint64_t)fuel; /* fuel < cost here */
    /* profiling: a chunk of exactly the charge, so that the next one
     * comes here too (profile.c) */
    uint64_t take = need > FUEL_CHUNK || s->prof_fn ? need : FUEL_CHUNK;
    if (take > s->fuel_reserve) {
        if (need > s->fuel_reserve) {
            *st = WVM_TRAP_OUT_OF_FUEL;
            return fuel;
        }
        take = s->fuel_reserve;
    }
    s->fuel_reserve -= take;
    if (UNLIKELY(s->prof_fn != NULL)) profile_report(s, inst, pc, cost);
    return fuel + (int64_t)take - (int64_t)cost;
}

/* A charge from outside the instruction stream (a host function).  The
 * range check comes before any signed arithmetic: the counter is signed,
 * and a single charge above INT64_MAX / 2 (2^62 or more) is out of fuel whatever
 * the budget, as it is for memory.grow. */
wvm_status interp_charge(wvm_store *s, uint64_t cost) {
    if (cost > (uint64_t)INT64_MAX / 2) return WVM_TRAP_OUT_OF_FUEL;
    int64_t f = s->fuel_chunk - (int64_t)cost;
    if (f < 0) {
        wvm_status st;
        f = fuel_refill(s, NULL, NULL, f, cost, &st);
        if (st) return st;
    }
    s->fuel_chunk = f;
    s->fuel_extra += cost;
    return WVM_OK;
}

/* For messages: "module.name" of the import of inst that is host
 * function f, or "<host>" (a host function reached through a table, or
 * called by the embedder).  Cold: only on a failure. */
__attribute__((cold, noinline))
static void host_name(const wvm_instance *inst, const wvm_func *f, char *buf, size_t cap) {
    snprintf(buf, cap, "<host>");
    if (!inst) return;
    const wasm_module *m = &inst->module->m;
    for (uint32_t i = 0, nf = 0; i < m->nimports; i++) {
        const wasm_import *im = &m->imports[i];
        if (im->kind != EXT_FUNC) continue;
        if (inst->funcs[nf++] == f) {
            snprintf(buf, cap, "%s.%s", im->module.ptr, im->name.ptr);
            return;
        }
    }
}

/* Checks the results a host function gave back: each set, of its
 * declared type, a funcref only of this store.  A trap otherwise. */
/* out of line: run() stays as it was, whatever is inlined into it */
__attribute__((noinline))
static wvm_status host_results(wvm_store *s, const wvm_instance *inst, const wvm_func *f, const wvm_val *rv) {
    const wasm_functype *t = f->type;
    for (uint32_t i = 0; i < t->nresults; i++) {
        uint8_t want = t->types[t->nparams + i];
        const char *why = NULL;
        if (rv[i].type == 0) why = "returned without setting result";
        else if ((unsigned)rv[i].type != want) why = "returned the wrong type for result";
        else if (want == VT_FUNCREF && rv[i].of.func && rv[i].of.func->store != s)
            why = "returned a funcref of another store as result";
        if (!why) continue;
        char name[128];
        host_name(inst, f, name, sizeof name);
        if (rv[i].type && (unsigned)rv[i].type != want)
            return store_error(s, WVM_TRAP_HOST, "host function %s %s %u (%s where %s was declared)", name, why, i,
                               compile_valtype_name(rv[i].type), compile_valtype_name(want));
        return store_error(s, WVM_TRAP_HOST, "host function %s %s %u", name, why, i);
    }
    return WVM_OK;
}

/* Calls a host function with arguments in args[0..nparams), writing the
 * results to args[0..nresults). */
static wvm_status call_host(wvm_store *s, wvm_instance *inst, wvm_func *f, slot *args) {
    const wasm_functype *t = f->type;
    /* the time host functions take counts from the first one on */
    if (UNLIKELY(s->deadline_pending)) deadline_start(s);
    wvm_val small[16], *vals = small;
    uint32_t n = t->nparams > t->nresults ? t->nparams : t->nresults;
    if (n > 16) {
        vals = mem_calloc(store_allocator(s), n, sizeof *vals);
        if (!vals) return store_error(s, WVM_ERR_NOMEM, "out of memory calling host function");
    }
    for (uint32_t i = 0; i < t->nparams; i++) {
        vals[i].type = (wvm_valtype)t->types[i];
        vals[i].of.i64 = slot_to_val_bits(args[i], t->types[i]);
    }
    wvm_val rsmall[16], *rv = rsmall;
    if (t->nresults > 16) {
        rv = mem_calloc(store_allocator(s), t->nresults, sizeof *rv);
        if (!rv) {
            if (vals != small) mem_free(store_allocator(s), vals);
            return store_error(s, WVM_ERR_NOMEM, "out of memory calling host function");
        }
    }
    /* 0 is no value type: a result the host leaves unset keeps it */
    for (uint32_t i = 0; i < t->nresults; i++) rv[i].type = (wvm_valtype)0;
    wvm_caller c = { s, inst };
    wvm_status st = f->host(&c, f->user, vals, rv);
    if (st == WVM_OK) {
        st = host_results(s, inst, f, rv);
        for (uint32_t i = 0; i < t->nresults && !st; i++) args[i].i64 = rv[i].of.i64;
    } else if (!wvm_status_is_trap(st) && st != WVM_ERR_NOMEM) {
        st = store_error(s, WVM_TRAP_HOST, "host function failed: %s", wvm_status_str(st));
    }
    if (vals != small) mem_free(store_allocator(s), vals);
    if (rv != rsmall) mem_free(store_allocator(s), rv);
    return st;
}

/* Cold: a function's first call (L_TRANSLATE).  Out of memory is a
 * trap of the call, with a message; the function stays untranslated. */
__attribute__((noinline, cold))
static wvm_status translate(wvm_store *s, compiled_func *cf, const cell **code) {
    char err[256];
    wvm_status st = compile_lazy(cf, code, err, sizeof err);
    return st ? store_error(s, st, "%s", err) : WVM_OK;
}

/* The function of instance inst whose code holds pc, or NULL.  Frames
 * record only where to return and in which instance, so that calls do
 * not have to keep track of the function they are in; a trap finds it
 * here, after the fact. */
static wvm_func *func_at(const wvm_instance *inst, const cell *pc) {
    const wasm_module *m = &inst->module->m;
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
        if (compile_holds(&m->compiled[i], pc)) return inst->funcs[m->nfunc_imports + i];
    }
    return NULL;
}

/* For a fused instruction with two memory accesses that are both out of
 * bounds (AXPY): whether the one recorded at pc + 1 comes first in wasm
 * order, and so is the one to report.  Cold: only ever on a trap. */
static bool y_access_first(const wvm_instance *inst, const cell *pc) {
    const wvm_func *f = func_at(inst, pc);
    return f && instance_func_code_offset(f, pc + 1) < instance_func_code_offset(f, pc);
}

/* Writes the trap message with a backtrace of wasm frames. */
static void trap_message(wvm_store *s, wvm_status st, const wvm_instance *inst, const cell *pc, uint32_t base) {
    char *p = s->errmsg, *end = s->errmsg + sizeof s->errmsg;
    /* a host trap has set its own message already */
    if (st == WVM_TRAP_HOST || st == WVM_TRAP_EXIT || st == WVM_ERR_NOMEM || st == WVM_ERR_TYPE) {
        p += strlen(p);
    } else {
        p += snprintf(p, (size_t)(end - p), "%s", wvm_status_str(st));
    }
    uint32_t shown = 0;
    for (uint32_t i = s->nframes + 1; i-- > base && p < end - 1;) {
        const cell *at = pc;
        if (i < s->nframes) {
            /* frames[i] holds the caller's state at the call */
            inst = s->frames[i].inst;
            at = s->frames[i].ret_pc - 1;
        }
        wvm_func *f = func_at(inst, at);
        if (!f) continue;
        if (shown++ == 16 && i > base + 2) {
            p += snprintf(p, (size_t)(end - p), "\n  ... %u more frames", i - base - 1);
            i = base + 2;
            continue;
        }
        char name[128];
        instance_func_display_name(f, name, sizeof name);
        p += snprintf(p, (size_t)(end - p), "\n  at %s @0x%x", name, instance_func_code_offset(f, at));
    }
}

/* Declared locals start at zero.  Most functions have a few: four
 * stores, whatever the number, cost less than a call to memset or a
 * branch on the count.  Slots past the locals are the callee's
 * temporaries or free, and the stack has STACK_PAD slots more than its
 * limit, so the stores stay inside it. */
static inline void zero_locals(slot *fp, const compiled_func *cf) {
    slot *p = fp + cf->nparams;
    uint32_t n = cf->nlocals - cf->nparams;
    if (UNLIKELY(n > STACK_PAD)) {
        memset(p, 0, n * sizeof(slot));
        return;
    }
    p[0].u64 = p[1].u64 = p[2].u64 = p[3].u64 = 0;
}

/* The constant of a _W instruction (ops.h, WIDE_OPS), from its cell: the
 * value's bits, a float's in the low 32. */
static inline uint64_t wide_u64(uint64_t k) { return k; }
static inline float wide_f32(uint64_t k) {
    uint32_t bits = (uint32_t)k;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}
static inline double wide_f64(uint64_t k) {
    double d;
    memcpy(&d, &k, sizeof d);
    return d;
}

/* ---- the interpreter ---- */

#define NEXT goto *pc->h
#define TRAP(code) do { st = (code); goto trap; } while (0)
/* Protect: state the interpreter keeps in registers goes back to the
 * store before anything that may look at it (host calls, grow). */
#define SAVE() (s->fuel_chunk = fuel)
#define LOAD() (fuel = s->fuel_chunk)
#define RELOAD_MEM() (mem = inst->mem->data, memsize = inst->mem->size)
/* Every function starts with FUEL: a call pays the entry block itself
 * and skips that instruction (one dispatch less per call). */
#define ENTER_BLOCK() do { \
        uint64_t cost_ = pc[1].u; \
        fuel -= (int64_t)cost_; \
        if (UNLIKELY(fuel < 0)) { \
            fuel = fuel_refill(s, inst, pc, fuel, cost_, &st); \
            if (st) TRAP(st); \
        } \
        pc += 2; \
    } while (0)

/* Fuel beyond the block's own: memory.grow pages, the bytes of bulk
 * operations.  Counted in fuel_extra (not instructions).  A cost past
 * INT64_MAX / 2 could never be paid: out of fuel at once. */
#define CHARGE_EXTRA(cost_expr) do { \
        if (s->engine->cfg.metering) { \
            uint64_t cost_ = (cost_expr); \
            if (UNLIKELY(cost_ > (uint64_t)INT64_MAX / 2)) TRAP(WVM_TRAP_OUT_OF_FUEL); \
            fuel -= (int64_t)cost_; \
            if (UNLIKELY(fuel < 0)) { \
                fuel = fuel_refill(s, inst, pc, fuel, cost_, &st); \
                if (st) TRAP(st); \
            } \
            s->fuel_extra += cost_; \
        } \
    } while (0)
/* Bulk operations pay per started 64 bytes: n < 2^32 elements of at
 * most 8 bytes is under 2^29 units, times a 32-bit cost under 2^61. */
#define BULK_COST(n, elem_bytes) \
    ((((uint64_t)(n) * (elem_bytes) + 63) >> 6) * s->engine->fuel.bulk_64_bytes)

/* A conditional branch of `size` cells is always followed by a FUEL (the
 * block that runs when it is not taken), which it pays itself and skips,
 * one dispatch less.  BRANCH jumps to a target without FUEL; BRANCH_L to
 * one with FUEL, which it pays as well.  Either way fuel is charged at the
 * same point and by the same amount as if the FUEL ran. */
#define BRANCH(cond, offset, size) do { \
        if (cond) { pc += (offset); } else { pc += (size); ENTER_BLOCK(); } \
        NEXT; \
    } while (0)
#define BRANCH_L(cond, offset, size) do { \
        if (cond) { pc += (offset); ENTER_BLOCK(); NEXT; } \
        pc += (size); \
        ENTER_BLOCK(); \
        NEXT; \
    } while (0)

/* Aligned so that the layout of the handlers against cache lines does not
 * change with the code linked before it (seen: 6% either way with 32-byte
 * alignment; 128 gave the best of the layouts measured). */
__attribute__((aligned(128)))
static wvm_status run(wvm_store *s, wvm_func *entry, slot *fp, const void *const **labels_out) {
    static const void *const labels[OP_COUNT] = {
#define OP_X(name) [OP_##name] = &&L_##name,
        ALL_OPS
#undef OP_X
    };
    if (labels_out) {
        *labels_out = labels;
        return WVM_OK;
    }

    wvm_status st = WVM_OK;
    wvm_instance *inst = entry->inst;
    const cell *pc;
    uint8_t *mem;
    uint64_t memsize;
    int64_t fuel;
    const uint32_t base = s->nframes;
    frame *const frames = s->frames;
    slot *const stack_end = s->stack_end;

    LOAD();
    RELOAD_MEM();
    {
        const compiled_func *cf = entry->code;
        /* a call from a host function runs on top of the frames and
         * slots of the guest that called the host: both limits hold for
         * the whole chain */
        if (UNLIKELY(fp + cf->frame_slots > stack_end || s->nframes >= s->max_frames))
            return store_error(s, WVM_TRAP_STACK_EXHAUSTED, "call stack exhausted");
        zero_locals(fp, cf);
        pc = compile_code(cf);
    }
    NEXT;

#define W (pc[1].u)

    /* ---- numeric: [h][A=dst B=a C=b] ---- */
#define BIN(name, T, F, expr) L_##name: { uint64_t w = W; T a = fp[OPB(w)].F, b = fp[OPC(w)].F; fp[OPA(w)].F = (expr); pc += 2; NEXT; }
#define BINR(name, T, F, RF, expr) L_##name: { uint64_t w = W; T a = fp[OPB(w)].F, b = fp[OPC(w)].F; fp[OPA(w)].RF = (expr); pc += 2; NEXT; }
#define UN(name, T, F, RF, expr) L_##name: { uint64_t w = W; T a = fp[OPB(w)].F; fp[OPA(w)].RF = (expr); pc += 2; NEXT; }
#define UNT(name, T, F, RF, fn) L_##name: { uint64_t w = W; T a = fp[OPB(w)].F; st = fn(a, &fp[OPA(w)].RF); if (UNLIKELY(st)) TRAP(st); pc += 2; NEXT; }

    UN(I32_EQZ, uint32_t, u32, u64, a == 0)
    BINR(I32_EQ, uint32_t, u32, u64, a == b)
    BINR(I32_NE, uint32_t, u32, u64, a != b)
    BINR(I32_LT_S, int32_t, i32, u64, a < b)
    BINR(I32_LT_U, uint32_t, u32, u64, a < b)
    BINR(I32_GT_S, int32_t, i32, u64, a > b)
    BINR(I32_GT_U, uint32_t, u32, u64, a > b)
    BINR(I32_LE_S, int32_t, i32, u64, a <= b)
    BINR(I32_LE_U, uint32_t, u32, u64, a <= b)
    BINR(I32_GE_S, int32_t, i32, u64, a >= b)
    BINR(I32_GE_U, uint32_t, u32, u64, a >= b)
    UN(I64_EQZ, uint64_t, u64, u64, a == 0)
    BINR(I64_EQ, uint64_t, u64, u64, a == b)
    BINR(I64_NE, uint64_t, u64, u64, a != b)
    BINR(I64_LT_S, int64_t, i64, u64, a < b)
    BINR(I64_LT_U, uint64_t, u64, u64, a < b)
    BINR(I64_GT_S, int64_t, i64, u64, a > b)
    BINR(I64_GT_U, uint64_t, u64, u64, a > b)
    BINR(I64_LE_S, int64_t, i64, u64, a <= b)
    BINR(I64_LE_U, uint64_t, u64, u64, a <= b)
    BINR(I64_GE_S, int64_t, i64, u64, a >= b)
    BINR(I64_GE_U, uint64_t, u64, u64, a >= b)
    BINR(F32_EQ, float, f32, u64, a == b)
    BINR(F32_NE, float, f32, u64, a != b)
    BINR(F32_LT, float, f32, u64, a < b)
    BINR(F32_GT, float, f32, u64, a > b)
    BINR(F32_LE, float, f32, u64, a <= b)
    BINR(F32_GE, float, f32, u64, a >= b)
    BINR(F64_EQ, double, f64, u64, a == b)
    BINR(F64_NE, double, f64, u64, a != b)
    BINR(F64_LT, double, f64, u64, a < b)
    BINR(F64_GT, double, f64, u64, a > b)
    BINR(F64_LE, double, f64, u64, a <= b)
    BINR(F64_GE, double, f64, u64, a >= b)

    UN(I32_CLZ, uint32_t, u32, u64, a ? (uint32_t)__builtin_clz(a) : 32)
    UN(I32_CTZ, uint32_t, u32, u64, a ? (uint32_t)__builtin_ctz(a) : 32)
    UN(I32_POPCNT, uint32_t, u32, u64, (uint32_t)__builtin_popcount(a))
    BIN(I32_ADD, uint32_t, u32, a + b)
    BIN(I32_SUB, uint32_t, u32, a - b)
    BIN(I32_MUL, uint32_t, u32, a * b)
    L_I32_DIV_S: { uint64_t w = W; int32_t a = fp[OPB(w)].i32, b = fp[OPC(w)].i32;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        if (UNLIKELY(a == INT32_MIN && b == -1)) TRAP(WVM_TRAP_INT_OVERFLOW);
        fp[OPA(w)].i32 = a / b; pc += 2; NEXT; }
    L_I32_DIV_U: { uint64_t w = W; uint32_t a = fp[OPB(w)].u32, b = fp[OPC(w)].u32;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].u32 = a / b; pc += 2; NEXT; }
    L_I32_REM_S: { uint64_t w = W; int32_t a = fp[OPB(w)].i32, b = fp[OPC(w)].i32;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].i32 = (b == -1) ? 0 : a % b; pc += 2; NEXT; }
    L_I32_REM_U: { uint64_t w = W; uint32_t a = fp[OPB(w)].u32, b = fp[OPC(w)].u32;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].u32 = a % b; pc += 2; NEXT; }
    BIN(I32_AND, uint32_t, u32, a & b)
    BIN(I32_OR, uint32_t, u32, a | b)
    BIN(I32_XOR, uint32_t, u32, a ^ b)
    BIN(I32_SHL, uint32_t, u32, a << (b & 31))
    BIN(I32_SHR_S, int32_t, i32, a >> (b & 31))
    BIN(I32_SHR_U, uint32_t, u32, a >> (b & 31))
    BIN(I32_ROTL, uint32_t, u32, (a << (b & 31)) | (a >> ((32 - b) & 31)))
    BIN(I32_ROTR, uint32_t, u32, (a >> (b & 31)) | (a << ((32 - b) & 31)))

    UN(I64_CLZ, uint64_t, u64, u64, a ? (uint64_t)__builtin_clzll(a) : 64)
    UN(I64_CTZ, uint64_t, u64, u64, a ? (uint64_t)__builtin_ctzll(a) : 64)
    UN(I64_POPCNT, uint64_t, u64, u64, (uint64_t)__builtin_popcountll(a))
    BIN(I64_ADD, uint64_t, u64, a + b)
    BIN(I64_SUB, uint64_t, u64, a - b)
    BIN(I64_MUL, uint64_t, u64, a * b)
    L_I64_DIV_S: { uint64_t w = W; int64_t a = fp[OPB(w)].i64, b = fp[OPC(w)].i64;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        if (UNLIKELY(a == INT64_MIN && b == -1)) TRAP(WVM_TRAP_INT_OVERFLOW);
        fp[OPA(w)].i64 = a / b; pc += 2; NEXT; }
    L_I64_DIV_U: { uint64_t w = W; uint64_t a = fp[OPB(w)].u64, b = fp[OPC(w)].u64;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].u64 = a / b; pc += 2; NEXT; }
    L_I64_REM_S: { uint64_t w = W; int64_t a = fp[OPB(w)].i64, b = fp[OPC(w)].i64;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].i64 = (b == -1) ? 0 : a % b; pc += 2; NEXT; }
    L_I64_REM_U: { uint64_t w = W; uint64_t a = fp[OPB(w)].u64, b = fp[OPC(w)].u64;
        if (UNLIKELY(b == 0)) TRAP(WVM_TRAP_DIV_ZERO);
        fp[OPA(w)].u64 = a % b; pc += 2; NEXT; }
    BIN(I64_AND, uint64_t, u64, a & b)
    BIN(I64_OR, uint64_t, u64, a | b)
    BIN(I64_XOR, uint64_t, u64, a ^ b)
    BIN(I64_SHL, uint64_t, u64, a << (b & 63))
    BIN(I64_SHR_S, int64_t, i64, a >> (b & 63))
    BIN(I64_SHR_U, uint64_t, u64, a >> (b & 63))
    BIN(I64_ROTL, uint64_t, u64, (a << (b & 63)) | (a >> ((64 - b) & 63)))
    BIN(I64_ROTR, uint64_t, u64, (a >> (b & 63)) | (a << ((64 - b) & 63)))

    /* abs/neg/copysign are bit operations: they must not touch NaN payloads */
    UN(F32_ABS, uint32_t, u32, u64, a & 0x7fffffffu)
    UN(F32_NEG, uint32_t, u32, u64, a ^ 0x80000000u)
    UN(F32_CEIL, float, f32, f32, isnan(a) ? a + a : ceilf(a))
    UN(F32_FLOOR, float, f32, f32, isnan(a) ? a + a : floorf(a))
    UN(F32_TRUNC, float, f32, f32, isnan(a) ? a + a : truncf(a))
    UN(F32_NEAREST, float, f32, f32, isnan(a) ? a + a : nearbyintf(a))
    UN(F32_SQRT, float, f32, f32, sqrtf(a))
    BIN(F32_ADD, float, f32, a + b)
    BIN(F32_SUB, float, f32, a - b)
    BIN(F32_MUL, float, f32, a * b)
    BIN(F32_DIV, float, f32, a / b)
    BIN(F32_MIN, float, f32, f32_min(a, b))
    BIN(F32_MAX, float, f32, f32_max(a, b))
    BIN(F32_COPYSIGN, uint32_t, u32, (a & 0x7fffffffu) | (b & 0x80000000u))
    UN(F64_ABS, uint64_t, u64, u64, a & 0x7fffffffffffffffull)
    UN(F64_NEG, uint64_t, u64, u64, a ^ 0x8000000000000000ull)
    UN(F64_CEIL, double, f64, f64, isnan(a) ? a + a : ceil(a))
    UN(F64_FLOOR, double, f64, f64, isnan(a) ? a + a : floor(a))
    UN(F64_TRUNC, double, f64, f64, isnan(a) ? a + a : trunc(a))
    UN(F64_NEAREST, double, f64, f64, isnan(a) ? a + a : nearbyint(a))
    UN(F64_SQRT, double, f64, f64, sqrt(a))
    BIN(F64_ADD, double, f64, a + b)
    BIN(F64_SUB, double, f64, a - b)
    BIN(F64_MUL, double, f64, a * b)
    BIN(F64_DIV, double, f64, a / b)
    BIN(F64_MIN, double, f64, f64_min(a, b))
    BIN(F64_MAX, double, f64, f64_max(a, b))
    BIN(F64_COPYSIGN, uint64_t, u64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

    UNT(I32_TRUNC_F32_S, float, f32, i32, trunc_f32_i32)
    UNT(I32_TRUNC_F32_U, float, f32, u32, trunc_f32_u32)
    UNT(I32_TRUNC_F64_S, double, f64, i32, trunc_f64_i32)
    UNT(I32_TRUNC_F64_U, double, f64, u32, trunc_f64_u32)
    UN(I64_EXTEND_I32_S, int32_t, i32, i64, (int64_t)a)
    UN(I64_EXTEND_I32_U, uint32_t, u32, u64, (uint64_t)a)
    UNT(I64_TRUNC_F32_S, float, f32, i64, trunc_f32_i64)
    UNT(I64_TRUNC_F32_U, float, f32, u64, trunc_f32_u64)
    UNT(I64_TRUNC_F64_S, double, f64, i64, trunc_f64_i64)
    UNT(I64_TRUNC_F64_U, double, f64, u64, trunc_f64_u64)
    UN(F32_CONVERT_I32_S, int32_t, i32, f32, (float)a)
    UN(F32_CONVERT_I32_U, uint32_t, u32, f32, (float)a)
    UN(F32_CONVERT_I64_S, int64_t, i64, f32, (float)a)
    UN(F32_CONVERT_I64_U, uint64_t, u64, f32, (float)a)
    UN(F32_DEMOTE_F64, double, f64, f32, (float)a)
    UN(F64_CONVERT_I32_S, int32_t, i32, f64, (double)a)
    UN(F64_CONVERT_I32_U, uint32_t, u32, f64, (double)a)
    UN(F64_CONVERT_I64_S, int64_t, i64, f64, (double)a)
    UN(F64_CONVERT_I64_U, uint64_t, u64, f64, (double)a)
    UN(F64_PROMOTE_F32, float, f32, f64, (double)a)
    UN(I32_EXTEND8_S, uint32_t, u32, u64, (uint32_t)(int32_t)(int8_t)a)
    UN(I32_EXTEND16_S, uint32_t, u32, u64, (uint32_t)(int32_t)(int16_t)a)
    UN(I64_EXTEND8_S, uint64_t, u64, i64, (int64_t)(int8_t)a)
    UN(I64_EXTEND16_S, uint64_t, u64, i64, (int64_t)(int16_t)a)
    UN(I64_EXTEND32_S, uint64_t, u64, i64, (int64_t)(int32_t)a)
    UN(I32_TRUNC_SAT_F32_S, float, f32, u64, (uint32_t)sat_f32_i32(a))
    UN(I32_TRUNC_SAT_F32_U, float, f32, u64, sat_f32_u32(a))
    UN(I32_TRUNC_SAT_F64_S, double, f64, u64, (uint32_t)sat_f64_i32(a))
    UN(I32_TRUNC_SAT_F64_U, double, f64, u64, sat_f64_u32(a))
    UN(I64_TRUNC_SAT_F32_S, float, f32, i64, sat_f32_i64(a))
    UN(I64_TRUNC_SAT_F32_U, float, f32, u64, sat_f32_u64(a))
    UN(I64_TRUNC_SAT_F64_S, double, f64, i64, sat_f64_i64(a))
    UN(I64_TRUNC_SAT_F64_U, double, f64, u64, sat_f64_u64(a))

    /* ---- register-immediate forms: [h][A=dst B=a HI=imm] ---- */
#define BINI(name, T, F, RF, expr) L_##name##_I: { uint64_t w = W; T a = fp[OPB(w)].F, b = (T)(int32_t)OPHI(w); fp[OPA(w)].RF = (expr); pc += 2; NEXT; }
    L_I32_SUB_IR: { uint64_t w = W; fp[OPA(w)].u32 = OPHI(w) - fp[OPB(w)].u32; pc += 2; NEXT; }
    L_I64_SUB_IR: { uint64_t w = W; fp[OPA(w)].u64 = (uint64_t)(int64_t)(int32_t)OPHI(w) - fp[OPB(w)].u64; pc += 2; NEXT; }
    /* [h][A=dst B=x][constant] (ops.h, WIDE_OPS) */
#define BINW(name, T, F, expr) L_##name##_W: { uint64_t w = W; T a = fp[OPB(w)].F, b = wide_##F(pc[2].u); \
        fp[OPA(w)].F = (expr); pc += 3; NEXT; }
#define BINWR(name, T, F, expr) L_##name##_WR: { uint64_t w = W; T a = wide_##F(pc[2].u), b = fp[OPB(w)].F; \
        fp[OPA(w)].F = (expr); pc += 3; NEXT; }
    BINW(I64_ADD, uint64_t, u64, a + b)
    BINW(I64_MUL, uint64_t, u64, a * b)
    BINW(I64_AND, uint64_t, u64, a & b)
    BINW(I64_OR, uint64_t, u64, a | b)
    BINW(I64_XOR, uint64_t, u64, a ^ b)
    BINW(F32_ADD, float, f32, a + b)
    BINW(F32_SUB, float, f32, a - b)
    BINW(F32_MUL, float, f32, a * b)
    BINW(F32_DIV, float, f32, a / b)
    BINW(F64_ADD, double, f64, a + b)
    BINW(F64_SUB, double, f64, a - b)
    BINW(F64_MUL, double, f64, a * b)
    BINW(F64_DIV, double, f64, a / b)
    BINWR(F32_SUB, float, f32, a - b)
    BINWR(F32_DIV, float, f32, a / b)
    BINWR(F64_SUB, double, f64, a - b)
    BINWR(F64_DIV, double, f64, a / b)
    BINI(I32_ADD, uint32_t, u32, u32, a + b)
    BINI(I32_MUL, uint32_t, u32, u32, a * b)
    BINI(I32_AND, uint32_t, u32, u32, a & b)
    BINI(I32_OR, uint32_t, u32, u32, a | b)
    BINI(I32_XOR, uint32_t, u32, u32, a ^ b)
    BINI(I32_SHL, uint32_t, u32, u32, a << (b & 31))
    BINI(I32_SHR_S, int32_t, i32, i32, a >> (b & 31))
    BINI(I32_SHR_U, uint32_t, u32, u32, a >> (b & 31))
    BINI(I32_ROTL, uint32_t, u32, u32, (a << (b & 31)) | (a >> ((32 - b) & 31)))
    BINI(I32_ROTR, uint32_t, u32, u32, (a >> (b & 31)) | (a << ((32 - b) & 31)))
    BINI(I32_EQ, uint32_t, u32, u64, a == b)
    BINI(I32_NE, uint32_t, u32, u64, a != b)
    BINI(I32_LT_S, int32_t, i32, u64, a < b)
    BINI(I32_LT_U, uint32_t, u32, u64, a < b)
    BINI(I32_GT_S, int32_t, i32, u64, a > b)
    BINI(I32_GT_U, uint32_t, u32, u64, a > b)
    BINI(I32_LE_S, int32_t, i32, u64, a <= b)
    BINI(I32_LE_U, uint32_t, u32, u64, a <= b)
    BINI(I32_GE_S, int32_t, i32, u64, a >= b)
    BINI(I32_GE_U, uint32_t, u32, u64, a >= b)
    BINI(I64_ADD, uint64_t, u64, u64, a + b)
    BINI(I64_MUL, uint64_t, u64, u64, a * b)
    BINI(I64_AND, uint64_t, u64, u64, a & b)
    BINI(I64_OR, uint64_t, u64, u64, a | b)
    BINI(I64_XOR, uint64_t, u64, u64, a ^ b)
    BINI(I64_SHL, uint64_t, u64, u64, a << (b & 63))
    BINI(I64_SHR_S, int64_t, i64, i64, a >> (b & 63))
    BINI(I64_SHR_U, uint64_t, u64, u64, a >> (b & 63))
    BINI(I64_ROTL, uint64_t, u64, u64, (a << (b & 63)) | (a >> ((64 - b) & 63)))
    BINI(I64_ROTR, uint64_t, u64, u64, (a >> (b & 63)) | (a << ((64 - b) & 63)))
    BINI(I64_EQ, uint64_t, u64, u64, a == b)
    BINI(I64_NE, uint64_t, u64, u64, a != b)
    BINI(I64_LT_S, int64_t, i64, u64, a < b)
    BINI(I64_LT_U, uint64_t, u64, u64, a < b)
    BINI(I64_GT_S, int64_t, i64, u64, a > b)
    BINI(I64_GT_U, uint64_t, u64, u64, a > b)
    BINI(I64_LE_S, int64_t, i64, u64, a <= b)
    BINI(I64_LE_U, uint64_t, u64, u64, a <= b)
    BINI(I64_GE_S, int64_t, i64, u64, a >= b)
    BINI(I64_GE_U, uint64_t, u64, u64, a >= b)

    /* ---- multiply-add: a mul whose only use is an add, [h][A=dst B=a C=b
     * D=addend].  _R keeps the add's operand order (addend first) so NaN
     * results are those of the two separate instructions. ---- */
L_I32_MADD: { uint64_t w = W; fp[OPA(w)].u32 = fp[OPB(w)].u32 * fp[OPC(w)].u32 + fp[OPD(w)].u32; pc += 2; NEXT; }
L_I64_MADD: { uint64_t w = W; fp[OPA(w)].u64 = fp[OPB(w)].u64 * fp[OPC(w)].u64 + fp[OPD(w)].u64; pc += 2; NEXT; }
L_F32_MADD: { uint64_t w = W; float m = fp[OPB(w)].f32 * fp[OPC(w)].f32; fp[OPA(w)].f32 = m + fp[OPD(w)].f32; pc += 2; NEXT; }
L_F32_MADD_R: { uint64_t w = W; float m = fp[OPB(w)].f32 * fp[OPC(w)].f32; fp[OPA(w)].f32 = fp[OPD(w)].f32 + m; pc += 2; NEXT; }
L_F64_MADD: { uint64_t w = W; double m = fp[OPB(w)].f64 * fp[OPC(w)].f64; fp[OPA(w)].f64 = m + fp[OPD(w)].f64; pc += 2; NEXT; }
L_F64_MADD_R: { uint64_t w = W; double m = fp[OPB(w)].f64 * fp[OPC(w)].f64; fp[OPA(w)].f64 = fp[OPD(w)].f64 + m; pc += 2; NEXT; }

    /* ---- multiply, load, add (compile.c, fuse_madd_load):
     * [h][A=dst B=a C=b D=address][offset]: dst = a * b + load ---- */
#define MADD_LOAD(name, T, F) L_##name: { uint64_t w = W; \
        uint64_t ea = (uint64_t)fp[OPD(w)].u32 + pc[2].u; \
        if (UNLIKELY(ea + sizeof(T) > memsize)) TRAP(WVM_TRAP_MEMORY_OOB); \
        T v; memcpy(&v, mem + ea, sizeof v); \
        T m = fp[OPB(w)].F * fp[OPC(w)].F; fp[OPA(w)].F = m + v; pc += 3; NEXT; }
    MADD_LOAD(I32_MADD_LOAD, uint32_t, u32)
    MADD_LOAD(I64_MADD_LOAD, uint64_t, u64)
    MADD_LOAD(F32_MADD_LOAD, float, f32)
    MADD_LOAD(F64_MADD_LOAD, double, f64)
    /* ... and the sum stored back where it was loaded from (y[i] += a * b,
     * compile.c, fuse_store): [h][A unused B=a C=b D=address][offset] */
#define MADD_RMW(name, T, F) L_##name: { uint64_t w = W; \
        uint64_t ea = (uint64_t)fp[OPD(w)].u32 + pc[2].u; \
        if (UNLIKELY(ea + sizeof(T) > memsize)) TRAP(WVM_TRAP_MEMORY_OOB); \
        T v; memcpy(&v, mem + ea, sizeof v); \
        T m = fp[OPB(w)].F * fp[OPC(w)].F; v = m + v; memcpy(mem + ea, &v, sizeof v); DIRTY_MARK(mem, ea); pc += 3; NEXT; }
    MADD_RMW(I32_MADD_RMW, uint32_t, u32)
    MADD_RMW(I64_MADD_RMW, uint64_t, u64)
    MADD_RMW(F32_MADD_RMW, float, f32)
    MADD_RMW(F64_MADD_RMW, double, f64)

    /* ---- other pairs (compile.c, fuse_pair): [h][A=dst B C D=other];
     * the _I producers (ROTLI, SHRUI, SHLI, ANDI) have their constant in C
     * (counts already reduced mod the width) ---- */
#define PAIR(name, T, F, expr) L_##name: { uint64_t w = W; T b = fp[OPB(w)].F, d = fp[OPD(w)].F; \
        uint32_t k = OPC(w); (void)k; fp[OPA(w)].F = (expr); pc += 2; NEXT; }
    /* XORs of rotations of one value x, as in SHA-2's sigmas (compile.c,
     * fuse_rotations): [h][A=dst B=x C=k0 D=k1] for two, [h][A=dst B=x
     * C=k0|k1<<8 D=k2] for three, the third a shift right for _SHR_ */
#define ROTL_(BITS, x, k) (((x) << (k)) | ((x) >> ((BITS - (k)) & (BITS - 1))))
#define ROTS(P, T, F, BITS) \
    L_##P##_ROT2_XOR: { uint64_t w = W; T b = fp[OPB(w)].F; uint32_t k0 = OPC(w), k1 = OPD(w); \
        fp[OPA(w)].F = ROTL_(BITS, b, k0) ^ ROTL_(BITS, b, k1); pc += 2; NEXT; } \
    L_##P##_ROT3_XOR: { uint64_t w = W; T b = fp[OPB(w)].F; uint32_t k0 = OPC(w) & 0xff, k1 = OPC(w) >> 8, k2 = OPD(w); \
        fp[OPA(w)].F = ROTL_(BITS, b, k0) ^ ROTL_(BITS, b, k1) ^ ROTL_(BITS, b, k2); pc += 2; NEXT; } \
    L_##P##_ROT2_SHR_XOR: { uint64_t w = W; T b = fp[OPB(w)].F; uint32_t k0 = OPC(w) & 0xff, k1 = OPC(w) >> 8, k2 = OPD(w); \
        fp[OPA(w)].F = ROTL_(BITS, b, k0) ^ ROTL_(BITS, b, k1) ^ (b >> k2); pc += 2; NEXT; }
#define PAIRS(P, T, F, BITS) \
    PAIR(P##_ADD3, T, F, b + fp[k].F + d) \
    PAIR(P##_XOR_ADD, T, F, (b ^ fp[k].F) + d) \
    PAIR(P##_XOR3, T, F, b ^ fp[k].F ^ d) \
    PAIR(P##_AND_XOR, T, F, (b & fp[k].F) ^ d) \
    PAIR(P##_ANDI_XOR, T, F, (b & (T)k) ^ d) \
    PAIR(P##_ROTLI_XOR, T, F, ((b << k) | (b >> ((BITS - k) & (BITS - 1)))) ^ d) \
    PAIR(P##_SHRUI_XOR, T, F, (b >> k) ^ d) \
    PAIR(P##_ROTLI_ADD, T, F, ((b << k) | (b >> ((BITS - k) & (BITS - 1)))) + d) \
    PAIR(P##_SHLI_ADD, T, F, (b << k) + d) \
    PAIR(P##_ANDN, T, F, ~b & d) \
    ROTS(P, T, F, BITS)
    PAIRS(I32, uint32_t, u32, 32)
    /* [h][A=dst B=x C=k (int16) D=mask]: (x + k) & mask */
    L_I32_ADDI_ANDI: { uint64_t w = W; fp[OPA(w)].u32 = (fp[OPB(w)].u32 + (uint32_t)(int32_t)(int16_t)OPC(w)) & OPD(w);
                       pc += 2; NEXT; }
    PAIRS(I64, uint64_t, u64, 64)

    /* ---- an operation whose result goes straight to memory (ops.h,
     * STORE_RESULT_OPS): its operands as in its own handler, the store's
     * address in A and offset in [2] ---- */
#define ST_TAIL(T) \
        uint64_t ea = (uint64_t)fp[OPA(w)].u32 + pc[2].u; \
        if (UNLIKELY(ea + sizeof(T) > memsize)) TRAP(WVM_TRAP_MEMORY_OOB); \
        memcpy(mem + ea, &r, sizeof r); DIRTY_MARK(mem, ea); pc += 3; NEXT;
#define BIN_ST(name, T, F, expr) L_##name##_ST: { uint64_t w = W; \
        T a = fp[OPB(w)].F, b = fp[OPC(w)].F; T r = (expr); ST_TAIL(T) }
#define TRI_ST(name, T, F, expr) L_##name##_ST: { uint64_t w = W; \
        T b = fp[OPB(w)].F, d = fp[OPD(w)].F; uint32_t k = OPC(w); (void)k; T r = (expr); ST_TAIL(T) }
#define BINI_ST(name, T, F, expr) L_##name##_ST: { uint64_t w = W; \
        T a = fp[OPB(w)].F, b = (T)(int32_t)OPHI(w); T r = (expr); ST_TAIL(T) }
#define ST_INTS(P, T, F, BITS) \
    BIN_ST(P##_ADD, T, F, a + b) BIN_ST(P##_SUB, T, F, a - b) BIN_ST(P##_MUL, T, F, a * b) \
    BIN_ST(P##_AND, T, F, a & b) BIN_ST(P##_OR, T, F, a | b) BIN_ST(P##_XOR, T, F, a ^ b) \
    BIN_ST(P##_SHL, T, F, a << (b & (BITS - 1))) BIN_ST(P##_SHR_U, T, F, a >> (b & (BITS - 1))) \
    BIN_ST(P##_ROTL, T, F, (a << (b & (BITS - 1))) | (a >> ((BITS - b) & (BITS - 1)))) \
    TRI_ST(P##_MADD, T, F, b * fp[k].F + d) TRI_ST(P##_ADD3, T, F, b + fp[k].F + d) \
    TRI_ST(P##_XOR3, T, F, b ^ fp[k].F ^ d) TRI_ST(P##_XOR_ADD, T, F, (b ^ fp[k].F) + d) \
    TRI_ST(P##_AND_XOR, T, F, (b & fp[k].F) ^ d) \
    TRI_ST(P##_ROTLI_XOR, T, F, ((b << k) | (b >> ((BITS - k) & (BITS - 1)))) ^ d) \
    BINI_ST(P##_ADD_I, T, F, a + b)
    ST_INTS(I32, uint32_t, u32, 32)
    ST_INTS(I64, uint64_t, u64, 64)
    BIN_ST(F32_ADD, float, f32, a + b)
    BIN_ST(F32_SUB, float, f32, a - b)
    BIN_ST(F32_MUL, float, f32, a * b)
    BIN_ST(F64_ADD, double, f64, a + b)
    BIN_ST(F64_SUB, double, f64, a - b)
    BIN_ST(F64_MUL, double, f64, a * b)
    L_F64_MADD_ST: { uint64_t w = W; double m = fp[OPB(w)].f64 * fp[OPC(w)].f64; double r = m + fp[OPD(w)].f64; ST_TAIL(double) }
    L_F64_MADD_R_ST: { uint64_t w = W; double m = fp[OPB(w)].f64 * fp[OPC(w)].f64; double r = fp[OPD(w)].f64 + m; ST_TAIL(double) }

    /* ---- compare and branch: BR_x [h][A=a B=b HI=offset],
     *      BRI_x [h][A=a HI=imm][offset] ---- */
#define BRCMP(name, op, F, neg) \
    L_BR_##name: { uint64_t w = W; BRANCH(fp[OPA(w)].F op fp[OPB(w)].F, (int32_t)OPHI(w), 2); } \
    L_BRI_##name: { uint64_t w = W; __typeof__(fp->F) b = (__typeof__(fp->F))OPHI(w); \
                    BRANCH(fp[OPA(w)].F op b, pc[2].i, 3); } \
    L_BR_##name##_L: { uint64_t w = W; BRANCH_L(fp[OPA(w)].F op fp[OPB(w)].F, (int32_t)OPHI(w), 2); } \
    L_BRI_##name##_L: { uint64_t w = W; __typeof__(fp->F) b = (__typeof__(fp->F))OPHI(w); \
                        BRANCH_L(fp[OPA(w)].F op b, pc[2].i, 3); }
    CMP_OPS(BRCMP)

    /* ---- a loop's step and back-edge (ops.h): [h][A=dst B=x HI=imm] or
     * [h][A=dst B=x C=y], then [lo: the value (BRI) or slot (BR) the sum
     * is compared with, hi: offset to the loop head]; taken, the branch
     * pays the loop head's FUEL as the _L branches do ---- */
#define STEP_SUM_I(w) fp[OPA(w)].u32 = fp[OPB(w)].u32 + OPHI(w)
#define STEP_SUM_R(w) fp[OPA(w)].u32 = fp[OPB(w)].u32 + fp[OPC(w)].u32
#define STEP_TAKE(cond) BRANCH_L(cond, (int32_t)(x >> 32), 3);
#define STEPBR(name, op, F, neg) \
    L_STEPI_BR_##name: { uint64_t w = W, x = pc[2].u; STEP_SUM_I(w); \
        STEP_TAKE(fp[OPA(w)].F op fp[(uint32_t)x].F) } \
    L_STEPI_BRI_##name: { uint64_t w = W, x = pc[2].u; STEP_SUM_I(w); \
        STEP_TAKE(fp[OPA(w)].F op (__typeof__(fp->F))(uint32_t)x) } \
    L_STEPR_BR_##name: { uint64_t w = W, x = pc[2].u; STEP_SUM_R(w); \
        STEP_TAKE(fp[OPA(w)].F op fp[(uint32_t)x].F) } \
    L_STEPR_BRI_##name: { uint64_t w = W, x = pc[2].u; STEP_SUM_R(w); \
        STEP_TAKE(fp[OPA(w)].F op (__typeof__(fp->F))(uint32_t)x) }
    CMP_OPS(STEPBR)
L_STEPI_BR_IF: { uint64_t w = W, x = pc[2].u; STEP_SUM_I(w); STEP_TAKE(fp[OPA(w)].u32 != 0) }
L_STEPI_BR_UNLESS: { uint64_t w = W, x = pc[2].u; STEP_SUM_I(w); STEP_TAKE(fp[OPA(w)].u32 == 0) }
L_STEPR_BR_IF: { uint64_t w = W, x = pc[2].u; STEP_SUM_R(w); STEP_TAKE(fp[OPA(w)].u32 != 0) }
L_STEPR_BR_UNLESS: { uint64_t w = W, x = pc[2].u; STEP_SUM_R(w); STEP_TAKE(fp[OPA(w)].u32 == 0) }

    /* ---- memory: load [h][A=dst B=addr HI=offset], store [h][A=value B=addr HI=offset] ---- */
#define EA(w, n) \
    uint64_t ea = (uint64_t)fp[OPB(w)].u32 + OPHI(w); \
    if (UNLIKELY(ea + (n) > memsize)) TRAP(WVM_TRAP_MEMORY_OOB);
#define LOAD_OP(name, T, RT, F) L_##name: { uint64_t w = W; EA(w, sizeof(T)); T v; memcpy(&v, mem + ea, sizeof v); fp[OPA(w)].F = (RT)v; pc += 2; NEXT; }
#define STORE_OP(name, T, F) L_##name: { uint64_t w = W; EA(w, sizeof(T)); T v = (T)fp[OPA(w)].F; memcpy(mem + ea, &v, sizeof v); DIRTY_MARK(mem, ea); pc += 2; NEXT; }
    /* X(NAME, access type, widened type, slot field) */
#define LOAD_TYPES(X) \
    X(I32_LOAD, uint32_t, uint64_t, u64) X(I64_LOAD, uint64_t, uint64_t, u64) \
    X(F32_LOAD, uint32_t, uint64_t, u64) X(F64_LOAD, uint64_t, uint64_t, u64) \
    X(I32_LOAD8_S, int8_t, uint32_t, u64) X(I32_LOAD8_U, uint8_t, uint32_t, u64) \
    X(I32_LOAD16_S, int16_t, uint32_t, u64) X(I32_LOAD16_U, uint16_t, uint32_t, u64) \
    X(I64_LOAD8_S, int8_t, int64_t, i64) X(I64_LOAD8_U, uint8_t, uint64_t, u64) \
    X(I64_LOAD16_S, int16_t, int64_t, i64) X(I64_LOAD16_U, uint16_t, uint64_t, u64) \
    X(I64_LOAD32_S, int32_t, int64_t, i64) X(I64_LOAD32_U, uint32_t, uint64_t, u64)
    /* X(NAME, access type, slot field) */
#define STORE_TYPES(X) \
    X(I32_STORE, uint32_t, u64) X(I64_STORE, uint64_t, u64) X(F32_STORE, uint32_t, u64) \
    X(F64_STORE, uint64_t, u64) X(I32_STORE8, uint8_t, u64) X(I32_STORE16, uint16_t, u64) \
    X(I64_STORE8, uint8_t, u64) X(I64_STORE16, uint16_t, u64) X(I64_STORE32, uint32_t, u64)
    LOAD_TYPES(LOAD_OP)
    STORE_TYPES(STORE_OP)

    /* ---- memory with the address add fused in (ops.h): the T forms
     * write the sum first, as the add did before the access ---- */
#define EA_CHECK(n) if (UNLIKELY(ea + (n) > memsize)) TRAP(WVM_TRAP_MEMORY_OOB);
#define EA_RI(w) uint64_t ea = (uint32_t)(fp[OPB(w)].u32 + OPHI(w));
#define EA_RIT(w) uint32_t sum_ = fp[OPB(w)].u32 + OPHI(w); fp[OPB(w)].u32 = sum_; uint64_t ea = sum_;
#define EA_RR(w) uint64_t ea = (uint64_t)(uint32_t)(fp[OPB(w)].u32 + fp[OPC(w)].u32) + OPD(w);
#define EA_RRT(w) uint32_t sum_ = fp[OPB(w)].u32 + fp[OPC(w)].u32; fp[OPD(w)].u32 = sum_; uint64_t ea = sum_;
#define EA_SI(w) uint64_t x_ = pc[2].u; \
        uint64_t ea = (uint64_t)(uint32_t)((fp[OPB(w)].u32 << OPD(w)) + (uint32_t)x_) + (x_ >> 32);
#define EA_SR(w) uint64_t ea = (uint64_t)(uint32_t)((fp[OPB(w)].u32 << OPD(w)) + fp[OPC(w)].u32) + pc[2].u;
#define EA_SRI(w) uint64_t x_ = pc[2].u; \
        uint64_t ea = (uint64_t)(uint32_t)((fp[OPB(w)].u32 << OPD(w)) + fp[OPC(w)].u32 + (uint32_t)x_) + (x_ >> 32);
#define EA_SRT(w) uint64_t x_ = pc[2].u; uint32_t sum_ = (fp[OPB(w)].u32 << OPD(w)) + fp[OPC(w)].u32; \
        fp[(uint16_t)x_].u32 = sum_; uint64_t ea = (uint64_t)sum_ + (x_ >> 32);
#define EA_A(w) uint64_t ea = OPHI(w);
    /* cells of each form */
#define LEN_RI 2
#define LEN_RIT 2
#define LEN_RR 2
#define LEN_RRT 2
#define LEN_SI 3
#define LEN_SR 3
#define LEN_SRI 3
#define LEN_SRT 3
#define LEN_A 2
#define LOAD_FORM(name, form, T, RT, F) L_##name##_##form: { uint64_t w = W; EA_##form(w) EA_CHECK(sizeof(T)) \
        T v; memcpy(&v, mem + ea, sizeof v); fp[OPA(w)].F = (RT)v; pc += LEN_##form; NEXT; }
#define STORE_FORM(name, form, T, F) L_##name##_##form: { uint64_t w = W; EA_##form(w) EA_CHECK(sizeof(T)) \
        T v = (T)fp[OPA(w)].F; memcpy(mem + ea, &v, sizeof v); DIRTY_MARK(mem, ea); pc += LEN_##form; NEXT; }
#define KSTORE_FORM(name, kform, form, T) L_##name##_##kform: { uint64_t w = W; EA_##form(w) EA_CHECK(sizeof(T)) \
        T v = (T)(int64_t)(int16_t)OPA(w); memcpy(mem + ea, &v, sizeof v); DIRTY_MARK(mem, ea); pc += 2; NEXT; }
#define LOAD_FORMS(name, T, RT, F) LOAD_FORM(name, RI, T, RT, F) LOAD_FORM(name, RIT, T, RT, F) \
        LOAD_FORM(name, RR, T, RT, F) LOAD_FORM(name, RRT, T, RT, F) \
        LOAD_FORM(name, SI, T, RT, F) LOAD_FORM(name, SR, T, RT, F) \
        LOAD_FORM(name, SRI, T, RT, F) LOAD_FORM(name, SRT, T, RT, F) LOAD_FORM(name, A, T, RT, F)
#define STORE_FORMS(name, T, F) STORE_FORM(name, RI, T, F) STORE_FORM(name, RIT, T, F) \
        STORE_FORM(name, RR, T, F) STORE_FORM(name, RRT, T, F) \
        STORE_FORM(name, SI, T, F) STORE_FORM(name, SR, T, F) \
        STORE_FORM(name, SRI, T, F) STORE_FORM(name, SRT, T, F) STORE_FORM(name, A, T, F) \
    L_##name##_K: { uint64_t w = W; EA(w, sizeof(T)); T v = (T)(int64_t)(int16_t)OPA(w); \
        memcpy(mem + ea, &v, sizeof v); DIRTY_MARK(mem, ea); pc += 2; NEXT; } \
    KSTORE_FORM(name, KA, A, T) KSTORE_FORM(name, KRI, RI, T) KSTORE_FORM(name, KRR, RR, T)
    LOAD_TYPES(LOAD_FORMS)
    STORE_TYPES(STORE_FORMS)

    /* ---- control ---- */
L_UNREACHABLE: TRAP(WVM_TRAP_UNREACHABLE);

    /* [h][cost]: charge the basic block that starts here */
L_FUEL: {
        uint64_t cost = W;
        fuel -= (int64_t)cost;
        if (UNLIKELY(fuel < 0)) {
            fuel = fuel_refill(s, inst, pc, fuel, cost, &st);
            if (st) TRAP(st);
        }
        pc += 2;
        NEXT;
    }
    /* [h][cost][FUEL][cost]: a block with no instructions falling into
     * the next one (compile.c, merge_fuel): both charged at once.  When
     * that fails, the first is charged alone and the second FUEL runs,
     * so fuel trips exactly where it would have. */
L_FUEL2: {
        uint64_t cost = W + pc[3].u;
        if (LIKELY(fuel >= (int64_t)cost)) {
            fuel -= (int64_t)cost;
            pc += 4;
            NEXT;
        }
        goto L_FUEL;
    }
    /* [h][offset] */
L_BR: pc += pc[1].i; NEXT;
    /* [h][A=cond HI=offset] */
L_BR_IF: { uint64_t w = W; BRANCH(fp[OPA(w)].u32, (int32_t)OPHI(w), 2); }
L_BR_UNLESS: { uint64_t w = W; BRANCH(!fp[OPA(w)].u32, (int32_t)OPHI(w), 2); }
    /* _L: the same to a block that starts with FUEL (a loop head, say),
     * which the branch pays itself so that an iteration costs one
     * dispatch less */
L_BR_L: pc += pc[1].i; ENTER_BLOCK(); NEXT;
L_BR_IF_L: { uint64_t w = W; BRANCH_L(fp[OPA(w)].u32, (int32_t)OPHI(w), 2); }
L_BR_UNLESS_L: { uint64_t w = W; BRANCH_L(!fp[OPA(w)].u32, (int32_t)OPHI(w), 2); }
    /* [h][A=index HI=n][offset 0]...[offset n]: the last is the default */
L_BR_TABLE: {
        uint64_t w = W;
        uint32_t i = fp[OPA(w)].u32, n = OPHI(w);
        pc += pc[2 + (i < n ? i : n)].i;
        NEXT;
    }
    /* the same when every target starts with FUEL, which it pays */
L_BR_TABLE_L: {
        uint64_t w = W;
        uint32_t i = fp[OPA(w)].u32, n = OPHI(w);
        pc += pc[2 + (i < n ? i : n)].i;
        ENTER_BLOCK();
        NEXT;
    }
    /* A function of the same module: [h][A=first argument slot HI=function
     * index][its compiled code].  The code comes from the instruction, not
     * through the instance, so the callee's first instruction is two loads
     * away.  Nothing keeps track of which function runs: a trap finds it
     * from pc (func_at). */
L_CALL: {
        uint64_t w = W;
        const compiled_func *cf = pc[2].p;
        slot *nfp = fp + OPA(w);
        if (UNLIKELY(nfp + cf->frame_slots > stack_end || s->nframes >= s->max_frames))
            TRAP(WVM_TRAP_STACK_EXHAUSTED);
        frames[s->nframes++] = (frame){ pc + 3, fp, inst };
        zero_locals(nfp, cf);
        fp = nfp;
        pc = compile_code(cf);
        ENTER_BLOCK();
        NEXT;
    }
    /* [h][its compiled_func]: the stub a function runs until it is
     * translated (runtime.h), after a FUEL of cost 0.  Translates it and
     * goes on at its first instruction, the FUEL that charges its entry
     * block: the fuel is that of a call of translated code. */
L_TRANSLATE: {
        const cell *code;
        st = translate(s, (compiled_func *)pc[1].p, &code);
        if (UNLIKELY(st)) TRAP(st);
        pc = code;
        NEXT;
    }
    /* an imported function: [h][A=first argument slot HI=function index] */
L_CALL_IMPORT: {
        uint64_t w = W;
        wvm_func *callee = inst->funcs[OPHI(w)];
        slot *nfp = fp + OPA(w);
        const cell *ret = pc + 2;
        goto do_call;
    /* [h][A=first argument slot B=element index slot HI=table][type index] */
L_CALL_INDIRECT:
        w = W;
        nfp = fp + OPA(w);
        ret = pc + 3;
        {
            table_obj *t = inst->tables[OPHI(w)];
            uint32_t i = fp[OPB(w)].u32;
            if (UNLIKELY(i >= t->size)) TRAP(WVM_TRAP_TABLE_OOB);
            callee = t->elems[i].ref;
            if (UNLIKELY(!callee)) TRAP(WVM_TRAP_INDIRECT_NULL);
            if (UNLIKELY(!interp_functype_eq(callee->type, &inst->module->m.types[pc[2].u])))
                TRAP(WVM_TRAP_INDIRECT_TYPE);
        }
    do_call:
        if (callee->host) {
            SAVE();
            s->stack_top = nfp + callee->type->nparams + callee->type->nresults;
            /* the host may call back in (wvm_func_call): the frame for
             * it counts against the limit like any other */
            if (UNLIKELY(s->stack_top > stack_end || s->nframes >= s->max_frames))
                TRAP(WVM_TRAP_STACK_EXHAUSTED);
            frames[s->nframes++] = (frame){ ret, fp, inst }; /* for backtraces */
            st = call_host(s, inst, callee, nfp);
            s->nframes--;
            LOAD();
            if (st) TRAP(st);
            RELOAD_MEM();
            pc = ret;
            NEXT;
        }
        const compiled_func *cf = callee->code;
        if (UNLIKELY(nfp + cf->frame_slots > stack_end || s->nframes >= s->max_frames))
            TRAP(WVM_TRAP_STACK_EXHAUSTED);
        frames[s->nframes++] = (frame){ ret, fp, inst };
        zero_locals(nfp, cf);
        fp = nfp;
        inst = callee->inst;
        RELOAD_MEM();
        pc = compile_code(cf);
        ENTER_BLOCK();
        NEXT;
    }
    /* [h]: results are already in fp[0..nresults) */
L_RETURN: {
        if (s->nframes == base) {
            SAVE();
            return WVM_OK;
        }
        frame *fr = &frames[--s->nframes];
        pc = fr->ret_pc;
        fp = fr->fp;
        /* back in the same instance, mem and memsize are still right (a
         * memory.grow on the way reloaded them) */
        if (UNLIKELY(fr->inst != inst)) {
            inst = fr->inst;
            RELOAD_MEM();
        }
        NEXT;
    }
    /* [h][A=dst B=src] */
L_MOV: { uint64_t w = W; fp[OPA(w)] = fp[OPB(w)]; pc += 2; NEXT; }
    /* [h][A=dst1 B=src1 C=dst2 D=src2]: two moves, in that order */
L_MOV2: { uint64_t w = W; fp[OPA(w)] = fp[OPB(w)]; fp[OPC(w)] = fp[OPD(w)]; pc += 2; NEXT; }
    /* [h][A=dst1 B=src1 C=dst2 D=src2][A=dst3 B=src3 (C=dst4 D=src4)] */
L_MOV3: { uint64_t w = W, x = pc[2].u; fp[OPA(w)] = fp[OPB(w)]; fp[OPC(w)] = fp[OPD(w)];
          fp[OPA(x)] = fp[OPB(x)]; pc += 3; NEXT; }
L_MOV4: { uint64_t w = W, x = pc[2].u; fp[OPA(w)] = fp[OPB(w)]; fp[OPC(w)] = fp[OPD(w)];
          fp[OPA(x)] = fp[OPB(x)]; fp[OPC(x)] = fp[OPD(x)]; pc += 3; NEXT; }
    /* [h][A=dst HI=value] */
L_CONST32: { uint64_t w = W; fp[OPA(w)].u64 = OPHI(w); pc += 2; NEXT; }
    /* [h][A=dst][value] */
L_CONST64: { fp[OPA(W)].u64 = pc[2].u; pc += 3; NEXT; }
    /* [h][A=dst B=if true C=if false D=cond] */
L_SELECT: { uint64_t w = W; fp[OPA(w)] = fp[OPD(w)].u32 ? fp[OPB(w)] : fp[OPC(w)]; pc += 2; NEXT; }
    /* [h][A=dst HI=global] */
L_GLOBAL_GET: { uint64_t w = W; fp[OPA(w)] = inst->globals[OPHI(w)]->val; pc += 2; NEXT; }
L_GLOBAL_SET: { uint64_t w = W; inst->globals[OPHI(w)]->val = fp[OPA(w)]; pc += 2; NEXT; }
    /* [h][A=dst] */
L_MEMORY_SIZE: { fp[OPA(W)].u64 = inst->mem->pages; pc += 2; NEXT; }
    /* [h][A=dst B=delta] */
L_MEMORY_GROW: {
        uint64_t w = W;
        /* at most 2^32 * 2^32 */
        CHARGE_EXTRA((uint64_t)s->engine->fuel.memory_grow_page * fp[OPB(w)].u32);
        SAVE();
        fp[OPA(w)].u64 = (uint32_t)instance_memory_grow(s, inst->mem, fp[OPB(w)].u32);
        LOAD();
        RELOAD_MEM();
        pc += 2;
        NEXT;
    }
    /* [h][A=dst B=src C=n][data index] */
L_MEMORY_INIT: {
        uint64_t w = W;
        CHARGE_EXTRA(BULK_COST(fp[OPC(w)].u32, 1));
        st = instance_memory_init(inst, (uint32_t)pc[2].u, fp[OPA(w)].u32, fp[OPB(w)].u32, fp[OPC(w)].u32);
        if (st) TRAP(st);
        pc += 3;
        NEXT;
    }
    /* [h][data index] */
L_DATA_DROP: inst->data_dropped[pc[1].u] = true; pc += 2; NEXT;
    /* [h][A=dst B=src C=n] */
L_MEMORY_COPY: {
        uint64_t w = W;
        uint64_t d = fp[OPA(w)].u32, sr = fp[OPB(w)].u32, n = fp[OPC(w)].u32;
        CHARGE_EXTRA(BULK_COST(n, 1));
        if (UNLIKELY(d + n > memsize || sr + n > memsize)) TRAP(WVM_TRAP_MEMORY_OOB);
        memmove(mem + d, mem + sr, n);
        memory_mark(inst->mem, d, n);
        pc += 2;
        NEXT;
    }
    /* [h][A=dst B=value C=n] */
L_MEMORY_FILL: {
        uint64_t w = W;
        uint64_t d = fp[OPA(w)].u32, n = fp[OPC(w)].u32;
        CHARGE_EXTRA(BULK_COST(n, 1));
        if (UNLIKELY(d + n > memsize)) TRAP(WVM_TRAP_MEMORY_OOB);
        memset(mem + d, (uint8_t)fp[OPB(w)].u32, n);
        memory_mark(inst->mem, d, n);
        pc += 2;
        NEXT;
    }
    /* [h][A=dst B=index HI=table] */
L_TABLE_GET: {
        uint64_t w = W;
        table_obj *t = inst->tables[OPHI(w)];
        uint32_t i = fp[OPB(w)].u32;
        if (UNLIKELY(i >= t->size)) TRAP(WVM_TRAP_TABLE_OOB);
        fp[OPA(w)] = t->elems[i];
        pc += 2;
        NEXT;
    }
    /* [h][A=index B=value HI=table] */
L_TABLE_SET: {
        uint64_t w = W;
        table_obj *t = inst->tables[OPHI(w)];
        uint32_t i = fp[OPA(w)].u32;
        if (UNLIKELY(i >= t->size)) TRAP(WVM_TRAP_TABLE_OOB);
        t->elems[i] = fp[OPB(w)];
        t->written = true;
        pc += 2;
        NEXT;
    }
    /* [h][A=dst HI=table] */
L_TABLE_SIZE: { uint64_t w = W; fp[OPA(w)].u64 = inst->tables[OPHI(w)]->size; pc += 2; NEXT; }
    /* [h][A=dst B=init value C=delta][table] */
L_TABLE_GROW: {
        uint64_t w = W;
        fp[OPA(w)].u64 = (uint32_t)instance_table_grow(s, inst->tables[pc[2].u], fp[OPC(w)].u32, fp[OPB(w)]);
        pc += 3;
        NEXT;
    }
    /* [h][A=index B=value C=n][table] */
L_TABLE_FILL: {
        uint64_t w = W;
        table_obj *t = inst->tables[pc[2].u];
        uint64_t i = fp[OPA(w)].u32, n = fp[OPC(w)].u32;
        CHARGE_EXTRA(BULK_COST(n, 8));
        if (UNLIKELY(i + n > t->size)) TRAP(WVM_TRAP_TABLE_OOB);
        for (uint64_t k = 0; k < n; k++) t->elems[i + k] = fp[OPB(w)];
        t->written = true;
        pc += 3;
        NEXT;
    }
    /* [h][A=dst B=src C=n][lo: dst table, hi: src table] */
L_TABLE_COPY: {
        uint64_t w = W;
        table_obj *td = inst->tables[(uint32_t)pc[2].u], *ts = inst->tables[pc[2].u >> 32];
        uint64_t d = fp[OPA(w)].u32, sr = fp[OPB(w)].u32, n = fp[OPC(w)].u32;
        CHARGE_EXTRA(BULK_COST(n, 8));
        if (UNLIKELY(d + n > td->size || sr + n > ts->size)) TRAP(WVM_TRAP_TABLE_OOB);
        memmove(td->elems + d, ts->elems + sr, n * sizeof(slot));
        td->written = true;
        pc += 3;
        NEXT;
    }
    /* [h][A=dst B=src C=n][lo: table, hi: element segment] */
L_TABLE_INIT: {
        uint64_t w = W;
        CHARGE_EXTRA(BULK_COST(fp[OPC(w)].u32, 8));
        st = instance_table_init(inst, (uint32_t)pc[2].u, (uint32_t)(pc[2].u >> 32),
                                 fp[OPA(w)].u32, fp[OPB(w)].u32, fp[OPC(w)].u32);
        if (st) TRAP(st);
        pc += 3;
        NEXT;
    }
    /* [h][segment] */
L_ELEM_DROP: inst->elem_dropped[pc[1].u] = true; pc += 2; NEXT;
    /* [h][A=dst B=ref] */
L_REF_IS_NULL: { uint64_t w = W; fp[OPA(w)].u64 = fp[OPB(w)].ref == NULL; pc += 2; NEXT; }
    /* [h][A=dst HI=function] */
L_REF_FUNC: { uint64_t w = W; fp[OPA(w)].ref = inst->funcs[OPHI(w)]; pc += 2; NEXT; }
    /* [h][A=slot]: canonical-NaN policy */
L_CANON_F32: { uint64_t w = W; if (isnan(fp[OPA(w)].f32)) fp[OPA(w)].u64 = 0x7fc00000u; pc += 2; NEXT; }
L_CANON_F64: { uint64_t w = W; if (isnan(fp[OPA(w)].f64)) fp[OPA(w)].u64 = 0x7ff8000000000000ull; pc += 2; NEXT; }

    /* ---- y[i] += a * x[i] (compile.c, fuse_axpy), last: handlers added
     * here leave the layout of the others as it was.  x loaded, multiplied
     * by a, added to y loaded, the sum stored back to y:
     *   _R     [h][A=p B=a C=y][lo: offset, hi: y offset]   x at u32(p) + offset
     *   _RI    [h][A=p B=a C=y][lo: k, hi: y offset]        x at u32(p + k)
     *   _RRT   [h][A=t B=a C=p D=q][lo: y, hi: y offset]    t = p + q; x at u32(t)
     * y at u32(slot y) + y offset; and with the add that made y's address
     * just before them, y's offset 0 (the _Y forms):
     *   _RI_Y  [h][A=p B=a C=y D=s][lo: k, hi: ky]          y = s + ky; x at u32(p + k)
     *   _RRT_Y [h][A=t B=a C=p D=q][y | py << 16 | qy << 32]
     *          y = py + qy; t = p + q; x at u32(t)
     * A trap is the access that comes first in wasm order among those out
     * of bounds: at pc for x, pc + 1 for y (each has its pcmap entry). ---- */
#define AXPY_DO(T, F, a_) \
        bool xbad = xa + sizeof(T) > memsize, ybad = ya + sizeof(T) > memsize; \
        if (UNLIKELY(xbad | ybad)) { \
            if (ybad && (!xbad || y_access_first(inst, pc))) pc += 1; \
            TRAP(WVM_TRAP_MEMORY_OOB); \
        } \
        T xv, yv; \
        memcpy(&xv, mem + xa, sizeof xv); \
        memcpy(&yv, mem + ya, sizeof yv); \
        T m = fp[a_].F * xv; \
        yv = m + yv; \
        memcpy(mem + ya, &yv, sizeof yv); \
        DIRTY_MARK(mem, ya); \
        pc += 3; \
        NEXT;
#define AXPY(P, T, F) \
    L_##P##_AXPY_R: { uint64_t w = W, k = pc[2].u; \
        uint64_t xa = (uint64_t)fp[OPA(w)].u32 + (uint32_t)k; \
        uint64_t ya = (uint64_t)fp[OPC(w)].u32 + (k >> 32); \
        AXPY_DO(T, F, OPB(w)) } \
    L_##P##_AXPY_RI: { uint64_t w = W, k = pc[2].u; \
        uint64_t xa = (uint32_t)(fp[OPA(w)].u32 + (uint32_t)k); \
        uint64_t ya = (uint64_t)fp[OPC(w)].u32 + (k >> 32); \
        AXPY_DO(T, F, OPB(w)) } \
    L_##P##_AXPY_RRT: { uint64_t w = W, k = pc[2].u; \
        uint32_t t = fp[OPC(w)].u32 + fp[OPD(w)].u32; \
        fp[OPA(w)].u32 = t; \
        uint64_t xa = t, ya = (uint64_t)fp[(uint16_t)k].u32 + (k >> 32); \
        AXPY_DO(T, F, OPB(w)) } \
    L_##P##_AXPY_RI_Y: { uint64_t w = W, k = pc[2].u; \
        uint32_t y = fp[OPD(w)].u32 + (uint32_t)(k >> 32); \
        fp[OPC(w)].u32 = y; \
        uint64_t xa = (uint32_t)(fp[OPA(w)].u32 + (uint32_t)k), ya = y; \
        AXPY_DO(T, F, OPB(w)) } \
    L_##P##_AXPY_RRT_Y: { uint64_t w = W, k = pc[2].u; \
        uint32_t y = fp[(uint16_t)(k >> 16)].u32 + fp[(uint16_t)(k >> 32)].u32; \
        fp[(uint16_t)k].u32 = y; \
        uint32_t t = fp[OPC(w)].u32 + fp[OPD(w)].u32; \
        fp[OPA(w)].u32 = t; \
        uint64_t xa = t, ya = y; \
        AXPY_DO(T, F, OPB(w)) }
    AXPY(I32, uint32_t, u32)
    AXPY(I64, uint64_t, u64)
    AXPY(F32, float, f32)
    AXPY(F64, double, f64)

trap:
    SAVE();
    trap_message(s, st, inst, pc, base);
    s->nframes = base;
    return st;
}

const void *const *interp_labels(void) {
    const void *const *labels = NULL;
    run(NULL, NULL, NULL, &labels);
    return labels;
}

/* Calls a function with arguments in args (room for max(params, results)
 * slots at the top of the store's stack); results replace them. */
wvm_status interp_call(wvm_store *s, wvm_func *f, slot *args) {
    if (f->host) {
        if (UNLIKELY(args + f->type->nparams + f->type->nresults > s->stack_end))
            return store_error(s, WVM_TRAP_STACK_EXHAUSTED, "call stack exhausted");
        s->stack_top = args + f->type->nparams + f->type->nresults;
        return call_host(s, f->inst, f, args);
    }
    return run(s, f, args, NULL);
}
