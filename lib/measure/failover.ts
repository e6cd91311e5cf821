/**
 * Fail-over experiments: how long a client loses the anycast service when one server fails, and
 * what it sees meanwhile (the write-up's §4.3.5, measured instead of watched).
 *
 * `measureFailover` runs one lab with one failure and a ping probe from the client, and reads the
 * probe's rows as phases:
 *
 *   near         replies over the shortest path the probe saw (xenial3 → xenial1: one router, ttl=63)
 *   silent       no answer: the routers still forward to the dead server (RIP has not noticed yet)
 *   unreachable  ICMP errors: a router has dropped the route (r3's "Destination Host Unreachable")
 *   far          replies over a longer path (xenial3 → xenial2: four routers, ttl=60)
 *
 * The outage is the time from the last reply to the first reply around the first unanswered probe
 * after the failure (probe send times: the resolution is the probe interval). After a halt that is
 * the last reply before the failure; after ripd-stop the server still answers until the routers
 * drop its route, and the outage is only the switch-over.
 *
 * With `probe: 'dns'` the client asks the anycast address for `test` every interval instead
 * (`dig +tries=1 +time=1`, `startDnsProbe`): the only probe that sees a `named-stop`, since the
 * server keeps answering pings. The phases read the same, "near" and "far" telling servers apart by
 * the one that answered instead of by TTL, and "unreachable" meaning an ICMP error came back (or a
 * server answered without the address). The outage is defined the same way on either probe.
 *
 * An outage is only read when its premise holds: the service was steady before the failure
 * (`FailoverResult.baseline`). Two observations must agree: the probe's own rows before the failure
 * (every one answered, by one server over one path: lib/results/outcome.ts `baselineProblems`), and
 * the routing itself: no node's route to the target changed in the two update intervals of the lab
 * (`labUpdateInterval`) before the failure, the first install of each route after boot aside. Two
 * intervals, because a route its neighbour's updates cannot keep alive expires and comes back once
 * per update of that neighbour, and ripd's jitter stretches one interval by up to a quarter: a
 * window of two holds at least one such change, where the probe's 20 s may fall between them. When
 * the premise fails, `outage` is null and the reasons say why, with the doctor's findings on the
 * lab's RIP timers that explain a flap.
 *
 * What-if knobs: `healthCheck` (a health check on every anycast server, lib/lab/health-check.ts),
 * `timers` (`timers basic` on every RIP speaker), `iosPoison` (how IOS reads a received poison),
 * and the `drain` failure mode (graceful withdrawal, then halt).
 *
 * `failoverDistribution` repeats the experiment with the failure instant drawn uniformly over the
 * lab's RIP update interval after `at` (`labUpdateInterval`: the longest nominal update interval
 * of its RIP speakers, as run, overrides included; the same lab seed, so the same update schedule
 * up to the failure): the outage depends mostly on how long before the failure the nearest router
 * last heard the failed server's update.
 */
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, minutes, seconds } from '../sim/time';
import type { LabSpec } from '../config/spec';
import type { RipProfileName } from '../proto/rip/params';
import { Lab } from '../lab/lab';
import { parseFailure } from '../config/failures';
import type { RipTimersSpec } from '../config/spec';
import { withIosPoison, withRipProfile, withRipTimers, type IosPoisonReading } from '../config/overrides';
import { startDnsProbe, startPingProbe, type Probe } from './probes';
import type { DnsProbeRow, PingRow } from '../results/probes';
import { failoverOutcome, failoverRunRow, outageSummary, type FailoverPhase, type FailoverRun } from '../results/outcome';
import { attachHealthChecks, type HealthCheckEvent, type HealthCheckOptions } from './health-check';
import { startRipTrafficMeter } from './rip-traffic';
import type { RipTrafficRow } from '../results/rows';
import type { BindProfileName } from '../proto/dns/server';
import { instantStream, monteCarloRun, type MonteCarloPlan } from './monte-carlo';
import { labUpdateInterval } from '../config/rip-timers';
import type { RouteChangeRow } from '../lab/route-log';
import { tryParseIpv4 } from '../wire/addr';

// The phases, the outcome and the run rows are read from rows alone (lib/results/outcome.ts).

