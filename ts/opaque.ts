/**
 * OpaquePoint: a type only Rust can see into, held through a handle.
 *
 * The handle is a raw address, and koffi 3 passes any BigInt as a pointer:
 * a wrong or already freed one would crash the process. So the class keeps
 * it in a private field, frees it exactly once (explicitly, at the end of a
 * `using` block, or from a `FinalizationRegistry` if forgotten), and refuses
 * every use after `free()` before anything reaches Rust.
 *
 * Numbers follow the policy of the point module: a non-number is a
 * `TypeError`; NaN, ±Infinity and values beyond the `float` range are a
 * `RangeError`.
 *
 * Lifetime, three ways, whichever comes first:
 * - `free()` or the end of a `using` block frees the Rust point at once;
 * - the garbage collector: a `FinalizationRegistry` frees a point that became
 *   unreachable, some time after the job that dropped it ends;
 * - the thread: points are created with `opaque_point_new_thread_owned`, so
 *   the ones still live when a worker thread ends (`worker.terminate()` or a
 *   normal exit) are freed by Rust when the thread's OS thread exits. On the
 *   main thread that is process exit, when the system reclaims everything
 *   (glibc also runs the main thread's thread-local destructors then). The
 *   registry belongs to the OS thread, not to the JS environment: an embedder
 *   that runs several environments one after another on one thread gets their
 *   leftover points freed when that thread exits, not between environments.
 *
 * GC bound: FinalizationRegistry callbacks never run inside a synchronous
 * job, so every point dropped without `free()` in one job keeps up to
 * `OpaquePoint.GC_BYTES_PER_UNFREED` (80) bytes of V8 heap (the registry's
 * record of it; the object itself is collected), plus 8 bytes for its slot
 * and its Rust allocation, until the job ends. A loop that creates millions
 * of points in one go should free them (`using`, `free()`), or use the value
 * type `Point`, which holds no native memory at all. A point freed in the job
 * that created it (up to 1024 points later) never reaches the registry; one
 * freed later keeps its record until the object itself is collected.
 *
 * Hostile code and deep stacks: the handle, the slot tables and the list of
 * points waiting for registration live in private fields and module-private
 * typed arrays, and the registry is a `SafeFinalizationRegistry`: no patched
 * built-in, callback or prototype lookup reaches them. Coordinates come back
 * through a module-private `Float32Array` that Rust writes
 * (`opaque_point_get_into`), never through an object koffi builds, so an
 * accessor named `x` or `y` on `Object.prototype` changes nothing. A `RangeError` for
 * stack exhaustion can be thrown at any call, so no native resource is ever
 * held only in a local across a call: `new OpaquePoint` links the new handle
 * into its pending list with no call in between, `free()` frees first and
 * forgets after with no call in between (so neither a leak nor a double free
 * can follow an overflow), and `describe()` parks a string it could not free
 * for the next call to free.
 */
/// <reference lib="esnext.disposable" preserve="true" />
import { decode } from 'koffi';
import {
  opaque_point_describe,
  opaque_point_free,
  opaque_point_get_into,
  opaque_point_new_thread_owned,
  opaque_point_translate,
} from './raw/opaque';
import { free_rust_string } from './raw/strings';
import type { RawPointer } from './raw/strings';
import {
  BigUint64ArrayCtor,
  ErrorCtor,
  Float32ArrayCtor,
  Int32ArrayCtor,
  QueueMicrotask,
  SafeFinalizationRegistry,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
} from './primordials';
import { float32, freedError, invalidThis } from './validate';

// Captured at load: the slot tables hold the handles Rust frees, so neither a
// replaced global constructor nor a patched `length` or `set` may shape them.
const BigU64 = BigUint64ArrayCtor;
const I32 = Int32ArrayCtor;
/** koffi's C-string decoder, captured: koffi's exports object is user-writable. */
const decodeString = decode.string as (pointer: RawPointer) => string;

/**
 * Where `opaque_point_get_into` writes a point's coordinates (x, y), read
 * right after each call: no JS runs in between, and the array is
 * module-private. koffi's struct object for a returned `Point` is never
 * made, so no accessor on `Object.prototype` can see or change a result.
 */
const coordinates = new Float32ArrayCtor(2);

