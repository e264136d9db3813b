//! Versions: which contract a caller compiled against, and which library it
//! loaded. `rust/Cargo.toml` is the one source; sqlite's `SQLITE_VERSION`,
//! `SQLITE_VERSION_NUMBER` and `sqlite3_libversion()` are the model.
//!
//! cbindgen 0.24 reads the source without expanding macros, so the constants
//! are literals; a test checks that they equal Cargo's `CARGO_PKG_VERSION_*`,
//! so a version bump that forgets them fails `cargo test`. The string
//! returned at run time is taken from Cargo at compile time.

use std::ffi::c_char;

use crate::boundary::guard;

/// The major version of this header (`rust/Cargo.toml`). Before 1.0, a
/// change of FFI_DEEP_DIVE_VERSION_MINOR is an incompatible change too.
pub const FFI_DEEP_DIVE_VERSION_MAJOR: u32 = 0;

/// The minor version of this header.
pub const FFI_DEEP_DIVE_VERSION_MINOR: u32 = 2;

/// The patch version of this header.
pub const FFI_DEEP_DIVE_VERSION_PATCH: u32 = 0;

/// The version of this header as one number, MAJOR * 1000000 + MINOR * 1000
/// + PATCH (2000 for 0.2.0), for comparisons in `#if`.
pub const FFI_DEEP_DIVE_VERSION_NUMBER: u32 = FFI_DEEP_DIVE_VERSION_MAJOR * 1_000_000
    + FFI_DEEP_DIVE_VERSION_MINOR * 1_000
    + FFI_DEEP_DIVE_VERSION_PATCH;

/// The version string, NUL-terminated, from Cargo at compile time.
const VERSION: &[u8] = concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes();

/// Returns the version of the library actually loaded, e.g. "0.2.0": compare
/// it with FFI_DEEP_DIVE_VERSION_* (the header compiled against) to detect a
/// program running with another library than it was built for. Before 1.0,
/// libraries with the same major and minor version are compatible.
///
/// Ownership: the string is static. Never free it, never write to it.
/// Never returns NULL (except if an internal panic was caught, which cannot
/// happen here). Thread-safe.
#[no_mangle]
pub extern "C" fn ffi_deep_dive_version() -> *const c_char {
    guard(|| VERSION.as_ptr().cast())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn constants_equal_cargo_toml() {
        let parse = |s: &str| s.parse::<u32>().expect("a numeric version part");
        assert_eq!(
            FFI_DEEP_DIVE_VERSION_MAJOR,
            parse(env!("CARGO_PKG_VERSION_MAJOR"))
        );
        assert_eq!(
            FFI_DEEP_DIVE_VERSION_MINOR,
            parse(env!("CARGO_PKG_VERSION_MINOR"))
        );
        assert_eq!(
            FFI_DEEP_DIVE_VERSION_PATCH,
            parse(env!("CARGO_PKG_VERSION_PATCH"))
        );
        assert_eq!(
            FFI_DEEP_DIVE_VERSION_NUMBER,
            FFI_DEEP_DIVE_VERSION_MAJOR * 1_000_000
                + FFI_DEEP_DIVE_VERSION_MINOR * 1_000
                + FFI_DEEP_DIVE_VERSION_PATCH
        );
    }

    #[test]
    fn the_string_is_the_crate_version() {
        // SAFETY: ffi_deep_dive_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(ffi_deep_dive_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(
            v.to_str().unwrap(),
            format!(
                "{FFI_DEEP_DIVE_VERSION_MAJOR}.{FFI_DEEP_DIVE_VERSION_MINOR}.{FFI_DEEP_DIVE_VERSION_PATCH}"
            )
        );
        assert_eq!(ffi_deep_dive_version(), ffi_deep_dive_version(), "static");
    }
}
