'use strict';
// Example calls for the errors concept (ts/status.ts). One entry per export
// of the package root: `(value, ffi) => void | Promise<void>`, asserting.
const assert = require('node:assert/strict');

module.exports = {
  FfiStatus(FfiStatus) {
    assert.equal(FfiStatus.OK, 0);
    assert.equal(FfiStatus.OVERFLOW, 5);
    assert.equal(FfiStatus.CANCELLED, 7);
  },
  statusName(statusName) {
    assert.equal(statusName(5), 'OVERFLOW');
    assert.equal(statusName(999), 'UNKNOWN');
  },
  isCodedError(isCodedError, ffi) {
    assert.throws(
      () => ffi.addInRust(1.5, 2),
      (err) => isCodedError(err) && err instanceof RangeError && err.code === 'ERR_OUT_OF_RANGE',
    );
    assert.throws(
      () => ffi.addChecked(2 ** 31 - 1, 1),
      (err) => isCodedError(err) && err.code === 'ERR_FFI_OVERFLOW',
    );
    assert.equal(isCodedError(new Error('not ours')), false);
  },
  FfiError(FfiError, ffi) {
    const made = new FfiError(ffi.FfiStatus.INVALID_UTF8, 'example');
    assert.ok(made instanceof Error);
    assert.equal(made.status, 'INVALID_UTF8');
    assert.match(made.message, /^example: /);
    // And the one the library throws is the same class.
    assert.throws(
      () => ffi.addChecked(2 ** 31 - 1, 1),
      (err) =>
        err instanceof FfiError &&
        err.status === 'OVERFLOW' &&
        err.statusCode === 5 &&
        err.code === 'ERR_FFI_OVERFLOW' &&
        err.message.startsWith('addChecked: 2147483647 + 1 = 2147483648 does not fit'),
    );
  },
};