export interface FailoverOptions {
  /** A lab folder, or a LabSpec already loaded (then `options` is not used). */
  lab: string | LabSpec;
  /** Lab options. @defaultValue `{ do_anycast: true }` */
  options?: Record<string, boolean>;
  /**
   * The FRR release the lab's FRR files without a `frr version` line are read as (lib/config/load.ts
   * `LoadLabSettings.frrVersion`; not used with a LabSpec). @defaultValue the topology's x-sim.frr-version, else 8.4
   */
  frrVersion?: string;
  /** @defaultValue 'xenial3' (the write-up's client) */
  client?: string;
  /** @defaultValue '10.128.224.2' (the anycast address) */
  target?: string;
  /** The failure without its time, e.g. `xenial1:halt`, `xenial1:ripd-stop`, `xenial1:reboot=60s`, `xenial1:drain=10s`. */
  fail: string;
  /** When the failure happens. */
  at: SimTime;
  /**
   * `ping`: one echo request per interval (5 s timeout); `dns`: one `dig +tries=1 +time=1` query for
   * `test` per interval (`startDnsProbe`).
   * @defaultValue 'ping'
   */
  probe?: 'ping' | 'dns';
  /** Probe interval. @defaultValue 1 s */
  probeInterval?: Duration;
  /** First probe. @defaultValue 20 s before `at` (never before 0) */
  probeFrom?: SimTime;
  /** The run (and the probe) ends here. @defaultValue 10 min after `at` */
  until?: SimTime;
  /** @defaultValue 1 */
  seed?: number;
  /** Run every RIP speaker with this profile instead of its own dialect's (`withRipProfile`). */
  profile?: RipProfileName;
  /** How every named behaves (`LabOptions.bindProfile`). @defaultValue 'bind-9.10' */
  bindProfile?: BindProfileName;
  /**
   * `timers basic` on every RIP speaker (`withRipTimers`): IOS "5 15 15 20", FRR "5 15 10", or
   * either dialect's `RipTimersSpec`. @defaultValue each configuration's own
   */
  timers?: RipTimersSpec | string;
  /** How IOS routers read a received poison (`withIosPoison`). @defaultValue 'remove' */
  iosPoison?: IosPoisonReading;
  /**
   * A health check on every anycast server (named plus an alias on lo), withdrawing the route
   * when named stops answering. null or absent: none (the write-up's lab).
   */
  healthCheck?: HealthCheckOptions | null;
  /**
   * Count RIP on every link from this time until the failure (`startRipTrafficMeter`): what the
   * routing costs in normal operation. Absent: not counted (`ripTraffic` is empty).
   */
  ripTrafficFrom?: SimTime;
  /** Configuration changes while the lab runs (`r1@300s: router rip; passive-interface eth0`). */
  changes?: string[];
  /** Keep the run's route log in the result (`routeChanges`), for the figures that read it. @defaultValue false */
  keepRouteChanges?: boolean;
}

export interface FailoverResult {
  /** The failure as injected, e.g. `xenial1:halt@2m`. */
  failure: string;
  at: SimTime;
  /**
   * The interruption the failure caused: from the last reply before the first unanswered probe
   * sent at or after the failure, to the first reply after that probe (the write-up's ping: seq 14
   * → seq 257, 243 s). 0 when every probe was answered; null when there was no reply before, or
   * none after by the end of the run, or when the baseline was not steady (`baseline`).
   */
  outage: Duration | null;
  /** `outage` in seconds (null likewise). */
  outageSeconds: number | null;
  lastGood: SimTime | null;
  firstGood: SimTime | null;
  /**
   * Whether the service was steady before the failure, the premise of an outage. `problems`: what
   * the probe and the route log saw (empty when steady); `causes`: the doctor's findings on the
   * lab's RIP timers (lib/config/doctor.ts `rip-timeout-short` warnings), which explain a flap.
   */
  baseline: { steady: boolean; problems: string[]; causes: string[] };
  /** Ping: the TTL of the shortest path the replies took (the near server's); null if none came or on a DNS probe. */
  nearTtl: number | null;
  /** DNS probe: the server that answered before the failure; null if none did or on a ping probe. */
  nearServer: string | null;
  phases: FailoverPhase[];
  /** The ping probe's rows (empty with `probe: 'dns'`). */
  rows: PingRow[];
  /** The DNS probe's rows (empty with `probe: 'ping'`). */
  dnsRows: DnsProbeRow[];
  /** What the health checks did (empty without `healthCheck`). */
  healthChecks: HealthCheckEvent[];
  /** RIP per link from `ripTrafficFrom` to the failure (empty without `ripTrafficFrom`). */
  ripTraffic: RipTrafficRow[];
  /** Every route change of the run (lib/lab/route-log.ts), with `keepRouteChanges` only. */
  routeChanges?: RouteChangeRow[];
}

