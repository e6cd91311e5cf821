/**
 * Benchmarks: how fast the simulator runs on this machine, beside ns-3 running the same workloads.
 * Run with `npm run bench` (`npm run bench -- --help` for the options); never part of the tests.
 *
 * Three sections, in this order:
 *  - micro: raw scheduler throughput and forwarding through a chain of routers, in this process;
 *  - side-by-side: the workloads of scripts/bench/side-by-side.ts (the write-up's lab with anycast and
 *    xenial1 halted at 300 s, 24 h; a chain of 1000 RIP routers, 1 h; 12×12 and 32×32 grids, 1 h), each side a
 *    whole process per run, ours (scripts/bench/workload.js) and the ns-3 peer
 *    (bench/peers/ns3/anycast-bench.cc, built here when ns-3 is installed) alternately;
 *  - failover: the start-up CPU of a fresh process loading the simulator, then 100 anycast failovers
 *    (Cisco timers) on one thread, in Node and in headless Chromium from the web bundle (the live
 *    tutorial's budget, ≤ 1 s each);
 *  - sweep: the failover experiment cisco-1000.yml on every core (wall and CPU seconds, peak RSS).
 * It prints one line per benchmark, the markdown speed table of this run (the README's, which
 * `--update-readme` writes between its markers) and a JSON summary.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Scheduler, seconds, ms } from '../lib/sim';
import { Network } from '../lib/net';
import { ipv4 } from '../lib/wire/addr';
import { WORKLOADS, TINY_WORKLOADS, GRID_32_PEER_CPU_LIMIT, buildPeer, compare, cpuSample, machine, otherCores, oursSide, speedTable, withSpeedTable, type Comparison, type Side } from './bench/side-by-side';

interface Result {
  name: string;
  value: number;
  unit: string;
  wallSeconds: number;
  detail: string;
}

const results: Result[] = [];

function report(r: Result): void {
  results.push(r);
  console.log(`${r.name.padEnd(44)} ${r.value.toExponential(3).padStart(10)} ${r.unit.padEnd(12)} (${r.wallSeconds.toFixed(2)} s wall; ${r.detail})`);
}

/** Raw scheduler throughput: many self-rescheduling timers, like protocol timers in a big lab. */
function schedulerEvents(simulated: number): void {
  const s = new Scheduler();
  const timers = 10_000;
  for (let i = 0; i < timers; i++) {
    const period = 1000 + (i % 97);
    const tick = (now: number) => {
      s.at(now + period, tick);
    };
    s.at(i % 1000, tick);
  }
  const t0 = performance.now();
  s.runUntil(simulated);
  const wall = (performance.now() - t0) / 1000;
  report({ name: 'scheduler events', value: s.eventsExecuted / wall, unit: 'events/s', wallSeconds: wall, detail: `${s.eventsExecuted} events, ${timers} timers` });
}

/**
 * Forwarding throughput: a host sends UDP through a chain of routers (static routes) to another
 * host; every hop is an ARP-resolved, TTL-decremented, queued, delayed forward.
 */
