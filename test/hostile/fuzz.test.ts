/**
 * The hostile-argument fuzzer (fast-check) in `make test`: every public
 * function of the package root gets HOSTILE_FUZZ_RUNS adversarial calls from
 * a fixed seed, in its own child process (so a crash fails that function
 * only, naming the case that crashed). The arbitraries and the oracle are in
 * values.js and targets.js; `make fuzz-js` runs the same fuzzer longer.
 *
 * The oracle: the process survives; every throw is a TypeError, RangeError,
 * FfiError (or Error ERR_FFI_FREED) with a Node-style `code`, or the user's
 * own exception; results (and the state of every buffer afterwards) agree
 * with a plain-JS model computed from a snapshot of the arguments taken the
 * way the API documents; and library calls made from inside user code
 * (re-entry) return correct results.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as api from '../../ts';
import { ROOT } from './child';

const SEED = Number(process.env.HOSTILE_FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 200);
const CHILD = path.join(__dirname, 'fuzz.child.js');

function child(opts: Record<string, unknown>): {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
} {
  return spawnSync(process.execPath, ['--expose-gc', CHILD, JSON.stringify({ root: ROOT, ...opts })], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

const TARGETS = JSON.parse(child({ mode: 'list' }).stdout) as string[];

/** Public values that are not functions taking arguments (constants), so not fuzzed. */
const CONSTANTS = ['FfiStatus', 'FLOAT32_MAX', 'PRIMES_UP_TO_MAX_LIMIT', 'MAX_ASYNC_IN_FLIGHT'];
/** Public functions that reach no native code, so not fuzzed (test/badinput.test.ts covers them). */
const NOT_NATIVE = ['isCodedError'];

it('the fuzzer attacks every function the package root exports', () => {
  const exported = Object.entries(api)
    .filter(([name, value]) => typeof value === 'function' && !CONSTANTS.includes(name) && !NOT_NATIVE.includes(name))
    .map(([name]) => name);
  const fuzzed = new Set(TARGETS.map((t) => t.split('.')[0]));
  expect(exported.filter((name) => !fuzzed.has(name))).toEqual([]);
});

describe(`hostile fuzz: ${RUNS} calls per function, seed ${SEED}`, () => {
  it.each(TARGETS)('%s', (target) => {
    const lastCase = path.join(os.tmpdir(), `hostile-fuzz-${process.pid}-${target}.json`);
    const r = child({ targets: [target], seed: SEED, runs: RUNS, relaxed: false, mode: 'assert', lastCase });
    let crashed = '';
    if (r.status !== 0 || r.signal !== null) {
      crashed = fs.existsSync(lastCase) ? fs.readFileSync(lastCase, 'utf8') : '(no case recorded)';
    }
    expect({ status: r.status, signal: r.signal, crashedOn: crashed, stderr: r.stderr.slice(-1500) }).toEqual({
      status: 0,
      signal: null,
      crashedOn: '',
      stderr: expect.any(String) as unknown,
    });
    const lines = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as { target: string; ok: boolean; numRuns: number; error?: string; counterexample?: unknown },
      );
    expect(
      lines.map(({ target: t, ok, numRuns, error, counterexample }) => ({ t, ok, numRuns, error, counterexample })),
    ).toEqual([{ t: target, ok: true, numRuns: RUNS, error: undefined, counterexample: undefined }]);
  });
});
