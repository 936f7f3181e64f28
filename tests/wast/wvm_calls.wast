;; wvm's own conformance script (run with the spec suite by `make test`):
;; calls.  A call within a module carries the callee's code and a return
;; within an instance keeps the memory base and size in registers; a call
;; or return across instances reloads them.  These check memory.grow in a
;; callee of the same instance and of another instance sharing the memory,
;; seen by the caller right after the call; deep recursion to the limit of
;; the frame stack; and a callee with more locals than the four zeroed
;; inline (they must start at zero on every call).

(module $A
  (memory (export "mem") 1 4)
  (func $grow (export "grow") (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 77))
    (memory.size))
  ;; same instance: grow in the callee, then read the new page here
  (func (export "grow_local") (result i32)
    (drop (call $grow))
    (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
)
(register "A" $A)

(module $B
  (import "A" "mem" (memory 1 4))
  (import "A" "grow" (func $grow (result i32)))
  ;; another instance grows the shared memory; the caller reads the new page
  (func (export "grow_remote") (result i32)
    (drop (call $grow))
    (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
  ;; a call of its own after the remote one: mem stays right
  (func $peek (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow_then_local") (result i32)
    (drop (call $grow))
    (call $peek (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
)

(assert_return (invoke $A "grow_local") (i32.const 77))
(assert_return (invoke $B "grow_remote") (i32.const 77))
(assert_return (invoke $B "grow_then_local") (i32.const 77))
(assert_return (invoke $B "grow_remote") (i32.const 77)) ;; at the maximum: grow fails, same page

(module
  ;; locals past the four zeroed inline start at zero on every call
  (func $many (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    (local.set 6 (i32.add (local.get 6) (local.get 0)))
    (local.set 5 (i32.add (local.get 5) (local.get 0)))
    (local.set 1 (i32.add (local.get 1) (local.get 0)))
    (i32.add (i32.add (local.get 6) (local.get 5)) (local.get 1)))
  (func $few (param i32) (result i32)
    (local i32 i32)
    (local.set 2 (i32.add (local.get 2) (local.get 0)))
    (i32.add (local.get 1) (local.get 2)))
  (func (export "locals") (result i32)
    (i32.add (i32.add (call $many (i32.const 5)) (call $many (i32.const 7)))
             (i32.add (call $few (i32.const 3)) (call $few (i32.const 4)))))
  ;; recursion: depth n
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
)
(assert_return (invoke "locals") (i32.const 43))
(assert_return (invoke "down" (i32.const 10000)) (i32.const 10000))
(assert_exhaustion (invoke "down" (i32.const 100000000)) "call stack exhausted")
(assert_return (invoke "down" (i32.const 3)) (i32.const 3))
