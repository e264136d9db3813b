// The ESM side of the package check: `import` resolves through the "import"
// condition of package.json "exports", every export is a real named export
// (not only reachable through `default`), and it is the same object as the
// CommonJS one (one module instance, one loaded library, one FfiError class).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as ffi from 'ffi-deep-dive';
import { addInRust, concatStrings, FfiError } from 'ffi-deep-dive';
import * as raw from 'ffi-deep-dive/raw';
import check from './check.js';

const require = createRequire(import.meta.url);
const cjs = require('ffi-deep-dive');

// The namespace's keys besides the exports (check.js NOT_EXPORTS): each one,
// when the runtime adds it, is the whole CommonJS exports object.
for (const key of ['default', 'module.exports']) {
  if (key in ffi) assert.equal(ffi[key], cjs, `the namespace's '${key}' is not the CommonJS exports`);
}
const named = check.exportNames(ffi);
assert.deepEqual(named, check.exportNames(cjs), 'ESM named exports differ from the CommonJS exports');
assert.ok(named.length > 0, 'no named exports');
for (const name of named) {
  assert.equal(ffi[name], cjs[name], `${name}: ESM and CommonJS give different objects`);
}
assert.equal(addInRust(2, 3), 5);
assert.equal(concatStrings('a', 'b'), 'ab');
assert.ok(FfiError.prototype instanceof Error);
assert.equal(typeof raw.add_in_rust, 'function');

const count = await check.run(ffi, 'import');
console.log(`import from 'ffi-deep-dive': ${count} named exports, each called`);
