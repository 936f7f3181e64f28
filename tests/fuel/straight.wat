;; straight.wat -- straight-line code and statically dead code.
;;
;; Default cost table: every opcode costs 1.  A function body is one
;; basic block until the first loop/if/else/end/br_if; the function's
;; final `end` is an instruction too and is charged when it is reachable.
(module
  ;; add3(a, b, c) = a + b + c
  ;;   local.get 0   1
  ;;   local.get 1   2
  ;;   i32.add       3
  ;;   nop           4
  ;;   local.get 2   5
  ;;   i32.add       6
  ;;   end           7       -> fuel 7
  (func (export "add3") (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add
    nop
    local.get 2
    i32.add)

  ;; dead() = 1: everything after `return` is statically dead and free,
  ;; the function's `end` included.
  ;;   i32.const 1   1
  ;;   return        2
  ;;   (i32.const 2, drop, i32.const 3, i32.add, end: dead, 0)
  ;;                         -> fuel 2
  (func (export "dead") (result i32)
    i32.const 1
    return
    i32.const 2
    drop
    i32.const 3
    i32.const 4
    i32.add)

  ;; mix(x) = (x * 3) ^ 5 - x, with an i64 detour; 13 instructions
  ;;   local.get 0, i32.const 3, i32.mul, i32.const 5, i32.xor   5
  ;;   local.get 0, i64.extend_i32_u, i64.const 1, i64.add       9
  ;;   i32.wrap_i64, i32.const 1, i32.sub, i32.sub              13
  ;;   end                                                      14
  ;; fuel 14; mix(4) = (12 ^ 5) - 4 = 9 - 4 = 5
  (func (export "mix") (param i32) (result i32)
    local.get 0
    i32.const 3
    i32.mul
    i32.const 5
    i32.xor
    local.get 0
    i64.extend_i32_u
    i64.const 1
    i64.add
    i32.wrap_i64
    i32.const 1
    i32.sub
    i32.sub)
)
