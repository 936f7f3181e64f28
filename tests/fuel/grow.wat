;; grow.wat -- memory.grow costs its opcode (1) plus memory_grow_page (50)
;; per page requested, charged before growing: a grow that fails (-1)
;; still pays for the pages it asked for.
(module
  (memory 1 4)
  ;; grow(n): local.get 0, memory.grow, end = 3, + 50n
  ;; grow(0) = 1, fuel 3;  grow(2) = 1, fuel 103;  grow(3) = 1, fuel 153
  ;; grow(10) = -1 (over the max of 4), fuel 503
  ;; grow(2), limit 102: the block (3) is paid, the 100 for pages is not:
  ;;   trap out_of_fuel, fuel used 3
  ;; grow(2), limit 103: just enough: 1, fuel 103
  (func (export "grow") (param i32) (result i32)
    local.get 0
    memory.grow)

  ;; twice(): grows 1 page, then 1 more, returns memory.size
  ;;   i32.const 1, memory.grow, drop, i32.const 1, memory.grow, drop,
  ;;   memory.size, end = 8, + 2 * 50
  ;; twice() = 3, fuel 108
  (func (export "twice") (result i32)
    i32.const 1
    memory.grow
    drop
    i32.const 1
    memory.grow
    drop
    memory.size)
)
