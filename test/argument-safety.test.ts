/**
 * The public API against hostile arguments (issue 11, classes 1, 2, 4 and 7):
 * legal JavaScript values that lie about their memory, run code during a
 * call, or ask for results the engine cannot hold. Each case runs in its own
 * child process (they used to segfault), so a regression fails that case
 * only; the child prints what the call returned or threw. (The one exception,
 * an intrinsic missing at load, loads a fresh copy of ts/validate in jest's
 * own process: it cannot crash.)
 *
 * The package is loaded once per child, before the case patches anything:
 * built-ins patched *after* the first require are in scope (the API captured
 * its intrinsics at load).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The package under test; ARG_SAFETY_PACKAGE points the children at another build (e.g. before a fix). */
const ROOT = process.env.ARG_SAFETY_PACKAGE ?? path.resolve(__dirname, '..');

type Outcome = { value: unknown } | { error: { name: string; code?: string; message: string } };

/** Runs `body` (a function body using `api`) in a child node and returns its outcome. */
function inChild(body: string, nodeArgs: string[] = []): Outcome {
  const script = `
const api = require(${JSON.stringify(ROOT)});
let r;
try {
  r = { value: (() => { ${body} })() };
} catch (e) {
  r = { error: { name: e && e.name, code: e && e.code, message: String(e && e.message) } };
}
process.stdout.write(JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v)));
`;
  const child = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0 || child.signal !== null) {
    throw new Error(
      `the child process died (status ${child.status}, signal ${child.signal}):\n${child.stderr.slice(0, 2000)}`,
    );
  }
  return JSON.parse(child.stdout) as Outcome;
}

const returns = (body: string, value: unknown, nodeArgs?: string[]): void =>
  expect(inChild(body, nodeArgs)).toEqual({ value });
const throws = (body: string, name: string, code: string, message: RegExp, nodeArgs?: string[]): void => {
  const got = inChild(body, nodeArgs);
  expect(got).toEqual({ error: { name, code, message: expect.stringMatching(message) } });
};

