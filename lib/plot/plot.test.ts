// SVG snapshots of every figure: each figure function drawn from fixed rows (test-support.ts) and
// compared with the snapshot recorded in lib/plot/snapshots/, floats rounded to 2 decimals. A meant
// change of a figure records them again with ANYCAST_LAB_RECORD_SNAPSHOTS=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as figures from './index';
import { loadLab } from '../config/load';
import { labPath } from '../config/paths';
import { FIGURE_CASES, anycastChanges, snapshotText } from './test-support';

const SNAPSHOTS = join(__dirname, '..', '..', 'lib', 'plot', 'snapshots');
const RECORD = process.env['ANYCAST_LAB_RECORD_SNAPSHOTS'] === '1';
const spec = loadLab(labPath('anycast'), { do_anycast: true });

for (const c of FIGURE_CASES) {
  test(`figure snapshot: ${c.name}`, () => {
    const text = snapshotText(c.draw(figures, spec));
    const file = join(SNAPSHOTS, `${c.name}.svg.txt`);
    if (RECORD) {
      mkdirSync(SNAPSHOTS, { recursive: true });
      writeFileSync(file, text);
    }
    assert.ok(existsSync(file), `${file} is missing: record it with ANYCAST_LAB_RECORD_SNAPSHOTS=1`);
    const want = readFileSync(file, 'utf8').split('\n');
    const got = text.split('\n');
    const line = got.findIndex((l, i) => l !== want[i]);
    assert.ok(line < 0 && got.length === want.length, `${c.name}: differs from ${file} at line ${line + 1}:\n  got:  ${got[line]}\n  want: ${want[line]}`);
  });
}

test('outage distribution: the median of an even count is the mean of the middle two, as in the tables', () => {
  const html = figures.outageDistributionFigure([10, 12, 20, 30].map((outageSeconds) => ({ profile: 'p', outageSeconds })));
  assert.match(html, /median 16 s/);
});

test('snapshot text: floats rounded to 2 decimals, one element a line', () => {
  assert.equal(snapshotText('<svg x="1.23456" y="-0.004"><g transform="translate(12.5,3)"></g></svg>'), '<svg x="1.23" y="0">\n<g transform="translate(12.5,3)">\n</g>\n</svg>\n');
});

test('next hop per router: r3 reaches xenial1, then the halted xenial1 (hold-down from 301 s), no route after the flush, xenial2 via r1', () => {
  // The fixture's rows are the seed-1 run's route log for xenial1:halt@125s (rounded): IOS invalid
  // and hold-down at 301 s (180 s after r3's last update), flush at 361 s (240 s), r1's update at 364.8 s.
  const spans = figures.nextHopSpans(anycastChanges, { spec, prefix: '10.128.224.2/32', until: 400, down: figures.downSpans(['xenial1:halt@125s'], 400) });
  const r3 = spans.filter((s) => s.node === 'r3').map((s) => [s.from, s.to, s.via, s.reaches, s.invalid]);
  assert.deepEqual(r3, [
    [0, 2, null, 'no route', false],
    [2, 125, 'xenial1', 'xenial1', false],
    [125, 301, 'xenial1', 'xenial1 (down)', false],
    [301, 361, 'xenial1', 'xenial1 (down)', true],
    [361, 364.8, null, 'no route', false],
    [364.8, 400, 'r1', 'xenial2', false],
  ]);
  // r1 follows r3 until it drops the route on r3's poison, then reaches xenial2 through r2.
  assert.deepEqual(spans.filter((s) => s.node === 'r1').map((s) => s.reaches), ['no route', 'xenial1', 'xenial1 (down)', 'no route', 'xenial2']);
});

test('timeline marks: the failure, r3 invalid and hold-down, the flush, and the update that brings the far route named by its sender', () => {
  const marks = figures.failoverMarks(anycastChanges, { router: 'r3', failureAt: 125, spec, failure: 'xenial1 halted' });
  assert.deepEqual(marks.map((m) => [m.seconds, m.label]), [
    [125, 'xenial1 halted'],
    [301, 'r3: route invalid (its invalid/timeout timer ran out)'],
    [301, 'r3: hold-down starts'],
    [361, 'r3: flush: route deleted'],
    [364.8, "r3: r1's update brings the far route"],
  ]);
});

test('ticks to the maximum: the top tick is the maximum itself', () => {
  // 7 destinations (chapter 1's routers): steps of 2 from 0, then 7, not a 6 that hides the top.
  assert.deepEqual(figures.ticksToMax(7), [0, 2, 4, 7]);
  assert.deepEqual(figures.ticksToMax(2, 3, true), [0, 1, 2]);
  assert.deepEqual(figures.ticksToMax(2, 3), [0, 0.5, 1, 1.5, 2]);
});
