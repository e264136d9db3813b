/**
 * Issue 11, class 1: the pointer, byte length, element type and alignment
 * that reach Rust come from the engine's intrinsic accessors, never from the
 * argument's own properties, its prototype chain or a Proxy. Each case runs
 * in a child process (a regression here is a segfault) and asserts the
 * defined outcome: the result computed from the array's real contents, or
 * the documented TypeError / RangeError with its code.
 */
import { inChild, RANGE, TYPE, VALUE } from './child';

/**
 * The functions that take a `Uint32Array`, and how each turns the elements it
 * must see (the view's real contents) into its result.
 */
const evenSum = (seen: number[]): number => seen.filter((v) => v % 2 === 0).reduce((a, b) => a + b, 0);
const UINT32_FUNCTIONS: [call: string, result: (seen: number[]) => unknown][] = [
  ['api.sumOfEven(a)', evenSum],
  ['api.sumOfEvenBigInt(a)', (s) => ({ bigint: String(evenSum(s)) })],
  ['api.countWhere(a, (v) => v % 2 === 0)', (s) => s.filter((v) => v % 2 === 0).length],
  ['api.sumOfEvenAsync(a)', evenSum],
  ['api.sumOfEvenBigIntAsync(a)', (s) => ({ bigint: String(evenSum(s)) })],
];

/**
 * Each case: a title, JavaScript that builds `a` (afresh for every function,
 * since some cases detach or resize), and the expectation: `{ seen }`, the
 * elements every function must see, or the error every function must throw
 * (or reject with). One child per case runs all five functions; it reports
 * after each, so a crash names the function it was in.
 */
const UINT32_CASES: [title: string, build: string, expected: unknown][] = [
  [
    'an own `length` of 2^31 is ignored: the real 4 elements are read',
    `const a = new Uint32Array([2, 3, 4, 5]); Object.defineProperty(a, 'length', { value: 2 ** 31 });`,
    { seen: [2, 3, 4, 5] },
  ],
  [
    'a subclass whose length, byteOffset, byteLength and buffer getters lie is read through the intrinsics',
    `class Liar extends Uint32Array {
       get length() { throw new UserError('length getter ran'); }
       get byteOffset() { return 2 ** 40; }
       get byteLength() { return 2 ** 40; }
       get buffer() { return new ArrayBuffer(8); }
     }
     const a = new Liar([10, 11, 12]);`,
    { seen: [10, 11, 12] },
  ],
  [
    'an own `byteOffset` pointing past the buffer is ignored',
    `const b = new ArrayBuffer(32); const a = new Uint32Array(b, 8, 2); a[0] = 4; a[1] = 5;
     Object.defineProperty(a, 'byteOffset', { value: 2 ** 32 });`,
    { seen: [4, 5] },
  ],
  [
    'a subarray view is read in its own window only (the intrinsic byteOffset and length)',
    `const a = new Uint32Array([100, 2, 4, 100]).subarray(1, 3);`,
    { seen: [2, 4] },
  ],
  [
    'a Uint32Array whose prototype was swapped to Object.prototype is still a Uint32Array',
    `const a = new Uint32Array([8, 9]); Object.setPrototypeOf(a, Object.prototype);`,
    { seen: [8, 9] },
  ],
  [
    'a Uint16Array posing as a Uint32Array (swapped prototype, own tag) is refused: its bytes are not uint32s',
    `const a = new Uint16Array([2, 0, 4, 0]); Object.setPrototypeOf(a, Uint32Array.prototype);
     Object.defineProperty(a, Symbol.toStringTag, { value: 'Uint32Array' });`,
    TYPE,
  ],
  [
    'an Int32Array with a lying constructor is refused, and the constructor getter never runs',
    `const a = new Int32Array([2]); Object.defineProperty(a, 'constructor', { get() { throw new UserError('constructor getter ran'); } });`,
    TYPE,
  ],
  [
    'a Proxy of a Uint32Array is refused without running its traps',
    `const trap = () => { throw new UserError('trap ran'); };
     const a = new Proxy(new Uint32Array([2]), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });`,
    TYPE,
  ],
  [
    'an object inheriting from Uint32Array.prototype is refused',
    `const a = Object.create(Uint32Array.prototype, { length: { value: 2 ** 31 } });`,
    TYPE,
  ],
  ['an array-like with a huge length is refused', `const a = { length: 2 ** 31, 0: 2 };`, TYPE],
  ['a DataView is refused', `const a = new DataView(new ArrayBuffer(16));`, TYPE],
  ['a detached Uint32Array has no elements', `const a = new Uint32Array([2, 4]); detach(a.buffer);`, { seen: [] }],
  [
    'a length-tracking view of a resizable buffer is read at its current length',
    `const b = new ArrayBuffer(16, { maxByteLength: 64 }); const a = new Uint32Array(b); a.set([2, 4, 6, 8]); b.resize(8);`,
    { seen: [2, 4] },
  ],
  [
    'a fixed-length view out of bounds of its shrunk resizable buffer has no elements',
    `const b = new ArrayBuffer(16, { maxByteLength: 64 }); const a = new Uint32Array(b, 0, 4); a.set([2, 4, 6, 8]); b.resize(8);`,
    { seen: [] },
  ],
  [
    'a Uint32Array over a SharedArrayBuffer is read from its contents',
    `const a = new Uint32Array(new SharedArrayBuffer(12)); a.set([2, 3, 4]);`,
    { seen: [2, 3, 4] },
  ],
  [
    'a plain array holding a huge sparse length is refused with a code, not an allocation failure',
    `const a = [2]; a.length = 2 ** 32 - 1;`,
    expect.objectContaining({
      error: expect.objectContaining({ code: expect.stringMatching(/^ERR_(INVALID_ARG_TYPE|OUT_OF_RANGE)$/) }),
    }),
  ],
];

