/**
 * Argument checks shared by the public API, in the style of Node core's
 * `lib/internal/validators.js`: one helper per kind of argument, each given
 * the public function's name and the argument's name (string literals, so a
 * valid call allocates nothing), each throwing a Node-style error before
 * anything reaches koffi:
 *
 * - wrong type: `TypeError`, `code: 'ERR_INVALID_ARG_TYPE'`
 * - right type, invalid value (a `\0`, a lone surrogate, a 0 byte, a shared
 *   buffer where Rust would write): `TypeError`, `code: 'ERR_INVALID_ARG_VALUE'`
 * - out of range, or not an integer: `RangeError`, `code: 'ERR_OUT_OF_RANGE'`
 * - use after `free()`: `Error`, `code: 'ERR_FFI_FREED'`
 *
 * and every message reads `'<function>: <argument> must be ...'`.
 *
 * **Hostile arguments.** Every fact that becomes a pointer, a length, an
 * element type or an alignment on the Rust side is read through the engine's
 * intrinsics, captured once when this module loads and called with the
 * argument as `this` (Node core's primordials): `%TypedArray%.prototype`'s
 * `length`, `byteOffset`, `buffer` and `@@toStringTag` getters, `set`,
 * `indexOf`. An own `length`, a subclass getter, a swapped prototype or a
 * Proxy cannot change what they report (a Proxy is not a typed array: its
 * tag is `undefined`, so it is refused). koffi itself takes the pointer and
 * byte length of a typed array from V8 (`napi_get_buffer_info`), never from
 * JS properties; the element count passed next to it comes from the same
 * intrinsic. Built-ins patched *before* this package is first required are
 * out of scope (they are what gets captured).
 */
import {
  ArrayIsArray,
  BufferConstantsMaxStringLength,
  ErrorCtor,
  Float32ArrayCtor,
  JSONStringify,
  MathFround,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectIs,
  RangeErrorCtor,
  SafeMap,
  StringPrototypeIncludes,
  StringPrototypeIsWellFormed,
  StringPrototypeSlice,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeIndexOf,
  TypedArrayPrototypeSet,
  Uint32ArrayCtor,
  Uint8ArrayCtor,
  UtilTypesIsAnyArrayBuffer,
  UtilTypesIsDataView,
  UtilTypesIsProxy,
  ArrayBufferPrototypeGetByteLength,
} from './primordials';

const U8 = Uint8ArrayCtor;
const U32 = Uint32ArrayCtor;
const F32 = Float32ArrayCtor;

/** V8's longest string, in UTF-16 code units (`buffer.constants.MAX_STRING_LENGTH`). */
export const MAX_STRING_LENGTH = BufferConstantsMaxStringLength;

// ---- Errors ----------------------------------------------------------------

/** The Node-style codes the public API's own errors carry. */
export type ArgumentErrorCode =
  | 'ERR_INVALID_ARG_TYPE'
  | 'ERR_INVALID_ARG_VALUE'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_FFI_FREED'
  | 'ERR_INVALID_RETURN_VALUE'
  | 'ERR_INVALID_THIS'
  | 'ERR_FFI_NESTING_DEPTH';

function withCode<E extends Error>(error: E, code: ArgumentErrorCode): E & { code: ArgumentErrorCode } {
  return ObjectDefineProperty(error, 'code', {
    __proto__: null,
    value: code,
    enumerable: true,
    writable: true,
    configurable: true,
  } as PropertyDescriptor) as E & { code: ArgumentErrorCode };
}

/** `TypeError` `ERR_INVALID_ARG_TYPE`: `'<fn>: <name> must be <expected>, got <value>'`. */
export function invalidArgType(fn: string, name: string, expected: string, value: unknown): TypeError {
  return withCode(
    new TypeErrorCtor(`${fn}: ${name} must be ${expected}, got ${describe(value)}`),
    'ERR_INVALID_ARG_TYPE',
  );
}

/** `TypeError` `ERR_INVALID_ARG_VALUE`: `'<fn>: <name> must <rule>'`. */
export function invalidArgValue(fn: string, name: string, rule: string): TypeError {
  return withCode(new TypeErrorCtor(`${fn}: ${name} must ${rule}`), 'ERR_INVALID_ARG_VALUE');
}

