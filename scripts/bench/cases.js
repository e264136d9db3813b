'use strict';
// The table of what `make bench` measures. Adding a function to the
// benchmark is adding one entry here.
//
// A case has, per engine, a spec `{ env(ctx) -> object | null, expr }`:
// `env` returns the constants the timed expression uses (or null when the
// package does not export what it needs, so entries for functions that are
// not merged yet switch themselves on later), and `expr` is evaluated once
// per iteration (`i` is the iteration number) and must give a number, which
// is added to a sink. Engines:
//   public  the package's public API, as users call it
//   raw     the same symbol through the raw koffi layer, no validation
//   js      a pure-JS equivalent, where one makes sense
//   napi    the Node-API addon (bench/napi), the floor for a JS→native call
//   c       the name of the C bench case (c/bench/bench.c), the native floor
// `variants` are extra ways to do the same call through koffi, measured in
// the same rounds, to pick the fastest correct path for the public API.
//
// ctx = { ffi, raw, koffi, napi (null if not built), inputs, decl(signature) }

const { u32Array, text, countCharactersJs, sumOfEvenJs, primesUpToJs, translateJs } = require('./inputs');

const has = (obj, ...names) => obj !== null && obj !== undefined && names.every((n) => typeof obj[n] === 'function');

const FIRST = 'Hello, ';
const SECOND = 'Rustacean!';
const COUNT_TEXT = 'héllo wörld 🦀';
const TEN_MILLION = 10_000_000;

// Big inputs are made once, on first use, and shared by the engines.
let bigArray = null;
const tenMillionU32 = () => (bigArray ??= u32Array(TEN_MILLION));

const rawStrings = () => require('../../dist/raw/strings');

/** Scratch state for the concatStrings variants (one set per process). */
function concatScratch(ctx) {
  const { raw, koffi, decl } = ctx;
  const scratch = Buffer.alloc(4096);
  const inFirst = Buffer.allocUnsafe(1024);
  const inSecond = Buffer.allocUnsafe(1024);
  const big = new BigUint64Array(1);
  const u32 = new Uint32Array(2); // size_t on a little-endian 64-bit target: low word first
  return {
    raw,
    koffi,
    scratch,
    inFirst,
    inSecond,
    big,
    u32,
    intoU32: decl(
      'int concat_strings_into(const char *first, const char *second, uint8_t *buf, size_t buf_len, uint32_t *needed, void *error)',
    ),
    intoBytes: decl(
      'int concat_strings_into(uint8_t *first, uint8_t *second, uint8_t *buf, size_t buf_len, uint32_t *needed, void *error)',
    ),
    intoAddr: decl(
      'int concat_strings_into(const char *first, const char *second, void *buf, size_t buf_len, uint32_t *needed, void *error)',
    ),
    intoAddr2: decl(
      'int concat_strings_into(const char *first, const char *second, void *buf, size_t buf_len, void *needed, void *error)',
    ),
    scratchAddr: koffi.address(scratch),
    u32Addr: koffi.address(u32),
  };
}

/** The foundation's concatStrings (before this tuning), for comparison. */
function foundationConcat(ctx) {
  const { raw, koffi } = ctx;
  const scratch = Buffer.allocUnsafe(4096);
  const neededOut = new BigUint64Array(1);
  const cString = (value) => {
    if (typeof value !== 'string') throw new TypeError('not a string');
    if (value.includes('\0')) throw new TypeError('NUL');
    if (!value.isWellFormed()) throw new TypeError('lone surrogate');
    return value;
  };
  return (first, second) => {
    cString(first);
    cString(second);
    const status = raw.concat_strings_into(first, second, scratch, 4096, neededOut, null);
    if (status === 0) return scratch.toString('utf8', 0, Number(neededOut[0]) - 1);
    const owned = raw.concat_strings(first, second);
    try {
      return koffi.decode(owned, 'char', Number(neededOut[0]) - 1);
    } finally {
      raw.free_rust_string(owned);
    }
  };
}

