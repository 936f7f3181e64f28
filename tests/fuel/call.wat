;; call.wat -- direct calls, recursion, call_indirect.
;; Default costs: every opcode 1.  `call` does not end a block: the
;; caller's block is charged in full before the call, the callee's entry
;; block when the callee starts.
(module
  (type $t (func (param i32) (result i32)))
  (table 4 funcref)
  ;; slot 0 $inc, 1 $dbl, 2 $wide (another type), 3 null
  (elem (i32.const 0) $inc $dbl $wide)

  ;; sq: local.get 0, local.get 0, i32.mul, end = 4
  (func $sq (param i32) (result i32)
    local.get 0
    local.get 0
    i32.mul)

  ;; callsq(x) = x*x + 1: local.get 0, call, i32.const 1, i32.add, end = 5
  ;; plus sq 4: callsq(7) = 50, fuel 9
  (func (export "callsq") (param i32) (result i32)
    local.get 0
    call $sq
    i32.const 1
    i32.add)

  ;; fact(n)
  ;;   B0: local.get 0, i32.eqz, if                              = 3
  ;;   T:  i32.const 1, else                                     = 2
  ;;   E:  local.get 0, local.get 0, i32.const 1, i32.sub, call,
  ;;       i32.mul, end                                          = 7
  ;;   A:  end (the function's)                                  = 1
  ;; fact(0) = 3 + 2 + 1 = 6;  fact(n) = 3 + 7 + 1 + fact(n-1) = 11n + 6
  ;; fact(5) = 120, fuel 61;  fact(10) = 3628800, fuel 116
;; fact(10), limit 98: levels 10..1 each pay B0 then E (10 a level);
;;   fact(1)'s B0 ends at 93, its E needs 7 -> 100 > 98: trap, used 93
  (func $fact (export "fact") (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 1
    else
      local.get 0
      local.get 0
      i32.const 1
      i32.sub
      call $fact
      i32.mul
    end)

  ;; inc, dbl: 4 each (3 instructions + end)
  (func $inc (type $t) local.get 0 i32.const 1 i32.add)
  (func $dbl (type $t) local.get 0 local.get 0 i32.add)
  (func $wide (param i64) (result i32) i32.const 0)

  ;; ci(i, x) = table[i](x)
  ;;   local.get 1, local.get 0, call_indirect, end = 4, + callee 4
  ;; ci(0, 5) = 6, fuel 8;  ci(1, 5) = 10, fuel 8
  ;; traps happen after the caller's block was paid: fuel 4 each
  ;;   ci(2, 5): wrong type -> indirect_type;  ci(3, 5): null -> indirect_null
  ;;   ci(4, 5): past the table -> table_oob
  (func (export "ci") (param i32 i32) (result i32)
    local.get 1
    local.get 0
    call_indirect (type $t))
)
