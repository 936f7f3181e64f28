/* expect: banned_thread.c:5:5: error: 'pthread_create' is not allowed in a contract (nondeterministic or host access) */
#include <wvm/contract.h>

typedef unsigned long worker;
int pthread_create(worker *t, const void *attr, void *(*fn)(void *), void *arg);

uint32_t Spawn(wvm_ctx *ctx) { (void)ctx; return 0; }
