/* Numbers: wrapping and checked addition. */
#include <limits.h>

#include "check.h"

void test_numbers(void) {
    CHECK(add_in_rust(2, 3) == 5);
    CHECK(add_in_rust(-2, -3) == -5);
    CHECK(add_in_rust(INT_MAX, 1) == INT_MIN);
    CHECK(add_in_rust(INT_MIN, -1) == INT_MAX);

    int out = 7;
    CHECK_STATUS(add_in_rust_checked(40, 2, &out, NULL), FFI_STATUS_OK);
    CHECK(out == 42);
    CHECK_STATUS(add_in_rust_checked(INT_MAX, 1, &out, NULL), FFI_STATUS_OVERFLOW);
    CHECK(out == 42); /* untouched on overflow */
    CHECK_STATUS(add_in_rust_checked(INT_MIN, -1, &out, NULL), FFI_STATUS_OVERFLOW);
    CHECK_STATUS(add_in_rust_checked(INT_MIN, INT_MAX, &out, NULL), FFI_STATUS_OK);
    CHECK(out == -1);
    CHECK_STATUS(add_in_rust_checked(1, 2, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
}
