/**
 * Tuples: a JS pair `[a, b]` crosses the boundary as the C struct
 * `Tuple { uint32_t _0; uint32_t _1; }`, laid out in a `Uint32Array` of
 * two elements (`_0` at 0, `_1` at 1) that Rust reads and writes in place
 * (`flip_things_into`). koffi never builds an object from a returned
 * `Tuple` (as it would for the by-value `flip_things`), so no accessor named
 * `_0` or `_1` on `Object.prototype` can see or change a result.
 */
import { flip_things_into } from './raw/tuples';
import { ErrorCtor, Uint32ArrayCtor } from './primordials';
import { invalidArgType, invalidArgValue, isArray, uint32 } from './validate';

/** The pair Rust flips in place: module-private, written and read back with no JS in between. */
const scratchPair = new Uint32ArrayCtor(2);

/**
 * `[b, a]` for `[a, b]`, swapped by Rust (`flip_things_into`, the plain swap
 * of `flip_things`; the FFI Omnibus's `flip_things_around`, with fields
 * `x`/`y` and `(b + 1, a - 1)`, is a different function): the pair is copied
 * into memory laid out as a `Tuple`, which Rust flips in place. The result is
 * a new array.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `pair` is not an array or an element
 *   is not a number; `ERR_INVALID_ARG_VALUE` if it does not have exactly two elements
 * @throws RangeError `ERR_OUT_OF_RANGE` if an element is not an integer in [0, 2**32 - 1]
 * @example flipThings([1, 2]) // [2, 1]
 */
export function flipThings<A extends number, B extends number>(pair: readonly [A, B]): [B, A] {
  if (!isArray(pair)) throw invalidArgType('flipThings', 'pair', 'an array of two uint32 numbers', pair);
  // Read once each, before the call (a Proxy's traps or getters run here).
  const length: unknown = pair.length; // the caller's own array (or Proxy): user code may run
  if (length !== 2) {
    throw invalidArgValue(
      'flipThings',
      'pair',
      `have exactly two elements, got length ${typeof length === 'number' ? length : typeof length}`,
    );
  }
  // eslint-disable-next-line local/prefer-primordials -- the caller's own array: its getters and traps are user code, run once each before the native call
  const a = uint32(pair[0], 'flipThings', 'pair[0]');
  // eslint-disable-next-line local/prefer-primordials -- as above
  const b = uint32(pair[1], 'flipThings', 'pair[1]');
  // From here to the literal, no JS but ours runs: the scratch cannot change under us.
  scratchPair[0] = a;
  scratchPair[1] = b;
  if (!flip_things_into(scratchPair, scratchPair)) {
    throw new ErrorCtor('flipThings: flip_things_into returned false (an internal panic in Rust)');
  }
  // A new array literal: its elements are defined, not assigned (no inherited setter runs).
  return [scratchPair[0] as B, scratchPair[1] as A];
}
