/** Raw declarations for the status module (`rust/src/status.rs`). */
import { lib } from './library';
import type { Native } from './types';

/** `const char *ffi_status_message(int status)`: a static string, never NULL, never freed. */
export const ffi_status_message = lib.func('const char *ffi_status_message(int status)') as Native<
  (status: number) => string
>;
