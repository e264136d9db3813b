// A stack overflow inside the Promise executor of submit() (ts/async.ts: `new Call(...)` throws): the Promise
// rejects, but on the code before the fix b.add(undefined) still counted the job and unlinked the batch's earlier
// calls: those never settled, and the calls after it got other calls' results.
// The probe lands the overflow at every 8-byte step of stack: `pad` arguments pushed before the call.
// Usage: FFI_DEEP_DIVE_ASYNC=koffi|threads node async-executor-overflow.js
const api = require('../../dist');
async function atEveryDepth(fn, times) {
  for (let pad = 0; pad < 48; pad++) {
    const args = new Array(pad).fill(0);
    const shim = function () {
      return fn();
    };
    let done = 0;
    const probe = (n) => {
      try {
        probe(n + 1);
      } catch (overflow) {
        if (done < times) {
          try {
            Reflect.apply(shim, null, args);
            done++;
          } catch {
            // the overflow (or the function's own error) at this depth
          }
        }
        throw overflow;
      }
    };
    try {
      probe(0);
    } catch {
      // the overflow (or the function's own error) at this depth
    }
    await new Promise((r) => setTimeout(r, 5)); // the batches settle: each pad starts with room
  }
}
(async () => {
  let n = 0,
    right = 0,
    wrong = 0,
    rejected = 0,
    inExecutor = 0;
  const ps = [];
  const inputs = [];
  for (let i = 0; i < 48 * 40; i++) inputs[i] = [2 * (i + 1)];
  await atEveryDepth(() => {
    ps[n] = api.sumOfEvenAsync(inputs[n]);
    n++;
  }, 40);
  await Promise.all(
    ps.slice(0, n).map((p, i) =>
      Promise.race([
        p.then(
          (v) => (v === inputs[i][0] ? right++ : wrong++),
          (e) => {
            rejected++;
            if (/new Call|instance_members_initializer/.test(String(e.stack))) inExecutor++;
          },
        ),
        new Promise((r) => setTimeout(r, 2000)),
      ]),
    ),
  );
  const fresh = await Promise.race([
    api.sumOfEvenAsync([2, 4]),
    new Promise((r) => setTimeout(() => r('never settled'), 2000)),
  ]);
  console.log(
    JSON.stringify({ fresh, calls: n, right, wrong, rejected, neverSettled: n - right - wrong - rejected, inExecutor }),
  );
  process.exit(0);
})();
