/**
 * The recursion probe (test/realm/stack-probe.test.ts): runs a public
 * function's case (test/realm/cases.js) at every stack depth near the limit,
 * so that the stack overflow lands at each call inside the function in turn.
 *
 * One attempt: recurse until V8 throws its stack-overflow RangeError, unwind
 * `back` frames, then call the case through a pad function with `pad` extra
 * locals (so its frame is 8·pad bytes larger than the last): `back` from 0
 * upwards and `pad` from 0 to PADS (one dive frame) sweep the depth at which
 * the function starts in steps of 8 bytes, until the case has run to its end
 * CLEAR_ROWS rows of `back` in a row (so past the deepest stack it uses). The outcome of each attempt must be the model's result, a coded error
 * or the stack-overflow RangeError; after each function's sweep (and a
 * collection, for the points left to the garbage collector), every live
 * counter of the raw layer must be back at its baseline, and the function must
 * still give its model's result.
 *
 * argv[2]: JSON `{ root, cases: [names], back?, pads? }`. Reports
 * `@@case {...}` per case on stdout.
 */
'use strict';
const path = require('node:path');

const opts = JSON.parse(process.argv[2]);
const api = require(opts.root);
const raw = require(path.join(opts.root, 'dist', 'raw'));
const { CASES, judge } = require('./cases');

/** A dive frame is about 88 bytes on x64 (Node 20): 11 pads of one 8-byte local each cover it. */
const PADS = opts.pads ?? 11;
/** The sweep ends after this many rows of `back` without an overflow, or at MAX_BACK. */
const CLEAR_ROWS = 4;
const MAX_BACK = 3000;
/** A case whose Promises stop settling has wedged the async module: its sweep stops after this many. */
const MAX_HANGS = 3;

const counters = () => ({
  opaque_point: raw.opaque_point_live_count(),
  u32_array: raw.u32_array_live_count(),
  rust_string: raw.rust_string_live_count(),
  ffi_error: raw.ffi_error_live_count(),
});
const differ = (a, b) => Object.keys(a).filter((k) => a[k] !== b[k]);

/** pads[n](f): calls f from a frame with n more locals. */
const pads = Array.from({ length: PADS + 1 }, (_, n) => {
  const locals = Array.from({ length: n }, (__, i) => `let v${i} = f;`).join(' ');
  const use = Array.from({ length: n }, (__, i) => `v${i}`).join(', ');
  return new Function('f', `${locals} const r = f(); ${n > 0 ? `void [${use}];` : ''} return r;`);
});

const isOverflow = (e) => e instanceof RangeError && e.message === 'Maximum call stack size exceeded';

/** Recurses to the limit, then at `back` frames above it runs `pads[pad](f)`; returns f's outcome. */
function atDepth(back, pad, f) {
  const s = { up: 0, done: false, got: undefined };
  function dive() {
    try {
      dive();
    } catch (e) {
      if (!isOverflow(e) || s.done) throw e;
    }
    if (!s.done && s.up++ === back) {
      s.done = true;
      try {
        s.got = { value: pads[pad](f) };
      } catch (e) {
        s.got = { thrown: e };
      }
    }
  }
  try {
    dive();
  } catch (e) {
    if (!isOverflow(e)) throw e;
  }
  return s.got ?? { notRun: true };
}

