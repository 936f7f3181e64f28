/*
 * perthread.c -- per-thread data of objects (perthread.h).
 *
 * A thread's blocks are a list of its own, reached through a
 * thread-local pointer: perthread_get walks it comparing ids, touching
 * nothing another thread writes.  Each object also lists its blocks, so
 * that perthread_free can drop the data of threads still running.
 *
 * Making a block, a thread's exit and perthread_free are rare and take
 * one process-wide lock; it is what lets a thread's exit and an object's
 * free, which both drop data, never overlap.  A block outlives its
 * object's free as an orphan (its thread's list still points at it)
 * until that thread exits or makes its next block.  Object ids are never
 * reused, so an orphan cannot match a newer object at the same address.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/perthread.h"

typedef struct block {
    void *raw;                    /* what malloc gave: the block is aligned in it */
    struct block *tnext;          /* the thread's list */
    struct block *onext, *oprev;  /* the object's list; unlinked when orphaned */
    perthread *owner;             /* NULL once orphaned */
    uint64_t id;                  /* the owner's */
    _Alignas(64) unsigned char data[];
} block;

struct perthread {
    uint64_t id;
    size_t size;
    perthread_fn drop;
    void *user;
    block *blocks;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;     /* only for its destructor: thread_exit */
static bool key_made;
static uint64_t next_id = 1;       /* under reg_mu */
static _Thread_local block *mine;

/* Drops b's data and takes b off its owner's list; under reg_mu. */
static void orphan(block *b) {
    perthread *pt = b->owner;
    if (pt->drop) pt->drop(pt->user, b->data);
    if (b->oprev) b->oprev->onext = b->onext;
    else pt->blocks = b->onext;
    if (b->onext) b->onext->oprev = b->oprev;
    b->onext = b->oprev = NULL;
    b->owner = NULL;
}

/* Frees the calling thread's orphans; under reg_mu. */
static void free_orphans(void) {
    for (block **p = &mine; *p;) {
        block *b = *p;
        if (b->owner) {
            p = &b->tnext;
        } else {
            *p = b->tnext;
            free(b->raw);
        }
    }
}

static void thread_exit(void *unused) {
    (void)unused;
    pthread_mutex_lock(&reg_mu);
    for (block *b = mine, *n; b; b = n) {
        n = b->tnext;
        if (b->owner) orphan(b);
        free(b->raw);
    }
    mine = NULL;
    pthread_mutex_unlock(&reg_mu);
}

static void make_key(void) { key_made = pthread_key_create(&exit_key, thread_exit) == 0; }

perthread *perthread_new(size_t size, perthread_fn drop, void *user) {
    perthread *pt = calloc(1, sizeof *pt);
    if (!pt) return NULL;
    pt->size = size;
    pt->drop = drop;
    pt->user = user;
    pthread_mutex_lock(&reg_mu);
    pt->id = next_id++;
    pthread_mutex_unlock(&reg_mu);
    return pt;
}

void perthread_free(perthread *pt) {
    if (!pt) return;
    pthread_mutex_lock(&reg_mu);
    while (pt->blocks) orphan(pt->blocks);
    free_orphans();
    pthread_mutex_unlock(&reg_mu);
    free(pt);
}

/* The slow path of perthread_get: a new block for this thread. */
static void *make_block(perthread *pt) {
    pthread_once(&key_once, make_key);
    /* without the key, a thread's exit could not drop its data */
    if (!key_made || pthread_setspecific(exit_key, &key_made)) return NULL;
    /* aligned by hand, not aligned_alloc: malloc is what the tests'
     * allocation-failure injection sees */
    size_t size = (offsetof(block, data) + pt->size + 63) & ~(size_t)63;
    void *raw = malloc(size + 64);
    if (!raw) return NULL;
    block *b = (block *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
    memset(b, 0, size);
    b->raw = raw;
    b->owner = pt;
    b->id = pt->id;
    pthread_mutex_lock(&reg_mu);
    free_orphans();
    b->onext = pt->blocks;
    if (pt->blocks) pt->blocks->oprev = b;
    pt->blocks = b;
    b->tnext = mine;
    mine = b;
    pthread_mutex_unlock(&reg_mu);
    return b->data;
}

void *perthread_get(perthread *pt) {
    for (block *b = mine; b; b = b->tnext)
        if (b->id == pt->id) return b->data;
    return make_block(pt);
}

void perthread_each(perthread *pt, perthread_fn fn, void *user) {
    pthread_mutex_lock(&reg_mu);
    for (block *b = pt->blocks; b; b = b->onext) fn(user, b->data);
    pthread_mutex_unlock(&reg_mu);
}
