'use strict';
// Charts: a vega-lite spec compiled to vega and rendered headless to SVG
// (`view.toSVG()` needs no browser and no canvas). vega and vega-lite are
// ES modules, hence the dynamic imports.

/**
 * The crossover: the smallest length from which the library is at least as
 * fast as pure JS at every measured length above it, interpolated on the
 * log-log lines between the two points around it. `null` if the library
 * never wins at the top of the range; `{ length, below: true }` if it wins
 * everywhere.
 */
function crossover(points) {
  const ratio = (p) => Math.log(p.lib.median / p.js.median); // < 0: library faster
  let k = points.length;
  while (k > 0 && ratio(points[k - 1]) <= 0) k--;
  if (k === points.length) return null;
  if (k === 0) return { length: points[0].length, below: true };
  const a = points[k - 1];
  const b = points[k];
  const ra = ratio(a);
  const rb = ratio(b);
  const t = ra / (ra - rb);
  const length = Math.exp(Math.log(a.length) + t * (Math.log(b.length) - Math.log(a.length)));
  return { length: Math.round(length), below: false };
}

/** The vega-lite spec of a sweep chart. `c` is the C bench's `{ length: ns per call }`, if any. */
function sweepSpec(sweep, title, unit, c) {
  const rows = [];
  for (const p of sweep.points) {
    rows.push({ engine: 'library (public API)', length: p.length, ns: p.lib.median / p.length });
    rows.push({ engine: 'pure JS loop', length: p.length, ns: p.js.median / p.length });
    if (c && c[p.length] !== undefined) rows.push({ engine: 'C direct', length: p.length, ns: c[p.length] / p.length });
  }
  const cross = crossover(sweep.points);
  const layers = [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'length',
          type: 'quantitative',
          scale: { type: 'log' },
          axis: { title: `input length (${unit}s)`, format: '~s' },
        },
        y: {
          field: 'ns',
          type: 'quantitative',
          scale: { type: 'log' },
          axis: { title: `ns per ${unit} (median)` },
        },
        color: { field: 'engine', type: 'nominal', legend: { title: null, orient: 'top-right', labelLimit: 400 } },
      },
    },
  ];
  if (cross && !cross.below) {
    const label = `crossover ≈ ${cross.length.toLocaleString('en-US')} ${unit}s`;
    layers.push(
      {
        data: { values: [{ length: cross.length, label }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: { x: { field: 'length', type: 'quantitative' } },
      },
      {
        data: { values: [{ length: cross.length, label }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', color: '#333' },
        encoding: {
          x: { field: 'length', type: 'quantitative' },
          y: { value: 12 },
          text: { field: 'label' },
        },
      },
    );
  }
  const subtitle = cross
    ? cross.below
      ? 'the library is faster at every length measured'
      : `the library is faster from about ${cross.length.toLocaleString('en-US')} ${unit}s on`
    : 'the pure-JS loop is faster at every length measured';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    width: 560,
    height: 340,
    background: 'white',
    data: { values: rows },
    layer: layers,
  };
}

/** Renders a vega-lite spec to an SVG string. */
async function renderSvg(vlSpec) {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const { spec } = vl.compile(vlSpec);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

module.exports = { crossover, sweepSpec, renderSvg };
