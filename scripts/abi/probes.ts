/**
 * The three measurements of the ABI, each generated from the parsed header:
 *
 * - C: a program compiled against the header prints `sizeof`, `_Alignof`,
 *   `offsetof` and member sizes, and every enum constant.
 * - Rust: a program compiled against the crate's rlib prints `size_of`,
 *   `align_of`, `offset_of!` and field sizes, and every variant's number.
 * - TS: `koffi.sizeof`/`alignof` and member offsets of the type objects the
 *   raw layer exports under the C names.
 *
 * Every field also gets a {@link ScalarKind}: whether its type is a signed or
 * unsigned integer, a floating-point number, a pointer or a record, so a
 * same-size change (`uint32_t` to `int32_t` or `float`, `size_t` to a pointer)
 * is caught as well as a change of size or offset. C says it with `_Generic`,
 * Rust with a trait implemented for its primitive types, TS with the koffi
 * type's `primitive`.
 *
 * Each prints/returns the same record format ({@link Measured}), and
 * {@link compare} lists every disagreement with the type and field named.
 *
 * Name-mapping rules (the only conventions the checks assume):
 *
 * 1. A header type `T` is the Rust type `T`, declared as `pub struct|enum|union|type T`
 *    in some `rust/src/<module>.rs` and reachable as `ffi_deep_dive::<module>::T`.
 *    A tuple struct's C fields `_0`, `_1` are Rust's `.0`, `.1`.
 * 2. An enum constant `PREFIX_NAME` (prefix = SCREAMING_SNAKE of the enum name,
 *    cbindgen's `prefix_with_name`) is the Rust variant `Name` (PascalCase).
 * 3. A data-carrying enum `E` (C: struct `E` = `E_Tag tag` + anonymous union)
 *    is the Rust enum `E`. cbindgen's helper types `E_Tag` and `E_Variant_Body`
 *    do not exist in Rust: they are measured through `E` — each variant is
 *    built with zeroed fields, its tag is read at offset 0 with the C tag's size
 *    (giving the `E_Tag` values), and each field's address minus the value's
 *    address gives its offset (compared with C's `offsetof(E, VARIANT.field)`).
 * 4. TS: `ts/raw` exports every struct/union (helpers included) as a koffi type
 *    object under its C name. A koffi member the C type does not have, of
 *    struct/union type, is a stand-in for an anonymous C member and is looked
 *    through (C's anonymous union may be `payload: koffi.union({...})` in TS).
 * 5. TS enums: each C enum constant is found either as a key of an object
 *    that `ts/raw` (or else the package root) exports under the enum's C name
 *    — a plain object of numbers, or a koffi type whose `values` hold them —
 *    with or without the enum's prefix, in any case, with or without
 *    underscores (`FFI_STATUS_NULL_ARGUMENT`, `NULL_ARGUMENT`, `NullArgument`
 *    name the same constant); or as a number `ts/raw` exports under the
 *    constant's full C name (`export const SHAPE_CIRCLE = 0`). If the enum's
 *    export is a koffi type, its size and alignment are checked too. (koffi
 *    3.3.4's anonymous `koffi.enumeration` has empty `values`: use one of the
 *    other forms.) Numeric `#define`s are exported by `ts/raw` under their name.
 * 6. Opaque types have no layout; aliases (function pointers, integer types)
 *    are measured in C and Rust, and in TS only when exported.
 */
import koffi from 'koffi';
import type { TypeObject } from 'koffi';
import {
  type CType,
  type FieldPath,
  type Header,
  enumPrefix,
  fieldPaths,
  helperTypes,
  recordName,
  pascalFromScreaming,
  taggedEnum,
} from './header';

/**
 * What kind of value a field holds: `i` signed integer, `u` unsigned integer
 * (`bool` included), `f` floating point, `p` pointer (data or function), `r`
 * record (struct or union), `e` a Rust fieldless enum (C gives its enum type
 * the representation of an integer, `i` or `u`), `?` not measurable.
 */
export type ScalarKind = 'i' | 'u' | 'f' | 'p' | 'r' | 'e' | '?';

/** The layout of one field; `kind` is absent where a side cannot tell. */
export interface FieldLayout {
  offset: number;
  size: number;
  kind?: ScalarKind;
}

