#!/usr/bin/env node
/**
 * The cost of the hostile-argument checks (issue 11): time per call of the
 * public functions whose argument handling changed, and the per-element
 * cost of countWhere's private copy.
 *
 *   node scripts/safety-cost.js [packageDir]    # default: this checkout
 *
 * Run it on a build from before the change and on this one, one process
 * each (the bench helper folds the rows into `make bench`). Prints JSON:
 * median ns per call over 7 rounds.
 */
'use strict';
const path = require('node:path');
const api = require(path.resolve(process.argv[2] ?? path.join(__dirname, '..')));

function nsPerCall(run, iterations) {
  const rounds = [];
  for (let r = 0; r < 9; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  rounds.sort((a, b) => a - b);
  return Number(rounds.slice(1, 8)[3].toFixed(1)); // median of the middle 7 (first round is warm-up-ish)
}

const small = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8]);
const big = new Uint32Array(1 << 20).fill(2);
const points = new Float32Array(16);
const p = new api.Point(1, 2);
const bytes = Buffer.from('héllo wörld');
const shape = { kind: 'triangle', a: 3, b: 4, c: 5 };
const big1M = new Uint32Array(1 << 20).fill(3);
const onlyFalse = () => false;

const rows = {
  'addInRust(2, 3)': nsPerCall(() => api.addInRust(2, 3), 2e6),
  'sumOfEven(Uint32Array(8))': nsPerCall(() => api.sumOfEven(small), 1e6),
  'sumOfEven([8 numbers])': nsPerCall(() => api.sumOfEven([1, 2, 3, 4, 5, 6, 7, 8]), 1e6),
  'sumOfEven(Uint32Array(2^20))': nsPerCall(() => api.sumOfEven(big), 2000),
  'concatStrings(short)': nsPerCall(() => api.concatStrings('Hello, ', 'Rustacean!'), 1e6),
  'countCharacters(Buffer(13))': nsPerCall(() => api.countCharacters(bytes), 1e6),
  'Point.translate': nsPerCall(() => p.translate(1, 1), 2e6),
  'translatePoints(Float32Array(16))': nsPerCall(() => api.translatePoints(points, 1, 1), 1e6),
  'shapeArea(triangle)': nsPerCall(() => api.shapeArea(shape), 1e6),
  'flipThings([1, 2])': nsPerCall(() => api.flipThings([1, 2]), 1e6),
  'countWhere(Uint32Array(8), () => false)': nsPerCall(() => api.countWhere(small, onlyFalse), 2e5),
  'countWhere(Uint32Array(2^20), () => false)': nsPerCall(() => api.countWhere(big1M, onlyFalse), 5),
};
// The copy alone, as countWhere makes it: allocate + %TypedArray%.prototype.set.
const set = Function.prototype.call.bind(Object.getPrototypeOf(Uint8Array.prototype).set);
rows['copy Uint32Array(2^20) (countWhere copy), ns per element'] = Number(
  (
    nsPerCall(() => {
      const c = new Uint32Array(1 << 20);
      set(c, big1M);
    }, 200) /
    (1 << 20)
  ).toFixed(3),
);
rows['countWhere(2^20), ns per element'] = Number(
  (rows['countWhere(Uint32Array(2^20), () => false)'] / (1 << 20)).toFixed(2),
);
process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
