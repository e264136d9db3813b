// koffi configured (before the package loads) with a small synchronous heap, where koffi copies string
// arguments: the string functions with large arguments, at the top and at the deepest nesting.
// Usage: node koffi-small-heap.js [sync_heap_size]
const koffi = require('koffi');
koffi.config({ ...koffi.config(), sync_heap_size: Number(process.argv[2] || 16384) });
const api = require('../../dist');
const big = 'é'.repeat(1 << 18);
const latin = 'a'.repeat(1 << 18);
const out = {};
const at = (depth, fn) => (depth === 0 ? fn() : api.countWhere([1], () => (at(depth - 1, fn), true)));
for (const [name, fn] of Object.entries({
  concat: () => api.concatStrings(big, big).length,
  concatLatin: () => api.concatStrings(latin, latin).length,
  count: () => api.countCharacters(big),
  parse: () => api.parseNumber('1'.repeat(5000) + '.5'),
  describe: () => new api.OpaquePoint(1, 2).describe(),
})) {
  for (const depth of [0, 8]) {
    try {
      at(depth, () => {
        out[`${name}@${depth}`] = fn();
      });
    } catch (e) {
      out[`${name}@${depth}`] = e.code || e.message;
    }
  }
}
console.log(JSON.stringify(out));
