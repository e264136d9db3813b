// At the deepest allowed nesting (MAX_CALLBACK_DEPTH - 1 levels of countWhere on koffi's stack), every other
// synchronous function with its largest arguments: koffi's per-call memory on top of the cap's margin.
// Usage: node --stack-size=7800 nest-big-args.js
const api = require('../../dist');
const big = 'é'.repeat(1 << 20);
const bigLatin = 'a'.repeat(1 << 22);
const results = {};
const at = (depth, fn) =>
  depth === 0
    ? fn()
    : api.countWhere([1], () => {
        at(depth - 1, fn);
        return true;
      });
const cases = {
  concat: () => api.concatStrings(big, big).length,
  concatLatin: () => api.concatStrings(bigLatin, bigLatin).length,
  count: () => api.countCharacters(big),
  countBytes: () => api.countCharacters(Buffer.from(big)),
  parse: () => api.parseNumber('1'.repeat(100000)),
  sum: () => api.sumOfEven(new Uint32Array(1 << 22)),
  primes: () => api.primesUpTo(1e7).length,
  countWhereBig: () => api.countWhere(new Uint32Array(1 << 20), () => false),
};
for (const [name, fn] of Object.entries(cases)) {
  try {
    at(api.MAX_CALLBACK_DEPTH - 1, () => {
      results[name] = fn();
    });
  } catch (e) {
    results[name] = e.code || String(e);
  }
}
console.log(JSON.stringify(results));
