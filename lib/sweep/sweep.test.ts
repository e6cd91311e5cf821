/**
 * Experiments and sweeps: the loader's errors (file:line), the grid, common random numbers, the
 * same file whatever the number of workers, resume after an interruption, shards merged, the CLI.
 *
 * Expected outage ranges (failover.test.ts derives them): Cisco IOS timers [210, 275] s after a
 * halt, FRR timers [143, 222] s; the write-up's single Cisco measurement (§4.3.5) is 243 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabFileError } from '../config/errors';
import { loadExperiment, parseExperiment, runDraw, type Row } from '.';
import { sweep, mergeShards, runExperiment, quantile, shardOutput, metaPath, readMeta, SweepError, type SweepOptions } from '.';
import { runCliAsync, runCli } from '../cli/main';

const dir = mkdtempSync(join(tmpdir(), 'anycast-sweep-'));
const CLI = join(__dirname, '..', 'cli', 'main.js');

/** 2 points × 2 runs, 5 minutes after the failure each (enough for either profile to recover). */
const SMALL = `name: small
lab: anycast
baseline:
  fail: xenial1:halt
  at: 2m
  runFor: 5m
vary:
  profile: [cisco-ios, frr]
runs: 2
seed: 7
`;

function experimentFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const smallFile = experimentFile('small.yml', SMALL);

/** Runs the small experiment into a fresh file and returns the file's text. */
async function sweepTo(o: SweepOptions & { out: string }): Promise<string> {
  await sweep(loadExperiment(smallFile), { existing: 'overwrite', ...o });
  return readFileSync(o.out, 'utf8');
}

test('loader: every problem with file:line and what was expected', () => {
  const bad = experimentFile(
    'bad.yml',
    `name: bad one
lab: anycast
measure: lookups-someday
baseline:
  fail: xenial1:explode
  at: 2
vary:
  profile: [cisco-ios, juniper]
  colour: [red]
zip:
  profile: [frr]
runs: 0
record: [outage, ttl]
extra: 1
`,
  );
  const e = (() => {
    try {
      loadExperiment(bad);
    } catch (err) {
      return err;
    }
    return null;
  })();
  assert.ok(e instanceof LabFileError);
  const lines = e.message.split('\n').map((l) => l.replace(dir + '/', ''));
  assert.deepEqual(lines, [
    'bad.yml:14: unknown key "extra"; expected one of name, description, lab, measure, baseline, vary, zip, runs, seed, record',
    'bad.yml:1: name: expected a name of letters, digits, . _ -, got "bad one"',
    'bad.yml:3: measure: expected one of failover, lookups, clients-move, got "lookups-someday"',
    'bad.yml:12: runs: expected a whole number ≥ 1, got 0',
    'bad.yml:5: baseline.fail: "xenial1:explode": unknown failure mode "explode"; modes: halt, boot, reboot, drain, link-down, link-up, named-stop, named-start, named-crash, ripd-stop, ripd-start, ripd-crash',
    'bad.yml:6: baseline.at: expected a duration with its unit, e.g. 30s or 2m, got 2',
    'bad.yml:8: vary.profile[1]: expected one of cisco-ios, frr, got "juniper"',
    'bad.yml:9: vary.colour: unknown parameter "colour"; parameters: lab, profile, bindProfile, fail, at, window, runFor, probeInterval, client, target, probe, healthCheck, timers, change, iosPoison, frrVersion, resolver, rotation, resolvOptions, resolvConf, name, lookupInterval, lookups, options',
  ]);
  // Broken YAML, a missing lab, a zip of unequal lists, a parameter varied twice.
  assert.throws(() => parseExperiment('name: x\nlab: [', 'x.yml', dir), /^LabFileError: x\.yml:2: not valid YAML/);
  assert.throws(() => parseExperiment('name: x\n', 'x.yml', dir), /x\.yml:1: lab: missing/);
  assert.throws(() => parseExperiment('name: x\nlab: nowhere\n', 'x.yml', dir), /x\.yml:2: lab: no lab folder "nowhere"/);
  assert.throws(() => parseExperiment('name: x\nlab: anycast\nzip:\n  at: [1m, 2m]\n  window: [10s]\n', 'x.yml', dir), /x\.yml:4: zip: every list must have the same length, got at: 2, window: 1/);
  assert.throws(() => parseExperiment('name: x\nlab: anycast\nvary:\n  at: [1m]\nzip:\n  at: [2m]\n', 'x.yml', dir), /x\.yml:6: zip\.at: already varied under vary/);
  assert.throws(() => parseExperiment({ name: 'x', lab: 'anycast', baseline: { window: '0s' } }, 'experiment', dir), /^LabFileError: experiment: baseline\.window: must be longer than 0s/);
  // A misspelt baseline parameter is an error, not a default silently kept.
  assert.throws(() => parseExperiment('name: x\nlab: anycast\nbaseline:\n  profle: frr\n', 'x.yml', dir), /x\.yml:4: baseline\.profle: unknown parameter "profle"/);
  assert.throws(() => loadExperiment(join(dir, 'none.yml')), /none\.yml: no such experiment file/);
});

