/**
 * Enums with data: the Rust enum `Shape` as a TypeScript discriminated union.
 *
 * How the enum is read and written: koffi has no tagged-union type. The C
 * `Shape` is a union of one struct per variant, each starting with the
 * `uint32_t` tag (RFC 2195, `#[repr(u32)]`). The public functions do not
 * build koffi objects for it: they encode the shape into one reused buffer
 * of `koffi.sizeof(Shape)` bytes laid out as the C union (the tag through a
 * `Uint32Array` view, the dimensions through a `Float64Array` view, at the
 * offsets `koffi.offsetof` gives for the raw `Shape_*_Body` structs) and pass that
 * buffer as the `Shape *`. `scaleShape` reads the scaled dimensions back from
 * the same buffer, choosing the fields by the tag.
 *
 * Checks: a shape that is not an object, an unknown `kind`, or a missing or
 * non-number dimension is a `TypeError` before any call. Values are checked
 * by Rust, the single source of truth for C and JS callers alike: a negative,
 * NaN or infinite dimension, or a triangle that breaks the triangle
 * inequality, is an `FfiError` with status `'INVALID_ARGUMENT'`.
 */
import koffi, { type TypeObject } from 'koffi';
import {
  Shape as ShapeC,
  shape_area,
  shape_scale,
  SHAPE_CIRCLE,
  SHAPE_RECTANGLE,
  SHAPE_TRIANGLE,
  Shape_Circle_Body,
  Shape_Rectangle_Body,
  Shape_Triangle_Body,
} from './raw/enums';
import { ArrayBufferCtor, ErrorCtor, Float64ArrayCtor, JSONStringify, Uint32ArrayCtor } from './primordials';
import { check, syncError } from './status';
import { invalidArgValue, number, object } from './validate';

/** A circle of the given radius. */
export interface Circle {
  /** The variant. */
  kind: 'circle';
  /** The radius: finite and >= 0. */
  radius: number;
}

/** An axis-aligned rectangle. */
export interface Rectangle {
  /** The variant. */
  kind: 'rectangle';
  /** The width: finite and >= 0. */
  width: number;
  /** The height: finite and >= 0. */
  height: number;
}

/** A triangle given by the lengths of its sides (each at most the sum of the other two). */
export interface Triangle {
  /** The variant. */
  kind: 'triangle';
  /** The first side: finite and >= 0. */
  a: number;
  /** The second side: finite and >= 0. */
  b: number;
  /** The third side: finite and >= 0. */
  c: number;
}

/** A shape: the Rust enum `Shape` as a discriminated union on `kind`. */
export type Shape = Circle | Rectangle | Triangle;

/** The kinds a {@link Shape} can have. */
export type ShapeKind = Shape['kind'];

// One Shape-sized buffer, reused by every call (calls are synchronous, and
// each worker thread has its own module instance).
const shapeBuf = new ArrayBufferCtor(koffi.sizeof(ShapeC));
// `tag` is the first field of every member of the union, so at offset 0 (koffi.offsetof
// only accepts structs, and every union member starts at 0).
const tagView = new Uint32ArrayCtor(shapeBuf, 0, 1);
const f64 = new Float64ArrayCtor(shapeBuf);
const slot = (body: TypeObject, field: string): number => koffi.offsetof(body, field) / 8;
const RADIUS = slot(Shape_Circle_Body, 'radius');
const WIDTH = slot(Shape_Rectangle_Body, 'width');
const HEIGHT = slot(Shape_Rectangle_Body, 'height');
const SIDE_A = slot(Shape_Triangle_Body, 'a');
const SIDE_B = slot(Shape_Triangle_Body, 'b');
const SIDE_C = slot(Shape_Triangle_Body, 'c');
const areaOut = new Float64ArrayCtor(1);

