/**
 * Issue 11, class 3: an async call owns its input until it settles. By
 * default it copies the array before returning its Promise, so whatever the
 * caller does next (write, resize, detach or transfer the buffer, let it be
 * collected) cannot change the result or reach freed memory. `{ transfer:
 * true }` moves the buffer instead: the caller's view is detached until the
 * Promise settles, and the result hands the array back. Each case runs in a
 * child process.
 */
import { inChild, TYPE } from './child';

const FUNCTIONS = [
  ['sumOfEvenAsync', (n: number): unknown => n],
  ['sumOfEvenBigIntAsync', (n: number): unknown => ({ bigint: String(n) })],
] as const;

/** What the caller does right after the call returned its Promise, with `a` (and `b`, its buffer). */
const ATTACKS = [
  ['writes the array', `a.fill(1);`],
  [
    'transfers the buffer with structuredClone, collects it and allocates',
    `structuredClone(a.buffer, { transfer: [a.buffer] }); gc(); gc(); for (let i = 0; i < 64; i++) new Uint8Array(1 << 20).fill(7);`,
  ],
  ['shrinks its resizable buffer to 0 and grows it back', `b.resize(0); b.resize(b.maxByteLength);`],
  ['writes it from the SharedArrayBuffer side', `new Uint32Array(b).fill(1);`],
] as const;

const SETUPS: Record<string, string> = {
  'writes the array': `const a = new Uint32Array(1 << 20).fill(2); const b = a.buffer;`,
  'transfers the buffer with structuredClone, collects it and allocates': `const a = new Uint32Array(1 << 20).fill(2); const b = a.buffer;`,
  'shrinks its resizable buffer to 0 and grows it back': `const b = new ArrayBuffer(4 << 20, { maxByteLength: 4 << 20 }); const a = new Uint32Array(b).fill(2);`,
  'writes it from the SharedArrayBuffer side': `const b = new SharedArrayBuffer(4 << 20); const a = new Uint32Array(b).fill(2);`,
};

describe.each(FUNCTIONS)('class 3: %s copies its input before returning', (fn, result) => {
  it.each(ATTACKS)('the caller %s: the result is the sum of the array at call time', (title, attack) => {
    const r = inChild(
      `
      ${SETUPS[title]}
      const pending = [];
      for (let k = 0; k < 8; k++) { pending.push(settle(() => api.${fn}(a))); }
      ${attack}
      done(await Promise.all(pending));
    `,
      { nodeArgs: ['--expose-gc'] },
    );
    expect(r).toEqual(Array(8).fill({ ok: result(2 << 20) }));
  });

  it('a plain array whose elements change after the call is summed as it was', () => {
    const r = inChild(`
      const a = [2, 4, 6];
      const p = settle(() => api.${fn}(a));
      a[0] = 1; a.length = 0;
      done(await p);
    `);
    expect(r).toEqual({ ok: result(12) });
  });

  it('invalid arguments reject (never throw synchronously) with the documented code', () => {
    const r = inChild(`
      const out = [];
      for (const bad of [new Int32Array(2), new Proxy(new Uint32Array(2), {}), { length: 2 }, 'x']) {
        let threw = false;
        let p;
        try { p = api.${fn}(bad); } catch { threw = true; }
        out.push({ threw, settled: threw ? null : await outcomeAsync(p) });
      }
      done(out);
    `);
    expect(r).toEqual(Array(4).fill({ threw: false, settled: TYPE }));
  });
});

