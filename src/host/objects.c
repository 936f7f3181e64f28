/*
 * objects.c -- objects and their fields: create, field get / set /
 * delete / list, owner get / set, delete, exists; and the direct imports
 * object_get_field / object_set_field (the hot path, no argument buffer).
 *
 * Reads cost storage_read, writes storage_write, plus host_byte per byte
 * of value stored or read.  The write rule is the store's (st_field_set
 * and friends, with actor = the executing contract and sender = the
 * transaction's sender); a refusal traps with kind permission_denied.
 */
#include <stdlib.h>
#include <string.h>
#include "host.h"

static wvm_status oom(host_args *a) {
    return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "%s: host out of memory", a->fn);
}

/* The store failing under a call_host_set function. */
static wvm_status store_fail(host_args *a, wvm_status st) {
    return host_state_fail(a->caller, a->tx, a->fn, st, st_txn_errmsg(host_top(a->tx)->txn));
}

/* Every call_host_set function here starts the same: its fuel charge
 * (storage_read or storage_write), then the object id; field_args adds
 * the field name. */
static wvm_status object_args(host_args *a, uint64_t cost, wvm_object_id *id) {
    wvm_status st = host_charge(a->caller, cost, 0);
    return st ? st : args_object(a, "id", id);
}

static wvm_status field_args(host_args *a, uint64_t cost, wvm_object_id *id, const char **name,
                             uint32_t *nlen) {
    wvm_status st = object_args(a, cost, id);
    return st ? st : args_field_name(a, "name", name, nlen);
}

#define READ_COST(a) (wvm_caller_costs((a)->caller)->storage_read)
#define WRITE_COST(a) (wvm_caller_costs((a)->caller)->storage_write)

/* The status of a store write, as the contract sees it: NOT_FOUND a
 * value, PERMISSION a permission_denied trap, anything else the store
 * failing. */
static wvm_status write_status(wvm_caller *c, host_tx *tx, const char *fn, wvm_status st,
                               const wvm_object_id *id, int32_t *ret) {
    host_frame *f = host_top(tx);
    if (st == WVM_OK) return host_ret(tx, 0, ret);
    if (st == WVM_ERR_NOT_FOUND) return host_ret(tx, WVM_ABI_NOT_FOUND, ret);
    if (st == WVM_ERR_PERMISSION) {
        char idh[67], owner[43] = "?", self[43], sender[43];
        wvm_object_info info;
        if (st_object_get(f->txn, id, &info) == WVM_OK) wvm_address_hex(&info.owner, owner);
        wvm_hash_hex((const wvm_hash *)id, idh);
        wvm_address_hex(&f->contract, self);
        wvm_address_hex(&tx->origin, sender);
        return host_fail(c, tx, WVM_KIND_PERMISSION_DENIED,
                         "%s: object %s is owned by %s; neither the executing contract %s nor the "
                         "transaction's sender %s may change it", fn, idh, owner, self, sender);
    }
    return host_state_fail(c, tx, fn, st, st_txn_errmsg(f->txn));
}

static wvm_status value_limit(wvm_caller *c, host_tx *tx, const char *fn, uint32_t len) {
    return HOST_CHECK_LEN(c, tx, fn, "value", false, len, WVM_MAX_FIELD_VALUE);
}

