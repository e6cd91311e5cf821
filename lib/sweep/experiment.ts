/**
 * Experiments as data: a YAML file (usually beside the lab, `data/labs/<lab>/experiments/*.yml`) that
 * says which lab to run, what to measure, a baseline, which parameters to vary, how many
 * repetitions, the seed and the columns to record. `lib/sweep/sweep.ts` runs it.
 *
 * ```yaml
 * name: timers-and-probes
 * lab: anycast                   # a folder relative to this file, or a lab under data/labs/
 * measure: failover
 * baseline: { fail: xenial1:halt, at: 2m, runFor: 10m }
 * vary:                          # the full grid of these lists
 *   profile: [cisco-ios, frr]
 * zip:                           # optional: lists of one length, varied together (one more axis)
 *   probeInterval: [1s, 5s]
 *   window: [30s, 60s]
 * runs: 100                      # repetitions per point
 * seed: 1
 * record: [failureAt, outage]    # measurement columns to keep (default: all)
 * ```
 *
 * Measures (`MEASURES`): `failover` (a client probes the anycast address while a server fails:
 * outage, phases, RIP cost), `lookups` (a client's resolver after the failure: latency, failures,
 * service time lost), `clients-move` (which server a client reaches before and after, how far, how
 * long it lost the service). Each run gives one row.
 *
 * Every parameter has one entry in `PARAMETERS` (name, doc, parse, format, apply, the measures that
 * read it): adding a what-if is adding an entry. Parsed experiments are plain data
 * (structured-clonable), so worker threads receive them as they are.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, minutes, parseDuration, seconds, toSeconds } from '../sim/time';
import { Rng } from '../sim/rng';
import { tryParseIpv4 } from '../wire/addr';
import { RIP_PROFILES, type RipProfileName } from '../proto/rip/params';
import { BIND_PROFILES, type BindProfileName } from '../proto/dns/server';
import { RESOLVER_PRESETS, type GlibcRotation, type ResolverPresetName } from '../proto/dns/resolver';
import { Problems } from '../config/errors';
import { parseFailure } from '../config/failures';
import { failoverRun } from '../measure/failover';
import type { HealthCheckOptions } from '../measure/health-check';
import { parseRipTimers, type IosPoisonReading } from '../lab/routing';
import { resolverExperiment } from '../measure/lookups';
import { clientMoves } from '../measure/moves';
import { labPath } from '../config/paths';
import type { Row } from '../results/rows';

/** Everything one run needs; each parameter sets part of it. Plain data. */
export interface RunSetup {
  /** The lab as written in the experiment (rows show this) and the folder it resolved to. */
  lab: { name: string; dir: string };
  /** Lab options; null: the measure's default (anycast on for failover and clients-move, off for lookups). */
  options: Record<string, boolean> | null;
  profile: RipProfileName | null;
  bindProfile: BindProfileName | null;
  /** The failure without its time, e.g. `xenial1:halt`. */
  fail: string;
  /** Start of the window the failure instant is drawn from. */
  at: SimTime;
  /** Failure instants are drawn uniformly in [at, at + window); null: one update interval of the RIP timers in force. */
  window: Duration | null;
  runFor: Duration;
  probeInterval: Duration;
  client: string;
  target: string;
  /** failover: how the client probes, a health check on every anycast server, `timers basic` on every RIP speaker, IOS's poison reading. */
  probe: 'ping' | 'dns';
  healthCheck: HealthCheckOptions | null;
  timers: string | null;
  iosPoison: IosPoisonReading | null;
  /** lookups: the stub resolver, glibc's rotate model, resolv.conf options or whole text, the name, the schedule. */
  resolver: ResolverPresetName;
  rotation: GlibcRotation;
  resolvOptions: string | null;
  resolvConf: string | null;
  name: string;
  lookupInterval: Duration;
  lookups: number;
}

const DEFAULT_SETUP: Omit<RunSetup, 'lab'> = {
  options: null,
  profile: null,
  bindProfile: null,
  fail: 'xenial1:halt',
  at: minutes(2),
  window: null,
  runFor: minutes(10),
  probeInterval: seconds(1),
  client: 'xenial3',
  target: '10.128.224.2',
  probe: 'ping',
  healthCheck: null,
  timers: null,
  iosPoison: null,
  resolver: 'glibc',
  rotation: 'glibc-2.23',
  resolvOptions: null,
  resolvConf: null,
  name: 'r1',
  lookupInterval: seconds(1),
  lookups: 60,
};

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