const CASES = [
  {
    name: 'addInRust',
    call: 'addInRust(i & 0xffff, 7)',
    public: { env: ({ ffi }) => ({ f: ffi.addInRust }), expr: 'f(i & 0xffff, 7)' },
    raw: { env: ({ raw }) => ({ f: raw.add_in_rust }), expr: 'f(i & 0xffff, 7)' },
    js: { env: () => ({ f: (a, b) => (a + b) | 0 }), expr: 'f(i & 0xffff, 7)' },
    napi: { env: ({ napi }) => has(napi, 'add') && { f: napi.add }, expr: 'f(i & 0xffff, 7)' },
    c: 'add_in_rust',
  },
  {
    name: 'addChecked',
    call: 'addChecked(i & 0xffff, 7)',
    public: { env: ({ ffi }) => ({ f: ffi.addChecked }), expr: 'f(i & 0xffff, 7)' },
    raw: {
      env: ({ raw }) => ({ f: raw.add_in_rust_checked, out: new Int32Array(1) }),
      expr: 'f(i & 0xffff, 7, out, null) + out[0]',
    },
  },
  {
    name: 'concatStrings',
    call: `concatStrings(${JSON.stringify(FIRST)}, ${JSON.stringify(SECOND)})`,
    public: { env: ({ ffi }) => ({ f: ffi.concatStrings, a: FIRST, b: SECOND }), expr: 'f(a, b).length' },
    raw: {
      // The disposable path: Rust allocates, koffi decodes, Rust frees.
      env: ({ raw, koffi }) => ({
        f: raw.concat_strings,
        free: raw.free_rust_string,
        decode: koffi.decode,
        a: FIRST,
        b: SECOND,
      }),
      expr: "((p) => { const s = decode(p, 'char', -1); free(p); return s.length; })(f(a, b))",
    },
    js: { env: () => ({ xs: [FIRST, FIRST.slice(0, 6) + ' '], b: SECOND }), expr: '(xs[i & 1] + b).length' },
    napi: { env: ({ napi }) => has(napi, 'concat') && { f: napi.concat, a: FIRST, b: SECOND }, expr: 'f(a, b).length' },
    c: 'concat_strings+free_rust_string',
    variants: {
      'foundation concatStrings (before tuning)': {
        env: (ctx) => ({ f: foundationConcat(ctx), a: FIRST, b: SECOND }),
        expr: 'f(a, b).length',
      },
      'into, BigUint64Array needed, toString': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: "(s.raw.concat_strings_into(a, b, s.scratch, 4096, s.big, null), s.scratch.toString('utf8', 0, Number(s.big[0]) - 1).length)",
      },
      'into, Uint32Array needed, toString': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: "(s.intoU32(a, b, s.scratch, 4096, s.u32, null), s.scratch.toString('utf8', 0, s.u32[0] - 1).length)",
      },
      'into, Uint32Array needed, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: '(s.intoU32(a, b, s.scratch, 4096, s.u32, null), s.scratch.utf8Slice(0, s.u32[0] - 1).length)',
      },
      'into, buf as BigInt address, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: '(s.intoAddr(a, b, s.scratchAddr, 4096, s.u32, null), s.scratch.utf8Slice(0, s.u32[0] - 1).length)',
      },
      'into, buf and needed as BigInt addresses, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: '(s.intoAddr2(a, b, s.scratchAddr, 4096, s.u32Addr, null), s.scratch.utf8Slice(0, s.u32[0] - 1).length)',
      },
      'into (raw declaration), buf and needed as BigInt addresses, toString': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: "(s.raw.concat_strings_into(a, b, s.scratchAddr, 4096, s.u32Addr, null), s.scratch.toString('utf8', 0, s.u32[0] - 1).length)",
      },
      'into (raw declaration), buf and needed as BigInt addresses, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: '(s.raw.concat_strings_into(a, b, s.scratchAddr, 4096, s.u32Addr, null), s.scratch.utf8Slice(0, s.u32[0] - 1).length)',
      },
      'into (raw/strings module binding), buf and needed as BigInt addresses, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), f: rawStrings().concat_strings_into, a: FIRST, b: SECOND }),
        expr: '(f(a, b, s.scratchAddr, 4096, s.u32Addr, null), s.scratch.utf8Slice(0, s.u32[0] - 1).length)',
      },
      'into, buf as BigInt address, needed NULL, JS scan for NUL, utf8Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr:
          '(s.intoAddr2(a, b, s.scratchAddr, 4096, null, null), ((u) => { let k = 0; while (u[k] !== 0) k++; ' +
          'return u.utf8Slice(0, k).length; })(s.scratch))',
      },
      'into, inputs encoded with utf8Write into Buffers': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr:
          '((n1, n2) => (s.inFirst[n1] = 0, s.inSecond[n2] = 0, s.intoBytes(s.inFirst, s.inSecond, s.scratch, 4096, s.u32, null), ' +
          's.scratch.utf8Slice(0, s.u32[0] - 1).length))(s.inFirst.utf8Write(a, 0), s.inSecond.utf8Write(b, 0))',
      },
      'into, ASCII scan + latin1Slice': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr:
          '((n) => { const u = s.scratch; let k = 0; while (k < n && u[k] < 0x80) k++; ' +
          'return (k === n ? u.latin1Slice(0, n) : u.utf8Slice(0, n)).length; })((s.intoU32(a, b, s.scratch, 4096, s.u32, null), s.u32[0] - 1))',
      },
      'call only (no decode)': {
        env: (ctx) => ({ s: concatScratch(ctx), a: FIRST, b: SECOND }),
        expr: '(s.intoU32(a, b, s.scratch, 4096, s.u32, null), s.u32[0])',
      },
      'decode only (utf8Slice of 17 bytes)': {
        env: (ctx) => ({ s: concatScratch(ctx) }),
        expr: 's.scratch.utf8Slice(0, 17).length',
      },
    },
  },
  {
    name: 'countCharacters',
    call: `countCharacters(${JSON.stringify(COUNT_TEXT)})`,
    public: { env: ({ ffi }) => ({ f: ffi.countCharacters, s: COUNT_TEXT }), expr: 'f(s)' },
    raw: {
      env: ({ raw }) => ({ f: raw.count_characters, s: COUNT_TEXT, out: new BigUint64Array(1) }),
      expr: 'f(s, out, null) + Number(out[0])',
    },
    js: { env: () => ({ f: countCharactersJs, s: COUNT_TEXT }), expr: 'f(s)' },
    napi: {
      env: ({ napi }) => has(napi, 'countCharacters') && { f: napi.countCharacters, s: COUNT_TEXT },
      expr: 'f(s)',
    },
    c: 'count_characters',
  },
  // ---- entries that switch on when the other modules are merged ----
  {
    name: 'Point.translate',
    call: 'new Point(1, 2).translate(1, -1), repeated',
    public: {
      env: ({ ffi }) => typeof ffi.Point === 'function' && { p: new ffi.Point(1, 2) },
      expr: '(p.translate(1, -1), 1)',
    },
    raw: {
      env: ({ raw }) => has(raw, 'point_translate') && { f: raw.point_translate, p: new Float32Array([1, 2]) },
      expr: '(f(p, 1, -1), 1)',
    },
    js: { env: () => ({ f: translateJs, p: { x: 1, y: 2 } }), expr: '(f(p, 1, -1), 1)' },
    napi: {
      env: ({ napi }) => has(napi, 'pointTranslate') && { f: napi.pointTranslate, p: new Float32Array([1, 2]) },
      expr: '(f(p, 1, -1), 1)',
    },
    c: 'point_translate',
    variants: {
      'raw, koffi object marshalling (_Inout_ Point *)': {
        env: ({ raw, koffi, decl }) => {
          if (raw.Point === undefined || !has(raw, 'point_translate')) return null;
          const f = decl(['point_translate', 'void', [koffi.inout(koffi.pointer(raw.Point)), 'float', 'float']]);
          return { f, p: { x: 1, y: 2 } };
        },
        expr: '(f(p, 1, -1), 1)',
      },
    },
  },
  {
    name: 'OpaquePoint new+free',
    call: 'new OpaquePoint(1, 2).free()',
    public: {
      env: ({ ffi }) => typeof ffi.OpaquePoint === 'function' && { P: ffi.OpaquePoint },
      expr: 'new P(1, 2).free() === undefined ? 1 : 0',
    },
    raw: {
      env: ({ raw }) =>
        has(raw, 'opaque_point_new', 'opaque_point_free') && { f: raw.opaque_point_new, g: raw.opaque_point_free },
      expr: 'g(f(1, 2)) === undefined ? 1 : 0',
    },
    napi: {
      env: ({ napi }) => has(napi, 'opaqueNew', 'opaqueFree') && { f: napi.opaqueNew, g: napi.opaqueFree },
      expr: 'g(f(1, 2)) === undefined ? 1 : 0',
    },
    c: 'opaque_point_new+opaque_point_free',
  },
  {
    name: 'sumOfEven(10M)',
    call: 'sumOfEven(Uint32Array of 10^7)',
    public: {
      env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: ffi.sumOfEven, a: tenMillionU32() },
      expr: 'Number(f(a))',
    },
    raw: {
      env: ({ raw }) => has(raw, 'sum_of_even') && { f: raw.sum_of_even, a: tenMillionU32() },
      expr: 'Number(f(a, a.length))',
    },
    js: { env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: sumOfEvenJs, a: tenMillionU32() }, expr: 'f(a)' },
    napi: { env: ({ napi }) => has(napi, 'sumOfEven') && { f: napi.sumOfEven, a: tenMillionU32() }, expr: 'f(a)' },
    c: 'sum_of_even(10M)',
  },
  {
    name: 'primesUpTo(10M)',
    call: 'primesUpTo(10_000_000)',
    public: { env: ({ ffi }) => has(ffi, 'primesUpTo') && { f: ffi.primesUpTo }, expr: 'f(10000000).length' },
    raw: {
      // Guessing the raw shape: `primes_up_to(limit, out)` filling a U32Array
      // object, then a copy out of Rust memory and `u32_array_free(out)`.
      env: ({ raw, koffi }) =>
        has(raw, 'primes_up_to', 'u32_array_free') && {
          f: raw.primes_up_to,
          free: raw.u32_array_free,
          view: koffi.view,
        },
      expr:
        '((out) => { f(10000000, out, null); const copy = new Uint32Array(view(out.data, out.len * 4).slice(0)); ' +
        'free(out); return copy.length; })({})',
    },
    js: { env: ({ ffi }) => has(ffi, 'primesUpTo') && { f: primesUpToJs }, expr: 'f(10000000).length' },
    napi: { env: ({ napi }) => has(napi, 'primesUpTo') && { f: napi.primesUpTo }, expr: 'f(10000000).length' },
    c: 'primes_up_to(10M)+u32_array_free',
  },
];

