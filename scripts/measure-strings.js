'use strict';
// Standalone measurement of the string paths (issue 14, two-byte strings):
// countCharacters and concatStrings on 1,000 / 10,000 / 1,000,000 UTF-16 code
// units of ASCII text and of mixed text ('héllo wörld 🦀 ünïcode ' repeated,
// which V8 stores with two bytes per unit), for
//   - the public API now,
//   - the public API before this change (re-created below from the raw layer,
//     step by step as ts/strings.ts did it),
//   - the raw koffi calls of both paths,
//   - the Node-API addon of bench/napi (if built: `make bench` builds it),
//   - pure-JS baselines.
// The baseline is the fastest of the pure-JS loops the issue names (a
// charCodeAt loop with a surrogate check, for…of, [...s].length); a regex
// count is shown as well, but not used as the baseline (see the note it prints).
//
// Usage: make all && node scripts/measure-strings.js   (ROUNDS=n, default 15;
// ONLY=regex to run the engines whose label matches).
// Every engine runs in this one process, interleaved round by round; each
// figure is the median of the rounds and the fastest round (on a loaded machine
// the fastest round is the better estimate), in ns per call (and per code point).

const path = require('node:path');
const fs = require('node:fs');
const koffi = require('koffi');

const ROOT = path.resolve(__dirname, '..');
const ffi = require(path.join(ROOT, 'dist'));
const raw = require(path.join(ROOT, 'dist', 'raw'));
const ADDON = path.join(ROOT, 'bench', 'napi', 'build', 'Release', 'ffi_bench_napi.node');
const napi = fs.existsSync(ADDON) ? require(ADDON) : null;

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BATCH_NS = 2e6;
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

// ---- The public API before this change, re-created from the raw layer ----

const before = (() => {
  const SCRATCH_BYTES = 4096;
  const scratch = Buffer.alloc(SCRATCH_BYTES);
  const scratchAddress = koffi.address(scratch);
  const neededWords = new Uint32Array(2);
  const neededAddress = koffi.address(neededWords);
  const countOut = new BigUint64Array(1);
  const cString = (s) => {
    if (typeof s !== 'string') throw new TypeError('not a string');
    if (s.includes('\0')) throw new TypeError('NUL');
    if (!s.isWellFormed()) throw new TypeError('lone surrogate');
    return s;
  };
  return {
    /** cString() (includes('\0') + isWellFormed()), then count_characters (koffi converts to UTF-8). */
    countCharacters(s) {
      if (raw.count_characters(cString(s), countOut, null) !== 0) throw new Error('status');
      return Number(countOut[0]);
    },
    /** UTF-8 into a 4 KiB scratch buffer, utf8Slice; longer results through concat_strings + koffi.decode. */
    concatStrings(first, second) {
      if (typeof first !== 'string' || typeof second !== 'string' || !first.isWellFormed() || !second.isWellFormed()) {
        cString(first);
        cString(second);
      }
      const status = raw.concat_strings_into(first, second, scratchAddress, SCRATCH_BYTES, neededAddress, null);
      if (status === 0) {
        const joined = scratch.utf8Slice(0, neededWords[0] - 1);
        if (joined.length !== first.length + second.length) throw new TypeError('NUL');
        return joined;
      }
      cString(first);
      cString(second);
      const length = neededWords[0] - 1;
      const owned = raw.concat_strings(first, second);
      try {
        return koffi.decode(owned, 'char', length);
      } finally {
        raw.free_rust_string(owned);
      }
    },
  };
})();

// ---- Raw calls ----

const outWords = new Uint32Array(2);
const outAddress = koffi.address(outWords);
const rawUtf16 = (s) => (raw.count_characters_utf16(s, s.length, outAddress, null), outWords[0]);
const rawUtf8Terminated = (s) => (raw.count_characters(s, outAddress, null), outWords[0]);
const encoder = new TextEncoder();
let encoded = new Uint8Array(1 << 16);
let encodedAddress = koffi.address(encoded);
/** TextEncoder.encodeInto a reused buffer, then count_characters_utf8 (pointer, length). */
function encodeIntoUtf8(s) {
  if (encoded.length < s.length * 3) {
    encoded = new Uint8Array(s.length * 3);
    encodedAddress = koffi.address(encoded);
  }
  const { written } = encoder.encodeInto(s, encoded);
  raw.count_characters_utf8(encodedAddress, written, outAddress, null);
  return outWords[0];
}
let units = new Uint16Array(1 << 15);
let unitsAddress = koffi.address(units);
const ucs2Write = Buffer.prototype.ucs2Write;
/** Buffer's ucs2Write into a reused buffer, then count_characters_utf16 by address. */
function ucs2WriteUtf16(s) {
  if (units.length < s.length) {
    units = new Uint16Array(s.length);
    unitsAddress = koffi.address(units);
  }
  ucs2Write.call(Buffer.from(units.buffer), s, 0);
  raw.count_characters_utf16(unitsAddress, s.length, outAddress, null);
  return outWords[0];
}

// ---- Pure JS ----

