build-fuzz/src/wasm/compile.o: src/wasm/compile.c src/wasm/runtime.h \
  include/wvm.h src/wasm/module.h src/wasm/ops.h src/wasm/read.h \
  src/wasm/mem.h

src/wasm/runtime.h:

include/wvm.h:

src/wasm/module.h:

src/wasm/ops.h:

src/wasm/read.h:

src/wasm/mem.h:
