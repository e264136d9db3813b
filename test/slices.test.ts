import fc from 'fast-check';
import koffi from 'koffi';
import { FfiError, FfiStatus, PRIMES_UP_TO_MAX_LIMIT, primesUpTo, sumOfEven, sumOfEvenBigInt } from '../ts';
import {
  ffi_status_message,
  U32Array,
  primes_up_to,
  sum_of_even,
  u32_array_free,
  u32_array_live_count,
} from '../ts/raw';
import * as rawSlices from '../ts/raw/slices';
import { checkPrimesLimit } from '../ts/slices';
import { expectThrowsArg, thrownBy } from './fixtures/arg-errors';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

/** The model: a plain JS reduce. */
function jsSumOfEven(values: readonly number[]): number {
  return values.reduce((acc, v) => (v % 2 === 0 ? acc + v : acc), 0);
}

/** The model: the textbook sieve. */
function jsPrimes(limit: number): number[] {
  const composite = new Uint8Array(limit + 1);
  const primes: number[] = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let m = i * i; m <= limit; m += i) composite[m] = 1;
  }
  return primes;
}

describe('sumOfEven', () => {
  it('sums the even values', () => {
    expect(sumOfEven([])).toBe(0);
    expect(sumOfEven([1, 2, 3, 4, 5, 6])).toBe(12);
    expect(sumOfEven(new Uint32Array([1, 3, 5]))).toBe(0);
    expect(sumOfEven(new Uint32Array(0))).toBe(0);
    expect(sumOfEven([0xffff_ffff, 0xffff_fffe])).toBe(0xffff_fffe);
  });

  it('sums only the window of a subarray view at an offset (koffi passes the view start)', () => {
    const all = new Uint32Array([100, 1000, 2, 4, 6, 3, 10_000, 100_000]);
    expect(sumOfEven(all.subarray(2, 5))).toBe(12);
    expect(sumOfEven(all.subarray(5))).toBe(110_000);
    expect(sumOfEven(all.subarray(7, 7))).toBe(0);
    const shifted = new Uint32Array(all.buffer, 4, 3); // 1000, 2, 4
    expect(sumOfEven(shifted)).toBe(1006);
  });

  it('reads the caller memory directly (no copy of a Uint32Array)', () => {
    const a = new Uint32Array([2, 2, 2]);
    expect(sumOfEven(a)).toBe(6);
    a[1] = 40;
    expect(sumOfEven(a)).toBe(44);
  });

  it('equals a JS reduce, for plain arrays and Uint32Array views', () => {
    fc.assert(
      fc.property(fc.array(u32, { maxLength: 300 }), fc.nat(20), (values, cut) => {
        const expected = jsSumOfEven(values);
        expect(sumOfEven(values)).toBe(expected);
        const typed = Uint32Array.from(values);
        expect(sumOfEven(typed)).toBe(expected);
        const start = Math.min(cut, typed.length);
        expect(sumOfEven(typed.subarray(start))).toBe(jsSumOfEven(values.slice(start)));
      }),
      { numRuns: 500 },
    );
  });

  it('is exact beyond 2^53: RangeError for a number, sumOfEvenBigInt for a bigint', () => {
    // 2^21 × (2^32 - 2) = 2^53 - 2^22: still exactly representable.
    const below = new Uint32Array(1 << 21).fill(0xffff_fffe);
    expect(sumOfEven(below)).toBe(2 ** 53 - 2 ** 22);
    expect(Number.isSafeInteger(sumOfEven(below))).toBe(true);
    // 2^22 × (2^32 - 2) = 2^54 - 2^23: a double would round it.
    const above = new Uint32Array(1 << 22).fill(0xffff_fffe);
    expect(() => sumOfEven(above)).toThrow(RangeError);
    expect(() => sumOfEven(above)).toThrow(/sumOfEvenBigInt/);
    expect(sumOfEvenBigInt(above)).toBe(0xffff_fffen << 22n);
    expect(sumOfEvenBigInt([1, 2, 3, 4])).toBe(6n);
    expect(sumOfEvenBigInt(below)).toBe(BigInt(2 ** 53 - 2 ** 22));
  });

  it.each([
    ['Int32Array', new Int32Array([2, 4])],
    ['Float64Array', new Float64Array([2, 4])],
    ['Float32Array', new Float32Array([2, 4])],
    ['Uint8Array', new Uint8Array([2, 4])],
    ['Uint16Array', new Uint16Array([2, 4])],
    ['Uint8ClampedArray', new Uint8ClampedArray([2, 4])],
    ['BigUint64Array', new BigUint64Array([2n, 4n])],
    ['Buffer', Buffer.from([2, 0, 0, 0])],
    ['DataView', new DataView(new ArrayBuffer(8))],
    ['ArrayBuffer', new ArrayBuffer(8)],
    ['a string', '2,4'],
    ['a number', 2],
    ['null', null],
    ['undefined', undefined],
    ['an array-like object', { length: 1, 0: 2 }],
  ])('refuses %s with TypeError (koffi would reinterpret or convert it)', (_label, bad) => {
    expect(() => sumOfEven(bad as unknown as Uint32Array)).toThrow(TypeError);
    expect(() => sumOfEvenBigInt(bad as unknown as Uint32Array)).toThrow(TypeError);
  });

  /** A Proxy of `[2, 4]`, an array to Array.isArray, whose length trap returns `length`. */
  const lengthProxy = (length: unknown): number[] =>
    new Proxy([2, 4], { get: (t, k) => (k === 'length' ? length : Reflect.get(t, k)) });
  const revokedProxy = (): number[] => {
    const { proxy, revoke } = Proxy.revocable([2, 4], {});
    revoke(); // Array.isArray now throws for it
    return proxy;
  };
  it.each([
    ['a Proxy whose length is -1', lengthProxy(-1)],
    ['a Proxy whose length is 1.5', lengthProxy(1.5)],
    ['a Proxy whose length is 2^32', lengthProxy(2 ** 32)],
    ['a Proxy whose length is a string', lengthProxy('2')],
    ['a revoked Proxy', revokedProxy()],
  ])("refuses %s with the TypeError of a wrong type, not the engine's", (_label, proxy) => {
    for (const [name, fn] of [
      ['sumOfEven', sumOfEven],
      ['sumOfEvenBigInt', sumOfEvenBigInt],
    ] as const) {
      expectThrowsArg(
        () => fn(proxy),
        name,
        'ERR_INVALID_ARG_TYPE',
        /^numbers must be a Uint32Array or an array of numbers, got a Proxy$/,
      );
    }
  });

  it.each([
    [[2, -1], 1],
    [[2, 4, 2 ** 32], 2],
    [[1.5], 0],
    [[2, NaN], 1],
    [[2, Infinity], 1],
  ])('refuses the bad element of %p with RangeError naming index %i', (values, index) => {
    expectThrowsArg(() => sumOfEven(values as number[]), 'sumOfEven', 'ERR_OUT_OF_RANGE', `numbers[${index}] must be`);
  });

  it.each([
    [[2, '4'], 1],
    [[2, 4n], 1],
    [[2, null], 1],
    [[2, 4, 6, undefined], 3],
  ])('refuses the element of %p that is no number with TypeError naming index %i', (values, index) => {
    expectThrowsArg(
      () => sumOfEven(values as number[]),
      'sumOfEven',
      'ERR_INVALID_ARG_TYPE',
      `numbers[${index}] must be`,
    );
  });

  it('refuses holes in a sparse array and accepts -0 as 0', () => {
    const sparse = [2, 4];
    sparse[3] = 6;
    expect(() => sumOfEven(sparse)).toThrow('numbers[2]');
    expect(sumOfEven([-0, 2])).toBe(2);
  });

  it('raw sum_of_even: NULL gives 0 whatever the length', () => {
    expect(sum_of_even(null, 0)).toBe(0);
    expect(sum_of_even(null, 10)).toBe(0);
    expect(sum_of_even(new Uint32Array([2, 4, 6]), 2)).toBe(6);
  });
});

