'use strict';
// The table of what `make bench` measures. Adding a function to the
// benchmark is adding one entry here.
//
// A case has engines, each a spec `{ env(ctx) -> object | null, expr }`:
// `env` returns the constants the timed expression uses (or null when the
// build does not have what it needs, so entries switch themselves on when a
// function lands), and `expr` is evaluated once per iteration (`i` is the
// iteration number) and must give a number, which is added to a sink. A C
// spec has `batch` instead: one call that runs all `n` iterations in C. A
// case's `batchMs` overrides the time each round gives each of its rows.
// Engines (rows, in this order):
//   public    the package's public API, as users call it
//   raw       the same symbol through the raw koffi layer, no validation
//   napi      the Node-API addon (bench/napi): a floor with minimal checks
//   napiSame  the addon running the public API's algorithm, where it differs
//   c         C loops over the library (c/bench/loops.c), in this process and round
// `js` lists pure-JS candidates (scripts/bench/inputs.js): all are timed, and
// the fastest is the baseline. `variants` are other ways to do the call or
// parts of it, measured in the same rounds to explain the figures.
// `styles: true` adds the calling styles of the public and raw rows as
// variants (callingStyles below): the same call through the CommonJS exports
// object (`ffi.addInRust(...)`) and through the ES-module namespace
// (`import * as ffi`), next to the destructured function the engines use.
//
// ctx = { ffi, raw, koffi, napi (null if not built), cloops (null if not built), decl(signature) }

const {
  u32Array,
  text,
  utf8z,
  utf16,
  ASCII,
  MIXED,
  SUM_OF_EVEN_JS,
  COUNT_CHARACTERS_JS,
  PRIMES_UP_TO_JS,
  CONCAT_JS,
  translateJs,
} = require('./inputs');

const has = (obj, ...names) => obj !== null && obj !== undefined && names.every((n) => typeof obj[n] === 'function');

/**
 * A raw call `f(args)`, plus a NULL for the trailing `FfiError *error`
 * parameter when this build's declaration has one (the reason channel of
 * issue 13 adds it to every status-returning export).
 */
const rawCall = (args, nargs) => (env) =>
  `f(${args}${(env.f.info?.arguments?.length ?? nargs) > nargs ? ', null' : ''})`;

/** One spec per pure-JS candidate `f` of `table`, timed as `expr` with `env(ctx)`'s constants. */
const jsFrom = (table, expr, env = () => ({})) =>
  Object.fromEntries(
    Object.entries(table).map(([name, fn]) => [name, { env: (ctx) => ({ ...env(ctx), f: fn }), expr }]),
  );

const FIRST = 'Hello, ';
const SECOND = 'Rustacean!';
const SHORT_TEXT = 'héllo wörld 🦀';
const TEN_MILLION = 10_000_000;

/** Memory whose address (not the object) a timed loop uses stays referenced here for the whole run. */
const keepAlive = [];

// Big inputs are made once, on first use, and shared by the engines.
const memo = new Map();
const once = (key, make) => {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key);
};
const tenMillionU32 = () => once('u32:1e7', () => u32Array(TEN_MILLION));

/** The public countCharacters before issue 14: validate, then koffi converts the string to UTF-8. */
function utf8PathCountCharacters({ raw }) {
  const f = raw.count_characters;
  const out = new BigUint64Array(1);
  const extra = (f.info?.arguments?.length ?? 2) > 2;
  return (s) => {
    if (typeof s !== 'string' || s.includes('\0') || !s.isWellFormed()) throw new TypeError('bad string');
    const status = extra ? f(s, out, null) : f(s, out);
    if (status !== 0) throw new Error(`count_characters: status ${status}`);
    return Number(out[0]);
  };
}

const COUNT_LABELS = {
  raw: 'raw koffi (count_characters: koffi converts to UTF-8)',
  napi: 'Node-API addon (UTF-8 copy + count_characters)',
  napiSame: 'Node-API addon, same algorithm (UTF-16 copy + count_characters_utf16)',
  c: 'C direct (count_characters_utf16 on UTF-16 units)',
};

