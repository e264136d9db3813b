/**
 * The jest configuration Stryker runs (`make mutate`): the in-process suites
 * that exercise ts/. Left out, with the reason:
 * - conformance, abi-parser: they compile probes against the Rust build and
 *   the header (rust/target and build/ are not in Stryker's sandbox) and check
 *   ts/raw, which is not mutated (declarations only, see stryker.config.mjs);
 * - soak, threads, panic, test/realm/: they run the compiled package (dist/) in
 *   workers or child processes, which never sees a mutant of ts/, and take minutes;
 * - exports: it checks the build's output (dist/, rewritten by
 *   scripts/build-exports.js) in child processes: no mutant of ts/ reaches it.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    '/node_modules/',
    'conformance',
    'abi-parser',
    'soak',
    'threads',
    'panic',
    '/exports\\.test',
    '/test/realm/',
  ],
};
