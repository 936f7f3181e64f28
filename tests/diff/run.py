#!/usr/bin/env python3
"""run.py -- differential test of wvm against node (V8) on modules made by
binaryen's translate-to-fuzz (wasm-opt -ttf).  See tests/diff/README.md.

    python3 tests/diff/run.py N [SEED]     (usually through run.sh)

Module i of seed S is made from random bytes seeded with "S:i", so a run
is reproducible.  Prints "N passed, N failed, N skipped" and exits 1 on
any mismatch; mismatching modules go to $BUILD/diff/mismatch/.

Environment: BUILD (default build), DIFF_JOBS (parallel modules, default
the number of CPUs), DIFF_TIMEOUT (seconds per module and side, default 30),
DIFF_KEEP=1 keeps every generated module in $BUILD/diff/work/,
DIFF_OPT=F (0..1, default 0) runs binaryen's optimizer (-O1..-O4, -Os,
-Oz) over a fraction F of the -ttf modules, for other code shapes.
"""
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("BUILD", "build")
WVM_DIFF = os.path.join(BUILD, "wvm_diff")
V8_DIFF = os.path.join(HERE, "v8_diff.js")
OUT = os.path.join(BUILD, "diff")
TIMEOUT = float(os.environ.get("DIFF_TIMEOUT", "30"))
JOBS = int(os.environ.get("DIFF_JOBS", "0")) or os.cpu_count() or 2
KEEP = os.environ.get("DIFF_KEEP") == "1"
OPT = float(os.environ.get("DIFF_OPT", "0"))

# What wvm supports.  binaryen 108's reference-types output mostly uses
# typed references / anyref that neither V8 (without flags) nor wvm accept,
# so only some modules get it: those then check that both reject.
BASE_FEATURES = [
    "--mvp-features", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory", "--enable-mutable-globals", "--enable-multivalue",
]
STOPS = ("exhausted", "timeout")


def module_config(seed, i):
    """The deterministic recipe of module i: input bytes and wasm-opt flags."""
    rng = random.Random("%s:%d" % (seed, i))
    size = rng.choice([rng.randint(64, 1024), rng.randint(1024, 8192),
                       rng.randint(8192, 32768)])
    data = rng.randbytes(size)
    flags = list(BASE_FEATURES)
    if rng.random() < 0.15:
        flags.append("--enable-reference-types")
    if rng.random() < 0.25:
        flags.append("--no-fuzz-oob")
    denan = rng.random() < 0.5
    # Drawn whatever DIFF_OPT says, so the modules without it stay the same.
    opt_draw, opt_level = rng.random(), rng.choice(["-O1", "-O2", "-O3", "-O4", "-Os", "-Oz"])
    if opt_draw < OPT:
        flags.append(opt_level)
    return data, flags, denan


def run(cmd, timeout):
    """(returncode or 'timeout', stdout, stderr)"""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        def dec(b):
            return (b or b"").decode("utf-8", "replace")
        return "timeout", dec(e.stdout), dec(e.stderr)


def blocks(lines):
    """Splits a transcript into the header and one block per call."""
    out = [[]]
    for line in lines:
        if line.startswith("call "):
            out.append([])
        out[-1].append(line)
    return out


def compare(w, v):
    """Compares two transcripts: ('pass'|'fail'|'skip', reason)."""
    if w[:1] == ["invalid"] and v[:1] == ["invalid"]:
        return "skip", "invalid"
    for t in (w, v):
        for line in t[:3]:
            if line.startswith("unsupported-import"):
                return "skip", "unsupported-import"
    wb, vb = blocks(w), blocks(v)
    for k in range(max(len(wb), len(vb))):
        a = wb[k] if k < len(wb) else []
        b = vb[k] if k < len(vb) else []
        if any(s in a or s in b for s in STOPS):
            stop = "exhausted" if "exhausted" in a or "exhausted" in b else "timeout"
            return "skip", stop
        if a != b:
            return "fail", "first difference in %s" % ((a or b or ["header"])[0])
    return "pass", ""


