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
 * A non-number is a `TypeError`; NaN, ±Infinity and magnitudes above
 * {@link FLOAT32_MAX} (≈3.4e38) are a `RangeError`. Accepted values are
 * rounded to the nearest `float` (`Math.fround`). Results follow `float`
 * arithmetic: a sum that overflows becomes ±Infinity, which is returned, not
 * thrown.
 */
import { point_translate, point_translated, points_translate } from './raw/point';
import { float32 } from './validate';

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
   * A point at (`x`, `y`) with its own storage. An omitted (or `undefined`)
   * coordinate is 0.
   *
   * @throws TypeError if a coordinate is not a number
   * @throws RangeError if a coordinate is not finite as a `float`
   */
  constructor(x = 0, y = 0) {
    const data = new Float32Array(2);
    data[0] = float32(x, 'x');
    data[1] = float32(y, 'y');
    this.#data = data;
  }

  /**
   * A point that is a view of pair `index` of `points` (interleaved x, y, as
   * for {@link translatePoints}): elements `2 * index` and `2 * index + 1`.
   * Reading, writing and translating it reads and writes `points`.
   *
   * @throws TypeError if `points` is not a `Float32Array` or `index` not an integer
   * @throws RangeError if `points` has no pair `index`
   * @example
   * const path = new Float32Array([0, 0, 1, 1]);
   * Point.at(path, 1).translate(1, 1);
   * path; // Float32Array [0, 0, 2, 2]
   */
  static at(points: Float32Array, index: number): Point {
    if (!(points instanceof Float32Array)) {
      throw new TypeError(`points must be a Float32Array, got ${typeName(points)}`);
    }
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TypeError(`index must be an integer, got ${String(index)}`);
    }
    if (index < 0 || 2 * index + 2 > points.length) {
      throw new RangeError(`index ${index} is out of range: points holds ${points.length >> 1} pairs`);
    }
    const point = new Point();
    point.#data = points.subarray(2 * index, 2 * index + 2);
    return point;
  }

  /**
   * The storage itself (not a copy): `[x, y]` in the C `Point` layout.
   * Writing to it moves the point.
   */
  get storage(): Float32Array {
    return this.#data;
  }

  /** The x coordinate (a `float`). Setting it validates like the constructor. */
  get x(): number {
    return this.#data[0];
  }

  set x(value: number) {
    this.#data[0] = float32(value, 'x');
  }

  /** The y coordinate (a `float`). Setting it validates like the constructor. */
  get y(): number {
    return this.#data[1];
  }

  set y(value: number) {
    this.#data[1] = float32(value, 'y');
  }

  /**
   * Moves the point by (`byX`, `byY`) in Rust (`point_translate`), in place,
   * and returns it for chaining.
   *
   * @throws TypeError if an offset is not a number
   * @throws RangeError if an offset is not finite as a `float`, or the storage's buffer was detached
   * @example new Point(1, 1).translate(2, -1).translate(1, 1).toJSON() // { x: 4, y: 1 }
   */
  translate(byX: number, byY: number): this {
    const data = this.#data;
    // A detached buffer has length 0: Rust must not get its dangling address.
    if (data.length !== 2) {
      throw new RangeError('Point.translate: the storage ArrayBuffer was detached');
    }
    point_translate(data, float32(byX, 'byX'), float32(byY, 'byY'));
    return this;
  }

  /** `{ x, y }`, so that `JSON.stringify` shows the coordinates. */
  toJSON(): { x: number; y: number } {
    return { x: this.#data[0], y: this.#data[1] };
  }

  /** `Point(x, y)`. */
  toString(): string {
    return `Point(${this.#data[0]}, ${this.#data[1]})`;
  }
}

/**
 * `point` moved by (`byX`, `byY`), as a new plain object, through Rust's
 * by-value `point_translated` (a struct passed and returned by value).
 * `point` is not modified. Convenient for plain objects; {@link Point} is the
 * fast path.
 *
 * @throws TypeError if `point` is not an object with number `x` and `y`, or an offset is not a number
 * @throws RangeError if a coordinate or offset is not finite as a `float`
 * @example pointTranslated({ x: 1, y: 2 }, 0.5, 0.5) // { x: 1.5, y: 2.5 }
 */
export function pointTranslated(point: PointLike, byX: number, byY: number): { x: number; y: number } {
  if (typeof point !== 'object' || point === null) {
    throw new TypeError(`point must be an object with x and y, got ${typeName(point)}`);
  }
  const x = float32(point.x, 'point.x');
  const y = float32(point.y, 'point.y');
  return point_translated({ x, y }, float32(byX, 'byX'), float32(byY, 'byY'));
}

/**
 * Moves every point of `points`, interleaved pairs `[x0, y0, x1, y1, ...]`,
 * by (`byX`, `byY`) in one Rust call (`points_translate`), in place and
 * without copying. Returns `points`.
 *
 * The coordinates already in the array are not checked (that would cost a
 * pass over it): NaN or infinities there stay NaN or infinite.
 *
 * @throws TypeError if `points` is not a `Float32Array` or an offset is not a number
 * @throws RangeError if `points` has an odd length, or an offset is not finite as a `float`
 * @example
 * const path = new Float32Array([0, 0, 1, 1]);
 * translatePoints(path, 10, 20); // Float32Array [10, 20, 11, 21]
 */
export function translatePoints(points: Float32Array, byX: number, byY: number): Float32Array {
  if (!(points instanceof Float32Array)) {
    throw new TypeError(`points must be a Float32Array of interleaved x, y pairs, got ${typeName(points)}`);
  }
  if (points.length % 2 !== 0) {
    throw new RangeError(`points must hold x, y pairs (an even length), got ${points.length} floats`);
  }
  points_translate(points, points.length / 2, float32(byX, 'byX'), float32(byY, 'byY'));
  return points;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
