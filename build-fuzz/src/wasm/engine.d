build-fuzz/src/wasm/engine.o: src/wasm/engine.c src/wasm/runtime.h \
  include/wvm.h src/wasm/module.h src/wasm/ops.h src/wasm/mem.h

src/wasm/runtime.h:

include/wvm.h:

src/wasm/module.h:

src/wasm/ops.h:

src/wasm/mem.h:
