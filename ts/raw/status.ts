/** Raw declarations for the status module (`rust/src/status.rs`). */
import type { KoffiFunc } from 'koffi';
import { lib } from './library';

/** `const char *ffi_status_message(int status)`: a static string, never NULL, never freed. */
export const ffi_status_message = lib.func('const char *ffi_status_message(int status)') as KoffiFunc<
  (status: number) => string
>;
