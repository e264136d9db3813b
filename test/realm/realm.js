#!/usr/bin/env node
/**
 * The patched-realm test (issue 20): every patch of patches.js against the
 * public API's cases (cases.js), in child processes (realm.child.js) of
 * several patches each. A child that dies (a signal, an abort, an exit
 * without reporting) is charged to the pair it had started, and a fresh child
 * goes on after it.
 *
 *   node test/realm/realm.js                  the sample `make test` runs (test/realm/patched-realm-slow.test.ts)
 *   node test/realm/realm.js --full           every patch against every case (`make fuzz-js`)
 *   options: --seed N (20261207)  --per-patch K (drawn cases per patch in the sample, 2)
 *            --jobs N (children at once, 2)  --chunk N (patches per child, 60)
 *            --wait-ms N (how long an async case may take under the patch, 300)
 *            --settle (keep each patch in place until an async case settles, not only for its job)
 *            --watchdog-ms N (a child silent this long is stuck: killed, 10000)
 *            --only REGEX (patch ids)  --cases a,b (case names)  --json FILE (the full report)
 *            --root DIR (the checkout under test; HOSTILE_ROOT works too)
 *
 * The sample: first a child installs every target at once, transparently,
 * and records which targets each case calls (the reach map); then every
 * patch runs every case that reaches its target, plus `--per-patch` cases of
 * the representative set drawn with the seed (so every patch runs at least
 * that many, reached or not). With the same seed and code, the same pairs.
 *
 * Prints a summary (and with --json writes every failure). Exit status 0
 * when nothing failed but what is counted apart as the runtime's.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CHILD = path.join(__dirname, 'realm.child.js');

/**
 * The representative set for the sample: one case or two per module, sync,
 * async, callbacks, classes, errors.
 */
const REPRESENTATIVE = [
  'addChecked-overflow',
  'concatStrings',
  'countCharacters-bytes',
  'parseNumber-int',
  'Point',
  'pointTranslated',
  'translatePoints',
  'OpaquePoint-free',
  'OpaquePoint-gc',
  'scaleShape',
  'flipThings',
  'sumOfEven-array',
  'sumOfEven-typed',
  'primesUpTo',
  'countWhere',
  'countWhere-nested',
  'sumOfEvenAsync',
  'sumOfEvenAsync-transfer',
  'primesUpToAsync',
];

