;; wvm's own conformance script (run with the spec suite by `make test`):
;; loads and stores whose address comes from the i32.add just before them
;; are translated into one fused instruction (src/wasm/ops.h).  These check
;; that every form keeps wasm's semantics: the add wraps at 2^32, the
;; memarg offset does not, a local.tee'd sum stays in the local, and a
;; branch landing between the add and the access stops the fusion.

(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 65528) "\f1\f2\f3\f4\f5\f6\f7\f8")

  ;; _RI: base + constant, offset 0
  (func (export "ri") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 4))))
  (func (export "ri8s") (param i32) (result i32)
    (i32.load8_s (i32.add (local.get 0) (i32.const 65528))))
  (func (export "ri64") (param i32) (result i64)
    (i64.load (i32.add (local.get 0) (i32.const -8))))
  ;; not fused (offset 4): the add wraps, then the offset is added unwrapped
  (func (export "ri_off") (param i32) (result i32)
    (i32.load offset=4 (i32.add (local.get 0) (i32.const 4))))

  ;; _RIT: p = p + k, then p[0]; the local keeps the sum
  (func (export "rit") (param i32) (result i64)
    (local i32)
    (local.set 1 (i32.load16_u (local.tee 0 (i32.add (local.get 0) (i32.const 2)))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 32))
            (i64.extend_i32_u (local.get 1))))

  ;; _RR: base + index, offset below 2^16
  (func (export "rr") (param i32 i32) (result i32)
    (i32.load offset=8 (i32.add (local.get 0) (local.get 1))))
  (func (export "rr0") (param i32 i32) (result i32)
    (i32.load8_u (i32.add (local.get 0) (local.get 1))))
  ;; offset too large for the fused form
  (func (export "rr_big") (param i32 i32) (result i32)
    (i32.load8_u offset=65536 (i32.add (local.get 0) (local.get 1))))

  ;; _RRT: t = base + index, then t[0]; t is returned too
  (func (export "rrt") (param i32 i32) (result i32 i32)
    (local i32)
    (i32.load8_u (local.tee 2 (i32.add (local.get 0) (local.get 1))))
    (local.get 2))

  (func (export "rrt1") (param i32 i32) (result i32)
    (local i32)
    (i32.add (i32.load8_u (local.tee 2 (i32.add (local.get 0) (local.get 1))))
             (local.get 2)))

  ;; read-modify-write through a tee'd address, as clang writes p[i] += v
  (func (export "rmw") (param i32 i32 i32) (result i32)
    (local i32)
    (i32.store
      (local.tee 3 (i32.add (local.get 0) (local.get 1)))
      (i32.add (i32.load (local.get 3)) (local.get 2)))
    (i32.load (local.get 3)))

  ;; stores in each form
  (func (export "st_ri") (param i32 i32) (result i32)
    (i32.store (i32.add (local.get 0) (i32.const 100)) (local.get 1))
    (i32.load (i32.const 100)))
  (func (export "st_rr") (param i32 i32 i32) (result i32)
    (i32.store16 offset=3 (i32.add (local.get 0) (local.get 1)) (local.get 2))
    (i32.load16_u (i32.const 203)))
  (func (export "st_rit") (param i32 i32) (result i32)
    (i32.store8 (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (local.get 1))
    (i32.add (i32.mul (local.get 0) (i32.const 256)) (i32.load8_u (local.get 0))))
  ;; the stored value is the tee'd sum itself
  (func (export "st_rrt_self") (param i32 i32) (result i32)
    (local i32)
    (i32.store (local.tee 2 (i32.add (local.get 0) (local.get 1))) (local.get 2))
    (i32.load (local.get 2)))

  ;; constant stores (_K when the constant fits 16 bits sign-extended)
  (func (export "k_i64") (result i64)
    (i64.store (i32.const 300) (i64.const -1))
    (i64.load (i32.const 300)))
  (func (export "k_i64_big") (result i64)
    (i64.store (i32.const 300) (i64.const 0x8000))
    (i64.load (i32.const 300)))
  (func (export "k_i32_min") (result i32)
    (i32.store (i32.const 308) (i32.const -32768))
    (i32.load (i32.const 308)))
  (func (export "k_i32_edge") (result i32)
    (i32.store (i32.const 308) (i32.const 32768))
    (i32.load (i32.const 308)))
  (func (export "k_8") (result i32)
    (i32.store (i32.const 312) (i32.const 0))
    (i32.store8 (i32.const 312) (i32.const 0x1ff))
    (i32.load (i32.const 312)))
  (func (export "k_16") (result i32)
    (i32.store (i32.const 312) (i32.const 0))
    (i32.store16 offset=1 (i32.const 312) (i32.const 0x12345))
    (i32.load (i32.const 312)))
  (func (export "k_i64_32") (result i64)
    (i64.store (i32.const 320) (i64.const 0))
    (i64.store32 (i32.const 320) (i64.const -2))
    (i64.load (i32.const 320)))
  (func (export "k_f64_negzero") (result i64)
    (f64.store (i32.const 328) (f64.const -0))
    (i64.load (i32.const 328)))
  (func (export "k_f32_zero") (result i32)
    (i32.store (i32.const 336) (i32.const -1))
    (f32.store (i32.const 336) (f32.const 0))
    (i32.load (i32.const 336)))
  (func (export "k_oob") (param i32)
    (i32.store8 offset=65535 (local.get 0) (i32.const 7)))

  ;; a branch lands between the add and the load: the add's result is
  ;; not the only value that can reach the load
  (func (export "landing") (param i32 i32) (result i32)
    (i32.load8_u
      (block (result i32)
        (drop (br_if 0 (i32.const 9) (local.get 1)))
        (i32.add (local.get 0) (i32.const 1)))))
)