/** countCharacters on `len` code points of ASCII or mixed text: one case. */
function countCharactersCase(kind, len) {
  const pattern = kind === 'ASCII' ? ASCII : MIXED;
  const s = () => once(`text:${kind}:${len}`, () => text(len, pattern));
  const z = () => once(`utf8z:${kind}:${len}`, () => utf8z(s()));
  const u = () => once(`utf16:${kind}:${len}`, () => utf16(s()));
  const label = len >= 1e6 ? `${len / 1e6}M` : `${len / 1e3}k`;
  return {
    name: `countCharacters(${kind} ${label})`,
    call: `countCharacters(${len.toLocaleString('en-US')} code points of ${kind === 'ASCII' ? 'ASCII' : 'mixed (two-byte)'} text)`,
    group: 'countCharacters',
    engines: {
      public: { env: ({ ffi }) => ({ f: ffi.countCharacters, s: s() }), expr: 'f(s)' },
      raw: {
        env: ({ raw }) => ({ f: raw.count_characters, s: s(), out: new BigUint64Array(1) }),
        expr: (env) => `${rawCall('s, out', 2)(env)} + Number(out[0])`,
      },
      napi: { env: ({ napi }) => has(napi, 'countCharacters') && { f: napi.countCharacters, s: s() }, expr: 'f(s)' },
      napiSame: {
        env: ({ napi }) => has(napi, 'countCharactersUtf16') && { f: napi.countCharactersUtf16, s: s() },
        expr: 'f(s)',
      },
      c: { env: ({ cloops }) => cloops && { f: cloops.countCharactersUtf16, t: u() }, batch: 'f(n, t, t.length)' },
    },
    labels: COUNT_LABELS,
    js: jsFrom(COUNT_CHARACTERS_JS, 'f(s)', () => ({ s: s() })),
    variants: {
      'C direct, count_characters on NUL-terminated UTF-8 bytes': {
        env: ({ cloops }) => cloops && { f: cloops.countCharacters, t: z() },
        batch: 'f(n, t)',
      },
      'UTF-8 path (the public API before issue 14: checks + koffi converts to UTF-8)': {
        env: (ctx) => ({ f: utf8PathCountCharacters(ctx), s: s() }),
        expr: 'f(s)',
      },
      ...(kind === 'ASCII' && len === 1e6
        ? {
            'UTF-8 path again (A/A control: the same code twice, for the noise floor)': {
              env: (ctx) => ({ f: utf8PathCountCharacters(ctx), s: s() }),
              expr: 'f(s)',
            },
          }
        : {}),
    },
  };
}

