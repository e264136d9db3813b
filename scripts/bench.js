#!/usr/bin/env node
// `make bench`: what each call costs, side by side — public API, raw koffi,
// pure JS, the C floor and a Node-API addon — and where crossing into Rust
// starts to pay off.
//
//   make bench                  full run (a few minutes), writes docs/bench.{json,md} and docs/bench-*.svg
//   BENCH_QUICK=1 make bench    short run (< 30 s) to check that everything works; writes build/bench-quick/
//   BENCH_FILTER=regex          only the cases and sweeps whose name matches
//   BENCH_KOFFI_CONFIG='{...}'  koffi.config() applied before the library loads (async pool tuning)
//   BENCH_OUT=dir               where to write the results
//
// What is measured is listed in scripts/bench/cases.js; each engine runs in a
// child process (calls, sweeps, async), the C bench is build/bench_c.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const napi = require('./bench/napi');
const { crossover, sweepSpec, renderSvg } = require('./bench/chart');
const report = require('./bench/report');
const { SWEEPS } = require('./bench/cases');
const { settings, sweepLengths } = require('./bench/harness');

const ROOT = path.resolve(__dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const OUT = path.resolve(ROOT, process.env.BENCH_OUT || (QUICK ? 'build/bench-quick' : 'docs'));

function child(script, env) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bench', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench: ${script} failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

/** Runs the C bench; returns its JSON or `{ error }`. */
function runC(lengths) {
  const exe = path.join(ROOT, 'build', 'bench_c');
  if (!fs.existsSync(exe)) return { error: `${exe} is missing (make build/bench_c)` };
  const args = ['--lengths', lengths.join(',')];
  if (QUICK) args.push('--quick');
  const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) return { error: `build/bench_c failed (exit ${r.status}): ${r.stderr}` };
  return JSON.parse(r.stdout);
}

const summarizeC = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s.at(-1), samples };
};

/** Keeps the README's benchmark section (between markers) in step with docs/bench.md. */
function updateReadme(results, charts) {
  const file = path.join(ROOT, 'README.md');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const readme = fs.readFileSync(file, 'utf8');
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) return false;
  const chartLines = Object.entries(charts).map(([name, rel]) => `![${name}](docs/${path.basename(rel)})`);
  const table = report.mdTable(
    report.CALL_HEADER,
    report.callBody(results).filter((r) => !String(r[1]).startsWith('variant')),
  );
  const block = [
    start,
    `Measured by \`make bench\` on ${results.meta.date} (${results.meta.cpu}, Node ${results.meta.node}); details, variants`,
    'and targets in [docs/bench.md](docs/bench.md), raw figures in [docs/bench.json](docs/bench.json).',
    '',
    ...chartLines.flatMap((l) => [l, '']),
    table,
    end,
  ].join('\n');
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
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    rounds: settings(QUICK).rounds,
  };

  const built = napi.build((msg) => console.log(msg));
  meta.napi = built.path ? 'built' : `not built (${built.error.split('\n')[0]})`;
  if (built.error) console.log(`bench: the Node-API addon could not be built, continuing without it:\n${built.error}`);

  console.log('bench: C floor (build/bench_c)');
  const c = runC(sweepLengths(QUICK));
  meta.c = c.error ? c.error : 'ran';
  if (c.error) console.log(`bench: ${c.error}; continuing without the C column`);

  const env = { BENCH_NAPI_ADDON: built.path ?? '', BENCH_QUICK: QUICK ? '1' : '0' };
  console.log('bench: per-call table (scripts/bench/calls.js)');
  const calls = child('calls.js', env).cases;
  for (const cs of calls) {
    for (const e of [...Object.values(cs.engines), ...Object.values(cs.variants)]) if (e.samples) e.paired = true;
    if (cs.c && c.cases?.[cs.c]) cs.engines.c = summarizeC(c.cases[cs.c]);
  }
  console.log('bench: length sweeps (scripts/bench/sweep.js)');
  const sweeps = child('sweep.js', env).sweeps;
  for (const s of sweeps) {
    const def = SWEEPS.find((d) => d.name === s.name);
    Object.assign(s, { title: def.title, unit: def.unit, file: def.file });
    if (!s.points) continue;
    for (const p of s.points) {
      p.lib.paired = true;
      p.js.paired = true;
    }
    s.crossover = crossover(s.points);
    const cs = c.sweeps?.[def.c];
    if (cs) s.c = Object.fromEntries(Object.entries(cs).map(([len, samples]) => [len, summarizeC(samples).median]));
  }
  console.log('bench: async throughput (scripts/bench/async.js)');
  const asyncResults = child('async.js', env);

  const results = { meta, calls, sweeps, async: asyncResults, c: c.error ? null : c };
  results.targets = report.targets(results);

  fs.mkdirSync(OUT, { recursive: true });
  const charts = {};
  for (const s of sweeps) {
    if (!s.points) continue;
    const svg = await renderSvg(sweepSpec(s, s.title, s.unit, s.c));
    fs.writeFileSync(path.join(OUT, s.file), svg);
    charts[s.name] = s.file;
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
