/*
 * libFuzzer harness for the C API: random bytes into every function that
 * parses or copies caller data. Built with clang -fsanitize=fuzzer,address,
 * undefined by `make fuzz` (and a short smoke run in `make test`).
 *
 * The first input byte picks the target; the rest is its input. Text inputs
 * are split at the first 0 byte into two NUL-terminated strings, so the
 * functions see arbitrary bytes, invalid UTF-8 and empty strings.
 *
 * Targets of concepts the header may not have yet are compiled only when the
 * Makefile finds their function in the header (-DFFI_HAVE_<function>): adding
 * one is a case below and a name in FUZZ_OPTIONAL in the Makefile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ffi_deep_dive.h"

/* Aborts (a libFuzzer crash report) when a documented promise is broken. */
#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: promise broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                        \
        }                                                                   \
    } while (0)

#include <stdio.h>

/*
 * One error object for the whole run, passed to every status-returning call:
 * the reasons are built from the fuzzed bytes (quoted text, byte offsets), so
 * they are fuzzed too. Kept in a static, so LeakSanitizer sees it as reachable.
 */
static FfiError *error_object(void) {
    static FfiError *error = NULL;
    if (error == NULL) error = ffi_error_new();
    REQUIRE(error != NULL);
    return error;
}

/* Every failure leaves its status and a non-empty reason in the error object. */
static void require_reason(FfiStatus st) {
    if (st == FFI_STATUS_OK) return;
    FfiError *error = error_object();
    REQUIRE(ffi_error_status(error) == st);
    const char *reason = ffi_error_message(error);
    REQUIRE(reason != NULL && reason[0] != '\0');
}

/* The input as two NUL-terminated strings (split at the first 0 byte). */
typedef struct {
    char *first;
    char *second;
    size_t first_len;
    size_t second_len;
} Split;

static Split split(const uint8_t *data, size_t size) {
    Split s;
    const uint8_t *zero = memchr(data, 0, size);
    s.first_len = zero != NULL ? (size_t)(zero - data) : size;
    const uint8_t *rest = zero != NULL ? zero + 1 : data + size;
    size_t rest_len = (size_t)(data + size - rest);
    const uint8_t *zero2 = memchr(rest, 0, rest_len);
    s.second_len = zero2 != NULL ? (size_t)(zero2 - rest) : rest_len;
    s.first = malloc(s.first_len + 1);
    s.second = malloc(s.second_len + 1);
    REQUIRE(s.first != NULL && s.second != NULL);
    memcpy(s.first, data, s.first_len);
    s.first[s.first_len] = '\0';
    memcpy(s.second, rest, s.second_len);
    s.second[s.second_len] = '\0';
    return s;
}

static void fuzz_concat_strings(const uint8_t *data, size_t size) {
    Split s = split(data, size);
    size_t live = rust_string_live_count();
    char *joined = concat_strings(s.first, s.second);
    REQUIRE(joined != NULL);
    REQUIRE(strlen(joined) == s.first_len + s.second_len);
    REQUIRE(memcmp(joined, s.first, s.first_len) == 0);
    REQUIRE(memcmp(joined + s.first_len, s.second, s.second_len) == 0);
    free_rust_string(joined);
    REQUIRE(rust_string_live_count() <= live); /* other threads never run here */
    free(s.first);
    free(s.second);
}

static void fuzz_concat_strings_into(const uint8_t *data, size_t size) {
    /* The last byte chooses the buffer size (0..255), so both outcomes happen. */
    size_t buf_len = size > 0 ? data[size - 1] : 0;
    Split s = split(data, size > 0 ? size - 1 : 0);
    char *buf = buf_len > 0 ? malloc(buf_len) : NULL; /* exact size: ASan sees any overflow */
    size_t needed = 0;
    FfiStatus st = concat_strings_into(s.first, s.second, buf, buf_len, &needed, error_object());
    require_reason(st);
    REQUIRE(needed == s.first_len + s.second_len + 1);
    if (needed <= buf_len) {
        REQUIRE(st == FFI_STATUS_OK);
        REQUIRE(memcmp(buf, s.first, s.first_len) == 0);
        REQUIRE(memcmp(buf + s.first_len, s.second, s.second_len) == 0);
        REQUIRE(buf[needed - 1] == '\0');
    } else {
        REQUIRE(st == FFI_STATUS_BUFFER_TOO_SMALL);
        REQUIRE(buf_len == 0 || buf[0] == '\0');
    }
    free(buf);
    free(s.first);
    free(s.second);
}

