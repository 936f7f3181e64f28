;; wvm's own conformance script: y[i] += a * x[i] as clang emits it
;; becomes one AXPY instruction per element (compile.c, fuse_axpy): every
;; form (x loaded plainly, at p + k, at p + q kept in a local; with the add
;; that made y's address folded in), both orders (x loaded first for
;; floats, y first for integers), each type, addresses that wrap past 2^32,
;; accesses past the end part way through a loop (the elements before the
;; trap are stored), and a pattern that must not fuse (a float multiply
;; with x first).  Expected values come from V8.

(module
  (memory 1)
  (func (export "fill") (param $p i32) (param $n i32) (param $seed i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $p) (local.get $i))
          (i32.add (i32.mul (local.get $i) (i32.const 37)) (local.get $seed)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31))
                               (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))
  (func (export "get_f64") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "set_f64") (param i32 f64) (f64.store (local.get 0) (local.get 1)))

  ;; y[i] += a * x[i] for byte offsets i0, i0 + 16, ... up to n, as clang
  ;; unrolls a double loop by two: x loaded first (AXPY_RRT, AXPY_RI)
  (func (export "f64_loop") (param $y i32) (param $x i32) (param $i i32) (param $n i32) (param $a f64)
    (local $ty i32) (local $tx i32)
    (loop $l
      local.get $i
      local.get $y
      i32.add
      local.tee $ty
      local.get $a
      local.get $i
      local.get $x
      i32.add
      local.tee $tx
      f64.load
      f64.mul
      local.get $ty
      f64.load
      f64.add
      f64.store
      local.get $ty
      i32.const 8
      i32.add
      local.tee $ty
      local.get $a
      local.get $tx
      i32.const 8
      i32.add
      f64.load
      f64.mul
      local.get $ty
      f64.load
      f64.add
      f64.store
      local.get $i
      i32.const 16
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $l))
  (func (export "f32_loop") (param $y i32) (param $x i32) (param $i i32) (param $n i32) (param $a f32)
    (local $ty i32) (local $tx i32)
    (loop $l
      local.get $i
      local.get $y
      i32.add
      local.tee $ty
      local.get $a
      local.get $i
      local.get $x
      i32.add
      local.tee $tx
      f32.load
      f32.mul
      local.get $ty
      f32.load
      f32.add
      f32.store
      local.get $ty
      i32.const 4
      i32.add
      local.tee $ty
      local.get $a
      local.get $tx
      i32.const 4
      i32.add
      f32.load
      f32.mul
      local.get $ty
      f32.load
      f32.add
      f32.store
      local.get $i
      i32.const 8
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $l))
  ;; the integer loop as clang unrolls it: y loaded first, y + x * a
  (func (export "i32_loop") (param $y i32) (param $x i32) (param $i i32) (param $n i32) (param $a i32)
    (local $ty i32) (local $tx i32)
    (loop $l
      local.get $i
      local.get $y
      i32.add
      local.tee $ty
      local.get $ty
      i32.load
      local.get $i
      local.get $x
      i32.add
      local.tee $tx
      i32.load
      local.get $a
      i32.mul
      i32.add
      i32.store
      local.get $ty
      i32.const 4
      i32.add
      local.tee $ty
      local.get $ty
      i32.load
      local.get $tx
      i32.const 4
      i32.add
      i32.load
      local.get $a
      i32.mul
      i32.add
      i32.store
      local.get $i
      i32.const 8
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $l))
  (func (export "i64_loop") (param $y i32) (param $x i32) (param $i i32) (param $n i32) (param $a i64)
    (local $ty i32) (local $tx i32)
    (loop $l
      local.get $i
      local.get $y
      i32.add
      local.tee $ty
      local.get $ty
      i64.load
      local.get $i
      local.get $x
      i32.add
      local.tee $tx
      i64.load
      local.get $a
      i64.mul
      i64.add
      i64.store
      local.get $ty
      i32.const 8
      i32.add
      local.tee $ty
      local.get $ty
      i64.load
      local.get $tx
      i32.const 8
      i32.add
      i64.load
      local.get $a
      i64.mul
      i64.add
      i64.store
      local.get $i
      i32.const 16
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $l))
  ;; one element, each form; they return the locals the forms keep
  ;; x first, _RRT: y[0] += a * x[p + q], y at y + 8 (offset)
  (func (export "f64_rrt") (param $y i32) (param $p i32) (param $q i32) (param $a f64) (result i32)
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
  ;; x first, _RI, an integer multiply with x as its first operand
  (func (export "i32_ri") (param $y i32) (param $p i32) (param $a i32)
    local.get $y
    local.get $p
    i32.const 12
    i32.add
    i32.load
    local.get $a
    i32.mul
    local.get $y
    i32.load
    i32.add
    i32.store)
  ;; x first, _RI, but a float multiply with x first: not fused (NaN order)
  (func (export "f32_xa") (param $y i32) (param $p i32) (param $a f32)
    local.get $y
    local.get $p
    i32.const 4
    i32.add
    f32.load
    local.get $a
    f32.mul
    local.get $y
    f32.load
    f32.add
    f32.store)
  ;; y first, _RRT then _RRT; returns ty * 65536 + tx
  (func (export "i64_rrt_y") (param $p i32) (param $q i32) (param $r i32) (param $s i32) (param $a i64) (result i32)
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
    local.get $ty
    i32.const 16
    i32.shl
    local.get $tx
    i32.add)
  ;; y first, _RIT (the y pointer stepped) then _RI; returns the new ty
  (func (export "i32_rit_y") (param $ty i32) (param $tx i32) (param $a i32) (result i32)
    local.get $ty
    i32.const 4
    i32.add
    local.tee $ty
    local.get $ty
    i32.load
    local.get $tx
    i32.const 4
    i32.add
    i32.load
    local.get $a
    i32.mul
    i32.add
    i32.store
    local.get $ty)
  ;; x and y the same array: y[i] += a * y[i]
  (func (export "f64_self") (param $y i32) (param $a f64)
    local.get $y
    local.get $a
    local.get $y
    i32.const 0
    i32.add
    f64.load
    f64.mul
    local.get $y
    f64.load
    f64.add
    f64.store)
  ;; pointer style (clang's for y[i] += a * x[i] over pointers): x and y
  ;; loaded plainly for the first element (AXPY_R), y's pointer plus 4 kept
  ;; in a local and x's plus 4 for the second (AXPY_RI_Y); n pairs
  (func (export "f32_ptr") (param $y i32) (param $x i32) (param $n i32) (param $a f32)
    (local $t i32)
    (loop $l
      local.get $y
      local.get $a
      local.get $x
      f32.load
      f32.mul
      local.get $y
      f32.load
      f32.add
      f32.store
      local.get $y
      i32.const 4
      i32.add
      local.tee $t
      local.get $a
      local.get $x
      i32.const 4
      i32.add
      f32.load
      f32.mul
      local.get $t
      f32.load
      f32.add
      f32.store
      local.get $y
      i32.const 8
      i32.add
      local.set $y
      local.get $x
      i32.const 8
      i32.add
      local.set $x
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if $l))
  ;; the integer one: y loaded first, plainly, with offsets (AXPY_R)
  (func (export "i32_ptr") (param $y i32) (param $x i32) (param $n i32) (param $a i32)
    (loop $l
      local.get $y
      local.get $y
      i32.load
      local.get $x
      i32.load
      local.get $a
      i32.mul
      i32.add
      i32.store
      local.get $y
      local.get $y
      i32.load offset=4
      local.get $x
      i32.load offset=4
      local.get $a
      i32.mul
      i32.add
      i32.store offset=4
      local.get $y
      i32.const 8
      i32.add
      local.set $y
      local.get $x
      i32.const 8
      i32.add
      local.set $x
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if $l))
  ;; x plain with an offset, one element; i64, y first, plain
  (func (export "f64_r_off") (param $y i32) (param $x i32) (param $a f64)
    local.get $y
    local.get $a
    local.get $x
    f64.load offset=16
    f64.mul
    local.get $y
    f64.load offset=8
    f64.add
    f64.store offset=8)
  (func (export "i64_r_y") (param $y i32) (param $x i32) (param $a i64)
    local.get $y
    local.get $y
    i64.load offset=24
    local.get $x
    i64.load
    local.get $a
    i64.mul
    i64.add
    i64.store offset=24)
)
(assert_return (invoke "fill" (i32.const 1024) (i32.const 512) (i32.const 3)))
(assert_return (invoke "fill" (i32.const 4096) (i32.const 512) (i32.const 101)))
(assert_return (invoke "i32_loop" (i32.const 1024) (i32.const 4096) (i32.const 0) (i32.const 256) (i32.const -7)))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 256)) (i32.const 1555563682))
(assert_return (invoke "sum" (i32.const 4096) (i32.const 256)) (i32.const -1990226048))
(assert_return (invoke "i64_loop" (i32.const 1024) (i32.const 4096) (i32.const 0) (i32.const 256) (i64.const 12345678901)))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 256)) (i32.const -328222358))
(assert_return (invoke "i32_loop" (i32.const 1024) (i32.const 4096) (i32.const 16) (i32.const 64) (i32.const 3)))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 256)) (i32.const 1267688229))
(assert_return (invoke "set_f64" (i32.const 8192) (f64.const 0.125)))
(assert_return (invoke "set_f64" (i32.const 8200) (f64.const 4.75)))
(assert_return (invoke "set_f64" (i32.const 8208) (f64.const 9.375)))
(assert_return (invoke "set_f64" (i32.const 8216) (f64.const 14)))
(assert_return (invoke "set_f64" (i32.const 8224) (f64.const 18.625)))
(assert_return (invoke "set_f64" (i32.const 8232) (f64.const 23.25)))
(assert_return (invoke "set_f64" (i32.const 8240) (f64.const 27.875)))
(assert_return (invoke "set_f64" (i32.const 8248) (f64.const 32.5)))
(assert_return (invoke "set_f64" (i32.const 8256) (f64.const 37.125)))
(assert_return (invoke "set_f64" (i32.const 8264) (f64.const 41.75)))
(assert_return (invoke "set_f64" (i32.const 8272) (f64.const 46.375)))
(assert_return (invoke "set_f64" (i32.const 8280) (f64.const 51)))
(assert_return (invoke "set_f64" (i32.const 8288) (f64.const 55.625)))
(assert_return (invoke "set_f64" (i32.const 8296) (f64.const 60.25)))
(assert_return (invoke "set_f64" (i32.const 8304) (f64.const 64.875)))
(assert_return (invoke "set_f64" (i32.const 8312) (f64.const 69.5)))
(assert_return (invoke "set_f64" (i32.const 8320) (f64.const 74.125)))
(assert_return (invoke "set_f64" (i32.const 8328) (f64.const 78.75)))
(assert_return (invoke "set_f64" (i32.const 8336) (f64.const 83.375)))
(assert_return (invoke "set_f64" (i32.const 8344) (f64.const 88)))
(assert_return (invoke "set_f64" (i32.const 8352) (f64.const 92.625)))
(assert_return (invoke "set_f64" (i32.const 8360) (f64.const 97.25)))
(assert_return (invoke "set_f64" (i32.const 8368) (f64.const 101.875)))
(assert_return (invoke "set_f64" (i32.const 8376) (f64.const 106.5)))
(assert_return (invoke "set_f64" (i32.const 8384) (f64.const 111.125)))
(assert_return (invoke "set_f64" (i32.const 8392) (f64.const 115.75)))
(assert_return (invoke "set_f64" (i32.const 8400) (f64.const 120.375)))
(assert_return (invoke "set_f64" (i32.const 8408) (f64.const 125)))
(assert_return (invoke "set_f64" (i32.const 8416) (f64.const 129.625)))
(assert_return (invoke "set_f64" (i32.const 8424) (f64.const 134.25)))
(assert_return (invoke "set_f64" (i32.const 8432) (f64.const 138.875)))
(assert_return (invoke "set_f64" (i32.const 8440) (f64.const 143.5)))
(assert_return (invoke "set_f64" (i32.const 12288) (f64.const 0.625)))
(assert_return (invoke "set_f64" (i32.const 12296) (f64.const 5.25)))
(assert_return (invoke "set_f64" (i32.const 12304) (f64.const 9.875)))
(assert_return (invoke "set_f64" (i32.const 12312) (f64.const 14.5)))
(assert_return (invoke "set_f64" (i32.const 12320) (f64.const 19.125)))
(assert_return (invoke "set_f64" (i32.const 12328) (f64.const 23.75)))
(assert_return (invoke "set_f64" (i32.const 12336) (f64.const 28.375)))
(assert_return (invoke "set_f64" (i32.const 12344) (f64.const 33)))
(assert_return (invoke "set_f64" (i32.const 12352) (f64.const 37.625)))
(assert_return (invoke "set_f64" (i32.const 12360) (f64.const 42.25)))
(assert_return (invoke "set_f64" (i32.const 12368) (f64.const 46.875)))
(assert_return (invoke "set_f64" (i32.const 12376) (f64.const 51.5)))
(assert_return (invoke "set_f64" (i32.const 12384) (f64.const 56.125)))
(assert_return (invoke "set_f64" (i32.const 12392) (f64.const 60.75)))
(assert_return (invoke "set_f64" (i32.const 12400) (f64.const 65.375)))
(assert_return (invoke "set_f64" (i32.const 12408) (f64.const 70)))
(assert_return (invoke "set_f64" (i32.const 12416) (f64.const 74.625)))
(assert_return (invoke "set_f64" (i32.const 12424) (f64.const 79.25)))
(assert_return (invoke "set_f64" (i32.const 12432) (f64.const 83.875)))
(assert_return (invoke "set_f64" (i32.const 12440) (f64.const 88.5)))
(assert_return (invoke "set_f64" (i32.const 12448) (f64.const 93.125)))
(assert_return (invoke "set_f64" (i32.const 12456) (f64.const 97.75)))
(assert_return (invoke "set_f64" (i32.const 12464) (f64.const 102.375)))
(assert_return (invoke "set_f64" (i32.const 12472) (f64.const 107)))
(assert_return (invoke "set_f64" (i32.const 12480) (f64.const 111.625)))
(assert_return (invoke "set_f64" (i32.const 12488) (f64.const 116.25)))
(assert_return (invoke "set_f64" (i32.const 12496) (f64.const 120.875)))
(assert_return (invoke "set_f64" (i32.const 12504) (f64.const 125.5)))
(assert_return (invoke "set_f64" (i32.const 12512) (f64.const 130.125)))
(assert_return (invoke "set_f64" (i32.const 12520) (f64.const 134.75)))
(assert_return (invoke "set_f64" (i32.const 12528) (f64.const 139.375)))
(assert_return (invoke "set_f64" (i32.const 12536) (f64.const 144)))
(assert_return (invoke "f64_loop" (i32.const 8192) (i32.const 12288) (i32.const 0) (i32.const 256) (f64.const 1.5)))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 256)) (i32.const -7563629))
(assert_return (invoke "sum" (i32.const 12288) (i32.const 256)) (i32.const -723406155))
(assert_return (invoke "f64_loop" (i32.const 8192) (i32.const 12288) (i32.const 32) (i32.const 128) (f64.const -0.3)))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 256)) (i32.const 2025213439))
(assert_return (invoke "f32_loop" (i32.const 12288) (i32.const 8192) (i32.const 0) (i32.const 128) (f32.const 0.699999988079071)))
(assert_return (invoke "sum" (i32.const 12288) (i32.const 256)) (i32.const 2024095080))
(assert_return (invoke "f64_loop" (i32.const 1008) (i32.const -16) (i32.const 16) (i32.const 48) (f64.const 2)))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 32)) (i32.const 1872417404))
(assert_return (invoke "i32_loop" (i32.const -8) (i32.const 4096) (i32.const 8) (i32.const 40) (i32.const 5)))
(assert_return (invoke "sum" (i32.const 0) (i32.const 32)) (i32.const -729030781))
(assert_return (invoke "fill" (i32.const 65000) (i32.const 536) (i32.const 9)))
(assert_trap (invoke "i32_loop" (i32.const 65532) (i32.const 4096) (i32.const 0) (i32.const 64) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 1270747697))
(assert_trap (invoke "i32_loop" (i32.const 65000) (i32.const 65532) (i32.const 0) (i32.const 64) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const -1802084111))
(assert_trap (invoke "i64_loop" (i32.const 65528) (i32.const 4096) (i32.const 0) (i32.const 64) (i64.const 3)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const -1373957105))
(assert_trap (invoke "f64_loop" (i32.const 65528) (i32.const 12288) (i32.const 0) (i32.const 64) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 56189088))
(assert_trap (invoke "f64_loop" (i32.const 12288) (i32.const 65528) (i32.const 0) (i32.const 64) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 12288) (i32.const 64)) (i32.const 907579818))
(assert_trap (invoke "f32_loop" (i32.const 65532) (i32.const 8192) (i32.const 0) (i32.const 64) (f32.const 1)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 56189088))
(assert_trap (invoke "i32_loop" (i32.const 65536) (i32.const 65536) (i32.const 0) (i32.const 64) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 56189088))
(assert_trap (invoke "f64_loop" (i32.const -8) (i32.const 65536) (i32.const 0) (i32.const 64) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "fill" (i32.const 2048) (i32.const 128) (i32.const 77)))
(assert_return (invoke "f64_rrt" (i32.const 8192) (i32.const 12288) (i32.const 16) (f64.const 0.5)) (i32.const 12304))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 64)) (i32.const -1465122114))
(assert_return (invoke "f64_rrt" (i32.const 8192) (i32.const -8) (i32.const 12304) (f64.const 3)) (i32.const 12296))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 64)) (i32.const -643720119))
(assert_trap (invoke "f64_rrt" (i32.const 65528) (i32.const 12288) (i32.const 0) (f64.const 3)) "out of bounds memory access")
(assert_trap (invoke "f64_rrt" (i32.const 8192) (i32.const 65530) (i32.const 0) (f64.const 3)) "out of bounds memory access")
(assert_return (invoke "i32_ri" (i32.const 2048) (i32.const 2060) (i32.const 9)))
(assert_return (invoke "sum" (i32.const 2048) (i32.const 128)) (i32.const -824334502))
(assert_return (invoke "i32_ri" (i32.const 2048) (i32.const -12) (i32.const 9)))
(assert_return (invoke "sum" (i32.const 2048) (i32.const 128)) (i32.const -1181352197))
(assert_return (invoke "i32_ri" (i32.const 2048) (i32.const -8) (i32.const 9)))
(assert_trap (invoke "i32_ri" (i32.const 65533) (i32.const 2048) (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "f32_xa" (i32.const 12288) (i32.const 8188) (f32.const -2.5)))
(assert_return (invoke "sum" (i32.const 12288) (i32.const 64)) (i32.const 907579818))
(assert_return (invoke "i64_rrt_y" (i32.const 2000) (i32.const 48) (i32.const 2000) (i32.const 64) (i64.const -3)) (i32.const 134219792))
(assert_return (invoke "sum" (i32.const 2048) (i32.const 128)) (i32.const -1772108055))
(assert_trap (invoke "i64_rrt_y" (i32.const 65528) (i32.const 8) (i32.const 2048) (i32.const 0) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "i64_rrt_y" (i32.const 2048) (i32.const 0) (i32.const 65528) (i32.const 4) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "i64_rrt_y" (i32.const 65528) (i32.const 8) (i32.const 65528) (i32.const 4) (i64.const 1)) "out of bounds memory access")
(assert_return (invoke "i32_rit_y" (i32.const 2044) (i32.const 2100) (i32.const 11)) (i32.const 2048))
(assert_return (invoke "sum" (i32.const 2048) (i32.const 128)) (i32.const -351244707))
(assert_return (invoke "i32_rit_y" (i32.const -4) (i32.const 2100) (i32.const 11)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0) (i32.const 32)) (i32.const -1868007945))
(assert_trap (invoke "i32_rit_y" (i32.const 65532) (i32.const 2100) (i32.const 11)) "out of bounds memory access")
(assert_return (invoke "f64_self" (i32.const 8192) (f64.const 0.25)))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 64)) (i32.const 986261765))
(assert_return (invoke "set_f64" (i32.const 8192) (f64.const 0.375)))
(assert_return (invoke "set_f64" (i32.const 8200) (f64.const 5)))
(assert_return (invoke "set_f64" (i32.const 8208) (f64.const 9.625)))
(assert_return (invoke "set_f64" (i32.const 8216) (f64.const 14.25)))
(assert_return (invoke "set_f64" (i32.const 8224) (f64.const 18.875)))
(assert_return (invoke "set_f64" (i32.const 8232) (f64.const 23.5)))
(assert_return (invoke "set_f64" (i32.const 8240) (f64.const 28.125)))
(assert_return (invoke "set_f64" (i32.const 8248) (f64.const 32.75)))
(assert_return (invoke "set_f64" (i32.const 8256) (f64.const 37.375)))
(assert_return (invoke "set_f64" (i32.const 8264) (f64.const 42)))
(assert_return (invoke "set_f64" (i32.const 8272) (f64.const 46.625)))
(assert_return (invoke "set_f64" (i32.const 8280) (f64.const 51.25)))
(assert_return (invoke "set_f64" (i32.const 8288) (f64.const 55.875)))
(assert_return (invoke "set_f64" (i32.const 8296) (f64.const 60.5)))
(assert_return (invoke "set_f64" (i32.const 8304) (f64.const 65.125)))
(assert_return (invoke "set_f64" (i32.const 8312) (f64.const 69.75)))
(assert_return (invoke "set_f64" (i32.const 8320) (f64.const 74.375)))
(assert_return (invoke "set_f64" (i32.const 8328) (f64.const 79)))
(assert_return (invoke "set_f64" (i32.const 8336) (f64.const 83.625)))
(assert_return (invoke "set_f64" (i32.const 8344) (f64.const 88.25)))
(assert_return (invoke "set_f64" (i32.const 8352) (f64.const 92.875)))
(assert_return (invoke "set_f64" (i32.const 8360) (f64.const 97.5)))
(assert_return (invoke "set_f64" (i32.const 8368) (f64.const 102.125)))
(assert_return (invoke "set_f64" (i32.const 8376) (f64.const 106.75)))
(assert_return (invoke "set_f64" (i32.const 8384) (f64.const 111.375)))
(assert_return (invoke "set_f64" (i32.const 8392) (f64.const 116)))
(assert_return (invoke "set_f64" (i32.const 8400) (f64.const 120.625)))
(assert_return (invoke "set_f64" (i32.const 8408) (f64.const 125.25)))
(assert_return (invoke "set_f64" (i32.const 8416) (f64.const 129.875)))
(assert_return (invoke "set_f64" (i32.const 8424) (f64.const 134.5)))
(assert_return (invoke "set_f64" (i32.const 8432) (f64.const 139.125)))
(assert_return (invoke "set_f64" (i32.const 8440) (f64.const 143.75)))
(assert_return (invoke "f32_ptr" (i32.const 12288) (i32.const 8192) (i32.const 16) (f32.const 1.75)))
(assert_return (invoke "sum" (i32.const 12288) (i32.const 128)) (i32.const -172778776))
(assert_trap (invoke "f32_ptr" (i32.const 65520) (i32.const 8192) (i32.const 4) (f32.const 1)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 855410773))
(assert_trap (invoke "f32_ptr" (i32.const 12288) (i32.const 65528) (i32.const 4) (f32.const 1)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 12288) (i32.const 128)) (i32.const -951226058))
(assert_trap (invoke "f32_ptr" (i32.const -8) (i32.const 8192) (i32.const 1) (f32.const 1)) "out of bounds memory access")
(assert_return (invoke "i32_ptr" (i32.const 1024) (i32.const 4096) (i32.const 20) (i32.const -3)))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 256)) (i32.const -844847597))
(assert_trap (invoke "i32_ptr" (i32.const 65528) (i32.const 4096) (i32.const 4) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65000) (i32.const 536)) (i32.const 1058916279))
(assert_trap (invoke "i32_ptr" (i32.const 1024) (i32.const 65532) (i32.const 4) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 1024) (i32.const 256)) (i32.const 1428925202))
(assert_trap (invoke "i32_ptr" (i32.const 65536) (i32.const 65536) (i32.const 4) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "f64_r_off" (i32.const 8192) (i32.const 12288) (f64.const -1.5)))
(assert_return (invoke "sum" (i32.const 8192) (i32.const 64)) (i32.const -804043156))
(assert_trap (invoke "f64_r_off" (i32.const 8192) (i32.const -16) (f64.const -1.5)) "out of bounds memory access")
(assert_return (invoke "f64_r_off" (i32.const 65520) (i32.const 0) (f64.const -1.5)))
(assert_return (invoke "i64_r_y" (i32.const 2048) (i32.const 4096) (i64.const -5)))
(assert_return (invoke "sum" (i32.const 2048) (i32.const 128)) (i32.const 1500801748))
(assert_trap (invoke "i64_r_y" (i32.const 65512) (i32.const 65530) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "i64_r_y" (i32.const 65504) (i32.const 65530) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "f64_self" (i32.const 65529) (f64.const 0.25)) "out of bounds memory access")
