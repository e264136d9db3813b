/**
 * Callbacks: Rust calls a JS function.
 *
 * The JS predicate is wrapped in a trampoline that koffi passes to Rust as a
 * transient callback (valid for one call, released when it returns, so
 * nothing can leak). The trampoline answers Rust with the C protocol's
 * tri-state `int`: match, no match, or stop. A JS exception becomes "stop":
 * Rust makes no further calls and returns `CANCELLED`, and `countWhere` then
 * rethrows the very exception the predicate threw.
 */
import {
  COUNT_WHERE_MATCH,
  COUNT_WHERE_MAX_DEPTH,
  COUNT_WHERE_NO_MATCH,
  COUNT_WHERE_STOP,
  count_where,
} from './raw/callbacks';
import koffi from 'koffi';
import { BigUint64ArrayCtor, MathFloor, MathMax, MathMin, NumberCtor } from './primordials';
import { check, FfiStatus, syncError } from './status';
import {
  callable,
  copiedLength,
  invalidReturnValue,
  isRevokedProxy,
  nestingTooDeep,
  ScratchPool,
  uint32ArrayCopy,
} from './validate';

/**
 * The deepest that synchronous calls may nest through callbacks (a
 * `countWhere` predicate that calls `countWhere`, and so on): the call that
 * would be one level deeper throws a `RangeError` with code
 * `'ERR_FFI_NESTING_DEPTH'` before it reaches koffi.
 *
 * Why a cap: nested synchronous koffi calls all run on koffi's own native
 * stack (`sync_stack_size`, 2 MiB by default), not on the thread's stack,
 * and V8's stack limit watches only the thread's. Each level costs that
 * stack about 3,900 bytes (measured on Node 20.20, koffi 3.3.4, x64: the
 * process dies with SIGSEGV inside level 538, so 2 MiB / 537 = 3,905 bytes
 * per level, whatever the thread's JS stack), so on a thread
 * whose JS stack is large (a worker with `resourceLimits.stackSizeMb` 16,
 * the main thread with `--stack-size=7000`) the koffi stack runs out first
 * and kills the process. 256 levels use about 1 MiB: half of koffi's
 * default stack, leaving the rest for a predicate's own native calls and
 * for other builds of koffi and V8. (`koffi.config()` can raise the stack
 * only before any library is loaded in that koffi instance, which another
 * package may have done first: the cap is the defence that always holds.)
 *
 * The library keeps the count, per thread (`COUNT_WHERE_MAX_DEPTH` in the
 * C header, 256): every module instance of this package on a thread (a
 * cleared `require.cache`, jest's registries, other realms) and every other
 * binding of the same library file share it, so calls nested alternately
 * through any number of them stop at 256 levels too. Each module instance
 * also counts its own calls, which refuses most calls before they reach
 * koffi. Code that nests koffi calls of its own between these levels eats
 * into the margin. Two copies of the package at different paths load two
 * library files, each with its own count: two fit (511 levels, measured),
 * three do not.
 *
 * 256 with koffi's default stack; less if the application (or another
 * package) configured koffi with a smaller `sync_stack_size` before this
 * package loaded its library (after that, `koffi.config()` refuses any
 * change): one level per 8 KiB of it, so the same half stays free (32 levels
 * for 256 KiB, where 256 levels crashed with SIGSEGV at about level 65).
 */
export const MAX_CALLBACK_DEPTH = depthCap(koffi.config().sync_stack_size);

/** The nesting cap for a koffi synchronous stack of `bytes`: `COUNT_WHERE_MAX_DEPTH` at most, 1 at least. */
function depthCap(bytes: unknown): number {
  if (typeof bytes !== 'number' || !(bytes > 0)) return COUNT_WHERE_MAX_DEPTH;
  return MathMax(1, MathMin(COUNT_WHERE_MAX_DEPTH, MathFloor(bytes / 8192)));
}

/**
 * Reused by every call. Safe for re-entrant calls (a predicate that calls
 * countWhere): Rust writes it only when the call returns, and it is read
 * right after.
 */
const countOut = new BigUint64ArrayCtor(1);

