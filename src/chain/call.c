/*
 * call.c -- the call path: wvm_call, wvm_query, the Initialize of a
 * deploy, and the frame runner behind cross-contract calls.
 *
 * One call, as every path runs it (call_exec):
 *   check the request -> host_tx (one store for the whole transaction)
 *   -> run_frame: find the contract (not_found) -> its translated module
 *   (translated once per code hash, call_cache) -> instantiate with the
 *   host functions -> _initialize if exported -> allocate, copy the
 *   function name and the params -> handle_contract_call -> the outcome
 *   (result, or an error kind from the status and the kind the host
 *   recorded, never from message text).
 * The caller commits or aborts the state transaction.
 *
 * Fuel is one budget per transaction.  The top frame's guest calls
 * (start, _initialize, allocate, handle_contract_call) are each an
 * outermost call of the store, so the budget is carried from one to the
 * next; callees run inside a host function of their caller, where the
 * store's budget is shared already.  The timeout applies to each
 * outermost guest call.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chain.h"
#include "host/host.h"

/* A cached module as the frame runner sees it (chain_module_get, engine.c). */
typedef struct call_module {
    cache_entry *ce;
    const wvm_module *module;
    bool has_start;            /* instantiation runs guest code */
    const policy_set *policies; /* from its ABI section (policy.c) */
} call_module;

/* ------------------------------------------------------------------ */
/* Running frames                                                      */

/* Cache entries a transaction's store instantiated: a module must
 * outlive the stores that instantiated it, so they are released only
 * after host_tx_free (call_done), even when evicted meanwhile. */
typedef struct call_held {
    cache_entry **e;
    uint32_t n, cap;
} call_held;

/* An instance of a callee's module kept in a unit's store, reset to
 * its state after start and _initialize, as the top instance is.  The
 * fresh path ran those nested in the caller's host call, with the room
 * (fuel, frames, stack slots) left there; they cannot reach the host
 * (host.c), so they run the same way wherever they have at least that
 * room, and a frame with that room reuses the instance -- charged
 * init_fuel -- where a fresh one would have run to the same state.  With
 * less, the frame takes the fresh path, which then decides. */
typedef struct unit_callee {
    cache_entry *ce;           /* its module, held by the unit */
    wvm_instance *inst;
    uint64_t init_fuel;
    uint32_t room_frames;      /* the room the fresh run had */
    uint64_t room_slots;
    bool busy;                 /* a frame of the running call has it */
} unit_callee;

#define UNIT_CALLEES 8

/* A pooled unit (docs/engine.md, "The instance pool"): a store of its
 * own with the host functions, and one instance of the module, reset to
 * its state right after instantiation and _initialize.  Reaching that
 * state costs the same fuel every time (it is deterministic): the fresh
 * path measured it once, and a call that reuses the unit is charged it
 * instead of running the code again.  Instances of its callees made in
 * its store are kept the same way. */
typedef struct call_unit {
    host_store hs;
    wvm_instance *inst;        /* NULL until the first call made it */
    uint64_t init_fuel;        /* start + _initialize, as the fresh path charges */
    bool dirty;                /* not fit to go back idle: its store has an
                                  instance it cannot reset, a timeout or
                                  cancel hit it */
    uint32_t ncallees;
    unit_callee callee[UNIT_CALLEES];
} call_unit;

void chain_unit_free(void *p) {
    call_unit *u = p;
    if (!u) return;
    host_store_free(&u->hs);
    for (uint32_t i = 0; i < u->ncallees; i++) cache_release(NULL, u->callee[i].ce);
    free(u);
}

typedef struct call_ctx {
    wvm_chain *chain;
    uint64_t fuel_limit;
    uint64_t fuel_left;        /* of the top frame's outermost calls */
    call_held *held;
    /* the top frame's module when looked up before the transaction's
     * store was chosen (unit_take): held already, its error kept */
    bool top_looked;
    wvm_contract_info top_info;  /* the contract record read there */
    cache_entry *top_ce;         /* given to the front at call_done */
    wvm_error_kind top_kind;
    char top_msg[256];
    call_unit *unit;           /* the top frame's pooled unit, or NULL */
} call_ctx;

/* Keeps ce held until call_done; when the list cannot grow, the entry is
 * pinned in place by leaking its reference (never freed while the chain
 * is open: safe, and only on out of memory). */
static void hold(call_ctx *cx, cache_entry *ce) {
    call_held *h = cx->held;
    if (h->n == h->cap) {
        uint32_t cap = h->cap ? h->cap * 2 : 4;
        cache_entry **e = realloc(h->e, cap * sizeof *e);
        if (!e) return;
        h->e = e;
        h->cap = cap;
    }
    h->e[h->n++] = ce;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0) s = NULL;
    va_end(ap);
    return s;
}

