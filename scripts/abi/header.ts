/**
 * A parser for the C header cbindgen generates (c/include/ffi_deep_dive.h):
 * it lists every type (struct, union, enum, opaque, typedef), every field,
 * every enum constant, every `#define` constant and every function, so the
 * conformance checks are generated from the header instead of a hand-kept
 * list. It understands cbindgen 0.24's regular output (style "both"):
 *
 * - `typedef struct|union Name { ... } Name;`, `typedef enum Name { ... } Name;`
 * - sized enums: `enum Name { ... };` followed by `typedef uint8_t Name;`
 * - opaque types: `typedef struct Name Name;`
 * - data-carrying enums: `Name_Tag` plus per-variant `Name_Variant_Body`
 *   structs plus `struct Name { Name_Tag tag; union { ... }; }` whose
 *   anonymous union may hold anonymous structs (single-field tuple variants)
 * - aliases, including function pointers: `typedef bool (*Predicate)(...);`
 * - functions, one declaration per line.
 *
 * `#ifdef __cplusplus` blocks are dropped and `#ifndef __cplusplus` blocks
 * kept: this is the header as a C compiler sees it.
 */

/** One member of a struct or union, as declared. */
export interface Member {
  /** The member name; `null` for an anonymous struct/union member. */
  name: string | null;
  /** The C type as written (`float`, `struct Point`, `uint32_t *`, `Shape_Tag`). */
  type: string;
  /** For an anonymous member: its own members. */
  anonymous?: { kind: 'struct' | 'union'; members: Member[] };
}

/** A flattened field path of a record type: `x`, `a.x`, `CIRCLE.radius`, `one`. */
export interface FieldPath {
  /** The path as C's `offsetof` accepts it (anonymous members elided). */
  path: string;
  /** The C type of the last segment. */
  type: string;
  /** The number of named segments (1 for a direct or anonymous-flattened member). */
  depth: number;
}

export type TypeKind = 'struct' | 'union' | 'enum' | 'opaque' | 'alias';

/** A type the header declares. */
export interface CType {
  name: string;
  kind: TypeKind;
  /** struct/union: the members as declared. */
  members?: Member[];
  /** enum: the constants in order with their C names (values come from the C probe). */
  constants?: string[];
  /** enum declared with a storage type (`typedef uint8_t Name;`). */
  storage?: string;
  /** alias: the aliased C type (function pointers as written). */
  target?: string;
}

/** A function the header declares. */
export interface CFunction {
  name: string;
  returns: string;
  params: { name: string; type: string }[];
}

/** A `#define NAME value` with a value. */
export interface CConstant {
  name: string;
  value: string;
}

export interface Header {
  types: CType[];
  functions: CFunction[];
  constants: CConstant[];
}

/** Removes comments, keeping line structure. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

/** Applies the `__cplusplus` conditionals as a C compiler would; collects `#define`s. */
function preprocess(text: string, constants: CConstant[]): string {
  const out: string[] = [];
  // Stack of "is this branch active" flags.
  const active: boolean[] = [];
  const on = (): boolean => active.every(Boolean);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const directive = /^#\s*(\w+)\s*(.*)$/.exec(line);
    if (directive === null) {
      if (on()) out.push(raw);
      continue;
    }
    const [, word, rest] = directive;
    if (word === 'ifdef' || word === 'ifndef') {
      const isCpp = rest.trim() === '__cplusplus';
      // Only __cplusplus is decided; any other condition (the include guard) is taken.
      active.push(isCpp ? word === 'ifndef' : true);
    } else if (word === 'if') {
      active.push(!/__cplusplus/.test(rest) || /!\s*defined\s*\(?\s*__cplusplus/.test(rest));
    } else if (word === 'else') {
      active.push(!active.pop());
    } else if (word === 'endif') {
      active.pop();
    } else if (word === 'define' && on()) {
      const def = /^(\w+)\s+(.+)$/.exec(rest.trim());
      if (def !== null) constants.push({ name: def[1], value: def[2].trim() });
    }
  }
  return out.join('\n');
}

