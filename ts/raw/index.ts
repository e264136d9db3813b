/**
 * The raw layer: koffi declarations that mirror `c/include/ffi_deep_dive.h`
 * one to one, with the same names and C types and no checking at all.
 *
 * Prefer the package root. These functions take raw pointers (BigInt
 * addresses that carry no type), do not validate anything, and a wrong
 * argument can crash the process.
 *
 * @packageDocumentation
 */
export { lib, libraryPath, libraryCandidates, LIBRARY_FILE, PACKAGE_ROOT } from './library';
export * from './status';
export * from './numbers';
export * from './strings';
export * from './point';
export * from './opaque';
export * from './unions';
export * from './enums';
export * from './tuples';
export * from './slices';
export * from './callbacks';
export * from './async';
