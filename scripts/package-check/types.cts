// Type-checked in the consumer directory by scripts/test-package.sh: the
// package's "types" resolve for a CommonJS TypeScript user.
import ffi = require('ffi-deep-dive');
import { add_in_rust } from 'ffi-deep-dive/raw';

const sum: number = ffi.addInRust(2, 3) + add_in_rust(1, 2);
const joined: string = ffi.concatStrings('a', 'b');
// @ts-expect-error a string is not a number
ffi.addInRust('2', 3);

export { sum, joined };
