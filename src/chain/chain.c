/*
 * chain.c -- the node API of include/wvm_chain.h minus deploy and calls:
 * opening a state directory with its engine, blocks, the transaction
 * plumbing (chain_tx_begin/end, receipts), native mint and transfer,
 * reads of the last committed state, hex forms and error-kind names.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "chain.h"

/* ------------------------------------------------------------------ */
/* Messages */

static void free_msg(void *p) { free(p); }

static void set_msg(wvm_chain *c, const char *m) {
    char *old = pthread_getspecific(c->msg_key);
    char *copy = strdup(m);
    /* Out of memory: keep the old message rather than none. */
    if (!copy) return;
    free(old);
    pthread_setspecific(c->msg_key, copy);
}

wvm_status chain_fail(wvm_chain *c, wvm_status st, const char *fmt, ...) {
    char buf[CHAIN_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    set_msg(c, buf);
    return st;
}

wvm_status block_fail(wvm_block *b, wvm_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->msg, sizeof b->msg, fmt, ap);
    va_end(ap);
    set_msg(b->chain, b->msg);
    return st;
}

const char *wvm_chain_errmsg(const wvm_chain *c) {
    if (!c) return "no chain";
    const char *m = pthread_getspecific(c->msg_key);
    return m ? m : "";
}

const char *wvm_block_errmsg(const wvm_block *b) { return b ? b->msg : "no block"; }

const char *wvm_error_kind_str(wvm_error_kind k) {
    switch (k) {
    case WVM_KIND_NONE: return "ok";
    case WVM_KIND_COMPILATION_FAILED: return "compilation_failed";
    case WVM_KIND_INSTANCE_CREATION_FAILED: return "instance_creation_failed";
    case WVM_KIND_FUNCTION_NOT_FOUND: return "function_not_found";
    case WVM_KIND_EXECUTION_FAILED: return "execution_failed";
    case WVM_KIND_INVALID_PARAMETERS: return "invalid_parameters";
    case WVM_KIND_RESOURCE_EXHAUSTED: return "resource_exhausted";
    case WVM_KIND_TIMEOUT: return "timeout";
    case WVM_KIND_CONTRACT_ERROR: return "contract_error";
    case WVM_KIND_PERMISSION_DENIED: return "permission_denied";
    case WVM_KIND_NOT_FOUND: return "not_found";
    case WVM_KIND_INVALID_ARGUMENT: return "invalid_argument";
    case WVM_KIND_STATE_ERROR: return "state_error";
    case WVM_KIND_INSUFFICIENT_FUNDS: return "insufficient_funds";
    case WVM_KIND_BALANCE_OVERFLOW: return "balance_overflow";
    case WVM_KIND_ALREADY_EXISTS: return "already_exists";
    }
    return "unknown";
}

wvm_error_kind chain_kind_of(wvm_status st) {
    switch (st) {
    case WVM_OK: return WVM_KIND_NONE;
    case WVM_ERR_PERMISSION: return WVM_KIND_PERMISSION_DENIED;
    case WVM_ERR_NOT_FOUND: return WVM_KIND_NOT_FOUND;
    case WVM_ERR_FUNDS: return WVM_KIND_INSUFFICIENT_FUNDS;
    case WVM_ERR_OVERFLOW: return WVM_KIND_BALANCE_OVERFLOW;
    case WVM_ERR_EXISTS: return WVM_KIND_ALREADY_EXISTS;
    case WVM_ERR_ARG: return WVM_KIND_INVALID_ARGUMENT;
    case WVM_ERR_NOMEM: return WVM_KIND_RESOURCE_EXHAUSTED;
    default: return WVM_KIND_STATE_ERROR;
    }
}

/* ------------------------------------------------------------------ */
/* Hex */

static void hex(const uint8_t *p, size_t n, char *out) {
    static const char d[] = "0123456789abcdef";
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = d[p[i] >> 4];
        out[3 + 2 * i] = d[p[i] & 15];
    }
    out[2 + 2 * n] = 0;
}

void wvm_address_hex(const wvm_address *a, char out[43]) { hex(a->b, 20, out); }
void wvm_hash_hex(const wvm_hash *h, char out[67]) { hex(h->b, 32, out); }

