import { addChecked, FfiError, FfiStatus, statusName } from '../ts';
import { ffi_status_message } from '../ts/raw';
import { check, failure, syncError } from '../ts/status';

describe('FfiStatus and FfiError', () => {
  it('has distinct numbers and a static message for each status', () => {
    const codes = Object.values(FfiStatus);
    expect(new Set(codes).size).toBe(codes.length);
    const messages = codes.map((c) => ffi_status_message(c));
    expect(new Set(messages).size).toBe(codes.length);
    expect(ffi_status_message(FfiStatus.OK)).toBe('ok');
    expect(ffi_status_message(-1)).toBe('unknown status');
    expect(ffi_status_message(99)).toBe('unknown status');
  });

  it('names codes', () => {
    expect(statusName(5)).toBe('OVERFLOW');
    expect(statusName(1234)).toBe('UNKNOWN');
  });

  it('builds FfiError from a code, with the static description when no reason is given', () => {
    const err = new FfiError(FfiStatus.INVALID_UTF8, 'op');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('FfiError');
    expect(err.status).toBe('INVALID_UTF8');
    expect(err.statusCode).toBe(2);
    expect(err.code).toBe('ERR_FFI_INVALID_UTF8');
    expect(err.message).toBe('op: a string argument was not valid UTF-8');
  });

  it('builds FfiError with a reason', () => {
    const err = new FfiError(FfiStatus.OVERFLOW, 'op', 'too big');
    expect(err).toMatchObject({ status: 'OVERFLOW', statusCode: 5, code: 'ERR_FFI_OVERFLOW', message: 'op: too big' });
    expect(new FfiError(99, 'op', 'odd')).toMatchObject({
      status: 'UNKNOWN',
      code: 'ERR_FFI_UNKNOWN',
      message: 'op: odd',
    });
  });

  it('builds FfiError for any operation value, a Symbol included (the constructor is public)', () => {
    const op = Symbol('mine') as unknown as string;
    expect(new FfiError(FfiStatus.OVERFLOW, op, 'too big')).toMatchObject({
      code: 'ERR_FFI_OVERFLOW',
      message: 'Symbol(mine): too big',
    });
  });
});

describe('statusName, FfiError and failure() on codes that are no status', () => {
  it('names every status, and only integer codes: UNKNOWN for a fraction, NaN or a value that is no number', () => {
    for (const [name, code] of Object.entries(FfiStatus)) expect(statusName(code)).toBe(name);
    for (const odd of [-1, 8, 1.5, NaN, Infinity, 'length', '1', 'map']) {
      expect(statusName(odd as number)).toBe('UNKNOWN');
    }
  });

  it('gives the "unknown status" description for a code that is no int32, not that of a truncated code', () => {
    // koffi would truncate 1.5 to 1 (NULL_ARGUMENT's description) and 2^32 + 3 to 3.
    for (const odd of [1.5, 2 ** 32 + 3, -0.5]) {
      expect(new FfiError(odd, 'op')).toMatchObject({
        status: 'UNKNOWN',
        statusCode: odd,
        code: 'ERR_FFI_UNKNOWN',
        message: 'op: unknown status',
      });
    }
    expect(new FfiError(99, 'op').message).toBe('op: unknown status');
  });

  it('takes an empty reason as no reason', () => {
    expect(new FfiError(FfiStatus.OVERFLOW, 'op', '').message).toBe(`op: ${ffi_status_message(FfiStatus.OVERFLOW)}`);
  });
});

describe('failure() and check() read the reason from the error object only for the status it recorded', () => {
  const overflow = '2147483647 + 1 = 2147483648 does not fit in a 32-bit int: it is above INT32_MAX (2147483647)';

  it('uses the recorded reason for that status, and the static description for any other', () => {
    expect(() => addChecked(2 ** 31 - 1, 1)).toThrow(`addChecked: ${overflow}`); // records OVERFLOW in syncError
    expect(failure(FfiStatus.OVERFLOW, 'op').message).toBe(`op: ${overflow}`);
    expect(failure(FfiStatus.OVERFLOW, 'op', syncError).message).toBe(`op: ${overflow}`);
    // A stale reason of another status is never shown.
    expect(failure(FfiStatus.INVALID_ARGUMENT, 'op')).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: `op: ${ffi_status_message(FfiStatus.INVALID_ARGUMENT)}`,
    });
    // No error object: the static description.
    expect(failure(FfiStatus.OVERFLOW, 'op', null).message).toBe(`op: ${ffi_status_message(FfiStatus.OVERFLOW)}`);
    expect(failure(FfiStatus.NULL_ARGUMENT, 'op', null).message).toBe(
      `op: ${ffi_status_message(FfiStatus.NULL_ARGUMENT)}`,
    );
  });

  it('check() throws that FfiError for every status but OK', () => {
    expect(() => addChecked(2 ** 31 - 1, 1)).toThrow(FfiError);
    expect(check(FfiStatus.OK, 'op')).toBeUndefined();
    let caught: unknown;
    try {
      check(FfiStatus.OVERFLOW, 'op');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FfiError);
    expect(caught).toMatchObject({ status: 'OVERFLOW', code: 'ERR_FFI_OVERFLOW', message: `op: ${overflow}` });
  });
});
