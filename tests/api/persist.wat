;; persist.wat -- a module for test_persist.c: calls (direct, recursive,
;; indirect), loops, memory and globals, so that a translation written
;; out and read back holds every kind of cell.
(module
  (type $i2i (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $fib $sum)
  (data (i32.const 16) "persist")
  (func $fib (type $i2i)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $sum (type $i2i) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u offset=15 (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (global.set $g (i32.add (global.get $g) (local.get $acc)))
    (local.get $acc))
  (func (export "fib") (param i32) (result i32) (call $fib (local.get 0)))
  (func (export "sum") (param i32) (result i32) (call $sum (local.get 0)))
  (func (export "pick") (param i32 i32) (result i32)
    (call_indirect (type $i2i) (local.get 1) (local.get 0)))
  (func (export "wide") (result i64) (i64.const 0x123456789abcdef0))
  (func (export "g") (result i32) (global.get $g)))