function forwarding(packets: number): void {
  const routers = 8;
  const net = new Network(1);
  const addr = (a: number, b: number) => ipv4(`10.${a}.${b}.0`);
  const left = net.addNode('left', 'host', 'linux');
  const right = net.addNode('right', 'host', 'linux');
  const chain = Array.from({ length: routers }, (_, i) => net.addNode(`r${i}`, 'router', 'linux'));
  const link = (i: number) => net.addSegment(`l${i}`, 'p2p', ms(0.1));
  // link i joins element i and i+1 of [left, r0..r7, right], subnet 10.i.0.0/24: .1 on the left, .2 on the right.
  const path = [left, ...chain, right];
  for (let i = 0; i + 1 < path.length; i++) {
    const seg = link(i);
    const a = path[i]!.addInterface(`e${i}r`, 0x02_00_00_00_10_00 + i);
    const b = path[i + 1]!.addInterface(`e${i}l`, 0x02_00_00_00_20_00 + i);
    a.addresses.push({ address: addr(i, 0) + 1, prefixLength: 24, label: null });
    b.addresses.push({ address: addr(i, 0) + 2, prefixLength: 24, label: null });
    net.connect(a, seg);
    net.connect(b, seg);
  }
  for (let k = 0; k < path.length; k++) {
    const node = path[k]!;
    for (let i = 0; i + 1 < path.length; i++) {
      if (i === k || i + 1 === k) continue; // connected
      const via = i > k ? addr(k, 0) + 2 : addr(k - 1, 0) + 1;
      node.staticRoutes.push({ prefix: addr(i, 0), prefixLength: 24, via, device: null });
    }
  }
  net.bootAll();
  for (const r of chain) r.forwarding = true;
  const dst = addr(path.length - 2, 0) + 2;
  let received = 0;
  right.udpBind(0, 9, { onMessage: () => received++ });
  const socket = left.udpBind(0, 0, { onMessage: () => undefined });
  const payload = new Uint8Array(64);
  const gap = 250; // one packet every 250 µs: slower than the routers process them, so queues stay short
  for (let i = 0; i < packets; i++) net.scheduler.at(seconds(1) + i * gap, () => socket.send(dst, 9, payload));
  const t0 = performance.now();
  net.run(seconds(1) + packets * gap + seconds(1));
  const wall = (performance.now() - t0) / 1000;
  const forwarded = net.forwardedPackets;
  if (received !== packets) throw new Error(`forwarding bench lost packets: ${received}/${packets}`);
  report({ name: 'forwarded packets (8-router chain, UDP)', value: forwarded / wall, unit: 'packets/s', wallSeconds: wall, detail: `${forwarded} forwards, ${net.scheduler.eventsExecuted} events` });
}

// ---- failovers: the outage's physics ------------------------------------------------------------
//
// Every failover run of this bench (xenial1 halted, Cisco IOS timers: update 30 s less up to 15 %,
// invalid 180, hold-down 180, flush 240) must recover with an outage in [210, 275] s: r3 forwards to
// the dead server until it flushes the route 240 s after xenial1's last update, which came 0–30 s
// before the halt, then waits up to one update of r1 (30 s) and 5 s of triggered-update holdoff
// (lib/measure/failover.test.ts, from the write-up §4.3.5 and Cisco's "timers basic" defaults). A run
// outside, unrecovered or without a steady baseline fails the benchmark: a fast wrong run cannot win.

const CISCO_OUTAGE_SECONDS = [210, 275] as const;

interface OutageFigures {
  min: number | null;
  median: number | null;
  max: number | null;
  unrecovered: number;
  unsteady: number;
}

/** Why these outages break the physics above; empty when they do not. */
function outageFailures(o: OutageFigures): string[] {
  const [lo, hi] = CISCO_OUTAGE_SECONDS;
  const out: string[] = [];
  if (o.unrecovered > 0) out.push(`${o.unrecovered} runs did not recover`);
  if (o.unsteady > 0) out.push(`${o.unsteady} runs had no steady baseline`);
  if (o.min === null || o.max === null) out.push('no outage measured');
  else if (o.min < lo || o.max > hi) out.push(`outages ${o.min}–${o.max} s, outside the ${lo}–${hi} s IOS timers allow`);
  return out;
}

const checkFailures: string[] = [];

/** Notes a benchmark's failed check (the bench then exits 1) and says why. */
function checked(name: string, failures: string[]): string {
  for (const f of failures) checkFailures.push(`${name}: ${f}`);
  return failures.length === 0 ? 'outages within the IOS timers' : `FAILED its check: ${failures.join('; ')}`;
}

/** The failovers the live tutorial runs per click: the write-up's lab, xenial1 halted in [2m, 2m30s), 10 min after. */
const FAILOVER_QUERY = { lab: 'anycast', fail: 'xenial1:halt', at: '2m', profile: 'cisco-ios', runFor: '10m', seed: 1 } as const;
const FAILOVER_TARGET_SECONDS = 1;

/**
 * The child: FAILOVER_RUNS failovers on this one thread (failoverDistribution, which the page's
 * browserApi calls with the same options), from the compiled library on plain Node, the lab loaded
 * before the clock starts (the page loads its lab once too, and so does the Chromium run below). One
 * JSON line.
 */