def run_module(path):
    """Runs both sides on path: (status, reason, wvm_out, v8_out, wvm_err, v8_err)."""
    wrc, wout, werr = run([WVM_DIFF, path], TIMEOUT)
    vrc, vout, verr = run(["node", "--experimental-wasm-type-reflection", V8_DIFF, path],
                          TIMEOUT)
    if wrc == "timeout" or vrc == "timeout":
        return "skip", "timeout", wout, vout, werr, verr
    if vrc == 2 and "type-reflection" in verr:
        sys.exit("diff: " + verr.strip())
    if vrc != 0:  # node itself died (out of memory, ...): not wvm's doing
        return "skip", "node-error %s" % vrc, wout, vout, werr, verr
    if wrc != 0:
        return "fail", "wvm_diff exit status %s" % wrc, wout, vout, werr, verr
    st, why = compare(wout.splitlines(), vout.splitlines())
    return st, why, wout, vout, werr, verr


def save(dirname, path, res, extra=None):
    os.makedirs(dirname, exist_ok=True)
    shutil.copy(path, os.path.join(dirname, "module.wasm"))
    _, why, wout, vout, werr, verr = res
    for name, text in (("wvm.txt", wout), ("v8.txt", vout),
                       ("wvm.stderr", werr), ("v8.stderr", verr)):
        with open(os.path.join(dirname, name), "w") as f:
            f.write(text)
    with open(os.path.join(dirname, "why"), "w") as f:
        f.write(why + "\n" + (extra or ""))


def one(seed, i):
    """Generates and tests module i: (status, reason)."""
    data, flags, denan = module_config(seed, i)
    work = os.path.join(OUT, "work", "%s-%d" % (seed, i))
    os.makedirs(work, exist_ok=True)
    inp = os.path.join(work, "input.bin")
    with open(inp, "wb") as f:
        f.write(data)

    def gen(out, with_denan):
        cmd = ["wasm-opt", "-ttf", inp, "-o", out] + flags + (["--denan"] if with_denan else [])
        rc, _, err = run(cmd, TIMEOUT)
        return rc == 0, " ".join(cmd)

    wasm = os.path.join(work, "module.wasm")
    ok, cmd = gen(wasm, denan)
    try:
        if not ok:
            return "skip", "wasm-opt failed"
        res = run_module(wasm)
        st, why = res[0], res[1]
        if st == "fail" and not denan:
            # NaN payloads and signs are nondeterministic in the spec: see
            # whether the same module with NaNs turned into 0 agrees.
            dwasm = os.path.join(work, "denan.wasm")
            dok, dcmd = gen(dwasm, True)
            if dok:
                dres = run_module(dwasm)
                if dres[0] != "fail":
                    save(os.path.join(OUT, "nan", "%s-%d" % (seed, i)), wasm, res,
                         "wasm-opt: %s\n(agrees after --denan: NaN bits only)\n" % cmd)
                    return "skip", "nan-bits"
        if st == "fail":
            save(os.path.join(OUT, "mismatch", "%s-%d" % (seed, i)), wasm, res,
                 "wasm-opt: %s\n" % cmd)
        return st, why
    finally:
        if not KEEP:
            shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: run.sh N [SEED]")
    n = int(sys.argv[1])
    seed = sys.argv[2] if len(sys.argv) == 3 else "1"
    for tool in ("node", "wasm-opt"):
        if not shutil.which(tool):
            print("diff: %s not found; differential test skipped" % tool)
            return 0
    if not os.access(WVM_DIFF, os.X_OK):
        sys.exit("diff: %s missing (make %s)" % (WVM_DIFF, WVM_DIFF))
    for sub in ("mismatch", "nan"):  # results of an earlier run of this seed
        for i in range(n):
            shutil.rmtree(os.path.join(OUT, sub, "%s-%d" % (seed, i)), ignore_errors=True)
    t0 = time.time()
    counts = {"pass": 0, "fail": 0, "skip": 0}
    reasons = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as ex:
        futs = {ex.submit(one, seed, i): i for i in range(n)}
        for fut in concurrent.futures.as_completed(futs):
            i = futs[fut]
            st, why = fut.result()
            counts[st] += 1
            if st == "skip":
                reasons[why] = reasons.get(why, 0) + 1
            if st == "fail":
                print("MISMATCH %s-%d: %s (%s/mismatch/%s-%d)" % (seed, i, why, OUT, seed, i),
                      flush=True)
    if reasons:
        print("skipped: " + ", ".join("%d %s" % (c, r) for r, c in sorted(reasons.items())))
    print("%.0f s" % (time.time() - t0))
    print("%d passed, %d failed, %d skipped" % (counts["pass"], counts["fail"], counts["skip"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