wvm_status objects_create(host_args *a, int32_t *ret) {
    wvm_status st = host_charge(a->caller, wvm_caller_costs(a->caller)->storage_write, 0);
    if (st) return st;
    wvm_address owner;
    if ((st = args_address(a, "owner", &owner)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    static const wvm_address zero;
    if (memcmp(&owner, &zero, sizeof zero) == 0) owner = f->contract;
    wvm_object_id id;
    st_object_next_id(f->txn, &id);
    if ((st = st_object_create(f->txn, &id, &owner, &f->contract)))
        return store_fail(a, st);
    changes_object(a->tx, "object_create", &id, &owner);
    if (host_buf_set(f, id.b, WVM_OBJECT_ID_LEN)) return oom(a);
    *ret = WVM_OBJECT_ID_LEN;
    return WVM_OK;
}

wvm_status objects_field_get(host_args *a, int32_t *ret) {
    wvm_object_id id;
    const char *name;
    uint32_t nlen;
    wvm_status st;
    if ((st = field_args(a, READ_COST(a), &id, &name, &nlen)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    const uint8_t *v;
    size_t vlen;
    st = st_field_lookup(f->txn, &id, name, nlen, &v, &vlen);
    if (st == WVM_ERR_NOT_FOUND) return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    if (st) return store_fail(a, st);
    if ((st = host_charge(a->caller, 0, vlen))) return st;
    if (host_buf_set(f, v, (uint32_t)vlen)) return oom(a);
    *ret = (int32_t)vlen;
    return WVM_OK;
}

wvm_status objects_field_set(host_args *a, int32_t *ret) {
    wvm_object_id id;
    const char *name;
    const uint8_t *val;
    uint32_t nlen, vlen;
    wvm_status st;
    if ((st = field_args(a, WRITE_COST(a), &id, &name, &nlen)) ||
        (st = args_bytes(a, "value", &val, &vlen)) || (st = args_end(a)))
        return st;
    if ((st = value_limit(a->caller, a->tx, "call_host_set(field_set)", vlen))) return st;
    if ((st = host_charge(a->caller, 0, vlen))) return st;
    host_frame *f = host_top(a->tx);
    st = st_field_set(f->txn, &id, &f->contract, &a->tx->origin, name, nlen, val, vlen);
    if (!st) changes_field_set(a->tx, &id, name, nlen, val, vlen);
    return write_status(a->caller, a->tx, "call_host_set(field_set)", st, &id, ret);
}

wvm_status objects_field_delete(host_args *a, int32_t *ret) {
    wvm_object_id id;
    const char *name;
    uint32_t nlen;
    wvm_status st;
    if ((st = field_args(a, WRITE_COST(a), &id, &name, &nlen)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    st = st_field_delete(f->txn, &id, &f->contract, &a->tx->origin, name, nlen);
    if (!st) changes_field_delete(a->tx, &id, name, nlen);
    return write_status(a->caller, a->tx, "call_host_set(field_delete)", st, &id, ret);
}

typedef struct list_acc {
    uint8_t *buf;
    uint32_t len, cap;
    bool nomem;
} list_acc;

static bool list_one(void *user, const char *name, size_t len) {
    list_acc *l = user;
    uint32_t need = l->len + 4 + (uint32_t)len;
    if (need > l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 1024;
        while (cap < need) cap *= 2;
        uint8_t *p = realloc(l->buf, cap);
        if (!p) {
            l->nomem = true;
            return false;
        }
        l->buf = p;
        l->cap = cap;
    }
    uint8_t *p = l->buf + l->len;
    p[0] = (uint8_t)len, p[1] = (uint8_t)(len >> 8), p[2] = (uint8_t)(len >> 16), p[3] = 0;
    memcpy(p + 4, name, len);
    l->len = need;
    return true;
}

wvm_status objects_field_list(host_args *a, int32_t *ret) {
    wvm_object_id id;
    const uint8_t *after;
    uint32_t alen, limit;
    wvm_status st;
    if ((st = object_args(a, READ_COST(a), &id)) || (st = args_bytes(a, "after", &after, &alen)) ||
        (st = args_u32(a, "limit", &limit)) || (st = args_end(a)))
        return st;
    if (alen > WVM_MAX_NAME_LEN)
        return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED,
                         "call_host_set(field_list): argument 'after' is %u bytes, over the limit "
                         "WVM_MAX_NAME_LEN (%d)", alen, WVM_MAX_NAME_LEN);
    if (limit == 0 || limit > HOST_MAX_LIST) limit = HOST_MAX_LIST;
    host_frame *f = host_top(a->tx);
    wvm_object_info info;
    if ((st = st_object_get(f->txn, &id, &info)) == WVM_ERR_NOT_FOUND)
        return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    if (st) return store_fail(a, st);
    list_acc l = { 0 };
    st = st_field_list(f->txn, &id, alen ? (const char *)after : NULL, alen, limit, list_one, &l);
    if (st || l.nomem) {
        free(l.buf);
        return l.nomem ? oom(a) : store_fail(a, st);
    }
    /* each name listed is a read of the store */
    uint32_t names = 0;
    for (uint32_t off = 0; off < l.len; names++) off += 4 + (l.buf[off] | (uint32_t)l.buf[off + 1] << 8 | (uint32_t)l.buf[off + 2] << 16);
    st = host_charge(a->caller, (uint64_t)names * wvm_caller_costs(a->caller)->storage_read, l.len);
    if (!st && host_buf_set(f, l.buf, l.len)) st = oom(a);
    free(l.buf);
    if (st) return st;
    *ret = (int32_t)f->buf_len;
    return WVM_OK;
}

wvm_status objects_owner(host_args *a, int32_t *ret) {
    wvm_object_id id;
    wvm_status st;
    if ((st = object_args(a, READ_COST(a), &id)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    wvm_object_info info;
    st = st_object_get(f->txn, &id, &info);
    if (st == WVM_ERR_NOT_FOUND) return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    if (st) return store_fail(a, st);
    if (host_buf_set(f, info.owner.b, WVM_ADDRESS_LEN)) return oom(a);
    *ret = WVM_ADDRESS_LEN;
    return WVM_OK;
}

wvm_status objects_set_owner(host_args *a, int32_t *ret) {
    wvm_object_id id;
    wvm_address owner;
    wvm_status st;
    if ((st = object_args(a, WRITE_COST(a), &id)) || (st = args_address(a, "owner", &owner)) ||
        (st = args_end(a)))
        return st;
    host_frame *f = host_top(a->tx);
    st = st_object_set_owner(f->txn, &id, &f->contract, &a->tx->origin, &owner);
    if (!st) changes_object(a->tx, "owner_set", &id, &owner);
    return write_status(a->caller, a->tx, "call_host_set(object_set_owner)", st, &id, ret);
}

wvm_status objects_delete(host_args *a, int32_t *ret) {
    wvm_object_id id;
    wvm_status st;
    if ((st = object_args(a, WRITE_COST(a), &id)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    st = st_object_delete(f->txn, &id, &f->contract, &a->tx->origin);
    if (!st) changes_object(a->tx, "object_delete", &id, NULL);
    return write_status(a->caller, a->tx, "call_host_set(object_delete)", st, &id, ret);
}

wvm_status objects_exists(host_args *a, int32_t *ret) {
    wvm_object_id id;
    wvm_status st;
    if ((st = object_args(a, READ_COST(a), &id)) || (st = args_end(a))) return st;
    host_frame *f = host_top(a->tx);
    wvm_object_info info;
    st = st_object_get(f->txn, &id, &info);
    if (st && st != WVM_ERR_NOT_FOUND) return store_fail(a, st);
    return host_ret(a->tx, st ? WVM_ABI_NOT_FOUND : 0, ret);
}

/* ---- direct imports ---- */

/* Reads the id (all zero: the default object) and the name of a direct
 * field import, after checking both ranges. */
static wvm_status direct_key(wvm_caller *c, host_tx *tx, const char *fn, uint32_t id_ptr,
                             uint32_t name_ptr, uint32_t name_len, wvm_object_id *id,
                             const char **name) {
    wvm_status st;
    if ((st = host_check_range(c, tx, fn, "id_ptr", id_ptr, WVM_OBJECT_ID_LEN))) return st;
    if (name_len == 0 || name_len > WVM_MAX_NAME_LEN)
        return host_fail(c, tx, name_len ? WVM_KIND_RESOURCE_EXHAUSTED : WVM_KIND_EXECUTION_FAILED,
                         "%s: name_len %u is not in 1..WVM_MAX_NAME_LEN (%d)", fn, name_len,
                         WVM_MAX_NAME_LEN);
    if ((st = host_check_range(c, tx, fn, "name_ptr/name_len", name_ptr, name_len))) return st;
    wvm_caller_read(c, id_ptr, id->b, WVM_OBJECT_ID_LEN);
    static const uint8_t zero[WVM_OBJECT_ID_LEN];
    if (memcmp(id->b, zero, sizeof zero) == 0) *id = *host_default_object(tx, host_top(tx));
    *name = (const char *)wvm_caller_memory(c, name_ptr, name_len);
    return WVM_OK;
}

wvm_status objects_get_field(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_tx *tx = host_user(user);
    const char *fn = "object_get_field";
    const wvm_cost_table *k = wvm_caller_costs(c);
    wvm_status st = host_charge(c, (uint64_t)k->host_call + k->storage_read, 0);
    if (st) return st;
    uint32_t id_ptr = (uint32_t)args[0].of.i32, name_ptr = (uint32_t)args[1].of.i32,
             name_len = (uint32_t)args[2].of.i32, out_ptr = (uint32_t)args[3].of.i32,
             out_cap = (uint32_t)args[4].of.i32;
    wvm_object_id id;
    const char *name;
    if ((st = direct_key(c, tx, fn, id_ptr, name_ptr, name_len, &id, &name))) return st;
    if ((st = host_check_range(c, tx, fn, "out_ptr/out_cap", out_ptr, out_cap))) return st;
    if ((st = host_charge(c, 0, name_len))) return st;
    host_frame *f = host_top(tx);
    const uint8_t *v;
    size_t vlen;
    /* the name is copied: the value is written to guest memory, which the
     * name may overlap */
    char nbuf[WVM_MAX_NAME_LEN];
    memcpy(nbuf, name, name_len);
    st = st_field_lookup(f->txn, &id, nbuf, name_len, &v, &vlen);
    if (st == WVM_ERR_NOT_FOUND) {
        res[0] = wvm_i32(WVM_ABI_NOT_FOUND);
        return WVM_OK;
    }
    if (st) return host_state_fail(c, tx, fn, st, st_txn_errmsg(f->txn));
    uint32_t n = vlen < out_cap ? (uint32_t)vlen : out_cap;
    if ((st = host_charge(c, 0, n))) return st;
    wvm_caller_write(c, out_ptr, v, n);
    res[0] = wvm_i32((int32_t)vlen);
    return WVM_OK;
}

wvm_status objects_set_field(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_tx *tx = host_user(user);
    const char *fn = "object_set_field";
    const wvm_cost_table *k = wvm_caller_costs(c);
    wvm_status st = host_charge(c, (uint64_t)k->host_call + k->storage_write, 0);
    if (st || (st = policy_check_write(c, tx, fn))) return st;
    uint32_t id_ptr = (uint32_t)args[0].of.i32, name_ptr = (uint32_t)args[1].of.i32,
             name_len = (uint32_t)args[2].of.i32, val_ptr = (uint32_t)args[3].of.i32,
             val_len = (uint32_t)args[4].of.i32;
    wvm_object_id id;
    const char *name;
    if ((st = direct_key(c, tx, fn, id_ptr, name_ptr, name_len, &id, &name))) return st;
    if ((st = value_limit(c, tx, fn, val_len))) return st;
    if ((st = host_check_range(c, tx, fn, "val_ptr/val_len", val_ptr, val_len))) return st;
    if ((st = host_charge(c, 0, (uint64_t)name_len + val_len))) return st;
    host_frame *f = host_top(tx);
    const uint8_t *val = wvm_caller_memory(c, val_ptr, val_len);
    int32_t ret;
    st = st_field_set(f->txn, &id, &f->contract, &tx->origin, name, name_len, val, val_len);
    if (!st) changes_field_set(tx, &id, name, name_len, val, val_len);
    if ((st = write_status(c, tx, fn, st, &id, &ret))) return st;
    res[0] = wvm_i32(ret);
    return WVM_OK;
}
