/**
 * Slices: arrays into Rust without a copy, and arrays out of Rust written into JS memory.
 *
 * A `Uint32Array` (or a `subarray` view of one) is lent to Rust zero-copy; a
 * plain array of numbers is validated and copied into one first. Other typed
 * arrays are refused with `TypeError`, because koffi would silently
 * reinterpret their bytes. Arrays that Rust produces are written by Rust
 * into a `Uint32Array` that JS owns, in the one native call: no Rust memory
 * is held across JavaScript, so there is nothing to free and nothing to leak.
 */
import { PRIMES_UP_TO_MAX_LIMIT, primes_up_to_into, sum_of_even } from './raw/slices';
import {
  BigIntCtor,
  BigUint64ArrayCtor,
  NumberCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  Uint32ArrayCtor,
} from './primordials';
import { check, FfiStatus, syncError } from './status';
import { outOfRange, resultOutOfRange, uint32, uint32Array } from './validate';

const U32 = Uint32ArrayCtor;

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
  return BigIntCtor(sum_of_even(array, TypedArrayPrototypeGetLength(array)));
}

/** Checks a `primesUpTo` limit: a uint32 no larger than {@link PRIMES_UP_TO_MAX_LIMIT}. */
export function checkPrimesLimit(limit: unknown, fn: string): number {
  const n = uint32(limit, fn, 'limit');
  if (n > PRIMES_UP_TO_MAX_LIMIT) {
    throw outOfRange(fn, 'limit', `at most PRIMES_UP_TO_MAX_LIMIT (2^30 = ${PRIMES_UP_TO_MAX_LIMIT})`, n);
  }
  return n;
}

/** `primes_up_to_into`'s `written` (reused: read right after each call). */
const primesWritten = new BigUint64ArrayCtor(1);

/**
 * Where small results are sieved (reused: the call runs no JS), then copied
 * into a fresh array of their exact length: 64 KiB, enough for every limit
 * up to 156,107.
 */
const PRIMES_SCRATCH_LENGTH = 1 << 14;
const primesScratch = new U32(PRIMES_SCRATCH_LENGTH);

/**
 * The prime numbers `<= limit`, in increasing order, sieved by Rust.
 *
 * The result is a fresh `Uint32Array` owned by JS: Rust writes the primes
 * straight into JS memory in one call (`primes_up_to_into`), so no native
 * memory is ever held across JavaScript (nothing can leak, even if the
 * stack runs out in the middle). Above 156,107, the result is a view
 * of exactly the primes over a buffer sized by the sieve's upper bound on
 * their count (up to about 20% larger). For large limits prefer
 * {@link primesUpToAsync}, which does not block the event loop.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `limit` is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` if `limit` is not an integer, negative or above
 *   {@link PRIMES_UP_TO_MAX_LIMIT} (2^30)
 * @example primesUpTo(20) // Uint32Array [2, 3, 5, 7, 11, 13, 17, 19]
 */
export function primesUpTo(limit: number): Uint32Array {
  const n = checkPrimesLimit(limit, 'primesUpTo');
  const status = primes_up_to_into(n, primesScratch, PRIMES_SCRATCH_LENGTH, primesWritten, syncError);
  if (status === FfiStatus.OK) {
    const count = NumberCtor(primesWritten[0]);
    const primes = new U32(count);
    if (count !== 0) TypedArrayPrototypeSet(primes, new U32(TypedArrayPrototypeGetBuffer(primesScratch), 0, count));
    return primes;
  }
  if (status !== FfiStatus.BUFFER_TOO_SMALL) check(status, 'primesUpTo');
  // Too many for the scratch: a JS array of the capacity Rust asked for.
  const dest = new U32(NumberCtor(primesWritten[0]));
  check(primes_up_to_into(n, dest, TypedArrayPrototypeGetLength(dest), primesWritten, syncError), 'primesUpTo');
  const count = NumberCtor(primesWritten[0]);
  return count === TypedArrayPrototypeGetLength(dest) ? dest : new U32(TypedArrayPrototypeGetBuffer(dest), 0, count);
}
