#!/usr/bin/env node
// After `tsc` (run by the Makefile's dist/index.js rule): every re-export in dist/**/*.js becomes a plain
// data property of `exports`, so that calling through a namespace (`ffi.addInRust(...)`,
// `raw.opaque_point_new(...)`) costs what a destructured call costs.
//
// TypeScript compiles `export { x } from './y'` to `Object.defineProperty(exports, 'x', { get })` and
// `export * from './y'` to `__exportStar`, whose `__createBinding` defines a getter too: every `ffi.x` then
// runs a getter (issue 21 measured +8 ns per call). Here:
// - `Object.defineProperty(exports, "x", { enumerable: true, get: function () { return y_1.x; } });`
//   becomes `exports.x = y_1.x;` (cjs-module-lexer reads both forms, so ES-module named imports still work);
// - `__exportStar(require("./x"), exports);` becomes one named store per name that ./x assigns
//   (`exports.a = __star_1.a;`), on the same line; names already exported win, as with __exportStar;
// - should any __exportStar remain, its `__createBinding` helper copies the value instead of a getter.
// The values are read once, when the module loads. That is the same value as long as no export is
// reassigned after load: the one `export let` (ts/raw/version.ts's ffi_deep_dive_version) is assigned while
// the library loads, before any re-export reads it. test/exports.test.ts fails if an export of dist/ is a
// getter or undefined; line numbers are kept, so the source maps stay right.
//
//   node scripts/build-exports.js [dist]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const GETTER =
  /Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return ([\w$.]+); \} \}\);/g;
const HELPER = /var __createBinding = \(this && this\.__createBinding\) \|\| \(Object\.create \? [\s\S]*?\}\)\);\n/;
const DATA_HELPER = [
  'var __createBinding = (this && this.__createBinding) || function(o, m, k, k2) {',
  '    // scripts/build-exports.js: a data property, read once, instead of a getter run on every access',
  '    if (k2 === undefined) k2 = k;',
  '    o[k2] = m[k];',
  '};',
];

const STAR = /^__exportStar\(require\("(\.[^"]+)"\), exports\);$/gm;

/** The names a compiled module assigns to `exports` (tsc's `exports.x = ...` forms), without __esModule. */
function exportedNames(text) {
  const names = new Set();
  for (const m of text.matchAll(/\bexports\.([\w$]+) = /g)) names.add(m[1]);
  names.delete('__esModule');
  return [...names];
}

/**
 * The rewritten text of one compiled module, with the same number of lines. `readModule(spec)` gives the
 * (already rewritten) text of a module this one requires, for `export *`.
 */
function rewrite(text, readModule = () => null) {
  let out = text.replace(GETTER, 'exports.$1 = $2;');
  // `export * from './x'`: one named store per name, on the same line. Named stores (`exports.x = ...`)
  // keep the exports object in V8's fast mode; __createBinding's keyed stores (`o[k2] = m[k]`) turn an
  // object with more than a dozen of them into a dictionary, which is slower to read.
  const assigned = new Set(exportedNames(out));
  let n = 0;
  out = out.replace(STAR, (line, spec) => {
    const source = readModule(spec);
    if (source === null) return line;
    const local = `__star_${++n}`;
    const names = exportedNames(source).filter((name) => name !== 'default' && !assigned.has(name));
    for (const name of names) assigned.add(name);
    return [`var ${local} = require("${spec}");`, ...names.map((name) => `exports.${name} = ${local}.${name};`)].join(
      ' ',
    );
  });
  out = out.replace(HELPER, (helper) => {
    const lines = helper.split('\n').length - 1;
    if (lines < DATA_HELPER.length) throw new Error('build-exports: unexpected __createBinding helper');
    return `${DATA_HELPER.join('\n')}\n${'\n'.repeat(lines - DATA_HELPER.length)}`;
  });
  return out;
}

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : [],
    );
}

if (require.main === module) {
  const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist'));
  let changed = 0;
  // Modules re-exported with `export *` first (ts/raw/index.ts re-exports the raw modules), then the rest.
  const files = walk(dist).sort((x, y) => /index\.js$/.test(x) - /index\.js$/.test(y));
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const out = rewrite(text, (spec) => {
      const target = path.resolve(path.dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`);
      return fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    });
    if (out !== text) {
      fs.writeFileSync(file, out);
      changed++;
    }
    if (/get: function \(\) \{ return|^__exportStar\(/m.test(out)) {
      console.error(`build-exports: ${path.relative(process.cwd(), file)} still defines a getter export`);
      process.exitCode = 1;
    }
  }
  console.log(
    `build-exports: re-exports are data properties (${changed} files of ${path.relative(process.cwd(), dist)} rewritten)`,
  );
}

module.exports = { rewrite };
