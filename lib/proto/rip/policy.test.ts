/**
 * ripd's route policy rules, each from FRR's source: lib/filter.c (access lists), ripd/ripd.c
 * rip_distance_apply, ripd/rip_offset.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4 } from '../../wire/addr';
import { accessListPermits, offsetFor, ripDistance, type AccessListEntry, type RipPolicy } from './policy';

const net = (p: string): [number, number] => {
  const [a, l] = p.split('/');
  return [ipv4(a!), Number(l)];
};
const zebra = (action: 'permit' | 'deny', p: string, exact = false): AccessListEntry => ({ style: 'zebra', action, prefix: net(p)[0], prefixLength: net(p)[1], exact, any: false });

function policy(over: Partial<RipPolicy>): RipPolicy {
  return { accessLists: new Map(), distance: null, distanceSources: [], offsetIn: [], offsetOut: [], ...over };
}

test('access lists (lib/filter.c): first match decides, no match denies, exact-match, standard wildcard lists, unknown list', () => {
  const p = policy({
    accessLists: new Map([
      ['A', [zebra('deny', '10.12.1.0/24'), zebra('permit', '10.12.0.0/16')]],
      ['E', [zebra('permit', '10.13.0.0/16', true)]],
      ['7', [{ style: 'cisco', action: 'permit', address: ipv4('10.1.0.0'), wildcard: ipv4('0.0.255.255') }]],
    ]),
  });
  assert.equal(accessListPermits(p, 'A', ...net('10.12.1.0/24')), false); // the deny line comes first
  assert.equal(accessListPermits(p, 'A', ...net('10.12.2.0/24')), true); // inside 10.12.0.0/16
  assert.equal(accessListPermits(p, 'A', ...net('10.0.0.0/8')), false); // wider than the list's prefix: no match, so deny
  assert.equal(accessListPermits(p, 'E', ...net('10.13.0.0/16')), true);
  assert.equal(accessListPermits(p, 'E', ...net('10.13.1.0/24')), false); // exact-match wants the same prefix
  assert.equal(accessListPermits(p, '7', ...net('10.1.9.0/24')), true); // filter_match_cisco ignores the length
  assert.equal(accessListPermits(p, 'nope', ...net('10.1.9.0/24')), null);
});

test('distance (ripd.c rip_distance_apply): longest source prefix, its list, then `distance N`, then 120', () => {
  const p = policy({
    accessLists: new Map([['ACL1', [zebra('permit', '10.12.0.0/16')]]]),
    distance: 110,
    distanceSources: [
      { ...{ prefix: net('10.0.0.0/24')[0], prefixLength: 24 }, distance: 90, accessList: null },
      { ...{ prefix: net('10.0.0.2/32')[0], prefixLength: 32 }, distance: 100, accessList: 'ACL1' },
      { ...{ prefix: net('10.0.1.0/24')[0], prefixLength: 24 }, distance: 80, accessList: 'MISSING' },
    ],
  });
  assert.equal(ripDistance(p, ipv4('10.0.0.2'), ...net('10.12.0.0/16')), 100); // the real run: R>* 10.12.0.0/16 [100/2]
  assert.equal(ripDistance(p, ipv4('10.0.0.2'), ...net('10.13.0.0/16')), 120); // the list denies: zebra's default (the real run: [120/4])
  assert.equal(ripDistance(p, ipv4('10.0.0.3'), ...net('10.13.0.0/16')), 90);
  assert.equal(ripDistance(p, ipv4('10.0.1.1'), ...net('10.13.0.0/16')), 120); // "if (alist == NULL) return 0"
  assert.equal(ripDistance(p, ipv4('192.0.2.1'), ...net('10.13.0.0/16')), 110);
  assert.equal(ripDistance(undefined, ipv4('192.0.2.1'), ...net('10.13.0.0/16')), 120);
});

test("offset-list (rip_offset.c): the interface's own list, else the \"*\" list; a list whose ACL denies adds nothing", () => {
  const p = policy({ accessLists: new Map([['A', [zebra('permit', '10.13.0.0/16')]], ['ALL', [{ style: 'zebra', action: 'permit', prefix: 0, prefixLength: 0, exact: false, any: true }]]]) });
  const lists = [
    { accessList: 'A', offset: 3, iface: 'eth1' },
    { accessList: 'ALL', offset: 5, iface: null },
  ];
  assert.equal(offsetFor(lists, p, 'eth1', ...net('10.13.0.0/16')), 3);
  // eth1 has its own list: the "*" one is not tried even when eth1's denies.
  assert.equal(offsetFor(lists, p, 'eth1', ...net('10.14.0.0/16')), null);
  assert.equal(offsetFor(lists, p, 'eth2', ...net('10.14.0.0/16')), 5);
  assert.equal(offsetFor([], p, 'eth2', ...net('10.14.0.0/16')), null);
});

test("IOS's rules (rules: 'ios'): the general offset list when the interface's denies; a list miss keeps `distance N`", () => {
  const p = policy({
    rules: 'ios',
    accessLists: new Map([['1', [{ style: 'cisco', action: 'permit', address: ipv4('10.13.0.0'), wildcard: ipv4('0.0.255.255') }]], ['0', [{ style: 'cisco', action: 'permit', address: 0, wildcard: 0xffffffff }]]]),
    distance: 110,
    distanceSources: [{ prefix: ipv4('10.0.0.2'), prefixLength: 32, distance: 200, accessList: '1' }],
  });
  const lists = [
    { accessList: '1', offset: 3, iface: 'Ethernet0/0' },
    { accessList: '0', offset: 5, iface: null },
  ];
  // RIP command reference, `offset-list`: the extended (interface) list takes precedence when both
  // pass; a route only the general list passes takes the general list's offset.
  assert.equal(offsetFor(lists, p, 'Ethernet0/0', ...net('10.13.0.0/16')), 3);
  assert.equal(offsetFor(lists, p, 'Ethernet0/0', ...net('10.14.0.0/16')), 5);
  assert.equal(offsetFor(lists, p, 'Ethernet0/1', ...net('10.13.0.0/16')), 5);
  // Cisco IOS in a Nutshell, `distance`: the list's distance "applies only to routes that match the
  // given access list"; the others keep the process's distance (NOTE in policy.ts: inferred).
  assert.equal(ripDistance(p, ipv4('10.0.0.2'), ...net('10.13.0.0/16')), 200);
  assert.equal(ripDistance(p, ipv4('10.0.0.2'), ...net('10.14.0.0/16')), 110);
  assert.equal(ripDistance(p, ipv4('10.0.0.3'), ...net('10.14.0.0/16')), 110);
});