/** `RangeError` `ERR_OUT_OF_RANGE`: `'<fn>: <name> must be <range>, got <value>'`. */
export function outOfRange(fn: string, name: string, range: string, value: unknown): RangeError {
  return withCode(new RangeErrorCtor(`${fn}: ${name} must be ${range}, got ${describe(value)}`), 'ERR_OUT_OF_RANGE');
}

/** `RangeError` `ERR_OUT_OF_RANGE` for a result (not an argument): `'<fn>: <what>'`. */
export function resultOutOfRange(fn: string, what: string): RangeError {
  return withCode(new RangeErrorCtor(`${fn}: ${what}`), 'ERR_OUT_OF_RANGE');
}

/**
 * `RangeError` `ERR_OUT_OF_RANGE` for a string result longer than V8's
 * longest string (past it, koffi's and Buffer's decoders return garbage).
 */
export function stringTooLong(fn: string, length: number): RangeError {
  return resultOutOfRange(
    fn,
    `the result would have ${length} UTF-16 code units, more than the longest string this engine can create (${MAX_STRING_LENGTH})`,
  );
}

/** `TypeError` `ERR_INVALID_RETURN_VALUE`: a callback returned something the API cannot use. */
export function invalidReturnValue(fn: string, name: string, rule: string): TypeError {
  return withCode(new TypeErrorCtor(`${fn}: ${name} must ${rule}`), 'ERR_INVALID_RETURN_VALUE');
}

/** `Error` `ERR_FFI_FREED`: `'<fn>: the <what> was freed'`. */
export function freedError(fn: string, what: string): Error {
  return withCode(new ErrorCtor(`${fn}: the ${what} was freed`), 'ERR_FFI_FREED');
}

/**
 * `TypeError` `ERR_INVALID_THIS` (as Node core uses it): a method or accessor
 * called on a receiver that is not an instance of its class:
 * `'<fn>: this must be <expected>, got <value>'`.
 */
export function invalidThis(fn: string, expected: string, value: unknown): TypeError {
  return withCode(new TypeErrorCtor(`${fn}: this must be ${expected}, got ${describe(value)}`), 'ERR_INVALID_THIS');
}

/**
 * `RangeError` `ERR_FFI_NESTING_DEPTH`: `'<fn>: callbacks nested more than <max> deep'`, thrown before the
 * native call that would nest one level too deep.
 */
export function nestingTooDeep(fn: string, max: number): RangeError {
  return withCode(new RangeErrorCtor(`${fn}: callbacks nested more than ${max} deep`), 'ERR_FFI_NESTING_DEPTH');
}

/**
 * Whether `value` is a revoked Proxy (any use of it throws). Runs no trap:
 * `Array.isArray` looks through a live Proxy without one and throws only for
 * a revoked one.
 */
export function isRevokedProxy(value: unknown): boolean {
  if (!UtilTypesIsProxy(value)) return false;
  try {
    ArrayIsArray(value);
    return false;
  } catch {
    return true;
  }
}

