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
      return e instanceof api.FfiError && e.status === 'OVERFLOW';
    }
  },
  concatStrings: (api, i) => {
    const a = `t${threadId}-${i}-`;
    const b = i % 50 === 0 ? 'x'.repeat(5000) : '🦀é';
    return api.concatStrings(a, b) === a + b;
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
};

/** Public exports that are not functions to call in a loop, and why. */
const NOT_CALLED = {
  FfiStatus: 'a constant object',
  FfiError: 'an error class, constructed by the rows above when calls fail',
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
