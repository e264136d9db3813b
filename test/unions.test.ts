import fc from 'fast-check';
import koffi, { Union } from 'koffi';
import { bitsToFloat, FfiError, floatToBits, parseNumber } from '../ts';
import {
  Either,
  EITHER_LEFT,
  EITHER_RIGHT,
  EitherValue,
  IntOrFloat,
  int_or_float_as_float,
  int_or_float_as_int,
  int_or_float_from_float,
  parse_number,
} from '../ts/raw';
import * as rawUnions from '../ts/raw/unions';
import { expectThrowsArg } from './fixtures/arg-errors';

// Test helpers only: the library itself never uses DataView.
const scratch = new DataView(new ArrayBuffer(8));

/** The 64-bit pattern of a JS number, as a bigint. */
function bits64(x: number): bigint {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

/** The JS number with this 64-bit pattern (NaN payloads included). */
function fromBits64(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** What narrowing a NaN double to a float gives on IEEE-754 hardware: same sign, top 22 payload bits, quiet bit set. */
function narrowedNaNBits(x: number): number {
  const b = bits64(x);
  const sign = Number(b >> 63n);
  const top23 = Number((b >> 29n) & 0x7f_ffffn);
  return ((sign << 31) | 0x7f80_0000 | 0x40_0000 | top23) >>> 0;
}

const CANONICAL_NAN = 0x7ff8_0000_0000_0000n;

/** A NaN double with an arbitrary sign and payload (quiet or signalling). */
const anyNaN = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 1n, max: (1n << 52n) - 1n }))
  .map(([negative, payload]) => fromBits64((negative ? 1n << 63n : 0n) | (0x7ffn << 52n) | payload));

describe('raw IntOrFloat', () => {
  it('has the C layout', () => {
    expect(koffi.sizeof(IntOrFloat)).toBe(4);
    expect(koffi.alignof(IntOrFloat)).toBe(4);
  });

  it('passes and returns the union by value', () => {
    expect(int_or_float_from_float(1).as_int).toBe(0x3f80_0000);
    expect(int_or_float_from_float(-2.5).as_float).toBe(-2.5);
    expect(int_or_float_as_int({ as_float: 1 })).toBe(0x3f80_0000);
    expect(int_or_float_as_int({ as_float: -1 })).toBe(0xbf80_0000 | 0);
    expect(int_or_float_as_float({ as_int: 0x4049_0fdb })).toBe(Math.fround(Math.PI));
    const u = new Union(IntOrFloat);
    u.as_int = 0x3f80_0000;
    expect(int_or_float_as_float(u)).toBe(1);
  });
});

