/* eslint-disable local/prefer-primordials -- TEMPORARY (h-prim branch): ts/async.ts is being rewritten onto ts/primordials.ts by the async helper; remove this line when merging that rewrite. */
/**
 * Async: the slices functions run on worker threads, so the event loop keeps
 * running while Rust works.
 *
 * **Inputs are copied, or transferred; never lent.** An async call owns its
 * input until it settles. By default the array is copied (on the calling
 * thread, before the call returns: about 0.1 µs per 1,000 elements; 2.3 ms
 * for 10 million here, into a large arena kept for reuse, though the first
 * such call also maps its 40 MB, about 27 ms), so the caller may write to
 * it, transfer its buffer or let it go at once. For large arrays,
 * `{ transfer: true }` moves the array's whole `ArrayBuffer` into the call
 * instead (zero-copy, 0.23 ms for 10 million here): the caller's buffer is
 * detached (every view on it reads as empty) until the Promise settles, and
 * the result carries a new `Uint32Array` over the same memory, handed back.
 *
 * **Many calls, few native calls.** A koffi `.async` call costs several
 * microseconds of thread hand-off, more than the work of a small call, and
 * koffi allocates a fresh memory pool (two mmaps and munmaps) for each call
 * beyond its 8 resident ones, including a call started inside another's
 * completion callback, before that call has given its pool back (why the old
 * one-call-per-call queue cost more per call at 64 in flight than at 8). So calls
 * are not sent one by one: each is copied into a batch (a table of
 * `AsyncJob`s over one arena, see `rust/src/async.rs`), and a batch runs as
 * one `async_jobs_run` call on koffi's worker threads, at most
 * {@link MAX_ASYNC_IN_FLIGHT} batches at once. While they run, new calls fill
 * the next batches; so the more calls are in flight, the larger the batches
 * and the lower the cost per call. Any number of calls may be pending.
 *
 * **Nothing outlives the environment.** Results are written by Rust into
 * memory the batch owns (JS memory), never into Rust allocations; so a worker
 * thread that is terminated (or exits) with calls in flight leaves nothing
 * allocated behind. (Node.js waits for running native calls before it frees
 * a worker's memory; a test checks that it still does.)
 */
import { availableParallelism, endianness } from 'node:os';
import { ASYNC_JOB_PRIMES_UP_TO, ASYNC_JOB_SUM_OF_EVEN, async_job_primes_capacity, async_jobs_run } from './raw/async';
import { FfiError, FfiStatus } from './status';
import { checkPrimesLimit } from './slices';
import { resultOutOfRange, uint32Array } from './validate';

if (endianness() !== 'LE') {
  // The job table is written as pairs of 32-bit words (no BigInt on the hot path).
  throw new Error('ffi-deep-dive: the async module supports little-endian platforms only');
}

// ---- Intrinsics, captured at load: user code may patch the prototypes later. ----

const U32 = Uint32Array;
/** Rust writes into the arenas made with it: a replaced global must not size them. */
const ArrayBufferCtor = ArrayBuffer;
const mathMin = Math.min;
const PromiseCtor = Promise;
const promiseReject = Promise.reject.bind(Promise);
/** A rejected Promise: the public functions report every error by rejecting, never by throwing. */
function rejected<T>(reason: unknown): Promise<T> {
  return promiseReject(reason) as Promise<T>;
}
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
function getter(proto: object, name: string | symbol): (this: unknown) => unknown {
  const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
  // String(): a template literal throws on a Symbol (Symbol.toStringTag below).
  if (get === undefined) throw new Error(`ffi-deep-dive: no intrinsic getter ${String(name)}`);
  return get;
}
const typedArrayLength = getter(TypedArrayPrototype, 'length') as (this: Uint32Array) => number;
const typedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset') as (this: Uint32Array) => number;
const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer') as (this: Uint32Array) => ArrayBufferLike;
const typedArraySet = (
  TypedArrayPrototype as { set: (this: Uint32Array, source: Uint32Array, offset?: number) => void }
).set;
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength') as (this: ArrayBuffer) => number;
const clone = structuredClone;

// ---- Sizes ----

