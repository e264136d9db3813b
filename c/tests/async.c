/* Async: a table of slices jobs over one caller-owned arena, run in one call. */
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

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

/* The table must not overlap the arena; an output range may be uninitialised memory. */
static void test_overlap_and_uninitialised_output(void) {
    uint32_t words[64] = {0};
    AsyncJob *inside = (AsyncJob *)(void *)words; /* the table at the start of the arena */
    *inside = sum_job(20, 2);
    FfiError *e = ffi_error_new();
    CHECK_STATUS(async_jobs_run(inside, 1, words, 64, e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp(ffi_error_message(e),
                 "the job table (1 jobs, 56 bytes) overlaps the arena (64 values, 256 bytes): they must be "
                 "disjoint") == 0);
    CHECK_STATUS(async_jobs_run(inside, 1, words + 13, 4, NULL), FFI_STATUS_INVALID_ARGUMENT);
    ffi_error_free(e);

    /* malloc'd output, never written by the caller: the run writes it before anything reads it
       (valgrind would report a read of uninitialised memory). A job with only its fields set. */
    size_t cap = async_job_primes_capacity(100);
    uint32_t *out = malloc(cap * sizeof *out);
    AsyncJob *job = malloc(sizeof *job);
    CHECK(out != NULL && job != NULL);
    if (out == NULL || job == NULL) return;
    job->kind = ASYNC_JOB_PRIMES_UP_TO;
    job->limit = 100;
    job->output_offset = 0;
    job->output_capacity = cap;
    CHECK_STATUS(async_jobs_run(job, 1, out, cap, NULL), FFI_STATUS_OK);
    CHECK(job->status == FFI_STATUS_OK && job->result == 25 && out[0] == 2 && out[24] == 97);
    free(job);
    free(out);
}

/* Waits (up to 10 s, busy) until the library's background threads have exited. */
/* A millisecond's sleep between two looks at a background run: a spinning caller can starve the library's
   threads (valgrind runs one thread at a time). */
static void nap(void) { thrd_sleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 1000000}, NULL); }

static int background_threads_gone(void) {
    time_t end = time(NULL) + 30;
    while (async_batch_thread_count() > 0 && time(NULL) < end) {
        nap();
    }
    return async_batch_thread_count() == 0;
}

