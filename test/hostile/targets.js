/**
 * The hostile fuzzer's targets: every public function of the package root,
 * each with the arbitraries of its arguments, how to call it, and a plain-JS
 * model of its documented outcome computed from a snapshot of the arguments
 * taken the way the API documents it:
 *
 * - a typed array is read through the engine's intrinsic accessors (element
 *   type, buffer, offset, length), never through its own properties, and at
 *   the start of the call (sync calls and async calls alike: async calls copy);
 * - a plain array is read once: `length`, then each index in order, stopping
 *   at the first invalid element;
 * - an object's fields are read once each, `kind` first;
 * - a number or string argument must already be one: objects with `valueOf`,
 *   `toString` or `Symbol.toPrimitive` are refused without calling them.
 *
 * When several arguments are invalid, any of their errors is accepted; the
 * arguments are modelled in both orders (user code in one argument may act on
 * another), and either order's outcome is accepted.
 */
'use strict';
const {
  fc,
  HostileError,
  typedFacts,
  intrinsicSnapshot,
  isArray,
  approx,
  arbs,
  build,
  act,
  newContext,
} = require('./values');

const { MAX_STRING_LENGTH } = require('node:buffer').constants;

const TYPE = { error: 'TypeError', codes: ['ERR_INVALID_ARG_TYPE'] };
const VALUE = { error: 'TypeError', codes: ['ERR_INVALID_ARG_VALUE'] };
const RANGE = { error: 'RangeError', codes: ['ERR_OUT_OF_RANGE'] };
const ffi = (status) => ({ error: 'FfiError', codes: [`ERR_FFI_${status}`] });
const FREED = { error: 'Error', codes: ['ERR_FFI_FREED'] };

/** Thrown by a model check: the call must fail with one of `outcomes`. */
class Reject {
  constructor(...outcomes) {
    this.outcomes = outcomes;
  }
}

/** Runs `f`; a HostileError from user code becomes a Reject with that user error. */
function guard(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof HostileError) throw new Reject({ user: e.hostileId });
    throw e;
  }
}

// ---- The validators, as documented ------------------------------------------------------------

function int(v, min, max) {
  if (typeof v !== 'number') throw new Reject(TYPE);
  if (!Number.isInteger(v) || v < min || v > max) throw new Reject(RANGE);
  return v === 0 ? 0 : v;
}
const int32 = (v) => int(v, -(2 ** 31), 2 ** 31 - 1);
const uint32 = (v) => int(v, 0, 2 ** 32 - 1);

function float32(v) {
  if (typeof v !== 'number') throw new Reject(TYPE);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Reject(RANGE);
  return f;
}

function number(v) {
  if (typeof v !== 'number') throw new Reject(TYPE);
  return v;
}

/** A string for the UTF-16 paths (concatStrings, countCharacters): `\0` is a character, a lone surrogate is refused. */
function text16(v) {
  if (typeof v !== 'string') throw new Reject(TYPE);
  if (!v.isWellFormed()) throw new Reject(VALUE);
  return v;
}

/** A string for a `const char *` (parseNumber): no `\0`, no lone surrogate. */
function cString(v) {
  if (typeof v !== 'string') throw new Reject(TYPE);
  if (v.includes('\0') || !v.isWellFormed()) throw new Reject(VALUE);
  return v;
}

/**
 * A typed array of element type `tag`: its intrinsic contents. A shared, or a
 * detached / out-of-bounds one (length 0), may also be refused as a value.
 */
function typed(v, tags, m) {
  const f = typedFacts(v);
  if (f === undefined || !tags.includes(f.tag)) return undefined;
  if (f.shared || f.empty) m.also(TYPE, VALUE);
  // A subclass instance or a swapped prototype: still that element type, but refusing it is defined too.
  const C = f.tag === 'Uint8Array' && Buffer.isBuffer(v) ? Buffer : globalThis[f.tag];
  if (Object.getPrototypeOf(v) !== C.prototype) m.also(TYPE);
  return { facts: f, values: intrinsicSnapshot(v, f.tag) };
}

