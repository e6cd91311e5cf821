/**
 * The configuration of the real FRR 8.4.4 runs in data/real/frr84-rip-rules, read as a lab reads it
 * and turned into the RIP process's settings (lib/proto/rip/frr-rules.test.ts runs those settings
 * against the runs' records).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRipdConf } from '../config/frr';
import { ripConfigFromSpec } from './routing';

const REAL = join(__dirname, '..', '..', 'data', 'real', 'frr84-rip-rules');
const settings = (scenario: string) => ripConfigFromSpec(parseRipdConf(readFileSync(join(REAL, `${scenario}-ripd.conf`), 'utf8'), `${scenario}-ripd.conf`).rip!);

test('s4: a-1 sends versions 1 and 2 and accepts none; other interfaces keep the router version', () => {
  const c = settings('s4');
  assert.deepEqual(c.interfaceVersions, { 'a-1': { send: [1, 2], receive: [] } });
});

test('s1: FRR 8.4 allow-ecmp (no number) keeps paths in the order heard; only a number selects the 10.x rule', () => {
  const c = settings('s1');
  assert.equal(c.maxPaths, c.profile.ecmpDefaultPaths);
  assert.equal(c.ecmpPrefersLowerSender, false);
  const n = ripConfigFromSpec(parseRipdConf('router rip\n allow-ecmp 2\n', 'x/ripd.conf').rip!);
  assert.deepEqual([n.maxPaths, n.ecmpPrefersLowerSender], [2, true]);
});
