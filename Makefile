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

LIB_SRC  := $(sort $(wildcard src/wasm/*.c src/util/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all test unit spectest asan bench clean examples
all: $(BUILD)/libwvm.a $(BUILD)/libwvm.so $(BUILD)/wvm

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -Isrc -MMD -MP -c $< -o $@

$(BUILD)/libwvm.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libwvm.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LDLIBS)

$(BUILD)/wvm: $(CLI_OBJ) $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libwvm.a -lcjson $(LDLIBS)

$(BUILD)/unit-tests: $(TEST_OBJ) $(BUILD)/libwvm.a
	$(CC) $(WVM_CFLAGS) $(CFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libwvm.a $(LDLIBS)

# Spec test JSON made by wast2json from ../shared/wasm-testsuite (no SIMD).
TESTSUITE ?= ../shared/wasm-testsuite
SPEC_DIR  := $(BUILD)/spec
spec-json:
	@sh tests/spec/convert.sh $(TESTSUITE) $(SPEC_DIR)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

spectest: $(BUILD)/wvm spec-json
	$(BUILD)/wvm spectest $(SPEC_DIR)/*.json

# `make test`: unit tests, then the whole conformance suite; each prints
# "N passed, N failed" and fails the build on any failure.
test: $(BUILD)/unit-tests $(BUILD)/wvm spec-json
	$(BUILD)/unit-tests
	$(BUILD)/wvm spectest $(SPEC_DIR)/*.json

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then
# the same tests.
asan:
	$(MAKE) BUILD=build-asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

bench: $(BUILD)/wvm
	sh bench/run.sh

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
