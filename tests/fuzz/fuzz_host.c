/*
 * fuzz_host.c -- the host side of guest memory: wvm_caller_read,
 * wvm_caller_write and wvm_caller_memory at fuzzer-chosen pointers and
 * lengths, while the guest grows its memory (from wasm, and re-entrantly
 * from the host), with fuel charges, host traps and nested calls.
 *
 * The guest (text below) loops calling env.step(memory.size) -- so the
 * host always knows the exact memory size -- and acts on the result:
 * 0 continue, 1 return, n >= 2 memory.grow(n - 2) then continue.  The
 * host function reads one operation at a time from the fuzzer's bytes.
 *
 * Checks: an access succeeds exactly when [ptr, ptr+len) is inside
 * memory (64-bit arithmetic; ptr == size with len 0 is inside), and
 * otherwise returns WVM_ERR_BOUNDS / NULL and changes nothing: a shadow
 * copy of memory is kept and compared on every read and at the end.
 * ASan catches any byte touched outside guest memory or the host buffer.
 *
 * The first input byte picks the module: with memory (1 page, max 8) or
 * without memory (every access but an empty one at 0 is out of bounds).
 *
 * Re-entry under pressure (issue 11): the host may call back into the
 * guest at the bottom of a deep recursion ("deep"(n) recurses n frames,
 * then runs the same loop; n goes past the frame limit), charge any
 * amount of fuel (huge values included: 2^62 and more must be out of
 * fuel), and call into a second store whose host calls back into the
 * first.  Objects are also handed to the wrong store, which must refuse
 * them with WVM_ERR_ARG and change nothing.
 */
#include "fuzz_common.h"

/*
(module
  (import "env" "step" (func $step (param i32) (result i32)))
  (memory (export "memory") 1 8)
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0)))
  (func $run (export "run")
    (local $r i32)
    (loop $l
      (local.set $r (call $step (memory.size)))
      (br_if $l (i32.eqz (local.get $r)))
      (if (i32.eq (local.get $r) (i32.const 1)) (then (return)))
      (drop (memory.grow (i32.sub (local.get $r) (i32.const 2))))
      (br $l)))
  (func $deep (export "deep") (param $n i32)
    (if (local.get $n)
      (then (call $deep (i32.sub (local.get $n) (i32.const 1))))
      (else (call $run)))))
*/
static const uint8_t mem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x02,
    0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x73, 0x74, 0x65, 0x70, 0x00,
    0x00, 0x03, 0x04, 0x03, 0x00, 0x01, 0x02, 0x05, 0x04, 0x01, 0x01, 0x01,
    0x08, 0x07, 0x1e, 0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x01, 0x03, 0x72, 0x75, 0x6e,
    0x00, 0x02, 0x04, 0x64, 0x65, 0x65, 0x70, 0x00, 0x03, 0x0a, 0x40, 0x03,
    0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x25, 0x01, 0x01, 0x7f, 0x03,
    0x40, 0x3f, 0x00, 0x10, 0x00, 0x21, 0x00, 0x20, 0x00, 0x45, 0x0d, 0x00,
    0x20, 0x00, 0x41, 0x01, 0x46, 0x04, 0x40, 0x0f, 0x0b, 0x20, 0x00, 0x41,
    0x02, 0x6b, 0x40, 0x00, 0x1a, 0x0c, 0x00, 0x0b, 0x0b, 0x11, 0x00, 0x20,
    0x00, 0x04, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x03, 0x05, 0x10,
    0x02, 0x0b, 0x0b
};

/*
(module
  (import "env" "step" (func $step (param i32) (result i32)))
  (func (export "run")
    (loop $l (br_if $l (i32.eqz (call $step (i32.const 0)))))))
*/
static const uint8_t nomem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65,
    0x6e, 0x76, 0x04, 0x73, 0x74, 0x65, 0x70, 0x00, 0x00, 0x03, 0x02, 0x01,
    0x01, 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x0e,
    0x01, 0x0c, 0x00, 0x03, 0x40, 0x41, 0x00, 0x10, 0x00, 0x45, 0x0d, 0x00,
    0x0b, 0x0b
};

enum { PAGE = 65536, MAX_PAGES = 8, BUF = MAX_PAGES * PAGE + 64 };

typedef struct ctx {
    fz_input in;
    wvm_store *store;
    wvm_func *grow, *run, *deep;
    wvm_store *store2;     /* a second store: mem_wasm with step2 */
    wvm_func *run2;
    wvm_extern mem2;
    int depth2;
    uint8_t *shadow;   /* what guest memory must hold: MAX_PAGES pages */
    uint8_t *buf;      /* host-side buffer: BUF bytes */
    int depth;
    bool nomem;        /* the guest has no memory: every access is out of bounds */
    wvm_instance *inst;
} ctx;