/**
 * A short description of a received value for an error message. Runs no
 * user code (no getter, no `toString`, no Proxy trap).
 */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `string ${JSONStringify(value.length > 40 ? StringPrototypeSlice(value, 0, 40) + '…' : value)}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'number':
      return ObjectIs(value, -0) ? 'number -0' : `number ${value}`;
    case 'symbol':
      return 'a symbol';
    case 'undefined':
    case 'boolean':
      return `${value}`;
    case 'function':
      return 'a function';
    default: {
      if (value === null) return 'null';
      const tag = TypedArrayPrototypeGetSymbolToStringTag(value);
      if (tag !== undefined) return `${tag[0] === 'I' ? 'an' : 'a'} ${tag}`; // an Int32Array, a Uint8Array
      if (UtilTypesIsProxy(value)) return 'a Proxy'; // revoked or not
      if (UtilTypesIsDataView(value)) return 'a DataView';
      if (UtilTypesIsAnyArrayBuffer(value)) return 'an ArrayBuffer';
      if (isArray(value)) return 'an array';
      return 'an object';
    }
  }
}

// ---- Numbers ---------------------------------------------------------------

/** Checks that `value` is an integer in the C `int32_t` range and returns it. */
export function int32(value: unknown, fn: string, name: string): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  return intSlow(value, fn, name, -0x8000_0000, 0x7fff_ffff, 'int32');
}

/** Checks that `value` is an integer in the C `uint32_t` range and returns it. */
export function uint32(value: unknown, fn: string, name: string): number {
  if (typeof value === 'number' && value >>> 0 === value) return value;
  return intSlow(value, fn, name, 0, 0xffff_ffff, 'uint32');
}

/**
 * Checks that `value` is an integer that fits in 32 bits read either as
 * `int32_t` or as `uint32_t` (so in [-2**31, 2**32 - 1]) and returns it.
 */
export function bits32(value: unknown, fn: string, name: string): number {
  if (typeof value === 'number' && (value >>> 0 === value || (value | 0) === value)) return value;
  return intSlow(value, fn, name, -0x8000_0000, 0xffff_ffff, '32-bit pattern');
}

/**
 * The error for a value the fast path of {@link int32}, {@link uint32} or
 * {@link bits32} refused (-0 is not one: `(-0 | 0) === -0`, `-0 >>> 0 === -0`).
 */
function intSlow(value: unknown, fn: string, name: string, min: number, max: number, ctype: string): never {
  if (typeof value !== 'number') throw invalidArgType(fn, name, `a number (${ctype})`, value);
  if (!NumberIsInteger(value)) throw outOfRange(fn, name, `an integer (${ctype})`, value);
  throw outOfRange(fn, name, `an integer in [${min}, ${max}] (${ctype})`, value);
}

/** Checks that `value` is a number (NaN and ±Infinity included) and returns it. */
export function number(value: unknown, fn: string, name: string): number {
  if (typeof value === 'number') return value;
  throw invalidArgType(fn, name, 'a number', value);
}

/** The largest finite `float` (`FLT_MAX`, 2^128 - 2^104). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Checks that `value` is a number C can receive as a finite `float` and
 * returns it (koffi then rounds it to the nearest `float`, as `Math.fround`
 * does). Refused, with `RangeError`: NaN, ±Infinity, and every magnitude
 * that rounds to an infinite `float`, which is exactly |x| >= 2^128 - 2^103
 * (3.4028235677973366e38, halfway between {@link FLOAT32_MAX} and 2^128).
 * Magnitudes from FLT_MAX up to that bound are accepted and become ±FLT_MAX.
 */
export function float32(value: unknown, fn: string, name: string): number {
  if (typeof value === 'number') {
    const f = MathFround(value);
    if (f - f === 0) return value;
    throw outOfRange(
      fn,
      name,
      'finite as a float (not NaN or ±Infinity, and |x| < 2^128 - 2^103 = 3.4028235677973366e+38, above which a float rounds to infinity)',
      value,
    );
  }
  throw invalidArgType(fn, name, 'a number (float)', value);
}

// ---- Strings and bytes ------------------------------------------------------

/**
 * Checks that the string `value` is one C can receive intact: no `\0` (C
 * would stop there) and no lone surrogate (it has no UTF-8 encoding; koffi
 * would replace it with U+FFFD). Returns it. Its callers have checked the
 * type already, with a message naming every type they accept.
 */
export function cString(value: string, fn: string, name: string): string {
  rejectBadText(value, fn, name);
  return value;
}

/** Throws `ERR_INVALID_ARG_VALUE` for a string with a `\0` or a lone surrogate. */
export function rejectBadText(value: string, fn: string, name: string): void {
  if (StringPrototypeIncludes(value, '\0')) {
    throw invalidArgValue(fn, name, 'not contain a NUL character (\\0), which C would treat as the end of the string');
  }
  if (!StringPrototypeIsWellFormed(value)) {
    throw invalidArgValue(fn, name, 'not contain a lone UTF-16 surrogate, which has no UTF-8 encoding');
  }
}

/** `StringPrototypeIsWellFormed`, for fast paths that check it before anything else. */
export function isWellFormed(value: string): boolean {
  return StringPrototypeIsWellFormed(value);
}

/**
 * Checks that `value` is a `Uint8Array` (a `Buffer` is one, so is a
 * subclass) and returns a private, NUL-terminated copy of its bytes for a
 * `const char *` argument. The copy is made first and the 0-byte check runs
 * on it: the bytes checked are the bytes Rust reads, whatever the caller
 * does to the original (a shared buffer another thread writes included).
 * `expected` describes the accepted types for the message.
 */
export function cBytes(value: unknown, fn: string, name: string, expected: string): Uint8Array {
  if (TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Uint8Array') {
    throw invalidArgType(fn, name, expected, value);
  }
  const length = TypedArrayPrototypeGetLength(value);
  const terminated = new U8(length + 1);
  if (length !== 0) TypedArrayPrototypeSet(terminated, value as Uint8Array);
  if (TypedArrayPrototypeIndexOf(terminated, 0) !== length) {
    throw invalidArgValue(fn, name, 'not contain a 0 byte, which C would treat as the end of the string');
  }
  return terminated;
}

// ---- Typed arrays -----------------------------------------------------------

/**
 * Checks that `value` is a `Uint8Array` (a `Buffer` is one, so is a
 * subclass) and returns the bytes to lend Rust for a synchronous call that
 * runs no user code: the view itself (pass {@link TypedArrayPrototypeGetLength}
 * of it as the length), or a private copy when it views a `SharedArrayBuffer`
 * (another thread could write it while Rust reads).
 */
export function uint8Array(value: unknown, fn: string, name: string, expected: string): Uint8Array {
  if (TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Uint8Array') {
    throw invalidArgType(fn, name, expected, value);
  }
  if (!isShared(value)) return value as Uint8Array;
  const copy = new U8(TypedArrayPrototypeGetLength(value));
  TypedArrayPrototypeSet(copy, value as Uint8Array);
  return copy;
}

/**
 * Whether the view's buffer is a `SharedArrayBuffer` (another thread may
 * write it at any time). `ArrayBuffer.prototype.byteLength` throws for a
 * shared buffer (its brand check) and returns 0 for a detached one: a
 * try/catch around that inlined getter costs nothing unless it throws,
 * where `util.types.isSharedArrayBuffer` is a call into C++ (about 20 ns
 * more per call, measured).
 */
function isShared(view: unknown): boolean {
  try {
    ArrayBufferPrototypeGetByteLength(TypedArrayPrototypeGetBuffer(view));
    return false;
  } catch {
    return true;
  }
}

/** Scratch copies of at most this many elements are kept for reuse ({@link uint32ArrayCopy}). */
const SCRATCH_MAX_ELEMENTS = 1 << 16;

/**
 * Private scratch copies for {@link uint32ArrayCopy}, one per slot (a
 * nesting depth), reused from call to call. Slot 0, the one every call that
 * is not nested uses, lives in a private field; deeper slots in a
 * {@link SafeMap}. Nothing here is reachable from outside: no array index
 * (which could fall through to an `Array.prototype` getter), no public field.
 */
export class ScratchPool {
  #first: Uint32Array | undefined = undefined;
  #deeper = new SafeMap<number, Uint32Array>();

  /** The kept copy of `slot`, if any. */
  get(slot: number): Uint32Array | undefined {
    return slot === 0 ? this.#first : this.#deeper.get(slot);
  }

  /** Keeps `copy` for `slot`. */
  set(slot: number, copy: Uint32Array): void {
    if (slot === 0) this.#first = copy;
    else this.#deeper.set(slot, copy);
  }
}

/**
 * Where a copy of `length` elements goes: the pool's copy for `slot` when a
 * pool is given and the copy is small enough to keep (grown as needed), else
 * a new array.
 */
function copyTarget(length: number, pool: ScratchPool | undefined, slot: number): Uint32Array {
  if (pool === undefined || length > SCRATCH_MAX_ELEMENTS) return new U32(length);
  const kept = pool.get(slot);
  if (kept !== undefined && TypedArrayPrototypeGetLength(kept) >= length) return kept;
  // Stryker disable next-line EqualityOperator: `<=` is equivalent (at 64 both sizes are 64); `>=` is killed by countWhere's kept-copy test, but a directive cannot tell the two apart.
  const grown = new U32(length < 64 ? 64 : length);
  pool.set(slot, grown);
  return grown;
}

/** The element count of the last {@link uint32ArrayCopy} (its result may be longer). */
let copied = 0;

/** A private copy of a typed array of the same element type (no species, no getter, no user code). */
function copyOfU32(view: unknown, pool: ScratchPool | undefined, slot: number): Uint32Array {
  const length = TypedArrayPrototypeGetLength(view);
  const copy = copyTarget(length, pool, slot);
  if (length !== 0) TypedArrayPrototypeSet(copy, view as Uint32Array);
  copied = length;
  return copy;
}

const UINT32_ARRAY_EXPECTED = 'a Uint32Array or an array of numbers';

/**
 * A validated copy of a plain array (or a Proxy of one) of uint32 numbers.
 *
 * Nothing of the array's claimed size is allocated before its elements are
 * checked: the copy starts at most {@link SCRATCH_MAX_ELEMENTS} long and
 * doubles as elements pass, so a sparse array with a huge `length` (2^32 - 1)
 * is refused at its first hole with at most 256 KiB allocated. The result may
 * be longer than the array (its element count is {@link copiedLength}).
 */
function copyOfArray(
  value: readonly unknown[],
  fn: string,
  name: string,
  pool: ScratchPool | undefined,
  slot: number,
): Uint32Array {
  const length: unknown = value.length; // a Proxy's trap may return anything: read once, checked
  if (typeof length !== 'number' || length >>> 0 !== length) {
    throw invalidArgType(fn, name, UINT32_ARRAY_EXPECTED, value);
  }
  let copy = copyTarget(length < SCRATCH_MAX_ELEMENTS ? length : SCRATCH_MAX_ELEMENTS, pool, slot);
  let room = TypedArrayPrototypeGetLength(copy);
  for (let i = 0; i < length; i++) {
    // eslint-disable-next-line local/prefer-primordials -- the caller's own array: its getters and traps are user code, run once each before anything reaches Rust
    const v: unknown = value[i];
    // -0 passes (`-0 >>> 0 === -0`) and is stored as 0.
    if (typeof v !== 'number' || v >>> 0 !== v) {
      if (typeof v !== 'number') throw invalidArgType(fn, `${name}[${i}]`, 'a number (uint32)', v);
      throw outOfRange(fn, `${name}[${i}]`, 'an integer in [0, 4294967295] (uint32)', v);
    }
    if (i === room) {
      // Only after `room` elements passed: grow to twice that (or the array's length).
      const grown = new U32(length - room < room ? length : 2 * room);
      TypedArrayPrototypeSet(grown, copy);
      copy = grown;
      room = TypedArrayPrototypeGetLength(copy);
    }
    copy[i] = v;
  }
  copied = length; // after the last getter: a re-entrant call in one cannot leave its own count here
  return copy;
}

/**
 * Checks that `value` can be passed as a `const uint32_t *` for a
 * synchronous call that runs no user code, and returns the `Uint32Array` to
 * pass; pass {@link TypedArrayPrototypeGetLength} of it as the length.
 *
 * - a `Uint32Array` (a subclass, a `subarray` view, a length-tracking view of
 *   a resizable buffer; detached or out of bounds: length 0): itself, zero-copy;
 * - one backed by a `SharedArrayBuffer`: a private copy (Rust borrowing a
 *   `&[u32]` another thread may write is undefined behaviour);
 * - a plain array (or a Proxy of one) of integers in [0, 2^32 - 1]: a
 *   validated copy; a bad element is named by its index.
 *
 * Any other typed array, a `DataView` or a Proxy of a typed array is a
 * `TypeError`: koffi would reinterpret its bytes as `uint32_t`s.
 */
export function uint32Array(value: unknown, fn: string, name: string): Uint32Array {
  if (TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint32Array') {
    return isShared(value) ? copyOfU32(value, undefined, 0) : (value as Uint32Array);
  }
  if (isArray(value)) {
    const copy = copyOfArray(value, fn, name, undefined, 0);
    // Exactly `copied` elements long (a view of the copy's own buffer: no species, no user code).
    return copied === TypedArrayPrototypeGetLength(copy)
      ? copy
      : new U32(TypedArrayPrototypeGetBuffer(copy), 0, copied);
  }
  throw invalidArgType(fn, name, UINT32_ARRAY_EXPECTED, value);
}

/**
 * As {@link uint32Array}, but always a private copy the caller cannot reach,
 * for calls during which user code runs (a predicate) or that outlive the
 * call (async). Its element count is {@link copiedLength}`()`, read right
 * after (the array may be longer).
 *
 * With a `pool`, copies of up to 65,536 elements go into the pool's copy for `slot`,
 * reused from call to call (grown as needed): allocating a fresh small
 * typed array, which koffi then makes V8 move off its heap, costs several
 * hundred ns per call. The caller must not reuse a slot while a call that
 * lent it is still running (a re-entrant call takes the next slot); larger
 * copies are always fresh, so a pool never keeps more than 256 KiB per slot.
 */
export function uint32ArrayCopy(value: unknown, fn: string, name: string, pool?: ScratchPool, slot = 0): Uint32Array {
  if (TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint32Array') return copyOfU32(value, pool, slot);
  if (isArray(value)) return copyOfArray(value, fn, name, pool, slot);
  throw invalidArgType(fn, name, UINT32_ARRAY_EXPECTED, value);
}

/** The element count of the copy the last {@link uint32ArrayCopy} returned. */
export function copiedLength(): number {
  return copied;
}

/**
 * Checks that `value` is a `Float32Array` Rust may write into in place
 * (`Point *`) and returns its element count. A `SharedArrayBuffer` behind it
 * is refused (`ERR_INVALID_ARG_VALUE`): Rust's `&mut` to memory another
 * thread can touch is undefined behaviour, and a copy would not be "in place".
 */
export function float32ArrayLength(value: unknown, fn: string, name: string, expected: string): number {
  if (TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Float32Array') {
    throw invalidArgType(fn, name, expected, value);
  }
  if (isShared(value)) {
    throw invalidArgValue(fn, name, 'not be backed by a SharedArrayBuffer (Rust writes into it in place)');
  }
  return TypedArrayPrototypeGetLength(value);
}

/**
 * A new two-element `Float32Array` over elements `2 * index` and
 * `2 * index + 1` of `points` (already checked by
 * {@link float32ArrayLength}), built from the intrinsic buffer and offset.
 * Unlike `points.subarray()`, it runs no user code (no `Symbol.species`).
 */
export function float32Pair(points: unknown, index: number): Float32Array {
  return new F32(TypedArrayPrototypeGetBuffer(points), TypedArrayPrototypeGetByteOffset(points) + 8 * index, 2);
}

/** A new `Float32Array` of two elements (the captured constructor). */
export function newFloat32Pair(): Float32Array {
  return new F32(2);
}

// ---- Other kinds ----------------------------------------------------------

/** Checks that `value` is a function (a Proxy of one included) and returns it. */
export function callable<F>(value: unknown, fn: string, name: string): F {
  if (typeof value === 'function') return value as F;
  throw invalidArgType(fn, name, 'a function', value);
}

/**
 * Checks that `value` is a non-null object (not a function) whose properties
 * can be read (a revoked Proxy cannot: it is refused like a wrong type) and
 * returns it.
 */
export function object(value: unknown, fn: string, name: string, expected: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !isRevokedProxy(value)) return value as Record<string, unknown>;
  throw invalidArgType(fn, name, expected, value);
}

/**
 * `Array.isArray`, captured at load: true for an array or a Proxy of one;
 * false, not a throw, for a revoked Proxy.
 */
export function isArray(value: unknown): value is readonly unknown[] {
  try {
    return ArrayIsArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}
