/*
 * objects.c -- objects, their fields and owners, and the write rule.
 *
 * The write rule (docs/state.md): a field write, a field or object
 * delete, or an owner change succeeds only when the object's owner is the
 * executing contract (`actor`) or the transaction's sender; otherwise
 * WVM_ERR_PERMISSION and nothing changes.  Reads are free to all.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* An object id in messages: the "0x" + hex of wvm_hash_hex. */
static void id_hex(const wvm_object_id *id, char out[67]) {
    wvm_hash_hex((const wvm_hash *)id, out);
}

static bool is_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

static wvm_status check_name(st_txn *t, const char *name, size_t len) {
    if (!name) return st_fail(t, WVM_ERR_ARG, "no field name");
    if (len == 0) return st_fail(t, WVM_ERR_ARG, "empty field name");
    if (len > ST_MAX_NAME)
        return st_fail(t, WVM_ERR_ARG, "field name of %zu bytes is over the limit (%d)", len, ST_MAX_NAME);
    return WVM_OK;
}

/* The object record of id.  say_missing: a missing object sets t's
 * message ("no object ..."). */
static wvm_status read_object_as(st_txn *t, const wvm_object_id *id, wvm_object_info *out,
                                 bool say_missing) {
    st_dirty *d = t->dirty;
    if (d && d->obj_ok && !memcmp(d->obj_id.b, id->b, 32)) {
        memcpy(out->owner.b, d->obj_rec, 20);
        memcpy(out->creator.b, d->obj_rec + 20, 20);
        return WVM_OK;
    }
    st_key k;
    keys_object(&k, id);
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    char h[67];
    if (st == WVM_ERR_NOT_FOUND) {
        if (!say_missing) return st;
        id_hex(id, h);
        return st_fail(t, st, "no object %s", h);
    }
    if (st) return st;
    if (n != 40) {
        id_hex(id, h);
        return st_fail(t, WVM_ERR_STATE, "damaged record of object %s", h);
    }
    memcpy(out->owner.b, v, 20);
    memcpy(out->creator.b, v + 20, 20);
    if (d) {
        d->obj_id = *id;
        memcpy(d->obj_rec, v, 40);
        d->obj_ok = true;
    }
    return WVM_OK;
}

static wvm_status read_object(st_txn *t, const wvm_object_id *id, wvm_object_info *out) {
    return read_object_as(t, id, out, true);
}

/* The write rule.  actor or sender may be NULL (no contract runs: an
 * embedder's own transaction). */
static wvm_status may_write(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                            const wvm_address *sender, wvm_object_info *info) {
    wvm_status st = st_writable(t);
    if (st) return st;
    if ((st = read_object(t, id, info))) return st;
    if (actor && !memcmp(info->owner.b, actor->b, 20)) return WVM_OK;
    if (sender && !memcmp(info->owner.b, sender->b, 20)) return WVM_OK;
    char h[67], o[43], a[43], s[43];
    id_hex(id, h);
    static const wvm_address none;
    wvm_address_hex(&info->owner, o);
    wvm_address_hex(actor ? actor : &none, a);
    wvm_address_hex(sender ? sender : &none, s);
    return st_fail(t, WVM_ERR_PERMISSION,
                   "permission denied: object %s is owned by %s, which is neither the executing "
                   "contract (%s) nor the sender (%s)", h, o, actor ? a : "none", sender ? s : "none");
}

wvm_status st_object_create(st_txn *t, const wvm_object_id *id, const wvm_address *owner,
                            const wvm_address *creator) {
    wvm_status st = st_writable(t);
    if (st) return st;
    if (is_zero(id->b, 32)) return st_fail(t, WVM_ERR_ARG, "the all-zero object ID is reserved");
    st_key k;
    keys_object(&k, id);
    if ((st = st_absent(t, &k)) == WVM_ERR_EXISTS) {
        char h[67];
        id_hex(id, h);
        return st_fail(t, st, "object %s already exists", h);
    }
    if (st) return st;
    return st_put2(t, &k, owner->b, 20, creator->b, 20);
}

wvm_status st_object_get(st_txn *t, const wvm_object_id *id, wvm_object_info *out) {
    return read_object(t, id, out);
}

wvm_status st_object_set_owner(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                               const wvm_address *sender, const wvm_address *new_owner) {
    wvm_object_info info;
    wvm_status st = may_write(t, id, actor, sender, &info);
    if (st) return st;
    st_key k;
    keys_object(&k, id);
    return st_put2(t, &k, new_owner->b, 20, info.creator.b, 20);
}