static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static wvm_status parse(const char *s, uint8_t *out, size_t n) {
    if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || strlen(s) != 2 + 2 * n)
        return WVM_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        int hi = digit(s[2 + 2 * i]), lo = digit(s[3 + 2 * i]);
        if (hi < 0 || lo < 0) return WVM_ERR_ARG;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return WVM_OK;
}

wvm_status wvm_address_parse(const char *s, wvm_address *out) { return parse(s, out->b, 20); }
wvm_status wvm_hash_parse(const char *s, wvm_hash *out) { return parse(s, out->b, 32); }

void wvm_default_object_id(const wvm_address *contract, wvm_object_id *out) {
    st_default_object_id(contract, out);
}

/* ------------------------------------------------------------------ */
/* Opening */

void wvm_chain_config_default(wvm_chain_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->dir = ".wvm";
    cfg->max_code_bytes = 1u << 20;
}

wvm_status wvm_chain_open(const wvm_chain_config *cfg, wvm_chain **out, char **errmsg) {
    wvm_chain_config def;
    if (!cfg) {
        wvm_chain_config_default(&def);
        cfg = &def;
    }
    *out = NULL;
    if (errmsg) *errmsg = NULL;
    /* aligned: its metrics' shards are on cache lines of their own */
    size_t size = (sizeof(wvm_chain) + 63) / 64 * 64;
    wvm_chain *c = aligned_alloc(64, size);
    if (!c) return WVM_ERR_NOMEM;
    memset(c, 0, size);
    if (pthread_key_create(&c->msg_key, free_msg)) {
        free(c);
        return WVM_ERR_NOMEM;
    }
    if (cfg->runtime) c->runtime = *cfg->runtime;
    else wvm_config_default(&c->runtime);
    c->max_code_bytes = cfg->max_code_bytes ? cfg->max_code_bytes : 1u << 20;
    wvm_status st = wvm_engine_new(&c->runtime, &c->engine);
    if (st) {
        if (errmsg) *errmsg = strdup("cannot make the engine: out of memory");
        wvm_chain_close(c);
        return st;
    }
    if ((st = chain_engine_new(c, cfg))) {
        if (errmsg) *errmsg = strdup("cannot make the module cache: out of memory");
        wvm_chain_close(c);
        return st;
    }
    st_options o = { .no_sync = cfg->no_sync, .map_size = cfg->map_size, .read_only = cfg->read_only };
    st = st_open(cfg->dir ? cfg->dir : ".wvm", &o, &c->env, errmsg);
    if (st) {
        wvm_chain_close(c);
        return st;
    }
    /* after the state directory, which it may be inside */
    if (cfg->translation_dir) {
        if (!(c->translation_dir = strdup(cfg->translation_dir))) {
            if (errmsg) *errmsg = strdup("out of memory");
            wvm_chain_close(c);
            return WVM_ERR_NOMEM;
        }
        struct stat sb;
        if (mkdir(c->translation_dir, 0755) && (errno != EEXIST || stat(c->translation_dir, &sb) ||
                                                !S_ISDIR(sb.st_mode))) {
            if (errmsg && asprintf(errmsg, "cannot use %s as the translation cache directory: %s",
                                   c->translation_dir, errno == EEXIST ? "not a directory" : strerror(errno)) < 0)
                *errmsg = NULL;
            wvm_chain_close(c);
            return WVM_ERR_STATE;
        }
    }
    *out = c;
    return WVM_OK;
}

void wvm_chain_close(wvm_chain *c) {
    if (!c) return;
    st_close(c->env);
    chain_engine_free(c);          /* before the engine its modules use */
    wvm_engine_free(c->engine);
    /* Only this thread's message can be reached; other threads' are
     * freed by the key's destructor when they exit. */
    free(pthread_getspecific(c->msg_key));
    pthread_key_delete(c->msg_key);
    free(c->translation_dir);
    free(c);
}

uint64_t wvm_chain_height(wvm_chain *c) { return st_last_height(c->env); }
void wvm_chain_root(wvm_chain *c, wvm_hash *root) { st_last_root(c->env, root); }

/* ------------------------------------------------------------------ */
/* Blocks */

