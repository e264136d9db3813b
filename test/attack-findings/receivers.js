// Every method and accessor of Point and OpaquePoint (prototype and static) called with foreign receivers and
// odd arguments: every failure must be a coded error (ERR_*), never V8's uncoded TypeError, and nothing crashes.
const api = require('../../dist');
const uncoded = [];
let calls = 0;
const live = new api.OpaquePoint(1, 2);
const freed = new api.OpaquePoint(1, 2);
freed.free();
const pt = new api.Point(1, 2);
const { proxy: revoked, revoke } = Proxy.revocable({}, {});
revoke();
const receivers = () => [
  undefined,
  null,
  1,
  'x',
  {},
  [],
  () => {},
  Object.create(api.Point.prototype),
  Object.create(api.OpaquePoint.prototype),
  new Proxy(live, {}),
  new Proxy(pt, {}),
  revoked,
  freed,
  live,
  pt,
  new Float32Array(2),
  Symbol('s'),
  10n,
];
const args = [
  [],
  [1, 2],
  [NaN, Infinity],
  [{ valueOf: () => 1 }, { [Symbol.toPrimitive]: () => 2 }],
  ['1', '2'],
  [revoked, revoked],
  [2 ** 40, -0],
  [new Float32Array(4), 1],
  [new Float32Array(new SharedArrayBuffer(16)), 0],
  [new Float32Array(new ArrayBuffer(16, { maxByteLength: 64 })), 1],
];
for (const C of [api.Point, api.OpaquePoint]) {
  for (const [owner, name] of [
    ...Reflect.ownKeys(C.prototype).map((k) => [C.prototype, k]),
    ...Reflect.ownKeys(C).map((k) => [C, k]),
  ]) {
    if (name === 'constructor' || name === 'prototype' || name === 'length' || name === 'name') continue;
    const d = Object.getOwnPropertyDescriptor(owner, name);
    for (const fn of [d.value, d.get, d.set]) {
      if (typeof fn !== 'function') continue;
      for (const self of receivers())
        for (const a of args) {
          calls++;
          try {
            Reflect.apply(fn, self, a);
          } catch (e) {
            if (e === null || typeof e !== 'object' || typeof e.code !== 'string')
              uncoded.push(`${C.name}.${String(name)} this=${typeof self} args=${a.length}: ${e && e.message}`);
          }
        }
    }
  }
}
// constructors with odd arguments, and called without new
for (const C of [api.Point, api.OpaquePoint])
  for (const a of args) {
    calls++;
    try {
      new C(...a);
    } catch (e) {
      if (typeof e?.code !== 'string') uncoded.push(`new ${C.name}(${a.length}): ${e && e.message}`);
    }
    calls++;
    try {
      C(...a);
    } catch (e) {
      if (typeof e?.code !== 'string') uncoded.push(`${C.name}(${a.length}) without new: ${e && e.message}`);
    }
  }
console.log(JSON.stringify({ calls, uncoded: [...new Set(uncoded)].slice(0, 20), uncodedCount: uncoded.length }));
