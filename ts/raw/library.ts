/**
 * Finds and loads the native library, once per module registry.
 *
 * Where it looks, in order (the first rule that applies decides; a library
 * that exists but fails to load is an error, never a reason to try the next):
 *
 * 1. `$FFI_DEEP_DIVE_LIB`, when set: that file and nothing else.
 * 2. In a development checkout (a `Makefile` next to `package.json`, outside
 *    `node_modules`): the local build, `rust/target/release/` or
 *    `$CARGO_TARGET_DIR/release/`, as `make` leaves it. A prebuilt library is
 *    never used there, so a stale one cannot hide fresh `make` output.
 * 3. In an installed package: a library built from source in the package
 *    (`node scripts/build.js`, for a platform without a prebuild), else the
 *    prebuilt one for this platform, `prebuilds/<platform>-<arch>/`.
 *
 * A missing library is reported as an {@link Error} that says what to do
 * where the package is (there is no Makefile in an installed package), not as
 * a koffi stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import koffi from 'koffi';
import type { NativeLibrary } from './types';
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

/** The prebuild folder for this platform, as prebuildify names it (`linux-x64`). */
export const PREBUILD_PLATFORM = `${process.platform}-${process.arch}`;

/** The prebuilt library's path for this platform inside the package (it may not exist). */
export const PREBUILT_LIBRARY = path.join(PACKAGE_ROOT, 'prebuilds', PREBUILD_PLATFORM, LIBRARY_FILE);

/** The minimum glibc of the shipped linux-x64 prebuild: the newest `GLIBC_` symbol version it needs (`objdump -T`); `npm pack` checks it. */
export const PREBUILD_MIN_GLIBC = '2.28';

/**
 * True in a development checkout: the package root has the Makefile (never
 * packed) and is not inside `node_modules`.
 */
export function isDevelopmentCheckout(root: string = PACKAGE_ROOT): boolean {
  return fs.existsSync(path.join(root, 'Makefile')) && !root.split(path.sep).includes('node_modules');
}

/**
 * cargo's target directory in a development checkout: `$CARGO_TARGET_DIR`
 * (relative to the checkout, where `make` runs cargo) or `rust/target`.
 */
export function cargoTargetDir(
  root: string = PACKAGE_ROOT,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const targetDir = env.CARGO_TARGET_DIR;
  return targetDir !== undefined && targetDir !== ''
    ? path.resolve(root, targetDir)
    : path.join(root, 'rust', 'target');
}

/** The library `make` builds in a development checkout, honouring `CARGO_TARGET_DIR`. */
export function localBuildLibrary(
  root: string = PACKAGE_ROOT,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return path.join(cargoTargetDir(root, env), 'release', LIBRARY_FILE);
}

/**
 * The library `node scripts/build.js` builds from source inside an installed
 * package (cargo's default target directory there: `CARGO_TARGET_DIR` belongs
 * to the user's own projects and is ignored).
 */
export function sourceBuildLibrary(root: string = PACKAGE_ROOT): string {
  return path.join(root, 'rust', 'target', 'release', LIBRARY_FILE);
}

/** Which rule picked a library; see the module comment. */
export type LibrarySource = 'FFI_DEEP_DIVE_LIB' | 'local build' | 'source build' | 'prebuild';

/** Where the library is looked for, in order, with the rule each path comes from. */
export function libraryCandidates(): { path: string; source: LibrarySource }[] {
  const fromEnv = process.env.FFI_DEEP_DIVE_LIB;
  if (fromEnv !== undefined && fromEnv !== '') {
    return [{ path: path.resolve(fromEnv), source: 'FFI_DEEP_DIVE_LIB' }];
  }
  if (isDevelopmentCheckout()) {
    return [{ path: localBuildLibrary(), source: 'local build' }];
  }
  return [
    { path: sourceBuildLibrary(), source: 'source build' },
    { path: PREBUILT_LIBRARY, source: 'prebuild' },
  ];
}

