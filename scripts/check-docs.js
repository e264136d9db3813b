#!/usr/bin/env node
// The documentation checked against the code.
//
//   node scripts/check-docs.js [--api]   what `make docs` produced in docs/api (run by `make docs` after typedoc)
//   node scripts/check-docs.js --sources the README, CONTRIBUTING.md, CHANGELOG.md, docs/*.md and the header's
//                                        comments against the header, the tests and the library (`make test`)
//   node scripts/check-docs.js --self-test  prove the --sources checks reject wrong docs
//
// --api:
// - the landing page is the README (its "Install and first call" section);
// - the two modules are named by their import paths, `ffi-deep-dive` and `ffi-deep-dive/raw`;
// - each module lists its entries under concept headings (Strings, Slices, ...), not Functions/Variables;
// - every function of the C header is documented in `ffi-deep-dive/raw` as a function (with
//   parameters), not as a variable, and its page shows the C signature.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { parseHeader } = require('./check-header-docs.js');

const ROOT = path.resolve(__dirname, '..');
const API = path.join(ROOT, 'docs', 'api');
const read = (...p) => fs.readFileSync(path.join(API, ...p), 'utf8');
/** The visible text of an HTML page, roughly: tags dropped, entities for the few characters the checks use. */
const text = (html) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

