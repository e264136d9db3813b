'use strict';
// Example calls for the strings concept (ts/strings.ts).
const assert = require('node:assert/strict');

module.exports = {
  concatStrings(concatStrings) {
    assert.equal(concatStrings('Hello, ', 'Rustacean!'), 'Hello, Rustacean!');
    const long = 'x'.repeat(10_000); // past the scratch buffer: the Rust-owned path
    assert.equal(concatStrings(long, '🦀'), `${long}🦀`);
  },
  countCharacters(countCharacters) {
    assert.equal(countCharacters('héllo'), 5);
    assert.equal(countCharacters('🦀'), 1);
    assert.throws(() => countCharacters(new Uint8Array([0xff])), { name: 'FfiError', status: 'INVALID_UTF8' });
  },
};
