//! Strings: Rust allocates, Rust frees.
//!
//! A string this library returns is a `CString` turned into a raw pointer;
//! only [`free_rust_string`] may turn it back and drop it. C's `free()` would
//! hand Rust's allocation to the wrong allocator. For callers who prefer to own
//! the memory, [`concat_strings_into`] writes into their buffer instead.

use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::{
    c_str, c_str_utf8, copy_to_uninit, guard, guard_status, overlap_failure, overlaps, slice_in,
    slice_out, write_out, ErrorOut,
};
use crate::error::{fail, null_argument, utf8_reason, Failure, FfiError};
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
        let (Ok(a), Ok(b)) = (unsafe { c_str(first, "first") }, unsafe {
            c_str(second, "second")
        }) else {
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
/// strings from this library: they come from Rust's allocator. The string
/// must come back with its length unchanged: its bytes may be modified, but
/// no 0 byte may be written before its terminating NUL, and that NUL must
/// stay (the length tells Rust's allocator the size of the block, so a
/// shortened or unterminated string frees the wrong size: undefined
/// behaviour). Thread-safe (for different strings).
///
/// # Safety
/// `s` is NULL or a string returned by this library, not yet freed, whose
/// first 0 byte is still its terminating NUL.
#[no_mangle]
pub unsafe extern "C" fn free_rust_string(s: *mut c_char) {
    guard(|| {
        if s.is_null() {
            return;
        }
        LIVE_STRINGS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: "a string returned by this library, not yet freed, whose
        // first 0 byte is still its terminating NUL": a `CString::into_raw`
        // whose length `from_raw` finds again, so the layout given back to
        // the allocator is the one it was allocated with.
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
/// included, whatever the outcome (except NULL arguments and overlaps).
///
/// Returns FFI_STATUS_OK on success; FFI_STATUS_BUFFER_TOO_SMALL if the
/// result does not fit, in which case a non-empty `buf` holds the empty
/// string (never a partial result; reason: "the result needs 9 bytes (NUL
/// included) but buf_len is 8"); FFI_STATUS_NULL_ARGUMENT if `first` or
/// `second` is NULL, or `buf` is NULL while `buf_len > 0` (the reason names
/// the parameter); FFI_STATUS_INVALID_ARGUMENT, before anything is written,
/// if `needed` or the first `buf_len` bytes of `buf` overlap `first` or
/// `second` (terminators included), or `needed` overlaps those bytes of
/// `buf` ("needed overlaps first: the header requires them to be
/// disjoint"). `buf` may be NULL with `buf_len == 0` to ask for the size
/// only.
///
/// Ownership: everything is borrowed for the call; the caller owns `buf`,
/// which only has to be writable (it may be uninitialised).
/// `error` is NULL or receives the status and reason of a failure.
/// Thread-safe (for different buffers).
///
/// # Safety
/// `first` and `second` are NULL or NUL-terminated strings, unchanged
/// during the call; `buf` is NULL or valid for writing `buf_len` bytes;
/// `needed` is NULL or valid for writing one `size_t`; `buf`, `needed` and
/// the strings are disjoint (an overlap is refused as above, but memory the
/// call does not know of, such as `error`, must not overlap them either);
/// `error` is NULL or a live FfiError used by no other call at the same
/// time.
#[no_mangle]
pub unsafe extern "C" fn concat_strings_into(
    first: *const c_char,
    second: *const c_char,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        // SAFETY: the header requires NULL or valid NUL-terminated strings.
        let a = unsafe { c_str(first, "first") }?.to_bytes();
        // SAFETY: as above.
        let b = unsafe { c_str(second, "second") }?.to_bytes();
        if buf.is_null() && buf_len > 0 {
            return Err(fail!(NullArgument, "buf is NULL but buf_len is {buf_len}"));
        }
        let total = a
            .len()
            .checked_add(b.len())
            .and_then(|n| n.checked_add(1))
            // Cannot fail: two strings in memory are at most isize::MAX bytes
            // each, so the sum plus 1 fits in a usize.
            .ok_or_else(|| fail!(Overflow, "the combined length does not fit in a size_t"))?;
        // `a` and `b` are live shared borrows until the copy below: no write
        // may touch their bytes (terminators included).
        let inputs = [
            ("first", first, a.len() + 1),
            ("second", second, b.len() + 1),
        ];
        for (name, input, len) in inputs {
            if overlaps(needed, usize::from(!needed.is_null()), input, len) {
                return Err(overlap_failure("needed", name));
            }
            if overlaps(buf, buf_len, input, len) {
                return Err(overlap_failure("buf", name));
            }
        }
        if overlaps(needed, usize::from(!needed.is_null()), buf, buf_len) {
            return Err(overlap_failure("needed", "buf"));
        }
        if !needed.is_null() {
            // SAFETY: "`needed` is NULL or valid for writing one `size_t`";
            // it overlaps neither string (checked above), so the live `a`
            // and `b` are not written through.
            unsafe { write_out(needed, total, "needed") }?;
        }
        if total > buf_len {
            if buf_len > 0 {
                // SAFETY: "`buf` is NULL or valid for writing `buf_len` bytes":
                // non-NULL (checked above) and `buf_len >= 1`; a raw write,
                // no reference; it overlaps neither string (checked above).
                unsafe { buf.write(0) };
            }
            return Err(fail!(
                BufferTooSmall,
                "the result needs {total} bytes (NUL included) but buf_len is {buf_len}"
            ));
        }
        // SAFETY: "`buf` is NULL or valid for writing `buf_len` bytes", and
        // `total <= buf_len`; not NULL, since `total >= 1` and a NULL `buf`
        // has `buf_len == 0` (checked above). The bytes may be
        // uninitialised, hence `MaybeUninit`; they overlap neither string nor
        // `needed` (checked above).
        let dst = unsafe { slice_out(buf.cast::<u8>(), total, "buf", "buf_len") }?;
        copy_to_uninit(dst, a);
        copy_to_uninit(&mut dst[a.len()..], b);
        dst[total - 1].write(0);
        Ok(())
    })
}

/// Stores in `*out` the number of Unicode scalar values (code points) in the
/// NUL-terminated UTF-8 string `s`: "héllo" has 5, "🦀" has 1.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_UTF8 if `s` is not valid UTF-8
/// (the reason gives the byte offset of the first invalid byte, from
/// `Utf8Error::valid_up_to`: "s is not valid UTF-8: invalid byte sequence
/// 0xff at byte offset 3"); FFI_STATUS_NULL_ARGUMENT if `s` or `out` is NULL.
/// `*out` is written only on success. Everything is borrowed for the call;
/// `error` is NULL or receives the status and reason of a failure.
/// Thread-safe.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writing one `size_t`; `error` is NULL or a live FfiError used by no other
/// call at the same time.
#[no_mangle]
pub unsafe extern "C" fn count_characters(
    s: *const c_char,
    out: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: the header requires NULL or a valid NUL-terminated string.
        let text = unsafe { c_str_utf8(s, "s") }?;
        // SAFETY: `out` is non-NULL and, per the header, a valid `size_t *`.
        unsafe { write_out(out, count_chars(text), "out") }
    })
}

