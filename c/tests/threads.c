/*
 * The header's thread-safety promises, checked from C (issue 22).
 *
 * Every function the header calls thread-safe runs on N threads at once
 * (each phase starts its threads together on a barrier), with inputs derived
 * from the thread and the iteration and results this program computes
 * itself, each compared exactly:
 *
 * - one error object per thread (failures record reasons that name the
 *   thread's own numbers), plus one object shared by every thread that only
 *   reads it (ffi_error_status/ffi_error_message: "thread-safe for objects
 *   no call is writing to");
 * - handles created on one thread and freed on another (OpaquePoint, error
 *   objects, strings, U32Arrays handed to the next thread on a barrier);
 * - thread-owned points and error objects: counted per thread, some freed
 *   explicitly, the rest left for the thread's exit, also by many
 *   short-lived threads, some of which end through pthread_exit();
 * - nested library calls from a count_where predicate, with the same error
 *   object as the outer call (the header allows it), and a nested
 *   count_where; now and then a nest COUNT_WHERE_MAX_DEPTH deep, whose next
 *   level is refused: the depth is counted per thread, so the threads
 *   nesting at the same time do not add up;
 * - after the joins, every *_live_count() is back at its start.
 *
 * Usage: test_threads [-t 2,8,32] [-i ITERATIONS] [-s SHORT_LIVED] [-r HANDOFF_ROUNDS]
 * (also FFI_THREADS_THREADS, FFI_THREADS_ITERATIONS, FFI_THREADS_SHORT_LIVED;
 * arguments win). Prints one summary line; exits 1 on any failed check.
 * Built plain, with ASan+UBSan, under valgrind, and with ThreadSanitizer
 * (library included) by `make test`; `make stress-c` runs it bigger.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ffi_deep_dive.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FFI_TEST_UNDER_TSAN 1
#endif
#endif
#if !defined(FFI_TEST_UNDER_TSAN) && defined(__SANITIZE_THREAD__)
#define FFI_TEST_UNDER_TSAN 1
#endif
#ifndef FFI_TEST_UNDER_TSAN
#define FFI_TEST_UNDER_TSAN 0
#endif

#define MAX_THREADS 256
#define MAX_PHASES 16
#define PRIME_TABLE_LIMIT 5000
#define HANDOFF_ITEMS 4
#define SHORT_WAVE 16

/* ---- What each thread counts (summed after the joins: no shared counter) ---- */

typedef struct {
    unsigned long long calls;  /* library calls made */
    unsigned long long checks; /* results compared */
    unsigned long long failed; /* comparisons that failed */
} Tally;

static int printed_failures; /* under print_lock */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void report_failure(const char *file, int line, const char *what, int thread) {
    pthread_mutex_lock(&print_lock);
    if (printed_failures++ < 20) fprintf(stderr, "%s:%d: thread %d: CHECK failed: %s\n", file, line, thread, what);
    pthread_mutex_unlock(&print_lock);
}

