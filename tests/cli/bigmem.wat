;; bigmem.wat -- 60000 pages (3.75 GiB) of memory: within wvm run's
;; limits, more than the test gives the process.
(module
  (memory 60000)
  (func (export "_start")))
