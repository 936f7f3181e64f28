;; bulk_fill -- memory.fill of the whole memory (16 MiB after growing to
;; the engine's limit) in an endless loop.  The runtime charges each
;; 0xfc-prefixed instruction a flat op_fc cost (docs/fuel.md), whatever
;; its length, so each iteration does 16 MiB of work for a few fuel.
;; Expected: the call ends (timeout, or out of fuel once bulk memory is
;; charged per byte); the node stays responsive.  The SDK does not use
;; bulk memory (it builds without -mbulk-memory), so contracts built with
;; it never depend on the flat price.
(module
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (i32.const 1024))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (loop $l
      (memory.fill (i32.const 0) (i32.const 7) (i32.mul (memory.size) (i32.const 65536)))
      (br $l))
    (i32.const 0)))
