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
 *   (glibc also runs the main thread's thread-local destructors then).
 *
 * GC bound: FinalizationRegistry callbacks never run inside a synchronous
 * job, so every point dropped without `free()` in one job keeps up to
 * `OpaquePoint.GC_BYTES_PER_UNFREED` (100) bytes of V8 heap (the registry's
 * record of it and the handle it will free; the object itself is collected)
 * plus its Rust allocation, until the job ends. A loop that creates millions
 * of points in one go should free them (`using`, `free()`), or use the value
 * type `Point`, which holds no native memory at all.
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
import { float32 } from './validate';

/**
 * Frees the handles of OpaquePoints that were garbage-collected without
 * `free()`. The held value is the handle as a `number` when that is exact
 * (below 2^53, as user-space addresses are on common 64-bit systems): a
 * 16-byte heap number instead of a 24-byte `bigint`. The instance itself is the
 * unregister token, so an explicit `free()` removes the entry and nothing is
 * ever freed twice. Runs on the thread that created the point, as
 * `opaque_point_free` requires for a thread-owned handle.
 */
const registry = new FinalizationRegistry<number | bigint>((handle) =>
  opaque_point_free(typeof handle === 'bigint' ? handle : BigInt(handle)),
);

/** Handles up to this value are held by the registry as exact `number`s. */
const MAX_SAFE_HANDLE = BigInt(Number.MAX_SAFE_INTEGER);

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
   * keeps until the job that dropped it ends: measured 81 to 89 for 10^5 to
   * 2 × 10^6 points on Node 20, x64 (113 before this bound was set), and
   * test/lifetimes.test.ts holds every build to it. About 72 are V8's record
   * of a FinalizationRegistry target, which no design that frees forgotten
   * points avoids; the rest is the handle that record keeps (a 16-byte heap
   * number) and the unregister token's share of the registry's table. Its
   * Rust allocation (a 12-byte point, plus its entry in the thread's
   * registry) comes on top, off the V8 heap.
   */
  static readonly GC_BYTES_PER_UNFREED = 100;

  #handle: bigint | null;
  /** Whether the FinalizationRegistry knows this point (then `free()` must unregister it). */
  #registered = false;

  /**
   * Creates a point in Rust at (`x`, `y`) (`opaque_point_new`).
   *
   * @throws TypeError if a coordinate is not a number
   * @throws RangeError if a coordinate is not finite as a `float`
   */
  constructor(x: number, y: number) {
    const handle = opaque_point_new_thread_owned(float32(x, 'x'), float32(y, 'y'));
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
        point.#registered = true;
        registry.register(point, handle <= MAX_SAFE_HANDLE ? Number(handle) : handle, point);
      }
    }
  }

  /** The live handle, or an Error naming `operation` once freed. */
  #live(operation: string): bigint {
    const handle = this.#handle;
    if (handle === null) {
      throw new Error(`OpaquePoint.${operation}: the point was freed`);
    }
    return handle;
  }

  /** `true` once `free()` has run. */
  get freed(): boolean {
    return this.#handle === null;
  }

  /** The x coordinate, read from Rust (`opaque_point_get`). @throws Error after `free()` */
  get x(): number {
    return opaque_point_get(this.#live('x')).x;
  }

  /** The y coordinate, read from Rust (`opaque_point_get`). @throws Error after `free()` */
  get y(): number {
    return opaque_point_get(this.#live('y')).y;
  }

  /**
   * Moves the point by (`byX`, `byY`) in Rust and returns it for chaining.
   *
   * @throws Error after `free()`
   * @throws TypeError if an offset is not a number
   * @throws RangeError if an offset is not finite as a `float`
   */
  translate(byX: number, byY: number): this {
    const handle = this.#live('translate');
    opaque_point_translate(handle, float32(byX, 'byX'), float32(byY, 'byY'));
    return this;
  }

  /**
   * Rust's `Display` of the point, e.g. `'OpaquePoint(1.5, -2)'`. The Rust
   * string is decoded and freed before this returns.
   *
   * @throws Error after `free()`
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

  /** `{ x, y }`, read from Rust. @throws Error after `free()` */
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
    if (this.#registered) {
      this.#registered = false;
      registry.unregister(this);
    }
    opaque_point_free(handle);
  }

  /** Frees the point at the end of a `using` block; same as `free()`. */
  [Symbol.dispose](): void {
    this.free();
  }
}
