//! The boundary: the one guard every export runs in, and the small helpers
//! that turn raw C arguments into safe Rust values.
//!
//! regex-capi's `ffi_fn!` is the model: write the panic handling once and use
//! it everywhere, instead of copying a `catch_unwind` block into each export.

use std::ffi::{c_char, CStr};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use crate::error::{fail, panic_reason, utf8_reason, wanting, Failure, FfiError};
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
#[inline]
pub fn guard<R: PanicFallback>(body: impl FnOnce() -> R) -> R {
    // AssertUnwindSafe: after a panic the body's partial work is abandoned and
    // only the fallback value is returned; no state observed by the caller is
    // reused inside this call.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| R::panic_fallback())
}

/// The caller's `FfiError *error` argument, checked once: absent (NULL) or
/// a live error object that this call may write.
///
/// It keeps the raw pointer, never a `&mut FfiError`: a reference held
/// while the export calls foreign code (count_where's predicate) would tell
/// the optimiser that nothing else touches the object, yet the header lets
/// the predicate pass the same object to other calls. The `&mut` exists
/// only for the moment of writing, in [`report`], after the export's body
/// (and every callback it made) has returned.
pub struct ErrorOut<'a>(Option<NonNull<FfiError>>, PhantomData<&'a mut FfiError>);

impl ErrorOut<'_> {
    /// Wraps an export's `error` argument.
    ///
    /// # Safety
    /// `error` is NULL, a live object from `ffi_error_new()` or a handle
    /// from `ffi_error_new_thread_owned()`, that no other call uses while
    /// this one runs, apart from calls made by callbacks of this one, which
    /// have all returned before it writes (the header's promise for every
    /// `FfiError *error`).
    #[inline]
    pub unsafe fn from_raw(error: *mut FfiError) -> Self {
        // The handle is kept as given: a thread-owned one is resolved to its
        // object only in `report`, so a call that succeeds never looks it up.
        ErrorOut(NonNull::new(error), PhantomData)
    }

    /// Whether there is an object to receive a reason.
    #[inline]
    fn is_some(&self) -> bool {
        self.0.is_some()
    }
}

/// Runs a fallible export's body: `Ok(())` becomes [`FfiStatus::Ok`] and
/// leaves `error` untouched; `Err(failure)` becomes the failure's status,
/// recorded with its reason in `error`; a panic becomes
/// [`FfiStatus::Panic`], recorded with the panic's message. An absent
/// (NULL) `error` records nothing, and no reason is copied.
#[inline]
pub fn guard_status(error: ErrorOut<'_>, body: impl FnOnce() -> Result<(), Failure>) -> FfiStatus {
    // AssertUnwindSafe: as in `guard`, a panicking body's partial work is
    // abandoned. Reasons are formatted only when there is an object to
    // receive them: with a NULL `error` a failure costs no formatting.
    let wanted = error.is_some();
    match wanting(wanted, || catch_unwind(AssertUnwindSafe(body))) {
        Ok(Ok(())) => FfiStatus::Ok,
        Ok(Err(failure)) => report(error, failure),
        Err(payload) => panicked(error, payload),
    }
}

/// The panic path of [`guard_status`], out of line: records the panic's
/// message in `error` (if any) and returns [`FfiStatus::Panic`].
#[cold]
#[inline(never)]
fn panicked(error: ErrorOut<'_>, payload: Box<dyn std::any::Any + Send>) -> FfiStatus {
    let reason = if error.is_some() {
        panic_reason(&*payload)
    } else {
        String::new()
    };
    report(error, Failure::new(FfiStatus::Panic, reason))
}