const CASES = [
  {
    name: 'addInRust',
    styles: true,
    call: 'addInRust(i & 0xffff, 7)',
    engines: {
      public: { env: ({ ffi }) => ({ f: ffi.addInRust }), expr: 'f(i & 0xffff, 7)' },
      raw: { env: ({ raw }) => ({ f: raw.add_in_rust }), expr: 'f(i & 0xffff, 7)' },
      napi: { env: ({ napi }) => has(napi, 'add') && { f: napi.add }, expr: 'f(i & 0xffff, 7)' },
      c: { env: ({ cloops }) => cloops && { f: cloops.add }, batch: 'f(n)' },
    },
    js: { '(a + b) | 0': { env: () => ({ f: (a, b) => (a + b) | 0 }), expr: 'f(i & 0xffff, 7)' } },
    variants: {
      'raw koffi again (A/A control: the same code twice, for the noise floor)': {
        env: ({ raw }) => ({ f: raw.add_in_rust }),
        expr: 'f(i & 0xffff, 7)',
      },
    },
  },
  {
    name: 'addChecked',
    styles: true,
    call: 'addChecked(i & 0xffff, 7)',
    engines: {
      public: { env: ({ ffi }) => ({ f: ffi.addChecked }), expr: 'f(i & 0xffff, 7)' },
      raw: {
        env: ({ raw }) => ({ f: raw.add_in_rust_checked, out: new Int32Array(1) }),
        expr: (env) => `${rawCall('i & 0xffff, 7, out', 3)(env)} + out[0]`,
      },
    },
  },
  {
    name: 'concatStrings',
    styles: true,
    call: `concatStrings(${JSON.stringify(FIRST)}, ${JSON.stringify(SECOND)})`,
    engines: {
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
      napi: {
        env: ({ napi }) => has(napi, 'concat') && { f: napi.concat, a: FIRST, b: SECOND },
        expr: 'f(a, b).length',
      },
      napiSame: {
        env: ({ napi }) => has(napi, 'concatUtf16Into') && { f: napi.concatUtf16Into, a: FIRST, b: SECOND },
        expr: 'f(a, b).length',
      },
      c: {
        env: ({ cloops }) => cloops && { f: cloops.concatUtf16Into, a: utf16(FIRST), b: utf16(SECOND) },
        batch: 'f(n, a, a.length, b, b.length)',
      },
    },
    labels: {
      raw: 'raw koffi (concat_strings + decode + free_rust_string)',
      napi: 'Node-API addon (UTF-8 copies, concat_strings + free_rust_string)',
      napiSame: 'Node-API addon, same algorithm (UTF-16 copies, concat_strings_utf16_into a reused buffer)',
      c: 'C direct (concat_strings_utf16_into)',
    },
    // Alternating first arguments, so V8 cannot fold the concatenation away.
    js: jsFrom(CONCAT_JS, 'f(xs[i & 1], b).length', () => ({ xs: [FIRST, FIRST.slice(0, 6) + ' '], b: SECOND })),
    variants: {
      'C direct (concat_strings_into, UTF-8)': {
        env: ({ cloops }) => cloops && { f: cloops.concatInto, a: utf8z(FIRST), b: utf8z(SECOND) },
        batch: 'f(n, a, b)',
      },
      'C direct (concat_strings + free_rust_string, UTF-8)': {
        env: ({ cloops }) => cloops && { f: cloops.concatFree, a: utf8z(FIRST), b: utf8z(SECOND) },
        batch: 'f(n, a, b)',
      },
      'Node-API addon, concat_strings_into a reused buffer (UTF-8 copies and result)': {
        env: ({ napi }) => has(napi, 'concatInto') && { f: napi.concatInto, a: FIRST, b: SECOND },
        expr: 'f(a, b).length',
      },
      'parts: the checks of the public API alone (2 × typeof, total length)': {
        env: () => ({ a: FIRST, b: SECOND }),
        expr: "(typeof a === 'string' && typeof b === 'string' && a.length + b.length <= 536870888 ? 1 : 0)",
      },
      'parts: the koffi call alone (concat_strings_utf16_into, no decode)': {
        env: ({ raw, koffi }) => {
          if (!has(raw, 'concat_strings_utf16_into')) return null;
          const scratch = new Uint16Array(4096);
          const needed = new Uint32Array(2);
          keepAlive.push(scratch, needed); // only their addresses are in the loop: this keeps the memory alive
          return {
            f: raw.concat_strings_utf16_into,
            a: FIRST,
            b: SECOND,
            buf: koffi.address(scratch),
            out: koffi.address(needed),
          };
        },
        expr: (env) => rawCall('a, a.length, b, b.length, buf, 4096, out', 7)(env),
      },
      'parts: the decode alone (ucs2Slice of 17 code units from a Uint16Array, as the public API)': {
        env: () => {
          const units = new Uint16Array(4096);
          for (let k = 0; k < 17; k++) units[k] = (FIRST + SECOND).charCodeAt(k);
          return { decode: Function.prototype.call.bind(Buffer.prototype.ucs2Slice), units };
        },
        expr: 'decode(units, 0, 34).length',
      },
      'parts: the Node-API call alone (UTF-16 copies + concat_strings_utf16_into, no string made)': {
        env: ({ napi }) => has(napi, 'concatUtf16IntoLength') && { f: napi.concatUtf16IntoLength, a: FIRST, b: SECOND },
        expr: 'f(a, b)',
      },
    },
  },
  {
    name: 'countCharacters(short)',
    styles: true,
    call: `countCharacters(${JSON.stringify(SHORT_TEXT)})`,
    group: 'countCharacters',
    engines: {
      public: { env: ({ ffi }) => ({ f: ffi.countCharacters, s: SHORT_TEXT }), expr: 'f(s)' },
      raw: {
        env: ({ raw }) => ({ f: raw.count_characters, s: SHORT_TEXT, out: new BigUint64Array(1) }),
        expr: (env) => `${rawCall('s, out', 2)(env)} + Number(out[0])`,
      },
      napi: {
        env: ({ napi }) => has(napi, 'countCharacters') && { f: napi.countCharacters, s: SHORT_TEXT },
        expr: 'f(s)',
      },
      napiSame: {
        env: ({ napi }) => has(napi, 'countCharactersUtf16') && { f: napi.countCharactersUtf16, s: SHORT_TEXT },
        expr: 'f(s)',
      },
      c: {
        env: ({ cloops }) => cloops && { f: cloops.countCharactersUtf16, t: utf16(SHORT_TEXT) },
        batch: 'f(n, t, t.length)',
      },
    },
    labels: COUNT_LABELS,
    js: jsFrom(COUNT_CHARACTERS_JS, 'f(s)', () => ({ s: SHORT_TEXT })),
  },
  ...['ASCII', 'mixed'].flatMap((kind) => [1e3, 1e4, 1e6].map((len) => countCharactersCase(kind, len))),
  {
    name: 'Point.translate',
    call: 'new Point(1, 2).translate(1, -1), repeated',
    engines: {
      public: {
        env: ({ ffi }) => typeof ffi.Point === 'function' && { p: new ffi.Point(1, 2) },
        expr: '(p.translate(1, -1), 1)',
      },
      raw: {
        env: ({ raw }) => has(raw, 'point_translate') && { f: raw.point_translate, p: new Float32Array([1, 2]) },
        expr: '(f(p, 1, -1), 1)',
      },
      napi: {
        env: ({ napi }) => has(napi, 'pointTranslate') && { f: napi.pointTranslate, p: new Float32Array([1, 2]) },
        expr: '(f(p, 1, -1), 1)',
      },
      c: { env: ({ cloops }) => cloops && { f: cloops.pointTranslate }, batch: 'f(n)' },
    },
    js: { 'object + Math.fround': { env: () => ({ f: translateJs, p: { x: 1, y: 2 } }), expr: '(f(p, 1, -1), 1)' } },
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
    styles: true,
    call: 'new OpaquePoint(1, 2).free()',
    engines: {
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
      c: { env: ({ cloops }) => cloops && { f: cloops.opaqueNewFree }, batch: 'f(n)' },
    },
  },
  {
    name: 'sumOfEven(10M)',
    call: 'sumOfEven(Uint32Array of 10^7)',
    // Memory-bound (40 MB per call): batches of several calls, so a round's
    // time is not one call's luck with the memory bus.
    batchMs: 30,
    engines: {
      public: {
        env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: ffi.sumOfEven, a: tenMillionU32() },
        expr: 'Number(f(a))',
      },
      raw: {
        env: ({ raw }) => has(raw, 'sum_of_even') && { f: raw.sum_of_even, a: tenMillionU32() },
        expr: 'Number(f(a, a.length))',
      },
      napi: { env: ({ napi }) => has(napi, 'sumOfEven') && { f: napi.sumOfEven, a: tenMillionU32() }, expr: 'f(a)' },
      c: {
        env: ({ cloops }) => cloops && { f: cloops.sumOfEven, a: tenMillionU32() },
        batch: 'f(n, a, a.length)',
      },
    },
    js: jsFrom(SUM_OF_EVEN_JS, 'f(a)', () => ({ a: tenMillionU32() })),
    variants: {
      'C: the same sum as a plain C loop (gcc -O3, SSE2), no library call': {
        env: ({ cloops }) => cloops && { f: cloops.cSumOfEven, a: tenMillionU32() },
        batch: 'f(n, a, a.length)',
      },
      'C: read the 40 MB once (XOR, the memory-bandwidth floor), no library call': {
        env: ({ cloops }) => cloops && { f: cloops.readXor, a: tenMillionU32() },
        batch: 'f(n, a, a.length)',
      },
    },
  },
  {
    name: 'primesUpTo(10M)',
    call: 'primesUpTo(10_000_000)',
    engines: {
      public: { env: ({ ffi }) => has(ffi, 'primesUpTo') && { f: ffi.primesUpTo }, expr: 'f(10000000).length' },
      raw: {
        // primes_up_to into a U32Array, one copy into a JS Uint32Array, u32_array_free.
        env: ({ raw, koffi }) =>
          has(raw, 'primes_up_to', 'u32_array_free') && {
            f: raw.primes_up_to,
            free: raw.u32_array_free,
            view: koffi.view,
            out: new BigUint64Array(3),
          },
        expr: (env) =>
          `(${rawCall('10000000, out', 2)(env)}, ((o) => { const copy = new Uint32Array(view(o[0], Number(o[1]) * 4)).slice(); ` +
          'free({ data: o[0], len: Number(o[1]), capacity: Number(o[2]) }); return copy.length; })(out))',
      },
      napi: { env: ({ napi }) => has(napi, 'primesUpTo') && { f: napi.primesUpTo }, expr: 'f(10000000).length' },
      c: { env: ({ cloops }) => cloops && { f: cloops.primes }, batch: 'f(n, 10000000)' },
    },
    labels: { c: 'C direct (primes_up_to + u32_array_free, no copy)' },
    js: jsFrom(PRIMES_UP_TO_JS, 'f(10000000).length'),
  },
  {
    name: 'countWhere(100k)',
    call: 'countWhere(Uint32Array of 10^5, (n) => n % 3 === 0)',
    engines: {
      public: {
        env: ({ ffi }) =>
          has(ffi, 'countWhere') && {
            f: ffi.countWhere,
            a: once('u32:1e5', () => u32Array(100_000)),
            p: (n) => n % 3 === 0,
          },
        expr: 'f(a, p)',
      },
    },
    js: {
      'for loop calling the predicate': {
        env: () => ({
          a: once('u32:1e5', () => u32Array(100_000)),
          p: (n) => n % 3 === 0,
          f: (a, p) => {
            let k = 0;
            for (let i = 0; i < a.length; i++) if (p(a[i])) k++;
            return k;
          },
        }),
        expr: 'f(a, p)',
      },
      'filter(p).length': {
        env: () => ({ a: once('u32:1e5', () => u32Array(100_000)), p: (n) => n % 3 === 0 }),
        expr: 'a.filter(p).length',
      },
    },
    variants: {
      'a copy of the input alone (Uint32Array slice, 400 kB)': {
        env: () => ({ a: once('u32:1e5', () => u32Array(100_000)) }),
        expr: 'a.slice().length',
      },
    },
  },
];

