#!/usr/bin/env node
// Slices, callbacks and async against pure-JS equivalents, in one process.
// Not a test: prints median times. Run after `make` with `node scripts/bench/slices.js`.
'use strict';

const koffi = require('koffi');
const ffi = require('../..');
const raw = require('../../dist/raw');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `fn` over `runs` runs, after `warm` warm-up runs. */
function time(fn, runs = 15, warm = 3) {
  for (let i = 0; i < warm; i++) fn();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ts);
}

async function timeAsync(fn, runs = 15, warm = 3) {
  for (let i = 0; i < warm; i++) await fn();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ts);
}

function jsSumOfEven(a) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if ((v & 1) === 0) sum += v;
  }
  return sum;
}

/** A well-written JS sieve: odd numbers only, one byte each. */
function jsPrimes(limit) {
  if (limit < 2) return new Uint32Array(0);
  const half = (limit - 1) >>> 1; // index i stands for 2i + 1
  const composite = new Uint8Array(half + 1);
  for (let i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
    if (composite[i] === 0) {
      const p = 2 * i + 1;
      for (let j = (p * p - 1) >>> 1; j <= half; j += p) composite[j] = 1;
    }
  }
  let count = 1;
  for (let i = 1; i <= half; i++) if (composite[i] === 0) count++;
  const out = new Uint32Array(count);
  out[0] = 2;
  let k = 1;
  for (let i = 1; i <= half; i++) if (composite[i] === 0) out[k++] = 2 * i + 1;
  return out;
}

function row(label, ms, base) {
  const ratio = base === undefined ? '' : `  (${(base / ms).toFixed(2)}× the JS loop)`;
  console.log(`${label.padEnd(44)} ${ms.toFixed(3).padStart(9)} ms${ratio}`);
}

async function main() {
  const N = 10_000_000;
  const numbers = new Uint32Array(N);
  let x = 12345;
  for (let i = 0; i < N; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    numbers[i] = x >>> 4; // < 2^28, so the sum of 10M stays below 2^53
  }
  const expected = jsSumOfEven(numbers);
  if (ffi.sumOfEven(numbers) !== expected) throw new Error('sumOfEven mismatch');

  console.log(`sumOfEven, ${N.toLocaleString('en')} random uint32 (median of 15)`);
  const js = time(() => jsSumOfEven(numbers));
  row('pure JS loop', js);
  row(
    'raw sum_of_even (koffi)',
    time(() => raw.sum_of_even(numbers, numbers.length)),
    js,
  );
  row(
    'sumOfEven (public API)',
    time(() => ffi.sumOfEven(numbers)),
    js,
  );
  row('sumOfEvenAsync (one call)', await timeAsync(() => ffi.sumOfEvenAsync(numbers)), js);
  const copy = time(() => numbers.slice());
  row('(a copy of the input, for comparison)', copy);

  console.log('\nprimesUpTo(10_000_000) (median of 15)');
  if (ffi.primesUpTo(N).length !== jsPrimes(N).length) throw new Error('primes mismatch');
  const jsp = time(() => jsPrimes(N));
  row('pure JS odd-only byte sieve', jsp);
  row(
    'primesUpTo (public API, copy + free)',
    time(() => ffi.primesUpTo(N)),
    jsp,
  );
  const out = new BigUint64Array(3);
  row(
    'raw primes_up_to + u32_array_free (no copy)',
    time(() => {
      raw.primes_up_to(N, out, null);
      raw.u32_array_free({ data: out[0], len: Number(out[1]), capacity: Number(out[2]) });
    }),
    jsp,
  );

  console.log('\ncountWhere, 1,000,000 values, predicate n % 3 === 0');
  const million = numbers.subarray(0, 1_000_000);
  const pred = (n) => n % 3 === 0;
  const jsc = time(() => million.filter(pred).length, 7, 1);
  row('JS filter().length', jsc);
  row(
    'countWhere (a JS call per value)',
    time(() => ffi.countWhere(million, pred), 7, 1),
    jsc,
  );

  console.log('\nasync per-call overhead: sumOfEvenAsync on 16 values, k calls in flight');
  const tiny = new Uint32Array(16).fill(2);
  const us = (label, ms) => console.log(`${label.padEnd(44)} ${(ms * 1000).toFixed(2).padStart(9)} µs`);
  us(
    'sync sumOfEven, per call',
    time(() => {
      for (let i = 0; i < 1000; i++) ffi.sumOfEven(tiny);
    }) / 1000,
  );
  for (const k of [1, 8, 64, 256]) {
    const batches = Math.max(1, Math.floor(2048 / k));
    const ms = await timeAsync(
      async () => {
        for (let b = 0; b < batches; b++) {
          const ps = [];
          for (let i = 0; i < k; i++) ps.push(ffi.sumOfEvenAsync(tiny));
          await Promise.all(ps);
        }
      },
      5,
      1,
    );
    us(`${k} in flight, per call`, ms / (batches * k));
  }
  console.log(`\nkoffi.stats(): ${JSON.stringify(koffi.stats())}; live Rust arrays: ${raw.u32_array_live_count()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