describe('class 1: memory facts come from the engine, not from the argument', () => {
  it('sumOfEven ignores an own length property (was: segfault)', () =>
    returns(
      `const a = new Uint32Array([2, 4, 6, 8]);
       Object.defineProperty(a, 'length', { value: 2 ** 31 });
       return api.sumOfEven(a);`,
      20,
    ));

  it('sumOfEvenBigInt and countWhere ignore a subclass length/byteOffset/buffer getter', () =>
    returns(
      `class Liar extends Uint32Array {
         get length() { return 1e9; }
         get byteOffset() { return 0; }
         get buffer() { return new ArrayBuffer(1 << 20); }
       }
       const base = new Uint32Array([1, 2, 3, 4, 6, 8]);
       const a = new Liar(base.buffer, 12, 3); // [4, 6, 8]
       return [api.sumOfEvenBigInt(a), api.countWhere(a, () => true), api.sumOfEven(a)];`,
      ['18n', 3, 18],
    ));

  it('translatePoints writes only its own floats, whatever its length says (was: wrote into a neighbour view)', () =>
    returns(
      `const buffer = new ArrayBuffer(32);
       const points = new Float32Array(buffer, 0, 2);
       const neighbour = new Float32Array(buffer, 8, 6);
       Object.defineProperty(points, 'length', { value: 8 });
       api.translatePoints(points, 1, 1);
       return [Array.from(points), Array.from(neighbour)];`,
      [
        [1, 1],
        [0, 0, 0, 0, 0, 0],
      ],
    ));

  it('an odd intrinsic length is refused even if length says even', () =>
    throws(
      `const p = new Float32Array(3);
       Object.defineProperty(p, 'length', { value: 4 });
       return api.translatePoints(p, 1, 1);`,
      'RangeError',
      'ERR_OUT_OF_RANGE',
      /^translatePoints: points\.length must be even/,
    ));

  it('a Float64Array with Uint32Array.prototype is refused (was: its bytes read as uint32)', () =>
    throws(
      `const f = new Float64Array([2, 4]);
       Object.setPrototypeOf(f, Uint32Array.prototype);
       return api.sumOfEven(f);`,
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^sumOfEven: numbers must be a Uint32Array or an array of numbers, got a Float64Array$/,
    ));

  it('a Uint32Array with a swapped prototype is still a Uint32Array', () =>
    returns(
      `const a = new Uint32Array([2, 3, 4]);
       Object.setPrototypeOf(a, Float64Array.prototype);
       return api.sumOfEven(a);`,
      6,
    ));

  it('a lying Symbol.toStringTag does not make a Float32Array a Uint32Array', () =>
    throws(
      `const f = new Float32Array([2, 4]);
       Object.defineProperty(f, Symbol.toStringTag, { value: 'Uint32Array' });
       return api.countWhere(f, () => true);`,
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^countWhere: numbers must be/,
    ));

  it.each([
    ['sumOfEven', 'api.sumOfEven(p)'],
    ['countWhere', 'api.countWhere(p, () => true)'],
    ['translatePoints', 'api.translatePoints(new Proxy(new Float32Array(2), {}), 1, 1)'],
    ['countCharacters', 'api.countCharacters(new Proxy(new Uint8Array([65]), {}))'],
    ['Point.at', 'api.Point.at(new Proxy(new Float32Array(2), {}), 0)'],
  ])('%s refuses a Proxy of a typed array with ERR_INVALID_ARG_TYPE', (fn, call) =>
    throws(
      `const p = new Proxy(new Uint32Array([2, 4]), {}); return ${call};`,
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      new RegExp(`^${fn.replace('.', '\\.')}: \\w+ must be .*, got a Proxy$`),
    ),
  );

  it('a 0 byte is found even when includes/indexOf are overridden on the argument', () =>
    throws(
      `const b = new Uint8Array([0x31, 0, 0x32]);
       b.includes = () => false;
       b.indexOf = () => -1;
       Object.defineProperty(b, 'length', { value: 1 });
       return api.parseNumber(b);`,
      'TypeError',
      'ERR_INVALID_ARG_VALUE',
      /^parseNumber: text must not contain a 0 byte/,
    ));

  it('bytes are checked and read as the engine sees them (a Buffer subclass with a lying length)', () =>
    returns(
      `class B extends Uint8Array { get length() { return 1; } }
       const b = new B(Buffer.from('héllo'));
       return [api.countCharacters(b), api.parseNumber(new B(Buffer.from('12345'))).value];`,
      [5, 12345],
    ));

  it('resizable buffers: length-tracking views follow resizes; out-of-bounds views are empty', () =>
    returns(
      `const rab = new ArrayBuffer(16, { maxByteLength: 64 });
       const tracking = new Uint32Array(rab); // length-tracking
       tracking.fill(2);
       const fixed = new Uint32Array(rab, 8, 2);
       const before = [api.sumOfEven(tracking), api.sumOfEven(fixed)];
       rab.resize(8);
       const shrunk = [api.sumOfEven(tracking), api.sumOfEven(fixed), api.countWhere(fixed, () => true)];
       rab.resize(64);
       tracking.fill(4);
       return [before, shrunk, api.sumOfEven(tracking), api.sumOfEven(fixed)];`,
      [[8, 4], [4, 0, 0], 64, 8],
    ));

  it('detached buffers are empty to every function, and Point storage refuses to be used', () =>
    returns(
      `const detach = (v) => structuredClone(v.buffer, { transfer: [v.buffer] });
       const u = new Uint32Array([2, 4]); detach(u);
       const f = new Float32Array([1, 2]); detach(f);
       const b = new Uint8Array([65]); detach(b);
       const path = new Float32Array([1, 2, 3, 4]);
       const p = api.Point.at(path, 1);
       detach(path);
       let pointError;
       try { p.translate(1, 1); } catch (e) { pointError = [e.name, e.code]; }
       let atError;
       try { api.Point.at(f, 0); } catch (e) { atError = [e.name, e.code]; }
       return [api.sumOfEven(u), api.countWhere(u, () => true), api.translatePoints(f, 1, 1).length,
               api.countCharacters(b), pointError, atError];`,
      [0, 0, 0, 0, ['RangeError', 'ERR_OUT_OF_RANGE'], ['RangeError', 'ERR_OUT_OF_RANGE']],
    ));

  it('SharedArrayBuffer: read-only inputs are copied (a snapshot), in-place outputs are refused', () =>
    returns(
      `const u = new Uint32Array(new SharedArrayBuffer(16)); u.fill(2);
       const b = new Uint8Array(new SharedArrayBuffer(2)); b.set([0x68, 0x69]);
       const f = new Float32Array(new SharedArrayBuffer(8));
       const refused = [];
       for (const run of [() => api.translatePoints(f, 1, 1), () => api.Point.at(f, 0)]) {
         try { run(); } catch (e) { refused.push([e.name, e.code, e.message]); }
       }
       return [api.sumOfEven(u), api.sumOfEvenBigInt(u), api.countWhere(u, (v) => v === 2),
               api.countCharacters(b), refused];`,
      [
        8,
        '8n',
        4,
        2,
        [
          [
            'TypeError',
            'ERR_INVALID_ARG_VALUE',
            'translatePoints: points must not be backed by a SharedArrayBuffer (Rust writes into it in place)',
          ],
          [
            'TypeError',
            'ERR_INVALID_ARG_VALUE',
            'Point.at: points must not be backed by a SharedArrayBuffer (Rust writes into it in place)',
          ],
        ],
      ],
    ));

  it('Point.at does not call a subclass Symbol.species (subarray would), and its view is exact', () =>
    returns(
      `let speciesCalls = 0;
       class Sneaky extends Float32Array {
         static get [Symbol.species]() { speciesCalls++; return Float32Array; }
       }
       const path = new Sneaky([0, 0, 1, 1, 2, 2]);
       const p = api.Point.at(path, 1);
       Object.defineProperty(p.storage, 'length', { value: 1e6 });
       p.translate(10, 20);
       return [speciesCalls, Array.from(new Float32Array(path.buffer))];`,
      [0, [0, 0, 11, 21, 2, 2]],
    ));

  it('built-ins patched after the package loaded do not change what reaches Rust', () =>
    returns(
      `const TA = Object.getPrototypeOf(Uint8Array.prototype);
       Object.defineProperty(TA, Symbol.toStringTag, { get() { return 'Uint32Array'; } });
       Object.defineProperty(TA, 'length', { get() { return 1e9; } });
       String.prototype.includes = () => false;
       String.prototype.isWellFormed = () => true;
       Math.fround = (x) => 0;
       Array.isArray = () => true;
       globalThis.Uint32Array = function () { throw new Error('patched'); };
       const realCall = Function.prototype.call;
       Function.prototype.call = function () { throw new Error('patched call'); };
       const outcomes = [];
       for (const run of [
         () => api.sumOfEven(new Float64Array([2])),
         () => api.parseNumber('1\\0'),
         () => api.concatStrings('\\uD800', 'b'),
         () => api.pointTranslated({ x: 1e39, y: 0 }, 0, 0),
         () => api.sumOfEven({ length: 1, 0: 2 }),
       ]) {
         try { outcomes.push(run()); } catch (e) { outcomes.push(e.code); }
       }
       const counted = api.countWhere([1, 2, 3], (v) => v > 1);
       Function.prototype.call = realCall; // Node's own stdout code needs it back
       return [outcomes, counted, api.sumOfEven([2, 4])];`,
      [
        [
          'ERR_INVALID_ARG_TYPE',
          'ERR_INVALID_ARG_VALUE',
          'ERR_INVALID_ARG_VALUE',
          'ERR_OUT_OF_RANGE',
          'ERR_INVALID_ARG_TYPE',
        ],
        2,
        6,
      ],
    ));
});

