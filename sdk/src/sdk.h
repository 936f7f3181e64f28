/*
 * sdk/src/sdk.h -- private header of the contract SDK (compiled for
 * wasm32 only).  Nothing outside sdk/src includes it.
 *
 * Why file-scope state here: a contract instance runs one call at a time
 * (the host gives a nested call its own instance), and the host calls
 * `allocate` and `handle_contract_call` with no handle of ours, so the
 * arena and the call's context are the instance's globals.
 */
#ifndef WVM_SDK_PRIVATE_H
#define WVM_SDK_PRIVATE_H

#include <stdarg.h>
#include <string.h>

#include "wvm/contract.h"

/* ---- imports of module "env" (abi.h lists them) ---- */
#define SDK_IMPORT(name) __attribute__((import_module("env"), import_name(name)))
SDK_IMPORT("call_host_set") int32_t env_call_host_set(int32_t fn, const void *args, uint32_t len);
SDK_IMPORT("call_host_get_buffer") int32_t env_call_host_get_buffer(void *ptr, uint32_t len);
SDK_IMPORT("get_block_height") int64_t env_get_block_height(void);
SDK_IMPORT("get_block_time") int64_t env_get_block_time(void);
SDK_IMPORT("get_balance") int64_t env_get_balance(const void *addr);
SDK_IMPORT("object_get_field") int32_t env_object_get_field(const void *id, const char *name,
                                                            uint32_t name_len, void *out,
                                                            uint32_t out_cap);
SDK_IMPORT("object_set_field") int32_t env_object_set_field(const void *id, const char *name,
                                                            uint32_t name_len, const void *val,
                                                            uint32_t val_len);

/* ---- the call's context ---- */
struct wvm_ctx {
    bool failed;          /* wvm_error & co. were called: the call fails */
};

/* ---- arena (arena.c): bump allocation, reset when a call ends ---- */
/* The next free byte and the end of the memory known to exist (at most
 * ARENA_LIMIT); both 0 before the instance's first allocation. */
extern uint32_t arena_top, arena_end;
#define ARENA_LIMIT 0xFFFFFFF8u
/* arena_take's slow path: starts the arena, grows the memory; 0 when
 * the memory cannot hold size more bytes. */
uint32_t arena_more(uint32_t size);
/* size bytes aligned to 8, not zeroed; 0 when the memory cannot hold
 * them.  Inline: every string and value the SDK makes is one, and the
 * usual case is a compare and an add.  `need >= size` catches the
 * rounding's wrap; `<` (not `<=`) keeps the arena before its first
 * allocation (top = end = 0) out of the fast path. */
static inline uint32_t arena_take(uint32_t size) {
    uint32_t p = arena_top, need = (size + 7u) & ~7u;
    if (need >= size && need < arena_end - p) {
        arena_top = p + need;
        return p;
    }
    return arena_more(size);
}
/* Returns size bytes aligned to 8, not zeroed, for buffers the caller
 * fills whole; traps when memory cannot grow (a contract cannot go on
 * without memory, and the host reports the trap as resource
 * exhaustion). */
static inline void *arena_raw(uint32_t size) {
    uint32_t p = arena_take(size);
    if (p == 0)
        __builtin_trap();
    return (void *)(uintptr_t)p;
}
/* The same, zeroed. */
void *arena_alloc(uint32_t size);
char *arena_strndup(const char *s, uint32_t len);
void arena_reset(void);

/* ---- bytes (mem.c): strlen and memcmp == 0, eight bytes at a time ---- */
uint32_t mem_strlen(const char *s);
bool mem_eq(const void *a, const void *b, uint32_t n);

/* ---- host calls (host.c): the call_host_set field encoding ---- */
typedef struct host_arg {
    const void *ptr;
    uint32_t len;
} host_arg;
/* Runs host function fn with the fields args[0..n); returns the result
 * length (>= 0) or a negative wvm_abi_err.  Inline: callers pass a
 * constant n and their own fields, so the loops unroll into a few
 * stores (a call here is on every call's path: trace enter and exit,
 * the result, the sender, events).  Wasm is little-endian: a length is
 * one store. */
static inline int32_t host_call(int32_t fn, const host_arg *args, uint32_t n) {
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += 4 + args[i].len;
    uint8_t small[256];
    uint8_t *buf = total <= sizeof small ? small : (uint8_t *)arena_raw(total);
    uint8_t *p = buf;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = args[i].len;
        memcpy(p, &len, 4);
        if (len)   /* an empty field's ptr may be NULL */
            memcpy(p + 4, args[i].ptr, len);
        p += 4 + len;
    }
    return env_call_host_set(fn, buf, total);
}
/* Copies the host buffer's result of length len (from host_call) into
 * the arena, NUL-terminated. */
