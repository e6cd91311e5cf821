// Tables round for reading: numbers to three decimals, durations to the millisecond. The rows
// themselves keep exact microseconds (what --json and CSV print).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlTable } from './table';
import { formatDuration, readableDuration, seconds } from '../sim/time';

const cells = (html: string): string[] => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);

test('readableDuration rounds to the millisecond from a second up, and keeps shorter times', () => {
  assert.equal(formatDuration(60_005_716), '1m0.005716s');
  assert.equal(readableDuration(60_005_716), '1m0.006s');
  assert.equal(readableDuration(59_999_600), '1m');
  assert.equal(readableDuration(seconds(90)), '1m30s');
  assert.equal(readableDuration(3_723_000_400), '1h2m3s');
  assert.equal(readableDuration(-1_500_600), '-1.501s');
  assert.equal(readableDuration(5_716), '5.716ms');
  assert.equal(readableDuration(250), '250us');
  assert.equal(readableDuration(0), '0s');
});

test('htmlTable shows formatDuration text rounded to the millisecond, and other text as it is', () => {
  const html = htmlTable([
    { time: formatDuration(60_005_716), event: 'add', n: 1.23456 },
    { time: formatDuration(150_000_000), event: '0.123456s later', n: 2 },
    { time: '-2.0000004s', event: 'x', n: 3 },
  ]);
  assert.deepEqual(cells(html), ['1m0.006s', 'add', '1.235', '2m30s', '0.123456s later', '2', '-2s', 'x', '3']);
});
