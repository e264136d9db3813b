#!/usr/bin/env node
// The Node demo: plain JavaScript using the compiled package the way a Node
// script does, with require(). Each concept's part is in scripts/demo/<concept>.js,
// named like the Rust, C and TS modules.
'use strict';

const ffi = require('..');

const CONCEPTS = ['numbers', 'strings', 'point', 'opaque', 'unions', 'enums', 'tuples', 'slices', 'callbacks', 'async'];

async function main() {
  console.log('ffi-deep-dive Node demo: calling Rust from JavaScript');
  for (const concept of CONCEPTS) {
    const run = require(`./demo/${concept}.js`);
    console.log(`\n== ${concept} ==`);
    await run(ffi);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
