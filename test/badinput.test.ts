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
 * - wrong type, non-integer (incl. NaN, ±Infinity for integer slots): TypeError
 * - integer out of the C type's range: RangeError
 * - `\0` in a string and lone surrogates: TypeError (never replaced by U+FFFD)
 * - invalid UTF-8 bytes where text is required: FfiError INVALID_UTF8
 * - empty and very large (64 MiB) inputs: valid, and equal to the model
 */
import * as api from '../ts';
import { FfiError, type FfiStatusName } from '../ts';
import { rust_string_live_count } from '../ts/raw';

type AnyFn = (...args: unknown[]) => unknown;
type ErrorClass = typeof TypeError | typeof RangeError | typeof FfiError | typeof Error;

/** What a call must do: throw (this class, with this status), or return the model's result. */
type Expect = { throws: ErrorClass; status?: FfiStatusName; message?: RegExp } | { model: true };

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
    .map(([label, value]) => ({ label: `wrong type: ${label}`, value, expect: { throws: TypeError } }));

const integerCases = (min: number, max: number): Case[] => [
  ...wrongTypes(['a number']),
  { label: 'NaN', value: NaN, expect: { throws: TypeError } },
  { label: '+Infinity', value: Infinity, expect: { throws: TypeError } },
  { label: '-Infinity', value: -Infinity, expect: { throws: TypeError } },
  { label: 'non-integer 1.5', value: 1.5, expect: { throws: TypeError } },
  { label: 'non-integer 1e-300', value: 1e-300, expect: { throws: TypeError } },
  { label: 'out of range: max + 1', value: max + 1, expect: { throws: RangeError } },
  { label: 'out of range: min - 1', value: min - 1, expect: { throws: RangeError } },
  { label: 'out of range: 2 ** 53', value: 2 ** 53, expect: { throws: RangeError } },
  { label: 'edge: max', value: max, expect: { model: true } },
  { label: 'edge: min', value: min, expect: { model: true } },
  { label: 'edge: -0', value: -0, expect: { model: true } },
];

const bigAscii = 'x'.repeat(64 * MiB);
const bigText = '🦀é'.repeat(3 * MiB); // 18 MiB of UTF-8 (koffi transcodes UTF-16 at ~30 MB/s)

const stringCases: Case[] = [
  ...wrongTypes(['a string']),
  { label: 'a String object', value: new String('x'), expect: { throws: TypeError } },
  { label: '\\0 inside', value: 'a\0b', expect: { throws: TypeError, message: /NUL/ } },
  { label: '\\0 alone', value: '\0', expect: { throws: TypeError } },
  { label: 'lone high surrogate', value: '\uD83D', expect: { throws: TypeError, message: /surrogate/ } },
  { label: 'lone low surrogate', value: 'x\uDE00y', expect: { throws: TypeError, message: /surrogate/ } },
  { label: 'surrogates reversed', value: '\uDE00\uD83D', expect: { throws: TypeError } },
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
  { label: '0 byte inside', value: new Uint8Array([0x61, 0, 0x62]), expect: { throws: TypeError } },
  { label: 'wrong typed array: Int8Array', value: new Int8Array([65]), expect: { throws: TypeError } },
  { label: 'wrong typed array: Uint8ClampedArray', value: new Uint8ClampedArray([65]), expect: { throws: TypeError } },
  { label: 'wrong typed array: Uint16Array', value: new Uint16Array([65]), expect: { throws: TypeError } },
  { label: 'wrong typed array: Float64Array', value: new Float64Array([65]), expect: { throws: TypeError } },
  { label: 'a DataView', value: new DataView(new ArrayBuffer(1)), expect: { throws: TypeError } },
  { label: 'an ArrayBuffer', value: new ArrayBuffer(1), expect: { throws: TypeError } },
  { label: 'edge: empty Uint8Array', value: new Uint8Array(0), expect: { model: true } },
  { label: 'edge: a subarray view', value: Buffer.from('zzhéllozz').subarray(2, 8), expect: { model: true } },
  { label: 'edge: 64 MiB of UTF-8 bytes', value: Buffer.from(bigText.repeat(4)), expect: { model: true } },
];

const FLT_MAX = 3.4028234663852886e38;

