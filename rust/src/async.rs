//! Async: many slices calls in one native call.
//!
//! A caller that keeps many calls in flight (JavaScript's `sumOfEvenAsync`
//! and `primesUpToAsync`) pays a fixed price per trip to a worker thread
//! (koffi's `.async` costs several microseconds per call, more than summing a
//! thousand numbers). This module lets it describe a whole queue of calls as
//! a table of [`AsyncJob`]s over one `uint32_t` arena, and run the table in
//! one native call, on whatever thread it likes.
//!
//! Two ways to own the memory:
//!
//! - [`async_jobs_run`]: the table and the arena are the caller's, borrowed
//!   for the call. Nothing is allocated; the caller must keep the memory
//!   alive until the call returns.
//! - An [`AsyncBatch`] ([`async_batch_new`]): the library allocates the table
//!   and the arena, the caller fills them in place, and a run
//!   ([`async_batch_start`] + [`async_batch_run`] on a thread of the
//!   caller's choosing, or [`async_batch_run_in_background`] on the library's
//!   own threads) holds the memory as long as it needs it. The caller's
//!   handle is thread-owned: whichever ends last (the run, the handle, or
//!   the creating thread) frees the memory. So a Node.js worker that a
//!   runtime tears down while a run is in progress (Deno and Bun do not wait
//!   for native calls) leaves the run writing into live memory, freed when
//!   it ends.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::mem::size_of;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{addr_of, addr_of_mut, NonNull};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::boundary::{guard, guard_status, ErrorOut};
use crate::error::{fail, panic_reason, wanting, Failure, FfiError};
use crate::slices::{primes_capacity, primes_into, sum_even, PRIMES_UP_TO_MAX_LIMIT};
use crate::status::FfiStatus;
use crate::thread_owned;

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

/// Runs the job at `job` against the arena; returns its result or the reason
/// it failed. Reads only `kind` and the fields that kind uses, one by one
/// (the others may be uninitialised), and writes only a primes job's output
/// range, through raw pointers: no reference to the whole job, table or arena
/// is ever made.
///
/// # Safety
/// `job` is valid for reads of one `AsyncJob` whose `kind`, and the fields
/// that kind uses, are initialised. `arena` is non-NULL, aligned and valid
/// for reads and writes of `arena_len` values (dangling if `arena_len` is 0),
/// initialised wherever a sum job reads it (everywhere if `initialised`),
/// and disjoint from `job`; nothing else accesses either during the call.
unsafe fn run_job(
    job: *const AsyncJob,
    arena: *mut u32,
    arena_len: usize,
    initialised: bool,
) -> Result<u64, Failure> {
    // SAFETY (every read of a field below): `job` is valid for reads and the
    // field read is one the caller initialised (its kind uses it).
    let kind = unsafe { addr_of!((*job).kind).read() };
    match kind {
        ASYNC_JOB_SUM_OF_EVEN => {
            let (offset, len) = unsafe {
                (
                    addr_of!((*job).input_offset).read(),
                    addr_of!((*job).input_len).read(),
                )
            };
            let r = range(offset, len, arena_len)
                .ok_or_else(|| outside("input", offset, len, arena_len))?;
            // SAFETY: `r` lies inside the arena (checked just above), which
            // the header requires initialised over a sum job's input range;
            // nothing writes the arena while this borrow lives (jobs run one
            // at a time, and the table is disjoint from the arena).
            let input = unsafe { std::slice::from_raw_parts(arena.add(r.start), r.len()) };
            Ok(sum_even(input))
        }
        ASYNC_JOB_PRIMES_UP_TO => {
            let (limit, offset, capacity) = unsafe {
                (
                    addr_of!((*job).limit).read(),
                    addr_of!((*job).output_offset).read(),
                    addr_of!((*job).output_capacity).read(),
                )
            };
            if limit > PRIMES_UP_TO_MAX_LIMIT {
                return Err(fail!(
                    InvalidArgument,
                    "limit {limit} is above PRIMES_UP_TO_MAX_LIMIT ({PRIMES_UP_TO_MAX_LIMIT})"
                ));
            }
            let r = range(offset, capacity, arena_len)
                .ok_or_else(|| outside("output", offset, capacity, arena_len))?;
            let needed = primes_capacity(limit);
            if r.len() < needed {
                return Err(fail!(
                    BufferTooSmall,
                    "output_capacity {capacity} is below async_job_primes_capacity({limit}) = {needed}"
                ));
            }
            // SAFETY: `needed` values from `r.start` lie inside the arena
            // (checked above). The header asks only for writable memory
            // there, so unless the whole arena is known initialised (a
            // batch's, zeroed at allocation) the values are first written
            // through the raw pointer (zeroed), and only then borrowed as
            // initialised `u32`s; nothing else accesses them meanwhile (as
            // for the sum above).
            let out = unsafe {
                let start = arena.add(r.start);
                if !initialised {
                    std::ptr::write_bytes(start, 0, needed);
                }
                std::slice::from_raw_parts_mut(start, needed)
            };
            // `needed` values are exactly what primes_into asks for: it cannot refuse.
            let count = primes_into(limit, out).unwrap_or(0);
            Ok(count as u64)
        }
        kind => Err(fail!(
            InvalidArgument,
            "unknown kind {kind}: expected ASYNC_JOB_SUM_OF_EVEN (1) or ASYNC_JOB_PRIMES_UP_TO (2)"
        )),
    }
}

