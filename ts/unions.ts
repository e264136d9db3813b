/**
 * Unions: `floatToBits`/`bitsToFloat` through the C union `IntOrFloat`
 * (write one member, read the other), and `parseNumber`, which returns the
 * tagged union `Either` as a TypeScript discriminated union.
 *
 * How the tagged union is read: koffi has no tagged-union type, and letting
 * it marshal `Either *` as an object would allocate and give back an
 * undecoded `koffi.Union`. Instead `parse_number` writes into a reused buffer
 * of `koffi.sizeof(Either)` bytes; the tag and the two members are read
 * through typed-array views placed at the offsets koffi computes from the raw
 * declarations (`koffi.offsetof(Either, ...)`), and the tag decides which view is read.
 */
import koffi from 'koffi';
import {
  Either,
  EITHER_LEFT,
  EITHER_RIGHT,
  int_or_float_as_float,
  int_or_float_as_int,
  parse_number,
} from './raw/unions';
import {
  ArrayBufferCtor,
  ErrorCtor,
  Float32ArrayCtor,
  Int32ArrayCtor,
  Uint32ArrayCtor,
  Uint8ArrayCtor,
} from './primordials';
import { check, syncError } from './status';
import { bits32, cBytes, cString, number } from './validate';

/**
 * The IEEE-754 single-precision bit pattern of `x`, as an unsigned 32-bit
 * integer (0 to 2**32 - 1): `floatToBits(1) === 0x3f800000`,
 * `floatToBits(-1) === 0xbf800000`.
 *
 * `x` is first rounded to the nearest float, as `Math.fround(x)` does (so
 * values beyond the float range give the bits of ±Infinity). Computed by Rust
 * by writing the `as_float` member of the C union `IntOrFloat` and reading
 * `as_int`. NaN: the bit pattern of the NaN JS holds, narrowed to a float the
 * way `Math.fround` narrows it (the sign and the top 22 payload bits are kept,
 * the result is always a quiet NaN); plain `NaN` gives `0x7fc00000`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `x` is not a number
 * @example floatToBits(1) // 0x3f800000
 */
export function floatToBits(x: number): number {
  // A union argument: koffi takes the member from the object's one own property name.
  return int_or_float_as_int({ as_float: number(x, 'floatToBits', 'x') }) >>> 0;
}

/**
 * The float whose IEEE-754 single-precision bit pattern is `bits`, as a JS
 * number: `bitsToFloat(0x3f800000) === 1`.
 *
 * `bits` may be given unsigned (0 to 2**32 - 1, as {@link floatToBits}
 * returns it) or signed (down to -2**31, as an `Int32Array` holds it): only
 * the low 32 bits matter. Computed by Rust by writing the `as_int` member of
 * `IntOrFloat` and reading `as_float`.
 *
 * NaN: every NaN pattern, quiet or signalling, whatever its sign and payload,
 * gives JS's canonical NaN (bits `0x7ff8000000000000`). Rust returns the
 * float with its payload intact (the C tests check it), but V8's
 * `Number::New`, which koffi uses to hand a native float to JS, canonicalises
 * NaN. So for every `x`, `bitsToFloat(floatToBits(x))` is `Math.fround(x)` bit
 * for bit when `x` is not NaN, and the canonical NaN when it is; and
 * `floatToBits(bitsToFloat(b)) === b >>> 0` for every non-NaN pattern, and
 * `0x7fc00000` for every NaN pattern.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `bits` is not a number
 * @throws RangeError `ERR_OUT_OF_RANGE` if `bits` is not an integer or is outside [-2**31, 2**32 - 1]
 * @example bitsToFloat(0x40490fdb) // 3.1415927410125732 (π as a float)
 */
export function bitsToFloat(bits: number): number {
  return int_or_float_as_float({ as_int: bits32(bits, 'bitsToFloat', 'bits') | 0 });
}

/** A number parsed by {@link parseNumber}: `left` for an integer, `right` for a float. */
export type ParsedNumber = { kind: 'left'; value: number } | { kind: 'right'; value: number };

const EITHER_SIZE = koffi.sizeof(Either);
const VALUE_OFFSET = koffi.offsetof(Either, 'value');
const eitherOut = new ArrayBufferCtor(EITHER_SIZE);
const eitherBytes = new Uint8ArrayCtor(eitherOut);
const eitherTag = new Uint32ArrayCtor(eitherOut, koffi.offsetof(Either, 'tag'), 1);
// Every member of a C union starts at its offset 0 (koffi.offsetof only
// accepts structs): `left` and `right` both live at `value`.
const eitherLeft = new Int32ArrayCtor(eitherOut, VALUE_OFFSET, 1);
const eitherRight = new Float32ArrayCtor(eitherOut, VALUE_OFFSET, 1);

/**
 * Parses a number with Rust's rules and returns the tagged union `Either` as
 * a discriminated union: `{ kind: 'left', value }` for an integer,
 * `{ kind: 'right', value }` for a float.
 *
 * - An optional `+`/`-` and ASCII digits only is an integer (`'42'`, `'+1'`,
 *   `'-0'` gives 0); it must fit in int32, otherwise `INVALID_ARGUMENT` (it is
 *   never turned into a float).
 * - Any other finite decimal (`'4.5'`, `'.5'`, `'1e3'`, `'-2E-3'`) is a float,
 *   rounded to the nearest float (`'0.1'` gives `Math.fround(0.1)`); `'nan'`,
 *   `'inf'` and values too large for a float (`'1e39'`) are refused.
 * - No whitespace anywhere (`' 42'` is refused), no hexadecimal, no `_`.
 *
 * A `Uint8Array` is passed to Rust as raw bytes (so invalid UTF-8 can be
 * checked), through a private NUL-terminated copy made before any check.
 *
 * @throws FfiError `'INVALID_ARGUMENT'` for text that is not such a number,
 *   `'INVALID_UTF8'` for bytes that are not UTF-8
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for another type; `ERR_INVALID_ARG_VALUE`
 *   for a `\0` / 0 byte, or a lone surrogate
 * @example parseNumber('42') // { kind: 'left', value: 42 }
 * @example parseNumber('4.5') // { kind: 'right', value: 4.5 }
 */
export function parseNumber(text: string | Uint8Array): ParsedNumber {
  const arg =
    typeof text === 'string'
      ? cString(text, 'parseNumber', 'text')
      : cBytes(text, 'parseNumber', 'text', 'a string or a Uint8Array');
  check(parse_number(arg, eitherBytes, syncError), 'parseNumber');
  switch (eitherTag[0]) {
    case EITHER_LEFT:
      return { kind: 'left', value: eitherLeft[0] };
    case EITHER_RIGHT:
      return { kind: 'right', value: eitherRight[0] };
    default:
      throw new ErrorCtor(`parseNumber: Rust returned an unknown Either tag ${eitherTag[0]}`);
  }
}
