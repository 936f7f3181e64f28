;; wvm's own conformance script (run with the spec suite by `make test`):
;; a select whose condition is x == 0 or x != 0, made just before, tests x
;; itself (operands swapped for == 0), and i32.eqz of i32.eqz is x != 0
;; (src/wasm/compile.c, select_on_source and fuse_not).  These check each
;; test against zero, i64 and f64 operands, constant operands written
;; after the condition, a test against 1 (left alone), and a condition
;; kept in a local.  Expected values are V8's (node 20).

(module
  ;; select on x == 0 or x != 0 made just before: select on x itself
  (func (export "sel_eqz") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.eqz (local.get 2))))
  (func (export "sel_eqz2") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.eqz (i32.eqz (local.get 2)))))
  (func (export "sel_eq0") (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (i32.eq (local.get 2) (i32.const 0))))
  (func (export "sel_ne0") (param f64 f64 i32) (result f64)
    (select (local.get 0) (local.get 1) (i32.ne (i32.const 0) (local.get 2))))
  ;; the operands are constants, written after the condition was made
  (func (export "sel_k") (param i32) (result i32)
    (select (i32.const 11) (i32.const 22) (i32.eqz (i32.and (local.get 0) (i32.const 1)))))
  ;; x == 1 is not a test against zero
  (func (export "sel_eq1") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.eq (local.get 2) (i32.const 1))))
  ;; the eqz result kept in a local: select still right, the local too
  (func (export "sel_kept") (param i32 i32 i32) (result i32)
    (local i32)
    (i32.add (select (local.get 0) (local.get 1) (local.tee 3 (i32.eqz (local.get 2))))
             (i32.mul (local.get 3) (i32.const 1000))))
  ;; count += !x, as clang writes it
  (func (export "count_zero") (param i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.eqz (local.get 0)) (i32.eqz (local.get 1))) (i32.eqz (i32.eqz (local.get 2)))))
)

(assert_return (invoke "sel_eqz" (i32.const 5) (i32.const 7) (i32.const 0)) (i32.const 5))
(assert_return (invoke "sel_eqz" (i32.const 5) (i32.const 7) (i32.const 1)) (i32.const 7))
(assert_return (invoke "sel_eqz" (i32.const 5) (i32.const 7) (i32.const 2)) (i32.const 7))
(assert_return (invoke "sel_eqz" (i32.const 5) (i32.const 7) (i32.const -1)) (i32.const 7))
(assert_return (invoke "sel_eqz2" (i32.const 5) (i32.const 7) (i32.const 0)) (i32.const 7))
(assert_return (invoke "sel_eqz2" (i32.const 5) (i32.const 7) (i32.const 1)) (i32.const 5))
(assert_return (invoke "sel_eqz2" (i32.const 5) (i32.const 7) (i32.const 2)) (i32.const 5))
(assert_return (invoke "sel_eqz2" (i32.const 5) (i32.const 7) (i32.const -1)) (i32.const 5))
(assert_return (invoke "sel_eq1" (i32.const 5) (i32.const 7) (i32.const 0)) (i32.const 7))
(assert_return (invoke "sel_eq1" (i32.const 5) (i32.const 7) (i32.const 1)) (i32.const 5))
(assert_return (invoke "sel_eq1" (i32.const 5) (i32.const 7) (i32.const 2)) (i32.const 7))
(assert_return (invoke "sel_eq1" (i32.const 5) (i32.const 7) (i32.const -1)) (i32.const 7))
(assert_return (invoke "sel_kept" (i32.const 5) (i32.const 7) (i32.const 0)) (i32.const 1005))
(assert_return (invoke "sel_kept" (i32.const 5) (i32.const 7) (i32.const 1)) (i32.const 7))
(assert_return (invoke "sel_kept" (i32.const 5) (i32.const 7) (i32.const 2)) (i32.const 7))
(assert_return (invoke "sel_kept" (i32.const 5) (i32.const 7) (i32.const -1)) (i32.const 7))
(assert_return (invoke "sel_eq0" (i64.const -5) (i64.const 0x100000000) (i32.const 0)) (i64.const -5))
(assert_return (invoke "sel_eq0" (i64.const -5) (i64.const 0x100000000) (i32.const 3)) (i64.const 4294967296))
(assert_return (invoke "sel_ne0" (f64.const 1.5) (f64.const -2.5) (i32.const 0)) (f64.const -2.5))
(assert_return (invoke "sel_ne0" (f64.const 1.5) (f64.const -2.5) (i32.const -8)) (f64.const 1.5))
(assert_return (invoke "sel_k" (i32.const 0)) (i32.const 11))
(assert_return (invoke "sel_k" (i32.const 1)) (i32.const 22))
(assert_return (invoke "sel_k" (i32.const 2)) (i32.const 11))
(assert_return (invoke "sel_k" (i32.const 3)) (i32.const 22))
(assert_return (invoke "count_zero" (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 2))
(assert_return (invoke "count_zero" (i32.const 0) (i32.const 1) (i32.const 2)) (i32.const 2))
(assert_return (invoke "count_zero" (i32.const 3) (i32.const 0) (i32.const 0)) (i32.const 1))
(assert_return (invoke "count_zero" (i32.const 1) (i32.const 1) (i32.const 1)) (i32.const 1))
