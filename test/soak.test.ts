/**
 * Soak: many iterations of each allocating public function. Afterwards every
 * live-object counter the library exports (each `*_live_count` function of
 * the raw layer, found automatically) is back at its baseline, and the
 * process's RSS grew by less than RSS_BOUND after warm-up and GC.
 *
 * `make test` runs a short version; `make soak` runs SOAK_ITERATIONS
 * (default 1,000,000) per row. To add a function: a row in ROWS.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as api from '../ts';
import * as raw from '../ts/raw';

const ITERATIONS = Number(process.env.SOAK_ITERATIONS ?? 10_000);
const WARMUP = Math.min(10_000, ITERATIONS);
/** RSS may grow by at most this much over a row's iterations, after warm-up and GC. */
const RSS_BOUND = 32 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Every `*_live_count` counter the library exports. */
const counters = (Object.entries(raw) as [string, unknown][]).filter(
  (e): e is [string, () => number] => e[0].endsWith('_live_count') && typeof e[1] === 'function',
);

const readCounters = (): Record<string, number> => Object.fromEntries(counters.map(([name, f]) => [name, Number(f())]));

/**
 * Collects garbage and lets FinalizationRegistry callbacks run (they run
 * from the event loop after a GC). A full GC of jest's heap takes ~0.4 s.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const long = 'x'.repeat(5000); // past the 4 KiB scratch buffer, so Rust allocates
const bytes = Buffer.from('héllo wörld');

/** π(n) for n = 0..299, by a plain sieve: primesUpTo's result length. */
const primeCounts = ((): number[] => {
  const composite = new Uint8Array(300);
  const counts: number[] = [];
  let count = 0;
  for (let n = 0; n < 300; n++) {
    if (n >= 2 && composite[n] === 0) {
      count++;
      for (let j = n * n; j < 300; j += n) composite[j] = 1;
    }
    counts.push(count);
  }
  return counts;
})();

/**
 * One row per allocating public function (or allocation path): a call that
 * checks its result. A row may be async (return a Promise): each call is
 * awaited before the next.
 */
const ROWS: Record<string, (i: number) => void | Promise<void>> = {
  'concatStrings (short, reused UTF-16 buffer)': (i) => {
    if (api.concatStrings('n=', String(i)) !== `n=${i}`) throw new Error('wrong result');
  },
  'concatStrings (long, a JS-owned UTF-16 buffer per call)': (i) => {
    if (api.concatStrings(long, String(i)).length !== 5000 + String(i).length) throw new Error('wrong result');
  },
  'OpaquePoint (new, translate, describe, free)': (i) => {
    const p = new api.OpaquePoint(i % 1000, 1);
    if (p.translate(1, 0).describe().length === 0) throw new Error('wrong result');
    p.free();
  },
  'OpaquePoint (never freed: the FinalizationRegistry frees it after GC)': (i) => {
    if (new api.OpaquePoint(i % 1000, 1).x !== i % 1000) throw new Error('wrong result');
  },
  'countCharacters (string)': () => {
    if (api.countCharacters('héllo wörld 🦀') !== 13) throw new Error('wrong result');
  },
  'countCharacters (bytes, passed with their length)': () => {
    if (api.countCharacters(bytes) !== 11) throw new Error('wrong result');
  },
  'primesUpTo (Rust-owned array copied and freed at once)': (i) => {
    const p = api.primesUpTo(i % 300);
    if (p.length !== primeCounts[i % 300] || (p.length > 0 && p[0] !== 2)) throw new Error('wrong result');
  },
  'primesUpToAsync (on a koffi worker, freed when the Promise settles)': async (i) => {
    const p = await api.primesUpToAsync(i % 300);
    if (p.length !== primeCounts[i % 300] || (p.length > 0 && p[0] !== 2)) throw new Error('wrong result');
  },
};

const results: string[] = [];

describe(`soak: ${ITERATIONS} iterations per row`, () => {
  it('finds the live counters', () => {
    expect(counters.map(([n]) => n)).toEqual(
      expect.arrayContaining(['rust_string_live_count', 'opaque_point_live_count', 'u32_array_live_count']),
    );
  });

  it.each(Object.entries(ROWS))('%s: counters return to baseline, RSS bounded', async (name, call) => {
    for (let i = 0; i < WARMUP; i++) {
      const r = call(i);
      if (r !== undefined) await r; // only async rows pay for an await
    }
    await settle();
    const baseline = readCounters();
    const rss0 = process.memoryUsage.rss();
    for (let i = 0; i < ITERATIONS; i++) {
      const r = call(i);
      if (r !== undefined) await r;
      // Let finalizers run now and then, as an application's event loop would.
      if (i % 100_000 === 99_999) await new Promise((resolve) => setImmediate(resolve));
    }
    await settle();
    const growth = process.memoryUsage.rss() - rss0;
    results.push(`${name}: RSS ${(growth / 1024 / 1024).toFixed(1)} MiB`);
    expect(readCounters()).toEqual(baseline);
    expect(growth).toBeLessThan(RSS_BOUND);
  });

  afterAll(() => {
    if (process.env.SOAK_VERBOSE !== undefined || process.env.SOAK_ITERATIONS !== undefined) {
      process.stderr.write(
        `soak (${ITERATIONS} iterations, bound ${RSS_BOUND / 1024 / 1024} MiB):\n  ${results.join('\n  ')}\n`,
      );
    }
  });
});
