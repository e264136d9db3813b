/**
 * Raw declarations for the error module (`rust/src/error.rs`): the caller-owned
 * error object that receives the status and reason of a failed call.
 *
 * An `FfiError *` is a BigInt address in koffi 3, with no type attached: a
 * wrong or already freed one crashes the process. Pass it (or `null`) as the
 * last argument of every status-returning function.
 */
import koffi from 'koffi';
import { lib } from './library';
import type { Native, NativeType } from './types';
import type { RawPointer } from './strings';

/** `typedef struct FfiError FfiError;`: incomplete, pointers only. Anonymous: koffi type names are process-global. */
export const FfiError: NativeType = koffi.opaque();

/** `FfiError *` */
export const FfiErrorPtr: NativeType = koffi.pointer(FfiError);

/** `FfiError *ffi_error_new(void)`: owned, free with `ffi_error_free` exactly once. Status OK, message `''`. */
export const ffi_error_new = lib.func('ffi_error_new', FfiErrorPtr, []) as Native<() => RawPointer>;

/**
 * `FfiError *ffi_error_new_thread_owned(void)`: as `ffi_error_new`, but owned by the calling thread, which frees
 * it when it exits if nobody did before (a worker thread ended by `terminate()` leaks nothing). `ffi_error_free`
 * frees it on the creating thread only.
 */
export const ffi_error_new_thread_owned = lib.func('ffi_error_new_thread_owned', FfiErrorPtr, []) as Native<
  () => RawPointer
>;

/** `void ffi_error_free(FfiError *error)`: NULL is a no-op; another thread's thread-owned object is left alone. */
export const ffi_error_free = lib.func('ffi_error_free', 'void', [FfiErrorPtr]) as Native<(error: RawPointer) => void>;

/** `size_t ffi_error_live_count(void)`: error objects created and not yet freed, across all threads. */
export const ffi_error_live_count = lib.func('ffi_error_live_count', 'size_t', []) as Native<() => number>;

/** `FfiStatus ffi_error_status(const FfiError *error)`: the last failure recorded; NULL_ARGUMENT for NULL. */
export const ffi_error_status = lib.func('ffi_error_status', 'int', [FfiErrorPtr]) as Native<
  (error: RawPointer) => number
>;

/**
 * `const char *ffi_error_message(const FfiError *error)`: the reason of the last failure recorded, decoded
 * (copied) by koffi; `null` for NULL. The C string belongs to the error object.
 */
export const ffi_error_message = lib.func('ffi_error_message', 'const char *', [FfiErrorPtr]) as Native<
  (error: RawPointer) => string | null
>;
