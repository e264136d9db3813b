//! Callbacks: Rust calls back into the caller's code.
//!
//! A C function pointer plus a `void *user_data` is the C idiom for a closure:
//! the pointer is the code, `user_data` its captured state, and Rust passes
//! the state back untouched on every call. The predicate answers with an
//! `int` instead of a `bool` so that it has a third answer, "stop", which is
//! how a caller whose predicate failed (a JS exception, a C error) makes Rust
//! stop calling it at once.

use std::cell::Cell;
use std::ffi::{c_int, c_void};

use crate::boundary::{guard_status, slice_in, write_out, ErrorOut};
use crate::error::{fail, null_argument, Failure, FfiError};
use crate::status::FfiStatus;

/// A predicate's answer for count_where: the value matches.
pub const COUNT_WHERE_MATCH: c_int = 1;
/// A predicate's answer for count_where: the value does not match.
pub const COUNT_WHERE_NO_MATCH: c_int = 0;
/// A predicate's answer for count_where: stop now (any negative value does).
pub const COUNT_WHERE_STOP: c_int = -1;

/// The deepest that count_where() calls may nest on one thread (a predicate
/// that calls count_where(), whose predicate calls it again, and so on): the
/// call that would be one level deeper returns FFI_STATUS_INVALID_ARGUMENT
/// without calling its predicate.
pub const COUNT_WHERE_MAX_DEPTH: u32 = 256;

thread_local! {
    /// How deep count_where() calls are nested on this thread now (0: none
    /// running). `const` and without a destructor: readable until the
    /// thread's very end, and free to reach.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of count_where() nesting on this thread, held for the call:
/// dropping it restores the depth the caller had, on every way out (a
/// return, an error, a panic).
struct Nesting {
    /// The depth before this call.
    outer: u32,
}

impl Nesting {
    /// Enters one level deeper, or refuses (FFI_STATUS_INVALID_ARGUMENT) if
    /// that would be deeper than [`COUNT_WHERE_MAX_DEPTH`].
    #[inline]
    fn enter() -> Result<Nesting, Failure> {
        let outer = DEPTH.get();
        if outer >= COUNT_WHERE_MAX_DEPTH {
            return Err(too_deep(outer));
        }
        DEPTH.set(outer + 1);
        Ok(Nesting { outer })
    }
}

/// The refusal of a call one level deeper than [`COUNT_WHERE_MAX_DEPTH`]
/// (`outer` calls are running). Out of line: the common path only compares.
#[cold]
#[inline(never)]
fn too_deep(outer: u32) -> Failure {
    let depth = u64::from(outer) + 1;
    fail!(
        InvalidArgument,
        "count_where is nested {depth} deep on this thread: at most COUNT_WHERE_MAX_DEPTH ({COUNT_WHERE_MAX_DEPTH})"
    )
}

impl Drop for Nesting {
    fn drop(&mut self) {
        DEPTH.set(self.outer);
    }
}

/// The predicate count_where() calls for each value, with the caller's
/// `user_data` passed through unchanged.
///
/// Returns a positive value (COUNT_WHERE_MATCH) if `value` matches, 0
/// (COUNT_WHERE_NO_MATCH) if it does not, and a negative value (COUNT_WHERE_STOP)
/// to stop counting: count_where() then returns FFI_STATUS_CANCELLED without
/// calling it again.
///
/// It is called synchronously, on the thread that called count_where(), once
/// per value in order, and never after count_where() returns. It must not
/// unwind (throw a C++ exception or longjmp) through Rust.
pub type CountWherePredicate =
    Option<unsafe extern "C" fn(value: u32, user_data: *mut c_void) -> c_int>;

/// What a predicate said about one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Count this value.
    Match,
    /// Skip this value.
    NoMatch,
    /// Stop counting.
    Stop,
}

impl Verdict {
    /// The verdict a C predicate's return value stands for.
    pub fn from_c(answer: c_int) -> Verdict {
        match answer {
            0 => Verdict::NoMatch,
            a if a > 0 => Verdict::Match,
            _ => Verdict::Stop,
        }
    }
}

/// Where a predicate said [`Verdict::Stop`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// The matches counted before the stop.
    pub matches: usize,
    /// The index of the value the predicate stopped at.
    pub index: usize,
    /// That value.
    pub value: u32,
}

/// Counts the values for which `predicate` says [`Verdict::Match`], calling it
/// once per value in order. `Err(stopped)` if it said [`Verdict::Stop`]: the
/// count of matches before the stop and where it stopped; no further calls
/// were made.
pub fn count_matching(
    numbers: &[u32],
    mut predicate: impl FnMut(u32) -> Verdict,
) -> Result<usize, Stopped> {
    let mut count = 0;
    for (index, &n) in numbers.iter().enumerate() {
        match predicate(n) {
            Verdict::Match => count += 1,
            Verdict::NoMatch => {}
            Verdict::Stop => {
                return Err(Stopped {
                    matches: count,
                    index,
                    value: n,
                })
            }
        }
    }
    Ok(count)
}

/// Counts how many of `numbers[0..length]` satisfy `predicate`, calling
/// `predicate(value, user_data)` once per value, in order, on the calling
/// thread, and stores the count in `*out`.
///
/// Returns FFI_STATUS_OK when every value was tested; FFI_STATUS_CANCELLED
/// when the predicate returned a negative value (COUNT_WHERE_STOP): it is not
/// called again and `*out` holds the matches counted before the stop (reason:
/// "the predicate stopped the count at index 2 (value 0) after 2 matches");
/// FFI_STATUS_NULL_ARGUMENT if `predicate` or `out` is NULL, or `numbers` is
/// NULL while `length > 0` (then the predicate is never called and `*out` is
/// unchanged); FFI_STATUS_INVALID_ARGUMENT if `length` is so large that its
/// byte size (`length * sizeof(uint32_t)`) would not fit in a `ptrdiff_t`
/// (no array can be that long: nothing is read, the predicate is never
/// called and `*out` is unchanged); FFI_STATUS_INVALID_ARGUMENT also if the
/// call would nest more than COUNT_WHERE_MAX_DEPTH (256) count_where() calls
/// deep on this thread (a predicate calling count_where() again, directly or
/// through other code): the predicate is never called and `*out` is unchanged
/// (reason: "count_where is nested 257 deep on this thread: at most
/// COUNT_WHERE_MAX_DEPTH (256)"). `numbers` may be NULL when `length` is 0.
///
/// Why a nesting cap: a binding whose callbacks run on a stack of fixed size
/// (koffi runs every synchronous call and its callbacks on its own 2 MiB
/// stack, about 3.9 KB per level) would crash with no error at a depth its
/// language cannot see; the cap bounds that stack for every binding and
/// every copy of a binding loaded in one process, because they all share
/// this one count per thread. C callers get the same bound.
///
/// Ownership: `numbers` and `user_data` are borrowed for the call. Rust never
/// reads or frees `user_data`; it only passes it to the predicate, which is
/// never called after this function returns. `error` is NULL or receives the
/// status and reason of a failure; it is written only after the last call of
/// the predicate, so the predicate may itself use `error` for other calls.
///
/// Thread-safe: count_where()'s only state is the nesting depth of the
/// calling thread. Whether two threads may share a `user_data` is up to the
/// predicate.
///
/// Exceptions: the predicate must not unwind or longjmp through this
/// function. A binding whose language has exceptions catches them inside the
/// predicate, returns COUNT_WHERE_STOP and rethrows after the call returns
/// FFI_STATUS_CANCELLED (the package's countWhere does this). Python's ctypes
/// does not: it prints an exception raised in a callback and returns 0, which
/// reads as COUNT_WHERE_NO_MATCH, so the count silently goes on.
///
/// # Safety
/// `numbers` is NULL or points to `length` readable `uint32_t`s, unchanged
/// during the call; `predicate` is NULL or a function with the
/// CountWherePredicate contract for this `user_data`; `out` is NULL or valid
/// for writing one `size_t`; `error` is NULL or a live FfiError used by no
/// other call at the same time (apart from calls the predicate makes).
#[no_mangle]
pub unsafe extern "C" fn count_where(
    numbers: *const u32,
    length: usize,
    predicate: CountWherePredicate,
    user_data: *mut c_void,
    out: *mut usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: "`error` is NULL or a live FfiError used by no other call at
    // the same time (apart from calls the predicate makes)": ErrorOut keeps
    // the raw pointer, and writes through it only after the predicate's last
    // call has returned.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        let predicate = predicate.ok_or_else(|| null_argument!("predicate"))?;
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: the header requires `numbers` to be NULL or valid for
        // `length` reads, unchanged during the call.
        let numbers = unsafe { slice_in(numbers, length, "numbers", "length") }?;
        // Held until the predicate's last call has returned.
        let _nesting = Nesting::enter()?;
        let result = count_matching(numbers, |value| {
            // SAFETY: the caller promised a predicate that may be called
            // with this `user_data` during the call.
            Verdict::from_c(unsafe { predicate(value, user_data) })
        });
        let (count, status) = match result {
            Ok(count) => (count, Ok(())),
            Err(s) => (
                s.matches,
                Err(fail!(
                    Cancelled,
                    "the predicate stopped the count at index {} (value {}) after {} {}",
                    s.index,
                    s.value,
                    s.matches,
                    if s.matches == 1 { "match" } else { "matches" }
                )),
            ),
        };
        // SAFETY: non-NULL (checked above) and valid for one write.
        unsafe { write_out(out, count, "out") }?;
        status
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts values divisible by `*user_data` (a u32), stopping at 0.
    unsafe extern "C" fn divisible_by(value: u32, user_data: *mut c_void) -> c_int {
        // SAFETY: every test below passes a pointer to a live u32.
        let d = unsafe { *user_data.cast::<u32>() };
        if value == 0 {
            COUNT_WHERE_STOP
        } else if value.is_multiple_of(d) {
            COUNT_WHERE_MATCH
        } else {
            COUNT_WHERE_NO_MATCH
        }
    }

    /// Counts its calls in `*user_data` (a usize); matches everything.
    unsafe extern "C" fn count_calls(_value: u32, user_data: *mut c_void) -> c_int {
        // SAFETY: the test passes a pointer to a live usize, used by no one
        // else during the call.
        unsafe { *user_data.cast::<usize>() += 1 };
        7 // any positive value is a match
    }

    #[test]
    fn counts_with_state() {
        let numbers = [1u32, 2, 3, 4, 5, 6, 9];
        let mut divisor = 3u32;
        let mut out = 99usize;
        // SAFETY: valid pointers for the call.
        let status = unsafe {
            count_where(
                numbers.as_ptr(),
                numbers.len(),
                Some(divisible_by),
                (&mut divisor as *mut u32).cast(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, FfiStatus::Ok);
        assert_eq!(out, 3);
    }

    #[test]
    fn stops_at_once_and_reports_the_partial_count() {
        let numbers = [3u32, 6, 0, 9, 12];
        let mut divisor = 3u32;
        let mut out = 99usize;
        let e = crate::error::ffi_error_new();
        // SAFETY: valid pointers for the call.
        let status = unsafe {
            count_where(
                numbers.as_ptr(),
                numbers.len(),
                Some(divisible_by),
                (&mut divisor as *mut u32).cast(),
                &mut out,
                e,
            )
        };
        assert_eq!(status, FfiStatus::Cancelled);
        assert_eq!(out, 2);
        assert_eq!(
            crate::testing_support::message(e),
            "the predicate stopped the count at index 2 (value 0) after 2 matches"
        );
        let one = [3u32, 0];
        // SAFETY: valid pointers for the call.
        let status = unsafe {
            count_where(
                one.as_ptr(),
                2,
                Some(divisible_by),
                (&mut divisor as *mut u32).cast(),
                &mut out,
                e,
            )
        };
        assert_eq!(status, FfiStatus::Cancelled);
        assert_eq!(
            crate::testing_support::message(e),
            "the predicate stopped the count at index 1 (value 0) after 1 match"
        );
        // SAFETY: `e` came from ffi_error_new and is freed once.
        unsafe { crate::error::ffi_error_free(e) };

        let mut calls = 0usize;
        let r = count_matching(&[1, 2, 3, 4], |v| {
            calls += 1;
            if v == 2 {
                Verdict::Stop
            } else {
                Verdict::Match
            }
        });
        assert_eq!(
            r,
            Err(Stopped {
                matches: 1,
                index: 1,
                value: 2
            })
        );
        assert_eq!(calls, 2);
    }

    #[test]
    fn null_arguments() {
        let numbers = [1u32, 2];
        let mut calls = 0usize;
        let data: *mut c_void = (&mut calls as *mut usize).cast();
        let mut out = 99usize;
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        // SAFETY: every non-NULL pointer is valid; NULLs are checked first.
        unsafe {
            assert_eq!(
                count_where(numbers.as_ptr(), 2, None, data, &mut out, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "predicate is NULL");
            assert_eq!(
                count_where(
                    numbers.as_ptr(),
                    2,
                    Some(count_calls),
                    data,
                    std::ptr::null_mut(),
                    e
                ),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "out is NULL");
            assert_eq!(
                count_where(std::ptr::null(), 2, Some(count_calls), data, &mut out, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "numbers is NULL but length is 2");
            assert_eq!(
                count_where(
                    numbers.as_ptr(),
                    usize::MAX,
                    Some(count_calls),
                    data,
                    &mut out,
                    e
                ),
                FfiStatus::InvalidArgument
            );
            assert!(reason().starts_with(&format!("length is {}, more elements", usize::MAX)));
            assert_eq!(out, 99);
            assert_eq!(calls, 0);
            assert_eq!(
                count_where(
                    std::ptr::null(),
                    0,
                    Some(count_calls),
                    data,
                    &mut out,
                    std::ptr::null_mut()
                ),
                FfiStatus::Ok
            );
            assert_eq!(out, 0);
            assert_eq!(
                count_where(numbers.as_ptr(), 2, Some(count_calls), data, &mut out, e),
                FfiStatus::Ok
            );
            assert_eq!(out, 2);
            assert_eq!(calls, 2);
            crate::error::ffi_error_free(e);
        }
    }

    /// Uses the error object it is given (as `user_data`) for a failing
    /// nested call on every value, and matches everything; stops at 0.
    unsafe extern "C" fn nested_failure(value: u32, user_data: *mut c_void) -> c_int {
        let e = user_data.cast::<FfiError>();
        let mut n = 0i32;
        // SAFETY: `e` is the live error object the test also gave
        // count_where, which the header lets the predicate use.
        let st = unsafe { crate::numbers::add_in_rust_checked(i32::MAX, 1, &mut n, e) };
        assert_eq!(st, FfiStatus::Overflow);
        if value == 0 {
            COUNT_WHERE_STOP
        } else {
            COUNT_WHERE_MATCH
        }
    }

    #[test]
    fn the_predicate_may_use_the_same_error_object() {
        let e = crate::error::ffi_error_new();
        let mut out = 0usize;
        let numbers = [1u32, 2, 3];
        // SAFETY: valid pointers; the predicate uses `e` only between calls
        // of count_where's own writes, as the header allows.
        let st = unsafe {
            count_where(
                numbers.as_ptr(),
                3,
                Some(nested_failure),
                e.cast(),
                &mut out,
                e,
            )
        };
        assert_eq!((st, out), (FfiStatus::Ok, 3));
        // Success leaves the object as the last nested call left it.
        assert_eq!(
            crate::testing_support::message(e),
            "2147483647 + 1 = 2147483648 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)"
        );
        let stop = [5u32, 0, 7];
        // SAFETY: as above.
        let st = unsafe {
            count_where(
                stop.as_ptr(),
                3,
                Some(nested_failure),
                e.cast(),
                &mut out,
                e,
            )
        };
        assert_eq!((st, out), (FfiStatus::Cancelled, 1));
        assert_eq!(
            crate::testing_support::message(e),
            "the predicate stopped the count at index 1 (value 0) after 1 match"
        );
        // SAFETY: `e` came from ffi_error_new and is freed once.
        unsafe { crate::error::ffi_error_free(e) };
    }

    /// A nest of count_where() calls, one level per predicate call.
    struct Dive {
        /// How deep to go (the level whose predicate stops nesting).
        target: u32,
        /// The level the predicate now runs at.
        level: u32,
        /// The deepest level whose predicate ran.
        deepest: u32,
        /// The refused call's status, reason and `*out`, if one was refused.
        refused: Option<(FfiStatus, String, usize)>,
        /// Stop the count (COUNT_WHERE_STOP) instead of matching at `target`.
        stop_at_target: bool,
        /// The depth the predicate saw at each level (the thread's own count).
        depths: Vec<u32>,
    }

    /// Calls count_where() again from the predicate until `target`, keeping
    /// the first refusal.
    unsafe extern "C" fn dive(_value: u32, user_data: *mut c_void) -> c_int {
        // SAFETY: the tests pass a live Dive, used by nothing else during
        // the call.
        let d = unsafe { &mut *user_data.cast::<Dive>() };
        d.level += 1;
        d.deepest = d.deepest.max(d.level);
        d.depths.push(DEPTH.get());
        if d.level >= d.target {
            d.level -= 1;
            return if d.stop_at_target {
                COUNT_WHERE_STOP
            } else {
                COUNT_WHERE_MATCH
            };
        }
        let e = crate::error::ffi_error_new();
        let mut out = 99usize;
        // SAFETY: valid pointers; `d` is passed on to the nested predicate.
        let st = unsafe { count_where([1u32].as_ptr(), 1, Some(dive), user_data, &mut out, e) };
        // SAFETY: `d` is ours again: the nested call has returned.
        let d = unsafe { &mut *user_data.cast::<Dive>() };
        if st == FfiStatus::InvalidArgument && d.refused.is_none() {
            d.refused = Some((st, crate::testing_support::message(e), out));
        }
        // SAFETY: `e` came from ffi_error_new and is freed once.
        unsafe { crate::error::ffi_error_free(e) };
        d.level -= 1;
        COUNT_WHERE_MATCH
    }

    /// Runs one nest `target` levels deep and returns it with the outermost
    /// call's status.
    fn run_dive(target: u32, stop_at_target: bool) -> (FfiStatus, Dive) {
        let mut d = Dive {
            target,
            level: 0,
            deepest: 0,
            refused: None,
            stop_at_target,
            depths: Vec::new(),
        };
        let mut out = 0usize;
        // SAFETY: valid pointers; `d` outlives the call.
        let st = unsafe {
            count_where(
                [1u32].as_ptr(),
                1,
                Some(dive),
                (&mut d as *mut Dive).cast(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        (st, d)
    }

    #[test]
    fn nests_up_to_the_cap_and_refuses_one_level_deeper() {
        let max = COUNT_WHERE_MAX_DEPTH;
        let (st, d) = run_dive(max, false);
        assert_eq!((st, d.deepest, d.refused), (FfiStatus::Ok, max, None));
        assert_eq!(d.depths, (1..=max).collect::<Vec<_>>());
        assert_eq!(DEPTH.get(), 0);

        let (st, d) = run_dive(max + 10, false);
        assert_eq!((st, d.deepest), (FfiStatus::Ok, max));
        assert_eq!(
            d.refused,
            Some((
                FfiStatus::InvalidArgument,
                "count_where is nested 257 deep on this thread: at most COUNT_WHERE_MAX_DEPTH (256)"
                    .to_owned(),
                99 // unchanged
            ))
        );
        // Restored after a refusal, and after a stop: a full nest works again.
        assert_eq!(DEPTH.get(), 0);
        let (st, d) = run_dive(max, true);
        assert_eq!((st, d.deepest), (FfiStatus::Ok, max)); // the stop is the innermost's
        assert_eq!(DEPTH.get(), 0);
        let (st, d) = run_dive(1, true);
        assert_eq!((st, d.deepest), (FfiStatus::Cancelled, 1));
        assert_eq!(DEPTH.get(), 0);
        assert_eq!(run_dive(max, false).1.refused, None);
    }

    #[test]
    fn the_depth_is_per_thread() {
        let (st, d) = std::thread::spawn(|| run_dive(COUNT_WHERE_MAX_DEPTH + 1, false))
            .join()
            .unwrap();
        assert_eq!((st, d.deepest), (FfiStatus::Ok, COUNT_WHERE_MAX_DEPTH));
        // This thread's count is untouched by the other's.
        assert_eq!(DEPTH.get(), 0);
    }

    #[test]
    fn a_panic_or_an_early_return_restores_the_depth() {
        let outer = Nesting::enter().unwrap();
        let r = std::panic::catch_unwind(|| {
            let _inner = Nesting::enter().unwrap();
            assert_eq!(DEPTH.get(), 2);
            panic!("deliberate");
        });
        assert!(r.is_err());
        assert_eq!(DEPTH.get(), 1);
        drop(outer);
        assert_eq!(DEPTH.get(), 0);
        // A refusal for a NULL argument comes before the depth is touched;
        // one at the cap leaves the depth as it was.
        let mut out = 0usize;
        // SAFETY: a NULL predicate is refused before anything is read.
        let st = unsafe {
            count_where(
                [1u32].as_ptr(),
                1,
                None,
                std::ptr::null_mut(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!((st, DEPTH.get()), (FfiStatus::NullArgument, 0));
        DEPTH.set(COUNT_WHERE_MAX_DEPTH);
        // SAFETY: valid pointers; the predicate is refused before any call.
        let st = unsafe {
            count_where(
                [1u32].as_ptr(),
                1,
                Some(count_calls),
                std::ptr::null_mut(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(
            (st, DEPTH.get()),
            (FfiStatus::InvalidArgument, COUNT_WHERE_MAX_DEPTH)
        );
        DEPTH.set(0);
    }

    #[test]
    fn verdicts() {
        assert_eq!(Verdict::from_c(COUNT_WHERE_MATCH), Verdict::Match);
        assert_eq!(Verdict::from_c(42), Verdict::Match);
        assert_eq!(Verdict::from_c(COUNT_WHERE_NO_MATCH), Verdict::NoMatch);
        assert_eq!(Verdict::from_c(COUNT_WHERE_STOP), Verdict::Stop);
        assert_eq!(Verdict::from_c(c_int::MIN), Verdict::Stop);
    }
}
