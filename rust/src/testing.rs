//! Test-only exports, compiled only with the `test-panic` cargo feature. They
//! exist to prove from C and JS that a panic inside an export becomes a status
//! or NULL instead of an abort. The library users get never contains them.

use std::ffi::c_char;

use crate::boundary::{guard, guard_status};
use crate::status::FfiStatus;

/// Panics inside the guard when `should_panic` is true; returns
/// FFI_STATUS_PANIC then, FFI_STATUS_OK otherwise. Test builds only.
#[no_mangle]
pub extern "C" fn ffi_test_panic(should_panic: bool) -> FfiStatus {
    guard_status(|| {
        if should_panic {
            panic!("ffi_test_panic: deliberate panic");
        }
        Ok(())
    })
}

/// Panics inside the guard of a pointer-returning export: returns NULL.
/// Test builds only.
#[no_mangle]
pub extern "C" fn ffi_test_panic_ptr() -> *mut c_char {
    guard(|| panic!("ffi_test_panic_ptr: deliberate panic"))
}
