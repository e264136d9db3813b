/* Slices: borrowed arrays in, Rust-owned arrays out. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The obvious sieve, as a model for primes_up_to. */
static size_t model_primes(uint32_t limit, uint32_t *out, size_t room) {
    size_t count = 0;
    if (limit < 2) return 0;
    unsigned char *composite = calloc((size_t)limit + 1, 1);
    if (composite == NULL) return 0;
    for (uint32_t i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        if (count < room) out[count] = i;
        count++;
        for (uint64_t m = (uint64_t)i * i; m <= limit; m += i) composite[m] = 1;
    }
    free(composite);
    return count;
}

static void test_sum_of_even(void) {
    const uint32_t numbers[] = {1, 2, 3, 4, 5, 6, 4294967295u, 4294967294u};
    CHECK(sum_of_even(numbers, 6) == 12);
    CHECK(sum_of_even(numbers, 8) == 12 + 4294967294ull);
    CHECK(sum_of_even(numbers + 1, 1) == 2); /* a slice at an offset */
    CHECK(sum_of_even(numbers, 0) == 0);
    CHECK(sum_of_even(NULL, 0) == 0);
    CHECK(sum_of_even(NULL, 5) == 0); /* documented: NULL with a length gives 0 */

    /* Beyond 2^53 (where a double stops being exact) and 2^32: 2^22 values
       of 0xFFFFFFFE sum to 0xFFFFFFFE * 2^22, exactly. */
    size_t n = (size_t)1 << 22;
    uint32_t *big = malloc(n * sizeof *big);
    CHECK(big != NULL);
    if (big != NULL) {
        for (size_t i = 0; i < n; i++) big[i] = 0xFFFFFFFEu;
        CHECK(sum_of_even(big, n) == (uint64_t)0xFFFFFFFEu << 22);
        /* Every length 0..67 against a scalar loop (vector body and tail). */
        for (size_t i = 0; i < 67; i++) big[i] = (uint32_t)(i * 2654435761u);
        for (size_t len = 0; len < 67; len++) {
            uint64_t expected = 0;
            for (size_t i = 0; i < len; i++) expected += (big[i] % 2 == 0) ? big[i] : 0;
            CHECK(sum_of_even(big, len) == expected);
        }
        free(big);
    }
}

static void test_primes_up_to(void) {
    size_t live = u32_array_live_count();
    U32Array primes = {NULL, 0, 0};

    CHECK_STATUS(primes_up_to(30, &primes, NULL), FFI_STATUS_OK);
    const uint32_t expected[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
    CHECK(primes.len == 10);
    CHECK(primes.capacity >= primes.len);
    CHECK(primes.data != NULL && memcmp(primes.data, expected, sizeof expected) == 0);
    CHECK(u32_array_live_count() == live + 1);
    u32_array_free(primes);
    CHECK(u32_array_live_count() == live);

    /* Against the model, across several 65,536-number segments. */
    static uint32_t model[20000];
    uint32_t limit = 200003;
    size_t model_len = model_primes(limit, model, 20000);
    CHECK_STATUS(primes_up_to(limit, &primes, NULL), FFI_STATUS_OK);
    CHECK(primes.len == model_len && model_len == 17985);
    CHECK(primes.len == model_len && memcmp(primes.data, model, model_len * sizeof *model) == 0);
    u32_array_free(primes);

    CHECK_STATUS(primes_up_to(10000000, &primes, NULL), FFI_STATUS_OK);
    CHECK(primes.len == 664579);
    CHECK(primes.len > 0 && primes.data[primes.len - 1] == 9999991);
    u32_array_free(primes);

    /* Limits below 2: the empty array, nothing allocated. */
    for (uint32_t small = 0; small < 2; small++) {
        CHECK_STATUS(primes_up_to(small, &primes, NULL), FFI_STATUS_OK);
        CHECK(primes.data == NULL && primes.len == 0 && primes.capacity == 0);
        u32_array_free(primes); /* harmless */
    }
    CHECK_STATUS(primes_up_to(2, &primes, NULL), FFI_STATUS_OK);
    CHECK(primes.len == 1 && primes.data[0] == 2);
    u32_array_free(primes);

    /* Above the cap: refused, and *out is the empty array. */
    primes.len = 99;
    CHECK_STATUS(primes_up_to(PRIMES_UP_TO_MAX_LIMIT + 1u, &primes, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(primes.data == NULL && primes.len == 0 && primes.capacity == 0);
    CHECK_STATUS(primes_up_to(UINT32_MAX, &primes, NULL), FFI_STATUS_INVALID_ARGUMENT);
    u32_array_free(primes);
    CHECK_STATUS(primes_up_to(10, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);

    U32Array empty = {NULL, 0, 0};
    u32_array_free(empty); /* a no-op */
    CHECK(u32_array_live_count() == live);
}

/* primes_up_to_into: the same primes, written into the caller's memory in one call. */
static void test_primes_up_to_into(void) {
    size_t live = u32_array_live_count();
    FfiError *error = ffi_error_new();
    CHECK(error != NULL);
    size_t written = 12345;

    /* Ask for the capacity first: a NULL dest of length 0 is too short. */
    CHECK_STATUS(primes_up_to_into(10000, NULL, 0, &written, error), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 1363);
    CHECK_STR(ffi_error_message(error), "dest_len is 0 but the primes up to 10000 need 1363");
    CHECK(written == async_job_primes_capacity(10000));

    /* One short: refused, nothing written. */
    uint32_t *dest = malloc(1363 * sizeof *dest); /* uninitialised memory is fine */
    uint32_t *model = malloc(1363 * sizeof *model);
    CHECK(dest != NULL && model != NULL);
    dest[0] = 7;
    CHECK_STATUS(primes_up_to_into(10000, dest, 1362, &written, NULL), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 1363 && dest[0] == 7);
    /* The header's example reason. */
    CHECK_STATUS(primes_up_to_into(100, dest, 10, &written, error), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 28);
    CHECK_STR(ffi_error_message(error), "dest_len is 10 but the primes up to 100 need 28");

    CHECK_STATUS(primes_up_to_into(10000, dest, 1363, &written, error), FFI_STATUS_OK);
    CHECK(written == 1229);
    CHECK(model_primes(10000, model, 1363) == 1229);
    CHECK(memcmp(dest, model, 1229 * sizeof *dest) == 0);

    /* Below 2: no primes, and NULL with length 0 is fine. */
    CHECK_STATUS(primes_up_to_into(1, NULL, 0, &written, NULL), FFI_STATUS_OK);
    CHECK(written == 0);

    /* Above the cap, NULL out-pointers. */
    CHECK_STATUS(primes_up_to_into(PRIMES_UP_TO_MAX_LIMIT + 1u, dest, 1363, &written, error),
                 FFI_STATUS_INVALID_ARGUMENT);
    CHECK(written == 0);
    CHECK_STR(ffi_error_message(error), "limit 1073741825 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)");
    CHECK_STATUS(primes_up_to_into(100, dest, 1363, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(primes_up_to_into(100, NULL, 1363, &written, NULL), FFI_STATUS_NULL_ARGUMENT);

    free(dest);
    free(model);
    ffi_error_free(error);
    /* Nothing was handed out. */
    CHECK(u32_array_live_count() == live);
}

void test_slices(void) {
    test_sum_of_even();
    test_primes_up_to();
    test_primes_up_to_into();
}
