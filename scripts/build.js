#!/usr/bin/env node
// Builds the native library from source inside an installed copy of
// ffi-deep-dive, for a platform the package has no prebuilt library for (or
// one where the prebuilt library does not load, e.g. a glibc older than it
// needs). Needs Rust (https://rustup.rs); the crate uses std only, so cargo
// downloads nothing.
//
//   node node_modules/ffi-deep-dive/scripts/build.js
//
// The library lands in rust/target/release/ inside the package, where the
// loader (ts/raw/library.ts) prefers it to the prebuilt one. CARGO_TARGET_DIR
// is ignored on purpose: it belongs to the user's own projects. Delete the
// built library (or reinstall the package) to go back to the prebuilt one.
//
// The package has no install script: where a prebuilt library matches (see
// the README), installing runs nothing; elsewhere the first `require` throws
// a one-line error that names this script. In a development checkout, `make`
// builds the library instead, and this script says so and does nothing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** The library's file name on this platform; the same rule as ts/raw/library.ts. */
function libraryFile(platform = process.platform) {
  if (platform === 'win32') return 'ffi_deep_dive.dll';
  if (platform === 'darwin') return 'libffi_deep_dive.dylib';
  return 'libffi_deep_dive.so';
}

/** Where this script puts the library; ts/raw/library.ts's `sourceBuildLibrary()`. */
function builtLibrary(root = PACKAGE_ROOT) {
  return path.join(root, 'rust', 'target', 'release', libraryFile());
}

/** True in a development checkout (the Makefile is never packed); the loader's rule. */
function isDevelopmentCheckout(root = PACKAGE_ROOT) {
  return fs.existsSync(path.join(root, 'Makefile')) && !root.split(path.sep).includes('node_modules');
}

function main() {
  if (isDevelopmentCheckout()) {
    console.log('ffi-deep-dive: development checkout: build the library with `make`, not with this script');
    return 0;
  }
  const cargo = process.env.CARGO || 'cargo';
  const manifest = path.join(PACKAGE_ROOT, 'rust', 'Cargo.toml');
  const targetDir = path.join(PACKAGE_ROOT, 'rust', 'target');
  const args = ['build', '--release', '--manifest-path', manifest, '--target-dir', targetDir];
  console.log(`ffi-deep-dive: building the native library from source: ${cargo} ${args.join(' ')}`);
  const env = { ...process.env };
  delete env.CARGO_TARGET_DIR;
  const build = spawnSync(cargo, args, { stdio: 'inherit', env });
  if (build.error !== undefined) {
    console.error(`ffi-deep-dive: could not run ${cargo} (${build.error.message}): install Rust (https://rustup.rs)`);
    return 1;
  }
  if (build.status !== 0 || !fs.existsSync(builtLibrary())) {
    console.error(`ffi-deep-dive: the build failed (cargo's output above)`);
    return 1;
  }
  console.log(`ffi-deep-dive: built ${builtLibrary()}; it is used from now on`);
  return 0;
}

module.exports = { builtLibrary, isDevelopmentCheckout, libraryFile };

if (require.main === module) {
  process.exitCode = main();
}
