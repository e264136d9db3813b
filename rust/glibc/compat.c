/*
 * glibc 2.28 compatibility for the x86_64-linux-gnu library (rust/build.rs
 * compiles this file and links it into the cdylib and the test binaries).
 *
 * Rust's std, built against a newer glibc, refers to fifteen functions at
 * symbol versions newer than GLIBC_2.28, the glibc of the oldest systems
 * Node.js 20 runs on (RHEL 8 and its rebuilds): log (2.29), gettid (2.30),
 * stat64 and fstat64 (2.33), pthread_key_create, pthread_key_delete and
 * pthread_setspecific (2.34); and, for the threads it starts,
 * pthread_getattr_np (2.32), pthread_create, pthread_detach, three
 * pthread_attr_* functions, pthread_setname_np and dlsym (2.34). build.rs
 * links with -Wl,--wrap=NAME for each, so that std's references land on the __wrap_NAME functions below, and
 * each of those calls the oldest version of the function that glibc has
 * (`.symver` binds the reference to that version explicitly; --wrap leaves
 * a versioned reference alone). glibc keeps every old version for old
 * binaries, so the same calls run on old and new glibc alike; the newest
 * reference left is statx (GLIBC_2.28, weak).
 *
 * The versions are x86_64's: GLIBC_2.2.5 is its first. pthread_* lived in
 * libpthread.so.0, and dlsym in libdl.so.2, until 2.34, so build.rs also
 * records both as needed (empty stubs since 2.34): the loader then finds
 * them on either side of the move.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#if !defined(__x86_64__) || !defined(__linux__) || !defined(__GLIBC__)
#error "compat.c is for x86_64-linux-gnu only (rust/build.rs compiles it for that target alone)"
#endif

#define HIDDEN __attribute__((visibility("hidden")))

/* Each compat_NAME is an undefined symbol that .symver renames to
 * NAME@VERSION in this object: a call to it is a call to that version. */
#define PIN(local, symbol_at_version) __asm__(".symver " #local ", " symbol_at_version)

/* log: GLIBC_2.29 gave it a new version without the old SVID error-handling
 * wrapper; both return the same values and set errno the same way. */
PIN(compat_log, "log@GLIBC_2.2.5");
double compat_log(double x);
HIDDEN double __wrap_log(double x);
HIDDEN double __wrap_log(double x) { return compat_log(x); }

/* gettid: no glibc function before 2.30, so the system call it makes. std's
 * reference is weak (it copes with the function's absence), so this only
 * changes which code makes the call. */
HIDDEN pid_t __wrap_gettid(void);
HIDDEN pid_t __wrap_gettid(void) { return (pid_t)syscall(SYS_gettid); }

/* stat64, fstat64: before 2.33 only the __xstat64 family existed (the
 * headers' inline stat64 called it), with the structure layout version as
 * first argument: _STAT_VER_LINUX, 1 on x86_64 (headers since 2.33 no
 * longer define it). */
#define COMPAT_STAT_VER 1
PIN(compat_xstat64, "__xstat64@GLIBC_2.2.5");
PIN(compat_fxstat64, "__fxstat64@GLIBC_2.2.5");
int compat_xstat64(int ver, const char *path, struct stat64 *buf);
int compat_fxstat64(int ver, int fd, struct stat64 *buf);
HIDDEN int __wrap_stat64(const char *path, struct stat64 *buf);
HIDDEN int __wrap_fstat64(int fd, struct stat64 *buf);
HIDDEN int __wrap_stat64(const char *path, struct stat64 *buf) {
    return compat_xstat64(COMPAT_STAT_VER, path, buf);
}
HIDDEN int __wrap_fstat64(int fd, struct stat64 *buf) { return compat_fxstat64(COMPAT_STAT_VER, fd, buf); }

/* pthread_key_*: the same functions, given a GLIBC_2.34 version when they
 * moved from libpthread into libc. */
