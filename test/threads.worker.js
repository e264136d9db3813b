/**
 * The worker of test/threads.test.ts: loads the package (dist/, built by
 * `make`) in its own worker thread and calls every public function in a loop
 * for `durationMs`, checking each result. Reports the number of calls per
 * function, or the first wrong result / exception.
 *
 * ROWS is the table: one entry per public function (name as exported by the
 * package root). A row returns true for a correct result; it may be async
 * (return a Promise), and async rows are run several at a time.
 * When required from the main thread, this file only exports ROWS' names.
 */
'use strict';
const { isMainThread, parentPort, workerData, threadId } = require('node:worker_threads');

/** Pure-JS models to check the results against. */
const evenSum = (a) => {
  let s = 0;
  for (const v of a) if (v % 2 === 0) s += v;
  return s;
};
const primesModel = (limit) => {
  const composite = new Uint8Array(limit + 1);
  const primes = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return primes;
};
const sameArray = (got, want) =>
  got instanceof Uint32Array && got.length === want.length && got.every((v, k) => v === want[k]);
/** Small inputs that differ per thread and per iteration: a plain array and a Uint32Array view. */
const arrays = (i) => {
  const plain = [i % 1000, threadId, 2, 3, 0xfffffffe];
  return [plain, new Uint32Array([7, ...plain, i]).subarray(1)];
};

/** @type {Record<string, (api: any, i: number) => boolean | Promise<boolean>>} */
const ROWS = {
  statusName: (api, i) => api.statusName(i % 8) === Object.keys(api.FfiStatus)[i % 8],
  addInRust: (api, i) => api.addInRust(i, threadId) === ((i + threadId) | 0),
  addChecked: (api, i) => {
    if (api.addChecked(i, -threadId) !== i - threadId) return false;
    try {
      api.addChecked(2 ** 31 - 1, 1 + (i % 100));
      return false;
    } catch (e) {
      // The reason is this thread's own, with its own numbers.
      const b = 1 + (i % 100);
      return (
        e instanceof api.FfiError &&
        e.status === 'OVERFLOW' &&
        e.message ===
          `addChecked: 2147483647 + ${b} = ${2 ** 31 - 1 + b} does not fit in a 32-bit int: it is above INT32_MAX (2147483647)`
      );
    }
  },
  concatStrings: (api, i) => {
    const a = `t${threadId}-${i}-`;
    const b = i % 50 === 0 ? 'x'.repeat(5000) : '🦀é';
    return api.concatStrings(a, b) === a + b;
  },
  Point: (api, i) => {
    const p = new api.Point(i % 1000, threadId).translate(1, -1);
    return p.x === (i % 1000) + 1 && p.y === threadId - 1;
  },
  pointTranslated: (api, i) => api.pointTranslated({ x: i % 100, y: 0 }, 1, 2).x === (i % 100) + 1,
  translatePoints: (api, i) => {
    const a = api.translatePoints(new Float32Array([i % 100, 1, 2, 3]), 1, 1);
    return a[0] === (i % 100) + 1 && a[3] === 4;
  },
  OpaquePoint: (api, i) => {
    const p = new api.OpaquePoint(i % 100, threadId);
    try {
      p.translate(1, 1);
      return p.x === (i % 100) + 1 && p.describe().length > 0;
    } finally {
      p.free();
    }
  },
  floatToBits: (api) => api.floatToBits(1) === 0x3f800000,
  bitsToFloat: (api) => api.bitsToFloat(0x3f800000) === 1,
  parseNumber: (api, i) => {
    const r = api.parseNumber(String(i));
    return r.kind === 'left' && r.value === i;
  },
  shapeArea: (api, i) => api.shapeArea({ kind: 'rectangle', width: i % 10, height: 2 }) === (i % 10) * 2,
  scaleShape: (api) => api.scaleShape({ kind: 'circle', radius: 1 }, 3).radius === 3,
  flipThings: (api, i) => {
    const [a, b] = api.flipThings([i, threadId]);
    return a === threadId && b === i;
  },
  countCharacters: (api, i) => {
    const s = `${threadId}🦀${i}`;
    if (api.countCharacters(s) !== [...s].length) return false;
    try {
      api.countCharacters(new Uint8Array([0x61, 0xff]));
      return false;
    } catch (e) {
      return e instanceof api.FfiError && e.status === 'INVALID_UTF8';
    }
  },
  sumOfEven: (api, i) => arrays(i).every((a) => api.sumOfEven(a) === evenSum(a)),
  sumOfEvenBigInt: (api, i) => arrays(i).every((a) => api.sumOfEvenBigInt(a) === BigInt(evenSum(a))),
  primesUpTo: (api, i) => sameArray(api.primesUpTo(i % 300), primesModel(i % 300)),
  countWhere: (api, i) => {
    const [plain, view] = arrays(i);
    const odd = (v) => v % 2 === 1;
    if (api.countWhere(plain, odd) !== plain.filter(odd).length) return false;
    if (api.countWhere(view, (v) => v > threadId) !== [...view].filter((v) => v > threadId).length) return false;
    // A throwing predicate: the same error comes back, and no more calls are made.
    const error = new Error(`t${threadId}`);
    let calls = 0;
    try {
      api.countWhere(view, () => {
        calls++;
        throw error;
      });
      return false;
    } catch (e) {
      return e === error && calls === 1;
    }
  },
  sumOfEvenAsync: async (api, i) => {
    const sums = await Promise.all(arrays(i).map((a) => api.sumOfEvenAsync(a)));
    return sums.every((s, k) => s === evenSum(arrays(i)[k]));
  },
  sumOfEvenBigIntAsync: async (api, i) => {
    const sums = await Promise.all(arrays(i).map((a) => api.sumOfEvenBigIntAsync(a)));
    if (!sums.every((s, k) => s === BigInt(evenSum(arrays(i)[k])))) return false;
    // Bad input rejects (it does not throw synchronously).
    return api.sumOfEvenBigIntAsync([1, -1]).then(
      () => false,
      (e) => e instanceof RangeError,
    );
  },
  primesUpToAsync: async (api, i) => sameArray(await api.primesUpToAsync(i % 300), primesModel(i % 300)),
};

