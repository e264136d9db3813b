/*
 * The native floor: the library's functions timed from C, with no JS engine
 * in between. `make bench` runs it and puts its figures next to the Node
 * ones (scripts/bench.js).
 *
 *   build/bench_c [--quick] [--lengths N,N,...]
 *
 * Prints one JSON object on stdout: for each case the time per call in
 * nanoseconds of every measured round (after a warm-up), and for each sweep
 * the time per call at each array/string length.
 *
 * Every function is called directly, with the types of ffi_deep_dive.h.
 *
 * Dead-code elimination: every result goes into a volatile sink, and the
 * calls cross into a shared library the compiler cannot see into.
 */
/* clock_gettime and CLOCK_MONOTONIC are POSIX, not ISO C. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ffi_deep_dive.h"

static volatile uint64_t sink;

static int quick;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- one function per case: run `n` calls, return something to sink ---- */

typedef uint64_t (*case_fn)(uint64_t n, const void *input);

static uint64_t run_add(uint64_t n, const void *input) {
  (void)input;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint32_t)add_in_rust((int)(i & 0xffff), 7);
  }
  return acc;
}

static const char *FIRST = "Hello, ";
static const char *SECOND = "Rustacean!";
static const char *COUNT_TEXT = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\xa6\x80";

static uint64_t run_concat_free(uint64_t n, const void *input) {
  (void)input;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    char *s = concat_strings(FIRST, SECOND);
    acc += (unsigned char)s[0];
    free_rust_string(s);
  }
  return acc;
}

static uint64_t run_concat_into(uint64_t n, const void *input) {
  (void)input;
  uint64_t acc = 0;
  char buf[4096];
  size_t needed = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)concat_strings_into(FIRST, SECOND, buf, sizeof buf, &needed, NULL);
    acc += needed + (unsigned char)buf[0];
  }
  return acc;
}

static uint64_t run_count(uint64_t n, const void *input) {
  const char *text = input != NULL ? (const char *)input : COUNT_TEXT;
  uint64_t acc = 0;
  size_t out = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += (uint64_t)count_characters(text, &out, NULL);
    acc += out;
  }
  return acc;
}

typedef struct SliceInput {
  const uint32_t *data;
  size_t len;
} SliceInput;

static uint64_t run_sum_of_even(uint64_t n, const void *input) {
  const SliceInput *in = (const SliceInput *)input;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    acc += sum_of_even(in->data, in->len);
  }
  return acc;
}

static uint64_t run_primes(uint64_t n, const void *input) {
  uint32_t limit = *(const uint32_t *)input;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    U32Array out = {NULL, 0, 0};
    acc += (uint64_t)primes_up_to(limit, &out, NULL);
    acc += out.len;
    u32_array_free(out);
  }
  return acc;
}

static uint64_t run_point_translate(uint64_t n, const void *input) {
  (void)input;
  Point p = {1.0f, 2.0f};
  for (uint64_t i = 0; i < n; i++) {
    point_translate(&p, 1.0f, -1.0f);
  }
  return (uint64_t)p.x;
}

static uint64_t run_opaque_new_free(uint64_t n, const void *input) {
  (void)input;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < n; i++) {
    OpaquePoint *p = opaque_point_new(1.0f, 2.0f);
    acc += p != NULL;
    opaque_point_free(p);
  }
  return acc;
}

/* ---- timing ---- */

#define MAX_ROUNDS 32

/* Warm up, find a batch size that takes about `batch_ms`, then time `rounds`
 * batches. Prints `"name": [ns per call, ...]`. */
static void measure(const char *name, case_fn fn, const void *input, int *first) {
  double batch_ns = (quick ? 2.0 : 5.0) * 1e6;
  int rounds = quick ? 7 : 21;
  uint64_t n = 1;
  double t = 0;
  for (;;) {
    double t0 = now_ns();
    sink += fn(n, input);
    t = now_ns() - t0;
    if (t >= batch_ns / 4 || n >= (UINT64_C(1) << 40)) {
      break;
    }
    n *= 2;
  }
  if (t > 0 && t < batch_ns) {
    double scaled = (double)n * batch_ns / t;
    n = scaled < 1 ? 1 : (uint64_t)scaled;
  }
  sink += fn(n, input); /* warm-up at full size */
  printf("%s\n    \"%s\": [", *first ? "" : ",", name);
  *first = 0;
  for (int r = 0; r < rounds && r < MAX_ROUNDS; r++) {
    double t0 = now_ns();
    sink += fn(n, input);
    double per_call = (now_ns() - t0) / (double)n;
    printf("%s%.3f", r == 0 ? "" : ", ", per_call);
  }
  printf("]");
  fflush(stdout);
}

