/**
 * Issue 11, class 7: a predicate that returns a Promise or a thenable is
 * refused (every Promise is truthy; countWhere cannot await it), and the
 * float32 range message states the bound that is really enforced.
 */
import { inChild } from './child';

const RETURN_VALUE = {
  error: expect.objectContaining({ cls: 'TypeError', code: 'ERR_INVALID_RETURN_VALUE' }) as unknown,
};

describe('class 7: countWhere refuses a predicate result it would have to await', () => {
  it.each([
    ['a Promise', 'Promise.resolve(false)'],
    ['an async function result', '(async () => false)()'],
    ['a thenable object', '{ then(resolve) { resolve(false); } }'],
    ['a thenable function', 'Object.assign(() => false, { then() {} })'],
  ])('%s: TypeError ERR_INVALID_RETURN_VALUE, and the predicate is not called again', (_title, value) => {
    const r = inChild(`
      let calls = 0;
      done({ r: outcome(() => api.countWhere([1, 2, 3], () => { calls++; return ${value}; })), calls });
    `);
    expect(r).toEqual({ r: RETURN_VALUE, calls: 1 });
  });

  it('truthy and falsy non-thenables still count by truthiness', () => {
    const r = inChild(`
      const values = [{}, [], 'x', 1, 0, '', null, undefined, NaN, { then: 1 }];
      done(outcome(() => api.countWhere(values.map((_, i) => i), (i) => values[i])));
    `);
    expect(r).toEqual({ ok: 5 });
  });
});

describe('class 7: the float32 bound in the message is the bound enforced', () => {
  it('every float bound a RangeError message states is the first refused magnitude', () => {
    const r = inChild(`
      const e = outcome(() => new api.Point(1e39, 0));
      const bounds = [...e.error.message.matchAll(/\\d\\.\\d+e\\+?38/g)].map((m) => Number(m[0]));
      const below = (x) => { const f = new Float64Array([x]); new BigInt64Array(f.buffer)[0] -= 1n; return f[0]; };
      const accepted = (x) => outcome(() => new api.Point(x, 0)).ok !== undefined;
      done({ code: e.error.code, checks: bounds.map((b) => ({ b, refused: !accepted(b) && !accepted(-b), belowAccepted: accepted(below(b)) && accepted(-below(b)) })) });
    `);
    const { code, checks } = r as { code: string; checks: { b: number; refused: boolean; belowAccepted: boolean }[] };
    expect(code).toBe('ERR_OUT_OF_RANGE');
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(c).toEqual({ b: c.b, refused: true, belowAccepted: true });
  });
});
