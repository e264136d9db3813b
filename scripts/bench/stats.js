'use strict';
// The statistics behind every ratio and every target verdict of `make bench`.
//
// Every engine of a case is timed in the same interleaved rounds (C too, in
// the same process), so a ratio between two rows is computed per round: the
// time of row A in round r divided by the time of row B in round r. Noise
// that hits a whole round (another process taking the CPU) cancels out.
//
// The verdict rule: a target is met only if it holds in at least 3 rounds out
// of 4, i.e. the 75th percentile of the per-round ratio, taken on the
// unfavourable side, meets it. For a target "A ÷ B ≤ limit" that is the 75th
// percentile (the 25% worst rounds may miss it); for "A ÷ B ≥ limit" it is the
// 25th percentile. A target met by the median but not by that quantile is
// reported as not met: it holds only within noise.

/** The `p`-quantile (0 ≤ p ≤ 1) of `values`, linearly interpolated between order statistics (R-7, numpy's default). */
function quantile(values, p) {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError('quantile: no values');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/**
 * The per-round ratios `a.samples[r] / b.samples[r]`, or null when the two
 * rows were not timed in the same rounds (missing, skipped, or a different
 * number of samples).
 */
function pairedRatios(a, b) {
  if (!a || !b || !Array.isArray(a.samples) || !Array.isArray(b.samples)) return null;
  if (a.samples.length === 0 || a.samples.length !== b.samples.length) return null;
  return a.samples.map((x, i) => x / b.samples[i]);
}

/** Median and quartiles of per-round ratios (null in, null out). */
function ratioSummary(ratios) {
  if (ratios === null) return null;
  return {
    median: quantile(ratios, 0.5),
    p25: quantile(ratios, 0.25),
    p75: quantile(ratios, 0.75),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds: ratios.length,
  };
}

/**
 * The verdict on one target. `ratios` are per-round ratios, `limit` the
 * target, `direction` 'max' (the ratio must be at most `limit`) or 'min' (at
 * least). Returns `{ median, decisive, pass }` where `decisive` is the
 * quantile the rule judges (p75 for 'max', p25 for 'min'), or null when there
 * is nothing to judge.
 */
function judge(ratios, limit, direction) {
  if (direction !== 'max' && direction !== 'min') throw new TypeError(`judge: bad direction ${direction}`);
  if (ratios === null || ratios.length === 0) return null;
  const decisive = quantile(ratios, direction === 'max' ? 0.75 : 0.25);
  return {
    median: quantile(ratios, 0.5),
    decisive,
    pass: direction === 'max' ? decisive <= limit : decisive >= limit,
  };
}

/**
 * The crossover: the smallest length from which the library is at least as
 * fast as pure JS at every measured length above it, by the bench's rule
 * (`points[k].ratio` is the decisive quantile of library ÷ pure JS at that
 * length: it must be ≤ 1), interpolated on the log-log line between the two
 * points around it. `null` if the library does not win at the top of the
 * range; `{ length, below: true }` if it wins everywhere.
 */
function crossover(points) {
  const r = (p) => Math.log(p.ratio); // ≤ 0: library faster
  let k = points.length;
  while (k > 0 && r(points[k - 1]) <= 0) k--;
  if (k === points.length) return null;
  if (k === 0) return { length: points[0].length, below: true };
  const a = points[k - 1];
  const b = points[k];
  const t = r(a) / (r(a) - r(b));
  const length = Math.exp(Math.log(a.length) + t * (Math.log(b.length) - Math.log(a.length)));
  return { length: Math.round(length), below: false };
}

module.exports = { quantile, pairedRatios, ratioSummary, judge, crossover };