/**
 * How many values of `numbers` satisfy `predicate`, counted by Rust, which
 * calls `predicate` once per value, in order, synchronously.
 *
 * The predicate's result is taken for its truthiness, as in
 * `Array.prototype.filter`, so `countWhere(a, p)` equals
 * `[...a].filter(p).length`. If the predicate throws, Rust stops at once
 * (the predicate is not called for the following values) and `countWhere`
 * throws the same exception value.
 *
 * `numbers` is copied first (a `Uint32Array` too; 1 to 2 ns per element,
 * about 1% of the predicate's own call): the predicate may change,
 * resize, detach or transfer it, or call `countWhere` again, and the count
 * is that of the values `numbers` held when the call began.
 *
 * Calls nested through predicates may go {@link MAX_CALLBACK_DEPTH} deep.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` if `numbers` is not a `Uint32Array` or an
 *   array of numbers, or `predicate` is not a function
 * @throws RangeError `ERR_OUT_OF_RANGE` for an array element that is not an integer in [0, 2^32 - 1]
 * @throws RangeError `ERR_FFI_NESTING_DEPTH` for a call nested more than
 *   {@link MAX_CALLBACK_DEPTH} deep (from a predicate or an element getter)
 * @throws TypeError `ERR_INVALID_RETURN_VALUE` if `predicate` returns a Promise or
 *   any other thenable (an object or function with a callable `then`), or a
 *   revoked Proxy; it is not called again
 * @throws whatever `predicate` throws
 * @example countWhere([1, 2, 3, 4, 5], (n) => n % 2 === 1) // 3
 */
export function countWhere(numbers: Uint32Array | readonly number[], predicate: (value: number) => boolean): number {
  // A private copy, always: Rust borrows it while the predicate runs, and the
  // predicate may write, resize, detach or transfer the caller's array (a
  // data race on a `&[u32]` is undefined behaviour in Rust; a detached
  // buffer is freed memory). Nobody else can reach the copy. It goes into a
  // module-private scratch copy for this nesting depth: a call made from a
  // predicate, or from an element getter while the copy is being made,
  // takes the next depth, so it never writes a copy an outer call is using.
  const slot = depth;
  if (slot >= MAX_CALLBACK_DEPTH) throw nestingTooDeep('countWhere', MAX_CALLBACK_DEPTH);
  depth = slot + 1;
  try {
    const array = uint32ArrayCopy(numbers, 'countWhere', 'numbers', scratch, slot);
    return countCopied(array, copiedLength(), predicate);
  } finally {
    depth = slot;
  }
}

/**
 * Private copies of countWhere's input, one per nesting depth, reused from
 * call to call (see `uint32ArrayCopy` in ./validate).
 */
const scratch = new ScratchPool();
/**
 * The calls of this module instance (so of this thread) now running: the
 * nesting depth, which {@link MAX_CALLBACK_DEPTH} caps. Restored to the
 * caller's own value on the way out (not decremented), so a throw anywhere,
 * a stack overflow included, cannot leave it off by one.
 */
let depth = 0;

function countCopied(array: Uint32Array, length: number, predicate: unknown): number {
  const test = callable<(value: number) => unknown>(predicate, 'countWhere', 'predicate');
  // One holder per call, so nested or re-entrant calls cannot mix up errors.
  let failed = false;
  let failure: unknown;
  const trampoline = (value: number): number => {
    try {
      const verdict = test(value);
      if (isThenable(verdict)) {
        throw invalidReturnValue(
          'countWhere',
          'predicate',
          'return a value, not a Promise or thenable (countWhere is synchronous and cannot await it; every Promise is truthy)',
        );
      }
      return verdict ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
    } catch (error) {
      failed = true;
      failure = error;
      return COUNT_WHERE_STOP;
    }
  };
  const status = count_where(array, length, trampoline, null, countOut, syncError);
  if (failed) {
    throw failure;
  }
  // The library's own cap: calls of other module instances (or other
  // bindings) on this thread make up the rest of the depth. No other
  // INVALID_ARGUMENT can come from this call: the copy's length is valid.
  if (status === FfiStatus.INVALID_ARGUMENT) throw nestingTooDeep('countWhere', MAX_CALLBACK_DEPTH);
  // CANCELLED without a JS exception cannot happen (only the trampoline
  // stops); if it ever did, it would surface as an FfiError here.
  check(status, 'countWhere');
  return NumberCtor(countOut[0]);
}

/**
 * Whether a predicate's result is a Promise or a thenable (an object or a
 * function whose `then` is callable). Reading `then` may run a getter: that
 * is user code, as the predicate was, and Rust only holds our private copy.
 * A revoked Proxy, which cannot be read, is refused with
 * `ERR_INVALID_RETURN_VALUE`.
 */
function isThenable(value: unknown): boolean {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false;
  if (isRevokedProxy(value)) {
    throw invalidReturnValue('countWhere', 'predicate', 'return a value, not a revoked Proxy');
  }
  return typeof (value as { then?: unknown }).then === 'function';
}