/** `dig +time=1`: the DNS probe's wait for each answer. */
const DNS_PROBE_TIMEOUT = seconds(1);

const specCache = new Map<string, LabSpec>();

/** The key a lab folder loaded with `options` (and read as FRR `frrVersion`) is cached under. */
export function labSpecKey(lab: string, options: Record<string, boolean>, frrVersion: string | undefined): string {
  return `${lab}\u0000${JSON.stringify(Object.entries(options).sort())}\u0000${frrVersion ?? ''}`;
}

/**
 * Gives the cache labs already loaded elsewhere (`labSpecKey` → spec): a sweep's worker threads get
 * the specs the main thread loaded and checked, and never read the lab files themselves.
 */
export function provideLabSpecs(entries: Iterable<readonly [string, LabSpec]>): void {
  for (const [key, spec] of entries) specCache.set(key, spec);
}

/** A lab folder loaded with `options` (read as FRR `frrVersion`), once per process unless given (`provideLabSpecs`). */
export function labSpec(lab: string, options: Record<string, boolean>, frrVersion: string | undefined): LabSpec {
  return specOf(lab, options, frrVersion);
}

function specOf(lab: string | LabSpec, options: Record<string, boolean>, frrVersion: string | undefined): LabSpec {
  if (typeof lab !== 'string') return lab;
  const key = labSpecKey(lab, options, frrVersion);
  let spec = specCache.get(key);
  if (spec === undefined) {
    // Loaded here only: a process given its specs (a sweep worker) never loads the lab readers.
    const { loadLab } = require('../config/load') as typeof import('../config/load');
    spec = loadLab(lab, options, frrVersion === undefined ? {} : { frrVersion });
    specCache.set(key, spec);
  }
  return spec;
}

/**
 * The lab with the what-if overrides applied, the same object for the same overrides of the same
 * lab: every run of a distribution builds its Lab from one spec instead of copying it each run.
 */
const overridden = new WeakMap<LabSpec, Map<string, LabSpec>>();

function withOverrides(spec: LabSpec, o: Pick<FailoverOptions, 'profile' | 'timers' | 'iosPoison'>): LabSpec {
  if (o.profile === undefined && o.timers === undefined && o.iosPoison === undefined) return spec;
  const key = JSON.stringify([o.profile ?? null, o.timers ?? null, o.iosPoison ?? null]);
  let byKey = overridden.get(spec);
  if (byKey === undefined) overridden.set(spec, (byKey = new Map()));
  let out = byKey.get(key);
  if (out === undefined) {
    out = spec;
    if (o.profile !== undefined) out = withRipProfile(out, o.profile);
    if (o.timers !== undefined) out = withRipTimers(out, o.timers);
    if (o.iosPoison !== undefined) out = withIosPoison(out, o.iosPoison);
    byKey.set(key, out);
  }
  return out;
}

function failureText(fail: string, at: SimTime): string {
  if (fail.includes('@')) throw new Error(`fail: give the failure without its time (e.g. xenial1:halt), and the time as "at"; got "${fail}"`);
  const text = `${fail}@${formatDuration(at)}`;
  const parsed = parseFailure(text);
  if (!parsed.ok) throw new Error(`fail: ${parsed.error}`);
  return text;
}

