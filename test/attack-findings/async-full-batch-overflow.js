// Both open shared batches full (MAX_ASYNC_IN_FLIGHT x 256 jobs), then a call probed at every 8-byte step of
// stack: batchFor() moves the full batch to `ready` and then allocates a new one (spareOrNew: a call that can
// overflow), leaving the full batch in `open` as well. Every call must still get its own sum.
// Usage: FFI_DEEP_DIVE_ASYNC=koffi|threads node async-full-batch-overflow.js
const api = require('../../dist');
(async () => {
  let right = 0;
  let wrong = 0;
  let overflow = 0;
  let other = 0;
  let total = 0;
  const others = {};
  for (let pad = 0; pad < 48; pad++) {
    const ps = [];
    const want = [];
    for (let i = 0; i < api.MAX_ASYNC_IN_FLIGHT * 256; i++) {
      want.push(2 * i);
      ps.push(api.sumOfEvenAsync([2 * i]));
    }
    const args = new Array(pad).fill(0);
    const shim = function () {
      const v = 2 * ps.length;
      const p = api.sumOfEvenAsync([v]);
      ps.push(p);
      want.push(v);
    };
    let tries = 0;
    let wins = 0;
    const probe = (n) => {
      try {
        probe(n + 1);
      } catch (e) {
        if (wins < 3 && tries++ < 2000) {
          try {
            Reflect.apply(shim, null, args);
            wins++;
          } catch {
            // the overflow
          }
        }
        throw e;
      }
    };
    try {
      probe(0);
    } catch {
      // the overflow
    }
    total += ps.length;
    await Promise.all(
      ps.map((p, i) =>
        Promise.race([
          p.then(
            (v) => (v === want[i] ? right++ : wrong++),
            (e) => {
              if (e instanceof RangeError && /call stack/.test(e.message)) overflow++;
              else {
                other++;
                others[e.message] = (others[e.message] || 0) + 1;
              }
            },
          ),
          new Promise((r) => setTimeout(r, 3000)),
        ]),
      ),
    );
  }
  const later = await Promise.race([
    api.sumOfEvenAsync([2, 4]),
    new Promise((r) => setTimeout(() => r('never settled'), 2000)),
  ]);
  console.log(
    JSON.stringify({
      total,
      right,
      wrong,
      overflow,
      other,
      unsettled: total - right - wrong - overflow - other,
      later,
      others,
    }),
  );
  process.exit(0);
})();
