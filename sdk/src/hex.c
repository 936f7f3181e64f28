/*
 * hex.c -- the "0x" + hex form of addresses, object IDs and bytes.
 */
#include "sdk.h"

void hex_encode(char *out, const uint8_t *b, uint32_t n) {
    static const char d[] = "0123456789abcdef";
    out[0] = '0';
    out[1] = 'x';
    for (uint32_t i = 0; i < n; i++) {
        out[2 + 2 * i] = d[b[i] >> 4];
        out[3 + 2 * i] = d[b[i] & 15];
    }
    out[2 + 2 * n] = 0;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hex_decode(const char *s, uint32_t len, uint8_t *out, uint32_t n) {
    if (len != 2 + 2 * n || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        int hi = hex_digit(s[2 + 2 * i]), lo = hex_digit(s[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

const char *wvm_address_hex(wvm_ctx *ctx, wvm_address a) {
    (void)ctx;
    char *s = arena_raw(2 + 2 * WVM_ADDRESS_LEN + 1);
    hex_encode(s, a.b, WVM_ADDRESS_LEN);
    return s;
}

const char *wvm_object_id_hex(wvm_ctx *ctx, wvm_object_id id) {
    (void)ctx;
    char *s = arena_raw(2 + 2 * WVM_OBJECT_ID_LEN + 1);
    hex_encode(s, id.b, WVM_OBJECT_ID_LEN);
    return s;
}
