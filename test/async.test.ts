import {
  MAX_ASYNC_IN_FLIGHT,
  primesUpTo,
  primesUpToAsync,
  sumOfEven,
  sumOfEvenAsync,
  sumOfEvenBigIntAsync,
} from '../ts';
import { sum_of_even, u32_array_live_count } from '../ts/raw';

/** A deterministic pseudo-random Uint32Array. */
function randomU32(length: number, seed: number): Uint32Array {
  const a = new Uint32Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    a[i] = x >>> 8; // < 2^24: sums stay exact as numbers
  }
  return a;
}

/** Whether two Uint32Arrays hold the same values (jest's toEqual is slow on large ones). */
function same(a: Uint32Array, b: Uint32Array): boolean {
  const bytes = (x: Uint32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return a.length === b.length && bytes(a).equals(bytes(b));
}

/**
 * Runs `work` while a chain of 1 ms timers counts the event loop's turns (each
 * timer arms the next); returns the turns seen and the elapsed milliseconds.
 * A synchronous call lets no timer fire, so a blocking implementation counts
 * exactly 0 turns, on any machine at any load; a free loop counts about one
 * per millisecond, and the tests below ask for just one.
 */
async function turnsDuring(work: () => Promise<unknown>): Promise<{ turns: number; elapsed: number }> {
  let turns = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    turns++;
    timer = setTimeout(tick, 1);
  };
  const start = performance.now();
  timer = setTimeout(tick, 1);
  try {
    await work();
  } finally {
    clearTimeout(timer);
  }
  return { turns, elapsed: performance.now() - start };
}

/** Keeps calling `call` one after the other until at least `ms` have passed. */
async function atLeast(ms: number, call: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  do {
    await call();
  } while (performance.now() - start < ms);
}

describe('sumOfEvenAsync', () => {
  it('resolves to the same sums as sumOfEven', async () => {
    const a = randomU32(100_000, 7);
    await expect(sumOfEvenAsync(a)).resolves.toBe(sumOfEven(a));
    await expect(sumOfEvenAsync(a.subarray(123, 4567))).resolves.toBe(sumOfEven(a.subarray(123, 4567)));
    await expect(sumOfEvenAsync([1, 2, 3, 4])).resolves.toBe(6);
    await expect(sumOfEvenAsync([])).resolves.toBe(0);
  });

  it('is exact beyond 2^53: rejects with RangeError, or resolves to a bigint', async () => {
    const above = new Uint32Array(1 << 22).fill(0xffff_fffe);
    await expect(sumOfEvenAsync(above)).rejects.toThrow(RangeError);
    await expect(sumOfEvenBigIntAsync(above)).resolves.toBe(0xffff_fffen << 22n);
  });

  it('rejects invalid arguments (no synchronous throw)', async () => {
    const bad = sumOfEvenAsync(new Float64Array([2]) as unknown as Uint32Array);
    await expect(bad).rejects.toThrow(TypeError);
    await expect(sumOfEvenAsync([1, -1])).rejects.toThrow('numbers[1]');
  });

  it('copies a plain array: changing it after the call does not change the result', async () => {
    const values = [2, 4, 6];
    const pending = sumOfEvenAsync(values);
    values[0] = 1000;
    values.length = 0;
    await expect(pending).resolves.toBe(12);
  });

  it('resolves 1000 concurrent calls correctly (beyond koffi’s 256-call queue)', async () => {
    const arrays = Array.from({ length: 1000 }, (_, i) => randomU32(1000 + i, i));
    const results = await Promise.all(arrays.map((a) => sumOfEvenAsync(a)));
    results.forEach((r, i) => expect(r).toBe(sumOfEven(arrays[i])));
  });
});

