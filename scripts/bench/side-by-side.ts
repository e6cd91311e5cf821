/**
 * anycast-lab and ns-3 side by side, in one run on one machine: the same workloads both ways
 * (scripts/bench/workload.js and bench/peers/ns3/anycast-bench.cc, which describe them), each run a
 * whole process, timed from outside (CPU = the child's user + system time from wait4, via bash's
 * `times`; wall = spawn to exit). After a warm-up run of each side, the sides alternate, ours then
 * the peer, for `pairs` pairs, so that whatever else the machine is doing weighs on both alike.
 * Each side checks its own result (queries answered, routes at the end); a side whose check fails is
 * reported as failed and gets no ratio. A peer run may be given a CPU limit (the 32×32 grid, about 50
 * CPU minutes in ns-3 by its growth from smaller grids): stopped there, it is reported as unfinished and the ratio as a
 * lower bound.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(__dirname, '..', '..');

export interface Workload {
  name: string;
  /** What it simulates, for the table. */
  what: string;
  /** The arguments both sides take (the same for both: that is the point). */
  args: string[];
  /** anycast-lab's targets for it (issue: each RIP workload ≥ 10× ns-3; the grid ≤ 15 s, ≤ 400 MiB). */
  targetRatio: number | null;
  targetSeconds: number | null;
  targetRssMiB: number | null;
  /**
   * Whether the peer runs it unless asked (`--peer-workloads`): not the 32×32 grid, where ns-3's RIP
   * (routes in a list, walked for every entry of every update) had not finished a run when an 840 s
   * RLIMIT_CPU stopped it (737 s user + system by rusage) on the 2-core machine of the README table.
   */
  peerByDefault: boolean;
  /**
   * CPU seconds a peer run may take (setrlimit RLIMIT_CPU, bash's `ulimit -t`), or null for none. A
   * run stopped there is reported as "did not finish within N CPU s", and the ratio as a lower bound.
   */
  peerCpuLimitSeconds: number | null;
}

/**
 * The grid at a size both sides finish, so that the grid has a side-by-side ratio in the default set
 * (the 32×32 one has none there: see peerByDefault). ns-3's RIP walks its route list (∝ side²) for
 * every entry of every update; measured on the 2-core machine (load above 10), ns-3 CPU for 1 h:
 * 8×8 5.1 s, 12×12 32.6 s (6.4× for 1.5× the side: about the side to the power 4.6), 16×16 not done
 * after 111 s; ours 1.0, 2.3 and 5.1 s. At that power the 32×32 grid would take ns-3 about 50 CPU
 * minutes.
 */
const GRID_12: Workload = {
  name: 'grid-12x12-1h',
  what: 'a 12×12 grid of RIP routers (FRR timers), 1 h',
  args: ['grid', '--rows', '12', '--cols', '12', '--seconds', '3600'],
  targetRatio: 10,
  targetSeconds: null,
  targetRssMiB: null,
  peerByDefault: true,
  peerCpuLimitSeconds: null,
};

/** What ns-3 may spend on one run of the 32×32 grid when asked to run it (`--peer-workloads`). */
export const GRID_32_PEER_CPU_LIMIT = 600;

/** The benchmark workloads: the README's speed table. */
export const WORKLOADS: Workload[] = [
  {
    name: 'anycast-24h',
    what: "the write-up's lab with anycast, a DNS query every second from xenial3, xenial1 halted at 300 s (queries then cross four routers), 24 h",
    args: ['anycast', '--seconds', '86400', '--halt-at', '300'],
    targetRatio: 10,
    targetSeconds: null,
    targetRssMiB: null,
    peerByDefault: true,
    peerCpuLimitSeconds: null,
  },
  {
    name: 'chain-1000-1h',
    what: 'a chain of 1000 RIP routers (FRR timers), 1 h',
    args: ['chain', '--routers', '1000', '--seconds', '3600'],
    targetRatio: 10,
    targetSeconds: null,
    targetRssMiB: null,
    peerByDefault: true,
    peerCpuLimitSeconds: null,
  },
  GRID_12,
  {
    name: 'grid-32x32-1h',
    what: 'a 32×32 grid of RIP routers (FRR timers), 1 h',
    args: ['grid', '--rows', '32', '--cols', '32', '--seconds', '3600'],
    targetRatio: null,
    targetSeconds: 15,
    targetRssMiB: 400,
    peerByDefault: false,
    peerCpuLimitSeconds: GRID_32_PEER_CPU_LIMIT,
  },
];

