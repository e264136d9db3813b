/*
 * The reason channel: FfiError objects, and the exact reason of every failure
 * of every status-returning function. The other test files pass NULL for the
 * error object (no detail wanted); this one passes a real one and checks the
 * status it records and its message, word for word.
 */
#include <limits.h>
#include <math.h> /* NAN and INFINITY only */
#include <pthread.h>
#include <stdint.h>

#include "check.h"

/* Checks that the last failure recorded in `error` is `status` with `reason`. */
#define CHECK_REASON(error, status, reason)                 \
    do {                                                    \
        CHECK_STATUS(ffi_error_status(error), (status));    \
        CHECK_STR(ffi_error_message(error), (reason));      \
    } while (0)

static int reasons_checked = 0;

/* Calls `call`, which must return `status`, then checks the reason. */
#define CHECK_FAILS(call, error, status, reason) \
    do {                                         \
        CHECK_STATUS((call), (status));          \
        CHECK_REASON((error), (status), (reason)); \
        reasons_checked++;                       \
    } while (0)

static void test_error_object(void) {
    FfiError *error = ffi_error_new();
    CHECK(error != NULL);
    /* A fresh object: OK and an empty message. */
    CHECK_STATUS(ffi_error_status(error), FFI_STATUS_OK);
    CHECK_STR(ffi_error_message(error), "");
    /* NULL is tolerated everywhere. */
    CHECK_STATUS(ffi_error_status(NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK(ffi_error_message(NULL) == NULL);
    ffi_error_free(NULL);

    /* A failure is recorded; a later success leaves it untouched. */
    int out = 0;
    CHECK_STATUS(add_in_rust_checked(INT_MAX, 1, &out, error), FFI_STATUS_OVERFLOW);
    const char *first = ffi_error_message(error);
    CHECK_STATUS(add_in_rust_checked(1, 2, &out, error), FFI_STATUS_OK);
    CHECK(out == 3);
    CHECK_STATUS(ffi_error_status(error), FFI_STATUS_OVERFLOW);
    CHECK(ffi_error_message(error) == first); /* the same string, still valid */

    /* A later failure replaces both (the old message pointer is then invalid). */
    CHECK_STATUS(add_in_rust_checked(1, 2, NULL, error), FFI_STATUS_NULL_ARGUMENT);
    CHECK_REASON(error, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    ffi_error_free(error);

    /* Independent objects do not see each other's failures. */
    FfiError *a = ffi_error_new();
    FfiError *b = ffi_error_new();
    CHECK_STATUS(parse_number("x", &(Either){0}, a), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(ffi_error_status(b), FFI_STATUS_OK);
    CHECK_STR(ffi_error_message(b), "");
    ffi_error_free(a);
    ffi_error_free(b);
}

/* On its own thread: leaves three thread-owned objects live (one holding a
 * reason) and frees a fourth; returns how many were live before it ended. */
static void *leave_thread_owned_errors(void *before) {
    static size_t seen;
    FfiError *kept[3];
    for (int i = 0; i < 3; i++) {
        kept[i] = ffi_error_new_thread_owned();
    }
    int out = 0;
    (void)add_in_rust_checked(INT_MAX, 1, &out, kept[0]);
    FfiError *freed = ffi_error_new_thread_owned();
    ffi_error_free(freed);
    seen = ffi_error_live_count() - *(const size_t *)before;
    return &seen;
}

static void test_error_objects_are_counted_and_thread_owned_ones_freed_at_exit(void) {
    size_t before = ffi_error_live_count();
    FfiError *plain = ffi_error_new();
    FfiError *owned = ffi_error_new_thread_owned();
    CHECK(plain != NULL && owned != NULL);
    CHECK(ffi_error_live_count() == before + 2);
    /* A thread-owned object works like any other, and free() frees it on its thread. */
    CHECK_STATUS(add_in_rust_checked(1, 2, NULL, owned), FFI_STATUS_NULL_ARGUMENT);
    CHECK_REASON(owned, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    ffi_error_free(owned);
    ffi_error_free(plain);
    CHECK(ffi_error_live_count() == before);

    /* What a thread leaves live is freed when it exits (pthread_join returns after). */
    pthread_t thread;
    void *seen = NULL;
    CHECK(pthread_create(&thread, NULL, leave_thread_owned_errors, &before) == 0);
    CHECK(pthread_join(thread, &seen) == 0);
    CHECK(seen != NULL && *(size_t *)seen == 3);
    CHECK(ffi_error_live_count() == before);
}

static void test_version(void) {
    CHECK(FFI_DEEP_DIVE_VERSION_NUMBER ==
          FFI_DEEP_DIVE_VERSION_MAJOR * 1000000 + FFI_DEEP_DIVE_VERSION_MINOR * 1000 + FFI_DEEP_DIVE_VERSION_PATCH);
#if FFI_DEEP_DIVE_VERSION_NUMBER < 2000
#error "the header predates the reason channel (0.2.0)"
#endif
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", FFI_DEEP_DIVE_VERSION_MAJOR, FFI_DEEP_DIVE_VERSION_MINOR,
             FFI_DEEP_DIVE_VERSION_PATCH);
    CHECK_STR(ffi_deep_dive_version(), expected);
    CHECK(ffi_deep_dive_version() == ffi_deep_dive_version()); /* static */
}

static void test_numbers_reasons(FfiError *e) {
    int out = 7;
    CHECK_FAILS(add_in_rust_checked(INT_MAX, 1, &out, e), e, FFI_STATUS_OVERFLOW,
                "2147483647 + 1 = 2147483648 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)");
    CHECK_FAILS(add_in_rust_checked(INT_MIN, -1, &out, e), e, FFI_STATUS_OVERFLOW,
                "-2147483648 + -1 = -2147483649 does not fit in a 32-bit int: it is below INT32_MIN (-2147483648)");
    CHECK(out == 7);
    CHECK_FAILS(add_in_rust_checked(1, 1, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
}

static void test_strings_reasons(FfiError *e) {
    char buf[8];
    size_t needed = 0;
    CHECK_FAILS(concat_strings_into("abcd", "efgh", buf, sizeof buf, &needed, e), e, FFI_STATUS_BUFFER_TOO_SMALL,
                "the result needs 9 bytes (NUL included) but buf_len is 8");
    CHECK(needed == 9 && buf[0] == '\0');
    CHECK_FAILS(concat_strings_into("ab", "c", NULL, 0, &needed, e), e, FFI_STATUS_BUFFER_TOO_SMALL,
                "the result needs 4 bytes (NUL included) but buf_len is 0");
    CHECK_FAILS(concat_strings_into("ab", "c", NULL, 5, &needed, e), e, FFI_STATUS_NULL_ARGUMENT,
                "buf is NULL but buf_len is 5");
    CHECK_FAILS(concat_strings_into(NULL, "c", buf, sizeof buf, NULL, e), e, FFI_STATUS_NULL_ARGUMENT,
                "first is NULL");
    CHECK_FAILS(concat_strings_into("c", NULL, buf, sizeof buf, NULL, e), e, FFI_STATUS_NULL_ARGUMENT,
                "second is NULL");

    size_t n = 99;
    CHECK_FAILS(count_characters("abc\xff", &n, e), e, FFI_STATUS_INVALID_UTF8,
                "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 3");
    CHECK_FAILS(count_characters("h\xc3\xa9\xed\xa0\x80", &n, e), e, FFI_STATUS_INVALID_UTF8,
                "s is not valid UTF-8: invalid byte sequence 0xed at byte offset 3"); /* an encoded surrogate */
    CHECK_FAILS(count_characters("\xe2\x82", &n, e), e, FFI_STATUS_INVALID_UTF8,
                "s is not valid UTF-8: incomplete character at byte offset 0 (the input ends after 2 of its bytes)");
    CHECK_FAILS(count_characters("\xc3(", &n, e), e, FFI_STATUS_INVALID_UTF8,
                "s is not valid UTF-8: invalid byte sequence 0xc3 at byte offset 0");
    CHECK(n == 99);
    CHECK_FAILS(count_characters(NULL, &n, e), e, FFI_STATUS_NULL_ARGUMENT, "s is NULL");
    CHECK_FAILS(count_characters("x", NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");

    /* (pointer, length) text. */
    const uint16_t units[] = {0x68, 0xdc00, 0xd83e, 0xdd80};
    CHECK_FAILS(count_characters_utf16(units, 4, &n, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "s is not well-formed UTF-16: lone surrogate 0xDC00 at code unit 1");
    CHECK_FAILS(count_characters_utf16(units + 2, 1, &n, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "s is not well-formed UTF-16: lone surrogate 0xD83E at code unit 0");
    CHECK_FAILS(count_characters_utf16(NULL, 2, &n, e), e, FFI_STATUS_NULL_ARGUMENT, "s is NULL but len is 2");
    CHECK_FAILS(count_characters_utf16(units, 1, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    const uint16_t *odd = (const uint16_t *)(const void *)((const char *)units + 1);
    char reason[160];
    snprintf(reason, sizeof reason, "s is not aligned to 2 bytes (address %p), as a uint16_t * must be",
             (const void *)odd);
    CHECK_FAILS(count_characters_utf16(odd, 1, &n, e), e, FFI_STATUS_INVALID_ARGUMENT, reason);
    snprintf(reason, sizeof reason, "len is %zu, more elements than any array can hold (at most %zu of 2 bytes)",
             (size_t)SIZE_MAX, (size_t)PTRDIFF_MAX / 2);
    CHECK_FAILS(count_characters_utf16(units, SIZE_MAX, &n, e), e, FFI_STATUS_INVALID_ARGUMENT, reason);

    CHECK_FAILS(count_characters_utf8("a\0\xff", 3, &n, e), e, FFI_STATUS_INVALID_UTF8,
                "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 2");
    CHECK_FAILS(count_characters_utf8(NULL, 1, &n, e), e, FFI_STATUS_NULL_ARGUMENT, "s is NULL but len is 1");
    CHECK_FAILS(count_characters_utf8("x", 1, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");

    uint16_t out16[4];
    const uint16_t ab[] = {0x61, 0x62, 0x63};
    CHECK_FAILS(concat_strings_utf16_into(ab, 3, ab, 2, out16, 4, &needed, e), e, FFI_STATUS_BUFFER_TOO_SMALL,
                "the result needs 5 code units but buf_len is 4");
    CHECK(needed == 5);
    CHECK_FAILS(concat_strings_utf16_into(units, 2, ab, 1, out16, 4, NULL, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "first is not well-formed UTF-16: lone surrogate 0xDC00 at code unit 1");
    CHECK_FAILS(concat_strings_utf16_into(ab, 1, units + 3, 1, out16, 4, NULL, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "second is not well-formed UTF-16: lone surrogate 0xDD80 at code unit 0");
    CHECK_FAILS(concat_strings_utf16_into(NULL, 1, ab, 1, out16, 4, NULL, e), e, FFI_STATUS_NULL_ARGUMENT,
                "first is NULL but first_len is 1");
    CHECK_FAILS(concat_strings_utf16_into(ab, 1, NULL, 2, out16, 4, NULL, e), e, FFI_STATUS_NULL_ARGUMENT,
                "second is NULL but second_len is 2");
    CHECK_FAILS(concat_strings_utf16_into(ab, 1, ab, 1, NULL, 4, NULL, e), e, FFI_STATUS_NULL_ARGUMENT,
                "buf is NULL but buf_len is 4");
}

static void test_enums_reasons(FfiError *e) {
    double area = -1.0;
    Shape s = circle(-1.0);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "radius is -1: a dimension must be finite and >= 0");
    s = circle(NAN);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "radius is NaN: a dimension must be finite and >= 0");
    s = circle(INFINITY);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "radius is Infinity: a dimension must be finite and >= 0");
    s = rectangle(-0.5, 1.0);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "width is -0.5: a dimension must be finite and >= 0");
    s = rectangle(1.0, -INFINITY);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "height is -Infinity: a dimension must be finite and >= 0");
    s = triangle(3.0, -4.0, 5.0);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "b is -4: a dimension must be finite and >= 0");
    s = triangle(1.0, 1.0, 5.0);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "the sides a = 1, b = 1, c = 5 break the triangle inequality: c = 5 is longer than a + b = 2");
    s = triangle(7.5, 2.0, 3.0);
    CHECK_FAILS(shape_scale(&s, 2.0, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "the sides a = 7.5, b = 2, c = 3 break the triangle inequality: a = 7.5 is longer than b + c = 5");
    CHECK(s.TRIANGLE.a == 7.5); /* untouched */
    s = circle(1e200);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_OVERFLOW,
                "the area of the circle with radius 1e200 is too large for a double (above 1.7976931348623157e308)");
    s = rectangle(1e300, 1e10);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_OVERFLOW,
                "the area of the rectangle with width 1e300, height 10000000000 is too large for a double "
                "(above 1.7976931348623157e308)");
    CHECK(area == -1.0);

    s = rectangle(2.0, 3.0);
    CHECK_FAILS(shape_scale(&s, -2.0, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "factor is -2: a scale factor must be finite and >= 0");
    CHECK_FAILS(shape_scale(&s, NAN, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "factor is NaN: a scale factor must be finite and >= 0");
    CHECK_FAILS(shape_scale(&s, INFINITY, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "factor is Infinity: a scale factor must be finite and >= 0");
    CHECK_FAILS(shape_scale(&s, 1e308, e), e, FFI_STATUS_OVERFLOW,
                "width 2 × factor 1e308 is too large for a double (above 1.7976931348623157e308)");
    CHECK(s.RECTANGLE.width == 2.0 && s.RECTANGLE.height == 3.0);

    uint32_t bogus = 7;
    memcpy(&s.tag, &bogus, sizeof bogus);
    CHECK_FAILS(shape_area(&s, &area, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "unknown Shape tag 7: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)");
    CHECK_FAILS(shape_scale(&s, 1.0, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "unknown Shape tag 7: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)");
    CHECK_FAILS(shape_area(NULL, &area, e), e, FFI_STATUS_NULL_ARGUMENT, "shape is NULL");
    s = circle(1.0);
    CHECK_FAILS(shape_area(&s, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    CHECK_FAILS(shape_scale(NULL, 2.0, e), e, FFI_STATUS_NULL_ARGUMENT, "shape is NULL");
}

static void test_unions_reasons(FfiError *e) {
    Either out;
    memset(&out, 0, sizeof out);
    static const struct {
        const char *text;
        const char *reason;
    } cases[] = {
        {"", "\"\" is not a number: the text is empty"},
        {"4 2", "\"4 2\" is not a number: unexpected ' ' at byte 1"},
        {" 42", "\" 42\" is not a number: unexpected ' ' at byte 0"},
        {"0x10", "\"0x10\" is not a number: unexpected 'x' at byte 1"},
        {"4.5f", "\"4.5f\" is not a number: unexpected 'f' at byte 3"},
        {"1e", "\"1e\" is not a number: expected a digit at byte 2, found the end of the text"},
        {"-", "\"-\" is not a number: expected a digit at byte 1, found the end of the text"},
        {"h\xc3\xa9", "\"h\xc3\xa9\" is not a number: unexpected 'h' at byte 0"},
        {"1\xc3\xa9", "\"1\xc3\xa9\" is not a number: unexpected '\xc3\xa9' at byte 1"},
        {"nan", "\"nan\" is not a finite number: NaN and infinities are refused"},
        {"-inf", "\"-inf\" is not a finite number: NaN and infinities are refused"},
        {"2147483648", "\"2147483648\" is out of range for int32 (-2147483648 to 2147483647)"},
        {"-2147483649", "\"-2147483649\" is out of range for int32 (-2147483648 to 2147483647)"},
        {"1e39", "\"1e39\" is out of range for float (its magnitude is above 3.4028235e38)"},
        {"12345678901234567890123456789012345678901234567890x",
         "\"1234567890123456789012345678901234567890\"... (51 bytes) is not a number: unexpected 'x' at byte 50"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_FAILS(parse_number(cases[i].text, &out, e), e, FFI_STATUS_INVALID_ARGUMENT, cases[i].reason);
    }
    CHECK_FAILS(parse_number("4\xff", &out, e), e, FFI_STATUS_INVALID_UTF8,
                "text is not valid UTF-8: invalid byte sequence 0xff at byte offset 1");
    CHECK_FAILS(parse_number(NULL, &out, e), e, FFI_STATUS_NULL_ARGUMENT, "text is NULL");
    CHECK_FAILS(parse_number("1", NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    CHECK(out.tag == 0 && out.value.left == 0); /* never written */
}

static int stop_at_zero(uint32_t value, void *user_data) {
    (void)user_data;
    return value == 0 ? COUNT_WHERE_STOP : COUNT_WHERE_MATCH;
}

/* A predicate that makes a failing call with the same error object: the outer
   count_where() records its own reason only after the last predicate call. */
static int nested_failure(uint32_t value, void *user_data) {
    int sum = 0;
    (void)add_in_rust_checked(INT_MAX, (int)value, &sum, (FfiError *)user_data);
    return value == 0 ? COUNT_WHERE_STOP : COUNT_WHERE_MATCH;
}

static void test_callbacks_reasons(FfiError *e) {
    const uint32_t numbers[] = {4, 5, 0, 6};
    size_t count = 99;
    CHECK_FAILS(count_where(numbers, 4, stop_at_zero, NULL, &count, e), e, FFI_STATUS_CANCELLED,
                "the predicate stopped the count at index 2 (value 0) after 2 matches");
    CHECK(count == 2);
    CHECK_FAILS(count_where(numbers + 1, 2, stop_at_zero, NULL, &count, e), e, FFI_STATUS_CANCELLED,
                "the predicate stopped the count at index 1 (value 0) after 1 match");
    CHECK_FAILS(count_where(numbers, 4, nested_failure, e, &count, e), e, FFI_STATUS_CANCELLED,
                "the predicate stopped the count at index 2 (value 0) after 2 matches");
    CHECK_FAILS(count_where(numbers, 4, NULL, NULL, &count, e), e, FFI_STATUS_NULL_ARGUMENT, "predicate is NULL");
    CHECK_FAILS(count_where(numbers, 4, stop_at_zero, NULL, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");
    CHECK_FAILS(count_where(NULL, 3, stop_at_zero, NULL, &count, e), e, FFI_STATUS_NULL_ARGUMENT,
                "numbers is NULL but length is 3");
    char huge[160];
    snprintf(huge, sizeof huge, "length is %zu, more elements than any array can hold (at most %zu of 4 bytes)",
             (size_t)SIZE_MAX, (size_t)PTRDIFF_MAX / 4);
    CHECK_FAILS(count_where(numbers, SIZE_MAX, stop_at_zero, NULL, &count, e), e, FFI_STATUS_INVALID_ARGUMENT,
                huge);
}

static void test_slices_reasons(FfiError *e) {
    U32Array out = {NULL, 0, 0};
    CHECK_FAILS(primes_up_to(PRIMES_UP_TO_MAX_LIMIT + 1u, &out, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "limit 1073741825 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)");
    CHECK_FAILS(primes_up_to(UINT32_MAX, &out, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "limit 4294967295 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)");
    CHECK(out.data == NULL && out.len == 0);
    CHECK_FAILS(primes_up_to(10, NULL, e), e, FFI_STATUS_NULL_ARGUMENT, "out is NULL");

    CHECK_STATUS(primes_up_to(30, &out, NULL), FFI_STATUS_OK);
    uint32_t dest[10];
    CHECK_FAILS(u32_array_move_into(&out, dest, 9, e), e, FFI_STATUS_BUFFER_TOO_SMALL,
                "the array has 10 values but dest_len is 9");
    CHECK_FAILS(u32_array_move_into(&out, NULL, 10, e), e, FFI_STATUS_NULL_ARGUMENT,
                "dest is NULL but the array has 10 values");
    CHECK_FAILS(u32_array_move_into(NULL, dest, 10, e), e, FFI_STATUS_NULL_ARGUMENT, "array is NULL");
    CHECK_STATUS(u32_array_move_into(&out, dest, 10, e), FFI_STATUS_OK);
    CHECK(dest[9] == 29 && out.data == NULL);
}

static void test_async_reasons(FfiError *e) {
    uint32_t arena[4] = {0};
    AsyncJob jobs[3];
    memset(jobs, 0, sizeof jobs);
    jobs[0].kind = ASYNC_JOB_SUM_OF_EVEN;
    jobs[0].input_len = 4;
    jobs[1].kind = ASYNC_JOB_PRIMES_UP_TO;
    jobs[1].limit = 100;
    jobs[1].output_capacity = 4;
    jobs[2].kind = 42;
    CHECK_FAILS(async_jobs_run(jobs, 3, arena, 4, e), e, FFI_STATUS_BUFFER_TOO_SMALL,
                "job 1: output_capacity 4 is below async_job_primes_capacity(100) = 28 (1 other job failed too)");
    CHECK(jobs[0].status == FFI_STATUS_OK && jobs[1].status == FFI_STATUS_BUFFER_TOO_SMALL &&
          jobs[2].status == FFI_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(async_jobs_run(jobs + 2, 1, arena, 4, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "job 0: unknown kind 42: expected ASYNC_JOB_SUM_OF_EVEN (1) or ASYNC_JOB_PRIMES_UP_TO (2)");
    jobs[0].input_offset = 2;
    CHECK_FAILS(async_jobs_run(jobs, 1, arena, 4, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "job 0: input 2 + 4 values lie outside the arena of 4 values");
    jobs[1].limit = PRIMES_UP_TO_MAX_LIMIT + 1u;
    CHECK_FAILS(async_jobs_run(jobs + 1, 1, arena, 4, e), e, FFI_STATUS_INVALID_ARGUMENT,
                "job 0: limit 1073741825 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)");
    CHECK_FAILS(async_jobs_run(NULL, 2, arena, 4, e), e, FFI_STATUS_NULL_ARGUMENT, "jobs is NULL but count is 2");
    CHECK_FAILS(async_jobs_run(jobs, 1, NULL, 4, e), e, FFI_STATUS_NULL_ARGUMENT, "arena is NULL but arena_len is 4");
}

void test_error(void) {
    test_error_object();
    test_error_objects_are_counted_and_thread_owned_ones_freed_at_exit();
    test_version();
    FfiError *e = ffi_error_new();
    test_numbers_reasons(e);
    test_strings_reasons(e);
    test_enums_reasons(e);
    test_unions_reasons(e);
    test_callbacks_reasons(e);
    test_slices_reasons(e);
    test_async_reasons(e);
    ffi_error_free(e);
    printf("errors: %d reasons checked word for word\n", reasons_checked);
}
