/*
 * host.c -- the in-memory host of sdk_test.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

static void buf_put(th_buf *b, const void *p, uint32_t n) {
    if (b->len + n + 1 > b->cap) {
        uint32_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void buf_clear(th_buf *b) {
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

static void host_set_buffer(th *h, const void *p, uint32_t n) {
    free(h->hbuf);
    h->hbuf = malloc(n ? n : 1);
    memcpy(h->hbuf, p, n);
    h->hlen = n;
}

void th_addr(uint8_t out[20], uint8_t fill) {
    memset(out, fill, 20);
}

static th_account *host_account(th *h, const uint8_t addr[20], bool make) {
    for (uint32_t i = 0; i < h->naccounts; i++)
        if (memcmp(h->accounts[i].addr, addr, 20) == 0)
            return &h->accounts[i];
    if (!make)
        return NULL;
    h->accounts = realloc(h->accounts, (h->naccounts + 1) * sizeof *h->accounts);
    th_account *a = &h->accounts[h->naccounts++];
    memcpy(a->addr, addr, 20);
    a->balance = 0;
    return a;
}

void th_set_balance(th *h, const uint8_t addr[20], uint64_t v) {
    host_account(h, addr, true)->balance = v;
}

uint64_t th_balance(th *h, const uint8_t addr[20]) {
    th_account *a = host_account(h, addr, false);
    return a ? a->balance : 0;
}

static th_object *host_object(th *h, const uint8_t id[32]) {
    for (uint32_t i = 0; i < h->nobjects; i++)
        if (memcmp(h->objects[i].id, id, 32) == 0)
            return &h->objects[i];
    return NULL;
}

static th_field *host_field(th *h, const uint8_t id[32], const char *name, uint32_t nl) {
    for (uint32_t i = 0; i < h->nfields; i++)
        if (memcmp(h->fields[i].id, id, 32) == 0 && h->fields[i].name_len == nl &&
            memcmp(h->fields[i].name, name, nl) == 0)
            return &h->fields[i];
    return NULL;
}

/* The write rule: the owner is this contract or the transaction's sender. */
static wvm_status host_may_write(wvm_caller *c, th *h, const uint8_t id[32], const char *what) {
    th_object *o = host_object(h, id);
    if (!o)
        return wvm_caller_trap(c, "%s: no such object", what);
    if (memcmp(o->owner, h->self, 20) != 0 && memcmp(o->owner, h->origin, 20) != 0)
        return wvm_caller_trap(c, "permission_denied: %s: the object is not owned by "
                                  "this contract or the sender", what);
    return WVM_OK;
}

static wvm_status host_set_field(wvm_caller *c, th *h, const uint8_t id[32], const char *name,
                                 uint32_t nl, const uint8_t *val, uint32_t vl) {
    wvm_status st = host_may_write(c, h, id, "field set");
    if (st)
        return st;
    if (nl == 0 || nl > WVM_MAX_NAME_LEN)
        return wvm_caller_trap(c, "field set: name length %u", nl);
    if (vl > WVM_MAX_FIELD_VALUE)
        return wvm_caller_trap(c, "field set: value of %u bytes", vl);
    th_field *f = host_field(h, id, name, nl);
    if (!f) {
        h->fields = realloc(h->fields, (h->nfields + 1) * sizeof *h->fields);
        f = &h->fields[h->nfields++];
        memcpy(f->id, id, 32);
        f->name = malloc(nl);
        memcpy(f->name, name, nl);
        f->name_len = nl;
        f->val = NULL;
    }
    free(f->val);
    f->val = malloc(vl ? vl : 1);
    memcpy(f->val, val, vl);
    f->val_len = vl;
    return WVM_OK;
}

