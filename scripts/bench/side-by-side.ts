/**
 * anycast-lab and ns-3 side by side, in one run on one machine: the same workloads both ways
 * (scripts/bench/workload.js and bench/peers/ns3/anycast-bench.cc, which describe them), each run a
 * whole process, timed from outside (CPU = the child's user + system time from wait4, via bash's
 * `times`; wall = spawn to exit). After a warm-up run of each side, the sides alternate, ours then
 * the peer, for `pairs` pairs, so that whatever else the machine is doing weighs on both alike.
 * Each side checks its own result (queries answered, routes at the end); a side whose check fails is
 * reported as failed and gets no ratio.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
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
   * Whether the peer runs it unless asked (`--peer-workloads`): not the grid, where ns-3's RIP
   * (routes in a list, walked for every entry of every update) had not finished a run after 4.5 CPU
   * minutes on the 2-core machine the README table comes from.
   */
  peerByDefault: boolean;
}

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
  },
  {
    name: 'chain-1000-1h',
    what: 'a chain of 1000 RIP routers (FRR timers), 1 h',
    args: ['chain', '--routers', '1000', '--seconds', '3600'],
    targetRatio: 10,
    targetSeconds: null,
    targetRssMiB: null,
    peerByDefault: true,
  },
  {
    name: 'grid-32x32-1h',
    what: 'a 32×32 grid of RIP routers (FRR timers), 1 h',
    args: ['grid', '--rows', '32', '--cols', '32', '--seconds', '3600'],
    targetRatio: null,
    targetSeconds: 15,
    targetRssMiB: 400,
    peerByDefault: false,
  },
];

