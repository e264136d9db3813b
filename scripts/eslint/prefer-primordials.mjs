// ESLint rule `local/prefer-primordials`: outside ts/primordials.ts, the
// package's TypeScript must not look a built-in up at call time (issue 20,
// after Node core's tools/eslint-rules/prefer-primordials.js and
// deno_lint's rule of the same name). With typescript-eslint's type
// information it reports:
//
// - a global intrinsic used as a value (`Math`, `Object`, `Reflect`, `Array`,
//   `Promise`, `Uint32Array`, `queueMicrotask`, ...): take the captured one
//   from ts/primordials.ts;
// - a call of a method that a built-in declares (`array.push(x)`,
//   `registry.register(...)`, `fn.call(...)`, `promise.then(...)`,
//   `text.charCodeAt(0)`, `buffer.toString()`), and a read of a built-in
//   accessor (`view.length`, `view.buffer`, `map.size`), unless the receiver
//   is one of the `Safe*` classes of ts/primordials.ts (their prototypes are
//   private, frozen copies) or the property is an own data property of every
//   such value (`array.length`, `string.length`, a RegExp match's `index`);
// - an element read or write on a plain array or tuple (`open[open.length] =
//   b`, `pool[slot]`): a hole, or an index the array does not own yet, runs
//   whatever accessor `Array.prototype` or `Object.prototype` has for it;
// - the iterator protocol: `for…of`, spread into an array or a call, array
//   destructuring (each looks `Symbol.iterator` and `next` up), unless the
//   iterable is a `Safe*` iterator;
// - `instanceof` (it looks `Symbol.hasInstance` up and walks prototypes).
//
// Reading the caller's own arrays (whose getters are user code by design) is
// allowed with an `eslint-disable-next-line local/prefer-primordials -- why`.
import { ESLintUtils } from '@typescript-eslint/utils';
import ts from 'typescript';

/** Globals whose use after load must go through ts/primordials.ts. */
const INTRINSICS = new Set([
  'AggregateError',
  'Array',
  'ArrayBuffer',
  'Atomics',
  'BigInt',
  'BigInt64Array',
  'BigUint64Array',
  'Boolean',
  'Buffer',
  'DataView',
  'Date',
  'Error',
  'EvalError',
  'FinalizationRegistry',
  'Float32Array',
  'Float64Array',
  'Function',
  'Int16Array',
  'Int32Array',
  'Int8Array',
  'Intl',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Promise',
  'Proxy',
  'RangeError',
  'ReferenceError',
  'Reflect',
  'RegExp',
  'Set',
  'SharedArrayBuffer',
  'String',
  'Symbol',
  'SyntaxError',
  'TypeError',
  'URIError',
  'Uint16Array',
  'Uint32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'WeakMap',
  'WeakRef',
  'WeakSet',
  'clearImmediate',
  'clearInterval',
  'clearTimeout',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'isFinite',
  'isNaN',
  'parseFloat',
  'parseInt',
  'process',
  'queueMicrotask',
  'setImmediate',
  'setInterval',
  'setTimeout',
  'structuredClone',
]);

/** Own data properties of every value of these built-in types: reading them runs no inherited code. */
const OWN_DATA = new Map([
  ['Array', new Set(['length'])],
  ['ReadonlyArray', new Set(['length'])],
  ['String', new Set(['length'])],
  ['RegExpExecArray', new Set(['length', 'index', 'input', 'groups'])],
  ['RegExpMatchArray', new Set(['length', 'index', 'input', 'groups'])],
  // What Reflect.getOwnPropertyDescriptor returns: an object with own data properties.
  ['PropertyDescriptor', new Set(['value', 'writable', 'get', 'set', 'enumerable', 'configurable'])],
  ['TypedPropertyDescriptor', new Set(['value', 'writable', 'get', 'set', 'enumerable', 'configurable'])],
]);

/** Whether `declaration` comes from TypeScript's lib files or Node's typings (a built-in). */
function isBuiltinDeclaration(program, declaration) {
  const file = declaration.getSourceFile();
  if (program.isSourceFileDefaultLibrary(file)) return true;
  const name = file.fileName.replaceAll('\\', '/');
  return name.includes('/typescript/lib/') || name.includes('/@types/node/');
}

/** The names of the built-in types `type` is, or is a union of (null and undefined left out). */
function builtinTypeNames(program, checker, type) {
  const names = [];
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
    if (part.flags & ts.TypeFlags.StringLike) {
      names.push('String');
      continue;
    }
    if (checker.isTupleType(part)) {
      names.push('Array');
      continue;
    }
    const symbol = part.getSymbol() ?? part.aliasSymbol;
    if (symbol === undefined) continue;
    const declarations = symbol.getDeclarations() ?? [];
    if (declarations.some((d) => isBuiltinDeclaration(program, d))) names.push(symbol.getName());
  }
  return names;
}

