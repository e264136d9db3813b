'use strict';
// What every bench child loads: the built package (public and raw), koffi,
// the Node-API addon when it was built, and the C loops
// (build/libffi_bench_c.so) when they were built.

const fs = require('node:fs');
const path = require('node:path');
const { load } = require('./napi');

const ROOT = path.resolve(__dirname, '..', '..');
const C_LOOPS = path.join(ROOT, 'build', 'libffi_bench_c.so');

/** The C loops of c/bench/loops.c, each `uint32_t f(uint64_t n, ...)`, or `{ error }`. */
function loadCLoops(koffi) {
  if (!fs.existsSync(C_LOOPS)) return { error: `${path.relative(ROOT, C_LOOPS)} is missing (make bench builds it)` };
  try {
    const lib = koffi.load(C_LOOPS);
    const f = (sig) => lib.func(sig);
    return {
      add: f('uint32_t ffi_bench_add(uint64_t n)'),
      concatFree: f('uint32_t ffi_bench_concat_free(uint64_t n, const uint8_t *first, const uint8_t *second)'),
      concatInto: f('uint32_t ffi_bench_concat_into(uint64_t n, const uint8_t *first, const uint8_t *second)'),
      countCharacters: f('uint32_t ffi_bench_count_characters(uint64_t n, const uint8_t *text)'),
      concatUtf16Into: f(
        'uint32_t ffi_bench_concat_utf16_into(uint64_t n, const uint16_t *first, size_t first_len, const uint16_t *second, size_t second_len)',
      ),
      countCharactersUtf16: f(
        'uint32_t ffi_bench_count_characters_utf16(uint64_t n, const uint16_t *text, size_t len)',
      ),
      pointTranslate: f('uint32_t ffi_bench_point_translate(uint64_t n)'),
      opaqueNewFree: f('uint32_t ffi_bench_opaque_new_free(uint64_t n)'),
      sumOfEven: f('uint32_t ffi_bench_sum_of_even(uint64_t n, const uint32_t *data, size_t len)'),
      primes: f('uint32_t ffi_bench_primes(uint64_t n, uint32_t limit)'),
      cSumOfEven: f('uint32_t ffi_bench_c_sum_of_even(uint64_t n, const uint32_t *data, size_t len)'),
      readXor: f('uint32_t ffi_bench_read_xor(uint64_t n, const uint32_t *data, size_t len)'),
    };
  } catch (err) {
    return { error: `could not load ${path.relative(ROOT, C_LOOPS)}: ${err.message}` };
  }
}

function context() {
  // Optional koffi tuning, applied before the library is loaded (koffi
  // refuses it later): BENCH_KOFFI_CONFIG='{"resident_async_pools":16}'.
  const koffi = require('koffi');
  if (process.env.BENCH_KOFFI_CONFIG) koffi.config(JSON.parse(process.env.BENCH_KOFFI_CONFIG));
  const ffi = require(ROOT);
  const raw = require(path.join(ROOT, 'dist', 'raw'));
  const napi = load(process.env.BENCH_NAPI_ADDON);
  const loops = loadCLoops(koffi);
  const cloops = loops.error ? null : loops;
  const decl = (signature) => (Array.isArray(signature) ? raw.lib.func(...signature) : raw.lib.func(signature));
  return { ffi, raw, koffi, napi, cloops, cloopsError: loops.error ?? null, decl };
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

module.exports = { context, quick, tryCompile, ROOT, C_LOOPS };