interface ParseContext {
  /** Folder of the experiment file (labs are looked up relative to it first). */
  baseDir: string;
}

/** One what-if knob. `parse` gets the YAML value (already converted to JS) and says what it expected. */
export interface Parameter<T> {
  name: string;
  doc: string;
  parse(value: unknown, ctx: ParseContext): Parsed<T>;
  /** The value as a row cell and in point labels: one line, as the experiment file writes it. */
  format(value: T): string;
  apply(setup: RunSetup, value: T): void;
  /** The measures that read it. @defaultValue every measure */
  measures?: readonly string[];
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
const shown = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

function durationParameter(name: keyof RunSetup & ('at' | 'window' | 'runFor' | 'probeInterval' | 'lookupInterval'), doc: string, positive: boolean, measures?: readonly string[]): Parameter<Duration> {
  return {
    name,
    doc,
    ...(measures === undefined ? {} : { measures }),
    parse(v) {
      if (typeof v !== 'string') return fail(`expected a duration with its unit, e.g. 30s or 2m, got ${shown(v)}`);
      const d = parseDuration(v);
      if (!d.ok) return fail(d.error);
      if (positive && d.value <= 0) return fail(`must be longer than 0s, got "${v}"`);
      return ok(d.value);
    },
    format: formatDuration,
    apply(setup, value) {
      setup[name] = value;
    },
  };
}

function choiceParameter<K extends string>(name: string, doc: string, choices: readonly K[], apply: (setup: RunSetup, value: K) => void, measures?: readonly string[]): Parameter<K> {
  return {
    name,
    doc,
    ...(measures === undefined ? {} : { measures }),
    parse: (v) => (typeof v === 'string' && (choices as readonly string[]).includes(v) ? ok(v as K) : fail(`expected one of ${choices.join(', ')}, got ${shown(v)}`)),
    format: (v) => v,
    apply,
  };
}

function resolveLab(name: string, baseDir: string): string | null {
  for (const dir of [resolve(baseDir, name), labPath(name)]) if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  return null;
}

const LAB_PARAMETER: Parameter<{ name: string; dir: string }> = {
  name: 'lab',
  doc: 'the lab: a folder relative to the experiment file, or the name of one under data/labs/',
  parse(v, ctx) {
    if (typeof v !== 'string' || v === '') return fail(`expected a lab folder or name, got ${shown(v)}`);
    const dir = resolveLab(v, ctx.baseDir);
    return dir === null ? fail(`no lab folder "${v}" (looked at ${resolve(ctx.baseDir, v)} and ${labPath(v)})`) : ok({ name: v, dir });
  },
  format: (v) => v.name,
  apply(setup, value) {
    setup.lab = value;
  },
};

function textParameter(name: 'client' | 'target' | 'name', doc: string, check: (v: string) => string | null, measures?: readonly string[]): Parameter<string> {
  return {
    name,
    doc,
    ...(measures === undefined ? {} : { measures }),
    parse(v) {
      if (typeof v !== 'string') return fail(`expected text, got ${shown(v)}`);
      const error = check(v);
      return error === null ? ok(v) : fail(error);
    },
    format: (v) => v,
    apply(setup, value) {
      setup[name] = value;
    },
  };
}

/** A resolv.conf override: text, or `default` (the client's own file, as its setup script wrote it). */
function resolvParameter(name: 'resolvOptions' | 'resolvConf', doc: string): Parameter<string | null> {
  return {
    name,
    doc: `${doc}; default: the client's own`,
    measures: LOOKUPS_ONLY,
    parse: (v) => (v === 'default' ? ok(null) : typeof v === 'string' ? ok(v) : fail(`expected text or default, got ${shown(v)}`)),
    // Row cells are one line: a whole file shows as its lines joined by " | ".
    format: (v) => (v === null ? 'default' : v.trim().split(/\s*\n\s*/).join(' | ')),
    apply(setup, value) {
      setup[name] = value;
    },
  };
}

const FAILOVER_ONLY = ['failover'];
const LOOKUPS_ONLY = ['lookups'];
const PROBING = ['failover', 'clients-move'];

const HEALTH_CHECK_KEYS = ['interval', 'timeout', 'fall', 'rise'];

/** `off`, an interval (`2s`), or `{ interval, timeout, fall, rise }` (lib/lab/health-check.ts). */
const HEALTH_CHECK_PARAMETER: Parameter<HealthCheckOptions | null> = {
  name: 'healthCheck',
  doc: 'a health check on every anycast server taking lo:0 down when named stops answering: off, an interval (2s), or { interval, timeout, fall, rise }',
  measures: ['failover'],
  parse(v) {
    if (v === 'off') return ok(null);
    const fields: Record<string, unknown> = typeof v === 'string' ? { interval: v } : typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    if (Object.keys(fields).length === 0) return fail(`expected off, an interval such as 2s, or { interval, timeout, fall, rise }, got ${shown(v)}`);
    const check: HealthCheckOptions = {};
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'interval' || key === 'timeout') {
        const d = typeof value === 'string' ? parseDuration(value) : null;
        if (d === null || !d.ok || d.value <= 0) return fail(`${key}: expected a duration longer than 0s, e.g. 2s, got ${shown(value)}`);
        check[key] = d.value;
      } else if (key === 'fall' || key === 'rise') {
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) return fail(`${key}: expected a whole number ≥ 1, got ${shown(value)}`);
        check[key] = value;
      } else return fail(`unknown key "${key}"; expected ${HEALTH_CHECK_KEYS.join(', ')}`);
    }
    return ok(check);
  },
  format(v) {
    if (v === null) return 'off';
    const words = [v.interval === undefined ? 'every 2s' : formatDuration(v.interval)];
    if (v.timeout !== undefined) words.push(`timeout=${formatDuration(v.timeout)}`);
    if (v.fall !== undefined) words.push(`fall=${v.fall}`);
    if (v.rise !== undefined) words.push(`rise=${v.rise}`);
    return words.join(' ');
  },
  apply: (s, v) => (s.healthCheck = v),
};

