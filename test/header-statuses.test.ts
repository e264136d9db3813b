/**
 * The header documents every status and fallback each function can return
 * (BRIEF rule 1, issue 11 class 7), checked both ways:
 *
 * - For each function returning `enum FfiStatus`, the `FFI_STATUS_*` names in
 *   its doc comment (read from the header) must equal the statuses the
 *   calls below really provoke through the raw layer. A documented status no
 *   call provokes fails (the doc promises something untested, or wrong); a
 *   provoked status the doc does not name fails (the doc hides a result).
 *   FFI_STATUS_PANIC is the exception: every export turns a panic into it
 *   (the preamble says so, tested by test/panic.test.ts), and a sound export
 *   offers no input that panics; a comment may name it.
 * - For functions without a status, each fallback (a value returned for bad
 *   input) is provoked and must appear in the doc comment.
 *
 * Adding a status-returning export without a row here fails the first test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FfiStatus } from '../ts';
import * as raw from '../ts/raw';

const HEADER = fs.readFileSync(path.resolve(__dirname, '..', 'c', 'include', 'ffi_deep_dive.h'), 'utf8');

interface Declaration {
  returns: string;
  doc: string;
}

/** Every function declaration of the header with the `//` comment block just above it. */
function declarations(): Map<string, Declaration> {
  const found = new Map<string, Declaration>();
  let comment: string[] = [];
  for (const line of HEADER.split('\n')) {
    const t = line.trim();
    if (t.startsWith('//')) {
      comment.push(t.replace(/^\/\/ ?/, ''));
      continue;
    }
    const m = /^([A-Za-z_][\w\s*]*?[\s*])([a-z_][a-z0-9_]*)\((.*)\);$/.exec(t);
    if (m !== null) found.set(m[2], { returns: m[1].trim(), doc: comment.join(' ') });
    comment = [];
  }
  return found;
}

