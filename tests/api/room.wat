;; wvm_caller_room (tests/unit/test_extern.c): go(n) recurses n frames
;; deep, then calls env.room, which records what a nested call made
;; there would have.
(module
  (import "env" "room" (func $room))
  (func $go (export "go") (param $n i32)
    (local $pad i64) (local $pad2 i64)
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (call $go (i32.sub (local.get $n) (i32.const 1))))
      (else (call $room)))))
