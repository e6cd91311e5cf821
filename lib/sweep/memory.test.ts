/**
 * A shard's memory stays flat with its number of runs (issue: "Memory per shard stays flat with its
 * number of runs"): rows go to the file as they come, and only each point's outage values (8 bytes a
 * run) stay for the summary (lib/sweep/runner.ts). A shard of N runs and one of 4N runs, each in a
 * fresh process as a batch engine starts them (`--shard 1/2` of 2N and of 8N runs), compared by
 *  - the heap still reachable after a full garbage collection at the end: what a leak keeps. Measured
 *    on this machine (Node 20): 10.4, 10.9, 11.3 and 11.2 MiB after 50, 200, 800 and 2400 runs, the
 *    growth being V8's compiled code and feedback as the run's functions warm up, not rows;
 *  - the peak RSS (getrusage ru_maxrss, process.resourceUsage().maxRSS), which also holds what the
 *    collector had not yet freed: 109 and 125 MiB at 100 and 400 runs, 137 and 143 MiB at 800 and
 *    2400, the heap's headroom growing towards V8's limit and then staying.
 * The runs are on this thread (workers: 0), so the simulator's own state is in the measured heap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const CHILD = `
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { parse } = require('yaml');
const { parseExperiment } = require('./dist/sweep/experiment');
const { sweep } = require('./dist/sweep/runner');
(async () => {
  const file = join('data', 'labs', 'anycast', 'experiments', 'cisco-1000.yml');
  const runs = Number(process.env.SHARD_RUNS);
  const e = parseExperiment({ ...parse(readFileSync(file, 'utf8')), runs: 2 * runs }, file, dirname(file));
  const dir = mkdtempSync(join(tmpdir(), 'anycast-memory-'));
  const r = await sweep(e, { out: join(dir, 'rows.csv'), workers: 0, shard: { index: 1, count: 2 } });
  rmSync(dir, { recursive: true });
  global.gc();
  console.log(JSON.stringify({ ran: r.ran, heapMiB: process.memoryUsage().heapUsed / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
})();
`;

function shard(runs: number): { ran: number; heapMiB: number; maxRssMiB: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', CHILD], { cwd: ROOT, env: { ...process.env, SHARD_RUNS: String(runs) }, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `shard of ${runs} runs: exit ${r.status ?? r.signal}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ran: number; heapMiB: number; maxRssMiB: number };
}

test('a shard of 4N runs keeps no more heap than one of N, and its peak RSS stays within a quarter of it', () => {
  const n = 100;
  const small = shard(n);
  const large = shard(4 * n);
  assert.equal(small.ran, n);
  assert.equal(large.ran, 4 * n);
  // 2 MiB over 300 more runs: a leak of 7 KB a run or more (a kept row is about 0.2 KB, a kept lab
  // hundreds of KB) fails here; the warm-up growth measured above is 0.5 MiB.
  assert.ok(large.heapMiB - small.heapMiB < 2, `heap after GC: ${small.heapMiB.toFixed(1)} MiB after ${n} runs, ${large.heapMiB.toFixed(1)} MiB after ${4 * n}`);
  // Peak RSS: +15 % measured between 100 and 400 runs (headroom, above); rows held in memory or a
  // per-run leak of 50 KB would add more.
  assert.ok(large.maxRssMiB <= small.maxRssMiB * 1.25, `peak RSS: ${small.maxRssMiB.toFixed(0)} MiB for ${n} runs, ${large.maxRssMiB.toFixed(0)} MiB for ${4 * n}`);
});