const FAILOVER_CHILD = `
const { loadLab } = require('./dist/config/load');
const { labPath } = require('./dist/config/paths');
const { failoverDistribution } = require('./dist/measure/failover');
const { parseDuration } = require('./dist/sim/time');
const q = JSON.parse(process.env.FAILOVER_QUERY);
const duration = (text) => parseDuration(text).value;
const lab = loadLab(labPath(q.lab), { do_anycast: true });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const d = failoverDistribution({ lab, fail: q.fail, at: duration(q.at), runs: Number(process.env.FAILOVER_RUNS), profile: q.profile, runFor: duration(q.runFor), seed: q.seed });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, runs: d.runs.length, min: d.min, median: d.median, max: d.max, unrecovered: d.unrecovered, unsteady: d.unsteady }));
`;

/** The same query in headless Chromium, from the web bundle opened from file:// (as lib/web/bundle.test.ts drives it). */
async function failoversInChromium(runs: number): Promise<(OutageFigures & { wall: number; runs: number }) | { missing: string }> {
  const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) return { missing: `${chromiumPath} not found (Debian: apt-get install chromium; or set CHROMIUM_PATH)` };
  const out = mkdtempSync(join(tmpdir(), 'anycast-bench-web-'));
  try {
    const build = spawnSync(process.execPath, [join(__dirname, 'build-web.js'), '--out', out], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build-web.js failed: ${build.stderr}`);
    const page = join(out, 'index.html');
    writeFileSync(page, '<!doctype html><meta charset="utf-8"><title>anycast-lab bench</title><script src="anycast-lab.js"></script>\n');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const tab = await browser.newPage();
      await tab.goto(pathToFileURL(page).href);
      return await tab.evaluate((q) => {
        type Distribution = OutageFigures & { runs: unknown[] };
        const api = (globalThis as unknown as { AnycastLab: { lab(name: string): unknown; failoverDistribution(query: unknown): Distribution } }).AnycastLab;
        api.lab(q.lab);
        // The page's clock (this file's `performance` is node:perf_hooks', which the page has not).
        const clock = window.performance;
        const t0 = clock.now();
        const d = api.failoverDistribution(q);
        return { wall: (clock.now() - t0) / 1000, runs: d.runs.length, min: d.min, median: d.median, max: d.max, unrecovered: d.unrecovered, unsteady: d.unsteady };
      }, { ...FAILOVER_QUERY, runs });
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function figures(o: OutageFigures & { runs: number }): string {
  return `${o.runs} runs, outage median ${o.median} s, range ${o.min}–${o.max} s`;
}

/** Against a target in seconds, or no verdict (`--tiny`: the targets are for the full sizes). */
function verdictOf(target: number | null): (wall: number) => string {
  return (wall) => (target === null ? 'no target with --tiny' : wall <= target ? `target ${target} s met` : `target ${target} s missed by ${(100 * (wall / target - 1)).toFixed(0)}%`);
}

/**
 * What every benchmark process and every sweep worker pays before its first run: a fresh Node
 * loading the simulator (`require('./dist/lab/lab')`), CPU seconds of the whole process to the end
 * of the require (Node's own start included, measured beside it as `node -e 0`), median of five.
 */
const STARTUP_CHILD = `require(process.env.STARTUP_MODULE); const c = process.cpuUsage(); console.log((c.user + c.system) / 1e6);`;
const EMPTY_CHILD = `const c = process.cpuUsage(); console.log((c.user + c.system) / 1e6);`;

function startup(): void {
  const cpuOf = (code: string, module: string): number => {
    const r = spawnSync(process.execPath, ['-e', code], { cwd: join(__dirname, '..'), env: { ...process.env, STARTUP_MODULE: module }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`startup of ${module} failed: ${r.stderr}`);
    return Number(r.stdout.trim());
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lab: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < 5; i++) {
    lab.push(cpuOf(STARTUP_CHILD, './dist/lab/lab'));
    empty.push(cpuOf(EMPTY_CHILD, ''));
  }
  const value = median(lab);
  console.log(`startup: node -e "require('./dist/lab/lab')" ${value.toFixed(3)} s CPU (median of 5; node -e 0: ${median(empty).toFixed(3)} s)`);
  results.push({ name: 'startup-lab', value, unit: 's CPU', wallSeconds: NaN, detail: `a fresh process loading the simulator, median of 5; Node alone ${median(empty).toFixed(3)} s` });
}

async function failovers(runs: number, tiny: boolean): Promise<void> {
  startup();
  const target = tiny ? null : FAILOVER_TARGET_SECONDS * (runs / 100);
  console.log(`failover: ${runs} anycast failovers on one thread (${FAILOVER_QUERY.lab}, ${FAILOVER_QUERY.fail} at ${FAILOVER_QUERY.at} + up to 30 s, Cisco timers, ${FAILOVER_QUERY.runFor} each)${target === null ? '' : `; target ≤ ${target} s`}`);
  const verdict = verdictOf(target);
  const r = spawnSync(process.execPath, ['-e', FAILOVER_CHILD], { cwd: join(__dirname, '..'), env: { ...process.env, FAILOVER_QUERY: JSON.stringify(FAILOVER_QUERY), FAILOVER_RUNS: String(runs) }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${runs} failovers in Node failed: ${r.stderr}`);
  const node = JSON.parse(r.stdout.trim().split('\n').pop()!) as OutageFigures & { wall: number; cpu: number; runs: number };
  const nodeCheck = checked(`failover-${runs}-node`, outageFailures(node));
  console.log(`  Node      ${node.wall.toFixed(2).padStart(6)} s wall, ${node.cpu.toFixed(2)} s CPU (${verdict(node.wall)}); ${figures(node)}; ${nodeCheck}`);
  results.push({ name: `failover-${runs}-node`, value: node.wall, unit: 's wall', wallSeconds: node.wall, detail: `one thread, ${node.cpu.toFixed(2)} s CPU; ${verdict(node.wall)}; ${figures(node)}; ${nodeCheck}` });
  const web = await failoversInChromium(runs);
  if ('missing' in web) {
    console.log(`  Chromium  not run: ${web.missing}`);
    results.push({ name: `failover-${runs}-chromium`, value: NaN, unit: 's wall', wallSeconds: NaN, detail: `not run: ${web.missing}` });
    return;
  }
  const failures = outageFailures(web);
  // The simulator is deterministic: the page must find the outages Node found for the same query.
  if (web.min !== node.min || web.median !== node.median || web.max !== node.max) failures.push(`outages ${web.min}/${web.median}/${web.max} s (min/median/max), Node's ${node.min}/${node.median}/${node.max} s`);
  const webCheck = checked(`failover-${runs}-chromium`, failures);
  console.log(`  Chromium  ${web.wall.toFixed(2).padStart(6)} s wall (${verdict(web.wall)}); ${figures(web)}; ${webCheck}`);
  results.push({ name: `failover-${runs}-chromium`, value: web.wall, unit: 's wall', wallSeconds: web.wall, detail: `headless Chromium, the web bundle from file://, the page's main thread; ${verdict(web.wall)}; ${figures(web)}; ${webCheck}` });
}

