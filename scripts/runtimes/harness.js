#!/usr/bin/env node
'use strict';
// make test-runtimes, after scripts/runtimes/run.sh has installed the pinned
// Bun and Deno and the packed tarball into a fresh consumer folder (the cwd,
// where it copied these scripts): runs under Node, Bun and Deno
//   1. the package examples, CommonJS (check.js) and ES modules (check.mjs);
//   2. the conformance pass (conformance.js): every call's outcome against its
//      model, and the three runtimes' outcomes (value, or error class, code,
//      status and message) against each other;
//   3. the load (load.js): 10,000 async calls in flight, four busy workers;
//   4. worker teardown (teardown.js, teardown-runs.js): the package's scenario
//      TEARDOWN_RUNS times per way of ending (terminate(), process.exit() in
//      the worker, normal end), every run without a crash, the worker's exit
//      code as expected and the live counters at their baseline; the raw-koffi
//      control CONTROL_RUNS times each, reported beside it. Where the control
//      itself crashes a runtime (a defect outside the package, KNOWN_DEFECTS),
//      the control must still crash, as docs/runtime-issues.md documents (when
//      it stops, the upstream defect is fixed: remove the entry); the package
//      must pass there all the same, since on Bun and Deno it never uses
//      koffi's .async (ts/async.ts: the library's own threads, polled).
// Every step runs; the failures are listed at the end; exit status 1 if any.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { runtimes } = require('./runtimes.js');
const { runAll, summary } = require('./teardown-runs.js');

const TEARDOWN_RUNS = Number(process.env.TEARDOWN_RUNS || 6);
const CONTROL_RUNS = Number(process.env.CONTROL_RUNS || 2);
const HOWS = ['terminate', 'exit', 'normal'];

/**
 * Runtime defects outside the package, shown by the raw-koffi control (bare
 * koffi `.async` calls, no package code): '<runtime> <how>' -> what happens.
 * Each is written up with a minimal repro in docs/runtime-issues.md.
 */
const KNOWN_DEFECTS = {
  'bun terminate':
    'Bun 1.4.5 segfaults when a worker is terminated with koffi .async calls in flight, even bare koffi calls with no package code (docs/runtime-issues.md, "Bun: a worker that ends with koffi .async calls in flight crashes the process")',
  'bun exit':
    'Bun 1.4.5 segfaults when a worker calls process.exit() with koffi .async calls in flight, even bare koffi calls with no package code (docs/runtime-issues.md, "Bun: a worker that ends with koffi .async calls in flight crashes the process")',
};

const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.log(`FAIL: ${msg}`);
};
const all = runtimes();
const names = Object.keys(all);
if (names.join() !== 'node,bun,deno') {
  console.error('harness.js: RUNTIME_BUN and RUNTIME_DENO must name the runtimes (scripts/runtimes/run.sh sets them)');
  process.exit(1);
}

