//! The reason channel: why a call failed, in a caller-owned error object.
//!
//! regex's C API (`rure_error`) is the model. The caller creates an
//! [`FfiError`] with [`ffi_error_new`], passes it as the last argument of any
//! status-returning function, and on failure reads the status and a specific
//! English reason from it. Passing NULL instead means "no detail wanted".
//! There is no thread-local or global "last error": the object belongs to the
//! caller, so calls on different threads (koffi's `.async` workers) never see
//! each other's reasons.
//!
//! Inside the crate, a failure is a [`Failure`]: a status and its reason. The
//! safe core returns `Result<_, Failure>`; the boundary guard
//! ([`crate::boundary::guard_status`]) turns it into the status the export
//! returns and records it in the caller's [`FfiError`], if there is one.

use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::guard;
use crate::status::FfiStatus;
use crate::thread_owned;

/// A failure inside the crate: the status the export returns and the reason
/// the caller reads from its error object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    status: FfiStatus,
    reason: Cow<'static, str>,
}

impl Failure {
    /// A failure with this status and reason. Static reasons cost nothing; a
    /// formatted one is built only on the failure path.
    pub fn new(status: FfiStatus, reason: impl Into<Cow<'static, str>>) -> Failure {
        Failure {
            status,
            reason: reason.into(),
        }
    }

    /// A failure whose reason `reason()` builds only if someone will read it:
    /// inside an export called with a NULL error object (see [`wanting`]),
    /// nothing is formatted and nothing is allocated.
    pub fn lazy(status: FfiStatus, reason: impl FnOnce() -> String) -> Failure {
        let reason = if reasons_wanted() {
            Cow::Owned(reason())
        } else {
            Cow::Borrowed("")
        };
        Failure { status, reason }
    }

    /// The status the export returns.
    pub fn status(&self) -> FfiStatus {
        self.status
    }

    /// The specific reason, in English, without the function's name.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// A [`Failure`] with a formatted reason: `fail!(Overflow, "{a} + {b} ...")`.
/// The reason is formatted only if it is wanted ([`Failure::lazy`]).
macro_rules! fail {
    ($status:ident, $($fmt:tt)+) => {
        $crate::error::Failure::lazy($crate::status::FfiStatus::$status, || format!($($fmt)+))
    };
}
pub(crate) use fail;

/// [`FfiStatus::NullArgument`] for the parameter named `$name`, with a static
/// reason ("out is NULL"): nothing is allocated.
macro_rules! null_argument {
    ($name:literal) => {
        $crate::error::Failure::new(
            $crate::status::FfiStatus::NullArgument,
            concat!($name, " is NULL"),
        )
    };
}
pub(crate) use null_argument;

thread_local! {
    /// Whether the export running on this thread has an error object to write
    /// its reason into. Not an error state: nothing is stored here but this
    /// flag, which [`wanting`] sets for the duration of one export's body and
    /// then restores, so nested calls (a callback calling another export)
    /// each see their own. Outside any export (Rust code using the crate's
    /// safe core) reasons are wanted.
    static REASONS_WANTED: Cell<bool> = const { Cell::new(true) };
}

/// Whether a failure built now will have its reason read.
#[inline]
pub fn reasons_wanted() -> bool {
    REASONS_WANTED.with(Cell::get)
}

/// Runs `body` with [`reasons_wanted`] answering `wanted`, then restores the
/// previous answer (even if `body` panics). One thread-local lookup for both
/// (in a shared library each lookup is a call to `__tls_get_addr`).
#[inline]
pub fn wanting<R>(wanted: bool, body: impl FnOnce() -> R) -> R {
    struct Restore<'a>(&'a Cell<bool>, bool);
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            self.0.set(self.1);
        }
    }
    REASONS_WANTED.with(|flag| {
        let _restore = Restore(flag, flag.replace(wanted));
        body()
    })
}

/// Text from the caller, quoted for a reason: escaped like a Rust string
/// literal, and cut after 40 characters (the full length is then given in
/// bytes), so a reason stays one short line whatever the input.
pub fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    match text.char_indices().nth(MAX_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
    }
}

