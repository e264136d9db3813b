'use strict';
// Example calls for the numbers concept (ts/numbers.ts).
const assert = require('node:assert/strict');

module.exports = {
  addInRust(addInRust) {
    assert.equal(addInRust(2, 3), 5);
    assert.equal(addInRust(2 ** 31 - 1, 1), -(2 ** 31));
    assert.throws(() => addInRust(1.5, 1), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => addInRust('1', 1), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  },
  addChecked(addChecked) {
    assert.equal(addChecked(40, 2), 42);
    assert.throws(() => addChecked(2 ** 31 - 1, 1), { name: 'FfiError', status: 'OVERFLOW' });
  },
};
