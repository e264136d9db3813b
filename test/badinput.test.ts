/**
 * Bad input, exhaustively: every public export of the package root, every
 * class of bad input that applies to each of its argument slots, asserting
 * the documented error class (and FfiError status), and that a normal call
 * right after still gives the right answer.
 *
 * The table below must name every export (checked at compile time by its
 * type and at run time by the first test), so a new public function cannot
 * be forgotten. To add one: a row with its argument `slots` (kinds below), a
 * `valid` call, a pure-JS `model` of its result, and `extra` cases for
 * anything the slot kinds do not cover (freed handles, ...).
 *
 * Decisions this suite pins down (from ts/validate.ts):
 * - wrong type: TypeError `ERR_INVALID_ARG_TYPE`
 * - non-integer (incl. NaN, ±Infinity for integer slots), or an integer out of
 *   the C type's range: RangeError `ERR_OUT_OF_RANGE`
 * - `\0` in a string and lone surrogates: TypeError `ERR_INVALID_ARG_VALUE`
 *   (never replaced by U+FFFD)
 * - every such error's message starts with the public function's name
 *   (`'addInRust: a must be ...'`), and every TypeError/RangeError the API
 *   itself throws carries a Node-style `code` (test/fixtures/arg-errors.ts)
 * - invalid UTF-8 bytes where text is required: FfiError INVALID_UTF8
 * - empty and very large (64 MiB) inputs: valid, and equal to the model
 */
import * as assert from 'node:assert/strict';
import * as api from '../ts';
import { FfiError, type FfiStatusName } from '../ts';
import { rust_string_live_count, u32_array_live_count } from '../ts/raw';
import { type ArgErrorCode, CLASS_OF_CODE, thrownBy } from './fixtures/arg-errors';

type AnyFn = (...args: unknown[]) => unknown;
type ErrorClass = typeof TypeError | typeof RangeError | typeof FfiError | typeof Error;

/**
 * What a call must do: throw (this class, with this status or code), or
 * return the model's result. `user: true` marks an error the caller's own
 * code threw (a predicate's), which the API rethrows untouched.
 */
type Expect =
  { throws: ErrorClass; status?: FfiStatusName; message?: RegExp; code?: ArgErrorCode; user?: true } | { model: true };

interface Case {
  label: string;
  value: unknown;
  expect: Expect;
}

