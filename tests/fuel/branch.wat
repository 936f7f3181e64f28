;; branch.wat -- if/else, if without else, br_if, br_table, nested blocks.
;; Default costs: every opcode 1.  Blocks start at function entry and
;; after loop, if, else and br_if, and after an `end` that a branch lands
;; on (docs/fuel.md); `block`, `br`, `br_table`, `return` and `call` do
;; not start one.
(module
  ;; sel(x) = x ? 10 + 1 : 20, then + 1
  ;;   B0: local.get 0, if                          = 2
  ;;   T:  i32.const 10, i32.const 1, i32.add, else = 4  (`else` ends the then-arm)
  ;;   E:  i32.const 20, end                        = 2
  ;;   A:  i32.const 1, i32.add, end                = 3
  ;; sel(1) = 12, fuel 2 + 4 + 3 = 9
  ;; sel(0) = 21, fuel 2 + 2 + 3 = 7
  ;; sel(1), limit 5: T needs 4 -> 6 > 5: trap entering T, fuel used 2
  (func (export "sel") (param i32) (result i32)
    local.get 0
    if (result i32)
      i32.const 10
      i32.const 1
      i32.add
    else
      i32.const 20
    end
    i32.const 1
    i32.add)

  ;; ifonly(x) = x ? 5 : 0
  ;;   B0: local.get 0, if                  = 2
  ;;   T:  i32.const 5, local.set 1, end    = 3
  ;;   A:  local.get 1, end                 = 2
  ;; ifonly(1) = 5, fuel 7;  ifonly(0) = 0, fuel 4
  ;; ifonly(1), limit 4: T needs 3 -> 5 > 4: trap entering T, fuel used 2
  (func (export "ifonly") (param i32) (result i32)
    (local i32)
    local.get 0
    if
      i32.const 5
      local.set 1
    end
    local.get 1)

  ;; brif(x) = (x ? 7 : 8) + 100
  ;;   B0: block, i32.const 7, local.get 0, br_if 0  = 4
  ;;   N:  drop, i32.const 8, end                    = 3  (not taken only)
  ;;   A:  i32.const 100, i32.add, end               = 3
  ;; brif(1) = 107, fuel 4 + 3 = 7 (taken: lands after the block's end)
  ;; brif(0) = 108, fuel 4 + 3 + 3 = 10
  ;; brif(0), limit 6: N needs 3 -> 7 > 6: trap entering N, fuel used 4
  (func (export "brif") (param i32) (result i32)
    block (result i32)
      i32.const 7
      local.get 0
      br_if 0
      drop
      i32.const 8
    end
    i32.const 100
    i32.add)

  ;; bt(x): br_table 0 1 2 (default 2)
  ;;   B0: block, block, block, local.get 0, br_table  = 5
  ;;       the innermost `end` follows br_table: dead, free
  ;;   X1: i32.const 10, i32.const 1, i32.add, return   = 4   (label 0)
  ;;       the middle `end` follows return: dead, free
  ;;   X2: i32.const 20, return                        = 2   (label 1)
  ;;       the outer `end` follows return: dead, free
  ;;   X3: i32.const 30, nop, end                      = 3   (label 2)
  ;; bt(0) = 11, fuel 9;  bt(1) = 20, fuel 7;  bt(2) = 30, fuel 8;
  ;; bt(99) = 30 (default), fuel 8
  ;; bt(0), limit 8: X1 needs 4 -> 9 > 8: trap entering X1, fuel used 5
  ;; bt(99), limit 7: X3 needs 3 -> 8 > 7: trap entering X3, fuel used 5
  (func (export "bt") (param i32) (result i32)
    block
      block
        block
          local.get 0
          br_table 0 1 2
        end
        i32.const 10
        i32.const 1
        i32.add
        return
      end
      i32.const 20
      return
    end
    i32.const 30
    nop)

  ;; nest(x) = (x + 1) * 2, three nested blocks, no branches: no branch
  ;; lands on any `end`, so the whole body is one basic block
  ;;   B0: block, block, block, local.get 0, end, i32.const 1, i32.add,
  ;;       end, i32.const 2, i32.mul, end, end (the function's) = 12
  ;; nest(4) = 10, fuel 12.
  ;; Out of fuel: any limit under 12 leaves B0 unpaid, used 0;
  ;; limit 12 -> runs, used 12.
  (func (export "nest") (param i32) (result i32)
    block (result i32)
      block (result i32)
        block (result i32)
          local.get 0
        end
        i32.const 1
        i32.add
      end
      i32.const 2
      i32.mul
    end)
;; pair(x) = 5; the block that runs when br_if is not taken holds only
  ;; the `end`, and the block after it starts at once: the translation
  ;; charges both with one instruction (FUEL2, which the branch pays), and
  ;; must still stop between them when only the first fits
  ;;   B0: block, local.get 0, br_if 0     = 3
  ;;   N:  end                             = 1  (not taken only)
  ;;   A:  i32.const 5, end                = 2  (br_if lands here)
  ;; pair(1) = 5, fuel 3 + 2 = 5;  pair(0) = 5, fuel 3 + 1 + 2 = 6
  ;; pair(0), limit 5: N fits (4), A does not: trap entering A, used 4
  ;; pair(0), limit 3: N does not fit: trap entering N, used 3
  ;; pair(1), limit 4: A does not fit: trap entering A, used 3
  (func (export "pair") (param i32) (result i32)
    block
      local.get 0
      br_if 0
    end
    i32.const 5)
)
