/**
 * The built-ins this package uses after load, captured once when it is first
 * required (after Node core's `lib/internal/per_context/primordials.js`).
 *
 * User code may replace any prototype method, getter or global after this
 * package loads; what the package hands to Rust must not change with it. So
 * every module of `ts/` (but `ts/raw/`, which runs nothing after load) takes
 * its built-ins from here, never from a prototype or global at call time:
 *
 * - a method is captured *uncurried*: `ArrayPrototypePush(array, value)`
 *   instead of `array.push(value)`, `FunctionPrototypeCall(fn, self, ...)`
 *   instead of `fn.call(self, ...)` (names as in Node core:
 *   `<Constructor>Prototype<Method>`, `<Constructor><StaticMethod>`,
 *   `<Constructor>PrototypeGet<Accessor>` for a getter);
 * - a collection the package keeps to itself is a `Safe*` class, whose
 *   prototype holds its own frozen copies of the methods (`SafeMap`,
 *   `SafeSet`, `SafeWeakMap`, `SafeFinalizationRegistry`, `SafeWeakRef`);
 * - Promises are chained with `PromisePrototypeThen` and made with
 *   the captured constructor, never through a `then` looked up on a value.
 *
 * eslint (`scripts/eslint/prefer-primordials.mjs`) fails a direct use of a
 * built-in outside this file. Built-ins patched *before* the package is first
 * required are out of scope: they are what gets captured.
 */

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
import { Buffer, constants as BufferConstants } from 'node:buffer';
import { types as UtilTypes } from 'node:util';

type Uncurried<T, A extends unknown[], R> = (self: T, ...args: A) => R;

const { apply: ReflectApplyOriginal, getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptorOriginal } = Reflect;

/**
 * `fn` as a plain function taking `this` first (Node core's `uncurryThis`):
 * `Function.prototype.call` bound once, so a later change to it (or to `fn`'s
 * own properties) changes nothing, and as fast as a direct `.call`.
 */
export const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <T, A extends unknown[], R>(
  fn: (this: T, ...args: A) => R,
) => Uncurried<T, A, R>;

/** The getter of `proto[key]`, uncurried; throws at load if the realm lacks it. */
export function getterOf<R>(proto: object, key: PropertyKey): (self: unknown) => R {
  const get = ReflectGetOwnPropertyDescriptorOriginal(proto, key)?.get;
  if (get === undefined) throw new Error(`ffi-deep-dive: intrinsic getter ${String(key)} is missing`);
  return uncurryThis(get as (this: unknown) => R);
}

// ---- Reflect, Object, Function -------------------------------------------

export const ReflectApply = ReflectApplyOriginal;
export const ReflectGetOwnPropertyDescriptor = ReflectGetOwnPropertyDescriptorOriginal;
export const ReflectGetPrototypeOf = Reflect.getPrototypeOf;
export const ReflectConstruct = Reflect.construct;
export const ReflectDefineProperty = Reflect.defineProperty;
export const ReflectOwnKeys = Reflect.ownKeys;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectFreeze = Object.freeze;
export const ObjectAssign = Object.assign;
export const ObjectCreate = Object.create;
export const ObjectIs = Object.is;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectGetOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
/** `%Object.prototype%`: its own properties decide what a `[[Set]]` on a fresh object runs. */
export const ObjectPrototype = Object.prototype;
export const ObjectPrototypeHasOwnProperty = uncurryThis(Object.prototype.hasOwnProperty) as (
  self: unknown,
  key: PropertyKey,
) => boolean;
/** `Function.prototype[Symbol.hasInstance]`: `instanceof` without looking it up on the constructor. */
export const FunctionPrototypeSymbolHasInstance = uncurryThis(
  Function.prototype[Symbol.hasInstance] as (this: unknown, value: unknown) => boolean,
);
export const FunctionPrototypeCall = uncurryThis(Function.prototype.call) as <A extends unknown[], R>(
  fn: (...args: A) => R,
  self: unknown,
  ...args: A
) => R;

// ---- Numbers and math ------------------------------------------------------