wvm_status wvm_block_begin(wvm_chain *c, uint64_t height, uint64_t time, wvm_block **out) {
    *out = NULL;
    wvm_block *b = calloc(1, sizeof *b);
    if (!b) return chain_fail(c, WVM_ERR_NOMEM, "out of memory");
    b->chain = c;
    b->height = height;
    b->time = time;
    wvm_status st = st_block_begin(c->env, height, time, &b->txn);
    if (st) {
        free(b);
        if (st == WVM_ERR_ARG)
            return chain_fail(c, st, "block height %llu is not the next one (the last committed "
                              "block is %llu)", (unsigned long long)height,
                              (unsigned long long)st_last_height(c->env));
        return chain_fail(c, st, "cannot begin block %llu: %s", (unsigned long long)height,
                          wvm_status_str(st));
    }
    *out = b;
    return WVM_OK;
}

wvm_status wvm_block_commit(wvm_block *b, wvm_hash *root) {
    wvm_chain *c = b->chain;
    wvm_status st;
    if (b->failed) {
        st = chain_fail(c, WVM_ERR_STATE, "block %llu not committed: %s",
                        (unsigned long long)b->height, b->msg);
        wvm_block_abort(b);
        return st;
    }
    wvm_hash r;
    st_txn_root(b->txn, &r);
    st = st_txn_commit(b->txn);
    if (st) {
        chain_fail(c, st, "block %llu not committed: %s", (unsigned long long)b->height,
                   st_txn_errmsg(b->txn));
        wvm_block_abort(b);
        return st;
    }
    if (root) *root = r;
    free(b);
    return WVM_OK;
}

void wvm_block_abort(wvm_block *b) {
    if (!b) return;
    st_txn_abort(b->txn);
    free(b);
}

uint64_t wvm_block_height(const wvm_block *b) { return b->height; }
uint64_t wvm_block_time(const wvm_block *b) { return b->time; }
uint32_t wvm_block_tx_count(const wvm_block *b) { return st_txn_index(b->txn); }
void wvm_block_root(const wvm_block *b, wvm_hash *root) { st_txn_root(b->txn, root); }

/* ------------------------------------------------------------------ */
/* Transactions and receipts */

wvm_status chain_tx_begin(wvm_block *b, st_txn **tx) {
    *tx = NULL;
    if (b->failed) return block_fail(b, WVM_ERR_STATE, "the block failed earlier: %s", b->msg);
    wvm_status st = st_txn_begin(b->txn, tx);
    if (st) return block_fail(b, st, "cannot begin a transaction: %s", st_txn_errmsg(b->txn));
    return WVM_OK;
}

/* The receipt of a transaction that stored message, result and, when
 * it committed (kind none), events: what st_receipt_get would read back. */
static wvm_status receipt_kept(const wvm_block *b, uint32_t index, wvm_error_kind kind,
                               const char *message, const char *result, uint64_t fuel,
                               const wvm_event *events, uint32_t nevents, wvm_receipt **out) {
    wvm_receipt *r = calloc(1, sizeof *r);
    if (!r) return WVM_ERR_NOMEM;
    r->height = b->height;
    r->index = index;
    r->kind = kind;
    r->fuel_used = fuel;
    r->message = strdup(message);
    r->result = strdup(result);
    wvm_status st = r->message && r->result ? WVM_OK : WVM_ERR_NOMEM;
    for (uint32_t i = 0; !st && kind == WVM_KIND_NONE && i < nevents; i++) {
        wvm_event e = events[i];
        e.height = b->height;
        e.tx_index = index;
        e.index = i;
        st = chain_receipt_add_event(r, &e);
    }
    if (st) {
        wvm_receipt_free(r);
        return st;
    }
    *out = r;
    return WVM_OK;
}

/* chain_tx_end and chain_tx_end_kept (kept: events are the caller's).
 * Message and result are copied before tx ends (they may point into its
 * data): onto the stack when they fit, as a call's mostly do, sparing
 * two allocations per transaction. */