function checkApi() {
  const typedocReadme = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8')).readme;
  assert.equal(typedocReadme, 'README.md', 'typedoc.json must make the README the landing page');
  assert.match(text(read('index.html')), /Install and first call/, 'docs/api/index.html is not the README');

  const modules = { 'ffi-deep-dive': 'ffi-deep-dive.html', 'ffi-deep-dive/raw': 'ffi-deep-dive_raw.html' };
  for (const [name, file] of Object.entries(modules)) {
    const page = text(read('modules', file));
    assert.ok(page.includes(`Module ${name}`), `docs/api/modules/${file} is not titled "Module ${name}"`);
    for (const concept of ['Errors', 'Numbers', 'Strings', 'Slices', 'Callbacks']) {
      assert.ok(page.includes(` ${concept} `), `${name}: no "${concept}" group`);
    }
    for (const kind of ['Functions', 'Variables', 'Type Aliases']) {
      assert.ok(
        !page.includes(`On This Page ${kind}`) && !page.includes(` ${kind} `),
        `${name}: entries grouped by kind (${kind})`,
      );
    }
  }

  const header = fs.readFileSync(path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h'), 'utf8');
  const functions = parseHeader(header).map((f) => f.name);
  assert.ok(functions.length > 0, 'no functions in the header');
  for (const name of functions) {
    const file = path.join('functions', `ffi-deep-dive_raw.${name}.html`);
    assert.ok(
      fs.existsSync(path.join(API, file)),
      `ffi-deep-dive/raw ${name} is not documented as a function (${file})`,
    );
    const page = text(read(file));
    assert.ok(
      new RegExp(`[\\w*] ?\\**${name}\\(`).test(page.replace(/\s*\*\s*/g, ' *')),
      `${file} does not show ${name}'s C signature`,
    );
    assert.ok(/Parameters|Returns/.test(page), `${file} shows no parameters or result`);
  }
  // Every relative link of the landing page (the README's links into the reference included) resolves.
  const index = read('index.html');
  const hrefs = [...index.matchAll(/href="([^"#]+)(?:#[^"]*)?"/g)].map((m) => m[1]).filter((h) => !/^[a-z]+:/i.test(h));
  const broken = hrefs.filter((h) => !fs.existsSync(path.join(API, decodeURI(h))));
  assert.deepEqual(broken, [], 'links of docs/api/index.html (the README) that lead nowhere');
  const intoApi = (fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').match(/\]\(docs\/api\//g) ?? []).length;
  console.log(
    `docs: README landing page (${hrefs.length} relative links resolve, ${intoApi} of them the README's into the reference); ` +
      `modules ffi-deep-dive and ffi-deep-dive/raw grouped by concept; ` +
      `all ${functions.length} header functions documented as raw functions with their C signature`,
  );
}

// ---- The docs against the code (node scripts/check-docs.js --sources; part of `make test`) ----
//
// 1. C declarations. Every ```c block (but ```c standalone ones, which are not written against the header) of the README, CONTRIBUTING.md, CHANGELOG.md and docs/*.md, and every
//    prototype written as a code span in those files or in the header's comments, goes into ONE translation
//    unit after `#include "ffi_deep_dive.h"`, compiled with gcc -std=c11 -Wall -Wextra -Werror -pedantic.
//    A prototype, typedef or #define that differs from the header's is then a compile error (C allows a
//    compatible redeclaration only). A name the header does not declare is an error too (it would compile as
//    a new declaration). A struct or union definition is compiled under a renamed tag, with static assertions
//    that its size, and each member's offset and type, equal the header's. Statements (example code) are
//    compiled as the body of a function, one per block; a function definition (`int main`) is compiled
//    renamed. A statement containing the placeholder `...` (or `…`) is skipped and counted.
// 2. Quoted messages. Extraction rule: in the header's comments, every double-quoted string, and every
//    backtick span that starts with a double-quoted string (parse_number's `"4 2" is not a number: ...`); in
//    the Markdown files, every quoted string ('...' or "...") after `//` in a fenced code block, every quoted
//    string or code span after the word "throws" in the same sentence of prose, every string after
//    `message:`, and the bold code span that opens each Troubleshooting bullet (the error table). In a quoted
//    message, `...`, `…` and `(...)` stand for any text. A message counts as produced by a test when it occurs
//    verbatim inside a string literal of a test source: test/**/*.{ts,js}, c/tests/*.c, the `#[cfg(test)]`
//    part of rust/src/*.rs, rust/tests/*.rs, scripts/test-package.sh, scripts/test-install.sh and
//    scripts/package-check/ (adjacent literals joined, `+`-joined literals in JS joined, escapes decoded; regex
//    literals count with their escapes removed). Every one of those tests compares messages exactly, so a
//    literal there is an expected output. A quoted string that is an input or a phrase, not an output, is
//    listed in NOT_MESSAGES below with why.
// 3. CHANGELOG. Every function the built library exports (`nm -D --defined-only`, type T) that 0.1.0 did not
//    is named in backticks in CHANGELOG.md under a version after 0.1.0, and only a version that exists
//    (<= the version in rust/Cargo.toml).

const { execFileSync } = require('node:child_process');
const os = require('node:os');

const HEADER_FILE = path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h');

/** The Markdown files whose examples are checked: the README, CONTRIBUTING.md, CHANGELOG.md and docs/*.md. */
function markdownFiles() {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join('docs', f));
  return ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docs].filter((f) => fs.existsSync(path.join(ROOT, f)));
}

/** Fenced code blocks of a Markdown text: { lang, code, line } (line: the first code line, 1-based). */
function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // The info string's first word is the language; `standalone` after it marks a block that is not written
    // against the header (another project's repro, say): it is not compiled with it.
    const open = /^\s*```(\w*)(.*)$/.exec(lines[i]);
    if (open === null) continue;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++]);
    const lang = /\bstandalone\b/.test(open[2]) ? `${open[1]}-standalone` : open[1];
    blocks.push({ lang, code: body.join('\n'), line: i + 2 });
    i = j;
  }
  return blocks;
}

/** The Markdown text outside fenced code blocks, with the same line count. */
function prose(markdown) {
  let inside = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inside = !inside;
        return '';
      }
      return inside ? '' : line;
    })
    .join('\n');
}

/** The header's comments, as { text, line } per comment line, markers removed. */
function headerComments(header) {
  const out = [];
  let inBlock = false;
  header.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (inBlock) {
      out.push({ text: line.replace(/\*\/.*$/, '').replace(/^\*\s?/, ''), line: i + 1 });
      if (line.includes('*/')) inBlock = false;
    } else if (line.startsWith('//')) {
      out.push({ text: line.replace(/^\/\/\s?/, ''), line: i + 1 });
    } else if (line.startsWith('/*')) {
      out.push({ text: line.replace(/^\/\*+\s?/, '').replace(/\*\/.*$/, ''), line: i + 1 });
      inBlock = !line.includes('*/');
    }
  });
  return out;
}

// ---- 1. C declarations ----

/** C source without comments (strings kept), each comment replaced by a space. */
function stripCComments(code) {
  return code.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, str) =>
    str !== undefined ? str : ' ',
  );
}

const PLACEHOLDER = /\.\.\.|…/;
const hasPlaceholder = (stmt) => PLACEHOLDER.test(stmt.replace(/"(?:[^"\\]|\\.)*"/g, '""'));

/**
 * A C block's top-level pieces: preprocessor lines, and statements ending at `;` at depth 0, or at the `}`
 * that closes a function definition or a compound statement.
 */
function splitC(code) {
  const pieces = [];
  let current = '';
  let depth = 0;
  const text = stripCComments(code);
  const flush = () => {
    if (current.trim() !== '') pieces.push(current.trim().replace(/\s+/g, ' '));
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (depth === 0 && current.trim() === '' && ch === '#') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      pieces.push(text.slice(i, stop).trim());
      i = stop;
      current = '';
      continue;
    }
    if (ch === '"' || ch === "'") {
      const m = (ch === '"' ? /^"(?:[^"\\\n]|\\.)*"/ : /^'(?:[^'\\\n]|\\.)*'/).exec(text.slice(i));
      if (m !== null) {
        current += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    current += ch;
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        const s = current.trim();
        const aggregate = /^(typedef|struct|union|enum)\b/.test(s);
        const initializer = /=/.test(s.slice(0, s.indexOf('{')));
        if (!aggregate && !initializer) flush();
      }
    } else if (ch === ';' && depth === 0) flush();
  }
  if (current.trim() !== '') pieces.push(`${current.trim()} /* unterminated */`);
  return pieces;
}

const C_KEYWORDS = new Set(['return', 'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'goto', 'sizeof']);
const PROTOTYPE =
  /^((?:const\s+|enum\s+|struct\s+|union\s+|unsigned\s+|signed\s+)*\w+[\s*]+)(\w+)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*;$/;

/** The name a typedef declares: `(*Name)(...)` for a function pointer, else the last identifier. */
const typedefName = (decl) => (/\(\s*\*\s*(\w+)\s*\)/.exec(decl) ?? /(\w+)\s*;\s*$/.exec(decl) ?? [])[1];

/** What the header declares: functions, macros, type names. */
function headerNames(header) {
  return {
    functions: new Set(parseHeader(header).map((f) => f.name)),
    macros: new Set([...header.matchAll(/^#define\s+(\w+)/gm)].map((m) => m[1])),
    types: new Set([
      ...[...header.matchAll(/\}\s*(\w+)\s*;/g)].map((m) => m[1]),
      ...[...header.matchAll(/^typedef\s[^;{]*;/gm)].map((m) => typedefName(m[0])),
    ]),
  };
}

/** The member names of a struct/union body: the last identifier of each declarator. */
function memberNames(body) {
  const names = [];
  for (const decl of body.split(';')) {
    const d = decl.trim();
    if (d === '') continue;
    const words = d.replace(/\[[^\]]*\]/g, '').split(',');
    for (const w of words) {
      const m = /(\w+)\s*$/.exec(w.trim());
      if (m !== null) names.push(m[1]);
    }
  }
  return names;
}

/**
 * Builds the translation unit from the C pieces of every doc file. Returns { source, counts, problems }.
 * `units`: [{ where, pieces }] where `where` is 'README.md:42'.
 */
function buildTranslationUnit(units, header) {
  const names = headerNames(header);
  const out = [
    '#include "ffi_deep_dive.h"',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    '',
  ];
  const counts = { prototypes: 0, types: 0, macros: 0, definitions: 0, statements: 0, skipped: 0 };
  const problems = [];
  let n = 0;
  for (const { where, pieces } of units) {
    let body = [];
    const flushBody = () => {
      if (body.length === 0) return;
      out.push(`void doc_example_${++n}(void); /* ${where} */`, `void doc_example_${n}(void) {`, ...body, '}');
      body = [];
    };
    for (const piece of pieces) {
      if (piece.startsWith('#')) {
        const def = /^#\s*define\s+(\w+)/.exec(piece);
        if (def !== null) {
          if (hasPlaceholder(piece)) {
            counts.skipped++;
            continue;
          }
          if (!names.macros.has(def[1])) problems.push(`${where}: #define ${def[1]}: the header defines no such macro`);
          out.push(`/* ${where} */`, piece);
          counts.macros++;
        } else if (/^#\s*include\b/.test(piece)) {
          out.push(piece.replace(/<ffi_deep_dive\.h>/, '"ffi_deep_dive.h"'));
        } else {
          problems.push(`${where}: a preprocessor line the check does not know: ${piece}`);
        }
        continue;
      }
      if (hasPlaceholder(piece)) {
        counts.skipped++;
        continue;
      }
      const aggregate = /^(?:typedef\s+)?(struct|union)\s+(\w+)\s*\{([\s\S]*)\}\s*(\w*)\s*;$/.exec(piece);
      if (aggregate !== null) {
        const [, kind, tag, inner, alias] = aggregate;
        const name = alias || `${kind} ${tag}`;
        if (!names.types.has(alias || tag)) problems.push(`${where}: ${kind} ${tag}: the header declares no such type`);
        const doc = `${tag}__doc`;
        out.push(`/* ${where} */`, `${kind} ${doc} {${inner}};`);
        out.push(
          `_Static_assert(sizeof(${kind} ${doc}) == sizeof(${name}), "${where}: ${tag} differs in size from the header's");`,
        );
        for (const m of memberNames(inner)) {
          out.push(
            `_Static_assert(offsetof(${kind} ${doc}, ${m}) == offsetof(${name}, ${m}), "${where}: ${tag}.${m} is not where the header has it");`,
            `_Static_assert(__builtin_types_compatible_p(__typeof__(((${kind} ${doc} *)0)->${m}), __typeof__(((${name} *)0)->${m})), "${where}: ${tag}.${m} has another type than in the header");`,
          );
        }
        counts.types++;
        continue;
      }
      if (/^typedef\b/.test(piece)) {
        if (!names.types.has(typedefName(piece))) problems.push(`${where}: ${piece}: the header declares no such type`);
        out.push(`/* ${where} */`, piece);
        counts.types++;
        continue;
      }
      const definition = /^[\w\s*]+?\b(\w+)\s*\([^)]*\)\s*\{/.exec(piece);
      if (definition !== null && !C_KEYWORDS.has(definition[1])) {
        flushBody();
        out.push(
          `/* ${where} */`,
          piece.replace(/\bmain\s*\(/, `doc_main_${++n}(`).replace(/^int\s+doc_main/, 'int doc_main'),
        );
        out.splice(out.length - 1, 0, `int doc_main_${n}(void);`);
        counts.definitions++;
        continue;
      }
      const proto = PROTOTYPE.exec(piece);
      if (proto !== null && !C_KEYWORDS.has(proto[1].trim()) && !piece.includes('=')) {
        if (!names.functions.has(proto[2]))
          problems.push(`${where}: ${proto[2]}: the header declares no such function`);
        out.push(`/* ${where} */`, piece);
        counts.prototypes++;
        continue;
      }
      body.push(`  ${piece}`);
      counts.statements++;
    }
    flushBody();
  }
  return { source: `${out.join('\n')}\n`, counts, problems };
}

