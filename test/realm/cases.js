/**
 * The patched-realm test's cases: every public function of the package
 * root (sync, async, with callbacks, Point, OpaquePoint with free, dispose
 * and GC), each with fixed arguments and the outcome of its plain-JS model.
 *
 * A case's `prepare(api)` builds the arguments and computes the expected
 * outcome *before* the patch is installed; `run(c)` is all that runs while
 * the patch is in place (one public call, or for a class one object's
 * life: construct, use, free), and uses no built-in itself; `check(c, got)`
 * (after the patch is removed) compares with the model. Expected errors are
 * `{ code }`: any Error with a string `code` is accepted as the documented
 * outcome ("the correct result or a coded error"), and the user's own
 * exception (a predicate that throws) must come back as that very value.
 */
'use strict';

// ---- Plain-JS models ------------------------------------------------------------------------------
const f32 = Math.fround;
const f32bits = (x) => new Uint32Array(Float32Array.of(x).buffer)[0];
const bitsf32 = (b) => new Float32Array(Uint32Array.of(b >>> 0).buffer)[0];
const evenSum = (a) => Array.from(a).reduce((s, v) => (v % 2 === 0 ? s + v : s), 0);
function primes(limit) {
  const composite = new Uint8Array(limit + 1);
  const out = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return Uint32Array.from(out);
}
const STATUS = ['OK', 'NULL_ARGUMENT', 'INVALID_UTF8', 'INVALID_ARGUMENT', 'BUFFER_TOO_SMALL', 'OVERFLOW', 'PANIC'];

/** Deep equality of a result with the model: own keys, values, typed array contents and types. */
function same(got, want) {
  if (typeof want !== 'object' || want === null) return Object.is(got, want) || (got === 0 && want === 0);
  if (typeof got !== 'object' || got === null) return false;
  if (ArrayBuffer.isView(want)) {
    return (
      ArrayBuffer.isView(got) &&
      Object.prototype.toString.call(got) === Object.prototype.toString.call(want) &&
      got.length === want.length &&
      want.every((v, i) => Object.is(got[i], v))
    );
  }
  if (Array.isArray(want) !== Array.isArray(got)) return false;
  const keys = Object.keys(want);
  const gotKeys = Object.keys(got);
  if (gotKeys.length !== keys.length || !keys.every((k) => gotKeys.includes(k))) return false;
  // Own data properties only: an inherited accessor must not supply a field.
  return keys.every((k) => {
    const d = Object.getOwnPropertyDescriptor(got, k);
    return d !== undefined && 'value' in d && same(d.value, want[k]);
  });
}

class UserError extends Error {}

/** Captured: a case's run uses no global (a patched global `Symbol` must not break the harness). */
const DISPOSE = Symbol.dispose;

const OK = (value) => ({ value });
const ERR = (code) => ({ error: code });

/**
 * The cases, by name. `fn` is the public export exercised (the coverage
 * check: every export has a case). `async` cases return a Promise.
 */
