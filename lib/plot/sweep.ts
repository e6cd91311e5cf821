/**
 * Figures of a sweep's rows (lib/sweep/sweep.ts): the outage of every run per option, its cumulative
 * distribution, and the outage against a numeric parameter. Rows in, SVG out.
 */
import { Plot, plotToHtml, ticksToMax } from './render';
import { referenceMarks, type ReferenceMark } from './reference';
import { quantile } from '../results/stats';

/** A sweep row as these figures read it: the option it belongs to is the value of `by`. */
export type SweepRowLike = Record<string, number | string | boolean | null>;

export interface SweepFigureOptions {
  /** The column naming each row's option, e.g. `profile`, or `label` (all varied parameters). @defaultValue 'label' */
  by?: string;
  /** The outage column. @defaultValue 'outageSeconds' */
  outage?: string;
  caption?: string;
  /** Option order top to bottom / in the legend. @defaultValue first appearance in the rows */
  order?: string[];
}

interface Outage {
  option: string;
  outage: number;
}

function outagesOf(rows: readonly SweepRowLike[], o: SweepFigureOptions): { done: Outage[]; options: string[] } {
  const by = o.by ?? 'label';
  const column = o.outage ?? 'outageSeconds';
  const done: Outage[] = [];
  const seen: string[] = [];
  for (const r of rows) {
    const option = String(r[by]);
    if (!seen.includes(option)) seen.push(option);
    const v = r[column];
    if (typeof v === 'number') done.push({ option, outage: v });
  }
  return { done, options: o.order ?? seen };
}

/**
 * One lane per option, one tick per run at its outage; a thick tick at the median and a text with
 * median and p90 at the right. Runs that did not recover are left out (the summary counts them).
 */
export function outageStripFigure(rows: readonly SweepRowLike[], o: SweepFigureOptions & { reference?: ReferenceMark } = {}): string {
  const { done, options } = outagesOf(rows, o);
  const stats = options.flatMap((option) => {
    const v = done.filter((d) => d.option === option).map((d) => d.outage).sort((a, b) => a - b);
    return v.length === 0 ? [] : [{ option, median: quantile(v, 0.5)!, p90: quantile(v, 0.9)!, max: v[v.length - 1]! }];
  });
  const xMax = Math.max(1, o.reference?.seconds ?? 0, ...done.map((d) => d.outage));
  return plotToHtml({
    height: 60 + 36 * options.length + (o.reference === undefined ? 0 : 16),
    ...(o.reference === undefined ? {} : { marginTop: 30 }),
    marginLeft: Math.min(260, 12 + 6.5 * Math.max(...options.map((s) => s.length))),
    marginRight: 175,
    x: { label: 'outage (s)', grid: true, zero: true, domain: [0, xMax] },
    y: { label: null, domain: options },
    caption: o.caption ?? 'Outage of every run, per option: one tick per run, the thick tick at the median.',
    marks: [
      Plot.tickX(done, { x: 'outage', y: 'option', stroke: 'option', strokeOpacity: 0.35 }),
      Plot.tip(done, Plot.pointer({ x: 'outage', y: 'option', title: (d: Outage) => `${d.option}: ${d.outage.toFixed(1)} s` })),
      Plot.tickX(stats, { x: 'median', y: 'option', stroke: 'currentColor', strokeWidth: 3 }),
      Plot.text(stats, { x: xMax, y: 'option', text: (s: { median: number; p90: number }) => `median ${s.median.toFixed(0)} s · p90 ${s.p90.toFixed(0)} s`, dx: 8, textAnchor: 'start', fill: 'currentColor' }),
      ...referenceMarks(o.reference),
    ],
  });
}

