/**
 * Figures of a sweep's rows (lib/sweep/sweep.ts): the outage of every run per option, its cumulative
 * distribution, and the outage against a numeric parameter. Rows in, SVG out.
 */
import { Plot, plotToHtml, ticksToMax } from './render';
import { laneHeadings, NARROW_BELOW_PX, NARROW_LANE_PX } from './draw';
import { figureAt } from './figures';
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
  /** Draw at this width only; without it, wide and narrow (`figureAt`). */
  width?: number;
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
  return figureAt(o.width, (width) => {
    const { done, options } = outagesOf(rows, o);
    const stats = options.flatMap((option) => {
      const v = done.filter((d) => d.option === option).map((d) => d.outage).sort((a, b) => a - b);
      return v.length === 0 ? [] : [{ option, median: quantile(v, 0.5)!, p90: quantile(v, 0.9)!, max: v[v.length - 1]!, n: v.length }];
    });
    type Stat = (typeof stats)[number];
    const statText = (s: Stat) => `median ${s.median.toFixed(0)} s · p90 ${s.p90.toFixed(0)} s`;
    const xMax = Math.max(1, o.reference?.seconds ?? 0, ...done.map((d) => d.outage));
    const narrow = width < NARROW_BELOW_PX;
    return plotToHtml({
      width,
      height: (narrow ? 50 + NARROW_LANE_PX * options.length : 60 + 36 * options.length) + (o.reference === undefined ? 0 : 16),
      ...(o.reference === undefined ? {} : { marginTop: 30 }),
      marginLeft: narrow ? 12 : Math.min(260, 12 + 6.5 * Math.max(...options.map((s) => s.length))),
      marginRight: narrow ? 16 : 175,
      x: { label: 'outage (s)', grid: true, zero: true, domain: [0, xMax] },
      y: narrow ? { label: null, domain: options, axis: null, padding: 0.4 } : { label: null, domain: options },
      caption: o.caption ?? 'Outage of every run, per option: one tick per run, the thick tick at the median.',
      marks: [
        Plot.tickX(done, { x: 'outage', y: 'option', stroke: 'option', strokeOpacity: 0.35, title: (d: Outage) => `${d.option}: outage ${d.outage.toFixed(1)} s` }),
        Plot.tip(done, Plot.pointer({ x: 'outage', y: 'option', title: (d: Outage) => `${d.option}: ${d.outage.toFixed(1)} s` })),
        Plot.tickX(stats, { x: 'median', y: 'option', stroke: 'currentColor', strokeWidth: 3, title: (s: Stat) => `${s.option}: ${statText(s)}, max ${s.max.toFixed(1)} s, ${s.n} runs recovered` }),
        narrow
          ? laneHeadings(stats, 'option', (s) => `${s.option} · ${statText(s)}`)
          : Plot.text(stats, { x: xMax, y: 'option', text: statText, dx: 8, textAnchor: 'start', fill: 'currentColor' }),
        ...referenceMarks(o.reference),
      ],
    });
  });
}

