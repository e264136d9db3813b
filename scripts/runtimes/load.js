'use strict';
// Load under whichever runtime runs this file (Node, Bun or Deno), from a
// folder where the packed tarball is installed:
//   1. 10,000 async calls in flight at once (every async function, copied and
//      transferred), each result checked against a plain-JS model;
//   2. four worker threads (node:worker_threads), each busy with sync and
//      async calls of its own while the others run, results checked;
//   3. the library's live counters back at their baseline afterwards.
// Prints one line; exits 1 on the first wrong result.
const assert = require('node:assert/strict');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const api = require('ffi-deep-dive');
const raw = require('ffi-deep-dive/raw');

const evenSum = (a) => a.reduce((s, v) => (v % 2 === 0 ? s + v : s), 0);
const PRIME_COUNTS = { 1000: 168, 10_000: 1229, 100_000: 9592 };

/** `n` async calls of every kind, all started before any is awaited; checks each result. */
async function manyAsync(n, seed) {
  const pending = [];
  for (let i = 0; i < n; i++) {
    const values = Uint32Array.from({ length: 16 + (i % 64) }, (_, k) => (k * 7 + i + seed) >>> 0);
    const sum = evenSum([...values]);
    switch (i % 4) {
      case 0:
        pending.push(api.sumOfEvenAsync(values).then((s) => assert.equal(s, sum)));
        break;
      case 1:
        pending.push(api.sumOfEvenBigIntAsync([...values]).then((s) => assert.equal(s, BigInt(sum))));
        break;
      case 2:
        pending.push(
          api.sumOfEvenAsync(values, { transfer: true }).then((r) => {
            assert.equal(r.sum, sum);
            assert.equal(r.numbers.length, 16 + (i % 64));
          }),
        );
        break;
      default: {
        const limit = [1000, 10_000, 100_000][i % 3];
        pending.push(api.primesUpToAsync(limit).then((p) => assert.equal(p.length, PRIME_COUNTS[limit])));
      }
    }
  }
  await Promise.all(pending);
  return pending.length;
}

/** Sync calls of several kinds, `n` rounds. */
function busySync(n, seed) {
  for (let i = 0; i < n; i++) {
    assert.equal(api.addInRust(i, seed), (i + seed) | 0);
    assert.equal(api.concatStrings(`w${seed}`, String(i)), `w${seed}${i}`);
    assert.equal(api.countCharacters(`🦀${i}`), 1 + String(i).length);
    assert.equal(
      api.countWhere([i, i + 1, i + 2], (v) => v % 2 === 0),
      i % 2 === 0 ? 2 : 1,
    );
    const p = new api.OpaquePoint(i, seed);
    try {
      assert.deepEqual(p.translate(1, 1).toJSON(), { x: Math.fround(i + 1), y: seed + 1 });
    } finally {
      p.free();
    }
    assert.throws(() => api.addChecked(2 ** 31 - 1, 1 + (i % 5)), { name: 'FfiError', code: 'ERR_FFI_OVERFLOW' });
  }
  return n;
}

const counters = () => [
  raw.u32_array_live_count(),
  raw.rust_string_live_count(),
  raw.opaque_point_live_count(),
  raw.ffi_error_live_count(),
];

/** Waits until the counters equal `baseline`, at most `ms`; returns how long it waited. */
async function baselineWithin(ms, baseline) {
  const started = Date.now();
  while (JSON.stringify(counters()) !== JSON.stringify(baseline) && Date.now() - started < ms) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

if (isMainThread) {
  (async () => {
    await manyAsync(8, 0); // what the module allocates once is part of the baseline
    const baseline = counters();
    const started = Date.now();
    const inFlight = await manyAsync(10_000, 1);
    const workers = await Promise.all(
      [1, 2, 3, 4].map(
        (seed) =>
          new Promise((resolve, reject) => {
            const w = new Worker(__filename, { workerData: { seed } });
            let result;
            w.once('message', (m) => (result = m));
            w.once('error', reject);
            w.once('exit', (code) =>
              code === 0 && result ? resolve(result) : reject(new Error(`worker ${seed}: exit ${code}`)),
            );
          }),
      ),
    );
    // Every worker has ended and every call settled: nothing may stay allocated.
    // A worker's thread-owned error object is freed when its thread exits, which
    // a runtime may do after the 'exit' event: waited for, up to 5 s.
    const waited = await baselineWithin(5000, baseline);
    assert.deepEqual(counters(), baseline, 'live counters (arrays, strings, points, errors) back at their baseline');
    console.log(
      `load: ${inFlight} async calls in flight at once, all correct; 4 workers: ${workers.join(', ')} calls, all correct; ` +
        `live counters at baseline (${baseline.join(', ')}) ${waited} ms after the last exit; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  (async () => {
    const { seed } = workerData;
    let calls = busySync(500, seed) * 6;
    calls += await manyAsync(1000, seed);
    calls += busySync(500, seed) * 6;
    parentPort.postMessage(calls);
  })().catch((err) => {
    // Rethrown outside the promise: the worker's 'error' event carries it.
    setTimeout(() => {
      throw err;
    });
  });
}
