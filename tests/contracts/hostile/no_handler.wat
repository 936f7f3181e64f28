;; no_handler -- exports memory and allocate but no handle_contract_call.
;; Expected: deploy refuses it (compilation_failed naming the missing
;; export).
(module
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (i32.const 1024)))