/** A plain array read once: length, then each index, validating each element with `check`. */
function plainArray(v, check) {
  return guard(() => {
    const len = v.length;
    const out = [];
    for (let i = 0; i < len; i++) {
      const e = v[i];
      if (typeof e !== 'number') throw new Reject(TYPE, RANGE);
      out.push(check(e));
    }
    return out;
  });
}

function u32Array(v, m) {
  const t = typed(v, ['Uint32Array'], m);
  if (t !== undefined) return t.values;
  if (isArray(v)) {
    // A huge (sparse) array may also be refused up front.
    m.also(RANGE, TYPE);
    return plainArray(v, uint32);
  }
  throw new Reject(TYPE);
}

/**
 * Bytes of a Uint8Array (or Buffer), or a string, as the text functions take
 * them: with `nul` false (a `const char *`), a `\0` or 0 byte is refused.
 */
function text(v, m, nul) {
  if (typeof v === 'string') return { string: nul ? text16(v) : cString(v) };
  const t = typed(v, ['Uint8Array'], m);
  if (t === undefined) throw new Reject(TYPE);
  if (!nul && t.values.includes(0)) throw new Reject(VALUE);
  const decoded = utf8(t.values);
  if (decoded === undefined) throw new Reject(ffi('INVALID_UTF8'));
  return { string: decoded };
}

function utf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Evaluates every thunk (each checks one argument); if any rejects, rejects
 * with the union of their outcomes, since the API may check arguments in any
 * order.
 */
function all(...thunks) {
  const values = [];
  const rejects = [];
  for (const t of thunks) {
    try {
      values.push(t());
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      rejects.push(...e.outcomes);
      values.push(undefined);
    }
  }
  if (rejects.length > 0) throw new Reject(...rejects);
  return values;
}

/** Reads `obj[field]` once (a getter's user code runs here). */
function field(obj, name) {
  return guard(() => obj[name]);
}

// ---- Models --------------------------------------------------------------------------------

const evenSum = (values) => values.reduce((s, v) => (v % 2 === 0 ? s + v : s), 0);

function shapeModel(shape, m) {
  if (typeof shape !== 'object' || shape === null) throw new Reject(TYPE);
  const kind = field(shape, 'kind');
  const dims = { circle: ['radius'], rectangle: ['width', 'height'], triangle: ['a', 'b', 'c'] }[kind];
  if (dims === undefined) throw new Reject(TYPE, VALUE);
  const values = dims.map((d) => {
    const v = field(shape, d);
    if (typeof v !== 'number') throw new Reject(TYPE);
    return v;
  });
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Reject(ffi('INVALID_ARGUMENT'), RANGE);
  if (kind === 'triangle') {
    const [a, b, c] = [...values].sort((x, y) => x - y);
    const slack = 1e-12 * (a + b + c);
    if (c > a + b + slack) throw new Reject(ffi('INVALID_ARGUMENT'));
    if (c > a + b - slack) m.also(ffi('INVALID_ARGUMENT'));
  }
  return { kind, dims, values };
}

/** The area: π r², w h, or Kahan's stable form of Heron's formula on sides scaled by the longest. */
function area({ kind, values }) {
  if (kind === 'circle') return Math.PI * values[0] * values[0];
  if (kind === 'rectangle') return values[0] * values[1];
  const [x, y, z] = [...values].sort((p, q) => q - p);
  if (x === 0) return 0;
  const [b, c] = [y / x, z / x];
  const p = (1 + (b + c)) * Math.max(0, c - (1 - b)) * (c + (1 - b)) * (1 + (b - c));
  return 0.25 * Math.sqrt(p) * x * x;
}

/**
 * Areas agree to rounding: relatively, and for a (nearly) flat triangle
 * absolutely, to √ε of the longest side squared (the factor that cancels).
 */
const areaEq = (got, want, longest) =>
  typeof got === 'number' &&
  Math.abs(got - want) <= 1e-9 * Math.abs(want) + 4e-8 * longest * longest + Number.MIN_VALUE;