/// Runs the `count` jobs at `jobs`, in order, against the arena, writing each
/// job's `status` and `result` (raw writes of those two fields only). A job
/// that fails (or panics) fails alone: the others still run. Returns the
/// first job that failed, as "job 2: <its reason>" (with the number of other
/// failed jobs, if any), or `Ok(())`.
///
/// # Safety
/// `jobs` is valid for reads and writes of `count` jobs (dangling if 0),
/// each initialised as [`run_job`] requires; the arena as [`run_job`]
/// requires (with `initialised` passed on), and disjoint from the table.
unsafe fn run_jobs_raw(
    jobs: *mut AsyncJob,
    count: usize,
    arena: *mut u32,
    arena_len: usize,
    initialised: bool,
) -> Result<(), Failure> {
    let mut first_failure: Option<(usize, Failure)> = None;
    let mut failed = 0usize;
    for index in 0..count {
        // SAFETY: `index < count`, inside the table the caller vouched for.
        let job = unsafe { jobs.add(index) };
        // A panic inside one job (an internal bug) becomes that job's status.
        // SAFETY: the caller's promises, passed on for this one job.
        let outcome = catch_unwind(AssertUnwindSafe(|| unsafe {
            run_job(job, arena, arena_len, initialised)
        }))
        .unwrap_or_else(|payload| Err(Failure::lazy(FfiStatus::Panic, || panic_reason(&*payload))));
        let (status, result) = match outcome {
            Ok(result) => (FfiStatus::Ok, result),
            Err(failure) => {
                failed += 1;
                let status = failure.status();
                first_failure.get_or_insert((index, failure));
                (status, 0)
            }
        };
        // SAFETY: the job is valid for writes (the caller's promise); only
        // these two fields are written, without reading them first.
        unsafe {
            addr_of_mut!((*job).status).write(status as i32);
            addr_of_mut!((*job).result).write(result);
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

/// Runs every job of `jobs`, in order, against `arena`, writing each job's
/// `status` and `result` (see [`async_jobs_run`]).
pub fn run_jobs(jobs: &mut [AsyncJob], arena: &mut [u32]) -> Result<(), Failure> {
    // SAFETY: two distinct `&mut` slices: valid, initialised, disjoint and
    // ours for the call.
    unsafe {
        run_jobs_raw(
            jobs.as_mut_ptr(),
            jobs.len(),
            arena.as_mut_ptr(),
            arena.len(),
            true,
        )
    }
}

/// Checks a caller's (pointer, length) pair for `size`-byte elements: NULL
/// only with a length of 0, and a byte size that fits in `isize`. Returns the
/// pointer to use (dangling for an empty NULL one) and the byte size.
fn checked_region<T>(
    ptr: *mut T,
    len: usize,
    name: &str,
    len_name: &str,
) -> Result<(*mut T, usize), Failure> {
    let size = std::mem::size_of::<T>();
    if len == 0 {
        return Ok((NonNull::dangling().as_ptr(), 0));
    }
    if ptr.is_null() {
        return Err(fail!(
            NullArgument,
            "{name} is NULL but {len_name} is {len}"
        ));
    }
    let max = isize::MAX as usize / size;
    if len > max {
        return Err(fail!(
            InvalidArgument,
            "{len_name} is {len}, more elements than any array can hold (at most {max} of {size} bytes)"
        ));
    }
    Ok((ptr, len * size))
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
/// is larger than any array can be, or if the table and the arena overlap
/// (the table lying inside the arena, say); FFI_STATUS_PANIC on an internal
/// panic outside a job.
///
/// `error` is NULL or receives the status and reason of the first job that
/// failed, prefixed with its index ("job 0: output_capacity 16 is below
/// async_job_primes_capacity(100) = 28"), or of the call itself.
///
/// Jobs run one after the other on the calling thread, so a job that reads a
/// range an earlier job wrote sees the written values. Ranges are checked
/// against `arena_len`; ranges of different jobs may overlap.
///
/// What must be initialised: each job's `kind` and the fields its kind uses
/// (the others are neither read nor written, but `status` and `result`,
/// which the run writes), and the arena over each sum job's input range. An
/// output range needs only to be writable memory: a primes job writes its
/// first async_job_primes_capacity(limit) values (the primes, then zeros).
///
/// Ownership: `jobs` and `arena` are borrowed for the call only. Nothing is
/// allocated that outlives the call (besides the reason in `error`, which
/// the error object owns): there is nothing to free afterwards. The memory
/// must stay valid until the call returns: a caller whose memory another
/// party may free meanwhile (a Node.js worker that Deno or Bun tears down)
/// uses an AsyncBatch instead, whose memory the library keeps alive.
///
/// Thread-safe: meant to run on a worker thread while the caller does other
/// work. Several calls may run at once with different tables and arenas;
/// nobody may touch a table or arena while a call uses it (a data race).
///
/// # Safety
/// `jobs` is NULL or points to `count` `AsyncJob`s, and `arena` is NULL or
/// points to `arena_len` `uint32_t`s; both writable, aligned, initialised as
/// said above, and used by nothing else during the call. `error` is NULL or
/// a live FfiError used by no other call at the same time.
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
        let (jobs, table_bytes) = checked_region(jobs, count, "jobs", "count")?;
        let (arena, arena_bytes) = checked_region(arena, arena_len, "arena", "arena_len")?;
        let (t, a) = (jobs as usize, arena as usize);
        if table_bytes > 0 && arena_bytes > 0 && t < a + arena_bytes && a < t + table_bytes {
            return Err(fail!(
                InvalidArgument,
                "the job table ({count} jobs, {table_bytes} bytes) overlaps the arena ({arena_len} values, {arena_bytes} bytes): they must be disjoint"
            ));
        }
        // SAFETY: the header requires `jobs` valid for `count` jobs and
        // `arena` for `arena_len` values, writable, aligned, initialised as
        // documented ("What must be initialised") and used by nothing else
        // during the call; NULL and oversized regions were refused above,
        // empty ones replaced by dangling pointers, and the two regions are
        // disjoint (checked just above).
        unsafe { run_jobs_raw(jobs, count, arena, arena_len, false) }
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

// ---- Batches: memory the library owns, shared by the caller and the run ----

/// The batches allocated and not yet freed, across all threads.
static LIVE_BATCHES: AtomicUsize = AtomicUsize::new(0);

/// A batch's memory: a table of `capacity` jobs, then an arena of
/// `arena_len` values, zeroed when allocated. The caller's handle and the run
/// in progress (if any) each hold a reference; the last one to let go frees
/// it, so a run never writes into freed memory, whoever goes first.
struct BatchMemory {
    base: NonNull<u8>,
    layout: Layout,
    capacity: usize,
    arena_len: usize,
    /// Set by async_batch_start(); cleared (Release) when the run ends or is
    /// cancelled, after its last write.
    running: AtomicBool,
}

// SAFETY: the memory is reached only through raw pointers: by the run while
// `running` is set, by the caller otherwise (the header forbids touching it
// during a run); the `running` flag orders the two (Release/Acquire).
unsafe impl Send for BatchMemory {}
// SAFETY: as above; `&BatchMemory` gives nothing but the pointers and the flag.
unsafe impl Sync for BatchMemory {}

impl BatchMemory {
    /// Zeroed memory for `capacity` jobs and `arena_len` values, or `None`
    /// if that is more than an allocation can hold or the system refuses it.
    fn new(capacity: usize, arena_len: usize) -> Option<BatchMemory> {
        let table = capacity.checked_mul(size_of::<AsyncJob>())?;
        let arena = arena_len.checked_mul(size_of::<u32>())?;
        let size = table.checked_add(arena)?.max(8);
        let layout = Layout::from_size_align(size, std::mem::align_of::<AsyncJob>()).ok()?;
        // SAFETY: `layout` has a non-zero size.
        let base = NonNull::new(unsafe { alloc_zeroed(layout) })?;
        LIVE_BATCHES.fetch_add(1, Ordering::Relaxed);
        Some(BatchMemory {
            base,
            layout,
            capacity,
            arena_len,
            running: AtomicBool::new(false),
        })
    }

    fn jobs(&self) -> *mut AsyncJob {
        self.base.as_ptr().cast()
    }

    fn arena(&self) -> *mut u32 {
        // SAFETY: the arena starts right after the table, inside the
        // allocation (at its end if the arena is empty); 8-byte aligned,
        // since a job is 56 bytes.
        unsafe {
            self.base
                .as_ptr()
                .add(self.capacity * size_of::<AsyncJob>())
        }
        .cast()
    }
}

impl Drop for BatchMemory {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout, freed once (the last
        // reference is dropped once).
        unsafe { dealloc(self.base.as_ptr(), self.layout) };
        LIVE_BATCHES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A batch of jobs over an arena, both in memory the library owns (see
/// async_batch_new()). Opaque to C.
pub struct AsyncBatch {
    memory: Arc<BatchMemory>,
}

// Every handle is thread-owned: the creating thread's exit frees the batches
// it left (the memory itself once no run holds it either); LIVE_BATCHES counts
// the memory, which a run may still hold, so nothing is counted here.
thread_owned::thread_ownable!(AsyncBatch, {});

/// The batch a handle designates: NULL for NULL and for a handle whose batch
/// was freed (by async_batch_free() or its thread's exit).
#[inline]
fn batch_of<'a>(batch: *const AsyncBatch) -> Option<&'a AsyncBatch> {
    // SAFETY: `resolve` gives NULL or the live batch in a thread-owned slot,
    // which stays valid while its handle is live (the header: nobody frees a
    // batch while another call uses it).
    unsafe { thread_owned::resolve(batch.cast_mut()).as_ref() }
}

/// One run of a batch, from async_batch_start() until async_batch_run()
/// returns or async_batch_run_cancel(). Opaque to C.
pub struct AsyncBatchRun {
    memory: Arc<BatchMemory>,
    count: usize,
}

impl AsyncBatchRun {
    /// Runs the jobs, then lets go of the memory (the batch is no longer
    /// running). Never unwinds.
    fn execute(self) -> FfiStatus {
        let memory = &self.memory;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            // No error object receives the reasons: none is formatted.
            wanting(false, || {
                // SAFETY: the table holds `capacity >= count` jobs and the
                // arena `arena_len` values, disjoint, zeroed at allocation
                // (so initialised) and kept alive by this run's reference;
                // while `running` is set nobody else touches them (the
                // header's rule for a running batch).
                unsafe {
                    run_jobs_raw(
                        memory.jobs(),
                        self.count,
                        memory.arena(),
                        memory.arena_len,
                        true,
                    )
                }
            })
        }));
        match outcome {
            Ok(Ok(())) => FfiStatus::Ok,
            Ok(Err(failure)) => failure.status(),
            Err(_) => FfiStatus::Panic,
        }
        // `self` drops here: `running` is cleared, then the reference released.
    }
}

impl Drop for AsyncBatchRun {
    fn drop(&mut self) {
        // After the run's last write (or instead of any): the caller that
        // sees `false` (Acquire) sees the results.
        self.memory.running.store(false, Ordering::Release);
    }
}

/// Creates a batch: a table of `capacity` AsyncJobs followed by an arena of
/// `arena_len` `uint32_t`s, in one block of memory the library owns, zeroed.
/// async_batch_jobs() and async_batch_arena() give their addresses; the
/// caller fills the jobs and the inputs there, then runs the batch with
/// async_batch_start() and async_batch_run(), or with
/// async_batch_run_in_background(), and reads the results there afterwards.
/// The jobs are those of async_jobs_run(), with the same offsets, statuses
/// and results.
///
/// Unlike the caller's own memory in async_jobs_run(), a batch's memory lives
/// as long as anyone needs it: the caller's handle and a run in progress each
/// keep it, and the last to let go frees it. So a run keeps writing into
/// live memory even after the caller freed the handle or its thread exited
/// (a Node.js worker terminated by Deno or Bun, which do not wait for native
/// calls): nothing is written into freed memory, and nothing leaks.
///
/// Returns NULL if the block would exceed `PTRDIFF_MAX` bytes or the system
/// cannot allocate it (or on an internal panic). Both sizes may be 0.
///
/// Ownership: the handle is thread-owned, as for
/// opaque_point_new_thread_owned(): free it with async_batch_free() on the
/// creating thread, or let that thread's exit free it; a handle freed either
/// way reads as NULL in every function here (a second free is a harmless
/// no-op). Freeing
/// it during a run is allowed: the run finishes into the memory, which is
/// freed when it ends. async_batch_live_count() counts the blocks not yet
/// freed. Thread-safe.
#[no_mangle]
pub extern "C" fn async_batch_new(capacity: usize, arena_len: usize) -> *mut AsyncBatch {
    guard(|| {
        let Some(memory) = BatchMemory::new(capacity, arena_len) else {
            return std::ptr::null_mut();
        };
        thread_owned::adopt(AsyncBatch {
            memory: Arc::new(memory),
        })
    })
}

/// Frees a batch's handle. Its memory is freed at once, or, if a run is in
/// progress, when that run ends. NULL is a harmless no-op; so is a call on
/// another thread than the creating one (the handle stays valid, and its
/// thread's exit frees it), as for opaque_point_free().
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already is
/// a harmless no-op).
#[no_mangle]
pub unsafe extern "C" fn async_batch_free(batch: *mut AsyncBatch) {
    guard(|| {
        // Every handle is thread-owned: a stale one (freed already, by this
        // function or its thread's exit) or another thread's is left alone.
        if thread_owned::is_thread_owned(batch) {
            thread_owned::free(batch);
        }
    })
}

/// The batch's table: `capacity` AsyncJobs (as async_batch_new() was given),
/// 8-byte aligned, followed immediately by the arena. NULL for NULL.
///
/// Ownership: the memory belongs to the batch; valid until the handle is
/// freed. Nobody may touch it while the batch runs (async_batch_is_running()
/// says when it has finished). Thread-safe.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed by another call at the same time.
#[no_mangle]
pub unsafe extern "C" fn async_batch_jobs(batch: *const AsyncBatch) -> *mut AsyncJob {
    guard(|| batch_of(batch).map_or(std::ptr::null_mut(), |b| b.memory.jobs()))
}

/// The batch's arena: `arena_len` `uint32_t`s (as async_batch_new() was
/// given), right after the table. NULL for NULL. The same ownership and
/// rules as async_batch_jobs(). Thread-safe.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed by another call at the same time.
#[no_mangle]
pub unsafe extern "C" fn async_batch_arena(batch: *const AsyncBatch) -> *mut u32 {
    guard(|| batch_of(batch).map_or(std::ptr::null_mut(), |b| b.memory.arena()))
}

/// The part of a batch's memory a copy reaches (async_batch_write_jobs() and
/// the like).
#[derive(Clone, Copy)]
enum Part {
    Jobs,
    Arena,
}

/// Which way a copy goes.
#[derive(Clone, Copy)]
enum Direction {
    IntoBatch,
    OutOfBatch,
}

/// Copies `len` elements (jobs or arena values, as `part` says) between the
/// caller's memory at `outside` and the batch's `part`, from element `at`.
/// The checks of async_batch_write_jobs() and the others, in their order.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed or started by another call at the same
/// time. `outside` is NULL or valid for `len` elements of the part's size,
/// readable (`IntoBatch`) or writable (`OutOfBatch`), and not written by
/// anyone else during the call.
unsafe fn copy_part(
    batch: *const AsyncBatch,
    part: Part,
    at: usize,
    outside: *mut u8,
    len: usize,
    direction: Direction,
) -> FfiStatus {
    let Some(batch) = batch_of(batch) else {
        return FfiStatus::NullArgument;
    };
    if outside.is_null() && len > 0 {
        return FfiStatus::NullArgument;
    }
    let memory = &batch.memory;
    let (base, unit, size) = match part {
        Part::Jobs => (
            memory.jobs().cast::<u8>(),
            size_of::<AsyncJob>(),
            memory.capacity,
        ),
        Part::Arena => (
            memory.arena().cast::<u8>(),
            size_of::<u32>(),
            memory.arena_len,
        ),
    };
    if at.checked_add(len).is_none_or(|end| end > size) {
        return FfiStatus::InvalidArgument;
    }
    // Acquire: once the run has ended (Release), its results are visible.
    if memory.running.load(Ordering::Acquire) {
        return FfiStatus::InvalidArgument;
    }
    if len == 0 {
        return FfiStatus::Ok;
    }
    // SAFETY: `at + len <= size` elements of `unit` bytes lie inside the
    // allocation (checked just above: the table holds `capacity` jobs and
    // the arena `arena_len` values, so neither product overflows), which the
    // handle keeps alive during the call; no run writes into it (`running`
    // is clear, and the header forbids a start at the same time). The
    // caller's `outside` is valid for `len` elements (the header's promise
    // on `jobs`/`values`); `copy` allows the two to overlap (a caller
    // passing a pointer into the batch itself) and needs no alignment.
    unsafe {
        let inside = base.add(at * unit);
        match direction {
            Direction::IntoBatch => std::ptr::copy(outside.cast_const(), inside, len * unit),
            Direction::OutOfBatch => std::ptr::copy(inside.cast_const(), outside, len * unit),
        }
    }
    FfiStatus::Ok
}

/// Copies `count` AsyncJobs from `jobs` into the batch's table, at jobs
/// `first` to `first + count - 1`, without handing out a pointer to the
/// batch's memory: for callers that cannot safely hold one, such as
/// JavaScript in a Node.js worker, whose views of foreign memory the runtime
/// may refuse to create while it tears the worker down. `jobs` need not be
/// aligned (the jobs are copied as bytes).
///
/// Returns FFI_STATUS_OK once copied; FFI_STATUS_NULL_ARGUMENT (nothing
/// copied) if `batch` is NULL (or freed already), or `jobs` is NULL while
/// `count > 0`; FFI_STATUS_INVALID_ARGUMENT (nothing copied) if `first +
/// count` exceeds the batch's capacity, or if the batch is running
/// (async_batch_is_running()); FFI_STATUS_PANIC on an internal panic. A
/// `count` of 0 copies nothing.
///
/// Ownership: `jobs` is borrowed for the call only, and the batch stays the
/// caller's; nothing is allocated, nothing to free. Thread-safe, as long as
/// no other call frees or starts the batch at the same time.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed or started by another call at the same
/// time. `jobs` is NULL or points to `count` readable AsyncJobs (any
/// alignment), which may lie inside the batch's own memory.
#[no_mangle]
pub unsafe extern "C" fn async_batch_write_jobs(
    batch: *const AsyncBatch,
    first: usize,
    jobs: *const AsyncJob,
    count: usize,
) -> FfiStatus {
    // SAFETY: the header's promises on `batch` and `jobs`.
    guard(|| unsafe {
        copy_part(
            batch,
            Part::Jobs,
            first,
            jobs.cast_mut().cast(),
            count,
            Direction::IntoBatch,
        )
    })
}

/// Copies `count` AsyncJobs of the batch's table, jobs `first` to `first +
/// count - 1`, into `jobs`: after a run, their statuses and results. The
/// counterpart of async_batch_write_jobs(), with the same checks and
/// statuses: FFI_STATUS_OK once copied; FFI_STATUS_NULL_ARGUMENT (nothing
/// copied) for a NULL (or freed) `batch` or a NULL `jobs` while `count > 0`;
/// FFI_STATUS_INVALID_ARGUMENT (nothing copied) if `first + count` exceeds
/// the batch's capacity or the batch is running (so a run's results are
/// read only once it has ended, and then all of them); FFI_STATUS_PANIC on
/// an internal panic.
///
/// Ownership: `jobs` is borrowed for the call only; nothing to free.
/// Thread-safe, as long as no other call frees or starts the batch at the
/// same time.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed or started by another call at the same
/// time. `jobs` is NULL or points to `count` writable AsyncJobs (any
/// alignment), used by no one else during the call.
#[no_mangle]
pub unsafe extern "C" fn async_batch_read_jobs(
    batch: *const AsyncBatch,
    first: usize,
    jobs: *mut AsyncJob,
    count: usize,
) -> FfiStatus {
    // SAFETY: the header's promises on `batch` and `jobs`.
    guard(|| unsafe {
        copy_part(
            batch,
            Part::Jobs,
            first,
            jobs.cast(),
            count,
            Direction::OutOfBatch,
        )
    })
}

/// Copies `len` values from `values` into the batch's arena, at values
/// `offset` to `offset + len - 1` (a sum job's input, say). The arena's
/// counterpart of async_batch_write_jobs(), with the same checks and
/// statuses: FFI_STATUS_OK once copied; FFI_STATUS_NULL_ARGUMENT (nothing
/// copied) for a NULL (or freed) `batch` or a NULL `values` while `len > 0`;
/// FFI_STATUS_INVALID_ARGUMENT (nothing copied) if `offset + len` exceeds
/// the arena's length or the batch is running; FFI_STATUS_PANIC on an
/// internal panic.
///
/// Ownership: `values` is borrowed for the call only; nothing to free.
/// Thread-safe, as long as no other call frees or starts the batch at the
/// same time.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed or started by another call at the same
/// time. `values` is NULL or points to `len` readable `uint32_t`s (any
/// alignment), which may lie inside the batch's own memory.
#[no_mangle]
pub unsafe extern "C" fn async_batch_write_arena(
    batch: *const AsyncBatch,
    offset: usize,
    values: *const u32,
    len: usize,
) -> FfiStatus {
    // SAFETY: the header's promises on `batch` and `values`.
    guard(|| unsafe {
        copy_part(
            batch,
            Part::Arena,
            offset,
            values.cast_mut().cast(),
            len,
            Direction::IntoBatch,
        )
    })
}

/// Copies `len` values of the batch's arena, values `offset` to `offset +
/// len - 1`, into `values` (a primes job's output, say). The counterpart of
/// async_batch_write_arena(), with the same checks and statuses:
/// FFI_STATUS_OK once copied; FFI_STATUS_NULL_ARGUMENT (nothing copied) for
/// a NULL (or freed) `batch` or a NULL `values` while `len > 0`;
/// FFI_STATUS_INVALID_ARGUMENT (nothing copied) if `offset + len` exceeds
/// the arena's length or the batch is running; FFI_STATUS_PANIC on an
/// internal panic.
///
/// Ownership: `values` is borrowed for the call only; nothing to free.
/// Thread-safe, as long as no other call frees or starts the batch at the
/// same time.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed or started by another call at the same
/// time. `values` is NULL or points to `len` writable `uint32_t`s (any
/// alignment), used by no one else during the call.
#[no_mangle]
pub unsafe extern "C" fn async_batch_read_arena(
    batch: *const AsyncBatch,
    offset: usize,
    values: *mut u32,
    len: usize,
) -> FfiStatus {
    // SAFETY: the header's promises on `batch` and `values`.
    guard(|| unsafe {
        copy_part(
            batch,
            Part::Arena,
            offset,
            values.cast(),
            len,
            Direction::OutOfBatch,
        )
    })
}

/// The common start of async_batch_start() and async_batch_run_in_background().
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed by another call at the same time.
unsafe fn start(batch: *const AsyncBatch, count: usize) -> Result<Box<AsyncBatchRun>, Failure> {
    let Some(batch) = batch_of(batch) else {
        return Err(Failure::new(FfiStatus::NullArgument, "batch is NULL"));
    };
    let memory = &batch.memory;
    if count > memory.capacity {
        return Err(fail!(
            InvalidArgument,
            "count {count} is above the batch's capacity of {} jobs",
            memory.capacity
        ));
    }
    if memory
        .running
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return Err(Failure::new(
            FfiStatus::InvalidArgument,
            "the batch is running already: a batch runs once at a time",
        ));
    }
    Ok(Box::new(AsyncBatchRun {
        memory: Arc::clone(memory),
        count,
    }))
}

/// Starts a run of the first `count` jobs of `batch`: returns the run, which
/// holds the batch's memory until async_batch_run() has run it (on any
/// thread: a worker thread, typically) or async_batch_run_cancel() drops it.
/// From now until then the batch is running (async_batch_is_running()), and
/// nobody may touch its table or arena.
///
/// Returns NULL, with the status and reason in `error`, if `batch` is NULL
/// (FFI_STATUS_NULL_ARGUMENT), `count` exceeds the batch's capacity or the
/// batch is running already (FFI_STATUS_INVALID_ARGUMENT); or on an internal
/// panic (FFI_STATUS_PANIC).
///
/// Ownership: the caller owns the run and must pass it to async_batch_run()
/// or async_batch_run_cancel(), exactly once. Thread-safe.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed by another call at the same time. `error` is NULL
/// or a live FfiError used by no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn async_batch_start(
    batch: *const AsyncBatch,
    count: usize,
    error: *mut FfiError,
) -> *mut AsyncBatchRun {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    let mut run = std::ptr::null_mut();
    guard_status(error, || {
        // SAFETY: the header's promise on `batch`.
        run = Box::into_raw(unsafe { start(batch, count) }?);
        Ok(())
    });
    run
}

/// Runs a started batch's jobs on the calling thread, as async_jobs_run()
/// does, then ends the run: the batch is no longer running, and the run's
/// hold on the memory is released (the memory is freed now if the handle was
/// freed meanwhile). Returns FFI_STATUS_OK, or the status of the first job
/// that failed (each job's `status` says which; no reason is kept), or
/// FFI_STATUS_NULL_ARGUMENT for a NULL `run`.
///
/// Thread-safe: meant for a worker thread (Node.js calls it through koffi's
/// `.async`).
///
/// # Safety
/// `run` is NULL or a run from async_batch_start() not yet run or cancelled;
/// it is consumed.
#[no_mangle]
pub unsafe extern "C" fn async_batch_run(run: *mut AsyncBatchRun) -> FfiStatus {
    guard(|| {
        if run.is_null() {
            return FfiStatus::NullArgument;
        }
        // SAFETY: an unconsumed run from async_batch_start (the header's
        // promise): a Box::into_raw, taken back once.
        (*unsafe { Box::from_raw(run) }).execute()
    })
}

/// Ends a started run without running it (for a caller that could not hand
/// it to a thread): the batch is no longer running, the run's hold on the
/// memory is released (freeing it if the handle was freed meanwhile), and
/// the jobs' statuses and results are unchanged. The run is consumed: the
/// caller no longer owns it. NULL is a harmless no-op. Thread-safe.
///
/// # Safety
/// `run` is NULL or a run from async_batch_start() not yet run or cancelled;
/// it is consumed.
#[no_mangle]
pub unsafe extern "C" fn async_batch_run_cancel(run: *mut AsyncBatchRun) {
    guard(|| {
        if !run.is_null() {
            // SAFETY: as in async_batch_run.
            drop(unsafe { Box::from_raw(run) });
        }
    })
}

/// Starts a run of the first `count` jobs of `batch`, as async_batch_start(),
/// on one of the library's own background threads, and returns at once; poll
/// async_batch_is_running() to learn when it has ended (then read the results).
/// For callers that cannot be called back from a worker thread, and for
/// runtimes that free a worker's memory while a native call still runs in it
/// (Deno, Bun): the run needs nothing from the caller's thread.
///
/// The library starts up to max(4, min(cores, 16)) background threads as runs
/// are queued (runs beyond that wait in order), and a thread exits after 100
/// ms without a run (async_batch_thread_count()). If the system refuses to
/// create a thread while none is running, the run happens on the calling
/// thread before this function returns.
///
/// Returns FFI_STATUS_OK once the run is queued, or fails as
/// async_batch_start() does (nothing is queued then): FFI_STATUS_NULL_ARGUMENT
/// for a NULL `batch`, FFI_STATUS_INVALID_ARGUMENT for a `count` above the
/// capacity or a batch running already.
///
/// Ownership: the run holds the batch's memory until it ends; nothing to
/// free for it. Thread-safe.
///
/// # Safety
/// As for async_batch_start().
#[no_mangle]
pub unsafe extern "C" fn async_batch_run_in_background(
    batch: *const AsyncBatch,
    count: usize,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        // SAFETY: the header's promise on `batch`.
        let run = unsafe { start(batch, count) }?;
        if let Some(refused) = background::submit(run) {
            (*refused).execute();
        }
        Ok(())
    })
}

