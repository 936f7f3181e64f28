;; loop.wat -- a counted loop: count(k) = k after k iterations.
;;
;; Basic blocks (default costs, every opcode 1):
;;   B0  function entry:  block, loop                                  = 2
;;       (`loop` is charged once, in the block before it; the loop head
;;        starts a new block that every iteration pays again)
;;   L   loop head: local.get i, local.get k, i32.ge_u, br_if 1        = 4
;;   A   after br_if: local.get i, i32.const 1, i32.add, local.set i,
;;       br 0                                                          = 5
;;       the loop's `end` follows an unconditional br: dead, free
;;   E   after the loop's end: the block's `end`                       = 1
;;       (never runs: the loop never falls through; br_if 1 lands
;;        after the block's end)
;;   F   after the block's end: local.get i, end                       = 2
;;
;; count(k) runs B0 once, L k+1 times, A k times, F once:
;;   fuel = 2 + 4(k+1) + 5k + 2 = 9k + 8
;;   count(0) = 8, count(1) = 17, count(10) = 98, count(5000) = 45008
;;
;; Out of fuel: the running total only stops at block boundaries.
;;   B0 ends at 2; iteration j (from 0) ends L at 6 + 9j, A at 11 + 9j.
;;   count(10), limit 97: the final L ends at 96, F needs 2 -> 98 > 97:
;;     trap, fuel used 96.
;;   count(10), limit 50: A of j=4 ends at 47, next L needs 4 -> 51:
;;     trap, fuel used 47.
;;   count(5000), limit 30000 (crosses the interpreter's 10000-unit
;;     refills): A ends at 2 + 9(j+1); 2 + 9*3333 = 29999, then L needs
;;     4 -> 30003: trap, fuel used 29999.
;;   any call, limit 0: B0 cannot be paid: trap, fuel used 0.
;;   count(10), limit 5: B0 is paid (2), L needs 4 -> 6 > 5: trap, fuel
;;     used 2.  (B0 holds no instruction of its own after `loop`, so the
;;     interpreter checks B0 + L at once, and when that fails charges them
;;     one at a time: the trip point is the same.)
(module
  (func (export "count") (param $k i32) (result i32)
    (local $i i32)
    block
      loop
        local.get $i
        local.get $k
        i32.ge_u
        br_if 1
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $i)
;; down(n): n + (n-1) + ... + 1, the loop test on the step's own result
;; (wvm runs the add and br_if as one instruction; fuel is as written):
;;   B0  function entry: loop                                          = 1
;;   L   loop head: local.get s, local.get n, i32.add, local.set s,
;;       local.get n, i32.const -1, i32.add, local.tee n, br_if 0      = 9
;;   F   after br_if: end (of the loop), local.get s, end              = 3
;;   fuel = 1 + 9n + 3 = 9n + 4: down(5) = 15, fuel 49.
;;   down(5), limit 30: L of iteration j ends at 1 + 9(j+1); 28 after
;;     three, the fourth needs 9 -> 37 > 30: trap, fuel used 28.
;;   down(5), limit 48: the loop ends at 1 + 45 = 46, F needs 3 -> 49 > 48:
;;     trap as the loop's branch falls through, fuel used 46.
  (func (export "down") (param $n i32) (result i32)
    (local $s i32)
    loop
      local.get $s
      local.get $n
      i32.add
      local.set $s
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if 0
    end
    local.get $s)
)
