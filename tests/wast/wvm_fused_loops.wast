;; wvm's own conformance script: a loop's step (i32.add) and the br_if
;; back to the loop head that tests its result are translated into one
;; STEP instruction (src/wasm/ops.h).  These loops cover each form: step by
;; a constant or a register, compared with a constant or a register,
;; signed and unsigned, br_if on the sum itself, wrap-around, a sum kept
;; in another local, and a branch landing between the add and the br_if.

(module
  ;; n iterations of i += 1 while i != n (constant step, register bound)
  (func (export "ne_reg") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 3))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $i)))

  ;; constant bound, unsigned and signed
  (func (export "lt_u_imm") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 7))) (i32.const 100))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "gt_s_imm") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.gt_s (local.tee $i (i32.add (local.get $i) (i32.const -3))) (i32.const -10))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "le_s_reg") (param $i i32) (param $b i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.le_s (local.tee $i (i32.add (local.get $i) (i32.const 5))) (local.get $b))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "ge_u_imm") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.ge_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0xfffffff0))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "eq_imm") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.eq (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))

  ;; br_if on the sum: count down to zero (n-- != 0), and on its eqz
  (func (export "down") (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $s))
  (func (export "until_zero") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.eqz (i32.eqz (local.tee $i (i32.add (local.get $i) (i32.const 1)))))))
    (local.get $c))

  ;; register step: j += step while j < n (the sieve's inner loop)
  (func (export "stride") (param $j i32) (param $step i32) (param $n i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step))) (local.get $n))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $j)))
  (func (export "stride_imm") (param $j i32) (param $step i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (local.get $step))) (i32.const 60))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $j)))
  (func (export "stride_flag") (param $j i32) (param $step i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (local.tee $j (i32.add (local.get $j) (local.get $step)))))
    (local.get $c))

  ;; the sum goes to another local than the one stepped
  (func (export "other") (param $i i32) (result i32)
    (local $k i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $l (i32.lt_s (local.tee $k (i32.add (local.get $i) (i32.const 10))) (i32.const 50))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $k)))

  ;; the bound is the stepped local itself: i + 1 < i only when it wraps
  (func (export "self") (param $i i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.gt_u (local.get $i) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))

  ;; a forward br_if (not to a loop) is left alone
  (func (export "forward") (param $i i32) (result i32)
    (block $b
      (br_if $b (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 5)))
      (return (i32.const -1)))
    (local.get $i))

  ;; a branch lands between the add and the br_if
  (func (export "landing") (param $i i32) (param $n i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l
        (i32.lt_u
          (block $b (result i32)
            (drop (br_if $b (i32.const 1000) (i32.eq (local.get $c) (i32.const 3))))
            (local.tee $i (i32.add (local.get $i) (i32.const 1))))
          (local.get $n))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
)

(assert_return (invoke "ne_reg" (i32.const 1)) (i32.const 1))
(assert_return (invoke "ne_reg" (i32.const 10)) (i32.const 135010))
(assert_return (invoke "lt_u_imm" (i32.const 0)) (i32.const 15105))
(assert_return (invoke "lt_u_imm" (i32.const 200)) (i32.const 1207))
(assert_return (invoke "lt_u_imm" (i32.const -10)) (i32.const 997))
(assert_return (invoke "gt_s_imm" (i32.const 5)) (i32.const 4990))
(assert_return (invoke "gt_s_imm" (i32.const -100)) (i32.const 897))
(assert_return (invoke "gt_s_imm" (i32.const 2147483647)) (i32.const -1431652443))
(assert_return (invoke "le_s_reg" (i32.const 0) (i32.const 12)) (i32.const 3015))
(assert_return (invoke "le_s_reg" (i32.const 100) (i32.const 12)) (i32.const 1105))
(assert_return (invoke "ge_u_imm" (i32.const -20)) (i32.const 981))
(assert_return (invoke "ge_u_imm" (i32.const 0)) (i32.const 1001))
(assert_return (invoke "eq_imm" (i32.const -3)) (i32.const 998))
(assert_return (invoke "eq_imm" (i32.const 5)) (i32.const 1006))
(assert_return (invoke "down" (i32.const 5)) (i32.const 15))
(assert_return (invoke "down" (i32.const 1)) (i32.const 1))
(assert_return (invoke "until_zero" (i32.const -4)) (i32.const 4))
(assert_return (invoke "until_zero" (i32.const -1)) (i32.const 1))
(assert_return (invoke "stride" (i32.const 2) (i32.const 3) (i32.const 20)) (i32.const 6020))
(assert_return (invoke "stride" (i32.const 50) (i32.const 3) (i32.const 20)) (i32.const 1053))
(assert_return (invoke "stride" (i32.const -8) (i32.const 4) (i32.const 20)) (i32.const 996))
(assert_return (invoke "stride_imm" (i32.const 0) (i32.const 5)) (i32.const 12060))
(assert_return (invoke "stride_imm" (i32.const -60) (i32.const -5)) (i32.const -23940))
(assert_return (invoke "stride_flag" (i32.const -12) (i32.const 3)) (i32.const 4))
(assert_return (invoke "stride_flag" (i32.const 7) (i32.const -7)) (i32.const 1))
(assert_return (invoke "other" (i32.const 0)) (i32.const 20050))
(assert_return (invoke "other" (i32.const 100)) (i32.const 1112))
(assert_return (invoke "self" (i32.const -3)) (i32.const 998))
(assert_return (invoke "self" (i32.const 5)) (i32.const 1006))
(assert_return (invoke "forward" (i32.const 4)) (i32.const -1))
(assert_return (invoke "forward" (i32.const 3)) (i32.const 4))
(assert_return (invoke "landing" (i32.const 0) (i32.const 10)) (i32.const 3002))
(assert_return (invoke "landing" (i32.const 0) (i32.const 2)) (i32.const 2002))
(assert_return (invoke "landing" (i32.const 20) (i32.const 5)) (i32.const 1021))
