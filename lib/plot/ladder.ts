/**
 * The packet ladder (a sequence diagram, as Wireshark's flow graph draws one): a column per node,
 * one row per frame from the top down in the order they were sent, each an arrow from sender to
 * receiver coloured by protocol and labelled with what it says. Rows, not a time axis: the frames
 * of one RIP burst leave within milliseconds, and a proportional axis would stack them on one line;
 * the time of each row is its tick label. Route changes sit on the node's line between the frames
 * they fell between. The same function draws the notebooks' figures (as SVG text, render.ts) and
 * the page's simulation mode (into the page's DOM, `ladderElement`).
 */
import type * as PlotTypes from '@observablehq/plot';
import { drawPlot, NARROW_BELOW_PX, Plot } from './draw';
import type { LabSpec } from '../config/spec';
import { toSeconds } from '../sim/time';
import { addressOwners, type NextHopChangeLike } from './next-hop';

export interface LadderPacketLike {
  /** Seconds. */
  sent: number;
  from: string;
  to: string;
  protocol: string;
  label: string;
  /** The receiver was down: the frame went nowhere (drawn dashed). */
  lost?: boolean;
}

/** A note on a node's line at a time: `{ t: 301.013, node: 'r1', label: '10.128.224.2/32 removed' }`. */
export interface LadderNote {
  t: number;
  node: string;
  label: string;
}

export interface LadderOptions {
  /** Columns, left to right. @defaultValue the nodes in the packets, in order of first appearance */
  nodes?: readonly string[];
  notes?: readonly LadderNote[];
  /** Highlights the row of this packet (index into `packets`): the simulation mode's cursor. */
  cursor?: number;
  caption?: string;
  /** @defaultValue 720 */
  width?: number;
}

/** Colours by protocol, readable on a light and a dark page (Observable's categorical set, mid-tones). */
export const PROTOCOL_COLOURS: Readonly<Record<string, string>> = {
  RIP: '#4269d0',
  DNS: '#3ca951',
  ARP: '#ff8ab7',
  ICMP: '#e15759',
  UDP: '#9498a0',
};

const ROW_HEIGHT = 34;
const NOTE_COLOUR = '#efb118';

interface Row extends LadderPacketLike {
  row: number;
  time: string;
}

/** A label in fewer words for a phone: `RIP 10.128.224.2/32 metric 16 …`. */
function shortLabel(label: string): string {
  return label.replace(/^RIP response: /, 'RIP ').replace(/^RIP response \((\d+) routes\)$/, 'RIP ($1 routes)').replace(/ and \d+ more$/, ' …');
}

function timeText(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}

