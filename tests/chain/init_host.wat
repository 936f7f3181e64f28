;; A contract whose _initialize reads the block height (engine_pool_init_
;; host, tests/chain/test_pool.c).  handle_contract_call succeeds only if
;; the height it reads now is the one _initialize saw: true of every fresh
;; instance, false of a pooled one reused in a later block -- which is why
;; the host refuses every import while a contract initializes.
(module
  (import "env" "get_block_height" (func $height (result i64)))
  (memory (export "memory") 1)
  (global $h (mut i64) (i64.const 0))
  (global $top (mut i32) (i32.const 4096))
  (func (export "_initialize")
    (global.set $h (call $height)))
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (i64.ne (global.get $h) (call $height))))
