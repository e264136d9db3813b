'use strict';
// Builds the Node-API reference addon (bench/napi) with node-gyp, for the
// benchmark only. A failed build is reported and the bench goes on without
// the Node-API column.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'bench', 'napi');
const ADDON = path.join(DIR, 'build', 'Release', 'ffi_bench_napi.node');
/** The library's directory: the Makefile exports CARGO_TARGET_DIR (absolute) when it is set. */
const LIB_DIR = path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'rust', 'target'), 'release');
const INPUTS = [
  path.join(DIR, 'addon.c'),
  path.join(DIR, 'binding.gyp'),
  path.join(ROOT, 'c', 'include', 'ffi_deep_dive.h'),
  path.join(LIB_DIR, 'libffi_deep_dive.so'),
];

const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : Infinity);

/**
 * Where node-gyp finds the Node headers: `npm_config_nodedir` if set, else
 * the headers installed next to this node (e.g. /usr/include/node), so no
 * download is needed; otherwise node-gyp's own default (a download).
 */
function nodedir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

/** Builds the addon if it is missing or stale. Returns `{ path }` or `{ error }`. */
function build(log = console.log) {
  if (fs.existsSync(ADDON) && INPUTS.every((p) => mtime(p) <= mtime(ADDON))) return { path: ADDON };
  const gyp = path.join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!fs.existsSync(gyp)) return { error: 'node-gyp is not installed (npm ci installs it as a devDependency)' };
  const args = [gyp, 'rebuild', '--directory', DIR];
  const dir = nodedir();
  if (dir !== null) args.push(`--nodedir=${dir}`);
  log(`bench: building the Node-API addon: node ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FFI_BENCH_LIB_DIR: LIB_DIR },
  });
  if (r.status !== 0 || !fs.existsSync(ADDON)) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    return { error: `node-gyp failed (exit ${r.status})${r.error ? ': ' + r.error.message : ''}\n${tail}` };
  }
  return { path: ADDON };
}

/** Loads the addon at `addonPath`, or returns null. */
function load(addonPath) {
  if (!addonPath) return null;
  try {
    return require(addonPath);
  } catch (err) {
    console.error(`bench: could not load the Node-API addon: ${err.message}`);
    return null;
  }
}

module.exports = { build, load, ADDON };
