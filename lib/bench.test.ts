/**
 * The benchmark's two sides on small versions of its workloads (`npm run bench -- --tiny`): our
 * side (scripts/bench/workload.js) and the ns-3 peer (bench/peers/ns3/anycast-bench.cc, built with
 * g++ against the installed ns-3) each run to the end, report their events and pass their own
 * checks, and the two agree on the work they were given. The ns-3 tests are skipped, saying so, when
 * ns-3 is not installed (Debian: apt-get install libns3-dev). Then the bench's own bookkeeping
 * (scripts/bench/side-by-side.ts, loaded through ts-node in a child): a run stopped at its CPU limit
 * is a lower bound, never a time, and the bench's own CPU is not counted as other work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The tiny workloads of scripts/bench/side-by-side.ts TINY_WORKLOADS. */
const TINY: { name: string; args: string[] }[] = [
  { name: 'anycast', args: ['anycast', '--seconds', '1200', '--halt-at', '300'] },
  { name: 'chain', args: ['chain', '--routers', '40', '--seconds', '600'] },
  { name: 'grid', args: ['grid', '--rows', '6', '--cols', '6', '--seconds', '600'] },
];

type Report = Record<string, unknown> & { ok: boolean; failures: string[]; events: number };

function run(command: string, args: string[]): Report {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Report;
}

const ours = (args: string[]) => run(process.execPath, [join(ROOT, 'scripts', 'bench', 'workload.js'), ...args]);

const build = spawnSync('bash', [join(ROOT, 'bench', 'peers', 'ns3', 'build.sh')], { encoding: 'utf8', timeout: 300_000 });
const peerMissing = build.status === 3 ? `ns-3 is not installed here (${build.stderr.trim()}): the peer's tests are skipped` : false;
const peer = (args: string[]) => {
  assert.equal(build.status, 0, `bench/peers/ns3/build.sh failed: ${build.stderr}`);
  return run(build.stdout.trim(), args);
};

for (const w of TINY) {
  test(`bench ${w.name}: anycast-lab runs the tiny workload and passes its own check`, () => {
    const r = ours(w.args);
    assert.deepEqual(r.failures, []);
    assert.equal(r.ok, true);
    assert.ok(r.events > 0, `events ${r.events}`);
  });

  test(`bench ${w.name}: the ns-3 peer builds, runs the tiny workload and passes its own check`, { skip: peerMissing }, () => {
    const r = peer(w.args);
    assert.deepEqual(r.failures, []);
    assert.equal(r.ok, true);
    assert.ok(r.events > 0, `events ${r.events}`);
    assert.equal(r.side, 'ns-3');
  });
}

test('bench anycast: both sides send the same queries and check the same routes', { skip: peerMissing }, () => {
  const a = ours(TINY[0]!.args);
  const b = peer(TINY[0]!.args);
  // Queries every second from 60 s while before 1200 s: 1140 (the same schedule both ways).
  assert.equal(a.queries, 1140);
  assert.equal(b.queries, 1140);
  // 4 routers × (7 networks + the anycast /32).
  assert.equal(a.routesChecked, 32);
  assert.equal(b.routesChecked, 32);
  // The halt at 300 s moves the queries to xenial2: some are lost on both sides, not all.
  for (const r of [a, b]) {
    const lost = Number(r.queries) - Number(r.answered);
    assert.ok(lost > 100 && lost < 600, `${r.side}: ${lost} lost`);
  }
});

test('bench grid: both sides build the same grid and check the same routes', { skip: peerMissing }, () => {
  const a = ours(TINY[2]!.args);
  const b = peer(TINY[2]!.args);
  // 6×6: 6 rows of 5 horizontal links and 5 rows of 6 vertical ones.
  for (const r of [a, b]) {
    assert.equal(r.routers, 36);
    assert.equal(r.links, 60);
  }
  assert.equal(a.routesChecked, b.routesChecked);
});

