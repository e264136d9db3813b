'use strict';
// Bench child: async time per call against calls in flight.
//
// Keep-N-in-flight lanes: N async functions each await one call after
// another until `total` calls have started (issue 14's harness:
// `async function lane() { while (next++ < total) await call(); }` × N). The
// time per call is the wall time divided by `total`. Every (engine, N) pair
// runs once per round, in a rotating order, so ratios between them are
// paired per round like the synchronous rows. Prints JSON.
//
// BENCH_KOFFI_CONFIG='{"resident_async_pools":64}' tries a koffi tuning
// (applied before the library is loaded, see context.js).

const { ASYNC_CASES, ASYNC_IN_FLIGHT } = require('./cases');
const { summarize } = require('./harness');
const { context, quick } = require('./context');

/** Runs `total` calls of `call` with `inFlight` lanes; returns ns per call. */
async function lanes(call, total, inFlight) {
  let next = 0;
  const lane = async () => {
    while (next++ < total) await call();
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, lane));
  return Number(process.hrtime.bigint() - t0) / total;
}

async function main() {
  const ctx = context();
  const isQuick = quick();
  const rounds = isQuick ? 3 : 11;
  const total = isQuick ? 400 : 3000;
  const koffiMax = ctx.koffi.config().max_async_calls;
  const out = {
    config: ctx.koffi.config(),
    maxAsyncInFlight: ctx.ffi.MAX_ASYNC_IN_FLIGHT ?? null,
    inFlight: ASYNC_IN_FLIGHT,
    rounds,
    callsPerRun: total,
    cases: [],
  };
  const runs = [];
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : null;
  for (const c of ASYNC_CASES) {
    if (filter && !filter.test(c.name)) continue;
    const entry = { name: c.name, engines: {} };
    out.cases.push(entry);
    for (const [engine, start] of Object.entries(c.engines)) {
      let call;
      try {
        call = await start(ctx);
        if (call !== null) await call(); // a first call must work
      } catch (err) {
        entry.engines[engine] = { skipped: `failed: ${err.message}` };
        continue;
      }
      if (call === null) {
        entry.engines[engine] = {
          skipped: engine === 'napi' && !ctx.napi ? 'the addon was not built' : 'not in this build',
        };
        continue;
      }
      const results = {};
      entry.engines[engine] = { results };
      for (const k of c.inFlight ?? ASYNC_IN_FLIGHT) {
        if (engine === 'raw' && k > koffiMax) {
          results[k] = { skipped: `more than koffi's max_async_calls (${koffiMax}) pending calls: koffi throws` };
          continue;
        }
        results[k] = { samples: [] };
        runs.push({ call, k, total: Math.min(total, c.calls ?? total), samples: results[k].samples });
      }
    }
  }
  for (const r of runs) await lanes(r.call, Math.min(r.total, 300 + 2 * r.k), r.k); // warm-up
  for (let round = 0; round < rounds; round++) {
    const shift = Math.floor((round * runs.length) / rounds);
    for (let j = 0; j < runs.length; j++) {
      const r = runs[(j + shift) % runs.length];
      r.samples.push(await lanes(r.call, r.total, r.k));
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  for (const c of out.cases) {
    for (const e of Object.values(c.engines)) {
      for (const [k, r] of Object.entries(e.results ?? {})) if (r.samples) e.results[k] = summarize(r.samples);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
