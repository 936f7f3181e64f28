#!/bin/sh
# wvm benchmark harness -- see bench/README.md.
#
# Builds the programs in $BENCH_SRC (default ../shared/bench) natively and
# to wasm32-wasi, runs them natively, under wvm (fuel metering on and, when
# supported, off) and under node, checks every checksum against the native
# one, and prints median wall times and ratios.  Then measures module
# load/instantiation cost with big.c vs tiny.c.
#
# POSIX sh; timing, medians and the interleaving of runs are done by a small
# python3 helper written into build/bench/.
set -u

cd "$(dirname "$0")/.." || exit 1

BENCH_SRC=${BENCH_SRC:-../shared/bench}
OUT=${BENCH_OUT:-build/bench}
WVM=${WVM:-build/wvm}
REPS=${BENCH_REPS:-3}
TIMEOUT=${BENCH_TIMEOUT:-600}
CC_NATIVE=${BENCH_GCC:-gcc}
CC_WASM=${BENCH_CLANG:-clang}
NODE=${BENCH_NODE-node}

die() { echo "bench: $*" >&2; exit 1; }

case $REPS in ''|*[!0-9]*|0) die "BENCH_REPS must be a positive integer (got '$REPS')";; esac
[ -d "$BENCH_SRC" ] || die "no benchmark sources in $BENCH_SRC"
[ -x "$WVM" ] || die "$WVM not found; run 'make' first"
command -v python3 >/dev/null 2>&1 || die "python3 is needed for timing"
command -v "$CC_NATIVE" >/dev/null 2>&1 || die "$CC_NATIVE not found"
command -v "$CC_WASM" >/dev/null 2>&1 || die "$CC_WASM not found"
mkdir -p "$OUT"

# ---------------------------------------------------------------- programs
# Every *.c in BENCH_SRC that uses BENCH_MAIN, in a fixed order (the five
# anchor programs first, then any others alphabetically).
ALL=""
for p in fib sha256 matmul sieve crc32; do
    [ -f "$BENCH_SRC/$p.c" ] && grep -q BENCH_MAIN "$BENCH_SRC/$p.c" && ALL="$ALL $p"