/** Bad (and edge) values per kind of argument slot. */
const MiB = 1024 * 1024;
const wrongTypes = (except: string[]): Case[] =>
  (
    [
      ['a string', '1'],
      ['a bigint', 1n],
      ['a number', 1],
      ['null', null],
      ['undefined', undefined],
      ['an object', {}],
      ['an array', [1]],
      ['a boolean', true],
      ['a symbol', Symbol('s')],
      ['a function', () => 1],
      ['a Buffer', Buffer.from('x')],
    ] as [string, unknown][]
  )
    .filter(([label]) => !except.includes(label))
    .map(([label, value]) => ({
      label: `wrong type: ${label}`,
      value,
      expect: { throws: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
    }));

const OUT_OF_RANGE: Expect = { throws: RangeError, code: 'ERR_OUT_OF_RANGE' };
const ARG_VALUE: Expect = { throws: TypeError, code: 'ERR_INVALID_ARG_VALUE' };
const ARG_TYPE: Expect = { throws: TypeError, code: 'ERR_INVALID_ARG_TYPE' };

const integerCases = (min: number, max: number): Case[] => [
  ...wrongTypes(['a number']),
  { label: 'NaN', value: NaN, expect: OUT_OF_RANGE },
  { label: '+Infinity', value: Infinity, expect: OUT_OF_RANGE },
  { label: '-Infinity', value: -Infinity, expect: OUT_OF_RANGE },
  { label: 'non-integer 1.5', value: 1.5, expect: OUT_OF_RANGE },
  { label: 'non-integer 1e-300', value: 1e-300, expect: OUT_OF_RANGE },
  { label: 'out of range: max + 1', value: max + 1, expect: OUT_OF_RANGE },
  { label: 'out of range: min - 1', value: min - 1, expect: OUT_OF_RANGE },
  { label: 'out of range: 2 ** 53', value: 2 ** 53, expect: OUT_OF_RANGE },
  { label: 'edge: max', value: max, expect: { model: true } },
  { label: 'edge: min', value: min, expect: { model: true } },
  { label: 'edge: -0', value: -0, expect: { model: true } },
];

const bigAscii = 'x'.repeat(64 * MiB);
const bigText = '🦀é'.repeat(3 * MiB); // 18 MiB of UTF-8 (koffi transcodes UTF-16 at ~30 MB/s)

const stringCases: Case[] = [
  ...wrongTypes(['a string']),
  { label: 'a String object', value: new String('x'), expect: ARG_TYPE },
  { label: '\\0 inside', value: 'a\0b', expect: { ...ARG_VALUE, message: /NUL/ } },
  { label: '\\0 alone', value: '\0', expect: ARG_VALUE },
  { label: 'lone high surrogate', value: '\uD83D', expect: { ...ARG_VALUE, message: /surrogate/ } },
  { label: 'lone low surrogate', value: 'x\uDE00y', expect: { ...ARG_VALUE, message: /surrogate/ } },
  { label: 'surrogates reversed', value: '\uDE00\uD83D', expect: ARG_VALUE },
  { label: 'edge: empty', value: '', expect: { model: true } },
  { label: 'edge: non-BMP and combining text', value: '🦀e\u0301👩‍👩‍👧', expect: { model: true } },
  { label: 'edge: 64 MiB ASCII', value: bigAscii, expect: { model: true } },
  { label: 'edge: 18 MiB non-ASCII', value: bigText, expect: { model: true } },
];

const bytesCases: Case[] = [
  { label: 'invalid UTF-8: 0xff', value: new Uint8Array([0xff]), expect: { throws: FfiError, status: 'INVALID_UTF8' } },
  {
    label: 'invalid UTF-8: truncated sequence',
    value: new Uint8Array([0x61, 0xc3]),
    expect: { throws: FfiError, status: 'INVALID_UTF8' },
  },
  {
    label: 'invalid UTF-8: encoded surrogate',
    value: new Uint8Array([0xed, 0xa0, 0x80]),
    expect: { throws: FfiError, status: 'INVALID_UTF8' },
  },
  {
    label: 'invalid UTF-8: overlong NUL',
    value: new Uint8Array([0xc0, 0x80]),
    expect: { throws: FfiError, status: 'INVALID_UTF8' },
  },
  { label: '0 byte inside', value: new Uint8Array([0x61, 0, 0x62]), expect: ARG_VALUE },
  { label: 'wrong typed array: Int8Array', value: new Int8Array([65]), expect: ARG_TYPE },
  { label: 'wrong typed array: Uint8ClampedArray', value: new Uint8ClampedArray([65]), expect: ARG_TYPE },
  { label: 'wrong typed array: Uint16Array', value: new Uint16Array([65]), expect: ARG_TYPE },
  { label: 'wrong typed array: Float64Array', value: new Float64Array([65]), expect: ARG_TYPE },
  { label: 'a DataView', value: new DataView(new ArrayBuffer(1)), expect: ARG_TYPE },
  { label: 'an ArrayBuffer', value: new ArrayBuffer(1), expect: ARG_TYPE },
  { label: 'edge: empty Uint8Array', value: new Uint8Array(0), expect: { model: true } },
  { label: 'edge: a subarray view', value: Buffer.from('zzhéllozz').subarray(2, 8), expect: { model: true } },
  { label: 'edge: 64 MiB of UTF-8 bytes', value: Buffer.from(bigText.repeat(4)), expect: { model: true } },
];

/** The NUL cases of a text slot become valid text for the `(pointer, length)` paths, where `\0` is U+0000. */
const countedText = (cases: Case[]): Case[] =>
  cases.map((c) => (/\\0|0 byte/.test(c.label) ? { ...c, label: `edge: ${c.label}`, expect: { model: true } } : c));

const FLT_MAX = 3.4028234663852886e38;
/** The least magnitude Math.fround rounds to Infinity: halfway between FLT_MAX and 2^128. */
const FLT_ROUNDING_LIMIT = 2 ** 128 - 2 ** 103;
const FLT_BELOW_LIMIT = 3.4028235677973362e38; // the double just below it

/**
 * 100M elements (400 MB), all 2^32 - 2 (even): their even sum, about 4.3e17,
 * is above 2^53. Views of it cost nothing: 2^21 elements sum to exactly
 * 2^53 - 2^22 (the largest sum a `number` result gets here), 2^21 + 1 pass 2^53 - 1.
 */
const hugeU32 = new Uint32Array(100_000_000).fill(0xfffffffe);
const holey = new Array<number>(3);
holey[0] = 2;
holey[2] = 4;

/** A `Uint32Array` or a plain array of uint32 numbers (ts/validate `uint32Array`), small inputs. */
const uint32ArraySmall: Case[] = [
  ...wrongTypes(['an array']),
  ...(
    [
      ['Int32Array', new Int32Array([2, 4])],
      ['Float64Array', new Float64Array([2, 4])],
      ['Float32Array', new Float32Array([2, 4])],
      ['Uint8Array', new Uint8Array([2, 4])],
      ['Uint16Array', new Uint16Array([2, 4])],
      ['Uint8ClampedArray', new Uint8ClampedArray([2, 4])],
      ['BigUint64Array', new BigUint64Array([2n, 4n])],
      ['a DataView', new DataView(new ArrayBuffer(8))],
      ['an ArrayBuffer', new ArrayBuffer(8)],
      ['a Buffer of 8 bytes', Buffer.alloc(8)],
      ['an array-like object', { length: 1, 0: 2 }],
    ] as [string, unknown][]
  ).map(([label, value]): Case => ({ label: `not a Uint32Array: ${label}`, value, expect: ARG_TYPE })),
  ...(
    [
      ['negative', [2, -2], 1],
      ['2 ** 32', [0, 0, 2 ** 32], 2],
      ['non-integer', [2.5], 0],
      ['NaN', [2, NaN], 1],
      ['Infinity', [2, Infinity], 1],
      ['a numeric string', ['2'], 0],
      ['a bigint', [2, 2n], 1],
      ['null', [2, null], 1],
      ['an object', [{}], 0],
      ['a hole', holey, 1],
    ] as [string, unknown[], number][]
  ).map(([label, value, index]): Case => ({
    label: `plain array, bad element: ${label}`,
    value,
    expect: {
      // A number that is no uint32 is out of range; anything else is the wrong type.
      ...(typeof value[index] === 'number' ? OUT_OF_RANGE : ARG_TYPE),
      message: new RegExp(`numbers\\[${index}\\] must be`),
    },
  })),
  { label: 'edge: empty Uint32Array', value: new Uint32Array(0), expect: { model: true } },
  { label: 'edge: empty array', value: [], expect: { model: true } },
  { label: 'edge: plain array with -0 (is 0)', value: [-0, 2], expect: { model: true } },
  { label: 'edge: uint32 extremes', value: new Uint32Array([0, 1, 2 ** 32 - 2, 2 ** 32 - 1]), expect: { model: true } },
  {
    label: 'edge: a subarray view',
    value: new Uint32Array([7, 8, 1, 2, 3, 4, 9]).subarray(2, 6),
    expect: { model: true },
  },
  {
    label: 'edge: a view of the 400 MB array, 2^17 elements',
    value: hugeU32.subarray(3, 3 + 2 ** 17),
    expect: { model: true },
  },
];

/** A predicate: any function; its exceptions are rethrown as they are. */
const predicateCases: Case[] = [
  ...wrongTypes(['a function']),
  {
    label: 'a class constructor (calling it throws a TypeError)',
    value: class {},
    expect: { throws: TypeError, user: true },
  },
  {
    label: 'throws a RangeError',
    value: () => {
      throw new RangeError('no');
    },
    expect: { throws: RangeError, message: /^no$/, user: true },
  },
  { label: 'edge: returns truthy non-booleans (the value)', value: (v: number) => v, expect: { model: true } },
  {
    label: 'returns a Promise (it cannot be awaited: refused, not counted as truthy)',
    value: () => Promise.resolve(false),
    expect: { throws: TypeError, code: 'ERR_INVALID_RETURN_VALUE' },
  },
  {
    label: 'returns a thenable',
    value: () => ({ then: () => undefined }),
    expect: { throws: TypeError, code: 'ERR_INVALID_RETURN_VALUE' },
  },
  {
    label: 'edge: gets the value only (no index argument)',
    value: (_v: number, i?: number) => i === undefined,
    expect: { model: true },
  },
];

/** The kinds of argument slot. Add a kind when a new function needs one. */
const SLOTS_BASE = {
  /** A `float` that must be finite (ts/validate `float32`): NaN, ±Infinity and |x| > FLT_MAX are RangeErrors. */
  float32: [
    ...wrongTypes(['a number']),
    { label: 'NaN', value: NaN, expect: OUT_OF_RANGE },
    { label: '+Infinity', value: Infinity, expect: OUT_OF_RANGE },
    { label: '-Infinity', value: -Infinity, expect: OUT_OF_RANGE },
    { label: 'out of range: 1e39', value: 1e39, expect: OUT_OF_RANGE },
    { label: 'out of range: 2^128 - 2^103 (rounds to Infinity)', value: FLT_ROUNDING_LIMIT, expect: OUT_OF_RANGE },
    { label: 'out of range: -(2^128 - 2^103)', value: -FLT_ROUNDING_LIMIT, expect: OUT_OF_RANGE },
    { label: 'edge: FLT_MAX', value: FLT_MAX, expect: { model: true } },
    {
      label: 'edge: the largest double below 2^128 - 2^103 (rounds to FLT_MAX)',
      value: FLT_BELOW_LIMIT,
      expect: { model: true },
    },
    { label: 'edge: smallest subnormal', value: 1e-45, expect: { model: true } },
    { label: 'edge: -0', value: -0, expect: { model: true } },
    { label: 'edge: 0.1 (rounded to float)', value: 0.1, expect: { model: true } },
  ] as Case[],
  pointLike: [
    ...wrongTypes(['an object', 'an array', 'a function', 'a Buffer']),
    { label: 'missing y', value: { x: 1 }, expect: { ...ARG_TYPE, message: /point\.y must be/ } },
    { label: 'x is a string', value: { x: '1', y: 2 }, expect: ARG_TYPE },
    { label: 'x is NaN', value: { x: NaN, y: 2 }, expect: OUT_OF_RANGE },
    { label: 'y is Infinity', value: { x: 1, y: Infinity }, expect: OUT_OF_RANGE },
    { label: 'edge: a Point instance', value: new api.Point(3, 4), expect: { model: true } },
  ] as Case[],
  float32Array: [
    ...wrongTypes([]),
    { label: 'odd length', value: new Float32Array(3), expect: OUT_OF_RANGE },
    { label: 'wrong typed array: Float64Array', value: new Float64Array(2), expect: ARG_TYPE },
    { label: 'wrong typed array: Int32Array', value: new Int32Array(2), expect: ARG_TYPE },
    { label: 'a plain array', value: [1, 2], expect: ARG_TYPE },
    { label: 'edge: empty', value: new Float32Array(0), expect: { model: true } },
    {
      label: 'edge: a subarray view',
      value: new Float32Array([9, 9, 1, 2, 3, 4]).subarray(2),
      expect: { model: true },
    },
  ] as Case[],
  bits32: integerCases(-(2 ** 31), 2 ** 32 - 1),
  shape: [
    ...wrongTypes(['an object', 'an array', 'a function', 'a Buffer']),
    { label: 'unknown kind', value: { kind: 'hexagon', side: 1 }, expect: ARG_VALUE },
    { label: 'missing field', value: { kind: 'circle' }, expect: { ...ARG_TYPE, message: /shape\.radius must be/ } },
    {
      label: 'negative radius',
      value: { kind: 'circle', radius: -1 },
      expect: { throws: FfiError, status: 'INVALID_ARGUMENT' },
    },
    {
      label: 'NaN width',
      value: { kind: 'rectangle', width: NaN, height: 1 },
      expect: { throws: FfiError, status: 'INVALID_ARGUMENT' },
    },
    {
      label: 'impossible triangle',
      value: { kind: 'triangle', a: 1, b: 1, c: 5 },
      expect: { throws: FfiError, status: 'INVALID_ARGUMENT' },
    },
    { label: 'edge: huge circle', value: { kind: 'circle', radius: 1e300 }, expect: { model: true } },
    { label: 'edge: zero radius', value: { kind: 'circle', radius: 0 }, expect: { model: true } },
    { label: 'edge: -0 width', value: { kind: 'rectangle', width: -0, height: 2 }, expect: { model: true } },
    { label: 'edge: 3-4-5 triangle', value: { kind: 'triangle', a: 3, b: 4, c: 5 }, expect: { model: true } },
    { label: 'edge: flat triangle (1, 2, 3)', value: { kind: 'triangle', a: 1, b: 2, c: 3 }, expect: { model: true } },
    { label: 'edge: triangle of zeros', value: { kind: 'triangle', a: 0, b: 0, c: 0 }, expect: { model: true } },
    {
      label: 'edge: area past f64 (1e200 × 1e200)',
      value: { kind: 'rectangle', width: 1e200, height: 1e200 },
      expect: { model: true },
    },
    {
      label: 'edge: huge equilateral triangle (1e308 sides)',
      value: { kind: 'triangle', a: 1e308, b: 1e308, c: 1e308 },
      expect: { model: true },
    },
  ] as Case[],
  u32pair: [
    ...wrongTypes(['an array', 'an object']),
    { label: 'too short', value: [1], expect: ARG_VALUE },
    { label: 'negative', value: [1, -1], expect: OUT_OF_RANGE },
    { label: 'too large', value: [2 ** 32, 1], expect: OUT_OF_RANGE },
    { label: 'non-integer', value: [1.5, 1], expect: OUT_OF_RANGE },
    { label: 'NaN', value: [NaN, 1], expect: OUT_OF_RANGE },
    { label: 'edge: [0, 2 ** 32 - 1]', value: [0, 2 ** 32 - 1], expect: { model: true } },
  ] as Case[],
  /** A `Uint32Array` or array of uint32 numbers, up to the 400 MB array and views of it. */
  uint32Array: [
    ...uint32ArraySmall,
    {
      label: 'edge: a plain array of 2^20 numbers (copied)',
      value: Array.from({ length: 2 ** 20 }, (_, i) => i),
      expect: { model: true },
    },
    {
      label: 'edge: a view of 2^21 elements (sum 2^53 - 2^22)',
      value: hugeU32.subarray(7, 7 + 2 ** 21),
      expect: { model: true },
    },
    {
      label: 'edge: a view of 2^21 + 1 elements (sum above 2^53)',
      value: hugeU32.subarray(0, 2 ** 21 + 1),
      expect: { model: true },
    },
    { label: 'edge: 100M elements (400 MB, sum about 4.3e17)', value: hugeU32, expect: { model: true } },
  ] as Case[],
  /** As `uint32Array`, but small enough to call a JS predicate per element. */
  uint32ArrayForCallback: uint32ArraySmall,
  predicate: predicateCases,
  /** A `primesUpTo` limit: a uint32 up to PRIMES_UP_TO_MAX_LIMIT (the max itself is an extra: 2 s). */
  primesLimit: [
    ...integerCases(0, api.PRIMES_UP_TO_MAX_LIMIT).filter((c) => c.label !== 'edge: max'),
    {
      label: 'out of range: 2 ** 32 - 1 (a uint32)',
      value: 2 ** 32 - 1,
      expect: { ...OUT_OF_RANGE, message: /PRIMES_UP_TO_MAX_LIMIT/ },
    },
    { label: 'edge: 1 (no primes)', value: 1, expect: { model: true } },
    { label: 'edge: 2', value: 2, expect: { model: true } },
    { label: 'edge: 2 ** 24', value: 2 ** 24, expect: { model: true } },
  ] as Case[],
  /** Any JS number, NaN and ±Infinity included; only other types are refused. */
  anyNumber: [
    ...wrongTypes(['a number']),
    { label: 'edge: NaN', value: NaN, expect: { model: true } },
    { label: 'edge: +Infinity', value: Infinity, expect: { model: true } },
    { label: 'edge: -Infinity', value: -Infinity, expect: { model: true } },
    { label: 'edge: 1e39', value: 1e39, expect: { model: true } },
    { label: 'edge: -0', value: -0, expect: { model: true } },
  ] as Case[],
  int32: integerCases(-(2 ** 31), 2 ** 31 - 1),
  uint32: integerCases(0, 2 ** 32 - 1),
  cString: stringCases,
  /** `string | Uint8Array` text (Uint8Array = raw UTF-8 bytes that Rust validates). */
  textOrBytes: [...stringCases.filter((c) => !c.label.startsWith('wrong type: a Buffer')), ...bytesCases],
  /** Text passed with its length (`_utf16`/`_utf8` entry points): `\0` is an ordinary character. */
  countedText: countedText(stringCases),
  /** `string | Uint8Array` passed with its length: `\0` and 0 bytes are ordinary characters. */
  countedTextOrBytes: countedText([
    ...stringCases.filter((c) => !c.label.startsWith('wrong type: a Buffer')),
    ...bytesCases,
  ]),
} satisfies Record<string, Case[]>;
const SLOTS = {
  ...SLOTS_BASE,
  /** A `float32` parameter with a default (`new Point(x = 0, y = 0)`): `undefined` means 0. */
  float32OrDefault: [
    ...SLOTS_BASE.float32.filter((c) => c.value !== undefined),
    { label: 'edge: undefined (the default, 0)', value: undefined, expect: { model: true } },
  ] as Case[],
};
type SlotKind = keyof typeof SLOTS;

interface FunctionRow {
  kind: 'function';
  call: AnyFn;
  slots: SlotKind[];
  /** A normal call: run after every bad one to show the process still works. */
  valid: unknown[];
  /**
   * The right result for any valid arguments, in pure JS: a value, or the
   * error it must throw (a {@link ModelStatus} for an FfiError status).
   */
  model: AnyFn;
  /**
   * An async function: every call must return a Promise, and every error
   * (bad arguments included) must reject it, never throw synchronously.
   * Its `extra` thunks return Promises too.
   */
  async?: true;
  /** Cases the slot kinds do not cover: a thunk and its expectation. */
  extra?: { label: string; run: () => unknown; expect: Expect & { returns?: unknown } }[];
  /** How its argument errors' messages start, if not with `'<row name>: '`. */
  names?: RegExp;
}

interface OtherRow {
  kind: 'value' | 'class';
  why: string;
  extra?: FunctionRow['extra'];
  /** A normal use, run after each extra case. */
  valid?: () => unknown;
  /** How its argument errors' messages start, if not with `'<row name>: '`. */
  names?: RegExp;
}

const decodeUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);
/** Code points in well-formed text: UTF-16 units minus surrogate pairs (`[...s].length`, without the array). */
const codePoints = (s: string): number => {
  let pairs = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) pairs++;
  }
  return s.length - pairs;
};
const fn = (f: unknown): AnyFn => f as AnyFn;

