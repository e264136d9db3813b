import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
    // What reaches Rust is decided by the engine's own tag, not by instanceof or a prototype.
    const proxy = new Proxy(new Uint32Array([2]), {});
    await expect(sumOfEvenAsync(proxy)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    const disguised = new Uint16Array([2, 0, 4, 0]);
    Object.setPrototypeOf(disguised, Uint32Array.prototype);
    await expect(sumOfEvenAsync(disguised as unknown as Uint32Array)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    const plain = new Uint32Array([2, 4, 6]);
    Object.setPrototypeOf(plain, Object.prototype);
    await expect(sumOfEvenAsync(plain)).resolves.toBe(12);
  });

  it('copies a plain array: changing it after the call does not change the result', async () => {
    const values = [2, 4, 6];
    const pending = sumOfEvenAsync(values);
    values[0] = 1000;
    values.length = 0;
    await expect(pending).resolves.toBe(12);
  });

  it('copies a Uint32Array: writing, transferring or resizing it after the call does not change the result', async () => {
    const written = randomU32(10_000, 3);
    const expected = sumOfEven(written);
    const p1 = sumOfEvenAsync(written);
    written.fill(4); // the old implementation lent it: a sum that was neither the old nor the new one
    const transferred = randomU32(10_000, 4);
    const p2 = sumOfEvenAsync(transferred);
    structuredClone(transferred.buffer, { transfer: [transferred.buffer as ArrayBuffer] }); // detaches it
    new Uint8Array(64 << 20).fill(1); // allocate, so that freed memory gets reused
    type Resizable = ArrayBuffer & { resize(byteLength: number): void };
    const resizable = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(
      40_000,
      {
        maxByteLength: 80_000,
      },
    );
    const shrinking = new Uint32Array(resizable);
    shrinking.set(randomU32(10_000, 5));
    const p3 = sumOfEvenBigIntAsync(shrinking);
    const expected3 = BigInt(sumOfEven(shrinking));
    resizable.resize(0);
    await expect(p1).resolves.toBe(expected);
    await expect(p2).resolves.toBe(sumOfEven(randomU32(10_000, 4)));
    await expect(p3).resolves.toBe(expected3);
  });

  it('copies large arrays too (a batch of their own), and sums them right', async () => {
    const big = randomU32(3_000_000, 11);
    const expected = [sumOfEven(big), sumOfEven(big.subarray(1)), sumOfEven(big)];
    const pending = [sumOfEvenAsync(big), sumOfEvenAsync(big.subarray(1)), sumOfEvenAsync(big)];
    big.fill(0);
    await expect(Promise.all(pending)).resolves.toEqual(expected);
  });

  describe('{ transfer: true }', () => {
    it('detaches the caller’s buffer until the Promise settles, then hands the array back', async () => {
      const backing = new ArrayBuffer(4 * 1000);
      const all = new Uint32Array(backing);
      all.set(randomU32(1000, 9));
      const view = all.subarray(100, 900);
      const expected = sumOfEven(view);
      const copyOfView = view.slice();
      const pending = sumOfEvenAsync(view, { transfer: true });
      // Visibly detached: every view on the buffer reads as empty.
      expect([view.length, all.length, backing.byteLength]).toEqual([0, 0, 0]);
      const { sum, numbers } = await pending;
      expect(sum).toBe(expected);
      expect([numbers.byteOffset, numbers.length, numbers.buffer.byteLength]).toEqual([400, 800, 4000]);
      expect(numbers).toEqual(copyOfView);
      const big = await sumOfEvenBigIntAsync(numbers, { transfer: true });
      expect(big.sum).toBe(BigInt(expected));
      expect(numbers.length).toBe(0);
      expect(big.numbers).toEqual(copyOfView);
    });

    it('hands the array back on rejection too (error.numbers)', async () => {
      const above = new Uint32Array(1 << 22).fill(0xffff_fffe);
      const err = (await sumOfEvenAsync(above, { transfer: true }).catch((e: unknown) => e)) as RangeError & {
        numbers: Uint32Array;
      };
      expect(err).toBeInstanceOf(RangeError);
      expect(above.length).toBe(0);
      expect(err.numbers.length).toBe(1 << 22);
      expect(err.numbers[12345]).toBe(0xffff_fffe);
    });

    it('refuses what cannot be transferred, and leaves it attached', async () => {
      const shared = new Uint32Array(new SharedArrayBuffer(16));
      await expect(sumOfEvenAsync(shared, { transfer: true })).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
      });
      expect(shared.length).toBe(4);
      await expect(sumOfEvenAsync(shared)).resolves.toBe(0); // copied instead
      await expect(sumOfEvenAsync([2, 4] as unknown as Uint32Array, { transfer: true })).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
      });
      await expect(sumOfEvenAsync(new Int32Array(2) as unknown as Uint32Array, { transfer: true })).rejects.toThrow(
        TypeError,
      );
    });

    it('checks the options, and reads them before the array', async () => {
      const a = new Uint32Array([2, 4]);
      for (const bad of [null, 1, 'transfer', true]) {
        await expect(sumOfEvenAsync(a, bad as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
      }
      await expect(sumOfEvenAsync(a, { transfer: 1 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
      await expect(sumOfEvenAsync(a, {})).resolves.toBe(6);
      await expect(sumOfEvenAsync(a, { transfer: false })).resolves.toBe(6);
      // A getter runs user code: it runs first, and the call sees the array as the getter left it.
      let reads = 0;
      const sneaky = {
        get transfer() {
          reads++;
          a[0] = 100;
          return false;
        },
      };
      await expect(sumOfEvenAsync(a, sneaky)).resolves.toBe(104);
      expect(reads).toBe(1);
      // A getter that detaches the array: the call sees an empty array (sum 0), as sumOfEven would.
      const detached = new Uint32Array([2, 4]);
      const detaching = {
        get transfer() {
          structuredClone(detached.buffer, { transfer: [detached.buffer as ArrayBuffer] });
          return false;
        },
      };
      await expect(sumOfEvenAsync(detached, detaching)).resolves.toBe(0);
    });
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

  it('keeps turning during ≥ 200 ms of sumOfEvenAsync on a large transferred array', async () => {
    let big: Uint32Array = new Uint32Array(20_000_000).fill(6);
    big[12_345] = 7;
    const expected = 6 * (20_000_000 - 1);
    const { turns, elapsed } = await turnsDuring(() =>
      atLeast(200, async () => {
        const r = await sumOfEvenAsync(big, { transfer: true });
        expect(r.sum).toBe(expected);
        big = r.numbers; // handed back: the next call transfers it again
      }),
    );
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(big.length).toBe(20_000_000);
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

/**
 * Worker teardown (issue 11, class 5): each case runs in a child process (a
 * crash fails one test), which starts a worker thread with async calls in
 * flight and ends it while they run.
 */
describe('a worker thread that ends with async calls in flight', () => {
  const dist = path.resolve(__dirname, '..', 'dist');

  /** Runs `body` (an async function body) in a child `node`; returns its last JSON line. */
  function child(body: string): Record<string, unknown> {
    if (!fs.existsSync(path.join(dist, 'index.js'))) {
      throw new Error(`${dist}/index.js is missing: run \`make\` (make test builds it before jest)`);
    }
    const script = `
      const { Worker } = require('node:worker_threads');
      const api = require(${JSON.stringify(dist)});
      const raw = require(${JSON.stringify(path.join(dist, 'raw'))});
      const DIST = ${JSON.stringify(dist)};
      (async () => { ${body} })().catch((err) => { console.error(err); process.exit(1); });
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  }

  /**
   * A worker that starts many calls of every async function (large and small,
   * copied and transferred), tells the parent, then ends as `how` says:
   * 'terminate' (the parent calls worker.terminate()) or 'exit' (the worker
   * calls process.exit()). The parent then checks that nothing is left
   * allocated and that async calls on the main thread still work.
   */
  const ending = (how: 'terminate' | 'exit') => `
    const w = new Worker(\`
      const { parentPort } = require('node:worker_threads');
      const api = require(\${JSON.stringify(DIST)});
      const pending = [];
      for (let i = 0; i < 300; i++) {
        pending.push(api.primesUpToAsync(i % 3 === 0 ? 3_000_000 + i : 10_000 + i));
        pending.push(api.sumOfEvenAsync(new Uint32Array(i % 50 === 0 ? 2_000_000 : 1000).fill(i)));
        pending.push(api.sumOfEvenBigIntAsync(new Uint32Array(5000).fill(2), { transfer: true }));
      }
      // 'exit': process.exit() once the parent listens for the exit (a handshake,
      // so that neither the count nor the exit event can be missed).
      parentPort.once('message', () => process.exit(0));
      parentPort.postMessage(pending.length);
    \`, { eval: true });
    const exited = new Promise((resolve) => w.once('exit', resolve));
    const started = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    const code = await ${how === 'terminate' ? 'w.terminate()' : "(w.postMessage('exit'), exited)"};
    const primes = await Promise.all([api.primesUpToAsync(100), api.sumOfEvenAsync([2, 4, 5])]);
    console.log(JSON.stringify({
      started, code, arrays: raw.u32_array_live_count(), strings: raw.rust_string_live_count(),
      after: [primes[0].length, primes[1]],
    }));
  `;

  it.each(['terminate', 'exit'] as const)('%s(): nothing stays allocated, the process carries on', (how) => {
    const r = child(ending(how));
    expect(r).toEqual({ started: 900, code: how === 'terminate' ? 1 : 0, arrays: 0, strings: 0, after: [25, 6] });
  });

  it('Node.js lets a running native call finish before it frees the worker’s memory (what the design relies on)', () => {
    // The worker's async call writes into a SharedArrayBuffer the parent also
    // sees. If Node.js freed a terminated worker's memory while a native call
    // still ran in it, terminate() would resolve before the sieve (about
    // 0.25 s) wrote its result, and Rust would be writing into freed memory.
    const r = child(`
      const cap = raw.async_job_primes_capacity(100_000_000);
      const table = new Uint32Array(new SharedArrayBuffer(56));
      const arena = new Uint32Array(new SharedArrayBuffer(cap * 4));
      const w = new Worker(\`
        const { workerData, parentPort } = require('node:worker_threads');
        const raw = require(\${JSON.stringify(DIST + '/raw')});
        const { table, arena, cap } = workerData;
        table[0] = raw.ASYNC_JOB_PRIMES_UP_TO;
        table[1] = 99; // status: not run yet
        table[2] = 100_000_000;
        table[10] = cap;
        raw.async_jobs_run.async(table, 1, arena, cap, null, () => {});
        parentPort.postMessage('started');
      \`, { eval: true, workerData: { table, arena, cap } });
      await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
      const code = await w.terminate();
      console.log(JSON.stringify({ code, status: table[1], count: table[12], last: arena[table[12] - 1] }));
    `);
    expect(r).toEqual({ code: 1, status: 0, count: 5_761_455, last: 99_999_989 });
  });
});
