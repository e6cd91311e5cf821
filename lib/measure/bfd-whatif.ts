/**
 * The RIP + BFD what-if (chapter 6, beside tuned timers and the health check): how long a client
 * loses the anycast service when the nearest server halts, with RIP alone and with `ip rip bfd`
 * between each server and its router, and what each costs in packets per second on every link.
 *
 * The lab is data/labs/anycast-bfd (FRR 10 everywhere: RIP BFD needs FRR 9.0 or later, and Debian 12
 * ships 8.4.4, so the real lab of chapter 7 cannot run it). "RIP only" is the same lab with every
 * `ip rip bfd` line and bfdd taken out; the BFD options set the `fast` profile's timers.
 *
 * Cost: a steady run (no failure), counting from 60 s to 120 s, once the sessions are Up and RIP has
 * converged: RIP packets from the segments' counters (./rip-traffic.ts), BFD control packets from
 * the sessions' own counters (each sent packet crosses the link of its session's interface once).
 * A BFD frame is 66 bytes on the wire: Ethernet 14 + IPv4 20 + UDP 8 + the 24-byte control packet.
 */
import { minutes, seconds, toSeconds, type Duration, type SimTime } from '../sim/time';
import type { LabSpec } from '../config/spec';
import { loadLab } from '../config/load';
import { Lab } from '../lab/lab';
import { bfdDaemonOf } from '../net/bfd-daemon';
import { failoverDistribution } from './failover';
import { startRipTrafficMeter } from './rip-traffic';
import { median, quantile } from '../results/stats';

/** Ethernet header + IPv4 header + UDP header + RFC 5880 §4.1's 24 bytes. */
export const BFD_FRAME_BYTES = 14 + 20 + 8 + 24;

export interface BfdOption {
  /** How the option reads in tables and figures. */
  option: string;
  /** null: RIP alone. Otherwise the `fast` profile's timers (ms, ms, count). */
  bfd: { transmitMs: number; receiveMs: number; detectMultiplier: number } | null;
}

/** RIP alone, FRR bfdd's defaults (300 ms × 3), and a faster profile (100 ms × 3). */
export const BFD_OPTIONS: readonly BfdOption[] = [
  { option: 'RIP only (FRR timers 30 180 120)', bfd: null },
  { option: 'RIP + BFD 300 ms × 3', bfd: { transmitMs: 300, receiveMs: 300, detectMultiplier: 3 } },
  { option: 'RIP + BFD 100 ms × 3', bfd: { transmitMs: 100, receiveMs: 100, detectMultiplier: 3 } },
];

export interface BfdWhatIfOptions {
  /** The lab folder. @defaultValue data/labs/anycast-bfd */
  lab: string;
  options?: readonly BfdOption[];
  /** Runs per option (failure instants over one RIP update interval). @defaultValue 30 */
  runs?: number;
  /** @defaultValue 1 */
  seed?: number;
  /** @defaultValue 2 min */
  at?: SimTime;
  /** @defaultValue 4 min */
  runFor?: Duration;
}

/** A type, not an interface, so the rows are the plain records lib/plot's sweep figures take. */
export type BfdWhatIfRow = {
  option: string;
  run: number;
  outageSeconds: number | null;
};

export interface BfdLinkCost {
  option: string;
  link: string;
  ripPacketsPerSecond: number;
  bfdPacketsPerSecond: number;
  ripBytesPerSecond: number;
  bfdBytesPerSecond: number;
}

export interface BfdWhatIfResult {
  rows: BfdWhatIfRow[];
  costs: BfdLinkCost[];
}

/** The lab as one option runs it. */
export function bfdOptionSpec(base: LabSpec, option: BfdOption): LabSpec {
  const spec = structuredClone(base);
  for (const n of spec.nodes) {
    const frr = n.frr;
    if (frr === undefined) continue;
    if (option.bfd === null) {
      frr.bfd = [];
      delete frr.bfdd;
      continue;
    }
    for (const p of frr.bfdd?.profiles ?? []) {
      p.transmitIntervalMs = option.bfd.transmitMs;
      p.receiveIntervalMs = option.bfd.receiveMs;
      p.detectMultiplier = option.bfd.detectMultiplier;
    }
  }
  return spec;
}