// ---- Slots -------------------------------------------------------------------
//
// The handles of the points the FinalizationRegistry knows, by slot: the
// registry's held value is the slot, a small integer that V8 stores inside
// its record at no extra cost (a `bigint` held value costs 24 more bytes per
// point, a `number` 16). No unregister token either (V8 keeps a table entry
// per token): `free()` zeroes its slot instead, and the slot is reused only
// after the registry's callback for it has run, so a late callback never
// sees another point's handle. 8 bytes per slot, off the V8 heap (a
// `BigUint64Array`), and 4 per free slot; both shrink back once no slot is in
// use. Module-private: `free()` and the registry's callback write a slot
// inline, with no call that could be interrupted by a stack overflow.

const SLOTS_INITIAL = 1024;
/** Handle by slot; 0 for a slot whose point was freed explicitly (or that is free). */
let slotHandles = new BigU64(SLOTS_INITIAL);
/** Free slots below {@link slotTop}, as a stack. */
let freeSlots = new I32(SLOTS_INITIAL);
let freeSlotCount = 0;
/** Slots at and above this index were never used since the last reset. */
let slotTop = 0;
/** Slots taken and not yet given back by {@link releaseSlot}. */
let slotsUsed = 0;

/** Stores `handle` in a slot and returns the slot. */
function takeSlot(handle: bigint): number {
  let slot: number;
  if (freeSlotCount > 0) {
    slot = freeSlots[freeSlotCount - 1];
    freeSlotCount--;
  } else {
    if (slotTop === TypedArrayPrototypeGetLength(slotHandles)) {
      const handles = new BigU64(slotTop * 2);
      TypedArrayPrototypeSet(handles, slotHandles);
      slotHandles = handles;
    }
    slot = slotTop++;
  }
  slotHandles[slot] = handle;
  slotsUsed++;
  return slot;
}

/** Gives `slot` back (its handle already freed or cleared). */
function releaseSlot(slot: number): void {
  slotHandles[slot] = 0n;
  if (
    --slotsUsed === 0 &&
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with no slot in use and slotTop at most SLOTS_INITIAL the tables never grew (they hold SLOTS_INITIAL zeros), so replacing them with new ones (`true`, `>=`) changes nothing but an allocation (`<=` keeps grown tables: test/opaque.test.ts kills it).
    slotTop > SLOTS_INITIAL
  ) {
    slotHandles = new BigU64(SLOTS_INITIAL);
    freeSlots = new I32(SLOTS_INITIAL);
    freeSlotCount = 0;
    slotTop = 0;
  } else {
    const length = TypedArrayPrototypeGetLength(freeSlots);
    if (freeSlotCount === length) {
      const free = new I32(length * 2);
      TypedArrayPrototypeSet(free, freeSlots);
      freeSlots = free;
    }
    freeSlots[freeSlotCount++] = slot;
  }
}

/**
 * Frees the handles of OpaquePoints that were garbage-collected without
 * `free()`, given their slot. Runs on the thread that created the point, as
 * `opaque_point_free` requires for a thread-owned handle.
 */
const registry = new SafeFinalizationRegistry<number>((slot) => {
  const handle = slotHandles[slot];
  if (handle !== 0n) opaque_point_free(handle);
  releaseSlot(slot);
});

// ---- Points waiting for registration ------------------------------------------
//
// `FinalizationRegistry.register` costs more than creating and freeing the
// Rust point itself (~300 ns against ~150 ns), and most points are freed soon
// after they are made. So a new point is only linked into a list (through its
// private `#nextPending`), and registered when the current job ends (a
// microtask) or when {@link PENDING_MAX} are waiting, whichever comes first,
// and only if it has not been freed by then. Until then the list holds it
// strongly, so it cannot be collected unregistered.

/** At most this many points wait to be registered, which bounds the memory they pin. */
const PENDING_MAX = 1024;
let pendingCount = 0;
/** Whether a microtask that registers the pending points is queued. */
let flushQueued = false;

/** For tests: the points waiting for registration, and the slots the registry's points hold (not exported by the package). */
export function registrationCounts(): { waiting: number; slots: number } {
  return { waiting: pendingCount, slots: slotsUsed };
}

/** Rust strings `describe()` could not free (a stack overflow at that call), freed by the next `describe()`. */
const parkedStrings = new BigU64(64);
let parkedCount = 0;

/**
 * A point that lives in Rust memory; JavaScript holds only a private handle.
 *
 * Free it with `free()` (idempotent) or a `using` declaration; if it is
 * simply dropped, the garbage collector frees it eventually (through a
 * `FinalizationRegistry`, registered at the end of the job that created the
 * point unless it was freed by then), and a worker thread's points that are
 * still live when the worker ends are freed with its thread. Any method or
 * getter called after `free()` throws an `Error`; called on anything but an
 * OpaquePoint, a `TypeError` with code `'ERR_INVALID_THIS'`.
 *
 * Until the job that dropped it ends, a point left to the garbage collector
 * costs up to {@link OpaquePoint.GC_BYTES_PER_UNFREED} bytes of V8 heap: free
 * points made in long synchronous loops, or use `Point`.
 *
 * @example
 * {
 *   using p = new OpaquePoint(1, 2);
 *   p.translate(3, 4).describe(); // 'OpaquePoint(4, 6)'
 * } // freed here
 */
