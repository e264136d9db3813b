/**
 * Raw declarations for the unions module (`rust/src/unions.rs`): the untagged
 * union `IntOrFloat` and the tagged union `Either`.
 *
 * The type objects are exported under their C names so that layout checks can
 * `koffi.sizeof/alignof/offsetof` them. They are declared anonymously: koffi
 * type names are process-global, and a named type would be declared twice when
 * the module is evaluated twice (jest does that).
 */
import koffi from 'koffi';
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native, NativeType, NativeUnion } from './types';
import type { RawPointer } from './strings';

/** `union IntOrFloat { int32_t as_int; float as_float; }` */
export const IntOrFloat: NativeType = koffi.union({ as_int: 'int32_t', as_float: 'float' });

/**
 * An `IntOrFloat` argument: an object literal setting exactly one member, or a
 * `koffi.Union(IntOrFloat)` instance.
 */
export type IntOrFloatIn = { as_int: number } | { as_float: number } | NativeUnion;

/** An `IntOrFloat` returned by value: koffi decodes a member when it is read. */
export interface IntOrFloatOut {
  /** The four bytes as an `int32_t`. */
  readonly as_int: number;
  /** The four bytes as a `float` (widened to a JS number). */
  readonly as_float: number;
}

/** `IntOrFloat int_or_float_from_float(float value)` */
export const int_or_float_from_float = lib.func('int_or_float_from_float', IntOrFloat, ['float']) as Native<
  (value: number) => IntOrFloatOut
>;

/** `float int_or_float_as_float(IntOrFloat value)` */
export const int_or_float_as_float = lib.func('int_or_float_as_float', 'float', [IntOrFloat]) as Native<
  (value: IntOrFloatIn) => number
>;

/** `int32_t int_or_float_as_int(IntOrFloat value)` */
export const int_or_float_as_int = lib.func('int_or_float_as_int', 'int32_t', [IntOrFloat]) as Native<
  (value: IntOrFloatIn) => number
>;

/** `#define EITHER_LEFT 0`: `Either.tag` when `value.left` is valid. */
export const EITHER_LEFT = 0;

/** `#define EITHER_RIGHT 1`: `Either.tag` when `value.right` is valid. */
export const EITHER_RIGHT = 1;

/** `union EitherValue { int32_t left; float right; }` */
export const EitherValue: NativeType = koffi.union({ left: 'int32_t', right: 'float' });

/** `struct Either { uint32_t tag; EitherValue value; }` */
export const Either: NativeType = koffi.struct({ tag: 'uint32_t', value: EitherValue });

/**
 * `FfiStatus parse_number(const char *text, Either *out, FfiError *error)`.
 *
 * `out` is memory of at least `koffi.sizeof(Either)` bytes (any typed array
 * over it, zero-copy): read the tag and the member it names at the offsets
 * `koffi.offsetof` gives. A string `text` is encoded as UTF-8 by koffi; pass a
 * NUL-terminated `Uint8Array` for raw bytes. `error` is an address from `ffi_error_new` or `null`.
 */
export const parse_number = lib.func('parse_number', 'int', [
  'const char *',
  koffi.pointer(Either),
  FfiErrorPtr,
]) as Native<(text: string | Uint8Array | null, out: ArrayBufferView | null, error: RawPointer) => number>;