/** The exact sum of the even values (memoized: the 400 MB array takes ~1 s in JS). */
const evenSums = new WeakMap<object, bigint>();
function evenSum(numbers: unknown): bigint {
  const a = numbers as ArrayLike<number>;
  const memo = evenSums.get(a);
  if (memo !== undefined) return memo;
  let total = 0n;
  let chunk = 0; // at most 2^20 values below 2^32: exact in a double
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v % 2 === 0) chunk += v;
    if ((i & 0xfffff) === 0xfffff) {
      total += BigInt(chunk);
      chunk = 0;
    }
  }
  total += BigInt(chunk);
  evenSums.set(a, total);
  return total;
}
/** sumOfEven's result: the exact sum as a number, or its RangeError above 2^53 - 1. */
function evenSumNumber(numbers: unknown): number {
  const sum = evenSum(numbers);
  if (sum > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('above 2^53 - 1');
  return Number(sum);
}
/** What a model throws for a failure Rust reports: the FfiError status it must be. */
class ModelStatus extends Error {
  constructor(readonly status: FfiStatusName) {
    super(status);
  }
}

/** parse_number's grammar in JS: an optional sign and digits is an int32, else a finite f32. */
function parseNumberModel(text: unknown): { kind: 'left' | 'right'; value: number } {
  let s: string;
  try {
    s = typeof text === 'string' ? text : decodeUtf8(text as Uint8Array);
  } catch {
    throw new ModelStatus('INVALID_UTF8');
  }
  if (/^[+-]?[0-9]+$/.test(s)) {
    const n = BigInt(s);
    if (n < -(2n ** 31n) || n >= 2n ** 31n) throw new ModelStatus('INVALID_ARGUMENT');
    return { kind: 'left', value: Number(n) };
  }
  // Rust's f32 grammar for finite decimals (inf/nan are refused anyway).
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) throw new ModelStatus('INVALID_ARGUMENT');
  const x = Math.fround(Number(s));
  if (!Number.isFinite(x)) throw new ModelStatus('INVALID_ARGUMENT');
  return { kind: 'right', value: x };
}

