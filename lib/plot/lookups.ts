/** Figures of name-lookup times (rows from lib/lab/lookups). */
import { Plot, plotToHtml } from './render';

export interface LookupTimeLike {
  tool: string;
  failure: string;
  seconds: number;
}

/** Horizontal bars: lookup time per failure mode, one panel per tool, a log scale for 0.1 s … 20 s. */
export function lookupTimeFigure(rows: readonly LookupTimeLike[], options: { caption?: string } = {}): string {
  const tools = [...new Set(rows.map((r) => r.tool))];
  const failures = [...new Set(rows.map((r) => r.failure))];
  return plotToHtml({
    height: 60 + tools.length * (24 * failures.length + 20),
    marginLeft: 190,
    marginRight: 60,
    x: { type: 'log', label: 'lookup time (s, log scale)', grid: true, domain: [0.05, 40], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20], tickFormat: (d: number) => String(d) },
    y: { label: null, domain: failures },
    fy: { label: null, domain: tools, axis: null },
    color: { domain: failures, legend: false },
    caption: options.caption ?? 'Time for one lookup, per tool and failure of the first name server.',
    marks: [
      Plot.barX(rows, { x1: 0.05, x2: 'seconds', y: 'failure', fy: 'tool', fill: 'failure' }),
      Plot.text(rows, { x: 'seconds', y: 'failure', fy: 'tool', text: (r: LookupTimeLike) => `${r.seconds.toFixed(2)} s`, textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      Plot.text(tools, { fy: (t: string) => t, text: (t: string) => t, frameAnchor: 'top-left', dy: -14, dx: -180, fontWeight: 'bold', fill: 'currentColor' }),
    ],
  });
}
