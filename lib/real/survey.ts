/**
 * A real lab looked at once it has converged, in the simulator's terms: when RIP converged after a
 * cold start, every node's routing table as RouteRows, and the TTL of a ping from each client to
 * each server and to the anycast address (64 minus the routers on the way).
 */
import type { RouteRow } from '../results/rows';
import { toSeconds, type SimTime } from '../sim/time';
import { realUp, realDown, REAL_RIP_TIMERS, nodePlan } from './lab';
import { frrTimers } from './daemons';
import { realRouteRows, realVersions, waitForConvergence, type RealVersions } from './observe';
import { assertClean } from './teardown';
import { RealLabError, run, sleepMs } from './system';

export interface RealTtlRow {
  client: string;
  target: string;
  /** TTL of the echo reply, or null when none came within 1 s. */
  ttl: number | null;
  rttMs: number | null;
}

export interface RealSurveyRecord {
  kind: 'real-survey';
  lab: string;
  options: Record<string, boolean>;
  date: string;
  versions: RealVersions;
  ripTimers: string;
  /** `up` took this long (seconds from its start to its last daemon). */
  upSeconds: number;
  /** Seconds from `up`'s start until every RIP speaker had a route to every RIP prefix. */
  convergedSeconds: number;
  /** Routing tables, taken two update intervals after convergence. */
  routes: RouteRow[];
  ttls: RealTtlRow[];
}

export interface RealSurveyOptions {
  labDir: string;
  /** @defaultValue `{ do_anycast: true }` */
  options?: Record<string, boolean>;
  clients: readonly string[];
  targets: readonly string[];
  ripTimers?: string;
  stateFile?: string;
}

export function realSurvey(o: RealSurveyOptions): RealSurveyRecord {
  const timers = o.ripTimers ?? REAL_RIP_TIMERS;
  const lab = realUp({ labDir: o.labDir, options: o.options ?? { do_anycast: true }, ripTimers: timers, ...(o.stateFile === undefined ? {} : { stateFile: o.stateFile }) });
  try {
    const converged = waitForConvergence(lab, 60_000);
    if (converged === null) throw new RealLabError('RIP did not converge within 60 s');
    sleepMs((2 * frrTimers(timers).update) / 1000);
    const t: SimTime = Math.round((Date.now() - lab.state.startedAtMs) * 1000);
    const routes = lab.plan.nodes.flatMap((n) => realRouteRows(lab, n.node, t));
    const ttls: RealTtlRow[] = [];
    for (const client of o.clients) {
      const ns = nodePlan(lab, client).ns;
      for (const target of o.targets) {
        const out = run(['ip', 'netns', 'exec', ns, 'ping', '-n', '-c', '1', '-W', '1', target], 5_000).stdout;
        const m = /ttl=(\d+) time=([\d.]+) ms/.exec(out);
        ttls.push({ client, target, ttl: m === null ? null : Number(m[1]), rttMs: m === null ? null : Number(m[2]) });
      }
    }
    return {
      kind: 'real-survey',
      lab: lab.state.lab,
      options: lab.state.options,
      date: new Date().toISOString(),
      versions: realVersions(),
      ripTimers: timers,
      upSeconds: ((lab.state.upAtMs ?? lab.state.startedAtMs) - lab.state.startedAtMs) / 1000,
      convergedSeconds: toSeconds(converged),
      routes,
      ttls,
    };
  } finally {
    const report = realDown(lab.stateFile);
    if (report !== null) assertClean(report);
  }
}