/** Compiles a translation unit; returns the compiler's complaints ('' when it compiles). */
function compileC(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-docs-'));
  const file = path.join(dir, 'docs.c');
  fs.writeFileSync(file, source);
  const cc = process.env.CC || 'gcc';
  const flags = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', '-Wno-unused-variable'];
  flags.push('-Wno-unused-but-set-variable', '-fsyntax-only', '-I', path.dirname(HEADER_FILE), file);
  try {
    execFileSync(cc, flags, { stdio: 'pipe' });
    return '';
  } catch (err) {
    return `${err.stderr ?? err.message}`.replaceAll(file, 'docs.c');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The C pieces of every checked file: ```c blocks, and prototypes written as code spans. */
function cUnits(files, header) {
  const units = [];
  const spanPrototype = (span) => {
    const m = /^((?:const\s+)?(?:enum\s+|struct\s+)?\w+)[\s*]+(\w+)\s*\([^()]*\)$/.exec(span);
    return m !== null && !C_KEYWORDS.has(m[1]) && !C_KEYWORDS.has(m[2]);
  };
  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const block of codeBlocks(text)) {
      if (block.lang === 'c') units.push({ where: `${file}:${block.line}`, pieces: splitC(block.code) });
    }
    prose(text)
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(/`([^`]+)`/g)) {
          if (spanPrototype(m[1].trim())) units.push({ where: `${file}:${i + 1}`, pieces: splitC(`${m[1]};`) });
        }
      });
  }
  for (const { text, line } of headerComments(header)) {
    for (const m of text.matchAll(/`([^`]+)`/g)) {
      if (spanPrototype(m[1].trim()))
        units.push({ where: `c/include/ffi_deep_dive.h:${line}`, pieces: splitC(`${m[1]};`) });
    }
  }
  return units;
}

function checkDeclarations(files, header) {
  const { source, counts, problems } = buildTranslationUnit(cUnits(files, header), header);
  const complaints = compileC(source);
  if (complaints !== '') {
    const lines = source.split('\n');
    const located = complaints.replace(/docs\.c:(\d+):/g, (m, l) => {
      const marks = lines
        .slice(0, Number(l))
        .reverse()
        .find((x) => /\/\* [^*]+:\d+ \*\//.test(x));
      return `${m} [${marks === undefined ? '?' : /\/\* ([^*]+:\d+) \*\//.exec(marks)[1]}]`;
    });
    problems.push(`the C declarations of the docs do not compile with the header:\n${located}`);
  }
  return { counts, problems };
}

