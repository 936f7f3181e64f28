/*
 * changes.c -- the state changes a call makes, as a JSON array, for
 * queries (a dry run reports what it would change; wvm_query).  Recorded
 * after each write succeeded, only when tx->record_changes; a failed
 * frame's changes are dropped with it (host_frame_pop), as its writes are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

/* Values up to this size are shown in hex; longer ones by length only. */
#define CHANGES_MAX_SHOWN 256

static bool grow(host_tx *tx, size_t more) {
    if (tx->changes_len + more + 2 <= tx->changes_cap) return true;
    size_t cap = tx->changes_cap ? tx->changes_cap : 1024;
    while (cap < tx->changes_len + more + 2) cap *= 2;
    char *p = realloc(tx->changes, cap);
    if (!p) return false;
    tx->changes = p;
    tx->changes_cap = cap;
    return true;
}

/* The pieces are copied, not formatted: printf's machinery was about a
 * third of a writing query's CPU time (a value's hex took a vsnprintf
 * per byte). */
static void put_mem(host_tx *tx, const char *p, size_t n) {
    if (!grow(tx, n)) {
        tx->changes_nomem = true;
        return;
    }
    memcpy(tx->changes + tx->changes_len, p, n);
    tx->changes_len += n;
}

static void put(host_tx *tx, const char *s) { put_mem(tx, s, strlen(s)); }

static void put_u64(host_tx *tx, uint64_t v) {
    char b[20];
    size_t i = sizeof b;
    do b[--i] = (char)('0' + v % 10);
    while (v /= 10);
    put_mem(tx, b + i, sizeof b - i);
}

static void put_hex(host_tx *tx, const uint8_t *v, size_t n) {
    static const char digit[] = "0123456789abcdef";
    if (!grow(tx, 2 * n)) {
        tx->changes_nomem = true;
        return;
    }
    char *p = tx->changes + tx->changes_len;
    for (size_t i = 0; i < n; i++) {
        *p++ = digit[v[i] >> 4];
        *p++ = digit[v[i] & 15];
    }
    tx->changes_len += 2 * n;
}

static void put_str(host_tx *tx, const char *s, size_t n) {
    if (!grow(tx, 6 * n + 2)) {
        tx->changes_nomem = true;
        return;
    }
    char *p = tx->changes + tx->changes_len;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') *p++ = '\\', *p++ = (char)c;
        else if (c < 0x20 || c >= 0x7f) p += sprintf(p, "\\u%04x", c);   /* bytes, not UTF-8 */
        else *p++ = (char)c;
    }
    *p++ = '"';
    tx->changes_len = (size_t)(p - tx->changes);
}

static void begin(host_tx *tx, const char *op, const wvm_object_id *id) {
    put(tx, tx->changes_len ? ",{\"op\":\"" : "{\"op\":\"");
    put(tx, op);
    put(tx, "\"");
    if (id) {
        put(tx, ",\"object\":\"0x");
        put_hex(tx, id->b, sizeof id->b);
        put(tx, "\"");
    }
}

static void put_address(host_tx *tx, const char *key, const wvm_address *a) {
    put(tx, key);
    put(tx, "\"0x");
    put_hex(tx, a->b, sizeof a->b);
    put(tx, "\"");
}

void changes_field_set(host_tx *tx, const wvm_object_id *id, const char *name, size_t nlen,
                       const uint8_t *val, size_t vlen) {
    if (!tx->record_changes) return;
    begin(tx, "field_set", id);
    put(tx, ",\"name\":");
    put_str(tx, name, nlen);
    put(tx, ",\"value_len\":");
    put_u64(tx, vlen);
    if (vlen <= CHANGES_MAX_SHOWN) {
        put(tx, ",\"value_hex\":\"");
        put_hex(tx, val, vlen);
        put(tx, "\"");
    }
    put(tx, "}");
}

void changes_field_delete(host_tx *tx, const wvm_object_id *id, const char *name, size_t nlen) {
    if (!tx->record_changes) return;
    begin(tx, "field_delete", id);
    put(tx, ",\"name\":");
    put_str(tx, name, nlen);
    put(tx, "}");
}

void changes_object(host_tx *tx, const char *op, const wvm_object_id *id, const wvm_address *owner) {
    if (!tx->record_changes) return;
    begin(tx, op, id);
    if (owner) put_address(tx, ",\"owner\":", owner);
    put(tx, "}");
}

void changes_transfer(host_tx *tx, const wvm_address *from, const wvm_address *to, uint64_t amount) {
    if (!tx->record_changes) return;
    begin(tx, "transfer", NULL);
    put_address(tx, ",\"from\":", from);
    put_address(tx, ",\"to\":", to);
    put(tx, ",\"amount\":");
    put_u64(tx, amount);
    put(tx, "}");
}

char *changes_json(const host_tx *tx) {
    if (tx->changes_nomem) return NULL;
    char *s = malloc(tx->changes_len + 3);
    if (!s) return NULL;
    s[0] = '[';
    if (tx->changes_len) memcpy(s + 1, tx->changes, tx->changes_len);
    s[tx->changes_len + 1] = ']';
    s[tx->changes_len + 2] = 0;
    return s;
}