// ---- Text with a length: UTF-16 and UTF-8 `(pointer, length)` entry points ----
//
// JavaScript strings are sequences of UTF-16 code units. Handing them to Rust
// as UTF-16 (`const uint16_t *` plus a length in code units) skips the
// UTF-16 → UTF-8 conversion that a `const char *` needs, which is what made
// two-byte strings slow; the length also lets the text contain NUL.

/// The first code unit of a UTF-16 surrogate pair (U+D800..U+DBFF).
const HIGH_SURROGATE: u16 = 0xd800;
/// The second code unit of a UTF-16 surrogate pair (U+DC00..U+DFFF).
const LOW_SURROGATE: u16 = 0xdc00;
/// The bits that tell a surrogate's kind: `unit & SURROGATE_MASK` is one of
/// the two constants above exactly for surrogates of that kind.
const SURROGATE_MASK: u16 = 0xfc00;

/// Code units per block of [`count_utf16`]: each block's count of low
/// surrogates is kept in `u16` lanes, so a block must be shorter than 2^16.
const UTF16_BLOCK: usize = 1 << 15;

/// 1 if `unit` is a surrogate of the kind `tag`, else 0 (branch-free, so the
/// loop that calls it vectorises).
#[inline(always)]
fn surrogate_bit(unit: u16, tag: u16) -> u16 {
    u16::from(unit & SURROGATE_MASK == tag)
}

/// A surrogate code unit without its partner: UTF-16 text that contains one
/// is not well formed and has no Unicode scalar value at that position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoneSurrogate {
    /// The index (in code units) of the first lone surrogate.
    pub index: usize,
    /// The code unit itself (0xD800..=0xDFFF).
    pub unit: u16,
}

impl std::fmt::Display for LoneSurrogate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "lone surrogate 0x{:04X} at code unit {}",
            self.unit, self.index
        )
    }
}

/// The number of Unicode scalar values (code points) in UTF-16 text: what JS
/// `[...s].length` gives. Lone surrogates are refused with the first one's
/// position.
///
/// Text is well formed exactly when no unit starts with a low surrogate and,
/// for every `i`, "unit `i` is a high surrogate" equals "unit `i + 1` is a
/// low surrogate" (a unit past the end is neither). Then every low surrogate
/// ends a pair, and the count is the number of units minus the low
/// surrogates. The loop checks that equality and counts low surrogates for all
/// adjacent pairs with no branch, which the compiler turns into SSE2 code
/// (8 units per instruction; checked in the release build's assembly).
pub fn count_utf16(units: &[u16]) -> Result<usize, LoneSurrogate> {
    let (Some(&first), Some(&last)) = (units.first(), units.last()) else {
        return Ok(0);
    };
    let mut broken = surrogate_bit(first, LOW_SURROGATE) | surrogate_bit(last, HIGH_SURROGATE);
    let mut lows = 0usize;
    // Windows of adjacent units, one block at a time: `current[i]` and
    // `next[i]` are units `k` and `k + 1`.
    let mut start = 0;
    while start + 1 < units.len() {
        let end = (start + UTF16_BLOCK).min(units.len() - 1);
        let current = &units[start..end];
        let next = &units[start + 1..end + 1];
        let mut block_lows = 0u16;
        let mut block_broken = 0u16;
        for (&unit, &following) in current.iter().zip(next) {
            let low = surrogate_bit(following, LOW_SURROGATE);
            block_broken |= surrogate_bit(unit, HIGH_SURROGATE) ^ low;
            block_lows += low; // at most UTF16_BLOCK - 1 < 2^16: no overflow
        }
        lows += usize::from(block_lows);
        broken |= block_broken;
        start = end;
    }
    if broken != 0 {
        return Err(first_lone_surrogate(units).unwrap_or(LoneSurrogate {
            index: 0,
            unit: first,
        }));
    }
    Ok(units.len() - lows)
}

