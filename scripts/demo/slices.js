'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoSlices(ffi) {
  const numbers = new Uint32Array([1, 2, 3, 4, 5, 6]);
  console.log('sumOfEven(Uint32Array [1..6]) =', ffi.sumOfEven(numbers), '(lent to Rust, not copied)');
  console.log('sumOfEven(numbers.subarray(3)) =', ffi.sumOfEven(numbers.subarray(3)), '(a view at an offset)');
  console.log('sumOfEven([10, 11, 12]) =', ffi.sumOfEven([10, 11, 12]), '(a plain array, checked and copied once)');
  const big = new Uint32Array(1 << 22).fill(0xfffffffe);
  try {
    ffi.sumOfEven(big);
  } catch (err) {
    console.log(`sumOfEven(2^22 × 0xfffffffe) throws ${err.name}: ${err.message.slice(0, 60)}…`);
  }
  console.log('sumOfEvenBigInt(2^22 × 0xfffffffe) =', ffi.sumOfEvenBigInt(big));
  try {
    ffi.sumOfEven(new Int32Array([2, -4]));
  } catch (err) {
    console.log(`sumOfEven(Int32Array) throws ${err.name}: ${err.message}`);
  }
  try {
    ffi.sumOfEven([2, 4, -6]);
  } catch (err) {
    console.log(`sumOfEven([2, 4, -6]) throws ${err.name}: ${err.message}`);
  }
  console.log('primesUpTo(50) =', [...ffi.primesUpTo(50)].join(' '));
  const primes = ffi.primesUpTo(10_000_000);
  console.log(
    `primesUpTo(10_000_000): ${primes.length} primes, the largest ${primes[primes.length - 1]} (copied once, Rust memory already freed)`,
  );
};
