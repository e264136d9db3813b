'use strict';
// The conformance pass of scripts/runtimes/: every export of the package
// root, called with good and bad arguments, each call checked against a plain
// JS model of its documented outcome (a value, or an error's class and code),
// in whichever runtime runs this file (Node, Bun or Deno), from a folder where
// the packed tarball is installed.
//
//   <runtime> conformance.js > out.json
//
// prints every call's outcome (its value, or its error's class, code, status
// and message) as JSON on stdout (Deno then needs no write permission), and on
// stderr the calls whose outcome differs from the model. harness.js compares the files of the three runtimes: the same
// outcome, message included, for every call. Exit status 0 even when calls
// differ from the model (harness.js reports them with the cross-runtime
// differences); 1 if the pass itself could not run.
const api = require('ffi-deep-dive');

// ---- Plain-JS models -------------------------------------------------------------------------

const f32 = Math.fround;
const view = new DataView(new ArrayBuffer(4));
const floatToBitsModel = (x) => (view.setFloat32(0, x), view.getUint32(0));
const bitsToFloatModel = (b) => (view.setUint32(0, b), view.getFloat32(0));
const evenSum = (values) => values.filter((v) => v % 2 === 0).reduce((s, v) => s + v, 0);
const evenSumBig = (values) => values.filter((v) => v % 2 === 0).reduce((s, v) => s + BigInt(v), 0n);
function primesModel(limit) {
  const sieve = new Uint8Array(limit + 1);
  const out = [];
  for (let i = 2; i <= limit; i++) {
    if (sieve[i]) continue;
    out.push(i);
    for (let j = i * i; j <= limit; j += i) sieve[j] = 1;
  }
  return Uint32Array.from(out);
}
const heron = (a, b, c) => {
  const s = (a + b + c) / 2;
  return Math.sqrt(s * (s - a) * (s - b) * (s - c));
};
const i32 = (n) => n | 0;
const INT32 = (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;

// The error outcomes: class name and Node-style code.
const TYPE = { error: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' };
const VALUE = { error: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' };
const RANGE = { error: 'RangeError', code: 'ERR_OUT_OF_RANGE' };
const FFI = (status) => ({ error: 'FfiError', code: `ERR_FFI_${status}` });
const FREED = { error: 'Error', code: 'ERR_FFI_FREED' };

/** A plain array of `length` with nothing in it (a huge sparse `length` costs nothing in JS). */
const sparse = (length) => {
  const a = [];
  a.length = length;
  return a;
};
/** A Uint32Array whose buffer is detached (transferred away). */
const detached = () => {
  const a = new Uint32Array([2, 4]);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
};

// ---- The cases: [export, label, call, model] ------------------------------------------------
// `model` is the expected value, or an error outcome (TYPE, RANGE, ...), or
// { approx: x } for a float computed in a different order than the model's.

const cases = [];
const add = (name, label, call, model) => cases.push({ name, label: `${name}${label}`, call, model });

// numbers
for (const [a, b] of [
  [2, 3],
  [-5, 5],
  [2 ** 31 - 1, 1],
  [-(2 ** 31), -1],
  [0, -0],
  [123456, 654321],
]) {
  add('addInRust', `(${a}, ${b})`, () => api.addInRust(a, b), i32(a + b));
  add('addChecked', `(${a}, ${b})`, () => api.addChecked(a, b), INT32(a + b) ? a + b : FFI('OVERFLOW'));
}
for (const [label, a, b, model] of [
  ['(1.5, 1)', 1.5, 1, RANGE],
  ['(2**31, 0)', 2 ** 31, 0, RANGE],
  ['(NaN, 0)', Number.NaN, 0, RANGE],
  ['(Infinity, 0)', Number.POSITIVE_INFINITY, 0, RANGE],
  ["('1', 1)", '1', 1, TYPE],
  ['(1n, 1)', 1n, 1, TYPE],
  ['(undefined, 1)', undefined, 1, TYPE],
  ['({valueOf}, 1)', { valueOf: () => 1 }, 1, TYPE],
  ['(1, null)', 1, null, TYPE],
]) {
  add('addInRust', label, () => api.addInRust(a, b), model);
  add('addChecked', label, () => api.addChecked(a, b), model);
}

// strings
for (const [a, b] of [
  ['Hello, ', 'Rustacean!'],
  ['', ''],
  ['héllo', ' wörld'],
  ['🦀', '\u0000nul'],
  ['x'.repeat(10_000), '🦀'],
  ['日本語', 'テキスト'.repeat(3000)],
]) {
  add(
    'concatStrings',
    `(${JSON.stringify(a.slice(0, 12))}…, ${JSON.stringify(b.slice(0, 12))}…)`,
    () => api.concatStrings(a, b),
    a + b,
  );
}
for (const [label, a, b, model] of [
  ["(1, 'b')", 1, 'b', TYPE],
  ["('a', null)", 'a', null, TYPE],
  ["(String object, 'b')", Object('a'), 'b', TYPE],
  ["(lone surrogate, 'b')", '\ud800', 'b', VALUE],
]) {
  add('concatStrings', label, () => api.concatStrings(a, b), model);
}
for (const s of ['', 'héllo', '🦀', 'a🦀b', '\u0000', 'é'.repeat(5000), '日本語']) {
  add(
    'countCharacters',
    `(${JSON.stringify(s.slice(0, 8))}, ${s.length} units)`,
    () => api.countCharacters(s),
    [...s].length,
  );
}
add('countCharacters', '(UTF-8 bytes of "héllo")', () => api.countCharacters(new TextEncoder().encode('héllo')), 5);
add('countCharacters', '(Uint8Array [0xff])', () => api.countCharacters(new Uint8Array([0xff])), FFI('INVALID_UTF8'));
add('countCharacters', '(Uint8Array [0xc3])', () => api.countCharacters(new Uint8Array([0xc3])), FFI('INVALID_UTF8'));
add('countCharacters', '(42)', () => api.countCharacters(42), TYPE);
add('countCharacters', '(null)', () => api.countCharacters(null), TYPE);
add('countCharacters', '(lone surrogate)', () => api.countCharacters('a\udc00'), VALUE);
add('countCharacters', '(Uint16Array)', () => api.countCharacters(new Uint16Array([65])), TYPE);

// point
for (const [x, y, dx, dy] of [
  [1, 2, 3, 4],
  [0.1, 0.2, 0.3, -0.4],
  [-1e30, 1e30, 1e30, -1e30],
  [api.FLOAT32_MAX, 0, 0, 0],
]) {
  const model = { x: f32(f32(x) + f32(dx)), y: f32(f32(y) + f32(dy)) };
  add('Point', `(${x}, ${y}).translate(${dx}, ${dy})`, () => new api.Point(x, y).translate(dx, dy).toJSON(), model);
  add('pointTranslated', `({x: ${x}, y: ${y}}, ${dx}, ${dy})`, () => api.pointTranslated({ x, y }, dx, dy), model);
}
add('Point', '(0.1, 0).x', () => new api.Point(0.1, 0).x, f32(0.1));
add(
  'Point',
  '.at(Float32Array [0,0,1,1], 1).translate(1, 1)',
  () => {
    const path = new Float32Array([0, 0, 1, 1]);
    api.Point.at(path, 1).translate(1, 1);
    return [...path];
  },
  [0, 0, 2, 2],
);
for (const [label, x, y, model] of [
  ['(NaN, 0)', Number.NaN, 0, RANGE],
  ['(FLOAT32_MAX * 2, 0)', api.FLOAT32_MAX * 2, 0, RANGE],
  ['(-Infinity, 0)', Number.NEGATIVE_INFINITY, 0, RANGE],
  ["('1', 0)", '1', 0, TYPE],
  ['(0, null)', 0, null, TYPE],
]) {
  add('Point', label, () => new api.Point(x, y).toJSON(), model);
  add('pointTranslated', `({x, y} = ${label})`, () => api.pointTranslated({ x, y }, 0, 0), model);
}
add('Point', '(0): y defaults to 0', () => new api.Point(0).toJSON(), { x: 0, y: 0 });
add('pointTranslated', '({x: 0}, 0, 0): y is required', () => api.pointTranslated({ x: 0 }, 0, 0), TYPE);
add('Point', '.at(Float32Array(2), 1)', () => api.Point.at(new Float32Array(2), 1).toJSON(), RANGE);
add('Point', '.at(Float64Array(4), 0)', () => api.Point.at(new Float64Array(4), 0).toJSON(), TYPE);
add('pointTranslated', '(null, 1, 1)', () => api.pointTranslated(null, 1, 1), TYPE);
add(
  'pointTranslated',
  '({x: FLOAT32_MAX, y: 2}, FLOAT32_MAX, 0): overflows to Infinity',
  () => api.pointTranslated({ x: api.FLOAT32_MAX, y: 2 }, api.FLOAT32_MAX, 0),
  { x: Number.POSITIVE_INFINITY, y: 2 },
);
for (const values of [[0, 0, 1, 1], [], [0.5, -0.5, 1e-3, 7]]) {
  add(
    'translatePoints',
    `(Float32Array ${JSON.stringify(values)}, 10, 20)`,
    () => [...api.translatePoints(new Float32Array(values), 10, 20)],
    values.map((v, i) => f32(f32(v) + (i % 2 ? 20 : 10))),
  );
}
add('translatePoints', '(Float32Array(3), 1, 1)', () => api.translatePoints(new Float32Array(3), 1, 1), RANGE);
add('translatePoints', '(Float64Array(2), 1, 1)', () => api.translatePoints(new Float64Array(2), 1, 1), TYPE);
add('translatePoints', '([0, 0], 1, 1)', () => api.translatePoints([0, 0], 1, 1), TYPE);
add(
  'translatePoints',
  '(Float32Array(2), NaN, 1)',
  () => api.translatePoints(new Float32Array(2), Number.NaN, 1),
  RANGE,
);
add('FLOAT32_MAX', '', () => api.FLOAT32_MAX, 3.4028234663852886e38);

// opaque
/** Calls `f` with a fresh OpaquePoint(1, 2), freed afterwards. */
const withPoint = (f) => {
  const p = new api.OpaquePoint(1, 2);
  try {
    return f(p);
  } finally {
    p.free();
  }
};
add(
  'OpaquePoint',
  '(1, 2).translate(3, 4)',
  () => withPoint((p) => [p.translate(3, 4).describe(), p.toJSON(), p.x, p.y, p.freed]),
  ['OpaquePoint(4, 6)', { x: 4, y: 6 }, 4, 6, false],
);
add(
  'OpaquePoint',
  '.free() twice, then .freed',
  () => {
    const p = new api.OpaquePoint(1, 2);
    p.free();
    p.free();
    return p.freed;
  },
  true,
);
add(
  'OpaquePoint',
  '.x after free()',
  () => {
    const p = new api.OpaquePoint(1, 2);
    p.free();
    return p.x;
  },
  FREED,
);
add(
  'OpaquePoint',
  '.translate() after free()',
  () => {
    const p = new api.OpaquePoint(1, 2);
    p.free();
    return p.translate(1, 1);
  },
  FREED,
);
add('OpaquePoint', '(Infinity, 0)', () => new api.OpaquePoint(Number.POSITIVE_INFINITY, 0), RANGE);
add('OpaquePoint', "('1', 0)", () => new api.OpaquePoint('1', 0), TYPE);
add('OpaquePoint', '(1, 2).translate(NaN, 0)', () => withPoint((p) => p.translate(Number.NaN, 0)), RANGE);

// unions
for (const x of [0, -0, 1, -1, 0.1, Math.PI, 1e-45, 3e38, Number.POSITIVE_INFINITY, Number.NaN, 1e39]) {
  add('floatToBits', `(${Object.is(x, -0) ? '-0' : x})`, () => api.floatToBits(x), floatToBitsModel(x));
}
for (const [label, x, model] of [
  ["('1')", '1', TYPE],
  ['(1n)', 1n, TYPE],
  ['()', undefined, TYPE],
]) {
  add('floatToBits', label, () => api.floatToBits(x), model);
}
for (const b of [0, 0x3f800000, 0xbf800000, 0x40490fdb, 0x7f800000, 0xff800000, 0x00000001, 0x7f7fffff, 0x80000000]) {
  add('bitsToFloat', `(0x${b.toString(16)})`, () => api.bitsToFloat(b), bitsToFloatModel(b));
}
add('bitsToFloat', '(0x7fc00000): a NaN', () => Number.isNaN(api.bitsToFloat(0x7fc00000)), true);
// NaN payloads: every NaN pattern comes back as the canonical 0x7fc00000 (ts/unions.ts).
for (const b of [0x7fc00000, 0x7fa00001, 0xffc00000, 0x7f800001, 0xffffffff]) {
  add(
    'floatToBits',
    `(bitsToFloat(0x${b.toString(16)})): a NaN payload`,
    () => api.floatToBits(api.bitsToFloat(b)),
    0x7fc00000,
  );
}
const nan64 = (hi, lo) => new Float64Array(new Uint32Array([lo, hi]).buffer)[0];
add('floatToBits', '(a NaN with a float64 payload)', () => api.floatToBits(nan64(0x7ff00000, 1)), 0x7fc00000);
for (const [label, b, model] of [
  ['(2**32)', 2 ** 32, RANGE],
  ['(-1): 0xffffffff, a NaN', -1, Number.NaN],
  ['(-(2**31) - 1)', -(2 ** 31) - 1, RANGE],
  ['(1.5)', 1.5, RANGE],
  ["('1')", '1', TYPE],
]) {
  add('bitsToFloat', label, () => api.bitsToFloat(b), model);
}
for (const [s, model] of [
  ['42', { kind: 'left', value: 42 }],
  ['-7', { kind: 'left', value: -7 }],
  ['2147483647', { kind: 'left', value: 2147483647 }],
  ['4.5', { kind: 'right', value: 4.5 }],
  ['-0.25', { kind: 'right', value: -0.25 }],
  ['1e3', { kind: 'right', value: 1000 }],
  [' 42', FFI('INVALID_ARGUMENT')],
  ['', FFI('INVALID_ARGUMENT')],
  ['abc', FFI('INVALID_ARGUMENT')],
]) {
  add('parseNumber', `(${JSON.stringify(s)})`, () => api.parseNumber(s), model);
}
add('parseNumber', '(UTF-8 bytes of "-7")', () => api.parseNumber(new TextEncoder().encode('-7')), {
  kind: 'left',
  value: -7,
});
add('parseNumber', '(Uint8Array [0xff])', () => api.parseNumber(new Uint8Array([0xff])), FFI('INVALID_UTF8'));
add('parseNumber', '(42)', () => api.parseNumber(42), TYPE);

// enums
for (const [shape, area] of [
  [{ kind: 'circle', radius: 1 }, Math.PI],
  [{ kind: 'circle', radius: 2.5 }, { approx: Math.PI * 2.5 * 2.5 }],
  [{ kind: 'rectangle', width: 2, height: 3 }, 6],
  [{ kind: 'triangle', a: 3, b: 4, c: 5 }, 6],
  [{ kind: 'triangle', a: 2, b: 2, c: 3 }, { approx: heron(2, 2, 3) }],
  [{ kind: 'circle', radius: 0 }, 0],
  [{ kind: 'circle', radius: -1 }, FFI('INVALID_ARGUMENT')],
  [{ kind: 'triangle', a: 1, b: 1, c: 3 }, FFI('INVALID_ARGUMENT')],
  [{ kind: 'square', side: 1 }, VALUE],
  [{ kind: 'circle', radius: '1' }, TYPE],
  [{ kind: 'circle', radius: Number.NaN }, FFI('INVALID_ARGUMENT')],
  [null, TYPE],
]) {
  add('shapeArea', `(${JSON.stringify(shape)})`, () => api.shapeArea(shape), area);
}
for (const [shape, factor, model] of [
  [{ kind: 'circle', radius: 1 }, 3, { kind: 'circle', radius: 3 }],
  [{ kind: 'triangle', a: 3, b: 4, c: 5 }, 2, { kind: 'triangle', a: 6, b: 8, c: 10 }],
  [{ kind: 'rectangle', width: 2, height: 3 }, 0.5, { kind: 'rectangle', width: 1, height: 1.5 }],
  [{ kind: 'circle', radius: 1 }, -1, FFI('INVALID_ARGUMENT')],
  [{ kind: 'circle', radius: 1 }, '2', TYPE],
  [{ kind: 'circle', radius: 1 }, Number.POSITIVE_INFINITY, FFI('INVALID_ARGUMENT')],
]) {
  add('scaleShape', `(${JSON.stringify(shape)}, ${factor})`, () => api.scaleShape(shape, factor), model);
}

// tuples
for (const [label, pair, model] of [
  ['([1, 2])', [1, 2], [2, 1]],
  ['([0, 2**32 - 1])', [0, 2 ** 32 - 1], [2 ** 32 - 1, 0]],
  ['([1, 2, 3])', [1, 2, 3], VALUE],
  ['([-1, 0])', [-1, 0], RANGE],
  ['([0.5, 0])', [0.5, 0], RANGE],
  ["(['1', 0])", ['1', 0], TYPE],
  ['(Uint32Array [1, 2])', new Uint32Array([1, 2]), TYPE],
  ['(null)', null, TYPE],
]) {
  add('flipThings', label, () => api.flipThings(pair), model);
}

// slices, callbacks and async: the same inputs
const arrays = [
  ['[1, 2, 3, 4]', () => [1, 2, 3, 4]],
  ['[]', () => []],
  ['Uint32Array [1..4].subarray(2)', () => new Uint32Array([1, 2, 3, 4]).subarray(2)],
  ['[2**32 - 2, 2**32 - 1]', () => [2 ** 32 - 2, 2 ** 32 - 1]],
  ['Uint32Array(1000) of 0..999', () => Uint32Array.from({ length: 1000 }, (_, i) => i)],
];
const badArrays = [
  ['Int32Array [2]', () => new Int32Array([2]), TYPE],
  ['[1, -2]', () => [1, -2], RANGE],
  ['[1, 2.5]', () => [1, 2.5], RANGE],
  ["[1, '2']", () => [1, '2'], TYPE],
  ['[1, , 3] (a hole)', () => [1, , 3], TYPE], // eslint-disable-line no-sparse-arrays
  ['null', () => null, TYPE],
  ['a sparse array of length 2**31', () => sparse(2 ** 31), TYPE],
  ['a sparse array of length 2**32 - 1', () => sparse(2 ** 32 - 1), TYPE],
];
for (const [label, make] of arrays) {
  const values = [...make()];
  add('sumOfEven', `(${label})`, () => api.sumOfEven(make()), evenSum(values));
  add('sumOfEvenBigInt', `(${label})`, () => api.sumOfEvenBigInt(make()), evenSumBig(values));
  add(
    'countWhere',
    `(${label}, odd)`,
    () => api.countWhere(make(), (n) => n % 2 === 1),
    values.filter((v) => v % 2 === 1).length,
  );
  add('sumOfEvenAsync', `(${label})`, () => api.sumOfEvenAsync(make()), evenSum(values));
  add('sumOfEvenBigIntAsync', `(${label})`, () => api.sumOfEvenBigIntAsync(make()), evenSumBig(values));
}
for (const [label, make, model] of badArrays) {
  add('sumOfEven', `(${label})`, () => api.sumOfEven(make()), model);
  add('sumOfEvenBigInt', `(${label})`, () => api.sumOfEvenBigInt(make()), model);
  add('countWhere', `(${label}, () => true)`, () => api.countWhere(make(), () => true), model);
  add('sumOfEvenAsync', `(${label})`, () => api.sumOfEvenAsync(make()), model);
  add('sumOfEvenBigIntAsync', `(${label})`, () => api.sumOfEvenBigIntAsync(make()), model);
}
const big = () => new Uint32Array(1 << 22).fill(0xfffffffe);
add('sumOfEven', '(2**22 × 0xfffffffe): past 2**53', () => api.sumOfEven(big()), RANGE);
add('sumOfEvenBigInt', '(2**22 × 0xfffffffe)', () => api.sumOfEvenBigInt(big()), 18014398501093376n);
add('sumOfEvenAsync', '(2**22 × 0xfffffffe): past 2**53', () => api.sumOfEvenAsync(big()), RANGE);
add('sumOfEvenBigIntAsync', '(2**22 × 0xfffffffe)', () => api.sumOfEvenBigIntAsync(big()), 18014398501093376n);
for (const [fn, sum] of [
  ['sumOfEvenAsync', 6],
  ['sumOfEvenBigIntAsync', 6n],
]) {
  add(
    fn,
    '(Uint32Array [2, 3, 4], {transfer: true})',
    async () => {
      const a = new Uint32Array([2, 3, 4]);
      const pending = api[fn](a, { transfer: true });
      const lengthDuring = a.length;
      const { sum: s, numbers } = await pending;
      return [lengthDuring, s, [...numbers]];
    },
    [0, sum, [2, 3, 4]],
  );
  add(fn, '([2, 4], {transfer: true}): not a Uint32Array', () => api[fn]([2, 4], { transfer: true }), TYPE);
  add(fn, '(detached Uint32Array, {transfer: true})', () => api[fn](detached(), { transfer: true }), VALUE);
  add(
    fn,
    '(Uint32Array over a SharedArrayBuffer, {transfer: true})',
    () => api[fn](new Uint32Array(new SharedArrayBuffer(8)), { transfer: true }),
    VALUE,
  );
  add(
    fn,
    '(Uint32Array over a WebAssembly.Memory buffer, {transfer: true}): not transferable',
    () => api[fn](new Uint32Array(new WebAssembly.Memory({ initial: 1 }).buffer, 0, 4), { transfer: true }),
    VALUE,
  );
  add(fn, "(Uint32Array [2], {transfer: 'yes'})", () => api[fn](new Uint32Array([2]), { transfer: 'yes' }), TYPE);
}
add(
  'countWhere',
  '(Uint32Array [10, 20, 30], n > 15), with the values seen',
  () => {
    const seen = [];
    return [api.countWhere(new Uint32Array([10, 20, 30]), (n) => (seen.push(n), n > 15)), seen];
  },
  [2, [10, 20, 30]],
);
add(
  'countWhere',
  '([1, 2, 3], throws at 2)',
  () => {
    const calls = [];
    try {
      api.countWhere([1, 2, 3], (n) => {
        calls.push(n);
        if (n === 2) throw new Error('boom');
        return true;
      });
    } catch (err) {
      return [err.message, calls];
    }
    return 'did not throw';
  },
  ['boom', [1, 2]],
);
add('countWhere', "([1], 'not a function')", () => api.countWhere([1], 'not a function'), TYPE);
add('countWhere', '([1, 2, 3], returns 1, 0, 1): truthiness', () => api.countWhere([1, 2, 3], (n) => n % 2), 2);
for (const n of [0, 1, 2, 20, 100, 7919, 100_000]) {
  add('primesUpTo', `(${n})`, () => [...api.primesUpTo(n)], [...primesModel(n)]);
  add('primesUpToAsync', `(${n})`, async () => [...(await api.primesUpToAsync(n))], [...primesModel(n)]);
}
add('primesUpTo', '(20) is a Uint32Array', () => api.primesUpTo(20) instanceof Uint32Array, true);
for (const [label, n, model] of [
  ['(-1)', -1, RANGE],
  ['(1.5)', 1.5, RANGE],
  ['(PRIMES_UP_TO_MAX_LIMIT + 1)', 2 ** 30 + 1, RANGE],
  ["('10')", '10', TYPE],
  ['(NaN)', Number.NaN, RANGE],
]) {
  add('primesUpTo', label, () => api.primesUpTo(n), model);
  add('primesUpToAsync', label, () => api.primesUpToAsync(n), model);
}
add('PRIMES_UP_TO_MAX_LIMIT', '', () => api.PRIMES_UP_TO_MAX_LIMIT, 2 ** 30);
add(
  'MAX_ASYNC_IN_FLIGHT',
  ' is an integer from 2 to 8',
  () => {
    const m = api.MAX_ASYNC_IN_FLIGHT;
    return Number.isInteger(m) && m >= 2 && m <= 8;
  },
  true,
);
add(
  'primesUpToAsync',
  '(1000 + i) for 2 × MAX_ASYNC_IN_FLIGHT + 3 calls at once',
  async () => {
    const limits = Array.from({ length: api.MAX_ASYNC_IN_FLIGHT * 2 + 3 }, (_, i) => 1000 + i);
    const results = await Promise.all(limits.map((n) => api.primesUpToAsync(n)));
    return results.every((p, i) => p.length === primesModel(limits[i]).length);
  },
  true,
);

// status and version: the header's FfiStatus values
const STATUS = {
  OK: 0,
  NULL_ARGUMENT: 1,
  INVALID_UTF8: 2,
  INVALID_ARGUMENT: 3,
  BUFFER_TOO_SMALL: 4,
  OVERFLOW: 5,
  PANIC: 6,
  CANCELLED: 7,
};
for (const code of [0, 1, 5, 7, 8, 999, -1]) {
  add('statusName', `(${code})`, () => api.statusName(code), Object.keys(STATUS)[code] ?? 'UNKNOWN');
}
add('FfiStatus', '', () => ({ ...api.FfiStatus }), STATUS);
add(
  'FfiError',
  '(INVALID_UTF8, "example")',
  () => {
    const e = new api.FfiError(api.FfiStatus.INVALID_UTF8, 'example');
    return [e instanceof Error, e.name, e.status, e.statusCode, e.code, e.message.startsWith('example: ')];
  },
  [true, 'FfiError', 'INVALID_UTF8', 2, 'ERR_FFI_INVALID_UTF8', true],
);
add(
  'FfiError',
  ' thrown by addChecked is the exported class',
  () => {
    try {
      api.addChecked(2 ** 31 - 1, 1);
    } catch (e) {
      return [e instanceof api.FfiError, e.status, e.statusCode, e.code];
    }
    return 'did not throw';
  },
  [true, 'OVERFLOW', 5, 'ERR_FFI_OVERFLOW'],
);
// The nesting cap: nesting countWhere calls ends in a RangeError, at MAX_CALLBACK_DEPTH levels (ERR_FFI_NESTING_DEPTH,
// before the native call) or earlier when the thread's JavaScript stack runs out first (V8's own RangeError: 171
// levels on Node's default stack, 192 on Deno's, none on Bun's); never deeper, never a crash.
add('MAX_CALLBACK_DEPTH', '', () => api.MAX_CALLBACK_DEPTH, 256);
add(
  'countWhere',
  ' nested until refused',
  () => {
    let deepest = 0;
    const nest = (depth) => () => {
      if (depth > deepest) deepest = depth;
      return api.countWhere([1], nest(depth + 1)) === 1;
    };
    try {
      api.countWhere([1], nest(1));
      return 'no throw';
    } catch (e) {
      const capped = e.code === 'ERR_FFI_NESTING_DEPTH' && deepest === api.MAX_CALLBACK_DEPTH;
      const stack = e.code === undefined && /call stack/.test(e.message) && deepest < api.MAX_CALLBACK_DEPTH;
      return [e.name, capped || stack];
    }
  },
  ['RangeError', true],
);
add(
  'isCodedError',
  " (the package's errors, a plain Error, a non-error)",
  () => {
    const thrown = [];
    for (const f of [() => api.addInRust(1.5, 1), () => api.addChecked(2 ** 31 - 1, 1), () => api.countCharacters(1)]) {
      try {
        f();
      } catch (e) {
        thrown.push(api.isCodedError(e));
      }
    }
    return [
      ...thrown,
      api.isCodedError(new Error('x')),
      api.isCodedError({ code: 'ERR_OUT_OF_RANGE' }),
      api.isCodedError(null),
    ];
  },
  [true, true, true, false, false, false],
);
add('version', '', () => api.version, require('ffi-deep-dive/package.json').version);
add(
  'libraryVersion',
  ' (major.minor of version)',
  () => api.libraryVersion.split('.').slice(0, 2).join('.'),
  api.version.split('.').slice(0, 2).join('.'),
);

// ---- Running and recording ------------------------------------------------------------------

/** A JSON-safe form that tells apart every value the API returns (-0, NaN, bigint, typed arrays). */
function encode(v) {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: [...v].map(encode) };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v === undefined ? 'undefined' : v;
}

/** The outcome of one call: its value, or its error's class name, code, status and message. */
async function outcome(call) {
  try {
    return { value: encode(await call()) };
  } catch (err) {
    const e = err instanceof Error ? err : { name: typeof err, message: String(err) };
    return { error: e.name, code: e.code, status: e.status, message: e.message };
  }
}

/** Does `got` match `model`? Returns why not, or null. */
function mismatch(got, model) {
  if (model && typeof model === 'object' && 'error' in model && 'code' in model && Object.keys(model).length === 2) {
    if (got.error === model.error && got.code === model.code) return null;
    return `expected ${model.error} ${model.code}`;
  }
  if ('error' in got) return `expected ${JSON.stringify(encode(model))}`;
  if (model && typeof model === 'object' && 'approx' in model && Object.keys(model).length === 1) {
    const ok = typeof got.value === 'number' && Math.abs(got.value - model.approx) <= 1e-12 * Math.abs(model.approx);
    return ok ? null : `expected about ${model.approx}`;
  }
  return JSON.stringify(got.value) === JSON.stringify(encode(model))
    ? null
    : `expected ${JSON.stringify(encode(model))}`;
}

(async () => {
  const exported = Object.keys(api).sort();
  const covered = new Set(cases.map((c) => c.name));
  const uncovered = exported.filter((n) => !covered.has(n));
  if (uncovered.length) throw new Error(`exports without a conformance case: ${uncovered.join(', ')}`);
  const labels = cases.map((c) => c.label);
  const twice = labels.filter((l, i) => labels.indexOf(l) !== i);
  if (twice.length) throw new Error(`conformance cases with the same label (harness.js compares by label): ${twice}`);
  const results = [];
  for (const c of cases) {
    const got = await outcome(c.call);
    results.push({ label: c.label, ...got, model: mismatch(got, c.model) });
  }
  process.stdout.write(`${JSON.stringify({ exports: exported, results }, null, 1)}\n`);
  const off = results.filter((r) => r.model);
  console.error(
    `conformance: ${results.length} calls of ${exported.length} exports, ${off.length} differ from the model`,
  );
  for (const r of off) {
    console.error(
      `  ${r.label}: got ${'error' in r ? `${r.error} ${r.code}: ${r.message}` : JSON.stringify(r.value)}; ${r.model}`,
    );
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
