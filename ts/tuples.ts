/**
 * Tuples: a JS pair `[a, b]` crosses the boundary as the C struct
 * `Tuple { uint32_t _0; uint32_t _1; }`, by value.
 */
import { flip_things } from './raw/tuples';
import { invalidArgType, invalidArgValue, isArray, patchedRealm, structResultReadable, uint32 } from './validate';

/**
 * `[b, a]` for `[a, b]`, swapped by Rust (`flip_things`, a plain swap; the
 * FFI Omnibus's `flip_things_around`, with fields `x`/`y` and `(b + 1, a - 1)`,
 * is a different function): the pair is passed to Rust and returned by value
 * as a `Tuple`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `pair` is not an array or an element
 *   is not a number; `ERR_INVALID_ARG_VALUE` if it does not have exactly two elements
 * @throws RangeError `ERR_OUT_OF_RANGE` if an element is not an integer in [0, 2**32 - 1]
 * @throws Error `ERR_FFI_PATCHED_REALM` if `Object.prototype` has a property `_0` or `_1` (added after
 *   the package loaded, or before), which would take the result koffi returns
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
  // koffi fills its result object with [[Set]]: only with no `_0` or `_1` on
  // Object.prototype do they become own data properties that no code can change.
  if (!structResultReadable('_0', '_1')) {
    throw patchedRealm(
      'flipThings',
      'Object.prototype has a property named _0 or _1, which would intercept the pair koffi returns; remove it',
    );
  }
  const flipped = flip_things({ _0: a, _1: b });
  // A new array literal: its elements are defined, not assigned (no inherited setter runs).
  return [flipped._0 as B, flipped._1 as A];
}