const KIND_NAMES: Record<ScalarKind, string> = {
  i: 'a signed integer',
  u: 'an unsigned integer',
  f: 'a floating-point number',
  p: 'a pointer',
  r: 'a record',
  e: 'an enum',
  '?': 'unknown',
};

/** Whether two kinds name the same C type class (an enum is an integer of either sign). */
export function kindsAgree(a: ScalarKind, b: ScalarKind): boolean {
  if (a === b || a === '?' || b === '?') return true;
  const isInt = (k: ScalarKind): boolean => k === 'i' || k === 'u';
  return (a === 'e' && isInt(b)) || (b === 'e' && isInt(a));
}

/** One side's measurements. `-1` means "not measurable on this side". */
export interface Measured {
  types: Map<string, { size: number; align: number }>;
  fields: Map<string, Map<string, FieldLayout>>;
  enums: Map<string, Map<string, number>>;
  constants: Map<string, number>;
  /** Types checked to exist without a layout (opaque). */
  exists: Set<string>;
  /** Header items this side does not declare. */
  missing: string[];
  /** Notes on what could not be measured and why. */
  notes: string[];
}

export function emptyMeasured(): Measured {
  return {
    types: new Map(),
    fields: new Map(),
    enums: new Map(),
    constants: new Map(),
    exists: new Set(),
    missing: [],
    notes: [],
  };
}

/** Reads the tab-separated lines the C and Rust probes print. */
export function parseProbeOutput(text: string): Measured {
  const m = emptyMeasured();
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    switch (f[0]) {
      case 'T':
        m.types.set(f[1], { size: Number(f[2]), align: Number(f[3]) });
        break;
      case 'F': {
        if (!m.fields.has(f[1])) m.fields.set(f[1], new Map());
        const layout: FieldLayout = { offset: Number(f[3]), size: Number(f[4]) };
        if (f[5] !== undefined && f[5] !== '') layout.kind = f[5] as ScalarKind;
        m.fields.get(f[1])?.set(f[2], layout);
        break;
      }
      case 'E': {
        if (!m.enums.has(f[1])) m.enums.set(f[1], new Map());
        m.enums.get(f[1])?.set(f[2], Number(f[3]));
        break;
      }
      case 'K':
        m.constants.set(f[1], Number(f[2]));
        break;
      case 'O':
        m.exists.add(f[1]);
        break;
      default:
        break;
    }
  }
  return m;
}

/**
 * `ABI_KIND(e)`: the {@link ScalarKind} of a scalar C expression, as a char.
 * Records are named by the generators; every non-arithmetic type left is a pointer.
 */
export const C_KIND_MACRO: readonly string[] = [
  "#define ABI_KIND(e) _Generic((e), _Bool: 'u', char: ((char)-1 < 0 ? 'i' : 'u'), \\",
  "    signed char: 'i', short: 'i', int: 'i', long: 'i', long long: 'i', \\",
  "    unsigned char: 'u', unsigned short: 'u', unsigned int: 'u', unsigned long: 'u', \\",
  "    unsigned long long: 'u', float: 'f', double: 'f', long double: 'f', default: 'p')",
];

const isNumericConstant = (value: string): boolean =>
  /^[-+(]*(0x[0-9a-f]+|[0-9.]+(e[-+]?\d+)?)[uUlLfF]*\)?$/i.test(value);