test('grid: vary is the full product in key order (last fastest), zip one more axis; columns and hash', () => {
  const e = parseExperiment(
    { name: 'grid', lab: 'anycast', vary: { profile: ['cisco-ios', 'frr'], fail: ['xenial1:halt', 'xenial1:ripd-stop'] }, zip: { probeInterval: ['1s', '2s'], window: ['30s', '1m'] }, runs: 2, record: ['outageSeconds'] },
    'grid',
    dir,
  );
  assert.equal(e.points.length, 8);
  assert.deepEqual(e.points.slice(0, 3).map((p) => p.label), [
    'profile=cisco-ios fail=xenial1:halt probeInterval=1s window=30s',
    'profile=cisco-ios fail=xenial1:halt probeInterval=2s window=1m',
    'profile=cisco-ios fail=xenial1:ripd-stop probeInterval=1s window=30s',
  ]);
  assert.equal(e.points[7]!.label, 'profile=frr fail=xenial1:ripd-stop probeInterval=2s window=1m');
  assert.equal(e.points[7]!.setup.probeInterval, 2_000_000);
  assert.equal(e.points[7]!.setup.window, 60_000_000);
  assert.deepEqual(e.columns.map((c) => c.name), ['job', 'point', 'run', 'seed', 'profile', 'fail', 'probeInterval', 'window', 'outageSeconds']);
  // The hash follows what fixes the rows, not where the lab folder is.
  const again = parseExperiment({ name: 'grid', lab: 'anycast', vary: { profile: ['cisco-ios', 'frr'], fail: ['xenial1:halt', 'xenial1:ripd-stop'] }, zip: { probeInterval: ['1s', '2s'], window: ['30s', '1m'] }, runs: 2, record: ['outageSeconds'] }, 'grid', dir);
  assert.equal(again.hash, e.hash);
  assert.notEqual(parseExperiment({ name: 'grid', lab: 'anycast', runs: 3 }, 'grid', dir).hash, parseExperiment({ name: 'grid', lab: 'anycast', runs: 2 }, 'grid', dir).hash);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
  assert.equal(shardOutput('out/x.csv', { index: 2, count: 8 }), 'out/x.shard-2-of-8.csv');
});

