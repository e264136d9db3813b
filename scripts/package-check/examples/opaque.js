'use strict';
// Example calls for the opaque concept (ts/opaque.ts).
const assert = require('node:assert/strict');

module.exports = {
  OpaquePoint(OpaquePoint) {
    const p = new OpaquePoint(1, 2);
    try {
      assert.equal(p.translate(3, 4).describe(), 'OpaquePoint(4, 6)');
      assert.deepEqual(p.toJSON(), { x: 4, y: 6 });
      assert.equal(p.x, 4);
      assert.equal(p.freed, false);
    } finally {
      p.free();
    }
    assert.equal(p.freed, true);
    p.free(); // idempotent
    assert.throws(() => p.x, /freed/);
    assert.throws(() => new OpaquePoint(Number.POSITIVE_INFINITY, 0), RangeError);
  },
};