// ---- Links ----

/**
 * Relative links of the Markdown files that lead nowhere: a file that does not exist, or a `#anchor` that is no
 * heading of the target. Links into docs/api/ (written by `make docs`) are checked by --api instead.
 */
function checkLinks(files, root = ROOT) {
  const problems = [];
  let count = 0;
  const anchors = (file) =>
    new Set(
      [...fs.readFileSync(file, 'utf8').matchAll(/^#+\s+(.*)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
  for (const file of files) {
    const text = prose(fs.readFileSync(path.join(root, file), 'utf8'));
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1];
      if (/^[a-z]+:/i.test(link) || link.startsWith('docs/api/') || link.startsWith('../docs/api/')) continue;
      count++;
      const [target, anchor] = link.split('#');
      const resolved =
        target === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), target);
      if (!fs.existsSync(resolved)) problems.push(`${file}: the link ${link} leads to no file`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
        problems.push(`${file}: the link ${link} names no heading of ${path.relative(root, resolved)}`);
    }
  }
  return { count, problems };
}

// ---- 2. Quoted messages ----

/**
 * Quoted strings that are not outputs of the library or the package: inputs, phrases, names. Each entry says
 * why; the check fails for an entry no file quotes any more.
 */
const NOT_MESSAGES = new Map([
  ['last error', 'a phrase ("no hidden last error")'],
  ['no detail wanted', 'a phrase: what NULL means'],
  ['héllo', 'an input'],
  ['🦀', 'an input'],
]);

