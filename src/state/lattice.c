/*
 * lattice.c -- the state root's accumulator: a lattice hash.
 *
 * Each state entry (key, value) maps to a vector of 1,024 16-bit lanes:
 * SHAKE256 of  u32 BE key length || key || value, 2,048 bytes of output
 * read as little-endian u16.  The accumulator is the lane-wise sum mod
 * 2^16 of the vectors of every entry; the root is SHA-256 of the
 * accumulator's 2,048 bytes.  Addition commutes, so the root depends on
 * the set of entries only, and changing one entry is O(1): subtract its
 * old vector, add the new.  (The construction is Solana's accounts
 * lattice hash; the length prefix keeps key and value apart.)
 */
#include <openssl/evp.h>
#include <string.h>
#include "internal.h"

static bool expand(const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen,
                   uint8_t out[2 * LATTICE_LANES]) {
    uint8_t pre[4];
    keys_put_u32(pre, (uint32_t)klen);
    /* A fresh context per entry: EVP_MD_CTX_new cannot share one across
     * threads, and the allocation is small next to the hash itself. */
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_shake256(), NULL) &&
             EVP_DigestUpdate(c, pre, 4) && EVP_DigestUpdate(c, key, klen) &&
             EVP_DigestUpdate(c, val, vlen) &&
             EVP_DigestFinalXOF(c, out, 2 * LATTICE_LANES);
    EVP_MD_CTX_free(c);
    return ok;
}

bool lattice_mix(st_lattice *acc, const uint8_t *key, size_t klen, const uint8_t *val,
                 size_t vlen, int sign) {
    uint8_t h[2 * LATTICE_LANES];
    if (!expand(key, klen, val, vlen, h)) return false;
    if (sign > 0) {
        for (int i = 0; i < LATTICE_LANES; i++)
            acc->lane[i] = (uint16_t)(acc->lane[i] + (h[2 * i] | h[2 * i + 1] << 8));
    } else {
        for (int i = 0; i < LATTICE_LANES; i++)
            acc->lane[i] = (uint16_t)(acc->lane[i] - (h[2 * i] | h[2 * i + 1] << 8));
    }
    return true;
}

void lattice_store(const st_lattice *acc, uint8_t out[2 * LATTICE_LANES]) {
    for (int i = 0; i < LATTICE_LANES; i++) {
        out[2 * i] = (uint8_t)acc->lane[i];
        out[2 * i + 1] = (uint8_t)(acc->lane[i] >> 8);
    }
}

void lattice_load(st_lattice *acc, const uint8_t in[2 * LATTICE_LANES]) {
    for (int i = 0; i < LATTICE_LANES; i++)
        acc->lane[i] = (uint16_t)(in[2 * i] | in[2 * i + 1] << 8);
}

bool lattice_root(const st_lattice *acc, wvm_hash *root) {
    uint8_t buf[2 * LATTICE_LANES];
    lattice_store(acc, buf);
    unsigned int n = 32;
    return EVP_Digest(buf, sizeof buf, root->b, &n, EVP_sha256(), NULL) == 1;
}