const erase = <T>(p: Parameter<T>): Parameter<unknown> => p as unknown as Parameter<unknown>;

/** Every parameter an experiment may set or vary, by name. */
export const PARAMETERS: Readonly<Record<string, Parameter<unknown>>> = Object.fromEntries(
  [
    erase(LAB_PARAMETER),
    erase(choiceParameter('profile', 'run every RIP speaker with one profile: cisco-ios (IOS timers, hold-down) or frr', Object.keys(RIP_PROFILES) as RipProfileName[], (s, v) => (s.profile = v), PROBING)),
    erase(choiceParameter('bindProfile', 'how every named listens: bind-9.10 (the write-up\'s), bind-9.10-nocaps, bind-9.18', Object.keys(BIND_PROFILES) as BindProfileName[], (s, v) => (s.bindProfile = v), FAILOVER_ONLY)),
    erase<string>({
      name: 'fail',
      doc: 'the failure without its time, <node>[:<interface>]:<mode>, e.g. xenial1:halt or xenial1:reboot=60s',
      parse(v) {
        if (typeof v !== 'string') return fail(`expected <node>:<mode>, e.g. xenial1:halt, got ${shown(v)}`);
        if (v.includes('@')) return fail(`give the failure without its time (the time is "at"), got "${v}"`);
        const p = parseFailure(`${v}@0s`);
        return p.ok ? ok(v) : fail(p.error.replace('@0s"', '"'));
      },
      format: (v) => v,
      apply: (s, v) => (s.fail = v),
    }),
    erase(durationParameter('at', 'start of the window the failure instant is drawn from', false)),
    erase(durationParameter('window', 'failure instants are drawn uniformly in [at, at + window) (default: one RIP update interval, the timers\' or the profile\'s: every phase of the failure against the update rhythm)', true)),
    erase(durationParameter('runFor', 'each run lasts this long after its failure (default 10m)', true, PROBING)),
    erase(durationParameter('probeInterval', "the client's ping interval (default 1s): the outage's resolution", true, FAILOVER_ONLY)),
    erase(textParameter('client', 'the client whose service is measured (default xenial3)', (v) => (v === '' ? 'expected a node name' : null))),
    erase(textParameter('target', 'the address probed (default the anycast address 10.128.224.2)', (v) => (tryParseIpv4(v) === null ? `expected an IPv4 address, got "${v}"` : null), PROBING)),
    erase(choiceParameter('probe', 'how the client probes: ping (default) or dns (dig +tries=1 +time=1 for test: the only one that sees named-stop)', ['ping', 'dns'] as const, (s, v) => (s.probe = v), FAILOVER_ONLY)),
    erase(HEALTH_CHECK_PARAMETER),
    erase<string | null>({
      name: 'timers',
      doc: 'timers basic on every RIP speaker: IOS "5 15 15 20", FRR "5 15 10", or default (each configuration\'s own)',
      measures: FAILOVER_ONLY,
      parse(v) {
        if (v === 'default') return ok(null);
        if (typeof v !== 'string') return fail(`expected "<update> <invalid> <holddown> <flush>" (IOS), "<update> <timeout> <garbage>" (FRR) or default, got ${shown(v)}`);
        try {
          parseRipTimers(v);
        } catch (e) {
          return fail((e as Error).message.replace(/^timers: /, ''));
        }
        return ok(v.trim().split(/\s+/).join(' '));
      },
      format: (v) => v ?? 'default',
      apply: (s, v) => (s.timers = v),
    }),
    erase(choiceParameter('iosPoison', 'how IOS routers read a received poison: remove (at once, the default) or holddown (the command reference\'s reading)', ['remove', 'holddown'] as IosPoisonReading[], (s, v) => (s.iosPoison = v), FAILOVER_ONLY)),
    erase(choiceParameter('resolver', "the client's stub resolver: glibc (getent, applications) or a BIND tool's", Object.keys(RESOLVER_PRESETS) as ResolverPresetName[], (s, v) => (s.resolver = v), LOOKUPS_ONLY)),
    erase(choiceParameter('rotation', "how glibc's rotate starts in each lookup's process: glibc-2.23 (xenial) or glibc-2.26", ['glibc-2.23', 'glibc-2.26'] as GlibcRotation[], (s, v) => (s.rotation = v), LOOKUPS_ONLY)),
    erase(resolvParameter('resolvOptions', "words of an options line over the client's resolv.conf, e.g. \"timeout:1 attempts:1 rotate\"")),
    erase(resolvParameter('resolvConf', "the client's whole resolv.conf, e.g. \"nameserver 10.128.224.2\" (anycast)")),
    erase(textParameter('name', 'the name looked up (default r1, the write-up\'s)', (v) => (v === '' ? 'expected a name' : null), LOOKUPS_ONLY)),
    erase(durationParameter('lookupInterval', 'lookups start every lookupInterval from the failure on (default 1s)', true, LOOKUPS_ONLY)),
    erase<number>({
      name: 'lookups',
      doc: 'how many lookups after the failure (default 60)',
      measures: LOOKUPS_ONLY,
      parse: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? ok(v) : fail(`expected a whole number ≥ 1, got ${shown(v)}`)),
      format: String,
      apply: (s, v) => (s.lookups = v),
    }),
    erase<Record<string, boolean>>({
      name: 'options',
      doc: "lab options, e.g. { do_anycast: false } (default: the measure's: anycast on, but off for lookups)",
      parse(v) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`expected a mapping of lab options to true or false, got ${shown(v)}`);
        for (const [k, b] of Object.entries(v)) if (typeof b !== 'boolean') return fail(`option ${k}: expected true or false, got ${shown(b)}`);
        return ok(v as Record<string, boolean>);
      },
      format: (v) => Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, b]) => `${k}=${b}`).join(' '),
      apply: (s, v) => (s.options = v),
    }),
  ].map((p) => [p.name, p]),
);

