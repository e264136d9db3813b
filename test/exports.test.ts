/**
 * The built package's exports are plain data properties (scripts/build-exports.js, run after tsc), so that
 * `ffi.addInRust(...)` through `require('ffi-deep-dive')`, `require('ffi-deep-dive/raw')` or an ES-module
 * namespace costs what a destructured call costs: TypeScript's own output re-exports through getters, which
 * run on every `ffi.x` (issue 21: +28% on `addInRust`). `make bench` times the three calling styles; this
 * file fails if an export becomes a getter again, goes missing or loses V8's fast properties.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY_POINTS = { root: path.join(DIST, 'index.js'), raw: path.join(DIST, 'raw', 'index.js') };

/** Runs a script in a fresh Node.js process and parses the JSON it prints. */
function inChild(args: string[], script: string): unknown {
  const r = spawnSync(process.execPath, [...args, '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** What each export of a CommonJS entry point is: 'data', 'getter' (or setter), or 'undefined'. */
const kinds = (file: string): Record<string, string> =>
  inChild(
    [],
    `const d = Object.getOwnPropertyDescriptors(require(${JSON.stringify(file)}));
     const out = {};
     for (const [k, v] of Object.entries(d))
       out[k] = 'get' in v || 'set' in v ? 'getter' : v.value === undefined ? 'undefined' : 'data';
     console.log(JSON.stringify(out));`,
  ) as Record<string, string>;

describe('the exports of dist/ (the published CommonJS)', () => {
  beforeAll(() => {
    for (const file of Object.values(ENTRY_POINTS)) {
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run make`);
    }
  });

  it.each(Object.entries(ENTRY_POINTS))(
    '%s: every export is a data property with a value, none a getter',
    (_, file) => {
      const k = kinds(file);
      const names = Object.keys(k).filter((n) => n !== '__esModule');
      expect(names.length).toBeGreaterThan(20);
      expect(Object.entries(k).filter(([, kind]) => kind !== 'data')).toEqual([]);
    },
  );

  it('raw: re-exports every export of every raw module (export * copied name by name)', () => {
    const raw = kinds(ENTRY_POINTS.raw);
    const modules = fs
      .readdirSync(path.join(DIST, 'raw'))
      .filter((f) => f.endsWith('.js') && f !== 'index.js' && f !== 'library.js' && f !== 'types.js');
    expect(modules.length).toBeGreaterThan(10);
    for (const m of modules) {
      const own = Object.keys(kinds(path.join(DIST, 'raw', m))).filter((n) => n !== '__esModule');
      expect({ module: m, missing: own.filter((n) => !(n in raw)) }).toEqual({ module: m, missing: [] });
    }
  });

  it.each(Object.entries(ENTRY_POINTS))(
    '%s: the ES-module namespace has the same named exports (cjs-module-lexer reads the rewritten file)',
    (_, file) => {
      const cjs = Object.keys(kinds(file))
        .filter((n) => n !== '__esModule')
        .sort();
      const esm = inChild(
        ['--input-type=module'],
        `const ns = await import(${JSON.stringify(`file://${file}`)});
         console.log(JSON.stringify(Object.keys(ns).filter((n) => n !== 'default' && n !== '__esModule').sort()));`,
      );
      expect(esm).toEqual(cjs);
    },
  );

  it.each(Object.entries(ENTRY_POINTS))(
    '%s: the exports object has fast properties (not a V8 dictionary)',
    (_, file) => {
      const fast = inChild(
        ['--allow-natives-syntax'],
        `console.log(JSON.stringify(%HasFastProperties(require(${JSON.stringify(file)}))));`,
      );
      expect(fast).toBe(true);
    },
  );
});
