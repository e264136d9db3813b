'use strict';
// Turns the measurements into the printed table, docs/bench.md, the README
// block and the target verdicts (issues 7, 14 and 15).
//
// Every ratio is per round (scripts/bench/stats.js): rows of a case, the C
// row included, were timed in the same rounds. Ratio columns show the median
// of the per-round ratios; a target's verdict uses the rule in stats.js (the
// 75th percentile on the unfavourable side).

const { pairedRatios, quantile, judge } = require('./stats');
const { STYLE_NAMES } = require('./cases');

const ENGINE_LABELS = {
  public: 'public API',
  raw: 'raw koffi',
  napi: 'Node-API addon (floor: minimal checks)',
  napiSame: 'Node-API addon, same algorithm (floor: minimal checks)',
  c: 'C direct',
};

/** "No slower" / "no worse" targets allow this much: the A/A control rows show how far identical code lands. */
const SAME_TOLERANCE = 1.05;

const fmt = (ns) => {
  if (ns === undefined || ns === null || Number.isNaN(ns)) return '–';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 100) return ns.toFixed(0);
  return ns.toFixed(1);
};
const fmtRatio = (r) => (r === null || r === undefined ? '–' : r >= 100 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
const timing = (s) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`;
const ok = (t) => t && !t.skipped && Array.isArray(t.samples);
const medianRatio = (a, b) => {
  const r = ok(a) && ok(b) ? pairedRatios(a, b) : null;
  return r === null ? null : quantile(r, 0.5);
};

/** The fastest pure-JS candidate of a case (or sweep point): `{ name, t }` or null. */
function fastest(candidates) {
  let best = null;
  for (const [name, t] of Object.entries(candidates ?? {})) {
    if (ok(t) && (best === null || t.median < best.t.median)) best = { name, t };
  }
  return best;
}

const jsOfPoint = (p) =>
  fastest(
    Object.fromEntries(
      Object.entries(p.engines)
        .filter(([k]) => k.startsWith('js:'))
        .map(([k, t]) => [k.slice(3), t]),
    ),
  );

/** The rows of one case: engines in order, the fastest pure JS, then the variants. */
function caseRows(c) {
  const out = [];
  for (const key of ['public', 'raw', 'napi', 'napiSame', 'c']) {
    const t = c.engines[key];
    if (ok(t)) out.push({ key, label: c.labels?.[key] ?? ENGINE_LABELS[key], t });
  }
  const js = fastest(c.js);
  if (js) out.push({ key: 'js', label: `pure JS, fastest: ${js.name}`, t: js.t });
  for (const [name, t] of Object.entries(c.variants ?? {}))
    if (ok(t)) out.push({ key: 'variant', label: `variant: ${name}`, t });
  return out;
}

const CALL_HEADER = ['function', 'engine', 'ns/call median [min–max]', '÷ raw koffi', '÷ Node-API', '÷ C', '÷ pure JS'];

function callBody(results, { variants = true } = {}) {
  const body = [];
  for (const c of results.calls) {
    const js = fastest(c.js)?.t;
    for (const r of caseRows(c)) {
      if (!variants && r.key === 'variant') continue;
      body.push([
        c.name,
        r.label,
        timing(r.t),
        fmtRatio(medianRatio(r.t, c.engines.raw)),
        fmtRatio(medianRatio(r.t, c.engines.napi)),
        fmtRatio(medianRatio(r.t, c.engines.c)),
        fmtRatio(medianRatio(r.t, js)),
      ]);
    }
  }
  return body;
}

/** Every pure-JS candidate of every case, with its time and its ratio to the fastest. */
function baselineBody(results) {
  const body = [];
  for (const c of results.calls) {
    const best = fastest(c.js);
    if (!best) continue;
    const entries = Object.entries(c.js).filter(([, t]) => ok(t));
    entries.sort((a, b) => a[1].median - b[1].median);
    for (const [name, t] of entries) {
      body.push([c.name, name, timing(t), fmtRatio(medianRatio(t, best.t)), name === best.name ? 'baseline' : '']);
    }
  }
  return body;
}
const BASELINE_HEADER = ['function', 'pure-JS version', 'ns/call median [min–max]', '÷ fastest', 'kept'];

// ---- targets ----

/** Every target this build can measure: `{ source, target, median, decisive, rule, pass }`. */
function targets(results) {
  const find = (name) => results.calls.find((c) => c.name === name);
  const eng = (name, engine) => find(name)?.engines[engine];
  const variant = (name, v) => find(name)?.variants?.[v];
  const js = (name) => fastest(find(name)?.js)?.t;
  const asyncT = (name, engine, k) => results.async?.cases?.find((c) => c.name === name)?.engines[engine]?.results?.[k];
  const out = [];
  const check = (source, target, a, b, limit, direction) => {
    const ratios = ok(a) && ok(b) ? pairedRatios(a, b) : null;
    const v = judge(ratios, limit, direction);
    if (v === null) {
      out.push({ source, target, median: null, decisive: null, rule: direction === 'max' ? 'p75' : 'p25', pass: null });
      return;
    }
    out.push({ source, target, ...v, rule: direction === 'max' ? 'p75' : 'p25' });
  };
  check('7', 'addInRust: public ÷ raw koffi ≤ 1.3', eng('addInRust', 'public'), eng('addInRust', 'raw'), 1.3, 'max');
  check(
    '7, 14',
    'concatStrings: public ÷ Node-API same algorithm ≤ 1.0',
    eng('concatStrings', 'public'),
    eng('concatStrings', 'napiSame'),
    1.0,
    'max',
  );
  check(
    '7',
    'concatStrings: disposable path (raw koffi) ÷ public ≥ 2',
    eng('concatStrings', 'raw'),
    eng('concatStrings', 'public'),
    2,
    'min',
  );
  check(
    '7',
    'Point.translate: public ÷ addInRust public ≤ 2',
    eng('Point.translate', 'public'),
    eng('addInRust', 'public'),
    2,
    'max',
  );
  check(
    '7',
    'Point.translate: koffi object marshalling ÷ public ≥ 10',
    variant('Point.translate', 'raw, koffi object marshalling (_Inout_ Point *)'),
    eng('Point.translate', 'public'),
    10,
    'min',
  );
  check(
    '7',
    'new OpaquePoint + free(): public ÷ raw koffi ≤ 1.3',
    eng('OpaquePoint new+free', 'public'),
    eng('OpaquePoint new+free', 'raw'),
    1.3,
    'max',
  );
  check(
    '7, 14',
    'sumOfEven(10M): public ÷ C ≤ 1.1',
    eng('sumOfEven(10M)', 'public'),
    eng('sumOfEven(10M)', 'c'),
    1.1,
    'max',
  );
  check(
    '7, 15',
    'sumOfEven(10M): fastest pure JS ÷ public ≥ 3',
    js('sumOfEven(10M)'),
    eng('sumOfEven(10M)', 'public'),
    3,
    'min',
  );
  const sweep = results.sweeps.find((s) => s.name === 'sumOfEven' && s.points);
  if (sweep) {
    const cross = sweep.crossover;
    out.push({
      source: '7, 15',
      target: 'sumOfEven crossover against the fastest pure JS ≤ 1,000 elements',
      median: null,
      decisive: cross ? (cross.below ? `< ${cross.length}` : cross.length.toLocaleString('en-US')) : 'none',
      rule: 'p75 at every longer length',
      pass: cross !== null && cross.length <= 1000,
    });
  }
  check(
    '7, 15',
    'primesUpTo(10M): fastest pure JS ÷ public ≥ 2',
    js('primesUpTo(10M)'),
    eng('primesUpTo(10M)', 'public'),
    2,
    'min',
  );
  check(
    '14',
    'countCharacters, mixed text, 1M: fastest pure JS ÷ public ≥ 2',
    js('countCharacters(mixed 1M)'),
    eng('countCharacters(mixed 1M)', 'public'),
    2,
    'min',
  );
  check(
    '14',
    'countCharacters, mixed text, 1k: fastest pure JS ÷ public ≥ 1',
    js('countCharacters(mixed 1k)'),
    eng('countCharacters(mixed 1k)', 'public'),
    1,
    'min',
  );
  const utf8Path = 'UTF-8 path (the public API before issue 14: checks + koffi converts to UTF-8)';
  for (const len of ['1k', '10k', '1M']) {
    check(
      '14',
      `countCharacters, ASCII, ${len}: public ÷ the pre-issue-14 UTF-8 path ≤ ${SAME_TOLERANCE} (no slower)`,
      eng(`countCharacters(ASCII ${len})`, 'public'),
      variant(`countCharacters(ASCII ${len})`, utf8Path),
      SAME_TOLERANCE,
      'max',
    );
  }
  // Issue 21: calling through a namespace costs what a destructured call costs.
  for (const c of results.calls) {
    for (const [engine, styles] of Object.entries(STYLE_NAMES)) {
      for (const [style, name] of Object.entries(styles)) {
        if (c.variants?.[name] === undefined) continue;
        const who = engine === 'public' ? 'public' : 'raw koffi';
        const via = style === 'cjs' ? 'CommonJS exports' : 'ES-module namespace';
        check(
          '21',
          `${c.name}: ${who} through the ${via} ÷ destructured ≤ ${SAME_TOLERANCE} (no slower)`,
          c.variants[name],
          eng(c.name, engine),
          SAME_TOLERANCE,
          'max',
        );
      }
    }
  }
  for (const fn of ['sumOfEvenAsync(1000 elements)', 'primesUpToAsync(10000)']) {
    const short = fn.replace(/\(.*/, '');
    check(
      '14',
      `${short}: public at 64 in flight ÷ raw koffi .async at 8 ≤ 0.5`,
      asyncT(fn, 'public', 64),
      asyncT(fn, 'raw', 8),
      0.5,
      'max',
    );
    check(
      '14',
      `${short}: public at 1000 in flight ÷ public at 64 ≤ ${SAME_TOLERANCE} (no worse)`,
      asyncT(fn, 'public', 1000),
      asyncT(fn, 'public', 64),
      SAME_TOLERANCE,
      'max',
    );
  }
  return out;
}

const TARGET_HEADER = ['issue', 'target', 'median ratio', 'judged on', 'met'];
const targetBody = (results) =>
  results.targets.map((x) => [
    x.source,
    x.target,
    typeof x.median === 'number' ? fmtRatio(x.median) : '–',
    typeof x.decisive === 'number' ? `${x.rule} ${fmtRatio(x.decisive)}` : `${x.decisive ?? 'not measured'}`,
    x.pass === null ? 'not measured' : x.pass ? 'yes' : '**NO**',
  ]);

/** A/A controls: the same code timed twice; how far apart identical code lands (p25–p75 of the per-round ratio). */
function controls(results) {
  const out = [];
  for (const c of results.calls) {
    for (const [name, t] of Object.entries(c.variants ?? {})) {
      if (!name.includes('A/A control') || !ok(t)) continue;
      const twin =
        c.name === 'addInRust'
          ? c.engines.raw
          : c.variants['UTF-8 path (the public API before issue 14: checks + koffi converts to UTF-8)'];
      const r = ok(twin) ? pairedRatios(t, twin) : null;
      if (r) out.push({ name: c.name, p25: quantile(r, 0.25), median: quantile(r, 0.5), p75: quantile(r, 0.75) });
    }
  }
  return out;
}

// ---- sweeps ----

function sweepLines(s) {
  const lines = [];
  for (const p of s.points) {
    const js = jsOfPoint(p);
    lines.push({ engine: 'library (public API)', length: p.length, ns: p.engines.lib.median / p.length });
    if (js)
      lines.push({ engine: 'pure JS (fastest version at each length)', length: p.length, ns: js.t.median / p.length });
    if (ok(p.engines.c)) lines.push({ engine: 'C direct', length: p.length, ns: p.engines.c.median / p.length });
  }
  return lines;
}

/** Per point: the decisive (p75) ratio library ÷ fastest JS, for the crossover. */
function sweepRatios(s) {
  return s.points.map((p) => {
    const js = jsOfPoint(p);
    const r = js ? pairedRatios(p.engines.lib, js.t) : null;
    return { length: p.length, ratio: r ? quantile(r, 0.75) : Infinity, median: r ? quantile(r, 0.5) : null };
  });
}

const SWEEP_HEADER = [
  'length',
  'library ns/elem',
  'fastest pure JS ns/elem',
  'C ns/elem',
  'pure JS ÷ library (median)',
  'fastest pure JS',
];
function sweepBody(s) {
  return s.points.map((p) => {
    const js = jsOfPoint(p);
    return [
      p.length.toLocaleString('en-US'),
      fmt(p.engines.lib.median / p.length),
      js ? fmt(js.t.median / p.length) : '–',
      ok(p.engines.c) ? fmt(p.engines.c.median / p.length) : '–',
      fmtRatio(js ? medianRatio(js.t, p.engines.lib) : null),
      js ? js.name : '–',
    ];
  });
}

function crossoverLine(s) {
  const c = s.crossover;
  if (c === null)
    return `crossover: none; the fastest pure JS is faster at ${s.points.at(-1).length.toLocaleString('en-US')} ${s.unit}s`;
  if (c.below) return `crossover: below ${c.length}; the library is faster at every length measured (in 75% of rounds)`;
  return `crossover: the library is faster than the fastest pure JS from about ${c.length.toLocaleString('en-US')} ${s.unit}s on (in 75% of rounds at every longer length)`;
}

// ---- async ----

const ASYNC_LABELS = {
  public: 'public API',
  publicTransfer: 'public API, { transfer: true }',
  raw: 'raw koffi .async',
  napi: 'Node-API async work (floor: minimal checks)',
};

function asyncRows(results) {
  const rows = [];
  // The chart shows the calls-in-flight cases (not the 1M-element copy/transfer one).
  for (const c of results.async?.cases ?? []) {
    if (c.name.includes('1M')) continue;
    for (const [engine, e] of Object.entries(c.engines)) {
      if (!e.results) continue;
      for (const [k, r] of Object.entries(e.results)) {
        if (ok(r))
          rows.push({ fn: c.name, engine: ASYNC_LABELS[engine] ?? engine, inFlight: Number(k), us: r.median / 1e3 });
      }
    }
  }
  return rows;
}

function asyncBody(results) {
  const body = [];
  const a = results.async;
  for (const c of a?.cases ?? []) {
    const ref = c.engines.raw?.results?.[8];
    for (const [engine, e] of Object.entries(c.engines)) {
      if (!e.results) continue;
      body.push([
        c.name,
        ASYNC_LABELS[engine] ?? engine,
        ...a.inFlight.map((k) => {
          const r = e.results[k];
          if (r === undefined) return '';
          if (!ok(r)) return '–';
          const vs = medianRatio(r, ref);
          return `${fmt(r.median)}${vs !== null && !(engine === 'raw' && k === 8) ? ` (${fmtRatio(vs)})` : ''}`;
        }),
      ]);
    }
  }
  return body;
}
const asyncHeader = (results) => ['call', 'engine', ...results.async.inFlight.map((k) => `${k} in flight`)];

// ---- output ----

function skippedLines(results) {
  const lines = [];
  for (const c of results.calls) {
    for (const [engine, e] of Object.entries(c.engines)) {
      if (e.skipped) lines.push(`${c.name} / ${c.labels?.[engine] ?? ENGINE_LABELS[engine] ?? engine}: ${e.skipped}`);
    }
    for (const [name, e] of Object.entries({ ...c.js, ...c.variants }))
      if (e.skipped) lines.push(`${c.name} / ${name}: ${e.skipped}`);
  }
  for (const s of results.sweeps) if (s.skipped) lines.push(`sweep ${s.name}: ${s.skipped}`);
  for (const c of results.async?.cases ?? []) {
    for (const [engine, e] of Object.entries(c.engines)) {
      if (e.skipped) lines.push(`async ${c.name} / ${ASYNC_LABELS[engine] ?? engine}: ${e.skipped}`);
      for (const [k, r] of Object.entries(e.results ?? {})) {
        if (r.skipped)
          lines.push(`async ${c.name} / ${ASYNC_LABELS[engine] ?? engine} at ${k} in flight: ${r.skipped}`);
      }
    }
  }
  if (results.meta.napi !== 'built') lines.push(`Node-API addon: ${results.meta.napi}`);
  if (results.meta.c !== 'ran') lines.push(`C loops: ${results.meta.c}`);
  return lines;
}

function textTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function mdTable(header, body) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The console report. */
function text(results) {
  const parts = [textTable(CALL_HEADER, callBody(results))];
  for (const s of results.sweeps) {
    if (!s.points) continue;
    parts.push(`\n${s.name} sweep (per ${s.unit}):\n` + textTable(SWEEP_HEADER, sweepBody(s)), crossoverLine(s));
  }
  if (results.async)
    parts.push(
      '\nasync, ns per call (÷ raw koffi .async at 8 in flight):\n' +
        textTable(asyncHeader(results), asyncBody(results)),
    );
  parts.push('\ntargets:\n' + textTable(TARGET_HEADER, targetBody(results)).replace(/\*\*/g, ''));
  for (const c of controls(results)) {
    parts.push(
      `A/A control ${c.name}: per-round ratio p25 ${fmtRatio(c.p25)}, median ${fmtRatio(c.median)}, p75 ${fmtRatio(c.p75)}`,
    );
  }
  const skipped = skippedLines(results);
  if (skipped.length) parts.push('\nnot measured:\n  ' + skipped.join('\n  '));
  return parts.join('\n');
}

/** How to read the figures; `bench` is the path of docs/bench.md from where the text goes. */
const ruleText = (bench) => [
  '**How to read the figures.** Every row of the call table (C included: a C loop in',
  '`build/libffi_bench_c.so`, called once per round through koffi) was timed in the same process and the same',
  'interleaved rounds, so every ratio is a median of per-round ratios. **A target is met only if it holds in at',
  'least 3 rounds out of 4**: for "≤ limit" the 75th percentile of the per-round ratio must be at most the limit,',
  'for "≥ limit" the 25th percentile must be at least the limit (`scripts/bench/stats.js`, unit-tested in',
  '`test/bench-stats.test.ts`). A target met by the median but not by that quantile is **not** met: it holds only',
  `within noise. "No slower" / "no worse" targets are read as ≤ ${SAME_TOLERANCE}×; the A/A control rows (the same code`,
  'timed twice, listed under the targets) show how far apart identical code lands in the same run.',
  '',
  '**What the rows are.** The pure-JS row is the fastest of several straightforward versions (all listed under',
  `[Pure-JS baselines tried](${bench}#pure-js-baselines-tried)). The Node-API addon (\`bench/napi/addon.c\`) is a **floor with`,
  "minimal checks**, not a like-for-like API: it does none of the public API's validation; where the public API uses",
  "another algorithm than the addon's obvious one (concatStrings writes UTF-16 into a reused buffer with",
  '`concat_strings_utf16_into`; countCharacters counts UTF-16 with `count_characters_utf16`), the addon also runs',
  'the same algorithm as a second row.',
];

/** The rows behind the two targets issue 14 found missed, with what bounds them (from this run). */
function investigations(results) {
  const out = [];
  const soe = results.calls.find((c) => c.name === 'sumOfEven(10M)');
  const floor = soe && Object.entries(soe.variants ?? {}).find(([k]) => k.includes('XOR'))?.[1];
  if (soe && ok(floor)) {
    const bytes = 4e7;
    const rows = caseRows(soe).filter((r) => r.key !== 'js');
    out.push(
      '### sumOfEven(10M) against C and against the memory bus',
      '',
      'Every row reads the same 40 MB array once per call. The XOR row reads it with as little work as possible: its',
      'time is what this machine needs to stream 40 MB from memory, a floor for any sum over it.',
      '',
      mdTable(
        ['row', 'ms/call median', 'GB/s', '÷ C (median, p75)', '÷ the XOR read (median, p75)'],
        rows.map((r) => {
          const toC = ok(soe.engines.c) ? pairedRatios(r.t, soe.engines.c) : null;
          const toFloor = pairedRatios(r.t, floor);
          const q = (x) => (x ? `${fmtRatio(quantile(x, 0.5))}, ${fmtRatio(quantile(x, 0.75))}` : '–');
          return [r.label, (r.t.median / 1e6).toFixed(3), (bytes / r.t.median).toFixed(1), q(toC), q(toFloor)];
        }),
      ),
      '',
    );
  }
  const cat = results.calls.find((c) => c.name === 'concatStrings');
  if (cat && ok(cat.engines.napiSame)) {
    const rows = caseRows(cat).filter((r) => r.key !== 'js');
    out.push(
      '### concatStrings against the Node-API addon doing the same algorithm',
      '',
      'The public call split into its parts (`parts:` rows), next to the addon doing the same work.',
      '',
      mdTable(
        ['row', 'ns/call median', '÷ Node-API same algorithm (median, p75)'],
        rows.map((r) => {
          const x = pairedRatios(r.t, cat.engines.napiSame);
          return [r.label, fmt(r.t.median), x ? `${fmtRatio(quantile(x, 0.5))}, ${fmtRatio(quantile(x, 0.75))}` : '–'];
        }),
      ),
      '',
    );
  }
  return out;
}

/** docs/bench.md */
function markdown(results, charts) {
  const m = results.meta;
  const out = [
    '# Benchmark',
    '',
    `Generated by \`make bench\` (\`scripts/bench.js\`) on ${m.date}${m.quick ? ' in **quick mode** (short batches: for checking, not for figures)' : ''}:`,
    `${m.cpu} (${m.cpus} CPUs), Node ${m.node}, koffi ${m.koffi}; load average at start ${m.loadavg}, at the end ${m.loadavgEnd ?? '–'}.`,
    `${m.rounds} rounds per row in the call table, ${m.sweepRounds ?? '–'} per sweep point, ${results.async?.rounds ?? '–'} in the async bench. Investigations`,
    'behind the figures (perf counters, memory bandwidth, the async harness): [bench-findings.md](bench-findings.md).',
    '',
    ...ruleText(''),
    '',
    '## Targets',
    '',
    mdTable(TARGET_HEADER, targetBody(results)),
    '',
    ...controls(results).map(
      (c) =>
        `A/A control, ${c.name}: the same code timed twice lands at p25 ${fmtRatio(c.p25)}, median ${fmtRatio(c.median)}, p75 ${fmtRatio(c.p75)} of itself.`,
    ),
    '',
    '## Per call',
    '',
    'ns per call, median of the rounds [min–max]; `÷ X` is the median of the per-round ratios of this row to row X.',
    '',
    mdTable(CALL_HEADER, callBody(results)),
  ];
  for (const s of results.sweeps) {
    if (!s.points) continue;
    out.push('', `## ${s.title}`, '');
    if (charts[s.name]) out.push(`![${s.title}](${charts[s.name]})`, '');
    out.push(crossoverLine(s), '', mdTable(SWEEP_HEADER, sweepBody(s)));
  }
  if (results.async) {
    const a = results.async;
    out.push(
      '',
      '## Async: time per call against calls in flight',
      '',
      ...(charts.async ? [`![async time per call against calls in flight](${charts.async})`, ''] : []),
      `Keep-N-in-flight lanes (\`async function lane() { while (next++ < total) await call(); }\` × N), ${a.callsPerRun} calls`,
      `per run, ${a.rounds} rounds, every (engine, N) once per round in a rotating order. ns per call, median; in brackets the`,
      `median per-round ratio to the same function's raw koffi \`.async\` at 8 in flight. The public API has at most`,
      `\`MAX_ASYNC_IN_FLIGHT\` (${a.maxAsyncInFlight ?? '?'} in this build) native calls on koffi's workers at once; calls beyond that`,
      `wait in JS (batched by the async module). koffi config: \`${JSON.stringify(a.config)}\`.`,
      '',
      mdTable(asyncHeader(results), asyncBody(results)),
    );
  }
  const inv = investigations(results);
  if (inv.length) {
    out.push(
      '',
      '## The two targets issue 14 found missed: what bounds them',
      '',
      'Conclusions: [bench-findings.md](bench-findings.md).',
      '',
      ...inv,
    );
  }
  out.push(
    '',
    '## Pure-JS baselines tried',
    '',
    'Every version was timed in the same rounds; the fastest is the baseline of its function.',
    '',
    mdTable(BASELINE_HEADER, baselineBody(results)),
  );
  const skipped = skippedLines(results);
  if (skipped.length) out.push('', '## Not measured in this run', '', ...skipped.map((l) => `- ${l}`));
  return out.join('\n') + '\n';
}

/** The calls the README's headline table shows, in this order (the rest is in docs/bench.md). */
const HEADLINE = [
  'addInRust',
  'concatStrings',
  'countCharacters(mixed 1k)',
  'countCharacters(short)',
  'Point.translate',
  'OpaquePoint new+free',
  'sumOfEven(10M)',
  'primesUpTo(10M)',
];

/** The README's benchmark block (between its markers): the headline figures and one chart. */
function readmeBlock(results, charts) {
  const m = results.meta;
  const cell = (t) => (ok(t) ? fmt(t.median) : '–');
  const body = [];
  for (const name of HEADLINE) {
    const c = results.calls.find((x) => x.name === name);
    if (c === undefined) continue;
    const js = fastest(c.js);
    body.push([
      c.name,
      cell(c.engines.public),
      cell(c.engines.raw),
      cell(c.engines.napi),
      cell(c.engines.c),
      js ? `${cell(js.t)} (${js.name})` : '–',
    ]);
  }
  const all = results.targets ?? [];
  const judged = all.filter((t) => t.pass !== null);
  const missed = judged.filter((t) => t.pass === false);
  const chart = charts.sumOfEven ?? Object.values(charts)[0];
  return [
    `Measured by \`make bench\` on ${m.date} (${m.cpu}, ${m.cpus} CPUs, Node ${m.node}). Median ns per call (µs, ms where`,
    'marked), every row timed in the same process and interleaved rounds; the public API against the raw koffi call of',
    'the same function, a Node-API addon (a floor with minimal checks), a C loop over the library and the fastest of',
    'several pure-JS versions:',
    '',
    mdTable(['call', 'public API', 'raw koffi', 'Node-API addon', 'C', 'fastest pure JS'], body),
    '',
    `Targets: ${judged.length - missed.length} of ${judged.length} met by the rule (a ratio must hold in 3 rounds out of 4)` +
      (missed.length ? `; the ${missed.length} not met are marked **NO** in docs/bench.md.` : '.') +
      ' Every target, every row, the method and the charts: [docs/bench.md](docs/bench.md); investigations:',
    '[docs/bench-findings.md](docs/bench-findings.md).',
    '',
    ...(chart ? [`![time per element against input length](docs/${chart})`] : []),
  ].join('\n');
}

module.exports = {
  text,
  markdown,
  readmeBlock,
  targets,
  fastest,
  sweepLines,
  sweepRatios,
  asyncRows,
  crossoverLine,
  SAME_TOLERANCE,
};
