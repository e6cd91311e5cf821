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
import { drawLive, serverDocument } from './render';

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

/**
 * What hovering a mark says in a page without Plot's runtime: each figure's SVG <title>s, in both the
 * wide and the narrow drawing. The expected texts follow from the fixtures of test-support.ts: e.g.
 * the probes every second from 100 s (the first ten near replies, TTL 63, 4.25 ms; then silence),
 * the median of the cisco-ios runs 7.8, 12.4, 18, 25.6, 30.2 (18 s), the ladder's first frame.
 */
const EXPECTED_TITLES: Readonly<Record<string, readonly string[]>> = {
  'probe-timeline': ['probe at t = 100.0 s: ', 'probe at t = 110.0 s: no answer'],
  'probe-timeline-window': ['probe at t = 130.0 s: ', 'probe at t = 122.0 s: '],
  'probe-timeline-marks': ['probe at t = 100.0 s: near server, TTL 63 (write-up 63), 4.25 ms', 'r3: hold-down starts, t = 111.0 s', 'outage, write-up: 243 s from the last reply at t = 109.0 s'],
  'outage-distribution': ['cisco-ios: outage 12.4 s', 'cisco-ios: median 18 s of 5 runs', 'frr: median 4 s of 3 runs'],
  'lookup-time': ['nslookup, xenial1 halted: 2.031 s', 'write-up: nslookup, xenial1 halted: 1.036 s'],
  'routes-known': ['r1 at t = 1.50 s: 2 destinations (+ 10.0.2.0/24)', 'r1 at t = 40.00 s: 1 destination (− 10.0.2.0/24)', 'r2 halted, t = 30 s'],
  'routes-known-seven': ['r1 at t = 6.00 s: 7 destinations (+ 10.0.7.0/24)', 'r2 at t = 0.00 s: 1 destination (+ 10.0.1.0/24)'],
  // Quantiles as lib/results/stats.ts interpolates them: 238, 243, 251.5, 260 → median 247.25, p90 257.45.
  'outage-strip': ['ios defaults: outage 243.0 s', 'ios defaults: median 247 s · p90 257 s, max 260.0 s, 4 runs recovered', 'health check 2s: median 5 s · p90 6 s, max 6.5 s, 3 runs recovered'],
  'outage-cdf': ['health check 2s: 100 % of runs back within 6.5 s', 'ios defaults: 25 % of runs back within 238.0 s'],
  'outage-against': ['IOS defaults, health-check interval (s) 2: median 6 s, p90 7.5 s, 4–10 s', 'one update: 20 s'],
  'packet-ladder': ['r3 → r1, RIP response: 10.128.224.2/32 metric 16, t = 301.007 s', 'r3 → xenial1, RIP response (6 routes), t = 305.094 s (lost: the receiver is down)', 'r3: hold-down, t = 301.007 s'],
  'next-hop': ['r3, 301 s – 361 s\nvia xenial1 (invalid: advertised unreachable, still forwarding)\nreaches xenial1 (down)', 'r3, 361 s – 365 s\nno route'],
  // The anycast lab's r3.cfg and xenial1's interfaces (data/labs/anycast).
  topology: ['r3 (router): Ethernet0/0 10.128.3.2/24, Ethernet0/1 10.128.5.1/24, Ethernet0/2 10.128.7.1/24', 'xenial1 (host): eth1 10.128.5.2/24, lo 10.128.224.2/32', 'LAN vboxnet1 10.128.5.0/24: r3, xenial1', 'r1 – r3: 10.128.3.0/24'],
};

const titlesOf = (svg: string): string[] => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));

for (const c of FIGURE_CASES) {
  test(`figure titles: ${c.name} says on hover what its marks show, wide and narrow`, () => {
    const html = c.draw(figures, spec);
    const narrowAt = html.indexOf('<div class="al-fig-narrow">');
    const drawings = narrowAt < 0 ? { single: html } : { wide: html.slice(0, narrowAt), narrow: html.slice(narrowAt) };
    const expected = EXPECTED_TITLES[c.name];
    assert.ok(expected !== undefined, `no expected titles for ${c.name}`);
    for (const [which, svg] of Object.entries(drawings)) {
      const titles = titlesOf(svg);
      for (const want of expected) assert.ok(titles.some((t) => t.startsWith(want)), `${c.name} (${which}): no title "${want}" among ${titles.length}: ${titles.slice(0, 8).join(' | ')}`);
    }
  });
}

test('every figure function of lib/plot has a wide and a narrow drawing unless given a width', () => {
  for (const c of FIGURE_CASES) assert.match(c.draw(figures, spec), /class="al-fig-narrow"/, c.name);
});

test('drawLive: a figure put into a container is the element Plot drew, with the text the figure function gives', () => {
  const runs = [10, 12, 20, 30].map((outageSeconds) => ({ profile: 'p', outageSeconds }));
  const asText = figures.outageDistributionFigure(runs);
  const container = serverDocument().createElement('div');
  drawLive(container, () => {
    container.innerHTML = `<div>${figures.outageDistributionFigure(runs)}</div>`;
  });
  assert.equal(container.querySelectorAll('template').length, 0, 'a placeholder was left in the container');
  // Wide and narrow (figures.ts responsiveFigure): two drawings, each put whole where its text was.
  assert.equal(container.querySelectorAll('.al-fig-wide > figure, .al-fig-narrow > figure').length, 2);
  const ids = (html: string) => html.replace(/plot-[0-9a-f]+/g, 'plot');
  assert.equal(ids((container.firstElementChild as Element).innerHTML), ids(asText));
  // Outside drawLive, figure functions give text again.
  assert.doesNotMatch(figures.outageDistributionFigure(runs), /data-live-figure/);
});
