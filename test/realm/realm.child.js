/**
 * One child of the patched-realm test (run by realm.js): requires the
 * package, then for each (patch, case) pair given: builds the case's
 * arguments and model outcome, installs the patch, runs the case (one public
 * call; an async one until it settles), removes the patch, and judges the
 * outcome, the live counters and anything thrown outside the call.
 *
 * argv[2]: JSON `{ root, mode: 'list' }` (prints the patch ids and case names)
 * or `{ root, mode: 'reach' }` (which targets each case calls), or
 * `{ root, mode: 'run', pairs: [[patchIndex, caseName], ...], waitMs, settle }`
 * (`settle: 'settle'` keeps the patch in place until an async case settles;
 * by default it covers the call and the microtasks of its job).
 * Reports on stdout, one line each, written synchronously (a crash loses
 * nothing): `@@start [i, case]` before a pair runs, `@@res {...}` after it,
 * `@@stop` when it stops after a patch the package failed (the parent starts
 * a fresh child for the rest, so one broken state does not spill over).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

const opts = JSON.parse(process.argv[2]);
const api = require(opts.root);
const raw = require(path.join(opts.root, 'dist', 'raw'));
const { CASES, judge, fieldNames } = require('./cases');
const { patchList, install, state } = require('./patches');

// ---- Captured before any patch (the harness must not meet its own patches) ----
const PromiseCtor = Promise;
const setImmediateCaptured = setImmediate;
const hrtime = process.hrtime.bigint;
const writeSync = fs.writeSync;
const gc = globalThis.gc;
Error.stackTraceLimit = 200;

const PACKAGE_FRAME = [path.join(opts.root, 'dist') + path.sep, `${path.sep}node_modules${path.sep}koffi${path.sep}`];

function out(line) {
  writeSync(1, `${line}\n`);
}

const tick = () => new PromiseCtor((resolve) => setImmediateCaptured(resolve));

const counters = () => ({
  opaque_point: raw.opaque_point_live_count(),
  u32_array: raw.u32_array_live_count(),
  rust_string: raw.rust_string_live_count(),
  ffi_error: raw.ffi_error_live_count(),
});
const countersDiffer = (a, b) => Object.keys(a).filter((k) => a[k] !== b[k]);

/**
 * Named exclusions: where JavaScript itself decides the outcome, whatever the
 * package does. Each gives the reason and the outcome that is then accepted
 * besides the correct result or a coded error (the README's threat model
 * names them).
 */
const EXCLUSIONS = [
  {
    name: 'inherited-then',
    // A Promise resolved with an object adopts it if it has a callable `then`,
    // inherited or not (ECMA-262 Promise Resolve Functions, step 9): an
    // Object.prototype.then getter or method is consulted for every object a
    // Promise is resolved with. A result that is an object the package does
    // not define (primesUpToAsync's Uint32Array) cannot avoid it; one it defines
    // (`{ sum, numbers }`) can (a null-prototype record), so it is not excluded.
    match: (pid, c) => /^Object\.prototype\.then#/.test(pid) && c.builtinResult === true,
    reason:
      'Promise resolution looks up `then` on any object it resolves with (ECMA-262 Promise Resolve Functions): an inherited Object.prototype.then decides how an async result object settles',
    // Documented: the Promise rejects with the getter's error (throw), resolves with what the inherited thenable supplies (lie), or settles correctly (twice).
    accept: (pid, got) =>
      ('thrown' in got && got.thrown && got.thrown.name === 'PatchError') || ('value' in got && got.value === 42),
  },
];

function isPackageStack(stack) {
  return typeof stack === 'string' && PACKAGE_FRAME.some((p) => stack.includes(p));
}

function describe(e) {
  if (e instanceof Error) {
    const stack = String(e.stack);
    return {
      name: e.name,
      code: e.code,
      message: String(e.message).slice(0, 300),
      stack: stack.split('\n').slice(0, 12).join('\n'),
      packageFrame: isPackageStack(stack),
    };
  }
  return { value: String(e).slice(0, 200) };
}

