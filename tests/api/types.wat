;; types.wat -- one import and one export of each kind, for
;; wvm_module_import_type / wvm_module_export_type (tests/unit/test_extern.c).
(module
  (import "env" "f" (func (param i32 i64) (result f32)))
  (import "env" "t" (table 1 10 funcref))
  (import "env" "m" (memory 2))
  (import "env" "g" (global (mut i64)))
  (import "env" "c" (global f32))
  (table $own 3 externref)
  (global $own (mut f64) (f64.const 0))
  (func (export "fx") (param f64) (result i32 i64)
    i32.const 0
    i64.const 0)
  (export "fi" (func 0))
  (export "tx" (table 0))
  (export "town" (table $own))
  (export "mx" (memory 0))
  (export "gx" (global 0))
  (export "gown" (global $own))
)