type ShapeValue =
  | { kind: 'circle'; radius: number }
  | { kind: 'rectangle'; width: number; height: number }
  | { kind: 'triangle'; a: number; b: number; c: number };

/** The dimensions of a shape, in the order the C struct has them. */
const dimensions = (s: ShapeValue): number[] =>
  s.kind === 'circle' ? [s.radius] : s.kind === 'rectangle' ? [s.width, s.height] : [s.a, s.b, s.c];
const isLength = (x: number): boolean => Number.isFinite(x) && x >= 0;
const TRIANGLE_SLACK = 4 * Number.EPSILON;

/** Shape::validate in JS: finite, non-negative dimensions; the triangle inequality within 4 ε. */
function validateShapeModel(s: ShapeValue): void {
  if (!dimensions(s).every(isLength)) throw new ModelStatus('INVALID_ARGUMENT');
  if (s.kind === 'triangle') {
    const [x, y, z] = [s.a, s.b, s.c].sort((p, q) => q - p);
    if (x > (y + z) * (1 + TRIANGLE_SLACK)) throw new ModelStatus('INVALID_ARGUMENT');
  }
}

/** Shape::area in JS, with the same floating-point operations (Kahan's Heron). */
function shapeAreaModel(shape: unknown): number {
  const s = shape as ShapeValue;
  validateShapeModel(s);
  let area: number;
  if (s.kind === 'circle') area = Math.PI * s.radius * s.radius;
  else if (s.kind === 'rectangle') area = s.width * s.height;
  else {
    const [longest, y0, z0] = [s.a, s.b, s.c].sort((p, q) => q - p);
    if (longest === 0) return 0;
    const [x, y, z] = [1, y0 / longest, z0 / longest];
    const p = (x + (y + z)) * Math.max(z - (x - y), 0) * (z + (x - y)) * (x + (y - z));
    area = 0.25 * Math.sqrt(p) * longest * longest;
  }
  if (!Number.isFinite(area)) throw new ModelStatus('OVERFLOW');
  return area;
}

/** Shape::scaled in JS: every dimension times a finite, non-negative factor. */
function scaleShapeModel(shape: unknown, factor: unknown): ShapeValue {
  const s = shape as ShapeValue;
  validateShapeModel(s);
  const f = factor as number;
  if (!isLength(f)) throw new ModelStatus('INVALID_ARGUMENT');
  const scale = (x: number): number => {
    if (!Number.isFinite(x * f)) throw new ModelStatus('OVERFLOW');
    return x * f;
  };
  if (s.kind === 'circle') return { kind: 'circle', radius: scale(s.radius) };
  if (s.kind === 'rectangle') return { kind: 'rectangle', width: scale(s.width), height: scale(s.height) };
  return { kind: 'triangle', a: scale(s.a), b: scale(s.b), c: scale(s.c) };
}

