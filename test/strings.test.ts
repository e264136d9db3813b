import fc from 'fast-check';
import koffi from 'koffi';
import { constants as bufferConstants } from 'node:buffer';
import * as os from 'node:os';
import { concatStrings, countCharacters, FfiError, FfiStatus } from '../ts';
import { count_characters, rust_string_live_count } from '../ts/raw';
import * as rawStrings from '../ts/raw/strings';
import * as status from '../ts/status';
import * as validate from '../ts/validate';

/** Well-formed text: any code points, `\0` included (no lone surrogates). */
const text = fc.string({ unit: 'binary' });
/** Any sequence of UTF-16 code units: lone surrogates, pairs, NUL, ASCII, Latin-1 and the rest of the BMP. */
const codeUnits = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.integer({ min: 0, max: 0xffff }),
    )
    .map((u) => String.fromCharCode(u)),
  maxLength: 40,
});
/** Text mixing one-, two- and four-byte UTF-8 characters (V8 stores it with two bytes per unit). */
const mixed = (units: number): string => {
  const s = 'héllo wörld 🦀 ünïcode '.repeat(Math.ceil(units / 22)).slice(0, units);
  return s.isWellFormed() ? s : s.slice(0, -1) + 'x';
};

/**
 * A new instance of ts/strings.ts (its own reused buffers, its own intrinsics
 * captured at load) on the library and modules already loaded; `mocks`
 * replace other modules for it (e.g. `node:os`).
 */
function freshStrings(mocks: Record<string, () => unknown> = {}): typeof import('../ts/strings') {
  const shared: Record<string, () => unknown> = {
    koffi: () => koffi,
    '../ts/raw/strings': () => rawStrings,
    '../ts/status': () => status,
    '../ts/validate': () => validate,
    ...mocks,
  };
  let fresh: typeof import('../ts/strings') | undefined;
  jest.isolateModules(() => {
    for (const [name, factory] of Object.entries(shared)) jest.doMock(name, factory);
    fresh = jest.requireActual<typeof import('../ts/strings')>('../ts/strings');
  });
  for (const name of Object.keys(shared)) jest.dontMock(name);
  if (fresh === undefined) throw new Error('ts/strings did not load');
  return fresh;
}