/* The same pattern of code points the JS sweep uses (scripts/bench/inputs.js). */
static const char *const PATTERN[] = {"h", "\xc3\xa9", "l", "l", "o", " ", "w", "\xc3\xb6",
                                      "r", "l", "d", " ", "\xf0\x9f\xa6\x80", " "};
#define PATTERN_LEN (sizeof PATTERN / sizeof PATTERN[0])

static char *make_text(size_t code_points) {
  char *s = malloc(code_points * 4 + 1);
  if (s == NULL) {
    return NULL;
  }
  size_t at = 0;
  for (size_t i = 0; i < code_points; i++) {
    const char *cp = PATTERN[i % PATTERN_LEN];
    size_t len = strlen(cp);
    memcpy(s + at, cp, len);
    at += len;
  }
  s[at] = '\0';
  return s;
}

/* Deterministic pseudo-random values below 2^24 (xorshift32, masked), like
 * the JS inputs: 10^7 of them sum to less than 2^53, so sumOfEven's result
 * stays an exact JS number. */
static uint32_t *make_u32(size_t len) {
  uint32_t *v = malloc((len > 0 ? len : 1) * sizeof *v);
  if (v == NULL) {
    return NULL;
  }
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v[i] = x & 0xffffffu;
  }
  return v;
}

static size_t parse_lengths(const char *arg, size_t *out, size_t max) {
  size_t count = 0;
  while (*arg != '\0' && count < max) {
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (end == arg) {
      break;
    }
    out[count++] = (size_t)v;
    arg = *end == ',' ? end + 1 : end;
  }
  return count;
}

int main(int argc, char **argv) {
  size_t lengths[64];
  size_t n_lengths = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) {
      quick = 1;
    } else if (strcmp(argv[i], "--lengths") == 0 && i + 1 < argc) {
      n_lengths = parse_lengths(argv[++i], lengths, 64);
    } else {
      fprintf(stderr, "usage: %s [--quick] [--lengths N,N,...]\n", argv[0]);
      return 2;
    }
  }
  if (n_lengths == 0) {
    static const size_t defaults[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    n_lengths = sizeof defaults / sizeof defaults[0];
    memcpy(lengths, defaults, sizeof defaults);
  }

  int first = 1;
  printf("{\n  \"quick\": %s,\n  \"cases\": {", quick ? "true" : "false");
  measure("add_in_rust", run_add, NULL, &first);
  measure("concat_strings+free_rust_string", run_concat_free, NULL, &first);
  measure("concat_strings_into", run_concat_into, NULL, &first);
  measure("count_characters", run_count, NULL, &first);
  measure("point_translate", run_point_translate, NULL, &first);
  measure("opaque_point_new+opaque_point_free", run_opaque_new_free, NULL, &first);
  SliceInput big = {make_u32(10000000), 10000000};
  if (big.data != NULL) {
    measure("sum_of_even(10M)", run_sum_of_even, &big, &first);
  }
  free((void *)big.data);
  uint32_t limit = 10000000;
  measure("primes_up_to(10M)+u32_array_free", run_primes, &limit, &first);
  printf("\n  },\n  \"sweeps\": {");

  first = 1;
  printf("\n    \"count_characters\": {");
  for (size_t i = 0; i < n_lengths; i++) {
    char *text = make_text(lengths[i]);
    if (text == NULL) {
      continue;
    }
    char name[32];
    snprintf(name, sizeof name, "%zu", lengths[i]);
    measure(name, run_count, text, &first);
    free(text);
  }
  printf("\n    }");
  first = 1;
  printf(",\n    \"sum_of_even\": {");
  for (size_t i = 0; i < n_lengths; i++) {
    SliceInput in = {make_u32(lengths[i]), lengths[i]};
    if (in.data == NULL) {
      continue;
    }
    char name[32];
    snprintf(name, sizeof name, "%zu", lengths[i]);
    measure(name, run_sum_of_even, &in, &first);
    free((void *)in.data);
  }
  printf("\n    }");
  printf("\n  },\n  \"sink\": %llu\n}\n", (unsigned long long)(sink & 1));
  return 0;
}