export class OpaquePoint {
  /**
   * The most V8 heap, in bytes, that one OpaquePoint dropped without `free()`
   * keeps until the job that dropped it ends: measured 72 for 10^5 to
   * 2 × 10^6 points on Node 20, x64 (98 to 113 before this bound was set),
   * and test/lifetimes.test.ts holds every build to it. That is V8's record
   * of a FinalizationRegistry target, which no design that frees forgotten
   * points avoids; the class adds nothing to it (the record holds a slot
   * number, not the handle, and no unregister token). Off the V8 heap come 8
   * bytes for the slot, and the Rust point (12 bytes in a malloc block, plus
   * its entry in the thread's registry).
   */
  static readonly GC_BYTES_PER_UNFREED = 80;

  /** The oldest point waiting for registration (linked through `#nextPending`), and the newest. */
  static #pendingHead: OpaquePoint | null = null;
  static #pendingTail: OpaquePoint | null = null;

  #handle: bigint | null = null;
  /** The point's slot once the FinalizationRegistry knows it, else -1. */
  #slot = -1;
  /** The next point waiting for registration, while this one waits. */
  #nextPending: OpaquePoint | null = null;

  /**
   * Creates a point in Rust at (`x`, `y`) (`opaque_point_new_thread_owned`: owned by this thread).
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if a coordinate is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if a coordinate is not finite as a `float`
   */
  constructor(x: number, y: number) {
    const fx = float32(x, 'OpaquePoint', 'x');
    const fy = float32(y, 'OpaquePoint', 'y');
    // Every call that can throw comes before Rust allocates: from the
    // allocation on, nothing but assignments until the point is in the list.
    if (pendingCount >= PENDING_MAX) OpaquePoint.#registerPending();
    if (!flushQueued) {
      QueueMicrotask(OpaquePoint.#flush);
      flushQueued = true;
    }
    const handle = opaque_point_new_thread_owned(fx, fy);
    if (handle === null) {
      throw new ErrorCtor('OpaquePoint: opaque_point_new_thread_owned returned NULL (an internal panic in Rust)');
    }
    this.#handle = handle;
    const tail = OpaquePoint.#pendingTail;
    if (tail === null) OpaquePoint.#pendingHead = this;
    else tail.#nextPending = this;
    OpaquePoint.#pendingTail = this;
    pendingCount++;
  }

  /** The queued microtask: registers what is pending. */
  static #flush(this: void): void {
    flushQueued = false;
    OpaquePoint.#registerPending();
  }

