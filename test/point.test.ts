import fc from 'fast-check';
import koffi from 'koffi';
import { FLOAT32_MAX, Point, pointTranslated, translatePoints } from '../ts';
import * as raw from '../ts/raw';
import { type ArgErrorCode, CLASS_OF_CODE, expectThrowsArg, thrownBy } from './fixtures/arg-errors';

/** Values the number policy refuses, with the error class each gives. */
const BAD_NUMBERS: [string, unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor][] = [
  ['NaN', NaN, RangeError],
  ['Infinity', Infinity, RangeError],
  ['-Infinity', -Infinity, RangeError],
  ['1e39 (infinite as a float)', 1e39, RangeError],
  ['-FLOAT32_MAX * 1.000001', -FLOAT32_MAX * 1.000001, RangeError],
  ['a numeric string', '1', TypeError],
  ['null', null, TypeError],
  ['undefined', undefined, TypeError],
  ['a bigint', 1n, TypeError],
  ['an object', { valueOf: () => 1 }, TypeError],
];

/** The rule in every float32 `RangeError` message (ts/validate.ts). */
const FINITE_FLOAT =
  'finite as a float (not NaN or ±Infinity, and |x| < 2^128 - 2^103 = 3.4028235677973366e+38, above which a float rounds to infinity)';

/** Asserts the whole argument error `run` throws: its class, its Node-style `code` and its exact message. */
function expectExactArgError(run: () => unknown, code: ArgErrorCode, message: string): void {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(CLASS_OF_CODE[code]);
  expect({ code: (error as { code?: unknown }).code, message: (error as Error).message }).toEqual({ code, message });
}

/** 32-bit floats that cannot overflow when added together. */
const coord = fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e30), max: Math.fround(1e30) });

describe('raw Point', () => {
  it('has the C layout', () => {
    expect(koffi.sizeof(raw.Point)).toBe(8);
    expect(koffi.alignof(raw.Point)).toBe(4);
    expect(koffi.offsetof(raw.Point, 'x')).toBe(0);
    expect(koffi.offsetof(raw.Point, 'y')).toBe(4);
  });

  it('point_translate writes into the JS memory of a Float32Array (zero-copy)', () => {
    const buffer = new ArrayBuffer(16);
    const whole = new Float32Array(buffer);
    whole.set([1, 2, 3, 4]);
    raw.point_translate(new Float32Array(buffer, 8, 2), 10, 20);
    expect([...whole]).toEqual([1, 2, 13, 24]);
    const own = new Float32Array([1, 2]);
    raw.point_translate(own, 0.5, -0.5);
    expect([...own]).toEqual([1.5, 1.5]);
    raw.point_translate(null, 1, 1); // a no-op
  });

  it('point_translated copies by value', () => {
    const p = { x: 1, y: 2 };
    expect(raw.point_translated(p, 1, 1)).toEqual({ x: 2, y: 3 });
    expect(p).toEqual({ x: 1, y: 2 });
  });

  it('points_translate covers exactly count points; NULL is a no-op', () => {
    const a = new Float32Array([0, 0, 1, 1, 2, 2]);
    raw.points_translate(a, 2, 1, -1);
    expect([...a]).toEqual([1, -1, 2, 0, 2, 2]);
    raw.points_translate(null, 3, 1, 1);
    raw.points_translate(null, 0, 1, 1);
  });
});

