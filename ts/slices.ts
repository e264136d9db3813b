/**
 * Slices: arrays into Rust without a copy, and arrays out of Rust copied once.
 *
 * A `Uint32Array` (or a `subarray` view of one) is lent to Rust zero-copy; a
 * plain array of numbers is validated and copied into one first. Other typed
 * arrays are refused with `TypeError`, because koffi would silently
 * reinterpret their bytes. Arrays that Rust returns are copied into a fresh
 * `Uint32Array` and the Rust memory is freed before the function returns:
 * there is nothing for the caller to free.
 */
import { PRIMES_UP_TO_MAX_LIMIT, primes_up_to, sum_of_even, u32_array_free, u32_array_move_into } from './raw/slices';
import { check, syncError } from './status';
import { outOfRange, resultOutOfRange, TypedArrayPrototypeGetLength, uint32, uint32Array } from './validate';

/**
 * Captured at load: Rust writes into arrays made with them and frees with the
 * lengths they give, whatever user code does to the globals later.
 */
const U32 = Uint32Array;
const toNumber = Number;

export { PRIMES_UP_TO_MAX_LIMIT };

/**
 * A sum as koffi returns a `uint64_t` (`number` up to 2^53 inclusive, `bigint`
 * above), as a number, or a `RangeError` if a number cannot hold it exactly.
 */
function exactNumber(sum: number | bigint, operation: string, alternative: string): number {
  // 2^53 itself is no safe integer: 2^53 + 1 would round to it.
  if (typeof sum === 'number' && sum < 2 ** 53) return sum;
  throw resultOutOfRange(
    operation,
    `the sum ${sum} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use ${alternative}, which returns a bigint`,
  );
}

/**
 * The sum of the even values in `numbers`, computed by Rust.
 *
 * A `Uint32Array` is passed without copying (a `subarray` view sums just its
 * window; a subclass or a length-tracking view of a resizable buffer sums
 * the elements the engine says it has; a detached one is empty). One backed
 * by a `SharedArrayBuffer` is copied first (a snapshot: another thread may
 * write it while Rust reads). A plain array is checked and copied once. The result is exact: a
 * sum above `Number.MAX_SAFE_INTEGER` (possible from 2^21 elements on) throws
 * a `RangeError` instead of rounding; {@link sumOfEvenBigInt} returns any sum.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `numbers` is not a `Uint32Array` or an
 *   array (an `Int32Array`, `Float64Array`, `Uint8Array`, `Buffer`, `DataView`, a
 *   Proxy of a typed array... is refused), or an element is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` for an array element that is not an integer
 *   in [0, 2^32 - 1] (the message names its index), or a sum above 2^53 - 1
 * @example sumOfEven([1, 2, 3, 4]) // 6
 * @example sumOfEven(new Uint32Array([1, 2, 3, 4]).subarray(2)) // 4
 */
export function sumOfEven(numbers: Uint32Array | readonly number[]): number {
  const array = uint32Array(numbers, 'sumOfEven', 'numbers');
  // The length from the intrinsic: koffi passes the view's own pointer, and
  // Rust reads exactly this many elements of it.
  return exactNumber(sum_of_even(array, TypedArrayPrototypeGetLength(array)), 'sumOfEven', 'sumOfEvenBigInt()');
}

/**
 * {@link sumOfEven} as a `bigint`: exact for any input size.
 *
 * @throws TypeError, RangeError as {@link sumOfEven} (except for the size of the sum)
 * @example sumOfEvenBigInt(new Uint32Array(1 << 22).fill(0xfffffffe)) // 18014398501093376n
 */
export function sumOfEvenBigInt(numbers: Uint32Array | readonly number[]): bigint {
  const array = uint32Array(numbers, 'sumOfEvenBigInt', 'numbers');
  return BigInt(sum_of_even(array, TypedArrayPrototypeGetLength(array)));
}

/** Checks a `primesUpTo` limit: a uint32 no larger than {@link PRIMES_UP_TO_MAX_LIMIT}. */
export function checkPrimesLimit(limit: unknown, fn: string): number {
  const n = uint32(limit, fn, 'limit');
  if (n > PRIMES_UP_TO_MAX_LIMIT) {
    throw outOfRange(fn, 'limit', `at most PRIMES_UP_TO_MAX_LIMIT (2^30 = ${PRIMES_UP_TO_MAX_LIMIT})`, n);
  }
  return n;
}

/**
 * Moves the Rust-owned array described by `out` (a `U32Array` laid out as
 * `[data, len, capacity]`) into a new `Uint32Array` that JS owns: Rust copies
 * the values and frees its array in the same call (`u32_array_move_into`), so
 * no native memory outlives the call. (A `koffi.view` of the Rust memory
 * would pin an external `ArrayBuffer` until the event loop turns: 3,000,000
 * calls in one loop held about 720 MiB that way, and cost more even for large
 * results: the copy adds about 2% to `primesUpTo(1e8)` against a view that
 * copies nothing, and a view costs ~1.3 µs more per call for small ones.) If the JS allocation
 * throws, or Rust fails, the Rust array is freed before the error propagates
 * (an FfiError names `operation`).
 */
export function takeU32Array(out: BigUint64Array, operation: string): Uint32Array {
  try {
    const values = new U32(toNumber(out[1]));
    // Fails only on an internal panic: the array is Rust's, unchanged, and `values` has room for it.
    // Its capacity comes from the captured getter: a patched `length` cannot make Rust write past it.
    check(u32_array_move_into(out, values, TypedArrayPrototypeGetLength(values), syncError), operation);
    return values;
  } catch (error) {
    // The allocation threw or Rust refused the move: the array is still Rust's, unchanged.
    u32_array_free({ data: out[0], len: toNumber(out[1]), capacity: toNumber(out[2]) });
    out.fill(0n);
    throw error;
  }
}

/** Reused by the synchronous primesUpTo only (one per module instance). */
const primesOut = new BigUint64Array(3);

/**
 * The prime numbers `<= limit`, in increasing order, sieved by Rust.
 *
 * The result is a fresh `Uint32Array` owned by JS; the Rust memory was copied
 * once and freed already. For large limits prefer {@link primesUpToAsync},
 * which does not block the event loop.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `limit` is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` if `limit` is not an integer, negative or above
 *   {@link PRIMES_UP_TO_MAX_LIMIT} (2^30)
 * @example primesUpTo(20) // Uint32Array [2, 3, 5, 7, 11, 13, 17, 19]
 */
export function primesUpTo(limit: number): Uint32Array {
  const n = checkPrimesLimit(limit, 'primesUpTo');
  check(primes_up_to(n, primesOut, syncError), 'primesUpTo');
  return takeU32Array(primesOut, 'primesUpTo');
}
