/**
 * Lifetimes (issue 11, classes 5 and 6): no native memory outlives the JS
 * environment that owned it, and memory left to the garbage collector stays
 * bounded inside one long synchronous loop.
 *
 * - Worker threads: OpaquePoints still live when a worker ends, by a normal
 *   exit, process.exit() or worker.terminate() (idle or in the middle of a
 *   synchronous loop), are freed with the worker's thread
 *   (opaque_point_new_thread_owned), and so is the worker's error object for
 *   synchronous calls (ffi_error_new_thread_owned); the live counters return
 *   to where they were.
 * - The main thread: the thread registry does not double-free what free() or
 *   the FinalizationRegistry freed.
 * - primesUpTo copies into a JS-owned Uint32Array and frees the Rust array in
 *   the call: 3,000,000 calls in one loop stay under 400 MiB of RSS.
 * - The documented V8 heap bound per OpaquePoint left to the GC holds.
 *
 * The memory checks run in child processes (`node --expose-gc` where needed;
 * the heap measurement also with `--single-threaded-gc`, so that sweeping is done
 * when `gc()` returns),
 * on the package built in dist/ (`make` builds it before jest).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OpaquePoint } from '../ts';
import * as raw from '../ts/raw';
import { settleGarbage } from './fixtures/settle-garbage';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const WORKER = path.join(__dirname, 'lifetimes.worker.js');

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST, 'index.js'))) {
    throw new Error(`${DIST}/index.js is missing: run \`make\` (make test builds it before jest)`);
  }
});

type Ready = { ready: true; owned: number; kept: number };
type Ended = { code: number; ready?: Ready; error?: string };

/** Runs the worker to its end; resolves once its 'exit' event came (after Node joined its thread). */
function runWorker(end: string): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { packageRoot: ROOT, end } });
    const result: Omit<Ended, 'code'> = {};
    w.on('message', (m: Ready | { error: string }) => {
      if ('error' in m) {
        result.error = m.error;
        void w.terminate();
        return;
      }
      result.ready = m;
      if (end.startsWith('terminate')) void w.terminate();
    });
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, ...result }));
  });
}

describe('a worker thread that ends frees the OpaquePoints it left live', () => {
  it.each([
    ['returns (normal exit)', 'return', 0],
    ['calls process.exit(0)', 'process.exit', 0],
    ['is terminated while idle', 'terminate-idle', 1],
    ['is terminated in the middle of a synchronous loop', 'terminate-busy', 1],
  ])('%s', async (_label, end, exitCode) => {
    await settleGarbage();
    const points = raw.opaque_point_live_count();
    const arrays = raw.u32_array_live_count();
    const strings = raw.rust_string_live_count();
    const errors = raw.ffi_error_live_count();
    const r = await runWorker(end);
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(exitCode);
    // 600 points (200 freed, 400 registered with the FinalizationRegistry) and 300 more (100 freed,
    // 200 pending registration) were live in the worker's registry when it reported ready.
    expect(r.ready).toEqual({ ready: true, owned: 600, kept: 600 });
    // Node emits 'exit' after joining the worker's OS thread, whose thread-local destructor freed them.
    expect(raw.opaque_point_live_count()).toBe(points);
    expect(raw.u32_array_live_count()).toBe(arrays);
    expect(raw.rust_string_live_count()).toBe(strings);
    // The worker's error object for synchronous calls is thread-owned: freed with the thread too.
    expect(raw.ffi_error_live_count()).toBe(errors);
  });
});

describe('the main thread registry', () => {
  it('takes points out when free() frees them (nothing is left for the thread exit)', () => {
    const owned = raw.opaque_point_thread_owned_count();
    const points = raw.opaque_point_live_count();
    const ps = Array.from({ length: 50 }, (_, i) => new OpaquePoint(i, i));
    expect(raw.opaque_point_thread_owned_count()).toBe(owned + 50);
    expect(raw.opaque_point_live_count()).toBe(points + 50);
    for (const p of ps) p.free();
    expect(raw.opaque_point_thread_owned_count()).toBe(owned);
    expect(raw.opaque_point_live_count()).toBe(points);
  });

  it('raw opaque_point_new handles are not registered', () => {
    const owned = raw.opaque_point_thread_owned_count();
    const h = raw.opaque_point_new(1, 2);
    try {
      expect(raw.opaque_point_thread_owned_count()).toBe(owned);
    } finally {
      raw.opaque_point_free(h);
    }
  });
});

