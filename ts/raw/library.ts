/**
 * Finds and loads the native library, once per module registry.
 *
 * The library is looked up, in order, at `$FFI_DEEP_DIVE_LIB` and then at
 * `rust/target/release/` next to this package. A missing library is reported
 * as an {@link Error} that says how to build it, not as a koffi stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { checkLibraryVersion } from './version';

/** The file name of the library on this platform. */
export const LIBRARY_FILE =
  process.platform === 'win32'
    ? 'ffi_deep_dive.dll'
    : process.platform === 'darwin'
      ? 'libffi_deep_dive.dylib'
      : 'libffi_deep_dive.so';

/** The package root: `dist/raw/` and `ts/raw/` are both two levels below it. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** Where the library is expected, in the order it is looked for. */
export function libraryCandidates(): string[] {
  const fromEnv = process.env.FFI_DEEP_DIVE_LIB;
  if (fromEnv !== undefined && fromEnv !== '') {
    return [path.resolve(fromEnv)];
  }
  return [path.join(PACKAGE_ROOT, 'rust', 'target', 'release', LIBRARY_FILE)];
}

function load(): { lib: LibraryHandle; path: string } {
  const candidates = libraryCandidates();
  const found = candidates.find((p) => fs.existsSync(p));
  if (found === undefined) {
    const fromEnv = process.env.FFI_DEEP_DIVE_LIB;
    const hint =
      fromEnv !== undefined && fromEnv !== ''
        ? `FFI_DEEP_DIVE_LIB points at ${candidates[0]}, which does not exist. Fix or unset it.`
        : fs.existsSync(path.join(PACKAGE_ROOT, 'Makefile'))
          ? `Build it with \`make\` (or \`cargo build --release --manifest-path rust/Cargo.toml\`) in ${PACKAGE_ROOT}, or set FFI_DEEP_DIVE_LIB to the library's path.`
          : `The install script did not build it (npm may have skipped install scripts): run \`node ${path.join(PACKAGE_ROOT, 'scripts', 'install.js')}\`, or set FFI_DEEP_DIVE_LIB to the library's path.`;
    throw new Error(`ffi-deep-dive: native library not found at ${candidates.join(', ')}. ${hint}`);
  }
  try {
    return { lib: koffi.load(found), path: found };
  } catch (cause) {
    throw new Error(
      `ffi-deep-dive: could not load ${found} (${(cause as Error).message}). ` +
        `Was it built for this platform (${process.platform}-${process.arch})? Rebuild it with \`make\`.`,
      { cause },
    );
  }
}

const loaded = load();
checkLibraryVersion(loaded.lib, loaded.path);

/** The loaded library handle. Declare functions on it in the `raw/` modules only. */
export const lib: LibraryHandle = loaded.lib;

/** The path the library was loaded from. */
export const libraryPath: string = loaded.path;