const deepEq = (got, want) => {
  if (typeof want === 'number')
    return Object.is(got, want) || (got === want && want !== 0) || (got === 0 && want === 0);
  if (typeof want === 'bigint' || typeof want === 'string' || typeof want === 'boolean') return got === want;
  if (want instanceof Uint32Array || want instanceof Float32Array) {
    return got instanceof want.constructor && got.length === want.length && want.every((x, i) => Object.is(got[i], x));
  }
  if (Array.isArray(want))
    return Array.isArray(got) && got.length === want.length && want.every((x, i) => deepEq(got[i], x));
  if (typeof want === 'object' && want !== null) {
    if (typeof got !== 'object' || got === null) return false;
    const keys = Object.keys(want);
    return Object.keys(got).length === keys.length && keys.every((k) => deepEq(got[k], want[k]));
  }
  return Object.is(got, want);
};

function primesModel(limit) {
  const composite = new Uint8Array(limit + 1);
  const primes = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return Uint32Array.from(primes);
}

function primesLimit(v) {
  const n = uint32(v);
  if (n > 2 ** 30) throw new Reject(RANGE);
  return n;
}

const limitSpec = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3000 }).map((v) => ({ t: 'num', v })) },
  {
    weight: 2,
    arbitrary: arbs.number.filter((s) => !(s.t === 'num' && Number.isInteger(s.v) && s.v > 100000 && s.v <= 2 ** 30)),
  },
);

const f32bits = (x) => new Uint32Array(Float32Array.of(x).buffer)[0];
const bitsf32 = (b) => new Float32Array(Uint32Array.of(b >>> 0).buffer)[0];

/** The shift of a float32 pair translation, as Rust computes it (float arithmetic). */
const fadd = (a, b) => Math.fround(a + b);

/** User code that runs after an async call returned its Promise (its own exceptions are its own). */
function afterCall(actions, ctx) {
  for (const action of actions) {
    try {
      act(action, ctx);
    } catch (e) {
      if (!(e instanceof HostileError)) throw e;
    }
  }
}

/**
 * An async sum: `fn(numbers, options)`, then user code acts on the buffers
 * while the call is in flight. Without `transfer` the result is the sum of
 * the snapshot taken at the call (a copy); with `{ transfer: true }` the
 * caller's buffer is detached during the call and the result is `{ sum,
 * numbers }`, the array handed back with the same contents. `options.transfer`
 * is read once, before the array.
 */
function asyncSum(fn, convert) {
  return {
    args: [arbs.u32Arg, fc.array(arbs.action, { maxLength: 2 }), arbs.asyncOptions],
    call: (api, [a, , options], ctx, spec) => {
      const pr = options === undefined ? api[fn](a) : api[fn](a, options);
      pr.catch(() => {}); // observed below; user code may throw first
      afterCall(spec[1], ctx);
      return pr;
    },
    model: ([a, , options], m, ctx, spec) => {
      let transfer = false;
      if (options !== undefined) {
        if (options === null || typeof options !== 'object') throw new Reject(TYPE);
        const t = field(options, 'transfer');
        if (t !== undefined && typeof t !== 'boolean') throw new Reject(TYPE);
        transfer = t === true;
      }
      if (!transfer) {
        const s = evenSum(u32Array(a, m));
        afterCall(spec[1], ctx);
        return convert(s);
      }
      // A transfer takes a Uint32Array over a transferable ArrayBuffer (not shared, not a plain array).
      const f = typedFacts(a);
      if (f === undefined || f.tag !== 'Uint32Array' || isArray(a)) throw new Reject(TYPE, VALUE);
      if (f.shared) throw new Reject(TYPE, VALUE);
      const values = intrinsicSnapshot(a, 'Uint32Array');
      m.also(TYPE, VALUE); // e.g. a resizable or detached buffer, which may not be transferable
      const sum = convert(evenSum(values));
      m.eq = (got) =>
        got !== null &&
        typeof got === 'object' &&
        deepEq(got.sum, sum) &&
        got.numbers instanceof Uint32Array &&
        got.numbers.length === values.length &&
        values.every((v, i) => got.numbers[i] === v);
      m.noStateCheck = true; // the caller's buffer was moved: the worlds' buffers differ by design
      return { sum };
    },
    async: true,
  };
}

const STATUS_NAMES = [
  'OK',
  'NULL_ARGUMENT',
  'INVALID_UTF8',
  'INVALID_ARGUMENT',
  'BUFFER_TOO_SMALL',
  'OVERFLOW',
  'PANIC',
  'CANCELLED',
];

