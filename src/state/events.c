/*
 * events.c -- events and receipts (history, not state: outside the root).
 *
 * Event   0x40 height tx index -> contract[20] name_len u16 BE name attrs
 *         0x41 contract height tx index -> empty (the by-contract index)
 * Receipt 0x50 height tx -> kind u32, fuel u64, message_len u32, message,
 *         result_len u32, result; its events are the transaction's events
 *         above, read back by (height, tx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

wvm_status st_event_put(st_txn *t, const wvm_address *contract, const char *name,
                        const char *attrs_json, size_t attrs_len) {
    wvm_status st = st_writable(t);
    if (st) return st;
    if (t->kind != ST_TX && t->kind != ST_NESTED && t->kind != ST_QUERY)
        return st_fail(t, WVM_ERR_ARG, "events belong to a transaction, not to the block");
    size_t nlen = strlen(name);
    if (nlen == 0 || nlen > ST_MAX_NAME)
        return st_fail(t, WVM_ERR_ARG, "event name of %zu bytes (1 to %d allowed)", nlen, ST_MAX_NAME);
    if (attrs_len > ST_MAX_EVENT_ATTRS)
        return st_fail(t, WVM_ERR_ARG, "event attributes of %zu bytes are over the limit (%d)",
                       attrs_len, ST_MAX_EVENT_ATTRS);
    uint8_t head[22 + ST_MAX_NAME];
    memcpy(head, contract->b, 20);
    head[20] = (uint8_t)(nlen >> 8);
    head[21] = (uint8_t)nlen;
    memcpy(head + 22, name, nlen);
    st_key k;
    keys_event(&k, t->height, t->tx_index, t->next_event);
    if ((st = st_put2(t, &k, head, 22 + nlen, attrs_json, attrs_len))) return st;
    keys_event_by_contract(&k, contract, t->height, t->tx_index, t->next_event);
    if ((st = st_put(t, &k, "", 0))) return st;
    t->next_event++;
    return WVM_OK;
}

/* Decodes an event value into e, its strings copied into one malloc'd
 * block (*mem) the caller frees. */
static wvm_status decode_event(st_txn *t, const uint8_t *key, const uint8_t *v, size_t n,
                               wvm_event *e, char **mem) {
    if (n < 22 || 22 + (size_t)(v[20] << 8 | v[21]) > n)
        return st_fail(t, WVM_ERR_STATE, "damaged event record");
    size_t nlen = (size_t)(v[20] << 8 | v[21]), alen = n - 22 - nlen;
    char *m = malloc(nlen + alen + 2);
    if (!m) return st_fail(t, WVM_ERR_NOMEM, "out of memory");
    memcpy(m, v + 22, nlen);
    m[nlen] = 0;
    memcpy(m + nlen + 1, v + 22 + nlen, alen);
    m[nlen + 1 + alen] = 0;
    memcpy(e->contract.b, v, 20);
    e->name = m;
    e->attributes = m + nlen + 1;
    e->height = keys_get_u64(key + 1);
    e->tx_index = keys_get_u32(key + 9);
    e->index = keys_get_u32(key + 13);
    *mem = m;
    return WVM_OK;
}

wvm_status st_event_list(st_txn *t, uint64_t from, uint64_t to, const wvm_address *contract,
                         bool (*fn)(void *user, const wvm_event *e), void *user) {
    st_key start;
    if (contract) keys_event_by_contract(&start, contract, from, 0, 0);
    else keys_event(&start, from, 0, 0);
    size_t plen = contract ? 21 : 1;   /* what every key of the walk starts with */
    st_cursor c;
    wvm_status st = cursor_open(t, &c, "listing events");
    if (st) return st;
    st_kv kv;
    for (st = cursor_seek(&c, start.b, start.len, &kv); !st; st = cursor_next(&c, &kv)) {
        const uint8_t *kb = kv.key;
        if (kv.klen != plen + 16 || memcmp(kb, start.b, plen)) break;
        uint64_t h = keys_get_u64(kb + plen);
        if (h > to) break;
        st_key ek;
        keys_event(&ek, h, keys_get_u32(kb + plen + 8), keys_get_u32(kb + plen + 12));
        const uint8_t *ev;
        size_t en;
        if (contract) {
            if ((st = st_get(t, &ek, &ev, &en))) {
                if (st == WVM_ERR_NOT_FOUND) st = st_fail(t, WVM_ERR_STATE, "damaged event index");
                break;
            }
        } else {
            ev = kv.val;
            en = kv.vlen;
        }
        wvm_event e;
        char *mem;
        if ((st = decode_event(t, ek.b, ev, en, &e, &mem))) break;
        bool go = fn(user, &e);
        free(mem);
        if (!go) break;
    }
    cursor_close(&c);
    return st == WVM_ERR_NOT_FOUND ? WVM_OK : st;
}