/**
 * Length sweeps: time per element against input length, library vs pure JS
 * (and C, from the C bench), charted with the crossover marked.
 * `lib`/`js` specs get the input as `input`.
 */
const SWEEPS = [
  {
    name: 'sumOfEven',
    title: 'sumOfEven: time per element, library vs pure-JS loop',
    file: 'bench-sum-of-even.svg',
    unit: 'element',
    c: 'sum_of_even',
    make: (len) => u32Array(len),
    lib: { env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: ffi.sumOfEven }, expr: 'Number(f(input))' },
    js: { env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: sumOfEvenJs }, expr: 'f(input)' },
  },
  {
    name: 'countCharacters',
    title: 'countCharacters: time per code point, library vs pure-JS loop',
    file: 'bench-count-characters.svg',
    unit: 'code point',
    c: 'count_characters',
    make: (len) => text(len),
    lib: { env: ({ ffi }) => ({ f: ffi.countCharacters }), expr: 'f(input)' },
    js: { env: () => ({ f: countCharactersJs }), expr: 'f(input)' },
  },
];

/** Async throughput: calls kept in flight at once (koffi's `.async` runs on its worker pool). */
const ASYNC_IN_FLIGHT = [1, 8, 64];

/**
 * Async cases: `start(ctx)` returns `() => Promise` (one call) or null when
 * unavailable.
 */
const ASYNC_CASES = [
  {
    name: 'add_in_rust.async (koffi async floor)',
    start: ({ raw }) => {
      const f = raw.add_in_rust.async;
      return () => new Promise((resolve, reject) => f(2, 3, (err, r) => (err ? reject(err) : resolve(r))));
    },
  },
  {
    name: 'sumOfEvenAsync(1000 elements)',
    start: ({ ffi }) => {
      if (!has(ffi, 'sumOfEvenAsync')) return null;
      const a = u32Array(1000);
      return () => ffi.sumOfEvenAsync(a);
    },
  },
  {
    name: 'primesUpToAsync(10000)',
    start: ({ ffi }) => (has(ffi, 'primesUpToAsync') ? () => ffi.primesUpToAsync(10000) : null),
  },
];

module.exports = { CASES, SWEEPS, ASYNC_CASES, ASYNC_IN_FLIGHT, TEN_MILLION };