/** Splits `text` at `sep` characters that are outside any (), {} or []. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The index of the `}` matching the `{` at `open`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`header parser: unbalanced braces after ${JSON.stringify(text.slice(open, open + 60))}`);
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Parses one member declaration (without the trailing `;`). */
function parseMember(decl: string): Member {
  const d = norm(decl);
  const anon = /^(struct|union)\s*\{/.exec(d);
  if (anon !== null) {
    const open = d.indexOf('{');
    const close = matchingBrace(d, open);
    const after = d.slice(close + 1).trim();
    const inner = parseMembers(d.slice(open + 1, close));
    const kind = anon[1] as 'struct' | 'union';
    if (after === '') return { name: null, type: kind, anonymous: { kind, members: inner } };
    return { name: after, type: kind, anonymous: { kind, members: inner } };
  }
  // Function pointer: `R (*name)(args)`.
  const fp = /^(.*)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)$/.exec(d);
  if (fp !== null) return { name: fp[2], type: `${norm(fp[1])} (*)(${norm(fp[3])})` };
  // Array: `T name[N]`.
  const arr = /^(.*?)\s*\b(\w+)\s*(\[.*\])$/.exec(d);
  if (arr !== null) return { name: arr[2], type: `${norm(arr[1])} ${arr[3]}` };
  const plain = /^(.*?)\s*\b(\w+)$/.exec(d);
  if (plain === null) throw new Error(`header parser: cannot read member ${JSON.stringify(d)}`);
  return { name: plain[2], type: norm(plain[1]) };
}

function parseMembers(body: string): Member[] {
  return splitTopLevel(body, ';').map(parseMember);
}

function parseEnumBody(body: string): string[] {
  return splitTopLevel(body, ',').map((c) => {
    const m = /^(\w+)/.exec(c.trim());
    if (m === null) throw new Error(`header parser: cannot read enum constant ${JSON.stringify(c)}`);
    return m[1];
  });
}

function parseFunction(decl: string): CFunction | null {
  const d = norm(decl);
  const open = d.indexOf('(');
  if (open < 0 || !d.endsWith(')')) return null;
  const head = /^(.*?)\b(\w+)\s*$/.exec(d.slice(0, open));
  if (head === null) return null;
  const args = d.slice(open + 1, -1).trim();
  const params =
    args === '' || args === 'void'
      ? []
      : splitTopLevel(args, ',').map((p, i) => {
          const m = parseMember(p);
          return { name: m.name ?? `arg${i}`, type: m.type };
        });
  return { name: head[2], returns: norm(head[1]), params };
}

