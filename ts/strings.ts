/**
 * Strings: Rust allocates, Rust frees. The JS API returns plain JS strings;
 * the Rust memory behind them is freed before the function returns, so there
 * is nothing to leak and nothing to free twice.
 *
 * Text arguments must be representable in C: a `\0` (C would cut the string
 * there) or a lone surrogate (no UTF-8 encoding) is a `TypeError`.
 */
import koffi from 'koffi';
import { endianness } from 'node:os';
import { concat_strings, concat_strings_into, count_characters, free_rust_string } from './raw/strings';
import { check, FfiStatus } from './status';
import { cBytes, cString, isWellFormed, MAX_STRING_LENGTH, stringTooLong } from './validate';

/**
 * Scratch space for concat_strings_into: most results fit, so the common case
 * allocates nothing in Rust and decodes straight from this buffer. Sync calls
 * only, so one per module instance is safe (each worker thread has its own).
 *
 * The buffer and the `size_t` out-parameter are passed by address: koffi
 * takes a BigInt pointer as is, while a TypedArray argument costs a lookup of
 * its backing store on every call (measured in `make bench`: docs/bench.md,
 * the concatStrings variants). The addresses stay valid because V8 never
 * moves an ArrayBuffer's backing store and these arrays live as long as this
 * module.
 */
const SCRATCH_BYTES = 4096;
const scratch = Buffer.alloc(SCRATCH_BYTES);
const scratchAddress = koffi.address(scratch);
/** A `size_t` seen as two 32-bit words (reading a word is cheaper than a BigInt). */
const neededWords = new Uint32Array(2);
const neededAddress = koffi.address(neededWords);
const LOW = endianness() === 'LE' ? 0 : 1;

/**
 * Buffer's own UTF-8 decoder, which `toString('utf8', start, end)` calls after
 * normalising its arguments; used directly where Node has it (every current
 * version), else `toString`.
 */
const fastScratch = scratch as Buffer & { utf8Slice?: (start: number, end: number) => string };
const HAS_UTF8_SLICE = typeof fastScratch.utf8Slice === 'function';

function neededBytes(): number {
  return neededWords[1 - LOW] * 2 ** 32 + neededWords[LOW];
}

/**
 * `first + second`, joined by Rust.
 *
 * Short results are written into a reused buffer (`concat_strings_into`);
 * longer ones come back as a Rust-owned string (`concat_strings`), decoded and
 * freed with `free_rust_string` at once.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if an argument is not a string;
 *   `ERR_INVALID_ARG_VALUE` if it contains `\0` or a lone surrogate
 * @throws RangeError `ERR_STRING_TOO_LONG` if the result would be longer than
 *   V8's longest string (`buffer.constants.MAX_STRING_LENGTH` UTF-16 code units)
 * @example concatStrings('Hello, ', 'Rustacean!') // 'Hello, Rustacean!'
 */
export function concatStrings(first: string, second: string): string {
  // The checks of cString(), arranged so that the common case pays for the
  // cheap ones only. Types and lone surrogates are checked before the call
  // (koffi would turn a lone surrogate into U+FFFD, which cannot be seen
  // afterwards). A NUL is caught after the call, at no cost: C stops at it,
  // so the result comes back shorter than `first.length + second.length` (a
  // well-formed string keeps its UTF-16 length through UTF-8 and back). The
  // call with a cut string only wrote into the scratch buffer. Either way
  // cString() then throws the same error, in the same order, as it would
  // before any call.
  if (
    typeof first !== 'string' ||
    typeof second !== 'string' ||
    first.length + second.length > MAX_STRING_LENGTH ||
    !isWellFormed(first) ||
    !isWellFormed(second)
  ) {
    rejectArguments(first, second);
  }
  const status = concat_strings_into(first, second, scratchAddress, SCRATCH_BYTES, neededAddress);
  if (status === FfiStatus.OK) {
    const length = neededWords[LOW] - 1; // < SCRATCH_BYTES: the high word is 0
    const joined = HAS_UTF8_SLICE ? fastScratch.utf8Slice!(0, length) : scratch.toString('utf8', 0, length);
    if (joined.length !== first.length + second.length) rejectArguments(first, second);
    return joined;
  }
  if (status !== FfiStatus.BUFFER_TOO_SMALL) {
    check(status, 'concatStrings');
  }
  // The allocating path: every check before the call.
  cString(first, 'concatStrings', 'first');
  cString(second, 'concatStrings', 'second');
  const length = neededBytes() - 1;
  const owned = concat_strings(first, second);
  if (owned === null) {
    throw new Error('concatStrings: Rust returned NULL for valid arguments');
  }
  try {
    return koffi.decode(owned, 'char', length) as string;
  } finally {
    free_rust_string(owned);
  }
}

/** Throws the error for the first bad argument: cString()'s, or a result too long for V8. */
function rejectArguments(first: unknown, second: unknown): never {
  const a = cString(first, 'concatStrings', 'first');
  const b = cString(second, 'concatStrings', 'second');
  // The result's exact UTF-16 length: well-formed text without NUL keeps its
  // UTF-16 length through UTF-8 and back (its UTF-8 byte count is no bound:
  // 1 to 3 bytes per code unit). Past V8's limit koffi.decode would return
  // garbage, so this is refused before any native call.
  if (a.length + b.length > MAX_STRING_LENGTH) throw stringTooLong('concatStrings', a.length + b.length);
  throw new Error('concatStrings: the result has an unexpected length for valid arguments');
}

const countOut = new BigUint64Array(1);

/**
 * The number of Unicode code points in `s`, counted by Rust: `'🦀'` is 1,
 * `'héllo'` is 5 (what `[...s].length` gives for a string).
 *
 * A `Uint8Array` is passed to Rust as raw bytes, so invalid UTF-8 can be
 * checked: it throws {@link FfiError} with status `'INVALID_UTF8'`.
 *
 * A `Uint8Array` is copied (with a terminating 0) before anything is
 * checked, so the bytes checked are the bytes Rust reads.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for another type;
 *   `ERR_INVALID_ARG_VALUE` for a `\0` / 0 byte or a lone surrogate
 * @throws FfiError `'INVALID_UTF8'` for bytes that are not UTF-8
 */
export function countCharacters(s: string | Uint8Array): number {
  const arg =
    typeof s === 'string'
      ? cString(s, 'countCharacters', 's')
      : cBytes(s, 'countCharacters', 's', 'a string or a Uint8Array');
  check(count_characters(arg, countOut), 'countCharacters');
  return Number(countOut[0]);
}
