/**
 * Errors: the numbers of `FfiStatus`, the error class the public API throws
 * when Rust reports a failure, and the native error objects that carry Rust's
 * reason to it.
 *
 * Every status-returning native call gets an error object (`FfiError *`) as
 * its last argument; on failure Rust writes the status and a specific reason
 * into it, which {@link check} turns into an {@link FfiError}.
 *
 * Synchronous calls share one error object per realm and library
 * ({@link syncError}). That is safe under re-entry: Rust writes the object
 * only when a call returns, and the caller reads it right after, before any
 * other JS runs. A call that runs JS during the native call (a `countWhere`
 * predicate that itself calls a failing function) is no exception: the
 * nested call writes and reads the object while the outer call is still
 * running, and the outer call writes it only after its last predicate call.
 * Async batches (ts/async.ts) pass NULL: a job can fail after validation only
 * by a caught panic, and an object per batch would outlive a worker thread
 * that is terminated before the batch completes.
 */
import { ffi_error_message, ffi_error_new_thread_owned, ffi_error_status } from './raw/error';
import { libraryPath } from './raw/library';
import { ffi_status_message } from './raw/status';
import {
  ErrorCtor,
  NumberIsInteger,
  FunctionPrototypeSymbolHasInstance,
  ObjectAssign,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectPrototypeHasOwnProperty,
  ReflectDefineProperty,
  ReflectGetOwnPropertyDescriptor,
  StringCtor,
  SymbolFor,
} from './primordials';
import type { ArgumentErrorCode } from './validate';

/** The numeric values of the C `FfiStatus` enum, by name (`FFI_STATUS_` prefix dropped). */
export const FfiStatus = {
  OK: 0,
  NULL_ARGUMENT: 1,
  INVALID_UTF8: 2,
  INVALID_ARGUMENT: 3,
  BUFFER_TOO_SMALL: 4,
  OVERFLOW: 5,
  PANIC: 6,
  CANCELLED: 7,
} as const;

/** The name of a status, e.g. `'OVERFLOW'`. */
export type FfiStatusName = keyof typeof FfiStatus;

/** Status names by number, in a null-prototype record: a missing number reads no inherited property. */
const NAMES: Readonly<Record<number, FfiStatusName>> = (() => {
  const names = ObjectCreate(null) as Record<number, FfiStatusName>;
  names[FfiStatus.OK] = 'OK';
  names[FfiStatus.NULL_ARGUMENT] = 'NULL_ARGUMENT';
  names[FfiStatus.INVALID_UTF8] = 'INVALID_UTF8';
  names[FfiStatus.INVALID_ARGUMENT] = 'INVALID_ARGUMENT';
  names[FfiStatus.BUFFER_TOO_SMALL] = 'BUFFER_TOO_SMALL';
  names[FfiStatus.OVERFLOW] = 'OVERFLOW';
  names[FfiStatus.PANIC] = 'PANIC';
  names[FfiStatus.CANCELLED] = 'CANCELLED';
  return names;
})();

/** The name of a status code, or `'UNKNOWN'` for a number that is not one. */
export function statusName(code: number): FfiStatusName | 'UNKNOWN' {
  return (NumberIsInteger(code) ? NAMES[code] : undefined) ?? 'UNKNOWN';
}

/**
 * A failure reported by the Rust library.
 *
 * `message` is the public function that failed followed by Rust's reason:
 * `'shapeArea: the sides a = 1, b = 1, c = 5 break the triangle inequality: c = 5 is longer than a + b = 2'`.
 * `status` is the status name (`'INVALID_ARGUMENT'`), `statusCode` its number
 * in the C enum, and `code` the Node-style code `'ERR_FFI_' + status`
 * (`'ERR_FFI_INVALID_ARGUMENT'`).
 */
// eslint-disable-next-line local/prefer-primordials -- the heritage is evaluated once, when the class is defined (at load); the published declarations must name Error, not an internal module
export class FfiError extends Error {
  /** The status name, e.g. `'INVALID_UTF8'`. */
  declare readonly status: FfiStatusName | 'UNKNOWN';
  /** The status number, as in the C header (`FFI_STATUS_INVALID_UTF8` is 2). */
  declare readonly statusCode: number;
  /** A Node-style error code: `'ERR_FFI_' + status`, e.g. `'ERR_FFI_INVALID_UTF8'`. */
  declare readonly code: `ERR_FFI_${FfiStatusName | 'UNKNOWN'}`;

