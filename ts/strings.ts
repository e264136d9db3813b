/**
 * Strings: JS strings go to Rust as UTF-16, the way V8 already holds them.
 *
 * A JS string is a sequence of UTF-16 code units. Both functions hand Rust
 * those units with their length (`count_characters_utf16`,
 * `concat_strings_utf16_into`): there is no UTF-16 → UTF-8 conversion on the
 * way in or out, which is what made text with non-Latin-1 characters slow,
 * and Rust checks the text in the same pass that reads it. Results are
 * written into JS-owned memory, so there is nothing to free and nothing to
 * leak.
 *
 * Text arguments may be any string without lone surrogates: a lone surrogate
 * (`'\uD83D'` alone) has no Unicode scalar value, so it is a `TypeError`
 * (`ERR_INVALID_ARG_VALUE`). `\0` is an ordinary character: the text is
 * passed with its length, never cut at a terminator.
 */
import koffi from 'koffi';
import { endianness } from 'node:os';
import {
  concat_strings_into,
  concat_strings_utf16_into,
  count_characters_utf16,
  count_characters_utf8,
} from './raw/strings';
import {
  BufferAllocUnsafeSlow,
  BufferFrom,
  BufferPrototypeLatin1Slice,
  BufferPrototypeLatin1Write,
  BufferPrototypeToString,
  BufferPrototypeUcs2Slice,
  MathMax,
  MathMin,
  NumberPrototypeToString,
  RegExpPrototypeExec,
  StringPrototypeCharCodeAt,
  StringPrototypeToUpperCase,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  Uint16ArrayCtor,
  Uint32ArrayCtor,
} from './primordials';
import { check, failure, FfiStatus, syncError } from './status';
import { invalidArgType, invalidArgValue, MAX_STRING_LENGTH, stringTooLong, uint8Array } from './validate';

// The buffers Rust writes into are made with the captured constructors, and their
// capacity is read with the captured length getter: a replaced global or a patched
// getter cannot make Rust write past the end of one.
const U16 = Uint16ArrayCtor;
/** `koffi.address`, captured: the module's exports object is user-writable. */
const koffiAddress = koffi.address;

/** The first `length` code units of `units` as a string. */
function decodeUtf16(units: Uint16Array, length: number): string {
  if (BufferPrototypeUcs2Slice !== undefined)
    return BufferPrototypeUcs2Slice(units as unknown as Buffer, 0, length * 2);
  return BufferPrototypeToString(
    BufferFrom(TypedArrayPrototypeGetBuffer(units), 0, length * 2),
    'utf16le',
    0,
    length * 2,
  );
}

// ---- Argument errors (`'<function>: <argument> must ...'`, Node-style codes) ----

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * After a failed native call on `text` (and `text2`): the TypeError naming the
 * first argument with a lone surrogate (which has no UTF-8 or scalar-value
 * form) and where it is, if that was the reason, else the FfiError for `status`.
 */
function rejectText(fn: string, status: number, name: string, text: string, name2?: string, text2?: string): never {
  rejectLoneSurrogate(fn, name, text);
  if (name2 !== undefined && text2 !== undefined) rejectLoneSurrogate(fn, name2, text2);
  throw failure(status, fn);
}

/** Throws the TypeError naming `name` and where its first lone surrogate is, if it has one. */
function rejectLoneSurrogate(fn: string, name: string, text: string): void {
  const lone = RegExpPrototypeExec(LONE_SURROGATE, text);
  if (lone === null) return;
  const index = lone.index;
  const unit = StringPrototypeToUpperCase(NumberPrototypeToString(StringPrototypeCharCodeAt(text, index), 16));
  throw invalidArgValue(
    fn,
    name,
    `be well-formed text, but contains a lone UTF-16 surrogate (0x${unit} at index ${index})`,
  );
}

// ---- Scratch memory (sync calls only: one set per module instance, i.e. per thread) ----

