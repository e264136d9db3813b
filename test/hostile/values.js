/**
 * Hostile values for the hostile suite and its fuzzer (test/hostile/): each
 * value is described by a plain-data *spec* (what fast-check generates,
 * prints and shrinks) and built by `build(spec, ctx)`, as many times as
 * needed: once for the call under test and once, independently, for the model
 * that predicts its outcome. Building twice gives two identical worlds, so a
 * side effect that fires in one cannot leak into the other.
 *
 * A `ctx` collects what a case built (its ArrayBuffers, which actions can
 * detach, resize or write) and what its user code did (`fired`), and checks
 * every re-entrant library call made from inside user code (`reentryWrong`).
 *
 * Plain CommonJS: it runs in child processes (node, no ts-jest).
 */
'use strict';
const fc = require('fast-check');

// ---- Intrinsics, captured before any hostile value exists -----------------------------------
const TypedArray = Object.getPrototypeOf(Uint8Array);
const getterOf = (proto, key) => Object.getOwnPropertyDescriptor(proto, key).get;
const taTag = getterOf(TypedArray.prototype, Symbol.toStringTag);
const taLength = getterOf(TypedArray.prototype, 'length');
const taByteOffset = getterOf(TypedArray.prototype, 'byteOffset');
const taBuffer = getterOf(TypedArray.prototype, 'buffer');
const abByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const sabByteLength = getterOf(SharedArrayBuffer.prototype, 'byteLength');
const abResizable = getterOf(ArrayBuffer.prototype, 'resizable');
const sabGrowable = getterOf(SharedArrayBuffer.prototype, 'growable');
const abMaxByteLength = getterOf(ArrayBuffer.prototype, 'maxByteLength');
const sabMaxByteLength = getterOf(SharedArrayBuffer.prototype, 'maxByteLength');
const abResize = ArrayBuffer.prototype.resize;
const sabGrow = SharedArrayBuffer.prototype.grow;
const abTransfer = ArrayBuffer.prototype.transfer; // undefined before Node 22
const isArray = Array.isArray;
const { isSharedArrayBuffer, isArrayBuffer } = require('node:util').types;

/** The engine's element type of `v` ('Uint32Array', ...), or undefined if `v` is no typed array. */
function typedTag(v) {
  return taTag.call(v);
}

/** Byte length of any buffer, through the intrinsic getter. */
function bufferByteLength(buf) {
  return isSharedArrayBuffer(buf) ? sabByteLength.call(buf) : abByteLength.call(buf);
}

/** The intrinsic contents of typed array `v` (of element type `tag`), as a plain array of numbers. */
function intrinsicSnapshot(v, tag) {
  const C = globalThis[tag];
  if (taLength.call(v) === 0) return []; // detached or out of bounds (a fresh view would throw)
  const fresh = new C(taBuffer.call(v), taByteOffset.call(v), taLength.call(v));
  const out = [];
  for (let i = 0; i < fresh.length; i++) out.push(fresh[i]);
  return out;
}

/** Intrinsic facts about typed array `v`: element type, buffer, offset, length, shared, detached/out of bounds. */
function typedFacts(v) {
  const tag = typedTag(v);
  if (tag === undefined) return undefined;
  const buffer = taBuffer.call(v);
  const length = taLength.call(v);
  return {
    tag,
    buffer,
    byteOffset: taByteOffset.call(v),
    length,
    shared: isSharedArrayBuffer(buffer),
    empty: length === 0,
  };
}

class HostileError extends Error {
  constructor(id) {
    super(`hostile user code threw (#${id})`);
    this.name = 'HostileError';
    this.hostileId = id;
  }
}

// ---- Side effects user code performs ------------------------------------------------------

/** Detaches `buf` (ArrayBuffer.prototype.transfer where the engine has it, else structuredClone). */
function detach(buf) {
  if (!isArrayBuffer(buf)) return;
  try {
    if (abTransfer !== undefined) abTransfer.call(buf);
    else structuredClone(buf, { transfer: [buf] });
  } catch {
    // already detached
  }
}

