/**
 * Issue 11, class 2: user code that runs during a call (a predicate, a
 * getter) cannot change what Rust is using. Every argument is read into
 * locals before native work; a call that runs user code while Rust holds a
 * borrow lends only memory the user cannot reach; scratch buffers survive
 * re-entry. Each case runs in a child process and asserts the result computed
 * from the arguments as they were when the call began.
 */
import { inChild, RANGE, TYPE } from './child';

describe('class 2: countWhere with a predicate that attacks the array', () => {
  it.each([
    [
      'shrinks its resizable buffer to 0',
      `const b = new ArrayBuffer(1 << 18, { maxByteLength: 1 << 19 }); const a = new Uint32Array(b); a.fill(3); a[1] = 4;
       const attack = () => { if (b.byteLength) b.resize(0); };`,
    ],
    [
      'grows its resizable buffer (the view tracks it)',
      `const b = new ArrayBuffer(1 << 18, { maxByteLength: 64 << 20 }); const a = new Uint32Array(b); a.fill(3); a[1] = 4;
       const attack = () => { b.resize(64 << 20); };`,
    ],
    [
      'transfers its buffer with structuredClone, then allocates',
      `const a = new Uint32Array(1 << 16).fill(3); a[1] = 4;
       const attack = () => { if (a.length) { structuredClone(a.buffer, { transfer: [a.buffer] }); gc(); for (let i = 0; i < 64; i++) new ArrayBuffer(1 << 16); } };`,
    ],
    [
      'writes into the array Rust iterates',
      `const a = new Uint32Array(1 << 16).fill(3); a[1] = 4;
       const attack = () => { a.fill(4); };`,
    ],
  ])('%s: the predicate sees, and the count is, the values of the array when the call began', (_title, setup) => {
    const r = inChild(
      `
      ${setup}
      const n = a.length;
      let calls = 0, evens = 0;
      const result = outcome(() => api.countWhere(a, (v) => { calls++; if (calls === 1) attack(); if (v % 2 === 0) evens++; return v % 2 === 0; }));
      done({ result, calls, evens, n });
    `,
      { nodeArgs: ['--expose-gc'] },
    );
    expect(r).toEqual({ result: { ok: 1 }, calls: 1 << 16, evens: 1, n: 1 << 16 });
  });

  it('a predicate that calls countWhere and sumOfEven on the same array gets correct answers', () => {
    const r = inChild(`
      const a = new Uint32Array([1, 2, 3, 4, 5, 6]);
      const inner = [];
      const result = outcome(() => api.countWhere(a, (v) => {
        inner.push(api.countWhere(a, (w) => w > v), api.sumOfEven(a));
        return v > 3;
      }));
      done({ result, inner });
    `);
    expect(r).toEqual({ result: { ok: 3 }, inner: [5, 12, 4, 12, 3, 12, 2, 12, 1, 12, 0, 12] });
  });

  it('a predicate that throws stops the count and its exception comes back unchanged', () => {
    const r = inChild(`
      const seen = [];
      const result = outcome(() => api.countWhere([1, 2, 3], (v) => { seen.push(v); if (v === 2) throw new UserError('stop'); return true; }));
      done({ result, seen });
    `);
    expect(r).toEqual({ result: { error: expect.objectContaining({ user: true, message: 'stop' }) }, seen: [1, 2] });
  });

  it('a plain array whose element getter re-enters the library is copied once, in index order', () => {
    const r = inChild(`
      const a = [2, 0, 4];
      let reads = 0;
      Object.defineProperty(a, 1, { get() { reads++; api.sumOfEven([10, 20]); api.countWhere([1], () => true); return 6; } });
      done({ sum: outcome(() => api.sumOfEven(a)), count: outcome(() => api.countWhere(a, (v) => v > 3)), reads });
    `);
    expect(r).toEqual({ sum: { ok: 12 }, count: { ok: 2 }, reads: 2 });
  });
});

describe('class 2: getters on object arguments run before any native work', () => {
  it('shapeArea: a getter that calls shapeArea does not overwrite the outer shape', () => {
    const r = inChild(`
      const rect = { kind: 'rectangle', width: 3, get height() { api.shapeArea({ kind: 'circle', radius: 1 }); return 4; } };
      const tri = { kind: 'triangle', a: 3, get b() { api.scaleShape({ kind: 'rectangle', width: 100, height: 100 }, 2); return 4; }, c: 5 };
      done([outcome(() => api.shapeArea(rect)), outcome(() => api.shapeArea(tri))]);
    `);
    expect(r).toEqual([{ ok: 12 }, { ok: 6 }]);
  });

  it('scaleShape: a getter that calls scaleShape and shapeArea does not change the result', () => {
    const r = inChild(`
      const shape = { get kind() { api.scaleShape({ kind: 'triangle', a: 30, b: 40, c: 50 }, 3); return 'circle'; },
                      get radius() { api.shapeArea({ kind: 'rectangle', width: 9, height: 9 }); return 2; } };
      done(outcome(() => api.scaleShape(shape, 1.5)));
    `);
    expect(r).toEqual({ ok: { kind: 'circle', radius: 3 } });
  });

  it('a `kind` that changes between reads is read once', () => {
    const r = inChild(`
      let n = 0;
      const shape = { get kind() { return n++ === 0 ? 'circle' : 'rectangle'; }, radius: 1, width: 1e300, height: 1e300 };
      done({ area: outcome(() => api.shapeArea(shape)), reads: n });
    `);
    expect(r).toEqual({ area: { ok: Math.PI }, reads: 1 });
  });

  it('a dimension that is valid on the first read and negative on the second is read once', () => {
    const r = inChild(`
      let n = 0;
      const shape = { kind: 'circle', get radius() { return n++ === 0 ? 2 : -1; } };
      done({ scaled: outcome(() => api.scaleShape(shape, 2)), reads: n });
    `);
    expect(r).toEqual({ scaled: { ok: { kind: 'circle', radius: 4 } }, reads: 1 });
  });

  it('pointTranslated: getters that re-enter and lie on the second read are read once', () => {
    const r = inChild(`
      let reads = 0;
      const p = {
        get x() { reads++; api.pointTranslated({ x: 100, y: 100 }, 1, 1); return reads === 1 ? 1 : NaN; },
        get y() { reads++; api.translatePoints(new Float32Array([5, 5]), 1, 1); return 2; },
      };
      done({ r: outcome(() => api.pointTranslated(p, 0.5, 0.5)), reads });
    `);
    expect(r).toEqual({ r: { ok: { x: 1.5, y: 2.5 } }, reads: 2 });
  });

  it('flipThings: a getter that empties the pair reads the rest as it is then (a defined TypeError)', () => {
    const r = inChild(`
      const pair = [1, 2];
      Object.defineProperty(pair, 0, { get() { pair.length = 1; return 1; } });
      const ok = [3, 4];
      Object.defineProperty(ok, 0, { get() { api.flipThings([7, 8]); return 3; } });
      done([outcome(() => api.flipThings(pair)), outcome(() => api.flipThings(ok))]);
    `);
    expect(r).toEqual([TYPE, { ok: [4, 3] }]);
  });
});

