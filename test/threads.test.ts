/**
 * Threads: 4 worker threads each load the package and call every public
 * function at the same time for a few seconds (test/threads.worker.js holds
 * the table of calls). Every result must be correct, nothing may crash, and
 * no Rust string, Rust-owned u32 array or OpaquePoint may be left behind.
 *
 * To add a function: a row in ROWS in test/threads.worker.js (the test fails
 * while a public function has none).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as api from '../ts';
import { settleGarbage } from './fixtures/settle-garbage';
import { opaque_point_live_count, rust_string_live_count, u32_array_live_count } from '../ts/raw';

const WORKERS = 4;
const DURATION_MS = Number(process.env.THREADS_MS ?? 2000);
const PACKAGE_ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(__dirname, 'threads.worker.js');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const table = require(WORKER) as { ROWS: string[]; NOT_CALLED: Record<string, string> };

type Report = { calls?: Record<string, number>; liveStrings?: number; error?: string };

function runWorker(): Promise<Report> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { packageRoot: PACKAGE_ROOT, durationMs: DURATION_MS } });
    let report: Report | undefined;
    w.on('message', (m: Report) => (report = m));
    w.on('error', reject);
    w.on('exit', (code) =>
      code === 0 && report !== undefined ? resolve(report) : reject(new Error(`worker exited with ${code}`)),
    );
  });
}

describe('worker_threads', () => {
  it('the table has a row for every public function', () => {
    const exported = Object.keys(api);
    expect(exported.filter((k) => !table.ROWS.includes(k) && !(k in table.NOT_CALLED))).toEqual([]);
    expect(table.ROWS.filter((k) => !exported.includes(k))).toEqual([]);
  });

  it(`${WORKERS} workers call every function concurrently with correct results`, async () => {
    await settleGarbage();
    const before = rust_string_live_count();
    const arraysBefore = u32_array_live_count();
    const pointsBefore = opaque_point_live_count();
    // The main thread keeps calling too.
    let mainCalls = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 100; i++) {
        if (api.concatStrings('main', String(i)) !== `main${i}`) throw new Error('wrong result on main thread');
        mainCalls++;
      }
    }, 1);
    const reports = await Promise.all(Array.from({ length: WORKERS }, runWorker)).finally(() => clearInterval(timer));
    expect(reports.map((r) => r.error).filter((e) => e !== undefined)).toEqual([]);
    for (const r of reports) {
      for (const name of table.ROWS)
        expect({ name, called: (r.calls?.[name] ?? 0) > 0 }).toEqual({ name, called: true });
    }
    const total = reports.reduce((n, r) => n + Object.values(r.calls ?? {}).reduce((a, b) => a + b, 0), 0);
    if (process.env.THREADS_VERBOSE !== undefined) {
      process.stderr.write(`threads: ${WORKERS} workers, ${total} calls in ${DURATION_MS} ms, ${mainCalls} on main\n`);
    }
    expect(total).toBeGreaterThan(0);
    expect(rust_string_live_count()).toBe(before);
    expect(u32_array_live_count()).toBe(arraysBefore);
    expect(opaque_point_live_count()).toBe(pointsBefore);
  });
});