/** The primes <= limit, by a plain sieve of Eratosthenes. */
function primesModel(limit: unknown): Uint32Array {
  const n = limit as number;
  const composite = new Uint8Array(n + 1);
  const primes: number[] = [];
  for (let i = 2; i <= n; i++) {
    if (composite[i] === 1) continue;
    primes.push(i);
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return Uint32Array.from(primes);
}
const countModel = (numbers: unknown, predicate: unknown): number =>
  Array.from(numbers as ArrayLike<number>).filter((v) => (predicate as (v: number) => unknown)(v)).length;
/** π(2^30) and the largest prime below 2^30 (2^30 - 35). */
const PRIMES_AT_MAX_LIMIT = [54_400_028, 1_073_741_789];

/** One row per public export. The type makes a missing row a compile error. */
const TABLE: { [K in keyof typeof api]: FunctionRow | OtherRow } = {
  FfiStatus: { kind: 'value', why: 'a constant object: no input' },
  version: { kind: 'value', why: 'a constant string: no input' },
  libraryVersion: { kind: 'value', why: 'a constant string: no input' },
  FfiError: {
    kind: 'class',
    why: 'built by the API from a status; any code, even a bad one, must give a well-formed error',
    valid: () => expect(new FfiError(5, 'op').status).toBe('OVERFLOW'),
    extra: [NaN, -1, 1.5, 2 ** 40, Infinity, '3', undefined, null].map((code) => ({
      label: `code ${String(code)}`,
      run: () => {
        const e = new FfiError(code as number, 'op');
        return [e.status, e.message];
      },
      expect: { model: true, returns: ['UNKNOWN', 'op: unknown status'] },
    })),
  },
  statusName: {
    kind: 'function',
    call: fn(api.statusName),
    slots: [],
    valid: [4],
    model: () => 'BUFFER_TOO_SMALL',
    extra: [NaN, -1, 1.5, 8, 2 ** 40, '3', 'OK', undefined, null, {}].map((code) => ({
      label: `code ${String(code)}`,
      run: () => api.statusName(code as number),
      expect: { model: true, returns: 'UNKNOWN' },
    })),
  },
  isCodedError: {
    kind: 'function',
    call: fn(api.isCodedError),
    slots: [],
    valid: [new RangeError('x')],
    model: () => false,
    extra: [
      ...[undefined, null, 5, 'ERR_OUT_OF_RANGE', { code: 'ERR_OUT_OF_RANGE' }, new Error('x')].map((value) => ({
        label: `not a coded error: ${typeof value}`,
        run: () => api.isCodedError(value),
        expect: { model: true as const, returns: false },
      })),
      {
        label: 'an Error with a code the package does not use',
        run: () => api.isCodedError(Object.assign(new Error('x'), { code: 'ERR_SOMETHING_ELSE' })),
        expect: { model: true as const, returns: false },
      },
      {
        label: "the package's own errors",
        run: () => {
          const codes: unknown[] = [];
          const freed = new api.OpaquePoint(0, 0);
          freed.free();
          for (const f of [
            () => api.addInRust(1.5, 2),
            () => api.addChecked(2 ** 31 - 1, 1),
            () => api.addInRust('1' as unknown as number, 2),
            () => api.countCharacters('\uD83D'),
            () => freed.x,
            () => api.countWhere([1], () => Promise.resolve(true) as unknown as boolean),
            () => {
              throw new api.FfiError(99, 'op');
            },
          ]) {
            try {
              f();
            } catch (err) {
              codes.push(api.isCodedError(err) ? err.code : 'not coded');
            }
          }
          return codes;
        },
        expect: {
          model: true as const,
          returns: [
            'ERR_OUT_OF_RANGE',
            'ERR_FFI_OVERFLOW',
            'ERR_INVALID_ARG_TYPE',
            'ERR_INVALID_ARG_VALUE',
            'ERR_FFI_FREED',
            'ERR_INVALID_RETURN_VALUE',
            'ERR_FFI_UNKNOWN',
          ],
        },
      },
    ],
  },
  addInRust: {
    kind: 'function',
    call: fn(api.addInRust),
    slots: ['int32', 'int32'],
    valid: [2, 3],
    model: (a, b) => ((a as number) + (b as number)) | 0,
  },
  addChecked: {
    kind: 'function',
    call: fn(api.addChecked),
    slots: ['int32', 'int32'],
    valid: [40, 2],
    // Edge values paired with the other slot's valid value (2 or 40) overflow
    // at the top of the range: the model says so.
    model: (a, b) => {
      const sum = (a as number) + (b as number);
      if (sum > 2 ** 31 - 1 || sum < -(2 ** 31)) throw new FfiError(5, 'addChecked');
      return sum;
    },
    extra: [
      {
        label: 'overflow: INT_MAX + 1',
        run: () => api.addChecked(2 ** 31 - 1, 1),
        expect: { throws: FfiError, status: 'OVERFLOW' },
      },
      {
        label: 'overflow: INT_MIN + -1',
        run: () => api.addChecked(-(2 ** 31), -1),
        expect: { throws: FfiError, status: 'OVERFLOW' },
      },
    ],
  },
  concatStrings: {
    kind: 'function',
    call: fn(api.concatStrings),
    slots: ['countedText', 'countedText'],
    valid: ['Hello, ', 'Rustacean!'],
    model: (a, b) => (a as string) + (b as string),
  },
  // ---- issue 3: Point, OpaquePoint ----
  FLOAT32_MAX: { kind: 'value', why: 'a constant' },
  Point: {
    kind: 'function',
    call: fn((x: number, y: number) => new api.Point(x, y).translate(1, 1).toJSON()),
    slots: ['float32OrDefault', 'float32OrDefault'],
    valid: [1, 2],
    names: /^Point(\.translate)?: /,
    model: (x, y) => ({
      x: Math.fround(Math.fround((x as number | undefined) ?? 0) + 1),
      y: Math.fround(Math.fround((y as number | undefined) ?? 0) + 1),
    }),
    extra: [
      ...SLOTS.float32
        .filter((c) => 'throws' in c.expect)
        .map((c) => ({
          label: `translate(bad byX): ${c.label}`,
          run: () => new api.Point(1, 1).translate(c.value as number, 0),
          expect: c.expect,
        })),
    ],
  },
  pointTranslated: {
    kind: 'function',
    call: fn(api.pointTranslated),
    slots: ['pointLike', 'float32', 'float32'],
    valid: [{ x: 1, y: 2 }, 1, 1],
    model: (p, bx, by) => {
      const q = p as { x: number; y: number };
      return {
        x: Math.fround(Math.fround(q.x) + Math.fround(bx as number)),
        y: Math.fround(Math.fround(q.y) + Math.fround(by as number)),
      };
    },
  },
  translatePoints: {
    kind: 'function',
    call: fn((a: Float32Array, bx: number, by: number) =>
      api.translatePoints(a instanceof Float32Array ? a.slice() : a, bx, by),
    ),
    slots: ['float32Array', 'float32', 'float32'],
    valid: [new Float32Array([1, 2]), 1, 1],
    model: (a, bx, by) =>
      (a as Float32Array).map((v, i) => Math.fround(v + Math.fround((i % 2 === 0 ? bx : by) as number))),
  },
  OpaquePoint: {
    kind: 'class',
    why: 'a handle: bad coordinates, and every method after free()',
    names: /^OpaquePoint(\.\w+)?: /,
    valid: () => {
      const p = new api.OpaquePoint(1, 2);
      expect(p.translate(1, 1).toJSON()).toEqual({ x: 2, y: 3 });
      p.free();
    },
    extra: [
      ...SLOTS.float32
        .filter((c) => 'throws' in c.expect)
        .map((c) => ({
          label: `new OpaquePoint(bad x): ${c.label}`,
          run: () => new api.OpaquePoint(c.value as number, 0),
          expect: c.expect,
        })),
      ...(
        [
          ['translate', (p: api.OpaquePoint) => p.translate(1, 1)],
          ['describe', (p: api.OpaquePoint) => p.describe()],
          ['x', (p: api.OpaquePoint) => p.x],
          ['y', (p: api.OpaquePoint) => p.y],
          ['toJSON', (p: api.OpaquePoint) => p.toJSON()],
        ] as [string, (p: api.OpaquePoint) => unknown][]
      ).map(([label, use]) => ({
        label: `freed handle: ${label} after free()`,
        run: () => {
          const p = new api.OpaquePoint(1, 2);
          p.free();
          p.free(); // idempotent
          return use(p);
        },
        expect: { throws: Error, message: /freed/, code: 'ERR_FFI_FREED' as const },
      })),
    ],
  },
  // ---- issue 4: unions, enums, tuples ----
  floatToBits: {
    kind: 'function',
    call: fn(api.floatToBits),
    slots: ['anyNumber'],
    valid: [1],
    model: (x) => {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setFloat32(0, x as number, true);
      return dv.getUint32(0, true);
    },
  },
  bitsToFloat: {
    kind: 'function',
    call: fn(api.bitsToFloat),
    slots: ['bits32'],
    valid: [0x3f800000],
    model: (b) => {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setUint32(0, (b as number) >>> 0, true);
      return dv.getFloat32(0, true);
    },
  },
  parseNumber: {
    kind: 'function',
    call: fn(api.parseNumber),
    slots: ['textOrBytes'],
    valid: ['42'],
    model: parseNumberModel,
  },
  shapeArea: {
    kind: 'function',
    call: fn(api.shapeArea),
    slots: ['shape'],
    valid: [{ kind: 'rectangle', width: 2, height: 3 }],
    model: shapeAreaModel,
  },
  scaleShape: {
    kind: 'function',
    call: fn(api.scaleShape),
    slots: ['shape', 'anyNumber'],
    valid: [{ kind: 'circle', radius: 1 }, 2],
    model: scaleShapeModel,
  },
  flipThings: {
    kind: 'function',
    call: fn(api.flipThings),
    slots: ['u32pair'],
    valid: [[1, 2]],
    model: (p) => [(p as number[])[1], (p as number[])[0]],
  },
  countCharacters: {
    kind: 'function',
    call: fn(api.countCharacters),
    slots: ['countedTextOrBytes'],
    valid: ['héllo'],
    model: (s) => codePoints(typeof s === 'string' ? s : decodeUtf8(s as Uint8Array)),
  },
  // ---- issue 5: slices, callbacks, async ----
  PRIMES_UP_TO_MAX_LIMIT: { kind: 'value', why: 'a constant (2^30)' },
  MAX_ASYNC_IN_FLIGHT: { kind: 'value', why: 'a constant (native async calls at once, 2..UV_THREADPOOL_SIZE)' },
  MAX_CALLBACK_DEPTH: { kind: 'value', why: 'a constant (how deep countWhere may nest through predicates)' },
  sumOfEven: {
    kind: 'function',
    call: fn(api.sumOfEven),
    slots: ['uint32Array'],
    valid: [[1, 2, 3, 4]],
    model: evenSumNumber,
  },
  sumOfEvenBigInt: {
    kind: 'function',
    call: fn(api.sumOfEvenBigInt),
    slots: ['uint32Array'],
    valid: [new Uint32Array([1, 2, 3, 4])],
    model: evenSum,
  },
  primesUpTo: {
    kind: 'function',
    call: fn(api.primesUpTo),
    slots: ['primesLimit'],
    valid: [20],
    model: primesModel,
    extra: [
      {
        label: 'edge: PRIMES_UP_TO_MAX_LIMIT (2^30): 54,400,028 primes, the last 2^30 - 35',
        run: () => {
          const p = api.primesUpTo(api.PRIMES_UP_TO_MAX_LIMIT);
          return [p.length, p[p.length - 1]];
        },
        expect: { model: true, returns: PRIMES_AT_MAX_LIMIT },
      },
      {
        label: 'each call returns a fresh array (the caller may keep and change it)',
        run: () => {
          const a = api.primesUpTo(10);
          a[0] = 99;
          return [...api.primesUpTo(10)];
        },
        expect: { model: true, returns: [2, 3, 5, 7] },
      },
    ],
  },
  countWhere: {
    kind: 'function',
    call: fn(api.countWhere),
    slots: ['uint32ArrayForCallback', 'predicate'],
    valid: [[1, 2, 3, 4, 5], (n: number) => n % 2 === 1],
    model: countModel,
    extra: [
      {
        label: 'predicate throws: the very same Error object is rethrown',
        run: () => {
          const error = new Error('mine');
          try {
            api.countWhere([1, 2], () => {
              throw error;
            });
          } catch (e) {
            return e === error;
          }
          return 'did not throw';
        },
        expect: { model: true, returns: true },
      },
      {
        label: 'predicate throws a non-Error value: rethrown as it is',
        run: () => {
          const thrown = { code: 42 };
          try {
            api.countWhere([1, 2], () => {
              throw thrown;
            });
          } catch (e) {
            return e === thrown;
          }
          return 'did not throw';
        },
        expect: { model: true, returns: true },
      },
      {
        label: 'predicate throws at the 3rd value: it is not called again',
        run: () => {
          const seen: number[] = [];
          try {
            api.countWhere([10, 11, 12, 13, 14], (v) => {
              seen.push(v);
              if (seen.length === 3) throw new RangeError('stop');
              return true;
            });
          } catch (e) {
            return [seen, e instanceof RangeError];
          }
          return 'did not throw';
        },
        expect: { model: true, returns: [[10, 11, 12], true] },
      },
      {
        label: 'the predicate sees every value once, in order (a view: its window only)',
        run: () => {
          const seen: number[] = [];
          api.countWhere(new Uint32Array([1, 2, 3, 4, 5]).subarray(1, 4), (v) => seen.push(v) > 0);
          return seen;
        },
        expect: { model: true, returns: [2, 3, 4] },
      },
      {
        label: 're-entrant: a predicate that calls countWhere, and an inner throw',
        run: () => {
          const inner = (v: number): boolean => api.countWhere([v, v + 1], (w) => w % 2 === 0) === 1;
          const outer = api.countWhere([1, 2, 3], inner);
          let rethrown = false;
          try {
            api.countWhere(
              [1],
              () =>
                api.countWhere([1], () => {
                  throw new TypeError('inner');
                }) > 0,
            );
          } catch (e) {
            rethrown = e instanceof TypeError && e.message === 'inner';
          }
          return [outer, rethrown];
        },
        expect: { model: true, returns: [3, true] },
      },
    ],
  },
  sumOfEvenAsync: {
    kind: 'function',
    async: true,
    call: fn(api.sumOfEvenAsync),
    slots: ['uint32Array'],
    valid: [new Uint32Array([1, 2, 3, 4])],
    model: evenSumNumber,
    extra: [
      {
        label: `1000 concurrent calls (more than MAX_ASYNC_IN_FLIGHT and koffi's 256): all right`,
        run: async () => {
          const inputs = Array.from({ length: 1000 }, (_, i) => new Uint32Array([i, i + 1, 2]));
          const sums = await Promise.all(inputs.map((a) => api.sumOfEvenAsync(a)));
          return sums.every((s, i) => s === Number(evenSum(inputs[i])));
        },
        expect: { model: true, returns: true },
      },
      {
        label: 'bad and good calls mixed: each settles on its own',
        run: async () => {
          const r = await Promise.allSettled([
            api.sumOfEvenAsync([2, -1]),
            api.sumOfEvenAsync([2, 4]),
            api.sumOfEvenAsync(hugeU32.subarray(0, 2 ** 21 + 1)),
            api.sumOfEvenAsync(new Int32Array(1) as unknown as Uint32Array),
            api.sumOfEvenAsync(new Uint32Array([6])),
          ]);
          return r.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).constructor.name));
        },
        expect: { model: true, returns: ['RangeError', 6, 'RangeError', 'TypeError', 6] },
      },
      {
        label: 'a plain array is copied: changing it right after the call does not matter',
        run: async () => {
          const a = [2, 4];
          const p = api.sumOfEvenAsync(a);
          a[0] = 1000;
          return p;
        },
        expect: { model: true, returns: 6 },
      },
    ],
  },
  sumOfEvenBigIntAsync: {
    kind: 'function',
    async: true,
    call: fn(api.sumOfEvenBigIntAsync),
    slots: ['uint32Array'],
    valid: [[1, 2, 3, 4]],
    model: evenSum,
  },
  primesUpToAsync: {
    kind: 'function',
    async: true,
    call: fn(api.primesUpToAsync),
    slots: ['primesLimit'],
    valid: [20],
    model: primesModel,
    extra: [
      {
        label: '300 concurrent calls: each gets its own right result',
        run: async () => {
          const got = await Promise.all(Array.from({ length: 300 }, (_, i) => api.primesUpToAsync(i)));
          return got.every((p, i) => Buffer.from(p.buffer).equals(Buffer.from(primesModel(i).buffer)));
        },
        expect: { model: true, returns: true },
      },
    ],
  },
};

