'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoOpaque(ffi) {
  const { opaque_point_live_count } = require('../../dist/raw');

  // JS holds only a private handle; every read and write is a Rust call.
  const p = new ffi.OpaquePoint(1, 2);
  console.log('new OpaquePoint(1, 2); live OpaquePoints:', opaque_point_live_count());
  p.translate(3, 4);
  console.log('p.translate(3, 4).describe() =', JSON.stringify(p.describe()), '(Rust Display, string freed)');
  console.log('p.x, p.y =', p.x, p.y);
  p.free();
  p.free(); // idempotent
  console.log('p.free(); live OpaquePoints:', opaque_point_live_count());
  try {
    p.describe();
  } catch (err) {
    console.log(`p.describe() after free throws ${err.name}: ${err.message}`);
  }

  // `using` (TypeScript, or JS with explicit resource management) frees at
  // scope end; here the same thing spelled out with Symbol.dispose.
  const q = new ffi.OpaquePoint(5, 6);
  try {
    console.log('q =', JSON.stringify(q));
  } finally {
    q[Symbol.dispose]();
  }
  console.log('after q[Symbol.dispose](); live OpaquePoints:', opaque_point_live_count());
  // A forgotten point is freed by a FinalizationRegistry when it is collected.
};