/** Quoted strings of a text: '...' and "..." not inside a word (so that "the caller's" is no quote). */
function quotedStrings(text) {
  const found = [];
  for (const m of text.matchAll(/(?<![\w\\])(['"])((?:(?!\1)[^\\]|\\.)+?)\1(?![\w])/g)) {
    found.push(m[2].replace(/\\(.)/g, '$1'));
  }
  return found;
}

/** Messages quoted in the header's comments, by the rule above: [{ message, where }]. */
function headerMessages(header) {
  const out = [];
  const comments = headerComments(header);
  // Join the comment lines into paragraphs, remembering where each line starts.
  let text = '';
  const starts = [];
  for (const { text: t, line } of comments) {
    starts.push([text.length, line]);
    text += `${t} `;
  }
  const lineAt = (offset) => starts.filter(([o]) => o <= offset).pop()[1];
  const spans = [];
  for (const m of text.matchAll(/`([^`]*)`/g)) spans.push([m.index, m.index + m[0].length, m[1]]);
  const inSpan = (i) => spans.some(([a, b]) => i >= a && i < b);
  for (const [a, , inner] of spans) {
    const q = /^"((?:[^"\\]|\\.)*)"(.*)$/.exec(inner);
    if (q !== null && q[2].trim() !== '')
      out.push({ message: `"${q[1]}"${q[2]}`, where: `c/include/ffi_deep_dive.h:${lineAt(a)}` });
  }
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    if (inSpan(m.index)) continue;
    out.push({ message: m[1].replace(/\s+/g, ' '), where: `c/include/ffi_deep_dive.h:${lineAt(m.index)}` });
  }
  return out;
}

/** Messages quoted in a Markdown file, by the rule above: [{ message, where }]. */
function markdownMessages(file, markdown) {
  const out = [];
  for (const block of codeBlocks(markdown)) {
    block.code.split('\n').forEach((line, i) => {
      const code = line.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g, (s) => ' '.repeat(s.length));
      const at = code.indexOf('//');
      if (at === -1) return;
      for (const message of quotedStrings(line.slice(at + 2)))
        out.push({ message, where: `${file}:${block.line + i}` });
    });
  }
  const lines = prose(markdown).split('\n');
  let section = '';
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const heading = /^#+\s+(.*)$/.exec(line);
    if (heading !== null) section = heading[1];
    // After "throws", to the end of the sentence.
    for (const m of line.matchAll(/\bthrows?\b([^.;]*(?:\.\w[^.;]*)*)/g)) {
      for (const s of quotedStrings(m[1].replace(/`[^`]*`/g, ''))) out.push({ message: s, where });
    }
    // A code span that is one whole quoted string, in prose: `'ERR_FFI_OVERFLOW'`, `"... at byte 1"`.
    for (const m of line.matchAll(/`(['"])((?:(?!\1)[^\\`]|\\.)+)\1`/g))
      out.push({ message: m[2].replace(/\\(.)/g, '$1'), where });
    for (const m of line.matchAll(/\bmessage:\s*(.*)$/g)) {
      for (const s of quotedStrings(m[1])) out.push({ message: s, where });
    }
    if (/troubleshooting/i.test(section)) {
      const bullet = /^- \*\*`([^`]+)`/.exec(line);
      if (bullet !== null && /\s/.test(bullet[1])) out.push({ message: bullet[1], where });
    }
  });
  return out;
}