async function main() {
  const fields = await fieldNames(api, raw, koffi);
  const patches = patchList(fields);
  const byName = Object.fromEntries(CASES.map((c) => [c.name, c]));
  if (opts.mode === 'list') {
    out(
      JSON.stringify({
        patches: patches.map((p) => p.pid),
        kinds: patches.map((p) => p.kind),
        cases: CASES.map((c) => ({ name: c.name, fn: c.fn, async: !!c.async })),
        fields: Object.keys(fields),
        exports: Object.keys(api).filter((k) => typeof api[k] === 'function'),
      }),
    );
    return;
  }

  if (opts.mode === 'reach') {
    // Every target at once, transparent (learning mode calls straight through): which does each case reach?
    const removers = [];
    const ctxs = CASES.map((c) => c.prepare(api));
    state.learning = true;
    for (const p of patches) if (p.variant === 'twice') removers.push(install(p));
    const reached = {};
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i];
      const ctx = ctxs[i];
      state.reached = new Set();
      try {
        const r = c.run(ctx);
        if (c.async) await r;
      } catch {
        // an error case
      }
      const ids = state.reached;
      state.reached = undefined;
      reached[c.name] = ids;
    }
    for (let i = removers.length - 1; i >= 0; i--) removers[i]();
    state.learning = false;
    for (const c of CASES) reached[c.name] = [...reached[c.name]].map((pid) => pid.replace(/#twice$/, ''));
    out(JSON.stringify(reached));
    return;
  }

  // Anything thrown outside the call (a timer, a microtask, a finalizer) while a patch is in place.
  let uncaught;
  let uncaughtCount = 0;
  // Told to the parent at once (the runtime may be left stuck by it): whether a package frame is on its stack.
  const onUncaught = (e) => {
    uncaughtCount++;
    if (uncaught === undefined) {
      uncaught = e;
      let who = 'runtime';
      try {
        if (isPackageStack(e && e.stack)) who = 'package';
      } catch {
        who = 'unknown';
      }
      out(`@@uncaught ${who}`);
    }
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  /** Runs case `c` under `patch` (or unpatched) and returns the outcome. */
  async function runOnce(c, patch, ctx) {
    let remove;
    let got;
    const waitMs = BigInt(opts.waitMs ?? 300) * 1000000n;
    state.calls = 0;
    state.hits = 0;
    if (patch) remove = install(patch);
    try {
      const r = c.run(ctx);
      if (c.async) {
        let settled;
        // A field accessor on Object.prototype (`then`, `sum`, `numbers`...) acts when the result is
        // delivered, so it stays until the case settles; Node core never reads those names.
        if (opts.settle !== 'settle' && patch && patch.kind !== 'field' && remove) {
          // The patch covers the call and the microtasks of its job (the package's flush), not the
          // event loop's later turns, where Node core itself runs (and fails under some patches).
          await null;
          remove();
          remove = undefined;
        }
        (async () => {
          try {
            settled = { value: await r };
          } catch (e) {
            settled = { thrown: e };
          }
        })();
        const start = hrtime();
        while (settled === undefined && hrtime() - start < waitMs) await tick();
        if (settled === undefined && remove) {
          remove();
          remove = undefined;
          const again = hrtime();
          while (settled === undefined && hrtime() - again < waitMs) await tick();
        }
        got = settled ?? { hang: true };
      } else {
        got = { value: r };
      }
    } catch (e) {
      got = { thrown: e };
    }
    if (c.gc) {
      // The point is registered at the end of the job; a collection while still patched runs its finalizer there too.
      await tick();
      if (gc) gc();
      await tick();
    }
    if (remove) remove();
    return got;
  }

  /**
   * Waits (gc, turns of the event loop) until the live counters are back at `base`, up to about
   * `rounds` × 20 ms (a finalizer may take several turns on a loaded machine).
   */
  async function settleCounters(base, rounds = 50) {
    for (let i = 0; i < rounds; i++) {
      if (countersDiffer(counters(), base).length === 0) return;
      if (gc) gc();
      await new PromiseCtor((resolve) => setTimeout(resolve, 20));
    }
  }

  // Unpatched, every case must agree with its model and leave the counters unchanged (the harness works).
  for (let round = 0; round < 2; round++) {
    for (const c of CASES) {
      const base = counters();
      const ctx = c.prepare(api);
      const got = await runOnce(c, undefined, ctx);
      if (c.result && 'value' in got) got.value = c.result(ctx, got.value);
      const why = got.hang ? 'hang' : judge(ctx, got);
      await settleCounters(base);
      const leak = countersDiffer(counters(), base);
      if (round === 1 && (why !== undefined || leak.length > 0)) {
        out(
          `@@harness ${JSON.stringify({ case: c.name, why, leak, got: 'thrown' in got ? describe(got.thrown) : String(got.value) })}`,
        );
        process.exitCode = 4;
        return;
      }
    }
  }

  let lastPatch;
  let patchFailed = false;
  for (const [pi, cname] of opts.pairs) {
    if (lastPatch !== undefined && pi !== lastPatch && patchFailed) {
      out('@@stop');
      return;
    }
    if (pi !== lastPatch) patchFailed = false;
    lastPatch = pi;
    const patch = patches[pi];
    const c = byName[cname];
    // A lie skips the calls whose result was undefined unpatched: learn them in a transparent run first.
    if (patch.variant === 'lie') {
      const beforeLearning = counters();
      state.learning = true;
      state.voidCalls.clear();
      try {
        await runOnce(c, patch, c.prepare(api));
      } finally {
        state.learning = false;
      }
      await settleCounters(beforeLearning);
    }
    const ctx = c.prepare(api);
    const base = counters();
    uncaught = undefined;
    uncaughtCount = 0;
    out(`@@start ${JSON.stringify([pi, cname])}`);
    let got = await runOnce(c, patch, ctx);
    const hits = state.hits;
    if (c.result && 'value' in got) got.value = c.result(ctx, got.value);
    let why = got.hang ? 'hang' : judge(ctx, got);
    let who = 'package';
    if (why === 'uncoded-error') who = describe(got.thrown).packageFrame ? 'package' : 'runtime';
    let excluded;
    const ex = EXCLUSIONS.find((x) => x.match(patch.pid, c));
    if (why !== undefined && ex && ex.accept(patch.pid, got)) {
      excluded = ex.name;
      why = undefined;
    }
    const res = { p: patch.pid, c: cname, hits };
    if (why !== undefined) {
      res.why = why;
      res.who = who;
      res.got = 'thrown' in got ? describe(got.thrown) : 'value' in got ? String(got.value).slice(0, 200) : 'hang';
    }
    if (uncaughtCount > 0) {
      const d = describe(uncaught);
      res.uncaught = { count: uncaughtCount, ...d };
      if (res.who === undefined) res.who = d.packageFrame ? 'package' : 'runtime';
    }
    // Described: now let go of them. An error's captured stack holds its frames' receivers (a point
    // whose getter threw), which would otherwise stay alive and read as a leak.
    got = undefined;
    uncaught = undefined;
    await settleCounters(base);
    // A difference must outlast 3 s more of collections before it is charged as a leak.
    if (countersDiffer(counters(), base).length > 0) await settleCounters(base, 150);
    const now = counters();
    const leak = countersDiffer(now, base);
    if (leak.length > 0) {
      res.leak = Object.fromEntries(leak.map((k) => [k, now[k] - base[k]]));
      res.who = 'package';
    }
    if (excluded) res.excluded = excluded;
    if (res.who === 'package') patchFailed = true;
    out(`@@res ${JSON.stringify(res)}`);
  }
}

main().catch((e) => {
  out(`@@harness ${JSON.stringify({ error: String(e && e.stack) })}`);
  process.exitCode = 3;
});
