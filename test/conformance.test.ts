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
import koffi from 'koffi';
import * as raw from '../ts/raw';
import * as pub from '../ts';
import { parseHeader } from '../scripts/abi/header';
import { nullSweepProgram, sweepable } from '../scripts/abi/nullsweep';
import {
  compare,
  cProbe,
  findRustItem,
  type Measured,
  parseProbeOutput,
  rustProbe,
  tsMeasure,
} from '../scripts/abi/probes';
import {
  compareSignatures,
  cSignatureProbe,
  parseSignatures,
  rustSignatureProbe,
  type Signatures,
  tsSignatures,
} from '../scripts/abi/signatures';

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

/** Compiles a generated C probe against the header (strict warnings) and returns what it prints. */
function runCProbe(name: string, source: string): string {
  fs.mkdirSync(OUT, { recursive: true });
  const src = path.join(OUT, `${name}.c`);
  fs.writeFileSync(src, source);
  const bin = path.join(OUT, name);
  run(CC, ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', `-I${path.dirname(HEADER)}`, src, '-o', bin]);
  return run(bin, []);
}

/**
 * Compiles a generated Rust program against an rlib of the crate (the real
 * one by default) into `dir`; returns rustc's result and the binary's path.
 */
function rustcProgram(source: string, dir: string, name: string, rlibDir = RELEASE) {
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, `${name}.rs`);
  fs.writeFileSync(src, source);
  const bin = path.join(dir, name);
  const rustc = spawnSync(
    'rustc',
    [
      ...['--edition', '2021', '--crate-name', 'abi_probe', src, '-o', bin],
      ...['--extern', `ffi_deep_dive=${path.join(rlibDir, 'libffi_deep_dive.rlib')}`],
      ...['-L', `dependency=${path.join(rlibDir, 'deps')}`],
    ],
    { encoding: 'utf8' },
  );
  return { rustc, bin };
}

/** Builds a stand-in crate named `ffi_deep_dive` from one source file into `dir`. */
function standInCrate(dir: string, lib: string): Map<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'lib.rs'), lib);
  run('rustc', [
    ...['--edition', '2021', '--crate-type', 'rlib', '--crate-name', 'ffi_deep_dive'],
    ...[path.join(dir, 'lib.rs'), '--out-dir', dir],
  ]);
  return new Map([['lib.rs', lib]]);
}

