/**
 * The examples of the README and docs/concepts.md, run as written: each documented result and message is
 * asserted here verbatim, so that `node scripts/check-docs.js --sources` (which requires every quoted
 * message of the docs to occur in a test's literals) and the reader see the same text the package produces.
 * The README's first Node.js example runs in the installed package (scripts/package-check/readme-example.js).
 */
import {
  addInRust,
  countCharacters,
  FfiError,
  isCodedError,
  OpaquePoint,
  parseNumber,
  primesUpTo,
  shapeArea,
  sumOfEvenAsync,
} from '../ts';
import { thrownBy as thrown } from './fixtures/arg-errors';

describe("the README's API examples", () => {
  it('give the documented results', async () => {
    expect(countCharacters('héllo 🦀')).toBe(7);
    expect(primesUpTo(20)).toEqual(new Uint32Array([2, 3, 5, 7, 11, 13, 17, 19]));
    expect(parseNumber('4.5')).toEqual({ kind: 'right', value: 4.5 });
    const p = new OpaquePoint(1, 2);
    expect(p.translate(1, 1).describe()).toBe('OpaquePoint(2, 3)');
    p.free();
    await expect(sumOfEvenAsync(new Uint32Array([1, 2, 3, 4]))).resolves.toBe(6);
  });

  it('throw the documented errors, with typed codes', () => {
    const triangle = thrown(() => shapeArea({ kind: 'triangle', a: 1, b: 1, c: 5 }));
    expect(isCodedError(triangle) && triangle.code).toBe('ERR_FFI_INVALID_ARGUMENT');
    expect(triangle).toMatchObject({
      message: 'shapeArea: the sides a = 1, b = 1, c = 5 break the triangle inequality: c = 5 is longer than a + b = 2',
    });
    const range = thrown(() => addInRust(1.5, 2));
    expect(range).toBeInstanceOf(RangeError);
    expect(range).toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: 'addInRust: a must be an integer (int32), got number 1.5',
    });
  });
});

describe("docs/concepts.md's examples", () => {
  it.each([
    [() => parseNumber('4 2'), 'parseNumber: "4 2" is not a number: unexpected \' \' at byte 1'],
    [() => shapeArea({ kind: 'circle', radius: -1 }), 'shapeArea: radius is -1: a dimension must be finite and >= 0'],
  ])('%#: throws FfiError with the quoted message', (f, message) => {
    const err = thrown(f);
    expect(err).toBeInstanceOf(FfiError);
    expect(err).toMatchObject({ status: 'INVALID_ARGUMENT', code: 'ERR_FFI_INVALID_ARGUMENT', message });
  });
});
