//! Status codes: how every fallible export reports what went wrong.
//!
//! There is no thread-local "last error": a function returns its status and
//! [`ffi_status_message`] turns it into a static string, so calls are safe
//! from any thread (koffi's `.async` calls run on worker threads).

use std::ffi::{c_char, c_int, CStr};

/// The result of a fallible call. `FFI_STATUS_OK` is 0; every other value is
/// an error whose description ffi_status_message() returns.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FfiStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// An argument was outside the documented domain.
    InvalidArgument = 3,
    /// The caller's buffer was too small; the needed size was reported.
    BufferTooSmall = 4,
    /// The result does not fit in the output type.
    Overflow = 5,
    /// Rust panicked; the panic was caught at the boundary.
    Panic = 6,
    /// A callback asked to stop early.
    Cancelled = 7,
}

impl FfiStatus {
    /// Every status, in numeric order.
    pub const ALL: [FfiStatus; 8] = [
        FfiStatus::Ok,
        FfiStatus::NullArgument,
        FfiStatus::InvalidUtf8,
        FfiStatus::InvalidArgument,
        FfiStatus::BufferTooSmall,
        FfiStatus::Overflow,
        FfiStatus::Panic,
        FfiStatus::Cancelled,
    ];

    /// The status with this number, if there is one.
    pub fn from_code(code: c_int) -> Option<FfiStatus> {
        FfiStatus::ALL.into_iter().find(|s| *s as c_int == code)
    }

    /// The static description of this status.
    pub fn message(self) -> &'static CStr {
        match self {
            FfiStatus::Ok => cstr(b"ok\0"),
            FfiStatus::NullArgument => cstr(b"a required pointer argument was NULL\0"),
            FfiStatus::InvalidUtf8 => cstr(b"a string argument was not valid UTF-8\0"),
            FfiStatus::InvalidArgument => cstr(b"an argument was outside the documented domain\0"),
            FfiStatus::BufferTooSmall => cstr(b"the output buffer was too small\0"),
            FfiStatus::Overflow => cstr(b"the result does not fit in the output type\0"),
            FfiStatus::Panic => cstr(b"Rust panicked; the panic was caught at the boundary\0"),
            FfiStatus::Cancelled => cstr(b"a callback asked to stop early\0"),
        }
    }
}

/// A static C string from a NUL-terminated byte literal. (cbindgen 0.24
/// cannot parse `c"..."` literals, so the crate spells them this way.)
const fn cstr(bytes: &'static [u8]) -> &'static CStr {
    match CStr::from_bytes_with_nul(bytes) {
        Ok(s) => s,
        Err(_) => panic!("C string literal without a single trailing NUL"),
    }
}

/// The description of an unknown status value.
const UNKNOWN: &CStr = cstr(b"unknown status\0");

/// Returns a static, NUL-terminated English description of `status`.
///
/// Takes the status as a plain `int` so that any value, even one that is not
/// an FfiStatus, is safe to pass: unknown values give "unknown status".
///
/// Ownership: the string is static. Never free it, never write to it.
/// Never returns NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ffi_status_message(status: c_int) -> *const c_char {
    crate::boundary::guard(|| match FfiStatus::from_code(status) {
        Some(s) => s.message().as_ptr(),
        None => UNKNOWN.as_ptr(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_in_order() {
        for (i, s) in FfiStatus::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert_eq!(FfiStatus::from_code(i as c_int), Some(*s));
        }
        assert_eq!(FfiStatus::from_code(-1), None);
        assert_eq!(FfiStatus::from_code(FfiStatus::ALL.len() as c_int), None);
    }

    #[test]
    fn every_status_has_a_distinct_message() {
        let mut seen = std::collections::HashSet::new();
        for s in FfiStatus::ALL {
            let p = ffi_status_message(s as c_int);
            // SAFETY: ffi_status_message returns a static NUL-terminated string.
            let m = unsafe { CStr::from_ptr(p) };
            assert!(!m.to_bytes().is_empty());
            assert!(seen.insert(m.to_bytes().to_vec()));
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(ffi_status_message(12345)) };
        assert_eq!(unknown, UNKNOWN);
        // SAFETY: as above.
        let negative = unsafe { CStr::from_ptr(ffi_status_message(i32::MIN)) };
        assert_eq!(negative, UNKNOWN);
    }
}