function resize(buf, how) {
  try {
    if (isSharedArrayBuffer(buf)) {
      if (sabGrowable.call(buf) && how === 'grow') sabGrow.call(buf, sabMaxByteLength.call(buf));
    } else if (abResizable.call(buf)) {
      abResize.call(buf, how === 'grow' ? abMaxByteLength.call(buf) : how === 'half' ? abByteLength.call(buf) >> 1 : 0);
    }
  } catch {
    // detached
  }
}

/**
 * Library calls user code makes from inside another call (re-entry), each
 * with its known answer. A wrong answer is recorded in `ctx.reentryWrong`.
 */
const REENTRY = {
  shapeArea: (api) => approx(api.shapeArea({ kind: 'rectangle', width: 3, height: 7 }), 21),
  scaleShape: (api) => api.scaleShape({ kind: 'circle', radius: 2 }, 3).radius === 6,
  sumOfEven: (api) => api.sumOfEven([1, 2, 3, 4, 10]) === 16,
  sumOfEvenTyped: (api) => api.sumOfEven(new Uint32Array([6, 7, 8])) === 14,
  countWhere: (api) => api.countWhere([1, 2, 3, 4, 5], (n) => n > 2) === 3,
  concatStrings: (api) => api.concatStrings('re', 'entry') === 'reentry',
  concatLong: (api) => api.concatStrings('y'.repeat(5000), 'z') === 'y'.repeat(5000) + 'z',
  countCharacters: (api) => api.countCharacters('h\u00e9llo \u{1f980}') === 7,
  parseNumber: (api) => {
    const r = api.parseNumber('-17');
    return r.kind === 'left' && r.value === -17;
  },
  parseFloat: (api) => {
    const r = api.parseNumber('2.5');
    return r.kind === 'right' && r.value === 2.5;
  },
  primesUpTo: (api) => api.primesUpTo(30).join() === '2,3,5,7,11,13,17,19,23,29',
  opaque: (api) => {
    const p = new api.OpaquePoint(1, 2);
    try {
      return p.translate(1, 1).describe() === 'OpaquePoint(2, 3)';
    } finally {
      p.free();
    }
  },
  translatePoints: (api) => api.translatePoints(new Float32Array([1, 2, 3, 4]), 1, 1).join() === '2,3,4,5',
  pointTranslated: (api) => {
    const r = api.pointTranslated({ x: 1, y: 2 }, 1, 1);
    return r.x === 2 && r.y === 3;
  },
  flipThings: (api) => api.flipThings([5, 6]).join() === '6,5',
  floatToBits: (api) => api.floatToBits(1) === 0x3f800000,
  addChecked: (api) => api.addChecked(40, 2) === 42,
  sumOfEvenAsync: (api, ctx) => {
    ctx.pending.push(
      api.sumOfEvenAsync(new Uint32Array([2, 2, 3])).then(
        (s) => s === 4 || 'sumOfEvenAsync',
        (e) => `sumOfEvenAsync rejected: ${e && e.message}`,
      ),
    );
    return true;
  },
};
const REENTRY_NAMES = Object.keys(REENTRY);

function approx(a, b) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** Runs action `a` (user code's side effect) in `ctx`. */
function act(a, ctx) {
  if (a === undefined || a === null || a.a === 'none') return;
  ctx.fired.push(a.a);
  const victim = () => (ctx.buffers.length === 0 ? undefined : ctx.buffers[a.v % ctx.buffers.length]);
  switch (a.a) {
    case 'throw':
      throw new HostileError(a.id);
    case 'detach': {
      const b = victim();
      if (b !== undefined) detach(b);
      return;
    }
    case 'shrink':
    case 'half':
    case 'grow': {
      const b = victim();
      if (b !== undefined) resize(b, a.a);
      return;
    }
    case 'fill': {
      const b = victim();
      if (b !== undefined && bufferByteLength(b) > 0) new Uint8Array(b).fill(a.x);
      return;
    }
    case 'reenter': {
      let ok;
      try {
        ok = REENTRY[a.call](ctx.api, ctx);
      } catch (e) {
        ok = `${a.call} threw ${e && e.name}: ${e && e.message}`;
      }
      if (ok !== true) ctx.reentryWrong.push(ok === false ? a.call : ok);
      return;
    }
    case 'garbage': {
      // Allocation pressure, so that a GC (and buffer moves, if any) can happen now.
      let keep = [];
      for (let i = 0; i < 2000; i++) keep.push({ i, s: `x${i}` }, new ArrayBuffer(64));
      keep = null;
      if (typeof globalThis.gc === 'function') globalThis.gc();
      return;
    }
    default:
      throw new Error(`unknown action ${a.a}`);
  }
}

// ---- Arbitraries: specs ------------------------------------------------------------------

const actionArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ a: 'none' }) },
  { weight: 1, arbitrary: fc.nat(1000).map((id) => ({ a: 'throw', id })) },
  {
    weight: 4,
    arbitrary: fc.record({ a: fc.constantFrom('detach', 'shrink', 'half', 'grow'), v: fc.nat(3) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ a: fc.constant('fill'), v: fc.nat(3), x: fc.constantFrom(0, 1, 2, 0xff, 0x41) }),
  },
  { weight: 4, arbitrary: fc.record({ a: fc.constant('reenter'), call: fc.constantFrom(...REENTRY_NAMES) }) },
  { weight: 1, arbitrary: fc.constant({ a: 'garbage' }) },
);

