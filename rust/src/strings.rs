//! Strings: Rust allocates, Rust frees.
//!
//! A string this library returns is a `CString` turned into a raw pointer;
//! only [`free_rust_string`] may turn it back and drop it. C's `free()` would
//! hand Rust's allocation to the wrong allocator. For callers who prefer to own
//! the memory, [`concat_strings_into`] writes into their buffer instead.

use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::{c_str, c_str_utf8, guard, guard_status, write_out};
use crate::status::FfiStatus;

/// Strings handed out by this library and not yet freed.
static LIVE_STRINGS: AtomicUsize = AtomicUsize::new(0);

/// Hands a Rust string to C: the caller now owns it and must give it back to
/// [`free_rust_string`].
pub(crate) fn into_c_string(s: CString) -> *mut c_char {
    LIVE_STRINGS.fetch_add(1, Ordering::Relaxed);
    s.into_raw()
}

/// `first` followed by `second`, as bytes (no encoding is assumed).
pub fn concat_bytes(first: &[u8], second: &[u8]) -> Vec<u8> {
    let mut joined = Vec::with_capacity(first.len() + second.len() + 1);
    joined.extend_from_slice(first);
    joined.extend_from_slice(second);
    joined
}

/// The number of Unicode scalar values in `s` (what JS `[...s].length` gives).
pub fn count_chars(s: &str) -> usize {
    s.chars().count()
}

