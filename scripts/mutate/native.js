#!/usr/bin/env node
/**
 * Native mutation testing (`make mutate-native`, part of `make mutate`): each
 * mutation in scripts/mutate/mutations.js is applied to a copy of the
 * working tree, the library and the C tests are rebuilt, and the three suites
 * are run against it — cargo test, the C test program, jest — to see which
 * of them notices (a failing suite "kills" the mutant). The copy lives in
 * build/mutate/tree, with its own node_modules, so the working tree and its
 * build are never touched.
 *
 * A mutation whose `find` text no longer occurs fails the run: the list must
 * follow the code. So does an untriaged survivor (kill it with a test, or mark
 * the mutation `equivalent` with the reason), and a mutant that a suite named
 * in its `killedBy` did not kill. Output: one line per mutant, a summary, and
 * build/mutate/native.json.
 *
 *   node scripts/mutate/native.js [--only ID[,ID...]]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { MUTATIONS } = require('./mutations');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'build', 'mutate');
const TREE = path.join(OUT, 'tree');

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i < 0 ? null : new Set(process.argv[i + 1].split(','));
})();

/** The environment of every command: the copy's own build, whatever the caller's shell points at. */
const ENV = { ...process.env };
delete ENV.CARGO_TARGET_DIR;
delete ENV.FFI_DEEP_DIVE_LIB;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: TREE, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ok: r.status === 0, status: r.status, signal: r.signal, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** A fresh copy of the tracked (and untracked, not ignored) files. */
function copyTree() {
  fs.rmSync(TREE, { recursive: true, force: true });
  fs.mkdirSync(TREE, { recursive: true });
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .stdout.split('\0')
    .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(TREE, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(TREE, f));
  }
  // node_modules is installed in the copy by its own `make` (npm ci): a
  // symlink to ours would let that npm ci empty the working tree's.
}

/** The suites, each run against the mutated library; `true` = it failed (killed the mutant). */
const SUITES = {
  cargo: () => !sh('cargo', ['test', '--manifest-path', 'rust/Cargo.toml']).ok,
  c: () => !sh(path.join(TREE, 'build', 'test_c'), []).ok,
  // The mutation's own test files first; the whole suite (soak aside) only if they pass.
  jest: (m) =>
    (m.jest !== undefined && !sh('npx', ['jest', ...m.jest]).ok) ||
    !sh('npx', ['jest', '--bail', '--testPathIgnorePatterns', 'soak', '--testPathIgnorePatterns', 'node_modules']).ok,
};

/** Builds the library (and what links it) in the copy; the output of a failed build. */
function build() {
  const r = sh('make', ['--no-print-directory', 'lib', 'lib-test-panic', 'build/test_c', 'ts']);
  return r.ok ? null : r.out.slice(-2000);
}

function main() {
  const started = Date.now();
  const chosen = MUTATIONS.filter((m) => only === null || only.has(m.id));
  copyTree();
  process.stdout.write(`mutate-native: ${chosen.length} mutants, tree copied to ${path.relative(ROOT, TREE)}\n`);
  const baseline = build();
  if (baseline !== null) throw new Error(`the unmutated tree does not build:\n${baseline}`);
  for (const [name, failed] of Object.entries(SUITES)) {
    if (failed({})) throw new Error(`the unmutated tree fails the ${name} suite: fix that before mutating`);
  }
  const results = [];
  for (const m of chosen) {
    const file = path.join(TREE, m.file);
    const original = fs.readFileSync(file, 'utf8');
    const at = original.indexOf(m.find);
    if (at < 0 || original.indexOf(m.find, at + 1) >= 0) {
      throw new Error(`${m.id}: ${JSON.stringify(m.find)} must occur exactly once in ${m.file} (update mutations.js)`);
    }
    fs.writeFileSync(file, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
    const t0 = Date.now();
    let killedBy;
    const buildError = build();
    if (buildError !== null) killedBy = { build: true };
    else killedBy = Object.fromEntries(Object.entries(SUITES).map(([name, failed]) => [name, failed(m)]));
    fs.writeFileSync(file, original);
    const killed = Object.values(killedBy).some(Boolean);
    const expected = (m.killedBy ?? []).filter((s) => !killedBy[s] && !killedBy.build);
    const result = killed ? 'killed' : m.equivalent !== undefined ? 'equivalent' : 'survived';
    const r = { ...m, result, killedBy, missedBy: expected, seconds: (Date.now() - t0) / 1000 };
    results.push(r);
    const by = Object.entries(killedBy)
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join('+');
    process.stdout.write(
      `${result.toUpperCase().padEnd(10)} ${m.id.padEnd(24)} ${(by || '-').padEnd(16)} ${m.file}: ${m.why}` +
        (expected.length > 0 ? `  !! expected ${expected.join('+')} to kill it` : '') +
        (killed && m.equivalent !== undefined ? '  !! marked equivalent, but a suite killed it' : '') +
        '\n',
    );
  }
  build(); // leave the copy built from the unmutated sources
  const killed = results.filter((r) => r.result === 'killed').length;
  const equivalent = results.filter((r) => r.result === 'equivalent').length;
  const survived = results.filter((r) => r.result === 'survived');
  const missed = results.filter((r) => r.missedBy.length > 0 || (r.result === 'killed' && r.equivalent !== undefined));
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  fs.writeFileSync(path.join(OUT, 'native.json'), JSON.stringify({ minutes, results }, null, 2));
  const score = (100 * killed) / Math.max(1, results.length - equivalent);
  process.stdout.write(
    `mutate-native: ${killed} killed, ${survived.length} survived, ${equivalent} equivalent of ${results.length} ` +
      `(score ${score.toFixed(1)}% of the non-equivalent) in ${minutes} min\n`,
  );
  // Every survivor must be triaged: killed by a test, or marked equivalent with the reason.
  if (survived.length > 0 || missed.length > 0) {
    process.stdout.write(
      `mutate-native: ${survived.length} untriaged survivor(s), ${missed.length} expectation(s) not met\n`,
    );
    process.exitCode = 1;
  }
}

main();
