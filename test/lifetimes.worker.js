/**
 * The worker of test/lifetimes.test.ts: loads the package (dist/, built by
 * `make`), leaves OpaquePoints live in every state the class knows, and then
 * ends the way `workerData.end` says:
 *
 * - 'return': the script finishes and the event loop drains (a normal exit);
 * - 'process.exit': calls process.exit(0) in the middle of a job;
 * - 'terminate-idle': reports 'ready' and waits (a timer keeps it alive) for
 *   the parent's worker.terminate();
 * - 'terminate-busy': reports 'ready' and keeps creating points in one
 *   endless synchronous loop, which worker.terminate() interrupts.
 *
 * Points left live: registered with the FinalizationRegistry (made in an
 * earlier job), pending registration (made in the current job), both kept
 * reachable, plus some freed explicitly (which must not be freed again).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const api = require(workerData.packageRoot);
const raw = require(`${workerData.packageRoot}/dist/raw`);

/** Reachable from a global, so the garbage collector cannot free them. */
globalThis.kept = [];

function makePoints(n) {
  for (let i = 0; i < n; i++) {
    const p = new api.OpaquePoint(i, -i);
    if (i % 3 === 0) p.free();
    else globalThis.kept.push(p);
  }
}

async function main() {
  makePoints(600);
  // Results that must not stay behind either (freed before each call returns).
  api.primesUpTo(1000);
  api.concatStrings('a', 'b');
  await new Promise((resolve) => setTimeout(resolve, 1)); // the 600 are registered now
  makePoints(300); // pending: registered at the end of this job, which may never come
  const owned = raw.opaque_point_thread_owned_count();
  parentPort.postMessage({ ready: true, owned, kept: globalThis.kept.length });
  switch (workerData.end) {
    case 'return':
      return;
    case 'process.exit':
      process.exit(0);
      break;
    case 'terminate-idle':
      setInterval(() => {}, 1000);
      return;
    case 'terminate-busy':
      for (let i = 0; ; i++) {
        makePoints(10);
        if (globalThis.kept.length > 100_000) globalThis.kept.length = 0;
      }
    default:
      throw new Error(`unknown end ${workerData.end}`);
  }
}

main().catch((e) => parentPort.postMessage({ error: String(e && e.stack) }));