test('bench: a side given a workload it does not know fails with a usage message, not a result', { skip: peerMissing }, () => {
  for (const [command, args] of [
    [process.execPath, [join(ROOT, 'scripts', 'bench', 'workload.js'), 'ring']],
    [build.stdout.trim(), ['ring']],
  ] as const) {
    const r = spawnSync(command, args, { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown workload "ring" \(anycast, chain or grid\)/);
    assert.equal(r.stdout, '');
  }
});

/**
 * The bench's pieces, run in a child (scripts/ is TypeScript outside dist/): a "peer" that is our own
 * workload under a 1 CPU s limit, on a chain long enough to need well more, against ours without a
 * limit; and /proc samples around CPU this process and a child burn. The chain is 900 routers for 2 h:
 * 1 h of it took ours 1.42 CPU s in CI on 2026-12-05, too close to the limit once the simulator got
 * faster (with 450 routers for 1 h ours took barely over 1 s and the stopped peer's count, which
 * includes its last tick, came out above it).
 */
const BOOKKEEPING = `
const { spawnSync } = require('node:child_process');
const s = require('./scripts/bench/side-by-side.ts');
const workload = { name: 'chain-900-2h', what: 'a chain of 900 routers, 2 h', args: ['chain', '--routers', '900', '--seconds', '7200'], targetRatio: 10, targetSeconds: null, targetRssMiB: null, peerByDefault: true, peerCpuLimitSeconds: 1 };
const ours = s.oursSide();
const slowPeer = { ...ours, name: 'ns-3' };
const c = s.compare(workload, ours, slowPeer, '', 1, () => undefined);
const m = { date: 'd', cpu: 'c', cores: 2, ramGiB: 1, node: 'v', ns3: '3.37', loadBefore: 0.4, otherCores: 0.1 };
const table = s.speedTable(m, [c], 1, [], '');
// Busy until 0.4 s of CPU time (not wall time: the machine may be shared) have been used.
const burn = 'const c0 = process.cpuUsage(); for (;;) { const c = process.cpuUsage(c0); if (c.user + c.system >= 400000) break; }';
const a = s.cpuSample();
eval(burn);
const b = s.cpuSample();
spawnSync(process.execPath, ['-e', burn]);
const d = s.cpuSample();
console.log(JSON.stringify({
  peer: c.peer, cpuRatio: c.cpuRatio, cpuRatioAbove: c.cpuRatioAbove, oursCpu: c.ours.cpu.median, oursOk: c.ours.ok, table,
  ownSeconds: (b.ownTicks - a.ownTicks) / 100, childSeconds: (d.ownTicks - b.ownTicks) / 100,
  idle: s.otherWork({ ...m, otherCores: 0.1 }), busy: s.otherWork({ ...m, otherCores: 1.3 }),
}));
`;

test('bench bookkeeping: a peer run stopped at its CPU limit is a lower bound, and the bench\'s own CPU is not other work', () => {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', BOOKKEEPING], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    peer: { ok: boolean; unfinishedWithin: number | null; failures: string[]; runs: unknown[] };
    cpuRatio: number | null;
    cpuRatioAbove: number | null;
    oursCpu: number;
    oursOk: boolean;
    table: string;
    ownSeconds: number;
    childSeconds: number;
    idle: string;
    busy: string;
  };
  assert.equal(o.oursOk, true);
  assert.ok(o.oursCpu > 1.5, `the workload must need well more than the 1 CPU s limit: ours took ${o.oursCpu} s`);
  // Stopped in its warm-up, the peer is not run again: one run, no time, a lower bound.
  assert.equal(o.peer.unfinishedWithin, 1);
  assert.equal(o.peer.ok, false);
  assert.deepEqual(o.peer.failures, ['did not finish within 1 CPU s']);
  assert.equal(o.peer.runs.length, 1);
  assert.equal(o.cpuRatio, null);
  assert.ok(o.cpuRatioAbove !== null && o.cpuRatioAbove > 0 && o.cpuRatioAbove < 1, `ratio above ${o.cpuRatioAbove}`);
  const row = o.table.split('\n').find((l) => l.startsWith('| a chain of 900 routers'))!;
  assert.match(row, /\| did not finish within 1 CPU s \| > 0\.\d× \|/);
  assert.match(row, /ratio ≥ 10×: not known \(ns-3 did not finish\)/);
  // The busy loops: 0.4 s of this process's CPU, then 0.4 s of a child's, both counted as the bench's
  // own (utime + stime, then cutime + cstime of /proc/self/stat), so never as other work.
  assert.ok(o.ownSeconds >= 0.3, `own CPU seen ${o.ownSeconds} s`);
  assert.ok(o.childSeconds >= 0.3, `child CPU seen ${o.childSeconds} s`);
  assert.match(o.idle, /^Other processes kept 0\.10 of the 2 cores busy on average while it ran \(load average 0\.4 before it started\)\.$/);
  assert.match(o.busy, /kept 1\.30 of the 2 cores busy .*: the machine was busy with other work, which weighed on both sides\.$/);
});
