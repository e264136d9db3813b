#!/usr/bin/env node
// Runs the README's first Node.js example (the js block under "### Node.js")
// in the consumer directory, as a user who copies it would, against the
// installed package. A line `expr; // value` must give that value (a number
// or a quoted string); every other line runs as it is.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const readme = fs.readFileSync(
  path.join(path.dirname(require.resolve('ffi-deep-dive/package.json')), 'README.md'),
  'utf8',
);
const section = readme.split(/^### Node\.js$/m)[1];
assert.ok(section !== undefined, "README.md has no '### Node.js' section");
const block = /^```js\n([\s\S]*?)^```$/m.exec(section);
assert.ok(block !== null, "no js example under README.md's '### Node.js'");
let checks = 0;
const source = block[1]
  .split('\n')
  .map((line) => {
    const m = /^(.+?);\s*\/\/\s*(\d+|'[^']*')\s*$/.exec(line);
    if (m === null) return line;
    checks++;
    return `assert.deepEqual(${m[1]}, ${m[2]}, ${JSON.stringify(line)});`;
  })
  .join('\n');
assert.ok(checks > 0, "the README's js example has no 'expr; // value' line to check");
new Function('require', 'assert', source)(require, assert);
console.log(`README: the Node.js example runs in the installed package; its ${checks} shown values hold`);
