/*
 * The panic guard, seen from C: built only into build/test_panic, linked
 * against the test build of the library (`make lib-test-panic`, cargo feature
 * test-panic), which adds two exports that panic on purpose. The library users
 * get has neither (the ABI conformance test checks that).
 */
#include <stdbool.h>

#include "check.h"

/* Test-build-only exports: not in the public header. */
FfiStatus ffi_test_panic(bool should_panic, FfiError *error);
char *ffi_test_panic_ptr(void);

int check_passed = 0;
int check_failed = 0;

int main(void) {
    /* No panic: OK. */
    CHECK_STATUS(ffi_test_panic(false, NULL), FFI_STATUS_OK);
    /* A panic inside the export becomes a status, and the process goes on. */
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(ffi_test_panic(true, NULL), FFI_STATUS_PANIC);
        CHECK(ffi_test_panic_ptr() == NULL);
    }
    CHECK_STR(ffi_status_message(FFI_STATUS_PANIC), "Rust panicked; the panic was caught at the boundary");
    /* The error object receives the panic's message as the reason. */
    FfiError *error = ffi_error_new();
    CHECK_STATUS(ffi_test_panic(true, error), FFI_STATUS_PANIC);
    CHECK_STATUS(ffi_error_status(error), FFI_STATUS_PANIC);
    CHECK_STR(ffi_error_message(error), "Rust panicked: ffi_test_panic: deliberate panic");
    CHECK_STATUS(ffi_test_panic(false, error), FFI_STATUS_OK);
    CHECK_STR(ffi_error_message(error), "Rust panicked: ffi_test_panic: deliberate panic"); /* untouched */
    ffi_error_free(error);

    /* Everything still works after the panics. */
    CHECK(add_in_rust(2, 3) == 5);
    size_t live = rust_string_live_count();
    char *s = concat_strings("after ", "panic");
    CHECK_STR(s, "after panic");
    free_rust_string(s);
    CHECK(rust_string_live_count() == live);
    CHECK_STATUS(ffi_test_panic(false, NULL), FFI_STATUS_OK);

    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
