;; bulk.wat -- memory.fill, memory.copy, memory.init and the table forms
;; pay their opcode (1) plus bulk_64_bytes (1) per started 64 bytes they
;; touch (table elements count 8 bytes), charged before the bounds check.
(module
  (memory 1)
  (table 100 funcref)
  (data "abcdefgh")
  (elem func $f)
  (func $f)
  ;; fill(n): i32.const 0, i32.const 7, local.get 0, memory.fill,
  ;;   i32.const 0, end = 6, + ceil(n / 64)
  ;; fill(0) = 0, fuel 6;  fill(1): 7;  fill(64): 7;  fill(65): 8
  ;; fill(65536): 6 + 1024 = 1030
  ;; fill(65537): out of bounds, but the bytes are paid first: trap
  ;;   memory_oob, fuel 6 + 1025 = 1031
  ;; fill(65536), limit 1029: the block (6) is paid, the 1024 for bytes
  ;;   is not: trap out_of_fuel before filling, fuel used 6
  (func (export "fill") (param i32) (result i32)
    i32.const 0
    i32.const 7
    local.get 0
    memory.fill
    i32.const 0)
  ;; copy(n): same shape: copy(128) fuel 6 + 2 = 8
  (func (export "copy") (param i32) (result i32)
    i32.const 64
    i32.const 0
    local.get 0
    memory.copy
    i32.const 0)
  ;; init(n): init(8) fuel 6 + 1 = 7; init(9): memory_oob (segment is 8
  ;;   bytes), fuel 7
  (func (export "init") (param i32) (result i32)
    i32.const 0
    i32.const 0
    local.get 0
    memory.init 0
    i32.const 0)
  ;; tfill(n): i32.const 0, ref.null, local.get 0, table.fill, i32.const
  ;;   0, end = 6, + ceil(8n / 64): tfill(8) = 7, tfill(9) = 8,
  ;;   tfill(100) = 6 + 13 = 19
  (func (export "tfill") (param i32) (result i32)
    i32.const 0
    ref.null func
    local.get 0
    table.fill 0
    i32.const 0)
  ;; tcopy(16): 6 + 2 = 8
  (func (export "tcopy") (param i32) (result i32)
    i32.const 50
    i32.const 0
    local.get 0
    table.copy
    i32.const 0)
  ;; tinit(1): 6 + 1 = 7
  (func (export "tinit") (param i32) (result i32)
    i32.const 0
    i32.const 0
    local.get 0
    table.init 0
    i32.const 0)
)
