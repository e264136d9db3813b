// typedoc plugin for `make docs` (typedoc.json "plugin"): the API reference
// reads like the package's users see it.
//
// - Modules are named by their import path: `ffi-deep-dive` and
//   `ffi-deep-dive/raw` (not `index` and `raw/index`).
// - Entries are grouped by concept, the module they are declared in
//   (ts/strings.ts and ts/raw/strings.ts: "Strings"), in the README's order,
//   instead of by kind (Functions, Variables, ...).
// - The raw layer's functions (`export const f = lib.func(...) as Native<F>`)
//   are shown as functions with their parameters, under their C signature
//   (the first line of their doc comment), not as variables of an opaque
//   intersection type. typedoc does that for a variable whose comment has
//   the `@function` modifier; this plugin adds the modifier to every callable
//   variable declared in ts/raw/, so the raw files need no typedoc-only tags.
// - The README's links into the reference (`docs/api/functions/...html`, right on GitHub and in a
//   checkout) point at the same pages from the landing page, which lives in docs/api itself. typedoc
//   cannot resolve them while it writes them (typedoc.json turns its invalidPath warning off for that);
//   `node scripts/check-docs.js` checks every relative link of the landing page and of the docs instead.
import * as path from 'node:path';
import { Context, Converter, ReflectionKind, Comment, CommentTag, PageEvent } from 'typedoc';

/** The concept of each module (by file name), in the README's order. */
export const CONCEPTS = [
  ['status', 'Errors'],
  ['numbers', 'Numbers'],
  ['strings', 'Strings'],
  ['point', 'Structs: Point'],
  ['opaque', 'Opaque pointers: OpaquePoint'],
  ['unions', 'Unions and tagged unions'],
  ['enums', 'Data-carrying enums: Shape'],
  ['tuples', 'Tuples'],
  ['slices', 'Slices'],
  ['callbacks', 'Callbacks'],
  ['async', 'Async'],
  ['version', 'Versions'],
  ['validate', 'Argument checks'],
  ['library', 'Loading the library'],
  ['types', 'Raw types'],
];
const conceptOf = new Map(CONCEPTS);

/** The module names users import. */
const IMPORT_PATHS = new Map([
  ['index', 'ffi-deep-dive'],
  ['raw', 'ffi-deep-dive/raw'],
  ['raw/index', 'ffi-deep-dive/raw'],
]);

const RAW_DIR = `${path.sep}ts${path.sep}raw${path.sep}`;

/** The concept of a file: its base name's, or the base name capitalised. */
function concept(fileName) {
  const base = path.basename(fileName).replace(/\.(d\.)?ts$/, '');
  return conceptOf.get(base) ?? base.charAt(0).toUpperCase() + base.slice(1);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Raw functions as functions: the @function modifier on their comment, added where typedoc reads it.
  const getComment = Context.prototype.getComment;
  Context.prototype.getComment = function (symbol, kind) {
    const comment = getComment.call(this, symbol, kind);
    const declaration = symbol.getDeclarations()?.[0];
    if (
      comment !== undefined &&
      kind === ReflectionKind.Variable &&
      declaration !== undefined &&
      declaration.getSourceFile().fileName.split('/').join(path.sep).includes(RAW_DIR)
    ) {
      const type = this.checker.getTypeOfSymbolAtLocation(symbol, declaration);
      if (type.getCallSignatures().length > 0 && type.getConstructSignatures().length === 0) {
        comment.modifierTags.add('@function');
      }
    }
    return comment;
  };

  // Concept groups: a @group tag from the file each export is declared in.
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) return;
    const file = context.getSymbolFromReflection(reflection)?.getDeclarations()?.[0]?.getSourceFile().fileName;
    if (file === undefined) return;
    const tag = new CommentTag('@group', [{ kind: 'text', text: concept(file) }]);
    reflection.comment ??= new Comment();
    reflection.comment.blockTags.push(tag);
  });

  // Import paths as module names, and the concepts in the README's order.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const name = IMPORT_PATHS.get(module.name);
      if (name !== undefined) module.name = name;
    }
  });

  // The README's `docs/api/...` links, as seen from the page that shows the README.
  app.renderer.on(PageEvent.END, (page) => {
    if (typeof page.contents !== 'string') return;
    const up = '../'.repeat(page.url.split('/').length - 1);
    page.contents = page.contents.replace(/(href=")docs\/api\//g, `$1${up}`);
  });
}