static wvm_status tx_end(wvm_block *b, st_txn *tx, wvm_error_kind kind, const char *message,
                         const char *result, uint64_t fuel, bool kept, const wvm_event *events,
                         uint32_t nevents, wvm_receipt **receipt) {
    if (receipt) *receipt = NULL;
    const char *m0 = message ? message : "", *r0 = result && kind == WVM_KIND_NONE ? result : "null";
    size_t ml = strlen(m0), rl = strlen(r0);
    char local[256], failed_msg[ST_ERRMSG_MAX];
    char *mem = ml + rl + 2 <= sizeof local ? local : malloc(ml + rl + 2);
    uint32_t index = st_txn_index(tx);
    if (!mem) {
        st_txn_abort(tx);
        b->failed = true;
        return block_fail(b, WVM_ERR_NOMEM, "out of memory storing a receipt");
    }
    char *msg = mem, *res = mem + ml + 1;
    memcpy(msg, m0, ml + 1);
    memcpy(res, r0, rl + 1);
    if (kind == WVM_KIND_NONE) {
        wvm_status st = st_txn_commit(tx);
        if (st) {
            snprintf(failed_msg, sizeof failed_msg, "%s", st_txn_errmsg(tx));
            msg = failed_msg;
            res = "null";
            kind = WVM_KIND_STATE_ERROR;
            st_txn_abort(tx);
        }
    } else {
        st_txn_abort(tx);
    }
    wvm_receipt r = { .height = b->height, .index = index, .kind = kind, .message = msg,
                      .result = res, .fuel_used = fuel };
    wvm_status st = st_receipt_put(b->txn, &r);
    if (st) {
        if (mem != local) free(mem);
        b->failed = true;
        return block_fail(b, st, "cannot store the receipt of transaction %u: %s", index,
                          st_txn_errmsg(b->txn));
    }
    if (receipt) {
        st = kept ? receipt_kept(b, index, kind, r.message, r.result, fuel, events, nevents, receipt)
                  : st_receipt_get(b->txn, b->height, index, receipt);
        if (st) {
            if (mem != local) free(mem);
            b->failed = true;
            return block_fail(b, st, "cannot read back the receipt of transaction %u: %s", index,
                              kept ? "out of memory" : st_txn_errmsg(b->txn));
        }
    }
    if (kind != WVM_KIND_NONE) block_fail(b, WVM_OK, "transaction %u failed: %s: %s", index,
                                          wvm_error_kind_str(kind), r.message);
    if (mem != local) free(mem);   /* r.message, used just above */
    return WVM_OK;
}

wvm_status chain_tx_end(wvm_block *b, st_txn *tx, wvm_error_kind kind, const char *message,
                        const char *result, uint64_t fuel, wvm_receipt **receipt) {
    return tx_end(b, tx, kind, message, result, fuel, false, NULL, 0, receipt);
}

wvm_status chain_tx_end_kept(wvm_block *b, st_txn *tx, wvm_error_kind kind, const char *message,
                             const char *result, uint64_t fuel, const wvm_event *events,
                             uint32_t nevents, wvm_receipt **receipt) {
    return tx_end(b, tx, kind, message, result, fuel, true, events, nevents, receipt);
}

void wvm_receipt_free(wvm_receipt *r) {
    if (!r) return;
    free(r->message);
    free(r->result);
    for (uint32_t i = 0; i < r->nevents; i++) free((char *)r->events[i].name);
    free(r->events);
    free(r->changes);
    free(r->logs);
    for (uint32_t i = 0; i < r->ntrace; i++) {
        free(r->trace[i].function);
        free(r->trace[i].target_function);
        free(r->trace[i].params);
    }
    free(r->trace);
    free(r->folded);
    free(r);
}

wvm_status chain_receipt_add_event(wvm_receipt *r, const wvm_event *e) {
    if (r->nevents == UINT32_MAX) return WVM_ERR_NOMEM;
    wvm_event *ne = realloc(r->events, (r->nevents + 1) * sizeof *ne);
    if (!ne) return WVM_ERR_NOMEM;
    r->events = ne;
    size_t nl = strlen(e->name), al = strlen(e->attributes);
    char *m = malloc(nl + al + 2);
    if (!m) return WVM_ERR_NOMEM;
    memcpy(m, e->name, nl + 1);
    memcpy(m + nl + 1, e->attributes, al + 1);
    ne[r->nevents] = *e;
    ne[r->nevents].name = m;
    ne[r->nevents].attributes = m + nl + 1;
    r->nevents++;
    return WVM_OK;
}