#define T_CHECK(t, cond)                                                      \
    do {                                                                      \
        (t)->tally.checks++;                                                  \
        if (!(cond)) {                                                        \
            (t)->tally.failed++;                                              \
            report_failure(__FILE__, __LINE__, #cond, (t)->id);               \
        }                                                                     \
    } while (0)
/* A library call, counted. */
#define CALL(t, expr) ((t)->tally.calls++, (expr))

/* ---- Inputs and expected results computed here ---- */

static uint32_t prime_table[PRIME_TABLE_LIMIT];
static size_t prime_count_table; /* primes <= PRIME_TABLE_LIMIT */

static void sieve(void) {
    static unsigned char composite[PRIME_TABLE_LIMIT + 1];
    for (uint32_t i = 2; i <= PRIME_TABLE_LIMIT; i++) {
        if (composite[i]) continue;
        prime_table[prime_count_table++] = i;
        for (uint32_t m = i * i; m <= PRIME_TABLE_LIMIT; m += i) composite[m] = 1;
    }
}

/* The number of primes <= limit (limit <= PRIME_TABLE_LIMIT). */
static size_t primes_below(uint32_t limit) {
    size_t n = 0;
    while (n < prime_count_table && prime_table[n] <= limit) n++;
    return n;
}

static uint32_t next_random(uint64_t *state) {
    /* xorshift64*: deterministic per thread. */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

/* Read-only after main() sets them up, before any thread starts. */
static const char *version_text;
static const char *status_texts[8];
static FfiError *shared_error; /* readers only */
static char shared_reason[128];

/* ---- One phase: N threads at once ---- */

typedef struct Thread Thread;

typedef struct {
    OpaquePoint *point;
    float x, y;
    FfiError *error;
    int error_addend; /* error holds the overflow of INT_MAX + error_addend */
    char *string;
    char expected_string[48];
    U32Array primes;
    uint32_t primes_limit;
} Handoff;

struct Thread {
    int id; /* unique across phases, for messages */
    int index, count;
    unsigned long iterations;
    int rounds;
    uint64_t rng;
    Tally tally;
    pthread_barrier_t *barrier;
    Handoff *slots; /* count * HANDOFF_ITEMS, shared by the phase */
    pthread_t handle;
};

/* What the count_where predicate checks: divisible by `divisor`, plus
   nested calls whose results it checks itself. */
typedef struct {
    Thread *t;
    uint32_t divisor;
    FfiError *error; /* the same object as the outer count_where's */
    int depth;
} Predicate;

static int small_even(uint32_t value, void *user_data) {
    (void)user_data;
    return value % 2 == 0 ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
}

/* A nest of count_where calls on one thread, one level per predicate call,
   until the library refuses the next level. */
typedef struct {
    Thread *t;
    unsigned level;
    unsigned refused_at; /* the level whose nested call was refused */
} DeepNest;

static int deep_nest(uint32_t value, void *user_data) {
    DeepNest *d = user_data;
    Thread *t = d->t;
    d->level++;
    FfiError *error = CALL(t, ffi_error_new());
    size_t out = 99;
    FfiStatus st = CALL(t, count_where(&value, 1, deep_nest, d, &out, error));
    if (st == FFI_STATUS_INVALID_ARGUMENT) {
        T_CHECK(t, d->refused_at == 0);
        d->refused_at = d->level;
        T_CHECK(t, out == 99);
        T_CHECK(t, strcmp(CALL(t, ffi_error_message(error)),
                          "count_where is nested 257 deep on this thread: at most COUNT_WHERE_MAX_DEPTH (256)") == 0);
    } else {
        T_CHECK(t, st == FFI_STATUS_OK && out == 1);
    }
    CALL(t, ffi_error_free(error));
    d->level--;
    return COUNT_WHERE_MATCH;
}

static int divisible_with_nested_calls(uint32_t value, void *user_data) {
    Predicate *p = user_data;
    Thread *t = p->t;
    /* The same error object as the outer call, for a failing nested call. */
    int out = 7;
    int addend = (int)(value % 1000) + 1;
    T_CHECK(t, CALL(t, add_in_rust_checked(INT_MAX, addend, &out, p->error)) == FFI_STATUS_OVERFLOW);
    T_CHECK(t, out == 7);
    char expect[128];
    snprintf(expect, sizeof expect, "2147483647 + %d = %lld does not fit in a 32-bit int: it is above INT32_MAX (2147483647)",
             addend, 2147483647LL + addend);
    T_CHECK(t, strcmp(CALL(t, ffi_error_message(p->error)), expect) == 0);
    char left[16];
    snprintf(left, sizeof left, "v%u", value);
    char *joined = CALL(t, concat_strings(left, "!"));
    T_CHECK(t, joined != NULL && strlen(joined) == strlen(left) + 1 && joined[strlen(left)] == '!');
    CALL(t, free_rust_string(joined));
    if (p->depth == 0 && value % 16 == 0) {
        /* A nested count_where, from inside the predicate. */
        uint32_t inner[6] = {value, value + 1, value + 2, value + 3, value + 4, value + 5};
        size_t even = 99;
        T_CHECK(t, CALL(t, count_where(inner, 6, small_even, NULL, &even, p->error)) == FFI_STATUS_OK);
        T_CHECK(t, even == 3);
    }
    if (p->depth == 0 && value % 1024 == 0) {
        /* This call is level 1: the nest adds levels 2 to 256, and 257 is refused. */
        DeepNest d = {t, 1, 0};
        size_t one = 0;
        T_CHECK(t, CALL(t, count_where(&value, 1, deep_nest, &d, &one, NULL)) == FFI_STATUS_OK && one == 1);
        T_CHECK(t, d.refused_at == COUNT_WHERE_MAX_DEPTH && d.level == 1);
    }
    return value % p->divisor == 0 ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
}

/* Each thread-safe export, once, with inputs from the thread's generator. */
static void one_iteration(Thread *t, FfiError *error, unsigned long iteration) {
    uint32_t r = next_random(&t->rng);
    int a = (int)(r % 20001) - 10000;
    int b = (int)(next_random(&t->rng) % 20001) - 10000;

    /* numbers */
    T_CHECK(t, CALL(t, add_in_rust(a, b)) == a + b);
    T_CHECK(t, CALL(t, add_in_rust(INT_MAX, a > 0 ? a : 1)) == (int)((unsigned)INT_MAX + (unsigned)(a > 0 ? a : 1)));
    int sum = 0;
    T_CHECK(t, CALL(t, add_in_rust_checked(a, b, &sum, error)) == FFI_STATUS_OK && sum == a + b);
    int addend = 1 + (int)(r % 100000);
    T_CHECK(t, CALL(t, add_in_rust_checked(INT_MAX, addend, &sum, error)) == FFI_STATUS_OVERFLOW);
    char expect[160];
    snprintf(expect, sizeof expect, "2147483647 + %d = %lld does not fit in a 32-bit int: it is above INT32_MAX (2147483647)",
             addend, 2147483647LL + addend);
    T_CHECK(t, CALL(t, ffi_error_status(error)) == FFI_STATUS_OVERFLOW);
    T_CHECK(t, strcmp(CALL(t, ffi_error_message(error)), expect) == 0);

    /* statuses, version, the shared error object (read by every thread) */
    int code = (int)(r % 8);
    T_CHECK(t, CALL(t, ffi_status_message(code)) == status_texts[code]);
    T_CHECK(t, CALL(t, ffi_deep_dive_version()) == version_text);
    T_CHECK(t, CALL(t, ffi_error_status(shared_error)) == FFI_STATUS_OVERFLOW);
    T_CHECK(t, strcmp(CALL(t, ffi_error_message(shared_error)), shared_reason) == 0);

    /* strings */
    char first[32], second[32], both[64];
    snprintf(first, sizeof first, "t%d-", t->id);
    snprintf(second, sizeof second, "i%lu", iteration);
    snprintf(both, sizeof both, "%s%s", first, second);
    char *s = CALL(t, concat_strings(first, second));
    T_CHECK(t, s != NULL && strcmp(s, both) == 0);
    CALL(t, free_rust_string(s));
    char buf[64];
    size_t needed = 0;
    T_CHECK(t, CALL(t, concat_strings_into(first, second, buf, sizeof buf, &needed, error)) == FFI_STATUS_OK);
    T_CHECK(t, strcmp(buf, both) == 0 && needed == strlen(both) + 1);
    T_CHECK(t, CALL(t, concat_strings_into(first, second, buf, 2, &needed, error)) == FFI_STATUS_BUFFER_TOO_SMALL);
    snprintf(expect, sizeof expect, "the result needs %zu bytes (NUL included) but buf_len is 2", strlen(both) + 1);
    T_CHECK(t, buf[0] == '\0' && strcmp(CALL(t, ffi_error_message(error)), expect) == 0);
    /* "é" (2 bytes) k times then "a" j times: k + j characters, 2k + j bytes. */
    size_t k = r % 7, j = (r >> 8) % 5;
    char text[32];
    size_t len = 0;
    for (size_t i = 0; i < k; i++) { text[len++] = (char)0xc3; text[len++] = (char)0xa9; }
    for (size_t i = 0; i < j; i++) text[len++] = 'a';
    text[len] = '\0';
    size_t chars = 99;
    T_CHECK(t, CALL(t, count_characters(text, &chars, error)) == FFI_STATUS_OK && chars == k + j);
    T_CHECK(t, CALL(t, count_characters_utf8(text, len, &chars, error)) == FFI_STATUS_OK && chars == k + j);
    text[0] = (char)0xff;
    if (len > 0) {
        T_CHECK(t, CALL(t, count_characters_utf8(text, len, &chars, error)) == FFI_STATUS_INVALID_UTF8);
        T_CHECK(t, strncmp(CALL(t, ffi_error_message(error)), "s is not valid UTF-8", 20) == 0);
    }
    /* UTF-16: k crabs (surrogate pairs) and j 'x': k + j characters. */
    uint16_t units[32];
    size_t ulen = 0;
    for (size_t i = 0; i < k; i++) { units[ulen++] = 0xd83e; units[ulen++] = 0xdd80; }
    for (size_t i = 0; i < j; i++) units[ulen++] = 'x';
    T_CHECK(t, CALL(t, count_characters_utf16(ulen ? units : NULL, ulen, &chars, error)) == FFI_STATUS_OK &&
                   chars == k + j);
    uint16_t joined[64];
    T_CHECK(t, CALL(t, concat_strings_utf16_into(units, ulen, units, ulen, joined, 64, &needed, error)) == FFI_STATUS_OK);
    T_CHECK(t, needed == 2 * ulen && memcmp(joined, units, ulen * 2) == 0 && memcmp(joined + ulen, units, ulen * 2) == 0);

    /* points by value and in place */
    float x = (float)a / 2, y = (float)b / 4;
    Point p = {x, y};
    CALL(t, point_translate(&p, 1.5f, -2.0f));
    T_CHECK(t, p.x == x + 1.5f && p.y == y - 2.0f);
    Point q = CALL(t, point_translated(p, -1.5f, 2.0f));
    T_CHECK(t, q.x == x && q.y == y);
    Point row[4] = {{0, 0}, {1, 1}, {x, y}, {-x, -y}};
    CALL(t, points_translate(row, 4, 1.0f, 2.0f));
    T_CHECK(t, row[0].x == 1 && row[0].y == 2 && row[1].x == 2 && row[1].y == 3 && row[2].x == x + 1 &&
                   row[2].y == y + 2 && row[3].x == -x + 1 && row[3].y == -y + 2);

    /* opaque points: ordinary and thread-owned */
    OpaquePoint *op = CALL(t, opaque_point_new(x, y));
    CALL(t, opaque_point_translate(op, 0.5f, 0.25f));
    Point got = CALL(t, opaque_point_get(op));
    T_CHECK(t, got.x == x + 0.5f && got.y == y + 0.25f);
    Point into = {0, 0};
    T_CHECK(t, CALL(t, opaque_point_get_into(op, &into)) && into.x == got.x && into.y == got.y);
    char *described = CALL(t, opaque_point_describe(op));
    char want[64];
    snprintf(want, sizeof want, "OpaquePoint(%g, %g)", (double)got.x, (double)got.y);
    T_CHECK(t, described != NULL && strcmp(described, want) == 0);
    CALL(t, free_rust_string(described));
    CALL(t, opaque_point_free(op));
    size_t owned = CALL(t, opaque_point_thread_owned_count());
    OpaquePoint *mine = CALL(t, opaque_point_new_thread_owned(x, -y));
    T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == owned + 1);
    got = CALL(t, opaque_point_get(mine));
    T_CHECK(t, got.x == x && got.y == -y);
    T_CHECK(t, CALL(t, opaque_point_get_into(mine, &into)) && into.x == x && into.y == -y);
    if (iteration % 4 != 3) {
        CALL(t, opaque_point_free(mine)); /* the rest are left for the thread's exit */
        T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == owned);
    }
    FfiError *owned_error = CALL(t, ffi_error_new_thread_owned());
    T_CHECK(t, CALL(t, parse_number("x", &(Either){0}, owned_error)) == FFI_STATUS_INVALID_ARGUMENT);
    T_CHECK(t, strcmp(CALL(t, ffi_error_message(owned_error)), "\"x\" is not a number: unexpected 'x' at byte 0") == 0);
    if (iteration % 4 != 1) CALL(t, ffi_error_free(owned_error));

    /* tagged unions */
    double w = (double)(r % 1000), h = (double)(r % 777);
    Shape shape;
    memset(&shape, 0, sizeof shape);
    shape.RECTANGLE.tag = SHAPE_RECTANGLE;
    shape.RECTANGLE.width = w;
    shape.RECTANGLE.height = h;
    double area = -1;
    T_CHECK(t, CALL(t, shape_area(&shape, &area, error)) == FFI_STATUS_OK && area == w * h);
    T_CHECK(t, CALL(t, shape_scale(&shape, 2.0, error)) == FFI_STATUS_OK);
    T_CHECK(t, shape.RECTANGLE.tag == SHAPE_RECTANGLE && shape.RECTANGLE.width == 2 * w && shape.RECTANGLE.height == 2 * h);
    Shape c;
    memset(&c, 0, sizeof c);
    c.CIRCLE.tag = SHAPE_CIRCLE;
    c.CIRCLE.radius = w;
    T_CHECK(t, CALL(t, shape_area(&c, &area, error)) == FFI_STATUS_OK && area == 3.14159265358979323846 * w * w);
    c.CIRCLE.radius = -w - 1;
    T_CHECK(t, CALL(t, shape_area(&c, &area, error)) == FFI_STATUS_INVALID_ARGUMENT);
    snprintf(expect, sizeof expect, "radius is %.0f: a dimension must be finite and >= 0", -w - 1);
    T_CHECK(t, strcmp(CALL(t, ffi_error_message(error)), expect) == 0);
    Tuple tu = CALL(t, flip_things((Tuple){r, ~r}));
    T_CHECK(t, tu._0 == ~r && tu._1 == r);
    T_CHECK(t, CALL(t, flip_things_into(&tu, &tu)) && tu._0 == r && tu._1 == ~r);
    IntOrFloat u = CALL(t, int_or_float_from_float(x));
    int32_t bits;
    memcpy(&bits, &x, sizeof bits);
    T_CHECK(t, u.as_int == bits);
    T_CHECK(t, CALL(t, int_or_float_as_int(u)) == bits);
    T_CHECK(t, CALL(t, int_or_float_as_float(u)) == x);
    char number[24];
    snprintf(number, sizeof number, "%d", a);
    Either parsed = {99, {0}};
    T_CHECK(t, CALL(t, parse_number(number, &parsed, error)) == FFI_STATUS_OK && parsed.tag == EITHER_LEFT &&
                   parsed.value.left == a);
    snprintf(number, sizeof number, "%d.5", b);
    T_CHECK(t, CALL(t, parse_number(number, &parsed, error)) == FFI_STATUS_OK && parsed.tag == EITHER_RIGHT &&
                   parsed.value.right == (float)b + (b < 0 ? -0.5f : 0.5f));

    /* slices */
    uint32_t values[40];
    size_t n = 1 + r % 40;
    uint64_t even_sum = 0;
    size_t divisible = 0;
    uint32_t divisor = 2 + r % 5;
    for (size_t i = 0; i < n; i++) {
        values[i] = next_random(&t->rng) % 100000 + 1;
        if (values[i] % 2 == 0) even_sum += values[i];
        if (values[i] % divisor == 0) divisible++;
    }
    T_CHECK(t, CALL(t, sum_of_even(values, n)) == even_sum);
    Predicate pred = {t, divisor, error, 0};
    size_t counted = 0;
    T_CHECK(t, CALL(t, count_where(values, n, divisible_with_nested_calls, &pred, &counted, error)) == FFI_STATUS_OK);
    T_CHECK(t, counted == divisible);
    uint32_t limit = r % PRIME_TABLE_LIMIT;
    U32Array primes = {NULL, 7, 7};
    T_CHECK(t, CALL(t, primes_up_to(limit, &primes, error)) == FFI_STATUS_OK);
    size_t expected_primes = primes_below(limit);
    T_CHECK(t, primes.len == expected_primes &&
                   (expected_primes == 0 || memcmp(primes.data, prime_table, expected_primes * sizeof(uint32_t)) == 0));
    size_t written = 0;
    T_CHECK(t, CALL(t, primes_up_to_into(limit, NULL, 0, &written, error)) ==
                   (limit < 2 ? FFI_STATUS_OK : FFI_STATUS_BUFFER_TOO_SMALL));
    uint32_t sieved[1024];
    if (written <= 1024) {
        T_CHECK(t, CALL(t, primes_up_to_into(limit, sieved, written, &written, error)) == FFI_STATUS_OK);
        T_CHECK(t, written == expected_primes &&
                       (expected_primes == 0 || memcmp(sieved, prime_table, expected_primes * sizeof(uint32_t)) == 0));
    } else {
        T_CHECK(t, written <= 1024); /* the capacity for limits below PRIME_TABLE_LIMIT fits */
    }
    if (iteration % 2 == 0) {
        CALL(t, u32_array_free(primes));
    } else {
        uint32_t *dest = malloc((expected_primes + 1) * sizeof *dest); /* uninitialised */
        T_CHECK(t, dest != NULL);
        if (dest != NULL) {
            T_CHECK(t, CALL(t, u32_array_move_into(&primes, dest, expected_primes + 1, error)) == FFI_STATUS_OK);
            T_CHECK(t, primes.data == NULL && primes.len == 0 &&
                           (expected_primes == 0 || memcmp(dest, prime_table, expected_primes * sizeof *dest) == 0));
            free(dest);
        } else {
            u32_array_free(primes);
        }
    }

    /* async jobs, run synchronously on this thread */
    uint32_t arena[64 + 200];
    for (size_t i = 0; i < 64; i++) arena[i] = values[i % n] + (uint32_t)i;
    uint64_t arena_even = 0;
    for (size_t i = 0; i < 64; i++) if (arena[i] % 2 == 0) arena_even += arena[i];
    uint32_t job_limit = r % 1000;
    size_t capacity = CALL(t, async_job_primes_capacity(job_limit));
    T_CHECK(t, capacity >= primes_below(job_limit) && capacity <= 200);
    AsyncJob jobs[2];
    memset(jobs, 0, sizeof jobs);
    jobs[0].kind = ASYNC_JOB_SUM_OF_EVEN;
    jobs[0].input_offset = 0;
    jobs[0].input_len = 64;
    jobs[1].kind = ASYNC_JOB_PRIMES_UP_TO;
    jobs[1].limit = job_limit;
    jobs[1].output_offset = 64;
    jobs[1].output_capacity = capacity;
    T_CHECK(t, CALL(t, async_jobs_run(jobs, 2, arena, 64 + 200, error)) == FFI_STATUS_OK);
    T_CHECK(t, jobs[0].status == FFI_STATUS_OK && jobs[0].result == arena_even);
    size_t job_primes = primes_below(job_limit);
    T_CHECK(t, jobs[1].status == FFI_STATUS_OK && jobs[1].result == job_primes &&
                   (job_primes == 0 || memcmp(arena + 64, prime_table, job_primes * sizeof(uint32_t)) == 0));

    /* the same jobs in an AsyncBatch of this thread's, filled and read by copies, run on this thread */
    AsyncBatch *batch = CALL(t, async_batch_new(2, 64 + 200));
    T_CHECK(t, batch != NULL);
    if (batch != NULL) {
        AsyncJob back[2];
        uint32_t out[200];
        memset(back, 0, sizeof back);
        jobs[0].status = jobs[1].status = -1;
        jobs[0].result = jobs[1].result = 0;
        T_CHECK(t, CALL(t, async_batch_write_arena(batch, 0, arena, 64)) == FFI_STATUS_OK);
        T_CHECK(t, CALL(t, async_batch_write_jobs(batch, 0, jobs, 2)) == FFI_STATUS_OK);
        T_CHECK(t, CALL(t, async_batch_write_jobs(batch, 1, jobs, 2)) == FFI_STATUS_INVALID_ARGUMENT);
        AsyncBatchRun *run = CALL(t, async_batch_start(batch, 2, error));
        T_CHECK(t, run != NULL);
        T_CHECK(t, CALL(t, async_batch_read_jobs(batch, 0, back, 2)) == FFI_STATUS_INVALID_ARGUMENT);
        T_CHECK(t, CALL(t, async_batch_run(run)) == FFI_STATUS_OK);
        T_CHECK(t, CALL(t, async_batch_read_jobs(batch, 0, back, 2)) == FFI_STATUS_OK);
        T_CHECK(t, back[0].status == FFI_STATUS_OK && back[0].result == arena_even);
        T_CHECK(t, back[1].status == FFI_STATUS_OK && back[1].result == job_primes);
        T_CHECK(t, CALL(t, async_batch_read_arena(batch, 64, out, job_primes)) == FFI_STATUS_OK);
        T_CHECK(t, job_primes == 0 || memcmp(out, prime_table, job_primes * sizeof(uint32_t)) == 0);
        /* a start handed back unrun, then the same jobs on the library's background threads, polled.
           Not under ThreadSanitizer: the background queue uses std's Mutex and Condvar, and this toolchain
           cannot rebuild std instrumented (no rust-src), so TSan would see their lock edges as races. */
        CALL(t, async_batch_run_cancel(CALL(t, async_batch_start(batch, 2, NULL))));
        T_CHECK(t, !CALL(t, async_batch_is_running(batch)));
#if !FFI_TEST_UNDER_TSAN
        memset(back, 0, sizeof back);
        T_CHECK(t, CALL(t, async_batch_write_jobs(batch, 0, jobs, 2)) == FFI_STATUS_OK);
        T_CHECK(t, CALL(t, async_batch_run_in_background(batch, 2, error)) == FFI_STATUS_OK);
        time_t until = time(NULL) + 60;
        while (CALL(t, async_batch_is_running(batch)) && time(NULL) < until) sched_yield();
        T_CHECK(t, CALL(t, async_batch_read_jobs(batch, 0, back, 2)) == FFI_STATUS_OK);
        T_CHECK(t, back[0].status == FFI_STATUS_OK && back[0].result == arena_even);
        T_CHECK(t, back[1].status == FFI_STATUS_OK && back[1].result == job_primes);
#endif
        CALL(t, async_batch_free(batch));
        T_CHECK(t, CALL(t, async_batch_read_arena(batch, 0, out, 1)) == FFI_STATUS_NULL_ARGUMENT);
    }

    /* error objects made and freed here */
    FfiError *fresh = CALL(t, ffi_error_new());
    T_CHECK(t, fresh != NULL && CALL(t, ffi_error_status(fresh)) == FFI_STATUS_OK &&
                   strcmp(CALL(t, ffi_error_message(fresh)), "") == 0);
    CALL(t, ffi_error_free(fresh));
}

