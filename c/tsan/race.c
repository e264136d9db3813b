/*
 * The control of `make test-tsan`: breaks the header's sharing rule on
 * purpose, so that ThreadSanitizer must report it. Two threads share one
 * OpaquePoint and one FfiError without a lock: both translate the point
 * (the header: "must not be used from two threads at once while one of them
 * translates or frees it") and record failures in the error object ("must
 * not be passed to two calls running at the same time"). The writes happen
 * inside the Rust library, so a report proves that the library's own memory
 * accesses are instrumented: a zero from test_threads under the same build
 * then means something.
 *
 * Benign as run: each thread only adds to the point's floats and replaces
 * the error's message; the threads start together on a barrier and make few
 * calls, and the program checks nothing afterwards. It exits 0 by itself;
 * TSan's exitcode (66 in `make test-tsan`) is the expected outcome.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <pthread.h>
#include <stdio.h>

#include "ffi_deep_dive.h"

#define CALLS 200

static OpaquePoint *shared_point;
static FfiError *shared_error;
static pthread_barrier_t start;

static void *racer(void *arg) {
    int addend = *(const int *)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < CALLS; i++) {
        int out = 0;
        opaque_point_translate(shared_point, 1.0f, -1.0f);
        add_in_rust_checked(INT_MAX, addend + i, &out, shared_error);
    }
    return NULL;
}

int main(void) {
    shared_point = opaque_point_new(0.0f, 0.0f);
    shared_error = ffi_error_new();
    pthread_barrier_init(&start, NULL, 2);
    pthread_t a, b;
    int one = 1, two = 2;
    pthread_create(&a, NULL, racer, &one);
    pthread_create(&b, NULL, racer, &two);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_barrier_destroy(&start);
    opaque_point_free(shared_point);
    ffi_error_free(shared_error);
    printf("race control: 2 threads x %d unlocked calls on one point and one error object\n", CALLS);
    return 0;
}