char *host_result(int32_t len);
/* host_call, then the result when it is exactly `size` bytes: false on a
 * negative status or another size. */
bool host_call_fixed(int32_t fn, const host_arg *args, uint32_t n, void *out, uint32_t size);
/* Splits a "fields" result (u32 LE length + bytes, ...) into at most max
 * fields; returns the number found or -1 when malformed. */
int32_t host_fields(const char *buf, uint32_t len, host_arg *out, uint32_t max);
static inline void host_u32le(uint8_t out[4], uint32_t v) {
    out[0] = (uint8_t)v; out[1] = (uint8_t)(v >> 8);
    out[2] = (uint8_t)(v >> 16); out[3] = (uint8_t)(v >> 24);
}
static inline uint32_t host_get_u32le(const void *p) {
    const uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline host_arg host_str(const char *s) {
    host_arg a = {s, s ? mem_strlen(s) : 0};
    return a;
}

/* ---- formatting (fmt.c) ---- */
/* printf-style into buf[cap] (cap >= 1), always NUL-terminated,
 * truncated to fit; returns the length written.  Supports %d %i %u %x %X
 * %c %s %% with the l/ll/z length modifiers, the flags '-' and '0', a
 * width and, for %s, a precision (".N" or ".*"). */
uint32_t fmt_v(char *buf, uint32_t cap, const char *fmt, va_list ap);
/* Into a fresh arena buffer of cap bytes. */
char *fmt_arena(uint32_t cap, uint32_t *len, const char *fmt, va_list ap);

/* ---- result.c ---- */
/* Fails the call with kind and message (the first failure wins). */
void result_fail(wvm_ctx *ctx, uint32_t kind, const char *msg, uint32_t len);
void result_failf(wvm_ctx *ctx, uint32_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- hex (hex.c) ---- */
/* "0x" + hex of b[0..n) into out (2 + 2n bytes, NUL-terminated). */
void hex_encode(char *out, const uint8_t *b, uint32_t n);
/* Decodes "0x" + 2n hex digits (either case) into out[0..n): false when
 * the text is not that. */
bool hex_decode(const char *s, uint32_t len, uint8_t *out, uint32_t n);

/* ---- json (json_write.c): the length of the leading run of s[0..n)
 * that a JSON string holds as it is (no control character, quote or
 * backslash; with `ascii`, no byte >= 0x80 either: the reader checks
 * UTF-8 on its careful path), eight bytes a step ---- */
uint32_t json_plain_run(const char *s, uint32_t n, bool ascii);

/* ---- json (json_read.c) ---- */
typedef struct json_member json_member;
struct wvm_json {
    wvm_json_type type;
    bool neg;               /* INT: negative (mag is the magnitude) */
    bool big;               /* FLOAT: an integer beyond 64 bits */
    uint32_t n;             /* STRING/FLOAT: text length; ARRAY/OBJECT: count */
    union {
        bool b;
        uint64_t mag;
        const char *s;      /* STRING (decoded), FLOAT (text) */
        json_member *m;     /* ARRAY/OBJECT: members m[0..n) */
    } u;
};
/* A member of an array or object, its value in place: one allocation
 * holds a container's members (the reader's arrays grow by doubling). */
struct json_member {
    const char *key;        /* OBJECT: the key (may hold NULs); ARRAY: NULL */
    uint32_t key_len;
    wvm_json v;
};

/* The integer in v (an INT, or a STRING in the JSON integer grammar):
 * JSON_INT_OK with sign and magnitude, JSON_INT_RANGE when it does not
 * fit 64 bits, JSON_INT_NOT when v is no integer. */
enum { JSON_INT_OK, JSON_INT_NOT, JSON_INT_RANGE };
int json_integer(const wvm_json *v, bool *neg, uint64_t *mag);
/* "a string", "an object", ...: what v is, for error messages. */
const char *json_describe(const wvm_json *v);

/* ---- args (args.c) ---- */
#define ARGS_MAX_NAMES 32
struct wvm_args {
    wvm_ctx *ctx;
    const wvm_json *obj;    /* the parameters, a JSON object */
    bool *used;             /* used[i]: key i was read */
    const char *asked[ARGS_MAX_NAMES];  /* names read, for the message of
                                           an unexpected parameter */
    uint32_t nasked;
};

#endif
