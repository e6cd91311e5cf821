/**
 * What a process loads before its first run (issue: every benchmark process and every sweep worker
 * pays its start-up): the simulator alone (lib/lab/lab) without the lab readers (YAML, ip-num, the
 * config dialects) or the consoles, and a sweep's worker thread, given the experiment and the labs
 * the main thread loaded (lib/sweep/worker.ts), running its jobs without reading a lab file or
 * loading those readers, with the rows a run in the main thread gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseExperiment } from './experiment';
import { jobLabSpecs, runJob, type Row } from './measures';

const DIST = join(__dirname, '..');
const ANYCAST = join(DIST, '..', 'data', 'labs', 'anycast');

/** Modules a run of a lab given as a spec never needs: the readers of lab files and the consoles. */
const READERS = [/node_modules\/yaml\//, /node_modules\/ip-num\//, /dist\/config\/load\.js$/, /dist\/config\/ios\.js$/, /dist\/config\/frr\.js$/, /dist\/lab\/consoles\/index\.js$/, /dist\/lab\/config-session\.js$/];

function readersIn(files: readonly string[]): string[] {
  return files.filter((f) => READERS.some((r) => r.test(f.split('\\').join('/'))));
}

test('loading the simulator (lib/lab/lab) loads no lab reader and no console; Lab.load loads them', () => {
  const code = `
    const before = Object.keys(require.cache);
    const { Lab } = require(${JSON.stringify(join(DIST, 'lab', 'lab'))});
    const loaded = Object.keys(require.cache).filter((f) => !before.includes(f));
    const lab = Lab.load(${JSON.stringify(ANYCAST)}, { do_anycast: true });
    const out = lab.exec('xenial3', 'ping -c 1 10.128.224.2', { at: '1m' });
    console.log(JSON.stringify({ loaded, afterLoad: Object.keys(require.cache), out }));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { loaded, afterLoad, out } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { loaded: string[]; afterLoad: string[]; out: string };
  assert.ok(loaded.some((f) => f.endsWith(join('lab', 'lab.js'))), 'the simulator was loaded');
  assert.deepEqual(readersIn(loaded), []);
  // Loaded when asked for: a lab read from its folder, a console command.
  assert.ok(afterLoad.some((f) => f.endsWith(join('config', 'load.js'))) && afterLoad.some((f) => f.endsWith(join('consoles', 'index.js'))));
  // iputils' summary line: the lab, loaded lazily, answers (one router from xenial3 to xenial1).
  assert.match(out, /1 packets transmitted, 1 received, 0% packet loss/);
});

test('a sweep worker given the labs runs its jobs without the lab readers, with the main thread\'s rows', async () => {
  const e = parseExperiment({ name: 'startup', lab: ANYCAST, measure: 'failover', baseline: { profile: 'cisco-ios', fail: 'xenial1:halt', at: '2m', runFor: '5m' }, runs: 2, seed: 3 }, 'experiment', DIST);
  const labs = jobLabSpecs(e);
  assert.equal(labs.length, 1, 'one lab, one set of options');
  // The worker's own start (lib/sweep/worker.ts) and its first job, then what it had loaded.
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const before = Object.keys(require.cache);
    require(${JSON.stringify(join(DIST, 'measure', 'failover'))}).provideLabSpecs(workerData.labs);
    const row = require(${JSON.stringify(join(DIST, 'sweep', 'measures'))}).runJob(workerData.experiment, 1);
    parentPort.postMessage({ row, loaded: Object.keys(require.cache).filter((f) => !before.includes(f)) });`;
  const reply = await new Promise<{ row: Row; loaded: string[] }>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { experiment: e, labs } });
    w.once('message', (m: { row: Row; loaded: string[] }) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
  assert.ok(reply.loaded.some((f) => f.endsWith(join('lab', 'lab.js'))), 'the worker loaded the simulator');
  assert.deepEqual(readersIn(reply.loaded), []);
  assert.deepEqual(reply.row, runJob(e, 1));
});