/** 32-bit words per `AsyncJob` (56 bytes). */
const WORDS = 14;
/** Field positions in an `AsyncJob`, in 32-bit words (64-bit fields: low word first). */
const KIND = 0;
const STATUS = 1;
const LIMIT = 2;
const INPUT_OFFSET = 4;
const INPUT_LEN = 6;
const OUTPUT_OFFSET = 8;
const OUTPUT_CAPACITY = 10;
const RESULT = 12;
const TWO_32 = 2 ** 32;

/** The most jobs in one batch. */
const MAX_JOBS = 256;
/** The arena of a reused batch, in `uint32_t`s (256 KiB). */
const ARENA = 1 << 16;
/** A job that needs more arena than this (a whole shared arena) gets a batch and an arena of its own. */
const SMALL = ARENA;

/**
 * The most native calls (batches) this module has on koffi's worker threads at
 * once: one per core, at least 2 (so one batch runs while the previous one
 * settles) and at most libuv's thread-pool size (`UV_THREADPOOL_SIZE`, 4 by
 * default), which runs them. Every pending call beyond that waits in a batch.
 */
export const MAX_ASYNC_IN_FLIGHT = Math.max(
  2,
  // Stryker disable next-line StringLiteral: any text that is not a number parses as NaN, as '' does, and NaN || 4 is 4.
  Math.min(availableParallelism(), Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4),
);

// ---- Batches ----

/** How a settled job becomes the Promise's value; throws to reject. */
type Convert = (table: Uint32Array, base: number, batch: Batch) => unknown;

interface Call {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  convert: Convert;
  /** The function's public name, for error messages. */
  operation: string;
  /** A transferred array handed back on rejection too (`error.numbers`). */
  handBack: Uint32Array | undefined;
}

/** A table of jobs over one arena, run as one native call. */
class Batch {
  readonly table: Uint32Array;
  readonly calls: (Call | undefined)[];
  count = 0;
  /** Arena words in use. */
  used = 0;
  /** Where the last {@link place} reserved its words. */
  reserved = 0;

  constructor(
    readonly arena: Uint32Array,
    readonly arenaBuffer: ArrayBufferLike,
    readonly arenaLength: number,
    /** A shared batch is reused; a dedicated one holds one large job. */
    readonly shared: boolean,
    jobs: number,
    /** A dedicated batch whose arena may be kept for the next large job. */
    readonly reusable = false,
  ) {
    // Its own ArrayBuffer: off V8's heap, so the GC never moves it while Rust
    // writes results into it (a small typed array may live on the heap).
    this.table = new U32(new ArrayBufferCtor(jobs * WORDS * 4));
    // Stryker disable next-line ArrayDeclaration: add() writes calls[i] before settle() reads it, so a preallocated and a growing array hold the same calls.
    this.calls = new Array<Call | undefined>(jobs);
  }

  /** Appends a job's call; the caller has filled its table entry. */
  add(call: Call): void {
    this.calls[this.count++] = call;
  }
}

function sharedBatch(): Batch {
  const buffer = new ArrayBufferCtor(ARENA * 4);
  return new Batch(new U32(buffer), buffer, ARENA, true, MAX_JOBS);
}

function dedicatedBatch(arena: Uint32Array, buffer: ArrayBufferLike, length: number): Batch {
  return new Batch(arena, buffer, length, false, 1);
}

/**
 * A batch of its own for a job that needs `words` arena words, reusing a
 * large arena kept from an earlier job when one is big enough (the smallest
 * such). Allocating a large buffer costs far more than copying into it (the
 * first write to each fresh page faults: about 27 ms for 40 MB here, against
 * 2.3 ms for the copy into memory already mapped), so settled large arenas
 * are kept for {@link LARGE_KEEP_MS} after the last large job, up to
 * {@link LARGE_KEEP_MAX} words in all.
 */
function largeBatch(words: number): Batch {
  let best = -1;
  let bestLength = Infinity;
  for (let i = 0; i < largeSpares.length; i++) {
    const n = largeSpares[i].arenaLength;
    if (n < words) continue; // too small
    // Stryker disable next-line EqualityOperator: of two kept arenas of the same size either one serves, and no caller can tell which it got.
    if (n < bestLength) {
      best = i;
      bestLength = n;
    }
  }
  if (best >= 0) {
    const kept = largeSpares[best];
    largeSpares[best] = largeSpares[largeSpares.length - 1];
    largeSpares.length--;
    largeKept -= kept.arenaLength;
    return new Batch(kept.arena, kept.arenaBuffer, kept.arenaLength, false, 1, true);
  }
  const buffer = new ArrayBufferCtor(words * 4);
  return new Batch(new U32(buffer), buffer, words, false, 1, true);
}

