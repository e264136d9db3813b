/**
 * Safe by construction (issue 20): what ts/primordials.ts, private state and
 * the package's own result objects buy, case by case. Cases that patch
 * built-ins or exhaust the stack run in child processes (they used to crash,
 * return wrong results or leak), after the package is loaded: patches made
 * after the first require are in scope.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { countWhere, OpaquePoint, Point, pointTranslated, shapeArea } from '../ts';
import * as raw from '../ts/raw';
import { expectArgError, thrownBy } from './fixtures/arg-errors';

/** The package under test; CONSTRUCTION_PACKAGE points the children at another build (e.g. before the fix). */
const ROOT = process.env.CONSTRUCTION_PACKAGE ?? path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** Runs `body` (a function body using `api` and `raw`) in a child node and returns what it returned. */
function inChild(body: string, nodeArgs: string[] = []): unknown {
  const script = `
const api = require(${JSON.stringify(DIST)});
const raw = require(${JSON.stringify(path.join(DIST, 'raw'))});
const describeError = (e) => ({ name: e && e.name, code: e && e.code, message: String(e && e.message) });
Promise.resolve((async () => { ${body} })()).then(
  (value) => process.stdout.write(JSON.stringify({ value })),
  (e) => process.stdout.write(JSON.stringify({ error: describeError(e) })),
);`;
  const child = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0 || child.signal !== null) {
    throw new Error(`the child died (status ${child.status}, signal ${child.signal}):\n${child.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(child.stdout);
}

describe('results are objects of the package, never koffi struct objects', () => {
  /** Installs an accessor (getter 42 or 9, setter that drops the write) for each name on Object.prototype, around `body`. */
  const PATCH = `
    const patched = (names, value, body) => {
      for (const name of names) {
        Object.defineProperty(Object.prototype, name, { get: () => value, set() {}, configurable: true });
      }
      try { return body(); } finally { for (const name of names) delete Object.prototype[name]; }
    };
    const shape = (o) => ({ proto: Object.getPrototypeOf(o) === Object.prototype, own: Object.getOwnPropertyNames(o) });`;

  it('an accessor for x/y on Object.prototype changes neither pointTranslated nor OpaquePoint (was 42)', () => {
    expect(
      inChild(`${PATCH}
        const p = new api.OpaquePoint(1, 2).translate(0.5, 0.25);
        const got = patched(['x', 'y'], 42, () => {
          const moved = api.pointTranslated({ x: 1, y: 2 }, 0.5, 0.5);
          const json = p.toJSON();
          return {
            moved: shape(moved), movedJson: JSON.stringify(moved),
            x: p.x, y: p.y, json: shape(json), stringified: JSON.stringify(p),
          };
        });
        p.free();
        return { ...got, live: raw.opaque_point_live_count() };`),
    ).toEqual({
      value: {
        moved: { proto: true, own: ['x', 'y'] },
        movedJson: '{"x":1.5,"y":2.5}',
        x: 1.5,
        y: 2.25,
        json: { proto: true, own: ['x', 'y'] },
        stringified: '{"x":1.5,"y":2.25}',
        live: 0,
      },
    });
  });

  it('an accessor for _0/_1 on Object.prototype does not change flipThings (was [9, 1])', () => {
    expect(
      inChild(`${PATCH}
        return patched(['_0', '_1'], 9, () => {
          const flipped = api.flipThings([1, 2]);
          return { flipped, array: Array.isArray(flipped), own: Object.getOwnPropertyNames(flipped) };
        });`),
    ).toEqual({ value: { flipped: [2, 1], array: true, own: ['0', '1', 'length'] } });
  });

  it('accessors for x, y, _0, _1 that throw reach none of them', () => {
    expect(
      inChild(`
        const p = new api.OpaquePoint(3, 4);
        for (const name of ['x', 'y', '_0', '_1']) {
          Object.defineProperty(Object.prototype, name, {
            get() { throw new Error('getter ' + name); }, set() { throw new Error('setter ' + name); }, configurable: true,
          });
        }
        try {
          return [p.x, p.y, p.toJSON(), api.pointTranslated({ x: 1, y: 2 }, 1, 1), api.flipThings([5, 6])];
        } finally {
          for (const name of ['x', 'y', '_0', '_1']) delete Object.prototype[name];
          p.free();
        }`),
    ).toEqual({ value: [3, 4, { x: 3, y: 4 }, { x: 2, y: 3 }, [6, 5]] });
  });

  it('without such properties the results are right and have only own data properties', () => {
    const p = new OpaquePoint(1, 2);
    try {
      expect(p.toJSON()).toEqual({ x: 1, y: 2 });
      expect(Object.getPrototypeOf(p.toJSON())).toBe(Object.prototype);
    } finally {
      p.free();
    }
    expect(pointTranslated({ x: 1, y: 2 }, 1, 1)).toEqual({ x: 2, y: 3 });
  });
});

describe('private state: patched Array.prototype and FinalizationRegistry.prototype reach nothing', () => {
  it('OpaquePoint registers each point once whatever push, iterators and register do (no double free, no stale slot)', () => {
    expect(
      inChild(
        `
        const base = raw.opaque_point_live_count();
        const saved = {
          push: Array.prototype.push,
          iterator: Array.prototype[Symbol.iterator],
          register: FinalizationRegistry.prototype.register,
        };
        Array.prototype.push = function (...items) { saved.push.apply(this, items); return saved.push.apply(this, items); };
        Array.prototype[Symbol.iterator] = function* () { yield* saved.iterator.call(this); yield* saved.iterator.call(this); };
        FinalizationRegistry.prototype.register = function (target, held) {
          saved.register.call(this, target, held);
          saved.register.call(this, target, 0);
        };
        let kept = [];
        // In a function of its own: no dropped point stays in the async function's frame.
        const make = () => {
          for (let i = 0; i < 3000; i++) {
            const p = new api.OpaquePoint(i, i);
            if (i % 3 === 0) p.free();
            else if (i % 3 === 1) kept[kept.length] = p;
          }
        };
        try {
          make();
          await new Promise((resolve) => setTimeout(resolve, 0));
        } finally {
          Array.prototype.push = saved.push;
          Array.prototype[Symbol.iterator] = saved.iterator;
          FinalizationRegistry.prototype.register = saved.register;
        }
        for (let round = 0; round < 20 && raw.opaque_point_live_count() > base + 1000; round++) {
          globalThis.gc();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const alive = kept.every((p, i) => p.x === 3 * i + 1 && !p.freed);
        const afterGc = raw.opaque_point_live_count() - base;
        for (const p of kept) p.free();
        kept = null;
        return { alive, afterGc, end: raw.opaque_point_live_count() - base };`,
        ['--expose-gc'],
      ),
    ).toEqual({ value: { alive: true, afterGc: 1000, end: 0 } });
  });

  it("countWhere's private copy never comes from an Array.prototype index getter", () => {
    expect(
      inChild(`
        const buffer = new ArrayBuffer(16, { maxByteLength: 16 });
        const forged = new Uint32Array(buffer);
        for (const key of ['0', '1', '2']) {
          Object.defineProperty(Array.prototype, key, { get: () => forged, set() {}, configurable: true });
        }
        try {
          const outer = api.countWhere([1, 2, 3], (v) => {
            buffer.resize(0); // would shrink the copy Rust borrows, if it were this view
            return api.countWhere(new Uint32Array([v, v + 1]), (w) => w % 2 === 0) > 0;
          });
          return outer;
        } finally {
          for (const key of ['0', '1', '2']) delete Array.prototype[key];
        }`),
    ).toEqual({ value: 3 });
  });
});

describe('coded errors for foreign receivers and revoked Proxies', () => {
  it.each([
    ['OpaquePoint.translate', () => OpaquePoint.prototype.translate.call({}, 1, 1)],
    ['OpaquePoint.x', () => Reflect.get(OpaquePoint.prototype, 'x', Object.create(OpaquePoint.prototype))],
    ['OpaquePoint.describe', () => OpaquePoint.prototype.describe.call(null)],
    ['OpaquePoint.free', () => OpaquePoint.prototype.free.call(new Proxy(new OpaquePoint(0, 0), {}))],
    ['Point.x', () => Reflect.get(Point.prototype, 'x', {})],
    ['Point.translate', () => Point.prototype.translate.call(Object.create(Point.prototype), 1, 1)],
    ['Point.toJSON', () => Point.prototype.toJSON.call(undefined)],
  ])('%s on a foreign receiver: TypeError ERR_INVALID_THIS', (fn, run) => {
    expectArgError(thrownBy(run), fn, 'ERR_INVALID_THIS', /^this must be an? (OpaquePoint|Point), got /);
  });

  it('a revoked Proxy as pointTranslated or shapeArea argument, or as a predicate result', () => {
    const { proxy, revoke } = Proxy.revocable({ x: 1, y: 2, kind: 'circle', radius: 1 }, {});
    revoke();
    expectArgError(
      thrownBy(() => pointTranslated(proxy as never, 1, 1)),
      'pointTranslated',
      'ERR_INVALID_ARG_TYPE',
      'point must be an object with x and y, got a Proxy',
    );
    expectArgError(
      thrownBy(() => shapeArea(proxy as never)),
      'shapeArea',
      'ERR_INVALID_ARG_TYPE',
      'shape must be an object with a kind, got a Proxy',
    );
    expectArgError(
      thrownBy(() => countWhere([1], () => proxy as never)),
      'countWhere',
      'ERR_INVALID_RETURN_VALUE',
      'predicate must return a value, not a revoked Proxy',
    );
  });
});

describe('no allocation of an array-sized copy before its elements are checked (issue 23 item 2)', () => {
  it.each([2 ** 31, 2 ** 32 - 1])('a sparse array of length %d is refused at its first hole', (length) => {
    expect(
      inChild(`
        const sparse = [];
        sparse.length = ${length};
        const before = process.memoryUsage().arrayBuffers;
        const codes = [];
        for (const run of [() => api.sumOfEven(sparse), () => api.sumOfEvenBigInt(sparse), () => api.countWhere(sparse, () => true)]) {
          try { run(); } catch (e) { codes.push([e.code, e.message]); }
        }
        return { codes, grew: process.memoryUsage().arrayBuffers - before < 1 << 20 };`),
    ).toEqual({
      value: {
        codes: [
          ['ERR_INVALID_ARG_TYPE', 'sumOfEven: numbers[0] must be a number (uint32), got undefined'],
          ['ERR_INVALID_ARG_TYPE', 'sumOfEvenBigInt: numbers[0] must be a number (uint32), got undefined'],
          ['ERR_INVALID_ARG_TYPE', 'countWhere: numbers[0] must be a number (uint32), got undefined'],
        ],
        grew: true,
      },
    });
  });

  it('copies arrays longer than the first chunk exactly', () => {
    expect(
      inChild(`
        const big = Array.from({ length: 200_001 }, (_, i) => i);
        return [api.sumOfEven(big), api.countWhere(big, (v) => v % 3 === 0)];`),
    ).toEqual({ value: [10_000_100_000, 66_667] });
  });
});

describe('module instances share one error object per realm', () => {
  it('a new module registry adds no live error object', () => {
    const before = raw.ffi_error_live_count();
    for (let i = 0; i < 5; i++) {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('../ts')>('../ts');
        expect(() => fresh.addChecked(2 ** 31 - 1, 1)).toThrow('addChecked: ');
      });
    }
    expect(raw.ffi_error_live_count()).toBe(before);
  });

  it('instances of one library share its handle; an instance that loaded another library file never takes it', () => {
    const shared = jest.requireActual<typeof import('../ts/status')>('../ts/status').syncError;
    expect(typeof shared).toBe('bigint');
    // A fresh instance of this copy: the same library path, the same handle.
    jest.isolateModules(() => {
      expect(jest.requireActual<typeof import('../ts/status')>('../ts/status').syncError).toBe(shared);
    });
    // A second copy of the package, simulated: its raw layer names another
    // library file (the same file is loaded here, so the handle it makes is
    // usable, and counted). It must make its own object, not take `shared`,
    // and instances of that copy share the new one.
    const before = raw.ffi_error_live_count();
    const otherPath = path.join(path.dirname(raw.libraryPath), 'elsewhere', path.basename(raw.libraryPath));
    let other: bigint | null = null;
    for (let i = 0; i < 2; i++) {
      jest.isolateModules(() => {
        jest.doMock('../ts/raw/library', () => ({
          ...jest.requireActual<typeof import('../ts/raw/library')>('../ts/raw/library'),
          libraryPath: otherPath,
        }));
        const status = jest.requireActual<typeof import('../ts/status')>('../ts/status');
        const api = jest.requireActual<typeof import('../ts')>('../ts');
        expect(status.syncError).not.toBe(shared);
        expect(typeof status.syncError).toBe('bigint');
        if (i === 0) other = status.syncError;
        else expect(status.syncError).toBe(other);
        // Its failures carry their reasons through its own object.
        expect(() => api.addChecked(2 ** 31 - 1, 2)).toThrow('addChecked: 2147483647 + 2 = 2147483649 does not fit');
        expect(String(raw.ffi_error_message(shared))).not.toContain('2147483649');
      });
    }
    jest.dontMock('../ts/raw/library');
    // One more live object (thread-owned: freed when this thread exits), whatever the number of instances.
    expect(raw.ffi_error_live_count()).toBe(before + 1);
  });
});

describe('stack exhaustion at any point leaks nothing', () => {
  /**
   * A recursion probe: `fn` runs at every depth from the deepest the stack
   * allows up, with frames of several sizes, so a RangeError lands at each
   * call inside it in turn.
   */
  const PROBE = `
    function atEveryDepth(fn) {
      for (const pad of [0, 1, 2, 3, 5, 8, 13, 21]) {
        let done = 0;
        const probe = (n) => {
          const frame = new Array(pad); // a frame size that varies with pad
          try {
            probe(n + 1);
          } catch (overflow) {
            // On the way up, one frame more room each time, until fn has completed 20 times.
            if (done < 20) { try { fn(frame); done++; } catch {} }
            throw overflow;
          }
        };
        try { probe(0); } catch {}
      }
    }`;

  it('new OpaquePoint / free(): every point is freed once, none leaks (collected or freed)', () => {
    expect(
      inChild(
        `${PROBE}
        const base = raw.opaque_point_live_count();
        const points = [];
        for (let i = 0; i < 1000; i++) points[i] = new api.OpaquePoint(i, i);
        let next = 0;
        atEveryDepth(() => {
          const p = points[next];
          try { p.free(); } finally { if (p.freed) next++; }
        });
        for (const p of points) p.free(); // the rest; a point the probe freed is not freed twice
        const afterFree = raw.opaque_point_live_count() - base;
        (() => { atEveryDepth(() => { new api.OpaquePoint(3, 4); }); })(); // dropped at once
        for (let round = 0; round < 50 && raw.opaque_point_live_count() !== base; round++) {
          globalThis.gc();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { probed: next, afterFree, afterGc: raw.opaque_point_live_count() - base };`,
        ['--expose-gc'],
      ),
    ).toEqual({ value: { probed: 160, afterFree: 0, afterGc: 0 } });
  });

  it('primesUpTo and describe(): no Rust array or string outlives the probe', () => {
    expect(
      inChild(`${PROBE}
        const arrays = raw.u32_array_live_count();
        const strings = raw.rust_string_live_count();
        atEveryDepth(() => api.primesUpTo(1000));
        atEveryDepth(() => api.primesUpTo(200_000));
        const p = new api.OpaquePoint(1, 2);
        atEveryDepth(() => p.describe());
        const text = p.describe(); // frees what a describe() at the edge of the stack parked
        p.free();
        return { arrays: raw.u32_array_live_count() - arrays, strings: raw.rust_string_live_count() - strings, text };`),
    ).toEqual({ value: { arrays: 0, strings: 0, text: 'OpaquePoint(1, 2)' } });
  });
});
