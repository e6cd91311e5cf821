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

export function parseShard(text: string): Shard | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && count >= 1 && index <= count)) return { error: `expected i/n with 1 ≤ i ≤ n, e.g. 2/8, got "${text}"` };
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
