#!/usr/bin/env node
// Checks what `make docs` produced in docs/api (run by `make docs` after typedoc):
// - the landing page is the README (its "Install and first call" section);
// - the two modules are named by their import paths, `ffi-deep-dive` and `ffi-deep-dive/raw`;
// - each module lists its entries under concept headings (Strings, Slices, ...), not Functions/Variables;
// - every function of the C header is documented in `ffi-deep-dive/raw` as a function (with
//   parameters), not as a variable, and its page shows the C signature.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { parseHeader } = require('./check-header-docs.js');

const ROOT = path.resolve(__dirname, '..');
const API = path.join(ROOT, 'docs', 'api');
const read = (...p) => fs.readFileSync(path.join(API, ...p), 'utf8');
/** The visible text of an HTML page, roughly: tags dropped, entities for the few characters the checks use. */
const text = (html) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

const typedocReadme = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8')).readme;
assert.equal(typedocReadme, 'README.md', 'typedoc.json must make the README the landing page');
assert.match(text(read('index.html')), /Install and first call/, 'docs/api/index.html is not the README');

const modules = { 'ffi-deep-dive': 'ffi-deep-dive.html', 'ffi-deep-dive/raw': 'ffi-deep-dive_raw.html' };
for (const [name, file] of Object.entries(modules)) {
  const page = text(read('modules', file));
  assert.ok(page.includes(`Module ${name}`), `docs/api/modules/${file} is not titled "Module ${name}"`);
  for (const concept of ['Errors', 'Numbers', 'Strings', 'Slices', 'Callbacks']) {
    assert.ok(page.includes(` ${concept} `), `${name}: no "${concept}" group`);
  }
  for (const kind of ['Functions', 'Variables', 'Type Aliases']) {
    assert.ok(
      !page.includes(`On This Page ${kind}`) && !page.includes(` ${kind} `),
      `${name}: entries grouped by kind (${kind})`,
    );
  }
}

const header = fs.readFileSync(path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h'), 'utf8');
const functions = parseHeader(header).map((f) => f.name);
assert.ok(functions.length > 0, 'no functions in the header');
for (const name of functions) {
  const file = path.join('functions', `ffi-deep-dive_raw.${name}.html`);
  assert.ok(fs.existsSync(path.join(API, file)), `ffi-deep-dive/raw ${name} is not documented as a function (${file})`);
  const page = text(read(file));
  assert.ok(
    new RegExp(`[\\w*] ?\\**${name}\\(`).test(page.replace(/\s*\*\s*/g, ' *')),
    `${file} does not show ${name}'s C signature`,
  );
  assert.ok(/Parameters|Returns/.test(page), `${file} shows no parameters or result`);
}
console.log(
  `docs: README landing page; modules ffi-deep-dive and ffi-deep-dive/raw grouped by concept; ` +
    `all ${functions.length} header functions documented as raw functions with their C signature`,
);
