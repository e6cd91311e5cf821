/** Figures of an anycast failover: what a client's probes saw, and outages over many runs. */
import { toSeconds } from '../sim/time';
import { median } from '../results/stats';
import { Plot, plotToHtml } from './render';
import type { LabSpec } from '../config/spec';
import { addressOwners, type NextHopChangeLike } from './next-hop';
import { figureAt } from './figures';
import { FONT_PX, laneHeadings, NARROW_BELOW_PX, NARROW_LANE_PX, textWidthPx, Y_TICK_LABEL_GAP_PX } from './draw';
import { referenceMarks, type ReferenceMark } from './reference';

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

/** A labelled instant on a timeline (seconds since boot). */
export interface TimelineMark {
  seconds: number;
  label: string;
}

const EVENT_WORDS: Readonly<Record<string, string>> = {
  invalid: 'route invalid (its invalid/timeout timer ran out)',
  holddown: 'hold-down starts',
  flush: 'flush: route deleted',
  garbage: 'garbage collection: route deleted',
  remove: 'route removed',
};

/**
 * Why each phase of a failover ends, read from the route log of the client's router: the failure,
 * the route declared invalid (the invalid timer, FRR's timeout), hold-down, the flush (IOS) or
 * garbage collection (FRR), and the update that installs the far route, named by the neighbour
 * that sent it (the owner of its next hop in the LabSpec).
 */
