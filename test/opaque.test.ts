import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { OpaquePoint } from '../ts';
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
      jest.spyOn(rawOpaque, 'opaque_point_get'),
      jest.spyOn(rawOpaque, 'opaque_point_translate'),
      jest.spyOn(rawOpaque, 'opaque_point_describe'),
      jest.spyOn(rawOpaque, 'opaque_point_free'),
    ];
    try {
      expect(() => p.x).toThrow(new Error('OpaquePoint.x: the point was freed'));
      expect(() => p.y).toThrow(/freed/);
      expect(() => p.translate(1, 1)).toThrow(/translate: the point was freed/);
      expect(() => p.translate(NaN, 1)).toThrow(/freed/); // freed wins over bad arguments
      expect(() => p.describe()).toThrow(/freed/);
      expect(() => p.toJSON()).toThrow(/freed/);
      expect(() => JSON.stringify(p)).toThrow(/freed/);
      p.free();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
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
    expect(() => new OpaquePoint(bad as number, 0)).toThrow(ErrorClass);
    expect(() => new OpaquePoint(0, bad as number)).toThrow(ErrorClass);
    expect(live()).toBe(before);
    const p = new OpaquePoint(1, 2);
    expect(() => p.translate(bad as number, 0)).toThrow(ErrorClass);
    expect(() => p.translate(0, bad as number)).toThrow(ErrorClass);
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