/** One lab, one failure at `at`, a ping or DNS probe from the client: the outage and its phases. */
export function measureFailover(o: FailoverOptions): FailoverResult {
  const spec = withOverrides(specOf(o.lab, o.options ?? { do_anycast: true }, o.frrVersion), o);
  const failure = failureText(o.fail, o.at);
  const until = o.until ?? o.at + minutes(10);
  if (until <= o.at) throw new Error(`until (${formatDuration(until)}) must be after the failure (${formatDuration(o.at)})`);
  const lab = new Lab(spec, { seed: o.seed ?? 1, failures: [failure], ...(o.changes === undefined ? {} : { changes: o.changes }), ...(o.bindProfile === undefined ? {} : { bindProfile: o.bindProfile }) });
  const checks = o.healthCheck === undefined || o.healthCheck === null ? [] : attachHealthChecks(lab, o.healthCheck);
  const ripMeter = o.ripTrafficFrom === undefined ? null : startRipTrafficMeter(lab, { from: o.ripTrafficFrom, until: o.at });
  const probeOptions = {
    client: o.client ?? 'xenial3',
    target: o.target ?? '10.128.224.2',
    interval: o.probeInterval ?? seconds(1),
    from: o.probeFrom ?? Math.max(0, o.at - seconds(20)),
    until,
  };
  const probeKind = o.probe ?? 'ping';
  if (probeKind !== 'ping' && probeKind !== 'dns') throw new Error(`probe: expected "ping" or "dns", got "${String(probeKind)}"`);
  const pingProbe: Probe<PingRow> | null = probeKind === 'ping' ? startPingProbe(lab, probeOptions) : null;
  const dnsProbe: Probe<DnsProbeRow> | null = probeKind === 'dns' ? startDnsProbe(lab, { ...probeOptions, timeout: DNS_PROBE_TIMEOUT }) : null;
  // The DNS probe's last queries get their 1 s to answer (none is sent at or after `until`).
  lab.runUntil(dnsProbe === null ? until : until + DNS_PROBE_TIMEOUT);
  pingProbe?.stop();
  dnsProbe?.stop();
  const rows: readonly (PingRow | DnsProbeRow)[] = pingProbe?.rows ?? dnsProbe!.rows;
  const { near, baselineProblems, ...outcome } = failoverOutcome(rows, o.at);
  const problems = [...baselineProblems, ...routeChangesBefore(lab, probeOptions.target, o.at)];
  const steady = problems.length === 0;
  const causes = steady ? [] : (require('../config/doctor') as typeof import('../config/doctor')).doctor(spec).filter((f) => f.code === 'rip-timeout-short' && f.severity === 'warning').map((f) => f.message);
  const healthChecks = checks.flatMap((c) => c.events).sort((a, b) => a.t - b.t);
  return {
    failure,
    at: o.at,
    ...outcome,
    ...(steady ? {} : { outage: null, outageSeconds: null }),
    baseline: { steady, problems, causes },
    nearTtl: probeKind === 'ping' ? (near as number | null) : null,
    nearServer: probeKind === 'dns' ? (near as string | null) : null,
    rows: pingProbe?.rows ?? [],
    dnsRows: dnsProbe?.rows ?? [],
    healthChecks,
    ripTraffic: ripMeter?.rows() ?? [],
    ...(o.keepRouteChanges === true ? { routeChanges: lab.routeLog.rows() } : {}),
  };
}

/** `labUpdateInterval` of a spec, once per spec (every run of a distribution asks it of the same one). */
const updateIntervals = new WeakMap<LabSpec, Duration | null>();

function updateIntervalOf(spec: LabSpec): Duration | null {
  let interval = updateIntervals.get(spec);
  if (interval === undefined) updateIntervals.set(spec, (interval = labUpdateInterval(spec)));
  return interval;
}

/**
 * Why the routing was not steady before the failure: route changes for the target's prefixes in
 * the two update intervals before `at` (see the module comment), each node's first install aside.
 */
function routeChangesBefore(lab: Lab, target: string, at: SimTime): string[] {
  const address = tryParseIpv4(target);
  if (address === null) return [];
  const interval = updateIntervalOf(lab.spec);
  if (interval === null) return [];
  const from = Math.max(0, at - 2 * interval);
  const seen = new Set<string>();
  const changes: { t: SimTime; node: string; prefix: string; event: string }[] = [];
  for (const row of lab.routeLog.covering(address, { until: at })) {
    const key = `${row.node} ${row.prefix}`;
    const first = !seen.has(key);
    seen.add(key);
    if (row.t >= at || row.t < from || (first && row.event === 'add')) continue;
    changes.push({ t: row.t, node: row.node, prefix: row.prefix, event: row.event });
  }
  if (changes.length === 0) return [];
  const nodes = [...new Set(changes.map((c) => c.node))];
  const shown = changes.slice(0, 4).map((c) => `${c.node} ${c.event} ${c.prefix} at ${(c.t / seconds(1)).toFixed(1)}s`).join(', ');
  return [`the routes to ${target} changed ${changes.length} times in the ${formatDuration(at - from)} before the failure, on ${nodes.join(', ')} (${shown}${changes.length > 4 ? ', …' : ''})`];
}