describe('class 1: sumOfEven, sumOfEvenBigInt, countWhere, sumOfEvenAsync and sumOfEvenBigIntAsync take their memory facts from the intrinsics', () => {
  it.each(UINT32_CASES)('%s', (_title, build, want) => {
    const body = UINT32_FUNCTIONS.map(
      ([call]) =>
        `{ ${build}\n results.push({ call: ${JSON.stringify(call)}, r: await settle(() => ${call}) }); report(); }`,
    ).join('\n');
    const r = inChild(`const results = []; const report = () => done(results);\n${body}`);
    expect(r).toEqual(
      UINT32_FUNCTIONS.map(([call, result]) => ({
        call,
        r:
          typeof want === 'object' && want !== null && 'seen' in want
            ? { ok: result((want as { seen: number[] }).seen) }
            : want,
      })),
    );
  });
});

describe('class 1: countWhere counts over the real elements only', () => {
  it('calls the predicate once per real element, whatever `length` says', () => {
    const r = inChild(`
      const a = new Uint32Array([1, 2, 3]); Object.defineProperty(a, 'length', { value: 2 ** 31 });
      const seen = [];
      done({ result: outcome(() => api.countWhere(a, (v) => { seen.push(v); return true; })), seen });
    `);
    expect(r).toEqual({ result: { ok: 3 }, seen: [1, 2, 3] });
  });
});

