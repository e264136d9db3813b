import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import koffi from 'koffi';
import { countWhere, FfiError, FfiStatus, MAX_CALLBACK_DEPTH } from '../ts';
import { COUNT_WHERE_MATCH, COUNT_WHERE_STOP, CountWherePredicate, count_where, ffi_status_message } from '../ts/raw';
import * as rawCallbacks from '../ts/raw/callbacks';
import * as status from '../ts/status';
import * as validate from '../ts/validate';
import { expectThrowsArg } from './fixtures/arg-errors';

/** A copy of ts/callbacks with its own scratch copies (the raw, status and validate modules shared). */
function freshCallbacks(): typeof import('../ts/callbacks') {
  const shared: Record<string, () => unknown> = {
    '../ts/raw/callbacks': () => rawCallbacks,
    '../ts/status': () => status,
    '../ts/validate': () => validate,
  };
  let fresh: typeof import('../ts/callbacks') | undefined;
  jest.isolateModules(() => {
    for (const [name, factory] of Object.entries(shared)) jest.doMock(name, factory);
    fresh = jest.requireActual<typeof import('../ts/callbacks')>('../ts/callbacks');
  });
  for (const name of Object.keys(shared)) jest.dontMock(name);
  if (fresh === undefined) throw new Error('ts/callbacks did not load');
  return fresh;
}

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

