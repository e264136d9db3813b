//! Numbers: the simplest thing that crosses the boundary. An `int` is an
//! `int` on both sides; only overflow needs a decision.

use std::ffi::c_int;

use crate::boundary::{guard, guard_status, write_out, ErrorOut};
use crate::error::{fail, null_argument, Failure, FfiError};
use crate::status::FfiStatus;

/// `a + b`, wrapping on overflow (two's complement).
pub fn add_wrapping(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `a + b`, or [`FfiStatus::Overflow`](crate::FfiStatus::Overflow) when it
/// does not fit in an `i32` (the reason gives the exact sum).
pub fn add_checked(a: i32, b: i32) -> Result<i32, Failure> {
    a.checked_add(b).ok_or_else(|| {
        let sum = i64::from(a) + i64::from(b);
        let bound = if sum > 0 {
            "above INT32_MAX (2147483647)"
        } else {
            "below INT32_MIN (-2147483648)"
        };
        fail!(
            Overflow,
            "{a} + {b} = {sum} does not fit in a 32-bit int: it is {bound}"
        )
    })
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
/// fit in an `int` (then `*out` is left unchanged; reason: "2147483647 + 1 =
/// 2147483648 does not fit in a 32-bit int: it is above INT32_MAX
/// (2147483647)"), FFI_STATUS_NULL_ARGUMENT if `out` is NULL ("out is NULL").
///
/// `out` is borrowed for the call only; `error` is NULL or receives the
/// status and reason of a failure. Thread-safe.
///
/// # Safety
/// `out` is NULL or valid for writing one `int`; `error` is NULL or a live
/// FfiError used by no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn add_in_rust_checked(
    a: c_int,
    b: c_int,
    out: *mut c_int,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        let sum = add_checked(a, b)?;
        // SAFETY: the header requires `out` to be NULL (handled above) or a
        // valid, aligned `int *`.
        unsafe { write_out(out, sum, "out") }
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
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut out = 99;
            assert_eq!(add_in_rust_checked(40, 2, &mut out, e), FfiStatus::Ok);
            assert_eq!(out, 42);
            assert_eq!(
                add_in_rust_checked(i32::MAX, 1, &mut out, std::ptr::null_mut()),
                FfiStatus::Overflow
            );
            assert_eq!(
                add_in_rust_checked(i32::MAX, 1, &mut out, e),
                FfiStatus::Overflow
            );
            assert_eq!(
                reason(),
                "2147483647 + 1 = 2147483648 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)"
            );
            assert_eq!(out, 42, "out is untouched on overflow");
            assert_eq!(
                add_in_rust_checked(i32::MIN, -1, &mut out, e),
                FfiStatus::Overflow
            );
            assert_eq!(
                reason(),
                "-2147483648 + -1 = -2147483649 does not fit in a 32-bit int: it is below INT32_MIN (-2147483648)"
            );
            assert_eq!(
                add_in_rust_checked(1, 1, std::ptr::null_mut(), e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "out is NULL");
            crate::error::ffi_error_free(e);
        }
    }
}
