// A finer recursion probe than test/construction.test.ts's (whose `new Array(pad)` changes no frame size): `pad`
// arguments pushed before each call move the overflow in 8-byte steps through every public function; then every
// live counter must be back at its baseline, and results right. Usage: node fine-probe.js [name]
// (points: -1 is expected, the point of `cases.translate` was made before the baseline and is freed at the end)
const api = require('../../dist');
const raw = require('../../dist/raw');
const counters = () => ({
  errors: raw.ffi_error_live_count(),
  strings: raw.rust_string_live_count(),
  points: raw.opaque_point_live_count(),
  arrays: raw.u32_array_live_count(),
});
function atEveryDepth(fn) {
  let ok = 0;
  for (let pad = 0; pad < 48; pad++) {
    const args = new Array(pad).fill(0);
    const shim = function () {
      return fn();
    };
    let done = 0;
    let wins = 0;
    const probe = (n) => {
      try {
        probe(n + 1);
      } catch (overflow) {
        if (wins < 3 && done < 2000) {
          done++;
          try {
            Reflect.apply(shim, null, args);
            ok++;
            wins++;
          } catch {
            // the overflow (or the function's own error) at this depth
          }
        }
        throw overflow;
      }
    };
    try {
      probe(0);
    } catch {
      // the overflow (or the function's own error) at this depth
    }
  }
  return ok;
}
const points = [];
const cases = {
  primesUpTo: () => api.primesUpTo(1000),
  primesUpToBig: () => api.primesUpTo(300000),
  describe: (() => {
    const p = new api.OpaquePoint(1, 2);
    return () => p.describe();
  })(),
  newPoint: () => {
    points.push(new api.OpaquePoint(1, 2));
  },
  free: () => {
    const p = new api.OpaquePoint(3, 4);
    try {
      p.free();
    } finally {
      if (!p.freed) points.push(p);
    }
  },
  dispose: () => {
    const p = new api.OpaquePoint(3, 4);
    try {
      p[Symbol.dispose]();
    } finally {
      if (!p.freed) points.push(p);
    }
  },
  translate: (() => {
    const p = new api.OpaquePoint(0, 0);
    points.push(p);
    return () => p.translate(1, 1);
  })(),
  concat: () => api.concatStrings('héllo', 'wörld'),
  concatBig: () => api.concatStrings('é'.repeat(40000), 'x'),
  countChars: () => api.countCharacters('héllo'),
  parse: () => api.parseNumber('12.5'),
  parseBad: () => {
    try {
      api.parseNumber('nope');
    } catch (e) {
      if (e.code === undefined) throw e;
    }
  },
  addChecked: () => {
    try {
      api.addChecked(2 ** 31 - 1, 1);
    } catch (e) {
      if (e.code !== 'ERR_FFI_OVERFLOW' && !(e instanceof api.FfiError)) throw e;
    }
  },
  countWhere: () => api.countWhere([1, 2, 3], (v) => v > 1),
  countWhereNested: () => api.countWhere([1, 2], () => api.countWhere([1], () => true) === 1),
  shapeArea: () => api.shapeArea({ kind: 'circle', radius: 2 }),
  scaleShape: () => api.scaleShape({ kind: 'rectangle', width: 2, height: 3 }, 2),
  flip: () => api.flipThings([1, 2]),
  pointT: () => api.pointTranslated({ x: 1, y: 2 }, 1, 1),
  Point: () => {
    const p = new api.Point(1, 2);
    p.translate(1, 1);
    return p.x;
  },
  sum: () => api.sumOfEven(new Uint32Array([2, 4])),
  sumBig: () => api.sumOfEvenBigInt([2, 4]),
};
const only = process.argv[2];
globalThis.keep = cases; // the closures own two points that must stay alive
const base = counters();
const out = {};
for (const [name, fn] of Object.entries(cases)) {
  if (only && name !== only) continue;
  const ok = atEveryDepth(fn);
  out[name] = ok;
}
for (const p of points) p.free();
cases.translate = null; // its point was freed with the rest
(async () => {
  for (let i = 0; i < 30; i++) {
    if (global.gc) global.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  const after = counters();
  const delta = {};
  for (const k of Object.keys(base)) if (after[k] !== base[k]) delta[k] = after[k] - base[k];
  // still working?
  const sanity = [
    api.primesUpTo(10).join(),
    api.concatStrings('a', 'b'),
    api.countWhere([1, 2], (v) => v > 1),
    new api.OpaquePoint(5, 6).x,
  ];
  console.log(JSON.stringify({ delta, sanity, ok: out }));
})();
