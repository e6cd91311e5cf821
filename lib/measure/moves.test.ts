/**
 * The three-site and asymmetric labs: they load, `check` and `doctor` report only the write-up's own
 * slips carried over, and the which-clients-move table for a halt of each server.
 *
 * Where the expected figures come from:
 * - Hops: the routers between each client and each server, counted on the drawings at the top of
 *   data/labs/anycast-3site/topology.clab.yml and data/labs/anycast-asym/topology.clab.yml; RIP
 *   picks the fewest (IOS metric = hops), and a Linux server answers a ping with TTL 64, so the
 *   client sees 64 − routers.
 * - Outage of a client that moves: failover.test.ts's IOS window, [210, 275] s (the nearest router
 *   flushes the dead server's route 240 s after its last update, 0–30 s before the failure, then
 *   waits up to 30 s, plus up to 5 s of triggered-update hold-off, for a neighbour's update). A
 *   client whose server lives loses nothing: 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab } from '../config/load';
import { runCli } from '../cli/main';
import { labPath } from '../config/paths';
import { doctor } from '../config/doctor';
import { clientMoves } from './moves';
import { type ClientMoveRow } from '../results/rows';

const THREE = labPath('anycast-3site');
const ASYM = labPath('anycast-asym');

const at = (f: { sources: { file: string; line: number }[]; severity: string; code: string }) => `${f.sources[0]!.file}:${f.sources[0]!.line} ${f.severity} ${f.code}`;

test('labPath finds the new labs; they load with do_anycast, with three anycast servers and IOS notes only', () => {
  for (const dir of [THREE, ASYM]) {
    assert.ok(existsSync(join(dir, 'topology.clab.yml')), dir);
    const spec = loadLab(dir, { do_anycast: true });
    assert.deepEqual(spec.nodes.filter((n) => n.kind !== 'bridge').map((n) => n.name), ['r1', 'r2', 'r3', 'r4', 'r5', 'xenial1', 'xenial2', 'xenial5', 'xenial3', 'xenial4', 'xenial6']);
    const findings = [...spec.findings, ...spec.nodes.flatMap((n) => n.findings)];
    // Every router's classful `network 10.128.0.0` note, nothing else.
    const lines = dir === THREE ? ['r1.cfg:21', 'r2.cfg:17', 'r3.cfg:21', 'r4.cfg:21', 'r5.cfg:21'] : ['r1.cfg:17', 'r2.cfg:17', 'r3.cfg:25', 'r4.cfg:21', 'r5.cfg:21'];
    assert.deepEqual(findings.map((f) => `${f.severity} ${f.source.file}:${f.source.line}`), lines.map((f) => `note ${spec.name}/${f}`));
    assert.ok(findings.every((f) => /RIP networks are classful on IOS/.test(f.message)));
    // `anycast-lab check` adds the anycast address, on the three servers' loopbacks.
    const check = runCli(['check', dir, '--option', 'do_anycast=true']);
    assert.equal(check.code, 0, check.err);
    assert.match(check.out, /10\.128\.224\.2\/32 is on the loopbacks of xenial1 lo:0, xenial2 lo:0, xenial5 lo:0: an anycast address\n6 findings$/);
  }
});

test('doctor: the write-up slips in the copied files, none in xenial5 and r5 but the shared `network lo:0` line', () => {
  for (const [dir, name] of [[THREE, 'anycast-3site'], [ASYM, 'anycast-asym']] as const) {
    assert.deepEqual(doctor(loadLab(dir, { do_anycast: true })).map(at), [
      `${name}/xenial1.zebra.conf:6 warning zebra-address`,
      `${name}/xenial2.zebra.conf:6 warning zebra-address`,
      `${name}/setup.xenial1.sh:65 warning ping-unowned`,
      `${name}/setup.xenial2.sh:65 warning ping-unowned`,
      `${name}/setup.xenial1.sh:53 warning rip-network`,
      `${name}/setup.xenial2.sh:53 warning rip-network`,
      // Kept on purpose: the three servers run the write-up's ripd.conf alike (10.128.0.0/16 covers lo:0's address).
      `${name}/setup.xenial5.sh:53 warning rip-network`,
      `${name}/setup.xenial1.sh:9 info named-started-early`,
      `${name}/setup.xenial2.sh:9 info named-started-early`,
      `${name}/setup.xenial5.sh:9 info named-started-early`,
    ]);
    // Unicast: the §4.2 listings are bound but lo:0 is not set up; xenial5's listing is the correct
    // address, so only "the node has nothing on lo:0" remains, as for the write-up's two.
    assert.deepEqual(doctor(loadLab(dir)).map(at), [`${name}/xenial1.zebra.conf:6 warning zebra-address`, `${name}/xenial2.zebra.conf:6 warning zebra-address`, `${name}/xenial5.zebra.conf:6 warning zebra-address`]);
  }
});

/** `client before→after hops→hops` for the rows, outages checked apart. */
function moves(rows: readonly ClientMoveRow[]): string[] {
  return rows.map((r) => `${r.client} ${r.before}→${r.after} ${r.hopsBefore}→${r.hopsAfter}`);
}