describe.each(FUNCTIONS)('class 3: %s with { transfer: true } moves the buffer, visibly', (fn, result) => {
  it("detaches the caller's buffer until the Promise settles, then hands the same window back", () => {
    const r = inChild(`
      const whole = new Uint32Array(1 << 20).fill(2);
      const a = whole.subarray(16, (1 << 20) - 16);
      const p = api.${fn}(a, { transfer: true });
      const during = { length: a.length, byteLength: whole.buffer.byteLength };
      // The caller cannot write into what Rust reads: the views are empty (index writes go nowhere).
      for (let i = 0; i < 1 << 20; i += 4096) whole[i] = 1;
      const settled = await p;
      const back = settled.numbers;
      done({
        during,
        sum: ${fn === 'sumOfEvenAsync' ? 'settled.sum' : 'String(settled.sum)'},
        back: { tag: Object.prototype.toString.call(back), length: back.length, byteOffset: back.byteOffset, first: back[0], last: back[back.length - 1] },
        after: { length: a.length },
      });
    `);
    const n = (1 << 20) - 32;
    expect(r).toEqual({
      during: { length: 0, byteLength: 0 },
      sum: fn === 'sumOfEvenAsync' ? 2 * n : String(2 * n),
      back: { tag: '[object Uint32Array]', length: n, byteOffset: 64, first: 2, last: 2 },
      after: { length: 0 },
    });
    void result;
  });

  it('refuses to transfer what cannot be transferred, without detaching anything', () => {
    const r = inChild(`
      const shared = new Uint32Array(new SharedArrayBuffer(16));
      const plain = [2, 4];
      const out = [];
      for (const bad of [shared, plain]) out.push(await settle(() => api.${fn}(bad, { transfer: true })));
      out.push(shared.length, plain.length);
      done(out);
    `);
    expect(r).toEqual([
      {
        error: expect.objectContaining({
          cls: 'TypeError',
          code: expect.stringMatching(/^ERR_INVALID_ARG_(TYPE|VALUE)$/),
        }),
      },
      {
        error: expect.objectContaining({
          cls: 'TypeError',
          code: expect.stringMatching(/^ERR_INVALID_ARG_(TYPE|VALUE)$/),
        }),
      },
      4,
      2,
    ]);
  });

  it('an options getter that detaches the array runs once, before the array is read', () => {
    const r = inChild(`
      const a = new Uint32Array([2, 4, 6]);
      let reads = 0;
      const options = { get transfer() { reads++; detach(a.buffer); return false; } };
      done({ r: await settle(() => api.${fn}(a, options)), reads });
    `);
    // The array is detached when it is read: it has no elements (a sum of 0), or is refused as such.
    const { r: got, reads } = r as { r: unknown; reads: number };
    expect(reads).toBe(1);
    expect([{ ok: result(0) }, 'refused']).toContainEqual(
      typeof got === 'object' && got !== null && 'error' in got
        ? (got as { error: { cls: string; code: string } }).error.cls === 'TypeError' &&
          /^ERR_INVALID_ARG_(TYPE|VALUE)$/.test((got as { error: { code: string } }).error.code)
          ? 'refused'
          : got
        : got,
    );
  });
});

describe('class 3: primesUpToAsync under collection pressure', () => {
  it('many calls in flight while the caller allocates and collects all return the right primes', () => {
    const r = inChild(
      `
      const calls = [];
      for (let k = 0; k < 64; k++) calls.push(api.primesUpToAsync(1000 + k));
      for (let i = 0; i < 16; i++) { new Uint8Array(1 << 20).fill(1); gc(); }
      const got = await Promise.all(calls);
      const model = (n) => { const out = []; for (let i = 2; i <= n; i++) { let p = true; for (let d = 2; d * d <= i; d++) if (i % d === 0) { p = false; break; } if (p) out.push(i); } return out; };
      done(got.every((g, k) => g instanceof Uint32Array && g.join() === model(1000 + k).join()));
    `,
      { nodeArgs: ['--expose-gc'] },
    );
    expect(r).toBe(true);
  });
});

/**
 * Issue 20: a realm patched after load. The async functions run on built-ins
 * captured at load, never throw synchronously, and hand back results that no
 * inherited `then` can hijack. Each case runs in a child process; the patch
 * is active only while the package runs, and the outcomes are observed
 * through a `then` captured before it.
 */
