/**
 * The contract holds: the C header, the Rust crate and the TypeScript raw
 * layer describe the same ABI.
 *
 * Everything is generated from c/include/ffi_deep_dive.h (see
 * scripts/abi/header.ts and the name-mapping rules in scripts/abi/probes.ts),
 * so a new type, field, enum constant or function is checked as soon as the
 * header has it — there is no list to update here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as raw from '../ts/raw';
import * as pub from '../ts';
import { parseHeader } from '../scripts/abi/header';
import { nullSweepProgram, sweepable } from '../scripts/abi/nullsweep';
import { compare, cProbe, type Measured, parseProbeOutput, rustProbe, tsMeasure } from '../scripts/abi/probes';

const ROOT = path.resolve(__dirname, '..');
const HEADER = path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h');
const OUT = path.join(ROOT, 'build', 'abi');
const RELEASE = path.join(raw.cargoTargetDir(), 'release');
const TEST_PANIC_LIB = path.join(raw.cargoTargetDir(), 'test-panic', 'release', 'libffi_deep_dive.so');
const CC = process.env.CC ?? 'gcc';

const header = parseHeader(fs.readFileSync(HEADER, 'utf8'));

function rustSources(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) rustSources(p, base, out);
    else if (e.name.endsWith('.rs'))
      out.set(path.relative(base, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
  }
  return out;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Defined dynamic symbols of a shared library, by `nm -D --defined-only`. */
function exportedSymbols(lib: string): Set<string> {
  const names = run('nm', ['-D', '--defined-only', lib])
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3)
    .map((f) => f[2].replace(/@.*$/, ''));
  // Rule: names starting with `_` are reserved C identifiers (`_init`, `_fini`,
  // `__bss_start` on some toolchains), never part of this API.
  return new Set(names.filter((n) => !n.startsWith('_')));
}

/** The koffi functions the raw layer exports: name of the export → C symbol it calls. */
function rawFunctions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'function') continue;
    const info = (value as { info?: { name?: unknown } }).info;
    if (info !== undefined && typeof info.name === 'string') out.set(name, info.name);
  }
  return out;
}

const diff = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();

