;; embed.wat -- the guest of examples/embed.c.  It imports one host
;; function, env.print(ptr, len), which prints guest memory.
(module
  (import "env" "print" (func $print (param i32 i32)))
  (memory 1)
  (data (i32.const 16) "hello from the guest")
  (func (export "greet")
    (call $print (i32.const 16) (i32.const 20)))
  ;; 1 + 2 + ... + n
  (func (export "sum_to") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  ;; asks the host to print bytes past the end of memory
  (func (export "bad_print")
    (call $print (i32.const 65530) (i32.const 100))))
