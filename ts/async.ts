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
 * instead: the caller's buffer is detached (every view on it reads as empty)
 * until the Promise settles, and the result carries a new `Uint32Array` over
 * the same memory, handed back (zero-copy on Node.js, 0.23 ms for 10 million
 * here; copied into the call's own memory on Deno and Bun, see below).
 *
 * **Many calls, few native calls.** A koffi `.async` call costs several
 * microseconds of thread hand-off, more than the work of a small call, and
 * koffi allocates a fresh memory pool (two mmaps and munmaps) for each call
 * beyond its 8 resident ones, including a call started inside another's
 * completion callback, before that call has given its pool back (why the old
 * one-call-per-call queue cost more per call at 64 in flight than at 8). So calls
 * are not sent one by one: each is copied into a batch (a table of
 * `AsyncJob`s over one arena, see `rust/src/async.rs`), and a batch runs as
 * one native call, at most {@link MAX_ASYNC_IN_FLIGHT} batches at once.
 * While they run, new calls fill the next batches; so the more calls are in
 * flight, the larger the batches and the lower the cost per call. Any number
 * of calls may be pending.
 *
 * **No native job writes into memory the runtime may free.** A batch's table
 * and arena are memory the library owns (an `AsyncBatch`), which this module
 * fills and reads by copies, never through a view (`koffi.view` throws while a
 * worker is torn down, and koffi turns that into an abort of the process); a
 * run holds that memory until it ends,
 * and the handle belongs to the calling thread, whose exit frees it. So a
 * worker thread that is terminated (or exits) with calls in flight leaves
 * its runs writing into live memory, freed as each ends: nothing is written
 * after its owner freed it, and nothing stays allocated
 * (`async_batch_live_count()` returns to its baseline). On Node.js a batch
 * runs through koffi's `.async` on libuv's threads (Node.js waits for them
 * before it frees a worker's memory, koffi's own included); on Deno and Bun,
 * which free a worker's memory while a native call still runs in it (Bun
 * crashes even with bare koffi `.async` calls in flight), it runs on the
 * library's own background threads, and this thread polls for its end
 * (`ASYNC_RUNNER` in `ts/raw/async.ts`). A transferred array is read in
 * place only on Node.js, for the same reason; elsewhere it is copied into a
 * batch.
 *
 * **Hostile realm.** Everything here runs on the built-ins captured at load
 * (`ts/primordials.ts`); the scheduler's state lives in private fields and
 * in fixed-size or linked structures no prototype lookup reaches; results
 * are primitives, null-prototype records or arrays whose own prototype has
 * a `then` of `undefined`, so no inherited `then` can hijack a resolution.
 */
import { availableParallelism, endianness } from 'node:os';
import {
  ASYNC_JOB_PRIMES_UP_TO,
  ASYNC_JOB_SUM_OF_EVEN,
  ASYNC_RUNNER,
  async_batch_free,
  async_batch_is_running,
  async_batch_new,
  async_batch_read_arena,
  async_batch_read_jobs,
  async_batch_run,
  async_batch_run_cancel,
  async_batch_run_in_background,
  async_batch_start,
  async_batch_write_arena,
  async_batch_write_jobs,
  async_job_primes_capacity,
  async_jobs_run,
} from './raw/async';
import type { RawPointer } from './raw/strings';
import { FfiError, FfiStatus } from './status';
import { checkPrimesLimit } from './slices';
import { resultOutOfRange, uint32Array } from './validate';
import {
  ArrayBufferCtor,
  ArrayBufferPrototypeGetByteLength,
  BigIntCtor,
  ClearTimeout,
  DateNow,
  EnqueueMicrotask,
  ErrorCtor,
  MathFloor,
  MathMax,
  MathMin,
  NumberParseInt,
  ObjectFreeze,
  PromiseCtor,
  PromiseReject,
  ReflectConstruct,
  ReflectDefineProperty,
  SetImmediate,
  SetTimeout,
  StringCtor,
  StructuredClone,
  TimeoutPrototypeUnref,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint32ArrayCtor,
  Uint8ArrayCtor,
} from './primordials';

if (endianness() !== 'LE') {
  // The job table is written as pairs of 32-bit words (no BigInt on the hot path).
  throw new ErrorCtor('ffi-deep-dive: the async module supports little-endian platforms only');
}

/** koffi's `.async` entry points, captured at load. */
const runBatchAsync = async_batch_run.async;
const runJobsAsync = async_jobs_run.async;
const THREADS = ASYNC_RUNNER === 'threads';

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
 * The most native calls (batches) this module has running at once: one per
 * core, at least 2 (so one batch runs while the previous one settles) and
 * at most libuv's thread-pool size (`UV_THREADPOOL_SIZE`, 4 by default),
 * which runs them on Node.js. Every pending call beyond that waits in a batch.
 */
