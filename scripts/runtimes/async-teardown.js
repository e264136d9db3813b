'use strict';
// Worker teardown with async calls in flight, on Node.js, Bun or Deno (issue 23).
//
//   node scripts/runtimes/async-teardown.js [how] [package]
//   bun  scripts/runtimes/async-teardown.js [how] [package]
//   deno run --allow-read --allow-env --allow-ffi scripts/runtimes/async-teardown.js [how] [package]
//
// how: terminate (the parent calls worker.terminate()), exit (the worker calls
// process.exit()) or end (the worker lets every call settle and ends); default terminate.
// package: the package to require (a directory or a name); default this checkout.
// ASYNC_TEARDOWN_LIMIT: the limit of the large primes calls (every third call;
// default 3000000, about 5 ms each here): larger keeps more runs in flight.
//
// A worker starts calls of every async function (copied small and large,
// transferred, primes small and large: 900 in all), tells the parent, and ends
// as `how` says while they run. The parent then waits (up to 30 s) for the
// live counters to come back to their baseline (a run still in progress on a
// background thread holds its batch until it ends), checks that async calls
// still work, and prints one JSON line. Exit status 0 if every check held, 1
// if one did not; a crash is the runtime's signal (the caller sees it).
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const how = process.argv[2] ?? 'terminate';
const pkg = process.argv[3] ?? path.resolve(__dirname, '..', '..');
if (!['terminate', 'exit', 'end'].includes(how)) {
  console.error(`async-teardown: unknown way to end '${how}' (terminate, exit or end)`);
  process.exit(2);
}
// A directory: its dist/ (this checkout, or an unpacked package); otherwise a package name and its ./raw export.
const isDir = pkg.startsWith('.') || path.isAbsolute(pkg);
const apiPath = require.resolve(isDir ? path.resolve(pkg) : pkg);
const rawPath = require.resolve(isDir ? path.join(path.resolve(pkg), 'dist', 'raw') : `${pkg}/raw`);
const api = require(apiPath);
const raw = require(rawPath);

const counters = () => ({
  batches: typeof raw.async_batch_live_count === 'function' ? raw.async_batch_live_count() : 0,
  arrays: raw.u32_array_live_count(),
  strings: raw.rust_string_live_count(),
  errors: raw.ffi_error_live_count(),
  points: raw.opaque_point_live_count(),
});

const workerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const api = require(workerData.pkg);
  const pending = [];
  for (let i = 0; i < 300; i++) {
    pending.push(api.primesUpToAsync(i % 3 === 0 ? workerData.limit + i : 10000 + i));
    pending.push(api.sumOfEvenAsync(new Uint32Array(i % 50 === 0 ? 2000000 : 1000).fill(i)));
    pending.push(api.sumOfEvenBigIntAsync(new Uint32Array(i % 100 === 0 ? 100000 : 5000).fill(2), { transfer: true }));
  }
  if (workerData.how === 'end') {
    Promise.all(pending).then((r) => parentPort.postMessage({ settled: r.length }));
  } else {
    parentPort.once('message', () => process.exit(0));
    parentPort.postMessage({ started: pending.length });
  }
`;

async function main() {
  // A first call on this thread: its spare batches are part of the baseline.
  await Promise.all([api.primesUpToAsync(100), api.sumOfEvenAsync([2, 4])]);
  const before = counters();
  const w = new Worker(workerSource, {
    eval: true,
    workerData: { pkg: apiPath, how, limit: Number(process.env.ASYNC_TEARDOWN_LIMIT ?? 3000000) },
  });
  const exited = new Promise((resolve) => w.once('exit', resolve));
  const message = await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  let code;
  if (how === 'terminate') code = await w.terminate();
  else if (how === 'exit') {
    w.postMessage('exit');
    code = await exited;
  } else code = await exited;
  const deadline = Date.now() + 30000;
  let after = counters();
  while (JSON.stringify(after) !== JSON.stringify(before) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    after = counters();
  }
  const still = await Promise.all([api.primesUpToAsync(100), api.sumOfEvenAsync([2, 4, 5])]);
  const runtime = process.versions.bun
    ? `bun ${process.versions.bun}`
    : process.versions.deno
      ? `deno ${process.versions.deno}`
      : `node ${process.versions.node}`;
  const result = {
    runtime,
    runner: raw.ASYNC_RUNNER ?? 'koffi (before AsyncBatch)',
    how,
    message,
    code,
    before,
    after,
    still: [still[0].length, still[1]],
  };
  const ok = JSON.stringify(after) === JSON.stringify(before) && still[0].length === 25 && still[1] === 6;
  console.log(JSON.stringify({ ok, ...result }));
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
