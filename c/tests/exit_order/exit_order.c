/*
 * Thread-owned handles at every point of a thread's or a process's exit (C11
 * and pthreads; the C++ thread_local and static destructor cases are in
 * thread_local.cpp). See exit_order.h for the order glibc runs things in and
 * how a scenario passes. `build/test_exit_order` runs them all, each in a
 * child process; `build/test_exit_order NAME` runs one here.
 */
#include <pthread.h>
#include <threads.h>

#include "exit_order.h"

static OpaquePoint *kept_point;
static FfiError *kept_error;
/* Set by a destructor when it has run its checks (read after the join). */
static int destructor_ran;

/* Makes and frees one thread-owned point and error object: the library
 * registers its exit handler and creates its pthread keys now. */
static void library_first(void) {
    opaque_point_free(opaque_point_new_thread_owned(0.0f, 0.0f));
    ffi_error_free(ffi_error_new_thread_owned());
    eo_check_counts();
}

/* ---- atexit and exit(): the library frees the exiting thread's objects in
 * an exit handler it registers with the process's first one ---- */

static void atexit_late_use(void) {
    /* Registered before the library's handler, so run after it: the handles
     * are freed, the counters back at their start. */
    EO_CHECK(opaque_point_thread_owned_count() == 0);
    eo_check_counts();
    eo_use_late(kept_point, kept_error);
    eo_check_counts();
    eo_verdict("atexit-free");
}

/* A thread-owned point and error object made and used on the main thread,
 * then freed and read from an atexit handler that runs after the library
 * freed them. */
static void atexit_free(void) {
    EO_CHECK(atexit(atexit_late_use) == 0);
    kept_point = opaque_point_new_thread_owned(1.0f, 2.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 1.0f);
    EO_CHECK(opaque_point_thread_owned_count() == 1);
}

static void atexit_live_use(void) {
    /* Registered after the library's handler, so run before it: the handles
     * are live, and freeing them frees them. */
    eo_free_live(kept_point, kept_error, 1.0f);
    eo_verdict("atexit-live");
}

static void atexit_live(void) {
    kept_point = opaque_point_new_thread_owned(1.0f, 2.0f);
    kept_error = ffi_error_new_thread_owned();
    EO_CHECK(atexit(atexit_live_use) == 0);
}

static void atexit_first_contact(void) {
    /* The library is called for the first time here, in exit(): the handles
     * work; the library frees them after this handler returns. */
    eo_first_contact(5.0f);
}

static void atexit_after_all(void) {
    eo_check_counts();
    eo_verdict("atexit-new");
}

/* Thread-owned handles created first inside an atexit handler, and not
 * freed: the last handler finds the counters back at their start. */
static void atexit_new(void) {
    EO_CHECK(atexit(atexit_after_all) == 0);
    EO_CHECK(atexit(atexit_first_contact) == 0);
}

/* ---- pthread_key_create destructors: after the thread-local ones ---- */

static pthread_key_t key;
static int key_value;

static void key_late_use(void *value) {
    EO_CHECK(value == &key_value);
    EO_CHECK(opaque_point_thread_owned_count() == 0);
    eo_check_counts();
    eo_use_late(kept_point, kept_error);
    destructor_ran = 1;
}

static void *thread_then_key(void *unused) {
    (void)unused;
    kept_point = opaque_point_new_thread_owned(3.0f, 4.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 3.0f);
    EO_CHECK(pthread_setspecific(key, &key_value) == 0);
    return NULL;
}

static void key_first_contact(void *value) {
    EO_CHECK(value == &key_value);
    eo_first_contact(7.0f);
    destructor_ran = 1; /* left to the library: freed after this destructor */
}

static void *thread_only_key(void *unused) {
    (void)unused;
    EO_CHECK(pthread_setspecific(key, &key_value) == 0);
    return NULL;
}

static void key_live_use(void *value) {
    EO_CHECK(value == &key_value);
    eo_free_live(kept_point, kept_error, 3.0f);
    destructor_ran = 1;
}

static void run_key_thread(void (*destructor)(void *), void *(*body)(void *), const char *name) {
    EO_CHECK(pthread_key_create(&key, destructor) == 0);
    pthread_t thread;
    EO_CHECK(pthread_create(&thread, NULL, body, NULL) == 0);
    EO_CHECK(pthread_join(thread, NULL) == 0);
    EO_CHECK(destructor_ran);
    eo_check_counts();
    eo_verdict(name);
}