/// Whether `batch` is running: true from async_batch_start() (or
/// async_batch_run_in_background()) until the run has ended or was
/// cancelled. Once it returns false, the results written by the run are
/// visible to the calling thread. False for NULL. Borrows the handle for the
/// call only. Thread-safe.
///
/// # Safety
/// `batch` is NULL or a handle from async_batch_new() (one freed already
/// reads as NULL), not being freed by another call at the same time.
#[no_mangle]
pub unsafe extern "C" fn async_batch_is_running(batch: *const AsyncBatch) -> bool {
    guard(|| batch_of(batch).is_some_and(|b| b.memory.running.load(Ordering::Acquire)))
}

/// The number of batch memory blocks allocated by async_batch_new() and not
/// yet freed, across all threads (a block is freed when both its handle and
/// its run, if any, are gone). For leak tests. No pointers: nothing to own,
/// borrow or free, and no NULL case. Thread-safe.
#[no_mangle]
pub extern "C" fn async_batch_live_count() -> usize {
    guard(|| LIVE_BATCHES.load(Ordering::Relaxed))
}

/// The number of the library's background threads alive now (see
/// async_batch_run_in_background()); 0 once every one has been idle for 100
/// ms. For tests. No pointers: nothing to own, borrow or free, and no NULL
/// case. Thread-safe.
#[no_mangle]
pub extern "C" fn async_batch_thread_count() -> usize {
    guard(background::threads)
}