// ---- sweeps (the what-if workbench) --------------------------------------------------------
//
// data/labs/anycast/experiments/cisco-1000.yml: anycast failovers on the write-up's lab, Cisco
// timers, xenial1 halted at an instant drawn in [2m, 2m30s), each run 10 minutes after it; rows
// streamed to a CSV file. Target: 1000 runs in ≤ 2 s on this 2-core machine; memory flat with the
// number of runs (peak RSS at 1000 and 5000 runs, each in a fresh process).

const SWEEP_EXPERIMENT = join(__dirname, '..', 'data', 'labs', 'anycast', 'experiments', 'cisco-1000.yml');
const SWEEP_TARGET_SECONDS = 2;

/**
 * The child: the bench experiment with RUNS runs on every core, from the compiled library (the
 * workers load dist/sweep/worker.js; `npm run bench` builds dist/ first) on plain Node, so its
 * peak RSS is the sweep's (main thread and workers) and not a TypeScript compiler's. One JSON line.
 */
const SWEEP_CHILD = `
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const { availableParallelism, tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { parse } = require('yaml');
const { parseExperiment } = require('./dist/sweep/experiment');
const { sweep } = require('./dist/sweep/runner');
(async () => {
  const file = process.env.SWEEP_EXPERIMENT;
  const experiment = parseExperiment({ ...parse(readFileSync(file, 'utf8')), runs: Number(process.env.SWEEP_RUNS) }, file, dirname(file));
  const dir = mkdtempSync(join(tmpdir(), 'anycast-bench-'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await sweep(experiment, { out: join(dir, 'rows.csv'), workers: availableParallelism() });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  rmSync(dir, { recursive: true });
  const s = r.summary[0];
  console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, runs: r.ran, workers: availableParallelism(), min: s.min, median: s.median, p90: s.p90, max: s.max, unrecovered: s.unrecovered, unsteady: s.unsteady ?? 0 }));
})();
`;

