/**
 * The panic guard, seen from JS: a child node process loads the test build
 * of the library (`make lib-test-panic`: cargo feature test-panic, which adds
 * `ffi_test_panic` and `ffi_test_panic_ptr`) through FFI_DEEP_DIVE_LIB, calls
 * the panicking exports with koffi directly (they are not in the raw layer),
 * then uses the package normally. A panic must come back as FFI_STATUS_PANIC
 * or NULL, never abort the process. (The conformance test checks that the
 * library users get does not contain these exports.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FfiStatus } from '../ts';
import { cargoTargetDir } from '../ts/raw';

const ROOT = path.resolve(__dirname, '..');
const TEST_LIB = path.join(cargoTargetDir(), 'test-panic', 'release', 'libffi_deep_dive.so');

const CHILD = `
const koffi = require('koffi');
const api = require(${JSON.stringify(ROOT)});
const raw = require(${JSON.stringify(path.join(ROOT, 'dist', 'raw'))});
const lib = koffi.load(process.env.FFI_DEEP_DIVE_LIB);
const panic = lib.func('int ffi_test_panic(bool should_panic, void *error)');
const panicPtr = lib.func('void *ffi_test_panic_ptr(void)');
const out = { loaded: raw.libraryPath, statuses: [], pointers: [] };
out.noPanic = panic(false, null);
for (let i = 0; i < 3; i++) {
  out.statuses.push(panic(true, null));
  out.pointers.push(panicPtr());
}
const error = raw.ffi_error_new();
out.reason = { status: panic(true, error), recorded: raw.ffi_error_status(error), message: raw.ffi_error_message(error) };
raw.ffi_error_free(error);
out.after = { add: api.addInRust(2, 3), concat: api.concatStrings('after ', 'panic'), noPanic: panic(false, null) };
process.stdout.write(JSON.stringify(out));
`;

describe('a panic inside an export', () => {
  it('becomes FFI_STATUS_PANIC or NULL in JS, and the process keeps working', () => {
    if (!fs.existsSync(TEST_LIB))
      throw new Error(`${TEST_LIB} is missing: run \`make lib-test-panic\` (make test does)`);
    const r = spawnSync(process.execPath, ['-e', CHILD], {
      env: { ...process.env, FFI_DEEP_DIVE_LIB: TEST_LIB, RUST_BACKTRACE: '0' },
      encoding: 'utf8',
    });
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
    const out = JSON.parse(r.stdout) as {
      loaded: string;
      noPanic: number;
      statuses: number[];
      pointers: unknown[];
      after: { add: number; concat: string; noPanic: number };
      reason: { status: number; recorded: number; message: string };
    };
    expect(out.loaded).toBe(TEST_LIB);
    expect(out.noPanic).toBe(FfiStatus.OK);
    expect(out.statuses).toEqual([FfiStatus.PANIC, FfiStatus.PANIC, FfiStatus.PANIC]);
    expect(out.pointers).toEqual([null, null, null]);
    // With an error object, the panic's message is the reason.
    expect(out.reason).toEqual({
      status: FfiStatus.PANIC,
      recorded: FfiStatus.PANIC,
      message: 'Rust panicked: ffi_test_panic: deliberate panic',
    });
    expect(out.after).toEqual({ add: 5, concat: 'after panic', noPanic: FfiStatus.OK });
    // The panics really happened (Rust's hook printed them) and were caught.
    expect(r.stderr).toMatch(/ffi_test_panic: deliberate panic/);
    expect(r.stderr).toMatch(/ffi_test_panic_ptr: deliberate panic/);
  });
});
