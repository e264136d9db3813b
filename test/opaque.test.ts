import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { OpaquePoint } from '../ts';
import { registrationCounts } from '../ts/opaque';
import * as raw from '../ts/raw';
import * as rawOpaque from '../ts/raw/opaque';

const live = (): number => raw.opaque_point_live_count();

describe('raw OpaquePoint functions', () => {
  it('run a full lifecycle', () => {
    const before = live();
    const h = raw.opaque_point_new(1, 2);
    expect(typeof h).toBe('bigint');
    expect(live()).toBe(before + 1);
    raw.opaque_point_translate(h, 0.5, -4);
    expect(raw.opaque_point_get(h)).toEqual({ x: 1.5, y: -2 });
    const out = new Float32Array([7, 7]);
    expect(raw.opaque_point_get_into(h, out)).toBe(true);
    expect([...out]).toEqual([1.5, -2]);
    expect(raw.opaque_point_get_into(h, null)).toBe(false);
    const s = raw.opaque_point_describe(h);
    try {
      expect(typeof s).toBe('bigint');
    } finally {
      raw.free_rust_string(s);
    }
    raw.opaque_point_free(h);
    expect(live()).toBe(before);
  });

  it('accept NULL everywhere', () => {
    const before = live();
    raw.opaque_point_translate(null, 1, 1);
    const p = raw.opaque_point_get(null);
    expect(p.x).toBeNaN();
    expect(p.y).toBeNaN();
    expect(raw.opaque_point_describe(null)).toBeNull();
    const out = new Float32Array([7, 7]);
    expect(raw.opaque_point_get_into(null, out)).toBe(false);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
    expect(raw.opaque_point_get_into(null, null)).toBe(false);
    raw.opaque_point_free(null);
    expect(live()).toBe(before);
  });
});

