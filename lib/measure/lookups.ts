/**
 * Timing name lookups the way the write-up did (`time nslookup r1`), across resolver tools and
 * failure modes, as tidy rows for tables and plots.
 *
 * `resolverExperiment` is the chapter 6 what-if: instead of anycast, change the client's resolver
 * (`options timeout:1`, `attempts`, `rotate`, a third name server) and measure what its lookups
 * suffer after the first server dies (host halted: silence; only named stopped: ICMP port
 * unreachable). One run per call, so a sweep can vary every parameter; each lookup is a process of
 * its own (getent, a CGI, a cron job), which is what decides glibc's rotate (freshProcessRotation).
 */
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, minutes, seconds } from '../sim/time';
import type { LabSpec } from '../config/spec';
import { loadLab } from '../config/load';
import { parseResolvConfStrict, withResolvOptions } from '../config/dns';
import { ipv4ToString } from '../wire/addr';
import { DEFAULT_RESOLV_CONF, RESOLVER_PRESETS, freshProcessRotation, type GlibcRotation, type ResolvConf, type ResolverPresetName } from '../proto/dns/resolver';
import { Lab, type LoadOptions } from '../lab/lab';
import { namedOf, nodeDns } from '../lab/dns';
import { parseFailure, type FailureSpec } from '../config/failures';
import { serversByAnswer } from './probes';
import { ConsoleProcess } from '../lab/consoles/process';
import { startLookup } from '../lab/consoles/dns';
import type { LookupTiming, ResolverLookupRow } from '../results/rows';
import { median, quantile } from '../results/stats';


export interface LookupCase {
  /** Shown in tables: `nslookup (BIND 9.10)`. */
  label: string;
  /** The command to time, e.g. `nslookup r1` or `getent hosts r1`. */
  command: string;
  /** The preset the BIND tools (nslookup, dig, host) follow on this run; glibc tools ignore it. */
  toolPreset?: ResolverPresetName;
}

export interface LookupExperiment {
  lab: string;
  client: string;
  cases: readonly LookupCase[];
  /** Failure label → failures injected at time 0 (e.g. `xenial1:named-stop@0s`). */
  failures: Readonly<Record<string, readonly string[]>>;
  /** When to run each lookup (routing must have converged). */
  at?: SimTime;
  load?: LoadOptions;
}

/** Runs every case under every failure mode, each in a fresh lab with the same seed. */
export function timeLookups(e: LookupExperiment): LookupTiming[] {
  const rows: LookupTiming[] = [];
  for (const [failure, fails] of Object.entries(e.failures)) {
    for (const c of e.cases) {
      const lab = Lab.load(e.lab, { ...(e.load ?? {}), failures: [...fails] });
      if (c.toolPreset !== undefined) nodeDns(lab.node(e.client)).tools = RESOLVER_PRESETS[c.toolPreset];
      const output = lab.exec(e.client, `time ${c.command}`, { at: e.at ?? seconds(60) });
      const real = /real\t(\d+)m([\d.]+)s/.exec(output);
      const server = /^Server:\s+(\S+)/m.exec(output)?.[1] ?? null;
      // Answered: nslookup printed a Name, getent an address line, dig an answer section.
      const ok = /^Name:|^\d+\.\d+\.\d+\.\d+\s|ANSWER SECTION/m.test(output);
      rows.push({ tool: c.label, failure, seconds: real === null ? NaN : Number(real[1]) * 60 + Number(real[2]), server, ok, output });
    }
  }
  return rows;
}

// ---- resolver what-ifs ----------------------------------------------------------------------------

export interface ResolverSummary {
  lookups: number;
  failed: number;
  medianMs: number | null;
  /** 95th percentile (lib/results/stats.ts: linear between order statistics). */
  p95Ms: number | null;
  maxMs: number | null;
  /** The latency a lookup has without the failure: median of the same schedule in a run without it. */
  baselineMs: number | null;
  /**
   * "Service time lost": the sum over lookups of what each took beyond the baseline (a failed
   * lookup counts the time until it gave up), in seconds.
   */
  lostSeconds: number;
}

