// koffi configured (before the package loads) with fewer async slots than MAX_ASYNC_IN_FLIGHT: calls beyond
// koffi's limit are refused by koffi; what do the Promises settle with? Usage: node koffi-max-async.js [max_async_calls]
const koffi = require('koffi');
const n = Number(process.argv[2] || 1);
koffi.config({ ...koffi.config(), resident_async_pools: n, max_async_calls: n });
const api = require('../../dist');
(async () => {
  const big = new Uint32Array(200000).fill(2);
  const rs = await Promise.allSettled([
    api.sumOfEvenAsync(big),
    api.primesUpToAsync(3_000_000),
    api.sumOfEvenAsync(big),
    api.sumOfEvenAsync([2]),
  ]);
  console.log(
    JSON.stringify(
      rs.map((r) =>
        r.status === 'fulfilled'
          ? typeof r.value === 'number'
            ? r.value
            : r.value.length
          : { code: r.reason.code, message: r.reason.message },
      ),
    ),
  );
})();
