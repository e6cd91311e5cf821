/**
 * Sweeps on batch engines: `--shard auto[/n]` read from a Kubernetes Indexed Job's or a Slurm job
 * array's environment, and the shipped Job manifest and sbatch script run as those engines would run
 * them (one process per index, the variables set), merged into the file one process writes.
 *
 * Variables: JOB_COMPLETION_INDEX (kubernetes.io, Indexed Job: 0 .. completions − 1);
 * SLURM_ARRAY_TASK_ID, _MIN, _COUNT, _STEP (sbatch(1), OUTPUT ENVIRONMENT VARIABLES).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { mergeShards, parseShard, sweep, loadExperiment } from '.';

const ROOT = join(__dirname, '..', '..');
const BATCH = join(ROOT, 'data', 'labs', 'anycast', 'experiments', 'batch');
const dir = mkdtempSync(join(tmpdir(), 'anycast-batch-'));

/** 2 points × 2 runs: 4 jobs, so 8 shards leave four empty (a shard may have no job). */
const SMALL = join(dir, 'small.yml');
writeFileSync(SMALL, `name: small\nlab: ${join(ROOT, 'data', 'labs', 'anycast')}\nbaseline:\n  fail: xenial1:halt\n  at: 2m\n  runFor: 5m\nvary:\n  profile: [cisco-ios, frr]\nruns: 2\nseed: 7\n`);

test('--shard auto: the index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, the count from auto/n or SLURM_ARRAY_TASK_COUNT', () => {
  assert.deepEqual(parseShard('auto/8', { JOB_COMPLETION_INDEX: '0' }), { index: 1, count: 8 });
  assert.deepEqual(parseShard('auto/8', { JOB_COMPLETION_INDEX: '7' }), { index: 8, count: 8 });
  // --array=1-8 and --array=0-7 name the same eight shards.
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' }), { index: 1, count: 8 });
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '8' }), { index: 8, count: 8 });
  assert.deepEqual(parseShard('auto/8', { SLURM_ARRAY_TASK_ID: '3' }), { index: 4, count: 8 });
  const refused: [string, Record<string, string>, RegExp][] = [
    ['auto/8', {}, /neither JOB_COMPLETION_INDEX \(a Kubernetes Indexed Job\) nor SLURM_ARRAY_TASK_ID \(a Slurm job array\) is set; outside one, give --shard i\/n/],
    ['auto', { JOB_COMPLETION_INDEX: '2' }, /JOB_COMPLETION_INDEX=2 gives the index but not the number of shards: give --shard auto\/n/],
    ['auto/8', { JOB_COMPLETION_INDEX: '8' }, /JOB_COMPLETION_INDEX=8 is shard 9, outside 1\.\.8/],
    ['auto/8', { JOB_COMPLETION_INDEX: 'two' }, /JOB_COMPLETION_INDEX is "two", expected a whole number/],
    ['auto/4', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' }, /SLURM_ARRAY_TASK_COUNT=8 tasks, not 4/],
    ['auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_STEP: '2' }, /SLURM_ARRAY_TASK_STEP is 2; a job array with a step leaves shard numbers out/],
    ['auto/0', { JOB_COMPLETION_INDEX: '0' }, /expected auto\/n with n ≥ 1/],
  ];
  for (const [text, env, why] of refused) {
    const r = parseShard(text, env);
    assert.ok('error' in r, `${text} ${JSON.stringify(env)} was accepted`);
    assert.match(r.error, why);
  }
});

/** Runs a command to its end; rejects on a non-zero exit with its stderr. */
function run(command: string, args: readonly string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} (${JSON.stringify(env)}): exit ${code}\n${err}`))));
  });
}

/** What one process writes for the small experiment: the file the merged shards must equal. */
async function wholeFile(name: string): Promise<string> {
  const out = join(dir, name);
  await sweep(loadExperiment(SMALL), { out, existing: 'overwrite', workers: 1 });
  return readFileSync(out, 'utf8');
}

test('the Indexed Job manifest: one process per completion index with JOB_COMPLETION_INDEX set, merged, is the one-process file', async () => {
  const job = parse(readFileSync(join(BATCH, 'sweep-indexed-job.yaml'), 'utf8')) as {
    kind: string;
    spec: { completionMode: string; completions: number; template: { spec: { containers: { command: string[] }[] } } };
  };
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  const command = job.spec.template.spec.containers[0]!.command;
  const shardArg = command[command.indexOf('--shard') + 1]!;
  assert.equal(shardArg, `auto/${job.spec.completions}`, 'the shard count in --shard auto/n is the Job\'s completions');
  // The pod's own command, with this test's small experiment and output in place of the real ones.
  const out = join(dir, 'k8s.csv');
  const args = command.slice(1).map((a, i, all) => (all[i - 1] === 'sweep' ? SMALL : all[i - 1] === '--out' ? out : a));
  await Promise.all(Array.from({ length: job.spec.completions }, (_, index) => run(command[0] === 'node' ? process.execPath : command[0]!, args, { JOB_COMPLETION_INDEX: String(index) })));
  const shards = Array.from({ length: job.spec.completions }, (_, i) => join(dir, `k8s.shard-${i + 1}-of-${job.spec.completions}.csv`));
  const merged = mergeShards(join(dir, 'k8s-merged.csv'), shards);
  assert.equal(merged.rows, 4);
  assert.equal(readFileSync(join(dir, 'k8s-merged.csv'), 'utf8'), await wholeFile('k8s-whole.csv'));
  assert.throws(() => mergeShards(join(dir, 'k8s-m.csv'), shards.slice(1)), /missing shard 1\/8/);
  assert.throws(() => mergeShards(join(dir, 'k8s-m.csv'), [shards[0]!, ...shards.slice(0, 7)]), /are both shard 1\/8/);
});

test('the sbatch script: one task per --array index with the SLURM_ARRAY_* variables set, merged, is the one-process file', async () => {
  const script = join(BATCH, 'sweep-array.sbatch');
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(readFileSync(script, 'utf8'));
  assert.ok(array !== null, 'the script has an #SBATCH --array=a-b line');
  const [min, max] = [Number(array[1]), Number(array[2])];
  const count = max - min + 1;
  const out = join(dir, 'slurm', 'rows.csv');
  const env = (id: number) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max), SLURM_ARRAY_TASK_COUNT: String(count), EXPERIMENT: SMALL, OUT: out, PATH: `${join(process.execPath, '..')}:${process.env['PATH'] ?? ''}` });
  await Promise.all(Array.from({ length: count }, (_, i) => run('bash', [script], env(min + i))));
  const shards = Array.from({ length: count }, (_, i) => join(dir, 'slurm', `rows.shard-${i + 1}-of-${count}.csv`));
  mergeShards(join(dir, 'slurm-merged.csv'), shards);
  assert.equal(readFileSync(join(dir, 'slurm-merged.csv'), 'utf8'), await wholeFile('slurm-whole.csv'));
});
