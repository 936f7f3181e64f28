;; A caller that calls from deep in its own stack (engine_pool_callees,
;; tests/chain/test_pool.c): a function named by N bytes recurses N
;; frames, then calls function "i" of the transaction's sender (the test
;; makes the callee's address the sender).  A callee's failure becomes
;; this contract's error, its message kept.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (import "env" "call_host_get_buffer" (func $getbuf (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 0x8000))
  ;; call: [20][target 0x804][1]i[2]{}[8][cap 0]
  (data (i32.const 0x800) "\14\00\00\00")
  (data (i32.const 0x818) "\01\00\00\00i\02\00\00\00{}\08\00\00\00")
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func $down (param $n i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $n) (i32.const 1))
      (then (call $down (i32.sub (local.get $n) (i32.const 1))))
      (else
        (drop (call $host (i32.const 3) (i32.const 0) (i32.const 0)))     ;; origin
        (drop (call $getbuf (i32.const 0x804) (i32.const 20)))
        (call $host (i32.const 40) (i32.const 0x800) (i32.const 47)))))
  (func (export "handle_contract_call") (param $np i32) (param $nl i32) (param $pp i32) (param $pl i32) (result i32)
    (local $n i32)
    (if (i32.ge_s (call $down (local.get $nl)) (i32.const 0)) (then (return (i32.const 0))))
    ;; the buffer is (u32 kind, message): set_error (code 0, message)
    (local.set $n (call $getbuf (i32.const 0x900) (i32.const 0x4000)))
    (i32.store (i32.const 0x904) (i32.const 0))
    (drop (call $host (i32.const 33) (i32.const 0x900) (local.get $n)))
    (i32.const 1)))
