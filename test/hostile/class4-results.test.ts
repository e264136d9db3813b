/**
 * Issue 11, class 4: results the engine cannot represent are refused with a
 * RangeError before anything is decoded, and the Rust memory behind them is
 * freed. Each case runs in a child process (koffi's decode of an over-long
 * string returned garbage or crashed).
 */
import { inChild, RANGE } from './child';

describe('class 4: results the engine cannot represent', () => {
  it('concatStrings whose result is past the V8 string limit throws RangeError ERR_OUT_OF_RANGE and leaks nothing', () => {
    const r = inChild(`
      const { constants } = require('node:buffer');
      const strings = raw.rust_string_live_count();
      const half = 'a'.repeat(2 ** 28);                  // 2 × 2^28 > MAX_STRING_LENGTH (2^29 - 24)
      const result = outcome(() => api.concatStrings(half, half));
      const twoByte = outcome(() => api.concatStrings('\\u00e9'.repeat(2 ** 28), 'b'.repeat(2 ** 28)));
      done({ limit: constants.MAX_STRING_LENGTH < 2 ** 29, result, twoByte, leaked: raw.rust_string_live_count() - strings });
    `);
    expect(r).toEqual({
      limit: true,
      result: { error: expect.objectContaining({ cls: 'RangeError', code: 'ERR_OUT_OF_RANGE' }) as unknown },
      twoByte: { error: expect.objectContaining({ cls: 'RangeError', code: 'ERR_OUT_OF_RANGE' }) as unknown },
      leaked: 0,
    });
  });

  it('a sum above 2^53 - 1 is a RangeError ERR_OUT_OF_RANGE from sumOfEven and sumOfEvenAsync, exact as a bigint', () => {
    const r = inChild(`
      const a = new Uint32Array(1 << 22).fill(0xfffffffe);
      done({
        sync: outcome(() => api.sumOfEven(a)),
        async: await settle(() => api.sumOfEvenAsync(a)),
        big: outcome(() => api.sumOfEvenBigInt(a)),
      });
    `);
    expect(r).toEqual({
      sync: RANGE,
      async: RANGE,
      big: { ok: { bigint: String(BigInt(0xfffffffe) * BigInt(1 << 22)) } },
    });
  });
});
