/*
 * object.c -- objects: create, exists, owner, set owner, delete.
 * The write rule (owner is this contract or the transaction's sender) is
 * the host's: a refused change ends the call with permission_denied.
 */
#include "sdk.h"

bool wvm_object_create(wvm_ctx *ctx, wvm_address owner, wvm_object_id *out) {
    (void)ctx;
    host_arg a = {owner.b, sizeof owner.b};
    return host_call_fixed(WVM_HOST_OBJECT_CREATE, &a, 1, out->b, sizeof out->b);
}

bool wvm_object_exists(wvm_ctx *ctx, wvm_object_id id) {
    (void)ctx;
    host_arg a = {id.b, sizeof id.b};
    return host_call(WVM_HOST_OBJECT_EXISTS, &a, 1) >= 0;
}

bool wvm_object_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address *out) {
    (void)ctx;
    host_arg a = {id.b, sizeof id.b};
    return host_call_fixed(WVM_HOST_OBJECT_OWNER, &a, 1, out->b, sizeof out->b);
}

void wvm_object_set_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address owner) {
    (void)ctx;
    host_arg a[2] = {{id.b, sizeof id.b}, {owner.b, sizeof owner.b}};
    host_call(WVM_HOST_OBJECT_SET_OWNER, a, 2);
}

bool wvm_object_delete(wvm_ctx *ctx, wvm_object_id id) {
    (void)ctx;
    host_arg a = {id.b, sizeof id.b};
    return host_call(WVM_HOST_OBJECT_DELETE, &a, 1) >= 0;
}