/** How long unused large arenas are kept for reuse after the last large job. */
const LARGE_KEEP_MS = 1000;
/** At most this many words (64 MiB: a 16M-value input) of large arenas are kept. */
const LARGE_KEEP_MAX = 1 << 24;
const largeSpares: Batch[] = [];
let largeKept = 0;
let largeTimer: ReturnType<typeof setTimeout> | undefined;

/** The most shared batches kept for reuse (64 × 270 KiB); more than 2 per slot only until idle. */
const SPARE_MAX = 64;

/** After {@link LARGE_KEEP_MS} without a settled batch, drops kept large arenas and extra spare batches. */
function armIdleTrim(): void {
  clearTimeout(largeTimer); // a no-op for undefined or a timer that has fired
  largeTimer = setTimeout(() => {
    largeSpares.length = 0;
    largeKept = 0;
    spare.length = mathMin(spare.length, 2 * MAX_ASYNC_IN_FLIGHT);
    largeTimer = undefined;
  }, LARGE_KEEP_MS);
  largeTimer.unref(); // never keeps the process alive
}

/** Keeps a settled large batch's arena for the next large jobs, for a while. */
function keepLarge(b: Batch): void {
  if (largeKept + b.arenaLength > LARGE_KEEP_MAX || largeSpares.length >= 2 * MAX_ASYNC_IN_FLIGHT) return;
  largeSpares[largeSpares.length] = b;
  largeKept += b.arenaLength;
  armIdleTrim();
}

/** Batches accepting jobs (at most MAX_ASYNC_IN_FLIGHT; calls are spread over them). */
const open: Batch[] = [];
let nextOpen = 0;
/** Full batches waiting for a slot, in order (a queue: `readyHead` is its front). */
const ready: (Batch | undefined)[] = [];
let readyHead = 0;
/** Shared batches not in use. */
const spare: Batch[] = [];
/** Batches inside koffi now. */
let running = 0;
let flushQueued = false;

/** Captured at load: a patched `Array.prototype.pop` could hand out a forged batch, whose sizes Rust trusts. */
const arrayPop = Array.prototype.pop as (this: Batch[]) => Batch;

/** A spare shared batch, or a new one. */
function spareOrNew(): Batch {
  return spare.length > 0 ? arrayPop.call(spare) : sharedBatch();
}

/** A shared batch with room for one more job of `need` arena words. */
function batchFor(need: number): Batch {
  if (open.length < MAX_ASYNC_IN_FLIGHT) open[open.length] = spareOrNew();
  const i = nextOpen++ % open.length;
  let b = open[i];
  if (b.count === MAX_JOBS || b.used + need > b.arenaLength) {
    ready[ready.length] = b; // full: it runs when a slot frees
    b = open[i] = spareOrNew();
  }
  return b;
}

/** The batch for a new job that needs `words` arena words, reserved at `batch.reserved`. */
function place(words: number): Batch {
  const b = words <= SMALL ? batchFor(words) : largeBatch(words);
  b.reserved = b.used;
  b.used += words;
  return b;
}

/** Sends queued batches to koffi while slots are free (once per microtask turn). */
function scheduleFlush(): void {
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flush);
  }
}

function flush(): void {
  flushQueued = false;
  while (running < MAX_ASYNC_IN_FLIGHT) {
    let b: Batch | undefined;
    if (readyHead < ready.length) {
      b = ready[readyHead];
      ready[readyHead++] = undefined;
      // Stryker disable next-line ConditionalExpression: memory only: without this reset the dequeued slots stay in `ready` as undefined (one per full batch), while every batch, its order, result and error stay the same.
      if (readyHead === ready.length) ready.length = readyHead = 0;
    } else {
      // The fullest open batch goes first; it leaves the open list.
      let best = -1;
      for (let i = 0; i < open.length; i++)
        if (open[i].count > 0 && (best < 0 || open[i].count > open[best].count)) best = i;
      if (best < 0) return;
      b = open[best];
      open[best] = open[open.length - 1];
      open.length--;
    }
    launch(b!);
  }
}

