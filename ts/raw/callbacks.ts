/**
 * Raw declarations for the callbacks module (`rust/src/callbacks.rs`).
 *
 * A JS function passed for the `predicate` parameter becomes a koffi
 * *transient* callback: valid only during the `count_where` call, released
 * when it returns, so nothing needs unregistering. If it throws, koffi stops
 * running it but Rust is never told: the remaining values get unspecified
 * answers and the loop runs to the end, after which koffi rethrows the
 * exception. The public layer (`ts/callbacks.ts`) catches the exception in a
 * trampoline and answers `COUNT_WHERE_STOP` instead, so Rust stops at once.
 */
import koffi from 'koffi';
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native, NativeType } from './types';
import type { RawPointer } from './strings';

/** `#define COUNT_WHERE_MATCH 1`: the value matches. */
export const COUNT_WHERE_MATCH = 1;
/** `#define COUNT_WHERE_NO_MATCH 0`: the value does not match. */
export const COUNT_WHERE_NO_MATCH = 0;
/** `#define COUNT_WHERE_STOP -1`: stop counting (any negative value does). */
export const COUNT_WHERE_STOP = -1;
/**
 * `#define COUNT_WHERE_MAX_DEPTH 256`: the deepest that `count_where` calls may nest on one thread; the
 * call one level deeper returns `FFI_STATUS_INVALID_ARGUMENT` without calling its predicate.
 */
export const COUNT_WHERE_MAX_DEPTH = 256;

/**
 * `typedef int (*CountWherePredicate)(uint32_t value, void *user_data)`: the prototype
 * (declared anonymously; use `koffi.pointer(CountWherePredicate)` for the pointer type).
 */
export const CountWherePredicate: NativeType = koffi.proto('int', ['uint32_t', 'void *']);

/** A JS predicate as koffi calls it: `userData` is a BigInt address or `null`. */
export type CountWherePredicateFn = (value: number, userData: bigint | null) => number;

/**
 * `FfiStatus count_where(const uint32_t *numbers, size_t length, CountWherePredicate predicate,
 * void *user_data, size_t *out, FfiError *error)`. `out` is a `BigUint64Array(1)` or `null`; `error` an
 * address from `ffi_error_new` or `null` (written only after the predicate's last call).
 */
export const count_where = lib.func('count_where', 'int', [
  'const uint32_t *',
  'size_t',
  koffi.pointer(CountWherePredicate),
  'void *',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (
    numbers: Uint32Array | null,
    length: number,
    predicate: CountWherePredicateFn | bigint | null,
    userData: bigint | null,
    out: BigUint64Array | null,
    error: RawPointer,
  ) => number
>;
