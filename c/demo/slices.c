/* Slices: a C array lent to Rust, and a Rust-owned array handed back. */
#include "demo.h"

void demo_slices(void) {
    DEMO_SECTION("slices");
    const uint32_t numbers[] = {1, 2, 3, 4, 5, 6};
    printf("sum_of_even({1, 2, 3, 4, 5, 6}) = %llu (borrowed, not copied)\n",
           (unsigned long long)sum_of_even(numbers, 6));
    printf("sum_of_even(numbers + 3, 3) = %llu (a slice is a pointer and a length)\n",
           (unsigned long long)sum_of_even(numbers + 3, 3));

    U32Array primes;
    FfiStatus status = primes_up_to(50, &primes, NULL);
    printf("primes_up_to(50) -> %s, %zu primes:", ffi_status_message(status), primes.len);
    for (size_t i = 0; i < primes.len; i++) printf(" %u", primes.data[i]);
    printf("\n");
    u32_array_free(primes); /* Rust allocated it: never free() */
    printf("freed with u32_array_free; live Rust arrays: %zu\n", u32_array_live_count());

    status = primes_up_to(10000000, &primes, NULL);
    printf("primes_up_to(10000000) -> %s, %zu primes, the largest %u\n", ffi_status_message(status),
           primes.len, primes.len > 0 ? primes.data[primes.len - 1] : 0);
    u32_array_free(primes);

    FfiError *error = ffi_error_new();
    status = primes_up_to(PRIMES_UP_TO_MAX_LIMIT + 1u, &primes, error);
    printf("primes_up_to(PRIMES_UP_TO_MAX_LIMIT + 1) -> %s: %s\n", ffi_status_message(status), ffi_error_message(error));
    ffi_error_free(error);
}