/**
 * `size_t` out-parameters, seen as two 32-bit words (reading a word is
 * cheaper than a BigInt) and passed by address: koffi takes a BigInt pointer
 * as is, while a TypedArray argument costs a lookup of its backing store on
 * every call. The address stays valid because V8 never moves an ArrayBuffer's
 * backing store and this array lives as long as the module.
 */
const outWords = new Uint32ArrayCtor(2);
const outAddress = koffiAddress(outWords);
const LOW = endianness() === 'LE' ? 0 : 1;

function outValue(): number {
  return outWords[1 - LOW] * 2 ** 32 + outWords[LOW];
}

/**
 * concatStrings writes results into a reused buffer that grows with them up
 * to {@link SCRATCH_MAX_UNITS} code units (128 KiB); a longer result gets a
 * buffer of its own (JS-owned, freed by the GC like any ArrayBuffer).
 * Reusing it saves an allocation and the zeroing of a fresh buffer (about
 * 0.8 µs at 10,000 units, measured).
 */
const SCRATCH_MAX_UNITS = 1 << 16;
let scratch = new U16(4096);
let scratchAddress = koffiAddress(scratch);

function scratchFor(units: number): boolean {
  const length = TypedArrayPrototypeGetLength(scratch);
  if (units <= length) return true;
  if (units > SCRATCH_MAX_UNITS) return false;
  scratch = new U16(MathMin(SCRATCH_MAX_UNITS, MathMax(units, length * 2)));
  scratchAddress = koffiAddress(scratch);
  return true;
}

/** A character above U+00FF: a string without one is Latin-1 text, one byte per character. */
const NON_LATIN1 = /[^\0-\xff]/;
/**
 * From this many code units on, concatStrings checks whether both strings
 * are Latin-1 text and then joins them as bytes. Measured on ASCII (fastest of
 * 40 rounds, ns per call, Latin-1 vs UTF-16 path): 128 units 217 vs 143, 512
 * units 254 vs 224, 1,000 units 276 vs 333; from 10,000 units on 2.5–9× faster.
 */
const LATIN1_MIN_UNITS = 768;

/**
 * `first + second` for long Latin-1 text, one byte per character: V8 keeps
 * such strings with one byte per character, so writing them as Latin-1 is a
 * copy, and the check (a regular expression V8 answers without reading a
 * one-byte string) costs about 50 ns. The bytes go to `concat_strings_into`
 * (which works on bytes, whatever their encoding) NUL-terminated, in
 * JS-owned buffers. Returns `undefined` if the result came back shorter: a
 * `\0` inside ended an input early, and the UTF-16 path, which carries the
 * length, must join them.
 */
function concatLatin1(first: string, second: string, total: number): string | undefined {
  const a = latin1First.take(first.length + 1);
  a[BufferPrototypeLatin1Write(a, first, 0, first.length)] = 0;
  const b = latin1Second.take(second.length + 1);
  b[BufferPrototypeLatin1Write(b, second, 0, second.length)] = 0;
  const joined = latin1Joined.take(total + 1);
  const status = concat_strings_into(a, b, joined, TypedArrayPrototypeGetLength(joined), outAddress, syncError);
  if (status !== FfiStatus.OK || outValue() !== total + 1) return undefined;
  return BufferPrototypeLatin1Slice(joined, 0, total);
}

/**
 * The Latin-1 path's three buffers (first, second, result), reused up to
 * 128 KiB each like the UTF-16 scratch (a fresh buffer per call measured
 * 1.8 µs instead of 0.6 µs at 10,000 units); larger ones are allocated per
 * call.
 */
const LATIN1_SCRATCH_MAX_BYTES = 1 << 17;
/**
 * One reused Latin-1 buffer. Module-private (no instance or prototype of it
 * ever reaches user code), so its method lookups cannot be patched.
 */
class Latin1Scratch {
  #buffer = BufferAllocUnsafeSlow(0);