/// The failure path of [`guard_status`], out of line: records `failure` in
/// `error` (if any) and returns its status.
#[cold]
#[inline(never)]
fn report(error: ErrorOut<'_>, failure: Failure) -> FfiStatus {
    if let Some(handle) = error.0 {
        // A thread-owned handle becomes its object here (NULL once the
        // library has freed it: nothing is recorded then); any other handle
        // is the object itself.
        let object = crate::error::object(handle.as_ptr());
        if !object.is_null() {
            // Recording allocates the message; it is guarded too, so that
            // even a panic there cannot unwind into C (the status is still
            // returned).
            // SAFETY: "`error` is NULL or a live FfiError used by no other
            // call at the same time" (every export's header comment;
            // count_where adds "apart from calls the predicate makes", and
            // the predicate has returned for good by now), resolved by
            // `object` to a live, non-NULL object. The `&mut` lives for this
            // one write.
            guard(|| unsafe { &mut *object }.record(&failure));
        }
    }
    failure.status()
}

/// Borrows a NUL-terminated C string, or fails with
/// [`FfiStatus::NullArgument`] for NULL (`name` is the parameter's name, for
/// the reason).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a` (the header's promise for every `const char *`).
#[inline]
pub unsafe fn c_str<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a CStr, Failure> {
    if ptr.is_null() {
        return Err(Failure::lazy(FfiStatus::NullArgument, || null_reason(name)));
    }
    // SAFETY: non-NULL, and the caller promised a NUL-terminated string valid
    // for 'a.
    Ok(unsafe { CStr::from_ptr(ptr) })
}

/// Borrows a NUL-terminated C string as UTF-8 text; invalid UTF-8 is
/// [`FfiStatus::InvalidUtf8`] with the byte offset of the first bad byte.
///
/// # Safety
/// As for [`c_str`].
#[inline]
pub unsafe fn c_str_utf8<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from the caller.
    let s = unsafe { c_str(ptr, name) }?;
    s.to_str().map_err(|e| invalid_utf8(name, s, e))
}

/// The failure for a C string that is not UTF-8 (kept out of line: the
/// success path inlines [`c_str_utf8`] without it).
#[cold]
#[inline(never)]
fn invalid_utf8(name: &'static str, s: &CStr, e: std::str::Utf8Error) -> Failure {
    Failure::lazy(FfiStatus::InvalidUtf8, || {
        utf8_reason(name, s.to_bytes(), e)
    })
}

/// The reason for a NULL parameter: "out is NULL" (built on the failure
/// path only).
#[cold]
fn null_reason(name: &'static str) -> String {
    format!("{name} is NULL")
}

/// Writes `value` through an out-pointer, or fails with
/// [`FfiStatus::NullArgument`] for NULL.
///
/// # Safety
/// `out` is NULL or valid for a write of one `T` (alignment included).
#[inline]
pub unsafe fn write_out<T>(out: *mut T, value: T, name: &'static str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::lazy(FfiStatus::NullArgument, || null_reason(name)));
    }
    // SAFETY: non-NULL and, as the caller promised, valid and aligned for T.
    // `write` does not drop the old (possibly uninitialised) contents.
    unsafe { out.write(value) };
    Ok(())
}

/// Checks the pointer and length of an array argument: NULL with `len == 0`
/// is fine; NULL with `len > 0` is [`FfiStatus::NullArgument`]; a `len`
/// whose byte size does not fit in `isize` is [`FfiStatus::InvalidArgument`].
#[inline]
fn check_slice<T>(
    null: bool,
    len: usize,
    name: &'static str,
    len_name: &'static str,
) -> Result<(), Failure> {
    if len == 0 {
        return Ok(());
    }
    if null {
        return Err(fail!(
            NullArgument,
            "{name} is NULL but {len_name} is {len}"
        ));
    }
    let max = isize::MAX as usize / std::mem::size_of::<T>().max(1);
    if len > max {
        return Err(fail!(
            InvalidArgument,
            "{len_name} is {len}, more elements than any array can hold (at most {max} of {} bytes)",
            std::mem::size_of::<T>()
        ));
    }
    Ok(())
}