describe('class 1: an intrinsic missing when the package loads is named, not called later', () => {
  // In this process, on a fresh copy of ts/validate (jest.isolateModulesAsync): the case is the
  // module's own loading, and the getter is put back before anything else runs.
  const TypedArrayPrototype = Reflect.getPrototypeOf(Uint8Array.prototype) as object;
  it.each([
    ['%TypedArray%.prototype.byteOffset', TypedArrayPrototype, 'byteOffset', 'byteOffset'],
    ['%TypedArray%.prototype[@@toStringTag]', TypedArrayPrototype, Symbol.toStringTag, 'Symbol(Symbol.toStringTag)'],
    ['ArrayBuffer.prototype.byteLength', ArrayBuffer.prototype, 'byteLength', 'byteLength'],
  ])('without %s, loading throws an Error naming it', async (_label, proto, key, shown) => {
    const saved = Reflect.getOwnPropertyDescriptor(proto, key) as PropertyDescriptor;
    expect(typeof saved.get).toBe('function');
    Reflect.deleteProperty(proto, key);
    try {
      await expect(
        jest.isolateModulesAsync(async () => {
          await import('../ts/validate');
        }),
      ).rejects.toThrow(new Error(`ffi-deep-dive: intrinsic getter ${shown} is missing`));
    } finally {
      Reflect.defineProperty(proto, key, saved);
    }
  });
});

