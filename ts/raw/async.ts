/**
 * Raw declarations for the async module (`rust/src/async.rs`): a table of
 * slices jobs run in one native call.
 *
 * `async_jobs_run` takes the table and the arena as any writable buffer (a
 * `Uint32Array` over them is passed zero-copy) and checks every job's range
 * against `arena_len`, but it trusts `count` and `arena_len` to describe the
 * buffers: larger values make Rust read and write past them. An `AsyncBatch`
 * is memory the library owns instead (see {@link async_batch_new}): a run
 * keeps it alive, so a worker torn down while the run goes on leaves it
 * writing into live memory. JavaScript fills and reads it by copies
 * ({@link async_batch_write_jobs} and the like), never through a view: a
 * view outlives the handle, and `koffi.view` throws while a worker is torn
 * down, which koffi turns into an abort of the whole process. The public
 * layer (`ts/async.ts`) owns both kinds and never lends them to user code.
 */
import koffi from 'koffi';
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { RawPointer } from './strings';
import type { Native, NativeType } from './types';

/** `#define ASYNC_JOB_SUM_OF_EVEN 1`: sum the even values of an arena range. */
export const ASYNC_JOB_SUM_OF_EVEN = 1;

/** `#define ASYNC_JOB_PRIMES_UP_TO 2`: write the primes `<= limit` into an arena range. */
export const ASYNC_JOB_PRIMES_UP_TO = 2;

/**
 * `typedef struct AsyncJob { uint32_t kind; int32_t status; uint32_t limit; uint32_t reserved;
 * uint64_t input_offset, input_len, output_offset, output_capacity, result; } AsyncJob;`
 * (56 bytes, 8-byte aligned). Declared anonymously: koffi type names are process-global.
 */
export const AsyncJob: NativeType = koffi.struct({
  kind: 'uint32_t',
  status: 'int32_t',
  limit: 'uint32_t',
  reserved: 'uint32_t',
  input_offset: 'uint64_t',
  input_len: 'uint64_t',
  output_offset: 'uint64_t',
  output_capacity: 'uint64_t',
  result: 'uint64_t',
});

/**
 * `FfiStatus async_jobs_run(AsyncJob *jobs, size_t count, uint32_t *arena, size_t arena_len, FfiError *error)`.
 * `jobs` is a buffer laid out as `count` `AsyncJob`s (a `Uint32Array` of 14 words each,
 * written in place), `arena` a `Uint32Array`; both are passed zero-copy. `error` is an address from
 * `ffi_error_new` or `null`: it receives the first failed job's reason, as `'job <index>: <reason>'`.
 */
export const async_jobs_run = lib.func('async_jobs_run', 'int', [
  koffi.pointer(AsyncJob),
  'size_t',
  koffi.pointer(koffi.types.uint32_t),
  'size_t',
  FfiErrorPtr,
]) as Native<
  (jobs: Uint32Array | null, count: number, arena: Uint32Array | null, arenaLen: number, error: RawPointer) => number
>;

/** `size_t async_job_primes_capacity(uint32_t limit)`: the output room a primes job needs. */
export const async_job_primes_capacity = lib.func('size_t async_job_primes_capacity(uint32_t limit)') as Native<
  (limit: number) => number
>;

/** `typedef struct AsyncBatch AsyncBatch;`: incomplete, pointers only (anonymous: see ts/raw/library.ts). */
export const AsyncBatch: NativeType = koffi.opaque();
/** `AsyncBatch *` */
export const AsyncBatchPtr: NativeType = koffi.pointer(AsyncBatch);
/** `typedef struct AsyncBatchRun AsyncBatchRun;`: one run of a batch, incomplete. */
export const AsyncBatchRun: NativeType = koffi.opaque();
/** `AsyncBatchRun *` */
export const AsyncBatchRunPtr: NativeType = koffi.pointer(AsyncBatchRun);

/**
 * `AsyncBatch *async_batch_new(size_t capacity, size_t arena_len)`: a table of `capacity` jobs followed by an
 * arena of `arena_len` values, zeroed, in memory the library owns; NULL if too large or out of memory. The handle is
 * thread-owned: free it with `async_batch_free` on this thread, or let the thread's exit free it.
 */
export const async_batch_new = lib.func('async_batch_new', AsyncBatchPtr, ['size_t', 'size_t']) as Native<
  (capacity: number, arenaLen: number) => RawPointer
>;

/** `void async_batch_free(AsyncBatch *batch)`: the memory goes when the run in progress (if any) ends. NULL: no-op. */
export const async_batch_free = lib.func('async_batch_free', 'void', [AsyncBatchPtr]) as Native<
  (batch: RawPointer) => void
>;

/** `AsyncJob *async_batch_jobs(const AsyncBatch *batch)`: the table; the arena follows it. NULL for NULL. */
export const async_batch_jobs = lib.func('async_batch_jobs', 'void *', [AsyncBatchPtr]) as Native<
  (batch: RawPointer) => RawPointer
>;

/** `uint32_t *async_batch_arena(const AsyncBatch *batch)`: the arena, right after the table. NULL for NULL. */
export const async_batch_arena = lib.func('async_batch_arena', 'void *', [AsyncBatchPtr]) as Native<
  (batch: RawPointer) => RawPointer
>;

/**
 * `AsyncBatchRun *async_batch_start(const AsyncBatch *batch, size_t count, FfiError *error)`: a run of the first
 * `count` jobs, which holds the memory until `async_batch_run` (any thread: `.async`) or `async_batch_run_cancel`
 * consumes it; NULL if `batch` is NULL, `count` exceeds its capacity or it is running already.
 */