type Outcome = { value: unknown } | { error: unknown };

/**
 * Runs `run` to its outcome. A synchronous function must not return a
 * Promise; an async one must return one and report every error by
 * rejecting it, never by throwing synchronously.
 */
async function outcome(run: () => unknown, isAsync: boolean): Promise<Outcome> {
  let r: unknown;
  try {
    r = run();
  } catch (error) {
    if (isAsync) throw new Error(`an async function threw synchronously instead of rejecting: ${String(error)}`);
    return { error };
  }
  if (!isAsync) {
    expect(r).not.toBeInstanceOf(Promise);
    return { value: r };
  }
  expect(r).toBeInstanceOf(Promise);
  try {
    return { value: await (r as Promise<unknown>) };
  } catch (error) {
    return { error };
  }
}

const bytesOf = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** `got` equals `want`: fast paths for huge strings and typed arrays, toEqual otherwise. */
function expectEqual(got: unknown, want: unknown): void {
  if (typeof want === 'string') expect(got === want).toBe(true);
  else if (ArrayBuffer.isView(want)) {
    expect(ArrayBuffer.isView(got) && got.constructor === want.constructor).toBe(true);
    expect(bytesOf(got as ArrayBufferView).equals(bytesOf(want))).toBe(true);
  } else expect(got).toEqual(want);
}