const SPECIAL_NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  7,
  0.5,
  -0.5,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 + 2,
  1e308,
  -1e308,
  3.4028234663852886e38,
  3.4028235677973366e38,
  3.5e38,
  1e-45,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
  2 ** 30,
  2 ** 30 + 1,
];

/** A hostile value where a number is expected. */
const numberSpec = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 200 }).map((v) => ({ t: 'num', v })) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS).map((v) => ({ t: 'num', v })) },
  { weight: 2, arbitrary: fc.double().map((v) => ({ t: 'num', v })) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((v) => ({ t: 'bigint', v })) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('prim'),
      how: fc.constantFrom('valueOf', 'toString', 'toPrimitive'),
      v: fc.integer({ min: -5, max: 50 }),
      action: actionArb,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('42', '', 'NaN', '1e3', '\0').map((v) => ({ t: 'str', v })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('null', 'undefined', 'symbol', 'fn', 'obj', 'boxed', 'array1', 'date')
      .map((v) => ({ t: 'special', v })),
  },
);

/** A "nice" non-negative number spec, mostly valid, sometimes hostile. */
const dimensionSpec = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }).map((v) => ({ t: 'num', v: v / 4 })) },
  { weight: 2, arbitrary: numberSpec },
);

const STRING_PARTS = [
  '',
  'a',
  'Hello, ',
  '\u00e9',
  '\u{1f980}',
  '\0',
  '\ud800',
  '\udc00',
  '42',
  '-7',
  '2.5',
  ' ',
  'x'.repeat(5000),
];
const textArb = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...STRING_PARTS) }, { weight: 1, arbitrary: fc.string() }), {
    maxLength: 4,
  })
  .map((parts) => parts.join(''));

/** The options of an async sum: none, `{ transfer }`, a getter with a side effect, or something invalid. */
const asyncOptionsSpec = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ t: 'special', v: 'undefined' }) },
  { weight: 3, arbitrary: fc.boolean().map((transfer) => ({ t: 'options', transfer })) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('options'), transfer: fc.boolean(), action: actionArb }),
  },
  { weight: 1, arbitrary: fc.constantFrom(1, 'yes', null).map((transfer) => ({ t: 'options', transfer })) },
  { weight: 1, arbitrary: numberSpec },
);

/** A hostile value where a string is expected. */
const stringSpec = fc.oneof(
  { weight: 8, arbitrary: textArb.map((v) => ({ t: 'str', v })) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('strobj'),
      how: fc.constantFrom('boxed', 'toString', 'toPrimitive'),
      v: textArb,
      action: actionArb,
    }),
  },
  { weight: 1, arbitrary: numberSpec },
);

const TYPED_CTORS = [
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'Uint8Array',
  'Uint16Array',
  'BigUint64Array',
  'Buffer',
  'DataView',
];
const LIE_VALUES = [
  0,
  1,
  2,
  3,
  5,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 4,
  2 ** 53,
  1e300,
  -1,
  -8,
  0.5,
  NaN,
  'Uint32Array',
  'lie',
];
const LIE_PROPS = ['length', 'byteOffset', 'byteLength', 'buffer', 'BYTES_PER_ELEMENT', '@@toStringTag', 'constructor'];

