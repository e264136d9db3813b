import fc from 'fast-check';
import koffi from 'koffi';
import { flipThings } from '../ts';
import { flip_things, flip_things_into, Tuple } from '../ts/raw';
import * as rawTuples from '../ts/raw/tuples';
import { expectThrowsArg } from './fixtures/arg-errors';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

describe('raw Tuple', () => {
  it('has the C layout', () => {
    expect(koffi.sizeof(Tuple)).toBe(8);
    expect(koffi.alignof(Tuple)).toBe(4);
    expect(koffi.offsetof(Tuple, '_0')).toBe(0);
    expect(koffi.offsetof(Tuple, '_1')).toBe(4);
  });

  it('passes and returns the struct by value', () => {
    expect(flip_things({ _0: 1, _1: 2 })).toEqual({ _0: 2, _1: 1 });
  });

  it('flip_things_into writes into a Uint32Array (zero-copy), in place or not; NULL writes nothing', () => {
    const t = new Uint32Array([1, 0xffff_ffff]);
    const out = new Uint32Array([7, 7]);
    expect(flip_things_into(t, out)).toBe(true);
    expect([...t, ...out]).toEqual([1, 0xffff_ffff, 0xffff_ffff, 1]);
    expect(flip_things_into(t, t)).toBe(true);
    expect([...t]).toEqual([0xffff_ffff, 1]);
    const words = new Uint32Array([1, 2, 3]);
    expect(flip_things_into(words, words.subarray(1))).toBe(true); // overlapping
    expect([...words]).toEqual([1, 2, 1]);
    expect(flip_things_into(null, out)).toBe(false);
    expect(flip_things_into(t, null)).toBe(false);
    expect([...out]).toEqual([0xffff_ffff, 1]);
  });
});

describe('flipThings', () => {
  it('swaps the pair', () => {
    expect(flipThings([1, 2])).toEqual([2, 1]);
    expect(flipThings([0, 0xffff_ffff])).toEqual([0xffff_ffff, 0]);
    expect(flipThings([-0, 5])).toEqual([5, 0]);
  });

  it('reports false from Rust (an internal panic) as an Error', () => {
    const into = jest.spyOn(rawTuples, 'flip_things_into').mockReturnValueOnce(false);
    try {
      expect(() => flipThings([1, 2])).toThrow(
        new Error('flipThings: flip_things_into returned false (an internal panic in Rust)'),
      );
    } finally {
      into.mockRestore();
    }
    expect(flipThings([1, 2])).toEqual([2, 1]);
  });

  it('returns a new array and leaves its argument alone', () => {
    const pair: [number, number] = [3, 4];
    const flipped = flipThings(pair);
    expect(flipped).not.toBe(pair);
    expect(pair).toEqual([3, 4]);
    expect(flipThings([5, 6])).toEqual([6, 5]);
    expect(flipped).toEqual([4, 3]); // not a view of memory a later call reuses
  });

  it('is [b, a] for every pair, and twice is the identity', () => {
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        expect(flipThings([a, b])).toEqual([b, a]);
        expect(flipThings(flipThings([a, b]))).toEqual([a, b]);
      }),
    );
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['an object', { 0: 1, 1: 2, length: 2 }],
    ['an empty array', []],
    ['one element', [1]],
    ['three elements', [1, 2, 3]],
  ])('refuses %s with TypeError', (_label, bad) => {
    expect(() => flipThings(bad as unknown as [number, number])).toThrow(TypeError);
  });

  it('names the length it got, read once, in the error (a Proxy may answer anything)', () => {
    expectThrowsArg(
      () => flipThings([1, 2, 3] as unknown as [number, number]),
      'flipThings',
      'ERR_INVALID_ARG_VALUE',
      /^pair must have exactly two elements, got length 3$/,
    );
    expectThrowsArg(
      () => flipThings([] as unknown as [number, number]),
      'flipThings',
      'ERR_INVALID_ARG_VALUE',
      /^pair must have exactly two elements, got length 0$/,
    );
    let reads = 0;
    const lying = new Proxy([1, 2], {
      get: (target, key, receiver) => {
        if (key !== 'length') return Reflect.get(target, key, receiver) as unknown;
        reads++;
        return '2';
      },
    });
    expectThrowsArg(
      () => flipThings(lying as unknown as [number, number]),
      'flipThings',
      'ERR_INVALID_ARG_VALUE',
      /^pair must have exactly two elements, got length string$/,
    );
    expect(reads).toBe(1);
    expectThrowsArg(
      () => flipThings({ 0: 1, 1: 2, length: 2 } as unknown as [number, number]),
      'flipThings',
      'ERR_INVALID_ARG_TYPE',
      /^pair must be an array of two uint32 numbers, got /,
    );
  });

  it.each([
    ['a string', '1'],
    ['a bigint', 1n],
    ['undefined', undefined],
  ])('refuses an element that is %s with TypeError', (_label, bad) => {
    expectThrowsArg(
      () => flipThings([bad as unknown as number, 1]),
      'flipThings',
      'ERR_INVALID_ARG_TYPE',
      'pair[0] must be',
    );
    expectThrowsArg(
      () => flipThings([1, bad as unknown as number]),
      'flipThings',
      'ERR_INVALID_ARG_TYPE',
      'pair[1] must be',
    );
  });

  it.each([
    ['a non-integer', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('refuses an element that is %s with RangeError (not an integer)', (_label, bad) => {
    expectThrowsArg(
      () => flipThings([bad as number, 1]),
      'flipThings',
      'ERR_OUT_OF_RANGE',
      'pair[0] must be an integer',
    );
    expectThrowsArg(
      () => flipThings([1, bad as number]),
      'flipThings',
      'ERR_OUT_OF_RANGE',
      'pair[1] must be an integer',
    );
  });

  it.each([-1, 2 ** 32, 2 ** 53, -(2 ** 31)])('refuses %d outside uint32 with RangeError', (bad) => {
    expect(() => flipThings([bad, 1])).toThrow(RangeError);
    expect(() => flipThings([1, bad])).toThrow(RangeError);
  });
});
