import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FfiStatus,
  MAX_ASYNC_IN_FLIGHT,
  primesUpTo,
  primesUpToAsync,
  sumOfEven,
  sumOfEvenAsync,
  sumOfEvenBigIntAsync,
} from '../ts';
import { sum_of_even, u32_array_live_count } from '../ts/raw';
import { fresh, turn, type Fresh, type NativeCall } from './fixtures/async-harness';

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
    await expect(sumOfEvenAsync(above)).rejects.toMatchObject({
      name: 'RangeError',
      code: 'ERR_OUT_OF_RANGE',
      message:
        'sumOfEvenAsync: the sum 18014398501093376 exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use sumOfEvenBigIntAsync(), which returns a bigint',
    });
    await expect(sumOfEvenBigIntAsync(above)).resolves.toBe(0xffff_fffen << 22n);
    // The boundary: 2^21 values make 2^53 - 2^22 (a number); one more makes 2^53 + 4290772990 (too large).
    await expect(sumOfEvenAsync(above.subarray(0, 2 ** 21))).resolves.toBe(2 ** 53 - 2 ** 22);
    await expect(sumOfEvenAsync(above.subarray(0, 2 ** 21 + 1))).rejects.toMatchObject({
      message: expect.stringContaining('the sum 9007203545513982 exceeds') as unknown,
    });
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

  it('sums an out-of-bounds view (its resizable buffer shrank below it) as empty, as sumOfEven does', async () => {
    type Resizable = ArrayBuffer & { resize(byteLength: number): void };
    const resizable = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(16, {
      maxByteLength: 16,
    });
    const view = new Uint32Array(resizable, 8, 2).fill(2);
    resizable.resize(4);
    expect(sumOfEven(view)).toBe(0);
    await expect(sumOfEvenAsync(view)).resolves.toBe(0);
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

    it('transfers a buffer whose size is not a multiple of 4, and hands all of it back', async () => {
      const view = new Uint32Array(new ArrayBuffer(10), 4, 1).fill(6);
      const { sum, numbers } = await sumOfEvenAsync(view, { transfer: true });
      expect([sum, numbers.byteOffset, numbers.length, numbers.buffer.byteLength]).toEqual([6, 4, 1, 10]);
    });

    it('argument errors name the function, the argument and what it received', async () => {
      const a = new Uint32Array([2, 4]);
      const typeErrors: [Promise<unknown>, string][] = [
        [sumOfEvenAsync(a, null as never), 'sumOfEvenAsync: options must be an object, got null'],
        [sumOfEvenBigIntAsync(a, 1 as never), 'sumOfEvenBigIntAsync: options must be an object, got number'],
        [
          sumOfEvenAsync(a, { transfer: 'yes' } as never),
          'sumOfEvenAsync: options.transfer must be a boolean, got string',
        ],
        [
          sumOfEvenAsync(a, { transfer: null } as never),
          'sumOfEvenAsync: options.transfer must be a boolean, got null',
        ],
        [
          sumOfEvenAsync([2] as never, { transfer: true }),
          'sumOfEvenAsync: numbers must be a Uint32Array to be transferred, got object',
        ],
        [
          sumOfEvenBigIntAsync(null as never, { transfer: true }),
          'sumOfEvenBigIntAsync: numbers must be a Uint32Array to be transferred, got null',
        ],
      ];
      for (const [pending, message] of typeErrors) {
        await expect(pending).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message });
      }
      const shared = new Uint32Array(new SharedArrayBuffer(8));
      const err = (await sumOfEvenBigIntAsync(shared, { transfer: true }).catch((e: unknown) => e)) as TypeError;
      expect(err).toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message:
          'sumOfEvenBigIntAsync: the buffer of numbers cannot be transferred (a SharedArrayBuffer, a detached or non-transferable buffer); pass it without { transfer: true } to copy it',
      });
      expect(err.cause).toMatchObject({ name: 'TypeError' }); // ArrayBuffer's byteLength getter refuses a SharedArrayBuffer
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
    const base = raw.async_batch_live_count();
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
    // A run still in progress holds its batch until it ends (the worker's own handles are freed by its exit).
    for (let i = 0; i < 1500 && raw.async_batch_live_count() > base; i++) await new Promise((r) => setTimeout(r, 20));
    const batches = raw.async_batch_live_count() - base;
    const primes = await Promise.all([api.primesUpToAsync(100), api.sumOfEvenAsync([2, 4, 5])]);
    console.log(JSON.stringify({
      started, code, arrays: raw.u32_array_live_count(), strings: raw.rust_string_live_count(),
      batches,
      after: [primes[0].length, primes[1]],
    }));
  `;

  it.each(['terminate', 'exit'] as const)('%s(): nothing stays allocated, the process carries on', (how) => {
    const r = child(ending(how));
    expect(r).toEqual({
      started: 900,
      code: how === 'terminate' ? 1 : 0,
      arrays: 0,
      strings: 0,
      batches: 0,
      after: [25, 6],
    });
  });

  /**
   * scripts/runtimes/async-teardown.js (which `make test-runtimes` also runs
   * on Bun and Deno): 900 calls of every async function in flight, then the
   * worker ends; every live counter (async_batch_live_count among them) back
   * at its baseline, and async calls still work. With koffi's `.async` (what
   * Node.js uses) and with the library's background threads (what Deno and
   * Bun use, chosen here by FFI_DEEP_DIVE_ASYNC).
   */
  describe.each(['koffi', 'threads'] as const)('with the %s runner', (runner) => {
    it.each(['terminate', 'exit', 'end'] as const)('%s: every batch freed, the counters at their baseline', (how) => {
      const script = path.resolve(__dirname, '..', 'scripts', 'runtimes', 'async-teardown.js');
      const r = spawnSync(process.execPath, [script, how], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, FFI_DEEP_DIVE_ASYNC: runner },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(out).toMatchObject({ ok: true, runner, how, after: out.before, still: [25, 6] });
      expect((out.before as { batches: number }).batches).toBeGreaterThan(0); // the spares of the parent's own calls
    });
  });

  it('Node.js lets a running native call finish before it frees the worker’s memory (what the koffi runner and an in-place transfer rely on)', () => {
    // The worker's async call writes into a SharedArrayBuffer the parent also
    // sees. If Node.js freed a terminated worker's memory while a native call
    // still ran in it, terminate() would resolve before the sieve (about
    // 0.25 s) wrote its result, and Rust would be writing into freed memory.
    // (Deno and Bun do free it: there the module uses the library's own
    // threads and memory, and copies a transferred buffer.)
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

/**
 * The batching machinery, observed from outside: each case loads a fresh copy
 * of ts/async.ts (its own batches, spares and timers) whose `async_jobs_run`
 * only records each native call; the test decides when a call completes and
 * how (its jobs run by the real, synchronous `async_jobs_run`, or an error).
 * `node:os` is replaced too, to choose the core count and the endianness.
 */
describe('batches and native calls (a fresh module over a recording async_jobs_run)', () => {
  /**
   * Completes, as `how` says, every native call the module starts from now on
   * until all `calls` have settled; returns their outcomes and those native calls.
   */
  async function run<T>(
    f: Fresh,
    calls: Promise<T>[],
    how: (c: NativeCall) => void = (c) => c.finish(),
  ): Promise<{ results: PromiseSettledResult<T>[]; native: NativeCall[] }> {
    const first = f.native.length;
    let next = first;
    let settled = false;
    const all = Promise.allSettled(calls).finally(() => (settled = true));
    while (!settled) {
      await turn();
      while (next < f.native.length) how(f.native[next++]);
    }
    return { results: await all, native: f.native.slice(first) };
  }
  const cancel = (c: NativeCall): void => c.complete(new Error('cancelled'));

  it('MAX_ASYNC_IN_FLIGHT is one per core, at least 2, at most UV_THREADPOOL_SIZE (4 if unset or not a number)', () => {
    const max = (cores: number, poolSize?: string): number => fresh({ cores, poolSize }).api.MAX_ASYNC_IN_FLIGHT;
    expect([
      max(8),
      max(3),
      max(1),
      max(8, '6'),
      max(8, '16'),
      max(8, '1'),
      max(8, '0'),
      max(8, 'x'),
      max(8, '5 '),
    ]).toEqual([4, 3, 2, 6, 8, 2, 4, 4, 5]);
  });

  it('refuses to load on a big-endian platform (the job table is written as 32-bit words)', () => {
    expect(() => fresh({ endianness: 'BE' })).toThrow(
      new Error('ffi-deep-dive: the async module supports little-endian platforms only'),
    );
  });

  it('takes its built-ins from ts/primordials: typed-array globals replaced before a fresh load change nothing', async () => {
    const saved = globalThis.Uint8Array;
    let f: Fresh;
    try {
      globalThis.Uint8Array = { prototype: Object.create(null) } as never;
      f = fresh();
    } finally {
      globalThis.Uint8Array = saved;
    }
    const sum = f.api.sumOfEvenAsync(new Uint32Array([2, 4]));
    await turn();
    f.native[0].finish();
    await expect(sum).resolves.toBe(6);
  });

  it('a batch koffi refuses to start rejects each of its calls with the reason, and gives its slot back', async () => {
    const f = fresh();
    const full = new Error('Too many asynchronous calls are running');
    f.refuse = { value: full };
    const sum = f.api.sumOfEvenAsync([2, 4]);
    const primes = f.api.primesUpToAsync(10);
    const pending = 'too many native async calls are pending';
    await expect(sum).rejects.toMatchObject({
      name: 'Error',
      message: `sumOfEvenAsync: koffi could not start the async call (Too many asynchronous calls are running); ${pending}`,
    });
    await expect(sum.catch((e: Error) => e.cause)).resolves.toBe(full);
    await expect(primes).rejects.toMatchObject({
      message: `primesUpToAsync: koffi could not start the async call (Too many asynchronous calls are running); ${pending}`,
    });
    // Whatever koffi throws is named, even a value that is no Error.
    for (const [thrown, shown] of [
      [null, 'null'],
      [undefined, 'undefined'],
      ['full', 'full'],
    ]) {
      f.refuse = { value: thrown };
      await expect(f.api.sumOfEvenBigIntAsync([2])).rejects.toMatchObject({
        message: `sumOfEvenBigIntAsync: koffi could not start the async call (${shown}); ${pending}`,
      });
    }
    expect(f.native).toHaveLength(0);
    // Every refused batch gave its slot back: the next calls start (the fuller batch first).
    f.refuse = undefined;
    const again = [f.api.sumOfEvenAsync([2, 4]), f.api.sumOfEvenAsync([6]), f.api.primesUpToAsync(10)];
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([2, 1]);
    f.native.forEach((c) => c.finish());
    await expect(Promise.all(again)).resolves.toEqual([6, 6, new Uint32Array([2, 3, 5, 7])]);
  });

  it('a native call that completes with an error rejects its calls with it; a failed job rejects with FfiError', async () => {
    const f = fresh();
    const first = f.api.sumOfEvenAsync([2]);
    await turn();
    const cancelled = new Error('the call was cancelled');
    f.native[0].complete(cancelled);
    await expect(first).rejects.toBe(cancelled);
    const second = f.api.sumOfEvenAsync([2]);
    await turn();
    f.native[1].complete('cancelled');
    await expect(second).rejects.toThrow(new Error('sumOfEvenAsync: cancelled'));
    // null (what koffi passes) and undefined both mean the call ran.
    const third = [f.api.sumOfEvenAsync([2, 4]), f.api.sumOfEvenBigIntAsync([6])];
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 1, 1, 1]);
    f.native[2].finish(null);
    f.native[3].finish(undefined);
    await expect(Promise.all(third)).resolves.toEqual([6, 6n]);
    // A job whose status is not OK (after validation, only a panic): FfiError with the status's description.
    const fourth = f.api.primesUpToAsync(10);
    await turn();
    f.native[4].table[1] = FfiStatus.PANIC; // job 0's status word
    f.native[4].complete(null);
    await expect(fourth).rejects.toMatchObject({
      name: 'FfiError',
      code: 'ERR_FFI_PANIC',
      statusCode: FfiStatus.PANIC,
      message: 'primesUpToAsync: Rust panicked; the panic was caught at the boundary',
    });
  });

  it('a transferred array comes back on rejection as an enumerable error.numbers; a copied call’s error has none', async () => {
    const f = fresh();
    const all = new Uint32Array([1, 2, 3, 4]);
    const moved = f.api.sumOfEvenAsync(all.subarray(1, 3), { transfer: true });
    const copied = f.api.sumOfEvenAsync([2]);
    await turn();
    expect(f.native.map((c) => c.arenaLength)).toEqual([4, 65_536]); // the transferred buffer first
    f.native[0].complete(new Error('cancelled'));
    f.native[1].complete(new Error('cancelled'));
    const movedError = (await moved.catch((e: unknown) => e)) as Error;
    const handedBack = Object.getOwnPropertyDescriptor(movedError, 'numbers');
    expect(handedBack).toEqual({
      value: new Uint32Array([2, 3]),
      enumerable: true,
      writable: false,
      configurable: false,
    });
    expect((handedBack!.value as Uint32Array).byteOffset).toBe(4);
    const copiedError = (await copied.catch((e: unknown) => e)) as Error;
    expect(Object.getOwnPropertyNames(copiedError)).not.toContain('numbers');
  });
  it('a batch holds at most 256 calls and 65,536 values; a full batch waits in line and starts before the open ones', async () => {
    const f = fresh(); // 2 slots
    const k = new Uint32Array(1024).fill(2);
    // 128 calls of 1,024 values fill the arenas of the two open batches exactly.
    const filled = Array.from({ length: 128 }, () => f.api.sumOfEvenAsync(k));
    const extra = f.api.sumOfEvenAsync([4]); // no room left in batch 0: it waits in line; a new batch takes this call
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([64, 64]);
    f.native[0].finish();
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([64, 64, 1]);
    f.native.slice(1).forEach((c) => c.finish());
    await expect(Promise.all([...filled, extra])).resolves.toEqual([...Array<number>(128).fill(2048), 4]);
    // 513 one-value calls: two batches of 256, then one more.
    const many = Array.from({ length: 513 }, (_, i) => f.api.sumOfEvenAsync([2 * i]));
    await turn();
    expect(f.native.slice(3).map((c) => c.count)).toEqual([256, 256]);
    f.native[3].finish();
    await turn();
    expect(f.native.slice(3).map((c) => c.count)).toEqual([256, 256, 1]);
    f.native.slice(4).forEach((c) => c.finish());
    await expect(Promise.all(many)).resolves.toEqual(Array.from({ length: 513 }, (_, i) => 2 * i));
  });

  it('starts at most MAX_ASYNC_IN_FLIGHT native calls, the fullest waiting batch first when a slot frees', async () => {
    const f = fresh({ cores: 3, poolSize: '3' });
    expect(f.api.MAX_ASYNC_IN_FLIGHT).toBe(3);
    const first = Array.from({ length: 7 }, (_, i) => f.api.sumOfEvenAsync([2 * i])); // spread: 3, 2, 2
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([3, 2, 2]);
    // All three slots busy: new calls wait in new batches (spread over them as they open: 3, 1, 1).
    const second = Array.from({ length: 5 }, (_, i) => f.api.sumOfEvenBigIntAsync([2 * i]));
    await turn();
    expect(f.native).toHaveLength(3);
    f.native[2].finish();
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([3, 2, 2, 3]);
    f.native[0].finish();
    f.native[1].finish();
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([3, 2, 2, 3, 1, 1]);
    f.native.slice(3).forEach((c) => c.finish());
    await expect(Promise.all(first)).resolves.toEqual([0, 2, 4, 6, 8, 10, 12]);
    await expect(Promise.all(second)).resolves.toEqual([0n, 2n, 4n, 6n, 8n]);
  });

  it('a call of more than 65,536 values has a batch of its own; its arena is kept for the next one that fits (the smallest)', async () => {
    const f = fresh();
    const values = (n: number, v: number): Uint32Array => new Uint32Array(n).fill(v);
    const round1 = await run(
      f,
      [70_000, 65_537, 80_000].map((n) => f.api.sumOfEvenAsync(values(n, 2))),
    );
    expect(round1.results.map((r) => r.status === 'fulfilled' && r.value)).toEqual([140_000, 131_074, 160_000]);
    const [a, b, c] = round1.native.map((call) => [call.count, call.arenaLength, call.batch]);
    expect([a.slice(0, 2), b.slice(0, 2), c.slice(0, 2)]).toEqual([
      [1, 70_000],
      [1, 65_537],
      [1, 80_000],
    ]);
    // Kept in the order they settled: 70,000, 65,537, 80,000. Each call takes the smallest that fits.
    const round2 = await run(f, [
      f.api.sumOfEvenAsync(values(65_537, 4)), // the 65,537 arena (an exact fit; neither the first nor the last)
      f.api.sumOfEvenAsync(values(65_537, 6)), // the 70,000 one (the first, and smaller than the 80,000 one after it)
      f.api.sumOfEvenAsync(values(65_538, 8)), // the 80,000 one
      f.api.sumOfEvenAsync(values(65_538, 10)), // none left: a new one
    ]);
    expect(round2.results.map((r) => r.status === 'fulfilled' && r.value)).toEqual([
      65_537 * 4,
      65_537 * 6,
      65_538 * 8,
      65_538 * 10,
    ]);
    const arenas = round2.native.map((call) => call.batch);
    expect(arenas.map((buffer) => [a[2], b[2], c[2]].indexOf(buffer))).toEqual([1, 0, 2, -1]);
    expect(round2.native.map((call) => call.arenaLength)).toEqual([65_537, 70_000, 80_000, 65_538]);
  });

  it('never keeps a transferred buffer as an arena: a later call cannot write into the array handed back', async () => {
    const f = fresh();
    const moved = await run(f, [f.api.sumOfEvenAsync(new Uint32Array(70_000).fill(2), { transfer: true })]);
    const handedBack = (moved.results[0] as PromiseFulfilledResult<{ sum: number; numbers: Uint32Array }>).value;
    expect(handedBack.sum).toBe(140_000);
    const later = await run(f, [f.api.sumOfEvenAsync(new Uint32Array(65_537).fill(7))]);
    expect(later.native[0].batch).not.toBeNull(); // memory the library owns, never the caller's buffer
    expect(later.native[0].arena.buffer).not.toBe(handedBack.numbers.buffer);
    expect(handedBack.numbers.every((x) => x === 2)).toBe(true);
  });

  describe('with a fake clock', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));
    afterEach(() => jest.useRealTimers());

    it('keeps at most 2 large arenas per slot and drops them after a second without a settled batch', async () => {
      const f = fresh(); // 2 slots: at most 4 large arenas
      // Each needs more than 65,536 values of output room, each more than the one before.
      const limits = [1_000_000, 1_100_000, 1_200_000, 1_300_000, 1_400_000];
      const round = async (n: number): Promise<(number | null)[]> =>
        (
          await run(
            f,
            limits.slice(0, n).map((limit) => f.api.primesUpToAsync(limit)),
            cancel,
          )
        ).native.map((c) => c.batch);
      const kept = new Set(await round(5));
      expect((await round(5)).map((b) => kept.has(b))).toEqual([true, true, true, true, false]);
      jest.advanceTimersByTime(600);
      expect((await round(1)).map((b) => kept.has(b))).toEqual([true]); // and a new second starts
      jest.advanceTimersByTime(600);
      expect((await round(1)).map((b) => kept.has(b))).toEqual([true]);
      const small = await run(f, [f.api.sumOfEvenAsync([2]), f.api.sumOfEvenAsync([2])]); // two shared batches, kept
      jest.advanceTimersByTime(999);
      expect((await round(1)).map((b) => kept.has(b))).toEqual([true]);
      jest.advanceTimersByTime(1000);
      expect((await round(1)).map((b) => kept.has(b))).toEqual([false]);
      // The two spare shared batches were kept (only beyond 2 per slot are they dropped).
      const again = await run(f, [f.api.sumOfEvenAsync([4]), f.api.sumOfEvenAsync([6])]);
      expect(again.results.map((r) => r.status === 'fulfilled' && r.value)).toEqual([4, 6]);
      const spares = small.native.map((call) => call.batch);
      expect(again.native.map((call) => spares.includes(call.batch))).toEqual([true, true]);
    });

    it('counts the idle second of large arenas from the last large batch: up to 2 spare shared batches per slot do not restart it', async () => {
      const f = fresh(); // 2 slots: up to 4 spare shared batches are kept for good
      const large = async (): Promise<number | null> =>
        (await run(f, [f.api.primesUpToAsync(1_000_000)], cancel)).native[0].batch;
      const kept = await large();
      expect(await large()).toBe(kept);
      jest.advanceTimersByTime(600);
      const full = new Uint32Array(65_536).fill(2); // fills a shared arena: one batch per call
      const shared = await run(
        f,
        Array.from({ length: 4 }, () => f.api.sumOfEvenAsync(full)),
      );
      expect(new Set(shared.native.map((c) => c.batch)).size).toBe(4); // now exactly 4 spares
      jest.advanceTimersByTime(400); // a second after the last large batch settled
      expect(await large()).not.toBe(kept);
    });

    it('keeps at most 2^24 values of large arenas in all (64 MiB)', async () => {
      const f = fresh();
      const huge = new Uint32Array((1 << 24) + 1);
      const exact = huge.subarray(0, 1 << 24);
      const arena = async (numbers: Uint32Array): Promise<number | null> =>
        (await run(f, [f.api.sumOfEvenAsync(numbers)], cancel)).native[0].batch;
      const x = await arena(exact); // kept: exactly the budget
      expect(await arena(exact)).toBe(x); // taken and given back
      expect(await arena(exact)).toBe(x);
      jest.advanceTimersByTime(1000); // dropped: the budget is free again
      const w = await arena(exact);
      expect(w).not.toBe(x);
      expect(await arena(exact)).toBe(w);
      const over = await arena(huge); // too large for w's arena, and for the budget: not kept
      expect(over).not.toBe(w);
      const over2 = await arena(huge);
      expect([over2 === over, over2 === w]).toEqual([false, false]);
    });

    it('keeps up to 64 settled shared batches, more than 2 per slot only until a second passes idle', async () => {
      const f = fresh(); // 2 slots
      const full = new Uint32Array(65_536).fill(2); // fills a shared arena: one batch per call
      const round = async (n: number): Promise<(number | null)[]> => {
        const r = await run(
          f,
          Array.from({ length: n }, () => f.api.sumOfEvenAsync(full)),
        );
        expect(r.results.every((x) => x.status === 'fulfilled' && x.value === 131_072)).toBe(true);
        return r.native.map((c) => c.batch);
      };
      const first = await round(65);
      expect(new Set(first).size).toBe(65);
      const second = await round(65);
      const seen = new Set([...first, ...second]);
      expect(second.filter((b) => first.includes(b))).toHaveLength(64);
      jest.advanceTimersByTime(1000);
      const third = await round(6);
      expect(third.filter((b) => seen.has(b))).toHaveLength(4);
    });
  });
});
