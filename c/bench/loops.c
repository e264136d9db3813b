/*
 * The native floor for `make bench`, timed in the same process and the same
 * rounds as the JS rows.
 *
 * Built as a small shared library (build/libffi_bench_c.so, linked against
 * the library) that scripts/bench loads with koffi. Each function runs `n`
 * calls of one library function in a C loop and returns a checksum of the
 * results; the bench calls it once per round and divides the time by `n`, so
 * the one koffi call per round (about 50 ns) is noise against a batch of
 * milliseconds. Because the JS rows and the C row of a case are timed in the
 * same rounds, every ratio to C is a per-round ratio, like the others.
 *
 * Every library function is called directly, with the types of
 * ffi_deep_dive.h. Dead-code elimination: every result goes into the
 * checksum, and the calls cross into a shared library the compiler cannot
 * see into.
 *
 * Two reference loops that do not call the library, for the sumOfEven(10M)
 * investigation (docs/bench.md): the same sum as a plain C loop, and an XOR
 * over the same bytes, which does as little work per byte as possible and so
 * measures how fast this machine reads the array.
 */
#include <stddef.h>
#include <stdint.h>

#include "ffi_deep_dive.h"

static uint32_t fold(uint64_t acc) { return (uint32_t)(acc ^ (acc >> 32)); }

uint32_t ffi_bench_add(uint64_t n) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint32_t)add_in_rust((int32_t)(i & 0xffff), 7);
  }
  return fold(acc);
}

/* concat_strings + free_rust_string: the allocating path. */
uint32_t ffi_bench_concat_free(uint64_t n, const char *first, const char *second) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    char *s = concat_strings(first, second);
    acc += s != NULL ? (unsigned char)s[0] : 0;
    free_rust_string(s);
  }
  return fold(acc);
}

/* concat_strings_into a caller buffer: the public API's algorithm. */
uint32_t ffi_bench_concat_into(uint64_t n, const char *first, const char *second) {
  uint64_t acc = 0;
  char buf[4096];
  size_t needed = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)concat_strings_into(first, second, buf, sizeof buf, &needed, NULL);
    acc += needed + (unsigned char)buf[0];
  }
  return fold(acc);
}

/* concat_strings_utf16_into a caller buffer of UTF-16 code units: the public
 * concatStrings' algorithm (JS strings are UTF-16). */
uint32_t ffi_bench_concat_utf16_into(uint64_t n, const uint16_t *first, size_t first_len,
                                     const uint16_t *second, size_t second_len) {
  uint64_t acc = 0;
  uint16_t buf[4096];
  size_t needed = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)concat_strings_utf16_into(first, first_len, second, second_len, buf,
                                               sizeof buf / sizeof buf[0], &needed, NULL);
    acc += needed + buf[0];
  }
  return fold(acc);
}

/* count_characters_utf16 on UTF-16 code units: the public countCharacters'
 * algorithm for a string. */
uint32_t ffi_bench_count_characters_utf16(uint64_t n, const uint16_t *text, size_t len) {
  uint64_t acc = 0;
  size_t out = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)count_characters_utf16(text, len, &out, NULL);
    acc += out;
  }
  return fold(acc);
}

/* count_characters on NUL-terminated UTF-8. */
uint32_t ffi_bench_count_characters(uint64_t n, const char *text) {
  uint64_t acc = 0;
  size_t out = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)count_characters(text, &out, NULL);
    acc += out;
  }
  return fold(acc);
}

uint32_t ffi_bench_point_translate(uint64_t n) {
  Point p = {1.0f, 2.0f};
  for (uint64_t i = 0; i < n; i++) {
    point_translate(&p, 1.0f, -1.0f);
  }
  return (uint32_t)p.x;
}

uint32_t ffi_bench_opaque_new_free(uint64_t n) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    OpaquePoint *p = opaque_point_new(1.0f, 2.0f);
    acc += p != NULL;
    opaque_point_free(p);
  }
  return fold(acc);
}

uint32_t ffi_bench_sum_of_even(uint64_t n, const uint32_t *data, size_t len) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += sum_of_even(data, len);
  }
  return fold(acc);
}

/* primes_up_to + u32_array_free. */
uint32_t ffi_bench_primes(uint64_t n, uint32_t limit) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    U32Array out = {NULL, 0, 0};
    acc += (uint64_t)primes_up_to(limit, &out, NULL);
    acc += out.len;
    u32_array_free(out);
  }
  return fold(acc);
}

/* ---- reference loops that do not call the library ---- */

/* The sum of the even values as a C programmer would write it; the compiler
 * vectorises it (-O3) with the same baseline SSE2 as the Rust build. */
static uint64_t c_sum_even(const uint32_t *data, size_t len) {
  uint64_t sum = 0;
  for (size_t i = 0; i < len; i++) {
    uint32_t v = data[i];
    sum += (v & 1) == 0 ? v : 0;
  }
  return sum;
}

uint32_t ffi_bench_c_sum_of_even(uint64_t n, const uint32_t *data, size_t len) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += c_sum_even(data, len);
  }
  return fold(acc);
}

/* Reads every element of `data[0..len]` once with as little work per element
 * as possible (an XOR into four independent lanes, vectorised): its time is
 * how long this machine needs to read the array from wherever it lives
 * (cache or DRAM), the floor for any function that reads it all. */
static uint32_t read_xor(const uint32_t *data, size_t len) {
  uint32_t a = 0, b = 0, c = 0, d = 0;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    a ^= data[i];
    b ^= data[i + 1];
    c ^= data[i + 2];
    d ^= data[i + 3];
  }
  for (; i < len; i++) {
    a ^= data[i];
  }
  return a ^ b ^ c ^ d;
}

uint32_t ffi_bench_read_xor(uint64_t n, const uint32_t *data, size_t len) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += read_xor(data, len);
  }
  return fold(acc);
}