test('rows: common random numbers across points, outages in each profile\'s range, the same rows with 0, 1 or 2 workers', async () => {
  const rows = await runExperiment(smallFile, { workers: 0 });
  assert.equal(rows.length, 4);
  for (let run = 0; run < 2; run++) {
    const [cisco, frr] = [rows[run]!, rows[2 + run]!];
    assert.equal(cisco['seed'], runDraw(7, run).labSeed);
    assert.equal(cisco['seed'], frr['seed']);
    assert.equal(cisco['failureAtSeconds'], frr['failureAtSeconds']);
    assert.ok((cisco['failureAtSeconds'] as number) >= 120 && (cisco['failureAtSeconds'] as number) < 150);
    assert.ok((cisco['outageSeconds'] as number) >= 210 && (cisco['outageSeconds'] as number) <= 275, `cisco ${cisco['outageSeconds']}`);
    assert.ok((frr['outageSeconds'] as number) >= 143 && (frr['outageSeconds'] as number) <= 222, `frr ${frr['outageSeconds']}`);
  }
  // Lab seeds differ per run: each fixes the routers' update phases.
  assert.notEqual(rows[0]!['seed'], rows[1]!['seed']);
  const one = await sweepTo({ out: join(dir, 'w1.csv'), workers: 1 });
  const two = await sweepTo({ out: join(dir, 'w2.csv'), workers: 2 });
  assert.equal(one, two);
  assert.equal(one.split('\n').length, 6);
  assert.equal(readFileSync(metaPath(join(dir, 'w1.csv')), 'utf8'), readFileSync(metaPath(join(dir, 'w2.csv')), 'utf8'));
  // Every measured column with a unit says it twice: in its CSV name and in the meta file.
  const header = one.split('\n')[0]!.split(',');
  const units = Object.fromEntries(readMeta(join(dir, 'w1.csv')).columns.map((c) => [c.name, c.unit ?? null]));
  for (const [name, unit] of [['failureAtSeconds', 's'], ['outageSeconds', 's'], ['silentSeconds', 's'], ['unreachableSeconds', 's'], ['ripBytesPerSecond', 'B/s'], ['ripPacketsPerSecond', 'packets/s'], ['run', null]] as const) {
    assert.ok(header.includes(name), `CSV header ${header.join(',')} lacks ${name}`);
    assert.equal(units[name], unit, `${name}'s unit`);
  }
  const json = await sweepTo({ out: join(dir, 'w2.jsonl'), workers: 2 });
  assert.deepEqual(json.trim().split('\n').map((l) => JSON.parse(l)), rows);
});

test('measures: lookups (resolver options instead of anycast) and clients-move (who moves where), one row per run', async () => {
  // glibc with the first name server halted (resolv.conf(5): each server is waited for `timeout`
  // seconds, 5 by default, before the next is asked): every lookup takes the timeout plus the second
  // server's answer, so lost = lookups × timeout, less the baseline's few ms each.
  const lookups = await runExperiment(
    { name: 'resolvers', lab: 'anycast', measure: 'lookups', baseline: { fail: 'xenial1:halt', lookups: 4 }, vary: { resolvOptions: ['timeout:5', 'timeout:1'] }, runs: 1, seed: 3 },
    { workers: 0 },
  );
  assert.deepEqual(lookups.map((r) => [r['resolvOptions'], r['failed']]), [['timeout:5', 0], ['timeout:1', 0]]);
  const [five, one] = lookups as [Row, Row];
  assert.ok((five['medianMs'] as number) >= 5000 && (five['medianMs'] as number) < 5100, `timeout:5 median ${five['medianMs']}`);
  assert.ok((one['medianMs'] as number) >= 1000 && (one['medianMs'] as number) < 1100, `timeout:1 median ${one['medianMs']}`);
  assert.ok(Math.abs((five['lostSeconds'] as number) - 20) < 0.5 && Math.abs((one['lostSeconds'] as number) - 4) < 0.5, `lost ${five['lostSeconds']} ${one['lostSeconds']}`);
  // Three sites (lib/lab/moves.test.ts): halting xenial1 sends xenial3 to xenial5, three routers
  // away; xenial4 stays with xenial2 and loses nothing.
  const moves = await runExperiment({ name: 'moves', lab: 'anycast-3site', measure: 'clients-move', baseline: { fail: 'xenial1:halt', runFor: '5m' }, vary: { client: ['xenial3', 'xenial4'] }, runs: 1 }, { workers: 0 });
  assert.deepEqual(moves.map((r) => [r['client'], r['before'], r['after'], r['moved'], r['hopsBefore'], r['hopsAfter']]), [['xenial3', 'xenial1', 'xenial5', true, 1, 3], ['xenial4', 'xenial2', 'xenial2', false, 1, 1]]);
  assert.equal(moves[1]!['outageSeconds'], 0);
  assert.throws(() => parseExperiment({ name: 'x', lab: 'anycast', measure: 'failover', vary: { resolvOptions: ['timeout:1'] } }, 'x.yml', dir), /vary\.resolvOptions: measure failover does not use resolvOptions \(it is for lookups\)/);
});

