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
 */
/// <reference lib="esnext.disposable" preserve="true" />
import { decode } from 'koffi';
import {
  opaque_point_describe,
  opaque_point_free,
  opaque_point_get,
  opaque_point_new_thread_owned,
  opaque_point_translate,
} from './raw/opaque';
import { free_rust_string } from './raw/strings';
import { float32, freedError, TypedArrayPrototypeGetLength, TypedArrayPrototypeSet } from './validate';

// Captured at load: the slot tables hold the handles Rust frees, so neither a
// replaced global constructor nor a patched `length` or `set` may shape them.
const BigU64 = BigUint64Array;
const I32 = Int32Array;

/**
 * The handles of the points the FinalizationRegistry knows, by slot: the
 * registry's held value is the slot, a small integer that V8 stores inside
 * its record at no extra cost (a `bigint` held value costs 24 more bytes per
 * point, a `number` 16). No unregister token either (V8 keeps a table entry
 * per token): `free()` zeroes its slot instead, and the slot is reused only
 * after the registry's callback for it has run, so a late callback never
 * sees another point's handle. 8 bytes per slot, off the V8 heap (a
 * `BigUint64Array`), and 4 per free slot; both shrink back once no slot is in
 * use.
 */
class HandleSlots {
  static readonly #INITIAL = 1024;
  /** Handle by slot; 0 for a slot whose point was freed explicitly (or that is free). */
  #handles = new BigU64(HandleSlots.#INITIAL);
  /** Free slots below {@link #top}, as a stack. */
  #free = new I32(HandleSlots.#INITIAL);
  #freeCount = 0;
  /** Slots at and above this index were never used since the last reset. */
  #top = 0;
  /** Slots taken and not yet given back by {@link release}. */
  #used = 0;