describe('primesUpTo', () => {
  it('lists the primes up to the limit, inclusive', () => {
    expect([...primesUpTo(30)]).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect([...primesUpTo(29)]).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect([...primesUpTo(2)]).toEqual([2]);
    expect([...primesUpTo(3)]).toEqual([2, 3]);
    expect(primesUpTo(1)).toEqual(new Uint32Array(0));
    expect(primesUpTo(0)).toEqual(new Uint32Array(0));
  });

  it('equals a JS sieve for limits up to 10^5', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (limit) => {
        expect([...primesUpTo(limit)]).toEqual(jsPrimes(limit));
      }),
      { numRuns: 60 },
    );
    expect([...primesUpTo(100_000)]).toEqual(jsPrimes(100_000));
  });

  it('handles large limits across many sieve segments', () => {
    const primes = primesUpTo(10_000_000);
    expect(primes.length).toBe(664_579);
    expect(primes[primes.length - 1]).toBe(9_999_991);
  });

  it('returns a JS-owned copy and frees the Rust memory', () => {
    const before = u32_array_live_count();
    const first = primesUpTo(1000);
    const snapshot = [...first];
    for (let i = 0; i < 200; i++) primesUpTo(5000 + i);
    expect(u32_array_live_count()).toBe(before);
    expect([...first]).toEqual(snapshot); // not a view of freed or reused memory
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.length * 4);
  });

  it.each([
    ['a string', '10', TypeError],
    ['a fraction', 10.5, RangeError],
    ['NaN', NaN, RangeError],
    ['a bigint', 10n, TypeError],
    ['undefined', undefined, TypeError],
    ['a negative number', -1, RangeError],
    ['2^32', 2 ** 32, RangeError],
    ['PRIMES_UP_TO_MAX_LIMIT + 1', PRIMES_UP_TO_MAX_LIMIT + 1, RangeError],
  ])('refuses %s', (_label, bad, error) => {
    expect(() => primesUpTo(bad as number)).toThrow(error);
  });

  it('documents its cap: 2^30', () => {
    expect(PRIMES_UP_TO_MAX_LIMIT).toBe(2 ** 30);
    expect(() => primesUpTo(2 ** 30 + 1)).toThrow(/2\^30/);
  });
});