/**
 * Writes `shape` into `shapeBuf` as a C `Shape`, or throws TypeError.
 *
 * Every property is read (each getter runs once) and checked into locals
 * first; the shared buffer is written only after the last read, with no
 * user code between the writes and the native call. So a getter that calls
 * shapeArea or scaleShape itself cannot leave its own shape in the buffer
 * under the outer call.
 */
function encode(shape: unknown, fn: string): void {
  const s = object(shape, fn, 'shape', 'an object with a kind');
  const kind: unknown = s.kind;
  switch (kind) {
    case 'circle': {
      const radius = number(s.radius, fn, 'shape.radius');
      f64[RADIUS] = radius;
      tagView[0] = SHAPE_CIRCLE;
      return;
    }
    case 'rectangle': {
      const width = number(s.width, fn, 'shape.width');
      const height = number(s.height, fn, 'shape.height');
      f64[WIDTH] = width;
      f64[HEIGHT] = height;
      tagView[0] = SHAPE_RECTANGLE;
      return;
    }
    case 'triangle': {
      const a = number(s.a, fn, 'shape.a');
      const b = number(s.b, fn, 'shape.b');
      const c = number(s.c, fn, 'shape.c');
      f64[SIDE_A] = a;
      f64[SIDE_B] = b;
      f64[SIDE_C] = c;
      tagView[0] = SHAPE_TRIANGLE;
      return;
    }
    default:
      throw invalidArgValue(
        fn,
        'shape.kind',
        `be 'circle', 'rectangle' or 'triangle', got ${typeof kind === 'string' ? JSONStringify(kind) : typeof kind}`,
      );
  }
}

/** Reads the C `Shape` in `shapeBuf` back as a JS object, by its tag. */
function decode(): Shape {
  switch (tagView[0]) {
    case SHAPE_CIRCLE:
      return { kind: 'circle', radius: f64[RADIUS] };
    case SHAPE_RECTANGLE:
      return { kind: 'rectangle', width: f64[WIDTH], height: f64[HEIGHT] };
    case SHAPE_TRIANGLE:
      return { kind: 'triangle', a: f64[SIDE_A], b: f64[SIDE_B], c: f64[SIDE_C] };
    default:
      throw new ErrorCtor(`scaleShape: unknown Shape tag ${tagView[0]} after the call`);
  }
}

/**
 * The area of `shape`, computed by Rust: π r² for a circle, width × height for
 * a rectangle, Heron's formula for a triangle (0 for a flat one).
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `shape` is not an object or a dimension
 *   is missing or not a number; `ERR_INVALID_ARG_VALUE` if its `kind` is unknown
 * @throws FfiError `'INVALID_ARGUMENT'` for a negative, NaN or infinite
 *   dimension or an impossible triangle; `'OVERFLOW'` if the area is too
 *   large for a double
 * @example shapeArea({ kind: 'triangle', a: 3, b: 4, c: 5 }) // 6
 */
export function shapeArea(shape: Shape): number {
  encode(shape, 'shapeArea');
  check(shape_area(f64, areaOut, syncError), 'shapeArea');
  return areaOut[0];
}

/**
 * A new shape of the same kind with every dimension multiplied by `factor`
 * (so its area is `factor ** 2` times as large), computed by Rust. `shape`
 * itself is not modified.
 *
 * @throws TypeError for a malformed `shape` (as {@link shapeArea}), or
 *   `ERR_INVALID_ARG_TYPE` for a `factor` that is not a number
 * @throws FfiError `'INVALID_ARGUMENT'` for an invalid shape or a negative,
 *   NaN or infinite `factor`; `'OVERFLOW'` if a dimension would overflow
 * @example scaleShape({ kind: 'circle', radius: 1 }, 3) // { kind: 'circle', radius: 3 }
 */
export function scaleShape(shape: Shape, factor: number): Shape {
  const k = number(factor, 'scaleShape', 'factor');
  encode(shape, 'scaleShape');
  check(shape_scale(f64, k, syncError), 'scaleShape');
  return decode();
}
