/**
 * Raw declarations for the tuples module (`rust/src/tuples.rs`): the tuple
 * struct `Tuple`, a C struct with fields `_0` and `_1`, passed by value.
 */
import koffi from 'koffi';
import { lib } from './library';
import type { Native, NativeType } from './types';

/** `struct Tuple { uint32_t _0; uint32_t _1; }` (declared anonymously: koffi type names are process-global). */
export const Tuple: NativeType = koffi.struct({ _0: 'uint32_t', _1: 'uint32_t' });

/** A `Tuple` as koffi passes and returns it. No range check: koffi wraps out-of-range numbers. */
export interface TupleValue {
  /** The first element. */
  _0: number;
  /** The second element. */
  _1: number;
}

/** `Tuple flip_things(Tuple t)`: by value both ways. */
export const flip_things = lib.func('flip_things', Tuple, [Tuple]) as Native<(t: TupleValue) => TupleValue>;

/** `Tuple *` (also `const Tuple *`). */
export const TuplePtr: NativeType = koffi.pointer(Tuple);

/**
 * `bool flip_things_into(const Tuple *t, Tuple *out)`: writes `t` flipped into `out` and returns true; false
 * and nothing written if either is NULL. Pass `Uint32Array`s of at least 2 elements (zero-copy: `_0` at 0,
 * `_1` at 1); `out` may be `t` itself. koffi checks neither the element type nor the length.
 */
export const flip_things_into = lib.func('flip_things_into', 'bool', [TuplePtr, TuplePtr]) as Native<
  (t: Uint32Array | null, out: Uint32Array | null) => boolean
>;
