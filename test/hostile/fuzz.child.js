/**
 * One child process of the hostile fuzzer: throws fast-check's hostile
 * arguments at public functions of the package (loaded from `root`, i.e. the
 * built dist/) and checks each outcome with the oracle of targets.js.
 *
 * Input: the JSON of { root, targets, seed, runs, relaxed, mode, start, lastCase } in
 * argv[2]. Before each case it writes the case (target and spec) to
 * `lastCase`, so that a crash (which fast-check cannot see) still names it.
 *
 * - mode 'assert': fc.assert per target, stopping at the first failure,
 *   shrunk to a minimal counterexample; prints one JSON line per target.
 * - mode 'survey': runs every sampled case from index `start` without stopping,
 *   and prints every failure (for a report on code with many faults).
 */
'use strict';
const fs = require('node:fs');
const { fc, show } = require('./values');
const { TARGETS, checkCase } = require('./targets');

const opts = JSON.parse(process.argv[2]);
if (opts.mode === 'list') {
  process.stdout.write(JSON.stringify(Object.keys(TARGETS)));
  process.exit(0);
}
const api = require(opts.root);

function record(name, index, spec) {
  if (opts.lastCase) fs.writeFileSync(opts.lastCase, show({ target: name, index, spec }));
}

function emit(obj) {
  fs.writeSync(1, `${show(obj)}\n`);
}

async function assertTarget(name) {
  const target = TARGETS[name];
  let index = 0;
  const property = fc.asyncProperty(fc.tuple(...target.args), async (spec) => {
    record(name, index++, spec);
    const failure = await checkCase(api, name, spec, opts.relaxed);
    if (failure !== undefined) throw new Error(show(failure));
  });
  const details = await fc.check(property, { seed: opts.seed, numRuns: opts.runs });
  if (details.failed) {
    emit({
      target: name,
      ok: false,
      numRuns: details.numRuns,
      counterexample: details.counterexample,
      error: String(details.errorInstance && details.errorInstance.message),
      seed: details.seed,
      path: details.counterexamplePath,
    });
  } else {
    emit({ target: name, ok: true, numRuns: details.numRuns, seed: opts.seed });
  }
}

async function surveyTarget(name) {
  const target = TARGETS[name];
  const samples = fc.sample(fc.tuple(...target.args), { seed: opts.seed, numRuns: opts.runs });
  for (let i = opts.start ?? 0; i < samples.length; i++) {
    record(name, i, samples[i]);
    let failure;
    try {
      failure = await checkCase(api, name, samples[i], opts.relaxed);
    } catch (e) {
      failure = { why: `oracle error: ${e && e.stack}` };
    }
    if (failure !== undefined) emit({ target: name, index: i, spec: samples[i], failure });
  }
  emit({ target: name, done: samples.length });
}

process.on('unhandledRejection', (reason) => {
  emit({ fatal: `unhandled rejection: ${reason && reason.stack ? reason.stack : String(reason)}` });
  process.exit(2);
});

(async () => {
  for (const name of opts.targets) {
    if (opts.mode === 'survey') await surveyTarget(name);
    else await assertTarget(name);
  }
})().catch((e) => {
  emit({ fatal: String(e && e.stack) });
  process.exitCode = 1;
});
