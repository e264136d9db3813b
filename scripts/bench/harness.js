'use strict';
// Timing machinery shared by the bench children (calls.js, sweep.js).
//
// A C row is a spec with `batch` instead of `expr`: an expression that runs
// all `n` iterations itself (one koffi call into build/libffi_bench_c.so per
// round, which loops in C), so C is timed in the same process and the same
// rounds as the JS rows.
//
// Each measured thing is compiled into its own loop function with
// `new Function`, so every call site has its own type feedback: a shared
// `for (...) fn()` helper would turn megamorphic after a few cases and add its
// own cost to every call. The loop adds each result into a sink that is
// returned and stored globally, so V8 cannot drop the calls as dead code.

/**
 * Settings for a full run and for BENCH_QUICK=1. Short batches and many
 * rounds: on a busy machine a long batch is likely to include a time slice
 * given to another process, a short one mostly is not, and the median over
 * many rounds shrugs off the ones that are.
 */
function settings(quick) {
  return quick ? { rounds: 5, batchMs: 2, warmupMs: 30 } : { rounds: 31, batchMs: 5, warmupMs: 250 };
}

/** Sweep lengths: 1, 3, 10, 30, ... 10^7 (full run) or 1, 10, ... 10^6 (quick run). */
function sweepLengths(quick) {
  const out = [];
  const top = quick ? 6 : 7;
  for (let e = 0; e <= top; e++) {
    out.push(10 ** e);
    if (!quick && e < top) out.push(3 * 10 ** e);
  }
  return out;
}

globalThis.__benchSink = 0;

/**
 * Compiles `spec` ({ env(ctx) -> object | null, expr }) into `run(n, input)`,
 * a loop of `n` evaluations of `expr`. The names of `env` are constants in
 * the loop's scope; `i` is the iteration number and `input` the second
 * argument. With `batch` instead of `expr`, `run(n, input)` evaluates
 * `batch` once (it does the `n` iterations itself, e.g. in C). `expr` and
 * `batch` may also be functions of the env, returning the source. Returns
 * null when `env` says the engine is not available.
 */
function compile(label, spec, ctx) {
  const env = spec.env(ctx);
  if (!env) return null; // null, undefined or false: not available in this build
  const names = Object.keys(env);
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`bad env name ${name} in ${label}`);
  }
  const fnName = 'bench_' + label.replace(/[^\w$]/g, '_');
  const code = (x) => (typeof x === 'function' ? x(env) : x);
  const body =
    spec.batch !== undefined
      ? `  return (${code(spec.batch)});\n`
      : `  let sink = 0;\n` +
        `  for (let i = 0; i < n; i++) {\n` +
        `    sink += (${code(spec.expr)});\n` +
        `  }\n` +
        `  return sink;\n`;
  const source =
    `'use strict';\nconst { ${names.join(', ')} } = env;\n` + `return function ${fnName}(n, input) {\n${body}};`;
  return new Function('env', source)(env);
}

const now = () => Number(process.hrtime.bigint());

/** Runs `run(n, input)` once and returns the time per iteration in ns. */
function timeOnce(run, n, input) {
  const t0 = now();
  globalThis.__benchSink += run(n, input);
  return (now() - t0) / n;
}

/**
 * Warms `run` up for about `warmupMs`, then returns the iteration count
 * that takes about `batchMs`.
 */
function calibrate(run, input, { batchMs, warmupMs }) {
  const deadline = now() + warmupMs * 1e6;
  let n = 1;
  let perCall = timeOnce(run, n, input);
  while (perCall * n < (batchMs * 1e6) / 4 && n < 2 ** 40) {
    n *= 2;
    perCall = timeOnce(run, n, input);
  }
  // The fastest warm-up batch: the slower ones were interrupted or ran before
  // the loop was optimized.
  let best = perCall;
  while (now() < deadline) best = Math.min(best, timeOnce(run, n, input));
  return Math.max(1, Math.round((batchMs * 1e6) / Math.max(best, 1e-3)));
}

/** Median, min and max of a list of numbers. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples };
}

/**
 * Times a list of `{ key, run, input, batchMs? }` in interleaved rounds: every
 * item is calibrated and warmed up first, then each round times every item
 * once, so machine noise hits all of them alike and any two items can be
 * compared round by round. The order rotates from round to round, so no item
 * always runs first (or right after the same neighbour). An item's own
 * `batchMs` overrides the default (longer batches for memory-bound calls).
 * Returns `{ [key]: summary }`.
 */
function interleaved(items, opts) {
  const sized = items.map((item) => ({
    ...item,
    n: calibrate(item.run, item.input, { ...opts, batchMs: item.batchMs ?? opts.batchMs }),
    samples: [],
  }));
  for (let r = 0; r < opts.rounds; r++) {
    const shift = Math.floor((r * sized.length) / opts.rounds);
    for (let j = 0; j < sized.length; j++) {
      const item = sized[(j + shift) % sized.length];
      item.samples.push(timeOnce(item.run, item.n, item.input));
    }
  }
  const out = {};
  for (const item of sized) out[item.key] = { ...summarize(item.samples), batch: item.n };
  return out;
}

module.exports = { settings, sweepLengths, compile, calibrate, timeOnce, summarize, interleaved };
