import { FfiError, FfiStatus, statusName } from '../ts';
import { ffi_status_message } from '../ts/raw';

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