test('failover what-ifs as parameters: tuned timers with their RIP cost, a health check, a drain; their errors', async () => {
  // Bounds (lib/measure/failover.test.ts's reasoning with the tuned IOS timers 5 15 15 20): r3 flushes
  // the route 20 s after xenial1's last update U, T − U in [0, 5), then waits up to one 5 s update
  // of r1 plus a 5 s triggered holdoff: outage in [15, 30] s. The health check (health-check.test.ts):
  // detection under interval + timeout (3 s) + one 30 s periodic update + 5 s holdoff + 1 s probe.
  const rows = await runExperiment(
    {
      name: 'knobs',
      lab: 'anycast',
      baseline: { profile: 'cisco-ios', at: '2m', runFor: '2m' },
      zip: { fail: ['xenial1:halt', 'xenial1:named-stop', 'xenial1:named-stop', 'xenial1:drain=10s'], timers: ['5 15 15 20', 'default', 'default', 'default'], probe: ['ping', 'dns', 'dns', 'ping'], healthCheck: ['off', 'off', '2s', 'off'] },
      runs: 1,
      seed: 5,
    },
    { workers: 0 },
  );
  const [tuned, blackHole, checked, drained] = rows as [Row, Row, Row, Row];
  assert.ok((tuned['outageSeconds'] as number) >= 15 && (tuned['outageSeconds'] as number) <= 30, `tuned timers: ${tuned['outageSeconds']}`);
  // RIP cost: 5 s updates instead of 25.5–30 s cost about six times the bytes on the busiest link.
  const ratio = (tuned['ripBytesPerSecond'] as number) / (checked['ripBytesPerSecond'] as number);
  assert.ok(ratio > 4 && ratio < 8, `RIP bytes/s, tuned / default: ${ratio}`);
  assert.equal(blackHole['outageSeconds'], null, 'named stopped, no health check: the route stays, queries fail for good');
  assert.ok((checked['outageSeconds'] as number) > 0 && (checked['outageSeconds'] as number) <= 2 + 1 + 30 + 5 + 1, `health check 2s: ${checked['outageSeconds']}`);
  // A drain poisons the route 10 s before the halt: the far route arrives with r2's next update.
  assert.ok((drained['outageSeconds'] as number) <= 30 + 5 + 1, `drain: ${drained['outageSeconds']}`);
  assert.equal(rows[0]!['healthCheck'], 'off');
  assert.equal(rows[2]!['healthCheck'], '2s');
  const e = (v: unknown) => () => parseExperiment({ name: 'x', lab: 'anycast', baseline: v as object }, 'x.yml', dir);
  assert.throws(e({ healthCheck: { interval: '2s', fall: 0 } }), /baseline\.healthCheck: fall: expected a whole number ≥ 1, got 0/);
  assert.throws(e({ healthCheck: { every: '2s' } }), /baseline\.healthCheck: unknown key "every"; expected interval, timeout, fall, rise/);
  assert.throws(e({ timers: '5 15' }), /baseline\.timers: expected IOS "<update> <invalid> <holddown> <flush>"/);
  assert.throws(e({ probe: 'icmp' }), /baseline\.probe: expected one of ping, dns, got "icmp"/);
  assert.equal(parseExperiment({ name: 'x', lab: 'anycast', vary: { healthCheck: [{ interval: '5s', fall: 3, rise: 2 }] } }, 'x', dir).points[0]!.label, 'healthCheck=5s fall=3 rise=2');
});