function charCodeAtLoop(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}
function forOf(s) {
  let n = 0;
  // eslint-disable-next-line no-unused-vars
  for (const _ of s) n++;
  return n;
}
const spread = (s) => [...s].length;
const LOW_SURROGATES = /[\udc00-\udfff]/g;
function regexCount(s) {
  let n = s.length;
  LOW_SURROGATES.lastIndex = 0;
  while (LOW_SURROGATES.exec(s) !== null) n--;
  return n;
}

const JS_BASELINES = ['JS charCodeAt loop', 'JS for…of', 'JS [...s].length'];

const COUNT_ENGINES = {
  'public countCharacters (now)': ffi.countCharacters,
  'public countCharacters (before)': before.countCharacters,
  'raw count_characters_utf16 (koffi str16)': rawUtf16,
  'raw count_characters (koffi UTF-8, NUL-terminated)': rawUtf8Terminated,
  'variant: encodeInto + count_characters_utf8': encodeIntoUtf8,
  'variant: ucs2Write + count_characters_utf16': ucs2WriteUtf16,
  ...(napi ? { 'Node-API addon (UTF-8, as before)': napi.countCharacters } : {}),
  ...(napi && napi.countCharactersUtf16
    ? { 'Node-API addon (UTF-16 copy, count_characters_utf16)': napi.countCharactersUtf16 }
    : {}),
  'JS charCodeAt loop': charCodeAtLoop,
  'JS for…of': forOf,
  'JS [...s].length': spread,
  'JS regex count of low surrogates': regexCount,
};

/** Parts of the public UTF-16 path, to show where its time goes (not joined strings: not checked). */
const concatUnits = new Uint16Array(4096);
const concatUnitsAddress = koffi.address(concatUnits);
/** An error object, as the public layer passes one (for the process's lifetime). */
const partError = raw.ffi_error_new();
const ucs2Slice = Function.prototype.call.bind(Buffer.prototype.ucs2Slice);
const PARTS = {
  'part: raw concat_strings_utf16_into call only (koffi marshalling + Rust)': (a, b) => (
    raw.concat_strings_utf16_into(a, a.length, b, b.length, concatUnitsAddress, 4096, outAddress, partError),
    ''
  ),
  'part: decode only (ucs2Slice of the result)': (a, b) => ucs2Slice(concatUnits, 0, (a.length + b.length) * 2),
  'part: raw add_in_rust (the per-call floor of koffi)': () => (raw.add_in_rust(1, 2), ''),
};

const CONCAT_ENGINES = {
  'public concatStrings (now)': ffi.concatStrings,
  'public concatStrings (before)': before.concatStrings,
  ...(napi ? { 'Node-API addon (concat_strings, UTF-8)': napi.concat } : {}),
  ...(napi && napi.concatUtf16Into
    ? {
        // The addon's buffer holds 4096 code units: longer results are skipped.
        'Node-API addon (UTF-16 copies, concat_strings_utf16_into)': (a, b) =>
          a.length + b.length <= 4096 ? napi.concatUtf16Into(a, b) : a + b,
      }
    : {}),
};

// ---- Inputs ----

const ascii = (n) => 'hello world, plain ascii '.repeat(Math.ceil(n / 25)).slice(0, n);
const mixed = (n) => {
  const s = 'héllo wörld 🦀 ünïcode '.repeat(Math.ceil(n / 22)).slice(0, n);
  return s.isWellFormed() ? s : s.slice(0, -1) + 'x';
};
const flat = (s) => (s.charCodeAt(0), s);

// ---- Timing ----

const now = () => Number(process.hrtime.bigint());
/** One loop per engine, each its own function (own type feedback); the sink stops dead-code elimination. */
function loopFor(fn, arity) {
  const body = arity === 1 ? 'k += fn(a)' : 'k += fn(a, b).length';
  return new Function(
    'fn',
    `return function loop(n, a, b) { let k = 0; for (let i = 0; i < n; i++) ${body}; return k; }`,
  )(fn);
}
globalThis.sink = 0;
function timeBatch(e, a, b) {
  const t = now();
  globalThis.sink += e.loop(e.n, a, b);
  return (now() - t) / e.n;
}

/** The fastest round of each engine, by result object of measure(). */
const mins = new WeakMap();

function measure(engines, arity, a, b, check) {
  const runs = {};
  for (const [name, fn] of Object.entries(engines)) {
    if (only && !only.test(name)) continue;
    check(name, arity === 1 ? fn(a) : fn(a, b));
    const e = { loop: loopFor(fn, arity), n: 1, times: [] };
    while (timeBatch(e, a, b) * e.n < BATCH_NS && e.n < 2 ** 30) e.n *= 2;
    runs[name] = e;
  }
  for (let r = 0; r < ROUNDS; r++) for (const e of Object.values(runs)) e.times.push(timeBatch(e, a, b));
  const out = {};
  for (const [name, e] of Object.entries(runs)) {
    e.times.sort((x, y) => x - y);
    out[name] = e.times[e.times.length >> 1];
    mins.set(out, { ...mins.get(out), [name]: e.times[0] });
  }
  return out;
}

const fmt = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e4 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;
const lines = [];
const print = (l = '') => {
  lines.push(l);
  console.log(l);
};

