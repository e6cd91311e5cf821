/**
 * Each router's route to one prefix over time (the anycast /32): a lane per router, each stretch
 * coloured by the server the router's packets reach by following next hops router to router, and
 * the phases of a failover shaded behind. Read from route-change rows (lib/lab/route-log.ts) and the
 * LabSpec (who owns each next-hop address), never from a running lab.
 */
import type * as PlotTypes from '@observablehq/plot';
import type { LabSpec } from '../config/spec';
import { parseFailure } from '../config/failures';
import { toSeconds, type SimTime } from '../sim/time';
import { ipv4ToString } from '../wire/addr';
import { drawPlot, NARROW_BELOW_PX, Plot } from './draw';

export interface NextHopChangeLike {
  t: SimTime;
  node: string;
  prefix: string;
  event: string;
  nextHop: string | null;
  metric?: number;
}

/** One stretch of a router's route: from, to in seconds. */
export interface NextHopSpan {
  node: string;
  from: number;
  to: number;
  /** The next hop's node (`r3`), or null: no route. */
  via: string | null;
  /** The server the packets end at, `xenial1 (down)` if it is down then, `no route`, or `loop`. */
  reaches: string;
  /** RIP has declared the route unreachable but it still forwards (IOS hold-down, until flush). */
  invalid: boolean;
}

/** A stretch of time a node is down (halted, rebooting, drained of its address), in seconds. */
export interface DownSpan {
  node: string;
  from: number;
  to: number;
}

export interface Phase {
  from: number;
  to: number;
  label: string;
  /** The label in a word or two, for a narrow figure. */
  short: string;
}

/** Which node owns each address of the lab (interfaces and loopback aliases). */
export function addressOwners(spec: LabSpec): Map<string, string> {
  const owners = new Map<string, string>();
  for (const n of spec.nodes) for (const i of n.interfaces) for (const a of [...i.addresses, ...i.aliases]) owners.set(ipv4ToString(a.address), n.name);
  return owners;
}

/** When each failed node was out of service, from the failures as the CLI writes them (`xenial1:halt@125s`). */
export function downSpans(failures: readonly string[], until: number): DownSpan[] {
  const out: DownSpan[] = [];
  for (const text of failures) {
    const f = parseFailure(text);
    if (!f.ok) throw new Error(`failure "${text}": ${f.error}`);
    const { node, mode, at } = f.value;
    const from = toSeconds(at);
    if (mode === 'halt' || mode === 'drain') out.push({ node, from, to: until });
    else if (mode === 'reboot') out.push({ node, from, to: from + toSeconds(f.value.downFor ?? 0) });
  }
  return out;
}

interface State {
  via: string | null;
  invalid: boolean;
}

/**
 * The spans of every router's route to `prefix` from 0 to `until` (seconds). A router's stretch
 * reaches the server at the end of its next-hop chain at that instant; a chain through a router
 * without a route ends in `no route`.
 */
