/**
 * What a probe's rows say about a failure: the phases a client went through, the outage, and the
 * summary of many runs. Pure functions over rows, so simulated runs (lib/measure/failover.ts) and real
 * ones (lib/real/failover.ts) are read by the same rules.
 *
 *   near         replies over the shortest path the probe saw (ping: the highest reply TTL, the
 *                fewest routers), or from the server that answered before the failure (DNS)
 *   silent       no answer: the routers still forward to the dead server
 *   unreachable  ICMP errors: a router has dropped the route
 *   far          replies over a longer path (a lower TTL), or from another server (DNS)
 *
 * The labels come from each reply itself, not from where it falls in time: a ping reply's TTL is
 * the path it took (every router decrements it once, RFC 791; Linux sends with 64), so when the
 * route flaps before the failure, the replies of the nearer server are still "near". A DNS answer
 * names its server (the zone's `test` address) but not its path; there "near" is the server that
 * answered the probes before the failure (the one that answered most of them when they differ).
 *
 * `baselineProblems` says whether the premise of an outage holds: the service was steady up to
 * the failure. An outage is read as "last reply before the failure to first reply after"; when the
 * client was already losing replies, or reaching a server now over one path and now over another,
 * that difference measures the flapping, not the failure.
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
  /** Ping: the TTL of the shortest path seen; DNS: the server that answered before the failure; null if nothing told. */
  near: number | string | null;
  phases: FailoverPhase[];
  /** Why the probes before the failure were not steady (`baselineProblems`); empty when they were. */
  baselineProblems: string[];
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
  /**
   * Present when the baseline before the failure was not steady: why (then `outage` is null, and
   * the run counts as `unsteady`, not as unrecovered).
   */
  unsteady?: string;
}

/** What `failoverRunRow` reads of one run: the failure time and the outcome of its probe's rows. */
export type RunOutcome = Pick<FailoverOutcome, 'outage' | 'outageSeconds' | 'phases'> & { at: SimTime; baselineProblems?: readonly string[] };

/** Over the runs that recovered (seconds), and how many did not. */
export interface OutageSummary {
  min: number | null;
  median: number | null;
  max: number | null;
  /** Runs with no reply after the failure before they ended. */
  unrecovered: number;
  /** Runs whose baseline before the failure was not steady: no outage is read from them. */
  unsteady: number;
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
  const near = nearOf(rows, at);
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
  return { outage, outageSeconds: outage === null ? null : toSeconds(outage), lastGood, firstGood, near, phases: failoverPhases(rows, near), baselineProblems: baselineProblems(rows, at) };
}

/**
 * What "near" is in a probe's rows (see the module comment): ping, the highest reply TTL of the run
 * (the shortest path); DNS, the server that answered most of the probes sent before the failure
 * (the earliest of them on a tie), else the first to answer after it.
 */
function nearOf(rows: readonly (PingRow | DnsProbeRow)[], at: SimTime): number | string | null {
  if (rows[0]?.probe === 'ping') {
    let ttl: number | null = null;
    for (const r of rows) if (r.probe === 'ping' && r.outcome === 'reply' && r.ttl !== null && (ttl === null || r.ttl > ttl)) ttl = r.ttl;
    return ttl;
  }
  const counts = new Map<string, number>();
  for (const r of rows) if (r.t < at && answered(r) && r.probe === 'dns' && r.server !== null) counts.set(r.server, (counts.get(r.server) ?? 0) + 1);
  let best: string | null = null;
  for (const [server, n] of counts) if (best === null || n > counts.get(best)!) best = server;
  if (best !== null) return best;
  for (const r of rows) if (answered(r) && r.probe === 'dns' && r.server !== null) return r.server;
  return null;
}

/**
 * Why the probes sent before the failure do not show a steady service; empty when they do. Steady:
 * at least one probe before the failure, every one of them answered, and all by one server over
 * one path (ping: one reply TTL; DNS: one answering server). A probe lost or answered from
 * elsewhere before anything failed means the routing was moving already: an outage read across
 * the failure would mix the failure with that.
 */
export function baselineProblems(rows: readonly (PingRow | DnsProbeRow)[], at: SimTime): string[] {
  const before = rows.filter((r) => r.t < at);
  if (before.length === 0) return ['no probe was sent before the failure, so the service before it was not observed'];
  const problems: string[] = [];
  const lost = before.filter((r) => !answered(r));
  if (lost.length > 0) {
    const icmpFrom = [...new Set(lost.flatMap((r) => (r.probe === 'ping' && r.outcome === 'unreachable' ? [r.from ?? 'the client'] : [])))];
    const kinds = [...new Set(lost.map((r) => (r.outcome === 'timeout' ? 'no answer' : r.probe === 'ping' ? `ICMP unreachable from ${icmpFrom.join(', ')}` : r.outcome)))];
    problems.push(`${lost.length} of the ${before.length} probes before the failure got no reply (${kinds.join('; ')}; the first sent at ${toSeconds(lost[0]!.t)}s)`);
  }
  const paths = [...new Set(before.filter(answered).map(answeredBy))];
  if (paths.length > 1) {
    problems.push(rows[0]!.probe === 'ping' ? `the replies before the failure came over paths of different lengths (reply TTLs ${paths.join(', ')})` : `different servers answered before the failure (${paths.join(', ')})`);
  }
  return problems;
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
  const row: FailoverRun = { run, at: r.at, outage: r.outage, outageSeconds: r.outageSeconds, silentSeconds: toSeconds(silent * interval), unreachableSeconds: toSeconds(unreachable * interval) };
  const problems = r.baselineProblems ?? [];
  return problems.length === 0 ? row : { ...row, outage: null, outageSeconds: null, unsteady: problems.join('; ') };
}

/** Min, median and max outage over the runs that recovered, how many did not, and how many had no steady baseline. */
export function outageSummary(runs: readonly FailoverRun[]): OutageSummary {
  const values = runs.flatMap((r) => (r.outageSeconds === null ? [] : [r.outageSeconds])).sort((a, b) => a - b);
  const n = values.length;
  const unsteady = runs.filter((r) => r.unsteady !== undefined).length;
  return { min: n === 0 ? null : values[0]!, median: median(values), max: n === 0 ? null : values[n - 1]!, unrecovered: runs.length - n - unsteady, unsteady };
}
