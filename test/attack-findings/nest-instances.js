// Three copies of the package (a cleared require.cache, as duplicated dependencies give) share one koffi
// and so one koffi stack per thread; each copy caps its own nesting at MAX_CALLBACK_DEPTH (256).
const N = Number(process.argv[2] || 3);
const dist = require.resolve('../../dist');
const copies = [];
for (let i = 0; i < N; i++) {
  for (const k of Object.keys(require.cache)) if (k.includes('/dist/')) delete require.cache[k];
  copies.push(require(dist));
}
let level = 0;
const nest = () => {
  const api = copies[level % N];
  level++;
  try {
    return api.countWhere([1], nest);
  } catch (e) {
    return e.code || String(e);
  }
};
const r = nest();
console.log('ok, deepest level', level, 'result', r);
