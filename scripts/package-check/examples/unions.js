'use strict';
// Example calls for the unions concept (ts/unions.ts).
const assert = require('node:assert/strict');

module.exports = {
  floatToBits(floatToBits) {
    assert.equal(floatToBits(1), 0x3f800000);
    assert.equal(floatToBits(-1), 0xbf800000);
    assert.equal(floatToBits(Number.NaN), 0x7fc00000);
    assert.throws(() => floatToBits('1'), TypeError);
  },
  bitsToFloat(bitsToFloat, ffi) {
    assert.equal(bitsToFloat(0x3f800000), 1);
    assert.equal(bitsToFloat(0x40490fdb), Math.fround(Math.PI));
    assert.equal(bitsToFloat(ffi.floatToBits(0.1)), Math.fround(0.1));
    assert.throws(() => bitsToFloat(2 ** 32), RangeError);
  },
  parseNumber(parseNumber) {
    assert.deepEqual(parseNumber('42'), { kind: 'left', value: 42 });
    assert.deepEqual(parseNumber('4.5'), { kind: 'right', value: 4.5 });
    assert.deepEqual(parseNumber(new TextEncoder().encode('-7')), { kind: 'left', value: -7 });
    assert.throws(() => parseNumber(' 42'), { name: 'FfiError', status: 'INVALID_ARGUMENT' });
    assert.throws(() => parseNumber(new Uint8Array([0xff])), { name: 'FfiError', status: 'INVALID_UTF8' });
  },
};
