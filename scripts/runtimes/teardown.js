'use strict';
// One worker-teardown run, in whichever runtime runs this file (Node, Bun or
// Deno), from a folder where the packed tarball is installed:
//
//   <runtime> teardown.js <variant> <how>
//
// variant: 'package': the worker starts calls of every async function of the
//            package (primesUpToAsync small and large, sumOfEvenAsync and
//            sumOfEvenBigIntAsync copied and transferred);
//          'control': the worker loads the package's library with koffi
//            directly, no package code, and starts bare koffi `.async` calls
//            (primes_up_to, whose result goes to koffi's own memory, and
//            add_in_rust): what the runtime does on its own.
// how:     'terminate' (the parent calls worker.terminate()), 'exit' (the
//            worker calls process.exit() once the parent listens), 'normal'
//            (the worker's script ends at once with the calls in flight).
//
// The parent then checks that the runtime carries on (a few calls on the main
// thread) and prints one JSON line: the worker's exit code, how many calls it
// had started and the library's live counters (`*_live_count`) before and
// after. A crash shows as the process's exit status or signal, which
// scripts/runtimes/teardown-runs.js counts.
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const koffi = require('koffi');

const [variant, how] = process.argv.slice(2);
if (!['package', 'control'].includes(variant) || !['terminate', 'exit', 'normal'].includes(how)) {
  console.error('usage: teardown.js package|control terminate|exit|normal');
  process.exit(2);
}
const root = path.dirname(require.resolve('ffi-deep-dive/package.json'));
const library = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'libffi_deep_dive.so');

// The live counters, read through koffi so that the control's parent loads no package code.
const lib = koffi.load(library);
const counters = ['u32_array', 'rust_string', 'ffi_error', 'opaque_point'].map((name) => [
  name,
  lib.func(`size_t ${name}_live_count(void)`),
]);
const live = () => Object.fromEntries(counters.map(([name, f]) => [name, Number(f())]));

/** Calls on the main thread: before the worker (the baseline loads what they load) and after its end. */
async function mainThreadCalls() {
  if (variant === 'package') {
    const api = require('ffi-deep-dive');
    const r = await Promise.all([api.primesUpToAsync(100), api.sumOfEvenAsync([2, 4, 5])]);
    return [r[0].length, r[1]];
  }
  const add = lib.func('int add_in_rust(int a, int b)');
  return [add(2, 3), await new Promise((resolve, reject) => add.async(20, 5, (e, v) => (e ? reject(e) : resolve(v))))];
}

(async () => {
  await mainThreadCalls();
  const before = live();
  const w = new Worker(path.join(__dirname, 'teardown-worker.js'), { workerData: { variant, how, library } });
  const exited = new Promise((resolve) => w.once('exit', resolve));
  const started = await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  let code;
  if (how === 'terminate') code = await w.terminate();
  else {
    if (how === 'exit') w.postMessage('exit');
    code = await exited;
  }
  // The runtime carries on: calls on the main thread after the worker's end.
  const calls = await mainThreadCalls();
  // The package's counters come back to their baseline once everything the
  // worker started has finished and its thread has exited (its thread-owned
  // error object is freed then, which a runtime may do after the 'exit'
  // event): waited for, up to 3 s. The control leaks the arrays of the calls
  // whose completion never ran: 300 ms for whatever still runs to finish.
  const ended = Date.now();
  const limit = variant === 'package' ? 3000 : 300;
  while (Date.now() - ended < limit && (variant === 'control' || JSON.stringify(live()) !== JSON.stringify(before))) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  console.log(JSON.stringify({ variant, how, started, code, before, after: live(), calls }));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