/** `p`, or `{ hang: true }` if it has not settled within `ms` (an async call whose Promise never settles). */
const HANG = { hang: true };
function within(p, ms = 2000) {
  let timer;
  const t = new Promise((resolve) => (timer = setTimeout(() => resolve(HANG), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function gcUntil(base) {
  for (let i = 0; i < 50 && differ(counters(), base).length > 0; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The call an attempt makes: one function (compiled once, at the top, by the warm-up). */
function thunk(c, ctx) {
  return () => c.run(ctx);
}

async function probe(c) {
  // Warm up (JIT, the async module's batches, the points' slot table) before the baseline, and let the
  // points the warm-up dropped be collected (else their late finalizers would read as negative leaks).
  const start = counters();
  for (let i = 0; i < 3; i++) {
    const ctx = c.prepare(api);
    try {
      if ((await within(thunk(c, ctx)())) === HANG) return { case: c.name, hangBefore: true };
    } catch {
      // an error case
    }
  }
  await gcUntil(start);
  const base = counters();
  const outcomes = { result: 0, coded: 0, overflow: 0, wrong: 0 };
  const wrong = [];
  const leaks = [];
  // Upwards from the limit, until CLEAR_ROWS rows of `back` in a row ran the case without an overflow.
  let clearRows = 0;
  let back = 0;
  let attempts = 0;
  let hangs = 0;
  for (; back <= MAX_BACK && clearRows < CLEAR_ROWS && hangs < MAX_HANGS; back++) {
    let overflowed = false;
    for (let pad = 0; pad <= PADS; pad++) {
      attempts++;
      const ctx = c.prepare(api);
      const before = counters();
      let got = atDepth(back, pad, thunk(c, ctx));
      if (c.async && 'value' in got) {
        // Settled (or given up on) before the next attempt, so that its overflow counts for this row.
        try {
          const v = await within(got.value, 500);
          got = v === HANG ? { hang: true } : { value: v };
        } catch (e) {
          got = { thrown: e };
        }
      }
      if (got.notRun || ('thrown' in got && isOverflow(got.thrown))) overflowed = true;
      if (got.hang) hangs++;
      const now = counters();
      // Points (left to the garbage collector when an overflow cut the case short) are counted after the sweep and a collection; everything else now.
      const moved = differ(now, before).filter((k) => !(c.fn === 'OpaquePoint' && k === 'opaque_point'));
      if (moved.length > 0) leaks.push({ back, pad, ...Object.fromEntries(moved.map((k) => [k, now[k] - before[k]])) });
      got = classify(c, ctx, got, outcomes);
      if (got) wrong.push({ back, pad, ...got });
    }
    clearRows = overflowed ? 0 : clearRows + 1;
  }
  // Still right afterwards (checked before the final count, so that what it drops is collected too).
  const ctx = c.prepare(api);
  let afterwards;
  try {
    const v = await within(c.run(ctx));
    afterwards =
      v === HANG ? 'a Promise that never settles' : (judge(ctx, { value: c.result ? c.result(ctx, v) : v }) ?? 'ok');
  } catch (e) {
    afterwards = judge(ctx, { thrown: e }) ?? 'ok';
  }
  await gcUntil(base);
  const end = counters();
  return {
    case: c.name,
    headroomFrames: back - CLEAR_ROWS,
    attempts,
    outcomes,
    wrong: wrong.slice(0, 5),
    wrongCount: wrong.length,
    leakAttempts: leaks.length,
    leakSamples: leaks.slice(0, 5),
    leaked: Object.fromEntries(differ(end, base).map((k) => [k, end[k] - base[k]])),
    afterwards,
  };
}

function classify(c, ctx, got, outcomes) {
  if (got.hang) {
    outcomes.wrong++;
    return { why: 'a Promise that never settles' };
  }
  if (got.notRun) {
    outcomes.overflow++; // the overflow came before the call could start
    return undefined;
  }
  if ('thrown' in got && isOverflow(got.thrown)) {
    outcomes.overflow++;
    return undefined;
  }
  if (c.result && 'value' in got) got = { value: c.result(ctx, got.value) };
  const why = judge(ctx, got);
  if (why === undefined) {
    outcomes['thrown' in got ? 'coded' : 'result']++;
    return undefined;
  }
  outcomes.wrong++;
  return {
    why,
    got:
      'thrown' in got
        ? `${got.thrown && got.thrown.name}: ${String(got.thrown && got.thrown.message).slice(0, 160)}`
        : String(got.value).slice(0, 100),
  };
}

(async () => {
  // A function compiled for the first time near the limit overflows in the compiler (V8 compiles lazily,
  // and needs some 30 KB of stack for it): compile the pads and the dive first, at the top.
  for (let i = 0; i < 200; i++) for (const p of pads) p(() => 0);
  for (let i = 0; i < 200; i++) atDepth(100 + (i % 64), i % (PADS + 1), () => 0);
  for (const name of opts.cases) {
    const c = CASES.find((x) => x.name === name);
    process.stdout.write(`@@case ${JSON.stringify(await probe(c))}\n`);
  }
})().catch((e) => {
  process.stdout.write(`@@harness ${JSON.stringify(String(e && e.stack))}\n`);
  process.exitCode = 3;
});
