/**
 * The feature labs (data/labs/feature-*) checked against real FRR 8.4: each FRR router's
 * `show ip route` and `show ip rip` from the simulator beside the outputs real FRR 8.4.4 printed
 * for the same lab files in network namespaces (data/real/<lab>/show.json, made with
 * `anycast-lab real record-show <lab>`). The expected texts are those records: nothing here is
 * typed in by hand but the normalising examples, which are lines of those records.
 *
 * Identical means identical once the uptime (show ip route) and timer (show ip rip) columns are
 * normalised and a route's ECMP rows in `show ip rip` put in text order (lib/results/show.ts says
 * why); every other character counts.
 *
 * EXPECTED_TO_AGREE lists the labs whose every output is identical (all six since the feature groups landed); the test fails
 * when a lab agrees that is not listed as well as when a listed one does not, so the list stays
 * true as the simulator learns the features (the table of every lab is printed either way).
 *
 * With root, FRR 8.4 and ANYCAST_LAB_REAL=1 the labs are also run again on real FRR (about 30 s
 * each): the live outputs must equal the saved ones, and agree with the simulator where listed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { labPath } from '../config/paths';
import { loadLab } from '../config/load';
import { planLab } from '../real/plan';
import { compareShow, featureSummary, formatFeatureAgreement, normaliseShow, showDiff, SHOW_COMMANDS, type ShowNode } from '../results/show';
import { simulatedShow } from '../measure/show';
import { featureLabs, readShowRecord } from '../real/show-records';
import { recordRealShow } from '../real/show';
import { realLabUnavailable } from '../real/system';
import { featureAgreement } from './features';

/** The labs whose simulated outputs are all identical to real FRR 8.4's on this branch. */
const EXPECTED_TO_AGREE: readonly string[] = ['feature-ecmp', 'feature-passive', 'feature-redistribute', 'feature-statics', 'feature-stub', 'feature-versions'];

/** The feature groups of the project's brief, one lab each. */
const FEATURE_GROUPS = ['feature-ecmp', 'feature-passive', 'feature-redistribute', 'feature-statics', 'feature-stub', 'feature-versions'];

test('show-compare: only the uptime and timer columns are normalised (lines of the saved FRR 8.4 records)', () => {
  // show ip route: zebra's uptime ends the line; the [distance/metric] and every other column stay.
  assert.equal(normaliseShow('show ip route', 'R>* 10.13.23.0/24 [120/2] via 10.13.12.2, eth1, weight 1, 00:00:08'), 'R>* 10.13.23.0/24 [120/2] via 10.13.12.2, eth1, weight 1, <uptime>');
  assert.equal(normaliseShow('show ip route', 'C>* 10.13.12.0/24 is directly connected, eth1, 1d02h03m'), 'C>* 10.13.12.0/24 is directly connected, eth1, <uptime>');
  assert.equal(normaliseShow('show ip route', 'K>* 10.80.0.0/16 [0/0] via 10.13.12.2, eth1 linkdown, 00:00:27'), 'K>* 10.80.0.0/16 [0/0] via 10.13.12.2, eth1 linkdown, <uptime>');
  // show ip rip: the Time column of a learned route; a redistributed or interface route has none.
  assert.equal(normaliseShow('show ip rip', 'R(n) 10.13.23.0/24      10.13.12.2            2 10.13.12.2        0 00:12'), 'R(n) 10.13.23.0/24      10.13.12.2            2 10.13.12.2        0 <timer>');
  assert.equal(normaliseShow('show ip rip', 'S(r) 10.51.0.0/16       blackhole             1 self              0'), 'S(r) 10.51.0.0/16       blackhole             1 self              0');
  // A metric, an address or a spacing difference is never normalised away.
  assert.notEqual(normaliseShow('show ip rip', 'R(n) 10.13.1.1/32       10.13.34.3            3 10.13.34.3        0 00:13'), normaliseShow('show ip rip', 'R(n) 10.13.1.1/32       10.13.34.3            4 10.13.34.3        0 00:13'));
  assert.notEqual(normaliseShow('show ip route', '  *                      via 10.13.13.3, eth2, weight 1, 00:00:24'), normaliseShow('show ip route', '  *             via 10.13.13.3, eth2, weight 1, 00:00:24'));
  // One prefix's ECMP rows in show ip rip come in arrival order (ripd.c rip_ecmp_add): both orders
  // were printed by r4 of feature-ecmp in three runs; they normalise to one. Other rows keep their order.
  const r4 = (first: string, second: string) =>
    [`R(n) 10.13.1.1/32       ${first}            3 ${first}        0 00:13`, `R(n) 10.13.1.1/32       ${second}            3 ${second}        0 00:14`, 'C(i) 10.13.4.4/32       0.0.0.0               1 self              0'].join('\n');
  assert.equal(normaliseShow('show ip rip', r4('10.13.34.3', '10.13.24.2')), normaliseShow('show ip rip', r4('10.13.24.2', '10.13.34.3')));
  assert.notEqual(normaliseShow('show ip rip', 'C(i) 10.13.24.0/24      0.0.0.0               1 self              0\nC(i) 10.13.12.0/24      0.0.0.0               1 self              0'), normaliseShow('show ip rip', 'C(i) 10.13.12.0/24      0.0.0.0               1 self              0\nC(i) 10.13.24.0/24      0.0.0.0               1 self              0'));
  // show ip route's next hops are zebra's sorted nexthop group: their order counts.
  assert.notEqual(normaliseShow('show ip route', 'R>* 10.13.4.4/32 [120/3] via 10.13.12.2\n  *                      via 10.13.13.3'), normaliseShow('show ip route', 'R>* 10.13.4.4/32 [120/3] via 10.13.13.3\n  *                      via 10.13.12.2'));
});