describe('class 3: the async functions in a realm patched after load', () => {
  /** Patches installed around each call; the outcome is read with the intrinsic then. */
  const PRELUDE = `
    const then = Function.prototype.call.bind(Promise.prototype.then);
    const observe = (p) => new Promise((resolve) => then(p, (v) => resolve({ ok: serialize(v) }), (e) => resolve({ error: describeError(e) })));
    const run = (patch, unpatch, f) => {
      let threw = false;
      let p;
      patch();
      try { p = f(); } catch { threw = true; } finally { unpatch(); }
      return threw ? Promise.resolve('threw synchronously') : observe(p);
    };
    const CALLS = {
      sum: () => api.sumOfEvenAsync(new Uint32Array([1, 2, 3, 4])),
      sumPlain: () => api.sumOfEvenAsync([2, 4]),
      bigint: () => api.sumOfEvenBigIntAsync(new Uint32Array([2, 4])),
      transfer: () => api.sumOfEvenAsync(new Uint32Array([2, 4, 6]), { transfer: true }),
      primes: () => api.primesUpToAsync(30),
      primesLarge: () => api.primesUpToAsync(700000),
    };
    const EXPECTED = {
      sum: { ok: 6 }, sumPlain: { ok: 6 }, bigint: { ok: { bigint: '6' } },
      transfer: { ok: { sum: 6 + 6, numbers: { typed: 'Uint32Array', values: [2, 4, 6] } } },
      primes: { ok: { typed: 'Uint32Array', values: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29] } },
    };
  `;

  it('Function.prototype.call/apply/bind and Array.prototype index accessors that throw: right results, no synchronous throw', () => {
    const r = inChild(`${PRELUDE}
      const saved = {};
      const names = ['call', 'apply', 'bind'];
      const patch = () => {
        for (const n of names) { saved[n] = Function.prototype[n]; Function.prototype[n] = function () { throw new UserError(n); }; }
        for (let i = 0; i < 256; i++) Object.defineProperty(Array.prototype, i, { configurable: true, get() { throw new UserError('get ' + i); }, set() { throw new UserError('set ' + i); } });
        for (const m of ['pop', 'push', 'shift']) { saved[m] = Array.prototype[m]; Array.prototype[m] = function () { throw new UserError(m); }; }
      };
      const unpatch = () => {
        for (const n of names) Function.prototype[n] = saved[n];
        for (let i = 0; i < 256; i++) delete Array.prototype[i];
        for (const m of ['pop', 'push', 'shift']) Array.prototype[m] = saved[m];
      };
      const out = {};
      for (const k of Object.keys(CALLS)) out[k] = await run(patch, unpatch, CALLS[k]);
      out.primesLarge = out.primesLarge.ok ? out.primesLarge.ok.values.length : out.primesLarge;
      done(out);
    `);
    expect(r).toMatchObject({ ...expectedResults(), primesLarge: 56_543 });
  });

  it('an inherited then (Object.prototype, Uint32Array.prototype) cannot hijack a result', () => {
    const r = inChild(`${PRELUDE}
      let asked = 0;
      const hijack = { configurable: true, get() { asked++; return (resolve) => resolve('forged'); } };
      const patch = () => {
        Object.defineProperty(Object.prototype, 'then', hijack);
        Object.defineProperty(Uint32Array.prototype, 'then', hijack);
      };
      const unpatch = () => { delete Object.prototype.then; delete Uint32Array.prototype.then; };
      // The patch stays while the calls settle: that is when a then would be looked up.
      const out = {};
      for (const k of Object.keys(CALLS)) {
        patch();
        let p;
        try { p = CALLS[k](); } finally { /* kept until settled */ }
        const seen = await new Promise((resolve) => then(p, (v) => { unpatch(); resolve({ ok: serialize(v) }); }, (e) => { unpatch(); resolve({ error: describeError(e) }); }));
        out[k] = seen;
      }
      out.primesLarge = out.primesLarge.ok ? out.primesLarge.ok.values.length : out.primesLarge;
      done({ out, asked });
    `);
    expect(r).toMatchObject({ out: { ...expectedResults(), primesLarge: 56_543 }, asked: 0 });
  });
});

function expectedResults(): Record<string, unknown> {
  return {
    sum: { ok: 6 },
    sumPlain: { ok: 6 },
    bigint: { ok: { bigint: '6' } },
    transfer: { ok: { sum: 12, numbers: { typed: 'Uint32Array', values: [2, 4, 6] } } },
    primes: { ok: { typed: 'Uint32Array', values: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29] } },
  };
}

describe('class 3: { transfer: true } really detaches, or refuses with ERR_INVALID_ARG_VALUE', () => {
  it('a detached buffer, a view of Node.js’s Buffer pool and a WebAssembly.Memory buffer are refused and left as they were', () => {
    const r = inChild(`
      const detachedView = new Uint32Array(4);
      detach(detachedView.buffer);
      const pooled = Buffer.from('abcdefgh'); // a slice of Node.js's shared pool, which cannot be transferred
      const poolView = new Uint32Array(pooled.buffer, pooled.byteOffset, 2);
      const wasm = new Uint32Array(new WebAssembly.Memory({ initial: 1 }).buffer, 0, 4);
      const out = [];
      for (const v of [detachedView, poolView, wasm]) {
        const before = v.buffer.byteLength;
        out.push({ r: await settle(() => api.sumOfEvenAsync(v, { transfer: true })), kept: v.buffer.byteLength === before });
      }
      const empty = new Uint32Array(0); // an empty buffer that is not detached: moved
      const e = await settle(() => api.sumOfEvenAsync(empty, { transfer: true }));
      done({ out, empty: e, emptyDetached: (() => { try { new Uint8Array(empty.buffer); return false; } catch { return true; } })() });
    `);
    const refused = {
      r: { error: expect.objectContaining({ cls: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }) },
      kept: true,
    };
    expect(r).toEqual({
      out: [refused, refused, refused],
      empty: { ok: { sum: 0, numbers: { typed: 'Uint32Array', values: [] } } },
      emptyDetached: true,
    });
  });
});