  /** A buffer of at least `bytes` bytes: this one, grown, or (above the limit) a new one of its own. */
  take(bytes: number): Buffer {
    const length = TypedArrayPrototypeGetLength(this.#buffer);
    if (bytes <= length) return this.#buffer;
    if (bytes > LATIN1_SCRATCH_MAX_BYTES) return BufferAllocUnsafeSlow(bytes);
    return (this.#buffer = BufferAllocUnsafeSlow(MathMin(LATIN1_SCRATCH_MAX_BYTES, MathMax(bytes, 2 * length))));
  }
}

const latin1First = new Latin1Scratch();
const latin1Second = new Latin1Scratch();
const latin1Joined = new Latin1Scratch();

/**
 * `first + second`, joined by Rust.
 *
 * Both strings go to Rust as UTF-16 with their lengths; Rust checks them and
 * writes the result into JS-owned memory (`concat_strings_utf16_into`), which
 * is decoded at once. Long Latin-1 text (no character above U+00FF, from
 * 768 code units on) goes as bytes instead, which is a copy for V8's
 * one-byte strings. `\0` is joined like any other character. Nothing is
 * allocated in Rust.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if an argument is not a string
 * @throws TypeError `ERR_INVALID_ARG_VALUE` if an argument contains a lone surrogate
 * @throws RangeError `ERR_OUT_OF_RANGE` if the result would be longer than the longest string V8 can create
 * @example concatStrings('Hello, ', 'Rustacean!') // 'Hello, Rustacean!'
 */
export function concatStrings(first: string, second: string): string {
  if (typeof first !== 'string') throw invalidArgType('concatStrings', 'first', 'a string', first);
  if (typeof second !== 'string') throw invalidArgType('concatStrings', 'second', 'a string', second);
  const total = first.length + second.length;
  if (total > MAX_STRING_LENGTH) throw stringTooLong('concatStrings', total);
  if (
    total >= LATIN1_MIN_UNITS &&
    RegExpPrototypeExec(NON_LATIN1, first) === null &&
    RegExpPrototypeExec(NON_LATIN1, second) === null
  ) {
    const joined = concatLatin1(first, second, total);
    if (joined !== undefined) return joined;
  }
  if (scratchFor(total)) {
    const status = concat_strings_utf16_into(
      first,
      first.length,
      second,
      second.length,
      scratchAddress,
      TypedArrayPrototypeGetLength(scratch),
      outAddress, // `needed`: an address costs about 10 ns less than NULL through koffi (measured)
      syncError,
    );
    if (status !== FfiStatus.OK) rejectText('concatStrings', status, 'first', first, 'second', second);
    return decodeUtf16(scratch, total);
  }
  const joined = new U16(total);
  const status = concat_strings_utf16_into(
    first,
    first.length,
    second,
    second.length,
    joined,
    TypedArrayPrototypeGetLength(joined),
    outAddress,
    syncError,
  );
  if (status !== FfiStatus.OK) rejectText('concatStrings', status, 'first', first, 'second', second);
  return decodeUtf16(joined, total);
}

/**
 * The number of Unicode code points in `s`, counted by Rust: `'🦀'` is 1,
 * `'héllo'` is 5, `'a\0b'` is 3 (what `[...s].length` gives for a string).
 *
 * A string goes to Rust as UTF-16 with its length (`count_characters_utf16`).
 * A `Uint8Array` is passed as raw UTF-8 bytes with its length
 * (`count_characters_utf8`; a 0 byte is U+0000, like `\0` in a string), so
 * invalid UTF-8 can be checked: it throws {@link FfiError} with status
 * `'INVALID_UTF8'`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for another type (another typed array included)
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for a string with a lone surrogate
 * @throws FfiError `'INVALID_UTF8'` for bytes that are not UTF-8
 */
export function countCharacters(s: string | Uint8Array): number {
  if (typeof s === 'string') {
    const status = count_characters_utf16(s, s.length, outAddress, syncError);
    if (status !== FfiStatus.OK) rejectText('countCharacters', status, 's', s);
    return outValue();
  }
  const bytes = uint8Array(s, 'countCharacters', 's', 'a string or a Uint8Array');
  check(count_characters_utf8(bytes, TypedArrayPrototypeGetLength(bytes), outAddress, syncError), 'countCharacters');
  return outValue();
}
