/* expect: banned_fopen.c:6:14: error: 'fopen' is not allowed in a contract (nondeterministic or host access) */
#include <wvm/contract.h>
#include <stddef.h>

struct file;
struct file *fopen(const char *path, const char *mode);

bool Exists(wvm_ctx *ctx, const char *path) { (void)ctx; (void)path; return false; }
