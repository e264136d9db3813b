/**
 * Callbacks: Rust calls a JS function.
 *
 * The JS predicate is wrapped in a trampoline that koffi passes to Rust as a
 * transient callback (valid for one call, released when it returns, so
 * nothing can leak). The trampoline answers Rust with the C protocol's
 * tri-state `int`: match, no match, or stop. A JS exception becomes "stop":
 * Rust makes no further calls and returns `CANCELLED`, and `countWhere` then
 * rethrows the very exception the predicate threw.
 */
import { COUNT_WHERE_MATCH, COUNT_WHERE_NO_MATCH, COUNT_WHERE_STOP, count_where } from './raw/callbacks';
import { check, syncError } from './status';
import { uint32Array } from './validate';

/**
 * Reused by every call. Safe for re-entrant calls (a predicate that calls
 * countWhere): Rust writes it only when the call returns, and it is read
 * right after.
 */
const countOut = new BigUint64Array(1);

/**
 * How many values of `numbers` satisfy `predicate`, counted by Rust, which
 * calls `predicate` once per value, in order, synchronously.
 *
 * The predicate's result is taken for its truthiness, as in
 * `Array.prototype.filter`, so `countWhere(a, p)` equals
 * `[...a].filter(p).length`. If the predicate throws, Rust stops at once
 * (the predicate is not called for the following values) and `countWhere`
 * throws the same exception value.
 *
 * @throws TypeError if `numbers` is not a `Uint32Array` or an array of
 *   numbers, or `predicate` is not a function
 * @throws RangeError for an array element that is not an integer in [0, 2^32 - 1]
 * @throws whatever `predicate` throws
 * @example countWhere([1, 2, 3, 4, 5], (n) => n % 2 === 1) // 3
 */
export function countWhere(numbers: Uint32Array | readonly number[], predicate: (value: number) => boolean): number {
  const array = uint32Array(numbers, 'numbers');
  if (typeof predicate !== 'function') {
    throw new TypeError(`predicate must be a function, got ${predicate === null ? 'null' : typeof predicate}`);
  }
  // One holder per call, so nested or re-entrant calls cannot mix up errors.
  let failure: { error: unknown } | undefined;
  const trampoline = (value: number): number => {
    try {
      return predicate(value) ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
    } catch (error) {
      failure = { error };
      return COUNT_WHERE_STOP;
    }
  };
  const status = count_where(array, array.length, trampoline, null, countOut, syncError);
  if (failure !== undefined) {
    throw failure.error;
  }
  // CANCELLED without a JS exception cannot happen (only the trampoline
  // stops); if it ever did, it would surface as an FfiError here.
  check(status, 'countWhere');
  return Number(countOut[0]);
}
