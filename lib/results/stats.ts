/**
 * The one median and the one quantile of the code base, both d3-array's (type 7 of Hyndman and Fan,
 * R's default: linear between order statistics, so the median of an even count is the mean of the
 * middle two). Every table, figure and summary goes through these, so a figure's "median" and a
 * table's "median" of the same runs are the same number.
 */
import { median as d3Median, quantileSorted } from 'd3-array';

/** The median of the values (any order); null when there are none. */
export function median(values: readonly number[]): number | null {
  return d3Median(values) ?? null;
}

/** The p-quantile (0 ≤ p ≤ 1) of values sorted ascending; null when there are none. */
export function quantile(sorted: readonly number[], p: number): number | null {
  return quantileSorted(sorted, p) ?? null;
}
