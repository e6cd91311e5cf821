/**
 * The what-if parameters: every knob an experiment file may set or vary, declared once with its name,
 * type, unit, range, doc and parser (`PARAMETERS`). The command line reads its options for the same
 * knobs through the same declarations (`parseFlag`: `--interval` is `probeInterval`), so a knob has
 * one parser and one error text wherever a person types it. Adding a what-if is adding an entry.
 *
 * A parameter's value is parsed from what YAML gives (already converted to JS), formatted back to one
 * line (row cells, point labels), and applied to a `RunSetup`: the plain data one run needs.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, hours, minutes, parseDuration, seconds } from '../sim/time';
import { tryParseIpv4 } from '../wire/addr';
import { RIP_PROFILES, type RipProfileName } from '../proto/rip/params';
import { BIND_PROFILES, type BindProfileName } from '../proto/dns/server';
import { RESOLVER_PRESETS, type GlibcRotation, type ResolverPresetName } from '../proto/dns/resolver';
import { parseFailure } from '../config/failures';
import { labPath } from '../config/paths';
import type { HealthCheckOptions } from '../measure/health-check';
import { parseRipTimers, type IosPoisonReading } from '../config/overrides';
import { parseConfigChange } from '../lab/live-config';
import { frrReleaseProblem, parseFrrRelease } from '../config/frr-version';

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
  /** Configuration changes while the lab runs, each `<node>@<time>: <lines>` (lib/lab/live-config.ts). */
  change: string[];
  /**
   * The FRR release (`8.4`, `10.2`) the lab's FRR files without a `frr version` line are read as (the
   * command line's `--frr-version`, lib/config/load.ts LoadLabSettings); null: the topology's
   * `x-sim.frr-version`, else 8.4.
   */
  frrVersion: string | null;
  /** lookups: the stub resolver, glibc's rotate model, resolv.conf options or whole text, the name, the schedule. */
  resolver: ResolverPresetName;
  rotation: GlibcRotation;
  resolvOptions: string | null;
  resolvConf: string | null;
  name: string;
  lookupInterval: Duration;
  lookups: number;
}

