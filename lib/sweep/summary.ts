/**
 * A sweep's summary: per point, the runs, min/median/p90/max of the measure's summary column (the
 * outage, or the service time lost) over the runs that recovered, the unrecovered runs, and the means
 * of cost columns. Built row by row as rows reach the file, so only each point's values stay in memory.
 */
import type { CellValue, Row, SummaryRow } from '../results/rows';
import { quantile } from '../results/stats';
import type { Experiment } from './experiment';
import { metaOf, type SweepMeta } from './rows-file';

export type { SummaryRow } from '../results/rows';
// The one quantile (d3-array's type 7, lib/results/stats.ts).
export { quantile } from '../results/stats';

/** Per point: runs, min/median/p90/max of the measure's summary column (the outage) over the recovered runs, unrecovered runs, runs whose premise failed, means of cost columns. */
export class SummaryBuilder {
  private readonly outages: number[][];
  private readonly counts: number[];
  private readonly unrecovered: number[];
  private readonly unsteady: number[];
  private readonly sums: Map<string, number[]>;

  constructor(private readonly meta: SweepMeta) {
    const n = meta.points.length;
    this.outages = Array.from({ length: n }, () => []);
    this.counts = new Array<number>(n).fill(0);
    this.unrecovered = new Array<number>(n).fill(0);
    this.unsteady = new Array<number>(n).fill(0);
    this.sums = new Map(meta.meanColumns.map((c) => [c, new Array<number>(n).fill(0)]));
  }

  add(row: Row): void {
    const p = row['point'] as number;
    this.counts[p]!++;
    if (this.meta.summaryColumn !== '') {
      const v = row[this.meta.summaryColumn];
      const premise = this.meta.premiseColumn === undefined ? null : row[this.meta.premiseColumn];
      if (typeof premise === 'string' && premise !== '') this.unsteady[p]!++;
      else if (typeof v === 'number') this.outages[p]!.push(v);
      else this.unrecovered[p]!++;
    }
    for (const [c, sums] of this.sums) sums[p]! += typeof row[c] === 'number' ? (row[c] as number) : 0;
  }

  rows(): SummaryRow[] {
    return this.meta.points.map((point, p) => {
      const sorted = [...this.outages[p]!].sort((a, b) => a - b);
      const row: SummaryRow = { point: p, label: point.label, ...point.values, n: this.counts[p]! };
      if (this.meta.summaryColumn !== '') {
        Object.assign(row, { min: quantile(sorted, 0), median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: quantile(sorted, 1), unrecovered: this.unrecovered[p]! });
        // Runs whose premise failed (failover: no steady baseline) are neither outages nor unrecovered.
        if (this.meta.premiseColumn !== undefined) row['unsteady'] = this.unsteady[p]!;
      }
      for (const [c, sums] of this.sums) row[`mean ${c}`] = this.counts[p]! === 0 ? null : sums[p]! / this.counts[p]!;
      return row;
    });
  }
}

/** The summary of rows already in hand (`runExperiment`'s), as `sweep` and the CLI print it. */
export function summarize(e: Experiment, rows: readonly Row[]): SummaryRow[] {
  const builder = new SummaryBuilder(metaOf(e, { index: 1, count: 1 }));
  for (const row of rows) builder.add(row);
  return builder.rows();
}

/** The summary as a fixed-width text table (numbers rounded to 0.1); the label only when nothing varies (else it repeats the parameter columns). */
export function formatSummary(summary: readonly SummaryRow[]): string {
  if (summary.length === 0) return '(no points)';
  const keys = Object.keys(summary[0]!).filter((k) => k !== 'label' || summary[0]!['label'] === 'baseline');
  const text = (v: CellValue | undefined): string => (v === null || v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 10) / 10) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...summary.map((r) => text(r[k]).length)));
  const numeric = keys.map((k) => summary.every((r) => typeof r[k] === 'number' || r[k] === null));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(keys), ...summary.map((r) => line(keys.map((k) => text(r[k]))))].join('\n');
}
