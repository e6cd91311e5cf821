/**
 * The benchmark's two sides on small versions of its workloads (`npm run bench -- --tiny`): our
 * side (scripts/bench/workload.js) and the ns-3 peer (bench/peers/ns3/anycast-bench.cc, built with
 * g++ against the installed ns-3) each run to the end, report their events and pass their own
 * checks, and the two agree on the work they were given. The ns-3 tests are skipped, saying so, when
 * ns-3 is not installed (Debian: apt-get install libns3-dev).
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
