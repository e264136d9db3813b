/** Raw declarations for the numbers module (`rust/src/numbers.rs`). No validation: koffi truncates and wraps silently. */
import { lib } from './library';
import type { Native } from './types';

/** `int add_in_rust(int a, int b)` */
export const add_in_rust = lib.func('int add_in_rust(int a, int b)') as Native<(a: number, b: number) => number>;

/** `FfiStatus add_in_rust_checked(int a, int b, int *out)`: `out` is an `Int32Array` of length ≥ 1 (zero-copy). */
export const add_in_rust_checked = lib.func('int add_in_rust_checked(int a, int b, int *out)') as Native<
  (a: number, b: number, out: Int32Array | null) => number
>;
