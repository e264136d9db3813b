/**
 * When ts/async.ts starts a native call, and with which jobs: the scheduler's
 * rules that no result shows (every call resolves to the same value however
 * the calls are batched), observed through a fresh copy of the module whose
 * `async_jobs_run` only records each native call (test/fixtures/async-harness.ts).
 * The batch a call joins follows the module's round robin over its open
 * batches (`nextOpen`), so each case starts from a fresh module and spells out
 * where its calls go.
 */
import { fresh, turn } from './fixtures/async-harness';

describe('when the async module starts a native call (a fresh module over a recording async_jobs_run)', () => {
  it('never starts a native call without a job: an empty open batch takes no slot', async () => {
    const f = fresh(); // 2 slots
    const warm = f.api.sumOfEvenAsync([2]);
    await turn();
    f.native[0].finish();
    await expect(warm).resolves.toBe(2);
    // The round robin puts both calls into the first open batch; the second open batch stays empty.
    const both = [f.api.sumOfEvenAsync([4]), f.api.sumOfEvenAsync([6])];
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 2]);
    // One slot is still free (the empty batch did not take it): the next call starts at once.
    const next = f.api.sumOfEvenAsync([8]);
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 2, 1]);
    f.native.slice(1).forEach((c) => c.finish());
    await expect(Promise.all([...both, next])).resolves.toEqual([4, 6, 8]);
    expect(f.native.every((c) => c.count > 0)).toBe(true);
  });

  it('of two equally full batches waiting for one slot, the one with the earlier call starts first', async () => {
    const f = fresh(); // 2 slots
    const warm = [f.api.sumOfEvenAsync([2]), f.api.sumOfEvenAsync([2])];
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 1]);
    f.native[0].finish(); // one slot free, one busy
    const settled: string[] = [];
    const first = f.api.sumOfEvenAsync([4]).then((v) => settled.push(`first ${v}`));
    const second = f.api.sumOfEvenAsync([6]).then((v) => settled.push(`second ${v}`));
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 1, 1]); // one batch each; one of them waits
    f.native[2].finish();
    await turn();
    expect(settled).toEqual(['first 4']);
    f.native[1].finish(); // the last slot frees: the second one starts
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 1, 1, 1]);
    f.native[3].finish();
    await Promise.all([...warm, first, second]);
    expect(settled).toEqual(['first 4', 'second 6']);
  });

  it('flushes once per microtask turn: a call made in a queued microtask still joins the batch of an earlier one', async () => {
    const f = fresh({ cores: 3, poolSize: '3' }); // 3 slots
    const warm = f.api.sumOfEvenAsync([2]);
    await turn();
    f.native[0].finish();
    await expect(warm).resolves.toBe(2);
    const calls: Promise<number>[] = [];
    let seenInV = -1;
    // Both calls go into the first open batch (the round robin), which the first flush starts.
    calls.push(f.api.sumOfEvenAsync([4]));
    queueMicrotask(() => calls.push(f.api.sumOfEvenAsync([6]))); // U: after the flush, into a new batch
    calls.push(f.api.sumOfEvenAsync([8]));
    queueMicrotask(() => {
      // V: queued before U's call was made, so it runs before the flush that call queued:
      // U's batch has not started, and this call joins it.
      seenInV = f.native.length;
      calls.push(f.api.sumOfEvenAsync([10]));
    });
    await turn();
    expect(seenInV).toBe(2);
    expect(f.native.map((c) => c.count)).toEqual([1, 2, 2]);
    f.native.slice(1).forEach((c) => c.finish());
    await expect(Promise.all(calls)).resolves.toEqual([4, 8, 6, 10]);
  });

  it('hands Rust only batches it made: a patched Array.prototype.pop cannot slip in a forged table or arena', async () => {
    const f = fresh();
    const warm = [f.api.sumOfEvenAsync([2]), f.api.sumOfEvenAsync([4])];
    await turn();
    f.native.forEach((c) => c.finish());
    await expect(Promise.all(warm)).resolves.toEqual([2, 4]); // their batches are spares now
    // A forged batch: a 16-byte arena that claims 2^28 words, a one-job table that claims 1,000 jobs.
    const forged = {
      table: new Uint32Array(14),
      arena: new Uint32Array(4),
      arenaBuffer: new ArrayBuffer(16),
      arenaLength: 1 << 28,
      calls: [] as unknown[],
      count: 0,
      used: 0,
      reserved: 0,
      shared: true,
      reusable: false,
      add(call: unknown): void {
        this.calls[this.count] = call;
        this.count = 1000;
      },
    };
    const realPop = Array.prototype.pop;
    let offered = 0;
    Array.prototype.pop = function (this: unknown[]) {
      const top = this[this.length - 1];
      if (typeof top === 'object' && top !== null && 'arenaLength' in top) {
        offered++;
        return forged;
      }
      return realPop.call(this);
    };
    let primes: Promise<Uint32Array>;
    try {
      primes = f.api.primesUpToAsync(1000);
      await turn();
    } finally {
      Array.prototype.pop = realPop;
    }
    expect(offered).toBe(0); // the module never asked the patched pop
    const c = f.native[2];
    // What Rust trusts: the table holds `count` jobs, the arena `arenaLength` words.
    expect([c.count, c.table.length >= c.count * 14, c.arena.length >= c.arenaLength]).toEqual([1, true, true]);
    c.finish();
    await expect(primes).resolves.toHaveLength(168);
  });

  it('a transferred call’s result does not depend on globals patched after load (a BigInt that throws)', async () => {
    const f = fresh();
    const realBigInt = globalThis.BigInt;
    for (const thrown of [null, 7]) {
      const pending = f.api.sumOfEvenBigIntAsync(new Uint32Array([2, 4]), { transfer: true });
      await turn();
      const c = f.native[f.native.length - 1];
      globalThis.BigInt = (() => {
        throw thrown;
      }) as unknown as BigIntConstructor;
      try {
        c.finish(); // settles its call in the callback, with the BigInt captured at load
      } finally {
        globalThis.BigInt = realBigInt;
      }
      await expect(pending).resolves.toEqual({ sum: 6n, numbers: new Uint32Array([2, 4]) });
    }
  });

  it('a job whose batch the library cannot allocate rejects with ERR_MEMORY_ALLOCATION_FAILED; nothing is left', async () => {
    // No real input reaches 2^32 words without 16 GiB of address space: the capacity is forged, and
    // the library's allocation made to fail for it.
    const huge = 2 ** 32 + 5;
    const f = fresh({
      primesCapacity: (limit) => (limit === 1000 ? huge : 64),
      refuseBatch: (words) => words === huge,
    });
    await expect(f.api.primesUpToAsync(1000)).rejects.toMatchObject({
      code: 'ERR_MEMORY_ALLOCATION_FAILED',
      message: `ffi-deep-dive: could not allocate an async batch of ${huge} values`,
    });
    expect(f.batches).toEqual([[1, huge, null]]);
    expect(f.native).toHaveLength(0);
    const after = f.api.primesUpToAsync(10); // the module carries on
    await turn();
    f.native[0].finish();
    await expect(after).resolves.toEqual(new Uint32Array([2, 3, 5, 7]));
  });

  it('writes 64-bit job fields as two words, low first; Rust runs the table the module wrote', async () => {
    const f = fresh();
    const pending = f.api.sumOfEvenAsync(new Uint32Array(70_000).fill(2)); // a large batch: its arena at 0
    await turn();
    const c = f.native[0];
    // Words 4-7: input_offset (0, 0), input_len (70,000, 0).
    expect([c.count, c.arenaLength, ...c.table.subarray(0, 8)]).toEqual([1, 70_000, 1, 0, 0, 0, 0, 0, 70_000, 0]);
    c.finish();
    await expect(pending).resolves.toBe(140_000);
  });

  it('a primes job’s output offset goes into its own entry: the job before it keeps its length', async () => {
    const f = fresh(); // 2 slots
    // Round 1 leaves 2s in the first batch's arena (a spare batch keeps its old values).
    const old = f.api.sumOfEvenAsync(new Uint32Array(1000).fill(2));
    await turn();
    f.native[0].finish();
    await expect(old).resolves.toBe(2000);
    // Round 2: that batch takes the 1st, 2nd and 4th calls (the round robin), at arena offsets 0, 1 and 2.
    const calls = [
      f.api.sumOfEvenAsync([4]),
      f.api.sumOfEvenAsync([6]),
      f.api.sumOfEvenAsync([8]),
      f.api.primesUpToAsync(10),
    ];
    await turn();
    expect(f.native.map((c) => c.count)).toEqual([1, 3, 1]);
    expect(f.native[1].batch).toBe(f.native[0].batch);
    f.native.slice(1).forEach((c) => c.finish());
    await expect(Promise.all(calls)).resolves.toEqual([4, 6, 8, new Uint32Array([2, 3, 5, 7])]);
  });
});