wvm_status st_object_delete(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                            const wvm_address *sender) {
    wvm_object_info info;
    wvm_status st = may_write(t, id, actor, sender, &info);
    if (st) return st;
    /* Fields first, each through st_del so the root loses it; the cursor
     * is reopened after each delete rather than trusted across it. */
    st_key prefix;
    keys_field(&prefix, id, "", 0);
    for (;;) {
        st_cursor c;
        if ((st = cursor_open(t, &c, "walking fields"))) return st;
        st_kv e;
        st = cursor_seek(&c, prefix.b, prefix.len, &e);
        bool more = !st && e.klen > prefix.len && !memcmp(e.key, prefix.b, prefix.len);
        st_key fk;
        if (more) {
            memcpy(fk.b, e.key, e.klen);
            fk.len = e.klen;
        }
        cursor_close(&c);
        if (st && st != WVM_ERR_NOT_FOUND) return st;
        if (!more) break;
        if ((st = st_del(t, &fk))) return st;
    }
    st_key k;
    keys_object(&k, id);
    return st_del(t, &k);
}

/* st_field_get and st_field_lookup (say: a missing field or object sets
 * t's message). */
static wvm_status field_get(st_txn *t, const wvm_object_id *id, const char *name, size_t name_len,
                            const uint8_t **value, size_t *value_len, bool say) {
    wvm_status st = check_name(t, name, name_len);
    if (st) return st;
    st_key k;
    keys_field(&k, id, name, name_len);
    st = st_get(t, &k, value, value_len);
    if (st == WVM_ERR_NOT_FOUND) {
        /* a damaged object record is a store failure even here */
        wvm_object_info info;
        if ((st = read_object_as(t, id, &info, say))) return st;
        if (!say) return WVM_ERR_NOT_FOUND;
        return st_fail(t, WVM_ERR_NOT_FOUND, "no field '%.*s'", (int)name_len, name);
    }
    return st;
}

wvm_status st_field_get(st_txn *t, const wvm_object_id *id, const char *name, size_t name_len,
                        const uint8_t **value, size_t *value_len) {
    return field_get(t, id, name, name_len, value, value_len, true);
}

wvm_status st_field_lookup(st_txn *t, const wvm_object_id *id, const char *name, size_t name_len,
                           const uint8_t **value, size_t *value_len) {
    return field_get(t, id, name, name_len, value, value_len, false);
}

wvm_status st_field_set(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                        const wvm_address *sender, const char *name, size_t name_len,
                        const uint8_t *value, size_t value_len) {
    wvm_status st = check_name(t, name, name_len);
    if (st) return st;
    if (value_len > ST_MAX_VALUE)
        return st_fail(t, WVM_ERR_ARG, "field value of %zu bytes is over the limit (%d)", value_len,
                       ST_MAX_VALUE);
    wvm_object_info info;
    if ((st = may_write(t, id, actor, sender, &info))) return st;
    st_key k;
    keys_field(&k, id, name, name_len);
    return st_put(t, &k, value, value_len);
}

wvm_status st_field_delete(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                           const wvm_address *sender, const char *name, size_t name_len) {
    wvm_status st = check_name(t, name, name_len);
    if (st) return st;
    wvm_object_info info;
    if ((st = may_write(t, id, actor, sender, &info))) return st;
    st_key k;
    keys_field(&k, id, name, name_len);
    st = st_del(t, &k);
    if (st == WVM_ERR_NOT_FOUND) return st_fail(t, st, "no field '%.*s'", (int)name_len, name);
    return st;
}

wvm_status st_field_list(st_txn *t, const wvm_object_id *id, const char *after, size_t after_len,
                         uint32_t limit,
                         bool (*fn)(void *user, const char *name, size_t len), void *user) {
    wvm_object_info info;
    wvm_status st = read_object(t, id, &info);
    if (st) return st;
    if (after_len > ST_MAX_NAME) return st_fail(t, WVM_ERR_ARG, "field name over the limit");
    st_key prefix, start;
    keys_field(&prefix, id, "", 0);
    keys_field(&start, id, after ? after : "", after ? after_len : 0);
    st_cursor c;
    if ((st = cursor_open(t, &c, "listing fields"))) return st;
    st_kv e;
    uint32_t given = 0;
    for (st = cursor_seek(&c, start.b, start.len, &e); !st && given < limit; st = cursor_next(&c, &e)) {
        if (e.klen <= prefix.len || memcmp(e.key, prefix.b, prefix.len)) break;
        /* `after` itself is not listed: the list resumes past it. */
        if (e.klen == start.len && !memcmp(e.key, start.b, start.len)) continue;
        given++;
        if (!fn(user, (const char *)e.key + prefix.len, e.klen - prefix.len)) break;
    }
    cursor_close(&c);
    return st == WVM_ERR_NOT_FOUND ? WVM_OK : st;
}