export const MathMin = Math.min;
export const MathMax = Math.max;
export const MathFloor = Math.floor;
export const MathFround = Math.fround;
export const MathTrunc = Math.trunc;
export const MathAbs = Math.abs;
export const NumberCtor = Number;
export const NumberIsInteger = Number.isInteger;
export const NumberIsSafeInteger = Number.isSafeInteger;
export const NumberIsNaN = Number.isNaN;
export const NumberParseInt = Number.parseInt;
export const BigIntCtor = BigInt;
export const StringCtor = String;
export const SymbolCtor = Symbol;
export const SymbolFor = Symbol.for;
export const JSONStringify = JSON.stringify;

// ---- Strings -----------------------------------------------------------------

export const StringPrototypeIncludes = uncurryThis(String.prototype.includes);
export const StringPrototypeIsWellFormed = uncurryThis(String.prototype.isWellFormed);
export const StringPrototypeSlice = uncurryThis(String.prototype.slice);
export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const StringPrototypeToUpperCase = uncurryThis(String.prototype.toUpperCase);
export const NumberPrototypeToString = uncurryThis(Number.prototype.toString) as (
  self: number,
  radix?: number,
) => string;
export const RegExpPrototypeExec = uncurryThis(
  RegExp.prototype.exec as (this: RegExp, text: string) => RegExpExecArray | null,
);

// ---- Errors ------------------------------------------------------------------

export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;

// ---- Arrays ------------------------------------------------------------------

export const ArrayCtor = Array;
export const ArrayIsArray = Array.isArray;
export const ArrayPrototypePush = uncurryThis(Array.prototype.push) as <T>(array: T[], ...items: T[]) => number;
export const ArrayPrototypePop = uncurryThis(Array.prototype.pop) as <T>(array: T[]) => T | undefined;

// ---- Typed arrays and buffers ----------------------------------------------

/** `%TypedArray%.prototype`. */
export const TypedArrayPrototype = ReflectGetPrototypeOf(Uint8Array.prototype) as object;
/** The element count, from the view's internal slots (0 once detached or out of bounds). */
export const TypedArrayPrototypeGetLength = getterOf<number>(TypedArrayPrototype, 'length');
/** The byte offset, from the view's internal slots. */
export const TypedArrayPrototypeGetByteOffset = getterOf<number>(TypedArrayPrototype, 'byteOffset');
/** The byte length, from the view's internal slots. */
export const TypedArrayPrototypeGetByteLength = getterOf<number>(TypedArrayPrototype, 'byteLength');
/** The viewed buffer (`ArrayBuffer` or `SharedArrayBuffer`), from the view's internal slots. */
export const TypedArrayPrototypeGetBuffer = getterOf<ArrayBufferLike>(TypedArrayPrototype, 'buffer');
/**
 * The typed array's own type name (`'Uint32Array'`, also for a subclass or a
 * `Buffer`'s `'Uint8Array'`), or `undefined` for anything that is not a
 * typed array: a Proxy, a `DataView`, a plain object. Never throws.
 */
