// process.exit() and worker.terminate() while a countWhere predicate runs (Rust's count_where is on the stack,
// inside a koffi callback). MODE=worker-exit | worker-terminate | main-exit. Usage: MODE=... node exit-in-predicate.js [rounds]
const { Worker } = require('node:worker_threads');
const dist = JSON.stringify(require.resolve('../../dist'));
const mode = process.env.MODE || 'worker-exit';
(async () => {
  if (mode === 'main-exit') {
    const api = require('../../dist');
    const p = new api.OpaquePoint(1, 2);
    api.countWhere([1, 2, 3], () =>
      api.countWhere([4], () => {
        p.free();
        process.exit(0);
      }),
    );
    return;
  }
  const rounds = Number(process.argv[2] || 100);
  for (let r = 0; r < rounds; r++) {
    const code =
      mode === 'worker-exit'
        ? `const api = require(${dist}); const p = new api.OpaquePoint(1, 2); api.sumOfEvenAsync(new Uint32Array(100000)); api.countWhere([1, 2, 3], () => api.countWhere([4], () => process.exit(0)));`
        : `const { parentPort } = require('node:worker_threads'); const api = require(${dist}); parentPort.postMessage(1); for (;;) api.countWhere(new Uint32Array(1000), (v) => api.countWhere([v], () => { new api.OpaquePoint(1, 2); return api.sumOfEven([2]) > 0; }) > 0);`;
    const w = new Worker(code, { eval: true });
    if (mode === 'worker-terminate') {
      await new Promise((res) => w.once('message', res));
      await new Promise((res) => setTimeout(res, r % 11));
      await w.terminate();
    } else {
      await new Promise((res) => w.once('exit', res));
    }
  }
  console.log('survived', rounds);
})();