function launch(b: Batch): void {
  running++;
  try {
    // No FfiError object: it would be Rust memory that outlives the call when
    // the environment is torn down before the completion runs (a terminated
    // worker). Each job's status is in the table; the public layer validates
    // every argument first, so a failed job is an internal bug (PANIC) and its
    // FfiError carries the status's description.
    async_jobs_run.async(b.table, b.count, b.arena, b.arenaLength, null, (err: unknown) => {
      running--;
      flush(); // start the next batches before settling this one's calls
      settle(b, err, false);
    });
  } catch (cause) {
    // koffi refuses the call (its queue is full, e.g. because other code also
    // uses .async): every call of the batch rejects clearly, never a crash.
    running--;
    settle(b, cause, true);
  }
}

/** Settles every call of a batch that ran (or that koffi refused to start), and recycles it. */
function settle(b: Batch, err: unknown, refused: boolean): void {
  const { table, calls } = b;
  for (let i = 0; i < b.count; i++) {
    const call = calls[i]!;
    calls[i] = undefined;
    try {
      if (refused) {
        throw new Error(
          `${call.operation}: koffi could not start the async call (${String((err as Error)?.message ?? err)}); too many native async calls are pending`,
          { cause: err },
        );
      }
      if (err !== null && err !== undefined) {
        throw err instanceof Error ? err : new Error(`${call.operation}: ${String(err)}`);
      }
      const jobStatus = table[i * WORDS + STATUS];
      if (jobStatus !== FfiStatus.OK) throw new FfiError(jobStatus, call.operation);
      call.resolve(call.convert(table, i * WORDS, b));
    } catch (e) {
      if (call.handBack !== undefined && e !== null && typeof e === 'object') {
        Object.defineProperty(e, 'numbers', { value: call.handBack, enumerable: true });
      }
      call.reject(e);
    }
  }
  b.count = 0;
  b.used = 0;
  if (b.shared) {
    // Kept for the next calls (allocating a 256 KiB arena costs more than a
    // batch of small calls); beyond a few, only until the module is idle.
    if (spare.length < SPARE_MAX) spare[spare.length] = b;
    if (spare.length > 2 * MAX_ASYNC_IN_FLIGHT) armIdleTrim();
  } else if (b.reusable) {
    keepLarge(b);
  }
}

/** Writes a 64-bit field (a non-negative integer below 2^53) as two words. */
function put64(table: Uint32Array, at: number, value: number): void {
  table[at] = value % TWO_32;
  table[at + 1] = Math.floor(value / TWO_32);
}

/** Queues one call; `fill` writes its table entry (and arena input) into the batch given. */
function submit<T>(operation: string, b: Batch, convert: Convert, handBack?: Uint32Array): Promise<T> {
  return new PromiseCtor<T>((resolve, reject) => {
    b.add({ resolve: resolve as (v: unknown) => void, reject, convert, operation, handBack });
    if (!b.shared) ready[ready.length] = b;
    scheduleFlush();
  });
}

// ---- Sums ----

/** `{ transfer: true }` makes an async sum take the array's buffer instead of copying it. */
export interface TransferOptions {
  /**
   * Move the array's whole `ArrayBuffer` into the call instead of copying it:
   * the caller's buffer is detached until the Promise settles, and the result
   * (or the error, as `error.numbers`) hands back a new `Uint32Array` over the
   * same memory, with the same offset and length. For large arrays, where a
   * copy costs about 0.26 ms per million elements. Refused for a plain array,
   * a `SharedArrayBuffer` and a buffer that cannot be transferred.
   */
  transfer?: boolean;
}

/** A transferred sum's result: the sum and the array handed back. */
export interface TransferredSum<S> {
  /** The sum, as the non-transfer call would return it. */
  sum: S;
  /** The array the call took, over the same memory (a new `ArrayBuffer`). */
  numbers: Uint32Array;
}

