'use strict';
// Example calls for the version concept (ts/version.ts).
const assert = require('node:assert/strict');

module.exports = {
  version(version) {
    assert.match(version, /^\d+\.\d+\.\d+/);
    assert.equal(version, require('ffi-deep-dive/package.json').version);
  },
  libraryVersion(libraryVersion, ffi) {
    // The loader refuses a library whose major.minor differ from the package's.
    assert.equal(libraryVersion.split('.').slice(0, 2).join('.'), ffi.version.split('.').slice(0, 2).join('.'));
  },
};
