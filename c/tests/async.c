/* Async: a table of slices jobs over one caller-owned arena, run in one call. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static AsyncJob sum_job(uint64_t offset, uint64_t len) {
    AsyncJob job = {0};
    job.kind = ASYNC_JOB_SUM_OF_EVEN;
    job.input_offset = offset;
    job.input_len = len;
    return job;
}

static AsyncJob primes_job(uint32_t limit, uint64_t offset, uint64_t capacity) {
    AsyncJob job = {0};
    job.kind = ASYNC_JOB_PRIMES_UP_TO;
    job.limit = limit;
    job.output_offset = offset;
    job.output_capacity = capacity;
    return job;
}

/* A mixed table gives what the one-call functions give, and allocates nothing. */
static void test_mixed_table(void) {
    size_t live = u32_array_live_count();
    size_t cap = async_job_primes_capacity(10000);
    CHECK(cap >= 1229);
    size_t arena_len = 1000 + cap;
    uint32_t *arena = calloc(arena_len, sizeof *arena);
    CHECK(arena != NULL);
    if (arena == NULL) return;
    for (uint32_t i = 0; i < 1000; i++) arena[i] = i * 2654435761u;

    AsyncJob jobs[3] = {sum_job(0, 1000), primes_job(10000, 1000, cap), sum_job(10, 5)};
    CHECK_STATUS(async_jobs_run(jobs, 3, arena, arena_len, NULL), FFI_STATUS_OK);
    CHECK(jobs[0].status == FFI_STATUS_OK && jobs[0].result == sum_of_even(arena, 1000));
    CHECK(jobs[2].status == FFI_STATUS_OK && jobs[2].result == sum_of_even(arena + 10, 5));
    CHECK(jobs[1].status == FFI_STATUS_OK && jobs[1].result == 1229);

    U32Array primes = {NULL, 0, 0};
    CHECK_STATUS(primes_up_to(10000, &primes, NULL), FFI_STATUS_OK);
    CHECK(primes.len == jobs[1].result &&
          memcmp(primes.data, arena + 1000, primes.len * sizeof *primes.data) == 0);
    u32_array_free(primes);
    CHECK(u32_array_live_count() == live);
    free(arena);
}

/* Each failed job fails alone, with its own status; the call returns the first. */
static void test_failures(void) {
    uint32_t arena[16] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    AsyncJob unknown = {0};
    unknown.kind = 99;
    AsyncJob jobs[6] = {
        sum_job(10, 7),                                /* past the end of the arena */
        unknown,                                       /* no such kind */
        primes_job(100, 0, 16),                        /* needs async_job_primes_capacity(100), 28 */
        primes_job(PRIMES_UP_TO_MAX_LIMIT + 1u, 0, 16), /* above the cap */
        sum_job(UINT64_MAX, 2),                        /* offset + length overflows */
        sum_job(0, 16),                                /* fine */
    };
    CHECK_STATUS(async_jobs_run(jobs, 6, arena, 16, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(jobs[0].status == FFI_STATUS_INVALID_ARGUMENT);
    CHECK(jobs[1].status == FFI_STATUS_INVALID_ARGUMENT);
    CHECK(jobs[2].status == FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(jobs[3].status == FFI_STATUS_INVALID_ARGUMENT);
    CHECK(jobs[4].status == FFI_STATUS_INVALID_ARGUMENT);
    CHECK(jobs[5].status == FFI_STATUS_OK && jobs[5].result == 32);
    for (int i = 0; i < 5; i++) CHECK(jobs[i].result == 0);
    for (int i = 0; i < 16; i++) CHECK(arena[i] == 2); /* a refused primes job writes nothing */
    CHECK(async_job_primes_capacity(100) == 28); /* 25 primes; the bound is 1.25506 n / ln n, + 1 */
}

static void test_null_and_empty(void) {
    AsyncJob job = sum_job(0, 0);
    CHECK_STATUS(async_jobs_run(NULL, 0, NULL, 0, NULL), FFI_STATUS_OK); /* an empty table */
    CHECK_STATUS(async_jobs_run(NULL, 1, NULL, 0, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_jobs_run(&job, 1, NULL, 4, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_jobs_run(&job, 1, NULL, 0, NULL), FFI_STATUS_OK); /* an empty sum needs no arena */
    CHECK(job.status == FFI_STATUS_OK && job.result == 0);
    CHECK(async_job_primes_capacity(0) == 0 && async_job_primes_capacity(1) == 0);
    CHECK(async_job_primes_capacity(2) >= 1);
    CHECK(async_job_primes_capacity(PRIMES_UP_TO_MAX_LIMIT + 1u) == 0);
}

void test_async(void) {
    test_mixed_table();
    test_failures();
    test_null_and_empty();
}
