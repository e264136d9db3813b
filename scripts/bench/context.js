'use strict';
// What every bench child loads: the built package (public and raw), koffi,
// and the Node-API addon when it was built.

const path = require('node:path');
const { load } = require('./napi');

const ROOT = path.resolve(__dirname, '..', '..');

function context() {
  // Optional koffi tuning, applied before the library is loaded (koffi
  // refuses it later): BENCH_KOFFI_CONFIG='{"resident_async_pools":16}'.
  const koffi = require('koffi');
  if (process.env.BENCH_KOFFI_CONFIG) koffi.config(JSON.parse(process.env.BENCH_KOFFI_CONFIG));
  const ffi = require(ROOT);
  const raw = require(path.join(ROOT, 'dist', 'raw'));
  const napi = load(process.env.BENCH_NAPI_ADDON);
  const decl = (signature) => (Array.isArray(signature) ? raw.lib.func(...signature) : raw.lib.func(signature));
  return { ffi, raw, koffi, napi, decl };
}

const quick = () => process.env.BENCH_QUICK === '1';

/** Engine specs that throw while being set up or on their first call are reported, not fatal. */
function tryCompile(compile, label, spec, ctx, input) {
  try {
    const run = compile(label, spec, ctx);
    if (run === null) return { skipped: 'not exported by this build' };
    const check = run(1, input);
    return { run, check };
  } catch (err) {
    return { skipped: `failed: ${err.message}` };
  }
}

module.exports = { context, quick, tryCompile, ROOT };
