/**
 * Numbers: `int` in, `int` out. The API checks that each argument is an
 * integer in the int32 range first, because koffi itself would silently
 * truncate `3.7` to `3` and wrap `2 ** 31` to `-2 ** 31`.
 */
import { add_in_rust, add_in_rust_checked } from './raw/numbers';
import { Int32ArrayCtor } from './primordials';
import { check, syncError } from './status';
import { int32 } from './validate';

/**
 * `a + b` computed in Rust, wrapping on overflow like C's `int` arithmetic in
 * two's complement: `addInRust(2 ** 31 - 1, 1) === -(2 ** 31)`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if an argument is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` if an argument is not an integer or is outside the int32 range
 * @example addInRust(2, 3) // 5
 */
export function addInRust(a: number, b: number): number {
  // The int32 check inlined: `(x | 0) === x` holds only for int32 numbers
  // (typeof first, so that `|` never calls an object's valueOf). Anything
  // else goes through int32() for the exact error.
  // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path: int32() returns the int32 numbers it lets through unchanged, so skipping it (false, or an empty block) gives the same sums and errors.
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) {
    return add_in_rust(a, b);
  }
  return add_in_rust(int32(a, 'addInRust', 'a'), int32(b, 'addInRust', 'b'));
}

const sumOut = new Int32ArrayCtor(1);

/**
 * `a + b` computed in Rust, refusing to overflow.
 *
 * @throws FfiError with status `'OVERFLOW'` when the sum does not fit in int32
 * @throws TypeError / RangeError for arguments as in {@link addInRust}
 * @example addChecked(40, 2) // 42
 */
export function addChecked(a: number, b: number): number {
  check(add_in_rust_checked(int32(a, 'addChecked', 'a'), int32(b, 'addChecked', 'b'), sumOut, syncError), 'addChecked');
  return sumOut[0];
}