describe('the threads runner (Deno and Bun): batches on the library’s background threads, polled', () => {
  it('resolves a mix of calls, small and large, copied and transferred, as the koffi runner does', async () => {
    const f = fresh({ runner: 'threads' });
    const big = new Uint32Array(3_000_000).fill(2);
    const moved = new Uint32Array(70_000).fill(4);
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      calls.push(f.api.sumOfEvenAsync([2 * i, 1]));
      calls.push(f.api.primesUpToAsync(i));
    }
    calls.push(f.api.sumOfEvenBigIntAsync(big), f.api.primesUpToAsync(2_000_000));
    calls.push(f.api.sumOfEvenAsync(moved, { transfer: true }));
    const results = await Promise.all(calls);
    for (let i = 0; i < 300; i++) {
      expect(results[2 * i]).toBe(2 * i);
      expect((results[2 * i + 1] as Uint32Array).length).toBe(primeCount(i));
    }
    expect(results.slice(600, 602).map((r) => (typeof r === 'bigint' ? r : (r as Uint32Array).length))).toEqual([
      6_000_000n,
      148_933,
    ]);
    // The transferred buffer was copied into a batch (this runtime might free it under a run), and handed back.
    expect(moved.length).toBe(0);
    expect(results[602]).toEqual({ sum: 280_000, numbers: new Uint32Array(70_000).fill(4) });
    expect(f.native).toHaveLength(0); // nothing went through koffi's .async
  });
});

/** The number of primes <= n, by trial division (small n). */
function primeCount(n: number): number {
  let count = 0;
  for (let i = 2; i <= n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) if (i % d === 0) prime = false;
    if (prime) count++;
  }
  return count;
}

describe('a transferred call that cannot be queued', () => {
  it('hands the detached array back on its error (error.numbers), like a settled call', async () => {
    const f = fresh({ runner: 'threads', refuseBatch: (words) => words === 70_000 });
    const moved = new Uint32Array(70_000).fill(4);
    const err = (await f.api.sumOfEvenAsync(moved, { transfer: true }).catch((e: unknown) => e)) as Error & {
      code: string;
      numbers: Uint32Array;
    };
    expect(err.code).toBe('ERR_MEMORY_ALLOCATION_FAILED');
    expect(moved.length).toBe(0); // detached: the array is in the error
    expect(err.numbers).toEqual(new Uint32Array(70_000).fill(4));
  });
});