export type { CellValue, Row } from '../results/rows';
export type ColumnKind = 'int' | 'number' | 'text' | 'bool';

export interface Column {
  name: string;
  kind: ColumnKind;
  doc: string;
  /** The summary table reports this column's mean per point (costs such as routing traffic). */
  mean?: boolean;
}

/** What one run draws, the same for every point (common random numbers). */
export interface RunDraw {
  /** Seeds the lab: fixes the routers' update phases, ports, processing times. */
  labSeed: number;
  /** Uniform in [0, 1): where in the window the failure falls. */
  u: number;
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
  run(setup: RunSetup, draw: RunDraw): Row;
}

/** RIP is counted from here (the boot's requests and first updates are over) to the failure. */
const RIP_TRAFFIC_FROM = minutes(1);

/** The run's failure instant: `at` plus the run's uniform draw over the window (default: one RIP update interval). */
function failureInstant(setup: RunSetup, draw: RunDraw): SimTime {
  const window = setup.window ?? (setup.timers === null ? null : parseRipTimers(setup.timers).update) ?? RIP_PROFILES[setup.profile ?? 'cisco-ios'].timers.update;
  return setup.at + Math.floor(draw.u * window);
}

const FAILOVER_MEASURE: Measure = {
  name: 'failover',
  doc: 'the client probes the target (ping or DNS) while `fail` happens at a drawn instant: outage, its phases, RIP cost (lib/measure/failover.ts)',
  columns: [
    { name: 'failureAt', kind: 'number', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'outage', kind: 'number', doc: 'last reply before → first reply after the failure (s); empty if no reply came back before the run ended' },
    { name: 'silent', kind: 'number', doc: 'time after the failure with probes unanswered (s)' },
    { name: 'unreachable', kind: 'number', doc: 'time after the failure with ICMP unreachable answers (s)' },
    { name: 'ripBytesPerSecond', kind: 'number', doc: 'RIP frame bytes per second on the busiest link, from 1 min after boot to the failure: the cost in normal operation', mean: true },
    { name: 'ripPacketsPerSecond', kind: 'number', doc: 'RIP packets per second on that link', mean: true },
  ],
  summaryColumn: 'outage',
  run(setup, draw) {
    const at = failureInstant(setup, draw);
    const r = failoverRun(
      {
        lab: setup.lab.dir,
        options: setup.options ?? { do_anycast: true },
        fail: setup.fail,
        client: setup.client,
        target: setup.target,
        probeInterval: setup.probeInterval,
        seed: draw.labSeed,
        ...(setup.profile === null ? {} : { profile: setup.profile }),
        ...(setup.bindProfile === null ? {} : { bindProfile: setup.bindProfile }),
        probe: setup.probe,
        healthCheck: setup.healthCheck,
        ...(setup.timers === null ? {} : { timers: setup.timers }),
        ...(setup.iosPoison === null ? {} : { iosPoison: setup.iosPoison }),
        ...(at > RIP_TRAFFIC_FROM ? { ripTrafficFrom: RIP_TRAFFIC_FROM } : {}),
      },
      at,
      setup.runFor,
      0,
    );
    const link = r.busiestRipLink;
    return { failureAt: toSeconds(at), outage: r.outageSeconds, silent: r.silentSeconds, unreachable: r.unreachableSeconds, ripBytesPerSecond: link?.bytesPerSecond ?? null, ripPacketsPerSecond: link?.packetsPerSecond ?? null };
  },
};