/* Fills this thread's handoff slots with handles for the next thread. */
static void hand_off(Thread *t, Handoff *out, int round) {
    for (int i = 0; i < HANDOFF_ITEMS; i++) {
        Handoff *h = &out[i];
        h->x = (float)(t->index * 100 + i);
        h->y = (float)(round * 10 + i) / 2;
        h->point = CALL(t, opaque_point_new(h->x, h->y));
        h->error = CALL(t, ffi_error_new());
        h->error_addend = t->index * 10 + i + 1;
        int unused = 0;
        CALL(t, add_in_rust_checked(INT_MAX, h->error_addend, &unused, h->error));
        snprintf(h->expected_string, sizeof h->expected_string, "from %d round %d item %d", t->index, round, i);
        h->string = CALL(t, concat_strings("from ", h->expected_string + 5));
        h->primes_limit = (uint32_t)(t->index * 37 + round * 11 + i) % PRIME_TABLE_LIMIT;
        T_CHECK(t, CALL(t, primes_up_to(h->primes_limit, &h->primes, NULL)) == FFI_STATUS_OK);
    }
}

/* Checks and frees what the previous thread handed over. */
static void take_over(Thread *t, Handoff *in) {
    for (int i = 0; i < HANDOFF_ITEMS; i++) {
        Handoff *h = &in[i];
        Point got = CALL(t, opaque_point_get(h->point));
        T_CHECK(t, got.x == h->x && got.y == h->y);
        CALL(t, opaque_point_free(h->point));
        char expect[128];
        snprintf(expect, sizeof expect, "2147483647 + %d = %lld does not fit in a 32-bit int: it is above INT32_MAX (2147483647)",
                 h->error_addend, 2147483647LL + h->error_addend);
        T_CHECK(t, CALL(t, ffi_error_status(h->error)) == FFI_STATUS_OVERFLOW &&
                       strcmp(CALL(t, ffi_error_message(h->error)), expect) == 0);
        CALL(t, ffi_error_free(h->error));
        T_CHECK(t, h->string != NULL && strcmp(h->string, h->expected_string) == 0);
        CALL(t, free_rust_string(h->string));
        size_t want = primes_below(h->primes_limit);
        T_CHECK(t, h->primes.len == want &&
                       (want == 0 || memcmp(h->primes.data, prime_table, want * sizeof(uint32_t)) == 0));
        CALL(t, u32_array_free(h->primes));
        memset(h, 0, sizeof *h);
    }
}

