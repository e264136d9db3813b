// Type-checked in the consumer directory by scripts/test-package.sh under
// moduleResolution node16, nodenext and bundler (tsconfig.<resolution>.json):
// the package's types resolve for an ES module TypeScript user.
import { addInRust, FfiError, isCodedError, type CodedError, type FfiStatusName } from 'ffi-deep-dive';
import { add_in_rust, sum_of_even, type Native, type NativeType, Point } from 'ffi-deep-dive/raw';

const sum: number = addInRust(2, 3) + add_in_rust(1, 2);
const status: FfiStatusName = 'OVERFLOW';
const error: FfiError | null = null;
const even: bigint | number = sum_of_even(new Uint32Array([2, 4]), 2);
sum_of_even.async(new Uint32Array([2]), 1, (_error: unknown, result: bigint | number) => result);
const add: Native<(a: number, b: number) => number> = add_in_rust;
const size: number = (Point satisfies NativeType).size;
// @ts-expect-error the raw function keeps its parameter types
add_in_rust(1n, 2);

// Every error the public API throws has a typed code once narrowed with isCodedError.
const code: CodedError['code'] | null = (() => {
  try {
    addInRust(1.5, 2);
    return null;
  } catch (err) {
    return isCodedError(err) ? err.code : null;
  }
})();
// @ts-expect-error a code the package never uses
const notACode: CodedError['code'] = 'ERR_NOT_OURS';
const ffiCode: 'ERR_FFI_OVERFLOW' extends FfiError['code'] ? true : false = true;

export { sum, status, error, even, add, size, code, notACode, ffiCode };
