/*
 * code.c -- contract code (stored once per code hash) and contract
 * records: a fixed binary header (wvm_contract_info) followed by the
 * metadata JSON, under the contract's address.  docs/state.md calls this
 * entry `contract:<addr>:metadata`.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define INFO_LEN (32 + 4 + 4 + 20 + 8 + 8)

wvm_status st_code_put(st_txn *t, const wvm_hash *code_hash, const uint8_t *wasm, size_t len) {
    wvm_status st = st_writable(t);
    if (st) return st;
    st_key k;
    keys_code(&k, code_hash);
    const uint8_t *v;
    size_t n;
    st = st_get(t, &k, &v, &n);
    if (st == WVM_OK) return WVM_OK;   /* the same hash: the same code, kept once */
    if (st != WVM_ERR_NOT_FOUND) return st;
    return st_put(t, &k, wasm, len);
}

wvm_status st_code_get(st_txn *t, const wvm_hash *code_hash, const uint8_t **wasm, size_t *len) {
    st_key k;
    keys_code(&k, code_hash);
    wvm_status st = st_get(t, &k, wasm, len);
    if (st == WVM_ERR_NOT_FOUND) return st_fail(t, st, "no code with that hash");
    return st;
}

wvm_status st_contract_put(st_txn *t, const wvm_address *addr, const wvm_contract_info *info,
                           const char *metadata_json, size_t metadata_len) {
    wvm_status st = st_writable(t);
    if (st) return st;
    if (metadata_len > ST_MAX_METADATA)
        return st_fail(t, WVM_ERR_ARG, "contract metadata of %zu bytes is over the limit (%u)",
                       metadata_len, ST_MAX_METADATA);
    st_key k;
    keys_contract(&k, addr);
    if ((st = st_absent(t, &k)) == WVM_ERR_EXISTS) {
        char a[43];
        wvm_address_hex(addr, a);
        return st_fail(t, st, "a contract already exists at %s", a);
    }
    if (st) return st;
    uint8_t rec[INFO_LEN], *p = rec;
    memcpy(p, info->code_hash.b, 32), p += 32;
    keys_put_u32(p, info->code_size), p += 4;
    keys_put_u32(p, info->abi_version), p += 4;
    memcpy(p, info->deployer.b, 20), p += 20;
    keys_put_u64(p, info->height), p += 8;
    keys_put_u64(p, info->time);
    return st_put2(t, &k, rec, INFO_LEN, metadata_json, metadata_len);
}

wvm_status st_contract_get(st_txn *t, const wvm_address *addr, wvm_contract_info *info,
                           const char **metadata_json, size_t *metadata_len) {
    st_key k;
    keys_contract(&k, addr);
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    char a[43];
    if (st == WVM_ERR_NOT_FOUND) {
        wvm_address_hex(addr, a);
        return st_fail(t, st, "no contract at %s", a);
    }
    if (st) return st;
    if (n < INFO_LEN) {
        wvm_address_hex(addr, a);
        return st_fail(t, WVM_ERR_STATE, "damaged contract record at %s", a);
    }
    if (info) {
        memcpy(info->code_hash.b, v, 32);
        info->code_size = keys_get_u32(v + 32);
        info->abi_version = keys_get_u32(v + 36);
        memcpy(info->deployer.b, v + 40, 20);
        info->height = keys_get_u64(v + 60);
        info->time = keys_get_u64(v + 68);
    }
    if (metadata_json) *metadata_json = (const char *)v + INFO_LEN;
    if (metadata_len) *metadata_len = n - INFO_LEN;
    return WVM_OK;
}

wvm_status st_contract_list(st_txn *t, const wvm_address *after, uint32_t limit,
                            wvm_address *out, uint32_t *n) {
    *n = 0;
    st_key start;
    wvm_address zero;
    memset(&zero, 0, sizeof zero);
    keys_contract(&start, after ? after : &zero);
    st_cursor c;
    wvm_status st = cursor_open(t, &c, "listing contracts");
    if (st) return st;
    st_kv e;
    for (st = cursor_seek(&c, start.b, start.len, &e); !st && *n < limit; st = cursor_next(&c, &e)) {
        if (e.klen != 21 || e.key[0] != KEY_CONTRACT) break;
        if (after && !memcmp(e.key + 1, after->b, 20)) continue;
        memcpy(out[(*n)++].b, e.key + 1, 20);
    }
    cursor_close(&c);
    return st == WVM_ERR_NOT_FOUND ? WVM_OK : st;
}
