#!/usr/bin/env node
// The package's `install` script: builds the Rust library with
// `cargo build --release` when the package is installed as a dependency and
// no built library is there yet.
//
// It does nothing, quickly, when (checked in this order):
// - this is the development checkout (the package root is not inside a
//   node_modules directory): there `make` builds the library, and `npm ci`,
//   which runs the root package's install script too, must stay fast;
// - FFI_DEEP_DIVE_LIB points at an existing library (the loader uses only it);
// - the library is already built (a reinstall, `npm rebuild`).
//
// It fails with one line saying what to do when cargo is missing or when
// FFI_DEEP_DIVE_LIB points at nothing, because the package cannot work then
// (npm shows a failing script's output; a passing one's is hidden).
//
// Run it by hand in an installed copy (`node node_modules/ffi-deep-dive/scripts/install.js`)
// to build the library after an install that skipped scripts.
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

/** Where cargo puts the library, and where ts/raw/library.ts looks for it. */
function builtLibrary(root = PACKAGE_ROOT) {
  return path.join(root, 'rust', 'target', 'release', libraryFile());
}

/** True when `root` is a dependency's copy: its parent (or a scope's parent) is node_modules. */
function isInstalledCopy(root = PACKAGE_ROOT) {
  const parent = path.dirname(root);
  const up = path.basename(parent).startsWith('@') ? path.dirname(parent) : parent;
  return path.basename(up) === 'node_modules';
}

/**
 * What to do, as `{ action, message }` where action is 'skip', 'build' or 'fail'.
 * Pure, so it can be tested without running cargo.
 */
function decide({ root = PACKAGE_ROOT, env = process.env, exists = fs.existsSync, hasCargo } = {}) {
  if (!isInstalledCopy(root)) {
    return { action: 'skip', message: 'development checkout: `make` builds the library, not npm install' };
  }
  const fromEnv = env.FFI_DEEP_DIVE_LIB;
  if (fromEnv !== undefined && fromEnv !== '') {
    const lib = path.resolve(fromEnv);
    return exists(lib)
      ? { action: 'skip', message: `using FFI_DEEP_DIVE_LIB=${lib}, not building` }
      : {
          action: 'fail',
          message: `FFI_DEEP_DIVE_LIB points at ${lib}, which does not exist: fix or unset it, then reinstall`,
        };
  }
  if (exists(builtLibrary(root))) {
    return { action: 'skip', message: `library already built at ${builtLibrary(root)}` };
  }
  if (!hasCargo()) {
    return {
      action: 'fail',
      message:
        'cargo not found: install Rust (https://rustup.rs) and reinstall, ' +
        'or set FFI_DEEP_DIVE_LIB to a prebuilt ' +
        libraryFile(),
    };
  }
  return { action: 'build', message: `building the Rust library with cargo in ${path.join(root, 'rust')}` };
}

function cargo() {
  return process.env.CARGO || 'cargo';
}

function hasCargo() {
  const probe = spawnSync(cargo(), ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

function main() {
  const { action, message } = decide({ hasCargo });
  if (action === 'fail') {
    console.error(`ffi-deep-dive: ${message}`);
    return 1;
  }
  console.log(`ffi-deep-dive: ${message}`);
  if (action === 'skip') return 0;
  const manifest = path.join(PACKAGE_ROOT, 'rust', 'Cargo.toml');
  const build = spawnSync(cargo(), ['build', '--release', '--manifest-path', manifest], { stdio: 'inherit' });
  if (build.error !== undefined || build.status !== 0 || !fs.existsSync(builtLibrary())) {
    console.error(`ffi-deep-dive: \`cargo build --release --manifest-path ${manifest}\` failed (output above)`);
    return 1;
  }
  console.log(`ffi-deep-dive: built ${builtLibrary()}`);
  return 0;
}

module.exports = { decide, isInstalledCopy, builtLibrary, libraryFile };

if (require.main === module) {
  process.exitCode = main();
}
