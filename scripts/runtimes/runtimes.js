'use strict';
// How to start each runtime on a script of the consumer folder. The paths of
// Bun and Deno come from the environment (scripts/runtimes/run.sh installs
// the pinned versions and sets them).
//
// Deno loads the package from the consumer's node_modules (the folder npm
// installed into; `--node-modules-dir=manual` says to use it as it is) and
// needs only these permissions: read (the package's files and its library),
// env (the loader reads FFI_DEEP_DIVE_LIB and the like) and ffi (koffi).
const path = require('node:path');

const DENO_FLAGS = ['--allow-read', '--allow-env', '--allow-ffi', '--node-modules-dir=manual'];

function runtimes(env = process.env) {
  const all = { node: [process.execPath] };
  if (env.RUNTIME_BUN) all.bun = [path.resolve(env.RUNTIME_BUN)];
  if (env.RUNTIME_DENO) all.deno = [path.resolve(env.RUNTIME_DENO), 'run', ...DENO_FLAGS];
  return all;
}

module.exports = { runtimes, DENO_FLAGS };
