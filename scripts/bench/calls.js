'use strict';
// Bench child: the per-call table. Every engine of every case (and every
// variant) is compiled into its own loop, then all of them are timed in the
// same interleaved rounds. Prints JSON on stdout.
//
// BENCH_FILTER=regex limits the cases by name.

const { CASES } = require('./cases');
const { settings, compile, interleaved } = require('./harness');
const { context, quick, tryCompile } = require('./context');

const ENGINES = ['public', 'raw', 'js', 'napi'];

function main() {
  const ctx = context();
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : null;
  const items = [];
  const results = [];
  for (const c of CASES) {
    if (filter && !filter.test(c.name)) continue;
    const entry = { name: c.name, call: c.call, c: c.c ?? null, engines: {}, variants: {} };
    const add = (bucket, key, spec) => {
      const label = `${c.name} ${key}`;
      const r = tryCompile(compile, label, spec, ctx);
      if (r.skipped) {
        bucket[key] = { skipped: r.skipped };
        return;
      }
      bucket[key] = { check: r.check };
      items.push({ key: label, run: r.run, bucket, slot: key });
    };
    for (const engine of ENGINES) {
      if (!c[engine]) continue;
      if (engine === 'napi' && ctx.napi === null) entry.engines.napi = { skipped: 'the addon was not built' };
      else add(entry.engines, engine, c[engine]);
    }
    if (entry.engines.public?.skipped && entry.engines.raw?.skipped) {
      // Nothing of this function is in the build yet: leave it out entirely.
      continue;
    }
    for (const [name, spec] of Object.entries(c.variants ?? {})) add(entry.variants, name, spec);
    results.push(entry);
  }
  process.stderr.write(`bench: timing ${items.length} loops in interleaved rounds\n`);
  const timed = interleaved(items, settings(quick()));
  for (const item of items) Object.assign(item.bucket[item.slot], timed[item.key]);
  process.stdout.write(JSON.stringify({ cases: results }));
}

main();