describe('class 2: user code running during a call cannot change what Rust uses', () => {
  it('shapeArea: a getter that re-enters shapeArea does not corrupt the outer call (was: wrong area)', () =>
    returns(
      `const shape = { kind: 'rectangle', width: 3, get height() {
         api.shapeArea({ kind: 'triangle', a: 3, b: 4, c: 5 });
         api.scaleShape({ kind: 'circle', radius: 100 }, 2);
         return 5;
       } };
       const scaled = api.scaleShape({ kind: 'triangle', a: 3, get b() { api.shapeArea({ kind: 'circle', radius: 9 }); return 4; }, c: 5 }, 2);
       return [api.shapeArea(shape), scaled];`,
      [15, { kind: 'triangle', a: 6, b: 8, c: 10 }],
    ));

  it('shapeArea reads each property once (a getter that changes kind mid-call)', () =>
    returns(
      `let reads = 0;
       const shape = { get kind() { reads++; return reads === 1 ? 'circle' : 'triangle'; }, radius: 1, a: 1, b: 1, c: 1 };
       return [api.shapeArea(shape) === Math.PI, reads];`,
      [true, 1],
    ));

  it.each([
    ['writes into the array', 'a.fill(0)'],
    ['shrinks its resizable buffer to 0', 'rab.resize(0)'],
    ['transfers its buffer', 'structuredClone(rab, { transfer: [rab] })'],
    ['transfers it with ArrayBuffer.prototype.transfer', 'rab.transfer && rab.transfer(0)'],
  ])('countWhere: a predicate that %s changes nothing Rust reads (was: segfault)', (_label, action) =>
    returns(
      `const rab = new ArrayBuffer(4 * 1024, { maxByteLength: 4 * 8192 });
       const a = new Uint32Array(rab);
       a.fill(7);
       let calls = 0;
       const churn = () => { for (let i = 0; i < 4; i++) new ArrayBuffer(1 << 16); }; // reuse the freed memory
       const n = api.countWhere(a, (v) => { if (calls++ === 0) { ${action}; } churn(); return v === 7; });
       return [n, calls];`,
      [1024, 1024],
    ),
  );

  it('countWhere: a predicate that writes a SharedArrayBuffer-backed input sees the snapshot', () =>
    returns(
      `const a = new Uint32Array(new SharedArrayBuffer(16)); a.fill(1);
       return api.countWhere(a, (v) => { a.fill(9); return v === 1; });`,
      4,
    ));

  it('countWhere: re-entry from an element getter while the input is being copied keeps both copies apart', () =>
    returns(
      `const outer = new Proxy([5, 6, 7, 8], {
         get(t, k) {
           if (k === '2') api.countWhere([100, 200, 300, 400, 500], (v) => api.countWhere([v], () => true) === 1);
           return Reflect.get(t, k);
         },
       });
       const seen = [];
       const n = api.countWhere(outer, (v) => { seen.push(v); api.countWhere([9, 9, 9, 9, 9, 9], () => false); return v > 5; });
       return [n, seen];`,
      [3, [5, 6, 7, 8]],
    ));

  it('countWhere: re-entry with the same array, changed in between', () =>
    returns(
      `const a = new Uint32Array([1, 2, 3]);
       return api.countWhere(a, (v) => { a[2] = 100; return api.countWhere(a, (w) => w > 50) === 1 && v < 10; });`,
      3,
    ));

  it('plain arrays: a Proxy with a lying length and re-entrant element getters is read once into a copy', () =>
    returns(
      `let lengthReads = 0;
       const target = [2, 4, 6];
       const p = new Proxy(target, {
         get(t, k) {
           if (k === 'length') { lengthReads++; return lengthReads === 1 ? 3 : 1e9; }
           if (k === '1') { api.sumOfEven([8, 8]); target.push(100, 100); return 4; }
           return Reflect.get(t, k);
         },
       });
       return [api.sumOfEven(p), lengthReads];`,
      [12, 1],
    ));

  it("a revoked Proxy is refused with a coded TypeError, not the engine's", () =>
    returns(
      `const { proxy, revoke } = Proxy.revocable([1, 2], {});
       revoke();
       const codes = [];
       for (const run of [() => api.sumOfEven(proxy), () => api.countWhere(proxy, () => true), () => api.flipThings(proxy)]) {
         try { run(); } catch (e) { codes.push([e.code, e.message]); }
       }
       return codes;`,
      [
        ['ERR_INVALID_ARG_TYPE', 'sumOfEven: numbers must be a Uint32Array or an array of numbers, got a Proxy'],
        ['ERR_INVALID_ARG_TYPE', 'countWhere: numbers must be a Uint32Array or an array of numbers, got a Proxy'],
        ['ERR_INVALID_ARG_TYPE', 'flipThings: pair must be an array of two uint32 numbers, got a Proxy'],
      ],
    ));

  it('a Proxy array whose length is not a uint32 is refused', () =>
    throws(
      `return api.sumOfEven(new Proxy([], { get: (t, k) => (k === 'length' ? -1 : undefined) }));`,
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^sumOfEven: numbers must be/,
    ));

  it('flipThings and pointTranslated read each element/property once, before the call', () =>
    returns(
      `let reads = 0;
       const pair = new Proxy([1, 2], { get(t, k) { if (k === '0' || k === '1') reads++; return Reflect.get(t, k); } });
       const point = { get x() { reads++; api.pointTranslated({ x: 9, y: 9 }, 1, 1); return 1; }, y: 2 };
       return [api.flipThings(pair), api.pointTranslated(point, 1, 1), reads];`,
      [[2, 1], { x: 2, y: 3 }, 3],
    ));
});