describe('Point', () => {
  it('defaults omitted (undefined) coordinates to 0', () => {
    expect(new Point(undefined, 2).toJSON()).toEqual({ x: 0, y: 2 });
    expect(new Point(3).toJSON()).toEqual({ x: 3, y: 0 });
  });

  it('stores float coordinates', () => {
    const p = new Point(1, 2);
    expect(p.x).toBe(1);
    expect(p.y).toBe(2);
    expect(new Point().toJSON()).toEqual({ x: 0, y: 0 });
    expect(new Point(0.1, -0.2).toJSON()).toEqual({ x: Math.fround(0.1), y: Math.fround(-0.2) });
    expect(new Point(FLOAT32_MAX, -FLOAT32_MAX).toJSON()).toEqual({ x: FLOAT32_MAX, y: -FLOAT32_MAX });
  });

  it('translates in Rust, in place, and chains', () => {
    const p = new Point(1, 2);
    expect(p.translate(3, 4)).toBe(p);
    expect(p.toJSON()).toEqual({ x: 4, y: 6 });
    p.translate(-4, 0.5).translate(0, 0);
    expect(p.toJSON()).toEqual({ x: 0, y: 6.5 });
    expect(JSON.stringify(p)).toBe('{"x":0,"y":6.5}');
    expect(String(p)).toBe('Point(0, 6.5)');
  });

  it('keeps its coordinates in a Float32Array that Rust mutates directly', () => {
    const p = new Point(1, 2);
    const storage = p.storage;
    expect(storage).toBeInstanceOf(Float32Array);
    expect(storage).toHaveLength(2);
    p.translate(1, 1);
    expect(p.storage).toBe(storage);
    expect([...storage]).toEqual([2, 3]);
    storage[0] = 7;
    expect(p.x).toBe(7);
  });

  it('has validating setters', () => {
    const p = new Point();
    p.x = 0.1;
    p.y = -5;
    expect(p.toJSON()).toEqual({ x: Math.fround(0.1), y: -5 });
    expect(() => {
      p.x = NaN;
    }).toThrow(RangeError);
    expect(() => {
      p.y = '3' as unknown as number;
    }).toThrow(TypeError);
    expect(p.toJSON()).toEqual({ x: Math.fround(0.1), y: -5 });
  });

  it('overflows to Infinity like float arithmetic, without throwing', () => {
    const p = new Point(3e38, -3e38).translate(3e38, -3e38);
    expect(p.x).toBe(Infinity);
    expect(p.y).toBe(-Infinity);
    expect(p.translate(-3e38, 0).x).toBe(Infinity);
  });

  it.each(BAD_NUMBERS)('refuses %s as a coordinate or offset', (_label, bad, ErrorClass) => {
    if (bad !== undefined) {
      expect(() => new Point(bad as number, 0)).toThrow(ErrorClass);
      expect(() => new Point(0, bad as number)).toThrow(ErrorClass);
    }
    const p = new Point(1, 2);
    expect(() => p.translate(bad as number, 0)).toThrow(ErrorClass);
    expect(() => p.translate(0, bad as number)).toThrow(ErrorClass);
    expect(p.toJSON()).toEqual({ x: 1, y: 2 });
  });

  it('names the bad argument', () => {
    expectThrowsArg(() => new Point(NaN, 1), 'Point', 'ERR_OUT_OF_RANGE', 'x must be finite as a float');
    expectThrowsArg(() => new Point(1, NaN), 'Point', 'ERR_OUT_OF_RANGE', 'y must be finite as a float');
    expectThrowsArg(
      () => new Point(1, 1).translate('a' as unknown as number, 1),
      'Point.translate',
      'ERR_INVALID_ARG_TYPE',
      'byX must be a number',
    );
  });

  it('refuses to hand Rust a detached buffer', () => {
    const points = new Float32Array([1, 2, 3, 4]);
    const view = Point.at(points, 1);
    structuredClone(points.buffer, { transfer: [points.buffer] });
    expectExactArgError(
      () => view.translate(1, 1),
      'ERR_OUT_OF_RANGE',
      'Point.translate: storage.length must be 2 (its ArrayBuffer was detached or shrunk), got number 0',
    );
  });

  it('names the setter or the offset in its exact messages, and keeps its coordinates', () => {
    const p = new Point(1, 2);
    expectExactArgError(
      () => {
        p.x = NaN;
      },
      'ERR_OUT_OF_RANGE',
      `Point.x: value must be ${FINITE_FLOAT}, got number NaN`,
    );
    expectExactArgError(
      () => {
        p.y = -Infinity;
      },
      'ERR_OUT_OF_RANGE',
      `Point.y: value must be ${FINITE_FLOAT}, got number -Infinity`,
    );
    expectExactArgError(
      () => p.translate(0, 'a' as unknown as number),
      'ERR_INVALID_ARG_TYPE',
      'Point.translate: byY must be a number (float), got string "a"',
    );
    expect(p.toJSON()).toEqual({ x: 1, y: 2 });
  });
});

