/**
 * Measures: the kinds of measurement an experiment may name (`MEASURES`), each with its row columns
 * and one run, and how a job of an experiment runs (`runJob`).
 *
 * - `failover`: a client probes the anycast address while a server fails: outage, phases, RIP cost.
 * - `lookups`: a client's resolver after the failure: latency, failures, service time lost.
 * - `clients-move`: which server a client reaches before and after, how far, how long it lost the service.
 *
 * A job is run r of one point: its lab seed and failure instant come from the Monte Carlo engine
 * (lib/measure/monte-carlo.ts) under common random numbers, so run r draws the same at every point.
 */
import { minutes, toSeconds } from '../sim/time';
import { failoverRun, failoverWindow, labSpec, labSpecKey, type FailoverOptions } from '../measure/failover';
import { commonRandomNumbers, monteCarloRun, type Trial } from '../measure/monte-carlo';
import type { LabSpec } from '../config/spec';
import type { RunSetup } from './parameters';
import type { Experiment } from './experiment';

import type { Row } from '../results/rows';
export type { CellValue, Row } from '../results/rows';
export type ColumnKind = 'int' | 'number' | 'text' | 'bool';
export type ColumnUnit = 's' | 'ms' | 'B/s' | 'packets/s';

export interface Column {
  name: string;
  kind: ColumnKind;
  doc: string;
  /**
   * What one unit of the value is (`s`, `ms`, `B/s`, `packets/s`); absent for counts, names and flags.
   * A column with a unit also ends its name with it (`outageSeconds`, `medianMs`), so a CSV read
   * without the meta file still says it.
   */
  unit?: ColumnUnit;
  /** The summary table reports this column's mean per point (costs such as routing traffic). */
  mean?: boolean;
}

/** A kind of measurement: its columns (beyond job, point, run, seed and the varied parameters) and one run. */
export interface Measure {
  name: string;
  doc: string;
  columns: readonly Column[];
  /**
   * The column the summary reports per point as min/median/p90/max; a null in it counts as
   * unrecovered (a run that never got the service back).
   */
  summaryColumn: string;
  /**
   * A text column that, when filled, says why the run's premise failed (failover: the baseline
   * before the failure was not steady): the summary counts such runs as `unsteady`, not as unrecovered.
   */
  premiseColumn?: string;
  /** The lab options a run loads its lab with: the point's, or the measure's default. */
  labOptions(setup: RunSetup): Record<string, boolean>;
  /** One run of the point `setup`: on the trial's lab seed, its failure at the trial's instant. */
  run(setup: RunSetup, trial: Trial): Row;
}

/** failover and clients-move: the point's options, or anycast on (the write-up's set-up). */
const anycastUnlessSet = (setup: RunSetup): Record<string, boolean> => setup.options ?? { do_anycast: true };

/** RIP is counted from here (the boot's requests and first updates are over) to the failure. */
const RIP_TRAFFIC_FROM = minutes(1);

/**
 * The fail-over options a setup gives, without the failure instant and the lab seed (the trial's):
 * the sweep's failover measure and the command line's `failover` (lib/cli/main.ts) build them here,
 * from the same parsed parameters.
 */
export function failoverOptionsOf(setup: RunSetup): Omit<FailoverOptions, 'at' | 'until' | 'probeFrom' | 'seed'> {
  return {
    lab: setup.lab.dir,
    options: anycastUnlessSet(setup),
    ...(setup.frrVersion === null ? {} : { frrVersion: setup.frrVersion }),
    fail: setup.fail,
    client: setup.client,
    target: setup.target,
    probeInterval: setup.probeInterval,
    ...(setup.profile === null ? {} : { profile: setup.profile }),
    ...(setup.bindProfile === null ? {} : { bindProfile: setup.bindProfile }),
    probe: setup.probe,
    healthCheck: setup.healthCheck,
    ...(setup.timers === null ? {} : { timers: setup.timers }),
    ...(setup.iosPoison === null ? {} : { iosPoison: setup.iosPoison }),
    ...(setup.change.length === 0 ? {} : { changes: setup.change }),
  };
}

