/**
 * Strings: Rust allocates, Rust frees. The JS API returns plain JS strings;
 * the Rust memory behind them is freed before the function returns, so there
 * is nothing to leak and nothing to free twice.
 *
 * Text arguments must be representable in C: a `\0` (C would cut the string
 * there) or a lone surrogate (no UTF-8 encoding) is a `TypeError`.
 */
import { decode } from 'koffi';
import { concat_strings, concat_strings_into, count_characters, free_rust_string } from './raw/strings';
import { check, FfiStatus } from './status';
import { cBytes, cString } from './validate';

/**
 * Scratch space for concat_strings_into: most results fit, so the common case
 * allocates nothing in Rust and decodes straight from this buffer. Sync calls
 * only, so one per module instance is safe (each worker thread has its own).
 */
const SCRATCH_BYTES = 4096;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
const neededOut = new BigUint64Array(1);

/**
 * `first + second`, joined by Rust.
 *
 * Short results are written into a reused buffer (`concat_strings_into`);
 * longer ones come back as a Rust-owned string (`concat_strings`), decoded and
 * freed with `free_rust_string` at once.
 *
 * @throws TypeError if an argument is not a string, contains `\0` or a lone surrogate
 * @example concatStrings('Hello, ', 'Rustacean!') // 'Hello, Rustacean!'
 */
export function concatStrings(first: string, second: string): string {
  cString(first, 'first');
  cString(second, 'second');
  const status = concat_strings_into(first, second, scratch, SCRATCH_BYTES, neededOut);
  if (status === FfiStatus.OK) {
    return scratch.toString('utf8', 0, Number(neededOut[0]) - 1);
  }
  if (status !== FfiStatus.BUFFER_TOO_SMALL) {
    check(status, 'concatStrings');
  }
  const owned = concat_strings(first, second);
  if (owned === null) {
    throw new Error('concatStrings: Rust returned NULL for valid arguments');
  }
  try {
    return decode(owned, 'char', Number(neededOut[0]) - 1) as string;
  } finally {
    free_rust_string(owned);
  }
}

const countOut = new BigUint64Array(1);

/**
 * The number of Unicode code points in `s`, counted by Rust: `'🦀'` is 1,
 * `'héllo'` is 5 (what `[...s].length` gives for a string).
 *
 * A `Uint8Array` is passed to Rust as raw bytes, so invalid UTF-8 can be
 * checked: it throws {@link FfiError} with status `'INVALID_UTF8'`.
 *
 * @throws TypeError for another type, a `\0` / 0 byte, or a lone surrogate
 * @throws FfiError `'INVALID_UTF8'` for bytes that are not UTF-8
 */
export function countCharacters(s: string | Uint8Array): number {
  const arg = typeof s === 'string' ? cString(s, 's') : cBytes(s, 's');
  check(count_characters(arg, countOut), 'countCharacters');
  return Number(countOut[0]);
}
