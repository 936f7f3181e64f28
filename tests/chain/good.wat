;; The smallest module deploy accepts: the three exports of the ABI and
;; one host import.  (Calls are the call path's; this never runs.)
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (i32.const 0)))
