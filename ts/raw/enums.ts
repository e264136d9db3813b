/**
 * Raw declarations for the enums module (`rust/src/enums.rs`): `Shape`, a Rust
 * `#[repr(u32)]` enum with data, which C sees as a union of one struct per
 * variant, each starting with the `uint32_t` tag (RFC 2195).
 *
 * koffi has no tagged-union type: `Shape` is declared as the plain union it is
 * in C, and the caller writes the tag and the matching member. The type
 * objects are anonymous (koffi type names are process-global) and exported
 * under their C names.
 */
import koffi from 'koffi';
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native, NativeType } from './types';
import type { RawPointer } from './strings';

/** `typedef uint32_t Shape_Tag` (C++: `enum Shape_Tag : uint32_t`). */
export const Shape_Tag: NativeType = koffi.type('uint32_t');

/** `Shape_Tag` value: the `CIRCLE` member is valid. */
export const SHAPE_CIRCLE = 0;
/** `Shape_Tag` value: the `RECTANGLE` member is valid. */
export const SHAPE_RECTANGLE = 1;
/** `Shape_Tag` value: the `TRIANGLE` member is valid. */
export const SHAPE_TRIANGLE = 2;

/** `struct Shape_Circle_Body { Shape_Tag tag; double radius; }` */
export const Shape_Circle_Body: NativeType = koffi.struct({ tag: Shape_Tag, radius: 'double' });

/** `struct Shape_Rectangle_Body { Shape_Tag tag; double width; double height; }` */
export const Shape_Rectangle_Body: NativeType = koffi.struct({ tag: Shape_Tag, width: 'double', height: 'double' });

/** `struct Shape_Triangle_Body { Shape_Tag tag; double a; double b; double c; }` */
export const Shape_Triangle_Body: NativeType = koffi.struct({ tag: Shape_Tag, a: 'double', b: 'double', c: 'double' });

/** `union Shape { Shape_Tag tag; Shape_Circle_Body CIRCLE; Shape_Rectangle_Body RECTANGLE; Shape_Triangle_Body TRIANGLE; }` */
export const Shape: NativeType = koffi.union({
  tag: Shape_Tag,
  CIRCLE: Shape_Circle_Body,
  RECTANGLE: Shape_Rectangle_Body,
  TRIANGLE: Shape_Triangle_Body,
});

/** A `Shape` as a koffi union object literal: exactly one member, whose `tag` matches it. */
export type ShapeIn =
  | { CIRCLE: { tag: number; radius: number } }
  | { RECTANGLE: { tag: number; width: number; height: number } }
  | { TRIANGLE: { tag: number; a: number; b: number; c: number } };

/**
 * `FfiStatus shape_area(const Shape *shape, double *out, FfiError *error)`.
 *
 * `shape` is either memory laid out as a `Shape` (a typed array of at least
 * `koffi.sizeof(Shape)` bytes, zero-copy) or a {@link ShapeIn} object that koffi
 * marshals; `out` is a `Float64Array(1)`; `error` an address from `ffi_error_new` or `null`.
 */
export const shape_area = lib.func('shape_area', 'int', [koffi.pointer(Shape), 'double *', FfiErrorPtr]) as Native<
  (shape: ArrayBufferView | ShapeIn | null, out: Float64Array | null, error: RawPointer) => number
>;

/**
 * `FfiStatus shape_scale(Shape *shape, double factor, FfiError *error)`: scales in place, so
 * pass memory (a typed array over a `Shape`) to see the result.
 */
export const shape_scale = lib.func('shape_scale', 'int', [koffi.pointer(Shape), 'double', FfiErrorPtr]) as Native<
  (shape: ArrayBufferView | ShapeIn | null, factor: number, error: RawPointer) => number
>;