export function nextHopSpans(rows: readonly NextHopChangeLike[], o: { spec: LabSpec; prefix: string; until: number; down?: readonly DownSpan[] }): NextHopSpan[] {
  const owners = addressOwners(o.spec);
  const routers = o.spec.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
  const mine = rows.filter((r) => r.prefix === o.prefix).map((r) => ({ ...r, s: toSeconds(r.t) }));
  const times = [...new Set([0, ...mine.map((r) => r.s), ...(o.down ?? []).flatMap((d) => [d.from, d.to])])].filter((t) => t >= 0 && t < o.until).sort((a, b) => a - b);
  const state = new Map<string, State>(routers.map((r) => [r, { via: null, invalid: false }]));
  const isDown = (node: string, t: number) => (o.down ?? []).some((d) => d.node === node && t >= d.from && t < d.to);
  const reach = (start: string, t: number): string => {
    const seen = new Set<string>();
    let at = start;
    for (;;) {
      if (seen.has(at)) return 'loop';
      seen.add(at);
      const s = state.get(at);
      if (s === undefined) return isDown(at, t) ? `${at} (down)` : at;
      if (s.via === null) return 'no route';
      at = s.via;
    }
  };
  const spans: NextHopSpan[] = [];
  const lastOf = new Map<string, NextHopSpan>();
  let k = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    for (; k < mine.length && mine[k]!.s <= t; k++) {
      const r = mine[k]!;
      const s = state.get(r.node);
      if (s === undefined) continue;
      if (r.event === 'add' || r.event === 'replace') state.set(r.node, { via: r.nextHop === null ? null : (owners.get(r.nextHop) ?? r.nextHop), invalid: false });
      else if (r.event === 'remove') state.set(r.node, { via: null, invalid: false });
      else if (r.event === 'invalid' || r.event === 'holddown') s.invalid = true;
    }
    const to = times[i + 1] ?? o.until;
    for (const node of routers) {
      const s = state.get(node)!;
      const span = { node, from: t, to, via: s.via, reaches: reach(node, t), invalid: s.invalid && s.via !== null };
      const last = lastOf.get(node);
      if (last !== undefined && last.to === t && last.via === span.via && last.reaches === span.reaches && last.invalid === span.invalid) last.to = to;
      else {
        spans.push(span);
        lastOf.set(node, span);
      }
    }
  }
  return spans;
}

/**
 * The phases of a failover as the route log tells them: until the failure; the failed server still
 * the routers' choice (nothing in RIP has noticed: the invalid timer runs); from the first router
 * giving up the route (invalid, poison, flush) to the last route change; and after.
 */
export function failoverRoutePhases(rows: readonly NextHopChangeLike[], o: { prefix: string; failureAt: number; until: number }): Phase[] {
  const after = rows.filter((r) => r.prefix === o.prefix && toSeconds(r.t) >= o.failureAt);
  const first = after.find((r) => r.event !== 'add');
  const changes = after.filter((r) => r.event === 'add' || r.event === 'replace' || r.event === 'remove');
  const phases: Phase[] = [{ from: 0, to: o.failureAt, label: 'before the failure', short: 'before' }];
  if (first === undefined) return [...phases, { from: o.failureAt, to: o.until, label: 'no route changed', short: 'no change' }];
  const noticed = toSeconds(first.t);
  const settled = Math.max(noticed, toSeconds(changes.at(-1)?.t ?? first.t));
  phases.push({ from: o.failureAt, to: noticed, label: 'routes still lead to the failed server', short: 'to the failed server' });
  if (settled > noticed) phases.push({ from: noticed, to: settled, label: 'routers give up the route, learn the far one', short: 'converging' });
  phases.push({ from: settled, to: o.until, label: 'settled', short: 'settled' });
  return phases.filter((p) => p.to > p.from);
}

export interface NextHopFigureOptions {
  spec: LabSpec;
  /** @defaultValue '10.128.224.2/32' */
  prefix?: string;
  /** Seconds. */
  until: number;
  /** Seconds: the x axis starts here. @defaultValue 0 */
  from?: number;
  /** The run's failures (`xenial1:halt@125s`): servers down in them are coloured as such, and the first gives the phases. */
  failures?: readonly string[];
  caption?: string;
  width?: number;
}

const SERVER_COLOURS = ['#3ca951', '#4269d0', '#a463f2', '#97bbf5'];