const LOOKUPS_MEASURE: Measure = {
  name: 'lookups',
  doc: "the client looks `name` up every lookupInterval from the failure on, through its resolver and resolv.conf; the run's summary (lib/lab/lookups.ts resolverExperiment)",
  columns: [
    { name: 'failureAt', kind: 'number', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'failed', kind: 'int', doc: 'lookups that got no address', mean: true },
    { name: 'medianMs', kind: 'number', doc: 'median lookup latency (ms)' },
    { name: 'p95Ms', kind: 'number', doc: '95th percentile latency (ms)' },
    { name: 'maxMs', kind: 'number', doc: 'slowest lookup (ms)' },
    { name: 'baselineMs', kind: 'number', doc: 'median latency of the same lookups without the failure (ms)' },
    { name: 'lost', kind: 'number', doc: 'service time lost: the sum of what each lookup took beyond the baseline (s)' },
  ],
  summaryColumn: 'lost',
  run(setup, draw) {
    const at = failureInstant(setup, draw);
    const r = resolverExperiment({
      lab: setup.lab.dir,
      options: setup.options ?? {},
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
      seed: draw.labSeed,
    });
    const s = r.summary;
    return { failureAt: toSeconds(at), failed: s.failed, medianMs: s.medianMs, p95Ms: s.p95Ms, maxMs: s.maxMs, baselineMs: s.baselineMs, lost: s.lostSeconds };
  },
};

