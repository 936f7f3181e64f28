;; reenter.wat -- a host function that calls back into the guest.  The
;; fuel of the nested call belongs to the outer call.  The test provides
;;   env.reenter(): calls this instance's "inner" export through
;;                  wvm_func_call and charges nothing itself
(module
  (import "env" "reenter" (func $reenter))
  ;; inner() = 5: i32.const 2, i32.const 3, i32.add, end = 4
  (func (export "inner") (result i32)
    i32.const 2
    i32.const 3
    i32.add)
  ;; outer() = 1: call, call, i32.const 1, end = 4, + 2 * inner (4) = 12
  (func (export "outer") (result i32)
    call $reenter
    call $reenter
    i32.const 1)
)
