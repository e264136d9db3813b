/**
 * The hostile suite's child-process runner: every case that could crash the
 * process runs in its own `node`, so a segfault fails one test instead of
 * killing jest. The child loads the built package (dist/, which `make`
 * builds before jest) and reports one JSON line; the test asserts the exit
 * status, the signal and that result.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package checkout under test: this one, or HOSTILE_ROOT (to attack another build before merging it). */
export const ROOT = path.resolve(process.env.HOSTILE_ROOT ?? path.join(__dirname, '..', '..'));
const DIST = path.join(ROOT, 'dist');
/** Prefixes the child's result line on stdout. */
const MARK = '@@hostile-result ';

/** An outcome as the child reports it: a value (serialised) or an error's shape. */
export type Outcome =
  { ok: unknown } | { error: { cls: string; name: string; code: unknown; message: string; user?: boolean } };

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The argument of the child's last `done(...)`, or undefined if it never reported. */
  result: unknown;
}

/**
 * Helpers every child script has: `api` (the package root), `raw`
 * (`ffi-deep-dive/raw`), `outcome(f)` / `outcomeAsync(p)` / `settle(asyncF)`
 * (a value or the error's class, name, code and message), `UserError` (what hostile user code
 * throws, reported with `user: true`), `detach(buffer)` and `done(result)`.
 */
const PRELUDE = `
'use strict';
const api = require(${JSON.stringify(ROOT)});
const raw = require(${JSON.stringify(path.join(DIST, 'raw'))});
class UserError extends Error {}
function serialize(v) {
  if (typeof v === 'bigint') return { bigint: String(v) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { typed: Object.prototype.toString.call(v).slice(8, -1), values: Array.from(v, (x) => typeof x === 'bigint' ? String(x) : x) };
  if (typeof v === 'number' && !Number.isFinite(v)) return { number: String(v) };
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) { const o = {}; for (const k of Object.keys(v)) o[k] = serialize(v[k]); return o; }
  if (Array.isArray(v)) return v.map(serialize);
  return v;
}
function describeError(e) {
  const cls = e instanceof api.FfiError ? 'FfiError' : e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : e instanceof Error ? 'Error' : typeof e;
  return { cls, name: e && e.name, code: e && e.code, message: String(e && e.message), user: e instanceof UserError };
}
function outcome(f) { try { return { ok: serialize(f()) }; } catch (e) { return { error: describeError(e) }; } }
async function outcomeAsync(p) { try { return { ok: serialize(await p) }; } catch (e) { return { error: describeError(e) }; } }
async function settle(f) { try { return { ok: serialize(await f()) }; } catch (e) { return { error: describeError(e) }; } }
function detach(buffer) {
  if (typeof ArrayBuffer.prototype.transfer === 'function') buffer.transfer();
  else structuredClone(buffer, { transfer: [buffer] });
}
function done(result) { process.stdout.write('\\n${MARK}' + JSON.stringify(result) + '\\n'); }
`;

/** Runs `body` (JavaScript, may `await`) in a fresh node with the prelude's helpers. */
export function runChild(
  body: string,
  opts: { nodeArgs?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): ChildResult {
  if (!fs.existsSync(path.join(DIST, 'index.js'))) {
    throw new Error(`${DIST}/index.js is missing: run \`make\` (make test builds it before jest)`);
  }
  const script = `${PRELUDE}\n(async () => {\n${body}\n})().catch((e) => { done({ harnessError: String(e && e.stack) }); process.exitCode = 3; });\n`;
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), '-e', script], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: opts.env ?? process.env,
  });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith(MARK));
  let result: unknown;
  if (lines.length > 0) result = JSON.parse(lines[lines.length - 1].slice(MARK.length)) as unknown;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, result };
}

/**
 * Runs `body` in a child and returns what it reported; fails, naming the exit
 * signal or status and the last thing the child reported, unless it exited
 * normally.
 */
export function inChild(body: string, opts?: Parameters<typeof runChild>[1]): unknown {
  const r = runChild(body, opts);
  if (r.status !== 0 || r.signal !== null) {
    throw new Error(
      `the child process ended with ${r.signal ?? `exit status ${r.status}`}; ` +
        `last report: ${JSON.stringify(r.result)}\nstderr: ${r.stderr.slice(-2000)}`,
    );
  }
  return r.result;
}

/** The error outcome the API documents: its class and Node-style code. */
export function rejected(cls: string, code: string): { error: Record<string, unknown> } {
  return { error: expect.objectContaining({ cls, code }) as Record<string, unknown> };
}

export const TYPE = rejected('TypeError', 'ERR_INVALID_ARG_TYPE');
export const VALUE = rejected('TypeError', 'ERR_INVALID_ARG_VALUE');
export const RANGE = rejected('RangeError', 'ERR_OUT_OF_RANGE');
export const FREED = rejected('Error', 'ERR_FFI_FREED');
