//! Numbers: the simplest thing that crosses the boundary. An `int` is an
//! `int` on both sides; only overflow needs a decision.

use std::ffi::c_int;

use crate::boundary::{guard, guard_status, write_out};
use crate::status::FfiStatus;

/// `a + b`, wrapping on overflow (two's complement).
pub fn add_wrapping(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `a + b`, or [`FfiStatus::Overflow`] when it does not fit in an `i32`.
pub fn add_checked(a: i32, b: i32) -> Result<i32, FfiStatus> {
    a.checked_add(b).ok_or(FfiStatus::Overflow)
}

/// Returns `a + b`. On overflow the sum wraps around (two's complement), so
/// `add_in_rust(INT_MAX, 1) == INT_MIN`: defined behaviour, never UB, never
/// an abort. Use add_in_rust_checked() to detect overflow instead.
///
/// Ownership: plain values in and out; no pointer, so nothing is owned,
/// borrowed or freed and NULL cannot occur. Thread-safe. Cannot fail.
#[no_mangle]
pub extern "C" fn add_in_rust(a: c_int, b: c_int) -> c_int {
    guard(|| add_wrapping(a, b))
}

/// Stores `a + b` in `*out`.
///
/// Returns FFI_STATUS_OK on success, FFI_STATUS_OVERFLOW if the sum does not
/// fit in an `int` (then `*out` is left unchanged), FFI_STATUS_NULL_ARGUMENT
/// if `out` is NULL.
///
/// `out` is borrowed for the call only. Thread-safe.
///
/// # Safety
/// `out` is NULL or valid for writing one `int`.
#[no_mangle]
pub unsafe extern "C" fn add_in_rust_checked(a: c_int, b: c_int, out: *mut c_int) -> FfiStatus {
    guard_status(|| {
        if out.is_null() {
            return Err(FfiStatus::NullArgument);
        }
        let sum = add_checked(a, b)?;
        // SAFETY: the header requires `out` to be NULL (handled above) or a
        // valid, aligned `int *`.
        unsafe { write_out(out, sum) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_wraps() {
        assert_eq!(add_in_rust(2, 3), 5);
        assert_eq!(add_in_rust(-7, 3), -4);
        assert_eq!(add_in_rust(i32::MAX, 1), i32::MIN);
        assert_eq!(add_in_rust(i32::MIN, -1), i32::MAX);
    }

    #[test]
    fn checked_reports_overflow_and_null() {
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut out = 99;
            assert_eq!(add_in_rust_checked(40, 2, &mut out), FfiStatus::Ok);
            assert_eq!(out, 42);
            assert_eq!(
                add_in_rust_checked(i32::MAX, 1, &mut out),
                FfiStatus::Overflow
            );
            assert_eq!(out, 42, "out is untouched on overflow");
            assert_eq!(
                add_in_rust_checked(i32::MIN, -1, &mut out),
                FfiStatus::Overflow
            );
            assert_eq!(
                add_in_rust_checked(1, 1, std::ptr::null_mut()),
                FfiStatus::NullArgument
            );
        }
    }
}
