#!/usr/bin/env node
/**
 * The hostile fuzzer's driver (`make fuzz-js`): runs fuzz.child.js for each
 * public function in its own child process, so that a crash fails that
 * function only and names the case that crashed.
 *
 *   node test/hostile/fuzz.js [--runs N] [--seed S] [--targets a,b] [--relaxed] [--survey] [--root DIR]
 *
 * --root: the package checkout to attack (default: this one; its dist/ must be built).
 * --relaxed accepts any TypeError/RangeError/FfiError where the model expects
 * an error (without checking issue 13's codes); --survey keeps going after a
 * failure (restarting the child after a crash) and prints every failure.
 * Exit status 1 if anything failed.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TARGETS } = require('./targets');

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs one child; returns its parsed JSON lines, exit status/signal, stderr and the last case started. */
function runChild(opts, root = ROOT) {
  const lastCase = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-fuzz-')), 'last-case.json');
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(__dirname, 'fuzz.child.js'), JSON.stringify({ root, ...opts, lastCase })],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const last = fs.existsSync(lastCase) ? fs.readFileSync(lastCase, 'utf8') : undefined;
  fs.rmSync(path.dirname(lastCase), { recursive: true, force: true });
  return { lines, status: r.status, signal: r.signal, stderr: r.stderr, lastCase: last };
}

function main(argv) {
  const arg = (name, dflt) => {
    const i = argv.indexOf(name);
    return i < 0 ? dflt : argv[i + 1];
  };
  const runs = Number(arg('--runs', '300'));
  const seed = Number(arg('--seed', '20261129'));
  const relaxed = argv.includes('--relaxed');
  const survey = argv.includes('--survey');
  const targets = arg('--targets', Object.keys(TARGETS).join(',')).split(',');
  const root = path.resolve(arg('--root', ROOT));
  let failed = 0;
  const started = Date.now();
  for (const target of targets) {
    let start = 0;
    for (;;) {
      const r = runChild({ targets: [target], seed, runs, relaxed, mode: survey ? 'survey' : 'assert', start }, root);
      for (const line of r.lines) {
        if (line.ok === true || line.done !== undefined) continue;
        if (line.fatal !== undefined) line.lastCase = r.lastCase && JSON.parse(r.lastCase);
        failed++;
        console.log(JSON.stringify(line));
      }
      const crashed = r.status !== 0 || r.signal !== null;
      if (crashed) {
        failed++;
        console.log(
          JSON.stringify({
            target,
            crashed: { status: r.status, signal: r.signal },
            lastCase: r.lastCase && JSON.parse(r.lastCase),
            stderr: r.stderr.slice(-2000),
          }),
        );
      }
      const summary = r.lines.find((l) => l.target === target && (l.ok !== undefined || l.done !== undefined));
      if (summary)
        console.error(`${target}: ${summary.ok === false ? 'FAILED' : 'ok'} (${summary.numRuns ?? summary.done} runs)`);
      if (survey && crashed && r.lastCase) {
        start = JSON.parse(r.lastCase).index + 1; // resume after the case that crashed
        if (start < runs) continue;
      }
      if (!survey && crashed) console.error(`${target}: CRASHED (${r.signal ?? r.status})`);
      break;
    }
  }
  console.error(
    `hostile fuzz: ${targets.length} functions, ${runs} runs each, seed ${seed}: ${failed} failure(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = { runChild };