/** The kinds of argument slot. Add a kind when a new function needs one. */
const SLOTS = {
  /** A `float` that must be finite (ts/validate `float32`): NaN, ±Infinity and |x| > FLT_MAX are RangeErrors. */
  float32: [
    ...wrongTypes(['a number']),
    { label: 'NaN', value: NaN, expect: { throws: RangeError } },
    { label: '+Infinity', value: Infinity, expect: { throws: RangeError } },
    { label: '-Infinity', value: -Infinity, expect: { throws: RangeError } },
    { label: 'out of range: 1e39', value: 1e39, expect: { throws: RangeError } },
    { label: 'edge: FLT_MAX', value: FLT_MAX, expect: { model: true } },
    { label: 'edge: smallest subnormal', value: 1e-45, expect: { model: true } },
    { label: 'edge: -0', value: -0, expect: { model: true } },
    { label: 'edge: 0.1 (rounded to float)', value: 0.1, expect: { model: true } },
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
} satisfies Record<string, Case[]>;
type SlotKind = keyof typeof SLOTS;

interface FunctionRow {
  kind: 'function';
  call: AnyFn;
  slots: SlotKind[];
  /** A normal call: run after every bad one to show the process still works. */
  valid: unknown[];
  /**
   * The right result for any valid arguments, in pure JS (it may throw the
   * documented error). Without a model, `result` is the valid call's result and
   * edge values only have to return or throw a documented error class.
   */
  model?: AnyFn;
  result?: unknown;
  /** Cases the slot kinds do not cover: a thunk and its expectation. */
  extra?: { label: string; run: () => unknown; expect: Expect & { returns?: unknown } }[];
}

interface OtherRow {
  kind: 'value' | 'class';
  why: string;
  extra?: FunctionRow['extra'];
  /** A normal use, run after each extra case. */
  valid?: () => unknown;
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

/** One row per public export. The type makes a missing row a compile error. */
const TABLE: { [K in keyof typeof api]: FunctionRow | OtherRow } = {
  FfiStatus: { kind: 'value', why: 'a constant object: no input' },
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
    slots: ['cString', 'cString'],
    valid: ['Hello, ', 'Rustacean!'],
    model: (a, b) => (a as string) + (b as string),
  },
  countCharacters: {
    kind: 'function',
    call: fn(api.countCharacters),
    slots: ['textOrBytes'],
    valid: ['héllo'],
    model: (s) => codePoints(typeof s === 'string' ? s : decodeUtf8(s as Uint8Array)),
  },
};

/** Errors a public function documents; anything else escaping is a bug. */
const DOCUMENTED: ErrorClass[] = [TypeError, RangeError, FfiError];

function runExpect(run: () => unknown, e: Expect & { returns?: unknown }, model: (() => unknown) | null): void {
  if ('throws' in e) {
    let thrown: unknown;
    try {
      run();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(e.throws);
    if (e.status !== undefined) expect((thrown as FfiError).status).toBe(e.status);
    if (e.message !== undefined) expect((thrown as Error).message).toMatch(e.message);
    return;
  }
  if (model === null && e.returns === undefined) {
    // No model: an edge value must give a result or a documented error.
    try {
      run();
    } catch (err) {
      expect(DOCUMENTED.some((cls) => err instanceof cls)).toBe(true);
    }
    return;
  }
  // A valid edge value: the same outcome as the pure-JS model (result or error).
  let want: unknown;
  let wantError: unknown;
  try {
    want = e.returns !== undefined || model === null ? e.returns : model();
  } catch (err) {
    wantError = err;
  }
  if (wantError !== undefined) {
    expect(run).toThrow((wantError as Error).constructor as ErrorClass);
  } else {
    const got = run();
    // toBe on 64 MiB strings is fast; toEqual for arrays/tuples.
    if (typeof want === 'string') expect(got === want).toBe(true);
    else expect(got).toEqual(want);
  }
}

const liveBefore = rust_string_live_count();
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
    const works = (): void => {
      if (row.kind === 'function') {
        expect(row.call(...row.valid)).toEqual(row.model !== undefined ? row.model(...row.valid) : row.result);
      } else row.valid?.();
    };

    if (row.kind === 'function') {
      row.slots.forEach((slot, i) => {
        it.each(SLOTS[slot].map((c) => [c.label, c] as const))(`argument ${i + 1} (${slot}): %s`, (_label, c) => {
          const args = [...row.valid];
          args[i] = c.value;
          const model = row.model;
          runExpect(() => row.call(...args), c.expect, model === undefined ? null : () => model(...args));
          works();
          casesRun++;
          perFunction[name] = (perFunction[name] ?? 0) + 1;
        });
      });
    }
    for (const x of row.extra ?? []) {
      it(x.label, () => {
        runExpect(x.run, x.expect, () => x.expect.returns);
        works();
        casesRun++;
        perFunction[name] = (perFunction[name] ?? 0) + 1;
      });
    }
  });
}

afterAll(() => {
  // Nothing the bad calls did leaked a Rust string.
  expect(rust_string_live_count()).toBe(liveBefore);
  if (process.env.BADINPUT_VERBOSE !== undefined) {
    process.stderr.write(`badinput: ${casesRun} cases ${JSON.stringify(perFunction)}\n`);
  }
});
