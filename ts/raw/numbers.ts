/** Raw declarations for the numbers module (`rust/src/numbers.rs`). No validation: koffi truncates and wraps silently. */
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native } from './types';
import type { RawPointer } from './strings';

/** `int add_in_rust(int a, int b)` */
export const add_in_rust = lib.func('int add_in_rust(int a, int b)') as Native<(a: number, b: number) => number>;

/**
 * `FfiStatus add_in_rust_checked(int a, int b, int *out, FfiError *error)`: `out` is an `Int32Array` of
 * length ≥ 1 (zero-copy); `error` an address from `ffi_error_new` or `null`.
 */
export const add_in_rust_checked = lib.func('add_in_rust_checked', 'int', [
  'int',
  'int',
  'int *',
  FfiErrorPtr,
]) as Native<(a: number, b: number, out: Int32Array | null, error: RawPointer) => number>;
