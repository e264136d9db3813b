'use strict';
// Turns the measurements into the printed table, docs/bench.md and the
// target checks of issue 7.

const ENGINE_LABELS = {
  public: 'public API',
  raw: 'raw koffi',
  js: 'pure JS',
  napi: 'Node-API addon',
  c: 'C direct',
};

const fmt = (ns) => {
  if (ns === undefined || ns === null || Number.isNaN(ns)) return '–';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 100) return ns.toFixed(0);
  return ns.toFixed(1);
};

const timing = (s) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`;

/**
 * `a / b`: per round when both were timed in the same interleaved rounds
 * (the median of the per-round ratios, robust to machine noise), else the
 * ratio of the medians.
 */
function ratio(a, b) {
  if (!a || !b || a.median === undefined || b.median === undefined) return null;
  if (a.paired && b.paired && a.samples.length === b.samples.length) {
    const r = a.samples.map((x, i) => x / b.samples[i]).sort((x, y) => x - y);
    const m = r.length >> 1;
    return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
  }
  return a.median / b.median;
}

const fmtRatio = (r) => (r === null ? '–' : r >= 100 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);

/** Rows of the call table: one per engine and variant of every case. */
function rows(results) {
  const out = [];
  for (const c of results.calls) {
    const rawT = c.engines.raw;
    const napiT = c.engines.napi;
    const add = (label, t) => {
      if (!t || t.skipped) return;
      out.push({
        fn: c.name,
        engine: label,
        time: timing(t),
        median: t.median,
        vsRaw: fmtRatio(ratio(t, rawT?.skipped ? null : rawT)),
        vsNapi: fmtRatio(ratio(t, napiT?.skipped ? null : napiT)),
      });
    };
    for (const engine of ['public', 'raw', 'napi', 'c', 'js']) add(ENGINE_LABELS[engine], c.engines[engine]);
    for (const [name, t] of Object.entries(c.variants)) add(`variant: ${name}`, t);
  }
  return out;
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

const CALL_HEADER = ['function', 'engine', 'ns/call median [min–max]', '× raw koffi', '× Node-API'];
const callBody = (results) => rows(results).map((r) => [r.fn, r.engine, r.time, r.vsRaw, r.vsNapi]);

/** Each target of issue 7 that this build can measure: `{ target, measured, pass }`. */
function targets(results) {
  const find = (name) => results.calls.find((c) => c.name === name);
  const t = (name, engine) => {
    const c = find(name);
    const e = c?.engines[engine];
    return e && !e.skipped ? e : null;
  };
  const v = (name, variant) => {
    const e = find(name)?.variants[variant];
    return e && !e.skipped ? e : null;
  };
  const out = [];
  const check = (target, r, limit, how = 'max') => {
    if (r === null) return;
    out.push({
      target,
      measured: fmtRatio(r),
      pass: how === 'max' ? r <= limit : r >= limit,
    });
  };
  check('addInRust public ≤ 1.3× raw koffi', ratio(t('addInRust', 'public'), t('addInRust', 'raw')), 1.3);
  check(
    'concatStrings public ≤ Node-API concat (1.0×)',
    ratio(t('concatStrings', 'public'), t('concatStrings', 'napi')),
    1.0,
  );
  check(
    'concatStrings public ≥ 2× faster than the disposable path (raw koffi)',
    ratio(t('concatStrings', 'raw'), t('concatStrings', 'public')),
    2.0,
    'min',
  );
  check(
    'Point.translate public ≤ 2× addInRust public',
    ratio(t('Point.translate', 'public'), t('addInRust', 'public')),
    2.0,
  );
  check(
    'Point.translate ≥ 10× faster than koffi object marshalling',
    ratio(v('Point.translate', 'raw, koffi object marshalling (_Inout_ Point *)'), t('Point.translate', 'public')),
    10,
    'min',
  );
  check(
    'new OpaquePoint + free() public ≤ 1.3× raw koffi',
    ratio(t('OpaquePoint new+free', 'public'), t('OpaquePoint new+free', 'raw')),
    1.3,
  );
  check('sumOfEven(10M) public ≤ 1.1× C direct', ratio(t('sumOfEven(10M)', 'public'), t('sumOfEven(10M)', 'c')), 1.1);
  check(
    'sumOfEven(10M) ≥ 3× faster than the pure-JS loop',
    ratio(t('sumOfEven(10M)', 'js'), t('sumOfEven(10M)', 'public')),
    3,
    'min',
  );
  const sweep = results.sweeps.find((s) => s.name === 'sumOfEven' && s.points);
  if (sweep) {
    const cross = sweep.crossover;
    out.push({
      target: 'sumOfEven crossover ≤ 1,000 elements',
      measured: cross ? (cross.below ? `< ${cross.length}` : String(cross.length)) : 'none',
      pass: cross !== null && cross.length <= 1000,
    });
  }
  check(
    'primesUpTo(10M) ≥ 2× faster than the pure-JS sieve',
    ratio(t('primesUpTo(10M)', 'js'), t('primesUpTo(10M)', 'public')),
    2,
    'min',
  );
  return out;
}

const TARGET_HEADER = ['target', 'measured', 'met'];
const targetBody = (results) => results.targets.map((x) => [x.target, x.measured, x.pass ? 'yes' : 'NO']);

function sweepBody(sweep) {
  return sweep.points.map((p) => [
    p.length.toLocaleString('en-US'),
    fmt(p.lib.median / p.length),
    fmt(p.js.median / p.length),
    sweep.c?.[p.length] !== undefined ? fmt(sweep.c[p.length] / p.length) : '–',
    fmtRatio(ratio(p.js, p.lib)),
  ]);
}
const SWEEP_HEADER = ['length', 'library ns/elem', 'pure JS ns/elem', 'C ns/elem', 'JS ÷ library'];

function asyncBody(results) {
  const body = [];
  for (const c of results.async?.cases ?? []) {
    if (!c.results) continue;
    body.push([
      c.name,
      ...results.async.inFlight.map((k) => {
        const r = c.results[k];
        return `${fmt(r.median)} (${Math.round(r.callsPerSecond).toLocaleString('en-US')}/s)`;
      }),
    ]);
  }
  return body;
}

function skippedLines(results) {
  const lines = [];
  for (const c of results.calls) {
    for (const [engine, e] of Object.entries(c.engines)) {
      if (e.skipped && engine !== 'js') lines.push(`${c.name} / ${ENGINE_LABELS[engine] ?? engine}: ${e.skipped}`);
    }
  }
  for (const s of results.sweeps) if (s.skipped) lines.push(`sweep ${s.name}: ${s.skipped}`);
  for (const c of results.async?.cases ?? []) if (c.skipped) lines.push(`async ${c.name}: ${c.skipped}`);
  if (results.meta.napi !== 'built') lines.push(`Node-API addon: ${results.meta.napi}`);
  if (results.meta.c !== 'ran') lines.push(`C bench: ${results.meta.c}`);
  return lines;
}

/** The console report. */
function text(results) {
  const parts = [textTable(CALL_HEADER, callBody(results))];
  for (const s of results.sweeps) {
    if (!s.points) continue;
    parts.push(`\n${s.name} sweep (per ${s.unit}):\n` + textTable(SWEEP_HEADER, sweepBody(s)));
    parts.push(crossoverLine(s));
  }
  const ab = asyncBody(results);
  if (ab.length) {
    parts.push(
      '\nasync, ns per call (calls/s), by calls in flight:\n' +
        textTable(['call', ...results.async.inFlight.map((k) => `${k} in flight`)], ab),
    );
  }
  if (results.targets.length) parts.push('\ntargets (issue 7):\n' + textTable(TARGET_HEADER, targetBody(results)));
  const skipped = skippedLines(results);
  if (skipped.length) parts.push('\nnot measured:\n  ' + skipped.join('\n  '));
  return parts.join('\n');
}

function crossoverLine(s) {
  const c = s.crossover;
  if (c === null) return `crossover: none, the pure-JS loop is faster at every length up to ${s.points.at(-1).length}`;
  if (c.below) return `crossover: below ${c.length}, the library is faster at every length measured`;
  return `crossover: the library is faster from about ${c.length.toLocaleString('en-US')} ${s.unit}s on`;
}

/** docs/bench.md */
function markdown(results, charts) {
  const m = results.meta;
  const out = [
    '# Benchmark',
    '',
    `Generated by \`make bench\` (\`scripts/bench.js\`) on ${m.date}${m.quick ? ' in **quick mode** (short batches: for checking, not for figures)' : ''}:`,
    `${m.cpu} (${m.cpus} CPUs), Node ${m.node}, koffi ${m.koffi}; load average at start ${m.loadavg}.`,
    '',
    `Each JS row is the median of ${m.rounds} interleaved rounds after a warm-up, with min–max, in ns per call;`,
    'every engine ran in the same process, one loop per engine and case. Ratios are per round (median of the',
    'per-round ratios). The C row is `build/bench_c` (c/bench/bench.c), the native floor; the Node-API row is',
    'the addon in bench/napi, the floor for a JS→native call. Variants are other ways to make the same call',
    'through koffi, measured to choose the public implementation.',
    '',
    mdTable(CALL_HEADER, callBody(results)),
  ];
  if (results.targets.length) out.push('', '## Targets', '', mdTable(TARGET_HEADER, targetBody(results)));
  for (const s of results.sweeps) {
    if (!s.points) continue;
    out.push('', `## ${s.name}: time per ${s.unit}`, '');
    if (charts[s.name]) out.push(`![${s.title}](${charts[s.name]})`, '');
    out.push(crossoverLine(s), '', mdTable(SWEEP_HEADER, sweepBody(s)));
  }
  const ab = asyncBody(results);
  if (ab.length) {
    out.push(
      '',
      '## Async',
      '',
      `koffi config: ${JSON.stringify(results.async.config)}.`,
      '',
      mdTable(['call', ...results.async.inFlight.map((k) => `ns/call, ${k} in flight`)], ab),
    );
  }
  const skipped = skippedLines(results);
  if (skipped.length) out.push('', '## Not measured in this run', '', ...skipped.map((l) => `- ${l}`));
  return out.join('\n') + '\n';
}

module.exports = { text, markdown, targets, ratio, callBody, mdTable, CALL_HEADER };
