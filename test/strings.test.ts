import fc from 'fast-check';
import { concatStrings, countCharacters, FfiError } from '../ts';
import { count_characters, rust_string_live_count } from '../ts/raw';

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
    expect(concatStrings('ok', 'ok')).toBe('okok');
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