/* Handles made on a thread, freed and read from a pthread_key destructor of
 * that thread that runs after the library's (its key was created later: glibc
 * runs a round's destructors in the order of the keys), which freed them. */
static void pthread_key_free(void) {
    library_first();
    run_key_thread(key_late_use, thread_then_key, "pthread-key-free");
}

/* The same from a destructor that runs before the library's (its key was
 * created first): the handles are still live, and freeing them frees them. */
static void pthread_key_live(void) {
    run_key_thread(key_live_use, thread_then_key, "pthread-key-live");
}

/* A thread whose first call into the library is a constructor inside a
 * pthread_key destructor: the library frees what it made anyway. */
static void pthread_key_new(void) {
    run_key_thread(key_first_contact, thread_only_key, "pthread-key-new");
}

/* ---- C11 tss destructors (glibc: pthread keys) ---- */

static tss_t tss;

static int thrd_then_tss(void *unused) {
    (void)unused;
    kept_point = opaque_point_new_thread_owned(3.0f, 4.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 3.0f);
    EO_CHECK(tss_set(tss, &key_value) == thrd_success);
    return 0;
}

static int thrd_only_tss(void *unused) {
    (void)unused;
    EO_CHECK(tss_set(tss, &key_value) == thrd_success);
    return 0;
}

static void run_tss_thread(tss_dtor_t destructor, thrd_start_t body, const char *name) {
    EO_CHECK(tss_create(&tss, destructor) == thrd_success);
    thrd_t thread;
    EO_CHECK(thrd_create(&thread, body, NULL) == thrd_success);
    EO_CHECK(thrd_join(thread, NULL) == thrd_success);
    EO_CHECK(destructor_ran);
    eo_check_counts();
    eo_verdict(name);
}

static void tss_free(void) {
    library_first();
    run_tss_thread(key_late_use, thrd_then_tss, "tss-free");
}

static void tss_new(void) {
    run_tss_thread(key_first_contact, thrd_only_tss, "tss-new");
}

/* ---- another thread, after the creating thread exited ---- */

static void *make_and_leave(void *unused) {
    (void)unused;
    kept_point = opaque_point_new_thread_owned(3.0f, 4.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 3.0f);
    return NULL;
}

/* Handles whose thread exited (and freed them), freed and read on the main
 * thread after the join; new points made here may reuse their storage. */
static void other_thread_free(void) {
    pthread_t thread;
    EO_CHECK(pthread_create(&thread, NULL, make_and_leave, NULL) == 0);
    EO_CHECK(pthread_join(thread, NULL) == 0);
    eo_check_counts();
    eo_use_late(kept_point, kept_error);
    eo_check_counts();
    eo_verdict("other-thread-free");
}

/* ---- pthread_exit(), and a live handle freed by another thread ---- */

static void *make_and_pthread_exit(void *unused) {
    (void)unused;
    kept_point = opaque_point_new_thread_owned(3.0f, 4.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 3.0f);
    pthread_exit(NULL);
}

static void pthread_exit_free(void) {
    pthread_t thread;
    EO_CHECK(pthread_create(&thread, NULL, make_and_pthread_exit, NULL) == 0);
    EO_CHECK(pthread_join(thread, NULL) == 0);
    eo_check_counts();
    eo_use_late(kept_point, kept_error);
    eo_check_counts();
    eo_verdict("pthread-exit-free");
}

static const eo_scenario scenarios[] = {
    {"atexit-free", atexit_free, "free and read from an atexit handler run after the library's"},
    {"atexit-live", atexit_live, "free from an atexit handler run before the library's"},
    {"atexit-new", atexit_new, "constructor called first in an atexit handler"},
    {"pthread-key-free", pthread_key_free, "free and read from a pthread_key destructor run after the library's"},
    {"pthread-key-live", pthread_key_live, "free from a pthread_key destructor run before the library's"},
    {"pthread-key-new", pthread_key_new, "constructor called first in a pthread_key destructor"},
    {"tss-free", tss_free, "free and read from a C11 tss destructor run after the library's"},
    {"tss-new", tss_new, "constructor called first in a C11 tss destructor"},
    {"other-thread-free", other_thread_free, "free and read on another thread after the creator exited"},
    {"pthread-exit-free", pthread_exit_free, "as other-thread-free, the creator ending in pthread_exit()"},
};

int main(int argc, char **argv) {
    return eo_main(argc, argv, scenarios, sizeof scenarios / sizeof scenarios[0]);
}
