/*
 * __tsan_memcpy, __tsan_memmove and __tsan_memset for clang 14's
 * ThreadSanitizer runtime.
 *
 * The library's TSan build (`make test-tsan`) comes from nightly rustc,
 * whose newer LLVM turns memcpy/memmove/memset in instrumented code into
 * calls to these three; clang 14's runtime does not define them (LLVM 16
 * added them). Each forwards to the libc function, which the runtime
 * intercepts: the access is checked exactly as in C code built with
 * -fsanitize=thread. Linked into the TSan test programs only, and exported
 * (-rdynamic) so that the instrumented libffi_deep_dive.so binds to them.
 */
#include <string.h>

void *__tsan_memcpy(void *dest, const void *src, size_t n);
void *__tsan_memmove(void *dest, const void *src, size_t n);
void *__tsan_memset(void *dest, int c, size_t n);

void *__tsan_memcpy(void *dest, const void *src, size_t n) { return memcpy(dest, src, n); }

void *__tsan_memmove(void *dest, const void *src, size_t n) { return memmove(dest, src, n); }

void *__tsan_memset(void *dest, int c, size_t n) { return memset(dest, c, n); }
