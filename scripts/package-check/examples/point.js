'use strict';
// Example calls for the point concept (ts/point.ts).
const assert = require('node:assert/strict');

module.exports = {
  Point(Point) {
    const p = new Point(1, 2).translate(3, 4);
    assert.deepEqual(p.toJSON(), { x: 4, y: 6 });
    assert.equal(new Point(0.1, 0).x, Math.fround(0.1));
    // A view into interleaved pairs: Rust writes straight into the array.
    const path = new Float32Array([0, 0, 1, 1]);
    Point.at(path, 1).translate(1, 1);
    assert.deepEqual([...path], [0, 0, 2, 2]);
    assert.throws(() => new Point(Number.NaN, 0), RangeError);
    assert.throws(() => new Point('1', 0), TypeError);
  },
  pointTranslated(pointTranslated) {
    const point = { x: 1, y: 2 };
    assert.deepEqual(pointTranslated(point, 0.5, 0.5), { x: 1.5, y: 2.5 });
    assert.deepEqual(point, { x: 1, y: 2 }, 'the argument is not modified');
    assert.throws(() => pointTranslated(null, 1, 1), TypeError);
  },
  translatePoints(translatePoints) {
    const path = new Float32Array([0, 0, 1, 1]);
    assert.equal(translatePoints(path, 10, 20), path);
    assert.deepEqual([...path], [10, 20, 11, 21]);
    assert.throws(() => translatePoints(new Float32Array(3), 1, 1), RangeError);
    assert.throws(() => translatePoints(new Float64Array(2), 1, 1), TypeError);
  },
  FLOAT32_MAX(FLOAT32_MAX, ffi) {
    assert.equal(FLOAT32_MAX, 3.4028234663852886e38);
    assert.equal(Math.fround(FLOAT32_MAX), FLOAT32_MAX);
    assert.equal(new ffi.Point(FLOAT32_MAX, 0).x, FLOAT32_MAX);
    assert.throws(() => new ffi.Point(FLOAT32_MAX * 2, 0), RangeError);
  },
};
