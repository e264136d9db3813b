'use strict';
// Deterministic inputs, the same as the C bench's (c/bench/bench.c), and the
// pure-JS equivalents the library is compared with. Each JS version is
// written the way a performance-minded JS developer would write it.

/**
 * `len` pseudo-random values below 2^24 (xorshift32, masked; the same as the C
 * bench's), so that 10^7 of them sum to less than 2^53 and sumOfEven's result
 * stays an exact JS number.
 */
function u32Array(len) {
  const out = new Uint32Array(len);
  let x = 2463534242;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xffffff;
  }
  return out;
}

/** The code points the text sweep repeats (mixed 1-, 2- and 4-byte UTF-8). */
const PATTERN = [...'héllo wörld 🦀 '];

/** A string of exactly `codePoints` code points. */
function text(codePoints) {
  const whole = Math.floor(codePoints / PATTERN.length);
  return PATTERN.join('').repeat(whole) + PATTERN.slice(0, codePoints % PATTERN.length).join('');
}

/** Pure JS: the number of code points of a well-formed string. */
function countCharactersJs(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** Pure JS: the sum of the even values (exact below 2^53). */
function sumOfEvenJs(numbers) {
  let sum = 0;
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i];
    sum += (v & 1) === 0 ? v : 0;
  }
  return sum;
}

/** Pure JS: the primes up to `limit`, an odd-only sieve of Eratosthenes. */
function primesUpToJs(limit) {
  if (limit < 2) return new Uint32Array(0);
  // Index i stands for the odd number 2i + 3.
  const size = limit >= 3 ? ((limit - 3) >>> 1) + 1 : 0;
  const composite = new Uint8Array(size);
  for (let i = 0; ; i++) {
    const p = 2 * i + 3;
    if (p * p > limit) break;
    if (composite[i] === 0) {
      for (let j = (p * p - 3) >>> 1; j < size; j += p) composite[j] = 1;
    }
  }
  let count = 1;
  for (let i = 0; i < size; i++) count += 1 - composite[i];
  const primes = new Uint32Array(count);
  primes[0] = 2;
  let at = 1;
  for (let i = 0; i < size; i++) if (composite[i] === 0) primes[at++] = 2 * i + 3;
  return primes;
}

/** Pure JS: a Point translated in place, with float32 rounding like C. */
function translateJs(point, byX, byY) {
  point.x = Math.fround(point.x + byX);
  point.y = Math.fround(point.y + byY);
  return point;
}

module.exports = { u32Array, text, PATTERN, countCharactersJs, sumOfEvenJs, primesUpToJs, translateJs };
