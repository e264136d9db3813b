/**
 * Issue 11, class 6: memory left to the garbage collector stays bounded
 * inside a long synchronous loop. Results that Rust allocates are copied and
 * freed inside the call (no native memory is pinned past it), and an
 * OpaquePoint dropped without `free()` costs at most the documented
 * `OpaquePoint.GC_BYTES_PER_UNFREED` bytes of V8 heap until the job ends, also
 * when it is made inside user code that a native call runs (a predicate).
 * Each case runs in a child process; RSS is checked by count of calls.
 */
import { inChild } from './child';

describe('class 6: memory stays bounded in one synchronous loop', () => {
  it('3,000,000 primesUpTo(100) calls with Rust strings in between pin nothing past each call, RSS < 400 MiB', () => {
    const r = inChild(`
      const arrays = raw.u32_array_live_count();
      const strings = raw.rust_string_live_count();
      const long = 'x'.repeat(6000);
      let peak = process.memoryUsage.rss();
      let primes = 0, chars = 0, pinned = 0;
      for (let i = 0; i < 3_000_000; i++) {
        primes += api.primesUpTo(100).length;
        if (i % 100 === 0) chars += api.concatStrings(long, 'y').length;
        if (i % 100_000 === 0) {
          peak = Math.max(peak, process.memoryUsage.rss());
          pinned += raw.u32_array_live_count() - arrays + raw.rust_string_live_count() - strings;
        }
      }
      peak = Math.max(peak, process.memoryUsage.rss());
      done({ primes, chars, pinned, peakMiB: Math.round(peak / 2 ** 20) });
    `);
    const { primes, chars, pinned, peakMiB } = r as Record<string, number>;
    expect({ primes, chars, pinned }).toEqual({ primes: 25 * 3_000_000, chars: 30_000 * 6001, pinned: 0 });
    expect(peakMiB).toBeLessThan(400);
  });

  it('OpaquePoints dropped inside a countWhere predicate stay within the documented heap bound, then are freed', () => {
    const r = inChild(
      `
      const N = 300_000;
      const base = raw.opaque_point_live_count();
      (() => { for (let i = 0; i < 10_000; i++) new api.OpaquePoint(i, i).free(); })();
      gc(); gc();
      const heap = process.memoryUsage().heapUsed;
      const count = api.countWhere(new Uint32Array(N), (v) => { new api.OpaquePoint(v, 1).translate(1, 1); return true; });
      gc(); gc();
      const bytes = (process.memoryUsage().heapUsed - heap) / N;
      const unfreed = raw.opaque_point_live_count() - base;
      for (let i = 0; i < 2000 && raw.opaque_point_live_count() !== base; i++) { gc(); await new Promise((r) => setImmediate(r)); }
      done({ count, unfreed, bytes, bound: api.OpaquePoint.GC_BYTES_PER_UNFREED, left: raw.opaque_point_live_count() - base });
    `,
      { nodeArgs: ['--expose-gc'] },
    );
    const { count, unfreed, bytes, bound, left } = r as Record<string, number>;
    expect({ count, unfreed, left }).toEqual({ count: 300_000, unfreed: 300_000, left: 0 });
    expect(typeof bound).toBe('number');
    expect(bytes).toBeLessThanOrEqual(bound);
  });
});