describe('raw primes_up_to / u32_array_free', () => {
  it('matches the C struct layout', () => {
    expect(koffi.sizeof(U32Array)).toBe(24);
    expect(koffi.alignof(U32Array)).toBe(8);
    expect(koffi.offsetof(U32Array, 'data')).toBe(0);
    expect(koffi.offsetof(U32Array, 'len')).toBe(8);
    expect(koffi.offsetof(U32Array, 'capacity')).toBe(16);
  });

  it('hands out an array that u32_array_free takes back', () => {
    const before = u32_array_live_count();
    const out = new BigUint64Array(3);
    expect(primes_up_to(20, out, null)).toBe(FfiStatus.OK);
    expect(out[0]).not.toBe(0n);
    expect(out[1]).toBe(8n);
    expect(out[2] >= out[1]).toBe(true);
    expect(u32_array_live_count()).toBe(before + 1);
    expect([...new Uint32Array(koffi.view(out[0], 8 * 4))]).toEqual([2, 3, 5, 7, 11, 13, 17, 19]);
    u32_array_free({ data: out[0], len: Number(out[1]), capacity: Number(out[2]) });
    expect(u32_array_live_count()).toBe(before);
  });

  it('reports errors and leaves the empty array in out', () => {
    const out = new BigUint64Array([1n, 2n, 3n]);
    expect(primes_up_to(PRIMES_UP_TO_MAX_LIMIT + 1, out, null)).toBe(FfiStatus.INVALID_ARGUMENT);
    expect([...out]).toEqual([0n, 0n, 0n]);
    expect(primes_up_to(10, null, null)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(primes_up_to(1, out, null)).toBe(FfiStatus.OK);
    expect([...out]).toEqual([0n, 0n, 0n]);
    const before = u32_array_live_count();
    u32_array_free({ data: null, len: 0, capacity: 0 }); // a no-op
    expect(u32_array_live_count()).toBe(before);
  });
});

describe('the edges of sumOfEven and primesUpTo', () => {
  it('refuses a sum of exactly 2^53 as a number (koffi returns it as a number, but 2^53 + 1 would be the same number)', () => {
    const exactly = new Uint32Array(1 << 22).fill(2 ** 31); // 2^22 × 2^31 = 2^53
    expectThrowsArg(
      () => sumOfEven(exactly),
      'sumOfEven',
      'ERR_OUT_OF_RANGE',
      'the sum 9007199254740992 exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use sumOfEvenBigInt(), which returns a bigint',
    );
    expect(sumOfEvenBigInt(exactly)).toBe(2n ** 53n);
    exactly[0] = 2 ** 31 - 2; // 2^53 - 2: the largest even safe integer
    expect(sumOfEven(exactly)).toBe(2 ** 53 - 2);
  });

  it('accepts PRIMES_UP_TO_MAX_LIMIT itself and refuses the next integer, naming the cap', () => {
    expect(checkPrimesLimit(PRIMES_UP_TO_MAX_LIMIT, 'primesUpTo')).toBe(2 ** 30);
    expect(checkPrimesLimit(0, 'primesUpTo')).toBe(0);
    expectThrowsArg(() => primesUpTo('10' as unknown as number), 'primesUpTo', 'ERR_INVALID_ARG_TYPE', 'limit must be');
    expectThrowsArg(() => primesUpTo(-1), 'primesUpTo', 'ERR_OUT_OF_RANGE', 'limit must be');
    expectThrowsArg(
      () => primesUpTo(PRIMES_UP_TO_MAX_LIMIT + 1),
      'primesUpTo',
      'ERR_OUT_OF_RANGE',
      'limit must be at most PRIMES_UP_TO_MAX_LIMIT (2^30 = 1073741824), got number 1073741825',
    );
  });
});

describe('primesUpTo: Rust writes into JS memory in one call (primes_up_to_into)', () => {
  it('hands out no Rust array, small or large', () => {
    const before = u32_array_live_count();
    const calls = jest.spyOn(rawSlices, 'primes_up_to_into');
    try {
      expect(primesUpTo(156_107).length).toBe(14_365); // the largest limit whose sieve fits the scratch
      expect(calls).toHaveBeenCalledTimes(1);
      calls.mockClear();
      const large = primesUpTo(156_108); // a second call, into a JS array of the capacity Rust asked for
      expect(calls).toHaveBeenCalledTimes(2);
      expect(large.length).toBe(14_365);
      expect(large.byteOffset).toBe(0);
      expect(large.buffer.byteLength).toBe(16_385 * 4); // the sieve's bound: a view of exactly the primes
    } finally {
      calls.mockRestore();
    }
    expect(u32_array_live_count()).toBe(before);
  });

  it('gives a small result an exact buffer of its own, not the reused scratch', () => {
    const first = primesUpTo(100);
    const second = primesUpTo(50);
    expect([...first]).toHaveLength(25);
    expect([...second]).toHaveLength(15);
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.buffer.byteLength).toBe(25 * 4);
  });

  it('primesUpTo names itself in the FfiError of a failed sieve', () => {
    // Only an internal panic can fail it after the limit check: injected by replacing the raw call.
    const spy = jest.spyOn(rawSlices, 'primes_up_to_into').mockImplementation(() => FfiStatus.PANIC);
    let err: unknown;
    try {
      err = thrownBy(() => primesUpTo(30));
    } finally {
      spy.mockRestore();
    }
    expect(err).toBeInstanceOf(FfiError);
    expect(err).toMatchObject({
      code: 'ERR_FFI_PANIC',
      message: `primesUpTo: ${ffi_status_message(FfiStatus.PANIC)}`,
    });
  });
});
