/**
 * Figures of routing over time, from the route-change rows of a lab's route log.
 */
import { toSeconds, type SimTime } from '../sim/time';
import { Plot, plotToHtml, ticksToMax } from './render';
import { NARROW_BELOW_PX } from './draw';
import { figureAt } from './figures';

/** The fields of a route-change row the figures need (lib/lab's RouteChangeRow has them). */
export interface RouteChangeLike {
  t: SimTime;
  node: string;
  prefix: string;
  event: string;
}

export interface RoutesKnownPoint {
  /** Seconds since boot. */
  seconds: number;
  node: string;
  routes: number;
  /** What changed the count: `+ 10.0.2.0/24`, `− 10.0.2.0/24`; none at the end of the run. */
  change?: string;
}

/**
 * How many destinations each node can forward to, over time: +1 for every forwarding entry added,
 * −1 for every one removed (replacements leave the count alone). RIP-internal events (invalid,
 * holddown) do not change forwarding and are skipped.
 */
export function routesKnownSeries(rows: readonly RouteChangeLike[], until: SimTime): RoutesKnownPoint[] {
  const count = new Map<string, number>();
  const out: RoutesKnownPoint[] = [];
  for (const r of rows) {
    if (r.event !== 'add' && r.event !== 'remove') continue;
    const before = count.get(r.node) ?? 0;
    const after = before + (r.event === 'add' ? 1 : -1);
    count.set(r.node, after);
    out.push({ seconds: toSeconds(r.t), node: r.node, routes: after, change: `${r.event === 'add' ? '+' : '−'} ${r.prefix}` });
  }
  for (const [node, routes] of count) out.push({ seconds: toSeconds(until), node, routes });
  return out.sort((a, b) => a.seconds - b.seconds);
}

export interface RoutesKnownOptions {
  until: SimTime;
  caption?: string;
  /** Only these nodes (default: all in the rows). */
  nodes?: readonly string[];
  /** Vertical markers, e.g. a failure: `{ seconds: 60, label: 'r1–r2 cut' }`. */
  marks?: readonly { seconds: number; label: string }[];
  height?: number;
  /** Draw at this width only; without it, wide and narrow (`figureAt`). */
  width?: number;
}

/**
 * Step lines of destinations known per node over time (seconds since boot), one small panel per node
 * so that nodes converging at the same moment do not hide each other.
 */
export function routesKnownFigure(rows: readonly RouteChangeLike[], options: RoutesKnownOptions): string {
  return figureAt(options.width, (width) => {
    const wanted = options.nodes === undefined ? null : new Set(options.nodes);
    const series = routesKnownSeries(rows.filter((r) => wanted === null || wanted.has(r.node)), options.until);
    const nodes = options.nodes ?? [...new Set(series.map((p) => p.node))].sort();
    const until = toSeconds(options.until);
    const narrow = width < NARROW_BELOW_PX;
    // A label past the middle reads leftwards from its rule, so it stays inside the frame; labels
    // take turns between two lines, so two failures close together do not overprint.
    const marks = (options.marks ?? []).map((m, i) => ({ ...m, end: m.seconds > until * 0.55, line: i % 2 }));
    const yMax = Math.max(1, ...series.map((p) => p.routes));
    const pointText = (p: RoutesKnownPoint) => `${p.node} at t = ${p.seconds.toFixed(2)} s: ${p.routes} destination${p.routes === 1 ? "" : "s"}${p.change === undefined ? '' : ` (${p.change})`}`;
    return plotToHtml({
      width,
      height: options.height ?? 40 + (narrow ? 60 : 70) * nodes.length,
      marginRight: narrow ? 28 : 40,
      x: { label: 'time since boot (s)', domain: [0, until], grid: true },
      // Two y ticks and the maximum: a panel is some 45 px high, and four labels of 12 px overprint
      // there (chapter 1's 0, 2, 4, 7 at 1280 px).
      y: { label: 'routes', grid: true, domain: [0, yMax], ticks: ticksToMax(yMax, 2, true), tickFormat: (d: number) => String(d), insetTop: 6 },
      fy: { label: null, domain: nodes, padding: 0.25 },
      color: { domain: nodes },
      caption: options.caption ?? 'Routing-table size per node over time, from the route-change log.',
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.ruleX(marks, { x: 'seconds', stroke: '#e15759', strokeDasharray: '4,3', title: (m: { seconds: number; label: string }) => `${m.label}, t = ${m.seconds} s` }),
        Plot.line(series, { x: 'seconds', y: 'routes', fy: 'node', stroke: 'node', curve: 'step-after', strokeWidth: 2 }),
        // Each change of the count, a dot with its SVG title (a native tooltip in a static page).
        Plot.dot(series.filter((p) => p.change !== undefined), { x: 'seconds', y: 'routes', fy: 'node', fill: 'node', r: 2, title: pointText }),
        Plot.tip(series, Plot.pointerX({ x: 'seconds', y: 'routes', fy: 'node', title: pointText })),
        ...marks.map((m) => Plot.text([m], { x: 'seconds', text: 'label', fy: () => nodes[0], frameAnchor: 'top', dy: 4 + 12 * m.line, dx: m.end ? -4 : 4, textAnchor: m.end ? 'end' : 'start', fill: '#e15759', fontSize: narrow ? 9 : 10, lineAnchor: 'top' })),
      ],
    });
  });
}