/// The background threads of async_batch_run_in_background(): a queue of
/// runs and up to [`background::MAX_THREADS`] threads that take them in
/// order, each exiting after [`background::LINGER`] without work.
mod background {
    use super::AsyncBatchRun;
    use std::collections::VecDeque;
    use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
    use std::time::Duration;

    /// How long an idle thread waits for a run before it exits.
    pub(super) const LINGER: Duration = Duration::from_millis(100);

    struct State {
        queue: VecDeque<Box<AsyncBatchRun>>,
        /// Threads alive.
        threads: usize,
        /// Threads waiting for a run.
        idle: usize,
        /// The most threads (0 until the first run computes it).
        max: usize,
    }

    static STATE: Mutex<State> = Mutex::new(State {
        queue: VecDeque::new(),
        threads: 0,
        idle: 0,
        max: 0,
    });
    static WAKE: Condvar = Condvar::new();

    /// The queue never holds a half-updated state across a panic (nothing in
    /// it panics while the lock is held): a poisoned lock is still usable.
    fn lock() -> MutexGuard<'static, State> {
        STATE.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn threads() -> usize {
        lock().threads
    }

    /// Queues `run` for a background thread, starting one if every thread is
    /// busy and fewer than the most are alive. Returns the run back if no
    /// thread runs and none can be started.
    pub(super) fn submit(run: Box<AsyncBatchRun>) -> Option<Box<AsyncBatchRun>> {
        let mut state = lock();
        if state.max == 0 {
            let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
            state.max = cores.clamp(4, 16);
        }
        state.queue.push_back(run);
        if state.queue.len() <= state.idle {
            WAKE.notify_one();
            return None;
        }
        if state.threads < state.max {
            let spawned = std::thread::Builder::new()
                .name("ffi-deep-dive-async".to_owned())
                .spawn(work);
            match spawned {
                Ok(_detached) => state.threads += 1,
                Err(_) if state.threads == 0 => return state.queue.pop_back(),
                Err(_) => {} // a running thread will take it
            }
        }
        None
    }

