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
import { decode } from 'koffi';
import {
  opaque_point_describe,
  opaque_point_free,
  opaque_point_get,
  opaque_point_new,
  opaque_point_translate,
} from './raw/opaque';
import { free_rust_string } from './raw/strings';
import { float32 } from './validate';

/**
 * Frees the handles of OpaquePoints that were garbage-collected without
 * `free()`. The instance itself is the unregister token, so an explicit
 * `free()` removes the entry and nothing is ever freed twice.
 */
const registry = new FinalizationRegistry<bigint>(opaque_point_free);

/**
 * A point that lives in Rust memory; JavaScript holds only a private handle.
 *
 * Free it with `free()` (idempotent) or a `using` declaration; if it is
 * simply dropped, the garbage collector frees it eventually. Any method or
 * getter called after `free()` throws an `Error`.
 *
 * @example
 * {
 *   using p = new OpaquePoint(1, 2);
 *   p.translate(3, 4).describe(); // 'OpaquePoint(4, 6)'
 * } // freed here
 */
export class OpaquePoint {
  #handle: bigint | null;

  /**
   * Creates a point in Rust at (`x`, `y`) (`opaque_point_new`).
   *
   * @throws TypeError if a coordinate is not a number
   * @throws RangeError if a coordinate is not finite as a `float`
   */
  constructor(x: number, y: number) {
    const handle = opaque_point_new(float32(x, 'x'), float32(y, 'y'));
    if (handle === null) {
      throw new Error('OpaquePoint: opaque_point_new returned NULL (an internal panic in Rust)');
    }
    this.#handle = handle;
    registry.register(this, handle, this);
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
    registry.unregister(this);
    opaque_point_free(handle);
  }

  /** Frees the point at the end of a `using` block; same as `free()`. */
  [Symbol.dispose](): void {
    this.free();
  }
}