/// Borrows `len` elements starting at `ptr` as a slice. NULL with `len == 0`
/// is the empty slice; NULL with `len > 0` is [`FfiStatus::NullArgument`].
///
/// # Safety
/// Unless NULL, `ptr` points to `len` initialised, aligned `T`s that stay
/// valid and unchanged for `'a`.
#[inline]
pub unsafe fn slice_in<'a, T>(
    ptr: *const T,
    len: usize,
    name: &'static str,
    len_name: &'static str,
) -> Result<&'a [T], Failure> {
    check_slice::<T>(ptr.is_null(), len, name, len_name)?;
    if len == 0 {
        return Ok(&[]);
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
#[inline]
pub unsafe fn slice_in_mut<'a, T>(
    ptr: *mut T,
    len: usize,
    name: &'static str,
    len_name: &'static str,
) -> Result<&'a mut [T], Failure> {
    check_slice::<T>(ptr.is_null(), len, name, len_name)?;
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: non-NULL, exclusive and `len` valid Ts as the caller promised;
    // the total size fits in isize (checked above).
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Borrows `len` elements of a caller's output buffer starting at `ptr`, as
/// possibly uninitialised memory: the header asks only for writable memory,
/// so the elements are never read or turned into `&mut [T]` (whose
/// documentation requires initialised values). NULL with `len == 0` is the
/// empty slice; NULL with `len > 0` is [`FfiStatus::NullArgument`].
///
/// # Safety
/// Unless NULL, `ptr` is aligned and valid for writing `len` `T`s, which
/// nothing else reads or writes for `'a`.
#[inline]
pub unsafe fn slice_out<'a, T>(
    ptr: *mut T,
    len: usize,
    name: &'static str,
    len_name: &'static str,
) -> Result<&'a mut [MaybeUninit<T>], Failure> {
    check_slice::<T>(ptr.is_null(), len, name, len_name)?;
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: non-NULL, aligned, valid for `len` writes and exclusive for 'a
    // as the caller promised; `MaybeUninit<T>` has T's layout and needs no
    // initialised value; the total size fits in isize (checked above).
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr.cast::<MaybeUninit<T>>(), len) })
}

/// Copies `src` into the start of `dst` (`dst.len() >= src.len()`), leaving
/// the rest of `dst` as it was. The counterpart of `copy_from_slice` for
/// memory that may be uninitialised.
#[inline]
pub fn copy_to_uninit<T: Copy>(dst: &mut [MaybeUninit<T>], src: &[T]) {
    for (d, s) in dst[..src.len()].iter_mut().zip(src) {
        d.write(*s);
    }
}

/// Whether the `a_len` `A`s at `a` and the `b_len` `B`s at `b` share a byte.
/// Empty ranges overlap nothing. Only the addresses are compared: nothing
/// is read. Lengths are those of real arrays (byte sizes within `isize`), so
/// the ends do not wrap.
#[inline]
pub fn overlaps<A, B>(a: *const A, a_len: usize, b: *const B, b_len: usize) -> bool {
    let a_bytes = a_len.saturating_mul(std::mem::size_of::<A>());
    let b_bytes = b_len.saturating_mul(std::mem::size_of::<B>());
    if a_bytes == 0 || b_bytes == 0 {
        return false;
    }
    let (a0, b0) = (a.addr(), b.addr());
    a0 < b0.saturating_add(b_bytes) && b0 < a0.saturating_add(a_bytes)
}