const lieSpec = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom('own', 'getter'),
      prop: fc.constantFrom(...LIE_PROPS),
      val: fc.constantFrom(...LIE_VALUES, 'otherBuffer'),
      action: actionArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('proto'),
      to: fc.constantFrom('Uint32Array', 'Float32Array', 'Uint8Array', 'Int32Array', 'Array', 'Object', 'null'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('method'),
      name: fc.constantFrom('includes', 'subarray', 'slice', 'set', 'indexOf', '@@iterator', 'at', 'fill', 'every'),
      action: actionArb,
    }),
  },
);

/** A typed array (or DataView/Buffer) spec: element type, backing store, contents and lies. */
function typedSpec(ctors, opts = {}) {
  return fc.record({
    t: fc.constant('typed'),
    ctor: fc.constantFrom(...ctors),
    values: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.nat(50) },
        { weight: 1, arbitrary: fc.nat(0xffffffff) },
        { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 0xfffffffe, 0xffffffff) },
      ),
      { maxLength: opts.maxLength ?? 12 },
    ),
    text: fc.option(textArb, { nil: undefined }),
    pad: fc.nat(3),
    tail: fc.nat(3),
    backing: fc.constantFrom('plain', 'plain', 'plain', 'resizable', 'tracking', 'shared', 'growable'),
    before: fc.constantFrom('none', 'none', 'none', 'none', 'detach', 'shrink', 'half'),
    subclass: fc.boolean(),
    lies: fc.array(lieSpec, { maxLength: 3 }),
  });
}

/** A plain array spec: elements (each a number spec, maybe behind a getter with a side effect). */
function arraySpec(elem, opts = {}) {
  return fc.record({
    t: fc.constant('array'),
    elems: fc.array(elem, { minLength: opts.minLength ?? 0, maxLength: opts.maxLength ?? 10 }),
    getters: fc.array(
      fc.record({ index: fc.nat(12), action: actionArb, then: fc.option(numberSpec, { nil: undefined }) }),
      {
        maxLength: 2,
      },
    ),
    hugeLength: fc.constantFrom(undefined, undefined, undefined, undefined, 2 ** 32 - 1, 2 ** 31, 1e6),
    proto: fc.constantFrom(undefined, undefined, undefined, 'Uint32Array', 'null', 'Object'),
    proxy: fc.boolean(),
  });
}

const u32ElemSpec = fc.oneof(
  { weight: 10, arbitrary: fc.nat(100).map((v) => ({ t: 'num', v })) },
  { weight: 2, arbitrary: fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32 - 2, -0).map((v) => ({ t: 'num', v })) },
  { weight: 1, arbitrary: numberSpec },
);

/** Something passed where a Uint32Array or an array of numbers is expected. */
const u32ArgSpec = fc.oneof(
  { weight: 5, arbitrary: typedSpec(['Uint32Array', 'Uint32Array', 'Uint32Array', ...TYPED_CTORS]) },
  { weight: 3, arbitrary: arraySpec(u32ElemSpec) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('proxy'), target: typedSpec(['Uint32Array']), action: actionArb }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('arraylike'), length: fc.constantFrom(...LIE_VALUES) }) },
  { weight: 1, arbitrary: numberSpec },
);

/** Something passed where a Float32Array of x, y pairs is expected. */
const f32ArgSpec = fc.oneof(
  { weight: 6, arbitrary: typedSpec(['Float32Array', 'Float32Array', 'Float32Array', ...TYPED_CTORS]) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('proxy'), target: typedSpec(['Float32Array']), action: actionArb }),
  },
  { weight: 1, arbitrary: arraySpec(u32ElemSpec) },
  { weight: 1, arbitrary: numberSpec },
);

/** Something passed where a string or a Uint8Array of UTF-8 is expected. */
const textArgSpec = fc.oneof(
  { weight: 4, arbitrary: stringSpec },
  { weight: 4, arbitrary: typedSpec(['Uint8Array', 'Uint8Array', 'Buffer', ...TYPED_CTORS]) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('proxy'), target: typedSpec(['Uint8Array']), action: actionArb }),
  },
);