const BUILD_SCRIPT = path.join(PACKAGE_ROOT, 'scripts', 'build.js');

/** What to do when nothing was found, for the place the package is in. */
function notFoundHint(): string {
  const fromEnv = process.env.FFI_DEEP_DIVE_LIB;
  if (fromEnv !== undefined && fromEnv !== '') {
    return 'FFI_DEEP_DIVE_LIB points at a file that does not exist: fix or unset it.';
  }
  if (isDevelopmentCheckout()) {
    return `Build it with \`make\` in ${PACKAGE_ROOT} (or set FFI_DEEP_DIVE_LIB to a built library).`;
  }
  return (
    `This package has no prebuilt library for ${PREBUILD_PLATFORM}. ` +
    `Build one from source with \`node ${BUILD_SCRIPT}\` (needs Rust: https://rustup.rs), ` +
    'or set FFI_DEEP_DIVE_LIB to a built library.'
  );
}

/** True when version `a` (`2.31`) is older than `b` (`2.34`). */
function olderThan(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/** Why a library that exists may not load, and what to do, for the rule that chose it. */
function loadFailureHint(source: LibrarySource): string {
  switch (source) {
    case 'FFI_DEEP_DIVE_LIB':
      return isDevelopmentCheckout()
        ? `Point FFI_DEEP_DIVE_LIB at a library built for ${PREBUILD_PLATFORM} (\`make\` builds ${localBuildLibrary()}), or unset it.`
        : `Point FFI_DEEP_DIVE_LIB at a library built for ${PREBUILD_PLATFORM}, or unset it.`;
    case 'local build':
      return 'Rebuild it with `make` (`make clean all` if it was built elsewhere).';
    case 'source build':
      return `Rebuild it with \`node ${BUILD_SCRIPT}\`, or delete it to use the prebuilt library.`;
    case 'prebuild': {
      const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
      const glibc = report?.header?.glibcVersionRuntime;
      const why =
        process.platform !== 'linux'
          ? 'it was built for another system'
          : glibc === undefined
            ? `it needs glibc ${PREBUILD_MIN_GLIBC} or newer, and this system has no glibc (musl?)`
            : olderThan(glibc, PREBUILD_MIN_GLIBC)
              ? `it needs glibc ${PREBUILD_MIN_GLIBC} or newer; this system has ${glibc}`
              : 'the file is damaged or not built for this system';
      return (
        `The prebuilt library does not work here (${why}). ` +
        `Build one from source with \`node ${BUILD_SCRIPT}\` (needs Rust: https://rustup.rs), ` +
        'or set FFI_DEEP_DIVE_LIB to a built library.'
      );
    }
  }
}

function load(): { lib: NativeLibrary; path: string; source: LibrarySource } {
  const candidates = libraryCandidates();
  const found = candidates.find((c) => fs.existsSync(c.path));
  if (found === undefined) {
    throw new Error(
      `ffi-deep-dive: native library not found at ${candidates.map((c) => c.path).join(', ')}. ${notFoundHint()}`,
    );
  }
  let lib: NativeLibrary;
  try {
    lib = koffi.load(found.path);
  } catch (cause) {
    throw new Error(
      `ffi-deep-dive: could not load ${found.path} (${found.source}): ${(cause as Error).message}. ` +
        loadFailureHint(found.source),
      { cause },
    );
  }
  return { lib, path: found.path, source: found.source };
}

const loaded = load();
checkLibraryVersion(loaded.lib, loaded.path);

/** The loaded library handle. Declare functions on it in the `raw/` modules only. */
export const lib: NativeLibrary = loaded.lib;

/** The path the library was loaded from. */
export const libraryPath: string = loaded.path;

/** Which rule chose {@link libraryPath}: `FFI_DEEP_DIVE_LIB`, `local build`, `source build` or `prebuild`. */
export const librarySource: LibrarySource = loaded.source;