    /// A background thread: runs queued runs until none comes for [`LINGER`].
    fn work() {
        let mut state = lock();
        loop {
            if let Some(run) = state.queue.pop_front() {
                drop(state);
                (*run).execute(); // never unwinds
                state = lock();
                continue;
            }
            state.idle += 1;
            let (guard, waited) = WAKE
                .wait_timeout(state, LINGER)
                .unwrap_or_else(PoisonError::into_inner);
            state = guard;
            state.idle -= 1;
            if waited.timed_out() && state.queue.is_empty() {
                state.threads -= 1;
                if state.threads == 0 {
                    state.queue = VecDeque::new(); // gives its memory back
                }
                return;
            }
        }
    }
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

    #[test]
    fn refuses_a_table_that_overlaps_the_arena() {
        let e = crate::error::ffi_error_new();
        let mut words = vec![0u32; 64];
        let base = words.as_mut_ptr();
        // SAFETY: every region lies inside `words`; the overlapping calls are
        // refused before any access.
        unsafe {
            let job = base.cast::<AsyncJob>();
            job.write(sum_job(20, 2));
            // The table (1 job, 14 words at 0) inside the arena (64 words at 0).
            assert_eq!(
                async_jobs_run(job, 1, base, 64, e),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                crate::testing_support::message(e),
                "the job table (1 jobs, 56 bytes) overlaps the arena (64 values, 256 bytes): they must be disjoint"
            );
            // Touching at one word: still refused; right after it: fine.
            assert_eq!(
                async_jobs_run(job, 1, base.add(13), 4, e),
                FfiStatus::InvalidArgument
            );
            words[14..18].copy_from_slice(&[2, 3, 4, 5]);
            (*job).input_offset = 0;
            (*job).input_len = 4;
            assert_eq!(async_jobs_run(job, 1, base.add(14), 4, e), FfiStatus::Ok);
            assert_eq!(((*job).status, (*job).result), (0, 6));
            crate::error::ffi_error_free(e);
        }
    }

