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
