/**
 * What a probe's rows say about a failure: the phases a client went through, the outage, and the
 * summary of many runs. Pure functions over rows, so simulated runs (lib/measure/failover.ts) and real
 * ones (lib/real/failover.ts) are read by the same rules.
 *
 *   near         replies from the server that answered before the failure (same TTL, or same name)
 *   silent       no answer: the routers still forward to the dead server
 *   unreachable  ICMP errors: a router has dropped the route
 *   far          replies from another server
 */
import type { Duration, SimTime } from '../sim/time';
import { toSeconds } from '../sim/time';
import type { DnsProbeRow, PingRow } from './probes';
import type { RipTrafficRow } from './rows';
import { median } from './stats';

export type FailoverPhaseName = 'near' | 'silent' | 'unreachable' | 'far';

/** A run of consecutive probes in the same phase. */
export interface FailoverPhase {
  phase: FailoverPhaseName;
  /** Send time of the first and last probe of the run. */
  from: SimTime;
  to: SimTime;
  count: number;
}

/** What a probe's rows say about a failure at `at`, for ping or DNS rows alike. */
export interface FailoverOutcome {
  outage: Duration | null;
  outageSeconds: number | null;
  lastGood: SimTime | null;
  firstGood: SimTime | null;
  /** Ping: the near server's TTL; DNS: its name; null if nothing answered before the failure. */
  near: number | string | null;
  phases: FailoverPhase[];
}

/** One run of a failover distribution, simulated or real. */
export interface FailoverRun {
  run: number;
  at: SimTime;
  outage: Duration | null;
  outageSeconds: number | null;
  /** Seconds in each phase after the failure (probe counts × interval), for plots. */
  silentSeconds: number;
  unreachableSeconds: number;
  /** With `ripTrafficFrom`: the link that carried the most RIP bytes before the failure. */
  busiestRipLink?: RipTrafficRow;
}

/** What `failoverRunRow` reads of one run: the failure time and the outcome of its probe's rows. */
export type RunOutcome = Pick<FailoverOutcome, 'outage' | 'outageSeconds' | 'phases'> & { at: SimTime };

/** Over the runs that recovered (seconds), and how many did not. */
export interface OutageSummary {
  min: number | null;
  median: number | null;
  max: number | null;
  /** Runs with no reply after the failure before they ended. */
  unrecovered: number;
}

/** Whether a probe got through: an echo reply, or a DNS answer with the address. */
function answered(row: PingRow | DnsProbeRow): boolean {
  return row.probe === 'ping' ? row.outcome === 'reply' : row.outcome === 'answer';
}

/** What tells the servers apart in a probe's answer: the reply's TTL (ping), the answering server (DNS). */
function answeredBy(row: PingRow | DnsProbeRow): number | string | null {
  return row.probe === 'ping' ? row.ttl : row.server;
}

/** Phase of one probe, given what identifies the near server (its TTL, or its name for DNS). */
function phaseOf(row: PingRow | DnsProbeRow, near: number | string | null): FailoverPhaseName {
  if (answered(row)) return answeredBy(row) === near ? 'near' : 'far';
  if (row.probe === 'ping') return row.outcome === 'timeout' ? 'silent' : 'unreachable';
  return row.outcome === 'timeout' && !row.icmpSeen ? 'silent' : 'unreachable';
}

/** Consecutive probes in the same phase, as runs. `near`: the near server's TTL (ping) or name (DNS). */
export function failoverPhases(rows: readonly (PingRow | DnsProbeRow)[], near: number | string | null): FailoverPhase[] {
  const phases: FailoverPhase[] = [];
  for (const row of rows) {
    const phase = phaseOf(row, near);
    const last = phases[phases.length - 1];
    if (last !== undefined && last.phase === phase) {
      last.to = row.t;
      last.count++;
    } else phases.push({ phase, from: row.t, to: row.t, count: 1 });
  }
  return phases;
}

/**
 * The outage, the answers around it and the phases, from a probe's rows: the same reading for
 * simulated rows and for rows of the real lab (lib/real).
 */
export function failoverOutcome(rows: readonly (PingRow | DnsProbeRow)[], at: SimTime): FailoverOutcome {
  let near: number | string | null = null;
  for (const r of rows) if (answered(r) && r.t < at) near = answeredBy(r);
  // The interruption: from the first probe at or after the failure that got no reply (a server
  // still up, as after ripd-stop, keeps answering until the routers move), back to the last reply
  // before it, and on to the first reply after it.
  const firstBad = rows.findIndex((r) => r.t >= at && !answered(r));
  let lastGood: SimTime | null = null;
  let firstGood: SimTime | null = null;
  let outage: Duration | null = 0;
  if (firstBad >= 0) {
    for (let i = firstBad - 1; i >= 0 && lastGood === null; i--) if (answered(rows[i]!)) lastGood = rows[i]!.t;
    for (let i = firstBad + 1; i < rows.length && firstGood === null; i++) if (answered(rows[i]!)) firstGood = rows[i]!.t;
    outage = lastGood === null || firstGood === null ? null : firstGood - lastGood;
  }
  return { outage, outageSeconds: outage === null ? null : toSeconds(outage), lastGood, firstGood, near, phases: failoverPhases(rows, near) };
}

/**
 * One run's row of a distribution from its outcome: the outage and the seconds spent silent and
 * unreachable after the failure (probe counts × interval). Simulated and real runs alike.
 */
export function failoverRunRow(run: number, r: RunOutcome, interval: Duration): FailoverRun {
  let silent = 0;
  let unreachable = 0;
  for (const p of r.phases) {
    if (p.from < r.at) continue;
    if (p.phase === 'silent') silent += p.count;
    if (p.phase === 'unreachable') unreachable += p.count;
  }
  return { run, at: r.at, outage: r.outage, outageSeconds: r.outageSeconds, silentSeconds: toSeconds(silent * interval), unreachableSeconds: toSeconds(unreachable * interval) };
}

/** Min, median and max outage over the runs that recovered, and how many did not. */
export function outageSummary(runs: readonly FailoverRun[]): OutageSummary {
  const values = runs.flatMap((r) => (r.outageSeconds === null ? [] : [r.outageSeconds])).sort((a, b) => a - b);
  const n = values.length;
  return { min: n === 0 ? null : values[0]!, median: median(values), max: n === 0 ? null : values[n - 1]!, unrecovered: runs.length - n };
}