    #[test]
    fn writes_only_initialised_output_and_reads_only_the_fields_a_kind_uses() {
        use std::mem::MaybeUninit;
        // An arena never initialised, a job with only its fields set.
        let mut arena = vec![MaybeUninit::<u32>::uninit(); 64];
        let mut job = MaybeUninit::<AsyncJob>::uninit();
        let p = job.as_mut_ptr();
        // SAFETY: raw writes of the fields a primes job uses, then a run
        // that, per the header, reads those and writes status and result.
        unsafe {
            addr_of_mut!((*p).kind).write(ASYNC_JOB_PRIMES_UP_TO);
            addr_of_mut!((*p).limit).write(30);
            addr_of_mut!((*p).output_offset).write(4);
            addr_of_mut!((*p).output_capacity).write(60);
            let arena_ptr = arena.as_mut_ptr().cast::<u32>();
            assert_eq!(
                async_jobs_run(p, 1, arena_ptr, 64, std::ptr::null_mut()),
                FfiStatus::Ok
            );
            assert_eq!(addr_of!((*p).result).read(), 10);
            let written: Vec<u32> = (0..10).map(|i| arena[4 + i].assume_init()).collect();
            assert_eq!(written, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        }
    }

    /// Waits until `batch` is no longer running (a background run).
    fn wait_for(batch: *const AsyncBatch) {
        // SAFETY: a live handle.
        while unsafe { async_batch_is_running(batch) } {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    #[test]
    fn a_batch_runs_on_the_caller_thread_or_in_the_background() {
        let cap = async_job_primes_capacity(100);
        let batch = async_batch_new(4, 10 + cap);
        assert!(!batch.is_null());
        // SAFETY: the handle is live until freed; its table holds 4 jobs and
        // its arena 10 + cap values; nothing touches them while it runs.
        unsafe {
            let jobs = async_batch_jobs(batch);
            let arena = async_batch_arena(batch);
            assert_eq!(arena.cast::<u8>(), jobs.cast::<u8>().add(4 * 56));
            for i in 0..6 {
                arena.add(i).write(i as u32 + 1);
            }
            jobs.write(sum_job(0, 6));
            jobs.add(1).write(primes_job(100, 10, cap as u64));
            jobs.add(2).write(sum_job(30, 9)); // past the end of the 38 values
            assert!(!async_batch_is_running(batch));
            let run = async_batch_start(batch, 3, std::ptr::null_mut());
            assert!(async_batch_is_running(batch));
            let e = crate::error::ffi_error_new();
            assert!(async_batch_start(batch, 3, e).is_null(), "running already");
            assert_eq!(
                crate::testing_support::message(e),
                "the batch is running already: a batch runs once at a time"
            );
            assert_eq!(async_batch_run(run), FfiStatus::InvalidArgument);
            assert!(!async_batch_is_running(batch));
            let results: Vec<(i32, u64)> = (0..3)
                .map(|i| ((*jobs.add(i)).status, (*jobs.add(i)).result))
                .collect();
            assert_eq!(
                results,
                [(0, 12), (0, 25), (FfiStatus::InvalidArgument as i32, 0)]
            );
            assert_eq!(*arena.add(10 + 24), 97);
            // Cancelled: nothing runs, and the batch can start again.
            jobs.write(AsyncJob {
                result: 77,
                ..sum_job(1, 1)
            });
            async_batch_run_cancel(async_batch_start(batch, 1, std::ptr::null_mut()));
            assert_eq!((*jobs).result, 77);
            assert_eq!(
                async_batch_run_in_background(batch, 1, std::ptr::null_mut()),
                FfiStatus::Ok
            );
            wait_for(batch);
            assert_eq!(((*jobs).status, (*jobs).result), (0, 2));
            assert!(async_batch_start(batch, 5, e).is_null());
            assert_eq!(
                crate::testing_support::message(e),
                "count 5 is above the batch's capacity of 4 jobs"
            );
            assert_eq!(
                async_batch_run_in_background(std::ptr::null(), 0, e),
                FfiStatus::NullArgument
            );
            assert_eq!(
                async_batch_run(std::ptr::null_mut()),
                FfiStatus::NullArgument
            );
            async_batch_run_cancel(std::ptr::null_mut());
            assert!(async_batch_jobs(std::ptr::null()).is_null());
            assert!(async_batch_arena(std::ptr::null()).is_null());
            assert!(!async_batch_is_running(std::ptr::null()));
            async_batch_free(std::ptr::null_mut());
            crate::error::ffi_error_free(e);
            async_batch_free(batch);
        }
        assert!(async_batch_new(usize::MAX / 56, 1).is_null());
        assert!(async_batch_new(1, usize::MAX / 2).is_null());
    }

    #[test]
    fn copies_in_and_out_are_checked_against_the_batch() {
        let null = std::ptr::null_mut::<u32>();
        let batch = async_batch_new(2, 8);
        assert!(!batch.is_null());
        let input = [1u32, 2, 3, 4];
        let jobs = [sum_job(2, 4), sum_job(0, 1)];
        let mut back = [AsyncJob::default(); 2];
        let mut out = [0u32; 8];
        // SAFETY: a live handle; every pointer is valid for the length given.
        unsafe {
            assert_eq!(
                async_batch_write_arena(batch, 2, input.as_ptr(), 4),
                FfiStatus::Ok
            );
            assert_eq!(
                async_batch_write_jobs(batch, 0, jobs.as_ptr(), 2),
                FfiStatus::Ok
            );
            assert_eq!(
                async_batch_run_in_background(batch, 2, std::ptr::null_mut()),
                FfiStatus::Ok
            );
            // While it runs, or once it has ended: refused, or the results.
            let status = async_batch_read_jobs(batch, 0, back.as_mut_ptr(), 2);
            assert!(matches!(status, FfiStatus::Ok | FfiStatus::InvalidArgument));
            wait_for(batch);
            assert_eq!(
                async_batch_read_jobs(batch, 0, back.as_mut_ptr(), 2),
                FfiStatus::Ok
            );
            assert_eq!(back.map(|j| (j.status, j.result)), [(0, 2 + 4), (0, 0)]);
            assert_eq!(
                async_batch_read_arena(batch, 0, out.as_mut_ptr(), 8),
                FfiStatus::Ok
            );
            assert_eq!(out, [0, 0, 1, 2, 3, 4, 0, 0]);
            // One job at an offset, and the last value.
            assert_eq!(
                async_batch_read_jobs(batch, 1, back.as_mut_ptr(), 1),
                FfiStatus::Ok
            );
            assert_eq!(back[0].input_offset, 0);
            assert_eq!(
                async_batch_read_arena(batch, 7, out.as_mut_ptr(), 1),
                FfiStatus::Ok
            );
            // Ranges past the end (or overflowing), NULL, empty.
            assert_eq!(
                async_batch_write_jobs(batch, 1, jobs.as_ptr(), 2),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                async_batch_read_jobs(batch, usize::MAX, back.as_mut_ptr(), 1),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                async_batch_write_arena(batch, 5, input.as_ptr(), 4),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                async_batch_read_arena(batch, 1, out.as_mut_ptr(), usize::MAX),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                async_batch_read_arena(batch, 9, null, 0),
                FfiStatus::InvalidArgument
            );
            assert_eq!(async_batch_read_arena(batch, 8, null, 0), FfiStatus::Ok);
            assert_eq!(
                async_batch_write_arena(batch, 0, null, 1),
                FfiStatus::NullArgument
            );
            assert_eq!(
                async_batch_write_jobs(std::ptr::null(), 0, jobs.as_ptr(), 1),
                FfiStatus::NullArgument
            );
            // Inside the batch itself (overlapping): moved as memmove does.
            let arena = async_batch_arena(batch);
            assert_eq!(
                async_batch_write_arena(batch, 3, arena.add(2), 4),
                FfiStatus::Ok
            );
            assert_eq!(
                async_batch_read_arena(batch, 0, out.as_mut_ptr(), 8),
                FfiStatus::Ok
            );
            assert_eq!(out, [0, 0, 1, 1, 2, 3, 4, 0]);
            // A started run: refused until it ends.
            let run = async_batch_start(batch, 1, std::ptr::null_mut());
            assert_eq!(
                async_batch_write_arena(batch, 0, input.as_ptr(), 1),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                async_batch_read_jobs(batch, 0, back.as_mut_ptr(), 1),
                FfiStatus::InvalidArgument
            );
            async_batch_run_cancel(run);
            assert_eq!(
                async_batch_write_arena(batch, 0, input.as_ptr(), 1),
                FfiStatus::Ok
            );
            // A freed handle reads as NULL.
            async_batch_free(batch);
            assert_eq!(
                async_batch_read_arena(batch, 0, out.as_mut_ptr(), 1),
                FfiStatus::NullArgument
            );
            assert_eq!(
                async_batch_write_jobs(batch, 0, jobs.as_ptr(), 1),
                FfiStatus::NullArgument
            );
        }
    }

    #[test]
    fn a_run_outlives_the_handle_and_the_thread_that_made_it() {
        // A worker thread starts a long run and exits at once (its registry
        // frees the handle); the run still writes into live memory.
        let limit = 20_000_000;
        let cap = async_job_primes_capacity(limit);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let batch = async_batch_new(1, cap);
            // SAFETY: a live handle with one job of room.
            unsafe {
                async_batch_jobs(batch).write(primes_job(limit, 0, cap as u64));
                let run = async_batch_start(batch, 1, std::ptr::null_mut());
                tx.send(run as usize).unwrap();
            }
        })
        .join()
        .unwrap();
        let run = rx.recv().unwrap() as *mut AsyncBatchRun;
        // SAFETY: the run, not yet run: its memory is alive (it holds it).
        assert_eq!(unsafe { async_batch_run(run) }, FfiStatus::Ok);
    }
}