describe('class 1: translatePoints and Point.at write only inside the real view', () => {
  it('an inflated own `length` does not let Rust write into a neighbouring view of the same buffer', () => {
    const r = inChild(`
      const b = new ArrayBuffer(32);
      const f = new Float32Array(b, 0, 2); f.set([1, 2]);
      const neighbour = new Float32Array(b, 8, 6);
      Object.defineProperty(f, 'length', { value: 8 });
      const result = outcome(() => api.translatePoints(f, 10, 20));
      done({ result, f: Array.from(new Float32Array(b, 0, 2)), neighbour: Array.from(neighbour) });
    `);
    expect(r).toEqual({
      result: { ok: { typed: 'Float32Array', values: [11, 22] } },
      f: [11, 22],
      neighbour: [0, 0, 0, 0, 0, 0],
    });
  });

  it('a huge own `length` (2^31) cannot make Rust write past the buffer', () => {
    const r = inChild(`
      const f = new Float32Array([1, 2, 3, 4]); Object.defineProperty(f, 'length', { value: 2 ** 31 });
      done(outcome(() => Array.from(new Float32Array(api.translatePoints(f, 1, 1).buffer))));
    `);
    expect(r).toEqual({ ok: [2, 3, 4, 5] });
  });

  it('an odd real length is refused even if `length` claims an even one', () => {
    const r = inChild(`
      const f = new Float32Array([1, 2, 3]); Object.defineProperty(f, 'length', { value: 4 });
      done(outcome(() => api.translatePoints(f, 1, 1)));
    `);
    expect(r).toEqual(RANGE);
  });

  it.each([
    [
      'a Float64Array posing as a Float32Array',
      `(() => { const a = new Float64Array(2); Object.setPrototypeOf(a, Float32Array.prototype); return a; })()`,
    ],
    ['a Proxy of a Float32Array', `new Proxy(new Float32Array(2), { get() { throw new UserError('trap ran'); } })`],
    ['an object inheriting from Float32Array.prototype', `Object.create(Float32Array.prototype)`],
  ])('translatePoints refuses %s', (_title, value) => {
    expect(inChild(`done(outcome(() => api.translatePoints(${value}, 1, 1)))`)).toEqual(TYPE);
  });

  it.each([
    [
      'a Float64Array posing as a Float32Array',
      `(() => { const a = new Float64Array(2); Object.setPrototypeOf(a, Float32Array.prototype); return a; })()`,
    ],
    ['a Proxy of a Float32Array', `new Proxy(new Float32Array(2), { get() { throw new UserError('trap ran'); } })`],
  ])('Point.at refuses %s', (_title, value) => {
    expect(inChild(`done(outcome(() => api.Point.at(${value}, 0)))`)).toEqual(TYPE);
  });

  it('Point.at checks the index against the real length, not an own `length`', () => {
    const r = inChild(`
      const f = new Float32Array([1, 2]); Object.defineProperty(f, 'length', { value: 2 ** 31 });
      done(outcome(() => api.Point.at(f, 1000).translate(1, 1).toJSON()));
    `);
    expect(r).toEqual(RANGE);
  });

  it('Point.at views the real pair even through a subclass with a lying `subarray` and species', () => {
    const r = inChild(`
      class Liar extends Float32Array {
        static get [Symbol.species]() { throw new UserError('species ran'); }
        subarray() { throw new UserError('subarray ran'); }
      }
      const f = new Liar([1, 2, 3, 4]);
      const p = api.Point.at(f, 1).translate(1, 1);
      done({ point: outcome(() => p.toJSON()), f: Array.from(new Float32Array(f.buffer)) });
    `);
    expect(r).toEqual({ point: { ok: { x: 4, y: 5 } }, f: [1, 2, 4, 5] });
  });
});