export function failoverMarks(rows: readonly NextHopChangeLike[], o: { router: string; failureAt: number; spec: LabSpec; prefix?: string; failure?: string }): TimelineMark[] {
  const prefix = o.prefix ?? '10.128.224.2/32';
  const owners = addressOwners(o.spec);
  const marks: TimelineMark[] = [{ seconds: o.failureAt, label: o.failure ?? 'failure' }];
  for (const r of rows) {
    const t = toSeconds(r.t);
    if (r.node !== o.router || r.prefix !== prefix || t < o.failureAt) continue;
    if (r.event === 'add' || r.event === 'replace') {
      const from = r.nextHop === null ? null : (owners.get(r.nextHop) ?? r.nextHop);
      marks.push({ seconds: t, label: `${from === null ? 'a' : `${from}'s`} update brings the far route` });
      break;
    }
    // A flush removes the forwarding entry at the same instant: one mark says both.
    if (r.event === 'remove' && marks.some((m) => m.seconds === t)) continue;
    const words = EVENT_WORDS[r.event];
    if (words !== undefined) marks.push({ seconds: t, label: words });
  }
  return marks.map((m, i) => (i === 0 ? m : { ...m, label: `${o.router}: ${m.label}` }));
}

export interface ProbeTimelineOptions {
  /** The failure's time (SimTime). */
  failureAt: number;
  caption?: string;
  nearTtl?: number | null;
  /** The failure's words on its mark, e.g. `xenial1 halted`. @defaultValue 'failure' */
  failure?: string;
  /** Labelled instants (seconds since boot) drawn as rules; see `failoverMarks`. */
  marks?: readonly TimelineMark[];
  /** The run's route log and the router whose deadlines to mark (with `spec`): `failoverMarks` computed here. */
  routeChanges?: readonly NextHopChangeLike[];
  router?: string;
  spec?: LabSpec;
  /** Outages drawn as bars under the lanes, from the last reply: ours, and e.g. the write-up's 243 s. */
  outages?: readonly { label: string; seconds: number }[];
  /** The TTLs the write-up's replies had (§4.3.5: 63 near, 60 far): lane labels show them beside ours. */
  referenceTtl?: { near: number; far: number; source: string };
  /**
   * The x axis: `auto` ends it a little after the last change of lane (the probes after say the
   * same), so a 31 s reboot is not drawn on a 720 s axis; or [from, to] in seconds.
   * @defaultValue 'auto'
   */
  window?: 'auto' | 'all' | readonly [number, number];
  width?: number;
}

/** The x range `auto` gives: all probes up to a fifth past the last change of lane (at least 15 s). */
function autoWindow(points: readonly { seconds: number; lane: string }[], failure: number): [number, number] {
  const first = points[0]?.seconds ?? failure;
  const last = points.at(-1)?.seconds ?? failure;
  let change = failure;
  for (let i = 1; i < points.length; i++) if (points[i]!.lane !== points[i - 1]!.lane) change = Math.max(change, points[i]!.seconds);
  const span = Math.max(change - first, 1);
  return [first, Math.min(last, change + Math.max(15, span / 5))];
}

/**
 * One tick per probe on a lane for what came back, against time since boot; a dashed rule marks
 * the failure, and labelled rules each deadline that ends a phase. The lanes read top to bottom in
 * the order a failover goes through them.
 */
export function probeTimelineFigure(rows: readonly PingRowLike[], options: ProbeTimelineOptions = { failureAt: 0 }): string {
  if (options.width === undefined) return figureAt(undefined, (width) => probeTimelineFigure(rows, { ...options, width }));
  const narrow = options.width < NARROW_BELOW_PX;
  const nearTtl = options.nearTtl ?? rows.find((r) => r.outcome === 'reply')?.ttl ?? null;
  const farTtl = rows.find((r) => r.outcome === 'reply' && r.ttl !== nearTtl)?.ttl ?? null;
  const ref = options.referenceTtl;
  // Narrow: the lane names in few words, so the lanes keep most of a phone's width.
  const short: Record<(typeof LANES)[number], string> = { 'reply, near server': 'near', 'no answer': 'no answer', 'host unreachable': 'unreachable', 'reply, far server': 'far' };
  const laneName = (lane: (typeof LANES)[number], inShort = narrow): string => {
    // With its TTL shown, a reply lane needs no "reply": `near server, TTL 63`.
    const name = inShort ? short[lane] : (lane === LANES[0] && nearTtl !== null) || (lane === LANES[3] && farTtl !== null) ? lane.replace(/^reply, /, '') : lane;
    if (lane === LANES[0] && nearTtl !== null) return `${name}, TTL ${nearTtl}${ref === undefined ? '' : ` (${ref.source} ${ref.near})`}`;
    if (lane === LANES[3] && farTtl !== null) return `${name}, TTL ${farTtl}${ref === undefined ? '' : ` (${ref.source} ${ref.far})`}`;
    return name;
  };
  const lanes = LANES.map((lane) => laneName(lane));
  // `said`: the lane in full words, for the hover text of a narrow figure too.
  const points = rows.map((r) => ({ seconds: toSeconds(r.t), lane: laneName(laneOf(r, nearTtl)), said: laneName(laneOf(r, nearTtl), false), ttl: r.ttl, rttMs: r.rttMs }));
  const failure = toSeconds(options.failureAt);
  const [x0, x1] = options.window === 'all' ? [points[0]?.seconds ?? 0, points.at(-1)?.seconds ?? 1] : options.window === undefined || options.window === 'auto' ? autoWindow(points, failure) : options.window;
  const shown = points.filter((p) => p.seconds >= x0 && p.seconds <= x1);
  const lastGood = [...points].reverse().find((p) => p.seconds < failure && p.lane === lanes[0])?.seconds ?? failure;
  const outageLanes = (options.outages ?? []).map((o) => `outage, ${o.label}`);
  // An outage longer than the axis ends at its edge with an arrow, its length written inside.
  const bars = (options.outages ?? []).map((o, i) => {
    const end = lastGood + o.seconds;
    const clipped = end > x1;
    return { lane: outageLanes[i]!, from: lastGood, to: Math.min(end, x1), clipped, text: `${o.seconds.toFixed(o.seconds < 10 ? 1 : 0)} s${clipped ? ' →' : ''}` };
  });
  const cut = points.length - shown.length;
  const computed = options.routeChanges !== undefined && options.router !== undefined && options.spec !== undefined ? failoverMarks(options.routeChanges, { router: options.router, failureAt: failure, spec: options.spec, ...(options.failure === undefined ? {} : { failure: options.failure }) }) : [];
  const marks = [...(options.marks ?? computed)].filter((m) => m.seconds >= x0 && m.seconds <= x1).sort((a, b) => a.seconds - b.seconds);

  const width = options.width;
  const domain = [...lanes, ...outageLanes];
  // Narrow: up to 160 px, room for `near, TTL 63 (write-up 63)` at 10 px (chapter 4's ran past the edge at 120).
  const marginLeft = Math.min(narrow ? 160 : 240, 12 + (narrow ? 5.8 : 6.6) * Math.max(...domain.map((d) => d.length)));
  // Each mark's label on a line of its own above the lanes, the rule joining it to its instant. A
  // narrow figure drops the label's parenthesis and reads it leftwards from its rule when rightwards
  // (about 5.4 px a character at 9 px) it would run past the figure's edge.
  const at = (seconds: number) => marginLeft + ((seconds - x0) / (x1 - x0)) * (width - marginLeft - 16);
  const labelled = marks.map((m, i) => {
    const label = narrow ? m.label.replace(/ \(.*\)$/, '') : m.label;
    return { ...m, label, line: i, anchor: (narrow ? at(m.seconds) + 5.4 * label.length > width : (m.seconds - x0) / (x1 - x0) > 0.55) ? 'end' : 'start' };
  });
  const top = 14 * labelled.length + 8;
  return plotToHtml({
    width,
    height: 70 + top + 28 * domain.length,
    marginTop: top + 6,
    marginLeft,
    marginRight: 16,
    // Narrow: the label in fewer words, ending at the frame's right (centred under lanes that start
    // 160 px in, chapter 4's still ran past a phone's edge).
    x: { label: `time since boot (s)${cut === 0 ? '' : narrow ? `; ${cut} later probes alike` : `, to ${x1.toFixed(0)} s; the ${cut} probes after, the same`}`, grid: true, domain: [x0, x1], ...(narrow ? { labelAnchor: 'right' as const } : {}) },
    y: { label: null, domain },
    color: { domain: lanes, range: ['#3ca951', '#9498a0', '#e15759', '#4269d0'] },
    caption: options.caption ?? 'What each ping saw, against time; the dashed line is the failure.',
    style: { fontSize: narrow ? '10px' : '12px' },
    marks: [
      Plot.tickX(shown, { x: 'seconds', y: 'lane', stroke: 'lane', strokeWidth: 1.5, title: (p: { seconds: number; said: string; rttMs: number | null }) => `probe at t = ${p.seconds.toFixed(1)} s: ${p.said}${p.rttMs === null ? '' : `, ${p.rttMs} ms`}` }),
      Plot.ruleX([failure].filter((f) => labelled.length === 0 && f >= x0 && f <= x1), { stroke: 'currentColor', strokeDasharray: '4,3' }),
      // Each rule reaches up to its label's line (a negative inset draws into the top margin).
      ...labelled.map((m, i) => Plot.ruleX([m.seconds], { title: () => `${m.label}, t = ${m.seconds.toFixed(1)} s`, stroke: i === 0 ? 'currentColor' : '#efb118', strokeWidth: i === 0 ? 1 : 1.5, insetTop: -(top - 14 * m.line - 6), ...(i === 0 ? { strokeDasharray: '4,3' } : {}) })),
      ...labelled.map((m) =>
        Plot.text([m], { x: 'seconds', text: 'label', frameAnchor: 'top', dy: -top + 14 * m.line + 4, textAnchor: m.anchor === 'end' ? 'end' : 'start', dx: m.anchor === 'end' ? -3 : 3, fill: 'currentColor', fontSize: narrow ? 9 : 10 }),
      ),
      Plot.barX(bars, { x1: 'from', x2: 'to', y: 'lane', fill: 'currentColor', fillOpacity: 0.25, insetTop: 6, insetBottom: 6, title: (b: { lane: string; from: number; text: string }) => `${b.lane}: ${b.text.replace(' →', '')} from the last reply at t = ${b.from.toFixed(1)} s` }),
      Plot.text(bars.filter((b) => !b.clipped), { x: 'to', y: 'lane', text: 'text', textAnchor: 'start', dx: 4, fill: 'currentColor', fontSize: narrow ? 9 : 11 }),
      Plot.text(bars.filter((b) => b.clipped), { x: 'to', y: 'lane', text: 'text', textAnchor: 'end', dx: -4, fill: 'currentColor', fontSize: narrow ? 9 : 11 }),
      Plot.tip(shown, Plot.pointerX({ x: 'seconds', y: 'lane', title: (p: { seconds: number; lane: string }) => `${p.seconds.toFixed(1)} s: ${p.lane}` })),
    ],
  });
}

export interface OutageRunLike {
  profile: string;
  outageSeconds: number | null;
}

/** Outage per run as ticks, one row per profile, with each profile's median marked. */
export function outageDistributionFigure(runs: readonly OutageRunLike[], options: { caption?: string; reference?: ReferenceMark; width?: number } = {}): string {
  return figureAt(options.width, (width) => {
    const done = runs.filter((r): r is OutageRunLike & { outageSeconds: number } => r.outageSeconds !== null);
    const profiles = [...new Set(done.map((r) => r.profile))];
    const medians = profiles.map((p) => {
      const v = done.filter((r) => r.profile === p).map((r) => r.outageSeconds).sort((a, b) => a - b);
      return { profile: p, median: median(v) ?? 0, max: v.length === 0 ? 0 : v[v.length - 1]!, n: v.length };
    });
    const ref = options.reference;
    const narrow = width < NARROW_BELOW_PX;
    const medianText = (m: { median: number }) => `median ${m.median.toFixed(0)} s`;
    return plotToHtml({
      width,
      height: (narrow ? 50 + NARROW_LANE_PX * profiles.length : 80 + 50 * profiles.length) + (ref === undefined ? 0 : 16),
      ...(ref === undefined ? {} : { marginTop: 30 }),
      // Room for the longest row label at the house font size: at 6 px a character the first of
      // "10 30 20, simulated" (chapter 7) was cut off at the left edge.
      marginLeft: narrow ? 12 : Math.max(90, Math.ceil(Y_TICK_LABEL_GAP_PX + 6 + Math.max(0, ...profiles.map((p) => textWidthPx(p, FONT_PX))))),
      marginRight: narrow ? 16 : 90,
      x: { label: 'outage (s)', grid: true, zero: true, ...(ref === undefined ? {} : { domain: [0, Math.max(ref.seconds, ...medians.map((m) => m.max)) * 1.02] }) },
      y: narrow ? { label: null, domain: profiles, axis: null, padding: 0.4 } : { label: null, domain: profiles },
      caption: options.caption ?? 'Outage of each run (one tick per failure instant); the bar marks the median.',
      marks: [
        Plot.tickX(done, { x: 'outageSeconds', y: 'profile', stroke: 'profile', strokeOpacity: 0.5, title: (r: OutageRunLike) => `${r.profile}: outage ${r.outageSeconds} s` }),
        ...referenceMarks(ref),
        Plot.tip(done, Plot.pointer({ x: 'outageSeconds', y: 'profile', title: (r: OutageRunLike) => `${r.profile}: ${r.outageSeconds} s` })),
        Plot.tickX(medians, { x: 'median', y: 'profile', stroke: 'currentColor', strokeWidth: 3, title: (m: { profile: string; median: number; n: number }) => `${m.profile}: ${medianText(m)} of ${m.n} runs` }),
        narrow
          ? laneHeadings(medians, 'profile', (m) => `${m.profile} · ${medianText(m)}`)
          : Plot.text(medians, { x: 'max', y: 'profile', text: medianText, dx: 8, textAnchor: 'start', fill: 'currentColor' }),
      ],
    });
  });
}
