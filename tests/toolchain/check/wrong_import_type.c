/* expect: wvm build: the module breaks the contract ABI: it does not link with the host functions: incompatible import type: function env.get_block_height has the wrong signature */
#include <wvm/contract.h>

/* A host function of the ABI imported with the wrong type. */
__attribute__((import_module("env"), import_name("get_block_height")))
int32_t height32(int32_t x);

uint32_t Height(wvm_ctx *ctx) { (void)ctx; return (uint32_t)height32(1); }
