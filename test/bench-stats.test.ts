/**
 * The ratio and verdict rule of `make bench` (scripts/bench/stats.js): the
 * logic that decides whether a published target is met. Speed itself is never
 * asserted in a test.
 */
import { crossover, judge, pairedRatios, quantile, ratioSummary } from '../scripts/bench/stats';

describe('quantile (R-7, linear between order statistics)', () => {
  test('matches hand-computed values', () => {
    const xs = [4, 1, 3, 2, 5]; // sorted: 1 2 3 4 5
    expect(quantile(xs, 0)).toBe(1);
    expect(quantile(xs, 0.25)).toBe(2);
    expect(quantile(xs, 0.5)).toBe(3);
    expect(quantile(xs, 0.75)).toBe(4);
    expect(quantile(xs, 1)).toBe(5);
    // Between order statistics: (4 - 1) * 0.75 = 2.25 → 3 + 0.25 * (4 - 3).
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    expect(quantile([7], 0.75)).toBe(7);
  });

  test('does not reorder its input', () => {
    const xs = [3, 1, 2];
    quantile(xs, 0.5);
    expect(xs).toEqual([3, 1, 2]);
  });

  test('refuses an empty list and a p outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], NaN)).toThrow(RangeError);
  });
});

describe('pairedRatios', () => {
  test('divides round by round', () => {
    expect(pairedRatios({ samples: [10, 20, 30] }, { samples: [5, 10, 60] })).toEqual([2, 2, 0.5]);
  });

  test('is null when the rows were not timed in the same rounds', () => {
    expect(pairedRatios({ samples: [1, 2] }, { samples: [1, 2, 3] })).toBeNull();
    expect(pairedRatios({ samples: [1] }, null)).toBeNull();
    expect(pairedRatios(undefined, { samples: [1] })).toBeNull();
    expect(pairedRatios({ samples: [] }, { samples: [] })).toBeNull();
  });

  test('pairs per round: a ratio of medians would differ', () => {
    // Round noise hits both rows: the per-round ratio is 2 every time, the
    // ratio of the medians is 30 / 10 = 3.
    const a = { samples: [2, 30, 60] };
    const b = { samples: [1, 15, 30] };
    expect(ratioSummary(pairedRatios(a, b))?.median).toBe(2);
  });
});

describe('judge: met only if it holds in 3 rounds out of 4', () => {
  // Per-round ratios 0.9, 1.0, 1.05, 1.2, 1.3: median 1.05, p25 1.0, p75 1.2.
  const ratios = [1.2, 0.9, 1.3, 1.0, 1.05];

  test("an 'at most' target is judged on the 75th percentile", () => {
    expect(judge(ratios, 1.1, 'max')).toEqual({ median: 1.05, decisive: 1.2, pass: false }); // the median alone would pass
    expect(judge(ratios, 1.2, 'max')?.pass).toBe(true);
  });

  test("an 'at least' target is judged on the 25th percentile", () => {
    expect(judge(ratios, 1.05, 'min')).toEqual({ median: 1.05, decisive: 1.0, pass: false }); // the median alone would pass
    expect(judge(ratios, 1.0, 'min')?.pass).toBe(true);
  });

  test('nothing to judge gives null; a bad direction throws', () => {
    expect(judge(null, 1, 'max')).toBeNull();
    expect(judge([], 1, 'min')).toBeNull();
    expect(() => judge(ratios, 1, 'sideways' as 'max')).toThrow(TypeError);
  });
});

test('ratioSummary gives the quartiles and the number of rounds', () => {
  expect(ratioSummary([3, 1, 2, 5, 4])).toEqual({ median: 3, p25: 2, p75: 4, min: 1, max: 5, rounds: 5 });
  expect(ratioSummary(null)).toBeNull();
});

describe('crossover: where the library starts winning for good', () => {
  // `ratio` is the decisive (p75) library ÷ pure-JS ratio at each length.
  test('interpolates on the log-log line between the last loss and the first win', () => {
    const c = crossover([
      { length: 10, ratio: 4 },
      { length: 100, ratio: 2 },
      { length: 1000, ratio: 0.5 },
      { length: 10000, ratio: 0.25 },
    ]);
    // log 2 → log 0.5 crosses 0 halfway between 100 and 1000 on a log axis: √(100 × 1000).
    expect(c).toEqual({ length: Math.round(Math.sqrt(100 * 1000)), below: false });
  });

  test('a loss at a longer length moves the crossover past it', () => {
    const c = crossover([
      { length: 10, ratio: 0.5 },
      { length: 100, ratio: 2 },
      { length: 1000, ratio: 0.5 },
    ]);
    expect(c?.length).toBeGreaterThan(100);
    expect(c?.length).toBeLessThan(1000);
  });

  test('none when the library loses at the longest length; below when it wins everywhere', () => {
    expect(
      crossover([
        { length: 10, ratio: 0.5 },
        { length: 100, ratio: 1.01 },
      ]),
    ).toBeNull();
    expect(
      crossover([
        { length: 1, ratio: 0.9 },
        { length: 10, ratio: 1 },
      ]),
    ).toEqual({ length: 1, below: true });
  });
});
