;; slowhost.wat -- the timeout's clock and the cancel flag at the start of
;; a call (test_limits.c): the clock starts lazily, at the first fuel
;; refill or host call, so a short call reads none; these cases must still
;; stop.  env.wait is a host function that takes time without charging
;; fuel (the test's).
(module
  (import "env" "wait" (func $wait))
  ;; n iterations of 5 fuel units: n = 10000 is 50000 units, several
  ;; refills of the interpreter's 10000-unit chunks
  (func $count (export "count") (param $n i32) (result i32)
    loop $l
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $l
    end
    i32.const 7)
  ;; the host first, while the call is still in its first chunk
  (func (export "wait_then_count") (param $n i32) (result i32)
    call $wait
    local.get $n
    call $count)
  (func (export "spin")
    loop
      br 0
    end))
