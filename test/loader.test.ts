/**
 * Which library the loader (ts/raw/library.ts) picks in a development
 * checkout, seen from child processes that load a copy of `dist/` placed in a
 * scratch "checkout" under build/ (inside the repository, so that koffi
 * resolves): FFI_DEEP_DIVE_LIB first and alone; then the local build,
 * honouring CARGO_TARGET_DIR; never a prebuilt library, stale or not. The
 * rules of an installed package are checked on the real tarball by
 * scripts/test-package.sh.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIBRARY_FILE, PREBUILD_PLATFORM, libraryPath } from '../ts/raw';

const ROOT = path.resolve(__dirname, '..');
const REAL_LIB = fs.realpathSync(libraryPath);

let checkout: string;

beforeAll(() => {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  checkout = fs.mkdtempSync(path.join(ROOT, 'build', 'loader-test-'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(checkout, 'dist'), { recursive: true });
  // The package's own version: the loader refuses a library whose major.minor differ from it.
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  fs.writeFileSync(path.join(checkout, 'package.json'), JSON.stringify({ name: 'ffi-deep-dive', version }) + '\n');
  fs.writeFileSync(path.join(checkout, 'Makefile'), '# marks a development checkout\n');
});

afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

/** Loads the scratch checkout's raw layer in a child; returns what it loaded, or throws its error's message. */
function load(env: Record<string, string | undefined>): { source: string; path: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.FFI_DEEP_DIVE_LIB;
  delete childEnv.CARGO_TARGET_DIR;
  Object.assign(childEnv, env);
  const script = `let out;
    try {
      const r = require(${JSON.stringify(path.join(checkout, 'dist', 'raw'))});
      out = { source: r.librarySource, path: r.libraryPath };
    } catch (err) { out = { error: err.message }; }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: childEnv, encoding: 'utf8' }));
  if (out.error !== undefined) throw new Error(out.error);
  return out;
}

/** Places `target` (a file, or the real library) at `file` in the scratch checkout. */
function place(file: string, target: string | null): string {
  const full = path.join(checkout, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.rmSync(full, { force: true });
  if (target === null) fs.writeFileSync(full, 'not a shared library\n');
  else fs.symlinkSync(target, full);
  return full;
}

describe('the loader in a development checkout', () => {
  it('loads the local build from CARGO_TARGET_DIR, resolved against the checkout', () => {
    const lib = place(path.join('target-dir', 'release', LIBRARY_FILE), REAL_LIB);
    expect(load({ CARGO_TARGET_DIR: 'target-dir' })).toEqual({ source: 'local build', path: lib });
    expect(load({ CARGO_TARGET_DIR: path.join(checkout, 'target-dir') })).toEqual({ source: 'local build', path: lib });
  });

  it('loads rust/target/release without CARGO_TARGET_DIR', () => {
    const lib = place(path.join('rust', 'target', 'release', LIBRARY_FILE), REAL_LIB);
    expect(load({})).toEqual({ source: 'local build', path: lib });
  });

  it('never loads a prebuilt library: a stale one does not hide the local build', () => {
    place(path.join('prebuilds', PREBUILD_PLATFORM, LIBRARY_FILE), null);
    const lib = place(path.join('rust', 'target', 'release', LIBRARY_FILE), REAL_LIB);
    expect(load({})).toEqual({ source: 'local build', path: lib });
  });

  it('does not fall back to a working prebuilt library when the local build is missing', () => {
    place(path.join('prebuilds', PREBUILD_PLATFORM, LIBRARY_FILE), REAL_LIB);
    const missing = path.join(checkout, 'no-such-dir', 'release', LIBRARY_FILE);
    expect(() => load({ CARGO_TARGET_DIR: 'no-such-dir' })).toThrow(
      `ffi-deep-dive: native library not found at ${missing}. Build it with \`make\``,
    );
  });

  it('uses FFI_DEEP_DIVE_LIB first, and only it', () => {
    place(path.join('rust', 'target', 'release', LIBRARY_FILE), null);
    expect(load({ FFI_DEEP_DIVE_LIB: REAL_LIB })).toEqual({ source: 'FFI_DEEP_DIVE_LIB', path: REAL_LIB });
    expect(() => load({ FFI_DEEP_DIVE_LIB: '/nonexistent/libffi_deep_dive.so' })).toThrow(
      /native library not found at \/nonexistent\/libffi_deep_dive\.so\. FFI_DEEP_DIVE_LIB points at a file that does not exist/,
    );
  });

  it('reports a file that does not load instead of trying the next place', () => {
    const good = place(path.join('rust', 'target', 'release', LIBRARY_FILE), REAL_LIB);
    const bad = path.join(checkout, 'package.json');
    expect(() => load({ FFI_DEEP_DIVE_LIB: bad })).toThrow(
      new RegExp(`could not load ${bad} \\(FFI_DEEP_DIVE_LIB\\): .*\`make\` builds ${good}`),
    );
    place(path.join('rust', 'target', 'release', LIBRARY_FILE), null);
    expect(() => load({})).toThrow(/could not load .* \(local build\): .*Rebuild it with `make`/);
  });
});