test('show-compare: the diff lists real-only lines (-) and simulated-only lines (+) in order', () => {
  assert.deepEqual(showDiff('a\nb\nc', 'a\nb\nc'), []);
  assert.deepEqual(showDiff('a\nb\nc', 'a\nx\nc'), ['- b', '+ x']);
  assert.deepEqual(showDiff('a\nb', 'a'), ['- b']);
  // Lines in another order are a difference (only show ip rip's ECMP rows are put in order, above).
  assert.deepEqual(showDiff('h\np1\np2', 'h\np2\np1'), ['- p1', '+ p1']);
  const rows = compareShow('lab', [{ node: 'r1', outputs: { 'show ip route': 'x', 'show ip rip': 'y' } }], new Error('lab/topology.clab.yml:3: no'));
  assert.deepEqual(rows, [{ lab: 'lab', router: '-', command: '-', identical: false, differing: ['the simulator cannot run this lab: lab/topology.clab.yml:3: no'] }]);
});

test('feature labs: one per feature group, each with a saved real FRR 8.4 record of every FRR router', () => {
  assert.deepEqual(featureLabs(), FEATURE_GROUPS);
  for (const lab of featureLabs()) {
    const record = readShowRecord(lab);
    assert.equal(record.lab, lab);
    assert.match(record.versions.frr, /version 8\.4\./, `${lab}: recorded on ${record.versions.frr}`);
    assert.ok(record.recordedSeconds - record.settledSeconds >= 20, `${lab}: taken ${record.recordedSeconds - record.settledSeconds} s after the last change`);
    for (const n of record.nodes) for (const c of SHOW_COMMANDS) assert.ok(n.outputs[c].startsWith('Codes:'), `${lab} ${n.node} "${c}" is vtysh's table`);
    let routers: string[];
    try {
      routers = planLab(loadLab(labPath(lab)), 'al000000-').nodes.filter((n) => n.rip).map((n) => n.node);
    } catch {
      continue; // a lab the loader refuses on this branch: its record names its routers itself
    }
    assert.deepEqual(record.nodes.map((n) => n.node), routers, `${lab}: every FRR router recorded`);
  }
});

test('feature labs: the simulated show ip route / show ip rip against the saved real FRR 8.4 outputs', (t) => {
  const rows = featureAgreement();
  t.diagnostic(`\n${formatFeatureAgreement(rows)}`);
  const agreeing = featureSummary(rows).filter((s) => s.agree === 'yes' && !s.lab.startsWith('all ')).map((s) => s.lab);
  assert.deepEqual(agreeing, [...EXPECTED_TO_AGREE].sort(), 'the labs that agree are the ones EXPECTED_TO_AGREE lists (extend it when a feature lands)');
  // Every router and command of every lab is compared: nothing is left out of the table.
  for (const lab of featureLabs()) {
    const of = rows.filter((r) => r.lab === lab);
    if (of.length === 1 && of[0]!.router === '-') continue;
    assert.equal(of.length, readShowRecord(lab).nodes.length * SHOW_COMMANDS.length, lab);
  }
});

const unavailable = process.env['ANYCAST_LAB_REAL'] === '1' ? realLabUnavailable() : 'set ANYCAST_LAB_REAL=1 to run the feature labs on real FRR';
const skipLive = unavailable === null ? false : `real lab: ${unavailable}`;

test('feature labs live on real FRR 8.4: the same outputs as saved, and the simulator agrees where listed', { skip: skipLive, timeout: 20 * 60_000 }, (t) => {
  const dir = mkdtempSync('/run/anycast-lab-show-');
  // FRR drops root: it must reach its folders below this one.
  chmodSync(dir, 0o755);
  try {
    for (const lab of featureLabs()) {
      try {
        loadLab(labPath(lab));
      } catch (e) {
        t.diagnostic(`${lab}: not run live, the loader refuses it on this branch: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      const live = recordRealShow({ labDir: labPath(lab), stateFile: join(dir, 'state.json') });
      const saved = readShowRecord(lab);
      const asSaved = compareShow(lab, saved.nodes, live.nodes).filter((r) => !r.identical);
      assert.deepEqual(asSaved.map((r) => `${r.router} ${r.command}: ${r.differing.join(' | ')}`), [], `${lab}: live FRR printed what was saved`);
      const sim: ShowNode[] = simulatedShow(labPath(lab), live.options, live.recordedSeconds, live.nodes.map((n) => n.node));
      const rows = compareShow(lab, live.nodes, sim);
      t.diagnostic(`${lab} live: ${rows.filter((r) => r.identical).length}/${rows.length} identical`);
      if (EXPECTED_TO_AGREE.includes(lab)) assert.deepEqual(rows.filter((r) => !r.identical), [], `${lab}: simulated and live outputs identical`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