/** An object with fields, each maybe behind a getter that has a side effect or lies on its second read. */
function objectSpec(kindArb, fieldArbs) {
  return fc.record({
    t: fc.constant('object'),
    kind: kindArb,
    fields: fc.record(fieldArbs),
    getters: fc.array(
      fc.record({
        field: fc.constantFrom('kind', ...Object.keys(fieldArbs)),
        action: actionArb,
        then: fc.option(numberSpec, { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
    onProto: fc.boolean(),
    proxy: fc.boolean(),
    frozen: fc.boolean(),
  });
}

const TRIANGLES = [
  [3, 4, 5],
  [1, 1, 1],
  [2, 3, 5],
  [1, 1, 5],
  [0, 0, 0],
  [10, 6, 8],
];
const shapeSpec = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.oneof(
      objectSpec(fc.constant('circle'), { radius: dimensionSpec }),
      objectSpec(fc.constant('rectangle'), { width: dimensionSpec, height: dimensionSpec }),
      fc
        .tuple(fc.constantFrom(...TRIANGLES), fc.integer({ min: 1, max: 8 }), objectSpec(fc.constant('triangle'), {}))
        .map(([[a, b, c], k, o]) => ({
          ...o,
          fields: { a: { t: 'num', v: a * k }, b: { t: 'num', v: b * k }, c: { t: 'num', v: c * k } },
        })),
      objectSpec(fc.constant('triangle'), { a: dimensionSpec, b: dimensionSpec, c: dimensionSpec }),
      objectSpec(fc.constantFrom('hexagon', 'Circle', ''), { radius: dimensionSpec }),
    ),
  },
  { weight: 1, arbitrary: numberSpec },
);

const pointSpec = fc.oneof(
  { weight: 8, arbitrary: objectSpec(fc.constant(undefined), { x: dimensionSpec, y: numberSpec }) },
  { weight: 1, arbitrary: numberSpec },
);

const pairSpec = fc.oneof(
  { weight: 6, arbitrary: arraySpec(u32ElemSpec, { minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: typedSpec(['Uint32Array']) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('arraylike'), length: fc.constantFrom(2, 2 ** 32, -1, 'lie') }) },
  { weight: 1, arbitrary: numberSpec },
);

const predicateSpec = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('pred'),
      rule: fc.constantFrom('even', 'odd', 'gt10', 'all', 'none'),
      ret: fc.constantFrom('bool', 'bool', 'bool', 'truthy', 'promise', 'thenable'),
      actions: fc.array(fc.record({ at: fc.nat(6), action: actionArb }), { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: numberSpec },
);

// ---- Building values from specs ------------------------------------------------------------

const BPE = {
  Uint32Array: 4,
  Int32Array: 4,
  Float32Array: 4,
  Float64Array: 8,
  Uint8Array: 1,
  Uint16Array: 2,
  BigUint64Array: 8,
  Buffer: 1,
  DataView: 1,
};

/** Fills `buf` with a recognisable byte pattern, so that writes outside a view can be seen. */
function pattern(buf) {
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
}

function elementsOf(spec) {
  if (spec.text !== undefined && (spec.ctor === 'Uint8Array' || spec.ctor === 'Buffer')) {
    return Array.from(new TextEncoder().encode(spec.text));
  }
  return spec.values;
}

function buildTyped(spec, ctx) {
  const values = elementsOf(spec);
  const bpe = BPE[spec.ctor];
  const n = values.length;
  const total = (spec.pad + n + spec.tail) * bpe;
  const max = total * 2 + 64;
  let buf;
  switch (spec.backing) {
    case 'resizable':
    case 'tracking':
      buf = new ArrayBuffer(total, { maxByteLength: max });
      break;
    case 'shared':
      buf = new SharedArrayBuffer(total);
      break;
    case 'growable':
      buf = new SharedArrayBuffer(total, { maxByteLength: max });
      break;
    default:
      buf = new ArrayBuffer(total);
  }
  ctx.buffers.push(buf);
  pattern(buf);
  const offset = spec.pad * bpe;
  if (spec.ctor !== 'DataView') {
    const C = spec.ctor === 'Buffer' ? Uint8Array : globalThis[spec.ctor];
    const w = new C(buf, offset, n);
    for (let i = 0; i < n; i++) w[i] = spec.ctor === 'BigUint64Array' ? BigInt(values[i]) : values[i];
  }
  const tracking = spec.backing === 'tracking';
  let v;
  if (spec.ctor === 'Buffer') {
    v = tracking ? Buffer.from(buf, offset) : Buffer.from(buf, offset, n);
  } else {
    let C = globalThis[spec.ctor];
    if (spec.subclass) C = subclassWithLies(C, spec.lies, ctx);
    if (spec.ctor === 'DataView') v = tracking ? new C(buf, offset) : new C(buf, offset, n);
    else v = tracking ? new C(buf, offset) : new C(buf, offset, n);
  }
  if (!spec.subclass) for (const lie of spec.lies) applyLie(v, lie, ctx);
  else for (const lie of spec.lies) if (lie.k === 'proto' || lie.k === 'method') applyLie(v, lie, ctx);
  if (spec.before === 'detach') detach(buf);
  else if (spec.before === 'shrink' || spec.before === 'half') resize(buf, spec.before);
  return v;
}

function propKey(prop) {
  return prop === '@@toStringTag' ? Symbol.toStringTag : prop === '@@iterator' ? Symbol.iterator : prop;
}

function lieValue(lie, ctx) {
  if (lie.val === 'otherBuffer') {
    const b = new ArrayBuffer(1 << 12);
    ctx.buffers.push(b);
    return b;
  }
  return lie.val;
}

/** A subclass of `Base` whose own-property lies become prototype getters. */
function subclassWithLies(Base, lies, ctx) {
  class Lying extends Base {}
  for (const lie of lies) {
    if (lie.k !== 'own' && lie.k !== 'getter') continue;
    const value = lieValue(lie, ctx);
    Object.defineProperty(Lying.prototype, propKey(lie.prop), {
      configurable: true,
      get() {
        act(lie.action, ctx);
        return value;
      },
    });
  }
  return Lying;
}

function applyLie(v, lie, ctx) {
  switch (lie.k) {
    case 'own':
      Object.defineProperty(v, propKey(lie.prop), { configurable: true, value: lieValue(lie, ctx) });
      return;
    case 'getter': {
      const value = lieValue(lie, ctx);
      Object.defineProperty(v, propKey(lie.prop), {
        configurable: true,
        get() {
          act(lie.action, ctx);
          return value;
        },
      });
      return;
    }
    case 'proto':
      Object.setPrototypeOf(
        v,
        lie.to === 'null' ? null : lie.to === 'Array' ? Array.prototype : globalThis[lie.to].prototype,
      );
      return;
    case 'method':
      Object.defineProperty(v, propKey(lie.name), {
        configurable: true,
        value() {
          act(lie.action, ctx);
          return lie.name === 'includes' || lie.name === 'every' ? false : lie.name === 'indexOf' ? -1 : this;
        },
      });
      return;
    default:
      throw new Error(`unknown lie ${lie.k}`);
  }
}

function buildArray(spec, ctx) {
  const arr = spec.elems.map((e) => build(e, ctx));
  if (spec.hugeLength !== undefined) arr.length = spec.hugeLength;
  for (const g of spec.getters) {
    const index = g.index % Math.max(1, spec.elems.length);
    const d = Object.getOwnPropertyDescriptor(arr, index);
    if (d !== undefined && d.get !== undefined) continue; // one getter per element
    const first = d === undefined ? undefined : d.value;
    const then = g.then === undefined ? first : build(g.then, ctx);
    let reads = 0;
    Object.defineProperty(arr, index, {
      configurable: true,
      enumerable: true,
      get() {
        act(g.action, ctx);
        return reads++ === 0 ? first : then;
      },
    });
  }
  if (spec.proto !== undefined) {
    Object.setPrototypeOf(arr, spec.proto === 'null' ? null : globalThis[spec.proto].prototype);
  }
  return spec.proxy ? new Proxy(arr, {}) : arr;
}

function buildObject(spec, ctx) {
  const own = {};
  if (spec.kind !== undefined) own.kind = spec.kind;
  for (const [k, f] of Object.entries(spec.fields)) own[k] = build(f, ctx);
  for (const g of spec.getters) {
    const d = Object.getOwnPropertyDescriptor(own, g.field);
    if (d === undefined || d.get !== undefined) continue; // one getter per field
    const first = d.value;
    const then = g.then === undefined ? first : build(g.then, ctx);
    let reads = 0;
    Object.defineProperty(own, g.field, {
      configurable: true,
      enumerable: true,
      get() {
        act(g.action, ctx);
        return reads++ === 0 ? first : then;
      },
    });
  }
  let obj = own;
  if (spec.onProto) obj = Object.create(own);
  if (spec.frozen) Object.freeze(obj);
  if (spec.proxy) obj = new Proxy(obj, {});
  return obj;
}

function buildPrim(spec, ctx) {
  const { how, v, action } = spec;
  if (how === 'boxed') return new String(v);
  if (how === 'toPrimitive')
    return {
      [Symbol.toPrimitive]() {
        act(action, ctx);
        return v;
      },
    };
  return {
    [how]() {
      act(action, ctx);
      return v;
    },
  };
}

function buildPredicate(spec, ctx) {
  let calls = 0;
  const rules = {
    even: (n) => n % 2 === 0,
    odd: (n) => n % 2 === 1,
    gt10: (n) => n > 10,
    all: () => true,
    none: () => false,
  };
  return function predicate(n) {
    const k = calls++;
    for (const a of spec.actions) if (a.at === k) act(a.action, ctx);
    const r = rules[spec.rule](n);
    switch (spec.ret) {
      case 'truthy':
        return r ? { yes: 1 } : '';
      case 'promise':
        return Promise.resolve(r);
      case 'thenable':
        return { then: (resolve) => resolve(r) };
      default:
        return r;
    }
  };
}

/** Builds a fresh value from `spec` in `ctx`. */
function build(spec, ctx) {
  if (spec === null || typeof spec !== 'object' || spec.t === undefined) return spec; // plain data (an action, a flag)
  switch (spec.t) {
    case 'num':
    case 'bigint':
      return spec.v;
    case 'str':
      return spec.v;
    case 'prim':
      return buildPrim(spec, ctx);
    case 'strobj':
      return buildPrim(spec, ctx);
    case 'special':
      switch (spec.v) {
        case 'null':
          return null;
        case 'undefined':
          return undefined;
        case 'symbol':
          return Symbol('hostile');
        case 'fn':
          return () => 1;
        case 'obj':
          return {};
        case 'boxed':
          return new Number(1);
        case 'array1':
          return [1];
        default:
          return new Date(0);
      }
    case 'typed':
      return buildTyped(spec, ctx);
    case 'array':
      return buildArray(spec, ctx);
    case 'arraylike':
      return { length: spec.length, 0: 2, 1: 4 };
    case 'proxy': {
      const target = buildTyped(spec.target, ctx);
      return new Proxy(target, {
        get(t, k) {
          act(spec.action, ctx);
          const value = Reflect.get(t, k);
          return typeof value === 'function' ? value.bind(t) : value;
        },
      });
    }
    case 'object':
      return buildObject(spec, ctx);
    case 'pred':
      return buildPredicate(spec, ctx);
    case 'options':
      if (spec.action === undefined) return { transfer: spec.transfer };
      return {
        get transfer() {
          act(spec.action, ctx);
          return spec.transfer;
        },
      };
    default:
      throw new Error(`unknown spec ${spec.t}`);
  }
}

/** A fresh context for one world of one case. */
function newContext(api) {
  return { api, buffers: [], fired: [], reentryWrong: [], pending: [] };
}

/** JSON for specs (bigint, -0, NaN, ±Infinity, undefined made visible). */
function show(value) {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (Object.is(v, -0)) return '-0';
    if (v === undefined) return 'undefined';
    return v;
  });
}

module.exports = {
  fc,
  HostileError,
  typedTag,
  typedFacts,
  intrinsicSnapshot,
  bufferByteLength,
  isArray,
  act,
  build,
  newContext,
  show,
  detach,
  resize,
  approx,
  arbs: {
    action: actionArb,
    number: numberSpec,
    dimension: dimensionSpec,
    string: stringSpec,
    text: textArb,
    u32Arg: u32ArgSpec,
    f32Arg: f32ArgSpec,
    textArg: textArgSpec,
    shape: shapeSpec,
    point: pointSpec,
    pair: pairSpec,
    predicate: predicateSpec,
    asyncOptions: asyncOptionsSpec,
  },
};