(assert_return (invoke "ri" (i32.const 0)) (i32.const 0x08070605))
(assert_return (invoke "ri" (i32.const -4)) (i32.const 0x04030201))
(assert_return (invoke "ri" (i32.const 65528)) (i32.const 0xf8f7f6f5))
(assert_trap (invoke "ri" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "ri" (i32.const -5)) "out of bounds memory access")
(assert_return (invoke "ri8s" (i32.const 0)) (i32.const -15))
(assert_return (invoke "ri8s" (i32.const -65528)) (i32.const 1))
(assert_return (invoke "ri64" (i32.const 8)) (i64.const 0x0807060504030201))
(assert_return (invoke "ri64" (i32.const 65536)) (i64.const 0xf8f7f6f5f4f3f2f1))
(assert_trap (invoke "ri64" (i32.const 7)) "out of bounds memory access")
(assert_return (invoke "ri_off" (i32.const 0)) (i32.const 0x0c0b0a09))
(assert_return (invoke "ri_off" (i32.const -4)) (i32.const 0x08070605))
(assert_trap (invoke "ri_off" (i32.const 65528)) "out of bounds memory access")

(assert_return (invoke "rit" (i32.const 0)) (i64.const 0x0000000200000403))
(assert_return (invoke "rit" (i32.const -2)) (i64.const 0x0000000000000201))
(assert_trap (invoke "rit" (i32.const 65533)) "out of bounds memory access")

(assert_return (invoke "rr" (i32.const 1) (i32.const 2)) (i32.const 0x0f0e0d0c))
(assert_return (invoke "rr" (i32.const -16) (i32.const 20)) (i32.const 0x100f0e0d))
(assert_trap (invoke "rr" (i32.const -16) (i32.const 8)) "out of bounds memory access")
(assert_trap (invoke "rr" (i32.const 65524) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "rr0" (i32.const -1) (i32.const 16)) (i32.const 0x10))
(assert_return (invoke "rr0" (i32.const 65535) (i32.const 0)) (i32.const 0xf8))
(assert_trap (invoke "rr0" (i32.const 65535) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "rr_big" (i32.const 0) (i32.const 0)) "out of bounds memory access")

(assert_return (invoke "rrt" (i32.const 3) (i32.const 4)) (i32.const 8) (i32.const 7))
(assert_return (invoke "rrt" (i32.const -1) (i32.const 1)) (i32.const 1) (i32.const 0))
(assert_trap (invoke "rrt1" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "rrt1" (i32.const 65535) (i32.const 0)) (i32.const 0x100f7))

(assert_return (invoke "rmw" (i32.const 400) (i32.const 4) (i32.const 5)) (i32.const 5))
(assert_return (invoke "rmw" (i32.const 400) (i32.const 4) (i32.const -7)) (i32.const -2))
(assert_return (invoke "rmw" (i32.const -4) (i32.const 8) (i32.const 0x10)) (i32.const 0x08070615))

