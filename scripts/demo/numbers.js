'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoNumbers(ffi) {
  console.log('addInRust(2, 3) =', ffi.addInRust(2, 3));
  console.log('addInRust(2 ** 31 - 1, 1) =', ffi.addInRust(2 ** 31 - 1, 1), '(wraps like C int)');
  console.log('addChecked(40, 2) =', ffi.addChecked(40, 2));
  try {
    ffi.addChecked(2 ** 31 - 1, 1);
  } catch (err) {
    console.log(`addChecked(2 ** 31 - 1, 1) throws ${err.name} ${err.code}: ${err.message}`);
  }
  try {
    ffi.addInRust(3.7, 1);
  } catch (err) {
    console.log(`addInRust(3.7, 1) throws ${err.name}: ${err.message}`);
  }
};
