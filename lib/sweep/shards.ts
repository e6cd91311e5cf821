/**
 * Shards: slice i of n of an experiment's jobs (job = point × runs + run), for batch schedulers, each
 * written to its own file (`x.shard-2-of-8.csv`), then merged into the file one run would have written.
 */
import { basename, dirname, join } from 'node:path';
import type { Row } from './measures';
import { readMeta, readRows, RowsWriter, SweepError, type SweepMeta } from './rows-file';
import { SummaryBuilder, type SummaryRow } from './summary';

/** Slice `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * `--shard i/n`, or `auto/n` (or `auto`) inside a batch scheduler's array of tasks, which names the
 * task in the environment:
 * - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`, 0 to completions − 1 (kubernetes.io, "Indexed Job
 *   for Parallel Processing with Static Work Assignment"). The count is not in the environment, so
 *   `auto` alone needs Slurm.
 * - Slurm job array: `SLURM_ARRAY_TASK_ID`, counted from `SLURM_ARRAY_TASK_MIN` (`--array=1-8` and
 *   `--array=0-7` both give shards 1..8), with `SLURM_ARRAY_TASK_COUNT` tasks (sbatch(1), "OUTPUT
 *   ENVIRONMENT VARIABLES"). A `--array` with a step (`0-15:2`) has gaps: shard numbers would be
 *   missing, so it is refused.
 */
export function parseShard(text: string, env: Readonly<Record<string, string | undefined>> = {}): Shard | { error: string } {
  const auto = /^auto(?:\/(\d+))?$/.exec(text);
  if (auto !== null) return autoShard(text, auto[1] === undefined ? null : Number(auto[1]), env);
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && count >= 1 && index <= count)) return { error: `expected i/n with 1 ≤ i ≤ n (e.g. 2/8), or auto/n in a Kubernetes Indexed Job or a Slurm job array, got "${text}"` };
  return { index, count };
}

function autoShard(text: string, given: number | null, env: Readonly<Record<string, string | undefined>>): Shard | { error: string } {
  const whole = (name: string): number | null | { error: string } => {
    const v = env[name];
    if (v === undefined) return null;
    return /^\d+$/.test(v) ? Number(v) : { error: `--shard ${text}: ${name} is "${v}", expected a whole number` };
  };
  if (given !== null && given < 1) return { error: `--shard ${text}: expected auto/n with n ≥ 1` };
  const k8s = whole('JOB_COMPLETION_INDEX');
  const slurmId = whole('SLURM_ARRAY_TASK_ID');
  for (const v of [k8s, slurmId]) if (v !== null && typeof v === 'object') return v;
  let index: number;
  let count = given;
  let source: string;
  if (typeof k8s === 'number') {
    index = k8s + 1;
    source = `JOB_COMPLETION_INDEX=${k8s}`;
  } else if (typeof slurmId === 'number') {
    const min = whole('SLURM_ARRAY_TASK_MIN');
    const slurmCount = whole('SLURM_ARRAY_TASK_COUNT');
    const step = whole('SLURM_ARRAY_TASK_STEP');
    for (const v of [min, slurmCount, step]) if (v !== null && typeof v === 'object') return v;
    if (typeof step === 'number' && step !== 1) return { error: `--shard ${text}: SLURM_ARRAY_TASK_STEP is ${step}; a job array with a step leaves shard numbers out: use --array=1-n` };
    index = slurmId - (typeof min === 'number' ? min : 0) + 1;
    source = `SLURM_ARRAY_TASK_ID=${slurmId}${typeof min === 'number' ? ` (from SLURM_ARRAY_TASK_MIN=${min})` : ''}`;
    if (typeof slurmCount === 'number') {
      if (count !== null && count !== slurmCount) return { error: `--shard ${text}: the job array has SLURM_ARRAY_TASK_COUNT=${slurmCount} tasks, not ${count}` };
      count = slurmCount;
    }
    // Without SLURM_ARRAY_TASK_MIN the ID is taken as counted from 0, as in `--array=0-(n-1)`.
  } else {
    return { error: `--shard ${text}: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (a Slurm job array) is set; outside one, give --shard i/n` };
  }
  if (count === null) return { error: `--shard ${text}: ${source} gives the index but not the number of shards: give --shard auto/n` };
  if (index < 1 || index > count) return { error: `--shard ${text}: ${source} is shard ${index}, outside 1..${count}` };
  return { index, count };
}

/** Indices of the jobs of one shard, ascending: the jobs whose index mod n is i − 1. */
export function shardJobs(total: number, shard: Shard): number[] {
  const jobs: number[] = [];
  for (let j = shard.index - 1; j < total; j += shard.count) jobs.push(j);
  return jobs;
}

/** `results/x.csv` for shard 2 of 8 → `results/x.shard-2-of-8.csv`. */
export function shardOutput(out: string, shard: Shard): string {
  if (shard.count === 1) return out;
  const name = basename(out);
  const dot = name.lastIndexOf('.');
  return join(dirname(out), `${name.slice(0, dot)}.shard-${shard.index}-of-${shard.count}${name.slice(dot)}`);
}

/**
 * Joins the outputs of every shard of one experiment into `out` (rows in job order) with its own
 * meta file, after checking they are shards of the same experiment, all present and complete.
 */
export function mergeShards(out: string, inputs: readonly string[]): { meta: SweepMeta; rows: number; summary: SummaryRow[] } {
  if (inputs.length === 0) throw new SweepError('merge needs the shard outputs to join');
  const metas = inputs.map((path) => ({ path, meta: readMeta(path) }));
  const first = metas[0]!.meta;
  const seen = new Map<number, string>();
  for (const { path, meta } of metas) {
    if (meta.hash !== first.hash) throw new SweepError(`${path} is from ${meta.experiment} (hash ${meta.hash}), ${metas[0]!.path} from ${first.experiment} (hash ${first.hash}): not the same experiment`);
    if (meta.shard.count !== first.shard.count) throw new SweepError(`${path} is shard ${meta.shard.index}/${meta.shard.count}, ${metas[0]!.path} ${first.shard.index}/${first.shard.count}: not the same split`);
    const twin = seen.get(meta.shard.index);
    if (twin !== undefined) throw new SweepError(`${path} and ${twin} are both shard ${meta.shard.index}/${meta.shard.count}`);
    seen.set(meta.shard.index, path);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new SweepError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
  const all: Row[] = [];
  for (const { path, meta } of metas) {
    const { rows } = readRows(path, meta.columns);
    const expected = shardJobs(meta.total, meta.shard).length;
    if (rows.length !== expected) throw new SweepError(`${path}: ${rows.length} of its ${expected} rows; resume that shard before merging`);
    all.push(...rows);
  }
  all.sort((a, b) => (a['job'] as number) - (b['job'] as number));
  const meta: SweepMeta = { ...first, shard: { index: 1, count: 1 } };
  const summary = new SummaryBuilder(meta);
  const writer = RowsWriter.create(out, meta);
  try {
    for (const row of all) {
      writer.write(row);
      summary.add(row);
    }
  } finally {
    writer.close();
  }
  return { meta, rows: all.length, summary: summary.rows() };
}
