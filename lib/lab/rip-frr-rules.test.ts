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
import { frrShowIpRoute } from './consoles/rip';
import type { NetNode } from '../net/node';
import type { FibRoute } from '../proto/fib';
import { ipv4 } from '../wire/addr';
import { seconds } from '../sim/time';

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
  const n = ripConfigFromSpec(parseRipdConf('frr version 10.2\nrouter rip\n allow-ecmp 2\n', 'x/ripd.conf').rip!);
  assert.deepEqual([n.maxPaths, n.ecmpPrefersLowerSender], [2, true]);
});

test("s1: show ip route lists a route's next hops by address, as zebra did, not in the order ripd heard them", () => {
  const record = readFileSync(join(REAL, 's1-show.txt'), 'utf8');
  const heard = [...record.matchAll(/^R\(n\) 10\.60\.0\.0\/24\s+(\S+)/gm)].map((m) => m[1]!);
  assert.deepEqual(heard, ['10.0.12.5', '10.0.12.3', '10.0.12.4', '10.0.12.2']);
  const route = (nextHop: string): FibRoute => ({ prefix: ipv4('10.60.0.0'), prefixLength: 24, nextHop: ipv4(nextHop), ifIndex: 0, source: 'rip', distance: 120, metric: 2, updatedAt: 0 });
  // Only what frrShowIpRoute reads of a node: the clock, the FIB in ripd's order, the interfaces.
  const node = { now: seconds(36), fib: { routes: () => heard.map(route), get: () => heard.map(route) }, interfaces: [{ name: 'a-1', loopback: false, operational: true, addresses: [] }] } as unknown as NetNode;
  const shown = frrShowIpRoute(node).split('\n').filter((l) => l.includes('via')).map((l) => l.replace(/\s+/g, ' ').trim());
  const real = record.split('\n').filter((l) => /^R>\* 10\.60\.0\.0\/24|^\s+\*\s+via 10\.0\.12/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());
  assert.deepEqual(shown, real);
});