static void fail(host_outcome *out, wvm_error_kind kind, char *msg) {
    out->kind = kind;
    out->message = msg ? msg : strdup("out of memory");
    if (kind == WVM_KIND_STATE_ERROR && !out->fatal) out->fatal = WVM_ERR_STATE;
}

/* A guest call of the frame; outermost (top frame) calls carry the
 * transaction's fuel from one to the next. */
static wvm_status guest_call(host_tx *tx, bool top, wvm_func *f, const wvm_val *args, uint32_t nargs,
                             wvm_val *res, uint32_t nres) {
    call_ctx *cx = tx->run_user;
    if (top) {
        wvm_store_set_fuel(tx->store, cx->fuel_left);
        tx->fuel_base = cx->fuel_limit - cx->fuel_left;
    }
    wvm_status st = wvm_func_call(tx->store, f, args, nargs, res, nres);
    if (top) cx->fuel_left = wvm_store_fuel_remaining(tx->store);
    return st;
}

/* The outcome of a trap (or other failing status) st in frame f. */
static void trap_outcome(host_tx *tx, host_frame *f, const char *where, wvm_status st,
                         host_outcome *out) {
    call_ctx *cx = tx->run_user;
    const char *m = wvm_store_errmsg(tx->store);
    char addr[43];
    wvm_address_hex(&f->contract, addr);
    switch (st) {
    case WVM_TRAP_OUT_OF_FUEL:
        out->fatal = st;
        fail(out, WVM_KIND_RESOURCE_EXHAUSTED,
             fmt("out of fuel: the limit of %llu was used up in %s of %s (%s)",
                 (unsigned long long)cx->fuel_limit, where, addr, f->function));
        return;
    case WVM_TRAP_TIMEOUT:
    case WVM_TRAP_CANCELLED:
        out->fatal = st;
        fail(out, WVM_KIND_TIMEOUT, fmt("%s in %s of %s (%s)", st == WVM_TRAP_TIMEOUT ?
                                        "timed out" : "cancelled", where, addr, f->function));
        return;
    case WVM_TRAP_STACK_EXHAUSTED:
        fail(out, WVM_KIND_RESOURCE_EXHAUSTED, fmt("stack exhausted in %s of %s: %s", where, addr, m));
        return;
    case WVM_ERR_NOMEM:
        fail(out, WVM_KIND_RESOURCE_EXHAUSTED, fmt("out of memory in %s of %s: %s", where, addr, m));
        return;
    case WVM_TRAP_HOST:
        if (f->reason != WVM_KIND_NONE) {
            fail(out, f->reason, fmt("%s", m));
            return;
        }
        break;
    default:
        break;
    }
    fail(out, WVM_KIND_EXECUTION_FAILED, fmt("trap in %s of %s: %s", where, addr, m));
}

static void outcome_of_return(host_frame *f, int32_t rc, host_outcome *out) {
    if (f->has_error) {
        wvm_error_kind k = f->error_code == WVM_CONTRACT_INVALID_PARAMETERS ? WVM_KIND_INVALID_PARAMETERS
                         : f->error_code == WVM_CONTRACT_FUNCTION_NOT_FOUND ? WVM_KIND_FUNCTION_NOT_FOUND
                         : WVM_KIND_CONTRACT_ERROR;
        fail(out, k, strdup(f->error));
        return;
    }
    if (rc != 0) {
        fail(out, WVM_KIND_CONTRACT_ERROR,
             fmt("handle_contract_call returned %d without setting an error", rc));
        return;
    }
    out->kind = WVM_KIND_NONE;
    out->result = f->result;
    f->result = NULL;
}

/* The fresh path: instantiate the module of frame f with the host
 * functions, run _initialize; for the top frame of a pool miss, take the
 * unit's snapshot.  False with *out set on failure. */
