/**
 * Argument checks shared by the public API. Each throws `TypeError` for a
 * value of the wrong kind and `RangeError` for one outside the C type's
 * range, before anything reaches koffi (which would silently truncate 3.7 to
 * 3, wrap 2**31, or cut a string at its first `\0`).
 *
 * The fast path of each check is a single comparison, so valid calls pay
 * almost nothing.
 */

function describe(value: unknown): string {
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'number') return `number ${value}`;
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/** Checks that `value` is an integer in the C `int32_t` range and returns it. */
export function int32(value: unknown, name: string): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  return intSlow(value, name, -0x8000_0000, 0x7fff_ffff, 'int32');
}

/** Checks that `value` is an integer in the C `uint32_t` range and returns it. */
export function uint32(value: unknown, name: string): number {
  if (typeof value === 'number' && value >>> 0 === value) return value;
  return intSlow(value, name, 0, 0xffff_ffff, 'uint32');
}

function intSlow(value: unknown, name: string, min: number, max: number, ctype: string): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number (${ctype}), got ${describe(value)}`);
  }
  if (!Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer (${ctype}), got ${describe(value)}`);
  }
  if (Object.is(value, -0)) return 0;
  throw new RangeError(`${name} must be in [${min}, ${max}] (${ctype}), got ${value}`);
}

/** Checks that `value` is a finite number (NaN and ±Infinity are refused) and returns it. */
export function finite(value: unknown, name: string): number {
  if (typeof value === 'number' && value - value === 0) return value;
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  throw new RangeError(`${name} must be finite, got ${value}`);
}

/**
 * Checks that `value` is a string C can receive intact: no `\0` (C would stop
 * there) and no lone surrogate (it has no UTF-8 encoding; koffi would replace
 * it with U+FFFD). Returns it.
 */
export function cString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  }
  if (value.includes('\0')) {
    throw new TypeError(`${name} contains a NUL character (\\0), which C would treat as the end of the string`);
  }
  if (!value.isWellFormed()) {
    throw new TypeError(`${name} contains a lone UTF-16 surrogate, which has no UTF-8 encoding`);
  }
  return value;
}

/**
 * Checks that `value` is a `Uint8Array` (a `Buffer` is one) without a 0 byte,
 * and returns a NUL-terminated copy of it for a `const char *` argument.
 */
export function cBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a string or a Uint8Array, got ${describe(value)}`);
  }
  if (value.includes(0)) {
    throw new TypeError(`${name} contains a 0 byte, which C would treat as the end of the string`);
  }
  const terminated = new Uint8Array(value.length + 1);
  terminated.set(value);
  return terminated;
}

/** The largest finite `float` (`FLT_MAX`). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Checks that `value` is a number C can receive as a finite `float`: not NaN,
 * not ±Infinity, and not so large that rounding to `float` would make it
 * infinite (about ±3.4e38, {@link FLOAT32_MAX}). Returns it; koffi rounds it
 * to the nearest `float`.
 */
export function float32(value: unknown, name: string): number {
  if (typeof value === 'number') {
    const f = Math.fround(value);
    if (f - f === 0) return value;
    throw new RangeError(
      `${name} must be a finite float (NaN, ±Infinity and |x| > ${FLOAT32_MAX} are refused), got ${value}`,
    );
  }
  throw new TypeError(`${name} must be a number (float), got ${describe(value)}`);
}

/** Checks that `value` is a number (NaN and ±Infinity included) and returns it. */
export function number(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  throw new TypeError(`${name} must be a number, got ${describe(value)}`);
}

/**
 * Checks that `value` is an integer that fits in 32 bits read either as
 * `int32_t` or as `uint32_t` (so in [-2**31, 2**32 - 1]) and returns it.
 */
export function bits32(value: unknown, name: string): number {
  if (typeof value === 'number' && (value >>> 0 === value || (value | 0) === value)) return value;
  return intSlow(value, name, -0x8000_0000, 0xffff_ffff, '32-bit pattern');
}

/**
 * Checks that `value` can be passed as a `const uint32_t *` and returns the
 * `Uint32Array` to pass: a `Uint32Array` itself (zero-copy, `subarray` views
 * included), or a validated copy of a plain array of numbers. Any other typed
 * array or a `DataView` is a `TypeError`: koffi would reinterpret its bytes
 * as `uint32_t`s. A plain-array element that is not an integer in
 * [0, 2^32 - 1] is a `RangeError` naming its index.
 */
export function uint32Array(value: unknown, name: string): Uint32Array {
  if (value instanceof Uint32Array) return value;
  if (Array.isArray(value)) {
    const copy = new Uint32Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number' || v >>> 0 !== v) {
        if (Object.is(v, -0)) continue; // -0 is 0, already in the copy
        throw new RangeError(`${name}[${i}] must be an integer in [0, 4294967295] (uint32), got ${describe(v)}`);
      }
      copy[i] = v;
    }
    return copy;
  }
  throw new TypeError(`${name} must be a Uint32Array or an array of numbers, got ${describe(value)}`);
}
