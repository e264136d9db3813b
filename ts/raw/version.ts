/**
 * Raw declarations for the version module (`rust/src/version.rs`), and the
 * check the loader runs right after loading the library.
 *
 * This module does not import `./library` (the loader imports it):
 * `ffi_deep_dive_version` is declared on the library handle by
 * {@link checkLibraryVersion}, before any other module can use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Native, NativeLibrary } from './types';

/** `#define FFI_DEEP_DIVE_VERSION_MAJOR 0`: the header's major version. */
export const FFI_DEEP_DIVE_VERSION_MAJOR = 0;
/** `#define FFI_DEEP_DIVE_VERSION_MINOR 2`: the header's minor version. */
export const FFI_DEEP_DIVE_VERSION_MINOR = 2;
/** `#define FFI_DEEP_DIVE_VERSION_PATCH 0`: the header's patch version. */
export const FFI_DEEP_DIVE_VERSION_PATCH = 0;
/** `#define FFI_DEEP_DIVE_VERSION_NUMBER`: MAJOR * 1000000 + MINOR * 1000 + PATCH. */
export const FFI_DEEP_DIVE_VERSION_NUMBER =
  FFI_DEEP_DIVE_VERSION_MAJOR * 1_000_000 + FFI_DEEP_DIVE_VERSION_MINOR * 1_000 + FFI_DEEP_DIVE_VERSION_PATCH;

/**
 * `const char *ffi_deep_dive_version(void)`: the loaded library's version, e.g. `'0.2.0'` (static, never
 * freed). Declared by {@link checkLibraryVersion} when the library is loaded.
 */
export let ffi_deep_dive_version: Native<() => string | null>;

/** The package root: `dist/raw/` and `ts/raw/` are both two levels below it. */
const PACKAGE_JSON = path.resolve(__dirname, '..', '..', 'package.json');

/** The version in this package's `package.json`. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

/** `[major, minor]` of a `major.minor.patch` version, or `undefined` for anything else. */
function majorMinor(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

/**
 * Checks that the library just loaded from `libPath` is a version this package
 * can use: it must export `ffi_deep_dive_version`, and its major and minor
 * version must equal the package's (before 1.0 a minor change is breaking).
 * Returns the library's version; otherwise throws one `Error` that names the
 * path and both versions. The loader calls it right after loading and does
 * not try another candidate when it throws.
 */
export function checkLibraryVersion(lib: NativeLibrary, libPath: string): string {
  const wanted = packageVersion();
  const fix =
    'Rebuild it with `make` (or point FFI_DEEP_DIVE_LIB at a matching build), or install the package version that matches the library.';
  let fn: Native<() => string | null>;
  try {
    fn = lib.func('const char *ffi_deep_dive_version(void)') as Native<() => string | null>;
  } catch (cause) {
    throw new Error(
      `ffi-deep-dive: the native library at ${libPath} does not export ffi_deep_dive_version, so it is older than 0.2.0 or not ffi-deep-dive; this package (version ${wanted}) needs a ${majorMinor(wanted)?.join('.') ?? wanted}.x library. ${fix}`,
      { cause },
    );
  }
  const found = fn() ?? '(NULL)';
  const a = majorMinor(found);
  const b = majorMinor(wanted);
  if (a === undefined || b === undefined || a[0] !== b[0] || a[1] !== b[1]) {
    throw new Error(
      `ffi-deep-dive: the native library at ${libPath} is version ${found}, but this package is version ${wanted} and needs a ${b?.join('.') ?? wanted}.x library (before 1.0 the major and minor versions must match). ${fix}`,
    );
  }
  ffi_deep_dive_version = fn;
  return found;
}
