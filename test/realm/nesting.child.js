/**
 * One nesting run (test/realm/nesting.test.ts): synchronous public calls
 * nested through user code until something gives, on this thread or in a
 * worker with `resourceLimits.stackSizeMb`. Each nested `countWhere` runs its
 * predicate on koffi's own synchronous stack (2 MiB), which V8's stack limit
 * does not watch: only a depth cap in the package keeps it from overflowing.
 *
 * argv[2]: JSON `{ root, shape, stackSizeMb? }` (no stackSizeMb: the main
 * thread). Writes `@@depth N` to stderr every 16 levels (so a crash still
 * tells how deep it got) and `@@result {...}` on stdout: the error that ended
 * the nesting, the depth reached, whether a fresh call still works and the
 * live counters before and after.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Worker, isMainThread, workerData, parentPort } = require('node:worker_threads');

const opts = isMainThread ? JSON.parse(process.argv[2]) : workerData;

/**
 * The shapes of nesting: each returns `nest`, a function that makes one more
 * level of nested public calls (at least one countWhere, whose predicate runs
 * on koffi's stack) and calls `nest` again from user code.
 */
const SHAPES = {
  // The issue's own: const nest = () => countWhere([1], nest); nest()
  'countWhere-array': (api, level) => {
    const nest = () => (level(), api.countWhere([1], nest));
    return nest;
  },
  'countWhere-typed': (api, level) => {
    const nest = () => (level(), api.countWhere(new Uint32Array([1, 2]), nest));
    return nest;
  },
  // Through the user code of every other public function that runs some (element getters, a
  // shape's getters, a point's getters, options.transfer): the predicate calls it, and its getter
  // nests again.
  'through-getters': (api, level) => {
    const getters = [
      (next) => api.sumOfEven([Object.defineProperty([0], 0, { get: next })][0]),
      (next) => api.sumOfEvenBigInt(Object.defineProperty([0], 0, { get: next })),
      (next) => api.flipThings(Object.defineProperty([0, 1], 0, { get: next })),
      (next) => api.countWhere(Object.defineProperty([0], 0, { get: next }), () => true),
      (next) =>
        api.shapeArea({
          kind: 'circle',
          get radius() {
            return next();
          },
        }),
      (next) =>
        api.scaleShape(
          {
            kind: 'circle',
            get radius() {
              return next();
            },
          },
          1,
        ),
      (next) =>
        api.pointTranslated(
          {
            get x() {
              return next();
            },
            y: 0,
          },
          0,
          0,
        ),
      // An async function runs options.transfer's getter synchronously; its error rejects the Promise, and is rethrown here.
      (next) => {
        let failed;
        const options = {
          get transfer() {
            try {
              next();
            } catch (e) {
              failed = { e };
              throw e;
            }
            return false;
          },
        };
        let p;
        try {
          p = api.sumOfEvenAsync(new Uint32Array(1), options);
        } catch (e) {
          failed = failed ?? { e };
        }
        if (p && typeof p.catch === 'function') p.catch(() => {});
        if (failed) throw failed.e;
      },
    ];
    let i = 0;
    const nest = () => {
      level();
      const g = getters[i++ % getters.length];
      return api.countWhere([1], () => (g(() => (nest(), 1)), true));
    };
    return nest;
  },
};

function run() {
  const api = require(opts.root);
  const raw = require(path.join(opts.root, 'dist', 'raw'));
  const counters = () => ({
    opaque_point: raw.opaque_point_live_count(),
    u32_array: raw.u32_array_live_count(),
    rust_string: raw.rust_string_live_count(),
    ffi_error: raw.ffi_error_live_count(),
  });
  const before = counters();
  let depth = 0;
  let max = 0;
  const level = () => {
    depth++;
    if (depth > max) {
      max = depth;
      if ((max & 15) === 0) fs.writeSync(2, `@@depth ${max}\n`);
    }
  };
  const nest = SHAPES[opts.shape](api, level);
  let error;
  try {
    // The depth counter goes down again as each level unwinds.
    const wrapped = () => {
      try {
        return nest();
      } finally {
        depth--;
      }
    };
    wrapped();
  } catch (e) {
    error = {
      cls:
        e instanceof RangeError
          ? 'RangeError'
          : e instanceof TypeError
            ? 'TypeError'
            : e instanceof Error
              ? 'Error'
              : typeof e,
      code: e && e.code,
      message: String(e && e.message).slice(0, 300),
    };
  }
  // After the nesting has unwound, the API works as before.
  let after;
  try {
    after = api.countWhere([1, 2, 3], (n) => n > 1);
  } catch (e) {
    after = `threw ${e && e.message}`;
  }
  return { error, maxDepth: max, after, before, counters: counters() };
}

if (!isMainThread) {
  parentPort.postMessage(run());
} else if (opts.stackSizeMb === undefined) {
  process.stdout.write(`@@result ${JSON.stringify({ thread: 'main', ...run() })}\n`);
} else {
  const w = new Worker(__filename, { workerData: opts, resourceLimits: { stackSizeMb: opts.stackSizeMb } });
  w.on('message', (m) => process.stdout.write(`@@result ${JSON.stringify({ thread: 'worker', ...m })}\n`));
  w.on('error', (e) =>
    process.stdout.write(`@@result ${JSON.stringify({ thread: 'worker', workerError: String(e && e.stack) })}\n`),
  );
}
