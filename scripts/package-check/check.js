#!/usr/bin/env node
// Runs in a fresh directory where the packed tarball was installed (see
// scripts/test-package.sh), as a user's plain script: require('ffi-deep-dive')
// and call every export of the package root.
//
// Every export needs an example in examples/<concept>.js (name -> function that
// calls it and asserts); an export without one, or an example for a name that is
// not exported, fails the check. Adding a concept = adding one examples file.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

/** All examples, merged from examples/*.js; a name defined twice is an error. */
function loadExamples() {
  const dir = path.join(__dirname, 'examples');
  const all = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    for (const [name, example] of Object.entries(require(path.join(dir, file)))) {
      assert.ok(!(name in all), `example for ${name} defined twice (second in examples/${file})`);
      all[name] = example;
    }
  }
  return all;
}

/**
 * The keys of an import namespace (or of the CommonJS exports) that are not
 * the package's exports: `default` (the whole CommonJS exports, in an ES
 * namespace), `__esModule` (TypeScript's marker) and `'module.exports'` (the
 * whole CommonJS exports again, which Deno's namespace of a CommonJS module
 * has, and so do newer Node versions: nodejs/node#53848).
 */
const NOT_EXPORTS = ['default', '__esModule', 'module.exports'];

/** The package's export names in `ffi`, a namespace or the CommonJS exports, sorted. */
function exportNames(ffi) {
  return Object.keys(ffi)
    .filter((n) => !NOT_EXPORTS.includes(n))
    .sort();
}

/** Calls the example of every export of `ffi`; returns how many ran. */
async function run(ffi, label) {
  const examples = loadExamples();
  const names = exportNames(ffi);
  const missing = names.filter((n) => !(n in examples));
  const stale = Object.keys(examples).filter((n) => !names.includes(n));
  assert.deepEqual(
    missing,
    [],
    `${label}: export(s) ${missing.join(', ')} have no example call: add one to scripts/package-check/examples/<concept>.js`,
  );
  assert.deepEqual(stale, [], `${label}: example(s) for ${stale.join(', ')}, which the package does not export`);
  for (const name of names) {
    try {
      await examples[name](ffi[name], ffi);
    } catch (err) {
      err.message = `${label}: example for ${name} failed: ${err.message}`;
      throw err;
    }
  }
  return names.length;
}

/**
 * The raw layer: loads the installed package's prebuilt library (or, with
 * EXPECT_SOURCE=build, the one scripts/build.js built), and declares every
 * function of the shipped header.
 */
function checkRaw() {
  const raw = require('ffi-deep-dive/raw');
  const root = fs.realpathSync(path.dirname(require.resolve('ffi-deep-dive/package.json')));
  const fromSource = process.env.EXPECT_SOURCE === 'build';
  const expected = fromSource
    ? path.join(root, 'rust', 'target', 'release', raw.LIBRARY_FILE)
    : path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, raw.LIBRARY_FILE);
  assert.equal(fs.realpathSync(raw.libraryPath), expected, `the library loaded is not ${expected}`);
  assert.equal(raw.librarySource, fromSource ? 'source build' : 'prebuild');
  assert.equal(raw.ffi_status_message(0), 'ok');
  const { parseHeader } = require('./check-header-docs.js');
  const header = fs.readFileSync(path.join(root, 'c', 'include', 'ffi_deep_dive.h'), 'utf8');
  const functions = parseHeader(header).map((f) => f.name);
  assert.ok(functions.length > 0, 'no functions found in the shipped header');
  const undeclared = functions.filter((name) => typeof raw[name] !== 'function');
  assert.deepEqual(undeclared, [], `header functions without a raw declaration in ffi-deep-dive/raw`);
  return functions.length;
}

module.exports = { run, loadExamples, exportNames, NOT_EXPORTS };

if (require.main === module) {
  (async () => {
    const count = await run(require('ffi-deep-dive'), 'require');
    const rawCount = checkRaw();
    console.log(
      `require('ffi-deep-dive'): ${count} exports called; ffi-deep-dive/raw declares all ${rawCount} header functions; ` +
        `loaded ${require('ffi-deep-dive/raw').librarySource}`,
    );
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
