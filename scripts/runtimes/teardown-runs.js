#!/usr/bin/env node
'use strict';
// The worker-teardown scenario (teardown.js) run many times per runtime, per
// way of ending (terminate(), process.exit() in the worker, normal end) and
// per variant (the package, or the raw-koffi control): each run is a fresh
// process, classified as
//   ok       exit status 0, the worker's exit code as expected, the library's
//            live counters back at their baseline (package variant) and the
//            main thread's calls right afterwards correct;
//   crash    killed by a signal, a non-zero exit status, or still running
//            after 30 s (its last lines of stderr are kept);
//   wrong    exit status 0 but a check above failed.
//
//   node teardown-runs.js [--runs N] [--runtimes node,bun,deno] [--variants package,control]
//                         [--hows terminate,exit,normal] [--json out.json]
// prints one line per combination ("bun package terminate: 0/5 ok, 5 crash (SIGSEGV)")
// and writes every run's outcome to --json. It measures; run.sh's policy
// (harness.js) decides what must pass.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { runtimes } = require('./runtimes.js');

const EXPECTED_CODE = { terminate: 1, exit: 0, normal: 0 };
// A run takes under 2 s on a busy machine; a hang (a runtime waiting forever
// at teardown) counts as a crash after this.
const TIMEOUT_MS = 30_000;
const EXPECTED_CALLS = { package: [25, 6], control: [5, 25] };

/** One run of teardown.js with `command` (a runtime and its flags); returns its outcome. */
function runOnce(command, variant, how, cwd = __dirname) {
  const started = Date.now();
  const r = spawnSync(command[0], [...command.slice(1), path.join(cwd, 'teardown.js'), variant, how], {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 16 << 20,
  });
  const ms = Date.now() - started;
  const stderrTail = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[=\s]*$/.test(l))
    .slice(-3)
    .join(' | ');
  if (r.error || r.signal || r.status !== 0) {
    const hung = r.error && r.error.code === 'ETIMEDOUT';
    const why = hung
      ? `hung: killed after ${TIMEOUT_MS / 1000} s`
      : r.error
        ? r.error.message
        : r.signal
          ? r.signal
          : `exit status ${r.status}`;
    return { outcome: 'crash', why, stderr: stderrTail, ms };
  }
  const line = r.stdout.trim().split('\n').pop();
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    return { outcome: 'wrong', why: `no JSON line on stdout: ${line}`, ms };
  }
  const problems = [];
  if (result.code !== EXPECTED_CODE[how])
    problems.push(`worker exit code ${result.code}, expected ${EXPECTED_CODE[how]}`);
  if (JSON.stringify(result.calls) !== JSON.stringify(EXPECTED_CALLS[variant])) {
    problems.push(`calls after the end gave ${JSON.stringify(result.calls)}`);
  }
  // The control leaks the arrays of calls whose completion never ran (no package
  // code frees them): only the package must come back to its baseline.
  if (variant === 'package' && JSON.stringify(result.after) !== JSON.stringify(result.before)) {
    problems.push(`live counters ${JSON.stringify(result.after)}, baseline ${JSON.stringify(result.before)}`);
  }
  if (r.stderr.trim() !== '') problems.push(`stderr: ${stderrTail}`);
  return problems.length ? { outcome: 'wrong', why: problems.join('; '), result, ms } : { outcome: 'ok', result, ms };
}

/** Runs every combination `runs` times; returns { '<runtime> <variant> <how>': outcomes[] }. */
function runAll({ runs, names, variants, hows, cwd, log = console.log }) {
  const commands = runtimes();
  const out = {};
  for (const name of names) {
    if (!commands[name]) throw new Error(`runtime ${name}: not configured (set RUNTIME_${name.toUpperCase()})`);
    for (const variant of variants) {
      for (const how of hows) {
        const outcomes = [];
        for (let i = 0; i < runs; i++) outcomes.push(runOnce(commands[name], variant, how, cwd));
        out[`${name} ${variant} ${how}`] = outcomes;
        log(summary(`${name} ${variant} ${how}`, outcomes));
      }
    }
  }
  return out;
}

/** "bun package terminate: 0/5 ok, 5 crash (SIGSEGV x5), 3.2 s" */
function summary(key, outcomes) {
  const count = (o) => outcomes.filter((x) => x.outcome === o).length;
  const whys = {};
  for (const x of outcomes) if (x.outcome !== 'ok') whys[x.why] = (whys[x.why] || 0) + 1;
  const detail = Object.entries(whys)
    .map(([why, n]) => `${why} x${n}`)
    .join('; ');
  const secs = (outcomes.reduce((s, x) => s + x.ms, 0) / 1000).toFixed(1);
  return (
    `teardown ${key}: ${count('ok')}/${outcomes.length} ok, ${count('crash')} crash, ${count('wrong')} wrong` +
    `${detail ? ` (${detail})` : ''}, ${secs} s`
  );
}

module.exports = { runOnce, runAll, summary };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const all = runAll({
    runs: Number(opt('runs', '5')),
    names: opt('runtimes', Object.keys(runtimes()).join(',')).split(','),
    variants: opt('variants', 'control,package').split(','),
    hows: opt('hows', 'terminate,exit,normal').split(','),
    cwd: process.cwd(),
  });
  const json = opt('json');
  if (json) fs.writeFileSync(json, JSON.stringify(all, null, 2));
}
