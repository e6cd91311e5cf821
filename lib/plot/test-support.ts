// Fixtures of the figure snapshot tests (plot.test.ts): each draws one figure from fixed rows, with
// the figure functions handed in, so the same fixtures can be drawn by another build of the library.
import type * as PlotApi from './index';
import type { LabSpec } from '../config/spec';
import { US_PER_SECOND } from '../sim/time';

type Figures = Pick<typeof PlotApi, 'probeTimelineFigure' | 'outageDistributionFigure' | 'lookupTimeFigure' | 'routesKnownFigure' | 'outageStripFigure' | 'outageCdfFigure' | 'outageAgainstFigure' | 'topologyFigure' | 'ladderFigure' | 'nextHopFigure'>;

export interface FigureCase {
  /** The snapshot's file name without `.svg.txt`. */
  name: string;
  draw: (api: Figures, spec: LabSpec) => string;
}

const S = US_PER_SECOND;

/** A ping probe every second from 100 s: near replies, silence, unreachable, then the far server. */
const pings = Array.from({ length: 40 }, (_, i) => {
  const t = 100 * S + i * S;
  if (i < 10) return { t, outcome: 'reply' as const, ttl: 63, rttMs: 4.25 };
  if (i < 22) return { t, outcome: 'timeout' as const, ttl: null, rttMs: null };
  if (i < 25) return { t, outcome: 'unreachable' as const, ttl: null, rttMs: 3.5 };
  return { t, outcome: 'reply' as const, ttl: 60, rttMs: 11.75 };
});

/** Outages of runs of two profiles (odd counts: one middle value each), one run unrecovered. */
const runs = [
  ...[12.4, 30.2, 18, 25.6, 7.8].map((outageSeconds) => ({ profile: 'cisco-ios', outageSeconds })),
  ...[3.2, 5.4, 4.1].map((outageSeconds) => ({ profile: 'frr', outageSeconds })),
  { profile: 'frr', outageSeconds: null },
];

const lookups = [
  { tool: 'nslookup', failure: 'both servers up', seconds: 0.012 },
  { tool: 'nslookup', failure: 'xenial1 halted', seconds: 2.031 },
  { tool: 'getent hosts', failure: 'both servers up', seconds: 0.009 },
  { tool: 'getent hosts', failure: 'xenial1 halted', seconds: 5.007 },
];

const routeChanges = [
  { t: 0, node: 'r1', prefix: '10.0.1.0/24', event: 'add' },
  { t: 0, node: 'r2', prefix: '10.0.2.0/24', event: 'add' },
  { t: 1.5 * S, node: 'r1', prefix: '10.0.2.0/24', event: 'add' },
  { t: 2.25 * S, node: 'r2', prefix: '10.0.1.0/24', event: 'add' },
  { t: 30 * S, node: 'r1', prefix: '10.0.2.0/24', event: 'invalid' },
  { t: 40 * S, node: 'r1', prefix: '10.0.2.0/24', event: 'remove' },
];

/** Seven destinations each, one a second, as chapter 1's routers learn theirs. */
const sevenRoutes = ['r1', 'r2'].flatMap((node) => Array.from({ length: 7 }, (_, i) => ({ t: i * S, node, prefix: `10.0.${i + 1}.0/24`, event: 'add' })));

/** Sweep rows: three options, a few runs each, one unrecovered. */
const sweepRows = [
  ...[243, 251.5, 238, 260].map((outageSeconds, run) => ({ label: 'ios defaults', run, outageSeconds })),
  ...[21.5, 19, 24.25, 30].map((outageSeconds, run) => ({ label: 'timers 5 15 15 20', run, outageSeconds })),
  ...[4, 6.5, null, 5].map((outageSeconds, run) => ({ label: 'health check 2s', run, outageSeconds })),
];

const against = [1, 2, 5, 10].flatMap((x) => [
  { x, median: 3 + x * 1.5, p90: 4 + x * 1.75, min: 2 + x, max: 6 + x * 2, series: 'IOS defaults' },
  { x, median: 2 + x * 1.25, p90: 3 + x * 1.5, min: 1 + x, max: 4 + x * 2, series: 'timers 5 15 15 20' },
]);