export const async_batch_start = lib.func('async_batch_start', AsyncBatchRunPtr, [
  AsyncBatchPtr,
  'size_t',
  FfiErrorPtr,
]) as Native<(batch: RawPointer, count: number, error: RawPointer) => RawPointer>;

/** `FfiStatus async_batch_run(AsyncBatchRun *run)`: runs the jobs and ends the run (consumed). */
export const async_batch_run = lib.func('async_batch_run', 'int', [AsyncBatchRunPtr]) as Native<
  (run: RawPointer) => number
>;

/** `void async_batch_run_cancel(AsyncBatchRun *run)`: ends the run without running it (consumed). NULL: no-op. */
export const async_batch_run_cancel = lib.func('async_batch_run_cancel', 'void', [AsyncBatchRunPtr]) as Native<
  (run: RawPointer) => void
>;

/**
 * `FfiStatus async_batch_run_in_background(const AsyncBatch *batch, size_t count, FfiError *error)`: starts a run on
 * the library's own threads and returns at once; poll `async_batch_is_running`.
 */
export const async_batch_run_in_background = lib.func('async_batch_run_in_background', 'int', [
  AsyncBatchPtr,
  'size_t',
  FfiErrorPtr,
]) as Native<(batch: RawPointer, count: number, error: RawPointer) => number>;

/** `bool async_batch_is_running(const AsyncBatch *batch)`: true from the start until the run ended. */
export const async_batch_is_running = lib.func('async_batch_is_running', 'bool', [AsyncBatchPtr]) as Native<
  (batch: RawPointer) => boolean
>;

/** `size_t async_batch_live_count(void)`: batch memory blocks not yet freed, across all threads. */
export const async_batch_live_count = lib.func('async_batch_live_count', 'size_t', []) as Native<() => number>;

/** `size_t async_batch_thread_count(void)`: the library's background threads alive now. */
export const async_batch_thread_count = lib.func('async_batch_thread_count', 'size_t', []) as Native<() => number>;

/**
 * `FfiStatus async_batch_write_jobs(const AsyncBatch *batch, size_t first, const AsyncJob *jobs, size_t count)`:
 * copies `count` jobs (a `Uint32Array` of 14 words each, passed zero-copy) into the batch's table from job
 * `first`. `FFI_STATUS_NULL_ARGUMENT` for a NULL or freed batch (or NULL `jobs` with `count > 0`),
 * `FFI_STATUS_INVALID_ARGUMENT` past the capacity or while the batch runs; nothing is copied then.
 */
export const async_batch_write_jobs = lib.func('async_batch_write_jobs', 'int', [
  AsyncBatchPtr,
  'size_t',
  koffi.pointer(AsyncJob),
  'size_t',
]) as Native<(batch: RawPointer, first: number, jobs: Uint32Array | null, count: number) => number>;

/**
 * `FfiStatus async_batch_read_jobs(const AsyncBatch *batch, size_t first, AsyncJob *jobs, size_t count)`: copies
 * `count` jobs of the batch's table from job `first` into `jobs` (14 words each), with the checks and statuses of
 * `async_batch_write_jobs`.
 */
export const async_batch_read_jobs = lib.func('async_batch_read_jobs', 'int', [
  AsyncBatchPtr,
  'size_t',
  koffi.pointer(AsyncJob),
  'size_t',
]) as Native<(batch: RawPointer, first: number, jobs: Uint32Array | null, count: number) => number>;

/**
 * `FfiStatus async_batch_write_arena(const AsyncBatch *batch, size_t offset, const uint32_t *values, size_t len)`:
 * copies `len` values (a `Uint32Array`, passed zero-copy) into the batch's arena at `offset`, with the checks and
 * statuses of `async_batch_write_jobs` against the arena's length.
 */
export const async_batch_write_arena = lib.func('async_batch_write_arena', 'int', [
  AsyncBatchPtr,
  'size_t',
  koffi.pointer(koffi.types.uint32_t),
  'size_t',
]) as Native<(batch: RawPointer, offset: number, values: Uint32Array | null, len: number) => number>;

/**
 * `FfiStatus async_batch_read_arena(const AsyncBatch *batch, size_t offset, uint32_t *values, size_t len)`: copies
 * `len` values of the batch's arena from `offset` into `values`, with the checks and statuses of
 * `async_batch_write_arena`.
 */
export const async_batch_read_arena = lib.func('async_batch_read_arena', 'int', [
  AsyncBatchPtr,
  'size_t',
  koffi.pointer(koffi.types.uint32_t),
  'size_t',
]) as Native<(batch: RawPointer, offset: number, values: Uint32Array | null, len: number) => number>;

/**
 * How `ts/async.ts` runs a batch: `'koffi'`, through koffi's `.async` on libuv's thread pool, on Node.js, which
 * waits for a worker's running native calls before it frees the worker's memory (koffi's included); `'threads'`,
 * on the library's background threads, polled, everywhere else: Deno and Bun free a worker's memory while a
 * native call still runs in it (Bun crashes even with bare koffi `.async` calls in flight). The environment
 * variable `FFI_DEEP_DIVE_ASYNC` (`threads` or `koffi`), read at load, overrides the choice (tests use it).
 */
export const ASYNC_RUNNER: 'koffi' | 'threads' = chooseAsyncRunner(process.env.FFI_DEEP_DIVE_ASYNC, process.versions);

/** The runner for this runtime (see {@link ASYNC_RUNNER}). */
export function chooseAsyncRunner(
  override: string | undefined,
  versions: Readonly<Record<string, string | undefined>>,
): 'koffi' | 'threads' {
  if (override === 'threads' || override === 'koffi') return override;
  return versions.bun === undefined && versions.deno === undefined ? 'koffi' : 'threads';
}
