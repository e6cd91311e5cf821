/**
 * A sweep's worker thread: receives the experiment once (workerData), then job numbers; answers
 * each with its row, or with the error's message (the main thread names the job).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './measures';
import type { Experiment } from './experiment';

const experiment = workerData as Experiment;
parentPort!.on('message', (job: number) => {
  try {
    parentPort!.postMessage({ job, row: runJob(experiment, job) });
  } catch (e) {
    parentPort!.postMessage({ job, error: e instanceof Error ? e.message : String(e) });
  }
});