PIN(compat_pthread_key_create, "pthread_key_create@GLIBC_2.2.5");
PIN(compat_pthread_key_delete, "pthread_key_delete@GLIBC_2.2.5");
PIN(compat_pthread_setspecific, "pthread_setspecific@GLIBC_2.2.5");
int compat_pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int compat_pthread_key_delete(pthread_key_t key);
int compat_pthread_setspecific(pthread_key_t key, const void *value);
HIDDEN int __wrap_pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
HIDDEN int __wrap_pthread_key_delete(pthread_key_t key);
HIDDEN int __wrap_pthread_setspecific(pthread_key_t key, const void *value);
HIDDEN int __wrap_pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    return compat_pthread_key_create(key, destructor);
}
HIDDEN int __wrap_pthread_key_delete(pthread_key_t key) { return compat_pthread_key_delete(key); }
HIDDEN int __wrap_pthread_setspecific(pthread_key_t key, const void *value) {
    return compat_pthread_setspecific(key, value);
}

/* The thread functions std's thread spawning uses (the library's own
 * background threads of async_batch_run_in_background()): the same
 * functions, given a GLIBC_2.34 version (GLIBC_2.32 for pthread_getattr_np)
 * when libpthread moved into libc. pthread_setname_np's first version is
 * GLIBC_2.12. */
PIN(compat_pthread_create, "pthread_create@GLIBC_2.2.5");
PIN(compat_pthread_detach, "pthread_detach@GLIBC_2.2.5");
PIN(compat_pthread_attr_setstacksize, "pthread_attr_setstacksize@GLIBC_2.2.5");
PIN(compat_pthread_attr_getstack, "pthread_attr_getstack@GLIBC_2.2.5");
PIN(compat_pthread_attr_getguardsize, "pthread_attr_getguardsize@GLIBC_2.2.5");
PIN(compat_pthread_getattr_np, "pthread_getattr_np@GLIBC_2.2.5");
PIN(compat_pthread_setname_np, "pthread_setname_np@GLIBC_2.12");
int compat_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
int compat_pthread_detach(pthread_t thread);
int compat_pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int compat_pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size);
int compat_pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size);
int compat_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);
int compat_pthread_setname_np(pthread_t thread, const char *name);
HIDDEN int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
HIDDEN int __wrap_pthread_detach(pthread_t thread);
HIDDEN int __wrap_pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
HIDDEN int __wrap_pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size);
HIDDEN int __wrap_pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size);
HIDDEN int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);
HIDDEN int __wrap_pthread_setname_np(pthread_t thread, const char *name);
HIDDEN int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg) {
    return compat_pthread_create(thread, attr, start, arg);
}
HIDDEN int __wrap_pthread_detach(pthread_t thread) { return compat_pthread_detach(thread); }
HIDDEN int __wrap_pthread_attr_setstacksize(pthread_attr_t *attr, size_t size) {
    return compat_pthread_attr_setstacksize(attr, size);
}
HIDDEN int __wrap_pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size) {
    return compat_pthread_attr_getstack(attr, addr, size);
}
HIDDEN int __wrap_pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size) {
    return compat_pthread_attr_getguardsize(attr, size);
}
HIDDEN int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr) {
    return compat_pthread_getattr_np(thread, attr);
}
HIDDEN int __wrap_pthread_setname_np(pthread_t thread, const char *name) {
    return compat_pthread_setname_np(thread, name);
}

/* dlsym: in libdl.so.2 until 2.34 (build.rs records libdl.so.2 as needed,
 * an empty stub since 2.34). std looks optional functions up with it. */
PIN(compat_dlsym, "dlsym@GLIBC_2.2.5");
void *compat_dlsym(void *handle, const char *name);
HIDDEN void *__wrap_dlsym(void *handle, const char *name);
HIDDEN void *__wrap_dlsym(void *handle, const char *name) { return compat_dlsym(handle, name); }