describe('countWhere', () => {
  it('counts the values the predicate accepts', () => {
    expect(countWhere([1, 2, 3, 4, 5], (n) => n % 2 === 1)).toBe(3);
    expect(countWhere(new Uint32Array([10, 20, 30]), (n) => n > 15)).toBe(2);
    expect(countWhere([], () => true)).toBe(0);
    expect(countWhere(new Uint32Array([0xffff_ffff]), (n) => n === 0xffff_ffff)).toBe(1);
  });

  it('calls the predicate once per value, in order, with the uint32 value', () => {
    const seen: number[] = [];
    countWhere(new Uint32Array([5, 0, 0xffff_ffff, 7]).subarray(1), (n) => {
      seen.push(n);
      return false;
    });
    expect(seen).toEqual([0, 0xffff_ffff, 7]);
  });

  it('takes the predicate result for its truthiness, like filter()', () => {
    const values = [0, 1, 2, 3, 4, 5];
    const weird = (n: number) => [0, 'yes', null, {}, '', NaN][n] as unknown as boolean;
    expect(countWhere(values, weird)).toBe(values.filter(weird).length);
  });

  it('equals filter().length', () => {
    fc.assert(
      fc.property(fc.array(u32, { maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (values, d) => {
        const p = (n: number) => n % d === 0;
        expect(countWhere(values, p)).toBe(values.filter(p).length);
        expect(countWhere(Uint32Array.from(values), p)).toBe(values.filter(p).length);
      }),
      { numRuns: 300 },
    );
  });

  it('rethrows the very exception the predicate threw, and Rust stops at once', () => {
    const boom = new Error('boom');
    const seen: number[] = [];
    let caught: unknown;
    try {
      countWhere([1, 2, 3, 4, 5, 6], (n) => {
        seen.push(n);
        if (n === 3) throw boom;
        return true;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    expect(seen).toEqual([1, 2, 3]); // never called for 4, 5, 6
  });

  it.each([
    ['a TypeError', new TypeError('bad')],
    ['a string', 'just a string'],
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { code: 'E_CUSTOM' }],
  ])('rethrows %s as is', (_label, thrown) => {
    let caught: unknown = Symbol('nothing thrown');
    try {
      countWhere([1, 2], () => {
        throw thrown;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(thrown);
  });

  it('stops at the first value when the first call throws, on a large input', () => {
    let calls = 0;
    const big = new Uint32Array(1_000_000);
    expect(() =>
      countWhere(big, () => {
        calls++;
        throw new RangeError('first');
      }),
    ).toThrow('first');
    expect(calls).toBe(1);
  });

  it('supports re-entrant calls from inside the predicate', () => {
    const inner = [1, 2, 3];
    const outer = countWhere([1, 2, 3, 4], (n) => countWhere(inner, (m) => m <= n) >= 2);
    expect(outer).toBe(3);
    const innerError = new Error('inner');
    expect(() =>
      countWhere(
        [1],
        () =>
          countWhere([1], () => {
            throw innerError;
          }) > 0,
      ),
    ).toThrow(innerError);
    expect(countWhere([1, 2], () => true)).toBe(2); // still fine afterwards
  });

  it('does not leak koffi callback slots over 20,000 calls (koffi caps them at 8192)', () => {
    const before = koffi.stats().callbacks;
    const values = new Uint32Array([1, 2, 3]);
    let total = 0;
    for (let i = 0; i < 20_000; i++) total += countWhere(values, (n) => n > 1);
    expect(total).toBe(40_000);
    // The throwing path too (one prebuilt error: building 20,000 stack traces
    // under ts-jest's source maps would dominate the test's time).
    const stop = new Error('stop');
    let rethrown = 0;
    for (let i = 0; i < 20_000; i++) {
      try {
        countWhere(values, () => {
          throw stop;
        });
      } catch (e) {
        if (e === stop) rethrown++;
      }
    }
    expect(rethrown).toBe(20_000);
    expect(koffi.stats().callbacks).toBe(before);
  });

  it('refuses a Promise or thenable result (an object or a function with a callable then), and stops calling', () => {
    const thenables: [string, () => unknown][] = [
      ['a Promise', () => Promise.resolve(false)],
      ['a thenable object', () => ({ then: () => undefined })],
      ['a thenable function', () => Object.assign(() => false, { then: () => undefined })],
    ];
    for (const [, make] of thenables) {
      let calls = 0;
      expectThrowsArg(
        () =>
          countWhere([1, 2, 3], () => {
            calls++;
            return make() as boolean;
          }),
        'countWhere',
        'ERR_INVALID_RETURN_VALUE',
        'predicate must return a value, not a Promise or thenable (countWhere is synchronous and cannot await it; every Promise is truthy)',
      );
      expect(calls).toBe(1);
    }
  });

  it('counts results that are no thenable by truthiness: null, primitives, functions, a then that is no function', () => {
    const values: unknown[] = [
      true,
      false,
      null,
      undefined,
      0,
      1,
      '',
      'x',
      NaN,
      {},
      [],
      { then: 1 },
      () => 0,
      Object.assign(() => 0, { then: 'no' }),
      Symbol('s'),
      0n,
      1n,
    ];
    const truthy = values.filter(Boolean).length;
    expect(truthy).toBe(10);
    expect(
      countWhere(
        values.map((_, i) => i),
        (i) => values[i] as boolean,
      ),
    ).toBe(truthy);
  });

  it('reuses its private copy from call to call: 200 calls on 65,536 values keep no copy each', () => {
    const values = new Uint32Array(1 << 16); // the largest copy kept for reuse, 256 KiB
    const stop = new Error('stop'); // Rust stops at the first value: only the copy costs
    const run = () => {
      try {
        countWhere(values, () => {
          throw stop;
        });
      } catch (e) {
        if (e !== stop) throw e;
      }
    };
    run();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 200; i++) run(); // a copy kept per call would hold 50 MiB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('lends Rust one kept copy while inputs fit it: at least 64 elements, grown to fit, none above 65,536', () => {
    const fresh = freshCallbacks();
    const spy = jest.spyOn(rawCallbacks, 'count_where');
    /** The array countWhere lent Rust for an input of `length` ones. */
    const copyFor = (length: number): unknown => {
      spy.mockClear();
      expect(fresh.countWhere(new Uint32Array(length).fill(1), (n) => n === 1)).toBe(length);
      expect(spy).toHaveBeenCalledTimes(1);
      return spy.mock.calls[0][0];
    };
    try {
      const first = copyFor(1);
      expect(copyFor(2)).toBe(first); // the first copy has room for 64
      expect(copyFor(64)).toBe(first); // exactly full
      const grown = copyFor(65);
      expect(grown).not.toBe(first);
      expect(copyFor(65)).toBe(grown);
      const largest = copyFor(1 << 16); // the largest copy kept
      expect(copyFor(1 << 16)).toBe(largest);
      const above = copyFor((1 << 16) + 1); // fresh each time
      expect(copyFor((1 << 16) + 1)).not.toBe(above);
      expect(copyFor(3)).toBe(largest);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['a string', 'n > 1'],
  ])('refuses %s as predicate with TypeError', (_label, bad) => {
    expectThrowsArg(
      () => countWhere([1], bad as unknown as () => boolean),
      'countWhere',
      'ERR_INVALID_ARG_TYPE',
      'predicate must be a function, got ',
    );
  });

  it('turns a failed count that no predicate exception explains into an FfiError naming countWhere', () => {
    // Only an internal panic can do that (the trampoline records every exception
    // before it stops Rust): injected here by replacing the raw call.
    const spy = jest.spyOn(rawCallbacks, 'count_where').mockImplementation(() => FfiStatus.PANIC);
    let caught: unknown;
    try {
      countWhere([1, 2], () => true);
    } catch (e) {
      caught = e;
    } finally {
      spy.mockRestore();
    }
    expect(caught).toBeInstanceOf(FfiError);
    expect(caught).toMatchObject({
      status: 'PANIC',
      code: 'ERR_FFI_PANIC',
      message: `countWhere: ${ffi_status_message(FfiStatus.PANIC)}`,
    });
    expect(countWhere([1, 2], () => true)).toBe(2);
  });

  it('copies inputs of every size, after a smaller one, and an empty or detached one', () => {
    const detached = new Uint32Array([1, 2]);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(countWhere(detached, () => true)).toBe(0);
    expect(countWhere(new Uint32Array(0), () => true)).toBe(0);
    expect(countWhere(new Uint32Array(3).fill(1), (v) => v === 1)).toBe(3);
    expect(countWhere(new Uint32Array(100).fill(1), (v) => v === 1)).toBe(100);
    expect(countWhere(new Uint32Array(70_000).fill(1), (v) => v === 1)).toBe(70_000);
  });

  it('validates numbers like sumOfEven', () => {
    expect(() => countWhere(new Int32Array([1]) as unknown as Uint32Array, () => true)).toThrow(TypeError);
    expect(() => countWhere([1, -2], () => true)).toThrow('numbers[1]');
    let called = false;
    expect(() =>
      countWhere([1, 2.5], () => {
        called = true;
        return true;
      }),
    ).toThrow(RangeError);
    expect(called).toBe(false); // validated before Rust is called
  });
});

describe('countWhere nesting is capped at MAX_CALLBACK_DEPTH', () => {
  /** Runs `body` (a script over `countWhere`, `MAX_CALLBACK_DEPTH`, `raw`) in a child with a 4 MB JS stack; its JSON output. */
  function inChild(body: string): unknown {
    const dist = path.resolve(__dirname, '..', 'dist');
    const script = `const { countWhere, MAX_CALLBACK_DEPTH } = require(${JSON.stringify(dist)});
      const raw = require(${JSON.stringify(path.join(dist, 'raw'))});
      ${body}`;
    const child = spawnSync(process.execPath, ['--stack-size=4000', '-e', script], { encoding: 'utf8' });
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    return JSON.parse(child.stdout);
  }

  it('nests exactly MAX_CALLBACK_DEPTH deep, and throws a coded RangeError one level deeper, before koffi', () => {
    expect(MAX_CALLBACK_DEPTH).toBe(256);
    expect(
      inChild(`
        let deepest = 0;
        const nest = (level) => {
          deepest = Math.max(deepest, level);
          if (level < MAX_CALLBACK_DEPTH) countWhere([level + 1], nest);
          return true;
        };
        const full = countWhere([1], nest);
        // Count the calls that reach koffi (ts/callbacks reads the raw export at each call).
        const rawCallbacks = require(${JSON.stringify(path.join(path.resolve(__dirname, '..', 'dist'), 'raw', 'callbacks'))});
        const real = rawCallbacks.count_where;
        let native = 0;
        rawCallbacks.count_where = (...args) => { native++; return real(...args); };
        let levels = 0, tooDeep;
        const dive = () => {
          levels++;
          try { countWhere([1], dive); } catch (e) { tooDeep ??= e; throw e; }
          return true;
        };
        let outer;
        try { countWhere([1], dive); } catch (e) { outer = e; }
        const nativeDive = native;
        deepest = 0;
        const again = countWhere([1], nest);
        console.log(JSON.stringify({
          full, levels, native: nativeDive, again, deepest, same: outer === tooDeep, name: tooDeep.name,
          code: tooDeep.code, message: tooDeep.message,
        }));`),
    ).toEqual({
      full: 1,
      levels: MAX_CALLBACK_DEPTH,
      native: MAX_CALLBACK_DEPTH, // the refused call never reached koffi
      again: 1,
      deepest: MAX_CALLBACK_DEPTH, // the depth is back to 0: a full-depth nest works again
      same: true,
      name: 'RangeError',
      code: 'ERR_FFI_NESTING_DEPTH',
      message: `countWhere: callbacks nested more than ${MAX_CALLBACK_DEPTH} deep`,
    });
  });

  it('counts calls made from element getters while the copy is made', () => {
    let refused: unknown;
    const getterNest = (level: number): unknown[] => {
      const input: unknown[] = [];
      Object.defineProperty(input, 0, {
        get() {
          if (level < MAX_CALLBACK_DEPTH + 5) {
            try {
              countWhere(getterNest(level + 1) as number[], () => true);
            } catch (error) {
              refused ??= error;
            }
          }
          return 1;
        },
      });
      return input;
    };
    expect(countWhere(getterNest(1) as number[], () => true)).toBe(1);
    expect(refused).toMatchObject({ code: 'ERR_FFI_NESTING_DEPTH' });
  });

  it('a thrown predicate, or a stack overflow, leaves the depth as it was', () => {
    expect(
      inChild(`
        const overflow = () => overflow() + 1;
        const errors = [];
        for (let i = 0; i < 3; i++) {
          try { countWhere([1], () => overflow() > 0); } catch (e) { errors.push(e.name); }
          try { countWhere([1], () => { throw new Error('no'); }); } catch (e) { errors.push(e.message); }
        }
        let deepest = 0;
        const nest = (level) => {
          deepest = Math.max(deepest, level);
          if (level < MAX_CALLBACK_DEPTH) countWhere([level + 1], nest);
          return true;
        };
        countWhere([1], nest);
        console.log(JSON.stringify({ errors, deepest }));`),
    ).toEqual({ errors: ['RangeError', 'no', 'RangeError', 'no', 'RangeError', 'no'], deepest: MAX_CALLBACK_DEPTH });
  });

  /**
   * Runs `dive` (a script that leaves its JSON answer in `result`) in a child process, on its main thread
   * (`stackSizeMb` 0) or in a worker with that stack, and checks that it ended normally: no signal, exit 0,
   * nothing on stderr.
   */
  function nestedRun(dive: string, flags: string[], stackSizeMb: number) {
    const script =
      stackSizeMb === 0
        ? `${dive}\nconsole.log(result);`
        : `const { Worker } = require('node:worker_threads');
           const w = new Worker(${JSON.stringify(`${dive}\nrequire('node:worker_threads').parentPort.postMessage(result);`)},
             { eval: true, resourceLimits: { stackSizeMb: ${stackSizeMb} } });
           w.on('message', (m) => console.log(m));`;
    const child = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    return child;
  }

  it.each([
    ['the main thread with --stack-size=7800', ['--stack-size=7800'], 0],
    ['a worker with resourceLimits.stackSizeMb 512', [], 512],
  ])(
    'on %s, a nest that goes on until refused ends with the coded RangeError (koffi stack overflow, SIGSEGV, before the cap)',
    (_label, flags, stackSizeMb) => {
      const dist = path.resolve(__dirname, '..', 'dist');
      const dive = `
        const { countWhere } = require(${JSON.stringify(dist)});
        let levels = 0, code;
        const dive = () => { levels++; countWhere([1], dive); return true; };
        try { countWhere([1], dive); } catch (e) { code = e.code; }
        const result = JSON.stringify({ levels, code });`;
      const child = nestedRun(dive, flags, stackSizeMb);
      expect(JSON.parse(child.stdout)).toEqual({ levels: MAX_CALLBACK_DEPTH, code: 'ERR_FFI_NESTING_DEPTH' });
    },
  );

  it.each([
    ['3 module instances, on the main thread with --stack-size=7800', 3, ['--stack-size=7800'], 0],
    ['5 module instances, on the main thread with --stack-size=7800', 5, ['--stack-size=7800'], 0],
    ['3 module instances, in a worker with resourceLimits.stackSizeMb 512', 3, [], 512],
    ['8 module instances, in a worker with resourceLimits.stackSizeMb 512', 8, [], 512],
  ])(
    "calls nested alternately through %s stop at the library's cap with the coded RangeError (no SIGSEGV)",
    (_label, instances, flags, stackSizeMb) => {
      // Each instance (a cleared require.cache, as duplicated dependencies
      // and test runners give) counts only its own calls: the library's
      // per-thread count, which they all share, refuses the 257th level.
      const dist = path.resolve(__dirname, '..', 'dist');
      const dive = `
        const dist = ${JSON.stringify(dist)};
        const copies = [];
        for (let i = 0; i < ${instances}; i++) {
          for (const k of Object.keys(require.cache)) if (k.startsWith(dist)) delete require.cache[k];
          copies.push(require(dist));
        }
        const distinct = new Set(copies.map((c) => c.countWhere)).size;
        let levels = 0, first;
        const nest = () => {
          const api = copies[levels % copies.length];
          levels++;
          try { api.countWhere([1], nest); } catch (e) { first ??= e; throw e; }
          return true;
        };
        let outer;
        try { copies[0].countWhere([1], nest); } catch (e) { outer = e; }
        // Every instance's count and the library's are back to 0.
        levels = 0;
        const nestOne = () => { levels++; if (levels < ${MAX_CALLBACK_DEPTH}) copies[levels % copies.length].countWhere([1], nestOne); return true; };
        const again = copies[1].countWhere([1], nestOne);
        const result = JSON.stringify({
          distinct, same: outer === first, name: first.name, code: first.code, message: first.message, again, levels,
        });`;
      const child = nestedRun(dive, flags, stackSizeMb);
      expect(JSON.parse(child.stdout)).toEqual({
        distinct: instances,
        same: true,
        name: 'RangeError',
        code: 'ERR_FFI_NESTING_DEPTH',
        message: `countWhere: callbacks nested more than ${MAX_CALLBACK_DEPTH} deep`,
        again: 1,
        levels: MAX_CALLBACK_DEPTH,
      });
    },
  );

  it("MAX_CALLBACK_DEPTH is the library's COUNT_WHERE_MAX_DEPTH, and the library refuses one level deeper", () => {
    expect(MAX_CALLBACK_DEPTH).toBe(rawCallbacks.COUNT_WHERE_MAX_DEPTH);
    expect(MAX_CALLBACK_DEPTH).toBe(256);
    // Through the raw layer alone (no per-instance count): the 257th call is refused before its predicate runs.
    expect(
      inChild(`
        const out = new BigUint64Array(1);
        let levels = 0, refused, calledAt257 = false;
        const nest = () => {
          levels++;
          if (levels > ${MAX_CALLBACK_DEPTH}) calledAt257 = true;
          const st = raw.count_where(new Uint32Array([1]), 1, nest, null, out, null);
          if (st !== ${FfiStatus.OK}) refused ??= st;
          return 1;
        };
        raw.count_where(new Uint32Array([1]), 1, nest, null, out, null);
        console.log(JSON.stringify({ levels, refused, calledAt257 }));`),
    ).toEqual({ levels: MAX_CALLBACK_DEPTH, refused: FfiStatus.INVALID_ARGUMENT, calledAt257: false });
  });
});

describe('raw count_where', () => {
  const out = new BigUint64Array(1);

  it('stops on a negative answer with CANCELLED and the count so far', () => {
    const seen: number[] = [];
    const status = count_where(
      new Uint32Array([1, 2, 3, 4]),
      4,
      (v) => {
        seen.push(v);
        return v === 3 ? COUNT_WHERE_STOP : COUNT_WHERE_MATCH;
      },
      null,
      out,
      null,
    );
    expect(status).toBe(FfiStatus.CANCELLED);
    expect(out[0]).toBe(2n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('passes user_data through unchanged', () => {
    const seen: (bigint | null)[] = [];
    count_where(
      new Uint32Array([1, 2]),
      2,
      (_v, data) => {
        seen.push(data);
        return 1;
      },
      0x1234n,
      out,
      null,
    );
    expect(seen).toEqual([0x1234n, 0x1234n]);
  });

  it('works with a registered callback too', () => {
    const cb = koffi.register((v: number) => (v > 1 ? 1 : 0), koffi.pointer(CountWherePredicate));
    try {
      expect(count_where(new Uint32Array([1, 2, 3]), 3, cb, null, out, null)).toBe(FfiStatus.OK);
      expect(out[0]).toBe(2n);
    } finally {
      koffi.unregister(cb);
    }
  });

  it('reports NULL arguments without calling the predicate', () => {
    let calls = 0;
    const p = () => {
      calls++;
      return 1;
    };
    out[0] = 99n;
    expect(count_where(new Uint32Array([1]), 1, null, null, out, null)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(count_where(null, 3, p, null, out, null)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(count_where(new Uint32Array([1]), 1, p, null, null, null)).toBe(FfiStatus.NULL_ARGUMENT);
    expect(out[0]).toBe(99n);
    expect(calls).toBe(0);
    expect(count_where(null, 0, p, null, out, null)).toBe(FfiStatus.OK);
    expect(out[0]).toBe(0n);
  });

  it('without a trampoline, a JS exception does not stop Rust (why the public layer catches it)', () => {
    const boom = new Error('raw boom');
    // koffi rethrows after the call; Rust was never told to stop.
    expect(() =>
      count_where(
        new Uint32Array([1, 2, 3, 4]),
        4,
        (v) => {
          if (v === 2) throw boom;
          return 1;
        },
        null,
        out,
        null,
      ),
    ).toThrow(boom);
  });
});