/** Route changes for 10.128.224.2/32 in the anycast lab: r3 via xenial1 (10.128.5.2) until its hold-down and flush, then via r1. */
export const anycastChanges = [
  { t: 2 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.5.2', metric: 1 },
  { t: 2 * S, node: 'r4', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.6.2', metric: 1 },
  { t: 2.7 * S, node: 'r2', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.4.2', metric: 2 },
  { t: 3 * S, node: 'r1', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.3.2', metric: 2 },
  { t: 301 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'invalid', nextHop: '10.128.5.2', metric: 16 },
  { t: 301 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'holddown', nextHop: '10.128.5.2', metric: 16 },
  { t: 301 * S, node: 'r1', prefix: '10.128.224.2/32', event: 'remove', nextHop: '10.128.3.2', metric: 2 },
  { t: 310.4 * S, node: 'r1', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.1.2', metric: 3 },
  { t: 361 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'flush', nextHop: '10.128.5.2', metric: 16 },
  { t: 361 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'remove', nextHop: '10.128.5.2', metric: 1 },
  { t: 364.8 * S, node: 'r3', prefix: '10.128.224.2/32', event: 'add', nextHop: '10.128.3.1', metric: 4 },
];

/** Frames of a withdrawal: r3's poison to r1, one lost frame to the halted server, r2's update. */
const ladderPackets = [
  { sent: 301.007, from: 'r3', to: 'r1', protocol: 'RIP', label: 'RIP response: 10.128.224.2/32 metric 16' },
  { sent: 301.013, from: 'r1', to: 'r2', protocol: 'RIP', label: 'RIP response: 10.128.224.2/32 metric 16' },
  { sent: 305.094, from: 'r3', to: 'xenial1', protocol: 'RIP', label: 'RIP response (6 routes)', lost: true },
  { sent: 305.5, from: 'xenial3', to: 'r3', protocol: 'ICMP', label: 'ICMP echo request seq=43 ttl=64' },
  { sent: 310.385, from: 'r2', to: 'r1', protocol: 'RIP', label: 'RIP response: 10.128.224.2/32 metric 3 and 3 more' },
  { sent: 310.388, from: 'r1', to: 'r3', protocol: 'RIP', label: 'RIP response: 10.128.224.2/32 metric 4' },
];

export const FIGURE_CASES: readonly FigureCase[] = [
  { name: 'probe-timeline', draw: (api) => api.probeTimelineFigure(pings, { failureAt: 109.5 * S, caption: 'A ping probe across a failover.' }) },
  // An axis cut before the last probes: its label says how many probes it leaves out.
  { name: 'probe-timeline-window', draw: (api) => api.probeTimelineFigure(pings, { failureAt: 109.5 * S, window: [100, 130] }) },
  { name: 'outage-distribution', draw: (api) => api.outageDistributionFigure(runs, { reference: { seconds: 24.3, label: 'reference 24.3 s' } }) },
  { name: 'lookup-time', draw: (api) => api.lookupTimeFigure(lookups, { caption: 'Lookup time per tool.', references: [{ tool: 'nslookup', failure: 'xenial1 halted', seconds: 1.036, label: 'write-up' }, { tool: 'nslookup', failure: 'both servers up', seconds: 0.103, label: 'write-up' }] }) },
  { name: 'routes-known', draw: (api) => api.routesKnownFigure(routeChanges, { until: 60 * S, marks: [{ seconds: 30, label: 'r2 halted' }] }) },
  { name: 'routes-known-seven', draw: (api) => api.routesKnownFigure(sevenRoutes, { until: 30 * S }) },
  { name: 'outage-strip', draw: (api) => api.outageStripFigure(sweepRows) },
  { name: 'outage-cdf', draw: (api) => api.outageCdfFigure(sweepRows, { order: ['health check 2s', 'timers 5 15 15 20', 'ios defaults'] }) },
  { name: 'outage-against', draw: (api) => api.outageAgainstFigure(against, { xLabel: 'health-check interval (s)', reference: { y: 20, label: 'one update' } }) },
  { name: 'packet-ladder', draw: (api) => api.ladderFigure(ladderPackets, { nodes: ['xenial1', 'xenial3', 'r3', 'r1', 'r2'], notes: [{ t: 301.007, node: 'r3', label: 'hold-down' }, { t: 310.387, node: 'r1', label: 'route via r2, metric 3' }], cursor: 1 }) },
  { name: 'next-hop', draw: (api, spec) => api.nextHopFigure(anycastChanges, { spec, until: 400, failures: ['xenial1:halt@125s'] }) },
  { name: 'probe-timeline-marks', draw: (api, spec) => api.probeTimelineFigure(pings, { failureAt: 109.5 * S, failure: 'xenial1 halted', routeChanges: anycastChanges.map((r) => ({ ...r, t: r.t - 190 * S })), router: 'r3', spec, outages: [{ label: 'this run', seconds: 15 }, { label: 'write-up', seconds: 243 }], referenceTtl: { near: 63, far: 60, source: 'write-up' } }) },
  { name: 'topology', draw: (api, spec) => api.topologyFigure(spec, { caption: 'The anycast lab.' }) },
];

/**
 * A figure as its snapshot keeps it: every decimal number rounded to 2 places (the last digits of
 * a layout differ between platforms; Observable Plot's own snapshot tests do the same) and one
 * element a line, so a difference reads as a line.
 */
export function snapshotText(html: string): string {
  return `${html.replace(/-?\d+\.\d+(?:e-?\d+)?/g, (x) => String(+(+x).toFixed(2))).replace(/></g, '>\n<')}\n`;
}