/** The share of runs back within x seconds, per option (empirical CDF, steps). */
export function outageCdfFigure(rows: readonly SweepRowLike[], o: SweepFigureOptions = {}): string {
  const { done, options } = outagesOf(rows, o);
  const steps = options.flatMap((option) => {
    const v = done.filter((d) => d.option === option).map((d) => d.outage).sort((a, b) => a - b);
    // Each line rises from 0 % at its own first outage: a run of 0 % from 0 s along the axis, shared
    // by every line, would draw them all on top of one another there.
    return v.length === 0 ? [] : [{ option, outage: v[0]!, share: 0 }, ...v.map((outage, i) => ({ option, outage, share: (i + 1) / v.length }))];
  });
  const xMax = Math.max(1, ...done.map((d) => d.outage));
  // Options with the same outages draw the same steps: each line is drawn wider than the ones after
  // it, so one under another still shows as a border round it (chapter 6's FRR and tuned-IOS lines).
  const widths = options.map((_, i) => 1.5 + Math.min(1.5, 6 / options.length) * (options.length - 1 - i));
  return plotToHtml({
    height: 320,
    marginRight: 20,
    // Room for "100%" (Plot's default 40 px clips its first digit).
    marginLeft: 48,
    x: { label: 'outage (s)', grid: true, zero: true, domain: [0, xMax] },
    y: { label: 'runs recovered within (share)', grid: true, domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], tickFormat: '%' },
    color: { legend: true, domain: options },
    caption: o.caption ?? 'Cumulative distribution of the outage: how many runs were back within x seconds.',
    marks: [
      ...options.map((option, i) => Plot.line(steps.filter((s) => s.option === option), { x: 'outage', y: 'share', stroke: 'option', curve: 'step-after', strokeWidth: widths[i]!, strokeOpacity: 0.85 })),
      Plot.ruleY([0]),
      Plot.tip(steps, Plot.pointer({ x: 'outage', y: 'share', title: (s: { option: string; outage: number; share: number }) => `${s.option}\n${(s.share * 100).toFixed(0)} % of runs back within ${s.outage.toFixed(1)} s` })),
    ],
  });
}

export interface OutageAgainstPoint {
  /** The parameter's value as a number (e.g. the health-check interval in seconds). */
  x: number;
  median: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
  /** A series name when several lines share the figure. @defaultValue '' */
  series?: string;
}

/** Median (line and dots) with the min–max range (band) and p90 (dashed) against a numeric parameter. */
export function outageAgainstFigure(points: readonly OutageAgainstPoint[], o: { xLabel: string; caption?: string; reference?: { y: number; label: string } }): string {
  const data = points.filter((p) => p.median !== null).map((p) => ({ ...p, series: p.series ?? '' }));
  const many = new Set(data.map((p) => p.series)).size > 1;
  const yMax = Math.max(1, o.reference?.y ?? 0, ...data.flatMap((p) => [p.max ?? 0, p.p90 ?? 0, p.median ?? 0]));
  return plotToHtml({
    height: 320,
    marginRight: o.reference === undefined ? 30 : 100,
    // The axis label gets a line of its own below the tick labels: at the default offset it sits
    // on the last ticks when the right margin is narrow.
    marginBottom: 44,
    x: { label: o.xLabel, grid: true, zero: true, labelOffset: 40 },
    y: { label: 'outage (s)', grid: true, zero: true, domain: [0, yMax], ticks: ticksToMax(yMax, 4) },
    ...(many ? { color: { legend: true } } : {}),
    caption: o.caption ?? 'Outage against the parameter: median (line), p90 (dashed), min to max (band).',
    marks: [
      Plot.areaY(data, { x: 'x', y1: 'min', y2: 'max', z: 'series', fill: many ? 'series' : 'currentColor', fillOpacity: 0.12 }),
      Plot.line(data, { x: 'x', y: 'p90', z: 'series', stroke: many ? 'series' : 'currentColor', strokeDasharray: '4,3' }),
      Plot.line(data, { x: 'x', y: 'median', z: 'series', stroke: many ? 'series' : 'currentColor' }),
      Plot.dot(data, { x: 'x', y: 'median', fill: many ? 'series' : 'currentColor' }),
      Plot.tip(data, Plot.pointer({ x: 'x', y: 'median', title: (p: OutageAgainstPoint) => `${p.series === '' ? '' : `${p.series}\n`}${p.x}: median ${p.median} s, p90 ${p.p90} s, ${p.min}–${p.max} s` })),
      ...(o.reference === undefined
        ? []
        : [Plot.ruleY([o.reference.y], { stroke: '#e15759', strokeDasharray: '2,3' }), Plot.text([o.reference], { y: 'y', text: 'label', frameAnchor: 'right', dx: 96, textAnchor: 'end', dy: -6, fill: '#e15759' })]),
    ],
  });
}
