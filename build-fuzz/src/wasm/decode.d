build-fuzz/src/wasm/decode.o: src/wasm/decode.c src/wasm/module.h \
  include/wvm.h src/wasm/mem.h src/wasm/read.h

src/wasm/module.h:

include/wvm.h:

src/wasm/mem.h:

src/wasm/read.h:
