# wvm -- build, test, sanitizers, conformance, benchmarks.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
SAN     ?=
# flags the code needs whatever CFLAGS says: -ffp-contract=off keeps
# float results exactly IEEE (no fused multiply-add)
WVM_CFLAGS := -std=c11 -Wall -Wextra -fPIC -D_GNU_SOURCE -ffp-contract=off -Iinclude $(SAN)
LDLIBS  += -lm -lpthread $(SAN)
BUILD   ?= build

# The interpreter's handlers start on 16-byte boundaries: measured 3-8%
# faster and much less sensitive to where each handler happens to fall
# (gcc only; clang does not support the flag).
ifeq ($(findstring clang,$(CC)),)
$(BUILD)/src/wasm/interp.o: WVM_CFLAGS += -falign-labels=16
# On x86-64, no handler's dispatch jump (jmp *) may cross or end on a
# 32-byte boundary: Intel cores with the JCC-erratum microcode do not keep
# such a jump in the decoded-instruction cache, and a handler that has one
# runs from the legacy decoders.  Which handlers are hit depends on where
# the code falls; one build ran matmul in 6.1 s instead of 4.7 s.  Padding
# only the indirect jumps costs nothing measurable elsewhere.
ifneq ($(findstring x86_64,$(shell $(CC) -dumpmachine)),)
$(BUILD)/src/wasm/interp.o: WVM_CFLAGS += -Wa,-malign-branch-boundary=32 -Wa,-malign-branch=indirect
endif
endif

LIB_SRC  := $(sort $(wildcard src/wasm/*.c))
# The contract system (include/wvm_chain.h): state on LMDB, the host ABI,
# the call path.  A library of its own, so libwvm stays libc-only.
CHAIN_SRC := $(sort $(wildcard src/state/*.c src/host/*.c src/chain/*.c src/engine/*.c src/util/*.c))
CHAIN_LIBS := -llmdb -lz -lcrypto -ljson-c
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
# wvm build (src/toolchain/): parses contracts with libclang, which the
# CLI loads with dlopen when it builds (src/toolchain/libclang.h says why).
LLVM_DIR ?= /usr/lib/llvm-14
TOOLCHAIN_SRC := $(sort $(wildcard src/toolchain/*.c))
TOOLCHAIN_LIBS := -ldl
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
CHAIN_TEST_SRC := $(sort $(wildcard tests/chain/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CHAIN_OBJ := $(CHAIN_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o) $(TOOLCHAIN_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
CHAIN_TEST_OBJ := $(CHAIN_TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all demo test crashtest bench-state unit spectest asan bench bench-more clean examples diff fuzz fuzz-build valgrind spec-json
all: $(BUILD)/libwvm.a $(BUILD)/libwvm.so $(BUILD)/libwvmchain.a $(BUILD)/wvm $(BUILD)/embed

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isrc -Isdk/include -MMD -MP -c $< -o $@

$(TOOLCHAIN_SRC:%.c=$(BUILD)/%.o): WVM_CFLAGS += -I$(LLVM_DIR)/include
$(BUILD)/src/toolchain/libclang.o: WVM_CFLAGS += -DTOOLCHAIN_LIBCLANG='"$(LLVM_DIR)/lib/libclang.so.1"'
CLANG_RESOURCE_DIR := $(shell clang-14 -print-resource-dir 2>/dev/null)
ifneq ($(CLANG_RESOURCE_DIR),)
$(BUILD)/src/toolchain/validate.o: WVM_CFLAGS += -DTOOLCHAIN_RESOURCE_DIR='"$(CLANG_RESOURCE_DIR)"'
endif

# A translation written out names the build that made it (persist.c):
# a hash of the runtime's sources, so that any change to them makes the
# blobs of an older build stale.
WVM_BUILD_ID := $(shell cat $(sort $(wildcard src/wasm/*.c src/wasm/*.h)) include/wvm.h | sha256sum | cut -c1-16)
$(BUILD)/src/wasm/persist.o: WVM_CFLAGS += -DWVM_BUILD_ID='"$(WVM_BUILD_ID)"'
$(BUILD)/src/wasm/persist.o: $(wildcard src/wasm/*.c src/wasm/*.h) include/wvm.h

# libwvm exports the public API and nothing else (tests/symbols.sh checks
# it): the library's objects are compiled with hidden visibility and
# include/wvm.h makes its own declarations default.  That alone hides
# internal names in libwvm.so only; for libwvm.a the objects are linked
# into one relocatable object whose hidden symbols are then made local,
# so that an embedder's own memory_init or store_error cannot clash.
$(LIB_OBJ): WVM_CFLAGS += -fvisibility=hidden
OBJCOPY ?= objcopy

$(BUILD)/libwvm.o: $(LIB_OBJ)
	$(CC) -r -nostdlib -o $@.tmp $^
	$(OBJCOPY) --localize-hidden $@.tmp
	mv $@.tmp $@

$(BUILD)/libwvm.a: $(BUILD)/libwvm.o
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libwvm.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LDLIBS)

$(BUILD)/libwvmchain.a: $(CHAIN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/wvm: $(CLI_OBJ) $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a -lcjson $(CHAIN_LIBS) $(TOOLCHAIN_LIBS) $(LDLIBS)

# Tests of the contract system (tests/chain/, same TEST/CHECK harness).
# Their small contracts are .wat files converted by wabt's wat2wasm.
CHAIN_WAT  := $(sort $(wildcard tests/chain/*.wat))
CHAIN_WASM := $(CHAIN_WAT:tests/chain/%.wat=$(BUILD)/chain-wasm/%.wasm)
$(BUILD)/chain-wasm/%.wasm: tests/chain/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@
$(CHAIN_TEST_OBJ): WVM_CFLAGS += -DCT_WASM_DIR='"$(BUILD)/chain-wasm"' -DCT_BUILD='"$(BUILD)"'

# Contracts of the call tests (tests/calls/), built by our own `wvm build`
# so that their policies reach the ABI section.
CALLS_WASM := $(patsubst tests/calls/%.c,$(BUILD)/calls-wasm/%.wasm,$(wildcard tests/calls/*.c))
$(BUILD)/calls-wasm/%.wasm: tests/calls/%.c $(BUILD)/wvm $(BUILD)/sdk/libwvmsdk.a sdk/include/wvm/contract.h
	@mkdir -p $(dir $@)
	$(BUILD)/wvm build $< -o $@

# The library's own malloc, calloc and realloc (not the shared libraries')
# go through tests/chain/failalloc.c, which a test can make fail.
CHAIN_TEST_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc
$(BUILD)/chain-tests: $(CHAIN_TEST_OBJ) $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a | $(CHAIN_WASM) $(CALLS_WASM)
	$(CC) $(WVM_CFLAGS) $(CFLAGS) $(CHAIN_TEST_WRAP) -o $@ $(CHAIN_TEST_OBJ) $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a $(CHAIN_LIBS) $(LDLIBS)

.PHONY: toolchain-test bench-build
toolchain-test: $(BUILD)/wvm $(BUILD)/toolchain-harness $(BUILD)/sdk/libwvmsdk.a
	sh tests/toolchain/run.sh $(BUILD)

# Runs one call of a contract built by wvm build (tests/toolchain/run.sh).
$(BUILD)/toolchain-harness: tests/toolchain/harness.c $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isdk/include -o $@ $< $(BUILD)/libwvm.a $(LDLIBS)

# The crash test (tests/chain/crash.sh): a writer SIGKILLed at random
# moments, the store checked after each kill.
$(BUILD)/chain-crash: tests/chain/crash/crash.c $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a $(CHAIN_LIBS) $(LDLIBS)

crashtest: $(BUILD)/chain-crash
	$(BUILD)/chain-crash $(BUILD)/crashtest 100

# The embedding example, built as the README says (public header only).
$(BUILD)/embed: examples/embed.c include/wvm.h $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ examples/embed.c $(BUILD)/libwvm.a $(LDLIBS)

# The load-time validator against the translator's checks (make test).
$(BUILD)/validate-agree: tests/validate/agree.c include/wvm.h $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ tests/validate/agree.c $(BUILD)/libwvm.a $(LDLIBS)

# The unit tests link the objects, not libwvm.a: test_decode.c calls the
# decoder's internal functions, which the archive does not export.
$(BUILD)/unit-tests: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $(TEST_OBJ) $(LIB_OBJ) $(LDLIBS)

# Spec test JSON made by wast2json from ../shared/wasm-testsuite (no SIMD),
# plus wvm's own scripts in tests/wast (named wvm_*, so no clash).
TESTSUITE ?= ../shared/wasm-testsuite
SPEC_DIR  := $(BUILD)/spec
spec-json:
	@sh tests/spec/convert.sh $(TESTSUITE) $(SPEC_DIR)
	@sh tests/spec/convert.sh tests/wast $(SPEC_DIR)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

spectest: $(BUILD)/wvm spec-json
	$(BUILD)/wvm spectest $(SPEC_DIR)/*.json

# `make test`: the exported-symbol check, unit tests, the CLI's tests
# (tests/cli), the embedding example against its expected output, the
# contract system's tests and crash test, the toolchain's and the
# installed tree's tests, then the whole conformance suite; each prints
# "N passed, N failed" (or a diff) and fails the build on any failure.
test: $(STUB_WASM)
test: $(BUILD)/unit-tests $(BUILD)/validate-agree $(BUILD)/chain-tests $(BUILD)/chain-crash $(BUILD)/wvm $(BUILD)/embed $(BUILD)/libwvm.a $(BUILD)/libwvm.so $(CHAIN_WASM) $(BUILD)/toolchain-harness $(BUILD)/sdk/libwvmsdk.a spec-json
	sh tests/symbols.sh $(BUILD)/libwvm.so $(BUILD)/libwvm.a
	$(BUILD)/unit-tests
	WVM_SANITIZED=$(if $(SAN),1,0) sh tests/cli/run.sh $(BUILD)
	$(BUILD)/embed examples/embed.wasm > $(BUILD)/embed.out
	diff -u examples/embed.expected $(BUILD)/embed.out && echo "embed: output as expected"
	$(BUILD)/chain-tests
	sh tests/chain/cli.sh $(BUILD)
	sh tests/chain/call_cli.sh $(BUILD)
	sh tests/chain/stats_cli.sh $(BUILD)
	sh tests/calls/cli.sh $(BUILD)
	$(BUILD)/chain-crash $(BUILD)/crashtest 100
	sh tests/toolchain/run.sh $(BUILD)
	WVM_CC="$(CC)" WVM_SAN="$(SAN)" sh tests/install/run.sh $(BUILD)
	$(BUILD)/wvm spectest $(SPEC_DIR)/*.json
	$(BUILD)/validate-agree $(SPEC_DIR)/*.wasm
	@echo "spec suite again, translated without metering:"
	@$(BUILD)/wvm spectest --no-metering $(SPEC_DIR)/*.json > $(BUILD)/spectest-unmetered.log; \
	  rc=$$?; grep -v ' 0 failed' $(BUILD)/spectest-unmetered.log | head -20; tail -n 1 $(BUILD)/spectest-unmetered.log; exit $$rc
	@echo "spec suite again, each module's translation written out and read back:"
	@$(BUILD)/wvm spectest --via-translation $(SPEC_DIR)/*.json > $(BUILD)/spectest-persisted.log; \
	  rc=$$?; grep -v ' 0 failed' $(BUILD)/spectest-persisted.log | head -20; tail -n 1 $(BUILD)/spectest-persisted.log; exit $$rc

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then
# the same tests.
asan:
	$(MAKE) BUILD=build-asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

# ThreadSanitizer build (clang) of the contract system's tests, then the
# concurrent suite (tests/chain/test_engine.c: many threads calling and
# querying, the cache's single flight) and the call path's tests.
.PHONY: tsan
tsan:
	$(MAKE) BUILD=build-tsan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=thread" build-tsan/chain-tests
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/chain-tests engine

# libFuzzer targets (tests/fuzz/README.md): the library rebuilt with
# clang-14, ASan and UBSan into build-fuzz/, one binary per
# tests/fuzz/fuzz_*.c.  `make fuzz` runs each for FUZZ_TIME seconds on a
# copy of its seed corpus (build-fuzz/corpus/NAME, kept between runs; the repository's
# corpus is never written) and fails if any target finds a crash; the
# input is saved as build-fuzz/artifacts/NAME-crash-*.
FUZZ_CC    ?= clang-14
FUZZ_TIME  ?= 60
FUZZ_BUILD := build-fuzz
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS := -std=c11 -Wall -Wextra -D_GNU_SOURCE -ffp-contract=off -Iinclude \
              -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BINS  := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -Isrc -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) -lm -lpthread

fuzz-build: $(FUZZ_BINS)
.SECONDARY: $(FUZZ_LIB_OBJ)

fuzz: fuzz-build
	@failed=; for t in $(FUZZ_NAMES); do \
	  echo "== $$t ($(FUZZ_TIME) s)"; \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts; \
	  cp -n tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/ 2>/dev/null; \
	  mkdir -p $(FUZZ_BUILD)/logs; \
	  if $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- \
	    $(FUZZ_BUILD)/corpus/$$t > $(FUZZ_BUILD)/logs/$$t.log 2>&1; then \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^Done' $(FUZZ_BUILD)/logs/$$t.log; \
	  else failed="$$failed $$t"; tail -n 60 $(FUZZ_BUILD)/logs/$$t.log; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed (see $(FUZZ_BUILD)/artifacts/ and logs/)"; exit 1; fi; \
	echo "fuzz: no crash in $(FUZZ_NAMES) ($(FUZZ_TIME) s each)"

# valgrind memcheck over wvm run and the whole spec suite: exit status 99
# means a memcheck error or leak.  (Under valgrind 8 i64->f32 conversion
# assertions of conversions.json fail: valgrind emulates cvtsi2ss through
# double, rounding twice; they pass natively and under ASan.)
valgrind: $(BUILD)/wvm spec-json
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
	  $(BUILD)/wvm run examples/hello.wasm
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
	  $(BUILD)/wvm spectest $(SPEC_DIR)/*.json > $(BUILD)/valgrind-spectest.log 2>&1; \
	  rc=$$?; tail -n 1 $(BUILD)/valgrind-spectest.log; \
	  if [ $$rc -eq 99 ]; then grep -v "json:" $(BUILD)/valgrind-spectest.log | head -50; exit 1; fi; \
	  echo "valgrind: no memcheck errors or leaks"

bench: $(BUILD)/wvm $(BUILD)/bench-state
	sh bench/run.sh
	$(BUILD)/bench-state $(BUILD)/bench-state.d
	$(MAKE) bench-engine

# The engine service's figures beside issue 16's targets (bench/engine.c),
# on gen_big.py's 1 MB module and the example contracts.
.PHONY: bench-engine
BIG_WASM := $(BUILD)/bench-engine/big.wasm
$(BIG_WASM): ../shared/bench/gen_big.py
	@mkdir -p $(dir $@)
	python3 $< > $(BUILD)/bench-engine/big.c
	$(WASM_CC) --target=wasm32-wasi -O2 -mexec-model=reactor -DREACTOR -o $@ $(BUILD)/bench-engine/big.c

$(BUILD)/bench-engine/bench-engine: bench/engine.c $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a
	@mkdir -p $(dir $@)
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a $(CHAIN_LIBS) $(LDLIBS)

bench-engine: $(BUILD)/bench-engine/bench-engine $(BIG_WASM) $(EXAMPLE_WASM)
	$(BUILD)/bench-engine/bench-engine $(BUILD) $(BIG_WASM) $(BUILD)/bench-engine/state

# The state store's costs alone (bench/state.c).
bench-state: $(BUILD)/bench-state
	$(BUILD)/bench-state $(BUILD)/bench-state.d

$(BUILD)/bench-state: bench/state.c $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a $(CHAIN_LIBS) $(LDLIBS)

# What tracing and the folded profile cost a three-level call (bench/calls.c).
.PHONY: bench-calls
bench-calls: $(BUILD)/bench-calls $(CALLS_WASM)
	$(BUILD)/bench-calls $(BUILD)
$(BUILD)/bench-calls: bench/calls.c $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libwvmchain.a $(BUILD)/libwvm.a $(CHAIN_LIBS) $(LDLIBS)

# How long `wvm build` takes on the token example (bench/build.sh).
bench-build: $(BUILD)/wvm $(BUILD)/sdk/libwvmsdk.a
	WVM=$(BUILD)/wvm sh bench/build.sh

# wvm's own extra programs (bench/programs): the same table, no load cost
bench-more: $(BUILD)/wvm
	BENCH_SRC=bench/programs BENCH_OUT=$(BUILD)/bench-more sh bench/run.sh

# Differential test against node (V8) on binaryen -ttf modules
# (tests/diff/README.md).  DIFF_N modules from seed DIFF_SEED.
DIFF_N    ?= 300
DIFF_SEED ?= 1
$(BUILD)/wvm_diff: tests/diff/wvm_diff.c $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libwvm.a $(LDLIBS)

diff: $(BUILD)/wvm_diff
	BUILD=$(BUILD) sh tests/diff/run.sh $(DIFF_N) $(DIFF_SEED)

# `make install PREFIX=...` (DESTDIR for staging): the CLI, libwvm (static
# and shared), libwvmchain, the public headers, wvm.pc and wvm-chain.pc
# for pkg-config, and the contract SDK (headers and the wasm32 library)
# in PREFIX/lib/wvm/sdk, where an installed `wvm build` looks for it.
PREFIX  ?= /usr/local
VERSION ?= 0.1.0
.PHONY: install install-test
install: all $(BUILD)/sdk/libwvmsdk.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/wvm/sdk/include/wvm \
	  $(DESTDIR)$(PREFIX)/lib/wvm/sdk/lib
	install -m 755 $(BUILD)/wvm $(DESTDIR)$(PREFIX)/bin/wvm
	install -m 644 $(BUILD)/libwvm.a $(BUILD)/libwvmchain.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libwvm.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/wvm.h include/wvm_chain.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 sdk/include/wvm/*.h $(DESTDIR)$(PREFIX)/lib/wvm/sdk/include/wvm/
	for pc in wvm wvm-chain; do \
	  sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $$pc.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$pc.pc; done
	install -m 644 $(BUILD)/sdk/libwvmsdk.a $(DESTDIR)$(PREFIX)/lib/wvm/sdk/lib/

# Installs into a temporary prefix, builds a contract elsewhere with the
# installed wvm and an embedding program with pkg-config.
install-test: all $(BUILD)/sdk/libwvmsdk.a
	WVM_CC="$(CC)" WVM_SAN="$(SAN)" sh tests/install/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz build-tsan

-include $(LIB_OBJ:.o=.d) $(CHAIN_OBJ:.o=.d) $(CHAIN_TEST_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d)

# ------------------------------------------------------------------
# The contract SDK (sdk/README.md): libwvmsdk.a for wasm32, the example
# contracts, the SDK's test contracts and the hostile contracts, built
# with clang-14 for wasm32 (Debian: clang-14 lld-14 wasi-libc
# libclang-rt-14-dev-wasm32).  Contracts import only module "env": the
# SDK uses no WASI call, only freestanding wasi-libc functions (memcpy,
# memset, strlen, ...); tests/sdk/check_imports.sh checks every contract.
WASM_CC      ?= clang-14
WASM_AR      ?= llvm-ar-14
# -O2, not -Oz: fuel is per instruction executed, and -Oz's smaller code
# runs about a third more of them (token Transfer: 10,085 against 7,473).
# Bulk memory: memcpy and memset become memory.copy and memory.fill,
# metered per 64 bytes (docs/fuel.md), not wasi-libc's byte loops.
# -flto: the SDK is bitcode, so the link inlines its small functions
# into the contract (a wasm call is dear: token Transfer 8,454 -> 7,473
# fuel).
WASM_OPT     ?= -O2
WASM_CFLAGS  := --target=wasm32-wasi -std=c11 -Wall -Wextra $(WASM_OPT) -mbulk-memory -flto \
                -ffunction-sections -fdata-sections -Isdk/include
WASM_LDFLAGS := --target=wasm32-wasi -nostartfiles -Wl,--no-entry -Wl,--gc-sections \
                -Wl,--strip-all
SDK_SRC      := $(sort $(wildcard sdk/src/*.c))
SDK_OBJ      := $(SDK_SRC:sdk/src/%.c=$(BUILD)/sdk/%.o)
SDK_LIB      := $(BUILD)/sdk/libwvmsdk.a
EXAMPLE_NAMES := token nft ownership counter
EXAMPLE_WASM := $(EXAMPLE_NAMES:%=$(BUILD)/examples/%.wasm)
SDKTEST_WASM := $(patsubst tests/contracts/%.c,$(BUILD)/tests/contracts/%.wasm,$(wildcard tests/contracts/*.c))
HOSTILE_WASM := $(patsubst tests/contracts/hostile/%.wat,$(BUILD)/tests/contracts/hostile/%.wasm,$(wildcard tests/contracts/hostile/*.wat)) \
                $(patsubst tests/contracts/hostile/%.c,$(BUILD)/tests/contracts/hostile/%.wasm,$(wildcard tests/contracts/hostile/*.c))
CONTRACTS_WASM := $(EXAMPLE_WASM) $(SDKTEST_WASM) $(HOSTILE_WASM)

.PHONY: sdk contracts sdk-test
all: sdk contracts
sdk: $(SDK_LIB)
contracts: $(CONTRACTS_WASM)

$(BUILD)/sdk/%.o: sdk/src/%.c sdk/src/sdk.h sdk/include/wvm/contract.h sdk/include/wvm/abi.h
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_CFLAGS) -c $< -o $@

$(SDK_LIB): $(SDK_OBJ)
	@rm -f $@
	$(WASM_AR) rcs $@ $^

# Contracts compile and link in two steps: given -O2 at the link, clang
# 14 runs wasm-opt itself, on a module whose feature section --strip-all
# has removed, and wasm-opt then refuses the bulk memory instructions.
WASM_OBJ := $(BUILD)/wasm-obj
$(WASM_OBJ)/%.o: %.c sdk/include/wvm/contract.h sdk/include/wvm/abi.h
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_CFLAGS) -c $< -o $@

# An example is examples/NAME/*.c: the contract and its hand-written
# dispatch (what `wvm build` generates).
.SECONDEXPANSION:
$(BUILD)/examples/%.wasm: $$(addprefix $(WASM_OBJ)/,$$(addsuffix .o,$$(basename $$(wildcard examples/$$*/*.c)))) $(SDK_LIB)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_LDFLAGS) -o $@ $(filter %.o,$^) $(SDK_LIB)

# Examples that call other contracts through typed client stubs
# (docs/calls.md): built by our own `wvm build` in $(XSRC), where their
# sources are copied and the stubs they include are generated with
# `wvm build --client` (a contract includes NAME_client.h from beside
# its source).
XSRC := $(BUILD)/xsrc
STUB_EXAMPLES := exchange ledger logic dapp
STUB_WASM := $(STUB_EXAMPLES:%=$(BUILD)/examples/%.wasm)
.PRECIOUS: $(XSRC)/%.c $(XSRC)/%_client.h
contracts: $(STUB_WASM)
$(XSRC)/%.c: examples/exchange/%.c
	@mkdir -p $(dir $@)
	cp $< $@
$(XSRC)/%.c: examples/layers/%.c
	@mkdir -p $(dir $@)
	cp $< $@
$(XSRC)/%.c: examples/token/%.c
	@mkdir -p $(dir $@)
	cp $< $@
$(XSRC)/%_client.h: $(XSRC)/%.c $(BUILD)/wvm $(SDK_LIB) sdk/include/wvm/contract.h
	$(BUILD)/wvm build --client $< -o $@
$(XSRC)/logic_client.h: $(XSRC)/ledger_client.h
$(BUILD)/examples/exchange.wasm: $(XSRC)/exchange.c $(XSRC)/token_client.h
	@mkdir -p $(dir $@)
	$(BUILD)/wvm build $< -o $@
$(BUILD)/examples/ledger.wasm: $(XSRC)/ledger.c $(BUILD)/wvm $(SDK_LIB)
	@mkdir -p $(dir $@)
	$(BUILD)/wvm build $< -o $@
$(BUILD)/examples/logic.wasm: $(XSRC)/logic.c $(XSRC)/ledger_client.h
	@mkdir -p $(dir $@)
	$(BUILD)/wvm build $< -o $@
$(BUILD)/examples/dapp.wasm: $(XSRC)/dapp.c $(XSRC)/ledger_client.h $(XSRC)/logic_client.h
	@mkdir -p $(dir $@)
	$(BUILD)/wvm build $< -o $@

$(BUILD)/tests/contracts/%.wasm: $(WASM_OBJ)/tests/contracts/%.o $(SDK_LIB)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_LDFLAGS) -o $@ $< $(SDK_LIB)

$(BUILD)/tests/contracts/hostile/%.wasm: tests/contracts/hostile/%.wat
	@mkdir -p $(dir $@)
	wat2wasm -o $@ $<

# Hostile C contracts use the SDK's imports directly, without the SDK.
$(BUILD)/tests/contracts/hostile/%.wasm: $(WASM_OBJ)/tests/contracts/hostile/%.o
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WASM_LDFLAGS) -o $@ $<

