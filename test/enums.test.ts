import fc from 'fast-check';
import koffi from 'koffi';
import { FfiError, scaleShape, shapeArea, type Shape } from '../ts';
import {
  Shape as ShapeC,
  shape_area,
  shape_scale,
  SHAPE_CIRCLE,
  SHAPE_RECTANGLE,
  SHAPE_TRIANGLE,
  Shape_Circle_Body,
  Shape_Rectangle_Body,
  Shape_Tag,
  Shape_Triangle_Body,
} from '../ts/raw';
import * as rawEnums from '../ts/raw/enums';
import { type ArgErrorCode, CLASS_OF_CODE, thrownBy } from './fixtures/arg-errors';

function ffiStatus(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof FfiError) return err.status;
    throw err;
  }
  return undefined;
}

/** Asserts the whole argument error `run` throws: its class, its Node-style `code` and its exact message. */
function expectExactArgError(run: () => unknown, code: ArgErrorCode, message: string): void {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(CLASS_OF_CODE[code]);
  expect({ code: (error as { code?: unknown }).code, message: (error as Error).message }).toEqual({ code, message });
}

/** Relative closeness, for results that went through different roundings. */
function close(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), Number.MIN_VALUE));
}

describe('raw Shape', () => {
  it('has the C layout (RFC 2195 repr(u32): a union of structs that start with the tag)', () => {
    expect(koffi.sizeof(Shape_Tag)).toBe(4);
    expect(koffi.sizeof(ShapeC)).toBe(32);
    expect(koffi.alignof(ShapeC)).toBe(8);
    expect(koffi.offsetof(Shape_Circle_Body, 'tag')).toBe(0);
    expect(koffi.offsetof(Shape_Circle_Body, 'radius')).toBe(8);
    expect(koffi.offsetof(Shape_Rectangle_Body, 'height')).toBe(16);
    expect(koffi.offsetof(Shape_Triangle_Body, 'c')).toBe(24);
    expect([SHAPE_CIRCLE, SHAPE_RECTANGLE, SHAPE_TRIANGLE]).toEqual([0, 1, 2]);
  });

  it('accepts a koffi union object or memory laid out as the union', () => {
    const out = new Float64Array(1);
    expect(shape_area({ RECTANGLE: { tag: SHAPE_RECTANGLE, width: 2, height: 3 } }, out, null)).toBe(0);
    expect(out[0]).toBe(6);
    const mem = new Float64Array(4);
    new Uint32Array(mem.buffer)[0] = SHAPE_CIRCLE;
    mem[1] = 2;
    expect(shape_scale(mem, 1.5, null)).toBe(0);
    expect(mem[1]).toBe(3);
  });

  it('refuses an unknown tag with INVALID_ARGUMENT and leaves the memory alone', () => {
    const out = new Float64Array([-1]);
    for (const bogus of [3, 4, 0x8000_0000, 0xffff_ffff]) {
      // Every double is 1: a valid circle, rectangle and triangle alike, so a
      // tag check that let an unknown tag through would return OK.
      const mem = new Float64Array([0, 1, 1, 1]);
      const tag = new Uint32Array(mem.buffer);
      tag[0] = bogus;
      expect(shape_area(mem, out, null)).toBe(3);
      expect(shape_scale(mem, 2, null)).toBe(3);
      expect(tag[0]).toBe(bogus);
      expect(mem[1]).toBe(1);
      // Through koffi's own marshalling too.
      expect(shape_area({ CIRCLE: { tag: bogus, radius: 1 } }, out, null)).toBe(3);
    }
    expect(out[0]).toBe(-1);
    expect(shape_area(null, out, null)).toBe(1);
    expect(shape_area(new Float64Array(4), null, null)).toBe(1);
    expect(shape_scale(null, 2, null)).toBe(1);
  });
});