/**
 * Each target: `args` (fast-check arbitraries of specs), `call(api, values)`
 * (may return a Promise), and `model(values, m)` returning the expected value
 * or throwing Reject. `m.also(...)` adds acceptable alternative outcomes;
 * `m.eq` may replace the result comparison.
 */
const TARGETS = {
  addInRust: {
    args: [arbs.number, arbs.number],
    call: (api, [a, b]) => api.addInRust(a, b),
    model: ([a, b]) => {
      const [x, y] = all(
        () => int32(a),
        () => int32(b),
      );
      return (x + y) | 0;
    },
  },
  addChecked: {
    args: [arbs.number, arbs.number],
    call: (api, [a, b]) => api.addChecked(a, b),
    model: ([a, b]) => {
      const [x, y] = all(
        () => int32(a),
        () => int32(b),
      );
      const s = x + y;
      if ((s | 0) !== s) throw new Reject(ffi('OVERFLOW'));
      return s;
    },
  },
  concatStrings: {
    args: [arbs.string, arbs.string],
    call: (api, [a, b]) => api.concatStrings(a, b),
    model: ([a, b]) => {
      const [x, y] = all(
        () => text16(a),
        () => text16(b),
      );
      if (x.length + y.length > MAX_STRING_LENGTH) throw new Reject(RANGE);
      return x + y;
    },
  },
  countCharacters: {
    args: [arbs.textArg],
    call: (api, [s]) => api.countCharacters(s),
    model: ([s], m) => [...text(s, m, true).string].length,
  },
  parseNumber: {
    args: [arbs.textArg],
    call: (api, [s]) => api.parseNumber(s),
    model: ([s], m) => {
      const str = text(s, m, false).string;
      if (/^[+-]?[0-9]+$/.test(str)) {
        const n = Number(str);
        if ((n | 0) !== n) throw new Reject(ffi('INVALID_ARGUMENT'));
        return { kind: 'left', value: n === 0 ? 0 : n };
      }
      // Floats: Rust's grammar; only the shape of the answer is modelled.
      m.also(ffi('INVALID_ARGUMENT'));
      m.eq = (got) => got !== null && typeof got === 'object' && got.kind === 'right' && typeof got.value === 'number';
      return { kind: 'right' };
    },
  },
  floatToBits: {
    args: [arbs.number],
    call: (api, [x]) => api.floatToBits(x),
    model: ([x]) => f32bits(number(x)),
  },
  bitsToFloat: {
    args: [arbs.number],
    call: (api, [b]) => api.bitsToFloat(b),
    model: ([b], m) => {
      const v = bitsf32(int(b, -(2 ** 31), 2 ** 32 - 1));
      m.eq = (got) => Object.is(got, v) || (Number.isNaN(v) && Number.isNaN(got));
      return v;
    },
  },
  statusName: {
    args: [arbs.number],
    call: (api, [c]) => api.statusName(c),
    model: ([c], m) => {
      if (typeof c !== 'number') m.also(TYPE);
      return Number.isInteger(c) && c >= 0 && c < STATUS_NAMES.length ? STATUS_NAMES[c] : 'UNKNOWN';
    },
  },
  Point: {
    args: [arbs.number, arbs.number, arbs.number, arbs.number],
    call: (api, [x, y, bx, by]) => {
      const p = new api.Point(x, y);
      p.translate(bx, by);
      return p.toJSON();
    },
    model: ([x, y, bx, by]) => {
      const [fx, fy, ox, oy] = all(
        () => (x === undefined ? 0 : float32(x)),
        () => (y === undefined ? 0 : float32(y)),
        () => float32(bx),
        () => float32(by),
      );
      return { x: fadd(fx, ox), y: fadd(fy, oy) };
    },
  },
  'Point.at': {
    args: [arbs.f32Arg, arbs.number, arbs.number, arbs.number, arbs.action],
    // Point.at, then user code acts (detaches, resizes, writes), then translate.
    call: (api, [points, index, bx, by], ctx, spec) => {
      const p = api.Point.at(points, index);
      act(spec[4], ctx);
      p.translate(bx, by);
      return p.toJSON();
    },
    model: ([points, index, bx, by], m, ctx, spec) => {
      const t = typed(points, ['Float32Array'], m);
      if (t === undefined) throw new Reject(TYPE);
      const i = int(index, 0, 2 ** 53);
      if (2 * i + 2 > t.values.length) throw new Reject(RANGE);
      const { buffer, byteOffset } = t.facts;
      guard(() => act(spec[4], ctx));
      const ox = float32(bx);
      const oy = float32(by);
      // The pair after user code acted: gone (detached / out of bounds) is a RangeError.
      let pair;
      try {
        pair = new Float32Array(buffer, byteOffset + 8 * i, 2);
      } catch {
        throw new Reject(RANGE, TYPE, VALUE);
      }
      if (pair.length !== 2) throw new Reject(RANGE, TYPE, VALUE);
      pair[0] = fadd(pair[0], ox);
      pair[1] = fadd(pair[1], oy);
      return { x: pair[0], y: pair[1] };
    },
    applies: true,
  },
  pointTranslated: {
    args: [arbs.point, arbs.number, arbs.number],
    call: (api, [p, bx, by]) => api.pointTranslated(p, bx, by),
    model: ([p, bx, by]) => {
      const [[x, y], ox, oy] = all(
        () => {
          if (typeof p !== 'object' || p === null) throw new Reject(TYPE);
          const px = field(p, 'x');
          return all(
            () => float32(px),
            () => float32(field(p, 'y')),
          );
        },
        () => float32(bx),
        () => float32(by),
      );
      return { x: fadd(x, ox), y: fadd(y, oy) };
    },
    order: 'fixed',
  },
  translatePoints: {
    args: [arbs.f32Arg, arbs.number, arbs.number],
    call: (api, [points, bx, by]) => {
      const r = api.translatePoints(points, bx, by);
      if (r !== points) throw new Error('translatePoints did not return its argument');
      return 'same';
    },
    model: ([points, bx, by], m) => {
      const [t, ox, oy] = all(
        () => {
          const t = typed(points, ['Float32Array'], m);
          if (t === undefined) throw new Reject(TYPE);
          if (t.values.length % 2 !== 0) throw new Reject(RANGE);
          return t;
        },
        () => float32(bx),
        () => float32(by),
      );
      if (t.values.length === 0) return 'same';
      const view = new Float32Array(t.facts.buffer, t.facts.byteOffset, t.values.length);
      for (let i = 0; i < view.length; i++) view[i] = fadd(view[i], i % 2 === 0 ? ox : oy);
      return 'same';
    },
    applies: true,
  },
  OpaquePoint: {
    args: [arbs.number, arbs.number, arbs.number, arbs.number, fc.boolean()],
    call: (api, [x, y, bx, by, freeFirst]) => {
      const p = new api.OpaquePoint(x, y);
      try {
        if (freeFirst) p.free();
        p.translate(bx, by);
        return { json: p.toJSON(), text: p.describe() };
      } finally {
        p.free();
      }
    },
    model: ([x, y, bx, by, freeFirst], m) => {
      const [fx, fy] = all(
        () => float32(x),
        () => float32(y),
      );
      const [ox, oy] = all(
        () => {
          if (freeFirst) throw new Reject(FREED);
        },
        () => float32(bx),
        () => float32(by),
      ).slice(1);
      const nx = fadd(fx, ox);
      const ny = fadd(fy, oy);
      m.eq = (got) =>
        got !== null &&
        typeof got === 'object' &&
        deepEq(got.json, { x: nx, y: ny }) &&
        typeof got.text === 'string' &&
        got.text.startsWith('OpaquePoint(');
      return {};
    },
  },
  shapeArea: {
    args: [arbs.shape],
    call: (api, [s]) => api.shapeArea(s),
    model: ([s], m) => {
      const shape = shapeModel(s, m);
      const a = area(shape);
      if (!Number.isFinite(a)) throw new Reject(ffi('OVERFLOW'));
      m.eq = (got) => areaEq(got, a, Math.max(...shape.values));
      return a;
    },
  },
  scaleShape: {
    args: [arbs.shape, arbs.dimension],
    call: (api, [s, f]) => api.scaleShape(s, f),
    model: ([s, f], m) => {
      const [k, shape] = all(
        () => number(f),
        () => shapeModel(s, m),
      );
      if (!Number.isFinite(k) || k < 0) throw new Reject(ffi('INVALID_ARGUMENT'), RANGE);
      const scaled = shape.values.map((v) => v * k);
      if (scaled.some((v) => !Number.isFinite(v))) throw new Reject(ffi('OVERFLOW'));
      const out = { kind: shape.kind };
      shape.dims.forEach((d, i) => (out[d] = scaled[i]));
      return out;
    },
  },
  flipThings: {
    args: [arbs.pair],
    call: (api, [p]) => api.flipThings(p),
    model: ([p]) => {
      if (!isArray(p)) throw new Reject(TYPE);
      return guard(() => {
        const len = p.length;
        if (len !== 2) throw new Reject(TYPE, RANGE, VALUE);
        const a = p[0];
        const ua = uint32(a);
        const b = p[1];
        return [uint32(b), ua];
      });
    },
    order: 'fixed',
  },
  sumOfEven: {
    args: [arbs.u32Arg],
    call: (api, [a]) => api.sumOfEven(a),
    model: ([a], m) => {
      const s = evenSum(u32Array(a, m));
      if (s > Number.MAX_SAFE_INTEGER) throw new Reject(RANGE);
      return s;
    },
  },
  sumOfEvenBigInt: {
    args: [arbs.u32Arg],
    call: (api, [a]) => api.sumOfEvenBigInt(a),
    model: ([a], m) => BigInt(evenSum(u32Array(a, m))),
  },
  primesUpTo: {
    args: [limitSpec],
    call: (api, [n]) => api.primesUpTo(n),
    model: ([n]) => primesModel(primesLimit(n)),
  },
  countWhere: {
    args: [arbs.u32Arg, arbs.predicate],
    call: (api, [a, p]) => api.countWhere(a, p),
    model: ([a, p], m) => {
      const [values] = all(
        () => u32Array(a, m),
        () => {
          if (typeof p !== 'function') throw new Reject(TYPE);
        },
      );
      let count = 0;
      for (const v of values) {
        const r = guard(() => p(v));
        if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
          throw new Reject({ error: 'TypeError', codes: ['ERR_INVALID_RETURN_VALUE', 'ERR_INVALID_ARG_TYPE'] });
        }
        if (r) count++;
      }
      return count;
    },
  },
  sumOfEvenAsync: asyncSum('sumOfEvenAsync', (s) => {
    if (s > Number.MAX_SAFE_INTEGER) throw new Reject(RANGE);
    return s;
  }),
  sumOfEvenBigIntAsync: asyncSum('sumOfEvenBigIntAsync', (s) => BigInt(s)),
  FfiError: {
    // No model: constructing the error class with any values must not crash, and may only refuse them.
    args: [arbs.number, arbs.string],
    call: (api, [code, operation]) => {
      const e = new api.FfiError(code, operation);
      return e instanceof Error && typeof e.message === 'string';
    },
    model: (_values, m) => {
      m.also(TYPE, RANGE, VALUE);
      m.eq = () => true;
      return true;
    },
    // It may run the user's toString on the operation name (that is not a call into Rust).
    lenient: true,
  },
  primesUpToAsync: {
    args: [limitSpec],
    call: (api, [n]) => api.primesUpToAsync(n),
    model: ([n]) => primesModel(primesLimit(n)),
    async: true,
  },
};