/* Splits the argument buffer into fields; false if malformed. */
static bool host_split(const uint8_t *p, uint32_t len, const uint8_t **f, uint32_t *fl,
                       uint32_t want) {
    uint32_t at = 0;
    for (uint32_t i = 0; i < want; i++) {
        if (len - at < 4)
            return false;
        uint32_t n = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8 | (uint32_t)p[at + 2] << 16 |
                     (uint32_t)p[at + 3] << 24;
        at += 4;
        if (n > len - at)
            return false;
        f[i] = p + at;
        fl[i] = n;
        at += n;
    }
    return at == len;
}

static void u32le(uint8_t *o, uint32_t v) {
    for (int i = 0; i < 4; i++)
        o[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t u64le(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static int cmp_names(const void *a, const void *b) {
    const th_field *x = *(th_field *const *)a, *y = *(th_field *const *)b;
    uint32_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    return c ? c : (int)x->name_len - (int)y->name_len;
}

/* Splits the arguments into n fields and checks the fixed sizes (0: any). */
static wvm_status host_args(wvm_caller *c, int32_t fn, const uint8_t *p, uint32_t len,
                            const uint8_t **f, uint32_t *fl, uint32_t n, const uint32_t *sizes) {
    if (!host_split(p, len, f, fl, n))
        return wvm_caller_trap(c, "call_host_set %d: malformed arguments", fn);
    for (uint32_t i = 0; i < n; i++)
        if (sizes[i] && fl[i] != sizes[i])
            return wvm_caller_trap(c, "call_host_set %d: argument %u has %u bytes", fn, i, fl[i]);
    return WVM_OK;
}

#define ARGS(n, ...)                                                        \
    do {                                                                    \
        static const uint32_t sizes_[] = {__VA_ARGS__};                     \
        wvm_status st_ = host_args(c, fn, p, len, f, fl, n, sizes_);        \
        if (st_)                                                            \
            return st_;                                                     \
    } while (0)

static wvm_status host_call_host_set(wvm_caller *c, void *user, const wvm_val *args,
                                     wvm_val *results) {
    th *h = user;
    int32_t fn = args[0].of.i32;
    uint32_t len = (uint32_t)args[2].of.i32;
    const uint8_t *p = wvm_caller_memory(c, (uint32_t)args[1].of.i32, len);
    if (!p)
        return wvm_caller_trap(c, "call_host_set: arguments out of bounds");
    const uint8_t *f[5];
    uint32_t fl[5];
    int32_t r = 0;
    uint8_t tmp[64];
    switch (fn) {
    case WVM_HOST_SENDER: ARGS(0, 0); host_set_buffer(h, h->sender, 20); r = 20; break;
    case WVM_HOST_SELF: ARGS(0, 0); host_set_buffer(h, h->self, 20); r = 20; break;
    case WVM_HOST_ORIGIN: ARGS(0, 0); host_set_buffer(h, h->origin, 20); r = 20; break;
    case WVM_HOST_FUNCTION: ARGS(0, 0); r = -1; break;
    case WVM_HOST_OBJECT_CREATE: {
        ARGS(1, 20);
        h->objects = realloc(h->objects, (h->nobjects + 1) * sizeof *h->objects);
        th_object *o = &h->objects[h->nobjects++];
        memset(o->id, 0, 32);
        o->id[0] = 0x0b;
        u32le(o->id + 28, ++h->next_object);
        static const uint8_t zero[20];
        memcpy(o->owner, memcmp(f[0], zero, 20) ? f[0] : h->self, 20);
        host_set_buffer(h, o->id, 32);
        r = 32;
        break;
    }
    case WVM_HOST_FIELD_GET: {
        ARGS(2, 32, 0);
        th_field *x = host_field(h, f[0], (const char *)f[1], fl[1]);
        if (!x)
            r = WVM_ABI_NOT_FOUND;
        else {
            host_set_buffer(h, x->val, x->val_len);
            r = (int32_t)x->val_len;
        }
        break;
    }
    case WVM_HOST_FIELD_SET: {
        ARGS(3, 32, 0, 0);
        wvm_status st = host_set_field(c, h, f[0], (const char *)f[1], fl[1], f[2], fl[2]);
        if (st)
            return st;
        break;
    }
    case WVM_HOST_FIELD_DELETE: {
        ARGS(2, 32, 0);
        wvm_status st = host_may_write(c, h, f[0], "field delete");
        if (st)
            return st;
        th_field *x = host_field(h, f[0], (const char *)f[1], fl[1]);
        if (!x) {
            r = WVM_ABI_NOT_FOUND;
            break;
        }
        free(x->name);
        free(x->val);
        *x = h->fields[--h->nfields];
        break;
    }
    case WVM_HOST_FIELD_LIST: {
        ARGS(3, 32, 0, 4);
        uint32_t limit = (uint32_t)f[2][0] | (uint32_t)f[2][1] << 8 |
                         (uint32_t)f[2][2] << 16 | (uint32_t)f[2][3] << 24;
        th_field **sel = malloc((h->nfields + 1) * sizeof *sel);
        uint32_t n = 0;
        th_field after = {.name = (char *)f[1], .name_len = fl[1]};
        th_field *ap = &after;
        for (uint32_t i = 0; i < h->nfields; i++)
            if (memcmp(h->fields[i].id, f[0], 32) == 0) {
                th_field *x = &h->fields[i];
                if (fl[1] == 0 || cmp_names(&x, &ap) > 0)
                    sel[n++] = x;
            }
        qsort(sel, n, sizeof *sel, cmp_names);
        th_buf out = {0};
        for (uint32_t i = 0; i < n && i < limit; i++) {
            u32le(tmp, sel[i]->name_len);
            buf_put(&out, tmp, 4);
            buf_put(&out, sel[i]->name, sel[i]->name_len);
        }
        host_set_buffer(h, out.p ? out.p : "", out.len);
        r = (int32_t)out.len;
        free(out.p);
        free(sel);
        break;
    }
    case WVM_HOST_OBJECT_OWNER: {
        ARGS(1, 32);
        th_object *o = host_object(h, f[0]);
        if (!o)
            r = WVM_ABI_NOT_FOUND;
        else {
            host_set_buffer(h, o->owner, 20);
            r = 20;
        }
        break;
    }
    case WVM_HOST_OBJECT_SET_OWNER: {
        ARGS(2, 32, 20);
        wvm_status st = host_may_write(c, h, f[0], "set owner");
        if (st)
            return st;
        memcpy(host_object(h, f[0])->owner, f[1], 20);
        break;
    }
    case WVM_HOST_OBJECT_DELETE: {
        ARGS(1, 32);
        th_object *o = host_object(h, f[0]);
        if (!o) {
            r = WVM_ABI_NOT_FOUND;
            break;
        }
        wvm_status st = host_may_write(c, h, f[0], "object delete");
        if (st)
            return st;
        for (uint32_t i = 0; i < h->nfields;)
            if (memcmp(h->fields[i].id, f[0], 32) == 0) {
                free(h->fields[i].name);
                free(h->fields[i].val);
                h->fields[i] = h->fields[--h->nfields];
            } else
                i++;
        *o = h->objects[--h->nobjects];
        break;
    }
    case WVM_HOST_OBJECT_EXISTS: ARGS(1, 32); r = host_object(h, f[0]) ? 0 : WVM_ABI_NOT_FOUND; break;
    case WVM_HOST_BALANCE: {
        ARGS(1, 20);
        uint64_t v = th_balance(h, f[0]);
        for (int i = 0; i < 8; i++)
            tmp[i] = (uint8_t)(v >> (8 * i));
        host_set_buffer(h, tmp, 8);
        r = 8;
        break;
    }
    case WVM_HOST_TRANSFER: {
        ARGS(2, 20, 8);
        uint64_t amount = u64le(f[1]);
        th_account *from = host_account(h, h->self, true);
        if (from->balance < amount) {
            r = WVM_ABI_INSUFFICIENT_FUNDS;
            break;
        }
        th_account *to = host_account(h, f[0], true);
        from = host_account(h, h->self, true);
        if (to != from && to->balance > UINT64_MAX - amount) {
            r = WVM_ABI_OVERFLOW;
            break;
        }
        from->balance -= amount;
        to->balance += amount;
        break;
    }
    case WVM_HOST_EMIT_EVENT:
        ARGS(2, 0, 0);
        if (fl[1] > WVM_MAX_EVENT_LEN)
            return wvm_caller_trap(c, "emit_event: attributes of %u bytes", fl[1]);
        if (++h->nevents > WVM_MAX_EVENTS)
            return wvm_caller_trap(c, "emit_event: more than %d events", WVM_MAX_EVENTS);
        buf_put(&h->events, f[0], fl[0]);
        buf_put(&h->events, " ", 1);
        buf_put(&h->events, f[1], fl[1]);
        buf_put(&h->events, "\n", 1);
        break;
    case WVM_HOST_LOG:
        ARGS(1, 0);
        if (fl[0] > WVM_MAX_LOG_LEN)
            return wvm_caller_trap(c, "log: message of %u bytes", fl[0]);
        buf_put(&h->logs, f[0], fl[0]);
        buf_put(&h->logs, "\n", 1);
        break;
    case WVM_HOST_SET_RESULT:
        ARGS(1, 0);
        if (fl[0] > WVM_MAX_RESULT_LEN)
            return wvm_caller_trap(c, "set_result: result of %u bytes", fl[0]);
        buf_clear(&h->result);
        buf_put(&h->result, f[0], fl[0]);
        h->has_result = true;
        break;
    case WVM_HOST_SET_ERROR:
        ARGS(2, 4, 0);
        h->error_kind = (uint32_t)f[0][0] | (uint32_t)f[0][1] << 8;
        buf_clear(&h->error);
        buf_put(&h->error, f[1], fl[1]);
        h->has_error = true;
        break;
    case WVM_HOST_CALL: {
        ARGS(4, 20, 0, 0, 8);
        /* address ee..ee answers with what it was given; any other fails
         * with kind 8 (contract_error) */
        uint8_t ee[20];
        memset(ee, 0xee, 20);
        th_buf out = {0};
        if (memcmp(f[0], ee, 20) == 0) {
            buf_put(&out, "{\"function\":\"", 13);
            buf_put(&out, f[1], fl[1]);
            buf_put(&out, "\",\"params\":", 11);
            buf_put(&out, f[2], fl[2]);
            buf_put(&out, "}", 1);
            r = (int32_t)out.len;
        } else {
            static const char msg[] = "callee failed: no contract there";
            u32le(tmp, 4);
            u32le(tmp + 4, 8);
            u32le(tmp + 8, sizeof msg - 1);
            buf_put(&out, tmp, 12);
            buf_put(&out, msg, sizeof msg - 1);
            r = WVM_ABI_CALL_FAILED;
        }
        host_set_buffer(h, out.p, out.len);
        free(out.p);
        break;
    }
    case WVM_HOST_CALLER:
        ARGS(0, 0);
        if (!h->has_caller)
            r = WVM_ABI_NOT_FOUND;
        else {
            host_set_buffer(h, h->caller, 20);
            r = 20;
        }
        break;
    case WVM_HOST_CALLER_FUNCTION:
        ARGS(0, 0);
        if (!h->caller_function)
            r = WVM_ABI_NOT_FOUND;
        else {
            host_set_buffer(h, h->caller_function, (uint32_t)strlen(h->caller_function));
            r = (int32_t)strlen(h->caller_function);
        }
        break;
    case WVM_HOST_CALL_DEPTH:
        ARGS(0, 0);
        u32le(tmp, h->depth);
        host_set_buffer(h, tmp, 4);
        r = 4;
        break;
    case WVM_HOST_CALL_FRAME: {
        ARGS(1, 4);
        uint32_t i = (uint32_t)f[0][0] | (uint32_t)f[0][1] << 8;
        if (i >= h->depth || i >= 8) {
            r = WVM_ABI_NOT_FOUND;
            break;
        }
        th_buf out = {0};
        u32le(tmp, 20);
        buf_put(&out, tmp, 4);
        buf_put(&out, h->frames[i], 20);
        u32le(tmp, (uint32_t)strlen(h->frame_functions[i]));
        buf_put(&out, tmp, 4);
        buf_put(&out, h->frame_functions[i], (uint32_t)strlen(h->frame_functions[i]));
        host_set_buffer(h, out.p, out.len);
        r = (int32_t)out.len;
        free(out.p);
        break;
    }
    case WVM_HOST_TRACE_ENTER:
        ARGS(1, 0);
        buf_put(&h->trace, "enter ", 6);
        buf_put(&h->trace, f[0], fl[0]);
        buf_put(&h->trace, "\n", 1);
        break;
    case WVM_HOST_TRACE_EXIT:
        ARGS(2, 0, 4);
        buf_put(&h->trace, "exit ", 5);
        buf_put(&h->trace, f[0], fl[0]);
        buf_put(&h->trace, f[1][0] ? " failed\n" : " ok\n", f[1][0] ? 8 : 4);
        break;
    default:
        return wvm_caller_trap(c, "call_host_set: no host function %d", fn);
    }
    results[0] = wvm_i32(r);
    return WVM_OK;
}

static wvm_status host_get_buffer(wvm_caller *c, void *user, const wvm_val *args,
                                  wvm_val *results) {
    th *h = user;
    uint32_t n = (uint32_t)args[1].of.i32;
    if (n > h->hlen)
        n = h->hlen;
    if (wvm_caller_write(c, (uint32_t)args[0].of.i32, h->hbuf, n))
        return wvm_caller_trap(c, "call_host_get_buffer: out of bounds");
    results[0] = wvm_i32((int32_t)n);
    return WVM_OK;
}

static wvm_status host_height(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c, (void)args;
    results[0] = wvm_i64((int64_t)((th *)user)->height);
    return WVM_OK;
}

static wvm_status host_time(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c, (void)args;
    results[0] = wvm_i64((int64_t)((th *)user)->time);
    return WVM_OK;
}

static wvm_status host_balance(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    uint8_t a[20];
    if (wvm_caller_read(c, (uint32_t)args[0].of.i32, a, 20))
        return wvm_caller_trap(c, "get_balance: out of bounds");
    results[0] = wvm_i64((int64_t)th_balance(user, a));
    return WVM_OK;
}

static wvm_status host_field_get(wvm_caller *c, void *user, const wvm_val *args,
                                 wvm_val *results) {
    th *h = user;
    uint8_t id[32];
    uint32_t nl = (uint32_t)args[2].of.i32;
    const uint8_t *name = wvm_caller_memory(c, (uint32_t)args[1].of.i32, nl);
    if (wvm_caller_read(c, (uint32_t)args[0].of.i32, id, 32) || !name)
        return wvm_caller_trap(c, "object_get_field: out of bounds");
    th_field *f = host_field(h, id, (const char *)name, nl);
    if (!f) {
        results[0] = wvm_i32(WVM_ABI_NOT_FOUND);
        return WVM_OK;
    }
    uint32_t cap = (uint32_t)args[4].of.i32, n = f->val_len < cap ? f->val_len : cap;
    if (wvm_caller_write(c, (uint32_t)args[3].of.i32, f->val, n))
        return wvm_caller_trap(c, "object_get_field: out of bounds");
    results[0] = wvm_i32((int32_t)f->val_len);
    return WVM_OK;
}

static wvm_status host_field_set(wvm_caller *c, void *user, const wvm_val *args,
                                 wvm_val *results) {
    th *h = user;
    uint8_t id[32];
    uint32_t nl = (uint32_t)args[2].of.i32, vl = (uint32_t)args[4].of.i32;
    const uint8_t *name = wvm_caller_memory(c, (uint32_t)args[1].of.i32, nl);
    if (wvm_caller_read(c, (uint32_t)args[0].of.i32, id, 32) || !name)
        return wvm_caller_trap(c, "object_set_field: out of bounds");
    const uint8_t *val = wvm_caller_memory(c, (uint32_t)args[3].of.i32, vl);
    if (!val)
        return wvm_caller_trap(c, "object_set_field: out of bounds");
    wvm_status st = host_set_field(c, h, id, (const char *)name, nl, val, vl);
    if (st)
        return st;
    results[0] = wvm_i32(0);
    return WVM_OK;
}

/* Every import costs the engine's host_call price first, as on the node. */
typedef struct host_priced host_priced;

static wvm_status host_charged(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    host_priced *p = user;
    wvm_status st = wvm_caller_charge(c, wvm_caller_costs(c)->host_call);
    if (st)
        return st;
    return p->fn(c, p->h, args, results);
}

static bool host_define(th *h, const char *name, wvm_host_fn fn, uint32_t np, wvm_valtype res) {
    static const wvm_valtype i32s[5] = {WVM_I32, WVM_I32, WVM_I32, WVM_I32, WVM_I32};
    wvm_valtype r[1] = {res};
    wvm_functype t = {np, 1, i32s, r};
    wvm_func *f;
    if (h->npriced == sizeof h->priced / sizeof h->priced[0])
        return false;
    host_priced *p = &h->priced[h->npriced++];
    p->fn = fn;
    p->h = h;
    if (wvm_func_new_host(h->store, &t, host_charged, p, &f))
        return false;
    wvm_extern x = {WVM_EXTERN_FUNC, f};
    return wvm_store_define(h->store, "env", name, x) == WVM_OK;
}

th *th_open(const char *path) {
    char msg[1024];
    th *h = th_load(path, msg, sizeof msg);
    if (!h)
        test_fail(__FILE__, __LINE__, "%s", msg);
    return h;
}

th *th_load(const char *path, char *msg, uint32_t cap) {
    const char *build = getenv("WVM_BUILD");
    char full[512];
    snprintf(full, sizeof full, "%s/%s", build ? build : "build", path);
    size_t len;
    unsigned char *wasm = test_read_file(full, &len);
    if (!wasm) {
        snprintf(msg, cap, "cannot read %s", full);
        return NULL;
    }
    th *h = calloc(1, sizeof *h);
    th_addr(h->self, 0xc0);
    th_addr(h->sender, 0xa1);
    th_addr(h->origin, 0xa1);
    h->height = 7;
    h->time = 1700000000;
    h->objects = calloc(1, sizeof *h->objects);   /* the default object */
    memcpy(h->objects[0].owner, h->self, 20);
    h->nobjects = 1;
    wvm_status st = wvm_engine_new(NULL, &h->engine);
    if (!st)
        st = wvm_module_new(h->engine, wasm, len, &h->module);
    free(wasm);
    if (!st)
        st = wvm_store_new(h->engine, &h->store);
    bool ok = !st && host_define(h, WVM_IMPORT_CALL_HOST_SET, host_call_host_set, 3, WVM_I32) &&
              host_define(h, WVM_IMPORT_GET_BUFFER, host_get_buffer, 2, WVM_I32) &&
              host_define(h, WVM_IMPORT_BLOCK_HEIGHT, host_height, 0, WVM_I64) &&
              host_define(h, WVM_IMPORT_BLOCK_TIME, host_time, 0, WVM_I64) &&
              host_define(h, WVM_IMPORT_BALANCE, host_balance, 1, WVM_I64) &&
              host_define(h, WVM_IMPORT_FIELD_GET, host_field_get, 5, WVM_I32) &&
              host_define(h, WVM_IMPORT_FIELD_SET, host_field_set, 5, WVM_I32) &&
              !wvm_instance_link(h->store, h->module, &h->inst) &&
              !wvm_instance_func(h->inst, "allocate", &h->allocate) &&
              !wvm_instance_func(h->inst, "handle_contract_call", &h->handle);
    if (!ok) {
        snprintf(msg, cap, "%s: cannot instantiate: %s %s", full,
                 h->module ? wvm_module_errmsg(h->module) : "",
                 h->store ? wvm_store_errmsg(h->store) : "");
        th_close(h);
        return NULL;
    }
    wvm_store_set_fuel(h->store, 50000000);
    /* no wall-clock limit: every outcome here is decided by fuel, so the
     * tests end the same way on a slow machine or under ASan */
    wvm_store_set_timeout(h->store, WVM_NO_TIMEOUT);
    return h;
}

void th_close(th *h) {
    if (!h)
        return;
    wvm_store_free(h->store);
    wvm_module_free(h->module);
    wvm_engine_free(h->engine);
    for (uint32_t i = 0; i < h->nfields; i++) {
        free(h->fields[i].name);
        free(h->fields[i].val);
    }
    free(h->fields);
    free(h->objects);
    free(h->accounts);
    free(h->result.p);
    free(h->error.p);
    free(h->events.p);
    free(h->logs.p);
    free(h->trace.p);
    free(h->hbuf);
    free(h);
}

/* Copies s into guest memory through allocate; 0 when it fails. */
static uint32_t th_put(th *h, const char *s, uint32_t n) {
    wvm_val arg = wvm_i32((int32_t)n), res;
    h->status = wvm_func_call(h->store, h->allocate, &arg, 1, &res, 1);
    if (h->status) {
        snprintf(h->trap, sizeof h->trap, "allocate: %s", wvm_store_errmsg(h->store));
        return 0;
    }
    uint32_t p = (uint32_t)res.of.i32;
    if (p == 0 || wvm_instance_memory_write(h->inst, p, s, n)) {
        snprintf(h->trap, sizeof h->trap, "allocate returned %u", p);
        return 0;
    }
    return p;
}

int th_call(th *h, const char *fn, const char *params) {
    buf_clear(&h->result);
    buf_clear(&h->error);
    buf_clear(&h->events);
    buf_clear(&h->logs);
    buf_clear(&h->trace);
    h->has_result = h->has_error = false;
    h->error_kind = 0;
    h->nevents = 0;
    h->trap[0] = 0;
    h->status = WVM_OK;
    uint32_t nl = (uint32_t)strlen(fn), pl = params ? (uint32_t)strlen(params) : 0;
    uint32_t np = th_put(h, fn, nl);
    uint32_t pp = pl ? th_put(h, params, pl) : 0;
    if (!np || (pl && !pp))
        return -1;
    wvm_val args[4] = {wvm_i32((int32_t)np), wvm_i32((int32_t)nl), wvm_i32((int32_t)pp),
                       wvm_i32((int32_t)pl)};
    wvm_val res;
    wvm_status st = wvm_func_call(h->store, h->handle, args, 4, &res, 1);
    h->status = st;
    if (st) {
        snprintf(h->trap, sizeof h->trap, "%s", wvm_store_errmsg(h->store));
        return -1;
    }
    return res.of.i32;
}

const char *th_result(th *h) {
    /* no result set: null, as the node's host answers (abi.md) */
    return !h->has_result ? "null" : h->result.p ? h->result.p : "";
}

const char *th_error(th *h) {
    return h->error.p ? h->error.p : "";
}

uint64_t th_memory_pages(th *h) {
    return wvm_instance_memory_size(h->inst) / 65536;
}

void th_field_set(th *h, const uint8_t id[32], const char *name, const void *val, uint32_t len) {
    th_field *f = host_field(h, id, name, (uint32_t)strlen(name));
    if (!f) {
        h->fields = realloc(h->fields, (h->nfields + 1) * sizeof *h->fields);
        f = &h->fields[h->nfields++];
        memcpy(f->id, id, 32);
        f->name_len = (uint32_t)strlen(name);
        f->name = malloc(f->name_len);
        memcpy(f->name, name, f->name_len);
        f->val = NULL;
    }
    free(f->val);
    f->val = malloc(len ? len : 1);
    memcpy(f->val, val, len);
    f->val_len = len;
}

void th_as(th *h, uint8_t fill) {
    th_addr(h->sender, fill);
    th_addr(h->origin, fill);
}
