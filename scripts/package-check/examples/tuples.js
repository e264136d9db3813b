'use strict';
// Example calls for the tuples concept (ts/tuples.ts).
const assert = require('node:assert/strict');

module.exports = {
  flipThings(flipThings) {
    assert.deepEqual(flipThings([1, 2]), [2, 1]);
    assert.deepEqual(flipThings([0, 2 ** 32 - 1]), [2 ** 32 - 1, 0]);
    assert.throws(() => flipThings([1, 2, 3]), TypeError);
    assert.throws(() => flipThings([-1, 0]), RangeError);
  },
};