/** Runs `script` under runtime `name` in the consumer folder. */
function run(name, script, args = []) {
  return spawnSync(all[name][0], [...all[name].slice(1), path.join(process.cwd(), script), ...args], {
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 << 20,
  });
}
const status = (r) => (r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit status ${r.status}`);
const tail = (s, n = 15) => s.trim().split('\n').slice(-n).join('\n');

function versions() {
  for (const name of names) {
    const r = spawnSync(all[name][0], ['--version'], { encoding: 'utf8' });
    console.log(`${name}: ${r.stdout.trim().split('\n')[0]} (${all[name][0]})`);
  }
}

function examples() {
  for (const name of names) {
    for (const script of ['check.js', 'check.mjs']) {
      const started = Date.now();
      const r = run(name, script);
      if (r.status !== 0 || r.signal) {
        fail(`examples: ${name} ${script}: ${status(r)}\n${tail(r.stderr || r.stdout)}`);
      } else {
        console.log(`examples, ${name}: ${tail(r.stdout, 1)} (${Date.now() - started} ms)`);
      }
    }
  }
}

function conformance() {
  const results = {};
  for (const name of names) {
    const r = run(name, 'conformance.js');
    if (r.status !== 0 || r.signal) {
      fail(`conformance: ${name}: ${status(r)}\n${tail(r.stderr)}`);
      continue;
    }
    results[name] = JSON.parse(r.stdout);
    const off = results[name].results.filter((x) => x.model);
    console.log(`conformance, ${name}: ${tail(r.stderr, 1 + off.length).split('\n')[0]}`);
    for (const x of off) {
      fail(`conformance: ${name}: ${x.label}: got ${describe(x)}; ${x.model}`);
    }
  }
  // The same outcome, message included, on every runtime: one line per call that differs.
  const present = Object.keys(results);
  if (present.length < 2) return;
  const exportLists = new Set(present.map((name) => JSON.stringify(results[name].exports)));
  if (exportLists.size > 1) fail(`conformance: the runtimes see different exports: ${[...exportLists].join(' / ')}`);
  const byLabel = present.map((name) => new Map(results[name].results.map((x) => [x.label, x])));
  const strip = (x) => x && JSON.stringify({ ...x, model: undefined });
  let same = 0;
  for (const x of results[present[0]].results) {
    const outcomes = byLabel.map((m) => m.get(x.label));
    if (outcomes.every((y) => strip(y) === strip(x))) {
      same++;
      continue;
    }
    const each = present.map((name, i) => `${name}: ${outcomes[i] ? describe(outcomes[i]) : 'no such call'}`);
    fail(`conformance across runtimes: ${x.label}: ${each.join(' | ')}`);
  }
  console.log(
    `conformance, ${present.join(' = ')}: ${same} of ${results[present[0]].results.length} outcomes identical (messages included)`,
  );
}
function describe(x) {
  return 'error' in x
    ? `${x.error} ${x.code}${x.status ? ` (${x.status})` : ''}: ${x.message}`
    : JSON.stringify(x.value).slice(0, 200);
}

function load() {
  for (const name of names) {
    const r = run(name, 'load.js');
    if (r.status !== 0 || r.signal) fail(`load: ${name}: ${status(r)}\n${tail(r.stderr || r.stdout)}`);
    else console.log(`${name} ${tail(r.stdout, 1)}`);
  }
}

function teardown() {
  console.log(
    `teardown: a worker ends with async calls in flight; the package's scenario ${TEARDOWN_RUNS} runs per case, ` +
      `the raw-koffi control ${CONTROL_RUNS}`,
  );
  const quiet = () => {};
  for (const name of names) {
    for (const how of HOWS) {
      const key = `${name} ${how}`;
      const runs = KNOWN_DEFECTS[key] ? Math.max(CONTROL_RUNS, 3) : CONTROL_RUNS;
      const control = runAll({
        runs,
        names: [name],
        variants: ['control'],
        hows: [how],
        cwd: process.cwd(),
        log: quiet,
      })[`${name} control ${how}`];
      console.log(summary(`${name} control ${how}`, control));
      const crashes = control.filter((x) => x.outcome === 'crash').length;
      const known = KNOWN_DEFECTS[key];
      if (known && crashes === 0) {
        fail(
          `teardown: ${key}: the raw-koffi control no longer crashes (${runs} runs), but KNOWN_DEFECTS says: ` +
            `${known}. If the upstream defect is fixed, remove the entry (scripts/runtimes/harness.js), ` +
            `docs/runtime-issues.md's and the README's notes, so that the package's case must pass again`,
        );
      }
      const pkg = runAll({
        runs: TEARDOWN_RUNS,
        names: [name],
        variants: ['package'],
        hows: [how],
        cwd: process.cwd(),
        log: quiet,
      })[`${name} package ${how}`];
      const line = summary(`${name} package ${how}`, pkg);
      console.log(line);
      const crashed = pkg.filter((x) => x.outcome === 'crash').length;
      const wrong = pkg.filter((x) => x.outcome === 'wrong').length;
      const ending = { terminate: 'terminate()', exit: 'process.exit() in the worker', normal: 'a normal end' }[how];
      if (crashed || wrong) {
        fail(
          `teardown: the package's worker-teardown scenario fails on ${name} (${ending}): ${crashed + wrong} of ` +
            `${pkg.length} runs (${line.replace(/^.*?: /, '')}), while the raw-koffi control crashed ${crashes} of ` +
            `${control.length}: the package's own async design (ts/async.ts) does not survive ${ending} on ${name}`,
        );
      }
    }
  }
}

const started = Date.now();
for (const [step, f] of [
  ['versions', versions],
  ['examples', examples],
  ['conformance', conformance],
  ['load', load],
  ['teardown', teardown],
]) {
  const t = Date.now();
  f();
  console.log(`(${step}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
const secs = ((Date.now() - started) / 1000).toFixed(0);
if (failures.length) {
  console.log(`\ntest-runtimes: ${failures.length} FAILURE(S) on ${names.join(', ')} (${secs} s):`);
  for (const f of failures) console.log(`  - ${f.split('\n')[0]}`);
  process.exit(1);
}
console.log(`test-runtimes: passed on ${names.join(', ')} in ${secs} s`);
