'use strict';
// Example calls for the enums concept (ts/enums.ts).
const assert = require('node:assert/strict');

module.exports = {
  shapeArea(shapeArea) {
    assert.equal(shapeArea({ kind: 'triangle', a: 3, b: 4, c: 5 }), 6);
    assert.equal(shapeArea({ kind: 'rectangle', width: 2, height: 3 }), 6);
    assert.equal(shapeArea({ kind: 'circle', radius: 1 }), Math.PI);
    assert.throws(() => shapeArea({ kind: 'circle', radius: -1 }), { name: 'FfiError', status: 'INVALID_ARGUMENT' });
    assert.throws(() => shapeArea({ kind: 'square', side: 1 }), TypeError);
  },
  scaleShape(scaleShape) {
    const circle = { kind: 'circle', radius: 1 };
    assert.deepEqual(scaleShape(circle, 3), { kind: 'circle', radius: 3 });
    assert.deepEqual(circle, { kind: 'circle', radius: 1 }, 'the argument is not modified');
    assert.deepEqual(scaleShape({ kind: 'triangle', a: 3, b: 4, c: 5 }, 2), { kind: 'triangle', a: 6, b: 8, c: 10 });
    assert.throws(() => scaleShape(circle, -1), { name: 'FfiError', status: 'INVALID_ARGUMENT' });
  },
};