export const MAX_ASYNC_IN_FLIGHT = MathMax(
  2,
  // Stryker disable next-line StringLiteral: any text that is not a number parses as NaN, as '' does, and NaN || 4 is 4.
  // eslint-disable-next-line local/prefer-primordials -- read once, at load
  MathMin(availableParallelism(), NumberParseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4),
);

// ---- Calls and batches ----

/** How a settled job becomes the Promise's value (its batch holds any output it has); throws to reject. */
type Convert = (table: Uint32Array, base: number, batch: Batch) => unknown;

/** One pending call: how to settle its Promise. Never reachable from user code. */
class Call {
  next: Call | undefined = undefined;
  constructor(
    readonly resolve: (value: unknown) => void,
    readonly reject: (reason: unknown) => void,
    readonly convert: Convert,
    /** The function's public name, for error messages. */
    readonly operation: string,
    /** A transferred array handed back on rejection too (`error.numbers`). */
    readonly handBack: Uint32Array | undefined,
  ) {}
}

/** What a batch is for, and what becomes of it once settled. */
const SHARED = 0; // many small jobs; reused
const LARGE = 1; // one large job (copied input or a large output); its arena may be kept for the next
const CALLER = 2; // one transferred job over the caller's buffer, in JS memory (Node.js only)

/**
 * A descriptor of an enumerable, writable, configurable data property (a
 * null-prototype object: no inherited `get`/`set` can change its meaning).
 */
function field(value: unknown): PropertyDescriptor {
  return { __proto__: null, value, enumerable: true, writable: true, configurable: true } as PropertyDescriptor;
}

/** A non-enumerable, read-only `then` of `undefined`. */
const NO_THEN = { __proto__: null, value: undefined } as PropertyDescriptor;

/** Writes a 64-bit field (a non-negative integer below 2^53) as two words, low first. */
function put64(table: Uint32Array, at: number, value: number): void {
  table[at] = value % TWO_32;
  table[at + 1] = MathFloor(value / TWO_32);
}

/** A failed allocation of a batch's memory. */
function allocationFailed(words: number): Error {
  const error = new ErrorCtor(`ffi-deep-dive: could not allocate an async batch of ${words} values`);
  ReflectDefineProperty(error, 'code', field('ERR_MEMORY_ALLOCATION_FAILED'));
  return error;
}

/** A batch's memory refused a copy (never expected: every range is checked here first). */
function copyFailed(status: number, operation: string): Error {
  return new FfiError(status, operation);
}

/**
 * A table of jobs over one arena, run as one native call. Everything Rust
 * trusts (the handle, the table, the arena and their sizes) and the calls
 * are private; only the scheduler's link (`next`) is not, on an object that
 * never leaves this module.
 *
 * The table is this module's own `Uint32Array`, copied into the library's
 * memory when the batch starts and back when it has ended
 * (`async_batch_write_jobs`, `async_batch_read_jobs`); inputs and outputs
 * are copied straight between the callers' arrays and the library's arena
 * (`async_batch_write_arena`, `async_batch_read_arena`). No view of the
 * library's memory is ever made: `koffi.view` throws while a worker is torn
 * down, and koffi turns that throw into an abort of the whole process,
 * whereas a plain call with a typed array survives it.
 */
class Batch {
  /** The library's `AsyncBatch`, or null for a {@link CALLER} batch; null too once freed. */
  #handle: RawPointer;
  readonly #table: Uint32Array;
  /** The caller's transferred array for a {@link CALLER} batch; null for one of the library's. */
  readonly #arena: Uint32Array | null;
  readonly #arenaLength: number;
  readonly #capacity: number;
  readonly #kind: number;
  #count = 0;
  /** Arena words in use. */
  #used = 0;
  #freed = false;
  #first: Call | undefined = undefined;
  #last: Call | undefined = undefined;
  /** The next batch in whichever list holds this one (ready, spare, kept, polled). */
  next: Batch | undefined = undefined;

  /** A batch over memory the library owns: `jobs` jobs, then `words` arena values. */
  static owned(jobs: number, words: number, kind: number): Batch {
    const handle = async_batch_new(jobs, words);
    if (handle === null) throw allocationFailed(words);
    try {
      // Its own ArrayBuffer: off V8's heap from the start (koffi passes it as a pointer, zero-copy).
      const table = new Uint32ArrayCtor(new ArrayBufferCtor(jobs * WORDS * 4));
      return new Batch(handle, table, null, words, jobs, kind);
    } catch (e) {
      // Nothing but this frame knows the handle (a stack overflow lands anywhere): freed before it is forgotten.
      async_batch_free(handle);
      throw e;
    }
  }