/* A native transaction: one store operation, its status the receipt's. */
static wvm_status native_tx(wvm_block *b, const wvm_address *from, const wvm_address *to,
                            uint64_t amount) {
    st_txn *tx;
    wvm_status st = chain_tx_begin(b, &tx);
    if (st) return st;
    wvm_status op = from ? st_transfer(tx, from, to, amount) : st_mint(tx, to, amount);
    wvm_error_kind kind = chain_kind_of(op);
    st = chain_tx_end(b, tx, kind, op ? st_txn_errmsg(tx) : "", "null", 0, NULL);
    if (st) return st;
    return op;
}

wvm_status wvm_mint(wvm_block *b, const wvm_address *to, uint64_t amount) {
    return native_tx(b, NULL, to, amount);
}

wvm_status wvm_transfer(wvm_block *b, const wvm_address *from, const wvm_address *to,
                        uint64_t amount) {
    return native_tx(b, from, to, amount);
}

/* ------------------------------------------------------------------ */
/* Reads */

static wvm_status read_begin(wvm_chain *c, st_txn **t) {
    wvm_status st = st_read_begin(c->env, t);
    if (st) return chain_fail(c, st, "cannot read the store: %s", wvm_status_str(st));
    return WVM_OK;
}

static wvm_status read_end(wvm_chain *c, st_txn *t, wvm_status st) {
    if (st) chain_fail(c, st, "%s", st_txn_errmsg(t));
    st_txn_abort(t);
    return st;
}

wvm_status wvm_chain_contract(wvm_chain *c, const wvm_address *addr, wvm_contract_info *info,
                              char **metadata_json) {
    if (metadata_json) *metadata_json = NULL;
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    const char *m;
    size_t n;
    st = st_contract_get(t, addr, info, &m, &n);
    if (!st && metadata_json) {
        char *copy = malloc(n + 1);
        if (!copy) {
            st_txn_abort(t);
            return chain_fail(c, WVM_ERR_NOMEM, "out of memory");
        }
        memcpy(copy, m, n);
        copy[n] = 0;
        *metadata_json = copy;
    }
    return read_end(c, t, st);
}

wvm_status wvm_chain_balance(wvm_chain *c, const wvm_address *addr, uint64_t *out) {
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    *out = st_balance(t, addr);
    return read_end(c, t, WVM_OK);
}

wvm_status wvm_chain_object(wvm_chain *c, const wvm_object_id *id, wvm_object_info *info) {
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_object_get(t, id, info));
}

wvm_status wvm_chain_receipt(wvm_chain *c, uint64_t height, uint32_t index, wvm_receipt **out) {
    *out = NULL;
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_receipt_get(t, height, index, out));
}

wvm_status wvm_chain_contracts(wvm_chain *c, const wvm_address *after, uint32_t limit,
                               wvm_address *out, uint32_t *n) {
    *n = 0;
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_contract_list(t, after, limit, out, n));
}

wvm_status wvm_chain_events(wvm_chain *c, uint64_t from, uint64_t to, const wvm_address *contract,
                            bool (*fn)(void *user, const wvm_event *e), void *user) {
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_event_list(t, from, to, contract, fn, user));
}

wvm_status wvm_chain_field(wvm_chain *c, const wvm_object_id *id, const char *name,
                           uint8_t **value, size_t *value_len) {
    *value = NULL;
    *value_len = 0;
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    const uint8_t *v;
    size_t n;
    st = st_field_get(t, id, name, strlen(name), &v, &n);
    if (!st) {
        uint8_t *copy = malloc(n ? n : 1);
        if (!copy) {
            st_txn_abort(t);
            return chain_fail(c, WVM_ERR_NOMEM, "out of memory");
        }
        memcpy(copy, v, n);
        *value = copy;
        *value_len = n;
    }
    return read_end(c, t, st);
}

wvm_status wvm_chain_fields(wvm_chain *c, const wvm_object_id *id,
                            bool (*fn)(void *user, const char *name, size_t len), void *user) {
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_field_list(t, id, NULL, 0, UINT32_MAX, fn, user));
}

wvm_status wvm_chain_verify_root(wvm_chain *c, wvm_hash *root) {
    st_txn *t;
    wvm_status st = read_begin(c, &t);
    if (st) return st;
    return read_end(c, t, st_root_recompute(t, root));
}