/** Parses the text of a cbindgen-generated C header. */
export function parseHeader(source: string): Header {
  const constants: CConstant[] = [];
  const text = preprocess(stripComments(source), constants).replace(/^\s*#.*$/gm, '');
  const types = new Map<string, CType>();
  const functions: CFunction[] = [];
  const add = (t: CType): void => {
    const old = types.get(t.name);
    // A definition replaces an opaque forward declaration; a sized enum's
    // `typedef uint8_t Name;` becomes its storage type.
    if (old !== undefined && old.kind === 'enum' && t.kind === 'alias') {
      old.storage = t.target;
      return;
    }
    if (old !== undefined && old.kind !== 'opaque' && t.kind === 'opaque') return;
    types.set(t.name, t);
  };

  // Top-level declarations end at a `;` outside braces.
  for (const decl of splitTopLevel(text, ';')) {
    const d = norm(decl);
    if (d.startsWith('extern ')) continue;
    const isTypedef = d.startsWith('typedef ');
    const rest = isTypedef ? d.slice('typedef '.length) : d;
    const tagged = /^(struct|union|enum)\s+(\w+)?\s*(\{)?/.exec(rest);
    if (tagged !== null && (tagged[3] !== undefined || isTypedef)) {
      const kind = tagged[1] as 'struct' | 'union' | 'enum';
      const tag = tagged[2];
      if (tagged[3] !== undefined) {
        const open = rest.indexOf('{');
        const close = matchingBrace(rest, open);
        const body = rest.slice(open + 1, close);
        const alias = rest.slice(close + 1).trim();
        const name = alias !== '' ? alias : tag;
        if (name === undefined) throw new Error(`header parser: unnamed ${kind} ${JSON.stringify(d.slice(0, 80))}`);
        if (kind === 'enum') add({ name, kind, constants: parseEnumBody(body) });
        else add({ name, kind, members: parseMembers(body) });
      } else {
        // `typedef struct Name Name;`: opaque unless defined elsewhere.
        const alias = rest.slice(tagged[0].length).trim();
        if (kind !== 'enum' && alias !== '') add({ name: alias, kind: 'opaque' });
        else add({ name: alias, kind: 'alias', target: `${kind} ${tag}` });
      }
      continue;
    }
    if (isTypedef) {
      const m = parseMember(rest);
      if (m.name === null) throw new Error(`header parser: cannot read typedef ${JSON.stringify(d)}`);
      add({ name: m.name, kind: 'alias', target: m.type });
      continue;
    }
    if (/^(struct|union|enum)\s+\w+$/.test(d)) continue; // forward declaration
    const f = parseFunction(d);
    if (f === null) throw new Error(`header parser: cannot read declaration ${JSON.stringify(d.slice(0, 120))}`);
    functions.push(f);
  }
  return { types: [...types.values()], functions, constants };
}

/** The name of a record type a member type refers to (`struct Point` → `Point`), if any. */
export function recordName(type: string, header: Header): string | null {
  const m = /^(?:const\s+)?(?:struct\s+|union\s+)?(\w+)$/.exec(type.trim());
  if (m === null) return null;
  const t = header.types.find((x) => x.name === m[1]);
  return t !== undefined && (t.kind === 'struct' || t.kind === 'union') ? t.name : null;
}

/**
 * Every field path of a struct/union: direct members, members of anonymous
 * structs/unions (flattened, as C names them), and members of nested named
 * records (`a.x`), recursively.
 */
export function fieldPaths(t: CType, header: Header): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (members: Member[], prefix: string, depth: number): void => {
    for (const m of members) {
      if (m.name === null) {
        walk(m.anonymous?.members ?? [], prefix, depth);
        continue;
      }
      const path = prefix + m.name;
      if (m.anonymous !== undefined) {
        out.push({ path, type: m.type, depth: depth + 1 });
        walk(m.anonymous.members, `${path}.`, depth + 1);
        continue;
      }
      out.push({ path, type: m.type, depth: depth + 1 });
      const inner = recordName(m.type, header);
      const innerType = inner === null ? undefined : header.types.find((x) => x.name === inner);
      if (innerType?.members !== undefined) walk(innerType.members, `${path}.`, depth + 1);
    }
  };
  walk(t.members ?? [], '', 0);
  return out;
}

/** cbindgen's ScreamingSnakeCase: `FfiStatus` → `FFI_STATUS`, `Shape` → `SHAPE`. */
export function screamingSnake(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (i > 0 && c >= 'A' && c <= 'Z' && name[i - 1] !== '_') out += '_';
    out += c.toUpperCase();
  }
  return out;
}

/** The inverse for variant names: `NULL_ARGUMENT` → `NullArgument`, `I_PV4` → `IPv4`. */
export function pascalFromScreaming(name: string): string {
  return name
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0] + p.slice(1).toLowerCase())
    .join('');
}

/**
 * The prefix cbindgen put before each constant of an enum (`prefix_with_name`):
 * `SCREAMING(Enum)_`, where a data-carrying enum's `Shape_Tag` uses `Shape`'s.
 * Empty when the constants do not all carry it.
 */
export function enumPrefix(t: CType): string {
  const base = t.name.endsWith('_Tag') ? t.name.slice(0, -'_Tag'.length) : t.name;
  const prefix = `${screamingSnake(base)}_`;
  return (t.constants ?? []).every((c) => c.startsWith(prefix)) ? prefix : '';
}

