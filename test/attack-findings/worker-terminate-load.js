// Workers terminated while they load koffi alone (MODE=koffi) or the package (MODE=package, koffi already loaded
// in the worker first). A napi_throw refused during termination aborts the whole process (FATAL ERROR:
// Error::ThrowAsJavaScriptException napi_throw) inside koffi.node.
// MODE=struct: koffi alone, koffi.struct in a loop, aborts the same way (koffi's bug, not the package's).
// MODE=view: koffi alone, koffi.view in a loop (the call ts/raw/async.ts makes for each new async batch).
// MODE=call: a plain koffi call with a typed array in a loop (what the package's synchronous functions do).
// Usage: MODE=koffi|struct|view|call|package node worker-terminate-load.js [rounds]
const { Worker } = require('node:worker_threads');
const koffiPath = require.resolve('koffi');
const dist = require.resolve('../../dist');
const code =
  process.env.MODE === 'koffi'
    ? `require(${JSON.stringify(koffiPath)});`
    : process.env.MODE === 'view' // koffi alone, no package: koffi.view of a live block in a loop
      ? `const { parentPort } = require('node:worker_threads'); const koffi = require(${JSON.stringify(koffiPath)}); const libc = koffi.load('libc.so.6'); const malloc = libc.func('void *malloc(size_t)'); const p = malloc(4096); parentPort.postMessage(1); for (;;) new Uint32Array(koffi.view(p, 4096))[0]++;`
      : process.env.MODE === 'call' // koffi alone: a plain call with a typed-array argument in a loop
        ? `const { parentPort } = require('node:worker_threads'); const koffi = require(${JSON.stringify(koffiPath)}); const libc = koffi.load('libc.so.6'); const memset = libc.func('void *memset(_Out_ uint8_t *s, int c, size_t n)'); const a = new Uint8Array(64); parentPort.postMessage(1); for (;;) memset(a, 1, 64);`
        : process.env.MODE === 'struct' // koffi alone, no package: declarations in a loop
          ? `const { parentPort } = require('node:worker_threads'); const koffi = require(${JSON.stringify(koffiPath)}); parentPort.postMessage(1); for (;;) koffi.struct({ a: 'int', b: 'double' });`
          : `const { parentPort } = require('node:worker_threads'); require(${JSON.stringify(koffiPath)}); parentPort.postMessage(1); require(${JSON.stringify(dist)});`;
(async () => {
  const rounds = Number(process.argv[2] || 200);
  for (let r = 0; r < rounds; r++) {
    const w = new Worker(code, { eval: true });
    if (process.env.MODE !== 'koffi') await new Promise((res) => w.once('message', res));
    const delay = r % 20;
    if (delay > 0) await new Promise((res) => setTimeout(res, delay));
    await w.terminate();
  }
  console.log('survived', rounds);
})();
