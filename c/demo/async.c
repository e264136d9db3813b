/* Async: many slices calls described as a table of jobs and run in one call
   (on a worker thread, typically): one trip to the thread for all of them. */
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
}
