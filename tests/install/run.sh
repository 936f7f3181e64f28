#!/bin/sh
# tests/install/run.sh BUILD -- `make install` into a temporary prefix,
# then, from a directory outside the repository: build a contract with
# the installed wvm (which finds the installed SDK), and compile and run
# an embedding program with `pkg-config --cflags --libs wvm` (shared
# library) and `pkg-config --static` (static library).
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wvm-install-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if make -s -C "$ROOT" BUILD="$BUILD" install PREFIX="$PREFIX" > "$TMP/install.log" 2>&1; then
    ok "make install PREFIX=$PREFIX"
else
    bad "make install"; cat "$TMP/install.log"
fi
for f in bin/wvm lib/libwvm.a lib/libwvm.so lib/libwvmchain.a include/wvm.h include/wvm_chain.h \
         lib/pkgconfig/wvm.pc lib/pkgconfig/wvm-chain.pc lib/wvm/sdk/include/wvm/contract.h \
         lib/wvm/sdk/include/wvm/abi.h; do
    [ -e "$PREFIX/$f" ] || bad "installed $f"
done

mkdir -p "$TMP/elsewhere"
cd "$TMP/elsewhere" || exit 1
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
if ${WVM_CC:-cc} -std=c11 ${WVM_SAN:-} -o embed "$ROOT/tests/install/embed.c" $(pkg-config --cflags --libs wvm) 2> err &&
   [ "$(LD_LIBRARY_PATH="$PREFIX/lib" ./embed)" = "add(40, 2) = 42" ]; then
    ok "embedding program with pkg-config --cflags --libs wvm (shared)"
else
    bad "embedding program with pkg-config (shared)"; cat err
fi
if ${WVM_CC:-cc} -std=c11 ${WVM_SAN:-} -o embed-static "$ROOT/tests/install/embed.c" $(pkg-config --cflags wvm) \
      "$PREFIX/lib/libwvm.a" $(pkg-config --static --libs-only-l wvm | sed 's/-lwvm//') 2> err &&
   [ "$(./embed-static)" = "add(40, 2) = 42" ]; then
    ok "embedding program with the static library"
else
    bad "embedding program with the static library"; cat err
fi

if [ -e "$PREFIX/lib/wvm/sdk/lib/libwvmsdk.a" ]; then
    cp "$ROOT/tests/toolchain/good/types.c" contract.c
    # No WVM_SDK, and far from the build tree: the installed SDK is used.
    if env -u WVM_SDK "$PREFIX/bin/wvm" build contract.c --abi contract.json 2> err &&
       grep -q '"name":"EchoU64"' contract.json; then
        ok "installed wvm builds a contract outside the repository"
    else
        bad "installed wvm builds a contract"; cat err
    fi
    if "$ROOT/$BUILD/wvm" build contract.c -o from-tree.wasm 2> err && cmp -s contract.wasm from-tree.wasm; then
        ok "installed and build-tree wvm give the same bytes"
    else
        bad "installed and build-tree wvm give the same bytes"; cat err
    fi
else
    echo "SKIP building a contract with the installed wvm: the SDK library was not built"
fi

echo "install: $pass passed, $fail failed"
[ $fail -eq 0 ]