/* A pointer and length near the interesting edges of a memory of size. */
static void pick_span(fz_input *in, uint64_t size, uint32_t *ptr, uint32_t *len) {
    uint32_t k = fz_u8(in) % 17;
    int d = (int)(fz_u8(in) % 3) - 1;  /* -1, 0, +1 */
    switch (fz_u8(in) % 7) {
    case 0: *ptr = fz_u32(in); *len = fz_u32(in) & 0xffff; break;
    case 1: *ptr = (uint32_t)(size - k); *len = (uint32_t)((int64_t)k + d); break;
    case 2: *ptr = k; *len = (uint32_t)((int64_t)size - k + d); break;
    case 3: *ptr = UINT32_MAX - k; *len = k + 1 + (uint32_t)(d + 1); break;
    case 4: *ptr = size ? fz_u32(in) % (uint32_t)size : 0; *len = fz_u8(in); break;
    case 5: *ptr = fz_u32(in); *len = fz_u32(in); break;
    default: *ptr = (uint32_t)size + (uint32_t)d; *len = (uint32_t)(fz_u8(in) % 3); break;
    }
}

static wvm_status step(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    ctx *x = user;
    uint64_t size = (uint64_t)(uint32_t)args[0].of.i32 * PAGE;
    FZ_ASSERT(size <= (uint64_t)MAX_PAGES * PAGE);
    results[0] = wvm_i32(0);
    for (int n = 0; n < 8; n++) {
        if (!fz_left(&x->in)) { results[0] = wvm_i32(1); return WVM_OK; }
        uint32_t ptr = 0, len = 0;
        uint8_t op = fz_u8(&x->in) % 14;
        if (op <= 2) pick_span(&x->in, size, &ptr, &len);
        bool inside = !x->nomem && (uint64_t)ptr + len <= size;
        switch (op) {
        case 0: { /* read */
            if (inside) memset(x->buf, 0xa5, len);
            wvm_status st = wvm_caller_read(c, ptr, x->buf, len);
            FZ_ASSERT(st == (inside ? WVM_OK : WVM_ERR_BOUNDS));
            if (inside) FZ_ASSERT(len == 0 || memcmp(x->buf, x->shadow + ptr, len) == 0);
            break;
        }
        case 1: { /* write */
            uint8_t v = fz_u8(&x->in);
            if (inside)
                for (uint32_t i = 0; i < len; i++) x->buf[i] = (uint8_t)(v + i);
            wvm_status st = wvm_caller_write(c, ptr, x->buf, len);
            FZ_ASSERT(st == (inside ? WVM_OK : WVM_ERR_BOUNDS));
            if (inside && len) memcpy(x->shadow + ptr, x->buf, len);
            break;
        }
        case 2: { /* direct pointer: compare, then write through it */
            uint8_t *p = wvm_caller_memory(c, ptr, len);
            FZ_ASSERT((p != NULL) == inside);
            if (p && len) {
                FZ_ASSERT(memcmp(p, x->shadow + ptr, len) == 0);
                uint8_t v = fz_u8(&x->in);
                memset(p, v, len);
                memset(x->shadow + ptr, v, len);
            }
            break;
        }
        case 3: /* the guest grows memory by 0..3 pages */
            results[0] = wvm_i32(2 + (int32_t)(fz_u8(&x->in) % 4));
            return WVM_OK;
        case 4: { /* re-entry: grow from the host, then keep going */
            if (!x->grow) break;
            uint32_t delta = fz_u8(&x->in) % 4;
            wvm_val a = wvm_i32((int32_t)delta), r;
            wvm_status st = wvm_func_call(x->store, x->grow, &a, 1, &r, 1);
            if (st) return st;  /* out of fuel, ... */
            if (r.of.i32 >= 0) {
                FZ_ASSERT((uint64_t)(uint32_t)r.of.i32 * PAGE == size);
                size += (uint64_t)delta * PAGE;
            } else {
                FZ_ASSERT(size / PAGE + delta > MAX_PAGES);
            }
            break;
        }
        case 5: { /* fuel */
            wvm_status st = wvm_caller_charge(c, fz_u8(&x->in) * 97u);
            FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_TIMEOUT);
            if (st) return st;
            break;
        }
        case 6: /* a host trap ends the call (now and then) */
            if (fz_u8(&x->in) % 8 == 0) return wvm_caller_trap(c, "host trap %d", 42);
            break;
        case 7: { /* nested run: the same loop, one level deeper */
            if (x->depth >= 4) break;
            x->depth++;
            wvm_status st = wvm_func_call(x->store, x->run, NULL, 0, NULL, 0);
            x->depth--;
            if (st) return st;
            /* the nested run may have grown memory: ask the guest again */
            results[0] = wvm_i32(0);
            return WVM_OK;
        }
        case 8: { /* re-entry at the bottom of a deep recursion, past the
                   * frame limit (500) now and then */
            if (!x->deep || x->depth >= 4) break;
            uint32_t n = fz_u32(&x->in) % 560;
            x->depth++;
            wvm_val a = wvm_i32((int32_t)n);
            wvm_status st = wvm_func_call(x->store, x->deep, &a, 1, NULL, 0);
            x->depth--;
            FZ_ASSERT(st == WVM_OK || wvm_status_is_trap(st));
            if (st) return st;
            results[0] = wvm_i32(0);
            return WVM_OK;
        }
        case 9: { /* any charge, however large */
            uint64_t fuel = fz_u64(&x->in);
            switch (fz_u8(&x->in) % 4) {
            case 0: fuel >>= fz_u8(&x->in) % 64; break;
            case 1: fuel = UINT64_MAX - fz_u8(&x->in); break;
            case 2: fuel = (1ull << 62) + (int8_t)fz_u8(&x->in); break;
            default: break;
            }
            wvm_status st = wvm_caller_charge(c, fuel);
            /* a charge that needs the next chunk of fuel also checks the
             * deadline: a slow run may time out there */
            FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_TIMEOUT);
            if (fuel >= (1ull << 62)) FZ_ASSERT(st == WVM_TRAP_OUT_OF_FUEL);
            if (st) return st;
            break;
        }
        case 10: { /* a call into the second store (which may call back) */
            if (!x->run2 || x->depth2 >= 3) break;
            x->depth2++;
            wvm_store_set_fuel(x->store2, 20000);
            wvm_status st = wvm_func_call(x->store2, x->run2, NULL, 0, NULL, 0);
            x->depth2--;
            FZ_ASSERT(st == WVM_OK || wvm_status_is_trap(st));
            /* the other store's trap is the embedder's business, not
             * ours; its host may have grown our memory: ask again */
            results[0] = wvm_i32(0);
            return WVM_OK;
        }
        case 11: { /* objects of the other store: refused, nothing changed */
            if (!x->store2) break;
            FZ_ASSERT(wvm_func_call(x->store, x->run2, NULL, 0, NULL, 0) == WVM_ERR_ARG);
            FZ_ASSERT(wvm_func_call(x->store2, x->run, NULL, 0, NULL, 0) == WVM_ERR_ARG);
            uint8_t b = 0;
            uint32_t pages;
            FZ_ASSERT(wvm_memory_write(x->store, x->mem2, 0, &b, 1) == WVM_ERR_ARG);
            FZ_ASSERT(wvm_memory_size(x->store, x->mem2, &pages) == WVM_ERR_ARG);
            wvm_extern own = wvm_extern_func(x->run);
            FZ_ASSERT(wvm_store_define(x->store2, "env", "step", own) == WVM_ERR_ARG);
            break;
        }
        case 12: { /* the guest's memory through its extern */
            if (x->nomem) break;
            wvm_extern mem = { WVM_EXTERN_MEMORY, NULL };
            FZ_ASSERT(wvm_instance_export(x->inst, "memory", &mem) == WVM_OK);
            uint32_t pages = 0;
            FZ_ASSERT(wvm_memory_size(x->store, mem, &pages) == WVM_OK);
            FZ_ASSERT((uint64_t)pages * PAGE == size);
            pick_span(&x->in, size, &ptr, &len);
            bool in2 = (uint64_t)ptr + len <= size;
            wvm_status st = wvm_memory_read(x->store, mem, ptr, x->buf, len);
            FZ_ASSERT(st == (in2 ? WVM_OK : WVM_ERR_BOUNDS));
            if (in2) FZ_ASSERT(len == 0 || memcmp(x->buf, x->shadow + ptr, len) == 0);
            break;
        }
        default: break;
        }
    }
    return WVM_OK;
}