/// The first lone surrogate in `units`, if any (the slow path that runs only
/// after [`count_utf16`] has seen one).
pub fn first_lone_surrogate(units: &[u16]) -> Option<LoneSurrogate> {
    char::decode_utf16(units.iter().copied())
        .scan(0usize, |index, decoded| {
            let at = *index;
            *index += decoded.as_ref().map_or(1, |c| c.len_utf16());
            Some((at, decoded))
        })
        .find_map(|(index, decoded)| {
            decoded.err().map(|e| LoneSurrogate {
                index,
                unit: e.unpaired_surrogate(),
            })
        })
}

/// Borrows `len` UTF-16 code units at `ptr`. NULL with `len == 0` is the
/// empty text; NULL with `len > 0` is [`FfiStatus::NullArgument`]; a pointer
/// that is not 2-byte aligned, or a `len` whose byte size does not fit in
/// `isize`, is [`FfiStatus::InvalidArgument`].
///
/// # Safety
/// Unless NULL, `ptr` points to `len` code units that stay valid and
/// unchanged for `'a` (the header's promise).
unsafe fn utf16_in<'a>(
    ptr: *const u16,
    len: usize,
    name: &'static str,
    len_name: &'static str,
) -> Result<&'a [u16], Failure> {
    if len > 0 && !ptr.is_null() && !ptr.is_aligned() {
        return Err(misaligned(name, ptr));
    }
    // SAFETY: aligned (checked above) and, as the caller promised, `len`
    // valid code units unless NULL.
    unsafe { slice_in(ptr, len, name, len_name) }
}

/// The reason for a `uint16_t *` that is not 2-byte aligned.
fn misaligned(name: &str, ptr: *const u16) -> Failure {
    fail!(
        InvalidArgument,
        "{name} is not aligned to 2 bytes (address {ptr:p}), as a uint16_t * must be"
    )
}

/// The reason for UTF-16 text with a lone surrogate.
fn not_utf16(name: &str, e: LoneSurrogate) -> Failure {
    fail!(InvalidArgument, "{name} is not well-formed UTF-16: {e}")
}

/// Stores in `*out` the number of Unicode scalar values (code points) in the
/// UTF-16 text of `len` code units at `s`: "héllo" has 5, "🦀" (two code
/// units) has 1. What JavaScript's `[...s].length` gives for a string.
///
/// The text is counted by its length, not by a terminator: a 0 unit is an
/// ordinary character (U+0000) and is counted. `s` is read in the machine's
/// byte order (UTF-16LE on little-endian machines).
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_ARGUMENT if the text contains a
/// lone surrogate (a high surrogate not followed by a low one, or a low one
/// not preceded by a high one: not well-formed UTF-16), if `s` is not 2-byte
/// aligned (with `len > 0`), or if `len` is larger than any array can be;
/// FFI_STATUS_NULL_ARGUMENT if `out` is NULL, or `s` is NULL while
/// `len > 0`. `s` may be NULL when `len` is 0 (the empty text). `*out` is
/// written only on success. Everything is borrowed for the call; `error` is
/// NULL or receives the status and reason of a failure ("s is not
/// well-formed UTF-16: lone surrogate 0xDC00 at code unit 1").
/// Thread-safe.
///
/// # Safety
/// `s` is NULL or valid for reading `len` `uint16_t`s; `out` is NULL or valid
/// for writing one `size_t`; `error` is NULL or a live FfiError used by no
/// other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn count_characters_utf16(
    s: *const u16,
    len: usize,
    out: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: the header requires `s` to be NULL or valid for `len` units.
        let units = unsafe { utf16_in(s, len, "s", "len") }?;
        let n = count_utf16(units).map_err(|e| not_utf16("s", e))?;
        // SAFETY: `out` is non-NULL and, per the header, a valid `size_t *`.
        unsafe { write_out(out, n, "out") }
    })
}