// ---- The oracle --------------------------------------------------------------------------

/** Allowed error shapes: the class name and a Node-style `code`. */
function describeError(api, e) {
  if (e instanceof HostileError) return { user: e.hostileId };
  let cls = 'other';
  if (e instanceof api.FfiError) cls = 'FfiError';
  else if (e instanceof TypeError) cls = 'TypeError';
  else if (e instanceof RangeError) cls = 'RangeError';
  else if (e instanceof Error) cls = 'Error';
  return {
    error: cls,
    name: e && e.name,
    code: e && e.code,
    message: e && typeof e.message === 'string' ? e.message.slice(0, 200) : String(e),
  };
}

/** Whether error `got` is of a kind the oracle allows at all. */
function allowedError(got, relaxed) {
  if (got.user !== undefined) return true;
  if (relaxed) return ['FfiError', 'TypeError', 'RangeError'].includes(got.error) || /freed/.test(got.message);
  if (typeof got.code !== 'string' || !got.code.startsWith('ERR_')) return false;
  if (got.error === 'Error') return got.code === 'ERR_FFI_FREED';
  return ['FfiError', 'TypeError', 'RangeError'].includes(got.error);
}

function errorMatches(got, want, relaxed) {
  if (want.user !== undefined) return got.user === want.user;
  if (got.user !== undefined) return false;
  if (relaxed) return true; // class and code mapping are issue 13's; any allowed error will do
  return got.error === want.error && want.codes.includes(got.code);
}

