// Mutation testing of the TypeScript layer: `make mutate` (not part of
// `make test`). Stryker changes one thing at a time in ts/ (a condition, an
// operator, a string, a removed statement...) and runs the jest suites that
// cover it: a mutant the tests do not notice "survives" and is either killed
// by a new test or explained as equivalent in README "Mutation testing".
//
// ts/raw/ is left out: it holds koffi declarations (C signatures as strings),
// which the ABI conformance test checks against the header instead.
// FFI_DEEP_DIVE_LIB must name the built library: the sandbox Stryker copies
// the project to has no rust/target (the Makefile sets it).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ['ts/**/*.ts', '!ts/raw/**', '!ts/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A mutant that hangs (an async queue that never drains, a loop whose exit
  // was flipped) is stopped after 1.5 x the covering tests' time + 10 s and
  // counts as detected. 30 s made the first full run spend about half an hour
  // waiting on 107 such mutants; 10 s is ample on a quiet machine.
  timeoutMS: 10000,
  timeoutFactor: 1.5,
  tempDirName: 'build/stryker-tmp',
  cleanTempDir: 'always',
  // Reuses the last run's results for mutants whose code and covering tests did not change.
  incremental: true,
  incrementalFile: 'build/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  htmlReporter: { fileName: 'build/mutation/index.html' },
  jsonReporter: { fileName: 'build/mutation/report.json' },
  thresholds: { high: 90, low: 75, break: null },
};
