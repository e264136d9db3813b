/*
 * The exit-order tests of thread-owned handles (issue 22, item 1): the
 * scenario runner and the checks that exit_order.c (C11) and thread_local.cpp
 * (C++) share.
 *
 * On glibc a thread's thread-local destructors (C++ thread_local, Rust's
 * thread_local!, the library's exit guard among them) run first, then its
 * pthread_key_create (and C11 tss) destructors, in up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds; exit() runs the calling thread's
 * thread-local destructors, then the atexit handlers and C++ static
 * destructors, and never its pthread_key destructors. Each scenario frees,
 * reads or creates thread-owned handles at one of those points.
 *
 * Each scenario runs in a child process of its own (the program re-executes
 * itself with the scenario's name), because most checks happen while that
 * process exits. A scenario passes only if its child prints "PASS <name>" from
 * the place where its last check ran (an atexit handler, a static destructor,
 * or main after joining its thread) and exits with status 0; so a destructor
 * that never runs, a crash, or valgrind's error exit code fails it. Under
 * `valgrind --trace-children=yes` every child runs under memcheck too.
 */
#ifndef FFI_DEEP_DIVE_EXIT_ORDER_H
#define FFI_DEEP_DIVE_EXIT_ORDER_H

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ffi_deep_dive.h"

/* Checks that failed in this process (scenarios run one per process). */
static int eo_failed;

#define EO_CHECK(cond)                                                                    \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            eo_failed++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                                 \
    } while (0)

/* The live counters when the scenario started. */
static size_t eo_points0;
static size_t eo_errors0;

static void eo_start(void) {
    eo_points0 = opaque_point_live_count();
    eo_errors0 = ffi_error_live_count();
}

/* The live counters are back where the scenario started: nothing leaked and
 * nothing was freed twice (a double free would make them wrap below). */
static void eo_check_counts(void) {
    EO_CHECK(opaque_point_live_count() == eo_points0);
    EO_CHECK(ffi_error_live_count() == eo_errors0);
}

/* Uses a live thread-owned point made at (x, x + 1) and a live thread-owned
 * error object: they read back what was put in. */
static void eo_use_live(OpaquePoint *p, FfiError *e, float x) {
    Point got = opaque_point_get(p);
    EO_CHECK(got.x == x && got.y == x + 1.0f);
    opaque_point_translate(p, 1.0f, 1.0f);
    EO_CHECK(opaque_point_get(p).x == x + 1.0f);
    opaque_point_translate(p, -1.0f, -1.0f);
    char *text = opaque_point_describe(p);
    EO_CHECK(text != NULL && strncmp(text, "OpaquePoint(", 12) == 0);
    free_rust_string(text);
    int out = 0;
    EO_CHECK(add_in_rust_checked(INT_MAX, 1, &out, e) == FFI_STATUS_OVERFLOW);
    EO_CHECK(ffi_error_status(e) == FFI_STATUS_OVERFLOW);
    const char *why = ffi_error_message(e);
    EO_CHECK(why != NULL && strstr(why, "does not fit") != NULL);
}

/* Uses the calling thread's only thread-owned point (made at (x, x + 1))
 * and its error object while they are live, frees them, and checks that
 * freeing them freed them. */
static void eo_free_live(OpaquePoint *p, FfiError *e, float x) {
    EO_CHECK(opaque_point_thread_owned_count() == 1);
    eo_use_live(p, e, x);
    opaque_point_free(p);
    ffi_error_free(e);
    EO_CHECK(opaque_point_thread_owned_count() == 0);
    eo_check_counts();
}

/* A thread's first call into the library, made from a destructor or an exit
 * handler: a thread-owned point at (x, x + 1) and an error object, used and
 * left to the library (the caller checks later that it freed them). */
static void eo_first_contact(float x) {
    OpaquePoint *p = opaque_point_new_thread_owned(x, x + 1.0f);
    FfiError *e = ffi_error_new_thread_owned();
    EO_CHECK(p != NULL && e != NULL);
    eo_use_live(p, e, x);
    EO_CHECK(opaque_point_thread_owned_count() == 1);
    EO_CHECK(opaque_point_live_count() == eo_points0 + 1);
    EO_CHECK(ffi_error_live_count() == eo_errors0 + 1);
}

/* Uses thread-owned handles the library has already freed (their thread's
 * registry ran): the header's "late" use. Every call is harmless and gives
 * the documented answer of a freed handle: NaN, NULL, no-op, and for the
 * error object FFI_STATUS_NULL_ARGUMENT and nothing recorded. Freeing twice
 * is harmless too. Then a new thread-owned point, which may reuse the freed
 * one's storage, is not disturbed by a late free of the old handle. */