/**
 * Length sweeps: time per element against input length: the library, the C
 * loop and the pure-JS candidates (the chart shows the fastest at each
 * length), timed in the same rounds at each length. `make(len)` builds the
 * input; a spec's `input(made)` turns it into that engine's input.
 */
const SWEEPS = [
  {
    name: 'sumOfEven',
    title: 'sumOfEven: time per element',
    file: 'bench-sum-of-even.svg',
    unit: 'element',
    make: (len) => u32Array(len),
    lib: { env: ({ ffi }) => has(ffi, 'sumOfEven') && { f: ffi.sumOfEven }, expr: 'Number(f(input))' },
    c: { env: ({ cloops }) => cloops && { f: cloops.sumOfEven }, batch: 'f(n, input, input.length)' },
    js: jsFrom(
      Object.fromEntries(
        ['for loop, if (branchy)', 'for loop, branchless mask', 'for loop, branchless mask, 4 accumulators'].map(
          (k) => [k, SUM_OF_EVEN_JS[k]],
        ),
      ),
      'f(input)',
    ),
  },
  ...['ASCII', 'mixed'].map((kind) => ({
    name: `countCharacters-${kind}`,
    title: `countCharacters, ${kind === 'ASCII' ? 'ASCII (one-byte) text' : 'mixed (two-byte) text'}: time per code point`,
    file: `bench-count-characters-${kind.toLowerCase()}.svg`,
    unit: 'code point',
    make: (len) => text(len, kind === 'ASCII' ? ASCII : MIXED),
    lib: { env: ({ ffi }) => ({ f: ffi.countCharacters }), expr: 'f(input)' },
    c: { env: ({ cloops }) => cloops && { f: cloops.countCharacters }, batch: 'f(n, input)', input: utf8z },
    js: jsFrom(
      Object.fromEntries(
        ['charCodeAt loop, low-surrogate check (branchy)', 'charCodeAt loop, branchless'].map((k) => [
          k,
          COUNT_CHARACTERS_JS[k],
        ]),
      ),
      'f(input)',
    ),
  })),
];