const CASES = [
  {
    name: 'addInRust',
    fn: 'addInRust',
    prepare: (api) => ({ api, expected: OK((2 ** 31 - 1 + 5) | 0) }),
    run: (c) => c.api.addInRust(2 ** 31 - 1, 5),
  },
  {
    name: 'addChecked',
    fn: 'addChecked',
    prepare: (api) => ({ api, expected: OK(-7 + 3) }),
    run: (c) => c.api.addChecked(-7, 3),
  },
  {
    name: 'addChecked-overflow',
    fn: 'addChecked',
    prepare: (api) => ({ api, expected: ERR('ERR_FFI_OVERFLOW') }),
    run: (c) => c.api.addChecked(2 ** 31 - 1, 1),
  },
  {
    name: 'isCodedError',
    fn: 'isCodedError',
    prepare: (api) => {
      let thrown;
      try {
        api.addChecked(2 ** 31 - 1, 1);
      } catch (e) {
        thrown = e;
      }
      return { api, thrown, expected: OK(true) };
    },
    run: (c) => c.api.isCodedError(c.thrown),
  },
  {
    name: 'isCodedError-not',
    fn: 'isCodedError',
    prepare: (api) => ({ api, expected: OK(false) }),
    run: (c) => c.api.isCodedError({ code: 'ERR_OUT_OF_RANGE', message: 'a plain object' }),
  },
  {
    name: 'addInRust-type',
    fn: 'addInRust',
    prepare: (api) => ({ api, expected: ERR('ERR_INVALID_ARG_TYPE') }),
    run: (c) => c.api.addInRust('1', 2),
  },
  {
    name: 'concatStrings',
    fn: 'concatStrings',
    prepare: (api) => ({ api, a: 'héllo, ', b: 'wörld 😀', expected: OK('héllo, ' + 'wörld 😀') }),
    run: (c) => c.api.concatStrings(c.a, c.b),
  },
  {
    name: 'concatStrings-surrogate',
    fn: 'concatStrings',
    prepare: (api) => ({ api, expected: ERR('ERR_INVALID_ARG_VALUE') }),
    run: (c) => c.api.concatStrings('\ud800', 'x'),
  },
  {
    name: 'countCharacters',
    fn: 'countCharacters',
    prepare: (api) => ({ api, expected: OK([...'añb😀'].length) }),
    run: (c) => c.api.countCharacters('añb😀'),
  },
  {
    name: 'countCharacters-bytes',
    fn: 'countCharacters',
    prepare: (api) => ({ api, bytes: new TextEncoder().encode('añb😀'), expected: OK([...'añb😀'].length) }),
    run: (c) => c.api.countCharacters(c.bytes),
  },
  {
    name: 'parseNumber-int',
    fn: 'parseNumber',
    prepare: (api) => ({ api, expected: OK({ kind: 'left', value: -42 }) }),
    run: (c) => c.api.parseNumber('-42'),
  },
  {
    name: 'parseNumber-float',
    fn: 'parseNumber',
    prepare: (api) => ({ api, expected: OK({ kind: 'right', value: f32(4.5) }) }),
    run: (c) => c.api.parseNumber('4.5'),
  },
  {
    name: 'parseNumber-bad-utf8',
    fn: 'parseNumber',
    prepare: (api) => ({ api, bytes: new Uint8Array([0x31, 0xff]), expected: ERR('ERR_FFI_INVALID_UTF8') }),
    run: (c) => c.api.parseNumber(c.bytes),
  },
  {
    name: 'floatToBits',
    fn: 'floatToBits',
    prepare: (api) => ({ api, expected: OK(f32bits(1.5)) }),
    run: (c) => c.api.floatToBits(1.5),
  },
  {
    name: 'bitsToFloat',
    fn: 'bitsToFloat',
    prepare: (api) => ({ api, expected: OK(bitsf32(0x40490fdb)) }),
    run: (c) => c.api.bitsToFloat(0x40490fdb),
  },
  {
    name: 'statusName',
    fn: 'statusName',
    prepare: (api) => ({ api, expected: OK(STATUS[5]) }),
    run: (c) => c.api.statusName(5),
  },
  {
    name: 'FfiError',
    assembled: true,
    fn: 'FfiError',
    prepare: (api) => ({ api, expected: OK({ code: 'ERR_FFI_OVERFLOW', status: 'OVERFLOW', statusCode: 5 }) }),
    run: (c) => {
      const e = new c.api.FfiError(5, 'op');
      return { code: e.code, status: e.status, statusCode: e.statusCode };
    },
  },
  {
    name: 'Point',
    assembled: true,
    fn: 'Point',
    prepare: (api) => ({
      api,
      expected: OK({ x: f32(1.5) + 3, y: f32(f32(-2) + f32(0.25)), text: 'Point(4.5, -1.75)' }),
    }),
    run: (c) => {
      const p = new c.api.Point(1.5, -2).translate(3, 0.25);
      return { x: p.x, y: p.y, text: p.toString() };
    },
  },
  {
    name: 'Point.at',
    fn: 'Point',
    prepare: (api) => {
      const path = new Float32Array([0, 0, 1, 1]);
      return { api, path, expected: OK([0, 0, 2, 3]) };
    },
    run: (c) => {
      c.api.Point.at(c.path, 1).translate(1, 2);
      return c.path;
    },
    // The path is read after the patch is removed.
    result: (c) => Array.from(c.path),
  },
  {
    name: 'Point.toJSON',
    fn: 'Point',
    prepare: (api) => ({ api, expected: OK({ x: 1, y: 2 }) }),
    run: (c) => new c.api.Point(1, 2).toJSON(),
  },
  {
    name: 'pointTranslated',
    fn: 'pointTranslated',
    prepare: (api) => ({ api, p: { x: 1, y: 2 }, expected: OK({ x: f32(1 + 0.5), y: f32(2 - 4) }) }),
    run: (c) => c.api.pointTranslated(c.p, 0.5, -4),
  },
  {
    name: 'translatePoints',
    fn: 'translatePoints',
    prepare: (api) => ({ api, pts: new Float32Array([1, 2, 3, 4]), expected: OK([11, 22, 13, 24]) }),
    run: (c) => c.api.translatePoints(c.pts, 10, 20),
    result: (c, got) => (got === c.pts ? Array.from(c.pts) : { notTheArgument: true }),
  },
  {
    name: 'OpaquePoint-free',
    assembled: true,
    fn: 'OpaquePoint',
    prepare: (api) => ({
      api,
      expected: OK({ x: 4, y: 6, json: { x: 4, y: 6 }, text: 'OpaquePoint(4, 6)', freed: true }),
    }),
    run: (c) => {
      const p = new c.api.OpaquePoint(1, 2);
      p.translate(3, 4);
      const x = p.x;
      const y = p.y;
      const json = p.toJSON();
      const text = p.describe();
      p.free();
      p.free();
      return { x, y, json, text, freed: p.freed };
    },
  },
  {
    name: 'OpaquePoint-dispose',
    assembled: true,
    fn: 'OpaquePoint',
    prepare: (api) => ({ api, expected: OK({ x: -1, freed: true }) }),
    run: (c) => {
      const p = new c.api.OpaquePoint(-1, 0);
      const x = p.x;
      p[DISPOSE]();
      return { x, freed: p.freed };
    },
  },
  {
    name: 'OpaquePoint-after-free',
    fn: 'OpaquePoint',
    prepare: (api) => ({ api, expected: ERR('ERR_FFI_FREED') }),
    run: (c) => {
      const p = new c.api.OpaquePoint(1, 1);
      p.free();
      return p.translate(1, 1);
    },
  },
  {
    // Dropped without free(): the FinalizationRegistry must free it (checked by the live count after GC).
    name: 'OpaquePoint-gc',
    fn: 'OpaquePoint',
    gc: true,
    prepare: (api) => ({ api, expected: OK(7) }),
    run: (c) => new c.api.OpaquePoint(7, 8).x,
  },
  {
    name: 'shapeArea-triangle',
    fn: 'shapeArea',
    prepare: (api) => ({ api, s: { kind: 'triangle', a: 3, b: 4, c: 5 }, expected: OK(6) }),
    run: (c) => c.api.shapeArea(c.s),
  },
  {
    name: 'shapeArea-circle',
    fn: 'shapeArea',
    prepare: (api) => ({ api, s: { kind: 'circle', radius: 2 }, expected: OK(Math.PI * 4) }),
    run: (c) => c.api.shapeArea(c.s),
  },
  {
    name: 'scaleShape',
    fn: 'scaleShape',
    prepare: (api) => ({
      api,
      s: { kind: 'rectangle', width: 2, height: 3 },
      expected: OK({ kind: 'rectangle', width: 5, height: 7.5 }),
    }),
    run: (c) => c.api.scaleShape(c.s, 2.5),
  },
  {
    name: 'flipThings',
    fn: 'flipThings',
    prepare: (api) => ({ api, pair: [1, 2 ** 32 - 1], expected: OK([2 ** 32 - 1, 1]) }),
    run: (c) => c.api.flipThings(c.pair),
  },
  {
    name: 'sumOfEven-array',
    fn: 'sumOfEven',
    prepare: (api) => ({ api, a: [1, 2, 3, 4, 6], expected: OK(evenSum([1, 2, 3, 4, 6])) }),
    run: (c) => c.api.sumOfEven(c.a),
  },
  {
    name: 'sumOfEven-typed',
    fn: 'sumOfEven',
    prepare: (api) => {
      const a = new Uint32Array([8, 1, 2, 3, 4]).subarray(1);
      return { api, a, expected: OK(6) };
    },
    run: (c) => c.api.sumOfEven(c.a),
  },
  {
    name: 'sumOfEven-range',
    fn: 'sumOfEven',
    prepare: (api) => ({ api, a: [1, -1], expected: ERR('ERR_OUT_OF_RANGE') }),
    run: (c) => c.api.sumOfEven(c.a),
  },
  {
    name: 'sumOfEvenBigInt',
    fn: 'sumOfEvenBigInt',
    prepare: (api) => ({ api, a: new Uint32Array([2, 4, 5]), expected: OK(6n) }),
    run: (c) => c.api.sumOfEvenBigInt(c.a),
  },
  {
    name: 'primesUpTo',
    fn: 'primesUpTo',
    prepare: (api) => ({ api, expected: OK(primes(100)) }),
    run: (c) => c.api.primesUpTo(100),
  },
  {
    name: 'countWhere',
    fn: 'countWhere',
    prepare: (api) => ({ api, a: [1, 2, 3, 4, 5], expected: OK(3) }),
    run: (c) => c.api.countWhere(c.a, (n) => n % 2 === 1),
  },
  {
    name: 'countWhere-typed',
    fn: 'countWhere',
    prepare: (api) => ({ api, a: new Uint32Array([5, 10, 15, 20]), expected: OK(2) }),
    run: (c) => c.api.countWhere(c.a, (n) => n > 10),
  },
  {
    // A predicate that calls countWhere again (re-entry) and sums the inner counts.
    name: 'countWhere-nested',
    fn: 'countWhere',
    prepare: (api) => ({ api, a: [1, 2, 3], inner: [4, 5, 6, 7], expected: OK(3) }),
    run: (c) => c.api.countWhere(c.a, (n) => c.api.countWhere(c.inner, (m) => m % 2 === n % 2) === 2),
  },
  {
    name: 'countWhere-throws',
    fn: 'countWhere',
    prepare: (api) => {
      const e = new UserError('predicate threw');
      return { api, a: [1, 2, 3], e, expected: { user: e } };
    },
    run: (c) =>
      c.api.countWhere(c.a, (n) => {
        if (n === 2) throw c.e;
        return true;
      }),
  },
  {
    name: 'sumOfEvenAsync',
    fn: 'sumOfEvenAsync',
    async: true,
    prepare: (api) => ({ api, a: [2, 3, 4, 10], expected: OK(16) }),
    run: (c) => c.api.sumOfEvenAsync(c.a),
  },
  {
    name: 'sumOfEvenAsync-copy',
    fn: 'sumOfEvenAsync',
    async: true,
    prepare: (api) => ({ api, a: new Uint32Array([1, 1, 1, 2]), opts: { transfer: false }, expected: OK(2) }),
    run: (c) => c.api.sumOfEvenAsync(c.a, c.opts),
  },
  {
    name: 'sumOfEvenAsync-transfer',
    fn: 'sumOfEvenAsync',
    async: true,
    prepare: (api) => ({
      api,
      a: new Uint32Array([2, 2, 7]),
      opts: { transfer: true },
      expected: OK({ sum: 4, numbers: new Uint32Array([2, 2, 7]) }),
    }),
    run: (c) => c.api.sumOfEvenAsync(c.a, c.opts),
  },
  {
    name: 'sumOfEvenBigIntAsync',
    fn: 'sumOfEvenBigIntAsync',
    async: true,
    prepare: (api) => ({ api, a: new Uint32Array([6, 6, 1]), expected: OK(12n) }),
    run: (c) => c.api.sumOfEvenBigIntAsync(c.a),
  },
  {
    name: 'primesUpToAsync',
    fn: 'primesUpToAsync',
    async: true,
    // Resolves with a built-in object (a Uint32Array): an inherited `then` is consulted (see EXCLUSIONS).
    builtinResult: true,
    prepare: (api) => ({ api, expected: OK(primes(1000)) }),
    run: (c) => c.api.primesUpToAsync(1000),
  },
  {
    name: 'primesUpToAsync-range',
    fn: 'primesUpToAsync',
    async: true,
    prepare: (api) => ({ api, expected: ERR('ERR_OUT_OF_RANGE') }),
    run: (c) => c.api.primesUpToAsync(-1),
  },
];