/// Stores in `*out` the number of Unicode scalar values (code points) in the
/// UTF-8 text of `len` bytes at `s`: like count_characters(), but counted by
/// its length, so a 0 byte is an ordinary character (U+0000) and is counted,
/// and no terminator is read.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_UTF8 if the bytes are not valid
/// UTF-8; FFI_STATUS_INVALID_ARGUMENT if `len` is larger than any array can
/// be; FFI_STATUS_NULL_ARGUMENT if `out` is NULL, or `s` is NULL while
/// `len > 0`. `s` may be NULL when `len` is 0. `*out` is written only on
/// success. Everything is borrowed for the call; `error` is NULL or receives
/// the status and reason of a failure (for UTF-8, the byte offset of the
/// first invalid byte). Thread-safe.
///
/// # Safety
/// `s` is NULL or valid for reading `len` bytes; `out` is NULL or valid for
/// writing one `size_t`; `error` is NULL or a live FfiError used by no other
/// call at the same time.
#[no_mangle]
pub unsafe extern "C" fn count_characters_utf8(
    s: *const c_char,
    len: usize,
    out: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: the header requires `s` to be NULL or valid for `len` bytes.
        let bytes = unsafe { slice_in(s.cast::<u8>(), len, "s", "len") }?;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Failure::lazy(FfiStatus::InvalidUtf8, || utf8_reason("s", bytes, e)))?;
        // SAFETY: `out` is non-NULL and, per the header, a valid `size_t *`.
        unsafe { write_out(out, count_chars(text), "out") }
    })
}

/// Checks that `first` and `second` are each well-formed UTF-16, as
/// [`concat_strings_utf16_into`] requires. The error's index counts from the
/// start of `first`, as in the joined text.
pub fn check_concat_utf16(first: &[u16], second: &[u16]) -> Result<(), LoneSurrogate> {
    count_utf16(first)?;
    count_utf16(second).map_err(|e| LoneSurrogate {
        index: first.len() + e.index,
        ..e
    })?;
    Ok(())
}

