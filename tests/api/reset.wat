;; reset.wat -- a guest for wvm_instance_snapshot / wvm_instance_reset
;; (tests/unit/test_reset.c): "dirty" changes every part of the state a
;; reset puts back (memory by each kind of write, its size, globals, a
;; table's elements and size, dropped segments); the other exports read
;; that state.  It imports a host function and an immutable global, which
;; a snapshot allows.
(module
  (import "env" "poke" (func $poke (param i32 i32)))
  (import "env" "k" (global $k i32))
  (type $rt (func (result i32)))
  (memory (export "mem") 1 4)
  (global $g (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const 100))
  (table $t 2 10 funcref)
  (elem (table $t) (i32.const 0) func $f1)
  (elem $pe func $f1 $f2)
  (data (i32.const 16) "snap")
  (data $pd "passive")
  (func $f1 (result i32) i32.const 11)
  (func $f2 (result i32) i32.const 22)
  (func (export "dirty")
    ;; plain stores, of each width, one of them a constant
    i32.const 16 i32.const 0x41414141 i32.store
    i32.const 60000 i64.const -1 i64.store
    i32.const 4095 i32.const 0x1234 i32.store16
    i32.const 8192 i32.const 9 i32.store8
    i32.const 65528 i64.const 0x0102030405060708 i64.store
    ;; grow, and a store into the new page
    i32.const 2 memory.grow drop
    i32.const 70000 i32.const 99 i32.store
    i32.const 42 global.set $g
    i64.const 5 global.set $h
    i32.const 1 ref.func $f2 table.set $t
    ref.func $f1 i32.const 3 table.grow $t drop
    i32.const 100 i32.const 0 i32.const 7 memory.init $pd
    data.drop $pd
    i32.const 0 i32.const 0 i32.const 2 table.init $t $pe
    elem.drop $pe
    i32.const 3 ref.null func i32.const 2 table.fill $t
    i32.const 2 i32.const 0 i32.const 1 table.copy $t $t
    i32.const 200 i32.const 0xee i32.const 300 memory.fill
    i32.const 1000 i32.const 16 i32.const 4 memory.copy
    ;; the host writes through wvm_caller_write
    i32.const 30000 i32.const 0x77 call $poke)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "g") (result i32) global.get $g)
  (func (export "h") (result i64) global.get $h)
  (func (export "k") (result i32) global.get $k)
  (func (export "pages") (result i32) memory.size)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "tsize") (result i32) table.size $t)
  (func (export "tcall") (param i32) (result i32) local.get 0 call_indirect $t (type $rt))
  (func (export "tnull") (param i32) (result i32) local.get 0 table.get $t ref.is_null)
  ;; trap (out of bounds) when their segment is dropped
  (func (export "init_data") i32.const 300 i32.const 0 i32.const 7 memory.init $pd)
  (func (export "init_elem") i32.const 2 i32.const 0 i32.const 2 table.init $t $pe)
)