/** The bytes of a buffer, or an empty array once it is detached. */
function bytesOf(buf) {
  try {
    return new Uint8Array(buf);
  } catch {
    return new Uint8Array(0);
  }
}

/** Runs the model of `target` on freshly built arguments in one order. */
function runModel(api, target, spec) {
  const ctx = newContext(api);
  const values = [];
  // Build in the spec's order (buffers are numbered the same in every world).
  for (let i = 0; i < target.args.length; i++) values.push(build(spec[i], ctx));
  const alts = [];
  const m = {
    also: (...outcomes) => alts.push(...outcomes),
    eq: undefined,
  };
  let outcome;
  try {
    const value = target.model(values, m, ctx, spec);
    outcome = { value, eq: m.eq };
    if (m.noStateCheck) outcome.noStateCheck = true;
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    outcome = { errors: e.outcomes };
  }
  return { outcome, alts, ctx, noStateCheck: m.noStateCheck === true };
}

/**
 * Checks one case: the call's outcome against the model's, the state of
 * every buffer afterwards, and every re-entrant call made by user code.
 * Returns undefined when all is well, else a description of the failure.
 */
async function checkCase(api, name, spec, relaxed) {
  const target = TARGETS[name];
  const model = runModel(api, target, spec);
  const ctx = newContext(api);
  const values = [];
  for (let i = 0; i < target.args.length; i++) values.push(build(spec[i], ctx));
  let got;
  try {
    const r = target.call(api, values, ctx, spec);
    got = { value: target.async ? await r : r };
  } catch (e) {
    got = describeError(api, e);
  }
  for (const p of ctx.pending) {
    const ok = await p;
    if (ok !== true) ctx.reentryWrong.push(ok);
  }
  for (const p of model.ctx.pending) await p;
  const fail = (why) => ({ why, got, expected: model.outcome, alts: model.alts, fired: ctx.fired });
  if (ctx.reentryWrong.length > 0)
    return fail(`re-entrant call(s) gave a wrong result: ${ctx.reentryWrong.join(', ')}`);
  const want = model.outcome;
  const wantErrors = [...(want.errors ?? []), ...model.alts];
  if (target.lenient && got.user !== undefined) return undefined;
  if (got.value === undefined && !('value' in got)) {
    if (!allowedError(got, relaxed))
      return fail('threw an error of a kind the API must never throw (or without a code)');
    if (!wantErrors.some((w) => errorMatches(got, w, relaxed))) return fail('threw where the model expects otherwise');
    return undefined;
  }
  if (want.errors !== undefined) return fail('returned a value where the model expects an error');
  const eq = want.eq ?? deepEq;
  if (!eq(got.value, want.value)) return fail('returned a value that differs from the model');
  if (target.lenient || model.noStateCheck) return undefined;
  // Same user code ran, and every buffer holds what the model's world holds.
  if (ctx.fired.join() !== model.ctx.fired.join())
    return fail(`user code ran differently: ${ctx.fired} vs ${model.ctx.fired}`);
  for (let i = 0; i < ctx.buffers.length; i++) {
    const a = bytesOf(ctx.buffers[i]);
    const b = bytesOf(model.ctx.buffers[i]);
    if (a.length !== b.length || a.some((x, k) => x !== b[k])) {
      const k = a.findIndex((x, j) => x !== b[j]);
      return fail(`buffer ${i} differs from the model after the call (first at byte ${k})`);
    }
  }
  return undefined;
}

module.exports = { TARGETS, checkCase, approx };
