;; bigtable.wat -- a table of 10000001 elements, one over wvm run's limit.
(module
  (table 10000001 funcref)
  (func (export "_start")))