/** A fresh setup with every default: the write-up's failure, client and anycast address. */
export function defaultSetup(lab: { name: string; dir: string }): RunSetup {
  return { ...structuredClone(DEFAULT_SETUP), lab };
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
  change: [],
  frrVersion: null,
  resolver: 'glibc',
  rotation: 'glibc-2.23',
  resolvOptions: null,
  resolvConf: null,
  name: 'r1',
  lookupInterval: seconds(1),
  lookups: 60,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ParseContext {
  /** Folder of the experiment file (labs are looked up relative to it first); the current one on a command line. */
  baseDir: string;
}

/** What kind of value a knob takes (help texts, try-it panels). */
export type KnobType = 'lab' | 'choice' | 'failure' | 'duration' | 'text' | 'IPv4 address' | 'health check' | 'RIP timers' | 'resolv.conf text' | 'whole number' | 'lab options' | 'configuration changes';

/** A knob a person types: its declaration, parser and error text, wherever it is typed. */
export interface Knob<T> {
  name: string;
  type: KnobType;
  /** Durations: held in integer µs, written with their unit (`30s`, `2m`, `250ms`). */
  unit?: 'µs';
  /** The values it takes, in words: `> 0s`, `cisco-ios | frr`, `≥ 1`. */
  range: string;
  doc: string;
  /** The command-line option that sets it, without `--` (`parseFlag`). */
  flag?: string;
  /** How an option's text becomes the value an experiment file would hold (a number for a count). @defaultValue the text */
  fromText?: (text: string) => unknown;
  /**
   * The option's own words for a value it refuses, where the command line's tests hold it to wording
   * older than the declaration's. @defaultValue the parser's error
   */
  flagError?: (text: string) => string;
  /** Parses a value as YAML gives it (already converted to JS); an error says what was expected. */
  parse(value: unknown, ctx: ParseContext): Parsed<T>;
}

/** One what-if knob of an experiment: a `Knob` that sets part of the run's setup. */
export interface Parameter<T> extends Knob<T> {
  /** The value as a row cell and in point labels: one line, as the experiment file writes it. */
  format(value: T): string;
  apply(setup: RunSetup, value: T): void;
  /** The measures that read it. @defaultValue every measure */
  measures?: readonly string[];
}

/**
 * Reads a command-line option's text through a knob's declaration: the same checks and the same
 * words as in an experiment file, after the option's name (`--interval: must be longer than 0s, got "0s"`).
 */
export function parseFlag<T>(knob: Knob<T>, text: string, ctx: ParseContext): Parsed<T> {
  const r = knob.parse(knob.fromText === undefined ? text : knob.fromText(text), ctx);
  if (r.ok) return r;
  return fail(`--${knob.flag ?? knob.name}: ${knob.flagError === undefined ? r.error : knob.flagError(text)}`);
}

/**
 * The bounds of the simulated work one run may ask for, refused past them with the maximum named:
 * a day of simulated time (the lab's RIP runs a day in about a second; its longest default timer is
 * 240 s), ten thousand runs per point or `--runs`, a hundred thousand probes per run (a second of
 * wall time is about 40 000 probes, each kept as a row), and RIP timers of at most an hour each.
 */
export const LIMITS = {
  /** at, window, runFor, probeInterval, lookupInterval. */
  duration: hours(24),
  runs: 10_000,
  /** The probes one failover run sends: (runFor + the 20 s before the failure) / probeInterval. */
  probesPerRun: 100_000,
  /** Each value of `timers basic`, in seconds. */
  timerSeconds: 3600,
} as const;

/** How many probes a failover run of this setup sends: from 20 s before the failure to its end. */
export function probesPerRun(setup: Pick<RunSetup, 'at' | 'runFor' | 'probeInterval'>): number {
  return Math.floor((Math.min(setup.at, seconds(20)) + setup.runFor) / setup.probeInterval) + 1;
}

/**
 * The setup's probes against `LIMITS.probesPerRun`: null when within, else what to change, in the
 * words of the knobs (`interval`/`runFor` in an experiment, `--interval`/`--until` on a command line).
 */
export function probeBudgetError(setup: Pick<RunSetup, 'at' | 'runFor' | 'probeInterval'>, names: { interval: string; runFor: string } = { interval: 'probeInterval', runFor: 'runFor' }): string | null {
  const n = probesPerRun(setup);
  if (n <= LIMITS.probesPerRun) return null;
  return `${names.interval} ${formatDuration(setup.probeInterval)} over ${formatDuration(Math.min(setup.at, seconds(20)) + setup.runFor)} sends ${n} probes, at most ${LIMITS.probesPerRun} per run: a longer ${names.interval} or a shorter ${names.runFor}`;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
const shown = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** Where a parameter is read: the measures that use it, its command-line option. */
interface Reach {
  measures?: readonly string[];
  flag?: string;
}

const reach = (r: Reach): Reach => ({ ...(r.measures === undefined ? {} : { measures: r.measures }), ...(r.flag === undefined ? {} : { flag: r.flag }) });

function durationParameter(name: keyof RunSetup & ('at' | 'window' | 'runFor' | 'probeInterval' | 'lookupInterval'), doc: string, positive: boolean, r: Reach = {}): Parameter<Duration> {
  return {
    name,
    type: 'duration',
    unit: 'µs',
    range: `${positive ? '> 0s' : '≥ 0s'}, ≤ ${formatDuration(LIMITS.duration)}`,
    doc,
    ...reach(r),
    parse(v) {
      if (typeof v !== 'string') return fail(`expected a duration with its unit, e.g. 30s or 2m, got ${shown(v)}`);
      const d = parseDuration(v);
      if (!d.ok) return fail(d.error);
      if (positive && d.value <= 0) return fail(`must be longer than 0s, got "${v}"`);
      if (d.value > LIMITS.duration) return fail(`at most ${formatDuration(LIMITS.duration)}, got "${v}"`);
      return ok(d.value);
    },
    format: formatDuration,
    apply(setup, value) {
      setup[name] = value;
    },
  };
}

function choiceParameter<K extends string>(name: string, doc: string, choices: readonly K[], apply: (setup: RunSetup, value: K) => void, r: Reach = {}, expected = `one of ${choices.join(', ')}`): Parameter<K> {
  return {
    name,
    type: 'choice',
    range: choices.join(' | '),
    doc,
    ...reach(r),
    parse: (v) => (typeof v === 'string' && (choices as readonly string[]).includes(v) ? ok(v as K) : fail(`expected ${expected}, got ${shown(v)}`)),
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
  type: 'lab',
  range: 'a folder with a topology file',
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

function textParameter(name: 'client' | 'target' | 'name', type: KnobType, doc: string, check: (v: string) => string | null, r: Reach = {}): Parameter<string> {
  return {
    name,
    type,
    range: type === 'IPv4 address' ? 'a dotted quad' : 'not empty',
    doc,
    ...reach(r),
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
    type: 'resolv.conf text',
    range: 'text or default',
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

/** A whole number of at least `min` (and at most `max`); from a command line, digits read as a number. */
function wholeNumberKnob(name: string, doc: string, min: number, flag?: string, max?: number): Knob<number> {
  return {
    name,
    type: 'whole number',
    range: max === undefined ? `≥ ${min}` : `${min} to ${max}`,
    doc,
    ...(flag === undefined ? {} : { flag }),
    fromText: (text) => (/^[+-]?\d+$/.test(text) ? Number(text) : text),
    parse(v) {
      if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) return fail(`expected a whole number ≥ ${min}, got ${shown(v)}`);
      return max !== undefined && v > max ? fail(`at most ${max}, got ${v}`) : ok(v);
    },
  };
}

/** Repetitions per point of an experiment, and the command line's `failover --runs`. */
export const RUNS: Knob<number> = wholeNumberKnob('runs', `repetitions per point: run r draws the same lab seed and failure instant at every point (at most ${LIMITS.runs})`, 1, 'runs', LIMITS.runs);

/** An experiment's seed: every run's draws derive from it. */
export const SEED: Knob<number> = wholeNumberKnob('seed', "the experiment's seed: every run's lab seed and failure instant derive from it", 0);

const FAILOVER_ONLY = ['failover'];
const LOOKUPS_ONLY = ['lookups'];
const PROBING = ['failover', 'clients-move'];

const HEALTH_CHECK_KEYS = ['interval', 'timeout', 'fall', 'rise'];

/** `off`, an interval (`2s`), or `{ interval, timeout, fall, rise }` (lib/measure/health-check.ts). */
const HEALTH_CHECK_PARAMETER: Parameter<HealthCheckOptions | null> = {
  name: 'healthCheck',
  type: 'health check',
  range: 'off, an interval > 0s, or { interval > 0s, timeout > 0s, fall ≥ 1, rise ≥ 1 }',
  flag: 'health-check',
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
        if (d === null || !d.ok) return fail(`the ${key} must be a duration longer than 0s, e.g. 2s, got ${shown(value)}`);
        if (d.value <= 0) return fail(`the ${key} must be longer than 0s, e.g. 2s, got ${shown(value)}`);
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
    erase(choiceParameter('profile', 'run every RIP speaker with one profile: cisco-ios (IOS timers, hold-down) or frr', Object.keys(RIP_PROFILES) as RipProfileName[], (s, v) => (s.profile = v), { measures: PROBING, flag: 'profile' })),
    erase(choiceParameter('bindProfile', 'how every named listens: bind-9.10 (the write-up\'s), bind-9.10-nocaps, bind-9.18', Object.keys(BIND_PROFILES) as BindProfileName[], (s, v) => (s.bindProfile = v), { measures: FAILOVER_ONLY, flag: 'bind-profile' })),
    erase<string>({
      name: 'fail',
      type: 'failure',
      range: '<node>[:<interface>]:<mode>[=<duration>]',
      flag: 'fail',
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
    erase(durationParameter('at', 'start of the window the failure instant is drawn from', false, { flag: 'at' })),
    erase(durationParameter('window', 'failure instants are drawn uniformly in [at, at + window) (default: one RIP update interval, the timers\' or the profile\'s: every phase of the failure against the update rhythm)', true)),
    erase(durationParameter('runFor', 'each run lasts this long after its failure (default 10m)', true, { measures: PROBING, flag: 'run-for' })),
    erase(durationParameter('probeInterval', "the client's ping interval (default 1s): the outage's resolution", true, { measures: FAILOVER_ONLY, flag: 'interval' })),
    erase(textParameter('client', 'text', 'the client whose service is measured (default xenial3)', (v) => (v === '' ? 'expected a node name' : null), { flag: 'client' })),
    erase(textParameter('target', 'IPv4 address', 'the address probed (default the anycast address 10.128.224.2)', (v) => (tryParseIpv4(v) === null ? `expected an IPv4 address, got "${v}"` : null), { measures: PROBING, flag: 'target' })),
    erase({
      ...choiceParameter('probe', 'how the client probes: ping (default) or dns (dig +tries=1 +time=1 for test: the only one that sees named-stop)', ['ping', 'dns'] as const, (s, v) => (s.probe = v), { measures: FAILOVER_ONLY, flag: 'probe' }),
      // NOTE: the command line has said "expected ping or dns" since before the declarations, and an
      // experiment file "expected one of ping, dns"; tests hold both, so the option keeps its words.
      flagError: (text: string) => `expected ping or dns, got "${text}"`,
    }),
    erase(HEALTH_CHECK_PARAMETER),
    erase<string | null>({
      name: 'timers',
      type: 'RIP timers',
      unit: 'µs',
      range: `IOS "<update> <invalid> <holddown> <flush>" or FRR "<update> <timeout> <garbage>" in seconds, each ≤ ${LIMITS.timerSeconds}, or default`,
      flag: 'timers',
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
        // An update of 99999999 s would draw failure instants over three years of simulated time.
        const tooLong = v.trim().split(/\s+/).find((w) => Number(w) > LIMITS.timerSeconds);
        if (tooLong !== undefined) return fail(`each timer is at most ${LIMITS.timerSeconds} s, got ${tooLong} in "${v}"`);
        return ok(v.trim().split(/\s+/).join(' '));
      },
      format: (v) => v ?? 'default',
      apply: (s, v) => (s.timers = v),
    }),
    erase<string[]>({
      name: 'change',
      type: 'configuration changes',
      range: '"<node>@<time>: <lines>" or a list of them; lines separated by ";"',
      flag: 'change',
      doc: 'configuration typed on a node while the lab runs, e.g. "r1@300s: router rip; passive-interface eth0" (FRR vtysh or IOS configuration mode)',
      measures: FAILOVER_ONLY,
      parse(v) {
        const list = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return fail(`expected "<node>@<time>: <lines>" or a list of them, got ${shown(v)}`);
        for (const text of list as string[]) {
          const p = parseConfigChange(text);
          if (!p.ok) return fail(p.error);
          if (p.value.at > LIMITS.duration) return fail(`at most ${formatDuration(LIMITS.duration)}, got "${text}"`);
        }
        return ok([...(list as string[])]);
      },
      format: (v) => (v.length === 0 ? 'none' : v.join(' | ')),
      apply: (s, v) => (s.change = v),
    }),
    erase(choiceParameter('iosPoison', 'how IOS routers read a received poison: remove (at once, the default) or holddown (the command reference\'s reading)', ['remove', 'holddown'] as IosPoisonReading[], (s, v) => (s.iosPoison = v), { measures: FAILOVER_ONLY, flag: 'ios-poison' }, 'remove or holddown')),
    erase<string | null>({
      name: 'frrVersion',
      type: 'text',
      range: 'an FRR release 8.x to 10.x (8.4, 10.2), or default',
      flag: 'frr-version',
      doc: 'the FRR release the lab\'s FRR files without a "frr version" line are read as (default: the topology\'s x-sim.frr-version, else 8.4)',
      parse(v) {
        if (v === 'default') return ok(null);
        const text = typeof v === 'number' ? String(v) : v;
        if (typeof text !== 'string') return fail(`expected a release such as 8.4 or 10.2, got ${shown(v)}`);
        const release = parseFrrRelease(text);
        const why = release === null ? 'expected a release such as 8.4 or 10.2' : frrReleaseProblem(release, text);
        return why === null ? ok(text.trim()) : fail(`${why}, got "${text}"`);
      },
      format: (v) => v ?? 'default',
      apply: (s, v) => (s.frrVersion = v),
    }),
    erase(choiceParameter('resolver', "the client's stub resolver: glibc (getent, applications) or a BIND tool's", Object.keys(RESOLVER_PRESETS) as ResolverPresetName[], (s, v) => (s.resolver = v), { measures: LOOKUPS_ONLY })),
    erase(choiceParameter('rotation', "how glibc's rotate starts in each lookup's process: glibc-2.23 (xenial) or glibc-2.26", ['glibc-2.23', 'glibc-2.26'] as GlibcRotation[], (s, v) => (s.rotation = v), { measures: LOOKUPS_ONLY })),
    erase(resolvParameter('resolvOptions', "words of an options line over the client's resolv.conf, e.g. \"timeout:1 attempts:1 rotate\"")),
    erase(resolvParameter('resolvConf', "the client's whole resolv.conf, e.g. \"nameserver 10.128.224.2\" (anycast)")),
    erase(textParameter('name', 'text', 'the name looked up (default r1, the write-up\'s)', (v) => (v === '' ? 'expected a name' : null), { measures: LOOKUPS_ONLY })),
    erase(durationParameter('lookupInterval', 'lookups start every lookupInterval from the failure on (default 1s)', true, { measures: LOOKUPS_ONLY })),
    erase<number>({
      name: 'lookups',
      type: 'whole number',
      range: '≥ 1',
      doc: 'how many lookups after the failure (default 60)',
      measures: LOOKUPS_ONLY,
      parse: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? ok(v) : fail(`expected a whole number ≥ 1, got ${shown(v)}`)),
      format: String,
      apply: (s, v) => (s.lookups = v),
    }),
    erase<Record<string, boolean>>({
      name: 'options',
      type: 'lab options',
      range: 'a mapping of option names to true or false',
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
