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
import { FIGURE_CASES, snapshotText } from './test-support';

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
