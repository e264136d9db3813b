'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoCallbacks(ffi) {
  const numbers = [3, 5, 6, 9, 10, 12, 15, 20, 21];
  let calls = 0;
  const multiplesOf3 = ffi.countWhere(numbers, (n) => {
    calls++;
    return n % 3 === 0;
  });
  console.log(`countWhere(multiples of 3) = ${multiplesOf3} (Rust called the JS predicate ${calls} times)`);
  calls = 0;
  const tooBig = new RangeError('value above 10');
  try {
    ffi.countWhere(numbers, (n) => {
      calls++;
      if (n > 10) throw tooBig;
      return true;
    });
  } catch (err) {
    console.log(
      `countWhere(predicate throwing above 10) rethrows the same ${err.name} (${err === tooBig}); Rust stopped after ${calls} calls`,
    );
  }
};