static void *phase_thread(void *arg) {
    Thread *t = arg;
    FfiError *error = ffi_error_new(); /* this thread's own */
    t->tally.calls++;
    T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == 0);
    pthread_barrier_wait(t->barrier); /* everyone starts together */
    unsigned long per_round = t->iterations / (unsigned long)t->rounds + 1;
    unsigned long done = 0;
    for (int round = 0; round < t->rounds; round++) {
        for (unsigned long i = 0; i < per_round && done < t->iterations; i++, done++) one_iteration(t, error, done);
        hand_off(t, &t->slots[t->index * HANDOFF_ITEMS], round);
        pthread_barrier_wait(t->barrier);
        int from = (t->index + t->count - 1) % t->count;
        take_over(t, &t->slots[from * HANDOFF_ITEMS]);
        pthread_barrier_wait(t->barrier);
    }
    CALL(t, ffi_error_free(error));
    /* Thread-owned points and errors left over (iterations 3 mod 4 and 1 mod 4)
       are freed when this thread exits. */
    size_t left = CALL(t, opaque_point_thread_owned_count());
    T_CHECK(t, left == (size_t)(done / 4));
    return NULL;
}

/* ---- Short-lived threads that leave thread-owned objects behind ---- */

typedef struct {
    int id;
    Tally tally;
} ShortLived;