/// The failure for two arguments that share memory although the header
/// says they must not: [`FfiStatus::InvalidArgument`], "needed overlaps
/// first".
#[cold]
pub fn overlap_failure(name: &'static str, other: &'static str) -> Failure {
    fail!(
        InvalidArgument,
        "{name} overlaps {other}: the header requires them to be disjoint"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ffi_error_free, ffi_error_message, ffi_error_new, ffi_error_status};

    fn message(e: *mut FfiError) -> String {
        // SAFETY: `e` is a live error object; the message is copied at once.
        unsafe { CStr::from_ptr(ffi_error_message(e)) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn guard_passes_values_through() {
        assert_eq!(guard(|| 7i32), 7);
        // SAFETY: NULL error objects.
        unsafe {
            assert_eq!(
                guard_status(ErrorOut::from_raw(std::ptr::null_mut()), || Ok(())),
                FfiStatus::Ok
            );
            assert_eq!(
                guard_status(ErrorOut::from_raw(std::ptr::null_mut()), || Err(fail!(
                    Overflow, "x"
                ))),
                FfiStatus::Overflow
            );
        }
    }

    #[test]
    fn guard_status_records_failures_and_leaves_successes_alone() {
        let e = ffi_error_new();
        // SAFETY: `e` is live until freed at the end.
        unsafe {
            let st = guard_status(ErrorOut::from_raw(e), || {
                Err(fail!(Overflow, "{} is too big", 7))
            });
            assert_eq!(st, FfiStatus::Overflow);
            assert_eq!(ffi_error_status(e), FfiStatus::Overflow);
            assert_eq!(message(e), "7 is too big");
            assert_eq!(
                guard_status(ErrorOut::from_raw(e), || Ok(())),
                FfiStatus::Ok
            );
            assert_eq!(ffi_error_status(e), FfiStatus::Overflow, "untouched");
            assert_eq!(message(e), "7 is too big", "untouched");
            ffi_error_free(e);
        }
    }

    #[test]
    fn guard_turns_panics_into_fallbacks_and_reasons() {
        assert!(guard(|| -> *mut u8 { panic!("boom") }).is_null());
        assert_eq!(guard(|| -> i32 { panic!("boom") }), 0);
        assert!(guard(|| -> f64 { panic!("boom") }).is_nan());
        let e = ffi_error_new();
        // SAFETY: `e` is live until freed at the end.
        unsafe {
            assert_eq!(
                guard_status(ErrorOut::from_raw(std::ptr::null_mut()), || panic!("boom")),
                FfiStatus::Panic
            );
            assert_eq!(
                guard_status(ErrorOut::from_raw(e), || panic!("boom {}", 42)),
                FfiStatus::Panic
            );
            assert_eq!(ffi_error_status(e), FfiStatus::Panic);
            assert_eq!(message(e), "Rust panicked: boom 42");
            assert_eq!(
                guard_status(ErrorOut::from_raw(e), || std::panic::panic_any(7u32)),
                FfiStatus::Panic
            );
            assert_eq!(message(e), "Rust panicked with a non-string payload");
            ffi_error_free(e);
        }
    }

    #[test]
    fn helpers_reject_null_with_the_parameter_name() {
        // SAFETY: NULL is handled before any dereference.
        unsafe {
            let f = c_str(std::ptr::null(), "first").unwrap_err();
            assert_eq!(f.status(), FfiStatus::NullArgument);
            assert_eq!(f.reason(), "first is NULL");
            let f = write_out::<i32>(std::ptr::null_mut(), 1, "out").unwrap_err();
            assert_eq!(
                (f.status(), f.reason()),
                (FfiStatus::NullArgument, "out is NULL")
            );
            assert_eq!(
                slice_in::<u32>(std::ptr::null(), 0, "numbers", "length").unwrap(),
                &[] as &[u32]
            );
            let f = slice_in::<u32>(std::ptr::null(), 3, "numbers", "length").unwrap_err();
            assert_eq!(
                (f.status(), f.reason()),
                (FfiStatus::NullArgument, "numbers is NULL but length is 3")
            );
            let one = [1u32];
            let f = slice_in::<u32>(one.as_ptr(), usize::MAX, "numbers", "length").unwrap_err();
            assert_eq!(f.status(), FfiStatus::InvalidArgument);
            assert_eq!(
                f.reason(),
                format!(
                    "length is {}, more elements than any array can hold (at most {} of 4 bytes)",
                    usize::MAX,
                    isize::MAX as usize / 4
                )
            );
        }
    }

    #[test]
    fn c_str_utf8_rejects_invalid_bytes_with_the_offset() {
        let bad = [b'o', b'k', 0xff, 0xfe, 0];
        // SAFETY: `bad` is NUL-terminated and lives for the call.
        let f = unsafe { c_str_utf8(bad.as_ptr().cast(), "s") }.unwrap_err();
        assert_eq!(f.status(), FfiStatus::InvalidUtf8);
        assert_eq!(
            f.reason(),
            "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 2"
        );
    }
}