print(
  `# String paths: ${new Date().toISOString()}, Node ${process.version}, load ${require('node:os')
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
print(
  `median and fastest of ${ROUNDS} interleaved rounds; "× JS" = fastest JS loop (charCodeAt / for…of / spread) ÷ engine (> 1: engine faster)`,
);
print();
print('## countCharacters');
print();
print(
  '| text | engine | ns/call (median) | ns/call (fastest round) | ns/code point (median) | × JS (median) | × JS (fastest) |',
);
print('| --- | --- | --- | --- | --- | --- | --- |');
const summary = [];
for (const len of [1000, 10_000, 1_000_000]) {
  for (const [kind, gen] of [
    ['ASCII', ascii],
    ['mixed', mixed],
  ]) {
    const s = flat(gen(len));
    const expected = [...s].length;
    const t = measure(COUNT_ENGINES, 1, s, undefined, (name, got) => {
      if (got !== expected) throw new Error(`${name}: ${got} for ${kind} ${len}, expected ${expected}`);
    });
    const js = JS_BASELINES.filter((n) => n in t);
    const m = mins.get(t);
    const best = js.reduce((b, n) => (t[n] < t[b] ? n : b), js[0]);
    const bestMin = js.reduce((b, n) => (m[n] < m[b] ? n : b), js[0]);
    for (const [name, ns] of Object.entries(t)) {
      const ratio = best ? (t[best] / ns).toFixed(2) + '×' : '–';
      const ratioMin = bestMin ? (m[bestMin] / m[name]).toFixed(2) + '×' : '–';
      const mark = name === best ? ' (baseline)' : name === bestMin ? ' (baseline, fastest rounds)' : '';
      print(
        `| ${kind} ${len.toLocaleString('en')} | ${name}${mark} | ${fmt(ns)} | ${fmt(m[name])} | ` +
          `${(ns / expected).toFixed(3)} | ${ratio} | ${ratioMin} |`,
      );
    }
    if (best) summary.push({ kind, len, best, bestMin, t, m });
  }
}
print();
print('Summary (public countCharacters vs the fastest JS loop):');
for (const { kind, len, best, bestMin, t, m } of summary) {
  const pub = 'public countCharacters (now)';
  const old = 'public countCharacters (before)';
  if (!(pub in t) || !(old in t)) continue;
  print(
    `- ${kind} ${len.toLocaleString('en')}: now ${fmt(t[pub])} / ${fmt(m[pub])} (median / fastest round), ` +
      `${(t[best] / t[pub]).toFixed(2)}× / ${(m[bestMin] / m[pub]).toFixed(2)}× faster than ${best}; ` +
      `before ${fmt(t[old])} / ${fmt(m[old])}, ${(t[best] / t[old]).toFixed(2)}× / ${(m[bestMin] / m[old]).toFixed(2)}×; ` +
      `now ÷ before ${(t[pub] / t[old]).toFixed(2)} / ${(m[pub] / m[old]).toFixed(2)}`,
  );
}
print(
  'Note: the regex count is O(1) on strings V8 stores with one byte per unit (it knows they hold no ' +
    'surrogate), so it is not a loop over the text; it is shown, not used as the baseline.',
);
print();
print('## concatStrings');
print();
print(
  '| inputs | engine | ns/call (median) | ns/call (fastest round) | ns/code unit (median) | × Node-API (median) | × Node-API (fastest) |',
);
print('| --- | --- | --- | --- | --- | --- | --- |');
const concatCases = [
  ['bench case', 'Hello, ', 'Rustacean!'],
  ...[1000, 10_000, 1_000_000].flatMap((len) => [
    [`ASCII ${len.toLocaleString('en')}`, flat(ascii(len / 2)), flat(ascii(len / 2))],
    [`mixed ${len.toLocaleString('en')}`, flat(mixed(len / 2)), flat(mixed(len / 2))],
  ]),
];
for (const [label, a, b] of concatCases) {
  const expected = a + b;
  const engines = { ...CONCAT_ENGINES };
  if (a.length + b.length > 4096) delete engines['Node-API addon (UTF-16 copies, concat_strings_utf16_into)'];
  if (label === 'bench case') Object.assign(engines, PARTS);
  const t = measure(engines, 2, a, b, (name, got) => {
    if (!name.startsWith('part:') && got !== expected) throw new Error(`${name}: wrong result for ${label}`);
  });
  const napiName = 'Node-API addon (concat_strings, UTF-8)';
  const m = mins.get(t);
  for (const [name, ns] of Object.entries(t)) {
    const ratio = napiName in t ? (ns / t[napiName]).toFixed(2) + '×' : '–';
    const ratioMin = napiName in t ? (m[name] / m[napiName]).toFixed(2) + '×' : '–';
    print(
      `| ${label} | ${name} | ${fmt(ns)} | ${fmt(m[name])} | ${(ns / expected.length).toFixed(3)} | ${ratio} | ${ratioMin} |`,
    );
  }
}
if (process.env.OUT) fs.writeFileSync(process.env.OUT, lines.join('\n') + '\n');
