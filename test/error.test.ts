/**
 * The reason channel seen from JS: every FfiError names its function and
 * carries Rust's reason word for word, its status, its number and a Node-style
 * code. Reasons the public API can produce are checked through it; the others
 * (NULL arguments, a too-small buffer, a stopped count...) through the raw
 * layer with an error object, as a koffi user would see them.
 */
import * as api from '../ts';
import { FfiError, FfiStatus, type FfiStatusName } from '../ts';
import * as raw from '../ts/raw';

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/** Checks that `fn` throws an FfiError from `operation` with `status` and exactly `reason`. */
function expectReason(fn: () => unknown, operation: string, status: FfiStatusName, reason: string): void {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(FfiError);
  expect(err).toMatchObject({
    name: 'FfiError',
    status,
    statusCode: FfiStatus[status],
    code: `ERR_FFI_${status}`,
    message: `${operation}: ${reason}`,
  });
}

const DIMENSION = 'a dimension must be finite and >= 0';
const FACTOR = 'a scale factor must be finite and >= 0';
const DOUBLE_MAX = '1.7976931348623157e308';

describe('FfiError from the public API carries the function name and Rust reason', () => {
  it.each([
    [2 ** 31 - 1, 1, '2147483647 + 1 = 2147483648 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)'],
    [
      -(2 ** 31),
      -1,
      '-2147483648 + -1 = -2147483649 does not fit in a 32-bit int: it is below INT32_MIN (-2147483648)',
    ],
  ])('addChecked(%d, %d)', (a, b, reason) => {
    expectReason(() => api.addChecked(a, b), 'addChecked', 'OVERFLOW', reason);
  });

  it.each([
    [[0x61, 0x62, 0x63, 0xff], 'invalid byte sequence 0xff at byte offset 3'],
    [[0x68, 0xc3, 0xa9, 0x80], 'invalid byte sequence 0x80 at byte offset 3'],
    [[0xc0, 0xaf], 'invalid byte sequence 0xc0 at byte offset 0'],
    [[0xed, 0xa0, 0x80], 'invalid byte sequence 0xed at byte offset 0'],
    [[0x6f, 0x6b, 0xe2, 0x82], 'incomplete character at byte offset 2 (the input ends after 2 of its bytes)'],
  ])('countCharacters(%j)', (bytes, why) => {
    expectReason(
      () => api.countCharacters(new Uint8Array(bytes)),
      'countCharacters',
      'INVALID_UTF8',
      `s is not valid UTF-8: ${why}`,
    );
  });

  it.each([
    [{ kind: 'circle', radius: -1 }, `radius is -1: ${DIMENSION}`],
    [{ kind: 'circle', radius: NaN }, `radius is NaN: ${DIMENSION}`],
    [{ kind: 'circle', radius: Infinity }, `radius is Infinity: ${DIMENSION}`],
    [{ kind: 'circle', radius: -1e-300 }, `radius is -1e-300: ${DIMENSION}`],
    [{ kind: 'rectangle', width: -0.5, height: 1 }, `width is -0.5: ${DIMENSION}`],
    [{ kind: 'rectangle', width: 1, height: -Infinity }, `height is -Infinity: ${DIMENSION}`],
    [{ kind: 'triangle', a: -3, b: 4, c: 5 }, `a is -3: ${DIMENSION}`],
    [{ kind: 'triangle', a: 3, b: NaN, c: 5 }, `b is NaN: ${DIMENSION}`],
    [{ kind: 'triangle', a: 3, b: 4, c: -5 }, `c is -5: ${DIMENSION}`],
    [
      { kind: 'triangle', a: 1, b: 1, c: 5 },
      'the sides a = 1, b = 1, c = 5 break the triangle inequality: c = 5 is longer than a + b = 2',
    ],
    [
      { kind: 'triangle', a: 2, b: 9.5, c: 3 },
      'the sides a = 2, b = 9.5, c = 3 break the triangle inequality: b = 9.5 is longer than a + c = 5',
    ],
  ] as const)('shapeArea(%j) is INVALID_ARGUMENT', (shape, reason) => {
    expectReason(() => api.shapeArea(shape), 'shapeArea', 'INVALID_ARGUMENT', reason);
    // scaleShape validates the same shape first, with the same reason.
    expectReason(() => api.scaleShape(shape, 2), 'scaleShape', 'INVALID_ARGUMENT', reason);
  });

  it('shapeArea: an area too large for a double is OVERFLOW', () => {
    expectReason(
      () => api.shapeArea({ kind: 'circle', radius: 1e200 }),
      'shapeArea',
      'OVERFLOW',
      `the area of the circle with radius 1e200 is too large for a double (above ${DOUBLE_MAX})`,
    );
    expectReason(
      () => api.shapeArea({ kind: 'rectangle', width: 1e300, height: 1e10 }),
      'shapeArea',
      'OVERFLOW',
      `the area of the rectangle with width 1e300, height 10000000000 is too large for a double (above ${DOUBLE_MAX})`,
    );
    expectReason(
      () => api.shapeArea({ kind: 'triangle', a: 1e300, b: 1e300, c: 1e300 }),
      'shapeArea',
      'OVERFLOW',
      `the area of the triangle with sides 1e300, 1e300, 1e300 is too large for a double (above ${DOUBLE_MAX})`,
    );
  });

  it.each([
    [-2, '-2'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('scaleShape by %d is INVALID_ARGUMENT', (factor, shown) => {
    expectReason(
      () => api.scaleShape({ kind: 'circle', radius: 1 }, factor),
      'scaleShape',
      'INVALID_ARGUMENT',
      `factor is ${shown}: ${FACTOR}`,
    );
  });

  it('scaleShape: a scaled dimension too large for a double is OVERFLOW', () => {
    expectReason(
      () => api.scaleShape({ kind: 'rectangle', width: 2, height: 3 }, 1e308),
      'scaleShape',
      'OVERFLOW',
      `width 2 × factor 1e308 is too large for a double (above ${DOUBLE_MAX})`,
    );
    expectReason(
      () => api.scaleShape({ kind: 'triangle', a: 3, b: 4, c: 1e300 }, 1e10),
      'scaleShape',
      'INVALID_ARGUMENT',
      'the sides a = 3, b = 4, c = 1e300 break the triangle inequality: c = 1e300 is longer than a + b = 7',
    );
  });

  const NOT_A_NUMBER: [string, string][] = [
    ['', '"" is not a number: the text is empty'],
    ['4 2', `"4 2" is not a number: unexpected ' ' at byte 1`],
    [' 42', `" 42" is not a number: unexpected ' ' at byte 0`],
    ['42 ', `"42 " is not a number: unexpected ' ' at byte 2`],
    ['+', '"+" is not a number: expected a digit at byte 1, found the end of the text'],
    ['.', '"." is not a number: expected a digit at byte 1, found the end of the text'],
    ['1e', '"1e" is not a number: expected a digit at byte 2, found the end of the text'],
    ['1e+x', `"1e+x" is not a number: unexpected 'x' at byte 3`],
    ['0x10', `"0x10" is not a number: unexpected 'x' at byte 1`],
    ['1_000', `"1_000" is not a number: unexpected '_' at byte 1`],
    ['4.5f', `"4.5f" is not a number: unexpected 'f' at byte 3`],
    ['1.2.3', `"1.2.3" is not a number: unexpected '.' at byte 3`],
    ['١٢', `"١٢" is not a number: unexpected '١' at byte 0`],
    ['1é', `"1é" is not a number: unexpected 'é' at byte 1`],
    ['forty-two', `"forty-two" is not a number: unexpected 'f' at byte 0`],
    ['a\tb', `"a\\tb" is not a number: unexpected 'a' at byte 0`],
    ['say "hi"', `"say \\"hi\\"" is not a number: unexpected 's' at byte 0`],
    ['nan', '"nan" is not a finite number: NaN and infinities are refused'],
    ['-Infinity', '"-Infinity" is not a finite number: NaN and infinities are refused'],
    ['2147483648', '"2147483648" is out of range for int32 (-2147483648 to 2147483647)'],
    ['-2147483649', '"-2147483649" is out of range for int32 (-2147483648 to 2147483647)'],
    ['99999999999999999999', '"99999999999999999999" is out of range for int32 (-2147483648 to 2147483647)'],
    ['1e39', '"1e39" is out of range for float (its magnitude is above 3.4028235e38)'],
    ['-3.5e38', '"-3.5e38" is out of range for float (its magnitude is above 3.4028235e38)'],
  ];

  it.each(NOT_A_NUMBER)('parseNumber(%j)', (text, reason) => {
    expectReason(() => api.parseNumber(text), 'parseNumber', 'INVALID_ARGUMENT', reason);
    // The same text as UTF-8 bytes gives the same reason.
    expectReason(() => api.parseNumber(new TextEncoder().encode(text)), 'parseNumber', 'INVALID_ARGUMENT', reason);
  });

  it('parseNumber cuts long text in the reason after 40 characters and gives its length', () => {
    const long = '1'.repeat(100) + 'x';
    expectReason(
      () => api.parseNumber(long),
      'parseNumber',
      'INVALID_ARGUMENT',
      `"${'1'.repeat(40)}"... (101 bytes) is not a number: unexpected 'x' at byte 100`,
    );
    const crabs = '🦀'.repeat(50);
    expectReason(
      () => api.parseNumber(crabs),
      'parseNumber',
      'INVALID_ARGUMENT',
      `"${'🦀'.repeat(40)}"... (200 bytes) is not a number: unexpected '🦀' at byte 0`,
    );
  });

  it('parseNumber of bytes that are not UTF-8 gives the offset', () => {
    expectReason(
      () => api.parseNumber(new Uint8Array([0x34, 0x32, 0xff])),
      'parseNumber',
      'INVALID_UTF8',
      'text is not valid UTF-8: invalid byte sequence 0xff at byte offset 2',
    );
  });
});

describe('the shared error object of synchronous calls is safe under re-entry', () => {
  it('a countWhere predicate that calls failing functions sees their own reasons', () => {
    const seen: string[] = [];
    const count = api.countWhere([1, 2, 3], (v) => {
      for (const [fn, name] of [
        [() => api.parseNumber(`${v} `), 'parseNumber'],
        [() => api.shapeArea({ kind: 'circle', radius: -v }), 'shapeArea'],
      ] as const) {
        try {
          fn();
        } catch (err) {
          seen.push(`${name}/${(err as FfiError).message}`);
        }
      }
      return v !== 2;
    });
    expect(count).toBe(2);
    expect(seen).toEqual(
      [1, 2, 3].flatMap((v) => [
        `parseNumber/parseNumber: "${v} " is not a number: unexpected ' ' at byte 1`,
        `shapeArea/shapeArea: radius is -${v}: ${DIMENSION}`,
      ]),
    );
    // And the object still works for the next call.
    expectReason(
      () => api.addChecked(2 ** 31 - 1, 2),
      'addChecked',
      'OVERFLOW',
      '2147483647 + 2 = 2147483649 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)',
    );
  });

  it('an FfiError thrown by a nested call is rethrown by countWhere unchanged', () => {
    const err = thrown(() => api.countWhere([7], () => api.shapeArea({ kind: 'circle', radius: -7 }) > 0));
    expect(err).toMatchObject({ code: 'ERR_FFI_INVALID_ARGUMENT', message: `shapeArea: radius is -7: ${DIMENSION}` });
  });
});

describe('reasons through the raw layer, with an error object', () => {
  let error: bigint;
  beforeEach(() => {
    const e = raw.ffi_error_new();
    if (e === null) throw new Error('ffi_error_new returned NULL');
    error = e;
  });
  afterEach(() => raw.ffi_error_free(error));
  const recorded = () => ({ status: raw.ffi_error_status(error), message: raw.ffi_error_message(error) });

  it('a fresh object is OK and empty; NULL is tolerated', () => {
    expect(recorded()).toEqual({ status: FfiStatus.OK, message: '' });
    expect(raw.ffi_error_status(null)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(raw.ffi_error_message(null)).toBeNull();
    raw.ffi_error_free(null);
  });

  it('objects are counted until freed; a thread-owned one records reasons and is freed by free() on its thread', () => {
    const live = raw.ffi_error_live_count();
    const owned = raw.ffi_error_new_thread_owned();
    if (owned === null) throw new Error('ffi_error_new_thread_owned returned NULL');
    expect(raw.ffi_error_live_count()).toBe(live + 1);
    expect(raw.add_in_rust_checked(1, 2, null, owned)).toBe(FfiStatus.NULL_ARGUMENT);
    expect({ status: raw.ffi_error_status(owned), message: raw.ffi_error_message(owned) }).toEqual({
      status: FfiStatus.NULL_ARGUMENT,
      message: 'out is NULL',
    });
    raw.ffi_error_free(owned);
    expect(raw.ffi_error_live_count()).toBe(live);
  });

  it('a success leaves the last failure in place', () => {
    expect(raw.add_in_rust_checked(1, 2, null, error)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(raw.add_in_rust_checked(1, 2, new Int32Array(1), error)).toBe(FfiStatus.OK);
    expect(recorded()).toEqual({ status: FfiStatus.NULL_ARGUMENT, message: 'out is NULL' });
  });

  const cases: [string, () => number, FfiStatusName, string][] = [
    ['add_in_rust_checked out', () => raw.add_in_rust_checked(1, 2, null, error), 'NULL_ARGUMENT', 'out is NULL'],
    [
      'concat_strings_into too small',
      () => raw.concat_strings_into('abcd', 'efgh', new Uint8Array(8), 8, null, error),
      'BUFFER_TOO_SMALL',
      'the result needs 9 bytes (NUL included) but buf_len is 8',
    ],
    [
      'concat_strings_into size query',
      () => raw.concat_strings_into('ab', 'c', null, 0, null, error),
      'BUFFER_TOO_SMALL',
      'the result needs 4 bytes (NUL included) but buf_len is 0',
    ],
    [
      'concat_strings_into buf',
      () => raw.concat_strings_into('ab', 'c', null, 5, null, error),
      'NULL_ARGUMENT',
      'buf is NULL but buf_len is 5',
    ],
    [
      'concat_strings_into first',
      () => raw.concat_strings_into(null, 'c', new Uint8Array(8), 8, null, error),
      'NULL_ARGUMENT',
      'first is NULL',
    ],
    [
      'concat_strings_into second',
      () => raw.concat_strings_into('c', null, new Uint8Array(8), 8, null, error),
      'NULL_ARGUMENT',
      'second is NULL',
    ],
    [
      'count_characters s',
      () => raw.count_characters(null, new BigUint64Array(1), error),
      'NULL_ARGUMENT',
      's is NULL',
    ],
    ['count_characters out', () => raw.count_characters('x', null, error), 'NULL_ARGUMENT', 'out is NULL'],
    [
      'count_characters_utf16 lone surrogate',
      () => raw.count_characters_utf16(new Uint16Array([0x61, 0xdc00]), 2, new BigUint64Array(1), error),
      'INVALID_ARGUMENT',
      's is not well-formed UTF-16: lone surrogate 0xDC00 at code unit 1',
    ],
    [
      'count_characters_utf16 s',
      () => raw.count_characters_utf16(null, 2, new BigUint64Array(1), error),
      'NULL_ARGUMENT',
      's is NULL but len is 2',
    ],
    [
      'count_characters_utf16 out',
      () => raw.count_characters_utf16('ab', 2, null, error),
      'NULL_ARGUMENT',
      'out is NULL',
    ],
    [
      'count_characters_utf8 invalid',
      () => raw.count_characters_utf8(new Uint8Array([0x61, 0, 0xff]), 3, new BigUint64Array(1), error),
      'INVALID_UTF8',
      's is not valid UTF-8: invalid byte sequence 0xff at byte offset 2',
    ],
    [
      'count_characters_utf8 s',
      () => raw.count_characters_utf8(null, 1, new BigUint64Array(1), error),
      'NULL_ARGUMENT',
      's is NULL but len is 1',
    ],
    [
      'concat_strings_utf16_into too small',
      () => raw.concat_strings_utf16_into('abc', 3, 'de', 2, new Uint16Array(4), 4, null, error),
      'BUFFER_TOO_SMALL',
      'the result needs 5 code units but buf_len is 4',
    ],
    [
      'concat_strings_utf16_into second',
      () => raw.concat_strings_utf16_into('a', 1, new Uint16Array([0xd83e]), 1, new Uint16Array(4), 4, null, error),
      'INVALID_ARGUMENT',
      'second is not well-formed UTF-16: lone surrogate 0xD83E at code unit 0',
    ],
    [
      'concat_strings_utf16_into buf',
      () => raw.concat_strings_utf16_into('a', 1, 'b', 1, null, 4, null, error),
      'NULL_ARGUMENT',
      'buf is NULL but buf_len is 4',
    ],
    ['shape_area shape', () => raw.shape_area(null, new Float64Array(1), error), 'NULL_ARGUMENT', 'shape is NULL'],
    ['shape_area out', () => raw.shape_area(new Float64Array(4), null, error), 'NULL_ARGUMENT', 'out is NULL'],
    ['shape_scale shape', () => raw.shape_scale(null, 2, error), 'NULL_ARGUMENT', 'shape is NULL'],
    [
      'shape_area unknown tag',
      () => raw.shape_area(new Uint32Array([7, 0, 0, 0, 0, 0, 0, 0]), new Float64Array(1), error),
      'INVALID_ARGUMENT',
      'unknown Shape tag 7: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)',
    ],
    [
      'shape_scale unknown tag',
      () => raw.shape_scale(new Uint32Array([3, 0, 0, 0, 0, 0, 0, 0]), 2, error),
      'INVALID_ARGUMENT',
      'unknown Shape tag 3: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)',
    ],
    ['parse_number text', () => raw.parse_number(null, new Uint8Array(8), error), 'NULL_ARGUMENT', 'text is NULL'],
    ['parse_number out', () => raw.parse_number('1', null, error), 'NULL_ARGUMENT', 'out is NULL'],
    [
      'count_where stop',
      () =>
        raw.count_where(
          new Uint32Array([4, 5, 0, 6]),
          4,
          (v) => (v === 0 ? raw.COUNT_WHERE_STOP : raw.COUNT_WHERE_MATCH),
          null,
          new BigUint64Array(1),
          error,
        ),
      'CANCELLED',
      'the predicate stopped the count at index 2 (value 0) after 2 matches',
    ],
    [
      'count_where predicate',
      () => raw.count_where(new Uint32Array(1), 1, null, null, new BigUint64Array(1), error),
      'NULL_ARGUMENT',
      'predicate is NULL',
    ],
    [
      'count_where out',
      () => raw.count_where(new Uint32Array(1), 1, () => 1, null, null, error),
      'NULL_ARGUMENT',
      'out is NULL',
    ],
    [
      'count_where numbers',
      () => raw.count_where(null, 3, () => 1, null, new BigUint64Array(1), error),
      'NULL_ARGUMENT',
      'numbers is NULL but length is 3',
    ],
    [
      'primes_up_to limit',
      () => raw.primes_up_to(2 ** 30 + 1, new BigUint64Array(3), error),
      'INVALID_ARGUMENT',
      'limit 1073741825 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)',
    ],
    ['primes_up_to out', () => raw.primes_up_to(10, null, error), 'NULL_ARGUMENT', 'out is NULL'],
    [
      'u32_array_move_into too small',
      () => {
        const out = new BigUint64Array(3);
        expect(raw.primes_up_to(30, out, null)).toBe(FfiStatus.OK);
        try {
          return raw.u32_array_move_into(out, new Uint32Array(9), 9, error);
        } finally {
          raw.u32_array_free({ data: out[0], len: Number(out[1]), capacity: Number(out[2]) });
        }
      },
      'BUFFER_TOO_SMALL',
      'the array has 10 values but dest_len is 9',
    ],
    [
      'u32_array_move_into array',
      () => raw.u32_array_move_into(null, null, 0, error),
      'NULL_ARGUMENT',
      'array is NULL',
    ],
    [
      'async_jobs_run job',
      () => {
        // One AsyncJob (14 words): kind, status, limit, reserved, then u64 offsets and lengths.
        const job = new Uint32Array(14);
        job[0] = raw.ASYNC_JOB_PRIMES_UP_TO;
        job[2] = 100; // limit
        job[10] = 4; // output_capacity (low word)
        return raw.async_jobs_run(job, 1, new Uint32Array(4), 4, error);
      },
      'BUFFER_TOO_SMALL',
      'job 0: output_capacity 4 is below async_job_primes_capacity(100) = 28',
    ],
    [
      'async_jobs_run jobs',
      () => raw.async_jobs_run(null, 2, new Uint32Array(4), 4, error),
      'NULL_ARGUMENT',
      'jobs is NULL but count is 2',
    ],
  ];

  it.each(cases)('%s', (_label, call, status, reason) => {
    expect(call()).toBe(FfiStatus[status]);
    expect(recorded()).toEqual({ status: FfiStatus[status], message: reason });
  });

  it('an async call writes its own error object on the worker thread', async () => {
    const status = await new Promise<number>((resolve, reject) =>
      raw.primes_up_to.async(2 ** 31, new BigUint64Array(3), error, (err: unknown, s: number) =>
        err ? reject(err as Error) : resolve(s),
      ),
    );
    expect(status).toBe(FfiStatus.INVALID_ARGUMENT);
    expect(recorded()).toEqual({
      status: FfiStatus.INVALID_ARGUMENT,
      message: 'limit 2147483648 is above PRIMES_UP_TO_MAX_LIMIT (1073741824)',
    });
  });
});