/* The second store's host: fuel, stop, or a call back into the first
 * store (whose own host then runs on top of this one). */
static wvm_status step2(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    ctx *x = user;
    (void)args;
    results[0] = wvm_i32(1);
    if (!fz_left(&x->in)) return WVM_OK;
    switch (fz_u8(&x->in) % 4) {
    case 0: {
        wvm_status st = wvm_caller_charge(c, fz_u64(&x->in) >> (fz_u8(&x->in) % 64));
        FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_TIMEOUT);
        if (st) return st;
        results[0] = wvm_i32(0);
        return WVM_OK;
    }
    case 1: {
        if (x->depth >= 4) return WVM_OK;
        x->depth++;
        wvm_status st = wvm_func_call(x->store, x->run, NULL, 0, NULL, 0);
        x->depth--;
        FZ_ASSERT(st == WVM_OK || wvm_status_is_trap(st));
        return st;
    }
    case 2: return WVM_OK;
    default:
        results[0] = wvm_i32(0);
        return WVM_OK;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static wvm_engine *engine;   /* immutable after creation: shared by all inputs */
    static wvm_module *mods[2];
    static uint8_t *shadow, *buf;
    if (!engine) {
        engine = fz_engine(true, WVM_FLOAT_ALLOW);
        if (wvm_module_new(engine, mem_wasm, sizeof mem_wasm, &mods[0]) != WVM_OK) abort();
        if (wvm_module_new(engine, nomem_wasm, sizeof nomem_wasm, &mods[1]) != WVM_OK) abort();
        shadow = malloc(MAX_PAGES * PAGE);
        buf = malloc(BUF);
        if (!shadow || !buf) abort();
    }
    if (size == 0) return 0;
    bool nomem = data[0] % 8 == 0;
    const wvm_module *m = mods[nomem];

    ctx x;
    memset(&x, 0, sizeof x);
    x.in = (fz_input){ data + 1, size - 1, 0 };
    x.shadow = shadow;
    x.buf = buf;
    x.nomem = nomem;
    memset(shadow, 0, MAX_PAGES * PAGE);
    if (wvm_store_new(engine, &x.store) != WVM_OK) abort();
    static const wvm_valtype p[] = { WVM_I32 }, r[] = { WVM_I32 };
    wvm_functype t = { 1, 1, p, r };
    wvm_func *f;
    if (wvm_func_new_host(x.store, &t, step, &x, &f) != WVM_OK) abort();
    wvm_extern imp = { WVM_EXTERN_FUNC, f };
    wvm_instance *inst = NULL;
    if (wvm_instance_new(x.store, m, &imp, 1, &inst) != WVM_OK) abort();
    x.inst = inst;
    if (!nomem && wvm_instance_func(inst, "grow", &x.grow) != WVM_OK) abort();
    if (!nomem && wvm_instance_func(inst, "deep", &x.deep) != WVM_OK) abort();
    if (wvm_instance_func(inst, "run", &x.run) != WVM_OK) abort();
    /* the second store: the memory module again, its host step2 */
    if (data[0] & 0x10) {
        wvm_func *f2;
        wvm_instance *inst2;
        if (wvm_store_new(engine, &x.store2) != WVM_OK) abort();
        if (wvm_func_new_host(x.store2, &t, step2, &x, &f2) != WVM_OK) abort();
        wvm_extern imp2 = wvm_extern_func(f2);
        if (wvm_instance_new(x.store2, mods[0], &imp2, 1, &inst2) != WVM_OK) abort();
        if (wvm_instance_func(inst2, "run", &x.run2) != WVM_OK) abort();
        if (wvm_instance_export(inst2, "memory", &x.mem2) != WVM_OK) abort();
        wvm_store_set_timeout(x.store2, 1000);
    }
    wvm_store_set_fuel(x.store, 1000000);
    wvm_store_set_timeout(x.store, 1000);
    wvm_status st = wvm_func_call(x.store, x.run, NULL, 0, NULL, 0);
    FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_HOST ||
              st == WVM_TRAP_TIMEOUT || st == WVM_TRAP_STACK_EXHAUSTED);

    /* memory must hold exactly what the host saw written */
    uint64_t msize = wvm_instance_memory_size(inst);
    FZ_ASSERT(msize <= (uint64_t)MAX_PAGES * PAGE && msize % PAGE == 0);
    FZ_ASSERT(nomem ? msize == 0 : msize >= PAGE);
    if (msize) {
        FZ_ASSERT(wvm_instance_memory_read(inst, 0, buf, (uint32_t)msize) == WVM_OK);
        FZ_ASSERT(memcmp(buf, shadow, msize) == 0);
    }
    FZ_ASSERT(wvm_instance_memory_read(inst, (uint32_t)msize, buf, 1) == WVM_ERR_BOUNDS);
    wvm_store_free(x.store);
    wvm_store_free(x.store2);
    return 0;
}
