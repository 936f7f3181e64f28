;; wvm's own conformance script (run with the spec suite by `make test`):
;; array accesses whose address is a shifted index plus a constant (_SI)
;; or plus a register (_SR) are one fused instruction (src/wasm/ops.h).
;; These check that both keep wasm's semantics: the shift count is taken
;; mod 32, the shift and the add wrap at 2^32, the memarg offset does not,
;; a local.tee'd shift stays in its local, and a branch landing between
;; the shift and the add stops the fusion.  The last two functions check
;; that a multiply-add never takes a load with a fused address for a
;; plain one (it once did, and lost the wraparound of the address add).
;; Expected values are V8's (node 20).

(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f\20")
  (data (i32.const 65528) "\f1\f2\f3\f4\f5\f6\f7\f8")

  ;; _SI: (x << k) + constant, with and without a memarg offset
  (func (export "si") (param i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4))))
  (func (export "si_off") (param i32) (result i32)
    (i32.load offset=3 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4))))
  (func (export "si8") (param i32) (result i32)
    (i32.load8_s offset=65520 (i32.add (i32.shl (local.get 0) (i32.const 1)) (i32.const 1))))
  (func (export "si64") (param i32) (result i64)
    (i64.load (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const -8))))
  (func (export "sif64") (param i32) (result i64)
    (i64.reinterpret_f64
      (f64.load offset=1 (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 7)))))
  ;; a shift count past 31 is taken mod 32
  (func (export "si_k34") (param i32) (result i32)
    (i32.load16_u (i32.add (i32.shl (local.get 0) (i32.const 34)) (i32.const 2))))

  ;; _SR: (x << k) + y, either operand order
  (func (export "sr") (param i32 i32) (result i32)
    (i32.load offset=2 (i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 2)))))
  (func (export "sr_swap") (param i32 i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1))))
  (func (export "sr_off") (param i32 i32) (result i64)
    (i64.load32_u offset=65000 (i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 4)))))

  ;; stores in both forms; the stored word is read back
  (func (export "st_si") (param i32 i32) (result i32)
    (i32.store offset=8 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 100)) (local.get 1))
    (i32.load offset=108 (i32.shl (local.get 0) (i32.const 2))))
  (func (export "st_sr") (param i32 i32 i32) (result i32)
    (i32.store16 offset=1 (i32.add (local.get 2) (i32.shl (local.get 0) (i32.const 1))) (local.get 1))
    (i32.load offset=1 (i32.add (local.get 2) (i32.shl (local.get 0) (i32.const 1)))))
  (func (export "st_si64") (param i32 i64) (result i64)
    (i64.store (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 200)) (local.get 1))
    (i64.load (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 200))))

  ;; the shifted value kept in a local (local.tee): no fusion, the local
  ;; has it afterwards
  (func (export "tee") (param i32) (result i32)
    (local i32)
    (i32.add
      (i32.load (i32.add (local.tee 1 (i32.shl (local.get 0) (i32.const 2))) (i32.const 4)))
      (local.get 1)))
  ;; a branch lands between the shift and the add: no fusion
  (func (export "landing") (param i32) (result i32)
    (i32.shl (local.get 0) (i32.const 2))
    (block (br_if 0 (local.get 0)))
    (i32.const 4)
    (i32.add)
    (i32.load))

  ;; a multiply-add of a load whose address add was fused (_RI): the add
  ;; wraps at 2^32 before the load; the multiply-add must not take the
  ;; fused load for a plain one
  (func (export "madd_ri") (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 1))
             (i32.load (i32.add (local.get 2) (i32.const 16)))))
  (func (export "madd_si") (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 1))
             (i32.load (i32.add (i32.shl (local.get 2) (i32.const 2)) (i32.const 16)))))
)

