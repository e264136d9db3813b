/**
 * Errors: the numbers of `FfiStatus` and the one error class the public API
 * throws when Rust reports a failure.
 */
import { ffi_status_message } from './raw/status';

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
 * `status` is the status name (`'OVERFLOW'`), `code` its number in the C enum,
 * and `message` the library's static description, prefixed by the function
 * that failed.
 */
export class FfiError extends Error {
  /** The status name, e.g. `'INVALID_UTF8'`. */
  readonly status: FfiStatusName | 'UNKNOWN';
  /** The status number, as in the C header. */
  readonly code: number;

  /**
   * @param code - the status number returned by the native call
   * @param operation - the public function that failed, for the message
   */
  constructor(code: number, operation: string) {
    // A code that is not an int32 would be truncated or rejected by koffi:
    // ask for a number that is no status, so the message says "unknown status".
    super(`${operation}: ${ffi_status_message(statusName(code) === 'UNKNOWN' ? -1 : code)}`);
    this.name = 'FfiError';
    this.code = code;
    this.status = statusName(code);
  }
}

/** Throws {@link FfiError} unless `code` is `OK`. */
export function check(code: number, operation: string): void {
  if (code !== FfiStatus.OK) {
    throw new FfiError(code, operation);
  }
}
