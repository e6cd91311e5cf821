/**
 * What the tutorial's try-it panels run: the chapters' own experiments with the settings a reader
 * changed, on a lab given as text, returning plain rows (structured-clonable, so a Web Worker hands
 * them to the page as they are). Nothing here draws: the page draws the rows with lib/plot.
 *
 * Each runner takes its settings as text, as the panel's controls and the page's URL hold them, and
 * reports progress per run through `progress`, so a long run can show how far it got and be stopped.
 */
import type { LabSpec } from '../config/spec';
import { Lab } from '../lab/lab';
import { failoverDistribution, measureFailover, type FailoverDistribution } from '../measure/failover';
import { commonRandomNumbers, failureWindow, monteCarloRun, type MonteCarloPlan } from '../measure/monte-carlo';
import { simulatedFailoverRuns } from '../measure/compare-runs';
import { traceRun, type TracePacket } from '../measure/trace';
import type { RouteChangeRow } from '../lab/route-log';
import { withRipProfile, withRipTimers } from '../config/overrides';
import type { FailoverRun } from '../results/outcome';
import { failoverMeasureRow } from '../sweep/measures';
import { defaultSetup, PARAMETERS, type RunSetup } from '../sweep/parameters';
import type { Row } from '../results/rows';
import { resolverExperiment } from '../measure/lookups';
import type { RipProfileName } from '../proto/rip/params';
import { formatPacketList, packetDetails, packetHexdump, packetRows } from '../lab/capture-view';
import { formatDuration, minutes, ms, parseDuration, seconds, toSeconds, type Duration } from '../sim/time';

/** Called after each run of a multi-run experiment: runs done of runs in all. */
export type Progress = (done: number, total: number) => void;

const noProgress: Progress = () => undefined;

/** A time as the controls hold it (`2m`, `125s`), or an error naming the control. */
export function durationSetting(text: string, what: string): Duration {
  const d = parseDuration(text.trim());
  if (!d.ok) throw new Error(`${what}: ${d.error}`);
  return d.value;
}

