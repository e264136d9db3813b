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
export {
  lib,
  libraryPath,
  librarySource,
  libraryCandidates,
  isDevelopmentCheckout,
  cargoTargetDir,
  localBuildLibrary,
  sourceBuildLibrary,
  LIBRARY_FILE,
  PACKAGE_ROOT,
  PREBUILD_PLATFORM,
  PREBUILT_LIBRARY,
  PREBUILD_MIN_GLIBC,
} from './library';
export type { LibrarySource } from './library';
export type * from './types';
export * from './version';
export * from './error';
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