  /** Stores `handle` in a slot and returns the slot. */
  take(handle: bigint): number {
    let slot: number;
    if (this.#freeCount > 0) {
      slot = this.#free[--this.#freeCount];
    } else {
      if (this.#top === TypedArrayPrototypeGetLength(this.#handles)) {
        const handles = new BigU64(this.#top * 2);
        TypedArrayPrototypeSet(handles, this.#handles);
        this.#handles = handles;
      }
      slot = this.#top++;
    }
    this.#handles[slot] = handle;
    this.#used++;
    return slot;
  }

  /**
   * Forgets the handle in `slot` (freed explicitly); the slot stays taken. A
   * point never registered has slot -1, an index a typed array ignores on write.
   */
  clear(slot: number): void {
    this.#handles[slot] = 0n;
  }

  /** Gives `slot` back and returns its handle, or 0n if it was cleared. */
  release(slot: number): bigint {
    const handle = this.#handles[slot];
    this.#handles[slot] = 0n;
    if (
      --this.#used === 0 &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with no slot in use and #top at most #INITIAL the tables never grew (they hold #INITIAL zeros), so replacing them with new ones (`true`, `>=`) changes nothing but an allocation (`<=` keeps grown tables: test/opaque.test.ts kills it).
      this.#top > HandleSlots.#INITIAL
    ) {
      this.#handles = new BigU64(HandleSlots.#INITIAL);
      this.#free = new I32(HandleSlots.#INITIAL);
      this.#freeCount = 0;
      this.#top = 0;
    } else {
      const length = TypedArrayPrototypeGetLength(this.#free);
      if (this.#freeCount === length) {
        const free = new I32(length * 2);
        TypedArrayPrototypeSet(free, this.#free);
        this.#free = free;
      }
      this.#free[this.#freeCount++] = slot;
    }
    return handle;
  }
}

const slots = new HandleSlots();

/**
 * Frees the handles of OpaquePoints that were garbage-collected without
 * `free()`, given their slot. Runs on the thread that created the point, as
 * `opaque_point_free` requires for a thread-owned handle.
 */
const registry = new FinalizationRegistry<number>((slot) => {
  opaque_point_free(slots.release(slot)); // 0n (freed explicitly) is NULL: a no-op
});

/**
 * Points created but not registered yet. `FinalizationRegistry.register`
 * costs more than creating and freeing the Rust point itself (~300 ns against
 * ~150 ns), and most points are freed soon after they are made. So a new point
 * is only pushed here, and registered when the current job ends (a microtask)
 * or when {@link PENDING_MAX} are waiting, whichever comes first, and only if
 * it has not been freed by then. Until then the array holds it strongly, so it
 * cannot be collected unregistered.
 */
let pending: OpaquePoint[] = [];

/** At most this many points wait to be registered, which bounds the memory they pin. */
const PENDING_MAX = 1024;

/**
 * A point that lives in Rust memory; JavaScript holds only a private handle.
 *
 * Free it with `free()` (idempotent) or a `using` declaration; if it is
 * simply dropped, the garbage collector frees it eventually (through a
 * `FinalizationRegistry`, registered at the end of the job that created the
 * point unless it was freed by then), and a worker thread's points that are
 * still live when the worker ends are freed with its thread. Any method or
 * getter called after `free()` throws an `Error`.
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

  #handle: bigint | null;
  /** The point's slot in {@link slots} once the FinalizationRegistry knows it, else -1. */
  #slot = -1;

  /**
   * Creates a point in Rust at (`x`, `y`) (`opaque_point_new_thread_owned`: owned by this thread).
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if a coordinate is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if a coordinate is not finite as a `float`
   */
  constructor(x: number, y: number) {
    const handle = opaque_point_new_thread_owned(float32(x, 'OpaquePoint', 'x'), float32(y, 'OpaquePoint', 'y'));
    if (handle === null) {
      throw new Error('OpaquePoint: opaque_point_new_thread_owned returned NULL (an internal panic in Rust)');
    }
    this.#handle = handle;
    if (pending.length >= PENDING_MAX) {
      OpaquePoint.#registerPending(); // before pushing this one, which may well be freed soon
    }
    if (pending.push(this) === 1) {
      queueMicrotask(OpaquePoint.#registerPending);
    }
  }

  /** Registers the pending points that are still alive with the FinalizationRegistry. */
  static #registerPending(this: void): void {
    const batch = pending;
    pending = [];
    for (const point of batch) {
      const handle = point.#handle;
      if (handle !== null) {
        point.#slot = slots.take(handle);
        registry.register(point, point.#slot);
      }
    }
  }

  /** The live handle, or an Error naming `operation` once freed. */
  #live(operation: string): bigint {
    const handle = this.#handle;
    if (handle === null) throw freedError(`OpaquePoint.${operation}`, 'point');
    return handle;
  }

  /** `true` once `free()` has run. */
  get freed(): boolean {
    return this.#handle === null;
  }

  /** The x coordinate, read from Rust (`opaque_point_get`). @throws Error `ERR_FFI_FREED` after `free()` */
  get x(): number {
    return opaque_point_get(this.#live('x')).x;
  }

  /** The y coordinate, read from Rust (`opaque_point_get`). @throws Error `ERR_FFI_FREED` after `free()` */
  get y(): number {
    return opaque_point_get(this.#live('y')).y;
  }

  /**
   * Moves the point by (`byX`, `byY`) in Rust and returns it for chaining.
   *
   * @throws Error `ERR_FFI_FREED` after `free()`
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if an offset is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if an offset is not finite as a `float`
   */
  translate(byX: number, byY: number): this {
    const handle = this.#live('translate');
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
    const text = opaque_point_describe(this.#live('describe'));
    if (text === null) {
      throw new Error('OpaquePoint.describe: opaque_point_describe returned NULL (an internal panic in Rust)');
    }
    try {
      return decode.string(text);
    } finally {
      free_rust_string(text);
    }
  }

  /** `{ x, y }`, read from Rust. @throws Error `ERR_FFI_FREED` after `free()` */
  toJSON(): { x: number; y: number } {
    const { x, y } = opaque_point_get(this.#live('toJSON'));
    return { x, y };
  }

  /**
   * Frees the Rust point now. Idempotent: later calls do nothing. Afterwards
   * every other method and getter throws.
   */
  free(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    slots.clear(this.#slot); // its registry callback, if any, will find nothing to free
    opaque_point_free(handle);
  }

  /** Frees the point at the end of a `using` block; same as `free()`. */
  [Symbol.dispose](): void {
    this.free();
  }
}