export const TypedArrayPrototypeGetSymbolToStringTag = getterOf<string | undefined>(
  TypedArrayPrototype,
  Symbol.toStringTag,
);
/** `%TypedArray%.prototype.set`: copies `source` into the typed array given first. */
export const TypedArrayPrototypeSet = uncurryThis(
  (
    TypedArrayPrototype as {
      set: (this: unknown, source: ArrayLike<number> | ArrayLike<bigint>, offset?: number) => void;
    }
  ).set,
);
/** `%TypedArray%.prototype.subarray`: a new view of the same buffer (of the receiver's own type). */
export const TypedArrayPrototypeSubarray = uncurryThis(
  (TypedArrayPrototype as { subarray: (this: unknown, begin?: number, end?: number) => unknown }).subarray,
) as <T>(array: T, begin?: number, end?: number) => T;
export const TypedArrayPrototypeIndexOf = uncurryThis(
  (TypedArrayPrototype as { indexOf: (this: unknown, value: number) => number }).indexOf,
);
export const TypedArrayPrototypeFill = uncurryThis(
  (TypedArrayPrototype as { fill: (this: unknown, value: number, start?: number, end?: number) => unknown }).fill,
);
export const Uint8ArrayCtor = Uint8Array;
export const Uint16ArrayCtor = Uint16Array;
export const Uint32ArrayCtor = Uint32Array;
export const Int32ArrayCtor = Int32Array;
export const Float32ArrayCtor = Float32Array;
export const Float64ArrayCtor = Float64Array;
export const BigUint64ArrayCtor = BigUint64Array;
export const ArrayBufferCtor = ArrayBuffer;
export const ArrayBufferIsView = ArrayBuffer.isView;
export const ArrayBufferPrototypeGetByteLength = getterOf<number>(ArrayBuffer.prototype, 'byteLength');
export const ArrayBufferPrototypeSlice = uncurryThis(ArrayBuffer.prototype.slice);
/** V8's longest string, in UTF-16 code units (`buffer.constants.MAX_STRING_LENGTH`). */
export const BufferConstantsMaxStringLength = BufferConstants.MAX_STRING_LENGTH;
/** `Buffer.allocUnsafeSlow`, bound to the captured `Buffer`. */
export const BufferAllocUnsafeSlow = Buffer.allocUnsafeSlow.bind(Buffer) as (size: number) => Buffer;
/** `Buffer.from(arrayBuffer, byteOffset, length)`, bound to the captured `Buffer`. */
export const BufferFrom = Buffer.from.bind(Buffer) as (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
) => Buffer;
/** `Buffer.prototype.toString(encoding, start, end)`, uncurried. */
export const BufferPrototypeToString = uncurryThis(
  Buffer.prototype.toString as (this: Buffer, encoding: string, start: number, end: number) => string,
);
type BufferInternals = Buffer & {
  ucs2Slice?: (start: number, end: number) => string;
  latin1Write: (text: string, offset: number, length: number) => number;
  latin1Slice: (start: number, end: number) => string;
};
const BufferPrototypeUcs2SliceOriginal = (Buffer.prototype as BufferInternals).ucs2Slice;
/**
 * Buffer's own UTF-16LE decoder (`buffer.ucs2Slice(start, end)`, bytes),
 * which reads any ArrayBufferView; `undefined` where Node lacks it.
 */
export const BufferPrototypeUcs2Slice =
  BufferPrototypeUcs2SliceOriginal === undefined ? undefined : uncurryThis(BufferPrototypeUcs2SliceOriginal);
/** Buffer's own Latin-1 encoder: `(buffer, text, offset, length) => bytes written`. */
export const BufferPrototypeLatin1Write = uncurryThis((Buffer.prototype as BufferInternals).latin1Write);
/** Buffer's own Latin-1 decoder: `(buffer, start, end) => string`. */
export const BufferPrototypeLatin1Slice = uncurryThis((Buffer.prototype as BufferInternals).latin1Slice);

// ---- Safe collections ------------------------------------------------------

/**
 * Makes `unsafe`'s prototype methods and accessors the own, frozen properties
 * of `safe.prototype` (Node core's `makeSafe`), so a method call on an
 * instance never reaches the patchable built-in prototype.
 */
function makeSafe<T extends Function>(unsafe: Function, safe: T): T {
  const descriptors = ObjectGetOwnPropertyDescriptors(unsafe.prototype as object);
  const keys = ReflectOwnKeys(descriptors);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'constructor') continue;
    ReflectDefineProperty(safe.prototype as object, key, descriptors[key as keyof typeof descriptors]);
  }
  ObjectSetPrototypeOf(safe.prototype as object, null);
  ObjectFreeze(safe.prototype);
  ObjectFreeze(safe);
  return safe;
}

