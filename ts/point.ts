/**
 * Point: a struct both sides can see into.
 *
 * A C `Point` is two `float`s, x then y; so are two consecutive elements of a
 * `Float32Array`. The {@link Point} class keeps its coordinates in exactly
 * that layout and hands the array to Rust's `point_translate` as a pointer,
 * without copying: Rust writes straight into JS memory. (Letting koffi copy a
 * `{ x, y }` object in and out costs about ten times more per call.)
 *
 * Number policy, the same for every function here: coordinates and offsets
 * are C `float`s, so they must be numbers that stay finite as a `float`.
 * A non-number is a `TypeError`; NaN, ±Infinity and magnitudes that round
 * to an infinite `float` (|x| >= 2^128 - 2^103 = 3.4028235677973366e38, just
 * above {@link FLOAT32_MAX}) are a `RangeError`. Accepted values are rounded
 * to the nearest `float` (`Math.fround`): from FLT_MAX to that bound they
 * become ±FLT_MAX. Results follow `float`
 * arithmetic: a sum that overflows becomes ±Infinity, which is returned, not
 * thrown.
 */
import { point_translate, points_translate } from './raw/point';
import { TypedArrayPrototypeGetLength } from './primordials';
import {
  float32,
  float32ArrayLength,
  float32Pair,
  int32,
  invalidThis,
  newFloat32Pair,
  object,
  outOfRange,
} from './validate';

export { FLOAT32_MAX } from './validate';

/** Plain `{ x, y }` coordinates, as accepted by {@link pointTranslated} and returned by `toJSON()`. */
export interface PointLike {
  /** The x coordinate. */
  readonly x: number;
  /** The y coordinate. */
  readonly y: number;
}

/**
 * A point whose storage is the C `Point` layout: a `Float32Array` of two
 * elements, passed to Rust by pointer with no copy.
 *
 * Coordinates are `float`s: `new Point(0.1, 0).x` is `Math.fround(0.1)`.
 *
 * @example
 * const p = new Point(1, 2).translate(3, 4);
 * p.x; // 4
 * JSON.stringify(p); // '{"x":4,"y":6}'
 */
export class Point {
  #data: Float32Array;

  /**
   * The storage of `self`, or a `TypeError` `ERR_INVALID_THIS` naming `fn`
   * for a receiver that is not a Point (a plain object, a Proxy, an object
   * made with `Object.create(Point.prototype)`).
   */
  static #dataOf(self: unknown, fn: string): Float32Array {
    if (typeof self === 'object' && self !== null && #data in self) return (self as Point).#data;
    throw invalidThis(fn, 'a Point', self);
  }

  /**
   * A point at (`x`, `y`) with its own storage. An omitted (or `undefined`)
   * coordinate is 0.
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if a coordinate is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if a coordinate is not finite as a `float`
   */
  constructor(x = 0, y = 0) {
    const data = newFloat32Pair();
    data[0] = float32(x, 'Point', 'x');
    data[1] = float32(y, 'Point', 'y');
    this.#data = data;
  }

  /**
   * A point that is a view of pair `index` of `points` (interleaved x, y, as
   * for {@link translatePoints}): elements `2 * index` and `2 * index + 1`.
   * Reading, writing and translating it reads and writes `points`.
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if `points` is not a `Float32Array`;
   *   `ERR_INVALID_ARG_VALUE` if it is backed by a `SharedArrayBuffer`
   * @throws RangeError `ERR_OUT_OF_RANGE` if `index` is not an integer or `points` has no pair `index`
   * @example
   * const path = new Float32Array([0, 0, 1, 1]);
   * Point.at(path, 1).translate(1, 1);
   * path; // Float32Array [0, 0, 2, 2]
   */
  static at(points: Float32Array, index: number): Point {
    const length = float32ArrayLength(points, 'Point.at', 'points', 'a Float32Array');
    const i = int32(index, 'Point.at', 'index');
    if (i < 0 || 2 * i + 2 > length) {
      throw outOfRange('Point.at', 'index', `in [0, ${(length >> 1) - 1}] (points holds ${length >> 1} pairs)`, i);
    }
    const point = new Point();
    // A fresh view from the intrinsic buffer and offset: not `subarray`,
    // which would call a subclass's `Symbol.species` constructor.
    point.#data = float32Pair(points, i);
    return point;
  }

  /**
   * The storage itself (not a copy): `[x, y]` in the C `Point` layout.
   * Writing to it moves the point.
   */
  get storage(): Float32Array {
    return Point.#dataOf(this, 'Point.storage');
  }

  /** The x coordinate (a `float`). Setting it validates like the constructor. */
  get x(): number {
    return Point.#dataOf(this, 'Point.x')[0];
  }

  set x(value: number) {
    const data = Point.#dataOf(this, 'Point.x');
    data[0] = float32(value, 'Point.x', 'value');
  }

