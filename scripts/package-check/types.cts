// Type-checked in the consumer directory by scripts/test-package.sh under
// moduleResolution node10, node16 and nodenext (tsconfig.<resolution>.json):
// the package's types resolve for a CommonJS TypeScript user, the root and
// `ffi-deep-dive/raw` alike, and the raw functions keep their C-derived types.
import ffi = require('ffi-deep-dive');
import raw = require('ffi-deep-dive/raw');

const sum: number = ffi.addInRust(2, 3) + raw.add_in_rust(1, 2);
const joined: string = ffi.concatStrings('a', 'b');
// @ts-expect-error a string is not a number
ffi.addInRust('2', 3);

// The raw layer: precise parameters and results, `.async` included.
const pointer: bigint | null = raw.concat_strings('a', 'b');
raw.free_rust_string(pointer);
let asyncResult = 0;
raw.add_in_rust.async(1, 2, (error: unknown, result: number) => {
  if (error === null) asyncResult = result;
});
// @ts-expect-error the raw function keeps its parameter types
raw.add_in_rust('1', 2);
// @ts-expect-error ... and its result type
const notAString: string = raw.add_in_rust(1, 2);
// @ts-expect-error .async's callback receives the function's result type
raw.add_in_rust.async(1, 2, (_error: unknown, _result: string) => undefined);
const declared: raw.Native<(a: number, b: number) => number> = raw.add_in_rust;
const where: raw.LibrarySource = raw.librarySource;

export { sum, joined, notAString, declared, where, asyncResult };