/** A `Map` whose methods cannot be patched after load. */
export const SafeMap = makeSafe(
  Map,
  class SafeMap<K, V> extends Map<K, V> {
    constructor() {
      super();
    }
  },
);
/** A `Set` whose methods cannot be patched after load. */
export const SafeSet = makeSafe(
  Set,
  class SafeSet<T> extends Set<T> {
    constructor() {
      super();
    }
  },
);
/** A `WeakMap` whose methods cannot be patched after load. */
export const SafeWeakMap = makeSafe(
  WeakMap,
  class SafeWeakMap<K extends WeakKey, V> extends WeakMap<K, V> {
    constructor() {
      super();
    }
  },
);
/** A `WeakRef` whose `deref` cannot be patched after load. */
export const SafeWeakRef = makeSafe(
  WeakRef,
  class SafeWeakRef<T extends WeakKey> extends WeakRef<T> {
    constructor(target: T) {
      super(target);
    }
  },
);
/** A `FinalizationRegistry` whose `register`/`unregister` cannot be patched after load. */
export const SafeFinalizationRegistry = makeSafe(
  FinalizationRegistry,
  class SafeFinalizationRegistry<T> extends FinalizationRegistry<T> {
    constructor(cleanup: (held: T) => void) {
      super(cleanup);
    }
  },
);

// ---- Promises ----------------------------------------------------------------

export const PromiseCtor = Promise;
/** `promise.then(onFulfilled, onRejected)` without looking `then` up on the promise. */
export const PromisePrototypeThen = uncurryThis(Promise.prototype.then) as <T, R1 = T, R2 = never>(
  promise: Promise<T>,
  onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
  onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
) => Promise<R1 | R2>;
/**
 * A resolved Promise whose `then` needs no lookup: its own `constructor` is a private null-prototype record
 * whose own `@@species` is the captured constructor, so the SpeciesConstructor step of `then` reads neither
 * `Promise.prototype.constructor` nor `Promise[Symbol.species]`, which user code may patch.
 */
const ResolvedPromise: Promise<void> = (() => {
  const resolved = ReflectApply(Promise.resolve, PromiseCtor, [undefined]) as Promise<void>;
  ReflectDefineProperty(resolved, 'constructor', {
    __proto__: null,
    value: { __proto__: null, [Symbol.species]: PromiseCtor },
  } as PropertyDescriptor);
  return resolved;
})();
/**
 * Runs `task` in a microtask of its own, as a V8 promise job: unlike Node's `queueMicrotask`, no JavaScript of
 * Node core runs around it (Node's async-hooks bookkeeping there reads a typed array's `length` through the
 * patchable prototype: a throwing getter made the task never run).
 */
export function EnqueueMicrotask(task: () => void): void {
  PromisePrototypeThen(ResolvedPromise, task);
}
const PromiseRejectOriginal = Promise.reject;
/** A Promise rejected with `reason`, made by the captured constructor. */
export function PromiseReject<T = never>(reason: unknown): Promise<T> {
  return ReflectApply(PromiseRejectOriginal, PromiseCtor, [reason]) as Promise<T>;
}
/**
 * A new Promise with its settle functions (`Promise.withResolvers`, which
 * Node 20 lacks), made by the captured constructor.
 */
export function PromiseWithResolvers<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new PromiseCtor<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { __proto__: null, promise, resolve, reject } as unknown as {
    promise: Promise<T>;
    resolve: (value: T) => void;
    reject: (reason: unknown) => void;
  };
}

// ---- node:util types -------------------------------------------------------------

export const UtilTypesIsProxy = UtilTypes.isProxy;
export const UtilTypesIsDataView = UtilTypes.isDataView;
export const UtilTypesIsAnyArrayBuffer = UtilTypes.isAnyArrayBuffer;

// ---- Timers and the rest -------------------------------------------------------

export const SetTimeout = setTimeout;
export const ClearTimeout = clearTimeout;
export const SetImmediate = setImmediate;
export const DateNow = Date.now;
/** `timeout.unref()` of the object `setTimeout` returns (Node's `Timeout`; Bun's and Deno's Node globals have one too). */
export const TimeoutPrototypeUnref = (() => {
  const sample = SetTimeout(() => {}, 0);
  ClearTimeout(sample);
  return uncurryThis((sample as unknown as { unref: (this: unknown) => unknown }).unref);
})();
export const QueueMicrotask = queueMicrotask;
export const StructuredClone = structuredClone;
export const SymbolDispose: typeof Symbol.dispose = Symbol.dispose;
export const SymbolToStringTag: typeof Symbol.toStringTag = Symbol.toStringTag;
