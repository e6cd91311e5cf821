/** What the CLI's JSON outputs share. */
import { toSeconds, type SimTime } from '../sim/time';

/**
 * The CLI's JSON names every time with its unit, in seconds (`atSeconds`, `outageSeconds`), as the
 * sweep's columns do: a reader of the JSON has no types to say it. The library's results keep
 * SimTime in microseconds.
 */
export function outageRunJson(r: { run: number; at: SimTime; outageSeconds: number | null; silentSeconds: number; unreachableSeconds: number }): object {
  return { run: r.run, atSeconds: toSeconds(r.at), outageSeconds: r.outageSeconds, silentSeconds: r.silentSeconds, unreachableSeconds: r.unreachableSeconds };
}

/** min/median/max of the recovered runs' outages, seconds, and the runs that did not recover. */
export function outageSummaryJson(d: { min: number | null; median: number | null; max: number | null; unrecovered: number }): object {
  return { minSeconds: d.min, medianSeconds: d.median, maxSeconds: d.max, unrecovered: d.unrecovered };
}


/** One run with the premise it failed: `unsteady` says why its baseline was not steady (absent when it was). */
export function outageRunWithPremiseJson(r: { run: number; at: SimTime; outageSeconds: number | null; silentSeconds: number; unreachableSeconds: number; unsteady?: string }): object {
  return { ...outageRunJson(r), ...(r.unsteady === undefined ? {} : { unsteady: r.unsteady }) };
}

/** How many runs had no steady baseline, only when some had: a steady set's JSON is what it always was. */
export function unsteadyCountJson(d: { unsteady: number }): object {
  return d.unsteady === 0 ? {} : { unsteady: d.unsteady };
}
