/**
 * Raw declarations for the point module (`rust/src/point.rs`).
 *
 * `Point *` parameters take a `Float32Array` (zero-copy: element 0 is `x`,
 * element 1 is `y`, and Rust writes straight into the JS memory). koffi does
 * not check the element type, nor that the array is long enough: a
 * `Float32Array` shorter than `2 * count` elements lets Rust write past its
 * end. A plain `{ x, y }` object would be copied in and never copied back.
 */
import koffi from 'koffi';
import { lib } from './library';
import type { Native, NativeType } from './types';

/** `typedef struct Point { float x; float y; } Point;` (8 bytes, 4-byte aligned). Anonymous: see ts/raw/library.ts. */
export const Point: NativeType = koffi.struct({ x: 'float', y: 'float' });

/** A `Point` as koffi converts it to and from JS for by-value parameters and returns. */
export type Point = { x: number; y: number };

/** `Point *` */
export const PointPtr: NativeType = koffi.pointer(Point);

/** `void point_translate(Point *point, float by_x, float by_y)`: NULL is a no-op. */
export const point_translate = lib.func('point_translate', 'void', [PointPtr, 'float', 'float']) as Native<
  (point: Float32Array | null, by_x: number, by_y: number) => void
>;

/** `Point point_translated(Point point, float by_x, float by_y)`: by value; koffi copies the object in and out. */
export const point_translated = lib.func('point_translated', Point, [Point, 'float', 'float']) as Native<
  (point: Point, by_x: number, by_y: number) => Point
>;

/**
 * `void points_translate(Point *points, size_t count, float by_x, float by_y)`: `points` is a `Float32Array`
 * of at least `2 * count` elements. NULL (or count 0) is a no-op.
 */
export const points_translate = lib.func('points_translate', 'void', [PointPtr, 'size_t', 'float', 'float']) as Native<
  (points: Float32Array | null, count: number, by_x: number, by_y: number) => void
>;
