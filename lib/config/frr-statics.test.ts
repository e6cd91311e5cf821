/**
 * FRR 8.4's static routes, access lists and ripd's `distance` / `offset-list` as configuration text.
 * Expectations: staticd/static_vty.c and lib/filter.c (the grammar), ripd/rip_cli.c, and what a real
 * FRR 8.4.4 `staticd --dryrun` / `zebra --dryrun` said of the same lines (quoted beside each case).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, formatPrefix } from './addr';
import { parseFrrConf, parseRipdConf, parseStaticdConf, parseZebraConf } from './frr';
import { errorOf } from './test-support';

test('staticd: gateway, interface, blackhole, Null0, reject and a distance; a tag is read and ignored', () => {
  const c = parseStaticdConf(
    ['ip route 10.9.0.0/16 10.0.0.2', 'ip route 10.15.0.0/16 eth1', 'ip route 10.7.0.0/16 blackhole', 'ip route 10.8.0.0/16 Null0', 'ip route 10.6.0.0/16 reject', 'ip route 10.4.0.0/16 10.0.0.2 200', 'ip route 10.3.0.0/16 10.0.0.2 tag 5 7'].join('\n'),
    'staticd.conf',
  );
  assert.deepEqual(
    c.staticRoutes.map((r) => [formatPrefix(r.prefix, r.prefixLength), r.via === null ? null : formatIpv4(r.via), r.device, r.blackhole ?? null, r.distance ?? null, r.zebra]),
    [
      ['10.9.0.0/16', '10.0.0.2', null, null, null, true],
      ['10.15.0.0/16', null, 'eth1', null, null, true],
      ['10.7.0.0/16', null, null, 'blackhole', null, true],
      // static_vty.c: the interface name "Null0" is a blackhole.
      ['10.8.0.0/16', null, null, 'blackhole', null, true],
      ['10.6.0.0/16', null, null, 'reject', null, true],
      ['10.4.0.0/16', '10.0.0.2', null, null, 200, true],
      ['10.3.0.0/16', '10.0.0.2', null, null, 7, true],
    ],
  );
  assert.deepEqual(c.findings.map((f) => [f.severity, f.source.line]), [['ignored', 7]]);
});

test('staticd: a distance outside 1-255 is an error naming the line (real staticd --dryrun: "No such command on config line 1: ip route 10.20.0.0/16 Null0 300")', () => {
  const e = errorOf(() => parseStaticdConf('!\nip route 10.20.0.0/16 Null0 300\n', 'staticd.conf'));
  assert.match(e.message, /staticd\.conf:2: .*the distance must be 1-255.*got 300/);
});

test('zebra.conf: FRR 8.4 zebra has no "ip route" (real zebra --dryrun: "No such command on config line 2"); Quagga zebra has', () => {
  const text = 'hostname rc\nip route 10.20.0.0/16 Null0\n';
  const frr = parseZebraConf(text, 'zebra.conf', { frr: true });
  assert.deepEqual(frr.staticRoutes, []);
  assert.equal(frr.findings.length, 1);
  assert.match(frr.findings[0]!.message, /FRR 8\.4's zebra has no "ip route".*staticd\.conf or frr\.conf/);
  assert.equal(frr.findings[0]!.source.line, 2);
  const quagga = parseZebraConf(text, 'zebra.conf');
  assert.equal(quagga.staticRoutes.length, 1);
  assert.equal(quagga.staticRoutes[0]!.blackhole, 'blackhole');
});

test('ripd: access lists (FRR and standard numbered forms), distance per source with a list, offset-lists, redistribute kernel', () => {
  const c = parseRipdConf(
    [
      'access-list ACL1 permit 10.12.0.0/16',
      'access-list ACL1 seq 10 deny any',
      'access-list ACL2 permit 10.13.0.0/16 exact-match',
      'access-list 7 permit 10.1.0.0 0.0.255.255',
      'access-list 7 remark ignored by the daemon',
      'router rip',
      ' network 10.0.0.0/24',
      ' redistribute kernel metric 3',
      ' distance 110',
      ' distance 100 10.0.0.2/32 ACL1',
      ' distance 90 10.0.0.0/24',
      ' offset-list ACL2 in 3 eth1',
      ' offset-list 7 out 4',
    ].join('\n'),
    'ripd.conf',
  );
  const rip = c.rip!;
  assert.deepEqual(c.findings, []);
  assert.deepEqual(rip.redistribute.map((r) => [r.protocol, r.metric]), [['kernel', 3]]);
  assert.equal(rip.distance?.value, 110);
  assert.deepEqual(rip.distanceSources!.map((d) => [formatPrefix(d.prefix, d.prefixLength), d.distance, d.accessList]), [
    ['10.0.0.2/32', 100, 'ACL1'],
    ['10.0.0.0/24', 90, null],
  ]);
  assert.deepEqual(rip.offsetLists!.map((o) => [o.accessList, o.direction, o.offset, o.iface]), [
    ['ACL2', 'in', 3, 'eth1'],
    ['7', 'out', 4, null],
  ]);
  assert.deepEqual(
    rip.accessLists!.map((a) => (a.style === 'zebra' ? [a.name, a.action, a.any ? 'any' : formatPrefix(a.prefix, a.prefixLength), a.exact] : [a.name, a.action, formatIpv4(a.address), formatIpv4(a.wildcard)])),
    [
      ['ACL1', 'permit', '10.12.0.0/16', false],
      ['ACL1', 'deny', 'any', false],
      ['ACL2', 'permit', '10.13.0.0/16', true],
      ['7', 'permit', '10.1.0.0', '0.0.255.255'],
    ],
  );
});

test('ripd: a malformed offset-list, distance or access-list is an error with file and line', () => {
  assert.match(errorOf(() => parseRipdConf('router rip\n offset-list X sideways 3\n', 'ripd.conf')).message, /ripd\.conf:2: expected "offset-list <access-list> in\|out <0-16> \[<interface>\]"/);
  assert.match(errorOf(() => parseRipdConf('router rip\n distance 0\n', 'ripd.conf')).message, /ripd\.conf:2: expected "distance <1-255>"/);
  assert.match(errorOf(() => parseRipdConf('access-list A permit 10.1.0.0\n', 'ripd.conf')).message, /ripd\.conf:1: expected "access-list <name>/);
});

test('frr.conf: statics and RIP policy in one file, as vtysh -b applies it', () => {
  const c = parseFrrConf('ip route 10.8.0.0/16 Null0 5\naccess-list A permit any\nrouter rip\n offset-list A in 2\n', 'frr.conf');
  assert.equal(c.staticRoutes[0]!.distance, 5);
  assert.equal(c.rip!.accessLists!.length, 1);
  assert.deepEqual(c.findings, []);
});