describe('class 1: countCharacters and parseNumber read the bytes Rust reads', () => {
  it('parseNumber: an own `includes`/`indexOf`/`some` cannot hide a 0 byte', () => {
    const r = inChild(`
      const a = new Uint8Array([0x34, 0, 0x32]);
      a.includes = () => false; a.indexOf = () => -1; a.some = () => false;
      done(outcome(() => api.parseNumber(a)));
    `);
    expect(r).toEqual(VALUE);
  });

  it('countCharacters counts every real byte (a 0 byte is U+0000), whatever the own methods say', () => {
    const r = inChild(`
      const a = new Uint8Array([0x34, 0, 0x32]);
      a.includes = () => false; a.indexOf = () => -1; a.some = () => false;
      done(outcome(() => api.countCharacters(a)));
    `);
    expect(r).toEqual({ ok: 3 });
  });

  it.each([
    ['countCharacters', 'api.countCharacters', { ok: 3 }, { ok: 2 }],
    ['parseNumber', 'api.parseNumber', VALUE, { ok: { kind: 'left', value: 42 } }],
  ])('%s: an own `length` can neither hide a 0 byte nor extend the bytes', (_name, fn, withZero, plain) => {
    const r = inChild(`
      const a = new Uint8Array([0x34, 0x32, 0]); Object.defineProperty(a, 'length', { value: 2 });
      const b = new Uint8Array([0x34, 0x32]); Object.defineProperty(b, 'length', { value: 2 ** 31 });
      done([outcome(() => ${fn}(a)), outcome(() => ${fn}(b))]);
    `);
    expect(r).toEqual([withZero, plain]);
  });

  it.each([
    ['countCharacters', 'api.countCharacters'],
    ['parseNumber', 'api.parseNumber'],
  ])('%s: a Proxy of a Uint8Array and a Uint16Array posing as one are refused', (_name, fn) => {
    const r = inChild(`
      const proxy = new Proxy(new Uint8Array([0x34]), { get() { throw new UserError('trap ran'); } });
      const wide = new Uint16Array([0x34]); Object.setPrototypeOf(wide, Uint8Array.prototype);
      done([outcome(() => ${fn}(proxy)), outcome(() => ${fn}(wide))]);
    `);
    expect(r).toEqual([TYPE, TYPE]);
  });

  it('a Buffer and a Uint8Array with a swapped prototype are still bytes', () => {
    const r = inChild(`
      const a = new Uint8Array([0x68, 0xc3, 0xa9]); Object.setPrototypeOf(a, Object.prototype);
      done([outcome(() => api.countCharacters(a)), outcome(() => api.countCharacters(Buffer.from('\u{1f980}!')))]);
    `);
    expect(r).toEqual([{ ok: 2 }, { ok: 2 }]);
  });
});

describe('class 1: flipThings reads a real array', () => {
  it.each([
    ['an array-like object', `{ length: 2, 0: 1, 1: 2 }`, TYPE],
    ['a Uint32Array', `new Uint32Array([1, 2])`, TYPE],
    [
      'an object inheriting from Array.prototype',
      `Object.create(Array.prototype, { length: { value: 2 }, 0: { value: 1 }, 1: { value: 2 } })`,
      TYPE,
    ],
    ['an array whose prototype was swapped', `Object.setPrototypeOf([1, 2], null)`, { ok: [2, 1] }],
  ])('%s', (_title, value, expected) => {
    expect(inChild(`done(outcome(() => api.flipThings(${value})))`)).toEqual(expected);
  });
});

describe('class 1: objects are read through their properties, once, never through a method of theirs', () => {
  it('pointTranslated reads x and y from a Proxy once each, and never calls valueOf', () => {
    const r = inChild(`
      const reads = [];
      const p = new Proxy({ x: 1, y: 2 }, { get(t, k) { reads.push(String(k)); return t[k]; } });
      const x = { valueOf() { throw new UserError('valueOf ran'); } };
      done({ ok: outcome(() => api.pointTranslated(p, 1, 1)), reads, bad: outcome(() => api.pointTranslated({ x, y: 1 }, 0, 0)) });
    `);
    expect(r).toEqual({ ok: { ok: { x: 2, y: 3 } }, reads: ['x', 'y'], bad: TYPE });
  });

  it('shapeArea and scaleShape read each field of a Proxy once', () => {
    const r = inChild(`
      const reads = [];
      const shape = () => new Proxy({ kind: 'triangle', a: 3, b: 4, c: 5 }, { get(t, k) { reads.push(String(k)); return t[k]; } });
      const area = outcome(() => api.shapeArea(shape()));
      const areaReads = reads.splice(0);
      const scaled = outcome(() => api.scaleShape(shape(), 2));
      done({ area, areaReads: areaReads.sort(), scaled, scaleReads: reads.sort() });
    `);
    expect(r).toEqual({
      area: { ok: 6 },
      areaReads: ['a', 'b', 'c', 'kind'],
      scaled: { ok: { kind: 'triangle', a: 6, b: 8, c: 10 } },
      scaleReads: ['a', 'b', 'c', 'kind'],
    });
  });
});
