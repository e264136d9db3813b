/* Async: many slices calls described as a table of jobs and run in one call
   (on a worker thread, typically): one trip to the thread for all of them. */
#include <string.h>
#include <time.h>

#include "demo.h"

void demo_async(void) {
    DEMO_SECTION("async");
    /* One arena for every input and output: a sum over [0, 6), the primes up
       to 30 written from index 6 on. */
    enum { PRIMES_AT = 6, ARENA_LEN = 64 };
    uint32_t arena[ARENA_LEN] = {1, 2, 3, 4, 5, 6};
    size_t room = async_job_primes_capacity(30);
    AsyncJob jobs[2] = {{0}, {0}};
    jobs[0].kind = ASYNC_JOB_SUM_OF_EVEN;
    jobs[0].input_offset = 0;
    jobs[0].input_len = 6;
    jobs[1].kind = ASYNC_JOB_PRIMES_UP_TO;
    jobs[1].limit = 30;
    jobs[1].output_offset = PRIMES_AT;
    jobs[1].output_capacity = room; /* async_job_primes_capacity(30) = room needed */

    FfiStatus status = async_jobs_run(jobs, 2, arena, ARENA_LEN, NULL);
    printf("async_jobs_run(2 jobs) -> %s\n", ffi_status_message(status));
    printf("job 0 (sum of even of {1..6}): status %d, result %llu\n", jobs[0].status,
           (unsigned long long)jobs[0].result);
    printf("job 1 (primes up to 30, room %zu): status %d, %llu primes:", room, jobs[1].status,
           (unsigned long long)jobs[1].result);
    for (uint64_t i = 0; i < jobs[1].result; i++) printf(" %u", arena[PRIMES_AT + i]);
    printf("\nnothing to free: the table and the arena are the caller's\n");

    /* The same jobs in an AsyncBatch: memory the library owns, run on its own
       background thread. The run keeps the memory alive even if the handle is
       freed (or this thread exits) first; here we poll until it has ended. */
    AsyncBatch *batch = async_batch_new(2, ARENA_LEN);
    if (batch == NULL) return;
    AsyncJob *table = async_batch_jobs(batch);
    uint32_t *memory = async_batch_arena(batch);
    memcpy(table, jobs, sizeof jobs);
    for (uint32_t i = 0; i < 6; i++) memory[i] = i + 1;
    status = async_batch_run_in_background(batch, 2, NULL);
    while (async_batch_is_running(batch)) {
    }
    printf("async_batch_run_in_background(2 jobs) -> %s: sum %llu, %llu primes, the last %u\n",
           ffi_status_message(status), (unsigned long long)table[0].result, (unsigned long long)table[1].result,
           memory[PRIMES_AT + table[1].result - 1]);
    async_batch_free(batch);
    printf("async_batch_live_count() after async_batch_free: %zu\n", async_batch_live_count());
    /* An idle background thread exits after 100 ms. */
    time_t end = time(NULL) + 5;
    while (async_batch_thread_count() > 0 && time(NULL) < end) {
    }
    printf("background threads once idle: %zu\n", async_batch_thread_count());
}