/** The string literals of a source text, decoded, adjacent (and `+`-joined) literals joined. */
function literals(text, lang) {
  const out = [];
  const re =
    lang === 'sh'
      ? /"((?:[^"\\]|\\.)*)"|'([^']*)'/g
      : /"((?:[^"\\\n]|\\.|\\\n)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`|\/((?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+)\/[dgimsuy]*/g;
  let last = null;
  for (const m of text.matchAll(re)) {
    let value = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (value === undefined) continue;
    const isRegex = m[4] !== undefined;
    if (lang === 'rs' && m[2] !== undefined) continue; // char literals and lifetimes
    if (lang === 'c' && m[2] !== undefined) continue;
    if (m[3] !== undefined || lang === 'sh') value = value.replace(/\$\{[^}]*\}|\$\w+/g, ANY);
    if (isRegex || lang === 'sh') value = value.replace(/\.[*+]/g, ANY);
    value = value
      .replace(/\\\n\s*/g, '')
      .replace(/\\u\{([0-9a-fA-F]+)\}/g, (s, h) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/\\u([0-9a-fA-F]{4})/g, (s, h) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\x([0-9a-fA-F]{2})/g, (s, h) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(isRegex ? /\\([^\w])/g : /\\(.)/g, '$1');
    const between = last === null ? null : text.slice(last.end, m.index);
    if (last !== null && between !== null && /^\s*\+?\s*$/.test(between)) {
      last.value += value;
      last.end = m.index + m[0].length;
    } else {
      if (last !== null) out.push(last.value);
      last = { value, end: m.index + m[0].length };
    }
  }
  if (last !== null) out.push(last.value);
  return out;
}

/** The test sources named in the rule above, as [{ file, lang, text }]. */
function testSources() {
  const out = [];
  const walk = (dir, pred) => {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel, pred);
      else if (pred(e.name)) out.push(rel);
    }
  };
  const files = [];
  walk('test', (n) => /\.(ts|js)$/.test(n));
  walk('scripts/package-check', (n) => /\.(ts|js|mjs|cts|mts)$/.test(n));
  walk('c/tests', (n) => n.endsWith('.c'));
  walk('rust/tests', (n) => n.endsWith('.rs'));
  walk('rust/src', (n) => n.endsWith('.rs'));
  files.push(...out.splice(0), 'scripts/test-package.sh', 'scripts/test-install.sh');
  return files
    .filter((f) => fs.existsSync(path.join(ROOT, f)))
    .map((file) => {
      let text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const lang = file.endsWith('.rs') ? 'rs' : file.endsWith('.c') ? 'c' : file.endsWith('.sh') ? 'sh' : 'js';
      if (file.startsWith('rust/src/')) {
        const at = text.indexOf('#[cfg(test)]');
        text = at === -1 ? '' : text.slice(at);
      }
      return { file, lang, text };
    });
}

/** The pieces of a quoted message between its placeholders (`...`, `…`, `(...)`, `<name>`). */
const messagePieces = (message) =>
  message.split(/\s*\(\.\.\.\)\s*|\s*\.\.\.\s*|\s*…\s*|<[\w ]+>/).filter((p) => p.trim() !== '');

/** What stands for any text in a test's literal (`${x}` in a template, `$x` in shell, `.*` in a pattern). */
const ANY = '\u0000';

/** Whether every piece occurs in the literal, in order. */
function occursIn(pieces, literal) {
  let from = 0;
  for (const p of pieces) {
    const at = literal.indexOf(p, from);
    if (at === -1) return false;
    from = at + p.length;
  }
  return true;
}

function checkMessages(files, header) {
  const quoted = [...headerMessages(header)];
  for (const file of files) quoted.push(...markdownMessages(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
  const haystack = testSources().flatMap(({ text, lang }) => literals(text, lang));
  const problems = [];
  const usedExceptions = new Set();
  let checked = 0;
  for (const { message, where } of quoted) {
    if (NOT_MESSAGES.has(message)) {
      usedExceptions.add(message);
      continue;
    }
    checked++;
    const pieces = messagePieces(message);
    if (pieces.length === 0 || !haystack.some((lit) => occursIn(pieces, lit)))
      problems.push(
        `${where}: the quoted message '${message}' is produced by no test (no test source has it verbatim)`,
      );
  }
  for (const m of NOT_MESSAGES.keys())
    if (!usedExceptions.has(m))
      problems.push(`check-docs.js: NOT_MESSAGES lists '${m}', which no file quotes any more`);
  const missing = problems.filter((p) => p.includes('is produced by no test')).length;
  return { found: quoted.length, checked, verbatim: checked - missing, exceptions: quoted.length - checked, problems };
}

// ---- 3. CHANGELOG: every export added after 0.1.0 ----

/**
 * The functions 0.1.0's library exported: the `#[no_mangle]` functions of commit 734e60d (the last with
 * version 0.1.0 in rust/Cargo.toml), without the test-panic feature's two.
 */
