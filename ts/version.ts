/**
 * Versions: the package's, and the native library's it loaded. The loader
 * has already checked that their major and minor versions match.
 */
import { ffi_deep_dive_version, packageVersion } from './raw/version';

/** This package's version, from its `package.json` (e.g. `'0.2.0'`). */
export const version: string = packageVersion();

/**
 * The version of the native library actually loaded (`ffi_deep_dive_version()`),
 * e.g. `'0.2.0'`. Its major and minor versions equal {@link version}'s: the
 * package refuses to load any other.
 */
// Stryker disable next-line StringLiteral: the loader (checkLibraryVersion) has already refused a library whose ffi_deep_dive_version() is missing or returns NULL, so the fallback is never used.
export const libraryVersion: string = ffi_deep_dive_version() ?? '';
