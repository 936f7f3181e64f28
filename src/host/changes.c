/*
 * changes.c -- the state changes a call makes, as a JSON array, for
 * queries (a dry run reports what it would change; wvm_query).  Recorded
 * after each write succeeded, only when tx->record_changes; a failed
 * frame's changes are dropped with it (host_frame_pop), as its writes are.
 */
#include <inttypes.h>
#include <stdarg.h>
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

static void put(host_tx *tx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(host_tx *tx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(tx, (size_t)n + 1)) {
        tx->changes_nomem = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(tx->changes + tx->changes_len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tx->changes_len += (size_t)n;
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
    put(tx, "%s{\"op\":\"%s\"", tx->changes_len ? "," : "", op);
    if (id) {
        char h[67];
        wvm_hash_hex((const wvm_hash *)id, h);
        put(tx, ",\"object\":\"%s\"", h);
    }
}

void changes_field_set(host_tx *tx, const wvm_object_id *id, const char *name, size_t nlen,
                       const uint8_t *val, size_t vlen) {
    if (!tx->record_changes) return;
    begin(tx, "field_set", id);
    put(tx, ",\"name\":");
    put_str(tx, name, nlen);
    put(tx, ",\"value_len\":%zu", vlen);
    if (vlen <= CHANGES_MAX_SHOWN) {
        put(tx, ",\"value_hex\":\"");
        for (size_t i = 0; i < vlen; i++) put(tx, "%02x", val[i]);
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
    if (owner) {
        char a[43];
        wvm_address_hex(owner, a);
        put(tx, ",\"owner\":\"%s\"", a);
    }
    put(tx, "}");
}

void changes_transfer(host_tx *tx, const wvm_address *from, const wvm_address *to, uint64_t amount) {
    if (!tx->record_changes) return;
    char f[43], t[43];
    wvm_address_hex(from, f);
    wvm_address_hex(to, t);
    begin(tx, "transfer", NULL);
    put(tx, ",\"from\":\"%s\",\"to\":\"%s\",\"amount\":%" PRIu64 "}", f, t, amount);
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