/** The variant names of the calling styles, by engine. */
const STYLE_NAMES = {
  public: {
    cjs: 'public, through the CommonJS exports (const ffi = require(...); ffi.fn(...))',
    esm: 'public, through the ES-module namespace (import * as ffi; ffi.fn(...))',
  },
  raw: {
    cjs: "raw koffi, through the CommonJS exports (const raw = require('ffi-deep-dive/raw'); raw.fn(...))",
    esm: 'raw koffi, through the ES-module namespace (import * as raw; raw.fn(...))',
  },
};

/**
 * The public and raw rows of a case called through a namespace instead of a destructured local: every
 * function of the row's env that the namespace exports is read from the namespace at each call
 * (`f(...)` becomes `ns.addInRust(...)`). ctx: { ffi, raw, esm, rawEsm }.
 */
function callingStyles(c) {
  if (!c.styles) return {};
  const out = {};
  for (const [engine, nsOf] of [
    ['public', { cjs: (ctx) => ctx.ffi, esm: (ctx) => ctx.esm }],
    ['raw', { cjs: (ctx) => ctx.raw, esm: (ctx) => ctx.rawEsm }],
  ]) {
    const spec = c.engines[engine];
    if (!spec || spec.expr === undefined) continue;
    for (const style of ['cjs', 'esm']) {
      let rewritten = null;
      out[STYLE_NAMES[engine][style]] = {
        env: (ctx) => {
          const env = spec.env(ctx);
          const ns = nsOf[style](ctx);
          if (!env || !ns) return null;
          let expr = typeof spec.expr === 'function' ? spec.expr(env) : spec.expr;
          const kept = { ns };
          for (const [k, v] of Object.entries(env)) {
            const name = typeof v === 'function' ? Object.keys(ns).find((n) => ns[n] === v) : undefined;
            if (name === undefined) kept[k] = v;
            else expr = expr.replace(new RegExp(`\\b${k}\\b(?=\\s*\\()`, 'g'), `ns.${name}`);
          }
          if (!expr.includes('ns.')) return null;
          rewritten = expr;
          return kept;
        },
        expr: () => rewritten,
      };
    }
  }
  return out;
}

