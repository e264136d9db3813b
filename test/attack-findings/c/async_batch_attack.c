/*
 * async_batch_* misuse within the header's contract: a free during a run, a run started on a thread that exits
 * before it runs, a start twice, a cancel after the free, stale handles after their slot is reused, a free on a
 * foreign thread, background runs when their thread and then the process exit, and a batch made and run from
 * an atexit handler registered before the library's own and from a pthread key destructor.
 * Build: gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -I../../../c/include async_batch_attack.c \
 *   -L../../../rust/target/release -lffi_deep_dive -Wl,-rpath,$PWD/../../../rust/target/release -pthread
 * Exit status 0 and "ok" when every check held; valgrind/ASan show any bad access.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ffi_deep_dive.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } } while (0)

static AsyncBatch *filled(size_t n) {
    AsyncBatch *b = async_batch_new(2, n + 2000);
    if (b == NULL) return NULL;
    AsyncJob *jobs = async_batch_jobs(b);
    uint32_t *arena = async_batch_arena(b);
    for (size_t i = 0; i < n; i++) arena[i] = 2;
    memset(jobs, 0, 2 * sizeof *jobs);
    jobs[0].kind = ASYNC_JOB_SUM_OF_EVEN;
    jobs[0].input_len = n;
    jobs[1].kind = ASYNC_JOB_PRIMES_UP_TO;
    jobs[1].limit = 10000;
    jobs[1].output_offset = n;
    jobs[1].output_capacity = async_job_primes_capacity(10000);
    return b;
}

static void *run_it(void *run) { return (void *)(intptr_t)async_batch_run(run); }

struct started { AsyncBatch *batch; AsyncBatchRun *run; };
static void *start_and_exit(void *out) {
    struct started *s = out;
    s->batch = filled(1000);
    s->run = async_batch_start(s->batch, 2, NULL);
    return NULL; /* the thread exits: its handle is freed, the run holds the memory */
}

static void *background_and_exit(void *arg) {
    (void)arg;
    for (int i = 0; i < 20; i++) {
        AsyncBatch *b = filled(100000);
        if (b != NULL) async_batch_run_in_background(b, 2, NULL);
    }
    return NULL; /* exits with runs in flight */
}

static void *free_foreign(void *b) { async_batch_free(b); return NULL; }

static pthread_key_t key;
static void in_key_destructor(void *v) {
    (void)v;
    AsyncBatch *b = filled(1000);
    if (b != NULL) async_batch_run_in_background(b, 2, NULL);
    AsyncBatch *c = filled(10);
    async_batch_free(c);
}
static void *thread_with_key(void *arg) { (void)arg; pthread_setspecific(key, (void *)1); return NULL; }

static void at_exit_first(void) {
    /* Registered before the library's first thread-owned object: runs after the library's exit handler. */
    AsyncBatch *b = filled(1000);
    if (b != NULL) {
        CHECK(async_batch_run_in_background(b, 2, NULL) == FFI_STATUS_OK);
        AsyncBatchRun *r = async_batch_start(b, 2, NULL); /* NULL while the background run goes on */
        async_batch_free(b);
        async_batch_run_cancel(r);
    }
    AsyncBatch *c = filled(10);
    AsyncBatchRun *r = async_batch_start(c, 2, NULL);
    async_batch_free(c);
    if (r != NULL) CHECK(async_batch_run(r) == FFI_STATUS_OK);
    fprintf(stderr, "atexit handler done (failures: %d)\n", failures);
    if (failures != 0) _Exit(1);
}

int main(void) {
    atexit(at_exit_first);
    pthread_key_create(&key, in_key_destructor);
    size_t base = async_batch_live_count();

    /* 1. Free during a run (started, not run yet), then run it on another thread. */
    AsyncBatch *b = filled(1000);
    AsyncBatchRun *run = async_batch_start(b, 2, NULL);
    CHECK(run != NULL);
    CHECK(async_batch_start(b, 1, NULL) == NULL); /* 2. started twice */
    CHECK(async_batch_run_in_background(b, 1, NULL) == FFI_STATUS_INVALID_ARGUMENT);
    async_batch_free(b);
    CHECK(async_batch_jobs(b) == NULL && async_batch_arena(b) == NULL && !async_batch_is_running(b));
    async_batch_free(b); /* second free: no-op */
    pthread_t t;
    pthread_create(&t, NULL, run_it, run);
    void *st;
    pthread_join(t, &st);
    CHECK((intptr_t)st == FFI_STATUS_OK);
    CHECK(async_batch_live_count() == base);

    /* 3. Started on a thread that exits before the run runs; run here, then cancel another. */
    struct started s = {0};
    pthread_create(&t, NULL, start_and_exit, &s);
    pthread_join(t, NULL);
    CHECK(s.run != NULL);
    CHECK(async_batch_jobs(s.batch) == NULL); /* freed by its thread's exit */
    CHECK(async_batch_run(s.run) == FFI_STATUS_OK);
    CHECK(async_batch_live_count() == base);
    pthread_create(&t, NULL, start_and_exit, &s);
    pthread_join(t, NULL);
    async_batch_run_cancel(s.run);
    CHECK(async_batch_live_count() == base);

    /* 4. Stale handles after their slot is reused. */
    AsyncBatch *old = async_batch_new(1, 1);
    async_batch_free(old);
    int aliased = 0;
    for (int i = 0; i < 100000; i++) {
        AsyncBatch *fresh = async_batch_new(1, 1);
        if (fresh == old) aliased++;
        async_batch_free(old); /* stale: must not free fresh */
        CHECK(async_batch_jobs(fresh) != NULL);
        async_batch_free(fresh);
    }
    CHECK(aliased == 0);
    CHECK(async_batch_live_count() == base);

    /* 5. Free on a foreign thread: a no-op; the owner's free still works. */
    AsyncBatch *own = filled(10);
    pthread_create(&t, NULL, free_foreign, own);
    pthread_join(t, NULL);
    CHECK(async_batch_jobs(own) != NULL);
    async_batch_free(own);
    CHECK(async_batch_live_count() == base);

    /* 6. Threads that exit with background runs in flight; a key destructor that makes and runs batches. */
    pthread_t ts[8];
    for (int i = 0; i < 8; i++) pthread_create(&ts[i], NULL, background_and_exit, NULL);
    for (int i = 0; i < 8; i++) pthread_join(ts[i], NULL);
    pthread_create(&t, NULL, thread_with_key, NULL);
    pthread_join(t, NULL);
    for (int i = 0; i < 2000 && async_batch_live_count() != base; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    CHECK(async_batch_live_count() == base);

    /* 7. The process exits with background runs in flight (main thread's handles). */
    for (int i = 0; i < 16; i++) {
        AsyncBatch *x = filled(200000);
        if (x != NULL) async_batch_run_in_background(x, 2, NULL);
    }
    printf("%s (failures: %d)\n", failures == 0 ? "ok" : "FAILED", failures);
    return failures == 0 ? 0 : 1;
}
