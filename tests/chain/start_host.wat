;; A contract whose start function asks the host for the sender through
;; call_host_set (engine_pool_init_host, tests/chain/test_pool.c): the
;; host refuses, as it refuses every import while a contract initializes.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 4096))
  (func $start (drop (call $host (i32.const 1) (i32.const 0) (i32.const 0))))
  (start $start)
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (i32.const 0)))
