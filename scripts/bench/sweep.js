'use strict';
// Bench child: the length sweeps (time per element from 1 to 10^7 elements):
// the library, the C loop and the pure-JS candidates, interleaved at each
// length. Prints JSON on stdout.

const { SWEEPS } = require('./cases');
const { settings, compile, interleaved, sweepLengths: lengths } = require('./harness');
const { context, quick, tryCompile } = require('./context');

function main() {
  const ctx = context();
  const isQuick = quick();
  const opts = settings(isQuick);
  // Shorter batches, fewer rounds and warm-ups than the call table: a sweep has many points.
  const sweepOpts = {
    ...opts,
    rounds: Math.max(5, Math.round((opts.rounds * 2) / 3)),
    batchMs: Math.max(2, opts.batchMs / 2),
    warmupMs: opts.warmupMs / 2,
  };
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : null;
  const out = [];
  for (const sweep of SWEEPS) {
    if (filter && !filter.test(sweep.name)) continue;
    const first = sweep.make(1);
    const engines = { lib: sweep.lib, ...(sweep.c && ctx.cloops ? { c: sweep.c } : {}) };
    for (const [name, spec] of Object.entries(sweep.js)) engines[`js:${name}`] = spec;
    const compiled = {};
    let skipped = null;
    for (const [key, spec] of Object.entries(engines)) {
      const r = tryCompile(compile, `${sweep.name} ${key}`, spec, ctx, spec.input ? spec.input(first) : first);
      if (r.skipped) {
        if (key === 'lib' || key.startsWith('js:')) skipped = r.skipped;
        continue;
      }
      compiled[key] = { run: r.run, input: spec.input };
    }
    if (skipped !== null) {
      out.push({ name: sweep.name, skipped });
      continue;
    }
    try {
      out.push({ name: sweep.name, points: measure(sweep, compiled, isQuick, sweepOpts), c: !!compiled.c });
    } catch (err) {
      out.push({ name: sweep.name, skipped: `failed: ${err.message}` });
    }
  }
  process.stderr.write('\n');
  process.stdout.write(JSON.stringify({ sweeps: out, lengths: lengths(isQuick), rounds: sweepOpts.rounds }));
}

function measure(sweep, compiled, isQuick, sweepOpts) {
  const points = [];
  for (const len of lengths(isQuick)) {
    const made = sweep.make(len);
    const items = Object.entries(compiled).map(([key, { run, input }]) => ({
      key,
      run,
      input: input ? input(made) : made,
    }));
    // The library and every JS candidate agree (the C loops return a checksum).
    const want = compiled.lib.run(1, made);
    for (const item of items) {
      if (!item.key.startsWith('js:')) continue;
      const got = item.run(1, item.input);
      if (got !== want) throw new Error(`${sweep.name}(${len}): library gave ${want}, ${item.key} ${got}`);
    }
    const t = interleaved(items, sweepOpts);
    points.push({ length: len, engines: t });
    process.stderr.write('.');
  }
  return points;
}

main();
