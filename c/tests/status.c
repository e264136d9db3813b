/* Status codes and their static messages. */
#include "check.h"

void test_status(void) {
    CHECK(FFI_STATUS_OK == 0);
    const char *ok = ffi_status_message(FFI_STATUS_OK);
    CHECK_STR(ok, "ok");
    for (int s = FFI_STATUS_OK; s <= FFI_STATUS_CANCELLED; s++) {
        const char *m = ffi_status_message(s);
        CHECK(m != NULL && m[0] != '\0');
        for (int t = FFI_STATUS_OK; t < s; t++) {
            CHECK(strcmp(m, ffi_status_message(t)) != 0);
        }
    }
    /* Values that are not statuses still get a static message. */
    CHECK_STR(ffi_status_message(-1), "unknown status");
    CHECK_STR(ffi_status_message(1000000), "unknown status");
    /* Static: the same pointer every time. */
    CHECK(ffi_status_message(FFI_STATUS_OVERFLOW) == ffi_status_message(FFI_STATUS_OVERFLOW));
}