const FAILOVER_MEASURE: Measure = {
  name: 'failover',
  doc: 'the client probes the target (ping or DNS) while `fail` happens at a drawn instant: outage, its phases, RIP cost (lib/measure/failover.ts)',
  columns: [
    { name: 'failureAtSeconds', kind: 'number', unit: 's', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'outageSeconds', kind: 'number', unit: 's', doc: 'last reply before → first reply after the failure (s); empty if no reply came back before the run ended' },
    { name: 'silentSeconds', kind: 'number', unit: 's', doc: 'time after the failure with probes unanswered (s)' },
    { name: 'unreachableSeconds', kind: 'number', unit: 's', doc: 'time after the failure with ICMP unreachable answers (s)' },
    { name: 'ripBytesPerSecond', kind: 'number', unit: 'B/s', doc: 'RIP frame bytes per second on the busiest link, from 1 min after boot to the failure: the cost in normal operation', mean: true },
    { name: 'ripPacketsPerSecond', kind: 'number', unit: 'packets/s', doc: 'RIP packets per second on that link', mean: true },
    { name: 'unsteady', kind: 'text', doc: 'empty when the service was steady before the failure; else why not (then outageSeconds is empty: no outage is read from a flapping baseline)' },
  ],
  summaryColumn: 'outageSeconds',
  premiseColumn: 'unsteady',
  labOptions: anycastUnlessSet,
  run: (setup, trial) => failoverMeasureRow(setup, trial),
};

/**
 * The failover measure's columns for one trial of a setup. `lab` is the setup's lab folder, or a
 * lab already loaded from text (the live pages, lib/web/runs.ts), which gives the same row.
 */
export function failoverMeasureRow(setup: RunSetup, { at, labSeed, run }: Trial, lab: FailoverOptions['lab'] = setup.lab.dir): Row {
  const r = failoverRun({ ...failoverOptionsOf(setup), lab, seed: labSeed, ...(at > RIP_TRAFFIC_FROM ? { ripTrafficFrom: RIP_TRAFFIC_FROM } : {}) }, at, setup.runFor, run);
  const link = r.busiestRipLink;
  return { failureAtSeconds: toSeconds(at), outageSeconds: r.outageSeconds, silentSeconds: r.silentSeconds, unreachableSeconds: r.unreachableSeconds, ripBytesPerSecond: link?.bytesPerSecond ?? null, ripPacketsPerSecond: link?.packetsPerSecond ?? null, unsteady: r.unsteady ?? null };
}

const LOOKUPS_MEASURE: Measure = {
  name: 'lookups',
  doc: "the client looks `name` up every lookupInterval from the failure on, through its resolver and resolv.conf; the run's summary (lib/measure/lookups.ts resolverExperiment)",
  columns: [
    { name: 'failureAtSeconds', kind: 'number', unit: 's', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'failed', kind: 'int', doc: 'lookups that got no address', mean: true },
    { name: 'medianMs', kind: 'number', unit: 'ms', doc: 'median lookup latency (ms)' },
    { name: 'p95Ms', kind: 'number', unit: 'ms', doc: '95th percentile latency (ms)' },
    { name: 'maxMs', kind: 'number', unit: 'ms', doc: 'slowest lookup (ms)' },
    { name: 'baselineMs', kind: 'number', unit: 'ms', doc: 'median latency of the same lookups without the failure (ms)' },
    { name: 'lostSeconds', kind: 'number', unit: 's', doc: 'service time lost: the sum of what each lookup took beyond the baseline (s)' },
  ],
  summaryColumn: 'lostSeconds',
  // The lab's own defaults: anycast off, the servers' own addresses in resolv.conf.
  labOptions: (setup) => setup.options ?? {},
  run(setup, { at, labSeed }) {
    // Loaded when a lookups experiment runs: a failover sweep's workers never load the resolver experiment.
    const { resolverExperiment } = require('../measure/lookups') as typeof import('../measure/lookups');
    const r = resolverExperiment({
      lab: setup.lab.dir,
      options: LOOKUPS_MEASURE.labOptions(setup),
      ...(setup.frrVersion === null ? {} : { frrVersion: setup.frrVersion }),
      client: setup.client,
      resolver: setup.resolver,
      rotation: setup.rotation,
      ...(setup.resolvOptions === null ? {} : { resolvOptions: setup.resolvOptions }),
      ...(setup.resolvConf === null ? {} : { resolvConf: setup.resolvConf }),
      name: setup.name,
      fail: setup.fail,
      at,
      interval: setup.lookupInterval,
      count: setup.lookups,
      seed: labSeed,
    });
    const s = r.summary;
    return { failureAtSeconds: toSeconds(at), failed: s.failed, medianMs: s.medianMs, p95Ms: s.p95Ms, maxMs: s.maxMs, baselineMs: s.baselineMs, lostSeconds: s.lostSeconds };
  },
};