  /**
   * @param statusCode - the status number returned by the native call
   * @param operation - the public function that failed, for the message
   * @param reason - Rust's reason; without one, the status's static description
   */
  constructor(statusCode: number, operation: string, reason?: string) {
    const status = statusName(statusCode);
    // A code that is not an int32 would be truncated or rejected by koffi:
    // ask for a number that is no status, so the message says "unknown status".
    const text =
      typeof reason === 'string' && reason !== '' ? reason : ffi_status_message(status === 'UNKNOWN' ? -1 : statusCode);
    // String(): the constructor is public, and a template literal throws on a Symbol.
    super(`${StringCtor(operation)}: ${text}`);
    // Own properties, defined: an accessor on Error.prototype or Object.prototype cannot take the writes.
    ownField(this, 'name', 'FfiError');
    ownField(this, 'status', status);
    ownField(this, 'statusCode', statusCode);
    ownField(this, 'code', `ERR_FFI_${status}`);
  }
}

/** Defines `object[key]` as an own, enumerable, writable data property (what an assignment would make). */
function ownField(object: object, key: string, value: unknown): void {
  ObjectDefineProperty(object, key, {
    __proto__: null,
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  } as PropertyDescriptor);
}

/** A native error object: the BigInt address of an `FfiError`, or `null` for "no detail wanted". */
export type NativeError = bigint | null;

/**
 * Where the first module instance of a realm (so of a thread) leaves its
 * error object for the next ones: a non-writable, non-configurable property
 * of `globalThis` under a registered symbol. Once defined, no code can change
 * it; a value planted there before this package was first required is out of
 * scope, as a built-in patched then would be.
 *
 * The symbol names the library file the module instance loaded (its
 * absolute path): the handle belongs to that library's table of thread-owned
 * objects, and another library must never receive it. Two copies of the
 * package in one process (two versions in nested `node_modules`) load two
 * files, so two libraries, and each keeps its own object. Module instances
 * of one copy load the same path, which `dlopen` resolves to the same loaded
 * library, and share it. (Two paths to one file, through a symlink or a hard
 * link, are one library with two keys: one more error object, never a
 * foreign handle.)
 */
const SYNC_ERROR_KEY = SymbolFor(`ffi-deep-dive.syncError:${libraryPath}`);

/**
 * The realm's shared error object, made on first use. Sharing it among
 * module instances is as safe as sharing it among the modules of one
 * instance (see the module comment): they all run on the same thread, one
 * call at a time. So a cleared `require.cache` or a new jest registry adds
 * no error object.
 */
function realmSyncError(): NativeError {
  const kept = ReflectGetOwnPropertyDescriptor(globalThis, SYNC_ERROR_KEY);
  if (
    kept !== undefined &&
    ObjectPrototypeHasOwnProperty(kept, 'value') && // a data property (no inherited `value` read)
    typeof kept.value === 'bigint' &&
    kept.writable === false &&
    kept.configurable === false
  ) {
    return kept.value;
  }
  const error = ffi_error_new_thread_owned();
  if (kept === undefined && error !== null) {
    // A non-extensible global refuses it: then this instance keeps its own.
    ReflectDefineProperty(globalThis, SYNC_ERROR_KEY, {
      __proto__: null,
      value: error,
      enumerable: false,
      writable: false,
      configurable: false,
    } as PropertyDescriptor);
  }
  return error;
}

/**
 * The error object every synchronous call passes (see the module comment for
 * why sharing it is safe): one per realm, shared by every module instance of
 * this package in it. It lives as long as its thread: owned by that thread
 * (`ffi_error_new_thread_owned`), it is freed by Rust when the thread exits,
 * however it ends (a worker that returns, calls `process.exit()` or is
 * terminated in the middle of a loop), with no JavaScript involved.
 */
export const syncError: NativeError = realmSyncError();

/**
 * The {@link FfiError} for a failed call: `status` with the reason Rust
 * recorded in `error`, if it recorded this status there.
 */
