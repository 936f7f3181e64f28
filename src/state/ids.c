/*
 * ids.c -- object IDs.  Derived from the chain's position only, never
 * from time or randomness, so every node derives the same IDs:
 *
 *   object:   SHA-256("wvm.object" || height u64 BE || tx index u32 BE
 *                      || counter u32 BE)
 *   default:  SHA-256("wvm.default_object" || contract address[20])
 *
 * The domain strings keep the two families (and any later one) apart.
 * The all-zero ID is never derived (it would need a SHA-256 preimage of
 * zero), which is why contracts may use it to name their default object.
 */
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>
#include "internal.h"

/* SHA-256 fetched once: EVP_sha256() makes every EVP_Digest fetch it
 * again from the provider (a lookup under a lock, per call); it is
 * never freed (one per process, like EVP_sha256's own). */
static EVP_MD *sha_md;
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static void sha_fetch(void) { sha_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

static void sha256(const uint8_t *p, size_t n, uint8_t out[32]) {
    unsigned int len = 32;
    pthread_once(&sha_once, sha_fetch);
    /* One-shot EVP_Digest allocates nothing on failure paths we could
     * handle; a failure here would be libcrypto out of memory on a 64-byte
     * input, and an all-zero ID then names the caller's default object,
     * which never exists as a derived ID: creating it fails cleanly. */
    if (EVP_Digest(p, n, out, &len, sha_md ? sha_md : EVP_sha256(), NULL) != 1) memset(out, 0, 32);
}

void st_object_next_id(st_txn *t, wvm_object_id *out) {
    static const char dom[] = "wvm.object";
    uint8_t buf[sizeof dom - 1 + 16];
    memcpy(buf, dom, sizeof dom - 1);
    keys_put_u64(buf + sizeof dom - 1, t->height);
    keys_put_u32(buf + sizeof dom - 1 + 8, t->tx_index);
    keys_put_u32(buf + sizeof dom - 1 + 12, (*t->object_counter)++);
    sha256(buf, sizeof buf, out->b);
}

void st_default_object_id(const wvm_address *contract, wvm_object_id *out) {
    static const char dom[] = "wvm.default_object";
    uint8_t buf[sizeof dom - 1 + 20];
    memcpy(buf, dom, sizeof dom - 1);
    memcpy(buf + sizeof dom - 1, contract->b, 20);
    sha256(buf, sizeof buf, out->b);
}
