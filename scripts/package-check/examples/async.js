'use strict';
// Example calls for the async concept (ts/async.ts). Async entries are awaited.
const assert = require('node:assert/strict');

module.exports = {
  async sumOfEvenAsync(sumOfEvenAsync) {
    assert.equal(await sumOfEvenAsync(new Uint32Array([1, 2, 3, 4])), 6);
    assert.equal(await sumOfEvenAsync([10, 11]), 10);
    await assert.rejects(sumOfEvenAsync(new Int32Array([2])), TypeError);
    await assert.rejects(sumOfEvenAsync(new Uint32Array(1 << 22).fill(0xfffffffe)), RangeError);
    // Zero-copy: the buffer is detached during the call and handed back.
    const big = new Uint32Array([2, 3, 4]);
    const pending = sumOfEvenAsync(big, { transfer: true });
    assert.equal(big.length, 0);
    const { sum, numbers } = await pending;
    assert.equal(sum, 6);
    assert.deepEqual([...numbers], [2, 3, 4]);
  },
  async sumOfEvenBigIntAsync(sumOfEvenBigIntAsync) {
    assert.equal(await sumOfEvenBigIntAsync([2, 4]), 6n);
    assert.equal(await sumOfEvenBigIntAsync(new Uint32Array(1 << 22).fill(0xfffffffe)), 18014398501093376n);
  },
  async primesUpToAsync(primesUpToAsync, ffi) {
    assert.deepEqual([...(await primesUpToAsync(10))], [2, 3, 5, 7]);
    // Many at once: more than MAX_ASYNC_IN_FLIGHT native calls, batched, all correct.
    const limits = Array.from({ length: ffi.MAX_ASYNC_IN_FLIGHT * 2 + 3 }, (_, i) => 1000 + i);
    const results = await Promise.all(limits.map((n) => primesUpToAsync(n)));
    results.forEach((primes, i) => assert.deepEqual([...primes], [...ffi.primesUpTo(limits[i])]));
    await assert.rejects(primesUpToAsync(-1), RangeError);
  },
  MAX_ASYNC_IN_FLIGHT(MAX_ASYNC_IN_FLIGHT) {
    assert.ok(Number.isInteger(MAX_ASYNC_IN_FLIGHT));
    assert.ok(MAX_ASYNC_IN_FLIGHT >= 2 && MAX_ASYNC_IN_FLIGHT <= 1024, `got ${MAX_ASYNC_IN_FLIGHT}`);
  },
};
