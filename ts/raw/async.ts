/**
 * Raw declarations for the async module (`rust/src/async.rs`): a table of
 * slices jobs run in one native call.
 *
 * `async_jobs_run` takes the table and the arena as any writable buffer (a
 * `Uint32Array` over them is passed zero-copy) and checks every job's range
 * against `arena_len`, but it trusts `count` and `arena_len` to describe the
 * buffers: larger values make Rust read and write past them. The public layer
 * (`ts/async.ts`) owns both buffers and never lends them to user code.
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
