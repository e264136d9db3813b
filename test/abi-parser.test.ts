/**
 * The header parser behind the ABI conformance checks, on a fixture that
 * holds every kind of type cbindgen 0.24.3 emits with this repository's
 * cbindgen.toml (test/fixtures/abi/scratch.h), generated from:
 *
 *   #[repr(C)] pub struct Point { pub x: f32, pub y: f32 }
 *   #[repr(C)] pub struct Line { pub a: Point, pub b: Point, pub tag: u8 }
 *   #[repr(C)] pub union IntOrFloat { pub as_int: i32, pub as_float: f32 }
 *   #[repr(C)] pub enum EitherTag { Left, Right }
 *   #[repr(C)] pub struct Either { pub tag: EitherTag, pub value: IntOrFloat }
 *   #[repr(C)] pub enum Shape { Circle { radius: f64 }, Rectangle { width: f64, height: f64 },
 *                               Triangle { a: f64, b: f64, c: f64 } }
 *   #[repr(C, u8)] pub enum Mixed { Nothing, One(i32), Two(u8, f64), BigThing { x: u64 } }
 *   #[repr(C)] pub struct Tuple(pub u32, pub u32);
 *   pub struct OpaquePoint { x: f32 }
 *   #[repr(u8)] pub enum Small { A = 1, B = 200 }
 *   #[repr(C)] pub struct U32Array { pub data: *mut u32, pub len: usize, pub capacity: usize }
 *   pub type Predicate = Option<unsafe extern "C" fn(value: u32, user_data: *mut c_void) -> bool>;
 *   pub const MAX_THINGS: u32 = 42;
 *   #[repr(u32)] pub enum Prim { A, B(i32), C { x: f64 } }
 *
 * (The generators were also run three-way against that crate's rlib; the C
 * probe is compiled here to prove the generated `offsetof` paths are valid C.)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fieldPaths,
  helperTypes,
  parseHeader,
  pascalFromScreaming,
  screamingSnake,
  taggedEnum,
} from '../scripts/abi/header';
import { cProbe, findRustItem, parseProbeOutput } from '../scripts/abi/probes';

const FIXTURE = path.join(__dirname, 'fixtures', 'abi', 'scratch.h');
const header = parseHeader(fs.readFileSync(FIXTURE, 'utf8'));
const type = (name: string) => {
  const t = header.types.find((x) => x.name === name);
  if (t === undefined) throw new Error(`fixture has no ${name}`);
  return t;
};
const paths = (name: string) => fieldPaths(type(name), header).map((p) => p.path);

describe('parseHeader on cbindgen output', () => {
  it('finds every type with its kind', () => {
    expect(Object.fromEntries(header.types.map((t) => [t.name, t.kind]))).toEqual({
      EitherTag: 'enum',
      Small: 'enum',
      OpaquePoint: 'opaque',
      Tuple: 'struct',
      Point: 'struct',
      Line: 'struct',
      IntOrFloat: 'union',
      Either: 'struct',
      Shape_Tag: 'enum',
      Shape_Circle_Body: 'struct',
      Shape_Rectangle_Body: 'struct',
      Shape_Triangle_Body: 'struct',
      Shape: 'struct',
      Mixed_Tag: 'enum',
      Mixed_Two_Body: 'struct',
      Mixed_BigThing_Body: 'struct',
      Mixed: 'struct',
      U32Array: 'struct',
      Predicate: 'alias',
      Prim_Tag: 'enum',
      Prim_C_Body: 'struct',
      Prim: 'union',
    });
    expect(type('Small').storage).toBe('uint8_t');
    expect(type('Shape_Tag').constants).toEqual(['SHAPE_CIRCLE', 'SHAPE_RECTANGLE', 'SHAPE_TRIANGLE']);
  });

  it('flattens nested records and anonymous unions/structs into C member paths', () => {
    expect(paths('Line')).toEqual(['a', 'a.x', 'a.y', 'b', 'b.x', 'b.y', 'tag']);
    expect(paths('Either')).toEqual(['tag', 'value', 'value.as_int', 'value.as_float']);
    expect(paths('Mixed')).toEqual(['tag', 'one', 'TWO', 'TWO._0', 'TWO._1', 'BIG_THING', 'BIG_THING.x']);
    expect(paths('Shape')).toContain('TRIANGLE.c');
    expect(paths('U32Array')).toEqual(['data', 'len', 'capacity']);
  });

  it('reads functions, parameters and #define constants', () => {
    expect(header.functions.map((f) => f.name)).toEqual(['f1', 'f2', 'f3']);
    expect(header.functions[0].params.map((p) => p.type)).toContain('Predicate');
    expect(header.functions[1]).toEqual({
      name: 'f2',
      returns: 'int32_t',
      params: [
        { name: 'a', type: 'int32_t' },
        { name: 'b', type: 'int32_t' },
      ],
    });
    expect(header.constants).toEqual([{ name: 'MAX_THINGS', value: '42' }]);
  });

  it('maps data-carrying enums to their Rust variants and helper types', () => {
    const mixed = taggedEnum(type('Mixed'), header);
    expect(mixed?.variants.map((v) => [v.rust, v.shape, v.fields.map((f) => f.path)])).toEqual([
      ['Nothing', 'unit', []],
      ['One', 'tuple', ['one']],
      ['Two', 'tuple', ['TWO._0', 'TWO._1']],
      ['BigThing', 'struct', ['BIG_THING.x']],
    ]);
    expect(taggedEnum(type('Either'), header)).toBeNull();
    // The union layout of a primitive-repr enum: each body repeats the tag.
    expect(paths('Prim')).toEqual(['tag', 'b_tag', 'b', 'C', 'C.tag', 'C.x']);
    const prim = taggedEnum(type('Prim'), header);
    expect(prim?.variants.map((v) => [v.rust, v.shape, v.fields.map((f) => f.path)])).toEqual([
      ['A', 'unit', []],
      ['B', 'tuple', ['b']],
      ['C', 'struct', ['C.x']],
    ]);
    expect([...helperTypes(header).keys()].sort()).toEqual(
      [
        'Mixed_BigThing_Body',
        'Mixed_Tag',
        'Mixed_Two_Body',
        'Shape_Circle_Body',
        'Shape_Rectangle_Body',
        'Shape_Tag',
        'Shape_Triangle_Body',
        'Prim_Tag',
        'Prim_C_Body',
      ].sort(),
    );
  });

  it('converts names like cbindgen', () => {
    expect(screamingSnake('FfiStatus')).toBe('FFI_STATUS');
    expect(pascalFromScreaming('NULL_ARGUMENT')).toBe('NullArgument');
    expect(pascalFromScreaming(screamingSnake('IPv4'))).toBe('IPv4');
    expect(pascalFromScreaming(screamingSnake('InvalidUtf8'))).toBe('InvalidUtf8');
  });

  it('finds Rust items and their module paths', () => {
    const src = new Map([
      ['lib.rs', 'pub mod shapes;'],
      ['shapes.rs', 'pub struct Tuple(pub u32, pub u32);\n#[repr(C)]\npub enum Shape {\n}'],
    ]);
    expect(findRustItem('Tuple', src)).toEqual({ path: 'ffi_deep_dive::shapes::Tuple', kind: 'struct', tuple: true });
    expect(findRustItem('Shape', src)?.kind).toBe('enum');
    expect(findRustItem('Nope', src)).toBeNull();
  });

  it('generates a C probe that compiles and measures the fixture', () => {
    const out = path.join(__dirname, '..', 'build', 'abi');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'fixture_probe.c'), cProbe(header, 'scratch.h'));
    execFileSync(process.env.CC ?? 'gcc', [
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-pedantic',
      `-I${path.dirname(FIXTURE)}`,
      path.join(out, 'fixture_probe.c'),
      '-o',
      path.join(out, 'fixture_probe'),
    ]);
    const m = parseProbeOutput(execFileSync(path.join(out, 'fixture_probe'), { encoding: 'utf8' }));
    expect(m.fields.get('Shape')?.get('TRIANGLE.c')).toEqual({ offset: 24, size: 8, kind: 'f' });
    expect(m.fields.get('Mixed')?.get('one')).toEqual({ offset: 8, size: 4, kind: 'i' });
    expect(m.fields.get('Mixed')?.get('TWO._1')).toEqual({ offset: 16, size: 8, kind: 'f' });
    expect(m.types.get('Small')).toEqual({ size: 1, align: 1 });
    expect(m.enums.get('Small')?.get('SMALL_B')).toBe(200);
    expect(m.types.get('Predicate')?.size).toBe(8);
    expect(m.constants.get('MAX_THINGS')).toBe(42);
    expect(m.exists.has('OpaquePoint')).toBe(true);
    expect(m.fields.get('Prim')?.get('C.x')).toEqual({ offset: 8, size: 8, kind: 'f' });
    expect(m.fields.get('Prim')?.get('b')).toEqual({ offset: 4, size: 4, kind: 'i' });
    // The kind of every scalar class: unsigned, pointer, record, bool.
    expect(m.fields.get('U32Array')?.get('data')?.kind).toBe('p');
    expect(m.fields.get('U32Array')?.get('len')?.kind).toBe('u');
    expect(m.fields.get('Line')?.get('a')?.kind).toBe('r');
    expect(m.fields.get('Line')?.get('tag')?.kind).toBe('u');
    expect(m.fields.get('Tuple')?.get('_0')?.kind).toBe('u');
  });
});
