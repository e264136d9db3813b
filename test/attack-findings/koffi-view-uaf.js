const koffi = require('koffi');
const d = require('../../dist');
const raw = require('../../dist/raw');
console.log('view writable?', Object.getOwnPropertyDescriptor(koffi, 'view'));
const views = [];
const orig = koffi.view;
koffi.view = (p, n) => {
  const ab = orig(p, n);
  views.push(ab);
  return ab;
};
(async () => {
  const r = await d.primesUpToAsync(5_000_000);
  console.log(
    'primes',
    r.length,
    'views kept',
    views.length,
    views.map((v) => v.byteLength),
  );
  console.log('live batches', raw.async_batch_live_count());
  await new Promise((r) => setTimeout(r, 1500)); // trimIdle frees the large batch
  console.log('live batches after trim', raw.async_batch_live_count());
  const big = views.find((v) => v.byteLength > 1e6);
  const u = new Uint32Array(big);
  console.log('reading freed memory...');
  let s = 0;
  for (let i = 0; i < u.length; i += 1024) s += u[i];
  console.log('read ok', s);
  u.fill(0xdeadbeef);
  console.log('wrote freed memory');
})();