/// A number for a reason, as JavaScript prints it: the shortest text that
/// reads back as the same double, in plain notation from 1e-7 to 1e21 and in
/// exponent notation outside (`-1`, `0.5`, `1e308`, `1e-300`), and `NaN`,
/// `Infinity`, `-Infinity`. Rust's `{}` would print 1e308 with 309 digits.
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if x.is_nan() {
            f.write_str("NaN")
        } else if x.is_infinite() {
            f.write_str(if x > 0.0 { "Infinity" } else { "-Infinity" })
        } else if x == 0.0 || (1e-7..1e21).contains(&x.abs()) {
            write!(f, "{x}")
        } else {
            write!(f, "{x:e}")
        }
    }
}

/// Why some bytes are not UTF-8: the byte offset of the first invalid byte
/// (`Utf8Error::valid_up_to`), the offending bytes, and whether the input
/// merely ended in the middle of a character.
pub fn utf8_reason(what: &str, bytes: &[u8], err: std::str::Utf8Error) -> String {
    let at = err.valid_up_to();
    match err.error_len() {
        Some(n) => {
            let bad: Vec<String> = bytes[at..at + n]
                .iter()
                .map(|b| format!("0x{b:02x}"))
                .collect();
            format!(
                "{what} is not valid UTF-8: invalid byte sequence {} at byte offset {at}",
                bad.join(" ")
            )
        }
        None => format!(
            "{what} is not valid UTF-8: incomplete character at byte offset {at} (the input ends after {} of its bytes)",
            bytes.len() - at
        ),
    }
}

/// The text of a caught panic's payload: the message of `panic!("...")`, or
/// a fixed sentence when the payload is not a string.
pub fn panic_reason(payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    match message {
        Some(m) => format!("Rust panicked: {m}"),
        None => "Rust panicked with a non-string payload".to_owned(),
    }
}

/// A caller-owned error object that receives the status and the reason of a
/// failed call.
///
/// Create one with ffi_error_new() and release it with ffi_error_free(),
/// exactly once. Pass it as the last argument (`FfiError *error`) of any
/// function that returns an FfiStatus: on failure the function stores its
/// status and an English reason in it ("radius is -1: a dimension must be
/// finite and >= 0"); on success it leaves the object untouched, so always
/// look at the returned status first. NULL in that position means "no detail
/// wanted" and costs nothing.
///
/// One object may be reused for any number of calls, one at a time: it must
/// not be passed to two calls running at the same time (on two threads, say).
/// Different objects are independent: each thread may have its own.
///
/// An object from ffi_error_new_thread_owned() belongs to the thread that
/// created it: only that thread frees it, explicitly or when it exits; after
/// that every function treats it as freed (see ffi_error_new_thread_owned()).
pub struct FfiError {
    status: FfiStatus,
    message: CString,
}

// An ordinary object's address has bit 0 clear: the thread-owned handles of
// `thread_owned` are told apart by it.
const _: () = assert!(std::mem::align_of::<FfiError>() >= 2);

impl FfiError {
    /// A fresh object: status OK and an empty message.
    pub fn new() -> FfiError {
        FfiError {
            status: FfiStatus::Ok,
            message: CString::default(),
        }
    }

    /// Stores `failure`, replacing (and freeing) the previous message. A NUL
    /// inside the reason (it may quote caller bytes) is written as `\0`.
    pub fn record(&mut self, failure: &Failure) {
        self.status = failure.status;
        let reason = failure.reason.replace('\0', "\\0");
        // No NUL is left, so `new` cannot fail; the fallback is never taken.
        self.message = CString::new(reason).unwrap_or_default();
    }

    /// The status of the last failure recorded (OK if none was).
    pub fn status(&self) -> FfiStatus {
        self.status
    }

    /// The reason of the last failure recorded (empty if none was).
    pub fn message(&self) -> &std::ffi::CStr {
        &self.message
    }
}

impl Default for FfiError {
    fn default() -> Self {
        FfiError::new()
    }
}

/// Records `failure` in the caller's error object, if there is one (and, for
/// a thread-owned handle, if its object is still live).
///
/// # Safety
/// `error` is NULL, a live object from ffi_error_new(), or a handle from
/// ffi_error_new_thread_owned(), that no other call is using at the same
/// time.
pub unsafe fn record(error: *mut FfiError, failure: &Failure) {
    // SAFETY: the caller promised NULL, a live FfiError or a thread-owned
    // handle, unshared: `object` gives NULL (`as_mut` gives None) or a live
    // object.
    if let Some(error) = unsafe { object(error).as_mut() } {
        error.record(failure);
    }
}

/// The object behind an `FfiError *` argument: NULL and an ordinary object
/// as they are, a thread-owned handle's object while it is live, and NULL for
/// a thread-owned handle whose object was freed (by ffi_error_free() or its
/// thread's exit), so that such a handle reads as NULL everywhere.
#[inline]
pub fn object(error: *mut FfiError) -> *mut FfiError {
    thread_owned::resolve(error)
}

/// Error objects created by [`ffi_error_new`] or
/// [`ffi_error_new_thread_owned`] and not yet freed.
static LIVE_ERRORS: AtomicUsize = AtomicUsize::new(0);

// A thread-owned error object's table and its thread's record; its exit
// counts the objects it frees.
thread_owned::thread_ownable!(FfiError, {
    LIVE_ERRORS.fetch_sub(1, Ordering::Relaxed);
});

/// Boxes a new error object, counts it, and returns the raw pointer.
fn new_object(error: FfiError) -> *mut FfiError {
    let object = Box::into_raw(Box::new(error));
    LIVE_ERRORS.fetch_add(1, Ordering::Relaxed);
    object
}

/// Creates an error object for the `error` parameter of the status-returning
/// functions. Its status is FFI_STATUS_OK and its message empty until a call
/// records a failure in it.
///
/// Ownership: the caller owns the object and must release it with
/// ffi_error_free(), exactly once (never with C's free()). Returns NULL only
/// if an internal panic was caught. Thread-safe; the object may be moved to
/// another thread, but must be used by one call at a time.
#[no_mangle]
pub extern "C" fn ffi_error_new() -> *mut FfiError {
    guard(|| new_object(FfiError::new()))
}

/// Creates an error object, as ffi_error_new(), that the calling thread
/// owns: if it is still live when the thread exits, the library frees it
/// then. For bindings whose objects cannot outlive a thread, such as a
/// Node.js worker thread ended by worker.terminate() (the package keeps one
/// such object per thread for its synchronous calls).
///
/// Ownership: the caller may free the object earlier with ffi_error_free()
/// on the creating thread; on another thread ffi_error_free() does nothing
/// (the object stays valid, and its thread frees it). It may be passed to
/// calls on any thread, one call at a time, but not while its thread is
/// exiting (a race, as with any free). Returns NULL only if an internal
/// panic was caught.
///
/// A thread-owned handle never dangles. Once its object is freed (by
/// ffi_error_free() or by its thread's exit), every function treats the
/// handle as NULL, from any thread, at any time up to the end of the
/// process: ffi_error_free() ignores it (a second free, or a free after the
/// thread exited, is a harmless no-op), ffi_error_status() returns
/// FFI_STATUS_NULL_ARGUMENT, ffi_error_message() NULL, and a function given
/// it as its `error` argument records nothing (it still returns its
/// status). A message pointer read earlier is invalid once the object is
/// freed, as for any object. When the library frees what a thread left,
/// and so where a late use sees the object freed, is as described for
/// opaque_point_new_thread_owned(), with a key and an exit handler of their
/// own, created with the process's first thread-owned error object. The
/// table keeps room for as many
/// thread-owned error objects as were ever live at once (48 bytes each on
/// 64-bit targets, plus each one's message while it lives).
#[no_mangle]
pub extern "C" fn ffi_error_new_thread_owned() -> *mut FfiError {
    guard(|| {
        let object = thread_owned::adopt(FfiError::new());
        LIVE_ERRORS.fetch_add(1, Ordering::Relaxed);
        object
    })
}

/// Destroys an error object created by ffi_error_new() or
/// ffi_error_new_thread_owned(), and its message. NULL is a harmless no-op.
///
/// Ownership: takes back the object the caller owned. An object from
/// ffi_error_new() must be freed exactly once: the object, and any message
/// pointer obtained from it, are invalid afterwards. Never use C's free()
/// instead. Thread-safe for different objects.
///
/// A thread-owned object is freed only on the thread that created it; on
/// another thread this does nothing, and the object is freed when its thread
/// exits. Once its object is freed (here, or by its thread's exit), this
/// ignores the handle: a second free, or a free after the thread exited, on
/// any thread and at any point of the process's exit, is a harmless no-op
/// (see ffi_error_new_thread_owned()).
///
/// # Safety
/// `error` is NULL, a live object from ffi_error_new() that is not used
/// again, or a handle from ffi_error_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn ffi_error_free(error: *mut FfiError) {
    guard(|| {
        if thread_owned::is_thread_owned(error) {
            // Live and this thread's: freed; freed already, or another
            // thread's: left alone.
            if thread_owned::free(error) {
                LIVE_ERRORS.fetch_sub(1, Ordering::Relaxed);
            }
            return;
        }
        if error.is_null() {
            return;
        }
        // SAFETY: "a live object from ffi_error_new() that is not used
        // again": a `Box::into_raw` (bit 0 clear, unlike a thread-owned
        // handle) not freed yet; ownership returns to the Box, which drops
        // it here.
        drop(unsafe { Box::from_raw(error) });
        LIVE_ERRORS.fetch_sub(1, Ordering::Relaxed);
    })
}

/// The number of error objects created by ffi_error_new() or
/// ffi_error_new_thread_owned() and not yet freed, across all threads (a
/// thread's exit frees its thread-owned ones). Meant for leak tests.
///
/// No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe.
#[no_mangle]
pub extern "C" fn ffi_error_live_count() -> usize {
    guard(|| LIVE_ERRORS.load(Ordering::Relaxed))
}

/// The status of the last failure recorded in `error`: FFI_STATUS_OK for a
/// fresh object (successful calls leave the object untouched, so this is
/// not the status of the last call). FFI_STATUS_NULL_ARGUMENT for a NULL
/// `error`, and for a thread-owned handle whose object was freed.
///
/// `error` is borrowed for the call. Thread-safe for objects no call is
/// writing to.
///
/// # Safety
/// `error` is NULL, a live object from ffi_error_new(), or a handle from
/// ffi_error_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn ffi_error_status(error: *const FfiError) -> FfiStatus {
    guard(|| {
        // SAFETY: "`error` is NULL, a live object from ffi_error_new(), or a
        // handle from ffi_error_new_thread_owned()", no call writing to it:
        // `object` gives NULL (`as_ref` gives None) or a live object.
        match unsafe { object(error.cast_mut()).as_ref() } {
            Some(e) => e.status(),
            None => FfiStatus::NullArgument,
        }
    })
}

/// The reason of the last failure recorded in `error`, as a NUL-terminated
/// English sentence without the function's name (e.g. "the sides a = 1,
/// b = 1, c = 5 break the triangle inequality: c = 5 is longer than a + b =
/// 2"). An empty string for a fresh object. Returns NULL for a NULL `error`,
/// and for a thread-owned handle whose object was freed.
///
/// Ownership: the string belongs to the error object. Never free it or
/// write to it. It stays valid until the next call that is passed `error`
/// (which may replace it) or ffi_error_free(error), whichever comes first:
/// copy it to keep it longer. Thread-safe for objects no call is writing to.
///
/// # Safety
/// `error` is NULL, a live object from ffi_error_new(), or a handle from
/// ffi_error_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn ffi_error_message(error: *const FfiError) -> *const c_char {
    guard(|| {
        // SAFETY: "`error` is NULL, a live object from ffi_error_new(), or a
        // handle from ffi_error_new_thread_owned()", no call writing to it:
        // `object` gives NULL (`as_ref` gives None) or a live object.
        match unsafe { object(error.cast_mut()).as_ref() } {
            Some(e) => e.message().as_ptr(),
            None => std::ptr::null(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn a_fresh_object_is_ok_and_empty_and_records_failures() {
        let e = ffi_error_new();
        assert!(!e.is_null());
        // SAFETY: `e` is live until the free at the end; messages are read
        // before the next write.
        unsafe {
            assert_eq!(ffi_error_status(e), FfiStatus::Ok);
            assert_eq!(CStr::from_ptr(ffi_error_message(e)).to_bytes(), b"");
            record(e, &Failure::new(FfiStatus::Overflow, "too big"));
            assert_eq!(ffi_error_status(e), FfiStatus::Overflow);
            assert_eq!(CStr::from_ptr(ffi_error_message(e)).to_bytes(), b"too big");
            record(e, &Failure::new(FfiStatus::InvalidArgument, "a\0b"));
            assert_eq!(CStr::from_ptr(ffi_error_message(e)).to_bytes(), b"a\\0b");
            ffi_error_free(e);
            ffi_error_free(std::ptr::null_mut());
            assert_eq!(ffi_error_status(std::ptr::null()), FfiStatus::NullArgument);
            assert!(ffi_error_message(std::ptr::null()).is_null());
            record(std::ptr::null_mut(), &null_argument!("x"));
        }
    }

    #[test]
    fn exports_record_into_a_live_thread_owned_object_and_not_into_a_freed_one() {
        std::thread::spawn(|| {
            let e = ffi_error_new_thread_owned();
            assert!(thread_owned::is_thread_owned(e), "not an address");
            let mut out = 0;
            // SAFETY: `out` is writable; `e` is a thread-owned handle, live
            // for the first call and freed (so ignored) for the second.
            unsafe {
                let status = crate::numbers::add_in_rust_checked(i32::MAX, 1, &mut out, e);
                assert_eq!(status, FfiStatus::Overflow);
                assert_eq!(ffi_error_status(e), FfiStatus::Overflow);
                let why = CStr::from_ptr(ffi_error_message(e)).to_str().unwrap();
                assert!(why.contains("does not fit"), "{why}");
                ffi_error_free(e);
                let status = crate::numbers::add_in_rust_checked(i32::MAX, 1, &mut out, e);
                assert_eq!(status, FfiStatus::Overflow);
                assert_eq!(ffi_error_status(e), FfiStatus::NullArgument);
                assert!(ffi_error_message(e).is_null());
                ffi_error_free(e);
            }
        })
        .join()
        .unwrap();
    }

    #[test]
    fn thread_owned_objects_are_freed_by_their_thread_once() {
        // Other tests create and free objects in parallel: count this
        // thread's own effect through the registry and the exit.
        let (early, late) = std::thread::spawn(|| {
            let early = ffi_error_new_thread_owned();
            let late = ffi_error_new_thread_owned();
            assert_eq!(thread_owned::count::<FfiError>(), 2);
            // SAFETY: live objects of this thread; `early` is freed once, here.
            unsafe {
                record(late, &Failure::new(FfiStatus::Overflow, "kept"));
                ffi_error_free(early);
            }
            assert_eq!(thread_owned::count::<FfiError>(), 1);
            (early as usize, late as usize)
        })
        .join()
        .unwrap();
        assert_ne!(early, late);
        // Freeing another thread's object does nothing (it is not in this
        // thread's registry): an object of a thread that is still running.
        let (send, receive) = std::sync::mpsc::channel();
        let (stop, wait) = std::sync::mpsc::channel::<()>();
        let owner = std::thread::spawn(move || {
            let e = ffi_error_new_thread_owned();
            send.send(e as usize).unwrap();
            wait.recv().unwrap();
            // Still live and still registered after the other thread's free.
            // SAFETY: `e` is live (its thread has not exited).
            assert_eq!(unsafe { ffi_error_status(e) }, FfiStatus::Ok);
            thread_owned::count::<FfiError>()
        });
        let foreign = receive.recv().unwrap() as *mut FfiError;
        // SAFETY: a live object; this free must leave it alone.
        unsafe { ffi_error_free(foreign) };
        stop.send(()).unwrap();
        assert_eq!(owner.join().unwrap(), 1);
    }

    #[test]
    fn quotes_and_cuts_caller_text() {
        assert_eq!(quote("4 2"), "\"4 2\"");
        assert_eq!(quote("a\"\n"), "\"a\\\"\\n\"");
        let long = "1".repeat(100);
        assert_eq!(
            quote(&long),
            format!("\"{}\"... (100 bytes)", "1".repeat(40))
        );
        let crabs = "🦀".repeat(41);
        assert_eq!(
            quote(&crabs),
            format!("\"{}\"... (164 bytes)", "🦀".repeat(40))
        );
    }

    #[test]
    fn utf8_reasons_give_the_offset() {
        let bytes: &[u8] = &[b'a', b'b', 0xff, b'c'];
        let err = std::str::from_utf8(std::hint::black_box(bytes)).unwrap_err();
        assert_eq!(
            utf8_reason("s", bytes, err),
            "s is not valid UTF-8: invalid byte sequence 0xff at byte offset 2"
        );
        let cut: &[u8] = &[b'h', 0xf0, 0x9f];
        let err = std::str::from_utf8(std::hint::black_box(cut)).unwrap_err();
        assert_eq!(
            utf8_reason("text", cut, err),
            "text is not valid UTF-8: incomplete character at byte offset 1 (the input ends after 2 of its bytes)"
        );
    }

    #[test]
    fn numbers_print_as_in_javascript() {
        let shown: Vec<String> = [
            -1.0,
            0.5,
            -0.0,
            3.5,
            1e21,
            123456789012345680000.0,
            1e-7,
            1.5e-8,
            1e308,
            -1e-300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]
        .iter()
        .map(|&x| Num(x).to_string())
        .collect();
        assert_eq!(
            shown,
            [
                "-1",
                "0.5",
                "-0",
                "3.5",
                "1e21",
                "123456789012345680000",
                "0.0000001",
                "1.5e-8",
                "1e308",
                "-1e-300",
                "NaN",
                "Infinity",
                "-Infinity"
            ]
        );
    }

    #[test]
    fn reasons_are_built_only_when_wanted() {
        let built = Cell::new(0);
        let make = || {
            built.set(built.get() + 1);
            "why".to_owned()
        };
        assert!(reasons_wanted(), "outside an export, reasons are wanted");
        let f = wanting(false, || Failure::lazy(FfiStatus::Overflow, make));
        assert_eq!(
            (f.status(), f.reason(), built.get()),
            (FfiStatus::Overflow, "", 0)
        );
        // Nested: each level sees its own answer, and the outer one comes back.
        let (inner, outer) = wanting(false, || {
            let inner = wanting(true, || Failure::lazy(FfiStatus::Overflow, make));
            (inner, Failure::lazy(FfiStatus::Overflow, make))
        });
        assert_eq!(
            (inner.reason(), outer.reason(), built.get()),
            ("why", "", 1)
        );
        // Restored even after a panic.
        let _ = std::panic::catch_unwind(|| wanting(false, || panic!("x")));
        assert!(reasons_wanted());
        // Through an export: a NULL error object formats nothing.
        let null = crate::boundary::guard_status(
            // SAFETY: NULL is a valid `error` argument.
            unsafe { crate::boundary::ErrorOut::from_raw(std::ptr::null_mut()) },
            || {
                assert!(!reasons_wanted());
                Err(fail!(Overflow, "{}", make()))
            },
        );
        assert_eq!((null, built.get()), (FfiStatus::Overflow, 1));
    }

    #[test]
    fn panic_payloads() {
        assert_eq!(panic_reason(&"boom"), "Rust panicked: boom");
        assert_eq!(panic_reason(&String::from("x 1")), "Rust panicked: x 1");
        assert_eq!(
            panic_reason(&42u8),
            "Rust panicked with a non-string payload"
        );
    }
}
