#!/usr/bin/env node
// `make bench`: what each call costs, side by side — public API, raw koffi,
// the fastest pure JS, C and a Node-API addon — in the same process and the
// same rounds, so every ratio is paired per round; where crossing into Rust
// starts to pay off; async time per call against calls in flight; and the
// verdict on every target (scripts/bench/report.js, rule in stats.js).
//
//   make bench                  full run (about 5 min), writes docs/bench.{json,md}, docs/bench-*.svg, README block
//   BENCH_QUICK=1 make bench    short run to check that everything works; writes build/bench-quick/
//   BENCH_FILTER=regex          only the cases, sweeps and async cases whose name matches
//   BENCH_KOFFI_CONFIG='{...}'  koffi.config() applied before the library loads (async pool tuning)
//   BENCH_OUT=dir               where to write the results
//
// What is measured is listed in scripts/bench/cases.js. Each part runs in its
// own child process (calls.js, sweep.js, async.js).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const napi = require('./bench/napi');
const { sweepSpec, asyncSpec, renderSvg } = require('./bench/chart');
const { crossover } = require('./bench/stats');
const report = require('./bench/report');
const { SWEEPS } = require('./bench/cases');
const { settings } = require('./bench/harness');
const { C_LOOPS } = require('./bench/context');

const ROOT = path.resolve(__dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const OUT = path.resolve(ROOT, process.env.BENCH_OUT || (QUICK ? 'build/bench-quick' : 'docs'));

function child(script, env) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bench', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench: ${script} failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Keeps the README's benchmark section (between markers) in step with docs/bench.md. */
function updateReadme(results, charts) {
  const file = path.join(ROOT, 'README.md');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const readme = fs.readFileSync(file, 'utf8');
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) return false;
  const block = `${start}\n${report.readmeBlock(results, charts)}\n${end}`;
  fs.writeFileSync(file, readme.slice(0, a) + block + readme.slice(b + end.length));
  return true;
}

async function main() {
  const t0 = Date.now();
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    console.error('bench: dist/ is missing: run `make` first');
    process.exit(1);
  }
  const koffiVersion = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'node_modules', 'koffi', 'package.json'), 'utf8'),
  ).version;
  const meta = {
    date: new Date().toISOString(),
    quick: QUICK,
    node: process.version,
    koffi: koffiVersion,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cpus: os.cpus().length,
    loadavg: loadavg(),
    rounds: settings(QUICK).rounds,
  };

  const built = napi.build((msg) => console.log(msg));
  meta.napi = built.path ? 'built' : `not built (${built.error.split('\n')[0]})`;
  if (built.error) console.log(`bench: the Node-API addon could not be built, continuing without it:\n${built.error}`);
  meta.c = fs.existsSync(C_LOOPS) ? 'ran' : `${path.relative(ROOT, C_LOOPS)} is missing (make bench builds it)`;
  if (meta.c !== 'ran') console.log(`bench: ${meta.c}; continuing without the C rows`);

  const env = { BENCH_NAPI_ADDON: built.path ?? '', BENCH_QUICK: QUICK ? '1' : '0' };
  console.log('bench: per-call table (scripts/bench/calls.js)');
  const calls = child('calls.js', env).cases;
  console.log('bench: length sweeps (scripts/bench/sweep.js)');
  const sweepOut = child('sweep.js', env);
  meta.sweepRounds = sweepOut.rounds;
  const sweeps = sweepOut.sweeps;
  for (const s of sweeps) {
    const def = SWEEPS.find((d) => d.name === s.name);
    Object.assign(s, { title: def.title, unit: def.unit, file: def.file });
    if (s.points) s.crossover = crossover(report.sweepRatios(s));
  }
  console.log('bench: async time per call against calls in flight (scripts/bench/async.js)');
  const asyncResults = child('async.js', env);
  meta.loadavgEnd = loadavg();

  const results = { meta, calls, sweeps, async: asyncResults };
  results.targets = report.targets(results);

  fs.mkdirSync(OUT, { recursive: true });
  const charts = {};
  for (const s of sweeps) {
    if (!s.points) continue;
    const svg = await renderSvg(
      sweepSpec({ title: s.title, unit: s.unit, lines: report.sweepLines(s), cross: s.crossover }),
    );
    fs.writeFileSync(path.join(OUT, s.file), svg);
    charts[s.name] = s.file;
  }
  const asyncRows = report.asyncRows(results);
  if (asyncRows.length) {
    fs.writeFileSync(path.join(OUT, 'bench-async.svg'), await renderSvg(asyncSpec(asyncRows)));
    charts.async = 'bench-async.svg';
  }
  fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT, 'bench.md'), report.markdown(results, charts));

  console.log('\n' + report.text(results) + '\n');
  const written = [
    path.join(OUT, 'bench.json'),
    path.join(OUT, 'bench.md'),
    ...Object.values(charts).map((f) => path.join(OUT, f)),
  ];
  console.log(`bench: wrote ${written.map((f) => path.relative(ROOT, f)).join(', ')}`);
  if (!QUICK && !process.env.BENCH_OUT && !process.env.BENCH_FILTER) {
    if (updateReadme(results, charts)) console.log('bench: updated the benchmark section of README.md');
  }
  console.log(`bench: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
