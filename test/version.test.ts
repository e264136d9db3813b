/**
 * Versions agree everywhere (`rust/Cargo.toml` is the one source), and the
 * loader refuses a library of another version, or one without
 * `ffi_deep_dive_version`, with one clear error naming the path and both
 * versions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as api from '../ts';
import * as raw from '../ts/raw';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'build', 'version-test');
const CC = process.env.CC ?? 'gcc';

const cargoVersion = (() => {
  const toml = fs.readFileSync(path.join(ROOT, 'rust', 'Cargo.toml'), 'utf8');
  const m = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(toml);
  if (m === null) throw new Error('no [package] version in rust/Cargo.toml');
  return m[1];
})();
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const header = fs.readFileSync(path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h'), 'utf8');
const define = (name: string): string => {
  const m = new RegExp(`^#define ${name} (.+)$`, 'm').exec(header);
  if (m === null) throw new Error(`${name} is not defined in the header`);
  return m[1];
};

describe('versions agree', () => {
  it('Cargo.toml, package.json, the header, the raw constants, the library and the package exports', () => {
    const [major, minor, patch] = cargoVersion.split('.').map(Number);
    expect(packageJson.version).toBe(cargoVersion);
    expect([define('FFI_DEEP_DIVE_VERSION_MAJOR'), define('FFI_DEEP_DIVE_VERSION_MINOR')]).toEqual([
      String(major),
      String(minor),
    ]);
    expect(define('FFI_DEEP_DIVE_VERSION_PATCH')).toBe(String(patch));
    expect([raw.FFI_DEEP_DIVE_VERSION_MAJOR, raw.FFI_DEEP_DIVE_VERSION_MINOR, raw.FFI_DEEP_DIVE_VERSION_PATCH]).toEqual(
      [major, minor, patch],
    );
    expect(raw.FFI_DEEP_DIVE_VERSION_NUMBER).toBe(major * 1_000_000 + minor * 1_000 + patch);
    expect(raw.ffi_deep_dive_version()).toBe(cargoVersion);
    expect(api.version).toBe(cargoVersion);
    expect(api.libraryVersion).toBe(cargoVersion);
  });

  it('the header macro FFI_DEEP_DIVE_VERSION_NUMBER evaluates to MAJOR * 1000000 + MINOR * 1000 + PATCH in C', () => {
    fs.mkdirSync(OUT, { recursive: true });
    const src = path.join(OUT, 'number.c');
    fs.writeFileSync(
      src,
      '#include <stdio.h>\n#include "ffi_deep_dive.h"\n' +
        '#if FFI_DEEP_DIVE_VERSION_NUMBER < 2000\n#error "usable in #if"\n#endif\n' +
        'int main(void) { printf("%d", FFI_DEEP_DIVE_VERSION_NUMBER); return 0; }\n',
    );
    const bin = path.join(OUT, 'number');
    execFileSync(CC, ['-std=c11', '-Wall', '-Werror', `-I${path.join(ROOT, 'c', 'include')}`, src, '-o', bin]);
    expect(Number(execFileSync(bin, { encoding: 'utf8' }))).toBe(raw.FFI_DEEP_DIVE_VERSION_NUMBER);
  });
});

describe('the loader checks the library version', () => {
  /** A shared library exporting only `ffi_deep_dive_version` (or nothing) returning `version`. */
  function fakeLibrary(name: string, version: string | null): string {
    fs.mkdirSync(OUT, { recursive: true });
    const src = path.join(OUT, `${name}.c`);
    fs.writeFileSync(
      src,
      version === null
        ? 'int not_ffi_deep_dive(void) { return 1; }\n'
        : `const char *ffi_deep_dive_version(void) { return "${version}"; }\n`,
    );
    const lib = path.join(OUT, `lib${name}.so`);
    execFileSync(CC, ['-shared', '-fPIC', src, '-o', lib]);
    return lib;
  }

  /** stderr of a child that loads the package with FFI_DEEP_DIVE_LIB=lib. */
  function loadWith(lib: string): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, ['-e', "require('./dist').addInRust(1, 2)"], {
      cwd: ROOT,
      env: { ...process.env, FFI_DEEP_DIVE_LIB: lib },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  }

  it('refuses another minor version, naming the path and both versions', () => {
    const lib = fakeLibrary('old_minor', '0.1.7');
    const r = loadWith(lib);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `ffi-deep-dive: the native library at ${lib} is version 0.1.7, but this package is version ${cargoVersion} and needs a 0.2.x library`,
    );
  });

  it('refuses another major version and a version that is not x.y.z', () => {
    expect(loadWith(fakeLibrary('new_major', '1.2.0')).stderr).toMatch(/is version 1\.2\.0, but this package/);
    expect(loadWith(fakeLibrary('garbage', 'banana')).stderr).toMatch(/is version banana, but this package/);
  });

  it('accepts another patch version', () => {
    // In a child: checkLibraryVersion declares ffi_deep_dive_version on the library it checks.
    const other = `0.2.${Number(cargoVersion.split('.')[2]) + 7}`;
    const lib = fakeLibrary('other_patch', other);
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "const raw = require('./dist/raw'); const lib = require('koffi').load(process.argv[1]);" +
          'process.stdout.write(raw.checkLibraryVersion(lib, process.argv[1]))',
        lib,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(other);
  });

  it('refuses a library without ffi_deep_dive_version (older than 0.2.0, or not this library)', () => {
    const lib = fakeLibrary('no_version', null);
    const r = loadWith(lib);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `ffi-deep-dive: the native library at ${lib} does not export ffi_deep_dive_version, so it is older than 0.2.0 or not ffi-deep-dive; this package (version ${cargoVersion}) needs a 0.2.x library`,
    );
  });
});