/** A data-carrying enum (`#[repr(C)] enum Shape { Circle { .. }, .. }`) as cbindgen lays it out. */
export interface TaggedEnum {
  /** The enum's name: the C struct `Shape`, and the Rust enum `Shape`. */
  name: string;
  /** The C tag enum, `Shape_Tag`. */
  tag: CType;
  variants: {
    /** The Rust variant name, e.g. `Circle`. */
    rust: string;
    /** The tag constant, e.g. `SHAPE_CIRCLE`. */
    constant: string;
    /** How the Rust variant is built: unit, tuple (`_0`, `_1`) or struct (named fields). */
    shape: 'unit' | 'tuple' | 'struct';
    /** The variant's fields in Rust order, each with its C path inside the enum's struct. */
    fields: { rust: string; path: string; type: string }[];
    /** The C member holding the variant's body (`CIRCLE`), when it is a named member. */
    bodyPath?: string;
  }[];
}

/**
 * Recognises cbindgen's two layouts of a data-carrying enum `E` (RFC 2195),
 * both with a tag enum `E_Tag` and per-variant `E_Variant_Body` structs:
 *
 * - `#[repr(C)]` / `#[repr(C, u8)]`: `struct E { E_Tag tag; union { E_V_Body V; ... }; }`,
 *   where a single-field tuple variant is an anonymous struct in the union;
 * - `#[repr(u8)]` etc.: `union E { E_Tag tag; E_V_Body V; ... }`, where every
 *   body starts with its own `E_Tag tag`.
 *
 * Returns null for any other type.
 */
export function taggedEnum(t: CType, header: Header): TaggedEnum | null {
  if ((t.kind !== 'struct' && t.kind !== 'union') || t.members === undefined) return null;
  const tag = header.types.find((x) => x.name === `${t.name}_Tag` && x.kind === 'enum');
  if (tag === undefined || t.members[0]?.name !== 'tag') return null;
  const unionMembers =
    t.kind === 'union'
      ? t.members.slice(1)
      : (t.members.find((m) => m.name === null && m.anonymous?.kind === 'union')?.anonymous?.members ?? []);
  const prefix = enumPrefix(tag);
  const variants = (tag.constants ?? []).map((constant) => {
    const rust = pascalFromScreaming(constant.slice(prefix.length));
    const bodyName = `${t.name}_${rust}_Body`;
    const bodyMember = unionMembers.find((m) => m.name !== null && recordName(m.type, header) === bodyName);
    if (bodyMember?.name != null) {
      const body = header.types.find((x) => x.name === bodyName);
      // In the union layout each body repeats the tag first: not a Rust field.
      const members = (body?.members ?? []).filter((m, i) => !(t.kind === 'union' && i === 0 && m.name === 'tag'));
      const isTuple = members.length > 0 && members.every((m) => m.name !== null && /^_\d+$/.test(m.name));
      return {
        rust,
        constant,
        shape: members.length === 0 ? ('unit' as const) : isTuple ? ('tuple' as const) : ('struct' as const),
        bodyPath: t.kind === 'struct' ? bodyMember.name : undefined,
        fields: members.map((m) => ({
          rust: m.name ?? '',
          path: `${bodyMember.name}.${m.name ?? ''}`,
          type: m.type,
        })),
      };
    }
    // A single-field tuple variant: an anonymous struct holding one member
    // named after the variant in snake_case (after `<name>_tag` in the union layout).
    const flat = rust.toLowerCase();
    const named = (m: Member): boolean => (m.name ?? '').replace(/_/g, '').toLowerCase() === flat;
    const inline = unionMembers.find((m) => m.name === null && m.anonymous?.members.some(named) === true);
    const field = inline?.anonymous?.members.find(named);
    if (field?.name != null) {
      return { rust, constant, shape: 'tuple' as const, fields: [{ rust: '_0', path: field.name, type: field.type }] };
    }
    return { rust, constant, shape: 'unit' as const, fields: [] };
  });
  return { name: t.name, tag, variants };
}

/** Names of the helper types cbindgen generated for data-carrying enums (`E_Tag`, `E_V_Body`). */
export function helperTypes(header: Header): Map<string, string> {
  const helpers = new Map<string, string>();
  for (const t of header.types) {
    const te = taggedEnum(t, header);
    if (te === null) continue;
    helpers.set(te.tag.name, te.name);
    for (const m of fieldPaths(t, header)) {
      const r = recordName(m.type, header);
      if (r !== null && r.startsWith(`${t.name}_`) && r.endsWith('_Body')) helpers.set(r, te.name);
    }
  }
  return helpers;
}