  /**
   * Registers the pending points that are still alive with the
   * FinalizationRegistry. A point leaves the list only once registered (or
   * freed), so a throw in the middle (a stack overflow) loses none: the next
   * flush goes on from it.
   */
  static #registerPending(this: void): void {
    for (let point = OpaquePoint.#pendingHead; point !== null; point = OpaquePoint.#pendingHead) {
      const handle = point.#handle;
      if (handle !== null) {
        const slot = takeSlot(handle);
        registry.register(point, slot);
        point.#slot = slot;
      }
      const next = point.#nextPending;
      OpaquePoint.#pendingHead = next;
      if (next === null) OpaquePoint.#pendingTail = null;
      point.#nextPending = null;
      pendingCount--;
    }
  }

  /**
   * The handle of `self` (`null` once freed), or a `TypeError`
   * `ERR_INVALID_THIS` naming `fn` for a receiver that is not an OpaquePoint.
   */
  static #handleOf(self: unknown, fn: string): bigint | null {
    if (typeof self === 'object' && self !== null && #handle in self) return (self as OpaquePoint).#handle;
    throw invalidThis(fn, 'an OpaquePoint', self);
  }

  /** The live handle of `self`, or an Error naming `fn` once freed. */
  static #live(self: unknown, fn: string): bigint {
    const handle = OpaquePoint.#handleOf(self, fn);
    if (handle === null) throw freedError(fn, 'point');
    return handle;
  }

  /**
   * Reads the coordinates Rust holds for `handle` into the module's
   * `coordinates` (`opaque_point_get_into`): read them before any other call.
   */
  static #readCoordinates(handle: bigint, fn: string): void {
    if (!opaque_point_get_into(handle, coordinates)) {
      // A live handle of this thread's always has a point (only this thread
      // or its exit frees it): false means a panic caught in Rust.
      throw new ErrorCtor(`${fn}: opaque_point_get_into found no point (an internal panic in Rust)`);
    }
  }

  /** `true` once `free()` has run. */
  get freed(): boolean {
    return OpaquePoint.#handleOf(this, 'OpaquePoint.freed') === null;
  }

  /** The x coordinate, read from Rust (`opaque_point_get_into`). @throws Error `ERR_FFI_FREED` after `free()` */
  get x(): number {
    OpaquePoint.#readCoordinates(OpaquePoint.#live(this, 'OpaquePoint.x'), 'OpaquePoint.x');
    return coordinates[0];
  }

  /** The y coordinate, read from Rust (`opaque_point_get_into`). @throws Error `ERR_FFI_FREED` after `free()` */
  get y(): number {
    OpaquePoint.#readCoordinates(OpaquePoint.#live(this, 'OpaquePoint.y'), 'OpaquePoint.y');
    return coordinates[1];
  }

  /**
   * Moves the point by (`byX`, `byY`) in Rust and returns it for chaining.
   *
   * @throws Error `ERR_FFI_FREED` after `free()`
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if an offset is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if an offset is not finite as a `float`
   */
  translate(byX: number, byY: number): this {
    const handle = OpaquePoint.#live(this, 'OpaquePoint.translate');
    opaque_point_translate(
      handle,
      float32(byX, 'OpaquePoint.translate', 'byX'),
      float32(byY, 'OpaquePoint.translate', 'byY'),
    );
    return this;
  }

  /**
   * Rust's `Display` of the point, e.g. `'OpaquePoint(1.5, -2)'`. The Rust
   * string is decoded and freed before this returns.
   *
   * @throws Error `ERR_FFI_FREED` after `free()`
   */
  describe(): string {
    const handle = OpaquePoint.#live(this, 'OpaquePoint.describe');
    // Strings an earlier call could not free, first (a throw here allocates nothing).
    while (parkedCount > 0) {
      free_rust_string(parkedStrings[parkedCount - 1]);
      parkedStrings[--parkedCount] = 0n;
    }
    const text = opaque_point_describe(handle);
    if (text === null) {
      throw new ErrorCtor('OpaquePoint.describe: opaque_point_describe returned NULL (an internal panic in Rust)');
    }
    let freed = false;
    try {
      const described = decodeString(text);
      free_rust_string(text);
      freed = true;
      return described;
    } finally {
      // A throw (a stack overflow at either call) before the string was
      // freed: park it, with no call, for the next describe() to free.
      if (!freed && parkedCount < TypedArrayPrototypeGetLength(parkedStrings)) parkedStrings[parkedCount++] = text;
    }
  }

  /**
   * `{ x, y }`, read from Rust, as a new object literal (own data
   * properties: no inherited setter runs). @throws Error `ERR_FFI_FREED` after `free()`
   */
  toJSON(): { x: number; y: number } {
    OpaquePoint.#readCoordinates(OpaquePoint.#live(this, 'OpaquePoint.toJSON'), 'OpaquePoint.toJSON');
    return { x: coordinates[0], y: coordinates[1] };
  }

  /**
   * Frees the Rust point now. Idempotent: later calls do nothing. Afterwards
   * every other method and getter throws.
   */
  free(): void {
    OpaquePoint.#free(this, 'OpaquePoint.free');
  }

  /** Frees the point at the end of a `using` block; same as `free()`. */
  // eslint-disable-next-line local/prefer-primordials -- a computed key, evaluated once when the class is defined (at load); the published declarations must name Symbol.dispose, not an internal module
  [Symbol.dispose](): void {
    OpaquePoint.#free(this, 'OpaquePoint[Symbol.dispose]');
  }

  /** `free()` of `self`, named `fn` in an `ERR_INVALID_THIS`. */
  static #free(self: unknown, fn: string): void {
    const handle = OpaquePoint.#handleOf(self, fn);
    if (handle === null) return;
    const point = self as OpaquePoint;
    // Free first, forget after. The one call is the native free: a throw at
    // it (a stack overflow, before Rust runs) changes nothing, and from its
    // return to the last line there is no call, so nothing can come between
    // freeing the handle and forgetting it (neither a leak nor a double free).
    opaque_point_free(handle);
    point.#handle = null;
    slotHandles[point.#slot] = 0n; // its registry callback, if any, finds nothing to free (-1: no slot, ignored)
  }
}