const CLIENTS_MOVE_MEASURE: Measure = {
  name: 'clients-move',
  doc: 'which server answers the client before and after the failure, how many routers away, and its outage (lib/measure/moves.ts clientMoves); vary client for one row per client',
  columns: [
    { name: 'failureAtSeconds', kind: 'number', unit: 's', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'before', kind: 'text', doc: 'the server answering `nslookup test` before the failure (empty: none)' },
    { name: 'after', kind: 'text', doc: 'the same at the end of the run (empty: none)' },
    { name: 'moved', kind: 'bool', doc: 'another server answers after the failure' },
    { name: 'hopsBefore', kind: 'int', doc: 'routers between the client and the server answering its pings before' },
    { name: 'hopsAfter', kind: 'int', doc: 'the same after' },
    { name: 'outageSeconds', kind: 'number', unit: 's', doc: "the client's outage (s): 0 if no ping went unanswered, empty if it never recovered" },
  ],
  summaryColumn: 'outageSeconds',
  labOptions: anycastUnlessSet,
  run(setup, { at, labSeed }) {
    const { clientMoves } = require('../measure/moves') as typeof import('../measure/moves');
    const [row] = clientMoves({ lab: setup.lab.dir, options: anycastUnlessSet(setup), ...(setup.frrVersion === null ? {} : { frrVersion: setup.frrVersion }), fail: setup.fail, at, until: at + setup.runFor, clients: [setup.client], target: setup.target, seed: labSeed });
    const r = row!;
    return { failureAtSeconds: toSeconds(at), before: r.before ?? '', after: r.after ?? '', moved: r.before !== r.after, hopsBefore: r.hopsBefore, hopsAfter: r.hopsAfter, outageSeconds: r.outageSeconds };
  },
};

/** Every kind of measurement an experiment may name. */
export const MEASURES: Readonly<Record<string, Measure>> = { failover: FAILOVER_MEASURE, lookups: LOOKUPS_MEASURE, 'clients-move': CLIENTS_MOVE_MEASURE };

/** Columns every row starts with. */
export const JOB_COLUMNS: readonly Column[] = [
  { name: 'job', kind: 'int', doc: 'point × runs + run: the row order' },
  { name: 'point', kind: 'int', doc: 'index of the parameter point' },
  { name: 'run', kind: 'int', doc: 'repetition; the same run number has the same draws at every point' },
  { name: 'seed', kind: 'int', doc: 'the lab seed of this run' },
];

/** Job `job`'s point and run: point = job ÷ runs, run = job mod runs. */
export function jobOf(e: Pick<Experiment, 'runs'>, job: number): { point: number; run: number } {
  return { point: Math.floor(job / e.runs), run: job % e.runs };
}

/**
 * The window a point's failure instants are drawn over: its `window`, else one RIP update interval of
 * the lab as the point runs it (lib/measure/failover.ts failoverWindow: the speakers' own `timers
 * basic` lines, with the point's `profile` and `timers` applied), as `failover --runs` draws them.
 */
function jobWindow(setup: RunSetup, measure: Measure): number {
  return failoverWindow({
    lab: setup.lab.dir,
    options: measure.labOptions(setup),
    window: setup.window,
    ...(setup.frrVersion === null ? {} : { frrVersion: setup.frrVersion }),
    ...(setup.profile === null ? {} : { profile: setup.profile }),
    ...(setup.timers === null ? {} : { timers: setup.timers }),
  });
}

/**
 * The labs an experiment's failover jobs run on, loaded (`labSpecKey` → spec), for a worker thread to
 * be given with the experiment (lib/measure/failover.ts provideLabSpecs): parsed once in the main
 * thread, where the experiment was checked against them, instead of once in every worker. Other
 * measures load their labs themselves: none.
 */
export function jobLabSpecs(e: Experiment): [string, LabSpec][] {
  if (e.measure !== 'failover') return [];
  const out = new Map<string, LabSpec>();
  for (const { setup } of e.points) {
    const options = FAILOVER_MEASURE.labOptions(setup);
    const frrVersion = setup.frrVersion ?? undefined;
    const key = labSpecKey(setup.lab.dir, options, frrVersion);
    if (!out.has(key)) out.set(key, labSpec(setup.lab.dir, options, frrVersion));
  }
  return [...out];
}

/** Runs job `job` and returns its row: run r of its point, through the Monte Carlo engine's common random numbers. */
export function runJob(e: Experiment, job: number): Row {
  const { point: index, run } = jobOf(e, job);
  const point = e.points[index];
  if (point === undefined) throw new RangeError(`job ${job}: the experiment has ${e.points.length * e.runs} jobs`);
  const measure = MEASURES[e.measure]!;
  const plan = { draws: commonRandomNumbers(e.seed), at: point.setup.at, window: jobWindow(point.setup, measure) };
  const { labSeed, measured } = monteCarloRun(plan, run, (trial) => ({ labSeed: trial.labSeed, measured: measure.run(point.setup, trial) }));
  const row: Row = { job, point: point.index, run, seed: labSeed, ...point.values };
  for (const c of e.columns) if (!(c.name in row)) row[c.name] = measured[c.name] ?? null;
  return row;
}