function checkOutages(rows: readonly ClientMoveRow[], movers: readonly string[]): void {
  for (const r of rows) {
    if (movers.includes(r.client)) assert.ok(r.outageSeconds !== null && r.outageSeconds >= 210 && r.outageSeconds <= 275, `${r.client}: outage ${r.outageSeconds} s`);
    else assert.equal(r.outageSeconds, 0, `${r.client} keeps its server`);
  }
}

test('three sites: halting xenial1 sends xenial3 to xenial5 (3 routers), not to xenial2 (4) as in the write-up lab', () => {
  const x1 = clientMoves({ lab: THREE, fail: 'xenial1:halt' });
  assert.deepEqual(moves(x1), ['xenial3 xenial1→xenial5 1→3', 'xenial4 xenial2→xenial2 1→1', 'xenial6 xenial5→xenial5 1→1']);
  checkOutages(x1, ['xenial3']);
  const x5 = clientMoves({ lab: THREE, fail: 'xenial5:halt' });
  assert.deepEqual(moves(x5), ['xenial3 xenial1→xenial1 1→1', 'xenial4 xenial2→xenial2 1→1', 'xenial6 xenial5→xenial1 1→3']);
  checkOutages(x5, ['xenial6']);
  // xenial2: xenial1 and xenial5 are both 4 routers from xenial4 and r1 holds both equal-cost paths;
  // the simulator forwards on the first (see the lab's README), so either may answer, 4 routers away.
  const x2 = clientMoves({ lab: THREE, fail: 'xenial2:halt' });
  assert.deepEqual(moves(x2.filter((r) => r.client !== 'xenial4')), ['xenial3 xenial1→xenial1 1→1', 'xenial6 xenial5→xenial5 1→1']);
  const four = x2.find((r) => r.client === 'xenial4')!;
  assert.ok(four.after === 'xenial1' || four.after === 'xenial5', `xenial4 after: ${four.after}`);
  assert.deepEqual([four.before, four.hopsBefore, four.hopsAfter], ['xenial2', 1, 4]);
  checkOutages(x2, ['xenial4']);
});

test('asymmetric: xenial3 and xenial6 move one router further, xenial4 four, the others not at all', () => {
  const x1 = clientMoves({ lab: ASYM, fail: 'xenial1:halt' });
  assert.deepEqual(moves(x1), ['xenial3 xenial1→xenial5 1→2', 'xenial4 xenial2→xenial2 1→1', 'xenial6 xenial5→xenial5 1→1']);
  checkOutages(x1, ['xenial3']);
  const x2 = clientMoves({ lab: ASYM, fail: 'xenial2:halt' });
  assert.deepEqual(moves(x2), ['xenial3 xenial1→xenial1 1→1', 'xenial4 xenial2→xenial1 1→4', 'xenial6 xenial5→xenial5 1→1']);
  checkOutages(x2, ['xenial4']);
  const x5 = clientMoves({ lab: ASYM, fail: 'xenial5:halt' });
  assert.deepEqual(moves(x5), ['xenial3 xenial1→xenial1 1→1', 'xenial4 xenial2→xenial2 1→1', 'xenial6 xenial5→xenial1 1→2']);
  checkOutages(x5, ['xenial6']);
});

test('the write-up lab: the two clients swap sides, and bad input is refused', () => {
  const anycast = labPath('anycast');
  assert.deepEqual(moves(clientMoves({ lab: anycast, fail: 'xenial1:halt' })), ['xenial3 xenial1→xenial2 1→4', 'xenial4 xenial2→xenial2 1→1']);
  assert.throws(() => clientMoves({ lab: anycast, fail: 'xenial1:halt@2m' }), /give the failure without its time/);
  assert.throws(() => clientMoves({ lab: anycast, fail: 'xenial1:halt', clients: ['xenial9'] }), /no node named "xenial9"/);
});
