'use strict';
// The cost of one call of addInRust under whichever runtime runs this file,
// from a folder where the packed tarball is installed: through the package's
// namespace (`ffi.addInRust(...)`, as `const ffi = require('ffi-deep-dive')`
// users write it), the same function held in a variable (`const { addInRust }
// = ...`), the koffi function the package declares (`ffi-deep-dive/raw`
// add_in_rust, in a variable) and koffi directly (the library loaded and
// declared here, no package code). They are interleaved: each round times
// CALLS calls of each, in a rotating order, and the median round is reported:
// nanoseconds of CPU time (process.cpuUsage, user + system) per call, which
// other processes on a busy machine disturb less than the wall clock does.
//
//   <runtime> percall.js            one JSON line: { runtime, version, namespace, package, raw, koffi }
//   node percall.js --all           the three runtimes (RUNTIME_BUN, RUNTIME_DENO), a table
//                                   (scripts/runtimes/run.sh percall)
const path = require('node:path');

const CALLS = Number(process.env.PERCALL_CALLS || 1_000_000);
const ROUNDS = Number(process.env.PERCALL_ROUNDS || 15);

function measure() {
  const api = require('ffi-deep-dive');
  const raw = require('ffi-deep-dive/raw');
  const koffi = require('koffi');
  const add = koffi.load(raw.libraryPath).func('int add_in_rust(int a, int b)');
  const { addInRust } = api;
  const rawAdd = raw.add_in_rust;
  const ways = {
    namespace: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s = api.addInRust(i & 0xffff, s & 0xff);
      return s;
    },
    package: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s = addInRust(i & 0xffff, s & 0xff);
      return s;
    },
    raw: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s = rawAdd(i & 0xffff, s & 0xff);
      return s;
    },
    koffi: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s = add(i & 0xffff, s & 0xff);
      return s;
    },
  };
  const names = Object.keys(ways);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const check = {};
  for (const name of names) check[name] = ways[name](CALLS / 10); // warm-up, and all agree
  if (new Set(Object.values(check)).size !== 1) throw new Error(`the ways disagree: ${JSON.stringify(check)}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const t = process.cpuUsage();
      ways[name](CALLS);
      const { user, system } = process.cpuUsage(t);
      times[name].push(((user + system) * 1000) / CALLS);
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const { Bun, Deno } = globalThis;
  const runtime = Bun ? 'bun' : Deno ? 'deno' : 'node';
  const version = Bun ? Bun.version : Deno ? Deno.version.deno : process.version;
  return { runtime, version, ...Object.fromEntries(names.map((n) => [n, Math.round(median(times[n]) * 10) / 10])) };
}

if (process.argv[2] === '--all') {
  const { spawnSync } = require('node:child_process');
  const { runtimes } = require('./runtimes.js');
  const rows = [];
  for (const [name, command] of Object.entries(runtimes())) {
    const r = spawnSync(command[0], [...command.slice(1), path.join(__dirname, 'percall.js')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  console.log(`addInRust, ns of CPU time per call (median of ${ROUNDS} rounds of ${CALLS} calls each, interleaved):`);
  console.log('| runtime | `ffi.addInRust` | `addInRust` | raw `add_in_rust` | koffi directly |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.runtime} ${r.version} | ${r.namespace} | ${r.package} | ${r.raw} | ${r.koffi} |`);
  }
} else {
  console.log(JSON.stringify(measure()));
}
