/*
 * keys.c -- every key of the store is built here: a prefix byte, then
 * fixed-width fields with numbers big-endian, so that LMDB's byte order
 * is the order readers want (blocks and events by height, then
 * transaction, then index; fields by name).  docs/state.md has the table.
 */
#include <string.h>
#include "internal.h"

void keys_put_u64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

void keys_put_u32(uint8_t *p, uint32_t v) {
    for (int i = 3; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

uint64_t keys_get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

uint32_t keys_get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | p[i];
    return v;
}

static void start(st_key *k, uint8_t prefix) {
    k->b[0] = prefix;
    k->len = 1;
}

static void add(st_key *k, const void *p, size_t n) {
    memcpy(k->b + k->len, p, n);
    k->len += n;
}

static void add_u64(st_key *k, uint64_t v) {
    keys_put_u64(k->b + k->len, v);
    k->len += 8;
}

static void add_u32(st_key *k, uint32_t v) {
    keys_put_u32(k->b + k->len, v);
    k->len += 4;
}

void keys_meta(st_key *k, const char *name) {
    start(k, KEY_META);
    add(k, name, strlen(name));
}

void keys_code(st_key *k, const wvm_hash *h) {
    start(k, KEY_CODE);
    add(k, h->b, 32);
}

void keys_contract(st_key *k, const wvm_address *a) {
    start(k, KEY_CONTRACT);
    add(k, a->b, 20);
}

void keys_object(st_key *k, const wvm_object_id *id) {
    start(k, KEY_OBJECT);
    add(k, id->b, 32);
}

void keys_field(st_key *k, const wvm_object_id *id, const char *name, size_t name_len) {
    start(k, KEY_FIELD);
    add(k, id->b, 32);
    add(k, name, name_len);
}

void keys_balance(st_key *k, const wvm_address *a) {
    start(k, KEY_BALANCE);
    add(k, a->b, 20);
}

void keys_event(st_key *k, uint64_t height, uint32_t tx, uint32_t index) {
    start(k, KEY_EVENT);
    add_u64(k, height);
    add_u32(k, tx);
    add_u32(k, index);
}

void keys_event_by_contract(st_key *k, const wvm_address *a, uint64_t height, uint32_t tx,
                            uint32_t index) {
    start(k, KEY_EVENT_BY_CONTRACT);
    add(k, a->b, 20);
    add_u64(k, height);
    add_u32(k, tx);
    add_u32(k, index);
}

void keys_receipt(st_key *k, uint64_t height, uint32_t tx) {
    start(k, KEY_RECEIPT);
    add_u64(k, height);
    add_u32(k, tx);
}

void keys_block(st_key *k, uint64_t height) {
    start(k, KEY_BLOCK);
    add_u64(k, height);
}

/* The state the root covers: code, contracts (with their metadata),
 * objects, fields, balances.  History (events, receipts, blocks) and the
 * store's own bookkeeping are not state: the root of a block must not
 * depend on how the state was reached. */
bool keys_is_state(const uint8_t *key, size_t len) {
    if (len == 0) return false;
    switch (key[0]) {
    case KEY_CODE: case KEY_CONTRACT: case KEY_OBJECT: case KEY_FIELD: case KEY_BALANCE:
        return true;
    default:
        return false;
    }
}

/* A multiply-xorshift hash taking 16 bytes a step in two independent
 * lanes (keys are 21 to 289 bytes; a byte at a time showed in profiles,
 * and so did one lane's chain of dependent multiplies).  Keys come from
 * contracts, but colliding ones gain an attacker nothing beyond a slower
 * lookup in their own block.  For the tables of dirty.c and rcache.c;
 * nothing stored depends on it. */
uint64_t keys_hash(const uint8_t *k, size_t n) {
    uint64_t h1 = 0x9e3779b97f4a7c15ull ^ n, h2 = 0x2545f4914f6cdd1dull;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t w1, w2;
        memcpy(&w1, k + i, 8);
        memcpy(&w2, k + i + 8, 8);
        h1 = (h1 ^ w1) * 0xff51afd7ed558ccdull;
        h2 = (h2 ^ w2) * 0xc4ceb9fe1a85ec53ull;
        h1 ^= h1 >> 32;
        h2 ^= h2 >> 29;
    }
    if (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h2 = (h2 ^ w) * 0xff51afd7ed558ccdull;
        i += 8;
    }
    uint64_t w = 0;
    for (unsigned s = 0; i < n; i++, s += 8) w |= (uint64_t)k[i] << s;
    h1 = (h1 ^ w ^ (h2 >> 31) ^ (h2 << 17)) * 0xc4ceb9fe1a85ec53ull;
    return h1 ^ h1 >> 29;
}