export function nextHopPlotOptions(rows: readonly NextHopChangeLike[], o: NextHopFigureOptions): PlotTypes.PlotOptions {
  const prefix = o.prefix ?? '10.128.224.2/32';
  const failures = o.failures ?? [];
  const down = downSpans(failures, o.until);
  const spans = nextHopSpans(rows, { spec: o.spec, prefix, until: o.until, down });
  const first = failures.length === 0 ? null : parseFailure(failures[0]!);
  const phases = first?.ok === true ? failoverRoutePhases(rows, { prefix, failureAt: toSeconds(first.value.at), until: o.until }) : [];
  const from = o.from ?? 0;
  const shownPhases = phases.map((p) => ({ ...p, from: Math.max(from, p.from) })).filter((p) => p.to > p.from);
  const routers = [...new Set(spans.map((s) => s.node))];
  const servers = o.spec.nodes.filter((n) => n.kind !== 'router' && n.kind !== 'bridge' && spans.some((s) => s.reaches === n.name || s.reaches === `${n.name} (down)`)).map((n) => n.name);
  const colours = new Map<string, string>([...servers.map((s, i) => [s, SERVER_COLOURS[i % SERVER_COLOURS.length]!] as const), ...servers.map((s) => [`${s} (down)`, '#e15759'] as const), ['no route', '#9498a0'], ['loop', '#000000']]);
  // The legend names only what the figure shows.
  const domain = [...colours.keys()].filter((k) => spans.some((s) => s.reaches === k));
  const range = domain.map((k) => colours.get(k)!);
  const width = o.width ?? 720;
  const narrow = width < NARROW_BELOW_PX;
  const visible = spans.filter((s) => s.to > from).map((s) => ({ ...s, from: Math.max(from, s.from) }));
  const seconds = (x: number) => `${x.toFixed(x < 100 ? 1 : 0)} s`;
  const describe = (s: NextHopSpan) => `${s.node}, ${seconds(s.from)} – ${seconds(s.to)}\n${s.via === null ? 'no route' : `via ${s.via}${s.invalid ? ' (invalid: advertised unreachable, still forwarding)' : ''}\nreaches ${s.reaches}`}`;
  return {
    width,
    height: 70 + 34 * routers.length + (narrow ? 36 : 24),
    marginLeft: 34,
    marginRight: narrow ? 12 : 20,
    marginTop: narrow ? 44 : 32,
    x: { label: 'time since boot (s)', domain: [from, o.until], grid: false },
    y: { label: null, domain: routers, padding: 0.25 },
    color: { domain, range, legend: true, label: 'packets reach' },
    caption: o.caption ?? `Each router's route to ${prefix}, by the server its packets reach; the dark inner bar: RIP has declared the route invalid (hold-down) but still forwards; the shading, the failover's phases.`,
    marks: [
      Plot.rectX(shownPhases, { x1: 'from', x2: 'to', fill: (_: Phase, i: number) => (i % 2 === 0 ? 'currentColor' : 'none'), fillOpacity: 0.07 }),
      // Phase names alternate between two lines so neighbouring short phases do not overprint.
      ...[0, 1].map((line) =>
        Plot.text(
          shownPhases.filter((_, i) => i % 2 === line),
          { x: (p: Phase) => (p.from + p.to) / 2, text: narrow ? 'short' : 'label', frameAnchor: 'top', dy: -(narrow ? 40 : 28) + line * 13, fill: 'currentColor', fontSize: narrow ? 9 : 10, lineAnchor: 'top' },
        ),
      ),
      Plot.ruleX(shownPhases.slice(1), { x: 'from', stroke: 'currentColor', strokeOpacity: 0.4, strokeDasharray: '2,3' }),
      Plot.rectX(visible, { x1: 'from', x2: 'to', y: 'node', fill: 'reaches', title: describe }),
      Plot.rectX(visible.filter((s) => s.invalid), { x1: 'from', x2: 'to', y: 'node', fill: 'currentColor', fillOpacity: 0.35, insetTop: 8, insetBottom: 8 }),
      Plot.text(visible.filter((s) => s.via !== null), { x: (s: NextHopSpan) => (s.from + s.to) / 2, y: 'node', text: (s: NextHopSpan) => `via ${s.via}`, fill: 'white', fontSize: narrow ? 9 : 10, filter: (s: NextHopSpan) => (s.to - s.from) / (o.until - from) > (narrow ? 0.16 : 0.08) }),
      Plot.tip(visible, Plot.pointer({ x1: 'from', x2: 'to', y: 'node', title: describe })),
    ],
  };
}

export function nextHopElement(rows: readonly NextHopChangeLike[], o: NextHopFigureOptions, document: Document): SVGSVGElement | HTMLElement {
  return drawPlot(nextHopPlotOptions(rows, o), document);
}