static bool frame_instance(host_tx *tx, host_frame *f, const call_module *cm, bool top,
                           wvm_instance **instp, unit_callee **kept, host_outcome *out) {
    call_ctx *cx = tx->run_user;
    const wvm_module *m = cm->module;
    char addr[43];
    wvm_address_hex(&f->contract, addr);
    uint64_t fuel_before = cx->fuel_left;
    /* a callee's instance in a unit's store: kept if it can be (below) */
    call_unit *keeper = !top && tx->caller && cx->unit && !cx->unit->dirty ? cx->unit : NULL;
    wvm_room before;
    if (keeper) wvm_caller_room(tx->caller, &before);
    else if (!top && cx->unit) cx->unit->dirty = true;
    uint32_t n = wvm_module_import_count(m);
    wvm_extern *ext = calloc(n ? n : 1, sizeof *ext);
    if (!ext) return fail(out, WVM_KIND_RESOURCE_EXHAUSTED, NULL), false;
    for (uint32_t i = 0; i < n; i++) {
        wvm_func *fn = host_import(tx, m, i);
        if (!fn) {
            const char *mod, *name;
            uint32_t ml, nl;
            wvm_externkind k;
            wvm_module_import(m, i, &mod, &ml, &name, &nl, &k);
            free(ext);
            fail(out, WVM_KIND_INSTANCE_CREATION_FAILED,
                 fmt("contract %s imports %.*s.%.*s, which is not in the host ABI", addr,
                     (int)ml, mod, (int)nl, name));
            return false;
        }
        ext[i] = (wvm_extern){ WVM_EXTERN_FUNC, fn };
    }
    wvm_instance *inst = NULL;
    if (top && cm->has_start) wvm_store_set_fuel(tx->store, cx->fuel_left);
    uint64_t t0 = metrics_now();
    tx->initializing = true;
    wvm_status st = wvm_instance_new(tx->store, m, ext, n, &inst);
    metrics_observe(&cx->chain->metrics.instantiate_ns, metrics_now() - t0);
    atomic_fetch_add_explicit(&cx->chain->metrics.instantiations, 1, memory_order_relaxed);
    if (top && cm->has_start) cx->fuel_left = wvm_store_fuel_remaining(tx->store);
    free(ext);
    if (st) {
        tx->initializing = false;
        if (keeper) keeper->dirty = true;
        if (st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_TIMEOUT || st == WVM_TRAP_CANCELLED ||
            (st == WVM_TRAP_HOST && f->reason != WVM_KIND_NONE))
            trap_outcome(tx, f, "the start function", st, out);
        else
            fail(out, WVM_KIND_INSTANCE_CREATION_FAILED,
                 fmt("contract %s: %s", addr, wvm_store_errmsg(tx->store)));
        return false;
    }
    f->inst = inst;
    *instp = inst;
    wvm_func *fi = NULL;
    if (wvm_instance_func(inst, "_initialize", &fi) == WVM_OK) {
        st = guest_call(tx, top, fi, NULL, 0, NULL, 0);
        tx->initializing = false;
        if (st) {
            if (keeper) keeper->dirty = true;
            return trap_outcome(tx, f, "_initialize", st, out), false;
        }
    }
    tx->initializing = false;
    call_unit *u = top ? cx->unit : NULL;
    if (u && !u->dirty) {
        /* a pool miss: this state is what the unit goes back to */
        u->init_fuel = fuel_before - cx->fuel_left;
        if (wvm_instance_snapshot(inst) == WVM_OK) u->inst = inst;
        else u->dirty = true;
    }
    if (keeper) {
        wvm_room after;
        wvm_caller_room(tx->caller, &after);
        if (keeper->ncallees < UNIT_CALLEES && wvm_instance_snapshot(inst) == WVM_OK) {
            unit_callee *k = &keeper->callee[keeper->ncallees++];
            *k = (unit_callee){ cm->ce, inst, before.fuel - after.fuel, before.frames, before.slots, true };
            cache_retain(cm->ce);
            *kept = k;
        } else {
            keeper->dirty = true;      /* an instance it could not reset */
        }
    }
    return true;
}

/* An instance of cm's module kept in the unit's store (unit_callee) for
 * a callee frame that has the room its fresh initialization had, its
 * fuel charged; NULL when there is none, and the frame takes the fresh
 * path. */
static unit_callee *callee_take(host_tx *tx, const call_module *cm) {
    call_ctx *cx = tx->run_user;
    call_unit *u = cx->unit;
    if (!u || u->dirty || !tx->caller) return NULL;
    wvm_room room;
    bool measured = false;
    for (uint32_t i = 0; i < u->ncallees; i++) {
        unit_callee *k = &u->callee[i];
        if (k->busy || cache_entry_module(k->ce) != cm->module) continue;
        if (!measured) wvm_caller_room(tx->caller, &room);
        measured = true;
        if (room.fuel <= k->init_fuel || room.frames < k->room_frames || room.slots < k->room_slots)
            continue;
        if (wvm_caller_charge(tx->caller, k->init_fuel)) return NULL;  /* covered: cannot fail */
        k->busy = true;
        atomic_fetch_add_explicit(&metrics_mine(&cx->chain->metrics)->callee_hits, 1, memory_order_relaxed);
        return k;
    }
    return NULL;
}

/* The body of a frame once pushed: its instance (pooled or fresh), copy,
 * call. */
