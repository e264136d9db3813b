//! The boundary: the one guard every export runs in, and the small helpers
//! that turn raw C arguments into safe Rust values.
//!
//! regex-capi's `ffi_fn!` is the model: write the panic handling once and use
//! it everywhere, instead of copying a `catch_unwind` block into each export.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::status::FfiStatus;

/// The value an export returns when its body panicked.
///
/// Statuses become [`FfiStatus::Panic`], pointers become NULL, numbers become
/// zero (floats NaN) and `()` stays `()`. Each export documents its fallback in
/// the header.
pub trait PanicFallback {
    /// The value returned instead of unwinding.
    fn panic_fallback() -> Self;
}

impl PanicFallback for FfiStatus {
    fn panic_fallback() -> Self {
        FfiStatus::Panic
    }
}

impl PanicFallback for () {
    fn panic_fallback() -> Self {}
}

impl<T> PanicFallback for *mut T {
    fn panic_fallback() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> PanicFallback for *const T {
    fn panic_fallback() -> Self {
        std::ptr::null()
    }
}

macro_rules! fallback_zero {
    ($($t:ty => $v:expr),* $(,)?) => {
        $(impl PanicFallback for $t {
            fn panic_fallback() -> Self {
                $v
            }
        })*
    };
}

fallback_zero!(
    bool => false,
    i32 => 0,
    u32 => 0,
    i64 => 0,
    u64 => 0,
    usize => 0,
    f32 => f32::NAN,
    f64 => f64::NAN,
);

/// Runs an export's body, turning a panic into the type's fallback value.
///
/// Every `extern "C"` function in this crate is `guard(|| ...)`. Without it a
/// panic would reach the `extern "C"` frame, where Rust aborts the process.
pub fn guard<R: PanicFallback>(body: impl FnOnce() -> R) -> R {
    // AssertUnwindSafe: after a panic the body's partial work is abandoned and
    // only the fallback value is returned; no state observed by the caller is
    // reused inside this call.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| R::panic_fallback())
}

/// Runs a fallible body and turns `Err(status)` into that status, `Ok(())`
/// into [`FfiStatus::Ok`], and a panic into [`FfiStatus::Panic`].
pub fn guard_status(body: impl FnOnce() -> Result<(), FfiStatus>) -> FfiStatus {
    guard(|| match body() {
        Ok(()) => FfiStatus::Ok,
        Err(status) => status,
    })
}

/// Borrows a NUL-terminated C string, or fails with
/// [`FfiStatus::NullArgument`] for NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a` (the header's promise for every `const char *`).
pub unsafe fn c_str<'a>(ptr: *const c_char) -> Result<&'a CStr, FfiStatus> {
    if ptr.is_null() {
        return Err(FfiStatus::NullArgument);
    }
    // SAFETY: non-NULL, and the caller promised a NUL-terminated string valid
    // for 'a.
    Ok(unsafe { CStr::from_ptr(ptr) })
}

/// Borrows a NUL-terminated C string as UTF-8 text.
///
/// # Safety
/// As for [`c_str`].
pub unsafe fn c_str_utf8<'a>(ptr: *const c_char) -> Result<&'a str, FfiStatus> {
    // SAFETY: forwarded from the caller.
    let s = unsafe { c_str(ptr) }?;
    s.to_str().map_err(|_| FfiStatus::InvalidUtf8)
}

/// Writes `value` through an out-pointer, or fails with
/// [`FfiStatus::NullArgument`] for NULL.
///
/// # Safety
/// `out` is NULL or valid for a write of one `T` (alignment included).
pub unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), FfiStatus> {
    if out.is_null() {
        return Err(FfiStatus::NullArgument);
    }
    // SAFETY: non-NULL and, as the caller promised, valid and aligned for T.
    // `write` does not drop the old (possibly uninitialised) contents.
    unsafe { out.write(value) };
    Ok(())
}

/// Borrows `len` elements starting at `ptr` as a slice. NULL with `len == 0`
/// is the empty slice; NULL with `len > 0` is [`FfiStatus::NullArgument`].
///
/// # Safety
/// Unless NULL, `ptr` points to `len` initialised, aligned `T`s that stay
/// valid and unchanged for `'a`.
pub unsafe fn slice_in<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], FfiStatus> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiStatus::NullArgument);
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(FfiStatus::InvalidArgument);
    }
    // SAFETY: non-NULL, and the caller promised `len` valid Ts; the total size
    // fits in isize (checked above), as `from_raw_parts` requires.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Like [`slice_in`], for a mutable slice.
///
/// # Safety
/// Unless NULL, `ptr` points to `len` initialised, aligned `T`s that nothing
/// else reads or writes for `'a`.
pub unsafe fn slice_in_mut<'a, T>(ptr: *mut T, len: usize) -> Result<&'a mut [T], FfiStatus> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(FfiStatus::NullArgument);
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(FfiStatus::InvalidArgument);
    }
    // SAFETY: non-NULL, exclusive and `len` valid Ts as the caller promised;
    // the total size fits in isize (checked above).
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_passes_values_through() {
        assert_eq!(guard(|| 7i32), 7);
        assert_eq!(guard_status(|| Ok(())), FfiStatus::Ok);
        assert_eq!(
            guard_status(|| Err(FfiStatus::Overflow)),
            FfiStatus::Overflow
        );
    }

    #[test]
    fn guard_turns_panics_into_fallbacks() {
        assert_eq!(guard_status(|| panic!("boom")), FfiStatus::Panic);
        assert!(guard(|| -> *mut u8 { panic!("boom") }).is_null());
        assert_eq!(guard(|| -> i32 { panic!("boom") }), 0);
        assert!(guard(|| -> f64 { panic!("boom") }).is_nan());
    }

    #[test]
    fn helpers_reject_null() {
        // SAFETY: NULL is handled before any dereference.
        unsafe {
            assert_eq!(
                c_str(std::ptr::null()).unwrap_err(),
                FfiStatus::NullArgument
            );
            assert_eq!(
                write_out::<i32>(std::ptr::null_mut(), 1).unwrap_err(),
                FfiStatus::NullArgument
            );
            assert_eq!(slice_in::<u32>(std::ptr::null(), 0).unwrap(), &[] as &[u32]);
            assert_eq!(
                slice_in::<u32>(std::ptr::null(), 3).unwrap_err(),
                FfiStatus::NullArgument
            );
        }
    }

    #[test]
    fn c_str_utf8_rejects_invalid_bytes() {
        let bad = [0xffu8, 0xfe, 0];
        // SAFETY: `bad` is NUL-terminated and lives for the call.
        let r = unsafe { c_str_utf8(bad.as_ptr().cast()) };
        assert_eq!(r.unwrap_err(), FfiStatus::InvalidUtf8);
    }
}
