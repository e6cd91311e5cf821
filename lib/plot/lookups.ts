/** Figures of name-lookup times (LookupTiming rows, lib/results/rows.ts). */
import { Plot, plotToHtml } from './render';
import { REFERENCE_COLOUR } from './reference';
import { NARROW_BELOW_PX } from './draw';
import { figureAt } from './figures';

export interface LookupTimeLike {
  tool: string;
  failure: string;
  seconds: number;
}

/** Ticks of the log scale, from 5 ms (a real lab's lookups, without link delays) to 20 s. */
const LOG_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];
/** A narrow figure's ticks: one a decade. */
const NARROW_LOG_TICKS = [0.01, 0.1, 1, 10];

/** A long row name on two lines, broken at the space nearest its middle (a narrow figure's y labels). */
function twoLines(text: string, longerThan: number): string {
  if (text.length <= longerThan) return text;
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index!);
  if (spaces.length === 0) return text;
  const at = spaces.reduce((best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best));
  return `${text.slice(0, at)}\n${text.slice(at + 1)}`;
}

/**
 * Horizontal bars: lookup time per failure mode, one panel per tool, a log scale from 0.05 s (or a
 * decade below the quickest lookup) to 40 s.
 */
/** A measurement from elsewhere on one bar's row: `{ tool: 'nslookup (BIND 9.10)', failure: 'xenial1 halted', seconds: 1.036, label: 'write-up' }`. */
export interface LookupReference {
  tool: string;
  failure: string;
  seconds: number;
  label: string;
}

export function lookupTimeFigure(rows: readonly LookupTimeLike[], options: { caption?: string; references?: readonly LookupReference[]; width?: number } = {}): string {
  return figureAt(options.width, (width) => {
    const refs = (options.references ?? []).filter((r) => rows.some((x) => x.tool === r.tool && x.failure === r.failure));
    const tools = [...new Set(rows.map((r) => r.tool))];
    const failures = [...new Set(rows.map((r) => r.failure))];
    const quickest = Math.min(...rows.map((r) => r.seconds).filter((s) => s > 0));
    const narrow = width < NARROW_BELOW_PX;
    const marginLeft = narrow ? 96 : 190;
    const small = narrow ? { fontSize: 9 } : {};
    // A reference beyond its bar's end (ours was quicker, chapter 3's 0.103 s) is labelled right of
    // its tick, and our value moves inside the bar's end: to the left it would sit on the row's name.
    const valueOf = (r: LookupReference) => rows.find((x) => x.tool === r.tool && x.failure === r.failure)!.seconds;
    const beyond = new Set(refs.filter((r) => r.seconds > valueOf(r)).map((r) => `${r.tool}\n${r.failure}`));
    const isBeyond = (r: { tool: string; failure: string }) => beyond.has(`${r.tool}\n${r.failure}`);
    const valueText = (r: LookupTimeLike) => `${r.seconds.toFixed(2)} s`;
    const refText = (r: LookupReference) => `${r.label} ${r.seconds.toFixed(3)} s`;
    // The axis starts a decade below the quickest lookup when that one is quicker than 0.05 s, or
    // when a bar must hold its value inside (a 0.06 s bar on an axis from 0.05 s would be 5 px long).
    const from = quickest > 0.05 && beyond.size === 0 ? 0.05 : 10 ** Math.floor(Math.log10(quickest)) / 2;
    const ticks = (narrow ? NARROW_LOG_TICKS : LOG_TICKS).filter((t) => t > from);
    const refFont = { fill: REFERENCE_COLOUR, fontSize: narrow ? 9 : 10, fontWeight: 'bold' };
    return plotToHtml({
      width,
      height: 60 + tools.length * ((narrow ? 28 : 24) * failures.length + 20),
      marginLeft,
      marginRight: narrow ? 40 : 60,
      // The axis as a mark of its own ticks: the scale's tickFormat goes through d3's log format,
      // which blanks the labels of 0.05, 0.5 and 5 however it is given.
      x: { type: 'log', domain: [from, 40], axis: null },
      marginBottom: 42,
      y: { label: null, domain: failures, ...(narrow ? { tickFormat: (f: string) => twoLines(f, 16) } : {}) },
      fy: { label: null, domain: tools, axis: null },
      color: { domain: failures, legend: false },
      caption: options.caption ?? 'Time for one lookup, per tool and failure of the first name server.',
      ...(narrow ? { style: { fontSize: '10px' } } : {}),
      marks: [
        Plot.gridX(ticks),
        Plot.axisX(ticks, { text: (t: number) => String(t), label: 'lookup time (s, log scale) →', labelAnchor: 'center', labelOffset: 34 }),
        Plot.barX(rows, { x1: from, x2: 'seconds', y: 'failure', fy: 'tool', fill: 'failure', title: (r: LookupTimeLike) => `${r.tool}, ${r.failure}: ${r.seconds.toFixed(3)} s` }),
        Plot.tip(rows, Plot.pointer({ x: 'seconds', y: 'failure', fy: 'tool', title: (r: LookupTimeLike) => `${r.tool}, ${r.failure}: ${r.seconds.toFixed(3)} s` })),
        Plot.text(rows.filter((r) => !isBeyond(r)), { x: 'seconds', y: 'failure', fy: 'tool', text: valueText, textAnchor: 'start', dx: 4, fill: 'currentColor', ...small }),
        Plot.text(rows.filter(isBeyond), { x: 'seconds', y: 'failure', fy: 'tool', text: valueText, textAnchor: 'end', dx: -4, fill: 'white', ...small }),
        // The reference: a tick across the bar's row, its value to its left inside the bar (a white
        // halo: red on the red bar of a halted server is unreadable).
        Plot.tickX(refs, { x: 'seconds', y: 'failure', fy: 'tool', stroke: REFERENCE_COLOUR, strokeWidth: 2.5, title: (r: LookupReference) => `${r.label}: ${r.tool}, ${r.failure}: ${r.seconds.toFixed(3)} s` }),
        Plot.text(refs.filter((r) => !isBeyond(r)), { x: 'seconds', y: 'failure', fy: 'tool', text: refText, textAnchor: 'end', dx: -5, ...refFont, stroke: 'white', strokeWidth: 2.5, strokeLinejoin: 'round', paintOrder: 'stroke' }),
        Plot.text(refs.filter(isBeyond), { x: 'seconds', y: 'failure', fy: 'tool', text: refText, textAnchor: 'start', dx: 5, ...refFont }),
        Plot.text(tools, { fy: (t: string) => t, text: (t: string) => t, frameAnchor: 'top-left', dy: -14, dx: 10 - marginLeft, fontWeight: 'bold', fill: 'currentColor', ...small }),
      ],
    });
  });
}