async function runExpect(
  run: () => unknown,
  e: Expect & { returns?: unknown },
  model: () => unknown,
  isAsync: boolean,
  names: RegExp,
): Promise<void> {
  const got = await outcome(run, isAsync);
  if ('throws' in e) {
    const thrown = 'error' in got ? got.error : undefined;
    expect(thrown).toBeInstanceOf(e.throws);
    if (e.status !== undefined) expect((thrown as FfiError).status).toBe(e.status);
    if (e.message !== undefined) expect((thrown as Error).message).toMatch(e.message);
    const code = (thrown as { code?: unknown }).code;
    if (e.code !== undefined) expect(code).toBe(e.code);
    // Every TypeError/RangeError the API throws itself (not one the caller's
    // predicate threw) names the function and carries a code of its class.
    if (e.user !== true && (thrown instanceof TypeError || thrown instanceof RangeError || e.code !== undefined)) {
      expect(typeof code === 'string' && code in CLASS_OF_CODE).toBe(true);
      expect(thrown).toBeInstanceOf(CLASS_OF_CODE[code as ArgErrorCode]);
      expect((thrown as Error).message).toMatch(names);
    }
    return;
  }
  // A valid edge value: the same outcome as the pure-JS model (result or error).
  let want: unknown;
  let wantError: unknown;
  try {
    want = e.returns !== undefined ? e.returns : model();
  } catch (err) {
    wantError = err;
  }
  if (wantError instanceof ModelStatus) {
    const thrown = 'error' in got ? got.error : got;
    expect(thrown).toBeInstanceOf(FfiError);
    expect((thrown as FfiError).status).toBe(wantError.status);
  } else if (wantError !== undefined) {
    expect('error' in got ? got.error : got).toBeInstanceOf((wantError as Error).constructor as ErrorClass);
  } else {
    if ('error' in got) throw got.error;
    expectEqual(got.value, want);
  }
}

const liveBefore = rust_string_live_count();
const arraysBefore = u32_array_live_count();
let casesRun = 0;
const perFunction: Record<string, number> = {};

