/**
 * Issue 11, class 5: native memory does not outlive the worker thread that
 * owned it. A worker holds live OpaquePoints (freed, registered with the
 * FinalizationRegistry, and pending registration) and has async calls in
 * flight, some of which settle only after it is gone; however it ends
 * (`terminate()`, `process.exit()`, or running out of work), every live
 * counter (error objects included: the worker's own, for its synchronous
 * calls, is thread-owned) returns to its value before the worker started. (The polling below
 * is bounded by a count of event-loop turns, not by time: the in-flight calls
 * must finish on the thread pool before their results can be freed.)
 */
import { inChild, ROOT } from './child';

const WORKER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const api = require(${JSON.stringify(ROOT)});
  globalThis.kept = [];
  for (let i = 0; i < 3000; i++) {
    const p = new api.OpaquePoint(i, -i);
    if (i % 3 === 0) p.free(); else kept.push(p);
  }
  // In flight: large sieves and sums on the thread pool, which outlast the worker when it is cut short.
  globalThis.calls = [];
  for (let k = 0; k < 12; k++) {
    calls.push(api.primesUpToAsync(2_000_000 + k).then((r) => r.length));
    calls.push(api.sumOfEvenAsync(new Uint32Array(1 << 20).fill(2)));
  }
  for (let i = 0; i < 500; i++) kept.push(new api.OpaquePoint(i, i)); // pending registration (same job)
  kept.push(api.concatStrings('x'.repeat(5000), 'y'));
  parentPort.postMessage('ready');
  if (workerData === 'exit') process.exit(0);
  // Kept alive until the parent terminates it: on a loaded machine its calls
  // could otherwise all settle first and the worker end by itself (exit code 0).
  if (workerData === 'terminate') setInterval(() => {}, 1 << 30);
`;

describe('class 5: a worker that ends leaves nothing live', () => {
  it.each([
    ['is terminated with live points and async calls in flight', 'terminate', 1],
    ['calls process.exit() with live points and async calls in flight', 'exit', 0],
    ['runs out of work with live points still referenced', 'natural', 0],
  ])('a worker that %s', (_title, mode, exitCode) => {
    const r = inChild(`
      const { Worker } = require('node:worker_threads');
      const counters = () => ({ points: raw.opaque_point_live_count(), arrays: raw.u32_array_live_count(), strings: raw.rust_string_live_count(), errors: raw.ffi_error_live_count() });
      const base = counters();
      const w = new Worker(${JSON.stringify(WORKER)}, { eval: true, workerData: ${JSON.stringify(mode)} });
      let ready = false;
      w.on('message', () => { ready = true; if (${JSON.stringify(mode)} === 'terminate') void w.terminate(); });
      const code = await new Promise((resolve, reject) => { w.on('exit', resolve); w.on('error', reject); });
      const same = (a, b) => a.points === b.points && a.arrays === b.arrays && a.strings === b.strings && a.errors === b.errors;
      for (let i = 0; i < 20000 && !same(counters(), base); i++) await new Promise((r) => setImmediate(r));
      done({ ready, code, left: counters(), base });
    `);
    const { ready, code, left, base } = r as { ready: boolean; code: number; left: unknown; base: unknown };
    expect({ ready, code }).toEqual({ ready: true, code: exitCode });
    expect(left).toEqual(base);
  });
});