/** The C probe: prints the layout of every header type as the C compiler sees it. */
export function cProbe(header: Header, headerName = 'ffi_deep_dive.h'): string {
  const lines: string[] = [
    '/* Generated by scripts/abi/probes.ts from the header: do not edit. */',
    '#include <stdio.h>',
    '#include <stddef.h>',
    `#include "${headerName}"`,
    '',
    ...C_KIND_MACRO,
    '',
    'int main(void) {',
  ];
  for (const t of header.types) {
    if (t.kind === 'opaque') {
      lines.push(`    { ${t.name} *p = NULL; (void)p; printf("O\\t${t.name}\\n"); }`);
      continue;
    }
    lines.push(`    printf("T\\t${t.name}\\t%zu\\t%zu\\n", sizeof(${t.name}), _Alignof(${t.name}));`);
    if (t.kind === 'struct' || t.kind === 'union') {
      for (const f of fieldPaths(t, header)) {
        const member = `((${t.name} *)0)->${f.path}`;
        const kind = recordName(f.type, header) !== null ? "'r'" : `ABI_KIND(${member})`;
        lines.push(
          `    printf("F\\t${t.name}\\t${f.path}\\t%zu\\t%zu\\t%c\\n", offsetof(${t.name}, ${f.path}), sizeof(${member}), ${kind});`,
        );
      }
    }
    for (const c of t.constants ?? []) {
      lines.push(`    printf("E\\t${t.name}\\t${c}\\t%lld\\n", (long long)${c});`);
    }
  }
  for (const k of header.constants) {
    if (!isNumericConstant(k.value)) continue;
    if (/[.eE]/.test(k.value) && !/^0x/i.test(k.value)) {
      lines.push(`    printf("K\\t${k.name}\\t%.17g\\n", (double)(${k.name}));`);
    } else {
      lines.push(`    printf("K\\t${k.name}\\t%lld\\n", (long long)(${k.name}));`);
    }
  }
  lines.push('    return 0;', '}', '');
  return lines.join('\n');
}

/** Where a Rust item is declared: its module path and whether it is a tuple struct. */
export interface RustItem {
  path: string;
  kind: string;
  tuple: boolean;
}

/** Rust keywords a module may be named after, written `r#name` in a path (`mod r#async;`). */
const KEYWORD_MODULES = new Set(['async', 'await', 'dyn', 'try', 'type', 'match', 'move', 'ref', 'static', 'use']);

/** The module path of a source file relative to `src/`: `a/mod.rs` → `['a']`, `async.rs` → `['r#async']`. */
function modulePath(file: string): string[] {
  return file
    .replace(/\.rs$/, '')
    .replace(/(^|\/)(lib|mod)$/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (KEYWORD_MODULES.has(s) ? `r#${s}` : s));
}

/**
 * Finds `pub struct|enum|union|type NAME` in the crate's sources and returns
 * the path to reach it (`ffi_deep_dive::strings::NAME`), or null.
 * `sources` maps a file path relative to `src/` (`strings.rs`, `a/mod.rs`) to its text.
 */
export function findRustItem(name: string, sources: Map<string, string>, crate = 'ffi_deep_dive'): RustItem | null {
  const re = new RegExp(`^\\s*pub\\s+(struct|enum|union|type)\\s+${name}\\b\\s*(\\(|\\{|=|<|;)?`, 'm');
  const found = findInCrate(name, sources, re, crate);
  return found === null ? null : { path: found.path, kind: found.match[1], tuple: found.match[2] === '(' };
}

/**
 * The first crate source in which `re` matches, with the path of `name` in
 * that file's module (`ffi_deep_dive::strings::NAME` for `strings.rs`).
 */
export function findInCrate(
  name: string,
  sources: Map<string, string>,
  re: RegExp,
  crate = 'ffi_deep_dive',
): { path: string; match: RegExpExecArray } | null {
  for (const [file, text] of sources) {
    const match = re.exec(text);
    if (match === null) continue;
    return { path: [crate, ...modulePath(file), name].join('::'), match };
  }
  return null;
}

/**
 * The Rust probe. `c` is the C measurement: a data-carrying enum's tag is read
 * with the size C gives it. Types the sources do not declare are reported in
 * `missing` and left out of the program.
 */