export interface ResolverExperimentOptions {
  /** A lab folder (`labPath('anycast')`) or a LabSpec already loaded (then `options` is not used). */
  lab: string | LabSpec;
  /** Lab options. @defaultValue `{}`: unicast, the clients' resolv.conf lists the servers (§3.2) */
  options?: Record<string, boolean>;
  /** The FRR release FRR files without a `frr version` line are read as (LoadLabSettings). @defaultValue the lab's */
  frrVersion?: string;
  /** @defaultValue 'xenial3' */
  client?: string;
  /** Which stub resolver: the C library's or the BIND tools'. @defaultValue 'glibc' */
  resolver?: ResolverPresetName;
  /**
   * How glibc's `options rotate` starts in the process of each lookup (freshProcessRotation).
   * @defaultValue 'glibc-2.23' (xenial, the write-up's clients)
   */
  rotation?: GlibcRotation;
  /** The client's whole /etc/resolv.conf instead of the one its setup script wrote. Errors name `resolv.conf:<line>`. */
  resolvConf?: string;
  /** Words of an `options` line applied over the client's resolv.conf, e.g. `timeout:1 attempts:1 rotate`. */
  resolvOptions?: string;
  /** @defaultValue 'r1' (the write-up's `nslookup r1`, §3.4) */
  name?: string;
  /** The failure without its time: `xenial1:halt`, `xenial1:named-stop`; null or absent: no failure. */
  fail?: string | null;
  /** When the failure happens; the schedule counts from here. @defaultValue 2 min (routing has converged) */
  at?: SimTime;
  /** Lookups start every `interval` from `at` on. @defaultValue 1 s */
  interval?: Duration;
  /** How many lookups at `interval`. @defaultValue 60 */
  count?: number;
  /** Start times of the lookups as offsets from `at` (replaces interval/count). */
  schedule?: readonly Duration[];
  /** @defaultValue 1 */
  seed?: number;
  /** The latency without the failure, if known; else a twin run without the failure measures it. */
  baseline?: Duration;
}

export interface ResolverExperimentResult {
  rows: ResolverLookupRow[];
  summary: ResolverSummary;
}

/** The lookups of one experiment in one lab run; the lab already has its failure scheduled. */
function runLookups(lab: Lab, o: ResolverExperimentOptions, conf: ResolvConf, starts: readonly SimTime[]): ResolverLookupRow[] {
  const clientName = o.client ?? 'xenial3';
  const node = lab.network.nodes.get(clientName);
  if (node === undefined) throw new Error(`client: no node "${clientName}" in lab ${lab.spec.name} (nodes: ${[...lab.network.nodes.keys()].join(', ')})`);
  const presetName = o.resolver ?? 'glibc';
  const preset = RESOLVER_PRESETS[presetName];
  const rotationKind = o.rotation ?? 'glibc-2.23';
  // NOTE: BIND's dig/nslookup/host read nameserver, search/domain and ndots from resolv.conf (lib/irs
  // resconf.c) but have no rotate: with them the option changes nothing.
  const lookupConf = presetName === 'glibc' ? conf : { ...conf, rotate: false };
  const tool = presetName === 'glibc' && lookupConf.rotate ? `glibc (rotate, ${rotationKind})` : presetName;
  const name = o.name ?? 'r1';
  // The answer tells the server only when every server gives its own address for the name (the
  // §4.3.5 `test` host); for a name they agree on (r1), serversByAnswer's last server means nothing.
  const byAnswer = serversByAnswer(lab, name);
  const namedCount = [...lab.network.nodes.values()].filter((n) => namedOf(n) !== null).length;
  const answerTells = new Set(Object.values(byAnswer)).size === namedCount && Object.keys(byAnswer).length === namedCount;
  const owners = new Map<number, string[]>();
  for (const n of lab.network.nodes.values()) for (const i of n.interfaces) for (const a of i.addresses) owners.set(a.address, [...(owners.get(a.address) ?? []), n.name]);
  const rows: (ResolverLookupRow | undefined)[] = starts.map(() => undefined);
  starts.forEach((start, k) => {
    lab.network.scheduler.at(start, () => {
      // A fresh process per lookup (its own rotation state, sockets and ids), never exit()ed: that
      // would stop the scheduler of the whole run.
      const p = new ConsoleProcess(node.scheduler);
      const rng = node.rng.fork(`lookup/${clientName}/${k}`);
      const rotation = freshProcessRotation(rotationKind, lookupConf.nameservers.length, rng);
      startLookup(p, node, name, 'A', lookupConf, preset, () => {}, (outcome) => {
        p.exited = true;
        const latencyMs = (node.now - start) / 1000;
        if (outcome.kind === 'no-servers') {
          rows[k] = { t: start, client: clientName, tool, latencyMs, ok: false, server: null, answeredBy: null };
          return;
        }
        let address: string | null = null;
        if (outcome.message.rcode === 0) for (const r of outcome.message.answers) if (address === null && r.type === 'A' && typeof r.data === 'string') address = r.data;
        const owner = owners.get(outcome.server) ?? [];
        const answeredBy = (address !== null && answerTells ? byAnswer[address] : undefined) ?? (owner.length === 1 ? owner[0]! : null);
        rows[k] = { t: start, client: clientName, tool, latencyMs, ok: address !== null, server: ipv4ToString(outcome.server), answeredBy };
      }, { rotation });
    });
  });
  const last = Math.max(...starts);
  lab.runUntil(last);
  // Run on until every lookup has ended (at most attempts × servers × the longest wait, 5 × 3 × 40 s).
  const limit = last + minutes(11);
  while (rows.some((r) => r === undefined) && lab.now < limit) lab.runFor(seconds(5));
  const missing = rows.findIndex((r) => r === undefined);
  if (missing >= 0) throw new Error(`lookup at ${formatDuration(starts[missing]!)} had not ended after ${formatDuration(limit - starts[missing]!)}`);
  return rows as ResolverLookupRow[];
}