module.exports = { CASES, SWEEPS, TEN_MILLION, has, rawCall, callingStyles, STYLE_NAMES };

/** Calls kept in flight at once in the async bench (keep-N-in-flight lanes). */
const ASYNC_IN_FLIGHT = [1, 8, 64, 512, 1000];

/** A Promise around a koffi `.async` call: `f.async(...args, callback)`. */
const koffiAsync = (f, ...args) =>
  new Promise((resolve, reject) => f.async(...args, (err, r) => (err ? reject(err) : resolve(r))));

/**
 * Async cases: per engine, `start(ctx)` returns `() => Promise` (one call)
 * or null when unavailable. Raw koffi `.async` cannot have more calls pending
 * than koffi's `max_async_calls` (256 by default): those lanes are not run.
 */
/**
 * `sumOfEvenAsync(…, { transfer: true })` through a pool of arrays of `len`
 * values: each call takes a free array (or makes one), moves its buffer into
 * the call and gets it back with the result, as a caller that reuses its
 * arrays would. Null when this build has no transfer option.
 */
async function transferringSum(ffi, len) {
  if (!has(ffi, 'sumOfEvenAsync')) return null;
  const probe = await ffi.sumOfEvenAsync(u32Array(4), { transfer: true });
  if (typeof probe !== 'object' || probe === null || !(probe.numbers instanceof Uint32Array)) return null;
  const free = [];
  return async () => {
    const a = free.pop() ?? u32Array(len);
    const { sum, numbers } = await ffi.sumOfEvenAsync(a, { transfer: true });
    free.push(numbers);
    return sum;
  };
}

