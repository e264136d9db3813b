#!/usr/bin/env node
// The header is the C user's manual: every function declared in
// c/include/ffi_deep_dive.h must have a doc comment that says
//   - ownership: who owns / frees / borrows what  (own, free, borrow, ...)
//   - NULL behaviour                               (the word NULL)
//   - thread-safety                                (thread)
// A function without one fails the check, named with what its comment lacks.
// The comments come from the Rust `///` doc comments of the exports; fix them
// there and run `make header`.
//
//   node scripts/check-header-docs.js [header]   check a header (default: the project's)
//   node scripts/check-header-docs.js --self-test prove the check rejects bad comments
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_HEADER = path.join(__dirname, '..', 'c', 'include', 'ffi_deep_dive.h');

/** What each doc comment must mention, as [label, pattern]. */
const REQUIREMENTS = [
  [
    'ownership (own/free/borrow)',
    /\b(own|owns|owned|owner|ownership|free|frees|freed|freeing|borrow|borrows|borrowed)\b/i,
  ],
  ['NULL behaviour (NULL)', /\bNULL\b/],
  ['thread-safety (thread)', /\bthreads?\b|thread-safe/i],
];

/**
 * The functions declared in the `extern "C"` block of a cbindgen header, each
 * as `{ name, line, doc }` where doc is the comment right above it (`//` lines
 * or one block comment), without comment markers.
 */
function parseHeader(text) {
  const lines = text.split('\n');
  const functions = [];
  let inBlock = false;
  let comment = [];
  let inBlockComment = false;
  let statement = null;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!inBlock) {
      if (/^extern\s+"C"\s*\{/.test(line)) inBlock = true;
      return;
    }
    if (/^\}\s*(\/\/.*)?$/.test(line) && statement === null) {
      inBlock = false;
      comment = [];
      return;
    }
    if (inBlockComment) {
      comment.push(line.replace(/\*\/.*$/, '').replace(/^\*\s?/, ''));
      if (line.includes('*/')) inBlockComment = false;
      return;
    }
    if (statement === null) {
      if (line.startsWith('//')) {
        comment.push(line.replace(/^\/\/\s?/, ''));
        return;
      }
      if (line.startsWith('/*')) {
        comment = [line.replace(/^\/\*+\s?/, '').replace(/\*\/.*$/, '')];
        inBlockComment = !line.includes('*/');
        return;
      }
      if (line === '' || line.startsWith('#')) {
        if (line === '') comment = [];
        return;
      }
      statement = { text: '', line: index + 1 };
    }
    statement.text += ` ${line}`;
    if (line.endsWith(';')) {
      const match = /^\s*(?!typedef\b)[\w\s*]*?\b(\w+)\s*\(/.exec(statement.text);
      if (match !== null) {
        functions.push({ name: match[1], line: statement.line, doc: comment.join('\n') });
      }
      statement = null;
      comment = [];
    }
  });
  return functions;
}

/** The problems of a header's text, one string per function that lacks something. */
function problems(text) {
  return parseHeader(text)
    .map(({ name, line, doc }) => {
      const missing =
        doc.trim() === ''
          ? ['a doc comment']
          : REQUIREMENTS.filter(([, pattern]) => !pattern.test(doc)).map(([label]) => label);
      return missing.length === 0 ? null : `${name} (line ${line}): the comment does not state ${missing.join(', ')}`;
    })
    .filter((p) => p !== null);
}

function check(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = parseHeader(text);
  if (found.length === 0) {
    console.error(`check-header-docs: no function declarations found in ${file}: is it a cbindgen header?`);
    return 1;
  }
  const bad = problems(text);
  if (bad.length > 0) {
    for (const p of bad) console.error(`check-header-docs: ${p}`);
    console.error(
      `check-header-docs: ${bad.length} of ${found.length} functions in ${file} lack ownership/NULL/thread-safety ` +
        'wording: fix the `///` comment of the Rust export, then run `make header`. A function without ' +
        'pointers can say so: "No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe."',
    );
    return 1;
  }
  console.log(
    `header docs: all ${found.length} functions in ${path.relative(process.cwd(), file)} state ownership, NULL and threads`,
  );
  return 0;
}

/** The check must reject what it is meant to reject: a tiny header with one good and three bad functions. */
function selfTest() {
  const header = [
    'typedef void (*my_callback)(void *user_data);',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '// Returns a string the caller owns; free it with good_free(). NULL on error. Thread-safe.',
    'char *good(const char *s);',
    '',
    '// Returns a number. NULL is never involved. Thread-safe.',
    'int no_ownership(int a);',
    '',
    'void undocumented(void);',
    '',
    '/* Borrows `cb` for the call; NULL is an error. */',
    'enum FfiStatus multi_line(const uint8_t *data,',
    '                          size_t len,',
    '                          my_callback cb);',
    '#ifdef __cplusplus',
    '} // extern "C"',
    '#endif',
  ].join('\n');
  const names = parseHeader(header).map((f) => f.name);
  const bad = problems(header).map((p) => p.split(' ')[0]);
  const expectNames = ['good', 'no_ownership', 'undocumented', 'multi_line'];
  const expectBad = ['no_ownership', 'undocumented', 'multi_line'];
  if (JSON.stringify(names) !== JSON.stringify(expectNames) || JSON.stringify(bad) !== JSON.stringify(expectBad)) {
    console.error(
      `check-header-docs self-test failed: parsed ${JSON.stringify(names)} (expected ${JSON.stringify(expectNames)}), ` +
        `flagged ${JSON.stringify(bad)} (expected ${JSON.stringify(expectBad)})`,
    );
    return 1;
  }
  console.log('header docs self-test: the check flags missing ownership, NULL, thread-safety and comments');
  return 0;
}

module.exports = { parseHeader, problems };

if (require.main === module) {
  const arg = process.argv[2];
  process.exitCode = arg === '--self-test' ? selfTest() : check(arg === undefined ? DEFAULT_HEADER : path.resolve(arg));
}