const DECLS = declarations();
const statusesIn = (doc: string): string[] =>
  [...new Set([...doc.matchAll(/FFI_STATUS_([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();

type RawFn = ((...args: unknown[]) => unknown) & { info?: { arguments: unknown[] } };

/**
 * Calls a raw export with `args`, padded with NULL up to its declared arity
 * (the optional trailing `FfiError *error` of status-returning exports).
 */
function call(fn: unknown, ...args: unknown[]): unknown {
  const f = fn as RawFn;
  const arity = f.info?.arguments.length ?? args.length;
  while (args.length < arity) args.push(null);
  return f(...args);
}

const NAMES = Object.entries(FfiStatus).reduce<Record<number, string>>((m, [k, v]) => {
  m[v] = k;
  return m;
}, {});
const statusName = (code: unknown): string => NAMES[code as number] ?? `unknown ${String(code)}`;

/** A shape buffer as the C union (tag at 0, f64 dimensions after it), from raw's layout. */
function shape(tag: number, ...dims: number[]): Float64Array {
  const buf = new Float64Array(8);
  new Uint32Array(buf.buffer)[0] = tag;
  buf.set(dims, 1);
  return buf;
}

/**
 * One `AsyncJob` as 14 words: kind, status, limit, reserved, then the u64s
 * input_offset, input_len, output_offset, output_capacity, result; the input
 * (or output) is words 0..2 of the arena.
 */
/** A batch of one (empty) sum job, for the async_batch_* rows; this thread's exit frees it. */
const emptyBatch = raw.async_batch_new(1, 0);
const emptySum = new Uint32Array(14);
emptySum[0] = raw.ASYNC_JOB_SUM_OF_EVEN;
raw.async_batch_write_jobs(emptyBatch, 0, emptySum, 1);
/** A batch of one job and 4 values, for the copy rows. */
const copyBatch = raw.async_batch_new(1, 4);
/** Calls `copy` on `copyBatch` while a run holds it (started, then cancelled). */
function whileRunning(copy: () => unknown): unknown {
  const run = raw.async_batch_start(copyBatch, 1, null);
  try {
    return copy();
  } finally {
    raw.async_batch_run_cancel(run);
  }
}
/** Waits for a background run of `emptyBatch` to end (it takes microseconds), then passes its status on. */
function waited(status: unknown): unknown {
  while (raw.async_batch_is_running(emptyBatch));
  return status;
}

function job(kind: number, limit: number): Uint32Array {
  const words = new Uint32Array(14);
  words[0] = kind;
  words[2] = limit;
  words[6] = 2; // input_len
  words[10] = 2; // output_capacity
  return words;
}

const u32 = new Uint32Array([1, 2, 3]);
/** SIZE_MAX: a length no array can have (a BigInt: koffi saturates a number like 2 ** 63 to INT64_MAX). */
const SIZE_MAX = 2n ** 64n - 1n;
const sizeOut = new BigUint64Array(1);
const primesOut = (): BigUint64Array => new BigUint64Array(3);
const freePrimes = (out: BigUint64Array): void =>
  raw.u32_array_free({ data: out[0] === 0n ? null : out[0], len: Number(out[1]), capacity: Number(out[2]) });

/** For each status-returning export: calls that provoke each status it can return. */
const PROVOKE: Record<string, Record<string, () => unknown>> = {
  add_in_rust_checked: {
    'in range': () => call(raw.add_in_rust_checked, 1, 2, new Int32Array(1)),
    overflow: () => call(raw.add_in_rust_checked, 2 ** 31 - 1, 1, new Int32Array(1)),
    'NULL out': () => call(raw.add_in_rust_checked, 1, 2, null),
  },
  concat_strings_into: {
    fits: () => call(raw.concat_strings_into, 'a', 'b', new Uint8Array(8), 8, sizeOut),
    'too small': () => call(raw.concat_strings_into, 'abc', 'def', new Uint8Array(2), 2, sizeOut),
    'size only (NULL buf, 0)': () => call(raw.concat_strings_into, 'abc', 'def', null, 0, sizeOut),
    'NULL first': () => call(raw.concat_strings_into, null, 'b', new Uint8Array(8), 8, sizeOut),
    'NULL buf with a length': () => call(raw.concat_strings_into, 'a', 'b', null, 8, sizeOut),
    'invalid UTF-8 bytes (it works on bytes)': () =>
      call(raw.concat_strings_into, new Uint8Array([0xff, 0]), 'b', new Uint8Array(8), 8, sizeOut),
    'needed inside first (zero-copy views of one buffer)': () => {
      const words = new BigUint64Array(2);
      new Uint8Array(words.buffer).fill(0x61, 0, 9); // "aaaaaaaaa", its NUL in words[1]
      return call(
        raw.concat_strings_into,
        new Uint8Array(words.buffer),
        'b',
        new Uint8Array(16),
        16,
        words.subarray(1),
      );
    },
  },
  count_characters: {
    text: () => call(raw.count_characters, 'héllo', sizeOut),
    'invalid UTF-8': () => call(raw.count_characters, new Uint8Array([0x61, 0xff, 0]), sizeOut),
    'NULL s': () => call(raw.count_characters, null, sizeOut),
    'NULL out': () => call(raw.count_characters, 'x', null),
  },
  count_characters_utf16: {
    text: () => call(raw.count_characters_utf16, 'héllo', 5, sizeOut),
    'lone surrogate': () => call(raw.count_characters_utf16, new Uint16Array([0x61, 0xd800]), 2, sizeOut),
    'impossible length': () => call(raw.count_characters_utf16, new Uint16Array(2), SIZE_MAX, sizeOut),
    'NULL s with a length': () => call(raw.count_characters_utf16, null, 3, sizeOut),
  },
  count_characters_utf8: {
    bytes: () => call(raw.count_characters_utf8, Buffer.from('héllo'), 6, sizeOut),
    'invalid UTF-8': () => call(raw.count_characters_utf8, new Uint8Array([0x61, 0xff]), 2, sizeOut),
    'impossible length': () => call(raw.count_characters_utf8, new Uint8Array(2), SIZE_MAX, sizeOut),
    'NULL out': () => call(raw.count_characters_utf8, new Uint8Array(2), 2, null),
  },
  concat_strings_utf16_into: {
    fits: () => call(raw.concat_strings_utf16_into, 'ab', 2, 'cd', 2, new Uint16Array(8), 8, sizeOut),
    'too small': () => call(raw.concat_strings_utf16_into, 'abc', 3, 'cd', 2, new Uint16Array(2), 2, sizeOut),
    'lone surrogate': () =>
      call(raw.concat_strings_utf16_into, new Uint16Array([0xd800]), 1, 'cd', 2, new Uint16Array(8), 8, sizeOut),
    'impossible lengths (each beyond any array)': () =>
      call(raw.concat_strings_utf16_into, 'ab', SIZE_MAX, 'cd', SIZE_MAX, new Uint16Array(8), 8, sizeOut),
    'NULL first with a length': () =>
      call(raw.concat_strings_utf16_into, null, 2, 'cd', 2, new Uint16Array(8), 8, sizeOut),
  },
  shape_area: {
    circle: () => call(raw.shape_area, shape(raw.SHAPE_CIRCLE, 1), new Float64Array(1)),
    'negative radius': () => call(raw.shape_area, shape(raw.SHAPE_CIRCLE, -1), new Float64Array(1)),
    'unknown tag': () => call(raw.shape_area, shape(99, 1, 1, 1), new Float64Array(1)),
    'area beyond a double': () => call(raw.shape_area, shape(raw.SHAPE_RECTANGLE, 1e200, 1e200), new Float64Array(1)),
    'NULL shape': () => call(raw.shape_area, null, new Float64Array(1)),
    'NULL out': () => call(raw.shape_area, shape(raw.SHAPE_CIRCLE, 1), null),
  },
  shape_scale: {
    circle: () => call(raw.shape_scale, shape(raw.SHAPE_CIRCLE, 1), 2),
    'negative factor': () => call(raw.shape_scale, shape(raw.SHAPE_CIRCLE, 1), -2),
    'dimension beyond a double': () => call(raw.shape_scale, shape(raw.SHAPE_CIRCLE, 1e300), 1e300),
    'NULL shape': () => call(raw.shape_scale, null, 2),
  },
  parse_number: {
    integer: () => call(raw.parse_number, '42', new Uint8Array(16)),
    'not a number': () => call(raw.parse_number, '4 2', new Uint8Array(16)),
    'invalid UTF-8': () => call(raw.parse_number, new Uint8Array([0x34, 0xff, 0]), new Uint8Array(16)),
    'NULL text': () => call(raw.parse_number, null, new Uint8Array(16)),
    'NULL out': () => call(raw.parse_number, '1', null),
  },
  count_where: {
    'every value': () => call(raw.count_where, u32, 3, () => raw.COUNT_WHERE_MATCH, null, sizeOut),
    'predicate stops': () => call(raw.count_where, u32, 3, () => raw.COUNT_WHERE_STOP, null, sizeOut),
    'NULL predicate': () => call(raw.count_where, u32, 3, null, null, sizeOut),
    'NULL numbers with a length': () => call(raw.count_where, null, 3, () => 1, null, sizeOut),
    // A length whose byte size does not fit in ptrdiff_t: refused before any read.
    'impossible length': () => call(raw.count_where, u32, SIZE_MAX, () => 1, null, sizeOut),
  },
  primes_up_to: {
    'limit 10': () => {
      const out = primesOut();
      const status = call(raw.primes_up_to, 10, out);
      freePrimes(out);
      return status;
    },
    'above PRIMES_UP_TO_MAX_LIMIT': () => call(raw.primes_up_to, 2 ** 30 + 1, primesOut()),
    'NULL out': () => call(raw.primes_up_to, 10, null),
  },
  u32_array_move_into: {
    'the primes up to 10': () => {
      const out = primesOut();
      call(raw.primes_up_to, 10, out);
      return call(raw.u32_array_move_into, out, new Uint32Array(4), 4);
    },
    "dest too small (the array stays the caller's)": () => {
      const out = primesOut();
      call(raw.primes_up_to, 10, out);
      const status = call(raw.u32_array_move_into, out, new Uint32Array(2), 2);
      freePrimes(out);
      return status;
    },
    'NULL array': () => call(raw.u32_array_move_into, null, new Uint32Array(4), 4),
    'dest over the U32Array itself (zero-copy views of one buffer)': () => {
      const out = primesOut();
      call(raw.primes_up_to, 10, out);
      const status = call(raw.u32_array_move_into, out, new Uint32Array(out.buffer), 6);
      freePrimes(out);
      return status;
    },
  },
  primes_up_to_into: {
    'the primes up to 10, into room for them': () =>
      call(raw.primes_up_to_into, 10, new Uint32Array(8), 8, new BigUint64Array(1)),
    'above PRIMES_UP_TO_MAX_LIMIT': () =>
      call(raw.primes_up_to_into, 2 ** 30 + 1, new Uint32Array(8), 8, new BigUint64Array(1)),
    'dest shorter than the capacity': () =>
      call(raw.primes_up_to_into, 100, new Uint32Array(8), 8, new BigUint64Array(1)),
    'NULL written': () => call(raw.primes_up_to_into, 10, new Uint32Array(8), 8, null),
  },
  async_jobs_run: {
    'a sum job': () => call(raw.async_jobs_run, job(raw.ASYNC_JOB_SUM_OF_EVEN, 0), 1, new Uint32Array([2, 4]), 2),
    'an unknown kind': () => call(raw.async_jobs_run, job(99, 0), 1, new Uint32Array(2), 2),
    'primes into too small an output': () =>
      call(raw.async_jobs_run, job(raw.ASYNC_JOB_PRIMES_UP_TO, 100), 1, new Uint32Array(2), 2),
    'NULL jobs with a count': () => call(raw.async_jobs_run, null, 1, new Uint32Array(2), 2),
  },
  async_batch_run: {
    'a started batch': () => call(raw.async_batch_run, raw.async_batch_start(emptyBatch, 1, null)),
    NULL: () => call(raw.async_batch_run, null),
  },
  async_batch_run_in_background: {
    'a batch': () => waited(call(raw.async_batch_run_in_background, emptyBatch, 1)),
    'NULL batch': () => call(raw.async_batch_run_in_background, null, 0),
    'a count above the capacity': () => call(raw.async_batch_run_in_background, emptyBatch, 2),
  },
  async_batch_write_jobs: {
    'in range': () => call(raw.async_batch_write_jobs, copyBatch, 0, new Uint32Array(14), 1),
    'past the end': () => call(raw.async_batch_write_jobs, copyBatch, 1, new Uint32Array(14), 1),
    'NULL batch': () => call(raw.async_batch_write_jobs, null, 0, new Uint32Array(14), 1),
    'NULL jobs with a length': () => call(raw.async_batch_write_jobs, copyBatch, 0, null, 1),
    'while the batch runs': () =>
      whileRunning(() => call(raw.async_batch_write_jobs, copyBatch, 0, new Uint32Array(14), 1)),
  },
  async_batch_read_jobs: {
    'in range': () => call(raw.async_batch_read_jobs, copyBatch, 0, new Uint32Array(14), 1),
    'past the end': () => call(raw.async_batch_read_jobs, copyBatch, 1, new Uint32Array(14), 1),
    'NULL batch': () => call(raw.async_batch_read_jobs, null, 0, new Uint32Array(14), 1),
    'NULL jobs with a length': () => call(raw.async_batch_read_jobs, copyBatch, 0, null, 1),
    'while the batch runs': () =>
      whileRunning(() => call(raw.async_batch_read_jobs, copyBatch, 0, new Uint32Array(14), 1)),
  },
  async_batch_write_arena: {
    'in range': () => call(raw.async_batch_write_arena, copyBatch, 0, new Uint32Array(4), 4),
    'past the end': () => call(raw.async_batch_write_arena, copyBatch, 1, new Uint32Array(4), 4),
    'NULL batch': () => call(raw.async_batch_write_arena, null, 0, new Uint32Array(4), 1),
    'NULL values with a length': () => call(raw.async_batch_write_arena, copyBatch, 0, null, 1),
    'while the batch runs': () =>
      whileRunning(() => call(raw.async_batch_write_arena, copyBatch, 0, new Uint32Array(4), 1)),
  },
  async_batch_read_arena: {
    'in range': () => call(raw.async_batch_read_arena, copyBatch, 0, new Uint32Array(4), 4),
    'past the end': () => call(raw.async_batch_read_arena, copyBatch, 1, new Uint32Array(4), 4),
    'NULL batch': () => call(raw.async_batch_read_arena, null, 0, new Uint32Array(4), 1),
    'NULL values with a length': () => call(raw.async_batch_read_arena, copyBatch, 0, null, 1),
    'while the batch runs': () =>
      whileRunning(() => call(raw.async_batch_read_arena, copyBatch, 0, new Uint32Array(4), 1)),
  },
};

/** Status-returning functions that report a status rather than produce one. */
const NOT_OPERATIONS: Record<string, string> = {
  ffi_error_status: 'returns the status an error object recorded, whatever it is',
};

/** Fallbacks of functions without a status: provoked, and named in the doc comment. */
const FALLBACKS: { fn: string; label: string; run: () => unknown; returns: unknown; doc: RegExp }[] = [
  {
    fn: 'sum_of_even',
    label: 'NULL numbers with a length',
    run: () => call(raw.sum_of_even, null, 5),
    returns: 0,
    doc: /NULL with `length > 0` also returns 0/,
  },
  {
    fn: 'sum_of_even',
    label: 'an impossible length (byte size beyond ptrdiff_t)',
    run: () => call(raw.sum_of_even, u32, SIZE_MAX),
    returns: 0,
    doc: /also returns 0, and so does a `length` whose byte size/,
  },
  {
    fn: 'concat_strings',
    label: 'NULL first',
    run: () => call(raw.concat_strings, null, 'x'),
    returns: null,
    doc: /Returns NULL if either argument is NULL/,
  },
  {
    fn: 'points_translate',
    label: 'an impossible count',
    run: () => call(raw.points_translate, new Float32Array(2), SIZE_MAX, 1, 1),
    returns: undefined,
    doc: /a `count` whose byte size .* would not fit in a `ptrdiff_t`/,
  },
];

describe('the header documents every status a function returns', () => {
  const statusFns = [...DECLS].filter(([, d]) => d.returns === 'enum FfiStatus').map(([name]) => name);

  it('finds the status-returning functions, and each has a row', () => {
    expect(statusFns.length).toBeGreaterThanOrEqual(8);
    expect(statusFns.filter((n) => !(n in PROVOKE) && !(n in NOT_OPERATIONS))).toEqual([]);
    expect(Object.keys(PROVOKE).filter((n) => !statusFns.includes(n))).toEqual([]);
  });

  it('says in the preamble that a panic becomes FFI_STATUS_PANIC in any of them', () => {
    expect(HEADER).toMatch(/caught at the boundary and becomes FFI_STATUS_PANIC/);
  });

  it.each(Object.keys(PROVOKE))('%s: documented statuses = provoked statuses', (name) => {
    const documented = statusesIn(DECLS.get(name)?.doc ?? '').filter((s) => s !== 'PANIC');
    const provoked = [...new Set(Object.values(PROVOKE[name]).map((run) => statusName(run())))].sort();
    expect({ name, statuses: provoked }).toEqual({ name, statuses: documented });
  });
});

describe('the header documents every fallback of a function without a status', () => {
  it.each(FALLBACKS.map((f) => [`${f.fn}: ${f.label}`, f] as const))('%s', (_label, f) => {
    expect(f.run()).toBe(f.returns);
    expect(DECLS.get(f.fn)?.doc ?? '').toMatch(f.doc);
  });
});