describe('Point.at', () => {
  it('is a view of one pair of a larger array', () => {
    const path = new Float32Array([0, 0, 1, 1, 2, 2]);
    const middle = Point.at(path, 1);
    expect(middle.toJSON()).toEqual({ x: 1, y: 1 });
    middle.translate(10, 20);
    expect([...path]).toEqual([0, 0, 11, 21, 2, 2]);
    path[3] = -1;
    expect(middle.y).toBe(-1);
    middle.x = 5;
    expect(path[2]).toBe(5);
    expect(middle.storage.buffer).toBe(path.buffer);
    expect([Point.at(path, 0).toJSON(), Point.at(path, 2).toJSON()]).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 2 },
    ]);
  });

  it('checks its arguments', () => {
    const path = new Float32Array(4);
    expect(() => Point.at(path, 2)).toThrow(RangeError);
    expect(() => Point.at(path, -1)).toThrow(RangeError);
    expect(() => Point.at(new Float32Array(3), 1)).toThrow(RangeError);
    expectThrowsArg(() => Point.at(path, 0.5), 'Point.at', 'ERR_OUT_OF_RANGE', 'index must be an integer');
    expectThrowsArg(() => Point.at(path, 2), 'Point.at', 'ERR_OUT_OF_RANGE', 'index must be in [0, 1]');
    expect(() => Point.at(new Float64Array(4) as unknown as Float32Array, 0)).toThrow(TypeError);
    expect(() => Point.at([0, 0] as unknown as Float32Array, 0)).toThrow(TypeError);
    expectExactArgError(
      () => Point.at(new Float64Array(4) as unknown as Float32Array, 0),
      'ERR_INVALID_ARG_TYPE',
      'Point.at: points must be a Float32Array, got a Float64Array',
    );
    // Its own RangeError, not the one `new Float32Array(buffer, -8, 2)` would throw.
    expectExactArgError(
      () => Point.at(path, -1),
      'ERR_OUT_OF_RANGE',
      'Point.at: index must be in [0, 1] (points holds 2 pairs), got number -1',
    );
  });

  it('accepts the first and the last pair', () => {
    const path = new Float32Array([1, 2, 3, 4]);
    expect(Point.at(path, 0).toJSON()).toEqual({ x: 1, y: 2 });
    expect(Point.at(path, 1).toJSON()).toEqual({ x: 3, y: 4 });
  });
});

describe('pointTranslated', () => {
  it('returns a new plain object and leaves its argument alone', () => {
    const p = { x: 1, y: 2 };
    const q = pointTranslated(p, 0.5, -2);
    expect(q).toEqual({ x: 1.5, y: 0 });
    expect(q).not.toBe(p);
    expect(q).not.toBeInstanceOf(Point);
    expect(Object.keys(q)).toEqual(['x', 'y']);
    expect(p).toEqual({ x: 1, y: 2 });
    expect(pointTranslated(new Point(1, 1), 1, 1)).toEqual({ x: 2, y: 2 });
    expect(pointTranslated({ x: 0.1, y: 0 }, 0.2, 0)).toEqual({
      x: Math.fround(Math.fround(0.1) + Math.fround(0.2)),
      y: 0,
    });
    expect(q).toEqual({ x: 1.5, y: 0 }); // later calls leave an earlier result alone
  });

  it('refuses non-objects and bad coordinates or offsets', () => {
    expect(() => pointTranslated(null as unknown as { x: number; y: number }, 1, 1)).toThrow(TypeError);
    expect(() => pointTranslated(3 as unknown as { x: number; y: number }, 1, 1)).toThrow(TypeError);
    expect(() => pointTranslated({ x: 1 } as unknown as { x: number; y: number }, 1, 1)).toThrow(/point\.y/);
    expect(() => pointTranslated({ x: NaN, y: 1 }, 1, 1)).toThrow(RangeError);
    expect(() => pointTranslated({ x: 1, y: 1 }, Infinity, 1)).toThrow(RangeError);
    expect(() => pointTranslated({ x: 1, y: 1 }, 1, '1' as unknown as number)).toThrow(TypeError);
  });

  it('names the argument in its exact messages', () => {
    expectExactArgError(
      () => pointTranslated(null as unknown as { x: number; y: number }, 1, 1),
      'ERR_INVALID_ARG_TYPE',
      'pointTranslated: point must be an object with x and y, got null',
    );
    expectExactArgError(
      () => pointTranslated({ x: NaN, y: 1 }, 1, 1),
      'ERR_OUT_OF_RANGE',
      `pointTranslated: point.x must be ${FINITE_FLOAT}, got number NaN`,
    );
    expectExactArgError(
      () => pointTranslated({ x: 1, y: 1 }, 1e39, 1),
      'ERR_OUT_OF_RANGE',
      `pointTranslated: byX must be ${FINITE_FLOAT}, got number 1e+39`,
    );
    expectExactArgError(
      () => pointTranslated({ x: 1, y: 1 }, 1, 1n as unknown as number),
      'ERR_INVALID_ARG_TYPE',
      'pointTranslated: byY must be a number (float), got bigint 1n',
    );
  });
});