# The SDK's tests: test contracts run under our own runtime, with a
# small in-memory host of the env imports (tests/sdk/host.c).
SDK_TEST_SRC := $(sort $(wildcard tests/sdk/*.c))
$(BUILD)/sdk-tests: $(SDK_TEST_SRC) tests/sdk/sdk_test.h tests/unit/main.c tests/unit/test.h $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isdk/include -o $@ $(SDK_TEST_SRC) tests/unit/main.c $(BUILD)/libwvm.a $(LDLIBS)

sdk-test: $(BUILD)/sdk-tests $(CONTRACTS_WASM)
	sh tests/sdk/check_imports.sh $(EXAMPLE_WASM) $(SDKTEST_WASM)
	@# the check itself: a module importing WASI must fail it
	@! sh tests/sdk/check_imports.sh $(BUILD)/tests/contracts/hostile/wasi_import.wasm > /dev/null
	WVM_BUILD=$(BUILD) $(BUILD)/sdk-tests
test: sdk-test

# The call path's tests run the examples (tests/chain/test_call_examples.c).
$(BUILD)/chain-tests: | $(EXAMPLE_WASM) $(SDKTEST_WASM) $(HOSTILE_WASM)

# `make demo`: builds the SDK and the examples, deploys them into a fresh
# state directory and tells the story of examples/demo.sh.
demo: $(BUILD)/wvm $(EXAMPLE_WASM) $(STUB_WASM)
	sh examples/demo.sh $(BUILD)
