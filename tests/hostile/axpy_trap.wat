;; axpy_trap.wat -- y[i] += a * x[i] fused into one instruction
;; (compile.c, fuse_axpy) must report the access that traps first in wasm
;; order, as the separate instructions would (test_limits.c).
(module
  (memory 1)
  ;; x loaded first (at p + q), y after it (at y + 8)
  (func (export "x_first") (param $y i32) (param $p i32) (param $q i32) (param $a f64) (result i32)
    (local $t i32)
    local.get $y
    local.get $a
    local.get $p
    local.get $q
    i32.add
    local.tee $t
    f64.load
    f64.mul
    local.get $y
    f64.load offset=8
    f64.add
    f64.store offset=8
    local.get $t)
  ;; y loaded first (at p + q), x after it (at r + s)
  (func (export "y_first") (param $p i32) (param $q i32) (param $r i32) (param $s i32) (param $a i64) (result i32)
    (local $ty i32) (local $tx i32)
    local.get $p
    local.get $q
    i32.add
    local.tee $ty
    local.get $ty
    i64.load
    local.get $r
    local.get $s
    i32.add
    local.tee $tx
    i64.load
    local.get $a
    i64.mul
    i64.add
    i64.store
    local.get $tx)
)
