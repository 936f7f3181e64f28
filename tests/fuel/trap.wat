;; trap.wat -- traps in the middle of a block.  A block is paid in full
;; at its head, so the fuel used after a trap includes the instructions
;; of the trapping block that never ran.
(module
  ;; div(a, b) = a / b + 100
  ;;   i32.const 1, drop, local.get 0, local.get 1, i32.div_s,
  ;;   i32.const 100, i32.add, end = 8
  ;; div(10, 2) = 105, fuel 8;  div(1, 0) traps div_zero, fuel 8
  ;; div(0x80000000, -1) traps int_overflow, fuel 8
  (func (export "div") (param i32 i32) (result i32)
    i32.const 1
    drop
    local.get 0
    local.get 1
    i32.div_s
    i32.const 100
    i32.add)

  ;; unreach(x) = x ? trap : 3
  ;;   B0: local.get 0, if                = 2
  ;;   T:  unreachable                    = 1 (the if's `end` is dead)
  ;;   A:  i32.const 3, end               = 2
  ;; unreach(1): trap unreachable, fuel 3;  unreach(0) = 3, fuel 4
  (func (export "unreach") (param i32) (result i32)
    local.get 0
    if
      unreachable
    end
    i32.const 3)

  ;; deep(x): a trap one call down.  outer: local.get 0, call, i32.const 1,
  ;; i32.add, end = 5; $inner: local.get 0, i32.const 0, i32.div_u, end = 4
  ;; deep(6): traps div_zero, fuel 9
  (func $inner (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u)
  (func (export "deep") (param i32) (result i32)
    local.get 0
    call $inner
    i32.const 1
    i32.add)
)
