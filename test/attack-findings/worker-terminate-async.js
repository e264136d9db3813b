// Workers terminated while they make async calls (after the package loaded): a new async batch is viewed with
// koffi.view, which throws while the worker terminates, and koffi's throw then aborts the whole process
// (FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw). Both runners.
// Usage: FFI_DEEP_DIVE_ASYNC=koffi|threads node worker-terminate-async.js [rounds]
const { Worker } = require('node:worker_threads');
const code = `
const { parentPort } = require('node:worker_threads');
const api = require(${JSON.stringify(require.resolve('../../dist'))});
parentPort.postMessage(1);
const inputs = [];
for (let i = 0; i < 8; i++) inputs.push(new Uint32Array(70000 + i * 1000));
(function loop() {
  for (const a of inputs) api.sumOfEvenAsync(a).catch(() => {});
  setImmediate(loop);
})();
`;
(async () => {
  const rounds = Number(process.argv[2] || 200);
  for (let r = 0; r < rounds; r++) {
    const w = new Worker(code, { eval: true });
    await new Promise((res) => w.once('message', res));
    await new Promise((res) => setTimeout(res, r % 13));
    await w.terminate();
  }
  console.log('survived', rounds);
})();
