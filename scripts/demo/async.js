'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = async function demoAsync(ffi) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const start = performance.now();
  const primes = await ffi.primesUpToAsync(100_000_000);
  clearInterval(timer);
  const ms = performance.now() - start;
  console.log(
    `await primesUpToAsync(100_000_000): ${primes.length} primes in ${ms.toFixed(0)} ms; a 10 ms timer ticked ${ticks} times meanwhile`,
  );
  const numbers = new Uint32Array(1_000_000).map((_, i) => i);
  const sums = await Promise.all(Array.from({ length: 64 }, () => ffi.sumOfEvenAsync(numbers)));
  console.log(
    `64 concurrent sumOfEvenAsync(0..999999): all ${sums.every((s) => s === sums[0]) ? 'equal' : 'DIFFERENT'} to ${sums[0]}`,
  );
  numbers[0] = 1; // the calls above copied it: they already own their input
  const pending = ffi.sumOfEvenAsync(numbers, { transfer: true });
  const detached = numbers.length;
  const { sum, numbers: back } = await pending;
  console.log(
    `sumOfEvenAsync(numbers, { transfer: true }) = ${sum}: zero-copy, numbers.length was ${detached} while it ran, handed back with ${back.length} elements`,
  );
  const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => ffi.primesUpToAsync(i)));
  console.log(
    `1000 concurrent primesUpToAsync: all resolved (in batches, at most ${ffi.MAX_ASYNC_IN_FLIGHT} native calls at once), primesUpTo(999) has ${many[999].length}`,
  );
};
