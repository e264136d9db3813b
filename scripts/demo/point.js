'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoPoint(ffi) {
  // A Point's storage is the C layout itself: a Float32Array [x, y] that Rust
  // writes into through a pointer, without copying.
  const p = new ffi.Point(1, 2);
  console.log('new Point(1, 2) =', JSON.stringify(p), 'storage:', p.storage);
  p.translate(3, 4);
  console.log('p.translate(3, 4) (in Rust, in place) =', JSON.stringify(p));
  p.x *= 10; // and JS mutates it directly, like the C demo does
  console.log('p.x *= 10 (in JS) =', JSON.stringify(p));
  console.log('new Point(0.1, 0).x =', new ffi.Point(0.1, 0).x, '(a float, like C)');

  // By value: a plain object goes in, a new plain object comes out.
  const plain = { x: 1, y: 2 };
  console.log(
    'pointTranslated({ x: 1, y: 2 }, 0.5, 0.5) =',
    ffi.pointTranslated(plain, 0.5, 0.5),
    '; argument:',
    plain,
  );

  // A batch of points: interleaved x, y pairs, translated in one call.
  const path = new Float32Array([0, 0, 1, 1, 2, 0]);
  ffi.translatePoints(path, 10, 20);
  console.log('translatePoints([0,0, 1,1, 2,0], 10, 20) =', Array.from(path));
  const second = ffi.Point.at(path, 1); // a Point viewing pair 1 of the array
  second.translate(-11, -21);
  console.log('Point.at(path, 1).translate(-11, -21) -> path =', Array.from(path));

  for (const [label, call] of [
    ['translate(NaN, 0)', () => p.translate(NaN, 0)],
    ['translate("1", 0)', () => p.translate('1', 0)],
    ['translatePoints(odd length)', () => ffi.translatePoints(new Float32Array(3), 1, 1)],
  ]) {
    try {
      call();
    } catch (err) {
      console.log(`${label} throws ${err.name}: ${err.message}`);
    }
  }
};
