'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoTuples(ffi) {
  console.log('flipThings([10, 20]) =', ffi.flipThings([10, 20]), '(a Tuple { _0, _1 } flipped in place by Rust)');
  try {
    ffi.flipThings([-1, 2]);
  } catch (err) {
    console.log(`flipThings([-1, 2]) throws ${err.name}: ${err.message}`);
  }
};