/** Runs `f` and returns what it threw. */
function thrown(f: () => unknown): Error & { code?: unknown; status?: unknown } {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('concatStrings', () => {
  it('joins', () => {
    expect(concatStrings('Hello, ', 'Rustacean!')).toBe('Hello, Rustacean!');
    expect(concatStrings('', '')).toBe('');
    expect(concatStrings('🦀', 'é')).toBe('🦀é');
  });

  it('joins text with \\0 like any other character (the text goes with its length)', () => {
    expect(concatStrings('a\0b', 'c')).toBe('a\0bc');
    expect(concatStrings('\0', '\0')).toBe('\0\0');
  });

  it('handles results of every size: the reused buffer, its growth (to 65,536 units) and a buffer of their own', () => {
    expect(concatStrings('a'.repeat(4095), 'b')).toBe('a'.repeat(4095) + 'b'); // the initial 4096 units
    expect(concatStrings('a'.repeat(4095), '🦀')).toBe('a'.repeat(4095) + '🦀'); // grows
    expect(concatStrings('é'.repeat(65_535), 'b')).toBe('é'.repeat(65_535) + 'b'); // the largest reused
    expect(concatStrings('é'.repeat(65_535), '🦀')).toBe('é'.repeat(65_535) + '🦀'); // one unit over
    const big = 'x'.repeat(100_000) + '🦀';
    expect(concatStrings(big, big)).toBe(big + big);
    const two = mixed(1_000_000);
    expect(concatStrings(two, two)).toBe(two + two);
    expect(concatStrings('short', ' again')).toBe('short again'); // after the large ones
  });

  it('joins long Latin-1 text as bytes, and falls back to UTF-16 for \\0 and for anything above U+00FF', () => {
    const latin1 = 'ÿé'.repeat(1500) + 'x'; // 3001 units, all <= U+00FF
    expect(concatStrings(latin1, latin1)).toBe(latin1 + latin1);
    expect(concatStrings(latin1 + '\0' + latin1, '\0')).toBe(latin1 + '\0' + latin1 + '\0'); // a NUL ends the bytes early
    expect(concatStrings(latin1, 'Ā')).toBe(latin1 + 'Ā'); // U+0100: UTF-16
    expect(() => concatStrings(latin1, latin1 + '\uDC00')).toThrow(/second .*0xDC00 at index 3001/);
    const huge = 'z'.repeat(200_000); // past the 128 KiB reused buffers
    expect(concatStrings(huge, latin1)).toBe(huge + latin1);
    expect(concatStrings('a'.repeat(384), 'b'.repeat(384))).toBe('a'.repeat(384) + 'b'.repeat(384)); // the threshold
    expect(concatStrings('a'.repeat(383), 'b'.repeat(384))).toBe('a'.repeat(383) + 'b'.repeat(384)); // just below
  });

  it('never returns the bytes of a failed byte-string call, even when the length it left matches', () => {
    const fresh = freshStrings();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(400));
    expect(fresh.concatStrings(a, b)).toBe(a + b); // leaves 801 as the length written and a + b in the result buffer
    const bytes = jest.spyOn(rawStrings, 'concat_strings_into').mockImplementation(() => FfiStatus.PANIC);
    try {
      expect(fresh.concatStrings(c, d)).toBe(c + d); // joined by the UTF-16 path instead
      expect(bytes).toHaveBeenCalledTimes(1);
    } finally {
      bytes.mockRestore();
    }
  });

  it('joins long Latin-1 text with one byte-string call, and falls back to one UTF-16 call', () => {
    const fresh = freshStrings();
    const bytes = jest.spyOn(rawStrings, 'concat_strings_into');
    const utf16 = jest.spyOn(rawStrings, 'concat_strings_utf16_into');
    /** The native calls `concatStrings(first, second)` made, with the statuses they returned. */
    const calls = (first: string, second: string): string[] => {
      bytes.mockClear();
      utf16.mockClear();
      expect(fresh.concatStrings(first, second)).toBe(first + second);
      return [
        ...bytes.mock.results.map((r) => `bytes ${String(r.value)}`),
        ...utf16.mock.results.map((r) => `utf16 ${String(r.value)}`),
      ];
    };
    try {
      const latin1 = 'ÿé'.repeat(1500) + 'x';
      expect(calls(latin1, latin1)).toEqual(['bytes 0']);
      expect(calls('a'.repeat(384), 'b'.repeat(384))).toEqual(['bytes 0']); // 768 units: the threshold
      expect(calls('a'.repeat(383), 'b'.repeat(384))).toEqual(['utf16 0']); // just below
      expect(calls('', '')).toEqual(['utf16 0']);
      expect(calls(latin1 + 'Ā', latin1)).toEqual(['utf16 0']); // U+0100 in either argument
      expect(calls(latin1, 'Ā' + latin1)).toEqual(['utf16 0']);
      // A \0 ends the bytes early: Rust joins what it saw (OK), the length tells, UTF-16 joins again.
      expect(calls(latin1 + '\0' + latin1, 'x')).toEqual(['bytes 0', 'utf16 0']);
      expect(calls(latin1, '\0' + latin1)).toEqual(['bytes 0', 'utf16 0']);
      expect(calls(latin1 + '\0', '\0')).toEqual(['bytes 0', 'utf16 0']);
      const huge = 'z'.repeat(200_000); // past the 128 KiB reused buffers
      expect(calls(huge, latin1)).toEqual(['bytes 0']);
      expect(calls(latin1, huge)).toEqual(['bytes 0']);
    } finally {
      bytes.mockRestore();
      utf16.mockRestore();
    }
  });

  it('reuses the Latin-1 buffers (first, second, result) as they grow to 128 KiB, and allocates larger ones per call', () => {
    const fresh = freshStrings();
    const bytes = jest.spyOn(rawStrings, 'concat_strings_into');
    let last: unknown[] = [];
    /** The byte lengths of the three buffers the byte-string call got, `=` marking the one of the previous call. */
    const buffers = (firstLength: number, secondLength: number): string[] => {
      bytes.mockClear();
      const first = 'a'.repeat(firstLength);
      const second = 'b'.repeat(secondLength);
      expect(fresh.concatStrings(first, second)).toBe(first + second);
      expect(bytes.mock.results.map((r) => r.value)).toEqual([FfiStatus.OK]);
      const now = bytes.mock.calls[0].slice(0, 3) as Buffer[];
      const seen = now.map((buffer, i) => `${buffer === last[i] ? '=' : ''}${buffer.length}`);
      last = now;
      return seen;
    };
    try {
      expect(buffers(500, 300)).toEqual(['501', '301', '801']); // each exactly as large as needed at first
      expect(buffers(500, 300)).toEqual(['=501', '=301', '=801']); // reused
      expect(buffers(600, 300)).toEqual(['1002', '=301', '1602']); // grown to twice their size
      expect(buffers(1001, 300)).toEqual(['=1002', '=301', '=1602']); // an exact fit is reused
      expect(buffers(2500, 300)).toEqual(['2501', '=301', '3204']); // grown to what is needed, or to twice their size
      expect(buffers(131_071, 300)).toEqual(['131072', '=301', '131372']); // 128 KiB is kept; past it, per call
      expect(buffers(131_071, 300)).toEqual(['=131072', '=301', '131372']);
      expect(buffers(200_000, 300)).toEqual(['200001', '=301', '200301']);
      expect(buffers(500, 300)).toEqual(['131072', '=301', '3204']); // the kept ones again
    } finally {
      bytes.mockRestore();
    }
  });

  it('writes results into one reused buffer that grows to 65,536 units, and longer ones into a buffer of their own', () => {
    const fresh = freshStrings();
    const utf16 = jest.spyOn(rawStrings, 'concat_strings_utf16_into');
    let reused: unknown;
    /** Where the result of `units` code units was written: `reused` (`=` for the same buffer as before) or `own`, and its capacity. */
    const target = (units: number): string => {
      utf16.mockClear();
      const first = 'Ā'.repeat(units); // above U+00FF: never the Latin-1 path
      expect(fresh.concatStrings(first, '')).toBe(first);
      expect(utf16.mock.results.map((r) => r.value)).toEqual([FfiStatus.OK]);
      const [buffer, capacity] = utf16.mock.calls[0].slice(4, 6);
      if (typeof buffer !== 'bigint') return `own ${String(capacity)}`;
      const same = buffer === reused;
      reused = buffer;
      return `${same ? '=' : ''}reused ${String(capacity)}`;
    };
    try {
      expect(target(4096)).toBe('reused 4096'); // the initial 4096 units
      expect(target(1)).toBe('=reused 4096');
      expect(target(4096)).toBe('=reused 4096');
      expect(target(4097)).toBe('reused 8192'); // grown to twice its size
      expect(target(20_000)).toBe('reused 20000'); // grown to what is needed
      expect(target(65_536)).toBe('reused 65536'); // no larger than 65,536 units
      expect(target(65_537)).toBe('own 65537');
      expect(target(65_536)).toBe('=reused 65536');
      expect(target(0)).toBe('=reused 65536');
    } finally {
      utf16.mockRestore();
    }
  });

  it('decodes results with Buffer#toString where Buffer has no ucs2Slice', () => {
    const ucs2Slice = Object.getOwnPropertyDescriptor(Buffer.prototype, 'ucs2Slice');
    if (ucs2Slice === undefined) throw new Error('this Node has no Buffer#ucs2Slice: the fallback is the only path');
    let fresh: typeof import('../ts/strings');
    try {
      delete (Buffer.prototype as { ucs2Slice?: unknown }).ucs2Slice;
      fresh = freshStrings();
    } finally {
      Object.defineProperty(Buffer.prototype, 'ucs2Slice', ucs2Slice);
    }
    for (const [a, b] of [
      ['Hello, ', 'Rustacean!'],
      ['🦀', '\0é'],
      ['', ''],
      ['Ā'.repeat(70_000), 'x'], // a buffer of its own
    ]) {
      expect(fresh.concatStrings(a, b)).toBe(a + b);
    }
  });

  it('equals a + b for long text of any mix of Latin-1, other characters and \\0', () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0x100, max: 0xd7ff }), fc.constant(0));
    const piece = fc.string({ unit: unit.map((u) => String.fromCharCode(u)), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(piece, fc.integer({ min: 0, max: 1200 }), piece, fc.integer({ min: 0, max: 1200 }), (a, m, b, n) => {
        const first = a.repeat(m);
        const second = b.repeat(n);
        expect(concatStrings(first, second)).toBe(first + second);
      }),
      { numRuns: 300 },
    );
  });

  it('allocates nothing in Rust', () => {
    const before = rust_string_live_count();
    for (let i = 0; i < 100; i++) concatStrings('y'.repeat(10_000), String(i));
    expect(rust_string_live_count()).toBe(before);
  });

  it('equals a + b for arbitrary text', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(concatStrings(a, b)).toBe(a + b);
      }),
      { numRuns: 500 },
    );
  });

  it('equals a + b for any code units, or throws ERR_INVALID_ARG_VALUE naming the argument with a lone surrogate', () => {
    fc.assert(
      fc.property(codeUnits, codeUnits, (a, b) => {
        if (a.isWellFormed() && b.isWellFormed()) {
          expect(concatStrings(a, b)).toBe(a + b);
        } else {
          const err = thrown(() => concatStrings(a, b));
          expect(err).toBeInstanceOf(TypeError);
          expect(err.code).toBe('ERR_INVALID_ARG_VALUE');
          expect(err.message).toMatch(a.isWellFormed() ? /^concatStrings: second / : /^concatStrings: first /);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['a Buffer', Buffer.from('x')],
    ['a String object', new String('x')],
  ])('refuses %s with TypeError ERR_INVALID_ARG_TYPE', (_label, bad) => {
    expect(thrown(() => concatStrings(bad as unknown as string, 'x'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringMatching(/^concatStrings: first must be a string, got /),
    });
    expect(thrown(() => concatStrings('x', bad as unknown as string))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringMatching(/^concatStrings: second must be a string, got /),
    });
  });

  it('refuses lone surrogates, and says where the first one is', () => {
    expect(thrown(() => concatStrings('\uD83D', 'x'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message:
        'concatStrings: first must be well-formed text, but contains a lone UTF-16 surrogate (0xD83D at index 0)',
    });
    expect(thrown(() => concatStrings('x', 'ab\uDE00'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringMatching(/second .*0xDE00 at index 2/),
    });
    // Halves of a pair split across the two arguments are lone in each.
    expect(() => concatStrings('\uD83E', '\uDD80')).toThrow(TypeError);
    // In the long path too.
    expect(() => concatStrings('x'.repeat(5000), 'y\uD800')).toThrow(/second .*0xD800 at index 1/);
    // And in results too long for the reused buffer.
    const long = 'Ā'.repeat(70_000);
    expect(thrown(() => concatStrings(long + '\uD800', 'y'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message:
        'concatStrings: first must be well-formed text, but contains a lone UTF-16 surrogate (0xD800 at index 70000)',
    });
    expect(thrown(() => concatStrings(long, 'y\uDFFF'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message:
        'concatStrings: second must be well-formed text, but contains a lone UTF-16 surrogate (0xDFFF at index 1)',
    });
    expect(concatStrings('ok', 'ok')).toBe('okok');
  });

  it('takes a result of exactly the longest string the engine can create to Rust', () => {
    const utf16 = jest.spyOn(rawStrings, 'concat_strings_utf16_into').mockImplementation(() => {
      throw new Error('reached Rust');
    });
    try {
      const rest = 'x'.repeat(bufferConstants.MAX_STRING_LENGTH - 1); // a rope, never flattened here
      expect(() => concatStrings('Ā', rest)).toThrow(new Error('reached Rust'));
      expect(() => concatStrings('Ā', rest + 'x')).toThrow(RangeError); // one unit more
      expect(utf16).toHaveBeenCalledTimes(1);
    } finally {
      utf16.mockRestore();
    }
  });

  it('refuses a result longer than the engine can represent with RangeError, before any native call', () => {
    const half = 'x'.repeat(2 ** 28); // a rope: the length is known without building it
    expect(thrown(() => concatStrings(half, half))).toMatchObject({
      name: 'RangeError',
      code: 'ERR_OUT_OF_RANGE',
      message: expect.stringMatching(/^concatStrings: the result would have 536870912 UTF-16 code units/),
    });
  });
});

describe('countCharacters', () => {
  it('hands Rust a private copy of bytes backed by a SharedArrayBuffer (another thread could write them during the call)', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    shared.set([0x68, 0xc3, 0xa9, 0x21]); // 'hé!'
    const utf8 = jest.spyOn(rawStrings, 'count_characters_utf8');
    try {
      expect(countCharacters(shared)).toBe(3);
      expect(utf8).toHaveBeenCalledTimes(1);
      const passed = utf8.mock.calls[0][0] as unknown as Uint8Array;
      expect(passed).not.toBe(shared);
      expect(Object.prototype.toString.call(passed.buffer)).toBe('[object ArrayBuffer]');
      expect([...passed]).toEqual([0x68, 0xc3, 0xa9, 0x21]);
    } finally {
      utf8.mockRestore();
    }
  });

  it('counts code points', () => {
    expect(countCharacters('')).toBe(0);
    expect(countCharacters('héllo')).toBe(5);
    expect(countCharacters('🦀')).toBe(1);
    expect(countCharacters('👩‍👩‍👧')).toBe(5); // code points, not graphemes
    expect(countCharacters('a\0b')).toBe(3); // \0 is U+0000
  });

  it('equals [...s].length for arbitrary text, and the NUL-terminated UTF-8 path where that can take it', () => {
    const out = new BigUint64Array(1);
    fc.assert(
      fc.property(text, (s) => {
        expect(countCharacters(s)).toBe([...s].length);
        if (!s.includes('\0')) {
          expect(count_characters(s, out, null)).toBe(0);
          expect(Number(out[0])).toBe([...s].length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('equals [...s].length for any code units, or throws ERR_INVALID_ARG_VALUE for a lone surrogate', () => {
    fc.assert(
      fc.property(codeUnits, (s) => {
        if (s.isWellFormed()) {
          expect(countCharacters(s)).toBe([...s].length);
        } else {
          const err = thrown(() => countCharacters(s));
          expect(err).toBeInstanceOf(TypeError);
          expect(err.code).toBe('ERR_INVALID_ARG_VALUE');
          expect(err.message).toMatch(
            /^countCharacters: s must be well-formed text, but contains a lone UTF-16 surrogate/,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('counts long one-byte and two-byte strings', () => {
    for (const n of [1000, 10_000, 1_000_000]) {
      const ascii = 'a'.repeat(n);
      expect(countCharacters(ascii)).toBe(n);
      const two = mixed(n);
      expect(countCharacters(two)).toBe([...two].length);
      expect(() => countCharacters(two + '\uD800')).toThrow(new RegExp(`0xD800 at index ${n}\\)`));
    }
  });

  it('returns counts above 2^32 - 1 whole (4 GiB of 0 bytes)', () => {
    expect(countCharacters(new Uint8Array(2 ** 32))).toBe(2 ** 32);
  });

  it('reads the size_t results in the host byte order (os.endianness())', () => {
    // The other byte order, simulated: the module is told it runs on such a
    // host, and the native call's size_t is rewritten the way that host
    // stores it (the two 32-bit words swapped).
    const other = os.endianness() === 'LE' ? 'BE' : 'LE';
    const fresh = freshStrings({ 'node:os': () => ({ ...os, endianness: () => other }) });
    const real = rawStrings.count_characters_utf16;
    const count = jest.spyOn(rawStrings, 'count_characters_utf16').mockImplementation((s, len, out, error) => {
      const result = real(s, len, out, error);
      const words = new Uint32Array(koffi.view(out, 8));
      [words[0], words[1]] = [words[1], words[0]];
      return result;
    });
    try {
      expect(fresh.countCharacters('héllo')).toBe(5);
      expect(count).toHaveBeenCalledTimes(1);
    } finally {
      count.mockRestore();
    }
  });

  it('counts UTF-8 bytes given as a Uint8Array, 0 bytes included', () => {
    expect(countCharacters(new TextEncoder().encode('h🦀'))).toBe(2);
    expect(countCharacters(Buffer.from('héllo'))).toBe(5);
    expect(countCharacters(new Uint8Array(0))).toBe(0);
    expect(countCharacters(new Uint8Array([0x61, 0, 0x62]))).toBe(3);
    expect(countCharacters(Buffer.from('zzhéllozz').subarray(2, 8))).toBe(5);
  });

  it('equals the decoded text`s code points for arbitrary bytes, or throws INVALID_UTF8', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
        let decoded: string | undefined;
        try {
          decoded = decoder.decode(bytes);
        } catch {
          decoded = undefined;
        }
        if (decoded !== undefined) expect(countCharacters(bytes)).toBe([...decoded].length);
        else expect(thrown(() => countCharacters(bytes))).toMatchObject({ status: 'INVALID_UTF8' });
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the bytes and their count from the engine, not from the array`s own properties', () => {
    const lying = new Uint8Array([0x61, 0x62]);
    Object.defineProperty(lying, 'length', { value: 2 ** 31 });
    expect(countCharacters(lying)).toBe(2);
    const disguised = new Uint16Array([0x6161]);
    Object.setPrototypeOf(disguised, Uint8Array.prototype);
    expect(() => countCharacters(disguised as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => countCharacters(new Proxy(new Uint8Array(1), {}))).toThrow(TypeError);
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([0x68, 0xc3, 0xa9]);
    expect(countCharacters(shared)).toBe(2);
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['0xff', [0x68, 0xff]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('throws FfiError INVALID_UTF8 for %s', (_label, bytes) => {
    const err = thrown(() => countCharacters(new Uint8Array(bytes)));
    expect(err).toBeInstanceOf(FfiError);
    expect(err).toMatchObject({ status: 'INVALID_UTF8', statusCode: 2, code: 'ERR_FFI_INVALID_UTF8' });
    expect((err as Error).message).toMatch(/^countCharacters: s is not valid UTF-8: .* at byte offset \d+/);
    expect(countCharacters('ok')).toBe(2);
  });

  it('refuses lone surrogates and other types', () => {
    expect(thrown(() => countCharacters('ab\uD800'))).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: 'countCharacters: s must be well-formed text, but contains a lone UTF-16 surrogate (0xD800 at index 2)',
    });
    expect(() => countCharacters('\uDC00x')).toThrow(/0xDC00 at index 0/);
    for (const bad of [
      42,
      null,
      undefined,
      {},
      new Uint16Array(2),
      new Int8Array(1),
      new DataView(new ArrayBuffer(1)),
    ]) {
      expect(thrown(() => countCharacters(bad as unknown as string))).toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringMatching(/^countCharacters: s must be a string or a Uint8Array, got /),
      });
    }
  });
});