/** Whether `type` is one of ts/primordials.ts's `Safe*` classes (or a union of them). */
function isSafe(type) {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => {
    if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) return true;
    const symbol = part.getSymbol();
    return symbol !== undefined && symbol.getName().startsWith('Safe');
  });
}

/** Whether `type` is a plain array or tuple (any union member). */
function isArrayLike(checker, type) {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => checker.isArrayType(part) || checker.isTupleType(part));
}

export const preferPrimordials = ESLintUtils.RuleCreator.withoutDocs({
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      global:
        "'{{name}}' is a global intrinsic: use the one ts/primordials.ts captured at load (user code may replace the global).",
      method:
        "'{{name}}' is looked up on a built-in ({{type}}) at call time: call the uncurried capture from ts/primordials.ts (e.g. {{type}}Prototype…) or use a Safe* class.",
      accessor:
        "'{{name}}' is read from a built-in ({{type}}) at call time: use the captured getter from ts/primordials.ts.",
      element:
        'Element access on a plain array: a hole or an index it does not own runs accessors inherited from Array.prototype/Object.prototype. Use a typed array, a Safe* collection or a closure.',
      iterate:
        '{{what}} uses the iterator protocol (Symbol.iterator, next) of a built-in, which user code may patch: use an index loop or a Safe* iterator.',
      instanceof:
        "'instanceof' looks up Symbol.hasInstance and walks prototypes: use a brand check (#field in x) or a captured intrinsic.",
    },
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const program = services.program;
    const checker = program.getTypeChecker();
    const typeOf = (node) => services.getTypeAtLocation(node);

    function checkIterable(node, argument, what) {
      if (isSafe(typeOf(argument))) return;
      context.report({ node, messageId: 'iterate', data: { what } });
    }

    return {
      'Program:exit'(program_) {
        const globalScope = context.sourceCode.getScope(program_);
        const seen = new Set();
        const check = (reference) => {
          const id = reference.identifier;
          if (seen.has(id) || !INTRINSICS.has(id.name)) return;
          if (reference.isTypeReference && !reference.isValueReference) return;
          const variable = reference.resolved;
          // Unresolved, or a global the lib declares (no definition in this file).
          if (variable !== null && variable.defs.length > 0) return;
          seen.add(id);
          context.report({ node: id, messageId: 'global', data: { name: id.name } });
        };
        for (const reference of globalScope.through) check(reference);
        for (const variable of globalScope.variables) {
          if (variable.defs.length === 0) for (const reference of variable.references) check(reference);
        }
      },

      MemberExpression(node) {
        const objectType = typeOf(node.object);
        if (node.computed) {
          // Element access (read or write) on a plain array or tuple.
          if (isArrayLike(checker, objectType)) context.report({ node, messageId: 'element' });
          return;
        }
        if (node.property.type !== 'Identifier') return; // #private
        if (isSafe(objectType)) return;
        const types = builtinTypeNames(program, checker, objectType);
        if (types.length === 0) return;
        const name = node.property.name;
        const symbol = services.getSymbolAtLocation(node.property);
        const declarations = symbol?.getDeclarations() ?? [];
        if (declarations.length === 0 || !declarations.some((d) => isBuiltinDeclaration(program, d))) return;
        const isCall = node.parent.type === 'CallExpression' && node.parent.callee === node;
        // fn.call/apply/bind: Function.prototype's, whatever the function's own type is named.
        const shown = (name === 'call' || name === 'apply' || name === 'bind') && isCall ? ['Function'] : types;
        if (!isCall && types.every((t) => OWN_DATA.get(t)?.has(name))) return;
        context.report({
          node: node.property,
          messageId: isCall ? 'method' : 'accessor',
          data: { name, type: shown.join(' | ') },
        });
      },

      ForOfStatement(node) {
        checkIterable(node.right, node.right, 'for…of');
      },
      SpreadElement(node) {
        if (node.parent.type === 'ObjectExpression') return; // copies own properties: no iterator
        checkIterable(node, node.argument, 'Spread');
      },
      ArrayPattern(node) {
        context.report({ node, messageId: 'iterate', data: { what: 'Array destructuring' } });
      },
      BinaryExpression(node) {
        if (node.operator === 'instanceof') context.report({ node, messageId: 'instanceof' });
      },
    };
  },
});

/** The plugin eslint.config.mjs registers as `local`. */
export default { rules: { 'prefer-primordials': preferPrimordials } };
