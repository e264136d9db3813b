'use strict';
// Deterministic inputs, and the pure-JS equivalents the library is compared
// with.
//
// Baselines a sceptic accepts: for each function there are several
// straightforward pure-JS versions (branchy and branchless loops, for…of,
// reduce, typed-array methods, spreading a string...). `make bench` times all
// of them in the same rounds as the library and compares the library with
// the fastest; docs/bench.md lists every one with its time. Each version is
// correct for any input of its type (no shortcut that only holds for the
// bench's inputs), and gives the same result as the library.

/**
 * `len` pseudo-random values below 2^24 (xorshift32, masked), so that 10^7 of
 * them sum to less than 2^53 and sumOfEven's result stays an exact JS number.
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

/** Mixed text: 1-, 2- and 4-byte UTF-8; V8 stores it two bytes per character (issue 14's pattern). */
const MIXED = [...'héllo wörld 🦀 ünïcode '];
/** ASCII text: V8 stores it one byte per character. */
const ASCII = [...'hello world, plain ascii text '];

/** A string of exactly `codePoints` code points, repeating `pattern` (an array of code points). */
function text(codePoints, pattern = MIXED) {
  const whole = Math.floor(codePoints / pattern.length);
  return pattern.join('').repeat(whole) + pattern.slice(0, codePoints % pattern.length).join('');
}

/** NUL-terminated UTF-8 bytes of `s`, for the C loops. */
const utf8z = (s) => Buffer.from(s + '\0', 'utf8');

/** The UTF-16 code units of `s`, for the C loops. */
const utf16 = (s) => {
  const units = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return units;
};

// ---- sumOfEven: the sum of the even values of a Uint32Array (exact below 2^53) ----

const SUM_OF_EVEN_JS = {
  'for loop, if (branchy)': (a) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if ((v & 1) === 0) sum += v;
    }
    return sum;
  },
  'for loop, ternary': (a) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      sum += (v & 1) === 0 ? v : 0;
    }
    return sum;
  },
  'for loop, branchless mask': (a) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      sum += (v & ((v & 1) - 1)) >>> 0;
    }
    return sum;
  },
  'for loop, branchless mask, 4 accumulators': (a) => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const n = a.length;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v0 = a[i];
      const v1 = a[i + 1];
      const v2 = a[i + 2];
      const v3 = a[i + 3];
      s0 += (v0 & ((v0 & 1) - 1)) >>> 0;
      s1 += (v1 & ((v1 & 1) - 1)) >>> 0;
      s2 += (v2 & ((v2 & 1) - 1)) >>> 0;
      s3 += (v3 & ((v3 & 1) - 1)) >>> 0;
    }
    for (; i < n; i++) {
      const v = a[i];
      s0 += (v & ((v & 1) - 1)) >>> 0;
    }
    return s0 + s1 + s2 + s3;
  },
  'for…of, branchless mask': (a) => {
    let sum = 0;
    for (const v of a) sum += (v & ((v & 1) - 1)) >>> 0;
    return sum;
  },
  'reduce, branchless mask': (a) => a.reduce((s, v) => s + ((v & ((v & 1) - 1)) >>> 0), 0),
  'filter + reduce': (a) => a.filter((v) => (v & 1) === 0).reduce((s, v) => s + v, 0),
};

// ---- countCharacters: the number of code points of a well-formed string ----

const COUNT_CHARACTERS_JS = {
  'charCodeAt loop, low-surrogate check (branchy)': (s) => {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) n--;
    }
    return n;
  },
  'charCodeAt loop, branchless': (s) => {
    let low = 0;
    const len = s.length;
    for (let i = 0; i < len; i++) low += ((s.charCodeAt(i) & 0xfc00) === 0xdc00) | 0;
    return len - low;
  },
  'codePointAt loop': (s) => {
    let n = 0;
    const len = s.length;
    for (let i = 0; i < len; i++) {
      if (s.codePointAt(i) > 0xffff) i++;
      n++;
    }
    return n;
  },
  'for…of': (s) => {
    let n = 0;
    // eslint-disable-next-line no-unused-vars
    for (const _ of s) n++;
    return n;
  },
  '[...s].length': (s) => [...s].length,
  'Array.from(s).length': (s) => Array.from(s).length,
  'regex: length minus low-surrogate matches': (s) => s.length - (s.match(/[\uDC00-\uDFFF]/g)?.length ?? 0),
};

