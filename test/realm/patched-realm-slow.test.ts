/**
 * The patched-realm test (issue 20), the sample `make test` runs: built-ins
 * patched after the package was required (test/realm/patches.js: every
 * function-valued property and accessor of the realm's intrinsics, index and
 * field accessors, each in three variants: throw, lie, twice) against every
 * public function's cases and their plain-JS models (test/realm/cases.js),
 * in child processes (test/realm/realm.js, realm.child.js). `make fuzz-js`
 * runs every patch against every case.
 *
 * The oracle, per (patch, case): the outcome is the model's result or an
 * Error with a string `code`; the live counters of the raw layer do not move;
 * nothing is thrown outside the call with a package frame on its stack; the
 * child is neither killed by a signal nor stuck. Failures with no package
 * frame on their stack are the runtime's (Node core under the patch) and are
 * counted apart, as are the named exclusions (realm.child.js's EXCLUSIONS,
 * where JavaScript itself decides the outcome), whose documented behaviour is
 * asserted instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../hostile/child';

const SEED = Number(process.env.REALM_SEED ?? 20261207);
const REPORT = path.join(os.tmpdir(), `patched-realm-${process.pid}.json`);

interface Report {
  summary: {
    patches: number;
    patchesByKind: Record<string, number>;
    exportsWithoutCase: string[];
    pairs: number;
    judged: number;
    patchesRun: number;
    excluded: Record<string, number>;
    packageFailures: number;
    packageFailuresByWhy: Record<string, number>;
    failingPatches: number;
    runtimeFailures: number;
    crashes: { p: string; c: string; signal: string | null; status: number | null }[];
    harnessErrors: unknown[];
    seconds: number;
  };
  failures: { p: string; c: string; who: string; why?: string; leak?: unknown; got?: unknown; uncaught?: unknown }[];
}

let report: Report;

/** An error as the child described it, without its stack. */
function brief(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const { name, code, message } = e as { name?: string; code?: unknown; message?: string };
  return `${name}${typeof code === 'string' ? ` [${code}]` : ''}: ${message}`;
}

beforeAll(() => {
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, 'realm.js'), '--seed', String(SEED), '--json', REPORT, '--root', ROOT],
    {
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (!fs.existsSync(REPORT))
    throw new Error(`realm.js wrote no report (status ${r.status}, ${r.signal}): ${r.stderr}`);
  report = JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report;
  fs.rmSync(REPORT, { force: true });
}, 600_000);

it('the patch list is generated from the realm, and every patch and every export is tested', () => {
  const s = report.summary;
  // Enumerated, not listed by hand: thousands (2,841 on Node 20: methods, accessors, globals, 2 × 256 indexes, fields, × 3 variants).
  expect(s.patches).toBeGreaterThan(2000);
  expect(Object.keys(s.patchesByKind).sort()).toEqual(['accessor', 'field', 'global', 'index', 'method']);
  expect(s.patchesRun).toBe(s.patches);
  expect(s.exportsWithoutCase).toEqual([]);
  expect(s.harnessErrors).toEqual([]);
});

it('no patch crashes the process or leaves it stuck', () => {
  expect(report.summary.crashes).toEqual([]);
  expect(report.summary.judged).toBe(report.summary.pairs);
});

it('under every patch, every public function gives its model result or a coded error, and leaks nothing', () => {
  const pkg = report.failures
    .filter((f) => f.who === 'package')
    .map(({ p, c, why, leak, got, uncaught }) => ({ p, c, why, leak, got: brief(got), uncaught: brief(uncaught) }));
  expect({ count: pkg.length, first: pkg.slice(0, 20) }).toEqual({ count: 0, first: [] });
});
