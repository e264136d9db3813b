// Type-checked in the consumer directory by scripts/test-package.sh: the
// package's "types" resolve for an ES module TypeScript user.
import { addInRust, FfiError, type FfiStatusName } from 'ffi-deep-dive';

const sum: number = addInRust(2, 3);
const status: FfiStatusName = 'OVERFLOW';
const error: FfiError | null = null;

export { sum, status, error };