/** Small versions of the same workloads, for the tests and `--tiny`: seconds each, same checks. */
export const TINY_WORKLOADS: Workload[] = [
  { name: 'anycast-20m', what: "the write-up's lab with anycast, xenial1 halted at 300 s, 20 min", args: ['anycast', '--seconds', '1200', '--halt-at', '300'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true },
  { name: 'chain-40-10m', what: 'a chain of 40 RIP routers, 10 min', args: ['chain', '--routers', '40', '--seconds', '600'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true },
  { name: 'grid-6x6-10m', what: 'a 6×6 grid of RIP routers, 10 min', args: ['grid', '--rows', '6', '--cols', '6', '--seconds', '600'], targetRatio: null, targetSeconds: null, targetRssMiB: null, peerByDefault: true },
];

/** What a side prints (one JSON line), plus what the bench measured from outside. */
export interface SideRun {
  ok: boolean;
  /** Why the run failed its own check, or did not run to the end. */
  failures: string[];
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

/**
 * One run of one side. bash runs the child and then `times`, whose second line is the user and system
 * time of the children it waited for (getrusage RUSAGE_CHILDREN), printed to stderr after the child's.
 */
export function runSide(side: Side, workload: Workload): SideRun {
  const script = '"$@"; status=$?; times >&2; exit $status';
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', side.command, ...side.args, ...workload.args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallSeconds = (performance.now() - t0) / 1000;
  const timesLine = r.stderr.trim().split('\n').pop() ?? '';
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(timesLine);
  if (m === null) throw new Error(`${side.name} ${workload.name}: no CPU times from bash (stderr ends "${timesLine}")`);
  const cpuSeconds = Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
  const failed = (why: string): SideRun => ({ ok: false, failures: [why], events: 0, maxRssMiB: 0, cpuSeconds, wallSeconds, report: {} });
  if (r.status !== 0) return failed(`exit status ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-4, -1).join(' | ')}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return failed(`printed no JSON result (last line "${line.slice(0, 200)}")`);
  }
  const failures = Array.isArray(report.failures) ? report.failures.map(String) : ['no failures list in its result'];
  return { ok: report.ok === true && failures.length === 0, failures, events: Number(report.events), maxRssMiB: Number(report.maxRssMiB), cpuSeconds, wallSeconds, report };
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
}

function sideResult(runs: SideRun[]): SideResult {
  const failures = [...new Set(runs.flatMap((r) => r.failures))];
  const last = runs[runs.length - 1]!;
  return {
    runs,
    ok: runs.every((r) => r.ok),
    failures,
    cpu: stats(runs.map((r) => r.cpuSeconds)),
    wall: stats(runs.map((r) => r.wallSeconds)),
    maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    events: last.events,
    report: last.report,
  };
}

/** Warm-up, then `pairs` pairs ours–peer (ours alone without a peer). */
export function compare(workload: Workload, ours: Side, peer: Side | null, peerAbsent: string, pairs: number, log: (line: string) => void): Comparison {
  log(`${workload.name}: ${workload.what}`);
  runSide(ours, workload);
  if (peer !== null) runSide(peer, workload);
  const oursRuns: SideRun[] = [];
  const peerRuns: SideRun[] = [];
  for (let i = 0; i < pairs; i++) {
    const a = runSide(ours, workload);
    oursRuns.push(a);
    let line = `  pair ${i + 1}: anycast-lab ${a.cpuSeconds.toFixed(2)} s CPU, ${a.wallSeconds.toFixed(2)} s wall${a.ok ? '' : ' (FAILED)'}`;
    if (peer !== null) {
      const b = runSide(peer, workload);
      peerRuns.push(b);
      line += `; ns-3 ${b.cpuSeconds.toFixed(2)} s CPU, ${b.wallSeconds.toFixed(2)} s wall${b.ok ? '' : ' (FAILED)'}; ratio ${(b.cpuSeconds / a.cpuSeconds).toFixed(2)}× CPU`;
    }
    log(line);
  }
  const o = sideResult(oursRuns);
  const p = peer === null ? null : sideResult(peerRuns);
  const both = p !== null && o.ok && p.ok;
  const ratio = (key: 'cpuSeconds' | 'wallSeconds') => (both ? stats(oursRuns.map((r, i) => peerRuns[i]![key] / r[key])).median : null);
  return { workload, ours: o, peer: p, peerAbsent, cpuRatio: ratio('cpuSeconds'), wallRatio: ratio('wallSeconds') };
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  ns3: string | null;
  /** 1-minute load average when the comparison started and ended. */
  loadStart: number;
  loadEnd: number;
}

export function machine(ns3: string | null, loadStart: number): Machine {
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ns3,
    loadStart,
    loadEnd: loadavg()[0]!,
  };
}

const fmt = (s: Stats) => `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

function sideCell(r: SideResult | null, key: 'cpu' | 'wall', absent: string): string {
  if (r === null) return absent;
  return r.ok ? fmt(r[key]) : `FAILED: ${r.failures[0]}`;
}

function targetNote(c: Comparison): string {
  const w = c.workload;
  const notes: string[] = [];
  if (w.targetRatio !== null && c.cpuRatio !== null) notes.push(`ratio ≥ ${w.targetRatio}×: ${c.cpuRatio >= w.targetRatio ? 'met' : 'missed'}`);
  if (w.targetSeconds !== null && c.ours.ok) notes.push(`CPU ≤ ${w.targetSeconds} s: ${c.ours.cpu.median <= w.targetSeconds ? 'met' : 'missed'}`);
  if (w.targetRssMiB !== null && c.ours.ok) notes.push(`peak RSS ≤ ${w.targetRssMiB} MiB: ${c.ours.maxRssMiB <= w.targetRssMiB ? 'met' : 'missed'}`);
  return notes.length === 0 ? '—' : notes.join('; ');
}

/** The markdown speed table of one run (the README's, between its markers). */
export function speedTable(m: Machine, comparisons: Comparison[], pairs: number, alone: string[], peerAbsent: string): string {
  const lines: string[] = [];
  const busy = Math.max(m.loadStart, m.loadEnd) > m.cores / 2;
  lines.push(
    `Measured ${m.date} by \`npm run bench\` on ${m.cpu} (${m.cores} cores, ${m.ramGiB} GiB RAM), Node ${m.node}, ` +
      (m.ns3 === null
        ? `without ns-3 (${peerAbsent}); a warm-up run, then ${pairs} ${pairs === 1 ? 'run' : 'runs'} of each workload, each a whole process. Times: median (min–max). `
        : `ns-3 ${m.ns3} (Debian, g++ -O2); a warm-up run of each side, then ${pairs} ${pairs === 1 ? 'pair' : 'pairs'} run alternately (ours, then ns-3), each run a whole process. ` +
          `Times: median (min–max) over the pairs; the ratio is the median of the per-pair ratios ns-3 / anycast-lab. `) +
      `Load average ${m.loadStart.toFixed(1)} at the start and ${m.loadEnd.toFixed(1)} at the end` +
      (busy ? `: the machine was busy with other work${m.ns3 === null ? '' : ', which weighed on both sides'}.` : '.'),
  );
  lines.push('');
  lines.push('| workload | anycast-lab CPU | ns-3 CPU | ratio (CPU) | anycast-lab wall | ns-3 wall | ratio (wall) | events (ours / ns-3) | peak RSS (ours / ns-3) | targets |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of comparisons) {
    const ratio = (r: number | null) => (r === null ? '—' : `${r.toFixed(1)}×`);
    const events = `${c.ours.events.toLocaleString('en-US')} / ${c.peer === null ? '—' : c.peer.events.toLocaleString('en-US')}`;
    const rss = `${c.ours.maxRssMiB.toFixed(0)} / ${c.peer === null ? '—' : c.peer.maxRssMiB.toFixed(0)} MiB`;
    lines.push(`| ${c.workload.what} | ${sideCell(c.ours, 'cpu', '')} | ${sideCell(c.peer, 'cpu', c.peerAbsent)} | ${ratio(c.cpuRatio)} | ${sideCell(c.ours, 'wall', '')} | ${sideCell(c.peer, 'wall', c.peerAbsent)} | ${ratio(c.wallRatio)} | ${events} | ${rss} | ${targetNote(c)} |`);
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
