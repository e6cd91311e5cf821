/**
 * The simulator's failover experiment (lib/measure/failover.ts) on the real lab, in real time: for each
 * run a fresh lab (`up`), RIP left to converge, a ping probe from the client to the anycast address,
 * the failure at an instant drawn uniformly over one RIP update interval after the settling time,
 * the probe run to its end, the lab torn down (`down`). Rows and summary are the simulator's
 * (FailoverRun, outageSummary), so the two sit side by side.
 *
 * Real time makes the defaults long (30 s updates, 180 s timeout): the runs use FRR `timers basic
 * 5 15 10` unless told otherwise, and the simulator is compared with the same timers.
 */
import { Rng } from '../sim/rng';
import { ms, seconds, toSeconds, toMs, type Duration, type SimTime } from '../sim/time';
import { failoverOutcome, failoverRunRow, outageSummary, type FailoverPhase, type FailoverRun } from '../results/outcome';
import type { DnsProbeRow, PingRow } from '../results/probes';
import { serversByZoneAnswer } from '../config/node-dns';
import { FRR } from '../proto/rip/params';
import { realUp, realDown, REAL_RIP_TIMERS, type RealLab } from './lab';
import { failReal, parseRealFailure } from './failures';
import { frrTimers } from './daemons';
import { startRealDnsProbe, startRealPing } from './probes';
import { realVersions, ripTimerStatus, waitForConvergence, type RealVersions } from './observe';
import { assertClean } from './teardown';
import { RealLabError } from './system';

/**
 * What ripd runs with no `timers basic` line (the lab's own configurations): FRR's defaults, the
 * simulator's FRR profile (RIP_UPDATE_TIMER_DEFAULT 30, RIP_TIMEOUT_TIMER_DEFAULT 180,
 * RIP_GARBAGE_TIMER_DEFAULT 120).
 */
const FRR_DEFAULT_TIMERS = `${toSeconds(FRR.timers.update)} ${toSeconds(FRR.timers.invalid)} ${toSeconds(FRR.timers.garbage ?? 0)}`;

export interface RealFailoverOptions {
  labDir: string;
  /** @defaultValue `{ do_anycast: true }` */
  options?: Record<string, boolean>;
  /** The release FRR files without a `frr version` line are read as (`RealUpOptions.frrVersion`). @defaultValue the lab's */
  frrVersion?: string;
  /** The failure without a time, e.g. `xenial1:halt`. */
  fail: string;
  /** @defaultValue 5 */
  runs?: number;
  /** @defaultValue 'xenial3' */
  client?: string;
  /** @defaultValue '10.128.224.2' */
  target?: string;
  /**
   * FRR `timers basic` for every ripd, or null for each configuration's own (the anycast lab's have
   * none: FRR's defaults 30 180 120). @defaultValue REAL_RIP_TIMERS ("5 15 10")
   */
  ripTimers?: string | null;
  /**
   * `ping`: echo requests (the near and far servers told apart by TTL); `dns`: `dig +tries=1
   * +time=1 @target test` (told apart by the answer: each server's zone has its own `test`), the one
   * probe that sees a stopped named. @defaultValue 'ping'
   */
  probe?: 'ping' | 'dns';
  /** @defaultValue 200 ms for ping, 500 ms for dns (one dig process per query) */
  probeInterval?: Duration;
  /** Time after `up` before the failure window opens (RIP converged and steady). @defaultValue 4 updates */
  settle?: Duration;
  /** Each run's probe goes on this long after the failure. @defaultValue timeout + garbage + 3 updates */
  runFor?: Duration;
  /** Seed of the failure instants. @defaultValue 1 */
  seed?: number;
  stateFile?: string;
  progress?: (line: string) => void;
}

export interface RealFailoverRunRecord extends FailoverRun {
  probe: 'ping' | 'dns';
  /** How long `up` took (lab time of its last daemon start, seconds). */
  upSeconds: number;
  /** When RIP was first seen converged after `up` (lab time, seconds), or null. */
  convergedSeconds: number | null;
  /** The near server's TTL (ping) or name (dns). */
  near: number | string | null;
  phases: { phase: FailoverPhase['phase']; from: number; to: number; count: number }[];
  rows: (PingRow | DnsProbeRow)[];
}

/** A saved set of real failover runs: the rows plus everything needed to know what they ran on. */
export interface RealFailoverRecord {
  kind: 'real-failover';
  lab: string;
  fail: string;
  probe: 'ping' | 'dns';
  client: string;
  target: string;
  /** FRR `timers basic` as run (with `lab`: FRR's defaults, what r1's ripd reported in `ripStatus`). */
  ripTimers: string;
  /** `--timers lab`: the configurations' own timers ran, not a `timers basic` line of ours. */
  labTimers: boolean;
  /** r1's `show ip rip status` timer lines in the first run: the timers ripd actually ran. */
  ripStatus: string;
  probeIntervalSeconds: number;
  settleSeconds: number;
  windowSeconds: number;
  runForSeconds: number;
  seed: number;
  date: string;
  versions: RealVersions;
  runs: RealFailoverRunRecord[];
  min: number | null;
  median: number | null;
  max: number | null;
  unrecovered: number;
  /** Runs whose baseline before the failure was not steady (lib/results/outcome.ts baselineProblems): no outage read from them. */
  unsteady: number;
}