/** Reads `options.transfer` once, before anything else (a getter may run user code). */
function wantsTransfer(options: unknown, operation: string): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== 'object') {
    throw typeError(`${operation}: options must be an object, got ${describe(options)}`, 'ERR_INVALID_ARG_TYPE');
  }
  const transfer: unknown = (options as TransferOptions).transfer;
  if (transfer === undefined || typeof transfer === 'boolean') return transfer === true;
  throw typeError(
    `${operation}: options.transfer must be a boolean, got ${describe(transfer)}`,
    'ERR_INVALID_ARG_TYPE',
  );
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function typeError(message: string, code: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/** The sum in a job's result field, as a number, or `RangeError` past 2^53 - 1. */
function sumNumber(operation: string): Convert {
  return (table, base) => {
    const hi = table[base + RESULT + 1];
    if (hi < 0x20_0000) return hi * TWO_32 + table[base + RESULT];
    throw resultOutOfRange(
      operation,
      `the sum ${(BigInt(hi) << 32n) | BigInt(table[base + RESULT])} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use sumOfEvenBigIntAsync(), which returns a bigint`,
    );
  };
}

const sumBigInt: Convert = (table, base) => (BigInt(table[base + RESULT + 1]) << 32n) | BigInt(table[base + RESULT]);

/** Copies `numbers` into a batch as a sum job and queues it. */
function sumCopied<T>(operation: string, numbers: unknown, convert: Convert): Promise<T> {
  const array = uint32Array(numbers, operation, 'numbers');
  const length = typedArrayLength.call(array);
  const b = place(length);
  const offset = b.reserved;
  // The copy: reads the engine's own length. An out-of-bounds view (its
  // resizable buffer shrank below it) has length 0, and set() would throw.
  if (length !== 0) typedArraySet.call(b.arena, array, offset);
  const base = b.count * WORDS;
  const t = b.table;
  // Stryker disable next-line ArithmeticOperator: KIND is 0, so base - KIND and base + KIND are the same word.
  t[base + KIND] = ASYNC_JOB_SUM_OF_EVEN;
  put64(t, base + INPUT_OFFSET, offset);
  put64(t, base + INPUT_LEN, length);
  return submit<T>(operation, b, convert);
}

/** Moves the buffer of `numbers` into a dedicated batch as a sum job and queues it. */
function sumTransferred<S>(operation: string, numbers: unknown, convert: Convert): Promise<TransferredSum<S>> {
  if (!isUint32Array(numbers)) {
    throw typeError(
      `${operation}: numbers must be a Uint32Array to be transferred, got ${describe(numbers)}`,
      'ERR_INVALID_ARG_TYPE',
    );
  }
  const view = numbers;
  const length = typedArrayLength.call(view);
  const byteOffset = typedArrayByteOffset.call(view);
  const buffer = typedArrayBuffer.call(view);
  let moved: ArrayBuffer;
  try {
    moved = clone(buffer as ArrayBuffer, { transfer: [buffer as ArrayBuffer] });
  } catch (cause) {
    throw Object.assign(
      new TypeError(
        `${operation}: the buffer of numbers cannot be transferred (a SharedArrayBuffer, a detached or non-transferable buffer); pass it without { transfer: true } to copy it`,
        { cause },
      ),
      { code: 'ERR_INVALID_ARG_VALUE' },
    );
  }
  const words = Math.floor(arrayBufferByteLength.call(moved) / 4);
  const arena = new U32(moved, 0, words);
  const handBack = new U32(moved, byteOffset, length);
  const b = dedicatedBatch(arena, moved, words);
  const t = b.table;
  t[KIND] = ASYNC_JOB_SUM_OF_EVEN;
  put64(t, INPUT_OFFSET, byteOffset / 4);
  put64(t, INPUT_LEN, length);
  const withArray: Convert = (table, base, batch) => ({ sum: convert(table, base, batch) as S, numbers: handBack });
  return submit<TransferredSum<S>>(operation, b, withArray, handBack);
}

/** Whether `value` is a Uint32Array, by the engine's own tag (not `instanceof`, not a user getter). */
function isUint32Array(value: unknown): value is Uint32Array {
  return typedArrayTag.call(value) === 'Uint32Array';
}
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag) as (this: unknown) => string | undefined;

/**
 * {@link sumOfEven} on a worker thread.
 *
 * The array is copied before this function returns (a plain array is
 * validated first), so the caller may change it right away. With
 * `{ transfer: true }` a `Uint32Array`'s buffer is moved into the call
 * instead (zero-copy, see {@link TransferOptions}) and the Promise resolves
 * to `{ sum, numbers }`. Invalid arguments reject (they do not throw
 * synchronously).
 *
 * @returns a Promise of the exact sum, rejected with `RangeError` if it exceeds 2^53 - 1
 * @example await sumOfEvenAsync(new Uint32Array([1, 2, 3, 4])) // 6
 * @example const { sum, numbers } = await sumOfEvenAsync(big, { transfer: true }) // `big` is detached until then
 */
