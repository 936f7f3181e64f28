build-fuzz/src/wasm/dump.o: src/wasm/dump.c src/wasm/runtime.h \
  include/wvm.h src/wasm/module.h src/wasm/ops.h

src/wasm/runtime.h:

include/wvm.h:

src/wasm/module.h:

src/wasm/ops.h:
