/*
 * event.c -- events: a name and a JSON object of attributes.
 */
#include "sdk.h"

void wvm_emit(wvm_ctx *ctx, const char *name, const wvm_jw *attrs) {
    if (attrs && (attrs->failed || attrs->depth != 0)) {
        wvm_error(ctx, "event %s: its attributes are not a finished JSON object", name);
        return;
    }
    if (attrs && (attrs->len == 0 || attrs->buf[0] != '{')) {
        wvm_error(ctx, "event %s: its attributes must be a JSON object", name);
        return;
    }
    host_arg a[2] = {host_str(name), {attrs ? attrs->buf : "{}", attrs ? attrs->len : 2}};
    host_call(WVM_HOST_EMIT_EVENT, a, 2);
}