/** The Plot options of a ladder: the figure's one definition, for both renderers. */
export function ladderPlotOptions(packets: readonly LadderPacketLike[], o: LadderOptions = {}): PlotTypes.PlotOptions {
  const nodes = o.nodes ?? [...new Set(packets.flatMap((p) => [p.from, p.to]))];
  const shown = new Set(nodes);
  const kept = packets.filter((p) => shown.has(p.from) && shown.has(p.to));
  // Packets and notes share one sequence of rows: a note takes the row after the last frame sent before it.
  const items: ({ kind: 'packet'; p: LadderPacketLike; t: number } | { kind: 'note'; n: LadderNote; t: number })[] = [
    ...kept.map((p) => ({ kind: 'packet' as const, p, t: p.sent })),
    ...(o.notes ?? []).filter((n) => shown.has(n.node)).map((n) => ({ kind: 'note' as const, n, t: n.t })),
  ].sort((a, b) => a.t - b.t || (a.kind === b.kind ? 0 : a.kind === 'packet' ? -1 : 1));
  const rows: Row[] = [];
  const notes: (LadderNote & { row: number; text: string })[] = [];
  const times: string[] = [];
  for (const item of items) {
    const row = times.length;
    times.push(timeText(item.t));
    if (item.kind === 'packet') rows.push({ ...item.p, row, time: timeText(item.p.sent) });
    else notes.push({ ...item.n, row, text: `${item.n.node}: ${item.n.label}` });
  }
  const cursorRow = o.cursor === undefined ? undefined : rows[o.cursor]?.row;
  const width = o.width ?? 720;
  const narrow = width < NARROW_BELOW_PX;
  const count = Math.max(1, times.length);
  const protocols = Object.keys(PROTOCOL_COLOURS);
  const mid = (r: Row) => (nodes.indexOf(r.from) + nodes.indexOf(r.to)) / 2;
  const columnWidth = (width - (narrow ? 56 : 80)) / Math.max(1, nodes.length - 1);
  const labelFont = narrow ? 9 : 10;
  // How many characters fit over an arrow one column and a half wide (a character is about 0.6 em).
  const labelChars = Math.max(12, Math.floor((Math.abs(columnWidth) * 1.5) / (labelFont * 0.6)));
  const tickEvery = Math.max(1, Math.ceil(times.length / 40));
  return {
    width,
    height: 60 + ROW_HEIGHT * (count + 0.5),
    marginTop: 40,
    marginLeft: narrow ? 64 : 80,
    marginRight: narrow ? 24 : 40,
    marginBottom: 10,
    x: { domain: nodes.map((_, i) => i), type: 'linear', axis: 'top', ticks: nodes.map((_, i) => i), tickFormat: (i: number) => nodes[i] ?? '', label: null, tickSize: 0, inset: 8 },
    y: { domain: [-0.5, count - 0.5], reverse: true, axis: 'left', ticks: times.map((_, i) => i).filter((i) => i % tickEvery === 0), tickFormat: (i: number) => times[i] ?? '', label: null, tickSize: 0 },
    color: { domain: protocols, range: protocols.map((p) => PROTOCOL_COLOURS[p]!), legend: true },
    style: { fontSize: narrow ? '10px' : '11px' },
    caption: o.caption ?? null,
    marks: [
      ...(cursorRow !== undefined ? [Plot.rectY([cursorRow], { y1: (i: number) => i - 0.5, y2: (i: number) => i + 0.5, fill: 'currentColor', fillOpacity: 0.09 })] : []),
      Plot.ruleX(nodes.map((_, i) => i), { stroke: 'currentColor', strokeOpacity: 0.35 }),
      ...[false, true].map((lost) =>
        Plot.arrow(
          rows.filter((r) => (r.lost === true) === lost),
          {
            x1: (r: Row) => nodes.indexOf(r.from),
            x2: (r: Row) => nodes.indexOf(r.to),
            y1: 'row',
            y2: 'row',
            stroke: 'protocol',
            strokeWidth: 1.6,
            ...(lost ? { strokeDasharray: '3,3' } : {}),
            headLength: 7,
            inset: 2,
            title: (r: Row) => `${r.from} → ${r.to}, ${r.label}, t = ${r.time}${lost ? ' (lost: the receiver is down)' : ''}`,
          },
        ),
      ),
      Plot.text(rows, {
        x: mid,
        y: 'row',
        text: (r: Row) => `${r.label.length > labelChars ? shortLabel(r.label) : r.label}${r.lost === true ? ' ✗' : ''}`,
        dy: -6,
        fill: 'currentColor',
        // A label longer than its arrow says it in fewer words, and wraps onto a second line above
        // the arrow rather than losing its end (the metric).
        lineWidth: labelChars * 0.6,
        lineAnchor: 'bottom',
        fontSize: narrow ? 9 : 10,
      }),
      Plot.dot(notes, { x: (n: { node: string }) => nodes.indexOf(n.node), y: 'row', fill: NOTE_COLOUR, r: 4, symbol: 'diamond', title: (n: LadderNote & { text: string }) => `${n.text}, t = ${timeText(n.t)}` }),
      // Notes on the right half of the ladder read leftwards, so they stay inside the figure.
      ...(['start', 'end'] as const).map((anchor) =>
        Plot.text(
          notes.filter((n) => (nodes.indexOf(n.node) > (nodes.length - 1) / 2 ? 'end' : 'start') === anchor),
          {
            x: (n: { node: string }) => nodes.indexOf(n.node),
            y: 'row',
            text: 'text',
            dx: anchor === 'start' ? 7 : -7,
            textAnchor: anchor,
            fill: 'currentColor',
            fontWeight: 'bold',
            fontSize: narrow ? 9 : 10,
          },
        ),
      ),
      Plot.tip(rows, Plot.pointerY({ x: mid, y: 'row', title: (r: Row) => `${r.time}  ${r.from} → ${r.to}\n${r.label}${r.lost === true ? '\nlost: the receiver is down' : ''}` })),
    ],
  };
}

/** The ladder drawn into a page's document (the simulation mode). */
export function ladderElement(packets: readonly LadderPacketLike[], o: LadderOptions, document: Document): SVGSVGElement | HTMLElement {
  return drawPlot(ladderPlotOptions(packets, o), document);
}

const CHANGE_WORDS: Readonly<Record<string, string>> = { remove: 'route removed', invalid: 'route invalid', holddown: 'hold-down', flush: 'flushed', garbage: 'deleted (garbage collection)' };

/** A ladder's notes from route-change rows: what each router did to its route to `prefix`, in few words. */
export function routeChangeNotes(rows: readonly NextHopChangeLike[], o: { prefix: string; spec: LabSpec; from?: number; until?: number }): LadderNote[] {
  const owners = addressOwners(o.spec);
  const notes: LadderNote[] = [];
  for (const r of rows) {
    const t = toSeconds(r.t);
    if (r.prefix !== o.prefix || t < (o.from ?? 0) || t > (o.until ?? Infinity)) continue;
    // IOS's flush deletes the forwarding entry at the same instant: one note says both.
    if (r.event === 'remove' && notes.some((n) => n.node === r.node && n.t === t)) continue;
    const via = r.nextHop === null ? 'connected' : (owners.get(r.nextHop) ?? r.nextHop);
    const label = r.event === 'add' || r.event === 'replace' ? `route via ${via}${r.metric === undefined ? '' : `, metric ${r.metric}`}` : (CHANGE_WORDS[r.event] ?? r.event);
    notes.push({ t, node: r.node, label });
  }
  return notes;
}
