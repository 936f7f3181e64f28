build-fuzz/src/wasm/instance.o: src/wasm/instance.c src/wasm/runtime.h \
  include/wvm.h src/wasm/module.h src/wasm/ops.h src/wasm/mem.h

src/wasm/runtime.h:

include/wvm.h:

src/wasm/module.h:

src/wasm/ops.h:

src/wasm/mem.h:
