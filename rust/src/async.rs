//! Async: many slices calls in one native call.
//!
//! A caller that keeps many calls in flight (JavaScript's `sumOfEvenAsync`
//! and `primesUpToAsync`) pays a fixed price per trip to a worker thread
//! (koffi's `.async` costs several microseconds per call, more than summing a
//! thousand numbers). This module lets it describe a whole queue of calls as
//! a table of [`AsyncJob`]s over one caller-owned `uint32_t` arena, and run
//! the table with one call to [`async_jobs_run`], on whatever thread it likes.
//!
//! Everything belongs to the caller: inputs are read from the arena, outputs
//! are written into it, results go into the table. Nothing is allocated that
//! outlives the call, so a caller that disappears after the call (a Node.js
//! worker thread terminated while the call ran) leaves nothing to free.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::boundary::{guard, guard_status, slice_in_mut, ErrorOut};
use crate::error::{fail, panic_reason, Failure, FfiError};
use crate::slices::{primes_capacity, primes_into, sum_even, PRIMES_UP_TO_MAX_LIMIT};
use crate::status::FfiStatus;

/// AsyncJob.kind: sum the even values of `arena[input_offset ..
/// input_offset + input_len]`, as sum_of_even() does; `result` is the sum.
pub const ASYNC_JOB_SUM_OF_EVEN: u32 = 1;

/// AsyncJob.kind: write the primes `<= limit` to `arena[output_offset
/// ..]`, as primes_up_to() computes them; `result` is how many were written.
/// `output_capacity` must be at least async_job_primes_capacity(limit).
pub const ASYNC_JOB_PRIMES_UP_TO: u32 = 2;

/// One call for async_jobs_run(): what to compute, where its input and
/// output lie in the arena (as indexes of `uint32_t`s), and, once run, its
/// status and result.
///
/// Fill `kind` and the fields that kind uses (the others are ignored); the
/// run writes `status` and `result`. Every field is a fixed-width integer, so
/// the layout is the same on every 64-bit target (56 bytes, 8-byte aligned)
/// and any bit pattern is a valid value.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AsyncJob {
    /// ASYNC_JOB_SUM_OF_EVEN or ASYNC_JOB_PRIMES_UP_TO; any other value makes
    /// the job fail with FFI_STATUS_INVALID_ARGUMENT.
    pub kind: u32,
    /// Written by the run: an FfiStatus value, FFI_STATUS_OK if the job
    /// succeeded.
    pub status: i32,
    /// ASYNC_JOB_PRIMES_UP_TO: the limit, at most PRIMES_UP_TO_MAX_LIMIT.
    pub limit: u32,
    /// Unused; keeps the 64-bit fields aligned. Set it to 0.
    pub reserved: u32,
    /// ASYNC_JOB_SUM_OF_EVEN: the index of the first value in the arena.
    pub input_offset: u64,
    /// ASYNC_JOB_SUM_OF_EVEN: the number of values.
    pub input_len: u64,
    /// ASYNC_JOB_PRIMES_UP_TO: the index in the arena where the primes go.
    pub output_offset: u64,
    /// ASYNC_JOB_PRIMES_UP_TO: the room at `output_offset`, in `uint32_t`s.
    pub output_capacity: u64,
    /// Written by the run: the sum (ASYNC_JOB_SUM_OF_EVEN, modulo 2^64) or
    /// the number of primes written (ASYNC_JOB_PRIMES_UP_TO); 0 on failure.
    pub result: u64,
}

/// `arena[offset .. offset + len]` as a range, if it lies inside an arena of
/// `arena_len` values.
fn range(offset: u64, len: u64, arena_len: usize) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    (end <= arena_len).then_some(start..end)
}

/// The reason for a range that does not lie inside the arena.
fn outside(what: &str, offset: u64, len: u64, arena_len: usize) -> Failure {
    fail!(
        InvalidArgument,
        "{what} {offset} + {len} values lie outside the arena of {arena_len} values"
    )
}

/// Runs one job against the arena; returns its result or the reason it failed.
fn run_job(job: &AsyncJob, arena: &mut [u32]) -> Result<u64, Failure> {
    match job.kind {
        ASYNC_JOB_SUM_OF_EVEN => {
            let r = range(job.input_offset, job.input_len, arena.len())
                .ok_or_else(|| outside("input", job.input_offset, job.input_len, arena.len()))?;
            Ok(sum_even(&arena[r]))
        }
        ASYNC_JOB_PRIMES_UP_TO => {
            if job.limit > PRIMES_UP_TO_MAX_LIMIT {
                return Err(fail!(
                    InvalidArgument,
                    "limit {} is above PRIMES_UP_TO_MAX_LIMIT ({PRIMES_UP_TO_MAX_LIMIT})",
                    job.limit
                ));
            }
            let r =
                range(job.output_offset, job.output_capacity, arena.len()).ok_or_else(|| {
                    outside(
                        "output",
                        job.output_offset,
                        job.output_capacity,
                        arena.len(),
                    )
                })?;
            let count = primes_into(job.limit, &mut arena[r]).ok_or_else(|| {
                fail!(
                    BufferTooSmall,
                    "output_capacity {} is below async_job_primes_capacity({}) = {}",
                    job.output_capacity,
                    job.limit,
                    primes_capacity(job.limit)
                )
            })?;
            Ok(count as u64)
        }
        kind => Err(fail!(
            InvalidArgument,
            "unknown kind {kind}: expected ASYNC_JOB_SUM_OF_EVEN (1) or ASYNC_JOB_PRIMES_UP_TO (2)"
        )),
    }
}

/// Runs every job of `jobs`, in order, against `arena`, writing each job's
/// `status` and `result`. A job that fails (or panics) fails alone: the others
/// still run. Returns the first job that failed, as "job 2: <its reason>"
/// (with the number of other failed jobs, if any), or `Ok(())`.
pub fn run_jobs(jobs: &mut [AsyncJob], arena: &mut [u32]) -> Result<(), Failure> {
    let mut first_failure: Option<(usize, Failure)> = None;
    let mut failed = 0usize;
    for (index, job) in jobs.iter_mut().enumerate() {
        // A panic inside one job (an internal bug) becomes that job's status.
        let outcome =
            catch_unwind(AssertUnwindSafe(|| run_job(job, arena))).unwrap_or_else(|payload| {
                Err(Failure::lazy(FfiStatus::Panic, || panic_reason(&*payload)))
            });
        match outcome {
            Ok(result) => {
                job.status = FfiStatus::Ok as i32;
                job.result = result;
            }
            Err(failure) => {
                job.status = failure.status() as i32;
                job.result = 0;
                failed += 1;
                first_failure.get_or_insert((index, failure));
            }
        }
    }
    match first_failure {
        None => Ok(()),
        Some((index, failure)) => {
            let others = match failed - 1 {
                0 => String::new(),
                1 => " (1 other job failed too)".to_owned(),
                n => format!(" ({n} other jobs failed too)"),
            };
            Err(Failure::lazy(failure.status(), || {
                format!("job {index}: {}{others}", failure.reason())
            }))
        }
    }
}

/// Runs the `count` jobs at `jobs`, in table order, against the `arena_len`
/// `uint32_t`s at `arena`: each job reads its input from the arena or writes
/// its output into it, then gets its `status` and `result` written.
///
/// Returns FFI_STATUS_OK if every job succeeded. Otherwise returns the status
/// of the first job that failed, and every job's own `status` says which
/// failed: FFI_STATUS_INVALID_ARGUMENT for an unknown `kind`, a range outside
/// the arena, or a `limit` above PRIMES_UP_TO_MAX_LIMIT;
/// FFI_STATUS_BUFFER_TOO_SMALL for an `output_capacity` below
/// async_job_primes_capacity(limit) (nothing is written then); FFI_STATUS_PANIC
/// if the job panicked. A failed job does not stop the others. Returns
/// FFI_STATUS_NULL_ARGUMENT (and runs nothing) if `jobs` is NULL while
/// `count > 0`, or `arena` is NULL while `arena_len > 0`;
/// FFI_STATUS_INVALID_ARGUMENT (and runs nothing) if `count` or `arena_len`
/// is larger than any array can be; FFI_STATUS_PANIC on an internal panic
/// outside a job.
///
/// `error` is NULL or receives the status and reason of the first job that
/// failed, prefixed with its index ("job 0: output_capacity 16 is below
/// async_job_primes_capacity(100) = 28"), or of the call itself.
///
/// Jobs run one after the other on the calling thread, so a job that reads a
/// range an earlier job wrote sees the written values. Ranges are checked
/// against `arena_len`; ranges of different jobs may overlap.
///
/// Ownership: `jobs` and `arena` are borrowed for the call only. Nothing is
/// allocated that outlives the call (besides the reason in `error`, which
/// the error object owns): there is nothing to free afterwards.
///
/// Thread-safe: meant to run on a worker thread while the caller does other
/// work. Several calls may run at once with different tables and arenas;
/// nobody may touch a table or arena while a call uses it (a data race).
///
/// # Safety
/// `jobs` is NULL or points to `count` `AsyncJob`s, and `arena` is NULL or
/// points to `arena_len` `uint32_t`s; both writable, aligned, and used by
/// nothing else during the call. `error` is NULL or a live FfiError used by
/// no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn async_jobs_run(
    jobs: *mut AsyncJob,
    count: usize,
    arena: *mut u32,
    arena_len: usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        // SAFETY: the header requires `jobs` to be NULL or valid for `count`
        // jobs, exclusively ours during the call.
        let jobs = unsafe { slice_in_mut(jobs, count, "jobs", "count") }?;
        // SAFETY: likewise for `arena` and `arena_len` values.
        let arena = unsafe { slice_in_mut(arena, arena_len, "arena", "arena_len") }?;
        run_jobs(jobs, arena)
    })
}

/// The `output_capacity` an ASYNC_JOB_PRIMES_UP_TO job needs for `limit`: an
/// upper bound on the number of primes `<= limit` (1,363 for 10,000, which
/// has 1,229). 0 for `limit < 2`; 0 as well for a `limit` above
/// PRIMES_UP_TO_MAX_LIMIT, which such a job refuses anyway.
///
/// No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe.
#[no_mangle]
pub extern "C" fn async_job_primes_capacity(limit: u32) -> usize {
    guard(|| {
        if limit > PRIMES_UP_TO_MAX_LIMIT {
            0
        } else {
            primes_capacity(limit)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slices::primes;

    fn sum_job(offset: u64, len: u64) -> AsyncJob {
        AsyncJob {
            kind: ASYNC_JOB_SUM_OF_EVEN,
            input_offset: offset,
            input_len: len,
            ..AsyncJob::default()
        }
    }

    fn primes_job(limit: u32, offset: u64, capacity: u64) -> AsyncJob {
        AsyncJob {
            kind: ASYNC_JOB_PRIMES_UP_TO,
            limit,
            output_offset: offset,
            output_capacity: capacity,
            ..AsyncJob::default()
        }
    }

    #[test]
    fn runs_a_mixed_table() {
        let cap = async_job_primes_capacity(100) as u64;
        let mut arena = vec![0u32; 10 + cap as usize];
        arena[..6].copy_from_slice(&[1, 2, 3, 4, 5, 6]);
        let mut jobs = [
            sum_job(0, 6),
            primes_job(100, 10, cap),
            sum_job(1, 1),
            sum_job(0, 0),
        ];
        assert_eq!(run_jobs(&mut jobs, &mut arena), Ok(()));
        assert_eq!(
            jobs.map(|j| (j.status, j.result)),
            [(0, 12), (0, 25), (0, 2), (0, 0)]
        );
        assert_eq!(&arena[10..35], &primes(100)[..]);
    }

    #[test]
    fn a_failed_job_fails_alone() {
        let mut arena = vec![2u32; 16];
        let mut jobs = [
            sum_job(10, 7), // past the end
            AsyncJob {
                kind: 9,
                ..AsyncJob::default()
            }, // unknown kind
            primes_job(100, 0, 16), // too small: 28 needed
            primes_job(PRIMES_UP_TO_MAX_LIMIT + 1, 0, 16),
            sum_job(u64::MAX, 2), // offset + len overflows
            sum_job(0, 16),
        ];
        let failure = run_jobs(&mut jobs, &mut arena).unwrap_err();
        assert_eq!(failure.status(), FfiStatus::InvalidArgument);
        assert_eq!(
            failure.reason(),
            "job 0: input 10 + 7 values lie outside the arena of 16 values (4 other jobs failed too)"
        );
        // Each job's own reason.
        let reason = |job: AsyncJob| {
            run_jobs(&mut [job], &mut [0u32; 16])
                .unwrap_err()
                .reason()
                .to_owned()
        };
        assert_eq!(
            reason(AsyncJob {
                kind: 9,
                ..AsyncJob::default()
            }),
            "job 0: unknown kind 9: expected ASYNC_JOB_SUM_OF_EVEN (1) or ASYNC_JOB_PRIMES_UP_TO (2)"
        );
        assert_eq!(
            reason(primes_job(100, 0, 16)),
            "job 0: output_capacity 16 is below async_job_primes_capacity(100) = 28"
        );
        assert_eq!(
            reason(primes_job(PRIMES_UP_TO_MAX_LIMIT + 1, 0, 16)),
            "job 0: limit 1073741825 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)"
        );
        assert_eq!(
            reason(primes_job(10, 12, 8)),
            "job 0: output 12 + 8 values lie outside the arena of 16 values"
        );
        let statuses = jobs.map(|j| j.status);
        use FfiStatus::*;
        assert_eq!(
            statuses,
            [
                InvalidArgument,
                InvalidArgument,
                BufferTooSmall,
                InvalidArgument,
                InvalidArgument,
                Ok
            ]
            .map(|s| s as i32)
        );
        assert_eq!(jobs[5].result, 32);
        assert!(
            arena.iter().all(|&v| v == 2),
            "a refused primes job writes nothing"
        );
    }

    #[test]
    fn the_export_checks_null_and_capacity() {
        // SAFETY: NULL with zero counts is the empty table and arena; NULL
        // with a count is refused before any access.
        let e = crate::error::ffi_error_new();
        let null = std::ptr::null_mut();
        unsafe {
            assert_eq!(
                async_jobs_run(std::ptr::null_mut(), 0, std::ptr::null_mut(), 0, e),
                FfiStatus::Ok
            );
            assert_eq!(
                async_jobs_run(std::ptr::null_mut(), 1, std::ptr::null_mut(), 0, e),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(e),
                "jobs is NULL but count is 1"
            );
            let mut job = sum_job(0, 0);
            assert_eq!(
                async_jobs_run(&mut job, 1, std::ptr::null_mut(), 3, e),
                FfiStatus::NullArgument
            );
            assert_eq!(
                crate::testing_support::message(e),
                "arena is NULL but arena_len is 3"
            );
            assert_eq!(
                async_jobs_run(&mut job, 1, std::ptr::null_mut(), 0, null),
                FfiStatus::Ok
            );
            let mut bad = primes_job(100, 0, 2);
            let mut arena = [0u32; 2];
            assert_eq!(
                async_jobs_run(&mut bad, 1, arena.as_mut_ptr(), 2, e),
                FfiStatus::BufferTooSmall
            );
            assert_eq!(
                crate::testing_support::message(e),
                "job 0: output_capacity 2 is below async_job_primes_capacity(100) = 28"
            );
            crate::error::ffi_error_free(e);
        }
        assert_eq!(async_job_primes_capacity(0), 0);
        assert_eq!(async_job_primes_capacity(1), 0);
        assert_eq!(async_job_primes_capacity(2), 8);
        assert_eq!(async_job_primes_capacity(10_000), 1363);
        assert_eq!(async_job_primes_capacity(PRIMES_UP_TO_MAX_LIMIT + 1), 0);
        for limit in [2, 3, 16, 17, 100, 10_000, 1 << 20] {
            assert!(
                async_job_primes_capacity(limit) >= primes(limit).len(),
                "{limit}"
            );
        }
    }
}