/** Small versions of the same workloads, for the tests and `--tiny`: seconds each, same checks. */
export const TINY_WORKLOADS: Workload[] = [
  { name: 'anycast-20m', what: "the write-up's lab with anycast, xenial1 halted at 300 s, 20 min", args: ['anycast', '--seconds', '1200', '--halt-at', '300'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true, peerCpuLimitSeconds: null },
  { name: 'chain-40-10m', what: 'a chain of 40 RIP routers, 10 min', args: ['chain', '--routers', '40', '--seconds', '600'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true, peerCpuLimitSeconds: null },
  { name: 'grid-6x6-10m', what: 'a 6×6 grid of RIP routers, 10 min', args: ['grid', '--rows', '6', '--cols', '6', '--seconds', '600'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true, peerCpuLimitSeconds: null },
];

/** What a side prints (one JSON line), plus what the bench measured from outside. */
export interface SideRun {
  ok: boolean;
  /** Why the run failed its own check, or did not run to the end. */
  failures: string[];
  /** The CPU limit it was given, when it was stopped there before its end (then ok is false). */
  unfinishedWithin: number | null;
  events: number;
  maxRssMiB: number;
  cpuSeconds: number;
  wallSeconds: number;
  report: Record<string, unknown>;
}

export type Side = { name: 'anycast-lab' | 'ns-3'; command: string; args: string[] };

export function oursSide(): Side {
  return { name: 'anycast-lab', command: process.execPath, args: [join(ROOT, 'scripts', 'bench', 'workload.js')] };
}

/** The ns-3 side, built (or taken from the cache) now; or why it cannot be. */
export function buildPeer(): { side: Side; version: string } | { missing: string } {
  const r = spawnSync('bash', [join(ROOT, 'bench', 'peers', 'ns3', 'build.sh')], { encoding: 'utf8' });
  if (r.status === 3) return { missing: r.stderr.trim() };
  if (r.status !== 0) throw new Error(`building the ns-3 peer failed (bench/peers/ns3/build.sh, exit ${r.status}):\n${r.stderr}`);
  const binary = r.stdout.trim();
  const version = spawnSync('pkg-config', ['--modversion', 'ns3-core'], { encoding: 'utf8' }).stdout.trim();
  return { side: { name: 'ns-3', command: binary, args: [] }, version };
}

// Exit statuses of a child killed by a signal, as bash reports them (128 + the signal's number).
const SIGXCPU_STATUS = 128 + 24;
const SIGKILL_STATUS = 128 + 9;

/**
 * One run of one side. bash runs the child and then `times`, whose second line is the user and system
 * time of the children it waited for (getrusage RUSAGE_CHILDREN), printed to stderr after the child's.
 * With `cpuLimitSeconds` the child runs under that RLIMIT_CPU (soft: SIGXCPU, which ends a process
 * that does not catch it; hard, 5 s later: SIGKILL; setrlimit(2)), and a child ended so is reported as
 * unfinished within the limit, with the CPU time it had used, not as a time to compare.
 */
export function runSide(side: Side, workload: Workload, cpuLimitSeconds: number | null = null): SideRun {
  const limit = cpuLimitSeconds === null ? '' : `ulimit -c 0; ulimit -Ht ${Math.ceil(cpuLimitSeconds) + 5}; ulimit -St ${Math.ceil(cpuLimitSeconds)}; `;
  const script = `${limit}"$@"; status=$?; times >&2; exit $status`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', side.command, ...side.args, ...workload.args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallSeconds = (performance.now() - t0) / 1000;
  const timesLine = r.stderr.trim().split('\n').pop() ?? '';
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(timesLine);
  if (m === null) throw new Error(`${side.name} ${workload.name}: no CPU times from bash (stderr ends "${timesLine}")`);
  const cpuSeconds = Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
  const failed = (why: string, unfinishedWithin: number | null = null): SideRun => ({ ok: false, failures: [why], unfinishedWithin, events: 0, maxRssMiB: 0, cpuSeconds, wallSeconds, report: {} });
  // SIGXCPU comes from RLIMIT_CPU alone; SIGKILL also from the OOM killer, so it counts only near the
  // hard limit. The kernel checks the limit against its precise run time, while the rusage times
  // `times` reads can be lower (here 737 s for a run stopped at an 840 s limit), so the limit is not
  // compared with those.
  const stopped = r.status === SIGXCPU_STATUS || (r.status === SIGKILL_STATUS && cpuSeconds >= 0.8 * Math.ceil(cpuLimitSeconds ?? Infinity));
  if (cpuLimitSeconds !== null && stopped) {
    return failed(`did not finish within ${Math.ceil(cpuLimitSeconds)} CPU s`, Math.ceil(cpuLimitSeconds));
  }
  if (r.status !== 0) return failed(`exit status ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-4, -1).join(' | ')}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return failed(`printed no JSON result (last line "${line.slice(0, 200)}")`);
  }
  const failures = Array.isArray(report.failures) ? report.failures.map(String) : ['no failures list in its result'];
  return { ok: report.ok === true && failures.length === 0, failures, unfinishedWithin: null, events: Number(report.events), maxRssMiB: Number(report.maxRssMiB), cpuSeconds, wallSeconds, report };
}

export interface Stats {
  min: number;
  median: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
}

export interface SideResult {
  runs: SideRun[];
  ok: boolean;
  failures: string[];
  /** The CPU limit a run of this side was stopped at, if one was (the side then has no times to compare). */
  unfinishedWithin: number | null;
  cpu: Stats;
  wall: Stats;
  maxRssMiB: number;
  events: number;
  report: Record<string, unknown>;
}

export interface Comparison {
  workload: Workload;
  ours: SideResult;
  peer: SideResult | null;
  /** Why the peer did not run, when it did not. */
  peerAbsent: string;
  /** Median of the per-pair ratios peer / ours; null without a peer or when a side failed. */
  cpuRatio: number | null;
  wallRatio: number | null;
  /**
   * When the peer did not finish within its CPU limit: the ratio is above this (the peer's CPU time
   * when it was stopped, as `times` measured it, over our median). Null otherwise.
   */
  cpuRatioAbove: number | null;
  wallRatioAbove: number | null;
}

function sideResult(runs: SideRun[]): SideResult {
  const failures = [...new Set(runs.flatMap((r) => r.failures))];
  const last = runs[runs.length - 1]!;
  return {
    runs,
    ok: runs.every((r) => r.ok),
    failures,
    unfinishedWithin: runs.find((r) => r.unfinishedWithin !== null)?.unfinishedWithin ?? null,
    cpu: stats(runs.map((r) => r.cpuSeconds)),
    wall: stats(runs.map((r) => r.wallSeconds)),
    maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    events: last.events,
    report: last.report,
  };
}

/**
 * Warm-up, then `pairs` pairs ours–peer (ours alone without a peer). A peer run stopped at the
 * workload's CPU limit (`cpuLimitSeconds`, else `workload.peerCpuLimitSeconds`) ends the peer's runs
 * of that workload: every further one would cost the limit again and say no more, so the pairs go on
 * with ours alone and the ratio is given as a lower bound.
 */
export function compare(workload: Workload, ours: Side, peer: Side | null, peerAbsent: string, pairs: number, log: (line: string) => void, cpuLimitSeconds: number | null = null): Comparison {
  log(`${workload.name}: ${workload.what}`);
  const limit = cpuLimitSeconds ?? workload.peerCpuLimitSeconds;
  runSide(ours, workload);
  let unfinished: SideRun | null = null;
  const peerRun = (): SideRun => {
    const r = runSide(peer!, workload, limit);
    if (r.unfinishedWithin !== null) {
      unfinished = r;
      log(`  ns-3 did not finish within ${r.unfinishedWithin} CPU s (${r.wallSeconds.toFixed(0)} s wall): not run again for this workload; the ratio is a lower bound`);
    }
    return r;
  };
  if (peer !== null) peerRun();
  const oursRuns: SideRun[] = [];
  const peerRuns: SideRun[] = [];
  for (let i = 0; i < pairs; i++) {
    const a = runSide(ours, workload);
    oursRuns.push(a);
    let line = `  pair ${i + 1}: anycast-lab ${a.cpuSeconds.toFixed(2)} s CPU, ${a.wallSeconds.toFixed(2)} s wall${a.ok ? '' : ' (FAILED)'}`;
    if (peer !== null && unfinished === null) {
      const b = peerRun();
      if (unfinished === null) {
        peerRuns.push(b);
        line += `; ns-3 ${b.cpuSeconds.toFixed(2)} s CPU, ${b.wallSeconds.toFixed(2)} s wall${b.ok ? '' : ' (FAILED)'}; ratio ${(b.cpuSeconds / a.cpuSeconds).toFixed(2)}× CPU`;
      }
    }
    log(line);
  }
  const o = sideResult(oursRuns);
  const stopped = unfinished as SideRun | null;
  const p = peer === null ? null : sideResult(stopped === null ? peerRuns : [stopped]);
  const both = p !== null && stopped === null && o.ok && p.ok;
  const ratio = (key: 'cpuSeconds' | 'wallSeconds') => (both ? stats(oursRuns.map((r, i) => peerRuns[i]![key] / r[key])).median : null);
  const above = (key: 'cpu' | 'wall') => (stopped !== null && o.ok ? (key === 'cpu' ? stopped.cpuSeconds : stopped.wallSeconds) / o[key].median : null);
  return { workload, ours: o, peer: p, peerAbsent, cpuRatio: ratio('cpuSeconds'), wallRatio: ratio('wallSeconds'), cpuRatioAbove: above('cpu'), wallRatioAbove: above('wall') };
}

/**
 * CPU time of the whole machine and of this process (its threads, and the children it waited for,
 * theirs included: every run is waited for), in clock ticks, from /proc/stat and /proc/self/stat
 * (proc(5)). Null where there is no /proc.
 */
export interface CpuSample {
  wallMs: number;
  machineBusyTicks: number;
  ownTicks: number;
}

export function cpuSample(): CpuSample | null {
  try {
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": busy is all but idle
    // and iowait (guest time is already counted in user).
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    // Fields after the command's closing parenthesis, from field 3 (state): utime is field 14,
    // stime 15, cutime 16, cstime 17.
    const self = readFileSync('/proc/self/stat', 'utf8');
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    const own = fields[14 - 3]! + fields[15 - 3]! + fields[16 - 3]! + fields[17 - 3]!;
    return { wallMs: performance.now(), machineBusyTicks: user! + nice! + system! + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0), ownTicks: own };
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (sysconf(_SC_CLK_TCK); 100 on Linux when getconf is absent). */
function clockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const hz = Number(r.stdout?.trim());
  return r.status === 0 && hz > 0 ? hz : 100;
}

/** Cores kept busy on average between two samples by everything but this process and its runs. */
export function otherCores(from: CpuSample, to: CpuSample): number {
  const seconds = (to.wallMs - from.wallMs) / 1000;
  const ticks = to.machineBusyTicks - from.machineBusyTicks - (to.ownTicks - from.ownTicks);
  return seconds > 0 ? Math.max(0, ticks / clockTicks() / seconds) : 0;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  ns3: string | null;
  /** 1-minute load average before the bench started (so of other work alone). */
  loadBefore: number;
  /** Cores other processes kept busy on average while the bench ran; null without /proc. */
  otherCores: number | null;
}

export function machine(ns3: string | null, loadBefore: number, others: number | null): Machine {
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ns3,
    loadBefore,
    otherCores: others,
  };
}

/**
 * The sentence on other work: measured while the bench ran, its own CPU time (and its runs') taken out
 * of the machine's, so the bench's own load never reads as a busy machine. Busy: other processes kept
 * more than a tenth of the cores busy on average.
 */
export function otherWork(m: Machine): string {
  const before = `load average ${m.loadBefore.toFixed(1)} before it started`;
  if (m.otherCores === null) return `Other work on the machine: not measured (no /proc); ${before}.`;
  const share = `other processes kept ${m.otherCores.toFixed(2)} of the ${m.cores} cores busy on average while it ran (${before})`;
  const busy = m.otherCores > m.cores / 10;
  return `${share[0]!.toUpperCase()}${share.slice(1)}${busy ? `: the machine was busy with other work${m.ns3 === null ? '' : ', which weighed on both sides'}.` : '.'}`;
}

const fmt = (s: Stats) => `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

function sideCell(r: SideResult | null, key: 'cpu' | 'wall', absent: string): string {
  if (r === null) return absent;
  if (r.unfinishedWithin !== null) return key === 'cpu' ? `did not finish within ${r.unfinishedWithin} CPU s` : `> ${r.wall.max.toFixed(0)} s (stopped)`;
  return r.ok ? fmt(r[key]) : `FAILED: ${r.failures[0]}`;
}

function ratioCell(exact: number | null, above: number | null): string {
  if (exact !== null) return `${exact.toFixed(1)}×`;
  return above === null ? '—' : `> ${above.toFixed(1)}×`;
}

function targetNote(c: Comparison): string {
  const w = c.workload;
  const notes: string[] = [];
  if (w.targetRatio !== null && c.cpuRatio !== null) notes.push(`ratio ≥ ${w.targetRatio}×: ${c.cpuRatio >= w.targetRatio ? 'met' : 'missed'}`);
  if (w.targetRatio !== null && c.cpuRatioAbove !== null) notes.push(`ratio ≥ ${w.targetRatio}×: ${c.cpuRatioAbove >= w.targetRatio ? 'met (lower bound)' : 'not known (ns-3 did not finish)'}`);
  if (w.targetSeconds !== null && c.ours.ok) notes.push(`CPU ≤ ${w.targetSeconds} s: ${c.ours.cpu.median <= w.targetSeconds ? 'met' : 'missed'}`);
  if (w.targetRssMiB !== null && c.ours.ok) notes.push(`peak RSS ≤ ${w.targetRssMiB} MiB: ${c.ours.maxRssMiB <= w.targetRssMiB ? 'met' : 'missed'}`);
  return notes.length === 0 ? '—' : notes.join('; ');
}

/** The markdown speed table of one run (the README's, between its markers). */
export function speedTable(m: Machine, comparisons: Comparison[], pairs: number, alone: string[], peerAbsent: string): string {
  const lines: string[] = [];
  const stopped = comparisons.some((c) => c.peer?.unfinishedWithin != null);
  lines.push(
    `Measured ${m.date} by \`npm run bench\` on ${m.cpu} (${m.cores} cores, ${m.ramGiB} GiB RAM), Node ${m.node}, ` +
      (comparisons.length === 0
        ? 'the side-by-side section not run. '
        : m.ns3 === null
        ? `without ns-3 (${peerAbsent}); a warm-up run, then ${pairs} ${pairs === 1 ? 'run' : 'runs'} of each workload, each a whole process. Times: median (min–max). `
        : `ns-3 ${m.ns3} (Debian, g++ -O2); a warm-up run of each side, then ${pairs} ${pairs === 1 ? 'pair' : 'pairs'} run alternately (ours, then ns-3), each run a whole process. ` +
          `Times: median (min–max) over the pairs; the ratio is the median of the per-pair ratios ns-3 / anycast-lab. ` +
          (stopped ? 'A ns-3 run stopped at its CPU limit is not run again; its ratio is a lower bound (> X×: ns-3\'s CPU time when stopped over our median). ' : '')) +
      otherWork(m),
  );
  if (comparisons.length > 0) lines.push('');
  if (comparisons.length > 0) lines.push('| workload | anycast-lab CPU | ns-3 CPU | ratio (CPU) | anycast-lab wall | ns-3 wall | ratio (wall) | events (ours / ns-3) | peak RSS (ours / ns-3) | targets |');
  if (comparisons.length > 0) lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of comparisons) {
    const peerFigures = c.peer !== null && c.peer.unfinishedWithin === null;
    const events = `${c.ours.events.toLocaleString('en-US')} / ${peerFigures ? c.peer!.events.toLocaleString('en-US') : '—'}`;
    const rss = `${c.ours.maxRssMiB.toFixed(0)} / ${peerFigures ? c.peer!.maxRssMiB.toFixed(0) : '—'} MiB`;
    lines.push(`| ${c.workload.what} | ${sideCell(c.ours, 'cpu', '')} | ${sideCell(c.peer, 'cpu', c.peerAbsent)} | ${ratioCell(c.cpuRatio, c.cpuRatioAbove)} | ${sideCell(c.ours, 'wall', '')} | ${sideCell(c.peer, 'wall', c.peerAbsent)} | ${ratioCell(c.wallRatio, c.wallRatioAbove)} | ${events} | ${rss} | ${targetNote(c)} |`);
  }
  if (alone.length > 0) {
    lines.push('');
    lines.push('In the same run, anycast-lab alone:');
    lines.push('');
    for (const a of alone) lines.push(`- ${a}`);
  }
  return lines.join('\n');
}

export const README_START = '<!-- speed table: written by `npm run bench -- --update-readme`; edits between these markers are replaced -->';
export const README_END = '<!-- end of speed table -->';

/** README text with the block between the markers replaced by `table`; an error if the markers are not there once each. */
export function withSpeedTable(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start || readme.indexOf(README_START, start + 1) >= 0) {
    throw new Error(`README.md: expected one line "${README_START}" followed by one "${README_END}" (the speed section's markers)`);
  }
  return readme.slice(0, start + README_START.length) + '\n' + table + '\n' + readme.slice(end);
}