describe('class 4: results the engine cannot represent', () => {
  it('concatStrings past V8 string limit throws RangeError ERR_OUT_OF_RANGE before any native call', () =>
    throws(
      `const { MAX_STRING_LENGTH } = require('node:buffer').constants;
       const half = 'a'.repeat(Math.ceil((MAX_STRING_LENGTH + 1) / 2)); // two of them are 1 too long
       return api.concatStrings(half, half);`,
      'RangeError',
      'ERR_OUT_OF_RANGE',
      /^concatStrings: the result would have 5368708(89|90) UTF-16 code units, more than the longest string this engine can create \(536870888\)$/,
      ['--max-old-space-size=2048'],
    ));
});

describe('class 7: smaller promises kept', () => {
  it('countWhere refuses a predicate returning a Promise, and stops calling it', () =>
    returns(
      `let calls = 0;
       try { api.countWhere([1, 2, 3], async () => { calls++; return false; }); }
       catch (e) { return [e.name, e.code, e.message, calls]; }
       return 'no error';`,
      [
        'TypeError',
        'ERR_INVALID_RETURN_VALUE',
        'countWhere: predicate must return a value, not a Promise or thenable (countWhere is synchronous and cannot await it; every Promise is truthy)',
        1,
      ],
    ));

  it('countWhere refuses a thenable function result too, but a plain object is truthy', () =>
    returns(
      `const f = () => 1; f.then = () => {};
       let code;
       try { api.countWhere([1], () => f); } catch (e) { code = e.code; }
       return [code, api.countWhere([1, 2], () => ({ then: 42 })), api.countWhere([1, 2], () => ({}))];`,
      ['ERR_INVALID_RETURN_VALUE', 2, 2],
    ));

  it('float32 arguments: the bound in the message is the one enforced (FLT_MAX rounding edge)', () =>
    returns(
      `const limit = 2 ** 128 - 2 ** 103;
       const below = 3.4028235677973362e38; // the double just below the limit
       const accepted = api.pointTranslated({ x: below, y: -below }, 0, 0);
       let refused;
       try { api.pointTranslated({ x: limit, y: 0 }, 0, 0); } catch (e) { refused = [e.code, e.message]; }
       return [accepted, below < limit, Math.fround(below) === api.FLOAT32_MAX, refused];`,
      [
        { x: 3.4028234663852886e38, y: -3.4028234663852886e38 },
        true,
        true,
        [
          'ERR_OUT_OF_RANGE',
          'pointTranslated: point.x must be finite as a float (not NaN or ±Infinity, and |x| < 2^128 - 2^103 = 3.4028235677973366e+38, above which a float rounds to infinity), got number 3.4028235677973366e+38',
        ],
      ],
    ));
});