static void eo_use_late(OpaquePoint *p, FfiError *e) {
    size_t points = opaque_point_live_count();
    size_t errors = ffi_error_live_count();
    Point got = opaque_point_get(p);
    EO_CHECK(isnan(got.x) && isnan(got.y));
    EO_CHECK(opaque_point_describe(p) == NULL);
    opaque_point_translate(p, 1.0f, 1.0f);
    opaque_point_free(p);
    opaque_point_free(p);
    EO_CHECK(ffi_error_status(e) == FFI_STATUS_NULL_ARGUMENT);
    EO_CHECK(ffi_error_message(e) == NULL);
    int out = 0;
    EO_CHECK(add_in_rust_checked(INT_MAX, 1, &out, e) == FFI_STATUS_OVERFLOW);
    EO_CHECK(ffi_error_status(e) == FFI_STATUS_NULL_ARGUMENT);
    ffi_error_free(e);
    ffi_error_free(e);
    EO_CHECK(opaque_point_live_count() == points);
    EO_CHECK(ffi_error_live_count() == errors);

    OpaquePoint *fresh[64];
    for (int i = 0; i < 64; i++) {
        fresh[i] = opaque_point_new_thread_owned((float)i, (float)i + 1.0f);
        EO_CHECK(fresh[i] != NULL);
    }
    opaque_point_free(p); /* stale: must not free a fresh point in its place */
    for (int i = 0; i < 64; i++) {
        EO_CHECK(opaque_point_get(fresh[i]).x == (float)i);
        opaque_point_free(fresh[i]);
    }
    EO_CHECK(opaque_point_live_count() == points);
}

/* Prints the verdict of this process's scenario where its last check ran:
 * "PASS <name>", or "FAIL <name>" and an immediate _exit(1). */
static void eo_verdict(const char *name) {
    if (eo_failed != 0) {
        printf("FAIL %s (%d checks failed)\n", name, eo_failed);
        fflush(stdout);
        _exit(1);
    }
    printf("PASS %s\n", name);
    fflush(stdout);
}

typedef struct {
    const char *name;
    void (*run)(void);
    const char *what;
} eo_scenario;

/* Runs one scenario in a child process (this program, re-executed with the
 * scenario's name). 1 if it passed. */
static int eo_run_child(const char *self, const eo_scenario *s) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 0;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 0;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        char *args[3];
        args[0] = (char *)self;
        args[1] = (char *)s->name;
        args[2] = NULL;
        execv(self, args);
        perror("execv");
        _exit(127);
    }
    close(fds[1]);
    char out[4096];
    size_t len = 0;
    ssize_t n;
    while ((n = read(fds[0], out + len, sizeof out - 1 - len)) > 0) {
        len += (size_t)n;
        if (len == sizeof out - 1) {
            break;
        }
    }
    out[len] = '\0';
    close(fds[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 0;
    }
    char want[128];
    snprintf(want, sizeof want, "PASS %s\n", s->name);
    int passed = strstr(out, want) != NULL;
    int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (passed && clean) {
        printf("exit-order %s: ok (%s)\n", s->name, s->what);
        return 1;
    }
    printf("exit-order %s: FAILED (%s): %s, %s; its output:\n%s\n", s->name, s->what,
           passed ? "printed PASS" : "never printed PASS",
           WIFEXITED(status) ? (WEXITSTATUS(status) == 0 ? "exit status 0" : "non-zero exit status")
                             : "killed by a signal",
           out);
    return 0;
}

/* main() of both test programs: without arguments, runs every scenario in a
 * child and exits non-zero if one failed; with a scenario's name, runs that
 * scenario in this process. */
static int eo_main(int argc, char **argv, const eo_scenario *scenarios, size_t count) {
    if (argc == 2) {
        for (size_t i = 0; i < count; i++) {
            if (strcmp(argv[1], scenarios[i].name) == 0) {
                eo_start();
                scenarios[i].run();
                return eo_failed == 0 ? 0 : 1;
            }
        }
        fprintf(stderr, "%s: no scenario named %s\n", argv[0], argv[1]);
        return 2;
    }
    size_t passed = 0;
    for (size_t i = 0; i < count; i++) {
        passed += (size_t)eo_run_child(argv[0], &scenarios[i]);
    }
    printf("exit-order: %zu of %zu scenarios passed\n", passed, count);
    return passed == count ? 0 : 1;
}

#endif