/**
 * One resolver what-if run, as a sweep calls it: a client looks a name up on a schedule after one
 * failure (or none), through the resolver and resolv.conf given; one row per lookup and a summary.
 * Deterministic for a given seed.
 */
export function resolverExperiment(o: ResolverExperimentOptions): ResolverExperimentResult {
  const spec = typeof o.lab === 'string' ? loadLab(o.lab, o.options ?? {}, o.frrVersion === undefined ? {} : { frrVersion: o.frrVersion }) : o.lab;
  const at = o.at ?? minutes(2);
  // Sweeps pass these from YAML: check them here rather than fail deep inside a run.
  if (o.resolver !== undefined && !Object.hasOwn(RESOLVER_PRESETS, o.resolver)) throw new Error(`resolver: expected one of ${Object.keys(RESOLVER_PRESETS).join(', ')}, got "${String(o.resolver)}"`);
  if (o.rotation !== undefined && o.rotation !== 'glibc-2.23' && o.rotation !== 'glibc-2.26') throw new Error(`rotation: expected glibc-2.23 or glibc-2.26, got "${String(o.rotation)}"`);
  if (o.count !== undefined && (!Number.isSafeInteger(o.count) || o.count < 1)) throw new Error(`count: expected a whole number ≥ 1, got ${o.count}`);
  if (o.interval !== undefined && (!Number.isSafeInteger(o.interval) || o.interval <= 0)) throw new Error(`interval: expected a duration longer than 0s, got ${o.interval}`);
  if (!Number.isSafeInteger(at) || at < 0) throw new Error(`at: expected a time ≥ 0s, got ${at}`);
  const offsets = o.schedule ?? Array.from({ length: o.count ?? 60 }, (_, i) => i * (o.interval ?? seconds(1)));
  if (offsets.length === 0) throw new Error('schedule: give at least one lookup');
  for (const d of offsets) if (!Number.isSafeInteger(d) || d < 0) throw new Error(`schedule: offsets are durations ≥ 0s after the failure, got ${d}`);
  const starts = offsets.map((d) => at + d);
  let failure: FailureSpec | null = null;
  if (o.fail !== undefined && o.fail !== null) {
    if (o.fail.includes('@')) throw new Error(`fail: give the failure without its time (e.g. xenial1:halt), and the time as "at"; got "${o.fail}"`);
    const parsed = parseFailure(`${o.fail}@${formatDuration(at)}`);
    if (!parsed.ok) throw new Error(`fail: ${parsed.error}`);
    failure = parsed.value;
  }
  const run = (withFailure: boolean): ResolverLookupRow[] => {
    const lab = new Lab(spec, { seed: o.seed ?? 1, failures: withFailure && failure !== null ? [failure] : [] });
    const client = lab.network.nodes.get(o.client ?? 'xenial3');
    let conf = client === undefined ? DEFAULT_RESOLV_CONF : nodeDns(client).resolvConf;
    if (o.resolvConf !== undefined) conf = parseResolvConfStrict(o.resolvConf, 'resolv.conf');
    if (o.resolvOptions !== undefined) conf = withResolvOptions(conf, o.resolvOptions, 'resolvOptions');
    return runLookups(lab, o, conf, starts);
  };
  const rows = run(true);
  let baselineMs: number | null = o.baseline === undefined ? null : o.baseline / 1000;
  if (baselineMs === null) {
    const twin = failure === null ? rows : run(false);
    baselineMs = median(twin.map((r) => r.latencyMs));
  }
  const sorted = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
  const lostMs = rows.reduce((sum, r) => sum + Math.max(0, r.latencyMs - (baselineMs ?? 0)), 0);
  return {
    rows,
    summary: {
      lookups: rows.length,
      failed: rows.filter((r) => !r.ok).length,
      medianMs: median(sorted),
      p95Ms: quantile(sorted, 0.95),
      maxMs: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
      baselineMs,
      lostSeconds: Math.round(lostMs) / 1000,
    },
  };
}
