/**
 * Async: the slices functions run on koffi's worker threads, so the event
 * loop keeps running while Rust works.
 *
 * Each call goes through koffi's `.async` (a worker thread runs the native
 * function and the callback settles the Promise on the main thread). koffi
 * accepts at most `max_async_calls` (256 by default) running or queued calls
 * and throws past that; this module never lets it get there. It keeps at most
 * {@link MAX_ASYNC_IN_FLIGHT} calls inside koffi and queues the rest in JS, in
 * order, so any number of calls may be pending. koffi runs calls on about one
 * worker per core, so more in flight would not finish sooner; and up to 8
 * calls reuse koffi's resident memory pools (`resident_async_pools`), while
 * each call beyond that allocates and frees its own (measured: about 20 µs per
 * call with 8 in flight against 35-50 µs with 64).
 *
 * Inputs are kept alive until the Promise settles. A `Uint32Array` is lent to
 * Rust, not copied: writing to it (or transferring/detaching its buffer)
 * before the Promise settles is a data race, with an unspecified result. A
 * plain array is copied, so it may change freely.
 */
import { availableParallelism } from 'node:os';
import { primes_up_to, sum_of_even } from './raw/slices';
import { check } from './status';
import { checkPrimesLimit, takeU32Array } from './slices';
import { uint32Array } from './validate';

/**
 * The most calls this module has inside koffi's async queue at once; the
 * others wait in JS. One per core, at least 8 (koffi's resident pools) and at
 * most 64 (well below koffi's `max_async_calls` of 256, which other code may
 * share).
 */
export const MAX_ASYNC_IN_FLIGHT = Math.min(64, Math.max(8, availableParallelism()));

type Start = () => void;
let inFlight = 0;
const waiting: Start[] = [];

/** Runs `start` now if there is room in koffi's queue, else when a running call settles. */
function schedule(start: Start): void {
  if (inFlight < MAX_ASYNC_IN_FLIGHT) {
    inFlight++;
    start();
  } else {
    waiting.push(start);
  }
}

/** Called once per settled call: hands its slot to the next waiting call. */
function release(): void {
  const next = waiting.shift();
  if (next !== undefined) {
    next(); // the slot passes on; inFlight is unchanged
  } else {
    inFlight--;
  }
}

/**
 * Calls `fn.async(...args)` in a slot, and settles with `convert(result)`.
 * `keep` is referenced until then so the memory koffi lends to Rust stays alive.
 */
function callAsync<R, T>(
  operation: string,
  invoke: (done: (err: unknown, result: R) => void) => void,
  convert: (result: R) => T,
  keep: unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    schedule(() => {
      let settled = false;
      const done = (err: unknown, result: R): void => {
        if (settled) return;
        settled = true;
        release();
        void keep; // referenced here so that it outlives the native call
        if (err !== null && err !== undefined) {
          reject(err instanceof Error ? err : new Error(`${operation}: ${String(err)}`));
          return;
        }
        try {
          resolve(convert(result));
        } catch (e) {
          reject(e);
        }
      };
      try {
        invoke(done);
      } catch (cause) {
        // koffi refuses the call (its queue is full, e.g. because other code
        // also uses .async): a clear rejection, never a crash.
        done(
          new Error(
            `${operation}: koffi could not start the async call (${(cause as Error).message}); too many native async calls are pending`,
            { cause },
          ),
          undefined as R,
        );
      }
    });
  });
}

function toNumber(sum: number | bigint): number {
  if (typeof sum === 'number' && sum <= Number.MAX_SAFE_INTEGER) return sum;
  throw new RangeError(
    `sumOfEvenAsync: the sum ${BigInt(sum)} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use sumOfEvenBigIntAsync(), which returns a bigint`,
  );
}

/**
 * {@link sumOfEven} on a worker thread.
 *
 * A `Uint32Array` is lent, not copied: do not write to it until the Promise
 * settles (that is a data race). A plain array is validated and copied first.
 * Invalid arguments reject (they do not throw synchronously).
 *
 * @returns a Promise of the exact sum, rejected with `RangeError` if it exceeds 2^53 - 1
 * @example await sumOfEvenAsync(new Uint32Array([1, 2, 3, 4])) // 6
 */
export async function sumOfEvenAsync(numbers: Uint32Array | readonly number[]): Promise<number> {
  const array = uint32Array(numbers, 'numbers');
  return callAsync('sumOfEvenAsync', (done) => sum_of_even.async(array, array.length, done), toNumber, array);
}

/**
 * {@link sumOfEvenBigInt} on a worker thread: the exact sum as a `bigint`.
 * The same lending rules as {@link sumOfEvenAsync}.
 *
 * @example await sumOfEvenBigIntAsync([2, 4]) // 6n
 */
export async function sumOfEvenBigIntAsync(numbers: Uint32Array | readonly number[]): Promise<bigint> {
  const array = uint32Array(numbers, 'numbers');
  return callAsync(
    'sumOfEvenBigIntAsync',
    (done) => sum_of_even.async(array, array.length, done),
    (sum: number | bigint) => BigInt(sum),
    array,
  );
}

/**
 * {@link primesUpTo} on a worker thread. The sieve runs off the event loop;
 * the one copy of the result into a JS `Uint32Array` happens on the main
 * thread when the Promise settles, and the Rust memory is freed right away.
 *
 * @returns a Promise of the primes `<= limit`
 * @example await primesUpToAsync(10) // Uint32Array [2, 3, 5, 7]
 */
export async function primesUpToAsync(limit: number): Promise<Uint32Array> {
  const n = checkPrimesLimit(limit);
  // Per call: the worker writes into it while other calls run. Backed by its
  // own ArrayBuffer so the memory is off V8's heap from the start (small
  // typed arrays may live on the heap, which the GC moves).
  const out = new BigUint64Array(new ArrayBuffer(24));
  return callAsync(
    'primesUpToAsync',
    (done) => primes_up_to.async(n, out, done),
    (status: number) => {
      check(status, 'primesUpToAsync');
      return takeU32Array(out, 'primesUpToAsync');
    },
    out,
  );
}
