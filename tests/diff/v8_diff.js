// v8_diff.js -- the V8 (node) side of the differential test
// (tests/diff/README.md).  Prints the same normalized transcript as
// wvm_diff.c; see the comment at the top of that file for the format.
//
//   node --experimental-wasm-type-reflection v8_diff.js FILE.wasm
//
// With DIFF_DUMP=DIR in the environment, memory is also written to
// DIR/v8-K.bin after the K-th call (K from 0), for triage.
//
// The flag gives the export signatures (needed to pass 0n to i64
// parameters).  The transcript is written in one piece at the end (or when
// a call stops the run), so a process killed on timeout prints nothing.
'use strict';
const fs = require('fs');

const out = [];
function emit(line) { out.push(line); }
function finish() {
  emit('end');
  fs.writeSync(1, out.join('\n') + '\n');
  process.exit(0);
}
function stop() { // transcript ends without "end"
  fs.writeSync(1, out.join('\n') + '\n');
  process.exit(0);
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

function fmt(type, v) {
  switch (type) {
    case 'i32': return 'i32:' + (v | 0);
    case 'i64': return 'i64:' + BigInt.asIntN(64, v).toString();
    case 'f32':
      if (Number.isNaN(v)) return 'f32:nan';
      f32[0] = v;
      return 'f32:0x' + u32[0].toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(v)) return 'f64:nan';
      f64[0] = v;
      return 'f64:0x' + u64[0].toString(16).padStart(16, '0');
    case 'anyfunc': case 'funcref': return 'funcref:' + (v === null ? 'null' : 'ref');
    case 'externref': return 'externref:' + (v === null ? 'null' : 'ref');
    default: return '?:' + type;
  }
}

function zero(type) {
  switch (type) {
    case 'i32': case 'f32': case 'f64': return 0;
    case 'i64': return 0n;
    default: return null;
  }
}

// 32-bit FNV-1a over the little-endian 32-bit words of memory.
let ncalls = 0;
function memHash(mem) {
  const buf = mem.buffer;
  if (process.env.DIFF_DUMP) fs.writeFileSync(process.env.DIFF_DUMP + '/v8-' + ncalls + '.bin', new Uint8Array(buf));
  const w = new Uint32Array(buf, 0, buf.byteLength >>> 2);
  let h = 2166136261;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i], 16777619);
  return 'mem ' + (buf.byteLength / 65536) + ' ' + (h >>> 0).toString(16).padStart(8, '0');
}

// What a thrown error means: 'trap' (go on), or stop the transcript.
function classify(e) {
  if (e instanceof WebAssembly.RuntimeError) return 'trap';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'exhausted';
  return 'error ' + (e && e.constructor ? e.constructor.name : String(e)) + ': ' +
    (e && e.message ? e.message.split('\n')[0] : '');
}

const bytes = fs.readFileSync(process.argv[2]);
let mod;
try {
  mod = new WebAssembly.Module(bytes);
} catch (e) {
  emit('invalid');
  process.stderr.write('v8_diff: ' + e.message + '\n');
  stop();
}
emit('compile ok');

const exportsDesc = WebAssembly.Module.exports(mod);
for (const e of exportsDesc) {
  if (e.kind === 'function' && !e.type) {
    process.stderr.write('v8_diff: no export types; run node with --experimental-wasm-type-reflection\n');
    process.exit(2);
  }
}

const logTypes = { 'log-i32': 'i32', 'log-i64': 'i64', 'log-f32': 'f32', 'log-f64': 'f64' };
const support = {};
for (const imp of WebAssembly.Module.imports(mod)) {
  const t = logTypes[imp.name];
  if (imp.module !== 'fuzzing-support' || imp.kind !== 'function' || !t) {
    emit('unsupported-import ' + imp.module + ' ' + imp.name);
    stop();
  }
  support[imp.name] = (x) => { emit('log ' + fmt(t, x)); };
}

let inst;
try {
  inst = new WebAssembly.Instance(mod, { 'fuzzing-support': support });
} catch (e) {
  const c = classify(e);
  if (c === 'trap' || c === 'exhausted') {
    emit('instantiate trap');
    if (c === 'exhausted') emit('exhausted');
  } else {
    emit('instantiate ' + c);
  }
  stop();
}
emit('instantiate ok');

const ex = inst.exports;
let mem = null;
for (const e of exportsDesc) if (e.kind === 'memory') { mem = ex[e.name]; break; }
const hangInit = exportsDesc.some((e) => e.name === 'hangLimitInitializer' && e.kind === 'function' &&
  e.type.parameters.length === 0 && e.type.results.length === 0) ? ex.hangLimitInitializer : null;

for (const e of exportsDesc) {
  if (e.kind !== 'function') continue;
  emit('call ' + e.name);
  if (hangInit) {
    try { hangInit(); } catch (err) {
      const c = classify(err);
      emit('hang-init ' + c);
      if (c !== 'trap' && !c.startsWith('error')) stop();
    }
  }
  const args = e.type.parameters.map(zero);
  let r;
  try {
    r = ex[e.name](...args);
  } catch (err) {
    const c = classify(err);
    emit(c);
    if (c === 'exhausted') stop();
    if (mem) emit(memHash(mem));
    ncalls++;
    continue;
  }
  const rt = e.type.results;
  if (rt.length === 0) emit('ret');
  else if (rt.length === 1) emit('ret ' + fmt(rt[0], r));
  else emit('ret ' + rt.map((t, i) => fmt(t, r[i])).join(' '));
  if (mem) emit(memHash(mem));
  ncalls++;
}
for (const e of exportsDesc) {
  if (e.kind !== 'global') continue;
  emit('global ' + e.name + ' ' + fmt(e.type.value, ex[e.name].value));
}
finish();
