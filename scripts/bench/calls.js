'use strict';
// Bench child: the per-call table. Every engine, pure-JS candidate and
// variant of every case is compiled into its own loop (C rows: one call into
// the C loops per round), then all of them are timed in the same interleaved
// rounds, so any two rows can be compared round by round. Prints JSON on
// stdout.
//
// BENCH_FILTER=regex limits the cases by name.

const { CASES, callingStyles } = require('./cases');
const { settings, compile, interleaved } = require('./harness');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { context, quick, tryCompile, ROOT } = require('./context');

const ENGINES = ['public', 'raw', 'napi', 'napiSame', 'c'];

async function main() {
  const ctx = context();
  // The ES-module namespaces of the two entry points, for the calling-style variants.
  ctx.esm = await import(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href);
  ctx.rawEsm = await import(pathToFileURL(path.join(ROOT, 'dist', 'raw', 'index.js')).href);
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : null;
  const items = [];
  const results = [];
  for (const c of CASES) {
    if (filter && !filter.test(c.name)) continue;
    const entry = {
      name: c.name,
      call: c.call,
      group: c.group ?? c.name,
      labels: c.labels ?? {},
      engines: {},
      js: {},
      variants: {},
    };
    const add = (bucket, key, spec) => {
      const label = `${c.name} ${key}`;
      const r = tryCompile(compile, label, spec, ctx);
      if (r.skipped) {
        bucket[key] = { skipped: r.skipped };
        return;
      }
      bucket[key] = { check: r.check };
      items.push({ key: label, run: r.run, bucket, slot: key, batchMs: c.batchMs });
    };
    for (const engine of ENGINES) {
      const spec = c.engines[engine];
      if (!spec) continue;
      if (engine.startsWith('napi') && ctx.napi === null)
        entry.engines[engine] = { skipped: 'the addon was not built' };
      else if (engine === 'c' && ctx.cloops === null) entry.engines.c = { skipped: ctx.cloopsError };
      else add(entry.engines, engine, spec);
    }
    if (entry.engines.public?.skipped && (!entry.engines.raw || entry.engines.raw.skipped)) continue; // not in this build
    for (const [name, spec] of Object.entries(c.js ?? {})) add(entry.js, name, spec);
    for (const [name, spec] of Object.entries({ ...c.variants, ...callingStyles(c) })) add(entry.variants, name, spec);
    results.push(entry);
  }
  process.stderr.write(`bench: timing ${items.length} loops in interleaved rounds\n`);
  const timed = interleaved(items, settings(quick()));
  for (const item of items) Object.assign(item.bucket[item.slot], timed[item.key]);
  process.stdout.write(JSON.stringify({ cases: results }));
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