/**
 * Async cases: per engine, `start(ctx)` returns (or resolves to) `() =>
 * Promise` (one call), or null when unavailable. Raw koffi `.async` cannot
 * have more calls pending than koffi's `max_async_calls` (256 by default):
 * those lanes are not run. `inFlight` and `calls` override the defaults.
 */
const ASYNC_CASES = [
  {
    name: 'sumOfEvenAsync(1000 elements)',
    engines: {
      public: ({ ffi }) => {
        if (!has(ffi, 'sumOfEvenAsync')) return null;
        const a = u32Array(1000);
        return () => ffi.sumOfEvenAsync(a);
      },
      publicTransfer: ({ ffi }) => transferringSum(ffi, 1000),
      raw: ({ raw }) => {
        const a = u32Array(1000);
        return () => koffiAsync(raw.sum_of_even, a, a.length);
      },
      napi: ({ napi }) => {
        if (!has(napi, 'sumOfEvenAsync')) return null;
        const a = u32Array(1000);
        return () => napi.sumOfEvenAsync(a);
      },
    },
  },
  {
    name: 'primesUpToAsync(10000)',
    engines: {
      public: ({ ffi }) => (has(ffi, 'primesUpToAsync') ? () => ffi.primesUpToAsync(10000) : null),
      raw: ({ raw, koffi }) => {
        // The same work as the public API's: sieve on a worker, then one copy
        // into a JS Uint32Array and u32_array_free on the main thread.
        const extra = (raw.primes_up_to.info?.arguments?.length ?? 2) > 2;
        return async () => {
          const out = new BigUint64Array(new ArrayBuffer(24));
          const status = await (extra
            ? koffiAsync(raw.primes_up_to, 10000, out, null)
            : koffiAsync(raw.primes_up_to, 10000, out));
          if (status !== 0) throw new Error(`primes_up_to: status ${status}`);
          const copy = new Uint32Array(koffi.view(out[0], Number(out[1]) * 4)).slice();
          raw.u32_array_free({ data: out[0], len: Number(out[1]), capacity: Number(out[2]) });
          return copy;
        };
      },
      napi: ({ napi }) => (has(napi, 'primesUpToAsync') ? () => napi.primesUpToAsync(10000) : null),
    },
  },
  {
    // What the async input copy costs on a large array, against a transfer.
    name: 'sumOfEvenAsync(1M elements): input copied vs transferred',
    inFlight: [1, 8],
    calls: 200,
    engines: {
      public: ({ ffi }) => {
        if (!has(ffi, 'sumOfEvenAsync')) return null;
        const a = u32Array(1_000_000);
        return () => ffi.sumOfEvenAsync(a);
      },
      publicTransfer: ({ ffi }) => transferringSum(ffi, 1_000_000),
      raw: ({ raw }) => {
        const a = u32Array(1_000_000);
        return () => koffiAsync(raw.sum_of_even, a, a.length);
      },
      napi: ({ napi }) => {
        if (!has(napi, 'sumOfEvenAsync')) return null;
        const a = u32Array(1_000_000);
        return () => napi.sumOfEvenAsync(a);
      },
    },
  },
  {
    name: 'add_in_rust.async (the koffi async floor)',
    engines: {
      raw:
        ({ raw }) =>
        () =>
          koffiAsync(raw.add_in_rust, 2, 3),
    },
  },
];

module.exports.ASYNC_CASES = ASYNC_CASES;
module.exports.ASYNC_IN_FLIGHT = ASYNC_IN_FLIGHT;