describe('shapeArea', () => {
  it('computes each kind', () => {
    close(shapeArea({ kind: 'circle', radius: 2 }), 4 * Math.PI);
    expect(shapeArea({ kind: 'rectangle', width: 3, height: 4.5 })).toBe(13.5);
    close(shapeArea({ kind: 'triangle', a: 3, b: 4, c: 5 }), 6);
    expect(shapeArea({ kind: 'triangle', a: 1, b: 2, c: 3 })).toBe(0); // flat
    expect(shapeArea({ kind: 'circle', radius: 0 })).toBe(0);
    close(shapeArea({ kind: 'triangle', a: 1e100, b: 1e100, c: 1e100 }), (Math.sqrt(3) / 4) * 1e200);
  });

  it('ignores fields of other kinds', () => {
    const odd = { kind: 'circle', radius: 1, width: 'x' } as unknown as Shape;
    close(shapeArea(odd), Math.PI);
  });

  it.each([
    ['negative', -1],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('throws FfiError INVALID_ARGUMENT for a %s dimension', (_label, bad) => {
    expect(ffiStatus(() => shapeArea({ kind: 'circle', radius: bad }))).toBe('INVALID_ARGUMENT');
    expect(ffiStatus(() => shapeArea({ kind: 'rectangle', width: 1, height: bad }))).toBe('INVALID_ARGUMENT');
    expect(ffiStatus(() => shapeArea({ kind: 'triangle', a: bad, b: 1, c: 1 }))).toBe('INVALID_ARGUMENT');
    expect(shapeArea({ kind: 'rectangle', width: 2, height: 2 })).toBe(4); // still works afterwards
  });

  it('throws FfiError INVALID_ARGUMENT for an impossible triangle', () => {
    expect(ffiStatus(() => shapeArea({ kind: 'triangle', a: 1, b: 2, c: 3.5 }))).toBe('INVALID_ARGUMENT');
    expect(ffiStatus(() => shapeArea({ kind: 'triangle', a: 10, b: 1, c: 1 }))).toBe('INVALID_ARGUMENT');
  });

  it('throws FfiError OVERFLOW when the area does not fit in a double', () => {
    expect(ffiStatus(() => shapeArea({ kind: 'circle', radius: 1e200 }))).toBe('OVERFLOW');
    expect(ffiStatus(() => shapeArea({ kind: 'rectangle', width: 1e200, height: 1e200 }))).toBe('OVERFLOW');
  });

  it.each([
    ['null', null],
    ['a number', 1],
    ['a string', 'circle'],
    ['no kind', { radius: 1 }],
    ['an unknown kind', { kind: 'square', side: 1 }],
    ['a kind of the wrong case', { kind: 'Circle', radius: 1 }],
    ['a missing field', { kind: 'rectangle', width: 1 }],
    ['a string field', { kind: 'circle', radius: '1' }],
    ['a bigint field', { kind: 'triangle', a: 1n, b: 1, c: 1 }],
    ['a null field', { kind: 'triangle', a: 1, b: null, c: 1 }],
  ])('refuses %s with TypeError before any call', (_label, bad) => {
    expect(() => shapeArea(bad as unknown as Shape)).toThrow(TypeError);
    expect(() => scaleShape(bad as unknown as Shape, 2)).toThrow(TypeError);
  });

  const KINDS = "'circle', 'rectangle' or 'triangle'";
  it.each([
    [null, 'ERR_INVALID_ARG_TYPE', 'shape must be an object with a kind, got null'],
    [{ kind: 'square', side: 1 }, 'ERR_INVALID_ARG_VALUE', `shape.kind must be ${KINDS}, got "square"`],
    // Not a string: the type, not the value.
    [{ kind: 0, radius: 1 }, 'ERR_INVALID_ARG_VALUE', `shape.kind must be ${KINDS}, got number`],
    [{ radius: 1 }, 'ERR_INVALID_ARG_VALUE', `shape.kind must be ${KINDS}, got undefined`],
    [{ kind: 'circle' }, 'ERR_INVALID_ARG_TYPE', 'shape.radius must be a number, got undefined'],
    [{ kind: 'rectangle', height: 1 }, 'ERR_INVALID_ARG_TYPE', 'shape.width must be a number, got undefined'],
    [
      { kind: 'rectangle', width: 1, height: '2' },
      'ERR_INVALID_ARG_TYPE',
      'shape.height must be a number, got string "2"',
    ],
    [{ kind: 'triangle', b: 1, c: 1 }, 'ERR_INVALID_ARG_TYPE', 'shape.a must be a number, got undefined'],
    [{ kind: 'triangle', a: 1, b: null, c: 1 }, 'ERR_INVALID_ARG_TYPE', 'shape.b must be a number, got null'],
    [{ kind: 'triangle', a: 1, b: 1, c: 1n }, 'ERR_INVALID_ARG_TYPE', 'shape.c must be a number, got bigint 1n'],
  ] as const)('names the field in its exact message: %p', (bad, code, rest) => {
    expectExactArgError(() => shapeArea(bad as unknown as Shape), code, `shapeArea: ${rest}`);
    expectExactArgError(() => scaleShape(bad as unknown as Shape, 2), code, `scaleShape: ${rest}`);
  });
});

describe('scaleShape', () => {
  it('returns a new, scaled shape of the same kind', () => {
    const t: Shape = { kind: 'triangle', a: 3, b: 4, c: 5 };
    expect(scaleShape(t, 2)).toEqual({ kind: 'triangle', a: 6, b: 8, c: 10 });
    expect(t).toEqual({ kind: 'triangle', a: 3, b: 4, c: 5 });
    expect(scaleShape({ kind: 'circle', radius: 2 }, 0.5)).toEqual({ kind: 'circle', radius: 1 });
    expect(scaleShape({ kind: 'rectangle', width: 2, height: 3 }, 0)).toEqual({
      kind: 'rectangle',
      width: 0,
      height: 0,
    });
  });

  it('throws FfiError for a bad factor or a bad shape, TypeError for a factor that is not a number', () => {
    const c: Shape = { kind: 'circle', radius: 1 };
    for (const bad of [-1, NaN, Infinity]) {
      expect(ffiStatus(() => scaleShape(c, bad))).toBe('INVALID_ARGUMENT');
    }
    expect(ffiStatus(() => scaleShape({ kind: 'circle', radius: -1 }, 2))).toBe('INVALID_ARGUMENT');
    expect(ffiStatus(() => scaleShape({ kind: 'circle', radius: 1e300 }, 1e10))).toBe('OVERFLOW');
    expect(() => scaleShape(c, '2' as unknown as number)).toThrow(TypeError);
    expect(() => scaleShape(c, undefined as unknown as number)).toThrow(TypeError);
    // The factor is checked first, with its own name.
    expectExactArgError(
      () => scaleShape(null as unknown as Shape, '2' as unknown as number),
      'ERR_INVALID_ARG_TYPE',
      'scaleShape: factor must be a number, got string "2"',
    );
  });

  it('refuses a tag it does not know after the call (a library breaking the contract) instead of returning a half shape', () => {
    const real = rawEnums.shape_scale;
    const spy = jest.spyOn(rawEnums, 'shape_scale').mockImplementation((shape, factor, error) => {
      const status = real(shape, factor, error);
      new Uint32Array((shape as Float64Array).buffer, 0, 1)[0] = 7;
      return status;
    });
    try {
      const error = thrownBy(() => scaleShape({ kind: 'circle', radius: 1 }, 2));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('scaleShape: unknown Shape tag 7 after the call');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(scaleShape({ kind: 'circle', radius: 1 }, 2)).toEqual({ kind: 'circle', radius: 2 });
  });

  /** Valid shapes with dimensions in a range where k² · area neither overflows nor goes subnormal. */
  const dim = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));
  const shape: fc.Arbitrary<Shape> = fc.oneof(
    dim.map((radius): Shape => ({ kind: 'circle', radius })),
    fc.tuple(dim, dim).map(([width, height]): Shape => ({ kind: 'rectangle', width, height })),
    // Two sides and a third between their difference and their sum always form a triangle.
    fc
      .tuple(dim, dim, fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([a, b, t]): Shape => ({ kind: 'triangle', a, b, c: Math.abs(a - b) + t * (a + b - Math.abs(a - b)) })),
  );
  const factor = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));

  it('keeps the kind and scales the area by k²', () => {
    fc.assert(
      fc.property(shape, factor, (s, k) => {
        const scaled = scaleShape(s, k);
        expect(scaled.kind).toBe(s.kind);
        const expected = k * k * shapeArea(s);
        const actual = shapeArea(scaled);
        // The area of a nearly flat triangle is ill-conditioned: rounding a side by one ulp (as
        // scaling does) moves it by up to ~sqrt(ε)·size² ≈ 1.5e-8·size². Allow that as a floor.
        const size = Math.max(...Object.values(scaled).filter((v): v is number => typeof v === 'number'));
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * expected, 1e-7 * size * size));
      }),
      { numRuns: 1000 },
    );
  });
});
