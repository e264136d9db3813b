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
 */
/// <reference lib="esnext.disposable" preserve="true" />
import { decode } from 'koffi';
import {
  opaque_point_describe,
  opaque_point_free,
  opaque_point_get,
  opaque_point_new,
  opaque_point_translate,
} from './raw/opaque';
import { free_rust_string } from './raw/strings';
import { float32, freedError } from './validate';

/**
 * Frees the handles of OpaquePoints that were garbage-collected without
 * `free()`. The instance itself is the unregister token, so an explicit
 * `free()` removes the entry and nothing is ever freed twice.
 */
const registry = new FinalizationRegistry<bigint>(opaque_point_free);

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
 * point unless it was freed by then). Any method or getter called after
 * `free()` throws an `Error`.
 *
 * @example
 * {
 *   using p = new OpaquePoint(1, 2);
 *   p.translate(3, 4).describe(); // 'OpaquePoint(4, 6)'
 * } // freed here
 */
export class OpaquePoint {
  #handle: bigint | null;
  /** Whether the FinalizationRegistry knows this point (then `free()` must unregister it). */
  #registered = false;

  /**
   * Creates a point in Rust at (`x`, `y`) (`opaque_point_new`).
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` if a coordinate is not a number
   * @throws RangeError `ERR_OUT_OF_RANGE` if a coordinate is not finite as a `float`
   */
  constructor(x: number, y: number) {
    const handle = opaque_point_new(float32(x, 'OpaquePoint', 'x'), float32(y, 'OpaquePoint', 'y'));
    if (handle === null) {
      throw new Error('OpaquePoint: opaque_point_new returned NULL (an internal panic in Rust)');
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
        registry.register(point, handle, point);
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