static void leave_and_exit(ShortLived *s) {
    Thread view = {0};
    view.id = s->id;
    Thread *t = &view;
    int k = 1 + s->id % 3;
    T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == 0);
    OpaquePoint *kept = NULL;
    for (int i = 0; i < k; i++) kept = CALL(t, opaque_point_new_thread_owned((float)s->id, (float)i));
    T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == (size_t)k);
    Point got = CALL(t, opaque_point_get(kept));
    T_CHECK(t, got.x == (float)s->id && got.y == (float)(k - 1));
    FfiError *e = CALL(t, ffi_error_new_thread_owned());
    int out = 0;
    T_CHECK(t, CALL(t, add_in_rust_checked(INT_MAX, 1, &out, e)) == FFI_STATUS_OVERFLOW);
    if (s->id % 4 == 0) {
        CALL(t, opaque_point_free(kept)); /* one freed explicitly, the rest left */
        T_CHECK(t, CALL(t, opaque_point_thread_owned_count()) == (size_t)(k - 1));
    }
    s->tally = view.tally;
    if (s->id % 2 == 1) pthread_exit(NULL); /* from a nested frame */
}

static void *short_lived_thread(void *arg) {
    leave_and_exit(arg);
    return NULL;
}

/* ---- main ---- */

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void add_tally(Tally *sum, const Tally *t) {
    sum->calls += t->calls;
    sum->checks += t->checks;
    sum->failed += t->failed;
}

