// OpaquePoint under GC pressure: random new / free / dispose / drop / translate across jobs, with forced GCs, so
// the registry's callbacks, the pending list and the slot tables' growth and shrinking interleave. Every live
// point must read its own coordinates, and every point must be freed in the end. Usage: node --expose-gc opaque-gc-stress.js [seed]
const api = require('../../dist');
const raw = require('../../dist/raw');
let seed = Number(process.argv[2] || 1);
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
(async () => {
  const base = raw.opaque_point_live_count();
  let live = [];
  let bad = 0;
  for (let round = 0; round < 60; round++) {
    const n = rand(4000);
    for (let i = 0; i < n; i++) {
      const op = rand(10);
      if (op < 5 || live.length === 0) {
        const x = rand(1000);
        live.push({ p: new api.OpaquePoint(x, -x), x });
      } else {
        const k = rand(live.length);
        const e = live[k];
        if (op === 5) {
          e.p.free();
          live[k] = live[live.length - 1];
          live.pop();
        } else if (op === 6) {
          e.p[Symbol.dispose]();
          live[k] = live[live.length - 1];
          live.pop();
        } else if (op === 7) {
          live[k] = live[live.length - 1];
          live.pop();
        } // dropped: the GC frees it
        else if (op === 8) {
          e.p.translate(1, 0);
          e.x += 1;
        } else if (e.p.x !== e.x || e.p.y !== -e.x + (e.p.y + e.x)) bad++;
      }
    }
    for (const e of live) if (Math.abs(e.p.x - e.x) > 1e-3) bad++;
    if (rand(3) === 0) {
      live = live.filter(() => rand(2) === 0);
    }
    if (rand(2) === 0) globalThis.gc();
    await new Promise((r) => setTimeout(r, rand(3)));
  }
  const stillLive = live.length;
  for (const e of live) e.p.free();
  live = null;
  for (let i = 0; i < 50 && raw.opaque_point_live_count() !== base; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  console.log(JSON.stringify({ bad, stillLive, leaked: raw.opaque_point_live_count() - base }));
})();