test('resume: an aborted sweep, and one killed mid-line, finish with the rows of an uninterrupted one', async () => {
  const whole = await sweepTo({ out: join(dir, 'whole.csv'), workers: 2 });
  const out = join(dir, 'cut.csv');
  const stop = new AbortController();
  const first = await sweep(loadExperiment(smallFile), { out, existing: 'overwrite', workers: 2, signal: stop.signal, onProgress: (p) => p.done >= 1 && stop.abort() });
  assert.equal(first.complete, false);
  const partial = readFileSync(out, 'utf8');
  assert.ok(whole.startsWith(partial) && partial.split('\n').length - 2 < 4, 'a prefix of the rows');
  const second = await sweep(loadExperiment(smallFile), { out, existing: 'resume', workers: 2 });
  assert.equal(second.resumed, partial.split('\n').length - 2);
  assert.equal(second.resumed + second.ran, 4);
  assert.equal(readFileSync(out, 'utf8'), whole);
  // A kill in the middle of a write leaves half a line: it is dropped and its job run again.
  const cutAt = whole.indexOf('\n', whole.indexOf('\n', whole.indexOf('\n') + 1) + 1) + 10;
  truncateSync(out, cutAt);
  const third = await sweep(loadExperiment(smallFile), { out, existing: 'resume', workers: 1 });
  assert.deepEqual([third.resumed, third.ran], [2, 2]);
  assert.equal(readFileSync(out, 'utf8'), whole);
  // The summary counts resumed rows too.
  assert.deepEqual(third.summary.map((s) => s['n']), [2, 2]);
  // Another experiment's file is not resumed.
  const other = experimentFile('other.yml', SMALL.replace('seed: 7', 'seed: 8'));
  await assert.rejects(sweep(loadExperiment(other), { out, existing: 'resume' }), /holds rows of small \(hash [0-9a-f]+, shard 1\/1\), not of small .*the experiment changed/);
  await assert.rejects(sweep(loadExperiment(smallFile), { out }), /cut\.csv exists: resume it \(--resume\) or overwrite it \(--overwrite\)/);
  // A run that fails names its job, in a worker or not. (A client the lab does not have is now refused
  // before the first run, lib/sweep/check.test.ts; here the point is changed after that check.)
  assert.throws(() => parseExperiment({ name: 'broken', lab: 'anycast', baseline: { client: 'nobody', runFor: '1m' }, runs: 2 }, 'broken', dir), /^LabFileError: broken: baseline\.client: no node "nobody" in lab anycast/);
  const broken = parseExperiment({ name: 'broken', lab: 'anycast', baseline: { runFor: '1m' }, runs: 2 }, 'broken', dir);
  broken.points[0]!.setup.client = 'nobody';
  for (const workers of [0, 1]) await assert.rejects(sweep(broken, { workers }), /^SweepError: job 0 \(point 0, run 0\): probe client: no node "nobody" in lab anycast/);
  await assert.rejects(sweep(loadExperiment(smallFile), { workers: -1 }), /workers: expected a whole number ≥ 0, got -1/);
  await assert.rejects(sweep(loadExperiment(smallFile), { shard: { index: 0, count: 2 } }), /shard: expected i\/n with 1 ≤ i ≤ n, got 0\/2/);
});

test('shards: three slices merged give the whole sweep, byte for byte; wrong sets are refused', async () => {
  const whole = await sweepTo({ out: join(dir, 'all.csv'), workers: 2 });
  const parts: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const out = join(dir, shardOutput('part.jsonl', { index: i, count: 3 }));
    await sweep(loadExperiment(smallFile), { out, existing: 'overwrite', workers: 1, shard: { index: i, count: 3 } });
    parts.push(out);
  }
  assert.deepEqual(readFileSync(parts[1]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l)['job']), [1]);
  assert.deepEqual(readFileSync(parts[0]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l)['job']), [0, 3]);
  const merged = mergeShards(join(dir, 'merged.csv'), [parts[2]!, parts[0]!, parts[1]!]);
  assert.equal(merged.rows, 4);
  assert.equal(readFileSync(join(dir, 'merged.csv'), 'utf8'), whole);
  assert.equal(readFileSync(metaPath(join(dir, 'merged.csv')), 'utf8'), readFileSync(metaPath(join(dir, 'all.csv')), 'utf8'));
  assert.throws(() => mergeShards(join(dir, 'm.csv'), [parts[0]!, parts[1]!]), /missing shard 3\/3/);
  assert.throws(() => mergeShards(join(dir, 'm.csv'), [parts[0]!, parts[0]!, parts[1]!]), /are both shard 1\/3/);
  assert.throws(() => mergeShards(join(dir, 'm.csv'), [parts[0]!, join(dir, 'all.csv')]), /not the same split/);
  const other = join(dir, 'other.shard-2-of-3.csv');
  await sweep(loadExperiment(experimentFile('other2.yml', SMALL.replace('runs: 2', 'runs: 3'))), { out: other, existing: 'overwrite', workers: 0, shard: { index: 2, count: 3 } });
  assert.throws(() => mergeShards(join(dir, 'm.csv'), [parts[0]!, other, parts[2]!]), /not the same experiment/);
  appendFileSync(parts[0]!, '');
  truncateSync(parts[0]!, statSync(parts[0]!).size - 5);
  assert.throws(() => mergeShards(join(dir, 'm.csv'), parts), SweepError);
  assert.throws(() => mergeShards(join(dir, 'm.csv'), parts), /1 of its 2 rows; resume that shard before merging/);
});

test('CLI: sweep, shard and merge; usage errors in one line', async () => {
  const out = join(dir, 'cli.csv');
  const r = await runCliAsync(['sweep', smallFile, '--out', out, '--workers', '2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^small: 4 rows in .*cli\.csv\npoint +profile +n +min +median +p90 +max +unrecovered +unsteady +mean ripBytesPerSecond +mean ripPacketsPerSecond\n +0 +cisco-ios +2 .*\n +1 +frr +2 /);
  assert.match(r.err, /^sweep small: 0\/4 runs \(0%\)\n/);
  assert.match(r.err, /sweep small: 4\/4 runs \(100%\), \d+ runs\/s, [\d.]+s$/);
  for (const i of [1, 2]) assert.equal((await runCliAsync(['sweep', smallFile, '--shard', `${i}/2`, '--out', join(dir, 'cli.jsonl')])).code, 0);
  const m = await runCliAsync(['merge', '--out', join(dir, 'cli-merged.csv'), join(dir, 'cli.shard-1-of-2.jsonl'), join(dir, 'cli.shard-2-of-2.jsonl')]);
  assert.equal(m.code, 0, m.err);
  assert.equal(readFileSync(join(dir, 'cli-merged.csv'), 'utf8'), readFileSync(out, 'utf8'));
  for (const [args, why] of [
    [['sweep'], /^error: sweep needs an experiment file/],
    [['sweep', smallFile, '--shard', '3/2'], /^error: --shard: expected i\/n with 1 ≤ i ≤ n \(e\.g\. 2\/8\), or auto\/n in a Kubernetes Indexed Job or a Slurm job array, got "3\/2"/],
    [['sweep', smallFile, '--workers', 'many'], /^error: --workers: expected a whole number ≥ 0, got "many"/],
    [['sweep', smallFile, '--resume', '--overwrite'], /^error: --resume and --overwrite: give one of them/],
    [['sweep', smallFile, '--out', out], /^error: .*cli\.csv exists: resume it \(--resume\) or overwrite it \(--overwrite\)$/],
    [['sweep', smallFile, '--out', join(dir, 'x.txt')], /^error: .*x\.txt: the output's name must end in \.csv or \.jsonl/],
    [['sweep', join(dir, 'bad.yml'), '--out', join(dir, 'y.csv')], /^error: .*bad\.yml:14: unknown key "extra"/],
    [['merge', out], /^error: merge needs --out/],
  ] as const) {
    const e = await runCliAsync([...args]);
    assert.notEqual(e.code, 0);
    assert.match(e.err, why);
    assert.doesNotMatch(e.err, /\n\s+at /);
  }
  assert.match(runCli(['sweep', smallFile]).err, /sweep runs asynchronously: use runCliAsync/);
});

test('CLI: a sweep killed (SIGKILL) mid-run and resumed writes the rows of an uninterrupted one', async () => {
  const whole = readFileSync(join(dir, 'cli.csv'), 'utf8');
  const out = join(dir, 'killed.csv');
  await new Promise<void>((done) => {
    const child = spawn(process.execPath, [CLI, 'sweep', smallFile, '--out', out, '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let lines = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      // The second progress line comes after the first row: kill there, as a scheduler would.
      if (lines >= 2) child.kill('SIGKILL');
    });
    child.on('exit', () => done());
  });
  const r = await runCliAsync(['sweep', smallFile, '--out', out, '--resume', '--workers', '2']);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(out, 'utf8'), whole);
});
