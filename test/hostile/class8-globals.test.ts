/**
 * Built-ins patched AFTER the package was loaded (patching them before the
 * first require is out of scope, as the README says) cannot size or fill the
 * memory Rust writes into or frees: the buffers the package allocates per
 * call (concatStrings' result buffers, primesUpTo's copy, the async arenas,
 * OpaquePoint's slot tables) are made with constructors captured at load,
 * and their capacity is read with the captured `length` getter. Each case
 * patches a global and then checks exact results (a SIGSEGV or an overflow
 * would end or corrupt the child process).
 */
import { inChild } from './child';

/** Taken before the patch: the test's own input and a length getter that still tells the truth. */
const BEFORE = `
  const input = new Uint32Array([2, 4, 5]);
  const lengthOf = Function.prototype.call.bind(
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length').get,
  );
`;

/** Calls that allocate per call, with their expected results. */
const CALLS = `
  const latin1 = 'a'.repeat(3000) + 'b'.repeat(3000);
  const twoByte = '\\u00e9'.repeat(5000);
  const big = '\\u00e9'.repeat(70000);
  const results = {
    latin1: api.concatStrings('a'.repeat(3000), 'b'.repeat(3000)) === latin1,
    utf16: api.concatStrings(twoByte, twoByte) === twoByte + twoByte,
    utf16Own: api.concatStrings(big, 'x') === big + 'x',
    primes: ((p) => [lengthOf(p), p[lengthOf(p) - 1]])(api.primesUpTo(100000)),
    primesAsync: ((p) => [lengthOf(p), p[lengthOf(p) - 1]])(await api.primesUpToAsync(500000)),
    sumAsync: await api.sumOfEvenAsync(input),
  };
  // OpaquePoint's slot tables grow past their 1,024 initial slots once the points are registered (next job).
  const before = raw.opaque_point_live_count();
  const points = Array.from({ length: 3000 }, (_, i) => new api.OpaquePoint(i, i));
  await new Promise((r) => setTimeout(r, 1));
  results.points = points.every((p, i) => p.x === i) && raw.opaque_point_live_count() === before + 3000;
  for (const p of points) p.free();
  results.pointsFreed = raw.opaque_point_live_count() === before;
  done(results);
`;

const EXPECTED = {
  latin1: true,
  utf16: true,
  utf16Own: true,
  primes: [9592, 99991],
  primesAsync: [41538, 499979],
  sumAsync: 6,
  points: true,
  pointsFreed: true,
};

describe('class 8: globals patched after load cannot reach the memory Rust writes or frees', () => {
  it.each([
    [
      'typed-array and ArrayBuffer constructors that return 1-element arrays',
      `for (const name of ['Uint16Array', 'Uint32Array', 'BigUint64Array', 'Int32Array']) {
         const Real = globalThis[name];
         globalThis[name] = function () { return new Real(1); };
       }
       const RealBuffer = ArrayBuffer;
       globalThis.ArrayBuffer = function () { return new RealBuffer(16); };`,
    ],
    [
      'a typed-array length getter that lies (2^30)',
      `Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'length', { get() { return 2 ** 30; } });`,
    ],
    ['Math.min and Math.max that return 1', `Math.min = () => 1; Math.max = () => 1;`],
  ])('%s', (_title, patch) => {
    expect(inChild(`${BEFORE}\n${patch}\n${CALLS}`)).toEqual(EXPECTED);
  });
});
