/**
 * The simulated side of a comparison with the real lab (lib/real/compare.ts reads both sides):
 * cold starts over many seeds, failovers pooled over many update schedules, and the TTL of one
 * ping, measured the way the real lab measures them.
 */
import type { Duration, SimTime } from '../sim/time';
import { seconds, toSeconds } from '../sim/time';
import type { LabSpec } from '../config/spec';
import type { RipProfileName } from '../proto/rip/params';
import { Lab } from '../lab/lab';
import type { FailoverRun } from '../results/outcome';
import { failoverDistribution } from './failover';

/**
 * When every RIP speaker of `spec` had its last route of the cold start (the route log's last add
 * before `within`), in seconds since boot, one value per seed.
 */
export function simulatedColdStarts(spec: LabSpec, seeds: readonly number[], within: Duration = seconds(60)): number[] {
  const ripNodes = spec.nodes.filter((n) => n.rip !== null).map((n) => n.name);
  return seeds.map((seed) => {
    const lab = new Lab(spec, { seed });
    lab.runUntil(within);
    return toSeconds(Math.max(...ripNodes.flatMap((n) => lab.routeLog.rows({ node: n, event: 'add' }).map((r) => r.t))));
  });
}

export interface SimulatedFailoverRunsOptions {
  /** A lab folder (loaded with `{ do_anycast: true }`) or a LabSpec. */
  lab: string | LabSpec;
  /** The failure without its time, e.g. `xenial1:halt`. */
  fail: string;
  probe: 'ping' | 'dns';
  probeInterval: Duration;
  /** FRR `timers basic`, e.g. `5 15 10`. */
  timers: string;
  /** @defaultValue 'frr' (the real lab runs FRR) */
  profile?: RipProfileName;
  /** Failure instants are drawn over one update interval from here. @defaultValue 20 s */
  settle?: SimTime;
  /** Each run lasts this long after its failure. @defaultValue 40 s */
  runFor?: Duration;
  /** Update schedules (lab seeds 1, 2, …). @defaultValue 20 */
  schedules?: number;
  /** Failure instants per schedule. @defaultValue 5 */
  instants?: number;
}

/**
 * Failover runs pooled over many update schedules: each real run starts a fresh lab, so its routers'
 * update schedules are new every time; the simulated distribution draws `instants` failure instants
 * at each of `schedules` seeds (20 × 5 = 100 runs by default).
 */
export function simulatedFailoverRuns(o: SimulatedFailoverRunsOptions): FailoverRun[] {
  return Array.from({ length: o.schedules ?? 20 }, (_, i) =>
    failoverDistribution({ lab: o.lab, fail: o.fail, at: o.settle ?? seconds(20), runs: o.instants ?? 5, profile: o.profile ?? 'frr', timers: o.timers, probe: o.probe, probeInterval: o.probeInterval, runFor: o.runFor ?? seconds(40), seed: i + 1 }).runs,
  ).flat();
}

/** The TTL of the reply to one `ping -c 1` from `client` (null when none came), as the real survey reads it. */
export function pingTtl(lab: Lab, client: string, target: string): number | null {
  const ttl = /ttl=(\d+)/.exec(lab.exec(client, `ping -c 1 ${target}`))?.[1];
  return ttl === undefined ? null : Number(ttl);
}