static void frame_body(host_tx *tx, host_frame *f, const call_module *cm, bool top,
                       const char *params, uint32_t params_len, unit_callee **kept,
                       host_outcome *out) {
    call_ctx *cx = tx->run_user;
    char addr[43];
    wvm_address_hex(&f->contract, addr);
    call_unit *u = top ? cx->unit : NULL;
    wvm_instance *inst = NULL;
    wvm_status st;
    if (u && u->inst) {
        /* reused: the state of a fresh instance after _initialize, and
         * its fuel (unit_take made sure the budget covers it) */
        inst = u->inst;
        f->inst = inst;
        cx->fuel_left -= u->init_fuel;
    } else if (!top && (*kept = callee_take(tx, cm))) {
        inst = (*kept)->inst;
        f->inst = inst;
    } else if (!frame_instance(tx, f, cm, top, &inst, kept, out)) {
        return;
    }
    wvm_func *alloc = NULL, *handle = NULL;
    if (wvm_instance_func(inst, "allocate", &alloc) || wvm_instance_func(inst, "handle_contract_call", &handle))
        return fail(out, WVM_KIND_INSTANCE_CREATION_FAILED,
                    fmt("contract %s does not export allocate and handle_contract_call", addr));
    /* name NUL params NUL: the NULs are a convenience for C contracts */
    uint32_t need = f->function_len + 1 + params_len + 1;
    wvm_val a = wvm_i32((int32_t)need), r;
    if ((st = guest_call(tx, top, alloc, &a, 1, &r, 1)))
        return trap_outcome(tx, f, "allocate", st, out);
    uint32_t ptr = (uint32_t)r.of.i32;
    if (ptr == 0)
        return fail(out, WVM_KIND_RESOURCE_EXHAUSTED,
                    fmt("contract %s: allocate(%u) returned 0: the contract is out of memory", addr, need));
    if (wvm_instance_memory_write(inst, ptr, f->function, f->function_len + 1) ||
        wvm_instance_memory_write(inst, ptr + f->function_len + 1, params, params_len) ||
        wvm_instance_memory_write(inst, ptr + f->function_len + 1 + params_len, "", 1))
        return fail(out, WVM_KIND_EXECUTION_FAILED,
                    fmt("contract %s: allocate(%u) returned 0x%x, which is not inside its memory "
                        "(%llu bytes)", addr, need, ptr,
                        (unsigned long long)wvm_instance_memory_size(inst)));
    wvm_val args[4] = { wvm_i32((int32_t)ptr), wvm_i32((int32_t)f->function_len),
                        wvm_i32((int32_t)(ptr + f->function_len + 1)), wvm_i32((int32_t)params_len) };
    if ((st = guest_call(tx, top, handle, args, 4, &r, 1)))
        return trap_outcome(tx, f, "handle_contract_call", st, out);
    outcome_of_return(f, r.of.i32, out);
}

/* The value of the transaction, before the top frame runs: refused
 * unless the function is payable, else moved from the sender to the
 * contract in the frame's transaction (undone with it when the call
 * fails).  Sets *out on failure only. */
static void attach_value(host_tx *tx, host_frame *f, uint32_t pol, host_outcome *out) {
    char addr[43];
    wvm_address_hex(&f->contract, addr);
    if (!(pol & POLICY_PAYABLE))
        return fail(out, WVM_KIND_PERMISSION_DENIED,
                    fmt("function %s of %s is not payable: a call with value %llu needs WVM_PAYABLE",
                        f->function, addr, (unsigned long long)tx->value));
    wvm_status st = st_transfer(f->txn, &f->sender, &f->contract, tx->value);
    if (st == WVM_ERR_FUNDS) {
        char from[43];
        wvm_address_hex(&f->sender, from);
        return fail(out, WVM_KIND_INSUFFICIENT_FUNDS,
                    fmt("value %llu for %s of %s is more than the balance of %s (%llu)",
                        (unsigned long long)tx->value, f->function, addr, from,
                        (unsigned long long)st_balance(f->txn, &f->sender)));
    }
    if (st == WVM_ERR_OVERFLOW)
        return fail(out, WVM_KIND_BALANCE_OVERFLOW,
                    fmt("value %llu for %s would take the balance of %s past 2^64 - 1",
                        (unsigned long long)tx->value, f->function, addr));
    if (st)
        return fail(out, WVM_KIND_STATE_ERROR,
                    fmt("value for %s of %s: %s", f->function, addr, st_txn_errmsg(f->txn)));
    changes_transfer(tx, &f->sender, &f->contract, tx->value);
}

