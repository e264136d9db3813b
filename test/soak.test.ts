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

/** One row per allocating public function (or allocation path): a call that checks its result. */
const ROWS: Record<string, (i: number) => void> = {
  'concatStrings (short, caller buffer)': (i) => {
    if (api.concatStrings('n=', String(i)) !== `n=${i}`) throw new Error('wrong result');
  },
  'concatStrings (long, Rust-owned string freed at once)': (i) => {
    if (api.concatStrings(long, String(i)).length !== 5000 + String(i).length) throw new Error('wrong result');
  },
  'countCharacters (string)': () => {
    if (api.countCharacters('héllo wörld 🦀') !== 13) throw new Error('wrong result');
  },
  'countCharacters (bytes, copied with a NUL)': () => {
    if (api.countCharacters(bytes) !== 11) throw new Error('wrong result');
  },
};

const results: string[] = [];

describe(`soak: ${ITERATIONS} iterations per row`, () => {
  it('finds the live counters', () => {
    expect(counters.map(([n]) => n)).toContain('rust_string_live_count');
  });

  it.each(Object.entries(ROWS))('%s: counters return to baseline, RSS bounded', async (name, call) => {
    for (let i = 0; i < WARMUP; i++) call(i);
    await settle();
    const baseline = readCounters();
    const rss0 = process.memoryUsage.rss();
    for (let i = 0; i < ITERATIONS; i++) {
      call(i);
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