/**
 * The window a distribution draws its failure instants over when none is given: the lab's RIP
 * update interval as it will run (`labUpdateInterval`, with `profile` and `timers` applied), so the
 * failure meets every phase of the update schedule. 30 s when no node runs RIP.
 */
export function failoverWindow(o: Pick<FailoverOptions, 'lab' | 'options' | 'frrVersion' | 'profile' | 'timers'> & { window?: Duration | null }): Duration {
  if (o.window !== undefined && o.window !== null) return o.window;
  const spec = withOverrides(specOf(o.lab, o.options ?? { do_anycast: true }, o.frrVersion), { ...(o.profile === undefined ? {} : { profile: o.profile }), ...(o.timers === undefined ? {} : { timers: o.timers }) });
  return updateIntervalOf(spec) ?? seconds(30);
}

export interface FailoverDistributionOptions extends Omit<FailoverOptions, 'probeFrom' | 'until'> {
  /** How many failure instants. @defaultValue 100 */
  runs?: number;
  /**
   * Failure instants are drawn uniformly in [at, at + window). @defaultValue the lab's RIP update
   * interval (`failoverWindow`: 30 s with the defaults, 5 s with `timers` "5 15 15 20"): every
   * phase of the failure against the RIP update schedule
   */
  window?: Duration;
  /** Each run lasts this long after its failure. @defaultValue 10 min */
  runFor?: Duration;
  /** Told after each run how many are done, of how many (the live pages' progress bar). */
  onRun?: (done: number, total: number) => void;
}

export interface FailoverDistribution {
  /** The profile every speaker ran, or null: each its own dialect's. */
  profile: RipProfileName | null;
  /** The window the failure instants were drawn over. */
  window: Duration;
  runs: FailoverRun[];
  /** Over the runs that recovered before their end (seconds). */
  min: number | null;
  median: number | null;
  max: number | null;
  /** Runs with no reply after the failure before they ended. */
  unrecovered: number;
  /** Runs whose baseline before the failure was not steady (no outage read: `FailoverRun.unsteady`). */
  unsteady: number;
}

/** The stream a distribution's instants are drawn from: per profile, as recorded outputs have it. */
export function distributionStream(profile: RipProfileName | null | undefined): string {
  return `failover/${profile ?? 'lab'}`;
}

/**
 * One run of a distribution: the failure at `at`, the run ending `runFor` after it, and the time
 * spent in each phase after the failure. `o.seed` seeds the lab.
 */
export function failoverRun(o: Omit<FailoverOptions, 'at' | 'until' | 'probeFrom'>, at: SimTime, runFor: Duration, run: number): FailoverRun {
  const r = measureFailover({ ...o, at, until: at + runFor });
  const busiest = r.ripTraffic.reduce<RipTrafficRow | null>((a, b) => (a === null || b.bytesPerSecond > a.bytesPerSecond ? b : a), null);
  const row = failoverRunRow(run, { ...r, baselineProblems: r.baseline.problems }, o.probeInterval ?? seconds(1));
  return busiest === null ? row : { ...row, busiestRipLink: busiest };
}

/**
 * Seeded Monte Carlo over the failure instant (lib/measure/monte-carlo.ts, its `instantStream` draws:
 * every run on the lab seed `seed`, the instants one stream forked `failover/<profile>`, or
 * `failover/lab` without a profile): the same seed
 * gives the same instants and, the simulation being deterministic, the same rows.
 */
export function failoverDistribution(o: FailoverDistributionOptions): FailoverDistribution {
  const runs = o.runs ?? 100;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`runs: expected a whole number ≥ 1, got ${runs}`);
  const window = failoverWindow(o);
  const plan: MonteCarloPlan = { draws: instantStream(o.seed ?? 1, distributionStream(o.profile)), at: o.at, window };
  const out: FailoverRun[] = [];
  for (let run = 0; run < runs; run++) {
    out.push(monteCarloRun(plan, run, (t) => failoverRun({ ...o, seed: t.labSeed }, t.at, o.runFor ?? minutes(10), t.run)));
    o.onRun?.(run + 1, runs);
  }
  return { profile: o.profile ?? null, window, runs: out, ...outageSummary(out) };
}
