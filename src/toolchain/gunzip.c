/*
 * gunzip.c -- step 1: the input bytes become C source text.  gzip input
 * (magic 1f 8b) is inflated; either way the text is bounded by
 * opts->max_source, checked while inflating so a small bomb cannot make
 * us allocate much more than the bound.
 */
#include <string.h>
#include <zlib.h>
#include "toolchain.h"

static bool too_big(const tc_options *o) {
    toolchain_error(o, 1, 1, "source is larger than %zu bytes (the limit of a contract's source)",
                    o->max_source);
    return false;
}

static bool inflate_bounded(const tc_options *o, const uint8_t *in, size_t len, tc_buf *out) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        toolchain_error(o, 1, 1, "cannot start decompression");
        return false;
    }
    uint8_t chunk[16384];
    const uint8_t *p = in;
    size_t left = len;
    int rc = Z_OK;
    bool ok = true;
    while (rc != Z_STREAM_END) {
        if (z.avail_in == 0) {
            if (left == 0) break;
            uInt take = left > 1u << 30 ? 1u << 30 : (uInt)left;
            z.next_in = (Bytef *)p;
            z.avail_in = take;
            p += take;
            left -= take;
        }
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        size_t got = sizeof chunk - z.avail_out;
        if (out->len + got > o->max_source) {
            ok = too_big(o);
            break;
        }
        if (!tcbuf_append(out, chunk, got)) {
            toolchain_error(o, 1, 1, "out of memory decompressing the source");
            ok = false;
            break;
        }
    }
    if (ok && rc != Z_STREAM_END) {
        toolchain_error(o, 1, 1, "gzip input is truncated or corrupt%s%s",
                        z.msg ? ": " : "", z.msg ? z.msg : "");
        ok = false;
    }
    if (ok && (z.avail_in != 0 || left != 0)) {
        toolchain_error(o, 1, 1, "gzip input has data after its end");
        ok = false;
    }
    inflateEnd(&z);
    return ok;
}

bool gunzip_source(const tc_options *o, const uint8_t *in, size_t len, tc_buf *source) {
    bool ok;
    if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
        ok = inflate_bounded(o, in, len, source);
    } else if (len > o->max_source) {
        ok = too_big(o);
    } else {
        ok = tcbuf_append(source, in, len);
        if (!ok) toolchain_error(o, 1, 1, "out of memory reading the source");
    }
    const uint8_t *nul = ok && source->len ? memchr(source->data, 0, source->len) : NULL;
    if (nul) {
        unsigned line = 1, col = 1;
        for (const uint8_t *p = source->data; p < nul; p++) {
            if (*p == '\n') line++, col = 1;
            else col++;
        }
        toolchain_error(o, line, col, "source contains a NUL byte (not C text)");
        ok = false;
    }
    if (!ok) tcbuf_free(source);
    return ok;
}
