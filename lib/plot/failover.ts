/** Figures of an anycast failover: what a client's probes saw, and outages over many runs. */
import { toSeconds } from '../sim/time';
import { median } from '../results/stats';
import { Plot, plotToHtml } from './render';

export interface PingRowLike {
  t: number;
  outcome: 'reply' | 'timeout' | 'unreachable';
  ttl: number | null;
  rttMs: number | null;
}

const LANES = ['reply, near server', 'no answer', 'host unreachable', 'reply, far server'] as const;

function laneOf(r: PingRowLike, nearTtl: number | null): (typeof LANES)[number] {
  if (r.outcome === 'timeout') return 'no answer';
  if (r.outcome === 'unreachable') return 'host unreachable';
  return r.ttl === nearTtl ? 'reply, near server' : 'reply, far server';
}

/**
 * One tick per probe on a lane for what came back, against time since boot; a dashed rule marks
 * the failure. The lanes read top to bottom in the order a failover goes through them.
 */
export function probeTimelineFigure(rows: readonly PingRowLike[], options: { failureAt: number; caption?: string; nearTtl?: number | null } = { failureAt: 0 }): string {
  const nearTtl = options.nearTtl ?? rows.find((r) => r.outcome === 'reply')?.ttl ?? null;
  const points = rows.map((r) => ({ seconds: toSeconds(r.t), lane: laneOf(r, nearTtl) }));
  return plotToHtml({
    height: 200,
    marginLeft: 140,
    x: { label: 'time since boot (s)', grid: true },
    y: { label: null, domain: [...LANES] },
    color: { domain: [...LANES], range: ['#3ca951', '#9498a0', '#e15759', '#4269d0'] },
    caption: options.caption ?? 'What each ping saw, against time; the dashed line is the failure.',
    marks: [
      Plot.tickX(points, { x: 'seconds', y: 'lane', stroke: 'lane', strokeWidth: 1.5 }),
      Plot.ruleX([toSeconds(options.failureAt)], { stroke: 'currentColor', strokeDasharray: '4,3' }),
    ],
  });
}

export interface OutageRunLike {
  profile: string;
  outageSeconds: number | null;
}

/** Outage per run as ticks, one row per profile, with each profile's median marked. */
export function outageDistributionFigure(runs: readonly OutageRunLike[], options: { caption?: string } = {}): string {
  const done = runs.filter((r): r is OutageRunLike & { outageSeconds: number } => r.outageSeconds !== null);
  const profiles = [...new Set(done.map((r) => r.profile))];
  const medians = profiles.map((p) => {
    const v = done.filter((r) => r.profile === p).map((r) => r.outageSeconds).sort((a, b) => a - b);
    return { profile: p, median: median(v) ?? 0, max: v.length === 0 ? 0 : v[v.length - 1]! };
  });
  return plotToHtml({
    height: 80 + 50 * profiles.length,
    // Room for the longest row label at the default 10 px sans-serif (about 6 px a character).
    marginLeft: Math.max(90, 12 + 6 * Math.max(0, ...profiles.map((p) => p.length))),
    marginRight: 90,
    x: { label: 'outage (s)', grid: true, zero: true },
    y: { label: null, domain: profiles },
    caption: options.caption ?? 'Outage of each run (one tick per failure instant); the bar marks the median.',
    marks: [
      Plot.tickX(done, { x: 'outageSeconds', y: 'profile', stroke: 'profile', strokeOpacity: 0.5 }),
      Plot.tickX(medians, { x: 'median', y: 'profile', stroke: 'currentColor', strokeWidth: 3 }),
      Plot.text(medians, { x: 'max', y: 'profile', text: (m: { median: number }) => `median ${m.median.toFixed(0)} s`, dx: 8, textAnchor: 'start', fill: 'currentColor' }),
    ],
  });
}