/** Runs a generated Rust probe that must compile, and returns what it prints. */
function runRustProbe(source: string, dir: string, name: string, rlibDir = RELEASE): string {
  const { rustc, bin } = rustcProgram(source, dir, name, rlibDir);
  if (rustc.status !== 0) throw new Error(`rustc failed on ${name}.rs:\n${rustc.stderr}`);
  return run(bin, []);
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
    c = parseProbeOutput(runCProbe('c_probe', cProbe(header)));
    const probe = rustProbe(header, rustSources(path.join(ROOT, 'rust', 'src')), c);
    rust = parseProbeOutput(runRustProbe(probe.source, OUT, 'rust_probe'));
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

  it('every scalar field has a kind on all three sides (signedness, integer, float, pointer)', () => {
    for (const [side, m] of [
      ['C', c],
      ['TS', ts],
    ] as const) {
      for (const [type, fields] of m.fields)
        for (const [field, layout] of fields)
          expect(`${side} ${type}.${field}: ${layout.kind ?? '-'}`).toMatch(/: [iufpr]$/);
    }
    // Rust measures every field it has (see rustProbe's notes for the rest).
    const rustKinds = [...rust.fields.values()]
      .flatMap((f) => [...f.values()])
      .filter((l) => l.offset >= 0 && l.size >= 0);
    expect(rustKinds.length).toBeGreaterThan(10);
    for (const l of rustKinds) expect(l.kind).toMatch(/^[iufpre]$/);
    expect(c.fields.get('Tuple')?.get('_0')?.kind).toBe('u');
    expect(c.fields.get('Point')?.get('x')?.kind).toBe('f');
    expect(c.fields.get('U32Array')?.get('data')?.kind).toBe('p');
    expect(c.fields.get('IntOrFloat')?.get('as_int')?.kind).toBe('i');
  });

  it('catches a same-size type change in TS (uint32_t → int32_t or float, size_t → pointer)', () => {
    const doctored = {
      ...raw,
      Tuple: koffi.struct({ _0: 'int32_t', _1: 'float' }),
      U32Array: koffi.struct({ data: 'uint32_t *', len: 'void *', capacity: 'size_t' }),
    } as Record<string, unknown>;
    const problems = compare(c, tsMeasure(header, doctored, pub as Record<string, unknown>), 'TS');
    expect(problems).toEqual([
      'Tuple._0: is an unsigned integer in C but a signed integer in TS',
      'Tuple._1: is an unsigned integer in C but a floating-point number in TS',
      'U32Array.len: is an unsigned integer in C but a pointer in TS',
    ]);
  });

  it('catches a same-size type change in Rust (u32 → i32, f32 → u32)', () => {
    // A stand-in crate named like ours whose Tuple and Point differ from the
    // header only in their field types, probed against the real C measurement.
    const dir = path.join(OUT, 'doctored');
    const sources = standInCrate(
      dir,
      [
        '#[repr(C)]',
        'pub struct Tuple(pub i32, pub u32);',
        '#[repr(C)]',
        'pub struct Point { pub x: f32, pub y: u32 }',
      ].join('\n'),
    );
    const only = {
      ...header,
      types: header.types.filter((t) => t.name === 'Tuple' || t.name === 'Point'),
      constants: [],
    };
    const probe = rustProbe(only, sources, c);
    expect(probe.missing).toEqual([]);
    expect(compare(c, parseProbeOutput(runRustProbe(probe.source, dir, 'probe', dir)), 'Rust').sort()).toEqual([
      'Point.y: is a floating-point number in C but an unsigned integer in Rust',
      'Tuple._0: is an unsigned integer in C but a signed integer in Rust',
    ]);
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

describe("ABI signatures: every function has the header's parameter and return types", () => {
  let c: Signatures;
  beforeAll(() => {
    c = parseSignatures(runCProbe('c_sig_probe', cSignatureProbe(header)));
  });

  it('the C probe measured every parameter and return type', () => {
    expect([...c.keys()].sort()).toEqual(header.functions.map((f) => f.name).sort());
    expect(c.get('primes_up_to')?.get(0)).toEqual({ size: 4, kind: 'u' });
    expect(c.get('add_in_rust')?.get(-1)).toEqual({ size: 4, kind: 'i' });
    expect(c.get('point_translated')?.get(0)).toEqual({ size: 8, kind: 'r' });
    expect(c.get('count_where')?.get(2)?.kind).toBe('p');
  });

  it("TS (koffi) declares every function with the header's types", () => {
    expect(compareSignatures(c, tsSignatures(raw as Record<string, unknown>), 'TS')).toEqual([]);
  });

  it("Rust exports every function with exactly the header's types (rustc checks a function-pointer assignment)", () => {
    const sources = rustSources(path.join(ROOT, 'rust', 'src'));
    const probe = rustSignatureProbe(header, sources, (n) => findRustItem(n, sources)?.path ?? null);
    expect(probe.missing).toEqual([]);
    expect(probe.checked.length).toBe(header.functions.length);
    const { rustc: r } = rustcProgram(probe.source, OUT, 'rust_sig_probe');
    expect({ status: r.status, errors: r.stderr.split('\n').filter((l) => /^error|-->/.test(l)) }).toEqual({
      status: 0,
      errors: [],
    });
  });

  it('catches a same-size signature change in TS and in Rust', () => {
    const doctored = raw.lib.func('uint32_t add_in_rust(int a, float b)');
    expect(compareSignatures(c, tsSignatures({ doctored }), 'TS')).toEqual([
      "add_in_rust: parameter 2 is of kind 'i' in C but 'f' in TS",
      "add_in_rust: return type is of kind 'i' in C but 'u' in TS",
    ]);
    const dir = path.join(OUT, 'doctored-sig');
    const sources = standInCrate(
      dir,
      '#[no_mangle]\npub extern "C" fn add_in_rust(a: u32, b: i32) -> i32 {\n    a as i32 + b\n}\n',
    );
    const only = { ...header, functions: header.functions.filter((f) => f.name === 'add_in_rust') };
    const probe = rustSignatureProbe(only, sources, () => null);
    expect(probe.checked).toEqual(['add_in_rust']);
    const { rustc: r } = rustcProgram(probe.source, dir, 'probe', dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/mismatched types[\s\S]*found fn item `extern "C" fn\(u32, _\) -> _ {add_in_rust}`/);
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