/* A batch: memory the library owns, run on this thread or in the background, freed by the last holder. */
static void test_batches(void) {
    size_t live = async_batch_live_count();
    size_t cap = async_job_primes_capacity(1000);
    AsyncBatch *batch = async_batch_new(3, 100 + cap);
    CHECK(batch != NULL);
    if (batch == NULL) return;
    CHECK(async_batch_live_count() == live + 1);
    AsyncJob *jobs = async_batch_jobs(batch);
    uint32_t *arena = async_batch_arena(batch);
    CHECK((void *)arena == (void *)(jobs + 3)); /* the arena right after the table */
    CHECK(jobs[0].kind == 0 && arena[99] == 0); /* zeroed */
    for (uint32_t i = 0; i < 100; i++) arena[i] = i;
    jobs[0] = sum_job(0, 100);
    jobs[1] = primes_job(1000, 100, cap);
    jobs[2] = sum_job(99, 2); /* 99, and the first prime job 1 writes at 100 */

    /* On this thread: start, then run. */
    CHECK(!async_batch_is_running(batch));
    AsyncBatchRun *run = async_batch_start(batch, 2, NULL);
    CHECK(run != NULL && async_batch_is_running(batch));
    FfiError *e = ffi_error_new();
    CHECK(async_batch_start(batch, 2, e) == NULL && ffi_error_status(e) == FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_run(run), FFI_STATUS_OK);
    CHECK(!async_batch_is_running(batch));
    CHECK(jobs[0].status == FFI_STATUS_OK && jobs[0].result == 2450); /* 0 + 2 + ... + 98 */
    CHECK(jobs[1].status == FFI_STATUS_OK && jobs[1].result == 168 && arena[100 + 167] == 997);

    /* Cancelled: nothing runs. */
    jobs[0].result = 7;
    async_batch_run_cancel(async_batch_start(batch, 1, NULL));
    CHECK(!async_batch_is_running(batch) && jobs[0].result == 7);

    /* In the background: poll until it has ended. */
    CHECK_STATUS(async_batch_run_in_background(batch, 3, NULL), FFI_STATUS_OK);
    while (async_batch_is_running(batch)) {
        nap();
    }
    CHECK(jobs[0].result == 2450 && jobs[2].status == FFI_STATUS_OK && jobs[2].result == 2);
    CHECK(async_batch_thread_count() >= 1);

    /* Refusals. */
    CHECK(async_batch_start(batch, 4, e) == NULL && ffi_error_status(e) == FFI_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp(ffi_error_message(e), "count 4 is above the batch's capacity of 3 jobs") == 0);
    CHECK(async_batch_start(NULL, 0, e) == NULL && ffi_error_status(e) == FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_run_in_background(NULL, 0, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_run(NULL), FFI_STATUS_NULL_ARGUMENT);
    async_batch_run_cancel(NULL);
    CHECK(async_batch_jobs(NULL) == NULL && async_batch_arena(NULL) == NULL && !async_batch_is_running(NULL));
    CHECK(async_batch_new(SIZE_MAX / 56, 1) == NULL);
    ffi_error_free(e);

    /* The handle freed while a run holds the memory: the run still writes into live memory, and
       its end frees it. */
    run = async_batch_start(batch, 2, NULL);
    async_batch_free(batch);
    CHECK(async_batch_live_count() == live + 1);
    CHECK_STATUS(async_batch_run(run), FFI_STATUS_OK);
    CHECK(async_batch_live_count() == live);
    async_batch_free(NULL);

    /* Likewise in the background. */
    batch = async_batch_new(1, 0);
    CHECK(batch != NULL);
    if (batch == NULL) return;
    *async_batch_jobs(batch) = primes_job(0, 0, 0);
    CHECK_STATUS(async_batch_run_in_background(batch, 1, NULL), FFI_STATUS_OK);
    async_batch_free(batch);
    time_t end = time(NULL) + 30;
    while (async_batch_live_count() != live && time(NULL) < end) {
        nap();
    }
    CHECK(async_batch_live_count() == live);
    /* Idle background threads exit (so nothing is left for valgrind either). */
    CHECK(background_threads_gone());
}

/* A batch filled and read by copies, with no pointer into its memory: checked ranges, refused while it runs. */
static void test_batch_copies(void) {
    size_t live = async_batch_live_count();
    size_t cap = async_job_primes_capacity(100);
    AsyncBatch *batch = async_batch_new(2, 4 + cap);
    CHECK(batch != NULL);
    if (batch == NULL) return;
    const uint32_t input[4] = {1, 2, 3, 4};
    AsyncJob jobs[2] = {sum_job(0, 4), primes_job(100, 4, cap)};
    AsyncJob back[2] = {{0}, {0}};
    uint32_t primes[32] = {0};
    CHECK_STATUS(async_batch_write_arena(batch, 0, input, 4), FFI_STATUS_OK);
    CHECK_STATUS(async_batch_write_jobs(batch, 0, jobs, 2), FFI_STATUS_OK);

    AsyncBatchRun *run = async_batch_start(batch, 2, NULL);
    CHECK(run != NULL);
    /* While it runs: every copy is refused, nothing copied. */
    CHECK_STATUS(async_batch_read_jobs(batch, 0, back, 2), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_write_arena(batch, 0, input, 1), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(back[0].kind == 0);
    CHECK_STATUS(async_batch_run(run), FFI_STATUS_OK);

    CHECK_STATUS(async_batch_read_jobs(batch, 0, back, 2), FFI_STATUS_OK);
    CHECK(back[0].status == FFI_STATUS_OK && back[0].result == 6);
    CHECK(back[1].status == FFI_STATUS_OK && back[1].result == 25);
    CHECK_STATUS(async_batch_read_arena(batch, 4, primes, 25), FFI_STATUS_OK);
    CHECK(primes[0] == 2 && primes[24] == 97 && primes[25] == 0);
    CHECK_STATUS(async_batch_read_jobs(batch, 1, back, 1), FFI_STATUS_OK);
    CHECK(back[0].kind == ASYNC_JOB_PRIMES_UP_TO);

    /* Ranges past the end (also overflowing ones), NULL, empty copies. */
    CHECK_STATUS(async_batch_write_jobs(batch, 1, jobs, 2), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_read_jobs(batch, SIZE_MAX, back, 2), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_write_arena(batch, 4 + cap, input, 1), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_read_arena(batch, 1, primes, SIZE_MAX), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(async_batch_write_arena(batch, 4 + cap, NULL, 0), FFI_STATUS_OK);
    CHECK_STATUS(async_batch_read_arena(batch, 0, NULL, 1), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_write_jobs(batch, 0, NULL, 1), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_read_jobs(NULL, 0, back, 1), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_write_arena(NULL, 0, input, 0), FFI_STATUS_NULL_ARGUMENT);

    /* A copy within the batch itself (overlapping ranges): as memmove. */
    CHECK_STATUS(async_batch_write_arena(batch, 1, async_batch_arena(batch), 3), FFI_STATUS_OK);
    CHECK_STATUS(async_batch_read_arena(batch, 0, primes, 4), FFI_STATUS_OK);
    CHECK(primes[0] == 1 && primes[1] == 1 && primes[2] == 2 && primes[3] == 3);

    /* A freed handle reads as NULL. */
    async_batch_free(batch);
    CHECK_STATUS(async_batch_read_arena(batch, 0, primes, 1), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(async_batch_write_jobs(batch, 0, jobs, 1), FFI_STATUS_NULL_ARGUMENT);
    CHECK(async_batch_live_count() == live);
}

void test_async(void) {
    test_mixed_table();
    test_failures();
    test_null_and_empty();
    test_overlap_and_uninitialised_output();
    test_batches();
    test_batch_copies();
}