wvm_status st_receipt_put(st_txn *block, const wvm_receipt *r) {
    if (block->kind != ST_BLOCK) return st_fail(block, WVM_ERR_ARG, "receipts are written on the block");
    const char *msg = r->message ? r->message : "", *res = r->result ? r->result : "null";
    size_t ml = strlen(msg), rl = strlen(res);
    if (ml > UINT32_MAX || rl > UINT32_MAX) return st_fail(block, WVM_ERR_ARG, "receipt too large");
    uint8_t head[16], mid[4];
    keys_put_u32(head, (uint32_t)r->kind);
    keys_put_u64(head + 4, r->fuel_used);
    keys_put_u32(head + 12, (uint32_t)ml);
    keys_put_u32(mid, (uint32_t)rl);
    /* Assembled in one buffer (st_put2 takes two parts): on the stack
     * when it fits, as a call's receipt mostly does. */
    size_t n = 16 + ml + 4 + rl;
    uint8_t local[512], *buf = n <= sizeof local ? local : malloc(n);
    if (!buf) return st_fail(block, WVM_ERR_NOMEM, "out of memory");
    memcpy(buf, head, 16);
    memcpy(buf + 16, msg, ml);
    memcpy(buf + 16 + ml, mid, 4);
    memcpy(buf + 20 + ml, res, rl);
    st_key k;
    keys_receipt(&k, r->height, r->index);
    wvm_status st = st_put(block, &k, buf, n);
    if (buf != local) free(buf);
    return st;
}

static char *dup_n(const uint8_t *p, size_t n) {
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = 0;
    }
    return s;
}

/* Appends the events of transaction (height, tx) to r, in order.  Each
 * event's name and attributes share one malloc'd block starting at name
 * (decode_event), which wvm_receipt_free frees. */
static wvm_status collect(st_txn *t, wvm_receipt *r, uint64_t height, uint32_t tx) {
    st_key start;
    keys_event(&start, height, tx, 0);
    st_cursor c;
    wvm_status st = cursor_open(t, &c, "reading events");
    if (st) return st;
    st_kv kv;
    uint32_t cap = 0;
    for (st = cursor_seek(&c, start.b, start.len, &kv); !st; st = cursor_next(&c, &kv)) {
        if (kv.klen != start.len || memcmp(kv.key, start.b, 13)) break;
        if (r->nevents == cap) {
            if (cap > UINT32_MAX / 2) {
                st = st_fail(t, WVM_ERR_STATE, "too many events");
                break;
            }
            cap = cap ? cap * 2 : 4;
            wvm_event *ne = realloc(r->events, cap * sizeof *ne);
            if (!ne) {
                st = st_fail(t, WVM_ERR_NOMEM, "out of memory");
                break;
            }
            r->events = ne;
        }
        char *mem;
        if ((st = decode_event(t, kv.key, kv.val, kv.vlen, &r->events[r->nevents], &mem)))
            break;
        r->nevents++;
    }
    cursor_close(&c);
    return st == WVM_ERR_NOT_FOUND ? WVM_OK : st;
}

wvm_status st_receipt_get(st_txn *t, uint64_t height, uint32_t index, wvm_receipt **out) {
    *out = NULL;
    st_key k;
    keys_receipt(&k, height, index);
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    if (st == WVM_ERR_NOT_FOUND)
        return st_fail(t, st, "no receipt for transaction %u of block %llu", index,
                       (unsigned long long)height);
    if (st) return st;
    if (n < 20) return st_fail(t, WVM_ERR_STATE, "damaged receipt");
    uint32_t ml = keys_get_u32(v + 12);
    if ((uint64_t)20 + ml > n) return st_fail(t, WVM_ERR_STATE, "damaged receipt");
    uint32_t rl = keys_get_u32(v + 16 + ml);
    if ((uint64_t)20 + ml + rl != n) return st_fail(t, WVM_ERR_STATE, "damaged receipt");
    wvm_receipt *r = calloc(1, sizeof *r);
    if (!r) return st_fail(t, WVM_ERR_NOMEM, "out of memory");
    r->height = height;
    r->index = index;
    r->kind = (wvm_error_kind)keys_get_u32(v);
    r->fuel_used = keys_get_u64(v + 4);
    r->message = dup_n(v + 16, ml);
    r->result = dup_n(v + 20 + ml, rl);
    if (!r->message || !r->result) {
        wvm_receipt_free(r);
        return st_fail(t, WVM_ERR_NOMEM, "out of memory");
    }
    if ((st = collect(t, r, height, index))) {
        wvm_receipt_free(r);
        return st;
    }
    *out = r;
    return WVM_OK;
}