describe('translatePoints', () => {
  it('translates interleaved pairs in place and returns the same array', () => {
    const path = new Float32Array([0, 0, 1, 1, -2, 4]);
    expect(translatePoints(path, 1, -1)).toBe(path);
    expect([...path]).toEqual([1, -1, 2, 0, -1, 3]);
    const empty = new Float32Array(0);
    expect(translatePoints(empty, 1, 1)).toBe(empty);
  });

  it('touches only the view it is given', () => {
    const all = new Float32Array([1, 1, 2, 2, 3, 3, 4, 4]);
    translatePoints(all.subarray(2, 6), 10, 10);
    expect([...all]).toEqual([1, 1, 12, 12, 13, 13, 4, 4]);
  });

  it('throws RangeError for an odd length, TypeError for another type', () => {
    expect(() => translatePoints(new Float32Array(3), 1, 1)).toThrow(RangeError);
    expect(() => translatePoints(new Float64Array(4) as unknown as Float32Array, 1, 1)).toThrow(TypeError);
    expect(() => translatePoints(new Uint8Array(8) as unknown as Float32Array, 1, 1)).toThrow(TypeError);
    expect(() => translatePoints([1, 2] as unknown as Float32Array, 1, 1)).toThrow(TypeError);
    expect(() => translatePoints(null as unknown as Float32Array, 1, 1)).toThrow(TypeError);
  });

  it('names the argument in its exact messages, and leaves the array alone', () => {
    expectExactArgError(
      () => translatePoints(new Float64Array(2) as unknown as Float32Array, 1, 1),
      'ERR_INVALID_ARG_TYPE',
      'translatePoints: points must be a Float32Array of interleaved x, y pairs, got a Float64Array',
    );
    const odd = new Float32Array([1, 2, 3]);
    expectExactArgError(
      () => translatePoints(odd, 1, 1),
      'ERR_OUT_OF_RANGE',
      'translatePoints: points.length must be even (x, y pairs), got number 3',
    );
    expect([...odd]).toEqual([1, 2, 3]);
    const path = new Float32Array([1, 2]);
    expectExactArgError(
      () => translatePoints(path, NaN, 1),
      'ERR_OUT_OF_RANGE',
      `translatePoints: byX must be ${FINITE_FLOAT}, got number NaN`,
    );
    expectExactArgError(
      () => translatePoints(path, 1, '1' as unknown as number),
      'ERR_INVALID_ARG_TYPE',
      'translatePoints: byY must be a number (float), got string "1"',
    );
    expect([...path]).toEqual([1, 2]);
  });

  it('refuses a Float32Array backed by a SharedArrayBuffer, for translatePoints and Point.at, and leaves it alone', () => {
    // Rust would hold a `&mut` to memory another thread may write, and a copy would not be "in place".
    const shared = new Float32Array(new SharedArrayBuffer(16));
    shared.set([1, 2, 3, 4]);
    const refused = 'points must not be backed by a SharedArrayBuffer (Rust writes into it in place)';
    expectThrowsArg(() => translatePoints(shared, 1, 1), 'translatePoints', 'ERR_INVALID_ARG_VALUE', refused);
    expectThrowsArg(() => Point.at(shared, 0), 'Point.at', 'ERR_INVALID_ARG_VALUE', refused);
    expect([...shared]).toEqual([1, 2, 3, 4]);
  });

  it.each(BAD_NUMBERS)('refuses %s as an offset and leaves the array alone', (_label, bad, ErrorClass) => {
    const path = new Float32Array([1, 2]);
    expect(() => translatePoints(path, bad as number, 0)).toThrow(ErrorClass);
    expect(() => translatePoints(path, 0, bad as number)).toThrow(ErrorClass);
    expect([...path]).toEqual([1, 2]);
  });
});

describe('Point properties', () => {
  it('translating by (a, b) then (-a, -b) returns the original within float tolerance', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, (x, y, a, b) => {
        const p = new Point(x, y).translate(a, b).translate(-a, -b);
        // Each float addition is off by at most half an ulp of its result.
        expect(Math.abs(p.x - x)).toBeLessThanOrEqual((Math.abs(x) + Math.abs(a)) * 2 ** -22);
        expect(Math.abs(p.y - y)).toBeLessThanOrEqual((Math.abs(y) + Math.abs(b)) * 2 ** -22);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with a pure-JS model using Math.fround, overflow included', () => {
    const offset = fc.double({ noNaN: true, min: -1e38, max: 1e38 });
    fc.assert(
      fc.property(offset, offset, fc.array(fc.tuple(offset, offset), { maxLength: 20 }), (x, y, moves) => {
        const p = new Point(x, y);
        const model = { x: Math.fround(x), y: Math.fround(y) };
        const path = new Float32Array([x, y, y, x]);
        for (const [a, b] of moves) {
          p.translate(a, b);
          model.x = Math.fround(model.x + Math.fround(a));
          model.y = Math.fround(model.y + Math.fround(b));
          translatePoints(path, a, b);
        }
        expect(p.x).toBe(model.x);
        expect(p.y).toBe(model.y);
        expect(path[0]).toBe(model.x);
        expect(path[1]).toBe(model.y);
        if (moves.length > 0) {
          const [a, b] = moves[0];
          expect(pointTranslated({ x, y }, a, b)).toEqual({
            x: Math.fround(Math.fround(x) + Math.fround(a)),
            y: Math.fround(Math.fround(y) + Math.fround(b)),
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});