/// Returns a new string: `first` followed by `second`.
///
/// Works on bytes: any NUL-terminated byte strings are accepted, UTF-8 or not.
/// Returns NULL if either argument is NULL (or on an internal panic).
///
/// Ownership: the arguments are borrowed for the call. The result is owned by
/// the caller and must be released with free_rust_string(), exactly once.
/// Never pass it to C's free(). Thread-safe.
///
/// # Safety
/// Each argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn concat_strings(
    first: *const c_char,
    second: *const c_char,
) -> *mut c_char {
    guard(|| {
        // SAFETY: the header requires each argument to be NULL or a valid
        // NUL-terminated string for the duration of the call.
        let (Ok(a), Ok(b)) = (unsafe { c_str(first) }, unsafe { c_str(second) }) else {
            return std::ptr::null_mut();
        };
        let joined = concat_bytes(a.to_bytes(), b.to_bytes());
        // Neither input contains a NUL before its end, so neither does the
        // result: `from_vec_unchecked` would be sound, but the checked form
        // costs one scan and keeps this function free of `unsafe`.
        match CString::new(joined) {
            Ok(s) => into_c_string(s),
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// Frees a string returned by this library (concat_strings,
/// opaque_point_describe, ...).
///
/// NULL is a harmless no-op. Passing any other pointer, or the same string
/// twice, is undefined behaviour, as with free(). Do not use C's free() on
/// strings from this library: they come from Rust's allocator.
/// Thread-safe (for different strings).
///
/// # Safety
/// `s` is NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn free_rust_string(s: *mut c_char) {
    guard(|| {
        if s.is_null() {
            return;
        }
        LIVE_STRINGS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: the header requires `s` to come from this library (a
        // `CString::into_raw`) and to be freed only once.
        drop(unsafe { CString::from_raw(s) });
    })
}

/// The number of strings this library has returned and that have not been
/// freed with free_rust_string() yet, across all threads. Meant for leak
/// tests. Takes no pointer (no NULL case) and returns a plain number the
/// caller owns. Thread-safe (an atomic counter).
#[no_mangle]
pub extern "C" fn rust_string_live_count() -> usize {
    guard(|| LIVE_STRINGS.load(Ordering::Relaxed))
}

/// Writes `first` followed by `second` into the caller's buffer `buf` of
/// `buf_len` bytes, NUL-terminated. Works on bytes, like concat_strings().
///
/// If `needed` is not NULL it receives the size the result needs, NUL
/// included, whatever the outcome (except NULL arguments).
///
/// Returns FFI_STATUS_OK on success; FFI_STATUS_BUFFER_TOO_SMALL if the
/// result does not fit, in which case a non-empty `buf` holds the empty
/// string (never a partial result); FFI_STATUS_NULL_ARGUMENT if `first` or
/// `second` is NULL, or `buf` is NULL while `buf_len > 0`. `buf` may be NULL
/// with `buf_len == 0` to ask for the size only.
///
/// Ownership: everything is borrowed for the call; the caller owns `buf`.
/// Thread-safe (for different buffers).
///
/// # Safety
/// `first` and `second` are NULL or NUL-terminated strings; `buf` is NULL or
/// valid for writing `buf_len` bytes and does not overlap them; `needed` is
/// NULL or valid for writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn concat_strings_into(
    first: *const c_char,
    second: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> FfiStatus {
    guard_status(|| {
        // SAFETY: the header requires NULL or valid NUL-terminated strings.
        let a = unsafe { c_str(first) }?.to_bytes();
        // SAFETY: as above.
        let b = unsafe { c_str(second) }?.to_bytes();
        if buf.is_null() && buf_len > 0 {
            return Err(FfiStatus::NullArgument);
        }
        let total = a
            .len()
            .checked_add(b.len())
            .and_then(|n| n.checked_add(1))
            .ok_or(FfiStatus::Overflow)?;
        if !needed.is_null() {
            // SAFETY: the header requires `needed` to be NULL or a valid,
            // aligned `size_t *`.
            unsafe { write_out(needed, total) }?;
        }
        if total > buf_len {
            if buf_len > 0 {
                // SAFETY: `buf` is non-NULL (checked above) and valid for
                // `buf_len >= 1` bytes, as the header requires.
                unsafe { buf.write(0) };
            }
            return Err(FfiStatus::BufferTooSmall);
        }
        // SAFETY: `buf` is valid for `buf_len >= total` bytes and, as the
        // header requires, does not overlap the inputs.
        let dst = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), total) };
        dst[..a.len()].copy_from_slice(a);
        dst[a.len()..total - 1].copy_from_slice(b);
        dst[total - 1] = 0;
        Ok(())
    })
}

/// Stores in `*out` the number of Unicode scalar values (code points) in the
/// NUL-terminated UTF-8 string `s`: "héllo" has 5, "🦀" has 1.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_UTF8 if `s` is not valid UTF-8;
/// FFI_STATUS_NULL_ARGUMENT if `s` or `out` is NULL. `*out` is written only on
/// success. Everything is borrowed for the call. Thread-safe.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writing one `size_t`.
#[no_mangle]
pub unsafe extern "C" fn count_characters(s: *const c_char, out: *mut usize) -> FfiStatus {
    guard_status(|| {
        if out.is_null() {
            return Err(FfiStatus::NullArgument);
        }
        // SAFETY: the header requires NULL or a valid NUL-terminated string.
        let text = unsafe { c_str_utf8(s) }?;
        // SAFETY: `out` is non-NULL and, per the header, a valid `size_t *`.
        unsafe { write_out(out, count_chars(text)) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn take(p: *mut c_char) -> Vec<u8> {
        assert!(!p.is_null());
        // SAFETY: `p` came from this library and is freed right after.
        let bytes = unsafe { CStr::from_ptr(p) }.to_bytes().to_vec();
        // SAFETY: `p` came from concat_strings and is freed once.
        unsafe { free_rust_string(p) };
        bytes
    }

    #[test]
    fn concat_joins_bytes_and_null_gives_null() {
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            assert_eq!(
                take(concat_strings(cs!("Hello, "), cs!("Rustacean!"))),
                b"Hello, Rustacean!"
            );
            assert_eq!(take(concat_strings(cs!(""), cs!(""))), b"");
            let invalid = [0xffu8, 0];
            assert_eq!(
                take(concat_strings(invalid.as_ptr().cast(), cs!("a"))),
                b"\xffa"
            );
            assert!(concat_strings(std::ptr::null(), cs!("a")).is_null());
            assert!(concat_strings(cs!("a"), std::ptr::null()).is_null());
            free_rust_string(std::ptr::null_mut());
        }
    }

    #[test]
    fn concat_into_fits_reports_and_refuses() {
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut buf = [0x55 as c_char; 8];
            let mut needed = 0usize;
            let st = concat_strings_into(
                cs!("ab"),
                cs!("cd"),
                buf.as_mut_ptr(),
                buf.len(),
                &mut needed,
            );
            assert_eq!(st, FfiStatus::Ok);
            assert_eq!(needed, 5);
            // SAFETY: the call wrote a NUL-terminated string into `buf`.
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_bytes(), b"abcd");

            let st = concat_strings_into(
                cs!("abcd"),
                cs!("efgh"),
                buf.as_mut_ptr(),
                buf.len(),
                &mut needed,
            );
            assert_eq!(st, FfiStatus::BufferTooSmall);
            assert_eq!(needed, 9);
            assert_eq!(buf[0], 0, "a too-small buffer holds the empty string");

            let st = concat_strings_into(cs!("ab"), cs!("c"), std::ptr::null_mut(), 0, &mut needed);
            assert_eq!(st, FfiStatus::BufferTooSmall);
            assert_eq!(needed, 4);
            let st = concat_strings_into(cs!("ab"), cs!("c"), std::ptr::null_mut(), 4, &mut needed);
            assert_eq!(st, FfiStatus::NullArgument);
            let st = concat_strings_into(
                std::ptr::null(),
                cs!("c"),
                buf.as_mut_ptr(),
                8,
                std::ptr::null_mut(),
            );
            assert_eq!(st, FfiStatus::NullArgument);
            // Exactly fitting, with `needed` NULL.
            let mut exact = [1 as c_char; 3];
            let st = concat_strings_into(
                cs!("a"),
                cs!("b"),
                exact.as_mut_ptr(),
                3,
                std::ptr::null_mut(),
            );
            assert_eq!(st, FfiStatus::Ok);
            assert_eq!(exact, [b'a' as c_char, b'b' as c_char, 0]);
        }
    }

    #[test]
    fn count_characters_counts_scalars_and_validates() {
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut n = 0usize;
            assert_eq!(
                count_characters(b"h\xc3\xa9llo\0".as_ptr().cast::<c_char>(), &mut n),
                FfiStatus::Ok
            );
            assert_eq!(n, 5);
            assert_eq!(
                count_characters(b"\xf0\x9f\xa6\x80\0".as_ptr().cast::<c_char>(), &mut n),
                FfiStatus::Ok
            );
            assert_eq!(n, 1);
            assert_eq!(
                count_characters(b"\xff\0".as_ptr().cast::<c_char>(), &mut n),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                count_characters(std::ptr::null(), &mut n),
                FfiStatus::NullArgument
            );
            assert_eq!(
                count_characters(cs!("x"), std::ptr::null_mut()),
                FfiStatus::NullArgument
            );
        }
    }
}