/** Public exports that are not functions to call in a loop, and why. */
const NOT_CALLED = {
  FLOAT32_MAX: 'a constant',
  PRIMES_UP_TO_MAX_LIMIT: 'a constant',
  MAX_ASYNC_IN_FLIGHT: 'a constant',
  MAX_CALLBACK_DEPTH: 'a constant',
  FfiStatus: 'a constant object',
  version: 'a constant string',
  libraryVersion: 'a constant string',
  FfiError: 'an error class, constructed by the rows above when calls fail',
  isCodedError: 'a type guard over an error object: no native call, no shared state',
};

async function main() {
  const api = require(workerData.packageRoot);
  const live = require(`${workerData.packageRoot}/dist/raw`).rust_string_live_count;
  const calls = Object.fromEntries(Object.keys(ROWS).map((k) => [k, 0]));
  const deadline = Date.now() + workerData.durationMs;
  let i = 0;
  while (Date.now() < deadline) {
    for (const [name, row] of Object.entries(ROWS)) {
      let ok;
      try {
        const r = row(api, i);
        // Async rows: a batch in flight at once.
        ok = r instanceof Promise ? (await Promise.all([r, row(api, i + 1), row(api, i + 2)])).every(Boolean) : r;
      } catch (e) {
        parentPort.postMessage({ error: `${name}(i=${i}) threw ${e && e.stack}` });
        return;
      }
      if (!ok) {
        parentPort.postMessage({ error: `${name}(i=${i}) gave a wrong result` });
        return;
      }
      calls[name]++;
    }
    i++;
  }
  parentPort.postMessage({ calls, liveStrings: Number(live()) });
}

if (isMainThread) {
  module.exports = { ROWS: Object.keys(ROWS), NOT_CALLED };
} else {
  main().catch((e) => parentPort.postMessage({ error: String(e && e.stack) }));
}
