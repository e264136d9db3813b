'use strict';
// Bench child: the length sweeps (time per element from 1 to 10^7 elements),
// library vs pure JS, interleaved at each length. Prints JSON on stdout.

const { SWEEPS } = require('./cases');
const { settings, compile, interleaved, sweepLengths: lengths } = require('./harness');
const { context, quick, tryCompile } = require('./context');

function main() {
  const ctx = context();
  const isQuick = quick();
  const opts = settings(isQuick);
  // Shorter batches than the call table: a sweep has many points.
  const sweepOpts = { ...opts, batchMs: Math.max(4, opts.batchMs / 4), warmupMs: opts.warmupMs / 2 };
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : null;
  const out = [];
  for (const sweep of SWEEPS) {
    if (filter && !filter.test(sweep.name)) continue;
    const first = sweep.make(1);
    const lib = tryCompile(compile, `${sweep.name} lib`, sweep.lib, ctx, first);
    const js = tryCompile(compile, `${sweep.name} js`, sweep.js, ctx, first);
    if (lib.skipped || js.skipped) {
      out.push({ name: sweep.name, skipped: lib.skipped ?? js.skipped });
      continue;
    }
    try {
      out.push({ name: sweep.name, points: measure(sweep, lib, js, isQuick, sweepOpts) });
    } catch (err) {
      out.push({ name: sweep.name, skipped: `failed: ${err.message}` });
    }
  }
  process.stderr.write('\n');
  process.stdout.write(JSON.stringify({ sweeps: out, lengths: lengths(isQuick) }));
}

function measure(sweep, lib, js, isQuick, sweepOpts) {
  const points = [];
  for (const len of lengths(isQuick)) {
    const input = sweep.make(len);
    const libCheck = lib.run(1, input);
    const jsCheck = js.run(1, input);
    // Same result from both, up to double rounding (for sweeps that return floats).
    if (!(Math.abs(libCheck - jsCheck) <= 1e-9 * Math.abs(jsCheck))) {
      throw new Error(`${sweep.name}(${len}): library gave ${libCheck}, pure JS ${jsCheck}`);
    }
    const t = interleaved(
      [
        { key: 'lib', run: lib.run, input },
        { key: 'js', run: js.run, input },
      ],
      sweepOpts,
    );
    points.push({ length: len, lib: t.lib, js: t.js });
    process.stderr.write('.');
  }
  return points;
}

main();
