// A recursion probe (as test/construction.test.ts's) over the async functions: a RangeError for stack
// exhaustion lands at each call inside them in turn. Then: every batch freed, every promise settled.
const TIMES = Number(process.argv[3] || 10);
const api = require('../../dist');
const raw = require('../../dist/raw');
// `pad` arguments pushed before each call move the overflow in 8-byte steps; the batches settle between pads.
async function atEveryDepth(fn) {
  for (let pad = 0; pad < 48; pad++) {
    const args = new Array(pad).fill(0);
    const shim = function () {
      return fn();
    };
    let done = 0;
    let wins = 0;
    const probe = (n) => {
      try {
        probe(n + 1);
      } catch (overflow) {
        if (wins < TIMES && done < 2000) {
          done++;
          try {
            Reflect.apply(shim, null, args);
            wins++;
          } catch {
            // the overflow at this depth
          }
        }
        throw overflow;
      }
    };
    try {
      probe(0);
    } catch {
      // the overflow
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
(async () => {
  const which = process.argv[2] || 'all';
  // Warm-up without the probe: the scheduler keeps spare batches; the baseline is what it keeps when idle.
  const warm = [];
  for (let i = 0; i < 40; i++)
    warm.push(api.sumOfEvenAsync([2]), api.primesUpToAsync(2_000_000), api.sumOfEvenAsync(new Uint32Array(100_000)));
  await Promise.all(warm);
  await new Promise((r) => setTimeout(r, 1500));
  const base = raw.async_batch_live_count();
  const promises = [];
  let returned = 0,
    settled = 0;
  const track = (p) => {
    promises[returned] = p;
    returned++;
  };
  const big = new Uint32Array(100_000).fill(2);
  if (which === 'all' || which === 'sum') await atEveryDepth(() => track(api.sumOfEvenAsync(new Uint32Array([2, 4]))));
  if (which === 'all' || which === 'sumLarge') await atEveryDepth(() => track(api.sumOfEvenAsync(big)));
  if (which === 'all' || which === 'primes') await atEveryDepth(() => track(api.primesUpToAsync(1000)));
  if (which === 'all' || which === 'primesLarge') await atEveryDepth(() => track(api.primesUpToAsync(2_000_000)));
  if (which === 'all' || which === 'transfer')
    await atEveryDepth(() => track(api.sumOfEvenAsync(new Uint32Array(70000).fill(2), { transfer: true })));
  for (let i = 0; i < returned; i++)
    promises[i].then(
      () => settled++,
      () => settled++,
    );
  await new Promise((r) => setTimeout(r, 3000));
  // a fresh call must still settle (scheduler not wedged)
  const after = await Promise.race([
    api.sumOfEvenAsync([2, 2]),
    new Promise((r) => setTimeout(() => r('TIMEOUT'), 3000)),
  ]);
  await new Promise((r) => setTimeout(r, 1500));
  console.log(
    JSON.stringify({
      which,
      runner: process.env.FFI_DEEP_DIVE_ASYNC || 'default',
      returned,
      settled,
      after,
      liveBatches: raw.async_batch_live_count() - base,
    }),
  );
})();