  /** The y coordinate (a `float`). Setting it validates like the constructor. */
  get y(): number {
    return Point.#dataOf(this, 'Point.y')[1];
  }

  set y(value: number) {
    const data = Point.#dataOf(this, 'Point.y');
    data[1] = float32(value, 'Point.y', 'value');
  }

  /**
   * Moves the point by (`byX`, `byY`) in Rust (`point_translate`), in place,
   * and returns it for chaining.
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if an offset is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if an offset is not finite as a `float`;
   *   also if the storage's buffer was detached or shrunk
   * @example new Point(1, 1).translate(2, -1).translate(1, 1).toJSON() // { x: 4, y: 1 }
   */
  translate(byX: number, byY: number): this {
    const data = Point.#dataOf(this, 'Point.translate');
    const bx = float32(byX, 'Point.translate', 'byX');
    const by = float32(byY, 'Point.translate', 'byY');
    // The intrinsic length, not `data.length` (the storage is public and may
    // carry an own `length`): 0 once its buffer is detached, or shrunk
    // below it if resizable. Rust must not get that address then.
    const length = TypedArrayPrototypeGetLength(data);
    if (length !== 2) {
      throw outOfRange('Point.translate', 'storage.length', '2 (its ArrayBuffer was detached or shrunk)', length);
    }
    point_translate(data, bx, by);
    return this;
  }

  /** `{ x, y }`, so that `JSON.stringify` shows the coordinates. */
  toJSON(): { x: number; y: number } {
    const data = Point.#dataOf(this, 'Point.toJSON');
    return { x: data[0], y: data[1] };
  }

  /** `Point(x, y)`. */
  toString(): string {
    const data = Point.#dataOf(this, 'Point.toString');
    return `Point(${data[0]}, ${data[1]})`;
  }
}

/**
 * Where {@link pointTranslated} has Rust move a copy of its point (x, y):
 * module-private, written and read back with no JS in between.
 */
const scratchPoint = newFloat32Pair();

/**
 * `point` moved by (`byX`, `byY`), as a new plain object (an object literal
 * of this package's, with own data properties `x` and `y`). `point` is not
 * modified. Rust does the arithmetic on a copy in the package's own memory
 * (`point_translate` on a `Float32Array`), so no object that koffi builds
 * from a returned struct (`point_translated`, which C callers use) reaches
 * the result: an accessor named `x` or `y` on `Object.prototype` changes
 * nothing. Convenient for plain objects; {@link Point} is the fast path.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `point` is not an object with number
 *   `x` and `y`, or an offset is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` if a coordinate or offset is not finite as a `float`
 * @example pointTranslated({ x: 1, y: 2 }, 0.5, 0.5) // { x: 1.5, y: 2.5 }
 */
export function pointTranslated(point: PointLike, byX: number, byY: number): { x: number; y: number } {
  const p = object(point, 'pointTranslated', 'point', 'an object with x and y');
  // Each getter runs once, here, before any native work.
  const x = float32(p.x, 'pointTranslated', 'point.x');
  const y = float32(p.y, 'pointTranslated', 'point.y');
  const bx = float32(byX, 'pointTranslated', 'byX');
  const by = float32(byY, 'pointTranslated', 'byY');
  // From here to the literal, no JS but ours runs: the scratch cannot change under us.
  scratchPoint[0] = x;
  scratchPoint[1] = y;
  point_translate(scratchPoint, bx, by);
  return { x: scratchPoint[0], y: scratchPoint[1] };
}

/**
 * Moves every point of `points`, interleaved pairs `[x0, y0, x1, y1, ...]`,
 * by (`byX`, `byY`) in one Rust call (`points_translate`), in place and
 * without copying. Returns `points`.
 *
 * The coordinates already in the array are not checked (that would cost a
 * pass over it): NaN or infinities there stay NaN or infinite.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `points` is not a `Float32Array` or an
 *   offset is not a number; `ERR_INVALID_ARG_VALUE` if `points` is backed by a
 *   `SharedArrayBuffer` (Rust writes in place: another thread must not)
 * @throws RangeError `ERR_OUT_OF_RANGE` if `points` has an odd length, or an
 *   offset is not finite as a `float`
 * @example
 * const path = new Float32Array([0, 0, 1, 1]);
 * translatePoints(path, 10, 20); // Float32Array [10, 20, 11, 21]
 */
export function translatePoints(points: Float32Array, byX: number, byY: number): Float32Array {
  // The element count from the intrinsic (not `points.length`, which a
  // subclass or an own property could inflate): Rust writes exactly that.
  const length = float32ArrayLength(points, 'translatePoints', 'points', 'a Float32Array of interleaved x, y pairs');
  if (length % 2 !== 0) {
    throw outOfRange('translatePoints', 'points.length', 'even (x, y pairs)', length);
  }
  points_translate(points, length / 2, float32(byX, 'translatePoints', 'byX'), float32(byY, 'translatePoints', 'byY'));
  return points;
}
