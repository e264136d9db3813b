/**
 * Tuples: a JS pair `[a, b]` crosses the boundary as the C struct
 * `Tuple { uint32_t _0; uint32_t _1; }`, by value.
 */
import { flip_things } from './raw/tuples';
import { uint32 } from './validate';

/**
 * `[b, a]` for `[a, b]`, swapped by Rust (`flip_things`, a plain swap; the
 * FFI Omnibus's `flip_things_around`, with fields `x`/`y` and `(b + 1, a - 1)`,
 * is a different function): the pair is passed to Rust and returned by value
 * as a `Tuple`.
 *
 * @throws TypeError if `pair` is not an array of exactly two elements, or an
 *   element is not an integer number
 * @throws RangeError if an element is outside the uint32 range [0, 2**32 - 1]
 * @example flipThings([1, 2]) // [2, 1]
 */
export function flipThings<A extends number, B extends number>(pair: readonly [A, B]): [B, A] {
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new TypeError(
      `pair must be an array of two uint32 numbers, got ${Array.isArray(pair) ? `an array of length ${pair.length}` : typeof pair}`,
    );
  }
  const flipped = flip_things({ _0: uint32(pair[0], 'pair[0]'), _1: uint32(pair[1], 'pair[1]') });
  return [flipped._0 as B, flipped._1 as A];
}