describe('class 2: user code between calls', () => {
  it('a Point viewing a Float32Array whose buffer is then detached or shrunk refuses to translate', () => {
    const r = inChild(`
      const f = new Float32Array([1, 2, 3, 4]);
      const p = api.Point.at(f, 1);
      detach(f.buffer);
      const b = new ArrayBuffer(16, { maxByteLength: 64 }); const g = new Float32Array(b); g.set([1, 2, 3, 4]);
      const q = api.Point.at(g, 1);
      b.resize(8);
      const own = new api.Point(1, 2);
      detach(own.storage.buffer);
      done([outcome(() => p.translate(1, 1)), outcome(() => q.translate(1, 1)), outcome(() => own.translate(1, 1))]);
    `);
    expect(r).toEqual([RANGE, RANGE, RANGE]);
  });

  it("a Point's storage with an own `length` still translates the real pair", () => {
    const r = inChild(`
      const p = new api.Point(1, 2);
      Object.defineProperty(p.storage, 'length', { value: 2 ** 31 });
      done(outcome(() => p.translate(1, 1).toJSON()));
    `);
    expect(r).toEqual({ ok: { x: 2, y: 3 } });
  });
});

describe('class 2: no argument is coerced (valueOf, toString and Symbol.toPrimitive never run)', () => {
  /** Each call gets `h`, an object whose coercion hooks throw; every one must be a TypeError ERR_INVALID_ARG_TYPE. */
  const CALLS = [
    'api.addInRust(h, 1)',
    'api.addChecked(1, h)',
    'api.floatToBits(h)',
    'api.bitsToFloat(h)',
    'new api.Point(h, 0)',
    'new api.Point(0, 0).translate(0, h)',
    '(() => { const p = new api.Point(0, 0); p.x = h; })()',
    'api.Point.at(new Float32Array(2), h)',
    'api.pointTranslated({ x: h, y: 0 }, 0, 0)',
    'api.pointTranslated({ x: 0, y: 0 }, h, 0)',
    'api.translatePoints(new Float32Array(2), 0, h)',
    'new api.OpaquePoint(h, 0)',
    '(() => { const p = new api.OpaquePoint(0, 0); try { p.translate(h, 0); } finally { p.free(); } })()',
    "api.shapeArea({ kind: 'circle', radius: h })",
    "api.scaleShape({ kind: 'circle', radius: 1 }, h)",
    'api.shapeArea({ kind: h, radius: 1 })',
    'api.primesUpTo(h)',
    'api.flipThings([h, 1])',
    'api.sumOfEven([2, h])',
    'api.countWhere([h], () => true)',
    'api.concatStrings(h, "")',
    'api.countCharacters(h)',
    'api.parseNumber(h)',
    'api.sumOfEven(h)',
    'api.countWhere([1], h)',
  ];
  // Not crash cases: one child computes every row (a crash would fail them all, which is fine here).
  let rows: { r: { error?: { cls: string; code: string } }; ran: number }[] = [];
  beforeAll(() => {
    rows = inChild(`
      let ran = 0;
      const hook = () => { ran++; throw new UserError('coerced'); };
      const h = { valueOf: hook, toString: hook, [Symbol.toPrimitive]: hook };
      done([${CALLS.map((c) => `(() => { ran = 0; const r = outcome(() => ${c}); return { r, ran }; })()`).join(',\n')}]);
    `) as typeof rows;
  });

  it.each(CALLS.map((call, i) => [call, i] as const))('%s', (_call, i) => {
    expect(rows[i]).toEqual({
      r: expect.objectContaining({ error: expect.objectContaining({ cls: 'TypeError' }) }),
      ran: 0,
    });
    expect(rows[i].r.error?.code).toMatch(/^ERR_INVALID_ARG_(TYPE|VALUE)$/);
  });

  it.each(['api.primesUpToAsync(h)', 'api.sumOfEvenAsync([h])', 'api.sumOfEvenBigIntAsync(h)'])(
    '%s rejects',
    (call) => {
      const r = inChild(`
      let ran = 0;
      const hook = () => { ran++; throw new UserError('coerced'); };
      const h = { valueOf: hook, toString: hook, [Symbol.toPrimitive]: hook };
      done({ r: await settle(() => ${call}), ran });
    `);
      expect(r).toEqual({ r: TYPE, ran: 0 });
    },
  );
});