static unsigned long parse_count(const char *text, const char *what) {
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (end == text || *end != '\0') {
        fprintf(stderr, "test_threads: %s must be a number, not '%s'\n", what, text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    const char *threads_arg = getenv("FFI_THREADS_THREADS");
    const char *iter_env = getenv("FFI_THREADS_ITERATIONS");
    const char *short_env = getenv("FFI_THREADS_SHORT_LIVED");
    unsigned long iterations = iter_env ? parse_count(iter_env, "FFI_THREADS_ITERATIONS") : 300;
    unsigned long short_lived = short_env ? parse_count(short_env, "FFI_THREADS_SHORT_LIVED") : 2000;
    int rounds = 4;
    if (threads_arg == NULL) threads_arg = "2,8,32";
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "-t") == 0) threads_arg = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "-i") == 0) iterations = parse_count(argv[++i], "-i");
        else if (i + 1 < argc && strcmp(argv[i], "-s") == 0) short_lived = parse_count(argv[++i], "-s");
        else if (i + 1 < argc && strcmp(argv[i], "-r") == 0) rounds = (int)parse_count(argv[++i], "-r");
        else {
            fprintf(stderr, "usage: %s [-t 2,8,32] [-i ITERATIONS] [-s SHORT_LIVED] [-r HANDOFF_ROUNDS]\n", argv[0]);
            return 2;
        }
    }
    if (rounds < 1) rounds = 1;
    int phases[MAX_PHASES], phase_count = 0;
    for (const char *p = threads_arg; *p != '\0' && phase_count < MAX_PHASES;) {
        char *end = NULL;
        long n = strtol(p, &end, 10);
        if (end == p || n < 1 || n > MAX_THREADS) {
            fprintf(stderr, "test_threads: thread counts are 1..%d separated by commas, not '%s'\n", MAX_THREADS, threads_arg);
            return 2;
        }
        phases[phase_count++] = (int)n;
        p = *end == ',' ? end + 1 : end;
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    sieve();
    size_t strings0 = rust_string_live_count(), points0 = opaque_point_live_count();
    size_t arrays0 = u32_array_live_count(), errors0 = ffi_error_live_count();
    version_text = ffi_deep_dive_version();
    for (int i = 0; i < 8; i++) status_texts[i] = ffi_status_message(i);
    shared_error = ffi_error_new();
    int unused = 0;
    add_in_rust_checked(INT_MAX, 42, &unused, shared_error);
    snprintf(shared_reason, sizeof shared_reason, "%s", ffi_error_message(shared_error));
    if (strcmp(shared_reason,
               "2147483647 + 42 = 2147483689 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)") != 0) {
        fprintf(stderr, "test_threads: unexpected reason '%s'\n", shared_reason);
        return 1;
    }

    Tally total = {0, 0, 0};
    int thread_total = 0, next_id = 0;
    for (int ph = 0; ph < phase_count; ph++) {
        int n = phases[ph];
        Thread *threads = calloc((size_t)n, sizeof *threads);
        Handoff *slots = calloc((size_t)n * HANDOFF_ITEMS, sizeof *slots);
        pthread_barrier_t barrier;
        if (threads == NULL || slots == NULL || pthread_barrier_init(&barrier, NULL, (unsigned)n) != 0) {
            fprintf(stderr, "test_threads: out of memory\n");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            int id = next_id++;
            threads[i] = (Thread){.id = id, .index = i, .count = n, .iterations = iterations, .rounds = rounds,
                                  .rng = 0x9E3779B97F4A7C15ULL * (uint64_t)(id + 2), .barrier = &barrier,
                                  .slots = slots};
            if (pthread_create(&threads[i].handle, NULL, phase_thread, &threads[i]) != 0) {
                fprintf(stderr, "test_threads: pthread_create failed at thread %d of %d\n", i, n);
                return 1;
            }
        }
        for (int i = 0; i < n; i++) {
            pthread_join(threads[i].handle, NULL);
            add_tally(&total, &threads[i].tally);
        }
        thread_total += n;
        pthread_barrier_destroy(&barrier);
        free(slots);
        free(threads);
    }

    ShortLived *shorts = calloc(short_lived ? short_lived : 1, sizeof *shorts);
    if (shorts == NULL) return 1;
    for (unsigned long first = 0; first < short_lived; first += SHORT_WAVE) {
        pthread_t wave[SHORT_WAVE];
        unsigned long count = short_lived - first < SHORT_WAVE ? short_lived - first : SHORT_WAVE;
        for (unsigned long i = 0; i < count; i++) {
            shorts[first + i].id = (int)(first + i);
            if (pthread_create(&wave[i], NULL, short_lived_thread, &shorts[first + i]) != 0) {
                fprintf(stderr, "test_threads: pthread_create failed for short-lived thread %lu\n", first + i);
                return 1;
            }
        }
        for (unsigned long i = 0; i < count; i++) pthread_join(wave[i], NULL);
    }
    for (unsigned long i = 0; i < short_lived; i++) add_tally(&total, &shorts[i].tally);
    free(shorts);

    ffi_error_free(shared_error);
    /* Every count back at its start: nothing leaked, nothing freed twice. */
    struct {
        const char *name;
        size_t now, before;
    } counts[] = {
        {"rust_string_live_count", rust_string_live_count(), strings0},
        {"opaque_point_live_count", opaque_point_live_count(), points0},
        {"u32_array_live_count", u32_array_live_count(), arrays0},
        {"ffi_error_live_count", ffi_error_live_count(), errors0},
        {"opaque_point_thread_owned_count (main thread)", opaque_point_thread_owned_count(), 0},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        total.checks++;
        if (counts[i].now != counts[i].before) {
            total.failed++;
            fprintf(stderr, "test_threads: %s is %zu after the joins, %zu before\n", counts[i].name, counts[i].now,
                    counts[i].before);
        }
    }
    printf("threads: phases of %s threads (%d in all, %lu iterations each) + %lu short-lived: "
           "%llu library calls, %llu checks, %llu failed, %.2f s\n",
           threads_arg, thread_total, iterations, short_lived, total.calls, total.checks, total.failed,
           seconds_since(&start));
    return total.failed == 0 ? 0 : 1;
}
