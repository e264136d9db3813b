'use strict';
// Bench child: async throughput with 1, 8 and 64 calls in flight. koffi runs
// `.async` calls on its worker pool (resident_async_pools blocks stay
// allocated; more concurrent calls allocate on the fly). Set
// BENCH_KOFFI_CONFIG='{"resident_async_pools":64}' to try a tuning: it is
// applied before the library is loaded (see context.js). Prints JSON.

const { ASYNC_CASES, ASYNC_IN_FLIGHT } = require('./cases');
const { summarize } = require('./harness');
const { context, quick } = require('./context');

/** Runs `total` calls of `call` with `inFlight` kept pending at once; returns ns per call. */
async function run(call, total, inFlight) {
  let started = 0;
  const t0 = process.hrtime.bigint();
  const lane = async () => {
    while (started < total) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return Number(process.hrtime.bigint() - t0) / total;
}

async function main() {
  const ctx = context();
  const isQuick = quick();
  const rounds = 5;
  const total = isQuick ? 1000 : 10000;
  const out = { config: ctx.koffi.config(), inFlight: ASYNC_IN_FLIGHT, cases: [] };
  for (const c of ASYNC_CASES) {
    let call;
    try {
      call = c.start(ctx);
    } catch (err) {
      out.cases.push({ name: c.name, skipped: `failed: ${err.message}` });
      continue;
    }
    if (call === null) {
      out.cases.push({ name: c.name, skipped: 'not exported by this build' });
      continue;
    }
    const entry = { name: c.name, results: {} };
    for (const k of ASYNC_IN_FLIGHT) {
      await run(call, Math.min(total, 500), k); // warm-up
      const samples = [];
      for (let r = 0; r < rounds; r++) samples.push(await run(call, total, k));
      const s = summarize(samples);
      entry.results[k] = { ...s, callsPerSecond: 1e9 / s.median };
    }
    out.cases.push(entry);
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
