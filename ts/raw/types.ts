/**
 * The raw layer's own names for what koffi hands back: a declared function,
 * a C type object, the library handle.
 *
 * They describe the same objects as koffi's `KoffiFunc`, `TypeObject` and
 * `LibraryHandle`, structurally, so values flow both ways without casts. They
 * exist so that no declaration file of this package imports koffi: koffi's
 * `index.d.ts` does not type-check under TypeScript's `node16`/`nodenext`
 * resolution with `skipLibCheck: false`, and a public `.d.ts` that imports it
 * would pass those errors on to every consumer.
 *
 * Declare a raw function as
 * `lib.func('int add_in_rust(int a, int b)') as Native<(a: number, b: number) => number>`.
 */

/** How koffi classifies a C type (`NativeType.primitive`). */
export type NativePrimitive =
  | 'Void'
  | 'Bool'
  | 'Int8'
  | 'UInt8'
  | 'Int16'
  | 'Int16S'
  | 'UInt16'
  | 'UInt16S'
  | 'Int32'
  | 'Int32S'
  | 'UInt32'
  | 'UInt32S'
  | 'Int64'
  | 'Int64S'
  | 'UInt64'
  | 'UInt64S'
  | 'String'
  | 'String16'
  | 'Pointer'
  | 'Record'
  | 'Union'
  | 'Array'
  | 'Float32'
  | 'Float64'
  | 'Prototype'
  | 'Callback';

/** How koffi converts a C array to JS (`NativeType.hint`). */
export type NativeArrayHint = 'Array' | 'Typed' | 'Buffer' | 'String';

/** A C function prototype as koffi parsed it (`Native.info`, `NativeType.proto`). */
export interface NativePrototype {
  /** The function's name (empty for an anonymous prototype). */
  name: string;
  /** The parameter types, in order. */
  arguments: NativeType[];
  /** The return type. */
  result: NativeType;
}

/**
 * A C type declared with koffi (`koffi.struct`, `koffi.union`, `koffi.pointer`,
 * `koffi.proto`, ...): pass it wherever koffi takes a type, e.g.
 * `koffi.sizeof(Point)`.
 */
export interface NativeType {
  /** The type's name as koffi prints it (anonymous types get a generated one). */
  name: string;
  /** What kind of C type it is. */
  primitive: NativePrimitive;
  /** `sizeof` in bytes. */
  size: number;
  /** `_Alignof` in bytes. */
  alignment: number;
  /** Whether koffi frees values of this type after a call (disposable types). */
  disposable: boolean;
  /** The element count, for an array type. */
  length?: number;
  /** How an array type converts to JS. */
  hint?: NativeArrayHint;
  /** The pointee or element type, for a pointer or array type. */
  ref?: NativeType;
  /** The members with their offsets, for a struct or union type. */
  members?: Record<string, { name: string; type: NativeType; offset: number }>;
  /** The prototype, for a function-pointer type. */
  proto?: NativePrototype;
  /** The values, for an enumeration type. */
  values?: Record<string, number | bigint>;
}

/** A C type as koffi accepts it: a C type name (`'int'`, `'const char *'`) or a {@link NativeType}. */
export type NativeTypeSpec = string | NativeType;

/**
 * A native function declared with koffi, called as `F`. `async` runs the
 * call on one of koffi's worker threads and reports through a Node-style
 * callback; `info` is the prototype koffi parsed.
 *
 * @typeParam F - the call signature, written from the C prototype (`int` → `number`, `char *` → `string`, ...).
 */
export type Native<F extends (...args: never[]) => unknown> = F & {
  /** The same call on a worker thread: `callback(error, result)` runs on the main thread afterwards. */
  async(...args: [...Parameters<F>, callback: (error: unknown, result: ReturnType<F>) => void]): void;
  /** The C prototype koffi parsed from the declaration. */
  readonly info: NativePrototype;
};

/** A function as `lib.func` returns it, before it is given its precise type with `as Native<...>`. */
export interface NativeFunction {
  /** Calls the C function; koffi converts the arguments and the result. */
  (...args: never[]): unknown;
  /** The call on a worker thread; the last argument is a `(error, result)` callback. */
  async(...args: never[]): void;
  /** The C prototype koffi parsed from the declaration. */
  readonly info: NativePrototype;
}

/** The loaded library (koffi's library handle): declare functions on it with `func`. */
export interface NativeLibrary {
  /** Declares a function from its C prototype, e.g. `'int add_in_rust(int a, int b)'`. */
  func(definition: string): NativeFunction;
  /** Declares a function from its name, return type and parameter types. */
  func(name: string, result: NativeTypeSpec, args: NativeTypeSpec[]): NativeFunction;
  /** Unloads the library; every function declared on it becomes invalid. */
  unload(): void;
}

/**
 * A `koffi.Union` instance (an untagged union value whose member is chosen by
 * the property that is set).
 */
export interface NativeUnion {
  /** The members, read and written by name. */
  [member: string]: unknown;
}
