build-fuzz/src/wasm/wasi.o: src/wasm/wasi.c include/wvm.h

include/wvm.h:
