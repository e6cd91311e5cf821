/**
 * Sweeps: an experiment (lib/sweep/experiment.ts) expanded into jobs, run in worker threads, its rows
 * streamed to a CSV or JSON Lines file, resumable, shardable, mergeable.
 *
 * - Jobs: job = point × runs + run, for every point of the grid and every repetition. Run r draws
 *   the same lab seed and failure instant at every point (common random numbers): points differ
 *   only by their parameters, so a difference between two points is not noise from different draws.
 * - Rows are written in job order whatever the number of workers (results that come back early wait
 *   in a small reorder buffer), one `write` per row, so a file is always a prefix of the sweep's
 *   rows, possibly with a truncated last line if the process was killed mid-write.
 * - Resume: read the file, drop a truncated last line, skip the jobs it has, append the rest.
 * - Shard i/n: the jobs whose index mod n is i − 1. A sidecar `<out>.meta.json` names the
 *   experiment's hash and the shard, so `mergeShards` can check its inputs belong together.
 * - Memory: rows go to disk as they come; only each point's outage values stay in memory (for the
 *   summary's quantiles), unless the caller asks for the rows.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadExperiment, MEASURES, parseExperiment, runJob, type CellValue, type Column, type ColumnKind, type Experiment, type Row } from './experiment';
import type { SummaryRow } from '../results/rows';
import { quantile } from '../results/stats';

/** A sweep that cannot go on as asked (output of another experiment, shards that do not match, …). */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export type OutputFormat = 'csv' | 'jsonl';

export function outputFormatOf(path: string): OutputFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  throw new SweepError(`${path}: the output's name must end in .csv or .jsonl (JSON Lines)`);
}

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

/** Indices of the jobs of one shard, ascending. */
export function shardJobs(total: number, shard: Shard): number[] {
  const jobs: number[] = [];
  for (let j = shard.index - 1; j < total; j += shard.count) jobs.push(j);
  return jobs;
}

const META_FORMAT = 'anycast-lab-sweep/1';

/** What `<out>.meta.json` says about the rows beside it. */
export interface SweepMeta {
  format: typeof META_FORMAT;
  experiment: string;
  hash: string;
  measure: string;
  runs: number;
  /** Jobs in the whole experiment (all shards). */
  total: number;
  shard: Shard;
  columns: { name: string; kind: ColumnKind }[];
  summaryColumn: string;
  meanColumns: string[];
  points: { label: string; values: Record<string, string> }[];
}

export function metaPath(out: string): string {
  return `${out}.meta.json`;
}

function metaOf(e: Experiment, shard: Shard): SweepMeta {
  const measure = MEASURES[e.measure]!;
  return {
    format: META_FORMAT,
    experiment: e.name,
    hash: e.hash,
    measure: e.measure,
    runs: e.runs,
    total: e.points.length * e.runs,
    shard,
    columns: e.columns.map((c) => ({ name: c.name, kind: c.kind })),
    summaryColumn: e.columns.some((c) => c.name === measure.summaryColumn) ? measure.summaryColumn : '',
    meanColumns: e.columns.filter((c: Column) => c.mean === true).map((c) => c.name),
    points: e.points.map((p) => ({ label: p.label, values: p.values })),
  };
}

function readMeta(out: string): SweepMeta {
  const path = metaPath(out);
  if (!existsSync(path)) throw new SweepError(`${out}: no ${path} beside it, so nothing says which experiment its rows belong to`);
  let meta: SweepMeta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as SweepMeta;
  } catch (e) {
    throw new SweepError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== META_FORMAT) throw new SweepError(`${path}: expected format ${META_FORMAT}, got ${JSON.stringify(meta.format)}`);
  return meta;
}

// ---- rows as text ---------------------------------------------------------------------------

function csvCell(v: CellValue): string {
  if (v === null) return '';
  const text = String(v);
  // Rows are lines (resume and merge read them so): a parameter's format never has a line break.
  if (/[\r\n]/.test(text)) throw new SweepError(`a cell with a line break: ${JSON.stringify(text)}`);
  return /[",]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new SweepError('unterminated quoted CSV cell');
        cell += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          cell += '"';
          i++;
        } else break;
      }
    } else {
      const comma = line.indexOf(',', i);
      cell = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    if (line[i] !== ',') throw new SweepError('expected a comma after a quoted CSV cell');
    i++;
  }
}

function cellOf(text: string, kind: ColumnKind): CellValue {
  if (kind === 'text') return text;
  if (text === '') return null;
  if (kind === 'bool') return text === 'true';
  return Number(text);
}

function rowLine(row: Row, columns: readonly { name: string }[], format: OutputFormat): string {
  if (format === 'csv') return columns.map((c) => csvCell(row[c.name] ?? null)).join(',') + '\n';
  const ordered: Row = {};
  for (const c of columns) ordered[c.name] = row[c.name] ?? null;
  return JSON.stringify(ordered) + '\n';
}

function headerLine(columns: readonly { name: string }[]): string {
  return columns.map((c) => csvCell(c.name)).join(',') + '\n';
}

/**
 * The rows of a sweep output file. A last line without its newline (the writer was killed in the
 * middle of it) is left out; `truncateAt` is where the complete lines end.
 */
export function readRows(path: string, columns: readonly { name: string; kind: ColumnKind }[]): { rows: Row[]; truncateAt: number } {
  const format = outputFormatOf(path);
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    const where = `${path}:${i + 1}`;
    if (format === 'csv' && i === 0) {
      if (line + '\n' !== headerLine(columns)) throw new SweepError(`${where}: expected the header ${headerLine(columns).trim()}, got ${line}`);
      return;
    }
    try {
      if (format === 'jsonl') rows.push(JSON.parse(line) as Row);
      else {
        const cells = csvCells(line);
        if (cells.length !== columns.length) throw new SweepError(`expected ${columns.length} cells, got ${cells.length}`);
        const row: Row = {};
        columns.forEach((c, k) => (row[c.name] = cellOf(cells[k]!, c.kind)));
        rows.push(row);
      }
    } catch (e) {
      throw new SweepError(`${where}: not a row of this sweep (${(e as Error).message})`);
    }
  });
  return { rows, truncateAt: Buffer.byteLength(text.slice(0, end)) };
}

// ---- summary --------------------------------------------------------------------------------

export type { SummaryRow } from '../results/rows';
// The one quantile (d3-array's type 7, lib/results/stats.ts).
export { quantile } from '../results/stats';

/** Per point: runs, min/median/p90/max of the measure's summary column (the outage) over the recovered runs, unrecovered runs, means of cost columns. */
export class SummaryBuilder {
  private readonly outages: number[][];
  private readonly counts: number[];
  private readonly unrecovered: number[];
  private readonly sums: Map<string, number[]>;

  constructor(private readonly meta: SweepMeta) {
    const n = meta.points.length;
    this.outages = Array.from({ length: n }, () => []);
    this.counts = new Array<number>(n).fill(0);
    this.unrecovered = new Array<number>(n).fill(0);
    this.sums = new Map(meta.meanColumns.map((c) => [c, new Array<number>(n).fill(0)]));
  }

  add(row: Row): void {
    const p = row['point'] as number;
    this.counts[p]!++;
    if (this.meta.summaryColumn !== '') {
      const v = row[this.meta.summaryColumn];
      if (typeof v === 'number') this.outages[p]!.push(v);
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

// ---- running --------------------------------------------------------------------------------

export interface SweepProgress {
  /** Rows of this shard on disk (or in memory), resumed ones included. */
  done: number;
  /** Jobs of this shard. */
  total: number;
  /** Rows found in the file when the sweep started. */
  resumed: number;
  elapsedMs: number;
  /** Runs per second of wall time, over this invocation. */
  rate: number;
  /** Wall time left at that rate; null before the first run ends. */
  etaMs: number | null;
}

export interface SweepOptions {
  /** Worker threads. 0 runs in this thread. @defaultValue the machine's available parallelism */
  workers?: number;
  /** Output file (.csv or .jsonl); without it rows are only kept in memory. */
  out?: string;
  /** When `out` exists: resume it, overwrite it, or stop with an error. @defaultValue 'error' */
  existing?: 'resume' | 'overwrite' | 'error';
  /** @defaultValue 1/1 */
  shard?: Shard;
  /** Return the rows (default: only when there is no `out`). */
  keepRows?: boolean;
  onProgress?: (p: SweepProgress) => void;
  /** Stops dispatching, ends the workers; the file keeps every row written so far. */
  signal?: AbortSignal;
}

export interface SweepResult {
  experiment: Experiment;
  meta: SweepMeta;
  rows: Row[] | null;
  summary: SummaryRow[];
  /** Jobs run now, and rows found in the file. */
  ran: number;
  resumed: number;
  /** Every job of the shard has its row. */
  complete: boolean;
}

/** The compiled worker entry beside this module. */
const WORKER_FILE = join(__dirname, 'worker.js');

type WorkerReply = { job: number; row: Row } | { job: number; error: string };

/**
 * Runs `jobs` on `workers` threads (0: here), handing each thread two jobs at a time; `onRow` gets
 * rows in completion order. Resolves when all are done or `signal` aborts; rejects on the first error.
 */
async function runJobs(e: Experiment, jobs: readonly number[], workers: number, onRow: (job: number, row: Row) => void, signal: AbortSignal | undefined): Promise<void> {
  const failed = (job: number, message: string) => new SweepError(`job ${job} (point ${Math.floor(job / e.runs)}, run ${job % e.runs}): ${message}`);
  if (workers === 0) {
    for (const job of jobs) {
      if (signal?.aborted === true) return;
      let row: Row;
      try {
        row = runJob(e, job);
      } catch (err) {
        throw failed(job, err instanceof Error ? err.message : String(err));
      }
      onRow(job, row);
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(WORKER_FILE, { workerData: e }));
  let next = 0;
  let received = 0;
  try {
    await new Promise<void>((resolveAll, reject) => {
      if (jobs.length === 0 || signal?.aborted === true) return resolveAll();
      const feed = (w: Worker) => {
        if (next < jobs.length && signal?.aborted !== true) w.postMessage(jobs[next++]);
      };
      signal?.addEventListener('abort', () => resolveAll(), { once: true });
      for (const w of threads) {
        w.on('message', (reply: WorkerReply) => {
          if ('error' in reply) return reject(failed(reply.job, reply.error));
          received++;
          onRow(reply.job, reply.row);
          if (received === jobs.length) resolveAll();
          else feed(w);
        });
        w.on('error', reject);
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}

/** Runs an experiment (or one shard of it), streaming its rows to `out`. */
export async function sweep(e: Experiment, o: SweepOptions = {}): Promise<SweepResult> {
  const workers = o.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 0) throw new SweepError(`workers: expected a whole number ≥ 0, got ${workers}`);
  const shard = o.shard ?? { index: 1, count: 1 };
  if (!Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count) || shard.index < 1 || shard.index > shard.count) throw new SweepError(`shard: expected i/n with 1 ≤ i ≤ n, got ${shard.index}/${shard.count}`);
  const meta = metaOf(e, shard);
  const jobs = shardJobs(meta.total, shard);
  const keepRows = o.keepRows ?? o.out === undefined;
  const rows: Row[] = [];
  const summary = new SummaryBuilder(meta);
  const done = new Set<number>();
  let fd: number | null = null;
  const format = o.out === undefined ? null : outputFormatOf(o.out);
  if (o.out !== undefined) {
    const out = o.out;
    const existing = o.existing ?? 'error';
    if (existsSync(out) && existing === 'error') throw new SweepError(`${out} exists: resume it (--resume) or overwrite it (--overwrite)`);
    if (existsSync(out) && existing === 'resume') {
      const old = readMeta(out);
      if (old.hash !== meta.hash || old.shard.index !== shard.index || old.shard.count !== shard.count) {
        throw new SweepError(`${out} holds rows of ${old.experiment} (hash ${old.hash}, shard ${old.shard.index}/${old.shard.count}), not of ${e.name} (hash ${meta.hash}, shard ${shard.index}/${shard.count}): the experiment changed; overwrite it or write elsewhere`);
      }
      const { rows: found, truncateAt } = readRows(out, meta.columns);
      for (const row of found) {
        done.add(row['job'] as number);
        summary.add(row);
        if (keepRows) rows.push(row);
      }
      truncateSync(out, truncateAt);
      fd = openSync(out, 'a');
      if (truncateAt === 0 && format === 'csv') writeSync(fd, headerLine(meta.columns));
    } else {
      rmSync(out, { force: true });
      writeFileSync(metaPath(out), JSON.stringify(meta, null, 1) + '\n');
      fd = openSync(out, 'w');
      if (format === 'csv') writeSync(fd, headerLine(meta.columns));
    }
  }
  const todo = jobs.filter((j) => !done.has(j));
  const resumed = done.size;
  const started = Date.now();
  let ran = 0;
  const progress = () => {
    const elapsedMs = Date.now() - started;
    const rate = elapsedMs > 0 ? (ran * 1000) / elapsedMs : 0;
    o.onProgress?.({ done: resumed + ran, total: jobs.length, resumed, elapsedMs, rate, etaMs: ran === 0 ? null : ((todo.length - ran) / rate) * 1000 });
  };
  // Rows that came back before an earlier job's wait here, so the file stays in job order.
  const waiting = new Map<number, Row>();
  const write = (row: Row) => {
    if (fd !== null) writeSync(fd, rowLine(row, meta.columns, format!));
    summary.add(row);
    if (keepRows) rows.push(row);
    ran++;
    progress();
  };
  progress();
  try {
    await runJobs(e, todo, workers, (job, row) => {
      waiting.set(job, row);
      while (ran < todo.length && waiting.has(todo[ran]!)) {
        const r = waiting.get(todo[ran]!)!;
        waiting.delete(todo[ran]!);
        write(r);
      }
    }, o.signal);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  return { experiment: e, meta, rows: keepRows ? rows : null, summary: summary.rows(), ran, resumed, complete: resumed + ran === jobs.length };
}

export interface RunExperimentOptions extends SweepOptions {
  /** For an object: where its relative lab folders are. @defaultValue the current directory */
  baseDir?: string;
}

/**
 * An experiment file or the same shape as an object, run as the CLI's `sweep` runs it: the same
 * rows. With `out`, an existing file of the same experiment is resumed by default.
 */
export async function runExperiment(experiment: string | object, o: RunExperimentOptions = {}): Promise<Row[]> {
  const e = typeof experiment === 'string' ? loadExperiment(experiment) : parseExperiment(experiment, 'experiment', resolve(o.baseDir ?? '.'));
  const r = await sweep(e, { existing: 'resume', ...o, keepRows: true });
  return r.rows!;
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
  const format = outputFormatOf(out);
  const summary = new SummaryBuilder(meta);
  writeFileSync(metaPath(out), JSON.stringify(meta, null, 1) + '\n');
  const fd = openSync(out, 'w');
  try {
    if (format === 'csv') writeSync(fd, headerLine(meta.columns));
    for (const row of all) {
      writeSync(fd, rowLine(row, meta.columns, format));
      summary.add(row);
    }
  } finally {
    closeSync(fd);
  }
  return { meta, rows: all.length, summary: summary.rows() };
}

/** `results/x.csv` for shard 2 of 8 → `results/x.shard-2-of-8.csv`. */
export function shardOutput(out: string, shard: Shard): string {
  if (shard.count === 1) return out;
  const name = basename(out);
  const dot = name.lastIndexOf('.');
  return join(dirname(out), `${name.slice(0, dot)}.shard-${shard.index}-of-${shard.count}${name.slice(dot)}`);
}