/** Judges `got` ({ value } or { thrown }) against the case's expected outcome; undefined if right. */
function judge(c, got) {
  const want = c.expected;
  if ('thrown' in got) {
    const e = got.thrown;
    if (want.user !== undefined && e === want.user) return undefined;
    if (e instanceof Error && typeof e.code === 'string' && e.code.startsWith('ERR_')) return undefined;
    return 'uncoded-error';
  }
  if (want.value === undefined) return 'value-where-error-expected';
  return same(got.value, want.value) ? undefined : 'wrong-result';
}

/**
 * Field names of the public API's results, errors and argument objects (every
 * case run unpatched: own keys of what it returns or throws, and of the
 * objects it passes), with one sample value each; every member name of the
 * koffi structs and unions the raw layer declares; and `then`.
 */
async function fieldNames(api, raw, koffi) {
  const fields = Object.create(null);
  const walk = (v, depth) => {
    if (typeof v !== 'object' || v === null || depth > 3 || ArrayBuffer.isView(v)) return;
    for (const k of Object.keys(v)) {
      if (!(Array.isArray(v) && /^\d+$/.test(k)) && !(k in fields)) fields[k] = v[k];
      walk(v[k], depth + 1);
    }
  };
  for (const c of CASES) {
    const ctx = c.prepare(api);
    for (const k of Object.keys(ctx)) if (k !== 'api' && k !== 'expected') walk(ctx[k], 1);
    let out;
    try {
      out = await c.run(ctx);
    } catch (e) {
      out = e;
    }
    // Results the harness assembles itself (Point, OpaquePoint, FfiError) are walked one level down only.
    if (c.assembled) for (const k of Object.keys(out)) walk(out[k], 1);
    else walk(out, 0);
  }
  for (const v of Object.values(raw)) {
    let t;
    try {
      t = koffi.type(v);
    } catch {
      continue;
    }
    for (const m of Object.keys((t && t.members) || {})) if (!(m in fields)) fields[m] = 0;
  }
  fields.then = undefined;
  return fields;
}

module.exports = { CASES, judge, same, fieldNames, UserError };
