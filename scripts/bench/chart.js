'use strict';
// Charts: a vega-lite spec compiled to vega and rendered headless to SVG
// (`view.toSVG()` needs no browser and no canvas). vega and vega-lite are
// ES modules, hence the dynamic imports.

const logAxis = (field, title, format) => ({
  field,
  type: 'quantitative',
  scale: { type: 'log' },
  axis: { title, ...(format ? { format } : {}) },
});

/**
 * The vega-lite spec of a sweep chart. `lines` are `{ engine, length, ns }`
 * rows (ns per element); `cross` the crossover, if any.
 */
function sweepSpec({ title, unit, lines, cross }) {
  const layers = [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: logAxis('length', `input length (${unit}s)`, '~s'),
        y: logAxis('ns', `ns per ${unit} (median)`),
        color: { field: 'engine', type: 'nominal', legend: { title: null, orient: 'top-right', labelLimit: 400 } },
      },
    },
  ];
  if (cross && !cross.below) {
    const label = `crossover ≈ ${cross.length.toLocaleString('en-US')} ${unit}s`;
    const at = { data: { values: [{ length: cross.length, label }] } };
    layers.push(
      {
        ...at,
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: { x: { field: 'length', type: 'quantitative' } },
      },
      {
        ...at,
        mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', color: '#333' },
        encoding: { x: { field: 'length', type: 'quantitative' }, y: { value: 12 }, text: { field: 'label' } },
      },
    );
  }
  const subtitle = cross
    ? cross.below
      ? 'the library is faster at every length measured'
      : `the library is faster from about ${cross.length.toLocaleString('en-US')} ${unit}s on (75% of rounds)`
    : 'the fastest pure-JS version is faster at the longest lengths measured';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    width: 560,
    height: 340,
    background: 'white',
    data: { values: lines },
    layer: layers,
  };
}

/** The async chart: µs per call against calls in flight; `rows` are `{ fn, engine, inFlight, us }`. */
function asyncSpec(rows) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Async: time per call against calls in flight',
      subtitle: 'keep-N-in-flight lanes; lower is better; raw koffi .async stops at its max_async_calls (256)',
    },
    background: 'white',
    data: { values: rows },
    facet: { column: { field: 'fn', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 300,
      height: 260,
      mark: { type: 'line', point: true },
      encoding: {
        x: logAxis('inFlight', 'calls in flight'),
        y: logAxis('us', 'µs per call (median)'),
        color: { field: 'engine', type: 'nominal', legend: { title: null, orient: 'bottom', labelLimit: 400 } },
      },
    },
    resolve: { scale: { y: 'independent' } },
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

module.exports = { sweepSpec, asyncSpec, renderSvg };
