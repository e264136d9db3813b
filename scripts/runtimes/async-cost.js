'use strict';
// Async cost per call, at several calls in flight, of one or more builds of
// the package in the same process, interleaved (issue 23: Node's cost at 64
// and 1000 in flight against the previous build; the figures per runtime).
//
//   node scripts/runtimes/async-cost.js [label=dir[:library] ...]
//   bun  scripts/runtimes/async-cost.js ...
//   deno run --allow-read --allow-env --allow-ffi --allow-sys scripts/runtimes/async-cost.js ...
//
// Each argument names a package directory (with dist/) and, optionally, the
// library it must load (FFI_DEEP_DIVE_LIB while it loads); default: this
// checkout. Keep-N-in-flight lanes as in scripts/bench/async.js; the median
// of ROUNDS (default 11) rounds, the builds and cases rotating each round.
// Prints one line per case, build and N, in ns per call. Environment:
// IN_FLIGHT (1,64,1000), ROUNDS (11), TOTAL (3000 calls a run), CASES (a regex).
const path = require('node:path');

const specs = process.argv.slice(2);
if (specs.length === 0) specs.push(`this=${path.resolve(__dirname, '..', '..')}`);
const builds = specs.map((spec) => {
  const [label, rest] = spec.split('=');
  const [dir, lib] = rest.split(':');
  const saved = process.env.FFI_DEEP_DIVE_LIB;
  if (lib) process.env.FFI_DEEP_DIVE_LIB = path.resolve(lib);
  const api = require(path.resolve(dir, 'dist'));
  if (lib) {
    if (saved === undefined) delete process.env.FFI_DEEP_DIVE_LIB;
    else process.env.FFI_DEEP_DIVE_LIB = saved;
  }
  return { label, api };
});

const IN_FLIGHT = (process.env.IN_FLIGHT ?? '1,64,1000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 11);
const TOTAL = Number(process.env.TOTAL ?? 3000);
const a = new Uint32Array(1000).map((_, i) => i * 7);
const CASES = {
  'sumOfEvenAsync(1000)': (api) => () => api.sumOfEvenAsync(a),
  'primesUpToAsync(10000)': (api) => () => api.primesUpToAsync(10000),
};

async function lanes(call, total, inFlight) {
  let next = 0;
  const lane = async () => {
    while (next++ < total) await call();
  };
  const t0 = process.hrtime.bigint();
  const all = [];
  for (let i = 0; i < inFlight; i++) all.push(lane());
  await Promise.all(all);
  return Number(process.hrtime.bigint() - t0) / total;
}

async function main() {
  const runs = [];
  const only = process.env.CASES ? new RegExp(process.env.CASES) : null;
  for (const [name, make] of Object.entries(CASES)) {
    if (only && !only.test(name)) continue;
    for (const b of builds)
      for (const k of IN_FLIGHT) runs.push({ name, label: b.label, k, call: make(b.api), samples: [] });
  }
  for (const r of runs) await lanes(r.call, Math.min(TOTAL, 300 + 2 * r.k), r.k); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const shift = Math.floor((round * runs.length) / ROUNDS);
    for (let j = 0; j < runs.length; j++) {
      const r = runs[(j + shift) % runs.length];
      r.samples.push(await lanes(r.call, TOTAL, r.k));
    }
  }
  const runtime = process.versions.bun
    ? `bun ${process.versions.bun}`
    : process.versions.deno
      ? `deno ${process.versions.deno}`
      : `node ${process.versions.node}`;
  console.log(`${runtime}, ${ROUNDS} rounds of ${TOTAL} calls, median ns per call`);
  for (const r of runs) {
    const s = r.samples.slice().sort((x, y) => x - y);
    console.log(
      `${r.name.padEnd(24)} ${r.label.padEnd(8)} ${String(r.k).padStart(5)} in flight: ${Math.round(s[s.length >> 1])} ns`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
