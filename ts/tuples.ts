/**
 * Tuples: a JS pair `[a, b]` crosses the boundary as the C struct
 * `Tuple { uint32_t _0; uint32_t _1; }`, by value.
 */
import { flip_things } from './raw/tuples';
import { invalidArgType, invalidArgValue, isArray, uint32 } from './validate';

/**
 * `[b, a]` for `[a, b]`, swapped by Rust (`flip_things`, a plain swap; the
 * FFI Omnibus's `flip_things_around`, with fields `x`/`y` and `(b + 1, a - 1)`,
 * is a different function): the pair is passed to Rust and returned by value
 * as a `Tuple`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `pair` is not an array or an element
 *   is not a number; `ERR_INVALID_ARG_VALUE` if it does not have exactly two elements
 * @throws RangeError `ERR_OUT_OF_RANGE` if an element is not an integer in [0, 2**32 - 1]
 * @example flipThings([1, 2]) // [2, 1]
 */
export function flipThings<A extends number, B extends number>(pair: readonly [A, B]): [B, A] {
  if (!isArray(pair)) throw invalidArgType('flipThings', 'pair', 'an array of two uint32 numbers', pair);
  // Read once each, before the call (a Proxy's traps or getters run here).
  const length: unknown = pair.length;
  if (length !== 2) {
    throw invalidArgValue(
      'flipThings',
      'pair',
      `have exactly two elements, got length ${typeof length === 'number' ? length : typeof length}`,
    );
  }
  const a = uint32(pair[0], 'flipThings', 'pair[0]');
  const b = uint32(pair[1], 'flipThings', 'pair[1]');
  const flipped = flip_things({ _0: a, _1: b });
  return [flipped._0 as B, flipped._1 as A];
}