describe('ABI layout: C, Rust and TS agree on every header type', () => {
  let c: Measured;
  let rust: Measured;
  let ts: Measured;

  beforeAll(() => {
    fs.mkdirSync(OUT, { recursive: true });
    const cSrc = path.join(OUT, 'c_probe.c');
    fs.writeFileSync(cSrc, cProbe(header));
    const cBin = path.join(OUT, 'c_probe');
    run(CC, ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', `-I${path.dirname(HEADER)}`, cSrc, '-o', cBin]);
    c = parseProbeOutput(run(cBin, []));

    const probe = rustProbe(header, rustSources(path.join(ROOT, 'rust', 'src')), c);
    const rsSrc = path.join(OUT, 'rust_probe.rs');
    fs.writeFileSync(rsSrc, probe.source);
    const rsBin = path.join(OUT, 'rust_probe');
    run('rustc', [
      '--edition',
      '2021',
      '--crate-name',
      'abi_probe',
      rsSrc,
      '-o',
      rsBin,
      '--extern',
      `ffi_deep_dive=${path.join(RELEASE, 'libffi_deep_dive.rlib')}`,
      '-L',
      `dependency=${path.join(RELEASE, 'deps')}`,
    ]);
    rust = parseProbeOutput(run(rsBin, []));
    rust.missing.push(...probe.missing);
    rust.notes.push(...probe.notes);

    ts = tsMeasure(header, raw as Record<string, unknown>, pub as Record<string, unknown>);

    if (process.env.ABI_VERBOSE !== undefined) {
      const fields = [...c.fields.values()].reduce((n, f) => n + f.size, 0);
      const constants = [...c.enums.values()].reduce((n, e) => n + e.size, 0);
      process.stderr.write(
        `abi: ${header.types.length} types, ${fields} field paths, ${constants} enum constants, ` +
          `${c.constants.size} #defines; notes:\n  ${[...rust.notes, ...ts.notes].join('\n  ')}\n`,
      );
    }
  });

  it('the C probe measured every header type', () => {
    const measured = new Set([...c.types.keys(), ...c.exists]);
    expect(header.types.map((t) => t.name).filter((n) => !measured.has(n))).toEqual([]);
    expect(c.types.get('FfiStatus')?.size).toBe(4);
  });

  it('Rust agrees with C (size, alignment, field offsets and sizes, enum values)', () => {
    expect(compare(c, rust, 'Rust')).toEqual([]);
  });

  it('TS (koffi) agrees with C (size, alignment, field offsets and sizes, enum values)', () => {
    expect(compare(c, ts, 'TS')).toEqual([]);
  });

  it('FfiStatus has the same numbers in C, Rust and TS', () => {
    const cs = c.enums.get('FfiStatus');
    expect(cs?.get('FFI_STATUS_OK')).toBe(0);
    expect(rust.enums.get('FfiStatus')).toEqual(cs);
    expect(ts.enums.get('FfiStatus')).toEqual(cs);
  });
});

describe('ABI symbols: the .so, the header and the TS raw layer export the same functions', () => {
  const so = exportedSymbols(raw.libraryPath);
  const declared = new Set(header.functions.map((f) => f.name));
  const tsFns = rawFunctions();
  const tsSymbols = new Set(tsFns.values());

  it('the header declares functions (the parser read it)', () => {
    expect(declared.size).toBeGreaterThan(0);
    expect(declared.has('ffi_status_message')).toBe(true);
  });

  it('every exported symbol is declared in the header, and every declaration is exported', () => {
    expect({ 'in .so, not in header': diff(so, declared), 'in header, not in .so': diff(declared, so) }).toEqual({
      'in .so, not in header': [],
      'in header, not in .so': [],
    });
  });

  it('the raw layer declares exactly the header functions, each under its C name', () => {
    expect({
      'in header, not in ts/raw': diff(declared, tsSymbols),
      'in ts/raw, not in header': diff(tsSymbols, declared),
      'exported under another name': [...tsFns].filter(([k, v]) => k !== v).map(([k, v]) => `${k} → ${v}`),
    }).toEqual({ 'in header, not in ts/raw': [], 'in ts/raw, not in header': [], 'exported under another name': [] });
  });

  it('the test-only exports exist only in the test-panic build', () => {
    // Rule: a test build's extra symbols are the test-only exports; they are
    // named ffi_test_* and appear nowhere in the library users get.
    if (!fs.existsSync(TEST_PANIC_LIB)) {
      throw new Error(`${TEST_PANIC_LIB} is missing: run \`make lib-test-panic\` (make test does)`);
    }
    const extra = diff(exportedSymbols(TEST_PANIC_LIB), so);
    expect(extra).toEqual(expect.arrayContaining(['ffi_test_panic', 'ffi_test_panic_ptr']));
    for (const name of extra) {
      expect(name).toMatch(/^ffi_test_/);
      expect(so.has(name)).toBe(false);
      expect(declared.has(name)).toBe(false);
      expect(tsSymbols.has(name)).toBe(false);
    }
    expect(diff(so, exportedSymbols(TEST_PANIC_LIB))).toEqual([]);
  });
});

describe('C API: NULL in every pointer position of every function (generated from the header)', () => {
  it('never crashes (ASan+UBSan), returns NULL pointers and non-PANIC statuses', () => {
    const { source, calls } = nullSweepProgram(header);
    fs.mkdirSync(OUT, { recursive: true });
    const src = path.join(OUT, 'null_sweep.c');
    const bin = path.join(OUT, 'null_sweep');
    fs.writeFileSync(src, source);
    run(CC, [
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-pedantic',
      '-g',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      `-I${path.dirname(HEADER)}`,
      src,
      '-o',
      bin,
      `-L${path.dirname(raw.libraryPath)}`,
      '-lffi_deep_dive',
      `-Wl,-rpath,${path.dirname(raw.libraryPath)}`,
      '-lm',
    ]);
    const r = spawnSync(bin, [], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(`${calls} calls, 0 failures`);
    expect(sweepable(header).map((f) => f.name)).toEqual(
      expect.arrayContaining(['concat_strings', 'count_characters']),
    );
  });
});
