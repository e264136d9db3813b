/**
 * Raw declarations for the opaque module (`rust/src/opaque.rs`).
 *
 * An `OpaquePoint *` is a BigInt address in koffi 3, with no type attached:
 * any BigInt is accepted, so a wrong or already freed one crashes the
 * process (or worse). The public `OpaquePoint` class keeps its handle private
 * for that reason.
 */
import koffi from 'koffi';
import { lib } from './library';
import type { Native, NativeType } from './types';
import { Point, PointPtr } from './point';
import type { RawPointer } from './strings';

/** `typedef struct OpaquePoint OpaquePoint;`: incomplete, pointers only. Anonymous: see ts/raw/library.ts. */
export const OpaquePoint: NativeType = koffi.opaque();

/** `OpaquePoint *` */
export const OpaquePointPtr: NativeType = koffi.pointer(OpaquePoint);

/** `OpaquePoint *opaque_point_new(float x, float y)`: owned handle, free with `opaque_point_free` exactly once. */
export const opaque_point_new = lib.func('opaque_point_new', OpaquePointPtr, ['float', 'float']) as Native<
  (x: number, y: number) => RawPointer
>;

/**
 * `OpaquePoint *opaque_point_new_thread_owned(float x, float y)`: as `opaque_point_new`, and recorded in the
 * calling thread's registry: freed when the thread exits unless `opaque_point_free` (on that thread) freed it first.
 * The public `OpaquePoint` class uses it, so that a worker thread's points do not outlive the worker.
 */
export const opaque_point_new_thread_owned = lib.func('opaque_point_new_thread_owned', OpaquePointPtr, [
  'float',
  'float',
]) as Native<(x: number, y: number) => RawPointer>;

/** `size_t opaque_point_thread_owned_count(void)`: the calling thread's thread-owned handles not freed yet. */
export const opaque_point_thread_owned_count = lib.func('opaque_point_thread_owned_count', 'size_t', []) as Native<
  () => number
>;

/** `void opaque_point_translate(OpaquePoint *point, float by_x, float by_y)`: NULL is a no-op. */
export const opaque_point_translate = lib.func('opaque_point_translate', 'void', [
  OpaquePointPtr,
  'float',
  'float',
]) as Native<(point: RawPointer, by_x: number, by_y: number) => void>;

/**
 * `char *opaque_point_describe(const OpaquePoint *point)`, declared as returning `void *`: the result is an
 * owned string to decode and then free with `free_rust_string`. NULL for NULL.
 */
export const opaque_point_describe = lib.func('opaque_point_describe', 'void *', [OpaquePointPtr]) as Native<
  (point: RawPointer) => RawPointer
>;

/** `Point opaque_point_get(const OpaquePoint *point)`: a copy of the coordinates; `{ x: NaN, y: NaN }` for NULL. */
export const opaque_point_get = lib.func('opaque_point_get', Point, [OpaquePointPtr]) as Native<
  (point: RawPointer) => Point
>;

/**
 * `bool opaque_point_get_into(const OpaquePoint *point, Point *out)`: writes the coordinates into `out`, a
 * `Float32Array` of at least 2 elements (zero-copy: x at 0, y at 1), and returns true; false with
 * (NaN, NaN) written for NULL or a freed thread-owned handle, false and nothing written for a NULL `out`.
 * koffi checks neither the element type nor the length: a shorter array lets Rust write past its end.
 */
export const opaque_point_get_into = lib.func('opaque_point_get_into', 'bool', [OpaquePointPtr, PointPtr]) as Native<
  (point: RawPointer, out: Float32Array | null) => boolean
>;

/** `void opaque_point_free(OpaquePoint *point)`: NULL is a no-op; at most once per handle. */
export const opaque_point_free = lib.func('opaque_point_free', 'void', [OpaquePointPtr]) as Native<
  (point: RawPointer) => void
>;

/** `size_t opaque_point_live_count(void)`: handles created and not yet freed. */
export const opaque_point_live_count = lib.func('opaque_point_live_count', 'size_t', []) as Native<() => number>;
