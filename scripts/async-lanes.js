'use strict';
// Async throughput with N calls kept in flight (issue 14): N lanes, each
// `while (next++ < total) await call()`, for the public `.async` functions
// and the same functions through raw koffi `.async`. Prints a table and, with
// --json, one JSON object (reusable by `make bench`).
//
//   node scripts/async-lanes.js [--json] [--cases=sum,primes,...] [--in-flight=8,64,512,1000]
//                               [--root=/path/to/another/checkout]   (built; for before/after)
//   ASYNC_LANES_TOTAL=20000 ASYNC_LANES_ROUNDS=5 node scripts/async-lanes.js
//
// Each case runs in this process after a warm-up; the figure is the median
// of the rounds, in microseconds per call (wall time / calls), with the CPU
// time per call of all the process's threads beside it.

const path = require('node:path');

const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

const ROOT = path.resolve(flag('root') ?? path.join(__dirname, '..'));
const ffi = require(ROOT);
const raw = require(path.join(ROOT, 'dist', 'raw'));
const json = args.includes('--json');
const IN_FLIGHT = (flag('in-flight') ?? '8,64,512,1000').split(',').map(Number);
const TOTAL = Number(process.env.ASYNC_LANES_TOTAL ?? 20000);
const ROUNDS = Number(process.env.ASYNC_LANES_ROUNDS ?? 5);

function u32(length) {
  const a = new Uint32Array(length);
  for (let i = 0; i < length; i++) a[i] = (i * 2654435761) >>> 8;
  return a;
}

const input = u32(1000);
const expectedSum = ffi.sumOfEven(input);
const expectedPrimes = 1229; // primes <= 10,000

/** `() => Promise` for one call: raw koffi `.async`, settled as a Promise. */
function rawSum() {
  return new Promise((resolve, reject) =>
    raw.sum_of_even.async(input, input.length, (err, r) => (err ? reject(err) : resolve(r))),
  );
}

function rawPrimes() {
  const out = new BigUint64Array(3);
  return new Promise((resolve, reject) => {
    // primes_up_to took `FfiError *error` last from 0.2.0 on (NULL: no reason wanted).
    const done = (err, status) => {
      if (err) return reject(err);
      const len = Number(out[1]);
      raw.u32_array_free({ data: out[0], len, capacity: Number(out[2]) });
      return status === 0 ? resolve(len) : reject(new Error(`status ${status}`));
    };
    if (typeof raw.ffi_error_new === 'function') raw.primes_up_to.async(10000, out, null, done);
    else raw.primes_up_to.async(10000, out, done);
  });
}

const CASES = {
  sum: {
    name: 'sumOfEvenAsync(1000 elements)',
    call: () => ffi.sumOfEvenAsync(input),
    check: (r) => r === expectedSum,
  },
  'raw-sum': { name: 'sum_of_even.async (raw koffi)', call: rawSum, check: (r) => Number(r) === expectedSum },
  primes: {
    name: 'primesUpToAsync(10000)',
    call: () => ffi.primesUpToAsync(10000),
    check: (r) => r.length === expectedPrimes,
  },
  'raw-primes': { name: 'primes_up_to.async + free (raw koffi)', call: rawPrimes, check: (r) => r === expectedPrimes },
};

/**
 * Runs `total` calls with `inFlight` lanes; returns wall µs per call and CPU
 * µs per call (all threads of the process: less sensitive to a loaded machine).
 */
async function lanes(call, check, total, inFlight) {
  let next = 0;
  let bad = 0;
  const lane = async () => {
    while (next++ < total) if (!check(await call())) bad++;
  };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, lane));
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / total;
  const cpu = process.cpuUsage(cpu0);
  if (bad > 0) throw new Error(`${bad} wrong results`);
  return { wall, cpu: (cpu.user + cpu.system) / total };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const selected = (flag('cases') ?? Object.keys(CASES).join(',')).split(',');
  const out = { total: TOTAL, rounds: ROUNDS, inFlight: IN_FLIGHT, cases: [] };
  for (const key of selected) {
    const c = CASES[key];
    if (c === undefined) throw new Error(`unknown case ${key}; one of ${Object.keys(CASES).join(', ')}`);
    const entry = { key, name: c.name, usPerCall: {} };
    for (const n of IN_FLIGHT) {
      if (key.startsWith('raw') && n > 200) {
        // koffi throws past max_async_calls (256): raw lanes above that cannot run.
        entry.usPerCall[n] = null;
        continue;
      }
      await lanes(c.call, c.check, Math.min(TOTAL, 2000), n); // warm-up
      const walls = [];
      const cpus = [];
      for (let r = 0; r < ROUNDS; r++) {
        const { wall, cpu } = await lanes(c.call, c.check, TOTAL, n);
        walls.push(wall);
        cpus.push(cpu);
      }
      entry.usPerCall[n] = {
        median: median(walls),
        min: Math.min(...walls),
        max: Math.max(...walls),
        cpu: median(cpus),
      };
    }
    out.cases.push(entry);
    if (!json) {
      const cells = IN_FLIGHT.map((n) => {
        const r = entry.usPerCall[n];
        return `${String(n).padStart(5)}: ${r === null ? '      n/a' : `${r.median.toFixed(2).padStart(6)} µs (cpu ${r.cpu.toFixed(2)})`}`;
      });
      console.log(`${c.name.padEnd(40)} ${cells.join('  ')}`);
    }
  }
  if (json) process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