describe('bad input: the table covers the public API', () => {
  it('has a row for every export of the package root', () => {
    expect(Object.keys(api).filter((k) => !(k in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !(k in api))).toEqual([]);
  });

  it('names only slot kinds that exist, one per parameter', () => {
    for (const [name, row] of Object.entries(TABLE) as [string, FunctionRow | OtherRow][]) {
      if (row.kind !== 'function') continue;
      if (row.slots.length === 0) continue; // checked by its extra cases only
      expect({ name, slots: row.slots.length }).toEqual({ name, slots: row.valid.length });
      expect({ name, arity: row.call.length }).toEqual({ name, arity: row.slots.length });
    }
  });
});

for (const [name, row] of Object.entries(TABLE) as [string, FunctionRow | OtherRow][]) {
  describe(`bad input: ${name}`, () => {
    const isAsync = row.kind === 'function' && row.async === true;
    const names = row.names ?? new RegExp(`^${name}: `);
    const works = async (): Promise<void> => {
      if (row.kind === 'function') {
        const got = await outcome(() => row.call(...row.valid), isAsync);
        if ('error' in got) throw got.error;
        expectEqual(got.value, row.model(...row.valid));
      } else row.valid?.();
    };

    if (row.kind === 'function') {
      row.slots.forEach((slot, i) => {
        it.each(SLOTS[slot].map((c) => [c.label, c] as const))(`argument ${i + 1} (${slot}): %s`, async (_label, c) => {
          const args = [...row.valid];
          args[i] = c.value;
          await runExpect(
            () => row.call(...args),
            c.expect,
            () => row.model(...args),
            isAsync,
            names,
          );
          await works();
          casesRun++;
          perFunction[name] = (perFunction[name] ?? 0) + 1;
        });
      });
    }
    for (const x of row.extra ?? []) {
      it(x.label, async () => {
        await runExpect(x.run, x.expect, () => x.expect.returns, isAsync, names);
        await works();
        casesRun++;
        perFunction[name] = (perFunction[name] ?? 0) + 1;
      });
    }
  });
}

describe('bad input: exact messages, with the received value as it is and short', () => {
  /** `call()`'s error: its class, its code and its whole message. */
  const expectMessage = (
    call: () => unknown,
    ErrorClass: typeof TypeError,
    code: ArgErrorCode,
    message: string,
  ): void => {
    const e = thrownBy(call) as Error & { code?: unknown };
    expect(e).toBeInstanceOf(ErrorClass);
    expect({ code: e.code, message: e.message }).toEqual({ code, message });
  };
  const forty = 'x'.repeat(40);
  const notInt32 = 'addInRust: a must be a number (int32), got';
  const notText = 'parseNumber: text must be a string or a Uint8Array, got';
  it.each([
    ['a string of 40 characters, whole', forty, `${notInt32} string "${forty}"`],
    ['a longer string, cut after 40 characters', `${forty}yz`, `${notInt32} string "${forty}…"`],
    ['a string, JSON-quoted', 'a"b\n', `${notInt32} string "a\\"b\\n"`],
    ['-0, with its sign', -0, `${notText} number -0`],
    ['0', 0, `${notText} number 0`],
    ['1.5', 1.5, `${notText} number 1.5`],
    ['a bigint', 12n, `${notText} bigint 12n`],
    ['a symbol, never converted', Symbol('s'), `${notText} a symbol`],
    ['undefined', undefined, `${notText} undefined`],
    ['true', true, `${notText} true`],
    ['false', false, `${notText} false`],
    ['a function', () => 1, `${notText} a function`],
    ['null', null, `${notText} null`],
    ['an Int32Array (an, before a vowel)', new Int32Array(1), `${notText} an Int32Array`],
    ['a Float64Array', new Float64Array(1), `${notText} a Float64Array`],
    [
      'a Proxy, whose traps never run',
      new Proxy({}, new Proxy({}, { get: () => assert.fail('a trap was looked up') })),
      `${notText} a Proxy`,
    ],
    ['a DataView', new DataView(new ArrayBuffer(1)), `${notText} a DataView`],
    ['an ArrayBuffer', new ArrayBuffer(1), `${notText} an ArrayBuffer`],
    ['a SharedArrayBuffer', new SharedArrayBuffer(1), `${notText} an ArrayBuffer`],
    ['an array', [1], `${notText} an array`],
    ['an object', {}, `${notText} an object`],
  ])('%s', (_label, value, message) => {
    const call =
      typeof value === 'string'
        ? () => api.addInRust(value as unknown as number, 1)
        : () => api.parseNumber(value as unknown as string);
    expectMessage(call, TypeError, 'ERR_INVALID_ARG_TYPE', message);
  });

  it('integers: the C type and its range', () => {
    const int32 = 'addInRust: a must be an integer';
    expectMessage(() => api.addInRust(1.5, 1), RangeError, 'ERR_OUT_OF_RANGE', `${int32} (int32), got number 1.5`);
    expectMessage(
      () => api.addInRust(2 ** 31, 1),
      RangeError,
      'ERR_OUT_OF_RANGE',
      `${int32} in [-2147483648, 2147483647] (int32), got number 2147483648`,
    );
    expectMessage(
      () => api.flipThings([2 ** 32, 0]),
      RangeError,
      'ERR_OUT_OF_RANGE',
      'flipThings: pair[0] must be an integer in [0, 4294967295] (uint32), got number 4294967296',
    );
    expectMessage(
      () => api.flipThings(['1' as unknown as number, 0]),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      'flipThings: pair[0] must be a number (uint32), got string "1"',
    );
    expectMessage(
      () => api.sumOfEven([2, '4' as unknown as number]),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      'sumOfEven: numbers[1] must be a number (uint32), got string "4"',
    );
    expectMessage(
      () => api.sumOfEven([2, -1]),
      RangeError,
      'ERR_OUT_OF_RANGE',
      'sumOfEven: numbers[1] must be an integer in [0, 4294967295] (uint32), got number -1',
    );
    expectMessage(
      () => api.countWhere([1], 1 as unknown as () => boolean),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      'countWhere: predicate must be a function, got number 1',
    );
    expectMessage(
      () => api.floatToBits('1' as unknown as number),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      'floatToBits: x must be a number, got string "1"',
    );
    expectMessage(
      () => api.parseNumber(new Uint8Array([0x31, 0, 0x32])),
      TypeError,
      'ERR_INVALID_ARG_VALUE',
      'parseNumber: text must not contain a 0 byte, which C would treat as the end of the string',
    );
    expectMessage(
      () => api.bitsToFloat(-(2 ** 31) - 1),
      RangeError,
      'ERR_OUT_OF_RANGE',
      'bitsToFloat: bits must be an integer in [-2147483648, 4294967295] (32-bit pattern), got number -2147483649',
    );
  });
});

afterAll(() => {
  // Nothing the bad calls did leaked a Rust string.
  expect(rust_string_live_count()).toBe(liveBefore);
  // Nor a Rust-owned u32 array (primesUpTo and primesUpToAsync free theirs at once).
  expect(u32_array_live_count()).toBe(arraysBefore);
  if (process.env.BADINPUT_VERBOSE !== undefined) {
    process.stderr.write(`badinput: ${casesRun} cases ${JSON.stringify(perFunction)}\n`);
  }
});