export function sumOfEvenAsync(
  numbers: Uint32Array | readonly number[],
  options?: { transfer?: false },
): Promise<number>;
export function sumOfEvenAsync(numbers: Uint32Array, options: { transfer: true }): Promise<TransferredSum<number>>;
export function sumOfEvenAsync(
  numbers: Uint32Array | readonly number[],
  options?: TransferOptions,
): Promise<number | TransferredSum<number>>;
export function sumOfEvenAsync(
  numbers: Uint32Array | readonly number[],
  options: TransferOptions | undefined = undefined, // a default, so that sumOfEvenAsync.length is 1
): Promise<number | TransferredSum<number>> {
  try {
    return wantsTransfer(options, SUM)
      ? sumTransferred<number>(SUM, numbers, sumAsNumber)
      : sumCopied<number>(SUM, numbers, sumAsNumber);
  } catch (e) {
    return rejected(e);
  }
}
const SUM = 'sumOfEvenAsync';
const sumAsNumber = sumNumber(SUM);

/**
 * {@link sumOfEvenBigInt} on a worker thread: the exact sum as a `bigint`.
 * The same copying and transfer rules as {@link sumOfEvenAsync}.
 *
 * @example await sumOfEvenBigIntAsync([2, 4]) // 6n
 */
export function sumOfEvenBigIntAsync(
  numbers: Uint32Array | readonly number[],
  options?: { transfer?: false },
): Promise<bigint>;
export function sumOfEvenBigIntAsync(
  numbers: Uint32Array,
  options: { transfer: true },
): Promise<TransferredSum<bigint>>;
export function sumOfEvenBigIntAsync(
  numbers: Uint32Array | readonly number[],
  options?: TransferOptions,
): Promise<bigint | TransferredSum<bigint>>;
export function sumOfEvenBigIntAsync(
  numbers: Uint32Array | readonly number[],
  options: TransferOptions | undefined = undefined, // a default, so that .length is 1
): Promise<bigint | TransferredSum<bigint>> {
  const operation = 'sumOfEvenBigIntAsync';
  try {
    return wantsTransfer(options, operation)
      ? sumTransferred<bigint>(operation, numbers, sumBigInt)
      : sumCopied<bigint>(operation, numbers, sumBigInt);
  } catch (e) {
    return rejected(e);
  }
}

// ---- Primes ----

/** Copies a primes job's output out of the arena into a new, exact-size array. */
const primesResult: Convert = (table, base, b) => {
  const count = table[base + RESULT];
  // Its low word only: a primes job's output sits in a shared arena (below 2^16) or at 0 in a batch of its own.
  const offset = table[base + OUTPUT_OFFSET];
  const out = new U32(count);
  typedArraySet.call(out, new U32(b.arenaBuffer, offset * 4, count));
  return out;
};

/**
 * {@link primesUpTo} on a worker thread. The sieve runs off the event loop,
 * into memory this module owns; the one copy of the result into the returned
 * `Uint32Array` happens on the main thread when the Promise settles. Nothing
 * is left for anyone to free.
 *
 * @returns a Promise of the primes `<= limit`
 * @example await primesUpToAsync(10) // Uint32Array [2, 3, 5, 7]
 */
export function primesUpToAsync(limit: number): Promise<Uint32Array> {
  let n: number;
  try {
    n = checkPrimesLimit(limit, 'primesUpToAsync');
  } catch (e) {
    return rejected(e);
  }
  const capacity = async_job_primes_capacity(n);
  const b = place(capacity);
  const offset = b.reserved;
  const base = b.count * WORDS;
  const t = b.table;
  // Stryker disable next-line ArithmeticOperator: KIND is 0, so base - KIND and base + KIND are the same word.
  t[base + KIND] = ASYNC_JOB_PRIMES_UP_TO;
  t[base + LIMIT] = n;
  put64(t, base + OUTPUT_OFFSET, offset);
  put64(t, base + OUTPUT_CAPACITY, capacity);
  return submit<Uint32Array>('primesUpToAsync', b, primesResult);
}