function wholeSetting(text: string | number, what: string, min: number, max: number): number {
  const n = typeof text === 'number' ? text : Number(String(text).trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${what}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** The profile control: `lab` keeps each router's own dialect (IOS on r1–r4, FRR on the servers). */
function profileSetting(text: string): RipProfileName | undefined {
  if (text === 'lab' || text === '') return undefined;
  if (text === 'cisco-ios' || text === 'frr') return text;
  throw new Error(`profile: expected lab, cisco-ios or frr, got "${text}"`);
}

/** Runs per panel: a browser tab is not a batch scheduler (the command line's sweep is). */
export const PANEL_MAX_RUNS = 500;

// ---------------------------------------------------------------------------------------------
// Chapter 4: one failure, its probe timeline and phases, then the distribution over failure instants.

export interface FailoverPanelSettings {
  fail: string;
  at: string;
  profile: string;
  timers: string;
  runs: number | string;
  seed: number | string;
}

export interface FailoverPanelResult {
  /** The single run at `at` (chapter 4's "Killing a server"). */
  single: { failure: string; atSeconds: number; outageSeconds: number | null; rows: unknown[]; phases: { phase: string; fromSeconds: number; toSeconds: number; count: number }[]; baseline: { steady: boolean; problems: string[] } };
  /** The distribution over `runs` instants in one update interval after `at` ("Is it always four minutes?"). */
  distribution: FailoverDistribution;
}

export function failoverPanel(lab: LabSpec, s: FailoverPanelSettings, progress: Progress = noProgress): FailoverPanelResult {
  const at = durationSetting(s.at, 'failure instant');
  const runs = wholeSetting(s.runs, 'runs', 1, PANEL_MAX_RUNS);
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const profile = profileSetting(s.profile);
  const timers = s.timers.trim() === '' || s.timers.trim() === 'default' ? undefined : s.timers.trim();
  const common = { ...(profile === undefined ? {} : { profile }), ...(timers === undefined ? {} : { timers }) };
  const one = measureFailover({ lab, fail: s.fail.trim(), at, seed, ...common });
  progress(0, runs);
  const distribution = failoverDistribution({ lab, fail: s.fail.trim(), at, runs, seed, ...common, onRun: progress });
  return {
    single: {
      failure: one.failure,
      atSeconds: toSeconds(one.at),
      outageSeconds: one.outageSeconds,
      rows: one.rows as unknown[],
      phases: one.phases.map((p) => ({ phase: p.phase, fromSeconds: toSeconds(p.from), toSeconds: toSeconds(p.to), count: p.count })),
      baseline: { steady: one.baseline.steady, problems: one.baseline.problems },
    },
    distribution,
  };
}

// ---------------------------------------------------------------------------------------------
// Chapter 1: a ping when the next hop is gone, and a cut cable.

export interface PingPanelSettings {
  failure: string;
  at: string;
  seed: number | string;
}

/** Chapter 1's "When the next hop is gone": xenial3 pings r3's address with a failure injected. */
export function pingPanel(lab: LabSpec, s: PingPanelSettings): { console: string } {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const failures = s.failure.trim() === '' ? [] : [s.failure.trim()];
  const l = new Lab(lab, { seed, failures });
  return { console: `xenial3$ ping -c 3 10.128.7.1\n${l.exec('xenial3', 'ping -c 3 10.128.7.1', { at: durationSetting(s.at, 'ping at') })}` };
}

export interface LinkCutPanelSettings {
  iface: string;
  down: string;
  up: string;
  until: string;
  seed: number | string;
}

export interface RouteRowOut {
  t: number;
  node: string;
  event: string;
  prefix: string;
  nextHop: string | null;
}

/** Chapter 1's "Cutting a link": the cable of `iface` out from `down` to `up`, the routing log of the run. */
export function linkCutPanel(lab: LabSpec, s: LinkCutPanelSettings): { routeRows: RouteRowOut[]; downSeconds: number; upSeconds: number; untilSeconds: number } {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const down = durationSetting(s.down, 'cut at');
  const up = durationSetting(s.up, 'reconnect at');
  const until = durationSetting(s.until, 'run until');
  if (up <= down) throw new Error(`reconnect at (${s.up}) must come after cut at (${s.down})`);
  if (until > minutes(30)) throw new Error(`run until: at most 30m in a page, got ${s.until}`);
  const iface = s.iface.trim();
  const l = new Lab(lab, { seed, failures: [`${iface}:link-down@${formatDuration(down)}`, `${iface}:link-up@${formatDuration(up)}`] });
  l.runUntil(until);
  return {
    routeRows: l.routeLog.rows().map((r) => ({ t: r.t, node: r.node, event: r.event, prefix: r.prefix, nextHop: r.nextHop ?? null })),
    downSeconds: toSeconds(down),
    upSeconds: toSeconds(up),
    untilSeconds: toSeconds(until),
  };
}

/** A cold start of a lab (chapter 1's editor: a pasted config, run): its route log and every router's table. */
export function coldStartPanel(lab: LabSpec, s: { until: string; seed: number | string }): { routeRows: RouteRowOut[]; untilSeconds: number; tables: { node: string; text: string }[] } {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const until = durationSetting(s.until, 'run until');
  if (until > minutes(10)) throw new Error(`run until: at most 10m for a cold start, got ${s.until}`);
  const l = new Lab(lab, { seed });
  l.runUntil(until);
  const routers = lab.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
  return {
    routeRows: l.routeLog.rows().map((r) => ({ t: r.t, node: r.node, event: r.event, prefix: r.prefix, nextHop: r.nextHop ?? null })),
    untilSeconds: toSeconds(until),
    tables: routers.map((node) => ({ node, text: l.exec(node, 'show ip route') })),
  };
}

// ---------------------------------------------------------------------------------------------
// Chapter 6: the inline experiment ("Change this and run again"), and the resolver options.

export interface WhatIfSettings {
  fail: string;
  profile: string;
  at: string;
  runFor: string;
  /** The timers to compare, `;`-separated: `default; 10 60 40; 5 15 10`. */
  timers: string;
  /** `off` or an interval (`2s`); with a check the client probes with DNS (the only probe that sees a stopped named). */
  healthCheck: string;
  runs: number | string;
  seed: number | string;
}

function parameter(setup: RunSetup, name: string, value: unknown): void {
  const p = PARAMETERS[name];
  if (p === undefined) throw new Error(`no parameter ${name}`);
  const parsed = p.parse(value, { baseDir: '' });
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  p.apply(setup, parsed.value);
}

/**
 * Chapter 6's inline experiment, `measure: failover` varying `timers`: the rows `runExperiment` gives
 * for the same object (lib/sweep/measures.ts runJob and FAILOVER_MEASURE.run, on the lab as text),
 * run r drawing the same lab seed and instant at every point (common random numbers).
 */
export function whatIfPanel(lab: LabSpec, s: WhatIfSettings, progress: Progress = noProgress): { rows: Row[]; varied: string } {
  const runs = wholeSetting(s.runs, 'runs', 1, PANEL_MAX_RUNS);
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const values = s.timers.split(';').map((t) => t.trim()).filter((t) => t !== '');
  if (values.length === 0) throw new Error('timers: give one or more values separated by ";", e.g. default; 5 15 10');
  if (values.length * runs > PANEL_MAX_RUNS) throw new Error(`${values.length} timers × ${runs} runs is more than the ${PANEL_MAX_RUNS} runs a page runs: lower the runs, or use anycast-lab sweep`);
  const base = defaultSetup({ name: lab.name, dir: lab.name });
  parameter(base, 'fail', s.fail.trim());
  if (s.profile !== 'lab') parameter(base, 'profile', s.profile);
  parameter(base, 'at', s.at.trim());
  parameter(base, 'runFor', s.runFor.trim());
  parameter(base, 'healthCheck', s.healthCheck.trim());
  if (base.healthCheck !== null) parameter(base, 'probe', 'dns');
  const rows: Row[] = [];
  const total = values.length * runs;
  values.forEach((value, point) => {
    const setup: RunSetup = structuredClone(base);
    parameter(setup, 'timers', value);
    const plan: MonteCarloPlan = { draws: commonRandomNumbers(seed), at: setup.at, window: failureWindow(setup) };
    for (let run = 0; run < runs; run++) {
      rows.push(
        monteCarloRun(plan, run, (trial) => ({ job: point * runs + run, point, run, seed: trial.labSeed, timers: value, ...failoverMeasureRow(setup, trial, lab) })),
      );
      progress(rows.length, total);
    }
  });
  return { rows, varied: 'timers' };
}

export interface ResolverPanelSettings {
  fail: string;
  /** `; `-separated resolv.conf option sets to compare, `-` for none: `-; timeout:1; timeout:1 attempts:1 rotate`. */
  resolvOptions: string;
  at: string;
  seed: number | string;
}

/** Chapter 6's resolver options: xenial3 looks r1 up every 5 s for 5 minutes after the failure, per options set. */
export function resolverPanel(lab: LabSpec, s: ResolverPanelSettings, progress: Progress = noProgress): { rows: Record<string, unknown>[] } {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const sets = s.resolvOptions.split(';').map((t) => t.trim()).filter((t) => t !== '');
  if (sets.length === 0 || sets.length > 6) throw new Error('resolv.conf options: give 1 to 6 sets separated by ";" (- for none)');
  const at = durationSetting(s.at, 'failure instant');
  const rows: Record<string, unknown>[] = [];
  sets.forEach((set, i) => {
    const r = resolverExperiment({ lab, options: {}, client: 'xenial3', name: 'r1', fail: s.fail.trim(), at, interval: seconds(5), count: 60, seed, ...(set === '-' ? {} : { resolvOptions: set }) });
    rows.push({ 'resolv.conf options': set === '-' ? '(none)' : set, failure: s.fail.trim(), 'lookups failed of 60': r.summary.failed, 'median (ms)': r.summary.medianMs, 'max (ms)': r.summary.maxMs, 'lost (s)': r.summary.lostSeconds });
    progress(i + 1, sets.length);
  });
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// Chapter 2: the capture of four lookups, on another seed.

/**
 * Chapter 2's "On the wire" with another seed: the same calls as the notebook (nslookup www.example.com
 * at 60 s, nslookup r1, then four lookups of r1 captured on vboxnet1), the DNS packets as the chapter
 * lists them, the first query's details and hexdump, and the capture as a pcap file.
 */
export function capturePanel(lab: LabSpec, s: { seed: number | string }): { list: string; details: string; hexdump: string; pcap: Uint8Array } {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const l = new Lab(lab, { seed });
  l.exec('xenial3', 'nslookup www.example.com', { at: seconds(60) });
  l.exec('xenial3', 'nslookup r1');
  const capture = l.capture('vboxnet1');
  for (let i = 0; i < 4; i++) l.exec('xenial3', 'nslookup r1');
  capture.stop();
  const rows = packetRows(capture, { filter: (r) => r.protocol === 'DNS' });
  const first = rows[0];
  return { list: formatPacketList(rows), details: first === undefined ? '' : packetDetails(capture, first.no), hexdump: first === undefined ? '' : packetHexdump(capture, first.no), pcap: capture.toPcap() };
}

// ---------------------------------------------------------------------------------------------
// Chapter 7: the simulated failover beside the saved real runs, with other timers or another failure.

export interface RealVsSimSettings {
  /** `xenial1:halt`, `xenial1:ripd-stop`, `xenial1:named-stop` (the DNS probe), `xenial1:drain=10s`. */
  fail: string;
  /** FRR `timers basic`, as the real lab ran them: `5 15 10`. */
  timers: string;
  /** Failure instants are drawn over one update interval from here. */
  settle: string;
  runFor: string;
  /** Update schedules (lab seeds 1, 2, …) and failure instants per schedule: 20 × 5 in the chapter. */
  schedules: number | string;
  instants: number | string;
}

export interface RealVsSimResult {
  runs: FailoverRun[];
  probe: 'ping' | 'dns';
  probeIntervalSeconds: number;
}

/**
 * Chapter 7's "Change this and run again": simulatedFailoverRuns (lib/measure/compare-runs.ts) as
 * the chapter calls it, FRR profile, a ping every 200 ms, or for a stopped named (which still
 * answers pings) a DNS query every 500 ms; the saved real runs it is drawn beside are the page's.
 */
export function realVsSimPanel(lab: LabSpec, s: RealVsSimSettings, progress: Progress = noProgress): RealVsSimResult {
  const schedules = wholeSetting(s.schedules, 'seeds', 1, PANEL_MAX_RUNS);
  const instants = wholeSetting(s.instants, 'instants per seed', 1, PANEL_MAX_RUNS);
  if (schedules * instants > PANEL_MAX_RUNS) throw new Error(`${schedules} seeds × ${instants} instants is more than the ${PANEL_MAX_RUNS} runs a page runs: lower one of them, or use anycast-lab sweep`);
  const runFor = durationSetting(s.runFor, 'run for');
  if (runFor > minutes(10)) throw new Error(`run for: at most 10m in a page, got ${s.runFor}`);
  const fail = s.fail.trim();
  // As the chapter's CASES: only a DNS probe sees a stopped named.
  const probe = /:named-stop$/.test(fail) ? 'dns' : 'ping';
  const probeInterval = probe === 'ping' ? ms(200) : ms(500);
  progress(0, schedules * instants);
  const runs = simulatedFailoverRuns({ lab, fail, probe, probeInterval, timers: s.timers.trim(), settle: durationSetting(s.settle, 'settle'), runFor, schedules, instants });
  progress(runs.length, runs.length);
  return { runs, probe, probeIntervalSeconds: toSeconds(probeInterval) };
}

export interface WithdrawalSettings {
  /** The failure, `xenial1:drain=10s` in the chapter. */
  fail: string;
  at: string;
  /** FRR `timers basic`, or `default` for the lab's own (FRR's defaults, as the chapter's ladder). */
  timers: string;
  /** How long to follow the run after the failure, looking for the far server's first reply. */
  runFor: string;
  seed: number | string;
}

export interface WithdrawalResult {
  /** Every frame from the failure on (lib/measure/trace.ts traceRun), and the routing log's changes. */
  packets: TracePacket[];
  routeChanges: RouteChangeRow[];
  atSeconds: number;
}

/**
 * Chapter 7's withdrawal, one run frame by frame: the chapter's traceRun call (FRR profile, a ping
 * every second from xenial3) with the failure, instant, timers and seed a reader chose. The page
 * picks from the frames what the chapter's ladder shows.
 */
export function withdrawalPanel(lab: LabSpec, s: WithdrawalSettings): WithdrawalResult {
  const seed = wholeSetting(s.seed, 'seed', 0, 2 ** 31 - 1);
  const at = durationSetting(s.at, 'at');
  const runFor = durationSetting(s.runFor, 'run for');
  if (runFor > minutes(10)) throw new Error(`run for: at most 10m in a page, got ${s.runFor}`);
  const timers = s.timers.trim();
  const frr = withRipProfile(lab, 'frr');
  const spec = timers === '' || timers === 'default' ? frr : withRipTimers(frr, timers);
  const trace = traceRun({ lab: spec, seed, failures: [`${s.fail.trim()}@${formatDuration(at)}`], until: at + runFor, from: at, probe: { kind: 'ping', interval: seconds(1) } });
  return { packets: trace.packets, routeChanges: trace.routeChanges, atSeconds: toSeconds(at) };
}