(assert_return (invoke "si" (i32.const 0)) (i32.const 134678021))
(assert_return (invoke "si" (i32.const 3)) (i32.const 336794129))
(assert_return (invoke "si" (i32.const 1073741825)) (i32.const 202050057))
(assert_return (invoke "si" (i32.const 16381)) (i32.const -185339151))
(assert_return (invoke "si" (i32.const 16382)) (i32.const -117967115))
(assert_trap (invoke "si" (i32.const 16383)) "out of bounds memory access")
(assert_return (invoke "si" (i32.const -1)) (i32.const 67305985))
(assert_return (invoke "si_off" (i32.const 16381)) (i32.const -134810124))
(assert_trap (invoke "si_off" (i32.const 16382)) "out of bounds memory access")
(assert_return (invoke "si_off" (i32.const 1073741824)) (i32.const 185207048))
(assert_return (invoke "si8" (i32.const 3)) (i32.const 0))
(assert_return (invoke "si8" (i32.const 4)) (i32.const -14))
(assert_return (invoke "si8" (i32.const 7)) (i32.const -8))
(assert_trap (invoke "si8" (i32.const 8)) "out of bounds memory access")
(assert_trap (invoke "si8" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "si64" (i32.const 1)) (i64.const 578437695752307201))
(assert_trap (invoke "si64" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "si64" (i32.const 8192)) (i64.const -506664896818842895))
(assert_return (invoke "si64" (i32.const 536870913)) (i64.const 578437695752307201))
(assert_return (invoke "sif64" (i32.const 0)) (i64.const 1157159078456920585))
(assert_return (invoke "sif64" (i32.const 8190)) (i64.const -506664896818842895))
(assert_trap (invoke "sif64" (i32.const 8191)) "out of bounds memory access")
(assert_return (invoke "si_k34" (i32.const 1)) (i32.const 2055))
(assert_return (invoke "si_k34" (i32.const 16383)) (i32.const 63735))
(assert_trap (invoke "si_k34" (i32.const 16384)) "out of bounds memory access")
(assert_return (invoke "sr" (i32.const 1) (i32.const 0)) (i32.const 168364039))
(assert_return (invoke "sr" (i32.const 0) (i32.const 65530)) (i32.const -117967115))
(assert_trap (invoke "sr" (i32.const 0) (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "sr" (i32.const 1073741824) (i32.const 4)) (i32.const 168364039))
(assert_return (invoke "sr_swap" (i32.const 1) (i32.const 4)) (i32.const 202050057))
(assert_return (invoke "sr_swap" (i32.const -1) (i32.const 4)) (i32.const 67305985))
(assert_return (invoke "sr_swap" (i32.const 16383) (i32.const 0)) (i32.const -117967115))
(assert_trap (invoke "sr_swap" (i32.const 16383) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "sr_off" (i32.const 0) (i32.const 0)) (i64.const 0))
(assert_return (invoke "sr_off" (i32.const 0) (i32.const 532)) (i64.const 4177000181))
(assert_trap (invoke "sr_off" (i32.const 0) (i32.const 533)) "out of bounds memory access")
(assert_return (invoke "sr_off" (i32.const 268435456) (i32.const 532)) (i64.const 4177000181))
(assert_return (invoke "st_si" (i32.const 1) (i32.const 287454020)) (i32.const 287454020))
(assert_return (invoke "st_si" (i32.const 16354) (i32.const 7)) (i32.const 7))
(assert_trap (invoke "st_si" (i32.const 16357) (i32.const 7)) "out of bounds memory access")
(assert_return (invoke "st_sr" (i32.const 2) (i32.const 43981) (i32.const 300)) (i32.const 43981))
(assert_return (invoke "st_sr" (i32.const -2147483646) (i32.const 4660) (i32.const 300)) (i32.const 4660))
(assert_trap (invoke "st_sr" (i32.const 0) (i32.const 5) (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "st_sr" (i32.const 0) (i32.const 5) (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "st_si64" (i32.const 1) (i64.const 72623859790382856)) (i64.const 72623859790382856))
(assert_trap (invoke "st_si64" (i32.const 8167) (i64.const 1)) "out of bounds memory access")
(assert_return (invoke "st_si64" (i32.const 8166) (i64.const -1)) (i64.const -1))
(assert_return (invoke "tee" (i32.const 1)) (i32.const 202050061))
(assert_return (invoke "landing" (i32.const 1)) (i32.const 202050057))
(assert_return (invoke "landing" (i32.const 0)) (i32.const 134678021))
(assert_return (invoke "madd_ri" (i32.const 2) (i32.const 3) (i32.const -8)) (i32.const 202050063))
(assert_return (invoke "madd_ri" (i32.const 2) (i32.const 3) (i32.const -16)) (i32.const 67305991))
(assert_trap (invoke "madd_ri" (i32.const 2) (i32.const 3) (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "madd_ri" (i32.const 2) (i32.const 3) (i32.const 65516)) (i32.const 5))
(assert_return (invoke "madd_si" (i32.const 2) (i32.const 3) (i32.const 1073741820)) (i32.const 67305991))
(assert_trap (invoke "madd_si" (i32.const 2) (i32.const 3) (i32.const 16380)) "out of bounds memory access")
(assert_trap (invoke "madd_si" (i32.const 2) (i32.const 3) (i32.const 16381)) "out of bounds memory access")
