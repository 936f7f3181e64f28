/*
 * result.c -- how a call ends: its result, its error, and log lines.
 */
#include "sdk.h"

/* Longest error message the SDK sends; longer ones are cut (the host
 * keeps messages for receipts, so they stay short). */
#define RESULT_MAX_MESSAGE 4096

void result_fail(wvm_ctx *ctx, uint32_t kind, const char *msg, uint32_t len) {
    if (ctx->failed)
        return;   /* the first failure is the one the author meant */
    ctx->failed = true;
    uint8_t k[4];
    host_u32le(k, kind);
    host_arg a[2] = {{k, 4}, {msg, len}};
    host_call(WVM_HOST_SET_ERROR, a, 2);
}

static void result_failv(wvm_ctx *ctx, uint32_t kind, const char *fmt, va_list ap) {
    if (ctx->failed)
        return;
    uint32_t len;
    char *msg = fmt_arena(RESULT_MAX_MESSAGE, &len, fmt, ap);
    result_fail(ctx, kind, msg, len);
}

void result_failf(wvm_ctx *ctx, uint32_t kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    result_failv(ctx, kind, fmt, ap);
    va_end(ap);
}

void wvm_error(wvm_ctx *ctx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    result_failv(ctx, WVM_CONTRACT_ERROR, fmt, ap);
    va_end(ap);
}

void wvm_error_params(wvm_ctx *ctx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    result_failv(ctx, WVM_CONTRACT_INVALID_PARAMETERS, fmt, ap);
    va_end(ap);
}

bool wvm_failed(const wvm_ctx *ctx) {
    return ctx->failed;
}

void wvm_result_json(wvm_ctx *ctx, const char *json, uint32_t len) {
    if (ctx->failed)
        return;
    host_arg a = {json, len};
    host_call(WVM_HOST_SET_RESULT, &a, 1);
}

void wvm_log(wvm_ctx *ctx, const char *fmt, ...) {
    (void)ctx;
    va_list ap;
    va_start(ap, fmt);
    uint32_t len;
    char *msg = fmt_arena(WVM_MAX_LOG_LEN + 1, &len, fmt, ap);
    va_end(ap);
    host_arg a = {msg, len};
    host_call(WVM_HOST_LOG, &a, 1);
}