/** Runs the experiment `runs` times, each in a fresh lab; never leaves a lab up, even on error. */
export async function realFailover(o: RealFailoverOptions): Promise<RealFailoverRecord> {
  const runs = o.runs ?? 5;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RealLabError(`runs: expected a whole number ≥ 1, got ${runs}`);
  const failure = parseRealFailure(o.fail);
  const labTimers = o.ripTimers === null;
  const timersText = o.ripTimers === null ? FRR_DEFAULT_TIMERS : (o.ripTimers ?? REAL_RIP_TIMERS);
  const timers = frrTimers(timersText);
  const probe = o.probe ?? 'ping';
  const interval = o.probeInterval ?? (probe === 'ping' ? ms(200) : ms(500));
  const settle = o.settle ?? 4 * timers.update;
  const window = timers.update;
  const runFor = o.runFor ?? timers.timeout + timers.garbage + 3 * timers.update;
  const client = o.client ?? 'xenial3';
  const target = o.target ?? '10.128.224.2';
  const seed = o.seed ?? 1;
  const progress = o.progress ?? (() => {});
  const rng = Rng.fromSeed(seed).fork(`real-failover/${o.fail}`);
  const versions = realVersions();
  const records: RealFailoverRunRecord[] = [];
  let labName = '';
  let ripStatus = '';
  for (let run = 0; run < runs; run++) {
    const offset = settle + Math.floor(rng.uniform(0, window));
    const lab: RealLab = realUp({ labDir: o.labDir, options: o.options ?? { do_anycast: true }, ...(o.frrVersion === undefined ? {} : { frrVersion: o.frrVersion }), ripTimers: labTimers ? null : timersText, ...(o.stateFile === undefined ? {} : { stateFile: o.stateFile }) });
    labName = lab.state.lab;
    try {
      const converged = waitForConvergence(lab, toMs(settle));
      // The probe watches the baseline as the simulated failover's does (lib/measure/failover.ts: from
      // 20 s before the failure), but not before RIP was seen converged: its rows before the failure
      // are the premise check (lib/results/outcome.ts baselineProblems), and a probe lost while the lab
      // was still coming up would fail it for the wrong reason.
      const probeFrom = Math.max(offset - seconds(20), labNow(lab));
      await sleepUntil(lab, probeFrom);
      const count = Math.ceil((offset + runFor - probeFrom) / interval);
      const servers = probe === 'dns' ? serversByZoneAnswer(lab.spec, 'test') : {};
      const running = probe === 'ping' ? startRealPing(lab, { client, target, interval, count }) : startRealDnsProbe(lab, { client, target, interval, count, servers });
      if (run === 0) ripStatus = ripTimerStatus(lab, 'r1');
      await sleepUntil(lab, offset);
      const startedAt = labNow(lab);
      failReal(lab, failure);
      // The failure's instant is when it is complete (a halted node's links are down): a probe sent
      // before then may still be answered. A drain's is the withdrawal, as in the simulator
      // (lib/lab/lab.ts): failReal returns only after the halt that follows it.
      const at: SimTime = failure.mode === 'drain' ? startedAt : labNow(lab);
      const rows = await running.done;
      const outcome = failoverOutcome(rows, at);
      const row = failoverRunRow(run, { at, ...outcome }, interval);
      records.push({ ...row, probe, upSeconds: ((lab.state.upAtMs ?? lab.state.startedAtMs) - lab.state.startedAtMs) / 1000, convergedSeconds: converged === null ? null : toSeconds(converged), near: outcome.near, phases: outcome.phases.map((p) => ({ phase: p.phase, from: toSeconds(p.from), to: toSeconds(p.to), count: p.count })), rows });
      progress(`run ${run + 1}/${runs}: ${o.fail} at ${toSeconds(at).toFixed(1)} s, converged at ${converged === null ? '-' : toSeconds(converged).toFixed(1)} s, outage ${row.unsteady !== undefined ? `not measured (baseline not steady: ${row.unsteady})` : row.outageSeconds === null ? 'none recovered' : `${row.outageSeconds.toFixed(1)} s`}`);
    } finally {
      const report = realDown(lab.stateFile);
      if (report !== null) assertClean(report);
    }
  }
  return {
    kind: 'real-failover',
    lab: labName,
    fail: o.fail,
    probe,
    client,
    target,
    ripTimers: timersText,
    labTimers,
    ripStatus,
    probeIntervalSeconds: toSeconds(interval),
    settleSeconds: toSeconds(settle),
    windowSeconds: toSeconds(window),
    runForSeconds: toSeconds(runFor),
    seed,
    date: new Date().toISOString(),
    versions,
    runs: records,
    ...outageSummary(records),
  };
}

/** Lab time now: µs since the lab's `up` started. */
function labNow(lab: RealLab): SimTime {
  return Math.round((Date.now() - lab.state.startedAtMs) * 1000);
}

/** Waits until `t` lab time (µs since the lab's `up` started), letting probes run; at once if that is past. */
function sleepUntil(lab: RealLab, t: SimTime): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, lab.state.startedAtMs + t / 1000 - Date.now())));
}
