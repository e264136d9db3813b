//! # ffi_deep_dive
//!
//! Rust exposed to C (and, through koffi, to Node.js) over a plain C ABI,
//! following the patterns of New Rustacean e031 "FFI Deep Dive", with the
//! FFI Omnibus's concepts (numbers, strings, structs, opaque handles, slices,
//! tuples) in our own shapes: e.g. our tuple function is a plain swap of a
//! `Tuple(u32, u32)`, not the Omnibus's `flip_things_around`.
//!
//! Each concept lives in its own module with the same name in `c/` and `ts/`.
//! Inside a module, a safe core does the work and a thin layer of
//! `#[no_mangle] pub extern "C"` functions checks the inputs, converts and
//! calls it. Every export runs inside [`boundary::guard`], so a panic becomes
//! a status (or NULL) instead of unwinding into C.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
// cbindgen 0.24 (the Debian package that generates the header) cannot parse
// `c"..."` literals, so C strings are spelled as byte strings ending in `\0`.
#![allow(clippy::manual_c_str_literals)]

/// Tests only: a NUL-terminated string literal as `const char *`, the spelling
/// of `c"..."` that cbindgen 0.24 can parse. Defined before the modules so that
/// every module's tests can use it.
#[cfg(test)]
macro_rules! cs {
    ($s:literal) => {
        concat!($s, "\0").as_ptr().cast::<std::ffi::c_char>()
    };
}

pub mod boundary;
pub mod error;
pub mod status;
mod thread_owned;
pub mod version;

pub mod numbers;
pub mod strings;

pub mod opaque;
pub mod point;

pub mod enums;
pub mod tuples;
pub mod unions;

pub mod callbacks;
pub mod slices;

pub mod r#async;

#[cfg(feature = "test-panic")]
pub mod testing;

pub use error::FfiError;
pub use status::FfiStatus;

/// Tests only: helpers shared by the modules' tests.
#[cfg(test)]
mod testing_support {
    use crate::error::{ffi_error_message, FfiError};
    use std::ffi::CStr;

    /// The message in a live error object, copied.
    pub fn message(e: *mut FfiError) -> String {
        // SAFETY: the tests pass live objects from ffi_error_new(); the
        // message is copied before the next call that uses `e`.
        unsafe { CStr::from_ptr(ffi_error_message(e)) }
            .to_string_lossy()
            .into_owned()
    }
}
