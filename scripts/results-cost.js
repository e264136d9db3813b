#!/usr/bin/env node
/**
 * The cost of reading struct results (issue 20): OpaquePoint.x, toJSON(),
 * pointTranslated and flipThings of two builds of the package, in one
 * process, interleaved round by round (so both see the same machine state),
 * reported as the minimum ns per call over the rounds.
 *
 *   node scripts/results-cost.js <beforePackageDir> [afterPackageDir] [rounds]
 *
 * afterPackageDir defaults to this checkout. Each package loads its own
 * library (a copy of the package with its own `rust/target/release/` or
 * `FFI_DEEP_DIVE_LIB` unset), so each runs its own native code. Prints JSON.
 */
'use strict';
const path = require('node:path');

const [beforeDir, afterDir = path.join(__dirname, '..'), roundsArg = '30'] = process.argv.slice(2);
if (beforeDir === undefined) {
  console.error('usage: node scripts/results-cost.js <beforePackageDir> [afterPackageDir] [rounds]');
  process.exit(2);
}
const builds = { before: require(path.resolve(beforeDir)), after: require(path.resolve(afterDir)) };
const ROUNDS = Number(roundsArg);

/** The cases, each made per build: [name, iterations per round, setup(api) => run]. */
const CASES = [
  [
    'OpaquePoint.x',
    500_000,
    (api) => {
      const p = new api.OpaquePoint(1, 2);
      return () => p.x;
    },
  ],
  [
    'OpaquePoint.toJSON()',
    500_000,
    (api) => {
      const p = new api.OpaquePoint(1, 2);
      return () => p.toJSON();
    },
  ],
  [
    'pointTranslated({x, y}, 1, 1)',
    500_000,
    (api) => {
      const q = { x: 1, y: 2 };
      return () => api.pointTranslated(q, 1, 1);
    },
  ],
  [
    'flipThings([1, 2])',
    500_000,
    (api) => {
      const pair = [1, 2];
      return () => api.flipThings(pair);
    },
  ],
];

let sink = 0;
function timeOnce(run, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink ^= run() === undefined ? 1 : 0;
  return Number(process.hrtime.bigint() - start) / iterations;
}

const results = {};
for (const [name, iterations, setup] of CASES) {
  const runs = { before: setup(builds.before), after: setup(builds.after) };
  const best = { before: Infinity, after: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which build goes first.
    const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const which of order) best[which] = Math.min(best[which], timeOnce(runs[which], iterations));
  }
  results[name] = {
    beforeNs: Number(best.before.toFixed(1)),
    afterNs: Number(best.after.toFixed(1)),
    ratio: Number((best.after / best.before).toFixed(3)),
  };
}
process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, results, sink: sink & 0 }, null, 2)}\n`);