done
for f in "$BENCH_SRC"/*.c; do
    p=$(basename "$f" .c)
    case " $ALL " in *" $p "*) continue;; esac
    grep -q 'BENCH_MAIN *(' "$f" && ALL="$ALL $p"
done
if [ -n "${BENCH_PROGRAMS:-}" ]; then
    PROGS=""
    for p in $BENCH_PROGRAMS; do
        case " $ALL " in *" $p "*) PROGS="$PROGS $p";; *) die "unknown program '$p' (have:$ALL)";; esac
    done
else
    PROGS=$ALL
fi

# ---------------------------------------------------------------- features
NOMETER=0
if "$WVM" run --help 2>&1 | grep -q -- '--no-metering'; then NOMETER=1; fi
HAVE_NODE=0
if [ -n "$NODE" ] && command -v "$NODE" >/dev/null 2>&1; then HAVE_NODE=1; fi

# ---------------------------------------------------------------- building
# out_of_date TARGET DEP...: true if TARGET is missing or older than a DEP.
out_of_date() {
    t=$1; shift
    [ -f "$t" ] || return 0
    for d in "$@"; do [ -n "$(find "$d" -prune -newer "$t")" ] && return 0; done
    return 1
}
build() {   # build TARGET COMPILER FLAGS... -- SRC DEPS...
    t=$1; cc=$2; shift 2
    flags=""
    while [ "$1" != "--" ]; do flags="$flags $1"; shift; done
    shift
    src=$1
    if out_of_date "$t" "$@"; then
        echo "bench: building $t" >&2
        # shellcheck disable=SC2086
        libs=""
        [ "$cc" = "$CC_NATIVE" ] && libs="-lm"
        # shellcheck disable=SC2086
        "$cc" $flags -o "$t" "$src" $libs || die "cannot build $t"
    fi
}
HDR=$BENCH_SRC/bench.h
WASM_FLAGS="--target=wasm32-wasi -O2"
REACTOR_FLAGS="$WASM_FLAGS -mexec-model=reactor -DREACTOR"
for p in $PROGS; do
    s=$BENCH_SRC/$p.c
    build "$OUT/$p.native"       "$CC_NATIVE" -O2 -- "$s" "$HDR"
    build "$OUT/$p.wasm"         "$CC_WASM" $WASM_FLAGS -- "$s" "$HDR"
    [ $HAVE_NODE = 1 ] && build "$OUT/$p.reactor.wasm" "$CC_WASM" $REACTOR_FLAGS -- "$s" "$HDR"
done
# the load cost needs gen_big.py and tiny.c (../shared/bench has them)
LOAD=0
[ -f "$BENCH_SRC/gen_big.py" ] && [ -f "$BENCH_SRC/tiny.c" ] && LOAD=1
if [ $LOAD = 1 ]; then
    if out_of_date "$OUT/big.c" "$BENCH_SRC/gen_big.py"; then
        echo "bench: generating $OUT/big.c" >&2
        python3 "$BENCH_SRC/gen_big.py" > "$OUT/big.c.tmp" || die "gen_big.py failed"
        mv "$OUT/big.c.tmp" "$OUT/big.c"
    fi
    build "$OUT/big.reactor.wasm"  "$CC_WASM" $REACTOR_FLAGS -- "$OUT/big.c"
    build "$OUT/tiny.reactor.wasm" "$CC_WASM" $REACTOR_FLAGS -- "$BENCH_SRC/tiny.c"
fi

# ---------------------------------------------------------------- helpers
# node runner: instantiates a reactor module, calls _initialize (if any) and
# the named export (default run), prints the result (i64 as 16 hex digits,
# i32 in decimal) and the seconds spent in that call alone.
cat > "$OUT/runner.cjs" <<'EOF'
'use strict';
const fs = require('fs');
const [file, name = 'run'] = process.argv.slice(2);
(async () => {
  const mod = await WebAssembly.compile(fs.readFileSync(file));
  const imports = {};
  for (const im of WebAssembly.Module.imports(mod)) {   // reactors need none; stub just in case
    if (im.kind !== 'function') continue;
    (imports[im.module] ??= {})[im.name] = () => { throw new Error(`import ${im.module}.${im.name} called`); };
  }
  const inst = await WebAssembly.instantiate(mod, imports);
  const ex = inst.exports;
  if (typeof ex._initialize === 'function' && name !== '_initialize') ex._initialize();
  const t0 = process.hrtime.bigint();
  const v = ex[name]();
  const t1 = process.hrtime.bigint();
  const s = typeof v === 'bigint' ? BigInt.asUintN(64, v).toString(16).padStart(16, '0') : String(v);
  process.stdout.write(`${s} ${(Number(t1 - t0) / 1e9).toFixed(6)}\n`);
})().catch((e) => { console.error(`runner: ${e && e.stack || e}`); process.exit(1); });
EOF

# timeit.py REPS TIMEOUT CMD...: runs each CMD (one shell-quoted string)
# REPS times, interleaved (rep 1 of every CMD, then rep 2, ...), and prints
# one line per CMD: "median_seconds exit_status first_output_word
# median_of_second_output_word" ("-" where absent).  A command that fails or
# whose output changes between repetitions is not run again.
cat > "$OUT/timeit.py" <<'EOF'
import shlex, statistics, subprocess, sys, time
reps, timeout, cmds = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
times = [[] for _ in cmds]; extra = [[] for _ in cmds]
out = [None] * len(cmds); rc = [0] * len(cmds)
for r in range(reps):
    for i, c in enumerate(cmds):
        if rc[i] != 0:
            continue
        argv = shlex.split(c)
        t0 = time.perf_counter()
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
            code, so, se = p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')
        except subprocess.TimeoutExpired:
            code, so, se = 124, '', f'timed out after {timeout:g} s'
        dt = time.perf_counter() - t0
        words = so.split()
        first = words[0] if words else '(no output)'
        if code == 0 and out[i] is not None and first != out[i]:
            code, se = 125, f'output changed between repetitions: {out[i]} then {first}'
        if code != 0:
            rc[i] = code
            tail = (se.strip().splitlines() or ['(no stderr)'])[-1]
            sys.stderr.write(f'bench: FAILED (exit {code}): {c}\n  stdout: {so.strip()[:200]!r}\n  stderr: {tail[:300]}\n')
            out[i] = first if out[i] is None else out[i]
            continue
        out[i] = first
        times[i].append(dt)
        if len(words) > 1:
            try: extra[i].append(float(words[1]))
            except ValueError: pass
for i in range(len(cmds)):
    med = f'{statistics.median(times[i]):.6f}' if times[i] else '-'
    ex = f'{statistics.median(extra[i]):.6f}' if extra[i] else '-'
    print(med, rc[i], (out[i] or '-').replace(' ', '_'), ex)
EOF

# timeit CMD...: sets T_1.. (median s), C_1.. (status), O_1.. (output), X_1..
timeit() {
    res=$(python3 "$OUT/timeit.py" "$REPS" "$TIMEOUT" "$@") || die "timing helper failed"
    n=0
    while read -r t c o x; do
        n=$((n + 1))
        eval "T_$n=\$t C_$n=\$c O_$n=\$o X_$n=\$x"
    done <<EOF
$res
EOF
}
fmt() { awk -v v="$1" 'BEGIN { if (v == "-") printf "-"; else printf "%.3f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b <= 0) print "-"; else printf "%.2f\n", a / b }'; }

# ---------------------------------------------------------------- run
echo "bench: $("$WVM" --version 2>/dev/null | head -n 1); $REPS repetition(s) per measurement, median wall time of the whole process" >&2
FAIL=0
RATIOS=""        # lines "column ratio" for the geometric means
ROWS=""
for p in $PROGS; do
    set -- "$OUT/$p.native" "$WVM run $OUT/$p.wasm"
    [ $NOMETER = 1 ] && set -- "$@" "$WVM run --no-metering $OUT/$p.wasm"
    [ $HAVE_NODE = 1 ] && set -- "$@" "$NODE $OUT/runner.cjs $OUT/$p.reactor.wasm run"
    echo "bench: running $p" >&2
    timeit "$@"
    ref=$O_1; nt=$T_1
    if [ "$C_1" != 0 ] || ! printf %s "$ref" | grep -Eq '^[0-9a-f]{16}$'; then
        echo "bench: $p: native run failed or printed '$ref'" >&2; FAIL=1; nt="-"
    fi
    row=$(printf '%-8s %8s' "$p" "$(fmt "$nt")")
    i=2; wm="-"; wu="-"
    for col in wvm nometer node; do
        case $col in nometer) [ $NOMETER = 1 ] || continue;; node) [ $HAVE_NODE = 1 ] || continue;; esac
        eval "t=\$T_$i c=\$C_$i o=\$O_$i x=\$X_$i"
        i=$((i + 1))
        if [ "$c" != 0 ]; then
            cell="FAILED(exit $c)"; FAIL=1
        elif [ "$o" != "$ref" ]; then
            echo "bench: $p: CHECKSUM MISMATCH under $col: got $o, native $ref" >&2
            cell="MISMATCH"; FAIL=1
        else
            r=$(ratio "$t" "$nt")
            cell="$(fmt "$t") ($(printf '%6s' "$r")x)"
            [ "$r" != "-" ] && RATIOS="$RATIOS
$col $r"
            [ $col = wvm ] && wm=$t
            [ $col = nometer ] && wu=$t
        fi
        row="$row  $(printf '%-17s' "$cell")"
        [ $col = node ] && row="$row  $(printf '%10s' "$(fmt "$x")")"
    done
    r=$(ratio "$wm" "$wu")
    [ "$r" != "-" ] && RATIOS="$RATIOS
overhead $r"
    ROWS="$ROWS
$row"
done

geomean() {
    printf '%s\n' "$RATIOS" | awk -v c="$1" '$1 == c { s += log($2); n++ }
        END { if (n) printf "%.2fx", exp(s / n); else printf "-" }'
}

echo
# the ratios depend on the machine (one AMD and one Intel machine have
# differed by 1.7x on matmul), so say which one this is
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
fam=$(sed -n 's/^cpu family[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mod=$(sed -n 's/^model[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${cpu:-unknown cpu}${fam:+ (family $fam model $mod)}, $(nproc 2>/dev/null || echo '?') cores, $(uname -m)"
hdr=$(printf '%-8s %8s  %-17s' program "native s" "wvm s (ratio)")
[ $NOMETER = 1 ] && hdr="$hdr  $(printf '%-17s' "no-meter s (ratio)")"
[ $HAVE_NODE = 1 ] && hdr="$hdr  $(printf '%-17s  %10s' "node s (ratio)" "node run()")"
echo "$hdr"
printf '%s\n' "$ROWS" | sed -e '/^$/d' -e 's/ *$//'
gm=$(printf '%-8s %8s  %-17s' geomean "" "$(geomean wvm)")
[ $NOMETER = 1 ] && gm="$gm  $(printf '%-17s' "$(geomean nometer)")"
[ $HAVE_NODE = 1 ] && gm="$gm  $(printf '%-17s' "$(geomean node)")"
echo "$gm" | sed 's/ *$//'
[ $FAIL = 0 ] && echo "all checksums match the native ones"
if [ $NOMETER = 1 ]; then
    echo "metering overhead (geomean of metered/unmetered wvm time): $(geomean overhead)"
else
    echo "note: '$WVM run --help' does not list --no-metering; unmetered column and metering overhead skipped"
fi
[ $HAVE_NODE = 1 ] || echo "note: node not on PATH; node column skipped"
[ $HAVE_NODE = 1 ] && echo "(node: whole process incl. startup and compile, reactor build; 'node run()' = the run() call alone, s)"

# ---------------------------------------------------------------- load cost
if [ $LOAD = 0 ]; then
    [ $FAIL != 0 ] && { echo "bench: FAILED (see messages above)" >&2; exit 1; }
    exit 0
fi
echo
echo "load/instantiation: '$WVM run --invoke noop' on big.reactor.wasm vs tiny.reactor.wasm"
kb_big=$(awk -v n="$(wc -c < "$OUT/big.reactor.wasm")" 'BEGIN { printf "%.1f", n / 1024 }')
kb_tiny=$(awk -v n="$(wc -c < "$OUT/tiny.reactor.wasm")" 'BEGIN { printf "%.1f", n / 1024 }')
set -- "$WVM run --invoke noop $OUT/tiny.reactor.wasm" "$WVM run --invoke noop $OUT/big.reactor.wasm"
labels="wvm"
if [ $NOMETER = 1 ]; then
    set -- "$@" "$WVM run --no-metering --invoke noop $OUT/tiny.reactor.wasm" \
                "$WVM run --no-metering --invoke noop $OUT/big.reactor.wasm"
    labels="$labels wvm-no-meter"
fi
if [ $HAVE_NODE = 1 ]; then
    set -- "$@" "$NODE $OUT/runner.cjs $OUT/tiny.reactor.wasm noop" "$NODE $OUT/runner.cjs $OUT/big.reactor.wasm noop"
    labels="$labels node"
fi
timeit "$@"
printf '%-13s %12s %12s %12s %10s\n' engine "tiny ms" "big ms" "big-tiny ms" "us/KB"
printf '%-13s %12s %12s\n' "(size KB)" "$kb_tiny" "$kb_big"
i=1
for l in $labels; do
    j=$((i + 1))
    eval "tt=\$T_$i tc=\$C_$i to=\$O_$i bt=\$T_$j bc=\$C_$j bo=\$O_$j"
    i=$((i + 2))
    if [ "$tc" != 0 ] || [ "$bc" != 0 ] || [ "$to" != 0 ] || [ "$bo" != 0 ]; then
        printf '%-13s FAILED: tiny exit %s output %s; big exit %s output %s (expected exit 0, output 0)\n' \
            "$l" "$tc" "$to" "$bc" "$bo"
        FAIL=1
        continue
    fi
    awk -v l="$l" -v t="$tt" -v b="$bt" -v kt="$kb_tiny" -v kb="$kb_big" 'BEGIN {
        printf "%-13s %12.2f %12.2f %12.2f %10.2f\n", l, t * 1e3, b * 1e3, (b - t) * 1e3, (b - t) * 1e6 / (kb - kt) }'
done
echo "(ms = median whole-process wall time; us/KB = (big - tiny) / (big KB - tiny KB))"

if [ $FAIL != 0 ]; then
    echo "bench: FAILED (see messages above)" >&2
    exit 1
fi