/// Writes `first` (`first_len` UTF-16 code units) followed by `second`
/// (`second_len` units) into the caller's buffer `buf` of `buf_len` code
/// units. The result is counted, not terminated: no 0 unit is appended, and
/// 0 units inside the inputs are copied like any other character.
///
/// If `needed` is not NULL it receives the length the result needs, in code
/// units (`first_len + second_len`), whatever the outcome except a NULL or
/// misaligned argument, an impossible length or an overlap.
///
/// Both inputs must be well-formed UTF-16 on their own (what a JavaScript
/// string without lone surrogates is): a lone surrogate in either is refused,
/// even where the two halves would pair up across the join.
///
/// Returns FFI_STATUS_OK on success; FFI_STATUS_NULL_ARGUMENT if `first` is
/// NULL while `first_len > 0`, `second` is NULL while `second_len > 0`, or
/// `buf` is NULL while `buf_len > 0`; FFI_STATUS_INVALID_ARGUMENT if a
/// non-NULL pointer is not 2-byte aligned, a length is larger than any array
/// can be, `needed` or the first `buf_len` units of `buf` overlap an input,
/// or `needed` overlaps those units of `buf` ("needed overlaps first: the
/// header requires them to be disjoint"; nothing is written then), or an
/// input contains a
/// lone surrogate (two lengths that pass that check cannot add up past a
/// size_t); FFI_STATUS_BUFFER_TOO_SMALL
/// if the result does not fit, in which case nothing is written to `buf`
/// (never a partial result). NULL with a length of 0 is the empty text, and
/// `buf` may be NULL with `buf_len == 0` to ask for the size only. The checks
/// run in that order: a size query on text with a lone surrogate gives
/// FFI_STATUS_INVALID_ARGUMENT.
///
/// Ownership: everything is borrowed for the call; the caller owns `buf`,
/// which only has to be writable (it may be uninitialised).
/// `error` is NULL or receives the status and reason of a failure ("the
/// result needs 5 code units but buf_len is 4", "second is not well-formed
/// UTF-16: lone surrogate 0xD83E at code unit 0"). Thread-safe (for
/// different buffers).
///
/// # Safety
/// `first`, `second` are NULL or valid for reading `first_len` / `second_len`
/// `uint16_t`s, unchanged during the call; `buf` is NULL or valid for
/// writing `buf_len` `uint16_t`s; `needed` is NULL or valid for writing one
/// `size_t`; `buf`, `needed` and the inputs are disjoint (an overlap is
/// refused as above, but memory the call does not know of, such as `error`,
/// must not overlap them either); `error` is NULL or a live FfiError used by
/// no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn concat_strings_utf16_into(
    first: *const u16,
    first_len: usize,
    second: *const u16,
    second_len: usize,
    buf: *mut u16,
    buf_len: usize,
    needed: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        // SAFETY: the header requires NULL or `first_len` valid units.
        let a = unsafe { utf16_in(first, first_len, "first", "first_len") }?;
        // SAFETY: as above, for `second`.
        let b = unsafe { utf16_in(second, second_len, "second", "second_len") }?;
        if buf_len > 0 && buf.is_null() {
            return Err(fail!(NullArgument, "buf is NULL but buf_len is {buf_len}"));
        }
        if buf_len > 0 && !buf.is_aligned() {
            return Err(misaligned("buf", buf));
        }
        let total = a.len().checked_add(b.len()).ok_or_else(|| {
            fail!(
                Overflow,
                "the combined length {} + {} does not fit in a size_t",
                a.len(),
                b.len()
            )
        })?;
        // `a` and `b` are live shared borrows until the copy below: no write
        // may touch them.
        let needed_len = usize::from(!needed.is_null());
        for (name, input, len) in [("first", first, a.len()), ("second", second, b.len())] {
            if overlaps(needed, needed_len, input, len) {
                return Err(overlap_failure("needed", name));
            }
            if overlaps(buf, buf_len, input, len) {
                return Err(overlap_failure("buf", name));
            }
        }
        if overlaps(needed, needed_len, buf, buf_len) {
            return Err(overlap_failure("needed", "buf"));
        }
        if !needed.is_null() {
            // SAFETY: "`needed` is NULL or valid for writing one `size_t`";
            // it overlaps neither input (checked above), so the live `a` and
            // `b` are not written through.
            unsafe { write_out(needed, total, "needed") }?;
        }
        check_concat_utf16(a, b).map_err(|e| {
            if e.index < a.len() {
                not_utf16("first", e)
            } else {
                not_utf16(
                    "second",
                    LoneSurrogate {
                        index: e.index - a.len(),
                        ..e
                    },
                )
            }
        })?;
        if total > buf_len {
            return Err(fail!(
                BufferTooSmall,
                "the result needs {total} code units but buf_len is {buf_len}"
            ));
        }
        // SAFETY: "`buf` is NULL or valid for writing `buf_len` `uint16_t`s"
        // with `total <= buf_len` (a NULL `buf` has buf_len == 0, so total
        // == 0 and `slice_out` gives the empty slice); aligned (checked
        // above). The units may be uninitialised, hence `MaybeUninit`; they
        // overlap neither input nor `needed` (checked above).
        let dst = unsafe { slice_out(buf, total, "buf", "buf_len") }?;
        copy_to_uninit(dst, a);
        copy_to_uninit(&mut dst[a.len()..], b);
        Ok(())
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
    fn concat_into_refuses_overlaps_before_writing() {
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        // SAFETY: every pointer is valid for the call; the overlapping ones
        // are refused before anything is written.
        unsafe {
            // `needed` inside `first` (terminator included).
            // "aaaaaaaaa": eight bytes of the first word, one of the second.
            let mut first = [0x6161_6161_6161_6161u64, 0x61];
            let text = first.as_ptr().cast::<c_char>();
            let needed = first.as_mut_ptr().add(1).cast::<usize>();
            let mut buf = [0x55 as c_char; 32];
            let st = concat_strings_into(text, cs!("b"), buf.as_mut_ptr(), 32, needed, e);
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "needed overlaps first: the header requires them to be disjoint"
            );
            assert_eq!(first[1], 0x61, "needed not written");
            assert_eq!(buf[0], 0x55, "buf not written");
            // `buf` containing `second` (appending a buffer to itself).
            let mut own = *b"xy\0\0\0\0\0\0";
            let p = own.as_mut_ptr().cast::<c_char>();
            let st = concat_strings_into(cs!("a"), p, p, 8, std::ptr::null_mut(), e);
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "buf overlaps second: the header requires them to be disjoint"
            );
            assert_eq!(&own[..3], b"xy\0");
            // `needed` inside `buf`.
            let mut words = [0usize; 4];
            let st = concat_strings_into(
                cs!("a"),
                cs!("b"),
                words.as_mut_ptr().cast(),
                32,
                words.as_mut_ptr().add(1),
                e,
            );
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "needed overlaps buf: the header requires them to be disjoint"
            );
            // UTF-16: `needed` over `second`, and `buf` over `first`.
            let mut units = [0x61u16; 8];
            let u = units.as_mut_ptr();
            let mut n = 0usize;
            let st = concat_strings_utf16_into(
                u,
                2,
                u.add(4),
                4,
                std::ptr::null_mut(),
                0,
                u.add(4).cast(),
                e,
            );
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "needed overlaps second: the header requires them to be disjoint"
            );
            let st = concat_strings_utf16_into(u, 2, u.add(4), 2, u.add(1), 4, &mut n, e);
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "buf overlaps first: the header requires them to be disjoint"
            );
            assert_eq!(units, [0x61u16; 8], "nothing written");
            // Adjacent, not overlapping: fine, into uninitialised memory.
            let mut out = std::mem::MaybeUninit::<[u16; 4]>::uninit();
            let st =
                concat_strings_utf16_into(u, 2, u.add(2), 2, out.as_mut_ptr().cast(), 4, &mut n, e);
            assert_eq!((st, n), (FfiStatus::Ok, 4));
            assert_eq!(out.assume_init(), [0x61u16; 4]);
            crate::error::ffi_error_free(e);
        }
    }

    #[test]
    fn concat_into_fits_reports_and_refuses() {
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        let null = std::ptr::null_mut::<FfiError>();
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
                e,
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
                e,
            );
            assert_eq!(st, FfiStatus::BufferTooSmall);
            assert_eq!(
                reason(),
                "the result needs 9 bytes (NUL included) but buf_len is 8"
            );
            assert_eq!(needed, 9);
            assert_eq!(buf[0], 0, "a too-small buffer holds the empty string");

            let st = concat_strings_into(
                cs!("ab"),
                cs!("c"),
                std::ptr::null_mut(),
                0,
                &mut needed,
                null,
            );
            assert_eq!(st, FfiStatus::BufferTooSmall);
            assert_eq!(needed, 4);
            let st =
                concat_strings_into(cs!("ab"), cs!("c"), std::ptr::null_mut(), 4, &mut needed, e);
            assert_eq!(st, FfiStatus::NullArgument);
            assert_eq!(reason(), "buf is NULL but buf_len is 4");
            let st = concat_strings_into(
                std::ptr::null(),
                cs!("c"),
                buf.as_mut_ptr(),
                8,
                std::ptr::null_mut(),
                e,
            );
            assert_eq!(st, FfiStatus::NullArgument);
            assert_eq!(reason(), "first is NULL");
            let st = concat_strings_into(
                cs!("c"),
                std::ptr::null(),
                buf.as_mut_ptr(),
                8,
                std::ptr::null_mut(),
                e,
            );
            assert_eq!(st, FfiStatus::NullArgument);
            assert_eq!(reason(), "second is NULL");
            // Exactly fitting, with `needed` NULL.
            let mut exact = [1 as c_char; 3];
            let st = concat_strings_into(
                cs!("a"),
                cs!("b"),
                exact.as_mut_ptr(),
                3,
                std::ptr::null_mut(),
                e,
            );
            assert_eq!(st, FfiStatus::Ok);
            assert_eq!(exact, [b'a' as c_char, b'b' as c_char, 0]);
            assert_eq!(
                reason(),
                "second is NULL",
                "a success leaves the error alone"
            );
            crate::error::ffi_error_free(e);
        }
    }

    #[test]
    fn count_characters_counts_scalars_and_validates() {
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut n = 0usize;
            assert_eq!(
                count_characters(b"h\xc3\xa9llo\0".as_ptr().cast::<c_char>(), &mut n, e),
                FfiStatus::Ok
            );
            assert_eq!(n, 5);
            assert_eq!(
                count_characters(b"\xf0\x9f\xa6\x80\0".as_ptr().cast::<c_char>(), &mut n, e),
                FfiStatus::Ok
            );
            assert_eq!(n, 1);
            assert_eq!(
                count_characters(
                    b"\xff\0".as_ptr().cast::<c_char>(),
                    &mut n,
                    std::ptr::null_mut()
                ),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                count_characters(b"abc\xff\0".as_ptr().cast::<c_char>(), &mut n, e),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                reason(),
                "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 3"
            );
            assert_eq!(
                count_characters(b"h\xc3\xa9\xe2\x82\0".as_ptr().cast::<c_char>(), &mut n, e),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                reason(),
                "s is not valid UTF-8: incomplete character at byte offset 3 (the input ends after 2 of its bytes)"
            );
            assert_eq!(n, 1, "untouched on failure");
            assert_eq!(
                count_characters(std::ptr::null(), &mut n, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "s is NULL");
            assert_eq!(
                count_characters(cs!("x"), std::ptr::null_mut(), e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "out is NULL");
            crate::error::ffi_error_free(e);
        }
    }

    /// The model: std's UTF-16 decoder.
    fn model(units: &[u16]) -> Result<usize, LoneSurrogate> {
        match first_lone_surrogate(units) {
            Some(e) => Err(e),
            None => Ok(char::decode_utf16(units.iter().copied()).count()),
        }
    }

    #[test]
    fn count_utf16_matches_the_decoder_on_every_short_sequence() {
        // Every sequence of up to 4 units drawn from the interesting kinds:
        // ASCII, NUL, BMP, high and low surrogates (both ends of each range).
        let kinds = [
            0x61u16, 0, 0xe9, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff,
        ];
        let mut seq = Vec::new();
        fn walk(kinds: &[u16], seq: &mut Vec<u16>, depth: usize) {
            assert_eq!(count_utf16(seq), model(seq), "{seq:04x?}");
            if depth == 0 {
                return;
            }
            for &k in kinds {
                seq.push(k);
                walk(kinds, seq, depth - 1);
                seq.pop();
            }
        }
        walk(&kinds, &mut seq, 4);
    }

    #[test]
    fn count_utf16_across_block_boundaries() {
        let text: Vec<u16> = "héllo wörld 🦀 ünïcode "
            .repeat(5000)
            .encode_utf16()
            .collect();
        assert!(text.len() > 3 * UTF16_BLOCK);
        let expected = "héllo wörld 🦀 ünïcode ".chars().count() * 5000;
        assert_eq!(count_utf16(&text), Ok(expected));
        // A pair split by a block boundary, and a lone surrogate at each
        // position around the boundaries.
        for at in [
            UTF16_BLOCK - 2,
            UTF16_BLOCK - 1,
            UTF16_BLOCK,
            UTF16_BLOCK + 1,
            2 * UTF16_BLOCK,
        ] {
            let mut units = vec![0x61u16; 3 * UTF16_BLOCK];
            units[at] = 0xd83e;
            units[at + 1] = 0xdd80;
            assert_eq!(count_utf16(&units), Ok(units.len() - 1), "pair at {at}");
            units[at + 1] = 0x61;
            assert_eq!(
                count_utf16(&units),
                Err(LoneSurrogate {
                    index: at,
                    unit: 0xd83e
                }),
                "lone high at {at}"
            );
            units[at] = 0xdc00;
            assert_eq!(
                count_utf16(&units),
                Err(LoneSurrogate {
                    index: at,
                    unit: 0xdc00
                }),
                "lone low at {at}"
            );
        }
        // The last unit: a high surrogate with nothing after it.
        let mut units = vec![0x61u16; UTF16_BLOCK + 1];
        *units.last_mut().unwrap() = 0xd800;
        assert_eq!(
            count_utf16(&units),
            Err(LoneSurrogate {
                index: UTF16_BLOCK,
                unit: 0xd800
            })
        );
    }

    #[test]
    fn count_utf16_random_text_matches_the_decoder() {
        // xorshift: deterministic pseudo-random units, biased towards
        // surrogates so that pairs and lone ones both occur.
        let mut x = 0x9e37_79b9u32;
        for len in [1usize, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1000] {
            for _ in 0..200 {
                let units: Vec<u16> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        match x % 4 {
                            0 => 0xd800 | (x >> 8) as u16 & 0x7ff,
                            1 => 0x20 + (x >> 8) as u16 % 0x60,
                            _ => (x >> 8) as u16,
                        }
                    })
                    .collect();
                assert_eq!(count_utf16(&units), model(&units), "{units:04x?}");
            }
        }
    }

    #[test]
    fn count_characters_utf16_counts_nul_and_refuses_what_the_header_says() {
        let crab: Vec<u16> = "h\0🦀".encode_utf16().collect();
        let err = crate::error::ffi_error_new();
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut n = 99usize;
            assert_eq!(
                count_characters_utf16(crab.as_ptr(), crab.len(), &mut n, err),
                FfiStatus::Ok
            );
            assert_eq!(n, 3);
            assert_eq!(
                count_characters_utf16(std::ptr::null(), 0, &mut n, err),
                FfiStatus::Ok
            );
            assert_eq!(n, 0);
            n = 99;
            let lone = [0x61u16, 0xdc00];
            assert_eq!(
                count_characters_utf16(lone.as_ptr(), 2, &mut n, err),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "s is not well-formed UTF-16: lone surrogate 0xDC00 at code unit 1"
            );
            assert_eq!(
                count_characters_utf16(std::ptr::null(), 1, &mut n, err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "s is NULL but len is 1"
            );
            assert_eq!(
                count_characters_utf16(crab.as_ptr(), 1, std::ptr::null_mut(), err),
                FfiStatus::NullArgument
            );
            assert_eq!(crate::testing_support::message(err), "out is NULL");
            assert_eq!(
                count_characters_utf16(crab.as_ptr(), usize::MAX, &mut n, err),
                FfiStatus::InvalidArgument
            );
            assert!(crate::testing_support::message(err)
                .starts_with(&format!("len is {}, more elements", usize::MAX)));
            let misaligned = crab.as_ptr().cast::<u8>().wrapping_add(1).cast::<u16>();
            assert_eq!(
                count_characters_utf16(misaligned, 1, &mut n, err),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                format!(
                    "s is not aligned to 2 bytes (address {misaligned:p}), as a uint16_t * must be"
                )
            );
            assert_eq!(n, 99, "written only on success");
            crate::error::ffi_error_free(err);
        }
    }

    #[test]
    fn count_characters_utf8_counts_by_length() {
        let text = "h\0é🦀".as_bytes();
        let err = crate::error::ffi_error_new();
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut n = 99usize;
            assert_eq!(
                count_characters_utf8(text.as_ptr().cast(), text.len(), &mut n, err),
                FfiStatus::Ok
            );
            assert_eq!(n, 4);
            // A prefix that cuts the crab in half is not UTF-8.
            assert_eq!(
                count_characters_utf8(text.as_ptr().cast(), text.len() - 1, &mut n, err),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                crate::testing_support::message(err),
                "s is not valid UTF-8: incomplete character at byte offset 4 (the input ends after 3 of its bytes)"
            );
            assert_eq!(
                count_characters_utf8(std::ptr::null(), 0, &mut n, err),
                FfiStatus::Ok
            );
            assert_eq!(n, 0);
            assert_eq!(
                count_characters_utf8(std::ptr::null(), 3, &mut n, err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "s is NULL but len is 3"
            );
            assert_eq!(
                count_characters_utf8(cs!("x"), 1, std::ptr::null_mut(), err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                count_characters_utf8(cs!("x"), usize::MAX, &mut n, err),
                FfiStatus::InvalidArgument
            );
            let bad = b"ok\xff";
            assert_eq!(
                count_characters_utf8(bad.as_ptr().cast(), 3, &mut n, err),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                crate::testing_support::message(err),
                "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 2"
            );
            crate::error::ffi_error_free(err);
        }
    }

    #[test]
    fn concat_utf16_into_joins_checks_and_refuses() {
        let a: Vec<u16> = "🦀\0a".encode_utf16().collect();
        let b: Vec<u16> = "é".encode_utf16().collect();
        let err = crate::error::ffi_error_new();
        // SAFETY: every pointer below is NULL or valid for the call, as the
        // functions require.
        unsafe {
            let mut buf = [0x55u16; 8];
            let mut needed = 0usize;
            // a + b into (buf, len).
            let join = |buf: *mut u16, len: usize, needed: &mut usize| {
                concat_strings_utf16_into(
                    a.as_ptr(),
                    a.len(),
                    b.as_ptr(),
                    b.len(),
                    buf,
                    len,
                    needed,
                    err,
                )
            };
            let st = join(buf.as_mut_ptr(), 8, &mut needed);
            assert_eq!(st, FfiStatus::Ok);
            assert_eq!(needed, 5);
            assert_eq!(String::from_utf16(&buf[..5]).unwrap(), "🦀\0aé");
            assert_eq!(buf[5], 0x55, "nothing written past the result");

            // Too small: nothing written.
            let mut small = [0x55u16; 4];
            let st = join(small.as_mut_ptr(), 4, &mut needed);
            assert_eq!(st, FfiStatus::BufferTooSmall);
            assert_eq!(
                crate::testing_support::message(err),
                "the result needs 5 code units but buf_len is 4"
            );
            assert_eq!(needed, 5);
            assert_eq!(small, [0x55; 4]);
            // Size query.
            let st = join(std::ptr::null_mut(), 0, &mut needed);
            assert_eq!(st, FfiStatus::BufferTooSmall);
            // Empty + empty into nothing.
            let st = concat_strings_utf16_into(
                std::ptr::null(),
                0,
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
                0,
                &mut needed,
                err,
            );
            assert_eq!(st, FfiStatus::Ok);
            assert_eq!(needed, 0);
            // A lone surrogate at the join is refused, even though the halves pair up.
            let high = [0xd83eu16];
            let low = [0xdd80u16];
            let st = concat_strings_utf16_into(
                high.as_ptr(),
                1,
                low.as_ptr(),
                1,
                buf.as_mut_ptr(),
                8,
                &mut needed,
                err,
            );
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                crate::testing_support::message(err),
                "first is not well-formed UTF-16: lone surrogate 0xD83E at code unit 0"
            );
            let st = concat_strings_utf16_into(
                b.as_ptr(),
                1,
                low.as_ptr(),
                1,
                buf.as_mut_ptr(),
                8,
                &mut needed,
                err,
            );
            assert_eq!(st, FfiStatus::InvalidArgument);
            assert_eq!(
                crate::testing_support::message(err),
                "second is not well-formed UTF-16: lone surrogate 0xDD80 at code unit 0"
            );
            assert_eq!(
                check_concat_utf16(&high, &low),
                Err(LoneSurrogate {
                    index: 0,
                    unit: 0xd83e
                })
            );
            assert_eq!(
                check_concat_utf16(&b, &low),
                Err(LoneSurrogate {
                    index: 1,
                    unit: 0xdd80
                })
            );
            // NULLs with lengths, a NULL buffer with a length, misalignment, overflow.
            let p = a.as_ptr();
            let m = buf.as_mut_ptr();
            assert_eq!(
                concat_strings_utf16_into(std::ptr::null(), 1, p, 1, m, 8, &mut needed, err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "first is NULL but first_len is 1"
            );
            assert_eq!(
                concat_strings_utf16_into(p, 1, std::ptr::null(), 1, m, 8, &mut needed, err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "second is NULL but second_len is 1"
            );
            assert_eq!(
                concat_strings_utf16_into(p, 1, p, 1, std::ptr::null_mut(), 8, &mut needed, err),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(err),
                "buf is NULL but buf_len is 8"
            );
            let odd = m.cast::<u8>().wrapping_add(1).cast::<u16>();
            assert_eq!(
                concat_strings_utf16_into(p, 1, p, 1, odd, 4, &mut needed, err),
                FfiStatus::InvalidArgument
            );
            assert!(
                crate::testing_support::message(err).starts_with("buf is not aligned to 2 bytes")
            );
            assert_eq!(
                concat_strings_utf16_into(odd, 1, p, 1, m, 8, &mut needed, err),
                FfiStatus::InvalidArgument
            );
            let half = isize::MAX as usize / 2;
            assert_eq!(
                concat_strings_utf16_into(p, half + 1, p, 1, m, 8, &mut needed, err),
                FfiStatus::InvalidArgument
            );
            let e = b.as_ptr();
            assert_eq!(
                concat_strings_utf16_into(e, 1, e, 1, m, 8, std::ptr::null_mut(), err),
                FfiStatus::Ok
            );
            assert_eq!(&buf[..2], [0xe9, 0xe9]);
            crate::error::ffi_error_free(err);
        }
    }
}