(assert_return (invoke "st_ri" (i32.const 0) (i32.const 0x11223344)) (i32.const 0x11223344))
(assert_return (invoke "st_ri" (i32.const -1) (i32.const 7)) (i32.const 0x11000000))
(assert_trap (invoke "st_ri" (i32.const 65436) (i32.const 7)) "out of bounds memory access")
(assert_return (invoke "st_rr" (i32.const 100) (i32.const 100) (i32.const 0xabcdef)) (i32.const 0xcdef))
(assert_return (invoke "st_rr" (i32.const -100) (i32.const 300) (i32.const 0x5555)) (i32.const 0x5555))
(assert_trap (invoke "st_rr" (i32.const -3) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "st_rit" (i32.const 499) (i32.const 0x5a)) (i32.const 0x1f45a))
(assert_trap (invoke "st_rit" (i32.const 65535) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "st_rrt_self" (i32.const 500) (i32.const 12)) (i32.const 512))

(assert_return (invoke "k_i64") (i64.const -1))
(assert_return (invoke "k_i64_big") (i64.const 0x8000))
(assert_return (invoke "k_i32_min") (i32.const -32768))
(assert_return (invoke "k_i32_edge") (i32.const 32768))
(assert_return (invoke "k_8") (i32.const 0xff))
(assert_return (invoke "k_16") (i32.const 0x234500))
(assert_return (invoke "k_i64_32") (i64.const 0xfffffffe))
(assert_return (invoke "k_f64_negzero") (i64.const 0x8000000000000000))
(assert_return (invoke "k_f32_zero") (i32.const 0))
(assert_trap (invoke "k_oob" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "k_oob" (i32.const 0)))

(assert_return (invoke "landing" (i32.const 3) (i32.const 0)) (i32.const 0x15)) ;; rmw added 0x10
(assert_return (invoke "landing" (i32.const 3) (i32.const 1)) (i32.const 10))

;; stores of a small constant at a fused address (_KRI, _KRR)
(module
  (memory 1)
  ;; _KRI, _KRR: a small constant stored at a fused address, read back
  (func (export "kri") (param i32) (result i32)
    (i32.store (i32.add (local.get 0) (i32.const 8)) (i32.const -3))
    (i32.load (i32.add (local.get 0) (i32.const 8))))
  (func (export "kri8") (param i32) (result i32)
    (i32.store8 (i32.add (local.get 0) (i32.const 65535)) (i32.const 0x7ff))
    (i32.load8_u offset=65535 (local.get 0)))
  (func (export "krr") (param i32 i32) (result i64)
    (i64.store offset=16 (i32.add (local.get 0) (local.get 1)) (i64.const -1000))
    (i64.load offset=16 (i32.add (local.get 0) (local.get 1))))
  (func (export "krr16") (param i32 i32) (result i32)
    (i32.store16 offset=1 (i32.add (local.get 0) (local.get 1)) (i32.const 32767))
    (i32.load offset=1 (i32.add (local.get 0) (local.get 1))))
  ;; an offset past 2^16 does not fit the fused form
  (func (export "krr_big") (param i32 i32) (result i32)
    (i32.store8 offset=65536 (i32.add (local.get 0) (local.get 1)) (i32.const 1))
    (i32.const 0))
)

(assert_return (invoke "kri" (i32.const 0)) (i32.const -3))
(assert_return (invoke "kri" (i32.const 65524)) (i32.const -3))
(assert_trap (invoke "kri" (i32.const 65525)) "out of bounds memory access")
(assert_return (invoke "kri" (i32.const -8)) (i32.const -3))
(assert_return (invoke "kri" (i32.const -5)) (i32.const -3))
(assert_return (invoke "kri8" (i32.const 0)) (i32.const 255))
(assert_trap (invoke "kri8" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "kri8" (i32.const -65535)) "out of bounds memory access")
(assert_return (invoke "krr" (i32.const 100) (i32.const 20)) (i64.const -1000))
(assert_return (invoke "krr" (i32.const 65512) (i32.const 0)) (i64.const -1000))
(assert_trap (invoke "krr" (i32.const 65512) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "krr" (i32.const -16) (i32.const 16)) (i64.const -1000))
(assert_return (invoke "krr16" (i32.const 3) (i32.const 4)) (i32.const -32769))
(assert_return (invoke "krr16" (i32.const 65531) (i32.const 0)) (i32.const -32769))
(assert_trap (invoke "krr16" (i32.const 65533) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "krr16" (i32.const -1) (i32.const 1)) (i32.const -163841))
(assert_trap (invoke "krr_big" (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "krr_big" (i32.const -65536) (i32.const 0)) "out of bounds memory access")