/** The share of runs back within x seconds, per option (empirical CDF, steps). */
export function outageCdfFigure(rows: readonly SweepRowLike[], o: SweepFigureOptions = {}): string {
  return figureAt(o.width, (width) => {
    const { done, options } = outagesOf(rows, o);
    const steps = options.flatMap((option) => {
      const v = done.filter((d) => d.option === option).map((d) => d.outage).sort((a, b) => a - b);
      // Each line rises from 0 % at its own first outage: a run of 0 % from 0 s along the axis, shared
      // by every line, would draw them all on top of one another there.
      return v.length === 0 ? [] : [{ option, outage: v[0]!, share: 0 }, ...v.map((outage, i) => ({ option, outage, share: (i + 1) / v.length }))];
    });
    type Step = (typeof steps)[number];
    const stepText = (s: Step) => `${s.option}: ${(s.share * 100).toFixed(0)} % of runs back within ${s.outage.toFixed(1)} s`;
    const xMax = Math.max(1, ...done.map((d) => d.outage));
    const narrow = width < NARROW_BELOW_PX;
    // Options with the same outages draw the same steps: each line is drawn wider than the ones after
    // it, so one under another still shows as a border round it (chapter 6's FRR and tuned-IOS lines).
    const widths = options.map((_, i) => 1.5 + Math.min(1.5, 6 / options.length) * (options.length - 1 - i));
    return plotToHtml({
      width,
      height: narrow ? 260 : 320,
      marginRight: 20,
      // Room for "100%" (Plot's default 40 px clips its first digit).
      marginLeft: 48,
      x: { label: 'outage (s)', grid: true, zero: true, domain: [0, xMax] },
      y: { label: narrow ? 'runs back within (share)' : 'runs recovered within (share)', grid: true, domain: [0, 1], ticks: narrow ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1], tickFormat: '%' },
      color: { legend: true, domain: options },
      caption: o.caption ?? 'Cumulative distribution of the outage: how many runs were back within x seconds.',
      marks: [
        ...options.map((option, i) => Plot.line(steps.filter((s) => s.option === option), { x: 'outage', y: 'share', stroke: 'option', curve: 'step-after', strokeWidth: widths[i]!, strokeOpacity: 0.85 })),
        Plot.ruleY([0]),
        // A step's corner says its share on hover in a static page too: an unpainted dot with an SVG
        // title (a transparent fill still takes the pointer).
        Plot.dot(steps.filter((s) => s.share > 0), { x: 'outage', y: 'share', r: 4, fill: 'option', fillOpacity: 0, title: stepText }),
        Plot.tip(steps, Plot.pointer({ x: 'outage', y: 'share', title: (s: Step) => stepText(s).replace(': ', '\n') })),
      ],
    });
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
export function outageAgainstFigure(points: readonly OutageAgainstPoint[], o: { xLabel: string; caption?: string; reference?: { y: number; label: string }; width?: number }): string {
  return figureAt(o.width, (width) => {
    const data = points.filter((p) => p.median !== null).map((p) => ({ ...p, series: p.series ?? '' }));
    const many = new Set(data.map((p) => p.series)).size > 1;
    const yMax = Math.max(1, o.reference?.y ?? 0, ...data.flatMap((p) => [p.max ?? 0, p.p90 ?? 0, p.median ?? 0]));
    const narrow = width < NARROW_BELOW_PX;
    const pointText = (p: OutageAgainstPoint) => `${p.series === '' ? '' : `${p.series}, `}${o.xLabel} ${p.x}: median ${p.median} s, p90 ${p.p90} s, ${p.min}–${p.max} s`;
    return plotToHtml({
      width,
      height: narrow ? 280 : 320,
      // Wide: the reference's label in the right margin; narrow: inside the frame over its rule.
      marginRight: o.reference === undefined || narrow ? (narrow ? 16 : 30) : 100,
      x: { label: o.xLabel, grid: true, zero: true },
      y: { label: 'outage (s)', grid: true, zero: true, domain: [0, yMax], ticks: ticksToMax(yMax, narrow ? 3 : 4) },
      ...(many ? { color: { legend: true } } : {}),
      caption: o.caption ?? 'Outage against the parameter: median (line), p90 (dashed), min to max (band).',
      marks: [
        Plot.areaY(data, { x: 'x', y1: 'min', y2: 'max', z: 'series', fill: many ? 'series' : 'currentColor', fillOpacity: 0.12 }),
        Plot.line(data, { x: 'x', y: 'p90', z: 'series', stroke: many ? 'series' : 'currentColor', strokeDasharray: '4,3' }),
        Plot.line(data, { x: 'x', y: 'median', z: 'series', stroke: many ? 'series' : 'currentColor' }),
        Plot.dot(data, { x: 'x', y: 'median', fill: many ? 'series' : 'currentColor', title: pointText }),
        Plot.tip(data, Plot.pointer({ x: 'x', y: 'median', title: (p: OutageAgainstPoint) => pointText(p).replace(', ', '\n') })),
        ...(o.reference === undefined
          ? []
          : [
              Plot.ruleY([o.reference.y], { stroke: '#e15759', strokeDasharray: '2,3', title: () => `${o.reference!.label}: ${o.reference!.y} s` }),
              Plot.text([o.reference], { y: 'y', text: 'label', frameAnchor: 'right', dx: narrow ? -2 : 96, textAnchor: 'end', dy: -6, fill: '#e15759' }),
            ]),
      ],
    });
  });
}
