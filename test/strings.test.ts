import fc from 'fast-check';
import { concatStrings, countCharacters, FfiError } from '../ts';
import { rust_string_live_count } from '../ts/raw';

/** Strings C can receive intact: any code points but NUL (no lone surrogates). */
const cText = fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0'));

describe('concatStrings', () => {
  it('joins', () => {
    expect(concatStrings('Hello, ', 'Rustacean!')).toBe('Hello, Rustacean!');
    expect(concatStrings('', '')).toBe('');
    expect(concatStrings('🦀', 'é')).toBe('🦀é');
  });

  it('handles results larger than the scratch buffer through the Rust-owned path', () => {
    const big = 'x'.repeat(100_000) + '🦀';
    expect(concatStrings(big, big)).toBe(big + big);
    expect(concatStrings('a'.repeat(4094), 'b')).toHaveLength(4095); // fits with the NUL
    expect(concatStrings('a'.repeat(4095), 'b')).toHaveLength(4096); // one byte over
  });

  it('frees every Rust string it receives', () => {
    const before = rust_string_live_count();
    const big = 'y'.repeat(10_000);
    for (let i = 0; i < 100; i++) concatStrings(big, String(i));
    expect(rust_string_live_count()).toBe(before);
  });

  it('equals a + b for arbitrary text', () => {
    fc.assert(
      fc.property(cText, cText, (a, b) => {
        expect(concatStrings(a, b)).toBe(a + b);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['a Buffer', Buffer.from('x')],
  ])('refuses %s with TypeError', (_label, bad) => {
    expect(() => concatStrings(bad as unknown as string, 'x')).toThrow(TypeError);
    expect(() => concatStrings('x', bad as unknown as string)).toThrow(TypeError);
  });

  it('refuses embedded NUL instead of letting C cut the string', () => {
    expect(() => concatStrings('a\0b', 'c')).toThrow(/NUL/);
    expect(() => concatStrings('a', '\0')).toThrow(TypeError);
  });

  it('refuses lone surrogates instead of replacing them', () => {
    expect(() => concatStrings('\uD83D', 'x')).toThrow(/surrogate/);
    expect(() => concatStrings('x', '\uDE00')).toThrow(TypeError);
    expect(concatStrings('ok', 'ok')).toBe('okok');
  });
});

describe('countCharacters', () => {
  it('counts code points', () => {
    expect(countCharacters('')).toBe(0);
    expect(countCharacters('héllo')).toBe(5);
    expect(countCharacters('🦀')).toBe(1);
    expect(countCharacters('👩‍👩‍👧')).toBe(5); // code points, not graphemes
  });

  it('equals [...s].length for arbitrary text', () => {
    fc.assert(
      fc.property(cText, (s) => {
        expect(countCharacters(s)).toBe([...s].length);
      }),
      { numRuns: 500 },
    );
  });

  it('counts UTF-8 bytes given as a Uint8Array', () => {
    expect(countCharacters(new TextEncoder().encode('h🦀'))).toBe(2);
    expect(countCharacters(Buffer.from('héllo'))).toBe(5);
    expect(countCharacters(new Uint8Array(0))).toBe(0);
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['0xff', [0x68, 0xff]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('throws FfiError INVALID_UTF8 for %s', (_label, bytes) => {
    expect(() => countCharacters(new Uint8Array(bytes))).toThrow(FfiError);
    try {
      countCharacters(new Uint8Array(bytes));
    } catch (err) {
      expect(err).toMatchObject({ status: 'INVALID_UTF8', statusCode: 2, code: 'ERR_FFI_INVALID_UTF8' });
      expect((err as Error).message).toMatch(/^countCharacters: s is not valid UTF-8: .* at byte offset \d+/);
    }
    expect(countCharacters('ok')).toBe(2);
  });

  it('refuses 0 bytes, NUL, lone surrogates and other types', () => {
    expect(() => countCharacters(new Uint8Array([0x61, 0, 0x62]))).toThrow(TypeError);
    expect(() => countCharacters('a\0')).toThrow(TypeError);
    expect(() => countCharacters('\uD800')).toThrow(TypeError);
    expect(() => countCharacters(42 as unknown as string)).toThrow(TypeError);
    expect(() => countCharacters(new Uint16Array(2) as unknown as Uint8Array)).toThrow(TypeError);
  });
});
