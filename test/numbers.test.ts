import fc from 'fast-check';
import { addChecked, addInRust, FfiError } from '../ts';
import { expectThrowsArg } from './fixtures/arg-errors';

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

describe('addInRust', () => {
  it('adds', () => {
    expect(addInRust(2, 3)).toBe(5);
    expect(addInRust(-7, 3)).toBe(-4);
    expect(addInRust(0, -0)).toBe(0);
  });

  it('wraps on overflow like C int in two’s complement', () => {
    expect(addInRust(INT32_MAX, 1)).toBe(INT32_MIN);
    expect(addInRust(INT32_MIN, -1)).toBe(INT32_MAX);
  });

  it('matches (a + b) | 0 for every int32 pair', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        (a, b) => {
          expect(addInRust(a, b)).toBe((a + b) | 0);
        },
      ),
    );
  });

  it.each([
    ['a string', '1'],
    ['a bigint', 1n],
    ['undefined', undefined],
    ['null', null],
    ['an object', {}],
  ])('refuses %s with TypeError ERR_INVALID_ARG_TYPE', (_label, bad) => {
    expectThrowsArg(() => addInRust(bad as number, 1), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'a must be a number');
    expectThrowsArg(() => addInRust(1, bad as number), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'b must be a number');
  });

  it('refuses a Symbol and an object with valueOf without running any of their code', () => {
    const sym = Symbol('n') as unknown as number;
    expectThrowsArg(() => addInRust(sym, 1), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'a must be a number');
    expectThrowsArg(() => addInRust(1, sym), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'b must be a number');
    let valueOfCalls = 0;
    const liar = {
      valueOf: (): number => {
        valueOfCalls++;
        return 1;
      },
    } as unknown as number;
    expectThrowsArg(() => addInRust(liar, 1), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'a must be a number');
    expectThrowsArg(() => addInRust(1, liar), 'addInRust', 'ERR_INVALID_ARG_TYPE', 'b must be a number');
    expect(valueOfCalls).toBe(0);
  });

  it.each([
    ['a non-integer', 3.7],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('refuses %s with RangeError ERR_OUT_OF_RANGE', (_label, bad) => {
    expectThrowsArg(() => addInRust(bad as number, 1), 'addInRust', 'ERR_OUT_OF_RANGE', 'a must be an integer');
    expectThrowsArg(() => addInRust(1, bad as number), 'addInRust', 'ERR_OUT_OF_RANGE', 'b must be an integer');
  });

  it.each([2 ** 31, INT32_MIN - 1, 2 ** 53, -(2 ** 40)])('refuses %d outside int32 with RangeError', (bad) => {
    expectThrowsArg(() => addInRust(bad, 1), 'addInRust', 'ERR_OUT_OF_RANGE', 'a must be an integer in [');
    expectThrowsArg(() => addInRust(1, bad), 'addInRust', 'ERR_OUT_OF_RANGE', 'b must be an integer in [');
  });
});

describe('addChecked', () => {
  it('adds', () => {
    expect(addChecked(40, 2)).toBe(42);
    expect(addChecked(INT32_MIN, INT32_MAX)).toBe(-1);
  });

  it('throws FfiError OVERFLOW instead of wrapping', () => {
    for (const [a, b] of [
      [INT32_MAX, 1],
      [INT32_MIN, -1],
      [INT32_MAX, INT32_MAX],
    ]) {
      let caught: unknown;
      try {
        addChecked(a, b);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FfiError);
      expect(caught).toMatchObject({ status: 'OVERFLOW', statusCode: 5, code: 'ERR_FFI_OVERFLOW', name: 'FfiError' });
      const sum = a + b;
      expect((caught as Error).message).toBe(
        `addChecked: ${a} + ${b} = ${sum} does not fit in a 32-bit int: it is ${sum > 0 ? 'above INT32_MAX (2147483647)' : 'below INT32_MIN (-2147483648)'}`,
      );
    }
    expect(addChecked(1, 1)).toBe(2); // still works afterwards
  });

  it('agrees with exact arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        fc.integer({ min: INT32_MIN, max: INT32_MAX }),
        (a, b) => {
          const exact = a + b;
          if (exact > INT32_MAX || exact < INT32_MIN) {
            expect(() => addChecked(a, b)).toThrow(FfiError);
          } else {
            expect(addChecked(a, b)).toBe(exact);
          }
        },
      ),
    );
  });

  it('validates like addInRust', () => {
    expectThrowsArg(() => addChecked(1.5, 1), 'addChecked', 'ERR_OUT_OF_RANGE', 'a must be an integer');
    expectThrowsArg(() => addChecked(1, 2 ** 31), 'addChecked', 'ERR_OUT_OF_RANGE', 'b must be an integer in [');
    expectThrowsArg(() => addChecked('1' as unknown as number, 1), 'addChecked', 'ERR_INVALID_ARG_TYPE');
  });
});
