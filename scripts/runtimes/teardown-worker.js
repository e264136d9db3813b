'use strict';
// The worker of scripts/runtimes/teardown.js: starts many async calls, tells
// the parent how many, then ends as workerData.how says (see teardown.js).
const { parentPort, workerData } = require('node:worker_threads');
const { variant, how, library } = workerData;

const pending = [];
if (variant === 'package') {
  const api = require('ffi-deep-dive');
  for (let i = 0; i < 300; i++) {
    pending.push(api.primesUpToAsync(i % 3 === 0 ? 3_000_000 + i : 10_000 + i));
    pending.push(api.sumOfEvenAsync(new Uint32Array(i % 50 === 0 ? 2_000_000 : 1000).fill(i)));
    pending.push(api.sumOfEvenBigIntAsync(new Uint32Array(5000).fill(2), { transfer: i % 2 === 0 }));
    pending.push(api.sumOfEvenAsync(new Uint32Array(3000).fill(i), { transfer: true }));
  }
} else {
  const koffi = require('koffi');
  const lib = koffi.load(library);
  const U32Array = koffi.struct({ data: 'uint32_t *', len: 'size_t', capacity: 'size_t' });
  const primes = lib.func('primes_up_to', 'int', ['uint32_t', koffi.out(koffi.pointer(U32Array)), 'void *']);
  const free = lib.func('u32_array_free', 'void', [U32Array]);
  const add = lib.func('int add_in_rust(int a, int b)');
  // koffi refuses more than max_async_calls (256) at once: 240 stay below it.
  // A refusal throws here, which ends the worker with an error the parent reports.
  const call = (f, ...args) => {
    let settle;
    const p = new Promise((resolve, reject) => (settle = (err, value) => (err ? reject(err) : resolve(value))));
    f.async(...args, settle);
    return p;
  };
  for (let i = 0; i < 120; i++) {
    const out = {};
    pending.push(call(primes, i % 3 === 0 ? 3_000_000 + i : 10_000 + i, out, null).then(() => free(out)));
    pending.push(call(add, i, 1));
  }
}
// Unhandled rejections would end the worker differently from `how`.
for (const p of pending) p.catch(() => {});
if (how === 'exit') parentPort.once('message', () => process.exit(0));
parentPort.postMessage(pending.length);