const EXPORTS_0_1_0 = `add_in_rust add_in_rust_checked concat_strings concat_strings_into count_characters count_where
  ffi_status_message flip_things free_rust_string int_or_float_as_float int_or_float_as_int int_or_float_from_float
  opaque_point_describe opaque_point_free opaque_point_get opaque_point_live_count opaque_point_new
  opaque_point_translate parse_number point_translate point_translated points_translate primes_up_to
  rust_string_live_count shape_area shape_scale sum_of_even u32_array_free u32_array_live_count`
  .split(/\s+/)
  .filter(Boolean);

const semver = (v) => v.split('.').map(Number);
const compareVersions = (a, b) => {
  const [x, y] = [semver(a), semver(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

/** CHANGELOG sections: { version, text }. */
function changelogSections(changelog) {
  const sections = [];
  for (const part of changelog.split(/^## /m).slice(1)) {
    // "## Unreleased": what the next version adds, after every released one.
    if (/^\[?Unreleased\b/.test(part)) sections.push({ version: null, text: part });
    const version = /^\[?(\d+\.\d+\.\d+)/.exec(part);
    if (version !== null) sections.push({ version: version[1], text: part });
  }
  return sections;
}

function libraryExports(lib) {
  const out = execFileSync('nm', ['-D', '--defined-only', lib], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && f[1] === 'T')
    .map((f) => f[2]);
}

function checkChangelog(changelog, exported, current) {
  const problems = [];
  const sections = changelogSections(changelog);
  for (const s of sections)
    if (s.version !== null && compareVersions(s.version, current) > 0)
      problems.push(`CHANGELOG.md has a section ${s.version}, newer than rust/Cargo.toml's ${current}`);
  const added = exported.filter((name) => !EXPORTS_0_1_0.includes(name)).sort();
  for (const name of added) {
    const named = sections.filter(
      (s) =>
        (s.version === null || compareVersions(s.version, '0.1.0') > 0) &&
        new RegExp(`\`[^\`]*\\b${name}\\b[^\`]*\``).test(s.text),
    );
    if (named.length === 0)
      problems.push(`${name}: exported by the library, not by 0.1.0, and named in no CHANGELOG.md section after 0.1.0`);
  }
  const missing = EXPORTS_0_1_0.filter((name) => !exported.includes(name));
  for (const name of missing)
    if (!new RegExp(`\\b${name}\\b`).test(changelog))
      problems.push(
        `${name}: exported by 0.1.0, not by the library now, and the CHANGELOG does not say it was removed`,
      );
  return { added, problems };
}

function checkSources() {
  const header = fs.readFileSync(HEADER_FILE, 'utf8');
  const files = markdownFiles();
  const problems = [];
  const decl = checkDeclarations(files, header);
  problems.push(...decl.problems);
  const msgs = checkMessages(files, header);
  problems.push(...msgs.problems);
  const links = checkLinks(files);
  problems.push(...links.problems);
  const version = /^version = "(.*)"/m.exec(fs.readFileSync(path.join(ROOT, 'rust', 'Cargo.toml'), 'utf8'))[1];
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'rust', 'target');
  const lib = path.join(targetDir, 'release', 'libffi_deep_dive.so');
  if (!fs.existsSync(lib)) problems.push(`${lib} is missing: run make first`);
  const log = fs.existsSync(lib)
    ? checkChangelog(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), libraryExports(lib), version)
    : { added: [], problems: [] };
  problems.push(...log.problems);
  const c = decl.counts;
  const say = problems.length > 0 ? console.error : console.log;
  say(
    `docs against the code (${files.join(', ')}, the header's comments):\n` +
      `  C: ${c.prototypes} prototypes, ${c.types} type declarations, ${c.macros} macros, ${c.definitions} function ` +
      `definitions and ${c.statements} example statements, compiled together with the header; ${c.skipped} ` +
      `placeholders skipped\n` +
      `  messages: ${msgs.found} quoted; ${msgs.verbatim} of the ${msgs.checked} outputs found verbatim in the tests' literals; ${msgs.exceptions} inputs or ` +
      `phrases (NOT_MESSAGES)\n` +
      `  CHANGELOG: ${log.added.length} exports added after 0.1.0 checked\n` +
      `  links: ${links.count} relative links between the files checked (docs/api/ ones: make docs)`,
  );
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-docs: ${p}`);
    console.error(`check-docs: ${problems.length} problem(s) in ${files.join(', ')} and the header's comments`);
    return 1;
  }
  return 0;
}

/** The source checks must reject what they are meant to reject. */
function selfTestSources() {
  const header = fs.readFileSync(HEADER_FILE, 'utf8');
  const failures = [];
  const compiles = (code) => {
    const tu = buildTranslationUnit([{ where: 'self-test:1', pieces: splitC(code) }], header);
    return tu.problems.length === 0 && compileC(tu.source) === '';
  };
  const good = [
    'enum FfiStatus u32_array_move_into(U32Array *array, uint32_t *dest, size_t dest_len, FfiError *error);',
    'typedef struct Point { float x; float y; } Point;',
    '#define COUNT_WHERE_STOP -1',
    '#define FFI_DEEP_DIVE_VERSION_NUMBER ...',
    'int main(void) { char *s = concat_strings("a", "b"); free_rust_string(s); return 0; }',
    'double area; if (shape_area(NULL, &area, NULL) != FFI_STATUS_OK) puts("no");',
  ];
  const bad = [
    'enum FfiStatus u32_array_move_into(U32Array *array, uint32_t *dest, size_t dest_len);',
    'int add_in_rust(long a, int b);',
    'int add_in_rust_wrapping(int a, int b);',
    'typedef struct Point { double x; double y; } Point;',
    'typedef struct Point { float y; float x; } Point;',
    '#define COUNT_WHERE_STOP 2',
    '#define COUNT_WHERE_HALT -1',
    'typedef struct OpaqueThing OpaqueThing;',
  ];
  for (const code of good) if (!compiles(code)) failures.push(`rejects a correct declaration: ${code}`);
  for (const code of bad) if (compiles(code)) failures.push(`accepts a wrong declaration: ${code}`);
  const lits = literals("expect(f()).toThrow('fn: the sides a = 1, b = 1, c = 5 break ' +\n  'the triangle');", 'js');
  if (!occursIn(messagePieces('the sides a = 1, b = 1, c = 5 break the triangle'), lits[lits.length - 1]))
    failures.push(`does not join '+'-joined literals: ${JSON.stringify(lits)}`);
  if (occursIn(messagePieces('the triangle inequality does not hold'), lits.join('\n')))
    failures.push('finds a message no literal has');
  if (!occursIn(messagePieces('could not load ... (prebuild): ... glibc'), 'could not load x (prebuild): y glibc'))
    failures.push('does not read ... as any text');
  const md = "```js\nf(); // 'one'\n```\nIt throws `'two'` and then 'three'. Not 'four'.\n";
  const found = markdownMessages('x.md', md).map((m) => m.message);
  if (JSON.stringify(found.sort()) !== JSON.stringify(['one', 'three', 'two']))
    failures.push(`extracts ${JSON.stringify(found)} from a sample (expected one, two, three)`);
  const log = checkChangelog(
    '## 0.2.0\n- `async_jobs_run`\n## 0.1.0\n',
    [...EXPORTS_0_1_0, 'async_jobs_run', 'x_new'],
    '0.2.0',
  );
  if (log.problems.length !== 1 || !log.problems[0].startsWith('x_new'))
    failures.push(`the CHANGELOG check says ${JSON.stringify(log.problems)} (expected x_new only)`);
  const unreleased = checkChangelog('## Unreleased\n- `y_new`\n## 0.2.0\n', [...EXPORTS_0_1_0, 'y_new'], '0.2.0');
  if (unreleased.problems.length !== 0)
    failures.push(`the CHANGELOG check does not count an Unreleased section: ${JSON.stringify(unreleased.problems)}`);
  if (checkChangelog('## 0.3.0\n', EXPORTS_0_1_0, '0.2.0').problems.length !== 1)
    failures.push('the CHANGELOG check accepts a section newer than the crate');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-docs-links-'));
  fs.writeFileSync(
    path.join(dir, 'a.md'),
    '# A\n\n## Some heading\n\n[ok](#some-heading) [ok](a.md) [bad](b.md) [bad](a.md#nope)\n',
  );
  const links = checkLinks(['a.md'], dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (links.count !== 4 || links.problems.length !== 2)
    failures.push(`the link check found ${JSON.stringify(links)} (expected 4 links, 2 broken)`);
  if (failures.length > 0) {
    for (const f of failures) console.error(`check-docs self-test: ${f}`);
    return 1;
  }
  console.log(
    `docs check self-test: ${bad.length} wrong declarations rejected, ${good.length} right ones compiled; ` +
      'message extraction, placeholders, the CHANGELOG rule and the link check behave',
  );
  return 0;
}

module.exports = {
  codeBlocks,
  splitC,
  buildTranslationUnit,
  markdownMessages,
  headerMessages,
  literals,
  checkChangelog,
};

if (require.main === module) {
  const arg = process.argv[2];
  if (arg === '--sources') process.exitCode = checkSources();
  else if (arg === '--self-test') process.exitCode = selfTestSources();
  else if (arg === undefined || arg === '--api') checkApi();
  else {
    console.error('usage: node scripts/check-docs.js [--api | --sources | --self-test]');
    process.exitCode = 2;
  }
}