const CLIENTS_MOVE_MEASURE: Measure = {
  name: 'clients-move',
  doc: 'which server answers the client before and after the failure, how many routers away, and its outage (lib/lab/moves.ts clientMoves); vary client for one row per client',
  columns: [
    { name: 'failureAt', kind: 'number', doc: 'the failure instant drawn for the run (s since boot)' },
    { name: 'before', kind: 'text', doc: 'the server answering `nslookup test` before the failure (empty: none)' },
    { name: 'after', kind: 'text', doc: 'the same at the end of the run (empty: none)' },
    { name: 'moved', kind: 'bool', doc: 'another server answers after the failure' },
    { name: 'hopsBefore', kind: 'int', doc: 'routers between the client and the server answering its pings before' },
    { name: 'hopsAfter', kind: 'int', doc: 'the same after' },
    { name: 'outage', kind: 'number', doc: "the client's outage (s): 0 if no ping went unanswered, empty if it never recovered" },
  ],
  summaryColumn: 'outage',
  run(setup, draw) {
    const at = failureInstant(setup, draw);
    const [row] = clientMoves({ lab: setup.lab.dir, options: setup.options ?? { do_anycast: true }, fail: setup.fail, at, until: at + setup.runFor, clients: [setup.client], target: setup.target, seed: draw.labSeed });
    const r = row!;
    return { failureAt: toSeconds(at), before: r.before ?? '', after: r.after ?? '', moved: r.before !== r.after, hopsBefore: r.hopsBefore, hopsAfter: r.hopsAfter, outage: r.outageSeconds };
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

/** One point of the grid: the varied parameters' values (as text) and the setup they give. */
export interface Point {
  index: number;
  /** Varied parameter → its value as text (row cells). */
  values: Record<string, string>;
  /** `profile=frr window=1m`, or `baseline` when nothing varies. */
  label: string;
  setup: RunSetup;
}

/** A parsed experiment: plain data. */
export interface Experiment {
  name: string;
  description: string | null;
  /** Where it was read from (null when built from an object). */
  file: string | null;
  measure: string;
  runs: number;
  seed: number;
  /** The varied parameters, in column order (vary's, then zip's). */
  varied: string[];
  points: Point[];
  /** Row columns: job columns, varied parameters, recorded measurement columns. */
  columns: Column[];
  /** Hash of what determines the rows (not paths): shards and resumed files must carry the same. */
  hash: string;
}

const TOP_KEYS = ['name', 'description', 'lab', 'measure', 'baseline', 'vary', 'zip', 'runs', 'seed', 'record'];

/** Reads an experiment file. Throws LabFileError naming file:line and what was expected. */
export function loadExperiment(path: string): Experiment {
  const file = resolve(path);
  if (!existsSync(file)) {
    const problems = new Problems(path);
    problems.add(null, 'no such experiment file');
    problems.throwIfAny();
  }
  return parseExperiment(readFileSync(file, 'utf8'), path, dirname(file));
}

/**
 * Parses an experiment from YAML text, or from the same shape as a plain object (notebooks);
 * `name` is the file name errors show, `baseDir` where relative lab folders are looked up.
 */
export function parseExperiment(source: string | object, name: string, baseDir: string): Experiment {
  const lineCounter = new LineCounter();
  const doc = typeof source === 'string' ? parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false }) : new Document(source);
  const problems = new Problems(name);
  const lineOf = (node: unknown): number | null => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range === undefined || typeof source !== 'string' ? null : lineCounter.linePos(range[0]).line;
  };
  const problem = (node: unknown, message: string): void => problems.add(lineOf(node), message);
  for (const e of doc.errors) {
    const p = e.linePos?.[0] ?? (e.pos === undefined ? undefined : lineCounter.linePos(e.pos[0]));
    problems.add(p?.line ?? null, `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  problems.throwIfAny();
  const root = doc.contents;
  if (!isMap(root)) {
    problem(root, 'expected a mapping with name, lab, measure, baseline, vary, runs, seed');
    problems.throwIfAny();
  }
  const pairs = (node: unknown): Pair<YamlNode | null, YamlNode | null>[] => (isMap(node) ? (node.items as Pair<YamlNode | null, YamlNode | null>[]) : []);
  const keyOf = (pair: Pair<YamlNode | null, YamlNode | null>): string => (isScalar(pair.key) ? String(pair.key.value) : '');
  const top = new Map<string, YamlNode | null>();
  for (const pair of pairs(root)) {
    const key = keyOf(pair);
    if (!TOP_KEYS.includes(key)) problem(pair.key, `unknown key "${key}"; expected one of ${TOP_KEYS.join(', ')}`);
    else top.set(key, pair.value);
  }
  const ctx: ParseContext = { baseDir };
  const js = (node: YamlNode | null | undefined): unknown => (node === null || node === undefined ? null : node.toJSON());

  const expName = top.get('name');
  const nameText = js(expName);
  if (typeof nameText !== 'string' || !/^[\w.-]+$/.test(nameText)) problem(expName ?? root, `name: expected a name of letters, digits, . _ -, got ${shown(nameText)}`);
  const description = js(top.get('description'));
  const measureNode = top.get('measure');
  const measureName = measureNode === undefined ? 'failover' : js(measureNode);
  const measure = typeof measureName === 'string' ? MEASURES[measureName] : undefined;
  if (measure === undefined) problem(measureNode, `measure: expected one of ${Object.keys(MEASURES).join(', ')}, got ${shown(measureName)}`);

  const wholeNumber = (key: string, fallback: number, min: number): number => {
    const node = top.get(key);
    if (node === undefined) return fallback;
    const v = js(node);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      problem(node, `${key}: expected a whole number ≥ ${min}, got ${shown(v)}`);
      return fallback;
    }
    return v;
  };
  const runs = wholeNumber('runs', 1, 1);
  const seed = wholeNumber('seed', 1, 0);

  /** Whether `param` exists and the measure reads it; reports a problem if not. */
  const usable = (param: string, keyNode: unknown, where: string): boolean => {
    const p = PARAMETERS[param];
    if (p === undefined) problem(keyNode, `${where}: unknown parameter "${param}"; parameters: ${Object.keys(PARAMETERS).join(', ')}`);
    else if (measure !== undefined && p.measures !== undefined && !p.measures.includes(measure.name)) problem(keyNode, `${where}: measure ${measure.name} does not use ${param} (it is for ${p.measures.join(', ')})`);
    else return true;
    return false;
  };

  /** Parses one parameter value written at `node`; null after reporting a problem. */
  const parseValue = (param: string, keyNode: unknown, node: YamlNode | null, where: string): { value: unknown; text: string } | null => {
    // usable() first: it is what reports an unknown parameter.
    if (!usable(param, keyNode, where)) return null;
    const p = PARAMETERS[param]!;
    const r = p.parse(js(node), ctx);
    if (!r.ok) {
      problem(node ?? keyNode, `${where}: ${r.error}`);
      return null;
    }
    return { value: r.value, text: p.format(r.value) };
  };

  const base: { param: string; value: unknown }[] = [];
  const labNode = top.get('lab');
  if (labNode === undefined) problem(root, 'lab: missing; expected a lab folder relative to this file or a name under data/labs/, e.g. lab: anycast');
  else {
    const v = parseValue('lab', labNode, labNode, 'lab');
    if (v !== null) base.push({ param: 'lab', value: v.value });
  }
  const baselineNode = top.get('baseline');
  if (baselineNode !== undefined && baselineNode !== null && !isMap(baselineNode)) problem(baselineNode, 'baseline: expected a mapping of parameter: value');
  for (const pair of pairs(baselineNode)) {
    const param = keyOf(pair);
    const v = parseValue(param, pair.key, pair.value, `baseline.${param}`);
    if (v !== null) base.push({ param, value: v.value });
  }

  /** An axis of the grid: one or more parameters (zip) and, per step, their values. */
  interface Axis {
    params: string[];
    steps: { value: unknown; text: string }[][];
  }
  const axes: Axis[] = [];
  const varied: string[] = [];
  const readLists = (key: 'vary' | 'zip'): Map<string, { value: unknown; text: string }[]> => {
    const node = top.get(key);
    const lists = new Map<string, { value: unknown; text: string }[]>();
    if (node === undefined || node === null) return lists;
    if (!isMap(node)) {
      problem(node, `${key}: expected a mapping of parameter: [values]`);
      return lists;
    }
    for (const pair of pairs(node)) {
      const param = keyOf(pair);
      if (varied.includes(param)) {
        problem(pair.key, `${key}.${param}: already varied under vary; a parameter varies once`);
        continue;
      }
      if (!usable(param, pair.key, `${key}.${param}`)) continue;
      if (!isSeq(pair.value) || pair.value.items.length === 0) {
        problem(pair.value ?? pair.key, `${key}.${param}: expected a non-empty list of values, e.g. [a, b]`);
        continue;
      }
      const values: { value: unknown; text: string }[] = [];
      pair.value.items.forEach((item, i) => {
        const v = parseValue(param, pair.key, item as YamlNode, `${key}.${param}[${i}]`);
        if (v !== null) values.push(v);
      });
      if (values.length === pair.value.items.length) {
        lists.set(param, values);
        varied.push(param);
      }
    }
    return lists;
  };
  for (const [param, values] of readLists('vary')) axes.push({ params: [param], steps: values.map((v) => [v]) });
  const zipLists = readLists('zip');
  if (zipLists.size > 0) {
    const lengths = [...zipLists.values()].map((l) => l.length);
    if (lengths.some((n) => n !== lengths[0])) problem(top.get('zip'), `zip: every list must have the same length, got ${[...zipLists].map(([p, l]) => `${p}: ${l.length}`).join(', ')}`);
    else axes.push({ params: [...zipLists.keys()], steps: Array.from({ length: lengths[0]! }, (_, i) => [...zipLists.values()].map((l) => l[i]!)) });
  }

  const recordNode = top.get('record');
  let recorded: readonly Column[] = measure?.columns ?? [];
  if (recordNode !== undefined && measure !== undefined) {
    const names = js(recordNode);
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) problem(recordNode, `record: expected a list of columns among ${measure.columns.map((c) => c.name).join(', ')}`);
    else {
      for (const n of names) if (!measure.columns.some((c) => c.name === n)) problem(recordNode, `record: unknown column "${n}"; ${measure.name} records ${measure.columns.map((c) => c.name).join(', ')}`);
      recorded = measure.columns.filter((c) => (names as string[]).includes(c.name));
    }
  }
  for (const c of recorded) if (varied.includes(c.name) || JOB_COLUMNS.some((j) => j.name === c.name)) problem(recordNode ?? root, `${c.name}: both a varied parameter and a ${measure!.name} column; a row has one of each name`);
  problems.throwIfAny();

  // Points: the grid in key order, the last axis varying fastest.
  const points: Point[] = [];
  const total = axes.reduce((n, a) => n * a.steps.length, 1);
  for (let index = 0; index < total; index++) {
    const setup: RunSetup = { ...structuredClone(DEFAULT_SETUP), lab: { name: '', dir: '' } };
    for (const b of base) PARAMETERS[b.param]!.apply(setup, b.value);
    const values: Record<string, string> = {};
    let rest = index;
    const chosen: { params: string[]; step: { value: unknown; text: string }[] }[] = [];
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a]!;
      chosen.unshift({ params: axis.params, step: axis.steps[rest % axis.steps.length]! });
      rest = Math.floor(rest / axis.steps.length);
    }
    for (const c of chosen) c.params.forEach((p, i) => PARAMETERS[p]!.apply(setup, c.step[i]!.value));
    for (const p of varied) for (const c of chosen) if (c.params.includes(p)) values[p] = c.step[c.params.indexOf(p)]!.text;
    const label = varied.length === 0 ? 'baseline' : varied.map((p) => `${p}=${values[p]}`).join(' ');
    points.push({ index, values, label, setup });
  }
  const columns: Column[] = [...JOB_COLUMNS, ...varied.map((p): Column => ({ name: p, kind: 'text', doc: PARAMETERS[p]!.doc })), ...recorded];
  // The hash covers what fixes the rows, written machine-independently (labs by name, not path).
  const identity = { measure: measure!.name, runs, seed, columns: columns.map((c) => c.name), points: points.map((p) => ({ ...p.setup, lab: p.setup.lab.name })) };
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return { name: nameText as string, description: typeof description === 'string' ? description : null, file: typeof source === 'string' ? name : null, measure: measure!.name, runs, seed, varied, points, columns, hash };
}

/** The draws of run `run`: derived from the experiment seed and the run only, never the point. */
export function runDraw(seed: number, run: number): RunDraw {
  const rng = Rng.fromSeed(seed).fork(`sweep/run/${run}`);
  return { labSeed: rng.int(1, 2 ** 31 - 1), u: rng.next() };
}

/** Runs job `job` (point = job ÷ runs, run = job mod runs) and returns its row. */
export function runJob(e: Experiment, job: number): Row {
  const point = e.points[Math.floor(job / e.runs)];
  if (point === undefined) throw new RangeError(`job ${job}: the experiment has ${e.points.length * e.runs} jobs`);
  const run = job % e.runs;
  const draw = runDraw(e.seed, run);
  const measured = MEASURES[e.measure]!.run(point.setup, draw);
  const row: Row = { job, point: point.index, run, seed: draw.labSeed, ...point.values };
  for (const c of e.columns) if (!(c.name in row)) row[c.name] = measured[c.name] ?? null;
  return row;
}

/** `cisco-vs-frr` from `…/experiments/cisco-vs-frr.yml`. */
export function experimentStem(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}
