/**
 * A sweep's worker thread: receives the experiment and the labs its jobs run on once (workerData:
 * the labs as the main thread loaded them, lib/sweep/measures.ts jobLabSpecs, so a worker reads no
 * lab file and loads none of the lab readers), then job numbers; answers each with its row, or with
 * the error's message (the main thread names the job).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './measures';
import { provideLabSpecs } from '../measure/failover';
import type { WorkerSetup } from './runner';

const { experiment, labs } = workerData as WorkerSetup;
provideLabSpecs(labs);
// Loaded: the main thread may end this thread from now on (lib/sweep/runner.ts runJobs).
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (job: number) => {
  try {
    parentPort!.postMessage({ job, row: runJob(experiment, job) });
  } catch (e) {
    parentPort!.postMessage({ job, error: e instanceof Error ? e.message : String(e) });
  }
});