function sweeps(sizes: readonly number[], tiny: boolean): void {
  console.log(`sweep: ${SWEEP_EXPERIMENT.split('/').slice(-4).join('/')}, anycast failovers (Cisco, random failure instants, 10 min simulated each); target 1000 runs ≤ ${SWEEP_TARGET_SECONDS} s, memory flat`);
  const peaks: number[] = [];
  for (const runs of sizes) {
    const r = spawnSync(process.execPath, ['-e', SWEEP_CHILD], { cwd: join(__dirname, '..'), env: { ...process.env, SWEEP_EXPERIMENT, SWEEP_RUNS: String(runs) }, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`sweep of ${runs} runs failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as OutageFigures & { wall: number; cpu: number; maxRssMiB: number; runs: number; workers: number; p90: number };
    const speed = verdictOf(tiny ? null : SWEEP_TARGET_SECONDS * (runs / 1000))(out.wall);
    const detail = `${out.runs} runs on ${out.workers} worker threads, outage median ${out.median} s, p90 ${out.p90} s, range ${out.min}–${out.max} s; ${checked(`sweep-${runs}`, outageFailures(out))}`;
    console.log(`  ${String(runs).padStart(5)} runs ${out.wall.toFixed(2).padStart(7)} s  (${out.cpu.toFixed(2)} s CPU, every thread; ${(runs / out.wall).toFixed(0)} runs/s; ${speed})  peak RSS ${out.maxRssMiB.toFixed(0)} MiB; ${detail}`);
    results.push({ name: `sweep-${runs}`, value: out.wall, unit: 's wall', wallSeconds: out.wall, detail: `${out.cpu.toFixed(2)} s CPU; peak RSS ${out.maxRssMiB.toFixed(0)} MiB; ${speed}; ${detail}` });
    peaks.push(out.maxRssMiB);
  }
  // Flat memory: the peak RSS of the largest sweep against the smallest's (lib/sweep/memory.test.ts
  // checks that the heap kept after a collection does not grow with the runs).
  const growth = 100 * (peaks[peaks.length - 1]! / peaks[0]! - 1);
  console.log(`  peak RSS ${peaks.map((p) => p.toFixed(0)).join(' → ')} MiB for ${sizes.join(' → ')} runs: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)}%`);
}

const SECTIONS = ['micro', 'side-by-side', 'failover', 'sweep'] as const;
const FAILOVER_RUNS = 100;
const SWEEP_SIZES = [1000, 5000];
const TINY_FAILOVER_RUNS = 10;
const TINY_SWEEP_SIZES = [50, 200];
type Section = (typeof SECTIONS)[number];

const HELP = `Usage: npm run bench -- [options]

Measures anycast-lab on this machine and, when ns-3 is installed (Debian: apt-get install libns3-dev),
runs the same workloads in ns-3 alternately with ours and prints both side by side.

Options:
  --sections LIST    which sections to run, comma-separated: micro, side-by-side, failover, sweep (default: all)
  --sweep            the same as --sections sweep
  --workloads LIST   side-by-side workloads, comma-separated (default: all): ${WORKLOADS.map((w) => w.name).join(', ')}
  --pairs N          pairs of runs (ours, then ns-3) after the warm-up (default 3, at least 1)
  --peer-workloads LIST|all
                     the workloads ns-3 runs too (default: ${WORKLOADS.filter((w) => w.peerByDefault).map((w) => w.name).join(', ')};
                     ns-3 had not finished the 32×32 grid after 12 CPU minutes, so only when asked)
  --peer-cpu-limit S CPU seconds each ns-3 run may take (default: none, ${GRID_32_PEER_CPU_LIMIT} s for the 32×32 grid);
                     a run stopped there is reported as "did not finish within S CPU s" and its
                     ratio as a lower bound (> X×), and ns-3 is not run again for that workload
  --no-peer          run anycast-lab alone, even if ns-3 is installed
  --tiny             small versions of the workloads (${TINY_WORKLOADS.map((w) => w.name).join(', ')}), seconds each,
                     ${TINY_FAILOVER_RUNS} failovers and sweeps of ${TINY_SWEEP_SIZES.join(' and ')} runs: checks that every part builds,
                     runs and passes its own checks
  --update-readme    write this run's speed table into README.md, between its markers
                     (not with --tiny; the side-by-side section must run)
  --help             this text

Each run is a whole process; CPU time is the child's user + system time. Without ns-3 the bench says so
and prints anycast-lab's figures alone. A side that fails its own check (queries answered, routes at
the end) is reported as FAILED and given no ratio; so is a failover whose outage leaves what the IOS
timers allow. The 32×32 grid runs in ns-3 only when asked, under a CPU limit.
"Other processes kept X of the N cores busy" is the machine's CPU time (/proc/stat) less the bench's
own and its runs' (/proc/self/stat), over the bench's wall time.`;

interface Args {
  sections: Section[];
  workloads: string[];
  /** null: each workload's peerByDefault. */
  peerWorkloads: string[] | null;
  pairs: number;
  /** null: each workload's peerCpuLimitSeconds. */
  peerCpuLimit: number | null;
  peer: boolean;
  tiny: boolean;
  updateReadme: boolean;
}

function usageError(message: string): never {
  console.error(`bench: ${message}\n(npm run bench -- --help lists the options)`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args | null {
  const a: Args = { sections: [...SECTIONS], workloads: [], peerWorkloads: null, pairs: 3, peerCpuLimit: null, peer: true, tiny: false, updateReadme: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') return null;
    else if (flag === '--sweep') a.sections = ['sweep'];
    else if (flag === '--sections') {
      a.sections = value().split(',') as Section[];
      for (const s of a.sections) if (!SECTIONS.includes(s)) usageError(`--sections: no section "${s}" (${SECTIONS.join(', ')})`);
    } else if (flag === '--workloads') a.workloads = value().split(',');
    else if (flag === '--peer-workloads') {
      const v = value();
      a.peerWorkloads = v === 'all' ? WORKLOADS.concat(TINY_WORKLOADS).map((w) => w.name) : v.split(',');
    }
    else if (flag === '--pairs') {
      const text = value();
      a.pairs = Number(text);
      if (!Number.isInteger(a.pairs) || a.pairs < 1) usageError(`--pairs expects a whole number ≥ 1, got "${text}"`);
    } else if (flag === '--peer-cpu-limit') {
      const text = value();
      a.peerCpuLimit = Number(text);
      if (!Number.isInteger(a.peerCpuLimit) || a.peerCpuLimit < 1) usageError(`--peer-cpu-limit expects whole CPU seconds ≥ 1, got "${text}"`);
    } else if (flag === '--no-peer') a.peer = false;
    else if (flag === '--tiny') a.tiny = true;
    else if (flag === '--update-readme') a.updateReadme = true;
    else usageError(`unknown option ${flag}`);
  }
  const known = (a.tiny ? TINY_WORKLOADS : WORKLOADS).map((w) => w.name);
  for (const w of a.workloads) if (!known.includes(w)) usageError(`--workloads: no workload "${w}"${a.tiny ? ' with --tiny' : ''} (${known.join(', ')})`);
  for (const w of a.peerWorkloads ?? []) if (!known.includes(w)) usageError(`--peer-workloads: no workload "${w}"${a.tiny ? ' with --tiny' : ''} (${known.join(', ')}, or all)`);
  if (a.updateReadme && a.tiny) usageError('--update-readme writes the README\'s workloads; it cannot take --tiny');
  if (a.updateReadme && !a.sections.includes('side-by-side')) usageError('--update-readme needs the side-by-side section');
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args === null) {
    console.log(HELP);
    return;
  }
  // Before the bench starts anything, the load average is other work's alone.
  const loadBefore = loadavg()[0]!;
  const cpuStart = cpuSample();
  let peer: Side | null = null;
  let ns3: string | null = null;
  let peerAbsent = '';
  let comparisons: Comparison[] = [];
  if (args.sections.includes('side-by-side')) {
    if (args.peer) {
      const built = buildPeer();
      if ('missing' in built) {
        console.log(`ns-3 peer: not available (${built.missing}); anycast-lab's figures alone.`);
        peerAbsent = 'ns-3 not installed';
      }
      else {
        peer = built.side;
        ns3 = built.version;
        console.log(`ns-3 peer: ns-3 ${ns3}, ${peer.command}`);
      }
    } else {
      console.log('ns-3 peer: not run (--no-peer); anycast-lab\'s figures alone.');
      peerAbsent = 'not run: `--no-peer`';
    }
  }
  const m0 = machine(ns3, loadBefore, null);
  console.log(`anycast-lab benchmarks on ${m0.cpu} (${m0.cores} cores, ${m0.ramGiB} GiB), Node ${m0.node}, load average ${loadBefore.toFixed(2)}`);
  if (args.sections.includes('micro')) {
    // --tiny: a tenth of each, to check they run.
    schedulerEvents(args.tiny ? ms(100) : seconds(1));
    forwarding(args.tiny ? 10_000 : 100_000);
  }
  if (args.sections.includes('side-by-side')) {
    const all = args.tiny ? TINY_WORKLOADS : WORKLOADS;
    const chosen = args.workloads.length === 0 ? all : all.filter((w) => args.workloads.includes(w.name));
    comparisons = chosen.map((w) => {
      const asked = args.peerWorkloads === null ? w.peerByDefault : args.peerWorkloads.includes(w.name);
      const absent = peer === null ? peerAbsent : 'not run: `--peer-workloads`';
      const c = compare(w, oursSide(), asked ? peer : null, absent, args.pairs, (line) => console.log(line), args.peerCpuLimit);
      // One more run of ours under the sampling profiler (not timed): where this workload's time goes.
      const side = oursSide();
      const p = spawnSync(side.command, [...side.args, ...w.args, '--profile'], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const line = p.stdout.trim().split('\n').pop() ?? '';
      console.log(p.status === 0 ? `  profile of anycast-lab (own CPU time by part): ${(JSON.parse(line) as { profile: string }).profile}` : `  profile failed: ${p.stderr.trim()}`);
      return c;
    });
  }
  if (args.sections.includes('failover')) await failovers(args.tiny ? TINY_FAILOVER_RUNS : FAILOVER_RUNS, args.tiny);
  if (args.sections.includes('sweep')) sweeps(args.tiny ? TINY_SWEEP_SIZES : SWEEP_SIZES, args.tiny);

  const alone = results.map((r) => `${r.name}: ${r.unit.startsWith('s ') ? (Number.isNaN(r.value) ? 'not run' : `${r.value.toFixed(2)} s`) : `${(r.value / 1e6).toFixed(2)} M ${r.unit}`} (${r.detail})`);
  const cpuEnd = cpuSample();
  const m = machine(ns3, loadBefore, cpuStart === null || cpuEnd === null ? null : otherCores(cpuStart, cpuEnd));
  const table = speedTable(m, comparisons, args.pairs, alone, peerAbsent);
  console.log('\n' + table + '\n');
  const failed = comparisons.filter((c) => !c.ours.ok || (c.peer !== null && !c.peer.ok && c.peer.unfinishedWithin === null));
  for (const c of failed) {
    if (!c.ours.ok) console.log(`${c.workload.name}: anycast-lab FAILED its check: ${c.ours.failures.join('; ')}`);
    if (c.peer !== null && !c.peer.ok && c.peer.unfinishedWithin === null) console.log(`${c.workload.name}: ns-3 FAILED its check: ${c.peer.failures.join('; ')}`);
  }
  for (const f of checkFailures) console.log(`FAILED: ${f}`);
  const summary = comparisons.map((c) => ({
    workload: c.workload.name,
    args: c.workload.args,
    cpuRatio: c.cpuRatio,
    wallRatio: c.wallRatio,
    cpuRatioAbove: c.cpuRatioAbove,
    wallRatioAbove: c.wallRatioAbove,
    ours: { ok: c.ours.ok, failures: c.ours.failures, cpu: c.ours.cpu, wall: c.ours.wall, events: c.ours.events, maxRssMiB: c.ours.maxRssMiB, report: c.ours.report },
    peer: c.peer === null ? null : { ok: c.peer.ok, unfinishedWithin: c.peer.unfinishedWithin, failures: c.peer.failures, cpu: c.peer.cpu, wall: c.peer.wall, events: c.peer.events, maxRssMiB: c.peer.maxRssMiB, report: c.peer.report },
  }));
  console.log(JSON.stringify({ machine: m, pairs: args.pairs, results, sideBySide: summary }, null, 1));
  if (args.updateReadme) {
    const path = join(__dirname, '..', 'README.md');
    writeFileSync(path, withSpeedTable(readFileSync(path, 'utf8'), table));
    console.log(`README.md: speed table written from this run.`);
  }
  if (failed.length > 0 || checkFailures.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
