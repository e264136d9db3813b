/**
 * ffi-deep-dive: Rust exposed to Node.js through a plain C ABI.
 *
 * Everything public is exported from here. The raw koffi declarations that
 * mirror the C header one to one live in `ffi-deep-dive/raw`: they do no
 * checking and can crash the process with a bad pointer.
 *
 * @packageDocumentation
 */
export { FfiError, FfiStatus, statusName, isCodedError } from './status';
export { version, libraryVersion } from './version';
export type { FfiStatusName, CodedError, FfiDeepDiveErrorCode } from './status';
export { addInRust, addChecked } from './numbers';
export { concatStrings, countCharacters } from './strings';
export { Point, pointTranslated, translatePoints, FLOAT32_MAX } from './point';
export type { PointLike } from './point';
export { OpaquePoint } from './opaque';
export { floatToBits, bitsToFloat, parseNumber } from './unions';
export type { ParsedNumber } from './unions';
export { shapeArea, scaleShape } from './enums';
export type { Shape, ShapeKind, Circle, Rectangle, Triangle } from './enums';
export { flipThings } from './tuples';
export { sumOfEven, sumOfEvenBigInt, primesUpTo, PRIMES_UP_TO_MAX_LIMIT } from './slices';
export { countWhere, MAX_CALLBACK_DEPTH } from './callbacks';
export { sumOfEvenAsync, sumOfEvenBigIntAsync, primesUpToAsync, MAX_ASYNC_IN_FLIGHT } from './async';
export type { TransferOptions, TransferredSum } from './async';