export function failure(status: number, operation: string, error: NativeError = syncError): FfiError {
  let reason: string | undefined;
  // A NULL `error` needs no test of its own: ffi_error_status() answers
  // NULL_ARGUMENT for it and ffi_error_message() NULL, so no reason is read.
  if (ffi_error_status(error) === status) {
    reason = ffi_error_message(error) ?? undefined;
  }
  return new FfiError(status, operation, reason);
}

/** Throws {@link FfiError} unless `status` is `OK`, with the reason recorded in `error`. */
export function check(status: number, operation: string, error: NativeError = syncError): void {
  if (status !== FfiStatus.OK) {
    throw failure(status, operation, error);
  }
}

// ---- Typed codes on every error the public API throws ----

/**
 * Every code an error thrown by the public API carries: an {@link FfiError}'s `'ERR_FFI_<status>'`, the codes
 * of the errors the package raises before or after the native call (see {@link CodedError}), and
 * `'ERR_MEMORY_ALLOCATION_FAILED'` (an async call whose batch could not be allocated).
 */
export type FfiDeepDiveErrorCode =
  | FfiError['code']
  | 'ERR_INVALID_ARG_TYPE'
  | 'ERR_INVALID_ARG_VALUE'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_INVALID_RETURN_VALUE'
  | 'ERR_INVALID_THIS'
  | 'ERR_FFI_FREED'
  | 'ERR_FFI_NESTING_DEPTH'
  | 'ERR_MEMORY_ALLOCATION_FAILED';

/** `true` when A and B are the same union, else `never` (a compile error where `true` is assigned). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/**
 * An error thrown by a public function, with its code typed: a `TypeError` (`ERR_INVALID_ARG_TYPE`,
 * `ERR_INVALID_ARG_VALUE`, `ERR_INVALID_RETURN_VALUE`, `ERR_INVALID_THIS`), a `RangeError`
 * (`ERR_OUT_OF_RANGE`, `ERR_FFI_NESTING_DEPTH`), an `Error` (`ERR_FFI_FREED`, a method called after
 * `free()`; `ERR_MEMORY_ALLOCATION_FAILED`), or an {@link FfiError} (`ERR_FFI_<status>`).
 * Narrow a caught `unknown` to it with {@link isCodedError}.
 */
export type CodedError = Error & { readonly code: FfiDeepDiveErrorCode };

/** Every {@link FfiDeepDiveErrorCode}, as keys of a null-prototype record (a compile error if one is missing). */
const CODES: Readonly<Record<string, true>> = (() => {
  // ts/validate.ts's codes and this list: a compile error here when they differ.
  const own: Record<
    Exclude<FfiDeepDiveErrorCode, FfiError['code']>,
    Same<ArgumentErrorCode | 'ERR_MEMORY_ALLOCATION_FAILED', Exclude<FfiDeepDiveErrorCode, FfiError['code']>>
  > = {
    ERR_INVALID_ARG_TYPE: true,
    ERR_INVALID_ARG_VALUE: true,
    ERR_OUT_OF_RANGE: true,
    ERR_INVALID_RETURN_VALUE: true,
    ERR_INVALID_THIS: true,
    ERR_FFI_FREED: true,
    ERR_FFI_NESTING_DEPTH: true,
    ERR_MEMORY_ALLOCATION_FAILED: true,
  };
  const codes = ObjectAssign(ObjectCreate(null) as Record<string, true>, own);
  for (let status = 0; NAMES[status] !== undefined; status++) codes[`ERR_FFI_${NAMES[status]}`] = true;
  codes.ERR_FFI_UNKNOWN = true;
  return codes;
})();

/**
 * Whether `err` is an `Error` carrying one of the codes of {@link FfiDeepDiveErrorCode}: after it,
 * `err.code` is typed (TypeScript does not know the `code` of a `TypeError` or `RangeError` otherwise).
 * Node's own errors with the same codes pass too; they mean the same.
 *
 * @example
 * ```ts
 * try {
 *   addInRust(1.5, 2);
 * } catch (err) {
 *   if (isCodedError(err) && err.code === 'ERR_OUT_OF_RANGE') console.log(err.message);
 * }
 * ```
 */
export function isCodedError(err: unknown): err is CodedError {
  if (!FunctionPrototypeSymbolHasInstance(ErrorCtor, err)) return false;
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' && CODES[code] === true;
}