  /** A batch of one job over the caller's transferred buffer (Node.js: see the module's comment). */
  static caller(arena: Uint32Array): Batch {
    // Its own ArrayBuffer: off V8's heap, so the GC never moves it while Rust writes the result.
    const table = new Uint32ArrayCtor(new ArrayBufferCtor(WORDS * 4));
    return new Batch(null, table, arena, TypedArrayPrototypeGetLength(arena), 1, CALLER);
  }

  private constructor(
    handle: RawPointer,
    table: Uint32Array,
    arena: Uint32Array | null,
    arenaLength: number,
    capacity: number,
    kind: number,
  ) {
    this.#handle = handle;
    this.#table = table;
    this.#arena = arena;
    this.#arenaLength = arenaLength;
    this.#capacity = capacity;
    this.#kind = kind;
  }

  get kind(): number {
    return this.#kind;
  }
  get count(): number {
    return this.#count;
  }
  get arenaLength(): number {
    return this.#arenaLength;
  }

  /** Whether one more job of `need` arena words fits. */
  fits(need: number): boolean {
    return this.#count < this.#capacity && this.#used + need <= this.#arenaLength;
  }

  /** Reserves `words` arena words for the next job; returns where they start. */
  reserve(words: number): number {
    if (this.#freed) throw new ErrorCtor('ffi-deep-dive: internal error: a freed async batch was reused');
    const at = this.#used;
    this.#used += words;
    return at;
  }

  /**
   * Copies `values` (a `Uint32Array` of `length` elements, `length > 0`, the engine's own length) into the
   * library's arena at `at`, for `operation`. Only a batch of the library's has an arena to copy into.
   */
  copyIn(values: Uint32Array, at: number, length: number, operation: string): void {
    const status = async_batch_write_arena(this.#handle, at, values, length);
    if (status !== FfiStatus.OK) throw copyFailed(status, operation);
  }

  /** Copies `length` words of the library's arena at `at` into `out`, after the run (a primes job's output). */
  copyOut(out: Uint32Array, at: number, length: number, operation: string): void {
    const status = async_batch_read_arena(this.#handle, at, out, length);
    if (status !== FfiStatus.OK) throw copyFailed(status, operation);
  }

  /** Writes the next job's entry: a sum of `length` values at arena word `offset`. */
  sumJob(offset: number, length: number): void {
    const t = this.#table;
    const i = this.#count * WORDS;
    // Stryker disable next-line ArithmeticOperator: KIND is 0, so i - KIND and i + KIND are the same word.
    t[i + KIND] = ASYNC_JOB_SUM_OF_EVEN;
    put64(t, i + INPUT_OFFSET, offset);
    put64(t, i + INPUT_LEN, length);
  }

  /** Writes the next job's entry: the primes up to `limit` into `capacity` words at arena word `offset`. */
  primesJob(limit: number, offset: number, capacity: number): void {
    const t = this.#table;
    const i = this.#count * WORDS;
    // Stryker disable next-line ArithmeticOperator: KIND is 0, so i - KIND and i + KIND are the same word.
    t[i + KIND] = ASYNC_JOB_PRIMES_UP_TO;
    t[i + LIMIT] = limit;
    put64(t, i + OUTPUT_OFFSET, offset);
    put64(t, i + OUTPUT_CAPACITY, capacity);
  }

  /** Appends a job's call; its table entry is written. */
  add(call: Call): void {
    if (this.#last === undefined) this.#first = call;
    else this.#last.next = call;
    this.#last = call;
    this.#count++;
  }

  /**
   * Gives up a batch of its own whose job could not be queued (an exception
   * while it was filled): freed, unless a call made it in. A shared batch
   * stays open (its reserved words are reclaimed when it settles).
   */
  abandon(): void {
    if (this.#kind === LARGE && this.#count === 0) {
      if (handedOut === this) handedOut = undefined;
      this.free();
    }
  }

  /** Starts the native call that runs this batch (see the runners below). */
  launch(): void {
    running++;
    if (this.#freed) {
      this.#refused(new ErrorCtor('ffi-deep-dive: internal error: a freed async batch was started'));
      return;
    }
    const handle = this.#handle;
    if (handle === null) {
      // A transferred buffer in place (Node.js): the caller's memory, which Node.js keeps until the call returns.
      try {
        runJobsAsync(this.#table, 1, this.#arena, this.#arenaLength, null, (err: unknown) => this.#completed(err));
      } catch (cause) {
        this.#refused(cause);
      }
      return;
    }
    // The table into the library's memory (the batch is not running: nothing else writes it now).
    const written = async_batch_write_jobs(handle, 0, this.#table, this.#count);
    if (written !== FfiStatus.OK) {
      this.#refused(copyFailed(written, 'async_batch_write_jobs'));
      return;
    }
    if (THREADS) {
      const status = async_batch_run_in_background(handle, this.#count, null);
      if (status !== FfiStatus.OK) {
        this.#refused(new FfiError(status, 'async_batch_run_in_background'));
        return;
      }
      poll.add(this);
      return;
    }
    // No FfiError object: a failed job's status is in the table. The run holds the memory until it ends.
    const run = async_batch_start(handle, this.#count, null);
    if (run === null) {
      this.#refused(new ErrorCtor('async_batch_start refused the batch'));
      return;
    }
    try {
      runBatchAsync(run, (err: unknown) => this.#completed(err));
    } catch (cause) {
      // koffi refuses the call (its queue is full, e.g. because other code also uses .async).
      async_batch_run_cancel(run);
      this.#refused(cause);
    }
  }

  /** Whether the background run has ended (the threads runner polls it). */
  get ended(): boolean {
    return !async_batch_is_running(this.#handle);
  }

  #completed(err: unknown): void {
    running--;
    flush(); // start the next batches before settling this one's calls
    this.settle(err, false);
  }

  #refused(cause: unknown): void {
    running--;
    this.settle(cause, true);
  }

  /** Settles every call of a batch that ran (or that could not start), and recycles it. */
  settle(ran: unknown, refused: boolean): void {
    const table = this.#table;
    const handle = this.#handle;
    let err = ran;
    if (!refused && (err === null || err === undefined) && handle !== null) {
      // The run has ended: its statuses and results back into the table (a CALLER batch's table is written in place).
      const read = async_batch_read_jobs(handle, 0, table, this.#count);
      if (read !== FfiStatus.OK) err = copyFailed(read, 'async_batch_read_jobs');
    }
    let call = this.#first;
    this.#first = this.#last = undefined;
    this.#count = 0;
    this.#used = 0;
    for (let base = 0; call !== undefined; base += WORDS) {
      const next: Call | undefined = call.next;
      call.next = undefined;
      try {
        if (refused) throw couldNotStart(call.operation, err);
        if (err !== null && err !== undefined) {
          throw typeof err === 'object' ? err : new ErrorCtor(`${call.operation}: ${StringCtor(err)}`);
        }
        const jobStatus = table[base + STATUS];
        if (jobStatus !== FfiStatus.OK) throw new FfiError(jobStatus, call.operation);
        call.resolve(call.convert(table, base, this));
      } catch (e) {
        if (call.handBack !== undefined) handBackOn(e, call.handBack);
        call.reject(e);
      }
      call = next;
    }
    if (this.#kind === SHARED) recycleShared(this);
    else if (this.#kind === LARGE) keepLarge(this);
  }

  /** Gives the memory back to the library (never used again). */
  free(): void {
    const handle = this.#handle;
    this.#handle = null;
    this.#freed = true;
    async_batch_free(handle);
  }
}

/** The rejection of a call whose batch could not start. */
function couldNotStart(operation: string, err: unknown): Error {
  const why = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : err;
  return new ErrorCtor(
    `${operation}: koffi could not start the async call (${StringCtor(why)}); too many native async calls are pending`,
    { __proto__: null, cause: err } as ErrorOptions,
  );
}

// ---- Lists (linked through Batch.next, never a plain array) ----

/** A FIFO of batches. */
class Queue {
  #head: Batch | undefined = undefined;
  #tail: Batch | undefined = undefined;
  push(b: Batch): void {
    b.next = undefined;
    if (this.#tail === undefined) this.#head = b;
    else this.#tail.next = b;
    this.#tail = b;
  }
  shift(): Batch | undefined {
    const b = this.#head;
    if (b !== undefined) {
      this.#head = b.next;
      if (this.#head === undefined) this.#tail = undefined;
      b.next = undefined;
    }
    return b;
  }
}

/** Full batches waiting for a slot, in order. */
const ready = new Queue();

/** Batches accepting jobs: a fixed-size, dense array this module owns (no index it does not own). */
const open = newSlots(MAX_ASYNC_IN_FLIGHT);
let openCount = 0;
let nextOpen = 0;

/** `n` own slots holding `undefined`: never a hole, never grown. */
function newSlots(n: number): (Batch | undefined)[] {
  const slots: (Batch | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    ReflectDefineProperty(slots, i, {
      __proto__: null,
      value: undefined,
      writable: true,
      enumerable: true,
      configurable: true,
    } as PropertyDescriptor);
  }
  return slots;
}

/** Shared batches not in use: a stack. */
let spare: Batch | undefined;
let spareCount = 0;

/** The most shared batches kept for reuse (64 × 270 KiB); more than 2 per slot only until idle. */
const SPARE_MAX = 64;

/** Batches inside a native call now. */
let running = 0;
let flushQueued = false;

/** A spare shared batch, or a new one. */
function spareOrNew(): Batch {
  const b = spare;
  if (b === undefined) return Batch.owned(MAX_JOBS, ARENA, SHARED);
  spare = b.next;
  b.next = undefined;
  spareCount--;
  return b;
}

/** Keeps a settled shared batch for the next calls (allocating one costs more than a batch of small calls). */
function recycleShared(b: Batch): void {
  if (spareCount >= SPARE_MAX) {
    b.free();
    return;
  }
  b.next = spare;
  spare = b;
  spareCount++;
  if (spareCount > 2 * MAX_ASYNC_IN_FLIGHT) armIdleTrim();
}

/** A shared batch with room for one more job of `need` arena words. */
function batchFor(need: number): Batch {
  if (openCount < MAX_ASYNC_IN_FLIGHT) {
    // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
    open[openCount] = spareOrNew();
    openCount++;
  }
  const i = nextOpen++ % openCount;
  // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
  let b = open[i]!;
  if (!b.fits(need)) {
    ready.push(b); // full: it runs when a slot frees
    // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
    b = open[i] = spareOrNew();
  }
  return b;
}

/**
 * The large batch {@link largeBatch} handed out last, until {@link submit} queues it or `abandon()` frees it. A
 * stack overflow can land at any call between the two, and in the `catch` that would abandon it (at the same
 * depth): nothing else would know the batch then. The next large job frees it first.
 */
let handedOut: Batch | undefined;

/** Frees the large batch a stack overflow left between {@link largeBatch} and {@link submit}, if any. */
function reclaimHandedOut(): void {
  const lost = handedOut;
  if (lost === undefined) return;
  handedOut = undefined;
  lost.free(); // never queued: no run holds it, and its call (if added) belongs to a Promise nobody holds
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
  reclaimHandedOut();
  let best: Batch | undefined;
  let bestLength = 0;
  let bestPrev: Batch | undefined;
  let prev: Batch | undefined;
  for (let b = kept; b !== undefined; prev = b, b = b.next) {
    const n = b.arenaLength;
    if (n < words) continue; // too small
    // Stryker disable next-line EqualityOperator: of two kept arenas of the same size either one serves, and no caller can tell which it got.
    if (best === undefined || n < bestLength) {
      best = b;
      bestLength = n;
      bestPrev = prev;
    }
  }
  if (best === undefined) {
    const b = Batch.owned(1, words, LARGE);
    handedOut = b;
    return b;
  }
  // From here to the return, no call: a stack overflow cannot land between unlinking the batch and handing it out.
  if (bestPrev === undefined) kept = best.next;
  else bestPrev.next = best.next;
  best.next = undefined;
  keptCount--;
  keptWords -= bestLength;
  handedOut = best;
  return best;
}

/** How long unused large arenas are kept for reuse after the last large job. */
const LARGE_KEEP_MS = 1000;
/** At most this many words (64 MiB: a 16M-value input) of large arenas are kept. */
const LARGE_KEEP_MAX = 1 << 24;
/** Kept large batches, the most recently kept first. */
let kept: Batch | undefined;
let keptCount = 0;
let keptWords = 0;
let idleTimer: ReturnType<typeof SetTimeout> | undefined;

/** After {@link LARGE_KEEP_MS} without a settled batch, frees kept large arenas and extra spare batches. */
function armIdleTrim(): void {
  ClearTimeout(idleTimer); // a no-op for undefined or a timer that has fired
  idleTimer = SetTimeout(trimIdle, LARGE_KEEP_MS);
  TimeoutPrototypeUnref(idleTimer); // never keeps the process alive
}

function trimIdle(): void {
  idleTimer = undefined;
  for (let b = kept; b !== undefined;) {
    const next: Batch | undefined = b.next;
    b.free();
    b = next;
  }
  kept = undefined;
  keptCount = keptWords = 0;
  while (spareCount > 2 * MAX_ASYNC_IN_FLIGHT) spareOrNew().free();
}

/** Keeps a settled large batch's arena for the next large jobs, for a while. */
function keepLarge(b: Batch): void {
  if (keptWords + b.arenaLength > LARGE_KEEP_MAX || keptCount >= 2 * MAX_ASYNC_IN_FLIGHT) {
    b.free();
    return;
  }
  // Appended: of equal sizes, the one kept first is found first.
  b.next = undefined;
  if (kept === undefined) kept = b;
  else {
    let last = kept;
    while (last.next !== undefined) last = last.next;
    last.next = b;
  }
  keptCount++;
  keptWords += b.arenaLength;
  armIdleTrim();
}

/** The batch for a new job that needs `words` arena words. */
function place(words: number): Batch {
  return words <= SMALL ? batchFor(words) : largeBatch(words);
}

/** Sends queued batches to a native call while slots are free (once per microtask turn). */
function scheduleFlush(): void {
  if (!flushQueued) {
    // The flag after the call: a stack overflow at the call (it can land anywhere) left it set with no flush
    // queued, and no batch ever started again on this thread.
    EnqueueMicrotask(flush);
    flushQueued = true;
  }
}

function flush(): void {
  flushQueued = false;
  while (running < MAX_ASYNC_IN_FLIGHT) {
    let b = ready.shift();
    if (b === undefined) {
      // The fullest open batch goes first; it leaves the open slots.
      let best = -1;
      let bestCount = 0;
      for (let i = 0; i < openCount; i++) {
        // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
        const count = open[i]!.count;
        if (count > bestCount) {
          best = i;
          bestCount = count;
        }
      }
      if (best < 0) return;
      // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
      b = open[best]!;
      openCount--;
      // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
      open[best] = open[openCount];
      // eslint-disable-next-line local/prefer-primordials -- open's slots below MAX_ASYNC_IN_FLIGHT are own data properties defined at load (newSlots): no inherited accessor runs
      open[openCount] = undefined;
    }
    b.launch();
  }
}

// ---- The threads runner: background runs, polled ----

/** How long the threads runner polls at every turn of the event loop after a batch started or ended. */
const SPIN_MS = 2;

/**
 * Polls the running batches until none runs: at every turn of the event loop
 * (`setImmediate`) for {@link SPIN_MS} after a batch started or ended (a small
 * batch ends within microseconds, and a background thread takes some to wake),
 * then every millisecond (a long sieve need not keep this thread busy).
 */
const poll = (() => {
  let head: Batch | undefined;
  let queued = false;
  /** When a batch last started or ended (`Date.now()`). */
  let lastProgress = 0;
  function check(): void {
    queued = false;
    let done: Batch | undefined;
    let doneTail: Batch | undefined;
    let prev: Batch | undefined;
    for (let b = head; b !== undefined;) {
      const next: Batch | undefined = b.next;
      if (b.ended) {
        if (prev === undefined) head = next;
        else prev.next = next;
        b.next = undefined;
        if (doneTail === undefined) done = b;
        else doneTail.next = b;
        doneTail = b;
        running--;
      } else {
        prev = b;
      }
      b = next;
    }
    if (done !== undefined) lastProgress = DateNow();
    if (done !== undefined) flush(); // start the next batches before settling these
    while (done !== undefined) {
      const next: Batch | undefined = done.next;
      done.next = undefined;
      done.settle(null, false);
      done = next;
    }
    schedule();
  }
  function schedule(): void {
    if (queued || head === undefined) return;
    queued = true;
    if (DateNow() - lastProgress <= SPIN_MS) SetImmediate(check);
    else SetTimeout(check, 1);
  }
  return {
    /** Appends `b` (polled in the order the batches started). */
    add(b: Batch): void {
      lastProgress = DateNow();
      b.next = undefined;
      if (head === undefined) head = b;
      else {
        let last = head;
        while (last.next !== undefined) last = last.next;
        last.next = b;
      }
      schedule();
    },
  };
})();

/** Queues one call into `b`, whose table entry is written; returns its Promise. */
function submit<T>(operation: string, b: Batch, convert: Convert, handBack?: Uint32Array): Promise<T> {
  let call: Call | undefined;
  const promise = new PromiseCtor<T>((resolve, reject) => {
    call = new Call(resolve as (v: unknown) => void, reject, convert, operation, handBack);
  });
  if (call === undefined) {
    // The executor threw (a stack overflow at `new Call`): the Promise is rejected with that error, and the job
    // is not queued. (Counted with no call, it unlinked the batch's earlier calls, which never settled, and
    // shifted every later call's result by one job.)
    b.abandon();
    return promise;
  }
  const own = b.kind !== SHARED;
  b.add(call);
  if (own) {
    ready.push(b);
    if (handedOut === b) handedOut = undefined; // queued: the scheduler owns it now
  }
  scheduleFlush();
  return promise;
}

// ---- Sums ----

/** `{ transfer: true }` makes an async sum take the array's buffer instead of copying it. */
export interface TransferOptions {
  /**
   * Move the array's whole `ArrayBuffer` into the call instead of copying it:
   * the caller's buffer is detached until the Promise settles, and the result
   * (or the error, as `error.numbers`) hands back a new `Uint32Array` over the
   * same memory, with the same offset and length. For large arrays, where a
   * copy costs about 0.26 ms per million elements (on Node.js the call reads
   * the buffer in place; on Deno and Bun it copies it into memory the call
   * owns, which a torn-down worker cannot free under it).
   *
   * Refused with `ERR_INVALID_ARG_TYPE` for a plain array, and with
   * `ERR_INVALID_ARG_VALUE`, leaving the buffer as it was, for a buffer this
   * runtime cannot detach: a `SharedArrayBuffer`, a buffer already detached,
   * one `structuredClone` would copy instead of moving (Node.js's pool
   * behind small `Buffer`s, a `WebAssembly.Memory`'s). The same on Node.js,
   * Deno and Bun: the caller's buffer is really detached, or the call rejects.
   */
  transfer?: boolean;
}

/** A transferred sum's result: the sum and the array handed back (a null-prototype record: never a thenable). */
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

function typeError(message: string, code: string, cause?: unknown): TypeError {
  const error =
    cause === undefined
      ? new TypeErrorCtor(message)
      : new TypeErrorCtor(message, { __proto__: null, cause } as ErrorOptions);
  ReflectDefineProperty(error, 'code', field(code));
  return error;
}

/** The sum in a job's result field, as a number, or `RangeError` past 2^53 - 1. */
function sumNumber(operation: string): Convert {
  return (table, base) => {
    const hi = table[base + RESULT + 1];
    if (hi < 0x20_0000) return hi * TWO_32 + table[base + RESULT];
    throw resultOutOfRange(
      operation,
      `the sum ${(BigIntCtor(hi) << 32n) | BigIntCtor(table[base + RESULT])} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use sumOfEvenBigIntAsync(), which returns a bigint`,
    );
  };
}

const sumBigInt: Convert = (table, base) =>
  (BigIntCtor(table[base + RESULT + 1]) << 32n) | BigIntCtor(table[base + RESULT]);

/** Copies `numbers` into a batch as a sum job and queues it. */
function sumCopied<T>(operation: string, numbers: unknown, convert: Convert): Promise<T> {
  const array = uint32Array(numbers, operation, 'numbers');
  const length = TypedArrayPrototypeGetLength(array);
  const b = place(length);
  try {
    const offset = b.reserve(length);
    // The copy: reads the engine's own length. An out-of-bounds view (its
    // resizable buffer shrank below it) has length 0, and set() would throw.
    if (length !== 0) b.copyIn(array, offset, length, operation);
    b.sumJob(offset, length);
    return submit<T>(operation, b, convert);
  } catch (e) {
    b.abandon();
    throw e;
  }
}

/** Whether `buffer` (an `ArrayBuffer`) is detached: only then does a view of it throw on construction. */
function isDetached(buffer: ArrayBuffer): boolean {
  if (ArrayBufferPrototypeGetByteLength(buffer) !== 0) return false;
  try {
    new Uint8ArrayCtor(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Moves the buffer of `numbers` into a dedicated batch as a sum job and queues it. */
function sumTransferred<S>(operation: string, numbers: unknown, convert: Convert): Promise<TransferredSum<S>> {
  if (TypedArrayPrototypeGetSymbolToStringTag(numbers) !== 'Uint32Array') {
    throw typeError(
      `${operation}: numbers must be a Uint32Array to be transferred, got ${describe(numbers)}`,
      'ERR_INVALID_ARG_TYPE',
    );
  }
  const view = numbers as Uint32Array;
  const length = TypedArrayPrototypeGetLength(view);
  const byteOffset = TypedArrayPrototypeGetByteOffset(view);
  const buffer = TypedArrayPrototypeGetBuffer(view) as ArrayBuffer;
  const refuse = (cause: unknown): TypeError =>
    typeError(
      `${operation}: the buffer of numbers cannot be transferred (a SharedArrayBuffer, a detached or non-transferable buffer); pass it without { transfer: true } to copy it`,
      'ERR_INVALID_ARG_VALUE',
      cause,
    );
  let byteLength: number;
  try {
    byteLength = ArrayBufferPrototypeGetByteLength(buffer); // throws for a SharedArrayBuffer
  } catch (cause) {
    throw refuse(cause);
  }
  // structuredClone's answer for a detached buffer differs between runtimes (Node.js 20 "moves" it as empty).
  if (isDetached(buffer)) throw refuse(new TypeErrorCtor('the buffer is detached'));
  let moved: ArrayBuffer;
  try {
    moved = StructuredClone(buffer, { __proto__: null, transfer: [buffer] } as { transfer: ArrayBuffer[] });
  } catch (cause) {
    throw refuse(cause);
  }
  // A buffer the runtime cannot detach may be copied instead, silently (Node.js's Buffer pool): refused,
  // so that "the caller's buffer is detached" holds everywhere.
  if (!isDetached(buffer) || ArrayBufferPrototypeGetByteLength(moved) !== byteLength) {
    throw refuse(new TypeErrorCtor('structuredClone copied the buffer instead of moving it'));
  }
  const words = MathFloor(byteLength / 4);
  const handBack = new Uint32ArrayCtor(moved, byteOffset, length);
  let b: Batch | undefined;
  try {
    let offset: number;
    if (THREADS) {
      // Copied into memory the call owns: this runtime may free the caller's while the run reads it.
      b = place(length);
      offset = b.reserve(length);
      if (length !== 0) b.copyIn(handBack, offset, length, operation);
    } else {
      b = Batch.caller(new Uint32ArrayCtor(moved, 0, words));
      offset = byteOffset / 4;
    }
    b.sumJob(offset, length);
    const withArray: Convert = (table, base, batch) =>
      ({ __proto__: null, sum: convert(table, base, batch) as S, numbers: handBack }) as unknown as TransferredSum<S>;
    return submit<TransferredSum<S>>(operation, b, withArray, handBack);
  } catch (e) {
    // The caller's buffer is detached by now: the error hands the array back, as a settled call's does.
    b?.abandon();
    handBackOn(e, handBack);
    throw e;
  }
}

/** Hands a transferred array back on an error (`error.numbers`), if the error is an object that takes it. */
function handBackOn(e: unknown, numbers: Uint32Array): void {
  if (e !== null && typeof e === 'object') {
    ReflectDefineProperty(e, 'numbers', { __proto__: null, value: numbers, enumerable: true } as PropertyDescriptor);
  }
}

/**
 * {@link sumOfEven} on a worker thread.
 *
 * The array is copied before this function returns (a plain array is
 * validated first), so the caller may change it right away. With
 * `{ transfer: true }` a `Uint32Array`'s buffer is moved into the call
 * instead (zero-copy on Node.js, see {@link TransferOptions}) and the Promise
 * resolves to `{ sum, numbers }`, a null-prototype record. Invalid arguments,
 * and a buffer that cannot be detached, reject (nothing throws synchronously).
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
    return PromiseReject(e);
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
    return PromiseReject(e);
  }
}

// ---- Primes ----

/**
 * The class of `primesUpToAsync`'s arrays: a `Uint32Array` whose own,
 * frozen prototype has a `then` of `undefined`, so that an inherited `then`
 * (a patched `Object.prototype` or `Uint32Array.prototype`) cannot turn the
 * result into a thenable. Cheaper than an own property on each array (about
 * 1.5 µs a call here).
 */
const PrimesArray = class Uint32Array extends Uint32ArrayCtor {};
ReflectDefineProperty(PrimesArray.prototype, 'then', NO_THEN);
// `constructor` is Uint32Array itself, as for primesUpTo's arrays: `slice()` and the like make plain ones.
ReflectDefineProperty(PrimesArray.prototype, 'constructor', {
  __proto__: null,
  value: Uint32ArrayCtor,
  writable: true,
  configurable: true,
} as PropertyDescriptor);
ObjectFreeze(PrimesArray.prototype);
ObjectFreeze(PrimesArray);

/** Copies a primes job's output out of the arena into a new, exact-size array. */
const primesResult: Convert = (table, base, batch) => {
  const count = table[base + RESULT];
  // Its low word only: a primes job's output sits in a shared arena (below 2^16) or at 0 in a batch of its own.
  const offset = table[base + OUTPUT_OFFSET];
  // The base constructor with the subclass as new.target: no derived constructor to run.
  const out = ReflectConstruct(Uint32ArrayCtor, [count], PrimesArray) as Uint32Array;
  if (count !== 0) batch.copyOut(out, offset, count, 'primesUpToAsync');
  return out;
};

/**
 * {@link primesUpTo} on a worker thread. The sieve runs off the event loop,
 * into memory this module owns; the one copy of the result into the returned
 * `Uint32Array` happens on the main thread when the Promise settles. Nothing
 * is left for anyone to free. Invalid limits reject (nothing throws
 * synchronously). The array is a `Uint32Array` (its `constructor` too)
 * whose prototype, a frozen one of this package's, has a `then` of
 * `undefined`, so that no inherited `then` makes it a thenable.
 *
 * @returns a Promise of the primes `<= limit`
 * @example await primesUpToAsync(10) // Uint32Array [2, 3, 5, 7]
 */
export function primesUpToAsync(limit: number): Promise<Uint32Array> {
  try {
    const n = checkPrimesLimit(limit, 'primesUpToAsync');
    const capacity = async_job_primes_capacity(n);
    const b = place(capacity);
    try {
      b.primesJob(n, b.reserve(capacity), capacity);
      return submit<Uint32Array>('primesUpToAsync', b, primesResult);
    } catch (e) {
      b.abandon();
      throw e;
    }
  } catch (e) {
    return PromiseReject(e);
  }
}
