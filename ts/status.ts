/**
 * Errors: the numbers of `FfiStatus`, the error class the public API throws
 * when Rust reports a failure, and the native error objects that carry Rust's
 * reason to it.
 *
 * Every status-returning native call gets an error object (`FfiError *`) as
 * its last argument; on failure Rust writes the status and a specific reason
 * into it, which {@link check} turns into an {@link FfiError}.
 *
 * Synchronous calls share one error object per module instance
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
import { ffi_status_message } from './raw/status';
import type { ArgumentErrorCode } from './validate';

const ErrorCtor = Error;

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

const NAMES: readonly FfiStatusName[] = (() => {
  const names: FfiStatusName[] = [];
  for (const [name, code] of Object.entries(FfiStatus) as [FfiStatusName, number][]) {
    names[code] = name;
  }
  return names;
})();

/** The name of a status code, or `'UNKNOWN'` for a number that is not one. */
export function statusName(code: number): FfiStatusName | 'UNKNOWN' {
  return (Number.isInteger(code) ? NAMES[code] : undefined) ?? 'UNKNOWN';
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
export class FfiError extends Error {
  /** The status name, e.g. `'INVALID_UTF8'`. */
  readonly status: FfiStatusName | 'UNKNOWN';
  /** The status number, as in the C header (`FFI_STATUS_INVALID_UTF8` is 2). */
  readonly statusCode: number;
  /** A Node-style error code: `'ERR_FFI_' + status`, e.g. `'ERR_FFI_INVALID_UTF8'`. */
  readonly code: `ERR_FFI_${FfiStatusName | 'UNKNOWN'}`;

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
    super(`${String(operation)}: ${text}`);
    this.name = 'FfiError';
    this.status = status;
    this.statusCode = statusCode;
    this.code = `ERR_FFI_${status}`;
  }
}

/** A native error object: the BigInt address of an `FfiError`, or `null` for "no detail wanted". */
export type NativeError = bigint | null;

/**
 * The error object every synchronous call of this module instance passes
 * (see the module comment for why sharing it is safe). It lives as long as
 * the module's thread: owned by that thread (`ffi_error_new_thread_owned`),
 * it is freed by Rust when the thread exits, however it ends (a worker that
 * returns, calls `process.exit()` or is terminated in the middle of a loop),
 * with no JavaScript involved.
 */
export const syncError: NativeError = ffi_error_new_thread_owned();

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
 * Every code an error thrown by the public API carries: an {@link FfiError}'s `'ERR_FFI_<status>'`, and
 * for errors the package raises before or after the native call (see {@link CodedError}):
 * `'ERR_INVALID_ARG_TYPE'`, `'ERR_INVALID_ARG_VALUE'`, `'ERR_OUT_OF_RANGE'`, `'ERR_INVALID_RETURN_VALUE'`,
 * `'ERR_FFI_FREED'`.
 */
export type FfiDeepDiveErrorCode =
  | FfiError['code']
  | 'ERR_INVALID_ARG_TYPE'
  | 'ERR_INVALID_ARG_VALUE'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_INVALID_RETURN_VALUE'
  | 'ERR_FFI_FREED';

/** `true` when A and B are the same union, else `never` (a compile error where `true` is assigned). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/**
 * An error thrown by a public function, with its code typed: a `TypeError` (`ERR_INVALID_ARG_TYPE`,
 * `ERR_INVALID_ARG_VALUE`, `ERR_INVALID_RETURN_VALUE`), a `RangeError` (`ERR_OUT_OF_RANGE`), an `Error`
 * (`ERR_FFI_FREED`, a method called after `free()`), or an {@link FfiError} (`ERR_FFI_<status>`).
 * Narrow a caught `unknown` to it with {@link isCodedError}.
 */
export type CodedError = Error & { readonly code: FfiDeepDiveErrorCode };

const CODES: Readonly<Record<string, true>> = (() => {
  const codes: Record<string, true> = Object.create(null) as Record<string, true>;
  for (const name of [...NAMES, 'UNKNOWN']) codes[`ERR_FFI_${name}`] = true;
  // ts/validate.ts's codes: a compile error here when the two lists differ.
  const own: Record<ArgumentErrorCode, Same<ArgumentErrorCode, Exclude<FfiDeepDiveErrorCode, FfiError['code']>>> = {
    ERR_INVALID_ARG_TYPE: true,
    ERR_INVALID_ARG_VALUE: true,
    ERR_OUT_OF_RANGE: true,
    ERR_INVALID_RETURN_VALUE: true,
    ERR_FFI_FREED: true,
  };
  for (const code of Object.keys(own)) codes[code] = true;
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
  if (!(err instanceof ErrorCtor)) return false;
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' && CODES[code] === true;
}