describe('OpaquePoint', () => {
  it('creates, reads, translates, describes and frees', () => {
    const before = live();
    const p = new OpaquePoint(1, 2);
    expect(live()).toBe(before + 1);
    expect(p.x).toBe(1);
    expect(p.y).toBe(2);
    expect(p.freed).toBe(false);
    expect(p.translate(0.5, -4)).toBe(p);
    expect(p.toJSON()).toEqual({ x: 1.5, y: -2 });
    expect(JSON.stringify(p)).toBe('{"x":1.5,"y":-2}');
    expect(p.describe()).toBe('OpaquePoint(1.5, -2)');
    p.free();
    expect(p.freed).toBe(true);
    expect(live()).toBe(before);
  });

  it('rounds coordinates to float', () => {
    const p = new OpaquePoint(0.1, 1e-50);
    try {
      expect(p.x).toBe(Math.fround(0.1));
      expect(p.y).toBe(0);
      expect(p.describe()).toBe('OpaquePoint(0.1, 0)'); // Rust prints the shortest float that round-trips
    } finally {
      p.free();
    }
  });

  it('describe() frees the Rust string it receives', () => {
    const strings = raw.rust_string_live_count();
    const p = new OpaquePoint(3, 4);
    for (let i = 0; i < 100; i++) expect(p.describe()).toBe('OpaquePoint(3, 4)');
    p.free();
    expect(raw.rust_string_live_count()).toBe(strings);
  });

  it('free() is idempotent and frees exactly once', () => {
    const before = live();
    const a = new OpaquePoint(1, 1);
    const b = new OpaquePoint(2, 2);
    a.free();
    a.free();
    a[Symbol.dispose]();
    expect(live()).toBe(before + 1);
    expect(b.x).toBe(2);
    b.free();
    expect(live()).toBe(before);
  });

  it('throws a clear Error after free(), before reaching Rust', () => {
    const p = new OpaquePoint(1, 2);
    p.free();
    const spies = [
      jest.spyOn(rawOpaque, 'opaque_point_get_into'),
      jest.spyOn(rawOpaque, 'opaque_point_translate'),
      jest.spyOn(rawOpaque, 'opaque_point_describe'),
      jest.spyOn(rawOpaque, 'opaque_point_free'),
    ];
    try {
      expect(() => p.x).toThrow(new Error('OpaquePoint.x: the point was freed'));
      expect(() => p.y).toThrow(new Error('OpaquePoint.y: the point was freed'));
      expect(() => p.translate(1, 1)).toThrow(new Error('OpaquePoint.translate: the point was freed'));
      expect(() => p.translate(NaN, 1)).toThrow(/translate: the point was freed/); // freed wins over bad arguments
      expect(() => p.describe()).toThrow(new Error('OpaquePoint.describe: the point was freed'));
      expect(() => p.toJSON()).toThrow(new Error('OpaquePoint.toJSON: the point was freed'));
      expect(() => JSON.stringify(p)).toThrow(new Error('OpaquePoint.toJSON: the point was freed'));
      p.free();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('reports a NULL or false from Rust (an internal panic) as an Error and leaks nothing', () => {
    const before = live();
    const strings = raw.rust_string_live_count();
    const create = jest.spyOn(rawOpaque, 'opaque_point_new_thread_owned').mockReturnValueOnce(null);
    try {
      expect(() => new OpaquePoint(1, 2)).toThrow(
        new Error('OpaquePoint: opaque_point_new_thread_owned returned NULL (an internal panic in Rust)'),
      );
    } finally {
      create.mockRestore();
    }
    const p = new OpaquePoint(1, 2);
    const describe = jest.spyOn(rawOpaque, 'opaque_point_describe').mockReturnValueOnce(null);
    try {
      expect(() => p.describe()).toThrow(
        new Error('OpaquePoint.describe: opaque_point_describe returned NULL (an internal panic in Rust)'),
      );
    } finally {
      describe.mockRestore();
    }
    expect(p.describe()).toBe('OpaquePoint(1, 2)');
    const get = jest.spyOn(rawOpaque, 'opaque_point_get_into').mockReturnValueOnce(false).mockReturnValueOnce(false);
    try {
      expect(() => p.x).toThrow(
        new Error('OpaquePoint.x: opaque_point_get_into found no point (an internal panic in Rust)'),
      );
      expect(() => p.toJSON()).toThrow(
        new Error('OpaquePoint.toJSON: opaque_point_get_into found no point (an internal panic in Rust)'),
      );
    } finally {
      get.mockRestore();
    }
    expect(p.toJSON()).toEqual({ x: 1, y: 2 });
    p.free();
    expect(live()).toBe(before);
    expect(raw.rust_string_live_count()).toBe(strings);
  });

  it('keeps the handle private', () => {
    const p = new OpaquePoint(1, 2);
    try {
      expect(Object.getOwnPropertyNames(p)).toEqual([]);
      expect(Object.getOwnPropertySymbols(p)).toEqual([]);
      expect(Object.keys(JSON.parse(JSON.stringify(p)))).toEqual(['x', 'y']);
      expect(Object.values(p)).toEqual([]);
    } finally {
      p.free();
    }
  });

  it('frees at the end of a using block, also when it throws', () => {
    const before = live();
    let escaped: OpaquePoint | undefined;
    {
      using p = new OpaquePoint(1, 2);
      escaped = p;
      expect(p.translate(1, 1).describe()).toBe('OpaquePoint(2, 3)');
      expect(live()).toBe(before + 1);
    }
    expect(escaped.freed).toBe(true);
    expect(live()).toBe(before);

    expect(() => {
      using q = new OpaquePoint(5, 5);
      escaped = q;
      throw new Error('boom');
    }).toThrow('boom');
    expect(escaped.freed).toBe(true);
    expect(live()).toBe(before);

    {
      using r = new OpaquePoint(0, 0);
      r.free(); // an explicit free inside the block: dispose is then a no-op
    }
    expect(live()).toBe(before);
  });

  it.each([
    ['NaN', NaN, RangeError],
    ['Infinity', Infinity, RangeError],
    ['-1e39', -1e39, RangeError],
    ['a string', '1', TypeError],
    ['undefined', undefined, TypeError],
    ['a bigint', 2n, TypeError],
  ])('refuses %s and leaks nothing', (_label, bad, ErrorClass) => {
    const before = live();
    /** `run` throws an `ErrorClass` whose message names the function and the argument. */
    const refuses = (run: () => unknown, where: RegExp): void => {
      expect(run).toThrow(ErrorClass);
      expect(run).toThrow(where);
    };
    refuses(() => new OpaquePoint(bad as number, 0), /^OpaquePoint: x must be /);
    refuses(() => new OpaquePoint(0, bad as number), /^OpaquePoint: y must be /);
    expect(live()).toBe(before);
    const p = new OpaquePoint(1, 2);
    refuses(() => p.translate(bad as number, 0), /^OpaquePoint\.translate: byX must be /);
    refuses(() => p.translate(0, bad as number), /^OpaquePoint\.translate: byY must be /);
    expect(p.toJSON()).toEqual({ x: 1, y: 2 });
    p.free();
    expect(live()).toBe(before);
  });

  it('agrees with a pure-JS model using Math.fround', () => {
    const n = fc.double({ noNaN: true, min: -1e30, max: 1e30 });
    fc.assert(
      fc.property(n, n, fc.array(fc.tuple(n, n), { maxLength: 10 }), (x, y, moves) => {
        using p = new OpaquePoint(x, y);
        let mx = Math.fround(x);
        let my = Math.fround(y);
        for (const [a, b] of moves) {
          p.translate(a, b);
          mx = Math.fround(mx + Math.fround(a));
          my = Math.fround(my + Math.fround(b));
        }
        expect(p.toJSON()).toEqual({ x: mx, y: my });
      }),
      { numRuns: 300 },
    );
  });
});

describe('OpaquePoint and the FinalizationRegistry, in this process', () => {
  // The same lifetimes as the next block's, on ts/ in jest's own process, where `make mutate` changes it.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  /** Collects garbage and lets the registry's callbacks run until `done()` (one round suffices), at most 20 rounds, then 3 more. */
  async function collectUntil(done: () => boolean): Promise<void> {
    for (let i = 0; i < 20 && !done(); i++) {
      gc();
      await turn();
    }
    for (let i = 0; i < 3; i++) {
      gc();
      await turn(); // the callbacks of points freed explicitly, which change no count
    }
  }

  /** `n` points made in one job (in a plain function: no reference survives in an async frame). */
  const make = (n: number, freeIf: (i: number) => boolean = () => false): OpaquePoint[] =>
    Array.from({ length: n }, (_, i) => {
      const p = new OpaquePoint(i, -i);
      if (freeIf(i)) p.free();
      return p;
    });

  /**
   * Spies on the raw calls that create and free points and keeps the set of live handles. A free of
   * a handle that is not live (freed twice, or read from another point's slot) is recorded and NOT
   * passed to Rust, so that such a regression fails an assertion instead of corrupting this process.
   */
  function ledger(): { wrong: string[]; counts: { created: number; freed: number }; restore: () => void } {
    const createRaw = rawOpaque.opaque_point_new_thread_owned;
    const freeRaw = rawOpaque.opaque_point_free;
    const handles = new Set<bigint>();
    const wrong: string[] = [];
    const counts = { created: 0, freed: 0 };
    const spies = [
      jest.spyOn(rawOpaque, 'opaque_point_new_thread_owned').mockImplementation((x, y) => {
        const handle = createRaw(x, y);
        if (handle !== null) {
          handles.add(handle);
          counts.created++;
        }
        return handle;
      }),
      jest.spyOn(rawOpaque, 'opaque_point_free').mockImplementation((handle) => {
        if (handle === null || handle === 0n) return; // NULL is a no-op in Rust too
        if (!handles.delete(handle)) {
          wrong.push(`${String(handle)} is not live`); // a double free, or a stale or wrong slot
          return;
        }
        counts.freed++;
        freeRaw(handle);
      }),
    ];
    return { wrong, counts, restore: () => spies.forEach((spy) => spy.mockRestore()) };
  }

  /**
   * Runs `body` (given the live count before it) under a {@link ledger}, then
   * waits until every point is freed and checks that each of the `created`
   * points was freed exactly once.
   */
  async function freedOnceEach(created: number, body: (base: number) => Promise<void>): Promise<void> {
    await collectUntil(() => true);
    const base = live();
    const l = ledger();
    try {
      await body(base);
      await collectUntil(() => live() === base);
      expect(l.wrong).toEqual([]);
      expect(live()).toBe(base);
      expect(l.counts).toEqual({ created, freed: created });
    } finally {
      l.restore();
    }
  }

  it('frees a forgotten point once, and never one freed after it was registered', async () => {
    await freedOnceEach(3, async (base) => {
      // Registered at the end of this job, in the first two slots (no slot is in use yet).
      const points = make(2);
      await turn();
      points[0].free(); // its registry record remains: its callback must find nothing to free
      new OpaquePoint(3, 3).free(); // freed before registration: it touches no slot
      expect(live()).toBe(base + 1);
      points.length = 0;
    });
  });

  it('frees thousands of forgotten points once each, its slots grown, reused while in use, and given back', async () => {
    await freedOnceEach(5000, async (base) => {
      // 3000 in one job: registered 1024 at a time as they wait, the rest at the end of the job. A
      // quarter is freed at once (never registered), a quarter at the end of the job (registered or
      // not), a quarter in the next job (registered).
      let points = make(3000, (i) => i % 4 === 0);
      for (let i = 1; i < 3000; i += 4) points[i].free();
      await turn();
      for (let i = 2; i < 3000; i += 4) points[i].free();
      const kept = points.filter((_, i) => i % 8 === 3);
      points = []; // 375 forgotten (i % 8 === 7), and 1637 records of registered points released
      await collectUntil(() => live() === base + 375);
      expect(live()).toBe(base + 375);
      kept.push(...make(2000)); // registered in the freed slots while 375 are still in use, then new ones
      await turn();
      expect(live()).toBe(base + 2375);
      kept.length = 0;
    });
  });

  it('gives its slot tables back once every record of a burst of forgotten points is gone', async () => {
    await collectUntil(() => true);
    const base = live();
    const before = process.memoryUsage().arrayBuffers;
    const points = make(1 << 17); // 1 MiB of handle slots and 512 KiB of free-slot stack at the peak
    await turn();
    expect(live()).toBe(base + (1 << 17));
    points.length = 0;
    await collectUntil(() => live() === base);
    expect(live()).toBe(base);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024);
  });

  it('keeps its slot tables bounded while a point stays registered, reusing the slots of forgotten ones', async () => {
    await collectUntil(() => true);
    const base = live();
    const anchor = make(1); // registered for the whole test: its slot stays in use
    await turn();
    const burst = async (): Promise<void> => {
      const points = make(1 << 15);
      await turn();
      points.length = 0;
      await collectUntil(() => live() === base + 1);
    };
    await burst();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 3; i++) await burst();
    expect(live()).toBe(base + 1);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(128 * 1024); // not 3 × 384 KiB more
    anchor[0].free();
  });

  it('registers only the points that outlive their job, with at most 1024 waiting', async () => {
    // The registry is a SafeFinalizationRegistry (its methods cannot be spied on, by design):
    // the module's own counts show what waits and what the registry holds.
    const base = registrationCounts().slots;
    const kept = new OpaquePoint(3, 4); // alone in its job
    expect(registrationCounts()).toEqual({ waiting: 1, slots: base }); // registered when the job ends
    await Promise.resolve();
    expect(registrationCounts()).toEqual({ waiting: 0, slots: base + 1 });
    kept.free();
    new OpaquePoint(1, 2).free(); // freed in the job that made it: never registered
    expect(registrationCounts().waiting).toBe(1);
    await Promise.resolve();
    expect(registrationCounts()).toEqual({ waiting: 0, slots: base + 1 }); // kept's slot waits for its callback

    const points = make(1024, (i) => i % 2 === 0);
    expect(registrationCounts()).toEqual({ waiting: 1024, slots: base + 1 });
    const last = new OpaquePoint(0, 0); // 1024 are waiting: those still alive are registered first
    expect(registrationCounts()).toEqual({ waiting: 1, slots: base + 1 + 512 });
    await Promise.resolve();
    expect(registrationCounts()).toEqual({ waiting: 0, slots: base + 1 + 513 });
    for (const p of [...points, last]) p.free();
  });
});

describe('OpaquePoint and the garbage collector', () => {
  const dist = path.resolve(__dirname, '..', 'dist');

  /** Runs `body` in `node --expose-gc` with `OpaquePoint` and `raw` from dist/; returns its last JSON line. */
  function runWithGc(body: string): Record<string, number> {
    if (!fs.existsSync(path.join(dist, 'index.js'))) {
      throw new Error(`${dist}/index.js is missing: run \`make\` (make test builds it before jest)`);
    }
    const script = `
      const { OpaquePoint } = require(${JSON.stringify(dist)});
      const raw = require(${JSON.stringify(path.join(dist, 'raw'))});
      const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
      async function collect(target) {
        for (let i = 0; i < 200 && raw.opaque_point_live_count() !== target; i++) {
          global.gc();
          await tick();
        }
      }
      (async () => { ${body} })().catch((err) => { console.error(err); process.exit(1); });
    `;
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const lines = child.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as Record<string, number>;
  }

  it('frees forgotten points through the FinalizationRegistry', () => {
    const r = runWithGc(`
      const base = raw.opaque_point_live_count();
      (() => { for (let i = 0; i < 5000; i++) new OpaquePoint(i, -i).translate(1, 1); })();
      const created = raw.opaque_point_live_count();
      await collect(base);
      console.log(JSON.stringify({ base, created, after: raw.opaque_point_live_count() }));
    `);
    expect(r.created).toBe(r.base + 5000);
    expect(r.after).toBe(r.base);
  });

  it('never frees twice: explicit frees unregister the finalizer', () => {
    const r = runWithGc(`
      const base = raw.opaque_point_live_count();
      // Registration is deferred to the end of the job or to every 1024 new points: free points on
      // both sides of it. In a plain function, so that no stale reference survives in the async frame.
      const half = (() => {
        const kept = [];
        for (let i = 0; i < 4000; i++) {
          const p = new OpaquePoint(i, i);
          if (i % 2 === 0) p.free(); else kept.push(p);
        }
        const count = raw.opaque_point_live_count();
        for (const p of kept.slice(0, 1000)) p.free();
        return count;
      })();
      await collect(base);
      const later = [];
      for (let i = 0; i < 10; i++) later.push(new OpaquePoint(i, i));
      await tick(); // registered by the microtask by now
      for (const p of later.slice(0, 5)) p.free();
      later.length = 0;
      await collect(base);
      // A double free would have crashed, or driven the count below base (it wraps as a size_t).
      for (let i = 0; i < 5; i++) { global.gc(); await tick(); }
      console.log(JSON.stringify({ base, half, after: raw.opaque_point_live_count() }));
    `);
    expect(r.half).toBe(r.base + 2000);
    expect(r.after).toBe(r.base);
  });

  it('frees a single forgotten point created by itself', () => {
    const r = runWithGc(`
      const base = raw.opaque_point_live_count();
      (() => { new OpaquePoint(1, 2); })();
      const created = raw.opaque_point_live_count();
      await collect(base);
      console.log(JSON.stringify({ base, created, after: raw.opaque_point_live_count() }));
    `);
    expect(r.created).toBe(r.base + 1);
    expect(r.after).toBe(r.base);
  });
});
