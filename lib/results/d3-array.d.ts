// The functions of d3-array 3 that lib/results/stats.ts and lib/plot/draw.ts use (the package ships no types).
declare module 'd3-array' {
  /** Type 7 quantile of values already sorted ascending; undefined for none. */
  export function quantileSorted(values: ArrayLike<number>, p: number): number | undefined;
  /** quantile(values, 0.5): the mean of the middle two of an even count; undefined for none. */
  export function median(values: Iterable<number>): number | undefined;
  /** About `count` round values from `start` to `stop`, both included when round (d3 ticks). */
  export function ticks(start: number, stop: number, count: number): number[];
}
