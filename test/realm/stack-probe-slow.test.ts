/**
 * Stack exhaustion at any point leaks nothing (issue 20): the recursion
 * probe (test/realm/stack-probe.child.js) runs every public function's cases
 * (test/realm/cases.js) at each stack depth near V8's limit, in steps of 8
 * bytes, so that the stack-overflow RangeError lands at each call inside the
 * function in turn. Each outcome must be the model's result, a coded error or
 * the overflow itself (never a Promise that never settles); afterwards, every
 * live counter of the raw layer (`*_live_count()`) is back at its baseline
 * (after a collection, for points left to the garbage collector) and the
 * function still gives its model's result.
 *
 * The children run with `--stack-size=300` (a V8 limit of 300 KB, so each
 * attempt's dive to the limit is short); the async cases each get a child of
 * their own (an async module wedged by one cannot hide another's result).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../hostile/child';

const CHILD = path.join(__dirname, 'stack-probe.child.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CASES } = require('./cases') as { CASES: { name: string; fn: string; async?: boolean }[] };

interface Probe {
  case: string;
  hangBefore?: boolean;
  headroomFrames: number;
  attempts: number;
  outcomes: Record<string, number>;
  wrong: unknown[];
  wrongCount: number;
  leakAttempts: number;
  leakSamples: unknown[];
  leaked: Record<string, number>;
  afterwards: string;
}

function probe(cases: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--stack-size=300', CHILD, JSON.stringify({ root: ROOT, cases })],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const results = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('@@case '))
    .map((l) => JSON.parse(l.slice(7)) as Probe);
  return { status: r.status, signal: r.signal, results, stderr: r.stderr.slice(-1500) };
}

// Sync cases several to a child; each async case alone.
const groups: string[][] = [];
const sync = CASES.filter((c) => !c.async).map((c) => c.name);
for (let i = 0; i < sync.length; i += 8) groups.push(sync.slice(i, i + 8));
for (const c of CASES.filter((x) => x.async)) groups.push([c.name]);

it('the probe covers every public function', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(ROOT) as Record<string, unknown>;
  const functions = Object.keys(api).filter((k) => typeof api[k] === 'function');
  expect(functions.filter((f) => !CASES.some((c) => c.fn === f))).toEqual([]);
});

describe.each(groups.map((g) => [g.join(', '), g]))('recursion probe: %s', (_label, names) => {
  const run = probe(names as string[]);
  it('the child ends normally, with a report for every case', () => {
    expect({ status: run.status, signal: run.signal, reported: run.results.map((r) => r.case) }).toEqual({
      status: 0,
      signal: null,
      reported: names,
    });
  });
  it.each(names as string[])('%s: every outcome defined, every live counter back at its baseline', (name) => {
    const r = run.results.find((x) => x.case === name);
    expect(r).toBeDefined();
    expect({
      hangBefore: r!.hangBefore,
      wrong: r!.wrong,
      wrongCount: r!.wrongCount,
      leaked: r!.leaked,
      leakAttempts: r!.leakAttempts,
      leakSamples: r!.leakSamples,
      afterwards: r!.afterwards,
    }).toEqual({
      hangBefore: undefined,
      wrong: [],
      wrongCount: 0,
      leaked: {},
      leakAttempts: 0,
      leakSamples: [],
      afterwards: 'ok',
    });
    // The sweep reached the case's end: some attempts overflowed, some ran to a defined outcome.
    expect(r!.outcomes.overflow).toBeGreaterThan(0);
    expect(r!.outcomes.result + r!.outcomes.coded).toBeGreaterThan(0);
  });
});