// ---- primesUpTo: the primes up to `limit` as a Uint32Array ----

/** Collects the primes of an odd-only sieve (`composite[i]` is 2i + 3). */
function collectOdd(composite, size) {
  let count = 1;
  for (let i = 0; i < size; i++) count += 1 - composite[i];
  const primes = new Uint32Array(count);
  primes[0] = 2;
  let at = 1;
  for (let i = 0; i < size; i++) if (composite[i] === 0) primes[at++] = 2 * i + 3;
  return primes;
}

const PRIMES_UP_TO_JS = {
  'odd-only byte sieve': (limit) => {
    if (limit < 2) return new Uint32Array(0);
    const size = limit >= 3 ? ((limit - 3) >>> 1) + 1 : 0; // index i stands for 2i + 3
    const composite = new Uint8Array(size);
    for (let i = 0; ; i++) {
      const p = 2 * i + 3;
      if (p * p > limit) break;
      if (composite[i] === 0) for (let j = (p * p - 3) >>> 1; j < size; j += p) composite[j] = 1;
    }
    return collectOdd(composite, size);
  },
  'full byte sieve': (limit) => {
    if (limit < 2) return new Uint32Array(0);
    const composite = new Uint8Array(limit + 1);
    let count = 0;
    for (let p = 2; p * p <= limit; p++) {
      if (composite[p] === 0) for (let j = p * p; j <= limit; j += p) composite[j] = 1;
    }
    for (let i = 2; i <= limit; i++) count += 1 - composite[i];
    const primes = new Uint32Array(count);
    let at = 0;
    for (let i = 2; i <= limit; i++) if (composite[i] === 0) primes[at++] = i;
    return primes;
  },
  'odd-only sieve, 64 KiB segments': (limit) => {
    if (limit < 2) return new Uint32Array(0);
    const size = limit >= 3 ? ((limit - 3) >>> 1) + 1 : 0;
    const root = Math.floor(Math.sqrt(limit));
    const small = [];
    const next = [];
    const seed = new Uint8Array(((root - 3) >>> 1) + 2);
    for (let i = 0; 2 * i + 3 <= root; i++) {
      const p = 2 * i + 3;
      if (seed[i] === 0) {
        small.push(p);
        next.push((p * p - 3) >>> 1);
        for (let j = (p * p - 3) >>> 1; 2 * j + 3 <= root; j += p) seed[j] = 1;
      }
    }
    const SEGMENT = 1 << 16;
    const segment = new Uint8Array(SEGMENT);
    const out = [2];
    for (let low = 0; low < size; low += SEGMENT) {
      const high = Math.min(low + SEGMENT, size);
      segment.fill(0);
      for (let k = 0; k < small.length; k++) {
        const p = small[k];
        let j = next[k];
        for (; j < high; j += p) segment[j - low] = 1;
        next[k] = j;
      }
      for (let i = 0; i < high - low; i++) if (segment[i] === 0) out.push(2 * (low + i) + 3);
    }
    return Uint32Array.from(out);
  },
};

// ---- concatStrings and Point.translate ----

const CONCAT_JS = {
  'a + b': (a, b) => a + b,
  'template literal': (a, b) => `${a}${b}`,
  'a.concat(b)': (a, b) => a.concat(b),
  "[a, b].join('')": (a, b) => [a, b].join(''),
};

/** A Point translated in place, with float32 rounding like C. */
function translateJs(point, byX, byY) {
  point.x = Math.fround(point.x + byX);
  point.y = Math.fround(point.y + byY);
  return point;
}

module.exports = {
  u32Array,
  text,
  utf8z,
  utf16,
  MIXED,
  ASCII,
  SUM_OF_EVEN_JS,
  COUNT_CHARACTERS_JS,
  PRIMES_UP_TO_JS,
  CONCAT_JS,
  translateJs,
};