/** Runs `script` in a child `node` with `flags`; returns its last stdout line, parsed. */
function runChild<T = Record<string, number>>(flags: string[], script: string): T {
  const child = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', timeout: 300_000 });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

describe('the FinalizationRegistry backstop with the thread registry', () => {
  it('frees forgotten points, never twice, through rounds that grow and empty its slot table', () => {
    const r = runChild<{ rounds: unknown; left: number; ownedLeft: number }>(
      ['--expose-gc'],
      `
      const { OpaquePoint } = require(${JSON.stringify(DIST)});
      const raw = require(${JSON.stringify(path.join(DIST, 'raw'))});
      const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
      async function collect(points) {
        for (let i = 0; i < 400 && raw.opaque_point_live_count() !== points; i++) { global.gc(); await tick(); }
      }
      (async () => {
        const points = raw.opaque_point_live_count();
        const owned = raw.opaque_point_thread_owned_count();
        const rounds = [];
        for (let round = 0; round < 3; round++) {
          let kept = Array.from({ length: 3000 + round * 1000 }, (_, i) => new OpaquePoint(i, round));
          await tick(); // all registered (slots beyond the initial 1024)
          const made = raw.opaque_point_live_count() - points;
          // Freed explicitly after registration: their slots are cleared, taken until the callback.
          kept.forEach((p, i) => { if (i % 2 === 0) p.free(); });
          // New points while the cleared slots are still taken: they must get slots of their own.
          const fresh = Array.from({ length: 500 }, (_, i) => new OpaquePoint(-i, round));
          await tick();
          kept = null;
          const sum = fresh.reduce((s, p) => s + p.y, 0);
          fresh.length = 0;
          await collect(points);
          rounds.push({ made, sum, left: raw.opaque_point_live_count() - points });
        }
        for (let i = 0; i < 5; i++) { global.gc(); await tick(); }
        console.log(JSON.stringify({
          rounds,
          left: raw.opaque_point_live_count() - points,
          ownedLeft: raw.opaque_point_thread_owned_count() - owned,
        }));
      })();
    `,
    );
    expect(r.rounds).toEqual([
      { made: 3000, sum: 0, left: 0 },
      { made: 4000, sum: 500, left: 0 },
      { made: 5000, sum: 1000, left: 0 },
    ]);
    // A double free would have crashed, or wrapped the size_t count below its base.
    expect(r.left).toBe(0);
    expect(r.ownedLeft).toBe(0); // the registry callbacks took them out of the thread's registry too
  }, 120_000);
});

describe('memory left to the garbage collector stays bounded in one synchronous loop', () => {
  it('3,000,000 primesUpTo(100) calls in one loop stay under 400 MiB of RSS', () => {
    const r = runChild(
      [],
      `
      const { primesUpTo } = require(${JSON.stringify(DIST)});
      const raw = require(${JSON.stringify(path.join(DIST, 'raw'))});
      const arrays = raw.u32_array_live_count();
      let peak = process.memoryUsage.rss();
      let primes = 0;
      for (let i = 0; i < 3_000_000; i++) {
        primes += primesUpTo(100).length;
        if (i % 50_000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
      }
      peak = Math.max(peak, process.memoryUsage.rss());
      console.log(JSON.stringify({ primes, peakMiB: peak / 2 ** 20, arraysLeft: raw.u32_array_live_count() - arrays }));
    `,
    );
    expect(r.primes).toBe(25 * 3_000_000);
    expect(r.arraysLeft).toBe(0); // freed inside each call, not later
    expect(r.peakMiB).toBeLessThan(400);
  }, 300_000);

  it(`an OpaquePoint dropped without free() keeps at most ${OpaquePoint.GC_BYTES_PER_UNFREED} bytes of V8 heap until the job ends`, () => {
    const r = runChild(
      ['--expose-gc', '--single-threaded-gc'],
      `
      const { OpaquePoint } = require(${JSON.stringify(DIST)});
      const raw = require(${JSON.stringify(path.join(DIST, 'raw'))});
      const N = 500_000;
      const base = raw.opaque_point_live_count();
      // Warm up: compile the constructor and grow the registries once.
      (() => { for (let i = 0; i < 10_000; i++) new OpaquePoint(i, i).free(); })();
      global.gc();
      global.gc();
      const heap = process.memoryUsage().heapUsed;
      (() => { for (let i = 0; i < N; i++) new OpaquePoint(i, -i); })();
      global.gc();
      global.gc();
      const bytes = (process.memoryUsage().heapUsed - heap) / N;
      const unfreed = raw.opaque_point_live_count() - base;
      // Then the job ends: the FinalizationRegistry frees them all.
      const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
      (async () => {
        for (let i = 0; i < 400 && raw.opaque_point_live_count() !== base; i++) { global.gc(); await tick(); }
        console.log(JSON.stringify({
          N, bytes, unfreed, bound: OpaquePoint.GC_BYTES_PER_UNFREED, left: raw.opaque_point_live_count() - base,
        }));
      })();
    `,
    );
    if (process.env.LIFETIMES_VERBOSE !== undefined) {
      process.stderr.write(`lifetimes: ${r.bytes.toFixed(1)} V8 heap bytes per unfreed OpaquePoint\n`);
    }
    expect(r.bound).toBe(OpaquePoint.GC_BYTES_PER_UNFREED);
    expect(r.unfreed).toBe(r.N); // all still unfreed while the job ran: the bytes measured are theirs
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.bytes).toBeLessThanOrEqual(OpaquePoint.GC_BYTES_PER_UNFREED);
    expect(r.left).toBe(0);
  }, 300_000);
});
