'use strict';
// Example calls for the slices concept (ts/slices.ts).
const assert = require('node:assert/strict');

module.exports = {
  sumOfEven(sumOfEven) {
    assert.equal(sumOfEven([1, 2, 3, 4]), 6);
    assert.equal(sumOfEven(new Uint32Array([1, 2, 3, 4]).subarray(2)), 4);
    assert.equal(sumOfEven([]), 0);
    assert.throws(() => sumOfEven(new Int32Array([2])), TypeError);
    assert.throws(() => sumOfEven([1, -2]), RangeError);
  },
  sumOfEvenBigInt(sumOfEvenBigInt) {
    assert.equal(sumOfEvenBigInt([2, 4, 5]), 6n);
    // Past Number.MAX_SAFE_INTEGER, where sumOfEven would throw.
    assert.equal(sumOfEvenBigInt(new Uint32Array(1 << 22).fill(0xfffffffe)), 18014398501093376n);
  },
  primesUpTo(primesUpTo) {
    assert.deepEqual([...primesUpTo(20)], [2, 3, 5, 7, 11, 13, 17, 19]);
    assert.ok(primesUpTo(20) instanceof Uint32Array);
    assert.equal(primesUpTo(1).length, 0);
    assert.equal(primesUpTo(100_000).length, 9592);
  },
  PRIMES_UP_TO_MAX_LIMIT(PRIMES_UP_TO_MAX_LIMIT, ffi) {
    assert.equal(PRIMES_UP_TO_MAX_LIMIT, 2 ** 30);
    assert.throws(() => ffi.primesUpTo(PRIMES_UP_TO_MAX_LIMIT + 1), RangeError);
  },
};
