/** Figures of name-lookup times (LookupTiming rows, lib/results/rows.ts). */
import { Plot, plotToHtml } from './render';
import { REFERENCE_COLOUR } from './reference';

export interface LookupTimeLike {
  tool: string;
  failure: string;
  seconds: number;
}

/** Ticks of the log scale, from 5 ms (a real lab's lookups, without link delays) to 20 s. */
const LOG_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];

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

export function lookupTimeFigure(rows: readonly LookupTimeLike[], options: { caption?: string; references?: readonly LookupReference[] } = {}): string {
  const refs = (options.references ?? []).filter((r) => rows.some((x) => x.tool === r.tool && x.failure === r.failure));
  const tools = [...new Set(rows.map((r) => r.tool))];
  const failures = [...new Set(rows.map((r) => r.failure))];
  const quickest = Math.min(...rows.map((r) => r.seconds).filter((s) => s > 0));
  const from = quickest > 0.05 ? 0.05 : 10 ** Math.floor(Math.log10(quickest)) / 2;
  return plotToHtml({
    height: 60 + tools.length * (24 * failures.length + 20),
    marginLeft: 190,
    marginRight: 60,
    x: { type: 'log', label: 'lookup time (s, log scale)', grid: true, domain: [from, 40], ticks: LOG_TICKS.filter((t) => t > from), tickFormat: (d: number) => String(d) },
    y: { label: null, domain: failures },
    fy: { label: null, domain: tools, axis: null },
    color: { domain: failures, legend: false },
    caption: options.caption ?? 'Time for one lookup, per tool and failure of the first name server.',
    marks: [
      Plot.barX(rows, { x1: from, x2: 'seconds', y: 'failure', fy: 'tool', fill: 'failure' }),
      Plot.tip(rows, Plot.pointer({ x: 'seconds', y: 'failure', fy: 'tool', title: (r: LookupTimeLike) => `${r.tool}, ${r.failure}: ${r.seconds.toFixed(3)} s` })),
      Plot.text(rows, { x: 'seconds', y: 'failure', fy: 'tool', text: (r: LookupTimeLike) => `${r.seconds.toFixed(2)} s`, textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      // The reference: a tick across the bar's row, its value to its left inside the bar.
      Plot.tickX(refs, { x: 'seconds', y: 'failure', fy: 'tool', stroke: REFERENCE_COLOUR, strokeWidth: 2.5 }),
      Plot.text(refs, { x: 'seconds', y: 'failure', fy: 'tool', text: (r: LookupReference) => `${r.label} ${r.seconds.toFixed(3)} s`, textAnchor: 'end', dx: -5, fill: REFERENCE_COLOUR, fontSize: 10, fontWeight: 'bold' }),
      Plot.text(tools, { fy: (t: string) => t, text: (t: string) => t, frameAnchor: 'top-left', dy: -14, dx: -180, fontWeight: 'bold', fill: 'currentColor' }),
    ],
  });
}