describe('floatToBits', () => {
  it('gives the IEEE-754 single-precision pattern, unsigned', () => {
    expect(floatToBits(1)).toBe(0x3f80_0000);
    expect(floatToBits(-1)).toBe(0xbf80_0000);
    expect(floatToBits(0)).toBe(0);
    expect(floatToBits(-0)).toBe(0x8000_0000);
    expect(floatToBits(Infinity)).toBe(0x7f80_0000);
    expect(floatToBits(-Infinity)).toBe(0xff80_0000);
    expect(floatToBits(NaN)).toBe(0x7fc0_0000);
    expect(floatToBits(Math.PI)).toBe(0x4049_0fdb); // rounded to the nearest float
    expect(floatToBits(1e39)).toBe(0x7f80_0000); // beyond the float range, like Math.fround
    expect(floatToBits(2 ** -149)).toBe(1); // the smallest subnormal
  });

  it('agrees with a Float32Array store for every double', () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    fc.assert(
      fc.property(fc.double(), (x) => {
        f32[0] = x;
        expect(floatToBits(x)).toBe(Number.isNaN(x) ? narrowedNaNBits(x) : u32[0]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the sign and top 22 payload bits of a NaN, quieted, as narrowing does', () => {
    expect(floatToBits(fromBits64(0x7ff8_1234_5678_9abcn))).toBe(0x7fc0_91a2);
    expect(floatToBits(fromBits64(0xfff4_0000_0000_0000n))).toBe(0xffe0_0000); // signalling: quieted
    fc.assert(
      fc.property(anyNaN, (x) => {
        expect(floatToBits(x)).toBe(narrowedNaNBits(x));
      }),
    );
  });

  it.each([
    ['a string', '1'],
    ['a bigint', 1n],
    ['undefined', undefined],
    ['null', null],
    ['an object', { valueOf: (): number => 1 }],
  ])('refuses %s with TypeError', (_label, bad) => {
    expect(() => floatToBits(bad as number)).toThrow(TypeError);
  });
});

describe('bitsToFloat', () => {
  it('reads a bit pattern as a float', () => {
    expect(bitsToFloat(0x3f80_0000)).toBe(1);
    expect(bitsToFloat(0xbf80_0000)).toBe(-1);
    expect(bitsToFloat(0xbf80_0000 | 0)).toBe(-1); // the same pattern, signed
    expect(Object.is(bitsToFloat(0x8000_0000), -0)).toBe(true);
    expect(Object.is(bitsToFloat(-0x8000_0000), -0)).toBe(true);
    expect(bitsToFloat(0x7f80_0000)).toBe(Infinity);
    expect(bitsToFloat(0x4049_0fdb)).toBe(Math.fround(Math.PI));
    expect(bitsToFloat(1)).toBe(2 ** -149);
  });

  it('bitsToFloat(floatToBits(x)) is Math.fround(x) bit for bit, except that NaN comes back canonical', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), anyNaN), (x) => {
        const back = bitsToFloat(floatToBits(x));
        if (Number.isNaN(x)) {
          // Documented: koffi hands a float return to V8, which canonicalises NaN.
          expect(bits64(back)).toBe(CANONICAL_NAN);
        } else {
          expect(bits64(back)).toBe(bits64(Math.fround(x)));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('floatToBits(bitsToFloat(b)) is b for every pattern that is not a NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (b) => {
        const isNaN = (b & 0x7f80_0000) === 0x7f80_0000 && (b & 0x7f_ffff) !== 0;
        expect(floatToBits(bitsToFloat(b))).toBe(isNaN ? 0x7fc0_0000 : b);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the canonical NaN for every NaN pattern, quiet or signalling', () => {
    for (const b of [0x7fc0_0000, 0x7fc1_2345, 0xffc0_0001, 0x7f80_0001, 0xff81_2345]) {
      expect(bits64(bitsToFloat(b))).toBe(CANONICAL_NAN);
    }
  });

  it.each([
    ['a string', '1'],
    ['a bigint', 1n],
    ['null', null],
  ])('refuses %s with TypeError', (_label, bad) => {
    expectThrowsArg(
      () => bitsToFloat(bad as unknown as number),
      'bitsToFloat',
      'ERR_INVALID_ARG_TYPE',
      'bits must be a number',
    );
  });

  it.each([
    ['a non-integer', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('refuses %s with RangeError (not an integer)', (_label, bad) => {
    expectThrowsArg(() => bitsToFloat(bad as number), 'bitsToFloat', 'ERR_OUT_OF_RANGE', 'bits must be an integer');
  });

  it.each([2 ** 32, -(2 ** 31) - 1, 2 ** 53])('refuses %d outside 32 bits with RangeError', (bad) => {
    expect(() => bitsToFloat(bad)).toThrow(RangeError);
  });
});

describe('raw Either', () => {
  it('has the C layout', () => {
    expect(koffi.sizeof(EitherValue)).toBe(4);
    expect(koffi.sizeof(Either)).toBe(8);
    expect(koffi.alignof(Either)).toBe(4);
    expect(koffi.offsetof(Either, 'tag')).toBe(0);
    expect(koffi.offsetof(Either, 'value')).toBe(4);
    expect([EITHER_LEFT, EITHER_RIGHT]).toEqual([0, 1]);
  });

  it('writes the tag and the member it names into caller memory', () => {
    const out = new Uint32Array(2);
    expect(parse_number('42', out, null)).toBe(0);
    expect(out[0]).toBe(EITHER_LEFT);
    expect(new Int32Array(out.buffer)[1]).toBe(42);
    expect(parse_number('4.5', out, null)).toBe(0);
    expect(out[0]).toBe(EITHER_RIGHT);
    expect(new Float32Array(out.buffer)[1]).toBe(4.5);
    expect(parse_number('nope', out, null)).toBe(3);
    expect(parse_number(null, out, null)).toBe(1);
    expect(parse_number('1', null, null)).toBe(1);
    expect(parse_number(new Uint8Array([0x34, 0xff, 0]), out, null)).toBe(2);
  });
});

describe('parseNumber', () => {
  it('returns a discriminated union', () => {
    expect(parseNumber('42')).toEqual({ kind: 'left', value: 42 });
    expect(parseNumber('4.5')).toEqual({ kind: 'right', value: 4.5 });
    const n = parseNumber('-7');
    // The discriminant narrows the type.
    const described = n.kind === 'left' ? `int ${n.value}` : `float ${n.value}`;
    expect(described).toBe('int -7');
  });

  it.each([
    ['+1', { kind: 'left', value: 1 }],
    ['-0', { kind: 'left', value: 0 }],
    ['007', { kind: 'left', value: 7 }],
    ['2147483647', { kind: 'left', value: 2 ** 31 - 1 }],
    ['-2147483648', { kind: 'left', value: -(2 ** 31) }],
    ['1e3', { kind: 'right', value: 1000 }],
    ['1E-3', { kind: 'right', value: Math.fround(0.001) }],
    ['.5', { kind: 'right', value: 0.5 }],
    ['5.', { kind: 'right', value: 5 }],
    ['-0.0', { kind: 'right', value: -0 }],
    ['0.1', { kind: 'right', value: Math.fround(0.1) }],
    ['3.4028235e38', { kind: 'right', value: Math.fround(3.4028235e38) }],
    ['1e-50', { kind: 'right', value: 0 }],
  ])('parses %j', (text, expected) => {
    expect(parseNumber(text)).toEqual(expected);
  });

  it.each([
    ['the empty string', ''],
    ['a sign alone', '-'],
    ['leading whitespace', ' 42'],
    ['trailing whitespace', '42\n'],
    ['inner whitespace', '4 2'],
    ['int32 max + 1', '2147483648'],
    ['int32 min - 1', '-2147483649'],
    ['a huge integer', '99999999999999999999'],
    ['nan', 'nan'],
    ['NaN', 'NaN'],
    ['inf', 'inf'],
    ['-Infinity', '-Infinity'],
    ['a float beyond the float range', '1e39'],
    ['hexadecimal', '0x10'],
    ['a separator', '1_000'],
    ['a suffix', '4.5f'],
    ['a word', 'forty-two'],
    ['non-ASCII digits', '١٢'],
  ])('throws FfiError INVALID_ARGUMENT for %s', (_label, text) => {
    expect(() => parseNumber(text)).toThrow(FfiError);
    expect(() => parseNumber(text)).toThrow(
      expect.objectContaining({ status: 'INVALID_ARGUMENT', statusCode: 3, code: 'ERR_FFI_INVALID_ARGUMENT' }),
    );
    expect(() => parseNumber(text)).toThrow(
      new RegExp(`^parseNumber: ${JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is`),
    );
    expect(parseNumber('1')).toEqual({ kind: 'left', value: 1 }); // still works afterwards
  });

  it('throws FfiError INVALID_UTF8 for bytes that are not UTF-8, and parses UTF-8 bytes', () => {
    expect(() => parseNumber(new Uint8Array([0x34, 0xff]))).toThrow(
      expect.objectContaining({ name: 'FfiError', status: 'INVALID_UTF8' }),
    );
    expect(parseNumber(Buffer.from('12'))).toEqual({ kind: 'left', value: 12 });
  });

  it('reads empty and detached bytes as the empty text (FfiError, not a TypeError from copying them)', () => {
    const detached = new Uint8Array([0x31]);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    for (const empty of [new Uint8Array(0), detached]) {
      expect(() => parseNumber(empty)).toThrow(FfiError);
    }
  });

  it('refuses other types, NUL and lone surrogates with TypeError', () => {
    expect(() => parseNumber(42 as unknown as string)).toThrow(TypeError);
    expect(() => parseNumber(null as unknown as string)).toThrow(TypeError);
    expect(() => parseNumber('4\0')).toThrow(TypeError);
    expect(() => parseNumber('\uD800')).toThrow(TypeError);
    expect(() => parseNumber(new Uint8Array([0x31, 0]))).toThrow(TypeError);
  });

  it('names the function and the argument in its argument errors', () => {
    expectThrowsArg(
      () => parseNumber(42 as unknown as string),
      'parseNumber',
      'ERR_INVALID_ARG_TYPE',
      /^text must be a string or a Uint8Array, got number 42$/,
    );
    expectThrowsArg(() => parseNumber('4\0'), 'parseNumber', 'ERR_INVALID_ARG_VALUE', /^text must not contain a NUL/);
    expectThrowsArg(
      () => parseNumber(new Uint8Array([0x31, 0])),
      'parseNumber',
      'ERR_INVALID_ARG_VALUE',
      /^text must not contain a 0 byte/,
    );
    expectThrowsArg(
      () => floatToBits('1' as unknown as number),
      'floatToBits',
      'ERR_INVALID_ARG_TYPE',
      /^x must be a number, got string "1"$/,
    );
  });

  it('refuses an Either tag that is neither LEFT nor RIGHT with an Error naming it', () => {
    // Rust writes only EITHER_LEFT or EITHER_RIGHT: a corrupt tag is injected by replacing the raw call.
    const spy = jest.spyOn(rawUnions, 'parse_number').mockImplementation((_text, out) => {
      new Uint32Array((out as Uint8Array).buffer)[0] = 7;
      return 0;
    });
    try {
      expect(() => parseNumber('1')).toThrow(new Error('parseNumber: Rust returned an unknown Either tag 7'));
    } finally {
      spy.mockRestore();
    }
    expect(parseNumber('1')).toEqual({ kind: 'left', value: 1 });
  });

  it('parses every int32 as left', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (i) => {
        expect(parseNumber(String(i))).toEqual({ kind: 'left', value: i });
      }),
    );
  });

  it('parses the shortest text of every finite float as right, to that float', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // Always with an exponent, so never an integer literal; toExponential drops the sign of -0.
        const text = (Object.is(x, -0) ? '-' : '') + x.toExponential();
        const parsed = parseNumber(text);
        expect(parsed.kind).toBe('right');
        expect(Object.is(parsed.value, x)).toBe(true);
      }),
    );
  });
});
