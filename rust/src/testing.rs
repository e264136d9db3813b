//! Test-only exports, compiled only with the `test-panic` cargo feature. They
//! exist to prove from C and JS that a panic inside an export becomes a status
//! or NULL instead of an abort. The library users get never contains them.

use std::ffi::c_char;

use crate::boundary::{guard, guard_status, ErrorOut};
use crate::error::FfiError;
use crate::status::FfiStatus;

/// Panics inside the guard when `should_panic` is true; returns
/// FFI_STATUS_PANIC then (with the reason "Rust panicked: ffi_test_panic:
/// deliberate panic" in `error`), FFI_STATUS_OK otherwise. Test builds only.
///
/// # Safety
/// `error` is NULL or a live FfiError used by no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn ffi_test_panic(should_panic: bool, error: *mut FfiError) -> FfiStatus {
    // SAFETY: the caller's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
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
