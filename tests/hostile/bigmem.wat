;; bigmem.wat -- declares 100 pages (6.25 MiB) of memory.
(module
  (memory 100))
