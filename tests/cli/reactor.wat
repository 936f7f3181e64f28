;; reactor.wat -- a WASI reactor whose start function, _initialize and
;; "run" each burn some fuel; --fuel must bound the three together.
(module
  (global $count (mut i32) (i32.const 0))
  (func $burn (param $n i32)
    (loop $again
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n))))
  (func $start (call $burn (i32.const 100)))
  (start $start)
  (func (export "_initialize") (call $burn (i32.const 1000)))
  (func (export "run") (result i32)
    (call $burn (i32.const 1000))
    (global.get $count)))
