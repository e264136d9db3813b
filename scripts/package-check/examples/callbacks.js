'use strict';
// Example calls for the callbacks concept (ts/callbacks.ts).
const assert = require('node:assert/strict');

module.exports = {
  countWhere(countWhere) {
    assert.equal(
      countWhere([1, 2, 3, 4, 5], (n) => n % 2 === 1),
      3,
    );
    const seen = [];
    assert.equal(
      countWhere(new Uint32Array([10, 20, 30]), (n) => (seen.push(n), n > 15)),
      2,
    );
    assert.deepEqual(seen, [10, 20, 30], 'called once per value, in order');
    // A throwing predicate stops Rust at once and its exception comes back.
    const boom = new Error('boom');
    const calls = [];
    assert.throws(
      () =>
        countWhere([1, 2, 3], (n) => {
          calls.push(n);
          if (n === 2) throw boom;
          return true;
        }),
      (err) => err === boom,
    );
    assert.deepEqual(calls, [1, 2]);
    assert.throws(() => countWhere([1], 'not a function'), TypeError);
  },
  MAX_CALLBACK_DEPTH(MAX_CALLBACK_DEPTH, ffi) {
    assert.equal(MAX_CALLBACK_DEPTH, 256);
    // One level deeper than the cap: a coded RangeError, before koffi's own stack can overflow.
    let refused;
    const dive = () => {
      try {
        ffi.countWhere([1], dive);
      } catch (error) {
        refused ??= error;
        throw error;
      }
      return true;
    };
    assert.throws(() => ffi.countWhere([1], dive), RangeError);
    assert.ok(
      refused.code === 'ERR_FFI_NESTING_DEPTH' || refused.message === 'Maximum call stack size exceeded',
      'refused by the cap, or by V8 first on a small JS stack',
    );
  },
};
