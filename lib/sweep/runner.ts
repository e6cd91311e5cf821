/**
 * Running a sweep: an experiment (lib/sweep/experiment.ts) expanded into jobs, run in worker threads
 * (lib/sweep/worker.ts), its rows streamed to a rows file (lib/sweep/rows-file.ts), with progress and
 * a clean stop on abort.
 *
 * - Jobs: job = point × runs + run, for every point of the grid and every repetition. Run r draws
 *   the same lab seed and failure instant at every point (common random numbers): points differ
 *   only by their parameters, so a difference between two points is not noise from different draws.
 * - Rows are written in job order whatever the number of workers (results that come back early wait
 *   in a small reorder buffer), so the file is a prefix of the sweep's rows.
 * - Resume: read the file, drop a truncated last line, skip the jobs it has, append the rest.
 * - Memory: rows go to disk as they come; only each point's outage values stay in memory (for the
 *   summary's quantiles), unless the caller asks for the rows.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadExperiment, parseExperiment, type Experiment } from './experiment';
import { jobLabSpecs, jobOf, runJob, type Row } from './measures';
import type { LabSpec } from '../config/spec';
import { metaOf, outputFormatOf, RowsWriter, SweepError, type SweepMeta } from './rows-file';
import { shardJobs, type Shard } from './shards';
import { SummaryBuilder, type SummaryRow } from './summary';

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

/** What a worker thread is started with (lib/sweep/worker.ts): the experiment, and the labs its jobs run on. */
export interface WorkerSetup {
  experiment: Experiment;
  labs: [string, LabSpec][];
}

type WorkerReply = { ready: true } | { job: number; row: Row } | { job: number; error: string };

/**
 * The job's error, naming the job, its point and its run. The experiment was checked against its labs
 * before the first run (lib/sweep/check.ts), so this is what the check cannot foresee; a lab's
 * failure error names the experiment's `fail:` key, as the file does (the library says `failure`).
 */
function jobFailed(e: Experiment, job: number, message: string): SweepError {
  const { point, run } = jobOf(e, job);
  return new SweepError(`job ${job} (point ${point}, run ${run}): ${message.replace(/^failure /, 'fail: ')}`);
}

/** Runs `jobs` here, one after another, yielding to the event loop between them (so an abort is seen). */
async function runJobsHere(e: Experiment, jobs: readonly number[], onRow: (job: number, row: Row) => void, signal: AbortSignal | undefined): Promise<void> {
  for (const job of jobs) {
    if (signal?.aborted === true) return;
    let row: Row;
    try {
      row = runJob(e, job);
    } catch (err) {
      throw jobFailed(e, job, err instanceof Error ? err.message : String(err));
    }
    onRow(job, row);
    await new Promise<void>((r) => setImmediate(r));
  }
}

/**
 * Runs `jobs` on `workers` threads (0: here), handing each thread two jobs at a time; `onRow` gets
 * rows in completion order. Resolves when all are done or `signal` aborts; rejects on the first error.
 */
async function runJobs(e: Experiment, jobs: readonly number[], workers: number, onRow: (job: number, row: Row) => void, signal: AbortSignal | undefined): Promise<void> {
  if (workers === 0) return runJobsHere(e, jobs, onRow, signal);
  const setup: WorkerSetup = { experiment: e, labs: jobs.length === 0 ? [] : jobLabSpecs(e) };
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(WORKER_FILE, { workerData: setup }));
  // A worker is ended only once its modules are loaded: Node 20 aborts the whole process when a
  // thread is terminated inside a require of an ES module (node:internal/modules/esm/module_job
  // runSync, "IsGraphAsync must be used on an instantiated module"), which an early abort hit.
  const loaded = threads.map(
    (w) =>
      new Promise<void>((done) => {
        w.on('message', (m: WorkerReply) => 'ready' in m && done());
        w.once('error', () => done());
        w.once('exit', () => done());
      }),
  );
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
          if ('ready' in reply) return;
          if ('error' in reply) return reject(jobFailed(e, reply.job, reply.error));
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
    await Promise.all(
      threads.map(async (w, i) => {
        await loaded[i];
        await w.terminate();
      }),
    );
  }
}

/** Opens `out` as asked: a fresh file, or the resumed one with the rows it already has. */
function openOutput(out: string, meta: SweepMeta, existing: 'resume' | 'overwrite' | 'error'): { writer: RowsWriter; found: Row[] } {
  if (existsSync(out) && existing === 'error') throw new SweepError(`${out} exists: resume it (--resume) or overwrite it (--overwrite)`);
  if (existsSync(out) && existing === 'resume') {
    const { writer, rows } = RowsWriter.resume(out, meta);
    return { writer, found: rows };
  }
  return { writer: RowsWriter.create(out, meta), found: [] };
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
  let writer: RowsWriter | null = null;
  if (o.out !== undefined) {
    outputFormatOf(o.out);
    const opened = openOutput(o.out, meta, o.existing ?? 'error');
    writer = opened.writer;
    for (const row of opened.found) {
      done.add(row['job'] as number);
      summary.add(row);
      if (keepRows) rows.push(row);
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
    writer?.write(row);
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
    writer?.close();
  }
  return { experiment: e, meta, rows: keepRows ? rows : null, summary: summary.rows(), ran, resumed, complete: resumed + ran === jobs.length };
}

export interface RunExperimentOptions extends SweepOptions {
  /** For an object: where its relative lab folders are. @defaultValue the current directory */
  baseDir?: string;
}

/**
 * An experiment file or the same shape as an object, run as the CLI's `sweep` runs it: the same
 * rows, and the same check against its labs before the first run (every mistake at once, with its
 * line). With `out`, an existing file of the same experiment is resumed by default.
 */
export async function runExperiment(experiment: string | object, o: RunExperimentOptions = {}): Promise<Row[]> {
  const e = typeof experiment === 'string' ? loadExperiment(experiment) : parseExperiment(experiment, 'experiment', resolve(o.baseDir ?? '.'));
  const r = await sweep(e, { existing: 'resume', ...o, keepRows: true });
  return r.rows!;
}
