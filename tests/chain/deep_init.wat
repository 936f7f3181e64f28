;; A callee whose _initialize recurses 40 frames deep (engine_pool_callees,
;; tests/chain/test_pool.c): called with less room than that, its fresh
;; initialization exhausts the stack, and a kept instance must not hide it.
;; Each call checks it sees the image _initialize left ($g 7), then
;; changes it.
(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 4096))
  (global $g (mut i32) (i32.const 0))
  (func $down (param $n i32)
    (if (local.get $n) (then (call $down (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "_initialize")
    (call $down (i32.const 40))
    (global.set $g (i32.const 7)))
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (if (i32.ne (global.get $g) (i32.const 7)) (then (return (i32.const 1))))
    (global.set $g (i32.const 8))
    (i32.const 0)))
