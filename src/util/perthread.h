/*
 * perthread.h -- data an object keeps for each thread that uses it,
 * reached by that thread with no lock and no atomic operation.
 *
 * Why: two threads that take one mutex, or add to one counter, on every
 * query hand that cache line to each other's core every time.  On this
 * project's 2-core machine that alone held two query threads to about
 * 1.6 times one (docs/engine.md, "Query scaling").  What a thread needs
 * on every call -- its kept read transactions, its last modules and
 * their idle instances -- is therefore kept in data of its own.
 *
 * Life of a thread's data: made, zeroed, at the thread's first
 * perthread_get; dropped -- drop(user, data), then freed -- when the
 * thread exits or when the object's perthread_free runs, whichever comes
 * first.  drop runs under a process-wide lock that also covers thread
 * exits and perthread_free, so it never races either; it must not call
 * perthread_get or perthread_free itself.
 *
 * Thread rule: perthread_get, perthread_each and perthread_free may run
 * on any threads at once, but not perthread_free while another thread
 * still uses the object (as with any destroyer).
 */
#ifndef WVM_UTIL_PERTHREAD_H
#define WVM_UTIL_PERTHREAD_H

#include <stddef.h>

typedef struct perthread perthread;
typedef void (*perthread_fn)(void *user, void *data);

/* An object's per-thread data of size bytes, dropped with drop(user,
 * data) (NULL: nothing to drop).  NULL when out of memory. */
perthread *perthread_new(size_t size, perthread_fn drop, void *user);
/* Drops every thread's data.  Accepts NULL. */
void perthread_free(perthread *pt);
/* The calling thread's data, 64-byte aligned; NULL only when it could
 * not be made (out of memory), which callers treat as "no data". */
void *perthread_get(perthread *pt);
/* Calls fn(user, data) on every thread's data, under the lock drop runs
 * under: fn may read what other threads write only through atomics. */
void perthread_each(perthread *pt, perthread_fn fn, void *user);

#endif
