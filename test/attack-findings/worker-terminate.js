// Workers terminated at many timings while async calls (both runners), OpaquePoints and countWhere run.
// Usage: FFI_DEEP_DIVE_ASYNC=koffi|threads node worker-terminate.js [rounds]
const { Worker } = require('node:worker_threads');
const raw = require('../../dist/raw');
const code = `
const api = require(${JSON.stringify(require.resolve('../../dist'))});
require('node:worker_threads').parentPort.postMessage('loaded');
const big = new Uint32Array(200000).fill(2);
let i = 0;
(function loop() {
  for (let k = 0; k < 20; k++) {
    api.sumOfEvenAsync(big).catch(() => {});
    api.primesUpToAsync(300000 + (i++ % 7)).catch(() => {});
    api.sumOfEvenAsync([2, 4]).catch(() => {});
    api.sumOfEvenAsync(new Uint32Array(70000).fill(2), { transfer: true }).catch(() => {});
    new api.OpaquePoint(1, 2);
    api.countWhere([1, 2, 3], () => { new api.OpaquePoint(3, 4); return true; });
  }
  setImmediate(loop);
})();
`;
(async () => {
  const rounds = Number(process.argv[2] || 40);
  const base = {
    batches: raw.async_batch_live_count(),
    points: raw.opaque_point_live_count(),
    errors: raw.ffi_error_live_count(),
  };
  for (let r = 0; r < rounds; r++) {
    const ws = [];
    for (let j = 0; j < 4; j++) ws.push(new Worker(code, { eval: true, env: process.env }));
    // AFTER_LOAD=1: terminate only once every worker has loaded the package
    if (process.env.AFTER_LOAD === '1') await Promise.all(ws.map((w) => new Promise((res) => w.once('message', res))));
    await new Promise((res) => setTimeout(res, (r * 7) % 60));
    await Promise.all(ws.map((w) => w.terminate()));
  }
  let now;
  for (let t = 0; t < 100; t++) {
    now = {
      batches: raw.async_batch_live_count(),
      points: raw.opaque_point_live_count(),
      errors: raw.ffi_error_live_count(),
      threads: raw.async_batch_thread_count(),
    };
    if (now.batches === base.batches && now.points === base.points && now.errors === base.errors) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  console.log(JSON.stringify({ base, now }));
})();
