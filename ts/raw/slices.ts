/**
 * Raw declarations for the slices module (`rust/src/slices.rs`).
 *
 * A `Uint32Array` passed for a `const uint32_t *` goes to Rust zero-copy (a
 * `subarray` view passes its own start). koffi does not check the element
 * type: a `Float64Array` or `Int32Array` is silently reinterpreted, and a
 * plain JS array is converted to a temporary C array. The public layer
 * (`ts/slices.ts`) refuses both.
 */
import koffi from 'koffi';
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native, NativeType } from './types';
import type { RawPointer } from './strings';

/** `#define PRIMES_UP_TO_MAX_LIMIT (1 << 30)`: the largest limit `primes_up_to` accepts. */
export const PRIMES_UP_TO_MAX_LIMIT = 2 ** 30;

/**
 * `typedef struct U32Array { uint32_t *data; size_t len; size_t capacity; } U32Array;`
 * (24 bytes on 64-bit targets). Declared anonymously: koffi type names are process-global.
 */
export const U32Array: NativeType = koffi.struct({
  data: koffi.pointer(koffi.types.uint32_t),
  len: 'size_t',
  capacity: 'size_t',
});

/** A `U32Array` as koffi decodes it: `data` is a BigInt address, or `null` for NULL. */
export interface U32ArrayValue {
  data: bigint | null;
  len: number;
  capacity: number;
}

/**
 * `uint64_t sum_of_even(const uint32_t *numbers, size_t length)`. koffi returns a
 * `number` up to 2^53 - 1 and a `bigint` above.
 */
export const sum_of_even = lib.func('uint64_t sum_of_even(const uint32_t *numbers, size_t length)') as Native<
  (numbers: Uint32Array | null, length: number) => number | bigint
>;

/**
 * `FfiStatus primes_up_to(uint32_t limit, U32Array *out, FfiError *error)`. `out` is a `BigUint64Array(3)`
 * laid out as the struct (`[data, len, capacity]`), written in place (zero-copy), or `null`; `error` an
 * address from `ffi_error_new` or `null`. On success the array it describes must go back to
 * `u32_array_free`, exactly once.
 */
export const primes_up_to = lib.func('primes_up_to', 'int', [
  'uint32_t',
  koffi.pointer(U32Array),
  FfiErrorPtr,
]) as Native<(limit: number, out: BigUint64Array | null, error: RawPointer) => number>;

/** `void u32_array_free(U32Array array)`: an empty array is a no-op; anything not from Rust crashes. */
export const u32_array_free = lib.func('u32_array_free', 'void', [U32Array]) as Native<(array: U32ArrayValue) => void>;

/**
 * `FfiStatus u32_array_move_into(U32Array *array, uint32_t *dest, size_t dest_len, FfiError *error)`. `array` is
 * the `BigUint64Array(3)` that `primes_up_to` filled (zero-copy), `dest` a `Uint32Array` with room for `len`
 * values; `error` an address from `ffi_error_new` or `null`. On success the values are copied, the Rust array is
 * freed and `array` is zeroed; on error nothing changes.
 */
export const u32_array_move_into = lib.func('u32_array_move_into', 'int', [
  koffi.pointer(U32Array),
  koffi.pointer(koffi.types.uint32_t),
  'size_t',
  FfiErrorPtr,
]) as Native<(array: BigUint64Array | null, dest: Uint32Array | null, dest_len: number, error: RawPointer) => number>;

/** `size_t u32_array_live_count(void)`: arrays handed out and not freed yet. */
export const u32_array_live_count = lib.func('size_t u32_array_live_count(void)') as Native<() => number>;

/**
 * `FfiStatus primes_up_to_into(uint32_t limit, uint32_t *dest, size_t dest_len, size_t *written, FfiError *error)`:
 * the primes `<= limit` written into `dest` (a `Uint32Array`, zero-copy, or `null` with `dest_len` 0), their count
 * into `written` (a `BigUint64Array(1)`). `dest_len` below the capacity the sieve needs gives BUFFER_TOO_SMALL with
 * that capacity in `written` (nothing sieved). Nothing to free. `error` an address from `ffi_error_new` or `null`.
 */
export const primes_up_to_into = lib.func('primes_up_to_into', 'int', [
  'uint32_t',
  koffi.pointer(koffi.types.uint32_t),
  'size_t',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (
    limit: number,
    dest: Uint32Array | null,
    dest_len: number,
    written: BigUint64Array | null,
    error: RawPointer,
  ) => number
>;