export function rustProbe(
  header: Header,
  sources: Map<string, string>,
  c: Measured,
): { source: string; missing: string[]; notes: string[] } {
  const helpers = helperTypes(header);
  const missing: string[] = [];
  const notes: string[] = [];
  const uses: string[] = [];
  const body: string[] = [];
  const find = (name: string): RustItem | null => {
    const item = findRustItem(name, sources);
    if (item === null) missing.push(name);
    else uses.push(`use ${item.path};`);
    return item;
  };
  const fieldSeg = (item: RustItem | null, seg: string): string =>
    item?.tuple === true && /^_\d+$/.test(seg) ? seg.slice(1) : seg;
  const tagged = new Set(header.types.filter((t) => taggedEnum(t, header) !== null).map((t) => t.name));

  for (const t of header.types) {
    if (helpers.has(t.name)) {
      notes.push(
        `${t.name}: cbindgen helper of ${helpers.get(t.name)}; measured in Rust through ${helpers.get(t.name)}`,
      );
      continue;
    }
    if (t.kind === 'opaque') {
      if (find(t.name) !== null)
        body.push(`    let _: *const ${t.name} = ::core::ptr::null(); println!("O\\t${t.name}");`);
      continue;
    }
    const item = find(t.name);
    if (item === null) continue;
    body.push(`    println!("T\\t${t.name}\\t{}\\t{}", size_of::<${t.name}>(), align_of::<${t.name}>());`);
    if (t.kind === 'enum') {
      const prefix = enumPrefix(t);
      for (const con of t.constants ?? []) {
        body.push(
          `    println!("E\\t${t.name}\\t${con}\\t{}", ${t.name}::${pascalFromScreaming(con.slice(prefix.length))} as i64);`,
        );
      }
      continue;
    }
    const te = taggedEnum(t, header);
    if (te !== null) {
      const tagSize = c.fields.get(t.name)?.get('tag')?.size ?? 4;
      const uint = { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' }[tagSize] ?? 'u32';
      body.push(`    println!("F\\t${t.name}\\ttag\\t0\\t-1");`);
      for (const v of te.variants) {
        const zeros = v.fields.map((f) => (v.shape === 'struct' ? `${f.rust}: z()` : 'z()')).join(', ');
        const value =
          v.shape === 'unit'
            ? `${t.name}::${v.rust}`
            : v.shape === 'tuple'
              ? `${t.name}::${v.rust}(${zeros})`
              : `${t.name}::${v.rust} { ${zeros} }`;
        const binds = v.fields.map((_f, i) => `f${i}`);
        const pattern =
          v.shape === 'unit'
            ? `${t.name}::${v.rust}`
            : v.shape === 'tuple'
              ? `${t.name}::${v.rust}(${binds.join(', ')})`
              : `${t.name}::${v.rust} { ${v.fields.map((f, i) => `${f.rust}: ${binds[i]}`).join(', ')} }`;
        body.push(`    {`);
        body.push(`        let v = ${value};`);
        body.push(`        let base = &v as *const ${t.name} as usize;`);
        body.push(
          `        // SAFETY: the value is live; its first ${tagSize} bytes are the tag in the C layout being checked.`,
          `        println!("E\\t${te.tag.name}\\t${v.constant}\\t{}", unsafe { ::core::ptr::read_unaligned(base as *const ${uint}) });`,
        );
        if (v.fields.length > 0) {
          body.push(`        #[allow(irrefutable_let_patterns)]`);
          body.push(`        if let ${pattern} = &v {`);
          v.fields.forEach((f, i) => {
            body.push(
              `            println!("F\\t${t.name}\\t${f.path}\\t{}\\t{}\\t{}", ${binds[i]} as *const _ as usize - base, sz(${binds[i]} as *const _), kind(${binds[i]} as *const _));`,
            );
          });
          if (v.bodyPath !== undefined) {
            body.push(
              `            println!("F\\t${t.name}\\t${v.bodyPath}\\t{}\\t-1", f0 as *const _ as usize - base);`,
            );
          }
          body.push(`        }`);
        }
        body.push(`    }`);
      }
      // Paths no variant reaches (a body's own copy of the tag in the union
      // layout, a unit variant's empty body): not measurable from Rust.
      const covered = new Set([
        'tag',
        ...te.variants.flatMap((v) => [...v.fields.map((f) => f.path), v.bodyPath ?? '']),
      ]);
      for (const f of fieldPaths(t, header)) {
        if (covered.has(f.path)) continue;
        notes.push(`${t.name}.${f.path}: no Rust field; checked in C and TS only`);
        body.push(`    println!("F\\t${t.name}\\t${f.path}\\t-1\\t-1");`);
      }
      continue;
    }
    if (t.kind === 'struct' || t.kind === 'union') {
      body.push(`    {`);
      body.push(`        let u = ::core::mem::MaybeUninit::<${t.name}>::uninit();`);
      body.push(`        let p = u.as_ptr();`);
      for (const f of fieldPaths(t, header)) {
        // Rust's offset_of! walks structs and unions; a path through a
        // data-carrying enum is checked by that enum's own entry.
        const segs = f.path.split('.');
        let owner: CType | undefined = t;
        let ownerItem: RustItem | null = item;
        const rustSegs: string[] = [];
        let ok = true;
        for (let i = 0; i < segs.length; i++) {
          if (owner === undefined || tagged.has(owner.name)) {
            ok = false;
            break;
          }
          rustSegs.push(fieldSeg(ownerItem, segs[i]));
          const member: FieldPath | undefined = fieldPaths(owner, header).find((p) => p.path === segs[i]);
          const next: string | null = member === undefined ? null : recordName(member.type, header);
          owner = next === null ? undefined : header.types.find((x) => x.name === next);
          ownerItem = next === null ? null : findRustItem(next, sources);
        }
        if (!ok) {
          notes.push(`${t.name}.${f.path}: goes through a data-carrying enum; checked by that enum's entry`);
          body.push(`        println!("F\\t${t.name}\\t${f.path}\\t-1\\t-1");`);
          continue;
        }
        const rp = rustSegs.join('.');
        body.push(
          `        // SAFETY: addr_of! on a field of an uninitialised value only computes an address.`,
          `        println!("F\\t${t.name}\\t${f.path}\\t{}\\t{}\\t{}", offset_of!(${t.name}, ${rp}), sz(unsafe { ::core::ptr::addr_of!((*p).${rp}) }), kind(unsafe { ::core::ptr::addr_of!((*p).${rp}) }));`,
        );
      }
      body.push(`    }`);
      continue;
    }
  }
  for (const k of header.constants) {
    if (!isNumericConstant(k.value)) continue;
    const cItem = findRustConst(k.name, sources);
    if (cItem === null) {
      missing.push(`#define ${k.name} (a pub const)`);
      continue;
    }
    uses.push(`use ${cItem};`);
    body.push(`    println!("K\\t${k.name}\\t{}", ${k.name});`);
  }
  // Header records are 'r' and fieldless enums 'e' in Rust too; cbindgen's
  // helper types do not exist in Rust.
  const recordKinds: string[] = [];
  for (const t of header.types) {
    if (helpers.has(t.name) || t.kind === 'opaque' || t.kind === 'alias') continue;
    if (findRustItem(t.name, sources) === null) continue;
    const k = t.kind === 'enum' && taggedEnum(t, header) === null ? 'e' : 'r';
    recordKinds.push(`impl Kind for ${t.name} { const K: char = '${k}'; }`);
  }
  const source = [
    '// Generated by scripts/abi/probes.ts from the header: do not edit.',
    '#![allow(unused_imports, unused_unsafe, clippy::all)]',
    'use ::core::mem::{align_of, offset_of, size_of};',
    ...[...new Set(uses)],
    '',
    '/// The size of the value a raw pointer points to (never read).',
    'fn sz<T>(_: *const T) -> usize {',
    '    size_of::<T>()',
    '}',
    '',
    '/// The kind of value a field holds (see `ScalarKind` in scripts/abi/probes.ts).',
    'trait Kind {',
    '    const K: char;',
    '}',
    'macro_rules! kinds {',
    '    ($k:literal: $($t:ty),*) => { $(impl Kind for $t { const K: char = $k; })* };',
    '}',
    "kinds!('i': i8, i16, i32, i64, i128, isize);",
    "kinds!('u': u8, u16, u32, u64, u128, usize, bool);",
    "kinds!('f': f32, f64);",
    "impl<T: ?Sized> Kind for *const T { const K: char = 'p'; }",
    "impl<T: ?Sized> Kind for *mut T { const K: char = 'p'; }",
    "impl<T: ?Sized> Kind for ::core::ptr::NonNull<T> { const K: char = 'p'; }",
    '/// `Option<extern "C" fn(..)>` and `Option<NonNull<T>>`: nullable pointers.',
    "impl<T> Kind for Option<T> { const K: char = 'p'; }",
    'impl<T: Kind, const N: usize> Kind for [T; N] { const K: char = T::K; }',
    ...recordKinds,
    '',
    '/// The kind of the value a raw pointer points to (never read).',
    'fn kind<T: Kind>(_: *const T) -> char {',
    '    T::K',
    '}',
    '',
    '/// An all-zero value, to build each variant of a data-carrying enum.',
    'fn z<T>() -> T {',
    '    // SAFETY: the fields of C-layout enums are numbers and raw pointers, for which 0 is valid.',
    '    unsafe { ::core::mem::zeroed() }',
    '}',
    '',
    'fn main() {',
    ...body,
    '}',
    '',
  ].join('\n');
  return { source, missing: [...new Set(missing)], notes };
}

/** `pub const NAME` in the sources → its path, or null. */
function findRustConst(name: string, sources: Map<string, string>): string | null {
  return findInCrate(name, sources, new RegExp(`^\\s*pub\\s+const\\s+${name}\\s*:`, 'm'))?.path ?? null;
}

const isTypeObject = (v: unknown): v is TypeObject =>
  typeof v === 'object' && v !== null && 'primitive' in v && 'size' in v && 'alignment' in v;

const squash = (s: string): string => s.replace(/_/g, '').toUpperCase();

/**
 * The TS measurement: the koffi type objects `raw` exports under the C names
 * (`pub` is the package root, searched for enums the raw layer lacks).
 */
export function tsMeasure(header: Header, raw: Record<string, unknown>, pub: Record<string, unknown>): Measured {
  const m = emptyMeasured();
  for (const t of header.types) {
    const v = raw[t.name];
    if (t.kind === 'opaque') {
      m.exists.add(t.name);
      if (v === undefined) m.notes.push(`${t.name}: opaque, not exported by ts/raw (nothing to measure)`);
      continue;
    }
    if (t.kind === 'enum') {
      const e = v ?? pub[t.name] ?? {};
      let values: Record<string, unknown> = e as Record<string, unknown>;
      if (isTypeObject(e)) {
        m.types.set(t.name, { size: koffi.sizeof(e), align: koffi.alignof(e) });
        values = (e.values ?? {}) as Record<string, unknown>;
      }
      const prefix = squash(enumPrefix(t));
      const byKey = new Map<string, number>();
      for (const [k, n] of Object.entries(values)) {
        if (typeof n === 'number' || typeof n === 'bigint') byKey.set(squash(k), Number(n));
      }
      const out = new Map<string, number>();
      for (const con of t.constants ?? []) {
        // The enum object's key, or else the constant exported on its own under its C name.
        const alone = raw[con];
        const n =
          byKey.get(squash(con)) ??
          byKey.get(squash(con).slice(prefix.length)) ??
          (typeof alone === 'number' ? alone : undefined);
        if (n !== undefined) out.set(con, n);
      }
      // Keys that name no C constant are reported as constants of their own.
      const known = new Set((t.constants ?? []).flatMap((c) => [squash(c), squash(c).slice(prefix.length)]));
      for (const [k, n] of byKey) if (!known.has(k)) out.set(`(TS only) ${k}`, n);
      m.enums.set(t.name, out);
      continue;
    }
    if (t.kind === 'alias') {
      if (isTypeObject(v)) m.types.set(t.name, { size: koffi.sizeof(v), align: koffi.alignof(v) });
      else m.notes.push(`${t.name}: alias, not exported by ts/raw as a koffi type (measured in C and Rust only)`);
      continue;
    }
    if (!isTypeObject(v)) {
      m.missing.push(
        `${t.kind} ${t.name} (export its koffi type from ts/raw as \`export const ${t.name} = koffi.${t.kind}({...})\`)`,
      );
      continue;
    }
    m.types.set(t.name, { size: koffi.sizeof(v), align: koffi.alignof(v) });
    const paths = fieldPaths(t, header);
    const cPaths = new Set(paths.map((p) => p.path));
    const fields = new Map<string, FieldLayout>();
    for (const p of paths) {
      const found = resolveMember(v, p.path.split('.'), '', cPaths);
      if (found !== null) fields.set(p.path, found);
    }
    m.fields.set(t.name, fields);
  }
  for (const k of header.constants) {
    if (!isNumericConstant(k.value)) continue;
    const v = raw[k.name];
    if (typeof v === 'number' || typeof v === 'bigint') m.constants.set(k.name, Number(v));
    else m.missing.push(`#define ${k.name} (export it from ts/raw: \`export const ${k.name} = ${k.value};\`)`);
  }
  return m;
}

/** Finds a C member path in a koffi type, looking through stand-ins for anonymous members. */
function resolveMember(type: TypeObject, segs: string[], prefix: string, cPaths: Set<string>): FieldLayout | null {
  const members = type.members ?? {};
  const [seg, ...rest] = segs;
  const direct = members[seg];
  if (direct !== undefined) {
    if (rest.length === 0)
      return { offset: direct.offset, size: koffi.sizeof(direct.type), kind: koffiKind(direct.type) };
    const inner = resolveMember(direct.type, rest, `${prefix}${seg}.`, cPaths);
    return inner === null ? null : { ...inner, offset: direct.offset + inner.offset };
  }
  for (const w of Object.values(members)) {
    const kind = w.type.primitive;
    if ((kind !== 'Record' && kind !== 'Union') || cPaths.has(prefix + w.name)) continue;
    const inner = resolveMember(w.type, segs, prefix, cPaths);
    if (inner !== null) return { ...inner, offset: w.offset + inner.offset };
  }
  return null;
}

/** The {@link ScalarKind} of a koffi type (an array has its element's kind, as in Rust). */
export function koffiKind(type: TypeObject): ScalarKind {
  const p = type.primitive;
  if (p === 'Array') return type.ref === undefined ? '?' : koffiKind(type.ref);
  if (p === 'Bool' || p.startsWith('UInt')) return 'u';
  if (p.startsWith('Int')) return 'i';
  if (p.startsWith('Float')) return 'f';
  if (p === 'Record' || p === 'Union') return 'r';
  if (p === 'Pointer' || p.startsWith('String') || p === 'Callback') return 'p';
  return '?';
}

/**
 * Every disagreement between the C measurement (the reference: the header is
 * the contract) and another side, one line each, naming type and field.
 */
export function compare(c: Measured, other: Measured, side: string): string[] {
  const out: string[] = [];
  for (const name of other.missing) out.push(`${name}: declared in the header but missing on the ${side} side`);
  for (const [name, cm] of c.types) {
    const om = other.types.get(name);
    if (om === undefined) continue;
    if (om.size !== cm.size) out.push(`${name}: size is ${cm.size} in C but ${om.size} in ${side}`);
    if (om.align !== cm.align) out.push(`${name}: alignment is ${cm.align} in C but ${om.align} in ${side}`);
  }
  for (const [name, cf] of c.fields) {
    const of = other.fields.get(name);
    if (of === undefined) continue;
    for (const [path, cv] of cf) {
      const ov = of.get(path);
      if (ov === undefined) {
        out.push(`${name}.${path}: field missing in ${side}`);
        continue;
      }
      if (ov.offset < 0) continue; // not measurable on this side (see the notes)
      if (ov.offset !== cv.offset) out.push(`${name}.${path}: offset is ${cv.offset} in C but ${ov.offset} in ${side}`);
      if (ov.size >= 0 && ov.size !== cv.size)
        out.push(`${name}.${path}: size is ${cv.size} in C but ${ov.size} in ${side}`);
      if (ov.kind !== undefined && cv.kind !== undefined && !kindsAgree(cv.kind, ov.kind))
        out.push(`${name}.${path}: is ${KIND_NAMES[cv.kind]} in C but ${KIND_NAMES[ov.kind]} in ${side}`);
    }
  }
  for (const [name, ce] of c.enums) {
    const oe = other.enums.get(name);
    if (oe === undefined) continue;
    for (const [con, cv] of ce) {
      const ov = oe.get(con);
      if (ov === undefined) out.push(`${name}::${con}: constant missing in ${side}`);
      else if (ov !== cv) out.push(`${name}::${con}: is ${cv} in C but ${ov} in ${side}`);
    }
    for (const [con, ov] of oe) if (!ce.has(con)) out.push(`${name}: ${side} has ${con} = ${ov}, which C does not`);
  }
  for (const [name, cv] of c.constants) {
    const ov = other.constants.get(name);
    if (ov !== undefined && ov !== cv) out.push(`${name}: #define is ${cv} in C but ${ov} in ${side}`);
  }
  return out;
}