/** Packets and bytes per second on every link in a steady run of `spec`, from 60 s to 120 s. */
export function bfdLinkCosts(spec: LabSpec, option: string, seed = 1): BfdLinkCost[] {
  const from = seconds(60);
  const until = seconds(120);
  const lab = new Lab(spec, { seed });
  const rip = startRipTrafficMeter(lab, { from, until });
  const bfdAt = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const node of lab.network.nodes.values()) {
      for (const p of bfdDaemonOf(node)?.peers ?? []) {
        const link = node.interfaces[p.ifIndex]!.segment?.name;
        if (link !== undefined) m.set(link, (m.get(link) ?? 0) + p.session.stats.txPackets);
      }
    }
    return m;
  };
  lab.runUntil(from);
  const start = bfdAt();
  lab.runUntil(until);
  const end = bfdAt();
  const span = toSeconds(until - from);
  return rip.rows().map((r) => {
    const bfd = ((end.get(r.link) ?? 0) - (start.get(r.link) ?? 0)) / span;
    return { option, link: r.link, ripPacketsPerSecond: r.packetsPerSecond, bfdPacketsPerSecond: bfd, ripBytesPerSecond: r.bytesPerSecond, bfdBytesPerSecond: bfd * BFD_FRAME_BYTES };
  });
}

/**
 * Every option: the outage distribution (s1 halted, c1 pinging 10.14.224.2) and the cost per link.
 * A run whose baseline was not steady, or that never recovered, has a null outage (said, not averaged).
 */
export function bfdWhatIf(o: BfdWhatIfOptions): BfdWhatIfResult {
  const base = loadLab(o.lab);
  const rows: BfdWhatIfRow[] = [];
  const costs: BfdLinkCost[] = [];
  for (const option of o.options ?? BFD_OPTIONS) {
    const spec = bfdOptionSpec(base, option);
    const d = failoverDistribution({ lab: spec, client: 'c1', target: '10.14.224.2', fail: 's1:halt', at: o.at ?? minutes(2), runFor: o.runFor ?? minutes(4), runs: o.runs ?? 30, seed: o.seed ?? 1 });
    for (const r of d.runs) rows.push({ option: option.option, run: r.run, outageSeconds: r.outageSeconds });
    costs.push(...bfdLinkCosts(spec, option.option, o.seed ?? 1));
  }
  return { rows, costs };
}

export interface BfdWhatIfSummary {
  option: string;
  runs: number;
  /** Over the runs that recovered (s). */
  median: number | null;
  p90: number | null;
  max: number | null;
  /** Runs with no outage read (not recovered, or no steady baseline). */
  unrecovered: number;
  /** The busiest link's packets per second, RIP and BFD. */
  ripPacketsPerSecond: number;
  bfdPacketsPerSecond: number;
  /** The link that carries the most BFD (or RIP, with no BFD). */
  busiestLink: string;
}

/** One line per option: the outage distribution and the busiest link's cost. */
export function summarizeBfdWhatIf(r: BfdWhatIfResult): BfdWhatIfSummary[] {
  const options = [...new Set(r.rows.map((x) => x.option))];
  return options.map((option) => {
    const runs = r.rows.filter((x) => x.option === option);
    const done = runs.flatMap((x) => (x.outageSeconds === null ? [] : [x.outageSeconds])).sort((a, b) => a - b);
    const links = r.costs.filter((c) => c.option === option);
    const busiest = links.reduce((a, b) => (b.bfdPacketsPerSecond + b.ripPacketsPerSecond > a.bfdPacketsPerSecond + a.ripPacketsPerSecond ? b : a));
    return {
      option,
      runs: runs.length,
      median: median(done),
      p90: quantile(done, 0.9),
      max: done.length === 0 ? null : done[done.length - 1]!,
      unrecovered: runs.length - done.length,
      ripPacketsPerSecond: busiest.ripPacketsPerSecond,
      bfdPacketsPerSecond: busiest.bfdPacketsPerSecond,
      busiestLink: busiest.link,
    };
  });
}