static void fuzz_count_characters(const uint8_t *data, size_t size) {
    Split s = split(data, size);
    size_t n = (size_t)-1;
    FfiStatus st = count_characters(s.first, &n, error_object());
    require_reason(st);
    REQUIRE(st == FFI_STATUS_OK || st == FFI_STATUS_INVALID_UTF8);
    if (st == FFI_STATUS_OK) {
        /* Code points = bytes that are not UTF-8 continuation bytes. */
        size_t expected = 0;
        for (size_t i = 0; i < s.first_len; i++) expected += ((uint8_t)s.first[i] & 0xc0) != 0x80;
        REQUIRE(n == expected);
    } else {
        REQUIRE(n == (size_t)-1); /* written only on success */
    }
    free(s.first);
    free(s.second);
}

/* A C model of UTF-16 well-formedness: the number of code points, or -1 for a lone surrogate. */
static long long utf16_code_points(const uint16_t *units, size_t len) {
    long long n = 0;
    for (size_t i = 0; i < len; i++, n++) {
        uint16_t u = units[i];
        if (u >= 0xdc00 && u <= 0xdfff) return -1;
        if (u >= 0xd800 && u <= 0xdbff) {
            if (i + 1 == len || units[i + 1] < 0xdc00 || units[i + 1] > 0xdfff) return -1;
            i++;
        }
    }
    return n;
}

/* The input as UTF-16 code units in an exactly-sized, aligned buffer (an odd last byte is dropped). */
static uint16_t *utf16_copy(const uint8_t *data, size_t size, size_t *len) {
    *len = size / 2;
    uint16_t *units = malloc(*len * 2 + 1);
    REQUIRE(units != NULL);
    memcpy(units, data, *len * 2);
    return units;
}

static void fuzz_count_characters_utf16(const uint8_t *data, size_t size) {
    size_t len;
    uint16_t *units = utf16_copy(data, size, &len);
    size_t n = (size_t)-1;
    FfiStatus st = count_characters_utf16(units, len, &n, error_object());
    require_reason(st);
    long long expected = utf16_code_points(units, len);
    if (expected >= 0) {
        REQUIRE(st == FFI_STATUS_OK);
        REQUIRE(n == (size_t)expected);
    } else {
        REQUIRE(st == FFI_STATUS_INVALID_ARGUMENT);
        REQUIRE(n == (size_t)-1); /* written only on success */
    }
    free(units);
}

static void fuzz_count_characters_utf8(const uint8_t *data, size_t size) {
    /* Exactly `size` bytes, 0 bytes included, no terminator: ASan sees any read past the end. */
    char *bytes = malloc(size + 1);
    REQUIRE(bytes != NULL);
    memcpy(bytes, data, size);
    size_t n = (size_t)-1;
    FfiStatus st = count_characters_utf8(size > 0 ? bytes : NULL, size, &n, error_object());
    require_reason(st);
    REQUIRE(st == FFI_STATUS_OK || st == FFI_STATUS_INVALID_UTF8);
    if (st == FFI_STATUS_OK) {
        size_t expected = 0;
        for (size_t i = 0; i < size; i++) expected += ((uint8_t)bytes[i] & 0xc0) != 0x80;
        REQUIRE(n == expected);
    } else {
        REQUIRE(n == (size_t)-1);
    }
    free(bytes);
}

