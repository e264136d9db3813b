/* Numbers: an int is an int on both sides; only overflow needs a decision. */
#include <limits.h>

#include "demo.h"

void demo_numbers(void) {
    DEMO_SECTION("numbers");
    printf("add_in_rust(2, 3) = %d\n", add_in_rust(2, 3));
    printf("add_in_rust(INT_MAX, 1) = %d (wraps, two's complement)\n", add_in_rust(INT_MAX, 1));

    int sum = 0;
    /* NULL for the error object: no reason wanted, the status is enough. */
    FfiStatus status = add_in_rust_checked(40, 2, &sum, NULL);
    printf("add_in_rust_checked(40, 2) -> %s, sum = %d\n", ffi_status_message(status), sum);
    /* An error object receives the reason of a failure. */
    FfiError *error = ffi_error_new();
    status = add_in_rust_checked(INT_MAX, 1, &sum, error);
    printf("add_in_rust_checked(INT_MAX, 1) -> %s: %s\n", ffi_status_message(status), ffi_error_message(error));
    ffi_error_free(error);
}