function parseArgs(argv) {
  const o = { seed: 20261207, perPatch: 2, jobs: 2, chunk: 60, waitMs: 300, watchdogMs: 10000, full: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--full') o.full = true;
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--per-patch') o.perPatch = Number(next());
    else if (a === '--jobs') o.jobs = Number(next());
    else if (a === '--chunk') o.chunk = Number(next());
    else if (a === '--wait-ms') o.waitMs = Number(next());
    else if (a === '--watchdog-ms') o.watchdogMs = Number(next());
    else if (a === '--only') o.only = new RegExp(next());
    else if (a === '--cases') o.cases = next().split(',');
    else if (a === '--json') o.json = next();
    else if (a === '--root') o.root = path.resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  o.root = o.root ?? path.resolve(process.env.HOSTILE_ROOT ?? path.join(__dirname, '..', '..'));
  return o;
}

/** mulberry32: a small seeded generator, so the sample is the same from run to run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A child's one-line JSON answer in `mode` ('list': the patches and cases; 'reach': which targets each case calls). */
function ask(root, mode) {
  const r = spawnSync(process.execPath, ['--expose-gc', CHILD, JSON.stringify({ root, mode })], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`the ${mode} child failed: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(last);
}

/**
 * The (patch index, case name) pairs to run. The sample: each patch runs
 * every case that reaches its target (`reach`: the cases whose run called it
 * when all targets were installed transparently), and `perPatch` more cases
 * of the representative set drawn with the seed.
 */
function pairsFor(o, listing, reach) {
  const caseNames = o.cases ?? (o.full ? listing.cases.map((c) => c.name) : REPRESENTATIVE);
  const random = rng(o.seed);
  const reachedBy = new Map();
  for (const [c, ids] of Object.entries(reach ?? {})) {
    for (const id of ids) reachedBy.set(id, [...(reachedBy.get(id) ?? []), c]);
  }
  const pairs = [];
  listing.patches.forEach((pid, i) => {
    if (o.only && !o.only.test(pid)) return;
    if (o.full || o.cases) {
      for (const c of caseNames) pairs.push([i, c]);
      return;
    }
    const chosen = [...(reachedBy.get(pid.replace(/#[a-z]+$/, '')) ?? [])];
    const pool = caseNames.filter((c) => !chosen.includes(c));
    for (let k = 0; k < o.perPatch && pool.length > 0; k++) {
      chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
    }
    for (const c of chosen) pairs.push([i, c]);
  });
  return pairs;
}

/** Runs one child over `pairs`; resolves with its parsed reports and how it ended. */
function runChild(o, pairs) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', CHILD, JSON.stringify({ root: o.root, mode: 'run', pairs, waitMs: o.waitMs, settle: o.settle })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    // A child that reports nothing for WATCHDOG_MS is stuck (a loop that never ends under its patch): killed, and charged to the pair it had started.
    let stuck = false;
    let watchdog;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stuck = true;
        child.kill('SIGKILL');
      }, o.watchdogMs);
    };
    arm();
    child.stdout.on('data', (d) => {
      stdout += d;
      arm();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    child.on('close', (status, signal) => {
      clearTimeout(watchdog);
      const results = [];
      let started;
      let stopped = false;
      let harness;
      let uncaughtWho;
      for (const line of stdout.split('\n')) {
        if (line.startsWith('@@start ')) {
          started = JSON.parse(line.slice(8));
          uncaughtWho = undefined;
        } else if (line.startsWith('@@uncaught ')) uncaughtWho = line.slice(11);
        else if (line.startsWith('@@res ')) {
          results.push(JSON.parse(line.slice(6)));
          started = undefined;
        } else if (line === '@@stop') stopped = true;
        else if (line.startsWith('@@harness ')) harness = JSON.parse(line.slice(10));
      }
      resolve({ status, signal, stuck, uncaughtWho, results, started, stopped, harness, stderr: stderr.slice(-3000) });
    });
  });
}

async function run(o) {
  const t0 = Date.now();
  const listing = ask(o.root, 'list');
  const reach = o.full ? undefined : ask(o.root, 'reach');
  const pairs = pairsFor(o, listing, reach);
  // Work items: runs of whole patches, `chunk` patches each.
  const queue = [];
  let current = [];
  let patchesInChunk = 0;
  let last;
  for (const pair of pairs) {
    if (pair[0] !== last) {
      if (patchesInChunk === o.chunk) {
        queue.push(current);
        current = [];
        patchesInChunk = 0;
      }
      patchesInChunk++;
      last = pair[0];
    }
    current.push(pair);
  }
  if (current.length > 0) queue.push(current);

  const results = [];
  const crashes = [];
  const harnessErrors = [];
  let children = 0;
  async function worker() {
    while (queue.length > 0) {
      const work = queue.shift();
      children++;
      const r = await runChild(o, work);
      results.push(...r.results);
      if (r.harness) {
        harnessErrors.push(r.harness);
        continue; // the harness itself failed: nothing of this chunk can be judged
      }
      const done = r.results.length;
      if (r.signal !== null || r.status !== 0 || (done < work.length && !r.stopped)) {
        const at = r.started ?? work[done];
        const patch = at ? listing.patches[at[0]] : '(none)';
        if (r.stuck && r.uncaughtWho === 'runtime') {
          // Stuck after an exception thrown in the runtime's own code, with no package frame (Node core under the patch).
          results.push({ p: patch, c: at && at[1], why: 'stuck after a runtime exception', who: 'runtime' });
        } else
          crashes.push({
            p: patch,
            c: at && at[1],
            signal: r.stuck ? 'stuck (killed after --watchdog-ms without a report)' : r.signal,
            status: r.status,
            stderr: r.stderr.slice(-1500),
          });
        const rest = work.slice(done + 1);
        if (rest.length > 0) queue.unshift(rest);
      } else if (done < work.length) {
        queue.unshift(work.slice(done));
      }
    }
  }
  await Promise.all(Array.from({ length: o.jobs }, worker));

  const failures = results.filter((r) => r.who !== undefined);
  const byWho = (w) => failures.filter((f) => f.who === w);
  const pkg = byWho('package');
  const count = (xs, key) => xs.reduce((m, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});
  const failingPatches = [...new Set(pkg.map((f) => f.p))];
  const summary = {
    patches: listing.patches.length,
    patchesByKind: count(listing.kinds, (k) => k),
    fields: listing.fields,
    cases: listing.cases.length,
    exportsWithoutCase: listing.exports.filter((e) => !listing.cases.some((c) => c.fn === e)),
    pairs: pairs.length,
    judged: results.length,
    patchesRun: new Set(pairs.map((p) => p[0])).size,
    targetsReachedTransparently: reach && new Set(Object.values(reach).flat()).size,
    patchesReached: new Set(results.filter((r) => r.hits > 0).map((r) => r.p)).size,
    excluded: count(
      results.filter((r) => r.excluded),
      (r) => r.excluded,
    ),
    packageFailures: pkg.length,
    packageFailuresByWhy: count(pkg, (f) => f.why ?? (f.leak ? 'leak' : 'uncaught')),
    packageFailuresByCase: count(pkg, (f) => f.c),
    failingPatches: failingPatches.length,
    failingPatchesByHolder: count(failingPatches, (p) => p.replace(/[.[][^.[]*#.*$/, '')),
    leaks: pkg.filter((f) => f.leak).map((f) => ({ p: f.p, c: f.c, leak: f.leak })),
    runtimeFailures: byWho('runtime').length,
    crashes: crashes.map(({ p, c, signal, status }) => ({ p, c, signal, status })),
    harnessErrors,
    children,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
  return { summary, failures, crashes, options: { ...o, only: o.only && String(o.only) } };
}

if (require.main === module) {
  const o = parseArgs(process.argv.slice(2));
  run(o).then(
    (report) => {
      if (o.json) fs.writeFileSync(o.json, JSON.stringify(report, null, 1));
      const s = report.summary;
      const { fields, failingPatchesByHolder, leaks, crashes, ...short } = s;
      console.log(
        JSON.stringify({ ...short, fields: fields.length, leaks: leaks.length, crashes: crashes.length }, null, 1),
      );
      console.log('failing patches by holder:', JSON.stringify(failingPatchesByHolder));
      if (crashes.length > 0) console.log('crashes:', JSON.stringify(crashes.slice(0, 40), null, 1));
      if (leaks.length > 0) console.log('leaks:', JSON.stringify(leaks.slice(0, 40)));
      const bad = s.packageFailures + s.crashes.length + s.harnessErrors.length + s.exportsWithoutCase.length;
      process.exitCode = bad === 0 ? 0 : 1;
    },
    (e) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}

module.exports = { run, parseArgs, REPRESENTATIVE };