static void fuzz_concat_strings_utf16_into(const uint8_t *data, size_t size) {
    /* The last byte chooses the buffer size (0..255 units), the first the split point. */
    size_t buf_len = size > 0 ? data[size - 1] : 0;
    size_t units_len;
    uint16_t *units = utf16_copy(data, size > 0 ? size - 1 : 0, &units_len);
    size_t first_len = units_len > 0 ? (size > 0 ? data[0] : 0) % (units_len + 1) : 0;
    size_t second_len = units_len - first_len;
    /* Each input in its own exactly-sized allocation. */
    uint16_t *first = malloc(first_len * 2 + 1);
    uint16_t *second = malloc(second_len * 2 + 1);
    uint16_t *buf = buf_len > 0 ? malloc(buf_len * 2) : NULL;
    REQUIRE(first != NULL && second != NULL && (buf_len == 0 || buf != NULL));
    memcpy(first, units, first_len * 2);
    memcpy(second, units + first_len, second_len * 2);
    size_t needed = (size_t)-1;
    FfiStatus st =
        concat_strings_utf16_into(first, first_len, second, second_len, buf, buf_len, &needed, error_object());
    require_reason(st);
    REQUIRE(needed == first_len + second_len);
    if (utf16_code_points(first, first_len) < 0 || utf16_code_points(second, second_len) < 0) {
        REQUIRE(st == FFI_STATUS_INVALID_ARGUMENT);
    } else if (needed <= buf_len) {
        REQUIRE(st == FFI_STATUS_OK);
        REQUIRE(first_len == 0 || memcmp(buf, first, first_len * 2) == 0);
        REQUIRE(second_len == 0 || memcmp(buf + first_len, second, second_len * 2) == 0);
    } else {
        REQUIRE(st == FFI_STATUS_BUFFER_TOO_SMALL);
    }
    free(buf);
    free(first);
    free(second);
    free(units);
}

#ifdef FFI_HAVE_parse_number
static void fuzz_parse_number(const uint8_t *data, size_t size) {
    Split s = split(data, size);
    Either out;
    memset(&out, 0, sizeof out);
    FfiStatus st = parse_number(s.first, &out, error_object());
    require_reason(st);
    REQUIRE(st == FFI_STATUS_OK || st == FFI_STATUS_INVALID_ARGUMENT || st == FFI_STATUS_INVALID_UTF8);
    if (st == FFI_STATUS_OK) REQUIRE(out.tag == EITHER_LEFT || out.tag == EITHER_RIGHT);
    free(s.first);
    free(s.second);
}
#endif

#ifdef FFI_HAVE_shape_area
static void fuzz_shape_area(const uint8_t *data, size_t size) {
    /* Raw bytes as a Shape: any tag value, any payload (NaN, negative, ...). */
    Shape shape;
    memset(&shape, 0, sizeof shape);
    memcpy(&shape, data, size < sizeof shape ? size : sizeof shape);
    double area = -1.0;
    FfiStatus st = shape_area(&shape, &area, error_object());
    require_reason(st);
    /* The documented outcomes: an area, a refused shape, or an area too big for a double. */
    REQUIRE(st == FFI_STATUS_OK || st == FFI_STATUS_INVALID_ARGUMENT || st == FFI_STATUS_OVERFLOW);
    if (st == FFI_STATUS_OK) REQUIRE(area >= 0.0 && area <= 1.7976931348623157e308);
    else REQUIRE(area == -1.0); /* written only on success */
}
#endif

typedef void (*Target)(const uint8_t *data, size_t size);

static const Target targets[] = {
    fuzz_concat_strings,
    fuzz_concat_strings_into,
    fuzz_count_characters,
    fuzz_count_characters_utf16,
    fuzz_count_characters_utf8,
    fuzz_concat_strings_utf16_into,
#ifdef FFI_HAVE_parse_number
    fuzz_parse_number,
#endif
#ifdef FFI_HAVE_shape_area
    fuzz_shape_area,
#endif
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    targets[data[0] % (sizeof targets / sizeof targets[0])](data + 1, size - 1);
    return 0;
}
