/** `anycast-lab sweep` and `merge`: experiment files on worker threads, shards joined. */
import { formatDuration, seconds } from '../sim/time';
import { experimentStem, formatSummary, loadExperiment, mergeShards, parseShard, shardOutput, sweep, type SweepProgress } from '../sweep';
import { noMoreWords, UsageError, type CliValues } from './options';
import type { StepIo } from './steps';

type Out = (s: string) => void;

/** `anycast-lab sweep <experiment.yml> [--out f.csv] [--workers n] [--shard i/n] [--resume|--overwrite]`. */
export async function sweepCommand(words: string[], values: CliValues, out: Out, err: Out, io: StepIo): Promise<number> {
  const [file, ...extra] = words;
  if (file === undefined) throw new UsageError('sweep needs an experiment file, e.g. data/labs/anycast/experiments/timers.yml');
  noMoreWords('sweep', 'one experiment file', extra);
  if (values.resume === true && values.overwrite === true) throw new UsageError('--resume and --overwrite: give one of them');
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = /^\d+$/.test(values.workers) ? Number(values.workers) : NaN;
    if (!Number.isSafeInteger(workers) || workers < 0) throw new UsageError(`--workers: expected a whole number ≥ 0, got "${values.workers}"`);
  }
  let shard = { index: 1, count: 1 };
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard, process.env);
    if ('error' in parsed) throw new UsageError(parsed.error.startsWith('--shard') ? parsed.error : `--shard: ${parsed.error}`);
    shard = parsed;
  }
  // Every shard writes its own file, even when a batch scheduler gives them all the same --out.
  const outFile = shardOutput(values.out ?? `${experimentStem(file)}.csv`, shard);
  const experiment = loadExperiment(file);
  const signal = io.interrupts?.() ?? io.signal;
  const result = await sweep(experiment, {
    out: outFile,
    shard,
    existing: values.resume === true ? 'resume' : values.overwrite === true ? 'overwrite' : 'error',
    ...(workers === undefined ? {} : { workers }),
    onProgress: progressPrinter(`sweep ${experiment.name}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''}`, io.tty ?? false, err),
    ...(signal === undefined ? {} : { signal }),
  });
  const rows = result.resumed + result.ran;
  if (!result.complete) {
    err(`interrupted: ${rows} of ${result.meta.total} rows in ${outFile}; run the same command with --resume to finish`);
    return 130;
  }
  if (values.json === true) out(JSON.stringify(result.summary, null, 2));
  else out(`${experiment.name}: ${rows} rows in ${outFile}${result.resumed > 0 ? ` (${result.resumed} resumed)` : ''}\n${formatSummary(result.summary)}`);
  return 0;
}

/** `anycast-lab merge --out <file> <shard outputs...>`. */
export function mergeCommand(words: string[], values: CliValues, out: Out): number {
  if (values.out === undefined) throw new UsageError('merge needs --out <file.csv|file.jsonl> and the shard outputs');
  const merged = mergeShards(values.out, words);
  if (values.json === true) out(JSON.stringify(merged.summary, null, 2));
  else out(`${merged.meta.experiment}: ${merged.rows} rows from ${words.length} shards written to ${values.out}\n${formatSummary(merged.summary)}`);
  return 0;
}

/** Progress on stderr: a line rewritten in place on a terminal (at most 10 times a second), else one every ~10 %. */
function progressPrinter(what: string, tty: boolean, err: Out): (p: SweepProgress) => void {
  let shownAt = 0;
  let shownTenth = -1;
  // Wall time, written as simulated durations are (42s, 3m5s).
  const wall = (milliseconds: number) => formatDuration(seconds(Math.ceil(milliseconds / 1000)));
  return (p) => {
    const finished = p.done === p.total;
    const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
    const line = `${what}: ${p.done}/${p.total} runs (${percent}%)${p.rate > 0 ? `, ${p.rate.toFixed(0)} runs/s` : ''}${p.etaMs === null || finished ? '' : `, ${wall(p.etaMs)} left`}${finished ? `, ${(p.elapsedMs / 1000).toFixed(1)}s` : ''}`;
    if (tty) {
      const now = Date.now();
      if (!finished && now - shownAt < 100) return;
      shownAt = now;
      const filled = Math.round(percent / 5);
      // Straight to the terminal: a line rewritten in place has no place among `err`'s lines.
      process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${line}${finished ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
    if (tenth === shownTenth) return;
    shownTenth = tenth;
    err(line);
  };
}