describe('primesUpToAsync', () => {
  it('resolves to the same primes as primesUpTo', async () => {
    expect([...(await primesUpToAsync(30))]).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(await primesUpToAsync(1)).toEqual(new Uint32Array(0));
    const big = await primesUpToAsync(10_000_000);
    expect(big.length).toBe(664_579);
    expect(same(big, primesUpTo(10_000_000))).toBe(true);
  });

  it('rejects invalid limits', async () => {
    await expect(primesUpToAsync(-1)).rejects.toThrow(RangeError);
    await expect(primesUpToAsync(2 ** 30 + 1)).rejects.toThrow(RangeError);
    await expect(primesUpToAsync('7' as unknown as number)).rejects.toThrow(TypeError);
  });

  it('resolves 64 concurrent calls, each with its own output, and frees every array', async () => {
    const before = u32_array_live_count();
    const limits = Array.from({ length: 64 }, (_, i) => 50_000 + 7919 * i);
    const results = await Promise.all(limits.map((n) => primesUpToAsync(n)));
    results.forEach((r, i) => expect(same(r, primesUpTo(limits[i]))).toBe(true));
    expect(u32_array_live_count()).toBe(before);
  });

  it('queues 1000 concurrent calls instead of overflowing koffi', async () => {
    expect(MAX_ASYNC_IN_FLIGHT).toBeLessThan(256); // koffi's default max_async_calls
    const before = u32_array_live_count();
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => primesUpToAsync(i)));
    results.forEach((r, i) => expect(same(r, primesUpTo(i))).toBe(true));
    expect(u32_array_live_count()).toBe(before);
  });

  it('rejects with a clear error, not a crash, when koffi’s own queue is full', async () => {
    // Fill koffi's queue behind this module's back, with raw calls.
    const a = new Uint32Array(200_000).fill(2);
    const raw: Promise<unknown>[] = [];
    let refused: unknown;
    try {
      for (let i = 0; i < 300; i++) {
        let settle: (r: unknown) => void = () => {};
        const settled = new Promise((resolve) => (settle = resolve));
        sum_of_even.async(a, a.length, (_e, r) => settle(r)); // throws when koffi is full
        raw.push(settled);
      }
    } catch (e) {
      refused = e;
    }
    try {
      // koffi refused one (its Error comes from another realm than jest's).
      expect(String((refused as Error).message)).toMatch(/Too many asynchronous calls/);
      expect(raw.length).toBeLessThan(300);
      await expect(primesUpToAsync(100)).rejects.toThrow(/too many native async calls/);
      await expect(sumOfEvenAsync(a)).rejects.toThrow(/koffi could not start/);
    } finally {
      await Promise.all(raw);
    }
    // Room again: the public API works as before.
    await expect(sumOfEvenAsync(a)).resolves.toBe(400_000);
  });
});

describe('the event loop while Rust works', () => {
  // Whether the loop turns at all is the question, not how often: a count of 0
  // means it was blocked, and that count needs no assumption about speed or load.
  const LIMIT = 100_000_000; // about 0.25 s of sieving per call here

  it('keeps turning during ≥ 200 ms of primesUpToAsync', async () => {
    let calls = 0;
    const { turns, elapsed } = await turnsDuring(() =>
      atLeast(200, async () => {
        const primes = await primesUpToAsync(LIMIT);
        expect(primes.length).toBe(5_761_455);
        calls++;
      }),
    );
    expect(elapsed).toBeGreaterThanOrEqual(200); // guaranteed by atLeast()
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(turns).toBeGreaterThanOrEqual(1);
  });

  it('keeps turning during ≥ 200 ms of sumOfEvenAsync on a large array', async () => {
    const big = new Uint32Array(20_000_000).fill(6);
    big[12_345] = 7;
    const expected = 6 * (20_000_000 - 1);
    const { turns, elapsed } = await turnsDuring(() =>
      atLeast(200, async () => {
        expect(await sumOfEvenAsync(big)).toBe(expected);
      }),
    );
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(turns).toBeGreaterThanOrEqual(1);
  });

  it('control: the same measurement fails for the blocking primesUpTo, however fast it is', async () => {
    // The same loop of calls as above, with the synchronous function: no timer
    // can fire inside a synchronous call, nor between awaits of settled promises.
    let calls = 0;
    const { turns, elapsed } = await turnsDuring(() =>
      atLeast(200, async () => {
        expect(primesUpTo(LIMIT).length).toBe(5_761_455);
        calls++;
      }),
    );
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(turns).toBe(0);
  });
});
