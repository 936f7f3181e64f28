/*
 * lattice.c -- the state root's accumulator: a lattice hash.
 *
 * Each state entry (key, value) maps to a vector of 1,024 16-bit lanes:
 *     seed   = SHA-256(u32 BE key length || key || value)
 *     vector = the first 2,048 bytes of the ChaCha20 keystream under key
 *              seed, nonce 0, counter 0, read as little-endian u16
 * The accumulator is the lane-wise sum mod 2^16 of the vectors of every
 * entry; the root is SHA-256 of the accumulator's 2,048 bytes.  Addition
 * commutes, so the root depends on the set of entries only, and changing
 * one entry costs O(1): subtract its old vector, add the new.  (The
 * construction is Solana's accounts lattice hash.  Solana expands with
 * BLAKE3's XOF; SHAKE256 was our first choice, but measured 10 us per
 * 2 KiB expansion here against 1.5 us for SHA-256 + ChaCha20, which is a
 * standard hash-then-stream-cipher expansion.)
 */
#include <openssl/evp.h>
#include <string.h>
#include "internal.h"

bool lattice_hasher_init(lattice_hasher *h) {
    memset(h, 0, sizeof *h);
    h->sha = EVP_MD_fetch(NULL, "SHA256", NULL);
    h->chacha = EVP_CIPHER_fetch(NULL, "ChaCha20", NULL);
    h->md = EVP_MD_CTX_new();
    h->md0 = EVP_MD_CTX_new();
    h->cc = EVP_CIPHER_CTX_new();
    /* Set up once: a SHA-256 context to start each seed from (copying it
     * is cheaper than a digest init), and the cipher, so that each
     * expansion only sets its key (a full EVP_EncryptInit_ex with the
     * cipher measured about a quarter of a 2 KiB expansion). */
    if (h->sha && h->chacha && h->md && h->md0 && h->cc &&
        EVP_DigestInit_ex(h->md0, h->sha, NULL) && EVP_EncryptInit_ex(h->cc, h->chacha, NULL, NULL, NULL))
        return true;
    lattice_hasher_free(h);
    return false;
}

void lattice_hasher_free(lattice_hasher *h) {
    EVP_MD_free(h->sha);
    EVP_CIPHER_free(h->chacha);
    EVP_MD_CTX_free(h->md);
    EVP_MD_CTX_free(h->md0);
    EVP_CIPHER_CTX_free(h->cc);
    memset(h, 0, sizeof *h);
}

static const uint8_t zeros[2 * LATTICE_LANES];

bool lattice_seed(lattice_hasher *h, const uint8_t *key, size_t klen, const void *a, size_t alen,
                  const void *b, size_t blen, uint8_t seed[32]) {
    uint8_t pre[4];
    keys_put_u32(pre, (uint32_t)klen);
    unsigned int n = 32;
    return EVP_MD_CTX_copy_ex(h->md, h->md0) && EVP_DigestUpdate(h->md, pre, 4) &&
           EVP_DigestUpdate(h->md, key, klen) && (alen == 0 || EVP_DigestUpdate(h->md, a, alen)) &&
           (blen == 0 || EVP_DigestUpdate(h->md, b, blen)) && EVP_DigestFinal_ex(h->md, seed, &n);
}

static bool expand(lattice_hasher *h, const uint8_t seed[32], uint8_t out[2 * LATTICE_LANES]) {
    uint8_t iv[16] = { 0 };
    int ol = 0;
    return EVP_EncryptInit_ex(h->cc, NULL, NULL, seed, iv) &&
           EVP_EncryptUpdate(h->cc, out, &ol, zeros, sizeof zeros) && ol == (int)sizeof zeros;
}

bool lattice_add_seed(lattice_hasher *h, st_lattice *acc, const uint8_t seed[32], int sign) {
    uint8_t v[2 * LATTICE_LANES];
    if (!expand(h, seed, v)) return false;
    if (sign > 0) {
        for (int i = 0; i < LATTICE_LANES; i++)
            acc->lane[i] = (uint16_t)(acc->lane[i] + (v[2 * i] | v[2 * i + 1] << 8));
    } else {
        for (int i = 0; i < LATTICE_LANES; i++)
            acc->lane[i] = (uint16_t)(acc->lane[i] - (v[2 * i] | v[2 * i + 1] << 8));
    }
    return true;
}

bool lattice_mix(lattice_hasher *h, st_lattice *acc, const uint8_t *key, size_t klen,
                 const uint8_t *val, size_t vlen, int sign) {
    uint8_t seed[32];
    return lattice_seed(h, key, klen, val, vlen, NULL, 0, seed) && lattice_add_seed(h, acc, seed, sign);
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
