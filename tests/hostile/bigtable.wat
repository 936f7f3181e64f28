;; bigtable.wat -- declares a table of 5000 elements.
(module
  (table 5000 funcref))