/* host_run_fn: a frame on top of tx.  The top frame (tx->depth == 0)
 * works in parent itself, the caller's transaction; a callee in a child
 * of its caller's, committed here when it succeeds. */
static void run_frame(host_tx *tx, st_txn *parent, const wvm_address *target,
                      const wvm_address *sender, const char *function, uint32_t function_len,
                      const char *params, uint32_t params_len, host_outcome *out) {
    call_ctx *cx = tx->run_user;
    memset(out, 0, sizeof *out);
    bool top = tx->depth == 0;
    char addr[43];
    wvm_address_hex(target, addr);
    st_txn *txn = parent;
    wvm_status st = WVM_OK;
    if (!top && (st = st_txn_begin(parent, &txn)))
        return fail(out, WVM_KIND_STATE_ERROR, fmt("cannot begin a nested transaction: %s",
                                                   st_txn_errmsg(parent)));
    /* the top frame's contract was read already (unit_take), in the same
     * transaction, which nothing has written since */
    bool pre = top && cx->top_looked;
    wvm_contract_info info;
    if (pre) info = cx->top_info;
    else st = st_contract_get(txn, target, &info, NULL, NULL);
    if (!pre && st) {
        if (st == WVM_ERR_NOT_FOUND) fail(out, WVM_KIND_NOT_FOUND, fmt("no contract at %s", addr));
        else fail(out, WVM_KIND_STATE_ERROR, fmt("contract %s: %s", addr, st_txn_errmsg(txn)));
        if (!top) st_txn_abort(txn);
        return;
    }
    cache_entry *ce;
    char msg[1024];
    /* the top frame's module may have been looked up already (unit_take) */
    wvm_error_kind k;
    if (pre) {
        ce = cx->top_ce;
        k = cx->top_kind;
    } else {
        k = chain_module_get(cx->chain, txn, &info.code_hash, &ce, msg, sizeof msg);
    }
    if (k != WVM_KIND_NONE) {
        fail(out, k, fmt("contract %s: %s", addr, pre ? cx->top_msg : msg));
        if (!top) st_txn_abort(txn);
        return;
    }
    call_module cmv = { ce, cache_entry_module(ce), (cache_entry_flags(ce) & CHAIN_MODULE_HAS_START) != 0,
                        ((chain_module_aux *)cache_entry_aux(ce))->policies };
    const call_module *cm = &cmv;
    uint32_t pol = policy_of(cm->policies, function, function_len);
    if ((pol & POLICY_NONREENTRANT) && !top) {
        for (uint32_t i = 0; i < tx->depth; i++)
            if (!memcmp(&tx->frames[i].contract, target, sizeof *target)) {
                cache_release(cx->chain->modules, ce);
                fail(out, WVM_KIND_PERMISSION_DENIED,
                     fmt("%.*s of %s is nonreentrant and %s is already in the call chain (frame %u)",
                         (int)function_len, function, addr, addr, i));
                st_txn_abort(txn);
                return;
            }
    }
    host_frame *f = host_frame_push(tx, target, sender, function, function_len);
    if (!f) {
        if (!pre) cache_release(cx->chain->modules, ce);
        fail(out, WVM_KIND_RESOURCE_EXHAUSTED, fmt("call depth limit WVM_MAX_CALL_DEPTH (%d) reached",
                                                   WVM_MAX_CALL_DEPTH));
        if (!top) st_txn_abort(txn);
        return;
    }
    f->txn = txn;
    f->read_only |= (pol & POLICY_VIEW) != 0;
    f->params = params;
    f->params_len = params_len;
    if (top && tx->value) attach_value(tx, f, pol, out);
    unit_callee *kept = NULL;
    if (out->kind == WVM_KIND_NONE) frame_body(tx, f, cm, top, params, params_len, &kept, out);
    if (kept) {
        /* back to its state after _initialize, for the next frame */
        if (wvm_instance_reset(kept->inst)) cx->unit->dirty = true;
        kept->busy = false;
    }
    /* the store keeps the instance (and so uses the module) until the
     * transaction's store is freed: the entry is released then
     * (host_tx_free), not here */
    if (!pre) hold(cx, ce);
    bool failed = out->kind != WVM_KIND_NONE;
    host_frame_pop(tx, failed);
    if (top) return;
    if (failed) {
        st_txn_abort(txn);
    } else if ((st = st_txn_commit(txn))) {
        free(out->result);
        out->result = NULL;
        fail(out, WVM_KIND_STATE_ERROR, fmt("cannot merge the call of %s: %s", addr, st_txn_errmsg(txn)));
    }
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */

typedef struct call_result {
    wvm_error_kind kind;
    char *message;             /* malloc'd or NULL */
    char *result;              /* malloc'd or NULL */
    uint64_t fuel_used;
    call_held held;            /* released by call_done */
    cache_entry *top_ce;       /* the top frame's module, held or borrowed */
    bool top_borrowed;         /* (front_take): back to the front by call_done */
    call_unit *unit;           /* the top frame's pooled unit: back to the */
    pool *pool;                /* front or the pool by call_done */
    char *folded;              /* args->profile: malloc'd, NULL if none */
} call_result;

/* Frees tx's store, then releases the modules it instantiated. */
static void call_done(wvm_chain *c, host_tx *tx, call_result *r) {
    host_tx_free(tx);
    call_unit *u = r->unit;
    if (u) {
        /* back idle in the state after _initialize, with the store's
         * per-call settings back to their defaults */
        bool keep = u->inst && !u->dirty && wvm_instance_reset(u->inst) == WVM_OK;
        if (keep) wvm_store_set_timeout(u->hs.store, 0);
        else chain_unit_free(u);
        if (!keep) u = NULL;
        r->unit = NULL;
    }
    if (r->top_ce) front_done(c->front, r->top_ce, r->top_borrowed, r->pool, u);
    else if (u) pool_give(r->pool, u);
    r->top_ce = NULL;
    for (uint32_t i = 0; i < r->held.n; i++) cache_release(c->modules, r->held.e[i]);
    free(r->held.e);
    memset(&r->held, 0, sizeof r->held);
}

/* The request's own checks, before anything runs.  NULL when fine, else
 * a malloc'd message and *kind. */
static char *check_request(const wvm_call_args *args, const char *params, wvm_error_kind *kind) {
    *kind = WVM_KIND_INVALID_ARGUMENT;
    if (!args->function || !args->function[0]) return strdup("no function named");
    size_t fl = strlen(args->function);
    if (fl > WVM_MAX_NAME_LEN)
        return fmt("function name of %zu bytes is over the limit WVM_MAX_NAME_LEN (%d)", fl,
                   WVM_MAX_NAME_LEN);
    *kind = WVM_KIND_INVALID_PARAMETERS;
    size_t pl = strlen(params);
    if (pl > WVM_MAX_PARAMS_LEN)
        return fmt("params of %zu bytes are over the limit WVM_MAX_PARAMS_LEN (%d)", pl,
                   WVM_MAX_PARAMS_LEN);
    const char *why;
    size_t at;
    if (jsonquick_valid(params, pl, true)) return NULL;
    if (host_json_valid(params, pl, false, &why, &at)) {
        if (host_json_valid(params, pl, true, NULL, NULL)) return NULL;
        return strdup("params must be a JSON object");
    }
    return fmt("params are not valid JSON: %s at offset %zu", why, at);
}

/* The pooled unit for the top frame of a call of args in txn: an idle one
 * of its module's pool (a hit), or a new one whose instance the fresh
 * path makes and snapshots (a miss); NULL when the call takes the fresh
 * path without a unit: a module that cannot be had (run_frame reports
 * it), or a budget that does not cover the unit's init fuel (the fresh
 * path would run out of fuel in _initialize: its outcome by
 * construction).  The module is looked up once, for run_frame too. */
static call_unit *unit_take(wvm_chain *c, st_txn *txn, const wvm_call_args *args, call_ctx *cx,
                            call_result *r) {
    if (st_contract_get(txn, &args->contract, &cx->top_info, NULL, NULL)) return NULL;
    cx->top_looked = true;
    cache_key key = { cx->top_info.code_hash, c->cost_hash };
    void *unit;
    if ((cx->top_ce = front_take(c->front, &key, &unit))) {
        r->top_borrowed = true;
    } else {
        cx->top_kind = chain_module_get(c, txn, &cx->top_info.code_hash, &cx->top_ce, cx->top_msg,
                                        sizeof cx->top_msg);
        if (cx->top_kind != WVM_KIND_NONE) return NULL;
    }
    pool *p = ((chain_module_aux *)cache_entry_aux(cx->top_ce))->pool;
    /* call_done gives the module back to the front */
    r->top_ce = cx->top_ce;
    r->pool = p;
    if (!p) return NULL;
    call_unit *u = unit ? unit : pool_take(p);
    if (u && u->init_fuel >= cx->fuel_limit) {
        pool_untake(p, u);
        return NULL;
    }
    if (!u) {
        if (!(u = calloc(1, sizeof *u))) return NULL;
        if (host_store_init(&u->hs, c->engine)) {
            free(u);
            return NULL;
        }
    }
    r->unit = u;
    return u;
}

/* Runs args->function of args->contract as the top frame of a new
 * host_tx in txn, recording its state changes when record_changes.
 * *tx is left for the caller to read events from and
 * free (host_tx_free). */
static wvm_status call_exec(wvm_chain *c, st_txn *txn, const wvm_call_args *args, uint64_t height,
                            uint64_t time, bool record_changes, host_tx *tx, call_result *r) {
    memset(r, 0, sizeof *r);
    uint64_t t0 = metrics_now();
    const char *params = args->params ? args->params : "{}";
    if ((r->message = check_request(args, params, &r->kind))) {
        metrics_call(&c->metrics, record_changes, metrics_now() - t0, 0, r->kind);
        return WVM_OK;
    }
    call_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.chain = c;
    cx.fuel_limit = args->fuel ? args->fuel : WVM_DEFAULT_CALL_FUEL;
    cx.fuel_left = cx.fuel_limit;
    cx.held = &r->held;
    /* the pool only where reuse cannot show: a profile or a trace would
     * see _initialize run or not */
    if (!args->profile && !args->trace) cx.unit = unit_take(c, txn, args, &cx, r);
    wvm_status st = WVM_OK;
    if (cx.unit) host_tx_use(tx, &cx.unit->hs);
    else if ((st = host_tx_init(tx, c->engine))) return st;
    tx->record_changes = record_changes;
    tx->trace = args->trace;
    tx->origin = args->sender;
    tx->value = args->value;
    tx->height = height;
    tx->time = time;
    tx->run = run_frame;
    tx->run_user = &cx;
    if (args->timeout_ms) wvm_store_set_timeout(tx->store, args->timeout_ms);
    chain_prof *prof = NULL;
    if (args->profile && (st = chain_prof_begin(tx, &prof))) return st;
    host_outcome out;
    run_frame(tx, txn, &args->contract, &args->sender, args->function,
              (uint32_t)strlen(args->function), params, (uint32_t)strlen(params), &out);
    trace_close(tx, 0, out.kind, cx.fuel_limit - cx.fuel_left);
    if (cx.unit && (out.fatal == WVM_TRAP_TIMEOUT || out.fatal == WVM_TRAP_CANCELLED))
        cx.unit->dirty = true;
    tx->run_user = NULL;
    r->kind = out.kind;
    r->message = out.message;
    r->result = out.result;
    r->fuel_used = cx.fuel_limit - cx.fuel_left;
    metrics_call(&c->metrics, record_changes, metrics_now() - t0, r->fuel_used, r->kind);
    if (prof) {
        r->folded = chain_prof_folded(prof);
        chain_prof_free(prof);
        wvm_store_set_profile(tx->store, NULL, NULL);
        if (!r->folded) {
            free(r->message);
            free(r->result);
            r->message = r->result = NULL;
            return WVM_ERR_NOMEM;
        }
    }
    return WVM_OK;
}

/* Ends the call's transaction txn with its receipt, which is given back
 * made from the events tx kept (those it stored: the frames that failed
 * dropped theirs in both), sparing the read back; with more events than
 * fit here and no memory for them, read back after all. */
static wvm_status tx_end_kept(wvm_block *b, st_txn *txn, const host_tx *tx, const call_result *r,
                              wvm_receipt **receipt) {
    enum { KEPT_ON_STACK = 8 };
    wvm_event on_stack[KEPT_ON_STACK], *ev = on_stack;
    uint32_t n = receipt ? tx->nevents : 0;
    if (n > KEPT_ON_STACK && !(ev = malloc(n * sizeof *ev)))
        return chain_tx_end(b, txn, r->kind, r->message, r->result, r->fuel_used, receipt);
    for (uint32_t i = 0; i < n; i++)
        ev[i] = (wvm_event){ tx->events[i].contract, tx->events[i].name, tx->events[i].attrs, 0, 0, 0 };
    wvm_status st = chain_tx_end_kept(b, txn, r->kind, r->message, r->result, r->fuel_used, ev, n,
                                      receipt);
    if (ev != on_stack) free(ev);
    return st;
}

wvm_status wvm_call(wvm_block *b, const wvm_call_args *args, wvm_receipt **receipt) {
    if (receipt) *receipt = NULL;
    if (!b) return WVM_ERR_ARG;
    if (!args) return block_fail(b, WVM_ERR_ARG, "wvm_call: args is NULL");
    st_txn *txn;
    wvm_status st = chain_tx_begin(b, &txn);
    if (st) return st;
    host_tx tx;
    host_tx_clear(&tx);
    call_result r;
    if ((st = call_exec(b->chain, txn, args, b->height, b->time, false, &tx, &r))) {
        call_done(b->chain, &tx, &r);
        st_txn_abort(txn);
        return block_fail(b, st, "wvm_call: %s", wvm_status_str(st));
    }
    st = tx_end_kept(b, txn, &tx, &r, receipt);
    /* the log lines are not stored: only the receipt given back has them */
    if (!st && receipt && *receipt && !((*receipt)->logs = host_logs_json(&tx))) {
        wvm_receipt_free(*receipt);
        *receipt = NULL;
        st = block_fail(b, WVM_ERR_NOMEM, "wvm_call: out of memory for the log lines");
    }
    /* the transaction is in the block already: trace records lost to
     * memory leave the receipt without a trace rather than fail it */
    if (!st && receipt && *receipt) trace_take(&tx, *receipt);
    if (!st && receipt && *receipt) (*receipt)->folded = r.folded, r.folded = NULL;
    call_done(b->chain, &tx, &r);
    free(r.message);
    free(r.result);
    free(r.folded);
    return st;
}

wvm_status wvm_query(wvm_chain *c, const wvm_call_args *args, wvm_receipt **receipt) {
    *receipt = NULL;
    if (!args) return chain_fail(c, WVM_ERR_ARG, "wvm_query: args is NULL");
    /* a query transaction (st_query_begin): a read snapshot of the last
     * committed block, so queries run beside each other and beside the
     * writer, and a block committed meanwhile is not half seen; the
     * query's writes are real to it (events, reads of its own writes)
     * but stay in memory and vanish at the abort */
    st_txn *txn;
    wvm_status st = st_query_begin(c->env, &txn);
    if (st) return chain_fail(c, st, "wvm_query: cannot begin: %s", wvm_status_str(st));
    uint64_t next = st_txn_height(txn), time = args->time ? args->time : st_txn_time(txn);
    host_tx tx;
    host_tx_clear(&tx);
    call_result r;
    wvm_receipt *rc = NULL;
    st = call_exec(c, txn, args, args->height ? args->height : next, time, true, &tx, &r);
    if (!st && !(rc = calloc(1, sizeof *rc))) st = WVM_ERR_NOMEM;
    if (!st) {
        rc->height = args->height ? args->height : next;
        rc->kind = r.kind;
        rc->message = r.message ? r.message : strdup("");
        rc->result = r.result && r.kind == WVM_KIND_NONE ? r.result : strdup("null");
        if (rc->result != r.result) free(r.result);
        rc->fuel_used = r.fuel_used;
        r.message = r.result = NULL;
        for (uint32_t i = 0; !st && r.kind == WVM_KIND_NONE && i < tx.nevents; i++) {
            wvm_event e = { tx.events[i].contract, tx.events[i].name, tx.events[i].attrs,
                            rc->height, 0, i };
            st = chain_receipt_add_event(rc, &e);
        }
        rc->changes = changes_json(&tx);
        rc->logs = host_logs_json(&tx);
        if (!rc->message || !rc->result || !rc->changes || !rc->logs) st = WVM_ERR_NOMEM;
        if (!st) st = trace_take(&tx, rc);
        rc->folded = r.folded;
        r.folded = NULL;
    }
    call_done(c, &tx, &r);
    st_txn_abort(txn);
    if (st) {
        free(r.message);
        free(r.result);
        wvm_receipt_free(rc);
        return chain_fail(c, st, "wvm_query: %s", wvm_status_str(st));
    }
    *receipt = rc;
    return WVM_OK;
}

/* Deploy's Initialize (chain.h): runs "Initialize" of the new contract in
 * the deploy's transaction, as the deployer, with args->init_params. */
wvm_error_kind chain_deploy_initialize(wvm_block *b, st_txn *txn, const wvm_address *contract,
                                       const wvm_deploy_args *args, uint64_t *fuel_used,
                                       char *msg, size_t msg_cap) {
    wvm_call_args ca;
    memset(&ca, 0, sizeof ca);
    ca.contract = *contract;
    ca.function = "Initialize";
    ca.params = args->init_params;
    ca.sender = args->deployer;
    ca.fuel = args->fuel;
    host_tx tx;
    host_tx_clear(&tx);
    call_result r;
    wvm_status st = call_exec(b->chain, txn, &ca, b->height, b->time, false, &tx, &r);
    call_done(b->chain, &tx, &r);
    *fuel_used = st ? 0 : r.fuel_used;
    if (st) {
        snprintf(msg, msg_cap, "Initialize: %s", wvm_status_str(st));
        return WVM_KIND_RESOURCE_EXHAUSTED;
    }
    snprintf(msg, msg_cap, "%s", r.message ? r.message : "");
    free(r.message);
    free(r.result);
    return r.kind;
}
