#!/bin/sh
# bench/build.sh [SRC.c] -- how long `wvm build` takes (a benchmark, not a
# test: nothing fails on time).  Builds SRC.c (default the token example)
# BENCH_REPS times (default 7) with wasm-opt and without, and prints the
# minimum and median wall times and the median CPU time of the build's
# processes.  `make bench-build` runs it.
set -u
cd "$(dirname "$0")/.." || exit 1
WVM=${WVM:-build/wvm}
REPS=${BENCH_REPS:-7}
SRC=${1:-examples/token/token.c}
[ -f "$SRC" ] || { echo "bench-build: no $SRC" >&2; exit 1; }
[ -x "$WVM" ] || { echo "bench-build: $WVM not found; run make first" >&2; exit 1; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/wvm-bench-build-XXXXXX")
trap 'rm -rf "$OUT"' EXIT
echo "wvm build $SRC, $REPS runs each ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$WVM" "$SRC" "$OUT" "$REPS" <<'PY'
import subprocess, sys, time, statistics, resource
wvm, src, out, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for label, extra in (("with wasm-opt", []), ("without wasm-opt", ["--no-wasm-opt"])):
    times = []
    cpu = []
    for i in range(reps):
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        c0 = ru.ru_utime + ru.ru_stime
        t = time.perf_counter()
        r = subprocess.run([wvm, "build", src, "-o", out + "/out.wasm"] + extra,
                           capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(ru.ru_utime + ru.ru_stime - c0)
        if r.returncode != 0:
            sys.exit("bench-build: build failed:\n" + r.stderr)
    size = len(open(out + "/out.wasm", "rb").read())
    # CPU time (wvm, clang, wasm-ld, wasm-opt together) depends little on
    # the machine's load; wall time is what a user waits.
    print("  %-17s wall min %.3f s  median %.3f s   cpu median %.3f s  (%d bytes)" %
          (label, min(times), statistics.median(times), statistics.median(cpu), size))
PY
