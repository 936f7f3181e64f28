;; host.wat -- host calls.  The runtime charges nothing for calling a host
;; function beyond the `call` opcode itself; the host charges what it
;; wants with wvm_caller_charge.  The test provides
;;   env.charge(i32): wvm_caller_charge(its argument)
;;   env.nop():       nothing
(module
  (import "env" "charge" (func $charge (param i32)))
  (import "env" "nop" (func $nop))
  ;; host(n): local.get 0, call, call, i32.const 1, end = 5, + n
  ;; host(0) = 1, fuel 5;  host(1000) = 1, fuel 1005;  host(25000) = 1, fuel 25005
  ;; host(1000), limit 1004: the host's charge fails: trap out_of_fuel,
  ;;   fuel used 5 (only the block)
  ;; host(1000), limit 4: the entry block cannot be paid: fuel used 0
  (func (export "host") (param i32) (result i32)
    local.get 0
    call $charge
    call $nop
    i32.const 1)

  ;; loopy(n): calls charge(1) n times in a loop
  ;;   B0: block, loop                                    = 2
  ;;   L:  local.get 0, i32.eqz, br_if 1                  = 3
  ;;   A:  i32.const 1, call, local.get 0, i32.const 1,
  ;;       i32.sub, local.set 0, br 0                     = 7  (+1 from the host)
  ;;   E:  end (never runs)
  ;;   F:  i32.const 7, end                               = 2
  ;; loopy(n) = 7, fuel 2 + 3(n+1) + 8n + 2 = 11n + 7;  loopy(100): fuel 1107
  (func (export "loopy") (param i32) (result i32)
    block
      loop
        local.get 0
        i32.eqz
        br_if 1
        i32.const 1
        call $charge
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        br 0
      end
    end
    i32.const 7)
)
