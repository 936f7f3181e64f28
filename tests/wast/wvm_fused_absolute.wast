;; wvm's own conformance script (run with the spec suite by `make test`):
;; loads and stores at a constant address (C's globals: i32.const, then the
;; access) are one instruction with the effective address in it (_A, and
;; _KA for a small constant stored; src/wasm/ops.h).  These check the last
;; bytes of memory, one past them, an address plus offset past 2^32 (not
;; fused, a trap all the same), a store that traps and leaves memory as it
;; was, and the same constant address before and after memory.grow.
;; The assertions run in order on one instance; expected values are V8's
;; (node 20), run in the same order.

(module
  (memory 1 2)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data (i32.const 65528) "\f1\f2\f3\f4\f5\f6\f7\f8")

  ;; _A loads: a constant address, with and without an offset
  (func (export "ld0") (result i32) (i32.load (i32.const 0)))
  (func (export "ld_off") (result i32) (i32.load offset=2 (i32.const 1)))
  (func (export "ld_last") (result i32) (i32.load (i32.const 65532)))
  (func (export "ld_past") (result i32) (i32.load (i32.const 65533)))
  (func (export "ld8s_last") (result i32) (i32.load8_s offset=65535 (i32.const 0)))
  (func (export "ld64") (result i64) (i64.load offset=65520 (i32.const 8)))
  (func (export "ld16u_past") (result i32) (i32.load16_u offset=65534 (i32.const 1)))
  ;; the address plus the offset is past 2^32: no fused form, still a trap
  (func (export "ld_wrap") (result i32) (i32.load offset=2 (i32.const -1)))
  (func (export "ld_top") (result i32) (i32.load8_u offset=0 (i32.const -1)))
  ;; after memory.grow the same constant address is in bounds
  (func (export "ld_grown") (result i32) (i32.load offset=65536 (i32.const 4)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))

  ;; _A stores of a register value, _KA stores of a small constant;
  ;; each reads the bytes back
  (func (export "st_a") (param i32) (result i32)
    (i32.store offset=100 (i32.const 4) (local.get 0))
    (i32.load (i32.const 104)))
  (func (export "st_a64") (param i64) (result i64)
    (i64.store (i32.const 65528) (local.get 0))
    (i64.load (i32.const 65528)))
  (func (export "st_af64") (param f64) (result i64)
    (f64.store (i32.const 200) (local.get 0))
    (i64.load (i32.const 200)))
  (func (export "st_ka") (result i32)
    (i32.store (i32.const 300) (i32.const -2))
    (i32.load (i32.const 300)))
  (func (export "st_ka64") (result i64)
    (i64.store offset=8 (i32.const 300) (i64.const -32768))
    (i64.load (i32.const 308)))
  (func (export "st_ka8") (result i32)
    (i32.store8 (i32.const 400) (i32.const 0x1ff))
    (i32.load (i32.const 400)))
  (func (export "st_ka16_past") (result i32)
    (i32.store16 (i32.const 65535) (i32.const 7))
    (i32.const 1))
  (func (export "st_a_past") (param i32) (result i32)
    (i32.store offset=65533 (i32.const 0) (local.get 0))
    (i32.const 1))
  (func (export "last_bytes") (result i64) (i64.load (i32.const 65528)))
)

(assert_return (invoke "ld0") (i32.const 67305985))
(assert_return (invoke "ld_off") (i32.const 117835012))
(assert_return (invoke "ld_last") (i32.const -117967115))
(assert_trap (invoke "ld_past") "out of bounds memory access")
(assert_return (invoke "ld8s_last") (i32.const -8))
(assert_return (invoke "ld64") (i64.const -506664896818842895))
(assert_trap (invoke "ld16u_past") "out of bounds memory access")
(assert_trap (invoke "ld_wrap") "out of bounds memory access")
(assert_trap (invoke "ld_top") "out of bounds memory access")
(assert_trap (invoke "ld_grown") "out of bounds memory access")
(assert_return (invoke "st_a" (i32.const 1432778632)) (i32.const 1432778632))
(assert_return (invoke "st_a64" (i64.const 72623859790382856)) (i64.const 72623859790382856))
(assert_return (invoke "st_af64" (f64.const -1.5)) (i64.const -4613937818241073152))
(assert_return (invoke "st_ka") (i32.const -2))
(assert_return (invoke "st_ka64") (i64.const -32768))
(assert_return (invoke "st_ka8") (i32.const 255))
(assert_trap (invoke "st_ka16_past") "out of bounds memory access")
(assert_trap (invoke "st_a_past" (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "last_bytes") (i64.const 72623859790382856))
(assert_return (invoke "grow") (i32.const 1))
(assert_return (invoke "ld_grown") (i32.const 0))
(assert_return (invoke "ld_past") (i32.const 66051))
(assert_return (invoke "st_ka16_past") (i32.const 1))
(assert_return (invoke "ld16u_past") (i32.const 7))
