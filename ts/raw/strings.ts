/**
 * Raw declarations for the strings module (`rust/src/strings.rs`).
 *
 * Returned `char *` are declared as `void *` (a BigInt address) so that the
 * caller sees the pointer it must give back to `free_rust_string`; koffi's
 * `char *` return would decode the text and lose the pointer, leaking it.
 */
import { lib } from './library';
import { FfiErrorPtr } from './error';
import type { Native } from './types';

/** A pointer as koffi 3 returns it: an address, or `null` for NULL. */
export type RawPointer = bigint | null;

/** `char *concat_strings(const char *first, const char *second)`: owned result, free with `free_rust_string`. */
export const concat_strings = lib.func('void *concat_strings(const char *first, const char *second)') as Native<
  (first: string | Uint8Array | null, second: string | Uint8Array | null) => RawPointer
>;

/** `void free_rust_string(char *s)`: NULL is a no-op; any other foreign pointer crashes. */
export const free_rust_string = lib.func('void free_rust_string(void *s)') as Native<(s: RawPointer) => void>;

/** `size_t rust_string_live_count(void)` */
export const rust_string_live_count = lib.func('size_t rust_string_live_count(void)') as Native<() => number>;

/**
 * `FfiStatus concat_strings_into(const char *first, const char *second, char *buf, size_t buf_len, size_t *needed,
 * FfiError *error)`. `buf` is a `Uint8Array`/`Buffer` (zero-copy) or an address; `needed` a `BigUint64Array(1)`,
 * an address or `null`; `error` an address from `ffi_error_new` or `null`. (An address, e.g.
 * `koffi.address(buffer)`, skips koffi's TypedArray lookup on every call.)
 */
export const concat_strings_into = lib.func('concat_strings_into', 'int', [
  'const char *',
  'const char *',
  'uint8_t *',
  'size_t',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (
    first: string | Uint8Array | null,
    second: string | Uint8Array | null,
    buf: Uint8Array | RawPointer,
    bufLen: number,
    needed: BigUint64Array | RawPointer,
    error: RawPointer,
  ) => number
>;

/**
 * `FfiStatus count_characters(const char *s, size_t *out, FfiError *error)`: `out` is a `BigUint64Array(1)` or
 * `null`; `error` an address from `ffi_error_new` or `null`.
 */
export const count_characters = lib.func('count_characters', 'int', [
  'const char *',
  'size_t *',
  FfiErrorPtr,
]) as Native<(s: string | Uint8Array | null, out: BigUint64Array | null, error: RawPointer) => number>;

/**
 * `FfiStatus count_characters_utf16(const uint16_t *s, size_t len, size_t *out, FfiError *error)`: `len` in UTF-16
 * code units. `s` is a JS string (koffi copies its code units, as they are, into its call memory: no UTF-8
 * conversion), a `Uint16Array` (zero-copy) or an address; `out` a `BigUint64Array(1)`, an address or `null`;
 * `error` an address from `ffi_error_new` or `null`. Declared as `char16_t *` so that koffi accepts a string;
 * the C type is `const uint16_t *`.
 */
export const count_characters_utf16 = lib.func('count_characters_utf16', 'int', [
  'const char16_t *',
  'size_t',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (s: string | Uint16Array | RawPointer, len: number, out: BigUint64Array | RawPointer, error: RawPointer) => number
>;

/**
 * `FfiStatus count_characters_utf8(const char *s, size_t len, size_t *out, FfiError *error)`: `len` in bytes, no
 * terminator read. `s` is a `Uint8Array`/`Buffer` (zero-copy), an address, or a JS string (koffi converts it to
 * UTF-8: pass `Buffer.byteLength(s)` as `len`); `out` a `BigUint64Array(1)`, an address or `null`; `error` an
 * address from `ffi_error_new` or `null`.
 */
export const count_characters_utf8 = lib.func('count_characters_utf8', 'int', [
  'const char *',
  'size_t',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (s: string | Uint8Array | RawPointer, len: number, out: BigUint64Array | RawPointer, error: RawPointer) => number
>;

/**
 * `FfiStatus concat_strings_utf16_into(const uint16_t *first, size_t first_len, const uint16_t *second,
 * size_t second_len, uint16_t *buf, size_t buf_len, size_t *needed, FfiError *error)`: lengths in UTF-16 code
 * units, the result is not terminated. `first`/`second` are JS strings (copied by koffi as UTF-16), `Uint16Array`s
 * or addresses; `buf` a `Uint16Array` (zero-copy) or an address (2-byte aligned); `needed` a `BigUint64Array(1)`,
 * an address or `null`; `error` an address from `ffi_error_new` or `null`.
 */
export const concat_strings_utf16_into = lib.func('concat_strings_utf16_into', 'int', [
  'const char16_t *',
  'size_t',
  'const char16_t *',
  'size_t',
  'uint16_t *',
  'size_t',
  'size_t *',
  FfiErrorPtr,
]) as Native<
  (
    first: string | Uint16Array | RawPointer,
    firstLen: number,
    second: string | Uint16Array | RawPointer,
    secondLen: number,
    buf: Uint16Array | RawPointer,
    bufLen: number,
    needed: BigUint64Array | RawPointer,
    error: RawPointer,
  ) => number
>;
